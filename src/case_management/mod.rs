//! What inspectors and team leads do: the inbox of their teams' cases, the case page, the
//! workflow actions, messages and internal notes, linking related cases, and asking the
//! custodian for a denouncer's identity. URL prefix `/cases`.
//!
//! Invariants: a case is visible only to members of its current team who are not excluded by a
//! conflict of interest; anything else answers 404. Every action writes the new state, a
//! timeline event, an audit entry and the reporter-visible message in one transaction.

pub mod access;
pub mod commendations;
pub mod inbox;
pub mod intake;
pub mod routes;
pub mod service;
pub mod staff_link;

use crate::auth::RoleSet;
use crate::domain::roles::Role;

/// Inspectors and team leads: the case-handling roles.
pub struct Investigators;
impl RoleSet for Investigators {
    const ROLES: &'static [Role] = &[Role::Inspector, Role::TeamLead];
    const REFUSAL: rocket::http::Status = rocket::http::Status::NotFound;
}

/// A case's human reference, e.g. `PA-2026-000123`.
pub fn reference(report_id: i32, received_year: i32) -> String {
    format!("PA-{received_year}-{report_id:06}")
}

/// Reads a typed reference back to a report id (`PA-2026-000123`, `2026-123` or `123`).
pub fn parse_reference(text: &str) -> Option<i32> {
    text.trim()
        .rsplit('-')
        .next()
        .and_then(|tail| tail.trim().parse::<i32>().ok())
        .filter(|id| *id > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_round_trip() {
        assert_eq!(reference(123, 2026), "PA-2026-000123");
        assert_eq!(parse_reference("PA-2026-000123"), Some(123));
        assert_eq!(parse_reference(" 45 "), Some(45));
        assert_eq!(parse_reference("PA-2026-abc"), None);
    }
}
