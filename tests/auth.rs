//! `/staff`: sign-in, two-factor codes, sessions, lockout, passwords, and the role × route
//! matrix generated from Rocket's own route list.

use chrono::Duration;
use conduct_portal::auth::session::{self, Stage};
use conduct_portal::domain::roles::Role;
use rocket::http::{ContentType, Cookie, Status};

use crate::support::*;

mod limits;
mod replay;
mod setup;

fn no_two_factor(f: rocket::figment::Figment) -> rocket::figment::Figment {
    f.merge(("two_factor_roles", Vec::<String>::new()))
}

async fn location(app: &TestApp, path: &str) -> (Status, Option<String>) {
    let response = app.client.get(path.to_string()).dispatch().await;
    (
        response.status(),
        response.headers().get_one("Location").map(str::to_string),
    )
}

#[rocket::async_test]
async fn an_admin_must_enrol_two_factor_before_reaching_the_staff_home() {
    let app = TestApp::spawn().await;
    create_user(&app, "quantri@evn.vn", &[Role::Admin]).await;
    let response = app
        .post_form(
            "/staff/sign-in",
            &[("email", "quantri@evn.vn"), ("password", TEST_PASSWORD)],
        )
        .await;
    assert_eq!(
        response.headers().get_one("Location"),
        Some("/staff/account/two-factor")
    );
    assert_eq!(
        location(&app, "/staff").await,
        (Status::SeeOther, Some("/staff/account/two-factor".into())),
        "the staff home waits for enrolment"
    );
    let (_, page) = app.get_text("/staff/account/two-factor").await;
    assert!(page.contains("<svg"), "QR code rendered on the server");
    let secret = secret_from(&page);
    let wrong = app
        .post_form("/staff/account/two-factor", &[("code", "000000")])
        .await;
    assert_eq!(wrong.status(), Status::UnprocessableEntity);
    let code = conduct_portal::auth::totp::code_at(&secret, app.clock_unix()).unwrap();
    let done = app
        .post_form("/staff/account/two-factor", &[("code", code.as_str())])
        .await;
    assert_eq!(done.status(), Status::Ok);
    let body = done.into_string().await.unwrap();
    assert_eq!(
        body.matches("<li><code>").count(),
        10,
        "ten recovery codes shown once"
    );
    let (status, body) = app.get_text("/staff").await;
    assert_eq!(status, Status::Ok);
    assert!(body.contains("quantri@evn.vn"));
    assert_eq!(app.count("recovery_code").await, 10);
}

