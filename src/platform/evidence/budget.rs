//! How much an address may upload anonymously per hour. Without it, anyone could fill the
//! store: every new report brings its own 100 MB allowance. Counted per client address, in
//! memory on SQLite and in PostgreSQL's `shared_counter` (the address only as a keyed hash)
//! when the database is PostgreSQL, so that N nodes allow an address one budget, not N.

use chrono::{DateTime, Duration, Utc};

use crate::platform::coordination::counters::Counters;
use crate::platform::crypto::SecretKey32;
use crate::platform::persistence::Db;

/// When, and how many bytes, one address uploaded, oldest first.
type Uploads = Vec<(DateTime<Utc>, u64)>;

/// Bytes uploaded per address within the last hour.
pub struct UploadBudget {
    limit: u64,
    window: Duration,
    used: Counters<Uploads>,
}

impl std::fmt::Debug for UploadBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "UploadBudget({} bytes an hour)", self.limit)
    }
}

fn expiry(window: Duration) -> crate::platform::coordination::counters::Expiry<Uploads> {
    Box::new(move |uploads: &Uploads| uploads.iter().map(|(at, _)| *at + window).max())
}

impl UploadBudget {
    /// A budget in this process's memory.
    pub fn new(limit_bytes: u64) -> Self {
        let window = Duration::hours(1);
        Self {
            limit: limit_bytes,
            window,
            used: Counters::in_memory("upload_budget", expiry(window)),
        }
    }

    /// A budget shared in the database when it is PostgreSQL, in memory otherwise.
    pub fn for_database(limit_bytes: u64, db: &Db, hash_key: &SecretKey32) -> Self {
        let window = Duration::hours(1);
        Self {
            limit: limit_bytes,
            window,
            used: Counters::for_database("upload_budget", expiry(window), db, hash_key),
        }
    }

    /// True while `key` has uploaded less than the limit in the last hour.
    pub async fn allows(&self, key: &str, now: DateTime<Utc>) -> bool {
        self.used_by(key, now).await < self.limit
    }

    /// Bytes `key` uploaded within the window (the limit when the count cannot be read).
    pub async fn used_by(&self, key: &str, now: DateTime<Utc>) -> u64 {
        let cutoff = now - self.window;
        self.used
            .read(key, |uploads| {
                uploads
                    .iter()
                    .filter(|(at, _)| *at > cutoff)
                    .map(|(_, bytes)| bytes)
                    .sum()
            })
            .await
            .unwrap_or_else(|error| {
                tracing::error!(error = %error, "the upload budget could not be read");
                self.limit
            })
    }

    /// Counts an accepted upload.
    pub async fn record(&self, key: &str, now: DateTime<Utc>, bytes: u64) {
        if bytes == 0 {
            return;
        }
        let cutoff = now - self.window;
        let done = self
            .used
            .update(key, now, |uploads| {
                uploads.retain(|(at, _)| *at > cutoff);
                uploads.push((now, bytes));
            })
            .await;
        if let Err(error) = done {
            tracing::error!(error = %error, "an upload could not be counted against the budget");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[tokio::test]
    async fn an_address_is_held_back_for_an_hour_after_its_limit() {
        let budget = UploadBudget::new(100);
        let t0 = Utc.with_ymd_and_hms(2026, 11, 27, 8, 0, 0).unwrap();
        assert!(budget.allows("a", t0).await);
        budget.record("a", t0, 60).await;
        assert!(budget.allows("a", t0 + Duration::minutes(1)).await);
        budget.record("a", t0 + Duration::minutes(1), 60).await;
        assert!(!budget.allows("a", t0 + Duration::minutes(2)).await);
        assert!(
            budget.allows("b", t0 + Duration::minutes(2)).await,
            "other addresses are not affected"
        );
        assert!(!budget.allows("a", t0 + Duration::minutes(59)).await);
        let later = t0 + Duration::seconds(3630);
        assert!(
            budget.allows("a", later).await,
            "the first upload left the window"
        );
        assert_eq!(budget.used_by("a", later).await, 60, "the second has not");
    }
}
