//! `/staff-history`: a staff member's findings and measures over time, for team leads (the
//! staff of their teams' units and the units below) and leadership (everyone). Any other
//! signed-in user gets 404, as for a staff member out of scope, so the pages reveal nothing;
//! every view of a history is audited.

use std::collections::{BTreeMap, HashMap, HashSet};

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::{get, routes, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

use super::service::{self, internal_measures, measure_label, measure_of};
use crate::auth::HistoryReaders;
use crate::auth::{RoleSet, StaffUser};
use crate::case_management::access::{load_case, Viewer};
use crate::case_management::reference_of;
use crate::domain::calendar::local_date;
use crate::domain::discipline::{repeat_pattern, standing, AppealStatus, Standing};
use crate::domain::roles::Role;
use crate::domain::text::fold;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{
    case_file, discipline_decision, discipline_finding, inspection_team, org_unit, staff_member,
    team_member,
};
use crate::web::error::{AppError, AppResult};
use crate::web::format::show_date;
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::state::AppState;

pub fn routes() -> Vec<Route> {
    routes![list_staff_histories, show_staff_history]
}

/// A fully signed-in holder of a [`HistoryReaders`] role. Other signed-in users get 404 (not
/// 403): whether a person has a disciplinary history is itself confidential.
pub struct HistoryReader(pub StaffUser);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for HistoryReader {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        match req.guard::<StaffUser>().await {
            Outcome::Success(user) if HistoryReaders::ROLES.iter().any(|r| user.has(*r)) => {
                Outcome::Success(HistoryReader(user))
            }
            Outcome::Success(_) => Outcome::Error((Status::NotFound, ())),
            Outcome::Error(e) => Outcome::Error(e),
            Outcome::Forward(s) => Outcome::Forward(s),
        }
    }
}

/// Whose histories a reader may open.
enum Scope {
    Everyone,
    /// Staff of these units.
    Units(HashSet<i32>),
}

impl Scope {
    fn covers(&self, staff: &staff_member::Model) -> bool {
        match self {
            Scope::Everyone => true,
            Scope::Units(units) => units.contains(&staff.unit_id),
        }
    }
}

/// Leadership reads every history; a team lead those of the staff in the units of their teams
/// and every unit below them.
async fn scope_of<C: ConnectionTrait>(conn: &C, user: &StaffUser) -> AppResult<Scope> {
    if user.has(Role::Leadership) {
        return Ok(Scope::Everyone);
    }
    let team_ids: Vec<i32> = team_member::Entity::find()
        .filter(team_member::Column::UserId.eq(user.id))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| m.team_id)
        .collect();
    let mut pending: Vec<i32> = inspection_team::Entity::find()
        .filter(inspection_team::Column::Id.is_in(team_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| t.org_unit_id)
        .collect();
    let mut children: HashMap<i32, Vec<i32>> = HashMap::new();
    for unit in org_unit::Entity::find().all(conn).await? {
        if let Some(parent) = unit.parent_id {
            children.entry(parent).or_default().push(unit.id);
        }
    }
    let mut units = HashSet::new();
    while let Some(unit) = pending.pop() {
        if units.insert(unit) {
            pending.extend(children.get(&unit).into_iter().flatten());
        }
    }
    Ok(Scope::Units(units))
}

async fn unit_names<C: ConnectionTrait>(conn: &C, lang: Lang) -> AppResult<HashMap<i32, String>> {
    Ok(org_unit::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, lang.pick(&u.name_vi, &u.name_en)))
        .collect())
}

#[get("/staff-history?<q>")]
async fn list_staff_histories(
    page: PageCtx,
    state: &State<AppState>,
    reader: HistoryReader,
    q: Option<String>,
) -> AppResult<Template> {
    let conn = state.db.conn();
    let scope = scope_of(conn, &reader.0).await?;
    let mut counts: BTreeMap<i32, u64> = BTreeMap::new();
    for finding in discipline_finding::Entity::find().all(conn).await? {
        *counts.entry(finding.staff_member_id).or_default() += 1;
    }
    let query = fold(q.as_deref().unwrap_or_default().trim());
    let units = unit_names(conn, page.lang).await?;
    let staff: Vec<Value> = staff_member::Entity::find()
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
        .map(|s| {
            json!({
                "id": s.id,
                "name": s.full_name,
                "number": s.employee_number,
                "unit": units.get(&s.unit_id),
                "findings": counts.get(&s.id),
            })
        })
        .collect();
    Ok(page.render(
        "staff_history/list",
        json!({"staff": staff, "q": q.unwrap_or_default()}),
    ))
}

fn standing_view(lang: Lang, standing: Standing) -> Value {
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
    json!({"code": standing.code(), "text": text, "counts": standing.counts()})
}

