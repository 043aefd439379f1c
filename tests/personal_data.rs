//! Personal data (issue 13; Law No. 91/2025/QH15): consent to the notice for a named
//! denunciation, the reporter's rights through the receipt (see, correct, withdraw), and
//! retention with warning, legal hold and purge by crypto-shredding.

use chrono::{Duration, NaiveDate};
use conduct_portal::case_management::retention::run::run;
use conduct_portal::domain::roles::Role;
use conduct_portal::platform::persistence::entities::{notification, report, reporter_identity};
use conduct_portal::platform::privacy::{Erasure, LedgerEntry, NOTICE_VERSION};
use rocket::http::Status;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Statement};

use crate::case_management::{act, case, report_at, NAMED};
use crate::support::*;

fn named_fields<'a>(unit: &'a str, category: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("unit_id", unit),
        ("occurred_on", "2026-11-20"),
        ("category_id", category),
        (
            "description",
            "Nhân viên thu ngân nhận tiền mặt nhưng không đưa biên lai.",
        ),
        ("identity", "named"),
        ("full_name", "Vũ Thị Đồng Ý"),
        ("address", "12 Nguyễn Du, Hai Bà Trưng"),
        ("phone", "0912 000 111"),
    ]
}

#[rocket::async_test]
async fn a_named_denunciation_needs_consent_and_records_the_notice_version() {
    let app = TestApp::spawn().await;
    let (_, form) = app.get_text("/report").await;
    assert!(form.contains("name=\"consent\" value=\"true\" aria-describedby"));
    assert!(!form.contains("name=\"consent\" value=\"true\" checked"));
    assert!(form.contains("href=\"/privacy\""));

    let (unit, category) = some_unit_and_category(&app).await;
    let fields = named_fields(&unit, &category);
    let refused = app.post_form("/report", &fields).await;
    assert_eq!(refused.status(), Status::UnprocessableEntity);
    let body = refused.into_string().await.unwrap();
    assert!(body.contains("Đơn tố cáo có danh tính cần sự đồng ý của Quý khách"));
    assert!(
        body.contains("value=\"Vũ Thị Đồng Ý\""),
        "what was typed is kept"
    );
    assert_eq!(app.count("report").await, 0);
    assert_eq!(app.count("reporter_identity").await, 0);

    let mut with_consent = fields.clone();
    with_consent.push(("consent", "true"));
    submit(&app, &with_consent).await;
    let stored = report::Entity::find()
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.consent_version.as_deref(), Some(NOTICE_VERSION));
    assert_eq!(stored.consented_on, NaiveDate::from_ymd_opt(2026, 11, 27));

    // A tip needs none and records none.
    submit_anonymous(&app, "Nhân viên không đeo thẻ khi ghi chỉ số công tơ.").await;
    let tip = report::Entity::find_by_id(2)
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(tip.consent_version, None);
}

#[rocket::async_test]
async fn a_reporter_sees_corrects_and_withdraws_their_identity() {
    let app = TestApp::spawn().await;
    let (code, id) = report_at(&app, "PCHK-PGDHANGBAC", "delay", &NAMED).await;
    assert_eq!(case(&app, id).await.track, "candidate");
    assert_eq!(open_follow_up(&app, &code).await, Status::SeeOther);

    let (status, page) = app.get_text("/follow-up/my-data").await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("Phạm Thị Tố Giác"));
    assert!(page.contains("9 Hàng Bạc, Hoàn Kiếm"));
    assert!(page.contains(NOTICE_VERSION));
    assert_eq!(audited(&app, "personal_data_viewed").await, 1);

    let bad = app
        .post_form(
            "/follow-up/my-data/contact",
            &[
                ("full_name", "Phạm Thị Tố Giác"),
                ("address", "9 Hàng Bạc, Hoàn Kiếm"),
                ("phone", "abc"),
            ],
        )
        .await;
    assert_eq!(bad.status(), Status::UnprocessableEntity);
    assert!(bad.into_string().await.unwrap().contains("value=\"abc\""));
    let fixed = app
        .post_form(
            "/follow-up/my-data/contact",
            &[
                ("full_name", "Phạm Thị Tố Giác"),
                ("address", "10 Hàng Bạc, Hoàn Kiếm"),
                ("phone", "0988 777 000"),
            ],
        )
        .await;
    assert_eq!(fixed.status(), Status::SeeOther);
    let (_, page) = app.get_text("/follow-up/my-data").await;
    assert!(page.contains("10 Hàng Bạc, Hoàn Kiếm"));
    assert!(page.contains("0988 777 000"));
    assert_eq!(audited(&app, "identity_corrected").await, 1);
    let audit = app.dump_database().await;
    assert!(
        !audit.contains("0988 777 000"),
        "audited without content, never stored in clear"
    );

    let sealed = reporter_identity::Entity::find()
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .sealed;
    let unconfirmed = app
        .post_form("/follow-up/my-data/withdraw", &[("confirm", "false")])
        .await;
    assert_eq!(unconfirmed.status(), Status::UnprocessableEntity);
    assert_eq!(app.count("reporter_identity").await, 1);

    let withdrawn = app
        .post_form("/follow-up/my-data/withdraw", &[("confirm", "true")])
        .await;
    assert_eq!(withdrawn.status(), Status::SeeOther);
    assert_eq!(app.count("reporter_identity").await, 0);
    let row = report::Entity::find_by_id(id)
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.submission_kind, "anonymous");
    let c = case(&app, id).await;
    assert_eq!(c.track, "tip", "the case continues as a tip");
    assert!(c.staff_unread, "the team notices");
    assert_eq!(audited(&app, "identity_withdrawn").await, 1);
    let (_, page) = app.get_text("/follow-up/my-data").await;
    assert!(page.contains("Đơn này ẩn danh"));
    assert!(!page.contains("Phạm Thị Tố Giác"));
    let ledger = conduct_portal::case_management::retention::ledger(app.state())
        .entries()
        .unwrap();
    assert_eq!(ledger.len(), 1);
    assert_eq!(
        (ledger[0].kind, ledger[0].report),
        (Erasure::IdentityWithdrawal, id)
    );
    if app.is_sqlite() {
        let files = read_tree(app.data_dir.path());
        assert!(
            !contains(&files, &sealed),
            "the sealed identity is gone from the database files and their log"
        );
    }
}

