//! `/admin/staff` (and its CSV import, also from the command line), `/admin/routing`,
//! `/admin/holidays`, `/admin/canned-replies`: through the real app, each change checked in the
//! database, in where new reports go, and in the audit trail.

use conduct_portal::domain::roles::Role;
use conduct_portal::platform::persistence::entities::{
    audit_log, canned_reply, case_file, holiday, inspection_team, org_unit, routing_rule,
    staff_member, violation_category,
};
use rocket::http::{ContentType, Status};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use crate::support::*;

const ADMIN: &str = "admin@evn.vn";
const HEADER: &str = "employee_number,full_name,unit_code,position,active";

async fn admin_app() -> TestApp {
    let app = TestApp::spawn().await;
    sign_in_as(&app, ADMIN, &[Role::Admin]).await;
    app
}

async fn unit(app: &TestApp, code: &str) -> org_unit::Model {
    org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq(code))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("unit {code}"))
}

async fn category(app: &TestApp, code: &str) -> violation_category::Model {
    violation_category::Entity::find()
        .filter(violation_category::Column::Code.eq(code))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("category {code}"))
}

async fn team_named(app: &TestApp, name: &str) -> inspection_team::Model {
    inspection_team::Entity::find()
        .filter(inspection_team::Column::Name.eq(name))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("team {name}"))
}

async fn member(app: &TestApp, number: &str) -> Option<staff_member::Model> {
    staff_member::Entity::find()
        .filter(staff_member::Column::EmployeeNumber.eq(number))
        .one(app.state().db.conn())
        .await
        .unwrap()
}

/// Audit entries with `action`, oldest first.
async fn audited(app: &TestApp, action: &str) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .order_by_asc(audit_log::Column::Id)
        .all(app.state().db.conn())
        .await
        .unwrap()
}

fn details(entry: &audit_log::Model) -> Value {
    serde_json::from_str(entry.details.as_deref().unwrap_or("null")).unwrap()
}

/// `text` as Tera's autoescaping writes it (it escapes `/` too).
fn escaped(text: &str) -> String {
    text.replace('/', "&#x2F;")
}

fn location(response: &rocket::local::asynchronous::LocalResponse<'_>) -> String {
    response
        .headers()
        .get_one("Location")
        .unwrap_or_default()
        .to_string()
}

/// Uploads `csv` to the import form as a browser would: multipart, the CSRF token first.
async fn upload(app: &TestApp, csv: &[u8]) -> (Status, String) {
    let token = app.csrf().await;
    let mut body = format!(
        "--BOUNDARY\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n\
         --BOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"staff.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(csv);
    body.extend_from_slice(b"\r\n--BOUNDARY--\r\n");
    let response = app
        .client
        .post("/admin/staff/import")
        .header(ContentType::new("multipart", "form-data").with_params(("boundary", "BOUNDARY")))
        .body(body)
        .dispatch()
        .await;
    let status = response.status();
    (status, response.into_string().await.unwrap_or_default())
}

fn csv(rows: &[&str]) -> Vec<u8> {
    let mut text = String::from(HEADER);
    for row in rows {
        text.push('\n');
        text.push_str(row);
    }
    text.push('\n');
    text.into_bytes()
}

/// Three bad lines and one with bytes that are not UTF-8, between good ones.
fn bad_csv() -> Vec<u8> {
    let mut text = csv(&[
        "HN-1,Nguyễn Văn An,EVNHANOI,Kiểm tra viên,true",
        "HN-2,Trần Thị Bình,NOWHERE,,",
        "hn-1,Lê Văn Cường,EVNNPC,,",
        "HN-4,,EVNNPC,,",
    ]);
    text.extend_from_slice(b"HN-5,Ph\xE1m V\xE3n,EVNNPC,,\n");
    text.extend_from_slice("HN-6,Đỗ Thị Em,EVNNPC,,false\n".as_bytes());
    text
}

/// Runs `conduct-portal staff import FILE` against the test's database.
fn run_cli_import(
    app: &TestApp,
    file: &std::path::Path,
    lang: Option<&str>,
) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_conduct-portal"));
    command
        .args(["staff", "import"])
        .arg(file)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("ROCKET_DATABASE_URL", &app.database_url)
        .env("ROCKET_DATA_DIR", app.data_dir.path())
        .env("ROCKET_MASTER_KEY", MASTER_KEY)
        .env("ROCKET_RECEIPT_KEY", RECEIPT_KEY)
        .env("ROCKET_SECRET_KEY", SECRET_KEY)
        .env_remove("LANG");
    if let Some(lang) = lang {
        command.env("LANG", lang);
    }
    command.output().unwrap()
}

/// The case file of the newest report.
async fn newest_case(app: &TestApp) -> case_file::Model {
    case_file::Entity::find()
        .order_by_desc(case_file::Column::Id)
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
}

