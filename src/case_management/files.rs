//! Evidence files from the investigators' side: attaching files to a case (shared with the
//! reporter or internal) and fetching every file of a case they may see; originals of photos
//! behind a warning. URL prefix `/cases/<id>/files`; anything else is 404.

use rocket::data::Data;
use rocket::http::ContentType;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, Route, State};
use serde_json::json;

use super::evidence::{self as service, Download, Uploader, Variant, INTERNAL, SHARED};
use crate::auth::Authorized;
use crate::auth::Investigators;
use crate::case_management::access::{load_case, Viewer};
use crate::case_management::evidence::{commit_files, CommitError};
use crate::platform::evidence::upload::{self, UploadError};
use crate::web::error::AppResult;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;
use crate::web::upload::{store_failure, upload_error_status, upload_error_text};

pub fn routes() -> Vec<Route> {
    routes![staff_upload, staff_download, staff_original, staff_preview]
}

#[post("/cases/<id>/files", format = "multipart/form-data", data = "<data>")]
async fn staff_upload(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
    content_type: &ContentType,
    data: Data<'_>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let conn = state.db.conn();
    let viewer = Viewer::of(conn, user.user.clone())
        .await
        .map_err(AppResultPage::Error)?;
    load_case(conn, &viewer, id)
        .await
        .map_err(AppResultPage::Error)?;
    let data_key = service::data_key(conn, state, id)
        .await
        .map_err(AppResultPage::Error)?;
    let uploader = Uploader::Staff(user.user.id);
    let allowance = service::allowance(conn, &state.config.evidence, Some(id), uploader)
        .await
        .map_err(AppResultPage::Error)?;
    let received = upload::receive(
        &state.evidence,
        content_type,
        data,
        &data_key,
        allowance,
        "files",
    )
    .await;
    let target = format!("/cases/{id}#files");
    let refused = |error: &UploadError| {
        let text = upload_error_text(page.lang, error, &state.config.evidence);
        AppResultPage::Page(page.render_status(
            upload_error_status(error),
            "errors/upload",
            json!({"message": text, "back": target}),
        ))
    };
    if let Some(error) = &received.error {
        store_failure(error);
        return Err(refused(error));
    }
    if received.files.is_empty() {
        return Ok(Flash::warning(Redirect::to(target), "evidence-error-none"));
    }
    let visibility = match received.field("visibility") {
        Some(SHARED) => SHARED,
        _ => INTERNAL,
    };
    match commit_files(state, id, uploader, visibility, &received, &user.actor()).await {
        Ok(()) => Ok(Flash::success(Redirect::to(target), "flash-files-added")),
        Err(CommitError::Failed(error)) => Err(AppResultPage::Error(error)),
        Err(CommitError::Over(refusal)) => Err(refused(&UploadError::Refused {
            name: String::new(),
            refusal,
        })),
    }
}

async fn staff_file(
    state: &AppState,
    user: &Authorized<Investigators>,
    id: i32,
    file_id: i32,
) -> AppResult<crate::platform::persistence::entities::evidence_file::Model> {
    let conn = state.db.conn();
    let viewer = Viewer::of(conn, user.user.clone()).await?;
    load_case(conn, &viewer, id).await?;
    service::find(conn, id, file_id, false).await
}

#[get("/cases/<id>/files/<file_id>")]
async fn staff_download(
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
    file_id: i32,
) -> AppResult<Download> {
    let row = staff_file(state, &user, id, file_id).await?;
    service::download(state, &user.actor(), row, Variant::Default).await
}

#[get("/cases/<id>/files/<file_id>/original")]
async fn staff_original(
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
    file_id: i32,
) -> AppResult<Download> {
    let row = staff_file(state, &user, id, file_id).await?;
    service::download(state, &user.actor(), row, Variant::Original).await
}

#[get("/cases/<id>/files/<file_id>/preview")]
async fn staff_preview(
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
    file_id: i32,
) -> AppResult<Download> {
    let row = staff_file(state, &user, id, file_id).await?;
    service::download(state, &user.actor(), row, Variant::Preview).await
}
