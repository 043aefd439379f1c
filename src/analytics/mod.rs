//! What leadership sees, and what everyone may see: aggregates only.
//!
//! Who: leadership (`/dashboard`, `Authorized<Leaders>`), everyone (`/transparency`, no
//! sign-in). The dashboard shows, for a period of months and an org subtree (optionally one
//! category), the volumes, clocks, outcomes, satisfaction and commendations of the reports
//! received in that period, with trends by month, drill-down through the org tree, breakdowns
//! by category and culture-code article, a unit × category table, server-drawn SVG charts and
//! CSV/XLSX export of every table (each export audited).
//!
//! Invariants:
//! - Nothing here reads a report's text, a name or a message: every figure comes from the
//!   rollups (`rollups.rs`), which hold counters only.
//! - Rollups change only inside the transaction that changes a report (submission, every
//!   workflow action, a reporter's visit, a rating), through [`rollups::Tracker`]; the
//!   dashboard never scans reports, so its cost does not grow with their number.
//! - Below corporation level a count of 1–4 is withheld ("x"), and so is every figure from
//!   which it could be worked out by any combination of pages, filters, periods and files: the
//!   units one level below a parent are shown all or none in each month, decided on the whole
//!   corporation and every category; a figure over several months is shown only when shown in
//!   each (`service::protect`, `domain::suppression`); withheld rows are ordered by name; shares
//!   are blank when they would give back a count of 1–4. On the public page counts of 1–4 read
//!   "<5" (`table::Rule`). One decision serves the page, the files and the charts alike.
//! - Definitions of every figure: `metrics.rs`.
//!
//! Layout: `routes` (handlers) → `view` (what a request reads, the typed page view) →
//! `filters` (the query string) and `service` (sums, names, tables); `download` and `export`
//! make the audited files; `table` and `charts` shape cells and SVG; `transparency` is the
//! public page and its cache.

pub mod api;
pub mod channels;
pub mod charts;
pub mod download;
pub mod export;
pub mod filters;
pub mod metrics;
pub mod published;
pub mod rollups;
pub mod routes;
pub mod service;
pub mod table;
pub mod transparency;
pub mod tree;
pub mod view;

pub use routes::routes;
