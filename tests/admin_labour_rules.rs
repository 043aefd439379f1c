//! `/admin/labour-rules`: the internal labour regulations (nội quy lao động) admins keep, and
//! which culture-code articles each article sets out (Labour Code 2019 Art. 127(3)). Every
//! change is checked in the database and in the audit trail.

use conduct_portal::domain::roles::Role;
use conduct_portal::platform::persistence::entities::{
    audit_log, culture_article_labour_rule, labour_rule,
};
use rocket::http::Status;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::support::*;

const ADMIN: &str = "admin@evn.vn";

async fn admin_app() -> TestApp {
    let app = TestApp::spawn().await;
    sign_in_as(&app, ADMIN, &[Role::Admin]).await;
    app
}

async fn rule(app: &TestApp, code: &str) -> labour_rule::Model {
    labour_rule::Entity::find()
        .filter(labour_rule::Column::Code.eq(code))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("labour rule {code}"))
}

/// The culture-code article keys `rule_id` sets out, sorted.
async fn set_out(app: &TestApp, rule_id: i32) -> Vec<String> {
    let mut keys: Vec<String> = culture_article_labour_rule::Entity::find()
        .filter(culture_article_labour_rule::Column::LabourRuleId.eq(rule_id))
        .all(app.state().db.conn())
        .await
        .unwrap()
        .into_iter()
        .map(|link| link.article_key)
        .collect();
    keys.sort();
    keys
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

fn location(response: &rocket::local::asynchronous::LocalResponse<'_>) -> String {
    response
        .headers()
        .get_one("Location")
        .unwrap_or_default()
        .to_string()
}

/// A complete form for `code` setting out `articles`.
fn fields<'a>(code: &'a str, articles: &[&'a str]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("code", code),
        ("title_vi", "Không tự ý đóng điện khi chưa nghiệm thu"),
        ("title_en", "No energising before acceptance"),
        (
            "text_vi",
            "Không được đóng điện cho công trình, thiết bị khi chưa nghiệm thu.",
        ),
    ];
    fields.extend(articles.iter().map(|key| ("articles", *key)));
    fields
}

#[rocket::async_test]
async fn the_shipped_regulations_set_out_every_culture_code_article() {
    let app = admin_app().await;
    let (status, body) = app.get_text("/admin/labour-rules").await;
    assert_eq!(status, Status::Ok);
    for code in ["Điều 10", "Điều 13", "Điều 21"] {
        assert!(body.contains(code), "{code}");
    }
    assert!(body.contains("Cấm gợi ý, đòi hoặc nhận tiền, quà, lợi ích của khách hàng"));
    assert!(body.contains("mang tính minh họa"));
    assert!(
        !body.contains("chưa được điều nào đang áp dụng"),
        "no culture-code article is left out"
    );
    assert!(!body.contains("<code>UXKH-"));
    let (_, article) = app.get_text("/admin/articles/UXKH-04").await;
    assert!(article.contains("Điều 14"));
    assert!(!article.contains("Chưa có điều nào đang áp dụng của Nội quy lao động"));
}

#[rocket::async_test]
async fn an_admin_adds_an_article_of_the_regulations_setting_out_culture_code_articles() {
    let app = admin_app().await;
    let (status, form) = app.get_text("/admin/labour-rules/new").await;
    assert_eq!(status, Status::Ok);
    assert!(
        form.contains("value=\"UXKH-10\""),
        "every culture-code article is offered"
    );

    let response = app
        .post_form(
            "/admin/labour-rules",
            &fields("  Điều   25 ", &["UXKH-07", "UXKH-03"]),
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), "/admin/labour-rules");

    let created = rule(&app, "Điều 25").await;
    assert!(created.active);
    assert_eq!(created.title_en, "No energising before acceptance");
    assert_eq!(set_out(&app, created.id).await, ["UXKH-03", "UXKH-07"]);
    let entries = audited(&app, "labour_rule_created").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].object_id, Some(created.id.to_string()));
    assert!(entries[0].details.clone().unwrap().contains("UXKH-07"));

    let (_, list) = app.get_text("/admin/labour-rules").await;
    assert!(list.contains("Không tự ý đóng điện khi chưa nghiệm thu"));
    let (_, article) = app.get_text("/admin/articles/UXKH-07").await;
    assert!(article.contains(&format!("href=\"/admin/labour-rules/{}/edit\"", created.id)));
    assert!(article.contains("Điều 25"));
}

