//! Web plumbing: security headers, CSRF, error pages, health check, durability settings,
//! reference data loading.

use rocket::http::{ContentType, Status};

use crate::support::*;

const DESCRIPTION: &str = "Nhân viên thu tiền điện không giao hóa đơn cho khách hàng.";

fn assert_security_headers(response: &rocket::local::asynchronous::LocalResponse<'_>, page: &str) {
    let headers = response.headers();
    let csp = headers
        .get_one("Content-Security-Policy")
        .unwrap_or_default();
    assert!(csp.contains("default-src 'self'"), "{page}: CSP");
    assert!(
        csp.contains("frame-ancestors 'none'"),
        "{page}: frame-ancestors"
    );
    assert!(
        !csp.contains("http"),
        "{page}: no third-party source in the CSP"
    );
    assert_eq!(
        headers.get_one("Referrer-Policy"),
        Some("no-referrer"),
        "{page}"
    );
    assert_eq!(
        headers.get_one("X-Content-Type-Options"),
        Some("nosniff"),
        "{page}"
    );
    assert!(headers.get_one("Permissions-Policy").is_some(), "{page}");
    assert_eq!(headers.get_one("Cache-Control"), Some("no-store"), "{page}");
}

/// Found by wapiti (.ci/scan): Rocket's flash cookie was the only cookie scripts could read.
#[rocket::async_test]
async fn the_flash_cookie_is_http_only() {
    let app = TestApp::spawn().await;
    // Without a follow-up session the status page redirects with a flash message.
    let response = app.client.get("/follow-up/status").dispatch().await;
    assert_eq!(response.status(), Status::SeeOther);
    let flash: Vec<&str> = response
        .headers()
        .get("Set-Cookie")
        .filter(|cookie| cookie.starts_with("_flash="))
        .collect();
    assert_eq!(flash.len(), 1, "one flash cookie");
    assert!(
        flash[0]
            .split(';')
            .any(|attribute| attribute.trim().eq_ignore_ascii_case("httponly")),
        "{}",
        flash[0]
    );
}

#[rocket::async_test]
async fn security_headers_are_on_every_kind_of_page() {
    let app = TestApp::spawn().await;
    for path in ["/", "/report", "/follow-up", "/no-such-page"] {
        let response = app.client.get(path).dispatch().await;
        assert_security_headers(&response, path);
    }
    let code = submit_anonymous(&app, DESCRIPTION).await;
    // The receipt page, rendered again from a new submission.
    let (unit, category) = some_unit_and_category(&app).await;
    app.post_form(
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
    let response = app.client.get("/report/receipt").dispatch().await;
    assert_security_headers(&response, "receipt");
    assert_eq!(open_follow_up(&app, &code).await, Status::SeeOther);
    let response = app.client.get("/follow-up/status").dispatch().await;
    assert_eq!(response.status(), Status::Ok);
    assert_security_headers(&response, "status");
}

#[rocket::async_test]
async fn a_post_without_a_valid_csrf_token_is_rejected_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let (unit, category) = some_unit_and_category(&app).await;
    let fields = [
        ("unit_id", unit.as_str()),
        ("occurred_on", "2026-11-20"),
        ("category_id", category.as_str()),
        ("description", DESCRIPTION),
        ("identity", "anonymous"),
    ];
    let response = app.post_form_without_csrf("/report", &fields).await;
    assert_eq!(response.status(), Status::Forbidden);
    let refusal = response.into_string().await.unwrap();
    assert!(refusal.contains("không có gì được lưu"));
    // Its language switch leads to a page that exists, not to the internal refusal address.
    assert!(refusal.contains("href=\"&#x2F;?lang=en\""), "{refusal}");
    assert!(!refusal.contains("__rejected"));
    assert_eq!(app.get_text("/?lang=en").await.0, Status::Ok);

    let mut forged = vec![("csrf_token", "0".repeat(64))];
    forged.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let forged: Vec<(&str, &str)> = forged.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = app.post_form_without_csrf("/report", &forged).await;
    assert_eq!(response.status(), Status::Forbidden);
    assert_eq!(app.count("report").await, 0);

    // With a valid token the same submission is stored, so the refusal above was the token's.
    let code = submit(&app, &fields).await;
    assert_eq!(app.count("report").await, 1);

    assert_eq!(open_follow_up(&app, &code).await, Status::SeeOther);
    let messages = app.count("message").await;
    let response = app
        .post_form_without_csrf("/follow-up/reply", &[("body", "không có mã chống giả mạo")])
        .await;
    assert_eq!(response.status(), Status::Forbidden);
    assert_eq!(app.count("message").await, messages);
    for path in ["/follow-up", "/follow-up/leave"] {
        let response = app
            .post_form_without_csrf(path, &[("receipt", code.as_str())])
            .await;
        assert_eq!(response.status(), Status::Forbidden, "{path}");
    }
    // The session survived the forged "leave".
    let response = app.client.get("/follow-up/status").dispatch().await;
    assert_eq!(response.status(), Status::Ok);
}

