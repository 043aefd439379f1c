//! The case page's procedure block (`domain::procedure`): each step recorded — withdrawals,
//! suspensions, resumptions, terminations, notices sent — in words, and the notices the
//! notice form may record now.

use serde::Serialize;

use crate::case_management::names::Names;
use crate::domain::procedure::{
    self, ContinueGround, Notice, Position, Scope, SuspensionGround, TerminationGround,
    WithdrawalForm,
};
use crate::platform::persistence::entities::procedure_step;
use crate::web::format::show_date;
use crate::web::i18n::Lang;

/// One recorded step.
#[derive(Serialize)]
pub struct StepView {
    kind: String,
    label: String,
    /// Its ground, scope, form or notice, in words.
    detail: String,
    decision_number: Option<String>,
    on: String,
    by: Option<String>,
}

/// The steps in words, oldest first.
pub fn steps(lang: Lang, names: &Names, rows: &[procedure_step::Model]) -> Vec<StepView> {
    rows.iter()
        .map(|s| StepView {
            kind: s.kind.clone(),
            label: lang.t(&format!("step-{}", s.kind)),
            detail: detail(lang, s),
            decision_number: s.decision_number.clone(),
            on: show_date(s.occurred_on),
            by: names.user(Some(s.created_by)),
        })
        .collect()
}

fn detail(lang: Lang, step: &procedure_step::Model) -> String {
    let ground = step.ground.as_deref().unwrap_or_default();
    let key = match step.kind.as_str() {
        "withdrawal" => {
            let scope = step.scope.as_deref().and_then(Scope::parse);
            let form = step.form.as_deref().and_then(WithdrawalForm::parse);
            let continues = ContinueGround::parse(ground).map(|g| g.label_key());
            let parts = [
                scope.map(|s| s.label_key()),
                form.map(|f| f.label_key()),
                continues,
            ];
            let words: Vec<String> = parts.into_iter().flatten().map(|k| lang.t(&k)).collect();
            return words.join(" · ");
        }
        "suspension" => SuspensionGround::parse(ground).map(|g| g.label_key()),
        "termination" => TerminationGround::parse(ground).map(|g| g.label_key()),
        "notice" => Notice::parse(ground).map(|n| n.label_key()),
        _ => None,
    };
    let mut text = key.map(|k| lang.t(&k)).unwrap_or_default();
    if step.kind == "notice" {
        if let Some(method) = &step.form {
            text.push_str(" · ");
            text.push_str(&lang.t(&format!("notice-method-{method}")));
        }
    }
    text
}

/// A notice the form may record.
#[derive(Serialize)]
pub struct NoticeChoice {
    code: &'static str,
    label: String,
    /// Already recorded at least once.
    sent: bool,
}

/// The notices owed at `position`, each marked when already sent.
pub fn notices(lang: Lang, at: &Position, rows: &[procedure_step::Model]) -> Vec<NoticeChoice> {
    Notice::ALL
        .iter()
        .filter(|n| procedure::notice_due(**n, at))
        .map(|n| NoticeChoice {
            code: n.as_str(),
            label: lang.t(&n.label_key()),
            sent: rows
                .iter()
                .any(|s| s.kind == "notice" && s.ground.as_deref() == Some(n.as_str())),
        })
        .collect()
}
