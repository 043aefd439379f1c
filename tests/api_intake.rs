//! `/api/v1`, second part: the call-centre CRM entering reports as an operator
//! (`intake:write`), a case's text behind a custodian's approval (`cases:text`), the
//! reporter's outcome and files through the follow-up token, the `api` channel, and ISO 8601
//! dates in the API while the pages keep dd/mm/yyyy.

use conduct_portal::domain::roles::Role;
use conduct_portal::platform::persistence::entities::{audit_log, report};
use rocket::http::{Header, Status};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::api::{follow_up_token, json_of, report_body, submit_through_api};
use crate::api_staff::{admin, issue};
use crate::case_management::report_at;
use crate::support::*;

const DESCRIPTION: &str = "Nhân viên thu tiền điện đòi thêm 200.000 đồng mới ghi đúng hoá đơn.";
const CALLER: &str = "Trần Thị Gọi Điện";

/// A caller's named report at the Tràng Tiền office (routed to the Hoàn Kiếm team).
async fn intake_body(app: &TestApp, channel: Option<&str>) -> Value {
    let mut body = json!({
        "report": {
            "unit_id": unit_id(app, "PCHK-PGDTRANGTIEN").await,
            "category_id": category_id(app, "rude").await,
            "occurred_on": "2026-11-20",
            "description": DESCRIPTION,
            "reporter": {"full_name": CALLER, "address": "8 Lý Thái Tổ, Hà Nội",
                "phone": "0912 345 678"},
            "consent": true,
        },
    });
    if let Some(channel) = channel {
        body["channel"] = json!(channel);
    }
    body
}

impl TestApp {
    /// POSTs JSON with a bearer token and extra headers.
    async fn post_bearer(
        &self,
        path: &str,
        token: &str,
        body: &Value,
        headers: &[(&'static str, String)],
    ) -> rocket::local::asynchronous::LocalResponse<'_> {
        let mut all = vec![("Authorization", format!("Bearer {token}"))];
        all.extend(headers.iter().cloned());
        self.post_json(path, body, &all).await
    }
}

async fn reports(app: &TestApp) -> Vec<report::Model> {
    report::Entity::find()
        .all(app.state().db.conn())
        .await
        .unwrap()
}

async fn audit_rows(app: &TestApp, action: &str) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .all(app.state().db.conn())
        .await
        .unwrap()
}

#[rocket::async_test]
async fn the_call_centre_crm_enters_a_report_as_an_operator_once_per_idempotency_key() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    admin(&app).await;
    let crm = issue(&app, "CRM tổng đài", &["intake:write"], None).await;
    let reader = issue(&app, "Đọc vụ việc", &["cases:read"], Some(team)).await;

    let body = intake_body(&app, Some("office")).await;
    let key = ("Idempotency-Key", "crm-call-000123".to_string());
    let first = app
        .post_bearer("/api/v1/intake", &crm, &body, std::slice::from_ref(&key))
        .await;
    assert_eq!(first.status(), Status::Created);
    let first = json_of(first).await;
    let code = first["receipt_code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 29, "the code in five groups: {code}");
    assert_eq!(first["channel"], "office");
    assert_eq!(first["replayed"], false);
    let again = app
        .post_bearer("/api/v1/intake", &crm, &body, std::slice::from_ref(&key))
        .await;
    assert_eq!(again.status(), Status::Created);
    assert_eq!(again.headers().get_one("Idempotent-Replayed"), Some("true"));
    let again = json_of(again).await;
    assert_eq!(again["receipt_code"], json!(code));
    assert_eq!(again["replayed"], true);
    let mut changed = body.clone();
    changed["report"]["description"] = json!(format!("{DESCRIPTION} Thêm chi tiết."));
    let reused = app
        .post_bearer("/api/v1/intake", &crm, &changed, &[key])
        .await;
    assert_eq!(reused.status(), Status::UnprocessableEntity, "key reused");

    let rows = reports(&app).await;
    assert_eq!(rows.len(), 1, "one report for the retried call");
    assert_eq!(rows[0].channel, "office");
    assert_eq!(rows[0].submission_kind, "named");
    let entered = audit_rows(&app, "intake_report").await;
    assert_eq!(entered.len(), 1);
    assert_eq!(entered[0].actor_label, "api:CRM tổng đài");
    let trail = format!("{entered:?}");
    assert!(trail.contains("office"), "the audit names the channel");
    for secret in [CALLER, DESCRIPTION, code.as_str()] {
        assert!(!trail.contains(secret), "the audit holds no content");
    }

    // The web's rules and keys, and the operator's channel list (not web, not api).
    let mut bad = intake_body(&app, Some("web")).await;
    bad["report"]["consent"] = json!(false);
    let refused = app
        .client
        .post("/api/v1/intake")
        .header(rocket::http::ContentType::JSON)
        .header(Header::new("Authorization", format!("Bearer {crm}")))
        .header(Header::new("Accept-Language", "en"))
        .body(bad.to_string())
        .dispatch()
        .await;
    assert_eq!(refused.status(), Status::UnprocessableEntity);
    let problem = json_of(refused).await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"channel") && fields.contains(&"consent"),
        "{problem}"
    );
    let api_channel = intake_body(&app, Some("api")).await;
    let refused = app
        .post_bearer("/api/v1/intake", &crm, &api_channel, &[])
        .await;
    assert_eq!(refused.status(), Status::UnprocessableEntity);

    // Without a channel: the hotline.
    let plain = app
        .post_bearer("/api/v1/intake", &crm, &intake_body(&app, None).await, &[])
        .await;
    assert_eq!(plain.status(), Status::Created);
    assert_eq!(json_of(plain).await["channel"], "hotline");

    // A token without intake:write is refused.
    let forbidden = app.post_bearer("/api/v1/intake", &reader, &body, &[]).await;
    assert_eq!(forbidden.status(), Status::Forbidden);
    assert_eq!(reports(&app).await.len(), 2);

    // The reports reach the team's inbox with their channels.
    let cases = json_of(app.get_bearer("/api/v1/cases", &reader).await).await;
    let ids: Vec<i64> = cases["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [i64::from(rows[0].id) + 1, i64::from(rows[0].id)]);
    let one = app
        .get_bearer(&format!("/api/v1/cases/{}", rows[0].id), &reader)
        .await;
    assert_eq!(json_of(one).await["channel"], "office");
    member(&app, team, "thanh.tra.hk@evn.vn", &[Role::Inspector]).await;
    become_user(&app, "thanh.tra.hk@evn.vn").await;
    let (status, inbox) = app.get_text("/cases").await;
    assert_eq!(status, Status::Ok);
    let reference = format!("PA-2026-{:06}", rows[0].id);
    assert!(inbox.contains(&reference), "{reference} in the inbox");

    // The caller's code opens the report on the web follow-up page.
    assert_eq!(open_follow_up(&app, &code).await, Status::SeeOther);
}

