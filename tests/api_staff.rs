//! `/api/v1` for integrations: tokens issued on `/admin/api-tokens` (shown once, stored hashed,
//! audited), scopes and teams, revocation and expiry, every call audited under the
//! integration's name, the case list's cursor, the figures, and that neither a cookie nor any
//! response or log line gives away a reporter.

use std::io::Write;
use std::sync::{Arc, Mutex};

use conduct_portal::domain::roles::Role;
use rocket::http::{Header, Status};
use serde_json::{json, Value};

use crate::api::json_of;
use crate::case_management::report_at;
use crate::support::*;

/// Issues a token on the admin page (signed in as an admin); returns it.
pub(crate) async fn issue(app: &TestApp, name: &str, scopes: &[&str], team: Option<i32>) -> String {
    let team = team.map(|t| t.to_string()).unwrap_or_default();
    let mut fields = vec![("name", name), ("team_id", team.as_str()), ("days", "30")];
    fields.extend(scopes.iter().map(|s| ("scopes", *s)));
    let response = app.post_form("/admin/api-tokens", &fields).await;
    assert_eq!(response.status(), Status::Ok, "token issued");
    let page = response.into_string().await.unwrap();
    let start = page.find("cpt_").expect("the token is shown");
    page[start..start + 68].to_string()
}

pub(crate) async fn admin(app: &TestApp) {
    sign_in_as(app, "quan.tri.api@evn.vn", &[Role::Admin]).await;
}

#[rocket::async_test]
async fn a_token_is_shown_once_stored_hashed_and_reads_only_its_teams_cases() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let mine = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    team_at(&app, "PCBADINH", "Tổ Ba Đình").await;
    let (_, ours) = report_at(&app, "PCHK-PGDTRANGTIEN", "rude", &[]).await;
    let (_, theirs) = report_at(&app, "PCBADINH", "rude", &[]).await;
    admin(&app).await;
    let token = issue(&app, "CRM tổng đài", &["cases:read"], Some(mine)).await;
    assert_eq!(audited(&app, "api_token_issued").await, 1);
    assert!(!app.dump_database().await.contains(&token), "stored hashed");
    let (_, list) = app.get_text("/admin/api-tokens").await;
    assert!(
        list.contains("CRM tổng đài") && !list.contains(&token),
        "never shown again"
    );

    let cases = json_of(app.get_bearer("/api/v1/cases", &token).await).await;
    let ids: Vec<i64> = cases["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [i64::from(ours)]);
    let one = app
        .get_bearer(&format!("/api/v1/cases/{ours}"), &token)
        .await;
    assert_eq!(one.status(), Status::Ok);
    let one = json_of(one).await;
    assert_eq!(one["case"]["status"], "received");
    assert!(!one["timeline"].as_array().unwrap().is_empty());
    let other = app
        .get_bearer(&format!("/api/v1/cases/{theirs}"), &token)
        .await;
    assert_eq!(other.status(), Status::NotFound, "another team's case");
    let figures = app.get_bearer("/api/v1/analytics/dashboard", &token).await;
    assert_eq!(figures.status(), Status::Forbidden, "no analytics:read");

    // Every admitted call is audited under the integration's name.
    assert_eq!(audited(&app, "api_call").await, 3);
    let labels = audit_labels(&app, "api_call").await;
    assert!(labels.iter().all(|l| l == "api:CRM tổng đài"), "{labels:?}");
}

async fn audit_labels(app: &TestApp, action: &str) -> Vec<String> {
    use conduct_portal::platform::persistence::entities::audit_log;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .all(app.state().db.conn())
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.actor_label)
        .collect()
}

#[rocket::async_test]
async fn a_revoked_or_expired_token_is_refused() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    admin(&app).await;
    let revoked = issue(&app, "Zalo OA", &["cases:read"], Some(team)).await;
    let kept = issue(&app, "Báo cáo nội bộ", &["analytics:read"], None).await;
    assert_eq!(
        app.get_bearer("/api/v1/cases", &revoked).await.status(),
        Status::Ok
    );

    let (status, confirm) = app.get_text("/admin/api-tokens/1/revoke").await;
    assert_eq!(status, Status::Ok);
    assert!(confirm.contains("Zalo OA"));
    let response = app.post_form("/admin/api-tokens/1/revoke", &[]).await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(audited(&app, "api_token_revoked").await, 1);
    let refused = app.get_bearer("/api/v1/cases", &revoked).await;
    assert_eq!(refused.status(), Status::Unauthorized);
    assert_eq!(json_of(refused).await["status"], 401);

    let figures = app.get_bearer("/api/v1/analytics/dashboard", &kept).await;
    assert_eq!(figures.status(), Status::Ok);
    app.clock.advance(chrono::Duration::days(31));
    let late = app.get_bearer("/api/v1/analytics/dashboard", &kept).await;
    assert_eq!(late.status(), Status::Unauthorized);
}

