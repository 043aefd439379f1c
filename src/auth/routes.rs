//! `/staff`: sign-in (password, then second factor), forced password change, two-factor
//! enrolment, the signed-in home, own sessions, sign-out and one-time setup links.

use rocket::form::Form;
use rocket::http::{CookieJar, Status};
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, Either, FromForm, Route, State};
use rocket_dyn_templates::Template;
use serde::Serialize;

use super::device::{self, Browser, KnownDevices};
use super::guards::{SignedIn, StaffUser};
use super::service::{self, Continued, SetupOutcome, SignInOutcome};
use super::session::{self, Stage};
use super::views::{
    CodeView, HomeView, PasswordView, RecoveryCodesView, SessionsView, SetupFields, SetupView,
    SignInView, TwoFactorView,
};
use crate::domain::ids::SessionId;
use crate::domain::report::FieldErrors;
use crate::platform::persistence::entities::setup_token;
use crate::web::error::{AppError, AppResult};
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;

pub fn routes() -> Vec<Route> {
    routes![
        show_sign_in,
        sign_in,
        show_code,
        submit_code,
        show_password,
        change_password,
        show_two_factor,
        confirm_two_factor,
        sign_out,
        show_staff_home,
        show_sessions,
        revoke_session,
        show_setup,
        complete_setup,
    ]
    .into_iter()
    .chain(super::notify_prefs::routes())
    .collect()
}

fn continue_to(stage: Stage) -> Redirect {
    Redirect::to(stage.path())
}

/// Sets the session cookie and, once the session is fully signed in, remembers this browser
/// as a known device of the account (`auth::device`).
fn continue_session(
    state: &AppState,
    cookies: &CookieJar<'_>,
    devices: &KnownDevices,
    next: Continued,
) -> Redirect {
    session::set_cookie(cookies, next.token, secure(state));
    if next.stage == Stage::Active {
        let now = state.clock.now();
        device::remember(cookies, devices, next.user_id, now, secure(state));
    }
    continue_to(next.stage)
}

/// A form shown again with what to correct (422).
fn refused(page: &PageCtx, name: &'static str, view: impl Serialize) -> AppResultPage {
    AppResultPage::Page(page.render_status(Status::UnprocessableEntity, name, view))
}

/// An optional form field as typed.
fn text(field: &Option<String>) -> String {
    field.clone().unwrap_or_default()
}

#[get("/staff/sign-in")]
fn show_sign_in(page: PageCtx) -> Template {
    let view = SignInView {
        email: String::new(),
        error: None,
    };
    page.render("staff/sign_in", view)
}

#[derive(FromForm)]
struct SignInForm {
    email: Option<String>,
    password: Option<String>,
}

#[post("/staff/sign-in", data = "<form>")]
async fn sign_in(
    page: PageCtx,
    state: &State<AppState>,
    cookies: &CookieJar<'_>,
    browser: Browser,
    form: Form<SignInForm>,
) -> Result<Redirect, AppResultPage> {
    let email = text(&form.email);
    let outcome = service::sign_in(state, &email, &text(&form.password), &browser)
        .await
        .map_err(AppResultPage::Error)?;
    match outcome {
        SignInOutcome::Started(next) => {
            Ok(continue_session(state, cookies, &browser.devices, next))
        }
        SignInOutcome::Refused => {
            let error = Some(page.lang.t("error-sign-in"));
            Err(refused(&page, "staff/sign_in", SignInView { email, error }))
        }
        throttled => Err(too_many(throttled)),
    }
}

/// The 429 page of a guess refused before its check.
fn too_many(outcome: SignInOutcome) -> AppResultPage {
    AppResultPage::Error(match outcome {
        SignInOutcome::SlowDown(seconds) => AppError::SlowDown(seconds),
        SignInOutcome::LockedOut(minutes) => AppError::LockedOut(minutes),
        _ => AppError::Forbidden,
    })
}

/// Secure cookies when Rocket itself serves TLS.
fn secure(state: &AppState) -> bool {
    state.tls
}

#[get("/staff/sign-in/code")]
fn show_code(page: PageCtx, signed_in: SignedIn) -> Either<Template, Redirect> {
    if signed_in.stage != Stage::SecondFactor {
        return Either::Right(continue_to(signed_in.stage));
    }
    Either::Left(page.render("staff/code", CodeView { error: None }))
}

