//! `seed-demo`: the synthetic cases follow the workflow's rules, the printed receipt codes open
//! their reports, and a demo inspector's inbox holds exactly their team's cases.

use std::collections::{BTreeSet, HashMap};

use chrono::Datelike;
use conduct_portal::auth::session::{self, Stage};
use conduct_portal::auth::StaffUser;
use conduct_portal::case_management::access::Viewer;
use conduct_portal::case_management::inbox::{self, DeadlineFilter, InboxFilter, Sort};
use conduct_portal::case_management::search::Search;
use conduct_portal::domain::calendar::local_date;
use conduct_portal::domain::roles::Role;
use conduct_portal::domain::status::CaseStatus;
use conduct_portal::platform::clock::Clock;
use conduct_portal::platform::persistence::entities::{
    case_event, case_exclusion, case_file, commendation, discipline_decision, discipline_finding,
    evidence_file, message, report, satisfaction_rating,
};
use conduct_portal::public_reporting::service::open_by_receipt;
use devtools::demo;
use rocket::http::{Cookie, Status};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::support::TestApp;

const REPORTS: u64 = 300;

#[rocket::async_test]
async fn seeded_cases_are_consistent_with_the_workflow_and_every_status_appears() {
    let app = TestApp::spawn().await;
    let seeded = demo::populate(app.state(), REPORTS).await.unwrap();
    assert_eq!(seeded.reports, REPORTS);
    assert_eq!(app.count("report").await, REPORTS as i64);
    assert_eq!(app.count("report_key").await, REPORTS as i64);

    let db = app.state().db.conn();
    let now = app.clock.now();
    let reports = report::Entity::find().all(db).await.unwrap();
    let cases: HashMap<i32, case_file::Model> = case_file::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.report_id, c))
        .collect();
    let mut statuses = BTreeSet::new();
    for r in &reports {
        let case = cases.get(&r.id).expect("every report has a case file");
        assert_eq!(case.status, r.status, "report {} status", r.id);
        assert_eq!(case.received_at, r.received_at);
        assert!(r.received_at <= now && r.received_at > now - chrono::Duration::days(3 * 366));
        assert!(r.updated_at >= r.received_at && r.updated_at <= now);
        assert!(r.occurred_on <= local_date(r.received_at));
        let reference = format!("pa-{}-{:06}", local_date(r.received_at).year(), r.id);
        assert!(
            case.search_text.starts_with(&reference),
            "search text of {}",
            r.id
        );
        let status: CaseStatus = case.status.parse().unwrap();
        statuses.insert(status.as_str());
        let received_day = local_date(case.received_at);
        assert!(
            case.acceptance_due > received_day,
            "acceptance clock of {}",
            r.id
        );
        // The track follows the law: anonymous reports are tips; named ones are candidates
        // until verified, denunciations once taken further.
        let named = r.submission_kind == "named";
        let expected = match (named, status) {
            (false, _) => "tip",
            (true, CaseStatus::Received) => "candidate",
            (true, _) => "denunciation",
        };
        assert_eq!(case.track, expected, "track of {}", r.id);
        assert_eq!(case.verified_via.is_some(), expected == "denunciation");
        let tip = case.track == "tip";
        if tip {
            // Service targets from receipt, never a legal notice.
            assert!(case.notify_due.is_none());
            let result = case.resolution_due.expect("a tip has its result target");
            assert!(result >= received_day + chrono::Days::new(30));
        }
        match status {
            CaseStatus::Received | CaseStatus::Declined => {
                assert!(case.accepted_on.is_none());
                assert!(tip || case.resolution_due.is_none());
                assert!(case.assignee_user_id.is_none() && case.finding.is_none());
            }
            _ => {
                let accepted = case.accepted_on.expect("accepted cases have accepted_on");
                assert!(accepted >= received_day && accepted <= local_date(now));
                if !tip {
                    assert!(case.notify_due.unwrap() > accepted);
                    assert!(case.resolution_due.unwrap() >= accepted + chrono::Days::new(30));
                }
            }
        }
        match status {
            CaseStatus::Closed => {
                let closed = case.closed_at.expect("closed cases have closed_at");
                assert!(closed <= now && closed > case.received_at);
                assert!(case.finding.is_some() && case.conclusion_summary.is_some());
            }
            CaseStatus::Concluded => {
                assert!(case.finding.is_some() && case.conclusion_summary.is_some());
                assert!(case.closed_at.is_none());
            }
            CaseStatus::Terminated => {
                assert!(case.closed_at.is_some() && case.finding.is_none());
                assert_eq!(case.track, "denunciation");
            }
            CaseStatus::Suspended => {
                assert!(case.suspended_on.is_some() && case.finding.is_none());
                assert_eq!(case.track, "denunciation");
            }
            _ => {
                assert!(case.closed_at.is_none() && case.finding.is_none());
            }
        }
        if case.named_staff_member_id.is_some() {
            assert!(r.staff_number.is_some());
        }
    }
    for status in CaseStatus::ALL {
        let cases = cases
            .values()
            .filter(|c| c.status == status.as_str())
            .count();
        assert!(cases >= 3, "only {cases} {status} cases");
    }

    // Timelines start with the receipt, stay within the case's life, and end in its status.
    let events = case_event::Entity::find().all(db).await.unwrap();
    let mut by_report: HashMap<i32, Vec<&case_event::Model>> = HashMap::new();
    for e in &events {
        by_report.entry(e.report_id).or_default().push(e);
    }
    for r in &reports {
        let mut timeline = by_report.remove(&r.id).expect("every case has a timeline");
        timeline.sort_by_key(|e| (e.created_at, e.id));
        assert_eq!(timeline[0].kind, "received");
        assert!(timeline
            .iter()
            .all(|e| e.created_at >= r.received_at && e.created_at <= now));
        let last_status_event = timeline
            .iter()
            .rev()
            .find(|e| {
                ![
                    "note_added",
                    "staff_message",
                    "extended",
                    "reporter_replied",
                    "denouncer_verified",
                    "evidence_added",
                ]
                .contains(&e.kind.as_str())
            })
            .unwrap();
        // A tip is taken up or not taken up, in the timeline's words.
        let kind = match last_status_event.kind.as_str() {
            "taken_up" => "accepted",
            "not_taken_up" => "declined",
            other => other,
        };
        assert_eq!(kind, r.status, "timeline of {}", r.id);
    }
    let messages = message::Entity::find().all(db).await.unwrap();
    assert!(messages.len() >= REPORTS as usize);
    assert!(messages.iter().any(|m| m.internal), "some internal notes");
    assert!(messages
        .iter()
        .all(|m| m.author_kind != "staff" || m.author_user_id.is_some()));

    // Named reports keep a sealed identity, as submissions do.
    let named = reports
        .iter()
        .filter(|r| r.submission_kind == "named")
        .count() as i64;
    assert!(named > 0);
    assert_eq!(app.count("reporter_identity").await, named);

    // The printed receipts open their reports; the first five are the real ones.
    assert_eq!(seeded.receipts.len(), demo::REAL_RECEIPTS);
    for (i, (id, code)) in seeded.receipts.iter().enumerate() {
        assert_eq!(*id, seeded.first_report_id + i as i32);
        assert_eq!(open_by_receipt(app.state(), code).await.unwrap(), Some(*id));
    }

    // One audit entry records the run, and the chain holds.
    assert!(matches!(
        conduct_portal::platform::audit::verify(db).await.unwrap(),
        conduct_portal::platform::audit::Verification::Intact { .. }
    ));
}

