//! `/cases`, `/custodian`, and the reporter's side of each step: routing, conflict of interest,
//! the workflow through the UI, deadlines, messages and notes, the identity custodian.

use chrono::{TimeZone, Utc};
use conduct_portal::domain::roles::Role;
use conduct_portal::platform::persistence::entities::{
    app_user, audit_log, case_file, inspection_team, org_unit, staff_member, team_member,
    violation_category,
};
use rocket::http::Status;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use crate::support::*;

async fn unit(app: &TestApp, code: &str) -> org_unit::Model {
    org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq(code))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
}

async fn category(app: &TestApp, code: &str) -> i32 {
    violation_category::Entity::find()
        .filter(violation_category::Column::Code.eq(code))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn team_of(app: &TestApp, unit_code: &str) -> i32 {
    let unit = unit(app, unit_code).await;
    inspection_team::Entity::find()
        .filter(inspection_team::Column::OrgUnitId.eq(unit.id))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .id
}

pub(crate) async fn report_at(
    app: &TestApp,
    unit_code: &str,
    category_code: &str,
    extra: &[(&str, &str)],
) -> (String, i32) {
    let unit = unit(app, unit_code).await.id.to_string();
    let category = category(app, category_code).await.to_string();
    let mut fields = vec![
        ("unit_id", unit.as_str()),
        ("occurred_on", "2026-11-20"),
        ("category_id", category.as_str()),
        (
            "description",
            "Nhân viên ghi chỉ số gây khó khăn, đòi bồi dưỡng mới làm.",
        ),
    ];
    if !extra.iter().any(|(name, _)| *name == "identity") {
        fields.push(("identity", "anonymous"));
    }
    fields.extend_from_slice(extra);
    let code = submit(app, &fields).await;
    let id = case_file::Entity::find()
        .all(app.state().db.conn())
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.report_id)
        .max()
        .unwrap();
    (code, id)
}

pub(crate) async fn case(app: &TestApp, report_id: i32) -> case_file::Model {
    case_file::Entity::find()
        .filter(case_file::Column::ReportId.eq(report_id))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
}

/// The denouncer's part of a named report.
pub(crate) const NAMED: [(&str, &str); 5] = [
    ("identity", "named"),
    ("full_name", "Phạm Thị Tố Giác"),
    ("address", "9 Hàng Bạc, Hoàn Kiếm"),
    ("phone", "0988 777 666"),
    ("consent", "true"),
];

/// The signed-in worker verifies the denouncer of a named report by phone: a denunciation.
pub(crate) async fn verify(app: &TestApp, id: i32) {
    let verified = act(app, id, "verify-denouncer", &[("method", "phone")]).await;
    assert_eq!(verified, Status::SeeOther);
}

pub(crate) async fn act(app: &TestApp, id: i32, action: &str, fields: &[(&str, &str)]) -> Status {
    app.post_form(&format!("/cases/{id}/actions/{action}"), fields)
        .await
        .status()
}

#[rocket::async_test]
async fn a_report_goes_to_the_team_of_its_unit_and_an_inspector_takes_it_from_received_to_closed() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ thanh tra PC Hoàn Kiếm").await;
    member(&app, team, "thanhtra@evn.vn", &[Role::Inspector]).await;
    member(&app, team, "truongdoan@evn.vn", &[Role::TeamLead]).await;
    let (code, id) = report_at(&app, "PCHK-PGDHANGBAC", "rude", &[]).await;
    assert_eq!(case(&app, id).await.team_id, Some(team));

    sign_in(&app, "thanhtra@evn.vn").await;
    let (status, inbox) = app.get_text("/cases").await;
    assert_eq!(status, Status::Ok);
    assert!(inbox.contains(&format!("/cases/{id}")));
    let (status, page) = app.get_text(&format!("/cases/{id}")).await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("Tổ thanh tra PC Hoàn Kiếm"));
    assert!(
        page.contains("Tổ của đơn vị PCHOANKIEM"),
        "routing explained"
    );
    // Tera escapes "/" in text.
    assert!(
        page.contains("08&#x2F;12&#x2F;2026"),
        "acceptance due in 7 working days"
    );
    assert!(page.contains("Điều"), "cited culture-code articles");
    assert_eq!(audited(&app, "case_viewed").await, 1);

    assert_eq!(act(&app, id, "accept", &[]).await, Status::SeeOther);
    assert_eq!(
        act(&app, id, "accept", &[]).await,
        Status::Conflict,
        "not twice"
    );
    let c = case(&app, id).await;
    assert_eq!(c.status, "accepted");
    // Day 30 is Sunday 27/12/2026: the period ends on Monday 28/12 (Civil Code Art. 148).
    assert_eq!(c.resolution_due.unwrap().to_string(), "2026-12-28");
    assert_eq!(
        act(&app, id, "start-investigation", &[]).await,
        Status::SeeOther
    );
    assert_eq!(
        act(&app, id, "ask-reporter", &[("message", "")]).await,
        Status::UnprocessableEntity
    );
    assert_eq!(
        act(
            &app,
            id,
            "ask-reporter",
            &[("message", "Anh/chị có hóa đơn tháng 10 không?")]
        )
        .await,
        Status::SeeOther
    );

    // The reporter sees the question and answers it.
    let reporter = rocket::local::asynchronous::Client::tracked(
        conduct_portal::app::build(
            base_figment(app.data_dir.path(), &app.database_url),
            std::sync::Arc::new(app.clock.clone()),
        )
        .await
        .unwrap(),
    )
    .await
    .unwrap();
    let page = reporter
        .get("/follow-up")
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    let token = csrf_from(&page).unwrap();
    let response = reporter
        .post("/follow-up")
        .header(rocket::http::ContentType::Form)
        .body(format!("csrf_token={token}&receipt={code}"))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let status_page = reporter
        .get("/follow-up/status")
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    assert!(status_page.contains("Chờ Quý khách trả lời"));
    assert!(status_page.contains("Anh&#x2F;chị có hóa đơn tháng 10 không?"));
    assert!(status_page.contains("Phản ánh được tiếp nhận xử lý"));
    let response = reporter
        .post("/follow-up/reply")
        .header(rocket::http::ContentType::Form)
        .body(format!(
            "csrf_token={token}&body=C%C3%B3%2C+t%C3%B4i+g%E1%BB%ADi+k%C3%A8m."
        ))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert!(
        case(&app, id).await.staff_unread,
        "the team sees an unread marker"
    );

    assert_eq!(
        act(&app, id, "resume-investigation", &[]).await,
        Status::SeeOther
    );
    assert_eq!(
        act(
            &app,
            id,
            "conclude",
            &[
                ("finding", "substantiated"),
                ("summary", "Xác minh đúng; đã xử lý nhân viên.")
            ]
        )
        .await,
        Status::SeeOther
    );
    assert_eq!(
        act(&app, id, "close", &[]).await,
        Status::Forbidden,
        "an inspector cannot close"
    );
    become_user(&app, "truongdoan@evn.vn").await;
    assert_eq!(act(&app, id, "close", &[]).await, Status::SeeOther);
    let c = case(&app, id).await;
    assert_eq!(c.status, "closed");
    assert!(c.closed_at.is_some());

    let status_page = reporter
        .get("/follow-up/status")
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    for step in [
        "Phản ánh được tiếp nhận",
        "Phản ánh được tiếp nhận xử lý",
        "Đang xác minh",
        "Chờ người phản ánh trả lời",
        "Đã có kết luận",
        "Hồ sơ đã đóng",
    ] {
        assert!(status_page.contains(step), "{step}");
    }
    assert!(status_page.contains("Xác minh đúng; đã xử lý nhân viên."));
    for action in [
        "case_accept",
        "case_start_investigation",
        "case_ask_reporter",
        "case_resume_investigation",
        "case_conclude",
        "case_close",
    ] {
        assert_eq!(audited(&app, action).await, 1, "{action}");
    }
}

