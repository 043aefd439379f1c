//! `/cases/<id>/discipline…`, `/staff-history`, `/admin/measures` and the reporter's view of the
//! outcome: findings with the article versions in force, decisions under the Labour Code
//! (limitation boundaries, one measure per violation, the heaviest of several, protected
//! states, the internal labour regulations they rest on, clearing), the staff history and its
//! permissions, the printable record.
//!
//! The clock is fixed at 27/11/2026 10:00 in Hà Nội (a Friday, no holiday), so "today" is
//! 27/11/2026 and 6 (12) months back is 27/05/2026 (27/11/2025).

use chrono::NaiveDate;
use conduct_portal::domain::roles::Role;
use conduct_portal::platform::persistence::entities::{
    audit_log, case_file, category_article, culture_article, discipline_decision,
    discipline_decision_labour_rule, discipline_finding, discipline_finding_article,
    inspection_team, internal_measure, labour_rule, org_unit, staff_member, violation_category,
};
use rocket::http::{ContentType, Status};
use rocket::local::asynchronous::Client;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use crate::support::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn unit(app: &TestApp, code: &str) -> org_unit::Model {
    org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq(code))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
}

async fn category(app: &TestApp, code: &str) -> violation_category::Model {
    violation_category::Entity::find()
        .filter(violation_category::Column::Code.eq(code))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
}

/// A staff member of the Hàng Bạc customer office (under PC Hoàn Kiếm).
async fn staff(app: &TestApp, number: &str, name: &str) -> i32 {
    let now = app.state().clock.now();
    staff_member::ActiveModel {
        employee_number: Set(number.into()),
        full_name: Set(name.into()),
        full_name_folded: Set(conduct_portal::domain::text::fold(name)),
        unit_id: Set(unit(app, "PCHK-PGDHANGBAC").await.id),
        position: Set(Some("Nhân viên ghi chỉ số".into())),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(app.state().db.conn())
    .await
    .unwrap()
    .id
}

/// Records in the directory that staff member `id` holds a managerial post (Art. 124).
async fn holding_post(app: &TestApp, id: i32) {
    let mut member = staff_member::Entity::find_by_id(id)
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    member.holds_post = Set(true);
    member.update(app.state().db.conn()).await.unwrap();
}

async fn act(app: &TestApp, id: i32, action: &str, fields: &[(&str, &str)]) -> Status {
    app.post_form(&format!("/cases/{id}/actions/{action}"), fields)
        .await
        .status()
}

/// A team at PC Hoàn Kiếm with an inspector and a team lead; the client is signed in as the
/// inspector.
async fn hoan_kiem(app: &TestApp) -> i32 {
    let team = team_at(app, "PCHOANKIEM", "Tổ thanh tra PC Hoàn Kiếm").await;
    member(app, team, "thanh.tra@evn.vn", &[Role::Inspector]).await;
    member(app, team, "truong.doan@evn.vn", &[Role::TeamLead]).await;
    sign_in(app, "thanh.tra@evn.vn").await;
    team
}

/// Submits a report at the Hàng Bạc office in `category` and takes it to a conclusion with
/// `finding`, as the signed-in inspector. Returns the report id and the receipt code.
async fn concluded_case(app: &TestApp, category_code: &str, finding: &str) -> (i32, String) {
    let unit_id = unit(app, "PCHK-PGDHANGBAC").await.id.to_string();
    let category_id = category(app, category_code).await.id.to_string();
    let code = submit(
        app,
        &[
            ("unit_id", unit_id.as_str()),
            ("occurred_on", "2026-11-20"),
            ("category_id", category_id.as_str()),
            (
                "description",
                "Nhân viên ghi chỉ số gây khó khăn, đòi bồi dưỡng mới làm.",
            ),
            ("identity", "anonymous"),
        ],
    )
    .await;
    let id = case_file::Entity::find()
        .order_by_desc(case_file::Column::ReportId)
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .report_id;
    assert_eq!(act(app, id, "accept", &[]).await, Status::SeeOther);
    assert_eq!(
        act(app, id, "start-investigation", &[]).await,
        Status::SeeOther
    );
    assert_eq!(
        act(
            app,
            id,
            "conclude",
            &[
                ("finding", finding),
                ("summary", "Xác minh đúng nội dung phản ánh."),
            ],
        )
        .await,
        Status::SeeOther
    );
    (id, code)
}

/// The article keys a category cites.
async fn cited(app: &TestApp, category_code: &str) -> Vec<String> {
    let id = category(app, category_code).await.id;
    category_article::Entity::find()
        .filter(category_article::Column::CategoryId.eq(id))
        .all(app.state().db.conn())
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.article_key)
        .collect()
}

async fn record_finding(
    app: &TestApp,
    case: i32,
    number: &str,
    date: &str,
    articles: &[String],
) -> (Status, String) {
    record_finding_with(app, case, number, date, articles, &[]).await
}

/// [`record_finding`] with more fields (the 12-month answer, its reason).
async fn record_finding_with(
    app: &TestApp,
    case: i32,
    number: &str,
    date: &str,
    articles: &[String],
    extra: &[(&str, &str)],
) -> (Status, String) {
    let mut fields = vec![("employee_number", number), ("violation_date", date)];
    for key in articles {
        fields.push(("articles", key.as_str()));
    }
    fields.extend_from_slice(extra);
    let response = app
        .post_form(&format!("/cases/{case}/discipline/findings"), &fields)
        .await;
    let status = response.status();
    (status, response.into_string().await.unwrap_or_default())
}

async fn finding_id(app: &TestApp, case: i32, staff_id: i32) -> i32 {
    discipline_finding::Entity::find()
        .filter(discipline_finding::Column::ReportId.eq(case))
        .filter(discipline_finding::Column::StaffMemberId.eq(staff_id))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .id
}

/// The `culture_article` row (one version) a finding cites.
async fn cited_version(app: &TestApp, finding: i32) -> i32 {
    discipline_finding_article::Entity::find()
        .filter(discipline_finding_article::Column::FindingId.eq(finding))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .article_id
}

/// A complete, lawful decision dated today, with `measure`; `extra` overrides or adds fields.
fn lawful<'a>(
    measure: &'a str,
    number: &'a str,
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("measure", measure),
        ("decision_number", number),
        ("decision_date", "2026-11-27"),
        ("signer_name", "Lê Văn Ký"),
        ("signer_title", "Giám đốc"),
        ("representative_took_part", "true"),
        ("employee_heard", "true"),
        ("minutes_reference", "05/BB-KL"),
        ("protected_state_checked", "true"),
        ("protected_state_found", "none"),
    ];
    for (name, value) in extra {
        fields.retain(|(n, _)| n != name);
        fields.push((name, value));
    }
    fields
}

async fn decide(
    app: &TestApp,
    case: i32,
    finding: i32,
    fields: &[(&str, &str)],
) -> (Status, String) {
    let response = app
        .post_form(
            &format!("/cases/{case}/discipline/findings/{finding}/decision"),
            fields,
        )
        .await;
    let status = response.status();
    (status, response.into_string().await.unwrap_or_default())
}

async fn decisions(app: &TestApp) -> Vec<discipline_decision::Model> {
    discipline_decision::Entity::find()
        .order_by_asc(discipline_decision::Column::Id)
        .all(app.state().db.conn())
        .await
        .unwrap()
}

/// A second browser, for the reporter, following up with `code`.
async fn reporter(app: &TestApp, code: &str) -> (Client, String) {
    let client = Client::tracked(
        conduct_portal::app::build(
            base_figment(app.data_dir.path(), &app.database_url),
            std::sync::Arc::new(app.clock.clone()),
        )
        .await
        .unwrap(),
    )
    .await
    .unwrap();
    let page = client
        .get("/follow-up")
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    let token = csrf_from(&page).unwrap();
    let status = client
        .post("/follow-up")
        .header(ContentType::Form)
        .body(format!("csrf_token={token}&receipt={code}"))
        .dispatch()
        .await
        .status();
    assert_eq!(status, Status::SeeOther);
    (client, token)
}

