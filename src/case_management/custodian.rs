//! What an identity custodian does: decide inspectors' requests to see a denouncer's identity,
//! which the Law on Denunciations 2018 (Art. 9, 47) requires be kept secret, and their requests
//! for the originals of evidence files (`super::originals`), which can identify a reporter too. The custodian sees
//! the request and its reason, never the report or the identity itself. URL prefix
//! `/custodian`; every decision is audited.

use rocket::form::Form;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use serde_json::json;

use crate::auth::{Authorized, Custodians, StaffUser};
use crate::domain::ids::IdentityRequestId;
use crate::domain::report::clean_text;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{app_user, case_file, identity_request};
use crate::web::error::{AppError, AppResult};
use crate::web::format::local_time;
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::state::AppState;

pub fn routes() -> Vec<Route> {
    let mut all = routes![list_requests, decide_request];
    all.extend(super::api_scopes::routes());
    all
}

/// One request (for an identity, or for a file's original) as the custodian reads it.
#[derive(Serialize)]
pub struct RequestRow {
    pub id: i32,
    /// Where the decision is posted (`…/approve`, `…/deny`).
    pub path: String,
    /// What is asked for.
    pub what: String,
    pub reference: String,
    pub requester: String,
    pub reason: String,
    pub at: String,
    pub status: String,
    pub note: Option<String>,
    pub decided_at: Option<String>,
    /// Decided on its own review page (`super::api_scopes`) rather than on the list.
    pub review: bool,
}

/// The page `custodian/list`.
#[derive(Serialize)]
pub struct CustodianView {
    pending: Vec<RequestRow>,
    decided: Vec<RequestRow>,
}

impl CustodianView {
    /// The newest requests, pending ones apart.
    pub async fn load(state: &AppState, lang: Lang) -> AppResult<Self> {
        let conn = state.db.conn();
        let requests = identity_request::Entity::find()
            .order_by_desc(identity_request::Column::Id)
            .limit(200)
            .all(conn)
            .await?;
        let mut view = Self {
            pending: Vec::new(),
            decided: Vec::new(),
        };
        for r in requests {
            let pending = r.status == "pending";
            let row = RequestRow {
                id: r.id,
                path: format!("/custodian/requests/{}", r.id),
                what: lang.t("custodian-identity-of"),
                reference: reference(conn, r.report_id).await?,
                requester: requester(conn, r.requested_by).await?,
                at: local_time(r.created_at),
                status: lang.t(&format!("identity-status-{}", r.status)),
                decided_at: r.decided_at.map(local_time),
                reason: r.reason,
                note: r.decision_note,
                review: false,
            };
            if pending {
                view.pending.push(row);
            } else {
                view.decided.push(row);
            }
        }
        let (pending, decided) = super::originals::custodian_rows(conn, lang).await?;
        view.pending.extend(pending);
        view.decided.extend(decided);
        let (pending, decided) = super::api_scopes::custodian_rows(conn, lang).await?;
        view.pending.extend(pending);
        view.decided.extend(decided);
        Ok(view)
    }
}

/// "Name (email)" of a requester.
pub async fn requester<C: ConnectionTrait>(conn: &C, user_id: i32) -> Result<String, DbErr> {
    Ok(app_user::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .map(|u| format!("{} ({})", u.display_name, u.email))
        .unwrap_or_default())
}

/// The case reference of a report (empty when it has no case).
pub async fn reference<C: ConnectionTrait>(conn: &C, report_id: i32) -> Result<String, DbErr> {
    Ok(case_file::Entity::find()
        .filter(case_file::Column::ReportId.eq(report_id))
        .one(conn)
        .await?
        .map(|c| {
            crate::domain::case_ref::reference(
                report_id,
                chrono::Datelike::year(&crate::domain::calendar::local_date(c.received_at)),
            )
        })
        .unwrap_or_default())
}

#[get("/custodian")]
async fn list_requests(
    page: PageCtx,
    state: &State<AppState>,
    _user: Authorized<Custodians>,
) -> AppResult<Template> {
    let view = CustodianView::load(state, page.lang).await?;
    Ok(page.render("custodian/list", view))
}

#[derive(Debug, FromForm)]
struct DecisionForm {
    note: Option<String>,
}

#[post("/custodian/requests/<id>/<decision>", data = "<form>")]
async fn decide_request(
    state: &State<AppState>,
    user: Authorized<Custodians>,
    id: IdentityRequestId,
    decision: &str,
    form: Form<DecisionForm>,
) -> AppResult<Flash<Redirect>> {
    let status = match decision {
        "approve" => "approved",
        "deny" => "denied",
        _ => return Err(AppError::NotFound),
    };
    let note = form.note.clone().unwrap_or_default();
    Ok(match decide(state, &user, id, status, &note).await? {
        Ok(()) => Flash::success(Redirect::to("/custodian"), "flash-identity-decided"),
        Err(key) => Flash::error(Redirect::to("/custodian"), key),
    })
}

/// Records the custodian's decision (`approved` or `denied`) on a pending request, audited.
/// `Err(key)` when it was already decided or is the custodian's own request.
pub async fn decide(
    state: &AppState,
    user: &StaffUser,
    id: IdentityRequestId,
    status: &str,
    note: &str,
) -> AppResult<Result<(), &'static str>> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let request = identity_request::Entity::find_by_id(id.0)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if request.status != "pending" {
        return Ok(Err("error-identity-decided"));
    }
    if request.requested_by == user.id {
        return Ok(Err("error-identity-own-request"));
    }
    let note = clean_text(note);
    let report_id = request.report_id;
    let requester = request.requested_by;
    let mut active = request.into_active_model();
    active.status = Set(status.to_string());
    active.decided_by = Set(Some(user.id));
    active.decided_at = Set(Some(now));
    active.decision_note = Set((!note.is_empty()).then_some(note));
    active.update(&*tx).await?;
    tell_requester(&tx, state, now, report_id, requester).await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &user.actor(),
            action: if status == "approved" {
                "identity_request_approved"
            } else {
                "identity_request_denied"
            },
            object_type: "identity_request",
            object_id: Some(id.to_string()),
            details: json!({"report_id": report_id}),
        },
    )
    .await?;
    Ok(Ok(()))
}

/// Tells the requester that their identity request was decided (not how: the page says).
async fn tell_requester(
    tx: &crate::platform::persistence::WriteTx,
    state: &AppState,
    now: chrono::DateTime<chrono::Utc>,
    report_id: i32,
    requester: i32,
) -> Result<(), sea_orm::DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let case = crate::platform::persistence::entities::case_file::Entity::find()
        .filter(crate::platform::persistence::entities::case_file::Column::ReportId.eq(report_id))
        .one(&**tx)
        .await?;
    match case {
        Some(case) => {
            super::alerts::tell_user(
                &**tx,
                &state.config,
                now,
                &case,
                requester,
                "identity-decided",
                None,
            )
            .await
        }
        None => Ok(()),
    }
}
