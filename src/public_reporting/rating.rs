//! `/follow-up/rating`: once a report is closed, its reporter may rate how it was handled
//! (1–5) with an optional comment — once. The team reads the rating on the case page; the
//! dashboard counts it through the rollups.
//!
//! Invariants: only a reporter holding the follow-up session of the report may rate it; only
//! when the case is closed; at most one rating per report (checked under the report's row lock
//! and enforced by a unique index). Written in one transaction with its audit entry and the
//! rollup change.

use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{ActiveModelTrait, DbErr, EntityTrait, Set};
use serde::Serialize;
use serde_json::{json, Value};

use crate::analytics::rollups::Tracker;
use crate::auth::reporter::ReporterSession;
use crate::case_management::ratings::{for_case, RatingView};
use crate::domain::report::{clean_text, FieldErrors};
use crate::domain::status::CaseStatus;
use crate::platform::audit::{self, Actor, Entry};
use crate::platform::persistence::entities::{report, satisfaction_rating};
use crate::web::error::{AppError, AppResult};
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;

/// The longest comment.
pub const COMMENT_MAX: usize = 1000;

pub fn routes() -> Vec<Route> {
    routes![
        show_rating,
        rating_without_session,
        rate_handling,
        rate_without_session
    ]
}

/// The form as typed.
#[derive(Debug, Default, FromForm)]
pub struct RatingForm {
    pub score: Option<String>,
    pub comment: Option<String>,
}

/// A valid rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRating {
    pub score: i32,
    pub comment: Option<String>,
}

impl RatingForm {
    /// Checks the score (1–5) and the comment's length; errors are (field, catalogue key).
    pub fn validate(&self) -> Result<NewRating, Vec<(&'static str, &'static str)>> {
        let mut errors = Vec::new();
        let score = self
            .score
            .as_deref()
            .and_then(|s| s.trim().parse::<i32>().ok())
            .filter(|s| (1..=5).contains(s));
        if score.is_none() {
            errors.push(("score", "error-analytics-rating-score"));
        }
        let comment = clean_text(self.comment.as_deref().unwrap_or_default());
        if comment.chars().count() > COMMENT_MAX {
            errors.push(("comment", "error-analytics-rating-comment-long"));
        }
        match score {
            Some(score) if errors.is_empty() => Ok(NewRating {
                score,
                comment: (!comment.is_empty()).then_some(comment),
            }),
            _ => Err(errors),
        }
    }
}

/// Why a rating was not stored.
#[derive(Debug)]
pub enum RateError {
    NotClosed,
    AlreadyRated,
    Other(AppError),
}

impl From<DbErr> for RateError {
    fn from(error: DbErr) -> Self {
        RateError::Other(error.into())
    }
}

/// Stores the rating of a closed, not yet rated report.
pub async fn rate(state: &AppState, report_id: i32, rating: NewRating) -> Result<(), RateError> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    // Locks the report row on PostgreSQL: two submissions of the form cannot both pass.
    let tracker = Tracker::before(&*tx, report_id).await?;
    let row = report::Entity::find_by_id(report_id)
        .one(&*tx)
        .await?
        .ok_or(RateError::Other(AppError::NotFound))?;
    if row.status != CaseStatus::Closed.as_str() {
        return Err(RateError::NotClosed);
    }
    if for_case(&*tx, report_id).await?.is_some() {
        return Err(RateError::AlreadyRated);
    }
    satisfaction_rating::ActiveModel {
        report_id: Set(report_id),
        score: Set(rating.score),
        comment: Set(rating.comment.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    tracker.after(&*tx).await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &Actor::Claimed("reporter".into()),
            action: "case_rated",
            object_type: "case",
            object_id: Some(report_id.to_string()),
            details: json!({"score": rating.score, "comment": rating.comment.is_some()}),
        },
    )
    .await?;
    Ok(())
}

/// Whether the report is closed, and its rating if any.
async fn situation(state: &AppState, report_id: i32) -> AppResult<(bool, Option<RatingView>)> {
    let conn = state.db.conn();
    let row = report::Entity::find_by_id(report_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        row.status == CaseStatus::Closed.as_str(),
        for_case(conn, report_id).await?,
    ))
}

