//! What the public API's handlers call (`public_reporting::api`): each function reuses the
//! web's own service — `submit_report_via`, `open_throttled`, `read_report`, `add_reply`, the
//! follow-up file intake, the outcome, the reporter's files and their download — and turns
//! its outcome into an API body or an `ApiError`.

use chrono::Duration;
use rocket::data::Data;
use rocket::http::{ContentType, Status};

use super::api_types::*;
use super::service::{self, Intake, SubmitError};
use super::status;
use super::uploads::add_follow_up_files;
use crate::auth::api_reporter::{self, Purpose};
use crate::domain::receipt::ReceiptCode;
use crate::domain::report::FieldErrors;
use crate::platform::crypto::SecretKey32;
use crate::web::api::etag::{IfNoneMatch, Tagged};
use crate::web::api::idempotency::{Claim, Earlier, IdempotencyKey};
use crate::web::api::{ApiError, ApiLimits, ApiResult};
use crate::web::i18n::Lang;
use crate::web::state::AppState;

/// The units open today, from the reference data in memory (`web::reference`).
pub async fn units(state: &AppState, held: &IfNoneMatch) -> ApiResult<Tagged> {
    let today = state.clock.today();
    let catalogue = state.reference.current(&state.db, today).await;
    let units = catalogue
        .data()
        .units
        .iter()
        .filter(|u| u.active_to.is_none_or(|to| to >= today))
        .cloned()
        .map(UnitItem::from)
        .collect();
    Tagged::new(&UnitList { units }, held).map_err(|e| ApiError::Internal(e.to_string()))
}

/// The active categories in their order, from the reference data in memory.
pub async fn categories(state: &AppState, held: &IfNoneMatch) -> ApiResult<Tagged> {
    let catalogue = state
        .reference
        .current(&state.db, state.clock.today())
        .await;
    let categories = catalogue
        .data()
        .categories
        .iter()
        .filter(|c| c.active)
        .cloned()
        .map(CategoryItem::from)
        .collect();
    Tagged::new(&CategoryList { categories }, held).map_err(|e| ApiError::Internal(e.to_string()))
}

/// Sends a report as the web form does (`service::submit_report_via`, the `api` channel);
/// returns the receipt and whether it answers a retry.
pub async fn submit(
    state: &AppState,
    limits: &ApiLimits,
    address: &str,
    key: Option<IdempotencyKey>,
    body: NewReportBody,
) -> ApiResult<(ReportReceipt, bool)> {
    let now = state.clock.now();
    let canonical = serde_json::to_string(&body).map_err(|e| ApiError::Internal(e.to_string()))?;
    let claim = key.map(|key| Claim::new(&state.config.receipt_key, &key, &canonical));
    if let Some(replay) = replay(state, claim.as_ref()).await? {
        return Ok((replay, true));
    }
    limits
        .reports
        .acquire(address, now)
        .await
        .map_err(|minutes| ApiError::TooMany(minutes * 60))?;
    let outcome = match body.to_input().validate(state.clock.today()) {
        Ok(new) => {
            let intake = Intake::Api {
                idempotency: claim.as_ref(),
            };
            service::submit_report_via(state, new, SecretKey32::generate(), &[], &intake).await
        }
        Err(errors) => Err(SubmitError::Invalid(errors)),
    };
    match outcome {
        Ok(code) => {
            let report_id = service::report_of_issued_receipt(state, &code)
                .await?
                .ok_or(ApiError::NotFound)?;
            Ok((receipt(state, report_id, &code), false))
        }
        Err(SubmitError::Invalid(errors)) => {
            limits.reports.release(address, now).await;
            Err(ApiError::Invalid(errors))
        }
        // A concurrent retry with the same key committed first: answer what it stored.
        Err(SubmitError::Internal(error)) => match replay(state, claim.as_ref()).await {
            Ok(Some(replay)) => Ok((replay, true)),
            _ => Err(error.into()),
        },
    }
}

/// The earlier answer under the same key, or a refusal when the key came with another body.
async fn replay(state: &AppState, claim: Option<&Claim>) -> ApiResult<Option<ReportReceipt>> {
    let Some(claim) = claim else {
        return Ok(None);
    };
    match claim.earlier(state.db.conn(), state.clock.now()).await? {
        None => Ok(None),
        Some(Earlier::Different) => Err(ApiError::KeyReused),
        Some(Earlier::Same { report_id, receipt }) => {
            let code = ReceiptCode::parse(&receipt).ok_or(ApiError::KeyReused)?;
            Ok(Some(self::receipt(state, report_id, &code)))
        }
    }
}

fn receipt(state: &AppState, report_id: i32, code: &ReceiptCode) -> ReportReceipt {
    let expires = state.clock.now() + api_reporter::upload_lifetime();
    let key = &state.config.receipt_key;
    ReportReceipt {
        receipt_code: code.display(),
        upload_token: api_reporter::issue(key, Purpose::Upload, report_id, expires),
        upload_expires_at: expires,
        replayed: false,
    }
}

/// What `POST /api/v1/reports/{upload_token}/files` came with.
pub struct Upload<'a> {
    pub token: &'a str,
    pub address: &'a str,
    pub content_type: Option<&'a ContentType>,
}

