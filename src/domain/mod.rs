//! The rules every audience shares, free of Rocket and sea-orm: receipt codes, case status,
//! validated report input. Pure and unit-tested.

pub mod calendar;
pub mod culture_code;
pub mod discipline;
pub mod receipt;
pub mod report;
pub mod roles;
pub mod routing;
pub mod status;
pub mod text;
pub mod workflow;
