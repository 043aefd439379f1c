//! What the `/admin/units` pages show: the tree in order with each unit's kind and status, and
//! the typed view of each page (list, new, edit, move, deactivate). Built from models already
//! read; the `load` functions read what their page needs through [`super::service`].

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use super::service::{self, Blocked};
use crate::domain::ids::UnitId;
use crate::domain::org::{creates_cycle, is_closed, UnitInput, UnitKind};
use crate::domain::report::FieldErrors;
use crate::platform::persistence::entities::org_unit;
use crate::web::error::{AppError, AppResult};
use crate::web::format::show_date;
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::state::AppState;

/// Units in tree order with their depth: roots first, children by code under their parent.
/// Units under a missing parent count as roots; a cycle is never followed twice.
pub fn tree_order(units: &[org_unit::Model]) -> Vec<(&org_unit::Model, usize)> {
    let ids: HashSet<i32> = units.iter().map(|u| u.id).collect();
    let mut children: HashMap<Option<i32>, Vec<&org_unit::Model>> = HashMap::new();
    for unit in units {
        let parent = unit.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(unit);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| b.code.cmp(&a.code));
    }
    let mut out = Vec::with_capacity(units.len());
    let mut seen = HashSet::new();
    let mut stack: Vec<(&org_unit::Model, usize)> = children
        .get(&None)
        .map(|roots| roots.iter().map(|u| (*u, 0)).collect())
        .unwrap_or_default();
    while let Some((unit, depth)) = stack.pop() {
        if !seen.insert(unit.id) {
            continue;
        }
        out.push((unit, depth));
        if let Some(kids) = children.get(&Some(unit.id)) {
            stack.extend(kids.iter().map(|kid| (*kid, depth + 1)));
        }
    }
    out
}

fn kind_label(lang: Lang, kind: &str) -> String {
    UnitKind::parse(kind)
        .map(|k| lang.t(k.label_key()))
        .unwrap_or_else(|| kind.to_string())
}

fn status_label(lang: Lang, unit: &org_unit::Model, today: NaiveDate) -> String {
    match (unit.active_from, unit.active_to) {
        (_, Some(last)) if is_closed(Some(last), today) => {
            lang.t_args("admin-unit-status-closed", &[("date", show_date(last))])
        }
        (_, Some(last)) => lang.t_args("admin-unit-status-closing", &[("date", show_date(last))]),
        (Some(from), None) if from > today => {
            lang.t_args("admin-unit-status-upcoming", &[("date", show_date(from))])
        }
        _ => lang.t("admin-unit-status-open"),
    }
}

fn unit_name(lang: Lang, unit: &org_unit::Model) -> String {
    lang.pick(&unit.name_vi, &unit.name_en)
}

/// One choice of the kind `<select>`.
#[derive(Debug, Serialize)]
pub struct KindOption {
    pub value: &'static str,
    pub label: String,
}

fn kinds(lang: Lang) -> Vec<KindOption> {
    UnitKind::ALL
        .iter()
        .map(|k| KindOption {
            value: k.as_str(),
            label: lang.t(k.label_key()),
        })
        .collect()
}

/// One choice of a parent `<select>`; the id is text, as the form sends it back.
#[derive(Debug, Serialize)]
pub struct ParentOption {
    pub id: String,
    pub label: String,
}

/// Open units a unit may be placed under, in tree order, minus `exclude` (a unit and its
/// descendants, for a move).
fn parent_options(
    lang: Lang,
    units: &[org_unit::Model],
    today: NaiveDate,
    exclude: &HashSet<i32>,
) -> Vec<ParentOption> {
    tree_order(units)
        .into_iter()
        .filter(|(u, _)| !is_closed(u.active_to, today) && !exclude.contains(&u.id))
        .map(|(u, depth)| ParentOption {
            id: u.id.to_string(),
            label: format!("{}{} ({})", "— ".repeat(depth), unit_name(lang, u), u.code),
        })
        .collect()
}

/// `unit` and everything below it.
fn subtree(units: &[org_unit::Model], unit: i32) -> HashSet<i32> {
    let parent_of: HashMap<i32, Option<i32>> = units.iter().map(|u| (u.id, u.parent_id)).collect();
    units
        .iter()
        .filter(|u| creates_cycle(&parent_of, unit, u.id))
        .map(|u| u.id)
        .collect()
}

