//! What the bulk load leaves out, added afterwards through the portal's own services so that
//! every page and every dashboard figure has data: satisfaction ratings of closed cases,
//! commendations, discipline findings with lawful decisions (the discipline service checks
//! limitation, hearing, protected state and the internal regulations exactly as for a team
//! lead's form), and evidence files sealed into the real evidence store, so that downloads work.
//! Then the analytics rollups are rebuilt from everything.
//!
//! These are a few thousand rows at most whatever the number of reports: one transaction (and
//! audit entry) each, as the services write them.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::directory::{DemoAccount, Directory, StaffRef};
use conduct_portal::analytics::rollups;
use conduct_portal::auth::StaffUser;
use conduct_portal::case_management::access::Viewer;
use conduct_portal::case_management::evidence::{self, Uploader, INTERNAL, SHARED};
use conduct_portal::discipline::service::decision::{record_decision, DecisionInput};
use conduct_portal::discipline::service::eligible;
use conduct_portal::discipline::service::findings::{record_finding, FindingInput};
use conduct_portal::domain::calendar::local_date;
use conduct_portal::domain::evidence::content::Kind;
use conduct_portal::domain::ids::CaseId;
use conduct_portal::domain::roles::Role;
use conduct_portal::domain::status::CaseStatus;
use conduct_portal::platform::evidence::store::EvidenceStore;
use conduct_portal::platform::evidence::upload::StagedFile;
use conduct_portal::platform::persistence::entities::{
    case_file, category_article, internal_measure, report,
};
use conduct_portal::public_reporting::commend::{commend, CommendError, NewCommendation};
use conduct_portal::public_reporting::rating::{rate, NewRating, RateError};
use conduct_portal::web::error::{AppError, AppResult};
use conduct_portal::web::state::AppState;

/// At most this many ratings, commendations, findings and files, whatever the reports.
const MAX_RATINGS: usize = 3_000;
const MAX_COMMENDATIONS: u64 = 600;
const MAX_FINDINGS: usize = 12;
const MAX_FILES: usize = 40;

/// How much of each was added.
#[derive(Debug, Default, Clone, Copy)]
pub struct Extras {
    pub ratings: usize,
    pub commendations: usize,
    pub findings: usize,
    pub decisions: usize,
    pub files: usize,
}

/// Adds the extras for the reports `first_id..first_id + reports`; `skip_below` keeps the
/// reports with printed receipts for the demo user to rate themselves.
pub async fn add(
    state: &AppState,
    directory: &Directory,
    first_id: i32,
    skip_below: i32,
    rng: &mut StdRng,
) -> AppResult<Extras> {
    let mut extras = Extras {
        ratings: ratings(state, first_id, skip_below, rng).await?,
        commendations: commendations(state, directory, rng).await?,
        ..Extras::default()
    };
    (extras.findings, extras.decisions) = discipline(state, directory, first_id).await?;
    extras.files = files(state, first_id).await?;
    rollups::rebuild(&state.db).await?;
    Ok(extras)
}

// ---------------------------------------------------------------------------------------------
// Ratings
// ---------------------------------------------------------------------------------------------

const RATING_COMMENTS: &[&str] = &[
    "Cảm ơn đoàn thanh tra đã xử lý nhanh và trả lời rõ ràng.",
    "Kết quả chấp nhận được, nhưng thời gian chờ hơi lâu.",
    "Tôi chưa hài lòng với cách giải thích kết quả.",
    "Nhân viên liên hệ lại lịch sự, vấn đề đã được khắc phục.",
];

