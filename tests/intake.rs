//! The operators' intake (`/intake`): a caller's report entered with its channel, the receipt
//! code shown once to be read aloud, no access to the case afterwards, the figures by channel,
//! and a caller phoning back looked up by code (audited, throttled, the reply the team sees).

use conduct_portal::domain::roles::Role;
use conduct_portal::platform::persistence::entities::{audit_log, message, report};
use rocket::http::Status;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::support::*;

const OPERATOR: &str = "tong.dai@evn.vn";
const CALLER: &str = "Lê Thị Gọi Điện";
const DESCRIPTION: &str = "Nhân viên ghi chỉ số đòi tiền bồi dưỡng mới ghi đúng chỉ số công tơ.";

/// The named report of a caller over the hotline, at the office the test team handles.
async fn caller_fields(app: &TestApp) -> Vec<(&'static str, String)> {
    let unit = unit_id(app, "PCHK-PGDHANGBAC").await.to_string();
    let category = category_id(app, "rude").await.to_string();
    vec![
        ("channel", "hotline".into()),
        ("unit_id", unit),
        ("occurred_on", "2026-11-20".into()),
        ("category_id", category),
        ("description", DESCRIPTION.into()),
        ("identity", "named".into()),
        ("full_name", CALLER.into()),
        ("address", "15 Hàng Bạc, Hoàn Kiếm".into()),
        ("phone", "0912 000 111".into()),
        ("consent", "true".into()),
    ]
}

/// Files the caller's report as the signed-in operator; returns the code shown.
async fn file_for_caller(app: &TestApp) -> String {
    let fields = caller_fields(app).await;
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = app.post_form("/intake", &fields).await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(
        response.headers().get_one("Location"),
        Some("/intake/receipt")
    );
    let (status, body) = app.get_text("/intake/receipt").await;
    assert_eq!(status, Status::Ok);
    assert!(body.contains("Đọc chậm"), "the read-it-slowly hint");
    receipt_from(&body).expect("the receipt page shows the code")
}

async fn newest_report(app: &TestApp) -> report::Model {
    let id = newest_case(app).await;
    report::Entity::find_by_id(id)
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
}

/// Every audit row's details and object, as text.
async fn audit_text(app: &TestApp) -> String {
    audit_log::Entity::find()
        .all(app.state().db.conn())
        .await
        .unwrap()
        .into_iter()
        .map(|row| format!("{row:?}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[rocket::async_test]
async fn an_operators_hotline_report_shows_its_channel_on_the_dashboard_and_the_operator_gets_404_on_the_case(
) {
    let app = TestApp::spawn().await;
    create_user(&app, OPERATOR, &[Role::Operator]).await;
    let response = app
        .post_form(
            "/staff/sign-in",
            &[("email", OPERATOR), ("password", TEST_PASSWORD)],
        )
        .await;
    assert_eq!(
        response.headers().get_one("Location"),
        Some("/staff/account/two-factor"),
        "operators need two-factor sign-in by default"
    );
    sign_in(&app, OPERATOR).await;

    let (status, form) = app.get_text("/intake").await;
    assert_eq!(status, Status::Ok);
    assert!(form.contains("value=\"hotline\"") && form.contains("value=\"office\""));
    assert!(
        !form.contains("value=\"web\""),
        "the web form is no operator's channel"
    );
    assert!(
        form.contains("name=\"consent\""),
        "the consent box of a named report"
    );

    let code = file_for_caller(&app).await;
    let (status, again) = app.get_text("/intake/receipt").await;
    assert_eq!(status, Status::Ok);
    assert!(receipt_from(&again).is_none(), "the code is shown once");

    let row = newest_report(&app).await;
    assert_eq!(row.channel, "hotline");
    assert_eq!(row.submission_kind, "named");
    assert!(row.consent_version.is_some());
    assert_eq!(audited(&app, "intake_report").await, 1);
    let trail = audit_text(&app).await;
    assert!(trail.contains("hotline"), "the audit names the channel");
    for secret in [CALLER, DESCRIPTION, code.as_str()] {
        assert!(!trail.contains(secret), "the audit holds no content");
    }

    let (status, _) = app.get_text(&format!("/cases/{}", row.id)).await;
    assert_eq!(status, Status::NotFound, "the operator holds no case");

    create_user(&app, "lanh.dao@evn.vn", &[Role::Leadership]).await;
    become_user(&app, "lanh.dao@evn.vn").await;
    let (status, page) = app.get_text("/dashboard").await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("Theo kênh tiếp nhận"));
    let response = app
        .client
        .get("/dashboard/export?table=channels&format=csv")
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Ok);
    let csv = response.into_string().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines.contains(&"Đường dây nóng,1"), "{csv}");
    assert!(lines.contains(&"Quầy giao dịch,0"), "{csv}");
}