/// A unit as every page of the screen shows it.
#[derive(Debug, Serialize)]
pub struct UnitView {
    pub id: i32,
    pub code: String,
    /// The kind's name in the reader's language.
    pub kind: String,
    pub name_vi: String,
    pub name_en: String,
    /// The name in the reader's language.
    pub name: String,
    pub active_from: Option<String>,
    pub status: String,
    pub closed: bool,
    pub has_parent: bool,
}

impl UnitView {
    /// The unit as of `today`.
    pub fn build(lang: Lang, unit: &org_unit::Model, today: NaiveDate) -> Self {
        Self {
            id: unit.id,
            code: unit.code.clone(),
            kind: kind_label(lang, &unit.kind),
            name_vi: unit.name_vi.clone(),
            name_en: unit.name_en.clone(),
            name: unit_name(lang, unit),
            active_from: unit.active_from.map(show_date),
            status: status_label(lang, unit, today),
            closed: is_closed(unit.active_to, today),
            has_parent: unit.parent_id.is_some(),
        }
    }
}

/// A row of the tree table.
#[derive(Debug, Serialize)]
pub struct UnitRow {
    #[serde(flatten)]
    pub unit: UnitView,
    /// Indentation, capped so deep trees stay readable.
    pub depth: usize,
    /// 1 for a root, for screen readers.
    pub level: usize,
}

/// `admin/units/list`: the whole tree.
#[derive(Debug, Serialize)]
pub struct ListView {
    pub units: Vec<UnitRow>,
    pub count: usize,
}

impl ListView {
    /// Every unit in tree order.
    pub async fn load(state: &AppState, lang: Lang) -> AppResult<Self> {
        let today = state.clock.today();
        let units = service::all_units(state).await?;
        let rows = tree_order(&units)
            .into_iter()
            .map(|(unit, depth)| UnitRow {
                unit: UnitView::build(lang, unit, today),
                depth: depth.min(8),
                level: depth + 1,
            })
            .collect();
        Ok(Self {
            units: rows,
            count: units.len(),
        })
    }
}

/// `admin/units/new`: the form to add a unit.
#[derive(Debug, Serialize)]
pub struct NewUnitView {
    pub form: UnitInput,
    pub errors: Value,
    pub kinds: Vec<KindOption>,
    pub parents: Vec<ParentOption>,
}

impl NewUnitView {
    /// The form with `input` and `errors`, offering every open unit as parent.
    pub async fn load(
        state: &AppState,
        lang: Lang,
        input: UnitInput,
        errors: &FieldErrors,
    ) -> AppResult<Self> {
        let units = service::all_units(state).await?;
        Ok(Self {
            form: input,
            errors: translate(lang, errors),
            kinds: kinds(lang),
            parents: parent_options(lang, &units, state.clock.today(), &HashSet::new()),
        })
    }

    /// The empty form: under `parent` when given, active from today.
    pub async fn blank(state: &AppState, lang: Lang, parent: Option<i32>) -> AppResult<Self> {
        let input = UnitInput {
            parent_id: parent.map(|p| p.to_string()).unwrap_or_default(),
            active_from: state.clock.today().format("%Y-%m-%d").to_string(),
            ..Default::default()
        };
        Self::load(state, lang, input, &FieldErrors::new()).await
    }
}

/// `admin/units/edit`: kind and names of one unit.
#[derive(Debug, Serialize)]
pub struct EditUnitView {
    pub unit: UnitView,
    pub form: UnitInput,
    pub errors: Value,
    pub kinds: Vec<KindOption>,
}

impl EditUnitView {
    /// The form for unit `id` with `input` (its stored values when `None`) and `errors`.
    pub async fn load(
        state: &AppState,
        lang: Lang,
        id: UnitId,
        input: Option<UnitInput>,
        errors: &FieldErrors,
    ) -> AppResult<Self> {
        let unit = service::find_unit(state, id).await?;
        let form = input.unwrap_or_else(|| UnitInput {
            kind: unit.kind.clone(),
            name_vi: unit.name_vi.clone(),
            name_en: unit.name_en.clone(),
            hotline: Some(unit.hotline.clone().unwrap_or_default()),
            ..Default::default()
        });
        Ok(Self {
            unit: UnitView::build(lang, &unit, state.clock.today()),
            form,
            errors: translate(lang, errors),
            kinds: kinds(lang),
        })
    }
}

