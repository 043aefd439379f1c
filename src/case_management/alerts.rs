//! Who is told of a case change, written to the outbox (`platform::notify`) inside the change's
//! own transaction: the team of a new case, an assignee, the staff of a case the reporter
//! answered, the requester of an identity decision, and a named denouncer the notices the law
//! requires. Members excluded by a conflict of interest are never told; the texts carry only
//! the case reference and a link.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};

use crate::case_management::intake::team_workers;
use crate::case_management::reference_of;
use crate::platform::config::Config;
use crate::platform::notify::{self, Notification, Params, Recipient};
use crate::platform::persistence::entities::{
    case_exclusion, case_file, report, reporter_identity,
};

/// The link and reference of a case, for its staff.
pub fn staff_params(case: &case_file::Model) -> Params {
    Params {
        reference: reference_of(case),
        path: format!("/cases/{}", case.report_id),
    }
}

/// Tells `user` about `case` (immediately, in a digest, or not, as they chose).
pub async fn tell_user<C: ConnectionTrait>(
    conn: &C,
    config: &Config,
    now: DateTime<Utc>,
    case: &case_file::Model,
    user: i32,
    kind: &'static str,
    dedupe_key: Option<String>,
) -> Result<(), DbErr> {
    let message = Notification {
        to: Recipient::Staff(user),
        kind,
        params: staff_params(case),
        dedupe_key,
    };
    notify::enqueue(conn, &config.notify, now, message).await?;
    Ok(())
}

/// The team's inspectors and team leads who may see the case.
pub async fn team_of<C: ConnectionTrait>(
    conn: &C,
    case: &case_file::Model,
) -> Result<Vec<i32>, DbErr> {
    let Some(team) = case.team_id else {
        return Ok(Vec::new());
    };
    let excluded: Vec<i32> = case_exclusion::Entity::find()
        .filter(case_exclusion::Column::ReportId.eq(case.report_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|e| e.user_id)
        .collect();
    Ok(team_workers(conn, team)
        .await?
        .into_iter()
        .filter(|u| !excluded.contains(u))
        .collect())
}

/// Tells every member of the case's team who may see it.
pub async fn tell_team<C: ConnectionTrait>(
    conn: &C,
    config: &Config,
    now: DateTime<Utc>,
    case: &case_file::Model,
    kind: &'static str,
) -> Result<(), DbErr> {
    for user in team_of(conn, case).await? {
        tell_user(conn, config, now, case, user, kind, None).await?;
    }
    Ok(())
}

/// Tells the assignee of the case of `report_id`, or its team when nobody is assigned.
pub async fn tell_case_staff<C: ConnectionTrait>(
    conn: &C,
    config: &Config,
    now: DateTime<Utc>,
    report_id: i32,
    kind: &'static str,
) -> Result<(), DbErr> {
    let Some(case) = case_file::Entity::find()
        .filter(case_file::Column::ReportId.eq(report_id))
        .one(conn)
        .await?
    else {
        return Ok(());
    };
    match case.assignee_user_id {
        Some(user) if team_of(conn, &case).await?.contains(&user) => {
            tell_user(conn, config, now, &case, user, kind, None).await
        }
        _ => tell_team(conn, config, now, &case, kind).await,
    }
}

/// Tells a named denouncer by SMS, when the report is named and its identity (with the phone)
/// is still held. The phone is opened only when the message is sent.
pub async fn tell_reporter<C: ConnectionTrait>(
    conn: &C,
    config: &Config,
    now: DateTime<Utc>,
    report_id: i32,
    kind: &'static str,
) -> Result<(), DbErr> {
    let named = report::Entity::find_by_id(report_id)
        .one(conn)
        .await?
        .is_some_and(|r| r.submission_kind == "named");
    let identity = reporter_identity::Entity::find()
        .filter(reporter_identity::Column::ReportId.eq(report_id))
        .count(conn)
        .await?;
    let Some(case) = case_file::Entity::find()
        .filter(case_file::Column::ReportId.eq(report_id))
        .one(conn)
        .await?
    else {
        return Ok(());
    };
    if !named || identity == 0 {
        return Ok(());
    }
    let message = Notification {
        to: Recipient::Reporter(report_id),
        kind,
        params: Params {
            reference: reference_of(&case),
            path: "/follow-up".into(),
        },
        dedupe_key: None,
    };
    notify::enqueue(conn, &config.notify, now, message).await?;
    Ok(())
}
