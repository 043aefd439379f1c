//! The state every handler shares, managed by Rocket and built once by `app::prepare`.

use std::sync::Arc;

use crate::platform::clock::SharedClock;
use crate::platform::config::Config;
use crate::platform::crypto::SlowHasher;
use crate::platform::evidence::Evidence;
use crate::platform::persistence::Db;
use crate::web::reference::Reference;
use crate::web::throttle::AttemptLimiter;

/// Everything handlers share, managed by Rocket.
pub struct AppState {
    pub db: Db,
    pub config: Config,
    pub hasher: SlowHasher,
    pub clock: SharedClock,
    pub receipt_limiter: AttemptLimiter,
    pub sign_in_account_limiter: AttemptLimiter,
    pub sign_in_address_limiter: AttemptLimiter,
    /// Rocket serves TLS itself, so cookies are marked `Secure`.
    pub tls: bool,
    /// The encrypted object store of evidence files.
    pub evidence: Evidence,
    /// Units, categories, culture code, holidays and hotlines in memory (`web::reference`).
    pub reference: Arc<Reference>,
}

impl AppState {
    /// A state for background jobs beside the managed one: the same database pool, settings,
    /// clock and store; limiters of its own (jobs never count attempts).
    pub fn background_copy(&self) -> Result<Self, crate::platform::evidence::store::StoreError> {
        Ok(Self {
            db: self.db.clone(),
            config: self.config.clone(),
            hasher: self.hasher.clone(),
            clock: self.clock.clone(),
            receipt_limiter: AttemptLimiter::new(self.config.throttle.clone()),
            sign_in_account_limiter: AttemptLimiter::new(self.config.sign_in_throttle.clone()),
            sign_in_address_limiter: AttemptLimiter::new(self.config.sign_in_throttle.clone()),
            tls: self.tls,
            evidence: Evidence::new(&self.config)?,
            reference: self.reference.clone(),
        })
    }
}
