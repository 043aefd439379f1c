//! Issue 14 for phones: digit receipt codes typed however a phone types them (`/follow-up`),
//! dates as people type them (`/report`), and the corporations' hotline numbers.

use conduct_portal::domain::receipt::ReceiptCode;
use conduct_portal::domain::roles::Role;
use conduct_portal::platform::crypto;
use conduct_portal::platform::persistence::entities::{org_unit, report};
use rocket::http::Status;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};

use crate::support::*;

const DESCRIPTION: &str = "Nhân viên ghi chỉ số công tơ đòi 200.000 đồng mới ghi đúng chỉ số.";

/// Opens the follow-up page with `typed` and returns the report text it shows, if any.
async fn follow_up_text(app: &TestApp, typed: &str) -> Option<String> {
    app.post_form("/follow-up/leave", &[]).await;
    if open_follow_up(app, typed).await != Status::SeeOther {
        return None;
    }
    let (status, body) = app.get_text("/follow-up/status").await;
    (status == Status::Ok).then_some(body)
}

#[rocket::async_test]
async fn a_new_receipt_code_is_twenty_five_digits_in_five_groups() {
    let app = TestApp::spawn().await;
    let shown = submit_anonymous(&app, DESCRIPTION).await;
    let groups: Vec<&str> = shown.split(' ').collect();
    assert_eq!(groups.len(), 5, "{shown}");
    assert!(groups
        .iter()
        .all(|g| g.len() == 5 && g.bytes().all(|b| b.is_ascii_digit())));
    let (_, form) = app.get_text("/follow-up").await;
    assert!(form.contains("inputmode=\"numeric\" autocomplete=\"off\""));
}

#[rocket::async_test]
async fn a_digit_code_opens_its_report_typed_with_spaces_dashes_or_full_width_digits() {
    let app = TestApp::spawn().await;
    let shown = submit_anonymous(&app, DESCRIPTION).await;
    let digits = shown.replace(' ', "");
    let full_width: String = shown
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(0xFF10 + d).unwrap(),
            None => '\u{3000}',
        })
        .collect();
    for typed in [
        shown.clone(),
        digits.clone(),
        shown.replace(' ', "-"),
        shown.replace(' ', "\u{a0}"),
        full_width,
        // A stray combining accent an input method left on a digit.
        format!("{}\u{301}", digits),
    ] {
        let body = follow_up_text(&app, &typed).await;
        assert!(
            body.is_some_and(|b| b.contains("200.000 đồng")),
            "{typed:?} did not open the report"
        );
    }
    // A digit an input method turned into a letter is refused, not guessed back.
    let mangled = format!("á{}", &digits[1..]);
    assert!(follow_up_text(&app, &mangled).await.is_none());
}

#[rocket::async_test]
async fn a_code_issued_in_the_old_alphanumeric_format_still_opens_its_report() {
    let app = TestApp::spawn().await;
    submit_anonymous(&app, DESCRIPTION).await;
    // Give the stored report the derived values of an old-format code, as they were written
    // before digit codes: the purpose string and the canonical form must never change.
    let old =
        ReceiptCode::from_entropy([0x3c, 0x91, 0x07, 0xee, 0x42, 0x18, 0xa5, 0x6d, 0x90, 0x0f]);
    assert!(old.is_old_format());
    let state = app.state();
    let row = report::Entity::find()
        .one(state.db.conn())
        .await
        .unwrap()
        .unwrap();
    let mut active = row.into_active_model();
    active.receipt_lookup = Set(crypto::lookup_hash(
        &state.config.receipt_key,
        "receipt-v1",
        old.as_str(),
    ));
    active.receipt_hash = Set(state.hasher.hash(old.as_str().to_string()).await.unwrap());
    active.update(state.db.conn()).await.unwrap();

    for typed in [
        old.display(),
        old.as_str().to_lowercase(),
        old.display().replace('-', " "),
    ] {
        let body = follow_up_text(&app, &typed).await;
        assert!(
            body.is_some_and(|b| b.contains("200.000 đồng")),
            "{typed:?} did not open the report"
        );
    }
}

