//! `/staff`: sign-in (password, then second factor), forced password change, two-factor
//! enrolment, the signed-in home, own sessions, sign-out and one-time setup links.

use rocket::form::Form;
use rocket::http::{CookieJar, Status};
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, Either, FromForm, Route, State};
use rocket_dyn_templates::Template;
use serde_json::json;

use super::guards::{SignedIn, StaffUser};
use super::service::{self, SignInOutcome};
use super::session::{self, Stage};
use super::totp;
use crate::domain::roles::Role;
use crate::web::error::{AppError, AppResult};
use crate::web::format::local_time;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;
use crate::web::throttle::ThrottleKey;

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
}

fn continue_to(stage: Stage) -> Redirect {
    Redirect::to(stage.path())
}

#[get("/staff/sign-in")]
fn show_sign_in(page: PageCtx) -> Template {
    page.render("staff/sign_in", json!({"email": "", "error": null}))
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
    key: ThrottleKey,
    form: Form<SignInForm>,
) -> Result<Redirect, AppResultPage> {
    let email = form.email.clone().unwrap_or_default();
    let password = form.password.clone().unwrap_or_default();
    let outcome = service::sign_in(state, &email, &password, &key.0)
        .await
        .map_err(AppResultPage::Error)?;
    match outcome {
        SignInOutcome::Started { token, stage } => {
            session::set_cookie(cookies, token, secure(state));
            Ok(continue_to(stage))
        }
        SignInOutcome::Refused => Err(AppResultPage::Page(page.render_status(
            Status::UnprocessableEntity,
            "staff/sign_in",
            json!({"email": email, "error": page.lang.t("error-sign-in")}),
        ))),
        SignInOutcome::SlowDown(s) => Err(AppResultPage::Error(AppError::SlowDown(s))),
        SignInOutcome::LockedOut(m) => Err(AppResultPage::Error(AppError::LockedOut(m))),
    }
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
    Either::Left(page.render("staff/code", json!({"error": null})))
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
    key: ThrottleKey,
    signed_in: SignedIn,
    form: Form<CodeForm>,
) -> Result<Redirect, AppResultPage> {
    if signed_in.stage != Stage::SecondFactor {
        return Ok(continue_to(signed_in.stage));
    }
    let code = form.code.clone().unwrap_or_default();
    match service::complete_second_factor(state, &signed_in, &code, &key.0)
        .await
        .map_err(AppResultPage::Error)?
    {
        Ok((token, stage)) => {
            session::set_cookie(cookies, token, secure(state));
            Ok(continue_to(stage))
        }
        Err(SignInOutcome::SlowDown(s)) => Err(AppResultPage::Error(AppError::SlowDown(s))),
        Err(SignInOutcome::LockedOut(m)) => Err(AppResultPage::Error(AppError::LockedOut(m))),
        Err(_) => Err(AppResultPage::Page(page.render_status(
            Status::UnprocessableEntity,
            "staff/code",
            json!({"error": page.lang.t("error-totp-code")}),
        ))),
    }
}

