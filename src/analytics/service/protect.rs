//! Which figures of one dashboard request are withheld, decided once for the page, its charts
//! and its CSV/XLSX files (`dashboard.rs` makes every cell through [`Protection`]).
//!
//! The rule is `domain::suppression`'s, applied to the org tree (ARCHITECTURE.md, "Suppression
//! that holds"):
//! - A figure is *protected* when it describes a unit below corporation level: every figure when
//!   the scope is a company or below, the company rows and unit × category cells when the scope
//!   is a corporation. Corporation-level and group-level figures stay exact.
//! - A family is the children of one unit (plus the unit's own reports when it is below
//!   corporation level). In a month its members are shown all or none: only when the unit is
//!   shown and no member has a count of 1–4 anywhere in its bundle — totals, every category,
//!   the differences between them, commendations, measures by form.
//! - The scope is shown in a month when every family on its way up to the corporation is; its
//!   rows one level down when, besides, its own family is. A figure over several months is shown
//!   when it is shown in each month.
//!
//! The decision reads the detail of the whole corporation and every category
//! (`sums::Detail`), never the request's filters, so every view of a unit decides alike: no
//! combination of scopes, category filters, periods or files gives back a withheld figure.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::sums::{Detail, Filters, Sums};
use crate::analytics::metrics::{Counters, Month};
use crate::analytics::tree::OrgTree;
use crate::domain::discipline::KINDS;
use crate::domain::suppression::{family_shown, is_clean, period_shown};

/// What a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fig {
    Received,
    Accepted,
    Open,
    Overdue,
    Declined,
    Concluded,
    Closed,
    OnTime,
    Ratings,
    Praise,
    Decisions,
}

/// Where a figure stands in the request's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pos {
    /// The scope as a whole (summary).
    Total,
    /// One row of the months table: the scope in that month.
    Month(Month),
    /// One unit row (a child of the scope, or the scope itself for reports about it).
    Group(i32),
    Category(i32),
    /// An article row, by its index in `Reference::articles`.
    Article(usize),
    /// Unit × category.
    Cell(i32, i32),
    /// A measure form, by its index in `domain::discipline::KINDS`.
    Kind(usize),
    /// An intake channel, by its position in the channels table.
    Channel(usize),
}

/// The request's decision: which positions are protected and which are withheld.
#[derive(Debug, Default)]
pub struct Protection {
    scope_fine: bool,
    fine_groups: HashSet<i32>,
    /// The months of the period in which the scope's own figures are withheld.
    scope_withheld: BTreeSet<Month>,
    /// Whether the rows one level down are withheld (in some month of the period).
    groups_withheld: bool,
}

impl Protection {
    /// Whether small counts are withheld at `pos`.
    pub fn protects(&self, pos: Pos) -> bool {
        match pos {
            Pos::Group(g) | Pos::Cell(g, _) => self.scope_fine || self.fine_groups.contains(&g),
            _ => self.scope_fine,
        }
    }

    /// Whether `fig` at `pos` is withheld. Every figure of a position goes together.
    pub fn hides(&self, _fig: Fig, pos: Pos) -> bool {
        if !self.protects(pos) {
            return false;
        }
        match pos {
            Pos::Month(month) => self.scope_withheld.contains(&month),
            Pos::Group(_) | Pos::Cell(..) => self.groups_withheld,
            _ => !self.scope_withheld.is_empty(),
        }
    }
}

