//! Notifications (issue 14, item 2): the outbox row commits with the case change, a real SMTP
//! server and a real HTTP gateway on loopback receive what the sender delivers, messages carry
//! no word of the report, no name and no receipt code, nothing is lost while the mail server
//! is down nor sent twice after it returns, and two portals on one database send each message
//! once.

use std::sync::Arc;

use conduct_portal::app::AppState;
use conduct_portal::domain::roles::Role;
use conduct_portal::platform::notify::send::{send_due, Summary};
use conduct_portal::platform::notify::{self, Mode, Notification, Params, Recipient};
use conduct_portal::platform::persistence::entities::notification;
use rocket::figment::Figment;
use rocket::http::Status;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::case_management::{act, case, report_at, verify, NAMED};
use crate::support::*;

const PUBLIC_URL: &str = "https://portal.evn.test";

/// Words of the description `report_at` submits; none may leave in a message.
const REPORT_WORDS: [&str; 4] = ["ghi chỉ số", "khó khăn", "bồi dưỡng", "Nhân viên"];

fn settings(smtp: Option<String>, sms: Option<String>) -> impl FnOnce(Figment) -> Figment {
    move |figment| {
        let mut figment = no_two_factor(figment).merge(("public_url", PUBLIC_URL));
        if let Some(url) = smtp {
            figment = figment.merge(("smtp_url", url));
        }
        if let Some(url) = sms {
            figment = figment
                .merge(("sms_gateway.url", url))
                .merge(("sms_gateway.auth_header", "Authorization: Bearer t0ken"))
                .merge((
                    "sms_gateway.body_template",
                    r#"{"brand":"EVN","phone":"{phone}","message":"{text}"}"#,
                ));
        }
        figment
    }
}

async fn send(state: &AppState) -> Summary {
    send_due(&state.db, &state.config, state.clock.now())
        .await
        .unwrap()
}

async fn rows(app: &TestApp) -> Vec<notification::Model> {
    notification::Entity::find()
        .all(app.state().db.conn())
        .await
        .unwrap()
}

/// A team at PC Hoàn Kiếm with an inspector and a team lead, and an inspector elsewhere.
async fn team(app: &TestApp) -> i32 {
    let team = team_at(app, "PCHOANKIEM", "Tổ thanh tra PC Hoàn Kiếm").await;
    member(app, team, "thanhtra@evn.vn", &[Role::Inspector]).await;
    member(app, team, "truongdoan@evn.vn", &[Role::TeamLead]).await;
    create_user(app, "ngoai@evn.vn", &[Role::Inspector]).await;
    team
}

fn assert_content_free(text: &str, code: &str) {
    for word in REPORT_WORDS {
        assert!(!text.contains(word), "report text {word:?} in {text}");
    }
    let bare: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    assert!(
        !text.contains(code) && !text.contains(&bare),
        "receipt code in {text}"
    );
    assert!(!text.contains("Phạm Thị Tố Giác"), "a name in {text}");
}

#[rocket::async_test]
async fn a_new_report_routed_to_a_team_mails_each_member_exactly_once_without_its_text_or_code() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn_with(settings(Some(smtp.url()), None)).await;
    team(&app).await;
    let (code, id) = report_at(&app, "PCHK-PGDHANGBAC", "rude", &[]).await;
    // The rows were committed with the case, before anything was sent.
    let queued = rows(&app).await;
    assert_eq!(queued.len(), 2);
    assert!(queued
        .iter()
        .all(|r| r.status == "pending" && r.report_id.is_none()));

    assert_eq!(send(app.state()).await, Summary { sent: 2, failed: 0 });
    let mails = smtp.received();
    let mut to: Vec<String> = mails.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, ["thanhtra@evn.vn", "truongdoan@evn.vn"]);
    let reference = conduct_portal::case_management::reference_of(&case(&app, id).await);
    for mail in &mails {
        let text = mail.text();
        assert!(text.contains(&format!("{PUBLIC_URL}/cases/{id}")), "{text}");
        assert!(text.contains(&reference), "{text}");
        assert!(text.contains("cần Quý vị xử lý"), "{text}");
        assert_content_free(&text, &code);
        assert_content_free(&mail.raw, &code);
    }
    assert_eq!(send(app.state()).await, Summary::default(), "nothing twice");
    assert_eq!(smtp.received().len(), 2);
    assert!(rows(&app).await.iter().all(|r| r.status == "sent"));
}

