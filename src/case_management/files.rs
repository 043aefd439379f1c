//! Evidence files from the investigators' side: attaching files to a case (shared with the
//! reporter or internal) and fetching every file of a case they may see; originals only with a
//! custodian's running approval (`super::originals`). URL prefix `/cases/<id>/files`; anything else is 404.

use rocket::data::Data;
use rocket::http::ContentType;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, Route, State};
use serde::Serialize;

use super::evidence::{self as service, Download, Uploader, Variant, INTERNAL, SHARED};
use crate::auth::{Authorized, Investigators, StaffUser};
use crate::case_management::access::{load_case, Viewer};
use crate::case_management::evidence::{commit_files, CommitError};
use crate::domain::ids::{CaseId, FileId};
use crate::platform::evidence::upload::{self, UploadError};
use crate::web::error::AppResult;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;
use crate::web::upload::{store_failure, upload_error_status, upload_error_text};

/// The files' routes, with the requests for originals and the custodian's decisions on them.
pub fn routes() -> Vec<Route> {
    let mut all = routes![staff_upload, staff_download, staff_original, staff_preview];
    all.extend(super::originals::routes());
    all
}

/// What became of an upload.
enum Attached {
    /// The files were stored and recorded.
    Added,
    /// The form carried no file.
    Nothing,
    /// A file was refused, or the body was unreadable.
    Refused(UploadError),
}

/// The page `errors/upload`.
#[derive(Serialize)]
struct UploadErrorView {
    message: String,
    back: String,
}

/// Receives the files of the multipart body and records them on case `id`, within what the
/// case may still hold.
async fn attach(
    state: &AppState,
    user: &StaffUser,
    id: CaseId,
    content_type: &ContentType,
    data: Data<'_>,
) -> AppResult<Attached> {
    let conn = state.db.conn();
    let viewer = Viewer::of(conn, user.clone()).await?;
    load_case(conn, &viewer, id.0).await?;
    let data_key = service::data_key(conn, state, id.0).await?;
    let uploader = Uploader::Staff(user.id);
    let allowance = service::allowance(conn, &state.config.evidence, Some(id.0), uploader).await?;
    let mut received = upload::receive(
        &state.evidence,
        content_type,
        data,
        &data_key,
        allowance,
        "files",
    )
    .await;
    if let Some(error) = received.error.take() {
        store_failure(&error);
        return Ok(Attached::Refused(error));
    }
    if received.files.is_empty() {
        return Ok(Attached::Nothing);
    }
    let visibility = match received.field("visibility") {
        Some(SHARED) => SHARED,
        _ => INTERNAL,
    };
    match commit_files(state, id.0, uploader, visibility, &received, &user.actor()).await {
        Ok(()) => Ok(Attached::Added),
        Err(CommitError::Failed(error)) => Err(error),
        Err(CommitError::Over(refusal)) => Ok(Attached::Refused(UploadError::Refused {
            name: String::new(),
            refusal,
        })),
    }
}

#[post("/cases/<id>/files", format = "multipart/form-data", data = "<data>")]
async fn staff_upload(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
    content_type: &ContentType,
    data: Data<'_>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let target = format!("/cases/{id}#files");
    match attach(state, &user, id, content_type, data).await {
        Ok(Attached::Added) => Ok(Flash::success(Redirect::to(target), "flash-files-added")),
        Ok(Attached::Nothing) => Ok(Flash::warning(Redirect::to(target), "evidence-error-none")),
        Ok(Attached::Refused(error)) => {
            let message = upload_error_text(page.lang, &error, &state.config.evidence);
            let view = UploadErrorView {
                message,
                back: target,
            };
            let status = upload_error_status(&error);
            Err(AppResultPage::Page(page.render_status(
                status,
                "errors/upload",
                view,
            )))
        }
        Err(error) => Err(AppResultPage::Error(error)),
    }
}

async fn staff_file(
    state: &AppState,
    user: &Authorized<Investigators>,
    id: CaseId,
    file_id: FileId,
) -> AppResult<crate::platform::persistence::entities::evidence_file::Model> {
    let conn = state.db.conn();
    let viewer = Viewer::of(conn, user.user.clone()).await?;
    load_case(conn, &viewer, id.0).await?;
    service::find(conn, id.0, file_id.0, false).await
}

#[get("/cases/<id>/files/<file_id>")]
async fn staff_download(
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
    file_id: FileId,
) -> AppResult<Download> {
    let row = staff_file(state, &user, id, file_id).await?;
    service::download(state, &user.actor(), row, Variant::Default).await
}

#[get("/cases/<id>/files/<file_id>/original")]
async fn staff_original(
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
    file_id: FileId,
) -> AppResult<Download> {
    let row = staff_file(state, &user, id, file_id).await?;
    super::originals::download(state, &user, row).await
}

#[get("/cases/<id>/files/<file_id>/preview")]
async fn staff_preview(
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
    file_id: FileId,
) -> AppResult<Download> {
    let row = staff_file(state, &user, id, file_id).await?;
    service::download(state, &user.actor(), row, Variant::Preview).await
}
