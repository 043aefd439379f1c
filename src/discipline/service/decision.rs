//! Decisions: the one measure applied to a person for one or more violations, under the
//! Labour Code rules of [`crate::domain::discipline`] (appeals are in [`super::appeal`]).
//! Recording a decision is a sequence of named steps inside one transaction: read the form
//! (`read_decision`) → load the violations handled together (`handled_violations`) and the
//! internal labour regulation articles setting each out (`basis::set_out`) → judge them
//! (`check_labour_code`) → store the decision with a copy of the regulation articles it cites
//! (`basis::cite`), mark its findings and audit (`write_decision`). A finding is handled by at
//! most one decision (a unique index backs the check).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, Set,
};
use serde::Serialize;
use serde_json::json;

use super::{
    eligible, finding_of_case, invalid, is_own_record, load_eligible, optional_text, parse_date,
    required_text, DisciplineError, Problem, Problems, DECISION_NUMBER_MAX, EXTENSION_MAX,
    MINUTES_MAX, SIGNER_MAX,
};
use crate::case_management::access::{load_case, Viewer};
use crate::domain::calendar::local_date;
use crate::domain::discipline::hearing::{Employee, Hearing, Representative};
use crate::domain::discipline::{
    self, AppealStatus, DecisionFacts, DisciplineSettings, DismissalGround, LawfulExtension,
    Measure, MeasureError, PriorRecord, ProtectedCheck, ProtectedState, Refusal, Ruling,
    ViolationFacts,
};
use crate::domain::ids::{CaseId, DecisionId, FindingId};
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{
    discipline_decision, discipline_finding, internal_measure, staff_member,
};
use crate::platform::persistence::is_duplicate;
use crate::platform::persistence::rules::load_calendar;
use crate::web::format::show_date;
use crate::web::state::AppState;

mod basis;
mod form;

use form::{check_internal_measures, read_decision};

/// The decision form as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DecisionInput {
    /// The measure proposed for the case's own violation (a choice code).
    pub measure: String,
    /// Other undecided findings of the same person handled together: finding id → choice.
    pub others: BTreeMap<i32, String>,
    pub deferral_months: String,
    pub decision_number: String,
    pub decision_date: String,
    pub signer_name: String,
    pub signer_title: String,
    pub representative_took_part: bool,
    pub employee_heard: bool,
    /// The reason the law accepts for the representative body not taking part, if any.
    pub representative_absence: String,
    /// The reason the law accepts for the employee not being heard, if any.
    pub employee_absence: String,
    pub minutes_reference: String,
    pub protected_state_checked: bool,
    pub protected_state_found: String,
    pub extension_reason: String,
    pub extension_legal_basis: String,
    /// The day the protected period ended (ISO date), for the 60 days of Art. 123(2).
    pub extension_period_ended: String,
    /// The Art. 125 ground of a dismissal (a [`DismissalGround`] code).
    pub dismissal_ground: String,
}

impl DecisionInput {
    /// Who took part in the meeting, as the form records it.
    pub fn hearing(&self) -> Hearing {
        Hearing {
            representative: Representative::of(
                self.representative_took_part,
                &self.representative_absence,
            ),
            employee: Employee::of(self.employee_heard, &self.employee_absence),
        }
    }
}

/// What was decided, for the flash and the tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub decision_id: DecisionId,
    pub measure: Measure,
    pub findings: Vec<FindingId>,
}

/// The form once read: what parsed (the problems with the rest are collected aside).
struct DecisionFields {
    primary: Option<Measure>,
    others: Vec<(i32, Measure)>,
    number: Option<String>,
    date: Option<NaiveDate>,
    signer_name: Option<String>,
    signer_title: Option<String>,
    minutes: Option<String>,
    found: Option<ProtectedState>,
    extension: Option<LawfulExtension>,
    dismissal_ground: Option<DismissalGround>,
}

/// The violations handled together, the case's own first, with their findings in the same
/// order.
struct Handled {
    violations: Vec<ViolationFacts>,
    findings: Vec<discipline_finding::Model>,
}

/// A decision every rule allows, ready to store.
struct Ready {
    number: String,
    date: NaiveDate,
    signer_name: String,
    signer_title: String,
    minutes: Option<String>,
    found: Option<ProtectedState>,
    extension: Option<LawfulExtension>,
    ruling: Ruling,
}

