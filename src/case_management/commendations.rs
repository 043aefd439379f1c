//! `/cases/commendations`: team leads read the commendations ("Nụ cười và niềm tin Điện lực")
//! routed to their teams, newest first. Guarded by `Authorized<TeamLeads>`; a team lead sees
//! only the teams they are a member of.

use std::collections::HashMap;

use rocket::{get, routes, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

use super::access::Viewer;
use crate::auth::Authorized;
use crate::auth::TeamLeads;
use crate::platform::persistence::entities::{commendation, inspection_team};
use crate::web::error::AppResult;
use crate::web::state::AppState;

use crate::web::format::local_time;
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::units::unit_path;

/// The newest commendations shown.
pub const LIST_LIMIT: u64 = 200;

pub fn routes() -> Vec<Route> {
    routes![list_commendations]
}

/// One commendation as a team lead reads it.
#[derive(Serialize)]
struct CommendationRow {
    at: String,
    unit: String,
    team: Option<String>,
    staff_name: Option<String>,
    staff_number: Option<String>,
    body: String,
}

/// The page `cases/commendations`.
#[derive(Serialize)]
pub struct CommendationsView {
    items: Vec<CommendationRow>,
    limit: u64,
}

impl CommendationsView {
    /// The newest commendations routed to the teams of `viewer`.
    pub async fn load(state: &AppState, lang: Lang, viewer: &Viewer) -> AppResult<Self> {
        let conn = state.db.conn();
        let teams: HashMap<i32, String> = inspection_team::Entity::find()
            .filter(inspection_team::Column::Id.is_in(viewer.team_ids.clone()))
            .all(conn)
            .await?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect();
        let rows = commendation::Entity::find()
            .filter(commendation::Column::TeamId.is_in(viewer.team_ids.clone()))
            .order_by_desc(commendation::Column::CreatedAt)
            .order_by_desc(commendation::Column::Id)
            .limit(LIST_LIMIT)
            .all(conn)
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            items.push(CommendationRow {
                at: local_time(row.created_at),
                unit: unit_path(state, row.unit_id, lang).await?,
                team: row.team_id.and_then(|t| teams.get(&t).cloned()),
                staff_name: row.staff_name,
                staff_number: row.staff_number,
                body: row.body,
            });
        }
        Ok(Self {
            items,
            limit: LIST_LIMIT,
        })
    }
}

#[get("/cases/commendations")]
async fn list_commendations(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<TeamLeads>,
) -> AppResult<Template> {
    let viewer = Viewer::of(state.db.conn(), user.user.clone()).await?;
    let view = CommendationsView::load(state, page.lang, &viewer).await?;
    Ok(page.render("cases/commendations", view))
}
