//! Findings: what a case established about one staff member (the violation date and the
//! culture-code article versions in force that day). Recorded and deleted under
//! `/cases/<id>/discipline/findings…`; a finding a decision has handled stays for good.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use serde::Serialize;
use serde_json::json;

use super::{
    invalid, is_own_record, load_eligible, parse_date, staff_by_number, DisciplineError, Problem,
    Problems, OWN_RECORD,
};
use crate::case_management::access::Viewer;
use crate::domain::calendar::local_date;
use crate::domain::culture_code::version_in_force;
use crate::domain::discipline;
use crate::domain::ids::{CaseId, FindingId};
use crate::domain::report::clean_text;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{
    culture_article, discipline_finding, discipline_finding_article, staff_member,
};
use crate::platform::persistence::is_duplicate;
use crate::web::error::AppError;
use crate::web::format::show_date;
use crate::web::state::AppState;

/// The finding form as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FindingInput {
    pub employee_number: String,
    pub violation_date: String,
    pub articles: Vec<String>,
    /// The violation directly concerns the employer's finances, assets, technology or
    /// business secrets (Art. 123(1): 12 months); pre-ticked from the category's flag.
    pub finance_assets_secrets: bool,
    /// Why, required when ticked.
    pub finance_assets_reason: String,
}

/// A finding ready to store: every field checked.
struct NewFinding {
    staff: staff_member::Model,
    date: NaiveDate,
    versions: Vec<culture_article::Model>,
    /// The reason of the 12-month limitation; `None`: 6 months.
    finance_reason: Option<String>,
}

/// Records what the case established about one staff member.
pub async fn record_finding(
    state: &AppState,
    viewer: &Viewer,
    case: CaseId,
    input: &FindingInput,
) -> Result<FindingId, DisciplineError> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    load_eligible(&*tx, viewer, case).await?;
    let new = check_finding(&*tx, viewer, case, input, local_date(now)).await?;
    let id = insert_finding(&*tx, viewer, case, &new, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Every field of the form, each problem reported at once.
async fn check_finding<C: ConnectionTrait>(
    conn: &C,
    viewer: &Viewer,
    case: CaseId,
    input: &FindingInput,
    today: NaiveDate,
) -> Result<NewFinding, DisciplineError> {
    let mut problems = Problems::new();
    let staff = check_staff(conn, viewer, case, &input.employee_number, &mut problems).await?;
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
    let versions = check_articles(conn, &input.articles, date, &mut problems).await?;
    let finance_reason = discipline::finance_assets_reason(
        input.finance_assets_secrets,
        &clean_text(&input.finance_assets_reason),
    )
    .unwrap_or_else(|e| {
        let max = vec![("max", discipline::FINANCE_REASON_MAX.to_string())];
        problems.insert("finance_assets_reason", Problem::with(e.message_key(), max));
        None
    });
    match (staff, date, problems.is_empty()) {
        (Some(staff), Some(date), true) => Ok(NewFinding {
            staff,
            date,
            versions,
            finance_reason,
        }),
        _ => Err(DisciplineError::Invalid(problems)),
    }
}

/// The staff member named, unless unknown, the viewer themself, or already found in the case.
async fn check_staff<C: ConnectionTrait>(
    conn: &C,
    viewer: &Viewer,
    case: CaseId,
    number: &str,
    problems: &mut Problems,
) -> Result<Option<staff_member::Model>, DbErr> {
    let staff = staff_by_number(conn, number).await?;
    let key = match &staff {
        None if number.trim().is_empty() => Some("error-discipline-staff-required"),
        None => Some("error-discipline-staff-unknown"),
        Some(staff) => {
            if is_own_record(conn, viewer, staff.id).await? {
                Some(OWN_RECORD)
            } else if discipline_finding::Entity::find()
                .filter(discipline_finding::Column::ReportId.eq(case.0))
                .filter(discipline_finding::Column::StaffMemberId.eq(staff.id))
                .one(conn)
                .await?
                .is_some()
            {
                Some("error-discipline-finding-exists")
            } else {
                None
            }
        }
    };
    if let Some(key) = key {
        problems.insert("employee_number", Problem::new(key));
    }
    Ok(staff)
}

/// The version of each article chosen that was in force on the violation date.
async fn check_articles<C: ConnectionTrait>(
    conn: &C,
    articles: &[String],
    date: Option<NaiveDate>,
    problems: &mut Problems,
) -> Result<Vec<culture_article::Model>, DbErr> {
    let keys: BTreeSet<String> = articles
        .iter()
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty())
        .collect();
    if keys.is_empty() {
        problems.insert(
            "articles",
            Problem::new("error-discipline-articles-required"),
        );
        return Ok(Vec::new());
    }
    let Some(date) = date else {
        return Ok(Vec::new());
    };
    match articles_in_force(conn, &keys, date).await? {
        Ok(found) => Ok(found),
        Err(problem) => {
            problems.insert("articles", problem);
            Ok(Vec::new())
        }
    }
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

/// Stores the finding with its article versions and the audit entry.
async fn insert_finding<C: ConnectionTrait>(
    conn: &C,
    viewer: &Viewer,
    case: CaseId,
    new: &NewFinding,
    now: DateTime<Utc>,
) -> Result<FindingId, DisciplineError> {
    let inserted = discipline_finding::ActiveModel {
        report_id: Set(case.0),
        staff_member_id: Set(new.staff.id),
        violation_date: Set(new.date),
        decision_id: Set(None),
        proposed_measure: Set(None),
        finance_assets_secrets: Set(new.finance_reason.is_some()),
        finance_assets_reason: Set(new.finance_reason.clone()),
        created_by: Set(viewer.user.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
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
    for version in &new.versions {
        discipline_finding_article::ActiveModel {
            finding_id: Set(finding.id),
            article_id: Set(version.id),
            article_key: Set(version.article_key.clone()),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    let articles: Vec<String> = new
        .versions
        .iter()
        .map(|v| format!("{}@v{}", v.article_key, v.version))
        .collect();
    audit::record(
        conn,
        now,
        Entry {
            actor: &viewer.user.actor(),
            action: "discipline_finding_recorded",
            object_type: "discipline_finding",
            object_id: Some(finding.id.to_string()),
            details: json!({
                "report_id": case.0,
                "staff_member_id": new.staff.id,
                "violation_date": new.date.to_string(),
                "articles": articles,
                "finance_assets_secrets": new.finance_reason.is_some(),
            }),
        },
    )
    .await?;
    Ok(FindingId(finding.id))
}

/// A finding of the case, or 404.
pub async fn finding_of_case<C: ConnectionTrait>(
    conn: &C,
    case: CaseId,
    finding: FindingId,
) -> Result<discipline_finding::Model, DisciplineError> {
    discipline_finding::Entity::find_by_id(finding.0)
        .one(conn)
        .await?
        .filter(|f| f.report_id == case.0)
        .ok_or(DisciplineError::Other(AppError::NotFound))
}

/// Deletes a finding no decision has handled yet.
pub async fn delete_finding(
    state: &AppState,
    viewer: &Viewer,
    case: CaseId,
    finding: FindingId,
) -> Result<(), DisciplineError> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    load_eligible(&*tx, viewer, case).await?;
    let finding = finding_of_case(&*tx, case, finding).await?;
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
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &viewer.user.actor(),
            action: "discipline_finding_deleted",
            object_type: "discipline_finding",
            object_id: Some(finding.id.to_string()),
            details: json!({
                "report_id": case.0,
                "staff_member_id": finding.staff_member_id,
                "violation_date": finding.violation_date.to_string(),
            }),
        },
    )
    .await?;
    Ok(())
}
