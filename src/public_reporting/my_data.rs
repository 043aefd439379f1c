//! "Dữ liệu của tôi": with the receipt's follow-up session, a reporter sees the personal data the
//! portal holds about them (the identity, opened for them only; the consent; their files),
//! corrects their contact details, and withdraws their identity (Law on Personal Data
//! Protection No. 91/2025/QH15). Every such action is audited without content.
//! URL prefix `/follow-up/my-data`.

use rocket::form::{Form, FromForm};
use rocket::response::{Flash, Redirect};
use rocket::{get, post, uri, State};
use rocket_dyn_templates::Template;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde::Serialize;
use serde_json::Value;

use super::forms::DiscloseForm;
use super::views::IdentityFields;
use crate::auth::reporter::ReporterSession;
use crate::case_management::evidence::FileView;
use crate::case_management::retention::{identity, Origin};
use crate::case_management::service::reveal_identity;
use crate::domain::report::{validate_identity_fields, FieldErrors, ReporterIdentity};
use crate::platform::audit::{self, Actor, Entry};
use crate::platform::crypto::{self, identity_context};
use crate::platform::persistence::entities::{report, reporter_identity};
use crate::web::error::{AppError, AppResult};
use crate::web::format::show_date;
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;

/// `public/my_data`.
#[derive(Serialize)]
pub struct MyDataView {
    /// The identity held, opened for this reporter; none for a tip.
    pub identity: Option<IdentityFields>,
    /// The corrected contact details as typed, when they need correcting.
    pub form: IdentityFields,
    pub errors: Value,
    pub consent_version: Option<String>,
    pub consented_on: Option<String>,
    pub files: Vec<FileView>,
    pub withdraw_error: Option<String>,
}

impl MyDataView {
    async fn load(state: &AppState, report_id: i32, lang: Lang) -> AppResult<Self> {
        let row = report::Entity::find_by_id(report_id)
            .one(state.db.conn())
            .await?
            .ok_or(AppError::NotFound)?;
        let identity = reveal_identity(state, report_id).await?.map(fields_of);
        let files =
            crate::case_management::evidence::for_reporter(state.db.conn(), lang, report_id)
                .await?
                .into_iter()
                .filter(|f| f.by_reporter)
                .collect();
        Ok(Self {
            form: identity
                .as_ref()
                .map(|i| i.clone_fields())
                .unwrap_or_default(),
            identity,
            errors: translate(lang, &FieldErrors::new()),
            consent_version: row.consent_version,
            consented_on: row.consented_on.map(show_date),
            files,
            withdraw_error: None,
        })
    }
}

fn fields_of(identity: ReporterIdentity) -> IdentityFields {
    IdentityFields {
        full_name: identity.full_name,
        address: identity.address,
        phone: identity.phone,
    }
}

impl IdentityFields {
    fn clone_fields(&self) -> Self {
        Self {
            full_name: self.full_name.clone(),
            address: self.address.clone(),
            phone: self.phone.clone(),
        }
    }
}

/// The withdrawal's confirmation box.
#[derive(Debug, FromForm)]
pub struct WithdrawForm {
    pub confirm: bool,
}

#[get("/follow-up/my-data")]
pub async fn show_my_data(
    page: PageCtx,
    state: &State<AppState>,
    session: ReporterSession,
) -> AppResult<Template> {
    let view = MyDataView::load(state, session.report_id, page.lang).await?;
    audited(state, session.report_id, "personal_data_viewed").await?;
    Ok(page.render("public/my_data", view))
}

#[post("/follow-up/my-data/contact", data = "<form>")]
pub async fn correct_contact(
    page: PageCtx,
    state: &State<AppState>,
    session: ReporterSession,
    form: Form<DiscloseForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let typed = form.fields();
    let outcome = validate_identity_fields(&typed.full_name, &typed.address, &typed.phone);
    let errors = match outcome {
        Ok(identity) => match correct(state, session.report_id, &identity).await {
            Ok(true) => return Ok(Flash::success(back(), "flash-identity-corrected")),
            Ok(false) => FieldErrors::from([("full_name", "error-no-identity")]),
            Err(error) => return Err(AppResultPage::Error(error)),
        },
        Err(errors) => errors,
    };
    let view = MyDataView::load(state, session.report_id, page.lang)
        .await
        .map_err(AppResultPage::Error)?;
    let view = MyDataView {
        form: typed,
        errors: translate(page.lang, &errors),
        ..view
    };
    Err(super::routes::refused(&page, "public/my_data", view))
}

#[post("/follow-up/my-data/withdraw", data = "<form>")]
pub async fn withdraw_identity(
    page: PageCtx,
    state: &State<AppState>,
    session: ReporterSession,
    form: Form<WithdrawForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    if form.confirm {
        identity::withdraw(state, session.report_id, Origin::Reporter)
            .await
            .map_err(AppResultPage::Error)?;
        return Ok(Flash::success(back(), "flash-identity-withdrawn"));
    }
    let view = MyDataView::load(state, session.report_id, page.lang)
        .await
        .map_err(AppResultPage::Error)?;
    let withdraw_error = Some(page.lang.t("error-withdraw-confirm"));
    let view = MyDataView {
        withdraw_error,
        ..view
    };
    Err(super::routes::refused(&page, "public/my_data", view))
}

fn back() -> Redirect {
    Redirect::to(uri!(show_my_data))
}

/// Re-seals the corrected identity under the report's data key. `Ok(false)`: none is held.
async fn correct(state: &AppState, report_id: i32, identity: &ReporterIdentity) -> AppResult<bool> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let Some(row) = reporter_identity::Entity::find()
        .filter(reporter_identity::Column::ReportId.eq(report_id))
        .one(&*tx)
        .await?
    else {
        return Ok(false);
    };
    let data_key = crate::case_management::evidence::data_key(&*tx, state, report_id).await?;
    let plaintext = serde_json::to_vec(identity).map_err(AppError::internal)?;
    let mut active = row.into_active_model();
    active.sealed = Set(crypto::seal(
        &data_key,
        &identity_context(report_id),
        &plaintext,
    ));
    active.update(&*tx).await?;
    super::service::record_reporter_event(&tx, report_id, "identity_corrected", now).await?;
    record(&*tx, state, report_id, "identity_corrected").await?;
    tx.commit().await?;
    Ok(true)
}

async fn audited(state: &AppState, report_id: i32, action: &'static str) -> AppResult<()> {
    let tx = state.db.begin_write().await?;
    record(&*tx, state, report_id, action).await?;
    tx.commit().await?;
    Ok(())
}

async fn record<C: sea_orm::ConnectionTrait>(
    conn: &C,
    state: &AppState,
    report_id: i32,
    action: &'static str,
) -> AppResult<()> {
    audit::record(
        conn,
        state.clock.now(),
        Entry {
            actor: &Actor::Claimed("reporter".into()),
            action,
            object_type: "case",
            object_id: Some(report_id.to_string()),
            details: serde_json::json!({}),
        },
    )
    .await?;
    Ok(())
}
