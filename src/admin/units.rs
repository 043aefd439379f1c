//! Admin screens (in progress).

use rocket::{routes, Route};

pub fn routes() -> Vec<Route> {
    routes![]
}
