//! Sign-in limits (issue 18, items 1, 9 and 11): guesses are reserved before Argon2, a right
//! password clears neither the address counter nor second-factor failures, a browser that
//! signed in before is not kept out by a flood, refusals are audited once, and the current
//! password of a password change is limited too.

use chrono::Duration;
use conduct_portal::domain::roles::Role;
use conduct_portal::platform::persistence::entities::{app_user, audit_log};
use rocket::http::{ContentType, Cookie, Status};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::support::*;

/// Limits that make each step visible: three free guesses, then waits of 60 s, 120 s, …
fn slow_limits(f: rocket::figment::Figment) -> rocket::figment::Figment {
    f.merge(("sign_in_throttle.free_failures", 3))
        .merge(("sign_in_throttle.base_delay_seconds", 60))
        .merge(("sign_in_throttle.lock_after_failures", 10))
        .merge(("sign_in_throttle.lock_minutes", 15))
        .merge(("sign_in_throttle.window_minutes", 60))
}

pub async fn audited(app: &TestApp, action: &str) -> u64 {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .count(app.state().db.conn())
        .await
        .unwrap()
}

/// Posts the sign-in form as a browser that never completed a sign-in here: the tracked
/// device cookie is replaced by one that does not decrypt.
pub async fn sign_in_elsewhere(app: &TestApp, email: &str, password: &str) -> Status {
    let token = app.csrf().await;
    app.client
        .post("/staff/sign-in")
        .header(ContentType::Form)
        .cookie(Cookie::new("device", "none"))
        .body(format!(
            "csrf_token={token}&email={}&password={}",
            encode(email),
            encode(password)
        ))
        .dispatch()
        .await
        .status()
}

/// Turns on TOTP for an account directly (as if enrolled elsewhere) and returns the secret.
pub async fn enrolled(app: &TestApp, user_id: i32) -> Vec<u8> {
    let conn = app.state().db.conn();
    let user = app_user::Entity::find_by_id(user_id)
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    let secret = conduct_portal::auth::service::pending_totp_secret(app.state(), &user)
        .await
        .unwrap();
    app_user::Entity::update_many()
        .col_expr(app_user::Column::TotpEnabled, Expr::value(true))
        .filter(app_user::Column::Id.eq(user_id))
        .exec(conn)
        .await
        .unwrap();
    secret
}

async fn post_code(app: &TestApp, code: &str) -> Status {
    app.post_form("/staff/sign-in/code", &[("code", code)])
        .await
        .status()
}

async fn post_password(app: &TestApp, email: &str, password: &str) -> Status {
    app.post_form(
        "/staff/sign-in",
        &[("email", email), ("password", password)],
    )
    .await
    .status()
}

#[rocket::async_test]
async fn concurrent_wrong_passwords_for_one_account_are_refused_before_argon2_but_three() {
    let app = TestApp::spawn_with(no_two_factor).await;
    create_user(&app, "muc.tieu@evn.vn", &[Role::Inspector]).await;
    // One form's token for every guess: fetched concurrently, each guess would replace the
    // token cookie the others carry, and some would be refused as forgeries instead.
    let token = app.csrf().await;
    let wrong = [
        ("csrf_token", token.as_str()),
        ("email", "muc.tieu@evn.vn"),
        ("password", "đoán mò lần nữa"),
    ];
    let statuses = futures::future::join_all((0..24).map(|_| async {
        app.post_form_without_csrf("/staff/sign-in", &wrong)
            .await
            .status()
    }))
    .await;
    let evaluated = statuses
        .iter()
        .filter(|s| **s == Status::UnprocessableEntity)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == Status::TooManyRequests)
        .count();
    assert_eq!((evaluated, refused), (3, 21), "{statuses:?}");
    assert_eq!(audited(&app, "sign_in_failure").await, 3);
    assert_eq!(
        audited(&app, "sign_in_throttled").await,
        1,
        "a flood of refusals writes one audit row"
    );
}

