//! Error pages in the user's language for every status a visitor can meet.

use rocket::http::Status;
use rocket::request::Request;
use rocket::{catch, catchers, Catcher};
use rocket_dyn_templates::Template;
use serde::Serialize;

use super::headers::request_id;
use super::i18n::Lang;

/// Where an unauthenticated request should continue; set by the staff guards, read by the
/// 401 catcher.
#[derive(Debug, Clone, Copy)]
pub struct ContinueAt(pub &'static str);

/// The error page's context. Built here rather than through `PageCtx`, because a catcher may
/// run before the request's guards (no CSRF token, no flash).
#[derive(Serialize)]
struct ErrorView {
    lang: &'static str,
    other_lang: &'static str,
    current_path: String,
    status: u16,
    message: String,
    request_id: String,
    /// Only 500 pages show the id, for people to quote.
    show_request_id: bool,
    flash: Option<()>,
    /// The footer's hotlines as the last page read them.
    footer_hotlines: Vec<super::hotlines::HotlineView>,
}

/// The error page for `status`, with the message under `key` (arguments interpolated by the
/// template engine's translation function).
pub fn error_page(
    req: &Request<'_>,
    status: Status,
    key: &str,
    args: &[(&str, String)],
) -> (Status, Template) {
    let lang = lang_of(req);
    (
        status,
        Template::render(
            "errors/error",
            ErrorView {
                lang: lang.code(),
                other_lang: lang.other().code(),
                current_path: super::i18n::switch_target(req),
                status: status.code,
                message: lang.t_args(key, args),
                request_id: request_id(req).0,
                show_request_id: status.code >= 500,
                flash: None,
                // The catalogue in hand: an error page never waits for the database.
                footer_hotlines: req
                    .rocket()
                    .state::<super::state::AppState>()
                    .map(|state| state.reference.cached().hotlines(lang).to_vec())
                    .unwrap_or_default(),
            },
        ),
    )
}

fn page_for(req: &Request<'_>, status: Status) -> (Status, Template) {
    let key = match status.code {
        400 => "error-400",
        403 => "error-403",
        404 => "error-404",
        413 => "error-413",
        422 => "error-422",
        429 => "error-429",
        _ => "error-500",
    };
    error_page(req, status, key, &[])
}

#[catch(default)]
fn default_catcher(status: Status, req: &Request<'_>) -> (Status, Template) {
    page_for(req, status)
}

/// No staff session (or an unfinished sign-in): continue at sign-in or at the pending step.
#[catch(401)]
fn unauthorized(req: &Request<'_>) -> rocket::response::Redirect {
    let target = req.local_cache(|| ContinueAt("/staff/sign-in")).0;
    rocket::response::Redirect::to(target)
}

pub fn all() -> Vec<Catcher> {
    catchers![default_catcher, unauthorized]
}

/// Makes [`Lang`] resolvable outside an async guard (catchers and responders are sync).
pub fn lang_of(req: &Request<'_>) -> Lang {
    *req.local_cache(|| super::i18n::resolve_sync(req))
}
