//! Handlers of `/cases`: inbox, team-lead overview, case page, actions, messages, links,
//! identity requests.

use std::collections::{BTreeSet, HashMap};

use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::{json, Value};

use super::access::{load_case, Viewer};
use super::inbox::{self, DeadlineFilter, InboxFilter, Sort};
use super::intake::team_workers;
use super::service::{self, ActionError, ActionInput};
use crate::auth::Authorized;
use crate::auth::Investigators;
use crate::domain::report::ReporterIdentity;
use crate::domain::status::CaseStatus;
use crate::domain::text::fold;
use crate::domain::workflow::{self, Action, Finding, Refusal};
use crate::platform::audit::{self, Entry};
use crate::platform::crypto;
use crate::platform::persistence::entities::{
    app_user, canned_reply, case_event, case_exclusion, case_file, case_link, category_article,
    culture_article, deadline_extension, identity_request, inspection_team, message, org_unit,
    report, report_key, reporter_identity, violation_category,
};
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

use crate::auth::TeamLeads;
use crate::case_management::reference_of;
use crate::domain::calendar::local_date;
use crate::platform::crypto::identity_context;
use crate::web::format::local_time;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::units::unit_path;

pub fn routes() -> Vec<Route> {
    routes![
        show_inbox,
        show_overview,
        show_case,
        perform_action,
        post_message,
        link_case,
        request_identity,
        show_identity,
    ]
}

async fn viewer(state: &AppState, user: &Authorized<Investigators>) -> AppResult<Viewer> {
    Viewer::of(state.db.conn(), user.user.clone()).await
}

async fn lookup_names<C: ConnectionTrait>(
    conn: &C,
    lang: Lang,
) -> AppResult<(
    HashMap<i32, String>,
    HashMap<i32, String>,
    HashMap<i32, String>,
)> {
    let categories = violation_category::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.id, lang.pick(&c.name_vi, &c.name_en)))
        .collect();
    let units = org_unit::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, lang.pick(&u.name_vi, &u.name_en)))
        .collect();
    let users = app_user::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok((categories, units, users))
}

