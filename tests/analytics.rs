//! `/dashboard`, `/transparency`, `/follow-up/rating`, `/commend`, `/cases/commendations`:
//! every figure against a brute-force count over random cases built through the real service
//! functions, small-count suppression, CSV/XLSX round trips, leadership kept away from case
//! content, ratings once and only after closure, commendations reaching the right team lead,
//! and the question the dashboard exists to answer.

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use conduct_portal::analytics::rollups;
use conduct_portal::auth::StaffUser;
use conduct_portal::case_management::access::Viewer;
use conduct_portal::case_management::service::{perform, ActionInput};
use conduct_portal::domain::calendar::Complexity;
use conduct_portal::domain::report::{NewReport, ReporterIdentity, Submission};
use conduct_portal::domain::roles::Role;
use conduct_portal::domain::track::Verification;
use conduct_portal::domain::workflow::Finding;
use conduct_portal::platform::persistence::entities::{
    audit_log, case_file, case_rollup, close_histogram, commendation, due_rollup, inspection_team,
    org_unit, report, satisfaction_rating, team_member, violation_category,
};
use conduct_portal::public_reporting::commend::{commend, NewCommendation};
use conduct_portal::public_reporting::rating::{rate, NewRating};
use conduct_portal::public_reporting::service::{status_view, submit_report};
use conduct_portal::web::i18n::Lang;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rocket::http::Status;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use crate::support::*;

// ---------------------------------------------------------------------------------------------
// Building cases through the real service functions.

/// An inspector and team lead in every active team, as the service functions see them.
async fn handler(app: &TestApp) -> Viewer {
    let id = create_user(app, "xu.ly@evn.vn", &[Role::Inspector, Role::TeamLead]).await;
    let conn = app.state().db.conn();
    for team in inspection_team::Entity::find().all(conn).await.unwrap() {
        team_member::ActiveModel {
            team_id: Set(team.id),
            user_id: Set(id),
            ..Default::default()
        }
        .insert(conn)
        .await
        .unwrap();
    }
    Viewer::of(
        conn,
        StaffUser {
            id,
            email: "xu.ly@evn.vn".into(),
            display_name: "Xử lý".into(),
            roles: vec![Role::Inspector, Role::TeamLead],
            session_id: 0,
        },
    )
    .await
    .unwrap()
}

/// Files a report at the clock's time; returns its id.
async fn file_report(app: &TestApp, unit: i32, category: i32, anonymous: bool) -> i32 {
    let submission = if anonymous {
        Submission::Anonymous
    } else {
        Submission::Named(ReporterIdentity {
            full_name: "Trần Thị Bình".into(),
            address: "12 Hàng Bạc, Hà Nội".into(),
            phone: "0912345678".into(),
        })
    };
    let new = NewReport {
        unit_id: unit,
        category_id: category,
        occurred_on: NaiveDate::from_ymd_opt(2025, 1, 2).unwrap(),
        occurred_time: None,
        description: "REPORT-TEXT nhân viên gây khó khăn khi ghi chỉ số.".into(),
        staff_name: Some("STAFF-NAME Nguyễn Văn Nam".into()),
        staff_number: None,
        staff_description: None,
        submission,
        escalate_above: false,
    };
    assert!(submit_report(
        app.state(),
        new,
        conduct_portal::platform::crypto::SecretKey32::generate(),
        &[]
    )
    .await
    .is_ok());
    report::Entity::find()
        .order_by_desc(report::Column::Id)
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn act(app: &TestApp, viewer: &Viewer, id: i32, input: ActionInput) {
    // A named report is accepted only once its denouncer is verified.
    if matches!(input, ActionInput::Accept) && track_of(app, id).await == "candidate" {
        let verify = ActionInput::VerifyDenouncer {
            method: Some(Verification::Phone),
        };
        perform(app.state(), viewer, id, verify).await.unwrap();
    }
    let label = format!("{input:?}");
    perform(app.state(), viewer, id, input)
        .await
        .unwrap_or_else(|e| panic!("{label} on {id}: {e:?}"));
}

async fn track_of(app: &TestApp, id: i32) -> String {
    case_file::Entity::find()
        .filter(case_file::Column::ReportId.eq(id))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .track
}

/// Accept, investigate, conclude with `finding`, close.
async fn close_case(app: &TestApp, viewer: &Viewer, id: i32, finding: Finding, days: i64) {
    act(app, viewer, id, ActionInput::Accept).await;
    act(
        app,
        viewer,
        id,
        ActionInput::StartInvestigation { assignee: None },
    )
    .await;
    act(
        app,
        viewer,
        id,
        ActionInput::Conclude {
            finding: Some(finding),
            summary: "Đã xác minh xong nội dung phản ánh.".into(),
        },
    )
    .await;
    app.clock.advance(Duration::days(days));
    act(app, viewer, id, ActionInput::Close).await;
}

const UNITS: [&str; 7] = [
    "PCHK-PGDHANGBAC",
    "PCHK-PGDTRANGTIEN",
    "PCBDH-PGDKIMMA",
    "PCHOANKIEM",
    "PCHP-DLNGOQUYEN",
    "PCHP-DLLECHAN",
    "PCSG-PGDBENTHANH",
];
const CATEGORIES: [&str; 4] = ["rude", "bribery", "billing", "delay"];
const FINDINGS: [Finding; 4] = [
    Finding::Substantiated,
    Finding::PartlySubstantiated,
    Finding::Unsubstantiated,
    Finding::CannotBeVerified,
];

/// `n` random cases received between `start` and `start + spread_days`, taken along random
/// paths of the workflow, with random reporter visits, ratings and commendations.
async fn random_cases(app: &TestApp, viewer: &Viewer, seed: u64, n: usize, start: DateTime<Utc>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut units = Vec::new();
    for code in UNITS {
        units.push(unit_id(app, code).await);
    }
    let mut categories = Vec::new();
    for code in CATEGORIES {
        categories.push(category_id(app, code).await);
    }
    for _ in 0..n {
        let received = start
            + Duration::days(rng.gen_range(0..420))
            + Duration::minutes(rng.gen_range(0..1440));
        app.clock.set(received);
        let unit = units[rng.gen_range(0..units.len())];
        let category = categories[rng.gen_range(0..categories.len())];
        let id = file_report(app, unit, category, rng.gen_bool(0.7)).await;
        if rng.gen_bool(0.4) {
            app.clock.advance(Duration::hours(rng.gen_range(1..200)));
            status_view(app.state(), id, Lang::Vi).await.unwrap();
        }
        app.clock.advance(Duration::days(rng.gen_range(0..12)));
        let path = rng.gen_range(0..100);
        if path < 12 {
            continue;
        }
        if path < 22 {
            act(
                app,
                viewer,
                id,
                ActionInput::Decline {
                    reason: "Không đủ căn cứ thụ lý.".into(),
                },
            )
            .await;
            continue;
        }
        act(app, viewer, id, ActionInput::Accept).await;
        if rng.gen_bool(0.2) && track_of(app, id).await == "denunciation" {
            act(
                app,
                viewer,
                id,
                ActionInput::ExtendDeadline {
                    days: rng.gen_range(1..=30),
                    reason: "Vụ việc phức tạp.".into(),
                    complexity: Some(Complexity::Complex),
                    decision_number: "07/QĐ-GH".into(),
                },
            )
            .await;
        }
        if path < 32 {
            continue;
        }
        app.clock.advance(Duration::days(rng.gen_range(0..5)));
        act(
            app,
            viewer,
            id,
            ActionInput::StartInvestigation { assignee: None },
        )
        .await;
        if rng.gen_bool(0.2) {
            act(
                app,
                viewer,
                id,
                ActionInput::AskReporter {
                    message: "Xin cung cấp thêm hóa đơn.".into(),
                },
            )
            .await;
            if rng.gen_bool(0.5) {
                continue;
            }
            act(app, viewer, id, ActionInput::ResumeInvestigation).await;
        }
        if path < 45 {
            continue;
        }
        app.clock.advance(Duration::days(rng.gen_range(0..50)));
        act(
            app,
            viewer,
            id,
            ActionInput::Conclude {
                finding: Some(FINDINGS[rng.gen_range(0..FINDINGS.len())]),
                summary: "Đã xác minh xong nội dung phản ánh.".into(),
            },
        )
        .await;
        if path < 55 {
            continue;
        }
        app.clock.advance(Duration::days(rng.gen_range(0..30)));
        act(app, viewer, id, ActionInput::Close).await;
        if rng.gen_bool(0.12) {
            act(
                app,
                viewer,
                id,
                ActionInput::Reopen {
                    reason: "Người phản ánh bổ sung chứng cứ.".into(),
                },
            )
            .await;
            continue;
        }
        if rng.gen_bool(0.6) {
            rate(
                app.state(),
                id,
                NewRating {
                    score: rng.gen_range(1..=5),
                    comment: None,
                },
            )
            .await
            .unwrap();
        }
    }
    for _ in 0..rng.gen_range(0..8) {
        app.clock.set(start + Duration::days(rng.gen_range(0..420)));
        let unit = units[rng.gen_range(0..units.len())];
        assert!(commend(
            app.state(),
            NewCommendation {
                unit_id: unit,
                staff_name: None,
                staff_number: None,
                body: "Nhân viên rất tận tình, chu đáo.".into(),
            },
        )
        .await
        .is_ok());
    }
}

// ---------------------------------------------------------------------------------------------
// The brute force: the definitions restated over the stored rows.

#[derive(Debug, Clone)]
struct Fact {
    month: String,
    unit: i32,
    category: i32,
    anonymous: bool,
    returned: bool,
    status: String,
    accepted: bool,
    acceptance_due: NaiveDate,
    resolution_due: Option<NaiveDate>,
    finding: Option<String>,
    received_day: NaiveDate,
    closed_day: Option<NaiveDate>,
    rating: Option<i32>,
}

/// Hà Nội is UTC+7 all year.
fn hanoi_day(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(7)).date_naive()
}