async fn status_page(client: &Client) -> String {
    client
        .get("/follow-up/status")
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap()
}

// ---------------------------------------------------------------------------------------------

#[rocket::async_test]
async fn a_decision_after_the_limitation_is_refused_with_its_dates_unless_a_lawful_extension_is_recorded(
) {
    // The boundaries (a day inside, the last day, a day late; 12 months for finances, assets
    // and secrets) are proved in `domain::discipline`; this is the smoke test over HTTP.
    let app = TestApp::spawn_with(no_two_factor).await;
    hoan_kiem(&app).await;
    let late = staff(&app, "NV-0003", "Lê Văn Ba").await;
    let (id, _) = concluded_case(&app, "rude", "substantiated").await;
    let articles = cited(&app, "rude").await;
    let (status, _) = record_finding(&app, id, "NV-0003", "2026-05-26", &articles).await;
    assert_eq!(status, Status::SeeOther);

    let late_finding = finding_id(&app, id, late).await;
    let (status, page) = decide(
        &app,
        id,
        late_finding,
        &lawful("reprimand", "03/QĐ-PCHK", &[]),
    )
    .await;
    assert_eq!(status, Status::UnprocessableEntity, "one day too late");
    assert!(page.contains("Đã hết thời hiệu xử lý kỷ luật"), "{page}");
    assert!(page.contains("26&#x2F;05&#x2F;2026"), "the violation date");
    assert!(page.contains("26&#x2F;11&#x2F;2026"), "the last lawful day");
    assert!(
        page.contains("value=\"03&#x2F;QĐ-PCHK\""),
        "the values typed are kept"
    );
    assert!(decisions(&app).await.is_empty());

    // Half an extension is not an extension.
    let (status, page) = decide(
        &app,
        id,
        late_finding,
        &lawful(
            "reprimand",
            "03/QĐ-PCHK",
            &[("extension_reason", "Người lao động nghỉ ốm dài ngày")],
        ),
    )
    .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(page.contains("cần đủ lý do, căn cứ pháp lý và ngày kết thúc"));

    // Art. 123(2): sick leave that ended on 27/09/2026 carries the decision to 26/11 only.
    let (status, page) = decide(
        &app,
        id,
        late_finding,
        &lawful(
            "reprimand",
            "03/QĐ-PCHK",
            &[
                ("extension_reason", "Người lao động nghỉ ốm đến 27/09/2026"),
                (
                    "extension_legal_basis",
                    "Khoản 2 Điều 123 Bộ luật Lao động 2019",
                ),
                ("extension_period_ended", "2026-09-27"),
            ],
        ),
    )
    .await;
    assert_eq!(status, Status::UnprocessableEntity, "61 days after");
    assert!(page.contains("không quá 60 ngày"), "{page}");
    assert!(page.contains("khoản 2 Điều 123"), "cites the article");
    assert!(
        page.contains("26&#x2F;11&#x2F;2026"),
        "the last day it allowed"
    );
    assert!(decisions(&app).await.is_empty());

    let (status, _) = decide(
        &app,
        id,
        late_finding,
        &lawful(
            "reprimand",
            "03/QĐ-PCHK",
            &[
                (
                    "extension_reason",
                    "Người lao động nghỉ ốm đến 20/11/2026, thời hiệu hết trong thời gian nghỉ",
                ),
                (
                    "extension_legal_basis",
                    "Khoản 2 Điều 123 Bộ luật Lao động 2019",
                ),
                ("extension_period_ended", "2026-11-20"),
            ],
        ),
    )
    .await;
    assert_eq!(status, Status::SeeOther, "carried by a recorded extension");
    let recorded = decisions(&app).await;
    assert_eq!(recorded.len(), 1);
    assert_eq!(
        recorded[0].extension_legal_basis.as_deref(),
        Some("Khoản 2 Điều 123 Bộ luật Lao động 2019")
    );
    assert_eq!(
        recorded[0].extension_period_ended,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
    );
    assert_eq!(audited(&app, "discipline_decision_recorded").await, 1);
    assert_eq!(audited(&app, "discipline_finding_recorded").await, 1);
}

#[rocket::async_test]
async fn the_findings_own_answer_gives_twelve_months_and_the_category_only_suggests_it() {
    // Art. 123(1): 12 months for a violation *directly concerning* the employer's finances,
    // assets or secrets — decided per finding with its reason; the category pre-ticks the box.
    let app = TestApp::spawn_with(no_two_factor).await;
    // Bribery is severe (routed to the corporation's board) and flagged finance/assets/secrets.
    let board = inspection_team::Entity::find()
        .filter(inspection_team::Column::OrgUnitId.eq(unit(&app, "EVNHANOI").await.id))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .id;
    member(&app, board, "ban.thanh.tra@evn.vn", &[Role::Inspector]).await;
    sign_in(&app, "ban.thanh.tra@evn.vn").await;
    assert!(category(&app, "bribery").await.finance_assets_secrets);
    let flagged = staff(&app, "NV-0012", "Phạm Văn Đúng").await;
    let unflagged = staff(&app, "NV-0014", "Phạm Văn Thường").await;
    let (id, _) = concluded_case(&app, "bribery", "partly_substantiated").await;
    let (status, form) = app
        .get_text(&format!("/cases/{id}/discipline/findings/new"))
        .await;
    assert_eq!(status, Status::Ok);
    assert!(
        form.contains("name=\"finance_assets_secrets\" value=\"true\" checked"),
        "pre-ticked from the category"
    );
    assert!(
        form.contains("khoản 1 Điều 123"),
        "the hint cites the article"
    );

    let articles = cited(&app, "bribery").await;
    let ticked = [("finance_assets_secrets", "true")];
    let (status, page) =
        record_finding_with(&app, id, "NV-0012", "2025-11-27", &articles, &ticked).await;
    assert_eq!(
        status,
        Status::UnprocessableEntity,
        "ticked without a reason"
    );
    assert!(page.contains("Hãy ghi lý do hành vi vi phạm"), "{page}");
    assert!(page.contains("(khoản 1 Điều 123 Bộ luật Lao động 2019)"));
    let reason = "Nhận tiền của khách hàng để bỏ qua vi phạm sử dụng điện";
    let with_reason = [
        ("finance_assets_secrets", "true"),
        ("finance_assets_reason", reason),
    ];
    let (status, _) =
        record_finding_with(&app, id, "NV-0012", "2025-11-27", &articles, &with_reason).await;
    assert_eq!(status, Status::SeeOther);
    let (status, _) = record_finding(&app, id, "NV-0014", "2025-11-27", &articles).await;
    assert_eq!(status, Status::SeeOther, "unticked in a flagged category");
    let stored = discipline_finding::Entity::find_by_id(finding_id(&app, id, flagged).await)
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    assert!(stored.finance_assets_secrets);
    assert_eq!(stored.finance_assets_reason.as_deref(), Some(reason));

    let flagged_finding = finding_id(&app, id, flagged).await;
    let (_, form) = app
        .get_text(&format!(
            "/cases/{id}/discipline/findings/{flagged_finding}/decision"
        ))
        .await;
    assert!(form.contains(reason), "the decision form shows the reason");
    let (status, _) = decide(&app, id, flagged_finding, &lawful("reprimand", "2/QĐ", &[])).await;
    assert_eq!(status, Status::SeeOther, "the last day of 12 months");

    // The category's flag alone no longer gives 12 months.
    let (status, page) = decide(
        &app,
        id,
        finding_id(&app, id, unflagged).await,
        &lawful("reprimand", "4/QĐ", &[]),
    )
    .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(page.contains("thời hiệu 6 tháng"));
}

