//! The portal under test: a fresh instance per test with its own data directory and database
//! (a SQLite file copied from a template migrated once per run, or a new PostgreSQL database
//! when `TEST_DATABASE_URL` is set), real migrations, a fixed clock, cheap Argon2.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use conduct_portal::app::{self, AppState};
use conduct_portal::platform::clock::FixedClock;
use rocket::figment::Figment;
use rocket::local::asynchronous::Client;
use sea_orm::{ConnectionTrait, Statement};
use tokio::sync::OnceCell;

use super::postgres::{self, PostgresDb};

pub const MASTER_KEY: &str = "1111111111111111111111111111111111111111111111111111111111111111";

pub const RECEIPT_KEY: &str = "2222222222222222222222222222222222222222222222222222222222222222";

pub const SECRET_KEY: &str = "3333333333333333333333333333333333333333333333333333333333333333";

/// A new temporary directory for a test's data directory, database file or backup: in memory
/// (`/dev/shm`) where the machine has it, because the portal syncs every commit to disk
/// (`synchronous=FULL`) and a disk's sync costs milliseconds the tests do not need to pay.
/// `CP_TEST_TMPDIR` chooses another place; without either, the system's temporary directory.
pub fn scratch_dir() -> tempfile::TempDir {
    let base = std::env::var_os("CP_TEST_TMPDIR")
        .map(PathBuf::from)
        .or_else(|| Some(PathBuf::from("/dev/shm")).filter(|shm| shm.is_dir()));
    match base {
        Some(base) => tempfile::Builder::new()
            .prefix("cp-test-")
            .tempdir_in(base)
            .unwrap(),
        None => tempfile::tempdir().unwrap(),
    }
}

/// 10:00 on 27/11/2026 in Hà Nội.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 3, 0, 0).unwrap()
}

pub struct TestApp {
    pub client: Client,
    pub clock: FixedClock,
    pub data_dir: tempfile::TempDir,
    pub database_url: String,
    postgres: Option<PostgresDb>,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|figment| figment).await
    }

    /// Spawns with extra settings applied to the figment.
    pub async fn spawn_with(adjust: impl FnOnce(Figment) -> Figment) -> Self {
        // Log lines (request ids, internal error chains) show up in a failing test's output.
        conduct_portal::platform::telemetry::init_for_tests();
        let data_dir = scratch_dir();
        let (database_url, postgres) = fresh_database(data_dir.path()).await;
        Self::launch(data_dir, database_url, postgres, adjust).await
    }

    /// Serves the portal from `target` as it is (after a restore into it).
    pub async fn spawn_on(
        mut target: EmptyTarget,
        adjust: impl FnOnce(Figment) -> Figment,
    ) -> Self {
        let data_dir = scratch_dir();
        let data_dir = std::mem::replace(&mut target.data_dir, data_dir);
        let database_url = target.database_url.clone();
        let postgres = target.postgres.take();
        Self::launch(data_dir, database_url, postgres, adjust).await
    }

    async fn launch(
        data_dir: tempfile::TempDir,
        database_url: String,
        postgres: Option<PostgresDb>,
        adjust: impl FnOnce(Figment) -> Figment,
    ) -> Self {
        let clock = FixedClock::at(t0());
        let figment = adjust(base_figment(data_dir.path(), &database_url));
        let rocket = app::build(figment, Arc::new(clock.clone())).await.unwrap();
        let client = Client::tracked(rocket).await.unwrap();
        Self {
            client,
            clock,
            data_dir,
            database_url,
            postgres,
        }
    }

    /// A second portal over this one's database and data directory, as another node behind
    /// the same load balancer would be.
    pub async fn second_node(&self) -> Client {
        let figment = base_figment(self.data_dir.path(), &self.database_url);
        let rocket = app::build(figment, Arc::new(self.clock.clone()))
            .await
            .unwrap();
        Client::tracked(rocket).await.unwrap()
    }

    /// Another node behind the same load balancer, as a full [`TestApp`] with its own client
    /// (cookies) and the same database, clock, data directory path and `adjust`ed settings.
    /// Dropping it drops nothing of the first node's.
    pub async fn another_node(&self, adjust: impl FnOnce(Figment) -> Figment) -> TestApp {
        let figment = adjust(base_figment(self.data_dir.path(), &self.database_url));
        let rocket = app::build(figment, Arc::new(self.clock.clone()))
            .await
            .unwrap();
        TestApp {
            client: Client::tracked(rocket).await.unwrap(),
            clock: self.clock.clone(),
            data_dir: scratch_dir(),
            database_url: self.database_url.clone(),
            postgres: None,
        }
    }

    pub fn state(&self) -> &AppState {
        self.client.rocket().state::<AppState>().unwrap()
    }

    pub fn is_sqlite(&self) -> bool {
        self.postgres.is_none()
    }

    /// Counts the rows of `table`.
    pub async fn count(&self, table: &str) -> i64 {
        let db = self.state().db.conn();
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    }

    /// Everything the database holds, as text, for "never stored" checks: the raw SQLite files
    /// (write-ahead log included), or every PostgreSQL row cast to text.
    pub async fn dump_database(&self) -> String {
        let mut out = String::new();
        if self.is_sqlite() {
            for entry in std::fs::read_dir(self.data_dir.path()).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    out.push_str(&String::from_utf8_lossy(&std::fs::read(path).unwrap()));
                }
            }
            return out;
        }
        let db = self.state().db.conn();
        for table in APP_TABLES {
            let rows = db
                .query_all_raw(Statement::from_string(
                    db.get_database_backend(),
                    format!("SELECT CAST(t AS TEXT) AS r FROM {table} t"),
                ))
                .await
                .unwrap();
            for row in rows {
                out.push_str(&row.try_get::<String>("", "r").unwrap());
                out.push('\n');
            }
        }
        out
    }
}

