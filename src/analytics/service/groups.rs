//! The sums regrouped for the dashboard's tables: by the unit one level below the scope (the
//! unit rows, in the order they are shown) and by category. Used by `dashboard.rs`.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

use super::protect::{Fig, Pos, Protection};
use super::sums::{Filters, Sums};
use crate::analytics::metrics::Counters;
use crate::analytics::tree::OrgTree;
use crate::web::i18n::Lang;

/// The row a reported unit counts in: the scope itself, or its child towards the unit.
pub fn group_of(tree: &OrgTree, filters: &Filters, unit: i32) -> Option<i32> {
    if unit == filters.unit_id {
        Some(unit)
    } else {
        tree.child_towards(filters.unit_id, unit)
    }
}

/// The sums regrouped by the unit one level below the scope (or the scope unit itself, for
/// reports about it), ranked most reports first.
#[derive(Default)]
pub struct UnitGroups {
    /// (group, counters), most reports first: "which units had the most … ?"
    pub ranked: Vec<(i32, Counters)>,
    /// (group, category) → reports received.
    pub heat: HashMap<(i32, i32), i64>,
    pub overdue: HashMap<i32, i64>,
    pub histograms: HashMap<i32, BTreeMap<i32, i64>>,
    pub praise: HashMap<i32, i64>,
}

impl UnitGroups {
    pub fn collect(tree: &OrgTree, filters: &Filters, sums: &Sums) -> Self {
        let group_of = |unit: i32| group_of(tree, filters, unit);
        let mut out = Self::default();
        let mut cells: HashMap<i32, Counters> = HashMap::new();
        for ((unit, category), c) in &sums.cells {
            if let Some(group) = group_of(*unit) {
                let entry = cells.entry(group).or_default();
                *entry = entry.plus(*c);
                *out.heat.entry((group, *category)).or_default() += c.received;
            }
        }
        for (unit, _, n) in &sums.overdue {
            if let Some(group) = group_of(*unit) {
                *out.overdue.entry(group).or_default() += n;
            }
        }
        for (unit, bucket, n) in &sums.histogram_by_unit {
            if let Some(group) = group_of(*unit) {
                let histogram = out.histograms.entry(group).or_default();
                *histogram.entry(*bucket).or_default() += n;
            }
        }
        for (_, unit, n) in &sums.commendations {
            if let Some(group) = group_of(*unit) {
                *out.praise.entry(group).or_default() += n;
            }
        }
        out.ranked = out.rank(tree, filters, &cells);
        out
    }

    /// The children of the scope, plus the scope itself when reports or praise are about it.
    fn rank(
        &self,
        tree: &OrgTree,
        filters: &Filters,
        cells: &HashMap<i32, Counters>,
    ) -> Vec<(i32, Counters)> {
        let mut groups: Vec<i32> = tree.children(filters.unit_id).to_vec();
        if cells.contains_key(&filters.unit_id) || self.praise.contains_key(&filters.unit_id) {
            groups.insert(0, filters.unit_id);
        }
        let mut ranked: Vec<(i32, Counters)> = groups
            .iter()
            .map(|g| (*g, cells.get(g).copied().unwrap_or_default()))
            .collect();
        ranked.sort_by_key(|(g, c)| (Reverse(c.received), tree.get(*g).map(|u| u.code.clone())));
        ranked
    }

    /// Shown rows most reports first; rows whose count is withheld after them by name, so
    /// the order says nothing about a withheld count.
    pub fn order(&mut self, tree: &OrgTree, lang: Lang, protection: &Protection) {
        self.ranked.sort_by_cached_key(|(g, c)| {
            let name = tree.get(*g).map(|u| u.name(lang).to_string());
            if protection.hides(Fig::Received, Pos::Group(*g)) {
                (1, 0, name)
            } else {
                (0, -c.received, name)
            }
        });
    }
}

/// The sums regrouped by category (all units of the scope).
pub struct CategoryTotals {
    pub cells: HashMap<i32, Counters>,
    pub overdue: HashMap<i32, i64>,
}

impl CategoryTotals {
    pub fn collect(sums: &Sums) -> Self {
        let mut cells: HashMap<i32, Counters> = HashMap::new();
        for ((_, category), c) in &sums.cells {
            let entry = cells.entry(*category).or_default();
            *entry = entry.plus(*c);
        }
        let mut overdue: HashMap<i32, i64> = HashMap::new();
        for (_, category, n) in &sums.overdue {
            *overdue.entry(*category).or_default() += n;
        }
        Self { cells, overdue }
    }
}
