//! `/privacy` (the public privacy notice) and `/admin/privacy` (the record of processing for
//! admins and auditors): both languages, the controller and retention periods read from the
//! settings, the footer link, and who may read the record.

use conduct_portal::domain::roles::Role;
use rocket::figment::Figment;
use rocket::http::Status;

use crate::support::*;

/// The table row of one retention class (`id="retention-<class>"` up to its `</tr>`).
fn retention_row<'a>(page: &'a str, class: &str) -> &'a str {
    let marker = format!("id=\"retention-{class}\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no row {class}"));
    let end = page[start..].find("</tr>").expect("row ends") + start;
    &page[start..end]
}

/// Text as Tera escapes it (`/` included).
fn html(text: &str) -> String {
    text.replace('/', "&#x2F;")
}

fn assert_translated(page: &str, path: &str) {
    assert!(!page.contains("Unknown localization"), "{path}");
}

/// A Nam Định controller, its contact, and tips closed without substance kept 7 years.
fn nam_dinh(figment: Figment) -> Figment {
    figment
        .merge(("privacy.controller_vi", "Công ty Điện lực Nam Định"))
        .merge(("privacy.controller_en", "Nam Dinh Power Company"))
        .merge((
            "privacy.contact",
            "Phòng Thanh tra – Pháp chế, 1 Trần Hưng Đạo, Nam Định",
        ))
        .merge(("retention.tip_no_substance_years", 7))
}

#[rocket::async_test]
async fn the_notice_answers_without_an_account_in_vietnamese_then_english() {
    let app = TestApp::spawn().await;

    let (status, page) = app.get_text("/privacy").await;
    assert_eq!(status, Status::Ok);
    assert_translated(&page, "/privacy");
    assert!(page.contains("<html lang=\"vi\">"));
    assert!(page.contains("Thông báo xử lý dữ liệu cá nhân"));
    assert!(page.contains("Tổng công ty Điện lực miền Nam (EVNSPC)"));
    assert!(page.contains(&html("Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15")));
    assert!(page.contains(&html("Luật Tố cáo số 25/2018/QH14")));
    for anchor in [
        "controller",
        "collected",
        "purpose",
        "access",
        "retention",
        "rights",
        "evidence",
        "contact",
        "version",
    ] {
        assert!(page.contains(&format!("id=\"{anchor}\"")), "#{anchor}");
        assert!(page.contains(&format!("href=\"#{anchor}\"")), "#{anchor}");
    }
    assert!(page.contains("href=\"/follow-up/my-data\""));
    assert!(page.contains("href=\"/follow-up\""));
    // The notice's version and its date, day first.
    assert!(page.contains("2026-12-07"));
    assert!(page.contains(&html("07/12/2026")));
    // Every class with its default period.
    assert!(retention_row(&page, "tip_no_substance").contains("Phản ánh không có cơ sở"));
    assert!(retention_row(&page, "tip_no_substance").contains("5 năm"));
    assert!(retention_row(&page, "disciplinary").contains("20 năm"));

    let (status, page) = app.get_text("/privacy?lang=en").await;
    assert_eq!(status, Status::Ok);
    assert_translated(&page, "/privacy?lang=en");
    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains("Privacy notice"));
    assert!(page.contains("Southern Power Corporation (EVNSPC)"));
    assert!(page.contains(&html("07/12/2026")));
    assert!(retention_row(&page, "tip_no_substance").contains("Tips closed without substance"));
    assert!(retention_row(&page, "tip_no_substance").contains("5 years"));
    assert!(retention_row(&page, "denunciation_substantiated").contains("15 years"));
}

