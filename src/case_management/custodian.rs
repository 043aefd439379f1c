//! What an identity custodian does (DOMAIN.md §4): decide inspectors' requests to see a
//! denouncer's identity. The custodian sees the request and its reason, never the report or
//! the identity itself. URL prefix `/custodian`; every decision is audited.

use rocket::form::Form;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::json;

use crate::auth::Authorized;
use crate::auth::Custodians;
use crate::domain::report::clean_text;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{app_user, case_file, identity_request};
use crate::web::error::{AppError, AppResult};
use crate::web::format::local_time;
use crate::web::page::PageCtx;
use crate::web::state::AppState;

pub fn routes() -> Vec<Route> {
    routes![list_requests, decide_request]
}

#[get("/custodian")]
async fn list_requests(
    page: PageCtx,
    state: &State<AppState>,
    _user: Authorized<Custodians>,
) -> AppResult<Template> {
    let conn = state.db.conn();
    let requests = identity_request::Entity::find()
        .order_by_desc(identity_request::Column::Id)
        .limit(200)
        .all(conn)
        .await?;
    let mut pending = Vec::new();
    let mut decided = Vec::new();
    for r in requests {
        let requester = app_user::Entity::find_by_id(r.requested_by)
            .one(conn)
            .await?
            .map(|u| format!("{} ({})", u.display_name, u.email))
            .unwrap_or_default();
        let reference = case_file::Entity::find()
            .filter(case_file::Column::ReportId.eq(r.report_id))
            .one(conn)
            .await?
            .map(|c| {
                crate::domain::case_ref::reference(
                    r.report_id,
                    chrono::Datelike::year(&crate::domain::calendar::local_date(c.received_at)),
                )
            })
            .unwrap_or_default();
        let row = json!({
            "id": r.id,
            "reference": reference,
            "requester": requester,
            "reason": r.reason,
            "at": local_time(r.created_at),
            "status": page.lang.t(&format!("identity-status-{}", r.status)),
            "note": r.decision_note,
            "decided_at": r.decided_at.map(local_time),
        });
        if r.status == "pending" {
            pending.push(row);
        } else {
            decided.push(row);
        }
    }
    Ok(page.render(
        "custodian/list",
        json!({"pending": pending, "decided": decided}),
    ))
}

#[derive(Debug, FromForm)]
struct DecisionForm {
    note: Option<String>,
}

#[post("/custodian/requests/<id>/<decision>", data = "<form>")]
async fn decide_request(
    state: &State<AppState>,
    user: Authorized<Custodians>,
    id: i32,
    decision: &str,
    form: Form<DecisionForm>,
) -> AppResult<Flash<Redirect>> {
    let status = match decision {
        "approve" => "approved",
        "deny" => "denied",
        _ => return Err(AppError::NotFound),
    };
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let request = identity_request::Entity::find_by_id(id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if request.status != "pending" {
        return Ok(Flash::error(
            Redirect::to("/custodian"),
            "error-identity-decided",
        ));
    }
    if request.requested_by == user.id {
        return Ok(Flash::error(
            Redirect::to("/custodian"),
            "error-identity-own-request",
        ));
    }
    let note = clean_text(&form.note.clone().unwrap_or_default());
    let report_id = request.report_id;
    let mut active = request.into_active_model();
    active.status = Set(status.to_string());
    active.decided_by = Set(Some(user.id));
    active.decided_at = Set(Some(now));
    active.decision_note = Set((!note.is_empty()).then_some(note));
    active.update(&*tx).await?;
    audit::record(
        &*tx,
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
    tx.commit().await?;
    Ok(Flash::success(
        Redirect::to("/custodian"),
        "flash-identity-decided",
    ))
}