#[rocket::async_test]
async fn a_staff_cookie_never_authenticates_an_api_call_and_needs_no_csrf_token_there() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(
        &app,
        team,
        "thanh.tra.api@evn.vn",
        &[Role::Inspector, Role::TeamLead, Role::Leadership],
    )
    .await;
    report_at(&app, "PCHK-PGDTRANGTIEN", "rude", &[]).await;
    sign_in(&app, "thanh.tra.api@evn.vn").await;
    let (status, _) = app.get_text("/cases").await;
    assert_eq!(status, Status::Ok, "signed in on the pages");
    for path in [
        "/api/v1/cases",
        "/api/v1/analytics/dashboard",
        "/api/v1/analytics/transparency",
    ] {
        let response = app.client.get(path).dispatch().await;
        assert_eq!(response.status(), Status::Unauthorized, "{path}");
    }
    // The staff cookie rides along, yet a public API call without a CSRF token is served.
    let (unit, category) = some_unit_and_category(&app).await;
    let body = json!({"unit_id": unit.parse::<i32>().unwrap(), "category_id": category.parse::<i32>().unwrap(),
        "occurred_on": "2026-11-20", "description": "Nhân viên đến thu tiền điện mà không xuất hóa đơn."});
    let response = app.post_json("/api/v1/reports", &body, &[]).await;
    assert_eq!(response.status(), Status::Created);
}

#[rocket::async_test]
async fn the_case_list_pages_by_cursor_and_filters_like_the_inbox() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(report_at(&app, "PCHK-PGDTRANGTIEN", "rude", &[]).await.1);
    }
    admin(&app).await;
    let token = issue(&app, "CRM", &["cases:read"], Some(team)).await;
    let first = json_of(app.get_bearer("/api/v1/cases?limit=2", &token).await).await;
    let page: Vec<i64> = first["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(page, [i64::from(ids[2]), i64::from(ids[1])], "newest first");
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = json_of(
        app.get_bearer(&format!("/api/v1/cases?limit=2&cursor={cursor}"), &token)
            .await,
    )
    .await;
    let page: Vec<i64> = second["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(page, [i64::from(ids[0])]);
    assert!(second["next_cursor"].is_null());

    let closed = json_of(app.get_bearer("/api/v1/cases?status=closed", &token).await).await;
    assert!(closed["cases"].as_array().unwrap().is_empty());
    let bad = app
        .get_bearer("/api/v1/cases?status=nonsense&limit=500", &token)
        .await;
    assert_eq!(bad.status(), Status::UnprocessableEntity);
    let fields: Vec<String> = json_of(bad).await["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["limit", "status"]);
}

#[rocket::async_test]
async fn figures_are_the_dashboards_with_the_same_small_count_rule() {
    let app = TestApp::spawn_with(no_two_factor).await;
    team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    report_at(&app, "PCHK-PGDTRANGTIEN", "rude", &[]).await;
    admin(&app).await;
    let token = issue(&app, "Ban Thanh tra", &["analytics:read"], None).await;
    let unit = unit_id(&app, "PCHOANKIEM").await;
    let response = app
        .get_bearer(
            &format!("/api/v1/analytics/dashboard?unit={unit}&from=2026-11&to=2026-11"),
            &token,
        )
        .await;
    assert_eq!(response.status(), Status::Ok);
    let figures = json_of(response).await;
    assert_eq!(figures["scope_suppressed"], true);
    let summary = &figures["tables"][0];
    assert_eq!(summary["id"], "summary");
    let cells: Vec<&str> = summary["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["cells"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap())
        })
        .collect();
    assert!(
        cells.contains(&"x"),
        "one report below corporation level is withheld: {cells:?}"
    );
    assert!(!cells.contains(&"1"), "{cells:?}");

    let bad = app
        .get_bearer("/api/v1/analytics/dashboard?from=2026-13", &token)
        .await;
    assert_eq!(bad.status(), Status::UnprocessableEntity);
    let public = json_of(
        app.get_bearer("/api/v1/analytics/transparency", &token)
            .await,
    )
    .await;
    assert!(!public["corporations"].as_array().unwrap().is_empty());
}

/// A `tracing` writer that keeps what it is given.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn no_api_response_nor_log_line_carries_a_reporters_identity_or_receipt_code() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            conduct_portal::platform::telemetry::DEFAULT_FILTER,
        ))
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let bodies = runtime.block_on(every_api_answer_about_a_named_report());
    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("/api/v1/cases/<id>"),
        "the request lines were captured"
    );
    let (code, answers) = bodies;
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    for secret in [
        "Lê Văn Tố Cáo",
        "0905 123 456",
        "0905123456",
        "15 Trần Phú",
        code.as_str(),
        digits.as_str(),
    ] {
        assert!(!logs.contains(secret), "a log line holds {secret}");
        for (path, body) in &answers {
            assert!(!body.contains(secret), "{path} answers {secret}");
        }
    }
}