#[rocket::async_test]
async fn a_taken_number_or_an_unknown_culture_code_article_is_refused_with_the_values_kept() {
    let app = admin_app().await;
    let rules = app.count("labour_rule").await;
    let links = app.count("culture_article_labour_rule").await;
    // "điều 12" is the shipped "Điều 12" whatever the case.
    let response = app
        .post_form("/admin/labour-rules", &fields("điều 12", &["UXKH-01"]))
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let body = response.into_string().await.unwrap();
    assert!(body.contains("Đã có điều khác dùng số điều này."));
    assert!(body.contains("value=\"UXKH-01\" checked"), "choice kept");
    assert!(body.contains("value=\"điều 12\""), "typed value kept");

    let response = app
        .post_form("/admin/labour-rules", &fields("Điều 30", &["NOPE-1"]))
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let body = response.into_string().await.unwrap();
    assert!(body.contains("Có điều khoản Bộ quy tắc ứng xử không tồn tại."));

    let response = app
        .post_form("/admin/labour-rules", &[("code", ""), ("title_vi", "")])
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let body = response.into_string().await.unwrap();
    assert!(body.contains("Hãy nhập số điều"));
    assert!(body.contains("Hãy nhập tiêu đề."));
    assert!(body.contains("Hãy nhập nội dung tóm tắt."));

    assert_eq!(app.count("labour_rule").await, rules);
    assert_eq!(app.count("culture_article_labour_rule").await, links);
    assert!(audited(&app, "labour_rule_created").await.is_empty());
}

#[rocket::async_test]
async fn an_admin_renumbers_an_article_and_replaces_what_it_sets_out() {
    let app = admin_app().await;
    let meter = rule(&app, "Điều 14").await;
    assert_eq!(set_out(&app, meter.id).await, ["UXKH-04"]);
    let path = format!("/admin/labour-rules/{}/edit", meter.id);
    let (status, form) = app.get_text(&path).await;
    assert_eq!(status, Status::Ok);
    assert!(form.contains("value=\"UXKH-04\" checked"));

    let title_en = meter.title_en.clone();
    let edit = [
        ("code", "Điều 14a"),
        ("title_vi", meter.title_vi.as_str()),
        ("title_en", title_en.as_str()),
        ("text_vi", meter.text_vi.as_str()),
        ("articles", "UXKH-08"),
        ("articles", "UXKH-04"),
    ];
    let response = app.post_form(&path, &edit).await;
    assert_eq!(response.status(), Status::SeeOther);
    let edited = rule(&app, "Điều 14a").await;
    assert_eq!(edited.id, meter.id);
    assert_eq!(set_out(&app, meter.id).await, ["UXKH-04", "UXKH-08"]);
    let entries = audited(&app, "labour_rule_updated").await;
    assert_eq!(entries.len(), 1);
    let details = entries[0].details.clone().unwrap();
    assert!(
        details.contains("\"articles_added\":[\"UXKH-08\"]"),
        "{details}"
    );
    assert!(details.contains("\"code_before\":\"Điều 14\""), "{details}");

    // The same values again change nothing and write no audit entry.
    let response = app.post_form(&path, &edit).await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(audited(&app, "labour_rule_updated").await.len(), 1);

    // Another article's number is taken; nothing changes.
    let mut taken = edit.to_vec();
    taken[0] = ("code", "Điều 15");
    let response = app.post_form(&path, &taken).await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    assert_eq!(rule(&app, "Điều 14a").await.id, meter.id);
    assert_eq!(audited(&app, "labour_rule_updated").await.len(), 1);
}

#[rocket::async_test]
async fn deactivating_an_article_needs_confirmation_and_names_what_it_leaves_unset() {
    let app = admin_app().await;
    // Điều 16 alone sets out UXKH-05 (unlawful interruption of supply).
    let cut = rule(&app, "Điều 16").await;
    let deactivate = format!("/admin/labour-rules/{}/deactivate", cut.id);
    let (status, page) = app.get_text(&deactivate).await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains(&format!("action=\"{deactivate}\"")));
    assert!(page.contains("UXKH-05"), "names the article left unset");
    assert!(rule(&app, "Điều 16").await.active, "GET changes nothing");

    let response = app.post_form(&deactivate, &[]).await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), "/admin/labour-rules");
    assert!(!rule(&app, "Điều 16").await.active);
    assert_eq!(audited(&app, "labour_rule_deactivated").await.len(), 1);
    let (_, list) = app.get_text("/admin/labour-rules").await;
    assert!(list.contains("chưa được điều nào đang áp dụng"));
    assert!(
        list.contains("<code>UXKH-05</code>"),
        "the warning names the culture-code article"
    );
    let (_, article) = app.get_text("/admin/articles/UXKH-05").await;
    assert!(article.contains("Chưa có điều nào đang áp dụng của Nội quy lao động"));
    let response = app.post_form(&deactivate, &[]).await;
    assert_eq!(response.status(), Status::Conflict);

    let reactivate = format!("/admin/labour-rules/{}/reactivate", cut.id);
    assert_eq!(app.get_text(&reactivate).await.0, Status::Ok);
    let response = app.post_form(&reactivate, &[]).await;
    assert_eq!(response.status(), Status::SeeOther);
    assert!(rule(&app, "Điều 16").await.active);
    assert_eq!(audited(&app, "labour_rule_reactivated").await.len(), 1);
}

