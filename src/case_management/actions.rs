//! The case page's POST forms: workflow actions (`/cases/<id>/actions/<action>`), messages and
//! notes (`/cases/<id>/messages`), links (`/cases/<id>/links`) and identity requests
//! (`/cases/<id>/identity-requests`). Guarded by `Authorized<Investigators>`; the service
//! checks the case is within the viewer's reach.
//!
//! Success redirects to the case page with a flash. Every refusal goes through one answer,
//! [`ActionError::into_page`]: the case page again with the refused form's error and its status
//! (409 wrong state, 403 wrong role, 422 invalid input), or the error page.

use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{post, FromForm, State};

use super::access::{load_case, Viewer};
use super::case_page::CaseView;
use super::service::{self, ActionError, ActionInput, DecisionInput, WithdrawalInput};
use crate::auth::{Authorized, Investigators};
use crate::domain::calendar::Complexity;
use crate::domain::ids::CaseId;
use crate::domain::procedure::{ContinueGround, Notice, Scope, WithdrawalForm};
use crate::domain::track::Verification;
use crate::domain::workflow::{Action, Finding, Refusal};
use crate::web::error::AppError;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;

/// A case form being answered: who posted which form on which case.
pub struct Posted<'a> {
    state: &'a AppState,
    page: &'a PageCtx,
    viewer: Viewer,
    id: CaseId,
    /// The form's key in the page's `errors` (`message`, `link`, `identity`, an action slug).
    form: &'a str,
}

impl<'a> Posted<'a> {
    /// The viewer behind `user`, posting `form` on case `id`.
    pub async fn of(
        state: &'a AppState,
        page: &'a PageCtx,
        user: &Authorized<Investigators>,
        id: CaseId,
        form: &'a str,
    ) -> Result<Self, AppResultPage> {
        let viewer = Viewer::of(state.db.conn(), user.user.clone())
            .await
            .map_err(AppResultPage::Error)?;
        Ok(Self {
            state,
            page,
            viewer,
            id,
            form,
        })
    }

    /// `Ok` when the service did it; the answer to its refusal otherwise.
    pub async fn check(&self, result: Result<(), ActionError>) -> Result<(), AppResultPage> {
        match result {
            Ok(()) => Ok(()),
            Err(error) => Err(error.into_page(self).await),
        }
    }

    /// The case page, or the inbox when the case has left the viewer's reach (after a transfer
    /// or an escalation).
    async fn target(&self) -> String {
        match load_case(self.state.db.conn(), &self.viewer, self.id.0).await {
            Ok(_) => format!("/cases/{}", self.id),
            Err(_) => "/cases".to_string(),
        }
    }

    /// Back to the case page with the flash `key`.
    fn done(&self, key: &'static str) -> Flash<Redirect> {
        Flash::success(Redirect::to(format!("/cases/{}", self.id)), key)
    }
}

impl ActionError {
    /// The one answer to a refused case form.
    pub async fn into_page(self, posted: &Posted<'_>) -> AppResultPage {
        let (status, key) = match self {
            ActionError::Refused(refusal @ Refusal::WrongState) => {
                (Status::Conflict, refusal.message_key())
            }
            ActionError::Refused(refusal @ Refusal::WrongRole) => {
                (Status::Forbidden, refusal.message_key())
            }
            ActionError::Invalid(key) => (Status::UnprocessableEntity, key),
            ActionError::Other(error) => return AppResultPage::Error(error),
        };
        let Posted {
            state,
            page,
            viewer,
            id,
            form,
        } = posted;
        let view = async {
            let (case, report) = load_case(state.db.conn(), viewer, id.0).await?;
            CaseView::build(state, page.lang, viewer, (&case, &report), None).await
        };
        match view.await {
            Ok(view) => {
                let view = view.with_error(form, page.lang.t(key));
                AppResultPage::Page(page.render_status(status, "cases/show", view))
            }
            Err(error) => AppResultPage::Error(error),
        }
    }
}

/// Every field any action form may send.
#[derive(Debug, Default, FromForm)]
pub struct ActionForm {
    reason: Option<String>,
    message: Option<String>,
    summary: Option<String>,
    finding: Option<String>,
    assignee: Option<i32>,
    team_id: Option<i32>,
    days: Option<u32>,
    complexity: Option<String>,
    decision_number: Option<String>,
    method: Option<String>,
    scope: Option<String>,
    withdrawal_form: Option<String>,
    continues: Option<String>,
    ground: Option<String>,
    notice: Option<String>,
    confirm: Option<String>,
}