#[rocket::async_test]
async fn one_measure_per_violation_and_only_the_heaviest_when_several_are_handled_together() {
    let app = TestApp::spawn_with(no_two_factor).await;
    hoan_kiem(&app).await;
    let person = staff(&app, "NV-0021", "Đỗ Văn Nhiều").await;
    holding_post(&app, person).await;
    let articles = cited(&app, "rude").await;
    let (first, _) = concluded_case(&app, "rude", "substantiated").await;
    let (second, _) = concluded_case(&app, "rude", "substantiated").await;
    record_finding(&app, first, "nv-0021", "2026-11-01", &articles).await;
    record_finding(&app, second, "NV-0021", "2026-10-15", &articles).await;
    let first_finding = finding_id(&app, first, person).await;
    let second_finding = finding_id(&app, second, person).await;

    // The decision form of the second case offers the first case's violation.
    let (status, form) = app
        .get_text(&format!(
            "/cases/{second}/discipline/findings/{second_finding}/decision"
        ))
        .await;
    assert_eq!(status, Status::Ok);
    assert!(form.contains(&format!("name=\"others[{first_finding}]\"")));

    let other = format!("others[{first_finding}]");
    let (status, _) = decide(
        &app,
        second,
        second_finding,
        &lawful(
            "reprimand",
            "07/QĐ-PCHK",
            &[(other.as_str(), "removal_from_post")],
        ),
    )
    .await;
    assert_eq!(status, Status::SeeOther);
    let recorded = decisions(&app).await;
    assert_eq!(recorded.len(), 1, "one decision for both violations");
    assert_eq!(
        recorded[0].measure, "removal_from_post",
        "only the heaviest applies"
    );
    assert_eq!(recorded[0].clears_on, Some(day(2029, 11, 28)));
    for finding in [first_finding, second_finding] {
        let row = discipline_finding::Entity::find_by_id(finding)
            .one(app.state().db.conn())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.decision_id, Some(recorded[0].id));
    }

    // The first case's violation has its measure: a second decision is refused.
    let (status, page) = decide(
        &app,
        first,
        first_finding,
        &lawful("dismissal", "08/QĐ-PCHK", &[]),
    )
    .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(page.contains("Mỗi hành vi vi phạm chỉ bị xử lý một lần"));
    assert_eq!(decisions(&app).await.len(), 1);
    let (_, overview) = app.get_text(&format!("/cases/{first}/discipline")).await;
    assert!(overview.contains("Đã xử lý cùng hồ sơ"));
    assert!(overview.contains("Cách chức"));

    // A decided violation cannot be deleted; an undecided one can, after confirmation.
    let response = app
        .post_form(
            &format!("/cases/{first}/discipline/findings/{first_finding}/delete"),
            &[],
        )
        .await;
    assert_eq!(response.status(), Status::Conflict);
    let other_person = staff(&app, "NV-0022", "Đỗ Văn Khác").await;
    record_finding(&app, first, "NV-0022", "2026-11-02", &articles).await;
    let removable = finding_id(&app, first, other_person).await;
    let (status, confirm) = app
        .get_text(&format!(
            "/cases/{first}/discipline/findings/{removable}/delete"
        ))
        .await;
    assert_eq!(status, Status::Ok);
    assert!(confirm.contains("Xóa hành vi vi phạm"));
    let response = app
        .post_form(
            &format!("/cases/{first}/discipline/findings/{removable}/delete"),
            &[],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(audited(&app, "discipline_finding_deleted").await, 1);
}

#[rocket::async_test]
async fn the_clearing_date_follows_the_measure_and_the_settings() {
    // Each measure's clearing period and the deferral bounds are proved in
    // `domain::discipline`; over HTTP, one measure with a changed setting.
    let app = TestApp::spawn_with(|f| {
        no_two_factor(f).merge(("discipline.removal_clears_after_months", 24))
    })
    .await;
    hoan_kiem(&app).await;
    let (id, _) = concluded_case(&app, "delay", "substantiated").await;
    let articles = cited(&app, "delay").await;
    let person = staff(&app, "NV-0033", "Nhân viên NV-0033").await;
    holding_post(&app, person).await;
    record_finding(&app, id, "NV-0033", "2026-11-10", &articles).await;
    let finding = finding_id(&app, id, person).await;
    let (status, page) = decide(
        &app,
        id,
        finding,
        &lawful("removal_from_post", "NV-0033", &[]),
    )
    .await;
    assert_eq!(status, Status::SeeOther, "{page}");
    let decision = decisions(&app).await.pop().unwrap();
    assert_eq!(decision.clears_on, Some(day(2028, 11, 28)));
    // Removal from post is never "cleared" (Labour Code Art. 126(1)).
    let (status, print) = app
        .get_text(&format!(
            "/cases/{id}/discipline/decisions/{}/print",
            decision.id
        ))
        .await;
    assert_eq!(status, Status::Ok);
    assert!(print.contains("không bị coi là tái phạm"), "{print}");
    assert!(!print.contains("đương nhiên được xóa kỷ luật"));
}