#[rocket::async_test]
async fn a_right_password_does_not_clear_the_address_counter() {
    let app = TestApp::spawn_with(|f| slow_limits(no_two_factor(f))).await;
    create_user(&app, "biet.mat.khau@evn.vn", &[Role::Operator]).await;
    for target in ["a@evn.vn", "b@evn.vn", "c@evn.vn"] {
        assert_eq!(
            post_password(&app, target, "đoán mò").await,
            Status::UnprocessableEntity
        );
    }
    app.clock.advance(Duration::seconds(60));
    assert_eq!(
        post_password(&app, "biet.mat.khau@evn.vn", TEST_PASSWORD).await,
        Status::SeeOther,
        "the address waited long enough"
    );
    assert_eq!(
        post_password(&app, "d@evn.vn", "đoán mò").await,
        Status::UnprocessableEntity
    );
    assert_eq!(
        post_password(&app, "e@evn.vn", "đoán mò").await,
        Status::TooManyRequests,
        "four wrong guesses from this address stay counted after a right password"
    );
}

#[rocket::async_test]
async fn signing_in_with_the_password_again_gives_no_fresh_second_factor_guesses() {
    let app = TestApp::spawn_with(slow_limits).await;
    let id = create_user(&app, "ke.trom@evn.vn", &[Role::Inspector]).await;
    enrolled(&app, id).await;
    let email = "ke.trom@evn.vn";
    assert_eq!(
        post_password(&app, email, TEST_PASSWORD).await,
        Status::SeeOther
    );
    for _ in 0..3 {
        assert_eq!(post_code(&app, "000000").await, Status::UnprocessableEntity);
    }
    app.clock.advance(Duration::seconds(60));
    assert_eq!(
        post_password(&app, email, TEST_PASSWORD).await,
        Status::SeeOther
    );
    assert_eq!(post_code(&app, "000000").await, Status::UnprocessableEntity);
    assert_eq!(
        post_code(&app, "000001").await,
        Status::TooManyRequests,
        "the second-factor failures survive the right password"
    );
}

#[rocket::async_test]
async fn the_second_factor_step_is_held_to_the_address_counter_too() {
    let app = TestApp::spawn_with(slow_limits).await;
    let id = create_user(&app, "hai.buoc@evn.vn", &[Role::Inspector]).await;
    enrolled(&app, id).await;
    for target in ["a@evn.vn", "b@evn.vn", "c@evn.vn"] {
        assert_eq!(
            post_password(&app, target, "đoán mò").await,
            Status::UnprocessableEntity
        );
    }
    app.clock.advance(Duration::seconds(60));
    assert_eq!(
        post_password(&app, "hai.buoc@evn.vn", TEST_PASSWORD).await,
        Status::SeeOther
    );
    assert_eq!(post_code(&app, "000000").await, Status::UnprocessableEntity);
    assert_eq!(
        post_code(&app, "000001").await,
        Status::TooManyRequests,
        "the address has guessed four times"
    );
}

