//! The reporter's rating of a closed case, as the case page and the rating form read it.

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde::Serialize;

use crate::platform::persistence::entities::satisfaction_rating;
use crate::web::format::local_time;

/// A rating as the team and the reporter read it.
#[derive(Debug, Clone, Serialize)]
pub struct RatingView {
    pub score: i32,
    pub comment: Option<String>,
    pub at: String,
}

/// The rating of a report, if one was given (for the case page).
pub async fn for_case<C: ConnectionTrait>(
    conn: &C,
    report_id: i32,
) -> Result<Option<RatingView>, DbErr> {
    Ok(satisfaction_rating::Entity::find()
        .filter(satisfaction_rating::Column::ReportId.eq(report_id))
        .one(conn)
        .await?
        .map(|r| RatingView {
            score: r.score,
            comment: r.comment,
            at: local_time(r.created_at),
        }))
}
