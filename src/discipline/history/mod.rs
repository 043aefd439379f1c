//! `/staff-history`: a staff member's findings and measures over time, for team leads (the
//! staff of their teams' units and the units below) and leadership (everyone). Any other
//! signed-in user gets 404, as for a staff member out of scope, so the pages reveal nothing;
//! every view of a history is audited. The guard and the scope are here, the page views in
//! [`views`].

pub mod views;

use std::collections::{HashMap, HashSet};

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::{get, routes, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use self::views::{HistoryListView, StaffHistoryView};
use crate::auth::HistoryReaders;
use crate::auth::{RoleSet, StaffUser};
use crate::domain::ids::StaffId;
use crate::domain::roles::Role;
use crate::platform::persistence::entities::{
    inspection_team, org_unit, staff_member, team_member,
};
use crate::web::error::AppResult;
use crate::web::page::PageCtx;
use crate::web::state::AppState;

/// The staff-history routes.
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
pub enum Scope {
    Everyone,
    /// Staff of these units.
    Units(HashSet<i32>),
}

impl Scope {
    /// Whether the reader may open `staff`'s history.
    pub fn covers(&self, staff: &staff_member::Model) -> bool {
        match self {
            Scope::Everyone => true,
            Scope::Units(units) => units.contains(&staff.unit_id),
        }
    }
}

/// Leadership reads every history; a team lead those of the staff in the units of their teams
/// and every unit below them.
pub async fn scope_of<C: ConnectionTrait>(conn: &C, user: &StaffUser) -> AppResult<Scope> {
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

#[get("/staff-history?<q>")]
async fn list_staff_histories(
    page: PageCtx,
    state: &State<AppState>,
    reader: HistoryReader,
    q: Option<String>,
) -> AppResult<Template> {
    let view = HistoryListView::load(state, page.lang, &reader.0, q.unwrap_or_default()).await?;
    Ok(page.render("staff_history/list", view))
}

#[get("/staff-history/<id>")]
async fn show_staff_history(
    page: PageCtx,
    state: &State<AppState>,
    reader: HistoryReader,
    id: StaffId,
) -> AppResult<Template> {
    let view = StaffHistoryView::load(state, page.lang, &reader.0, id).await?;
    Ok(page.render("staff_history/show", view))
}
