//! Reads and writes of the discipline slice. Every write opens one transaction that loads the
//! case through [`load_case`] (so access is re-checked), applies the rules of
//! [`crate::domain::discipline`], stores the rows and appends the audit entry before commit.
//!
//! Layout: this file holds the error type ([`DisciplineError`], [`Problems`] and their
//! [`translate`]) and what every write starts from (the eligible case, the staff member, form
//! text); [`findings`] records and deletes findings, [`decision`] records decisions,
//! [`appeal`] moves their appeals along, [`reads`] loads what the pages and the reporter's
//! follow-up show. Everything public is re-exported here: `discipline::service::X` is the path
//! callers use (public_reporting uses [`reporter_outcome`] and [`ReporterOutcome`]).

pub mod appeal;
pub mod decision;
pub mod findings;
pub mod reads;

pub use appeal::{change_appeal, decision_of_case};
pub use decision::{record_decision, DecisionInput, Recorded};
pub use findings::{delete_finding, finding_of_case, record_finding, FindingInput};
pub use reads::{
    cited_labour_rules, finding_rows, internal_measures, labour_rules_setting_out, measure_label,
    measure_of, reporter_outcome, FindingRow, ReporterOutcome,
};

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde_json::Value;

use crate::case_management::access::{load_case, Viewer};
use crate::domain::ids::CaseId;
use crate::domain::report::clean_text;
use crate::domain::status::CaseStatus;
use crate::domain::workflow::Finding;
use crate::platform::persistence::entities::{
    app_user, case_file, report, staff_member, violation_category,
};
use crate::web::error::AppError;
use crate::web::i18n::Lang;

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
    /// A message without arguments.
    pub fn new(key: &'static str) -> Self {
        Self::with(key, Vec::new())
    }

    /// A message with plain arguments.
    pub fn with(key: &'static str, args: Vec<(&'static str, String)>) -> Self {
        Self {
            key,
            args,
            key_args: Vec::new(),
        }
    }

    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let mut args = self.args.clone();
        args.extend(self.key_args.iter().map(|(name, key)| (*name, lang.t(key))));
        lang.t_args(self.key, &args)
    }
}

/// Form field → what is wrong with it.
pub type Problems = BTreeMap<&'static str, Problem>;

/// Field name → the message in the reader's language, for a form template (the discipline
/// counterpart of [`crate::web::forms::translate`]: its messages carry arguments).
pub fn translate(lang: Lang, problems: &Problems) -> Value {
    Value::Object(
        problems
            .iter()
            .map(|(field, problem)| ((*field).to_string(), Value::String(problem.text(lang))))
            .collect(),
    )
}

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

/// One field to correct.
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
    case: CaseId,
) -> Result<(case_file::Model, report::Model), DisciplineError> {
    let (case, report) = load_case(conn, viewer, case.0).await?;
    if !eligible(&case) {
        return Err(DisciplineError::NotEligible);
    }
    Ok((case, report))
}

/// The refusal when someone would act on a discipline record of their own.
pub const OWN_RECORD: &str = "error-discipline-own-record";

/// Whether `staff_member_id` is the viewer's own staff record. Nobody judges themself: recording
/// a finding, recording a decision and moving an appeal all refuse their own record by this one
/// rule.
pub async fn is_own_record<C: ConnectionTrait>(
    conn: &C,
    viewer: &Viewer,
    staff_member_id: i32,
) -> Result<bool, DbErr> {
    Ok(app_user::Entity::find_by_id(viewer.user.id)
        .one(conn)
        .await?
        .and_then(|u| u.staff_member_id)
        == Some(staff_member_id))
}

/// Whether the case's category suggests that its violations directly concern finances, assets
/// or secrets. Only a suggestion, pre-ticking the finding form: the 12 months of Art. 123(1)
/// follow the finding's own answer (`discipline_finding.finance_assets_secrets`).
pub async fn finance_flag<C: ConnectionTrait>(conn: &C, category_id: i32) -> Result<bool, DbErr> {
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
// Form text
// ---------------------------------------------------------------------------------------------

/// Parses an ISO date (what `<input type="date">` sends).
fn parse_date(raw: &str) -> Result<NaiveDate, Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Problem::new("error-discipline-date-required"));
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| Problem::new("error-discipline-date-invalid"))
}

/// Cleaned text that must be present and at most `max` characters.
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
        problems.insert(field, too_long(max));
        None
    } else {
        Some(text)
    }
}

/// Cleaned text of at most `max` characters, `None` when empty.
fn optional_text(
    problems: &mut Problems,
    field: &'static str,
    raw: &str,
    max: usize,
) -> Option<String> {
    let text = clean_text(raw);
    if text.chars().count() > max {
        problems.insert(field, too_long(max));
    }
    Some(text).filter(|t| !t.is_empty())
}

fn too_long(max: usize) -> Problem {
    Problem::with(
        "error-discipline-field-long",
        vec![("max", max.to_string())],
    )
}
