//! Which figures of one dashboard request are withheld, decided once for the page, its charts
//! and its CSV/XLSX files (`dashboard.rs` makes every cell through [`Protection`]).
//!
//! The rule (ARCHITECTURE.md, "Suppression that holds"):
//! - A figure is *protected* when it describes a unit below corporation level: every figure when
//!   the scope is a company or below, the company rows and unit × category cells when the scope
//!   is a corporation. Corporation-level and group-level figures stay exact.
//! - Months are the blocks. For every month of the period, the request's linked tables — total,
//!   unit rows, category rows, article rows, unit × category cells, the measures — form one
//!   `domain::suppression::Sheet` with every sum that ties them, plus the implied differences a
//!   reader could compute (received − open − closed, open − overdue, closed − closed on time,
//!   received − accepted); primary and complementary suppression run on it to a fixed point.
//! - A figure over several months is shown only when it is shown in *every* month of the period.
//!   So every number on any page is a sum of numbers shown for single months, and any difference
//!   of two periods is a sum of whole months each of which is 0 or withheld-safe: no combination
//!   of views with different periods tells more than the single months do, and no single month
//!   lets a count of 1–4 be worked out.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::sums::{Filters, Sums};
use crate::analytics::metrics::{Counters, Month};
use crate::analytics::tree::OrgTree;
use crate::domain::discipline::KINDS;
use crate::domain::suppression::{Figure, Sheet};

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
    /// Implied only (never shown): closed late, declined or concluded, open and not overdue,
    /// never accepted.
    Late,
    Settled,
    OnTrack,
    Unaccepted,
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
}

/// The rows of one request's tables.
pub struct Layout<'a> {
    pub groups: &'a [i32],
    pub categories: Vec<i32>,
    /// The categories citing each article.
    pub articles: Vec<Vec<i32>>,
}

/// The request's decision: which positions are protected and which figures are withheld.
#[derive(Debug, Default)]
pub struct Protection {
    scope_fine: bool,
    fine_groups: HashSet<i32>,
    hidden: HashSet<(Fig, Pos)>,
}

impl Protection {
    /// Whether small counts are withheld at `pos`.
    pub fn protects(&self, pos: Pos) -> bool {
        match pos {
            Pos::Group(g) | Pos::Cell(g, _) => self.scope_fine || self.fine_groups.contains(&g),
            _ => self.scope_fine,
        }
    }

    pub fn hides(&self, fig: Fig, pos: Pos) -> bool {
        self.hidden.contains(&(fig, pos))
    }
}

/// Decides what the request may show. `group_of` maps a reported unit to its row.
pub fn protect(
    tree: &OrgTree,
    filters: &Filters,
    sums: &Sums,
    layout: &Layout,
    group_of: &dyn Fn(i32) -> Option<i32>,
) -> Protection {
    let fine = |id: i32| tree.get(id).is_some_and(|u| u.fine_grained());
    let mut protection = Protection {
        scope_fine: fine(filters.unit_id),
        fine_groups: layout.groups.iter().copied().filter(|g| fine(*g)).collect(),
        hidden: HashSet::new(),
    };
    let Some(detail) = &sums.detail else {
        return protection;
    };
    if !protection.scope_fine && protection.fine_groups.is_empty() {
        return protection;
    }
    let mut blocks: BTreeMap<Month, Block> = BTreeMap::new();
    for (month, unit, category, c) in &detail.cells {
        if let Some(g) = group_of(*unit) {
            let cell = blocks
                .entry(*month)
                .or_default()
                .cells
                .entry((g, *category));
            let cell = cell.or_default();
            *cell = cell.plus(*c);
        }
    }
    for (month, unit, category, n) in &detail.overdue {
        if let Some(g) = group_of(*unit) {
            let block = blocks.entry(*month).or_default();
            *block.overdue.entry((g, *category)).or_default() += n;
        }
    }
    for (month, unit, n) in &sums.commendations {
        if let Some(g) = group_of(*unit) {
            *blocks
                .entry(*month)
                .or_default()
                .praise
                .entry(g)
                .or_default() += n;
        }
    }
    for (month, kind, n) in &detail.measures {
        if let Some(k) = KINDS.iter().position(|known| known == kind) {
            *blocks
                .entry(*month)
                .or_default()
                .measures
                .entry(k)
                .or_default() += n;
        }
    }
    for (month, block) in &blocks {
        for (fig, pos) in block.withheld(&protection, layout) {
            if pos == Pos::Total {
                protection.hidden.insert((fig, Pos::Month(*month)));
            }
            protection.hidden.insert((fig, pos));
        }
    }
    protection
}

