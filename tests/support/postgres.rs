//! The PostgreSQL side of the harness: one template database per run, a database per test
//! copied from it, dropped when the test ends.
//!
//! Creating and dropping databases is what a PostgreSQL run spends its time on: `DROP DATABASE`
//! waits for a checkpoint, which syncs every file of every database just created (≈ 2.3 s a
//! test on the 2-core machine's disk). When the server runs on this machine and the harness may
//! hand it a directory (it runs as root, as in CI), the test databases live in a tablespace under
//! `/dev/shm`, where a sync costs nothing (≈ 0.2 s a drop). Nothing of a test's behaviour
//! depends on it; `CP_TEST_PG_TABLESPACE=off` keeps every database in the default tablespace.

use std::path::Path;
use std::sync::Arc;

use conduct_portal::app;
use conduct_portal::platform::clock::FixedClock;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use tokio::sync::OnceCell;

use super::{base_figment, scratch_dir, t0};

/// A test database, dropped by [`drop_database`].
pub(super) struct PostgresDb {
    pub(super) admin_url: String,
    pub(super) name: String,
}

const TABLESPACE: &str = "cp_test_ts";
const TABLESPACE_DIR: &str = "/dev/shm/cp-pg-tablespace";

/// What every test database is copied from, and where copies go.
struct Template {
    name: String,
    /// ` TABLESPACE cp_test_ts`, or nothing.
    placement: String,
}

static TEMPLATE: OnceCell<Template> = OnceCell::const_new();

/// A new database for one test: a copy of the run's template, or (`empty`) of `template0`.
pub(super) async fn create_database(admin_url: &str, empty: bool) -> (String, PostgresDb) {
    let template = template(admin_url).await;
    // The process id in the name tells a later run whether the owner is still alive.
    let name = format!(
        "cp_test_{}_{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    );
    let source = if empty { "template0" } else { &template.name };
    let admin = Database::connect(admin_url).await.unwrap();
    admin
        .execute_unprepared(&format!(
            "CREATE DATABASE {name} TEMPLATE {source}{}",
            template.placement
        ))
        .await
        .unwrap();
    // A test's commits need not wait for the server's disk: with this off a crash of the test
    // server can lose its last commits, never make them half-applied.
    admin
        .execute_unprepared(&format!(
            "ALTER DATABASE {name} SET synchronous_commit = off"
        ))
        .await
        .unwrap();
    admin.close().await.unwrap();
    let db = PostgresDb {
        admin_url: admin_url.to_string(),
        name: name.clone(),
    };
    (database_url_of(admin_url, &name), db)
}

/// Drops a test database from a separate runtime; FORCE ends the pool's sessions.
pub(super) fn drop_database(pg: PostgresDb) {
    let _ = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            if let Ok(admin) = Database::connect(&pg.admin_url).await {
                let _ = admin
                    .execute_unprepared(&format!(
                        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                        pg.name
                    ))
                    .await;
                let _ = admin.close().await;
            }
        });
    })
    .join();
}

/// `admin_url` with its database replaced by `name`.
fn database_url_of(admin_url: &str, name: &str) -> String {
    let base = admin_url
        .rsplit_once('/')
        .map(|(base, _)| base.to_string())
        .unwrap_or(admin_url.to_string());
    format!("{base}/{name}")
}

/// The run's template: a database prepared once exactly as launch prepares one (migrations,
/// reference data, rollups), which `CREATE DATABASE … TEMPLATE` copies for each test. Its name
/// starts with `cp_test_`, so the next CI run drops it with the other leftovers.
async fn template(admin_url: &str) -> &'static Template {
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("cp_test_template_{}", std::process::id());
            let admin = Database::connect(admin_url).await.unwrap();
            drop_earlier_templates(&admin).await;
            let placement = match in_memory_tablespace(&admin).await {
                Some(tablespace) => format!(" TABLESPACE {tablespace}"),
                None => String::new(),
            };
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}{placement}"))
                .await
                .unwrap();
            admin.close().await.unwrap();
            let dir = scratch_dir();
            let url = database_url_of(admin_url, &name);
            let clock = Arc::new(FixedClock::at(t0()));
            let (_, state) = app::prepare(base_figment(dir.path(), &url), clock)
                .await
                .unwrap();
            // A template may have no other session while it is copied.
            state.db.conn().clone().close().await.unwrap();
            Template { name, placement }
        })
        .await
}