/// The rating form's fields as typed.
#[derive(Serialize)]
struct RatingFields {
    score: String,
    comment: String,
}

/// `public/rating`: the rating given, or the form while the case is closed and unrated.
#[derive(Serialize)]
struct RatingPageView {
    closed: bool,
    rating: Option<RatingView>,
    form: RatingFields,
    /// Field name → message.
    errors: Value,
    refusal: Option<String>,
    comment_max: usize,
    scores: [i32; 5],
}

impl RatingPageView {
    /// The page for the report, with what was typed, its errors and a refusal's key.
    async fn load(
        state: &AppState,
        report_id: i32,
        lang: Lang,
        form: &RatingForm,
        errors: &[(&'static str, &'static str)],
        refusal: Option<&str>,
    ) -> AppResult<Self> {
        let (closed, rating) = situation(state, report_id).await?;
        let errors: FieldErrors = errors.iter().copied().collect();
        Ok(Self {
            closed,
            rating,
            form: RatingFields {
                score: form.score.clone().unwrap_or_default(),
                comment: form.comment.clone().unwrap_or_default(),
            },
            errors: translate(lang, &errors),
            refusal: refusal.map(|key| lang.t(key)),
            comment_max: COMMENT_MAX,
            scores: [5, 4, 3, 2, 1],
        })
    }
}

impl RateError {
    /// The catalogue key of a refusal (409), or the error to answer with.
    fn refusal_key(self) -> Result<&'static str, AppError> {
        match self {
            RateError::NotClosed => Ok("error-analytics-rating-not-closed"),
            RateError::AlreadyRated => Ok("error-analytics-rating-once"),
            RateError::Other(error) => Err(error),
        }
    }
}

#[get("/follow-up/rating")]
async fn show_rating(
    page: PageCtx,
    state: &State<AppState>,
    session: ReporterSession,
) -> AppResult<Template> {
    let blank = RatingForm::default();
    let view = RatingPageView::load(state, session.report_id, page.lang, &blank, &[], None).await?;
    Ok(page.render("public/rating", view))
}

#[get("/follow-up/rating", rank = 2)]
fn rating_without_session() -> Flash<Redirect> {
    Flash::warning(Redirect::to("/follow-up"), "flash-follow-up-expired")
}

#[post("/follow-up/rating", data = "<form>")]
async fn rate_handling(
    page: PageCtx,
    state: &State<AppState>,
    session: ReporterSession,
    form: Form<RatingForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let (status, errors, refusal) = match form.validate() {
        Err(errors) => (Status::UnprocessableEntity, errors, None),
        Ok(rating) => match rate(state, session.report_id, rating).await {
            Ok(()) => {
                let to_status = Redirect::to("/follow-up/status");
                return Ok(Flash::success(to_status, "flash-rating-saved"));
            }
            Err(error) => {
                let key = error.refusal_key().map_err(AppResultPage::Error)?;
                (Status::Conflict, Vec::new(), Some(key))
            }
        },
    };
    let view = RatingPageView::load(state, session.report_id, page.lang, &form, &errors, refusal)
        .await
        .map_err(AppResultPage::Error)?;
    Err(AppResultPage::Page(page.render_status(
        status,
        "public/rating",
        view,
    )))
}

#[post("/follow-up/rating", rank = 2)]
fn rate_without_session() -> Flash<Redirect> {
    Flash::warning(Redirect::to("/follow-up"), "flash-follow-up-expired")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(score: &str, comment: &str) -> RatingForm {
        RatingForm {
            score: Some(score.into()),
            comment: Some(comment.into()),
        }
    }

    #[test]
    fn a_score_from_one_to_five_is_required_and_comments_are_bounded() {
        assert_eq!(
            form("4", "  Tốt  ").validate(),
            Ok(NewRating {
                score: 4,
                comment: Some("Tốt".into())
            })
        );
        assert_eq!(form("5", "").validate().unwrap().comment, None);
        for bad in ["0", "6", "", "x"] {
            assert_eq!(
                form(bad, "").validate(),
                Err(vec![("score", "error-analytics-rating-score")])
            );
        }
        let long = "a".repeat(COMMENT_MAX + 1);
        assert_eq!(
            form("3", &long).validate(),
            Err(vec![("comment", "error-analytics-rating-comment-long")])
        );
    }
}
