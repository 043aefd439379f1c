//! Slowing and then refusing repeated wrong guesses (receipt codes, passwords, second-factor
//! codes), counted in memory on SQLite and in PostgreSQL's `shared_counter` table when the
//! database is PostgreSQL, so that every node sees the same counts (`platform::coordination`).
//!
//! After `free_failures` wrong attempts, each further attempt must wait `base_delay × 2ⁿ`
//! after the previous failure; after `lock_after_failures` the key is refused for
//! `lock_minutes`. Failures older than `window_minutes` are forgotten. Time is a parameter.
//!
//! An attempt whose check is slow (Argon2) is [`reserve`](AttemptLimiter::reserve)d: the check
//! and the counting happen in one atomic change of the key's state (a mutex in memory, a
//! locked row in PostgreSQL), and the attempt counts as a failure from that moment, so
//! concurrent guesses on any node see each other and at most `free_failures` of them are
//! evaluated. A success then forgives its own reservation ([`forgive`](AttemptLimiter::forgive))
//! or clears the key ([`clear`](AttemptLimiter::clear)); the caller decides which counters a
//! success may clear. Only the first refusal after an allowed attempt is marked as worth an
//! audit entry. A counter that cannot be read (the database is down) refuses: it never lets an
//! uncounted guess through.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use rocket::request::{FromRequest, Outcome, Request};

use crate::platform::config::ThrottleSettings;
use crate::platform::coordination::counters::Counters;
use crate::platform::crypto::SecretKey32;
use crate::platform::persistence::Db;

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

/// One key's state: its recent failures, its lock, and whether it is refusing.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
struct Entry {
    #[serde(default)]
    failures: Vec<DateTime<Utc>>,
    #[serde(default)]
    locked_until: Option<DateTime<Utc>>,
    #[serde(default)]
    refusing: bool,
}

/// Per-key failure counters.
pub struct AttemptLimiter {
    settings: ThrottleSettings,
    entries: Counters<Entry>,
}

/// What a counter that cannot be read answers: try again shortly.
const UNREADABLE: Verdict = Verdict::Wait(1);

impl AttemptLimiter {
    /// Counters in this process's memory.
    pub fn new(settings: ThrottleSettings) -> Self {
        let entries = Counters::in_memory("throttle", expiry(&settings));
        Self { settings, entries }
    }

    /// Counters of `scope` shared in the database when it is PostgreSQL, in memory otherwise;
    /// keys are stored as HMACs under `hash_key`.
    pub fn for_database(
        scope: &'static str,
        settings: ThrottleSettings,
        db: &Db,
        hash_key: &SecretKey32,
    ) -> Self {
        let entries = Counters::for_database(scope, expiry(&settings), db, hash_key);
        Self { settings, entries }
    }

    /// What an attempt on `key` would be told now, without counting it.
    pub async fn check(&self, key: &str, now: DateTime<Utc>) -> Verdict {
        self.entries
            .read(key, |entry| self.verdict(entry, now))
            .await
            .unwrap_or_else(|error| unreadable(error, UNREADABLE))
    }

    /// Checks `key` and, when the attempt is allowed, counts it as a failure in the same step.
    pub async fn reserve(&self, key: &str, now: DateTime<Utc>) -> Result<Reservation, Refusal> {
        if self.entries.is_shared() {
            // A key already refusing answers from a plain read: a flood of refused guesses
            // writes nothing. A stale read can only refuse, never let a guess through.
            let peek = self
                .entries
                .read(key, |entry| (self.verdict(entry, now), entry.refusing))
                .await;
            if let Ok((verdict, true)) = peek {
                if verdict != Verdict::Allowed {
                    return Err(Refusal {
                        verdict,
                        first: false,
                    });
                }
            }
        }
        self.entries
            .update(key, now, |entry| match self.verdict(entry, now) {
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
            })
            .await
            .unwrap_or_else(|error| {
                unreadable(
                    error,
                    Err(Refusal {
                        verdict: UNREADABLE,
                        first: false,
                    }),
                )
            })
    }

    /// Takes back a reservation whose attempt was right: it no longer counts as a failure,
    /// and a lock it brought about is lifted. Other failures of the key stay.
    pub async fn forgive(&self, reservation: Reservation) {
        let lock_after = self.settings.lock_after_failures;
        let done = self
            .entries
            .update(&reservation.key, reservation.at, |entry| {
                if let Some(index) = entry.failures.iter().rposition(|at| *at == reservation.at) {
                    entry.failures.remove(index);
                }
                if (entry.failures.len() as u32) < lock_after {
                    entry.locked_until = None;
                }
            })
            .await;
        if let Err(error) = done {
            unreadable(error, ());
        }
    }

    /// Forgets every failure of `key`.
    pub async fn clear(&self, key: &str) {
        if let Err(error) = self.entries.remove(key).await {
            unreadable(error, ());
        }
    }

    /// Counts a failure of an attempt that was not reserved (cheap checks).
    pub async fn record_failure(&self, key: &str, now: DateTime<Utc>) {
        let done = self
            .entries
            .update(key, now, |entry| {
                self.forget_old(entry, now);
                self.push_failure(entry, now);
            })
            .await;
        if let Err(error) = done {
            unreadable(error, ());
        }
    }

