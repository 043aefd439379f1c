//! `GET /cases/<id>/identity`: the denouncer's identity, for an inspector whose request a
//! custodian approved (the request itself is posted from the case page, `super::actions`).
//! 404 without a request of the viewer's own approved within the last
//! [`super::originals::ACCESS_HOURS`] hours; every view is audited.

use rocket::{get, State};
use rocket_dyn_templates::Template;
use serde::Serialize;

use super::access::Viewer;
use super::service;
use crate::auth::{Authorized, Investigators};
use crate::case_management::reference_of;
use crate::domain::ids::CaseId;
use crate::domain::report::ReporterIdentity;
use crate::web::error::AppResult;
use crate::web::page::PageCtx;
use crate::web::state::AppState;

/// The case the identity belongs to.
#[derive(Serialize)]
struct CaseLink {
    id: CaseId,
    reference: String,
}

/// The page `cases/identity`.
#[derive(Serialize)]
pub struct IdentityView {
    case: CaseLink,
    identity: ReporterIdentity,
}

#[get("/cases/<id>/identity")]
pub async fn show_identity(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
) -> AppResult<Template> {
    let viewer = Viewer::of(state.db.conn(), user.user.clone()).await?;
    let (case, identity) = service::open_identity(state, &viewer, id).await?;
    let view = IdentityView {
        case: CaseLink {
            id,
            reference: reference_of(&case),
        },
        identity,
    };
    Ok(page.render("cases/identity", view))
}
