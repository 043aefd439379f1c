//! What a customer can do without an account: read how reporting works, file a report
//! (anonymous tip or named denunciation), get a receipt code, and follow the report with it.
//!
//! URL prefix: `/`, `/report`, `/follow-up`, and the operators' `/intake` (`intake`). Invariants: the receipt code never appears in a URL
//! or a log and is shown exactly once; nothing about the reporter's connection is stored; a
//! report is committed with everything it needs before its receipt is shown.

pub mod api;
mod api_flow;
pub mod api_types;
pub mod commend;
mod disclosure;
pub mod files;
pub mod forms;
pub mod intake;
pub mod my_data;
pub mod privacy_notice;
pub mod rating;
pub mod routes;
pub mod service;
pub mod status;
mod uploads;
mod views;

pub use routes::routes;
