//! `Idempotency-Key` on report submissions: a client that retries a submission (the answer was
//! lost) with the same key and body gets the same receipt back, and one report exists.
//!
//! The record is written in the submission's own transaction (`public_reporting::service`), and
//! its key hash is unique, so of two concurrent submissions with one key only one commits. It
//! holds the key only as a keyed hash, the body only as a keyed hash with the key, and the
//! receipt code sealed under a key derived from the client's key: even with the database and
//! the server's keys, nobody but the client holding the key opens it. Records last a day.

use chrono::{DateTime, Duration, Utc};
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::platform::crypto::{self, SecretKey32};
use crate::platform::persistence::entities::api_idempotency;

pub const HEADER: &str = "Idempotency-Key";
const LIFETIME_HOURS: i64 = 24;

/// The `Idempotency-Key` header: 8 to 128 visible ASCII characters (a UUID fits).
#[derive(Debug, Clone)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().trim_matches('"');
        let fits = (8..=128).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_graphic());
        fits.then(|| Self(text.to_string()))
    }
}

/// The request's `Idempotency-Key`, if it sent one; a malformed one is refused (400).
#[derive(Debug, Clone)]
pub struct IdempotencyHeader(pub Option<IdempotencyKey>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for IdempotencyHeader {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        match req.headers().get_one(HEADER) {
            None => Outcome::Success(IdempotencyHeader(None)),
            Some(value) => match IdempotencyKey::parse(value) {
                Some(key) => Outcome::Success(IdempotencyHeader(Some(key))),
                None => Outcome::Error((Status::BadRequest, ())),
            },
        }
    }
}

/// One submission's claim on its key.
pub struct Claim {
    key_hash: String,
    request_hash: String,
    seal_key: SecretKey32,
}

/// What an earlier submission with the same key left.
pub enum Earlier {
    /// The same body: its report and receipt code.
    Same { report_id: i32, receipt: String },
    /// Another body under the same key.
    Different,
}

impl Claim {
    /// The claim of `key` for a body whose canonical form is `body`.
    pub fn new(server_key: &SecretKey32, key: &IdempotencyKey, body: &str) -> Self {
        let key_hash = crypto::lookup_hash(server_key, "api-idempotency-key", &key.0);
        let request_hash = crypto::lookup_hash(
            server_key,
            "api-idempotency-body",
            &format!("{}\0{body}", key.0),
        );
        let seal_hex = crypto::lookup_hash(server_key, "api-idempotency-seal", &key.0);
        let seal_key = SecretKey32::from_hex(&seal_hex).unwrap_or_else(SecretKey32::generate);
        Self {
            key_hash,
            request_hash,
            seal_key,
        }
    }

    /// The earlier submission under this key, if one is recorded and not expired.
    pub async fn earlier(
        &self,
        db: &impl ConnectionTrait,
        now: DateTime<Utc>,
    ) -> Result<Option<Earlier>, sea_orm::DbErr> {
        let row = api_idempotency::Entity::find()
            .filter(api_idempotency::Column::KeyHash.eq(&self.key_hash))
            .filter(api_idempotency::Column::ExpiresAt.gt(now))
            .one(db)
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        if row.request_hash != self.request_hash {
            return Ok(Some(Earlier::Different));
        }
        let opened = crypto::open(
            &self.seal_key,
            self.key_hash.as_bytes(),
            &row.sealed_receipt,
        )
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
        Ok(Some(match opened {
            Some(receipt) => Earlier::Same {
                report_id: row.report_id,
                receipt,
            },
            None => Earlier::Different,
        }))
    }

    /// Records the submission inside its transaction (and forgets expired records).
    pub async fn record(
        &self,
        tx: &impl ConnectionTrait,
        report_id: i32,
        receipt: &str,
        now: DateTime<Utc>,
    ) -> Result<(), sea_orm::DbErr> {
        api_idempotency::Entity::delete_many()
            .filter(api_idempotency::Column::ExpiresAt.lte(now))
            .exec(tx)
            .await?;
        api_idempotency::ActiveModel {
            key_hash: Set(self.key_hash.clone()),
            request_hash: Set(self.request_hash.clone()),
            report_id: Set(report_id),
            sealed_receipt: Set(crypto::seal(
                &self.seal_key,
                self.key_hash.as_bytes(),
                receipt.as_bytes(),
            )),
            created_at: Set(now),
            expires_at: Set(now + Duration::hours(LIFETIME_HOURS)),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::IdempotencyKey;

    #[test]
    fn a_key_is_8_to_128_visible_ascii_characters() {
        assert!(IdempotencyKey::parse("3f0c9a52-6a8e-4a5e-9d7b-0c1d2e3f4a5b").is_some());
        assert!(IdempotencyKey::parse("\"quoted-key-1\"").is_some());
        assert!(IdempotencyKey::parse("short").is_none());
        assert!(IdempotencyKey::parse("with space inside").is_none());
        assert!(IdempotencyKey::parse(&"x".repeat(129)).is_none());
    }
}
