//! Shared by every test file: `app` (a fresh portal per test), `browser` (pages, forms, sign-in)
//! and `fixtures` (accounts, teams, records and files to start from).

mod app;
mod browser;
mod fixtures;

pub use app::*;
pub use browser::*;
pub use fixtures::*;