#[rocket::async_test]
async fn the_notice_shows_the_configured_controller_contact_and_retention_periods() {
    let app = TestApp::spawn_with(nam_dinh).await;

    let (_, page) = app.get_text("/privacy").await;
    assert!(page.contains("Công ty Điện lực Nam Định"));
    // The default controller is gone from the notice (the footer still lists every
    // corporation's hotline by name).
    let start = page.find("id=\"controller\"").unwrap();
    let controller = &page[start..start + page[start..].find("</section>").unwrap()];
    assert!(
        !controller.contains("Tổng công ty Điện lực miền Nam"),
        "{controller}"
    );
    assert!(page.contains("1 Trần Hưng Đạo, Nam Định"));
    let row = retention_row(&page, "tip_no_substance");
    assert!(row.contains("7 năm"), "{row}");
    assert!(!row.contains("5 năm"), "{row}");
    // The other classes keep their defaults.
    assert!(retention_row(&page, "tip_substantiated").contains("10 năm"));

    let (_, page) = app.get_text("/privacy?lang=en").await;
    assert!(page.contains("Nam Dinh Power Company"));
    assert!(retention_row(&page, "tip_no_substance").contains("7 years"));
}

#[rocket::async_test]
async fn every_page_footer_links_the_notice_in_both_languages() {
    let app = TestApp::spawn().await;
    let (_, page) = app.get_text("/report").await;
    assert!(page.contains("<a href=\"/privacy\">Bảo vệ dữ liệu cá nhân</a>"));
    let (_, page) = app.get_text("/?lang=en").await;
    assert!(page.contains("<a href=\"/privacy\">Personal data protection</a>"));
}

#[rocket::async_test]
async fn admins_and_auditors_read_the_record_of_processing_under_the_periods_in_force() {
    let app = TestApp::spawn_with(|f| nam_dinh(no_two_factor(f))).await;
    create_user(&app, "kiemtoan@evn.vn", &[Role::Auditor]).await;
    sign_in_as(&app, "quantri@evn.vn", &[Role::Admin]).await;

    let (_, home) = app.get_text("/staff").await;
    assert!(home.contains("href=\"/admin/privacy\""), "admin nav");
    let (status, page) = app.get_text("/admin/privacy").await;
    assert_eq!(status, Status::Ok);
    assert_translated(&page, "/admin/privacy");
    assert!(page.contains("Hồ sơ hoạt động xử lý dữ liệu cá nhân"));
    let row = retention_row(&page, "tip_no_substance");
    assert!(row.contains("7 năm"), "{row}");
    assert!(row.contains("retention.tip_no_substance_years"), "{row}");
    // The document itself, rendered: its tables, its headings below the page's own title.
    assert!(page.contains("Record of processing activities"));
    assert!(page.contains("<code>reporter_identity.sealed</code>"));
    assert!(page.contains("<table>"));
    assert_eq!(page.matches("<h1>").count(), 1, "one page title");

    become_user(&app, "kiemtoan@evn.vn").await;
    let (_, home) = app.get_text("/staff").await;
    assert!(home.contains("href=\"/admin/privacy\""), "auditor nav");
    let (status, page) = app.get_text("/admin/privacy?lang=en").await;
    assert_eq!(status, Status::Ok);
    assert_translated(&page, "/admin/privacy?lang=en");
    assert!(page.contains("Retention periods in force"));
    assert!(retention_row(&page, "tip_no_substance").contains("7 years"));
}

#[rocket::async_test]
async fn inspectors_are_refused_the_record_and_anonymous_visitors_sent_to_sign_in() {
    let app = TestApp::spawn_with(no_two_factor).await;

    let response = app.client.get("/admin/privacy").dispatch().await;
    assert_eq!(response.status(), Status::SeeOther);
    let location = response.headers().get_one("Location").unwrap_or_default();
    assert!(location.starts_with("/staff/sign-in"), "{location}");

    sign_in_as(&app, "canbo@evn.vn", &[Role::Inspector]).await;
    let (status, page) = app.get_text("/admin/privacy").await;
    assert_eq!(status, Status::Forbidden);
    assert!(!page.contains("reporter_identity"));
    let (_, home) = app.get_text("/staff").await;
    assert!(!home.contains("href=\"/admin/privacy\""));
}
