//! A denunciation's procedural steps (`domain::procedure`): recording a withdrawal,
//! suspending, resuming and terminating the resolution by numbered decisions, recording the
//! notices sent to each party, and publishing an identity-free summary of the conclusion.
//! Called by [`super::perform::perform`] inside its transaction, after the workflow table has
//! allowed the action; each step writes its row, its timeline event and, where the denouncer
//! should read it, a system message.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, Set,
};
use serde_json::{json, Value};

use super::periods::Moment;
use super::{add_message, event, extension_days, ActionError};
use crate::domain::calendar::{self, local_date};
use crate::domain::procedure::{
    self, ContinueGround, Notice, Position, ProcedureRefusal, Scope, SuspensionGround,
    TerminationGround, Withdrawal, WithdrawalForm,
};
use crate::domain::report::clean_text;
use crate::domain::status::CaseStatus;
use crate::domain::track::Track;
use crate::platform::persistence::entities::{
    procedure_step, published_conclusion, report, staff_member,
};
use crate::platform::persistence::{rules, WriteTx};

/// A withdrawal as typed on the case page.
#[derive(Debug, Clone)]
pub struct WithdrawalInput {
    pub scope: Option<Scope>,
    pub form: Option<WithdrawalForm>,
    pub continues: Option<ContinueGround>,
}

/// A decision as typed on the case page: its ground (text, parsed by each step) and number.
#[derive(Debug, Clone, Default)]
pub struct DecisionInput {
    pub ground: Option<String>,
    pub number: String,
    /// The confirmation box of a step that cannot be undone (termination).
    pub confirmed: bool,
}

fn refuse(refusal: ProcedureRefusal) -> ActionError {
    ActionError::Invalid(refusal.message_key())
}

fn check_track(at: &Moment<'_>) -> Result<(), ActionError> {
    procedure::check_track(Track::parse(&at.case.track)).map_err(refuse)
}

/// The steps of `kind` recorded on a case, oldest first.
pub async fn steps<C: ConnectionTrait>(
    conn: &C,
    report_id: i32,
    kind: &str,
) -> Result<Vec<procedure_step::Model>, DbErr> {
    procedure_step::Entity::find()
        .filter(procedure_step::Column::ReportId.eq(report_id))
        .filter(procedure_step::Column::Kind.eq(kind))
        .order_by_asc(procedure_step::Column::Id)
        .all(conn)
        .await
}

/// Every step recorded on a case, oldest first.
pub async fn all_steps<C: ConnectionTrait>(
    conn: &C,
    report_id: i32,
) -> Result<Vec<procedure_step::Model>, DbErr> {
    procedure_step::Entity::find()
        .filter(procedure_step::Column::ReportId.eq(report_id))
        .order_by_asc(procedure_step::Column::Id)
        .all(conn)
        .await
}

/// The withdrawals recorded on a case.
pub async fn withdrawals<C: ConnectionTrait>(
    conn: &C,
    report_id: i32,
) -> Result<Vec<Withdrawal>, DbErr> {
    Ok(steps(conn, report_id, "withdrawal")
        .await?
        .into_iter()
        .filter_map(|s| {
            Some(Withdrawal {
                scope: Scope::parse(s.scope.as_deref()?)?,
                form: WithdrawalForm::parse(s.form.as_deref()?)?,
                continues: s.ground.as_deref().and_then(ContinueGround::parse),
            })
        })
        .collect())
}

/// One new step row.
struct Step<'a> {
    kind: &'a str,
    ground: Option<&'a str>,
    scope: Option<&'a str>,
    form: Option<&'a str>,
    decision_number: Option<String>,
    due_after: Option<NaiveDate>,
}

impl<'a> Step<'a> {
    /// A step decided in writing: its ground (if any) and the decision's number.
    fn decision(kind: &'a str, ground: Option<&'a str>, number: &str) -> Self {
        Step {
            kind,
            ground,
            scope: None,
            form: None,
            decision_number: Some(number.to_string()),
            due_after: None,
        }
    }
}

async fn insert(tx: &WriteTx, at: &Moment<'_>, step: Step<'_>) -> Result<(), DbErr> {
    procedure_step::ActiveModel {
        report_id: Set(at.case.report_id),
        kind: Set(step.kind.to_string()),
        ground: Set(step.ground.map(str::to_string)),
        scope: Set(step.scope.map(str::to_string)),
        form: Set(step.form.map(str::to_string)),
        decision_number: Set(step.decision_number),
        due_after: Set(step.due_after),
        occurred_on: Set(at.today),
        created_by: Set(at.user_id),
        created_at: Set(at.now),
        ..Default::default()
    }
    .insert(&**tx)
    .await?;
    Ok(())
}

/// Writes the timeline event of a step (seen by the denouncer when `public`) and, when given,
/// the system message the denouncer reads.
async fn announce(
    tx: &WriteTx,
    at: &Moment<'_>,
    kind: &str,
    public: bool,
    details: &Value,
    message: Option<&str>,
) -> Result<(), DbErr> {
    let id = at.case.report_id;
    event(
        &**tx,
        id,
        kind,
        Some(at.user_id),
        public,
        details.clone(),
        at.now,
    )
    .await?;
    if let Some(key) = message {
        add_message(&**tx, id, None, key, false, at.now).await?;
    }
    Ok(())
}

