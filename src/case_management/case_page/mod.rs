//! `GET /cases/<id>`: the case page — facts and clocks, the report, the evidence files, the
//! rating, the workflow action forms, messages and notes, the timeline, related and linked
//! cases. Guarded by `Authorized<Investigators>` and [`load_case`](super::access::load_case)
//! (404 for anyone outside the case's current team or excluded from it).
//!
//! [`CaseView`] is also the page the case POST handlers render again, with a 4xx status and the
//! refused form's error, when an action does not happen (`super::actions`).

mod conversation;
mod details;
mod forms;
mod procedure;
mod related;

use std::collections::BTreeMap;

use rocket::{get, State};
use rocket_dyn_templates::Template;
use serde::Serialize;

use self::conversation::{EventView, ExtensionView, MessageView};
use self::details::{cited_articles, ArticleView, CaseDetails, CaseSource};
use self::forms::{CannedView, Choice, IdentityRequestView, Pick};
use self::related::{LinkView, RelatedView};
use super::access::Viewer;
use super::documents::{self, DocumentLink};
use super::evidence::{self, FileView};
use super::names::Names;
use super::originals;
use super::ratings::{self, RatingView};
use super::service;
use crate::auth::{Authorized, Investigators};
use crate::domain::ids::CaseId;
use crate::domain::status::CaseStatus;
use crate::domain::track::Track;
use crate::platform::persistence::entities::{case_file, report};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::state::AppState;

/// The page `cases/show`.
#[derive(Serialize)]
pub struct CaseView {
    /// When the case's personal data were purged: the notice saying so.
    purged: Option<String>,
    case: CaseDetails,
    articles: Vec<ArticleView>,
    events: Vec<EventView>,
    messages: Vec<MessageView>,
    extensions: Vec<ExtensionView>,
    /// The printable documents of a denunciation, as far as its procedure has gone.
    documents: Vec<DocumentLink>,
    /// A denunciation's procedural steps and the notices it owes (`domain::procedure`).
    steps: Vec<procedure::StepView>,
    notices: Vec<procedure::NoticeChoice>,
    related: Vec<RelatedView>,
    links: Vec<LinkView>,
    actions: Vec<Choice>,
    assignees: Vec<Pick>,
    teams: Vec<Pick>,
    findings: Vec<Choice>,
    canned_replies: Vec<CannedView>,
    prefill: String,
    identity_requests: Vec<IdentityRequestView>,
    rating: Option<RatingView>,
    files: Vec<FileView>,
    evidence_limits: String,
    /// The refused form's error, keyed by form (`message`, `link`, `identity`, an action slug).
    errors: BTreeMap<String, String>,
    error_summary: Option<String>,
}

impl CaseView {
    /// The page of a case `viewer` may see; `canned` names a canned reply to prefill.
    pub async fn build(
        state: &AppState,
        lang: Lang,
        viewer: &Viewer,
        (case, report): (&case_file::Model, &report::Model),
        canned: Option<&str>,
    ) -> AppResult<Self> {
        let conn = state.db.conn();
        let status: CaseStatus = case.status.parse().map_err(AppError::internal)?;
        let names = Names::load(conn, lang).await?;
        let data_key = match case.purged_at {
            // Purged: the key is destroyed and nothing sealed is left to open.
            Some(_) => crate::platform::crypto::SecretKey32::generate(),
            None => evidence::data_key(conn, state, report.id).await?,
        };
        let text =
            crate::platform::evidence::text::open(&data_key, report).map_err(AppError::internal)?;
        let (canned_replies, prefill) = forms::canned_replies(conn, lang, canned).await?;
        let source = CaseSource {
            case,
            report,
            status,
            text,
        };
        let extensions = conversation::extensions(conn, report.id).await?;
        let steps = service::all_steps(conn, report.id).await?;
        let documents = documents::available(lang, case, report, extensions.len(), &steps);
        Ok(Self {
            purged: case.purged_at.map(|at| {
                let date = crate::web::format::show_date(crate::domain::calendar::local_date(at));
                lang.t_args("case-purged", &[("date", date)])
            }),
            case: CaseDetails::build(state, lang, &names, source, state.clock.today()).await?,
            articles: cited_articles(conn, lang, case.category_id, report.occurred_on).await?,
            events: conversation::events(conn, lang, &names, report.id).await?,
            messages: conversation::messages(conn, lang, &names, &data_key, report.id).await?,
            extensions,
            documents,
            steps: procedure::steps(lang, &names, &steps),
            notices: procedure::notices(lang, &service::position(conn, case).await?, &steps),
            related: related::related(conn, lang, viewer, case, report).await?,
            links: related::links(conn, lang, viewer, report.id).await?,
            actions: forms::actions(lang, viewer, status, Track::parse(&case.track)),
            assignees: forms::assignees(conn, &names, case).await?,
            teams: forms::transfer_teams(conn, case).await?,
            findings: forms::findings(lang),
            canned_replies,
            prefill,
            identity_requests: forms::identity_requests(conn, lang, viewer, report.id).await?,
            rating: ratings::for_case(conn, report.id).await?,
            files: originals::mark(
                conn,
                viewer,
                evidence::for_case(conn, lang, report.id).await?,
                state.clock.now(),
            )
            .await?,
            evidence_limits: crate::web::upload::evidence_limits(state, lang),
            errors: BTreeMap::new(),
            error_summary: None,
        })
    }

    /// The page again with `message` as the error of `form`, and as the page's summary.
    pub fn with_error(mut self, form: &str, message: String) -> Self {
        self.errors.insert(form.to_string(), message.clone());
        self.error_summary = Some(message);
        self
    }
}

#[get("/cases/<id>?<canned>")]
pub async fn show_case(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
    canned: Option<String>,
) -> AppResult<Template> {
    let viewer = Viewer::of(state.db.conn(), user.user.clone()).await?;
    let (case, report) = service::mark_viewed(state, &viewer, id).await?;
    let view = CaseView::build(
        state,
        page.lang,
        &viewer,
        (&case, &report),
        canned.as_deref(),
    );
    Ok(page.render("cases/show", view.await?))
}
