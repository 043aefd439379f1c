//! `bench`: latency of the inbox and the case page on a database seeded with `seed-demo`.
//!
//! Builds the real application (settings from `Rocket.toml` and `ROCKET_*`, so point
//! `ROCKET_DATABASE_URL` and `ROCKET_DATA_DIR` at the seeded database), signs in a demo inspector
//! of the busiest team through a server-side session, and times requests through Rocket's local
//! client after a warm-up. Beside each inbox figure it times the inbox's page query alone
//! (`inbox::filtered` + order + limit 25), the whole `inbox::load` (page, total, counts) and
//! the viewer's access (`Viewer::of`); the page is compared with the last two together. The case
//! page is compared with its access, viewed mark and lists (`mark_viewed`, `CaseView::build`).
//!
//! ```text
//! bench [--seed N] [--requests 200] [--warmup 20]
//! bench pages [--seconds 5] [--warmup 1] [--connections 16] [--client-threads 2]
//! ```
//!
//! `bench pages` measures the public pages' req/s against a bare Rocket + Tera page of the
//! same size instead (`devtools::pages`, where the method is described).

use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use conduct_portal::app::{self, AppState};
use conduct_portal::auth::session::{self, Stage};
use conduct_portal::auth::StaffUser;
use conduct_portal::case_management::access::Viewer;
use conduct_portal::case_management::case_page::CaseView;
use conduct_portal::case_management::inbox::{self, DeadlineFilter, InboxFilter};
use conduct_portal::case_management::search::Search;
use conduct_portal::case_management::service;
use conduct_portal::domain::calendar::local_date;
use conduct_portal::domain::ids::CaseId;
use conduct_portal::domain::roles::Role;
use conduct_portal::domain::status::CaseStatus;
use conduct_portal::platform::persistence::entities::{
    app_user, case_file, team_member, user_role, violation_category,
};
use conduct_portal::web::error::AppError;
use conduct_portal::web::i18n::Lang;
use devtools::demo;
use rand::seq::SliceRandom;
use rocket::http::{Cookie, Status};
use rocket::local::asynchronous::Client;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

#[derive(Parser)]
#[command(name = "bench", about = "Latency of the inbox and the case page")]
struct Args {
    /// Seed this many demo reports first (otherwise the database must already be seeded).
    #[arg(long)]
    seed: Option<u64>,
    /// Measured requests per scenario.
    #[arg(long, default_value_t = 200)]
    requests: usize,
    /// Unmeasured requests per scenario first.
    #[arg(long, default_value_t = 20)]
    warmup: usize,
}

type BenchResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

#[rocket::main]
async fn main() -> ExitCode {
    // `bench pages …`: the public pages against a bare Rocket + Tera page (devtools::pages).
    if std::env::args().nth(1).as_deref() == Some("pages") {
        let rest: Vec<String> = std::env::args().skip(2).collect();
        return match devtools::pages::run(rest).await {
            Ok(_) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("bench pages failed: {error}");
                ExitCode::FAILURE
            }
        };
    }
    let args = Args::parse();
    match run(args).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(2),
        Err(error) => {
            eprintln!("bench failed: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Milliseconds at the given percentile (nearest rank).
fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
}

struct Figures {
    p50: f64,
    p95: f64,
    p99: f64,
}

fn figures(mut samples: Vec<Duration>) -> Figures {
    samples.sort();
    Figures {
        p50: percentile(&samples, 50.0),
        p95: percentile(&samples, 95.0),
        p99: percentile(&samples, 99.0),
    }
}

#[derive(Debug, FromQueryResult)]
struct TeamCount {
    team_id: i32,
    n: i64,
}

/// The demo inspector of the team with the most cases.
async fn busy_inspector(conn: &DatabaseConnection) -> BenchResult<(app_user::Model, i32, i64)> {
    let counts = case_file::Entity::find()
        .select_only()
        .column(case_file::Column::TeamId)
        .column_as(Expr::col(case_file::Column::Id).count(), "n")
        .filter(case_file::Column::TeamId.is_not_null())
        .group_by(case_file::Column::TeamId)
        .into_model::<TeamCount>()
        .all(conn)
        .await?;
    let inspectors: Vec<i32> = user_role::Entity::find()
        .filter(user_role::Column::Role.eq(Role::Inspector.as_str()))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| r.user_id)
        .collect();
    let mut ranked = counts;
    ranked.sort_by_key(|c| std::cmp::Reverse(c.n));
    for team in ranked {
        let members = team_member::Entity::find()
            .filter(team_member::Column::TeamId.eq(team.team_id))
            .all(conn)
            .await?;
        for member in members {
            if !inspectors.contains(&member.user_id) {
                continue;
            }
            let Some(user) = app_user::Entity::find_by_id(member.user_id)
                .one(conn)
                .await?
            else {
                continue;
            };
            if user.email.ends_with(demo::directory::DEMO_DOMAIN) {
                return Ok((user, team.team_id, team.n));
            }
        }
    }
    Err("no demo inspector in any team with cases: seed the database first".into())
}