    /// Forgets every failure of `key` (an attempt that was not reserved was right).
    pub async fn record_success(&self, key: &str) {
        self.clear(key).await;
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

/// When a key's state stops mattering: its lock ends and its last failure leaves the window.
fn expiry(settings: &ThrottleSettings) -> crate::platform::coordination::counters::Expiry<Entry> {
    let window = Duration::minutes(settings.window_minutes);
    Box::new(move |entry: &Entry| {
        let last = entry.failures.iter().max().map(|at| *at + window);
        match (entry.locked_until, last) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    })
}

fn unreadable<T>(error: sea_orm::DbErr, answer: T) -> T {
    tracing::error!(error = %error, "a throttle counter could not be read or written");
    answer
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

    #[tokio::test]
    async fn the_first_failures_cost_nothing() {
        let limiter = AttemptLimiter::new(settings());
        for _ in 0..2 {
            limiter.record_failure("ip", t0()).await;
        }
        assert_eq!(limiter.check("ip", t0()).await, Verdict::Allowed);
    }

    #[tokio::test]
    async fn further_failures_impose_a_growing_wait() {
        let limiter = AttemptLimiter::new(settings());
        for _ in 0..3 {
            limiter.record_failure("ip", t0()).await;
        }
        assert_eq!(limiter.check("ip", t0()).await, Verdict::Wait(2));
        assert_eq!(
            limiter.check("ip", t0() + Duration::seconds(2)).await,
            Verdict::Allowed
        );
        limiter
            .record_failure("ip", t0() + Duration::seconds(2))
            .await;
        assert_eq!(
            limiter.check("ip", t0() + Duration::seconds(3)).await,
            Verdict::Wait(3)
        );
        assert_eq!(limiter.check("other", t0()).await, Verdict::Allowed);
    }

    #[tokio::test]
    async fn enough_failures_lock_the_key_until_the_lock_expires() {
        let limiter = AttemptLimiter::new(settings());
        for i in 0..6 {
            limiter
                .record_failure("ip", t0() + Duration::seconds(i * 100))
                .await;
        }
        let after = t0() + Duration::seconds(500);
        assert_eq!(limiter.check("ip", after).await, Verdict::Locked(30));
        assert_eq!(
            limiter
                .check("ip", t0() + Duration::seconds(500) + Duration::minutes(31))
                .await,
            Verdict::Allowed
        );
    }

    #[tokio::test]
    async fn success_clears_the_counter_and_old_failures_are_forgotten() {
        let limiter = AttemptLimiter::new(settings());
        for _ in 0..3 {
            limiter.record_failure("ip", t0()).await;
        }
        limiter.record_success("ip").await;
        assert_eq!(limiter.check("ip", t0()).await, Verdict::Allowed);
        for _ in 0..3 {
            limiter.record_failure("ip", t0()).await;
        }
        assert_eq!(
            limiter.check("ip", t0() + Duration::minutes(61)).await,
            Verdict::Allowed
        );
    }

    #[tokio::test]
    async fn simultaneous_attempts_are_reserved_one_after_another_and_only_the_free_ones_pass() {
        let limiter = AttemptLimiter::new(settings());
        let mut allowed = 0;
        for _ in 0..40 {
            allowed += usize::from(limiter.reserve("account", t0()).await.is_ok());
        }
        assert_eq!(allowed, 3);
        assert_eq!(limiter.check("account", t0()).await, Verdict::Wait(2));
    }

    #[tokio::test]
    async fn forgiving_a_right_attempt_removes_only_that_attempt() {
        let limiter = AttemptLimiter::new(settings());
        let _wrong = limiter.reserve("address", t0()).await.unwrap();
        let _wrong = limiter.reserve("address", t0()).await.unwrap();
        let right = limiter.reserve("address", t0()).await.unwrap();
        assert_eq!(limiter.check("address", t0()).await, Verdict::Wait(2));
        limiter.forgive(right).await;
        assert_eq!(limiter.check("address", t0()).await, Verdict::Allowed);
        let _third = limiter.reserve("address", t0()).await.unwrap();
        assert_eq!(
            limiter.check("address", t0()).await,
            Verdict::Wait(2),
            "the two wrong attempts still count"
        );
    }

    #[tokio::test]
    async fn a_reservation_that_reaches_the_lock_lifts_it_when_forgiven() {
        let limiter = AttemptLimiter::new(settings());
        for i in 0..5 {
            let _ = limiter
                .reserve("k", t0() + Duration::minutes(i))
                .await
                .unwrap();
        }
        let sixth = limiter
            .reserve("k", t0() + Duration::minutes(5))
            .await
            .unwrap();
        assert_eq!(
            limiter.check("k", t0() + Duration::minutes(6)).await,
            Verdict::Locked(29)
        );
        limiter.forgive(sixth).await;
        assert_eq!(
            limiter.check("k", t0() + Duration::minutes(6)).await,
            Verdict::Allowed
        );
    }

    #[tokio::test]
    async fn only_the_first_refusal_after_an_allowed_attempt_is_marked_for_the_record() {
        let limiter = AttemptLimiter::new(settings());
        for _ in 0..3 {
            let _ = limiter.reserve("k", t0()).await.unwrap();
        }
        let mut firsts = Vec::new();
        for _ in 0..5 {
            firsts.push(limiter.reserve("k", t0()).await.unwrap_err().first);
        }
        assert_eq!(firsts, [true, false, false, false, false]);
        let later = t0() + Duration::seconds(2);
        let _ = limiter.reserve("k", later).await.unwrap();
        assert!(limiter.reserve("k", later).await.unwrap_err().first);
    }
}
