//! `POST /api/v1/intake`: the call-centre CRM acting as an operator (`intake:write`). The same
//! service as `/intake` (`super::file_for_caller`): the web form's fields and rules, a channel
//! an operator may choose (the hotline unless the request names another), the receipt SMS on
//! the caller's agreement, audited under the integration's name and the channel, never the
//! content. The receipt code is answered once, to be read to the caller; a retry with the same
//! `Idempotency-Key` and body answers it again and files nothing more.

use rocket::http::Header;
use rocket::serde::json::Json;
use rocket::{post, routes, Route, State};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use super::{file_for_caller, CallerReport};
use crate::auth::api_token::{IntakeWrite, Integration};
use crate::domain::receipt::ReceiptCode;
use crate::public_reporting::api::Created;
use crate::public_reporting::api_types::NewReportBody;
use crate::public_reporting::service::SubmitError;
use crate::web::api::idempotency::{Claim, Earlier, IdempotencyHeader};
use crate::web::api::{ApiError, ApiJson, ApiLang, ApiResult};
use crate::web::state::AppState;

/// The channel of a call-centre report when the request names none.
pub const DEFAULT_CHANNEL: &str = "hotline";

pub fn routes() -> Vec<Route> {
    routes![submit_intake]
}

#[derive(OpenApi)]
#[openapi(paths(submit_intake))]
struct IntakeApi;

/// This part of the OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    IntakeApi::openapi()
}

/// A caller's report as an operator enters it.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewIntakeBody {
    /// The report, with the web form's fields and rules (a named report needs `consent`,
    /// given after the privacy notice was read to the caller).
    pub report: NewReportBody,
    /// The channel it came by: an active channel's code other than `web` and `api`
    /// (`hotline`, `office`, `letter`, `email`, `social`, or one an admin added); `hotline`
    /// when absent.
    #[serde(default)]
    #[schema(example = "hotline")]
    pub channel: Option<String>,
    /// The caller's phone, to send them the receipt code by SMS (needs `sms_agree`).
    #[serde(default)]
    pub sms_phone: Option<String>,
    /// The caller agreed to get the receipt code by SMS.
    #[serde(default)]
    pub sms_agree: bool,
}

/// The receipt: read the code to the caller; it is shown this once (a retry with the same
/// `Idempotency-Key` shows it again).
#[derive(Debug, Serialize, ToSchema)]
pub struct IntakeReceipt {
    /// 25 digits in five groups: the caller's only key to the report.
    #[schema(example = "12345 67890 12345 67890 12345")]
    pub receipt_code: String,
    /// The channel the report is counted under.
    pub channel: String,
    /// Whether this answers a retry of an earlier submission (same `Idempotency-Key`).
    pub replayed: bool,
}

/// Enters a caller's report as an operator does on `/intake`; answers the receipt code once.
#[utoipa::path(post, path = "/api/v1/intake", tag = "intake", request_body = NewIntakeBody,
    params(("Idempotency-Key" = Option<String>, Header,
        description = "8–128 visible ASCII characters, e.g. a UUID; kept for a day")),
    security(("integration" = ["intake:write"])),
    responses((status = 201, description = "Received", body = IntakeReceipt,
        headers(("Idempotent-Replayed" = String, description = "`true` when this answers a retry")))))]
#[post("/api/v1/intake", data = "<body>")]
async fn submit_intake(
    client: Integration<IntakeWrite>,
    state: &State<AppState>,
    lang: ApiLang,
    key: IdempotencyHeader,
    body: ApiJson<NewIntakeBody>,
) -> ApiResult<Created<IntakeReceipt>> {
    let receipt = submit(state, &client, lang, key, body.0).await?;
    Ok(Created {
        replayed: Header::new("Idempotent-Replayed", receipt.replayed.to_string()),
        body: Json(receipt),
    })
}

async fn submit(
    state: &AppState,
    client: &crate::auth::api_token::ApiClient,
    lang: ApiLang,
    key: IdempotencyHeader,
    body: NewIntakeBody,
) -> ApiResult<IntakeReceipt> {
    let channel = body
        .channel
        .clone()
        .unwrap_or_else(|| DEFAULT_CHANNEL.to_string());
    // Bound to the integration, so that another client's key never answers this one.
    let canonical = serde_json::to_string(&body).map_err(|e| ApiError::Internal(e.to_string()))?;
    let canonical = format!("intake:{}:{canonical}", client.token_id);
    let claim = key
        .0
        .map(|key| Claim::new(&state.config.receipt_key, &key, &canonical));
    if let Some(replay) = replay(state, claim.as_ref(), &channel).await? {
        return Ok(replay);
    }
    let caller = CallerReport {
        input: body.report.to_input(),
        channel: channel.clone(),
        sms_phone: body.sms_phone.clone().unwrap_or_default(),
        sms_agree: body.sms_agree,
    };
    match file_for_caller(state, &client.actor(), &caller, lang.0, claim.as_ref()).await {
        Ok(code) => Ok(IntakeReceipt {
            receipt_code: code.display(),
            channel,
            replayed: false,
        }),
        Err(SubmitError::Invalid(errors)) => Err(ApiError::Invalid(errors)),
        // A concurrent retry with the same key committed first: answer what it stored.
        Err(SubmitError::Internal(error)) => match replay(state, claim.as_ref(), &channel).await {
            Ok(Some(replay)) => Ok(replay),
            _ => Err(error.into()),
        },
    }
}

/// The earlier answer under the same key, or a refusal when the key came with another body.
async fn replay(
    state: &AppState,
    claim: Option<&Claim>,
    channel: &str,
) -> ApiResult<Option<IntakeReceipt>> {
    let Some(claim) = claim else {
        return Ok(None);
    };
    match claim.earlier(state.db.conn(), state.clock.now()).await? {
        None => Ok(None),
        Some(Earlier::Different) => Err(ApiError::KeyReused),
        Some(Earlier::Same { receipt, .. }) => {
            let code = ReceiptCode::parse(&receipt).ok_or(ApiError::KeyReused)?;
            Ok(Some(IntakeReceipt {
                receipt_code: code.display(),
                channel: channel.to_string(),
                replayed: true,
            }))
        }
    }
}
