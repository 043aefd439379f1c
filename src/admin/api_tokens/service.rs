//! Issuing and revoking integration tokens (`auth::api_token`), each audited in its own
//! transaction. The token is returned once to be shown; the row keeps only its hash.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use serde_json::json;

use crate::auth::api_token::{new_token, Scope};
use crate::auth::StaffUser;
use crate::domain::report::{clean_text, FieldErrors};
use crate::platform::audit::{self, Actor, Entry};
use crate::platform::persistence::entities::{api_scope_request, api_token, inspection_team};
use crate::web::error::{AppError, AppResult};
use crate::web::format::local_time;
use crate::web::state::AppState;

pub const NAME_MAX: usize = 80;
pub const DAYS_MAX: i64 = 366;

/// The issue form as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TokenInput {
    pub name: String,
    pub scopes: Vec<String>,
    pub team_id: String,
    pub days: String,
}

/// A token to issue, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    pub name: String,
    pub scopes: Vec<Scope>,
    pub team_id: Option<i32>,
    pub days: i64,
}

impl TokenInput {
    /// Checks the fields; whether the team exists is checked against the database.
    pub fn validate(&self) -> Result<NewToken, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = clean_text(&self.name);
        if name.is_empty() {
            errors.insert("name", "error-api-token-name-required");
        } else if name.chars().count() > NAME_MAX {
            errors.insert("name", "error-api-token-name-long");
        }
        let scopes = Scope::parse_list(&self.scopes.join(",")).unwrap_or_default();
        if scopes.is_empty() {
            errors.insert("scopes", "error-api-token-scopes");
        }
        let team_id = self.team_id.trim().parse::<i32>().ok().filter(|id| *id > 0);
        if scopes.contains(&Scope::CasesRead) && team_id.is_none() {
            errors.insert("team_id", "error-api-token-team");
        }
        if scopes.contains(&Scope::CasesText) && !scopes.contains(&Scope::CasesRead) {
            errors.insert("scopes", "error-api-token-text-needs-cases");
        }
        let days = self.days.trim().parse::<i64>().ok();
        if !days.is_some_and(|d| (1..=DAYS_MAX).contains(&d)) {
            errors.insert("days", "error-api-token-days");
        }
        match days {
            Some(days) if errors.is_empty() => Ok(NewToken {
                name,
                team_id: team_id.filter(|_| scopes.contains(&Scope::CasesRead)),
                scopes,
                days,
            }),
            _ => Err(errors),
        }
    }
}

/// Stores a new token and audits it; returns the token, to be shown once. `user` is the admin
/// who issued it, none on the command line (`conduct-portal api-token issue`). A scope a
/// custodian must approve (`Scope::needs_custodian`) is not given to the token: it is asked
/// for, pending on `/custodian` (`case_management::api_scopes`).
pub async fn issue(
    state: &AppState,
    user: Option<&StaffUser>,
    new: &NewToken,
) -> AppResult<Result<Issued, FieldErrors>> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    if let Some(team) = new.team_id {
        if inspection_team::Entity::find_by_id(team)
            .one(&*tx)
            .await?
            .is_none()
        {
            return Ok(Err(FieldErrors::from([(
                "team_id",
                "error-api-token-team",
            )])));
        }
    }
    let (token, hash) = new_token();
    let (asked, granted): (Vec<Scope>, Vec<Scope>) =
        new.scopes.iter().partition(|s| s.needs_custodian());
    let scopes: Vec<&str> = granted.iter().map(|s| s.as_str()).collect();
    let asked: Vec<&str> = asked.iter().map(|s| s.as_str()).collect();
    let row = api_token::ActiveModel {
        name: Set(new.name.clone()),
        token_hash: Set(hash),
        scopes: Set(scopes.join(",")),
        team_id: Set(new.team_id),
        created_by: Set(user.map(|u| u.id)),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(new.days)),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    let mut requests = Vec::new();
    for scope in &asked {
        let request = api_scope_request::ActiveModel {
            token_id: Set(row.id),
            scope: Set(scope.to_string()),
            requested_by: Set(user.map(|u| u.id)),
            created_at: Set(now),
            status: Set("pending".into()),
            ..Default::default()
        }
        .insert(&*tx)
        .await?;
        requests.push((scope.to_string(), request.id));
    }
    let actor = user.map_or(Actor::System, StaffUser::actor);
    let entry = Entry {
        actor: &actor,
        action: "api_token_issued",
        object_type: "api_token",
        object_id: Some(row.id.to_string()),
        details: json!({"name": new.name, "scopes": scopes, "team_id": new.team_id,
            "asked_of_custodian": asked, "expires_at": row.expires_at.to_rfc3339()}),
    };
    audit::record_and_commit(tx, now, entry).await?;
    Ok(Ok(Issued { token, requests }))
}

