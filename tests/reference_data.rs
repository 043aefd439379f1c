//! The reference data in memory (`web::reference`): an admin's change shows on the next public
//! page of the node it was made on, and within a second on every other node over the same
//! database, because both compare the `reference_version` counter the change bumped.

use std::time::Duration;

use conduct_portal::domain::roles::Role;
use rocket::http::Status;

use crate::support::*;

const ADMIN: &str = "admin@evn.vn";

async fn rename_unit(app: &TestApp, code: &str, name_vi: &str) {
    let id = unit_id(app, code).await;
    let response = app
        .post_form(
            &format!("/admin/units/{id}/edit"),
            &[
                ("kind", "district"),
                ("name_vi", name_vi),
                ("name_en", "Hai Hau power unit (renamed)"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
}

async fn page(client: &rocket::local::asynchronous::Client, path: &str) -> String {
    let response = client.get(path).dispatch().await;
    assert_eq!(response.status(), Status::Ok);
    response.into_string().await.unwrap()
}

#[rocket::async_test]
async fn a_renamed_unit_a_new_category_and_a_new_hotline_show_on_the_public_form_at_once() {
    let app = TestApp::spawn().await;
    sign_in_as(&app, ADMIN, &[Role::Admin]).await;
    let before = page(&app.client, "/report").await;
    assert!(!before.contains("Điện lực Hải Hậu đổi tên"));

    rename_unit(&app, "PCND-DLHAIHAU", "Điện lực Hải Hậu đổi tên").await;
    let response = app
        .post_form(
            "/admin/categories",
            &[
                ("code", "late_reply"),
                ("name_vi", "Trả lời khách hàng chậm"),
                ("name_en", "Late reply to a customer"),
                ("description_vi", "Nhân viên không trả lời đúng hẹn."),
                (
                    "description_en",
                    "A request was not answered when promised.",
                ),
                ("severity", "minor"),
                ("sort_order", "105"),
                ("articles", "UXKH-01"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let hanoi = unit_id(&app, "EVNHANOI").await;
    let response = app
        .post_form(
            &format!("/admin/units/{hanoi}/edit"),
            &[
                ("kind", "corporation"),
                ("name_vi", "Tổng công ty Điện lực Thành phố Hà Nội"),
                ("name_en", "Hanoi Power Corporation"),
                ("hotline", "1900 1299"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);

    let after = page(&app.client, "/report").await;
    assert!(after.contains("Điện lực Hải Hậu đổi tên"), "the unit list");
    assert!(
        after.contains("dien luc hai hau doi ten"),
        "the folded search path"
    );
    assert!(after.contains("Trả lời khách hàng chậm"), "the categories");
    assert!(
        after.contains("1900 1299") && !after.contains("1900 1288"),
        "the footer"
    );
    let commend = page(&app.client, "/commend").await;
    assert!(commend.contains("Điện lực Hải Hậu đổi tên"));
}

#[rocket::async_test]
async fn a_change_made_on_another_node_shows_here_within_a_second() {
    let app = TestApp::spawn().await;
    let other = app.second_node().await;
    let before = page(&other, "/report?unit_q=hai+hau").await;
    assert!(before.contains("Điện lực Hải Hậu"));
    assert!(!before.contains("Điện lực Hải Hậu đổi tên"));

    sign_in_as(&app, ADMIN, &[Role::Admin]).await;
    rename_unit(&app, "PCND-DLHAIHAU", "Điện lực Hải Hậu đổi tên").await;
    assert!(page(&app.client, "/report")
        .await
        .contains("Điện lực Hải Hậu đổi tên"));

    // The other node asks the database at most once a second.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let after = page(&other, "/report?unit_q=doi+ten").await;
    assert!(after.contains("Điện lực Hải Hậu đổi tên"));
    let footer = page(&other, "/").await;
    assert!(footer.contains("1900 1288"));
}
