//! Sign-in and sessions: the password step (throttled as `auth::limits` says), sign-out and the
//! user's own sessions. Also the small account rules every step shares (which stage a session
//! reaches next, recovery-code hashing, the user's roles). The second factor lives in
//! `auth::second_factor`. Used by `auth::routes` (URL prefix `/staff`) and through
//! `auth::service`. Every change writes its audit entry in the same transaction; unknown
//! e-mails cost the same Argon2 work as wrong passwords.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use super::device::Browser;
use super::limits::{self, Guesser, Refused, Step};
use super::session::{self, Stage};
use crate::domain::ids::SessionId;
use crate::domain::roles::Role;
use crate::platform::audit::{self, Actor, Entry};
use crate::platform::crypto;
use crate::platform::persistence::entities::{app_user, staff_session, user_role};
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;
use crate::web::throttle::Verdict;

/// Normalises an e-mail address for storage and lookup.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The user's roles, sorted.
pub async fn roles_of<C: ConnectionTrait>(conn: &C, user_id: i32) -> Result<Vec<Role>, DbErr> {
    let mut roles: Vec<Role> = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user_id))
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|row| row.role.parse().ok())
        .collect();
    roles.sort();
    Ok(roles)
}

/// True when the user holds a role that requires two-factor sign-in and has not set it up. The
/// guards ask this on every request, so a role given after sign-in takes effect at once.
pub fn must_enrol(user: &app_user::Model, roles: &[Role], two_factor_roles: &[Role]) -> bool {
    !user.totp_enabled && roles.iter().any(|r| two_factor_roles.contains(r))
}

/// The stage a session reaches after the steps done so far.
pub fn next_stage(
    user: &app_user::Model,
    roles: &[Role],
    two_factor_roles: &[Role],
    second_factor_done: bool,
) -> Stage {
    if user.totp_enabled && !second_factor_done {
        Stage::SecondFactor
    } else if user.must_change_password {
        Stage::ChangePassword
    } else if must_enrol(user, roles, two_factor_roles) {
        Stage::Enrol
    } else {
        Stage::Active
    }
}

/// A session that moved on: the cookie's new token, the stage reached and whose it is.
#[derive(Debug, Clone)]
pub struct Continued {
    pub token: String,
    pub stage: Stage,
    pub user_id: i32,
}

/// What became of a sign-in attempt.
pub enum SignInOutcome {
    /// A session was created; set the cookie to its token.
    Started(Continued),
    Refused,
    SlowDown(i64),
    LockedOut(i64),
}

/// Checks e-mail and password, the guess reserved first against the counters of
/// `auth::limits` (the account's or, from a known browser, the device's, and the address's).
/// Unknown e-mails cost the same Argon2 work as wrong passwords.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: &str,
    browser: &Browser,
) -> AppResult<SignInOutcome> {
    let now = state.clock.now();
    let email = normalise_email(email);
    let user = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.as_str()))
        .one(state.db.conn())
        .await?;
    let guesser = Guesser {
        account: format!("email:{email}"),
        device: user.as_ref().and_then(|u| browser.devices.device_of(u.id)),
        address: Some(&browser.address),
    };
    let held = match limits::hold(state, Step::Password, &guesser, now).await {
        Ok(held) => held,
        Err(refused) => {
            let actor = Actor::Claimed(email.clone());
            return throttled(state, &actor, None, Step::Password, refused).await;
        }
    };
    let verified = match user.as_ref().and_then(|u| u.password_hash.clone()) {
        Some(hash) if user.as_ref().is_some_and(|u| u.active) => {
            state.hasher.verify(password.to_string(), hash).await?
        }
        _ => {
            state.hasher.verify_dummy(password.to_string()).await?;
            false
        }
    };
    match (verified, user) {
        (true, Some(user)) => {
            held.succeeded().await;
            password_accepted(state, user, now).await
        }
        _ => {
            held.failed();
            let tx = state.db.begin_write().await?;
            audit::record_and_commit(
                tx,
                now,
                Entry {
                    actor: &Actor::Claimed(email.clone()),
                    action: "sign_in_failure",
                    object_type: "account",
                    object_id: None,
                    details: json!({"step": "password"}),
                },
            )
            .await?;
            Ok(SignInOutcome::Refused)
        }
    }
}

