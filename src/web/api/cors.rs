//! CORS for the API, off by default: only an origin in `api.cors_origins` gets
//! `Access-Control-Allow-Origin`, and only on `/api/` paths. Credentials are never allowed (a
//! cookie never authenticates an API call), so a browser script can use only a bearer token.

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::{Header, Method, Status};
use rocket::{options, routes, Request, Response, Route};

use crate::web::state::AppState;

/// Adds the CORS headers for allowed origins.
pub struct Cors;

#[rocket::async_trait]
impl Fairing for Cors {
    fn info(&self) -> Info {
        Info {
            name: "CORS for /api (allow-list)",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        if !super::is_api_path(req.uri().path().as_str()) {
            return;
        }
        let Some(state) = req.rocket().state::<AppState>() else {
            return;
        };
        let Some(origin) = req.headers().get_one("Origin") else {
            return;
        };
        res.adjoin_header(Header::new("Vary", "Origin"));
        if !allowed(&state.config.api.cors_origins, origin) {
            return;
        }
        res.set_header(Header::new(
            "Access-Control-Allow-Origin",
            origin.to_string(),
        ));
        res.set_header(Header::new(
            "Access-Control-Expose-Headers",
            "ETag, Retry-After, X-Request-Id, Idempotent-Replayed",
        ));
        if req.method() == Method::Options {
            res.set_header(Header::new(
                "Access-Control-Allow-Methods",
                "GET, POST, OPTIONS",
            ));
            res.set_header(Header::new(
                "Access-Control-Allow-Headers",
                "Authorization, Content-Type, Accept-Language, Idempotency-Key, If-None-Match",
            ));
            res.set_header(Header::new("Access-Control-Max-Age", "600"));
        }
    }
}

/// Whether `origin` is in the allow-list (entries may also be comma-separated lists).
fn allowed(list: &[String], origin: &str) -> bool {
    list.iter()
        .flat_map(|entry| entry.split(','))
        .map(|entry| entry.trim().trim_end_matches('/'))
        .any(|entry| !entry.is_empty() && entry.eq_ignore_ascii_case(origin))
}

/// A browser's preflight: answered here, the fairing adds the headers when the origin is
/// allowed (otherwise the browser refuses the call).
#[options("/api/v1/<_..>")]
fn preflight() -> Status {
    Status::NoContent
}

pub fn routes() -> Vec<Route> {
    routes![preflight]
}

#[cfg(test)]
mod tests {
    use super::allowed;

    #[test]
    fn only_listed_origins_are_allowed() {
        let list = vec![
            "https://app.evn.vn/".to_string(),
            "https://a.vn, https://b.vn".into(),
        ];
        assert!(allowed(&list, "https://app.evn.vn"));
        assert!(allowed(&list, "https://b.vn"));
        assert!(!allowed(&list, "https://evil.vn"));
        assert!(!allowed(&[], "https://app.evn.vn"));
    }
}
