//! Who may see a case: a member of the case's current team who is not in a conflict of interest
//! with it. Everyone else gets 404, so a case's existence is not revealed. One filter,
//! [`Viewer::visible`], decides for opening a case ([`load_case`]) and for every list of cases
//! (the inbox, the team lead's overview, related and linked cases).
//!
//! A conflict of interest is derived when the viewer is resolved, from the records as they are
//! *now*, so it cannot go stale: a viewer is kept out of a case of their teams when
//! - an exclusion was recorded for them (at intake, or when an inspector confirmed the person), or
//! - the case names, by confirmed staff record or by employee number, the viewer's own staff
//!   record or anyone in the same unit, or
//! - the reporter's name for the person may be the viewer or a colleague of the same unit
//!   ([`crate::domain::conflict::may_name`], conservative), or
//! - a discipline finding in the case is against the viewer or a colleague of the same unit.
//!
//! Linking an account to a staff record, an HR import, moving someone to another unit or a new
//! finding therefore take effect on the next request, without anything to recompute. The reports
//! whose typed name or number may be the viewer or a colleague are found through the keys stored
//! when each report was filed ([`super::name_keys`]), so the derivation reads a few rows however
//! many named reports the viewer's teams hold.

use std::collections::BTreeSet;

use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
    QueryTrait,
};

use super::name_keys;
use crate::auth::StaffUser;
use crate::domain::conflict::{number_key, person_keys, People};
use crate::platform::persistence::entities::{
    app_user, case_exclusion, case_file, discipline_finding, report, staff_member, team_member,
};
use crate::web::error::{AppError, AppResult};

/// A signed-in case handler, their teams and the cases of those teams they are in a conflict
/// of interest with.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: StaffUser,
    pub team_ids: Vec<i32>,
    /// Report ids of the teams' cases derived as conflicted (recorded exclusions apart).
    pub conflicted: BTreeSet<i32>,
}

impl Viewer {
    pub async fn of<C: ConnectionTrait>(conn: &C, user: StaffUser) -> AppResult<Self> {
        let team_ids: Vec<i32> = team_member::Entity::find()
            .filter(team_member::Column::UserId.eq(user.id))
            .all(conn)
            .await?
            .into_iter()
            .map(|m| m.team_id)
            .collect();
        let conflicted = if team_ids.is_empty() {
            BTreeSet::new()
        } else {
            conflicted_cases(conn, user.id, &user.display_name, &team_ids, None).await?
        };
        Ok(Self {
            user,
            team_ids,
            conflicted,
        })
    }

    /// The cases this viewer may see, as a query condition on `case_file`: a team of theirs,
    /// no recorded exclusion, no derived conflict. Every list and [`load_case`] use it.
    pub fn visible(&self) -> Condition {
        Condition::all()
            .add(case_file::Column::TeamId.is_in(self.team_ids.clone()))
            .add(case_file::Column::ReportId.not_in_subquery(self.excluded_ids()))
            .add(case_file::Column::ReportId.is_not_in(self.conflicted.iter().copied()))
    }

    /// The reports [`Viewer::visible`] leaves out of the viewer's teams, listed: recorded
    /// exclusions and derived conflicts (cases of other teams among them, for the caller to leave
    /// aside).
    pub async fn hidden_ids<C: ConnectionTrait>(&self, conn: &C) -> Result<BTreeSet<i32>, DbErr> {
        let mut ids = self.conflicted.clone();
        ids.extend(
            case_exclusion::Entity::find()
                .select_only()
                .column(case_exclusion::Column::ReportId)
                .filter(case_exclusion::Column::UserId.eq(self.user.id))
                .into_tuple::<i32>()
                .all(conn)
                .await?,
        );
        Ok(ids)
    }

    /// The reports an exclusion was recorded for this viewer on.
    fn excluded_ids(&self) -> SelectStatement {
        Query::select()
            .column(case_exclusion::Column::ReportId)
            .from(case_exclusion::Entity)
            .and_where(Expr::col(case_exclusion::Column::UserId).eq(self.user.id))
            .to_owned()
    }
}