fn month_label(day: NaiveDate) -> String {
    day.format("%m/%Y").to_string()
}

async fn facts(app: &TestApp) -> Vec<Fact> {
    let conn = app.state().db.conn();
    let cases: HashMap<i32, case_file::Model> = case_file::Entity::find()
        .all(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.report_id, c))
        .collect();
    let ratings: HashMap<i32, i32> = satisfaction_rating::Entity::find()
        .all(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.report_id, r.score))
        .collect();
    report::Entity::find()
        .all(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            let c = &cases[&r.id];
            Fact {
                month: month_label(hanoi_day(r.received_at)),
                unit: r.unit_id,
                category: r.category_id,
                anonymous: r.submission_kind == "anonymous",
                returned: r.reporter_last_seen_at.is_some(),
                status: c.status.clone(),
                accepted: c.accepted_on.is_some(),
                acceptance_due: c.acceptance_due,
                resolution_due: c.resolution_due,
                finding: c.finding.clone(),
                received_day: hanoi_day(r.received_at),
                closed_day: c.closed_at.map(hanoi_day),
                rating: ratings.get(&r.id).copied(),
            }
        })
        .collect()
}

/// The figures of a set of cases, as text, with or without the small-count rule.
struct Expect {
    suppress: bool,
}

impl Expect {
    fn count(&self, n: usize) -> String {
        if self.suppress && n < 5 {
            "<5".into()
        } else {
            n.to_string()
        }
    }

    fn percent(&self, num: usize, den: usize) -> String {
        if den == 0 || (self.suppress && den < 5) {
            return String::new();
        }
        format!("{:.1}", (num as f64 * 1000.0 / den as f64).round() / 10.0)
    }

    fn mean(&self, sum: i64, n: usize) -> String {
        if n == 0 || (self.suppress && n < 5) {
            return String::new();
        }
        format!("{:.2}", (sum as f64 * 100.0 / n as f64).round() / 100.0)
    }

    /// Nearest rank over the sorted days, reported as the end of its histogram bucket.
    fn percentile(&self, days: &[i64], percent: usize) -> String {
        if days.is_empty() || (self.suppress && days.len() < 5) {
            return String::new();
        }
        let mut sorted = days.to_vec();
        sorted.sort_unstable();
        let rank = (percent * sorted.len()).div_ceil(100).max(1);
        let value = sorted[rank - 1];
        match [0, 1, 2, 3, 4, 5, 6, 7, 10, 14, 21, 30, 45, 60, 90, 120, 180]
            .into_iter()
            .find(|bound| value <= *bound)
        {
            Some(bound) => bound.to_string(),
            None => ">180".into(),
        }
    }
}

/// Below corporation level a figure is the exact one or withheld ("x" for a count, blank for
/// a share or a percentile), and a count shown is never 1–4.
fn exact_or_withheld(got: &str, exact: &str, what: &str) {
    let withheld = got == "x" || got.is_empty();
    assert!(withheld || got == exact, "{what}: {got:?}, exact {exact:?}");
    if exact.contains('.') {
        return;
    }
    if let Ok(n) = got.parse::<i64>() {
        assert!(!(1..5).contains(&n), "{what}: a count of {n} is shown");
    }
}

const OPEN: [&str; 4] = ["received", "accepted", "investigating", "awaiting_reporter"];

fn overdue(f: &Fact, today: NaiveDate) -> bool {
    match f.status.as_str() {
        "received" => f.acceptance_due < today,
        "accepted" | "investigating" | "awaiting_reporter" => {
            f.resolution_due.is_some_and(|d| d < today)
        }
        _ => false,
    }
}

fn closed_days(cases: &[&Fact]) -> Vec<i64> {
    cases
        .iter()
        .filter(|f| f.status == "closed")
        .filter_map(|f| Some((f.closed_day? - f.received_day).num_days()))
        .collect()
}

fn on_time(cases: &[&Fact]) -> usize {
    cases
        .iter()
        .filter(|f| f.status == "closed")
        .filter(|f| {
            f.closed_day
                .is_some_and(|d| d <= f.resolution_due.unwrap_or(f.acceptance_due))
        })
        .count()
}

