//! A plain rate limit: at most `max` accepted actions per key within a sliding window (the key
//! is a client address or a token id, stored only as a keyed hash), counted in memory on SQLite
//! and in PostgreSQL's `shared_counter` when the database is PostgreSQL, so every node counts
//! against the same window (`platform::coordination`). Unlike the guess throttle (`throttle`),
//! every accepted action counts, not only failures; a refused one does not.

use chrono::{DateTime, Duration, Utc};

use crate::platform::config::RateSettings;
use crate::platform::coordination::counters::Counters;
use crate::platform::crypto::SecretKey32;
use crate::platform::persistence::Db;

/// Accepted actions per key, oldest first.
pub struct RateLimiter {
    settings: RateSettings,
    entries: Counters<Vec<DateTime<Utc>>>,
}

fn expiry(
    settings: &RateSettings,
) -> crate::platform::coordination::counters::Expiry<Vec<DateTime<Utc>>> {
    let window = Duration::minutes(settings.window_minutes);
    Box::new(move |times: &Vec<DateTime<Utc>>| times.iter().max().map(|last| *last + window))
}

impl RateLimiter {
    /// A limiter in this process's memory.
    pub fn new(settings: RateSettings) -> Self {
        let entries = Counters::in_memory("rate", expiry(&settings));
        Self { settings, entries }
    }

    /// A limiter of `scope` shared in the database when it is PostgreSQL.
    pub fn for_database(
        scope: &'static str,
        settings: RateSettings,
        db: &Db,
        hash_key: &SecretKey32,
    ) -> Self {
        let entries = Counters::for_database(scope, expiry(&settings), db, hash_key);
        Self { settings, entries }
    }

    /// Takes one slot for `key` at `now`, atomically; when the window is full, returns the
    /// minutes until a slot frees up and counts nothing. A count that cannot be read refuses
    /// for a minute.
    pub async fn acquire(&self, key: &str, now: DateTime<Utc>) -> Result<(), i64> {
        let window = Duration::minutes(self.settings.window_minutes);
        let max = self.settings.max as usize;
        self.entries
            .update(key, now, |times| {
                times.retain(|at| *at + window > now);
                if times.len() >= max {
                    let frees_at = times.iter().min().copied().unwrap_or(now) + window;
                    return Err(((frees_at - now).num_seconds() + 59).max(60) / 60);
                }
                times.push(now);
                Ok(())
            })
            .await
            .unwrap_or_else(|error| {
                tracing::error!(error = %error, "a rate limit could not be read");
                Err(1)
            })
    }

    /// Gives back the slot taken at `at` (the action did not happen after all).
    pub async fn release(&self, key: &str, at: DateTime<Utc>) {
        let done = self
            .entries
            .update(key, at, |times| {
                if let Some(position) = times.iter().rposition(|t| *t == at) {
                    times.remove(position);
                }
            })
            .await;
        if let Err(error) = done {
            tracing::error!(error = %error, "a rate limit slot could not be given back");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 3, 0, 0).unwrap()
    }

    #[tokio::test]
    async fn the_window_holds_max_actions_per_key_and_refusals_are_not_counted() {
        let limiter = RateLimiter::new(RateSettings {
            max: 2,
            window_minutes: 60,
        });
        assert_eq!(limiter.acquire("a", t0()).await, Ok(()));
        assert_eq!(
            limiter.acquire("a", t0() + Duration::minutes(10)).await,
            Ok(())
        );
        assert_eq!(
            limiter.acquire("a", t0() + Duration::minutes(20)).await,
            Err(40)
        );
        assert_eq!(
            limiter.acquire("a", t0() + Duration::minutes(30)).await,
            Err(30)
        );
        assert_eq!(
            limiter.acquire("b", t0()).await,
            Ok(()),
            "other keys are apart"
        );
        // The first slot frees after an hour; the refusals took nothing.
        assert_eq!(
            limiter.acquire("a", t0() + Duration::minutes(60)).await,
            Ok(())
        );
        assert!(limiter
            .acquire("a", t0() + Duration::minutes(61))
            .await
            .is_err());
        limiter.release("a", t0() + Duration::minutes(60)).await;
        assert_eq!(
            limiter.acquire("a", t0() + Duration::minutes(61)).await,
            Ok(())
        );
    }
}