impl TestApp {
    pub fn clock_unix(&self) -> u64 {
        use conduct_portal::platform::clock::Clock;
        self.clock.now().timestamp() as u64
    }
}

pub const APP_TABLES: &[&str] = &[
    "org_unit",
    "culture_chapter",
    "culture_article",
    "violation_category",
    "category_article",
    "holiday",
    "reference_seed",
    "reference_version",
    "report",
    "report_key",
    "reporter_identity",
    "case_event",
    "message",
    "staff_member",
    "app_user",
    "user_role",
    "inspection_team",
    "team_member",
    "recovery_code",
    "staff_session",
    "setup_token",
    "audit_log",
    "routing_rule",
    "case_file",
    "case_exclusion",
    "case_link",
    "case_name_key",
    "case_name_key_backfill",
    "case_status_count",
    "deadline_extension",
    "identity_request",
    "canned_reply",
    "internal_measure",
    "discipline_decision",
    "discipline_finding",
    "discipline_finding_article",
    "labour_rule",
    "culture_article_labour_rule",
    "discipline_decision_labour_rule",
    "procedure_step",
    "published_conclusion",
    "satisfaction_rating",
    "commendation",
    "case_rollup",
    "close_histogram",
    "due_rollup",
    "commendation_rollup",
    "intake_channel",
    "channel_rollup",
    "evidence_file",
    "notification",
    "notification_preference",
    "api_token",
    "api_idempotency",
    "shared_counter",
    "job_lease",
    "api_scope_request",
];

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(pg) = self.postgres.take() {
            postgres::drop_database(pg);
        }
    }
}

/// Where a restore goes: an empty data directory and an empty database (a SQLite file not yet
/// created, or a new PostgreSQL database with no table), for [`TestApp::spawn_on`] afterwards.
pub struct EmptyTarget {
    pub data_dir: tempfile::TempDir,
    pub database_url: String,
    postgres: Option<PostgresDb>,
}

impl EmptyTarget {
    pub async fn new() -> Self {
        let data_dir = scratch_dir();
        let (database_url, postgres) = match std::env::var("TEST_DATABASE_URL") {
            Ok(admin_url) if !admin_url.is_empty() => {
                let (url, db) = postgres::create_database(&admin_url, true).await;
                (url, Some(db))
            }
            _ => {
                let file = data_dir.path().join("portal.db");
                (format!("sqlite://{}?mode=rwc", file.display()), None)
            }
        };
        Self {
            data_dir,
            database_url,
            postgres,
        }
    }

    /// The settings a portal on this target runs with (the suite's keys).
    pub fn figment(&self) -> Figment {
        base_figment(self.data_dir.path(), &self.database_url)
    }
}

impl Drop for EmptyTarget {
    fn drop(&mut self) {
        if let Some(pg) = self.postgres.take() {
            postgres::drop_database(pg);
        }
    }
}

pub fn base_figment(data_dir: &std::path::Path, database_url: &str) -> Figment {
    rocket::Config::figment()
        .merge(("data_dir", data_dir.display().to_string()))
        .merge(("database_url", database_url))
        // Tests run the retention themselves, on the fixed clock.
        .merge(("retention.run_daily", false))
        // Tests send notifications themselves (`notify::send::send_due`), on the fixed clock.
        .merge(("notify_worker", false))
        .merge(("database_max_connections", 4))
        .merge(("master_key", MASTER_KEY))
        .merge(("receipt_key", RECEIPT_KEY))
        .merge(("secret_key", SECRET_KEY))
        .merge(("log_level", "off"))
        .merge(("argon2_concurrency", 2))
        // Servers always hash at the OWASP minimum (a unit test proves it); the suite's
        // hundreds of accounts and receipt codes would otherwise spend most of its time there.
        .merge(("argon2_test_cost", true))
}

/// A database nobody else uses: a SQLite file under `dir`, or a new PostgreSQL database.
async fn fresh_database(dir: &std::path::Path) -> (String, Option<PostgresDb>) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let (url, db) = postgres::create_database(&admin_url, false).await;
            (url, Some(db))
        }
        _ => {
            let file = dir.join("portal.db");
            std::fs::copy(sqlite_template().await, &file).unwrap();
            (format!("sqlite://{}?mode=rwc", file.display()), None)
        }
    }
}

static SQLITE_TEMPLATE: OnceCell<PathBuf> = OnceCell::const_new();

/// A SQLite database prepared once per run exactly as launch prepares one (migrations,
/// reference data, rollups), which every SQLite test copies instead of repeating the work.
async fn sqlite_template() -> &'static Path {
    SQLITE_TEMPLATE
        .get_or_init(|| async {
            let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
                .join(format!("sqlite-template-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            let url = format!("sqlite://{}?mode=rwc", dir.join("build.db").display());
            let clock = Arc::new(FixedClock::at(t0()));
            let (_, state) = app::prepare(base_figment(&dir, &url), clock).await.unwrap();
            let template = dir.join("template.db");
            // VACUUM INTO writes one consistent file, whatever is still in the write-ahead log.
            state
                .db
                .conn()
                .execute_unprepared(&format!("VACUUM INTO '{}'", template.display()))
                .await
                .unwrap();
            template
        })
        .await
}