/// Report ids linked from an inbox page.
fn linked_cases(body: &str) -> Vec<i32> {
    body.split("href=\"/cases/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

#[rocket::async_test]
async fn a_demo_inspector_sees_exactly_their_teams_cases() {
    // The session below is made fully signed in directly; without two-factor required, the
    // guards do not hold it at enrolment.
    let app = TestApp::spawn_with(crate::support::no_two_factor).await;
    let seeded = demo::populate(app.state(), REPORTS).await.unwrap();
    let db = app.state().db.conn();
    let cases = case_file::Entity::find().all(db).await.unwrap();
    let count = |team: i32| cases.iter().filter(|c| c.team_id == Some(team)).count();
    let inspector = seeded
        .accounts
        .iter()
        .filter(|a| a.roles.contains(&Role::Inspector) && a.team_id.is_some())
        .max_by_key(|a| count(a.team_id.unwrap()))
        .unwrap();
    let team = inspector.team_id.unwrap();
    let mut excluded: BTreeSet<i32> = case_exclusion::Entity::find()
        .filter(case_exclusion::Column::UserId.eq(inspector.id))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.report_id)
        .collect();
    // The random reports may name the inspector or a colleague of their unit: a conflict the
    // access rule derives on every request (case_management::access).
    let account =
        conduct_portal::platform::persistence::entities::app_user::Entity::find_by_id(inspector.id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
    let viewer = conduct_portal::case_management::access::Viewer::of(
        db,
        conduct_portal::auth::StaffUser {
            id: account.id,
            email: account.email,
            display_name: account.display_name,
            roles: inspector.roles.clone(),
            session_id: 0,
        },
    )
    .await
    .unwrap();
    excluded.extend(viewer.conflicted);
    let expected: BTreeSet<i32> = cases
        .iter()
        .filter(|c| c.team_id == Some(team) && !excluded.contains(&c.report_id))
        .map(|c| c.report_id)
        .collect();
    assert!(expected.len() > 10, "the busiest team has cases");
    assert!(expected.len() < cases.len(), "other teams have cases too");

    let token = session::create(
        db,
        &app.state().config,
        inspector.id,
        Stage::Active,
        app.clock.now(),
    )
    .await
    .unwrap();
    let mut seen = BTreeSet::new();
    for page in 1..=expected.len().div_ceil(25) {
        let response = app
            .client
            .get(format!("/cases?page={page}"))
            .private_cookie(Cookie::new("sid", token.clone()))
            .dispatch()
            .await;
        assert_eq!(response.status(), Status::Ok);
        seen.extend(linked_cases(&response.into_string().await.unwrap()));
    }
    assert_eq!(seen, expected);

    // Another team's case is not there for them.
    let foreign = cases
        .iter()
        .find(|c| c.team_id != Some(team))
        .unwrap()
        .report_id;
    let response = app
        .client
        .get(format!("/cases/{foreign}"))
        .private_cookie(Cookie::new("sid", token.clone()))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::NotFound);
    let own = *expected.iter().next().unwrap();
    let response = app
        .client
        .get(format!("/cases/{own}"))
        .private_cookie(Cookie::new("sid", token))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Ok);
}

