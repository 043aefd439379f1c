//! The rules that live as data, read into their pure domain types: the routing tree (units,
//! active teams, rules) for `domain::routing`, the holidays for `domain::calendar`, and which
//! internal labour regulation articles set out each culture-code article for
//! `domain::discipline`. Intake, workflow actions, commendations, discipline, the admin pages
//! and the demo data all read them here.

use std::collections::{BTreeSet, HashMap};

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::domain::calendar::WorkingCalendar;
use crate::domain::discipline::{LabourRuleMap, RuleLink};
use crate::domain::routing::{Router, RuleRow, TeamRow, UnitNode};
use crate::platform::persistence::entities::{
    culture_article_labour_rule, holiday, inspection_team, labour_rule, org_unit, routing_rule,
};

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

/// Which active internal labour regulation articles set out each culture-code article
/// (Labour Code 2019 Art. 127(3)).
pub async fn load_labour_rule_map<C: ConnectionTrait>(conn: &C) -> Result<LabourRuleMap, DbErr> {
    let active: HashMap<i32, bool> = labour_rule::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|rule| (rule.id, rule.active))
        .collect();
    let links = culture_article_labour_rule::Entity::find()
        .all(conn)
        .await?;
    Ok(LabourRuleMap::new(links.iter().map(|link| RuleLink {
        article_key: &link.article_key,
        labour_rule_id: link.labour_rule_id,
        active: active.get(&link.labour_rule_id).copied().unwrap_or(false),
    })))
}