#[get("/staff-history/<id>")]
async fn show_staff_history(
    page: PageCtx,
    state: &State<AppState>,
    reader: HistoryReader,
    id: i32,
) -> AppResult<Template> {
    let conn = state.db.conn();
    let lang = page.lang;
    let user = reader.0;
    let staff = staff_member::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    if !scope_of(conn, &user).await?.covers(&staff) {
        return Err(AppError::NotFound);
    }
    let now = state.clock.now();
    let today = local_date(now);
    let settings = &state.config.discipline;

    let rows = service::finding_rows(
        conn,
        sea_orm::Condition::all().add(discipline_finding::Column::StaffMemberId.eq(staff.id)),
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
    // A finding counts while its case stands concluded as (partly) substantiated.
    let counting: Vec<_> = rows
        .iter()
        .filter(|r| {
            cases
                .get(&r.finding.report_id)
                .is_some_and(service::eligible)
        })
        .map(|r| r.finding.violation_date)
        .collect();
    let repeat = repeat_pattern(
        &counting,
        settings.repeat_threshold,
        settings.repeat_window_months,
    );
    let reference = |report_id: i32| cases.get(&report_id).map(reference_of);

    let findings: Vec<Value> = rows
        .iter()
        .rev()
        .map(|r| {
            json!({
                "violation_date": show_date(r.finding.violation_date),
                "case": reference(r.finding.report_id),
                "case_id": openable.contains(&r.finding.report_id).then_some(r.finding.report_id),
                "counts": cases.get(&r.finding.report_id).is_some_and(service::eligible),
                "articles": r.articles.iter().map(|a| json!({
                    "key": a.article_key,
                    "number": a.number,
                    "version": a.version,
                    "title": lang.pick(&a.title_vi, &a.title_en),
                })).collect::<Vec<_>>(),
                "decision_number": r.decision.as_ref().map(|d| d.decision_number.clone()),
            })
        })
        .collect();

    let internal = internal_measures(conn).await?;
    let decisions: Vec<Value> = discipline_decision::Entity::find()
        .filter(discipline_decision::Column::StaffMemberId.eq(staff.id))
        .order_by_desc(discipline_decision::Column::DecisionDate)
        .order_by_desc(discipline_decision::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|d| {
            let measure = measure_of(&d)?;
            let appeal = AppealStatus::parse(&d.appeal_status).unwrap_or(AppealStatus::None);
            let now_standing = standing(
                measure,
                d.decision_date,
                d.clears_on,
                appeal,
                &counting,
                today,
            );
            let covered: Vec<String> = rows
                .iter()
                .filter(|r| r.finding.decision_id == Some(d.id))
                .map(|r| show_date(r.finding.violation_date))
                .collect();
            Some(json!({
                "number": d.decision_number,
                "date": show_date(d.decision_date),
                "measure": measure_label(measure, lang, &internal),
                "disciplinary": measure.is_disciplinary(),
                "case": reference(d.report_id),
                "case_id": openable.contains(&d.report_id).then_some(d.report_id),
                "id": d.id,
                "violations": covered,
                "appeal": lang.t(&appeal.label_key()),
                "standing": standing_view(lang, now_standing),
            }))
        })
        .collect();
    let active = decisions
        .iter()
        .filter(|d| d["standing"]["counts"] == json!(true))
        .count();

    let tx = state.db.begin_write().await?;
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "staff_history_viewed",
            object_type: "staff_member",
            object_id: Some(staff.id.to_string()),
            details: json!({"findings": rows.len(), "decisions": decisions.len()}),
        },
    )
    .await?;
    tx.commit().await?;

    // Commendations naming this person: by employee number, or by name within the same unit.
    let number = staff.employee_number.to_uppercase();
    let name = fold(&staff.full_name);
    let commendations: Vec<Value> =
        crate::platform::persistence::entities::commendation::Entity::find()
            .filter(
                sea_orm::Condition::any()
                    .add(
                        crate::platform::persistence::entities::commendation::Column::StaffNumber
                            .is_not_null(),
                    )
                    .add(
                        crate::platform::persistence::entities::commendation::Column::UnitId
                            .eq(staff.unit_id),
                    ),
            )
            .order_by_desc(crate::platform::persistence::entities::commendation::Column::CreatedAt)
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
            .map(|c| json!({"date": show_date(local_date(c.created_at)), "body": c.body}))
            .collect();

    let units = unit_names(conn, lang).await?;
    Ok(page.render(
        "staff_history/show",
        json!({
            "staff": {
                "id": staff.id,
                "name": staff.full_name,
                "number": staff.employee_number,
                "position": staff.position,
                "unit": units.get(&staff.unit_id),
                "active": staff.active,
            },
            "findings": findings,
            "decisions": decisions,
            "commendations": commendations,
            "active_count": active,
            "today": show_date(today),
            "repeat": repeat.map(|(first, last)| json!({
                "first": show_date(first),
                "last": show_date(last),
                "threshold": settings.repeat_threshold,
                "months": settings.repeat_window_months,
            })),
        }),
    ))
}