#[derive(Debug, FromQueryResult)]
struct StatusCount {
    status: String,
    n: i64,
}

#[rocket::async_test]
async fn the_inbox_pages_and_counts_match_a_plain_filtered_query() {
    let app = TestApp::spawn().await;
    let seeded = demo::populate(app.state(), REPORTS).await.unwrap();
    let db = app.state().db.conn();
    let today = local_date(app.clock.now());
    let mut checked = 0;
    for account in seeded.accounts.iter().filter(|a| a.team_id.is_some()) {
        let viewer = Viewer::of(
            db,
            StaffUser {
                id: account.id,
                email: account.email.clone(),
                display_name: account.display_name.clone(),
                roles: account.roles.clone(),
                session_id: 0,
            },
        )
        .await
        .unwrap();
        for (query, deadline) in [
            ("nhan vien", None),
            ("tien dien", None),
            ("nhân viên", Some(DeadlineFilter::Overdue)),
            ("", Some(DeadlineFilter::Near)),
        ] {
            for sort in [Sort::Newest, Sort::Oldest, Sort::Due] {
                for page in [1, 2, 99] {
                    let filter = InboxFilter {
                        query: query.to_string(),
                        deadline,
                        sort,
                        page,
                        ..InboxFilter::default()
                    };
                    let loaded =
                        inbox::load(db, &viewer, &filter, today, &app.state().config.receipt_key)
                            .await
                            .unwrap();
                    let search = Search::plan(db, &filter.query, &app.state().config.receipt_key)
                        .await
                        .unwrap();
                    let plain = inbox::filtered(&viewer, &filter, today, &search);
                    let ordered = match sort {
                        Sort::Newest => plain
                            .order_by_desc(case_file::Column::ReceivedAt)
                            .order_by_desc(case_file::Column::Id),
                        Sort::Oldest => plain
                            .order_by_asc(case_file::Column::ReceivedAt)
                            .order_by_asc(case_file::Column::Id),
                        Sort::Due => plain
                            .order_by_asc(case_file::Column::ResolutionDue)
                            .order_by_asc(case_file::Column::AcceptanceDue)
                            .order_by_asc(case_file::Column::Id),
                    };
                    let paginator = ordered.paginate(db, inbox::PAGE_SIZE);
                    let total = paginator.num_items().await.unwrap();
                    let pages = Ord::max(total.div_ceil(inbox::PAGE_SIZE), 1);
                    let expected: Vec<i32> = paginator
                        .fetch_page(page.clamp(1, pages) - 1)
                        .await
                        .unwrap()
                        .into_iter()
                        .map(|c| c.id)
                        .collect();
                    let got: Vec<i32> = loaded.cases.iter().map(|c| c.id).collect();
                    assert_eq!(loaded.total, total, "{query:?} {sort:?} page {page}");
                    assert_eq!(got, expected, "{query:?} {sort:?} page {page}");
                    checked += got.len();
                }
            }
        }
        // Counts per status, as one query with the exclusion filter would give them.
        let expected: HashMap<String, i64> = inbox::filtered(
            &viewer,
            &InboxFilter::default(),
            today,
            &Search::words(
                db.get_database_backend(),
                "",
                &app.state().config.receipt_key,
            ),
        )
        .select_only()
        .column(case_file::Column::Status)
        .column_as(Expr::col(case_file::Column::Id).count(), "n")
        .group_by(case_file::Column::Status)
        .into_model::<StatusCount>()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.status, c.n))
        .collect();
        let loaded = inbox::load(
            db,
            &viewer,
            &InboxFilter::default(),
            today,
            &app.state().config.receipt_key,
        )
        .await
        .unwrap();
        assert_eq!(loaded.counts, expected, "counts of {}", account.email);
    }
    assert!(checked > 100, "the comparisons saw cases");
}

