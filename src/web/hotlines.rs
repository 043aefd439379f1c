//! The corporations' customer-care hotlines as pages show them: all of them in every page's
//! footer (through `PageCtx`), and the one of the corporation a report's unit belongs to on the
//! receipt and status pages (`public_reporting`). Numbers are kept on `org_unit.hotline`
//! (shipped in the reference data, edited by admins on `/admin/units`) and read from the
//! reference data in memory (`web::reference`), so neither a footer nor an error page waits for
//! the database.

use serde::Serialize;

use crate::domain::phone::HotlineNumber;
use crate::web::i18n::Lang;
use crate::web::state::AppState;

/// One unit's hotline numbers with the unit's code and name.
#[derive(Debug, Clone, Serialize)]
pub struct HotlineView {
    pub code: String,
    pub name: String,
    pub numbers: Vec<HotlineNumber>,
}

/// The hotlines of the corporations still open, in the tree's shipped order.
pub async fn of_corporations(state: &AppState, lang: Lang) -> Vec<HotlineView> {
    let catalogue = state
        .reference
        .current(&state.db, state.clock.today())
        .await;
    catalogue.hotlines(lang).to_vec()
}

/// The hotline of the corporation `unit_id` belongs to (itself or the nearest corporation
/// above it), when it has one.
pub async fn of_unit(state: &AppState, unit_id: i32, lang: Lang) -> Option<HotlineView> {
    let catalogue = state
        .reference
        .current(&state.db, state.clock.today())
        .await;
    catalogue.hotline_of_unit(unit_id, lang)
}