#[rocket::async_test]
async fn a_token_in_a_header_is_accepted_for_script_enhanced_forms() {
    let app = TestApp::spawn().await;
    let token = app.csrf().await;
    let response = app
        .client
        .post("/follow-up")
        .header(ContentType::Form)
        .header(rocket::http::Header::new("X-CSRF-Token", token))
        .body("receipt=AAAA")
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
}

#[rocket::async_test]
async fn health_check_answers_ok_when_the_database_answers() {
    let app = TestApp::spawn().await;
    let response = app.client.get("/healthz").dispatch().await;
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(response.content_type(), Some(ContentType::JSON));
    let body: serde_json::Value = response.into_json().await.unwrap();
    assert_eq!(body, serde_json::json!({"status": "ok"}));
}

#[rocket::async_test]
async fn error_pages_speak_the_users_language() {
    let app = TestApp::spawn().await;
    let response = app.client.get("/nope").dispatch().await;
    assert_eq!(response.status(), Status::NotFound);
    let body = response.into_string().await.unwrap();
    assert!(body.contains("Không tìm thấy trang bạn yêu cầu."));
    assert!(body.contains("<html lang=\"vi\">"));

    let response = app.client.get("/nope?lang=en").dispatch().await;
    assert_eq!(response.status(), Status::NotFound);
    assert!(response
        .into_string()
        .await
        .unwrap()
        .contains("The page you asked for was not found."));

    let response = app
        .client
        .post("/report")
        .header(ContentType::Form)
        .body("x")
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Forbidden);
    assert!(
        response
            .into_string()
            .await
            .unwrap()
            .contains("nothing was saved"),
        "cookie kept en"
    );
}

#[rocket::async_test]
async fn sqlite_connections_are_durable() {
    let app = TestApp::spawn().await;
    if !app.is_sqlite() {
        return;
    }
    use sea_orm::{ConnectionTrait, Statement};
    let db = app.state().db.conn();
    let pragma = |name: &str| {
        let sql = format!("PRAGMA {name}");
        async move {
            let row = db
                .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
                .await
                .unwrap()
                .unwrap();
            row.try_get_by_index::<String>(0)
                .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
                .unwrap()
        }
    };
    assert_eq!(pragma("journal_mode").await, "wal");
    assert_eq!(pragma("foreign_keys").await, "1");
    assert_eq!(pragma("synchronous").await, "2", "FULL");
    assert_ne!(pragma("busy_timeout").await, "0");
}

#[rocket::async_test]
async fn a_write_transaction_that_reads_first_waits_for_a_write_from_outside_instead_of_failing() {
    // Found by the 200-user load test: a staff session's last-seen stamp (written outside the
    // process's write lock, as another process's command would be) committed between a write
    // transaction's first read and its first write, and the transaction failed at once with
    // SQLITE_BUSY_SNAPSHOT (a check-in or a note answered 500).
    let app = TestApp::spawn().await;
    if !app.is_sqlite() {
        return; // PostgreSQL's row locks and snapshots have no such failure.
    }
    use sea_orm::{ConnectionTrait, Statement};
    let db = &app.state().db;
    let statement = |sql: &str| Statement::from_string(db.backend(), sql.to_string());
    let tx = db.begin_write().await.unwrap();
    tx.query_one_raw(statement("SELECT COUNT(*) FROM job_lease"))
        .await
        .unwrap();
    let conn = db.conn().clone();
    let outside = rocket::tokio::spawn(async move {
        let insert = Statement::from_string(
            conn.get_database_backend(),
            "INSERT INTO job_lease (name) VALUES ('outside')".to_string(),
        );
        conn.execute_raw(insert).await
    });
    // Time for the outside write to commit, had the transaction not held the write lock.
    rocket::tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    tx.execute_raw(statement("INSERT INTO job_lease (name) VALUES ('inside')"))
        .await
        .expect("the transaction writes after its read");
    tx.commit().await.unwrap();
    outside
        .await
        .unwrap()
        .expect("the outside write waited its turn");
    let names = db
        .conn()
        .query_all_raw(statement(
            "SELECT name FROM job_lease WHERE name IN ('inside', 'outside') ORDER BY name",
        ))
        .await
        .unwrap();
    assert_eq!(names.len(), 2, "both writes are stored");
}

