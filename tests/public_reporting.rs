//! `/`, `/report`, `/follow-up`: filing a report and following it with the receipt code.

use rocket::http::{Header, Status};

use crate::support::*;

const DESCRIPTION: &str = "Nhân viên ghi chỉ số công tơ đòi 200.000 đồng mới ghi đúng chỉ số.";

#[rocket::async_test]
async fn an_anonymous_report_is_stored_and_its_receipt_opens_its_own_status_page() {
    let app = TestApp::spawn().await;
    let code = submit_anonymous(&app, DESCRIPTION).await;
    assert_eq!(app.count("report").await, 1);
    assert_eq!(app.count("reporter_identity").await, 0);

    assert_eq!(open_follow_up(&app, &code).await, Status::SeeOther);
    let (status, body) = app.get_text("/follow-up/status").await;
    assert_eq!(status, Status::Ok);
    assert!(body.contains("Đã tiếp nhận"), "status in plain words");
    assert!(body.contains("200.000 đồng"), "the report's own text");
    assert!(
        body.contains("Chúng tôi đã nhận được phản ánh"),
        "automatic acknowledgement"
    );
}

#[rocket::async_test]
async fn each_receipt_opens_its_own_report_and_no_other() {
    let app = TestApp::spawn().await;
    let first = submit_anonymous(&app, "Báo cáo thứ nhất: nhân viên không đeo thẻ.").await;
    let (unit, category) = some_unit_and_category(&app).await;
    let second = submit(
        &app,
        &[
            ("unit_id", unit.as_str()),
            ("occurred_on", "2026-11-21"),
            ("occurred_time", "09:15"),
            ("category_id", category.as_str()),
            (
                "description",
                "Báo cáo thứ hai: tố cáo có ghi danh về việc thu tiền sai.",
            ),
            ("identity", "named"),
            ("full_name", "Lê Văn Tố Cáo"),
            ("address", "15 Trần Phú, Hải Châu, Đà Nẵng"),
            ("phone", "0905 123 456"),
            ("consent", "true"),
        ],
    )
    .await;
    assert_ne!(first, second);
    assert_eq!(app.count("reporter_identity").await, 1);

    assert_eq!(open_follow_up(&app, &second).await, Status::SeeOther);
    let (_, body) = app.get_text("/follow-up/status").await;
    assert!(body.contains("Báo cáo thứ hai"));
    assert!(!body.contains("Báo cáo thứ nhất"));
    assert!(body.contains("Tố cáo có ghi rõ họ tên"));
    assert!(
        !body.contains("Lê Văn Tố Cáo"),
        "the identity is never shown back"
    );

    assert_eq!(
        open_follow_up(&app, &first.to_lowercase().replace('-', " ")).await,
        Status::SeeOther
    );
    let (_, body) = app.get_text("/follow-up/status").await;
    assert!(body.contains("Báo cáo thứ nhất"));
    assert!(!body.contains("Báo cáo thứ hai"));
}

