//! What an admin can do: staff accounts and inspection teams, the org-unit tree, violation
//! categories and the versioned culture code. URL prefix `/admin`; every route takes
//! `Authorized<Admins>`, every change is audited in the same transaction.

pub mod articles;
pub mod categories;
pub mod teams;
pub mod units;
pub mod users;

use rocket::Route;

pub fn routes() -> Vec<Route> {
    let mut routes = Vec::new();
    routes.extend(users::routes());
    routes.extend(teams::routes());
    routes.extend(units::routes());
    routes.extend(categories::routes());
    routes.extend(articles::routes());
    routes
}