/// Files an anonymous report about `unit_code` on `occurred_on`; the receipt page's body.
async fn report_about(app: &TestApp, unit_code: &str, occurred_on: &str) -> String {
    let (_, category) = some_unit_and_category(app).await;
    let unit = unit_id(app, unit_code).await.to_string();
    let fields = [
        ("unit_id", unit.as_str()),
        ("occurred_on", occurred_on),
        ("category_id", category.as_str()),
        ("description", DESCRIPTION),
        ("identity", "anonymous"),
    ];
    let response = app.post_form("/report", &fields).await;
    assert_eq!(response.status(), Status::SeeOther, "{occurred_on}");
    app.get_text("/report/receipt").await.1
}

#[rocket::async_test]
async fn the_report_form_takes_dates_as_people_type_them_and_a_date_picker_sends_them() {
    let app = TestApp::spawn().await;
    let (_, form) = app.get_text("/report").await;
    assert!(form.contains("id=\"field-occurred_on\" name=\"occurred_on\" inputmode=\"numeric\""));
    for typed in ["20/11/2026", "1/2/2026", "2026-11-20"] {
        let receipt = report_about(&app, "PCCT-DLNINHKIEU", typed).await;
        assert!(receipt_from(&receipt).is_some(), "{typed}");
    }
    let code = submit_anonymous(&app, DESCRIPTION).await;
    assert!(follow_up_text(&app, &code)
        .await
        .is_some_and(|b| b.contains("20&#x2F;11&#x2F;2026")));

    // Refused: a day that does not exist, the wrong order; the form shows it back with the
    // day as dd/mm/yyyy when the date itself was fine.
    let reports = app.count("report").await;
    let (unit, category) = some_unit_and_category(&app).await;
    for (typed, shown) in [
        ("31/02/2026", "31&#x2F;02&#x2F;2026"),
        ("2026/11/20", "2026&#x2F;11&#x2F;20"),
    ] {
        let fields = [
            ("unit_id", unit.as_str()),
            ("occurred_on", typed),
            ("category_id", category.as_str()),
            ("description", DESCRIPTION),
        ];
        let response = app.post_form("/report", &fields).await;
        assert_eq!(response.status(), Status::UnprocessableEntity);
        let body = response.into_string().await.unwrap();
        assert!(body.contains("Ngày không hợp lệ"), "{typed}");
        assert!(body.contains(&format!("value=\"{shown}\"")), "{typed}");
    }
    let fields = [("unit_id", unit.as_str()), ("occurred_on", "2026-11-20")];
    let body = app
        .post_form("/report", &fields)
        .await
        .into_string()
        .await
        .unwrap();
    assert!(body.contains("value=\"20&#x2F;11&#x2F;2026\""));
    assert_eq!(app.count("report").await, reports);
}

#[rocket::async_test]
async fn every_page_footer_lists_the_corporations_hotlines() {
    let app = TestApp::spawn().await;
    for path in [
        "/",
        "/report",
        "/follow-up",
        "/staff/sign-in",
        "/no-such-page",
    ] {
        let (_, body) = app.get_text(path).await;
        let footer = &body[body.find("site-footer").unwrap_or(0)..];
        for number in [
            "1900 1006",
            "1900 9000",
            "1900 1288",
            "1900 6769",
            "1900 1909",
            "1900 545454",
        ] {
            assert!(footer.contains(number), "{path} lacks {number}");
        }
        assert!(footer.contains("href=\"tel:19001006\""), "{path}");
    }
}

