//! The org-unit tree's rules (EVN → corporations → companies → district units and offices):
//! unit kinds, unit codes, when a unit is closed, which moves would make a cycle, and the
//! validation of the unit form. Pure; used by `/admin/units` (which re-exports
//! them), the staff directory and the routing screen.
//!
//! Invariants: codes are upper-case A–Z/0–9 with single inner hyphens, at most [`CODE_MAX`]
//! bytes; names are at most [`NAME_MAX`] characters in either language; a unit is closed from
//! its last active day on.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::culture_code::parse_date;
use crate::domain::report::{clean_text, FieldErrors};

/// Longest unit code.
pub const CODE_MAX: usize = 32;
/// Longest unit name, in either language.
pub const NAME_MAX: usize = 200;

/// What level of the organisation a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    Group,
    Corporation,
    Company,
    District,
    Office,
}

impl UnitKind {
    pub const ALL: [UnitKind; 5] = [
        UnitKind::Group,
        UnitKind::Corporation,
        UnitKind::Company,
        UnitKind::District,
        UnitKind::Office,
    ];

    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Group => "group",
            UnitKind::Corporation => "corporation",
            UnitKind::Company => "company",
            UnitKind::District => "district",
            UnitKind::Office => "office",
        }
    }

    /// Parses a stored value.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == value)
    }

    /// The catalogue key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            UnitKind::Group => "admin-unit-kind-group",
            UnitKind::Corporation => "admin-unit-kind-corporation",
            UnitKind::Company => "admin-unit-kind-company",
            UnitKind::District => "admin-unit-kind-district",
            UnitKind::Office => "admin-unit-kind-office",
        }
    }
}

/// True when hanging `unit` under `new_parent` would make `unit` its own ancestor, i.e. when
/// `new_parent` is `unit` or one of its descendants. `parent_of` maps every unit to its parent.
/// A tree that already holds a cycle refuses every move into it.
pub fn creates_cycle(parent_of: &HashMap<i32, Option<i32>>, unit: i32, new_parent: i32) -> bool {
    let mut current = Some(new_parent);
    let mut steps = 0;
    while let Some(id) = current {
        if id == unit || steps > parent_of.len() {
            return true;
        }
        steps += 1;
        current = parent_of.get(&id).copied().flatten();
    }
    false
}

/// A unit is closed from its last active day (`active_to`) on; until then it is open.
pub fn is_closed(active_to: Option<NaiveDate>, today: NaiveDate) -> bool {
    active_to.is_some_and(|last| last <= today)
}

/// Upper-cases and checks a unit code: letters A–Z, digits and single inner hyphens, ≤ 32.
pub fn normalise_code(raw: &str) -> Result<String, &'static str> {
    let code = raw.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Err("error-admin-unit-code-required");
    }
    let valid = code.len() <= CODE_MAX
        && code.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        });
    if valid {
        Ok(code)
    } else {
        Err("error-admin-unit-code-invalid")
    }
}

/// The unit form's fields as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UnitInput {
    pub parent_id: String,
    pub kind: String,
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub active_from: String,
    /// The hotline numbers as typed; `None` when the form did not carry the field.
    pub hotline: Option<String>,
}

/// Kind, names and hotline: what an edit may change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitNames {
    pub kind: UnitKind,
    pub name_vi: String,
    pub name_en: String,
    /// The hotline in its stored form (`domain::phone`): `None` to keep the unit's as it is
    /// (the form did not carry it), `Some(None)` for no hotline.
    pub hotline: Option<Option<String>>,
}

/// A unit to add, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUnit {
    pub parent_id: i32,
    pub code: String,
    pub names: UnitNames,
    pub active_from: NaiveDate,
}

fn name(errors: &mut FieldErrors, field: &'static str, raw: &str) -> String {
    let text = clean_text(raw);
    if text.is_empty() {
        errors.insert(field, "error-admin-unit-name-required");
    } else if text.chars().count() > NAME_MAX {
        errors.insert(field, "error-admin-unit-name-long");
    }
    text
}

/// Parses a parent id from a `<select>`; records an error (and returns 0) when it is not one.
pub fn parent_id(errors: &mut FieldErrors, raw: &str) -> i32 {
    match raw.trim().parse::<i32>() {
        Ok(id) if id > 0 => id,
        _ => {
            errors.insert("parent_id", "error-admin-unit-parent-required");
            0
        }
    }
}

