//! What the `/admin/routing` pages show: a rule with its unit's path, category and team, the
//! list in a stable order, the add form's choices and the delete confirmation. Units,
//! categories and teams are read once per page ([`Reference`]).

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};
use serde::Serialize;
use serde_json::Value;

use super::{RuleInput, ANY_CATEGORY};
use crate::admin::staff::service::{unit_choices, unit_paths};
use crate::domain::calendar::local_date;
use crate::domain::ids::RuleId;
use crate::domain::report::FieldErrors;
use crate::platform::persistence::entities::{
    inspection_team, org_unit, routing_rule, violation_category,
};
use crate::web::error::{AppError, AppResult};
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::state::AppState;
use crate::web::units::UnitGroup;

/// Units, categories and teams, read once per page.
pub struct Reference {
    units: Vec<org_unit::Model>,
    paths: HashMap<i32, String>,
    categories: Vec<violation_category::Model>,
    teams: Vec<inspection_team::Model>,
}

/// A rule as the pages show it.
#[derive(Debug, Serialize)]
pub struct RuleView {
    pub id: i32,
    /// The unit's path from the top of the tree.
    pub unit: String,
    pub any_category: bool,
    pub category: Option<String>,
    pub severe: bool,
    pub team: Option<String>,
    pub team_unit: Option<String>,
    pub team_active: bool,
}

/// An active category the form offers.
#[derive(Debug, Serialize)]
pub struct CategoryOption {
    pub id: String,
    pub name: String,
    pub severe: bool,
}

/// An active team the form offers.
#[derive(Debug, Serialize)]
pub struct TeamOption {
    pub id: String,
    pub name: String,
    pub unit: String,
}

impl Reference {
    pub async fn load<C: ConnectionTrait>(conn: &C, lang: Lang) -> AppResult<Self> {
        let units = org_unit::Entity::find().all(conn).await?;
        let paths = unit_paths(&units, lang);
        let categories = violation_category::Entity::find()
            .order_by_asc(violation_category::Column::SortOrder)
            .order_by_asc(violation_category::Column::Code)
            .all(conn)
            .await?;
        let teams = inspection_team::Entity::find()
            .order_by_asc(inspection_team::Column::Name)
            .all(conn)
            .await?;
        Ok(Self {
            units,
            paths,
            categories,
            teams,
        })
    }

    fn path(&self, unit_id: i32) -> String {
        self.paths.get(&unit_id).cloned().unwrap_or_default()
    }

    fn rule_view(&self, lang: Lang, rule: &routing_rule::Model) -> RuleView {
        let category = rule
            .category_id
            .and_then(|id| self.categories.iter().find(|c| c.id == id));
        let team = self.teams.iter().find(|t| t.id == rule.team_id);
        RuleView {
            id: rule.id,
            unit: self.path(rule.org_unit_id),
            any_category: rule.category_id.is_none(),
            category: category.map(|c| lang.pick(&c.name_vi, &c.name_en)),
            severe: category.is_some_and(|c| c.severity == "severe"),
            team: team.map(|t| t.name.clone()),
            team_unit: team.map(|t| self.path(t.org_unit_id)),
            team_active: team.is_some_and(|t| t.active),
        }
    }

    fn category_options(&self, lang: Lang) -> Vec<CategoryOption> {
        self.categories
            .iter()
            .filter(|c| c.active)
            .map(|c| CategoryOption {
                id: c.id.to_string(),
                name: lang.pick(&c.name_vi, &c.name_en),
                severe: c.severity == "severe",
            })
            .collect()
    }

    fn team_options(&self) -> Vec<TeamOption> {
        self.teams
            .iter()
            .filter(|t| t.active)
            .map(|t| TeamOption {
                id: t.id.to_string(),
                name: t.name.clone(),
                unit: self.path(t.org_unit_id),
            })
            .collect()
    }
}

/// `admin/routing/list`: every rule.
#[derive(Debug, Serialize)]
pub struct ListView {
    pub rules: Vec<RuleView>,
}

impl ListView {
    /// By unit path; at a unit the "any category" rule first, then by category name.
    pub async fn load(state: &AppState, lang: Lang) -> AppResult<Self> {
        let conn = state.db.conn();
        let reference = Reference::load(conn, lang).await?;
        let rules = routing_rule::Entity::find().all(conn).await?;
        let mut rows: Vec<(String, bool, String, RuleView)> = rules
            .iter()
            .map(|rule| {
                let view = reference.rule_view(lang, rule);
                let category = view.category.clone().unwrap_or_default();
                (
                    reference.path(rule.org_unit_id),
                    rule.category_id.is_some(),
                    category,
                    view,
                )
            })
            .collect();
        rows.sort_by(|a, b| (&a.0, a.1, &a.2).cmp(&(&b.0, b.1, &b.2)));
        Ok(Self {
            rules: rows.into_iter().map(|(_, _, _, view)| view).collect(),
        })
    }
}

/// `admin/routing/new`: the form to add a rule.
#[derive(Debug, Serialize)]
pub struct NewView {
    pub form: RuleInput,
    pub errors: Value,
    pub unit_groups: Vec<UnitGroup>,
    pub categories: Vec<CategoryOption>,
    pub teams: Vec<TeamOption>,
    /// The value of the "any category" choice.
    pub any: &'static str,
}

impl NewView {
    /// The form with `input` and `errors`, offering open units, active categories and teams.
    pub async fn load(
        state: &AppState,
        lang: Lang,
        input: RuleInput,
        errors: &FieldErrors,
    ) -> AppResult<Self> {
        let reference = Reference::load(state.db.conn(), lang).await?;
        let today = local_date(state.clock.now());
        Ok(Self {
            form: input,
            errors: translate(lang, errors),
            unit_groups: unit_choices(&reference.units, lang, today, None),
            categories: reference.category_options(lang),
            teams: reference.team_options(),
            any: ANY_CATEGORY,
        })
    }
}

/// `admin/routing/delete`: the confirmation.
#[derive(Debug, Serialize)]
pub struct DeleteView {
    pub rule: RuleView,
}

impl DeleteView {
    pub async fn load(state: &AppState, lang: Lang, id: RuleId) -> AppResult<Self> {
        let conn = state.db.conn();
        let rule = routing_rule::Entity::find_by_id(id.0)
            .one(conn)
            .await?
            .ok_or(AppError::NotFound)?;
        let reference = Reference::load(conn, lang).await?;
        Ok(Self {
            rule: reference.rule_view(lang, &rule),
        })
    }
}
