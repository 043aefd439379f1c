//! What the intake pages show: the report form with the channel select, and the caller's case
//! as its reporter sees it. Field names are exactly those the templates under
//! `templates/intake/` read.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use crate::domain::report::{limits, FieldErrors};
use crate::platform::persistence::entities::intake_channel;
use crate::public_reporting::forms::ReportForm;
use crate::public_reporting::service::StatusView;
use crate::public_reporting::views::ReportFormView;
use crate::web::error::AppResult;
use crate::web::i18n::Lang;
use crate::web::state::AppState;

/// One channel an operator may choose.
#[derive(Debug, Serialize)]
pub struct ChannelOption {
    pub code: String,
    pub name: String,
}

/// The active channels an operator may choose: every one but the portal's own web form and the
/// reporters' apps (the API).
pub async fn operator_channels(state: &AppState, lang: Lang) -> AppResult<Vec<ChannelOption>> {
    Ok(intake_channel::Entity::find()
        .filter(intake_channel::Column::Active.eq(true))
        .filter(intake_channel::Column::Code.is_not_in([intake_channel::WEB, intake_channel::API]))
        .order_by_asc(intake_channel::Column::SortOrder)
        .order_by_asc(intake_channel::Column::Id)
        .all(state.db.conn())
        .await?
        .into_iter()
        .map(|c| ChannelOption {
            name: lang.pick(&c.name_vi, &c.name_en),
            code: c.code,
        })
        .collect())
}

/// `intake/report_form`: the web form's view, the channels and the one chosen.
#[derive(Serialize)]
pub struct IntakeFormView {
    #[serde(flatten)]
    pub report: ReportFormView,
    /// Where the unit filter and the form go.
    pub form_path: &'static str,
    pub channels: Vec<ChannelOption>,
    pub channel: String,
    /// The caller's phone for the receipt SMS as typed, and their agreement.
    pub sms_phone: String,
    pub sms_agree: bool,
}

impl IntakeFormView {
    pub async fn load(
        state: &AppState,
        lang: Lang,
        form: &ReportForm,
        errors: &FieldErrors,
        unit_q: &str,
    ) -> AppResult<Self> {
        Ok(Self {
            report: ReportFormView::load(state, lang, form, errors, unit_q).await?,
            form_path: "/intake",
            channels: operator_channels(state, lang).await?,
            channel: form.channel.clone().unwrap_or_default(),
            sms_phone: form.sms_phone.clone().unwrap_or_default(),
            sms_agree: form.sms_agree,
        })
    }
}

/// `intake/lookup`: the receipt-code form.
#[derive(Serialize)]
pub struct LookupView {
    pub error: Option<String>,
}

/// `intake/case`: what the caller may hear of their report, and the reply form.
#[derive(Serialize)]
pub struct CaseView {
    pub report: StatusView,
    pub reply: String,
    pub reply_error: Option<String>,
    pub reply_max: usize,
}

impl CaseView {
    pub fn new(report: StatusView) -> Self {
        Self {
            report,
            reply: String::new(),
            reply_error: None,
            reply_max: limits::REPLY_MAX,
        }
    }
}