/// Signs in with the password and returns the page the session continues at.
async fn password_step(app: &TestApp, email: &str) -> String {
    let response = app
        .post_form(
            "/staff/sign-in",
            &[("email", email), ("password", TEST_PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    response.headers().get_one("Location").unwrap().to_string()
}

#[rocket::async_test]
async fn totp_accepts_a_valid_code_and_refuses_a_reused_or_two_steps_off_code() {
    let app = TestApp::spawn().await;
    create_user(&app, "thanhtra@evn.vn", &[Role::Inspector]).await;
    assert_eq!(
        password_step(&app, "thanhtra@evn.vn").await,
        "/staff/account/two-factor"
    );
    let (_, page) = app.get_text("/staff/account/two-factor").await;
    let secret = secret_from(&page);
    let enrol_code = conduct_portal::auth::totp::code_at(&secret, app.clock_unix()).unwrap();
    app.post_form(
        "/staff/account/two-factor",
        &[("code", enrol_code.as_str())],
    )
    .await;
    app.post_form("/staff/sign-out", &[]).await;

    assert_eq!(
        password_step(&app, "thanhtra@evn.vn").await,
        "/staff/sign-in/code"
    );
    // The code used for enrolment cannot be used again.
    let replay = app
        .post_form("/staff/sign-in/code", &[("code", enrol_code.as_str())])
        .await;
    assert_eq!(replay.status(), Status::UnprocessableEntity);
    // Two steps off either way: refused.
    let now = app.clock_unix();
    for t in [now + 60, now - 60] {
        let code = conduct_portal::auth::totp::code_at(&secret, t).unwrap();
        if code == enrol_code {
            continue;
        }
        let response = app
            .post_form("/staff/sign-in/code", &[("code", code.as_str())])
            .await;
        assert_eq!(
            response.status(),
            Status::UnprocessableEntity,
            "code at {t}"
        );
    }
    // Half a minute later (past the slow-down after three failures), the new code: accepted.
    app.clock.advance(Duration::seconds(30));
    let next = conduct_portal::auth::totp::code_at(&secret, now + 30).unwrap();
    let response = app
        .post_form("/staff/sign-in/code", &[("code", next.as_str())])
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(response.headers().get_one("Location"), Some("/staff"));
    assert_eq!(location(&app, "/staff").await.0, Status::Ok);
}

#[rocket::async_test]
async fn a_recovery_code_works_once_in_place_of_the_totp_code() {
    let app = TestApp::spawn().await;
    create_user(&app, "lanhdao@evn.vn", &[Role::TeamLead]).await;
    password_step(&app, "lanhdao@evn.vn").await;
    let (_, page) = app.get_text("/staff/account/two-factor").await;
    let secret = secret_from(&page);
    let code = conduct_portal::auth::totp::code_at(&secret, app.clock_unix()).unwrap();
    let body = app
        .post_form("/staff/account/two-factor", &[("code", code.as_str())])
        .await
        .into_string()
        .await
        .unwrap();
    let start = body.find("<li><code>").unwrap() + "<li><code>".len();
    let recovery = body[start..start + 11].to_string();
    app.post_form("/staff/sign-out", &[]).await;

    password_step(&app, "lanhdao@evn.vn").await;
    let response = app
        .post_form("/staff/sign-in/code", &[("code", recovery.as_str())])
        .await;
    assert_eq!(response.headers().get_one("Location"), Some("/staff"));
    app.post_form("/staff/sign-out", &[]).await;
    password_step(&app, "lanhdao@evn.vn").await;
    let again = app
        .post_form("/staff/sign-in/code", &[("code", recovery.as_str())])
        .await;
    assert_eq!(again.status(), Status::UnprocessableEntity);
}

#[rocket::async_test]
async fn repeated_wrong_passwords_are_slowed_then_locked_and_audited() {
    let app = TestApp::spawn_with(|f| {
        no_two_factor(f)
            .merge(("sign_in_throttle.free_failures", 2))
            .merge(("sign_in_throttle.base_delay_seconds", 5))
            .merge(("sign_in_throttle.lock_after_failures", 4))
            .merge(("sign_in_throttle.lock_minutes", 15))
            .merge(("sign_in_throttle.window_minutes", 60))
    })
    .await;
    create_user(&app, "bi.khoa@evn.vn", &[Role::Leadership]).await;
    let wrong = [
        ("email", "bi.khoa@evn.vn"),
        ("password", "sai mật khẩu rồi nhé"),
    ];
    for _ in 0..2 {
        assert_eq!(
            app.post_form("/staff/sign-in", &wrong).await.status(),
            Status::UnprocessableEntity
        );
    }
    let right = [("email", "bi.khoa@evn.vn"), ("password", TEST_PASSWORD)];
    assert_eq!(
        app.post_form("/staff/sign-in", &right).await.status(),
        Status::TooManyRequests,
        "slowed"
    );
    app.clock.advance(Duration::seconds(5));
    assert_eq!(
        app.post_form("/staff/sign-in", &wrong).await.status(),
        Status::UnprocessableEntity
    );
    app.clock.advance(Duration::seconds(10));
    assert_eq!(
        app.post_form("/staff/sign-in", &wrong).await.status(),
        Status::UnprocessableEntity
    );
    app.clock.advance(Duration::minutes(2));
    let locked = app.post_form("/staff/sign-in", &right).await;
    assert_eq!(
        locked.status(),
        Status::TooManyRequests,
        "locked despite the right password"
    );
    assert!(locked.into_string().await.unwrap().contains("phút"));
    app.clock.advance(Duration::minutes(15));
    let response = app.post_form("/staff/sign-in", &right).await;
    assert_eq!(response.headers().get_one("Location"), Some("/staff"));

    use conduct_portal::platform::persistence::entities::audit_log;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let conn = app.state().db.conn();
    let failures = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("sign_in_failure"))
        .count(conn)
        .await
        .unwrap();
    let throttled = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("sign_in_throttled"))
        .count(conn)
        .await
        .unwrap();
    assert_eq!(failures, 4);
    assert_eq!(throttled, 2);
}

#[rocket::async_test]
async fn an_unknown_email_costs_the_same_argon2_work_as_a_wrong_password() {
    let app = TestApp::spawn().await;
    let before = app.state().hasher.dummy_runs();
    let response = app
        .post_form(
            "/staff/sign-in",
            &[
                ("email", "khong.ton.tai@evn.vn"),
                ("password", "bất kỳ mật khẩu nào"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let body = response.into_string().await.unwrap();
    assert!(body.contains("Thư điện tử hoặc mật khẩu không đúng."));
    assert_eq!(app.state().hasher.dummy_runs(), before + 1);

    create_user(&app, "co.that@evn.vn", &[Role::Auditor]).await;
    let response = app
        .post_form(
            "/staff/sign-in",
            &[
                ("email", "co.that@evn.vn"),
                ("password", "bất kỳ mật khẩu nào"),
            ],
        )
        .await;
    assert!(response
        .into_string()
        .await
        .unwrap()
        .contains("Thư điện tử hoặc mật khẩu không đúng."));
    assert_eq!(
        app.state().hasher.dummy_runs(),
        before + 1,
        "a real hash was checked instead"
    );
}

#[rocket::async_test]
async fn sessions_expire_after_thirty_idle_minutes_and_twelve_hours_in_all() {
    let app = TestApp::spawn_with(no_two_factor).await;
    sign_in_as(&app, "nhanvien@evn.vn", &[Role::Leadership]).await;
    app.clock.advance(Duration::minutes(29));
    assert_eq!(location(&app, "/staff").await.0, Status::Ok);
    app.clock.advance(Duration::minutes(30));
    assert_eq!(
        location(&app, "/staff").await,
        (Status::SeeOther, Some("/staff/sign-in".into())),
        "idle for 30 minutes"
    );

    sign_in(&app, "nhanvien@evn.vn").await;
    for _ in 0..(12 * 3 - 1) {
        app.clock.advance(Duration::minutes(20));
        assert_eq!(location(&app, "/staff").await.0, Status::Ok);
    }
    app.clock.advance(Duration::minutes(20));
    assert_eq!(
        location(&app, "/staff").await,
        (Status::SeeOther, Some("/staff/sign-in".into())),
        "twelve hours after sign-in"
    );
}

#[rocket::async_test]
async fn the_session_id_changes_at_sign_in_and_sign_out_makes_the_old_cookie_useless() {
    let app = TestApp::spawn_with(no_two_factor).await;
    sign_in_as(&app, "doi.phien@evn.vn", &[Role::Operator]).await;
    let first = app
        .client
        .cookies()
        .get_private("sid")
        .unwrap()
        .value()
        .to_string();
    sign_in(&app, "doi.phien@evn.vn").await;
    let second = app
        .client
        .cookies()
        .get_private("sid")
        .unwrap()
        .value()
        .to_string();
    assert_ne!(first, second, "a new id at sign-in");

    assert_eq!(
        app.post_form("/staff/sign-out", &[]).await.status(),
        Status::SeeOther
    );
    let response = app
        .client
        .get("/staff")
        .private_cookie(Cookie::new("sid", second))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(
        response.headers().get_one("Location"),
        Some("/staff/sign-in")
    );
}

#[rocket::async_test]
async fn a_user_sees_and_revokes_their_own_sessions_but_not_anothers() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let me = sign_in_as(&app, "toi@evn.vn", &[Role::Auditor]).await;
    let other = create_user(&app, "nguoi.khac@evn.vn", &[Role::Auditor]).await;
    let state = app.state();
    let now = state.clock.now();
    let _mine = session::create(state.db.conn(), &state.config, me, Stage::Active, now)
        .await
        .unwrap();
    session::create(state.db.conn(), &state.config, other, Stage::Active, now)
        .await
        .unwrap();

    let (_, page) = app.get_text("/staff/account/sessions").await;
    assert_eq!(page.matches("/revoke\"").count(), 2, "two sessions of mine");

    use conduct_portal::platform::persistence::entities::staff_session;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let sessions = staff_session::Entity::find()
        .all(state.db.conn())
        .await
        .unwrap();
    let theirs = sessions.iter().find(|s| s.user_id == other).unwrap().id;
    let response = app
        .post_form(&format!("/staff/account/sessions/{theirs}/revoke"), &[])
        .await;
    assert_eq!(
        response.status(),
        Status::NotFound,
        "another user's session is out of reach"
    );
    let my_other = staff_session::Entity::find()
        .filter(staff_session::Column::UserId.eq(me))
        .all(state.db.conn())
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .max()
        .unwrap();
    let response = app
        .post_form(&format!("/staff/account/sessions/{my_other}/revoke"), &[])
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(app.count("staff_session").await, 2);
    assert_eq!(
        location(&app, "/staff").await.0,
        Status::Ok,
        "the current session goes on"
    );
}

#[rocket::async_test]
async fn passwords_must_be_twelve_to_one_hundred_twenty_eight_characters_and_not_common() {
    let app = TestApp::spawn_with(no_two_factor).await;
    sign_in_as(&app, "doi.mat.khau@evn.vn", &[Role::Leadership]).await;
    let long = "a1".repeat(64) + "b";
    for (new, message) in [
        ("password1234", "quá phổ biến"),
        ("ngắn quá", "ít nhất 12 ký tự"),
        (long.as_str(), "128 ký tự"),
    ] {
        let response = app
            .post_form(
                "/staff/account/password",
                &[("current", TEST_PASSWORD), ("new", new), ("confirm", new)],
            )
            .await;
        assert_eq!(response.status(), Status::UnprocessableEntity, "{new}");
        assert!(
            response.into_string().await.unwrap().contains(message),
            "{new}"
        );
    }
    let ok = "một mật khẩu dài và riêng";
    let response = app
        .post_form(
            "/staff/account/password",
            &[("current", TEST_PASSWORD), ("new", ok), ("confirm", ok)],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
}

#[rocket::async_test]
async fn an_account_an_admin_created_must_change_its_password_first() {
    let app = TestApp::spawn_with(no_two_factor).await;
    sign_in_as(&app, "admin@evn.vn", &[Role::Admin]).await;
    let response = app
        .post_form(
            "/admin/users",
            &[
                ("email", "moi@evn.vn"),
                ("display_name", "Người Mới"),
                ("roles", "inspector"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::Ok);
    let body = response.into_string().await.unwrap();
    let marker = "class=\"temporary-password\">";
    let start = body.find(marker).unwrap() + marker.len();
    let temporary = body[start..start + 24].to_string();
    app.post_form("/staff/sign-out", &[]).await;

    let response = app
        .post_form(
            "/staff/sign-in",
            &[("email", "moi@evn.vn"), ("password", temporary.as_str())],
        )
        .await;
    assert_eq!(
        response.headers().get_one("Location"),
        Some("/staff/account/password")
    );
    assert_eq!(
        location(&app, "/staff").await,
        (Status::SeeOther, Some("/staff/account/password".into()))
    );
    let new = "bầu trời xanh ngắt một màu";
    let response = app
        .post_form(
            "/staff/account/password",
            &[
                ("current", temporary.as_str()),
                ("new", new),
                ("confirm", new),
            ],
        )
        .await;
    assert_eq!(response.headers().get_one("Location"), Some("/staff"));
    assert_eq!(location(&app, "/staff").await.0, Status::Ok);
}

#[rocket::async_test]
async fn the_first_admin_is_created_from_a_one_time_setup_link() {
    use conduct_portal::auth::service;
    let app = TestApp::spawn().await;
    assert!(!service::has_admin(app.state()).await.unwrap());
    let token = service::issue_setup_token(app.state(), service::SETUP_ADMIN, None)
        .await
        .unwrap();
    let path = format!("/staff/setup/{token}");
    let (status, page) = app.get_text(&path).await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("quản trị viên đầu tiên"));
    let response = app
        .post_form(
            &path,
            &[
                ("email", "dau.tien@evn.vn"),
                ("display_name", "Quản trị"),
                ("password", "password1234"),
                ("confirm", "password1234"),
            ],
        )
        .await;
    assert_eq!(
        response.status(),
        Status::UnprocessableEntity,
        "a common password is refused"
    );
    let good = "hoa sen nở giữa đầm lầy";
    let response = app
        .post_form(
            &path,
            &[
                ("email", "dau.tien@evn.vn"),
                ("display_name", "Quản trị"),
                ("password", good),
                ("confirm", good),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert!(service::has_admin(app.state()).await.unwrap());
    let (_, page) = app.get_text(&path).await;
    assert!(
        page.contains("không hợp lệ, đã dùng hoặc đã hết hạn"),
        "used once"
    );

    let other = service::issue_setup_token(app.state(), service::SETUP_ADMIN, None)
        .await
        .unwrap();
    app.clock.advance(Duration::hours(25));
    let (_, page) = app.get_text(&format!("/staff/setup/{other}")).await;
    assert!(page.contains("hết hạn"), "valid 24 hours");
}

#[rocket::async_test]
async fn an_earlier_admin_setup_link_creates_nobody_once_an_admin_exists() {
    use conduct_portal::auth::service;
    let app = TestApp::spawn().await;
    let earlier = service::issue_setup_token(app.state(), service::SETUP_ADMIN, None)
        .await
        .unwrap();
    let later = service::issue_setup_token(app.state(), service::SETUP_ADMIN, None)
        .await
        .unwrap();
    let good = "hoa sen nở giữa đầm lầy";
    let fields = |email: &'static str| {
        [
            ("email", email),
            ("display_name", "Quản trị"),
            ("password", good),
            ("confirm", good),
        ]
    };
    let response = app
        .post_form(&format!("/staff/setup/{later}"), &fields("sau.nay@evn.vn"))
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(app.count("app_user").await, 1);

    let earlier_path = format!("/staff/setup/{earlier}");
    let (_, page) = app.get_text(&earlier_path).await;
    assert!(page.contains("không hợp lệ, đã dùng hoặc đã hết hạn"));
    let response = app
        .post_form(&earlier_path, &fields("ke.khac@evn.vn"))
        .await;
    assert_ne!(response.status(), Status::SeeOther);
    assert_eq!(app.count("app_user").await, 1, "no second admin");
}

#[rocket::async_test]
async fn disabling_a_user_ends_all_their_sessions() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let target = create_user(&app, "se.bi.khoa@evn.vn", &[Role::Inspector]).await;
    let state = app.state();
    for _ in 0..3 {
        session::create(
            state.db.conn(),
            &state.config,
            target,
            Stage::Active,
            state.clock.now(),
        )
        .await
        .unwrap();
    }
    sign_in_as(&app, "admin@evn.vn", &[Role::Admin]).await;
    let (status, page) = app
        .get_text(&format!("/admin/users/{target}/disable/confirm"))
        .await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("se.bi.khoa@evn.vn"));
    let response = app
        .post_form(&format!("/admin/users/{target}/disable"), &[])
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    use conduct_portal::platform::persistence::entities::staff_session;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let left = staff_session::Entity::find()
        .filter(staff_session::Column::UserId.eq(target))
        .count(state.db.conn())
        .await
        .unwrap();
    assert_eq!(left, 0);
    let response = app
        .post_form(
            "/staff/sign-in",
            &[("email", "se.bi.khoa@evn.vn"), ("password", TEST_PASSWORD)],
        )
        .await;
    assert_eq!(
        response.status(),
        Status::UnprocessableEntity,
        "a disabled account cannot sign in"
    );
}

#[rocket::async_test]
async fn the_command_line_creates_an_admin_from_a_password_on_stdin() {
    use std::io::Write;
    let app = TestApp::spawn().await;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_conduct-portal"))
        .args(["user", "add", "--email", "cli@evn.vn", "--role", "admin"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("ROCKET_DATABASE_URL", &app.database_url)
        .env("ROCKET_DATA_DIR", app.data_dir.path())
        .env("ROCKET_MASTER_KEY", MASTER_KEY)
        .env("ROCKET_RECEIPT_KEY", RECEIPT_KEY)
        .env("ROCKET_SECRET_KEY", SECRET_KEY)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{TEST_PASSWORD}").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("cli@evn.vn"));
    assert!(conduct_portal::auth::service::has_admin(app.state())
        .await
        .unwrap());
    let response = app
        .post_form(
            "/staff/sign-in",
            &[("email", "cli@evn.vn"), ("password", TEST_PASSWORD)],
        )
        .await;
    assert_eq!(
        response.headers().get_one("Location"),
        Some("/staff/account/two-factor")
    );
}

/// Who may reach a route, by URL prefix; a route outside every prefix and not public fails
/// the matrix, so a new area must be given a policy here and a guard in its handlers.
fn allowed_roles(path: &str) -> Option<Vec<Role>> {
    const PUBLIC: &[&str] = &[
        "/",
        "/report",
        "/report/receipt",
        "/follow-up",
        "/follow-up/status",
        "/follow-up/reply",
        "/follow-up/leave",
        "/follow-up/disclose",
        "/follow-up/my-data",
        "/follow-up/my-data/contact",
        "/follow-up/my-data/withdraw",
        "/follow-up/files",
        "/follow-up/files/<file_id>",
        "/follow-up/files/<file_id>/preview",
        "/follow-up/rating",
        "/transparency",
        "/privacy",
        "/commend",
        "/commend/thanks",
        "/healthz",
        "/staff/sign-in",
        "/staff/setup/<token>",
        "/__rejected/csrf",
    ];
    if PUBLIC.contains(&path) || path.starts_with("/static") {
        return None;
    }
    // The JSON API takes bearer tokens only, never a staff cookie (tests/api.rs).
    if path.starts_with("/api/") {
        return None;
    }
    if path.starts_with("/dashboard") {
        return Some(vec![Role::Leadership]);
    }
    if path.starts_with("/cases/overview") || path.starts_with("/cases/commendations") {
        return Some(vec![Role::TeamLead]);
    }
    if path.starts_with("/cases/retention")
        || path.ends_with("/legal-hold")
        || path.ends_with("/legal-hold/lift")
    {
        return Some(vec![Role::TeamLead, Role::Admin]);
    }
    if path.starts_with("/cases") {
        return Some(vec![Role::Inspector, Role::TeamLead]);
    }
    if path.starts_with("/custodian") {
        return Some(vec![Role::Custodian]);
    }
    if path == "/admin/privacy" {
        return Some(vec![Role::Admin, Role::Auditor]);
    }
    if path.starts_with("/admin") {
        return Some(vec![Role::Admin]);
    }
    if path.starts_with("/audit") {
        return Some(vec![Role::Auditor]);
    }
    if path.starts_with("/intake") {
        return Some(vec![Role::Operator]);
    }
    if path.starts_with("/staff-history") {
        return Some(vec![Role::TeamLead, Role::Leadership]);
    }
    if path.starts_with("/staff") {
        return Some(Role::ALL.to_vec());
    }
    panic!(
        "route {path} has no access policy: add one to allowed_roles and a guard to its handler"
    );
}

/// What a signed-in user without the role gets: 403, except where even the existence of the
/// page is confidential (a staff member's discipline history), which answers 404.
fn refusal_for(path: &str) -> Status {
    if path.starts_with("/staff-history") || path.starts_with("/cases") {
        Status::NotFound
    } else {
        Status::Forbidden
    }
}

fn concrete(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with('<') {
                "999999"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[rocket::async_test]
async fn every_non_public_route_sends_visitors_to_sign_in_and_refuses_roles_it_does_not_admit() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let routes: Vec<(rocket::http::Method, String, bool)> = app
        .client
        .rocket()
        .routes()
        .map(|r| {
            let multipart = r.format.as_ref().is_some_and(|f| f.is_form_data());
            (r.method, r.uri.path().to_string(), multipart)
        })
        .collect();
    let guarded: Vec<_> = routes
        .iter()
        .filter_map(|(method, path, multipart)| {
            allowed_roles(path).map(|roles| (*method, path.clone(), roles, *multipart))
        })
        .collect();
    assert!(guarded.len() >= 10, "the staff areas are mounted");
    let token = app.csrf().await;

    let dispatch =
        |method: rocket::http::Method, path: String, multipart: bool, sid: Option<String>| {
            let token = token.clone();
            let client = &app.client;
            async move {
                let mut request = match method {
                    rocket::http::Method::Get => client.get(path),
                    _ if multipart => {
                        let (content_type, body) = multipart_body(&token, &[], &[]);
                        client.post(path).header(content_type).body(body)
                    }
                    _ => client
                        .post(path)
                        .header(ContentType::Form)
                        .body(format!("csrf_token={token}")),
                };
                request = match sid {
                    Some(sid) => request.private_cookie(Cookie::new("sid", sid)),
                    None => request,
                };
                let response = request.dispatch().await;
                (
                    response.status(),
                    response.headers().get_one("Location").map(str::to_string),
                )
            }
        };

    for (method, path, _, multipart) in &guarded {
        let (status, location) = dispatch(*method, concrete(path), *multipart, None).await;
        assert_eq!(status, Status::SeeOther, "anonymous {method} {path}");
        assert_eq!(
            location.as_deref(),
            Some("/staff/sign-in"),
            "anonymous {method} {path}"
        );
    }

    let state = app.state();
    for role in Role::ALL {
        let user = create_user(&app, &format!("{}@evn.vn", role.as_str()), &[role]).await;
        for (method, path, roles, multipart) in &guarded {
            let sid = session::create(
                state.db.conn(),
                &state.config,
                user,
                Stage::Active,
                state.clock.now(),
            )
            .await
            .unwrap();
            let (status, location) = dispatch(*method, concrete(path), *multipart, Some(sid)).await;
            if roles.contains(&role) {
                assert_ne!(status, Status::Forbidden, "{role} {method} {path}");
                // Signing out legitimately ends at the sign-in page.
                if path != "/staff/sign-out" {
                    assert_ne!(
                        location.as_deref(),
                        Some("/staff/sign-in"),
                        "{role} {method} {path}"
                    );
                }
            } else {
                assert_eq!(status, refusal_for(path), "{role} {method} {path}");
            }
        }
    }
}

#[rocket::async_test]
async fn every_post_route_refuses_a_request_without_a_valid_csrf_token() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let admin = create_user(&app, "csrf.admin@evn.vn", &[Role::Admin, Role::Auditor]).await;
    let state = app.state();
    let posts: Vec<String> = app
        .client
        .rocket()
        .routes()
        .filter(|r| r.method != rocket::http::Method::Get)
        // A cookie never authenticates an API call, so no CSRF token guards it (tests/api.rs).
        .filter(|r| !r.uri.path().starts_with("/api/"))
        .map(|r| concrete(r.uri.path()))
        .collect();
    assert!(posts.len() >= 10);
    for path in posts {
        let sid = session::create(
            state.db.conn(),
            &state.config,
            admin,
            Stage::Active,
            state.clock.now(),
        )
        .await
        .unwrap();
        for body in [
            "",
            "csrf_token=0000000000000000000000000000000000000000000000000000000000000000",
        ] {
            let response = app
                .client
                .post(path.clone())
                .header(ContentType::Form)
                .private_cookie(Cookie::new("sid", sid.clone()))
                .body(body)
                .dispatch()
                .await;
            assert_eq!(
                response.status(),
                Status::Forbidden,
                "POST {path} with {body:?}"
            );
        }
    }
    let _ = admin;
}
