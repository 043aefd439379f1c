//! The public slice's use cases. Each opens at most one write transaction, which holds the row,
//! its timeline event and any message together.

use crate::domain::calendar::local_date;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use crate::domain::receipt::ReceiptCode;
use crate::domain::report::{clean_text, limits, FieldErrors, NewReport, Submission};
use crate::domain::status::CaseStatus;
use crate::platform::crypto::identity_context;
use crate::platform::crypto::{self, SecretKey32};
use crate::platform::persistence::entities::{
    case_event, case_file, message, org_unit, report, report_key, reporter_identity,
    violation_category,
};
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;
use crate::web::throttle::Verdict;

pub use super::disclosure::disclose_identity;
pub use super::status::{status_view, MessageView, StatusView, TimelineEntry};

/// Purpose string of the receipt lookup hash.
const RECEIPT_PURPOSE: &str = "receipt-v1";

/// Who wrote a message or caused an event.
pub mod actor {
    pub const REPORTER: &str = "reporter";
    pub const SYSTEM: &str = "system";
    pub const STAFF: &str = "staff";
}

/// Timeline event kinds.
pub mod event {
    pub const RECEIVED: &str = "received";
    pub const REPORTER_REPLIED: &str = "reporter_replied";
}

/// The catalogue key of the automatic acknowledgement; system messages store a key, not text,
/// so each reader sees them in their own language.
pub const AUTO_ACK_KEY: &str = "msg-auto-ack";
/// … to a named report: its denouncer is verified first (`domain::track`).
pub const AUTO_ACK_NAMED_KEY: &str = "msg-auto-ack-named";

/// Why a valid-looking report could not be stored.
pub enum SubmitError {
    Invalid(FieldErrors),
    Internal(AppError),
}

impl From<AppError> for SubmitError {
    fn from(error: AppError) -> Self {
        SubmitError::Internal(error)
    }
}

impl From<sea_orm::DbErr> for SubmitError {
    fn from(error: sea_orm::DbErr) -> Self {
        SubmitError::Internal(error.into())
    }
}

/// How a report reaches the portal: the reporter's own web form, or an operator entering a
/// caller's report through the channel they came by (`public_reporting::intake`).
pub enum Intake<'a> {
    Web,
    Operator {
        /// An active channel's code other than `web`, checked by the caller.
        channel: &'a str,
        operator: &'a crate::platform::audit::Actor,
        /// The caller's phone, when they agreed to get the receipt code by SMS.
        sms_to: Option<&'a str>,
        /// An operator's system through the API (`intake:write`) with an `Idempotency-Key`.
        idempotency: Option<&'a crate::web::api::idempotency::Claim>,
    },
    /// The reporter's own app through the API (`public_reporting::api`), counted under the
    /// `api` channel; with an `Idempotency-Key`, its record is written in the submission's
    /// transaction.
    Api {
        idempotency: Option<&'a crate::web::api::idempotency::Claim>,
    },
}

impl Intake<'_> {
    fn channel(&self) -> &str {
        match self {
            Intake::Web => crate::platform::persistence::entities::intake_channel::WEB,
            Intake::Api { .. } => crate::platform::persistence::entities::intake_channel::API,
            Intake::Operator { channel, .. } => channel,
        }
    }
}

/// A report from the web form: [`submit_report_via`] the `web` channel.
pub async fn submit_report(
    state: &AppState,
    new: NewReport,
    data_key: SecretKey32,
    files: &[crate::platform::evidence::upload::StagedFile],
) -> Result<ReceiptCode, SubmitError> {
    submit_report_via(state, new, data_key, files, &Intake::Web).await
}

