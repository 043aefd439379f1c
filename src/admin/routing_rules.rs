//! `/admin/routing`: routing rules — "reports about this org-unit subtree (in this category, or
//! any) go to this inspection team". How the rules are applied is
//! [`crate::domain::routing`]: from the report's unit (one level higher when the reporter asks
//! to go above the local unit) up the tree, the nearest unit with a match wins; at a unit a rule
//! for the category beats a rule for any category, which beats the unit's own team; severe
//! categories skip generic rules and unit teams below the corporation level.
//!
//! Rules are configuration: admins add and delete them (after a confirmation page), never edit
//! them. A unit holds at most one rule per category (and one for any category), so the outcome
//! never depends on row order. Every change is audited.

use std::collections::HashMap;

use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use serde_json::{json, Value};

use super::staff::service::{unit_choices, unit_paths};
use super::units::is_closed;
use crate::auth::{Admins, Authorized, StaffUser};
use crate::domain::calendar::local_date;
use crate::domain::report::FieldErrors;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{
    inspection_team, org_unit, routing_rule, violation_category,
};
use crate::web::error::{AppError, AppResult};
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;

/// The routes of this screen.
pub fn routes() -> Vec<Route> {
    routes![
        list_rules,
        new_rule,
        create_rule,
        confirm_delete_rule,
        delete_rule,
    ]
}

/// The value of the "any category" choice.
pub const ANY_CATEGORY: &str = "any";

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/// The rule form's fields as typed.
#[derive(Debug, Clone, Serialize)]
pub struct RuleInput {
    pub org_unit_id: String,
    pub category_id: String,
    pub team_id: String,
}

impl Default for RuleInput {
    fn default() -> Self {
        Self {
            org_unit_id: String::new(),
            category_id: ANY_CATEGORY.to_string(),
            team_id: String::new(),
        }
    }
}

/// A rule to add, syntactically valid; existence is checked against the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewRule {
    pub org_unit_id: i32,
    /// `None`: any category.
    pub category_id: Option<i32>,
    pub team_id: i32,
}

fn positive(raw: &str) -> Option<i32> {
    raw.trim().parse::<i32>().ok().filter(|id| *id > 0)
}

/// The choices as parsed: `None` where the field is not a valid choice (an error is recorded);
/// the category is `Some(None)` for any category.
type Choices = (Option<i32>, Option<Option<i32>>, Option<i32>);

impl RuleInput {
    fn parse(&self, errors: &mut FieldErrors) -> Choices {
        let unit = positive(&self.org_unit_id);
        if unit.is_none() {
            errors.insert("org_unit_id", "error-admin-routing-unit-required");
        }
        let category = match self.category_id.trim() {
            "" | ANY_CATEGORY => Some(None),
            raw => positive(raw).map(Some),
        };
        if category.is_none() {
            errors.insert("category_id", "error-admin-routing-category-invalid");
        }
        let team = positive(&self.team_id);
        if team.is_none() {
            errors.insert("team_id", "error-admin-routing-team-required");
        }
        (unit, category, team)
    }

