//! `/cases/<id>/documents/<document>`: the printable documents of a denunciation, in Vietnamese
//! on A4 (print CSS only), each naming the article of the Law on Denunciations 2018 it fulfils:
//! the notice of acceptance to the denouncer and the notice of the content to the person
//! accused (Art. 29(1)), the notice of non-acceptance with its reason (Art. 29(1)), each
//! extension decision (Art. 30(1)), the conclusion (Art. 35), the notice of a withdrawal
//! (Art. 33) and the suspension, resumption and termination decisions (Art. 34). A tip has none: it is not a
//! denunciation. Guarded like the case page; the denouncer's identity is never printed, the
//! case reference stands for it.

use rocket::{get, routes, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::access::{load_case, Viewer};
use super::reference_of;
use crate::auth::{Authorized, Investigators};
use crate::domain::calendar::{self, local_date, Complexity};
use crate::domain::ids::CaseId;
use crate::domain::procedure::{
    ContinueGround, Scope, SuspensionGround, TerminationGround, WithdrawalForm,
};
use crate::domain::status::CaseStatus;
use crate::domain::track::Track;
use crate::domain::workflow::Finding;
use crate::platform::persistence::entities::{
    case_event, case_file, deadline_extension, inspection_team, message, procedure_step, report,
    staff_member, violation_category,
};
use crate::platform::persistence::rules;
use crate::web::error::{AppError, AppResult};
use crate::web::format::show_date;
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::state::AppState;
use crate::web::units::{issuing_units, unit_path};

/// The document routes.
pub fn routes() -> Vec<Route> {
    routes![print_document]
}

#[get("/cases/<id>/documents/<document>")]
async fn print_document(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: CaseId,
    document: &str,
) -> AppResult<Template> {
    let viewer = Viewer::of(state.db.conn(), user.user.clone()).await?;
    let kind = Kind::parse(document).ok_or(AppError::NotFound)?;
    let view = DocumentView::load(state, &viewer, id, kind).await?;
    Ok(page.render("cases/document", view))
}

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Acceptance,
    Accused,
    Decline,
    /// The n-th extension, from 1.
    Extension(usize),
    Conclusion,
    /// The latest of each procedural step (`domain::procedure`).
    Withdrawal,
    Suspension,
    Resumption,
    Termination,
}

impl Kind {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "acceptance" => Some(Kind::Acceptance),
            "accused" => Some(Kind::Accused),
            "decline" => Some(Kind::Decline),
            "conclusion" => Some(Kind::Conclusion),
            "withdrawal" => Some(Kind::Withdrawal),
            "suspension" => Some(Kind::Suspension),
            "resumption" => Some(Kind::Resumption),
            "termination" => Some(Kind::Termination),
            other => other
                .strip_prefix("extension-")
                .and_then(|n| n.parse().ok())
                .filter(|n| *n >= 1)
                .map(Kind::Extension),
        }
    }

    pub fn slug(self) -> String {
        match self {
            Kind::Acceptance => "acceptance".into(),
            Kind::Accused => "accused".into(),
            Kind::Decline => "decline".into(),
            Kind::Extension(n) => format!("extension-{n}"),
            Kind::Conclusion => "conclusion".into(),
            other => other.step().unwrap_or_default().into(),
        }
    }

    /// The catalogue key of its name (and the prefix of its text's keys).
    fn key(self) -> &'static str {
        match self {
            Kind::Acceptance => "doc-acceptance",
            Kind::Accused => "doc-accused",
            Kind::Decline => "doc-decline",
            Kind::Extension(_) => "doc-extension",
            Kind::Conclusion => "doc-conclusion",
            Kind::Withdrawal => "doc-withdrawal",
            Kind::Suspension => "doc-suspension",
            Kind::Resumption => "doc-resumption",
            Kind::Termination => "doc-termination",
        }
    }

    /// The procedural step a document records, by its stored kind.
    fn step(self) -> Option<&'static str> {
        match self {
            Kind::Withdrawal => Some("withdrawal"),
            Kind::Suspension => Some("suspension"),
            Kind::Resumption => Some("resumption"),
            Kind::Termination => Some("termination"),
            _ => None,
        }
    }

    const STEPS: [Kind; 4] = [
        Kind::Withdrawal,
        Kind::Suspension,
        Kind::Resumption,
        Kind::Termination,
    ];
}

