//! Handlers of the public slice. Thin: parse, call the service, render or redirect.
//! URL prefix: `/`, `/report`, `/follow-up`. The receipt code travels only in a short-lived
//! private cookie to the receipt page, never in a URL.

use rocket::data::Data;
use rocket::form::{Form, ValueField};
use rocket::http::{ContentType, Cookie, CookieJar, SameSite, Status};
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, uri, Route, State};
use rocket_dyn_templates::Template;
use serde::Serialize;

use super::forms::{DiscloseForm, FollowUpForm, ReplyForm, ReportForm};
use super::service::{self, SubmitError};
use super::status;
use super::uploads::receive_with_report;
use super::views::{
    DiscloseView, FollowUpView, IdentityFields, ReceiptView, ReportFormView, StatusPageView,
};
use crate::auth::reporter::{set_follow_cookie, ReporterSession, FOLLOW_COOKIE};
use crate::domain::receipt::ReceiptCode;
use crate::domain::report::FieldErrors;
use crate::platform::crypto::SecretKey32;
use crate::platform::evidence::upload::{discard, Received, StagedFile};
use crate::web::error::{AppError, AppResult};
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;
use crate::web::throttle::ThrottleKey;
use crate::web::upload::{store_failure, upload_error_status, upload_error_text};

const RECEIPT_COOKIE: &str = "receipt";

pub fn routes() -> Vec<Route> {
    let mut all = routes![
        show_home,
        show_report_form,
        submit_report,
        submit_report_with_files,
        show_receipt,
        show_follow_up,
        open_follow_up,
        show_status,
        status_without_session,
        post_reply,
        reply_without_session,
        leave_follow_up,
        show_disclose,
        disclose_identity,
        super::my_data::show_my_data,
        super::my_data::correct_contact,
        super::my_data::withdraw_identity,
        csrf_rejected,
    ];
    all.extend(super::intake::routes());
    all
}

/// A form shown again with what to correct (422).
pub(super) fn refused(page: &PageCtx, name: &'static str, view: impl Serialize) -> AppResultPage {
    AppResultPage::Page(page.render_status(Status::UnprocessableEntity, name, view))
}

#[get("/")]
fn show_home(page: PageCtx) -> Template {
    page.render("public/home", ())
}

#[get("/report?<unit_q>")]
async fn show_report_form(
    page: PageCtx,
    state: &State<AppState>,
    unit_q: Option<String>,
) -> AppResult<Template> {
    let form = ReportForm {
        identity: Some("anonymous".into()),
        ..ReportForm::default()
    };
    let unit_q = unit_q.unwrap_or_default();
    let view = ReportFormView::load(state, page.lang, &form, &FieldErrors::new(), &unit_q).await?;
    Ok(page.render("public/report_form", view))
}

/// A report without files (a client that sends the form url-encoded).
#[post(
    "/report",
    format = "application/x-www-form-urlencoded",
    data = "<form>"
)]
async fn submit_report(
    page: PageCtx,
    state: &State<AppState>,
    cookies: &CookieJar<'_>,
    form: Form<ReportForm>,
) -> Result<Redirect, AppResultPage> {
    let data_key = SecretKey32::generate();
    finish_report(&page, state, cookies, &form, data_key, Vec::new()).await
}

/// The report form as browsers send it: text fields first, then the files, streamed into the
/// encrypted store under the new report's data key before anything is committed.
#[post("/report", format = "multipart/form-data", data = "<data>")]
async fn submit_report_with_files(
    page: PageCtx,
    state: &State<AppState>,
    cookies: &CookieJar<'_>,
    address: ThrottleKey,
    content_type: &ContentType,
    data: Data<'_>,
) -> Result<Redirect, AppResultPage> {
    let data_key = SecretKey32::generate();
    let received = receive_with_report(state, &address.0, content_type, data, &data_key)
        .await
        .map_err(AppResultPage::Error)?;
    let form = form_of(&received);
    let Some(error) = &received.error else {
        return finish_report(&page, state, cookies, &form, data_key, received.files).await;
    };
    store_failure(error);
    let message = upload_error_text(page.lang, error, &state.config.evidence);
    let view = ReportFormView::load(state, page.lang, &form, &FieldErrors::new(), "")
        .await
        .map_err(AppResultPage::Error)?
        .with_file_error(message);
    let status = upload_error_status(error);
    Err(AppResultPage::Page(page.render_status(
        status,
        "public/report_form",
        view,
    )))
}

