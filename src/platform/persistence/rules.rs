//! The rules that live as data, read into their pure domain types: the routing tree (units,
//! active teams, rules) for `domain::routing`, and the holidays for `domain::calendar`. Intake,
//! workflow actions, commendations, discipline and the demo data all read them here.

use std::collections::BTreeSet;

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::domain::calendar::WorkingCalendar;
use crate::domain::routing::{Router, RuleRow, TeamRow, UnitNode};
use crate::platform::persistence::entities::{holiday, inspection_team, org_unit, routing_rule};

/// The routing tree, rules and active teams, read from the database.
pub async fn load_router<C: ConnectionTrait>(conn: &C) -> Result<Router, DbErr> {
    let units = org_unit::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|u| UnitNode {
            id: u.id,
            parent_id: u.parent_id,
            kind: u.kind,
        })
        .collect();
    let teams: Vec<TeamRow> = inspection_team::Entity::find()
        .filter(inspection_team::Column::Active.eq(true))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| TeamRow {
            id: t.id,
            unit_id: t.org_unit_id,
        })
        .collect();
    let active: BTreeSet<i32> = teams.iter().map(|t| t.id).collect();
    let rules = routing_rule::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .filter(|r| active.contains(&r.team_id))
        .map(|r| RuleRow {
            id: r.id,
            unit_id: r.org_unit_id,
            category_id: r.category_id,
            team_id: r.team_id,
        })
        .collect();
    Ok(Router::new(units, rules, teams))
}

/// The working calendar with the holidays stored in the database.
pub async fn load_calendar<C: ConnectionTrait>(conn: &C) -> Result<WorkingCalendar, DbErr> {
    Ok(WorkingCalendar::new(
        holiday::Entity::find()
            .all(conn)
            .await?
            .into_iter()
            .map(|h| h.day),
    ))
}
