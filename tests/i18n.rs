//! Vietnamese and English: identical catalogues, every template rendered in both languages,
//! the language chosen from `?lang=`, the cookie, then `Accept-Language`.

use std::collections::BTreeSet;

use conduct_portal::domain::retention::RetentionClass;
use conduct_portal::domain::status::CaseStatus;
use rocket::http::{Header, Status};

use crate::support::*;

fn catalogue_keys(lang: &str) -> BTreeSet<String> {
    let dir = format!("{}/locales/{lang}", env!("CARGO_MANIFEST_DIR"));
    let mut keys = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            if let Some((key, _)) = line.split_once(" =") {
                if !key.starts_with(['#', ' ']) && !key.is_empty() {
                    keys.insert(key.trim().to_string());
                }
            }
        }
    }
    keys
}

#[test]
fn the_vietnamese_and_english_catalogues_have_the_same_keys() {
    let vi = catalogue_keys("vi");
    let en = catalogue_keys("en");
    assert!(vi.len() > 100);
    let only_vi: Vec<_> = vi.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&vi).collect();
    assert!(
        only_vi.is_empty() && only_en.is_empty(),
        "only vi: {only_vi:?}; only en: {only_en:?}"
    );
}

#[test]
fn every_key_the_templates_and_code_use_exists_in_the_catalogue() {
    let keys = catalogue_keys("vi");
    let mut used = BTreeSet::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/templates"
    ))];
    stack.push(std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    )));
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let markers: &[&str] = if path.extension().is_some_and(|e| e == "rs") {
            &["\"error-", "\"flash-", "\"msg-"]
        } else {
            &["key=\""]
        };
        for marker in markers {
            for piece in text.split(marker).skip(1) {
                let tail: String = piece
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                // Only complete literals; keys built with `~` or format! are listed below.
                if !piece[tail.len()..].starts_with('"') || tail.ends_with('-') {
                    continue;
                }
                let key = if *marker == "key=\"" {
                    tail
                } else {
                    format!("{}{tail}", &marker[1..])
                };
                used.insert(key);
            }
        }
    }
    for key in [
        "author-reporter",
        "author-system",
        "author-staff",
        "event-received",
        "event-reporter-replied",
    ] {
        used.insert(key.to_string());
    }
    for class in RetentionClass::ALL {
        used.insert(class.label_key().to_string());
    }
    for status in CaseStatus::ALL {
        used.insert(status.label_key());
        used.insert(status.reporter_message_key());
    }
    for n in 1..=6 {
        used.insert(format!("home-what-{n}"));
    }
    for n in 1..=4 {
        used.insert(format!("home-anonymity-{n}"));
    }
    for step in ["received", "accept", "notify", "resolve", "conclude"] {
        used.insert(format!("home-step-{step}"));
    }
    let missing: Vec<_> = used.iter().filter(|k| !keys.contains(*k)).collect();
    assert!(
        missing.is_empty(),
        "missing from the catalogue: {missing:?}"
    );
}

#[rocket::async_test]
async fn every_page_renders_in_both_languages() {
    let app = TestApp::spawn().await;
    let code = submit_anonymous(&app, "Nhân viên không đeo thẻ khi đến kiểm tra công tơ.").await;
    for (lang, marker) in [
        ("en", "EVN conduct portal"),
        ("vi", "Cổng phản ánh ứng xử ngành Điện"),
    ] {
        let (status, _) = app.get_text(&format!("/?lang={lang}")).await;
        assert_eq!(status, Status::Ok);
        for path in ["/", "/report", "/follow-up", "/report/receipt", "/missing"] {
            let (_, body) = app.get_text(path).await;
            assert!(body.contains(marker), "{path} in {lang}");
            assert!(
                body.contains(&format!("<html lang=\"{lang}\">")),
                "{path} in {lang}"
            );
            assert!(!body.contains("Unknown localization"), "{path} in {lang}");
        }
        assert_eq!(open_follow_up(&app, &code).await, Status::SeeOther);
        let (status, body) = app.get_text("/follow-up/status").await;
        assert_eq!(status, Status::Ok);
        assert!(body.contains(marker));
        assert!(!body.contains("Unknown localization"));
        let error_page = app.post_form("/follow-up", &[("receipt", "x")]).await;
        let body = error_page.into_string().await.unwrap();
        assert!(body.contains(marker));
    }
    // A fresh receipt page in English.
    let (unit, category) = some_unit_and_category(&app).await;
    app.post_form(
        "/report",
        &[
            ("unit_id", unit.as_str()),
            ("occurred_on", "2026-11-20"),
            ("category_id", category.as_str()),
            (
                "description",
                "Nhân viên không đeo thẻ khi đến kiểm tra công tơ.",
            ),
            ("identity", "anonymous"),
        ],
    )
    .await;
    let (_, body) = app.get_text("/report/receipt?lang=en").await;
    assert!(body.contains("cannot be recovered"));
}

#[rocket::async_test]
async fn language_comes_from_the_query_then_the_cookie_then_accept_language() {
    let app = TestApp::spawn().await;
    let (_, body) = app.get_text("/").await;
    assert!(body.contains("<html lang=\"vi\">"), "Vietnamese by default");

    let (_, body) = app
        .get_with_headers("/", vec![Header::new("Accept-Language", "en-US,en;q=0.9")])
        .await;
    assert!(body.contains("<html lang=\"en\">"));

    let (_, body) = app.get_text("/?lang=en").await;
    assert!(body.contains("<html lang=\"en\">"));
    let (_, body) = app
        .get_with_headers("/report", vec![Header::new("Accept-Language", "vi")])
        .await;
    assert!(
        body.contains("<html lang=\"en\">"),
        "the cookie beats Accept-Language"
    );
    assert!(body.contains("report?lang=vi\""), "switch link back");

    let (_, body) = app.get_text("/?lang=vi").await;
    assert!(body.contains("<html lang=\"vi\">"));
}
