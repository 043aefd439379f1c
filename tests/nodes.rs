//! Two portal nodes on one PostgreSQL database and one S3 bucket (issue 16, item 5), as a load
//! balancer would run them: what one node stores or counts, the other sees. SQLite is one node
//! by design (its counters live in memory), so these tests print a `SKIPPED:` line there.

use chrono::Duration;
use conduct_portal::platform::coordination::jobs::{self, Job};
use rocket::http::Status;

use crate::evidence_s3::{abandon_an_upload, report_with_photo, reporter_download};
use crate::support::*;

/// Node A and node B, or `None` (after saying why) on SQLite. The evidence store is a moto
/// bucket when moto is there, else A's data directory, which B is given as well.
async fn two_nodes(test: &str) -> Option<(TestApp, TestApp)> {
    if std::env::var("TEST_DATABASE_URL").map_or(true, |url| url.is_empty()) {
        println!("SKIPPED: {test}: two nodes need PostgreSQL (TEST_DATABASE_URL)");
        return None;
    }
    let settings: Box<dyn Fn(rocket::figment::Figment) -> rocket::figment::Figment + Send> =
        match moto(test) {
            Some(server) => Box::new(server.settings(&server.bucket().await)),
            None => Box::new(|f| f),
        };
    let a = TestApp::spawn_with(&settings).await;
    let b = a.another_node(&settings).await;
    Some((a, b))
}

#[rocket::async_test]
async fn a_report_and_its_file_from_node_a_are_followed_up_and_downloaded_on_node_b() {
    let Some((a, b)) = two_nodes("report on A, follow-up on B").await else {
        return;
    };
    let photo = jpeg_with_exif("GPS-21.0285N-105.8542E");
    let code = report_with_photo(&a, &photo).await;
    assert_eq!(open_follow_up(&b, &code).await, Status::SeeOther);
    let (_, page) = b.get_text("/follow-up/status").await;
    assert!(page.contains("IMG_0001.JPG"));
    let cleaned = reporter_download(&b).await;
    assert!(cleaned.starts_with(&[0xFF, 0xD8]) && cleaned.ends_with(&[0xFF, 0xD9]));
}

#[rocket::async_test]
async fn five_wrong_codes_on_each_node_lock_the_address_on_both() {
    let Some((a, b)) = two_nodes("receipt throttle across nodes").await else {
        return;
    };
    let code = submit_anonymous(&a, "Phản ánh để thử khoá mã sai trên hai máy chủ.").await;
    // Ten failures lock (the default); five minutes apart, no attempt is merely slowed.
    for node in [&a, &a, &a, &a, &a, &b, &b, &b, &b, &b] {
        a.clock.advance(Duration::minutes(5));
        assert_eq!(
            open_follow_up(node, "AAAA-AAAA-AAAA-AAAA").await,
            Status::UnprocessableEntity
        );
    }
    for node in [&a, &b] {
        let response = node
            .post_form("/follow-up", &[("receipt", code.as_str())])
            .await;
        assert_eq!(response.status(), Status::TooManyRequests);
        assert!(response.into_string().await.unwrap().contains("phút"));
    }
    // The lock ends for both at once.
    a.clock.advance(Duration::minutes(31));
    assert_eq!(open_follow_up(&b, &code).await, Status::SeeOther);
}

const JOB: Job = Job {
    name: "test_job",
    every: Duration::hours(1),
    lease: Duration::minutes(10),
    poll: std::time::Duration::from_secs(60),
    first_poll_after: std::time::Duration::ZERO,
};

#[rocket::async_test]
async fn a_background_job_runs_once_across_both_nodes_and_a_dead_nodes_lease_expires() {
    let Some((a, b)) = two_nodes("job claims across nodes").await else {
        return;
    };
    let (db_a, db_b) = (a.state().db.clone(), b.state().db.clone());
    let now = t0();
    // Sixteen simultaneous claims, half from each node's pool: exactly one wins.
    let claims = (0..16).map(|i| {
        let db = if i % 2 == 0 {
            db_a.clone()
        } else {
            db_b.clone()
        };
        async move {
            jobs::claim(&db, &JOB, &format!("node-{i}"), now)
                .await
                .unwrap()
        }
    });
    let won = futures::future::join_all(claims).await;
    assert_eq!(won.iter().filter(|w| **w).count(), 1, "{won:?}");
    let winner = format!("node-{}", won.iter().position(|w| *w).unwrap());
    jobs::finish(&db_a, &JOB, &winner, now, now).await.unwrap();
    assert!(
        !jobs::claim(&db_b, &JOB, "b", now + Duration::minutes(30))
            .await
            .unwrap(),
        "the next run is not due yet"
    );
    let next = now + Duration::hours(1);
    assert!(jobs::claim(&db_b, &JOB, "b", next).await.unwrap());
    // Node B dies mid-run: nobody else runs the job until its lease expires, then A does.
    assert!(!jobs::claim(&db_a, &JOB, "a", next + Duration::minutes(9))
        .await
        .unwrap());
    assert!(jobs::claim(&db_a, &JOB, "a", next + Duration::minutes(10))
        .await
        .unwrap());
    // `run_if_due` runs the work only on the node that claimed it.
    a.clock.set(next + Duration::hours(3));
    let clock = a.state().clock.clone();
    let mut ran = 0;
    for db in [&db_a, &db_b] {
        jobs::run_if_due(db, &JOB, "either", &clock, || async { ran += 1 })
            .await
            .unwrap();
    }
    assert_eq!(ran, 1);
}

