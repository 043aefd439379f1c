//! Integration tokens for the API (`/api/v1`): an admin issues one to a named integration with
//! scopes and an expiry (`admin::api_tokens`); it is shown once and stored as its SHA-256. The
//! guard [`Integration<S>`] reads only the `Authorization: Bearer` header — a cookie never
//! authenticates an API call — refuses an unknown, expired or revoked token (401), a token
//! without the scopes `S` names (403), a token over its rate (429), and audits every call it
//! admits under the integration's name.

use std::marker::PhantomData;

use chrono::{DateTime, Utc};
use rand::rngs::OsRng;
use rand::RngCore;
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

use crate::platform::audit::{self, Actor, Entry};
use crate::platform::persistence::entities::api_token;
use crate::web::api::problem::RetryAfter;
use crate::web::api::ApiLimits;
use crate::web::state::AppState;

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The case list, metadata and timeline of the token's team (never the reporter's
    /// identity, never the report's text).
    CasesRead,
    /// The dashboard's figures, suppressed as on the pages.
    AnalyticsRead,
    /// Reports entered on a caller's behalf, as an operator does on `/intake` (the call-centre
    /// CRM).
    IntakeWrite,
    /// The text of the token's team's reports (never the reporter's identity). Granted only
    /// when a custodian approves it (`case_management::api_scopes`).
    CasesText,
}

impl Scope {
    pub const ALL: [Scope; 4] = [
        Scope::CasesRead,
        Scope::AnalyticsRead,
        Scope::IntakeWrite,
        Scope::CasesText,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::CasesRead => "cases:read",
            Scope::AnalyticsRead => "analytics:read",
            Scope::IntakeWrite => "intake:write",
            Scope::CasesText => "cases:text",
        }
    }

    /// Whether an admin only asks for it: a custodian approves it before the token holds it.
    pub fn needs_custodian(self) -> bool {
        self == Scope::CasesText
    }

    pub fn parse(text: &str) -> Option<Self> {
        Scope::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }

    /// Parses a comma-separated list; `None` when a name is unknown.
    pub fn parse_list(text: &str) -> Option<Vec<Scope>> {
        let mut scopes = Vec::new();
        for name in text.split(',').filter(|n| !n.trim().is_empty()) {
            let scope = Scope::parse(name)?;
            if !scopes.contains(&scope) {
                scopes.push(scope);
            }
        }
        Some(scopes)
    }
}

/// The prefix every integration token starts with (so a leaked one is recognisable).
pub const TOKEN_PREFIX: &str = "cpt_";

/// A new token and the hash to store.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = format!("{TOKEN_PREFIX}{}", hex::encode(bytes));
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The bearer token of a request's `Authorization` header.
pub fn bearer(req: &Request<'_>) -> Option<String> {
    let header = req.headers().get_one("Authorization")?;
    let (scheme, token) = header.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// An integration calling with a valid token.
#[derive(Debug, Clone)]
pub struct ApiClient {
    pub token_id: i32,
    pub name: String,
    pub scopes: Vec<Scope>,
    /// The team a `cases:read` token reads.
    pub team_id: Option<i32>,
}

impl ApiClient {
    /// How the audit trail names it.
    pub fn actor(&self) -> Actor {
        Actor::Claimed(format!("api:{}", self.name))
    }

    fn of(row: api_token::Model, now: DateTime<Utc>) -> Option<Self> {
        if row.revoked_at.is_some() || row.expires_at <= now {
            return None;
        }
        Some(Self {
            token_id: row.id,
            name: row.name,
            scopes: Scope::parse_list(&row.scopes).unwrap_or_default(),
            team_id: row.team_id,
        })
    }
}

/// The scopes a route needs.
pub trait ScopeSet: Send + Sync + 'static {
    const SCOPES: &'static [Scope];
}

pub struct CasesRead;
impl ScopeSet for CasesRead {
    const SCOPES: &'static [Scope] = &[Scope::CasesRead];
}

pub struct AnalyticsRead;
impl ScopeSet for AnalyticsRead {
    const SCOPES: &'static [Scope] = &[Scope::AnalyticsRead];
}

pub struct IntakeWrite;
impl ScopeSet for IntakeWrite {
    const SCOPES: &'static [Scope] = &[Scope::IntakeWrite];
}

