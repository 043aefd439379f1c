//! Background jobs that exactly one node runs each time, whatever the number of nodes.
//!
//! Each job has one `job_lease` row. Every node polls; a poll claims the row with a single
//! `UPDATE … WHERE next_run_at <= now AND (lease expired or none) `, which at most one node's
//! statement can match (the row lock serialises them and the second sees the lease), runs the
//! job, then releases the lease and sets the next run. A node that dies mid-run holds the lease
//! only until `lease_until`, after which another node claims the job again. The same table
//! serves SQLite (one node, or command-line runs beside it), under the writer lock.

use std::future::Future;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DbErr, Statement};

use crate::platform::clock::SharedClock;
use crate::platform::persistence::Db;

/// A periodic job: its name (the lease row), how often it runs across all nodes, how long a
/// claim lasts before another node may take over, and how often each node asks.
#[derive(Debug, Clone, Copy)]
pub struct Job {
    pub name: &'static str,
    pub every: Duration,
    pub lease: Duration,
    pub poll: StdDuration,
    /// Delay before a node's first poll.
    pub first_poll_after: StdDuration,
}

/// Who holds a lease: this process, named so an operator can tell nodes apart.
pub fn holder_name() -> String {
    static NAME: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    NAME.get_or_init(|| {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "node".into());
        let id = uuid::Uuid::new_v4().simple().to_string();
        format!(
            "{}:{}:{}",
            truncate(&host, 40),
            std::process::id(),
            &id[..8]
        )
    })
    .clone()
}

fn truncate(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

fn placeholders(db: &Db) -> impl Fn(usize) -> String {
    let postgres = db.backend() == sea_orm::DatabaseBackend::Postgres;
    move |n| {
        if postgres {
            format!("${n}")
        } else {
            "?".into()
        }
    }
}

/// Claims `job` for `holder` at `now` when a run is due and nobody holds a live lease.
pub async fn claim(db: &Db, job: &Job, holder: &str, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let p = placeholders(db);
    let tx = db.begin_write().await?;
    tx.execute_raw(Statement::from_sql_and_values(
        db.backend(),
        format!(
            "INSERT INTO job_lease (name, runs) VALUES ({}, 0) ON CONFLICT (name) DO NOTHING",
            p(1)
        ),
        [job.name.into()],
    ))
    .await?;
    let claimed = tx
        .execute_raw(Statement::from_sql_and_values(
            db.backend(),
            format!(
                "UPDATE job_lease SET holder = {}, lease_until = {}, last_started_at = {}, \
                 runs = runs + 1 WHERE name = {} \
                 AND (next_run_at IS NULL OR next_run_at <= {}) \
                 AND (lease_until IS NULL OR lease_until <= {})",
                p(1),
                p(2),
                p(3),
                p(4),
                p(5),
                p(6)
            ),
            [
                holder.into(),
                (now + job.lease).into(),
                now.into(),
                job.name.into(),
                now.into(),
                now.into(),
            ],
        ))
        .await?
        .rows_affected()
        == 1;
    tx.commit().await?;
    Ok(claimed)
}

/// Ends `holder`'s run of `job` (started at `started`): the lease goes and the next run is due
/// `every` after the start, less a tenth so that nodes polling at that pace do not skip one.
pub async fn finish(
    db: &Db,
    job: &Job,
    holder: &str,
    started: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let p = placeholders(db);
    let next = started + job.every - job.every / 10;
    let tx = db.begin_write().await?;
    tx.execute_raw(Statement::from_sql_and_values(
        db.backend(),
        format!(
            "UPDATE job_lease SET holder = NULL, lease_until = NULL, next_run_at = {}, \
             last_finished_at = {} WHERE name = {} AND holder = {}",
            p(1),
            p(2),
            p(3),
            p(4)
        ),
        [next.into(), now.into(), job.name.into(), holder.into()],
    ))
    .await?;
    tx.commit().await
}

/// Claims and runs `job` once if it is due: `Ok(true)` when this call ran it.
pub async fn run_if_due<F, Fut>(
    db: &Db,
    job: &Job,
    holder: &str,
    clock: &SharedClock,
    run: F,
) -> Result<bool, DbErr>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = ()>,
{
    let started = clock.now();
    if !claim(db, job, holder, started).await? {
        return Ok(false);
    }
    run().await;
    finish(db, job, holder, started, clock.now()).await?;
    Ok(true)
}

/// Polls `job` on this node until the process ends, running it whenever this node wins the
/// claim. `run` logs its own failures; a failed claim is logged and tried at the next poll.
pub fn spawn<F, Fut>(db: Db, clock: SharedClock, job: Job, mut run: F)
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        let holder = holder_name();
        let mut every =
            tokio::time::interval_at(tokio::time::Instant::now() + job.first_poll_after, job.poll);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(error) = run_if_due(&db, &job, &holder, &clock, &mut run).await {
                tracing::error!(job = job.name, error = %error, "claiming a background job failed");
            }
        }
    });
}
