//! `/audit`: the auditor's list, filters and pages, the CSV export (itself audited), and tamper
//! evidence — through the web page, `conduct_portal::platform::audit::verify` and the real binary.

use chrono::{NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use conduct_portal::domain::roles::Role;
use conduct_portal::platform::audit::{self, Actor, Entry, Verification};
use conduct_portal::platform::persistence::entities::audit_log;
use rocket::http::Status;
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};

use crate::support::*;

/// What the two-day trail holds, for the tests to compute expectations from.
struct TwoDays {
    admin_id: i32,
    auditor_id: i32,
}

/// 06:30 on 28/11/2026 in Hà Nội — still 27/11 in UTC, so a UTC reading of the date filters
/// would file it under the wrong day.
fn early_on_day_two() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 23, 30, 0).unwrap()
}

/// Day one (27/11, 10:00): an admin is created, `ke.gian@evn.vn` fails to sign in twice.
/// Day two (28/11, 06:30): `Khach.Hang@evn.vn` fails once, then an auditor signs in (this
/// client). Fewer than three failures per hour, so the sign-in throttle stays out of the way.
async fn two_days_of_trail(app: &TestApp) -> TwoDays {
    let admin_id = create_user(app, "quantri@evn.vn", &[Role::Admin]).await;
    fail_sign_in(app, "ke.gian@evn.vn").await;
    fail_sign_in(app, "ke.gian@evn.vn").await;
    app.clock.set(early_on_day_two());
    fail_sign_in(app, "Khach.Hang@evn.vn").await;
    let auditor_id = sign_in_as(app, "kiemtoan@evn.vn", &[Role::Auditor]).await;
    TwoDays {
        admin_id,
        auditor_id,
    }
}

async fn fail_sign_in(app: &TestApp, email: &str) {
    let response = app
        .post_form(
            "/staff/sign-in",
            &[("email", email), ("password", "wrong password!!")],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity, "{email}");
}

/// The whole trail, newest first.
async fn trail(app: &TestApp) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Id)
        .all(app.state().db.conn())
        .await
        .unwrap()
}

/// The ids of the trail's entries that satisfy `keep`, newest first.
async fn ids_where(app: &TestApp, keep: impl Fn(&audit_log::Model) -> bool) -> Vec<i32> {
    trail(app)
        .await
        .iter()
        .filter(|row| keep(row))
        .map(|row| row.id)
        .collect()
}

