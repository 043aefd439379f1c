//! Small-count suppression that cannot be undone by arithmetic: a *sheet* of figures tied by
//! sums (`total = part + part + …`), some published, some only implied. Used by
//! `analytics::service::protect` for every dashboard table and its CSV/XLSX export.
//!
//! The rule:
//! - **Primary**: a protected figure (below corporation level) of 1–4 is withheld. Zero is shown:
//!   it names nobody.
//! - **Complementary**: a withheld figure must not be recoverable from what is shown. After each
//!   round the sheet is solved as a linear system (every shown figure known, every sum an
//!   equation, plus "parts that add up to 0 are all 0"); while some protected figure of 1–4 —
//!   shown or not, e.g. "received − open − closed" — is determined, one more published figure of
//!   an equation around it is withheld (cheapest first: cells before subtotals before totals,
//!   positive before zero, smaller before larger), to a fixed point.
//! - Every withheld figure reads the same, so a reader cannot tell a primary from a complement.
//!
//! Pure and deterministic: the same sheet always withholds the same figures.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

const EPS: f64 = 1e-9;

/// Counts below this are never shown nor derivable below corporation level.
pub const SMALL_COUNT: i64 = 5;

/// Whether `n` is a count that could single someone out (1–4).
pub fn is_small(n: i64) -> bool {
    (1..SMALL_COUNT).contains(&n)
}

/// One figure of a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figure {
    pub value: i64,
    /// Below corporation level: 1–4 must be neither shown nor derivable.
    pub protected: bool,
    /// Shown unless withheld; an unpublished figure is only implied by the sums.
    pub published: bool,
    /// Which figures go first as complements: lower first.
    pub cost: u8,
}

/// Figures tied by sums.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    figures: Vec<Figure>,
    /// (total, parts): `total = Σ parts`.
    sums: Vec<(usize, Vec<usize>)>,
}