/// Files an anonymous report about `unit_id` in `category_id`; returns its case file.
async fn report_about(app: &TestApp, unit_id: i32, category_id: i32) -> case_file::Model {
    let unit = unit_id.to_string();
    let category = category_id.to_string();
    submit(
        app,
        &[
            ("unit_id", unit.as_str()),
            ("occurred_on", "2026-11-20"),
            ("category_id", category.as_str()),
            (
                "description",
                "Nhân viên không đeo thẻ khi đến kiểm tra công tơ nhà tôi.",
            ),
            ("identity", "anonymous"),
        ],
    )
    .await;
    newest_case(app).await
}

// ---------------------------------------------------------------------------------------------
// Access
// ---------------------------------------------------------------------------------------------

const SCREENS: [&str; 12] = [
    "/admin/staff",
    "/admin/staff/new",
    "/admin/staff/1/edit",
    "/admin/staff/1/deactivate",
    "/admin/staff/import",
    "/admin/routing",
    "/admin/routing/new",
    "/admin/routing/1/delete",
    "/admin/holidays",
    "/admin/holidays/new",
    "/admin/canned-replies",
    "/admin/canned-replies/new",
];

#[rocket::async_test]
async fn an_anonymous_visitor_is_sent_to_sign_in_from_every_directory_screen() {
    let app = TestApp::spawn().await;
    for path in SCREENS {
        let response = app.client.get(path).dispatch().await;
        assert_eq!(response.status(), Status::SeeOther, "{path}");
        assert_eq!(location(&response), "/staff/sign-in", "{path}");
    }
}

#[rocket::async_test]
async fn an_inspector_gets_403_on_every_directory_screen_and_changes_nothing() {
    let app = TestApp::spawn().await;
    sign_in_as(&app, "inspector@evn.vn", &[Role::Inspector]).await;
    for path in SCREENS {
        let (status, _) = app.get_text(path).await;
        assert_eq!(status, Status::Forbidden, "{path}");
    }
    let audit = app.count("audit_log").await;
    let unit_id = unit(&app, "EVNHANOI").await.id.to_string();
    let writes: [(&str, Vec<(&str, &str)>); 4] = [
        (
            "/admin/staff",
            vec![
                ("employee_number", "HN-9"),
                ("full_name", "Nguyễn Văn An"),
                ("unit_id", unit_id.as_str()),
            ],
        ),
        (
            "/admin/holidays",
            vec![
                ("day", "2027-09-03"),
                ("name_vi", "Nghỉ bù"),
                ("name_en", "Extra day"),
            ],
        ),
        (
            "/admin/canned-replies",
            vec![
                ("code", "hello"),
                ("title_vi", "Chào"),
                ("title_en", "Hello"),
                ("body_vi", "Xin chào"),
                ("body_en", "Hello"),
            ],
        ),
        (
            "/admin/routing",
            vec![
                ("org_unit_id", unit_id.as_str()),
                ("category_id", "any"),
                ("team_id", "1"),
            ],
        ),
    ];
    for (path, fields) in &writes {
        let response = app.post_form(path, fields).await;
        assert_eq!(response.status(), Status::Forbidden, "{path}");
    }
    let (status, _) = upload(&app, &csv(&["HN-1,An,EVNHANOI,,"])).await;
    assert_eq!(status, Status::Forbidden);
    assert_eq!(app.count("staff_member").await, 0);
    assert_eq!(app.count("canned_reply").await, 0);
    assert_eq!(app.count("routing_rule").await, 0);
    assert_eq!(app.count("audit_log").await, audit);
}

#[rocket::async_test]
async fn the_staff_home_offers_the_directory_screens_to_admins() {
    let app = admin_app().await;
    let (_, home) = app.get_text("/staff").await;
    for path in [
        "/admin/staff",
        "/admin/routing",
        "/admin/holidays",
        "/admin/canned-replies",
    ] {
        assert!(home.contains(&format!("href=\"{path}\"")), "{path}");
    }
}

// ---------------------------------------------------------------------------------------------
// Staff directory
// ---------------------------------------------------------------------------------------------

