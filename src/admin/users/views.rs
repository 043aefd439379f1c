//! Page views of `/admin/users` (see the parent module): the list, the new-account form, the
//! edit page, the temporary password shown once and the confirmation of a destructive action.
//! Field names are exactly those the templates under `templates/admin/users/` read.

use std::collections::BTreeSet;

use rocket::http::Status;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use serde_json::Value;

use super::service::{self, Changes, Refused};
use super::{UserAction, UserForm};
use crate::auth::service as accounts;
use crate::domain::report::FieldErrors;
use crate::domain::roles::Role;
use crate::platform::persistence::entities::{app_user, inspection_team, staff_member};
use crate::web::error::AppResult;
use crate::web::format::local_time;
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::pagination::Pages;
use crate::web::state::AppState;

const PAGE_SIZE: u64 = 50;

/// One role checkbox.
#[derive(Serialize)]
pub(super) struct RoleOption {
    code: &'static str,
    name: String,
    checked: bool,
}

fn role_options(lang: Lang, selected: &[Role]) -> Vec<RoleOption> {
    Role::ALL
        .iter()
        .map(|role| RoleOption {
            code: role.as_str(),
            name: lang.t(&role.label_key()),
            checked: selected.contains(role),
        })
        .collect()
}

/// One team checkbox (active teams only).
#[derive(Serialize)]
pub(super) struct TeamOption {
    id: i32,
    name: String,
    checked: bool,
}

async fn team_options<C: ConnectionTrait>(
    conn: &C,
    selected: &BTreeSet<i32>,
) -> AppResult<Vec<TeamOption>> {
    Ok(inspection_team::Entity::find()
        .filter(inspection_team::Column::Active.eq(true))
        .order_by_asc(inspection_team::Column::Name)
        .all(conn)
        .await?
        .into_iter()
        .map(|team| TeamOption {
            checked: selected.contains(&team.id),
            id: team.id,
            name: team.name,
        })
        .collect())
}

/// A row of the account list.
#[derive(Serialize)]
struct ListRow {
    id: i32,
    email: String,
    name: String,
    roles: String,
    active: bool,
    two_factor: bool,
    last_sign_in: Option<String>,
}

/// `admin/users/list`: accounts by e-mail, filtered by `q`, a page at a time.
#[derive(Serialize)]
pub(super) struct ListView {
    users: Vec<ListRow>,
    q: String,
    #[serde(flatten)]
    pages: Pages,
}

impl ListView {
    /// Page `page` (clamped) of the accounts whose e-mail contains `q`.
    pub(super) async fn load(
        state: &AppState,
        lang: Lang,
        q: Option<String>,
        page: Option<u64>,
    ) -> AppResult<Self> {
        let conn = state.db.conn();
        let q = q.unwrap_or_default();
        let needle = q.trim().to_lowercase();
        let mut query = app_user::Entity::find().order_by_asc(app_user::Column::Email);
        if !needle.is_empty() {
            query = query.filter(app_user::Column::Email.contains(needle.as_str()));
        }
        let paginator = query.paginate(conn, PAGE_SIZE);
        let pages = Pages::of(paginator.num_items().await?, PAGE_SIZE, page);
        let mut users = Vec::new();
        for user in paginator.fetch_page(pages.page - 1).await? {
            let roles: Vec<String> = accounts::roles_of(conn, user.id)
                .await?
                .iter()
                .map(|r| lang.t(&r.label_key()))
                .collect();
            users.push(ListRow {
                id: user.id,
                email: user.email,
                name: user.display_name,
                roles: roles.join(", "),
                active: user.active,
                two_factor: user.totp_enabled,
                last_sign_in: user.last_sign_in_at.map(local_time),
            });
        }
        Ok(ListView { users, q, pages })
    }
}

/// The fields of the new-account form, as typed.
#[derive(Serialize)]
struct NewForm {
    email: String,
    display_name: String,
}

/// `admin/users/new`: the new-account form, empty or shown again with its errors.
#[derive(Serialize)]
pub(super) struct NewView {
    form: NewForm,
    roles: Vec<RoleOption>,
    teams: Vec<TeamOption>,
    errors: Value,
}

impl NewView {
    /// The empty form.
    pub(super) async fn load(state: &AppState, lang: Lang) -> AppResult<Self> {
        Ok(NewView {
            form: NewForm {
                email: String::new(),
                display_name: String::new(),
            },
            roles: role_options(lang, &[]),
            teams: team_options(state.db.conn(), &BTreeSet::new()).await?,
            errors: translate(lang, &FieldErrors::new()),
        })
    }