/// The cases of `team_ids` (or only the case of report `only`, when it is one of them) that
/// name `user`, or a colleague of their unit, as the person reported or found against (see the
/// module documentation).
async fn conflicted_cases<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    display_name: &str,
    team_ids: &[i32],
    only: Option<i32>,
) -> Result<BTreeSet<i32>, DbErr> {
    let linked = app_user::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .and_then(|u| u.staff_member_id);
    let own = match linked {
        Some(id) => staff_member::Entity::find_by_id(id).one(conn).await?,
        None => None,
    };
    let colleagues = match &own {
        Some(own) => {
            staff_member::Entity::find()
                .filter(staff_member::Column::UnitId.eq(own.unit_id))
                .all(conn)
                .await?
        }
        None => Vec::new(),
    };
    let mut out = BTreeSet::new();
    if !colleagues.is_empty() {
        let ids: Vec<i32> = colleagues.iter().map(|s| s.id).collect();
        out.extend(
            case_file::Entity::find()
                .select_only()
                .column(case_file::Column::ReportId)
                .filter(case_file::Column::TeamId.is_in(team_ids.iter().copied()))
                .apply_if(only, |query, id| {
                    query.filter(case_file::Column::ReportId.eq(id))
                })
                .filter(case_file::Column::NamedStaffMemberId.is_in(ids.clone()))
                .into_tuple::<i32>()
                .all(conn)
                .await?,
        );
        // Findings against these people first (few), then which are cases of the teams: asked
        // the other way round, SQLite lists every case of the teams to probe the findings.
        let found: Vec<i32> = discipline_finding::Entity::find()
            .select_only()
            .column(discipline_finding::Column::ReportId)
            .filter(discipline_finding::Column::StaffMemberId.is_in(ids))
            .into_tuple::<i32>()
            .all(conn)
            .await?;
        for chunk in found.chunks(name_keys::CHUNK) {
            out.extend(
                case_file::Entity::find()
                    .select_only()
                    .column(case_file::Column::ReportId)
                    .filter(case_file::Column::ReportId.is_in(chunk.iter().copied()))
                    .filter(case_file::Column::TeamId.is_in(team_ids.iter().copied()))
                    .apply_if(only, |query, id| {
                        query.filter(case_file::Column::ReportId.eq(id))
                    })
                    .into_tuple::<i32>()
                    .all(conn)
                    .await?,
            );
        }
    }
    // The index finds the reports whose typed name or number may be one of these people; the
    // rule decides on each of those few (`name_keys`).
    let mut keys: BTreeSet<i64> = colleagues
        .iter()
        .flat_map(|s| person_keys(&s.full_name))
        .chain(person_keys(display_name))
        .collect();
    keys.extend(colleagues.iter().map(|s| number_key(&s.employee_number)));
    let candidates: Vec<i32> = name_keys::cases_with(conn, &keys, team_ids, only)
        .await?
        .into_iter()
        .collect();
    let numbers: BTreeSet<String> = colleagues
        .iter()
        .map(|s| s.employee_number.trim().to_uppercase())
        .collect();
    let people = People::new(
        colleagues
            .iter()
            .map(|s| s.full_name.as_str())
            .chain([display_name]),
    );
    for chunk in candidates.chunks(name_keys::CHUNK) {
        let named = report::Entity::find()
            .select_only()
            .column(report::Column::Id)
            .column(report::Column::StaffName)
            .column(report::Column::StaffNumber)
            .filter(report::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple::<(i32, Option<String>, Option<String>)>()
            .all(conn)
            .await?;
        for (id, name, number) in named {
            let by_number = number.is_some_and(|n| numbers.contains(&n.trim().to_uppercase()));
            let by_name = name.is_some_and(|typed| people.any_named_by(&typed));
            if by_number || by_name {
                out.insert(id);
            }
        }
    }
    Ok(out)
}

/// Whether user `user_id` may see the case of `report_id` by the same rule as a viewer (for
/// choosing an assignee: nobody is given a case they could not open).
pub async fn user_may_see<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    report_id: i32,
) -> Result<bool, DbErr> {
    let Some(account) = app_user::Entity::find_by_id(user_id).one(conn).await? else {
        return Ok(false);
    };
    let team_ids: Vec<i32> = team_member::Entity::find()
        .filter(team_member::Column::UserId.eq(user_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| m.team_id)
        .collect();
    if team_ids.is_empty() {
        return Ok(false);
    }
    // Only this case's conflicts: the same rule as a viewer's, without deriving every case of
    // the user's teams for each person the assignee list asks about.
    let conflicted = conflicted_cases(
        conn,
        user_id,
        &account.display_name,
        &team_ids,
        Some(report_id),
    )
    .await?;
    if conflicted.contains(&report_id) {
        return Ok(false);
    }
    let excluded = case_exclusion::Entity::find()
        .filter(case_exclusion::Column::ReportId.eq(report_id))
        .filter(case_exclusion::Column::UserId.eq(user_id))
        .one(conn)
        .await?
        .is_some();
    Ok(!excluded)
}

/// The case and its report, when `viewer` may see it; `NotFound` otherwise.
pub async fn load_case<C: ConnectionTrait>(
    conn: &C,
    viewer: &Viewer,
    report_id: i32,
) -> AppResult<(case_file::Model, report::Model)> {
    let case = case_file::Entity::find()
        .filter(case_file::Column::ReportId.eq(report_id))
        .filter(viewer.visible())
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let report = report::Entity::find_by_id(report_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((case, report))
}