async fn time_requests(
    client: &Client,
    token: &str,
    paths: &[String],
    warmup: usize,
    requests: usize,
) -> BenchResult<Vec<Duration>> {
    let mut samples = Vec::with_capacity(requests);
    for i in 0..warmup + requests {
        let path = &paths[i % paths.len()];
        let started = Instant::now();
        let response = client
            .get(path.clone())
            .private_cookie(Cookie::new("sid", token.to_string()))
            .dispatch()
            .await;
        let status = response.status();
        let body = response.into_bytes().await.unwrap_or_default();
        let elapsed = started.elapsed();
        if status != Status::Ok || body.is_empty() {
            return Err(format!("GET {path} answered {status}").into());
        }
        if i >= warmup {
            samples.push(elapsed);
        }
    }
    Ok(samples)
}

/// Times the inbox's first-page query alone, the whole `inbox::load`, and the viewer's access
/// (`Viewer::of`: teams and conflicts of interest, read on every staff request).
async fn time_inbox_sql(
    conn: &DatabaseConnection,
    viewer: &Viewer,
    filter: &InboxFilter,
    today: chrono::NaiveDate,
    search_key: &conduct_portal::platform::crypto::SecretKey32,
    warmup: usize,
    requests: usize,
) -> BenchResult<(Vec<Duration>, Vec<Duration>, Vec<Duration>)> {
    let mut page = Vec::with_capacity(requests);
    let mut load = Vec::with_capacity(requests);
    let mut access = Vec::with_capacity(requests);
    for i in 0..warmup + requests {
        let started = Instant::now();
        let again = Viewer::of(conn, viewer.user.clone())
            .await
            .map_err(|e: AppError| e.to_string())?;
        let access_time = started.elapsed();
        std::hint::black_box(again);
        let started = Instant::now();
        let search = Search::plan(conn, &filter.query, search_key).await?;
        let rows = inbox::filtered(viewer, filter, today, &search)
            .order_by_desc(case_file::Column::ReceivedAt)
            .order_by_desc(case_file::Column::Id)
            .limit(inbox::PAGE_SIZE)
            .all(conn)
            .await?;
        let page_time = started.elapsed();
        std::hint::black_box(rows);
        let started = Instant::now();
        let loaded = inbox::load(conn, viewer, filter, today, search_key).await?;
        let load_time = started.elapsed();
        std::hint::black_box(loaded.total);
        if i >= warmup {
            page.push(page_time);
            load.push(load_time);
            access.push(access_time);
        }
    }
    Ok((page, load, access))
}

/// Times what the case page reads and writes before rendering: the viewer's access, the
/// viewed mark with its audit entry (`service::mark_viewed`) and every list of the page
/// (`CaseView::build`, which also opens the sealed text).
async fn time_case_data(
    state: &AppState,
    user: &StaffUser,
    case_ids: &[i32],
    warmup: usize,
    requests: usize,
) -> BenchResult<Vec<Duration>> {
    let mut samples = Vec::with_capacity(requests);
    for i in 0..warmup + requests {
        let id = case_ids[i % case_ids.len()];
        let started = Instant::now();
        let viewer = Viewer::of(state.db.conn(), user.clone())
            .await
            .map_err(|e: AppError| e.to_string())?;
        let (case, report) = service::mark_viewed(state, &viewer, CaseId(id))
            .await
            .map_err(|e: AppError| e.to_string())?;
        let view = CaseView::build(state, Lang::Vi, &viewer, (&case, &report), None)
            .await
            .map_err(|e: AppError| e.to_string())?;
        let elapsed = started.elapsed();
        std::hint::black_box(view);
        if i >= warmup {
            samples.push(elapsed);
        }
    }
    Ok(samples)
}

