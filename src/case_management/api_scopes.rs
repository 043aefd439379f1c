//! A custodian's decision on a scope an admin asked for on an integration token and that
//! opens what identity custodians guard the access to: `cases:text`, the text of a team's
//! reports (`auth::api_token::Scope::needs_custodian`). The same rule as identity requests
//! (`super::custodian`): the request waits on `/custodian`, the custodian reviews it on its
//! own page and approves or refuses it (CSRF, with a note), nobody decides their own request,
//! and every decision is audited. Only an approval adds the scope to the token.
//!
//! URL prefix `/custodian/api-scopes`, `Authorized<Custodians>`.

use rocket::form::Form;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryOrder,
    QuerySelect, Set,
};
use serde::Serialize;
use serde_json::json;

use super::custodian::{requester, RequestRow};
use crate::auth::api_token::Scope;
use crate::auth::{Authorized, Custodians, StaffUser};
use crate::domain::ids::ApiScopeRequestId;
use crate::domain::report::clean_text;
use crate::platform::audit::{self, Actor, Entry};
use crate::platform::persistence::entities::{api_scope_request, api_token, inspection_team};
use crate::web::error::{AppError, AppResult};
use crate::web::format::local_time;
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::state::AppState;

pub fn routes() -> Vec<Route> {
    routes![review_request, decide_request]
}

const PATH: &str = "/custodian/api-scopes";

/// The API scope requests as the custodian list shows them, pending ones apart.
pub async fn custodian_rows<C: ConnectionTrait>(
    conn: &C,
    lang: Lang,
) -> Result<(Vec<RequestRow>, Vec<RequestRow>), DbErr> {
    let requests = api_scope_request::Entity::find()
        .order_by_desc(api_scope_request::Column::Id)
        .limit(200)
        .all(conn)
        .await?;
    let (mut pending, mut decided) = (Vec::new(), Vec::new());
    for r in requests {
        let token = api_token::Entity::find_by_id(r.token_id).one(conn).await?;
        let row = RequestRow {
            id: r.id,
            path: format!("{PATH}/{}", r.id),
            what: lang.t_args("custodian-api-scope-of", &[("scope", r.scope.clone())]),
            reference: token.map(|t| t.name).unwrap_or_default(),
            requester: requester_of(conn, r.requested_by, lang).await?,
            at: local_time(r.created_at),
            status: lang.t(&format!("identity-status-{}", r.status)),
            decided_at: r.decided_at.map(local_time),
            reason: lang.t(&scope_key(&r.scope)),
            note: r.decision_note,
            review: true,
        };
        if r.status == "pending" {
            pending.push(row);
        } else {
            decided.push(row);
        }
    }
    Ok((pending, decided))
}

fn scope_key(scope: &str) -> String {
    format!("api-scope-{}", scope.replace(':', "-"))
}

async fn requester_of<C: ConnectionTrait>(
    conn: &C,
    user: Option<i32>,
    lang: Lang,
) -> Result<String, DbErr> {
    match user {
        Some(id) => requester(conn, id).await,
        None => Ok(lang.t("custodian-api-scope-command-line")),
    }
}

/// `custodian/api_scope`: one request, to approve or refuse.
#[derive(Serialize)]
pub struct ScopeRequestView {
    path: String,
    integration: String,
    team: Option<String>,
    scope: String,
    scope_explained: String,
    requester: String,
    at: String,
    expires_at: String,
    pending: bool,
    status: String,
}

impl ScopeRequestView {
    async fn load(state: &AppState, lang: Lang, id: i32) -> AppResult<Self> {
        let conn = state.db.conn();
        let request = api_scope_request::Entity::find_by_id(id)
            .one(conn)
            .await?
            .ok_or(AppError::NotFound)?;
        let token = api_token::Entity::find_by_id(request.token_id)
            .one(conn)
            .await?
            .ok_or(AppError::NotFound)?;
        let team = match token.team_id {
            Some(team) => inspection_team::Entity::find_by_id(team)
                .one(conn)
                .await?
                .map(|t| t.name),
            None => None,
        };
        Ok(Self {
            path: format!("{PATH}/{id}"),
            integration: token.name,
            team,
            scope_explained: lang.t(&scope_key(&request.scope)),
            scope: request.scope,
            requester: requester_of(conn, request.requested_by, lang).await?,
            at: local_time(request.created_at),
            expires_at: local_time(token.expires_at),
            pending: request.status == "pending",
            status: lang.t(&format!("identity-status-{}", request.status)),
        })
    }
}