    /// The posted form again (422) with what was refused.
    pub(super) async fn again(
        state: &AppState,
        page: &PageCtx,
        form: &UserForm,
        refused: Refused,
    ) -> AppResultPage {
        let teams = match team_options(state.db.conn(), &form.team_set()).await {
            Ok(teams) => teams,
            Err(error) => return AppResultPage::Error(error),
        };
        let view = NewView {
            form: NewForm {
                email: form.email.clone().unwrap_or_default(),
                display_name: form.display_name.clone().unwrap_or_default(),
            },
            roles: role_options(page.lang, &refused.roles),
            teams,
            errors: translate(page.lang, &refused.errors),
        };
        AppResultPage::Page(page.render_status(
            Status::UnprocessableEntity,
            "admin/users/new",
            view,
        ))
    }
}

/// The account shown on the edit page.
#[derive(Serialize)]
struct EditUser {
    id: i32,
    email: String,
    active: bool,
    two_factor: bool,
    must_change_password: bool,
    last_sign_in: Option<String>,
}

/// The editable fields of an account.
#[derive(Serialize)]
struct EditForm {
    display_name: String,
    employee_number: String,
}

/// `admin/users/edit`: an account's status, its form (name, staff number, roles, teams) and the
/// links to its destructive actions.
#[derive(Serialize)]
pub(super) struct EditView {
    user: EditUser,
    form: EditForm,
    roles: Vec<RoleOption>,
    teams: Vec<TeamOption>,
    errors: Value,
}

impl EditView {
    /// The page of `user` as stored.
    pub(super) async fn load(
        state: &AppState,
        lang: Lang,
        user: &app_user::Model,
    ) -> AppResult<Self> {
        let conn = state.db.conn();
        let roles = accounts::roles_of(conn, user.id).await?;
        let teams = service::teams_of(conn, user.id).await?;
        let employee_number = match user.staff_member_id {
            Some(id) => staff_member::Entity::find_by_id(id)
                .one(conn)
                .await?
                .map(|s| s.employee_number)
                .unwrap_or_default(),
            None => String::new(),
        };
        Ok(EditView {
            user: EditUser {
                id: user.id,
                email: user.email.clone(),
                active: user.active,
                two_factor: user.totp_enabled,
                must_change_password: user.must_change_password,
                last_sign_in: user.last_sign_in_at.map(local_time),
            },
            form: EditForm {
                display_name: user.display_name.clone(),
                employee_number,
            },
            roles: role_options(lang, &roles),
            teams: team_options(conn, &teams).await?,
            errors: translate(lang, &FieldErrors::new()),
        })
    }

    /// The page again (422) with the cleaned form, its roles and errors; teams as stored.
    pub(super) async fn again(
        state: &AppState,
        page: &PageCtx,
        user: &app_user::Model,
        (changes, errors): (Changes, FieldErrors),
    ) -> AppResultPage {
        let mut view = match EditView::load(state, page.lang, user).await {
            Ok(view) => view,
            Err(error) => return AppResultPage::Error(error),
        };
        view.form = EditForm {
            display_name: changes.display_name,
            employee_number: changes.employee_number,
        };
        view.roles = role_options(page.lang, &changes.roles);
        view.errors = translate(page.lang, &errors);
        AppResultPage::Page(page.render_status(
            Status::UnprocessableEntity,
            "admin/users/edit",
            view,
        ))
    }
}

/// The account a temporary password belongs to.
#[derive(Serialize)]
struct ShownUser {
    id: i32,
    email: String,
}

/// `admin/users/password_shown`: a temporary password, shown this once. `created` tells a new
/// account from a reset.
#[derive(Serialize)]
pub(super) struct PasswordShownView {
    user: ShownUser,
    password: String,
    created: bool,
}

impl PasswordShownView {
    /// The page for `user`'s new `password`.
    pub(super) fn build(user: &app_user::Model, password: String, created: bool) -> Self {
        PasswordShownView {
            user: ShownUser {
                id: user.id,
                email: user.email.clone(),
            },
            password,
            created,
        }
    }
}

/// `admin/users/confirm`: the question before a destructive action.
#[derive(Serialize)]
pub(super) struct ConfirmView {
    user: ShownUser,
    action: &'static str,
    question_key: String,
}

impl ConfirmView {
    /// The confirmation of `action` on `user`.
    pub(super) fn build(user: &app_user::Model, action: UserAction) -> Self {
        ConfirmView {
            user: ShownUser {
                id: user.id,
                email: user.email.clone(),
            },
            action: action.slug(),
            question_key: format!("admin-user-confirm-{}", action.slug()),
        }
    }
}
