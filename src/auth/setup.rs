//! One-time setup links: the first admin (printed at a start without any admin) and a password
//! for an existing account. Only the newest link of a purpose and account works: issuing one
//! revokes the earlier unused ones. A link is used in the same transaction as what it creates,
//! by a conditional update, so two concurrent uses of one link create one account; a first-admin
//! link creates nobody once an admin exists. Used by `auth::routes` (`/staff/setup/<token>`),
//! `admin::users` and the command line through `auth::service`.

use chrono::{DateTime, Duration, Utc};
use rand::rngs::OsRng;
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, Set,
};
use serde_json::json;

use super::accounts::{insert_account, prepare_account, AccountError, NewAccount};
use super::password::check_new_password;
use super::session;
use super::sign_in::normalise_email;
use crate::domain::roles::Role;
use crate::platform::audit::{self, Actor, Entry};
use crate::platform::persistence::entities::{app_user, setup_token, user_role};
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

/// Purpose of the link that creates the first admin.
pub const SETUP_ADMIN: &str = "admin_setup";
/// Purpose of the link that sets an existing account's password.
pub const SETUP_PASSWORD: &str = "password_setup";

/// Issues a one-time link token valid for 24 hours and revokes the earlier unused links of the
/// same purpose and account; returns the token to put in the link.
pub async fn issue_setup_token(
    state: &AppState,
    purpose: &str,
    user_id: Option<i32>,
) -> AppResult<String> {
    let now = state.clock.now();
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let tx = state.db.begin_write().await?;
    let same_account = match user_id {
        Some(id) => setup_token::Column::UserId.eq(id),
        None => setup_token::Column::UserId.is_null(),
    };
    let revoked = setup_token::Entity::update_many()
        .col_expr(setup_token::Column::ExpiresAt, Expr::value(now))
        .filter(setup_token::Column::Purpose.eq(purpose))
        .filter(same_account)
        .filter(setup_token::Column::UsedAt.is_null())
        .filter(setup_token::Column::ExpiresAt.gt(now))
        .exec(&*tx)
        .await?
        .rows_affected;
    setup_token::ActiveModel {
        token_hash: Set(session::token_hash(&token)),
        purpose: Set(purpose.to_string()),
        user_id: Set(user_id),
        expires_at: Set(now + Duration::hours(24)),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &Actor::System,
            action: "setup_link_issued",
            object_type: "setup_token",
            object_id: user_id.map(|id| id.to_string()),
            details: json!({"purpose": purpose, "revoked_earlier": revoked}),
        },
    )
    .await?;
    Ok(token)
}

/// The unused, unexpired setup token for `token`. A first-admin link is dead as soon as any
/// admin exists.
pub async fn find_setup_token(
    state: &AppState,
    token: &str,
) -> AppResult<Option<setup_token::Model>> {
    let now = state.clock.now();
    let found = setup_token::Entity::find()
        .filter(setup_token::Column::TokenHash.eq(session::token_hash(token)))
        .one(state.db.conn())
        .await?
        .filter(|t| t.used_at.is_none() && t.expires_at > now);
    match found {
        Some(t) if t.purpose == SETUP_ADMIN && has_admin(state).await? => Ok(None),
        other => Ok(other),
    }
}

/// True when at least one active admin exists.
pub async fn has_admin(state: &AppState) -> AppResult<bool> {
    Ok(admin_other_than(state.db.conn(), None).await?)
}