async fn run(args: Args) -> BenchResult<bool> {
    if let Some(reports) = args.seed {
        let (_, state) = app::prepare(rocket::Config::figment(), app::system_clock()).await?;
        demo::seed(&state, reports).await?;
        state.db.conn().clone().close().await?;
    }
    // The bench's session is made fully signed in directly; with two-factor required for
    // inspectors, the guards would hold it at enrolment.
    let figment = rocket::Config::figment().merge(("two_factor_roles", Vec::<String>::new()));
    let rocket = app::build(figment, app::system_clock()).await?;
    let client = Client::untracked(rocket).await?;
    let state = client
        .rocket()
        .state::<AppState>()
        .ok_or("the application has no state")?;
    let conn = state.db.conn();
    let backend = format!("{:?}", state.db.backend()).to_lowercase();
    let reports = case_file::Entity::find().count(conn).await?;
    let (user, team_id, team_cases) = busy_inspector(conn).await?;
    let now = state.clock.now();
    let today = local_date(now);
    let token = session::create(conn, &state.config, user.id, Stage::Active, now).await?;

    let category = violation_category::Entity::find()
        .filter(violation_category::Column::Code.eq("rude"))
        .one(conn)
        .await?
        .or(violation_category::Entity::find().one(conn).await?)
        .ok_or("no categories")?;
    let roles: Vec<Role> = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user.id))
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|r| r.role.parse().ok())
        .collect();
    let viewer = Viewer::of(
        conn,
        StaffUser {
            id: user.id,
            email: user.email.clone(),
            display_name: user.display_name.clone(),
            roles,
            session_id: 0,
        },
    )
    .await
    .map_err(|e: AppError| e.to_string())?;

    // The cases the inspector may open ([`Viewer::visible`]).
    let mut case_ids: Vec<i32> = case_file::Entity::find()
        .select_only()
        .column(case_file::Column::ReportId)
        .filter(case_file::Column::TeamId.eq(team_id))
        .filter(viewer.visible())
        .into_tuple::<i32>()
        .all(conn)
        .await?;
    case_ids.shuffle(&mut rand::thread_rng());
    case_ids.truncate(args.warmup + args.requests);
    if case_ids.is_empty() {
        return Err("the inspector's team has no visible cases".into());
    }

    println!(
        "EVN conduct portal bench: {backend}, {reports} cases; inspector {} in team {team_id} \
         ({team_cases} cases); {} requests per row after {} warm-up",
        user.email, args.requests, args.warmup
    );
    let reference = format!("{:06}", case_ids[0]);
    let mut inbox_ok = true;
    let mut near_sql = true;
    let mut lines = Vec::new();
    let scenarios = [
        (
            format!("/cases?status=investigating&category={}", category.id),
            InboxFilter {
                status: Some(CaseStatus::Investigating),
                category_id: Some(category.id),
                ..InboxFilter::default()
            },
        ),
        (
            "/cases?q=nhan+vien&deadline=overdue".to_string(),
            InboxFilter {
                deadline: Some(DeadlineFilter::Overdue),
                query: "nhan vien".to_string(),
                ..InboxFilter::default()
            },
        ),
        // A rare word over the whole team: a case's number, a substring of its reference.
        (
            format!("/cases?q={reference}"),
            InboxFilter {
                query: reference.clone(),
                ..InboxFilter::default()
            },
        ),
    ];
    for (path, filter) in scenarios {
        let http = figures(
            time_requests(
                &client,
                &token,
                std::slice::from_ref(&path),
                args.warmup,
                args.requests,
            )
            .await?,
        );
        let (page, load, access) = time_inbox_sql(
            conn,
            &viewer,
            &filter,
            today,
            &state.config.receipt_key,
            args.warmup,
            args.requests,
        )
        .await?;
        let (page, load, access) = (figures(page), figures(load), figures(access));
        // The SQL the page needs: the viewer's access, then the inbox (page, total, counts).
        let sql = load.p95 + access.p95;
        inbox_ok &= http.p95 <= 50.0;
        near_sql &= http.p95 <= 3.0 * sql;
        // The page against everything its SQL reads, same run.
        lines.push(format!(
            "{:<44} {:>7.1} {:>7.1} {:>7.1}   {:>5.1} / {:>5.1}   {:>5.1} / {:>5.1}   {:>5.1} / {:>5.1}   {:>5.1}",
            format!("GET {path}"),
            http.p50,
            http.p95,
            http.p99,
            page.p50,
            page.p95,
            load.p50,
            load.p95,
            access.p50,
            access.p95,
            http.p95 / sql
        ));
    }
    let paths: Vec<String> = case_ids.iter().map(|id| format!("/cases/{id}")).collect();
    let case_page =
        figures(time_requests(&client, &token, &paths, args.warmup, args.requests).await?);
    let case_data =
        figures(time_case_data(state, &viewer.user, &case_ids, args.warmup, args.requests).await?);
    let case_ok = case_page.p95 <= 30.0;
    near_sql &= case_page.p95 <= 3.0 * case_data.p95;
    lines.push(format!(
        "{:<44} {:>7.1} {:>7.1} {:>7.1}",
        "GET /cases/<random case of the team>", case_page.p50, case_page.p95, case_page.p99
    ));
    // The case page against its access, viewed mark and lists, same run.
    lines.push(format!(
        "{:<44} {:>7.1} {:>7.1} {:>7.1}   page p95 ÷ this p95: {:.1}",
        "  Viewer::of + mark_viewed + CaseView::build",
        case_data.p50,
        case_data.p95,
        case_data.p99,
        case_page.p95 / case_data.p95
    ));

    println!();
    println!(
        "{:<44} {:>7} {:>7} {:>7}   {:>13}   {:>13}   {:>13}   {:>5}",
        "request (ms)",
        "p50",
        "p95",
        "p99",
        "page SQL p50/p95",
        "inbox::load p50/p95",
        "Viewer::of p50/p95",
        "p95 ÷ (load + viewer) p95"
    );
    for line in lines {
        println!("{line}");
    }
    println!();
    println!(
        "inbox p95 <= 50 ms: {}   pages p95 <= 3 x what they read (inbox: inbox::load + Viewer::of; case page: the line below it): {}   case page p95 <= 30 ms: {}",
        if inbox_ok { "met" } else { "MISSED" },
        if near_sql { "met" } else { "MISSED" },
        if case_ok { "met" } else { "MISSED" }
    );
    Ok(inbox_ok && near_sql && case_ok)
}