#[rocket::async_test]
async fn an_admin_adds_and_edits_an_employee_and_finds_them_with_or_without_diacritics() {
    let app = admin_app().await;
    let hanoi = unit(&app, "EVNHANOI").await.id.to_string();
    let response = app
        .post_form(
            "/admin/staff",
            &[
                ("employee_number", " hn-0042 "),
                ("full_name", "  Nguyễn Văn An "),
                ("unit_id", hanoi.as_str()),
                ("position", "Kiểm tra viên"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), "/admin/staff");
    let row = member(&app, "HN-0042").await.expect("stored upper-case");
    assert_eq!(row.full_name, "Nguyễn Văn An");
    assert_eq!(row.full_name_folded, "nguyen van an");
    assert_eq!(row.position.as_deref(), Some("Kiểm tra viên"));
    assert!(row.active);

    for query in ["nguyen+van", "Nguy%E1%BB%85n+V%C4%83n", "NGUYEN", "0042"] {
        let (status, body) = app.get_text(&format!("/admin/staff?q={query}")).await;
        assert_eq!(status, Status::Ok);
        assert!(body.contains("Nguyễn Văn An"), "{query}");
    }
    let (_, body) = app.get_text("/admin/staff?q=tran+thi").await;
    assert!(!body.contains("Nguyễn Văn An"));
    // LIKE wildcards are literal.
    let (_, body) = app.get_text("/admin/staff?q=%25").await;
    assert!(!body.contains("Nguyễn Văn An"));

    let npc = unit(&app, "EVNNPC").await.id.to_string();
    let (status, form) = app.get_text(&format!("/admin/staff/{}/edit", row.id)).await;
    assert_eq!(status, Status::Ok);
    assert!(form.contains("value=\"Nguyễn Văn An\""));
    assert!(form.contains(&format!("value=\"{hanoi}\" selected")));
    let response = app
        .post_form(
            &format!("/admin/staff/{}/edit", row.id),
            &[
                ("employee_number", "OTHER-1"),
                ("full_name", "Nguyễn Văn Bình"),
                ("unit_id", npc.as_str()),
                ("position", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let edited = member(&app, "HN-0042").await.expect("the number is fixed");
    assert_eq!(edited.full_name_folded, "nguyen van binh");
    assert_eq!(edited.unit_id.to_string(), npc);
    assert_eq!(edited.position, None);
    assert!(member(&app, "OTHER-1").await.is_none());
    let (_, body) = app.get_text("/admin/staff?q=van+binh").await;
    assert!(body.contains("Nguyễn Văn Bình"));

    let created = audited(&app, "staff_created").await;
    let updated = audited(&app, "staff_updated").await;
    assert_eq!((created.len(), updated.len()), (1, 1));
    assert_eq!(details(&created[0])["employee_number"], "HN-0042");
    assert_eq!(
        details(&updated[0])["changed"],
        serde_json::json!(["full_name", "unit_id", "position"])
    );
    for entry in created.iter().chain(&updated) {
        let text = entry.details.clone().unwrap_or_default();
        assert!(
            !text.contains("Nguy"),
            "no names in the audit trail: {text}"
        );
    }
}

#[rocket::async_test]
async fn a_bad_or_taken_employee_is_refused_with_every_error_and_the_typed_values_kept() {
    let app = admin_app().await;
    let hanoi = unit(&app, "EVNHANOI").await.id.to_string();
    let fields = |number: &'static str, name: &'static str| {
        [
            ("employee_number", number),
            ("full_name", name),
            ("unit_id", "x"),
            ("position", ""),
        ]
    };
    let response = app.post_form("/admin/staff", &fields("NV 1", "")).await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let body = response.into_string().await.unwrap();
    assert!(body.contains("value=\"NV 1\""));
    assert!(body.contains("id=\"employee_number-error\""));
    assert!(body.contains("id=\"full_name-error\""));
    assert!(body.contains("id=\"unit_id-error\""));

    let good = [
        ("employee_number", "HN-1"),
        ("full_name", "Nguyễn Văn An"),
        ("unit_id", hanoi.as_str()),
    ];
    assert_eq!(
        app.post_form("/admin/staff", &good).await.status(),
        Status::SeeOther
    );
    let response = app.post_form("/admin/staff", &good).await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let body = response.into_string().await.unwrap();
    assert!(body.contains("Đã có nhân viên mang mã này."));
    assert_eq!(app.count("staff_member").await, 1);
    assert_eq!(audited(&app, "staff_created").await.len(), 1);
}

#[rocket::async_test]
async fn deactivating_and_reactivating_an_employee_each_need_confirmation() {
    let app = admin_app().await;
    let (status, _) = upload(&app, &csv(&["HN-1,Nguyễn Văn An,EVNHANOI,,"])).await;
    assert_eq!(status, Status::Ok);
    let id = member(&app, "HN-1").await.unwrap().id;

    let (status, page) = app.get_text(&format!("/admin/staff/{id}/deactivate")).await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains(&format!("action=\"/admin/staff/{id}/deactivate\"")));
    assert!(
        member(&app, "HN-1").await.unwrap().active,
        "GET changes nothing"
    );
    let response = app
        .post_form(&format!("/admin/staff/{id}/deactivate"), &[])
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert!(!member(&app, "HN-1").await.unwrap().active);
    let response = app
        .post_form(&format!("/admin/staff/{id}/deactivate"), &[])
        .await;
    assert_eq!(response.status(), Status::Conflict);

    let response = app
        .post_form(&format!("/admin/staff/{id}/reactivate"), &[])
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert!(member(&app, "HN-1").await.unwrap().active);
    assert_eq!(audited(&app, "staff_deactivated").await.len(), 1);
    assert_eq!(audited(&app, "staff_reactivated").await.len(), 1);
    let (status, _) = app.get_text("/admin/staff/999999/deactivate").await;
    assert_eq!(status, Status::NotFound);
}

#[rocket::async_test]
async fn the_staff_list_shows_fifty_employees_a_page() {
    let app = admin_app().await;
    let rows: Vec<String> = (1..=60)
        .map(|n| format!("NV-{n:03},Nhân viên {n:03},EVNNPC,,"))
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let (status, _) = upload(&app, &csv(&rows)).await;
    assert_eq!(status, Status::Ok);
    let (_, first) = app.get_text("/admin/staff").await;
    let (_, second) = app.get_text("/admin/staff?page=2").await;
    assert_eq!(first.matches("/edit\"").count(), 50);
    assert_eq!(second.matches("/edit\"").count(), 10);
    assert!(first.contains("NV-001") && !first.contains("NV-051"));
    assert!(second.contains("NV-060"));
    assert!(first.contains("page=2"));
}

// ---------------------------------------------------------------------------------------------
// CSV import
// ---------------------------------------------------------------------------------------------

#[rocket::async_test]
async fn a_good_csv_imports_every_row_and_a_second_import_updates_instead_of_duplicating() {
    let app = admin_app().await;
    let (status, form) = app.get_text("/admin/staff/import").await;
    assert_eq!(status, Status::Ok);
    assert!(form.contains("enctype=\"multipart/form-data\""));
    assert!(form.contains("type=\"file\""));

    let mut first = b"\xEF\xBB\xBF".to_vec();
    first.extend(csv(&[
        "hn-1,Nguyễn Văn An,EVNHANOI,Kiểm tra viên,true",
        "NPC-2,\"Trần, Thị Bình\",evnnpc,,",
        "NPC-3,Lê Văn Cường,EVNNPC,Thợ điện,false",
    ]));
    let (status, body) = upload(&app, &first).await;
    assert_eq!(status, Status::Ok, "{body}");
    assert!(body.contains("Đã nhập 3 dòng: thêm mới 3, cập nhật 0, không thay đổi 0."));
    assert_eq!(app.count("staff_member").await, 3);
    let an = member(&app, "HN-1").await.unwrap();
    assert_eq!(an.full_name_folded, "nguyen van an");
    assert_eq!(an.unit_id, unit(&app, "EVNHANOI").await.id);
    assert_eq!(
        member(&app, "NPC-2").await.unwrap().full_name,
        "Trần, Thị Bình"
    );
    assert!(!member(&app, "NPC-3").await.unwrap().active);

    let second = csv(&[
        "HN-1,Nguyễn Văn An,EVNNPC,Trưởng nhóm,true",
        "NPC-2,\"Trần, Thị Bình\",EVNNPC,,",
        "NPC-3,Lê Văn Cường,EVNNPC,Thợ điện,false",
        "NPC-4,Phạm Thị Dung,EVNNPC,,",
    ]);
    let (status, body) = upload(&app, &second).await;
    assert_eq!(status, Status::Ok, "{body}");
    assert!(body.contains("thêm mới 1, cập nhật 1, không thay đổi 2"));
    assert_eq!(app.count("staff_member").await, 4);
    let an = member(&app, "HN-1").await.unwrap();
    assert_eq!(an.unit_id, unit(&app, "EVNNPC").await.id);
    assert_eq!(an.position.as_deref(), Some("Trưởng nhóm"));

    let entries = audited(&app, "staff_imported").await;
    assert_eq!(entries.len(), 2);
    let last = details(&entries[1]);
    assert_eq!(last["source"], "web");
    assert_eq!(
        (
            &last["rows"],
            &last["inserted"],
            &last["updated"],
            &last["unchanged"]
        ),
        (
            &serde_json::json!(4),
            &serde_json::json!(1),
            &serde_json::json!(1),
            &serde_json::json!(2)
        )
    );
    assert_eq!(entries[1].actor_label, ADMIN);
    for entry in &entries {
        let text = entry.details.clone().unwrap_or_default();
        assert!(!text.contains("Nguy") && !text.contains("HN-1"), "{text}");
    }
}

#[rocket::async_test]
async fn a_csv_with_bad_lines_imports_nothing_and_lists_every_bad_line_with_its_reason() {
    let app = admin_app().await;
    let audit = app.count("audit_log").await;
    let (status, body) = upload(&app, &bad_csv()).await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(app.count("staff_member").await, 0, "all or nothing");
    assert_eq!(app.count("audit_log").await, audit);
    assert!(body.contains("Không nhập được: 4 dòng cần sửa."));
    for (line, reason) in [
        (3, "Không có đơn vị nào mang mã “NOWHERE”."),
        (4, "Mã nhân viên trùng với dòng 2."),
        (5, "Thiếu họ và tên."),
        (6, "Dòng không phải văn bản UTF-8 hợp lệ"),
    ] {
        let row = format!("<tr><th scope=\"row\">{line}</th><td>{reason}");
        assert!(body.contains(&row), "line {line}: {reason}\n{body}");
    }
    assert!(!body.contains("<th scope=\"row\">2</th>"));
    assert!(!body.contains("<th scope=\"row\">7</th>"));

    // The same file, in English.
    app.get_text("/staff?lang=en").await;
    let (status, body) = upload(&app, &bad_csv()).await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(body.contains("Import refused: 4 lines need fixing. Nothing was imported."));
    assert!(body.contains("No unit has the code “NOWHERE”."));
    assert!(body.contains("The employee number repeats line 2."));
    assert!(body.contains("The full name is missing."));
    assert!(body.contains("not valid UTF-8"));

    // No file at all, and a semicolon-separated export.
    let (status, body) = upload(&app, b"").await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(body.contains("id=\"file-error\""));
    let (status, body) = upload(
        &app,
        "employee_number;full_name;unit_code\nHN-1;An;EVNHANOI\n".as_bytes(),
    )
    .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(body.contains("not semicolons"));
    assert_eq!(app.count("staff_member").await, 0);
}

#[rocket::async_test]
async fn the_command_line_import_succeeds_and_fails_like_the_screen() {
    let app = TestApp::spawn().await;
    let good = app.data_dir.path().join("good.csv");
    std::fs::write(
        &good,
        csv(&[
            "HN-1,Nguyễn Văn An,EVNHANOI,,",
            "NPC-2,Trần Thị Bình,EVNNPC,,",
        ]),
    )
    .unwrap();
    let output = run_cli_import(&app, &good, Some("en_US.UTF-8"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains("Imported 2 rows: 2 added, 0 updated, 0 unchanged."),
        "{stdout}"
    );
    assert_eq!(app.count("staff_member").await, 2);
    let entries = audited(&app, "staff_imported").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor_label, "system");
    assert_eq!(details(&entries[0])["source"], "cli");

    let bad = app.data_dir.path().join("bad.csv");
    std::fs::write(&bad, bad_csv()).unwrap();
    let output = run_cli_import(&app, &bad, Some("en_US.UTF-8"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("Import refused: 4 lines need fixing."),
        "{stderr}"
    );
    for line in [
        "Line 3: No unit has the code “NOWHERE”.",
        "Line 4: The employee number repeats line 2.",
        "Line 5: The full name is missing.",
        "Line 6: The line is not valid UTF-8 text",
    ] {
        assert!(stderr.contains(line), "{line}\n{stderr}");
    }
    let output = run_cli_import(&app, &bad, None);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("Dòng 3: Không có đơn vị nào mang mã “NOWHERE”."),
        "{stderr}"
    );
    assert!(stderr.contains("Dòng 5: Thiếu họ và tên."), "{stderr}");
    assert_eq!(app.count("staff_member").await, 2, "nothing more imported");
    assert!(member(&app, "HN-5").await.is_none());
    assert_eq!(audited(&app, "staff_imported").await.len(), 1);

    let output = run_cli_import(&app, &app.data_dir.path().join("missing.csv"), None);
    assert!(!output.status.success());
}

// ---------------------------------------------------------------------------------------------
// Routing rules
// ---------------------------------------------------------------------------------------------

#[rocket::async_test]
async fn a_routing_rule_sends_new_reports_to_its_team_until_it_is_deleted() {
    let app = admin_app().await;
    let district = unit(&app, "PCHP-DLNGOQUYEN").await.id;
    let company = unit(&app, "PCHAIPHONG").await;
    let elsewhere = unit(&app, "PCNAMDINH").await.id.to_string();
    let rude = category(&app, "rude").await.id;
    let bribery = category(&app, "bribery").await.id;
    let board = team_named(&app, "Ban Thanh tra – Kiểm tra EVNNPC").await.id;

    let before = report_about(&app, district, rude).await;
    assert_eq!(
        before.team_id,
        Some(board),
        "no rule: the corporation's board"
    );

    let response = app
        .post_form(
            "/admin/teams",
            &[
                ("name", "Tổ tiếp nhận liên tỉnh"),
                ("org_unit_id", elsewhere.as_str()),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let team = team_named(&app, "Tổ tiếp nhận liên tỉnh").await.id;

    let (status, form) = app.get_text("/admin/routing/new").await;
    assert_eq!(status, Status::Ok);
    assert!(form.contains("value=\"any\" selected"));
    assert!(form.contains("Tổ tiếp nhận liên tỉnh"));
    let company_id = company.id.to_string();
    let team_id = team.to_string();
    let rule = [
        ("org_unit_id", company_id.as_str()),
        ("category_id", "any"),
        ("team_id", team_id.as_str()),
    ];
    let response = app.post_form("/admin/routing", &rule).await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), "/admin/routing");
    let (_, list) = app.get_text("/admin/routing").await;
    assert!(list.contains("Tổ tiếp nhận liên tỉnh"));
    assert!(list.contains("Mọi loại vi phạm"));

    let routed = report_about(&app, district, rude).await;
    assert_eq!(
        routed.team_id,
        Some(team),
        "the rule on the company covers its districts"
    );
    assert!(routed.routing_reason.contains("generic_rule"));
    let severe = report_about(&app, district, bribery).await;
    assert_eq!(
        severe.team_id,
        Some(board),
        "severe categories skip any-category rules below the corporation"
    );

    // One rule per unit and category.
    let response = app.post_form("/admin/routing", &rule).await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let body = response.into_string().await.unwrap();
    assert!(body.contains("id=\"category_id-error\""));
    assert_eq!(app.count("routing_rule").await, 1);

    let rule_id = routing_rule::Entity::find()
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .id;
    let (status, confirm) = app
        .get_text(&format!("/admin/routing/{rule_id}/delete"))
        .await;
    assert_eq!(status, Status::Ok);
    assert!(confirm.contains("Tổ tiếp nhận liên tỉnh"));
    assert_eq!(app.count("routing_rule").await, 1, "GET deletes nothing");
    let response = app
        .post_form(&format!("/admin/routing/{rule_id}/delete"), &[])
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(app.count("routing_rule").await, 0);
    let after = report_about(&app, district, rude).await;
    assert_eq!(after.team_id, Some(board));

    let created = audited(&app, "routing_rule_created").await;
    let deleted = audited(&app, "routing_rule_deleted").await;
    assert_eq!((created.len(), deleted.len()), (1, 1));
    assert_eq!(details(&deleted[0])["team_id"], team);
    assert_eq!(details(&deleted[0])["category_id"], Value::Null);
    let response = app
        .post_form(&format!("/admin/routing/{rule_id}/delete"), &[])
        .await;
    assert_eq!(response.status(), Status::NotFound);
}

#[rocket::async_test]
async fn a_rule_with_bad_choices_is_refused_with_every_error() {
    let app = admin_app().await;
    let response = app
        .post_form(
            "/admin/routing",
            &[
                ("org_unit_id", ""),
                ("category_id", "999999"),
                ("team_id", "999999"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let body = response.into_string().await.unwrap();
    for field in ["org_unit_id", "category_id", "team_id"] {
        assert!(body.contains(&format!("id=\"{field}-error\"")), "{field}");
    }
    assert_eq!(app.count("routing_rule").await, 0);
}

// ---------------------------------------------------------------------------------------------
// Holidays
// ---------------------------------------------------------------------------------------------

#[rocket::async_test]
async fn an_admin_adds_and_deletes_a_holiday_and_working_day_deadlines_follow() {
    let app = admin_app().await;
    let (status, list) = app.get_text("/admin/holidays?year=2026").await;
    assert_eq!(status, Status::Ok);
    assert!(
        list.contains(&escaped("01/01/2026")),
        "the shipped holidays are listed"
    );

    let district = unit(&app, "PCHP-DLNGOQUYEN").await.id;
    let rude = category(&app, "rude").await.id;
    let due_before = report_about(&app, district, rude).await.acceptance_due;

    let response = app
        .post_form(
            "/admin/holidays",
            &[
                ("day", "2026-12-01"),
                ("name_vi", "Ngày nghỉ thử"),
                ("name_en", "Test day off"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), "/admin/holidays?year=2026");
    let (_, list) = app.get_text("/admin/holidays?year=2026").await;
    assert!(list.contains(&escaped("01/12/2026")) && list.contains("Ngày nghỉ thử"));
    let due_after = report_about(&app, district, rude).await.acceptance_due;
    assert_eq!(
        due_after,
        due_before.succ_opt().unwrap(),
        "one more day off within the 7 working days"
    );

    let response = app
        .post_form(
            "/admin/holidays",
            &[
                ("day", "2026-12-01"),
                ("name_vi", "Lặp"),
                ("name_en", "Again"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let body = response.into_string().await.unwrap();
    assert!(body.contains("Ngày này đã là ngày nghỉ."));
    assert!(body.contains("value=\"Lặp\""));

    let id = holiday::Entity::find()
        .filter(holiday::Column::NameEn.eq("Test day off"))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .id;
    let (status, confirm) = app.get_text(&format!("/admin/holidays/{id}/delete")).await;
    assert_eq!(status, Status::Ok);
    assert!(confirm.contains(&escaped("01/12/2026")));
    let response = app
        .post_form(&format!("/admin/holidays/{id}/delete"), &[])
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert!(holiday::Entity::find_by_id(id)
        .one(app.state().db.conn())
        .await
        .unwrap()
        .is_none());
    let due_again = report_about(&app, district, rude).await.acceptance_due;
    assert_eq!(due_again, due_before);

    let created = audited(&app, "holiday_created").await;
    let deleted = audited(&app, "holiday_deleted").await;
    assert_eq!((created.len(), deleted.len()), (1, 1));
    assert_eq!(details(&deleted[0])["day"], "2026-12-01");
    let (status, _) = app.get_text("/admin/holidays?year=1800").await;
    assert_eq!(status, Status::NotFound);
}

// ---------------------------------------------------------------------------------------------
// Canned replies
// ---------------------------------------------------------------------------------------------

#[rocket::async_test]
async fn an_admin_creates_edits_and_deactivates_a_canned_reply() {
    let app = admin_app().await;
    let fields = |title_vi: &'static str| {
        [
            ("code", " Ask_More_Details "),
            ("title_vi", title_vi),
            ("title_en", "Ask for details"),
            (
                "body_vi",
                "Xin anh/chị cho biết thêm thời gian và địa điểm.",
            ),
            ("body_en", "Please tell us when and where it happened."),
        ]
    };
    let response = app
        .post_form("/admin/canned-replies", &fields("Hỏi thêm chi tiết"))
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let reply = canned_reply::Entity::find()
        .filter(canned_reply::Column::Code.eq("ask_more_details"))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .expect("stored lower-case");
    assert!(reply.active);

    let response = app
        .post_form("/admin/canned-replies", &fields("Trùng mã"))
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let body = response.into_string().await.unwrap();
    assert!(body.contains("Đã có mẫu trả lời dùng mã này."));
    assert!(body.contains("value=\"Trùng mã\""));
    assert_eq!(app.count("canned_reply").await, 1);

    let path = format!("/admin/canned-replies/{}/edit", reply.id);
    let (status, form) = app.get_text(&path).await;
    assert_eq!(status, Status::Ok);
    assert!(form.contains("Xin anh"));
    let response = app
        .post_form(
            &path,
            &[
                ("code", "renamed"),
                ("title_vi", "Đề nghị bổ sung thông tin"),
                ("title_en", "Ask for details"),
                (
                    "body_vi",
                    "Xin anh/chị cho biết thêm thời gian và địa điểm.",
                ),
                ("body_en", "Please tell us when and where it happened."),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let edited = canned_reply::Entity::find_by_id(reply.id)
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(edited.code, "ask_more_details", "the code is fixed");
    assert_eq!(edited.title_vi, "Đề nghị bổ sung thông tin");
    let (_, list) = app.get_text("/admin/canned-replies").await;
    assert!(list.contains("Đề nghị bổ sung thông tin"));

    let response = app
        .post_form(
            &format!("/admin/canned-replies/{}/deactivate", reply.id),
            &[],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let (status, _) = app
        .get_text(&format!("/admin/canned-replies/{}/reactivate", reply.id))
        .await;
    assert_eq!(status, Status::Ok);
    assert!(
        !canned_reply::Entity::find_by_id(reply.id)
            .one(app.state().db.conn())
            .await
            .unwrap()
            .unwrap()
            .active
    );

    assert_eq!(audited(&app, "canned_reply_created").await.len(), 1);
    let updated = audited(&app, "canned_reply_updated").await;
    assert_eq!(updated.len(), 1);
    assert_eq!(
        details(&updated[0])["changed"],
        serde_json::json!(["title_vi"])
    );
    assert_eq!(audited(&app, "canned_reply_deactivated").await.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Languages
// ---------------------------------------------------------------------------------------------

#[rocket::async_test]
async fn every_directory_screen_renders_in_english_and_in_vietnamese() {
    let app = admin_app().await;
    let (status, _) = upload(&app, &csv(&["HN-1,Nguyễn Văn An,EVNHANOI,,"])).await;
    assert_eq!(status, Status::Ok);
    let staff_id = member(&app, "HN-1").await.unwrap().id;
    let hanoi = unit(&app, "EVNHANOI").await.id.to_string();
    let board = team_named(&app, "Ban Thanh tra – Kiểm tra EVNHANOI")
        .await
        .id
        .to_string();
    let rude = category(&app, "rude").await.id.to_string();
    app.post_form(
        "/admin/routing",
        &[
            ("org_unit_id", hanoi.as_str()),
            ("category_id", rude.as_str()),
            ("team_id", board.as_str()),
        ],
    )
    .await;
    let rule_id = routing_rule::Entity::find()
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .id;
    let holiday_id = holiday::Entity::find()
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .id;
    app.post_form(
        "/admin/canned-replies",
        &[
            ("code", "thanks"),
            ("title_vi", "Cảm ơn"),
            ("title_en", "Thanks"),
            ("body_vi", "Cảm ơn anh/chị."),
            ("body_en", "Thank you."),
        ],
    )
    .await;
    let reply_id = canned_reply::Entity::find()
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .id;
    let pages = [
        "/admin/staff".to_string(),
        "/admin/staff?q=nguyen".to_string(),
        "/admin/staff/new".to_string(),
        format!("/admin/staff/{staff_id}/edit"),
        format!("/admin/staff/{staff_id}/deactivate"),
        format!("/admin/staff/{staff_id}/reactivate"),
        "/admin/staff/import".to_string(),
        "/admin/routing".to_string(),
        "/admin/routing/new".to_string(),
        format!("/admin/routing/{rule_id}/delete"),
        "/admin/holidays".to_string(),
        "/admin/holidays?year=2027".to_string(),
        "/admin/holidays/new".to_string(),
        format!("/admin/holidays/{holiday_id}/delete"),
        "/admin/canned-replies".to_string(),
        "/admin/canned-replies/new".to_string(),
        format!("/admin/canned-replies/{reply_id}/edit"),
        format!("/admin/canned-replies/{reply_id}/deactivate"),
        format!("/admin/canned-replies/{reply_id}/reactivate"),
    ];
    for (lang, marker) in [("en", "Staff directory"), ("vi", "Danh bạ nhân viên")] {
        app.get_text(&format!("/staff?lang={lang}")).await;
        for path in &pages {
            let (status, body) = app.get_text(path).await;
            assert_eq!(status, Status::Ok, "{path} in {lang}");
            assert!(
                body.contains(&format!("<html lang=\"{lang}\">")),
                "{path} in {lang}"
            );
            assert!(!body.contains("Unknown localization"), "{path} in {lang}");
            for prefix in [
                "admin-staff-",
                "admin-routing-",
                "admin-holiday-",
                "admin-canned-",
            ] {
                assert!(!body.contains(prefix), "{path} in {lang}: raw key {prefix}");
            }
        }
        let (_, body) = app.get_text("/admin/staff").await;
        assert!(body.contains(marker), "{lang}");
    }
    let (_, body) = app.get_text("/admin/routing?lang=en").await;
    assert!(body.contains("most specific match wins"));
    assert!(body.contains("inspection team of the power corporation or of EVN"));
    assert!(body.contains("starts one level up"));
    let (_, body) = app.get_text("/admin/holidays?year=2026&lang=en").await;
    assert!(body.contains("New Year"));
}

#[rocket::async_test]
async fn holding_a_managerial_post_is_set_on_the_form_and_by_an_optional_import_column() {
    // Labour Code Art. 124: removal from post applies only to a person holding a post.
    let app = admin_app().await;
    let (_, form) = app.get_text("/admin/staff/new").await;
    assert!(form.contains("name=\"holds_post\""));
    assert!(
        form.contains("Điều 124 Bộ luật Lao động 2019"),
        "the hint cites it"
    );
    let unit_id = unit(&app, "EVNHANOI").await.id.to_string();
    let response = app
        .post_form(
            "/admin/staff",
            &[
                ("employee_number", "HN-77"),
                ("full_name", "Trưởng Phòng Bảy"),
                ("unit_id", unit_id.as_str()),
                ("position", "Trưởng phòng Kinh doanh"),
                ("holds_post", "true"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert!(member(&app, "HN-77").await.unwrap().holds_post);

    let header = "employee_number,full_name,unit_code,holds_post";
    let bad =
        format!("{header}\nHN-1,Nguyễn Văn An,EVNHANOI,có\nHN-2,Trần Thị Bình,EVNHANOI,maybe\n");
    let (status, body) = upload(&app, bad.as_bytes()).await;
    assert_eq!(status, Status::UnprocessableEntity);
    let row = "<tr><th scope=\"row\">3</th><td>Giá trị “maybe” của cột holds_post không hợp lệ";
    assert!(body.contains(row), "{body}");
    assert!(member(&app, "HN-1").await.is_none(), "all or nothing");

    // 1/0, true/false, có/không; empty keeps the directory's value.
    let good = format!(
        "{header}\nHN-1,Nguyễn Văn An,EVNHANOI,Có\nHN-2,Trần Thị Bình,EVNHANOI,0\n\
         HN-77,Trưởng Phòng Bảy,EVNHANOI,\nHN-3,Lê Văn Ba,EVNHANOI,\n"
    );
    let (status, _) = upload(&app, good.as_bytes()).await;
    assert_eq!(status, Status::Ok);
    assert!(member(&app, "HN-1").await.unwrap().holds_post);
    assert!(!member(&app, "HN-2").await.unwrap().holds_post);
    assert!(
        member(&app, "HN-77").await.unwrap().holds_post,
        "empty keeps it"
    );
    assert!(
        !member(&app, "HN-3").await.unwrap().holds_post,
        "a new employee holds none"
    );
    let demoted = format!("{header}\nHN-77,Trưởng Phòng Bảy,EVNHANOI,không\n");
    let (status, _) = upload(&app, demoted.as_bytes()).await;
    assert_eq!(status, Status::Ok);
    assert!(!member(&app, "HN-77").await.unwrap().holds_post);
}
