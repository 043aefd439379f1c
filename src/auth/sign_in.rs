//! Sign-in and sessions: the password step with per-account and per-address throttling, the
//! second factor (TOTP or a recovery code), sign-out and the user's own sessions. Also the
//! small account rules every step shares (which stage a session reaches next, recovery-code
//! hashing, the user's roles). Used by `auth::routes` (URL prefix `/staff`) and through
//! `auth::service`. Every change writes its audit entry in the same transaction; unknown
//! e-mails cost the same Argon2 work as wrong passwords.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use super::session::{self, Stage};
use super::totp;
use crate::domain::ids::SessionId;
use crate::domain::roles::Role;
use crate::platform::audit::{self, Actor, Entry};
use crate::platform::crypto::{self, totp_context};
use crate::platform::persistence::entities::{app_user, recovery_code, staff_session, user_role};
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
    } else if !user.totp_enabled && roles.iter().any(|r| two_factor_roles.contains(r)) {
        Stage::Enrol
    } else {
        Stage::Active
    }
}

/// What became of a sign-in attempt.
pub enum SignInOutcome {
    /// A session was created at this stage; set the cookie to the token.
    Started {
        token: String,
        stage: Stage,
    },
    Refused,
    SlowDown(i64),
    LockedOut(i64),
}

/// Checks e-mail and password with per-account and per-address throttling. Unknown e-mails
/// cost the same Argon2 work as wrong passwords.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: &str,
    client_key: &str,
) -> AppResult<SignInOutcome> {
    let now = state.clock.now();
    let email = normalise_email(email);
    let account_key = format!("account:{email}");
    let address_key = format!("address:{client_key}");
    for key in [&account_key, &address_key] {
        let limiter = if key.starts_with("account:") {
            &state.sign_in_account_limiter
        } else {
            &state.sign_in_address_limiter
        };
        let verdict = limiter.check(key, now);
        if verdict != Verdict::Allowed {
            let tx = state.db.begin_write().await?;
            audit::record(
                &*tx,
                now,
                Entry {
                    actor: &Actor::Claimed(email.clone()),
                    action: "sign_in_throttled",
                    object_type: "account",
                    object_id: None,
                    details: json!({"by": if key.starts_with("account:") { "account" } else { "address" }}),
                },
            )
            .await?;
            tx.commit().await?;
            return Ok(match verdict {
                Verdict::Wait(seconds) => SignInOutcome::SlowDown(seconds),
                Verdict::Locked(minutes) => SignInOutcome::LockedOut(minutes),
                Verdict::Allowed => SignInOutcome::Refused,
            });
        }
    }

    let user = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.as_str()))
        .one(state.db.conn())
        .await?;
    let verified = match user.as_ref().and_then(|u| u.password_hash.clone()) {
        Some(hash) if user.as_ref().is_some_and(|u| u.active) => {
            state.hasher.verify(password.to_string(), hash).await?
        }
        _ => {
            state.hasher.verify_dummy(password.to_string()).await?;
            false
        }
    };

    let tx = state.db.begin_write().await?;
    let outcome = match (verified, user) {
        (true, Some(user)) => {
            state.sign_in_account_limiter.record_success(&account_key);
            state.sign_in_address_limiter.record_success(&address_key);
            let roles = roles_of(&*tx, user.id).await?;
            let stage = next_stage(&user, &roles, &state.config.two_factor_roles, false);
            let token = session::create(&*tx, &state.config, user.id, stage, now).await?;
            if stage == Stage::Active {
                mark_signed_in(&*tx, &user, now).await?;
            }
            audit::record(
                &*tx,
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
            SignInOutcome::Started { token, stage }
        }
        _ => {
            state
                .sign_in_account_limiter
                .record_failure(&account_key, now);
            state
                .sign_in_address_limiter
                .record_failure(&address_key, now);
            audit::record(
                &*tx,
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
            SignInOutcome::Refused
        }
    };
    tx.commit().await?;
    Ok(outcome)
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

/// Completes the second factor with a TOTP code or an unused recovery code. Returns the new
/// token and stage, or `None` for a wrong code (counted like a wrong password).
pub async fn complete_second_factor(
    state: &AppState,
    signed_in: &super::SignedIn,
    code: &str,
    client_key: &str,
) -> AppResult<Result<(String, Stage), SignInOutcome>> {
    let now = state.clock.now();
    let account_key = format!("account:{}", signed_in.user.email);
    match state.sign_in_account_limiter.check(&account_key, now) {
        Verdict::Allowed => {}
        Verdict::Wait(s) => return Ok(Err(SignInOutcome::SlowDown(s))),
        Verdict::Locked(m) => return Ok(Err(SignInOutcome::LockedOut(m))),
    }
    let tx = state.db.begin_write().await?;
    let user = app_user::Entity::find_by_id(signed_in.user.id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let actor = Actor::User {
        id: user.id,
        email: user.email.clone(),
    };
    let secret = user.totp_secret.as_ref().and_then(|sealed| {
        state
            .config
            .open_with_master(&totp_context(user.id), sealed)
            .ok()
    });
    let unix = u64::try_from(now.timestamp()).unwrap_or_default();
    let mut method = "totp";
    let accepted = match secret
        .as_deref()
        .and_then(|s| totp::verify(s, code, unix, user.totp_last_step))
    {
        Some(step) => {
            let mut active = user.clone().into_active_model();
            active.totp_last_step = Set(Some(step));
            active.update(&*tx).await?;
            true
        }
        None => {
            method = "recovery_code";
            let found = recovery_code::Entity::find()
                .filter(recovery_code::Column::UserId.eq(user.id))
                .filter(recovery_code::Column::CodeHash.eq(recovery_hash(state, code)))
                .filter(recovery_code::Column::UsedAt.is_null())
                .one(&*tx)
                .await?;
            match found {
                Some(row) => {
                    let mut active = row.into_active_model();
                    active.used_at = Set(Some(now));
                    active.update(&*tx).await?;
                    true
                }
                None => false,
            }
        }
    };
    if !accepted {
        state
            .sign_in_account_limiter
            .record_failure(&account_key, now);
        state
            .sign_in_address_limiter
            .record_failure(&format!("address:{client_key}"), now);
        audit::record(
            &*tx,
            now,
            Entry {
                actor: &actor,
                action: "sign_in_failure",
                object_type: "account",
                object_id: Some(user.id.to_string()),
                details: json!({"step": "second_factor"}),
            },
        )
        .await?;
        tx.commit().await?;
        return Ok(Err(SignInOutcome::Refused));
    }
    state.sign_in_account_limiter.record_success(&account_key);
    let stage = next_stage(
        &user,
        &signed_in.roles,
        &state.config.two_factor_roles,
        true,
    );
    let token = session::advance(&*tx, signed_in.session.clone(), stage, now).await?;
    if stage == Stage::Active {
        mark_signed_in(&*tx, &user, now).await?;
    }
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &actor,
            action: if stage == Stage::Active {
                "sign_in_success"
            } else {
                "sign_in_second_factor_ok"
            },
            object_type: "account",
            object_id: Some(user.id.to_string()),
            details: json!({"method": method, "next": stage.as_str()}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Ok((token, stage)))
}

/// Ends the current session.
pub async fn sign_out(state: &AppState, signed_in: &super::SignedIn) -> AppResult<()> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    staff_session::Entity::delete_by_id(signed_in.session.id)
        .exec(&*tx)
        .await?;
    audit::record(
        &*tx,
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
    tx.commit().await?;
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
    audit::record(
        &*tx,
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
    tx.commit().await?;
    Ok(())
}