#[expect(
    clippy::too_many_arguments,
    reason = "one parameter per inbox filter, as Rocket binds query fields"
)]
#[get("/cases?<status>&<category>&<unit>&<deadline>&<assignee>&<q>&<sort>&<page>")]
async fn show_inbox(
    page_ctx: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    status: Option<String>,
    category: Option<i32>,
    unit: Option<i32>,
    deadline: Option<String>,
    assignee: Option<i32>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<u64>,
) -> AppResult<Template> {
    let viewer = viewer(state, &user).await?;
    let filter = InboxFilter {
        status: status.as_deref().and_then(|s| s.parse().ok()),
        category_id: category,
        unit_id: unit,
        deadline: deadline.as_deref().and_then(DeadlineFilter::parse),
        assignee,
        query: q.clone().unwrap_or_default(),
        sort: Sort::parse(sort.as_deref().unwrap_or_default()),
        page: page.unwrap_or(1),
    };
    let today = local_date(state.clock.now());
    let conn = state.db.conn();
    let result = inbox::load(conn, &viewer, &filter, today, &state.config.receipt_key).await?;
    let lang = page_ctx.lang;
    let (categories, units, users) = lookup_names(conn, lang).await?;
    let rows: Vec<Value> = result
        .cases
        .iter()
        .map(|case| {
            let status: Option<CaseStatus> = case.status.parse().ok();
            json!({
                "id": case.report_id,
                "reference": reference_of(case),
                "received": local_time(case.received_at),
                "unit": units.get(&case.unit_id),
                "category": categories.get(&case.category_id),
                "status": status.map(|s| lang.t(&s.label_key())),
                "status_code": case.status,
                "assignee": case.assignee_user_id.and_then(|id| users.get(&id)),
                "clock": inbox::clock_mark(case, today),
                "unread": case.staff_unread,
                "second_level": case.second_level,
            })
        })
        .collect();
    let counts: Vec<Value> = CaseStatus::ALL
        .iter()
        .map(|s| {
            json!({
                "code": s.as_str(),
                "label": lang.t(&s.label_key()),
                "count": result.counts.get(s.as_str()).copied().unwrap_or(0),
            })
        })
        .collect();
    let mut category_options: Vec<Value> = categories
        .iter()
        .map(|(id, name)| json!({"id": id, "name": name}))
        .collect();
    category_options.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    let query_string = |page: u64| {
        let mut parts = vec![format!("page={page}")];
        let mut push = |k: &str, v: Option<String>| {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                parts.push(format!("{k}={}", urlencode(&v)));
            }
        };
        push("status", status.clone());
        push("category", category.map(|c| c.to_string()));
        push("unit", unit.map(|c| c.to_string()));
        push("deadline", deadline.clone());
        push("assignee", assignee.map(|c| c.to_string()));
        push("q", q.clone());
        push("sort", Some(filter.sort.as_str().to_string()));
        parts.join("&")
    };
    Ok(page_ctx.render(
        "cases/inbox",
        json!({
            "cases": rows,
            "counts": counts,
            "total": result.total,
            "page": result.page,
            "pages": result.pages,
            "prev": (result.page > 1).then(|| query_string(result.page - 1)),
            "next": (result.page < result.pages).then(|| query_string(result.page + 1)),
            "filter": {
                "status": status.unwrap_or_default(),
                "category": category.map(|c| c.to_string()).unwrap_or_default(),
                "unit": unit.map(|c| c.to_string()).unwrap_or_default(),
                "deadline": deadline.unwrap_or_default(),
                "assignee": assignee.map(|c| c.to_string()).unwrap_or_default(),
                "q": q.unwrap_or_default(),
                "sort": filter.sort.as_str(),
            },
            "categories": category_options,
            "unit_groups": crate::web::units::grouped(&org_unit::Entity::find().all(conn).await?, lang, ""),
            "statuses": CaseStatus::ALL.iter().map(|s| json!({"code": s.as_str(), "label": lang.t(&s.label_key())})).collect::<Vec<_>>(),
            "me": user.id,
            "has_teams": !viewer.team_ids.is_empty(),
        }),
    ))
}

fn urlencode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.as_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(*byte as char)
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

#[get("/cases/overview")]
async fn show_overview(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<TeamLeads>,
) -> AppResult<Template> {
    let conn = state.db.conn();
    let viewer = Viewer::of(conn, user.user.clone()).await?;
    let today = local_date(state.clock.now());
    let mut teams = Vec::new();
    for team_id in &viewer.team_ids {
        let Some(team) = inspection_team::Entity::find_by_id(*team_id)
            .one(conn)
            .await?
        else {
            continue;
        };
        let open = case_file::Entity::find()
            .filter(case_file::Column::TeamId.eq(*team_id))
            .filter(case_file::Column::Status.is_in([
                CaseStatus::Received.as_str(),
                CaseStatus::Accepted.as_str(),
                CaseStatus::Investigating.as_str(),
                CaseStatus::AwaitingReporter.as_str(),
            ]))
            .order_by_asc(case_file::Column::AcceptanceDue)
            .all(conn)
            .await?;
        let mut levels: HashMap<&'static str, u64> = HashMap::new();
        let mut at_risk = Vec::new();
        for case in &open {
            if let Some(mark) = inbox::clock_mark(case, today) {
                *levels.entry(mark.alert.as_str()).or_default() += 1;
                if mark.alert >= crate::domain::calendar::Alert::ThreeQuarters {
                    at_risk.push(json!({
                        "id": case.report_id,
                        "reference": reference_of(case),
                        "clock": mark,
                        "status": page.lang.t(&case.status.parse::<CaseStatus>().map(|s| s.label_key()).unwrap_or_default()),
                    }));
                }
            }
        }
        teams.push(json!({
            "name": team.name,
            "open": open.len(),
            "levels": levels,
            "at_risk": at_risk,
        }));
    }
    Ok(page.render("cases/overview", json!({"teams": teams})))
}

