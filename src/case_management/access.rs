//! Who may see a case: a member of the case's current team who is not excluded from it by a
//! conflict of interest. Everyone else gets 404, so a case's existence is not revealed.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::auth::StaffUser;
use crate::platform::persistence::entities::{case_exclusion, case_file, report, team_member};
use crate::web::error::{AppError, AppResult};

/// A signed-in case handler and the teams they belong to.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: StaffUser,
    pub team_ids: Vec<i32>,
}

impl Viewer {
    pub async fn of<C: ConnectionTrait>(conn: &C, user: StaffUser) -> AppResult<Self> {
        let team_ids = team_member::Entity::find()
            .filter(team_member::Column::UserId.eq(user.id))
            .all(conn)
            .await?
            .into_iter()
            .map(|m| m.team_id)
            .collect();
        Ok(Self { user, team_ids })
    }
}

/// The case and its report, when `viewer` may see it; `NotFound` otherwise.
pub async fn load_case<C: ConnectionTrait>(
    conn: &C,
    viewer: &Viewer,
    report_id: i32,
) -> AppResult<(case_file::Model, report::Model)> {
    let case = case_file::Entity::find()
        .filter(case_file::Column::ReportId.eq(report_id))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    if !case
        .team_id
        .is_some_and(|team| viewer.team_ids.contains(&team))
    {
        return Err(AppError::NotFound);
    }
    let excluded = case_exclusion::Entity::find()
        .filter(case_exclusion::Column::ReportId.eq(report_id))
        .filter(case_exclusion::Column::UserId.eq(viewer.user.id))
        .count(conn)
        .await?
        > 0;
    if excluded {
        return Err(AppError::NotFound);
    }
    let report = report::Entity::find_by_id(report_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((case, report))
}
