//! Handlers of the public slice. Thin: parse, call the service, render or redirect.

use chrono_tz::Asia::Ho_Chi_Minh;
use rocket::data::Data;
use rocket::form::{Form, ValueField};
use rocket::http::{ContentType, Cookie, CookieJar, SameSite, Status};
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, uri, Route, State};
use rocket_dyn_templates::Template;
use serde_json::{json, Value};

use super::forms::{FollowUpForm, ReplyForm, ReportForm};
use super::service::{self, SubmitError};
use crate::auth::reporter::{set_follow_cookie, ReporterSession, FOLLOW_COOKIE};
use crate::domain::report::{limits, FieldErrors};
use crate::platform::crypto::SecretKey32;
use crate::platform::evidence;
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;
use crate::web::throttle::{ThrottleKey, Verdict};
use crate::web::units;

const RECEIPT_COOKIE: &str = "receipt";

pub fn routes() -> Vec<Route> {
    routes![
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
        csrf_rejected,
    ]
}

#[get("/")]
fn show_home(page: PageCtx) -> Template {
    page.render("public/home", json!({}))
}

#[get("/report?<unit_q>")]
async fn show_report_form(
    page: PageCtx,
    state: &State<AppState>,
    unit_q: Option<String>,
) -> AppResult<Template> {
    let context = form_context(
        state,
        page.lang,
        &ReportForm {
            identity: Some("anonymous".into()),
            ..ReportForm::default()
        },
        &FieldErrors::new(),
        unit_q.as_deref().unwrap_or(""),
    )
    .await?;
    Ok(page.render("public/report_form", context))
}

