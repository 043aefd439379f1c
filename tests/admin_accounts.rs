//! `/admin/users`, `/admin/teams`: accounts, roles, teams and members, all audited.

use conduct_portal::domain::roles::Role;
use conduct_portal::platform::persistence::entities::{inspection_team, team_member, user_role};
use rocket::http::Status;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::support::*;

async fn some_unit_id(app: &TestApp) -> String {
    some_unit_and_category(app).await.0
}

#[rocket::async_test]
async fn an_admin_creates_a_team_and_an_inspector_in_it_and_everything_is_audited() {
    let app = TestApp::spawn_with(no_two_factor).await;
    sign_in_as(&app, "admin@evn.vn", &[Role::Admin]).await;
    let unit = some_unit_id(&app).await;

    let response = app
        .post_form(
            "/admin/teams",
            &[
                ("name", "Ban Thanh tra EVNHANOI"),
                ("org_unit_id", unit.as_str()),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let team = inspection_team::Entity::find()
        .filter(inspection_team::Column::Name.eq("Ban Thanh tra EVNHANOI"))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(team.name, "Ban Thanh tra EVNHANOI");

    let team_id = team.id.to_string();
    let response = app
        .post_form(
            "/admin/users",
            &[
                ("email", "Thanh.Tra@EVN.vn"),
                ("display_name", "Trần Thanh Tra"),
                ("roles", "inspector"),
                ("roles", "team_lead"),
                ("teams", team_id.as_str()),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::Ok);
    assert!(response
        .into_string()
        .await
        .unwrap()
        .contains("temporary-password"));
    let (_, list) = app.get_text("/admin/users").await;
    assert!(
        list.contains("thanh.tra@evn.vn"),
        "e-mail stored lower-case"
    );
    let members = team_member::Entity::find()
        .all(app.state().db.conn())
        .await
        .unwrap();
    assert_eq!(members.len(), 1);
    let roles = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(members[0].user_id))
        .count(app.state().db.conn())
        .await
        .unwrap();
    assert_eq!(roles, 2);
    assert_eq!(audited(&app, "team_created").await, 1);
    assert_eq!(
        audited(&app, "user_created").await,
        2,
        "the admin and the inspector"
    );
    assert_eq!(audited(&app, "user_teams_changed").await, 1);

    // The team page lists the member; removing and adding again is audited.
    let (_, page) = app.get_text(&format!("/admin/teams/{}", team.id)).await;
    assert!(page.contains("thanh.tra@evn.vn"));
    let user_id = members[0].user_id;
    let response = app
        .post_form(
            &format!("/admin/teams/{}/members/{user_id}/remove", team.id),
            &[],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(app.count("team_member").await, 0);
    let uid = user_id.to_string();
    app.post_form(
        &format!("/admin/teams/{}/members", team.id),
        &[("user_id", uid.as_str())],
    )
    .await;
    assert_eq!(app.count("team_member").await, 1);
    assert_eq!(audited(&app, "team_member_removed").await, 1);
    assert_eq!(audited(&app, "team_member_added").await, 1);
}

#[rocket::async_test]
async fn a_bad_account_form_is_shown_again_with_errors_and_nothing_is_created() {
    let app = TestApp::spawn_with(no_two_factor).await;
    sign_in_as(&app, "admin@evn.vn", &[Role::Admin]).await;
    let users = app.count("app_user").await;
    let response = app
        .post_form(
            "/admin/users",
            &[
                ("email", "khong-phai-email"),
                ("display_name", "Giữ Lại Tên"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let body = response.into_string().await.unwrap();
    assert!(body.contains("Hãy chọn ít nhất một vai trò."));
    assert!(body.contains("value=\"Giữ Lại Tên\""));
    let response = app
        .post_form(
            "/admin/users",
            &[
                ("email", "khong-phai-email"),
                ("display_name", "X"),
                ("roles", "auditor"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    assert!(response
        .into_string()
        .await
        .unwrap()
        .contains("Địa chỉ thư không hợp lệ."));
    let response = app
        .post_form(
            "/admin/users",
            &[
                ("email", "ADMIN@evn.vn"),
                ("display_name", "X"),
                ("roles", "auditor"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    assert!(response
        .into_string()
        .await
        .unwrap()
        .contains("Đã có tài khoản dùng địa chỉ thư này."));
    assert_eq!(app.count("app_user").await, users);
}

#[rocket::async_test]
async fn the_last_active_admin_cannot_be_disabled_or_lose_the_admin_role() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let me = sign_in_as(&app, "admin@evn.vn", &[Role::Admin]).await;
    let response = app
        .post_form(
            &format!("/admin/users/{me}"),
            &[("display_name", "Tôi"), ("roles", "auditor")],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    assert!(response
        .into_string()
        .await
        .unwrap()
        .contains("ít nhất một quản trị viên"));
    let response = app
        .post_form(&format!("/admin/users/{me}/disable"), &[])
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let (status, _) = app.get_text("/staff").await;
    assert_eq!(status, Status::Ok, "still signed in and active");
}

#[rocket::async_test]
async fn roles_can_be_changed_and_a_password_or_two_factor_reset_after_confirmation() {
    let app = TestApp::spawn().await;
    sign_in_as(&app, "admin@evn.vn", &[Role::Admin]).await;
    let other = create_user(&app, "thanhvien@evn.vn", &[Role::Inspector]).await;
    let response = app
        .post_form(
            &format!("/admin/users/{other}"),
            &[
                ("display_name", "Thành Viên"),
                ("roles", "custodian"),
                ("roles", "auditor"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let roles = conduct_portal::auth::service::roles_of(app.state().db.conn(), other)
        .await
        .unwrap();
    assert_eq!(roles, vec![Role::Custodian, Role::Auditor]);
    assert_eq!(audited(&app, "user_updated").await, 1);

    let (status, page) = app
        .get_text(&format!("/admin/users/{other}/reset-password/confirm"))
        .await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("thanhvien@evn.vn"));
    let response = app
        .post_form(&format!("/admin/users/{other}/reset-password"), &[])
        .await;
    assert_eq!(response.status(), Status::Ok);
    assert!(response
        .into_string()
        .await
        .unwrap()
        .contains("temporary-password"));
    assert_eq!(audited(&app, "user_password_reset").await, 1);
    let response = app
        .post_form(&format!("/admin/users/{other}/reset-two-factor"), &[])
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(audited(&app, "user_two_factor_reset").await, 1);
    let (status, _) = app
        .get_text(&format!("/admin/users/{other}/explode/confirm"))
        .await;
    assert_eq!(status, Status::NotFound);
}

#[rocket::async_test]
async fn admin_pages_render_in_english_and_an_inspector_is_refused() {
    let app = TestApp::spawn_with(no_two_factor).await;
    sign_in_as(&app, "admin@evn.vn", &[Role::Admin]).await;
    for path in [
        "/admin/users?lang=en",
        "/admin/users/new",
        "/admin/teams",
        "/admin/teams/new",
        "/staff",
    ] {
        let (status, body) = app.get_text(path).await;
        assert_eq!(status, Status::Ok, "{path}");
        assert!(body.contains("<html lang=\"en\">"), "{path}");
        assert!(!body.contains("Unknown localization"), "{path}");
    }
    app.post_form("/staff/sign-out", &[]).await;
    sign_in_as(&app, "inspector@evn.vn", &[Role::Inspector]).await;
    let (status, _) = app.get_text("/admin/users").await;
    assert_eq!(status, Status::Forbidden);
}