#[get("/staff/account/password")]
fn show_password(page: PageCtx, signed_in: SignedIn) -> Either<Template, Redirect> {
    if !matches!(signed_in.stage, Stage::ChangePassword | Stage::Active) {
        return Either::Right(continue_to(signed_in.stage));
    }
    Either::Left(page.render(
        "staff/password",
        json!({"forced": signed_in.stage == Stage::ChangePassword, "error": null}),
    ))
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
    signed_in: SignedIn,
    form: Form<PasswordForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    if !matches!(signed_in.stage, Stage::ChangePassword | Stage::Active) {
        return Ok(Flash::warning(
            continue_to(signed_in.stage),
            "flash-continue-sign-in",
        ));
    }
    let text = |f: &Option<String>| f.clone().unwrap_or_default();
    match service::change_password(
        state,
        &signed_in,
        &text(&form.current),
        &text(&form.new),
        &text(&form.confirm),
    )
    .await
    .map_err(AppResultPage::Error)?
    {
        Ok((token, stage)) => {
            session::set_cookie(cookies, token, secure(state));
            Ok(Flash::success(continue_to(stage), "flash-password-changed"))
        }
        Err(key) => Err(AppResultPage::Page(page.render_status(
            Status::UnprocessableEntity,
            "staff/password",
            json!({"forced": signed_in.stage == Stage::ChangePassword, "error": page.lang.t(key)}),
        ))),
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
    if signed_in.user.totp_enabled {
        return Ok(Ok(page.render("staff/two_factor", json!({"enabled": true}))));
    }
    let secret = service::pending_totp_secret(state, &signed_in.user).await?;
    Ok(Ok(two_factor_page(
        &page,
        &signed_in,
        &secret,
        None,
        Status::Ok,
    )
    .1))
}

fn two_factor_page(
    page: &PageCtx,
    signed_in: &SignedIn,
    secret: &[u8],
    error: Option<String>,
    status: Status,
) -> (Status, Template) {
    page.render_status(
        status,
        "staff/two_factor",
        json!({
            "enabled": false,
            "required": signed_in.stage == Stage::Enrol,
            "qr_svg": totp::qr_svg(secret, &signed_in.user.email).unwrap_or_default(),
            "secret_text": totp::secret_text(secret),
            "error": error,
        }),
    )
}

#[post("/staff/account/two-factor", data = "<form>")]
async fn confirm_two_factor(
    page: PageCtx,
    state: &State<AppState>,
    cookies: &CookieJar<'_>,
    signed_in: SignedIn,
    form: Form<CodeForm>,
) -> Result<Template, AppResultPage> {
    if !matches!(signed_in.stage, Stage::Enrol | Stage::Active) || signed_in.user.totp_enabled {
        return Err(AppResultPage::Error(AppError::NotFound));
    }
    let code = form.code.clone().unwrap_or_default();
    match service::confirm_enrolment(state, &signed_in, &code)
        .await
        .map_err(AppResultPage::Error)?
    {
        Ok((codes, token, stage)) => {
            session::set_cookie(cookies, token, secure(state));
            Ok(page.render(
                "staff/recovery_codes",
                json!({"codes": codes, "next": stage.path()}),
            ))
        }
        Err(key) => {
            let secret = service::pending_totp_secret(state, &signed_in.user)
                .await
                .map_err(AppResultPage::Error)?;
            Err(AppResultPage::Page(two_factor_page(
                &page,
                &signed_in,
                &secret,
                Some(page.lang.t(key)),
                Status::UnprocessableEntity,
            )))
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
    let roles: Vec<_> = user
        .roles
        .iter()
        .map(|r| json!({"code": r.as_str(), "name": page.lang.t(&r.label_key())}))
        .collect();
    page.render(
        "staff/home",
        json!({
            "user": {"name": user.display_name, "email": user.email},
            "roles": roles,
            "is_admin": user.has(Role::Admin),
            "is_auditor": user.has(Role::Auditor),
            "is_investigator": user.has(Role::Inspector) || user.has(Role::TeamLead),
            "is_team_lead": user.has(Role::TeamLead),
            "is_custodian": user.has(Role::Custodian),
        }),
    )
}

#[get("/staff/account/sessions")]
async fn show_sessions(
    page: PageCtx,
    state: &State<AppState>,
    user: StaffUser,
) -> AppResult<Template> {
    let sessions: Vec<_> = service::sessions_of(state, user.id)
        .await?
        .into_iter()
        .map(|s| {
            json!({
                "id": s.id,
                "created_at": local_time(s.created_at),
                "last_seen_at": local_time(s.last_seen_at),
                "expires_at": local_time(s.expires_at),
                "current": s.id == user.session_id,
            })
        })
        .collect();
    Ok(page.render("staff/sessions", json!({"sessions": sessions})))
}

#[post("/staff/account/sessions/<id>/revoke")]
async fn revoke_session(
    state: &State<AppState>,
    cookies: &CookieJar<'_>,
    user: StaffUser,
    id: i32,
) -> AppResult<Flash<Redirect>> {
    service::revoke_own_session(state, &user, crate::domain::ids::SessionId(id)).await?;
    if id == user.session_id {
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
        return Ok(page.render("staff/setup_invalid", json!({})));
    };
    Ok(page.render(
        "staff/setup",
        json!({
            "token": token,
            "admin": setup.purpose == service::SETUP_ADMIN,
            "form": {"email": "", "display_name": ""},
            "errors": {},
        }),
    ))
}

#[derive(FromForm)]
struct SetupForm {
    email: Option<String>,
    display_name: Option<String>,
    password: Option<String>,
    confirm: Option<String>,
}

#[post("/staff/setup/<token>", data = "<form>")]
async fn complete_setup(
    page: PageCtx,
    state: &State<AppState>,
    token: &str,
    form: Form<SetupForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let Some(setup) = service::find_setup_token(state, token)
        .await
        .map_err(AppResultPage::Error)?
    else {
        return Err(AppResultPage::Page(page.render_status(
            Status::NotFound,
            "staff/setup_invalid",
            json!({}),
        )));
    };
    let text = |f: &Option<String>| f.clone().unwrap_or_default();
    let email = text(&form.email);
    let display_name = text(&form.display_name);
    match service::complete_setup(
        state,
        &setup,
        &email,
        &display_name,
        &text(&form.password),
        &text(&form.confirm),
    )
    .await
    .map_err(AppResultPage::Error)?
    {
        Ok(()) => Ok(Flash::success(
            Redirect::to("/staff/sign-in"),
            "flash-setup-done",
        )),
        Err((field, key)) => Err(AppResultPage::Page(page.render_status(
            Status::UnprocessableEntity,
            "staff/setup",
            json!({
                "token": token,
                "admin": setup.purpose == service::SETUP_ADMIN,
                "form": {"email": email, "display_name": display_name},
                "errors": {field: page.lang.t(key)},
            }),
        ))),
    }
}