/// A tip declined by the team lead, with a reporter's reply, a file and a named staff member.
async fn declined_tip(app: &TestApp) -> (i32, String) {
    let team = team_at(app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(app, team, "lead@evn.vn", &[Role::TeamLead]).await;
    let (_, category) = some_unit_and_category(app).await;
    let unit = unit_id(app, "PCHK-PGDHANGBAC").await.to_string();
    let jpeg = jpeg_with_exif("FILEMARKERPHOTO");
    let response = app
        .post_multipart(
            "/report",
            &[
                ("unit_id", unit.as_str()),
                ("occurred_on", "2026-11-20"),
                ("category_id", category.as_str()),
                (
                    "description",
                    "Mô tả DESCMARKERPURGE về nhân viên thu tiền.",
                ),
                ("staff_name", "Trịnh Văn Staffmarker"),
                ("identity", "anonymous"),
            ],
            &[Part {
                field: "files",
                file_name: "anh.jpg",
                bytes: &jpeg,
            }],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let (_, slip) = app.get_text("/report/receipt").await;
    let code = receipt_from(&slip).unwrap();
    let id = newest_case(app).await;
    assert_eq!(open_follow_up(app, &code).await, Status::SeeOther);
    app.post_form("/follow-up/reply", &[("body", "Trả lời REPLYMARKERPURGE.")])
        .await;
    become_user(app, "lead@evn.vn").await;
    let declined = act(
        app,
        id,
        "decline",
        &[("reason", "Lý do REASONMARKER không đủ.")],
    )
    .await;
    assert_eq!(declined, Status::SeeOther);
    assert_eq!(case(app, id).await.status, "declined");
    (id, code)
}

const MARKERS: [&str; 5] = [
    "DESCMARKERPURGE",
    "Staffmarker",
    "REPLYMARKERPURGE",
    "REASONMARKER",
    "FILEMARKERPHOTO",
];

async fn rollups(app: &TestApp) -> String {
    let db = app.state().db.conn();
    let mut out = String::new();
    for table in ["case_rollup", "close_histogram", "due_rollup"] {
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT * FROM {table} ORDER BY 1, 2, 3"),
            ))
            .await
            .unwrap();
        out.push_str(&format!("{table}: {rows:?}\n"));
    }
    out
}