/// The routing explanation in words: "rule: EVNHANOI × bribery → Ban Thanh tra EVNHANOI".
async fn explain_routing<C: ConnectionTrait>(
    conn: &C,
    lang: Lang,
    case: &case_file::Model,
) -> AppResult<String> {
    let reason: Value = serde_json::from_str(&case.routing_reason).unwrap_or(Value::Null);
    let unit = match reason["unit_id"].as_i64() {
        Some(id) => org_unit::Entity::find_by_id(id as i32)
            .one(conn)
            .await?
            .map(|u| u.code)
            .unwrap_or_default(),
        None => String::new(),
    };
    let category = violation_category::Entity::find_by_id(case.category_id)
        .one(conn)
        .await?
        .map(|c| lang.pick(&c.name_vi, &c.name_en))
        .unwrap_or_default();
    let team = match reason["team_id"].as_i64() {
        Some(id) => inspection_team::Entity::find_by_id(id as i32)
            .one(conn)
            .await?
            .map(|t| t.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let kind = reason["kind"].as_str().unwrap_or("none");
    let mut text = lang.t_args(
        &format!("routing-{}", kind.replace('_', "-")),
        &[("unit", unit), ("category", category), ("team", team)],
    );
    if reason["escalate"].as_bool() == Some(true) {
        text.push_str(" · ");
        text.push_str(&lang.t("routing-reporter-asked-above"));
    }
    if reason["severe"].as_bool() == Some(true) {
        text.push_str(" · ");
        text.push_str(&lang.t("routing-severe"));
    }
    if reason["skipped_for_conflict"]
        .as_array()
        .is_some_and(|a| !a.is_empty())
    {
        text.push_str(" · ");
        text.push_str(&lang.t("routing-conflict"));
    }
    Ok(text)
}

/// Cited culture-code articles, in the version in force on the violation date.
async fn cited_articles<C: ConnectionTrait>(
    conn: &C,
    lang: Lang,
    category_id: i32,
    on: chrono::NaiveDate,
) -> AppResult<Vec<Value>> {
    let keys: Vec<String> = category_article::Entity::find()
        .filter(category_article::Column::CategoryId.eq(category_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| c.article_key)
        .collect();
    let mut out = Vec::new();
    for key in keys {
        let versions = culture_article::Entity::find()
            .filter(culture_article::Column::ArticleKey.eq(key.as_str()))
            .order_by_desc(culture_article::Column::Version)
            .all(conn)
            .await?;
        let chosen = versions
            .iter()
            .find(|v| v.effective_from <= on)
            .or_else(|| versions.last());
        if let Some(v) = chosen {
            out.push(json!({
                "key": v.article_key,
                "number": v.number,
                "version": v.version,
                "title": lang.pick(&v.title_vi, &v.title_en),
                "text": lang.pick(&v.text_vi, &v.text_en),
            }));
        }
    }
    Ok(out)
}

async fn case_context(
    state: &AppState,
    page: &PageCtx,
    viewer: &Viewer,
    case: &case_file::Model,
    report: &report::Model,
    canned: Option<&str>,
) -> AppResult<Value> {
    let conn = state.db.conn();
    let lang = page.lang;
    let today = local_date(state.clock.now());
    let status: CaseStatus = case.status.parse().map_err(AppError::internal)?;
    let (categories, _, users) = lookup_names(conn, lang).await?;
    let user_name = |id: Option<i32>| id.and_then(|id| users.get(&id).cloned());
    let data_key = crate::case_management::evidence::data_key(conn, state, report.id).await?;
    let text =
        crate::platform::evidence::text::open(&data_key, report).map_err(AppError::internal)?;

    let events: Vec<Value> = case_event::Entity::find()
        .filter(case_event::Column::ReportId.eq(report.id))
        .order_by_asc(case_event::Column::CreatedAt)
        .order_by_asc(case_event::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|e| {
            json!({
                "at": local_time(e.created_at),
                "text": lang.t(&format!("event-{}", e.kind.replace('_', "-"))),
                "actor": user_name(e.actor_user_id).unwrap_or_else(|| lang.t(&format!("author-{}", e.actor_kind))),
                "internal": !e.visible_to_reporter,
            })
        })
        .collect();
    let messages: Vec<Value> = message::Entity::find()
        .filter(message::Column::ReportId.eq(report.id))
        .order_by_asc(message::Column::CreatedAt)
        .order_by_asc(message::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|m| {
            json!({
                "at": local_time(m.created_at),
                "author": match m.author_kind.as_str() {
                    "staff" => user_name(m.author_user_id).unwrap_or_default(),
                    other => lang.t(&format!("author-{other}")),
                },
                "from_reporter": m.author_kind == "reporter",
                "internal": m.internal,
                "body": if m.author_kind == "system" { lang.t(&m.body) } else { crate::platform::evidence::text::message_body(&data_key, &m).unwrap_or_else(|_| { tracing::error!(message = m.id, "a sealed reply could not be opened"); String::new() }) },
                "unread": m.author_kind == "reporter" && m.read_by_staff_at.is_none(),
            })
        })
        .collect();
    let extensions: Vec<Value> = deadline_extension::Entity::find()
        .filter(deadline_extension::Column::ReportId.eq(report.id))
        .order_by_asc(deadline_extension::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|e| json!({"days": e.days, "reason": e.reason, "at": local_time(e.created_at)}))
        .collect();

    // Other cases naming the same person: by employee number, or the same normalised name in
    // the same unit.
    let mut related = Vec::new();
    let mut same_person =
        case_file::Entity::find().filter(case_file::Column::ReportId.ne(report.id));
    let mut search_related = false;
    if let Some(staff) = case.named_staff_member_id {
        same_person = same_person.filter(case_file::Column::NamedStaffMemberId.eq(staff));
        search_related = true;
    } else if let Some(name) = report.staff_name.as_deref().filter(|n| !n.is_empty()) {
        // Only the two columns compared: a busy unit has thousands of named reports, and the
        // (unit_id, staff_name) index answers this without reading the reports themselves.
        let folded = fold(name);
        let ids: Vec<i32> = report::Entity::find()
            .select_only()
            .column(report::Column::Id)
            .column(report::Column::StaffName)
            .filter(report::Column::UnitId.eq(report.unit_id))
            .filter(report::Column::StaffName.is_not_null())
            .filter(report::Column::Id.ne(report.id))
            .into_tuple::<(i32, Option<String>)>()
            .all(conn)
            .await?
            .into_iter()
            .filter(|(_, staff_name)| staff_name.as_deref().map(fold).as_deref() == Some(&folded))
            .map(|(id, _)| id)
            .collect();
        same_person = same_person.filter(case_file::Column::ReportId.is_in(ids));
        search_related = true;
    }
    if search_related {
        let others = same_person
            .order_by_desc(case_file::Column::ReceivedAt)
            .all(conn)
            .await?;
        // Visible as `load_case` decides (a team of the viewer, not excluded), asked once for
        // all of them instead of three queries per related case.
        let excluded: BTreeSet<i32> = if others.is_empty() {
            BTreeSet::new()
        } else {
            case_exclusion::Entity::find()
                .filter(case_exclusion::Column::UserId.eq(viewer.user.id))
                .filter(
                    case_exclusion::Column::ReportId
                        .is_in(others.iter().map(|o| o.report_id).collect::<Vec<_>>()),
                )
                .all(conn)
                .await?
                .into_iter()
                .map(|e| e.report_id)
                .collect()
        };
        for other in others {
            let visible = other
                .team_id
                .is_some_and(|team| viewer.team_ids.contains(&team))
                && !excluded.contains(&other.report_id);
            related.push(json!({
                "id": other.report_id,
                "reference": reference_of(&other),
                "received": local_time(other.received_at),
                "status": other.status.parse::<CaseStatus>().map(|s| lang.t(&s.label_key())).unwrap_or_default(),
                "finding": other.finding.as_deref().and_then(Finding::parse).map(|f| lang.t(&f.label_key())),
                "visible": visible,
            }));
        }
    }
    let mut links = Vec::new();
    for link in case_link::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(case_link::Column::ReportId.eq(report.id))
                .add(case_link::Column::LinkedReportId.eq(report.id)),
        )
        .all(conn)
        .await?
    {
        let other = if link.report_id == report.id {
            link.linked_report_id
        } else {
            link.report_id
        };
        if let Ok((other_case, _)) = load_case(conn, viewer, other).await {
            links.push(json!({"id": other, "reference": reference_of(&other_case), "status": other_case.status.parse::<CaseStatus>().map(|s| lang.t(&s.label_key())).unwrap_or_default()}));
        }
    }

    let actions: Vec<Value> = workflow::available(status, &viewer.user.roles)
        .into_iter()
        .map(|a| json!({"code": a.slug(), "label": lang.t(&format!("action-{}", a.slug()))}))
        .collect();
    let excluded: Vec<i32> = crate::platform::persistence::entities::case_exclusion::Entity::find()
        .filter(
            crate::platform::persistence::entities::case_exclusion::Column::ReportId.eq(report.id),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|e| e.user_id)
        .collect();
    let assignees: Vec<Value> = match case.team_id {
        Some(team) => team_workers(conn, team)
            .await?
            .into_iter()
            .filter(|id| !excluded.contains(id))
            .map(|id| json!({"id": id, "name": users.get(&id)}))
            .collect(),
        None => Vec::new(),
    };
    let teams: Vec<Value> = inspection_team::Entity::find()
        .filter(inspection_team::Column::Active.eq(true))
        .order_by_asc(inspection_team::Column::Name)
        .all(conn)
        .await?
        .into_iter()
        .filter(|t| Some(t.id) != case.team_id)
        .map(|t| json!({"id": t.id, "name": t.name}))
        .collect();
    let canned_replies: Vec<Value> = canned_reply::Entity::find()
        .filter(canned_reply::Column::Active.eq(true))
        .order_by_asc(canned_reply::Column::Code)
        .all(conn)
        .await?
        .into_iter()
        .map(|c| json!({"code": c.code, "title": lang.pick(&c.title_vi, &c.title_en), "body": lang.pick(&c.body_vi, &c.body_en)}))
        .collect();
    let prefill = canned
        .and_then(|code| canned_replies.iter().find(|c| c["code"] == code))
        .and_then(|c| c["body"].as_str())
        .unwrap_or_default()
        .to_string();
    let my_requests: Vec<Value> = identity_request::Entity::find()
        .filter(identity_request::Column::ReportId.eq(report.id))
        .filter(identity_request::Column::RequestedBy.eq(viewer.user.id))
        .order_by_desc(identity_request::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|r| json!({"status": r.status, "status_label": lang.t(&format!("identity-status-{}", r.status)), "at": local_time(r.created_at)}))
        .collect();
    let team_name = match case.team_id {
        Some(id) => inspection_team::Entity::find_by_id(id)
            .one(conn)
            .await?
            .map(|t| t.name),
        None => None,
    };
    let clock = |start: Option<chrono::NaiveDate>, due: Option<chrono::NaiveDate>| {
        due.map(|due| {
            json!({
                "due": due.format("%d/%m/%Y").to_string(),
                "alert": start.map(|s| crate::domain::calendar::alert(s, due, today)),
            })
        })
    };
    let received_day = local_date(case.received_at);
    let running = matches!(
        status,
        CaseStatus::Accepted | CaseStatus::Investigating | CaseStatus::AwaitingReporter
    );

    Ok(json!({
        "case": {
            "id": report.id,
            "reference": reference_of(case),
            "status": lang.t(&status.label_key()),
            "status_code": status.as_str(),
            "received": local_time(case.received_at),
            "unit_path": unit_path(state, report.unit_id, lang).await?,
            "category": categories.get(&case.category_id),
            "occurred_on": report.occurred_on.format("%d/%m/%Y").to_string(),
            "occurred_time": report.occurred_time,
            "description": text.description,
            "staff_name": report.staff_name,
            "staff_number": report.staff_number,
            "staff_description": text.staff_description,
            "named": report.submission_kind == "named",
            "escalate_above": report.escalate_above,
            "team": team_name,
            "assignee": user_name(case.assignee_user_id),
            "second_level": case.second_level,
            "routing": explain_routing(conn, lang, case).await?,
            "finding": case.finding.as_deref().and_then(Finding::parse).map(|f| lang.t(&f.label_key())),
            "finding_code": case.finding,
            "conclusion": case.conclusion_summary,
            "acceptance_clock": if status == CaseStatus::Received { clock(Some(received_day), Some(case.acceptance_due)) } else { clock(None, Some(case.acceptance_due)) },
            "notify_clock": clock(if running { case.accepted_on } else { None }, case.notify_due),
            "resolution_clock": clock(if running { case.accepted_on } else { None }, case.resolution_due),
            "accepted_on": case.accepted_on.map(|d| d.format("%d/%m/%Y").to_string()),
        },
        "articles": cited_articles(conn, lang, case.category_id, report.occurred_on).await?,
        "events": events,
        "messages": messages,
        "extensions": extensions,
        "related": related,
        "links": links,
        "actions": actions,
        "assignees": assignees,
        "teams": teams,
        "findings": Finding::ALL.iter().map(|f| json!({"code": f.as_str(), "label": lang.t(&f.label_key())})).collect::<Vec<_>>(),
        "canned_replies": canned_replies,
        "prefill": prefill,
        "identity_requests": my_requests,
        "rating": super::ratings::for_case(conn, report.id).await?,
        "files": crate::case_management::evidence::for_case(conn, lang, report.id).await?,
        "evidence_limits": crate::web::upload::evidence_limits(state, lang),
        "errors": {},
    }))
}

#[get("/cases/<id>?<canned>")]
async fn show_case(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
    canned: Option<String>,
) -> AppResult<Template> {
    let viewer = viewer(state, &user).await?;
    let (case, report) = load_case(state.db.conn(), &viewer, id).await?;
    let now = state.clock.now();
    // Reading the case marks the reporter's messages read, and is audited.
    let tx = state.db.begin_write().await?;
    message::Entity::update_many()
        .col_expr(
            message::Column::ReadByStaffAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(message::Column::ReportId.eq(id))
        .filter(message::Column::ReadByStaffAt.is_null())
        .exec(&*tx)
        .await?;
    if case.staff_unread {
        let mut active = case.clone().into_active_model();
        active.staff_unread = Set(false);
        active.update(&*tx).await?;
    }
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "case_viewed",
            object_type: "case",
            object_id: Some(id.to_string()),
            details: json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    let context = case_context(state, &page, &viewer, &case, &report, canned.as_deref()).await?;
    Ok(page.render("cases/show", context))
}

#[derive(Debug, Default, FromForm)]
struct ActionForm {
    reason: Option<String>,
    message: Option<String>,
    summary: Option<String>,
    finding: Option<String>,
    assignee: Option<i32>,
    team_id: Option<i32>,
    days: Option<u32>,
}

fn to_input(action: Action, form: &ActionForm) -> ActionInput {
    let text = |f: &Option<String>| f.clone().unwrap_or_default();
    match action {
        Action::Accept => ActionInput::Accept,
        Action::Decline => ActionInput::Decline {
            reason: text(&form.reason),
        },
        Action::StartInvestigation => ActionInput::StartInvestigation {
            assignee: form.assignee,
        },
        Action::Reassign => ActionInput::Reassign {
            assignee: form.assignee,
        },
        Action::AskReporter => ActionInput::AskReporter {
            message: text(&form.message),
        },
        Action::ResumeInvestigation => ActionInput::ResumeInvestigation,
        Action::Conclude => ActionInput::Conclude {
            finding: form.finding.as_deref().and_then(Finding::parse),
            summary: text(&form.summary),
        },
        Action::Close => ActionInput::Close,
        Action::Transfer => ActionInput::Transfer {
            team_id: form.team_id,
            reason: text(&form.reason),
        },
        Action::Escalate => ActionInput::Escalate {
            reason: text(&form.reason),
        },
        Action::Reopen => ActionInput::Reopen {
            reason: text(&form.reason),
        },
        Action::ExtendDeadline => ActionInput::ExtendDeadline {
            days: form.days.unwrap_or(0),
            reason: text(&form.reason),
        },
    }
}

/// Renders the case page again with an error for `action`.
async fn case_with_error(
    state: &AppState,
    page: &PageCtx,
    viewer: &Viewer,
    id: i32,
    status: Status,
    action: &str,
    key: &str,
) -> AppResultPage {
    let loaded = load_case(state.db.conn(), viewer, id).await;
    let (case, report) = match loaded {
        Ok(found) => found,
        Err(e) => return AppResultPage::Error(e),
    };
    match case_context(state, page, viewer, &case, &report, None).await {
        Ok(mut context) => {
            context["errors"] = json!({action: page.lang.t(key)});
            context["error_summary"] = json!(page.lang.t(key));
            AppResultPage::Page(page.render_status(status, "cases/show", context))
        }
        Err(e) => AppResultPage::Error(e),
    }
}

#[post("/cases/<id>/actions/<action>", data = "<form>")]
async fn perform_action(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
    action: &str,
    form: Form<ActionForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let viewer = viewer(state, &user).await.map_err(AppResultPage::Error)?;
    let Some(parsed) = Action::from_slug(action) else {
        return Err(AppResultPage::Error(AppError::NotFound));
    };
    match service::perform(state, &viewer, id, to_input(parsed, &form)).await {
        Ok(()) => {
            // After a transfer or escalation the case may have left the user's reach.
            let target = if load_case(state.db.conn(), &viewer, id).await.is_ok() {
                format!("/cases/{id}")
            } else {
                "/cases".to_string()
            };
            Ok(Flash::success(Redirect::to(target), "flash-case-updated"))
        }
        Err(ActionError::Refused(refusal)) => {
            let status = match refusal {
                Refusal::WrongState => Status::Conflict,
                Refusal::WrongRole => Status::Forbidden,
            };
            Err(case_with_error(
                state,
                &page,
                &viewer,
                id,
                status,
                action,
                refusal.message_key(),
            )
            .await)
        }
        Err(ActionError::Invalid(key)) => Err(case_with_error(
            state,
            &page,
            &viewer,
            id,
            Status::UnprocessableEntity,
            action,
            key,
        )
        .await),
        Err(ActionError::Other(e)) => Err(AppResultPage::Error(e)),
    }
}

#[derive(Debug, FromForm)]
struct MessageForm {
    body: Option<String>,
    internal: bool,
}

#[post("/cases/<id>/messages", data = "<form>")]
async fn post_message(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
    form: Form<MessageForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let viewer = viewer(state, &user).await.map_err(AppResultPage::Error)?;
    let body = form.body.clone().unwrap_or_default();
    match service::post_message(state, &viewer, id, &body, form.internal).await {
        Ok(()) => Ok(Flash::success(
            Redirect::to(format!("/cases/{id}")),
            if form.internal {
                "flash-note-added"
            } else {
                "flash-message-sent"
            },
        )),
        Err(ActionError::Invalid(key)) => Err(case_with_error(
            state,
            &page,
            &viewer,
            id,
            Status::UnprocessableEntity,
            "message",
            key,
        )
        .await),
        Err(ActionError::Refused(_)) => Err(AppResultPage::Error(AppError::Forbidden)),
        Err(ActionError::Other(e)) => Err(AppResultPage::Error(e)),
    }
}

#[derive(Debug, FromForm)]
struct LinkForm {
    reference: Option<String>,
}

#[post("/cases/<id>/links", data = "<form>")]
async fn link_case(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
    form: Form<LinkForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let viewer = viewer(state, &user).await.map_err(AppResultPage::Error)?;
    let other = form
        .reference
        .as_deref()
        .and_then(crate::domain::case_ref::parse_reference)
        .unwrap_or(0);
    match service::link_cases(state, &viewer, id, other).await {
        Ok(()) => Ok(Flash::success(
            Redirect::to(format!("/cases/{id}")),
            "flash-case-linked",
        )),
        Err(ActionError::Invalid(key)) => Err(case_with_error(
            state,
            &page,
            &viewer,
            id,
            Status::UnprocessableEntity,
            "link",
            key,
        )
        .await),
        Err(ActionError::Refused(_)) => Err(AppResultPage::Error(AppError::Forbidden)),
        Err(ActionError::Other(e)) => Err(AppResultPage::Error(e)),
    }
}

#[derive(Debug, FromForm)]
struct IdentityRequestForm {
    reason: Option<String>,
}

#[post("/cases/<id>/identity-requests", data = "<form>")]
async fn request_identity(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
    form: Form<IdentityRequestForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let viewer = viewer(state, &user).await.map_err(AppResultPage::Error)?;
    let reason = form.reason.clone().unwrap_or_default();
    match service::request_identity(state, &viewer, id, &reason).await {
        Ok(()) => Ok(Flash::success(
            Redirect::to(format!("/cases/{id}")),
            "flash-identity-requested",
        )),
        Err(ActionError::Invalid(key)) => Err(case_with_error(
            state,
            &page,
            &viewer,
            id,
            Status::UnprocessableEntity,
            "identity",
            key,
        )
        .await),
        Err(ActionError::Refused(_)) => Err(AppResultPage::Error(AppError::Forbidden)),
        Err(ActionError::Other(e)) => Err(AppResultPage::Error(e)),
    }
}

/// The denouncer's identity, for an inspector whose request a custodian approved. Audited.
#[get("/cases/<id>/identity")]
async fn show_identity(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Investigators>,
    id: i32,
) -> AppResult<Template> {
    let viewer = viewer(state, &user).await?;
    let conn = state.db.conn();
    let (case, _) = load_case(conn, &viewer, id).await?;
    let approved = identity_request::Entity::find()
        .filter(identity_request::Column::ReportId.eq(id))
        .filter(identity_request::Column::RequestedBy.eq(user.id))
        .filter(identity_request::Column::Status.eq("approved"))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let identity = reveal_identity(state, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    audit::record(
        &*tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "identity_viewed",
            object_type: "identity_request",
            object_id: Some(approved.id.to_string()),
            details: json!({"report_id": id}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(page.render(
        "cases/identity",
        json!({
            "case": {"id": id, "reference": reference_of(&case)},
            "identity": {"full_name": identity.full_name, "address": identity.address, "phone": identity.phone},
        }),
    ))
}

/// Opens a report's sealed identity with its data key.
pub async fn reveal_identity(
    state: &AppState,
    report_id: i32,
) -> AppResult<Option<ReporterIdentity>> {
    let conn = state.db.conn();
    let Some(sealed) = reporter_identity::Entity::find()
        .filter(reporter_identity::Column::ReportId.eq(report_id))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let key = report_key::Entity::find()
        .filter(report_key::Column::ReportId.eq(report_id))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let data_key = state
        .config
        .unwrap_report_key(&key)
        .map_err(AppError::internal)?;
    let plain = crypto::open(&data_key, &identity_context(report_id), &sealed.sealed)
        .map_err(AppError::internal)?;
    Ok(Some(
        serde_json::from_slice(&plain).map_err(AppError::internal)?,
    ))
}
