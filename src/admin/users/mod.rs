//! `/admin/users`: staff accounts — list, create (with a temporary password shown once),
//! edit name, roles, teams and staff-directory link, disable/enable, reset password or
//! two-factor. Destructive actions go through a confirmation page; every change is audited.
//! Used by `admin::routes`. `service` reads and writes (never leaving the portal without an
//! active admin), `views` shapes the pages; handlers here only guard and dispatch.

mod service;
mod views;

use std::collections::BTreeSet;

use rocket::form::Form;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, Either, FromForm, Route, State};
use rocket_dyn_templates::Template;

use crate::auth::{Admins, Authorized};
use crate::domain::ids::UserId;
use crate::web::error::{AppError, AppResult};
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;
use service::Outcome;
use views::{ConfirmView, EditView, ListView, NewView, PasswordShownView};

/// The routes of this screen.
pub fn routes() -> Vec<Route> {
    routes![
        list_users,
        new_user,
        create_user,
        show_user,
        update_user,
        confirm_user_action,
        perform_user_action,
    ]
}

/// The form of a new or edited account. Roles and teams arrive as repeated fields.
#[derive(Debug, Default, FromForm)]
struct UserForm {
    email: Option<String>,
    display_name: Option<String>,
    roles: Vec<String>,
    teams: Vec<i32>,
    employee_number: Option<String>,
}

impl UserForm {
    /// The posted team ids, without duplicates.
    fn team_set(&self) -> BTreeSet<i32> {
        self.teams.iter().copied().collect()
    }
}

#[get("/admin/users?<q>&<page>")]
async fn list_users(
    page_ctx: PageCtx,
    state: &State<AppState>,
    _admin: Authorized<Admins>,
    q: Option<String>,
    page: Option<u64>,
) -> AppResult<Template> {
    let view = ListView::load(state, page_ctx.lang, q, page).await?;
    Ok(page_ctx.render("admin/users/list", view))
}

#[get("/admin/users/new")]
async fn new_user(
    page: PageCtx,
    state: &State<AppState>,
    _admin: Authorized<Admins>,
) -> AppResult<Template> {
    let view = NewView::load(state, page.lang).await?;
    Ok(page.render("admin/users/new", view))
}

#[post("/admin/users", data = "<form>")]
async fn create_user(
    page: PageCtx,
    state: &State<AppState>,
    admin: Authorized<Admins>,
    form: Form<UserForm>,
) -> Result<Template, AppResultPage> {
    match service::create(state, &admin, &form)
        .await
        .map_err(AppResultPage::Error)?
    {
        Ok((user, password)) => Ok(page.render(
            "admin/users/password_shown",
            PasswordShownView::build(&user, password, true),
        )),
        Err(refused) => Err(NewView::again(state, &page, &form, refused).await),
    }
}

#[get("/admin/users/<id>")]
async fn show_user(
    page: PageCtx,
    state: &State<AppState>,
    _admin: Authorized<Admins>,
    id: UserId,
) -> AppResult<Template> {
    let user = service::find_user(state.db.conn(), id).await?;
    let view = EditView::load(state, page.lang, &user).await?;
    Ok(page.render("admin/users/edit", view))
}

/// Checks the form, then saves name, staff link, roles and teams in one transaction.
#[post("/admin/users/<id>", data = "<form>")]
async fn update_user(
    page: PageCtx,
    state: &State<AppState>,
    admin: Authorized<Admins>,
    id: UserId,
    form: Form<UserForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let user = service::find_user(state.db.conn(), id)
        .await
        .map_err(AppResultPage::Error)?;
    let changes = match service::validate(state, &user, &form).await {
        Ok(Ok(changes)) => changes,
        Ok(Err(invalid)) => return Err(EditView::again(state, &page, &user, invalid).await),
        Err(error) => return Err(AppResultPage::Error(error)),
    };
    service::save(state, &admin, &user, &changes, &form.team_set())
        .await
        .map_err(AppResultPage::Error)?;
    let back = Redirect::to(format!("/admin/users/{id}"));
    Ok(Flash::success(back, "flash-admin-user-saved"))
}

/// A destructive action on an account; each has a confirmation page.
#[derive(Debug, Clone, Copy)]
enum UserAction {
    Disable,
    Enable,
    ResetPassword,
    ResetTwoFactor,
}

impl UserAction {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "disable" => Some(UserAction::Disable),
            "enable" => Some(UserAction::Enable),
            "reset-password" => Some(UserAction::ResetPassword),
            "reset-two-factor" => Some(UserAction::ResetTwoFactor),
            _ => None,
        }
    }

    fn slug(self) -> &'static str {
        match self {
            UserAction::Disable => "disable",
            UserAction::Enable => "enable",
            UserAction::ResetPassword => "reset-password",
            UserAction::ResetTwoFactor => "reset-two-factor",
        }
    }

    fn audit_action(self) -> &'static str {
        match self {
            UserAction::Disable => "user_disabled",
            UserAction::Enable => "user_enabled",
            UserAction::ResetPassword => "user_password_reset",
            UserAction::ResetTwoFactor => "user_two_factor_reset",
        }
    }
}

#[get("/admin/users/<id>/<action>/confirm")]
async fn confirm_user_action(
    page: PageCtx,
    state: &State<AppState>,
    _admin: Authorized<Admins>,
    id: UserId,
    action: &str,
) -> AppResult<Template> {
    let action = UserAction::parse(action).ok_or(AppError::NotFound)?;
    let user = service::find_user(state.db.conn(), id).await?;
    Ok(page.render("admin/users/confirm", ConfirmView::build(&user, action)))
}

#[post("/admin/users/<id>/<action>")]
async fn perform_user_action(
    page: PageCtx,
    state: &State<AppState>,
    admin: Authorized<Admins>,
    id: UserId,
    action: &str,
) -> AppResult<Either<Template, Flash<Redirect>>> {
    let action = UserAction::parse(action).ok_or(AppError::NotFound)?;
    let back = Redirect::to(format!("/admin/users/{id}"));
    Ok(match service::perform(state, &admin, id, action).await? {
        Outcome::LastAdmin => Either::Right(Flash::error(back, "error-admin-last-admin")),
        Outcome::Done => Either::Right(Flash::success(back, "flash-admin-user-saved")),
        Outcome::PasswordReset(user, password) => Either::Left(page.render(
            "admin/users/password_shown",
            PasswordShownView::build(&user, password, false),
        )),
    })
}