/// Files a named report on the web form, then asks every API endpoint about it; returns the
/// receipt code and every answer.
async fn every_api_answer_about_a_named_report() -> (String, Vec<(String, String)>) {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    let named = [
        ("identity", "named"),
        ("full_name", "Lê Văn Tố Cáo"),
        ("address", "15 Trần Phú, Hải Châu, Đà Nẵng"),
        ("phone", "0905 123 456"),
        ("consent", "true"),
    ];
    let (code, id) = report_at(&app, "PCHK-PGDTRANGTIEN", "rude", &named).await;
    admin(&app).await;
    let token = issue(
        &app,
        "CRM",
        &["cases:read", "analytics:read", "cases:text", "intake:write"],
        Some(team),
    )
    .await;
    create_user(&app, "luu.tru.api@evn.vn", &[Role::Custodian]).await;
    become_user(&app, "luu.tru.api@evn.vn").await;
    let approved = app.post_form("/custodian/api-scopes/1/approve", &[]).await;
    assert_eq!(approved.status(), Status::SeeOther);
    let session = app
        .post_json(
            "/api/v1/follow-up/session",
            &json!({"receipt_code": code}),
            &[],
        )
        .await;
    let follow_up = json_of(session).await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let mut answers = Vec::new();
    let staff = [
        "/api/v1/cases".to_string(),
        format!("/api/v1/cases/{id}"),
        format!("/api/v1/cases/{id}/text"),
        "/api/v1/analytics/dashboard".into(),
        "/api/v1/analytics/transparency".into(),
    ];
    for path in staff {
        let response = app.get_bearer(&path, &token).await;
        assert_eq!(response.status(), Status::Ok, "{path}");
        answers.push((path, response.into_string().await.unwrap()));
    }
    for path in [
        "/api/v1/follow-up/status",
        "/api/v1/follow-up/timeline",
        "/api/v1/follow-up/messages",
        "/api/v1/follow-up/outcome",
        "/api/v1/follow-up/files",
    ] {
        let response = app.get_bearer(path, &follow_up).await;
        assert_eq!(response.status(), Status::Ok, "{path}");
        answers.push((path.to_string(), response.into_string().await.unwrap()));
    }
    let wrong = app
        .client
        .post("/api/v1/follow-up/session")
        .header(rocket::http::ContentType::JSON)
        .header(Header::new("Accept-Language", "en"))
        .body(json!({"receipt_code": "11111 11111 11111 11111 11111"}).to_string())
        .dispatch()
        .await;
    answers.push(("wrong code".into(), wrong.into_string().await.unwrap()));
    // The same caller through the call-centre CRM: its answer holds its own code only.
    let (unit, category) = some_unit_and_category(&app).await;
    let intake = json!({"report": {
        "unit_id": unit.parse::<i32>().unwrap(),
        "category_id": category.parse::<i32>().unwrap(),
        "occurred_on": "2026-11-20",
        "description": "Nhân viên ghi chỉ số đòi tiền bồi dưỡng mới ghi đúng chỉ số.",
        "reporter": {"full_name": "Lê Văn Tố Cáo", "address": "15 Trần Phú, Hải Châu, Đà Nẵng",
            "phone": "0905 123 456"},
        "consent": true}});
    let entered = app
        .post_json(
            "/api/v1/intake",
            &intake,
            &[("Authorization", format!("Bearer {token}"))],
        )
        .await;
    assert_eq!(entered.status(), Status::Created);
    answers.push(("intake".into(), entered.into_string().await.unwrap()));
    let value: Value = serde_json::from_str(&answers[1].1).unwrap();
    assert_eq!(value["case"]["id"], json!(id), "the case was read");
    (code, answers)
}
