//! `conduct-portal seed-demo --reports N`: fills a migrated database with realistic synthetic
//! data for demos and benchmarks — extra inspection teams, a staff directory, demo accounts and
//! N reports over the last three years with their case files, timelines and messages.
//!
//! Reports are generated in memory on a blocking thread and written by multi-row INSERTs in
//! transactions of a few thousand reports on a dedicated connection. On SQLite that connection
//! alone runs with `synchronous=OFF` (the portal's pool keeps its durable settings); on
//! PostgreSQL each seeding transaction sets `synchronous_commit = off` locally.
//!
//! Receipt codes: the first five reports get real codes (printed, and returned by
//! [`populate`]); every other report has a random lookup value and shares one Argon2 hash of a
//! code nobody was given, so it cannot be opened by receipt. Per-case audit entries are not
//! written; one `demo_seeded` entry records the run.

mod batch;
pub mod directory;
pub mod extras;
mod generate;
pub mod text;

use std::collections::HashMap;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rand::rngs::StdRng;
use rand::SeedableRng;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DbErr,
    EntityTrait, Statement, TransactionTrait,
};
use serde_json::json;

use self::directory::DemoAccount;
use self::generate::{category_weight, CategoryPick, Chunk, Context, Generator, UnitPick};
use conduct_portal::case_management::intake::team_workers;
use conduct_portal::domain::receipt::ReceiptCode;
use conduct_portal::domain::roles::Role;
use conduct_portal::platform::audit::{self, Actor, Entry};
use conduct_portal::platform::crypto;
use conduct_portal::platform::persistence::entities::{app_user, staff_member};
use conduct_portal::platform::persistence::rules::{load_calendar, load_router};
use conduct_portal::web::error::{AppError, AppResult};
use conduct_portal::web::state::AppState;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "Thanh-tra-demo-2026";

/// How many reports get real, printed receipt codes.
pub const REAL_RECEIPTS: usize = 5;

/// Reports per transaction (each brings ten or so rows in other tables).
const REPORTS_PER_TRANSACTION: u64 = 2_000;

/// Must match `public_reporting::service`'s purpose string; the demo test opens the printed
/// codes through `open_by_receipt`, so a drift fails it.
const RECEIPT_PURPOSE: &str = "receipt-v1";

/// What a seeding run produced.
#[derive(Debug)]
pub struct Seeded {
    pub reports: u64,
    pub first_report_id: i32,
    /// (report id, receipt code) of the reports that can be opened on the follow-up page.
    pub receipts: Vec<(i32, String)>,
    pub accounts: Vec<DemoAccount>,
    /// Ratings, commendations, discipline and files added through the services.
    pub extras: extras::Extras,
    pub elapsed: Duration,
}

/// The `seed-demo` command: seeds and prints what a demo user needs.
pub async fn seed(state: &AppState, reports: u64) -> AppResult<()> {
    let show_progress = std::io::stderr().is_terminal();
    let seeded = populate_with(state, reports, show_progress).await?;
    print_summary(state, &seeded);
    Ok(())
}

/// Seeds without printing or a progress bar; returns what was made.
pub async fn populate(state: &AppState, reports: u64) -> AppResult<Seeded> {
    populate_with(state, reports, false).await
}

