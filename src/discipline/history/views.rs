//! The page views of `/staff-history` ([`super`]): the list of staff with findings and one
//! person's history (findings, measures with their standing today, commendations). Opening a
//! history writes its audit entry. Field names are exactly what `templates/staff_history/`
//! reads.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use serde_json::json;

use super::scope_of;
use crate::auth::StaffUser;
use crate::case_management::access::{load_case, Viewer};
use crate::case_management::reference_of;
use crate::discipline::service::{self, internal_measures, measure_label, measure_of, FindingRow};
use crate::discipline::views::ArticleView;
use crate::domain::calendar::local_date;
use crate::domain::discipline::{repeat_pattern, standing, AppealStatus, Standing};
use crate::domain::ids::StaffId;
use crate::domain::text::fold;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{
    case_file, commendation, discipline_decision, discipline_finding, org_unit, staff_member,
};
use crate::web::error::{AppError, AppResult};
use crate::web::format::show_date;
use crate::web::i18n::Lang;
use crate::web::state::AppState;

/// Unit id → its name in `lang`.
async fn unit_names<C: ConnectionTrait>(conn: &C, lang: Lang) -> AppResult<HashMap<i32, String>> {
    Ok(org_unit::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, lang.pick(&u.name_vi, &u.name_en)))
        .collect())
}

// ---------------------------------------------------------------------------------------------
// The list
// ---------------------------------------------------------------------------------------------

/// `staff_history/list`: the staff with findings the reader may open, filtered by `q`.
#[derive(Debug, Serialize)]
pub struct HistoryListView {
    pub staff: Vec<ListedStaff>,
    pub q: String,
}

/// One staff member of the list.
#[derive(Debug, Serialize)]
pub struct ListedStaff {
    pub id: i32,
    pub name: String,
    pub number: String,
    pub unit: Option<String>,
    pub findings: u64,
}

impl HistoryListView {
    /// The staff with at least one finding, in the reader's scope, matching `q` (name or
    /// employee number, accents ignored).
    pub async fn load(
        state: &AppState,
        lang: Lang,
        user: &StaffUser,
        q: String,
    ) -> AppResult<Self> {
        let conn = state.db.conn();
        let scope = scope_of(conn, user).await?;
        let mut counts: BTreeMap<i32, u64> = BTreeMap::new();
        for finding in discipline_finding::Entity::find().all(conn).await? {
            *counts.entry(finding.staff_member_id).or_default() += 1;
        }
        let query = fold(q.trim());
        let units = unit_names(conn, lang).await?;
        let staff = staff_member::Entity::find()
            .filter(staff_member::Column::Id.is_in(counts.keys().copied()))
            .order_by_asc(staff_member::Column::FullNameFolded)
            .all(conn)
            .await?
            .into_iter()
            .filter(|s| scope.covers(s))
            .filter(|s| {
                query.is_empty()
                    || s.full_name_folded.contains(&query)
                    || fold(&s.employee_number).contains(&query)
            })
            .map(|s| ListedStaff {
                findings: counts.get(&s.id).copied().unwrap_or_default(),
                unit: units.get(&s.unit_id).cloned(),
                id: s.id,
                name: s.full_name,
                number: s.employee_number,
            })
            .collect();
        Ok(Self { staff, q })
    }
}

// ---------------------------------------------------------------------------------------------
// One history
// ---------------------------------------------------------------------------------------------

/// `staff_history/show`.
#[derive(Debug, Serialize)]
pub struct StaffHistoryView {
    pub staff: StaffEntry,
    pub findings: Vec<FindingEntry>,
    pub decisions: Vec<DecisionEntry>,
    pub commendations: Vec<CommendationEntry>,
    /// Decisions that count today.
    pub active_count: usize,
    pub today: String,
    pub repeat: Option<RepeatView>,
}

/// The person whose history it is.
#[derive(Debug, Serialize)]
pub struct StaffEntry {
    pub id: i32,
    pub name: String,
    pub number: String,
    pub position: Option<String>,
    pub unit: Option<String>,
    pub active: bool,
}

/// A finding, newest violation first.
#[derive(Debug, Serialize)]
pub struct FindingEntry {
    pub violation_date: String,
    pub case: Option<String>,
    /// The case id when the reader may open it.
    pub case_id: Option<i32>,
    /// Whether its case still stands concluded as (partly) substantiated.
    pub counts: bool,
    pub articles: Vec<ArticleView>,
    pub decision_number: Option<String>,
}

/// A decision with its standing today.
#[derive(Debug, Serialize)]
pub struct DecisionEntry {
    pub number: String,
    pub date: String,
    pub measure: String,
    pub disciplinary: bool,
    pub case: Option<String>,
    pub case_id: Option<i32>,
    pub id: i32,
    pub violations: Vec<String>,
    pub appeal: String,
    pub standing: StandingView,
}

