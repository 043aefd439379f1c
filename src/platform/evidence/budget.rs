//! How much an address may upload anonymously per hour. Without it, anyone could fill the
//! store: every new report brings its own 100 MB allowance. Counters live in memory only and
//! are keyed by the client's socket address, as every throttle is; nothing is stored.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

/// When, and how many bytes, one address uploaded.
type Uploads = VecDeque<(DateTime<Utc>, u64)>;

/// Bytes uploaded per address within the last hour.
#[derive(Debug)]
pub struct UploadBudget {
    limit: u64,
    window: Duration,
    used: Mutex<HashMap<String, Uploads>>,
}

impl UploadBudget {
    pub fn new(limit_bytes: u64) -> Self {
        Self {
            limit: limit_bytes,
            window: Duration::hours(1),
            used: Mutex::new(HashMap::new()),
        }
    }

    /// True while `key` has uploaded less than the limit in the last hour.
    pub fn allows(&self, key: &str, now: DateTime<Utc>) -> bool {
        self.used_by(key, now) < self.limit
    }

    /// Bytes `key` uploaded within the window.
    pub fn used_by(&self, key: &str, now: DateTime<Utc>) -> u64 {
        let Ok(mut map) = self.used.lock() else {
            return 0;
        };
        let Some(entries) = map.get_mut(key) else {
            return 0;
        };
        while entries
            .front()
            .is_some_and(|(at, _)| *at <= now - self.window)
        {
            entries.pop_front();
        }
        let total = entries.iter().map(|(_, bytes)| bytes).sum();
        if entries.is_empty() {
            map.remove(key);
        }
        total
    }

    /// Counts an accepted upload.
    pub fn record(&self, key: &str, now: DateTime<Utc>, bytes: u64) {
        if bytes == 0 {
            return;
        }
        if let Ok(mut map) = self.used.lock() {
            // Forget addresses whose last upload left the window, so the map stays small.
            if map.len() > 10_000 {
                let cutoff = now - self.window;
                map.retain(|_, entries| entries.back().is_some_and(|(at, _)| *at > cutoff));
            }
            map.entry(key.to_string())
                .or_default()
                .push_back((now, bytes));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn an_address_is_held_back_for_an_hour_after_its_limit() {
        let budget = UploadBudget::new(100);
        let t0 = Utc.with_ymd_and_hms(2026, 11, 27, 8, 0, 0).unwrap();
        assert!(budget.allows("a", t0));
        budget.record("a", t0, 60);
        assert!(budget.allows("a", t0 + Duration::minutes(1)));
        budget.record("a", t0 + Duration::minutes(1), 60);
        assert!(!budget.allows("a", t0 + Duration::minutes(2)));
        assert!(
            budget.allows("b", t0 + Duration::minutes(2)),
            "other addresses are not affected"
        );
        assert!(!budget.allows("a", t0 + Duration::minutes(59)));
        let later = t0 + Duration::seconds(3630);
        assert!(
            budget.allows("a", later),
            "the first upload left the window"
        );
        assert_eq!(budget.used_by("a", later), 60, "the second has not");
    }
}