/// A custodian's account, signed in on this client.
async fn custodian(app: &TestApp, email: &str) {
    create_user(app, email, &[Role::Custodian]).await;
    become_user(app, email).await;
}

#[rocket::async_test]
async fn a_cases_text_scope_works_only_once_a_custodian_approves_it_and_every_read_is_audited() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    let named = [
        ("identity", "named"),
        ("full_name", "Lê Văn Tố Cáo"),
        ("address", "15 Trần Phú, Hải Châu, Đà Nẵng"),
        ("phone", "0905 123 456"),
        ("consent", "true"),
    ];
    let (_, id) = report_at(&app, "PCHK-PGDTRANGTIEN", "rude", &named).await;
    admin(&app).await;
    let token = issue(
        &app,
        "Hệ thống thanh tra",
        &["cases:read", "cases:text"],
        Some(team),
    )
    .await;
    let (_, list) = app.get_text("/admin/api-tokens").await;
    assert!(list.contains("cases:text"), "the pending scope is listed");
    let text_path = format!("/api/v1/cases/{id}/text");
    let pending = app.get_bearer(&text_path, &token).await;
    assert_eq!(pending.status(), Status::Forbidden, "pending: no text");
    let case = app
        .get_bearer(&format!("/api/v1/cases/{id}"), &token)
        .await
        .into_string()
        .await
        .unwrap();
    assert!(!case.contains("đòi bồi dưỡng"), "the case carries no text");

    custodian(&app, "luu.tru@evn.vn").await;
    let (status, page) = app.get_text("/custodian").await;
    assert_eq!(status, Status::Ok);
    assert!(
        page.contains("Hệ thống thanh tra") && page.contains("api-scopes&#x2F;1"),
        "{page}"
    );
    let (status, review) = app.get_text("/custodian/api-scopes/1").await;
    assert_eq!(status, Status::Ok);
    assert!(review.contains("cases:text") && review.contains("Tổ Hoàn Kiếm"));
    let refused = app
        .post_form_without_csrf("/custodian/api-scopes/1/approve", &[])
        .await;
    assert_ne!(refused.status(), Status::SeeOther, "CSRF required");
    assert_eq!(audited(&app, "api_scope_approved").await, 0);
    let approved = app
        .post_form("/custodian/api-scopes/1/approve", &[("note", "Đã xem xét")])
        .await;
    assert_eq!(approved.status(), Status::SeeOther);
    assert_eq!(audited(&app, "api_scope_approved").await, 1);

    let text = app.get_bearer(&text_path, &token).await;
    assert_eq!(text.status(), Status::Ok);
    let text = text.into_string().await.unwrap();
    assert!(text.contains("đòi bồi dưỡng"), "{text}");
    for secret in ["Lê Văn Tố Cáo", "0905 123 456", "15 Trần Phú"] {
        assert!(!text.contains(secret), "the text endpoint gives {secret}");
    }
    app.get_bearer(&text_path, &token).await;
    let reads = audit_rows(&app, "api_case_text_read").await;
    assert_eq!(reads.len(), 2, "every read audited");
    assert!(reads
        .iter()
        .all(|r| r.actor_label == "api:Hệ thống thanh tra"));

    // Another team's case stays 404.
    let (_, theirs) = report_at(&app, "PCBADINH", "rude", &[]).await;
    let other = app
        .get_bearer(&format!("/api/v1/cases/{theirs}/text"), &token)
        .await;
    assert_eq!(other.status(), Status::NotFound);
}