#[rocket::async_test]
async fn articles_come_from_the_version_in_force_on_the_violation_date() {
    let app = TestApp::spawn_with(no_two_factor).await;
    hoan_kiem(&app).await;
    let before = staff(&app, "NV-0041", "Vũ Thị Trước").await;
    let after = staff(&app, "NV-0042", "Vũ Thị Sau").await;
    let conn = app.state().db.conn();
    // Version 2 of UXKH-01 from 01/10/2026; version 1 closes the day before.
    let v1 = culture_article::Entity::find()
        .filter(culture_article::Column::ArticleKey.eq("UXKH-01"))
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    let mut closing = v1.clone().into_active_model();
    closing.effective_to = Set(Some(day(2026, 9, 30)));
    closing.update(conn).await.unwrap();
    let v2 = culture_article::ActiveModel {
        chapter_id: Set(v1.chapter_id),
        article_key: Set("UXKH-01".into()),
        version: Set(2),
        number: Set(v1.number),
        title_vi: Set("Tôn trọng khách hàng (sửa đổi 2026)".into()),
        title_en: Set("Respect for customers (2026 amendment)".into()),
        text_vi: Set("Nội dung sửa đổi.".into()),
        text_en: Set("Amended text.".into()),
        effective_from: Set(day(2026, 10, 1)),
        effective_to: Set(None),
        created_at: Set(app.state().clock.now()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .unwrap();

    let (id, _) = concluded_case(&app, "rude", "substantiated").await;
    let key = vec!["UXKH-01".to_string()];
    assert_eq!(
        record_finding(&app, id, "NV-0041", "2026-09-30", &key)
            .await
            .0,
        Status::SeeOther
    );
    assert_eq!(
        record_finding(&app, id, "NV-0042", "2026-10-01", &key)
            .await
            .0,
        Status::SeeOther
    );
    let first = finding_id(&app, id, before).await;
    let second = finding_id(&app, id, after).await;
    assert_eq!(cited_version(&app, first).await, v1.id);
    assert_eq!(cited_version(&app, second).await, v2.id);
    let (_, page) = app.get_text(&format!("/cases/{id}/discipline")).await;
    assert!(page.contains("Tôn trọng khách hàng (sửa đổi 2026)"));
    assert!(page.contains(&v1.title_vi));

    // Before the code existed there is nothing to violate.
    staff(&app, "NV-0043", "Vũ Thị Sớm").await;
    let (status, page) = record_finding(&app, id, "NV-0043", "2024-12-31", &key).await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(page.contains("UXKH-01 không có hiệu lực vào ngày 31&#x2F;12&#x2F;2024"));
    assert!(page.contains("value=\"NV-0043\""), "values kept");
    let (status, page) = record_finding(&app, id, "NV-9999", "2026-10-01", &key).await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(page.contains("Không tìm thấy mã nhân viên"));
}

#[rocket::async_test]
async fn an_unlawful_decision_is_refused_with_its_reason_and_a_lawful_one_shows_in_the_staff_history(
) {
    let app = TestApp::spawn_with(no_two_factor).await;
    hoan_kiem(&app).await;
    let person = staff(&app, "NV-0051", "Hoàng Thị Ốm").await;
    let (id, _) = concluded_case(&app, "billing", "substantiated").await;
    record_finding(
        &app,
        id,
        "NV-0051",
        "2026-11-05",
        &cited(&app, "billing").await,
    )
    .await;
    let finding = finding_id(&app, id, person).await;

    let (status, page) = decide(
        &app,
        id,
        finding,
        &lawful(
            "reprimand",
            "09/QĐ-PCHK",
            &[("protected_state_found", "sick_leave")],
        ),
    )
    .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(page.contains(
        "Không được xử lý kỷ luật lao động khi người lao động đang trong thời gian: Đang nghỉ ốm đau, điều dưỡng"
    ));
    assert!(page.contains("value=\"09&#x2F;QĐ-PCHK\""));
    assert!(page.contains("<option value=\"sick_leave\" selected>"));

    let (status, page) = decide(
        &app,
        id,
        finding,
        &lawful(
            "reprimand",
            "09/QĐ-PCHK",
            &[
                ("protected_state_checked", "false"),
                ("minutes_reference", ""),
            ],
        ),
    )
    .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(page.contains("Phải kiểm tra và ghi nhận người lao động"));
    assert!(page.contains("phải có biên bản họp xử lý kỷ luật"));
    assert!(decisions(&app).await.is_empty());

    let (status, _) = decide(&app, id, finding, &lawful("reprimand", "09/QĐ-PCHK", &[])).await;
    assert_eq!(status, Status::SeeOther);

    become_user(&app, "truong.doan@evn.vn").await;
    let (status, history) = app.get_text(&format!("/staff-history/{person}")).await;
    assert_eq!(status, Status::Ok);
    assert!(history.contains("Hoàng Thị Ốm"));
    assert!(history.contains("09&#x2F;QĐ-PCHK"));
    assert!(history.contains("Khiển trách"));
    assert!(history.contains("Đang có hiệu lực, xóa từ ngày 28&#x2F;02&#x2F;2027"));
    assert!(
        history.contains("Khen ngợi"),
        "commendations have their section"
    );

    // Leadership counts it among the measures by form, without seeing whose it is.
    create_user(&app, "lanh.dao@evn.vn", &[Role::Leadership]).await;
    become_user(&app, "lanh.dao@evn.vn").await;
    let response = app
        .client
        .get("/dashboard/export?table=measures&format=csv")
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Ok);
    let csv = response.into_string().await.unwrap();
    assert!(csv.contains("Khiển trách,1"), "{csv}");
    assert!(!csv.contains("Hoàng Thị Ốm"));

    // A customer's commendation naming the employee number shows on the history too.
    app.post_form("/staff/sign-out", &[]).await;
    let unit_id = unit(&app, "PCHK-PGDHANGBAC").await.id.to_string();
    let response = app
        .post_form(
            "/commend",
            &[
                ("unit_id", unit_id.as_str()),
                ("staff_number", "nv-0051"),
                ("body", "Chị Ốm hướng dẫn tôi rất tận tình, cảm ơn chị."),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    sign_in(&app, "truong.doan@evn.vn").await;
    let (_, history) = app.get_text(&format!("/staff-history/{person}")).await;
    assert!(history.contains("hướng dẫn tôi rất tận tình"));

    // After the period the reprimand is cleared.
    app.clock.set(t0() + chrono::Duration::days(100));
    sign_in(&app, "truong.doan@evn.vn").await;
    let (_, history) = app.get_text(&format!("/staff-history/{person}")).await;
    assert!(history.contains("Đã được xóa từ ngày 28&#x2F;02&#x2F;2027"));
}

#[rocket::async_test]
async fn staff_history_is_for_team_leads_and_leadership_only_flags_repeats_and_is_audited() {
    let app = TestApp::spawn_with(no_two_factor).await;
    hoan_kiem(&app).await;
    let person = staff(&app, "NV-0061", "Bùi Văn Lặp").await;
    let once = staff(&app, "NV-0062", "Bùi Văn Một Lần").await;
    let articles = cited(&app, "rude").await;
    for date in ["2026-01-15", "2026-06-01"] {
        let (id, _) = concluded_case(&app, "rude", "substantiated").await;
        record_finding(&app, id, "NV-0061", date, &articles).await;
    }
    let (id, _) = concluded_case(&app, "rude", "substantiated").await;
    record_finding(&app, id, "NV-0061", "2026-11-20", &articles).await;
    record_finding(&app, id, "NV-0062", "2026-11-20", &articles).await;

    // The inspector of the team: 404, like anyone without the right.
    for path in [
        "/staff-history".to_string(),
        format!("/staff-history/{person}"),
    ] {
        assert_eq!(app.get_text(&path).await.0, Status::NotFound, "{path}");
    }
    let (_, overview) = app.get_text(&format!("/cases/{id}/discipline")).await;
    assert!(
        !overview.contains("/staff-history/"),
        "no history link for an inspector"
    );

    become_user(&app, "truong.doan@evn.vn").await;
    let (status, list) = app.get_text("/staff-history?q=bui+van").await;
    assert_eq!(status, Status::Ok);
    assert!(list.contains(&format!("/staff-history/{person}\"")));
    assert!(list.contains(&format!("/staff-history/{once}\"")));
    let (status, history) = app.get_text(&format!("/staff-history/{person}")).await;
    assert_eq!(status, Status::Ok);
    assert!(
        history.contains("Vi phạm lặp lại."),
        "3 findings from 15/01/2026 to 20/11/2026"
    );
    assert!(history.contains("15&#x2F;01&#x2F;2026"));
    let (_, single) = app.get_text(&format!("/staff-history/{once}")).await;
    assert!(!single.contains("Vi phạm lặp lại."));
    let views = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("staff_history_viewed"))
        .all(app.state().db.conn())
        .await
        .unwrap();
    assert_eq!(views.len(), 2);
    assert_eq!(views[0].object_id, Some(person.to_string()));

    // A team lead elsewhere does not see the staff of Hoàn Kiếm.
    let far = team_at(&app, "PCDANANG", "Tổ Đà Nẵng").await;
    member(&app, far, "lead.danang@evn.vn", &[Role::TeamLead]).await;
    become_user(&app, "lead.danang@evn.vn").await;
    assert_eq!(
        app.get_text(&format!("/staff-history/{person}")).await.0,
        Status::NotFound
    );
    let (_, list) = app.get_text("/staff-history").await;
    assert!(!list.contains(&format!("/staff-history/{person}\"")));

    // Leadership sees everyone; an admin does not.
    create_user(&app, "lanh.dao@evn.vn", &[Role::Leadership]).await;
    become_user(&app, "lanh.dao@evn.vn").await;
    let (_, home) = app.get_text("/staff").await;
    assert!(
        home.contains("href=\"/staff-history\""),
        "a tile on the staff home"
    );
    assert_eq!(
        app.get_text(&format!("/staff-history/{person}")).await.0,
        Status::Ok
    );
    create_user(&app, "quan.tri@evn.vn", &[Role::Admin]).await;
    become_user(&app, "quan.tri@evn.vn").await;
    assert_eq!(
        app.get_text(&format!("/staff-history/{person}")).await.0,
        Status::NotFound
    );
    assert_eq!(audited(&app, "staff_history_viewed").await, 3);
}

#[rocket::async_test]
async fn the_printable_decision_is_always_vietnamese_under_an_english_page_chrome() {
    let app = TestApp::spawn_with(no_two_factor).await;
    hoan_kiem(&app).await;
    let person = staff(&app, "NV-0071", "Ngô Thị In").await;
    let (id, _) = concluded_case(&app, "rude", "substantiated").await;
    record_finding(
        &app,
        id,
        "NV-0071",
        "2026-11-20",
        &cited(&app, "rude").await,
    )
    .await;
    let finding = finding_id(&app, id, person).await;
    decide(
        &app,
        id,
        finding,
        &lawful(
            "pay_rise_deferral",
            "15/QĐ-PCHK",
            &[("deferral_months", "3")],
        ),
    )
    .await;
    let decision = decisions(&app).await.pop().unwrap().id;
    let path = format!("/cases/{id}/discipline/decisions/{decision}/print");
    let (status, page) = app.get_text(&format!("{path}?lang=en")).await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("<html lang=\"en\">"), "English chrome");
    assert!(page.contains("Back to discipline"));
    assert!(page.contains("<article class=\"decision-doc\" lang=\"vi\">"));
    for text in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 15&#x2F;QĐ-PCHK",
        "ngày 27 tháng 11 năm 2026",
        "QUYẾT ĐỊNH",
        "Về việc xử lý kỷ luật lao động",
        "Bộ luật Lao động số 45&#x2F;2019&#x2F;QH14",
        "từ Điều 122 đến Điều 126",
        "Điều 1.",
        "Điều 2.",
        "Điều 3.",
        "Ngô Thị In",
        "KÉO DÀI THỜI HẠN NÂNG LƯƠNG 3 THÁNG",
        "Biên bản họp xử lý kỷ luật lao động số 05&#x2F;BB-KL",
        "TỔNG CÔNG TY ĐIỆN LỰC THÀNH PHỐ HÀ NỘI",
        "GIÁM ĐỐC CÔNG TY ĐIỆN LỰC HOÀN KIẾM",
        "đơn vị: Phòng giao dịch khách hàng Hàng Bạc",
        "Lê Văn Ký",
        "28&#x2F;05&#x2F;2027",
    ] {
        assert!(page.contains(text), "{text}");
    }
    assert!(!page.contains("Unknown localization"));

    // Another team's inspector gets 404, here as everywhere on the case.
    let other = team_at(&app, "PCDANANG", "Tổ Đà Nẵng").await;
    member(&app, other, "khac.doan@evn.vn", &[Role::Inspector]).await;
    become_user(&app, "khac.doan@evn.vn").await;
    for path in [
        path.clone(),
        format!("/cases/{id}/discipline"),
        format!("/cases/{id}/discipline/findings/{finding}/decision"),
    ] {
        assert_eq!(app.get_text(&path).await.0, Status::NotFound, "{path}");
    }
    let response = app
        .post_form(
            &format!("/cases/{id}/discipline/findings"),
            &[("employee_number", "NV-0071")],
        )
        .await;
    assert_eq!(response.status(), Status::NotFound);
}