/// Decides what the request may show; `groups` are its unit rows.
pub fn protect(tree: &OrgTree, filters: &Filters, sums: &Sums, groups: &[i32]) -> Protection {
    let fine = |id: i32| tree.get(id).is_some_and(|u| u.fine_grained());
    let scope = filters.unit_id;
    let mut protection = Protection {
        scope_fine: fine(scope),
        fine_groups: groups.iter().copied().filter(|g| fine(*g)).collect(),
        ..Protection::default()
    };
    if !protection.scope_fine && protection.fine_groups.is_empty() {
        return protection;
    }
    let months = filters.from.through(filters.to);
    let Some(detail) = &sums.detail else {
        // Nothing to decide on: everything protected is withheld.
        protection.scope_withheld = months.into_iter().collect();
        protection.groups_withheld = true;
        return protection;
    };
    let bundles = Bundles::collect(detail);
    // The families above the scope, up to its corporation, and the scope's own.
    let above: Vec<Family> = (tree.path(scope).windows(2))
        .filter(|pair| pair[1].fine_grained())
        .map(|pair| Family::of(tree, pair[0].id))
        .collect();
    let own = Family::of(tree, scope);
    let mut groups_shown = Vec::new();
    for month in months {
        let shown = above.iter().all(|family| family.shown_in(&bundles, month));
        if !shown {
            protection.scope_withheld.insert(month);
        }
        groups_shown.push(shown && own.shown_in(&bundles, month));
    }
    protection.groups_withheld = !period_shown(groups_shown);
    protection
}

/// One unit's own figures in one month (reports about it, not about units under it).
#[derive(Default, Clone)]
struct Bundle {
    /// Category → counters, open cases past due, decisions by form.
    parts: HashMap<i32, Part>,
    praise: i64,
    /// (category, intake channel) → reports received.
    channels: HashMap<(i32, String), i64>,
}

#[derive(Default, Clone, Copy)]
struct Part {
    counters: Counters,
    overdue: i64,
    kinds: [i64; KINDS.len()],
}

impl Part {
    fn plus(self, other: Part) -> Part {
        let mut kinds = self.kinds;
        for (k, n) in kinds.iter_mut().zip(other.kinds) {
            *k += n;
        }
        Part {
            counters: self.counters.plus(other.counters),
            overdue: self.overdue + other.overdue,
            kinds,
        }
    }

    /// Every count a page shows or implies about this part.
    fn counts(&self) -> Vec<i64> {
        let c = &self.counters;
        let settled = c.received - c.open - c.closed;
        let mut out = vec![
            c.received,
            c.accepted,
            c.received - c.accepted,
            c.open,
            self.overdue,
            c.open - self.overdue,
            c.closed,
            c.closed_on_time,
            c.closed - c.closed_on_time,
            c.declined,
            c.concluded,
            settled,
            settled - c.declined - c.concluded,
            c.rating_count,
            self.kinds.iter().sum(),
        ];
        out.extend(self.kinds);
        out
    }
}

impl Bundle {
    fn add(&mut self, other: &Bundle) {
        for (category, part) in &other.parts {
            let mine = self.parts.entry(*category).or_default();
            *mine = mine.plus(*part);
        }
        self.praise += other.praise;
        for (key, n) in &other.channels {
            *self.channels.entry(key.clone()).or_default() += n;
        }
    }

    /// No count of 1–4, for the unit as a whole or in any category, nor by intake channel
    /// (in each category and over all of them).
    fn clean(&self) -> bool {
        let total = self.parts.values().fold(Part::default(), |a, p| a.plus(*p));
        let mut by_channel: HashMap<&str, i64> = HashMap::new();
        for ((_, channel), n) in &self.channels {
            *by_channel.entry(channel.as_str()).or_default() += n;
        }
        is_clean(std::iter::once(self.praise).chain(total.counts()))
            && self.parts.values().all(|p| is_clean(p.counts()))
            && is_clean(self.channels.values().copied())
            && is_clean(by_channel.into_values())
    }
}

/// Month → unit → its own bundle.
struct Bundles(HashMap<Month, HashMap<i32, Bundle>>);

