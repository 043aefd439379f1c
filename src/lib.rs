//! EVN conduct portal: customers report misconduct by electricity staff, inspection teams
//! investigate, leadership watches trends. See ARCHITECTURE.md for the map.
//!
//! Ten rooms. `domain` (pure rules) and `platform` (infrastructure) are at the bottom, `web`
//! (request plumbing) and `auth` (who is asking) above them, the five audience slices above
//! those, and `app` assembles everything. Imports only point down (`.ci/module-graph.py`).

pub mod admin;
pub mod analytics;
pub mod app;
pub mod auth;
pub mod case_management;
pub mod discipline;
pub mod domain;
pub mod platform;
pub mod public_reporting;
pub mod web;