fn with_finding(cases: &[&Fact]) -> (usize, usize) {
    let concluded: Vec<_> = cases
        .iter()
        .filter(|f| (f.status == "closed" || f.status == "concluded") && f.finding.is_some())
        .collect();
    let substantiated = concluded
        .iter()
        .filter(|f| {
            matches!(
                f.finding.as_deref(),
                Some("substantiated" | "partly_substantiated")
            )
        })
        .count();
    (substantiated, concluded.len())
}

fn status_count(cases: &[&Fact], status: &str) -> usize {
    cases.iter().filter(|f| f.status == status).count()
}

fn ratings(cases: &[&Fact]) -> (i64, usize) {
    let given: Vec<i64> = cases
        .iter()
        .filter_map(|f| f.rating)
        .map(i64::from)
        .collect();
    (given.iter().sum(), given.len())
}

/// The summary table's rows (English labels) for `cases`.
fn expected_summary(
    cases: &[&Fact],
    praise: usize,
    today: NaiveDate,
    e: &Expect,
) -> Vec<(&'static str, String)> {
    let closed = status_count(cases, "closed");
    let days = closed_days(cases);
    let (substantiated, concluded) = with_finding(cases);
    let anonymous: Vec<_> = cases.iter().filter(|f| f.anonymous).collect();
    let returned = anonymous.iter().filter(|f| f.returned).count();
    let (rating_sum, rating_n) = ratings(cases);
    vec![
        ("Reports received", e.count(cases.len())),
        (
            "Taken up (tips) or accepted (denunciations)",
            e.count(cases.iter().filter(|f| f.accepted).count()),
        ),
        (
            "Open",
            e.count(
                cases
                    .iter()
                    .filter(|f| OPEN.contains(&f.status.as_str()))
                    .count(),
            ),
        ),
        (
            "Overdue",
            e.count(cases.iter().filter(|f| overdue(f, today)).count()),
        ),
        (
            "Not taken up (tips) or not accepted (denunciations)",
            e.count(status_count(cases, "declined")),
        ),
        (
            "Concluded, awaiting closure",
            e.count(status_count(cases, "concluded")),
        ),
        ("Closed", e.count(closed)),
        ("Median days to close", e.percentile(&days, 50)),
        ("90th percentile of days to close", e.percentile(&days, 90)),
        (
            "Closed on time (%) — a denunciation’s legal deadline or a tip’s service target",
            e.percent(on_time(cases), closed),
        ),
        (
            "Substantiation rate (%)",
            e.percent(substantiated, concluded),
        ),
        (
            "Anonymous reporters who came back (%)",
            e.percent(returned, anonymous.len()),
        ),
        ("Average satisfaction (1–5)", e.mean(rating_sum, rating_n)),
        ("Ratings given", e.count(rating_n)),
        ("Commendations", e.count(praise)),
    ]
}

// ---------------------------------------------------------------------------------------------
// Reading the dashboard's files.

fn read_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

async fn download(app: &TestApp, table: &str, format: &str, query: &str) -> Vec<u8> {
    let response = app
        .client
        .get(format!(
            "/dashboard/export?table={table}&format={format}&{query}"
        ))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Ok, "{table}.{format}?{query}");
    response.into_bytes().await.unwrap()
}

/// The table as CSV, checked against the same table as XLSX cell by cell.
async fn table(app: &TestApp, name: &str, query: &str) -> Vec<Vec<String>> {
    let rows = read_csv(&download(app, name, "csv", query).await);
    let bytes = download(app, name, "xlsx", query).await;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    use calamine::Reader;
    let range = workbook.worksheet_range(name).unwrap();
    let sheet: Vec<Vec<calamine::Data>> = range.rows().map(|r| r.to_vec()).collect();
    assert_eq!(sheet.len(), rows.len(), "{name}: rows in XLSX and CSV");
    for (csv_row, xlsx_row) in rows.iter().zip(&sheet) {
        for (i, text) in csv_row.iter().enumerate() {
            let cell = xlsx_row.get(i).cloned().unwrap_or(calamine::Data::Empty);
            match (text.parse::<f64>(), cell) {
                (Ok(n), calamine::Data::Float(f)) => {
                    assert!((n - f).abs() < 1e-9, "{name}: {text} vs {f}")
                }
                (Ok(n), calamine::Data::Int(i)) => assert_eq!(n, i as f64, "{name}"),
                (_, calamine::Data::String(s)) => assert_eq!(&s, text, "{name}"),
                (_, calamine::Data::Empty) => assert_eq!(text, "", "{name}"),
                (_, other) => panic!("{name}: {text} vs {other:?}"),
            }
        }
    }
    rows
}

fn row<'a>(rows: &'a [Vec<String>], label: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r[0] == label)
        .map(|r| &r[1..])
        .unwrap_or_else(|| panic!("no row {label:?} in {rows:?}"))
}

async fn sign_in_leader(app: &TestApp) {
    sign_in_as(app, "lanh.dao@evn.vn", &[Role::Leadership]).await;
    app.get_text("/dashboard?lang=en").await;
}

async fn rollup_rows(app: &TestApp) -> (Vec<String>, Vec<String>, Vec<String>) {
    let conn = app.state().db.conn();
    let mut cells: Vec<String> = case_rollup::Entity::find()
        .all(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|r| format!("{:?}", case_rollup::Model { id: 0, ..r }))
        .collect();
    use conduct_portal::platform::persistence::entities::channel_rollup;
    let channels = channel_rollup::Entity::find().all(conn).await.unwrap();
    cells.extend((channels.into_iter().filter(|r| r.n != 0)).map(|r| {
        let key = (r.month, r.unit_id, r.category_id, r.channel, r.n);
        format!("channel {key:?}")
    }));
    let mut hist: Vec<String> = close_histogram::Entity::find()
        .filter(close_histogram::Column::N.ne(0))
        .all(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|r| format!("{} {} {} {}", r.month, r.unit_id, r.days, r.n))
        .collect();
    let mut due: Vec<String> = due_rollup::Entity::find()
        .filter(due_rollup::Column::N.ne(0))
        .all(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            format!(
                "{} {} {} {} {}",
                r.month, r.unit_id, r.category_id, r.due_on, r.n
            )
        })
        .collect();
    cells.sort();
    hist.sort();
    due.sort();
    (cells, hist, due)
}

// ---------------------------------------------------------------------------------------------