#[rocket::async_test]
async fn while_the_mail_server_is_down_nothing_is_lost_and_after_it_returns_each_is_sent_once() {
    let mut smtp = SmtpSink::start().await;
    let app = TestApp::spawn_with(settings(Some(smtp.url()), None)).await;
    team(&app).await;
    smtp.stop().await;
    report_at(&app, "PCHK-PGDHANGBAC", "rude", &[]).await;
    assert_eq!(send(app.state()).await, Summary { sent: 0, failed: 2 });
    let now = app.state().clock.now();
    for row in rows(&app).await {
        assert_eq!(row.status, "pending");
        assert_eq!(row.attempts, 1);
        assert_eq!(row.last_error.as_deref(), Some("smtp server unreachable"));
        assert_eq!(row.next_attempt_at, now + chrono::Duration::seconds(60));
    }
    // Backing off: the same moment claims nothing again.
    assert_eq!(send(app.state()).await, Summary::default());

    report_at(&app, "PCHK-PGDHANGBAC", "rude", &[]).await;
    smtp.restart().await;
    assert_eq!(send(app.state()).await.sent, 2, "the new case's messages");
    app.clock.advance(chrono::Duration::seconds(61));
    assert_eq!(
        send(app.state()).await.sent,
        2,
        "the first case's, after the delay"
    );
    assert_eq!(send(app.state()).await, Summary::default());
    let mails = smtp.received();
    assert_eq!(mails.len(), 4);
    for address in ["thanhtra@evn.vn", "truongdoan@evn.vn"] {
        assert_eq!(mails.iter().filter(|m| m.to == [address]).count(), 2);
    }
    assert!(rows(&app).await.iter().all(|r| r.status == "sent"));
}

#[rocket::async_test]
async fn a_failing_message_backs_off_exponentially_and_fails_after_the_last_attempt() {
    let mut smtp = SmtpSink::start().await;
    let app = TestApp::spawn_with(|f| {
        settings(Some(smtp.url()), None)(f).merge(("notify_max_attempts", 3))
    })
    .await;
    team(&app).await;
    smtp.stop().await;
    report_at(&app, "PCHK-PGDHANGBAC", "rude", &[]).await;
    let start = app.state().clock.now();
    send(app.state()).await;
    app.clock.advance(chrono::Duration::seconds(60));
    send(app.state()).await;
    let second = rows(&app).await;
    assert!(second.iter().all(
        |r| r.attempts == 2 && r.next_attempt_at == start + chrono::Duration::seconds(60 + 120)
    ));
    app.clock.advance(chrono::Duration::seconds(120));
    assert_eq!(send(app.state()).await.failed, 2);
    assert!(rows(&app).await.iter().all(|r| r.status == "failed"));
    app.clock.advance(chrono::Duration::days(1));
    assert_eq!(
        send(app.state()).await,
        Summary::default(),
        "failed stays failed"
    );
}

