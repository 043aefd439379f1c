//! The settings of the throttles and rate limits: wrong receipt codes and sign-in guesses
//! ([`ThrottleSettings`]), accepted actions per address ([`RateSettings`]) and the JSON API's
//! ([`ApiSettings`]). Read by `platform::config`, used by `web::throttle`, `web::rate` and `web::api`.

use serde::Deserialize;

/// How wrong receipt codes are slowed and then refused (counters in memory on SQLite, shared
/// in PostgreSQL's `shared_counter` across nodes).
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct ThrottleSettings {
    /// Failures allowed before each further attempt must wait.
    pub free_failures: u32,
    /// The first wait, doubled after every further failure.
    pub base_delay_seconds: i64,
    /// Failures after which attempts are refused outright for `lock_minutes`.
    pub lock_after_failures: u32,
    pub lock_minutes: i64,
    /// Failures older than this are forgotten.
    pub window_minutes: i64,
}

impl Default for ThrottleSettings {
    fn default() -> Self {
        Self {
            free_failures: 3,
            base_delay_seconds: 2,
            lock_after_failures: 10,
            lock_minutes: 30,
            window_minutes: 60,
        }
    }
}

/// At most `max` accepted actions per client address within `window_minutes` (in memory on
/// SQLite, shared in PostgreSQL).
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct RateSettings {
    pub max: u32,
    pub window_minutes: i64,
}

impl Default for RateSettings {
    /// Ten an hour: a family or an office behind one address can still send several.
    fn default() -> Self {
        Self {
            max: 10,
            window_minutes: 60,
        }
    }
}

/// The JSON API under `/api/v1` (`web::api`).
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct ApiSettings {
    /// Origins (`https://app.example.vn`) whose browser scripts may call the API; empty (the
    /// default) sends no CORS header at all, so only same-origin pages and servers can call.
    #[serde(deserialize_with = "crate::platform::net::string_or_list")]
    pub cors_origins: Vec<String>,
    /// Reports one client address may send through the API.
    pub report_limit: RateSettings,
    /// Calls one integration token may make.
    pub token_limit: RateSettings,
    /// Minutes a reporter's API bearer token lasts (fixed, not renewed by use).
    pub follow_up_token_minutes: i64,
}

impl Default for ApiSettings {
    fn default() -> Self {
        Self {
            cors_origins: Vec::new(),
            report_limit: RateSettings::default(),
            token_limit: RateSettings {
                max: 600,
                window_minutes: 1,
            },
            follow_up_token_minutes: 15,
        }
    }
}