#[rocket::async_test]
async fn a_reporter_never_sees_an_internal_note() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ PC Hoàn Kiếm").await;
    member(&app, team, "ghi.chu@evn.vn", &[Role::Inspector]).await;
    let (code, id) = report_at(&app, "PCHK-PGDHANGBAC", "billing", &[]).await;
    sign_in(&app, "ghi.chu@evn.vn").await;
    let response = app
        .post_form(
            &format!("/cases/{id}/messages"),
            &[
                ("body", "NOTE-SECRET nghi vấn móc ngoặc"),
                ("internal", "true"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let response = app
        .post_form(
            &format!("/cases/{id}/messages"),
            &[("body", "Chúng tôi đang kiểm tra công tơ.")],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let (_, page) = app.get_text(&format!("/cases/{id}")).await;
    assert!(page.contains("NOTE-SECRET"), "the team sees its note");

    app.post_form("/staff/sign-out", &[]).await;
    assert_eq!(open_follow_up(&app, &code).await, Status::SeeOther);
    let (_, status_page) = app.get_text("/follow-up/status").await;
    assert!(status_page.contains("Chúng tôi đang kiểm tra công tơ."));
    assert!(!status_page.contains("NOTE-SECRET"));
    assert!(!status_page.contains("ghi chú nội bộ"));
}

#[rocket::async_test]
async fn an_inspector_of_another_team_gets_404_on_the_case_page_and_every_action() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let mine = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    let other = team_at(&app, "PCBADINH", "Tổ Ba Đình").await;
    member(
        &app,
        mine,
        "cua.toi@evn.vn",
        &[Role::Inspector, Role::TeamLead],
    )
    .await;
    member(
        &app,
        other,
        "nguoi.ngoai@evn.vn",
        &[Role::Inspector, Role::TeamLead],
    )
    .await;
    let (_, id) = report_at(&app, "PCHK-PGDTRANGTIEN", "rude", &[]).await;
    sign_in(&app, "nguoi.ngoai@evn.vn").await;
    let (status, _) = app.get_text(&format!("/cases/{id}")).await;
    assert_eq!(status, Status::NotFound);
    let (_, inbox) = app.get_text("/cases").await;
    assert!(!inbox.contains(&format!("/cases/{id}\"")));
    for action in conduct_portal::domain::workflow::Action::ALL {
        let status = act(
            &app,
            id,
            &action.slug(),
            &[("reason", "lý do đủ dài"), ("message", "câu hỏi")],
        )
        .await;
        assert_eq!(status, Status::NotFound, "{action:?}");
    }
    for path in ["messages", "links", "identity-requests"] {
        let status = app
            .post_form(
                &format!("/cases/{id}/{path}"),
                &[
                    ("body", "x"),
                    ("reference", "1"),
                    ("reason", "lý do rất dài ở đây"),
                ],
            )
            .await
            .status();
        assert_eq!(status, Status::NotFound, "{path}");
    }
    let (status, _) = app.get_text(&format!("/cases/{id}/identity")).await;
    assert_eq!(status, Status::NotFound);
    assert_eq!(case(&app, id).await.status, "received", "nothing changed");
}

#[rocket::async_test]
async fn severe_categories_and_the_level_above_route_upwards_with_an_explanation() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let local = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    let hanoi_board = team_of(&app, "EVNHANOI").await;
    let (_, bribery) = report_at(&app, "PCHK-PGDHANGBAC", "bribery", &[]).await;
    assert_eq!(
        case(&app, bribery).await.team_id,
        Some(hanoi_board),
        "severe → corporation board"
    );
    let (_, rude) = report_at(&app, "PCHK-PGDHANGBAC", "rude", &[]).await;
    assert_eq!(case(&app, rude).await.team_id, Some(local));
    let (_, above) = report_at(&app, "PCHOANKIEM", "rude", &[("escalate", "true")]).await;
    assert_eq!(
        case(&app, above).await.team_id,
        Some(hanoi_board),
        "one level up"
    );

    member(&app, hanoi_board, "ban.tt@evn.vn", &[Role::Inspector]).await;
    sign_in(&app, "ban.tt@evn.vn").await;
    let (_, page) = app.get_text(&format!("/cases/{bribery}")).await;
    assert!(page.contains("vi phạm nghiêm trọng"), "severity explained");
    let (_, page) = app.get_text(&format!("/cases/{above}")).await;
    assert!(page.contains("đề nghị gửi lên cấp trên"));
}

#[rocket::async_test]
async fn a_named_staff_member_and_their_unit_colleagues_cannot_see_the_case_and_it_moves_up_when_nobody_is_left(
) {
    let app = TestApp::spawn_with(no_two_factor).await;
    let office = unit(&app, "PCHK-PGDHANGBAC").await;
    let now = app.state().clock.now();
    let mut staff_ids = Vec::new();
    for (number, name) in [("NV-0001", "Nguyễn Văn Bị"), ("NV-0002", "Trần Văn Đồng")] {
        staff_ids.push(
            staff_member::ActiveModel {
                employee_number: Set(number.into()),
                full_name: Set(name.into()),
                full_name_folded: Set(conduct_portal::domain::text::fold(name)),
                unit_id: Set(office.id),
                position: Set(None),
                active: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(app.state().db.conn())
            .await
            .unwrap()
            .id,
        );
    }
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    let named = member(&app, team, "bi.neu.ten@evn.vn", &[Role::Inspector]).await;
    let colleague = member(&app, team, "dong.nghiep@evn.vn", &[Role::Inspector]).await;
    for (user, staff) in [(named, staff_ids[0]), (colleague, staff_ids[1])] {
        let mut active = app_user::Entity::find_by_id(user)
            .one(app.state().db.conn())
            .await
            .unwrap()
            .unwrap()
            .into_active_model();
        active.staff_member_id = Set(Some(staff));
        active.update(app.state().db.conn()).await.unwrap();
    }
    member(&app, team, "doc.lap@evn.vn", &[Role::Inspector]).await;

    let (_, id) = report_at(
        &app,
        "PCHK-PGDHANGBAC",
        "rude",
        &[("staff_number", "nv-0001")],
    )
    .await;
    assert_eq!(
        case(&app, id).await.team_id,
        Some(team),
        "an independent member is left"
    );
    assert_eq!(
        case(&app, id).await.named_staff_member_id,
        Some(staff_ids[0])
    );
    for email in ["bi.neu.ten@evn.vn", "dong.nghiep@evn.vn"] {
        sign_in(&app, email).await;
        let (status, _) = app.get_text(&format!("/cases/{id}")).await;
        assert_eq!(status, Status::NotFound, "{email}");
        let (_, inbox) = app.get_text("/cases").await;
        assert!(!inbox.contains(&format!("/cases/{id}\"")), "{email}");
    }
    sign_in(&app, "doc.lap@evn.vn").await;
    assert_eq!(app.get_text(&format!("/cases/{id}")).await.0, Status::Ok);
    assert_eq!(act(&app, id, "accept", &[]).await, Status::SeeOther);
    let (_, page) = app.get_text(&format!("/cases/{id}")).await;
    // Nobody is offered a case they could not open; on a case naming nobody they are.
    let offered = |page: &str, user: i32| page.contains(&format!("<option value=\"{user}\">"));
    let independent = app_user::Entity::find()
        .filter(app_user::Column::Email.eq("doc.lap@evn.vn"))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .id;
    assert!(page.contains("name=\"assignee\""), "the assign form");
    assert!(offered(&page, independent));
    assert!(!offered(&page, named) && !offered(&page, colleague));
    let (_, other) = report_at(&app, "PCHK-PGDHANGBAC", "rude", &[]).await;
    assert_eq!(act(&app, other, "accept", &[]).await, Status::SeeOther);
    let (_, page) = app.get_text(&format!("/cases/{other}")).await;
    assert!(page.contains("name=\"assignee\""), "the assign form");
    assert!(offered(&page, named) && offered(&page, colleague));

    // Without the independent member the team has nobody eligible: the case goes up.
    team_member::Entity::delete_many()
        .filter(
            team_member::Column::UserId.eq(app_user::Entity::find()
                .filter(app_user::Column::Email.eq("doc.lap@evn.vn"))
                .one(app.state().db.conn())
                .await
                .unwrap()
                .unwrap()
                .id),
        )
        .exec(app.state().db.conn())
        .await
        .unwrap();
    let (_, id2) = report_at(
        &app,
        "PCHK-PGDHANGBAC",
        "rude",
        &[("staff_number", "NV-0001")],
    )
    .await;
    assert_eq!(
        case(&app, id2).await.team_id,
        Some(team_of(&app, "EVNHANOI").await)
    );
    let routed = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("case_routed"))
        .filter(audit_log::Column::ObjectId.eq(id2.to_string()))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    assert!(routed.details.unwrap().contains("skipped_for_conflict\":["));
}

/// An extension form: days, reason, complexity grade, decision number.
fn extension<'a>(days: &'a str, reason: &'a str, grade: &'a str) -> [(&'a str, &'a str); 4] {
    [
        ("days", days),
        ("reason", reason),
        ("complexity", grade),
        ("decision_number", "12/QĐ-TTr"),
    ]
}