#[rocket::async_test]
async fn every_figure_equals_a_brute_force_count_over_random_cases() {
    for seed in [7_u64, 20261127, 42] {
        let app = TestApp::spawn_with(no_two_factor).await;
        let viewer = handler(&app).await;
        let start = Utc.with_ymd_and_hms(2025, 6, 1, 3, 0, 0).unwrap();
        random_cases(&app, &viewer, seed, 32, start).await;

        // Kept incrementally, the rollups equal a rebuild from the rows.
        let incremental = rollup_rows(&app).await;
        let rebuilt = rollups::rebuild(&app.state().db).await.unwrap();
        assert_eq!(rebuilt.reports, 32);
        assert_eq!(incremental, rollup_rows(&app).await, "seed {seed}");
        // And a database whose rollups went missing is rebuilt at launch.
        case_rollup::Entity::delete_many()
            .exec(app.state().db.conn())
            .await
            .unwrap();
        assert!(rollups::ensure_built(&app.state().db).await.unwrap());
        assert!(!rollups::ensure_built(&app.state().db).await.unwrap());
        assert_eq!(incremental, rollup_rows(&app).await);
        // So is one whose reports have no channel counts yet (a database from before them).
        use conduct_portal::platform::persistence::entities::channel_rollup;
        channel_rollup::Entity::delete_many()
            .exec(app.state().db.conn())
            .await
            .unwrap();
        assert!(rollups::ensure_built(&app.state().db).await.unwrap());
        assert_eq!(incremental, rollup_rows(&app).await);

        let today_at = start + Duration::days(470);
        app.clock.set(today_at);
        let today = hanoi_day(today_at);
        sign_in_leader(&app).await;
        let all = facts(&app).await;
        let praise: Vec<(String, i32)> = commendation::Entity::find()
            .all(app.state().db.conn())
            .await
            .unwrap()
            .into_iter()
            .map(|c| (month_label(hanoi_day(c.created_at)), c.unit_id))
            .collect();
        let tree: HashMap<i32, Option<i32>> = org_unit::Entity::find()
            .all(app.state().db.conn())
            .await
            .unwrap()
            .into_iter()
            .map(|u| (u.id, u.parent_id))
            .collect();
        let ancestors = |mut unit: i32| {
            let mut out = vec![unit];
            while let Some(Some(parent)) = tree.get(&unit) {
                out.push(*parent);
                unit = *parent;
            }
            out
        };

        // Two periods: everything, and five months in the middle.
        let months: Vec<String> = {
            let mut m: Vec<String> = (0..16)
                .map(|i| {
                    let day = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap() + chrono::Months::new(i);
                    day.format("%Y-%m").to_string()
                })
                .collect();
            m.dedup();
            m
        };
        for (from, to) in [(&months[0], &months[15]), (&months[4], &months[8])] {
            let in_period = |label: &str| {
                let (m, y) = label.split_once('/').unwrap();
                let key = format!("{y}-{m}");
                key >= *from && key <= *to
            };
            let evn = unit_id(&app, "EVN").await;
            let query = format!("from={from}&to={to}&unit={evn}");
            let cases: Vec<&Fact> = all.iter().filter(|f| in_period(&f.month)).collect();
            let praise_n = praise.iter().filter(|(m, _)| in_period(m)).count();

            // Key figures for the whole group: exact.
            let summary = table(&app, "summary", &query).await;
            for (label, value) in
                expected_summary(&cases, praise_n, today, &Expect { suppress: false })
            {
                assert_eq!(
                    row(&summary, label)[0],
                    value,
                    "seed {seed} {from}..{to} {label}"
                );
            }

            // By corporation (EVN's children): exact.
            let units = table(&app, "units", &query).await;
            for code in ["EVNHANOI", "EVNNPC", "EVNHCMC"] {
                let corp = unit_id(&app, code).await;
                let name = org_unit::Entity::find_by_id(corp)
                    .one(app.state().db.conn())
                    .await
                    .unwrap()
                    .unwrap()
                    .name_en;
                let mine: Vec<&Fact> = cases
                    .iter()
                    .copied()
                    .filter(|f| ancestors(f.unit).contains(&corp))
                    .collect();
                let e = Expect { suppress: false };
                let closed = status_count(&mine, "closed");
                let (sub, concl) = with_finding(&mine);
                let (rs, rn) = ratings(&mine);
                let praise_here = praise
                    .iter()
                    .filter(|(m, u)| in_period(m) && ancestors(*u).contains(&corp))
                    .count();
                let expected = vec![
                    e.count(mine.len()),
                    e.count(
                        mine.iter()
                            .filter(|f| OPEN.contains(&f.status.as_str()))
                            .count(),
                    ),
                    e.count(mine.iter().filter(|f| overdue(f, today)).count()),
                    e.count(closed),
                    e.percent(on_time(&mine), closed),
                    e.percentile(&closed_days(&mine), 50),
                    e.percent(sub, concl),
                    e.mean(rs, rn),
                    e.count(praise_here),
                ];
                assert_eq!(
                    row(&units, &name),
                    expected.as_slice(),
                    "seed {seed} {code}"
                );
            }

            // By month: exact at group level.
            let by_month = table(&app, "months", &query).await;
            for line in &by_month[1..] {
                let mine: Vec<&Fact> = cases
                    .iter()
                    .copied()
                    .filter(|f| f.month == line[0])
                    .collect();
                let e = Expect { suppress: false };
                let closed = status_count(&mine, "closed");
                let praise_here = praise.iter().filter(|(m, _)| *m == line[0]).count();
                assert_eq!(
                    &line[1..],
                    &[
                        e.count(mine.len()),
                        e.count(closed),
                        e.percent(on_time(&mine), closed),
                        e.count(mine.iter().filter(|f| overdue(f, today)).count()),
                        e.percentile(&closed_days(&mine), 50),
                        e.count(praise_here),
                    ],
                    "seed {seed} month {}",
                    line[0]
                );
            }

            // By category: exact at group level.
            let by_category = table(&app, "categories", &query).await;
            for code in CATEGORIES {
                let category = violation_category::Entity::find()
                    .filter(violation_category::Column::Code.eq(code))
                    .one(app.state().db.conn())
                    .await
                    .unwrap()
                    .unwrap();
                let mine: Vec<&Fact> = cases
                    .iter()
                    .copied()
                    .filter(|f| f.category == category.id)
                    .collect();
                let e = Expect { suppress: false };
                let closed = status_count(&mine, "closed");
                let (sub, concl) = with_finding(&mine);
                assert_eq!(
                    row(&by_category, &category.name_en),
                    &[
                        e.count(mine.len()),
                        e.count(
                            mine.iter()
                                .filter(|f| OPEN.contains(&f.status.as_str()))
                                .count()
                        ),
                        e.count(mine.iter().filter(|f| overdue(f, today)).count()),
                        e.count(closed),
                        e.percent(on_time(&mine), closed),
                        e.percent(sub, concl),
                    ],
                    "seed {seed} {code}"
                );
            }

            // Inside EVNHANOI the rows are companies: small counts withheld.
            let hanoi = unit_id(&app, "EVNHANOI").await;
            let query = format!("from={from}&to={to}&unit={hanoi}");
            let units = table(&app, "units", &query).await;
            for code in ["PCHOANKIEM", "PCBADINH"] {
                let company = unit_id(&app, code).await;
                let name = org_unit::Entity::find_by_id(company)
                    .one(app.state().db.conn())
                    .await
                    .unwrap()
                    .unwrap()
                    .name_en;
                let mine: Vec<&Fact> = cases
                    .iter()
                    .copied()
                    .filter(|f| ancestors(f.unit).contains(&company))
                    .collect();
                let e = Expect { suppress: false };
                let closed = status_count(&mine, "closed");
                let got = row(&units, &name);
                let what = format!("seed {seed} {code}");
                exact_or_withheld(&got[0], &e.count(mine.len()), &what);
                exact_or_withheld(&got[3], &e.count(closed), &what);
                exact_or_withheld(&got[4], &e.percent(on_time(&mine), closed), &what);
                exact_or_withheld(&got[5], &e.percentile(&closed_days(&mine), 50), &what);
            }
            // The corporation's own key figures are exact; a company's are withheld when small.
            let hoan_kiem = unit_id(&app, "PCHOANKIEM").await;
            let summary = table(
                &app,
                "summary",
                &format!("from={from}&to={to}&unit={hoan_kiem}"),
            )
            .await;
            let mine: Vec<&Fact> = cases
                .iter()
                .copied()
                .filter(|f| ancestors(f.unit).contains(&hoan_kiem))
                .collect();
            let praise_here = praise
                .iter()
                .filter(|(m, u)| in_period(m) && ancestors(*u).contains(&hoan_kiem))
                .count();
            for (label, value) in
                expected_summary(&mine, praise_here, today, &Expect { suppress: false })
            {
                let got = &row(&summary, label)[0];
                exact_or_withheld(got, &value, &format!("seed {seed} PCHOANKIEM {label}"));
            }
            // Unit × category inside the corporation: every cell 0, a count ≥ 5 or withheld.
            let heat = table(&app, "heat", &query).await;
            for line in &heat[1..] {
                for cell in &line[1..] {
                    assert!(
                        cell == "x" || cell == "0" || cell.parse::<i64>().unwrap() >= 5,
                        "seed {seed} heat {cell}"
                    );
                }
            }
        }
    }
}

