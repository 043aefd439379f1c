//! Logging through `tracing`. The default filter keeps the portal's own events and silences
//! the database driver's statement logs. No log line carries a reporter's address,
//! User-Agent or form fields (see `web::headers`).

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_env("CONDUCT_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,rocket=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .try_init();
}

/// The same, writing through the test harness so a test's lines show only when it fails.
pub fn init_for_tests() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new("info,sqlx=warn,sea_orm=warn,rocket=warn"))
        .with_target(false)
        .with_test_writer()
        .try_init();
}
