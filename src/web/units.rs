//! The org-unit tree as the report form shows it: one group per corporation, units indented by
//! depth, filterable by a diacritics-insensitive text query (works without JavaScript); and a
//! unit's path from the top of the tree, as every page names a unit.

use std::collections::HashMap;

use serde::Serialize;

use crate::domain::text::fold;
use sea_orm::EntityTrait;

use crate::platform::persistence::entities::org_unit;
use crate::web::error::AppResult;
use crate::web::i18n::Lang;
use crate::web::state::AppState;

#[derive(Debug, Clone, Serialize)]
pub struct UnitOption {
    pub id: i32,
    pub label: String,
    pub depth: usize,
    /// The folded path, used by the optional script filter.
    pub search: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitGroup {
    pub label: String,
    pub options: Vec<UnitOption>,
}

/// Active units grouped under their corporation (the group level forms its own group).
pub fn grouped(units: &[org_unit::Model], lang: Lang, query: &str) -> Vec<UnitGroup> {
    let name = |u: &org_unit::Model| match lang {
        Lang::Vi => u.name_vi.clone(),
        Lang::En => u.name_en.clone(),
    };
    let mut children: HashMap<Option<i32>, Vec<&org_unit::Model>> = HashMap::new();
    for unit in units {
        children.entry(unit.parent_id).or_default().push(unit);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| a.code.cmp(&b.code));
    }
    let needle = fold(query.trim());
    let mut groups = Vec::new();
    for root in children.get(&None).cloned().unwrap_or_default() {
        let mut root_group = UnitGroup {
            label: name(root),
            options: Vec::new(),
        };
        push_option(&mut root_group, root, 0, &name, &needle, &name(root));
        groups.push(root_group);
        for top in children.get(&Some(root.id)).cloned().unwrap_or_default() {
            let mut group = UnitGroup {
                label: name(top),
                options: Vec::new(),
            };
            let mut stack = vec![(top, 0usize, name(top))];
            while let Some((unit, depth, path)) = stack.pop() {
                push_option(&mut group, unit, depth, &name, &needle, &path);
                if let Some(kids) = children.get(&Some(unit.id)) {
                    for kid in kids.iter().rev() {
                        stack.push((kid, depth + 1, format!("{path} › {}", name(kid))));
                    }
                }
            }
            groups.push(group);
        }
    }
    groups.retain(|g| !g.options.is_empty());
    groups
}

fn push_option(
    group: &mut UnitGroup,
    unit: &org_unit::Model,
    depth: usize,
    name: &impl Fn(&org_unit::Model) -> String,
    needle: &str,
    path: &str,
) {
    let search = fold(path);
    if needle.is_empty() || search.contains(needle) {
        group.options.push(UnitOption {
            id: unit.id,
            label: format!("{}{}", "— ".repeat(depth), name(unit)),
            depth,
            search,
        });
    }
}

/// "EVN › EVNHANOI › Công ty Điện lực Hoàn Kiếm" for a unit, from the reference data in
/// memory (`web::reference`).
pub async fn unit_path(state: &AppState, unit_id: i32, lang: Lang) -> AppResult<String> {
    let catalogue = state
        .reference
        .current(&state.db, state.clock.today())
        .await;
    Ok(catalogue.unit_path(unit_id, lang))
}

/// The employer issuing an official document about `unit_id` — the unit or the nearest one above it
/// that is a company, corporation or the group (offices and district units are not employers)
/// — and the unit above that, as the header of an official document names them.
pub async fn issuing_units<C: sea_orm::ConnectionTrait>(
    conn: &C,
    unit_id: i32,
) -> AppResult<(Option<String>, Option<String>)> {
    let units = all_units(conn).await?;
    let (employer, parent) = employer_of(&units, unit_id);
    Ok((
        employer.map(|u| u.name_vi.clone()),
        parent.map(|p| p.name_vi.clone()),
    ))
}

/// Every unit by id.
pub async fn all_units<C: sea_orm::ConnectionTrait>(
    conn: &C,
) -> AppResult<HashMap<i32, org_unit::Model>> {
    Ok(org_unit::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect())
}

/// The employer of `unit_id` (itself or the nearest company, corporation or group above it)
/// and the unit above that.
pub fn employer_of(
    units: &HashMap<i32, org_unit::Model>,
    unit_id: i32,
) -> (Option<&org_unit::Model>, Option<&org_unit::Model>) {
    let mut current = units.get(&unit_id);
    // Bounded by the number of units, so a corrupt cycle cannot loop forever.
    for _ in 0..units.len() {
        match current {
            Some(unit) if !matches!(unit.kind.as_str(), "company" | "corporation" | "group") => {
                match unit.parent_id.and_then(|id| units.get(&id)) {
                    Some(parent) => current = Some(parent),
                    None => break,
                }
            }
            _ => break,
        }
    }
    let parent = current
        .and_then(|u| u.parent_id)
        .and_then(|id| units.get(&id));
    (current, parent)
}
