//! The rules every audience shares, free of Rocket and sea-orm: receipt codes, case references
//! and typed ids, case status and the workflow table, the working-day calendar and legal
//! clocks, routing, roles, validated report input, what an evidence file may be, the culture
//! code, the internal labour regulations and the Labour Code's discipline rules. Pure, and
//! unit-tested with fixed dates.

pub mod calendar;
pub mod case_ref;
pub mod category;
pub mod conflict;
pub mod culture_code;
pub mod directory;
pub mod discipline;
pub mod evidence;
pub mod ids;
pub mod labour_rule;
pub mod org;
pub mod phone;
pub mod procedure;
pub mod receipt;
pub mod report;
pub mod retention;
pub mod roles;
pub mod routing;
pub mod spreadsheet;
pub mod status;
pub mod suppression;
pub mod text;
pub mod track;
pub mod workflow;