impl Bundles {
    fn collect(detail: &Detail) -> Self {
        fn part(
            out: &mut HashMap<Month, HashMap<i32, Bundle>>,
            (month, unit, category): (Month, i32, i32),
        ) -> &mut Part {
            let bundle = out.entry(month).or_default().entry(unit).or_default();
            bundle.parts.entry(category).or_default()
        }
        let mut out: HashMap<Month, HashMap<i32, Bundle>> = HashMap::new();
        for (month, unit, category, c) in &detail.cells {
            let p = part(&mut out, (*month, *unit, *category));
            p.counters = p.counters.plus(*c);
        }
        for (month, unit, category, n) in &detail.overdue {
            part(&mut out, (*month, *unit, *category)).overdue += n;
        }
        for (month, unit, category, kind, n) in &detail.measures {
            if let Some(k) = KINDS.iter().position(|known| known == kind) {
                part(&mut out, (*month, *unit, *category)).kinds[k] += n;
            }
        }
        for (month, unit, category, channel, n) in &detail.channels {
            let bundle = out.entry(*month).or_default().entry(*unit).or_default();
            *bundle
                .channels
                .entry((*category, channel.clone()))
                .or_default() += n;
        }
        for (month, unit, n) in &detail.praise {
            out.entry(*month)
                .or_default()
                .entry(*unit)
                .or_default()
                .praise += n;
        }
        Self(out)
    }
}

/// The children of one unit (and the unit's own reports, below corporation level): unit →
/// the member it counts in.
struct Family {
    member_of: HashMap<i32, i32>,
}

impl Family {
    fn of(tree: &OrgTree, parent: i32) -> Self {
        let mut member_of = HashMap::new();
        if tree.get(parent).is_some_and(|u| u.fine_grained()) {
            member_of.insert(parent, parent);
        }
        for child in tree.children(parent) {
            for unit in tree.subtree_of(*child) {
                member_of.insert(unit, *child);
            }
        }
        Self { member_of }
    }

