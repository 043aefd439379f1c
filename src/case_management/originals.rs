//! Originals of evidence files, behind the identity custodian. The copy inspectors normally get
//! has its metadata removed; the original keeps the GPS position and the device, which can
//! identify an anonymous reporter as surely as a name. So an inspector asks for the original
//! with a reason (`POST /cases/<id>/files/<file>/original-request`), a custodian approves or
//! denies it (`POST /custodian/originals/<id>/<decision>`, never their own request), and an
//! approval lets that inspector download that file's original for [`ACCESS_HOURS`] hours.
//! Without one, `GET /cases/<id>/files/<file>/original` answers 403. Every step is audited.

use chrono::{DateTime, Duration, Utc};
use rocket::form::Form;
use rocket::response::{Flash, Redirect};
use rocket::{post, routes, FromForm, Route, State};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use super::access::{load_case, Viewer};
use super::custodian::{reference, requester, RequestRow};
use super::evidence::{self as files, FileView};
use crate::auth::{Authorized, Custodians, Investigators, StaffUser};
use crate::domain::ids::{CaseId, FileId, OriginalRequestId};
use crate::domain::report::clean_text;
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::{evidence_file, original_request};
use crate::web::error::{AppError, AppResult};
use crate::web::format::local_time;
use crate::web::i18n::Lang;
use crate::web::state::AppState;

/// How long an approval lets the requester download the original.
pub const ACCESS_HOURS: i64 = 24;

pub fn routes() -> Vec<Route> {
    routes![request_original, decide_original]
}

#[derive(Debug, FromForm)]
struct ReasonForm {
    reason: Option<String>,
}

#[post("/cases/<id>/files/<file>/original-request", data = "<form>")]
async fn request_original(
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
    file: FileId,
    form: Form<ReasonForm>,
) -> AppResult<Flash<Redirect>> {
    let viewer = Viewer::of(state.db.conn(), user.user.clone()).await?;
    let reason = form.reason.clone().unwrap_or_default();
    let back = Redirect::to(format!("/cases/{id}#files"));
    Ok(match request(state, &viewer, id, file, &reason).await? {
        Ok(()) => Flash::success(back, "flash-original-requested"),
        Err(key) => Flash::error(back, key),
    })
}

/// Records `viewer`'s request for the original of `file`, audited. `Err(key)` when the reason
/// is too short or a request of theirs for it is already pending.
pub async fn request(
    state: &AppState,
    viewer: &Viewer,
    id: CaseId,
    file: FileId,
    reason: &str,
) -> AppResult<Result<(), &'static str>> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    // Access first: whoever may not open the case learns nothing, not even a form error.
    load_case(&*tx, viewer, id.0).await?;
    files::find(&*tx, id.0, file.0, false).await?;
    let reason = clean_text(reason);
    if !(10..=5000).contains(&reason.chars().count()) {
        return Ok(Err("error-original-reason"));
    }
    let pending = original_request::Entity::find()
        .filter(original_request::Column::EvidenceFileId.eq(file.0))
        .filter(original_request::Column::RequestedBy.eq(viewer.user.id))
        .filter(original_request::Column::Status.eq("pending"))
        .one(&*tx)
        .await?;
    if pending.is_some() {
        return Ok(Err("error-original-pending"));
    }
    let row = original_request::ActiveModel {
        report_id: Set(id.0),
        evidence_file_id: Set(file.0),
        requested_by: Set(viewer.user.id),
        reason: Set(reason),
        status: Set("pending".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &viewer.user.actor(),
            action: "original_requested",
            object_type: "original_request",
            object_id: Some(row.id.to_string()),
            details: json!({"report_id": id.0, "file_id": file.0}),
        },
    )
    .await?;
    Ok(Ok(()))
}

/// Until when `user_id` may download the original of `file_id` (an approval still running).
pub async fn approved_until<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    file_id: i32,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(original_request::Entity::find()
        .filter(original_request::Column::EvidenceFileId.eq(file_id))
        .filter(original_request::Column::RequestedBy.eq(user_id))
        .filter(original_request::Column::Status.eq("approved"))
        .filter(original_request::Column::ExpiresAt.gt(now))
        .order_by_desc(original_request::Column::ExpiresAt)
        .one(conn)
        .await?
        .and_then(|r| r.expires_at))
}