/// A fully signed-in session of a demo account (two-factor is off in these tests).
async fn session_of(app: &TestApp, user: i32) -> Cookie<'static> {
    let token = session::create(
        app.state().db.conn(),
        &app.state().config,
        user,
        Stage::Active,
        app.clock.now(),
    )
    .await
    .unwrap();
    Cookie::new("sid", token)
}

#[rocket::async_test]
async fn the_demo_has_ratings_commendations_lawful_decisions_and_files_an_inspector_can_download() {
    let app = TestApp::spawn_with(crate::support::no_two_factor).await;
    let seeded = demo::populate(app.state(), REPORTS).await.unwrap();
    let db = app.state().db.conn();
    let extras = seeded.extras;

    // Ratings only of closed reports, never of the reports whose receipts are printed (the
    // demo user rates those).
    let ratings = satisfaction_rating::Entity::find().all(db).await.unwrap();
    assert!(ratings.len() >= 5, "{} ratings", ratings.len());
    assert_eq!(ratings.len(), extras.ratings);
    let printed: BTreeSet<i32> = seeded.receipts.iter().map(|(id, _)| *id).collect();
    for rating in &ratings {
        let rated = report::Entity::find_by_id(rating.report_id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(rated.status, "closed");
        assert!((1..=5).contains(&rating.score));
        assert!(!printed.contains(&rating.report_id));
    }

    let commendations = commendation::Entity::find().count(db).await.unwrap();
    assert!(commendations >= 12, "{commendations} commendations");
    assert_eq!(commendations as usize, extras.commendations);

    // Findings and decisions went through the discipline service, which refuses an unlawful
    // decision; each decision handles a finding of a substantiated case.
    let findings = discipline_finding::Entity::find().all(db).await.unwrap();
    let decisions = discipline_decision::Entity::find().all(db).await.unwrap();
    assert!(!findings.is_empty() && !decisions.is_empty());
    assert_eq!(
        (findings.len(), decisions.len()),
        (extras.findings, extras.decisions)
    );
    assert!(decisions.iter().any(|d| d.measure == "reprimand"));
    for decision in &decisions {
        assert!(
            findings.iter().any(|f| f.decision_id == Some(decision.id)),
            "decision {} handles a finding",
            decision.id
        );
    }

    // The dashboard reads the rebuilt rollups: its rating figure is there for leadership.
    let leader = seeded
        .accounts
        .iter()
        .find(|a| a.roles.contains(&Role::Leadership))
        .unwrap();
    let cookie = session_of(&app, leader.id).await;
    let response = app
        .client
        .get("/dashboard")
        .private_cookie(cookie)
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Ok);

    // Files: sealed in the store (no plaintext at rest) and downloadable by an inspector of
    // the case's team.
    let files = evidence_file::Entity::find().all(db).await.unwrap();
    assert_eq!(files.len(), extras.files);
    assert!(files.iter().any(|f| f.visibility == "shared"));
    assert!(files.iter().any(|f| f.visibility == "internal"));
    let objects = crate::support::read_tree(&app.state().config.data_dir.join("objects"));
    assert!(!crate::support::contains(&objects, b"Hoa don tien dien"));
    let mut downloaded = 0;
    for file in &files {
        let case = case_file::Entity::find()
            .filter(case_file::Column::ReportId.eq(file.report_id))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        let inspectors = seeded
            .accounts
            .iter()
            .filter(|a| a.team_id == case.team_id && a.roles.contains(&Role::Inspector));
        for inspector in inspectors {
            let cookie = session_of(&app, inspector.id).await;
            let response = app
                .client
                .get(format!("/cases/{}/files/{}", file.report_id, file.id))
                .private_cookie(cookie)
                .dispatch()
                .await;
            if response.status() == Status::Ok {
                let body = response.into_bytes().await.unwrap();
                assert!(body.starts_with(b"%PDF-1.4"));
                assert_eq!(body.len() as i64, file.size);
                downloaded += 1;
                break;
            }
        }
    }
    assert!(
        downloaded * 2 > files.len(),
        "{downloaded} of {} files",
        files.len()
    );
}