/// Records the decision for the person of `finding`, handling with it the other findings
/// chosen in `input.others`. Applies only the heaviest measure proposed.
pub async fn record_decision(
    state: &AppState,
    viewer: &Viewer,
    case: CaseId,
    finding: FindingId,
    input: &DecisionInput,
) -> Result<Recorded, DisciplineError> {
    let settings = &state.config.discipline;
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    load_eligible(&*tx, viewer, case).await?;
    let primary = finding_of_case(&*tx, case, finding).await?;
    // Every violation handled together is the same person's, so one check covers them all.
    if is_own_record(&*tx, viewer, primary.staff_member_id).await? {
        return Err(DisciplineError::Conflict(super::OWN_RECORD));
    }
    let mut problems = Problems::new();
    let fields = read_decision(input, settings.max_deferral_months, &mut problems);
    check_internal_measures(&*tx, &fields, &mut problems).await?;
    let mut handled = handled_violations(&*tx, viewer, &primary, &fields, &mut problems).await?;
    basis::set_out(&*tx, &mut handled).await?;
    let judged = Judged {
        today: local_date(now),
        checked: input.protected_state_checked,
        hearing: input.hearing(),
        holds_post: holds_post(&*tx, primary.staff_member_id).await?,
        prior: prior_records(&*tx, primary.staff_member_id).await?,
        settings,
    };
    let ruling = judged
        .check_labour_code(&*tx, &fields, &handled, &mut problems)
        .await?;
    let ready = fields.ready(ruling, problems)?;
    let decision = write_decision(&*tx, viewer, now, input, &primary, &ready, &handled).await?;
    tx.commit().await?;
    Ok(Recorded {
        decision_id: DecisionId(decision),
        measure: ready.ruling.measure,
        findings: handled.findings.iter().map(|f| FindingId(f.id)).collect(),
    })
}

// ---------------------------------------------------------------------------------------------
// Step 2: load the violations handled together
// ---------------------------------------------------------------------------------------------

/// The case's own violation, then the others chosen — each of the same person, visible to the
/// viewer, in a case that allows discipline.
async fn handled_violations<C: ConnectionTrait>(
    conn: &C,
    viewer: &Viewer,
    primary: &discipline_finding::Model,
    fields: &DecisionFields,
    problems: &mut Problems,
) -> Result<Handled, DbErr> {
    let mut handled = Handled {
        violations: Vec::new(),
        findings: Vec::new(),
    };
    if let Some(measure) = fields.primary {
        handled.push(primary.clone(), measure);
    }
    for (id, measure) in &fields.others {
        match other_violation(conn, viewer, primary, *id).await? {
            Some(other) => handled.push(other, *measure),
            None => {
                problems.insert("others", Problem::new("error-discipline-other-finding"));
            }
        }
    }
    Ok(handled)
}

impl Handled {
    /// Adds a violation; its limitation follows the finding's own answer (Art. 123(1)).
    fn push(&mut self, finding: discipline_finding::Model, measure: Measure) {
        self.violations.push(ViolationFacts {
            finding_id: finding.id,
            date: finding.violation_date,
            finance_assets_secrets: finding.finance_assets_secrets,
            already_decided: finding.decision_id.is_some(),
            measure,
            // Filled in by `basis::set_out` once every violation is loaded.
            labour_rules: BTreeSet::new(),
        });
        self.findings.push(finding);
    }
}

/// Another finding of the primary's person, when the viewer may open that case and it allows
/// discipline.
async fn other_violation<C: ConnectionTrait>(
    conn: &C,
    viewer: &Viewer,
    primary: &discipline_finding::Model,
    id: i32,
) -> Result<Option<discipline_finding::Model>, DbErr> {
    let other = discipline_finding::Entity::find_by_id(id)
        .one(conn)
        .await?
        .filter(|f| f.staff_member_id == primary.staff_member_id && f.id != primary.id);
    let Some(other) = other else {
        return Ok(None);
    };
    let visible = load_case(conn, viewer, other.report_id)
        .await
        .is_ok_and(|(c, _)| eligible(&c));
    Ok(visible.then_some(other))
}

// ---------------------------------------------------------------------------------------------
// Step 3: the Labour Code rules
// ---------------------------------------------------------------------------------------------

/// What the rules are judged against besides the form.
struct Judged<'a> {
    today: NaiveDate,
    /// The protected-state check was recorded as done.
    checked: bool,
    hearing: Hearing,
    /// The directory records the person as holding a managerial post (Art. 124).
    holds_post: bool,
    /// The person's earlier decisions (Art. 125(3)).
    prior: Vec<PriorRecord>,
    settings: &'a DisciplineSettings,
}