/// The move form's field as typed.
#[derive(Debug, Serialize)]
pub struct MoveInput {
    pub parent_id: String,
}

/// `admin/units/move`: a new parent for one unit.
#[derive(Debug, Serialize)]
pub struct MoveView {
    pub unit: UnitView,
    pub current_parent: Option<String>,
    pub parents: Vec<ParentOption>,
    pub form: MoveInput,
    pub errors: Value,
}

impl MoveView {
    /// The form for unit `id`, with the typed parent (its current parent when `None`), offering
    /// every open unit outside its subtree.
    pub async fn load(
        state: &AppState,
        lang: Lang,
        id: UnitId,
        typed: Option<String>,
        errors: &FieldErrors,
    ) -> AppResult<Self> {
        let units = service::all_units(state).await?;
        let unit = units
            .iter()
            .find(|u| u.id == id.0)
            .ok_or(AppError::NotFound)?;
        let today = state.clock.today();
        let current_parent = unit
            .parent_id
            .and_then(|p| units.iter().find(|u| u.id == p))
            .map(|p| format!("{} ({})", unit_name(lang, p), p.code));
        let parent_id =
            typed.unwrap_or_else(|| unit.parent_id.map(|p| p.to_string()).unwrap_or_default());
        Ok(Self {
            unit: UnitView::build(lang, unit, today),
            current_parent,
            parents: parent_options(lang, &units, today, &subtree(&units, unit.id)),
            form: MoveInput { parent_id },
            errors: translate(lang, errors),
        })
    }
}

/// `admin/units/deactivate`: the confirmation, or why the unit cannot be closed.
#[derive(Debug, Serialize)]
pub struct DeactivateView {
    pub unit: UnitView,
    pub today: String,
    pub already_closed: bool,
    pub open_children: Vec<UnitView>,
    pub can_deactivate: bool,
}

impl DeactivateView {
    /// The page for `unit`, refused for `blocked` when given.
    pub fn build(
        lang: Lang,
        unit: &org_unit::Model,
        today: NaiveDate,
        blocked: Option<&Blocked>,
    ) -> Self {
        let (already_closed, open_children) = match blocked {
            Some(Blocked::AlreadyClosed) => (true, Vec::new()),
            Some(Blocked::OpenChildren(children)) => (
                false,
                children
                    .iter()
                    .map(|c| UnitView::build(lang, c, today))
                    .collect(),
            ),
            None => (false, Vec::new()),
        };
        Self {
            unit: UnitView::build(lang, unit, today),
            today: show_date(today),
            already_closed,
            open_children,
            can_deactivate: blocked.is_none(),
        }
    }

    /// The page for unit `id` as it stands.
    pub async fn load(state: &AppState, lang: Lang, id: UnitId) -> AppResult<Self> {
        let units = service::all_units(state).await?;
        let unit = units
            .iter()
            .find(|u| u.id == id.0)
            .ok_or(AppError::NotFound)?;
        let today = state.clock.today();
        let blocked = service::blocker(&units, unit, today);
        Ok(Self::build(lang, unit, today, blocked.as_ref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(id: i32, parent: Option<i32>, code: &str) -> org_unit::Model {
        let at = chrono::DateTime::<chrono::Utc>::default();
        org_unit::Model {
            id,
            parent_id: parent,
            kind: "company".into(),
            code: code.into(),
            name_vi: code.into(),
            name_en: code.into(),
            active_from: None,
            active_to: None,
            hotline: None,
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn the_tree_lists_children_under_their_parent_by_code() {
        let units = vec![
            model(3, Some(1), "B"),
            model(1, None, "ROOT"),
            model(2, Some(1), "A"),
            model(4, Some(2), "A1"),
        ];
        let order: Vec<(i32, usize)> = tree_order(&units)
            .into_iter()
            .map(|(u, d)| (u.id, d))
            .collect();
        assert_eq!(order, vec![(1, 0), (2, 1), (4, 2), (3, 1)]);
    }
}