/// The text fields of a multipart report form, as the url-encoded form would have them.
fn form_of(received: &Received) -> ReportForm {
    Form::parse_iter(
        received
            .fields
            .iter()
            .map(|(name, value)| ValueField::from((name.as_str(), value.as_str()))),
    )
    .unwrap_or_default()
}

/// Validates and stores the report; on any failure the staged files are discarded and the
/// form comes back with everything typed (files must be chosen again, and the page says so).
async fn finish_report(
    page: &PageCtx,
    state: &AppState,
    cookies: &CookieJar<'_>,
    form: &ReportForm,
    data_key: SecretKey32,
    files: Vec<StagedFile>,
) -> Result<Redirect, AppResultPage> {
    let outcome = match form.to_input().validate(state.clock.today()) {
        Ok(new) => service::submit_report(state, new, data_key, &files).await,
        Err(errors) => Err(SubmitError::Invalid(errors)),
    };
    // Nothing was stored when the form did not validate. After an internal error the commit's
    // outcome is unknown: the start-up sweep removes the objects if no row names them.
    if matches!(outcome, Err(SubmitError::Invalid(_))) {
        discard(&state.evidence.store, &files).await;
    }
    match outcome {
        Ok(code) => {
            set_receipt_cookie(cookies, &code);
            Ok(Redirect::to(uri!(show_receipt)))
        }
        Err(SubmitError::Invalid(errors)) => {
            let view = ReportFormView::load(state, page.lang, form, &errors, "")
                .await
                .map_err(AppResultPage::Error)?;
            let view = match files.is_empty() {
                true => view,
                false => view.with_file_error(page.lang.t("evidence-choose-again")),
            };
            Err(refused(page, "public/report_form", view))
        }
        Err(SubmitError::Internal(error)) => Err(AppResultPage::Error(error)),
    }
}

/// Hands the receipt code to the receipt page only, for ten minutes.
fn set_receipt_cookie(cookies: &CookieJar<'_>, code: &ReceiptCode) {
    cookies.add_private(
        Cookie::build((RECEIPT_COOKIE, code.as_str().to_string()))
            .path("/report/receipt")
            .same_site(SameSite::Strict)
            .http_only(true)
            .max_age(rocket::time::Duration::minutes(10)),
    );
}

#[get("/report/receipt")]
async fn show_receipt(
    page: PageCtx,
    state: &State<AppState>,
    cookies: &CookieJar<'_>,
) -> AppResult<Template> {
    let code = cookies
        .get_private(RECEIPT_COOKIE)
        .and_then(|c| ReceiptCode::parse(c.value()));
    cookies.remove_private(Cookie::build(RECEIPT_COOKIE).path("/report/receipt"));
    let Some(code) = code else {
        return Ok(page.render("public/receipt_gone", ()));
    };
    let expected = match service::report_of_issued_receipt(state, &code).await? {
        Some(id) => status::expected(state, id, page.lang).await?,
        None => status::Slip::default(),
    };
    Ok(page.render("public/receipt", ReceiptView::build(&code, expected)))
}

#[get("/follow-up")]
fn show_follow_up(page: PageCtx) -> Template {
    page.render("public/follow_up", FollowUpView { error: None })
}

