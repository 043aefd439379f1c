//! `/admin/units`, `/admin/categories`, `/admin/articles`: the reference data admins edit, through
//! the real app, each change checked in the database and in the audit trail.

use chrono::NaiveDate;
use conduct_portal::domain::roles::Role;
use conduct_portal::platform::persistence::entities::{
    audit_log, category_article, culture_article, culture_chapter, holiday, inspection_team,
    org_unit, routing_rule, violation_category,
};
use conduct_portal::platform::persistence::is_duplicate;
use rocket::http::Status;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::support::*;

const ADMIN: &str = "admin@evn.vn";

async fn admin_app() -> TestApp {
    let app = TestApp::spawn().await;
    sign_in_as(&app, ADMIN, &[Role::Admin]).await;
    app
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn unit(app: &TestApp, code: &str) -> org_unit::Model {
    org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq(code))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("unit {code}"))
}

async fn category(app: &TestApp, code: &str) -> violation_category::Model {
    violation_category::Entity::find()
        .filter(violation_category::Column::Code.eq(code))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("category {code}"))
}

async fn cited(app: &TestApp, category_id: i32) -> Vec<String> {
    let mut keys: Vec<String> = category_article::Entity::find()
        .filter(category_article::Column::CategoryId.eq(category_id))
        .all(app.state().db.conn())
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.article_key)
        .collect();
    keys.sort();
    keys
}

async fn versions(app: &TestApp, key: &str) -> Vec<culture_article::Model> {
    culture_article::Entity::find()
        .filter(culture_article::Column::ArticleKey.eq(key))
        .order_by_asc(culture_article::Column::Version)
        .all(app.state().db.conn())
        .await
        .unwrap()
}

/// Audit entries with `action`, oldest first.
async fn audited(app: &TestApp, action: &str) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .order_by_asc(audit_log::Column::Id)
        .all(app.state().db.conn())
        .await
        .unwrap()
}

/// `text` as Tera's autoescaping writes it (it escapes `/` too).
fn escaped(text: &str) -> String {
    text.replace('/', "&#x2F;")
}

