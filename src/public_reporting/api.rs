//! The public slice's endpoints of the JSON API (`/api/v1`), for apps that file and follow
//! reports for customers (the CSKH app, the Zalo account): the reference lists, report
//! submission with files as a second step, and the follow-up with a short-lived bearer token.
//! Same validation, transaction, encryption, limits and anonymity as the web form: the
//! handlers call the slice's own services. The receipt code appears only in the submission's
//! response; no response carries a reporter's identity.

use rocket::data::Data;
use rocket::http::{ContentType, Header, Status};
use rocket::response::Responder;
use rocket::serde::json::Json;
use rocket::{get, post, routes, Route, State};
use utoipa::OpenApi;

use super::api_flow;
use super::api_types::*;
use crate::auth::api_reporter::ReporterBearer;
use crate::domain::ids::FileId;
use crate::web::api::etag::{IfNoneMatch, Tagged};
use crate::web::api::idempotency::IdempotencyHeader;
use crate::web::api::{ApiJson, ApiLang, ApiLimits, ApiResult};
use crate::web::state::AppState;
use crate::web::throttle::ThrottleKey;

pub fn routes() -> Vec<Route> {
    let mut all = routes![
        list_units,
        list_categories,
        submit_report,
        upload_files,
        open_session,
        show_status,
        show_timeline,
        list_messages,
        post_reply,
        show_outcome,
        list_files,
        download_file,
    ];
    all.extend(super::intake::api::routes());
    all
}

#[derive(OpenApi)]
#[openapi(paths(
    list_units,
    list_categories,
    submit_report,
    upload_files,
    open_session,
    show_status,
    show_timeline,
    list_messages,
    post_reply,
    show_outcome,
    list_files,
    download_file
))]
struct PublicApi;

/// This slice's part of the OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut document = PublicApi::openapi();
    document.merge(super::intake::api::openapi());
    document
}

/// A `201 Created` JSON body, with `Idempotent-Replayed: true` when it answers a retry.
#[derive(Responder)]
#[response(status = 201, content_type = "json")]
pub struct Created<T> {
    pub body: Json<T>,
    pub replayed: Header<'static>,
}

/// The active units.
#[utoipa::path(get, path = "/api/v1/units", tag = "public",
    params(("If-None-Match" = Option<String>, Header, description = "The `ETag` held")),
    responses(
        (status = 200, description = "The units", body = UnitList,
            headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Unchanged since the `ETag` held")))]
#[get("/api/v1/units")]
async fn list_units(state: &State<AppState>, held: IfNoneMatch) -> ApiResult<Tagged> {
    api_flow::units(state, &held).await
}

/// The active violation categories.
#[utoipa::path(get, path = "/api/v1/categories", tag = "public",
    params(("If-None-Match" = Option<String>, Header, description = "The `ETag` held")),
    responses(
        (status = 200, description = "The categories", body = CategoryList,
            headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Unchanged since the `ETag` held")))]
#[get("/api/v1/categories")]
async fn list_categories(state: &State<AppState>, held: IfNoneMatch) -> ApiResult<Tagged> {
    api_flow::categories(state, &held).await
}

/// Sends a report; answers its receipt code once.
///
/// With an `Idempotency-Key`, a retry with the same key and body answers the same receipt and
/// files nothing more; the same key with another body is refused (422).
#[utoipa::path(post, path = "/api/v1/reports", tag = "public", request_body = NewReportBody,
    params(("Idempotency-Key" = Option<String>, Header,
        description = "8–128 visible ASCII characters, e.g. a UUID; kept for a day")),
    responses((status = 201, description = "Received", body = ReportReceipt,
        headers(("Idempotent-Replayed" = String, description = "`true` when this answers a retry")))))]
#[post("/api/v1/reports", data = "<body>")]
async fn submit_report(
    state: &State<AppState>,
    limits: &State<ApiLimits>,
    address: ThrottleKey,
    key: IdempotencyHeader,
    body: ApiJson<NewReportBody>,
) -> ApiResult<Created<ReportReceipt>> {
    let (receipt, replayed) = api_flow::submit(state, limits, &address.0, key.0, body.0).await?;
    Ok(Created {
        body: Json(receipt),
        replayed: Header::new("Idempotent-Replayed", replayed.to_string()),
    })
}

/// Adds files to a report just sent (the upload token of its receipt, for an hour): the web
/// form's types, sizes and checks; each file is encrypted as it streams in.
#[utoipa::path(post, path = "/api/v1/reports/{upload_token}/files", tag = "public",
    params(("upload_token" = String, Path, description = "From the receipt")),
    request_body(content = FilesUpload, content_type = "multipart/form-data"),
    responses((status = 204, description = "The files were added"),
        (status = 413, description = "Too large, too many, or the report is full",
            body = crate::web::api::Problem, content_type = "application/problem+json")))]
#[post("/api/v1/reports/<upload_token>/files", data = "<data>")]
async fn upload_files(
    state: &State<AppState>,
    lang: ApiLang,
    address: ThrottleKey,
    upload_token: &str,
    content_type: Option<&ContentType>,
    data: Data<'_>,
) -> ApiResult<Status> {
    let files = api_flow::Upload {
        token: upload_token,
        address: &address.0,
        content_type,
    };
    api_flow::add_files(state, lang.0, files, data).await?;
    Ok(Status::NoContent)
}