#[rocket::async_test]
async fn a_complex_case_is_extended_once_a_very_complex_one_twice_by_numbered_decisions() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(&app, team, "lead@evn.vn", &[Role::TeamLead]).await;
    let (code, id) = report_at(&app, "PCHK-PGDHANGBAC", "delay", &NAMED).await;
    sign_in(&app, "lead@evn.vn").await;
    verify(&app, id).await;
    act(&app, id, "accept", &[]).await;
    let extend = "extend-deadline";
    let too_long = extension("31", "Vụ việc phức tạp", "complex");
    assert_eq!(
        act(&app, id, extend, &too_long).await,
        Status::UnprocessableEntity
    );
    let ungraded = extension("30", "Cần xác minh thêm hồ sơ", "");
    let refused = app
        .post_form(&format!("/cases/{id}/actions/{extend}"), &ungraded)
        .await;
    assert_eq!(refused.status(), Status::UnprocessableEntity);
    assert!(refused
        .into_string()
        .await
        .unwrap()
        .contains("khoản 1 Điều 30"));
    let first = extension("30", "Cần xác minh thêm hồ sơ", "complex");
    assert_eq!(act(&app, id, extend, &first).await, Status::SeeOther);
    // Accepted 27/11/2026; with 30 days more the period is 60 days and ends on 26/01/2027.
    assert_eq!(
        case(&app, id).await.resolution_due.unwrap().to_string(),
        "2027-01-26"
    );
    // Complex: once only. Graded very complex, a second one.
    let again = extension("10", "Vụ việc phức tạp", "complex");
    assert_eq!(
        act(&app, id, extend, &again).await,
        Status::UnprocessableEntity
    );
    let second = extension("10", "Vụ việc đặc biệt phức tạp", "very_complex");
    assert_eq!(act(&app, id, extend, &second).await, Status::SeeOther);
    // Day 70 is Friday 5/2/2027, Tết; the days in lieu run to 11/2: the period ends on 12/2.
    assert_eq!(
        case(&app, id).await.resolution_due.unwrap().to_string(),
        "2027-02-12"
    );
    let third = app
        .post_form(
            &format!("/cases/{id}/actions/{extend}"),
            &extension("5", "Thêm lần nữa", "very_complex"),
        )
        .await;
    assert_eq!(third.status(), Status::UnprocessableEntity);
    assert!(third.into_string().await.unwrap().contains("tối đa số lần"));
    let (_, page) = app.get_text(&format!("/cases/{id}")).await;
    assert!(
        page.contains("quyết định số 12&#x2F;QĐ-TTr"),
        "the decision is listed"
    );
    assert!(page.contains("Đặc biệt phức tạp"));

    app.post_form("/staff/sign-out", &[]).await;
    open_follow_up(&app, &code).await;
    let (_, page) = app.get_text("/follow-up/status").await;
    assert!(page.contains("Cần xác minh thêm hồ sơ"));
    assert!(page.contains("Gia hạn thời hạn giải quyết"));
}

#[rocket::async_test]
async fn the_inbox_search_ignores_diacritics_and_filters_by_status() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(&app, team, "tim.kiem@evn.vn", &[Role::Inspector]).await;
    let (_, first) = report_at(
        &app,
        "PCHK-PGDHANGBAC",
        "rude",
        &[("staff_name", "Lê Thị Hồng Nhung")],
    )
    .await;
    let (_, second) = report_at(&app, "PCHK-PGDCUANAM", "billing", &[]).await;
    sign_in(&app, "tim.kiem@evn.vn").await;
    let (_, page) = app.get_text("/cases?q=hong+nhung").await;
    assert!(page.contains(&format!("/cases/{first}\"")));
    assert!(!page.contains(&format!("/cases/{second}\"")));
    act(&app, second, "accept", &[]).await;
    let (_, page) = app.get_text("/cases?status=accepted").await;
    assert!(page.contains(&format!("/cases/{second}\"")));
    assert!(!page.contains(&format!("/cases/{first}\"")));
    app.clock.advance(chrono::Duration::days(12));
    sign_in(&app, "tim.kiem@evn.vn").await;
    let (_, page) = app.get_text("/cases?deadline=overdue").await;
    assert!(
        page.contains(&format!("/cases/{first}\"")),
        "acceptance overdue"
    );
    assert!(
        !page.contains(&format!("/cases/{second}\"")),
        "resolution not yet due"
    );
}

#[rocket::async_test]
async fn the_custodian_decides_before_an_inspector_sees_a_denouncers_identity() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(&app, team, "hoi.danh.tinh@evn.vn", &[Role::Inspector]).await;
    create_user(&app, "giu.bi.mat@evn.vn", &[Role::Custodian]).await;
    let (_, id) = report_at(&app, "PCHK-PGDHANGBAC", "rude", &NAMED).await;
    sign_in(&app, "hoi.danh.tinh@evn.vn").await;
    let (_, page) = app.get_text(&format!("/cases/{id}")).await;
    assert!(page.contains("đã cung cấp danh tính"));
    assert!(!page.contains("Phạm Thị Tố Giác"));
    assert_eq!(
        app.get_text(&format!("/cases/{id}/identity")).await.0,
        Status::NotFound
    );
    let short = app
        .post_form(
            &format!("/cases/{id}/identity-requests"),
            &[("reason", "ngắn")],
        )
        .await;
    assert_eq!(short.status(), Status::UnprocessableEntity);
    let response = app
        .post_form(
            &format!("/cases/{id}/identity-requests"),
            &[("reason", "Cần đối chất trực tiếp với người tố cáo")],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(
        app.get_text(&format!("/cases/{id}/identity")).await.0,
        Status::NotFound,
        "pending"
    );

    become_user(&app, "giu.bi.mat@evn.vn").await;
    let (_, list) = app.get_text("/custodian").await;
    assert!(list.contains("Cần đối chất trực tiếp"));
    assert!(
        !list.contains("Phạm Thị Tố Giác"),
        "the custodian does not see the identity"
    );
    let request_id =
        conduct_portal::platform::persistence::entities::identity_request::Entity::find()
            .one(app.state().db.conn())
            .await
            .unwrap()
            .unwrap()
            .id;
    let response = app
        .post_form(
            &format!("/custodian/requests/{request_id}/approve"),
            &[("note", "Đồng ý")],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);

    become_user(&app, "hoi.danh.tinh@evn.vn").await;
    let (status, page) = app.get_text(&format!("/cases/{id}/identity")).await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("Phạm Thị Tố Giác"));
    assert!(page.contains("0988 777 666"));
    for action in [
        "identity_requested",
        "identity_request_approved",
        "identity_viewed",
    ] {
        assert_eq!(audited(&app, action).await, 1, "{action}");
    }

    // An approval runs out after a day, like one for a photo's original.
    app.clock.advance(chrono::Duration::hours(25));
    become_user(&app, "hoi.danh.tinh@evn.vn").await;
    assert_eq!(
        app.get_text(&format!("/cases/{id}/identity")).await.0,
        Status::NotFound,
        "expired"
    );
}