/// Records the denouncer's withdrawal (Art. 33). The case keeps its state: a partial
/// withdrawal leaves the rest to resolve; a whole one is resolved anyway on a ground of
/// Art. 33(3), or else awaits the termination decision.
pub async fn record_withdrawal(
    tx: &WriteTx,
    at: Moment<'_>,
    input: WithdrawalInput,
) -> Result<Value, ActionError> {
    check_track(&at)?;
    let earlier = withdrawals(&**tx, at.case.report_id).await?;
    procedure::check_withdrawal(input.scope, input.form, &earlier).map_err(refuse)?;
    let (Some(scope), Some(form)) = (input.scope, input.form) else {
        return Err(refuse(ProcedureRefusal::WithdrawalIncomplete));
    };
    let ground = input.continues.map(|g| g.as_str());
    let step = Step {
        kind: "withdrawal",
        ground,
        scope: Some(scope.as_str()),
        form: Some(form.as_str()),
        decision_number: None,
        due_after: None,
    };
    insert(tx, &at, step).await?;
    let details = json!({"scope": scope.as_str(), "form": form.as_str(), "continues": ground});
    let message = match (scope, input.continues) {
        (Scope::Part, _) => "msg-withdrawal-part",
        (Scope::Whole, Some(_)) => "msg-withdrawal-continues",
        (Scope::Whole, None) => "msg-withdrawal-whole",
    };
    announce(
        tx,
        &at,
        "withdrawal_recorded",
        true,
        &details,
        Some(message),
    )
    .await?;
    Ok(details)
}

/// Suspends the resolution (Art. 34(1)): the clock stops on the day of the decision.
pub async fn suspend(
    tx: &WriteTx,
    at: Moment<'_>,
    decision: DecisionInput,
) -> Result<Value, ActionError> {
    check_track(&at)?;
    let ground = decision.ground.as_deref().and_then(SuspensionGround::parse);
    let ground = procedure::check_decision(ground, &decision.number).map_err(refuse)?;
    let number = clean_text(&decision.number);
    let step = Step::decision("suspension", Some(ground.as_str()), &number);
    insert(tx, &at, step).await?;
    let mut c = at.case.clone().into_active_model();
    c.suspended_on = Set(Some(at.today));
    c.update(&**tx).await?;
    let details = json!({"ground": ground.as_str(), "decision_number": number});
    let message = Some("msg-resolution-suspended");
    announce(tx, &at, "suspended", true, &details, message).await?;
    Ok(details)
}

/// Resumes a suspended resolution (Art. 34(2)): the days it stood still are added to the
/// resolution period and the due date is computed again.
pub async fn resume(
    tx: &WriteTx,
    at: Moment<'_>,
    decision: DecisionInput,
) -> Result<Value, ActionError> {
    check_track(&at)?;
    procedure::check_decision(Some(()), &decision.number).map_err(refuse)?;
    let since = at.case.suspended_on.unwrap_or(at.today);
    let paused = procedure::check_resumption(since, at.today, at.today).map_err(refuse)?;
    let total = at.case.paused_days.max(0) as u32 + paused;
    let number = clean_text(&decision.number);
    let due = resolution_due(tx, &at, total).await?;
    let step = Step {
        due_after: due,
        ..Step::decision("resumption", None, &number)
    };
    insert(tx, &at, step).await?;
    let mut c = at.case.clone().into_active_model();
    c.suspended_on = Set(None);
    c.paused_days = Set(total as i32);
    c.resolution_due = Set(due);
    c.update(&**tx).await?;
    let shown = due.map(|d| d.to_string());
    let details = json!({"paused_days": paused, "decision_number": number, "due": shown});
    let message = Some("msg-resolution-resumed");
    announce(tx, &at, "resumed", true, &details, message).await?;
    Ok(details)
}

/// The resolution due date with `paused` days not counted.
async fn resolution_due(
    tx: &WriteTx,
    at: &Moment<'_>,
    paused: u32,
) -> Result<Option<NaiveDate>, DbErr> {
    let working = rules::load_calendar(&**tx).await?;
    let granted = extension_days(&**tx, at.case.report_id).await?;
    let received = local_date(at.case.verified_at.unwrap_or(at.case.received_at));
    let settings = &at.state.config.deadlines;
    let accepted = at.case.accepted_on;
    Ok(calendar::clocks(&working, settings, received, accepted, &granted, paused).resolution_due)
}

