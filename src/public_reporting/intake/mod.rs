//! "Tiếp nhận qua điện thoại / tại quầy": a call-centre or counter operator enters a caller's
//! report — the web form's fields and rules, tip or named, the consent box ticked after reading
//! the notice to the caller — with the channel it came by, and reads the receipt code aloud
//! once. A caller phoning back reads their code; the operator sees what the reporter's own
//! status page shows (never the identity) and can type the caller's reply (`lookup`).
//!
//! URL prefix: `/intake`, `Authorized<Operators>` (two-factor by default). Invariants: the
//! same `submit_report` transaction as the web, audited with the operator and the channel,
//! never the content; the receipt code travels only in a private cookie scoped to
//! `/intake/receipt` and is shown once; the looked-up case id lives only in a short-lived
//! private cookie scoped to `/intake`; the operator holds no case: `/cases` answers 404.

pub(super) mod api;
mod lookup;
mod views;

use rocket::form::Form;
use rocket::http::{Cookie, CookieJar, SameSite};
use rocket::response::Redirect;
use rocket::{get, post, routes, uri, Route, State};
use rocket_dyn_templates::Template;

use super::forms::ReportForm;
use super::routes::refused;
use super::service::{self, Intake, SubmitError};
use super::status;
use super::views::ReceiptView;
use crate::auth::{Authorized, Operators};
use crate::domain::receipt::ReceiptCode;
use crate::domain::report::FieldErrors;
use crate::platform::crypto::SecretKey32;
use crate::web::error::AppResult;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;
use views::{operator_channels, IntakeFormView};

const RECEIPT_COOKIE: &str = "intake_receipt";
const RECEIPT_PATH: &str = "/intake/receipt";

pub fn routes() -> Vec<Route> {
    let mut all = routes![show_intake_form, submit_intake, show_intake_receipt];
    all.extend(lookup::routes());
    all
}

#[get("/intake?<unit_q>")]
async fn show_intake_form(
    _user: Authorized<Operators>,
    page: PageCtx,
    state: &State<AppState>,
    unit_q: Option<String>,
) -> AppResult<Template> {
    let form = ReportForm {
        identity: Some("anonymous".into()),
        ..ReportForm::default()
    };
    let unit_q = unit_q.unwrap_or_default();
    let view = IntakeFormView::load(state, page.lang, &form, &FieldErrors::new(), &unit_q).await?;
    Ok(page.render("intake/report_form", view))
}

#[post("/intake", data = "<form>")]
async fn submit_intake(
    user: Authorized<Operators>,
    page: PageCtx,
    state: &State<AppState>,
    cookies: &CookieJar<'_>,
    form: Form<ReportForm>,
) -> Result<Redirect, AppResultPage> {
    let caller = CallerReport::of_form(&form);
    let operator = user.actor();
    match file_for_caller(state, &operator, &caller, page.lang, None).await {
        Ok(code) => {
            set_receipt_cookie(cookies, &code);
            Ok(Redirect::to(uri!(show_intake_receipt)))
        }
        Err(SubmitError::Invalid(errors)) => {
            let view = IntakeFormView::load(state, page.lang, &form, &errors, "")
                .await
                .map_err(AppResultPage::Error)?;
            Err(refused(&page, "intake/report_form", view))
        }
        Err(SubmitError::Internal(error)) => Err(AppResultPage::Error(error)),
    }
}

/// A caller's report as an operator enters it: on the page, or from the call-centre CRM
/// through the API (`api`).
pub(super) struct CallerReport {
    pub input: crate::domain::report::ReportInput,
    pub channel: String,
    pub sms_phone: String,
    pub sms_agree: bool,
}

impl CallerReport {
    fn of_form(form: &ReportForm) -> Self {
        Self {
            input: form.to_input(),
            channel: form.channel.clone().unwrap_or_default(),
            sms_phone: form.sms_phone.clone().unwrap_or_default(),
            sms_agree: form.sms_agree,
        }
    }
}

/// Validates the report as the web does, and the channel (an active one an operator may
/// choose), then stores it through that channel, audited under `operator`. With an
/// idempotency claim (the API), its record is written in the same transaction.
pub(super) async fn file_for_caller(
    state: &AppState,
    operator: &crate::platform::audit::Actor,
    caller: &CallerReport,
    lang: crate::web::i18n::Lang,
    idempotency: Option<&crate::web::api::idempotency::Claim>,
) -> Result<ReceiptCode, SubmitError> {
    let known = operator_channels(state, lang).await?;
    let channel_ok = known.iter().any(|c| c.code == caller.channel);
    let validated = caller.input.validate(state.clock.today());
    let sms = sms_phone(&caller.sms_phone, caller.sms_agree);
    let new = match (validated, channel_ok, &sms) {
        (Ok(new), true, Ok(_)) => new,
        (outcome, _, sms) => {
            let mut errors = outcome.err().unwrap_or_default();
            if !channel_ok {
                errors.insert("channel", "error-intake-channel");
            }
            if let Err(key) = sms {
                errors.insert("sms_phone", *key);
            }
            return Err(SubmitError::Invalid(errors));
        }
    };
    let sms_to = sms.ok().flatten();
    let intake = Intake::Operator {
        channel: &caller.channel,
        operator,
        sms_to: sms_to.as_deref(),
        idempotency,
    };
    service::submit_report_via(state, new, SecretKey32::generate(), &[], &intake).await
}

/// The caller's phone for the receipt code by SMS: none when left empty; refused when given
/// without the caller's agreement or not a plausible number.
fn sms_phone(typed: &str, agreed: bool) -> Result<Option<String>, &'static str> {
    let phone = crate::domain::report::clean_text(typed);
    match (phone.is_empty(), agreed) {
        (true, _) => Ok(None),
        (false, false) => Err("error-intake-sms-agree"),
        (false, true) if crate::domain::report::valid_phone(&phone) => Ok(Some(phone)),
        (false, true) => Err("error-phone-invalid"),
    }
}

/// Hands the receipt code to the operator's receipt page only, for ten minutes.
fn set_receipt_cookie(cookies: &CookieJar<'_>, code: &ReceiptCode) {
    cookies.add_private(
        Cookie::build((RECEIPT_COOKIE, code.as_str().to_string()))
            .path(RECEIPT_PATH)
            .same_site(SameSite::Strict)
            .http_only(true)
            .max_age(rocket::time::Duration::minutes(10)),
    );
}

#[get("/intake/receipt")]
async fn show_intake_receipt(
    _user: Authorized<Operators>,
    page: PageCtx,
    state: &State<AppState>,
    cookies: &CookieJar<'_>,
) -> AppResult<Template> {
    let code = (cookies.get_private(RECEIPT_COOKIE)).and_then(|c| ReceiptCode::parse(c.value()));
    cookies.remove_private(Cookie::build(RECEIPT_COOKIE).path(RECEIPT_PATH));
    let Some(code) = code else {
        return Ok(page.render("intake/receipt_gone", ()));
    };
    let expected = match service::report_of_issued_receipt(state, &code).await? {
        Some(id) => status::expected(state, id, page.lang).await?,
        None => status::Slip::default(),
    };
    Ok(page.render("intake/receipt", ReceiptView::build(&code, expected)))
}