/// A token just issued, and the scopes asked of a custodian (with the request's id).
pub struct Issued {
    pub token: String,
    pub requests: Vec<(String, i32)>,
}

/// Revokes a token (once) and audits it.
pub async fn revoke(state: &AppState, user: &StaffUser, id: i32) -> AppResult<()> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let row = api_token::Entity::find_by_id(id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.revoked_at.is_some() {
        return Ok(());
    }
    let name = row.name.clone();
    let mut active = row.into_active_model();
    active.revoked_at = Set(Some(now));
    active.revoked_by = Set(Some(user.id));
    active.update(&*tx).await?;
    let entry = Entry {
        actor: &user.actor(),
        action: "api_token_revoked",
        object_type: "api_token",
        object_id: Some(id.to_string()),
        details: json!({"name": name}),
    };
    audit::record_and_commit(tx, now, entry).await?;
    Ok(())
}

/// A token as the list shows it (never the token itself).
#[derive(Debug, Serialize)]
pub struct TokenRow {
    pub id: i32,
    pub name: String,
    pub scopes: String,
    /// Scopes asked of a custodian and not decided yet.
    pub pending: String,
    pub team: Option<String>,
    pub created_at: String,
    pub expires_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
    pub expired: bool,
}

pub async fn list(state: &AppState) -> AppResult<Vec<TokenRow>> {
    let now = state.clock.now();
    let teams = inspection_team::Entity::find().all(state.db.conn()).await?;
    let rows = api_token::Entity::find()
        .order_by_desc(api_token::Column::Id)
        .all(state.db.conn())
        .await?;
    let pending = pending_requests(state).await?;
    Ok(rows
        .into_iter()
        .map(|row| TokenRow::of(row, &teams, &pending, now))
        .collect())
}

async fn pending_requests(state: &AppState) -> AppResult<Vec<api_scope_request::Model>> {
    Ok(api_scope_request::Entity::find()
        .filter(api_scope_request::Column::Status.eq("pending"))
        .all(state.db.conn())
        .await?)
}

impl TokenRow {
    fn of(
        row: api_token::Model,
        teams: &[inspection_team::Model],
        pending: &[api_scope_request::Model],
        now: DateTime<Utc>,
    ) -> Self {
        let asked: Vec<&str> = pending
            .iter()
            .filter(|r| r.token_id == row.id)
            .map(|r| r.scope.as_str())
            .collect();
        Self {
            id: row.id,
            pending: asked.join(", "),
            team: row
                .team_id
                .and_then(|id| teams.iter().find(|t| t.id == id))
                .map(|t| t.name.clone()),
            name: row.name,
            scopes: row.scopes.replace(',', ", "),
            created_at: local_time(row.created_at),
            expires_at: local_time(row.expires_at),
            last_used_at: row.last_used_at.map(local_time),
            revoked_at: row.revoked_at.map(local_time),
            expired: row.expires_at <= now,
        }
    }
}

/// One token, for the revocation's confirmation.
pub async fn find(state: &AppState, id: i32) -> AppResult<TokenRow> {
    let now = state.clock.now();
    let teams = inspection_team::Entity::find().all(state.db.conn()).await?;
    let row = api_token::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    let pending = pending_requests(state).await?;
    Ok(TokenRow::of(row, &teams, &pending, now))
}

/// The active teams, for the form's select.
pub async fn teams(state: &AppState) -> AppResult<Vec<(i32, String)>> {
    Ok(inspection_team::Entity::find()
        .order_by_asc(inspection_team::Column::Name)
        .all(state.db.conn())
        .await?
        .into_iter()
        .filter(|t| t.active)
        .map(|t| (t.id, t.name))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(scopes: &[&str], team: &str, days: &str) -> TokenInput {
        TokenInput {
            name: "CRM tổng đài".into(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            team_id: team.into(),
            days: days.into(),
        }
    }

    #[test]
    fn a_cases_token_names_a_team_and_every_token_a_scope_and_a_lifetime() {
        let ok = input(&["cases:read"], "3", "90").validate().unwrap();
        assert_eq!(ok.team_id, Some(3));
        let analytics = input(&["analytics:read"], "3", "30").validate().unwrap();
        assert_eq!(analytics.team_id, None, "a team only with cases:read");
        let errors = input(&["cases:read"], "", "0").validate().unwrap_err();
        assert_eq!(errors.get("team_id"), Some(&"error-api-token-team"));
        assert_eq!(errors.get("days"), Some(&"error-api-token-days"));
        let errors = input(&["cases:text"], "", "30").validate().unwrap_err();
        assert_eq!(
            errors.get("scopes"),
            Some(&"error-api-token-text-needs-cases")
        );
        let errors = input(&["cases:write"], "", "30").validate().unwrap_err();
        assert_eq!(errors.get("scopes"), Some(&"error-api-token-scopes"));
    }
}