#[rocket::async_test]
async fn a_named_denouncer_gets_the_acceptance_notice_by_sms_with_the_phone_from_the_sealed_identity(
) {
    let gateway = HttpSink::start().await;
    let app = TestApp::spawn_with(settings(None, Some(gateway.url()))).await;
    team(&app).await;
    let (code, id) = report_at(&app, "PCHK-PGDHANGBAC", "rude", &NAMED).await;
    sign_in(&app, "thanhtra@evn.vn").await;
    verify(&app, id).await;
    assert_eq!(act(&app, id, "accept", &[]).await, Status::SeeOther);
    let sms: Vec<_> = rows(&app)
        .await
        .into_iter()
        .filter(|r| r.channel == "sms")
        .collect();
    assert_eq!(sms.len(), 1);
    assert_eq!(sms[0].kind, "reporter-accepted");
    assert!(!sms[0].params.contains("0988"), "no phone in the outbox");

    // Without smtp_url only the SMS leaves; the staff e-mails wait.
    assert_eq!(send(app.state()).await.sent, 1);
    let requests = gateway.received();
    assert_eq!(requests.len(), 1);
    let (head, body) = &requests[0];
    assert!(head
        .to_ascii_lowercase()
        .contains("authorization: bearer t0ken"));
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(json["brand"], "EVN");
    assert_eq!(json["phone"], "0988 777 666");
    let text = json["message"].as_str().unwrap();
    assert!(text.contains("thụ lý"), "{text}");
    assert!(text.contains(&format!("{PUBLIC_URL}/follow-up")), "{text}");
    assert_content_free(text, &code);
    assert!(!text.contains("Hàng Bạc"));
    assert!(rows(&app)
        .await
        .iter()
        .any(|r| r.channel == "email" && r.status == "pending"));
    // A reporter-visible message from staff tells the denouncer too; an internal note does not.
    let posted = app
        .post_form(
            &format!("/cases/{id}/messages"),
            &[
                ("body", "Xin cảm ơn, chúng tôi đang xem xét."),
                ("internal", "false"),
            ],
        )
        .await;
    assert_eq!(posted.status(), Status::SeeOther);
    assert_eq!(send(app.state()).await.sent, 1);
    assert_eq!(gateway.received().len(), 2);
}

#[rocket::async_test]
async fn two_portals_on_one_database_send_each_notification_exactly_once() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn_with(settings(Some(smtp.url()), None)).await;
    let now = app.state().clock.now();
    let mut users = Vec::new();
    for n in 0..12 {
        users.push(create_user(&app, &format!("nhanvien{n}@evn.vn"), &[Role::Inspector]).await);
    }
    let tx = app.state().db.begin_write().await.unwrap();
    for user in &users {
        for n in 0..10 {
            let message = Notification {
                to: Recipient::Staff(*user),
                kind: "case-new",
                params: Params {
                    reference: format!("PA-2026-{n:06}"),
                    path: format!("/cases/{n}"),
                },
                dedupe_key: None,
            };
            notify::enqueue(&*tx, &app.state().config.notify, now, message)
                .await
                .unwrap();
        }
    }
    tx.commit().await.unwrap();
    // A second node: its own pool on the same database.
    let figment =
        settings(Some(smtp.url()), None)(base_figment(app.data_dir.path(), &app.database_url));
    let (_, other) = conduct_portal::app::prepare(figment, Arc::new(app.clock.clone()))
        .await
        .unwrap();
    let (one, two) = tokio::join!(send(app.state()), send(&other));
    assert_eq!(one.sent + two.sent, 120, "{one:?} {two:?}");
    assert_eq!(one.failed + two.failed, 0);
    let mails = smtp.received();
    assert_eq!(mails.len(), 120);
    for n in 0..12 {
        let address = format!("nhanvien{n}@evn.vn");
        assert_eq!(
            mails.iter().filter(|m| m.to == [address.clone()]).count(),
            10
        );
    }
    assert_eq!(send(&other).await, Summary::default());
}

