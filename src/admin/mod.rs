//! What an admin can do: staff accounts and inspection teams, the org-unit tree, violation
//! categories, the versioned culture code and the internal labour regulations it is set out
//! in, the staff directory, routing rules, public holidays, canned replies, intake channels and
//! the JSON API's integration tokens. URL prefix `/admin`; every route takes
//! `Authorized<Admins>` (the record of processing, `privacy`, also admits auditors), every
//! change is audited in the same transaction.

pub mod api_tokens;
pub mod articles;
pub mod audit_trail;
pub mod canned_replies;
pub mod categories;
pub mod channels;
pub mod holidays;
pub mod labour_rules;
pub mod notifications;
pub mod privacy;
pub mod routing_rules;
pub mod staff;
pub mod staff_import;
pub mod switches;
pub mod teams;
pub mod unique;
pub mod units;
pub mod users;

use rocket::Route;

pub fn routes() -> Vec<Route> {
    let mut routes = Vec::new();
    routes.extend(users::routes());
    routes.extend(api_tokens::routes());
    routes.extend(teams::routes());
    routes.extend(units::routes());
    routes.extend(categories::routes());
    routes.extend(articles::routes());
    routes.extend(labour_rules::routes());
    routes.extend(staff::routes());
    routes.extend(routing_rules::routes());
    routes.extend(holidays::routes());
    routes.extend(canned_replies::routes());
    routes.extend(channels::routes());
    routes.extend(privacy::routes());
    routes.extend(notifications::routes());
    routes.extend(switches::routes());
    routes
}
