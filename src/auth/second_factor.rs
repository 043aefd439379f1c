//! The second sign-in step: a TOTP code or an unused recovery code, after the password. Guesses
//! are held against the account's (or the known device's) second-factor counter and the
//! address counter (`auth::limits`); a right password never clears them. A code is claimed by
//! a conditional update, so two concurrent requests cannot both use the same TOTP step or
//! recovery code (on PostgreSQL nothing else serialises them). Used by `auth::routes` through
//! `auth::service`.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde_json::json;

use super::device::Browser;
use super::limits::{self, Guesser, Step};
use super::session::{self, Stage};
use super::sign_in::{
    mark_signed_in, next_stage, recovery_hash, throttled, Continued, SignInOutcome,
};
use super::totp;
use crate::platform::audit::{self, Actor, Entry};
use crate::platform::crypto::totp_context;
use crate::platform::persistence::entities::{app_user, recovery_code};
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

/// Records `step` as the user's last used TOTP step unless it (or a later one) is already
/// used; false when another request claimed it first.
pub async fn claim_totp_step<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    step: i64,
) -> Result<bool, DbErr> {
    let claimed = app_user::Entity::update_many()
        .col_expr(app_user::Column::TotpLastStep, Expr::value(step))
        .filter(app_user::Column::Id.eq(user_id))
        .filter(
            Condition::any()
                .add(app_user::Column::TotpLastStep.is_null())
                .add(app_user::Column::TotpLastStep.lt(step)),
        )
        .exec(conn)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// Marks a recovery code used unless it already is; false when another request used it first.
pub async fn claim_recovery_code<C: ConnectionTrait>(
    conn: &C,
    code_id: i32,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let claimed = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(now))
        .filter(recovery_code::Column::Id.eq(code_id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// Checks `code` as the user's TOTP code, then as one of their recovery codes, and claims it
/// inside `conn`'s transaction. The method that matched, or `None`.
async fn accept_code<C: ConnectionTrait>(
    conn: &C,
    state: &AppState,
    user: &app_user::Model,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Option<&'static str>, DbErr> {
    let secret = user.totp_secret.as_ref().and_then(|sealed| {
        state
            .config
            .open_with_master(&totp_context(user.id), sealed)
            .ok()
    });
    let unix = u64::try_from(now.timestamp()).unwrap_or_default();
    if let Some(step) = secret
        .as_deref()
        .and_then(|s| totp::verify(s, code, unix, user.totp_last_step))
    {
        return Ok(claim_totp_step(conn, user.id, step)
            .await?
            .then_some("totp"));
    }
    let found = recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(user.id))
        .filter(recovery_code::Column::CodeHash.eq(recovery_hash(state, code)))
        .filter(recovery_code::Column::UsedAt.is_null())
        .one(conn)
        .await?;
    match found {
        Some(row) => Ok(claim_recovery_code(conn, row.id, now)
            .await?
            .then_some("recovery_code")),
        None => Ok(None),
    }
}

/// Completes the second factor with a TOTP code or an unused recovery code. Returns the new
/// token and stage, or why not (a wrong or replayed code counts like a wrong password).
pub async fn complete_second_factor(
    state: &AppState,
    signed_in: &super::SignedIn,
    code: &str,
    browser: &Browser,
) -> AppResult<Result<Continued, SignInOutcome>> {
    let now = state.clock.now();
    let actor = Actor::User {
        id: signed_in.user.id,
        email: signed_in.user.email.clone(),
    };
    let guesser = Guesser {
        account: format!("user:{}", signed_in.user.id),
        device: browser.devices.device_of(signed_in.user.id),
        address: Some(&browser.address),
    };
    let held = match limits::hold(state, Step::SecondFactor, &guesser, now).await {
        Ok(held) => held,
        Err(refused) => {
            let user_id = Some(signed_in.user.id);
            let outcome = throttled(state, &actor, user_id, Step::SecondFactor, refused).await?;
            return Ok(Err(outcome));
        }
    };
    let tx = state.db.begin_write().await?;
    let user = app_user::Entity::find_by_id(signed_in.user.id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(method) = accept_code(&*tx, state, &user, code, now).await? else {
        held.failed();
        audit::record_and_commit(
            tx,
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
        return Ok(Err(SignInOutcome::Refused));
    };
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
    audit::record_and_commit(
        tx,
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
    held.succeeded().await;
    Ok(Ok(Continued {
        token,
        stage,
        user_id: user.id,
    }))
}
