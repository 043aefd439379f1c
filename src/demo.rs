//! `conduct-portal seed-demo`: fills a database with realistic synthetic cases (in progress).

use crate::app::AppState;
use crate::error::AppResult;

/// Inserts `reports` synthetic reports with their case files, events and messages.
pub async fn seed(_state: &AppState, _reports: u64) -> AppResult<()> {
    Err(crate::error::AppError::Internal(
        "seed-demo is not implemented yet".into(),
    ))
}