async fn populate_with(state: &AppState, reports: u64, progress: bool) -> AppResult<Seeded> {
    let started = Instant::now();
    let directory = directory::prepare(state, DEMO_PASSWORD).await?;
    let conn = state.db.conn();
    let backend = state.db.backend();

    let router = load_router(conn).await?;
    let calendar = load_calendar(conn).await?;
    let mut workers = HashMap::new();
    for team in &directory.teams {
        workers.insert(team.id, team_workers(conn, team.id).await?);
    }
    let mut leads: HashMap<i32, Vec<i32>> = HashMap::new();
    for account in &directory.accounts {
        if let (Some(team), true) = (account.team_id, account.roles.contains(&Role::TeamLead)) {
            leads.entry(team).or_default().push(account.id);
        }
    }
    let staff_unit: HashMap<i32, i32> = staff_member::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s.unit_id))
        .collect();
    let mut users_by_unit: HashMap<i32, Vec<(i32, i32)>> = HashMap::new();
    for user in app_user::Entity::find().all(conn).await? {
        if let Some(staff) = user.staff_member_id {
            if let Some(unit) = staff_unit.get(&staff) {
                users_by_unit
                    .entry(*unit)
                    .or_default()
                    .push((user.id, staff));
            }
        }
    }
    let mut staff_by_unit: HashMap<i32, Vec<directory::StaffRef>> = HashMap::new();
    for person in &directory.staff {
        staff_by_unit
            .entry(person.unit_id)
            .or_default()
            .push(person.clone());
    }
    let units: Vec<UnitPick> = directory
        .units
        .iter()
        .filter(|u| u.active_to.is_none())
        .map(|u| UnitPick {
            id: u.id,
            name_vi: u.name_vi.clone(),
            // Customers meet district offices most, the corporations and EVN rarely.
            weight: match u.kind.as_str() {
                "district" | "office" => 10,
                "company" => 4,
                "corporation" => 1,
                _ => 0,
            },
        })
        .collect();
    let categories: Vec<CategoryPick> = directory
        .categories
        .iter()
        .map(|c| CategoryPick {
            id: c.id,
            code: c.code.clone(),
            severe: c.severity == "severe",
            weight: category_weight(&c.code),
        })
        .collect();

    // Receipt codes: real ones for the first reports, one shared hash for the rest.
    let shared_receipt_hash = state
        .hasher
        .hash(ReceiptCode::generate().as_str().to_string())
        .await?;
    let mut receipts = Vec::new();
    let mut real_receipts = Vec::new();
    for _ in 0..REAL_RECEIPTS.min(reports as usize) {
        let code = ReceiptCode::generate();
        let lookup = crypto::lookup_hash(&state.config.receipt_key, RECEIPT_PURPOSE, code.as_str());
        let hash = state.hasher.hash(code.as_str().to_string()).await?;
        real_receipts.push((lookup, hash));
        receipts.push(code.display());
    }

    let bulk = bulk_connection(&state.config.database_url).await?;
    let first_id = next_report_id(&bulk).await?;
    let context = Context {
        now: state.clock.now(),
        router,
        calendar,
        deadlines: state.config.deadlines.clone(),
        master_key: state.config.master_key.clone(),
        master_key_id: state.config.master_key.key_id(),
        search_key: state.config.receipt_key.clone(),
        shared_receipt_hash,
        real_receipts,
        units,
        categories,
        staff_by_unit,
        users_by_unit,
        workers,
        leads,
        backend,
        first_id,
        total: reports,
    };
    let mut generator =
        Generator::new(context, StdRng::from_entropy()).map_err(AppError::internal)?;

    let bar = if progress {
        ProgressBar::with_draw_target(Some(reports), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    if let Ok(style) = ProgressStyle::with_template(
        "{elapsed_precise} [{wide_bar}] {human_pos}/{human_len} reports · {per_sec} · ETA {eta}",
    ) {
        bar.set_style(style);
    }

    // Generation runs on a blocking thread, one chunk ahead of the writer.
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Chunk>(2);
    let producer = tokio::task::spawn_blocking(move || {
        while let Some(chunk) = generator.next_chunk(REPORTS_PER_TRANSACTION) {
            if sender.blocking_send(chunk).is_err() {
                break;
            }
        }
    });
    let mut written = 0u64;
    let mut failure = None;
    while let Some(chunk) = receiver.recv().await {
        if let Err(error) = write_chunk(&bulk, chunk.statements).await {
            failure = Some(error);
            break;
        }
        written += chunk.reports;
        bar.set_position(written);
    }
    drop(receiver);
    producer.await.map_err(AppError::internal)?;
    bar.finish_and_clear();
    if let Some(error) = failure {
        return Err(error.into());
    }
    finish_bulk(&bulk).await?;
    bulk.close().await?;

    let receipts_end = first_id + REAL_RECEIPTS.min(reports as usize) as i32;
    let mut rng = StdRng::from_entropy();
    let extras = extras::add(state, &directory, first_id, receipts_end, &mut rng).await?;

    let tx = state.db.begin_write().await?;
    audit::record(
        &*tx,
        state.clock.now(),
        Entry {
            actor: &Actor::System,
            action: "demo_seeded",
            object_type: "demo",
            object_id: None,
            details: json!({
                "reports": reports,
                "first_report_id": first_id,
                "ratings": extras.ratings,
                "commendations": extras.commendations,
                "findings": extras.findings,
                "decisions": extras.decisions,
                "files": extras.files,
            }),
        },
    )
    .await?;
    tx.commit().await?;

    Ok(Seeded {
        reports,
        first_report_id: first_id,
        receipts: receipts
            .into_iter()
            .enumerate()
            .map(|(i, code)| (first_id + i as i32, code))
            .collect(),
        accounts: directory.accounts,
        extras,
        elapsed: started.elapsed(),
    })
}

/// A connection of its own for the bulk load; on SQLite it skips fsync (a crash mid-seed loses
/// only demo data), which never affects the portal's pooled connections.
async fn bulk_connection(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(1)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(120))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.foreign_keys(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Off)
                .busy_timeout(Duration::from_secs(60))
                .pragma("cache_size", "-262144")
                .pragma("temp_store", "memory")
        });
    Database::connect(options).await
}

