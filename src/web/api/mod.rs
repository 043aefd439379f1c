//! Plumbing of the JSON API under `/api/v1`, shared by the slices that own its endpoints
//! (`public_reporting::api`, `case_management::api`, `analytics::api`): RFC 9457 problem
//! details in the caller's language (`Accept-Language` only), the JSON catchers of `/api`,
//! the CORS allow-list (off by default), rate limits answered `429` with `Retry-After`, the
//! `Idempotency-Key` store, `ETag`s, and the OpenAPI document with its reference page.
//!
//! Invariants: no cookie is read on an API path (callers authenticate with a bearer token,
//! `auth::api_token`), so the CSRF rule of cookie sessions does not apply there
//! (`web::csrf` skips `/api/`); an API response never carries a reporter's identity, and the
//! receipt code only in the one submission response that hands it out.

pub mod cors;
pub mod docs;
pub mod etag;
pub mod idempotency;
pub mod methods;
pub mod problem;

use rocket::request::{FromRequest, Outcome, Request};

use crate::platform::config::ApiSettings;
use crate::platform::crypto::SecretKey32;
use crate::platform::persistence::Db;
use crate::web::i18n::Lang;
use crate::web::rate::RateLimiter;

pub use problem::{ApiError, ApiResult, Problem};

/// Where the API lives.
pub const PREFIX: &str = "/api/";

/// Whether a request is an API call.
pub fn is_api_path(path: &str) -> bool {
    path.starts_with(PREFIX) || path == "/api"
}

/// The API's language: `Accept-Language` alone (a cookie never speaks for an API caller),
/// Vietnamese by default.
#[derive(Debug, Clone, Copy)]
pub struct ApiLang(pub Lang);

impl ApiLang {
    pub fn of(req: &Request<'_>) -> Self {
        ApiLang(
            req.headers()
                .get_one("Accept-Language")
                .and_then(Lang::from_accept_language)
                .unwrap_or(Lang::Vi),
        )
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ApiLang {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(ApiLang::of(req))
    }
}

/// The API's rate limits (managed state): in memory on SQLite, shared in PostgreSQL.
pub struct ApiLimits {
    /// Reports per client address.
    pub reports: RateLimiter,
    /// Calls per integration token.
    pub tokens: RateLimiter,
}

impl ApiLimits {
    pub fn new(settings: &ApiSettings, db: &Db, hash_key: &SecretKey32) -> Self {
        Self {
            reports: RateLimiter::for_database(
                "api_reports",
                settings.report_limit.clone(),
                db,
                hash_key,
            ),
            tokens: RateLimiter::for_database(
                "api_tokens",
                settings.token_limit.clone(),
                db,
                hash_key,
            ),
        }
    }
}

/// A JSON request body: `Content-Type: application/json` (anything else is 415, which also
/// keeps cross-site HTML forms out) and a body that parses into `T` (400 when it is not JSON,
/// 422 when its values do not fit `T`). Serde's message is never echoed: it may quote input.
pub struct ApiJson<T>(pub T);

#[rocket::async_trait]
impl<'r, T: serde::de::DeserializeOwned + Send> rocket::data::FromData<'r> for ApiJson<T> {
    type Error = ();

    async fn from_data(
        req: &'r Request<'_>,
        data: rocket::Data<'r>,
    ) -> rocket::data::Outcome<'r, Self> {
        use rocket::outcome::Outcome as O;
        if !req.content_type().is_some_and(|ct| ct.is_json()) {
            return O::Error((rocket::http::Status::UnsupportedMediaType, ()));
        }
        match rocket::serde::json::Json::<T>::from_data(req, data).await {
            O::Success(json) => O::Success(ApiJson(json.into_inner())),
            O::Error((status, _)) => O::Error((status, ())),
            O::Forward(forward) => O::Forward(forward),
        }
    }
}

/// The one value of a query parameter given as a list (`Vec<String>` in a `FromForm` query, so
/// that a repeated parameter is seen rather than silently dropped): none when absent; a
/// refusal under `field` when it was given more than once, blank, or does not pass `valid`.
pub fn one_value<'a>(
    errors: &mut crate::domain::report::FieldErrors,
    field: &'static str,
    values: &'a [String],
    valid: impl Fn(&str) -> bool,
) -> Option<&'a str> {
    match values {
        [] => None,
        [value] if valid(value) => Some(value.as_str()),
        _ => {
            errors.insert(field, "error-api-query");
            None
        }
    }
}

/// A positive 32-bit id, as the OpenAPI document states it (`minimum: 1`).
pub fn is_id(text: &str) -> bool {
    text.parse::<i32>().is_ok_and(|id| id > 0)
}
