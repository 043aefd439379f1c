//! `/admin/api-tokens`: tokens for integrations of the JSON API (`/api/v1`). An admin issues
//! one to a named integration with scopes (`cases:read` for one team, `analytics:read`,
//! `intake:write`; `cases:text` only asked for, a custodian approves it) and a
//! lifetime; it is shown once, on the page that answers the form, and stored as its hash. The
//! list shows names, scopes, dates and last use, never a token; revocation asks for
//! confirmation. Every issue and revocation is audited; every call a token makes is audited by
//! its guard under the integration's name.

pub mod service;

use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use serde::Serialize;
use serde_json::Value;

use crate::auth::api_token::Scope;
use crate::auth::{Admins, Authorized, StaffUser};
use crate::domain::ids::ApiTokenId;
use crate::domain::report::FieldErrors;
use crate::web::error::AppResult;
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;
use service::{TokenInput, TokenRow};

pub fn routes() -> Vec<Route> {
    routes![list_tokens, issue_token, confirm_revoke_token, revoke_token]
}

/// `admin/api_tokens/list`: the tokens and the form to issue one.
#[derive(Serialize)]
struct ListView {
    tokens: Vec<TokenRow>,
    teams: Vec<Choice>,
    scopes: Vec<Choice>,
    form: TokenInput,
    errors: Value,
    max_days: i64,
}

impl ListView {
    async fn load(
        state: &AppState,
        lang: Lang,
        form: TokenInput,
        errors: &FieldErrors,
    ) -> AppResult<Self> {
        Ok(Self {
            tokens: service::list(state).await?,
            teams: service::teams(state)
                .await?
                .into_iter()
                .map(|(id, name)| Choice {
                    selected: form.team_id == id.to_string(),
                    value: id.to_string(),
                    label: name,
                })
                .collect(),
            scopes: Scope::ALL
                .iter()
                .map(|s| Choice {
                    value: s.as_str().into(),
                    label: lang.t(&format!("api-scope-{}", s.as_str().replace(':', "-"))),
                    selected: form.scopes.iter().any(|c| c == s.as_str()),
                })
                .collect(),
            form,
            errors: translate(lang, errors),
            max_days: service::DAYS_MAX,
        })
    }
}

/// An option of the form: a scope's checkbox or a team in the select.
#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// `admin/api_tokens/issued`: the new token, this once.
#[derive(Serialize)]
struct IssuedView {
    name: String,
    token: String,
    /// Scopes waiting for a custodian's approval.
    pending: Vec<String>,
}

#[derive(Serialize)]
struct RevokeView {
    token: TokenRow,
}

#[derive(Debug, Default, FromForm)]
struct TokenForm {
    name: Option<String>,
    scopes: Vec<String>,
    team_id: Option<String>,
    days: Option<String>,
}

impl TokenForm {
    fn to_input(&self) -> TokenInput {
        let text = |field: &Option<String>| field.clone().unwrap_or_default();
        TokenInput {
            name: text(&self.name),
            scopes: self.scopes.clone(),
            team_id: text(&self.team_id),
            days: text(&self.days),
        }
    }
}

#[get("/admin/api-tokens")]
async fn list_tokens(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
) -> AppResult<Template> {
    let blank = TokenInput {
        days: "90".into(),
        ..TokenInput::default()
    };
    let view = ListView::load(state, page.lang, blank, &FieldErrors::new()).await?;
    Ok(page.render("admin/api_tokens/list", view))
}

#[post("/admin/api-tokens", data = "<form>")]
async fn issue_token(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    form: Form<TokenForm>,
) -> Result<Template, AppResultPage> {
    let input = form.to_input();
    let outcome = issue_validated(state, &user, &input)
        .await
        .map_err(AppResultPage::Error)?;
    match outcome {
        Ok(view) => Ok(page.render("admin/api_tokens/issued", view)),
        Err(errors) => {
            let view = ListView::load(state, page.lang, input, &errors)
                .await
                .map_err(AppResultPage::Error)?;
            let name = "admin/api_tokens/list";
            let status = Status::UnprocessableEntity;
            Err(AppResultPage::Page(page.render_status(status, name, view)))
        }
    }
}

/// Validates and issues; the page to show, or the errors to show the form with.
async fn issue_validated(
    state: &AppState,
    user: &StaffUser,
    input: &TokenInput,
) -> AppResult<Result<IssuedView, FieldErrors>> {
    let new = match input.validate() {
        Ok(new) => new,
        Err(errors) => return Ok(Err(errors)),
    };
    Ok(service::issue(state, Some(user), &new)
        .await?
        .map(|issued| IssuedView {
            name: new.name,
            token: issued.token,
            pending: issued
                .requests
                .into_iter()
                .map(|(scope, _)| scope)
                .collect(),
        }))
}

#[get("/admin/api-tokens/<id>/revoke")]
async fn confirm_revoke_token(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: ApiTokenId,
) -> AppResult<Template> {
    let token = service::find(state, id.0).await?;
    Ok(page.render("admin/api_tokens/revoke", RevokeView { token }))
}

#[post("/admin/api-tokens/<id>/revoke")]
async fn revoke_token(
    user: Authorized<Admins>,
    state: &State<AppState>,
    id: ApiTokenId,
) -> AppResult<Flash<Redirect>> {
    service::revoke(state, &user, id.0).await?;
    Ok(Flash::success(
        Redirect::to("/admin/api-tokens"),
        "flash-api-token-revoked",
    ))
}
