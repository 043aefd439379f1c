//! Server-side staff sessions. The cookie (private, HttpOnly, SameSite=Strict, Secure under TLS)
//! carries a 256-bit random token; the database keeps only its SHA-256, so a copy of the database
//! cannot be used to take over a session. A session ends after `session_idle_minutes` without a
//! request or `session_absolute_hours` after sign-in, on sign-out, on revocation, and when the
//! user is disabled. Each sign-in step that raises trust issues a new token.

use chrono::{DateTime, Duration, Utc};
use rand::rngs::OsRng;
use rand::RngCore;
use rocket::http::{Cookie, CookieJar, SameSite};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, Set,
};
use sha2::{Digest, Sha256};

use crate::platform::config::Config;
use crate::platform::persistence::entities::staff_session;

pub const SESSION_COOKIE: &str = "sid";

/// How far a session has come through sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Password accepted; the second factor is still due.
    SecondFactor,
    /// The password must be changed before anything else.
    ChangePassword,
    /// Two-factor sign-in is mandatory for the user's roles and not yet set up.
    Enrol,
    /// Fully signed in.
    Active,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::SecondFactor => "second_factor",
            Stage::ChangePassword => "change_password",
            Stage::Enrol => "enrol",
            Stage::Active => "active",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Stage::SecondFactor,
            Stage::ChangePassword,
            Stage::Enrol,
            Stage::Active,
        ]
        .into_iter()
        .find(|stage| stage.as_str() == text)
    }

    /// Where a session in this stage continues.
    pub fn path(self) -> &'static str {
        match self {
            Stage::SecondFactor => "/staff/sign-in/code",
            Stage::ChangePassword => "/staff/account/password",
            Stage::Enrol => "/staff/account/two-factor",
            Stage::Active => "/staff",
        }
    }
}

/// The SHA-256 of a token, as stored.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Creates a session and returns its token.
pub async fn create<C: ConnectionTrait>(
    conn: &C,
    config: &Config,
    user_id: i32,
    stage: Stage,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    let token = new_token();
    staff_session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(user_id),
        stage: Set(stage.as_str().to_string()),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + Duration::hours(config.session_absolute_hours)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(token)
}

/// Moves a session to `stage` under a new token (the old token stops working).
pub async fn advance<C: ConnectionTrait>(
    conn: &C,
    session: staff_session::Model,
    stage: Stage,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    let token = new_token();
    let mut active = session.into_active_model();
    active.token_hash = Set(token_hash(&token));
    active.stage = Set(stage.as_str().to_string());
    active.last_seen_at = Set(now);
    active.update(conn).await?;
    Ok(token)
}

/// The live session for `token`, or `None` (an expired one is deleted on the way).
pub async fn find_live<C: ConnectionTrait>(
    conn: &C,
    config: &Config,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<staff_session::Model>, DbErr> {
    let Some(session) = staff_session::Entity::find()
        .filter(staff_session::Column::TokenHash.eq(token_hash(token)))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    if is_expired(&session, config, now) {
        staff_session::Entity::delete_by_id(session.id)
            .exec(conn)
            .await?;
        return Ok(None);
    }
    Ok(Some(session))
}

/// Idle or absolute expiry reached.
pub fn is_expired(session: &staff_session::Model, config: &Config, now: DateTime<Utc>) -> bool {
    now >= session.expires_at
        || now - session.last_seen_at >= Duration::minutes(config.session_idle_minutes)
}

/// Notes activity, at most once a minute to spare the database.
pub async fn touch<C: ConnectionTrait>(
    conn: &C,
    session: &staff_session::Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if now - session.last_seen_at < Duration::seconds(60) {
        return Ok(());
    }
    let mut active = session.clone().into_active_model();
    active.last_seen_at = Set(now);
    active.update(conn).await?;
    Ok(())
}

/// Ends every session of a user.
pub async fn end_all<C: ConnectionTrait>(conn: &C, user_id: i32) -> Result<u64, DbErr> {
    Ok(staff_session::Entity::delete_many()
        .filter(staff_session::Column::UserId.eq(user_id))
        .exec(conn)
        .await?
        .rows_affected)
}

pub fn set_cookie(cookies: &CookieJar<'_>, token: String, secure: bool) {
    cookies.add_private(
        Cookie::build((SESSION_COOKIE, token))
            .path("/")
            .same_site(SameSite::Strict)
            .http_only(true)
            .secure(secure),
    );
}

pub fn clear_cookie(cookies: &CookieJar<'_>) {
    cookies.remove_private(Cookie::build(SESSION_COOKIE).path("/"));
}