/// The original of `row` for `user`, when a custodian's approval for them is still running;
/// 403 otherwise. The download itself is audited by [`files::download`].
pub async fn download(
    state: &AppState,
    user: &StaffUser,
    row: evidence_file::Model,
) -> AppResult<files::Download> {
    let now = state.clock.now();
    if approved_until(state.db.conn(), user.id, row.id, now)
        .await?
        .is_none()
    {
        return Err(AppError::Forbidden);
    }
    files::download(state, &user.actor(), row, files::Variant::Original).await
}

/// Marks on each file whether `viewer` may download its original now, or has asked.
pub async fn mark<C: ConnectionTrait>(
    conn: &C,
    viewer: &Viewer,
    mut views: Vec<FileView>,
    now: DateTime<Utc>,
) -> Result<Vec<FileView>, DbErr> {
    for view in &mut views {
        view.original_until = approved_until(conn, viewer.user.id, view.id, now)
            .await?
            .map(local_time);
        view.original_pending = original_request::Entity::find()
            .filter(original_request::Column::EvidenceFileId.eq(view.id))
            .filter(original_request::Column::RequestedBy.eq(viewer.user.id))
            .filter(original_request::Column::Status.eq("pending"))
            .one(conn)
            .await?
            .is_some();
    }
    Ok(views)
}

/// The newest requests for originals as the custodian reads them: (pending, decided).
pub async fn custodian_rows<C: ConnectionTrait>(
    conn: &C,
    lang: Lang,
) -> Result<(Vec<RequestRow>, Vec<RequestRow>), DbErr> {
    let requests = original_request::Entity::find()
        .order_by_desc(original_request::Column::Id)
        .limit(200)
        .all(conn)
        .await?;
    let (mut pending, mut decided) = (Vec::new(), Vec::new());
    for r in requests {
        let name = evidence_file::Entity::find_by_id(r.evidence_file_id)
            .one(conn)
            .await?
            .map(|f| f.display_name)
            .unwrap_or_default();
        let row = RequestRow {
            id: r.id,
            path: format!("/custodian/originals/{}", r.id),
            what: lang.t_args("custodian-original-of", &[("name", name)]),
            reference: reference(conn, r.report_id).await?,
            requester: requester(conn, r.requested_by).await?,
            at: local_time(r.created_at),
            status: lang.t(&format!("identity-status-{}", r.status)),
            decided_at: r.decided_at.map(local_time),
            reason: r.reason,
            note: r.decision_note,
            review: false,
        };
        if r.status == "pending" {
            pending.push(row);
        } else {
            decided.push(row);
        }
    }
    Ok((pending, decided))
}

#[derive(Debug, FromForm)]
struct DecisionForm {
    note: Option<String>,
}

#[post("/custodian/originals/<id>/<decision>", data = "<form>")]
async fn decide_original(
    state: &State<AppState>,
    user: Authorized<Custodians>,
    id: OriginalRequestId,
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

/// Records the custodian's decision (`approved` or `denied`) on a pending request, audited; an
/// approval runs for [`ACCESS_HOURS`]. `Err(key)` when it was already decided or is the
/// custodian's own request.
pub async fn decide(
    state: &AppState,
    user: &StaffUser,
    id: OriginalRequestId,
    status: &str,
    note: &str,
) -> AppResult<Result<(), &'static str>> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let request = original_request::Entity::find_by_id(id.0)
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
    let (report_id, file_id) = (request.report_id, request.evidence_file_id);
    let expires = (status == "approved").then(|| now + Duration::hours(ACCESS_HOURS));
    let mut active = request.into_active_model();
    active.status = Set(status.to_string());
    active.decided_by = Set(Some(user.id));
    active.decided_at = Set(Some(now));
    active.decision_note = Set((!note.is_empty()).then_some(note));
    active.expires_at = Set(expires);
    active.update(&*tx).await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &user.actor(),
            action: if status == "approved" {
                "original_request_approved"
            } else {
                "original_request_denied"
            },
            object_type: "original_request",
            object_id: Some(id.to_string()),
            details: json!({
                "report_id": report_id,
                "file_id": file_id,
                "expires_at": expires.map(|e| e.to_rfc3339()),
            }),
        },
    )
    .await?;
    Ok(Ok(()))
}