#[rocket::async_test]
async fn a_report_in_an_evnspc_unit_shows_evnspc_s_hotline_on_its_receipt_and_status_page() {
    let app = TestApp::spawn().await;
    let receipt = report_about(&app, "PCCT-DLNINHKIEU", "20/11/2026").await;
    let slip = &receipt[..receipt.find("site-footer").unwrap()];
    assert!(slip.contains("hotline-box"));
    assert!(slip.contains("1900 1006") && slip.contains("1900 9000"));
    assert!(!slip.contains("1900 1288"), "another corporation's number");
    let code = receipt_from(&receipt).unwrap();
    let status = follow_up_text(&app, &code).await.unwrap();
    let page = &status[..status.find("site-footer").unwrap()];
    assert!(page.contains("hotline-box") && page.contains("1900 1006"));
    assert!(!page.contains("1900 1288"));
}

#[rocket::async_test]
async fn an_admin_edits_a_hotline_and_the_footer_shows_the_new_number() {
    let app = TestApp::spawn().await;
    sign_in_as(&app, "admin@evn.vn", &[Role::Admin]).await;
    let id = unit_id(&app, "EVNHANOI").await;
    let path = format!("/admin/units/{id}/edit");
    let (_, form) = app.get_text(&path).await;
    assert!(form.contains("value=\"1900 1288\""));
    let audited_before = audited(&app, "unit_updated").await;
    let fields = [
        ("kind", "corporation"),
        ("name_vi", "Tổng công ty Điện lực Thành phố Hà Nội"),
        ("name_en", "Hanoi Power Corporation"),
        ("hotline", " 1900  1299/024 2220 1000 "),
    ];
    let response = app.post_form(&path, &fields).await;
    assert_eq!(response.status(), Status::SeeOther);
    let stored = org_unit::Entity::find_by_id(id)
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.hotline.as_deref(), Some("1900 1299 / 024 2220 1000"));
    assert_eq!(audited(&app, "unit_updated").await, audited_before + 1);
    let (_, home) = app.get_text("/").await;
    assert!(home.contains("1900 1299") && home.contains("024 2220 1000"));
    assert!(!home.contains("1900 1288"));
}

#[rocket::async_test]
async fn an_invalid_hotline_is_refused_with_a_clear_message_and_nothing_changes() {
    let app = TestApp::spawn().await;
    sign_in_as(&app, "admin@evn.vn", &[Role::Admin]).await;
    let id = unit_id(&app, "EVNHANOI").await;
    let path = format!("/admin/units/{id}/edit");
    let audited_before = audited(&app, "unit_updated").await;
    let fields = [
        ("kind", "corporation"),
        ("name_vi", "Tổng công ty Điện lực Hà Nội (mới)"),
        ("name_en", "Hanoi Power Corporation"),
        ("hotline", "gọi 1900 1288"),
    ];
    let response = app.post_form(&path, &fields).await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let body = response.into_string().await.unwrap();
    assert!(body.contains("Số tổng đài không hợp lệ"));
    assert!(body.contains("value=\"gọi 1900 1288\""));
    let stored = org_unit::Entity::find_by_id(id)
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.hotline.as_deref(), Some("1900 1288"));
    assert_eq!(stored.name_vi, "Tổng công ty Điện lực Thành phố Hà Nội");
    assert_eq!(audited(&app, "unit_updated").await, audited_before);
    let (_, home) = app.get_text("/").await;
    assert!(home.contains("1900 1288"));
}

#[rocket::async_test]
async fn a_shipped_hotline_is_set_once_and_an_admin_s_clearing_survives_a_restart() {
    let app = TestApp::spawn().await;
    let state = app.state();
    let id = unit_id(&app, "EVNNPC").await;
    let row = org_unit::Entity::find_by_id(id)
        .one(state.db.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.hotline.as_deref(), Some("1900 6769"));
    let mut active = row.into_active_model();
    active.hotline = Set(None);
    active.update(state.db.conn()).await.unwrap();
    let data = conduct_portal::platform::persistence::reference::parse(
        conduct_portal::platform::persistence::reference::REFERENCE_TOML,
    )
    .unwrap();
    conduct_portal::platform::persistence::reference::load(&state.db, &data, t0())
        .await
        .unwrap();
    let row = org_unit::Entity::find_by_id(id)
        .one(state.db.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.hotline, None, "the admin's edit is never undone");
}
