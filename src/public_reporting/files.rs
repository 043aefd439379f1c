//! Files from the reporter's side: adding evidence from the follow-up page and downloading
//! what they and the inspectors shared. URL prefix `/follow-up/files`; every route needs the
//! reporter's session and answers only for files of that report.

use rocket::data::Data;
use rocket::http::{ContentType, Status};
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, Route, State};
use serde_json::json;

use crate::auth::reporter::ReporterSession;
use crate::case_management::evidence::{self as service, Download, Uploader, Variant, SHARED};
use crate::case_management::evidence::{commit_files, CommitError};
use crate::domain::report::limits;
use crate::platform::audit::Actor;
use crate::platform::evidence::upload::{self, UploadError};
use crate::web::error::AppResult;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;
use crate::web::throttle::ThrottleKey;
use crate::web::upload::{store_failure, upload_error_status, upload_error_text, upload_notes};

pub fn routes() -> Vec<Route> {
    routes![
        reporter_upload,
        reporter_upload_without_session,
        reporter_download,
        reporter_preview,
    ]
}

#[post("/follow-up/files", format = "multipart/form-data", data = "<data>")]
async fn reporter_upload(
    page: PageCtx,
    state: &State<AppState>,
    session: ReporterSession,
    address: ThrottleKey,
    content_type: &ContentType,
    data: Data<'_>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let report_id = session.report_id;
    let conn = state.db.conn();
    let data_key = service::data_key(conn, state, report_id)
        .await
        .map_err(AppResultPage::Error)?;
    let allowance = service::allowance(
        conn,
        &state.config.evidence,
        Some(report_id),
        Uploader::Reporter,
    )
    .await
    .map_err(AppResultPage::Error)?;
    let received = upload::receive_anonymous(
        &state.evidence,
        &address.0,
        state.clock.now(),
        content_type,
        data,
        &data_key,
        allowance,
        "files",
    )
    .await;
    let failure = match (&received.error, received.files.is_empty()) {
        (Some(error), _) => Some((
            upload_error_status(error),
            upload_error_text(page.lang, error, &state.config.evidence),
        )),
        (None, true) => Some((
            Status::UnprocessableEntity,
            page.lang.t("evidence-error-none"),
        )),
        (None, false) => None,
    };
    if let Some((status, message)) = failure {
        if let Some(error) = &received.error {
            store_failure(error);
        }
        return Err(status_page_with_error(state, &page, report_id, status, message).await);
    }
    let committed = commit_files(
        state,
        report_id,
        Uploader::Reporter,
        SHARED,
        &received,
        &Actor::Claimed("reporter".into()),
    )
    .await;
    match committed {
        Ok(()) => {}
        Err(CommitError::Failed(error)) => return Err(AppResultPage::Error(error)),
        Err(CommitError::Over(refusal)) => {
            let error = UploadError::Refused {
                name: String::new(),
                refusal,
            };
            let message = upload_error_text(page.lang, &error, &state.config.evidence);
            return Err(status_page_with_error(
                state,
                &page,
                report_id,
                upload_error_status(&error),
                message,
            )
            .await);
        }
    }
    Ok(Flash::success(
        Redirect::to("/follow-up/status#files"),
        "flash-files-added",
    ))
}

async fn status_page_with_error(
    state: &AppState,
    page: &PageCtx,
    report_id: i32,
    status: Status,
    message: String,
) -> AppResultPage {
    match crate::public_reporting::service::status_view(state, report_id, page.lang).await {
        Ok(view) => AppResultPage::Page(page.render_status(
            status,
            "public/status",
            json!({
                "report": view,
                "reply": "",
                "reply_error": null,
                "reply_max": limits::REPLY_MAX,
                "file_error": message,
                "uploads": upload_notes(state, page.lang),
            }),
        )),
        Err(error) => AppResultPage::Error(error),
    }
}

#[post("/follow-up/files", rank = 2)]
fn reporter_upload_without_session() -> Flash<Redirect> {
    Flash::warning(Redirect::to("/follow-up"), "flash-follow-up-expired")
}

#[get("/follow-up/files/<file_id>")]
async fn reporter_download(
    state: &State<AppState>,
    session: ReporterSession,
    file_id: i32,
) -> AppResult<Download> {
    let row = service::find(state.db.conn(), session.report_id, file_id, true).await?;
    service::download(
        state,
        &Actor::Claimed("reporter".into()),
        row,
        Variant::Default,
    )
    .await
}

#[get("/follow-up/files/<file_id>/preview")]
async fn reporter_preview(
    state: &State<AppState>,
    session: ReporterSession,
    file_id: i32,
) -> AppResult<Download> {
    let row = service::find(state.db.conn(), session.report_id, file_id, true).await?;
    service::download(
        state,
        &Actor::Claimed("reporter".into()),
        row,
        Variant::Preview,
    )
    .await
}
