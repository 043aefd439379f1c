//! `bench_analytics`: fills a fresh database with synthetic reports and case files (bulk
//! inserts, no hooks), rebuilds the analytics rollups, then measures the leadership dashboard
//! and the public transparency page through Rocket's local client, beside the naive
//! aggregation over every report that the rollups replace.
//!
//! ```sh
//! cargo run --release --bin bench_analytics -- --reports 1000000
//! cargo run --release --bin bench_analytics -- --reports 1000000 \
//!     --database-url postgres://postgres@127.0.0.1:5432/postgres
//! ```
//!
//! With a PostgreSQL URL, a database of its own is created next to it and dropped at the end.

use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use clap::Parser;
use conduct_portal::analytics::rollups;
use conduct_portal::app::{self, AppState};
use conduct_portal::auth::service::{create_account, NewAccount};
use conduct_portal::auth::session::{self, Stage};
use conduct_portal::domain::roles::Role;
use conduct_portal::platform::audit::Actor;
use conduct_portal::platform::persistence::entities::{org_unit, violation_category};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rocket::http::{Cookie, Status};
use rocket::local::asynchronous::Client;
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{ConnectionTrait, Database, EntityTrait, Statement};

#[derive(Parser)]
#[command(about = "Benchmark of the analytics dashboard and transparency page")]
struct Args {
    /// Synthetic reports to insert.
    #[arg(long, default_value_t = 1_000_000)]
    reports: u32,
    /// A PostgreSQL server URL (a database is created on it); SQLite in a temporary folder otherwise.
    #[arg(long)]
    database_url: Option<String>,
    /// Requests measured per page.
    #[arg(long, default_value_t = 200)]
    requests: usize,
    /// Keep the SQLite database in this folder, and reuse the one already there (skipping the
    /// insert).
    #[arg(long)]
    data_dir: Option<std::path::PathBuf>,
    /// Measure an existing, already filled database (any URL); nothing is inserted or dropped.
    #[arg(long)]
    existing_database_url: Option<String>,
}

const BATCH: usize = 500;
const PASSWORD: &str = "bench password, long enough";