#[rocket::async_test]
async fn the_reporter_learns_that_measures_were_taken_but_not_which() {
    let app = TestApp::spawn_with(no_two_factor).await;
    hoan_kiem(&app).await;
    let person = staff(&app, "NV-0081", "Đinh Văn Kín").await;
    let (id, code) = concluded_case(&app, "rude", "substantiated").await;
    let (reporter, _) = reporter(&app, &code).await;
    let page = status_page(&reporter).await;
    assert!(page.contains("Kết quả giải quyết"));
    assert!(page.contains("Chưa có biện pháp xử lý nào được áp dụng."));

    record_finding(
        &app,
        id,
        "NV-0081",
        "2026-11-20",
        &cited(&app, "rude").await,
    )
    .await;
    let finding = finding_id(&app, id, person).await;
    decide(&app, id, finding, &lawful("reprimand", "21/QĐ-PCHK", &[])).await;
    let page = status_page(&reporter).await;
    assert!(
        page.contains("Xác minh đúng nội dung phản ánh."),
        "the summary"
    );
    assert!(page.contains("Đơn vị đã áp dụng biện pháp xử lý đối với nhân viên vi phạm."));
    for secret in ["Khiển trách", "Đinh Văn Kín", "21&#x2F;QĐ-PCHK", "NV-0081"] {
        assert!(!page.contains(secret), "{secret}");
    }
}

#[rocket::async_test]
async fn a_setting_lets_the_reporter_also_see_the_measure() {
    let app = TestApp::spawn_with(|f| {
        no_two_factor(f).merge(("discipline.reporter_sees_measures", true))
    })
    .await;
    hoan_kiem(&app).await;
    let person = staff(&app, "NV-0091", "Đinh Văn Rõ").await;
    let (id, code) = concluded_case(&app, "rude", "substantiated").await;
    record_finding(
        &app,
        id,
        "NV-0091",
        "2026-11-20",
        &cited(&app, "rude").await,
    )
    .await;
    decide(
        &app,
        id,
        finding_id(&app, id, person).await,
        &lawful("reprimand", "22/QĐ-PCHK", &[]),
    )
    .await;
    // The reporter's app reads the same settings as the staff app.
    let client = Client::tracked(
        conduct_portal::app::build(
            base_figment(app.data_dir.path(), &app.database_url)
                .merge(("discipline.reporter_sees_measures", true)),
            std::sync::Arc::new(app.clock.clone()),
        )
        .await
        .unwrap(),
    )
    .await
    .unwrap();
    let page = client
        .get("/follow-up")
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    let token = csrf_from(&page).unwrap();
    client
        .post("/follow-up")
        .header(ContentType::Form)
        .body(format!("csrf_token={token}&receipt={code}"))
        .dispatch()
        .await;
    let page = status_page(&client).await;
    assert!(page.contains("Khiển trách"));
    assert!(!page.contains("Đinh Văn Rõ"));
}

#[rocket::async_test]
async fn discipline_follows_only_a_substantiated_conclusion_and_appeals_move_forward() {
    let app = TestApp::spawn_with(no_two_factor).await;
    hoan_kiem(&app).await;
    let person = staff(&app, "NV-0101", "Mai Văn Kháng").await;
    let (unfounded, _) = concluded_case(&app, "rude", "unsubstantiated").await;
    let (_, case_page) = app.get_text(&format!("/cases/{unfounded}")).await;
    assert!(!case_page.contains(&format!("/cases/{unfounded}/discipline\"")));
    let (status, page) = app
        .get_text(&format!("/cases/{unfounded}/discipline"))
        .await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("Chỉ xử lý kỷ luật khi hồ sơ đã kết luận"));
    let (status, _) = record_finding(
        &app,
        unfounded,
        "NV-0101",
        "2026-11-20",
        &cited(&app, "rude").await,
    )
    .await;
    assert_eq!(status, Status::Conflict);
    assert_eq!(
        app.get_text(&format!("/cases/{unfounded}/discipline/findings/new"))
            .await
            .0,
        Status::Conflict
    );
    assert_eq!(audited(&app, "discipline_finding_recorded").await, 0);

    let (id, _) = concluded_case(&app, "rude", "substantiated").await;
    let (_, case_page) = app.get_text(&format!("/cases/{id}")).await;
    assert!(
        case_page.contains(&format!("/cases/{id}/discipline\"")),
        "the case page leads to discipline"
    );
    record_finding(
        &app,
        id,
        "NV-0101",
        "2026-11-20",
        &cited(&app, "rude").await,
    )
    .await;
    decide(
        &app,
        id,
        finding_id(&app, id, person).await,
        &lawful("reprimand", "31/QĐ-PCHK", &[]),
    )
    .await;
    let decision = decisions(&app).await.pop().unwrap().id;
    let appeal = |status: &'static str| {
        let path = format!("/cases/{id}/discipline/decisions/{decision}/appeal");
        let app = &app;
        async move { app.post_form(&path, &[("status", status)]).await.status() }
    };
    assert_eq!(appeal("lodged").await, Status::SeeOther);
    become_user(&app, "truong.doan@evn.vn").await;
    assert_eq!(appeal("overturned").await, Status::SeeOther);
    assert_eq!(appeal("upheld").await, Status::Conflict, "final");
    assert_eq!(audited(&app, "discipline_appeal_changed").await, 2);
    let (_, history) = app.get_text(&format!("/staff-history/{person}")).await;
    assert!(history.contains("Đã bị hủy bỏ khi giải quyết khiếu nại"));
}

/// Links the account `email` to the staff record `staff_id` (as an admin would).
async fn link_account(app: &TestApp, email: &str, staff_id: i32) {
    use conduct_portal::platform::persistence::entities::app_user;
    let user = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    let mut active = user.into_active_model();
    active.staff_member_id = Set(Some(staff_id));
    active.update(app.state().db.conn()).await.unwrap();
}