#[rocket::async_test]
async fn a_digest_member_gets_one_mail_at_the_digest_hour_and_an_off_member_none() {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn_with(settings(Some(smtp.url()), None)).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ thanh tra PC Hoàn Kiếm").await;
    let digest = member(&app, team, "tomtat@evn.vn", &[Role::Inspector]).await;
    let off = member(&app, team, "tat@evn.vn", &[Role::TeamLead]).await;
    let conn = app.state().db.conn();
    let now = app.state().clock.now();
    notify::set_mode(conn, digest, Mode::Digest, now)
        .await
        .unwrap();
    notify::set_mode(conn, off, Mode::Off, now).await.unwrap();
    report_at(&app, "PCHK-PGDHANGBAC", "rude", &[]).await;
    report_at(&app, "PCHK-PGDHANGBAC", "rude", &[]).await;
    assert_eq!(
        rows(&app).await.len(),
        2,
        "nothing for the member who chose off"
    );
    assert_eq!(
        send(app.state()).await,
        Summary::default(),
        "not before 07:00"
    );
    // t0 is 10:00 in Hà Nội: the digest leaves at 07:00 the next day.
    app.clock.advance(chrono::Duration::hours(21));
    assert_eq!(send(app.state()).await.sent, 2);
    let mails = smtp.received();
    assert_eq!(mails.len(), 1, "one digest");
    let text = mails[0].text();
    assert_eq!(text.matches("/cases/").count(), 2, "{text}");
}

#[rocket::async_test]
async fn admins_see_the_outbox_retry_a_failed_message_and_queue_a_test_mail() {
    let app = TestApp::spawn_with(settings(None, None)).await;
    let admin = sign_in_as(&app, "quantri@evn.vn", &[Role::Admin]).await;
    let (status, page) = app.get_text("/admin/notifications").await;
    assert_eq!(status, Status::Ok);
    assert!(
        page.contains("id=\"smtp-missing\""),
        "no smtp_url: the page says so"
    );

    let queued = app.post_form("/admin/notifications/test", &[]).await;
    assert_eq!(queued.status(), Status::SeeOther);
    assert_eq!(audited(&app, "notification_test_queued").await, 1);
    let row = rows(&app).await.pop().unwrap();
    assert_eq!((row.kind.as_str(), row.user_id), ("test", Some(admin)));
    // Without a mail server it stays pending.
    assert_eq!(send(app.state()).await, Summary::default());

    let retry = format!("/admin/notifications/{}/retry", row.id);
    app.post_form(&retry, &[]).await;
    assert_eq!(
        audited(&app, "notification_retried").await,
        0,
        "only a failed one"
    );
    notification::Entity::update_many()
        .col_expr(
            notification::Column::Status,
            sea_orm::sea_query::Expr::value("failed"),
        )
        .col_expr(
            notification::Column::Attempts,
            sea_orm::sea_query::Expr::value(8),
        )
        .filter(notification::Column::Id.eq(row.id))
        .exec(app.state().db.conn())
        .await
        .unwrap();
    let (_, page) = app.get_text("/admin/notifications").await;
    assert!(page.contains(&retry));
    assert!(page.contains("Người dùng quantri@evn.vn"));
    assert_eq!(app.post_form(&retry, &[]).await.status(), Status::SeeOther);
    assert_eq!(audited(&app, "notification_retried").await, 1);
    let row = rows(&app).await.pop().unwrap();
    assert_eq!((row.status.as_str(), row.attempts), ("pending", 0));
}

#[rocket::async_test]
async fn a_staff_member_chooses_a_daily_digest_on_their_account_page() {
    let app = TestApp::spawn_with(settings(None, None)).await;
    let me = sign_in_as(&app, "thanhtra@evn.vn", &[Role::Inspector]).await;
    let (status, page) = app.get_text("/staff/account/notifications").await;
    assert_eq!(status, Status::Ok);
    assert!(
        page.contains("value=\"immediate\" checked"),
        "immediate by default"
    );
    let saved = app
        .post_form("/staff/account/notifications", &[("mode", "digest")])
        .await;
    assert_eq!(saved.status(), Status::SeeOther);
    let conn = app.state().db.conn();
    assert_eq!(notify::mode_of(conn, me).await.unwrap(), Mode::Digest);
    assert_eq!(audited(&app, "notification_mode_set").await, 1);
    let (_, page) = app.get_text("/staff/account/notifications").await;
    assert!(page.contains("value=\"digest\" checked"));
    app.post_form("/staff/account/notifications", &[("mode", "loud")])
        .await;
    assert_eq!(notify::mode_of(conn, me).await.unwrap(), Mode::Digest);
}

