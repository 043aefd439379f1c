//! Accounts and their credentials: accounts created by an admin or on the command line,
//! password change (the current-password check limited per account, `auth::limits`), TOTP
//! enrolment and the recovery codes it hands out. One-time setup links live in `auth::setup`.
//! Used by `auth::routes` (URL prefix `/staff`), `admin::users`, the command line and devtools
//! through `auth::service`. Every change writes its audit entry in the same transaction.

use chrono::{DateTime, Utc};
use rand::rngs::OsRng;
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, Set,
};
use serde_json::json;

use super::limits::{self, Guesser, Step};
use super::password::check_new_password;
use super::session::{self, Stage};
use super::sign_in::{
    mark_signed_in, next_stage, normalise_email, recovery_hash, throttled, Continued, SignInOutcome,
};
use super::totp;
use crate::domain::roles::Role;
use crate::platform::audit::{self, Actor, Entry};
use crate::platform::crypto::{self, totp_context};
use crate::platform::persistence::entities::{app_user, recovery_code, staff_session, user_role};
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

/// A plausible e-mail address: one `@`, something either side, a dot in the domain.
pub fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email.matches('@').count() == 1
}

/// Changes the signed-in user's password. Returns the catalogue key of the problem, if any.
pub async fn change_password(
    state: &AppState,
    signed_in: &super::SignedIn,
    current: &str,
    new: &str,
    confirm: &str,
) -> AppResult<Result<Continued, &'static str>> {
    if new != confirm {
        return Ok(Err("error-password-mismatch"));
    }
    if let Err(key) = check_new_password(new, &signed_in.user.email) {
        return Ok(Err(key));
    }
    let Some(hash) = signed_in.user.password_hash.clone() else {
        return Ok(Err("error-password-current"));
    };
    let now = state.clock.now();
    // Guesses at the current password are limited per account like sign-in guesses.
    let guesser = Guesser {
        account: format!("user:{}", signed_in.user.id),
        device: None,
        address: None,
    };
    let held = match limits::hold(state, Step::PasswordChange, &guesser, now).await {
        Ok(held) => held,
        Err(refused) => {
            let actor = Actor::User {
                id: signed_in.user.id,
                email: signed_in.user.email.clone(),
            };
            let user_id = Some(signed_in.user.id);
            let outcome = throttled(state, &actor, user_id, Step::PasswordChange, refused).await?;
            return Err(match outcome {
                SignInOutcome::SlowDown(seconds) => AppError::SlowDown(seconds),
                SignInOutcome::LockedOut(minutes) => AppError::LockedOut(minutes),
                _ => AppError::Forbidden,
            });
        }
    };
    if !state.hasher.verify(current.to_string(), hash).await? {
        held.failed();
        return Ok(Err("error-password-current"));
    }
    held.succeeded().await;
    if current == new {
        return Ok(Err("error-password-same"));
    }
    let new_hash = state.hasher.hash(new.to_string()).await?;
    let tx = state.db.begin_write().await?;
    let mut user = signed_in.user.clone().into_active_model();
    user.password_hash = Set(Some(new_hash));
    user.must_change_password = Set(false);
    user.updated_at = Set(now);
    let user = user.update(&*tx).await?;
    // Other sessions of this user end; this one continues under a new token.
    staff_session::Entity::delete_many()
        .filter(staff_session::Column::UserId.eq(user.id))
        .filter(staff_session::Column::Id.ne(signed_in.session.id))
        .exec(&*tx)
        .await?;
    let second_factor_done = signed_in.stage != Stage::SecondFactor;
    let stage = next_stage(
        &user,
        &signed_in.roles,
        &state.config.two_factor_roles,
        second_factor_done,
    );
    let token = session::advance(&*tx, signed_in.session.clone(), stage, now).await?;
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &Actor::User {
                id: user.id,
                email: user.email.clone(),
            },
            action: "password_changed",
            object_type: "account",
            object_id: Some(user.id.to_string()),
            details: json!({}),
        },
    )
    .await?;
    if stage == Stage::Active && signed_in.stage != Stage::Active {
        mark_signed_in(&*tx, &user, now).await?;
    }
    tx.commit().await?;
    Ok(Ok(Continued {
        token,
        stage,
        user_id: user.id,
    }))
}

