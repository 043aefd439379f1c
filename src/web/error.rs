//! One error type for every handler, with one responder: each variant becomes a page in the
//! user's language with the right status. Internal errors log their whole cause chain with the
//! request id and show only that id.

use rocket::http::Status;
use rocket::request::Request;
use rocket::response::{self, Responder};

use crate::web::catchers::error_page;
use crate::web::headers::request_id;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("CSRF token missing or invalid")]
    CsrfRejected,
    #[error("too many attempts; retry in {0} seconds")]
    SlowDown(i64),
    #[error("too many attempts; locked for {0} minutes")]
    LockedOut(i64),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// Wraps any infrastructure error, keeping its cause chain for the log.
    pub fn internal(error: impl std::error::Error) -> Self {
        let mut chain = error.to_string();
        let mut source = error.source();
        while let Some(cause) = source {
            chain.push_str(": ");
            chain.push_str(&cause.to_string());
            source = cause.source();
        }
        AppError::Internal(chain)
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(error: sea_orm::DbErr) -> Self {
        AppError::internal(error)
    }
}

impl From<crate::platform::crypto::HashError> for AppError {
    fn from(error: crate::platform::crypto::HashError) -> Self {
        AppError::internal(error)
    }
}

impl<'r> Responder<'r, 'static> for AppError {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let (status, key, args): (Status, &str, Vec<(&str, String)>) = match &self {
            AppError::NotFound => (Status::NotFound, "error-404", vec![]),
            AppError::Forbidden => (Status::Forbidden, "error-403", vec![]),
            AppError::CsrfRejected => (Status::Forbidden, "error-csrf", vec![]),
            AppError::SlowDown(seconds) => (
                Status::TooManyRequests,
                "error-slow-down",
                vec![("seconds", seconds.to_string())],
            ),
            AppError::LockedOut(minutes) => (
                Status::TooManyRequests,
                "error-locked-out",
                vec![("minutes", minutes.to_string())],
            ),
            AppError::Internal(chain) => {
                tracing::error!(request_id = %request_id(req).0, error = %chain, "internal error");
                (Status::InternalServerError, "error-500", vec![])
            }
        };
        error_page(req, status, key, &args).respond_to(req)
    }
}

pub type AppResult<T> = Result<T, AppError>;