/// A document the case page links to.
#[derive(Debug, Serialize)]
pub struct DocumentLink {
    pub slug: String,
    pub label: String,
}

/// The documents a case has now: a denunciation's, as far as its procedure has gone.
pub fn available(
    lang: Lang,
    case: &case_file::Model,
    report: &report::Model,
    extensions: usize,
    steps: &[procedure_step::Model],
) -> Vec<DocumentLink> {
    if Track::parse(&case.track) != Track::Denunciation {
        return Vec::new();
    }
    let status: Option<CaseStatus> = case.status.parse().ok();
    let mut kinds = Vec::new();
    if case.accepted_on.is_some() {
        kinds.push(Kind::Acceptance);
        if case.named_staff_member_id.is_some() || report.staff_name.is_some() {
            kinds.push(Kind::Accused);
        }
    }
    if status == Some(CaseStatus::Declined) {
        kinds.push(Kind::Decline);
    }
    kinds.extend((1..=extensions).map(Kind::Extension));
    if matches!(status, Some(CaseStatus::Concluded | CaseStatus::Closed)) {
        kinds.push(Kind::Conclusion);
    }
    kinds.extend(
        Kind::STEPS
            .into_iter()
            .filter(|k| steps.iter().any(|s| Some(s.kind.as_str()) == k.step())),
    );
    kinds
        .into_iter()
        .map(|k| DocumentLink {
            slug: k.slug(),
            label: match k {
                Kind::Extension(n) => lang.t_args("doc-extension-name", &[("n", n.to_string())]),
                other => lang.t(&format!("{}-name", other.key())),
            },
        })
        .collect()
}

/// `cases/document`: the document, always in Vietnamese.
#[derive(Debug, Serialize)]
pub struct DocumentView {
    case_id: i32,
    reference: String,
    parent: Option<String>,
    unit: Option<String>,
    team: Option<String>,
    title: String,
    subject: String,
    number: String,
    day: String,
    month: String,
    year: i32,
    paragraphs: Vec<String>,
    recipients: Vec<String>,
    /// The article the document fulfils.
    fulfils: String,
}

impl DocumentView {
    async fn load(state: &AppState, viewer: &Viewer, id: CaseId, kind: Kind) -> AppResult<Self> {
        let conn = state.db.conn();
        let (case, report) = load_case(conn, viewer, id.0).await?;
        let extensions = extensions(conn, case.report_id).await?;
        let steps = procedure_step::Entity::find()
            .filter(procedure_step::Column::ReportId.eq(case.report_id))
            .order_by_asc(procedure_step::Column::Id)
            .all(conn)
            .await?;
        let allowed = available(Lang::Vi, &case, &report, extensions.len(), &steps);
        if !allowed.iter().any(|d| d.slug == kind.slug()) {
            return Err(AppError::NotFound);
        }
        let facts = Facts::load(state, &case, &report).await?;
        let (date, number, paragraphs) = match kind {
            Kind::Extension(n) => {
                let record = &extensions[n - 1];
                let due = extended_due(conn, state, &case, &extensions[..n]).await?;
                let text = facts.extension(record, due);
                let number = record.decision_number.clone().unwrap_or_default();
                (local_date(record.created_at), number, text)
            }
            Kind::Decline => {
                let reason = decline_reason(conn, state, &case).await?;
                (facts.today, String::new(), facts.decline(&reason))
            }
            step if step.step().is_some() => {
                let record = steps
                    .iter()
                    .rev()
                    .find(|s| Some(s.kind.as_str()) == step.step())
                    .ok_or(AppError::NotFound)?;
                let number = record.decision_number.clone().unwrap_or_default();
                (record.occurred_on, number, facts.step(step, record))
            }
            other => (facts.today, String::new(), facts.text(other)),
        };
        let vi = Lang::Vi;
        let (unit, parent) = facts.issuer.clone();
        Ok(Self {
            case_id: case.report_id,
            reference: facts.reference.clone(),
            parent: parent.map(|p| p.to_uppercase()),
            unit: unit.map(|u| u.to_uppercase()),
            team: facts.team.clone(),
            title: vi.t(&format!("{}-title", kind.key())),
            subject: vi.t(&format!("{}-subject", kind.key())),
            number: if number.is_empty() {
                "……".into()
            } else {
                number
            },
            day: format!("{:02}", chrono::Datelike::day(&date)),
            month: format!("{:02}", chrono::Datelike::month(&date)),
            year: chrono::Datelike::year(&date),
            paragraphs,
            recipients: recipients(kind),
            fulfils: vi.t(&format!("{}-fulfils", kind.key())),
        })
    }
}