/// Stores a validated report with its data key, sealed text and identity, evidence files
/// (already in the store, encrypted under `data_key`), first timeline event and the automatic
/// acknowledgement, in one transaction; returns the receipt code to show once. An operator's
/// report is audited in the same transaction, naming the operator and the channel only.
pub async fn submit_report_via(
    state: &AppState,
    new: NewReport,
    data_key: SecretKey32,
    files: &[crate::platform::evidence::upload::StagedFile],
    intake: &Intake<'_>,
) -> Result<ReceiptCode, SubmitError> {
    let now = state.clock.now();
    let mut errors = FieldErrors::new();
    let unit = org_unit::Entity::find_by_id(new.unit_id)
        .one(state.db.conn())
        .await?;
    let today = local_date(now);
    if unit.is_none_or(|u| u.active_to.is_some_and(|to| to < today)) {
        errors.insert("unit_id", "error-unit-required");
    }
    let category = violation_category::Entity::find_by_id(new.category_id)
        .one(state.db.conn())
        .await?;
    if !category.is_some_and(|c| c.active) {
        errors.insert("category_id", "error-category-required");
    }
    if !errors.is_empty() {
        return Err(SubmitError::Invalid(errors));
    }

    let code = ReceiptCode::generate();
    let lookup = crypto::lookup_hash(&state.config.receipt_key, RECEIPT_PURPOSE, code.as_str());
    let receipt_hash = state
        .hasher
        .hash(code.as_str().to_string())
        .await
        .map_err(AppError::from)?;

    let tx = state.db.begin_write().await?;
    let row = report::ActiveModel {
        unit_id: Set(new.unit_id),
        category_id: Set(new.category_id),
        occurred_on: Set(new.occurred_on),
        occurred_time: Set(new.occurred_time.map(|t| t.format("%H:%M").to_string())),
        description: Set(String::new()),
        staff_name: Set(new.staff_name.clone()),
        staff_number: Set(new.staff_number.clone()),
        staff_description: Set(None),
        submission_kind: Set(new.submission.kind().to_string()),
        escalate_above: Set(new.escalate_above),
        status: Set(CaseStatus::Received.as_str().to_string()),
        receipt_lookup: Set(lookup),
        receipt_hash: Set(receipt_hash),
        received_at: Set(now),
        updated_at: Set(now),
        reporter_last_seen_at: Set(None),
        consent_version: Set(matches!(new.submission, Submission::Named(_))
            .then(|| crate::platform::privacy::NOTICE_VERSION.to_string())),
        consented_on: Set(matches!(new.submission, Submission::Named(_)).then_some(today)),
        channel: Set(intake.channel().to_string()),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    let free_text = crate::platform::evidence::text::ReportText {
        description: new.description.clone(),
        staff_description: new.staff_description.clone(),
    };
    let tokens = crate::platform::evidence::text::tokens(&state.config.receipt_key, &free_text);
    let mut sealing = row.clone().into_active_model();
    sealing.sealed_text = Set(Some(crate::platform::evidence::text::seal(
        &data_key, row.id, &free_text,
    )));
    let row = sealing.update(&*tx).await?;

    report_key::ActiveModel {
        report_id: Set(row.id),
        wrapped_key: Set(crypto::wrap_data_key(
            &state.config.master_key,
            row.id,
            &data_key,
        )),
        master_key_id: Set(state.config.master_key.key_id()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;

    if let Submission::Named(identity) = &new.submission {
        let plaintext = serde_json::to_vec(identity)
            .map_err(|e| SubmitError::Internal(AppError::internal(e)))?;
        reporter_identity::ActiveModel {
            report_id: Set(row.id),
            sealed: Set(crypto::seal(
                &data_key,
                &identity_context(row.id),
                &plaintext,
            )),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&*tx)
        .await?;
    }

    if let Intake::Api {
        idempotency: Some(claim),
    }
    | Intake::Operator {
        idempotency: Some(claim),
        ..
    } = intake
    {
        claim.record(&*tx, row.id, code.as_str(), now).await?;
    }
    crate::case_management::intake::open_case(&*tx, &state.config, &row, &tokens, now).await?;
    crate::case_management::evidence::record(
        &*tx,
        row.id,
        crate::case_management::evidence::Uploader::Reporter,
        crate::case_management::evidence::SHARED,
        files,
        now,
    )
    .await?;
    crate::analytics::rollups::Tracker::new_report(row.id)
        .after(&*tx)
        .await?;
    insert_event(&tx, row.id, event::RECEIVED, actor::SYSTEM, now).await?;
    message::ActiveModel {
        report_id: Set(row.id),
        author_kind: Set(actor::SYSTEM.to_string()),
        author_user_id: Set(None),
        body: Set(if row.submission_kind == "named" {
            AUTO_ACK_NAMED_KEY
        } else {
            AUTO_ACK_KEY
        }
        .to_string()),
        internal: Set(false),
        created_at: Set(now),
        read_by_reporter_at: Set(None),
        read_by_staff_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    if let Intake::Operator {
        sms_to: Some(phone),
        ..
    } = intake
    {
        let sms = crate::platform::notify::ReceiptSms {
            phone: phone.to_string(),
            code: code.display(),
        };
        crate::platform::notify::enqueue_receipt_sms(&*tx, now, row.id, &data_key, &sms).await?;
    }
    if let Intake::Operator {
        channel, operator, ..
    } = intake
    {
        crate::platform::audit::record(
            &*tx,
            now,
            crate::platform::audit::Entry {
                actor: operator,
                action: "intake_report",
                object_type: "case",
                object_id: Some(row.id.to_string()),
                details: serde_json::json!({"channel": channel}),
            },
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(
        report_id = row.id,
        kind = new.submission.kind(),
        files = files.len(),
        "report received"
    );
    Ok(code)
}

/// A reporter's action the team should notice: a timeline event, and the case marked unread.
pub(super) async fn record_reporter_event(
    tx: &crate::platform::persistence::WriteTx,
    report_id: i32,
    kind: &str,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    insert_event(tx, report_id, kind, actor::REPORTER, now).await?;
    case_file::Entity::update_many()
        .col_expr(
            case_file::Column::StaffUnread,
            sea_orm::sea_query::Expr::value(true),
        )
        .filter(case_file::Column::ReportId.eq(report_id))
        .exec(&**tx)
        .await?;
    Ok(())
}

pub(super) async fn insert_event(
    tx: &crate::platform::persistence::WriteTx,
    report_id: i32,
    kind: &str,
    actor_kind: &str,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    case_event::ActiveModel {
        report_id: Set(report_id),
        kind: Set(kind.to_string()),
        actor_kind: Set(actor_kind.to_string()),
        actor_user_id: Set(None),
        visible_to_reporter: Set(true),
        detail: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&**tx)
    .await?;
    Ok(())
}

/// [`open_by_receipt`] under the per-address throttle: a wrong code counts against the address,
/// the right one clears it; a throttled address is answered before any lookup. The attempt is
/// reserved (counted as a failure) before its Argon2 check, so simultaneous guesses, on one
/// node or several, see each other; the right code then clears the address's counter.
pub async fn open_throttled(
    state: &AppState,
    client_key: &str,
    typed: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<i32>> {
    let reservation = match state.receipt_limiter.reserve(client_key, now).await {
        Ok(reservation) => reservation,
        Err(refusal) => {
            return Err(match refusal.verdict {
                Verdict::Locked(minutes) => AppError::LockedOut(minutes),
                Verdict::Wait(seconds) => AppError::SlowDown(seconds),
                Verdict::Allowed => AppError::SlowDown(1),
            })
        }
    };
    let found = match open_by_receipt(state, typed).await {
        Ok(found) => found,
        Err(error) => {
            // Not evaluated, so not a failure.
            state.receipt_limiter.forgive(reservation).await;
            return Err(error);
        }
    };
    if found.is_some() {
        state.receipt_limiter.record_success(client_key).await;
    }
    Ok(found)
}

/// Finds the report a receipt code opens. Unknown codes, malformed codes and wrong codes all
/// cost one Argon2id verification and all answer `None`.
/// The report of a receipt code the portal itself handed over (the receipt page's private
/// cookie): found by its keyed lookup hash alone, without the Argon2 check a typed code needs.
pub async fn report_of_issued_receipt(
    state: &AppState,
    code: &ReceiptCode,
) -> AppResult<Option<i32>> {
    let lookup = crypto::lookup_hash(&state.config.receipt_key, RECEIPT_PURPOSE, code.as_str());
    Ok(report::Entity::find()
        .filter(report::Column::ReceiptLookup.eq(lookup))
        .one(state.db.conn())
        .await?
        .map(|r| r.id))
}

pub async fn open_by_receipt(state: &AppState, typed: &str) -> AppResult<Option<i32>> {
    let Some(code) = ReceiptCode::parse(typed) else {
        state.hasher.verify_dummy(typed.to_string()).await?;
        return Ok(None);
    };
    let lookup = crypto::lookup_hash(&state.config.receipt_key, RECEIPT_PURPOSE, code.as_str());
    let found = report::Entity::find()
        .filter(report::Column::ReceiptLookup.eq(lookup))
        .one(state.db.conn())
        .await?;
    match found {
        Some(row) => {
            let matches = state
                .hasher
                .verify(code.as_str().to_string(), row.receipt_hash.clone())
                .await?;
            Ok(matches.then_some(row.id))
        }
        None => {
            state.hasher.verify_dummy(code.as_str().to_string()).await?;
            Ok(None)
        }
    }
}

/// Adds the reporter's reply to the case.
pub async fn add_reply(state: &AppState, report_id: i32, body: &str) -> Result<(), &'static str> {
    add_reply_entered_by(state, report_id, body, None).await
}

/// Adds the reporter's reply; `operator` typed it for a caller on the phone (`intake`), and is
/// audited in the same transaction without the reply's words. The reply stays the reporter's.
pub async fn add_reply_entered_by(
    state: &AppState,
    report_id: i32,
    body: &str,
    operator: Option<&crate::platform::audit::Actor>,
) -> Result<(), &'static str> {
    let body = clean_text(body);
    let length = body.chars().count();
    if length == 0 {
        return Err("error-reply-required");
    }
    if length > limits::REPLY_MAX {
        return Err("error-reply-long");
    }
    store_reply(state, report_id, body, operator)
        .await
        .map_err(|error| {
            tracing::error!(error = %error, "storing a reply failed");
            "error-500"
        })
}

async fn store_reply(
    state: &AppState,
    report_id: i32,
    body: String,
    operator: Option<&crate::platform::audit::Actor>,
) -> AppResult<()> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let tracker = crate::analytics::rollups::Tracker::before(&*tx, report_id).await?;
    let row = report::Entity::find_by_id(report_id)
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let data_key = crate::case_management::evidence::data_key(&*tx, state, report_id).await?;
    message::ActiveModel {
        report_id: Set(report_id),
        author_kind: Set(actor::REPORTER.to_string()),
        author_user_id: Set(None),
        body: Set(String::new()),
        sealed_body: Set(Some(crate::platform::evidence::text::seal_reply(
            &data_key, report_id, &body,
        ))),
        internal: Set(false),
        created_at: Set(now),
        read_by_reporter_at: Set(Some(now)),
        read_by_staff_at: Set(None),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    insert_event(
        &tx,
        report_id,
        event::REPORTER_REPLIED,
        actor::REPORTER,
        now,
    )
    .await?;
    let mut active = row.into_active_model();
    active.updated_at = Set(now);
    active.reporter_last_seen_at = Set(Some(now));
    active.update(&*tx).await?;
    // The inspectors see an unread marker until they open the case.
    case_file::Entity::update_many()
        .col_expr(
            case_file::Column::StaffUnread,
            sea_orm::sea_query::Expr::value(true),
        )
        .col_expr(
            case_file::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(case_file::Column::ReportId.eq(report_id))
        .exec(&*tx)
        .await?;
    crate::case_management::alerts::tell_case_staff(
        &*tx,
        &state.config,
        now,
        report_id,
        "case-reply",
    )
    .await?;
    tracker.after(&*tx).await?;
    if let Some(operator) = operator {
        let entry = crate::platform::audit::Entry {
            actor: operator,
            action: "intake_reply",
            object_type: "case",
            object_id: Some(report_id.to_string()),
            details: serde_json::json!({}),
        };
        crate::platform::audit::record(&*tx, now, entry).await?;
    }
    tx.commit().await?;
    Ok(())
}