/// Templates of earlier runs that have ended. One still being copied by a concurrent run
/// refuses to go, which is fine; a run that is alive (another worktree) keeps its own.
async fn drop_earlier_templates(admin: &DatabaseConnection) {
    let earlier = names(
        admin,
        "SELECT datname AS name FROM pg_database WHERE datname LIKE 'cp_test_template_%'",
    )
    .await;
    for old in earlier {
        let owner = old.trim_start_matches("cp_test_template_");
        if Path::new("/proc").join(owner).exists() {
            continue;
        }
        let _ = admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {old}"))
            .await;
    }
}

/// The tablespace under `/dev/shm`, created when missing; `None` where the server is not on
/// this machine, the directory cannot be given to it, or `CP_TEST_PG_TABLESPACE=off`.
async fn in_memory_tablespace(admin: &DatabaseConnection) -> Option<&'static str> {
    if std::env::var("CP_TEST_PG_TABLESPACE").is_ok_and(|v| v == "off") {
        return None;
    }
    let data_dir = names(
        admin,
        "SELECT setting AS name FROM pg_settings WHERE name = 'data_directory'",
    )
    .await
    .pop()?;
    let dir = Path::new(TABLESPACE_DIR);
    let existing = names(
        admin,
        &format!("SELECT pg_tablespace_location(oid) AS name FROM pg_tablespace WHERE spcname = '{TABLESPACE}'"),
    )
    .await;
    // After a reboot the catalogue still names a directory that /dev/shm has lost.
    if !existing.is_empty() && !dir.is_dir() {
        for db in names(admin, &format!("SELECT datname AS name FROM pg_database d JOIN pg_tablespace t ON d.dattablespace = t.oid WHERE t.spcname = '{TABLESPACE}'")).await {
            let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")).await;
        }
        admin
            .execute_unprepared(&format!("DROP TABLESPACE IF EXISTS {TABLESPACE}"))
            .await
            .ok()?;
    } else if !existing.is_empty() {
        return Some(TABLESPACE);
    }
    give_directory(dir, Path::new(&data_dir)).ok()?;
    let created = admin
        .execute_unprepared(&format!(
            "CREATE TABLESPACE {TABLESPACE} LOCATION '{TABLESPACE_DIR}'"
        ))
        .await;
    // A concurrent run may have created it a moment ago.
    let exists = !names(
        admin,
        &format!("SELECT spcname AS name FROM pg_tablespace WHERE spcname = '{TABLESPACE}'"),
    )
    .await
    .is_empty();
    (created.is_ok() || exists).then_some(TABLESPACE)
}

/// Creates `dir` owned by whoever owns the server's data directory (which must be on this
/// machine).
fn give_directory(dir: &Path, data_dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let owner = std::fs::metadata(data_dir)?;
    std::fs::create_dir_all(dir)?;
    std::os::unix::fs::chown(dir, Some(owner.uid()), Some(owner.gid()))?;
    std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o700))
}

/// The `name` column of every row `sql` returns.
async fn names(admin: &DatabaseConnection, sql: &str) -> Vec<String> {
    admin
        .query_all_raw(Statement::from_string(admin.get_database_backend(), sql))
        .await
        .map(|rows| {
            rows.iter()
                .filter_map(|row| row.try_get::<String>("", "name").ok())
                .collect()
        })
        .unwrap_or_default()
}