/// What every document says about the case, in Vietnamese.
struct Facts {
    reference: String,
    team: Option<String>,
    issuer: (Option<String>, Option<String>),
    category: String,
    place: String,
    occurred: String,
    received: String,
    verified: String,
    accepted: String,
    resolution_due: String,
    accused: String,
    finding: String,
    conclusion: String,
    today: chrono::NaiveDate,
}

impl Facts {
    async fn load(
        state: &AppState,
        case: &case_file::Model,
        report: &report::Model,
    ) -> AppResult<Self> {
        let conn = state.db.conn();
        let team = match case.team_id {
            Some(id) => inspection_team::Entity::find_by_id(id).one(conn).await?,
            None => None,
        };
        let issuer_unit = team.as_ref().map_or(case.unit_id, |t| t.org_unit_id);
        let category = violation_category::Entity::find_by_id(case.category_id)
            .one(conn)
            .await?
            .map(|c| c.name_vi)
            .unwrap_or_default();
        let staff = match case.named_staff_member_id {
            Some(id) => staff_member::Entity::find_by_id(id).one(conn).await?,
            None => None,
        };
        let day = |d: Option<chrono::NaiveDate>| d.map(show_date).unwrap_or_else(|| "…".into());
        let vi = Lang::Vi;
        Ok(Self {
            reference: reference_of(case),
            team: team.map(|t| t.name),
            issuer: issuing_units(conn, issuer_unit).await?,
            category,
            place: unit_path(state, report.unit_id, vi).await?,
            occurred: show_date(report.occurred_on),
            received: show_date(local_date(case.received_at)),
            verified: day(case.verified_at.map(local_date)),
            accepted: day(case.accepted_on),
            resolution_due: day(case.resolution_due),
            accused: staff
                .map(|s| s.full_name)
                .or_else(|| report.staff_name.clone())
                .unwrap_or_default(),
            finding: (case.finding.as_deref())
                .and_then(Finding::parse)
                .map(|f| vi.t(&f.label_key()))
                .unwrap_or_default(),
            conclusion: case.conclusion_summary.clone().unwrap_or_default(),
            today: state.clock.today(),
        })
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        vec![
            ("reference", self.reference.clone()),
            ("team", self.team.clone().unwrap_or_default()),
            ("category", self.category.clone()),
            ("place", self.place.clone()),
            ("occurred", self.occurred.clone()),
            ("received", self.received.clone()),
            ("verified", self.verified.clone()),
            ("accepted", self.accepted.clone()),
            ("due", self.resolution_due.clone()),
            ("accused", self.accused.clone()),
            ("finding", self.finding.clone()),
            ("conclusion", self.conclusion.clone()),
        ]
    }

    /// The paragraphs of `kind`: its catalogue keys `…-body-1` to `…-body-3`, in order.
    fn text(&self, kind: Kind) -> Vec<String> {
        self.paragraphs(kind.key(), self.args())
    }