#[rocket::async_test]
async fn a_flood_of_wrong_passwords_does_not_keep_the_owner_out_of_a_browser_they_used() {
    let app = TestApp::spawn_with(|f| {
        no_two_factor(f)
            .merge(("sign_in_throttle.free_failures", 2))
            .merge(("sign_in_throttle.base_delay_seconds", 5))
            .merge(("sign_in_throttle.lock_after_failures", 4))
            .merge(("sign_in_throttle.lock_minutes", 15))
    })
    .await;
    sign_in_as(&app, "nan.nhan@evn.vn", &[Role::Inspector]).await;
    app.post_form("/staff/sign-out", &[]).await;
    let mut refused = 0;
    for _ in 0..4 {
        for _ in 0..10 {
            if sign_in_elsewhere(&app, "nan.nhan@evn.vn", "đoán mò").await
                == Status::TooManyRequests
            {
                refused += 1;
            }
        }
        app.clock.advance(Duration::seconds(20));
    }
    assert_eq!(refused, 36, "four guesses evaluated, then locked");
    assert_eq!(
        sign_in_elsewhere(&app, "nan.nhan@evn.vn", TEST_PASSWORD).await,
        Status::TooManyRequests,
        "an unknown browser is locked out of the account"
    );
    let response = app
        .post_form(
            "/staff/sign-in",
            &[("email", "nan.nhan@evn.vn"), ("password", TEST_PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther, "the owner's browser");
    assert_eq!(response.headers().get_one("Location"), Some("/staff"));
    assert_eq!(
        audited(&app, "sign_in_throttled").await,
        3,
        "37 refusals, audited once each time throttling starts"
    );
}

#[rocket::async_test]
async fn a_known_browser_is_limited_by_its_own_counter() {
    let app = TestApp::spawn_with(|f| slow_limits(no_two_factor(f))).await;
    sign_in_as(&app, "cua.toi@evn.vn", &[Role::Inspector]).await;
    app.post_form("/staff/sign-out", &[]).await;
    for _ in 0..3 {
        assert_eq!(
            post_password(&app, "cua.toi@evn.vn", "đoán mò").await,
            Status::UnprocessableEntity
        );
    }
    assert_eq!(
        post_password(&app, "cua.toi@evn.vn", TEST_PASSWORD).await,
        Status::TooManyRequests
    );
    assert_eq!(
        sign_in_elsewhere(&app, "cua.toi@evn.vn", TEST_PASSWORD).await,
        Status::SeeOther,
        "another browser is not held back by this one's guesses"
    );
}

#[rocket::async_test]
async fn guesses_at_the_current_password_on_the_change_form_are_limited() {
    let app = TestApp::spawn_with(no_two_factor).await;
    sign_in_as(&app, "doi.mat.khau@evn.vn", &[Role::Operator]).await;
    let new = "một mật khẩu dài và riêng";
    for guess in ["thử một", "thử hai", "thử ba"] {
        let response = app
            .post_form(
                "/staff/account/password",
                &[("current", guess), ("new", new), ("confirm", new)],
            )
            .await;
        assert_eq!(response.status(), Status::UnprocessableEntity);
    }
    let response = app
        .post_form(
            "/staff/account/password",
            &[("current", TEST_PASSWORD), ("new", new), ("confirm", new)],
        )
        .await;
    assert_eq!(response.status(), Status::TooManyRequests);
    app.clock.advance(Duration::seconds(2));
    let response = app
        .post_form(
            "/staff/account/password",
            &[("current", TEST_PASSWORD), ("new", new), ("confirm", new)],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
}

#[rocket::async_test]
async fn leadership_and_auditors_must_enrol_two_factor_unless_the_setting_says_otherwise() {
    let app = TestApp::spawn().await;
    for (email, role) in [
        ("lanh.dao@evn.vn", Role::Leadership),
        ("kiem.toan@evn.vn", Role::Auditor),
        ("tong.dai@evn.vn", Role::Operator),
    ] {
        create_user(&app, email, &[role]).await;
        let response = app
            .post_form(
                "/staff/sign-in",
                &[("email", email), ("password", TEST_PASSWORD)],
            )
            .await;
        assert_eq!(
            response.headers().get_one("Location"),
            Some("/staff/account/two-factor"),
            "{role}"
        );
    }
    let roles = &app.state().config.two_factor_roles;
    assert!(
        roles.contains(&Role::Operator),
        "operators enter callers' names"
    );

    let app = TestApp::spawn_with(|f| f.merge(("two_factor_roles", ["admin"]))).await;
    create_user(&app, "lanh.dao@evn.vn", &[Role::Leadership]).await;
    let response = app
        .post_form(
            "/staff/sign-in",
            &[("email", "lanh.dao@evn.vn"), ("password", TEST_PASSWORD)],
        )
        .await;
    assert_eq!(response.headers().get_one("Location"), Some("/staff"));
}