#[rocket::async_test]
async fn reference_data_loads_once_and_never_overwrites_edited_rows() {
    use conduct_portal::platform::persistence::entities::{org_unit, violation_category};
    use conduct_portal::platform::persistence::reference;
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

    let app = TestApp::spawn().await;
    let state = app.state();
    let units = app.count("org_unit").await;
    assert!(units >= 5 + 15 + 30);
    assert_eq!(app.count("violation_category").await, 11);
    let corporations = org_unit::Entity::find()
        .filter(org_unit::Column::Kind.eq("corporation"))
        .all(state.db.conn())
        .await
        .unwrap();
    assert_eq!(corporations.len(), 5);

    let bribery = violation_category::Entity::find()
        .filter(violation_category::Column::Code.eq("bribery"))
        .one(state.db.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(bribery.severity, "severe");
    let mut edited = bribery.into_active_model();
    edited.name_vi = Set("Hối lộ (đã sửa)".into());
    edited.update(state.db.conn()).await.unwrap();
    let other = violation_category::Entity::find()
        .filter(violation_category::Column::Code.eq("other"))
        .one(state.db.conn())
        .await
        .unwrap()
        .unwrap();
    conduct_portal::platform::persistence::entities::category_article::Entity::delete_many()
        .filter(
            conduct_portal::platform::persistence::entities::category_article::Column::CategoryId
                .eq(other.id),
        )
        .exec(state.db.conn())
        .await
        .unwrap();
    violation_category::Entity::delete_by_id(other.id)
        .exec(state.db.conn())
        .await
        .unwrap();

    let data = reference::parse(reference::REFERENCE_TOML).unwrap();
    let inserted = reference::load(&state.db, &data, t0()).await.unwrap();
    assert_eq!(inserted, 0);
    assert_eq!(app.count("org_unit").await, units);
    assert_eq!(
        app.count("violation_category").await,
        10,
        "a deleted row stays deleted"
    );
    let bribery = violation_category::Entity::find()
        .filter(violation_category::Column::Code.eq("bribery"))
        .one(state.db.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(bribery.name_vi, "Hối lộ (đã sửa)");
}

#[rocket::async_test]
async fn a_second_start_on_the_same_database_keeps_everything() {
    let app = TestApp::spawn().await;
    let code = submit_anonymous(&app, DESCRIPTION).await;
    let units = app.count("org_unit").await;
    // Start another instance on the same database and data directory.
    let figment = base_figment(app.data_dir.path(), &app.database_url);
    let clock = std::sync::Arc::new(conduct_portal::platform::clock::FixedClock::at(t0()));
    let rocket = conduct_portal::app::build(figment, clock).await.unwrap();
    let client = rocket::local::asynchronous::Client::tracked(rocket)
        .await
        .unwrap();
    let state = client
        .rocket()
        .state::<conduct_portal::app::AppState>()
        .unwrap();
    let found = conduct_portal::public_reporting::service::open_by_receipt(state, &code)
        .await
        .unwrap();
    assert!(found.is_some());
    assert_eq!(app.count("org_unit").await, units);
}

#[rocket::async_test]
async fn an_internal_error_shows_the_request_id_in_the_users_language_and_leaks_nothing() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::spawn().await;
    let code = submit_anonymous(&app, DESCRIPTION).await;
    assert_eq!(open_follow_up(&app, &code).await, Status::SeeOther);
    // Pull a table from under the running app.
    app.state()
        .db
        .conn()
        .execute_unprepared("DROP TABLE case_event")
        .await
        .unwrap();
    for (lang, text) in [
        ("vi", "Đã xảy ra lỗi trong hệ thống"),
        ("en", "Something went wrong on our side"),
    ] {
        let response = app
            .client
            .get(format!("/follow-up/status?lang={lang}"))
            .dispatch()
            .await;
        assert_eq!(response.status(), Status::InternalServerError);
        let request_id = response
            .headers()
            .get_one("X-Request-Id")
            .unwrap()
            .to_string();
        assert_security_headers(&response, "500");
        let body = response.into_string().await.unwrap();
        assert!(body.contains(text), "{lang}");
        assert!(body.contains(&request_id), "the request id to quote");
        assert!(!body.contains("case_event"), "no internals in the page");
    }
}

// ---- Trusted proxies, Secure cookies and HSTS (issue 18, items 6 and 9) ----

/// A wrong receipt code posted from the connection `peer` with `headers`; returns the status.
async fn wrong_receipt_from(
    app: &TestApp,
    peer: &str,
    headers: &[(&'static str, &'static str)],
) -> Status {
    let token = app.csrf().await;
    let mut request = app
        .client
        .post("/follow-up")
        .remote(peer.parse().unwrap())
        .header(ContentType::Form)
        .body(format!("csrf_token={token}&receipt=AAAA-AAAA-AAAA-AAAA"));
    for (name, value) in headers {
        request = request.header(rocket::http::Header::new(*name, *value));
    }
    request.dispatch().await.status()
}

/// One free failure per key, then a long wait: the second failure under one key answers 429.
fn one_free_failure(f: rocket::figment::Figment) -> rocket::figment::Figment {
    f.merge(("throttle.free_failures", 1))
        .merge(("throttle.base_delay_seconds", 600))
}

#[rocket::async_test]
async fn an_untrusted_peer_cannot_choose_its_throttling_key_with_proxy_headers() {
    let app = TestApp::spawn_with(one_free_failure).await;
    let peer = "198.51.100.7:40000";
    let first = [("X-Forwarded-For", "203.0.113.1")];
    assert_eq!(
        wrong_receipt_from(&app, peer, &first).await,
        Status::UnprocessableEntity
    );
    // Another claimed address from the same connection is still the same client.
    for headers in [
        [("X-Forwarded-For", "203.0.113.2")],
        [("X-Real-IP", "203.0.113.3")],
    ] {
        assert_eq!(
            wrong_receipt_from(&app, peer, &headers).await,
            Status::TooManyRequests,
            "{headers:?}"
        );
    }
    // A different connection is a different client.
    assert_eq!(
        wrong_receipt_from(&app, "198.51.100.8:40000", &first).await,
        Status::UnprocessableEntity
    );
}

#[rocket::async_test]
async fn a_trusted_proxy_names_the_client_but_a_client_cannot_prepend_an_address() {
    let app = TestApp::spawn_with(|f| {
        one_free_failure(f).merge(("trusted_proxies", vec!["198.51.100.0/24"]))
    })
    .await;
    let proxy = "198.51.100.7:40000";
    for client in ["203.0.113.1", "203.0.113.2"] {
        assert_eq!(
            wrong_receipt_from(&app, proxy, &[("X-Forwarded-For", client)]).await,
            Status::UnprocessableEntity,
            "{client} has its own key, not the proxy's"
        );
    }
    // X-Real-IP from the proxy counts too.
    assert_eq!(
        wrong_receipt_from(&app, proxy, &[("X-Real-IP", "203.0.113.9")]).await,
        Status::UnprocessableEntity
    );
    // The proxy appends the real peer; what the client wrote before it proves nothing.
    let spoofed = [("X-Forwarded-For", "203.0.113.77, 203.0.113.1")];
    assert_eq!(
        wrong_receipt_from(&app, proxy, &spoofed).await,
        Status::TooManyRequests
    );
    // A chain of two trusted proxies: the right-most untrusted entry is the client.
    let chained = [("X-Forwarded-For", "203.0.113.2, 198.51.100.9")];
    assert_eq!(
        wrong_receipt_from(&app, proxy, &chained).await,
        Status::TooManyRequests
    );
}

/// Every `Set-Cookie` of `response` (name=value; attributes).
fn set_cookies(response: &rocket::local::asynchronous::LocalResponse<'_>) -> Vec<String> {
    response
        .headers()
        .get("Set-Cookie")
        .map(String::from)
        .collect()
}

fn secure_attribute(cookie: &str) -> bool {
    cookie
        .split(';')
        .skip(1)
        .any(|a| a.trim().eq_ignore_ascii_case("secure"))
}

#[rocket::async_test]
async fn behind_an_https_public_url_every_cookie_is_secure_and_hsts_is_sent() {
    let app =
        TestApp::spawn_with(|f| no_two_factor(f).merge(("public_url", "https://tocao.evn.vn")))
            .await;
    let mut seen = Vec::new();
    let response = app.client.get("/follow-up?lang=en").dispatch().await;
    assert_eq!(
        response.headers().get_one("Strict-Transport-Security"),
        Some("max-age=31536000; includeSubDomains")
    );
    seen.extend(set_cookies(&response));
    let code = submit_anonymous(&app, DESCRIPTION).await;
    let response = app.post_form("/follow-up", &[("receipt", &code)]).await;
    seen.extend(set_cookies(&response));
    create_user(
        &app,
        "thanh.tra@evn.vn",
        &[conduct_portal::domain::roles::Role::Inspector],
    )
    .await;
    let response = app
        .post_form(
            "/staff/sign-in",
            &[("email", "thanh.tra@evn.vn"), ("password", TEST_PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther);
    assert!(response
        .headers()
        .get_one("Strict-Transport-Security")
        .is_some());
    seen.extend(set_cookies(&response));
    for name in ["lang=", "csrf=", "follow=", "sid="] {
        assert!(
            seen.iter().any(|c| c.starts_with(name)),
            "{name} was set: {seen:?}"
        );
    }
    for cookie in &seen {
        assert!(secure_attribute(cookie), "{cookie}");
        assert_eq!(cookie.matches("Secure").count(), 1, "{cookie}");
    }
}

#[rocket::async_test]
async fn over_plain_http_there_is_no_hsts_and_a_forwarded_proto_counts_only_from_a_trusted_proxy() {
    let app = TestApp::spawn_with(|f| f.merge(("trusted_proxies", "127.0.0.1, ::1"))).await;
    let response = app.client.get("/follow-up?lang=en").dispatch().await;
    assert!(response
        .headers()
        .get_one("Strict-Transport-Security")
        .is_none());
    assert!(set_cookies(&response).iter().all(|c| !secure_attribute(c)));

    let https = rocket::http::Header::new("X-Forwarded-Proto", "https");
    let spoofed = app
        .client
        .get("/follow-up?lang=vi")
        .remote("203.0.113.5:5000".parse().unwrap())
        .header(https.clone())
        .dispatch()
        .await;
    assert!(spoofed
        .headers()
        .get_one("Strict-Transport-Security")
        .is_none());
    assert!(set_cookies(&spoofed).iter().all(|c| !secure_attribute(c)));

    let proxied = app
        .client
        .get("/follow-up?lang=en")
        .remote("127.0.0.1:5000".parse().unwrap())
        .header(https)
        .dispatch()
        .await;
    assert!(proxied
        .headers()
        .get_one("Strict-Transport-Security")
        .is_some());
    let cookies = set_cookies(&proxied);
    assert!(!cookies.is_empty());
    assert!(cookies.iter().all(|c| secure_attribute(c)), "{cookies:?}");
}

/// Kills the portal process when the test ends, however it ends.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[rocket::async_test]
async fn the_binary_serves_its_pages_and_files_when_started_outside_the_checkout() {
    let app = TestApp::spawn().await;
    let elsewhere = scratch_dir();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _portal = Running(
        std::process::Command::new(env!("CARGO_BIN_EXE_conduct-portal"))
            .arg("serve")
            .current_dir(elsewhere.path())
            .env("ROCKET_DATABASE_URL", &app.database_url)
            .env("ROCKET_DATA_DIR", elsewhere.path().join("data"))
            .env("ROCKET_MASTER_KEY", MASTER_KEY)
            .env("ROCKET_RECEIPT_KEY", RECEIPT_KEY)
            .env("ROCKET_SECRET_KEY", SECRET_KEY)
            .env("ROCKET_ADDRESS", "127.0.0.1")
            .env("ROCKET_PORT", port.to_string())
            .env("ROCKET_RETENTION", "{run_daily=false}")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut healthy = false;
    for _ in 0..240 {
        if let Ok(response) = client.get(format!("{base}/healthz")).send().await {
            healthy = response.status() == 200;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(healthy, "the portal started outside the checkout");
    let form = client.get(format!("{base}/report")).send().await.unwrap();
    assert_eq!(form.status(), 200);
    assert!(form.text().await.unwrap().contains("name=\"description\""));
    let css = client
        .get(format!("{base}/static/css/site.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), 200);
    assert!(elsewhere
        .path()
        .join("data/assets/templates/base.html.tera")
        .is_file());
}

/// `sqlite_mmap_mib` sets how much of the SQLite file every connection maps (0: none), so an
/// operator can trade the inbox's large scans against resident memory.
#[rocket::async_test]
async fn the_sqlite_memory_map_follows_the_setting() {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    for (mib, bytes) in [(16_i64, 16 * 1024 * 1024_i64), (0, 0)] {
        let app = TestApp::spawn_with(|f| f.merge(("sqlite_mmap_mib", mib))).await;
        let db = app.state().db.conn();
        if db.get_database_backend() != DbBackend::Sqlite {
            return;
        }
        assert_eq!(app.state().config.sqlite_mmap_mib, mib as u64);
        let row = db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA mmap_size",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.try_get_by_index::<i64>(0).unwrap(), bytes);
    }
}