/// Adds the files to the report the upload token names, as the follow-up page does.
pub async fn add_files(
    state: &AppState,
    lang: Lang,
    upload: Upload<'_>,
    data: Data<'_>,
) -> ApiResult<()> {
    let now = state.clock.now();
    let key = &state.config.receipt_key;
    let report_id =
        api_reporter::open(key, Purpose::Upload, upload.token, now).ok_or(ApiError::NotFound)?;
    let Some(content_type) = upload.content_type.filter(|ct| ct.is_form_data()) else {
        return Err(ApiError::Refused(
            Status::UnsupportedMediaType,
            lang.t("api-detail-415"),
        ));
    };
    match add_follow_up_files(state, report_id, upload.address, content_type, data).await? {
        Ok(()) => Ok(()),
        Err(refusal) if refusal.status() == Status::TooManyRequests => Err(ApiError::TooMany(3600)),
        Err(refusal) => Err(ApiError::Refused(
            refusal.status(),
            refusal.text(lang, &state.config.evidence),
        )),
    }
}

/// The web's receipt-code check under the same throttle, then a short-lived token.
pub async fn open_session(
    state: &AppState,
    address: &str,
    typed: &str,
) -> ApiResult<FollowUpSession> {
    let now = state.clock.now();
    let Some(report_id) = service::open_throttled(state, address, typed, now).await? else {
        let mut errors = FieldErrors::new();
        errors.insert("receipt_code", "error-receipt-generic");
        return Err(ApiError::Invalid(errors));
    };
    let lifetime = Duration::minutes(state.config.api.follow_up_token_minutes);
    let key = &state.config.receipt_key;
    Ok(FollowUpSession {
        access_token: api_reporter::issue(key, Purpose::FollowUp, report_id, now + lifetime),
        token_type: "Bearer".into(),
        expires_in: lifetime.num_seconds(),
    })
}

pub async fn status(state: &AppState, report_id: i32, lang: Lang) -> ApiResult<ReportStatus> {
    let read = status::read_report(state, report_id, lang).await?;
    Ok(ReportStatus {
        summary: read.summary,
        received_at: local_instant(read.received_at),
        occurred_on: read.occurred_on,
        dates: read
            .dates
            .into_iter()
            .map(|d| DateItem {
                label: d.label,
                date: d.date,
            })
            .collect(),
    })
}

pub async fn timeline(state: &AppState, report_id: i32, lang: Lang) -> ApiResult<Timeline> {
    let read = status::read_report(state, report_id, lang).await?;
    let entries = read
        .timeline
        .into_iter()
        .map(|e| TimelineItem {
            at: local_instant(e.at),
            text: e.text,
        })
        .collect();
    Ok(Timeline { entries })
}

pub async fn messages(state: &AppState, report_id: i32, lang: Lang) -> ApiResult<Messages> {
    let read = status::read_report(state, report_id, lang).await?;
    let messages = read
        .messages
        .into_iter()
        .map(|m| MessageItem {
            at: local_instant(m.at),
            from_reporter: m.from_reporter,
            author: m.author,
            body: m.body,
        })
        .collect();
    Ok(Messages { messages })
}

/// The outcome as the follow-up page shows it (the same setting on measures); none before
/// the report is concluded.
pub async fn outcome(state: &AppState, report_id: i32, lang: Lang) -> ApiResult<OutcomeBody> {
    let outcome = crate::discipline::service::reporter_outcome(
        state.db.conn(),
        report_id,
        state.config.discipline.reporter_sees_measures,
        lang,
    )
    .await?;
    Ok(OutcomeBody {
        outcome: outcome.map(OutcomeItem::from),
    })
}

/// The files the reporter may see: their own and those shared with them (as on the page).
pub async fn files(state: &AppState, report_id: i32, lang: Lang) -> ApiResult<FileList> {
    let files = crate::case_management::evidence::for_reporter(state.db.conn(), lang, report_id)
        .await?
        .into_iter()
        .map(FileItem::from)
        .collect();
    Ok(FileList { files })
}

/// One of those files, as the page's download gives it (the cleaned copy where there is one;
/// another report's file, or one not shared with the reporter, is 404); audited as the page's.
pub async fn download(
    state: &AppState,
    report_id: i32,
    file_id: i32,
) -> ApiResult<crate::case_management::evidence::Download> {
    use crate::case_management::evidence::{self, Variant};
    let row = evidence::find(state.db.conn(), report_id, file_id, true).await?;
    let reporter = crate::platform::audit::Actor::Claimed("reporter".into());
    Ok(evidence::download(state, &reporter, row, Variant::Default).await?)
}

pub async fn reply(state: &AppState, report_id: i32, body: &str) -> ApiResult<()> {
    match service::add_reply(state, report_id, body).await {
        Ok(()) => Ok(()),
        Err("error-500") => Err(ApiError::Internal("storing a reply failed".into())),
        Err(key) => {
            let mut errors = FieldErrors::new();
            errors.insert("body", key);
            Err(ApiError::Invalid(errors))
        }
    }
}
