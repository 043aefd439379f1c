//! The org tree as analytics reads it: depth (EVN 0, corporations 1, below 2+), subtrees, and
//! which child of a scope a unit belongs to. Rollups are keyed by the reported unit; the tree
//! is applied when reading, so moving a unit re-scopes its history without rewriting rollups.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbErr, EntityTrait};

use crate::platform::persistence::entities::org_unit;
use crate::web::i18n::Lang;

#[derive(Debug, Clone)]
pub struct Unit {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub depth: usize,
}

impl Unit {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.name_vi,
            Lang::En => &self.name_en,
        }
    }

    /// Below corporation level, where small counts could single someone out.
    pub fn fine_grained(&self) -> bool {
        self.depth >= 2
    }
}

#[derive(Debug, Clone, Default)]
pub struct OrgTree {
    units: HashMap<i32, Unit>,
    children: HashMap<i32, Vec<i32>>,
    roots: Vec<i32>,
}

impl OrgTree {
    pub async fn load<C: ConnectionTrait>(conn: &C) -> Result<Self, DbErr> {
        let rows = org_unit::Entity::find().all(conn).await?;
        Ok(Self::from_rows(rows))
    }

    pub fn from_rows(rows: Vec<org_unit::Model>) -> Self {
        let mut tree = OrgTree::default();
        let known: std::collections::HashSet<i32> = rows.iter().map(|u| u.id).collect();
        let mut sorted = rows;
        sorted.sort_by(|a, b| a.code.cmp(&b.code));
        for row in &sorted {
            match row.parent_id.filter(|p| known.contains(p)) {
                Some(parent) => tree.children.entry(parent).or_default().push(row.id),
                None => tree.roots.push(row.id),
            }
        }
        for row in sorted {
            tree.units.insert(
                row.id,
                Unit {
                    id: row.id,
                    parent_id: row.parent_id,
                    code: row.code,
                    name_vi: row.name_vi,
                    name_en: row.name_en,
                    depth: 0,
                },
            );
        }
        let mut stack: Vec<(i32, usize)> = tree.roots.iter().map(|r| (*r, 0)).collect();
        while let Some((id, depth)) = stack.pop() {
            if let Some(unit) = tree.units.get_mut(&id) {
                unit.depth = depth;
            }
            for child in tree.children.get(&id).into_iter().flatten() {
                stack.push((*child, depth + 1));
            }
        }
        // The group itself first when several roots exist: the one with the most units under it.
        let mut roots = std::mem::take(&mut tree.roots);
        roots.sort_by_key(|r| std::cmp::Reverse(tree.subtree_of(*r).len()));
        tree.roots = roots;
        tree
    }

    pub fn get(&self, id: i32) -> Option<&Unit> {
        self.units.get(&id)
    }

    /// The default scope: the group (EVN).
    pub fn root(&self) -> Option<i32> {
        self.roots.first().copied()
    }

    pub fn children(&self, id: i32) -> &[i32] {
        self.children
            .get(&id)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// `id` and every unit under it.
    pub fn subtree_of(&self, id: i32) -> Vec<i32> {
        let mut out = Vec::new();
        let mut stack = vec![id];
        while let Some(next) = stack.pop() {
            if out.contains(&next) {
                continue;
            }
            out.push(next);
            stack.extend(self.children(next).iter().rev());
        }
        out
    }

    /// The unit and its ancestors, root first.
    pub fn path(&self, id: i32) -> Vec<&Unit> {
        let mut out = Vec::new();
        let mut next = self.units.get(&id);
        while let Some(unit) = next {
            if out.iter().any(|u: &&Unit| u.id == unit.id) {
                break;
            }
            out.push(unit);
            next = unit.parent_id.and_then(|p| self.units.get(&p));
        }
        out.reverse();
        out
    }

    /// The child of `scope` whose subtree holds `unit`; `None` for `scope` itself or a unit
    /// outside it.
    pub fn child_towards(&self, scope: i32, unit: i32) -> Option<i32> {
        let path = self.path(unit);
        let at = path.iter().position(|u| u.id == scope)?;
        path.get(at + 1).map(|u| u.id)
    }

    /// The corporation (depth 1) a unit belongs to.
    pub fn corporation_of(&self, unit: i32) -> Option<i32> {
        self.path(unit).get(1).map(|u| u.id)
    }

    /// Units at depth 1 (the power corporations), in code order.
    pub fn corporations(&self) -> Vec<&Unit> {
        self.root()
            .map(|root| {
                self.children(root)
                    .iter()
                    .filter_map(|id| self.units.get(id))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every unit in tree order with its depth, for the scope select.
    pub fn in_order(&self) -> Vec<&Unit> {
        let mut out = Vec::new();
        for root in &self.roots {
            for id in self.subtree_of(*root) {
                if let Some(unit) = self.units.get(&id) {
                    out.push(unit);
                }
            }
        }
        out
    }
}

/// Trees for unit tests.
#[cfg(test)]
pub mod tests_support {
    use chrono::{TimeZone, Utc};

    use super::OrgTree;
    use crate::platform::persistence::entities::org_unit;

    /// Group 1 → corporation `corporation` → each of `companies` → offices `c * 10` and
    /// `c * 10 + 1`.
    pub fn tree_of(corporation: i32, companies: &[i32]) -> OrgTree {
        let unit = |id: i32, parent: Option<i32>| org_unit::Model {
            id,
            parent_id: parent,
            kind: "unit".into(),
            code: format!("U{id}"),
            name_vi: format!("Đơn vị {id}"),
            name_en: format!("Unit {id}"),
            active_from: None,
            active_to: None,
            hotline: None,
            created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            updated_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        };
        let mut rows = vec![unit(1, None), unit(corporation, Some(1))];
        for c in companies {
            rows.push(unit(*c, Some(corporation)));
            rows.push(unit(c * 10, Some(*c)));
            rows.push(unit(c * 10 + 1, Some(*c)));
        }
        OrgTree::from_rows(rows)
    }
}
