//! A plain rate limit: at most `max` accepted actions per key within a sliding window, counted
//! in memory only (the key is a client address, never stored). Unlike the guess throttle
//! (`throttle`), every accepted action counts, not only failures; a refused one does not.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use crate::platform::config::RateSettings;

const MAX_TRACKED_KEYS: usize = 50_000;

/// Accepted actions per key, oldest first.
pub struct RateLimiter {
    settings: RateSettings,
    entries: Mutex<HashMap<String, VecDeque<DateTime<Utc>>>>,
}

impl RateLimiter {
    pub fn new(settings: RateSettings) -> Self {
        Self {
            settings,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one slot for `key` at `now`, atomically; when the window is full, returns the
    /// minutes until a slot frees up and counts nothing.
    pub fn acquire(&self, key: &str, now: DateTime<Utc>) -> Result<(), i64> {
        let window = Duration::minutes(self.settings.window_minutes);
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_TRACKED_KEYS && !entries.contains_key(key) {
            entries.retain(|_, times| times.back().is_some_and(|last| *last + window > now));
        }
        let times = entries.entry(key.to_string()).or_default();
        while times.front().is_some_and(|first| *first + window <= now) {
            times.pop_front();
        }
        if times.len() >= self.settings.max as usize {
            let frees_at = times.front().copied().unwrap_or(now) + window;
            return Err(((frees_at - now).num_seconds() + 59).max(60) / 60);
        }
        times.push_back(now);
        Ok(())
    }

    /// Gives back the slot taken at `at` (the action did not happen after all).
    pub fn release(&self, key: &str, at: DateTime<Utc>) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(times) = entries.get_mut(key) {
            if let Some(position) = times.iter().rposition(|t| *t == at) {
                times.remove(position);
            }
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

    #[test]
    fn the_window_holds_max_actions_per_key_and_refusals_are_not_counted() {
        let limiter = RateLimiter::new(RateSettings {
            max: 2,
            window_minutes: 60,
        });
        assert_eq!(limiter.acquire("a", t0()), Ok(()));
        assert_eq!(limiter.acquire("a", t0() + Duration::minutes(10)), Ok(()));
        assert_eq!(limiter.acquire("a", t0() + Duration::minutes(20)), Err(40));
        assert_eq!(limiter.acquire("a", t0() + Duration::minutes(30)), Err(30));
        assert_eq!(limiter.acquire("b", t0()), Ok(()), "other keys are apart");
        // The first slot frees after an hour; the refusals took nothing.
        assert_eq!(limiter.acquire("a", t0() + Duration::minutes(60)), Ok(()));
        assert!(limiter.acquire("a", t0() + Duration::minutes(61)).is_err());
        limiter.release("a", t0() + Duration::minutes(60));
        assert_eq!(limiter.acquire("a", t0() + Duration::minutes(61)), Ok(()));
    }
}