#[rocket::async_test]
async fn a_purge_after_warning_leaves_no_trace_and_the_figures_unchanged() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let (id, code) = declined_tip(&app).await;
    let before = rollups(&app).await;
    let state = app.state();

    // Five years on (a tip without substance), less the thirty days' warning.
    app.clock.advance(Duration::days(365 * 5 - 25));
    let dry = run(state, true).await.unwrap();
    assert_eq!(dry["tip_no_substance"].warned, 1);
    assert!(
        case(&app, id).await.retention_warned_on.is_none(),
        "a dry run changes nothing"
    );
    let warned = run(state, false).await.unwrap();
    assert_eq!(warned["tip_no_substance"].warned, 1);
    assert_eq!(warned["tip_no_substance"].purged, 0);
    run(state, false).await.unwrap();
    let told = notification::Entity::find()
        .filter(notification::Column::Kind.eq("retention-warning"))
        .count(state.db.conn())
        .await
        .unwrap();
    assert_eq!(
        told, 1,
        "the team lead is told once, through the outbox, however often the run comes"
    );
    become_user(&app, "lead@evn.vn").await;
    let (_, page) = app.get_text("/cases/retention").await;
    assert!(
        page.contains("27&#x2F;11&#x2F;2031"),
        "the due day is listed for the team lead"
    );

    // Due, but warned only 25 days ago: kept until the warning is 30 days old.
    app.clock.advance(Duration::days(26));
    assert_eq!(
        run(state, false).await.unwrap()["tip_no_substance"].purged,
        0
    );
    app.clock.advance(Duration::days(5));
    assert_eq!(
        run(state, false).await.unwrap()["tip_no_substance"].purged,
        1
    );

    let c = case(&app, id).await;
    assert!(c.purged_at.is_some());
    assert_eq!(c.status, "declined", "what the figures need stays");
    assert_eq!(app.count("report_key").await, 0);
    assert_eq!(app.count("evidence_file").await, 0);
    assert_eq!(app.count("message").await, 0);
    assert_eq!(
        rollups(&app).await,
        before,
        "the figures of past months do not change"
    );
    let database = app.dump_database().await;
    for marker in MARKERS {
        assert!(!database.contains(marker), "{marker} left in the database");
    }
    let files = read_tree(app.data_dir.path());
    for marker in MARKERS {
        assert!(
            !contains(&files, marker.as_bytes()),
            "{marker} left on disk"
        );
    }
    let objects = app.data_dir.path().join("objects");
    assert!(
        !objects.exists() || read_tree(&objects).is_empty(),
        "every object of the case is deleted"
    );
    assert_eq!(
        open_follow_up(&app, &code).await,
        Status::UnprocessableEntity
    );
    become_user(&app, "lead@evn.vn").await;
    let (status, page) = app.get_text(&format!("/cases/{id}")).await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("đã được xóa"));
    assert_eq!(audited(&app, "case_purged").await, 1);

    // The ledger replays cleanly: the purge again, and a report this database never held.
    let mut entries = conduct_portal::case_management::retention::ledger(state)
        .entries()
        .unwrap();
    assert_eq!(entries.len(), 1);
    entries.push(LedgerEntry {
        report: id + 1000,
        ..entries[0].clone()
    });
    let replayed = conduct_portal::case_management::retention::replay(state, &entries).await;
    assert_eq!(replayed.unwrap(), 0);
    // And the portal starts again over a purged case (start-up seals legacy text).
    let again = conduct_portal::app::prepare(
        base_figment(app.data_dir.path(), &app.database_url),
        std::sync::Arc::new(app.clock.clone()),
    )
    .await;
    assert!(again.is_ok(), "start-up after a purge");
}

#[rocket::async_test]
async fn a_legal_hold_stops_the_purge_until_lifted_with_confirmation() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let (id, _) = declined_tip(&app).await;
    let state = app.state();
    app.clock.advance(Duration::days(365 * 5 - 25));
    run(state, false).await.unwrap();
    become_user(&app, "lead@evn.vn").await;

    let short = app
        .post_form(&format!("/cases/{id}/legal-hold"), &[("reason", "x")])
        .await;
    assert_eq!(short.status(), Status::UnprocessableEntity);
    let held = app
        .post_form(
            &format!("/cases/{id}/legal-hold"),
            &[("reason", "Người bị tố cáo đang khởi kiện tại tòa")],
        )
        .await;
    assert_eq!(held.status(), Status::SeeOther);
    assert_eq!(audited(&app, "legal_hold_set").await, 1);

    app.clock.advance(Duration::days(400));
    let counts = run(state, false).await.unwrap();
    assert_eq!(
        (
            counts["tip_no_substance"].held,
            counts["tip_no_substance"].purged
        ),
        (1, 0)
    );
    assert!(case(&app, id).await.purged_at.is_none());

    become_user(&app, "lead@evn.vn").await;
    let (_, page) = app.get_text("/cases/retention").await;
    assert!(page.contains("khởi kiện tại tòa"));
    let unconfirmed = app
        .post_form(&format!("/cases/{id}/legal-hold/lift"), &[])
        .await;
    assert_eq!(unconfirmed.status(), Status::UnprocessableEntity);
    let lifted = app
        .post_form(
            &format!("/cases/{id}/legal-hold/lift"),
            &[("confirm", "true")],
        )
        .await;
    assert_eq!(lifted.status(), Status::SeeOther);
    assert_eq!(
        run(state, false).await.unwrap()["tip_no_substance"].purged,
        1
    );

    // Another team's lead cannot hold it (404, as for any case out of reach).
    let other = team_at(&app, "PCHAIPHONG", "Tổ Hải Phòng").await;
    member(&app, other, "other.lead@evn.vn", &[Role::TeamLead]).await;
    become_user(&app, "other.lead@evn.vn").await;
    let refused = app
        .post_form(
            &format!("/cases/{id}/legal-hold"),
            &[("reason", "Không phải tổ của tôi")],
        )
        .await;
    assert_eq!(refused.status(), Status::NotFound);
}