/// A case's text: the team's cases and the custodian-approved text scope.
pub struct CasesText;
impl ScopeSet for CasesText {
    const SCOPES: &'static [Scope] = &[Scope::CasesRead, Scope::CasesText];
}

/// An integration whose token holds every scope of `S`; the call is audited.
pub struct Integration<S: ScopeSet> {
    pub client: ApiClient,
    _scopes: PhantomData<S>,
}

impl<S: ScopeSet> std::ops::Deref for Integration<S> {
    type Target = ApiClient;
    fn deref(&self) -> &ApiClient {
        &self.client
    }
}

#[rocket::async_trait]
impl<'r, S: ScopeSet> FromRequest<'r> for Integration<S> {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let (Some(state), Some(limits)) = (
            req.rocket().state::<AppState>(),
            req.rocket().state::<ApiLimits>(),
        ) else {
            return Outcome::Error((Status::InternalServerError, ()));
        };
        let now = state.clock.now();
        let client = match find(state, req, now).await {
            Ok(Some(client)) => client,
            Ok(None) => return Outcome::Error((Status::Unauthorized, ())),
            Err(error) => {
                tracing::error!(%error, "reading an API token failed");
                return Outcome::Error((Status::InternalServerError, ()));
            }
        };
        if !S::SCOPES.iter().all(|scope| client.scopes.contains(scope)) {
            return Outcome::Error((Status::Forbidden, ()));
        }
        if let Err(minutes) = limits
            .tokens
            .acquire(&client.token_id.to_string(), now)
            .await
        {
            req.local_cache(|| RetryAfter(Some(minutes * 60)));
            return Outcome::Error((Status::TooManyRequests, ()));
        }
        if let Err(error) = audit_call(state, req, &client, now).await {
            tracing::error!(%error, "auditing an API call failed");
            return Outcome::Error((Status::InternalServerError, ()));
        }
        Outcome::Success(Integration {
            client,
            _scopes: PhantomData,
        })
    }
}

async fn find(
    state: &AppState,
    req: &Request<'_>,
    now: DateTime<Utc>,
) -> Result<Option<ApiClient>, sea_orm::DbErr> {
    let Some(token) = bearer(req).filter(|t| t.starts_with(TOKEN_PREFIX)) else {
        return Ok(None);
    };
    let row = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token_hash(&token)))
        .one(state.db.conn())
        .await?;
    Ok(row.and_then(|row| ApiClient::of(row, now)))
}

/// One audit entry per admitted call: the integration, the method and the route's pattern
/// with the ids in it (the path holds record ids only, never a code or a name).
async fn audit_call(
    state: &AppState,
    req: &Request<'_>,
    client: &ApiClient,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    let actor = client.actor();
    let tx = state.db.begin_write().await?;
    api_token::Entity::update_many()
        .col_expr(
            api_token::Column::LastUsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(api_token::Column::Id.eq(client.token_id))
        .exec(&*tx)
        .await?;
    let entry = Entry {
        actor: &actor,
        action: "api_call",
        object_type: "api_token",
        object_id: Some(client.token_id.to_string()),
        details: serde_json::json!({
            "method": req.method().as_str(),
            "path": req.uri().path().as_str(),
        }),
    };
    audit::record_and_commit(tx, now, entry).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_lists_parse_known_names_only() {
        assert_eq!(
            Scope::parse_list("cases:read, analytics:read,cases:read"),
            Some(vec![Scope::CasesRead, Scope::AnalyticsRead])
        );
        assert_eq!(Scope::parse_list(""), Some(vec![]));
        assert_eq!(
            Scope::parse_list("intake:write,cases:text"),
            Some(vec![Scope::IntakeWrite, Scope::CasesText])
        );
        assert_eq!(Scope::parse_list("cases:write"), None);
    }

    #[test]
    fn tokens_are_prefixed_random_and_stored_hashed() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert!(a.starts_with(TOKEN_PREFIX) && a.len() == TOKEN_PREFIX.len() + 64);
        assert_ne!(a, b);
        assert_eq!(hash_a, token_hash(&a));
        assert!(!hash_a.contains(&a[TOKEN_PREFIX.len()..]));
    }
}