#[rocket::async_test]
async fn small_counts_never_show_below_corporation_level_nor_on_the_public_page() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let viewer = handler(&app).await;
    let rude = category_id(&app, "rude").await;
    let hang_bac = unit_id(&app, "PCHK-PGDHANGBAC").await;
    let hai_phong = unit_id(&app, "PCHP-DLNGOQUYEN").await;
    app.clock.set(t0() - Duration::days(60));
    for _ in 0..3 {
        file_report(&app, hang_bac, rude, true).await;
    }
    for _ in 0..6 {
        let id = file_report(&app, hai_phong, rude, true).await;
        close_case(&app, &viewer, id, Finding::Substantiated, 3).await;
        app.clock.set(t0() - Duration::days(60));
    }
    app.clock.set(t0());
    sign_in_leader(&app).await;

    // Group level: corporations exact.
    let (status, page) = app.get_text("/dashboard").await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("Hanoi Power Corporation"));
    let units = table(&app, "units", "").await;
    let hanoi = row(&units, "Hanoi Power Corporation");
    assert_eq!(hanoi[0], "3", "a corporation is not singled out: exact");
    // Below: the company with 3 reports is withheld ("x"), on the page and in both files.
    let hanoi_id = unit_id(&app, "EVNHANOI").await;
    let (_, page) = app.get_text(&format!("/dashboard?unit={hanoi_id}")).await;
    assert!(page.contains("<td class=\"num small-count\">x</td>"));
    let units = table(&app, "units", &format!("unit={hanoi_id}")).await;
    assert_eq!(row(&units, "Hoan Kiem Power Company")[0], "x");
    let heat = table(&app, "heat", &format!("unit={hanoi_id}")).await;
    assert!(heat[1..]
        .iter()
        .all(|r| r[1..].iter().all(|c| c == "x" || c == "0")));
    assert!(row(&heat, "Hoan Kiem Power Company").contains(&"x".to_string()));
    let npc = unit_id(&app, "EVNNPC").await;
    let units = table(&app, "units", &format!("unit={npc}")).await;
    assert_eq!(row(&units, "Hai Phong Power Company")[0], "6");
    assert_eq!(row(&units, "Hai Phong Power Company")[4], "100.0");
    // The office itself: every count withheld, shares blank.
    let (_, page) = app.get_text(&format!("/dashboard?unit={hang_bac}")).await;
    assert!(!page.contains(">3<"));
    let summary = table(&app, "summary", &format!("unit={hang_bac}")).await;
    assert_eq!(row(&summary, "Reports received")[0], "x");
    assert_eq!(row(&summary, "Open")[0], "x");

    // The public page: no count under 5 anywhere.
    let (status, page) = app.get_text("/transparency?lang=en").await;
    assert_eq!(status, Status::Ok);
    let counts = public_counts(&page);
    assert_eq!(
        counts["EVNHANOI"],
        ["<5", "0", "—", "—"],
        "zero names nobody"
    );
    assert_eq!(counts["EVNNPC"][0], "6");
    assert_eq!(counts["EVNNPC"][1], "6");
    assert_eq!(counts["EVNNPC"][2], "100.0 %");
    for cells in counts.values() {
        for count in &cells[..2] {
            assert!(
                count == "<5" || count == "0" || count.parse::<i64>().unwrap() >= 5,
                "{count}"
            );
        }
    }
}

/// The public table: unit code → [received, closed, on time, median].
fn public_counts(page: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for chunk in page.split("<tr data-unit=\"").skip(1) {
        let code = chunk[..chunk.find('"').unwrap()].to_string();
        let body = &chunk[..chunk.find("</tr>").unwrap()];
        let cells: Vec<String> = body
            .split("<td class=\"num\">")
            .skip(1)
            .map(|c| c[..c.find("</td>").unwrap()].replace("&lt;", "<"))
            .collect();
        out.insert(code, cells);
    }
    out
}

#[rocket::async_test]
async fn the_public_page_is_recomputed_at_most_every_fifteen_minutes() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let rude = category_id(&app, "rude").await;
    let unit = unit_id(&app, "PCSG-PGDBENTHANH").await;
    for _ in 0..5 {
        file_report(&app, unit, rude, true).await;
    }
    let (_, before) = app.get_text("/transparency").await;
    assert_eq!(public_counts(&before)["EVNHCMC"][0], "5");
    for _ in 0..2 {
        file_report(&app, unit, rude, true).await;
    }
    app.clock.advance(Duration::minutes(14));
    let (_, cached) = app.get_text("/transparency").await;
    assert_eq!(
        public_counts(&cached)["EVNHCMC"][0],
        "5",
        "served from the cache"
    );
    app.clock.advance(Duration::minutes(2));
    let (_, fresh) = app.get_text("/transparency").await;
    assert_eq!(public_counts(&fresh)["EVNHCMC"][0], "7");
    assert!(app.get_text("/").await.1.contains("href=\"/transparency\""));
}