#[derive(FromForm)]
struct CodeForm {
    code: Option<String>,
}

#[post("/staff/sign-in/code", data = "<form>")]
async fn submit_code(
    page: PageCtx,
    state: &State<AppState>,
    cookies: &CookieJar<'_>,
    browser: Browser,
    signed_in: SignedIn,
    form: Form<CodeForm>,
) -> Result<Redirect, AppResultPage> {
    if signed_in.stage != Stage::SecondFactor {
        return Ok(continue_to(signed_in.stage));
    }
    let code = text(&form.code);
    match service::complete_second_factor(state, &signed_in, &code, &browser)
        .await
        .map_err(AppResultPage::Error)?
    {
        Ok(next) => Ok(continue_session(state, cookies, &browser.devices, next)),
        Err(SignInOutcome::Refused) => {
            let error = Some(page.lang.t("error-totp-code"));
            Err(refused(&page, "staff/code", CodeView { error }))
        }
        Err(throttled) => Err(too_many(throttled)),
    }
}

#[get("/staff/account/password")]
fn show_password(page: PageCtx, signed_in: SignedIn) -> Either<Template, Redirect> {
    if !matches!(signed_in.stage, Stage::ChangePassword | Stage::Active) {
        return Either::Right(continue_to(signed_in.stage));
    }
    Either::Left(page.render("staff/password", PasswordView::new(&signed_in, None)))
}

#[derive(FromForm)]
struct PasswordForm {
    current: Option<String>,
    new: Option<String>,
    confirm: Option<String>,
}

#[post("/staff/account/password", data = "<form>")]
async fn change_password(
    page: PageCtx,
    state: &State<AppState>,
    cookies: &CookieJar<'_>,
    devices: KnownDevices,
    signed_in: SignedIn,
    form: Form<PasswordForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    if !matches!(signed_in.stage, Stage::ChangePassword | Stage::Active) {
        let next = continue_to(signed_in.stage);
        return Ok(Flash::warning(next, "flash-continue-sign-in"));
    }
    let (current, new, confirm) = (text(&form.current), text(&form.new), text(&form.confirm));
    let changed = service::change_password(state, &signed_in, &current, &new, &confirm)
        .await
        .map_err(AppResultPage::Error)?;
    match changed {
        Ok(next) => {
            let to = continue_session(state, cookies, &devices, next);
            Ok(Flash::success(to, "flash-password-changed"))
        }
        Err(key) => {
            let view = PasswordView::new(&signed_in, Some(page.lang.t(key)));
            Err(refused(&page, "staff/password", view))
        }
    }
}

#[get("/staff/account/two-factor")]
async fn show_two_factor(
    page: PageCtx,
    state: &State<AppState>,
    signed_in: SignedIn,
) -> AppResult<Result<Template, Redirect>> {
    if !matches!(signed_in.stage, Stage::Enrol | Stage::Active) {
        return Ok(Err(continue_to(signed_in.stage)));
    }
    let view = TwoFactorView::load(state, &signed_in).await?;
    Ok(Ok(page.render("staff/two_factor", view)))
}

#[post("/staff/account/two-factor", data = "<form>")]
async fn confirm_two_factor(
    page: PageCtx,
    state: &State<AppState>,
    cookies: &CookieJar<'_>,
    devices: KnownDevices,
    signed_in: SignedIn,
    form: Form<CodeForm>,
) -> Result<Template, AppResultPage> {
    if !matches!(signed_in.stage, Stage::Enrol | Stage::Active) || signed_in.user.totp_enabled {
        return Err(AppResultPage::Error(AppError::NotFound));
    }
    match service::confirm_enrolment(state, &signed_in, &text(&form.code))
        .await
        .map_err(AppResultPage::Error)?
    {
        Ok((codes, continued)) => {
            let next = continued.stage.path();
            continue_session(state, cookies, &devices, continued);
            Ok(page.render("staff/recovery_codes", RecoveryCodesView { codes, next }))
        }
        Err(key) => {
            let view = TwoFactorView::enrolment(state, &signed_in, Some(page.lang.t(key)))
                .await
                .map_err(AppResultPage::Error)?;
            Err(refused(&page, "staff/two_factor", view))
        }
    }
}

