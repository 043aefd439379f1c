//! Slowing and then refusing repeated wrong guesses (receipt codes), counted in memory only.
//!
//! After `free_failures` wrong attempts, each further attempt must wait `base_delay × 2ⁿ`
//! after the previous failure; after `lock_after_failures` the key is refused for
//! `lock_minutes`. Failures older than `window_minutes` are forgotten. Time is a parameter.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use rocket::request::{FromRequest, Outcome, Request};

use crate::platform::config::ThrottleSettings;

/// What the limiter says about an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Try again after this many seconds.
    Wait(i64),
    /// Refused until this many minutes have passed.
    Locked(i64),
}

#[derive(Debug, Default)]
struct Entry {
    failures: Vec<DateTime<Utc>>,
    locked_until: Option<DateTime<Utc>>,
}

/// Per-key failure counters.
pub struct AttemptLimiter {
    settings: ThrottleSettings,
    entries: Mutex<HashMap<String, Entry>>,
}

const MAX_TRACKED_KEYS: usize = 50_000;

impl AttemptLimiter {
    pub fn new(settings: ThrottleSettings) -> Self {
        Self {
            settings,
            entries: Mutex::new(HashMap::new()),
        }
    }

    pub fn check(&self, key: &str, now: DateTime<Utc>) -> Verdict {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let Some(entry) = entries.get_mut(key) else {
            return Verdict::Allowed;
        };
        self.forget_old(entry, now);
        if let Some(until) = entry.locked_until {
            if until > now {
                return Verdict::Locked(ceil_minutes(until - now));
            }
            entry.locked_until = None;
            entry.failures.clear();
        }
        let count = entry.failures.len() as u32;
        if count < self.settings.free_failures {
            return Verdict::Allowed;
        }
        let Some(last) = entry.failures.last().copied() else {
            return Verdict::Allowed;
        };
        let next = last + self.delay_after(count);
        if now < next {
            Verdict::Wait((next - now).num_seconds().max(1))
        } else {
            Verdict::Allowed
        }
    }

    pub fn record_failure(&self, key: &str, now: DateTime<Utc>) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_TRACKED_KEYS && !entries.contains_key(key) {
            let window = Duration::minutes(self.settings.window_minutes);
            entries.retain(|_, entry| {
                entry.locked_until.is_some_and(|until| until > now)
                    || entry
                        .failures
                        .last()
                        .is_some_and(|last| *last + window > now)
            });
        }
        let entry = entries.entry(key.to_string()).or_default();
        self.forget_old(entry, now);
        entry.failures.push(now);
        if entry.failures.len() as u32 >= self.settings.lock_after_failures {
            entry.locked_until = Some(now + Duration::minutes(self.settings.lock_minutes));
        }
    }

    pub fn record_success(&self, key: &str) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key);
    }

    fn delay_after(&self, failures: u32) -> Duration {
        let exponent = failures.saturating_sub(self.settings.free_failures).min(16);
        let seconds = self
            .settings
            .base_delay_seconds
            .saturating_mul(1 << exponent);
        Duration::seconds(seconds.min(self.settings.lock_minutes * 60))
    }

    fn forget_old(&self, entry: &mut Entry, now: DateTime<Utc>) {
        let window = Duration::minutes(self.settings.window_minutes);
        entry.failures.retain(|at| *at + window > now);
    }
}

fn ceil_minutes(duration: Duration) -> i64 {
    (duration.num_seconds() + 59) / 60
}

/// The client's address as a key for in-memory counters: [`ClientAddress`], which believes
/// proxy headers only from a peer in `trusted_proxies`.
///
/// [`ClientAddress`]: crate::web::proxy::ClientAddress
pub struct ThrottleKey(pub String);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ThrottleKey {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(ThrottleKey(crate::web::proxy::client_address(req).key()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn settings() -> ThrottleSettings {
        ThrottleSettings {
            free_failures: 3,
            base_delay_seconds: 2,
            lock_after_failures: 6,
            lock_minutes: 30,
            window_minutes: 60,
        }
    }

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 3, 0, 0).unwrap()
    }

    #[test]
    fn the_first_failures_cost_nothing() {
        let limiter = AttemptLimiter::new(settings());
        for _ in 0..2 {
            limiter.record_failure("ip", t0());
        }
        assert_eq!(limiter.check("ip", t0()), Verdict::Allowed);
    }

    #[test]
    fn further_failures_impose_a_growing_wait() {
        let limiter = AttemptLimiter::new(settings());
        for _ in 0..3 {
            limiter.record_failure("ip", t0());
        }
        assert_eq!(limiter.check("ip", t0()), Verdict::Wait(2));
        assert_eq!(
            limiter.check("ip", t0() + Duration::seconds(2)),
            Verdict::Allowed
        );
        limiter.record_failure("ip", t0() + Duration::seconds(2));
        assert_eq!(
            limiter.check("ip", t0() + Duration::seconds(3)),
            Verdict::Wait(3)
        );
        assert_eq!(limiter.check("other", t0()), Verdict::Allowed);
    }

    #[test]
    fn enough_failures_lock_the_key_until_the_lock_expires() {
        let limiter = AttemptLimiter::new(settings());
        for i in 0..6 {
            limiter.record_failure("ip", t0() + Duration::seconds(i * 100));
        }
        let after = t0() + Duration::seconds(500);
        assert_eq!(limiter.check("ip", after), Verdict::Locked(30));
        assert_eq!(
            limiter.check("ip", t0() + Duration::seconds(500) + Duration::minutes(31)),
            Verdict::Allowed
        );
    }

    #[test]
    fn success_clears_the_counter_and_old_failures_are_forgotten() {
        let limiter = AttemptLimiter::new(settings());
        for _ in 0..3 {
            limiter.record_failure("ip", t0());
        }
        limiter.record_success("ip");
        assert_eq!(limiter.check("ip", t0()), Verdict::Allowed);
        for _ in 0..3 {
            limiter.record_failure("ip", t0());
        }
        assert_eq!(
            limiter.check("ip", t0() + Duration::minutes(61)),
            Verdict::Allowed
        );
    }
}
