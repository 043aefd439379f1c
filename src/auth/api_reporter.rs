//! A reporter's bearer tokens for the API, stateless and short-lived: the report id and an
//! expiry sealed (XChaCha20-Poly1305) under a key derived from the receipt key, bound to what
//! the token is for. A follow-up token comes from `POST /api/v1/follow-up/session` after the
//! same Argon2 check and throttle as the web's follow-up form; an upload token comes with a
//! new report's receipt, for its files. Neither holds the receipt code, and neither can be
//! told from random bytes without the key.

use chrono::{DateTime, Duration, Utc};
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};

use super::api_token::bearer;
use crate::platform::crypto::{self, SecretKey32};
use crate::web::state::AppState;

/// What a reporter's token opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Status, timeline, messages and replies.
    FollowUp,
    /// Adding files to a report just sent.
    Upload,
}

impl Purpose {
    fn prefix(self) -> &'static str {
        match self {
            Purpose::FollowUp => "rpt_",
            Purpose::Upload => "upl_",
        }
    }

    fn context(self) -> &'static [u8] {
        match self {
            Purpose::FollowUp => b"api-reporter-follow-up",
            Purpose::Upload => b"api-reporter-upload",
        }
    }
}

fn key(receipt_key: &SecretKey32) -> SecretKey32 {
    let derived = crypto::lookup_hash(receipt_key, "api-reporter-token-key", "");
    SecretKey32::from_hex(&derived).unwrap_or_else(SecretKey32::generate)
}

/// A token for `report_id` until `expires`.
pub fn issue(
    receipt_key: &SecretKey32,
    purpose: Purpose,
    report_id: i32,
    expires: DateTime<Utc>,
) -> String {
    let claim = format!("{report_id}.{}", expires.timestamp());
    let sealed = crypto::seal(&key(receipt_key), purpose.context(), claim.as_bytes());
    format!("{}{}", purpose.prefix(), hex::encode(sealed))
}

/// The report a token opens, when it is genuine, for `purpose` and not expired at `now`.
pub fn open(
    receipt_key: &SecretKey32,
    purpose: Purpose,
    token: &str,
    now: DateTime<Utc>,
) -> Option<i32> {
    let sealed = hex::decode(token.strip_prefix(purpose.prefix())?).ok()?;
    let claim = crypto::open(&key(receipt_key), purpose.context(), &sealed).ok()?;
    let claim = String::from_utf8(claim).ok()?;
    let (id, expires) = claim.split_once('.')?;
    let expires = DateTime::from_timestamp(expires.parse().ok()?, 0)?;
    (expires > now).then_some(id.parse().ok()?)
}

/// How long an upload token lasts after the report was sent.
pub fn upload_lifetime() -> Duration {
    Duration::hours(1)
}

/// A reporter calling with a valid follow-up token.
pub struct ReporterBearer {
    pub report_id: i32,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ReporterBearer {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let Some(state) = req.rocket().state::<AppState>() else {
            return Outcome::Error((Status::InternalServerError, ()));
        };
        let now = state.clock.now();
        let key = &state.config.receipt_key;
        match bearer(req).and_then(|token| open(key, Purpose::FollowUp, &token, now)) {
            Some(report_id) => Outcome::Success(ReporterBearer { report_id }),
            None => Outcome::Error((Status::Unauthorized, ())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_token_opens_its_report_for_its_purpose_until_it_expires() {
        let key = SecretKey32::from_bytes([7; 32]);
        let now = Utc.with_ymd_and_hms(2026, 12, 7, 3, 0, 0).unwrap();
        let token = issue(&key, Purpose::FollowUp, 42, now + Duration::minutes(15));
        assert_eq!(open(&key, Purpose::FollowUp, &token, now), Some(42));
        assert_eq!(open(&key, Purpose::Upload, &token, now), None);
        let later = now + Duration::minutes(15);
        assert_eq!(open(&key, Purpose::FollowUp, &token, later), None);
        let other = SecretKey32::from_bytes([8; 32]);
        assert_eq!(open(&other, Purpose::FollowUp, &token, now), None);
        let upload = issue(&key, Purpose::Upload, 42, now + Duration::hours(1));
        assert_eq!(open(&key, Purpose::Upload, &upload, now), Some(42));
        let mut forged = token.clone();
        let flipped = if &token[10..11] == "0" { "1" } else { "0" };
        forged.replace_range(10..11, flipped);
        assert_eq!(open(&key, Purpose::FollowUp, &forged, now), None);
    }
}