#[rocket::async_test]
async fn nobody_decides_or_moves_an_appeal_on_their_own_record_and_only_team_leads_overturn() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = hoan_kiem(&app).await;
    member(&app, team, "pho.doan@evn.vn", &[Role::TeamLead]).await;
    let person = staff(&app, "NV-0101", "Mai Văn Kháng").await;
    let (id, _) = concluded_case(&app, "rude", "substantiated").await;
    let (status, _) = record_finding(
        &app,
        id,
        "NV-0101",
        "2026-11-20",
        &cited(&app, "rude").await,
    )
    .await;
    assert_eq!(status, Status::SeeOther);
    let finding = finding_id(&app, id, person).await;

    // The team lead turns out to be the person found against: no decision on their own record.
    link_account(&app, "truong.doan@evn.vn", person).await;
    become_user(&app, "truong.doan@evn.vn").await;
    assert_eq!(
        app.get_text(&format!("/cases/{id}")).await.0,
        Status::NotFound,
        "a finding against a team member takes the case out of their reach"
    );
    let (status, _) = decide(&app, id, finding, &lawful("reprimand", "31/QĐ-PCHK", &[])).await;
    assert!(
        matches!(status, Status::Conflict | Status::NotFound),
        "refused, not {status}"
    );
    assert!(decisions(&app).await.is_empty());
    assert_eq!(audited(&app, "discipline_decision_recorded").await, 0);

    become_user(&app, "thanh.tra@evn.vn").await;
    let (status, _) = decide(&app, id, finding, &lawful("reprimand", "31/QĐ-PCHK", &[])).await;
    assert_eq!(status, Status::SeeOther);
    let decision = decisions(&app).await.pop().unwrap().id;
    let appeal = |status: &'static str| {
        let path = format!("/cases/{id}/discipline/decisions/{decision}/appeal");
        let app = &app;
        async move { app.post_form(&path, &[("status", status)]).await.status() }
    };
    assert_eq!(appeal("lodged").await, Status::SeeOther);
    // An inspector cannot overturn, whatever the page offers.
    let (_, page) = app.get_text(&format!("/cases/{id}/discipline")).await;
    assert!(!page.contains("value=\"overturned\""));
    assert_eq!(appeal("overturned").await, Status::Forbidden);
    // Nor can the lead whose own decision it is.
    become_user(&app, "truong.doan@evn.vn").await;
    let status = appeal("overturned").await;
    assert!(
        matches!(status, Status::Conflict | Status::NotFound),
        "refused, not {status}"
    );
    assert_eq!(audited(&app, "discipline_appeal_changed").await, 1);
    // Another team lead can.
    become_user(&app, "pho.doan@evn.vn").await;
    assert_eq!(appeal("overturned").await, Status::SeeOther);
    assert_eq!(audited(&app, "discipline_appeal_changed").await, 2);
}

