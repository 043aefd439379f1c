//! `GET /cases/overview`: a team lead's view of each of their teams — open cases, how many sit
//! at each deadline alert level, and the cases at 75 % of their time or later. Guarded by
//! `Authorized<TeamLeads>`; only the lead's own teams are shown.

use std::collections::HashMap;

use rocket::{get, State};
use rocket_dyn_templates::Template;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::access::Viewer;
use super::inbox::{self, ClockMark};
use crate::auth::{Authorized, TeamLeads};
use crate::case_management::reference_of;
use crate::domain::calendar::Alert;
use crate::domain::status::CaseStatus;
use crate::platform::persistence::entities::{case_file, inspection_team};
use crate::web::error::AppResult;
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::state::AppState;

/// A case at 75 % of its time or later.
#[derive(Serialize)]
struct AtRiskCase {
    id: i32,
    reference: String,
    clock: ClockMark,
    status: String,
}

/// One team's open cases by alert level.
#[derive(Serialize)]
struct TeamOverview {
    name: String,
    open: usize,
    levels: HashMap<&'static str, u64>,
    at_risk: Vec<AtRiskCase>,
}

/// The page `cases/overview`.
#[derive(Serialize)]
pub struct OverviewView {
    teams: Vec<TeamOverview>,
}

impl OverviewView {
    /// Every team of `viewer`, as seen on `state`'s today.
    pub async fn load(state: &AppState, lang: Lang, viewer: &Viewer) -> AppResult<Self> {
        let conn = state.db.conn();
        let today = state.clock.today();
        let mut teams = Vec::new();
        for team_id in &viewer.team_ids {
            let Some(team) = inspection_team::Entity::find_by_id(*team_id)
                .one(conn)
                .await?
            else {
                continue;
            };
            let open = open_cases(conn, viewer, *team_id).await?;
            let mut levels: HashMap<&'static str, u64> = HashMap::new();
            let mut at_risk = Vec::new();
            for case in &open {
                let Some(mark) = inbox::clock_mark(case, today) else {
                    continue;
                };
                *levels.entry(mark.alert.as_str()).or_default() += 1;
                if mark.alert >= Alert::ThreeQuarters {
                    let status = case
                        .status
                        .parse::<CaseStatus>()
                        .map(|s| s.label_key())
                        .unwrap_or_default();
                    at_risk.push(AtRiskCase {
                        id: case.report_id,
                        reference: reference_of(case),
                        clock: mark,
                        status: lang.t(&status),
                    });
                }
            }
            teams.push(TeamOverview {
                name: team.name,
                open: open.len(),
                levels,
                at_risk,
            });
        }
        Ok(Self { teams })
    }
}

/// A team's cases whose clocks run and that the viewer may open, soonest acceptance deadline
/// first.
async fn open_cases<C: ConnectionTrait>(
    conn: &C,
    viewer: &Viewer,
    team_id: i32,
) -> Result<Vec<case_file::Model>, sea_orm::DbErr> {
    case_file::Entity::find()
        .filter(viewer.visible())
        .filter(case_file::Column::TeamId.eq(team_id))
        .filter(case_file::Column::Status.is_in([
            CaseStatus::Received.as_str(),
            CaseStatus::Accepted.as_str(),
            CaseStatus::Investigating.as_str(),
            CaseStatus::AwaitingReporter.as_str(),
        ]))
        .order_by_asc(case_file::Column::AcceptanceDue)
        .all(conn)
        .await
}

#[get("/cases/overview")]
pub async fn show_overview(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<TeamLeads>,
) -> AppResult<Template> {
    let viewer = Viewer::of(state.db.conn(), user.user.clone()).await?;
    let view = OverviewView::load(state, page.lang, &viewer).await?;
    Ok(page.render("cases/overview", view))
}