impl Judged<'_> {
    /// Applies [`discipline::rule`] when the form named a measure and a date; each refusal
    /// goes beside its field (the first problem of a field wins).
    async fn check_labour_code<C: ConnectionTrait>(
        &self,
        conn: &C,
        fields: &DecisionFields,
        handled: &Handled,
        problems: &mut Problems,
    ) -> Result<Option<Ruling>, DbErr> {
        let (Some(decision_date), Some(_)) = (fields.date, fields.primary) else {
            return Ok(None);
        };
        let calendar = load_calendar(conn).await?;
        let facts = DecisionFacts {
            today: self.today,
            decision_date,
            violations: &handled.violations,
            protected: ProtectedCheck {
                checked: self.checked,
                found: fields.found,
            },
            extension: fields.extension.as_ref(),
            minutes_recorded: fields.minutes.is_some(),
            hearing: self.hearing,
            holds_post: self.holds_post,
            dismissal_ground: fields.dismissal_ground,
            prior_records: &self.prior,
        };
        match discipline::rule(&facts, self.settings, &calendar) {
            Ok(ruling) => Ok(Some(ruling)),
            Err(refusals) => {
                for refusal in &refusals {
                    problems
                        .entry(refusal.field())
                        .or_insert_with(|| refusal_problem(refusal));
                }
                Ok(None)
            }
        }
    }
}

/// Whether the staff directory records the person as holding a managerial post.
async fn holds_post<C: ConnectionTrait>(conn: &C, staff_member_id: i32) -> Result<bool, DbErr> {
    Ok(staff_member::Entity::find_by_id(staff_member_id)
        .one(conn)
        .await?
        .is_some_and(|s| s.holds_post))
}

/// The person's earlier decisions, as Art. 125(3) reads them.
async fn prior_records<C: ConnectionTrait>(
    conn: &C,
    staff_member_id: i32,
) -> Result<Vec<PriorRecord>, DbErr> {
    Ok(discipline_decision::Entity::find()
        .filter(discipline_decision::Column::StaffMemberId.eq(staff_member_id))
        .all(conn)
        .await?
        .iter()
        .filter_map(|d| {
            Some(PriorRecord {
                measure: super::measure_of(d)?,
                decided: d.decision_date,
                clears_on: d.clears_on,
                appeal: AppealStatus::parse(&d.appeal_status).unwrap_or(AppealStatus::None),
            })
        })
        .collect())
}

/// Translates a rule's refusal into the message beside its field.
fn refusal_problem(refusal: &Refusal) -> Problem {
    match refusal {
        Refusal::TimeBarred {
            violation,
            last_day,
            months,
        } => Problem::with(
            refusal.message_key(),
            vec![
                ("violation", show_date(*violation)),
                ("last_day", show_date(*last_day)),
                ("months", months.to_string()),
            ],
        ),
        Refusal::ExtensionTooLong {
            period_ended,
            last_day,
        } => Problem::with(
            refusal.message_key(),
            vec![
                ("ended", show_date(*period_ended)),
                ("last_day", show_date(*last_day)),
            ],
        ),
        Refusal::DecisionBeforeViolation { violation } => Problem::with(
            refusal.message_key(),
            vec![("violation", show_date(*violation))],
        ),
        Refusal::NotSetOut { violation, .. } => Problem::with(
            refusal.message_key(),
            vec![("violation", show_date(*violation))],
        ),
        Refusal::ProtectedStateCurrent(state) => Problem {
            key_args: vec![("state", state.label_key())],
            ..Problem::new(refusal.message_key())
        },
        other => Problem::new(other.message_key()),
    }
}