/// Starts the session of a user whose password was right, at the stage it reaches.
async fn password_accepted(
    state: &AppState,
    user: app_user::Model,
    now: DateTime<Utc>,
) -> AppResult<SignInOutcome> {
    let tx = state.db.begin_write().await?;
    let roles = roles_of(&*tx, user.id).await?;
    let stage = next_stage(&user, &roles, &state.config.two_factor_roles, false);
    let token = session::create(&*tx, &state.config, user.id, stage, now).await?;
    if stage == Stage::Active {
        mark_signed_in(&*tx, &user, now).await?;
    }
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &Actor::User {
                id: user.id,
                email: user.email.clone(),
            },
            action: if stage == Stage::Active {
                "sign_in_success"
            } else {
                "sign_in_password_ok"
            },
            object_type: "account",
            object_id: Some(user.id.to_string()),
            details: json!({"next": stage.as_str()}),
        },
    )
    .await?;
    Ok(SignInOutcome::Started(Continued {
        token,
        stage,
        user_id: user.id,
    }))
}

/// The answer to a guess refused before its check. Only the first refusal since the counter
/// last allowed a guess is audited: a flood of refused requests writes nothing.
pub(super) async fn throttled(
    state: &AppState,
    actor: &Actor,
    user_id: Option<i32>,
    step: Step,
    refused: Refused,
) -> AppResult<SignInOutcome> {
    if refused.first {
        let tx = state.db.begin_write().await?;
        audit::record_and_commit(
            tx,
            state.clock.now(),
            Entry {
                actor,
                action: "sign_in_throttled",
                object_type: "account",
                object_id: user_id.map(|id| id.to_string()),
                details: json!({"by": refused.by, "step": step.as_str()}),
            },
        )
        .await?;
    }
    Ok(match refused.verdict {
        Verdict::Wait(seconds) => SignInOutcome::SlowDown(seconds),
        Verdict::Locked(minutes) => SignInOutcome::LockedOut(minutes),
        Verdict::Allowed => SignInOutcome::Refused,
    })
}

/// Notes the time of a completed sign-in.
pub(super) async fn mark_signed_in<C: ConnectionTrait>(
    conn: &C,
    user: &app_user::Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut active = user.clone().into_active_model();
    active.last_sign_in_at = Set(Some(now));
    active.update(conn).await?;
    Ok(())
}
/// The stored hash of a recovery code, whatever its case and separators.
pub(super) fn recovery_hash(state: &AppState, code: &str) -> String {
    let canonical: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    crypto::lookup_hash(&state.config.receipt_key, "recovery-code-v1", &canonical)
}

/// Ends the current session.
pub async fn sign_out(state: &AppState, signed_in: &super::SignedIn) -> AppResult<()> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    staff_session::Entity::delete_by_id(signed_in.session.id)
        .exec(&*tx)
        .await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &Actor::User {
                id: signed_in.user.id,
                email: signed_in.user.email.clone(),
            },
            action: "sign_out",
            object_type: "account",
            object_id: Some(signed_in.user.id.to_string()),
            details: json!({}),
        },
    )
    .await?;
    Ok(())
}

/// The user's sessions, most recently used first.
pub async fn sessions_of(state: &AppState, user_id: i32) -> AppResult<Vec<staff_session::Model>> {
    Ok(staff_session::Entity::find()
        .filter(staff_session::Column::UserId.eq(user_id))
        .order_by_desc(staff_session::Column::LastSeenAt)
        .all(state.db.conn())
        .await?)
}

/// Revokes one of the user's own sessions; another user's session answers `NotFound`.
pub async fn revoke_own_session(
    state: &AppState,
    user: &super::StaffUser,
    session_id: SessionId,
) -> AppResult<()> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let deleted = staff_session::Entity::delete_many()
        .filter(staff_session::Column::Id.eq(session_id.0))
        .filter(staff_session::Column::UserId.eq(user.id))
        .exec(&*tx)
        .await?
        .rows_affected;
    if deleted == 0 {
        return Err(AppError::NotFound);
    }
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "session_revoked",
            object_type: "session",
            object_id: Some(session_id.to_string()),
            details: json!({}),
        },
    )
    .await?;
    Ok(())
}
