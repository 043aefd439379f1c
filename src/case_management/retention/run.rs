//! The retention run (daily, and `conduct-portal retention run [--dry-run]`): every ended case
//! whose purge is near is classed, warned about, held, or purged, by `domain::retention::step`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde::Serialize;

use super::{add_event, purge, Origin};
use crate::domain::calendar::local_date;
use crate::domain::retention::{self, RetentionClass, Step};
use crate::domain::status::CaseStatus;
use crate::domain::track::Track;
use crate::domain::workflow::Finding;
use crate::platform::persistence::entities::{case_file, discipline_decision};
use crate::web::error::AppResult;
use crate::web::state::AppState;

/// An ended case whose purge is due within the warning period (or overdue).
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub report_id: i32,
    pub reference: String,
    pub team_id: Option<i32>,
    pub class: RetentionClass,
    pub closed_on: NaiveDate,
    pub due: NaiveDate,
    pub warned_on: Option<NaiveDate>,
    pub hold: Option<String>,
    pub step: StepName,
}

/// What the run does (or would do) with a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepName {
    Wait,
    Warn,
    Purge,
    Held,
}

/// Counts of one run for one class.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub warned: usize,
    pub purged: usize,
    pub held: usize,
    pub waiting: usize,
}

/// Statuses after which nothing more happens to a case.
const ENDED: [CaseStatus; 3] = [
    CaseStatus::Closed,
    CaseStatus::Declined,
    CaseStatus::Terminated,
];

/// The ended, unpurged cases whose purge is due within the warning period, classed.
pub async fn candidates(state: &AppState, today: NaiveDate) -> AppResult<Vec<Candidate>> {
    let settings = &state.config.retention;
    let shortest = RetentionClass::ALL
        .into_iter()
        .map(|c| settings.years(c))
        .min()
        .unwrap_or(1);
    // A case closed after this cannot be within warning distance of any period.
    let horizon = today + Duration::days(i64::from(settings.warn_days) + 1);
    let latest = horizon
        .with_year(horizon.year() - shortest as i32)
        .unwrap_or(horizon - Duration::days(366 * i64::from(shortest)));
    let cutoff = latest.and_hms_opt(23, 59, 59).unwrap_or_default().and_utc();
    let cases = case_file::Entity::find()
        .filter(case_file::Column::Status.is_in(ENDED.map(|s| s.as_str())))
        .filter(case_file::Column::PurgedAt.is_null())
        .filter(
            sea_orm::Condition::any()
                .add(case_file::Column::ClosedAt.lte(cutoff))
                .add(
                    sea_orm::Condition::all()
                        .add(case_file::Column::ClosedAt.is_null())
                        .add(case_file::Column::UpdatedAt.lte(cutoff)),
                ),
        )
        .all(state.db.conn())
        .await?;
    let disciplined = disciplined(state, &cases).await?;
    let mut out = Vec::new();
    for case in cases {
        // A declined case has no closing time: it ended with its last change.
        let closed_on = local_date(case.closed_at.unwrap_or(case.updated_at));
        let substantiated = matches!(
            case.finding.as_deref().and_then(Finding::parse),
            Some(Finding::Substantiated | Finding::PartlySubstantiated)
        );
        let class = RetentionClass::of(
            Track::parse(&case.track) != Track::Tip,
            substantiated,
            disciplined.contains(&case.report_id),
        );
        let due = settings.due_on(class, closed_on);
        let held = case.legal_hold_reason.is_some();
        let step = match retention::step(settings, due, case.retention_warned_on, held, today) {
            Step::Keep if case.retention_warned_on.is_none() => continue,
            Step::Keep => StepName::Wait,
            Step::Warn { .. } => StepName::Warn,
            Step::Purge => StepName::Purge,
            Step::Held => StepName::Held,
        };
        out.push(Candidate {
            reference: crate::case_management::reference_of(&case),
            report_id: case.report_id,
            team_id: case.team_id,
            class,
            closed_on,
            due,
            warned_on: case.retention_warned_on,
            hold: case.legal_hold_reason,
            step,
        });
    }
    out.sort_by_key(|c| (c.due, c.report_id));
    Ok(out)
}

async fn disciplined(state: &AppState, cases: &[case_file::Model]) -> AppResult<BTreeSet<i32>> {
    let mut out = BTreeSet::new();
    for chunk in cases.chunks(500) {
        let ids: Vec<i32> = chunk.iter().map(|c| c.report_id).collect();
        out.extend(
            discipline_decision::Entity::find()
                .filter(discipline_decision::Column::ReportId.is_in(ids))
                .all(state.db.conn())
                .await?
                .into_iter()
                .map(|d| d.report_id),
        );
    }
    Ok(out)
}

/// Warns, purges and counts; with `dry_run`, only counts. Counts are per class, in
/// [`RetentionClass::ALL`] order.
pub async fn run(state: &AppState, dry_run: bool) -> AppResult<BTreeMap<&'static str, Counts>> {
    let now = state.clock.now();
    let today = local_date(now);
    let mut counts: BTreeMap<&'static str, Counts> = RetentionClass::ALL
        .into_iter()
        .map(|c| (c.as_str(), Counts::default()))
        .collect();
    for candidate in candidates(state, today).await? {
        let entry = counts.entry(candidate.class.as_str()).or_default();
        match candidate.step {
            StepName::Wait => entry.waiting += 1,
            StepName::Held => entry.held += 1,
            StepName::Warn => {
                entry.warned += 1;
                if !dry_run {
                    warn(state, candidate.report_id, today).await?;
                }
            }
            StepName::Purge => {
                entry.purged += 1;
                if !dry_run {
                    purge::purge(state, candidate.report_id, Origin::Retention).await?;
                }
            }
        }
    }
    if !dry_run {
        tracing::info!(?counts, "retention run finished");
    }
    Ok(counts)
}

async fn warn(state: &AppState, report_id: i32, today: NaiveDate) -> AppResult<()> {
    let tx = state.db.begin_write().await?;
    let Some(case) = case_file::Entity::find()
        .filter(case_file::Column::ReportId.eq(report_id))
        .one(&*tx)
        .await?
    else {
        return Ok(());
    };
    let now = state.clock.now();
    // The team leads hear of it (in their digest, if they chose one), once per case.
    for lead in crate::case_management::deadline_alerts::leads(&tx, &case).await? {
        let key = Some(format!("retention:{report_id}:{lead}"));
        crate::case_management::alerts::tell_user(
            &*tx,
            &state.config,
            now,
            &case,
            lead,
            "retention-warning",
            key,
        )
        .await?;
    }
    let mut active = case.into_active_model();
    active.retention_warned_on = Set(Some(today));
    active.update(&*tx).await?;
    add_event(&*tx, report_id, "retention_warned", "system", now).await?;
    tx.commit().await?;
    Ok(())
}
