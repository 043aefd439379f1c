//! Replays (issue 18, item 10): two concurrent requests cannot both use one TOTP step or one
//! recovery code (PostgreSQL serialises nothing else), and a role that requires two-factor,
//! given after sign-in, holds the session at enrolment.

use chrono::Duration;
use conduct_portal::domain::roles::Role;
use conduct_portal::platform::persistence::entities::user_role;
use rocket::http::Status;
use sea_orm::{ActiveModelTrait, Set};

use super::limits::enrolled;
use crate::support::*;

async fn password_step(app: &TestApp, email: &str) {
    let response = app
        .post_form(
            "/staff/sign-in",
            &[("email", email), ("password", TEST_PASSWORD)],
        )
        .await;
    assert_eq!(
        response.headers().get_one("Location"),
        Some("/staff/sign-in/code")
    );
}

/// Posts `code` twice at once on the same pending session; the statuses, sorted.
async fn post_code_twice(app: &TestApp, code: &str) -> Vec<Status> {
    let post = || async move {
        app.post_form("/staff/sign-in/code", &[("code", code)])
            .await
            .status()
    };
    let (a, b) = tokio::join!(post(), post());
    let mut statuses = vec![a, b];
    statuses.sort_by_key(|s| s.code);
    statuses
}

#[rocket::async_test]
async fn two_concurrent_requests_cannot_both_use_one_totp_code() {
    let app = TestApp::spawn().await;
    let id = create_user(&app, "hai.lan@evn.vn", &[Role::Inspector]).await;
    let secret = enrolled(&app, id).await;
    for round in 0..4 {
        app.clock.advance(Duration::seconds(30));
        password_step(&app, "hai.lan@evn.vn").await;
        let code = conduct_portal::auth::totp::code_at(&secret, app.clock_unix()).unwrap();
        assert_eq!(
            post_code_twice(&app, &code).await,
            [Status::SeeOther, Status::UnprocessableEntity],
            "round {round}: one code, one sign-in"
        );
    }
}

#[rocket::async_test]
async fn two_concurrent_requests_cannot_both_use_one_recovery_code() {
    let app = TestApp::spawn().await;
    create_user(&app, "mat.may@evn.vn", &[Role::TeamLead]).await;
    app.post_form(
        "/staff/sign-in",
        &[("email", "mat.may@evn.vn"), ("password", TEST_PASSWORD)],
    )
    .await;
    let (_, page) = app.get_text("/staff/account/two-factor").await;
    let secret = secret_from(&page);
    let code = conduct_portal::auth::totp::code_at(&secret, app.clock_unix()).unwrap();
    let body = app
        .post_form("/staff/account/two-factor", &[("code", code.as_str())])
        .await
        .into_string()
        .await
        .unwrap();
    let recovery: Vec<String> = body
        .split("<li><code>")
        .skip(1)
        .map(|rest| rest[..11].to_string())
        .collect();
    assert_eq!(recovery.len(), 10);
    app.post_form("/staff/sign-out", &[]).await;
    for (round, code) in recovery.iter().take(4).enumerate() {
        password_step(&app, "mat.may@evn.vn").await;
        assert_eq!(
            post_code_twice(&app, code).await,
            [Status::SeeOther, Status::UnprocessableEntity],
            "round {round}: one recovery code, one sign-in"
        );
        app.post_form("/staff/sign-out", &[]).await;
        app.clock.advance(Duration::seconds(30));
    }
}

#[rocket::async_test]
async fn a_role_that_requires_two_factor_given_after_sign_in_holds_the_session_at_enrolment() {
    let app = TestApp::spawn().await;
    let id = sign_in_as(&app, "van.hanh@evn.vn", &[Role::Operator]).await;
    assert_eq!(app.get_text("/staff").await.0, Status::Ok);
    user_role::ActiveModel {
        user_id: Set(id),
        role: Set(Role::Inspector.as_str().to_string()),
        ..Default::default()
    }
    .insert(app.state().db.conn())
    .await
    .unwrap();
    let response = app.client.get("/cases").dispatch().await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(
        response.headers().get_one("Location"),
        Some("/staff/account/two-factor")
    );
    let (status, page) = app.get_text("/staff/account/two-factor").await;
    assert_eq!(status, Status::Ok);
    let secret = secret_from(&page);
    let code = conduct_portal::auth::totp::code_at(&secret, app.clock_unix()).unwrap();
    let done = app
        .post_form("/staff/account/two-factor", &[("code", code.as_str())])
        .await;
    assert_eq!(done.status(), Status::Ok);
    assert_eq!(app.get_text("/cases").await.0, Status::Ok);
}
