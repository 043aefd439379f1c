//! Property: for random data, **all** dashboard views of a corporation taken together — every
//! scope (the corporation, each company, each office), every category filter, every period,
//! which is what the CSV/XLSX files carry too — let no count of 1–4 below corporation level be
//! worked out. The auditor knows nothing of `protect.rs`: it reads the tables, turns every shown
//! count into a linear equation over the data's cells (open and closed reports per unit,
//! category and month), uses that a shown 0 makes every cell under it 0, and asks for each
//! protected figure of any view whether the equations fix it.

use std::collections::{HashMap, HashSet};

use proptest::prelude::*;

use super::{build, Filters, Reference, Sums};
use crate::analytics::metrics::{Counters, Month};
use crate::analytics::service::sums::Detail;
use crate::analytics::table::{Cell, Table};
use crate::analytics::tree::tests_support::tree_of;
use crate::analytics::tree::OrgTree;
use crate::web::i18n::Lang;

const CORP: i32 = 10;
const COMPANIES: [i32; 3] = [100, 101, 102];
const CATEGORIES: [i32; 2] = [1, 2];
const MONTHS: [i32; 3] = [202601, 202602, 202603];

/// The units reports are about: each company itself and its two offices.
fn units() -> Vec<i32> {
    COMPANIES
        .iter()
        .flat_map(|c| [*c, c * 10, c * 10 + 1])
        .collect()
}

/// (month, unit, category) → (open, closed).
type Data = HashMap<(i32, i32, i32), (i64, i64)>;

/// Mostly 0 or 5 and more, sometimes 1–4, so that families are shown and withheld alike.
fn count() -> impl Strategy<Value = i64> {
    prop_oneof![4 => Just(0i64), 4 => 5i64..9, 2 => 1i64..5]
}

fn data() -> impl Strategy<Value = Data> {
    let n = MONTHS.len() * units().len() * CATEGORIES.len();
    proptest::collection::vec((count(), count()), n).prop_map(|cells| {
        let mut out = HashMap::new();
        let mut it = cells.into_iter();
        for m in MONTHS {
            for u in units() {
                for c in CATEGORIES {
                    out.insert((m, u, c), it.next().unwrap_or_default());
                }
            }
        }
        out
    })
}

fn counters((open, closed): (i64, i64)) -> Counters {
    Counters {
        received: open + closed,
        accepted: open + closed,
        open,
        closed,
        closed_on_time: closed,
        ..Counters::default()
    }
}

/// What `load_sums` reads for `filters`: the detail of the whole corporation, the shown sums of
/// the scope and category.
fn sums(tree: &OrgTree, data: &Data, filters: &Filters) -> Sums {
    let scope = tree.subtree_of(filters.unit_id);
    let mut sums = Sums::default();
    let mut detail = Detail::default();
    for ((m, unit, cat), cell) in data {
        let month = Month(*m);
        if month < filters.from || month > filters.to {
            continue;
        }
        let c = counters(*cell);
        detail.cells.push((month, *unit, *cat, c));
        if scope.contains(unit) && filters.category_id.is_none_or(|f| f == *cat) {
            let shown = sums.cells.entry((*unit, *cat)).or_default();
            *shown = shown.plus(c);
            let by_month = sums.months.entry(month).or_default();
            *by_month = by_month.plus(c);
        }
    }
    sums.detail = Some(detail);
    sums
}

/// One view: its filters and its tables.
struct View {
    filters: Filters,
    tables: Vec<Table>,
}

fn view(tree: &OrgTree, data: &Data, filters: Filters) -> View {
    let reference = Reference {
        categories: CATEGORIES.iter().map(|c| (*c, format!("C{c}"))).collect(),
        articles: vec![
            ("a1".into(), "A1".into(), vec![1]),
            ("a2".into(), "A2".into(), vec![1, 2]),
        ],
        channels: Vec::new(),
    };
    let sums = sums(tree, data, &filters);
    let d = build(Lang::En, tree, &reference, &filters, &sums, &|u| {
        format!("/{u}")
    });
    let tables = vec![
        d.summary,
        d.months,
        d.units,
        d.categories,
        d.articles,
        d.heat,
    ];
    View { filters, tables }
}