    /// Checks the three choices' syntax; whether they exist is checked against the database.
    pub fn validate(&self) -> Result<NewRule, FieldErrors> {
        let mut errors = FieldErrors::new();
        match self.parse(&mut errors) {
            (Some(org_unit_id), Some(category_id), Some(team_id)) => Ok(NewRule {
                org_unit_id,
                category_id,
                team_id,
            }),
            _ => Err(errors),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

/// Units, categories and teams, read once per page.
struct Reference {
    units: Vec<org_unit::Model>,
    paths: HashMap<i32, String>,
    categories: Vec<violation_category::Model>,
    teams: Vec<inspection_team::Model>,
}

impl Reference {
    async fn load<C: ConnectionTrait>(conn: &C, lang: Lang) -> AppResult<Self> {
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

    fn rule_view(&self, lang: Lang, rule: &routing_rule::Model) -> Value {
        let category = rule
            .category_id
            .and_then(|id| self.categories.iter().find(|c| c.id == id));
        let team = self.teams.iter().find(|t| t.id == rule.team_id);
        json!({
            "id": rule.id,
            "unit": self.path(rule.org_unit_id),
            "any_category": rule.category_id.is_none(),
            "category": category.map(|c| lang.pick(&c.name_vi, &c.name_en)),
            "severe": category.is_some_and(|c| c.severity == "severe"),
            "team": team.map(|t| t.name.clone()),
            "team_unit": team.map(|t| self.path(t.org_unit_id)),
            "team_active": team.is_some_and(|t| t.active),
        })
    }

    fn category_options(&self, lang: Lang) -> Vec<Value> {
        self.categories
            .iter()
            .filter(|c| c.active)
            .map(|c| {
                json!({
                    "id": c.id.to_string(),
                    "name": lang.pick(&c.name_vi, &c.name_en),
                    "severe": c.severity == "severe",
                })
            })
            .collect()
    }

    fn team_options(&self) -> Vec<Value> {
        self.teams
            .iter()
            .filter(|t| t.active)
            .map(|t| {
                json!({
                    "id": t.id.to_string(),
                    "name": t.name,
                    "unit": self.path(t.org_unit_id),
                })
            })
            .collect()
    }
}

fn form_page(
    page: &PageCtx,
    reference: &Reference,
    today: chrono::NaiveDate,
    input: &RuleInput,
    errors: &FieldErrors,
    status: Status,
) -> (Status, Template) {
    page.render_status(
        status,
        "admin/routing/new",
        json!({
            "form": input,
            "errors": translate(page.lang, errors),
            "unit_groups": unit_choices(&reference.units, page.lang, today, None),
            "categories": reference.category_options(page.lang),
            "teams": reference.team_options(),
            "any": ANY_CATEGORY,
        }),
    )
}

// ---------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------

#[get("/admin/routing")]
async fn list_rules(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
) -> AppResult<Template> {
    let conn = state.db.conn();
    let reference = Reference::load(conn, page.lang).await?;
    let rules = routing_rule::Entity::find().all(conn).await?;
    let mut rows: Vec<(String, bool, String, Value)> = rules
        .iter()
        .map(|rule| {
            let view = reference.rule_view(page.lang, rule);
            let category = view["category"].as_str().unwrap_or_default().to_string();
            (
                reference.path(rule.org_unit_id),
                rule.category_id.is_some(),
                category,
                view,
            )
        })
        .collect();
    // By unit path; at a unit the "any category" rule first, then by category name.
    rows.sort_by(|a, b| (&a.0, a.1, &a.2).cmp(&(&b.0, b.1, &b.2)));
    let rows: Vec<Value> = rows.into_iter().map(|(_, _, _, view)| view).collect();
    Ok(page.render("admin/routing/list", json!({"rules": rows})))
}

#[get("/admin/routing/new")]
async fn new_rule(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
) -> AppResult<Template> {
    let reference = Reference::load(state.db.conn(), page.lang).await?;
    let today = local_date(state.clock.now());
    Ok(form_page(
        &page,
        &reference,
        today,
        &RuleInput::default(),
        &FieldErrors::new(),
        Status::Ok,
    )
    .1)
}

#[derive(Debug, Default, FromForm)]
struct RuleForm {
    org_unit_id: Option<String>,
    category_id: Option<String>,
    team_id: Option<String>,
}

#[post("/admin/routing", data = "<form>")]
async fn create_rule(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    form: Form<RuleForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let text = |field: &Option<String>| field.clone().unwrap_or_default();
    let input = RuleInput {
        org_unit_id: text(&form.org_unit_id),
        category_id: text(&form.category_id),
        team_id: text(&form.team_id),
    };
    let outcome = insert_rule(state, &user, &input)
        .await
        .map_err(AppResultPage::Error)?;
    match outcome {
        Ok(_) => Ok(Flash::success(
            Redirect::to("/admin/routing"),
            "flash-admin-routing-created",
        )),
        Err(errors) => {
            let reference = Reference::load(state.db.conn(), page.lang)
                .await
                .map_err(AppResultPage::Error)?;
            let today = local_date(state.clock.now());
            Err(AppResultPage::Page(form_page(
                &page,
                &reference,
                today,
                &input,
                &errors,
                Status::UnprocessableEntity,
            )))
        }
    }
}

/// Why the chosen unit, category or team cannot be used, field by field: a unit must be open,
/// a category active, a team active, and the unit must not have a rule for that category yet.
async fn refusals<C: ConnectionTrait>(
    conn: &C,
    (unit, category, team): Choices,
    today: chrono::NaiveDate,
    errors: &mut FieldErrors,
) -> AppResult<()> {
    if let Some(unit_id) = unit {
        match org_unit::Entity::find_by_id(unit_id).one(conn).await? {
            None => {
                errors.insert("org_unit_id", "error-admin-routing-unit-required");
            }
            Some(unit) if is_closed(unit.active_to, today) => {
                errors.insert("org_unit_id", "error-admin-routing-unit-closed");
            }
            Some(_) => {}
        }
    }
    if let Some(Some(category_id)) = category {
        let usable = violation_category::Entity::find_by_id(category_id)
            .one(conn)
            .await?
            .is_some_and(|c| c.active);
        if !usable {
            errors.insert("category_id", "error-admin-routing-category-invalid");
        }
    }
    if let Some(team_id) = team {
        match inspection_team::Entity::find_by_id(team_id)
            .one(conn)
            .await?
        {
            None => {
                errors.insert("team_id", "error-admin-routing-team-required");
            }
            Some(team) if !team.active => {
                errors.insert("team_id", "error-admin-routing-team-inactive");
            }
            Some(_) => {}
        }
    }
    if let (Some(unit_id), Some(category_id)) = (unit, category) {
        let same_place = routing_rule::Entity::find()
            .filter(routing_rule::Column::OrgUnitId.eq(unit_id))
            .filter(match category_id {
                Some(category) => routing_rule::Column::CategoryId.eq(category),
                None => routing_rule::Column::CategoryId.is_null(),
            })
            .one(conn)
            .await?;
        if same_place.is_some() {
            errors
                .entry("category_id")
                .or_insert("error-admin-routing-duplicate");
        }
    }
    Ok(())
}

/// Adds a rule when every choice is valid and usable; otherwise every refusal, field by field.
async fn insert_rule(
    state: &AppState,
    user: &StaffUser,
    input: &RuleInput,
) -> AppResult<Result<i32, FieldErrors>> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let mut errors = FieldErrors::new();
    let choices = input.parse(&mut errors);
    refusals(&*tx, choices, local_date(now), &mut errors).await?;
    let rule = match choices {
        (Some(org_unit_id), Some(category_id), Some(team_id)) if errors.is_empty() => NewRule {
            org_unit_id,
            category_id,
            team_id,
        },
        _ => return Ok(Err(errors)),
    };
    let row = routing_rule::ActiveModel {
        org_unit_id: Set(rule.org_unit_id),
        category_id: Set(rule.category_id),
        team_id: Set(rule.team_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "routing_rule_created",
            object_type: "routing_rule",
            object_id: Some(row.id.to_string()),
            details: json!({
                "org_unit_id": row.org_unit_id,
                "category_id": row.category_id,
                "team_id": row.team_id,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(row.id))
}

#[get("/admin/routing/<id>/delete")]
async fn confirm_delete_rule(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: i32,
) -> AppResult<Template> {
    let conn = state.db.conn();
    let rule = routing_rule::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let reference = Reference::load(conn, page.lang).await?;
    Ok(page.render(
        "admin/routing/delete",
        json!({"rule": reference.rule_view(page.lang, &rule)}),
    ))
}

#[post("/admin/routing/<id>/delete")]
async fn delete_rule(
    user: Authorized<Admins>,
    state: &State<AppState>,
    id: i32,
) -> AppResult<Flash<Redirect>> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let rule = routing_rule::Entity::find_by_id(id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    routing_rule::Entity::delete_by_id(id).exec(&*tx).await?;
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "routing_rule_deleted",
            object_type: "routing_rule",
            object_id: Some(id.to_string()),
            details: json!({
                "org_unit_id": rule.org_unit_id,
                "category_id": rule.category_id,
                "team_id": rule.team_id,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Flash::success(
        Redirect::to("/admin/routing"),
        "flash-admin-routing-deleted",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_category_is_a_rule_without_category() {
        let rule = RuleInput {
            org_unit_id: "3".into(),
            category_id: "any".into(),
            team_id: "9".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(
            rule,
            NewRule {
                org_unit_id: 3,
                category_id: None,
                team_id: 9
            }
        );
        let rule = RuleInput {
            category_id: "12".into(),
            ..rule_input()
        }
        .validate()
        .unwrap();
        assert_eq!(rule.category_id, Some(12));
    }

    fn rule_input() -> RuleInput {
        RuleInput {
            org_unit_id: "3".into(),
            category_id: "any".into(),
            team_id: "9".into(),
        }
    }

    #[test]
    fn every_bad_choice_is_reported() {
        let errors = RuleInput {
            org_unit_id: "".into(),
            category_id: "rude".into(),
            team_id: "-1".into(),
        }
        .validate()
        .unwrap_err();
        assert_eq!(errors["org_unit_id"], "error-admin-routing-unit-required");
        assert_eq!(
            errors["category_id"],
            "error-admin-routing-category-invalid"
        );
        assert_eq!(errors["team_id"], "error-admin-routing-team-required");
    }
}