#[rocket::async_test]
async fn a_caller_phoning_back_is_looked_up_by_code_and_their_reply_reaches_the_team() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ thanh tra PC Hoàn Kiếm").await;
    member(&app, team, "thanh.tra@evn.vn", &[Role::Inspector]).await;
    sign_in_as(&app, OPERATOR, &[Role::Operator]).await;
    let code = file_for_caller(&app).await;
    let id = newest_case(&app).await;
    let question = "Xin Quý khách cho biết nhân viên đến vào giờ nào.";
    become_user(&app, "thanh.tra@evn.vn").await;
    for (body, internal) in [(question, "false"), ("GHI-CHU-NOI-BO của tổ", "true")] {
        let fields = [("body", body), ("internal", internal)];
        let response = app
            .post_form(&format!("/cases/{id}/messages"), &fields)
            .await;
        assert_eq!(response.status(), Status::SeeOther);
    }
    become_user(&app, OPERATOR).await;

    let (status, _) = app.get_text("/intake/case").await;
    assert_eq!(status, Status::SeeOther, "nothing looked up yet");
    let spaced: String = code.chars().filter(|c| *c != '-').collect();
    let response = app
        .post_form("/intake/lookup", &[("receipt", &spaced)])
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let location = response.headers().get_one("Location").unwrap().to_string();
    assert_eq!(location, "/intake/case", "the case id is not in the URL");
    let (status, page) = app.get_text("/intake/case").await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("Tình trạng phản ánh của khách hàng"));
    assert!(
        page.contains("Chúng tôi đã nhận được tố cáo"),
        "the acknowledgement"
    );
    assert!(
        page.contains(question),
        "the team's message to the reporter"
    );
    assert!(!page.contains("GHI-CHU-NOI-BO"), "never an internal note");
    for identity in [CALLER, "15 Hàng Bạc", "0912 000 111"] {
        assert!(!page.contains(identity), "never the identity: {identity}");
    }

    let reply = "Tôi xin bổ sung: nhân viên đến vào buổi chiều, mặc đồng phục.";
    let response = app
        .post_form("/intake/case/reply", &[("body", reply)])
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let messages = message::Entity::find()
        .filter(message::Column::ReportId.eq(id))
        .filter(message::Column::AuthorKind.eq("reporter"))
        .all(app.state().db.conn())
        .await
        .unwrap();
    assert_eq!(messages.len(), 1, "the reply is the reporter's");
    assert_eq!(audited(&app, "intake_lookup").await, 1);
    assert_eq!(audited(&app, "intake_reply").await, 1);
    let trail = audit_text(&app).await;
    assert!(
        !trail.contains(&code) && !trail.contains(&spaced),
        "never the code"
    );
    assert!(!trail.contains("buổi chiều"), "never the reply");

    become_user(&app, "thanh.tra@evn.vn").await;
    let (status, case) = app.get_text(&format!("/cases/{id}")).await;
    assert_eq!(status, Status::Ok);
    assert!(case.contains(reply), "the team reads the caller's reply");
}

#[rocket::async_test]
async fn a_wrong_code_is_throttled_for_the_operator_like_on_the_web() {
    let app = TestApp::spawn_with(|f| {
        no_two_factor(f)
            .merge(("throttle.free_failures", 2))
            .merge(("throttle.base_delay_seconds", 5))
    })
    .await;
    sign_in_as(&app, OPERATOR, &[Role::Operator]).await;
    let code = file_for_caller(&app).await;
    for _ in 0..2 {
        let response = app
            .post_form("/intake/lookup", &[("receipt", "AAAA-AAAA-AAAA-AAAA")])
            .await;
        assert_eq!(response.status(), Status::UnprocessableEntity);
    }
    let response = app.post_form("/intake/lookup", &[("receipt", &code)]).await;
    assert_eq!(
        response.status(),
        Status::TooManyRequests,
        "even the right code waits"
    );
    assert_eq!(
        audited(&app, "intake_lookup").await,
        2,
        "each look-up made is audited"
    );
    app.clock.advance(chrono::Duration::seconds(5));
    let response = app.post_form("/intake/lookup", &[("receipt", &code)]).await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(audited(&app, "intake_lookup").await, 3);
}

#[rocket::async_test]
async fn only_an_operator_reaches_intake_and_no_operator_files_through_the_web_channel() {
    let app = TestApp::spawn_with(no_two_factor).await;
    sign_in_as(&app, "thanh.tra@evn.vn", &[Role::Inspector]).await;
    for path in ["/intake", "/intake/lookup", "/intake/receipt"] {
        assert_eq!(app.get_text(path).await.0, Status::Forbidden, "{path}");
    }
    let response = app.post_form("/intake/lookup", &[("receipt", "x")]).await;
    assert_eq!(response.status(), Status::Forbidden);

    create_user(&app, OPERATOR, &[Role::Operator]).await;
    become_user(&app, OPERATOR).await;
    let mut fields = caller_fields(&app).await;
    fields[0].1 = "web".into();
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = app.post_form("/intake", &fields).await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let body = response.into_string().await.unwrap();
    assert!(body.contains("Chọn kênh khách hàng đã liên hệ."));
    assert!(body.contains(DESCRIPTION), "the form comes back as typed");
    assert_eq!(audited(&app, "intake_report").await, 0);
}

