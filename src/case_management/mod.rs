//! What inspectors and team leads do: the inbox of their teams' cases, the case page, the
//! workflow actions, messages and internal notes, linking related cases, and asking the
//! custodian for a denouncer's identity. URL prefix `/cases`.
//!
//! Invariants: a case is visible only to members of its current team who are not excluded by a
//! conflict of interest; anything else answers 404. Every action writes the new state, a
//! timeline event, an audit entry and the reporter-visible message in one transaction.

pub mod access;
pub mod actions;
pub mod alerts;
pub mod api;
pub mod api_scopes;
pub mod case_page;
pub mod commendations;
pub mod custodian;
pub mod deadline_alerts;
pub mod documents;
pub mod evidence;
pub mod files;
pub mod identity_page;
pub mod inbox;
pub mod inbox_page;
pub mod intake;
pub mod name_keys;
pub mod names;
pub mod originals;
pub mod overview;
pub mod ratings;
pub mod retention;
pub mod routes;
pub mod search;
pub mod service;
pub mod staff_link;

use crate::domain::case_ref::CaseRef;
use crate::platform::persistence::entities::case_file;

/// `PA-2026-000123` for a case.
pub fn reference_of(case: &case_file::Model) -> String {
    CaseRef::of(case.report_id, case.received_at).to_string()
}
