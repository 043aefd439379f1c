//! Logging through `tracing`. The default filter keeps the portal's own events and silences
//! the database driver's statement logs. No log line carries a reporter's address,
//! User-Agent or form fields (see `web::headers`).

use tracing_subscriber::EnvFilter;

/// The default filter. Rocket's request-time lines (`rocket::server::_`, e.g. "No matching
/// routes for GET /staff/setup/<the token>?…") carry the raw path and query, so they are off:
/// the portal's own request line names the matched route's pattern instead.
pub const DEFAULT_FILTER: &str = "info,sqlx=warn,sea_orm=warn,rocket=warn,rocket::server::_=off";

pub fn init() {
    let filter =
        EnvFilter::try_from_env("CONDUCT_LOG").unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .try_init();
}

/// The same, writing through the test harness so a test's lines show only when it fails.
pub fn init_for_tests() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(DEFAULT_FILTER))
        .with_target(false)
        .with_test_writer()
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing::Level;
    use tracing_subscriber::prelude::*;

    #[test]
    fn rockets_raw_path_lines_are_off_and_the_portals_own_errors_stay() {
        let subscriber = tracing_subscriber::registry().with(EnvFilter::new(DEFAULT_FILTER));
        tracing::subscriber::with_default(subscriber, || {
            assert!(!tracing::event_enabled!(target: "rocket::server::_", Level::ERROR));
            assert!(tracing::event_enabled!(target: "rocket::launch", Level::WARN));
            assert!(tracing::event_enabled!(target: "conduct_portal::web", Level::ERROR));
            assert!(!tracing::event_enabled!(target: "sqlx::query", Level::INFO));
        });
    }
}