#[get("/custodian/api-scopes/<id>")]
async fn review_request(
    page: PageCtx,
    state: &State<AppState>,
    _user: Authorized<Custodians>,
    id: ApiScopeRequestId,
) -> AppResult<Template> {
    let view = ScopeRequestView::load(state, page.lang, id.0).await?;
    Ok(page.render("custodian/api_scope", view))
}

#[derive(Debug, FromForm)]
struct DecisionForm {
    note: Option<String>,
}

#[post("/custodian/api-scopes/<id>/<decision>", data = "<form>")]
async fn decide_request(
    state: &State<AppState>,
    user: Authorized<Custodians>,
    id: ApiScopeRequestId,
    decision: &str,
    form: Form<DecisionForm>,
) -> AppResult<Flash<Redirect>> {
    let approve = match decision {
        "approve" => true,
        "deny" => false,
        _ => return Err(AppError::NotFound),
    };
    let note = form.note.clone().unwrap_or_default();
    Ok(match decide(state, &user, id.0, approve, &note).await? {
        Ok(()) => Flash::success(Redirect::to("/custodian"), "flash-api-scope-decided"),
        Err(key) => Flash::error(Redirect::to("/custodian"), key),
    })
}

/// Who decides: a custodian on the page, or the command line naming a custodian's account
/// (`conduct-portal api-token approve`).
pub struct Decider {
    pub user_id: i32,
    pub actor: Actor,
}

impl Decider {
    pub fn custodian(user: &StaffUser) -> Self {
        Self {
            user_id: user.id,
            actor: user.actor(),
        }
    }
}

/// Records a decision on a pending request; an approval adds the scope to the token, in the
/// same audited transaction. `Err(key)` when it was decided already or is the decider's own.
pub async fn decide(
    state: &AppState,
    user: &StaffUser,
    id: i32,
    approve: bool,
    note: &str,
) -> AppResult<Result<(), &'static str>> {
    decide_as(state, &Decider::custodian(user), id, approve, note).await
}

/// [`decide`] for any [`Decider`].
pub async fn decide_as(
    state: &AppState,
    decider: &Decider,
    id: i32,
    approve: bool,
    note: &str,
) -> AppResult<Result<(), &'static str>> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let request = api_scope_request::Entity::find_by_id(id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if request.status != "pending" {
        return Ok(Err("error-identity-decided"));
    }
    if request.requested_by == Some(decider.user_id) {
        return Ok(Err("error-api-scope-own-request"));
    }
    let token = api_token::Entity::find_by_id(request.token_id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let scope = request.scope.clone();
    let token_id = token.id;
    let note = clean_text(note);
    let mut active = request.into_active_model();
    active.status = Set(if approve { "approved" } else { "denied" }.into());
    active.decided_by = Set(Some(decider.user_id));
    active.decided_at = Set(Some(now));
    active.decision_note = Set((!note.is_empty()).then_some(note));
    active.update(&*tx).await?;
    if approve && Scope::parse(&scope).is_some() {
        let mut scopes: Vec<String> = token
            .scopes
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string)
            .collect();
        if !scopes.contains(&scope) {
            scopes.push(scope.clone());
        }
        let mut active = token.into_active_model();
        active.scopes = Set(scopes.join(","));
        active.update(&*tx).await?;
    }
    let entry = Entry {
        actor: &decider.actor,
        action: if approve {
            "api_scope_approved"
        } else {
            "api_scope_denied"
        },
        object_type: "api_token",
        object_id: Some(token_id.to_string()),
        details: json!({"request_id": id, "scope": scope}),
    };
    audit::record_and_commit(tx, now, entry).await?;
    Ok(Ok(()))
}
