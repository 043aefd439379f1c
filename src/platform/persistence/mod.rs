//! The database: connecting with durable settings, applying migrations at launch, and the
//! write-transaction discipline every service follows.
//!
//! SQLite runs with `foreign_keys=ON`, `journal_mode=WAL`, `synchronous=FULL` and a busy timeout
//! on every pooled connection, and reads memory-mapped. SQLite allows one writer at a time and a deferred transaction that
//! reads before it writes can fail instead of waiting, so write transactions on SQLite take a
//! process-wide async lock first and begin `IMMEDIATE` (the write lock before the first read,
//! so a write from outside the lock, or from another process, is waited for); PostgreSQL needs
//! neither.

pub mod entities;
pub mod reference;
pub mod rules;
pub mod snapshot;

use std::sync::Arc;
use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// The pool plus the SQLite writer lock.
#[derive(Clone)]
pub struct Db {
    conn: DatabaseConnection,
    sqlite_writer: Option<Arc<Mutex<()>>>,
}

/// A transaction that may write. Dropped without `commit`, it rolls back.
pub struct WriteTx {
    tx: DatabaseTransaction,
    _writer: Option<OwnedMutexGuard<()>>,
}

impl std::ops::Deref for WriteTx {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.tx.commit().await
    }
}

/// One plain connection to a PostgreSQL server before the pool is made. The pool retries a
/// refused or unresolvable server until its timeout and then says only "pool timed out"; this
/// fails at once with the cause (refused, unknown host, wrong password, no such database).
async fn probe_postgres(url: &str) -> Result<(), DbErr> {
    use sea_orm::sqlx::{postgres::PgConnection, Connection};
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Ok(());
    }
    let failed = |cause: String| DbErr::Conn(sea_orm::RuntimeErr::Internal(cause));
    match tokio::time::timeout(Duration::from_secs(10), PgConnection::connect(url)).await {
        Ok(Ok(conn)) => conn.close().await.map_err(|e| failed(e.to_string())),
        Ok(Err(error)) => Err(failed(error.to_string())),
        Err(_) => Err(failed("no answer within 10 seconds".into())),
    }
}

/// SQLite's memory map by default, MiB (setting `sqlite_mmap_mib`).
pub const DEFAULT_SQLITE_MMAP_MIB: u64 = 256;

impl Db {
    /// Connects with the durable settings described above and SQLite's default memory map.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, DbErr> {
        Self::connect_mapped(url, max_connections, DEFAULT_SQLITE_MMAP_MIB).await
    }

    /// [`Db::connect`], reading up to `sqlite_mmap_mib` MiB of a SQLite file through a memory
    /// map (0: through SQLite's own page cache only). Mapped pages count in the server's
    /// resident memory; they are the OS's file cache, shared and reclaimable.
    pub async fn connect_mapped(
        url: &str,
        max_connections: u32,
        sqlite_mmap_mib: u64,
    ) -> Result<Self, DbErr> {
        probe_postgres(url).await?;
        let mmap_bytes = sqlite_mmap_mib.saturating_mul(1024 * 1024).to_string();
        let mut options = ConnectOptions::new(url.to_string());
        options
            .max_connections(max_connections)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(30))
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(move |opts| {
                opts.foreign_keys(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .busy_timeout(Duration::from_secs(15))
                    // Read through the OS page cache instead of SQLite's small default cache:
                    // large inbox scans stay in memory (see docs/performance.md).
                    .pragma("mmap_size", mmap_bytes.clone())
                    // Deleted or rewritten content (sessions, text sealed at start-up) is
                    // overwritten, not left readable in free pages.
                    .pragma("secure_delete", "on")
                    .create_if_missing(true)
            })
            // Statements are prepared once per connection; after five runs PostgreSQL may
            // switch to a generic plan that ignores the bound values. The inbox's text search
            // (docs/performance.md, "Inbox text search through an index") needs the values: a
            // common word must not be looked up in the GIN index (188 ms instead of 9 ms).
            .map_sqlx_postgres_opts(|opts| {
                opts.options([("plan_cache_mode", "force_custom_plan")])
            });
        let conn = Database::connect(options).await?;
        let sqlite_writer = (conn.get_database_backend() == DatabaseBackend::Sqlite)
            .then(|| Arc::new(Mutex::new(())));
        Ok(Self {
            conn,
            sqlite_writer,
        })
    }

    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    pub fn backend(&self) -> DatabaseBackend {
        self.conn.get_database_backend()
    }

    /// Begins a transaction that will write; see the module documentation.
    pub async fn begin_write(&self) -> Result<WriteTx, DbErr> {
        let writer = match &self.sqlite_writer {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        // IMMEDIATE: the write lock is taken at BEGIN, waiting out the busy timeout, before
        // the transaction reads anything. A deferred transaction that read first and then found
        // that a write outside this lock (a session's last-seen stamp, another process such as
        // a CLI command) had committed meanwhile failed at once with SQLITE_BUSY_SNAPSHOT: one
        // check-in or note in about a thousand under 200 users (docs/load-test.md).
        let tx = if writer.is_some() {
            self.conn
                .begin_with_options(TransactionOptions {
                    sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                    ..TransactionOptions::default()
                })
                .await?
        } else {
            self.conn.begin().await?
        };
        Ok(WriteTx {
            tx,
            _writer: writer,
        })
    }

    /// Applies every pending migration; launch stops when one fails.
    pub async fn migrate(&self) -> Result<(), DbErr> {
        Migrator::up(&self.conn, None).await
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        self.conn.ping().await.is_ok()
    }
}

/// True when a database error is a unique-constraint violation (a concurrent duplicate, or a
/// code that is already taken).
pub fn is_duplicate(error: &DbErr) -> bool {
    matches!(
        error.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}