#[rocket::async_test]
async fn an_anonymous_reporter_can_disclose_identity_later_and_only_once() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let (code, id) = report_at(&app, "PCHK-PGDHANGBAC", "rude", &[]).await;
    open_follow_up(&app, &code).await;
    let (_, page) = app.get_text("/follow-up/disclose").await;
    assert!(page.contains("rút lại danh tính bất cứ lúc nào"));
    assert!(page.contains("href=\"/privacy\""));
    let response = app
        .post_form(
            "/follow-up/disclose",
            &[
                ("full_name", "Võ Văn Công Khai"),
                ("address", "1 Tràng Tiền"),
                ("phone", "0912000111"),
            ],
        )
        .await;
    assert_eq!(
        response.status(),
        Status::UnprocessableEntity,
        "must confirm"
    );
    assert!(response
        .into_string()
        .await
        .unwrap()
        .contains("value=\"Võ Văn Công Khai\""));
    let response = app
        .post_form(
            "/follow-up/disclose",
            &[
                ("full_name", "Võ Văn Công Khai"),
                ("address", "1 Tràng Tiền"),
                ("phone", "0912000111"),
                ("confirm", "true"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(app.count("reporter_identity").await, 1);
    let identity = conduct_portal::case_management::routes::reveal_identity(app.state(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(identity.full_name, "Võ Văn Công Khai");
    // The tip becomes a denunciation candidate, to be verified (Law on Denunciations, Art. 23).
    assert_eq!(case(&app, id).await.track, "candidate");
    let response = app.client.get("/follow-up/disclose").dispatch().await;
    assert_eq!(response.status(), Status::SeeOther, "already named");
    assert!(!app.dump_database().await.contains("Công Khai"), "sealed");
}

#[rocket::async_test]
async fn other_cases_naming_the_same_employee_show_as_a_repeat_pattern_and_cases_can_be_linked() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(&app, team, "lap.lai@evn.vn", &[Role::Inspector]).await;
    let (_, first) = report_at(
        &app,
        "PCHK-PGDHANGBAC",
        "rude",
        &[("staff_name", "Đinh Văn Lặp")],
    )
    .await;
    let (_, second) = report_at(
        &app,
        "PCHK-PGDHANGBAC",
        "billing",
        &[("staff_name", "dinh van lap")],
    )
    .await;
    let (_, third) = report_at(&app, "PCHK-PGDCUANAM", "billing", &[]).await;
    sign_in(&app, "lap.lai@evn.vn").await;
    let (_, page) = app.get_text(&format!("/cases/{second}")).await;
    assert!(
        page.contains(&format!("/cases/{first}\"")),
        "same normalised name, same unit"
    );
    let reference = format!("PA-2026-{third:06}");
    let response = app
        .post_form(
            &format!("/cases/{second}/links"),
            &[("reference", reference.as_str())],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let (_, page) = app.get_text(&format!("/cases/{third}")).await;
    assert!(
        page.contains(&format!("/cases/{second}\"")),
        "the link shows on both sides"
    );
    let response = app
        .post_form(
            &format!("/cases/{second}/links"),
            &[("reference", "PA-2026-999999")],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
}

#[rocket::async_test]
async fn a_team_lead_sees_the_clocks_of_the_team_and_escalates_to_the_level_above() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(&app, team, "tong.quan@evn.vn", &[Role::TeamLead]).await;
    let (_, id) = report_at(&app, "PCHK-PGDHANGBAC", "rude", &[]).await;
    sign_in(&app, "tong.quan@evn.vn").await;
    app.clock.advance(chrono::Duration::days(9));
    sign_in(&app, "tong.quan@evn.vn").await;
    let (status, page) = app.get_text("/cases/overview").await;
    assert_eq!(status, Status::Ok);
    assert!(
        page.contains(&format!("/cases/{id}\"")),
        "at risk: 90 % of the acceptance clock"
    );
    assert_eq!(
        act(&app, id, "escalate", &[("reason", "Cần cấp trên xử lý")]).await,
        Status::SeeOther
    );
    let c = case(&app, id).await;
    assert_eq!(c.team_id, Some(team_of(&app, "EVNHANOI").await));
    assert!(c.second_level);
    assert_eq!(
        app.get_text(&format!("/cases/{id}")).await.0,
        Status::NotFound,
        "out of the old team's reach"
    );
}

#[rocket::async_test]
async fn an_inspector_confirming_the_staff_member_excludes_that_person_at_once() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let office = unit(&app, "PCHK-PGDCUANAM").await;
    let now = app.state().clock.now();
    let staff = staff_member::ActiveModel {
        employee_number: Set("HK-777".into()),
        full_name: Set("Hoàng Văn Xác".into()),
        full_name_folded: Set("hoang van xac".into()),
        unit_id: Set(office.id),
        position: Set(None),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(app.state().db.conn())
    .await
    .unwrap();
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    let named = member(&app, team, "xac@evn.vn", &[Role::Inspector]).await;
    let mut active = app_user::Entity::find_by_id(named)
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    active.staff_member_id = Set(Some(staff.id));
    active.update(app.state().db.conn()).await.unwrap();
    member(&app, team, "xac.nhan@evn.vn", &[Role::Inspector]).await;
    let (_, id) = report_at(&app, "PCHK-PGDCUANAM", "rude", &[("staff_name", "anh Xác")]).await;

    sign_in(&app, "xac@evn.vn").await;
    assert_eq!(
        app.get_text(&format!("/cases/{id}")).await.0,
        Status::NotFound,
        "named by name only: already out of reach"
    );
    become_user(&app, "xac.nhan@evn.vn").await;
    let response = app
        .post_form(
            &format!("/cases/{id}/staff-member"),
            &[("employee_number", "hk-777")],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(case(&app, id).await.named_staff_member_id, Some(staff.id));
    become_user(&app, "xac@evn.vn").await;
    assert_eq!(
        app.get_text(&format!("/cases/{id}")).await.0,
        Status::NotFound
    );
    assert_eq!(audited(&app, "case_staff_member_confirmed").await, 1);
}

#[rocket::async_test]
async fn a_deadline_on_a_day_off_moves_to_the_next_working_day_and_an_extension_comes_before_it() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(&app, team, "lead@evn.vn", &[Role::TeamLead]).await;
    let (_, id) = report_at(&app, "PCHK-PGDHANGBAC", "delay", &NAMED).await;
    sign_in(&app, "lead@evn.vn").await;
    verify(&app, id).await;
    act(&app, id, "accept", &[]).await;
    // Accepted Friday 27/11/2026: day 30 is Sunday 27/12/2026.
    let due = case(&app, id).await.resolution_due.unwrap();
    assert_eq!(due.to_string(), "2026-12-28");
    let (_, page) = app.get_text(&format!("/cases/{id}")).await;
    assert!(
        page.contains("28&#x2F;12&#x2F;2026"),
        "the case page shows the moved date"
    );

    // The day after the due date, the period is over: no extension.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 29, 3, 0, 0).unwrap());
    become_user(&app, "lead@evn.vn").await;
    let late = app
        .post_form(
            &format!("/cases/{id}/actions/extend-deadline"),
            &extension("10", "Vụ việc phức tạp, cần xác minh thêm", "complex"),
        )
        .await;
    assert_eq!(late.status(), Status::UnprocessableEntity);
    assert!(late
        .into_string()
        .await
        .unwrap()
        .contains("chỉ được gia hạn chậm nhất vào ngày đến hạn"));
    assert_eq!(case(&app, id).await.resolution_due, Some(due));

    // On the due day itself it is still granted.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 28, 3, 0, 0).unwrap());
    become_user(&app, "lead@evn.vn").await;
    assert_eq!(
        act(
            &app,
            id,
            "extend-deadline",
            &extension("10", "Vụ việc phức tạp, cần xác minh thêm", "complex")
        )
        .await,
        Status::SeeOther
    );
    assert_eq!(
        case(&app, id).await.resolution_due.unwrap().to_string(),
        "2027-01-06"
    );
}

/// Art. 24(1): received Friday 27/11/2026, accepted within 7 working days (08/12) or, when
/// checks at several places are needed, within 10 (11/12), lengthened once and in time.
#[rocket::async_test]
async fn the_acceptance_period_is_lengthened_once_to_ten_working_days_before_it_runs_out() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(&app, team, "lead@evn.vn", &[Role::TeamLead]).await;
    let (_, id) = report_at(&app, "PCHK-PGDHANGBAC", "delay", &NAMED).await;
    let (_, late) = report_at(&app, "PCHK-PGDHANGBAC", "delay", &NAMED).await;
    sign_in(&app, "lead@evn.vn").await;
    verify(&app, id).await;
    verify(&app, late).await;
    assert_eq!(
        case(&app, id).await.acceptance_due.to_string(),
        "2026-12-08"
    );
    let lengthen = "lengthen-acceptance";
    assert_eq!(
        act(&app, id, lengthen, &[("reason", " ")]).await,
        Status::UnprocessableEntity
    );
    let reason = [("reason", "Cần xác minh tại ba điện lực")];
    assert_eq!(act(&app, id, lengthen, &reason).await, Status::SeeOther);
    assert_eq!(
        case(&app, id).await.acceptance_due.to_string(),
        "2026-12-11"
    );
    let again = app
        .post_form(&format!("/cases/{id}/actions/{lengthen}"), &reason)
        .await;
    assert_eq!(again.status(), Status::UnprocessableEntity);
    assert!(again
        .into_string()
        .await
        .unwrap()
        .contains("đã được kéo dài một lần"));
    let (_, page) = app.get_text(&format!("/cases/{id}")).await;
    assert!(page.contains("Đã kéo dài thời hạn thụ lý: Cần xác minh tại ba điện lực"));
    // The day after the 7th working day it is too late.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 9, 3, 0, 0).unwrap());
    become_user(&app, "lead@evn.vn").await;
    let refused = app
        .post_form(&format!("/cases/{late}/actions/{lengthen}"), &reason)
        .await;
    assert_eq!(refused.status(), Status::UnprocessableEntity);
    assert!(refused
        .into_string()
        .await
        .unwrap()
        .contains("khoản 1 Điều 24"));
    assert_eq!(
        case(&app, late).await.acceptance_due.to_string(),
        "2026-12-08"
    );
}

/// Law on Denunciations, Art. 22–25 (issue 12, item 1): an anonymous report is a tip, on the
/// service targets and without thụ lý wording; a named one is a tố cáo only once its
/// denouncer is verified, its legal periods counted from that day; one that cannot be
/// verified continues as a tip; each reporter sees the dates of their own track.
#[rocket::async_test]
async fn a_named_report_is_a_denunciation_only_once_verified_and_an_anonymous_one_stays_a_tip() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(&app, team, "lead@evn.vn", &[Role::TeamLead]).await;
    let (tip_code, tip) = report_at(&app, "PCHK-PGDHANGBAC", "delay", &[]).await;
    let (named_code, named) = report_at(&app, "PCHK-PGDHANGBAC", "delay", &NAMED).await;
    let (_, unverifiable) = report_at(&app, "PCHK-PGDHANGBAC", "delay", &NAMED).await;
    assert_eq!(case(&app, tip).await.track, "tip");
    assert_eq!(case(&app, named).await.track, "candidate");
    // Received Friday 27/11/2026: a result within 30 days, Sunday 27/12, so Monday 28/12.
    let result_due = case(&app, tip).await.resolution_due.map(|d| d.to_string());
    assert_eq!(result_due.as_deref(), Some("2026-12-28"));

    sign_in(&app, "lead@evn.vn").await;
    assert_eq!(act(&app, tip, "accept", &[]).await, Status::SeeOther);
    let (_, page) = app.get_text(&format!("/cases/{tip}")).await;
    assert!(page.contains("Chỉ tiêu phục vụ (phản ánh)"));
    assert!(page.contains("Hạn trả lời kết quả"));
    assert!(
        !page.contains("thụ lý") && !page.contains("Thụ lý"),
        "{page}"
    );
    assert!(!page.contains("Hạn giải quyết") && !page.contains("Hạn thông báo"));

    // The named report: no acceptance before the denouncer is verified.
    let (_, page) = app.get_text(&format!("/cases/{named}")).await;
    assert!(page.contains("Tố cáo chờ xác minh người tố cáo"));
    assert!(!page.contains(&format!("/cases/{named}/actions/accept\"")));
    let refused = app
        .post_form(&format!("/cases/{named}/actions/accept"), &[])
        .await;
    assert_eq!(refused.status(), Status::UnprocessableEntity);
    let text = refused.into_string().await.unwrap();
    assert!(text.contains("Cần xác minh người tố cáo trước khi thụ lý"));
    let no_method = act(&app, named, "verify-denouncer", &[]).await;
    assert_eq!(no_method, Status::UnprocessableEntity);
    // Verified on Monday 30/11: the legal periods count from that day.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 30, 3, 0, 0).unwrap());
    become_user(&app, "lead@evn.vn").await;
    verify(&app, named).await;
    let verified = case(&app, named).await;
    assert_eq!(verified.track, "denunciation");
    assert_eq!(verified.verified_via.as_deref(), Some("phone"));
    assert_eq!(verified.acceptance_due.to_string(), "2026-12-09");
    assert_eq!(act(&app, named, "accept", &[]).await, Status::SeeOther);
    let accepted = case(&app, named).await;
    assert_eq!(
        accepted.notify_due.map(|d| d.to_string()).as_deref(),
        Some("2026-12-07")
    );
    assert_eq!(
        accepted.resolution_due.map(|d| d.to_string()).as_deref(),
        Some("2026-12-30")
    );
    let (_, page) = app.get_text(&format!("/cases/{named}")).await;
    assert!(page.contains("Đã xác minh qua điện thoại"));

    // One that cannot be verified continues as a tip, on the targets from its receipt.
    let why = [("reason", "Số điện thoại không liên lạc được sau ba lần gọi")];
    assert_eq!(
        act(&app, unverifiable, "treat-as-tip", &why).await,
        Status::SeeOther
    );
    let continued = case(&app, unverifiable).await;
    assert_eq!(continued.track, "tip");
    let due = continued.resolution_due.map(|d| d.to_string());
    assert_eq!(due.as_deref(), Some("2026-12-28"));
    let again = act(
        &app,
        unverifiable,
        "verify-denouncer",
        &[("method", "phone")],
    )
    .await;
    assert_eq!(again, Status::UnprocessableEntity);

    // Each reporter reads the dates of their track.
    app.post_form("/staff/sign-out", &[]).await;
    open_follow_up(&app, &tip_code).await;
    let (_, page) = app.get_text("/follow-up/status").await;
    assert!(page.contains("Hạn trả lời kết quả (chỉ tiêu phục vụ của EVN)"));
    assert!(page.contains("28&#x2F;12&#x2F;2026"));
    assert!(
        !page.contains("thụ lý") && !page.contains("Thụ lý"),
        "{page}"
    );
    open_follow_up(&app, &named_code).await;
    let (_, page) = app.get_text("/follow-up/status").await;
    assert!(page.contains("Đã thụ lý"));
    assert!(page.contains("Hạn giải quyết tố cáo (Điều 30 Luật Tố cáo)"));
    assert!(page.contains("30&#x2F;12&#x2F;2026"));
}

/// Issue 12, item 4: each printable document of a denunciation renders with the case's data,
/// in Vietnamese, and names the article it fulfils; the denouncer's name is never printed; a
/// tip has no such documents.
#[rocket::async_test]
async fn a_denunciation_prints_its_notices_extension_and_conclusion_each_citing_its_article() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(&app, team, "lead@evn.vn", &[Role::TeamLead]).await;
    let (_, tip) = report_at(&app, "PCHK-PGDHANGBAC", "delay", &[]).await;
    let mut named = NAMED.to_vec();
    named.push(("staff_name", "Trần Văn Ghi"));
    let (_, id) = report_at(&app, "PCHK-PGDHANGBAC", "delay", &named).await;
    sign_in(&app, "lead@evn.vn").await;
    assert_eq!(act(&app, tip, "accept", &[]).await, Status::SeeOther);
    let (status, _) = app
        .get_text(&format!("/cases/{tip}/documents/acceptance"))
        .await;
    assert_eq!(status, Status::NotFound, "a tip is no denunciation");
    verify(&app, id).await;
    assert_eq!(act(&app, id, "accept", &[]).await, Status::SeeOther);
    let document = |kind: &str| format!("/cases/{id}/documents/{kind}");

    let (status, page) = app.get_text(&document("acceptance")).await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("Về việc thụ lý tố cáo"));
    assert!(page.contains("khoản 1 Điều 29 Luật Tố cáo năm 2018"));
    assert!(page.contains("27&#x2F;11&#x2F;2026"), "accepted today");
    assert!(
        page.contains("28&#x2F;12&#x2F;2026"),
        "resolution due, off a Sunday"
    );
    assert!(
        !page.contains("Phạm Thị Tố Giác"),
        "the denouncer is never named"
    );
    let (_, page) = app.get_text(&document("accused")).await;
    assert!(page.contains("Kính gửi: Trần Văn Ghi"));
    assert!(page.contains("Điều 10 Luật Tố cáo"));
    assert!(!page.contains("Phạm Thị Tố Giác") && !page.contains("0988 777 666"));

    let extend = [
        ("days", "10"),
        ("reason", "Cần xác minh tại ba điện lực"),
        ("complexity", "complex"),
        ("decision_number", "12/QĐ-TTr"),
    ];
    assert_eq!(
        act(&app, id, "extend-deadline", &extend).await,
        Status::SeeOther
    );
    let (status, page) = app.get_text(&document("extension-1")).await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("QUYẾT ĐỊNH") && page.contains("12&#x2F;QĐ-TTr"));
    assert!(page.contains("là vụ việc phức tạp: Cần xác minh tại ba điện lực"));
    assert!(page.contains("thêm 10 ngày") && page.contains("06&#x2F;01&#x2F;2027"));
    assert!(page.contains("khoản 1 Điều 30 Luật Tố cáo năm 2018"));
    let (status, _) = app.get_text(&document("extension-2")).await;
    assert_eq!(status, Status::NotFound);
    let (status, _) = app.get_text(&document("decline")).await;
    assert_eq!(status, Status::NotFound, "it was not declined");

    assert_eq!(
        act(&app, id, "start-investigation", &[]).await,
        Status::SeeOther
    );
    let conclude = [
        ("finding", "substantiated"),
        (
            "summary",
            "Nhân viên đã đòi tiền để lắp công tơ; đã đối chiếu hóa đơn.",
        ),
    ];
    assert_eq!(act(&app, id, "conclude", &conclude).await, Status::SeeOther);
    let (status, page) = app.get_text(&document("conclusion")).await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("KẾT LUẬN") && page.contains("Điều 35 Luật Tố cáo năm 2018"));
    assert!(page.contains("Nhân viên đã đòi tiền để lắp công tơ"));
    let (_, page) = app.get_text(&format!("/cases/{id}")).await;
    assert!(page.contains("Kết luận nội dung tố cáo") && page.contains("Thông báo thụ lý tố cáo"));
}

