//! Reads and writes of the discipline slice. Every write opens one transaction that loads the
//! case through [`load_case`] (so access is re-checked), applies the rules of
//! [`crate::domain::discipline`], stores the rows and appends the audit entry before commit.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use serde_json::json;

use crate::case_management::access::{load_case, Viewer};
use crate::case_management::intake::load_calendar;
use crate::domain::calendar::local_date;
use crate::domain::culture_code::version_in_force;
use crate::domain::discipline::{
    self, AppealStatus, DecisionFacts, LawfulExtension, Measure, ProtectedCheck, ProtectedState,
    Refusal, ViolationFacts,
};
use crate::domain::report::clean_text;
use crate::domain::status::CaseStatus;
use crate::domain::workflow::Finding;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{
    app_user, case_file, culture_article, discipline_decision, discipline_finding,
    discipline_finding_article, internal_measure, report, staff_member, violation_category,
};
use crate::platform::persistence::is_duplicate;
use crate::web::error::AppError;
use crate::web::format::show_date;
use crate::web::i18n::Lang;
use crate::web::state::AppState;

/// Longest decision number (the column's width).
pub const DECISION_NUMBER_MAX: usize = 64;
/// Longest signer name or title.
pub const SIGNER_MAX: usize = 200;
/// Longest minutes reference.
pub const MINUTES_MAX: usize = 100;
/// Longest extension reason or legal basis.
pub const EXTENSION_MAX: usize = 2000;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// A message for the user: a catalogue key and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
    /// Arguments that are themselves catalogue keys, translated with the message.
    pub key_args: Vec<(&'static str, String)>,
}

impl Problem {
    pub fn new(key: &'static str) -> Self {
        Self::with(key, Vec::new())
    }

    pub fn with(key: &'static str, args: Vec<(&'static str, String)>) -> Self {
        Self {
            key,
            args,
            key_args: Vec::new(),
        }
    }

    pub fn text(&self, lang: Lang) -> String {
        let mut args = self.args.clone();
        args.extend(self.key_args.iter().map(|(name, key)| (*name, lang.t(key))));
        lang.t_args(self.key, &args)
    }
}

/// Form field → what is wrong with it.
pub type Problems = BTreeMap<&'static str, Problem>;

/// Why a discipline write did not happen.
#[derive(Debug)]
pub enum DisciplineError {
    /// Fields to correct, or rules that refuse it: 422, the form again with the messages.
    Invalid(Problems),
    /// The case is not concluded as (partly) substantiated: 409.
    NotEligible,
    /// Not possible in the record's current state: 409 with the catalogue key.
    Conflict(&'static str),
    Other(AppError),
}

impl From<AppError> for DisciplineError {
    fn from(e: AppError) -> Self {
        DisciplineError::Other(e)
    }
}

impl From<DbErr> for DisciplineError {
    fn from(e: DbErr) -> Self {
        DisciplineError::Other(e.into())
    }
}

fn invalid(field: &'static str, problem: Problem) -> DisciplineError {
    DisciplineError::Invalid(Problems::from([(field, problem)]))
}

// ---------------------------------------------------------------------------------------------
// The case
// ---------------------------------------------------------------------------------------------

/// Discipline follows a conclusion that the report was substantiated, fully or in part.
pub fn eligible(case: &case_file::Model) -> bool {
    let concluded = matches!(
        case.status.parse::<CaseStatus>(),
        Ok(CaseStatus::Concluded | CaseStatus::Closed)
    );
    let substantiated = matches!(
        case.finding.as_deref().and_then(Finding::parse),
        Some(Finding::Substantiated | Finding::PartlySubstantiated)
    );
    concluded && substantiated
}

/// The case when `viewer` may see it (else 404) and it allows discipline (else 409).
pub async fn load_eligible<C: ConnectionTrait>(
    conn: &C,
    viewer: &Viewer,
    report_id: i32,
) -> Result<(case_file::Model, report::Model), DisciplineError> {
    let (case, report) = load_case(conn, viewer, report_id).await?;
    if !eligible(&case) {
        return Err(DisciplineError::NotEligible);
    }
    Ok((case, report))
}

/// Whether the case's category ties violations to finance, assets or secrets (12 months).
async fn finance_flag<C: ConnectionTrait>(conn: &C, category_id: i32) -> Result<bool, DbErr> {
    Ok(violation_category::Entity::find_by_id(category_id)
        .one(conn)
        .await?
        .is_some_and(|c| c.finance_assets_secrets))
}

/// Looks a staff member up by employee number (case and spaces ignored).
pub async fn staff_by_number<C: ConnectionTrait>(
    conn: &C,
    number: &str,
) -> Result<Option<staff_member::Model>, DbErr> {
    let number = number.trim().to_uppercase();
    if number.is_empty() {
        return Ok(None);
    }
    staff_member::Entity::find()
        .filter(staff_member::Column::EmployeeNumber.eq(number.as_str()))
        .one(conn)
        .await
}

// ---------------------------------------------------------------------------------------------
// Findings
// ---------------------------------------------------------------------------------------------

/// The finding form as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FindingInput {
    pub employee_number: String,
    pub violation_date: String,
    pub articles: Vec<String>,
}