/// Terminates the resolution (Art. 34(3)); the case ends without a conclusion.
pub async fn terminate(
    tx: &WriteTx,
    at: Moment<'_>,
    decision: DecisionInput,
) -> Result<Value, ActionError> {
    check_track(&at)?;
    if !decision.confirmed {
        return Err(ActionError::Invalid("error-terminate-confirm"));
    }
    let ground = decision
        .ground
        .as_deref()
        .and_then(TerminationGround::parse);
    let ground = procedure::check_decision(ground, &decision.number).map_err(refuse)?;
    let recorded = withdrawals(&**tx, at.case.report_id).await?;
    procedure::check_termination(ground, &recorded).map_err(refuse)?;
    let number = clean_text(&decision.number);
    let step = Step::decision("termination", Some(ground.as_str()), &number);
    insert(tx, &at, step).await?;
    let mut c = at.case.clone().into_active_model();
    c.suspended_on = Set(None);
    c.closed_at = Set(Some(at.now));
    c.update(&**tx).await?;
    let details = json!({"ground": ground.as_str(), "decision_number": number});
    let message = Some("msg-resolution-terminated");
    announce(tx, &at, "terminated", true, &details, message).await?;
    Ok(details)
}

/// How a notice was sent.
pub const NOTICE_METHODS: [&str; 4] = ["post", "hand", "email", "portal"];

/// Records that a written notice owed to a party was sent. A notice to the denouncer shows on
/// their timeline; one to the person accused does not.
pub async fn record_notice(
    tx: &WriteTx,
    at: Moment<'_>,
    notice: Option<Notice>,
    method: Option<String>,
) -> Result<Value, ActionError> {
    check_track(&at)?;
    let notice = notice.ok_or(ActionError::Invalid("error-notice-required"))?;
    let method = method
        .filter(|m| NOTICE_METHODS.contains(&m.as_str()))
        .ok_or(ActionError::Invalid("error-notice-method"))?;
    let position = position(&**tx, at.case).await?;
    if !procedure::notice_due(notice, &position) {
        return Err(refuse(ProcedureRefusal::NoticeNotDue));
    }
    let step = Step {
        kind: "notice",
        ground: Some(notice.as_str()),
        scope: None,
        form: Some(&method),
        decision_number: None,
        due_after: None,
    };
    insert(tx, &at, step).await?;
    let details = json!({"notice": notice.as_str(), "method": method});
    let to_denouncer = matches!(
        notice,
        Notice::AcceptanceToDenouncer | Notice::ConclusionToDenouncer
    );
    announce(tx, &at, "notice_sent", to_denouncer, &details, None).await?;
    Ok(details)
}

/// How far the case's procedure has gone.
pub async fn position<C: ConnectionTrait>(
    conn: &C,
    case: &crate::platform::persistence::entities::case_file::Model,
) -> Result<Position, DbErr> {
    let status: Option<CaseStatus> = case.status.parse().ok();
    Ok(Position {
        accepted: case.accepted_on.is_some(),
        extensions: extension_days(conn, case.report_id).await?.len(),
        suspended_ever: !steps(conn, case.report_id, "suspension").await?.is_empty(),
        terminated: status == Some(CaseStatus::Terminated),
        concluded: matches!(status, Some(CaseStatus::Concluded | CaseStatus::Closed)),
    })
}

/// Publishes the team lead's summary of the conclusion (Art. 40), once, after checking that
/// it names no party: the denouncer's name, phone and address (opened in memory only, to
/// compare) and the accused's name and number.
pub async fn publish(
    tx: &WriteTx,
    at: Moment<'_>,
    summary: &str,
    identifying: Vec<String>,
) -> Result<Value, ActionError> {
    check_track(&at)?;
    let summary = clean_text(summary);
    procedure::check_publication(&summary, &identifying).map_err(refuse)?;
    let existing = published_conclusion::Entity::find()
        .filter(published_conclusion::Column::ReportId.eq(at.case.report_id))
        .one(&**tx)
        .await?;
    if existing.is_some() {
        return Err(ActionError::Invalid("error-publication-already"));
    }
    let finding = at.case.finding.clone().unwrap_or_default();
    published_conclusion::ActiveModel {
        report_id: Set(at.case.report_id),
        summary: Set(summary),
        unit_id: Set(at.case.unit_id),
        category_id: Set(at.case.category_id),
        finding: Set(finding),
        published_on: Set(at.today),
        published_by: Set(at.user_id),
        created_at: Set(at.now),
        ..Default::default()
    }
    .insert(&**tx)
    .await?;
    let details = json!({"published_on": at.today.to_string()});
    let message = Some("msg-conclusion-published");
    announce(tx, &at, "conclusion_published", true, &details, message).await?;
    Ok(details)
}

/// What must not appear in a published summary: the accused's name and number as reported
/// and as confirmed in the directory. The denouncer's identity is added by the caller.
pub async fn accused_identifiers<C: ConnectionTrait>(
    conn: &C,
    case: &crate::platform::persistence::entities::case_file::Model,
    report: &report::Model,
) -> Result<Vec<String>, DbErr> {
    let mut found: Vec<String> = [report.staff_name.clone(), report.staff_number.clone()]
        .into_iter()
        .flatten()
        .collect();
    if let Some(id) = case.named_staff_member_id {
        if let Some(s) = staff_member::Entity::find_by_id(id).one(conn).await? {
            found.push(s.full_name);
            found.push(s.employee_number);
        }
    }
    Ok(found)
}
