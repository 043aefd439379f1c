//! Known devices (OWASP "device cookies"). After a complete sign-in the browser keeps a private
//! cookie (encrypted and authenticated under Rocket's secret key, HttpOnly, SameSite=Strict,
//! path `/staff`) naming the account and a random device id, for `VALID_DAYS`. A sign-in from
//! that browser is throttled by the device's own counters instead of the account's and the
//! address's (`auth::limits`), so whoever floods an account or a shared address with wrong
//! guesses keeps out only browsers that never completed a sign-in of that account. The cookie
//! proves nothing by itself: the password and the second factor are still checked, and a copied
//! cookie yields only its own counter, limited like any other.

use chrono::{DateTime, Duration, Utc};
use rand::rngs::OsRng;
use rand::RngCore;
use rocket::http::{Cookie, CookieJar, SameSite};
use rocket::request::{FromRequest, Outcome, Request};

use crate::web::state::AppState;
use crate::web::throttle::ThrottleKey;

pub const DEVICE_COOKIE: &str = "device";
/// How long a browser stays known after its last complete sign-in.
pub const VALID_DAYS: i64 = 90;
/// Accounts one browser remembers (a shared office computer), most recent first.
const MAX_ACCOUNTS: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Known {
    user_id: i32,
    device: String,
    issued: i64,
}

/// The accounts this browser has completed a sign-in of, still valid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownDevices {
    entries: Vec<Known>,
}

impl KnownDevices {
    /// Reads the cookie's value; malformed and expired entries are dropped.
    pub fn parse(text: &str, now: DateTime<Utc>) -> Self {
        let oldest = (now - Duration::days(VALID_DAYS)).timestamp();
        let entries = text
            .split(',')
            .filter_map(|entry| {
                let mut parts = entry.split('.');
                let known = Known {
                    user_id: parts.next()?.parse().ok()?,
                    device: parts.next()?.to_string(),
                    issued: parts.next()?.parse().ok()?,
                };
                let well_formed = parts.next().is_none()
                    && known.device.len() == 32
                    && known.device.chars().all(|c| c.is_ascii_hexdigit());
                (well_formed && known.issued > oldest).then_some(known)
            })
            .take(MAX_ACCOUNTS)
            .collect();
        Self { entries }
    }

    /// This browser's device id for the account, if it has completed a sign-in of it.
    pub fn device_of(&self, user_id: i32) -> Option<&str> {
        self.entries
            .iter()
            .find(|known| known.user_id == user_id)
            .map(|known| known.device.as_str())
    }

    /// The same devices with `user_id` remembered (its device id kept) as of `now`.
    pub fn remembering(&self, user_id: i32, now: DateTime<Utc>) -> Self {
        let device = self
            .device_of(user_id)
            .map(str::to_string)
            .unwrap_or_else(|| {
                let mut bytes = [0u8; 16];
                OsRng.fill_bytes(&mut bytes);
                hex::encode(bytes)
            });
        let mut entries = vec![Known {
            user_id,
            device,
            issued: now.timestamp(),
        }];
        entries.extend(
            self.entries
                .iter()
                .filter(|known| known.user_id != user_id)
                .take(MAX_ACCOUNTS - 1)
                .cloned(),
        );
        Self { entries }
    }

    fn value(&self) -> String {
        self.entries
            .iter()
            .map(|k| format!("{}.{}.{}", k.user_id, k.device, k.issued))
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for KnownDevices {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let (Some(state), Some(cookie)) = (
            req.rocket().state::<AppState>(),
            req.cookies().get_private(DEVICE_COOKIE),
        ) else {
            return Outcome::Success(KnownDevices::default());
        };
        Outcome::Success(KnownDevices::parse(cookie.value(), state.clock.now()))
    }
}

/// Where a guess at a credential comes from: the client's address (a key for in-memory
/// counters only, never stored) and the accounts this browser completed a sign-in of.
#[derive(Debug, Clone)]
pub struct Browser {
    pub address: String,
    pub devices: KnownDevices,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Browser {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let address = match req.guard::<ThrottleKey>().await {
            Outcome::Success(ThrottleKey(address)) => address,
            _ => "unknown".to_string(),
        };
        let devices = match req.guard::<KnownDevices>().await {
            Outcome::Success(devices) => devices,
            _ => KnownDevices::default(),
        };
        Outcome::Success(Browser { address, devices })
    }
}

/// Remembers this browser as a known device of `user_id` after a complete sign-in.
pub fn remember(
    cookies: &CookieJar<'_>,
    devices: &KnownDevices,
    user_id: i32,
    now: DateTime<Utc>,
    secure: bool,
) {
    let value = devices.remembering(user_id, now).value();
    cookies.add_private(
        Cookie::build((DEVICE_COOKIE, value))
            .path("/staff")
            .same_site(SameSite::Strict)
            .http_only(true)
            .secure(secure)
            .max_age(rocket::time::Duration::days(VALID_DAYS)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 3, 0, 0).unwrap()
    }

    #[test]
    fn a_remembered_account_keeps_its_device_id_and_expires_after_ninety_days() {
        let first = KnownDevices::default().remembering(7, t0());
        let device = first.device_of(7).unwrap().to_string();
        assert_eq!(device.len(), 32);
        let both = first.remembering(9, t0()).remembering(7, t0());
        assert_eq!(both.device_of(7), Some(device.as_str()));
        assert!(both.device_of(9).is_some());
        assert_eq!(both.device_of(8), None);
        let read = KnownDevices::parse(&both.value(), t0() + Duration::days(89));
        assert_eq!(read, both);
        let later = KnownDevices::parse(&both.value(), t0() + Duration::days(90));
        assert_eq!(later.device_of(7), None);
    }

    #[test]
    fn malformed_entries_are_ignored_and_at_most_eight_accounts_are_kept() {
        let mut devices = KnownDevices::default();
        for user in 0..12 {
            devices = devices.remembering(user, t0());
        }
        assert_eq!(devices.entries.len(), 8);
        assert!(devices.device_of(11).is_some() && devices.device_of(3).is_none());
        let text = format!("x.y.z,7.{}.1,{}", "a".repeat(31), devices.value());
        assert_eq!(KnownDevices::parse(&text, t0()), devices);
    }
}