impl Sheet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a figure; returns its index.
    pub fn add(&mut self, figure: Figure) -> usize {
        self.figures.push(figure);
        self.figures.len() - 1
    }

    /// Records `total = Σ parts`.
    pub fn sum(&mut self, total: usize, parts: Vec<usize>) {
        self.sums.push((total, parts));
    }

    pub fn figure(&self, index: usize) -> Figure {
        self.figures[index]
    }

    pub fn len(&self) -> usize {
        self.figures.len()
    }

    pub fn is_empty(&self) -> bool {
        self.figures.is_empty()
    }

    /// Which figures are withheld (unpublished ones always are), primary and complementary
    /// suppression to a fixed point. `forced` are withheld from the start.
    pub fn suppress(&self, forced: &[usize]) -> Vec<bool> {
        let mut withheld: Vec<bool> = self
            .figures
            .iter()
            .map(|f| !f.published || (f.protected && is_small(f.value)))
            .collect();
        for i in forced {
            withheld[*i] = true;
        }
        if !self
            .figures
            .iter()
            .any(|f| f.protected && is_small(f.value))
        {
            return withheld;
        }
        self.pair_up(&mut withheld);
        loop {
            let known = self.determined(&withheld);
            let exposed: Vec<usize> = (0..self.figures.len())
                .filter(|i| {
                    known[*i] && self.figures[*i].protected && is_small(self.figures[*i].value)
                })
                .collect();
            let Some(first) = exposed.first() else {
                return withheld;
            };
            match self.complement_for(*first, &withheld) {
                Some(c) => {
                    withheld[c] = true;
                    self.pair_up(&mut withheld);
                }
                // Nothing left to withhold around it: impossible when the sums hold, since a
                // system with no shown figure determines only zeros.
                None => return withheld,
            }
        }
    }

    /// The classic first pass, cheap: a sum whose only unknown member is a figure of 1–4 gets
    /// its cheapest shown member withheld too, to a fixed point. The solver then finds what
    /// this misses (chains, combinations of sums, zeros pinned by other sums).
    fn pair_up(&self, withheld: &mut [bool]) {
        let key = |i: &usize| {
            let f = self.figures[*i];
            (f.cost, f.value == 0, f.value, *i)
        };
        loop {
            let mut changed = false;
            for (total, parts) in &self.sums {
                let members = || std::iter::once(*total).chain(parts.iter().copied());
                let unknown: Vec<usize> = members().filter(|i| withheld[*i]).collect();
                let protected = unknown.iter().any(|i| self.figures[*i].protected);
                // What a reader gets by subtraction: the one unknown, or the withheld parts
                // of a shown total together (two companies with 3 between them are still 3).
                // Several parts: only another positive part helps (zeros add nothing, and all
                // the positive parts together are the shown total itself).
                let (revealed, several) = match unknown.as_slice() {
                    [] => continue,
                    [only] => (self.figures[*only].value, false),
                    _ if !withheld[*total] => {
                        (unknown.iter().map(|i| self.figures[*i].value).sum(), true)
                    }
                    _ => continue,
                };
                if !(protected && is_small(revealed)) {
                    continue;
                }
                let partner = members()
                    .filter(|i| self.figures[*i].published && !withheld[*i])
                    .filter(|i| !several || (*i != *total && self.figures[*i].value > 0))
                    .min_by_key(key);
                if let Some(partner) = partner {
                    withheld[partner] = true;
                    changed = true;
                }
            }
            if !changed {
                return;
            }
        }
    }

    /// Which figures a reader can work out from the shown ones and the sums.
    pub fn determined(&self, withheld: &[bool]) -> Vec<bool> {
        let mut known: Vec<bool> = withheld.iter().map(|w| !w).collect();
        loop {
            let mut changed = false;
            for (total, parts) in &self.sums {
                let unknown: Vec<usize> = std::iter::once(*total)
                    .chain(parts.iter().copied())
                    .filter(|i| !known[*i])
                    .collect();
                if unknown.len() == 1 {
                    known[unknown[0]] = true;
                    changed = true;
                } else if !unknown.is_empty()
                    && known[*total]
                    && unknown.iter().map(|i| self.figures[*i].value).sum::<i64>() == 0
                {
                    // Non-negative parts adding up to nothing: every one is 0.
                    for i in unknown {
                        known[i] = true;
                    }
                    changed = true;
                }
            }
            if !changed && !self.solve(&mut known) {
                return known;
            }
        }
    }

    /// One elimination over the equations that still tie two or more unknowns; marks what it
    /// determines. Returns whether anything became known. An equation holding an unknown found
    /// in no other equation cannot help with the rest, so it is left out of the elimination and
    /// only asks afterwards whether the rest of it is determined (which determines that unknown).
    fn solve(&self, known: &mut [bool]) -> bool {
        let members = |k: usize| -> Vec<(usize, f64)> {
            let (total, parts) = &self.sums[k];
            let mut out = vec![(*total, 1.0)];
            out.extend(parts.iter().map(|p| (*p, -1.0)));
            out.retain(|(i, _)| !known[*i]);
            out
        };
        let active: Vec<(usize, Vec<(usize, f64)>)> = (0..self.sums.len())
            .map(|k| (k, members(k)))
            .filter(|(_, m)| m.len() >= 2)
            .collect();
        let mut seen: HashMap<usize, usize> = HashMap::new();
        for (_, m) in &active {
            for (i, _) in m {
                *seen.entry(*i).or_default() += 1;
            }
        }
        let (lonely, core): (Vec<_>, Vec<_>) = active
            .into_iter()
            .partition(|(_, m)| m.iter().any(|(i, _)| seen[i] == 1));
        let mut rref = Rref::new();
        for (_, m) in &core {
            rref.insert(m);
        }
        let mut changed = false;
        for row in &rref.rows {
            if let [(only, _)] = row.iter().collect::<Vec<_>>().as_slice() {
                known[**only] = true;
                changed = true;
            }
        }
        for (_, m) in lonely {
            let alone: Vec<usize> = m.iter().map(|(i, _)| *i).filter(|i| seen[i] == 1).collect();
            if let [x] = alone.as_slice() {
                let rest: Vec<(usize, f64)> = m.iter().copied().filter(|(i, _)| i != x).collect();
                if rref.spans(&rest) {
                    known[*x] = true;
                    changed = true;
                }
            }
        }
        changed
    }

    /// The published, still shown figure to withhold so that `exposed` is no longer determined:
    /// among the figures of the equations around it (widening three times through the unknown
    /// ones), the cheapest that alone hides it, else the cheapest of them (more follow).
    fn complement_for(&self, exposed: usize, withheld: &[bool]) -> Option<usize> {
        let key = |i: &usize| {
            let f = self.figures[*i];
            (f.cost, f.value == 0, f.value, *i)
        };
        let mut reached: BTreeSet<usize> = BTreeSet::from([exposed]);
        let mut layers: Vec<Vec<usize>> = Vec::new();
        let mut offered: HashSet<usize> = HashSet::new();
        for _ in 0..3 {
            let members: BTreeSet<usize> = self
                .sums
                .iter()
                .filter(|(t, parts)| {
                    reached.contains(t) || parts.iter().any(|p| reached.contains(p))
                })
                .flat_map(|(t, parts)| std::iter::once(*t).chain(parts.iter().copied()))
                .collect();
            let mut layer: Vec<usize> = members
                .iter()
                .copied()
                .filter(|i| self.figures[*i].published && !withheld[*i] && offered.insert(*i))
                .collect();
            layer.sort_by_key(key);
            layers.push(layer);
            reached.extend(members);
        }
        let mut tried: Vec<usize> = layers.concat();
        tried.sort_by_key(key);
        for candidate in tried.iter().take(4) {
            let mut trial = withheld.to_vec();
            trial[*candidate] = true;
            if !self.determined(&trial)[exposed] {
                return Some(*candidate);
            }
        }
        tried.first().copied().or_else(|| {
            (0..self.figures.len())
                .filter(|i| self.figures[*i].published && !withheld[*i])
                .min_by_key(key)
        })
    }
}

