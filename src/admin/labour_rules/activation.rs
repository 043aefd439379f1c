//! Deactivating and reactivating an article of the internal labour regulations: deactivated,
//! never deleted, so decisions keep their copy of it. A deactivated article sets nothing out
//! any more, so the confirmation page names the culture-code articles it would leave set out by
//! no active article: violating only those can no longer be disciplined (Labour Code Art.
//! 127(3)). The pages and routes are the generic ones of `admin::switches`; the transaction
//! and its audit entry are `web::switch`.

use serde::Serialize;
use serde_json::json;

use super::store;
use super::views::{rule_row, RuleRow};
use crate::platform::persistence::entities::labour_rule;
use crate::web::error::AppResult;
use crate::web::i18n::Lang;
use crate::web::state::AppState;
use crate::web::switch::SwitchPage;

/// The article as its confirmation page shows it.
#[derive(Debug, Serialize)]
pub struct ConfirmRow {
    #[serde(flatten)]
    rule: RuleRow,
    /// Culture-code article keys only this article sets out among the active ones.
    left_uncovered: Vec<String>,
}

impl SwitchPage for labour_rule::Model {
    const LIST: &'static str = "/admin/labour-rules";
    const FLASH_DEACTIVATED: &'static str = "flash-admin-labour-rule-deactivated";
    const FLASH_REACTIVATED: &'static str = "flash-admin-labour-rule-reactivated";
    const CONFIRM_TEMPLATE: &'static str = "admin/labour_rules/confirm";
    type Shown = ConfirmRow;

    async fn shown(&self, state: &AppState, lang: Lang) -> AppResult<ConfirmRow> {
        let conn = state.db.conn();
        let rules = store::all_linked(conn).await?;
        let choices = store::article_choices(conn, lang).await?;
        let before = store::uncovered_articles(&rules, &choices);
        let without: Vec<store::Linked> = (rules.iter())
            .filter(|(rule, _)| rule.id != self.id)
            .cloned()
            .collect();
        let left_uncovered = (store::uncovered_articles(&without, &choices).into_iter())
            .filter(|key| !before.contains(key))
            .collect();
        Ok(ConfirmRow {
            rule: rule_row(lang, self, &[]),
            left_uncovered,
        })
    }
}

crate::switchable!(
    labour_rule,
    "labour_rule",
    "labour_rule_deactivated",
    "labour_rule_reactivated",
    |rule| json!({"code": rule.code})
);
