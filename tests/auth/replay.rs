//! Replays (issue 18, item 10): two concurrent requests cannot both use one TOTP step or one
//! recovery code (PostgreSQL serialises nothing else), and a role that requires two-factor,
//! given after sign-in, holds the session at enrolment.

use std::sync::Arc;

use chrono::Duration;
use conduct_portal::domain::roles::Role;
use conduct_portal::platform::persistence::entities::user_role;
use rocket::http::{ContentType, Status};
use rocket::local::asynchronous::Client;
use sea_orm::{ActiveModelTrait, Set};

use super::limits::enrolled;
use crate::support::*;

/// A second browser on the same database: on PostgreSQL another portal instance, as a second
/// node would be, so that each request has its own session and both reach the claim. SQLite
/// is one node (one writer): there the two requests come from one browser.
async fn second_browser(app: &TestApp) -> Option<Client> {
    if app.is_sqlite() {
        return None;
    }
    let rocket = conduct_portal::app::build(
        base_figment(app.data_dir.path(), &app.database_url),
        Arc::new(app.clock.clone()),
    )
    .await
    .unwrap();
    Some(Client::tracked(rocket).await.unwrap())
}

/// Posts a form from `client` with its CSRF token; the status and the redirect target.
async fn post_from(client: &Client, path: &str, fields: &[(&str, &str)]) -> (Status, String) {
    let page = client.get("/follow-up").dispatch().await;
    let token = csrf_from(&page.into_string().await.unwrap()).unwrap();
    let mut body = format!("csrf_token={token}");
    for (name, value) in fields {
        body.push_str(&format!("&{}={}", encode(name), encode(value)));
    }
    let response = client
        .post(path.to_string())
        .header(ContentType::Form)
        .body(body)
        .dispatch()
        .await;
    let location = response.headers().get_one("Location").unwrap_or_default();
    (response.status(), location.to_string())
}

/// Both browsers pass the password step of `email`, then post `code` at the same moment.
/// How many sign-ins the code completed, counted in the audit trail: on SQLite both requests
/// share one browser, and when one finishes before the other starts, the second finds the
/// session already signed in and is sent on to `/staff` without using any code.
async fn both_post_one_code(app: &TestApp, browsers: [&Client; 2], email: &str, code: &str) -> u64 {
    for client in browsers {
        let step = post_from(
            client,
            "/staff/sign-in",
            &[("email", email), ("password", TEST_PASSWORD)],
        )
        .await;
        assert_eq!(step, (Status::SeeOther, "/staff/sign-in/code".into()));
    }
    let before = audited(app, "sign_in_success").await;
    let fields = [("code", code)];
    let (a, b) = tokio::join!(
        post_from(browsers[0], "/staff/sign-in/code", &fields),
        post_from(browsers[1], "/staff/sign-in/code", &fields),
    );
    for (status, location) in [&a, &b] {
        // Refused: the code (422), or, when both share one session, the session that the
        // other request has just completed and replaced (back to the sign-in page).
        let refused = *status == Status::UnprocessableEntity || location == "/staff/sign-in";
        assert!(
            refused || location == "/staff",
            "either signed in or refused: {status} {location}"
        );
    }
    audited(app, "sign_in_success").await - before
}

async fn sign_out_both(browsers: [&Client; 2]) {
    for client in browsers {
        post_from(client, "/staff/sign-out", &[]).await;
    }
}

#[rocket::async_test]
async fn two_concurrent_requests_cannot_both_use_one_totp_code() {
    let app = TestApp::spawn().await;
    let other = second_browser(&app).await;
    let browsers = [&app.client, other.as_ref().unwrap_or(&app.client)];
    let id = create_user(&app, "hai.lan@evn.vn", &[Role::Inspector]).await;
    let secret = enrolled(&app, id).await;
    for round in 0..4 {
        app.clock.advance(Duration::seconds(30));
        let code = conduct_portal::auth::totp::code_at(&secret, app.clock_unix()).unwrap();
        assert_eq!(
            both_post_one_code(&app, browsers, "hai.lan@evn.vn", &code).await,
            1,
            "round {round}: one code, one sign-in"
        );
        sign_out_both(browsers).await;
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
    let other = second_browser(&app).await;
    let browsers = [&app.client, other.as_ref().unwrap_or(&app.client)];
    for (round, code) in recovery.iter().take(4).enumerate() {
        assert_eq!(
            both_post_one_code(&app, browsers, "mat.may@evn.vn", code).await,
            1,
            "round {round}: one recovery code, one sign-in"
        );
        sign_out_both(browsers).await;
        app.clock.advance(Duration::seconds(30));
    }
}

#[rocket::async_test]
async fn a_role_that_requires_two_factor_given_after_sign_in_holds_the_session_at_enrolment() {
    // Every role needs two-factor by default; here the operator does not.
    let app = TestApp::spawn_with(|f| f.merge(("two_factor_roles", ["inspector"]))).await;
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
