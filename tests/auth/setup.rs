//! Setup links (issue 18, item 2): only the newest first-admin link works, and two concurrent
//! uses of one link create one account.

use conduct_portal::auth::service;
use conduct_portal::domain::roles::Role;
use rocket::http::Status;

use crate::support::*;

const GOOD: &str = "hoa sen nở giữa đầm lầy";

fn fields(email: &str) -> [(&str, &str); 4] {
    [
        ("email", email),
        ("display_name", "Quản trị"),
        ("password", GOOD),
        ("confirm", GOOD),
    ]
}

#[rocket::async_test]
async fn a_new_first_admin_link_revokes_the_ones_printed_at_earlier_start_ups() {
    let app = TestApp::spawn().await;
    let earlier = service::issue_setup_token(app.state(), service::SETUP_ADMIN, None)
        .await
        .unwrap();
    let newest = service::issue_setup_token(app.state(), service::SETUP_ADMIN, None)
        .await
        .unwrap();
    let (_, page) = app.get_text(&format!("/staff/setup/{earlier}")).await;
    assert!(page.contains("không hợp lệ, đã dùng hoặc đã hết hạn"));
    let response = app
        .post_form(&format!("/staff/setup/{earlier}"), &fields("cu@evn.vn"))
        .await;
    assert_eq!(response.status(), Status::NotFound);
    assert_eq!(app.count("app_user").await, 0);
    let response = app
        .post_form(&format!("/staff/setup/{newest}"), &fields("moi@evn.vn"))
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert!(service::has_admin(app.state()).await.unwrap());
}

#[rocket::async_test]
async fn two_concurrent_uses_of_one_first_admin_link_create_one_admin() {
    let app = TestApp::spawn().await;
    let token = service::issue_setup_token(app.state(), service::SETUP_ADMIN, None)
        .await
        .unwrap();
    let path = format!("/staff/setup/{token}");
    let (first, second) = (fields("mot@evn.vn"), fields("hai@evn.vn"));
    let (a, b) = tokio::join!(app.post_form(&path, &first), app.post_form(&path, &second),);
    let mut statuses = vec![a.status(), b.status()];
    statuses.sort_by_key(|s| s.code);
    assert_eq!(statuses, [Status::SeeOther, Status::NotFound]);
    assert_eq!(app.count("app_user").await, 1, "exactly one admin");
}

#[rocket::async_test]
async fn a_first_admin_link_two_requests_found_valid_creates_one_admin() {
    let app = TestApp::spawn().await;
    let token = service::issue_setup_token(app.state(), service::SETUP_ADMIN, None)
        .await
        .unwrap();
    // Both requests found the link unused before either used it.
    let found = service::find_setup_token(app.state(), &token)
        .await
        .unwrap()
        .unwrap();
    let (app, found) = (&app, &found);
    let complete = |email: &'static str| async move {
        service::complete_setup(app.state(), found, email, "Quản trị", GOOD, GOOD)
            .await
            .unwrap()
    };
    let _ = tokio::join!(complete("mot@evn.vn"), complete("hai@evn.vn"));
    assert_eq!(app.count("app_user").await, 1, "exactly one admin");
    let _ = complete("ba@evn.vn").await;
    assert_eq!(app.count("app_user").await, 1, "and none later");
}

#[rocket::async_test]
async fn two_concurrent_uses_of_one_password_link_set_one_password() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let id = create_user(&app, "quen.mat.khau@evn.vn", &[Role::Operator]).await;
    let token = service::issue_setup_token(app.state(), service::SETUP_PASSWORD, Some(id))
        .await
        .unwrap();
    let path = format!("/staff/setup/{token}");
    const OTHER: &str = "gió thổi qua cánh đồng lúa";
    let second = [
        ("email", ""),
        ("display_name", ""),
        ("password", OTHER),
        ("confirm", OTHER),
    ];
    let first = fields("");
    let (a, b) = tokio::join!(app.post_form(&path, &first), app.post_form(&path, &second));
    let mut statuses = vec![a.status(), b.status()];
    statuses.sort_by_key(|s| s.code);
    assert_eq!(statuses, [Status::SeeOther, Status::NotFound]);
    let app = &app;
    let signed_in = |password: &'static str| async move {
        app.post_form(
            "/staff/sign-in",
            &[("email", "quen.mat.khau@evn.vn"), ("password", password)],
        )
        .await
        .status()
            == Status::SeeOther
    };
    let (good, other) = (signed_in(GOOD).await, signed_in(OTHER).await);
    assert!(good ^ other, "exactly one of the two passwords was set");
}
