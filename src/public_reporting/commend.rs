//! `/commend`: the "Nụ cười và niềm tin Điện lực" (Smile and trust) programme — a customer
//! praises a unit's staff. No account, no identity, no investigation: the commendation goes to
//! the inspection team the unit's reports would go to by the existing routing (a walk up the
//! tree taking generic rules and unit teams, as for a non-severe category), whose team leads
//! read it at `/cases/commendations`; the dashboard counts it per unit.
//!
//! Invariants: nothing about the sender is stored (the client address only keys an in-memory
//! limit, `commend_limit`); the form keeps what was typed on a 422 or 429;
//! the row, its rollup count and its audit entry are written in one transaction.

use crate::domain::calendar::local_date;
use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde::Serialize;
use serde_json::{json, Value};

use crate::domain::report::{clean_text, limits, FieldErrors};
use crate::platform::audit::{self, Actor, Entry};
use crate::platform::persistence::entities::{commendation, org_unit};
use crate::platform::persistence::rules::load_router;
use crate::web::error::AppResult;
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::proxy::ClientAddress;
use crate::web::rate::RateLimiter;
use crate::web::reference::UnitChoice;
use crate::web::state::AppState;

/// Length limits of the form.
pub mod limits_commend {
    pub const BODY_MIN: usize = 10;
    pub const BODY_MAX: usize = 2000;
}

/// No category is involved: a category id no category has, so only generic rules and unit
/// teams match during the routing walk.
const NO_CATEGORY: i32 = i32::MIN;

pub fn routes() -> Vec<Route> {
    routes![show_commend_form, submit_commendation, show_thanks]
}

/// The form as typed.
#[derive(Debug, Default, Clone, FromForm)]
pub struct CommendForm {
    pub unit_id: Option<String>,
    pub staff_name: Option<String>,
    pub staff_number: Option<String>,
    pub body: Option<String>,
}

/// A valid commendation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCommendation {
    pub unit_id: i32,
    pub staff_name: Option<String>,
    pub staff_number: Option<String>,
    pub body: String,
}

type Errors = Vec<(&'static str, &'static str)>;

impl CommendForm {
    /// Syntax and lengths; whether the unit exists is checked by [`commend`].
    pub fn validate(&self) -> Result<NewCommendation, Errors> {
        let mut errors = Errors::new();
        let text = |f: &Option<String>| clean_text(f.as_deref().unwrap_or_default());
        let unit_id = self
            .unit_id
            .as_deref()
            .and_then(|u| u.trim().parse::<i32>().ok());
        if unit_id.is_none() {
            errors.push(("unit_id", "error-analytics-commend-unit"));
        }
        let staff_name = text(&self.staff_name);
        if staff_name.chars().count() > limits::STAFF_NAME_MAX {
            errors.push(("staff_name", "error-analytics-commend-name-long"));
        }
        let staff_number = text(&self.staff_number);
        if staff_number.chars().count() > limits::STAFF_NUMBER_MAX {
            errors.push(("staff_number", "error-analytics-commend-number-long"));
        }
        let body = text(&self.body);
        let length = body.chars().count();
        if length < limits_commend::BODY_MIN {
            errors.push(("body", "error-analytics-commend-body-short"));
        } else if length > limits_commend::BODY_MAX {
            errors.push(("body", "error-analytics-commend-body-long"));
        }
        match unit_id {
            Some(unit_id) if errors.is_empty() => Ok(NewCommendation {
                unit_id,
                staff_name: (!staff_name.is_empty()).then_some(staff_name),
                staff_number: (!staff_number.is_empty()).then_some(staff_number),
                body,
            }),
            _ => Err(errors),
        }
    }
}

/// Why a valid-looking commendation was not stored.
pub enum CommendError {
    Invalid(Errors),
    /// This client address has sent `commend_limit.max` commendations within the window.
    TooMany,
    Other(crate::web::error::AppError),
}

/// The commendations each client address may still send: leadership and the public page read
/// the counts, so one client must not be able to flood them.
pub struct CommendLimiter(pub RateLimiter);

impl CommendLimiter {
    pub fn new(state: &AppState) -> Self {
        Self(RateLimiter::for_database(
            "commend",
            state.config.commend_limit.clone(),
            &state.db,
            &state.config.receipt_key,
        ))
    }
}

/// [`commend`] under the per-address limit: a slot is taken before storing and given back when
/// nothing was stored, so only stored commendations count and a refused one stores nothing.
pub async fn commend_limited(
    state: &AppState,
    limiter: &CommendLimiter,
    client_key: &str,
    new: NewCommendation,
) -> Result<Option<i32>, CommendError> {
    let now = state.clock.now();
    if limiter.0.acquire(client_key, now).await.is_err() {
        return Err(CommendError::TooMany);
    }
    let stored = commend(state, new).await;
    if stored.is_err() {
        limiter.0.release(client_key, now).await;
    }
    stored
}

impl From<sea_orm::DbErr> for CommendError {
    fn from(error: sea_orm::DbErr) -> Self {
        CommendError::Other(error.into())
    }
}