/// About a third of the closed reports, rated as customers do (mostly satisfied).
async fn ratings(
    state: &AppState,
    first_id: i32,
    skip_below: i32,
    rng: &mut StdRng,
) -> AppResult<usize> {
    let closed: Vec<i32> = report::Entity::find()
        .select_only()
        .column(report::Column::Id)
        .filter(report::Column::Id.gte(first_id.max(skip_below)))
        .filter(report::Column::Status.eq(CaseStatus::Closed.as_str()))
        .order_by_asc(report::Column::Id)
        .into_tuple::<i32>()
        .all(state.db.conn())
        .await?;
    let mut rated = 0;
    for id in closed {
        if rated >= MAX_RATINGS {
            break;
        }
        if !rng.gen_bool(0.35) {
            continue;
        }
        let score = *[5, 5, 5, 4, 4, 4, 3, 3, 2, 1].choose(rng).unwrap_or(&4);
        let comment = rng
            .gen_bool(0.4)
            .then(|| RATING_COMMENTS.choose(rng).map(|c| c.to_string()))
            .flatten();
        match rate(state, id, NewRating { score, comment }).await {
            Ok(()) => rated += 1,
            Err(RateError::Other(error)) => return Err(error),
            Err(RateError::NotClosed | RateError::AlreadyRated) => {}
        }
    }
    Ok(rated)
}

// ---------------------------------------------------------------------------------------------
// Commendations
// ---------------------------------------------------------------------------------------------

const COMMENDATIONS: &[&str] = &[
    "Anh thợ điện đến sửa sự cố lúc nửa đêm, làm việc rất tận tình và chu đáo.",
    "Chị giao dịch viên hướng dẫn tôi đổi tên hợp đồng rất nhiệt tình, không phải đi lại nhiều lần.",
    "Tổ thu ngân nhắc lịch thanh toán đúng hẹn, thái độ niềm nở.",
    "Đội quản lý vận hành khắc phục mất điện trong mưa bão rất nhanh. Xin cảm ơn!",
    "Nhân viên ghi chỉ số công tơ giải thích rõ ràng khi gia đình tôi thắc mắc về hóa đơn.",
];

/// Commendations of a handful of busy offices, so their counts are large enough to be shown.
async fn commendations(
    state: &AppState,
    directory: &Directory,
    rng: &mut StdRng,
) -> AppResult<usize> {
    let mut offices: Vec<i32> = directory
        .units
        .iter()
        .filter(|u| u.active_to.is_none() && matches!(u.kind.as_str(), "district" | "office"))
        .map(|u| u.id)
        .collect();
    offices.shuffle(rng);
    offices.truncate(8);
    if offices.is_empty() {
        return Ok(0);
    }
    let staff: HashMap<i32, Vec<&StaffRef>> =
        directory.staff.iter().fold(HashMap::new(), |mut map, s| {
            map.entry(s.unit_id).or_default().push(s);
            map
        });
    let wanted = (directory.teams.len() as u64 * 4).clamp(12, MAX_COMMENDATIONS);
    let mut stored = 0;
    for _ in 0..wanted {
        let unit_id = offices[rng.gen_range(0..offices.len())];
        let person = staff
            .get(&unit_id)
            .and_then(|people| people.choose(rng))
            .filter(|_| rng.gen_bool(0.6));
        let new = NewCommendation {
            unit_id,
            staff_name: person.map(|p| p.name.clone()),
            staff_number: person.map(|p| p.number.clone()),
            body: COMMENDATIONS.choose(rng).map_or("", |b| b).to_string(),
        };
        match commend(state, new).await {
            Ok(_) => stored += 1,
            Err(CommendError::Other(error)) => return Err(error),
            Err(CommendError::Invalid(_) | CommendError::TooMany) => {}
        }
    }
    Ok(stored)
}

// ---------------------------------------------------------------------------------------------
// Discipline
// ---------------------------------------------------------------------------------------------

/// Violations older than this are left alone: the six-month limitation (Labour Code Art. 123)
/// would refuse a decision today.
const RECENT_VIOLATION_DAYS: u64 = 150;