#[rocket::async_test]
async fn exports_are_audited_and_refuse_unknown_tables() {
    let app = TestApp::spawn_with(no_two_factor).await;
    sign_in_leader(&app).await;
    let before = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("analytics_exported"))
        .count(app.state().db.conn())
        .await
        .unwrap();
    for table in [
        "summary",
        "months",
        "units",
        "categories",
        "articles",
        "heat",
        "measures",
    ] {
        let rows = read_csv(&download(&app, table, "csv", "").await);
        assert!(rows.len() >= 2, "{table}");
        download(&app, table, "xlsx", "").await;
    }
    let after = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("analytics_exported"))
        .count(app.state().db.conn())
        .await
        .unwrap();
    assert_eq!(after - before, 14);
    let measures = read_csv(&download(&app, "measures", "csv", "").await);
    // One row per form (Labour Code Art. 124 and internal measures); no decisions here yet.
    assert_eq!(measures.len(), 1 + 5);
    assert_eq!(measures[1][0], "Internal measure");
    assert_eq!(measures[2][0], "Reprimand");
    let (status, _) = app
        .get_text("/dashboard/export?table=reports&format=csv")
        .await;
    assert_eq!(status, Status::NotFound);
    let (status, _) = app
        .get_text("/dashboard/export?table=summary&format=pdf")
        .await;
    assert_eq!(status, Status::NotFound);
    let (status, page) = app.get_text("/dashboard?from=2026-13&to=2026-01").await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(page.contains("Enter a month as year-month"));
    assert!(
        page.contains("value=\"2026-13\""),
        "the typed value is kept"
    );
    let (status, page) = app.get_text("/dashboard?from=2026-05&to=2026-01").await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(page.contains("must not be before"));
}

#[rocket::async_test]
async fn leadership_sees_only_aggregates_and_cannot_reach_case_content() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let viewer = handler(&app).await;
    let unit = unit_id(&app, "PCHK-PGDHANGBAC").await;
    let rude = category_id(&app, "rude").await;
    let id = file_report(&app, unit, rude, false).await;
    close_case(&app, &viewer, id, Finding::Substantiated, 2).await;
    rate(
        app.state(),
        id,
        NewRating {
            score: 2,
            comment: Some("RATING-COMMENT chậm quá".into()),
        },
    )
    .await
    .unwrap();
    sign_in_leader(&app).await;
    let hanoi = unit_id(&app, "EVNHANOI").await;
    for path in [
        "/dashboard".to_string(),
        format!("/dashboard?unit={hanoi}"),
        format!("/dashboard?unit={unit}"),
    ] {
        let (status, page) = app.get_text(&path).await;
        assert_eq!(status, Status::Ok);
        for secret in [
            "REPORT-TEXT",
            "STAFF-NAME",
            "RATING-COMMENT",
            "Trần Thị Bình",
        ] {
            assert!(!page.contains(secret), "{path} shows {secret}");
        }
    }
    // The case pages and everything under them answer leadership 404 (refused by role before
    // any case is looked up), so neither the content nor the existence of a case is revealed.
    for path in [
        format!("/cases/{id}"),
        "/cases".to_string(),
        format!("/cases/{id}/identity"),
    ] {
        let (status, page) = app.get_text(&path).await;
        assert!(status == Status::NotFound, "{path}: {status}");
        assert!(!page.contains("REPORT-TEXT") && !page.contains("RATING-COMMENT"));
    }
}

#[rocket::async_test]
async fn a_reporter_rates_a_closed_case_once_and_the_team_reads_the_comment() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = inspection_team::ActiveModel {
        name: Set("Tổ PC Hoàn Kiếm".into()),
        org_unit_id: Set(unit_id(&app, "PCHOANKIEM").await),
        active: Set(true),
        created_at: Set(t0()),
        updated_at: Set(t0()),
        ..Default::default()
    }
    .insert(app.state().db.conn())
    .await
    .unwrap();
    let lead = create_user(&app, "truong.to@evn.vn", &[Role::Inspector, Role::TeamLead]).await;
    team_member::ActiveModel {
        team_id: Set(team.id),
        user_id: Set(lead),
        ..Default::default()
    }
    .insert(app.state().db.conn())
    .await
    .unwrap();
    let office = unit_id(&app, "PCHK-PGDHANGBAC").await.to_string();
    let rude = category_id(&app, "rude").await.to_string();
    let code = submit(
        &app,
        &[
            ("unit_id", office.as_str()),
            ("occurred_on", "2026-11-20"),
            ("category_id", rude.as_str()),
            (
                "description",
                "Nhân viên thu tiền không đưa hóa đơn, thái độ khó chịu.",
            ),
            ("identity", "anonymous"),
        ],
    )
    .await;
    let id = case_file::Entity::find()
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .report_id;

    assert_eq!(open_follow_up(&app, &code).await, Status::SeeOther);
    let (_, status_page) = app.get_text("/follow-up/status").await;
    assert!(
        !status_page.contains("/follow-up/rating"),
        "no rating before closure"
    );
    let (status, page) = app.get_text("/follow-up/rating").await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("sau khi hồ sơ được đóng"));
    let response = app.post_form("/follow-up/rating", &[("score", "5")]).await;
    assert_eq!(response.status(), Status::Conflict, "not before closure");
    assert_eq!(app.count("satisfaction_rating").await, 0);

    let viewer = Viewer::of(
        app.state().db.conn(),
        StaffUser {
            id: lead,
            email: "truong.to@evn.vn".into(),
            display_name: "Trưởng tổ".into(),
            roles: vec![Role::Inspector, Role::TeamLead],
            session_id: 0,
        },
    )
    .await
    .unwrap();
    close_case(&app, &viewer, id, Finding::PartlySubstantiated, 1).await;
    // A day later the follow-up session has ended: the reporter opens it again.
    assert_eq!(open_follow_up(&app, &code).await, Status::SeeOther);

    let (_, status_page) = app.get_text("/follow-up/status").await;
    assert!(status_page.contains("/follow-up/rating"));
    let response = app
        .post_form(
            "/follow-up/rating",
            &[("score", "9"), ("comment", "Giữ lại nhận xét này")],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let page = response.into_string().await.unwrap();
    assert!(page.contains("Giữ lại nhận xét này"), "the comment is kept");
    assert!(page.contains("từ 1 đến 5"));
    let response = app
        .post_form(
            "/follow-up/rating",
            &[
                ("score", "4"),
                ("comment", "Xử lý nhanh, cảm ơn đoàn kiểm tra."),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let response = app.post_form("/follow-up/rating", &[("score", "1")]).await;
    assert_eq!(response.status(), Status::Conflict, "only once");
    let stored = satisfaction_rating::Entity::find()
        .all(app.state().db.conn())
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].score, 4);
    let (_, page) = app.get_text("/follow-up/rating").await;
    assert!(page.contains("4&#x2F;5"), "Tera escapes the slash");

    // Without a follow-up session the form sends the visitor back to the receipt form.
    app.post_form("/follow-up/leave", &[]).await;
    let response = app.post_form("/follow-up/rating", &[("score", "3")]).await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(response.headers().get_one("Location"), Some("/follow-up"));

    sign_in(&app, "truong.to@evn.vn").await;
    let (status, case_page) = app.get_text(&format!("/cases/{id}")).await;
    assert_eq!(status, Status::Ok);
    assert!(case_page.contains("Xử lý nhanh, cảm ơn đoàn kiểm tra."));
    assert!(case_page.contains("4&#x2F;5"));
    let rollup: i64 = case_rollup::Entity::find()
        .all(app.state().db.conn())
        .await
        .unwrap()
        .iter()
        .map(|r| r.rating_sum)
        .sum();
    assert_eq!(rollup, 4, "the dashboard counts it");
}