/// A staff record at `unit_code`.
async fn staff_at(app: &TestApp, unit_code: &str, number: &str, name: &str) -> staff_member::Model {
    let now = app.state().clock.now();
    staff_member::ActiveModel {
        employee_number: Set(number.into()),
        full_name: Set(name.into()),
        full_name_folded: Set(conduct_portal::domain::text::fold(name)),
        unit_id: Set(unit(app, unit_code).await.id),
        position: Set(None),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(app.state().db.conn())
    .await
    .unwrap()
}

/// Changes account `user` as an admin would: its staff record and display name.
async fn edit_account(app: &TestApp, user: i32, staff: Option<i32>, display_name: Option<&str>) {
    let mut active = app_user::Entity::find_by_id(user)
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    if staff.is_some() {
        active.staff_member_id = Set(staff);
    }
    if let Some(name) = display_name {
        active.display_name = Set(name.into());
    }
    active.update(app.state().db.conn()).await.unwrap();
}

#[rocket::async_test]
async fn a_report_naming_an_inspector_by_name_only_is_not_readable_by_that_inspector() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let xac = staff_at(&app, "PCHK-PGDCUANAM", "HK-777", "Hoàng Văn Xác").await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    let named = member(&app, team, "xac@evn.vn", &[Role::Inspector]).await;
    edit_account(&app, named, Some(xac.id), None).await;
    // An account without a staff record is matched by its own name.
    let bich = member(&app, team, "bich@evn.vn", &[Role::Inspector]).await;
    edit_account(&app, bich, None, Some("Trần Thị Bích")).await;
    member(&app, team, "khac@evn.vn", &[Role::Inspector]).await;
    let (_, about_xac) =
        report_at(&app, "PCHK-PGDCUANAM", "rude", &[("staff_name", "anh Xác")]).await;
    let (_, about_bich) = report_at(
        &app,
        "PCHK-PGDHANGBAC",
        "rude",
        &[("staff_name", "chị Trần Thị Bích")],
    )
    .await;
    assert_eq!(case(&app, about_xac).await.team_id, Some(team));

    for (email, own, other) in [
        ("xac@evn.vn", about_xac, about_bich),
        ("bich@evn.vn", about_bich, about_xac),
    ] {
        become_user(&app, email).await;
        assert_eq!(
            app.get_text(&format!("/cases/{own}")).await.0,
            Status::NotFound,
            "{email} is named in case {own}"
        );
        let (_, inbox) = app.get_text("/cases").await;
        assert!(!inbox.contains(&format!("/cases/{own}\"")), "{email}");
        assert!(inbox.contains(&format!("/cases/{other}\"")), "{email}");
        assert_eq!(app.get_text(&format!("/cases/{other}")).await.0, Status::Ok);
    }
    become_user(&app, "khac@evn.vn").await;
    for id in [about_xac, about_bich] {
        assert_eq!(app.get_text(&format!("/cases/{id}")).await.0, Status::Ok);
    }
}

