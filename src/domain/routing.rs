//! Which inspection team a report goes to, and why.
//!
//! Rules map (org-unit subtree, category or any) → team. Starting at the report's unit — one
//! level higher when the reporter asked to go above the local unit — the tree is walked upwards;
//! at each unit a rule for the report's category wins, then a rule for any category, then a team
//! that belongs to that unit. Severe categories skip the generic rules and unit teams below the
//! corporation level, so by default they reach the corporation's or EVN's inspection board.
//! Pure: the caller supplies the tree, rules and teams.

use std::collections::HashMap;

/// A unit of the tree as routing sees it.
#[derive(Debug, Clone)]
pub struct UnitNode {
    pub id: i32,
    pub parent_id: Option<i32>,
    /// `group`, `corporation`, `company`, `district`, `office`.
    pub kind: String,
}

impl UnitNode {
    fn is_board_level(&self) -> bool {
        matches!(self.kind.as_str(), "group" | "corporation")
    }
}

#[derive(Debug, Clone)]
pub struct RuleRow {
    pub id: i32,
    pub unit_id: i32,
    pub category_id: Option<i32>,
    pub team_id: i32,
}

#[derive(Debug, Clone)]
pub struct TeamRow {
    pub id: i32,
    pub unit_id: i32,
}

/// Why the report went where it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    CategoryRule { rule_id: i32, unit_id: i32 },
    GenericRule { rule_id: i32, unit_id: i32 },
    UnitTeam { unit_id: i32 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub team_id: i32,
    pub reason: Reason,
    /// The unit the walk started from (after "send to the level above").
    pub start_unit_id: i32,
}

/// The tree, rules and teams routing works on.
pub struct Router {
    units: HashMap<i32, UnitNode>,
    rules: Vec<RuleRow>,
    teams: Vec<TeamRow>,
}

impl Router {
    pub fn new(units: Vec<UnitNode>, rules: Vec<RuleRow>, teams: Vec<TeamRow>) -> Self {
        Self {
            units: units.into_iter().map(|u| (u.id, u)).collect(),
            rules,
            teams,
        }
    }

    /// The unit and its ancestors, nearest first (cycle-safe).
    pub fn ancestors(&self, unit_id: i32) -> Vec<&UnitNode> {
        let mut out = Vec::new();
        let mut next = self.units.get(&unit_id);
        while let Some(unit) = next {
            if out.iter().any(|u: &&UnitNode| u.id == unit.id) {
                break;
            }
            out.push(unit);
            next = unit.parent_id.and_then(|p| self.units.get(&p));
        }
        out
    }

    pub fn parent_of(&self, unit_id: i32) -> Option<i32> {
        self.units.get(&unit_id).and_then(|u| u.parent_id)
    }

    /// Routes a report about `unit_id` in `category_id`; `skip_teams` are teams already found
    /// to have nobody eligible (conflict of interest), so the walk continues above them.
    pub fn route(
        &self,
        unit_id: i32,
        category_id: i32,
        severe: bool,
        escalate: bool,
        skip_teams: &[i32],
    ) -> Option<Route> {
        let start = if escalate {
            self.parent_of(unit_id).unwrap_or(unit_id)
        } else {
            unit_id
        };
        for unit in self.ancestors(start) {
            let usable = |team_id: i32| !skip_teams.contains(&team_id);
            if let Some(rule) = self
                .rules
                .iter()
                .filter(|r| r.unit_id == unit.id && r.category_id == Some(category_id))
                .find(|r| usable(r.team_id))
            {
                return Some(Route {
                    team_id: rule.team_id,
                    reason: Reason::CategoryRule {
                        rule_id: rule.id,
                        unit_id: unit.id,
                    },
                    start_unit_id: start,
                });
            }
            if severe && !unit.is_board_level() {
                continue;
            }
            if let Some(rule) = self
                .rules
                .iter()
                .filter(|r| r.unit_id == unit.id && r.category_id.is_none())
                .find(|r| usable(r.team_id))
            {
                return Some(Route {
                    team_id: rule.team_id,
                    reason: Reason::GenericRule {
                        rule_id: rule.id,
                        unit_id: unit.id,
                    },
                    start_unit_id: start,
                });
            }
            if let Some(team) = self
                .teams
                .iter()
                .filter(|t| t.unit_id == unit.id)
                .find(|t| usable(t.id))
            {
                return Some(Route {
                    team_id: team.id,
                    reason: Reason::UnitTeam { unit_id: unit.id },
                    start_unit_id: start,
                });
            }
        }
        None
    }

