//! Request plumbing shared by every slice, with no audience of its own: the state handlers
//! share, language, CSRF, security headers and request ids, the error type and its pages, the
//! page context every template receives, pages of long lists, typed path ids, dates as people
//! read them, form errors, the unit tree as forms show it, upload messages, the audited
//! deactivate/reactivate switch, throttling of guessable forms, the retention periods and
//! notice version as the privacy pages show them, and `/healthz`.
//!
//! Invariants: depends only on `platform` and `domain`; never logs an address, a User-Agent, a
//! query string or a form field.

pub mod api;
pub mod assets;
pub mod catchers;
pub mod csrf;
pub mod error;
pub mod format;
pub mod forms;
pub mod headers;
pub mod health;
pub mod hotlines;
pub mod i18n;
pub mod page;
pub mod pagination;
pub mod params;
pub mod privacy;
pub mod proxy;
pub mod rate;
pub mod reference;
pub mod state;
pub mod switch;
pub mod throttle;
pub mod units;
pub mod upload;
