//! `/intake/lookup`: a caller phoning back reads their receipt code; the operator types it
//! (the web follow-up's Argon2 check and throttle, keyed by the operator's account, since a
//! call centre shares one address), every look-up is audited (`intake_lookup`, with the case
//! id, never the code), and the case id is kept in a private cookie scoped to `/intake` that
//! lapses like the reporter's follow-up session and names the operator it was opened for.
//! The operator then reads the reporter's view (`status_view`, no identity; like the reporter's
//! own visit it marks the team's messages read, the caller having just heard them) and can type
//! the caller's reply, which stays the reporter's and is audited as entered by the operator.

use chrono::Duration;
use rocket::form::Form;
use rocket::http::{Cookie, CookieJar, SameSite};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, uri, Route, State};
use rocket_dyn_templates::Template;

use super::views::{CaseView, LookupView};
use crate::auth::{Authorized, Operators, StaffUser};
use crate::platform::audit::{self, Entry};
use crate::public_reporting::forms::{FollowUpForm, ReplyForm};
use crate::public_reporting::routes::refused;
use crate::public_reporting::service;
use crate::web::error::{AppError, AppResult};
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;

const CASE_COOKIE: &str = "intake_case";
const CASE_PATH: &str = "/intake";

pub fn routes() -> Vec<Route> {
    routes![
        show_lookup,
        look_up_code,
        show_caller_case,
        case_without_lookup,
        post_caller_reply,
        reply_without_lookup,
        end_lookup,
    ]
}

#[get("/intake/lookup")]
fn show_lookup(_user: Authorized<Operators>, page: PageCtx) -> Template {
    page.render("intake/lookup", LookupView { error: None })
}

#[post("/intake/lookup", data = "<form>")]
async fn look_up_code(
    user: Authorized<Operators>,
    page: PageCtx,
    state: &State<AppState>,
    cookies: &CookieJar<'_>,
    form: Form<FollowUpForm>,
) -> Result<Redirect, AppResultPage> {
    let now = state.clock.now();
    let typed = form.receipt.clone().unwrap_or_default();
    let key = format!("operator:{}", user.id);
    let found = service::open_throttled(state, &key, &typed, now).await;
    let found = found.map_err(AppResultPage::Error)?;
    record_lookup(state, &user, found)
        .await
        .map_err(AppResultPage::Error)?;
    let Some(report_id) = found else {
        let error = Some(page.lang.t("error-receipt-generic"));
        return Err(refused(&page, "intake/lookup", LookupView { error }));
    };
    set_case_cookie(cookies, report_id, user.id, now.timestamp());
    Ok(Redirect::to(uri!(show_caller_case)))
}

/// The audit entry of one look-up: the case it opened, or none; never the code typed.
async fn record_lookup(state: &AppState, user: &StaffUser, found: Option<i32>) -> AppResult<()> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let entry = Entry {
        actor: &user.actor(),
        action: "intake_lookup",
        object_type: "case",
        object_id: found.map(|id| id.to_string()),
        details: serde_json::json!({ "found": found.is_some() }),
    };
    audit::record_and_commit(tx, now, entry).await?;
    Ok(())
}

fn set_case_cookie(cookies: &CookieJar<'_>, report_id: i32, user_id: i32, at: i64) {
    cookies.add_private(
        Cookie::build((CASE_COOKIE, format!("{report_id}.{user_id}.{at}")))
            .path(CASE_PATH)
            .same_site(SameSite::Strict)
            .http_only(true),
    );
}

/// The case an operator looked up, for that operator, within the follow-up idle limit.
pub struct LookedUp {
    report_id: i32,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for LookedUp {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let (Some(state), Outcome::Success(user)) = (
            req.rocket().state::<AppState>(),
            req.guard::<StaffUser>().await,
        ) else {
            return Outcome::Forward(rocket::http::Status::Unauthorized);
        };
        let cookies = req.cookies();
        let parsed = cookies.get_private(CASE_COOKIE).and_then(|c| {
            let mut parts = c.value().split('.').map(|p| p.parse::<i64>().ok());
            Some((parts.next()??, parts.next()??, parts.next()??))
        });
        let now = state.clock.now().timestamp();
        let idle = Duration::minutes(state.config.follow_up_session_minutes).num_seconds();
        match parsed {
            Some((report, owner, at))
                if owner == i64::from(user.id) && now - at <= idle && at <= now + 60 =>
            {
                let report_id = report as i32;
                set_case_cookie(cookies, report_id, user.id, now);
                Outcome::Success(LookedUp { report_id })
            }
            _ => {
                cookies.remove_private(Cookie::build(CASE_COOKIE).path(CASE_PATH));
                Outcome::Forward(rocket::http::Status::Unauthorized)
            }
        }
    }
}

#[get("/intake/case")]
async fn show_caller_case(
    _user: Authorized<Operators>,
    case: LookedUp,
    page: PageCtx,
    state: &State<AppState>,
) -> AppResult<Template> {
    let report = service::status_view(state, case.report_id, page.lang).await?;
    Ok(page.render("intake/case", CaseView::new(report)))
}

#[get("/intake/case", rank = 2)]
fn case_without_lookup(_user: Authorized<Operators>) -> Flash<Redirect> {
    Flash::warning(
        Redirect::to(uri!(show_lookup)),
        "flash-intake-lookup-expired",
    )
}

#[post("/intake/case/reply", data = "<form>")]
async fn post_caller_reply(
    user: Authorized<Operators>,
    case: LookedUp,
    page: PageCtx,
    state: &State<AppState>,
    form: Form<ReplyForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let reply = form.body.clone().unwrap_or_default();
    let actor = user.actor();
    let key = match service::add_reply_entered_by(state, case.report_id, &reply, Some(&actor)).await
    {
        Ok(()) => {
            let to_case = Redirect::to(uri!(show_caller_case));
            return Ok(Flash::success(to_case, "flash-intake-reply-sent"));
        }
        Err("error-500") => {
            let error = AppError::Internal("storing a reply failed".into());
            return Err(AppResultPage::Error(error));
        }
        Err(key) => key,
    };
    let report = service::status_view(state, case.report_id, page.lang).await;
    let mut view = CaseView::new(report.map_err(AppResultPage::Error)?);
    (view.reply, view.reply_error) = (reply, Some(page.lang.t(key)));
    Err(refused(&page, "intake/case", view))
}

#[post("/intake/case/reply", rank = 2)]
fn reply_without_lookup(_user: Authorized<Operators>) -> Flash<Redirect> {
    Flash::warning(
        Redirect::to(uri!(show_lookup)),
        "flash-intake-lookup-expired",
    )
}

#[post("/intake/case/leave")]
fn end_lookup(_user: Authorized<Operators>, cookies: &CookieJar<'_>) -> Flash<Redirect> {
    cookies.remove_private(Cookie::build(CASE_COOKIE).path(CASE_PATH));
    Flash::success(Redirect::to(uri!(show_lookup)), "flash-intake-lookup-ended")
}