/// One month of the request's figures, by row.
#[derive(Default)]
struct Block {
    /// (group, category) → counters.
    cells: HashMap<(i32, i32), Counters>,
    overdue: HashMap<(i32, i32), i64>,
    praise: HashMap<i32, i64>,
    measures: HashMap<usize, i64>,
}

/// A sheet under construction, its figures named by (what, where).
struct Builder<'a> {
    sheet: Sheet,
    index: HashMap<(Fig, Pos), usize>,
    protection: &'a Protection,
}

impl Builder<'_> {
    fn add(&mut self, fig: Fig, pos: Pos, value: i64) -> usize {
        let protected = self.protection.protects(pos);
        let mut base = match pos {
            Pos::Cell(..) => 0,
            Pos::Group(_) | Pos::Kind(_) => 1,
            Pos::Category(_) | Pos::Article(_) => 2,
            Pos::Total | Pos::Month(_) => 3,
        };
        // A share is cheaper to withhold than any count, even at corporation level: only the
        // percentage goes.
        if fig == Fig::OnTime {
            base = 0;
        }
        let published = !matches!(
            fig,
            Fig::Late | Fig::Settled | Fig::OnTrack | Fig::Unaccepted
        );
        let i = self.sheet.add(Figure {
            value,
            protected,
            published,
            cost: if protected || fig == Fig::OnTime {
                base
            } else {
                base + 4
            },
        });
        self.index.insert((fig, pos), i);
        i
    }

    fn at(&self, fig: Fig, pos: Pos) -> usize {
        self.index[&(fig, pos)]
    }

    /// `fig` at `total` is the sum of `fig` at `parts`.
    fn tie(&mut self, fig: Fig, total: Pos, parts: &[Pos]) {
        let parts = parts.iter().map(|p| self.at(fig, *p)).collect();
        let total = self.at(fig, total);
        self.sheet.sum(total, parts);
    }
}