#[rocket::async_test]
async fn a_custodian_refuses_a_text_scope_and_nobody_approves_their_own_request() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    let (_, id) = report_at(&app, "PCHK-PGDTRANGTIEN", "rude", &[]).await;
    sign_in_as(
        &app,
        "quan.tri.luu.tru@evn.vn",
        &[Role::Admin, Role::Custodian],
    )
    .await;
    let refused = issue(&app, "Zalo OA", &["cases:read", "cases:text"], Some(team)).await;
    let own = issue(&app, "CSKH", &["cases:read", "cases:text"], Some(team)).await;
    let response = app.post_form("/custodian/api-scopes/2/approve", &[]).await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(audited(&app, "api_scope_approved").await, 0, "own request");
    let own_text = app
        .get_bearer(&format!("/api/v1/cases/{id}/text"), &own)
        .await;
    assert_eq!(own_text.status(), Status::Forbidden);

    custodian(&app, "luu.tru@evn.vn").await;
    let response = app
        .post_form(
            "/custodian/api-scopes/1/deny",
            &[("note", "Không cần thiết")],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(audited(&app, "api_scope_denied").await, 1);
    let text = app
        .get_bearer(&format!("/api/v1/cases/{id}/text"), &refused)
        .await;
    assert_eq!(text.status(), Status::Forbidden, "refused: no text");
    let again = app.post_form("/custodian/api-scopes/1/approve", &[]).await;
    assert_eq!(again.status(), Status::SeeOther);
    assert_eq!(audited(&app, "api_scope_approved").await, 0, "decided once");
}

#[rocket::async_test]
async fn the_reporter_reads_the_outcome_and_lists_and_downloads_only_their_own_files() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(&app, team, "thanh.tra.kl@evn.vn", &[Role::Inspector]).await;
    let mut body = report_body(&app).await;
    body["unit_id"] = json!(unit_id(&app, "PCHK-PGDTRANGTIEN").await);
    let mine = submit_through_api(&app, &body).await;
    let theirs = submit_through_api(&app, &body).await;
    for (receipt, name) in [(&mine, "anh-cua-toi.jpg"), (&theirs, "anh-khac.jpg")] {
        let token = receipt["upload_token"].as_str().unwrap();
        let jpeg = jpeg_with_exif(name);
        let (content_type, multipart) = multipart_body(
            "",
            &[],
            &[Part {
                field: "files",
                file_name: name,
                bytes: &jpeg,
            }],
        );
        let response = app
            .client
            .post(format!("/api/v1/reports/{token}/files"))
            .header(content_type)
            .body(multipart)
            .dispatch()
            .await;
        assert_eq!(response.status(), Status::NoContent);
    }
    let token = follow_up_token(&app, mine["receipt_code"].as_str().unwrap()).await;
    let other = follow_up_token(&app, theirs["receipt_code"].as_str().unwrap()).await;

    let before = json_of(app.get_bearer("/api/v1/follow-up/outcome", &token).await).await;
    assert_eq!(
        before["outcome"],
        Value::Null,
        "no outcome before the conclusion"
    );

    let files = json_of(app.get_bearer("/api/v1/follow-up/files", &token).await).await;
    let files = files["files"].as_array().unwrap().clone();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0]["name"], "anh-cua-toi.jpg");
    assert_eq!(files[0]["status"], "cleaned");
    assert_eq!(files[0]["from_reporter"], true);
    assert!(files[0]["size"].as_i64().unwrap() > 0);
    let own = files[0]["id"].as_i64().unwrap();
    let download = app
        .get_bearer(&format!("/api/v1/follow-up/files/{own}"), &token)
        .await;
    assert_eq!(download.status(), Status::Ok);
    assert_eq!(
        download.headers().get_one("Content-Type"),
        Some("application/octet-stream")
    );
    let bytes = download.into_bytes().await.unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8]), "a JPEG");
    assert!(
        !bytes.windows(12).any(|w| w == b"anh-cua-toi."),
        "the cleaned copy, without its EXIF"
    );
    let foreign = json_of(app.get_bearer("/api/v1/follow-up/files", &other).await).await;
    let foreign = foreign["files"][0]["id"].as_i64().unwrap();
    let refused = app
        .get_bearer(&format!("/api/v1/follow-up/files/{foreign}"), &token)
        .await;
    assert_eq!(refused.status(), Status::NotFound, "another report's file");

    let id = json_of(app.get_bearer("/api/v1/follow-up/status", &token).await).await;
    assert_eq!(id["status_code"], "received");
    let case = newest_case(&app).await - 1;
    sign_in(&app, "thanh.tra.kl@evn.vn").await;
    for (action, fields) in [
        ("accept", vec![]),
        ("start-investigation", vec![]),
        (
            "conclude",
            vec![
                ("finding", "substantiated"),
                ("summary", "Xác minh đúng nội dung phản ánh."),
            ],
        ),
    ] {
        let response = app
            .post_form(&format!("/cases/{case}/actions/{action}"), &fields)
            .await;
        assert_eq!(response.status(), Status::SeeOther, "{action}");
    }
    let after = json_of(app.get_bearer("/api/v1/follow-up/outcome", &token).await).await;
    assert!(after["outcome"]["finding"].as_str().is_some(), "{after}");
    assert_eq!(
        after["outcome"]["summary"],
        "Xác minh đúng nội dung phản ánh."
    );
}

