//! Opening the case file of a new report, inside the submission's transaction: routing to a
//! team (with its explanation), conflict-of-interest exclusions, and the first clock.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use serde_json::json;

use crate::domain::calendar::local_date;
use crate::domain::conflict::may_name;
use crate::domain::routing::{Reason, Router};
use crate::domain::status::CaseStatus;
use crate::domain::text::fold;
use crate::domain::track::{self, Track};
use crate::platform::audit::{self, Actor, Entry};
use crate::platform::config::Config;
use crate::platform::evidence::text::search_text;
use crate::platform::persistence::entities::{
    app_user, case_exclusion, case_file, report, staff_member, team_member, user_role,
    violation_category,
};
use crate::platform::persistence::rules::{load_calendar, load_router};

/// Users who may not see a case naming `staff`: the person themself and everyone working in
/// the same lowest-level unit. Each with the reason recorded.
pub async fn conflicted_users<C: ConnectionTrait>(
    conn: &C,
    staff: &staff_member::Model,
) -> Result<Vec<(i32, &'static str)>, DbErr> {
    let colleagues: Vec<i32> = staff_member::Entity::find()
        .filter(staff_member::Column::UnitId.eq(staff.unit_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let users = app_user::Entity::find()
        .filter(app_user::Column::StaffMemberId.is_in(colleagues))
        .all(conn)
        .await?;
    Ok(users
        .into_iter()
        .map(|u| {
            let reason = if u.staff_member_id == Some(staff.id) {
                "named_person"
            } else {
                "same_unit"
            };
            (u.id, reason)
        })
        .collect())
}

/// Users who may not see a case whose reporter named the person only as `typed`: for every
/// staff record and every account whose name may be that person
/// ([`crate::domain::conflict::may_name`], conservative), the person and their unit, as for a
/// named staff member. The same rule as the access check applies on every request; recording
/// it here lets routing skip a team that nobody eligible would be left in.
pub async fn name_conflicts<C: ConnectionTrait>(
    conn: &C,
    typed: &str,
) -> Result<Vec<(i32, &'static str)>, DbErr> {
    let words: Vec<String> = fold(typed)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 1)
        .take(8)
        .map(str::to_string)
        .collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    // Narrowed in the database to names sharing a word, then decided by the rule.
    let mut any = Condition::any();
    for word in &words {
        any = any.add(staff_member::Column::FullNameFolded.contains(word.as_str()));
    }
    let mut out: Vec<(i32, &'static str)> = Vec::new();
    for staff in staff_member::Entity::find().filter(any).all(conn).await? {
        if may_name(typed, &staff.full_name) {
            for (user, _) in conflicted_users(conn, &staff).await? {
                if !out.iter().any(|(u, _)| *u == user) {
                    out.push((user, "named_by_name"));
                }
            }
        }
    }
    for user in app_user::Entity::find().all(conn).await? {
        if may_name(typed, &user.display_name) && !out.iter().any(|(u, _)| *u == user.id) {
            out.push((user.id, "named_by_name"));
        }
    }
    Ok(out)
}

/// Active inspectors and team leads of a team.
pub async fn team_workers<C: ConnectionTrait>(conn: &C, team_id: i32) -> Result<Vec<i32>, DbErr> {
    let members: Vec<i32> = team_member::Entity::find()
        .filter(team_member::Column::TeamId.eq(team_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    if members.is_empty() {
        return Ok(Vec::new());
    }
    let active: BTreeSet<i32> = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(members.clone()))
        .filter(app_user::Column::Active.eq(true))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let workers: BTreeSet<i32> = user_role::Entity::find()
        .filter(user_role::Column::UserId.is_in(members))
        .filter(user_role::Column::Role.is_in(["inspector", "team_lead"]))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| r.user_id)
        .collect();
    Ok(active.intersection(&workers).copied().collect())
}

/// Finds the team for a case: routes, and while conflicts leave a team with nobody eligible,
/// continues above it. Returns the team and the routing explanation (JSON).
pub async fn choose_team<C: ConnectionTrait>(
    conn: &C,
    router: &Router,
    unit_id: i32,
    category: &violation_category::Model,
    escalate: bool,
    excluded: &[i32],
) -> Result<(Option<i32>, serde_json::Value), DbErr> {
    let severe = category.severity == "severe";
    let mut skipped = Vec::new();
    loop {
        let Some(route) = router.route(unit_id, category.id, severe, escalate, &skipped) else {
            return Ok((
                None,
                json!({"kind": "none", "skipped_for_conflict": skipped, "escalate": escalate}),
            ));
        };
        let workers = team_workers(conn, route.team_id).await?;
        let eligible = workers.iter().filter(|u| !excluded.contains(u)).count();
        if !workers.is_empty() && eligible == 0 {
            skipped.push(route.team_id);
            continue;
        }
        let (kind, rule_id, at_unit) = match route.reason {
            Reason::CategoryRule { rule_id, unit_id } => ("category_rule", Some(rule_id), unit_id),
            Reason::GenericRule { rule_id, unit_id } => ("generic_rule", Some(rule_id), unit_id),
            Reason::UnitTeam { unit_id } => ("unit_team", None, unit_id),
        };
        return Ok((
            Some(route.team_id),
            json!({
                "kind": kind,
                "rule_id": rule_id,
                "unit_id": at_unit,
                "category_id": category.id,
                "team_id": route.team_id,
                "severe": severe,
                "escalate": escalate,
                "start_unit_id": route.start_unit_id,
                "skipped_for_conflict": skipped,
            }),
        ));
    }
}

/// Opens the case file of a just-inserted report, in the caller's transaction.
pub async fn open_case<C: ConnectionTrait>(
    conn: &C,
    config: &Config,
    row: &report::Model,
    text_tokens: &str,
    now: DateTime<Utc>,
) -> Result<case_file::Model, DbErr> {
    let category = violation_category::Entity::find_by_id(row.category_id)
        .one(conn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("category".into()))?;
    let named = match row.staff_number.as_deref() {
        Some(number) => {
            staff_member::Entity::find()
                .filter(staff_member::Column::EmployeeNumber.eq(number))
                .filter(staff_member::Column::Active.eq(true))
                .one(conn)
                .await?
        }
        None => None,
    };
    let mut exclusions = match &named {
        Some(staff) => conflicted_users(conn, staff).await?,
        None => Vec::new(),
    };
    if let Some(typed) = row.staff_name.as_deref() {
        for (user, why) in name_conflicts(conn, typed).await? {
            if !exclusions.iter().any(|(u, _)| *u == user) {
                exclusions.push((user, why));
            }
        }
    }
    let excluded: Vec<i32> = exclusions.iter().map(|(id, _)| *id).collect();
    let router = load_router(conn).await?;
    let (team_id, reason) = choose_team(
        conn,
        &router,
        row.unit_id,
        &category,
        row.escalate_above,
        &excluded,
    )
    .await?;
    let calendar = load_calendar(conn).await?;
    let received = local_date(row.received_at);
    // No legal clock yet: a tip runs on the service targets, a candidate is verified by the
    // review date first (`domain::track`).
    let track = Track::at_intake(row.submission_kind == "named");
    let targets = track::tip_targets(&calendar, &config.deadlines, received);
    let result_due = (track == Track::Tip).then_some(targets.result_due);
    let reference = crate::domain::case_ref::reference(row.id, chrono::Datelike::year(&received));
    let case = case_file::ActiveModel {
        report_id: Set(row.id),
        team_id: Set(team_id),
        assignee_user_id: Set(None),
        status: Set(CaseStatus::Received.as_str().to_string()),
        unit_id: Set(row.unit_id),
        category_id: Set(row.category_id),
        received_at: Set(row.received_at),
        routing_reason: Set(reason.to_string()),
        second_level: Set(false),
        named_staff_member_id: Set(named.as_ref().map(|s| s.id)),
        accepted_on: Set(None),
        acceptance_due: Set(targets.review_due),
        track: Set(track.as_str().to_string()),
        notify_due: Set(None),
        resolution_due: Set(result_due),
        finding: Set(None),
        conclusion_summary: Set(None),
        closed_at: Set(None),
        staff_unread: Set(true),
        search_text: Set(search_text(row, &reference)),
        text_tokens: Set(text_tokens.to_string()),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    super::name_keys::record(
        conn,
        row.id,
        team_id,
        row.staff_name.as_deref(),
        row.staff_number.as_deref(),
    )
    .await?;
    for (user_id, why) in &exclusions {
        case_exclusion::ActiveModel {
            report_id: Set(row.id),
            user_id: Set(*user_id),
            reason: Set((*why).to_string()),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    crate::case_management::alerts::tell_team(conn, config, now, &case, "case-new").await?;
    audit::record(
        conn,
        now,
        Entry {
            actor: &Actor::System,
            action: "case_routed",
            object_type: "case",
            object_id: Some(row.id.to_string()),
            details: json!({
                "team_id": team_id,
                "reason": reason,
                "excluded_users": excluded,
            }),
        },
    )
    .await?;
    Ok(case)
}