#[rocket::async_test]
async fn an_admin_deactivates_a_channel_and_operators_can_no_longer_choose_it() {
    let app = TestApp::spawn_with(no_two_factor).await;
    sign_in_as(&app, "quan.tri@evn.vn", &[Role::Admin]).await;
    let (status, list) = app.get_text("/admin/channels").await;
    assert_eq!(status, Status::Ok);
    assert!(list.contains("Mạng xã hội"));
    let response = app
        .post_form(
            "/admin/channels",
            &[
                ("code", "zalo"),
                ("name_vi", "Zalo OA"),
                ("name_en", "Zalo"),
                ("sort_order", "70"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let response = app.post_form("/admin/channels/6/deactivate", &[]).await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(audited(&app, "intake_channel_created").await, 1);
    assert_eq!(audited(&app, "intake_channel_deactivated").await, 1);

    create_user(&app, OPERATOR, &[Role::Operator]).await;
    become_user(&app, OPERATOR).await;
    let (_, form) = app.get_text("/intake").await;
    assert!(form.contains("value=\"zalo\""));
    for path in [
        "/intake?lang=en",
        "/intake/lookup",
        "/intake/receipt",
        "/intake?lang=vi",
    ] {
        let (status, page) = app.get_text(path).await;
        assert_eq!(status, Status::Ok, "{path}");
        assert!(!page.contains("Unknown localization"), "{path}");
    }
    assert!(!form.contains("value=\"social\""), "deactivated");
}

#[rocket::async_test]
async fn a_caller_who_agrees_gets_the_receipt_code_by_sms_and_the_outbox_keeps_nothing_readable() {
    let gateway = HttpSink::start().await;
    let url = gateway.url();
    let app = TestApp::spawn_with(move |f| {
        no_two_factor(f).merge(("sms_gateway.url", url)).merge((
            "sms_gateway.body_template",
            r#"{"phone":"{phone}","message":"{text}"}"#,
        ))
    })
    .await;
    sign_in_as(&app, OPERATOR, &[Role::Operator]).await;
    let mut fields = caller_fields(&app).await;
    fields.push(("sms_phone", "0903 222 333".into()));

    // A number without the caller's agreement is refused, and nothing is stored.
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = app.post_form("/intake", &pairs).await;
    assert_eq!(refused.status(), Status::UnprocessableEntity);
    let page = refused.into_string().await.unwrap();
    assert!(
        page.contains("khi khách hàng đồng ý"),
        "the reason is shown"
    );
    assert!(
        page.contains("value=\"0903 222 333\""),
        "what was typed is kept"
    );
    assert_eq!(app.count("report").await, 0);

    fields.push(("sms_agree", "true".into()));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let filed = app.post_form("/intake", &pairs).await;
    assert_eq!(filed.status(), Status::SeeOther);
    let (_, body) = app.get_text("/intake/receipt").await;
    let code = receipt_from(&body).unwrap();
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    let outbox = app.dump_database().await;
    assert!(!outbox.contains("0903 222 333"), "the phone is sealed");
    assert!(!outbox.contains(&digits[..10]), "the code is sealed");

    let state = app.state();
    let summary = conduct_portal::platform::notify::send::send_due(
        &state.db,
        &state.config,
        state.clock.now(),
    )
    .await
    .unwrap();
    assert!(summary.sent >= 1);
    let sms: Vec<serde_json::Value> = gateway
        .received()
        .iter()
        .map(|(_, body)| serde_json::from_str(body).unwrap())
        .filter(|json: &serde_json::Value| json["phone"] == "0903 222 333")
        .collect();
    assert_eq!(sms.len(), 1, "one message to the caller's number");
    let text = sms[0]["message"].as_str().unwrap();
    let sent_digits: String = text.chars().filter(char::is_ascii_digit).collect();
    assert!(sent_digits.contains(&digits), "{text}");
    assert!(
        !text.contains(CALLER) && !text.contains("bồi dưỡng"),
        "{text}"
    );
    let row = conduct_portal::platform::persistence::entities::notification::Entity::find()
        .filter(
            conduct_portal::platform::persistence::entities::notification::Column::Kind
                .eq("receipt-code"),
        )
        .one(state.db.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, "sent");
    assert!(row.sealed.is_none(), "emptied once sent");
}