#[rocket::async_test]
async fn admins_add_rename_and_deactivate_internal_measures_after_confirmation() {
    let app = TestApp::spawn_with(no_two_factor).await;
    create_user(&app, "quan.tri@evn.vn", &[Role::Admin]).await;
    sign_in(&app, "quan.tri@evn.vn").await;
    let (_, home) = app.get_text("/staff").await;
    assert!(home.contains("href=\"/admin/measures\""));
    assert!(!home.contains("href=\"/staff-history\""));
    let (status, list) = app.get_text("/admin/measures").await;
    assert_eq!(status, Status::Ok);
    for seeded in ["Nhắc nhở", "Phê bình", "Đào tạo lại", "Trừ điểm thi đua"] {
        assert!(list.contains(seeded), "{seeded}");
    }
    let response = app
        .post_form(
            "/admin/measures",
            &[
                ("code", "Coaching"),
                ("name_vi", "Kèm cặp"),
                ("name_en", "Coaching"),
                ("sort_order", "60"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let response = app
        .post_form(
            "/admin/measures",
            &[
                ("code", "coaching"),
                ("name_vi", "Trùng"),
                ("name_en", "Duplicate"),
                ("sort_order", "70"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    assert!(response
        .into_string()
        .await
        .unwrap()
        .contains("Mã này đã được dùng."));
    let coaching = internal_measure::Entity::find()
        .filter(internal_measure::Column::Code.eq("coaching"))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    let response = app
        .post_form(
            &format!("/admin/measures/{}/edit", coaching.id),
            &[
                ("name_vi", "Kèm cặp tại chỗ"),
                ("name_en", "On-the-job coaching"),
                ("sort_order", "60"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let (status, confirm) = app
        .get_text(&format!("/admin/measures/{}/deactivate", coaching.id))
        .await;
    assert_eq!(status, Status::Ok);
    assert!(confirm.contains("Ngừng sử dụng «Kèm cặp tại chỗ»?"));
    let response = app
        .post_form(&format!("/admin/measures/{}/deactivate", coaching.id), &[])
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let response = app
        .post_form(&format!("/admin/measures/{}/deactivate", coaching.id), &[])
        .await;
    assert_eq!(response.status(), Status::Conflict, "already deactivated");
    assert!(
        !internal_measure::Entity::find_by_id(coaching.id)
            .one(app.state().db.conn())
            .await
            .unwrap()
            .unwrap()
            .active
    );
    for action in [
        "internal_measure_created",
        "internal_measure_updated",
        "internal_measure_deactivated",
    ] {
        assert_eq!(audited(&app, action).await, 1, "{action}");
    }

    // A deactivated measure is no longer offered, and cannot be chosen.
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(&app, team, "thanh.tra@evn.vn", &[Role::Inspector]).await;
    become_user(&app, "thanh.tra@evn.vn").await;
    let person = staff(&app, "NV-0111", "Lý Văn Nhẹ").await;
    let (id, _) = concluded_case(&app, "rude", "substantiated").await;
    record_finding(
        &app,
        id,
        "NV-0111",
        "2026-11-20",
        &cited(&app, "rude").await,
    )
    .await;
    let finding = finding_id(&app, id, person).await;
    let (_, form) = app
        .get_text(&format!(
            "/cases/{id}/discipline/findings/{finding}/decision"
        ))
        .await;
    assert!(form.contains("Nhắc nhở"));
    assert!(!form.contains("Kèm cặp tại chỗ"));
    let inactive = format!("internal:{}", coaching.id);
    let (status, _) = decide(&app, id, finding, &lawful(&inactive, "41/QĐ", &[])).await;
    assert_eq!(status, Status::UnprocessableEntity);
    // An internal measure is not bound by the Labour Code's minutes requirement.
    let reminder = internal_measure::Entity::find()
        .filter(internal_measure::Column::Code.eq("reminder"))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    let choice = format!("internal:{}", reminder.id);
    let (status, _) = decide(
        &app,
        id,
        finding,
        &lawful(&choice, "41/QĐ", &[("minutes_reference", "")]),
    )
    .await;
    assert_eq!(status, Status::SeeOther);
    let decision = decisions(&app).await.pop().unwrap();
    assert_eq!(decision.measure, "internal");
    assert_eq!(decision.internal_measure_id, Some(reminder.id));
    assert_eq!(decision.clears_on, None);
}

#[rocket::async_test]
async fn a_decision_needs_the_representative_and_the_employee_heard_or_a_lawful_reason() {
    // The rule is proved in `domain::discipline::hearing`; this is the smoke test over HTTP.
    let app = TestApp::spawn_with(no_two_factor).await;
    hoan_kiem(&app).await;
    let person = staff(&app, "NV-0061", "Đinh Văn Vắng").await;
    let (id, _) = concluded_case(&app, "rude", "substantiated").await;
    record_finding(
        &app,
        id,
        "NV-0061",
        "2026-11-20",
        &cited(&app, "rude").await,
    )
    .await;
    let finding = finding_id(&app, id, person).await;

    let absent = [
        ("representative_took_part", "false"),
        ("employee_heard", "false"),
    ];
    let (status, page) = decide(
        &app,
        id,
        finding,
        &lawful("reprimand", "11/QĐ-PCHK", &absent),
    )
    .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(page.contains("điểm b khoản 1 Điều 122"), "{page}");
    assert!(page.contains("điểm c khoản 1 Điều 122"));
    assert!(decisions(&app).await.is_empty());

    let excused = [
        ("representative_took_part", "false"),
        ("representative_absence", "not_a_member"),
        ("employee_heard", "false"),
        ("employee_absence", "absent_after_three_notices"),
    ];
    let (status, _) = decide(
        &app,
        id,
        finding,
        &lawful("reprimand", "11/QĐ-PCHK", &excused),
    )
    .await;
    assert_eq!(status, Status::SeeOther);
    let recorded = decisions(&app).await;
    assert_eq!(
        recorded[0].representative_absence.as_deref(),
        Some("not_a_member")
    );
    assert_eq!(
        recorded[0].employee_absence.as_deref(),
        Some("absent_after_three_notices")
    );
}

#[rocket::async_test]
async fn removal_from_post_is_refused_for_a_person_holding_no_managerial_post() {
    // The rule is proved in `domain::discipline`; this is the smoke test over HTTP.
    let app = TestApp::spawn_with(no_two_factor).await;
    hoan_kiem(&app).await;
    let person = staff(&app, "NV-0071", "Hồ Văn Chức").await;
    let (id, _) = concluded_case(&app, "rude", "substantiated").await;
    record_finding(
        &app,
        id,
        "NV-0071",
        "2026-11-20",
        &cited(&app, "rude").await,
    )
    .await;
    let finding = finding_id(&app, id, person).await;
    let (status, page) = decide(
        &app,
        id,
        finding,
        &lawful("removal_from_post", "12/QĐ-PCHK", &[]),
    )
    .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(page.contains("Hình thức cách chức chỉ áp dụng"), "{page}");
    assert!(page.contains("(Điều 124 Bộ luật Lao động 2019)"));
    assert!(decisions(&app).await.is_empty());

    holding_post(&app, person).await;
    let (status, _) = decide(
        &app,
        id,
        finding,
        &lawful("removal_from_post", "12/QĐ-PCHK", &[]),
    )
    .await;
    assert_eq!(status, Status::SeeOther);
    assert_eq!(decisions(&app).await[0].measure, "removal_from_post");
}

#[rocket::async_test]
async fn internal_measures_are_never_fines_pay_cuts_or_disguised_sanctions() {
    // Labour Code Art. 127(2); the wording rule is proved in `domain::discipline`.
    let app = TestApp::spawn_with(no_two_factor).await;
    create_user(&app, "quan.tri@evn.vn", &[Role::Admin]).await;
    sign_in(&app, "quan.tri@evn.vn").await;
    let (status, list) = app.get_text("/admin/measures").await;
    assert_eq!(status, Status::Ok);
    assert!(list.contains("id=\"measures-not-sanctions\""), "{list}");
    assert!(list.contains("(khoản 2 Điều 127 Bộ luật Lao động 2019)"));
    for code in ["emulation_points", "reassignment"] {
        let reviewed = internal_measure::Entity::find()
            .filter(internal_measure::Column::Code.eq(code))
            .one(app.state().db.conn())
            .await
            .unwrap()
            .expect("kept, not deleted");
        assert!(!reviewed.active, "{code} deactivated");
        let why = reviewed.description_vi.unwrap();
        assert!(list.contains(&why), "{code}: the reason is shown");
        assert!(reviewed.description_en.unwrap().contains("Article 12"));
    }
    let response = app
        .post_form(
            "/admin/measures",
            &[
                ("code", "tru_luong"),
                ("name_vi", "Trừ lương 10%"),
                ("name_en", "Deduction"),
                ("sort_order", "60"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let page = response.into_string().await.unwrap();
    assert!(
        page.contains("không được là phạt tiền, trừ lương"),
        "{page}"
    );
    assert!(page.contains("(khoản 2 Điều 127 Bộ luật Lao động 2019)"));
    let reminder = internal_measure::Entity::find()
        .filter(internal_measure::Column::Code.eq("reminder"))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    let response = app
        .post_form(
            &format!("/admin/measures/{}/edit", reminder.id),
            &[
                ("name_vi", "Nhắc nhở"),
                ("name_en", "Reminder and fine"),
                ("sort_order", "10"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    assert_eq!(app.count("internal_measure").await, 5, "nothing created");
    assert_eq!(
        internal_measure::Entity::find_by_id(reminder.id)
            .one(app.state().db.conn())
            .await
            .unwrap()
            .unwrap()
            .name_en,
        "Reminder"
    );
}

#[rocket::async_test]
async fn a_dismissal_records_its_article_125_ground_and_re_offending_needs_an_uncleared_record() {
    // The rules are proved in `domain::discipline`; this is the smoke test over HTTP.
    let app = TestApp::spawn_with(no_two_factor).await;
    hoan_kiem(&app).await;
    let person = staff(&app, "NV-0081", "Vũ Văn Tái").await;
    let articles = cited(&app, "rude").await;
    let (earlier, _) = concluded_case(&app, "rude", "substantiated").await;
    let (later, _) = concluded_case(&app, "rude", "substantiated").await;
    record_finding(&app, earlier, "NV-0081", "2026-11-01", &articles).await;
    record_finding(&app, later, "NV-0081", "2026-11-20", &articles).await;
    let later_finding = finding_id(&app, later, person).await;
    let (_, form) = app
        .get_text(&format!(
            "/cases/{later}/discipline/findings/{later_finding}/decision"
        ))
        .await;
    assert!(form.contains("name=\"dismissal_ground\""));
    assert!(form.contains("value=\"art125_4\""));

    let (status, page) = decide(
        &app,
        later,
        later_finding,
        &lawful("dismissal", "21/QĐ-PCHK", &[]),
    )
    .await;
    assert_eq!(status, Status::UnprocessableEntity, "no ground");
    assert!(
        page.contains("các trường hợp của Điều 125 Bộ luật Lao động 2019"),
        "{page}"
    );
    let repeat = [("dismissal_ground", "art125_3")];
    let (status, page) = decide(
        &app,
        later,
        later_finding,
        &lawful("dismissal", "21/QĐ-PCHK", &repeat),
    )
    .await;
    assert_eq!(status, Status::UnprocessableEntity, "nothing uncleared");
    assert!(
        page.contains("(khoản 3 Điều 125 Bộ luật Lao động 2019)"),
        "{page}"
    );
    assert!(decisions(&app).await.is_empty());

    // A pay-rise deferral decided on 02/11/2026, before the later violation of 20/11/2026.
    let (status, _) = decide(
        &app,
        earlier,
        finding_id(&app, earlier, person).await,
        &lawful(
            "pay_rise_deferral",
            "20/QĐ-PCHK",
            &[("deferral_months", "3"), ("decision_date", "2026-11-02")],
        ),
    )
    .await;
    assert_eq!(status, Status::SeeOther);
    let (status, _) = decide(
        &app,
        later,
        later_finding,
        &lawful("dismissal", "21/QĐ-PCHK", &repeat),
    )
    .await;
    assert_eq!(status, Status::SeeOther, "re-offending while not cleared");
    let dismissal = decisions(&app).await.pop().unwrap();
    assert_eq!(dismissal.dismissal_ground.as_deref(), Some("art125_3"));
    let (status, print) = app
        .get_text(&format!(
            "/cases/{later}/discipline/decisions/{}/print",
            dismissal.id
        ))
        .await;
    assert_eq!(status, Status::Ok);
    assert!(
        print.contains("Căn cứ sa thải: Khoản 3 Điều 125: tái phạm"),
        "{print}"
    );
}

#[rocket::async_test]
async fn findings_recorded_before_the_per_finding_limitation_take_their_category_flag() {
    // Migration m20261209_000001: the rule until then was the category's flag.
    use migrations::{Migrator, MigratorTrait};
    let app = TestApp::spawn_with(no_two_factor).await;
    // Bribery goes to the corporation's board; both cases are the board's here.
    let board = inspection_team::Entity::find()
        .filter(inspection_team::Column::OrgUnitId.eq(unit(&app, "EVNHANOI").await.id))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .id;
    member(&app, board, "ban.thanh.tra@evn.vn", &[Role::Inspector]).await;
    sign_in(&app, "ban.thanh.tra@evn.vn").await;
    let person = staff(&app, "NV-0091", "Tạ Văn Cũ").await;
    let (flagged, _) = concluded_case(&app, "bribery", "substantiated").await;
    let (plain, _) = concluded_case(&app, "bribery", "substantiated").await;
    // The second case's category is not flagged (as if an admin cleared the flag).
    let mut other = case_file::Entity::find()
        .filter(case_file::Column::ReportId.eq(plain))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    other.category_id = Set(category(&app, "rude").await.id);
    other.update(app.state().db.conn()).await.unwrap();
    for (case, code) in [(flagged, "bribery"), (plain, "bribery")] {
        let articles = cited(&app, code).await;
        let (status, _) = record_finding(&app, case, "NV-0091", "2026-11-20", &articles).await;
        assert_eq!(status, Status::SeeOther);
    }
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let since = Migrator::migrations()
        .iter()
        .rev()
        .position(|m| m.name() == "m20261209_000001_finding_limitation")
        .unwrap();
    Migrator::down(&db, Some(u32::try_from(since + 1).unwrap()))
        .await
        .unwrap();
    Migrator::up(&db, None).await.unwrap();
    db.close().await.unwrap();
    let migrated = discipline_finding::Entity::find_by_id(finding_id(&app, flagged, person).await)
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    assert!(migrated.finance_assets_secrets);
    assert!(migrated
        .finance_assets_reason
        .unwrap()
        .contains("Theo loại vi phạm"));
    let untouched = discipline_finding::Entity::find_by_id(finding_id(&app, plain, person).await)
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    assert!(!untouched.finance_assets_secrets);
    assert_eq!(untouched.finance_assets_reason, None);
}

// ---- The internal labour regulations (Labour Code 2019 Art. 127(3), issue 12, item 5) ----

async fn labour_rule_of(app: &TestApp, code: &str) -> labour_rule::Model {
    labour_rule::Entity::find()
        .filter(labour_rule::Column::Code.eq(code))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("labour rule {code}"))
}

#[rocket::async_test]
async fn a_decision_cites_the_regulation_articles_setting_out_its_violation_as_they_read_that_day()
{
    let app = TestApp::spawn_with(no_two_factor).await;
    hoan_kiem(&app).await;
    let person = staff(&app, "NV-0081", "Đinh Văn Ghi").await;
    // A wrong bill breaches UXKH-04, which the shipped "Điều 14" sets out.
    let (id, _) = concluded_case(&app, "billing", "substantiated").await;
    let articles = cited(&app, "billing").await;
    assert_eq!(articles, ["UXKH-04"]);
    record_finding(&app, id, "NV-0081", "2026-11-20", &articles).await;
    let finding = finding_id(&app, id, person).await;
    let title = "Trung thực trong ghi chỉ số công tơ và tính hóa đơn tiền điện";
    let form_path = format!("/cases/{id}/discipline/findings/{finding}/decision");
    let (_, form) = app.get_text(&form_path).await;
    assert!(
        form.contains(&format!("Điều 14 — {title}")),
        "the form shows the basis"
    );

    let (status, _) = decide(&app, id, finding, &lawful("reprimand", "21/QĐ-PCHK", &[])).await;
    assert_eq!(status, Status::SeeOther);
    let decision = decisions(&app).await.pop().unwrap();
    let stored = discipline_decision_labour_rule::Entity::find()
        .filter(discipline_decision_labour_rule::Column::DecisionId.eq(decision.id))
        .all(app.state().db.conn())
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].code, "Điều 14");
    assert_eq!(stored[0].title_vi, title);
    let entry = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("discipline_decision_recorded"))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    assert!(entry
        .details
        .unwrap()
        .contains("\"labour_rules\":[\"Điều 14\"]"));

    let (_, page) = app.get_text(&format!("/cases/{id}/discipline")).await;
    assert!(page.contains("Nội quy lao động làm căn cứ"));
    assert!(page.contains(&format!("Điều 14 — {title}")));
    let print = format!("/cases/{id}/discipline/decisions/{}/print", decision.id);
    let (_, doc) = app.get_text(&print).await;
    assert!(doc.contains("Căn cứ Bộ Quy tắc ứng xử văn hóa:"));
    assert!(
        doc.contains(&format!(
            "Căn cứ Điều 14 «{title}» Nội quy lao động của đơn vị;"
        )),
        "{doc}"
    );
    assert!(doc.contains("của Bộ Quy tắc ứng xử văn hóa và Nội quy lao động"));
    assert!(!doc.contains("Căn cứ Nội quy lao động của đơn vị;"));

    // Renumbering and retitling the regulations later does not change the issued decision.
    let mut renumbered = labour_rule_of(&app, "Điều 14").await.into_active_model();
    renumbered.code = Set("Điều 15a".into());
    renumbered.title_vi = Set("Tiêu đề mới sau khi sửa nội quy".into());
    renumbered.update(app.state().db.conn()).await.unwrap();
    let (_, doc) = app.get_text(&print).await;
    assert!(doc.contains(&format!("Căn cứ Điều 14 «{title}»")));
    assert!(!doc.contains("Tiêu đề mới sau khi sửa nội quy"));
    let (_, page) = app
        .get_text(&format!("/cases/{id}/discipline?lang=en"))
        .await;
    assert!(page.contains("Internal labour regulations relied on"));
    assert!(page.contains("Điều 14 — Honest meter reading and billing"));
}

#[rocket::async_test]
async fn a_labour_code_form_for_a_violation_no_regulation_article_sets_out_is_refused_under_article_127(
) {
    let app = TestApp::spawn_with(no_two_factor).await;
    hoan_kiem(&app).await;
    let person = staff(&app, "NV-0082", "Kiều Văn Cắt").await;
    // "Điều 16" alone sets out UXKH-05 (unlawful power cut); it is no longer in force.
    let mut cut = labour_rule_of(&app, "Điều 16").await.into_active_model();
    cut.active = Set(false);
    cut.update(app.state().db.conn()).await.unwrap();
    let (id, _) = concluded_case(&app, "power_cut", "substantiated").await;
    let articles = cited(&app, "power_cut").await;
    assert_eq!(articles, ["UXKH-05"]);
    record_finding(&app, id, "NV-0082", "2026-11-20", &articles).await;
    let finding = finding_id(&app, id, person).await;
    let form_path = format!("/cases/{id}/discipline/findings/{finding}/decision");
    let (_, form) = app.get_text(&form_path).await;
    assert!(form.contains("Chưa có điều nào đang áp dụng của Nội quy lao động"));

    for measure in ["reprimand", "dismissal"] {
        let (status, page) = decide(
            &app,
            id,
            finding,
            &lawful(measure, "22/QĐ-PCHK", &[("dismissal_ground", "art125_2")]),
        )
        .await;
        assert_eq!(status, Status::UnprocessableEntity, "{measure}");
        assert!(
            page.contains("Không được xử lý kỷ luật lao động đối với hành vi vi phạm không được quy định trong nội quy lao động (khoản 3 Điều 127 Bộ luật Lao động 2019)"),
            "{page}"
        );
        assert!(page.contains("vi phạm ngày 20&#x2F;11&#x2F;2026"));
    }
    app.get_text("/staff?lang=en").await;
    let (status, page) = decide(&app, id, finding, &lawful("reprimand", "22/QĐ-PCHK", &[])).await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(
        page.contains("(Labour Code 2019, Article 127(3))"),
        "{page}"
    );
    assert!(decisions(&app).await.is_empty());
    assert_eq!(app.count("discipline_decision_labour_rule").await, 0);

    // An internal measure is not discipline under the Code: it needs no regulation article.
    let reminder = internal_measure::Entity::find()
        .filter(internal_measure::Column::Code.eq("reminder"))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    let choice = format!("internal:{}", reminder.id);
    let (status, _) = decide(&app, id, finding, &lawful(&choice, "23/QĐ-PCHK", &[])).await;
    assert_eq!(status, Status::SeeOther);
    assert_eq!(decisions(&app).await.len(), 1);
    assert_eq!(app.count("discipline_decision_labour_rule").await, 0);
    let decision = decisions(&app).await[0].id;
    let (_, doc) = app
        .get_text(&format!(
            "/cases/{id}/discipline/decisions/{decision}/print"
        ))
        .await;
    assert!(doc.contains("Căn cứ Nội quy lao động của đơn vị;"));
}
