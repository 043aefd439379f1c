//! Deadline alerts: once an hour the open cases' current deadline is checked, and the assignee
//! (or the team) is told when half, three quarters, nine tenths and all of its time has passed;
//! a team lead is told when a case is overdue. Each alert is written once per case, deadline
//! and threshold (the outbox's `dedupe_key`), so a new deadline after an extension alerts again.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter};

use crate::case_management::alerts::{self, team_of};
use crate::domain::calendar::local_date;
use crate::domain::status::CaseStatus;
use crate::platform::clock::SharedClock;
use crate::platform::config::Config;
use crate::platform::coordination::jobs;
use crate::platform::persistence::entities::{case_file, user_role};
use crate::platform::persistence::Db;

/// The thresholds, in percent of the time between start and deadline.
pub const THRESHOLDS: [u32; 4] = [50, 75, 90, 100];

/// The highest threshold reached on `today` by a deadline running from `start` to `due`.
pub fn reached(start: NaiveDate, due: NaiveDate, today: NaiveDate) -> Option<u32> {
    let total = (due - start).num_days().max(1);
    let used = (today - start).num_days();
    let percent = used.saturating_mul(100) / total;
    THRESHOLDS
        .into_iter()
        .rev()
        .find(|t| percent >= i64::from(*t))
}

/// The deadline a case runs against now and the day it started: acceptance while received,
/// resolution afterwards (none for a case without one).
fn current_deadline(case: &case_file::Model) -> Option<(NaiveDate, NaiveDate)> {
    let received = local_date(case.received_at);
    if case.status == CaseStatus::Received.as_str() {
        return Some((received, case.acceptance_due));
    }
    let start = case.accepted_on.unwrap_or(received);
    case.resolution_due.map(|due| (start, due))
}

/// Writes the alerts due on `now`'s day; returns how many cases were looked at.
pub async fn scan(db: &Db, config: &Config, now: DateTime<Utc>) -> Result<usize, DbErr> {
    let today = local_date(now);
    let open = [
        CaseStatus::Received,
        CaseStatus::Accepted,
        CaseStatus::Investigating,
        CaseStatus::AwaitingReporter,
    ]
    .map(|s| s.as_str());
    let cases = case_file::Entity::find()
        .filter(case_file::Column::Status.is_in(open))
        .filter(case_file::Column::PurgedAt.is_null())
        .all(db.conn())
        .await?;
    let tx = db.begin_write().await?;
    for case in &cases {
        let Some((start, due)) = current_deadline(case) else {
            continue;
        };
        if let Some(threshold) = reached(start, due, today) {
            let kind = match threshold {
                50 => "deadline-50",
                75 => "deadline-75",
                90 => "deadline-90",
                _ => "deadline-100",
            };
            let key = format!("deadline:{}:{due}:{threshold}", case.report_id);
            let who = match case.assignee_user_id {
                Some(user) => vec![user],
                None => team_of(&*tx, case).await?,
            };
            for user in who {
                let key = Some(format!("{key}:{user}"));
                alerts::tell_user(&*tx, config, now, case, user, kind, key).await?;
            }
        }
        if today > due {
            for lead in leads(&tx, case).await? {
                let key = Some(format!("overdue:{}:{due}:{lead}", case.report_id));
                alerts::tell_user(&*tx, config, now, case, lead, "case-overdue", key).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(cases.len())
}

/// The team leads of the case's team who may see it.
pub(crate) async fn leads(
    tx: &crate::platform::persistence::WriteTx,
    case: &case_file::Model,
) -> Result<Vec<i32>, DbErr> {
    let team = team_of(&**tx, case).await?;
    Ok(user_role::Entity::find()
        .filter(user_role::Column::UserId.is_in(team))
        .filter(user_role::Column::Role.eq("team_lead"))
        .all(&**tx)
        .await?
        .into_iter()
        .map(|r| r.user_id)
        .collect())
}

/// The hourly scan as a background job: one node of all runs each scan (`job_lease`).
pub const HOURLY_JOB: jobs::Job = jobs::Job {
    name: "deadline_alerts",
    every: chrono::Duration::hours(1),
    lease: chrono::Duration::minutes(30),
    poll: std::time::Duration::from_secs(5 * 60),
    first_poll_after: std::time::Duration::ZERO,
};

/// Runs the scan every hour, on whichever node claims it, until the process ends.
pub fn spawn_hourly(db: Db, config: Config, clock: SharedClock) {
    let (job_db, job_clock) = (db.clone(), clock.clone());
    jobs::spawn(job_db, job_clock, HOURLY_JOB, move || {
        let (db, config, clock) = (db.clone(), config.clone(), clock.clone());
        async move {
            if let Err(error) = scan(&db, &config, clock.now()).await {
                tracing::error!(error = %error, "the deadline alert scan failed");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, day).unwrap()
    }

    #[test]
    fn thresholds_are_reached_at_half_three_quarters_nine_tenths_and_the_deadline() {
        assert_eq!(reached(d(1), d(21), d(10)), None);
        assert_eq!(reached(d(1), d(21), d(11)), Some(50));
        assert_eq!(reached(d(1), d(21), d(16)), Some(75));
        assert_eq!(reached(d(1), d(21), d(19)), Some(90));
        assert_eq!(reached(d(1), d(21), d(21)), Some(100));
        assert_eq!(reached(d(1), d(21), d(25)), Some(100));
    }
}
