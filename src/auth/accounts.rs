//! Accounts and their credentials: accounts created by an admin or on the command line, the
//! one-time setup links (first admin, password for an existing account), password change,
//! TOTP enrolment and the recovery codes it hands out. Used by `auth::routes` (URL prefix
//! `/staff`), `admin::users`, the command line and devtools through `auth::service`. Every
//! change writes its audit entry in the same transaction; a setup token is used once.

use chrono::Duration;
use rand::rngs::OsRng;
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, Set,
};
use serde_json::json;

use super::password::check_new_password;
use super::session::{self, Stage};
use super::sign_in::{mark_signed_in, next_stage, normalise_email, recovery_hash};
use super::totp;
use crate::domain::roles::Role;
use crate::platform::audit::{self, Actor, Entry};
use crate::platform::crypto::{self, totp_context};
use crate::platform::persistence::entities::{
    app_user, recovery_code, setup_token, staff_session, user_role,
};
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
) -> AppResult<Result<(String, Stage), &'static str>> {
    if new != confirm {
        return Ok(Err("error-password-mismatch"));
    }
    if let Err(key) = check_new_password(new, &signed_in.user.email) {
        return Ok(Err(key));
    }
    let Some(hash) = signed_in.user.password_hash.clone() else {
        return Ok(Err("error-password-current"));
    };
    if !state.hasher.verify(current.to_string(), hash).await? {
        return Ok(Err("error-password-current"));
    }
    if current == new {
        return Ok(Err("error-password-same"));
    }
    let new_hash = state.hasher.hash(new.to_string()).await?;
    let now = state.clock.now();
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
    Ok(Ok((token, stage)))
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
/// once, the new session token and stage.
pub async fn confirm_enrolment(
    state: &AppState,
    signed_in: &super::SignedIn,
    code: &str,
) -> AppResult<Result<(Vec<String>, String, Stage), &'static str>> {
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
    Ok(Ok((codes, token, stage)))
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

/// Creates an account with its roles, audited as `actor`.
pub async fn create_account(
    state: &AppState,
    actor: &Actor,
    account: NewAccount,
) -> Result<app_user::Model, AccountError> {
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
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let exists = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.as_str()))
        .count(&*tx)
        .await?
        > 0;
    if exists {
        return Err(AccountError::Invalid("email", "error-email-taken"));
    }
    let user = app_user::ActiveModel {
        email: Set(email.clone()),
        display_name: Set(display_name),
        password_hash: Set(password_hash),
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
    .insert(&*tx)
    .await?;
    for role in &account.roles {
        user_role::ActiveModel {
            user_id: Set(user.id),
            role: Set(role.as_str().to_string()),
            ..Default::default()
        }
        .insert(&*tx)
        .await?;
    }
    audit::record(
        &*tx,
        now,
        Entry {
            actor,
            action: "user_created",
            object_type: "user",
            object_id: Some(user.id.to_string()),
            details: json!({
                "email": email,
                "roles": account.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

/// Purpose of the link that creates the first admin.
pub const SETUP_ADMIN: &str = "admin_setup";
/// Purpose of the link that sets an existing account's password.
pub const SETUP_PASSWORD: &str = "password_setup";

/// Issues a one-time link token valid for 24 hours; returns the token to put in the link.
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
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &Actor::System,
            action: "setup_link_issued",
            object_type: "setup_token",
            object_id: user_id.map(|id| id.to_string()),
            details: json!({"purpose": purpose}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// The unused, unexpired setup token for `token`. A first-admin link is dead as soon as any
/// admin exists: links printed at earlier start-ups must not create further admins.
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
    let admins = user_role::Entity::find()
        .filter(user_role::Column::Role.eq(Role::Admin.as_str()))
        .all(state.db.conn())
        .await?;
    for row in admins {
        if app_user::Entity::find_by_id(row.user_id)
            .one(state.db.conn())
            .await?
            .is_some_and(|u| u.active)
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Uses a setup token: the first admin (purpose `admin_setup`) or a password for an existing
/// account (`password_setup`). Returns the catalogue key of a problem, if any.
pub async fn complete_setup(
    state: &AppState,
    token: &setup_token::Model,
    email: &str,
    display_name: &str,
    password: &str,
    confirm: &str,
) -> AppResult<Result<(), (&'static str, &'static str)>> {
    if password != confirm {
        return Ok(Err(("password", "error-password-mismatch")));
    }
    let now = state.clock.now();
    match token.purpose.as_str() {
        SETUP_ADMIN => {
            if let Err(key) = check_new_password(password, email) {
                return Ok(Err(("password", key)));
            }
            let created = create_account(
                state,
                &Actor::Claimed(format!("setup link for {}", normalise_email(email))),
                NewAccount {
                    email: email.to_string(),
                    display_name: display_name.to_string(),
                    roles: vec![Role::Admin],
                    password: Some(password.to_string()),
                    must_change_password: false,
                },
            )
            .await;
            match created {
                Ok(_) => {}
                Err(AccountError::Invalid(field, key)) => return Ok(Err((field, key))),
                Err(AccountError::Internal(e)) => return Err(e),
            }
        }
        SETUP_PASSWORD => {
            let Some(user) = app_user::Entity::find_by_id(token.user_id.unwrap_or_default())
                .one(state.db.conn())
                .await?
            else {
                return Err(AppError::NotFound);
            };
            if let Err(key) = check_new_password(password, &user.email) {
                return Ok(Err(("password", key)));
            }
            let hash = state.hasher.hash(password.to_string()).await?;
            let tx = state.db.begin_write().await?;
            let mut active = user.clone().into_active_model();
            active.password_hash = Set(Some(hash));
            active.must_change_password = Set(false);
            active.updated_at = Set(now);
            active.update(&*tx).await?;
            audit::record(
                &*tx,
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
            tx.commit().await?;
        }
        _ => return Err(AppError::NotFound),
    }
    let tx = state.db.begin_write().await?;
    let mut used = token.clone().into_active_model();
    used.used_at = Set(Some(now));
    used.update(&*tx).await?;
    tx.commit().await?;
    Ok(Ok(()))
}