#[rocket::async_test]
async fn a_commendation_reaches_the_team_lead_of_its_unit_only() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let mut teams = Vec::new();
    for (code, name) in [("PCHOANKIEM", "Tổ Hoàn Kiếm"), ("PCBADINH", "Tổ Ba Đình")] {
        teams.push(
            inspection_team::ActiveModel {
                name: Set(name.into()),
                org_unit_id: Set(unit_id(&app, code).await),
                active: Set(true),
                created_at: Set(t0()),
                updated_at: Set(t0()),
                ..Default::default()
            }
            .insert(app.state().db.conn())
            .await
            .unwrap()
            .id,
        );
    }
    for (team, email) in teams.iter().zip(["lead.hk@evn.vn", "lead.bd@evn.vn"]) {
        let user = create_user(&app, email, &[Role::TeamLead]).await;
        team_member::ActiveModel {
            team_id: Set(*team),
            user_id: Set(user),
            ..Default::default()
        }
        .insert(app.state().db.conn())
        .await
        .unwrap();
    }
    let office = unit_id(&app, "PCHK-PGDTRANGTIEN").await.to_string();

    let (status, form) = app.get_text("/commend").await;
    assert_eq!(status, Status::Ok);
    assert!(form.contains("name=\"csrf_token\""));
    let response = app
        .post_form(
            "/commend",
            &[
                ("unit_id", office.as_str()),
                ("staff_name", "Lê Văn Tâm"),
                ("body", "Tốt"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let page = response.into_string().await.unwrap();
    assert!(page.contains("Lê Văn Tâm"), "values kept");
    assert!(page.contains("ít nhất 10 ký tự"));
    let response = app
        .post_form(
            "/commend",
            &[
                ("unit_id", office.as_str()),
                ("staff_name", "Lê Văn Tâm"),
                ("staff_number", "HK-0042"),
                ("body", "Anh Tâm sửa điện giữa đêm mưa, rất tận tình."),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(
        response.headers().get_one("Location"),
        Some("/commend/thanks")
    );
    let stored = commendation::Entity::find()
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.team_id, Some(teams[0]), "the unit's nearest team");

    sign_in(&app, "lead.hk@evn.vn").await;
    let (status, page) = app.get_text("/cases/commendations").await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("rất tận tình") && page.contains("HK-0042"));
    app.post_form("/staff/sign-out", &[]).await;
    sign_in(&app, "lead.bd@evn.vn").await;
    let (_, page) = app.get_text("/cases/commendations").await;
    assert!(
        !page.contains("rất tận tình"),
        "another team does not see it"
    );
    app.post_form("/staff/sign-out", &[]).await;

    sign_in_leader(&app).await;
    let units = table(&app, "units", "").await;
    assert_eq!(row(&units, "Hanoi Power Corporation")[8], "1");
}

#[rocket::async_test]
async fn leadership_finds_which_units_had_the_most_bribery_reports_last_quarter_and_the_public_sees_the_same_on_time_figures(
) {
    let app = TestApp::spawn_with(no_two_factor).await;
    let viewer = handler(&app).await;
    let bribery = category_id(&app, "bribery").await;
    // Last quarter, seen from 27/11/2026: July–September 2026.
    let quarter_start = Utc.with_ymd_and_hms(2026, 7, 6, 3, 0, 0).unwrap();
    // (office, reports, closed on time, closed late)
    let plan = [
        ("PCHK-PGDHANGBAC", 8, 5, 2),
        ("PCSG-PGDBENTHANH", 6, 2, 3),
        ("PCHP-DLNGOQUYEN", 2, 1, 0),
    ];
    for (i, (office, reports, on_time, late)) in plan.iter().enumerate() {
        let unit = unit_id(&app, office).await;
        for n in 0..*reports {
            app.clock
                .set(quarter_start + Duration::days((i * 20 + n) as i64));
            let id = file_report(&app, unit, bribery, true).await;
            if n < *on_time {
                close_case(&app, &viewer, id, Finding::Substantiated, 10).await;
            } else if n < on_time + late {
                close_case(&app, &viewer, id, Finding::Unsubstantiated, 45).await;
            }
        }
    }
    app.clock.set(t0());
    sign_in_leader(&app).await;

    let query = format!("from=2026-07&to=2026-09&category={bribery}");
    let (status, page) = app.get_text(&format!("/dashboard?{query}")).await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("Reports received by unit"), "the chart");
    assert!(page.contains("<svg"));
    let units = table(&app, "units", &query).await;
    // Ranked by reports received: Hà Nội first, then Hồ Chí Minh City.
    assert_eq!(units[1][0], "Hanoi Power Corporation");
    assert_eq!(units[1][1], "8");
    assert_eq!(units[2][0], "Ho Chi Minh City Power Corporation");
    assert_eq!(units[2][1], "6");
    // Handled on time? 5 of 7 closed in Hà Nội, 2 of 5 in Hồ Chí Minh City.
    assert_eq!(units[1][5], "71.4");
    assert_eq!(units[2][5], "40.0");
    // Drilling into Hà Nội shows the company, withheld: it holds all of the corporation's
    // bribery reports, so its 8 beside the corporation's exact "1 open" would say whose open
    // case that is.
    let hanoi = unit_id(&app, "EVNHANOI").await;
    let drill = table(&app, "units", &format!("{query}&unit={hanoi}")).await;
    assert_eq!(row(&drill, "Hoan Kiem Power Company")[0], "x");
    assert!(
        page.contains(&format!("unit={hanoi}")),
        "the unit name is a link"
    );

    // The public page: the same counts per corporation, but no share that gives back a count
    // of 1–4 (2 late of 7 in Hà Nội, 2 on time of 5 in Hồ Chí Minh City).
    app.post_form("/staff/sign-out", &[]).await;
    let (status, public) = app.get_text("/transparency?lang=en").await;
    assert_eq!(status, Status::Ok);
    let counts = public_counts(&public);
    assert_eq!(counts["EVNHANOI"], ["8", "7", "—", "10"]);
    assert_eq!(counts["EVNHCMC"][2], "—");
    assert_eq!(counts["EVNHCMC"][0], "6");
    assert_eq!(counts["EVNNPC"], ["<5", "<5", "—", "—"]);
}

/// Files `n` reports about `office` in the week from `at`, closing the first `on_time` within
/// the deadline and the next `late` after it.
async fn reports_at(
    app: &TestApp,
    viewer: &Viewer,
    office: &str,
    at: DateTime<Utc>,
    (n, on_time, late): (usize, usize, usize),
) {
    let unit = unit_id(app, office).await;
    let rude = category_id(app, "rude").await;
    for i in 0..n {
        app.clock.set(at + Duration::hours(i as i64));
        let id = file_report(app, unit, rude, true).await;
        if i < on_time {
            close_case(app, viewer, id, Finding::Substantiated, 3).await;
        } else if i < on_time + late {
            close_case(app, viewer, id, Finding::Substantiated, 45).await;
        }
    }
}

/// Northern Power Corporation in September 2026: Hai Phong 10 (3 closed on time, 3 late),
/// Quang Ninh 7, Thai Nguyen 3, Nam Dinh none; in October, 3 more in Hai Phong. Signed in as
/// leadership.
async fn northern_with_one_small_company() -> TestApp {
    let app = TestApp::spawn_with(no_two_factor).await;
    let viewer = handler(&app).await;
    let september = Utc.with_ymd_and_hms(2026, 9, 7, 3, 0, 0).unwrap();
    let october = Utc.with_ymd_and_hms(2026, 10, 6, 3, 0, 0).unwrap();
    // Northern Power Corporation in September: Hai Phong 10 (3 closed on time, 3 late),
    // Quang Ninh 7, Thai Nguyen 3, Nam Dinh none; in October, 3 more in Hai Phong.
    reports_at(&app, &viewer, "PCHP-DLNGOQUYEN", september, (10, 3, 3)).await;
    reports_at(&app, &viewer, "PCQNI-DLHALONG", september, (7, 0, 0)).await;
    reports_at(&app, &viewer, "PCTNG-DLSONGCONG", september, (3, 0, 0)).await;
    reports_at(&app, &viewer, "PCHP-DLNGOQUYEN", october, (3, 0, 0)).await;
    app.clock.set(t0());
    sign_in_leader(&app).await;
    app
}

#[rocket::async_test]
async fn a_small_count_is_withheld_with_a_partner_and_withheld_rows_are_ordered_by_name() {
    let app = northern_with_one_small_company().await;
    let npc = unit_id(&app, "EVNNPC").await;

    // The corporation in September: its total is exact, so the 3 of Thai Nguyen is withheld
    // together with another company, and total minus the shown rows gives no count of 1–4.
    let september_only = format!("from=2026-09&to=2026-09&unit={npc}");
    let units = table(&app, "units", &september_only).await;
    let summary = table(&app, "summary", &september_only).await;
    let total: i64 = row(&summary, "Reports received")[0].parse().unwrap();
    assert_eq!(total, 20, "the corporation itself is exact");
    assert!(withheld_mark(&row(&units, "Thai Nguyen Power Company")[0]));
    let shown: i64 = units[1..]
        .iter()
        .filter_map(|r| r[1].parse::<i64>().ok())
        .sum();
    let withheld: Vec<&str> = (units[1..].iter())
        .filter(|r| withheld_mark(&r[1]))
        .map(|r| r[0].as_str())
        .collect();
    assert!(withheld.len() >= 2, "a partner is withheld too: {units:?}");
    assert!(!(1..5).contains(&(total - shown)), "{units:?}");
    // Withheld rows come after the shown ones, by name: their order tells nothing.
    let mut by_name = withheld.clone();
    by_name.sort();
    assert_eq!(withheld, by_name, "{units:?}");
    let first_withheld = units.iter().position(|r| withheld_mark(&r[1])).unwrap();
    assert!(units[first_withheld..].iter().all(|r| withheld_mark(&r[1])));
    // The page shows the same rows in the same order as the files.
    let (_, page) = app.get_text(&format!("/dashboard?{september_only}")).await;
    let table_html = &page[page.find("id=\"table-units\"").unwrap()..];
    let positions: Vec<usize> = (units[1..].iter())
        .map(|r| table_html.find(&format!(">{}<", r[0])).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "page order");
    // The unit × category table hides the cell and a partner in its column.
    let heat = table(&app, "heat", &september_only).await;
    let rude = (heat[0].iter())
        .position(|h| h == "Disrespectful or rude behaviour")
        .unwrap();
    let in_column = heat[1..].iter().filter(|r| withheld_mark(&r[rude])).count();
    assert!(in_column >= 2, "{heat:?}");
}

#[rocket::async_test]
async fn neither_a_share_nor_two_periods_give_back_a_count_of_one_to_four() {
    let app = northern_with_one_small_company().await;
    let npc = unit_id(&app, "EVNNPC").await;
    let hai_phong = unit_id(&app, "PCHAIPHONG").await;
    let september_only = format!("from=2026-09&to=2026-09&unit={npc}");
    let units = table(&app, "units", &september_only).await;
    // A share over 6 closed that would give back 3 on time is withheld.
    assert_eq!(row(&units, "Hai Phong Power Company")[4], "");

    // Two periods, one inside the other: Hai Phong's September and September–October
    // would differ by October's 3. A figure over months is shown only when every month is.
    let both = format!("from=2026-09&to=2026-10&unit={npc}");
    let longer = table(&app, "units", &both).await;
    let (a, b) = (
        &row(&longer, "Hai Phong Power Company")[0],
        &row(&units, "Hai Phong Power Company")[0],
    );
    if let (Ok(a), Ok(b)) = (a.parse::<i64>(), b.parse::<i64>()) {
        assert!(!(1..5).contains(&(a - b)), "{a} − {b}");
    }
    assert!(withheld_mark(a));
    // The company's own page withholds what the corporation's page withholds.
    let company = format!("from=2026-09&to=2026-10&unit={hai_phong}");
    let summary = table(&app, "summary", &company).await;
    let months = table(&app, "months", &company).await;
    assert!(withheld_mark(&row(&months, "09/2026")[0]));
    assert!(withheld_mark(&row(&months, "10/2026")[0]));
    assert!(withheld_mark(&row(&summary, "Reports received")[0]));
}

/// The corporation's September is exact (20 = Hai Phong 10 + Quang Ninh 7 + Thai Nguyen 3) and
/// its company rows are withheld; had Quang Ninh's and Hai Phong's own pages, or the
/// corporation's page filtered to one category, shown their figures, Thai Nguyen's 3 would
/// follow by subtraction. Every view of a unit now decides alike.
#[rocket::async_test]
async fn no_other_scope_or_filter_gives_back_what_the_corporation_page_withholds() {
    let app = northern_with_one_small_company().await;
    let npc = unit_id(&app, "EVNNPC").await;
    let quang_ninh = unit_id(&app, "PCQUANGNINH").await;
    let september = "from=2026-09&to=2026-09";
    let own = format!("{september}&unit={quang_ninh}");
    let summary = table(&app, "summary", &own).await;
    assert!(
        withheld_mark(&row(&summary, "Reports received")[0]),
        "{summary:?}"
    );
    let offices = table(&app, "units", &own).await;
    assert!(
        offices[1..].iter().all(|r| withheld_mark(&r[1])),
        "{offices:?}"
    );
    let category = category_id(&app, "rude").await;
    let filtered = format!("{september}&unit={npc}&category={category}");
    let companies = table(&app, "units", &filtered).await;
    for company in ["Quang Ninh Power Company", "Hai Phong Power Company"] {
        let cell = &row(&companies, company)[1];
        assert!(withheld_mark(cell), "{company}: {companies:?}");
    }
}

/// A withheld count, in either notation ("<5" before complementary suppression, "x" since),
/// so the test above fails on the old code for what it shows, not for how it marks it.
fn withheld_mark(cell: &str) -> bool {
    cell == "x" || cell == "<5"
}