/// Findings against the named (or else a) staff member of recent substantiated cases, recorded by their
/// team's lead, and a lawful decision for two in three of them: a reprimand, a pay-rise
/// deferral or an internal measure, after the hearing, with the protected state checked.
async fn discipline(
    state: &AppState,
    directory: &Directory,
    first_id: i32,
) -> AppResult<(usize, usize)> {
    let conn = state.db.conn();
    let today = local_date(state.clock.now());
    let since = today - Days::new(RECENT_VIOLATION_DAYS);
    let cases = case_file::Entity::find()
        .filter(case_file::Column::ReportId.gte(first_id))
        .filter(
            case_file::Column::Status
                .is_in([CaseStatus::Concluded.as_str(), CaseStatus::Closed.as_str()]),
        )
        .filter(case_file::Column::ReceivedAt.gte(state.clock.now() - chrono::Days::new(200)))
        .order_by_desc(case_file::Column::ReceivedAt)
        .limit(300)
        .all(conn)
        .await?;
    let numbers: HashMap<i32, &str> = directory
        .staff
        .iter()
        .map(|s| (s.id, s.number.as_str()))
        .collect();
    let internal = internal_measure::Entity::find()
        .filter(internal_measure::Column::Active.eq(true))
        .order_by_asc(internal_measure::Column::SortOrder)
        .one(conn)
        .await?
        .map(|m| format!("internal:{}", m.id));
    let mut viewers: HashMap<i32, Option<Viewer>> = HashMap::new();
    let (mut findings, mut decisions) = (0, 0);
    for case in cases.iter().filter(|c| eligible(c)) {
        if findings >= MAX_FINDINGS {
            break;
        }
        let Some(team) = case.team_id else {
            continue;
        };
        // The employee the report named, else one of the unit's whom the inquiry found.
        let number = match case.named_staff_member_id {
            Some(staff) => numbers.get(&staff).copied(),
            None => directory
                .staff
                .iter()
                .find(|s| s.unit_id == case.unit_id)
                .map(|s| s.number.as_str()),
        };
        let Some(number) = number else {
            continue;
        };
        let occurred = report::Entity::find_by_id(case.report_id)
            .one(conn)
            .await?
            .map(|r| r.occurred_on);
        let Some(occurred) = occurred.filter(|d| *d >= since && *d <= today) else {
            continue;
        };
        let articles: Vec<String> = category_article::Entity::find()
            .filter(category_article::Column::CategoryId.eq(case.category_id))
            .all(conn)
            .await?
            .into_iter()
            .map(|a| a.article_key)
            .collect();
        if articles.is_empty() {
            continue;
        }
        if let std::collections::hash_map::Entry::Vacant(entry) = viewers.entry(team) {
            let viewer = match team_lead(directory, team) {
                Some(lead) => Some(Viewer::of(conn, lead).await?),
                None => None,
            };
            entry.insert(viewer);
        }
        let Some(Some(viewer)) = viewers.get(&team) else {
            continue;
        };
        let input = FindingInput {
            employee_number: number.to_string(),
            violation_date: iso(occurred),
            articles,
            ..FindingInput::default()
        };
        // A refusal (the lead is the person, or is conflicted out) just moves on.
        let Ok(finding) = record_finding(state, viewer, CaseId(case.report_id), &input).await
        else {
            continue;
        };
        findings += 1;
        if findings % 3 == 0 {
            continue;
        }
        let measure = match (decisions % 3, &internal) {
            (0, _) => "reprimand".to_string(),
            (1, _) => "pay_rise_deferral".to_string(),
            (_, Some(internal)) => internal.clone(),
            (_, None) => "reprimand".to_string(),
        };
        let input = lawful_decision(measure, decisions + 1, today);
        if record_decision(state, viewer, CaseId(case.report_id), finding, &input)
            .await
            .is_ok()
        {
            decisions += 1;
        }
    }
    Ok((findings, decisions))
}

