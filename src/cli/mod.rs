//! The binary's command modules (not the library's: `main.rs` declares them). Each wraps
//! library functions with what only a terminal needs: arguments, progress bars, messages and
//! exit codes.

pub mod api_token;
pub mod audit;
pub mod backup;
pub mod health;