#[rocket::async_test]
async fn a_node_dying_mid_upload_loses_no_committed_report_and_leaves_nothing_after_the_grace() {
    let Some((a, b)) = two_nodes("node dying mid-upload").await else {
        return;
    };
    let photo = jpeg_with_exif("GPS-21.0285N-105.8542E");
    let code = report_with_photo(&a, &photo).await;
    // Node A is killed while streaming another upload: its object is neither finished nor
    // aborted, and no row names it.
    abandon_an_upload(&a.state().evidence.store).await;
    let state = b.state();
    let mut config = state.config.clone();
    config.evidence.orphan_grace_minutes = 0;
    let swept = state
        .evidence
        .sweep_orphans(&state.db, &config)
        .await
        .unwrap();
    assert_eq!(swept, 1, "node B's sweep takes the dead node's upload");
    assert_eq!(open_follow_up(&b, &code).await, Status::SeeOther);
    assert!(!reporter_download(&b).await.is_empty());
}

#[rocket::async_test]
async fn simultaneous_guesses_on_both_nodes_are_counted_one_after_another() {
    use conduct_portal::platform::config::ThrottleSettings;
    use conduct_portal::web::throttle::AttemptLimiter;
    let Some((a, b)) = two_nodes("throttle atomicity across nodes").await else {
        return;
    };
    let settings = ThrottleSettings {
        free_failures: 3,
        base_delay_seconds: 2,
        lock_after_failures: 6,
        lock_minutes: 30,
        window_minutes: 60,
    };
    let key = &a.state().config.receipt_key;
    let on_a = AttemptLimiter::for_database("test", settings.clone(), &a.state().db, key);
    let on_b = AttemptLimiter::for_database("test", settings, &b.state().db, key);
    let now = t0();
    let guesses = (0..40).map(|i| {
        let limiter = if i % 2 == 0 { &on_a } else { &on_b };
        limiter.reserve("address:203.0.113.7", now)
    });
    let results = futures::future::join_all(guesses).await;
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        3,
        "only the free guesses are evaluated, whichever node they reach"
    );
    assert_eq!(
        results
            .iter()
            .filter(|r| r.as_ref().is_err_and(|e| e.first))
            .count(),
        1,
        "one refusal is marked for the record"
    );
    let stored = a.dump_database().await;
    assert!(
        !stored.contains("203.0.113.7"),
        "the address is stored only as a keyed hash"
    );
}

#[rocket::async_test]
async fn a_job_lease_is_claimed_once_per_run_and_expires_on_either_database() {
    let app = TestApp::spawn().await;
    let db = &app.state().db;
    let now = t0();
    assert!(jobs::claim(db, &JOB, "one", now).await.unwrap());
    assert!(!jobs::claim(db, &JOB, "two", now).await.unwrap(), "held");
    assert!(
        jobs::claim(db, &JOB, "two", now + JOB.lease).await.unwrap(),
        "a lease that ran out is taken over"
    );
    jobs::finish(db, &JOB, "one", now, now).await.unwrap();
    assert!(
        !jobs::claim(db, &JOB, "three", now + JOB.lease)
            .await
            .unwrap(),
        "the old holder's finish does not release the new holder's lease"
    );
    let later = now + JOB.lease;
    jobs::finish(db, &JOB, "two", later, later).await.unwrap();
    assert!(
        !jobs::claim(db, &JOB, "three", later + Duration::minutes(50))
            .await
            .unwrap()
    );
    assert!(
        jobs::claim(db, &JOB, "three", later + Duration::minutes(54))
            .await
            .unwrap()
    );
    assert_eq!(app.count("job_lease").await, 1);
}