    /// Whether the members are all clean in `month`.
    fn shown_in(&self, bundles: &Bundles, month: Month) -> bool {
        let Some(units) = bundles.0.get(&month) else {
            return true;
        };
        let mut members: HashMap<i32, Bundle> = HashMap::new();
        for (unit, bundle) in units {
            if let Some(member) = self.member_of.get(unit) {
                members.entry(*member).or_default().add(bundle);
            }
        }
        family_shown(true, members.values().map(Bundle::clean))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::tree::tests_support::tree_of;

    fn counters(received: i64, closed: i64, on_time: i64) -> Counters {
        Counters {
            received,
            accepted: received,
            open: received - closed,
            closed,
            closed_on_time: on_time,
            ..Counters::default()
        }
    }

    /// Corporation 10 with companies 100 and 101, each with offices ×10 and ×10 + 1.
    fn detail(cells: &[(i32, i32, Counters)]) -> Sums {
        let m = Month(202603);
        Sums {
            detail: Some(Detail {
                cells: cells.iter().map(|(u, c, n)| (m, *u, *c, *n)).collect(),
                ..Detail::default()
            }),
            ..Sums::default()
        }
    }

    fn filters(unit: i32) -> Filters {
        Filters {
            from: Month(202603),
            to: Month(202603),
            unit_id: unit,
            category_id: None,
        }
    }

    #[test]
    fn one_small_company_withholds_every_company_and_everything_under_them() {
        let tree = tree_of(10, &[100, 101]);
        // Company 101 holds 3 reports: 100's 10, although clean, goes with it.
        let sums = detail(&[(1000, 1, counters(10, 5, 5)), (1010, 1, counters(3, 0, 0))]);
        let corporation = protect(&tree, &filters(10), &sums, &[100, 101]);
        assert!(corporation.hides(Fig::Received, Pos::Group(100)));
        assert!(corporation.hides(Fig::Received, Pos::Group(101)));
        assert!(!corporation.hides(Fig::Received, Pos::Total), "exact");
        // The clean company's own page withholds its total and its offices too.
        let company = protect(&tree, &filters(100), &sums, &[1000, 1001]);
        assert!(company.hides(Fig::Received, Pos::Total));
        assert!(company.hides(Fig::Received, Pos::Month(Month(202603))));
        assert!(company.hides(Fig::Received, Pos::Group(1000)));
    }

    #[test]
    fn an_implied_difference_of_one_to_four_withholds_the_family() {
        let tree = tree_of(10, &[100, 101]);
        // 100: 9 closed, 7 on time: 2 late, which the share would give back.
        let sums = detail(&[(1000, 1, counters(9, 9, 7)), (1010, 1, counters(5, 5, 5))]);
        let corporation = protect(&tree, &filters(10), &sums, &[100, 101]);
        assert!(corporation.hides(Fig::Closed, Pos::Group(101)));
    }

    #[test]
    fn a_small_count_in_one_category_withholds_the_family_under_every_filter() {
        let tree = tree_of(10, &[100, 101]);
        let sums = detail(&[
            (1000, 1, counters(10, 5, 5)),
            (1000, 2, counters(2, 0, 0)),
            (1010, 1, counters(6, 0, 0)),
        ]);
        let with_filter = Filters {
            category_id: Some(1),
            ..filters(10)
        };
        let corporation = protect(&tree, &with_filter, &sums, &[100, 101]);
        assert!(corporation.hides(Fig::Received, Pos::Group(101)));
        assert!(corporation.hides(Fig::Received, Pos::Cell(100, 1)));
    }

    #[test]
    fn clean_families_are_shown_down_to_the_offices() {
        let tree = tree_of(10, &[100, 101]);
        let sums = detail(&[
            (1000, 1, counters(10, 5, 5)),
            (1001, 1, counters(0, 0, 0)),
            (1010, 2, counters(6, 0, 0)),
        ]);
        let company = protect(&tree, &filters(100), &sums, &[1000, 1001]);
        assert!(!company.hides(Fig::Received, Pos::Total));
        assert!(!company.hides(Fig::Received, Pos::Group(1000)));
        assert!(company.protects(Pos::Group(1000)));
    }

    #[test]
    fn a_small_count_through_one_channel_withholds_the_family() {
        let tree = tree_of(10, &[100, 101]);
        let mut sums = detail(&[(1000, 1, counters(10, 5, 5)), (1010, 1, counters(8, 8, 8))]);
        if let Some(d) = sums.detail.as_mut() {
            let m = Month(202603);
            d.channels.push((m, 1000, 1, "web".into(), 8));
            d.channels.push((m, 1000, 1, "hotline".into(), 2));
            d.channels.push((m, 1010, 1, "web".into(), 8));
        }
        let corporation = protect(&tree, &filters(10), &sums, &[100, 101]);
        assert!(corporation.hides(Fig::Received, Pos::Group(101)));
        let company = protect(&tree, &filters(101), &sums, &[1010]);
        assert!(company.hides(Fig::Received, Pos::Channel(0)));
        assert!(!corporation.hides(Fig::Received, Pos::Channel(0)), "exact");
    }

    #[test]
    fn a_month_withheld_withholds_the_period_but_not_the_other_month() {
        let tree = tree_of(10, &[100, 101]);
        let mut sums = detail(&[(1000, 1, counters(10, 5, 5)), (1010, 1, counters(8, 8, 8))]);
        if let Some(d) = sums.detail.as_mut() {
            d.cells.push((Month(202604), 1010, 1, counters(1, 0, 0)));
        }
        let period = Filters {
            to: Month(202604),
            ..filters(100)
        };
        let company = protect(&tree, &period, &sums, &[1000]);
        assert!(!company.hides(Fig::Received, Pos::Month(Month(202603))));
        assert!(company.hides(Fig::Received, Pos::Month(Month(202604))));
        assert!(company.hides(Fig::Received, Pos::Total));
        assert!(company.hides(Fig::Received, Pos::Group(1000)));
    }
}