impl UnitInput {
    fn names_into(&self, errors: &mut FieldErrors) -> Option<UnitNames> {
        let kind = UnitKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.insert("kind", "error-admin-unit-kind-invalid");
        }
        let name_vi = name(errors, "name_vi", &self.name_vi);
        let name_en = name(errors, "name_en", &self.name_en);
        let hotline = self.hotline.as_deref().map(|typed| {
            crate::domain::phone::Hotline::parse(typed)
                .map_err(|key| errors.insert("hotline", key))
                .ok()
                .flatten()
                .map(|h| h.as_str().to_string())
        });
        kind.map(|kind| UnitNames {
            kind,
            name_vi,
            name_en,
            hotline,
        })
    }

    /// Validates what an edit may change.
    pub fn validate_names(&self) -> Result<UnitNames, FieldErrors> {
        let mut errors = FieldErrors::new();
        match self.names_into(&mut errors) {
            Some(names) if errors.is_empty() => Ok(names),
            _ => Err(errors),
        }
    }

    /// Validates a new unit; whether the parent exists and the code is free is checked later,
    /// against the database.
    pub fn validate_new(&self) -> Result<NewUnit, FieldErrors> {
        let mut errors = FieldErrors::new();
        let parent_id = parent_id(&mut errors, &self.parent_id);
        let code = normalise_code(&self.code)
            .map_err(|key| errors.insert("code", key))
            .ok();
        let names = self.names_into(&mut errors);
        let active_from = parse_date(&mut errors, "active_from", &self.active_from);
        match (code, names, active_from) {
            (Some(code), Some(names), Some(active_from)) if errors.is_empty() => Ok(NewUnit {
                parent_id,
                code,
                names,
                active_from,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> HashMap<i32, Option<i32>> {
        // 1 ─┬─ 2 ── 4 ── 5
        //    └─ 3
        HashMap::from([
            (1, None),
            (2, Some(1)),
            (3, Some(1)),
            (4, Some(2)),
            (5, Some(4)),
        ])
    }

    #[test]
    fn a_unit_cannot_move_under_itself() {
        assert!(creates_cycle(&tree(), 2, 2));
    }

    #[test]
    fn a_unit_cannot_move_under_a_descendant() {
        assert!(creates_cycle(&tree(), 2, 4));
        assert!(creates_cycle(&tree(), 2, 5));
        assert!(creates_cycle(&tree(), 1, 3));
    }

    #[test]
    fn a_unit_may_move_under_a_sibling_or_an_ancestor() {
        assert!(!creates_cycle(&tree(), 4, 3));
        assert!(!creates_cycle(&tree(), 5, 1));
        assert!(!creates_cycle(&tree(), 3, 5));
    }

    #[test]
    fn a_tree_that_already_loops_refuses_moves_into_the_loop() {
        let looped = HashMap::from([(1, Some(2)), (2, Some(1)), (3, None)]);
        assert!(creates_cycle(&looped, 3, 1));
    }

    #[test]
    fn unit_codes_are_upper_cased_and_checked() {
        assert_eq!(normalise_code(" pc-hn01 "), Ok("PC-HN01".to_string()));
        assert_eq!(normalise_code(""), Err("error-admin-unit-code-required"));
        for bad in ["PC HN", "PC--HN", "-PC", "PC-", "ĐLHN", "PC_HN"] {
            assert_eq!(
                normalise_code(bad),
                Err("error-admin-unit-code-invalid"),
                "{bad}"
            );
        }
        assert!(normalise_code(&"A".repeat(32)).is_ok());
        assert!(normalise_code(&"A".repeat(33)).is_err());
    }

    #[test]
    fn a_unit_is_closed_from_its_last_active_day() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert!(!is_closed(None, today));
        assert!(is_closed(Some(today), today));
        assert!(is_closed(today.pred_opt(), today));
        assert!(!is_closed(today.succ_opt(), today));
    }

    #[test]
    fn a_new_unit_reports_every_bad_field() {
        let errors = UnitInput {
            parent_id: "x".into(),
            kind: "province".into(),
            code: "a b".into(),
            name_vi: " ".into(),
            name_en: "n".repeat(201),
            active_from: "".into(),
            hotline: Some("1900 abc".into()),
        }
        .validate_new()
        .unwrap_err();
        assert_eq!(errors["parent_id"], "error-admin-unit-parent-required");
        assert_eq!(errors["kind"], "error-admin-unit-kind-invalid");
        assert_eq!(errors["code"], "error-admin-unit-code-invalid");
        assert_eq!(errors["name_vi"], "error-admin-unit-name-required");
        assert_eq!(errors["name_en"], "error-admin-unit-name-long");
        assert_eq!(errors["active_from"], "error-admin-date-required");
        assert_eq!(errors["hotline"], "error-hotline-invalid");
    }

    #[test]
    fn a_valid_new_unit_is_accepted() {
        let unit = UnitInput {
            parent_id: "7".into(),
            kind: "office".into(),
            code: "pchp-pgdtest".into(),
            name_vi: "Phòng giao dịch Thử".into(),
            name_en: "Test office".into(),
            active_from: "2026-12-01".into(),
            hotline: Some(" 1900  1006/1900 9000".into()),
        }
        .validate_new()
        .unwrap();
        assert_eq!(
            unit.names.hotline,
            Some(Some("1900 1006 / 1900 9000".into()))
        );
        assert_eq!(unit.parent_id, 7);
        assert_eq!(unit.code, "PCHP-PGDTEST");
        assert_eq!(unit.names.kind, UnitKind::Office);
    }
}
