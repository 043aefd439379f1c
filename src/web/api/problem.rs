//! RFC 9457 problem details: the body of every API error, with its title and detail in the
//! caller's language (`Accept-Language`) from `locales/*/api.ftl`, and the `/api` catchers,
//! so that a status Rocket answers itself (no route, a malformed body) is a problem too.

use rocket::http::{ContentType, Header, Status};
use rocket::request::Request;
use rocket::response::{self, Responder, Response};
use rocket::{catch, catchers, Catcher};
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiLang;
use crate::domain::report::FieldErrors;
use crate::web::error::AppError;
use crate::web::headers::request_id;
use crate::web::i18n::Lang;

/// An error as RFC 9457 describes it (`application/problem+json`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem; `about:blank` when the status says it all.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem, in the caller's language.
    pub title: String,
    /// The HTTP status code.
    #[schema(minimum = 400, maximum = 599)]
    pub status: u16,
    /// What went wrong with this request, in the caller's language.
    pub detail: Option<String>,
    /// The fields to correct, for a refused request body.
    pub errors: Vec<FieldProblem>,
    /// The id to quote when asking about this request (also in `X-Request-Id`).
    pub request_id: String,
}

/// One field of a refused request body.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    /// The field's name in the request body.
    pub field: String,
    /// A stable code (the catalogue key of the web form's message).
    pub code: String,
    /// The message, in the caller's language.
    pub message: String,
}

/// Why an API call failed. Each variant is one status.
#[derive(Debug)]
pub enum ApiError {
    /// The body is not well-formed JSON, or a header is malformed.
    BadRequest(&'static str),
    /// No bearer token, or one that is unknown, expired or revoked.
    Unauthorized,
    /// The token is valid but lacks the scope.
    Forbidden,
    NotFound,
    /// The `Idempotency-Key` was used before with a different body.
    KeyReused,
    /// The body is well-formed but its values are refused: field → catalogue key.
    Invalid(FieldErrors),
    /// One message for the whole request (already in the caller's language), with the status.
    Refused(Status, String),
    /// Too many calls; retry after this many seconds.
    TooMany(i64),
    Internal(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::NotFound => ApiError::NotFound,
            AppError::Forbidden | AppError::CsrfRejected => ApiError::Forbidden,
            AppError::SlowDown(seconds) => ApiError::TooMany(seconds.max(1)),
            AppError::LockedOut(minutes) => ApiError::TooMany(minutes.max(1) * 60),
            AppError::Internal(chain) => ApiError::Internal(chain),
        }
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(error: sea_orm::DbErr) -> Self {
        AppError::from(error).into()
    }
}

/// A problem ready to send: its status, body and the headers some statuses need.
pub struct ProblemResponse {
    pub problem: Problem,
    retry_after: Option<i64>,
    /// The `Allow` header of a 405.
    allow: Option<String>,
}

impl ProblemResponse {
    /// The plain problem of `status` (no details beyond the status itself).
    pub fn of_status(req: &Request<'_>, status: Status) -> Self {
        let lang = ApiLang::of(req).0;
        let detail_key = format!("api-detail-{}", status.code);
        let detail = Some(lang.t(&detail_key)).filter(|text| *text != detail_key);
        Self {
            problem: Problem {
                kind: "about:blank".into(),
                title: title(lang, status),
                status: status.code,
                detail,
                errors: Vec::new(),
                request_id: request_id(req).0,
            },
            retry_after: None,
            allow: None,
        }
    }
}

fn title(lang: Lang, status: Status) -> String {
    let key = format!("api-title-{}", status.code);
    let text = lang.t(&key);
    if text == key {
        status.reason_lossy().to_string()
    } else {
        text
    }
}

impl ApiError {
    fn status(&self) -> Status {
        match self {
            ApiError::BadRequest(_) => Status::BadRequest,
            ApiError::Unauthorized => Status::Unauthorized,
            ApiError::Forbidden => Status::Forbidden,
            ApiError::NotFound => Status::NotFound,
            ApiError::KeyReused | ApiError::Invalid(_) => Status::UnprocessableEntity,
            ApiError::Refused(status, _) => *status,
            ApiError::TooMany(_) => Status::TooManyRequests,
            ApiError::Internal(_) => Status::InternalServerError,
        }
    }

    /// The problem this error is, in the caller's language.
    pub fn to_response(&self, req: &Request<'_>) -> ProblemResponse {
        let lang = ApiLang::of(req).0;
        let mut response = ProblemResponse::of_status(req, self.status());
        let problem = &mut response.problem;
        match self {
            ApiError::BadRequest(key) => problem.detail = Some(lang.t(key)),
            ApiError::KeyReused => {
                problem.kind = "/api/v1/docs#problem-idempotency-key-reused".into();
                problem.detail = Some(lang.t("api-detail-key-reused"));
            }
            ApiError::Invalid(errors) => {
                problem.kind = "/api/v1/docs#problem-invalid-fields".into();
                problem.detail = Some(lang.t("api-detail-invalid"));
                problem.errors = errors
                    .iter()
                    .map(|(field, key)| FieldProblem {
                        field: field.to_string(),
                        code: key.to_string(),
                        message: lang.t(key),
                    })
                    .collect();
            }
            ApiError::Refused(_, text) => problem.detail = Some(text.clone()),
            ApiError::TooMany(seconds) => {
                let args = [("seconds", seconds.to_string())];
                problem.detail = Some(lang.t_args("api-detail-retry", &args));
                response.retry_after = Some(*seconds);
            }
            ApiError::Internal(chain) => {
                tracing::error!(request_id = %problem.request_id, error = %chain, "internal error");
            }
            ApiError::Unauthorized | ApiError::Forbidden | ApiError::NotFound => {}
        }
        response
    }
}

impl<'r> Responder<'r, 'static> for ProblemResponse {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        let status = Status::from_code(self.problem.status).unwrap_or(Status::InternalServerError);
        let body = serde_json::to_string(&self.problem).map_err(|_| Status::InternalServerError)?;
        let mut response = Response::build();
        response
            .status(status)
            .header(ContentType::new("application", "problem+json"))
            .sized_body(body.len(), std::io::Cursor::new(body));
        if let Some(seconds) = self.retry_after {
            response.header(Header::new("Retry-After", seconds.to_string()));
        }
        if let Some(allow) = self.allow {
            response.header(Header::new("Allow", allow));
        }
        if status == Status::Unauthorized {
            response.header(Header::new("WWW-Authenticate", "Bearer realm=\"api\""));
        }
        Ok(response.finalize())
    }
}

impl<'r> Responder<'r, 'static> for ApiError {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        self.to_response(req).respond_to(req)
    }
}

#[catch(default)]
fn api_default(status: Status, req: &Request<'_>) -> ProblemResponse {
    // A guard that refused a throttled caller left how long to wait.
    if let Some(seconds) = req.local_cache(|| RetryAfter(None)).0 {
        return ApiError::TooMany(seconds).to_response(req);
    }
    if let Some(methods) = super::methods::allowed(req, status) {
        let mut response = ProblemResponse::of_status(req, Status::MethodNotAllowed);
        let allow: Vec<&str> = methods.iter().map(|m| m.as_str()).collect();
        response.allow = Some(allow.join(", "));
        return response;
    }
    ProblemResponse::of_status(req, status)
}

/// Set by a guard that refuses with 429, for the catcher's `Retry-After`.
#[derive(Debug, Clone, Copy)]
pub struct RetryAfter(pub Option<i64>);

/// The catchers of `/api`: every status as a problem, never an HTML page or a redirect.
pub fn catchers() -> Vec<Catcher> {
    catchers![api_default]
}
