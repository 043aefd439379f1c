//! The inbox's text search through the text index (SQLite FTS5, PostgreSQL GIN): words of the
//! sealed description, substrings of the reference and of the named staff member, team scope,
//! the overdue filter, and an index that follows a case's changed text.

use std::collections::BTreeSet;

use conduct_portal::auth::StaffUser;
use conduct_portal::case_management::access::Viewer;
use conduct_portal::case_management::inbox::{self, DeadlineFilter, InboxFilter};
use conduct_portal::case_management::search::Search;
use conduct_portal::domain::calendar::local_date;
use conduct_portal::domain::roles::Role;
use conduct_portal::domain::text::fold;
use conduct_portal::platform::clock::Clock;
use conduct_portal::platform::crypto::SecretKey32;
use conduct_portal::platform::evidence::text::{self, ReportText};
use conduct_portal::platform::persistence::entities::case_file;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel, QueryFilter,
    QueryTrait, Set,
};

use crate::case_management::case;
use crate::support::*;

/// A report at `unit_code` with `description`, naming `staff` when given; its case id.
async fn report(app: &TestApp, unit_code: &str, description: &str, staff: Option<&str>) -> i32 {
    let unit = unit_id(app, unit_code).await.to_string();
    let category = category_id(app, "rude").await.to_string();
    let mut fields = vec![
        ("unit_id", unit.as_str()),
        ("occurred_on", "2026-11-20"),
        ("category_id", category.as_str()),
        ("description", description),
        ("identity", "anonymous"),
    ];
    if let Some(name) = staff {
        fields.push(("staff_name", name));
    }
    submit(app, &fields).await;
    newest_case(app).await
}

/// The case ids listed by `/cases?{query}` among `ids`.
async fn listed(app: &TestApp, query: &str, ids: &[i32]) -> Vec<i32> {
    let (status, page) = app.get_text(&format!("/cases?{query}")).await;
    assert_eq!(status, rocket::http::Status::Ok, "{query}");
    ids.iter()
        .copied()
        .filter(|id| page.contains(&format!("/cases/{id}\"")))
        .collect()
}

