//! `/staff`: sign-in, two-factor codes, sessions, lockout, passwords.

use conduct_portal::domain::roles::Role;
use rocket::http::Status;

use crate::support::*;

#[rocket::async_test]
async fn an_admin_must_enrol_two_factor_before_reaching_the_staff_home() {
    let app = TestApp::spawn().await;
    sign_in_as(&app, "quantri@evn.vn", &[Role::Admin]).await;
    let (status, body) = app.get_text("/staff").await;
    assert_eq!(status, Status::Ok);
    assert!(body.contains("quantri@evn.vn"));
}