/// True when an active admin other than `except` exists.
async fn admin_other_than<C: ConnectionTrait>(
    conn: &C,
    except: Option<i32>,
) -> Result<bool, DbErr> {
    let admins = user_role::Entity::find()
        .filter(user_role::Column::Role.eq(Role::Admin.as_str()))
        .all(conn)
        .await?;
    for row in admins.into_iter().filter(|row| Some(row.user_id) != except) {
        if app_user::Entity::find_by_id(row.user_id)
            .one(conn)
            .await?
            .is_some_and(|u| u.active)
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Marks the link used unless it is used or expired already; false when it was (another
/// request used it first: on PostgreSQL the second update waits for the first to commit).
async fn claim<C: ConnectionTrait>(
    conn: &C,
    token_id: i32,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let claimed = setup_token::Entity::update_many()
        .col_expr(setup_token::Column::UsedAt, Expr::value(now))
        .filter(setup_token::Column::Id.eq(token_id))
        .filter(setup_token::Column::UsedAt.is_null())
        .filter(setup_token::Column::ExpiresAt.gt(now))
        .exec(conn)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// What became of a setup form.
#[derive(Debug, PartialEq, Eq)]
pub enum SetupOutcome {
    Done,
    /// A field to correct and the catalogue key of the problem; the link stays usable.
    Invalid(&'static str, &'static str),
    /// The link was used (or revoked, or outlived by an admin) meanwhile.
    LinkGone,
}

/// Uses a setup token: the first admin (purpose `admin_setup`) or a password for an existing
/// account (`password_setup`), in one transaction with marking the token used.
pub async fn complete_setup(
    state: &AppState,
    token: &setup_token::Model,
    email: &str,
    display_name: &str,
    password: &str,
    confirm: &str,
) -> AppResult<SetupOutcome> {
    if password != confirm {
        return Ok(SetupOutcome::Invalid("password", "error-password-mismatch"));
    }
    match token.purpose.as_str() {
        SETUP_ADMIN => {
            let account = NewAccount {
                email: email.to_string(),
                display_name: display_name.to_string(),
                roles: vec![Role::Admin],
                password: Some(password.to_string()),
                must_change_password: false,
            };
            let outcome = first_admin(state, token, account).await;
            match outcome {
                Ok(outcome) => Ok(outcome),
                Err(AccountError::Invalid(field, key)) => Ok(SetupOutcome::Invalid(field, key)),
                Err(AccountError::Internal(e)) => Err(e),
            }
        }
        SETUP_PASSWORD => set_password(state, token, password).await,
        _ => Err(AppError::NotFound),
    }
}

/// Creates the first admin and uses the link, or nothing.
async fn first_admin(
    state: &AppState,
    token: &setup_token::Model,
    account: NewAccount,
) -> Result<SetupOutcome, AccountError> {
    let actor = Actor::Claimed(format!(
        "setup link for {}",
        normalise_email(&account.email)
    ));
    let prepared = prepare_account(state, account).await?;
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    if !claim(&*tx, token.id, now).await? {
        return Ok(SetupOutcome::LinkGone);
    }
    let user = insert_account(&*tx, &actor, prepared, now).await?;
    // Asked after the audit entry, which on PostgreSQL waits for any other writer's commit.
    if admin_other_than(&*tx, Some(user.id)).await? {
        return Ok(SetupOutcome::LinkGone);
    }
    tx.commit().await?;
    Ok(SetupOutcome::Done)
}

/// Sets an existing account's password and uses the link, or nothing.
async fn set_password(
    state: &AppState,
    token: &setup_token::Model,
    password: &str,
) -> AppResult<SetupOutcome> {
    let Some(user) = app_user::Entity::find_by_id(token.user_id.unwrap_or_default())
        .one(state.db.conn())
        .await?
    else {
        return Err(AppError::NotFound);
    };
    if let Err(key) = check_new_password(password, &user.email) {
        return Ok(SetupOutcome::Invalid("password", key));
    }
    let hash = state.hasher.hash(password.to_string()).await?;
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    if !claim(&*tx, token.id, now).await? {
        return Ok(SetupOutcome::LinkGone);
    }
    let mut active = user.clone().into_active_model();
    active.password_hash = Set(Some(hash));
    active.must_change_password = Set(false);
    active.updated_at = Set(now);
    active.update(&*tx).await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &Actor::User {
                id: user.id,
                email: user.email.clone(),
            },
            action: "password_set_by_link",
            object_type: "account",
            object_id: Some(user.id.to_string()),
            details: json!({}),
        },
    )
    .await?;
    Ok(SetupOutcome::Done)
}
