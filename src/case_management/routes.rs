//! The routes of `/cases` in one list (mounted by `app`): inbox, team-lead overview, case page,
//! the case page's forms, and the identity page. Each screen lives in its own module.

use rocket::{routes, Route};

use super::{actions, case_page, identity_page, inbox_page, overview};

/// Opens a report's sealed identity (kept here for the tests that call it by this path).
pub use super::service::reveal_identity;

/// Every `/cases` route of this module's screens.
pub fn routes() -> Vec<Route> {
    routes![
        inbox_page::show_inbox,
        overview::show_overview,
        super::retention::page::show_retention,
        super::retention::page::set_hold,
        super::retention::page::lift_hold,
        case_page::show_case,
        actions::perform_action,
        actions::post_message,
        actions::link_case,
        actions::request_identity,
        identity_page::show_identity,
    ]
}
