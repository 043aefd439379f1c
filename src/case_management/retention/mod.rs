//! Retention of closed cases' personal data (`domain::retention`): the daily run that warns the
//! team leads and then purges by crypto-shredding, legal holds, the erasure of a reporter's
//! identity, and the replay of the erasure ledger after a restore.
//!
//! Invariants: an erasure is written to the ledger (`platform::privacy`) before its
//! transaction commits; a purge never touches what the figures are computed from (dates, unit,
//! category, track, status, finding, kind), so the dashboard and transparency figures of past
//! months do not change; a case under a legal hold is never purged.

pub mod hold;
pub mod identity;
pub mod page;
pub mod purge;
pub mod run;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseBackend, Set};

use crate::platform::audit::Actor;
use crate::platform::coordination::jobs;
use crate::platform::persistence::entities::case_event;
use crate::platform::privacy::{Erasure, Ledger, LedgerEntry};
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

/// Who erases, which decides whether the erasure ledger gets a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The reporter, through their receipt.
    Reporter,
    /// The retention run (daily job or the command line).
    Retention,
    /// A restore replaying the ledger: already recorded there.
    Replay,
}

impl Origin {
    fn record(
        self,
        state: &AppState,
        kind: Erasure,
        report: i32,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        if self == Origin::Replay {
            return Ok(());
        }
        ledger(state)
            .append(&LedgerEntry { at, kind, report })
            .map_err(AppError::internal)
    }

    fn actor_kind(self) -> &'static str {
        match self {
            Origin::Reporter => "reporter",
            Origin::Retention | Origin::Replay => "system",
        }
    }

    fn audit_actor(self) -> Actor {
        match self {
            Origin::Reporter => Actor::Claimed("reporter".into()),
            Origin::Retention | Origin::Replay => Actor::System,
        }
    }
}

/// The configured erasure ledger.
pub fn ledger(state: &AppState) -> Ledger {
    Ledger::new(state.config.privacy.ledger_path(&state.config.data_dir))
}

/// Re-applies, in order, every ledger entry (those newer than a restored backup): purges and
/// identity withdrawals that the backup predates. Entries already applied change nothing; the
/// ledger is not written again; an entry about a report the database does not hold changes
/// nothing. Returns how many entries changed something.
pub async fn replay(state: &AppState, entries: &[LedgerEntry]) -> AppResult<usize> {
    let mut changed = 0;
    for entry in entries {
        let outcome = match entry.kind {
            Erasure::Purge => purge::purge(state, entry.report, Origin::Replay).await,
            Erasure::IdentityWithdrawal => {
                identity::withdraw(state, entry.report, Origin::Replay).await
            }
        };
        // A report the database does not hold (filed after the backup) has nothing to erase.
        let done = match outcome {
            Err(AppError::NotFound) => false,
            other => other?,
        };
        changed += usize::from(done);
    }
    Ok(changed)
}

async fn add_event<C: ConnectionTrait>(
    conn: &C,
    report_id: i32,
    kind: &str,
    actor_kind: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    case_event::ActiveModel {
        report_id: Set(report_id),
        kind: Set(kind.to_string()),
        actor_kind: Set(actor_kind.to_string()),
        actor_user_id: Set(None),
        visible_to_reporter: Set(kind == "identity_withdrawn"),
        detail: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// After an erasure committed: SQLite (which zeroes freed space, `secure_delete`) moves the
/// write-ahead log into the database and truncates it, so no earlier page version stays in the
/// log file; PostgreSQL vacuums the tables that held the erased rows. Best effort: the erased
/// data are already unreadable (the key or the rows are gone), this only shortens how long
/// their bytes linger.
async fn after_erasure(state: &AppState) {
    let conn = state.db.conn();
    let statements: &[&str] = match conn.get_database_backend() {
        DatabaseBackend::Sqlite => &["PRAGMA wal_checkpoint(TRUNCATE)"],
        _ => &[
            "VACUUM report, report_key, reporter_identity, message, case_file, case_event, \
             evidence_file, satisfaction_rating, published_conclusion, deadline_extension",
        ],
    };
    for statement in statements {
        if let Err(error) = conn.execute_unprepared(statement).await {
            tracing::warn!(error = %error, "cleaning up after an erasure failed");
        }
    }
}

/// The daily run as a background job: one node of all runs it once a day (`job_lease`).
pub const DAILY_JOB: jobs::Job = jobs::Job {
    name: "retention",
    every: chrono::Duration::hours(24),
    lease: chrono::Duration::hours(6),
    poll: std::time::Duration::from_secs(15 * 60),
    first_poll_after: std::time::Duration::from_secs(3600),
};

/// The daily run inside the portal (`retention.run_daily`): each node asks from an hour after
/// its start, every quarter of an hour, and whichever claims the due run does it (once a day
/// across all nodes). A failed run is logged and tried again the next day; nothing is lost,
/// the run picks up whatever is due.
pub fn spawn_daily(state: AppState) {
    if !state.config.retention.run_daily {
        return;
    }
    let (db, clock) = (state.db.clone(), state.clock.clone());
    let state = std::sync::Arc::new(state);
    jobs::spawn(db, clock, DAILY_JOB, move || {
        let state = state.clone();
        async move {
            if let Err(error) = run::run(&state, false).await {
                tracing::error!(error = %error, "the retention run failed");
            }
        }
    });
}
