//! Web plumbing shared by every slice: language, CSRF, security headers and request ids,
//! error pages, the page context every template receives, throttling of guessable forms.

pub mod catchers;
pub mod csrf;
pub mod headers;
pub mod i18n;
pub mod page;
pub mod throttle;