/// The pending (not yet confirmed) secret of a user starting enrolment, created on first view.
pub async fn pending_totp_secret(state: &AppState, user: &app_user::Model) -> AppResult<Vec<u8>> {
    if !user.totp_enabled {
        if let Some(secret) = user.totp_secret.as_ref().and_then(|sealed| {
            state
                .config
                .open_with_master(&totp_context(user.id), sealed)
                .ok()
        }) {
            return Ok(secret);
        }
    }
    let secret = totp::generate_secret();
    let tx = state.db.begin_write().await?;
    let fresh = app_user::Entity::find_by_id(user.id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut active = fresh.into_active_model();
    if !user.totp_enabled {
        active.totp_secret = Set(Some(crypto::seal(
            &state.config.master_key,
            &totp_context(user.id),
            &secret,
        )));
        active.update(&*tx).await?;
        tx.commit().await?;
        Ok(secret)
    } else {
        Ok(secret)
    }
}

/// Confirms enrolment with a code from the new secret; returns fresh recovery codes to show
/// once and the session moved on.
pub async fn confirm_enrolment(
    state: &AppState,
    signed_in: &super::SignedIn,
    code: &str,
) -> AppResult<Result<(Vec<String>, Continued), &'static str>> {
    let now = state.clock.now();
    let user = &signed_in.user;
    let Some(secret) = user.totp_secret.as_ref().and_then(|sealed| {
        state
            .config
            .open_with_master(&totp_context(user.id), sealed)
            .ok()
    }) else {
        return Ok(Err("error-totp-code"));
    };
    let unix = u64::try_from(now.timestamp()).unwrap_or_default();
    let Some(step) = totp::verify(&secret, code, unix, None) else {
        return Ok(Err("error-totp-code"));
    };
    let tx = state.db.begin_write().await?;
    let mut active = user.clone().into_active_model();
    active.totp_enabled = Set(true);
    active.totp_last_step = Set(Some(step));
    active.updated_at = Set(now);
    let updated = active.update(&*tx).await?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user.id))
        .exec(&*tx)
        .await?;
    let mut codes = Vec::new();
    for _ in 0..10 {
        let mut bytes = [0u8; 8];
        OsRng.fill_bytes(&mut bytes);
        let text = base32::encode(base32::Alphabet::Crockford, &bytes)[..10].to_string();
        let code = format!("{}-{}", &text[..5], &text[5..]);
        recovery_code::ActiveModel {
            user_id: Set(user.id),
            code_hash: Set(recovery_hash(state, &code)),
            used_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&*tx)
        .await?;
        codes.push(code);
    }
    let stage = next_stage(
        &updated,
        &signed_in.roles,
        &state.config.two_factor_roles,
        true,
    );
    let token = session::advance(&*tx, signed_in.session.clone(), stage, now).await?;
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &Actor::User {
                id: user.id,
                email: user.email.clone(),
            },
            action: "two_factor_enrolled",
            object_type: "account",
            object_id: Some(user.id.to_string()),
            details: json!({}),
        },
    )
    .await?;
    if stage == Stage::Active && signed_in.stage != Stage::Active {
        mark_signed_in(&*tx, &updated, now).await?;
    }
    tx.commit().await?;
    let next = Continued {
        token,
        stage,
        user_id: user.id,
    };
    Ok(Ok((codes, next)))
}

/// A random temporary password an admin hands over; it must be changed at first sign-in.
pub fn temporary_password() -> String {
    let mut bytes = [0u8; 12];
    OsRng.fill_bytes(&mut bytes);
    let text = base32::encode(base32::Alphabet::Crockford, &bytes);
    text.as_bytes()
        .chunks(4)
        .take(5)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// What a new account needs.
pub struct NewAccount {
    pub email: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub password: Option<String>,
    pub must_change_password: bool,
}

/// Why an account could not be created.
#[derive(Debug)]
pub enum AccountError {
    Invalid(&'static str, &'static str),
    Internal(AppError),
}

impl From<DbErr> for AccountError {
    fn from(e: DbErr) -> Self {
        AccountError::Internal(e.into())
    }
}

impl From<crate::platform::crypto::HashError> for AccountError {
    fn from(e: crate::platform::crypto::HashError) -> Self {
        AccountError::Internal(e.into())
    }
}

/// An account checked and its password hashed, ready to insert.
pub(super) struct PreparedAccount {
    email: String,
    display_name: String,
    roles: Vec<Role>,
    password_hash: Option<String>,
    must_change_password: bool,
}

/// Checks a new account and hashes its password (slow: before any write transaction).
pub(super) async fn prepare_account(
    state: &AppState,
    account: NewAccount,
) -> Result<PreparedAccount, AccountError> {
    let email = normalise_email(&account.email);
    if !valid_email(&email) {
        return Err(AccountError::Invalid("email", "error-email-invalid"));
    }
    let display_name = crate::domain::report::clean_text(&account.display_name);
    if display_name.is_empty() || display_name.chars().count() > 200 {
        return Err(AccountError::Invalid("display_name", "error-display-name"));
    }
    let password_hash = match &account.password {
        Some(password) => {
            if !account.must_change_password {
                check_new_password(password, &email)
                    .map_err(|key| AccountError::Invalid("password", key))?;
            }
            Some(state.hasher.hash(password.clone()).await?)
        }
        None => None,
    };
    Ok(PreparedAccount {
        email,
        display_name,
        roles: account.roles,
        password_hash,
        must_change_password: account.must_change_password,
    })
}

/// Inserts a prepared account with its roles and audit entry inside the caller's transaction.
pub(super) async fn insert_account<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    account: PreparedAccount,
    now: DateTime<Utc>,
) -> Result<app_user::Model, AccountError> {
    let exists = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(account.email.as_str()))
        .count(conn)
        .await?
        > 0;
    if exists {
        return Err(AccountError::Invalid("email", "error-email-taken"));
    }
    let user = app_user::ActiveModel {
        email: Set(account.email.clone()),
        display_name: Set(account.display_name),
        password_hash: Set(account.password_hash),
        active: Set(true),
        must_change_password: Set(account.must_change_password),
        totp_secret: Set(None),
        totp_enabled: Set(false),
        totp_last_step: Set(None),
        staff_member_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        last_sign_in_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    for role in &account.roles {
        user_role::ActiveModel {
            user_id: Set(user.id),
            role: Set(role.as_str().to_string()),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    audit::record(
        conn,
        now,
        Entry {
            actor,
            action: "user_created",
            object_type: "user",
            object_id: Some(user.id.to_string()),
            details: json!({
                "email": account.email,
                "roles": account.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            }),
        },
    )
    .await?;
    Ok(user)
}

/// Creates an account with its roles, audited as `actor`.
pub async fn create_account(
    state: &AppState,
    actor: &Actor,
    account: NewAccount,
) -> Result<app_user::Model, AccountError> {
    let prepared = prepare_account(state, account).await?;
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let user = insert_account(&*tx, actor, prepared, now).await?;
    tx.commit().await?;
    Ok(user)
}