/// Parses an ISO date (what `<input type="date">` sends).
fn parse_date(raw: &str) -> Result<NaiveDate, Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Problem::new("error-discipline-date-required"));
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| Problem::new("error-discipline-date-invalid"))
}

/// The version of each article key in force on `on`; keys with none are reported.
async fn articles_in_force<C: ConnectionTrait>(
    conn: &C,
    keys: &BTreeSet<String>,
    on: NaiveDate,
) -> Result<Result<Vec<culture_article::Model>, Problem>, DbErr> {
    let mut chosen = Vec::new();
    for key in keys {
        let versions = culture_article::Entity::find()
            .filter(culture_article::Column::ArticleKey.eq(key.as_str()))
            .all(conn)
            .await?;
        match version_in_force(&versions, on) {
            Some(version) => chosen.push(version.clone()),
            None => {
                return Ok(Err(Problem::with(
                    "error-discipline-article-not-in-force",
                    vec![("key", key.clone()), ("date", show_date(on))],
                )))
            }
        }
    }
    Ok(Ok(chosen))
}

/// Records what the case established about one staff member.
pub async fn record_finding(
    state: &AppState,
    viewer: &Viewer,
    report_id: i32,
    input: &FindingInput,
) -> Result<i32, DisciplineError> {
    let now = state.clock.now();
    let today = local_date(now);
    let tx = state.db.begin_write().await?;
    load_eligible(&*tx, viewer, report_id).await?;
    let mut problems = Problems::new();

    let staff = staff_by_number(&*tx, &input.employee_number).await?;
    match &staff {
        None if input.employee_number.trim().is_empty() => {
            problems.insert(
                "employee_number",
                Problem::new("error-discipline-staff-required"),
            );
        }
        None => {
            problems.insert(
                "employee_number",
                Problem::new("error-discipline-staff-unknown"),
            );
        }
        Some(staff) => {
            let own = app_user::Entity::find_by_id(viewer.user.id)
                .one(&*tx)
                .await?
                .and_then(|u| u.staff_member_id)
                == Some(staff.id);
            if own {
                problems.insert(
                    "employee_number",
                    Problem::new("error-discipline-own-record"),
                );
            } else if discipline_finding::Entity::find()
                .filter(discipline_finding::Column::ReportId.eq(report_id))
                .filter(discipline_finding::Column::StaffMemberId.eq(staff.id))
                .one(&*tx)
                .await?
                .is_some()
            {
                problems.insert(
                    "employee_number",
                    Problem::new("error-discipline-finding-exists"),
                );
            }
        }
    }
    let date = match parse_date(&input.violation_date) {
        Ok(date) if date > today => {
            problems.insert(
                "violation_date",
                Problem::new("error-discipline-violation-future"),
            );
            None
        }
        Ok(date) => Some(date),
        Err(problem) => {
            problems.insert("violation_date", problem);
            None
        }
    };
    let keys: BTreeSet<String> = input
        .articles
        .iter()
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty())
        .collect();
    let mut versions = Vec::new();
    if keys.is_empty() {
        problems.insert(
            "articles",
            Problem::new("error-discipline-articles-required"),
        );
    } else if let Some(date) = date {
        match articles_in_force(&*tx, &keys, date).await? {
            Ok(found) => versions = found,
            Err(problem) => {
                problems.insert("articles", problem);
            }
        }
    }
    let (Some(staff), Some(date), true) = (staff, date, problems.is_empty()) else {
        return Err(DisciplineError::Invalid(problems));
    };

    let inserted = discipline_finding::ActiveModel {
        report_id: Set(report_id),
        staff_member_id: Set(staff.id),
        violation_date: Set(date),
        decision_id: Set(None),
        proposed_measure: Set(None),
        created_by: Set(viewer.user.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await;
    let finding = match inserted {
        Ok(row) => row,
        Err(e) if is_duplicate(&e) => {
            return Err(invalid(
                "employee_number",
                Problem::new("error-discipline-finding-exists"),
            ))
        }
        Err(e) => return Err(e.into()),
    };
    for version in &versions {
        discipline_finding_article::ActiveModel {
            finding_id: Set(finding.id),
            article_id: Set(version.id),
            article_key: Set(version.article_key.clone()),
            ..Default::default()
        }
        .insert(&*tx)
        .await?;
    }
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &viewer.user.actor(),
            action: "discipline_finding_recorded",
            object_type: "discipline_finding",
            object_id: Some(finding.id.to_string()),
            details: json!({
                "report_id": report_id,
                "staff_member_id": staff.id,
                "violation_date": date.to_string(),
                "articles": versions.iter().map(|v| format!("{}@v{}", v.article_key, v.version)).collect::<Vec<_>>(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(finding.id)
}

/// A finding of the case, or 404.
async fn finding_of_case<C: ConnectionTrait>(
    conn: &C,
    report_id: i32,
    finding_id: i32,
) -> Result<discipline_finding::Model, DisciplineError> {
    discipline_finding::Entity::find_by_id(finding_id)
        .one(conn)
        .await?
        .filter(|f| f.report_id == report_id)
        .ok_or(DisciplineError::Other(AppError::NotFound))
}

/// Deletes a finding no decision has handled yet.
pub async fn delete_finding(
    state: &AppState,
    viewer: &Viewer,
    report_id: i32,
    finding_id: i32,
) -> Result<(), DisciplineError> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    load_eligible(&*tx, viewer, report_id).await?;
    let finding = finding_of_case(&*tx, report_id, finding_id).await?;
    if finding.decision_id.is_some() {
        return Err(DisciplineError::Conflict(
            "error-discipline-finding-decided",
        ));
    }
    discipline_finding_article::Entity::delete_many()
        .filter(discipline_finding_article::Column::FindingId.eq(finding.id))
        .exec(&*tx)
        .await?;
    discipline_finding::Entity::delete_by_id(finding.id)
        .exec(&*tx)
        .await?;
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &viewer.user.actor(),
            action: "discipline_finding_deleted",
            object_type: "discipline_finding",
            object_id: Some(finding.id.to_string()),
            details: json!({
                "report_id": report_id,
                "staff_member_id": finding.staff_member_id,
                "violation_date": finding.violation_date.to_string(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Decisions
// ---------------------------------------------------------------------------------------------

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
    pub minutes_reference: String,
    pub protected_state_checked: bool,
    pub protected_state_found: String,
    pub extension_reason: String,
    pub extension_legal_basis: String,
}

fn required_text(
    problems: &mut Problems,
    field: &'static str,
    raw: &str,
    max: usize,
) -> Option<String> {
    let text = clean_text(raw);
    if text.is_empty() {
        problems.insert(field, Problem::new("error-discipline-field-required"));
        None
    } else if text.chars().count() > max {
        problems.insert(
            field,
            Problem::with(
                "error-discipline-field-long",
                vec![("max", max.to_string())],
            ),
        );
        None
    } else {
        Some(text)
    }
}

fn optional_text(
    problems: &mut Problems,
    field: &'static str,
    raw: &str,
    max: usize,
) -> Option<String> {
    let text = clean_text(raw);
    if text.chars().count() > max {
        problems.insert(
            field,
            Problem::with(
                "error-discipline-field-long",
                vec![("max", max.to_string())],
            ),
        );
    }
    Some(text).filter(|t| !t.is_empty())
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
        Refusal::DecisionBeforeViolation { violation } => Problem::with(
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

/// What was decided, for the flash and the tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub decision_id: i32,
    pub measure: Measure,
    pub findings: Vec<i32>,
}

/// Records the decision for the person of `finding_id`, handling with it the other findings
/// chosen in `input.others`. Applies only the heaviest measure proposed.
pub async fn record_decision(
    state: &AppState,
    viewer: &Viewer,
    report_id: i32,
    finding_id: i32,
    input: &DecisionInput,
) -> Result<Recorded, DisciplineError> {
    let settings = &state.config.discipline;
    let now = state.clock.now();
    let today = local_date(now);
    let tx = state.db.begin_write().await?;
    let (case, _) = load_eligible(&*tx, viewer, report_id).await?;
    let primary = finding_of_case(&*tx, report_id, finding_id).await?;
    let mut problems = Problems::new();

    let months = input.deferral_months.trim().parse::<u32>().ok();
    let mut choice = |field: &'static str, raw: &str| -> Option<Measure> {
        match Measure::from_choice(raw, months, settings.max_deferral_months) {
            Ok(m) => Some(m),
            Err(e) => {
                let field = if e == discipline::MeasureError::DeferralMonths {
                    "deferral_months"
                } else {
                    field
                };
                problems.insert(
                    field,
                    Problem::with(
                        e.message_key(),
                        vec![("max", settings.max_deferral_months.to_string())],
                    ),
                );
                None
            }
        }
    };
    let primary_measure = choice("measure", &input.measure);
    let mut other_choices = Vec::new();
    for (id, raw) in input
        .others
        .iter()
        .filter(|(_, raw)| !raw.trim().is_empty())
    {
        if let Some(m) = choice("others", raw) {
            other_choices.push((*id, m));
        }
    }

    // The internal measures chosen must exist and be in use.
    let active_internal: BTreeSet<i32> = internal_measure::Entity::find()
        .filter(internal_measure::Column::Active.eq(true))
        .all(&*tx)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    let unknown_internal = primary_measure
        .into_iter()
        .chain(other_choices.iter().map(|(_, m)| *m))
        .any(|m| matches!(m, Measure::Internal(id) if !active_internal.contains(&id)));
    if unknown_internal {
        problems.insert("measure", Problem::new("error-discipline-measure-required"));
    }

    let number = required_text(
        &mut problems,
        "decision_number",
        &input.decision_number,
        DECISION_NUMBER_MAX,
    );
    let decision_date = match parse_date(&input.decision_date) {
        Ok(date) => Some(date),
        Err(problem) => {
            problems.insert("decision_date", problem);
            None
        }
    };
    let signer_name = required_text(&mut problems, "signer_name", &input.signer_name, SIGNER_MAX);
    let signer_title = required_text(
        &mut problems,
        "signer_title",
        &input.signer_title,
        SIGNER_MAX,
    );
    let minutes = optional_text(
        &mut problems,
        "minutes_reference",
        &input.minutes_reference,
        MINUTES_MAX,
    );
    let found = match input.protected_state_found.trim() {
        "" => None,
        raw => match ProtectedState::parse(raw) {
            Some(state) => Some(state),
            None => {
                problems.insert(
                    "protected_state",
                    Problem::new("error-discipline-protected-unchecked"),
                );
                None
            }
        },
    };
    let reason = optional_text(
        &mut problems,
        "extension_reason",
        &input.extension_reason,
        EXTENSION_MAX,
    );
    let basis = optional_text(
        &mut problems,
        "extension_legal_basis",
        &input.extension_legal_basis,
        EXTENSION_MAX,
    );
    let extension = match (reason, basis) {
        (Some(reason), Some(legal_basis)) => Some(LawfulExtension {
            reason,
            legal_basis,
        }),
        (Some(_), None) => {
            problems.insert(
                "extension_legal_basis",
                Problem::new("error-discipline-extension-incomplete"),
            );
            None
        }
        (None, Some(_)) => {
            problems.insert(
                "extension_reason",
                Problem::new("error-discipline-extension-incomplete"),
            );
            None
        }
        (None, None) => None,
    };

    // The violations handled together: the case's own, then the others chosen, each of the
    // same person, visible to the viewer, in a case that allows discipline.
    let mut violations = Vec::new();
    let mut findings = Vec::new();
    if let Some(measure) = primary_measure {
        violations.push(ViolationFacts {
            finding_id: primary.id,
            date: primary.violation_date,
            finance_assets_secrets: finance_flag(&*tx, case.category_id).await?,
            already_decided: primary.decision_id.is_some(),
            measure,
        });
        findings.push(primary.clone());
    }
    for (id, measure) in &other_choices {
        let other = discipline_finding::Entity::find_by_id(*id)
            .one(&*tx)
            .await?
            .filter(|f| f.staff_member_id == primary.staff_member_id && f.id != primary.id);
        let other_case = match &other {
            Some(f) => load_case(&*tx, viewer, f.report_id)
                .await
                .ok()
                .filter(|(c, _)| eligible(c)),
            None => None,
        };
        let (Some(other), Some((other_case, _))) = (other, other_case) else {
            problems.insert("others", Problem::new("error-discipline-other-finding"));
            continue;
        };
        violations.push(ViolationFacts {
            finding_id: other.id,
            date: other.violation_date,
            finance_assets_secrets: finance_flag(&*tx, other_case.category_id).await?,
            already_decided: other.decision_id.is_some(),
            measure: *measure,
        });
        findings.push(other);
    }

    let ruling = match (decision_date, primary_measure) {
        (Some(decision_date), Some(_)) => {
            let calendar = load_calendar(&*tx).await?;
            let facts = DecisionFacts {
                today,
                decision_date,
                violations: &violations,
                protected: ProtectedCheck {
                    checked: input.protected_state_checked,
                    found,
                },
                extension: extension.as_ref(),
                minutes_recorded: minutes.is_some(),
            };
            match discipline::rule(&facts, settings, &calendar) {
                Ok(ruling) => Some(ruling),
                Err(refusals) => {
                    for refusal in &refusals {
                        problems
                            .entry(refusal.field())
                            .or_insert_with(|| refusal_problem(refusal));
                    }
                    None
                }
            }
        }
        _ => None,
    };
    let (Some(ruling), Some(number), Some(decision_date), Some(signer_name), Some(signer_title)) =
        (ruling, number, decision_date, signer_name, signer_title)
    else {
        return Err(DisciplineError::Invalid(problems));
    };
    if !problems.is_empty() {
        return Err(DisciplineError::Invalid(problems));
    }

    let (months, internal_id) = match ruling.measure {
        Measure::PayRiseDeferral { months } => (i32::try_from(months).ok(), None),
        Measure::Internal(id) => (None, Some(id)),
        _ => (None, None),
    };
    let inserted = discipline_decision::ActiveModel {
        report_id: Set(report_id),
        staff_member_id: Set(primary.staff_member_id),
        measure: Set(ruling.measure.kind().to_string()),
        deferral_months: Set(months),
        internal_measure_id: Set(internal_id),
        decision_number: Set(number.clone()),
        decision_date: Set(decision_date),
        signer_name: Set(signer_name),
        signer_title: Set(signer_title),
        representative_took_part: Set(input.representative_took_part),
        employee_heard: Set(input.employee_heard),
        minutes_reference: Set(minutes),
        protected_state_checked: Set(input.protected_state_checked),
        protected_state_found: Set(found.map(|s| s.as_str().to_string()).unwrap_or_default()),
        extension_reason: Set(extension.as_ref().map(|e| e.reason.clone())),
        extension_legal_basis: Set(extension.as_ref().map(|e| e.legal_basis.clone())),
        appeal_status: Set(AppealStatus::None.as_str().to_string()),
        clears_on: Set(ruling.clears_on),
        created_by: Set(viewer.user.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await;
    let decision = match inserted {
        Ok(row) => row,
        Err(e) if is_duplicate(&e) => {
            return Err(invalid(
                "measure",
                Problem::new("error-discipline-already-decided"),
            ))
        }
        Err(e) => return Err(e.into()),
    };
    for (finding, facts) in findings.iter().zip(&violations) {
        let mut active = finding.clone().into_active_model();
        active.decision_id = Set(Some(decision.id));
        active.proposed_measure = Set(Some(facts.measure.choice()));
        active.updated_at = Set(now);
        active.update(&*tx).await?;
    }
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &viewer.user.actor(),
            action: "discipline_decision_recorded",
            object_type: "discipline_decision",
            object_id: Some(decision.id.to_string()),
            details: json!({
                "report_id": report_id,
                "staff_member_id": primary.staff_member_id,
                "measure": ruling.measure.choice(),
                "proposed": violations.iter().map(|v| json!({"finding_id": v.finding_id, "measure": v.measure.choice()})).collect::<Vec<_>>(),
                "decision_number": number,
                "decision_date": decision_date.to_string(),
                "clears_on": ruling.clears_on.map(|d| d.to_string()),
                "extension_used": ruling.extension_used,
                "protected_state_found": found.map(|s| s.as_str()),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Recorded {
        decision_id: decision.id,
        measure: ruling.measure,
        findings: findings.iter().map(|f| f.id).collect(),
    })
}

/// A decision recorded under the case, or 404.
pub async fn decision_of_case<C: ConnectionTrait>(
    conn: &C,
    report_id: i32,
    decision_id: i32,
) -> Result<discipline_decision::Model, AppError> {
    discipline_decision::Entity::find_by_id(decision_id)
        .one(conn)
        .await?
        .filter(|d| d.report_id == report_id)
        .ok_or(AppError::NotFound)
}

/// Moves a decision's appeal along: lodged, then upheld or overturned.
pub async fn change_appeal(
    state: &AppState,
    viewer: &Viewer,
    report_id: i32,
    decision_id: i32,
    to: &str,
) -> Result<(), DisciplineError> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    load_eligible(&*tx, viewer, report_id).await?;
    let decision = decision_of_case(&*tx, report_id, decision_id).await?;
    let from = AppealStatus::parse(&decision.appeal_status)
        .ok_or_else(|| AppError::Internal(format!("appeal status {}", decision.appeal_status)))?;
    let to = AppealStatus::parse(to).ok_or(DisciplineError::Conflict(
        "error-discipline-appeal-transition",
    ))?;
    let to = from.change_to(to).map_err(DisciplineError::Conflict)?;
    let mut active = decision.into_active_model();
    active.appeal_status = Set(to.as_str().to_string());
    active.updated_at = Set(now);
    active.update(&*tx).await?;
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &viewer.user.actor(),
            action: "discipline_appeal_changed",
            object_type: "discipline_decision",
            object_id: Some(decision_id.to_string()),
            details: json!({"report_id": report_id, "from": from.as_str(), "to": to.as_str()}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

/// A finding with what the pages show of it.
#[derive(Debug, Clone)]
pub struct FindingRow {
    pub finding: discipline_finding::Model,
    pub staff: Option<staff_member::Model>,
    pub articles: Vec<culture_article::Model>,
    pub decision: Option<discipline_decision::Model>,
}

/// Findings matching `filter`, oldest violation first, with their articles and decisions.
pub async fn finding_rows<C: ConnectionTrait>(
    conn: &C,
    filter: sea_orm::Condition,
) -> Result<Vec<FindingRow>, DbErr> {
    let findings = discipline_finding::Entity::find()
        .filter(filter)
        .order_by_asc(discipline_finding::Column::ViolationDate)
        .order_by_asc(discipline_finding::Column::Id)
        .all(conn)
        .await?;
    if findings.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = findings.iter().map(|f| f.id).collect();
    let links = discipline_finding_article::Entity::find()
        .filter(discipline_finding_article::Column::FindingId.is_in(ids))
        .order_by_asc(discipline_finding_article::Column::ArticleKey)
        .all(conn)
        .await?;
    let versions: HashMap<i32, culture_article::Model> = culture_article::Entity::find()
        .filter(culture_article::Column::Id.is_in(links.iter().map(|l| l.article_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    let staff: HashMap<i32, staff_member::Model> = staff_member::Entity::find()
        .filter(staff_member::Column::Id.is_in(findings.iter().map(|f| f.staff_member_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let decisions: HashMap<i32, discipline_decision::Model> = discipline_decision::Entity::find()
        .filter(
            discipline_decision::Column::Id.is_in(findings.iter().filter_map(|f| f.decision_id)),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    Ok(findings
        .into_iter()
        .map(|finding| FindingRow {
            staff: staff.get(&finding.staff_member_id).cloned(),
            articles: links
                .iter()
                .filter(|l| l.finding_id == finding.id)
                .filter_map(|l| versions.get(&l.article_id).cloned())
                .collect(),
            decision: finding
                .decision_id
                .and_then(|id| decisions.get(&id).cloned()),
            finding,
        })
        .collect())
}

/// The internal measures by id (active or not: old decisions keep their names).
pub async fn internal_measures<C: ConnectionTrait>(
    conn: &C,
) -> Result<BTreeMap<i32, internal_measure::Model>, DbErr> {
    Ok(internal_measure::Entity::find()
        .order_by_asc(internal_measure::Column::SortOrder)
        .order_by_asc(internal_measure::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect())
}

/// A stored decision's measure.
pub fn measure_of(decision: &discipline_decision::Model) -> Option<Measure> {
    Measure::from_stored(
        &decision.measure,
        decision.deferral_months,
        decision.internal_measure_id,
    )
}

/// A measure's name in `lang`: "Kéo dài thời hạn nâng lương (3 tháng)", or the internal
/// measure's name from the list.
pub fn measure_label(
    measure: Measure,
    lang: Lang,
    internal: &BTreeMap<i32, internal_measure::Model>,
) -> String {
    match measure {
        Measure::Internal(id) => internal
            .get(&id)
            .map(|m| lang.pick(&m.name_vi, &m.name_en))
            .unwrap_or_else(|| lang.t(measure.label_key())),
        Measure::PayRiseDeferral { months } => lang.t_args(
            "measure-pay-rise-deferral-months",
            &[("months", months.to_string())],
        ),
        other => lang.t(other.label_key()),
    }
}

/// What the reporter reads about the outcome of their report.
#[derive(Debug, Clone, Serialize)]
pub struct ReporterOutcome {
    /// The conclusion in plain words.
    pub finding: String,
    pub summary: Option<String>,
    /// For a (partly) substantiated report: whether measures were taken.
    pub measures_taken: Option<bool>,
    /// Which measures, without names — only when the setting allows it.
    pub measures: Vec<String>,
}

/// The outcome of a concluded report as its reporter may see it: the conclusion and whether
/// measures were taken, never who was disciplined. `None` before a conclusion.
pub async fn reporter_outcome<C: ConnectionTrait>(
    conn: &C,
    report_id: i32,
    show_measures: bool,
    lang: Lang,
) -> Result<Option<ReporterOutcome>, DbErr> {
    let Some(case) = case_file::Entity::find()
        .filter(case_file::Column::ReportId.eq(report_id))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let concluded = matches!(
        case.status.parse::<CaseStatus>(),
        Ok(CaseStatus::Concluded | CaseStatus::Closed)
    );
    let Some(finding) = case.finding.as_deref().and_then(Finding::parse) else {
        return Ok(None);
    };
    if !concluded {
        return Ok(None);
    }
    let mut measures_taken = None;
    let mut measures = Vec::new();
    if eligible(&case) {
        let decided: Vec<i32> = discipline_finding::Entity::find()
            .filter(discipline_finding::Column::ReportId.eq(report_id))
            .all(conn)
            .await?
            .into_iter()
            .filter_map(|f| f.decision_id)
            .collect();
        let decisions: Vec<discipline_decision::Model> = discipline_decision::Entity::find()
            .filter(discipline_decision::Column::Id.is_in(decided))
            .filter(discipline_decision::Column::AppealStatus.ne(AppealStatus::Overturned.as_str()))
            .all(conn)
            .await?;
        measures_taken = Some(!decisions.is_empty());
        if show_measures {
            let internal = internal_measures(conn).await?;
            let mut seen = BTreeSet::new();
            for measure in decisions.iter().filter_map(measure_of) {
                let label = measure_label(measure, lang, &internal);
                if seen.insert(label.clone()) {
                    measures.push(label);
                }
            }
        }
    }
    Ok(Some(ReporterOutcome {
        finding: lang.t(&finding.label_key()),
        summary: case.conclusion_summary,
        measures_taken,
        measures,
    }))
}