/// The first team lead of `team`, as the guards would see them.
fn team_lead(directory: &Directory, team: i32) -> Option<StaffUser> {
    directory
        .accounts
        .iter()
        .find(|a: &&DemoAccount| a.team_id == Some(team) && a.roles.contains(&Role::TeamLead))
        .map(|a| StaffUser {
            id: a.id,
            email: a.email.clone(),
            display_name: a.display_name.clone(),
            roles: a.roles.clone(),
            session_id: 0,
        })
}

fn iso(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// A decision taken today after the meeting the law requires (Art. 122): the representative
/// body took part, the employee was heard, and no protected state (Art. 122(4)) was found.
fn lawful_decision(measure: String, n: usize, today: NaiveDate) -> DecisionInput {
    DecisionInput {
        deferral_months: if measure == "pay_rise_deferral" {
            "3".into()
        } else {
            String::new()
        },
        measure,
        decision_number: format!("{n:02}/QĐ-KLLĐ"),
        decision_date: iso(today),
        signer_name: "Trần Quang Minh".into(),
        signer_title: "Giám đốc".into(),
        representative_took_part: true,
        employee_heard: true,
        minutes_reference: format!("{n:02}/BB-HĐKL"),
        protected_state_checked: true,
        protected_state_found: "none".into(),
        ..DecisionInput::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Evidence files
// ---------------------------------------------------------------------------------------------

/// A reporter's PDF on the first reports (those with printed receipts among them, so the demo
/// follow-up page lists one), and an investigator's internal note where the case has an
/// assignee. Sealed under each report's data key like an upload; recorded at receipt time.
async fn files(state: &AppState, first_id: i32) -> AppResult<usize> {
    let conn = state.db.conn();
    let cases = case_file::Entity::find()
        .filter(case_file::Column::ReportId.gte(first_id))
        .order_by_asc(case_file::Column::ReportId)
        .limit(MAX_FILES as u64 / 2)
        .all(conn)
        .await?;
    let mut added = 0;
    for case in &cases {
        let reporter = pdf(&format!("Hoa don tien dien - phan anh {}", case.report_id));
        add_file(
            state,
            case,
            Uploader::Reporter,
            SHARED,
            "hoa-don-thang-truoc.pdf",
            reporter,
        )
        .await?;
        added += 1;
        if let Some(assignee) = case.assignee_user_id {
            let note = pdf(&format!("Bien ban xac minh - ho so {}", case.report_id));
            add_file(
                state,
                case,
                Uploader::Staff(assignee),
                INTERNAL,
                "bien-ban-xac-minh.pdf",
                note,
            )
            .await?;
            added += 1;
        }
    }
    Ok(added)
}

async fn add_file(
    state: &AppState,
    case: &case_file::Model,
    uploader: Uploader,
    visibility: &str,
    name: &str,
    bytes: Vec<u8>,
) -> AppResult<()> {
    let data_key = evidence::data_key(state.db.conn(), state, case.report_id).await?;
    let key = EvidenceStore::new_key();
    state
        .evidence
        .store
        .put(&key, &data_key, &bytes)
        .await
        .map_err(AppError::internal)?;
    let staged = StagedFile {
        object_key: key,
        display_name: name.to_string(),
        kind: Kind::Pdf,
        size: bytes.len() as u64,
        cleaned_key: None,
        cleaned_size: None,
        removed: Vec::new(),
    };
    let at = match uploader {
        Uploader::Reporter => case.received_at,
        Uploader::Staff(_) => case.updated_at,
    };
    let tx = state.db.begin_write().await?;
    evidence::record(&*tx, case.report_id, uploader, visibility, &[staged], at).await?;
    tx.commit().await?;
    Ok(())
}

/// A one-page PDF showing `line` (ASCII), with a correct cross-reference table.
pub fn pdf(line: &str) -> Vec<u8> {
    let text: String = line
        .chars()
        .filter(|c| c.is_ascii() && !matches!(c, '(' | ')' | '\\'))
        .collect();
    let content = format!("BT /F1 16 Tf 60 760 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
         /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
            .to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}