#[rocket::async_test]
async fn linking_an_account_or_moving_a_colleague_into_the_named_unit_excludes_them_at_once() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let xac = staff_at(&app, "PCHK-PGDCUANAM", "HK-777", "Hoàng Văn Xác").await;
    let elsewhere = staff_at(&app, "PCHK-PGDHANGBAC", "HK-888", "Lý Thị Chuyển").await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    let later = member(&app, team, "xac@evn.vn", &[Role::Inspector]).await;
    let mover = member(&app, team, "chuyen@evn.vn", &[Role::Inspector]).await;
    edit_account(&app, mover, Some(elsewhere.id), None).await;
    member(&app, team, "khac@evn.vn", &[Role::Inspector]).await;
    let (_, id) = report_at(
        &app,
        "PCHK-PGDCUANAM",
        "rude",
        &[("staff_number", "HK-777")],
    )
    .await;
    assert_eq!(case(&app, id).await.named_staff_member_id, Some(xac.id));

    sign_in(&app, "xac@evn.vn").await;
    assert_eq!(
        app.get_text(&format!("/cases/{id}")).await.0,
        Status::Ok,
        "not linked to a staff record yet"
    );
    edit_account(&app, later, Some(xac.id), None).await;
    assert_eq!(
        app.get_text(&format!("/cases/{id}")).await.0,
        Status::NotFound,
        "linked: the case names them"
    );
    assert!(!app
        .get_text("/cases")
        .await
        .1
        .contains(&format!("/cases/{id}\"")));

    become_user(&app, "chuyen@evn.vn").await;
    assert_eq!(app.get_text(&format!("/cases/{id}")).await.0, Status::Ok);
    // An HR import moves her into the named person's unit.
    let mut moved = elsewhere.into_active_model();
    moved.unit_id = Set(unit(&app, "PCHK-PGDCUANAM").await.id);
    moved.update(app.state().db.conn()).await.unwrap();
    assert_eq!(
        app.get_text(&format!("/cases/{id}")).await.0,
        Status::NotFound,
        "now a colleague of the person named"
    );
    become_user(&app, "khac@evn.vn").await;
    assert_eq!(app.get_text(&format!("/cases/{id}")).await.0, Status::Ok);
}