/// A row-reduced echelon form built one equation at a time, rows kept sparse (the equations
/// name few figures each).
struct Rref {
    rows: Vec<BTreeMap<usize, f64>>,
    /// Pivot column → its row.
    pivots: HashMap<usize, usize>,
}

impl Rref {
    fn new() -> Self {
        Self {
            rows: Vec::new(),
            pivots: HashMap::new(),
        }
    }

    /// The equation reduced by the rows so far (no pivot column left in it).
    fn reduced(&self, members: &[(usize, f64)]) -> BTreeMap<usize, f64> {
        let mut row: BTreeMap<usize, f64> = BTreeMap::new();
        for (i, coefficient) in members {
            *row.entry(*i).or_default() += coefficient;
        }
        let hits: Vec<(usize, f64)> = row
            .iter()
            .filter_map(|(c, v)| self.pivots.get(c).map(|r| (*r, *v)))
            .collect();
        // Pivot rows hold no other pivot column, so one pass clears them all.
        for (r, factor) in hits {
            for (c, q) in &self.rows[r] {
                *row.entry(*c).or_default() -= factor * q;
            }
        }
        row.retain(|_, v| v.abs() > EPS);
        row
    }

    fn insert(&mut self, members: &[(usize, f64)]) {
        let mut row = self.reduced(members);
        let Some((pivot, p)) = row
            .iter()
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
            .map(|(c, v)| (*c, *v))
        else {
            return;
        };
        for v in row.values_mut() {
            *v /= p;
        }
        for other in self.rows.iter_mut() {
            if let Some(factor) = other.get(&pivot).copied() {
                for (c, q) in &row {
                    *other.entry(*c).or_default() -= factor * q;
                }
                other.retain(|_, v| v.abs() > EPS);
            }
        }
        self.pivots.insert(pivot, self.rows.len());
        self.rows.push(row);
    }