impl Block {
    /// The published figures this month withholds.
    fn withheld(&self, protection: &Protection, layout: &Layout) -> Vec<(Fig, Pos)> {
        let mut b = Builder {
            sheet: Sheet::new(),
            index: HashMap::new(),
            protection,
        };
        let cell = |g: i32, c: i32| {
            let counters = self.cells.get(&(g, c)).copied().unwrap_or_default();
            (counters, self.overdue.get(&(g, c)).copied().unwrap_or(0))
        };
        let add = |a: (Counters, i64), b: (Counters, i64)| (a.0.plus(b.0), a.1 + b.1);
        let zero = (Counters::default(), 0);
        let groups: Vec<Pos> = layout.groups.iter().map(|g| Pos::Group(*g)).collect();
        let categories: Vec<Pos> = layout
            .categories
            .iter()
            .map(|c| Pos::Category(*c))
            .collect();
        let mut rows: Vec<(Pos, (Counters, i64))> = Vec::new();
        let total = (layout.groups.iter())
            .flat_map(|g| layout.categories.iter().map(move |c| (*g, *c)))
            .fold(zero, |acc, (g, c)| add(acc, cell(g, c)));
        rows.push((Pos::Total, total));
        for g in layout.groups {
            let sum = (layout.categories.iter()).fold(zero, |acc, c| add(acc, cell(*g, *c)));
            rows.push((Pos::Group(*g), sum));
        }
        let by_category: HashMap<i32, (Counters, i64)> = (layout.categories.iter())
            .map(|c| {
                let sum = (layout.groups.iter()).fold(zero, |acc, g| add(acc, cell(*g, *c)));
                (*c, sum)
            })
            .collect();
        for c in &layout.categories {
            rows.push((Pos::Category(*c), by_category[c]));
        }
        let mut articles: Vec<(Pos, Vec<Pos>)> = Vec::new();
        for (i, cited_by) in layout.articles.iter().enumerate() {
            let cats: Vec<i32> = (layout.categories.iter())
                .copied()
                .filter(|c| cited_by.contains(c))
                .collect();
            if cats.is_empty() {
                continue;
            }
            let sum = cats.iter().fold(zero, |acc, c| add(acc, by_category[c]));
            rows.push((Pos::Article(i), sum));
            articles.push((
                Pos::Article(i),
                cats.into_iter().map(Pos::Category).collect(),
            ));
        }
        // Each row's own figures and the differences a reader could take between them.
        for (pos, (c, overdue)) in &rows {
            let pos = *pos;
            let received = b.add(Fig::Received, pos, c.received);
            let open = b.add(Fig::Open, pos, c.open);
            let over = b.add(Fig::Overdue, pos, overdue.to_owned());
            let on_track = b.add(Fig::OnTrack, pos, c.open - overdue);
            let closed = b.add(Fig::Closed, pos, c.closed);
            let on_time = b.add(Fig::OnTime, pos, c.closed_on_time);
            let late = b.add(Fig::Late, pos, c.closed - c.closed_on_time);
            let settled = b.add(Fig::Settled, pos, c.received - c.open - c.closed);
            b.sheet.sum(received, vec![open, closed, settled]);
            b.sheet.sum(open, vec![over, on_track]);
            b.sheet.sum(closed, vec![on_time, late]);
            if pos == Pos::Total {
                let declined = b.add(Fig::Declined, pos, c.declined);
                let concluded = b.add(Fig::Concluded, pos, c.concluded);
                let accepted = b.add(Fig::Accepted, pos, c.accepted);
                let unaccepted = b.add(Fig::Unaccepted, pos, c.received - c.accepted);
                b.add(Fig::Ratings, pos, c.rating_count);
                b.sheet.sum(settled, vec![declined, concluded]);
                b.sheet.sum(received, vec![accepted, unaccepted]);
            }
        }
        // The sums that tie the rows.
        for fig in [
            Fig::Received,
            Fig::Open,
            Fig::Overdue,
            Fig::Closed,
            Fig::OnTime,
        ] {
            b.tie(fig, Pos::Total, &groups);
            b.tie(fig, Pos::Total, &categories);
            for (article, cats) in &articles {
                b.tie(fig, *article, cats);
            }
        }
        for g in layout.groups {
            for c in &layout.categories {
                b.add(Fig::Received, Pos::Cell(*g, *c), cell(*g, *c).0.received);
            }
            let cells: Vec<Pos> = layout
                .categories
                .iter()
                .map(|c| Pos::Cell(*g, *c))
                .collect();
            b.tie(Fig::Received, Pos::Group(*g), &cells);
        }
        for c in &layout.categories {
            let cells: Vec<Pos> = layout.groups.iter().map(|g| Pos::Cell(*g, *c)).collect();
            b.tie(Fig::Received, Pos::Category(*c), &cells);
        }
        let praise: i64 = self.praise.values().sum();
        b.add(Fig::Praise, Pos::Total, praise);
        for g in layout.groups {
            b.add(
                Fig::Praise,
                Pos::Group(*g),
                self.praise.get(g).copied().unwrap_or(0),
            );
        }
        b.tie(Fig::Praise, Pos::Total, &groups);
        if protection.protects(Pos::Total) {
            let kinds: Vec<Pos> = (0..KINDS.len()).map(Pos::Kind).collect();
            b.add(Fig::Decisions, Pos::Total, self.measures.values().sum());
            for (k, pos) in kinds.iter().enumerate() {
                b.add(
                    Fig::Decisions,
                    *pos,
                    self.measures.get(&k).copied().unwrap_or(0),
                );
            }
            b.tie(Fig::Decisions, Pos::Total, &kinds);
        }
        let withheld = b.sheet.suppress(&[]);
        b.index
            .into_iter()
            .filter(|(_, i)| withheld[*i] && b.sheet.figure(*i).published)
            .map(|(key, _)| key)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One company holds all of the corporation's reports of a month, one of them open: the
    /// corporation's "1 open" stays exact, so the company's figures that would tell the open
    /// case is its own go, and so do those of a partner company, while the totals stay.
    #[test]
    fn a_company_holding_all_of_its_corporation_cannot_give_its_one_open_case_away() {
        let protection = Protection {
            scope_fine: false,
            fine_groups: HashSet::from([1, 2, 3]),
            hidden: HashSet::new(),
        };
        let layout = Layout {
            groups: &[1, 2, 3],
            categories: vec![10],
            articles: vec![vec![10], vec![10, 11]],
        };
        let mut block = Block::default();
        block.cells.insert(
            (1, 10),
            Counters {
                received: 8,
                open: 1,
                closed: 7,
                closed_on_time: 5,
                accepted: 7,
                ..Counters::default()
            },
        );
        block.overdue.insert((1, 10), 1);
        let hidden: HashSet<(Fig, Pos)> =
            block.withheld(&protection, &layout).into_iter().collect();
        for fig in [Fig::Received, Fig::Open, Fig::Overdue, Fig::Closed] {
            assert!(hidden.contains(&(fig, Pos::Group(1))), "{fig:?}");
            assert!(!hidden.contains(&(fig, Pos::Total)), "{fig:?} total");
        }
        let partners = [2, 3]
            .iter()
            .filter(|g| hidden.contains(&(Fig::Open, Pos::Group(**g))));
        assert_eq!(
            partners.count(),
            1,
            "one partner company is withheld with it"
        );
    }
}