    fn paragraphs(&self, key: &str, args: Vec<(&'static str, String)>) -> Vec<String> {
        let vi = Lang::Vi;
        (1..=3)
            .map(|i| vi.t_args(&format!("{key}-body-{i}"), &args))
            .collect()
    }

    fn decline(&self, reason: &str) -> Vec<String> {
        let mut args = self.args();
        args.push(("reason", reason.to_string()));
        self.paragraphs("doc-decline", args)
    }

    /// A procedural step's document: its ground, scope and form in words.
    fn step(&self, kind: Kind, record: &procedure_step::Model) -> Vec<String> {
        let vi = Lang::Vi;
        let word = |label: Option<String>| label.map(|k| vi.t(&k)).unwrap_or_default();
        let ground = record.ground.as_deref();
        let ground = match kind {
            Kind::Withdrawal => word(
                ground
                    .and_then(ContinueGround::parse)
                    .map(|g| g.label_key()),
            ),
            Kind::Suspension => word(
                ground
                    .and_then(SuspensionGround::parse)
                    .map(|g| g.label_key()),
            ),
            Kind::Termination => word(
                ground
                    .and_then(TerminationGround::parse)
                    .map(|g| g.label_key()),
            ),
            _ => String::new(),
        };
        let scope = word(
            record
                .scope
                .as_deref()
                .and_then(Scope::parse)
                .map(|s| s.label_key()),
        );
        let form = record.form.as_deref().and_then(WithdrawalForm::parse);
        let mut args = self.args();
        args.extend([
            ("ground", ground),
            ("scope", scope),
            ("form", word(form.map(|f| f.label_key()))),
            ("on", show_date(record.occurred_on)),
            ("due", record.due_after.map(show_date).unwrap_or_default()),
            (
                "continues",
                if record.ground.is_some() { "yes" } else { "no" }.to_string(),
            ),
        ]);
        self.paragraphs(kind.key(), args)
    }

    fn extension(&self, record: &deadline_extension::Model, due: String) -> Vec<String> {
        let grade = match record.complexity.as_deref().and_then(Complexity::parse) {
            Some(Complexity::Complex) => Lang::Vi.t("doc-grade-complex"),
            Some(Complexity::VeryComplex) => Lang::Vi.t("doc-grade-very-complex"),
            None => String::new(),
        };
        let mut args = self.args();
        args.extend([
            ("days", record.days.to_string()),
            ("grade", grade),
            ("reason", record.reason.clone()),
            ("extended_due", due),
        ]);
        self.paragraphs("doc-extension", args)
    }
}

/// Who receives `kind`: the parties, never by name, and the file.
fn recipients(kind: Kind) -> Vec<String> {
    let vi = Lang::Vi;
    let keys: &[&str] = match kind {
        Kind::Accused => &["doc-to-accused", "doc-to-file"],
        Kind::Conclusion | Kind::Extension(_) => {
            &["doc-to-denouncer", "doc-to-accused", "doc-to-file"]
        }
        Kind::Acceptance | Kind::Decline | Kind::Withdrawal => &["doc-to-denouncer", "doc-to-file"],
        Kind::Suspension | Kind::Resumption | Kind::Termination => {
            &["doc-to-denouncer", "doc-to-accused", "doc-to-file"]
        }
    };
    keys.iter().map(|k| vi.t(k)).collect()
}

async fn extensions<C: ConnectionTrait>(
    conn: &C,
    report_id: i32,
) -> AppResult<Vec<deadline_extension::Model>> {
    Ok(deadline_extension::Entity::find()
        .filter(deadline_extension::Column::ReportId.eq(report_id))
        .order_by_asc(deadline_extension::Column::Id)
        .all(conn)
        .await?)
}

/// The resolution due date once `granted` (in order) were added.
async fn extended_due<C: ConnectionTrait>(
    conn: &C,
    state: &AppState,
    case: &case_file::Model,
    granted: &[deadline_extension::Model],
) -> AppResult<String> {
    let working = rules::load_calendar(conn).await?;
    let days: Vec<u32> = granted.iter().map(|e| e.days.max(0) as u32).collect();
    let received = local_date(case.verified_at.unwrap_or(case.received_at));
    let clocks = calendar::clocks(
        &working,
        &state.config.deadlines,
        received,
        case.accepted_on,
        &days,
        case.paused_days.max(0) as u32,
    );
    Ok(clocks.resolution_due.map(show_date).unwrap_or_default())
}

/// The reason given when the denunciation was not accepted: the message the team sent with it.
async fn decline_reason<C: ConnectionTrait>(
    conn: &C,
    state: &AppState,
    case: &case_file::Model,
) -> AppResult<String> {
    let declined = case_event::Entity::find()
        .filter(case_event::Column::ReportId.eq(case.report_id))
        .filter(case_event::Column::Kind.eq("declined"))
        .order_by_desc(case_event::Column::Id)
        .one(conn)
        .await?;
    let Some(declined) = declined else {
        return Ok(String::new());
    };
    let sent = message::Entity::find()
        .filter(message::Column::ReportId.eq(case.report_id))
        .filter(message::Column::CreatedAt.eq(declined.created_at))
        .filter(message::Column::Internal.eq(false))
        .one(conn)
        .await?;
    let Some(sent) = sent else {
        return Ok(String::new());
    };
    let key = super::evidence::data_key(conn, state, case.report_id).await?;
    crate::platform::evidence::text::message_body(&key, &sent).map_err(AppError::internal)
}