/// Opens a follow-up session with the receipt code (the web's check and throttle).
#[utoipa::path(post, path = "/api/v1/follow-up/session", tag = "follow-up",
    request_body = FollowUpLogin,
    responses((status = 201, description = "A bearer token for the follow-up endpoints",
        body = FollowUpSession)))]
#[post("/api/v1/follow-up/session", data = "<body>")]
async fn open_session(
    state: &State<AppState>,
    key: ThrottleKey,
    body: ApiJson<FollowUpLogin>,
) -> ApiResult<(Status, Json<FollowUpSession>)> {
    let session = api_flow::open_session(state, &key.0, &body.0.receipt_code).await?;
    Ok((Status::Created, Json(session)))
}

/// The report's status and what the reporter may expect.
#[utoipa::path(get, path = "/api/v1/follow-up/status", tag = "follow-up",
    security(("reporter" = [])),
    responses((status = 200, description = "The status", body = ReportStatus)))]
#[get("/api/v1/follow-up/status")]
async fn show_status(
    state: &State<AppState>,
    lang: ApiLang,
    reporter: ReporterBearer,
) -> ApiResult<Json<ReportStatus>> {
    Ok(Json(
        api_flow::status(state, reporter.report_id, lang.0).await?,
    ))
}

/// The events of the report its reporter may see.
#[utoipa::path(get, path = "/api/v1/follow-up/timeline", tag = "follow-up",
    security(("reporter" = [])),
    responses((status = 200, description = "The timeline", body = Timeline)))]
#[get("/api/v1/follow-up/timeline")]
async fn show_timeline(
    state: &State<AppState>,
    lang: ApiLang,
    reporter: ReporterBearer,
) -> ApiResult<Json<Timeline>> {
    Ok(Json(
        api_flow::timeline(state, reporter.report_id, lang.0).await?,
    ))
}

/// The messages between the reporter and the inspectors (marks the inspectors' as read).
#[utoipa::path(get, path = "/api/v1/follow-up/messages", tag = "follow-up",
    security(("reporter" = [])),
    responses((status = 200, description = "The messages", body = Messages)))]
#[get("/api/v1/follow-up/messages")]
async fn list_messages(
    state: &State<AppState>,
    lang: ApiLang,
    reporter: ReporterBearer,
) -> ApiResult<Json<Messages>> {
    Ok(Json(
        api_flow::messages(state, reporter.report_id, lang.0).await?,
    ))
}

/// Sends a reply to the inspectors.
#[utoipa::path(post, path = "/api/v1/follow-up/messages", tag = "follow-up",
    security(("reporter" = [])), request_body = ReplyBody,
    responses((status = 204, description = "The reply was sent")))]
#[post("/api/v1/follow-up/messages", data = "<body>")]
async fn post_reply(
    state: &State<AppState>,
    reporter: ReporterBearer,
    body: ApiJson<ReplyBody>,
) -> ApiResult<Status> {
    api_flow::reply(state, reporter.report_id, &body.0.body).await?;
    Ok(Status::NoContent)
}

/// The outcome once the report is concluded: the conclusion and whether measures were taken
/// (never who); `null` before.
#[utoipa::path(get, path = "/api/v1/follow-up/outcome", tag = "follow-up",
    security(("reporter" = [])),
    responses((status = 200, description = "The outcome", body = OutcomeBody)))]
#[get("/api/v1/follow-up/outcome")]
async fn show_outcome(
    state: &State<AppState>,
    lang: ApiLang,
    reporter: ReporterBearer,
) -> ApiResult<Json<OutcomeBody>> {
    Ok(Json(
        api_flow::outcome(state, reporter.report_id, lang.0).await?,
    ))
}

/// The files the reporter sent and those the inspectors shared with them.
#[utoipa::path(get, path = "/api/v1/follow-up/files", tag = "follow-up",
    security(("reporter" = [])),
    responses((status = 200, description = "The files", body = FileList)))]
#[get("/api/v1/follow-up/files")]
async fn list_files(
    state: &State<AppState>,
    lang: ApiLang,
    reporter: ReporterBearer,
) -> ApiResult<Json<FileList>> {
    Ok(Json(
        api_flow::files(state, reporter.report_id, lang.0).await?,
    ))
}

/// One of the reporter's files, as the follow-up page's download gives it.
#[utoipa::path(get, path = "/api/v1/follow-up/files/{id}", tag = "follow-up",
    params(("id" = i32, Path, minimum = 1, maximum = 2147483647, description = "From the file list")),
    security(("reporter" = [])),
    responses((status = 200, description = "The file (its name in `Content-Disposition`)",
        content_type = "application/octet-stream", body = FileBytes)))]
#[get("/api/v1/follow-up/files/<id>")]
async fn download_file(
    state: &State<AppState>,
    reporter: ReporterBearer,
    id: FileId,
) -> ApiResult<Binary> {
    Ok(Binary(
        api_flow::download(state, reporter.report_id, id.0).await?,
    ))
}

/// A download answered as `application/octet-stream`, whatever the file's type.
pub struct Binary(crate::case_management::evidence::Download);

impl<'r> Responder<'r, 'static> for Binary {
    fn respond_to(self, req: &'r rocket::Request<'_>) -> rocket::response::Result<'static> {
        let mut response = self.0.respond_to(req)?;
        response.set_header(ContentType::Binary);
        Ok(response)
    }
}