/// Active, cleared, permanent…, in words.
#[derive(Debug, Serialize)]
pub struct StandingView {
    pub code: &'static str,
    pub text: String,
    pub counts: bool,
}

/// A commendation naming the person.
#[derive(Debug, Serialize)]
pub struct CommendationEntry {
    pub date: String,
    pub body: String,
}

/// The repeat-violation flag.
#[derive(Debug, Serialize)]
pub struct RepeatView {
    pub first: String,
    pub last: String,
    pub threshold: u32,
    pub months: u32,
}

/// What a history is built from: the findings, their cases, which of those the reader may
/// open, and the violation dates that count.
struct Record {
    rows: Vec<FindingRow>,
    cases: HashMap<i32, case_file::Model>,
    openable: HashSet<i32>,
    counting: Vec<NaiveDate>,
}

impl StaffHistoryView {
    /// The history of staff member `id` when in the reader's scope (else 404); audited.
    pub async fn load(
        state: &AppState,
        lang: Lang,
        user: &StaffUser,
        id: StaffId,
    ) -> AppResult<Self> {
        let conn = state.db.conn();
        let staff = staff_member::Entity::find_by_id(id.0)
            .one(conn)
            .await?
            .ok_or(AppError::NotFound)?;
        if !scope_of(conn, user).await?.covers(&staff) {
            return Err(AppError::NotFound);
        }
        let today = state.clock.today();
        let settings = &state.config.discipline;
        let record = Record::load(conn, user, staff.id).await?;
        let repeat = repeat_pattern(
            &record.counting,
            settings.repeat_threshold,
            settings.repeat_window_months,
        );
        let findings = record.findings(lang);
        let decisions = record.decisions(conn, lang, staff.id, today).await?;
        audit_view(state, user, staff.id, findings.len(), decisions.len()).await?;
        Ok(Self {
            active_count: decisions.iter().filter(|d| d.standing.counts).count(),
            commendations: commendations(conn, &staff).await?,
            staff: StaffEntry::load(conn, lang, staff).await?,
            findings,
            decisions,
            today: show_date(today),
            repeat: repeat.map(|(first, last)| RepeatView {
                first: show_date(first),
                last: show_date(last),
                threshold: settings.repeat_threshold,
                months: settings.repeat_window_months,
            }),
        })
    }
}

impl StaffEntry {
    async fn load<C: ConnectionTrait>(
        conn: &C,
        lang: Lang,
        staff: staff_member::Model,
    ) -> AppResult<Self> {
        let units = unit_names(conn, lang).await?;
        Ok(Self {
            id: staff.id,
            unit: units.get(&staff.unit_id).cloned(),
            name: staff.full_name,
            number: staff.employee_number,
            position: staff.position,
            active: staff.active,
        })
    }
}

impl Record {
    async fn load<C: ConnectionTrait>(
        conn: &C,
        user: &StaffUser,
        staff_id: i32,
    ) -> AppResult<Self> {
        let rows = service::finding_rows(
            conn,
            sea_orm::Condition::all().add(discipline_finding::Column::StaffMemberId.eq(staff_id)),
        )
        .await?;
        let cases: HashMap<i32, case_file::Model> = case_file::Entity::find()
            .filter(case_file::Column::ReportId.is_in(rows.iter().map(|r| r.finding.report_id)))
            .all(conn)
            .await?
            .into_iter()
            .map(|c| (c.report_id, c))
            .collect();
        let viewer = Viewer::of(conn, user.clone()).await?;
        let mut openable = HashSet::new();
        for report_id in cases.keys() {
            if load_case(conn, &viewer, *report_id).await.is_ok() {
                openable.insert(*report_id);
            }
        }
        let mut record = Self {
            rows,
            cases,
            openable,
            counting: Vec::new(),
        };
        // A finding counts while its case stands concluded as (partly) substantiated.
        record.counting = record
            .rows
            .iter()
            .filter(|r| record.counts(r.finding.report_id))
            .map(|r| r.finding.violation_date)
            .collect();
        Ok(record)
    }

    fn counts(&self, report_id: i32) -> bool {
        self.cases.get(&report_id).is_some_and(service::eligible)
    }

    fn reference(&self, report_id: i32) -> Option<String> {
        self.cases.get(&report_id).map(reference_of)
    }

    fn case_id(&self, report_id: i32) -> Option<i32> {
        self.openable.contains(&report_id).then_some(report_id)
    }