    /// Whether the combination is a combination of the rows (so a reader can compute it).
    fn spans(&self, members: &[(usize, f64)]) -> bool {
        self.reduced(members).is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(value: i64) -> Figure {
        Figure {
            value,
            protected: true,
            published: true,
            cost: 0,
        }
    }

    fn total(value: i64) -> Figure {
        Figure {
            value,
            protected: false,
            published: true,
            cost: 9,
        }
    }

    /// A column of `cells` under an exact total.
    fn column(cells: &[i64]) -> (Sheet, usize, Vec<usize>) {
        let mut sheet = Sheet::new();
        let t = sheet.add(total(cells.iter().sum()));
        let parts: Vec<usize> = cells.iter().map(|v| sheet.add(cell(*v))).collect();
        sheet.sum(t, parts.clone());
        (sheet, t, parts)
    }

    #[test]
    fn a_lone_small_cell_under_a_total_takes_the_next_smallest_with_it() {
        let (sheet, t, parts) = column(&[12, 3, 7, 30]);
        let withheld = sheet.suppress(&[]);
        assert!(!withheld[t], "the exact total stays");
        assert_eq!(
            parts.iter().map(|p| withheld[*p]).collect::<Vec<_>>(),
            [false, true, true, false],
            "3 primary, 7 its complement"
        );
        let known = sheet.determined(&withheld);
        assert!(!known[parts[1]] && !known[parts[2]]);
    }

    #[test]
    fn zero_is_shown_and_never_preferred_as_a_complement() {
        let (sheet, _, parts) = column(&[0, 2, 0, 9]);
        let withheld = sheet.suppress(&[]);
        assert_eq!(
            parts.iter().map(|p| withheld[*p]).collect::<Vec<_>>(),
            [false, true, false, true]
        );
        // Only zeros to pair with: a zero is withheld, and two unknowns adding up to 2 stay unknown.
        let (sheet, _, parts) = column(&[0, 2]);
        let withheld = sheet.suppress(&[]);
        assert!(withheld[parts[0]] && withheld[parts[1]]);
        assert!(!sheet.determined(&withheld)[parts[1]]);
    }

    #[test]
    fn nothing_small_withholds_nothing() {
        let (sheet, _, _) = column(&[5, 0, 12]);
        assert!(sheet.suppress(&[]).iter().all(|w| !w));
    }

    #[test]
    fn a_two_way_table_with_margins_holds_after_the_fixed_point() {
        // rows: 2 groups × 3 categories; row totals protected, column totals exact.
        let values = [[6, 2, 9], [5, 8, 7]];
        let mut sheet = Sheet::new();
        let grand = sheet.add(total(37));
        let cells: Vec<Vec<usize>> = values
            .iter()
            .map(|row| row.iter().map(|v| sheet.add(cell(*v))).collect())
            .collect();
        let rows: Vec<usize> = values
            .iter()
            .map(|row| {
                sheet.add(Figure {
                    cost: 1,
                    ..cell(row.iter().sum())
                })
            })
            .collect();
        let cols: Vec<usize> = (0..3)
            .map(|c| sheet.add(total(values[0][c] + values[1][c])))
            .collect();
        for (r, row) in rows.iter().enumerate() {
            sheet.sum(*row, cells[r].clone());
        }
        for (c, col) in cols.iter().enumerate() {
            sheet.sum(*col, vec![cells[0][c], cells[1][c]]);
        }
        sheet.sum(grand, rows.clone());
        sheet.sum(grand, cols.clone());
        let withheld = sheet.suppress(&[]);
        let known = sheet.determined(&withheld);
        assert!(withheld[cells[0][1]]);
        assert!(!known[cells[0][1]], "the 2 cannot be worked out");
        // Its column partner and a row partner go too (a 2 × 2 rectangle at least).
        assert!(withheld[cells[1][1]]);
        assert!((0..3).filter(|c| withheld[cells[0][*c]]).count() >= 2);
        for c in 0..3 {
            assert!(!withheld[cols[c]], "exact column totals stay");
        }
    }

    #[test]
    fn an_implied_difference_of_one_to_four_is_protected_too() {
        // closed = on time + late, late unpublished: 9 closed, 7 on time would reveal 2 late.
        let mut sheet = Sheet::new();
        let closed = sheet.add(Figure { cost: 1, ..cell(9) });
        let on_time = sheet.add(cell(7));
        let late = sheet.add(Figure {
            published: false,
            ..cell(2)
        });
        sheet.sum(closed, vec![on_time, late]);
        let withheld = sheet.suppress(&[]);
        assert!(withheld[on_time] && !withheld[closed]);
        assert!(!sheet.determined(&withheld)[late]);
    }

    #[test]
    fn a_combination_of_two_sums_is_seen_through() {
        // a + b = 10 and a + b + c = 13 give c = 3 although no sum has a single unknown.
        let mut sheet = Sheet::new();
        let ab = sheet.add(total(10));
        let abc = sheet.add(total(13));
        let a = sheet.add(cell(6));
        let b = sheet.add(cell(4));
        let c = sheet.add(Figure {
            published: false,
            ..cell(3)
        });
        sheet.sum(ab, vec![a, b]);
        sheet.sum(abc, vec![a, b, c]);
        let mut withheld = vec![false; sheet.len()];
        withheld[a] = true;
        withheld[b] = true;
        withheld[c] = true;
        assert!(sheet.determined(&withheld)[c]);
        let withheld = sheet.suppress(&[]);
        assert!(!sheet.determined(&withheld)[c]);
        assert!(!sheet.determined(&withheld)[b]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        /// Any two-way table with protected rows, exact column totals and a grand total: after
        /// suppression no figure of 1–4 can be worked out, and every shown one is what it says.
        #[test]
        fn no_small_figure_of_a_random_two_way_table_can_be_worked_out(
            values in proptest::collection::vec(proptest::collection::vec(0i64..9, 1..5), 1..6)
        ) {
            let width = values[0].len();
            let mut sheet = Sheet::new();
            let cells: Vec<Vec<usize>> = values
                .iter()
                .map(|row| (0..width).map(|c| sheet.add(cell(row.get(c).copied().unwrap_or(0)))).collect())
                .collect();
            let value = |r: usize, c: usize| sheet.figure(cells[r][c]).value;
            let row_sums: Vec<i64> = (0..cells.len()).map(|r| (0..width).map(|c| value(r, c)).sum()).collect();
            let col_sums: Vec<i64> = (0..width).map(|c| (0..cells.len()).map(|r| value(r, c)).sum()).collect();
            let grand = sheet.add(total(row_sums.iter().sum()));
            let rows: Vec<usize> = row_sums.iter().map(|v| sheet.add(Figure { cost: 1, ..cell(*v) })).collect();
            let cols: Vec<usize> = col_sums.iter().map(|v| sheet.add(total(*v))).collect();
            for (r, row) in rows.iter().enumerate() {
                sheet.sum(*row, cells[r].clone());
            }
            for (c, col) in cols.iter().enumerate() {
                sheet.sum(*col, cells.iter().map(|row| row[c]).collect());
            }
            sheet.sum(grand, rows.clone());
            sheet.sum(grand, cols.clone());
            let withheld = sheet.suppress(&[]);
            let known = sheet.determined(&withheld);
            for (i, k) in known.iter().enumerate() {
                let f = sheet.figure(i);
                proptest::prop_assert!(!(f.protected && is_small(f.value) && *k), "figure {} = {} is exposed", i, f.value);
            }
        }
    }
}