#[post("/staff/sign-out")]
async fn sign_out(
    state: &State<AppState>,
    cookies: &CookieJar<'_>,
    signed_in: SignedIn,
) -> AppResult<Flash<Redirect>> {
    service::sign_out(state, &signed_in).await?;
    session::clear_cookie(cookies);
    Ok(Flash::success(
        Redirect::to("/staff/sign-in"),
        "flash-signed-out",
    ))
}

#[get("/staff")]
fn show_staff_home(page: PageCtx, user: StaffUser) -> Template {
    page.render("staff/home", HomeView::build(&user, page.lang))
}

#[get("/staff/account/sessions")]
async fn show_sessions(
    page: PageCtx,
    state: &State<AppState>,
    user: StaffUser,
) -> AppResult<Template> {
    let view = SessionsView::load(state, &user).await?;
    Ok(page.render("staff/sessions", view))
}

#[post("/staff/account/sessions/<id>/revoke")]
async fn revoke_session(
    state: &State<AppState>,
    cookies: &CookieJar<'_>,
    user: StaffUser,
    id: SessionId,
) -> AppResult<Flash<Redirect>> {
    service::revoke_own_session(state, &user, id).await?;
    if id.0 == user.session_id {
        session::clear_cookie(cookies);
        return Ok(Flash::success(
            Redirect::to("/staff/sign-in"),
            "flash-signed-out",
        ));
    }
    Ok(Flash::success(
        Redirect::to("/staff/account/sessions"),
        "flash-session-revoked",
    ))
}

#[get("/staff/setup/<token>")]
async fn show_setup(page: PageCtx, state: &State<AppState>, token: &str) -> AppResult<Template> {
    let Some(setup) = service::find_setup_token(state, token).await? else {
        return Ok(page.render("staff/setup_invalid", ()));
    };
    let blank = SetupFields {
        email: String::new(),
        display_name: String::new(),
    };
    let view = SetupView::build(page.lang, token, &setup, blank, &FieldErrors::new());
    Ok(page.render("staff/setup", view))
}

#[derive(FromForm)]
struct SetupForm {
    email: Option<String>,
    display_name: Option<String>,
    password: Option<String>,
    confirm: Option<String>,
}

impl SetupForm {
    /// Uses the link with what was typed; `Err` names the field and the problem's key.
    async fn complete(
        &self,
        state: &AppState,
        setup: &setup_token::Model,
    ) -> AppResult<SetupOutcome> {
        let (email, name) = (text(&self.email), text(&self.display_name));
        let (password, confirm) = (text(&self.password), text(&self.confirm));
        service::complete_setup(state, setup, &email, &name, &password, &confirm).await
    }

    /// The fields shown again after a problem.
    fn fields(&self) -> SetupFields {
        SetupFields {
            email: text(&self.email),
            display_name: text(&self.display_name),
        }
    }
}

#[post("/staff/setup/<token>", data = "<form>")]
async fn complete_setup(
    page: PageCtx,
    state: &State<AppState>,
    token: &str,
    form: Form<SetupForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let found = service::find_setup_token(state, token).await;
    let Some(setup) = found.map_err(AppResultPage::Error)? else {
        return Err(invalid_link(&page));
    };
    match form
        .complete(state, &setup)
        .await
        .map_err(AppResultPage::Error)?
    {
        SetupOutcome::Done => Ok(Flash::success(
            Redirect::to("/staff/sign-in"),
            "flash-setup-done",
        )),
        SetupOutcome::Invalid(field, key) => {
            let errors = FieldErrors::from([(field, key)]);
            let view = SetupView::build(page.lang, token, &setup, form.fields(), &errors);
            Err(refused(&page, "staff/setup", view))
        }
        SetupOutcome::LinkGone => Err(invalid_link(&page)),
    }
}

/// The page for a setup link that is unknown, used, revoked or expired (404).
fn invalid_link(page: &PageCtx) -> AppResultPage {
    AppResultPage::Page(page.render_status(Status::NotFound, "staff/setup_invalid", ()))
}
