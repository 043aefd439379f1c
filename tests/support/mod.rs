//! Shared by every test file: `app` (a fresh portal per test), `browser` (pages, forms, sign-in)
//! `fixtures` (accounts, teams, records and files to start from), `postgres` (the template and
//! per-test databases when `TEST_DATABASE_URL` is set) and `sinks` (SMTP and HTTP
//! servers on loopback that keep what they receive).

mod app;
mod browser;
mod fixtures;
mod postgres;
mod s3;
mod sinks;

pub use app::*;
pub use browser::*;
pub use fixtures::*;
pub use s3::*;
pub use sinks::*;