/// Stores a commendation for the team its unit routes to; returns the team (if any).
pub async fn commend(state: &AppState, new: NewCommendation) -> Result<Option<i32>, CommendError> {
    let now = state.clock.now();
    let today = local_date(now);
    let tx = state.db.begin_write().await?;
    let unit = org_unit::Entity::find_by_id(new.unit_id).one(&*tx).await?;
    if unit.is_none_or(|u| u.active_to.is_some_and(|to| to < today)) {
        return Err(CommendError::Invalid(vec![(
            "unit_id",
            "error-analytics-commend-unit",
        )]));
    }
    let team_id = load_router(&*tx)
        .await?
        .route(new.unit_id, NO_CATEGORY, false, false, &[])
        .map(|route| route.team_id);
    let row = commendation::ActiveModel {
        unit_id: Set(new.unit_id),
        team_id: Set(team_id),
        staff_name: Set(new.staff_name),
        staff_number: Set(new.staff_number),
        body: Set(new.body),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    crate::analytics::rollups::commendation_added(&*tx, new.unit_id, now).await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &Actor::Claimed("public".into()),
            action: "commendation_received",
            object_type: "commendation",
            object_id: Some(row.id.to_string()),
            details: json!({"unit_id": new.unit_id, "team_id": team_id}),
        },
    )
    .await?;
    Ok(team_id)
}

/// The commendation form's fields as typed.
#[derive(Serialize)]
struct CommendFields {
    unit_id: String,
    staff_name: String,
    staff_number: String,
    body: String,
}

/// `public/commend`: the form with what was typed, what to correct and the units.
#[derive(Serialize)]
struct CommendPageView {
    form: CommendFields,
    /// Field name → message.
    errors: Value,
    error_count: usize,
    /// The unit select's groups and options, as HTML.
    unit_options: UnitChoice,
    body_min: usize,
    body_max: usize,
    name_max: usize,
    number_max: usize,
}

impl CommendPageView {
    /// The form as typed, its errors and the active units.
    async fn load(
        state: &AppState,
        lang: Lang,
        form: &CommendForm,
        errors: &Errors,
    ) -> AppResult<Self> {
        let catalogue = state
            .reference
            .current(&state.db, state.clock.today())
            .await;
        let text = |f: &Option<String>| f.clone().unwrap_or_default();
        let field_errors: FieldErrors = errors.iter().copied().collect();
        Ok(Self {
            form: CommendFields {
                unit_id: text(&form.unit_id),
                staff_name: text(&form.staff_name),
                staff_number: text(&form.staff_number),
                body: text(&form.body),
            },
            errors: translate(lang, &field_errors),
            error_count: errors.len(),
            unit_options: UnitChoice::new(
                catalogue,
                lang,
                "",
                form.unit_id.as_deref().unwrap_or_default(),
                false,
            ),
            body_min: limits_commend::BODY_MIN,
            body_max: limits_commend::BODY_MAX,
            name_max: limits::STAFF_NAME_MAX,
            number_max: limits::STAFF_NUMBER_MAX,
        })
    }
}

#[get("/commend")]
async fn show_commend_form(page: PageCtx, state: &State<AppState>) -> AppResult<Template> {
    let blank = CommendForm::default();
    let view = CommendPageView::load(state, page.lang, &blank, &Errors::new()).await?;
    Ok(page.render("public/commend", view))
}

#[post("/commend", data = "<form>")]
async fn submit_commendation(
    page: PageCtx,
    state: &State<AppState>,
    limiter: &State<CommendLimiter>,
    address: ClientAddress,
    form: Form<CommendForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let outcome = match form.validate() {
        Ok(new) => commend_limited(state, limiter, &address.key(), new).await,
        Err(errors) => Err(CommendError::Invalid(errors)),
    };
    let (status, errors) = match outcome {
        Ok(_) => {
            let thanks = Redirect::to("/commend/thanks");
            return Ok(Flash::success(thanks, "flash-commendation-sent"));
        }
        Err(CommendError::Invalid(errors)) => (Status::UnprocessableEntity, errors),
        Err(CommendError::TooMany) => (Status::TooManyRequests, too_many()),
        Err(CommendError::Other(error)) => return Err(AppResultPage::Error(error)),
    };
    Err(refused(state, &page, &form, status, &errors).await)
}

fn too_many() -> Errors {
    vec![("body", "error-commend-too-many")]
}

/// The form again, with what was typed and why it was not sent.
async fn refused(
    state: &AppState,
    page: &PageCtx,
    form: &CommendForm,
    status: Status,
    errors: &Errors,
) -> AppResultPage {
    match CommendPageView::load(state, page.lang, form, errors).await {
        Ok(view) => AppResultPage::Page(page.render_status(status, "public/commend", view)),
        Err(error) => AppResultPage::Error(error),
    }
}

#[get("/commend/thanks")]
fn show_thanks(page: PageCtx) -> Template {
    page.render("public/commend_thanks", ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commendation_needs_a_unit_and_a_few_words() {
        let form = CommendForm {
            unit_id: Some("12".into()),
            staff_name: Some(" Nguyễn Văn A ".into()),
            staff_number: Some("".into()),
            body: Some("Anh ấy rất tận tình.".into()),
        };
        let new = form.validate().unwrap();
        assert_eq!(new.staff_name.as_deref(), Some("Nguyễn Văn A"));
        assert_eq!(new.staff_number, None);
        let empty = CommendForm::default().validate().unwrap_err();
        assert!(empty.contains(&("unit_id", "error-analytics-commend-unit")));
        assert!(empty.contains(&("body", "error-analytics-commend-body-short")));
        let long = CommendForm {
            body: Some("x".repeat(limits_commend::BODY_MAX + 1)),
            ..form
        };
        assert_eq!(
            long.validate(),
            Err(vec![("body", "error-analytics-commend-body-long")])
        );
    }
}