#[rocket::main]
async fn main() {
    let args = Args::parse();
    // Errors only: an internal error's cause chain, nothing per request.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("error"))
        .try_init();
    let keep = args.data_dir.is_some();
    let dir = args.data_dir.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("cp-bench-{}", uuid::Uuid::new_v4().simple()))
    });
    let reuse = (keep && dir.join("bench.db").exists()) || args.existing_database_url.is_some();
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let (url, postgres) = match args
        .existing_database_url
        .as_ref()
        .or(args.database_url.as_ref())
    {
        Some(existing) if args.existing_database_url.is_some() => (existing.clone(), None),
        Some(admin) => {
            let name = format!("cp_bench_{}", uuid::Uuid::new_v4().simple());
            let conn = Database::connect(admin).await.expect("PostgreSQL");
            conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create the bench database");
            conn.close().await.ok();
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(admin);
            (format!("{base}/{name}"), Some((admin.clone(), name)))
        }
        None => (
            format!("sqlite://{}?mode=rwc", dir.join("bench.db").display()),
            None,
        ),
    };
    let figment = rocket::Config::figment()
        .merge(("data_dir", dir.display().to_string()))
        .merge(("database_url", url.as_str()))
        .merge(("log_level", "off"))
        .merge(("two_factor_roles", Vec::<String>::new()));
    let rocket = app::build(figment, app::system_clock())
        .await
        .expect("the portal builds");
    let client = Client::untracked(rocket).await.expect("a local client");
    let state = client.rocket().state::<AppState>().expect("state");
    let on_postgres = url.starts_with("postgres");
    let backend = if on_postgres { "PostgreSQL" } else { "SQLite" };
    println!("backend: {backend}, reports: {}", args.reports);

    if !reuse {
        let started = Instant::now();
        fill(state, args.reports).await;
        println!("insert: {:.1} s", started.elapsed().as_secs_f64());
    }
    {
        let started = Instant::now();
        let rebuilt = rollups::rebuild(&state.db).await.expect("rebuild");
        println!(
            "rebuild_rollups: {:.1} s ({} reports, {} rollup cells)",
            started.elapsed().as_secs_f64(),
            rebuilt.reports,
            rebuilt.cells
        );
    }
    if on_postgres {
        // What autovacuum would do after a bulk load: fresh planner statistics.
        state
            .db
            .conn()
            .execute_unprepared("ANALYZE")
            .await
            .expect("analyze");
    }
    for (table, label) in [
        ("case_rollup", "case_rollup rows"),
        ("close_histogram", "close_histogram rows"),
        ("due_rollup", "due_rollup rows"),
    ] {
        println!("{label}: {}", count(state, table).await);
    }

    // The naive aggregation the rollups replace: the key figures straight from case_file.
    let mut naive = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        naive_aggregation(state).await;
        naive.push(started.elapsed());
    }
    report("naive full aggregation (key figures + by unit)", &mut naive);

    let email = format!("bench.{}@evn.vn", uuid::Uuid::new_v4().simple());
    let user = create_account(
        state,
        &Actor::System,
        NewAccount {
            email: email.clone(),
            display_name: "Bench leader".into(),
            roles: vec![Role::Leadership],
            password: Some(PASSWORD.into()),
            must_change_password: false,
        },
    )
    .await
    .map_err(|_| "account")
    .expect("a leadership account");
    let sid = session::create(
        state.db.conn(),
        &state.config,
        user.id,
        Stage::Active,
        state.clock.now(),
    )
    .await
    .expect("a session");

    let units = org_unit::Entity::find()
        .all(state.db.conn())
        .await
        .expect("units");
    let corporation = units
        .iter()
        .find(|u| u.code == "EVNHANOI")
        .map(|u| u.id)
        .unwrap_or(1);
    let company = units
        .iter()
        .find(|u| u.code == "PCHOANKIEM")
        .map(|u| u.id)
        .unwrap_or(1);
    let bribery = violation_category::Entity::find()
        .all(state.db.conn())
        .await
        .expect("categories")
        .into_iter()
        .find(|c| c.code == "bribery")
        .map(|c| c.id)
        .unwrap_or(1);
    let pages = [
        "/dashboard".to_string(),
        format!("/dashboard?unit={corporation}"),
        format!("/dashboard?unit={company}&category={bribery}"),
        "/dashboard?from=2024-01".to_string(),
    ];
    let mut errors = 0;
    let mut dashboard = Vec::new();
    let mut by_page = vec![Vec::new(); pages.len()];
    for i in 0..args.requests {
        let path = pages[i % pages.len()].clone();
        let started = Instant::now();
        let response = client
            .get(path.clone())
            .private_cookie(Cookie::new("sid", sid.clone()))
            .dispatch()
            .await;
        let status = response.status();
        let _ = response.into_bytes().await;
        dashboard.push(started.elapsed());
        by_page[i % pages.len()].push(started.elapsed());
        if status != Status::Ok {
            eprintln!("{path}: {status} (request {i})");
            errors += 1;
        }
    }
    for (path, samples) in pages.iter().zip(by_page.iter_mut()) {
        report(&format!("  GET {path}"), samples);
    }
    report("GET /dashboard (all four)", &mut dashboard);
    println!("dashboard responses other than 200: {errors}");

    let mut public = Vec::new();
    for _ in 0..args.requests {
        let started = Instant::now();
        let response = client.get("/transparency").dispatch().await;
        let status = response.status();
        let _ = response.into_bytes().await;
        public.push(started.elapsed());
        assert_eq!(status, Status::Ok);
    }
    report("GET /transparency (cached, 15 min)", &mut public);
    let mut uncached = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        conduct_portal::analytics::transparency::compute(state, state.clock.now())
            .await
            .expect("figures");
        uncached.push(started.elapsed());
    }
    report("transparency figures computed (cache miss)", &mut uncached);

    drop(client);
    if let Some((admin, name)) = postgres {
        if let Ok(conn) = Database::connect(&admin).await {
            let _ = conn
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
    }
    if !keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

fn report(label: &str, samples: &mut [StdDuration]) {
    samples.sort();
    let at = |q: f64| {
        let rank = ((q * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
        samples[rank - 1].as_secs_f64() * 1000.0
    };
    println!(
        "{label}: n={} p50={:.1} ms p95={:.1} ms max={:.1} ms",
        samples.len(),
        at(0.5),
        at(0.95),
        at(1.0)
    );
}

async fn count(state: &AppState, table: &str) -> i64 {
    let conn = state.db.conn();
    conn.query_one_raw(Statement::from_string(
        conn.get_database_backend(),
        format!("SELECT COUNT(*) AS n FROM {table}"),
    ))
    .await
    .ok()
    .flatten()
    .and_then(|row| row.try_get::<i64>("", "n").ok())
    .unwrap_or(0)
}

/// Inserts `n` reports and their case files received over the last 36 months, in bulk.
async fn fill(state: &AppState, n: u32) {
    let conn = state.db.conn();
    let now = state.clock.now();
    let units: Vec<i32> = org_unit::Entity::find()
        .all(conn)
        .await
        .expect("units")
        .into_iter()
        .filter(|u| u.kind != "group" && u.kind != "corporation")
        .map(|u| u.id)
        .collect();
    let categories: Vec<i32> = violation_category::Entity::find()
        .all(conn)
        .await
        .expect("categories")
        .into_iter()
        .map(|c| c.id)
        .collect();
    let mut rng = StdRng::seed_from_u64(20261127);
    let findings = [
        "substantiated",
        "partly_substantiated",
        "unsubstantiated",
        "cannot_be_verified",
    ];
    let mut id: u32 = 0;
    while id < n {
        let tx = state.db.begin_write().await.expect("transaction");
        for _ in 0..40 {
            if id >= n {
                break;
            }
            let mut reports = Query::insert();
            reports.into_table(Alias::new("report")).columns(
                [
                    "id",
                    "unit_id",
                    "category_id",
                    "occurred_on",
                    "description",
                    "submission_kind",
                    "escalate_above",
                    "status",
                    "receipt_lookup",
                    "receipt_hash",
                    "received_at",
                    "updated_at",
                    "reporter_last_seen_at",
                ]
                .map(Alias::new),
            );
            let mut cases = Query::insert();
            cases.into_table(Alias::new("case_file")).columns(
                [
                    "report_id",
                    "status",
                    "unit_id",
                    "category_id",
                    "received_at",
                    "routing_reason",
                    "second_level",
                    "accepted_on",
                    "acceptance_due",
                    "resolution_due",
                    "finding",
                    "closed_at",
                    "staff_unread",
                    "search_text",
                    "updated_at",
                ]
                .map(Alias::new),
            );
            for _ in 0..BATCH {
                if id >= n {
                    break;
                }
                id += 1;
                let received: DateTime<Utc> =
                    now - Duration::minutes(rng.gen_range(0..(36 * 30 * 1440)));
                let age_days = (now - received).num_days();
                let day = received.date_naive();
                let accepted = day + Duration::days(rng.gen_range(0..8));
                let resolution_due = accepted + Duration::days(30);
                let roll = rng.gen_range(0..100);
                let (status, closed_at) = if age_days < 20 && roll < 60 || roll < 3 {
                    (
                        ["received", "accepted", "investigating"][rng.gen_range(0..3)],
                        None,
                    )
                } else if roll < 8 {
                    ("declined", None)
                } else if roll < 11 {
                    ("concluded", None)
                } else {
                    let days = rng.gen_range(3..70).min(age_days.max(1));
                    ("closed", Some(received + Duration::days(days)))
                };
                let accepted_on =
                    (status != "received" && status != "declined").then_some(accepted);
                let finding = matches!(status, "concluded" | "closed")
                    .then(|| findings[rng.gen_range(0..findings.len())]);
                let anonymous = rng.gen_bool(0.7);
                let seen = (rng.gen_bool(0.3)).then_some(received + Duration::days(2));
                let unit = units[rng.gen_range(0..units.len())];
                let category = categories[rng.gen_range(0..categories.len())];
                reports
                    .values([
                        (id as i32).into(),
                        unit.into(),
                        category.into(),
                        day.into(),
                        "bench".into(),
                        (if anonymous { "anonymous" } else { "named" }).into(),
                        false.into(),
                        status.into(),
                        format!("bench-{id}").into(),
                        "x".into(),
                        received.into(),
                        received.into(),
                        seen.into(),
                    ])
                    .expect("report values");
                cases
                    .values([
                        (id as i32).into(),
                        status.into(),
                        unit.into(),
                        category.into(),
                        received.into(),
                        "{}".into(),
                        false.into(),
                        accepted_on.into(),
                        (day + Duration::days(9)).into(),
                        accepted_on.map(|_| resolution_due).into(),
                        finding.map(str::to_string).into(),
                        closed_at.into(),
                        false.into(),
                        "".into(),
                        received.into(),
                    ])
                    .expect("case values");
            }
            tx.execute(&reports).await.expect("insert reports");
            tx.execute(&cases).await.expect("insert case files");
        }
        tx.commit().await.expect("commit");
    }
    if conn.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        conn.execute_unprepared(
            "SELECT setval(pg_get_serial_sequence('report', 'id'), (SELECT MAX(id) FROM report))",
        )
        .await
        .expect("sequence");
    }
}

/// The key figures and the by-unit breakdown for the last 12 months, straight from the rows.
async fn naive_aggregation(state: &AppState) {
    let conn = state.db.conn();
    let since = state.clock.now() - Duration::days(365);
    let backend = conn.get_database_backend();
    let placeholder = if backend == sea_orm::DatabaseBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    let sql = format!(
        "SELECT c.unit_id AS unit_id, COUNT(*) AS received, \
         SUM(CASE WHEN c.status = 'closed' THEN 1 ELSE 0 END) AS closed, \
         SUM(CASE WHEN c.status IN ('received','accepted','investigating','awaiting_reporter') THEN 1 ELSE 0 END) AS open, \
         SUM(CASE WHEN c.accepted_on IS NOT NULL THEN 1 ELSE 0 END) AS accepted, \
         SUM(CASE WHEN r.submission_kind = 'anonymous' AND r.reporter_last_seen_at IS NOT NULL THEN 1 ELSE 0 END) AS returned \
         FROM case_file c JOIN report r ON r.id = c.report_id \
         WHERE c.received_at >= {placeholder} GROUP BY c.unit_id"
    );
    conn.query_all_raw(Statement::from_sql_and_values(backend, sql, [since.into()]))
        .await
        .expect("naive aggregation");
}