async fn next_report_id(conn: &DatabaseConnection) -> Result<i32, DbErr> {
    let row = conn
        .query_one_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS m FROM report",
        ))
        .await?;
    let max = match row {
        Some(row) => row.try_get::<i64>("", "m")?,
        None => 0,
    };
    i32::try_from(max + 1).map_err(|_| DbErr::Custom("report ids are exhausted".into()))
}

async fn write_chunk(conn: &DatabaseConnection, statements: Vec<Statement>) -> Result<(), DbErr> {
    let tx = conn.begin().await?;
    if conn.get_database_backend() == DatabaseBackend::Postgres {
        tx.execute_unprepared("SET LOCAL synchronous_commit = off")
            .await?;
    }
    for statement in statements {
        tx.execute_raw(statement).await?;
    }
    tx.commit().await
}

/// After the load: PostgreSQL's id sequence catches up with the explicit ids, and both
/// databases refresh their planner statistics (what autovacuum or `PRAGMA optimize` would do
/// later anyway).
async fn finish_bulk(conn: &DatabaseConnection) -> Result<(), DbErr> {
    match conn.get_database_backend() {
        DatabaseBackend::Postgres => {
            conn.execute_unprepared(
                "SELECT setval(pg_get_serial_sequence('report', 'id'), \
                 (SELECT MAX(id) FROM report))",
            )
            .await?;
            // VACUUM also sets the visibility map, so index-only scans work from the start.
            conn.execute_unprepared(
                "VACUUM (ANALYZE) report, report_key, reporter_identity, case_file, \
                 case_exclusion, case_name_key, case_event, message, deadline_extension, \
                 procedure_step, staff_member",
            )
            .await?;
        }
        _ => {
            conn.execute_unprepared("ANALYZE").await?;
            conn.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                .await?;
        }
    }
    Ok(())
}

fn print_summary(state: &AppState, seeded: &Seeded) {
    let seconds = seeded.elapsed.as_secs_f64();
    let last = seeded.first_report_id as i64 + seeded.reports as i64 - 1;
    println!(
        "Seeded {} demo reports (ids {}–{}) in {} ({:.0} reports/s).",
        seeded.reports,
        seeded.first_report_id,
        last,
        human_duration(seeded.elapsed),
        seeded.reports as f64 / seconds.max(0.001)
    );
    let extras = &seeded.extras;
    println!(
        "Added through the portal's services: {} ratings, {} commendations, {} discipline \
         findings with {} decisions, {} evidence files.",
        extras.ratings, extras.commendations, extras.findings, extras.decisions, extras.files
    );
    println!();
    println!("Demo accounts, all with the password {DEMO_PASSWORD}");
    let two_factor: Vec<&str> = state
        .config
        .two_factor_roles
        .iter()
        .map(|r| r.as_str())
        .collect();
    println!(
        "(roles {} set up an authenticator app at first sign-in):",
        two_factor.join(", ")
    );
    for account in &seeded.accounts {
        let roles: Vec<&str> = account.roles.iter().map(|r| r.as_str()).collect();
        let team = account
            .team_id
            .map(|t| format!(", team {t}"))
            .unwrap_or_default();
        println!(
            "    {:<36} {} ({}{team})",
            account.email,
            account.display_name,
            roles.join(", ")
        );
    }
    println!();
    println!("Receipt codes to try on /follow-up:");
    for (id, code) in &seeded.receipts {
        println!("    report {id}: {code}");
    }
    println!();
    println!(
        "The other demo reports cannot be opened by receipt: they share one Argon2 hash of a \
         code nobody was given (hashing a million codes would take hours)."
    );
    println!(
        "Named reports carry sealed identities under per-report data keys, as submissions do. \
         No per-case audit entries were written; one 'demo_seeded' entry records this run."
    );
}

fn human_duration(elapsed: Duration) -> String {
    let total = elapsed.as_secs();
    if total >= 60 {
        format!("{} min {:02} s", total / 60, total % 60)
    } else {
        format!("{:.1} s", elapsed.as_secs_f64())
    }
}