#[rocket::async_test]
async fn reports_filed_before_the_name_index_existed_are_keyed_before_a_node_serves() {
    use conduct_portal::platform::persistence::entities::{case_name_key, case_name_key_backfill};
    let app = TestApp::spawn_with(no_two_factor).await;
    let xac = staff_at(&app, "PCHK-PGDCUANAM", "HK-777", "Hoàng Văn Xác").await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    let later = member(&app, team, "xac@evn.vn", &[Role::Inspector]).await;
    member(&app, team, "khac@evn.vn", &[Role::Inspector]).await;
    let (_, id) = report_at(&app, "PCHK-PGDCUANAM", "rude", &[("staff_name", "anh Xác")]).await;
    let (_, other) = report_at(&app, "PCHK-PGDCUANAM", "rude", &[]).await;
    let db = app.state().db.conn();
    let keys_of = |report: i32| {
        case_name_key::Entity::find()
            .filter(case_name_key::Column::ReportId.eq(report))
            .all(db)
    };
    assert!(!keys_of(id).await.unwrap().is_empty(), "keyed when filed");
    assert!(keys_of(other).await.unwrap().is_empty(), "names nobody");
    // As the migration leaves an earlier report: no keys, listed for the start-up pass.
    case_name_key::Entity::delete_many().exec(db).await.unwrap();
    case_name_key_backfill::ActiveModel { report_id: Set(id) }
        .insert(db)
        .await
        .unwrap();
    edit_account(&app, later, Some(xac.id), None).await;
    sign_in(&app, "xac@evn.vn").await;
    assert_eq!(
        app.get_text(&format!("/cases/{id}")).await.0,
        Status::Ok,
        "without its keys the check cannot find the report (the pass below is what fixes it)"
    );

    let node = app.another_node(no_two_factor).await;
    assert!(!keys_of(id).await.unwrap().is_empty());
    assert_eq!(app.count("case_name_key_backfill").await, 0);
    sign_in(&node, "xac@evn.vn").await;
    assert_eq!(
        node.get_text(&format!("/cases/{id}")).await.0,
        Status::NotFound,
        "the report may name them"
    );
    assert_eq!(
        node.get_text(&format!("/cases/{other}")).await.0,
        Status::Ok
    );
    become_user(&node, "khac@evn.vn").await;
    assert_eq!(node.get_text(&format!("/cases/{id}")).await.0, Status::Ok);
    // The case moves to a team Xác also belongs to: the keys follow it, so does the conflict.
    let second = team_at(&app, "PCHK-PGDHANGBAC", "Tổ hai").await;
    team_member::ActiveModel {
        team_id: Set(second),
        user_id: Set(later),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    for report in [id, other] {
        let mut moved = case(&app, report).await.into_active_model();
        moved.team_id = Set(Some(second));
        moved.update(db).await.unwrap();
    }
    assert!(keys_of(id)
        .await
        .unwrap()
        .iter()
        .all(|k| k.team_id == Some(second)));
    become_user(&node, "xac@evn.vn").await;
    assert_eq!(
        node.get_text(&format!("/cases/{id}")).await.0,
        Status::NotFound
    );
    assert_eq!(
        node.get_text(&format!("/cases/{other}")).await.0,
        Status::Ok
    );
}

#[rocket::async_test]
async fn cases_an_inspector_may_not_open_stay_out_of_the_overview_and_related_cases() {
    use conduct_portal::platform::persistence::entities::case_exclusion;
    let app = TestApp::spawn_with(no_two_factor).await;
    staff_at(&app, "PCHK-PGDHANGBAC", "HK-100", "Đinh Văn Lặp").await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    let lead = member(&app, team, "lead@evn.vn", &[Role::TeamLead]).await;
    member(&app, team, "khac@evn.vn", &[Role::Inspector]).await;
    let other_team = team_at(&app, "PCHOANKIEM", "Tổ khác").await;
    let named = [("staff_number", "HK-100")];
    let (_, open) = report_at(&app, "PCHK-PGDHANGBAC", "rude", &named).await;
    let (_, excluded) = report_at(&app, "PCHK-PGDHANGBAC", "billing", &named).await;
    let (_, foreign) = report_at(&app, "PCHK-PGDHANGBAC", "billing", &named).await;
    case_exclusion::ActiveModel {
        report_id: Set(excluded),
        user_id: Set(lead),
        reason: Set("same_unit".into()),
        ..Default::default()
    }
    .insert(app.state().db.conn())
    .await
    .unwrap();
    let mut moved = case(&app, foreign).await.into_active_model();
    moved.team_id = Set(Some(other_team));
    moved.update(app.state().db.conn()).await.unwrap();
    let reference = |id: i32| format!("PA-2026-{id:06}");

    sign_in(&app, "khac@evn.vn").await;
    let (_, page) = app.get_text(&format!("/cases/{open}")).await;
    assert!(
        page.contains(&reference(excluded)),
        "related for a colleague"
    );
    assert!(!page.contains(&reference(foreign)), "another team's case");

    become_user(&app, "lead@evn.vn").await;
    assert_eq!(
        app.get_text(&format!("/cases/{excluded}")).await.0,
        Status::NotFound
    );
    let (status, page) = app.get_text(&format!("/cases/{open}")).await;
    assert_eq!(status, Status::Ok);
    assert!(
        !page.contains(&reference(excluded)),
        "excluded: not related"
    );
    assert!(
        !page.contains(&reference(foreign)),
        "other team: not related"
    );

    app.clock.advance(chrono::Duration::days(9));
    sign_in(&app, "lead@evn.vn").await;
    let (status, page) = app.get_text("/cases/overview").await;
    assert_eq!(status, Status::Ok);
    assert!(
        page.contains(&reference(open)),
        "at risk and open to the lead"
    );
    assert!(!page.contains(&reference(excluded)));
    assert!(!page.contains(&format!("/cases/{excluded}\"")));
}

/// Cases per team and status as the trigger-kept `case_status_count` has them (zeros left out),
/// and as counting `case_file` gives them.
async fn status_counts_both_ways(
    app: &TestApp,
) -> (Vec<(i32, String, i64)>, Vec<(i32, String, i64)>) {
    open_cases_both_ways(app).await;
    use conduct_portal::platform::persistence::entities::case_status_count;
    use sea_orm::{ConnectionTrait, QueryOrder};
    let db = app.state().db.conn();
    let kept: Vec<(i32, String, i64)> = case_status_count::Entity::find()
        .filter(case_status_count::Column::N.ne(0))
        .order_by_asc(case_status_count::Column::TeamId)
        .order_by_asc(case_status_count::Column::Status)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.team_id, c.status, c.n))
        .collect();
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT team_id, status, COUNT(*) AS n FROM case_file WHERE team_id IS NOT NULL \
             GROUP BY team_id, status ORDER BY team_id, status",
        ))
        .await
        .unwrap();
    let counted = rows
        .iter()
        .map(|r| {
            (
                r.try_get::<i32>("", "team_id").unwrap(),
                r.try_get::<String>("", "status").unwrap(),
                r.try_get::<i64>("", "n").unwrap(),
            )
        })
        .collect();
    (kept, counted)
}