async fn hoan_kiem_inspector(app: &TestApp) {
    let team = team_at(app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(app, team, "tim.chu@evn.vn", &[Role::Inspector]).await;
}

#[rocket::async_test]
async fn words_of_the_description_the_reference_and_the_staff_name_are_found() {
    let app = TestApp::spawn_with(no_two_factor).await;
    hoan_kiem_inspector(&app).await;
    let meter = report(
        &app,
        "PCHK-PGDHANGBAC",
        "Nhân viên ghi sai chỉ số công tơ nhà tôi tháng này.",
        Some("Lê Thị Hồng Nhung"),
    )
    .await;
    let bill = report(
        &app,
        "PCHK-PGDCUANAM",
        "Hóa đơn tiền điện tăng gấp đôi dù không dùng thêm.",
        None,
    )
    .await;
    let ids = [meter, bill];
    sign_in(&app, "tim.chu@evn.vn").await;

    assert_eq!(listed(&app, "q=c%C3%B4ng+t%C6%A1", &ids).await, [meter]);
    assert_eq!(listed(&app, "q=hoa+don", &ids).await, [bill]);
    // A whole word of the sealed text only: a part of one finds nothing.
    assert!(listed(&app, "q=hoa+do", &ids).await.is_empty());
    assert_eq!(listed(&app, "q=hong+nhung", &ids).await, [meter]);
    assert_eq!(listed(&app, "q=ong+nhu", &ids).await, [meter], "substrings");
    let reference = format!("{:06}", bill);
    assert_eq!(listed(&app, &format!("q={reference}"), &ids).await, [bill]);
    let year = case(&app, bill).await.received_at.format("%Y").to_string();
    assert_eq!(
        listed(&app, &format!("q=pa-{year}-{}", &reference[..4]), &ids).await,
        ids,
        "a reference prefix finds both"
    );
    assert!(listed(&app, "q=khong+co+tu+nay", &ids).await.is_empty());
    // What a scanner sends: a NUL and a quote end nothing early on either database.
    assert_eq!(listed(&app, "q=hoa%00don", &ids).await, [bill]);
    assert!(listed(&app, "q=%22e.php%00", &ids).await.is_empty());
    assert!(listed(&app, "q=%00", &ids).await.len() <= ids.len());
}

#[rocket::async_test]
async fn the_search_stays_inside_the_team_and_combines_with_the_overdue_filter() {
    let app = TestApp::spawn_with(no_two_factor).await;
    hoan_kiem_inspector(&app).await;
    let other_team = team_at(&app, "PCBADINH", "Tổ Ba Đình").await;
    member(&app, other_team, "ba.dinh@evn.vn", &[Role::Inspector]).await;
    let own = report(&app, "PCHK-PGDHANGBAC", "Nhân viên đòi bồi dưỡng.", None).await;
    let foreign = report(&app, "PCBDH-PGDKIMMA", "Nhân viên đòi bồi dưỡng.", None).await;
    let ids = [own, foreign];
    sign_in(&app, "tim.chu@evn.vn").await;
    assert_eq!(listed(&app, "q=boi+duong", &ids).await, [own]);
    sign_in(&app, "ba.dinh@evn.vn").await;
    assert_eq!(listed(&app, "q=boi+duong", &ids).await, [foreign]);

    app.clock.advance(chrono::Duration::days(12));
    let fresh = report(&app, "PCHK-PGDHANGBAC", "Nhân viên đòi bồi dưỡng.", None).await;
    let ids = [own, foreign, fresh];
    sign_in(&app, "tim.chu@evn.vn").await;
    assert_eq!(listed(&app, "q=boi+duong", &ids).await, [own, fresh]);
    assert_eq!(
        listed(&app, "q=boi+duong&deadline=overdue", &ids).await,
        [own],
        "the fresh case is not overdue"
    );
    assert!(listed(&app, "q=hoa+don&deadline=overdue", &ids)
        .await
        .is_empty());
}

#[rocket::async_test]
async fn a_case_whose_text_changes_is_found_by_its_new_words_only() {
    let app = TestApp::spawn_with(no_two_factor).await;
    hoan_kiem_inspector(&app).await;
    let id = report(
        &app,
        "PCHK-PGDHANGBAC",
        "Nhân viên quát tháo khách hàng.",
        Some("Trần Văn Cũ"),
    )
    .await;
    let ids = [id];
    sign_in(&app, "tim.chu@evn.vn").await;
    assert_eq!(listed(&app, "q=quat+thao", &ids).await, ids);
    assert_eq!(listed(&app, "q=van+cu", &ids).await, ids);

    let state = app.state();
    let changed = ReportText {
        description: "Nhân viên cắt điện không báo trước.".into(),
        staff_description: None,
    };
    let mut row = case(&app, id).await.into_active_model();
    row.text_tokens = Set(text::tokens(&state.config.receipt_key, &changed));
    row.search_text = Set("pa-2026-xyz nguyen thi moi".into());
    let _: case_file::Model = row.update(state.db.conn()).await.unwrap();

    assert!(listed(&app, "q=quat+thao", &ids).await.is_empty());
    assert!(listed(&app, "q=van+cu", &ids).await.is_empty());
    assert_eq!(listed(&app, "q=cat+dien", &ids).await, ids);
    assert_eq!(listed(&app, "q=thi+moi", &ids).await, ids);
}

/// The cases of `cases` matching `query` as the inbox defines it, decided in Rust.
fn matching(cases: &[case_file::Model], query: &str, key: &SecretKey32) -> BTreeSet<i32> {
    let words: Vec<String> = fold(query)
        .split_whitespace()
        .take(5)
        .map(str::to_string)
        .collect();
    cases
        .iter()
        .filter(|case| {
            words.iter().all(|word| {
                let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
                case.search_text.contains(word.as_str())
                    || case
                        .text_tokens
                        .contains(&format!(" {} ", text::token(key, bare)))
            })
        })
        .map(|case| case.id)
        .collect()
}

#[rocket::async_test]
async fn the_index_finds_what_reading_every_case_finds_on_demo_data() {
    let app = TestApp::spawn().await;
    let seeded = devtools::demo::populate(app.state(), 300).await.unwrap();
    let db = app.state().db.conn();
    let key = &app.state().config.receipt_key;
    let today = local_date(app.clock.now());
    let all = case_file::Entity::find().all(db).await.unwrap();
    let named = all
        .iter()
        .find(|c| c.named_staff_member_id.is_some())
        .unwrap();
    let surname = named
        .search_text
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_string();
    let digits = format!("{:06}", all[all.len() / 2].report_id);
    let queries = [
        "nhân viên".to_string(),
        "cong to".to_string(),
        "tien dien".to_string(),
        surname,
        digits[2..].to_string(),
        "pa-20".to_string(),
        "ab".to_string(),
        "khong co tu nay".to_string(),
    ];
    let mut found = 0;
    for account in seeded.accounts.iter().filter(|a| a.team_id.is_some()) {
        let viewer = Viewer::of(
            db,
            StaffUser {
                id: account.id,
                email: account.email.clone(),
                display_name: account.display_name.clone(),
                roles: account.roles.clone(),
                session_id: 0,
            },
        )
        .await
        .unwrap();
        for deadline in [
            None,
            Some(DeadlineFilter::Overdue),
            Some(DeadlineFilter::Near),
        ] {
            let filter = InboxFilter {
                deadline,
                ..InboxFilter::default()
            };
            let none = Search::words(db.get_database_backend(), "", key);
            let visible = inbox::filtered(&viewer, &filter, today, &none)
                .all(db)
                .await
                .unwrap();
            for query in &queries {
                let expected = matching(&visible, query, key);
                for search in [
                    Search::plan(db, query, key).await.unwrap(),
                    Search::words(db.get_database_backend(), query, key),
                    Search::scanned(db.get_database_backend(), query, key),
                ] {
                    let got: BTreeSet<i32> = inbox::filtered(&viewer, &filter, today, &search)
                        .all(db)
                        .await
                        .unwrap()
                        .into_iter()
                        .map(|c| c.id)
                        .collect();
                    assert_eq!(got, expected, "{query:?} {deadline:?} {}", account.email);
                }
                if deadline.is_some() {
                    // The inbox's own path: open cases only (on SQLite `case_open` and the
                    // teams' ranges of `case_open_words`), paged by the database.
                    let mut got = BTreeSet::new();
                    let mut page = 1;
                    loop {
                        let filter = InboxFilter {
                            deadline,
                            query: query.clone(),
                            page,
                            ..InboxFilter::default()
                        };
                        let listed = inbox::load(db, &viewer, &filter, today, key).await.unwrap();
                        assert_eq!(listed.total as usize, expected.len(), "{query:?}");
                        got.extend(listed.cases.iter().map(|c| c.id));
                        if page >= listed.pages {
                            break;
                        }
                        page += 1;
                    }
                    assert_eq!(got, expected, "{query:?} {}", account.email);
                }
                found += expected.len();
            }
        }
    }
    assert!(found > 100, "the searches found cases");
}

/// On PostgreSQL a word its statistics call common is checked on the rows with `strpos`,
/// and a rare one through the array index; without statistics, every word is rare.
#[rocket::async_test]
async fn postgres_checks_the_words_its_statistics_call_common_on_the_rows() {
    let app = TestApp::spawn().await;
    let db = app.state().db.conn();
    if db.get_database_backend() != DbBackend::Postgres {
        return;
    }
    let key = &app.state().config.receipt_key;
    let sql = |search: &Search| {
        case_file::Entity::find()
            .filter(search.condition())
            .build(DbBackend::Postgres)
            .to_string()
    };
    let common = format!(" {} ", text::token(key, "nhan"));
    let before = Search::plan_with(db, "nhân zzqxv", key, 0).await.unwrap();
    assert!(!sql(&before).contains("strpos"), "{}", sql(&before));
    devtools::demo::populate(app.state(), 200).await.unwrap();
    db.execute_unprepared("ANALYZE case_file").await.unwrap();
    let after = sql(&Search::plan_with(db, "nhân zzqxv", key, 0).await.unwrap());
    assert!(
        after.contains(&format!(
            "strpos(\"case_file\".\"text_tokens\", '{common}') > 0"
        )),
        "{after}"
    );
    let rare = text::token(key, "zzqxv");
    assert!(
        after.contains(&format!("string_to_array('{rare}', ',')")),
        "{after}"
    );
    // Over the bound (200 reports, far fewer than the default's 20,000), nothing is common.
    let bounded = sql(&Search::plan(db, "nhân", key).await.unwrap());
    assert!(!bounded.contains("strpos"), "{bounded}");
}
