//! Slowing and then refusing repeated wrong guesses (receipt codes, passwords, second-factor
//! codes), counted in memory only.
//!
//! After `free_failures` wrong attempts, each further attempt must wait `base_delay × 2ⁿ`
//! after the previous failure; after `lock_after_failures` the key is refused for
//! `lock_minutes`. Failures older than `window_minutes` are forgotten. Time is a parameter.
//!
//! An attempt whose check is slow (Argon2) is [`reserve`](AttemptLimiter::reserve)d: the check
//! and the counting happen under one lock, and the attempt counts as a failure from that moment,
//! so concurrent guesses see each other and at most `free_failures` of them are evaluated. A
//! success then forgives its own reservation ([`forgive`](AttemptLimiter::forgive)) or clears
//! the key ([`clear`](AttemptLimiter::clear)); the caller decides which counters a success may
//! clear. Only the first refusal after an allowed attempt is marked as worth an audit entry.

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

/// An attempt counted in advance as a failure; forgive it if it turns out right.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "a reservation stays a failure unless it is forgiven"]
pub struct Reservation {
    key: String,
    at: DateTime<Utc>,
}

impl Reservation {
    /// The key the attempt was counted against.
    pub fn key(&self) -> &str {
        &self.key
    }
}

/// An attempt refused without being evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    /// `Wait` or `Locked`.
    pub verdict: Verdict,
    /// The first refusal since the key's last allowed attempt: the one worth recording, so that
    /// a flood of refused requests writes nothing (no audit row, no SQLite writer lock).
    pub first: bool,
}

#[derive(Debug, Default)]
struct Entry {
    failures: Vec<DateTime<Utc>>,
    locked_until: Option<DateTime<Utc>>,
    refusing: bool,
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

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// What an attempt on `key` would be told now, without counting it.
    pub fn check(&self, key: &str, now: DateTime<Utc>) -> Verdict {
        match self.lock().get_mut(key) {
            Some(entry) => self.verdict(entry, now),
            None => Verdict::Allowed,
        }
    }

    /// Checks `key` and, when the attempt is allowed, counts it as a failure in the same step.
    pub fn reserve(&self, key: &str, now: DateTime<Utc>) -> Result<Reservation, Refusal> {
        let mut entries = self.lock();
        self.make_room(&mut entries, key, now);
        let entry = entries.entry(key.to_string()).or_default();
        match self.verdict(entry, now) {
            Verdict::Allowed => {
                entry.refusing = false;
                self.push_failure(entry, now);
                Ok(Reservation {
                    key: key.to_string(),
                    at: now,
                })
            }
            verdict => {
                let first = !entry.refusing;
                entry.refusing = true;
                Err(Refusal { verdict, first })
            }
        }
    }

    /// Takes back a reservation whose attempt was right: it no longer counts as a failure,
    /// and a lock it brought about is lifted. Other failures of the key stay.
    pub fn forgive(&self, reservation: Reservation) {
        let mut entries = self.lock();
        let Some(entry) = entries.get_mut(&reservation.key) else {
            return;
        };
        if let Some(index) = entry.failures.iter().rposition(|at| *at == reservation.at) {
            entry.failures.remove(index);
        }
        if (entry.failures.len() as u32) < self.settings.lock_after_failures {
            entry.locked_until = None;
        }
        if entry.failures.is_empty() && entry.locked_until.is_none() {
            entries.remove(&reservation.key);
        }
    }

    /// Forgets every failure of `key`.
    pub fn clear(&self, key: &str) {
        self.lock().remove(key);
    }

    /// Counts a failure of an attempt that was not reserved (cheap checks).
    pub fn record_failure(&self, key: &str, now: DateTime<Utc>) {
        let mut entries = self.lock();
        self.make_room(&mut entries, key, now);
        let entry = entries.entry(key.to_string()).or_default();
        self.forget_old(entry, now);
        self.push_failure(entry, now);
    }