fn location(response: &rocket::local::asynchronous::LocalResponse<'_>) -> String {
    response
        .headers()
        .get_one("Location")
        .unwrap_or_default()
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// Access
// ---------------------------------------------------------------------------------------------

#[rocket::async_test]
async fn an_anonymous_visitor_is_sent_to_sign_in_from_every_reference_screen() {
    let app = TestApp::spawn().await;
    for path in [
        "/admin/units",
        "/admin/units/new",
        "/admin/units/1/edit",
        "/admin/units/1/deactivate",
        "/admin/categories",
        "/admin/categories/1/edit",
        "/admin/articles",
        "/admin/articles/UXKH-01",
        "/admin/articles/UXKH-01/edit",
    ] {
        let response = app.client.get(path).dispatch().await;
        assert_eq!(response.status(), Status::SeeOther, "{path}");
        assert_eq!(location(&response), "/staff/sign-in", "{path}");
    }
}

#[rocket::async_test]
async fn an_inspector_gets_403_on_the_reference_screens_and_changes_nothing() {
    let app = TestApp::spawn().await;
    sign_in_as(&app, "inspector@evn.vn", &[Role::Inspector]).await;
    for path in ["/admin/units", "/admin/categories", "/admin/articles"] {
        let (status, _) = app.get_text(path).await;
        assert_eq!(status, Status::Forbidden, "{path}");
    }
    let units = app.count("org_unit").await;
    let audit = app.count("audit_log").await;
    let parent = unit(&app, "PCHAIPHONG").await.id.to_string();
    let response = app
        .post_form(
            "/admin/units",
            &[
                ("parent_id", parent.as_str()),
                ("kind", "office"),
                ("code", "PCHP-PGDX"),
                ("name_vi", "Phòng giao dịch X"),
                ("name_en", "Office X"),
                ("active_from", "2026-12-01"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::Forbidden);
    let leaf = unit(&app, "PCHP-PGDKIENAN").await.id;
    let response = app
        .post_form(&format!("/admin/units/{leaf}/deactivate"), &[])
        .await;
    assert_eq!(response.status(), Status::Forbidden);
    assert_eq!(app.count("org_unit").await, units);
    assert_eq!(app.count("audit_log").await, audit);
    assert_eq!(unit(&app, "PCHP-PGDKIENAN").await.active_to, None);
}

// ---------------------------------------------------------------------------------------------
// Org units
// ---------------------------------------------------------------------------------------------

#[rocket::async_test]
async fn the_unit_tree_shows_every_unit_with_kind_code_names_and_status() {
    let app = admin_app().await;
    let (status, body) = app.get_text("/admin/units").await;
    assert_eq!(status, Status::Ok);
    for text in [
        "EVNNPC",
        "PCHP-PGDKIENAN",
        "Tổng công ty",
        "Đang hoạt động",
        "tree-depth-0",
        "tree-depth-3",
    ] {
        assert!(body.contains(text), "{text}");
    }
    assert!(
        body.find("EVNNPC").unwrap() < body.find("PCHP-DLNGOQUYEN").unwrap(),
        "children come after their corporation"
    );
}

#[rocket::async_test]
async fn an_admin_adds_a_unit_under_a_company_and_customers_can_choose_it() {
    let app = admin_app().await;
    let parent = unit(&app, "PCHAIPHONG").await;
    let before = app.count("org_unit").await;
    let (status, form) = app
        .get_text(&format!("/admin/units/new?parent={}", parent.id))
        .await;
    assert_eq!(status, Status::Ok);
    assert!(form.contains(&format!("value=\"{}\" selected", parent.id)));
    assert!(form.contains("value=\"2026-11-27\""), "today is suggested");

    let parent_id = parent.id.to_string();
    let response = app
        .post_form(
            "/admin/units",
            &[
                ("parent_id", parent_id.as_str()),
                ("kind", "office"),
                ("code", "pchp-pgdthuynguyen"),
                ("name_vi", "Phòng giao dịch Thủy Nguyên"),
                ("name_en", "Thuy Nguyen customer office"),
                ("active_from", "2026-11-01"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), "/admin/units");

    assert_eq!(app.count("org_unit").await, before + 1);
    let added = unit(&app, "PCHP-PGDTHUYNGUYEN").await;
    assert_eq!(added.parent_id, Some(parent.id));
    assert_eq!(added.kind, "office");
    assert_eq!(added.active_from, Some(day(2026, 11, 1)));
    assert_eq!(added.active_to, None);

    let entries = audited(&app, "unit_created").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].object_id, Some(added.id.to_string()));
    assert_eq!(entries[0].actor_label, ADMIN);

    let (_, list) = app.get_text("/admin/units").await;
    assert!(list.contains("Đã thêm đơn vị."), "flash shown");
    assert!(list.contains("Phòng giao dịch Thủy Nguyên"));
    let (_, report_form) = app.get_text("/report").await;
    assert!(report_form.contains("Phòng giao dịch Thủy Nguyên"));
}

#[rocket::async_test]
async fn a_bad_new_unit_is_refused_with_every_error_beside_its_field_and_the_typed_values_kept() {
    let app = admin_app().await;
    let parent = unit(&app, "EVNNPC").await.id.to_string();
    let before = app.count("org_unit").await;
    let audit = app.count("audit_log").await;
    let response = app
        .post_form(
            "/admin/units",
            &[
                ("parent_id", parent.as_str()),
                ("kind", "province"),
                ("code", "EVNNPC"),
                ("name_vi", "Điện lực <Thử>"),
                ("name_en", ""),
                ("active_from", "27/11/2026"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let body = response.into_string().await.unwrap();
    assert!(
        body.contains("Điện lực &lt;Thử&gt;"),
        "typed value kept, escaped"
    );
    assert!(body.contains("Hãy chọn cấp tổ chức trong danh sách."));
    assert!(body.contains("Hãy nhập tên đơn vị."));
    assert!(body.contains("Ngày không hợp lệ."));
    assert!(
        body.contains("Đã có đơn vị dùng mã này."),
        "reported at once"
    );
    assert!(body.contains("id=\"name_en-error\""));

    // With the syntax right, the taken code is caught.
    let response = app
        .post_form(
            "/admin/units",
            &[
                ("parent_id", parent.as_str()),
                ("kind", "company"),
                ("code", "evnnpc"),
                ("name_vi", "Trùng mã"),
                ("name_en", "Duplicate"),
                ("active_from", "2026-11-27"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let body = response.into_string().await.unwrap();
    assert!(body.contains("Đã có đơn vị dùng mã này."));
    assert!(body.contains("value=\"Trùng mã\""));

    assert_eq!(app.count("org_unit").await, before);
    assert_eq!(app.count("audit_log").await, audit);
}

#[rocket::async_test]
async fn an_admin_renames_a_unit_but_its_code_stays() {
    let app = admin_app().await;
    let target = unit(&app, "PCND-DLHAIHAU").await;
    let (status, form) = app
        .get_text(&format!("/admin/units/{}/edit", target.id))
        .await;
    assert_eq!(status, Status::Ok);
    assert!(form.contains(&target.name_vi));
    assert!(!form.contains("name=\"code\""), "the code is not a field");

    let response = app
        .post_form(
            &format!("/admin/units/{}/edit", target.id),
            &[
                ("code", "HACKED"),
                ("kind", "district"),
                ("name_vi", "Điện lực Hải Hậu mới"),
                ("name_en", "Hai Hau power unit (new)"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let renamed = unit(&app, "PCND-DLHAIHAU").await;
    assert_eq!(renamed.name_vi, "Điện lực Hải Hậu mới");
    assert_eq!(renamed.name_en, "Hai Hau power unit (new)");
    assert_eq!(renamed.parent_id, target.parent_id);
    let entries = audited(&app, "unit_updated").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].object_id, Some(target.id.to_string()));
    assert!(entries[0]
        .details
        .as_deref()
        .unwrap()
        .contains("Điện lực Hải Hậu mới"));

    // Saving the same values again changes and audits nothing.
    app.post_form(
        &format!("/admin/units/{}/edit", target.id),
        &[
            ("kind", "district"),
            ("name_vi", "Điện lực Hải Hậu mới"),
            ("name_en", "Hai Hau power unit (new)"),
        ],
    )
    .await;
    assert_eq!(audited(&app, "unit_updated").await.len(), 1);

    let response = app.post_form("/admin/units/999999/edit", &[]).await;
    assert_eq!(response.status(), Status::NotFound);
}

#[rocket::async_test]
async fn an_admin_moves_a_unit_under_another_parent() {
    let app = admin_app().await;
    let moving = unit(&app, "PCND-DLHAIHAU").await;
    let new_parent = unit(&app, "PCHAIPHONG").await;
    let (status, page) = app
        .get_text(&format!("/admin/units/{}/move", moving.id))
        .await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains(&format!("value=\"{}\"", new_parent.id)));

    let to = new_parent.id.to_string();
    let response = app
        .post_form(
            &format!("/admin/units/{}/move", moving.id),
            &[("parent_id", to.as_str())],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(
        unit(&app, "PCND-DLHAIHAU").await.parent_id,
        Some(new_parent.id)
    );
    let entries = audited(&app, "unit_moved").await;
    assert_eq!(entries.len(), 1);
    let details = entries[0].details.clone().unwrap();
    assert!(details.contains(&format!("\"from_parent_id\":{}", moving.parent_id.unwrap())));
    assert!(details.contains(&format!("\"to_parent_id\":{}", new_parent.id)));
}

#[rocket::async_test]
async fn moving_a_unit_under_itself_or_a_descendant_is_refused_and_changes_nothing() {
    let app = admin_app().await;
    let corporation = unit(&app, "EVNNPC").await;
    let grandchild = unit(&app, "PCHP-DLNGOQUYEN").await;
    let audit = app.count("audit_log").await;
    for target in [grandchild.id, corporation.id] {
        let target = target.to_string();
        let response = app
            .post_form(
                &format!("/admin/units/{}/move", corporation.id),
                &[("parent_id", target.as_str())],
            )
            .await;
        assert_eq!(response.status(), Status::UnprocessableEntity);
        let body = response.into_string().await.unwrap();
        assert!(body.contains("Không thể chuyển một đơn vị vào chính nó"));
    }
    assert_eq!(unit(&app, "EVNNPC").await.parent_id, corporation.parent_id);
    assert_eq!(app.count("audit_log").await, audit);
    assert!(audited(&app, "unit_moved").await.is_empty());
}

#[rocket::async_test]
async fn deactivating_a_unit_asks_for_confirmation_then_sets_its_last_day_to_today() {
    let app = admin_app().await;
    let office = unit(&app, "PCHP-PGDKIENAN").await;
    let path = format!("/admin/units/{}/deactivate", office.id);

    let (status, page) = app.get_text(&path).await;
    assert_eq!(status, Status::Ok);
    assert!(
        page.contains(&escaped("27/11/2026")),
        "the date it will record"
    );
    assert!(page.contains(&format!("action=\"{path}\"")));
    assert_eq!(
        unit(&app, "PCHP-PGDKIENAN").await.active_to,
        None,
        "showing the page changes nothing"
    );

    let response = app.post_form(&path, &[]).await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(
        unit(&app, "PCHP-PGDKIENAN").await.active_to,
        Some(day(2026, 11, 27))
    );
    let entries = audited(&app, "unit_deactivated").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].object_id, Some(office.id.to_string()));

    let (_, list) = app.get_text("/admin/units").await;
    assert!(list.contains(&escaped("Đã ngừng hoạt động (ngày cuối: 27/11/2026)")));

    // A second attempt is refused; nothing more is written.
    let response = app.post_form(&path, &[]).await;
    assert_eq!(response.status(), Status::Conflict);
    assert_eq!(audited(&app, "unit_deactivated").await.len(), 1);

    // No new unit can be placed under it.
    let parent = office.id.to_string();
    let response = app
        .post_form(
            "/admin/units",
            &[
                ("parent_id", parent.as_str()),
                ("kind", "office"),
                ("code", "PCHP-PGDCON"),
                ("name_vi", "Con"),
                ("name_en", "Child"),
                ("active_from", "2026-11-27"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);

    // The last day is still offered to customers; the day after, it is not.
    let (_, report_form) = app.get_text("/report").await;
    assert!(report_form.contains(&office.name_vi));
    app.clock.advance(chrono::Duration::days(1));
    let (_, report_form) = app.get_text("/report").await;
    assert!(!report_form.contains(&office.name_vi));
}

#[rocket::async_test]
async fn a_unit_with_active_children_cannot_be_deactivated() {
    let app = admin_app().await;
    let company = unit(&app, "PCHAIPHONG").await;
    let path = format!("/admin/units/{}/deactivate", company.id);
    let (status, page) = app.get_text(&path).await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("Đơn vị còn các đơn vị con đang hoạt động"));
    assert!(
        page.contains("PCHP-DLNGOQUYEN"),
        "the blocking children are listed"
    );
    assert!(!page.contains(&format!("action=\"{path}\"")), "no button");

    let response = app.post_form(&path, &[]).await;
    assert_eq!(response.status(), Status::Conflict);
    assert_eq!(unit(&app, "PCHAIPHONG").await.active_to, None);
    assert!(audited(&app, "unit_deactivated").await.is_empty());
}

#[rocket::async_test]
async fn units_have_no_delete_route() {
    let app = admin_app().await;
    let office = unit(&app, "PCHP-PGDKIENAN").await;
    for path in [
        format!("/admin/units/{}/delete", office.id),
        format!("/admin/units/{}", office.id),
    ] {
        let response = app.post_form(&path, &[]).await;
        assert_eq!(response.status(), Status::NotFound, "{path}");
    }
    let still_there = unit(&app, "PCHP-PGDKIENAN").await;
    assert_eq!(still_there, office);
}

#[rocket::async_test]
async fn the_one_switch_route_pair_answers_404_for_an_unknown_kind_or_direction() {
    let app = admin_app().await;
    for path in [
        "/admin/widgets/1/deactivate",
        "/admin/units/1/reactivate",
        "/admin/categories/1/explode",
    ] {
        assert_eq!(app.get_text(path).await.0, Status::NotFound, "GET {path}");
        let response = app.post_form(path, &[]).await;
        assert_eq!(response.status(), Status::NotFound, "POST {path}");
    }
}

// ---------------------------------------------------------------------------------------------
// Violation categories
// ---------------------------------------------------------------------------------------------

#[rocket::async_test]
async fn an_admin_creates_a_category_citing_articles_and_customers_see_it() {
    let app = admin_app().await;
    let (status, form) = app.get_text("/admin/categories/new").await;
    assert_eq!(status, Status::Ok);
    assert!(
        form.contains("value=\"UXKH-10\""),
        "every article is offered"
    );

    let response = app
        .post_form(
            "/admin/categories",
            &[
                ("code", "late_reply"),
                ("name_vi", "Trả lời khách hàng chậm"),
                ("name_en", "Late reply to a customer"),
                (
                    "description_vi",
                    "Nhân viên không trả lời yêu cầu đúng hẹn.",
                ),
                (
                    "description_en",
                    "A request was not answered when promised.",
                ),
                ("severity", "minor"),
                ("finance_assets_secrets", "true"),
                ("sort_order", "105"),
                ("articles", "UXKH-03"),
                ("articles", "UXKH-01"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), "/admin/categories");

    let created = category(&app, "late_reply").await;
    assert_eq!(created.severity, "minor");
    assert!(created.finance_assets_secrets);
    assert!(created.active);
    assert_eq!(created.sort_order, 105);
    assert_eq!(cited(&app, created.id).await, vec!["UXKH-01", "UXKH-03"]);
    let entries = audited(&app, "category_created").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].object_id, Some(created.id.to_string()));

    let (_, list) = app.get_text("/admin/categories").await;
    assert!(list.contains("Trả lời khách hàng chậm"));
    let (_, report_form) = app.get_text("/report").await;
    assert!(report_form.contains("Trả lời khách hàng chậm"));
}

#[rocket::async_test]
async fn a_category_with_a_taken_code_or_an_unknown_article_is_refused() {
    let app = admin_app().await;
    let before = app.count("violation_category").await;
    let links = app.count("category_article").await;
    let fields = |code: &'static str, article: &'static str| {
        vec![
            ("code", code),
            ("name_vi", "Thử"),
            ("name_en", "Test"),
            ("description_vi", "Mô tả"),
            ("description_en", "Description"),
            ("severity", "normal"),
            ("sort_order", "5"),
            ("articles", article),
        ]
    };
    let response = app
        .post_form("/admin/categories", &fields("rude", "UXKH-01"))
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let body = response.into_string().await.unwrap();
    assert!(body.contains("Đã có loại vi phạm dùng mã này."));
    assert!(body.contains("value=\"UXKH-01\" checked"), "choice kept");

    let response = app
        .post_form("/admin/categories", &fields("new_one", "NOPE-1"))
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let body = response.into_string().await.unwrap();
    assert!(body.contains("Có điều khoản không tồn tại"));

    assert_eq!(app.count("violation_category").await, before);
    assert_eq!(app.count("category_article").await, links);
    assert!(audited(&app, "category_created").await.is_empty());
}

#[rocket::async_test]
async fn an_admin_edits_a_category_and_its_cited_articles_are_replaced() {
    let app = admin_app().await;
    let rude = category(&app, "rude").await;
    assert_eq!(cited(&app, rude.id).await, vec!["UXKH-01", "UXKH-02"]);
    let path = format!("/admin/categories/{}/edit", rude.id);
    let (status, form) = app.get_text(&path).await;
    assert_eq!(status, Status::Ok);
    assert!(form.contains("value=\"UXKH-02\" checked"));
    assert!(!form.contains("name=\"code\""));

    let response = app
        .post_form(
            &path,
            &[
                ("code", "hacked"),
                ("name_vi", "Thô lỗ với khách hàng"),
                ("name_en", "Rude to customers"),
                ("description_vi", &rude.description_vi),
                ("description_en", &rude.description_en),
                ("severity", "severe"),
                ("sort_order", "10"),
                ("articles", "UXKH-04"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let edited = category(&app, "rude").await;
    assert_eq!(edited.id, rude.id);
    assert_eq!(edited.name_vi, "Thô lỗ với khách hàng");
    assert_eq!(edited.severity, "severe");
    assert!(!edited.finance_assets_secrets);
    assert_eq!(cited(&app, rude.id).await, vec!["UXKH-04"]);
    let entries = audited(&app, "category_updated").await;
    assert_eq!(entries.len(), 1);
    let details = entries[0].details.clone().unwrap();
    assert!(
        details.contains("\"articles_added\":[\"UXKH-04\"]"),
        "{details}"
    );
    assert!(details.contains("\"articles_removed\":[\"UXKH-01\",\"UXKH-02\"]"));

    // A failed edit keeps what was typed and changes nothing.
    let response = app
        .post_form(
            &path,
            &[
                ("name_vi", "Tên mới chưa lưu"),
                ("name_en", ""),
                ("description_vi", "x"),
                ("description_en", "y"),
                ("severity", "normal"),
                ("sort_order", "10"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let body = response.into_string().await.unwrap();
    assert!(body.contains("value=\"Tên mới chưa lưu\""));
    assert!(body.contains("Hãy chọn ít nhất một điều khoản"));
    assert_eq!(
        category(&app, "rude").await.name_vi,
        "Thô lỗ với khách hàng"
    );
    assert_eq!(audited(&app, "category_updated").await.len(), 1);
}

#[rocket::async_test]
async fn deactivating_and_reactivating_a_category_each_need_confirmation() {
    let app = admin_app().await;
    let badge = category(&app, "no_badge").await;
    let deactivate = format!("/admin/categories/{}/deactivate", badge.id);
    let (status, page) = app.get_text(&deactivate).await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains(&format!("action=\"{deactivate}\"")));
    assert!(
        category(&app, "no_badge").await.active,
        "GET changes nothing"
    );

    let response = app.post_form(&deactivate, &[]).await;
    assert_eq!(response.status(), Status::SeeOther);
    assert!(!category(&app, "no_badge").await.active);
    assert_eq!(audited(&app, "category_deactivated").await.len(), 1);
    let (_, report_form) = app.get_text("/report").await;
    assert!(!report_form.contains(&badge.name_vi));
    let response = app.post_form(&deactivate, &[]).await;
    assert_eq!(response.status(), Status::Conflict);

    let reactivate = format!("/admin/categories/{}/reactivate", badge.id);
    let (status, page) = app.get_text(&reactivate).await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains(&format!("action=\"{reactivate}\"")));
    let response = app.post_form(&reactivate, &[]).await;
    assert_eq!(response.status(), Status::SeeOther);
    assert!(category(&app, "no_badge").await.active);
    assert_eq!(audited(&app, "category_reactivated").await.len(), 1);
    assert_eq!(audited(&app, "category_deactivated").await.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Culture code
// ---------------------------------------------------------------------------------------------

#[rocket::async_test]
async fn the_culture_code_lists_each_chapter_with_its_illustrative_note() {
    let app = admin_app().await;
    let (status, body) = app.get_text("/admin/articles").await;
    assert_eq!(status, Status::Ok);
    assert!(body.contains("Ứng xử với khách hàng"));
    assert!(body.contains("mang tính minh họa"));
    assert!(body.contains("href=\"/admin/articles/UXKH-10\""));
    assert!(body.contains(&escaped("01/01/2025")), "dates as dd/mm/yyyy");
}

#[rocket::async_test]
async fn editing_an_article_adds_version_2_and_closes_version_1_the_day_before() {
    let app = admin_app().await;
    let original = versions(&app, "UXKH-03").await;
    assert_eq!(original.len(), 1);
    let (status, form) = app.get_text("/admin/articles/UXKH-03/edit").await;
    assert_eq!(status, Status::Ok);
    assert!(form.contains(&original[0].title_vi));

    let response = app
        .post_form(
            "/admin/articles/UXKH-03/edit",
            &[
                ("number", "3"),
                ("title_vi", &original[0].title_vi),
                ("title_en", &original[0].title_en),
                (
                    "text_vi",
                    "Giải quyết yêu cầu của khách hàng trong thời hạn đã hẹn.",
                ),
                (
                    "text_en",
                    "Handle customers' requests by the promised date.",
                ),
                ("effective_from", "2027-01-01"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), "/admin/articles/UXKH-03");

    let after = versions(&app, "UXKH-03").await;
    assert_eq!(after.len(), 2);
    let (v1, v2) = (&after[0], &after[1]);
    assert_eq!(v1.version, 1);
    assert_eq!(v1.effective_to, Some(day(2026, 12, 31)));
    assert_eq!(
        culture_article::Model {
            effective_to: None,
            ..v1.clone()
        },
        original[0],
        "version 1 is otherwise untouched"
    );
    assert_eq!(v2.version, 2);
    assert_eq!(v2.chapter_id, v1.chapter_id);
    assert_eq!(v2.effective_from, day(2027, 1, 1));
    assert_eq!(v2.effective_to, None);
    assert_eq!(
        v2.text_vi,
        "Giải quyết yêu cầu của khách hàng trong thời hạn đã hẹn."
    );
    let entries = audited(&app, "article_versioned").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].object_id.as_deref(), Some("UXKH-03"));

    let (status, history) = app.get_text("/admin/articles/UXKH-03").await;
    assert_eq!(status, Status::Ok);
    assert!(history.contains(&escaped("31/12/2026")));
    assert!(history.contains(&escaped("01/01/2027")));
    assert!(history.contains("Giải quyết yêu cầu của khách hàng trong thời hạn đã hẹn."));
}

#[rocket::async_test]
async fn a_new_version_that_does_not_start_after_the_current_one_is_refused() {
    let app = admin_app().await;
    let before = app.count("culture_article").await;
    for effective_from in ["2025-01-01", "2024-06-30"] {
        let response = app
            .post_form(
                "/admin/articles/UXKH-03/edit",
                &[
                    ("number", "3"),
                    ("title_vi", "Tiêu đề mới"),
                    ("title_en", "New title"),
                    ("text_vi", "Nội dung mới"),
                    ("text_en", "New text"),
                    ("effective_from", effective_from),
                ],
            )
            .await;
        assert_eq!(response.status(), Status::UnprocessableEntity);
        let body = response.into_string().await.unwrap();
        assert!(body.contains("Ngày hiệu lực phải sau ngày hiệu lực của phiên bản hiện tại."));
        assert!(body.contains("value=\"Tiêu đề mới\""), "typed values kept");
    }
    // The same wording on a later date is no new version either.
    let current = versions(&app, "UXKH-03").await.remove(0);
    let response = app
        .post_form(
            "/admin/articles/UXKH-03/edit",
            &[
                ("number", "3"),
                ("title_vi", &current.title_vi),
                ("title_en", &current.title_en),
                ("text_vi", &current.text_vi),
                ("text_en", &current.text_en),
                ("effective_from", "2027-01-01"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);

    assert_eq!(app.count("culture_article").await, before);
    assert_eq!(versions(&app, "UXKH-03").await[0].effective_to, None);
    assert!(audited(&app, "article_versioned").await.is_empty());
    let (status, _) = app.get_text("/admin/articles/NOPE-1").await;
    assert_eq!(status, Status::NotFound);
}

#[rocket::async_test]
async fn an_admin_adds_an_article_to_a_chapter_and_categories_can_cite_it() {
    let app = admin_app().await;
    let chapter = culture_chapter::Entity::find()
        .filter(culture_chapter::Column::Code.eq("UXKH"))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    let path = format!("/admin/articles/chapters/{}/new", chapter.id);
    let (status, form) = app.get_text(&path).await;
    assert_eq!(status, Status::Ok);
    assert!(form.contains("value=\"UXKH-11\""), "next key suggested");

    let fields = |key: &'static str| {
        vec![
            ("key", key),
            ("number", "11"),
            ("title_vi", "Bảo vệ tài sản của khách hàng"),
            ("title_en", "Care for customers' property"),
            (
                "text_vi",
                "Giữ gìn tài sản của khách hàng khi làm việc tại nhà.",
            ),
            (
                "text_en",
                "Take care of customers' property when working at their home.",
            ),
            ("effective_from", "2026-12-01"),
        ]
    };
    let response = app.post_form(&path, &fields("uxkh-11")).await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), "/admin/articles/UXKH-11");
    let added = versions(&app, "UXKH-11").await;
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].version, 1);
    assert_eq!(added[0].chapter_id, chapter.id);
    assert_eq!(added[0].effective_from, day(2026, 12, 1));
    let entries = audited(&app, "article_created").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].object_id.as_deref(), Some("UXKH-11"));

    // The key is now taken.
    let response = app.post_form(&path, &fields("UXKH-11")).await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    assert_eq!(versions(&app, "UXKH-11").await.len(), 1);

    let (_, category_form) = app.get_text("/admin/categories/new").await;
    assert!(category_form.contains("value=\"UXKH-11\""));
}

// ---------------------------------------------------------------------------------------------
// Languages
// ---------------------------------------------------------------------------------------------

#[rocket::async_test]
async fn every_reference_screen_renders_in_english_and_in_vietnamese() {
    let app = admin_app().await;
    let unit_id = unit(&app, "PCHAIPHONG").await.id;
    let category_id = category(&app, "rude").await.id;
    let chapter_id = culture_chapter::Entity::find()
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .id;
    let pages = [
        "/admin/units".to_string(),
        "/admin/units/new".to_string(),
        format!("/admin/units/{unit_id}/edit"),
        format!("/admin/units/{unit_id}/move"),
        format!("/admin/units/{unit_id}/deactivate"),
        "/admin/categories".to_string(),
        "/admin/categories/new".to_string(),
        format!("/admin/categories/{category_id}/edit"),
        format!("/admin/categories/{category_id}/deactivate"),
        format!("/admin/categories/{category_id}/reactivate"),
        "/admin/articles".to_string(),
        "/admin/articles/UXKH-01".to_string(),
        "/admin/articles/UXKH-01/edit".to_string(),
        format!("/admin/articles/chapters/{chapter_id}/new"),
    ];
    for (lang, marker) in [("en", "Culture code"), ("vi", "Bộ quy tắc ứng xử")] {
        app.get_text(&format!("/staff?lang={lang}")).await;
        for path in &pages {
            let (status, body) = app.get_text(path).await;
            assert_eq!(status, Status::Ok, "{path} in {lang}");
            assert!(
                body.contains(&format!("<html lang=\"{lang}\">")),
                "{path} in {lang}"
            );
            assert!(!body.contains("Unknown localization"), "{path} in {lang}");
            assert!(!body.contains("admin-unit-"), "{path} in {lang}: raw key");
            assert!(!body.contains("admin-category-"), "{path} in {lang}");
            assert!(!body.contains("admin-article-"), "{path} in {lang}");
        }
        let (_, body) = app.get_text("/admin/articles").await;
        assert!(body.contains(marker), "{lang}");
    }
    let (_, body) = app.get_text("/admin/articles?lang=en").await;
    assert!(body.contains("illustrative default"));
    let (_, body) = app.get_text("/admin/units?lang=en").await;
    assert!(body.contains("Power corporation"));
}

// ---- One transaction per user edit (issue 18, item 11) ----

/// Makes every insert into `team_member` fail inside the database, on either backend.
async fn refuse_team_memberships(app: &TestApp) {
    use sea_orm::ConnectionTrait;
    let db = app.state().db.conn();
    let statements: &[&str] = if app.is_sqlite() {
        &[
            "CREATE TRIGGER refuse_membership BEFORE INSERT ON team_member \
           BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
        ]
    } else {
        &[
            "CREATE FUNCTION refuse_membership() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$",
            "CREATE TRIGGER refuse_membership BEFORE INSERT ON team_member \
             FOR EACH ROW EXECUTE FUNCTION refuse_membership()",
        ]
    };
    for statement in statements {
        db.execute_unprepared(statement).await.unwrap();
    }
}

#[rocket::async_test]
async fn a_user_edit_whose_team_change_fails_changes_no_role_either() {
    let app = admin_app().await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    let other = create_user(&app, "thanhvien@evn.vn", &[Role::Inspector]).await;
    let updates = audited(&app, "user_updated").await.len();
    refuse_team_memberships(&app).await;
    let team_id = team.to_string();
    let response = app
        .post_form(
            &format!("/admin/users/{other}"),
            &[
                ("display_name", "Tên mới"),
                ("roles", "custodian"),
                ("teams", team_id.as_str()),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::InternalServerError);
    let db = app.state().db.conn();
    let roles = conduct_portal::auth::service::roles_of(db, other)
        .await
        .unwrap();
    assert_eq!(roles, vec![Role::Inspector], "roles unchanged");
    let user = conduct_portal::platform::persistence::entities::app_user::Entity::find_by_id(other)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.display_name, "Người dùng thanhvien@evn.vn");
    assert_eq!(audited(&app, "user_updated").await.len(), updates);
}

#[rocket::async_test]
async fn roles_and_teams_of_a_user_change_together_in_one_save() {
    let app = admin_app().await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    let other = create_user(&app, "thanhvien@evn.vn", &[Role::Inspector]).await;
    let team_id = team.to_string();
    let response = app
        .post_form(
            &format!("/admin/users/{other}"),
            &[
                ("display_name", "Thành Viên"),
                ("roles", "team_lead"),
                ("teams", team_id.as_str()),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let db = app.state().db.conn();
    let roles = conduct_portal::auth::service::roles_of(db, other)
        .await
        .unwrap();
    assert_eq!(roles, vec![Role::TeamLead]);
    assert_eq!(app.count("team_member").await, 1);
    let updated = audited(&app, "user_updated").await;
    let teams = audited(&app, "user_teams_changed").await;
    assert_eq!((updated.len(), teams.len()), (1, 1));
    assert_eq!(teams[0].id, updated[0].id + 1, "written together, in order");
}

// ---- One routing rule per unit and category, kept by the database (issue 18, item 11) ----

/// Inserts a rule directly, as a second admin's transaction would.
async fn insert_rule(
    app: &TestApp,
    unit: i32,
    category: Option<i32>,
    team: i32,
) -> Result<routing_rule::Model, sea_orm::DbErr> {
    routing_rule::ActiveModel {
        org_unit_id: Set(unit),
        category_id: Set(category),
        team_id: Set(team),
        created_at: Set(t0()),
        ..Default::default()
    }
    .insert(app.state().db.conn())
    .await
}

#[rocket::async_test]
async fn the_database_refuses_a_second_routing_rule_for_the_same_unit_and_category() {
    let app = TestApp::spawn().await;
    let unit_id = unit(&app, "PCHOANKIEM").await.id;
    let rude = category(&app, "rude").await.id;
    let first = team_at(&app, "PCHOANKIEM", "Tổ một").await;
    let second = team_at(&app, "PCHOANKIEM", "Tổ hai").await;
    for category in [None, Some(rude)] {
        insert_rule(&app, unit_id, category, first).await.unwrap();
        let again = insert_rule(&app, unit_id, category, second).await;
        let error = again.expect_err("a second rule for the same place");
        assert!(is_duplicate(&error), "{category:?}: {error}");
    }
    // Another unit, or another category, is another place.
    let district = unit(&app, "PCBADINH").await.id;
    insert_rule(&app, district, None, second).await.unwrap();
    insert_rule(&app, district, Some(rude), second)
        .await
        .unwrap();
    assert_eq!(app.count("routing_rule").await, 4);
}

#[rocket::async_test]
async fn the_uniqueness_migration_keeps_the_rule_routing_used_of_earlier_duplicates() {
    use migrations::{Migrator, MigratorTrait};
    let app = TestApp::spawn().await;
    let unit_id = unit(&app, "PCHOANKIEM").await.id;
    let retired = team_at(&app, "PCHOANKIEM", "Tổ cũ").await;
    let active = team_at(&app, "PCHOANKIEM", "Tổ mới").await;
    let later = team_at(&app, "PCHOANKIEM", "Tổ sau").await;
    inspection_team::Entity::update_many()
        .col_expr(
            inspection_team::Column::Active,
            sea_orm::sea_query::Expr::value(false),
        )
        .filter(inspection_team::Column::Id.eq(retired))
        .exec(app.state().db.conn())
        .await
        .unwrap();
    // Back to before the index (and whatever came after it), then store duplicates.
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let names: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    let position = names
        .iter()
        .position(|n| n == "m20261207_000001_routing_rule_unique")
        .unwrap();
    Migrator::down(&db, Some((names.len() - position) as u32))
        .await
        .unwrap();
    let rude = category(&app, "rude").await.id;
    let kept_any = {
        insert_rule(&app, unit_id, None, retired).await.unwrap();
        let kept = insert_rule(&app, unit_id, None, active).await.unwrap().id;
        insert_rule(&app, unit_id, None, later).await.unwrap();
        kept
    };
    let kept_rude = insert_rule(&app, unit_id, Some(rude), later)
        .await
        .unwrap()
        .id;
    insert_rule(&app, unit_id, Some(rude), active)
        .await
        .unwrap();
    Migrator::up(&db, None).await.unwrap();
    db.close().await.unwrap();

    let mut kept: Vec<i32> = routing_rule::Entity::find()
        .all(app.state().db.conn())
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    kept.sort();
    assert_eq!(kept, vec![kept_any, kept_rude]);
}

/// Labour Code 2019, Art. 111(3): the shipped 2027 holidays are provisional, so the loader adds
/// the days in lieu of the holidays that fall on a weekend (Tết's Saturday and Sunday give
/// 10–11/02, Saturday 1/5 gives Monday 3/5); 2026 is the official plan and gets none added.
#[rocket::async_test]
async fn the_reference_load_derives_the_days_in_lieu_of_a_provisional_year_only() {
    let app = TestApp::spawn().await;
    let days = holiday::Entity::find()
        .all(app.state().db.conn())
        .await
        .unwrap();
    let named = |d: NaiveDate| days.iter().find(|h| h.day == d).map(|h| h.name_vi.clone());
    assert_eq!(
        named(day(2027, 2, 10)).as_deref(),
        Some("Nghỉ bù Tết Nguyên Đán")
    );
    assert_eq!(
        named(day(2027, 2, 11)).as_deref(),
        Some("Nghỉ bù Tết Nguyên Đán")
    );
    let may = named(day(2027, 5, 3));
    assert_eq!(may.as_deref(), Some("Nghỉ bù Ngày Quốc tế Lao động"));
    assert_eq!(
        named(day(2026, 2, 23)),
        None,
        "the 2026 plan already holds its own"
    );
    assert_eq!(named(day(2027, 2, 12)), None);
}