/// SQLite: `case_open`, kept by triggers, holds what `case_file` holds for the open cases of a
/// team (the inbox reads it for a text search with a deadline filter).
async fn open_cases_both_ways(app: &TestApp) {
    use sea_orm::ConnectionTrait;
    let db = app.state().db.conn();
    if db.get_database_backend() != sea_orm::DbBackend::Sqlite {
        return;
    }
    let columns = "json_array(id, report_id, team_id, status, category_id, unit_id, \
         assignee_user_id, received_at, acceptance_due, resolution_due, search_text)";
    let rows = |sql: String| async move {
        db.query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            sql,
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<String>("", "r").unwrap())
        .collect::<Vec<_>>()
    };
    let kept = rows(format!("SELECT {columns} AS r FROM case_open ORDER BY id")).await;
    let expected = rows(format!(
        "SELECT {columns} AS r FROM case_file WHERE team_id IS NOT NULL AND status IN \
         ('received', 'accepted', 'investigating', 'awaiting_reporter') ORDER BY id"
    ))
    .await;
    assert!(!expected.is_empty());
    assert_eq!(kept, expected);

    // `case_open_words`: each word hash of any case lists exactly the open cases holding it,
    // by their keys (team, due day, id).
    let cases = case_file::Entity::find().all(db).await.unwrap();
    let words: std::collections::BTreeSet<&str> = cases
        .iter()
        .flat_map(|c| c.text_tokens.split_whitespace())
        .collect();
    assert!(words.len() > 20);
    for word in words.iter().step_by(Ord::max(words.len() / 150, 1)) {
        let listed: Vec<i64> = db
            .query_all_raw(sea_orm::Statement::from_sql_and_values(
                sea_orm::DbBackend::Sqlite,
                "SELECT rowid AS r FROM case_open_words WHERE case_open_words MATCH ? \
                 ORDER BY rowid",
                [format!("\"{word}\"").into()],
            ))
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get::<i64>("", "r").unwrap())
            .collect();
        let mut holding: Vec<i64> = cases
            .iter()
            .filter(|c| c.text_tokens.contains(&format!(" {word} ")))
            .filter(|c| {
                ["received", "accepted", "investigating", "awaiting_reporter"]
                    .contains(&c.status.as_str())
            })
            .filter_map(|c| {
                // Team, the day the running clock falls due (since 2000-01-01), id.
                let due = match c.status.as_str() {
                    "received" => Some(c.acceptance_due),
                    _ => c.resolution_due,
                };
                let epoch = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
                let day = due.map_or(0, |d| (d - epoch).num_days());
                c.team_id
                    .map(|t| (i64::from(t) << 48) + (day << 32) + i64::from(c.id))
            })
            .collect();
        holding.sort_unstable();
        assert_eq!(listed, holding, "{word}");
    }
}

#[rocket::async_test]
async fn the_counts_per_status_and_the_open_cases_follow_every_case_filed_moved_changed_or_deleted()
{
    let app = TestApp::spawn_with(no_two_factor).await;
    devtools::demo::populate(app.state(), 120).await.unwrap();
    let (kept, counted) = status_counts_both_ways(&app).await;
    assert!(
        kept.len() > 5,
        "the demo fills several teams and statuses: {kept:?}"
    );
    assert_eq!(kept, counted, "after the demo's inserts");

    let (_, filed) = report_at(&app, "PCHK-PGDCUANAM", "rude", &[]).await;
    let (kept, counted) = status_counts_both_ways(&app).await;
    assert_eq!(kept, counted, "after a report through the form");

    let db = app.state().db.conn();
    let cases = case_file::Entity::find().all(db).await.unwrap();
    let filed_team = case(&app, filed).await.team_id;
    let other_team = cases
        .iter()
        .filter_map(|c| c.team_id)
        .find(|t| Some(*t) != filed_team)
        .unwrap();
    // A move, a status change, both at once, a case leaving every team, one joining one.
    let mut changes = Vec::new();
    for (i, c) in cases.iter().take(8).enumerate() {
        let mut row = c.clone().into_active_model();
        match i % 4 {
            0 => row.team_id = Set(Some(other_team)),
            1 => row.status = Set("closed".to_string()),
            2 => {
                row.team_id = Set(Some(other_team));
                row.status = Set("investigating".to_string());
            }
            _ => row.team_id = Set(None),
        }
        changes.push(row.update(db).await.unwrap());
    }
    let mut back = changes[3].clone().into_active_model();
    back.team_id = Set(Some(other_team));
    back.update(db).await.unwrap();
    let mut reworded = cases[9].clone().into_active_model();
    reworded.status = Set("investigating".to_string());
    reworded.search_text = Set("pa-000009 le van tam".to_string());
    reworded.text_tokens = Set(" 0123456789abcdef ".to_string());
    reworded.resolution_due = Set(Some(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()));
    reworded.update(db).await.unwrap();
    // An update that changes neither column counts nothing.
    let mut untouched = changes[1].clone().into_active_model();
    untouched.staff_unread = Set(!changes[1].staff_unread);
    untouched.update(db).await.unwrap();
    let (kept, counted) = status_counts_both_ways(&app).await;
    assert_eq!(kept, counted, "after moves and status changes");

    case_file::Entity::delete_by_id(cases[10].id)
        .exec(db)
        .await
        .unwrap();
    let (kept, counted) = status_counts_both_ways(&app).await;
    assert_eq!(kept, counted, "after a deletion");
}
