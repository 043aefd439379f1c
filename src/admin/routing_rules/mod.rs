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

pub mod views;

use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde::Serialize;
use serde_json::json;

use crate::auth::{Admins, Authorized, StaffUser};
use crate::domain::calendar::local_date;
use crate::domain::ids::RuleId;
use crate::domain::org::is_closed;
use crate::domain::report::FieldErrors;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{
    inspection_team, org_unit, routing_rule, violation_category,
};
use crate::platform::persistence::is_duplicate;
use crate::web::error::{AppError, AppResult};
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;
use views::{DeleteView, ListView, NewView};

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
/// Where every change returns to.
const LIST: &str = "/admin/routing";

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
// Handlers
// ---------------------------------------------------------------------------------------------

#[get("/admin/routing")]
async fn list_rules(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
) -> AppResult<Template> {
    let view = ListView::load(state, page.lang).await?;
    Ok(page.render("admin/routing/list", view))
}

#[get("/admin/routing/new")]
async fn new_rule(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
) -> AppResult<Template> {
    let view = NewView::load(state, page.lang, RuleInput::default(), &FieldErrors::new()).await?;
    Ok(page.render("admin/routing/new", view))
}

#[derive(Debug, Default, FromForm)]
struct RuleForm {
    org_unit_id: Option<String>,
    category_id: Option<String>,
    team_id: Option<String>,
}

impl RuleForm {
    fn to_input(&self) -> RuleInput {
        let text = |field: &Option<String>| field.clone().unwrap_or_default();
        RuleInput {
            org_unit_id: text(&self.org_unit_id),
            category_id: text(&self.category_id),
            team_id: text(&self.team_id),
        }
    }
}

#[post("/admin/routing", data = "<form>")]
async fn create_rule(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    form: Form<RuleForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let input = form.to_input();
    match insert_rule(state, &user, &input).await {
        Ok(Ok(_)) => Ok(Flash::success(
            Redirect::to(LIST),
            "flash-admin-routing-created",
        )),
        Ok(Err(errors)) => match NewView::load(state, page.lang, input, &errors).await {
            Ok(view) => Err(AppResultPage::Page(page.render_status(
                Status::UnprocessableEntity,
                "admin/routing/new",
                view,
            ))),
            Err(e) => Err(AppResultPage::Error(e)),
        },
        Err(e) => Err(AppResultPage::Error(e)),
    }
}

/// Why the chosen unit, category or team cannot be used, field by field: a unit must be open,
/// a category active, a team active. A second rule for the same unit and category is refused
/// by the database's unique index when the rule is inserted (two admins may save at once).
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
    let inserted = routing_rule::ActiveModel {
        org_unit_id: Set(rule.org_unit_id),
        category_id: Set(rule.category_id),
        team_id: Set(rule.team_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await;
    let row = match inserted {
        Ok(row) => row,
        Err(error) if is_duplicate(&error) => {
            errors.insert("category_id", "error-admin-routing-duplicate");
            return Ok(Err(errors));
        }
        Err(error) => return Err(error.into()),
    };
    audit::record_and_commit(
        tx,
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
    Ok(Ok(row.id))
}

#[get("/admin/routing/<id>/delete")]
async fn confirm_delete_rule(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: RuleId,
) -> AppResult<Template> {
    let view = DeleteView::load(state, page.lang, id).await?;
    Ok(page.render("admin/routing/delete", view))
}

#[post("/admin/routing/<id>/delete")]
async fn delete_rule(
    user: Authorized<Admins>,
    state: &State<AppState>,
    id: RuleId,
) -> AppResult<Flash<Redirect>> {
    remove_rule(state, &user, id).await?;
    Ok(Flash::success(
        Redirect::to(LIST),
        "flash-admin-routing-deleted",
    ))
}

/// Deletes a rule.
async fn remove_rule(state: &AppState, user: &StaffUser, id: RuleId) -> AppResult<()> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let rule = routing_rule::Entity::find_by_id(id.0)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    routing_rule::Entity::delete_by_id(id.0).exec(&*tx).await?;
    audit::record_and_commit(
        tx,
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
    Ok(())
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