#[rocket::async_test]
async fn a_long_regulation_is_listed_in_its_own_order_one_page_at_a_time() {
    let app = admin_app().await;
    let shipped = app.count("labour_rule").await as u64;
    let per_page = conduct_portal::admin::labour_rules::PAGE_SIZE;
    for n in 100..(100 + per_page) {
        let code = format!("Điều {n}");
        let response = app
            .post_form("/admin/labour-rules", &fields(&code, &[]))
            .await;
        assert_eq!(response.status(), Status::SeeOther, "{code}");
    }
    let total = shipped + per_page;
    let (_, first) = app.get_text("/admin/labour-rules").await;
    assert!(first.contains(&format!("Tổng cộng {total} mục.")));
    // Tera escapes the "/" of the translated "Trang 1 / 2".
    assert!(first.contains("Trang 1 &#x2F; 2"));
    // "Điều 10" comes before "Điều 100", which comes before "Điều 124" on the next page.
    let ten = first.find("<td>Điều 10</td>").unwrap();
    let hundred = first.find("<td>Điều 100</td>").unwrap();
    assert!(ten < hundred);
    assert!(!first.contains(&format!("<td>Điều {}</td>", 99 + per_page)));
    let (_, second) = app.get_text("/admin/labour-rules?page=2").await;
    assert!(second.contains(&format!("<td>Điều {}</td>", 99 + per_page)));
    assert!(!second.contains("<td>Điều 10</td>"));
}

#[rocket::async_test]
async fn only_an_admin_changes_the_regulations_and_every_form_needs_its_csrf_token() {
    let app = TestApp::spawn().await;
    let response = app.client.get("/admin/labour-rules").dispatch().await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), "/staff/sign-in");

    sign_in_as(&app, "inspector@evn.vn", &[Role::Inspector]).await;
    let (status, _) = app.get_text("/admin/labour-rules").await;
    assert_eq!(status, Status::Forbidden);
    let rules = app.count("labour_rule").await;
    let audit = app.count("audit_log").await;
    let response = app
        .post_form("/admin/labour-rules", &fields("Điều 40", &["UXKH-01"]))
        .await;
    assert_eq!(response.status(), Status::Forbidden);
    let shipped = rule(&app, "Điều 10").await;
    let response = app
        .post_form(
            &format!("/admin/labour-rules/{}/deactivate", shipped.id),
            &[],
        )
        .await;
    assert_eq!(response.status(), Status::Forbidden);
    assert!(rule(&app, "Điều 10").await.active);

    assert_eq!(app.count("labour_rule").await, rules);
    assert_eq!(app.count("audit_log").await, audit);

    app.post_form("/staff/sign-out", &[]).await;
    sign_in_as(&app, ADMIN, &[Role::Admin]).await;
    let audit = app.count("audit_log").await;
    let response = app
        .post_form_without_csrf("/admin/labour-rules", &fields("Điều 40", &["UXKH-01"]))
        .await;
    assert_eq!(response.status(), Status::Forbidden);
    let edit = format!("/admin/labour-rules/{}/edit", shipped.id);
    let response = app
        .post_form_without_csrf(&edit, &fields("Điều 41", &[]))
        .await;
    assert_eq!(response.status(), Status::Forbidden);
    let response = app
        .post_form_without_csrf(
            &format!("/admin/labour-rules/{}/deactivate", shipped.id),
            &[],
        )
        .await;
    assert_eq!(response.status(), Status::Forbidden);

    assert_eq!(app.count("labour_rule").await, rules);
    assert_eq!(rule(&app, "Điều 10").await, shipped);
    assert_eq!(app.count("audit_log").await, audit);
    // With its token the same form is taken, so the refusals above were the token's.
    let response = app
        .post_form("/admin/labour-rules", &fields("Điều 40", &["UXKH-01"]))
        .await;
    assert_eq!(response.status(), Status::SeeOther);
}

#[rocket::async_test]
async fn every_labour_rules_screen_renders_in_english_and_in_vietnamese() {
    let app = admin_app().await;
    let id = rule(&app, "Điều 12").await.id;
    let pages = [
        "/admin/labour-rules".to_string(),
        "/admin/labour-rules/new".to_string(),
        format!("/admin/labour-rules/{id}/edit"),
        format!("/admin/labour-rules/{id}/deactivate"),
        format!("/admin/labour-rules/{id}/reactivate"),
        "/admin/articles/UXKH-02".to_string(),
    ];
    for (lang, marker) in [
        ("en", "Internal labour regulations"),
        ("vi", "Nội quy lao động"),
    ] {
        app.get_text(&format!("/staff?lang={lang}")).await;
        for path in &pages {
            let (status, body) = app.get_text(path).await;
            assert_eq!(status, Status::Ok, "{path} in {lang}");
            assert!(
                body.contains(&format!("<html lang=\"{lang}\">")),
                "{path} in {lang}"
            );
            assert!(body.contains(marker), "{path} in {lang}");
            assert!(!body.contains("Unknown localization"), "{path} in {lang}");
            assert!(
                !body.contains("admin-labour-rule"),
                "{path} in {lang}: raw key"
            );
        }
    }
}