    /// Forgets every failure of `key` (an attempt that was not reserved was right).
    pub fn record_success(&self, key: &str) {
        self.clear(key);
    }

    fn push_failure(&self, entry: &mut Entry, now: DateTime<Utc>) {
        entry.failures.push(now);
        if entry.failures.len() as u32 >= self.settings.lock_after_failures {
            entry.locked_until = Some(now + Duration::minutes(self.settings.lock_minutes));
        }
    }

    fn verdict(&self, entry: &mut Entry, now: DateTime<Utc>) -> Verdict {
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
        let Some(last) = entry.failures.iter().max().copied() else {
            return Verdict::Allowed;
        };
        let next = last + self.delay_after(count);
        if now < next {
            Verdict::Wait((next - now).num_seconds().max(1))
        } else {
            Verdict::Allowed
        }
    }

    /// Past `MAX_TRACKED_KEYS`, drops the keys that no longer hold anything back.
    fn make_room(&self, entries: &mut HashMap<String, Entry>, key: &str, now: DateTime<Utc>) {
        if entries.len() < MAX_TRACKED_KEYS || entries.contains_key(key) {
            return;
        }
        let window = Duration::minutes(self.settings.window_minutes);
        entries.retain(|_, entry| {
            entry.locked_until.is_some_and(|until| until > now)
                || entry
                    .failures
                    .iter()
                    .max()
                    .is_some_and(|last| *last + window > now)
        });
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

    #[test]
    fn simultaneous_attempts_are_reserved_one_after_another_and_only_the_free_ones_pass() {
        let limiter = AttemptLimiter::new(settings());
        let allowed = (0..40)
            .map(|_| limiter.reserve("account", t0()))
            .filter(Result::is_ok)
            .count();
        assert_eq!(allowed, 3);
        assert_eq!(limiter.check("account", t0()), Verdict::Wait(2));
    }

    #[test]
    fn forgiving_a_right_attempt_removes_only_that_attempt() {
        let limiter = AttemptLimiter::new(settings());
        let _wrong = limiter.reserve("address", t0()).unwrap();
        let _wrong = limiter.reserve("address", t0()).unwrap();
        let right = limiter.reserve("address", t0()).unwrap();
        assert_eq!(limiter.check("address", t0()), Verdict::Wait(2));
        limiter.forgive(right);
        assert_eq!(limiter.check("address", t0()), Verdict::Allowed);
        let _third = limiter.reserve("address", t0()).unwrap();
        assert_eq!(
            limiter.check("address", t0()),
            Verdict::Wait(2),
            "the two wrong attempts still count"
        );
    }

    #[test]
    fn a_reservation_that_reaches_the_lock_lifts_it_when_forgiven() {
        let limiter = AttemptLimiter::new(settings());
        for i in 0..5 {
            let _ = limiter.reserve("k", t0() + Duration::minutes(i)).unwrap();
        }
        let sixth = limiter.reserve("k", t0() + Duration::minutes(5)).unwrap();
        assert_eq!(
            limiter.check("k", t0() + Duration::minutes(6)),
            Verdict::Locked(29)
        );
        limiter.forgive(sixth);
        assert_eq!(
            limiter.check("k", t0() + Duration::minutes(6)),
            Verdict::Allowed
        );
    }

    #[test]
    fn only_the_first_refusal_after_an_allowed_attempt_is_marked_for_the_record() {
        let limiter = AttemptLimiter::new(settings());
        for _ in 0..3 {
            let _ = limiter.reserve("k", t0()).unwrap();
        }
        let firsts: Vec<bool> = (0..5)
            .map(|_| limiter.reserve("k", t0()).unwrap_err().first)
            .collect();
        assert_eq!(firsts, [true, false, false, false, false]);
        let later = t0() + Duration::seconds(2);
        let _ = limiter.reserve("k", later).unwrap();
        assert!(limiter.reserve("k", later).unwrap_err().first);
    }
}