#[rocket::async_test]
async fn a_report_sent_through_the_api_counts_under_the_api_channel() {
    let app = TestApp::spawn_with(no_two_factor).await;
    submit_through_api(&app, &report_body(&app).await).await;
    let rows = reports(&app).await;
    assert_eq!(rows[0].channel, "api");

    sign_in_as(&app, "lanh.dao.api@evn.vn", &[Role::Leadership]).await;
    let response = app
        .client
        .get("/dashboard/export?table=channels&format=csv")
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Ok);
    let csv = response.into_string().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines.contains(&"Ứng dụng tích hợp (API),1"), "{csv}");
    assert!(lines.contains(&"Cổng thông tin (web),0"), "{csv}");

    create_user(&app, "dien.thoai.vien@evn.vn", &[Role::Operator]).await;
    become_user(&app, "dien.thoai.vien@evn.vn").await;
    let (_, form) = app.get_text("/intake").await;
    assert!(
        !form.contains("value=\"api\""),
        "the API is no operator's channel"
    );
}

#[rocket::async_test]
async fn the_api_gives_iso_8601_dates_and_the_page_keeps_dd_mm_yyyy() {
    let app = TestApp::spawn().await;
    let receipt = submit_through_api(&app, &report_body(&app).await).await;
    let code = receipt["receipt_code"].as_str().unwrap();
    let token = follow_up_token(&app, code).await;
    let status = json_of(app.get_bearer("/api/v1/follow-up/status", &token).await).await;
    assert_eq!(status["occurred_on"], "2026-11-20");
    let received = status["received_at"].as_str().unwrap();
    let parsed = chrono::DateTime::parse_from_rfc3339(received).unwrap();
    assert_eq!(parsed.offset().local_minus_utc(), 7 * 3600, "{received}");
    assert_eq!(parsed.with_timezone(&chrono::Utc), app.state().clock.now());
    for date in status["dates"].as_array().unwrap() {
        let day = date["date"].as_str().unwrap();
        assert!(
            chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_ok(),
            "{day}"
        );
    }
    assert!(!status["dates"].as_array().unwrap().is_empty());
    let timeline = json_of(app.get_bearer("/api/v1/follow-up/timeline", &token).await).await;
    let at = timeline["entries"][0]["at"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(at).is_ok(), "{at}");
    let messages = json_of(app.get_bearer("/api/v1/follow-up/messages", &token).await).await;
    let at = messages["messages"][0]["at"].as_str().unwrap();
    assert!(at.ends_with("+07:00"), "{at}");

    let document: Value =
        serde_json::from_str(&app.get_text("/api/v1/openapi.json").await.1).unwrap();
    let schemas = &document["components"]["schemas"];
    assert_eq!(
        schemas["ReportStatus"]["allOf"][1]["properties"]["received_at"]["format"], "date-time",
        "{}",
        schemas["ReportStatus"]
    );
    assert_eq!(
        schemas["TimelineItem"]["properties"]["at"]["format"],
        "date-time"
    );

    assert_eq!(open_follow_up(&app, code).await, Status::SeeOther);
    let (_, page) = app.get_text("/follow-up/status").await;
    let shown = conduct_portal::web::format::local_time(app.state().clock.now());
    assert!(shown.contains('/'), "{shown}");
    assert!(
        page.contains(&shown.replace('/', "&#x2F;")),
        "the page keeps dd/mm/yyyy: {shown}"
    );
}
