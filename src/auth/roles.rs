//! Every set of roles a route can admit, in one place: opening this file answers "who may
//! do what". A route states its set in its signature (`Authorized<Investigators>`); areas that
//! hold cases refuse with 404 so that nothing about a case is revealed.

use rocket::http::Status;

use super::guards::RoleSet;
use crate::domain::roles::Role;

/// Admins: users, teams, org units, categories, the culture code.
pub struct Admins;
impl RoleSet for Admins {
    const ROLES: &'static [Role] = &[Role::Admin];
}

/// Auditors: the audit trail.
pub struct Auditors;
impl RoleSet for Auditors {
    const ROLES: &'static [Role] = &[Role::Auditor];
}

/// Admins and auditors: the record of processing (`/admin/privacy`), which admins keep and
/// auditors check the portal against.
pub struct PrivacyReaders;
impl RoleSet for PrivacyReaders {
    const ROLES: &'static [Role] = &[Role::Admin, Role::Auditor];
}

/// Identity custodians.
pub struct Custodians;
impl RoleSet for Custodians {
    const ROLES: &'static [Role] = &[Role::Custodian];
}

/// Team leads only (the clocks overview).
pub struct TeamLeads;
impl RoleSet for TeamLeads {
    const ROLES: &'static [Role] = &[Role::TeamLead];
    const REFUSAL: Status = Status::NotFound;
}

/// Inspectors and team leads: the case-handling roles.
pub struct Investigators;
impl RoleSet for Investigators {
    const ROLES: &'static [Role] = &[Role::Inspector, Role::TeamLead];
    const REFUSAL: Status = Status::NotFound;
}

/// Team leads (their teams' cases) and admins (every case): retention and legal holds.
pub struct RetentionKeepers;
impl RoleSet for RetentionKeepers {
    const ROLES: &'static [Role] = &[Role::TeamLead, Role::Admin];
    const REFUSAL: Status = Status::NotFound;
}

/// Team leads and leadership: the roles that read staff histories.
pub struct HistoryReaders;
impl RoleSet for HistoryReaders {
    const ROLES: &'static [Role] = &[Role::TeamLead, Role::Leadership];
}

/// Call-centre operators: intake of a caller's report and look-up by receipt code
/// (`/intake`); they hold no case afterwards.
pub struct Operators;
impl RoleSet for Operators {
    const ROLES: &'static [Role] = &[Role::Operator];
}

/// Leadership: the dashboard.
pub struct Leaders;
impl RoleSet for Leaders {
    const ROLES: &'static [Role] = &[Role::Leadership];
}