/// What a figure counts: open reports, closed ones, or both (received).
#[derive(Clone, Copy)]
enum What {
    Received,
    Open,
    Closed,
}

/// The variables: (month, unit, category, closed?) in a fixed order.
struct Space {
    index: HashMap<(i32, i32, i32, bool), usize>,
}

impl Space {
    fn new() -> Self {
        let mut index = HashMap::new();
        for m in MONTHS {
            for u in units() {
                for c in CATEGORIES {
                    for closed in [false, true] {
                        let next = index.len();
                        index.insert((m, u, c, closed), next);
                    }
                }
            }
        }
        Self { index }
    }

    /// The variables a figure adds up.
    fn vars(&self, what: What, months: &[i32], units: &[i32], cats: &[i32]) -> Vec<usize> {
        let sides: &[bool] = match what {
            What::Received => &[false, true],
            What::Open => &[false],
            What::Closed => &[true],
        };
        let mut out = Vec::new();
        for m in months {
            for u in units {
                for c in cats {
                    for closed in sides {
                        // The corporation itself has no reports here.
                        out.extend(self.index.get(&(*m, *u, *c, *closed)));
                    }
                }
            }
        }
        out.sort_unstable();
        out
    }
}

/// A figure of a view: its variables, whether it is protected and its count if shown.
struct Figure {
    vars: Vec<usize>,
    protected: bool,
    shown: Option<i64>,
    name: String,
}

/// Every count cell of a view, as a figure.
fn figures(tree: &OrgTree, space: &Space, v: &View) -> Vec<Figure> {
    let f = &v.filters;
    let months: Vec<i32> = (f.from.through(f.to).iter()).map(|m| m.0).collect();
    let cats: Vec<i32> = (CATEGORIES.iter().copied())
        .filter(|c| f.category_id.is_none_or(|x| x == *c))
        .collect();
    let scope = tree.subtree_of(f.unit_id);
    let group = |link: &Option<String>, label: &str| -> Vec<i32> {
        match link {
            None => vec![f.unit_id],
            Some(_) => {
                let id: i32 = label.trim_start_matches("Unit ").parse().unwrap();
                tree.subtree_of(id)
            }
        }
    };
    let mut out = Vec::new();
    let mut add = |table: &Table, r: usize, col: usize, vars: Vec<usize>| {
        let row = &table.rows[r];
        out.push(Figure {
            vars,
            protected: row.suppressed,
            shown: match row.cells[col] {
                Cell::Count(n) => Some(n),
                _ => None,
            },
            name: format!("{:?} {} [{}] {col}", f, table.id, row.label),
        });
    };
    let t = &v.tables;
    for (kpi, what) in [(0, What::Received), (2, What::Open), (6, What::Closed)] {
        add(&t[0], kpi, 0, space.vars(what, &months, &scope, &cats));
    }
    for (r, m) in months.iter().enumerate() {
        for (col, what) in [(0, What::Received), (1, What::Closed)] {
            add(&t[1], r, col, space.vars(what, &[*m], &scope, &cats));
        }
    }
    for (r, row) in t[2].rows.iter().enumerate() {
        let units = group(&row.link, &row.label);
        for (col, what) in [(0, What::Received), (1, What::Open), (3, What::Closed)] {
            add(&t[2], r, col, space.vars(what, &months, &units, &cats));
        }
    }
    for (r, c) in cats.iter().enumerate() {
        for (col, what) in [(0, What::Received), (1, What::Open), (3, What::Closed)] {
            add(&t[3], r, col, space.vars(what, &months, &scope, &[*c]));
        }
    }
    for (r, cited) in [vec![1], vec![1, 2]].iter().enumerate() {
        let cited: Vec<i32> = cats.iter().copied().filter(|c| cited.contains(c)).collect();
        for (col, what) in [(0, What::Received), (1, What::Closed)] {
            add(&t[4], r, col, space.vars(what, &months, &scope, &cited));
        }
    }
    for (r, row) in t[5].rows.iter().enumerate() {
        let units = group(&row.link, &row.label);
        for (i, c) in cats.iter().enumerate() {
            let vars = space.vars(What::Received, &months, &units, &[*c]);
            add(&t[5], r, i, vars);
        }
    }
    out
}

