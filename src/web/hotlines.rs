//! The corporations' customer-care hotlines as pages show them: all of them in every page's
//! footer (read by `PageCtx` on each request), and the one of the corporation a report's unit
//! belongs to on the receipt and status pages (`public_reporting`). Numbers are kept on
//! `org_unit.hotline` (shipped in the reference data, edited by admins on `/admin/units`).
//! Error pages are rendered where nothing can wait for the database, so they show the list the
//! last page read ([`LastShown`], managed state), never an older edit than that.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use crate::domain::org::UnitKind;
use crate::domain::phone::{Hotline, HotlineNumber};
use crate::platform::persistence::entities::org_unit;
use crate::web::error::AppResult;
use crate::web::i18n::Lang;

/// One unit's hotline numbers with the unit's code and name.
#[derive(Debug, Clone, Serialize)]
pub struct HotlineView {
    pub code: String,
    pub name: String,
    pub numbers: Vec<HotlineNumber>,
}

fn view(unit: &org_unit::Model, lang: Lang) -> Option<HotlineView> {
    let hotline = Hotline::from_stored(unit.hotline.as_deref())?;
    Some(HotlineView {
        code: unit.code.clone(),
        name: lang.pick(&unit.name_vi, &unit.name_en),
        numbers: hotline.numbers(),
    })
}

/// The footer's corporations as a page last read them, for the error pages.
#[derive(Debug, Default)]
pub struct LastShown(std::sync::RwLock<Vec<org_unit::Model>>);

impl LastShown {
    /// The hotlines the last page showed.
    pub fn views(&self, lang: Lang) -> Vec<HotlineView> {
        match self.0.read() {
            Ok(units) => units.iter().filter_map(|u| view(u, lang)).collect(),
            Err(_) => Vec::new(),
        }
    }

    fn remember(&self, units: &[org_unit::Model]) {
        if let Ok(mut last) = self.0.write() {
            *last = units.to_vec();
        }
    }
}

/// The hotlines of the corporations still open, in the tree's shipped order; remembered in
/// `last` for the error pages.
pub async fn of_corporations<C: ConnectionTrait>(
    conn: &C,
    lang: Lang,
    today: chrono::NaiveDate,
    last: Option<&LastShown>,
) -> AppResult<Vec<HotlineView>> {
    let units: Vec<org_unit::Model> = org_unit::Entity::find()
        .filter(org_unit::Column::Kind.eq(UnitKind::Corporation.as_str()))
        .filter(org_unit::Column::Hotline.is_not_null())
        .order_by_asc(org_unit::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .filter(|u| !crate::domain::org::is_closed(u.active_to, today))
        .collect();
    if let Some(last) = last {
        last.remember(&units);
    }
    Ok(units.iter().filter_map(|u| view(u, lang)).collect())
}

/// The hotline of the corporation `unit_id` belongs to (itself or the nearest corporation
/// above it), when it has one.
pub async fn of_unit<C: ConnectionTrait>(
    conn: &C,
    unit_id: i32,
    lang: Lang,
) -> AppResult<Option<HotlineView>> {
    let units = crate::web::units::all_units(conn).await?;
    Ok(corporation_of(&units, unit_id).and_then(|u| view(u, lang)))
}

/// The unit itself or the nearest corporation above it.
fn corporation_of(units: &HashMap<i32, org_unit::Model>, unit_id: i32) -> Option<&org_unit::Model> {
    let mut current = units.get(&unit_id);
    // Bounded by the number of units, so a corrupt cycle cannot loop forever.
    for _ in 0..=units.len() {
        let unit = current?;
        if unit.kind == UnitKind::Corporation.as_str() {
            return Some(unit);
        }
        current = unit.parent_id.and_then(|id| units.get(&id));
    }
    None
}