/// The kinds and recipients queued so far, in order.
async fn queued(app: &TestApp) -> Vec<(String, Option<i32>)> {
    rows(app)
        .await
        .into_iter()
        .map(|r| (r.kind, r.user_id))
        .collect()
}

#[rocket::async_test]
async fn assignment_reply_identity_decision_and_deadlines_each_tell_the_right_person_once() {
    let app = TestApp::spawn_with(settings(None, None)).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ thanh tra PC Hoàn Kiếm").await;
    let asker = member(&app, team, "thanhtra@evn.vn", &[Role::Inspector]).await;
    let worker = member(&app, team, "dieutra@evn.vn", &[Role::Inspector]).await;
    let lead = member(&app, team, "truongdoan@evn.vn", &[Role::TeamLead]).await;
    create_user(&app, "giu.bi.mat@evn.vn", &[Role::Custodian]).await;
    let (_, id) = report_at(&app, "PCHK-PGDHANGBAC", "rude", &NAMED).await;
    assert_eq!(queued(&app).await.len(), 3, "the whole team");
    sign_in(&app, "thanhtra@evn.vn").await;
    verify(&app, id).await;
    assert_eq!(act(&app, id, "accept", &[]).await, Status::SeeOther);
    let assignee = worker.to_string();
    let assigned = act(&app, id, "start-investigation", &[("assignee", &assignee)]).await;
    assert_eq!(assigned, Status::SeeOther);
    conduct_portal::public_reporting::service::add_reply(app.state(), id, "Tôi gửi thêm ảnh.")
        .await
        .unwrap();
    let kinds = queued(&app).await;
    assert!(kinds.contains(&("case-assigned".into(), Some(worker))));
    assert_eq!(
        kinds.last(),
        Some(&("case-reply".into(), Some(worker))),
        "the assignee only"
    );
    assert_eq!(kinds.iter().filter(|(k, _)| k == "case-reply").count(), 1);

    app.post_form(
        &format!("/cases/{id}/identity-requests"),
        &[("reason", "Cần đối chất trực tiếp với người tố cáo")],
    )
    .await;
    become_user(&app, "giu.bi.mat@evn.vn").await;
    let request = conduct_portal::platform::persistence::entities::identity_request::Entity::find()
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    app.post_form(
        &format!("/custodian/requests/{}/deny", request.id),
        &[("note", "Chưa cần thiết")],
    )
    .await;
    assert_eq!(
        queued(&app).await.last(),
        Some(&("identity-decided".into(), Some(asker)))
    );

    // Half of the 30-day resolution period, then past its end.
    let before = queued(&app).await.len();
    app.clock.advance(chrono::Duration::days(16));
    scan(&app).await;
    scan(&app).await;
    let after = queued(&app).await;
    assert_eq!(
        after[before..],
        [("deadline-50".into(), Some(worker))],
        "once"
    );
    app.clock.advance(chrono::Duration::days(20));
    scan(&app).await;
    scan(&app).await;
    let last = queued(&app).await;
    assert_eq!(
        last[after.len()..],
        [
            ("deadline-100".into(), Some(worker)),
            ("case-overdue".into(), Some(lead))
        ]
    );
}

async fn scan(app: &TestApp) {
    let state = app.state();
    conduct_portal::case_management::deadline_alerts::scan(
        &state.db,
        &state.config,
        state.clock.now(),
    )
    .await
    .unwrap();
}
