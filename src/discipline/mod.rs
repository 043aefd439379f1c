//! Disciplinary outcomes under the EVN culture code, with the Labour Code 2019 enforced.
//!
//! Who and where:
//! - **Inspectors and team leads** of the case's team (`/cases/<id>/discipline…`, guarded by
//!   `Authorized<Investigators>` plus [`load_case`](crate::case_management::access::load_case),
//!   so other teams and excluded members get 404): record a finding per accused staff member
//!   (violation date, culture-code article versions in force that day), the decision per
//!   (case, staff member), its appeal, and print the decision record (always Vietnamese).
//! - **Team leads and leadership** (`/staff-history`): a staff member's findings and measures
//!   over time, active or cleared, with a repeat-violation flag. Anyone else gets 404; team
//!   leads see the staff of their teams' units only; every view is audited.
//! - **Admins** (`/admin/measures`): the list of internal, non-disciplinary measures.
//! - **Reporters** read, on the follow-up page, the conclusion and whether measures were taken
//!   ([`service::reporter_outcome`]), never who was disciplined.
//!
//! Invariants: findings and decisions exist only for cases concluded as substantiated or partly
//! substantiated; one measure per violation (a finding is handled by at most one decision);
//! several violations handled together get only the heaviest measure; the limitation,
//! protected-state, minutes and internal-labour-regulation rules of
//! [`crate::domain::discipline`] are checked inside the transaction that stores the decision,
//! together with a copy of the regulation articles it cites (edited on `/admin/labour-rules`
//! by the admin slice); every change writes its audit entry in the same transaction.

pub mod decision_form;
pub mod history;
pub mod measures;
pub mod print;
pub mod routes;
pub mod service;
pub mod views;

use rocket::Route;

/// Every route of the slice.
pub fn routes() -> Vec<Route> {
    let mut all = routes::routes();
    all.extend(print::routes());
    all.extend(history::routes());
    all.extend(measures::routes());
    all
}