async fn form_context(
    state: &AppState,
    lang: Lang,
    form: &ReportForm,
    errors: &FieldErrors,
    unit_q: &str,
) -> AppResult<Value> {
    let all_units = service::active_units(state).await?;
    let unit_groups = units::grouped(&all_units, lang, unit_q);
    let categories = service::active_categories(state, lang).await?;
    let error_texts: serde_json::Map<String, Value> = errors
        .iter()
        .map(|(field, key)| ((*field).to_string(), json!(lang.t(key))))
        .collect();
    let today = state.clock.now().with_timezone(&Ho_Chi_Minh).date_naive();
    Ok(json!({
        "form": form.to_input(),
        "errors": error_texts,
        "error_count": errors.len(),
        "unit_groups": unit_groups,
        "unit_q": unit_q,
        "unit_filter_empty": unit_groups.is_empty(),
        "categories": categories,
        "today": today.format("%Y-%m-%d").to_string(),
        "description_max": limits::DESCRIPTION_MAX,
        "description_min": limits::DESCRIPTION_MIN,
        "staff_description_max": limits::STAFF_DESCRIPTION_MAX,
        "uploads": crate::web::upload::upload_notes(state, lang),
        "file_error": null,
    }))
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
    finish_report(
        &page,
        state,
        cookies,
        &form,
        SecretKey32::generate(),
        Vec::new(),
    )
    .await
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
    let allowance = crate::case_management::evidence::allowance(
        state.db.conn(),
        &state.config.evidence,
        None,
        crate::case_management::evidence::Uploader::Reporter,
    )
    .await
    .map_err(AppResultPage::Error)?;
    let received = evidence::upload::receive_anonymous(
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
    let form: ReportForm = Form::parse_iter(
        received
            .fields
            .iter()
            .map(|(name, value)| ValueField::from((name.as_str(), value.as_str()))),
    )
    .unwrap_or_default();
    if let Some(error) = &received.error {
        if let evidence::upload::UploadError::Store(e) = error {
            tracing::error!(error = %e, "storing evidence failed");
        }
        let mut context = form_context(state, page.lang, &form, &FieldErrors::new(), "")
            .await
            .map_err(AppResultPage::Error)?;
        context["file_error"] = json!(crate::web::upload::upload_error_text(
            page.lang,
            error,
            &state.config.evidence
        ));
        return Err(AppResultPage::Page(page.render_status(
            crate::web::upload::upload_error_status(error),
            "public/report_form",
            context,
        )));
    }
    finish_report(&page, state, cookies, &form, data_key, received.files).await
}

/// Validates and stores the report; on any failure the staged files are discarded and the
/// form comes back with everything typed (files must be chosen again, and the page says so).
async fn finish_report(
    page: &PageCtx,
    state: &AppState,
    cookies: &CookieJar<'_>,
    form: &ReportForm,
    data_key: SecretKey32,
    files: Vec<evidence::upload::StagedFile>,
) -> Result<Redirect, AppResultPage> {
    let today = state.clock.now().with_timezone(&Ho_Chi_Minh).date_naive();
    let outcome = match form.to_input().validate(today) {
        Ok(new) => service::submit_report(state, new, data_key, &files).await,
        Err(errors) => Err(SubmitError::Invalid(errors)),
    };
    // Nothing was stored when the form did not validate. After an internal error the commit's
    // outcome is unknown: the start-up sweep removes the objects if no row names them.
    if matches!(outcome, Err(SubmitError::Invalid(_))) {
        evidence::upload::discard(&state.evidence.store, &files).await;
    }
    match outcome {
        Ok(code) => {
            cookies.add_private(
                Cookie::build((RECEIPT_COOKIE, code.as_str().to_string()))
                    .path("/report/receipt")
                    .same_site(SameSite::Strict)
                    .http_only(true)
                    .max_age(rocket::time::Duration::minutes(10)),
            );
            Ok(Redirect::to(uri!(show_receipt)))
        }
        Err(SubmitError::Invalid(errors)) => {
            let mut context = form_context(state, page.lang, form, &errors, "")
                .await
                .map_err(AppResultPage::Error)?;
            if !files.is_empty() {
                context["file_error"] = json!(page.lang.t("evidence-choose-again"));
            }
            Err(AppResultPage::Page(page.render_status(
                Status::UnprocessableEntity,
                "public/report_form",
                context,
            )))
        }
        Err(SubmitError::Internal(error)) => Err(AppResultPage::Error(error)),
    }
}

#[get("/report/receipt")]
fn show_receipt(page: PageCtx, cookies: &CookieJar<'_>) -> Template {
    let code = cookies
        .get_private(RECEIPT_COOKIE)
        .and_then(|c| crate::domain::receipt::ReceiptCode::parse(c.value()));
    cookies.remove_private(Cookie::build(RECEIPT_COOKIE).path("/report/receipt"));
    match code {
        Some(code) => page.render(
            "public/receipt",
            json!({"groups": code.grouped(), "code": code.display()}),
        ),
        None => page.render("public/receipt_gone", json!({})),
    }
}

#[get("/follow-up")]
fn show_follow_up(page: PageCtx) -> Template {
    page.render("public/follow_up", json!({"error": null}))
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
    match state.receipt_limiter.check(&key.0, now) {
        Verdict::Allowed => {}
        Verdict::Wait(seconds) => return Err(AppResultPage::Error(AppError::SlowDown(seconds))),
        Verdict::Locked(minutes) => return Err(AppResultPage::Error(AppError::LockedOut(minutes))),
    }
    let typed = form.receipt.clone().unwrap_or_default();
    let found = service::open_by_receipt(state, &typed)
        .await
        .map_err(AppResultPage::Error)?;
    match found {
        Some(report_id) => {
            state.receipt_limiter.record_success(&key.0);
            set_follow_cookie(cookies, report_id, now.timestamp());
            Ok(Redirect::to(uri!(show_status)))
        }
        None => {
            state.receipt_limiter.record_failure(&key.0, now);
            Err(AppResultPage::Page(page.render_status(
                Status::UnprocessableEntity,
                "public/follow_up",
                json!({"error": page.lang.t("error-receipt-generic")}),
            )))
        }
    }
}

#[get("/follow-up/status")]
async fn show_status(
    page: PageCtx,
    state: &State<AppState>,
    session: ReporterSession,
) -> AppResult<Template> {
    let view = service::status_view(state, session.report_id, page.lang).await?;
    Ok(page.render(
        "public/status",
        json!({
            "report": view,
            "reply": "",
            "reply_error": null,
            "reply_max": limits::REPLY_MAX,
            "file_error": null,
            "uploads": crate::web::upload::upload_notes(state, page.lang),
        }),
    ))
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
    let body = form.body.clone().unwrap_or_default();
    match service::add_reply(state, session.report_id, &body).await {
        Ok(()) => Ok(Flash::success(
            Redirect::to(uri!(show_status)),
            "flash-reply-sent",
        )),
        Err("error-500") => Err(AppResultPage::Error(AppError::Internal(
            "storing a reply failed".into(),
        ))),
        Err(key) => {
            let view = service::status_view(state, session.report_id, page.lang)
                .await
                .map_err(AppResultPage::Error)?;
            Err(AppResultPage::Page(page.render_status(
                Status::UnprocessableEntity,
                "public/status",
                json!({
                    "report": view,
                    "reply": body,
                    "reply_error": page.lang.t(key),
                    "reply_max": limits::REPLY_MAX,
                    "file_error": null,
                    "uploads": crate::web::upload::upload_notes(state, page.lang),
                }),
            )))
        }
    }
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
    if view.named {
        return Ok(rocket::Either::Right(Redirect::to(uri!(show_status))));
    }
    Ok(rocket::Either::Left(page.render(
        "public/disclose",
        json!({"form": {"full_name": "", "address": "", "phone": ""}, "errors": {}}),
    )))
}

#[derive(Debug, rocket::FromForm)]
struct DiscloseForm {
    full_name: Option<String>,
    address: Option<String>,
    phone: Option<String>,
    confirm: bool,
}

#[post("/follow-up/disclose", data = "<form>")]
async fn disclose_identity(
    page: PageCtx,
    state: &State<AppState>,
    session: ReporterSession,
    form: Form<DiscloseForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let text = |f: &Option<String>| f.clone().unwrap_or_default();
    let validated = crate::domain::report::validate_identity_fields(
        &text(&form.full_name),
        &text(&form.address),
        &text(&form.phone),
    );
    let mut errors = match &validated {
        Ok(_) => FieldErrors::new(),
        Err(errors) => errors.clone(),
    };
    if !form.confirm {
        errors.insert("confirm", "error-disclose-confirm");
    }
    match validated {
        Ok(identity) if errors.is_empty() => {
            service::disclose_identity(state, session.report_id, &identity)
                .await
                .map_err(AppResultPage::Error)?;
            Ok(Flash::success(
                Redirect::to(uri!(show_status)),
                "flash-identity-disclosed",
            ))
        }
        _ => {
            let texts: serde_json::Map<String, Value> = errors
                .iter()
                .map(|(field, key)| ((*field).to_string(), json!(page.lang.t(key))))
                .collect();
            Err(AppResultPage::Page(page.render_status(
                Status::UnprocessableEntity,
                "public/disclose",
                json!({
                    "form": {"full_name": text(&form.full_name), "address": text(&form.address), "phone": text(&form.phone)},
                    "errors": texts,
                }),
            )))
        }
    }
}

/// Where the CSRF fairing sends refused requests.
#[post("/__rejected/csrf")]
fn csrf_rejected() -> AppError {
    AppError::CsrfRejected
}
