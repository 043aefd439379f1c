//! Security headers on every response (and `HttpOnly` on Rocket's flash cookie), a request id
//! for every request, and one log line per request. The log line holds the request id, method, path, status and duration — never the
//! client's address, User-Agent, query string or form fields.

use std::time::Instant;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Header;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::{Data, Response};

/// A random id for each request, shown on the 500 page so a user can quote it.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

struct StartedAt(Instant);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for RequestId {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(request_id(req))
    }
}

pub fn request_id(req: &Request<'_>) -> RequestId {
    req.local_cache(|| RequestId(uuid::Uuid::new_v4().simple().to_string()[..12].to_string()))
        .clone()
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; \
                   base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const PERMISSIONS: &str = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), \
                           magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()";

/// Adds the headers and writes the request log line.
pub struct SecurityHeaders;

#[rocket::async_trait]
impl Fairing for SecurityHeaders {
    fn info(&self) -> Info {
        Info {
            name: "Security headers and request log",
            kind: Kind::Request | Kind::Response,
        }
    }

    async fn on_request(&self, req: &mut Request<'_>, _: &mut Data<'_>) {
        req.local_cache(|| StartedAt(Instant::now()));
        let _ = request_id(req);
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        // Evidence downloads bring their own, stricter (sandboxing) policy.
        if !res.headers().contains("Content-Security-Policy") {
            res.set_header(Header::new("Content-Security-Policy", CSP));
        }
        res.set_header(Header::new("X-Frame-Options", "DENY"));
        res.set_header(Header::new("Referrer-Policy", "no-referrer"));
        res.set_header(Header::new("X-Content-Type-Options", "nosniff"));
        res.set_header(Header::new("Permissions-Policy", PERMISSIONS));
        res.set_header(Header::new("Cross-Origin-Opener-Policy", "same-origin"));
        res.set_header(Header::new("Cross-Origin-Resource-Policy", "same-origin"));
        flash_cookie_http_only(res);
        let id = request_id(req);
        res.set_header(Header::new("X-Request-Id", id.0.clone()));
        // Pages may show report data; only the static assets may be kept by caches.
        if req.uri().path().starts_with("/static/") {
            res.set_header(Header::new("Cache-Control", "public, max-age=3600"));
        } else if res.headers().contains("Cache-Control") {
            // The handler chose (`web::api::etag`: public reference lists, revalidated).
        } else {
            res.set_header(Header::new("Cache-Control", "no-store"));
            res.set_header(Header::new("Pragma", "no-cache"));
        }
        let elapsed = req.local_cache(|| StartedAt(Instant::now())).0.elapsed();
        tracing::info!(
            request_id = %id.0,
            method = %req.method(),
            path = %logged_path(req.route().map(|route| route.uri.path()), req.uri().path().as_str()),
            status = res.status().code,
            ms = elapsed.as_millis() as u64,
            "request"
        );
    }
}

/// Rocket's flash cookie (`_flash`, set by every `Flash` redirect) carries no `HttpOnly`; only
/// the server reads it, so scripts need not see it (every other cookie of the portal is set
/// `HttpOnly` where it is built).
fn flash_cookie_http_only(res: &mut Response<'_>) {
    let cookies: Vec<String> = res.headers().get("Set-Cookie").map(String::from).collect();
    if !cookies.iter().any(|cookie| needs_http_only(cookie)) {
        return;
    }
    res.remove_header("Set-Cookie");
    for cookie in cookies {
        let cookie = if needs_http_only(&cookie) {
            format!("{cookie}; HttpOnly")
        } else {
            cookie
        };
        res.adjoin_header(Header::new("Set-Cookie", cookie));
    }
}

fn needs_http_only(cookie: &str) -> bool {
    cookie.starts_with("_flash=")
        && !cookie
            .split(';')
            .skip(1)
            .any(|attribute| attribute.trim().eq_ignore_ascii_case("httponly"))
}

/// What the request log says of a path: the matched route's pattern (`/cases/<id>`,
/// `/staff/setup/<token>`), never the values in it, so a one-time setup token or an id cannot
/// end up in a log file; for a path no route matched, only its first segment.
fn logged_path(route: Option<&str>, path: &str) -> String {
    match route {
        Some(pattern) => pattern.to_string(),
        None => {
            let first = path
                .trim_start_matches('/')
                .split('/')
                .next()
                .unwrap_or_default();
            if path.trim_start_matches('/').contains('/') {
                format!("/{first}/…")
            } else {
                format!("/{first}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{logged_path, needs_http_only};

    #[test]
    fn only_a_flash_cookie_without_http_only_is_changed() {
        assert!(needs_http_only("_flash=7_successhi; Path=/; SameSite=Lax"));
        assert!(!needs_http_only("_flash=7_successhi; Path=/; HttpOnly"));
        assert!(!needs_http_only("_flash=; Path=/; httponly; Max-Age=0"));
        assert!(!needs_http_only("lang=vi; Path=/"));
        assert!(!needs_http_only("my_flash=x"));
    }

    #[test]
    fn the_request_log_shows_route_patterns_never_the_values_in_a_path() {
        let token = "9e52bb68cc8e65715de566a2a2f2326de201317232af607b03446448258c2708";
        let path = format!("/staff/setup/{token}");
        let logged = logged_path(Some("/staff/setup/<token>"), &path);
        assert_eq!(logged, "/staff/setup/<token>");
        let unmatched = logged_path(None, &path);
        assert_eq!(unmatched, "/staff/…");
        assert!(!unmatched.contains(token));
        assert_eq!(logged_path(None, "/favicon.ico"), "/favicon.ico");
    }
}
