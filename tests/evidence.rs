//! Evidence files: uploads with the report and from the follow-up page, typing by content,
//! metadata removal, encryption at rest, authorization and audit of downloads, key rotation.

use conduct_portal::domain::roles::Role;
use conduct_portal::platform::evidence;
use conduct_portal::platform::persistence::entities::{evidence_file, report_key};
use rocket::http::Status;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::support::*;

const GPS: &str = "GPS-21.0285N-105.8542E";

async fn report_fields(app: &TestApp) -> Vec<(&'static str, String)> {
    vec![
        ("unit_id", unit_id(app, "PCHK-PGDHANGBAC").await.to_string()),
        ("occurred_on", "2026-11-20".to_string()),
        ("category_id", category_id(app, "rude").await.to_string()),
        (
            "description",
            "Nhân viên thu tiền điện quát tháo, đòi thêm tiền mới ghi hoá đơn.".to_string(),
        ),
        ("identity", "anonymous".to_string()),
    ]
}

/// Submits a report with `files`; returns the response status and, when accepted, the code.
async fn report_with(
    app: &TestApp,
    description: Option<&str>,
    files: &[Part<'_>],
) -> (Status, String) {
    let mut fields = report_fields(app).await;
    if let Some(text) = description {
        fields.retain(|(n, _)| *n != "description");
        fields.push(("description", text.to_string()));
    }
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let response = app.post_multipart("/report", &borrowed, files).await;
    let status = response.status();
    let body = response.into_string().await.unwrap_or_default();
    if status != Status::SeeOther {
        return (status, body);
    }
    let (_, receipt) = app.get_text("/report/receipt").await;
    (status, receipt_from(&receipt).expect("a receipt code"))
}

fn file_ids(page: &str, prefix: &str) -> Vec<i32> {
    let mut ids = Vec::new();
    let mut rest = page;
    while let Some(at) = rest.find(prefix) {
        rest = &rest[at + prefix.len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(id) = digits.parse() {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}

async fn fetch(app: &TestApp, path: &str) -> (Status, Vec<u8>, Vec<(String, String)>) {
    let response = app.client.get(path.to_string()).dispatch().await;
    let status = response.status();
    let headers = response
        .headers()
        .iter()
        .map(|h| (h.name().to_string(), h.value().to_string()))
        .collect();
    (
        status,
        response.into_bytes().await.unwrap_or_default(),
        headers,
    )
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn stored_objects(app: &TestApp) -> Vec<std::path::PathBuf> {
    let dir = app.data_dir.path().join("objects").join("evidence");
    std::fs::read_dir(dir)
        .map(|entries| entries.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default()
}

fn pdf(marker: &str) -> Vec<u8> {
    format!("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n({marker})\n%%EOF\n").into_bytes()
}

/// `inspector` asks for the original of `file` and a custodian approves it; the client is
/// signed in as `inspector` again afterwards.
async fn approve_original(app: &TestApp, case: i32, file: i32, inspector: &str) {
    use conduct_portal::platform::persistence::entities::original_request;
    let path = format!("/cases/{case}/files/{file}/original-request");
    let reason = "Cần vị trí chụp để đối chiếu với hiện trường";
    let response = app.post_form(&path, &[("reason", reason)]).await;
    assert_eq!(response.status(), Status::SeeOther);
    let request = original_request::Entity::find()
        .filter(original_request::Column::EvidenceFileId.eq(file))
        .filter(original_request::Column::Status.eq("pending"))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .expect("a pending request");
    let custodian = "giu.bi.mat@evn.vn";
    if !audited_user_exists(app, custodian).await {
        create_user(app, custodian, &[Role::Custodian]).await;
    }
    become_user(app, custodian).await;
    let (_, list) = app.get_text("/custodian").await;
    assert!(list.contains(reason) && list.contains("Bản gốc của tệp"));
    let response = app
        .post_form(
            &format!("/custodian/originals/{}/approve", request.id),
            &[("note", "")],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    become_user(app, inspector).await;
}

async fn audited_user_exists(app: &TestApp, email: &str) -> bool {
    use conduct_portal::platform::persistence::entities::app_user;
    app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .is_some()
}

#[rocket::async_test]
async fn an_original_needs_a_custodians_approval_that_runs_out() {
    use conduct_portal::platform::persistence::entities::original_request;
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(&app, team, "anh.chup@evn.vn", &[Role::Inspector]).await;
    member(&app, team, "dong.nghiep@evn.vn", &[Role::Inspector]).await;
    let photo = jpeg_with_exif(GPS);
    let (status, _) = report_with(
        &app,
        None,
        &[Part {
            field: "files",
            file_name: "IMG_0002.JPG",
            bytes: &photo,
        }],
    )
    .await;
    assert_eq!(status, Status::SeeOther);
    let id = newest_case(&app).await;
    let file = evidence_file::Entity::find()
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .id;
    let original = format!("/cases/{id}/files/{file}/original");
    let request = format!("/cases/{id}/files/{file}/original-request");

    sign_in(&app, "anh.chup@evn.vn").await;
    let (status, body, _) = fetch(&app, &original).await;
    assert_eq!(status, Status::Forbidden, "no approval");
    assert!(!contains(&body, GPS.as_bytes()));
    let response = app.post_form(&request, &[("reason", "cần")]).await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(
        app.count("original_request").await,
        0,
        "a reason is required"
    );
    let reason = [("reason", "Cần vị trí chụp để đối chiếu hiện trường")];
    app.post_form(&request, &reason).await;
    app.post_form(&request, &reason).await;
    assert_eq!(
        app.count("original_request").await,
        1,
        "one pending at a time"
    );
    assert_eq!(fetch(&app, &original).await.0, Status::Forbidden, "pending");
    let pending = original_request::Entity::find()
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();

    // The requester cannot approve it, even holding the custodian role; another custodian denies.
    create_user(&app, "giu.bi.mat@evn.vn", &[Role::Custodian]).await;
    become_user(&app, "giu.bi.mat@evn.vn").await;
    let response = app
        .post_form(
            &format!("/custodian/originals/{}/deny", pending.id),
            &[("note", "Chưa đủ lý do")],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    become_user(&app, "anh.chup@evn.vn").await;
    assert_eq!(fetch(&app, &original).await.0, Status::Forbidden, "denied");

    approve_original(&app, id, file, "anh.chup@evn.vn").await;
    let (status, body, _) = fetch(&app, &original).await;
    assert_eq!(status, Status::Ok);
    assert_eq!(body, photo);
    become_user(&app, "dong.nghiep@evn.vn").await;
    assert_eq!(
        fetch(&app, &original).await.0,
        Status::Forbidden,
        "the approval is the requester's alone"
    );
    app.clock.advance(chrono::Duration::hours(25));
    sign_in(&app, "anh.chup@evn.vn").await;
    assert_eq!(fetch(&app, &original).await.0, Status::Forbidden, "ran out");
    assert_eq!(audited(&app, "original_requested").await, 2);
    assert_eq!(audited(&app, "original_request_denied").await, 1);
    assert_eq!(audited(&app, "original_request_approved").await, 1);
    assert_eq!(audited(&app, "evidence_original_downloaded").await, 1);
}

#[rocket::async_test]
async fn a_photo_reaches_the_inspector_without_its_gps_and_only_the_warned_original_has_it() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(&app, team, "anh.chup@evn.vn", &[Role::Inspector]).await;
    let photo = jpeg_with_exif(GPS);
    let (status, code) = report_with(
        &app,
        None,
        &[Part {
            field: "files",
            file_name: "IMG_0001.JPG",
            bytes: &photo,
        }],
    )
    .await;
    assert_eq!(status, Status::SeeOther, "{code}");
    let id = newest_case(&app).await;

    assert_eq!(open_follow_up(&app, &code).await, Status::SeeOther);
    let (_, page) = app.get_text("/follow-up/status").await;
    assert!(page.contains("IMG_0001.JPG"));
    assert!(
        page.contains("EXIF (máy chụp, thời điểm, vị trí GPS)"),
        "the reporter is told what was removed"
    );
    let ids = file_ids(&page, "/follow-up/files/");
    assert_eq!(ids.len(), 1);
    let (status, body, headers) = fetch(&app, &format!("/follow-up/files/{}", ids[0])).await;
    assert_eq!(status, Status::Ok);
    assert!(
        !contains(&body, GPS.as_bytes()),
        "the cleaned copy has no GPS"
    );
    assert!(body.starts_with(&[0xFF, 0xD8]) && body.ends_with(&[0xFF, 0xD9]));
    assert!(header(&headers, "Content-Disposition")
        .unwrap()
        .starts_with("attachment;"));
    assert!(header(&headers, "Content-Security-Policy")
        .unwrap()
        .contains("sandbox"));
    assert_eq!(header(&headers, "X-Content-Type-Options"), Some("nosniff"));
    assert_eq!(header(&headers, "Content-Type"), Some("image/jpeg"));

    sign_in(&app, "anh.chup@evn.vn").await;
    let (_, case_page) = app.get_text(&format!("/cases/{id}")).await;
    assert!(case_page.contains("IMG_0001.JPG"));
    let file = ids[0];
    assert!(case_page.contains("Xin bản gốc"), "asked for, not linked");
    assert!(!case_page.contains(&format!("/files/{file}/original\"")));
    let (status, cleaned, _) = fetch(&app, &format!("/cases/{id}/files/{file}")).await;
    assert_eq!(status, Status::Ok);
    assert!(!contains(&cleaned, GPS.as_bytes()));
    approve_original(&app, id, file, "anh.chup@evn.vn").await;
    let (status, original, headers) =
        fetch(&app, &format!("/cases/{id}/files/{file}/original")).await;
    assert_eq!(status, Status::Ok);
    assert_eq!(original, photo, "the original is kept byte for byte");
    assert!(header(&headers, "Content-Disposition")
        .unwrap()
        .starts_with("attachment;"));
    let (status, _, headers) = fetch(&app, &format!("/cases/{id}/files/{file}/preview")).await;
    assert_eq!(status, Status::Ok);
    assert!(header(&headers, "Content-Disposition")
        .unwrap()
        .starts_with("inline;"));

    assert_eq!(audited(&app, "evidence_downloaded").await, 2);
    assert_eq!(audited(&app, "evidence_original_downloaded").await, 1);
    assert_eq!(audited(&app, "evidence_previewed").await, 1);
}

#[rocket::async_test]
async fn html_named_jpg_a_polyglot_and_a_lying_name_are_refused_and_nothing_is_kept() {
    let app = TestApp::spawn().await;
    let html = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>";
    let mut polyglot = jpeg_with_exif("x");
    polyglot.extend_from_slice(b"<html><script>fetch('/cases')</script></html>");
    let mut zipped = jpeg_with_exif("x");
    zipped.extend_from_slice(b"PK\x03\x04\x14\0\0\0\0\0evil.js");
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>";
    let exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0\xb8\0\0\0\0\0\0\0@\0\0\0";
    let cases: [(&str, &[u8], &str); 5] = [
        ("anh.jpg", html, "loại tệp này không được phép"),
        (
            "anh.jpg",
            &polyglot,
            "mã lệnh hoặc một định dạng khác ẩn bên trong",
        ),
        (
            "anh.jpg",
            &zipped,
            "mã lệnh hoặc một định dạng khác ẩn bên trong",
        ),
        ("hinh.svg", svg, "loại tệp này không được phép"),
        ("bien-ban.pdf", exe, "loại tệp này không được phép"),
    ];
    for (name, bytes, message) in cases {
        let (status, page) = report_with(
            &app,
            None,
            &[Part {
                field: "files",
                file_name: name,
                bytes,
            }],
        )
        .await;
        assert_eq!(status, Status::UnsupportedMediaType, "{name}");
        assert!(page.contains(message), "{name}: {message}");
        assert!(page.contains("JPEG, PNG, WebP, HEIC, PDF, MP3, M4A, OGG, MP4, DOCX, XLSX"));
        assert!(
            page.contains("đòi thêm tiền mới ghi hoá đơn"),
            "what was typed is kept"
        );
    }
    let (status, page) = report_with(
        &app,
        None,
        &[Part {
            field: "files",
            file_name: "anh-hien-truong.jpg",
            bytes: &pdf("x"),
        }],
    )
    .await;
    assert_eq!(status, Status::UnsupportedMediaType);
    assert!(page.contains("nội dung không khớp với đuôi tên tệp"));
    assert_eq!(app.count("report").await, 0);
    assert_eq!(app.count("evidence_file").await, 0);
    assert!(
        stored_objects(&app).is_empty(),
        "refused uploads leave no object"
    );
}

#[rocket::async_test]
async fn an_oversized_file_or_too_many_files_get_a_clear_page_and_nothing_is_stored() {
    let app = TestApp::spawn_with(|f| {
        f.merge((
            "evidence",
            serde_json::json!({"max_file_mb": 1, "max_files": 2}),
        ))
    })
    .await;
    let mut big = pdf("x");
    big.resize(1024 * 1024 + 10, b' ');
    let (status, page) = report_with(
        &app,
        None,
        &[
            Part {
                field: "files",
                file_name: "nho.pdf",
                bytes: &pdf("a"),
            },
            Part {
                field: "files",
                file_name: "lon.pdf",
                bytes: &big,
            },
        ],
    )
    .await;
    assert_eq!(status, Status::PayloadTooLarge);
    assert!(
        page.contains("Không nhận tệp “lon.pdf”: tệp lớn hơn 1 MB"),
        "{page}"
    );
    assert!(page.contains("đòi thêm tiền mới ghi hoá đơn"));
    let small = pdf("b");
    let three = [
        Part {
            field: "files",
            file_name: "1.pdf",
            bytes: &small,
        },
        Part {
            field: "files",
            file_name: "2.pdf",
            bytes: &small,
        },
        Part {
            field: "files",
            file_name: "3.pdf",
            bytes: &small,
        },
    ];
    let (status, page) = report_with(&app, None, &three).await;
    assert_eq!(status, Status::PayloadTooLarge);
    assert!(page.contains("tối đa 2 tệp"));
    assert_eq!(app.count("report").await, 0);
    assert_eq!(app.count("evidence_file").await, 0);
    assert!(
        stored_objects(&app).is_empty(),
        "the first, accepted file was discarded too"
    );
}

#[rocket::async_test]
async fn path_traversal_names_are_only_display_text() {
    let app = TestApp::spawn().await;
    let (status, code) = report_with(
        &app,
        None,
        &[Part {
            field: "files",
            file_name: "../../../../tmp/evil\\..\\bien-ban.pdf",
            bytes: &pdf("x"),
        }],
    )
    .await;
    assert_eq!(status, Status::SeeOther);
    let row = evidence_file::Entity::find()
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.display_name, "bien-ban.pdf");
    let objects = stored_objects(&app);
    assert_eq!(objects.len(), 1);
    let name = objects[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    assert!(
        name.len() == 32 && name.chars().all(|c| c.is_ascii_hexdigit()),
        "{name}"
    );
    assert_eq!(row.object_key, format!("evidence/{name}"));
    open_follow_up(&app, &code).await;
    let (_, page) = app.get_text("/follow-up/status").await;
    assert!(page.contains(">bien-ban.pdf</a>"));
    let id = file_ids(&page, "/follow-up/files/")[0];
    let (_, _, headers) = fetch(&app, &format!("/follow-up/files/{id}")).await;
    assert_eq!(
        header(&headers, "Content-Disposition"),
        Some("attachment; filename=\"bien-ban.pdf\"; filename*=UTF-8''bien-ban.pdf")
    );
}

#[rocket::async_test]
async fn neither_report_text_replies_nor_files_are_on_disk_in_plaintext_yet_all_are_readable() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(&app, team, "doc.mat@evn.vn", &[Role::Inspector]).await;
    let text_marker = "Chuyenvien BIMATMOTA7731 nhan tien";
    let file_marker = "BIMATTEP4410";
    let (status, _) = report_with(
        &app,
        Some(text_marker),
        &[Part {
            field: "files",
            file_name: "hoa-don.pdf",
            bytes: &pdf(file_marker),
        }],
    )
    .await;
    assert_eq!(status, Status::SeeOther);
    let id = newest_case(&app).await;

    let (_, code) = report_with(&app, Some("Một phản ánh khác để gửi trả lời"), &[]).await;
    let replied = newest_case(&app).await;
    open_follow_up(&app, &code).await;
    let response = app
        .post_form(
            "/follow-up/reply",
            &[("body", "Tôi bổ sung: TRALOIBIMAT5520 vào hôm sau.")],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let (_, status_page) = app.get_text("/follow-up/status").await;
    assert!(
        status_page.contains("TRALOIBIMAT5520"),
        "the reporter reads their reply"
    );

    let disk = read_tree(app.data_dir.path());
    assert!(!contains(&disk, b"BIMATMOTA7731"), "report text on disk");
    assert!(!contains(&disk, b"TRALOIBIMAT5520"), "a reply on disk");
    assert!(
        !contains(&disk, file_marker.as_bytes()),
        "file content on disk"
    );
    let database = app.dump_database().await;
    assert!(!database.contains("BIMATMOTA7731"));
    assert!(!database.contains("TRALOIBIMAT5520"));
    assert!(
        !database.contains("bimatmota7731"),
        "not even folded for search"
    );

    sign_in(&app, "doc.mat@evn.vn").await;
    let (_, page) = app.get_text(&format!("/cases/{id}")).await;
    assert!(page.contains(text_marker), "inspectors read the text");
    let (_, inbox) = app.get_text("/cases?q=bimatmota7731").await;
    assert!(
        inbox.contains(&format!("/cases/{id}\"")),
        "a whole word still finds the case"
    );
    let (_, inbox) = app.get_text("/cases?q=bimatmota").await;
    assert!(
        !inbox.contains(&format!("/cases/{id}\"")),
        "a fragment of a sealed word does not"
    );
    let file = file_ids(&page, &format!("/cases/{id}/files/"))[0];
    let (status, body, _) = fetch(&app, &format!("/cases/{id}/files/{file}")).await;
    assert_eq!(status, Status::Ok);
    assert_eq!(body, pdf(file_marker));
    let (_, replied_page) = app.get_text(&format!("/cases/{replied}")).await;
    assert!(
        replied_page.contains("TRALOIBIMAT5520"),
        "inspectors read the reply"
    );
}

#[rocket::async_test]
async fn a_reporter_sees_shared_files_only_and_never_another_reports() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(&app, team, "gui.tep@evn.vn", &[Role::Inspector]).await;
    let (_, first_code) = report_with(&app, None, &[]).await;
    let first = newest_case(&app).await;
    let (_, second_code) = report_with(
        &app,
        None,
        &[Part {
            field: "files",
            file_name: "cua-toi.pdf",
            bytes: &pdf("mine"),
        }],
    )
    .await;
    let second = newest_case(&app).await;

    sign_in(&app, "gui.tep@evn.vn").await;
    let response = app
        .post_multipart(
            &format!("/cases/{first}/files"),
            &[("visibility", "internal")],
            &[Part {
                field: "files",
                file_name: "bien-ban-noi-bo.pdf",
                bytes: &pdf("internal"),
            }],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let response = app
        .post_multipart(
            &format!("/cases/{first}/files"),
            &[("visibility", "shared")],
            &[Part {
                field: "files",
                file_name: "ket-luan.pdf",
                bytes: &pdf("shared"),
            }],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(audited(&app, "evidence_uploaded").await, 2);
    let (_, page) = app.get_text(&format!("/cases/{first}")).await;
    let staff_ids = file_ids(&page, &format!("/cases/{first}/files/"));
    assert_eq!(staff_ids.len(), 2);
    let (internal, shared) = (staff_ids[0], staff_ids[1]);

    open_follow_up(&app, &first_code).await;
    let (_, status_page) = app.get_text("/follow-up/status").await;
    assert!(status_page.contains("ket-luan.pdf"));
    assert!(!status_page.contains("bien-ban-noi-bo.pdf"));
    let (status, body, _) = fetch(&app, &format!("/follow-up/files/{shared}")).await;
    assert_eq!(status, Status::Ok);
    assert_eq!(body, pdf("shared"));
    let (status, _, _) = fetch(&app, &format!("/follow-up/files/{internal}")).await;
    assert_eq!(status, Status::NotFound, "an internal file");

    // The reporter adds a file later from the follow-up page.
    let response = app
        .post_multipart(
            "/follow-up/files",
            &[],
            &[Part {
                field: "files",
                file_name: "bo-sung.pdf",
                bytes: &pdf("later"),
            }],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let (_, status_page) = app.get_text("/follow-up/status").await;
    assert!(status_page.contains("bo-sung.pdf"));
    assert!(status_page.contains("Bổ sung tệp bằng chứng"));

    open_follow_up(&app, &second_code).await;
    let (_, second_page) = app.get_text("/follow-up/status").await;
    let own = file_ids(&second_page, "/follow-up/files/");
    assert_eq!(own.len(), 1);
    for other in [internal, shared] {
        let (status, _, _) = fetch(&app, &format!("/follow-up/files/{other}")).await;
        assert_eq!(status, Status::NotFound, "another report's file");
    }
    assert_eq!(
        evidence_file::Entity::find_by_id(own[0])
            .one(app.state().db.conn())
            .await
            .unwrap()
            .unwrap()
            .report_id,
        second
    );
}

#[rocket::async_test]
async fn an_inspector_of_another_team_gets_404_for_files_and_uploads() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(&app, team, "dung.doi@evn.vn", &[Role::Inspector]).await;
    let other = team_at(&app, "PCBADINH", "Tổ Ba Đình").await;
    member(&app, other, "khac.doi@evn.vn", &[Role::Inspector]).await;
    report_with(
        &app,
        None,
        &[Part {
            field: "files",
            file_name: "a.pdf",
            bytes: &pdf("a"),
        }],
    )
    .await;
    let id = newest_case(&app).await;
    let file = evidence_file::Entity::find()
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .id;

    sign_in(&app, "khac.doi@evn.vn").await;
    for suffix in ["", "/original", "/preview"] {
        let (status, _, _) = fetch(&app, &format!("/cases/{id}/files/{file}{suffix}")).await;
        assert_eq!(status, Status::NotFound, "{suffix}");
    }
    let response = app
        .post_multipart(
            &format!("/cases/{id}/files"),
            &[],
            &[Part {
                field: "files",
                file_name: "b.pdf",
                bytes: &pdf("b"),
            }],
        )
        .await;
    assert_eq!(response.status(), Status::NotFound);
    assert_eq!(app.count("evidence_file").await, 1);

    app.post_form("/staff/sign-out", &[]).await;
    sign_in(&app, "dung.doi@evn.vn").await;
    let (status, _, _) = fetch(&app, &format!("/cases/{id}/files/{file}")).await;
    assert_eq!(status, Status::Ok);
    let (status, _, _) = fetch(&app, &format!("/cases/{}/files/{file}", id + 1)).await;
    assert_eq!(
        status,
        Status::NotFound,
        "a file is reached only through its own case"
    );
}

#[rocket::async_test]
async fn key_rotation_rewraps_every_data_key_and_leaves_files_and_text_readable() {
    let app = TestApp::spawn().await;
    let photo = jpeg_with_exif(GPS);
    for _ in 0..3 {
        let (status, _) = report_with(
            &app,
            Some("Nội dung cần đọc lại sau khi đổi khoá chính"),
            &[Part {
                field: "files",
                file_name: "anh.jpg",
                bytes: &photo,
            }],
        )
        .await;
        assert_eq!(status, Status::SeeOther);
    }
    let state = app.state();
    let old = state.config.master_key.clone();
    let mut rotated = state.config.clone();
    rotated.master_key = conduct_portal::platform::crypto::SecretKey32::generate();
    rotated.previous_master_keys = vec![old.clone()];
    let mut seen = Vec::new();
    let outcome =
        evidence::keys::rotate(&state.db, &rotated, |done, total| seen.push((done, total)))
            .await
            .unwrap();
    assert_eq!(outcome.data_keys, 3);
    assert_eq!(seen.first(), Some(&(0, 3)));
    assert_eq!(seen.last(), Some(&(3, 3)));
    let again = evidence::keys::rotate(&state.db, &rotated, |_, _| {})
        .await
        .unwrap();
    assert_eq!(again.data_keys, 0, "a second run has nothing left to do");

    // With only the new key, every data key, text and file still opens.
    let mut only_new = rotated.clone();
    only_new.previous_master_keys.clear();
    let keys = report_key::Entity::find()
        .all(state.db.conn())
        .await
        .unwrap();
    assert!(keys
        .iter()
        .all(|k| k.master_key_id == only_new.master_key.key_id()));
    for row in evidence_file::Entity::find()
        .all(state.db.conn())
        .await
        .unwrap()
    {
        let key_row = keys.iter().find(|k| k.report_id == row.report_id).unwrap();
        let data_key = only_new.unwrap_report_key(key_row).unwrap();
        let original = state
            .evidence
            .store
            .read_all(&row.object_key, &data_key, 1 << 20)
            .await
            .unwrap();
        assert_eq!(original, photo);
        let cleaned_key = row.cleaned_object_key.unwrap();
        let cleaned = state
            .evidence
            .store
            .read_all(&cleaned_key, &data_key, 1 << 20)
            .await
            .unwrap();
        assert!(!contains(&cleaned, GPS.as_bytes()));
        let report = conduct_portal::platform::persistence::entities::report::Entity::find_by_id(
            row.report_id,
        )
        .one(state.db.conn())
        .await
        .unwrap()
        .unwrap();
        let text = evidence::text::open(&data_key, &report).unwrap();
        assert_eq!(
            text.description,
            "Nội dung cần đọc lại sau khi đổi khoá chính"
        );
        assert!(conduct_portal::platform::crypto::unwrap_data_key(
            &old,
            row.report_id,
            &key_row.wrapped_key
        )
        .is_err());
    }
}

#[rocket::async_test]
async fn the_start_up_sweep_removes_objects_without_a_row_and_keeps_the_rest() {
    let app = TestApp::spawn().await;
    report_with(
        &app,
        None,
        &[Part {
            field: "files",
            file_name: "giu.pdf",
            bytes: &pdf("keep"),
        }],
    )
    .await;
    let state = app.state();
    let orphan = evidence::store::EvidenceStore::new_key();
    state
        .evidence
        .store
        .put(
            &orphan,
            &conduct_portal::platform::crypto::SecretKey32::generate(),
            b"interrupted upload",
        )
        .await
        .unwrap();
    assert_eq!(stored_objects(&app).len(), 2);
    let mut config = state.config.clone();
    assert_eq!(
        state
            .evidence
            .sweep_orphans(&state.db, &config)
            .await
            .unwrap(),
        0,
        "young objects wait out the grace period"
    );
    config.evidence.orphan_grace_minutes = 0;
    assert_eq!(
        state
            .evidence
            .sweep_orphans(&state.db, &config)
            .await
            .unwrap(),
        1
    );
    let left = stored_objects(&app);
    assert_eq!(left.len(), 1);
    let row = evidence_file::Entity::find()
        .one(state.db.conn())
        .await
        .unwrap()
        .unwrap();
    assert!(left[0].ends_with(row.object_key.trim_start_matches("evidence/")));
}

#[rocket::async_test]
async fn reports_stored_before_sealing_are_sealed_and_indexed_at_start_up() {
    use conduct_portal::platform::persistence::entities::{case_file, report};
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    let app = TestApp::spawn().await;
    report_with(&app, Some("Văn bản cũ LEGACYWORD chưa được mã hoá"), &[]).await;
    let state = app.state();
    let conn = state.db.conn();
    let row = report::Entity::find().one(conn).await.unwrap().unwrap();
    let mut legacy = row.clone().into_active_model();
    legacy.description = Set("Văn bản cũ LEGACYWORD chưa được mã hoá".into());
    legacy.sealed_text = Set(None);
    legacy.update(conn).await.unwrap();
    case_file::Entity::update_many()
        .col_expr(
            case_file::Column::TextTokens,
            sea_orm::sea_query::Expr::value(""),
        )
        .exec(conn)
        .await
        .unwrap();

    conduct_portal::platform::persistence::entities::message::ActiveModel {
        report_id: Set(row.id),
        author_kind: Set("reporter".into()),
        author_user_id: Set(None),
        body: Set("Trả lời cũ LEGACYREPLY".into()),
        internal: Set(false),
        created_at: Set(state.clock.now()),
        read_by_reporter_at: Set(None),
        read_by_staff_at: Set(None),
        sealed_body: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await
    .unwrap();

    let sealed = evidence::text::seal_legacy_rows(&state.db, &state.config)
        .await
        .unwrap();
    assert_eq!(sealed, 2, "the report and the reply");
    let reply = conduct_portal::platform::persistence::entities::message::Entity::find()
        .filter(
            conduct_portal::platform::persistence::entities::message::Column::AuthorKind
                .eq("reporter"),
        )
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(reply.body, "");
    let row = report::Entity::find().one(conn).await.unwrap().unwrap();
    assert_eq!(row.description, "");
    assert!(row.sealed_text.is_some());
    let data_key = conduct_portal::case_management::evidence::data_key(conn, state, row.id)
        .await
        .unwrap();
    assert_eq!(
        evidence::text::open(&data_key, &row).unwrap().description,
        "Văn bản cũ LEGACYWORD chưa được mã hoá"
    );
    let case = case_file::Entity::find().one(conn).await.unwrap().unwrap();
    let token = evidence::text::token(&state.config.receipt_key, "legacyword");
    assert!(case.text_tokens.contains(&format!(" {token} ")));
    assert_eq!(
        evidence::text::message_body(&data_key, &reply).unwrap(),
        "Trả lời cũ LEGACYREPLY"
    );
    assert_eq!(
        evidence::text::seal_legacy_rows(&state.db, &state.config)
            .await
            .unwrap(),
        0
    );
}

#[rocket::async_test]
async fn reporters_and_investigators_have_separate_quotas_and_an_empty_file_is_named() {
    let app = TestApp::spawn_with(|f| {
        no_two_factor(f).merge(("evidence", serde_json::json!({"max_files": 2})))
    })
    .await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(&app, team, "han.muc@evn.vn", &[Role::Inspector]).await;
    let (_, code) = report_with(&app, None, &[]).await;
    let id = newest_case(&app).await;
    sign_in(&app, "han.muc@evn.vn").await;
    let two = [
        Part {
            field: "files",
            file_name: "1.pdf",
            bytes: &pdf("1"),
        },
        Part {
            field: "files",
            file_name: "2.pdf",
            bytes: &pdf("2"),
        },
    ];
    let response = app
        .post_multipart(
            &format!("/cases/{id}/files"),
            &[("visibility", "internal")],
            &two,
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);

    open_follow_up(&app, &code).await;
    let response = app.post_multipart("/follow-up/files", &[], &two).await;
    assert_eq!(
        response.status(),
        Status::SeeOther,
        "internal files do not use the reporter's room"
    );
    let response = app
        .post_multipart(
            "/follow-up/files",
            &[],
            &[Part {
                field: "files",
                file_name: "3.pdf",
                bytes: &pdf("3"),
            }],
        )
        .await;
    assert_eq!(response.status(), Status::PayloadTooLarge);
    let page = response.into_string().await.unwrap();
    assert!(page.contains("tối đa 2 tệp"));
    let response = app
        .post_multipart(
            "/follow-up/files",
            &[],
            &[Part {
                field: "files",
                file_name: "rong.pdf",
                bytes: b"",
            }],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    assert!(response
        .into_string()
        .await
        .unwrap()
        .contains("“rong.pdf”: tệp rỗng"));
    assert_eq!(app.count("evidence_file").await, 4);
}

#[rocket::async_test]
async fn a_giant_part_header_is_refused_without_filling_memory() {
    let app = TestApp::spawn().await;
    let token = app.csrf().await;
    let boundary = "GiantHeaderBoundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.pdf\"\r\nX-Padding: "
    )
    .into_bytes();
    body.extend(std::iter::repeat_n(b'a', 3 * 1024 * 1024));
    body.extend(format!("\r\n\r\n%PDF-1.4\r\n--{boundary}--\r\n").into_bytes());
    let response = app
        .client
        .post("/report")
        .header(
            rocket::http::ContentType::new("multipart", "form-data")
                .with_params(("boundary", boundary)),
        )
        .body(body)
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::BadRequest);
    assert!(response
        .into_string()
        .await
        .unwrap()
        .contains("Không đọc được biểu mẫu"));
    assert_eq!(app.count("report").await, 0);
}

#[rocket::async_test]
async fn the_file_chooser_leaves_heic_out_so_iphones_send_jpeg() {
    let app = TestApp::spawn().await;
    let (_, page) = app.get_text("/report").await;
    let accept = page
        .split("accept=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(accept.contains(".jpg") && accept.contains(".pdf") && accept.contains(".mp4"));
    assert!(!accept.contains("heic") && !accept.contains("heif"));
    assert!(
        page.contains("enctype=\"multipart&#x2F;form-data\"")
            || page.contains("enctype=\"multipart/form-data\"")
    );
}

#[rocket::async_test]
async fn an_address_that_uploaded_its_hourly_budget_is_refused_files_but_keeps_its_text() {
    let app = TestApp::spawn_with(|f| {
        f.merge(("evidence", serde_json::json!({"anonymous_mb_per_hour": 1})))
    })
    .await;
    let mut big = pdf("x");
    big.resize(700 * 1024, b' ');
    let part = |name| Part {
        field: "files",
        file_name: name,
        bytes: &big,
    };
    let (status, code) = report_with(&app, None, &[part("1.pdf")]).await;
    assert_eq!(status, Status::SeeOther);
    open_follow_up(&app, &code).await;
    let response = app
        .post_multipart("/follow-up/files", &[], &[part("2.pdf")])
        .await;
    assert_eq!(
        response.status(),
        Status::SeeOther,
        "0.7 MB used of 1 MB: still allowed"
    );
    let response = app
        .post_multipart("/follow-up/files", &[], &[part("3.pdf")])
        .await;
    assert_eq!(response.status(), Status::TooManyRequests);
    assert!(response
        .into_string()
        .await
        .unwrap()
        .contains("quá nhiều tệp trong một giờ"));
    let (status, page) = report_with(&app, None, &[part("4.pdf")]).await;
    assert_eq!(status, Status::TooManyRequests);
    assert!(
        page.contains("đòi thêm tiền mới ghi hoá đơn"),
        "the typed text is kept"
    );
    let (status, _) = report_with(&app, None, &[]).await;
    assert_eq!(
        status,
        Status::SeeOther,
        "a report without files still goes through"
    );
    assert_eq!(app.count("evidence_file").await, 2);

    app.clock.advance(chrono::Duration::minutes(61));
    open_follow_up(&app, &code).await;
    let response = app
        .post_multipart("/follow-up/files", &[], &[part("5.pdf")])
        .await;
    assert_eq!(
        response.status(),
        Status::SeeOther,
        "an hour later the budget is back"
    );
}
