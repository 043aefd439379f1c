//! The internal labour regulations as the basis of discipline (Labour Code 2019 Art. 127(3):
//! the employer must not discipline an employee "for a violation not set out in the internal
//! labour regulations"). A violation is set out when one of the culture-code articles it
//! breached is linked to an *active* article of the regulations (nội quy lao động); a decision
//! cites every regulation article setting out any of its violations, and keeps a copy of them.
//! Part of [`crate::domain::discipline`]; its items are re-exported there.
//!
//! Only the Labour Code forms (Art. 124: reprimand, pay-rise deferral, removal from post,
//! dismissal) need it. Art. 127 lists what is forbidden *in disciplining* (xử lý kỷ luật lao
//! động), and an internal measure (reminder, criticism, retraining) is not discipline under the
//! Code: it leaves no disciplinary record, is never cleared under Art. 126 and may not be a
//! sanction in disguise (Art. 127(2), checked on its name when an admin adds it). Requiring a
//! regulation article for it would forbid a reminder about conduct the regulations do not list,
//! which the law does not. A decision applying one still cites the articles that set its
//! violations out, when there are any.
//!
//! Art. 127(3) also accepts a violation agreed in the employment contract or set out by labour
//! law; the portal records neither, so the regulations are the one basis it checks.

use std::collections::{BTreeMap, BTreeSet};

use super::{Measure, Refusal, ViolationFacts};

/// One link of a culture-code article (by key) to a regulation article, and whether that
/// regulation article is active.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleLink<'a> {
    pub article_key: &'a str,
    pub labour_rule_id: i32,
    pub active: bool,
}

/// Which active regulation articles set out each culture-code article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabourRuleMap {
    by_article: BTreeMap<String, BTreeSet<i32>>,
}

impl LabourRuleMap {
    /// The map of `links`; a deactivated regulation article sets nothing out.
    pub fn new<'a>(links: impl IntoIterator<Item = RuleLink<'a>>) -> Self {
        let mut by_article: BTreeMap<String, BTreeSet<i32>> = BTreeMap::new();
        for link in links.into_iter().filter(|link| link.active) {
            by_article
                .entry(link.article_key.to_string())
                .or_default()
                .insert(link.labour_rule_id);
        }
        Self { by_article }
    }

    /// The active regulation articles setting out a violation of `article_keys`.
    pub fn setting_out<'a>(
        &self,
        article_keys: impl IntoIterator<Item = &'a str>,
    ) -> BTreeSet<i32> {
        article_keys
            .into_iter()
            .filter_map(|key| self.by_article.get(key))
            .flatten()
            .copied()
            .collect()
    }
}

/// One refusal per violation that no active regulation article sets out, when `measure` is a
/// Labour Code form; none for an internal measure (see the module's note).
pub fn not_set_out(measure: Measure, violations: &[ViolationFacts]) -> Vec<Refusal> {
    if !measure.is_disciplinary() {
        return Vec::new();
    }
    violations
        .iter()
        .filter(|v| v.labour_rules.is_empty())
        .map(|v| Refusal::NotSetOut {
            finding_id: v.finding_id,
            violation: v.date,
        })
        .collect()
}

/// Every regulation article a decision cites: those setting out any of its violations.
pub fn cited_rules(violations: &[ViolationFacts]) -> BTreeSet<i32> {
    violations
        .iter()
        .flat_map(|v| v.labour_rules.iter().copied())
        .collect()
}