#[post("/follow-up", data = "<form>")]
async fn open_follow_up(
    page: PageCtx,
    state: &State<AppState>,
    cookies: &CookieJar<'_>,
    key: ThrottleKey,
    form: Form<FollowUpForm>,
) -> Result<Redirect, AppResultPage> {
    let now = state.clock.now();
    let typed = form.receipt.clone().unwrap_or_default();
    let found = service::open_throttled(state, &key.0, &typed, now)
        .await
        .map_err(AppResultPage::Error)?;
    let Some(report_id) = found else {
        let error = Some(page.lang.t("error-receipt-generic"));
        return Err(refused(&page, "public/follow_up", FollowUpView { error }));
    };
    set_follow_cookie(cookies, report_id, now.timestamp());
    Ok(Redirect::to(uri!(show_status)))
}

#[get("/follow-up/status")]
async fn show_status(
    page: PageCtx,
    state: &State<AppState>,
    session: ReporterSession,
) -> AppResult<Template> {
    let view = StatusPageView::load(state, session.report_id, page.lang).await?;
    Ok(page.render("public/status", view))
}

#[get("/follow-up/status", rank = 2)]
fn status_without_session() -> Flash<Redirect> {
    Flash::warning(
        Redirect::to(uri!(show_follow_up)),
        "flash-follow-up-expired",
    )
}

#[post("/follow-up/reply", data = "<form>")]
async fn post_reply(
    page: PageCtx,
    state: &State<AppState>,
    session: ReporterSession,
    form: Form<ReplyForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let reply = form.body.clone().unwrap_or_default();
    let key = match service::add_reply(state, session.report_id, &reply).await {
        Ok(()) => {
            let to_status = Redirect::to(uri!(show_status));
            return Ok(Flash::success(to_status, "flash-reply-sent"));
        }
        Err("error-500") => {
            let error = AppError::Internal("storing a reply failed".into());
            return Err(AppResultPage::Error(error));
        }
        Err(key) => key,
    };
    let view = StatusPageView::load(state, session.report_id, page.lang)
        .await
        .map_err(AppResultPage::Error)?;
    let reply_error = Some(page.lang.t(key));
    let view = StatusPageView {
        reply,
        reply_error,
        ..view
    };
    Err(refused(&page, "public/status", view))
}

#[post("/follow-up/reply", rank = 2)]
fn reply_without_session() -> Flash<Redirect> {
    Flash::warning(
        Redirect::to(uri!(show_follow_up)),
        "flash-follow-up-expired",
    )
}

#[post("/follow-up/leave")]
fn leave_follow_up(cookies: &CookieJar<'_>) -> Flash<Redirect> {
    cookies.remove_private(Cookie::build(FOLLOW_COOKIE).path("/follow-up"));
    Flash::success(Redirect::to(uri!(show_home)), "flash-follow-up-left")
}

#[get("/follow-up/disclose")]
async fn show_disclose(
    page: PageCtx,
    state: &State<AppState>,
    session: ReporterSession,
) -> AppResult<rocket::Either<Template, Redirect>> {
    let view = service::status_view(state, session.report_id, page.lang).await?;
    if view.summary.named {
        return Ok(rocket::Either::Right(Redirect::to(uri!(show_status))));
    }
    let blank = DiscloseView::build(page.lang, IdentityFields::default(), &FieldErrors::new());
    Ok(rocket::Either::Left(page.render("public/disclose", blank)))
}

#[post("/follow-up/disclose", data = "<form>")]
async fn disclose_identity(
    page: PageCtx,
    state: &State<AppState>,
    session: ReporterSession,
    form: Form<DiscloseForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    match form.validate() {
        Ok(identity) => {
            service::disclose_identity(state, session.report_id, &identity)
                .await
                .map_err(AppResultPage::Error)?;
            let to_status = Redirect::to(uri!(show_status));
            Ok(Flash::success(to_status, "flash-identity-disclosed"))
        }
        Err(errors) => {
            let view = DiscloseView::build(page.lang, form.fields(), &errors);
            Err(refused(&page, "public/disclose", view))
        }
    }
}

/// Where the CSRF fairing sends refused requests.
#[post("/__rejected/csrf")]
fn csrf_rejected() -> AppError {
    AppError::CsrfRejected
}