impl ActionForm {
    /// The input of `action`, from the fields it reads.
    fn input(&self, action: Action) -> ActionInput {
        let text = |f: &Option<String>| f.clone().unwrap_or_default();
        match action {
            Action::Accept => ActionInput::Accept,
            Action::Decline => ActionInput::Decline {
                reason: text(&self.reason),
            },
            Action::StartInvestigation => ActionInput::StartInvestigation {
                assignee: self.assignee,
            },
            Action::Reassign => ActionInput::Reassign {
                assignee: self.assignee,
            },
            Action::AskReporter => ActionInput::AskReporter {
                message: text(&self.message),
            },
            Action::ResumeInvestigation => ActionInput::ResumeInvestigation,
            Action::Conclude => ActionInput::Conclude {
                finding: self.finding.as_deref().and_then(Finding::parse),
                summary: text(&self.summary),
            },
            Action::Close => ActionInput::Close,
            Action::Transfer => ActionInput::Transfer {
                team_id: self.team_id,
                reason: text(&self.reason),
            },
            Action::Escalate => ActionInput::Escalate {
                reason: text(&self.reason),
            },
            Action::Reopen => ActionInput::Reopen {
                reason: text(&self.reason),
            },
            Action::ExtendDeadline => ActionInput::ExtendDeadline {
                days: self.days.unwrap_or(0),
                reason: text(&self.reason),
                complexity: self.complexity.as_deref().and_then(Complexity::parse),
                decision_number: text(&self.decision_number),
            },
            Action::LengthenAcceptance => ActionInput::LengthenAcceptance {
                reason: text(&self.reason),
            },
            Action::VerifyDenouncer => ActionInput::VerifyDenouncer {
                method: self.method.as_deref().and_then(Verification::parse),
            },
            Action::TreatAsTip => ActionInput::TreatAsTip {
                reason: text(&self.reason),
            },
            Action::RecordWithdrawal => ActionInput::RecordWithdrawal(WithdrawalInput {
                scope: self.scope.as_deref().and_then(Scope::parse),
                form: self
                    .withdrawal_form
                    .as_deref()
                    .and_then(WithdrawalForm::parse),
                continues: self.continues.as_deref().and_then(ContinueGround::parse),
            }),
            Action::Suspend => ActionInput::Suspend(self.decision()),
            Action::ResumeResolution => ActionInput::ResumeResolution(self.decision()),
            Action::Terminate => ActionInput::Terminate(self.decision()),
            Action::RecordNotice => ActionInput::RecordNotice {
                notice: self.notice.as_deref().and_then(Notice::parse),
                method: self.method.clone(),
            },
            Action::PublishConclusion => ActionInput::PublishConclusion {
                summary: text(&self.summary),
            },
        }
    }

    fn decision(&self) -> DecisionInput {
        DecisionInput {
            ground: self.ground.clone(),
            number: self.decision_number.clone().unwrap_or_default(),
            confirmed: self.confirm.as_deref() == Some("yes"),
        }
    }
}

#[post("/cases/<id>/actions/<action>", data = "<form>")]
pub async fn perform_action(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
    action: &str,
    form: Form<ActionForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let posted = Posted::of(state, &page, &user, id, action).await?;
    let parsed = Action::from_slug(action).ok_or(AppResultPage::Error(AppError::NotFound))?;
    let input = form.input(parsed);
    posted
        .check(service::perform(state, &posted.viewer, id.0, input).await)
        .await?;
    let target = posted.target().await;
    Ok(Flash::success(Redirect::to(target), "flash-case-updated"))
}

/// A message to the reporter, or an internal note.
#[derive(Debug, FromForm)]
pub struct MessageForm {
    body: Option<String>,
    internal: bool,
}

#[post("/cases/<id>/messages", data = "<form>")]
pub async fn post_message(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
    form: Form<MessageForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let posted = Posted::of(state, &page, &user, id, "message").await?;
    let body = form.body.clone().unwrap_or_default();
    let result = service::post_message(state, &posted.viewer, id.0, &body, form.internal).await;
    posted.check(result).await?;
    Ok(posted.done(if form.internal {
        "flash-note-added"
    } else {
        "flash-message-sent"
    }))
}

/// Another case to link, by its reference.
#[derive(Debug, FromForm)]
pub struct LinkForm {
    reference: Option<String>,
}

#[post("/cases/<id>/links", data = "<form>")]
pub async fn link_case(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
    form: Form<LinkForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let posted = Posted::of(state, &page, &user, id, "link").await?;
    let other = form
        .reference
        .as_deref()
        .and_then(crate::domain::case_ref::parse_reference)
        .unwrap_or(0);
    let result = service::link_cases(state, &posted.viewer, id.0, other).await;
    posted.check(result).await?;
    Ok(posted.done("flash-case-linked"))
}

/// Why the inspector needs the denouncer's identity.
#[derive(Debug, FromForm)]
pub struct IdentityRequestForm {
    reason: Option<String>,
}

#[post("/cases/<id>/identity-requests", data = "<form>")]
pub async fn request_identity(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
    form: Form<IdentityRequestForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let posted = Posted::of(state, &page, &user, id, "identity").await?;
    let reason = form.reason.clone().unwrap_or_default();
    let result = service::request_identity(state, &posted.viewer, id.0, &reason).await;
    posted.check(result).await?;
    Ok(posted.done("flash-identity-requested"))
}
