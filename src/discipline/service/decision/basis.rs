//! The internal labour regulations in a decision (Labour Code 2019 Art. 127(3),
//! [`crate::domain::discipline::not_set_out`]): which active regulation articles set out each
//! violation handled, read before the rules judge it, and the copy of the articles the ruling
//! cites, stored with the decision so that it keeps citing them as they read that day.

use std::collections::BTreeSet;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

use super::Handled;
use crate::domain::labour_rule::order_key;
use crate::platform::persistence::entities::{
    discipline_decision_labour_rule, discipline_finding_article, labour_rule,
};
use crate::platform::persistence::rules::load_labour_rule_map;

/// Fills in, for each violation handled, the active regulation articles that set out one of
/// the culture-code articles its finding cites.
pub(super) async fn set_out<C: ConnectionTrait>(
    conn: &C,
    handled: &mut Handled,
) -> Result<(), DbErr> {
    let map = load_labour_rule_map(conn).await?;
    let findings: Vec<i32> = handled.findings.iter().map(|f| f.id).collect();
    let cited = discipline_finding_article::Entity::find()
        .filter(discipline_finding_article::Column::FindingId.is_in(findings))
        .all(conn)
        .await?;
    for violation in &mut handled.violations {
        violation.labour_rules = map.setting_out(
            cited
                .iter()
                .filter(|link| link.finding_id == violation.finding_id)
                .map(|link| link.article_key.as_str()),
        );
    }
    Ok(())
}

/// Stores a copy of the regulation articles `rules` as cited by `decision`; returns their
/// codes in the regulations' order, for the audit entry.
pub(super) async fn cite<C: ConnectionTrait>(
    conn: &C,
    decision: i32,
    rules: &BTreeSet<i32>,
) -> Result<Vec<String>, DbErr> {
    let mut rows = labour_rule::Entity::find()
        .filter(labour_rule::Column::Id.is_in(rules.iter().copied()))
        .all(conn)
        .await?;
    rows.sort_by_key(|rule| order_key(&rule.code));
    for rule in &rows {
        discipline_decision_labour_rule::ActiveModel {
            decision_id: Set(decision),
            labour_rule_id: Set(rule.id),
            code: Set(rule.code.clone()),
            title_vi: Set(rule.title_vi.clone()),
            title_en: Set(rule.title_en.clone()),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    Ok(rows.into_iter().map(|rule| rule.code).collect())
}