fn hanoi_day(row: &audit_log::Model) -> NaiveDate {
    row.at.with_timezone(&Ho_Chi_Minh).date_naive()
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

/// The entry ids a list page shows, in order.
fn shown_ids(body: &str) -> Vec<i32> {
    body.split("<tr id=\"entry-")
        .skip(1)
        .map(|piece| {
            let end = piece.find('"').unwrap();
            piece[..end].parse().unwrap()
        })
        .collect()
}

/// Lists `path` as the signed-in auditor; asserts 200 and returns the ids shown.
async fn listed(app: &TestApp, path: &str) -> Vec<i32> {
    let (status, body) = app.get_text(path).await;
    assert_eq!(status, Status::Ok, "{path}");
    shown_ids(&body)
}

/// The target of the link marked `rel`, unescaped.
fn link(body: &str, rel: &str) -> Option<String> {
    let end = body.find(&format!("\" rel=\"{rel}\""))?;
    let start = body[..end].rfind("href=\"")? + "href=\"".len();
    Some(unescape(&body[start..end]))
}

fn unescape(html: &str) -> String {
    html.replace("&#x2F;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

async fn sql(app: &TestApp, statement: &str) {
    app.state()
        .db
        .conn()
        .execute_unprepared(statement)
        .await
        .unwrap();
}

async fn verification(app: &TestApp) -> Verification {
    audit::verify(app.state().db.conn()).await.unwrap()
}

#[rocket::async_test]
async fn an_auditor_sees_the_trail_newest_first_and_each_filter_narrows_it() {
    // Password-only sign-in, so that the auditor's sign-in is one `sign_in_success` entry.
    let app = TestApp::spawn_with(no_two_factor).await;
    let days = two_days_of_trail(&app).await;
    let everything = ids_where(&app, |_| true).await;
    assert!(everything.len() >= 6);

    let (status, body) = app.get_text("/audit?lang=en").await;
    assert_eq!(status, Status::Ok);
    assert_eq!(shown_ids(&body), everything, "all of it, newest first");
    assert!(body.contains(&format!("{} matching entries", everything.len())));
    assert!(body.contains("<option value=\"sign_in_failure\">"));
    assert!(body.contains("<option value=\"user\">"));
    assert!(body.contains("href=\"/audit/verify\""));
    assert!(body.contains("href=\"&#x2F;audit&#x2F;export.csv\""));

    // Actor: a substring, whatever the case.
    let by_actor = listed(&app, "/audit?actor=KE.GIAN").await;
    let expected = ids_where(&app, |r| r.actor_label.contains("ke.gian")).await;
    assert_eq!(expected.len(), 2);
    assert_eq!(by_actor, expected);
    // LIKE's wildcards are taken literally: "e_g" would otherwise match "ke.gian".
    assert_eq!(listed(&app, "/audit?actor=e.g").await, expected);
    assert!(listed(&app, "/audit?actor=e_g").await.is_empty());
    assert!(listed(&app, "/audit?actor=%25").await.is_empty());

    // Action, from the select.
    let (_, body) = app.get_text("/audit?action=sign_in_failure").await;
    let expected = ids_where(&app, |r| r.action == "sign_in_failure").await;
    assert_eq!(expected.len(), 3);
    assert_eq!(shown_ids(&body), expected);
    assert!(body.contains("<option value=\"sign_in_failure\" selected>"));
    assert!(body.contains("3 matching entries"));

    // Object: type and exact id.
    let path = format!("/audit?object_type=user&object_id={}", days.admin_id);
    let by_object = listed(&app, &path).await;
    let expected = ids_where(&app, |r| {
        r.object_type == "user" && r.object_id == Some(days.admin_id.to_string())
    })
    .await;
    assert_eq!(expected.len(), 1);
    assert_eq!(by_object, expected);
    let path = format!("/audit?object_type=user&object_id={}0", days.admin_id);
    assert!(
        listed(&app, &path).await.is_empty(),
        "the id matches exactly"
    );

    // Dates are Hà Nội days: the failure at 06:30 on the 28th (23:30 UTC on the 27th) belongs to
    // the 28th.
    let khach = ids_where(&app, |r| r.actor_label == "khach.hang@evn.vn").await;
    assert_eq!(khach.len(), 1);
    let day_one = listed(&app, "/audit?from=2026-11-27&to=2026-11-27").await;
    let expected = ids_where(&app, |r| hanoi_day(r) == day(27)).await;
    assert_eq!(expected.len(), 3, "the admin's creation and two failures");
    assert_eq!(day_one, expected);
    assert!(!day_one.contains(&khach[0]));
    let day_two = listed(&app, "/audit?from=2026-11-28").await;
    let expected = ids_where(&app, |r| hanoi_day(r) == day(28)).await;
    assert_eq!(day_two, expected);
    assert!(day_two.contains(&khach[0]));
    assert_eq!(day_one.len() + day_two.len(), everything.len());
    assert_eq!(
        listed(&app, "/audit?to=2026-11-26").await,
        Vec::<i32>::new()
    );

    // Filters combine.
    let combined = listed(
        &app,
        "/audit?action=sign_in_failure&from=2026-11-28&to=2026-11-28",
    )
    .await;
    assert_eq!(combined, khach);
    let mine = listed(&app, "/audit?actor=kiemtoan&action=sign_in_success").await;
    let expected = ids_where(&app, |r| {
        r.actor_user_id == Some(days.auditor_id) && r.action == "sign_in_success"
    })
    .await;
    assert_eq!(expected.len(), 1);
    assert_eq!(mine, expected);
}

#[rocket::async_test]
async fn the_list_pages_by_fifty_and_its_links_keep_the_filters() {
    let app = TestApp::spawn().await;
    let tx = app.state().db.begin_write().await.unwrap();
    for i in 0..120 {
        let action = if i % 4 == 0 {
            "sign_out"
        } else {
            "sign_in_failure"
        };
        audit::record(
            &*tx,
            t0(),
            Entry {
                actor: &Actor::Claimed(format!("nguoi{i}@evn.vn")),
                action,
                object_type: "account",
                object_id: None,
                details: serde_json::json!({"step": "password"}),
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    sign_in_as(&app, "kiemtoan@evn.vn", &[Role::Auditor]).await;
    let expected = ids_where(&app, |r| r.action == "sign_in_failure").await;
    assert_eq!(expected.len(), 90);

    let (_, first) = app.get_text("/audit?action=sign_in_failure").await;
    assert_eq!(shown_ids(&first), expected[..50]);
    assert!(first.contains("90 mục phù hợp"));
    assert!(link(&first, "prev").is_none());
    let next = link(&first, "next").unwrap();
    assert_eq!(next, "/audit?action=sign_in_failure&page=2");

    let (_, second) = app.get_text(&next).await;
    assert_eq!(shown_ids(&second), expected[50..]);
    assert!(link(&second, "next").is_none());
    assert_eq!(
        link(&second, "prev").unwrap(),
        "/audit?action=sign_in_failure"
    );
    assert!(unescape(&second).contains("Trang 2 / 2"));

    // A page past the end shows the last one; without filters there are three pages.
    assert_eq!(
        listed(&app, "/audit?action=sign_in_failure&page=9").await,
        expected[50..]
    );
    for odd in ["abc", "0", "-1"] {
        let path = format!("/audit?action=sign_in_failure&page={odd}");
        assert_eq!(listed(&app, &path).await, expected[..50], "{path}");
    }
    let (_, unfiltered) = app.get_text("/audit?page=2").await;
    assert_eq!(shown_ids(&unfiltered).len(), 50);
    assert_eq!(link(&unfiltered, "next").unwrap(), "/audit?page=3");
}

#[rocket::async_test]
async fn only_auditors_may_open_the_audit_pages() {
    let app = TestApp::spawn().await;
    let paths = ["/audit", "/audit/export.csv", "/audit/verify"];
    for path in paths {
        let response = app.client.get(path).dispatch().await;
        assert_eq!(response.status(), Status::SeeOther, "{path}");
        assert_eq!(
            response.headers().get_one("Location"),
            Some("/staff/sign-in"),
            "{path}"
        );
    }
    sign_in_as(&app, "quantri@evn.vn", &[Role::Admin]).await;
    let (status, _) = app.get_text("/staff").await;
    assert_eq!(status, Status::Ok, "the admin is signed in");
    for path in paths {
        let (status, _) = app.get_text(path).await;
        assert_eq!(status, Status::Forbidden, "{path}");
    }
    assert!(ids_where(&app, |r| r.action == "audit_exported")
        .await
        .is_empty());
}

#[rocket::async_test]
async fn the_csv_export_holds_exactly_the_filtered_rows_and_is_itself_audited() {
    let app = TestApp::spawn().await;
    let days = two_days_of_trail(&app).await;
    let before = app.count("audit_log").await;

    let response = app
        .client
        .get("/audit/export.csv?actor=GIAN&from=2026-11-27&to=2026-11-27&object_id=")
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(
        response.headers().get_one("Content-Type"),
        Some("text/csv; charset=utf-8")
    );
    assert_eq!(
        response.headers().get_one("Content-Disposition"),
        Some("attachment; filename=\"audit-20261128.csv\"")
    );
    let bytes = response.into_bytes().await.unwrap();
    assert!(
        bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "UTF-8 byte-order mark"
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(
        reader.headers().unwrap(),
        vec![
            "id",
            "time",
            "actor_user_id",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "details",
            "hash"
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();

    // Exactly the filtered rows, oldest first, every field as stored.
    let mut expected: Vec<audit_log::Model> = trail(&app)
        .await
        .into_iter()
        .filter(|r| r.actor_label.contains("gian") && hanoi_day(r) == day(27))
        .collect();
    expected.reverse();
    assert_eq!(expected.len(), 2);
    assert_eq!(records.len(), expected.len());
    for (record, row) in records.iter().zip(&expected) {
        assert_eq!(&record[0], row.id.to_string());
        assert_eq!(
            &record[1],
            row.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
        );
        assert_eq!(
            chrono::DateTime::parse_from_rfc3339(&record[1]).unwrap(),
            row.at
        );
        assert_eq!(&record[2], "");
        assert_eq!(&record[3], row.actor_label);
        assert_eq!(&record[4], row.action);
        assert_eq!(&record[5], row.object_type);
        assert_eq!(&record[6], row.object_id.clone().unwrap_or_default());
        assert_eq!(&record[7], row.details.clone().unwrap_or_default());
        assert_eq!(&record[8], row.hash);
    }

    // The export left its own entry, committed, naming the auditor and the filters.
    assert_eq!(app.count("audit_log").await, before + 1);
    let newest = trail(&app).await.remove(0);
    assert_eq!(newest.action, "audit_exported");
    assert_eq!(newest.object_type, "audit_log");
    assert_eq!(newest.actor_user_id, Some(days.auditor_id));
    let details: serde_json::Value =
        serde_json::from_str(newest.details.as_deref().unwrap()).unwrap();
    assert_eq!(
        details,
        serde_json::json!({
            "actor": "GIAN", "action": null, "object_type": null, "object_id": null,
            "from": "2026-11-27", "to": "2026-11-27",
        })
    );
    assert_eq!(
        verification(&app).await,
        Verification::Intact {
            entries: before as u64 + 1
        }
    );

    // Unfiltered: everything up to, not including, this export's own entry.
    let response = app.client.get("/audit/export.csv").dispatch().await;
    assert_eq!(response.status(), Status::Ok);
    let bytes = response.into_bytes().await.unwrap();
    let ids: Vec<i32> = csv::Reader::from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap()[0].parse().unwrap())
        .collect();
    let mut all = ids_where(&app, |_| true).await;
    all.reverse();
    assert_eq!(ids, all[..all.len() - 1]);
    assert_eq!(
        ids_where(&app, |r| r.action == "audit_exported")
            .await
            .len(),
        2
    );

    // The list links to the export with the same filters.
    let (_, body) = app
        .get_text("/audit?action=sign_in_failure&to=2026-11-27")
        .await;
    assert!(body
        .contains("href=\"&#x2F;audit&#x2F;export.csv?action=sign_in_failure&amp;to=2026-11-27\""));
}

#[rocket::async_test]
async fn a_bad_date_is_refused_with_422_and_the_other_filters_are_kept() {
    let app = TestApp::spawn().await;
    two_days_of_trail(&app).await;
    let (status, body) = app
        .get_text(
            "/audit?actor=gian&action=sign_in_failure&object_id=42&from=h%C3%B4m-qua&to=2026-11-28",
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(body.contains("Ngày không hợp lệ"));
    assert!(body.contains("id=\"from-error\""));
    assert!(!body.contains("id=\"to-error\""));
    for kept in [
        "value=\"gian\"",
        "value=\"42\"",
        "value=\"hôm-qua\"",
        "value=\"2026-11-28\"",
        "<option value=\"sign_in_failure\" selected>",
    ] {
        assert!(body.contains(kept), "{kept}");
    }
    assert!(
        shown_ids(&body).is_empty(),
        "no results under invalid filters"
    );

    let (status, body) = app
        .get_text("/audit?from=2026-11-28&to=2026-11-27&lang=en")
        .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(body.contains("The end date must be on or after the start date."));

    // The export refuses the same way, and records nothing.
    let before = app.count("audit_log").await;
    let (status, body) = app.get_text("/audit/export.csv?to=28%2F11%2F2026").await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(body.contains("Not a valid date"));
    assert_eq!(app.count("audit_log").await, before);
}

#[rocket::async_test]
async fn editing_an_entry_breaks_the_chain_at_that_entry() {
    let app = TestApp::spawn().await;
    two_days_of_trail(&app).await;
    let entries = app.count("audit_log").await as u64;
    assert_eq!(verification(&app).await, Verification::Intact { entries });
    let (_, body) = app.get_text("/audit/verify").await;
    assert!(body.contains(&format!("Nhật ký nguyên vẹn: đã kiểm tra {entries} mục.")));

    // The first failed sign-in: neither the first nor the last entry.
    let failures = ids_where(&app, |r| r.action == "sign_in_failure").await;
    let target = *failures.last().unwrap();
    let row = audit_log::Entity::find_by_id(target)
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    let original = row.details.clone().unwrap();

    sql(
        &app,
        &format!(
            "UPDATE audit_log SET details = '{{\"step\":\"second_factor\"}}' WHERE id = {target}"
        ),
    )
    .await;
    assert_eq!(
        verification(&app).await,
        Verification::BrokenAt {
            id: target,
            reason: "content"
        }
    );
    let (status, body) = app.get_text("/audit/verify").await;
    assert_eq!(status, Status::Ok);
    assert!(body.contains(&format!("Nhật ký bị phá vỡ tại mục #{target}: nội dung")));
    assert_eq!(shown_ids(&body), vec![target], "the entry is shown");

    // Put the details back and the chain holds again: it was that edit.
    sql(
        &app,
        &format!("UPDATE audit_log SET details = '{original}' WHERE id = {target}"),
    )
    .await;
    assert_eq!(verification(&app).await, Verification::Intact { entries });

    sql(
        &app,
        &format!("UPDATE audit_log SET action = 'sign_in_success' WHERE id = {target}"),
    )
    .await;
    assert_eq!(
        verification(&app).await,
        Verification::BrokenAt {
            id: target,
            reason: "content"
        }
    );
}

#[rocket::async_test]
async fn deleting_an_entry_breaks_the_link_at_the_entry_after_it() {
    let app = TestApp::spawn().await;
    two_days_of_trail(&app).await;
    let mut ids = ids_where(&app, |_| true).await;
    ids.reverse();
    let (deleted, following) = (ids[2], ids[3]);
    sql(&app, &format!("DELETE FROM audit_log WHERE id = {deleted}")).await;
    assert_eq!(
        verification(&app).await,
        Verification::BrokenAt {
            id: following,
            reason: "link"
        }
    );
    let (_, body) = app.get_text("/audit/verify?lang=en").await;
    assert!(body.contains(&format!(
        "The trail is broken at entry #{following}: its link to the entry before does not match"
    )));
}

/// Runs `conduct-portal audit verify` against the test's database.
fn run_cli_verify(app: &TestApp) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_conduct-portal"))
        .args(["audit", "verify"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("ROCKET_DATABASE_URL", &app.database_url)
        .env("ROCKET_DATA_DIR", app.data_dir.path())
        .env("ROCKET_MASTER_KEY", MASTER_KEY)
        .env("ROCKET_RECEIPT_KEY", RECEIPT_KEY)
        .env("ROCKET_SECRET_KEY", SECRET_KEY)
        .output()
        .unwrap()
}

#[rocket::async_test]
async fn the_command_line_verifier_agrees_with_the_page_before_and_after_tampering() {
    let app = TestApp::spawn().await;
    two_days_of_trail(&app).await;
    let entries = app.count("audit_log").await;

    let intact = run_cli_verify(&app);
    let stdout = String::from_utf8_lossy(&intact.stdout);
    assert!(
        intact.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&intact.stderr)
    );
    assert!(
        stdout.contains(&format!("intact: {entries} entries")),
        "{stdout}"
    );

    let target = ids_where(&app, |r| r.action == "user_created").await[0];
    sql(
        &app,
        &format!("UPDATE audit_log SET actor_label = 'ai đó' WHERE id = {target}"),
    )
    .await;
    let broken = run_cli_verify(&app);
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert!(!broken.status.success(), "{stdout}");
    assert!(
        stdout.contains(&format!("BROKEN at entry {target} ")),
        "{stdout}"
    );
    let (_, body) = app.get_text("/audit/verify").await;
    assert!(body.contains(&format!("tại mục #{target}:")));
}

#[rocket::async_test]
async fn the_audit_pages_speak_both_languages_and_escape_what_they_show() {
    let app = TestApp::spawn().await;
    fail_sign_in(&app, "<b>x</b>@evn.vn").await;
    sign_in_as(&app, "kiemtoan@evn.vn", &[Role::Auditor]).await;
    for (lang, title) in [("vi", "Nhật ký kiểm toán"), ("en", "Audit trail")] {
        let (_, body) = app.get_text(&format!("/audit?lang={lang}")).await;
        assert!(body.contains(&format!("<html lang=\"{lang}\">")));
        assert!(body.contains(title), "{lang}");
        assert!(body.contains("&lt;b&gt;x&lt;&#x2F;b&gt;@evn.vn"), "{lang}");
        assert!(!body.contains("<b>x</b>"), "{lang}");
        assert!(body.contains("{&quot;step&quot;:&quot;password&quot;}"));
        for path in ["/audit", "/audit/verify", "/audit?from=x"] {
            let (_, body) = app.get_text(path).await;
            assert!(!body.contains("Unknown localization"), "{path} in {lang}");
            assert!(body.contains(&format!("<html lang=\"{lang}\">")), "{path}");
        }
    }
    // Times are shown in Hà Nội, to the second.
    let (_, body) = app.get_text("/audit").await;
    assert!(unescape(&body).contains(">27/11/2026 10:00:00</time>"));
}

// ---- Anchoring the head (issue 18, item 12) ----

/// Runs `conduct-portal audit <args>` against the test's database.
fn run_cli_audit(app: &TestApp, args: &[&str]) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_conduct-portal"))
        .arg("audit")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("ROCKET_DATABASE_URL", &app.database_url)
        .env("ROCKET_DATA_DIR", app.data_dir.path())
        .env("ROCKET_MASTER_KEY", MASTER_KEY)
        .env("ROCKET_RECEIPT_KEY", RECEIPT_KEY)
        .env("ROCKET_SECRET_KEY", SECRET_KEY)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[rocket::async_test]
async fn removing_the_newest_entries_back_past_a_checkpoint_is_detected() {
    let app = TestApp::spawn().await;
    two_days_of_trail(&app).await;
    let outside = scratch_dir();
    let file = outside.path().join("audit-checkpoints.txt");
    let file_arg = file.display().to_string();

    let (ok, printed) = run_cli_audit(&app, &["checkpoint", "--append", &file_arg]);
    assert!(ok, "{printed}");
    let head = trail(&app).await[0].clone();
    let expected = format!("seq={} hash={} at=", head.id, head.hash);
    assert!(printed.starts_with(&expected), "{printed}");
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(written.lines().count(), 1);
    assert!(written.starts_with(&expected), "{written}");

    // Later activity, a second checkpoint; both are honoured while nothing is touched.
    fail_sign_in(&app, "ke.gian@evn.vn").await;
    assert!(run_cli_audit(&app, &["checkpoint", "--append", &file_arg]).0);
    assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), 2);
    let (ok, out) = run_cli_audit(&app, &["verify", "--checkpoint", &file_arg]);
    assert!(ok, "{out}");
    assert!(out.contains("2 checkpoints"), "{out}");

    // Entries after the newest checkpoint may still be added.
    fail_sign_in(&app, "ke.gian@evn.vn").await;
    assert!(run_cli_audit(&app, &["verify", "--checkpoint", &file_arg]).0);

    // Cut the trail back to before the first checkpoint's head: the chain alone still holds...
    sql(
        &app,
        &format!("DELETE FROM audit_log WHERE id >= {}", head.id),
    )
    .await;
    let (ok, out) = run_cli_audit(&app, &["verify"]);
    assert!(
        ok,
        "without checkpoints a truncated trail looks intact: {out}"
    );
    // ...but the checkpoints show what is gone.
    let (ok, out) = run_cli_audit(&app, &["verify", "--checkpoint", &file_arg]);
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!(
            "TRUNCATED: entry {}, recorded by the checkpoint of ",
            head.id
        )),
        "{out}"
    );
}

#[rocket::async_test]
async fn a_rewritten_head_is_detected_and_a_checkpoint_may_not_live_in_the_data_directory() {
    let app = TestApp::spawn().await;
    two_days_of_trail(&app).await;
    let outside = scratch_dir();
    let file = outside.path().join("checkpoints.txt");
    let file_arg = file.display().to_string();
    assert!(run_cli_audit(&app, &["checkpoint", "--append", &file_arg]).0);

    // Rewrite the newest entry with a valid hash: the chain holds, the checkpoint does not.
    let head = trail(&app).await[0].clone();
    let mut forged = head.clone();
    forged.action = "nothing_happened".into();
    forged.hash = audit::hash_of(&forged);
    sql(
        &app,
        &format!(
            "UPDATE audit_log SET action = 'nothing_happened', hash = '{}' WHERE id = {}",
            forged.hash, head.id
        ),
    )
    .await;
    let db = app.state().db.conn();
    assert!(matches!(
        audit::verify(db).await.unwrap(),
        Verification::Intact { .. }
    ));
    let (ok, out) = run_cli_audit(&app, &["verify", "--checkpoint", &file_arg]);
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!("REWRITTEN: entry {} no longer", head.id)),
        "{out}"
    );

    // A damaged checkpoint file is refused, not ignored.
    std::fs::write(&file, "seq=12 hash=nonsense\n").unwrap();
    let (ok, out) = run_cli_audit(&app, &["verify", "--checkpoint", &file_arg]);
    assert!(!ok && out.contains("line 1 is not a checkpoint"), "{out}");

    let inside = app.data_dir.path().join("checkpoints.txt");
    let (ok, out) = run_cli_audit(
        &app,
        &["checkpoint", "--append", &inside.display().to_string()],
    );
    assert!(!ok, "{out}");
    assert!(out.contains("inside the data directory"), "{out}");
    assert!(!inside.exists());
}

/// A one-request HTTP server answering `status`; returns its URL and the body it will receive.
fn one_request_server(status: &'static str) -> (String, std::thread::JoinHandle<String>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/checkpoints", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream);
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
            let lower = line.to_ascii_lowercase();
            if let Some(value) = lower.strip_prefix("content-length:") {
                length = value.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let mut stream = reader.into_inner();
        write!(
            stream,
            "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        String::from_utf8(body).unwrap()
    });
    (url, handle)
}

#[rocket::async_test]
async fn a_checkpoint_can_be_posted_to_another_machine_and_a_refusal_is_a_failure() {
    let app = TestApp::spawn().await;
    two_days_of_trail(&app).await;
    let (url, received) = one_request_server("204 No Content");
    let (ok, printed) = run_cli_audit(&app, &["checkpoint", "--post", &url]);
    assert!(ok, "{printed}");
    let body = received.join().unwrap();
    assert_eq!(body.trim_end(), printed.lines().next().unwrap());
    let head = trail(&app).await[0].clone();
    assert!(body.starts_with(&format!("seq={} hash={} ", head.id, head.hash)));

    let (url, received) = one_request_server("500 Internal Server Error");
    let (ok, out) = run_cli_audit(&app, &["checkpoint", "--post", &url]);
    received.join().unwrap();
    assert!(!ok, "{out}");
    assert!(out.contains("cannot post the checkpoint"), "{out}");
}