#[rocket::async_test]
async fn the_receipt_is_shown_once_and_never_in_a_url() {
    let app = TestApp::spawn().await;
    let (unit, category) = some_unit_and_category(&app).await;
    let response = app
        .post_form(
            "/report",
            &[
                ("unit_id", unit.as_str()),
                ("occurred_on", "2026-11-20"),
                ("category_id", category.as_str()),
                ("description", DESCRIPTION),
                ("identity", "anonymous"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(
        response.headers().get_one("Location"),
        Some("/report/receipt")
    );
    let (_, first_view) = app.get_text("/report/receipt").await;
    let code = receipt_from(&first_view).unwrap();
    assert!(
        first_view.contains("không thể khôi phục"),
        "warns it cannot be recovered"
    );
    assert!(first_view.contains("print.css"), "has a print stylesheet");
    // The slip says what to expect: a tip's service targets from receipt on Friday 27/11/2026.
    assert!(first_view.contains("Hạn xem xét phản ánh (chỉ tiêu phục vụ của EVN)"));
    assert!(first_view.contains("08&#x2F;12&#x2F;2026"));
    assert!(first_view.contains("Hạn trả lời kết quả (chỉ tiêu phục vụ của EVN)"));
    assert!(first_view.contains("28&#x2F;12&#x2F;2026"));

    let (status, second_view) = app.get_text("/report/receipt").await;
    assert_eq!(status, Status::Ok);
    assert!(receipt_from(&second_view).is_none());
    assert!(!second_view.contains(&code));

    // A named report: the denouncer is verified first, by the review date.
    let named = [
        ("unit_id", unit.as_str()),
        ("occurred_on", "2026-11-20"),
        ("category_id", category.as_str()),
        ("description", DESCRIPTION),
        ("identity", "named"),
        ("full_name", "Lê Văn Tố Cáo"),
        ("address", "15 Trần Phú, Hải Châu, Đà Nẵng"),
        ("phone", "0905 123 456"),
        ("consent", "true"),
    ];
    app.post_form("/report", &named).await;
    let (_, slip) = app.get_text("/report/receipt").await;
    assert!(slip.contains("Tố cáo chờ xác minh người tố cáo"));
    assert!(slip.contains("Hạn xác minh người tố cáo"));
    assert!(!slip.contains("Hạn trả lời kết quả"));
}

#[rocket::async_test]
async fn a_wrong_receipt_gets_the_generic_message_whatever_was_wrong() {
    let app = TestApp::spawn().await;
    submit_anonymous(&app, DESCRIPTION).await;
    let dummy_before = app.state().hasher.dummy_runs();
    for wrong in ["ZZZZ-ZZZZ-ZZZZ-ZZZZ", "short", "ÂÂÂÂ-ÂÂÂÂ-ÂÂÂÂ-ÂÂÂÂ"] {
        let response = app.post_form("/follow-up", &[("receipt", wrong)]).await;
        assert_eq!(response.status(), Status::UnprocessableEntity);
        let body = response.into_string().await.unwrap();
        assert!(body.contains("Không mở được phản ánh với mã này"));
    }
    // Unknown and malformed codes cost the same Argon2 work as a wrong one.
    assert_eq!(app.state().hasher.dummy_runs(), dummy_before + 3);
    let response = app.client.get("/follow-up/status").dispatch().await;
    assert_eq!(response.status(), Status::SeeOther, "no report was opened");
}

#[rocket::async_test]
async fn repeated_wrong_receipts_are_slowed_and_then_refused_for_a_while() {
    let app = TestApp::spawn_with(|f| {
        f.merge(("throttle.free_failures", 2))
            .merge(("throttle.base_delay_seconds", 5))
            .merge(("throttle.lock_after_failures", 4))
            .merge(("throttle.lock_minutes", 30))
    })
    .await;
    let code = submit_anonymous(&app, DESCRIPTION).await;
    for _ in 0..2 {
        assert_eq!(
            open_follow_up(&app, "AAAA-AAAA-AAAA-AAAA").await,
            Status::UnprocessableEntity
        );
    }
    // Slowed: an immediate further attempt, even with the right code, must wait.
    let response = app
        .post_form("/follow-up", &[("receipt", code.as_str())])
        .await;
    assert_eq!(response.status(), Status::TooManyRequests);
    assert!(response.into_string().await.unwrap().contains("5 giây"));

    app.clock.advance(chrono::Duration::seconds(5));
    assert_eq!(
        open_follow_up(&app, "AAAA-AAAA-AAAA-AAAA").await,
        Status::UnprocessableEntity
    );
    app.clock.advance(chrono::Duration::seconds(10));
    assert_eq!(
        open_follow_up(&app, "AAAA-AAAA-AAAA-AAAA").await,
        Status::UnprocessableEntity
    );

    // Refused: locked even after the delay would have passed.
    app.clock.advance(chrono::Duration::minutes(5));
    let response = app
        .post_form("/follow-up", &[("receipt", code.as_str())])
        .await;
    assert_eq!(response.status(), Status::TooManyRequests);
    assert!(response.into_string().await.unwrap().contains("25 phút"));

    app.clock.advance(chrono::Duration::minutes(31));
    assert_eq!(open_follow_up(&app, &code).await, Status::SeeOther);
}

#[rocket::async_test]
async fn missing_fields_rerender_the_form_with_errors_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let (unit, _) = some_unit_and_category(&app).await;
    let response = app
        .post_form(
            "/report",
            &[
                ("unit_id", unit.as_str()),
                ("description", "Ngắn <b>đậm</b>"),
                ("staff_name", "Phạm Văn Giữ"),
                ("identity", "named"),
                ("address", "Số 1 phố Giữ Nguyên"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let body = response.into_string().await.unwrap();
    assert!(body.contains("Hãy nhập ngày xảy ra sự việc."));
    assert!(body.contains("Hãy chọn loại vi phạm."));
    assert!(body.contains("Mô tả quá ngắn"));
    assert!(body.contains("Khi tố cáo có ghi rõ họ tên, hãy nhập họ và tên."));
    assert!(body.contains("Khi tố cáo có ghi rõ họ tên, hãy nhập số điện thoại."));
    assert!(
        body.contains("Ngắn &lt;b&gt;đậm&lt;&#x2F;b&gt;"),
        "description kept, escaped"
    );
    assert!(body.contains("value=\"Phạm Văn Giữ\""));
    assert!(body.contains("value=\"Số 1 phố Giữ Nguyên\""));
    assert!(body.contains(&format!("value=\"{unit}\" data-search")));
    assert!(body.contains(&format!("<option value=\"{unit}\"")));
    assert!(body.contains("value=\"named\" checked"));
    assert_eq!(app.count("report").await, 0);
    assert_eq!(app.count("message").await, 0);
}

#[rocket::async_test]
async fn oversized_fields_rerender_the_form_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let (unit, category) = some_unit_and_category(&app).await;
    let long_description = "đ".repeat(5001);
    let long_name = "N".repeat(121);
    let response = app
        .post_form(
            "/report",
            &[
                ("unit_id", unit.as_str()),
                ("occurred_on", "2026-11-20"),
                ("category_id", category.as_str()),
                ("description", long_description.as_str()),
                ("staff_name", long_name.as_str()),
                ("identity", "anonymous"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let body = response.into_string().await.unwrap();
    assert!(body.contains("Mô tả quá dài"));
    assert!(body.contains("Nội dung quá dài."));
    assert!(
        body.contains(&long_description),
        "the text is kept for editing"
    );
    assert_eq!(app.count("report").await, 0);
}

#[rocket::async_test]
async fn a_date_in_the_future_or_an_unknown_unit_is_refused() {
    let app = TestApp::spawn().await;
    let (_, category) = some_unit_and_category(&app).await;
    let response = app
        .post_form(
            "/report",
            &[
                ("unit_id", "999999"),
                ("occurred_on", "2026-11-28"),
                ("category_id", category.as_str()),
                ("description", DESCRIPTION),
                ("identity", "anonymous"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let body = response.into_string().await.unwrap();
    assert!(body.contains("Ngày xảy ra không thể sau hôm nay."));

    let response = app
        .post_form(
            "/report",
            &[
                ("unit_id", "999999"),
                ("occurred_on", "2026-11-27"),
                ("category_id", category.as_str()),
                ("description", DESCRIPTION),
                ("identity", "anonymous"),
            ],
        )
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    assert!(response
        .into_string()
        .await
        .unwrap()
        .contains("Hãy chọn đơn vị điện lực"));
    assert_eq!(app.count("report").await, 0);
}

#[rocket::async_test]
async fn html_in_every_text_field_comes_back_escaped_on_the_status_page() {
    let app = TestApp::spawn().await;
    let (unit, category) = some_unit_and_category(&app).await;
    let evil = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    let description = format!("{evil} mô tả đủ dài để hợp lệ");
    let code = submit(
        &app,
        &[
            ("unit_id", unit.as_str()),
            ("occurred_on", "2026-11-20"),
            ("category_id", category.as_str()),
            ("description", description.as_str()),
            ("staff_name", evil),
            ("staff_number", "NV-001"),
            ("staff_description", evil),
            ("identity", "anonymous"),
        ],
    )
    .await;
    assert_eq!(open_follow_up(&app, &code).await, Status::SeeOther);
    let reply = app.post_form("/follow-up/reply", &[("body", evil)]).await;
    assert_eq!(reply.status(), Status::SeeOther);
    let (_, body) = app.get_text("/follow-up/status").await;
    assert!(!body.contains("<script>alert"));
    assert!(!body.contains("<img src=x"));
    assert!(
        body.matches("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            .count()
            >= 4
    );
}

#[rocket::async_test]
async fn a_reporter_can_reply_and_an_empty_reply_is_refused_with_nothing_stored() {
    let app = TestApp::spawn().await;
    let code = submit_anonymous(&app, DESCRIPTION).await;
    assert_eq!(open_follow_up(&app, &code).await, Status::SeeOther);
    let messages_before = app.count("message").await;

    let response = app.post_form("/follow-up/reply", &[("body", "   ")]).await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    assert!(response
        .into_string()
        .await
        .unwrap()
        .contains("Hãy nhập nội dung trả lời."));
    assert_eq!(app.count("message").await, messages_before);

    let response = app
        .post_form(
            "/follow-up/reply",
            &[("body", "Tôi có thêm hóa đơn tháng 10.")],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    let (_, body) = app.get_text("/follow-up/status").await;
    assert!(body.contains("Đã gửi trả lời của Quý khách."));
    assert!(body.contains("Tôi có thêm hóa đơn tháng 10."));
    assert!(body.contains("Quý khách đã gửi trả lời"), "timeline entry");
    assert_eq!(app.count("message").await, messages_before + 1);
}

#[rocket::async_test]
async fn the_follow_up_session_ends_after_thirty_idle_minutes_and_on_leaving() {
    let app = TestApp::spawn().await;
    let code = submit_anonymous(&app, DESCRIPTION).await;
    assert_eq!(open_follow_up(&app, &code).await, Status::SeeOther);
    app.clock.advance(chrono::Duration::minutes(29));
    let (_, body) = app.get_text("/follow-up/status").await;
    assert!(body.contains("200.000 đồng"));
    app.clock.advance(chrono::Duration::minutes(31));
    let response = app.client.get("/follow-up/status").dispatch().await;
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(response.headers().get_one("Location"), Some("/follow-up"));

    assert_eq!(open_follow_up(&app, &code).await, Status::SeeOther);
    assert_eq!(
        app.post_form("/follow-up/leave", &[]).await.status(),
        Status::SeeOther
    );
    let response = app.client.get("/follow-up/status").dispatch().await;
    assert_eq!(response.status(), Status::SeeOther);
}

#[rocket::async_test]
async fn no_ip_address_user_agent_or_plaintext_identity_reaches_the_database() {
    let app = TestApp::spawn().await;
    let (unit, category) = some_unit_and_category(&app).await;
    let spoofing = || {
        vec![
            Header::new("X-Real-IP", "203.0.113.77"),
            Header::new("X-Forwarded-For", "198.51.100.23"),
            Header::new("User-Agent", "MarkerAgent/9.9"),
        ]
    };
    let (_, form) = app.get_with_headers("/report", spoofing()).await;
    let token = csrf_from(&form).unwrap();
    let body = format!(
        "csrf_token={token}&unit_id={unit}&occurred_on=2026-11-20&category_id={category}&description={}&identity=named&full_name={}&address={}&phone=0912345678&consent=true",
        encode("Nội dung phản ánh có đánh dấu DESCMARKER để kiểm tra."),
        encode("Nguyễn Thị Namemarker"),
        encode("99 Đường Addressmarker"),
    );
    let mut request = app
        .client
        .post("/report")
        .header(rocket::http::ContentType::Form)
        .body(body);
    for header in spoofing() {
        request = request.header(header);
    }
    assert_eq!(request.dispatch().await.status(), Status::SeeOther);
    let (_, receipt) = app.get_with_headers("/report/receipt", spoofing()).await;
    let code = receipt_from(&receipt).unwrap();
    let mut request = app
        .client
        .post("/follow-up")
        .header(rocket::http::ContentType::Form)
        .body(format!("csrf_token={token}&receipt={code}"));
    for header in spoofing() {
        request = request.header(header);
    }
    assert_eq!(request.dispatch().await.status(), Status::SeeOther);
    let (status, _) = app.get_with_headers("/follow-up/status", spoofing()).await;
    assert_eq!(status, Status::Ok);

    let dump = app.dump_database().await;
    assert!(dump.contains("2026-11-20"), "the dump sees stored rows");
    for secret in [
        "DESCMARKER",
        "203.0.113.77",
        "198.51.100.23",
        "MarkerAgent",
        "Namemarker",
        "Addressmarker",
        "0912345678",
        code.replace(' ', "").as_str(),
        code.as_str(),
    ] {
        assert!(!dump.contains(secret), "{secret} was stored");
    }
}

#[rocket::async_test]
async fn a_named_identity_is_sealed_and_opens_with_the_reports_data_key() {
    use conduct_portal::platform::crypto;
    use conduct_portal::platform::persistence::entities::{report_key, reporter_identity};
    use sea_orm::EntityTrait;

    let app = TestApp::spawn().await;
    let (unit, category) = some_unit_and_category(&app).await;
    submit(
        &app,
        &[
            ("unit_id", unit.as_str()),
            ("occurred_on", "2026-11-20"),
            ("category_id", category.as_str()),
            ("description", DESCRIPTION),
            ("identity", "named"),
            ("full_name", "Đỗ Minh Khai"),
            ("address", "3 Lý Thường Kiệt, Hoàn Kiếm"),
            ("phone", "+84 24 3826 1234"),
            ("consent", "true"),
        ],
    )
    .await;
    let db = app.state().db.conn();
    let identity = reporter_identity::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let key = report_key::Entity::find().one(db).await.unwrap().unwrap();
    let data_key = crypto::unwrap_data_key(
        &app.state().config.master_key,
        key.report_id,
        &key.wrapped_key,
    )
    .unwrap();
    let context = format!("reporter-identity:{}", identity.report_id);
    let plain = crypto::open(&data_key, context.as_bytes(), &identity.sealed).unwrap();
    let text = String::from_utf8(plain).unwrap();
    assert!(text.contains("Đỗ Minh Khai"));
    assert!(text.contains("+84 24 3826 1234"));
}

#[rocket::async_test]
async fn the_unit_list_can_be_filtered_without_javascript_ignoring_diacritics() {
    let app = TestApp::spawn().await;
    let (_, all) = app.get_text("/report").await;
    let (_, filtered) = app.get_text("/report?unit_q=hai+phong").await;
    assert!(all.matches("<option value=").count() > filtered.matches("<option value=").count());
    assert!(filtered.contains("Hải Phòng"));
    assert!(!filtered.contains("Cần Thơ"));
    let (_, none) = app.get_text("/report?unit_q=khong+co+don+vi+nao").await;
    assert!(none.contains("Không tìm thấy đơn vị phù hợp"));
}

// ---- /commend rate limit (issue 18, item 11) ----

/// Posts a valid commendation from the connection `peer`; returns the status and the page.
async fn commend_from(app: &TestApp, peer: &str, unit: &str) -> (Status, String) {
    let token = app.csrf().await;
    let body = format!(
        "csrf_token={token}&unit_id={unit}&body={}",
        encode("Chị thu ngân rất nhiệt tình và chu đáo.")
    );
    let response = app
        .client
        .post("/commend")
        .remote(peer.parse().unwrap())
        .header(rocket::http::ContentType::Form)
        .body(body)
        .dispatch()
        .await;
    let status = response.status();
    (status, response.into_string().await.unwrap_or_default())
}

#[rocket::async_test]
async fn one_address_cannot_flood_the_commendations_and_a_refused_one_is_not_counted() {
    let app = TestApp::spawn_with(|f| {
        f.merge(("commend_limit.max", 3))
            .merge(("commend_limit.window_minutes", 60))
    })
    .await;
    let unit = unit_id(&app, "PCHK-PGDTRANGTIEN").await.to_string();
    let peer = "203.0.113.20:50000";
    for _ in 0..3 {
        let (status, _) = commend_from(&app, peer, &unit).await;
        assert_eq!(status, Status::SeeOther);
    }
    let stored = app.count("commendation").await;
    let audit_entries = audited(&app, "commendation_received").await;
    assert_eq!(stored, 3);

    let (status, page) = commend_from(&app, peer, &unit).await;
    assert_eq!(status, Status::TooManyRequests);
    assert!(page.contains("nhiều lời khen"), "{page}");
    assert!(
        page.contains("nhiệt tình và chu đáo"),
        "what was typed is kept"
    );
    assert_eq!(app.count("commendation").await, stored, "not stored");
    assert_eq!(audited(&app, "commendation_received").await, audit_entries);

    // The same address, even claiming another one in a header, stays refused (no trusted proxy).
    let token = app.csrf().await;
    let response = app
        .client
        .post("/commend?lang=en")
        .remote(peer.parse().unwrap())
        .header(rocket::http::ContentType::Form)
        .header(rocket::http::Header::new("X-Forwarded-For", "198.51.100.1"))
        .body(format!(
            "csrf_token={token}&unit_id={unit}&body=Very+helpful+staff+indeed."
        ))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::TooManyRequests);
    let page = response.into_string().await.unwrap();
    assert!(page.contains("from this network address"), "{page}");
    assert_eq!(app.count("commendation").await, stored);

    // Another address may still commend; this one again once the window has passed.
    let (status, _) = commend_from(&app, "203.0.113.21:50000", &unit).await;
    assert_eq!(status, Status::SeeOther);
    app.clock.advance(chrono::Duration::minutes(61));
    let (status, _) = commend_from(&app, peer, &unit).await;
    assert_eq!(status, Status::SeeOther);
    assert_eq!(app.count("commendation").await, stored + 2);
}