    /// The team of the nearest unit strictly above `team_unit_id` (second-level investigators).
    pub fn parent_level_team(&self, team_unit_id: i32, skip_teams: &[i32]) -> Option<i32> {
        self.ancestors(team_unit_id)
            .into_iter()
            .skip(1)
            .find_map(|unit| {
                self.teams
                    .iter()
                    .find(|t| t.unit_id == unit.id && !skip_teams.contains(&t.id))
                    .map(|t| t.id)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // EVN(1) ─ EVNHANOI(2) ─ PC Hoàn Kiếm(3) ─ PGD Hàng Bạc(4)
    //        └ EVNNPC(5) ─ PC Hải Phòng(6)
    fn router(rules: Vec<RuleRow>) -> Router {
        let unit = |id, parent, kind: &str| UnitNode {
            id,
            parent_id: parent,
            kind: kind.into(),
        };
        Router::new(
            vec![
                unit(1, None, "group"),
                unit(2, Some(1), "corporation"),
                unit(3, Some(2), "company"),
                unit(4, Some(3), "office"),
                unit(5, Some(1), "corporation"),
                unit(6, Some(5), "company"),
            ],
            rules,
            vec![
                TeamRow { id: 10, unit_id: 1 },
                TeamRow { id: 20, unit_id: 2 },
                TeamRow { id: 30, unit_id: 3 },
                TeamRow { id: 50, unit_id: 5 },
            ],
        )
    }

    const RUDE: i32 = 100;
    const BRIBERY: i32 = 101;

    #[test]
    fn without_rules_the_nearest_unit_team_up_the_tree_gets_it() {
        let r = router(vec![]);
        let route = r.route(4, RUDE, false, false, &[]).unwrap();
        assert_eq!(route.team_id, 30);
        assert_eq!(route.reason, Reason::UnitTeam { unit_id: 3 });
        assert_eq!(
            r.route(6, RUDE, false, false, &[]).unwrap().team_id,
            50,
            "PC Hải Phòng has no team"
        );
    }

    #[test]
    fn the_most_specific_rule_wins() {
        let r = router(vec![
            RuleRow {
                id: 1,
                unit_id: 2,
                category_id: None,
                team_id: 20,
            },
            RuleRow {
                id: 2,
                unit_id: 2,
                category_id: Some(RUDE),
                team_id: 10,
            },
            RuleRow {
                id: 3,
                unit_id: 4,
                category_id: None,
                team_id: 50,
            },
        ]);
        // A generic rule on the office itself beats everything above it.
        assert_eq!(r.route(4, RUDE, false, false, &[]).unwrap().team_id, 50);
        // At the corporation, the category rule beats the generic one.
        let route = r.route(3, RUDE, false, false, &[]).unwrap();
        assert_eq!(
            route.reason,
            Reason::UnitTeam { unit_id: 3 },
            "the company's own team is nearer"
        );
        let r2 = router(vec![
            RuleRow {
                id: 1,
                unit_id: 2,
                category_id: None,
                team_id: 20,
            },
            RuleRow {
                id: 2,
                unit_id: 2,
                category_id: Some(RUDE),
                team_id: 10,
            },
        ]);
        assert_eq!(r2.route(2, RUDE, false, false, &[]).unwrap().team_id, 10);
        assert_eq!(r2.route(2, BRIBERY, false, false, &[]).unwrap().team_id, 20);
    }

    #[test]
    fn severe_categories_go_to_the_corporation_board_by_default() {
        let r = router(vec![RuleRow {
            id: 1,
            unit_id: 3,
            category_id: None,
            team_id: 30,
        }]);
        let route = r.route(4, BRIBERY, true, false, &[]).unwrap();
        assert_eq!(route.team_id, 20);
        assert_eq!(route.reason, Reason::UnitTeam { unit_id: 2 });
        // An explicit category rule lower down still applies.
        let r = router(vec![RuleRow {
            id: 7,
            unit_id: 3,
            category_id: Some(BRIBERY),
            team_id: 30,
        }]);
        assert_eq!(r.route(4, BRIBERY, true, false, &[]).unwrap().team_id, 30);
    }

    #[test]
    fn sending_to_the_level_above_starts_one_level_higher() {
        let r = router(vec![]);
        let route = r.route(3, RUDE, false, true, &[]).unwrap();
        assert_eq!(route.start_unit_id, 2);
        assert_eq!(route.team_id, 20);
    }

    #[test]
    fn skipped_teams_send_the_walk_further_up() {
        let r = router(vec![]);
        assert_eq!(r.route(4, RUDE, false, false, &[30]).unwrap().team_id, 20);
        assert_eq!(
            r.route(4, RUDE, false, false, &[30, 20]).unwrap().team_id,
            10
        );
        assert_eq!(r.route(4, RUDE, false, false, &[30, 20, 10]), None);
        assert_eq!(r.parent_level_team(3, &[]), Some(20));
        assert_eq!(r.parent_level_team(2, &[]), Some(10));
        assert_eq!(r.parent_level_team(1, &[]), None);
    }
}