    /// The findings, newest violation first.
    fn findings(&self, lang: Lang) -> Vec<FindingEntry> {
        self.rows
            .iter()
            .rev()
            .map(|r| FindingEntry {
                violation_date: show_date(r.finding.violation_date),
                case: self.reference(r.finding.report_id),
                case_id: self.case_id(r.finding.report_id),
                counts: self.counts(r.finding.report_id),
                articles: ArticleView::all(lang, &r.articles),
                decision_number: r.decision.as_ref().map(|d| d.decision_number.clone()),
            })
            .collect()
    }

    /// The person's decisions, newest first, with their standing on `today`.
    async fn decisions<C: ConnectionTrait>(
        &self,
        conn: &C,
        lang: Lang,
        staff_id: i32,
        today: NaiveDate,
    ) -> AppResult<Vec<DecisionEntry>> {
        let internal = internal_measures(conn).await?;
        Ok(discipline_decision::Entity::find()
            .filter(discipline_decision::Column::StaffMemberId.eq(staff_id))
            .order_by_desc(discipline_decision::Column::DecisionDate)
            .order_by_desc(discipline_decision::Column::Id)
            .all(conn)
            .await?
            .into_iter()
            .filter_map(|d| {
                let measure = measure_of(&d)?;
                let appeal = AppealStatus::parse(&d.appeal_status).unwrap_or(AppealStatus::None);
                let now = standing(
                    measure,
                    d.decision_date,
                    d.clears_on,
                    appeal,
                    &self.counting,
                    today,
                );
                Some(DecisionEntry {
                    number: d.decision_number.clone(),
                    date: show_date(d.decision_date),
                    measure: measure_label(measure, lang, &internal),
                    disciplinary: measure.is_disciplinary(),
                    case: self.reference(d.report_id),
                    case_id: self.case_id(d.report_id),
                    id: d.id,
                    violations: self.covered_by(d.id),
                    appeal: lang.t(&appeal.label_key()),
                    standing: StandingView::of(lang, now),
                })
            })
            .collect())
    }

    /// The violation dates a decision handled.
    fn covered_by(&self, decision_id: i32) -> Vec<String> {
        self.rows
            .iter()
            .filter(|r| r.finding.decision_id == Some(decision_id))
            .map(|r| show_date(r.finding.violation_date))
            .collect()
    }
}

impl StandingView {
    fn of(lang: Lang, standing: Standing) -> Self {
        let text = match standing {
            Standing::Active { clears_on } => lang.t_args(
                "discipline-standing-active",
                &[("date", show_date(clears_on))],
            ),
            Standing::Cleared { since } => {
                lang.t_args("discipline-standing-cleared", &[("date", show_date(since))])
            }
            Standing::NotCleared { violation } => lang.t_args(
                "discipline-standing-not-cleared",
                &[("date", show_date(violation))],
            ),
            Standing::Permanent => lang.t("discipline-standing-permanent"),
            Standing::NotARecord => lang.t("discipline-standing-not-a-record"),
            Standing::Overturned => lang.t("discipline-standing-overturned"),
        };
        Self {
            code: standing.code(),
            text,
            counts: standing.counts(),
        }
    }
}

/// Every opening of a history is audited, with how much it showed.
async fn audit_view(
    state: &AppState,
    user: &StaffUser,
    staff_id: i32,
    findings: usize,
    decisions: usize,
) -> AppResult<()> {
    let tx = state.db.begin_write().await?;
    audit::record_and_commit(
        tx,
        state.clock.now(),
        Entry {
            actor: &user.actor(),
            action: "staff_history_viewed",
            object_type: "staff_member",
            object_id: Some(staff_id.to_string()),
            details: json!({"findings": findings, "decisions": decisions}),
        },
    )
    .await?;
    Ok(())
}

/// Commendations naming this person: by employee number, or by name within the same unit.
async fn commendations<C: ConnectionTrait>(
    conn: &C,
    staff: &staff_member::Model,
) -> AppResult<Vec<CommendationEntry>> {
    let number = staff.employee_number.to_uppercase();
    let name = fold(&staff.full_name);
    Ok(commendation::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(commendation::Column::StaffNumber.is_not_null())
                .add(commendation::Column::UnitId.eq(staff.unit_id)),
        )
        .order_by_desc(commendation::Column::CreatedAt)
        .all(conn)
        .await?
        .into_iter()
        .filter(
            |c| match c.staff_number.as_deref().filter(|n| !n.trim().is_empty()) {
                Some(n) => n.split_whitespace().collect::<String>().to_uppercase() == number,
                None => {
                    c.unit_id == staff.unit_id
                        && c.staff_name.as_deref().map(fold) == Some(name.clone())
                }
            },
        )
        .map(|c| CommendationEntry {
            date: show_date(local_date(c.created_at)),
            body: c.body,
        })
        .collect())
}
