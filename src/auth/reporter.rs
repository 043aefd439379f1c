//! The reporter's side of authentication: a customer who opened their report with its receipt
//! code holds a private, path-scoped cookie naming the report, valid while they keep using it
//! (idle limit from the managed clock). No account, no address, no User-Agent.

use chrono::Duration;
use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::request::{FromRequest, Outcome, Request};

use crate::web::catchers::ContinueAt;
use crate::web::state::AppState;

pub const FOLLOW_COOKIE: &str = "follow";

/// Starts or renews the follow-up session of `report_id`.
pub fn set_follow_cookie(cookies: &CookieJar<'_>, report_id: i32, at: i64) {
    cookies.add_private(
        Cookie::build((FOLLOW_COOKIE, format!("{report_id}.{at}")))
            .path("/follow-up")
            .same_site(SameSite::Strict)
            .http_only(true),
    );
}

/// A reporter who opened their report with its receipt code, within the idle limit.
pub struct ReporterSession {
    pub report_id: i32,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ReporterSession {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let Some(state) = req.rocket().state::<AppState>() else {
            return Outcome::Forward(Status::InternalServerError);
        };
        let cookies = req.cookies();
        let Some((report_id, at)) = cookies.get_private(FOLLOW_COOKIE).and_then(|c| {
            let (id, at) = c.value().split_once('.')?;
            Some((id.parse::<i32>().ok()?, at.parse::<i64>().ok()?))
        }) else {
            return without_session(req);
        };
        let now = state.clock.now();
        let idle = Duration::minutes(state.config.follow_up_session_minutes);
        if now.timestamp() - at > idle.num_seconds() || at > now.timestamp() + 60 {
            cookies.remove_private(Cookie::build(FOLLOW_COOKIE).path("/follow-up"));
            return without_session(req);
        }
        set_follow_cookie(cookies, report_id, now.timestamp());
        Outcome::Success(ReporterSession { report_id })
    }
}

/// No follow-up session: a page without its own fallback route sends the visitor to the
/// receipt-code form, never to the staff sign-in.
fn without_session(req: &Request<'_>) -> Outcome<ReporterSession, ()> {
    req.local_cache(|| ContinueAt("/follow-up"));
    Outcome::Forward(Status::Unauthorized)
}