/// Row-reduced equations over the unknown variables.
struct Basis {
    width: usize,
    rows: Vec<(usize, Vec<f64>)>,
}

impl Basis {
    fn reduce(&self, mut v: Vec<f64>) -> Vec<f64> {
        for (pivot, row) in &self.rows {
            let k = v[*pivot];
            if k.abs() > 1e-9 {
                for (x, r) in v.iter_mut().zip(row) {
                    *x -= k * r;
                }
            }
        }
        v
    }

    fn insert(&mut self, v: Vec<f64>) {
        let v = self.reduce(v);
        let Some(pivot) = (0..self.width).find(|i| v[*i].abs() > 1e-9) else {
            return;
        };
        let k = v[pivot];
        let v: Vec<f64> = v.iter().map(|x| x / k).collect();
        for (_, row) in self.rows.iter_mut() {
            let f = row[pivot];
            if f.abs() > 1e-9 {
                for (x, r) in row.iter_mut().zip(&v) {
                    *x -= f * r;
                }
            }
        }
        self.rows.push((pivot, v));
    }

    fn fixes(&self, v: Vec<f64>) -> bool {
        self.reduce(v).iter().all(|x| x.abs() < 1e-9)
    }
}

fn value(data: &Data, space: &Space, vars: &[usize]) -> i64 {
    let mut total = 0;
    for ((m, u, c, closed), i) in &space.index {
        if vars.binary_search(i).is_ok() {
            let (open, shut) = data[&(*m, *u, *c)];
            total += if *closed { shut } else { open };
        }
    }
    total
}

fn small(n: i64) -> bool {
    (1..5).contains(&n)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn no_combination_of_views_gives_back_a_count_of_one_to_four(data in data()) {
        let tree = tree_of(CORP, &COMPANIES);
        let space = Space::new();
        let ranges: Vec<(i32, i32)> = (0..MONTHS.len())
            .flat_map(|a| (a..MONTHS.len()).map(move |b| (MONTHS[a], MONTHS[b])))
            .collect();
        let scopes: Vec<i32> = std::iter::once(CORP).chain(COMPANIES).chain(
            COMPANIES.iter().flat_map(|c| [c * 10, c * 10 + 1])).collect();
        let mut all = Vec::new();
        for unit in scopes {
            for category in [None, Some(1), Some(2)] {
                for (from, to) in &ranges {
                    let filters = Filters { from: Month(*from), to: Month(*to), unit_id: unit, category_id: category };
                    all.extend(figures(&tree, &space, &view(&tree, &data, filters)));
                }
            }
        }
        // Shown: what it says, and never 1–4 where protected.
        for f in all.iter() {
            if let Some(n) = f.shown {
                prop_assert_eq!(n, value(&data, &space, &f.vars), "{}", &f.name);
                prop_assert!(!(f.protected && small(n)), "{} = {}", f.name, n);
            }
        }
        // A shown 0 makes each of its cells 0; the other shown counts are equations.
        let zero: HashSet<usize> = (all.iter())
            .filter(|f| f.shown == Some(0))
            .flat_map(|f| f.vars.iter().copied())
            .collect();
        let width = space.index.len();
        let vector = |vars: &[usize]| {
            let mut v = vec![0.0; width];
            for i in vars.iter().filter(|i| !zero.contains(i)) {
                v[*i] = 1.0;
            }
            v
        };
        let mut basis = Basis { width, rows: Vec::new() };
        let mut seen = HashSet::new();
        for f in all.iter().filter(|f| f.shown.is_some()) {
            if seen.insert(f.vars.clone()) {
                basis.insert(vector(&f.vars));
            }
        }
        let mut asked = HashSet::new();
        for f in all.iter().filter(|f| f.protected) {
            let n = value(&data, &space, &f.vars);
            if small(n) && asked.insert(f.vars.clone()) {
                prop_assert!(!basis.fixes(vector(&f.vars)), "{} = {} can be worked out", f.name, n);
            }
        }
    }
}