impl DecisionFields {
    /// The decision to store, or every problem found.
    fn ready(self, ruling: Option<Ruling>, problems: Problems) -> Result<Ready, DisciplineError> {
        match (
            ruling,
            self.number,
            self.date,
            self.signer_name,
            self.signer_title,
        ) {
            (Some(ruling), Some(number), Some(date), Some(signer_name), Some(signer_title))
                if problems.is_empty() =>
            {
                Ok(Ready {
                    number,
                    date,
                    signer_name,
                    signer_title,
                    minutes: self.minutes,
                    found: self.found,
                    extension: self.extension,
                    ruling,
                })
            }
            _ => Err(DisciplineError::Invalid(problems)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Step 4: write and audit
// ---------------------------------------------------------------------------------------------

/// Stores the decision, marks the findings it handles and writes the audit entry; returns
/// the decision's id.
async fn write_decision<C: ConnectionTrait>(
    conn: &C,
    viewer: &Viewer,
    now: DateTime<Utc>,
    input: &DecisionInput,
    primary: &discipline_finding::Model,
    ready: &Ready,
    handled: &Handled,
) -> Result<i32, DisciplineError> {
    let decision = insert_decision(conn, viewer, now, input, primary, ready).await?;
    let labour_rules = basis::cite(conn, decision, &ready.ruling.labour_rules).await?;
    for (finding, facts) in handled.findings.iter().zip(&handled.violations) {
        let mut active = finding.clone().into_active_model();
        active.decision_id = Set(Some(decision));
        active.proposed_measure = Set(Some(facts.measure.choice()));
        active.updated_at = Set(now);
        active.update(conn).await?;
    }
    let proposed: Vec<_> = handled
        .violations
        .iter()
        .map(|v| json!({"finding_id": v.finding_id, "measure": v.measure.choice()}))
        .collect();
    audit::record(
        conn,
        now,
        Entry {
            actor: &viewer.user.actor(),
            action: "discipline_decision_recorded",
            object_type: "discipline_decision",
            object_id: Some(decision.to_string()),
            details: json!({
                "report_id": primary.report_id,
                "staff_member_id": primary.staff_member_id,
                "measure": ready.ruling.measure.choice(),
                "proposed": proposed,
                "decision_number": ready.number,
                "decision_date": ready.date.to_string(),
                "clears_on": ready.ruling.clears_on.map(|d| d.to_string()),
                "extension_used": ready.ruling.extension_used,
                "protected_state_found": ready.found.map(|s| s.as_str()),
                "dismissal_ground": ready.ruling.dismissal_ground.map(|g| g.as_str()),
                "labour_rules": labour_rules,
            }),
        },
    )
    .await?;
    Ok(decision)
}

/// The decision row; a second decision for the same violation is refused.
async fn insert_decision<C: ConnectionTrait>(
    conn: &C,
    viewer: &Viewer,
    now: DateTime<Utc>,
    input: &DecisionInput,
    primary: &discipline_finding::Model,
    ready: &Ready,
) -> Result<i32, DisciplineError> {
    let (months, internal_id) = match ready.ruling.measure {
        Measure::PayRiseDeferral { months } => (i32::try_from(months).ok(), None),
        Measure::Internal(id) => (None, Some(id)),
        _ => (None, None),
    };
    let extension = ready.extension.as_ref();
    let inserted = discipline_decision::ActiveModel {
        report_id: Set(primary.report_id),
        staff_member_id: Set(primary.staff_member_id),
        measure: Set(ready.ruling.measure.kind().to_string()),
        deferral_months: Set(months),
        internal_measure_id: Set(internal_id),
        decision_number: Set(ready.number.clone()),
        decision_date: Set(ready.date),
        signer_name: Set(ready.signer_name.clone()),
        signer_title: Set(ready.signer_title.clone()),
        representative_took_part: Set(input.representative_took_part),
        employee_heard: Set(input.employee_heard),
        representative_absence: Set(input.hearing().representative.reason().map(str::to_string)),
        employee_absence: Set(input.hearing().employee.reason().map(str::to_string)),
        minutes_reference: Set(ready.minutes.clone()),
        protected_state_checked: Set(input.protected_state_checked),
        protected_state_found: Set(ready
            .found
            .map(|s| s.as_str().to_string())
            .unwrap_or_default()),
        extension_reason: Set(extension.map(|e| e.reason.clone())),
        extension_legal_basis: Set(extension.map(|e| e.legal_basis.clone())),
        extension_period_ended: Set(extension.map(|e| e.period_ended)),
        dismissal_ground: Set(ready
            .ruling
            .dismissal_ground
            .map(|g| g.as_str().to_string())),
        appeal_status: Set(AppealStatus::None.as_str().to_string()),
        clears_on: Set(ready.ruling.clears_on),
        created_by: Set(viewer.user.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await;
    match inserted {
        Ok(row) => Ok(row.id),
        Err(e) if is_duplicate(&e) => Err(invalid(
            "measure",
            Problem::new("error-discipline-already-decided"),
        )),
        Err(e) => Err(e.into()),
    }
}
