//! `/api/v1`: the JSON API. Its OpenAPI document, the reference page, the public endpoints
//! (reference lists with ETags, submission with an Idempotency-Key, files, the follow-up with a
//! short-lived bearer token), problem details, rate limits, and that a cookie never
//! authenticates an API call.

use std::collections::BTreeSet;

use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::LocalResponse;
use serde_json::{json, Value};

use crate::support::*;

const DESCRIPTION: &str = "Nhân viên ghi chỉ số đòi 300.000 đồng mới ghi đúng chỉ số công tơ.";

impl TestApp {
    /// Sends `body` as JSON to `path` with extra headers.
    pub async fn post_json(
        &self,
        path: &str,
        body: &Value,
        headers: &[(&'static str, String)],
    ) -> LocalResponse<'_> {
        let mut request = self
            .client
            .post(path.to_string())
            .header(ContentType::JSON)
            .body(body.to_string());
        for (name, value) in headers {
            request = request.header(Header::new(*name, value.clone()));
        }
        request.dispatch().await
    }

    /// GETs `path` with a bearer token.
    pub async fn get_bearer(&self, path: &str, token: &str) -> LocalResponse<'_> {
        self.client
            .get(path.to_string())
            .header(Header::new("Authorization", format!("Bearer {token}")))
            .dispatch()
            .await
    }
}

pub async fn json_of(response: LocalResponse<'_>) -> Value {
    let text = response.into_string().await.unwrap_or_default();
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("JSON body, got {text}"))
}

/// A valid anonymous report for the API.
pub(crate) async fn report_body(app: &TestApp) -> Value {
    let (unit, category) = some_unit_and_category(app).await;
    json!({
        "unit_id": unit.parse::<i32>().unwrap(),
        "category_id": category.parse::<i32>().unwrap(),
        "occurred_on": "2026-11-20",
        "description": DESCRIPTION,
    })
}

/// Sends a report through the API; returns the receipt body.
pub(crate) async fn submit_through_api(app: &TestApp, body: &Value) -> Value {
    let response = app.post_json("/api/v1/reports", body, &[]).await;
    assert_eq!(response.status(), Status::Created);
    json_of(response).await
}

/// A follow-up token for `code`.
pub(crate) async fn follow_up_token(app: &TestApp, code: &str) -> String {
    let response = app
        .post_json(
            "/api/v1/follow-up/session",
            &json!({"receipt_code": code}),
            &[],
        )
        .await;
    assert_eq!(response.status(), Status::Created);
    let session = json_of(response).await;
    assert_eq!(session["token_type"], "Bearer");
    session["access_token"].as_str().unwrap().to_string()
}

#[rocket::async_test]
async fn the_openapi_document_is_valid_openapi_3_1_and_describes_every_api_route() {
    let app = TestApp::spawn().await;
    let response = app.client.get("/api/v1/openapi.json").dispatch().await;
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(response.content_type(), Some(ContentType::JSON));
    let text = response.into_string().await.unwrap();
    let spec = oas3::from_json(&text).expect("the document parses as OpenAPI 3.1");
    let version = spec.validate_version().expect("a supported version");
    assert_eq!((version.major, version.minor), (3, 1));

    // Every operation has an id, a tag and responses; every reference resolves.
    let document: Value = serde_json::from_str(&text).unwrap();
    let mut documented = BTreeSet::new();
    for (path, method, operation) in spec.operations() {
        assert!(
            operation.operation_id.is_some(),
            "{method} {path} has an id"
        );
        assert!(!operation.tags.is_empty(), "{method} {path} has a tag");
        documented.insert(format!("{method} {path}"));
    }
    let mut refs = Vec::new();
    collect_refs(&document, &mut refs);
    assert!(!refs.is_empty());
    for reference in refs {
        let pointer = reference.strip_prefix('#').expect("local references only");
        assert!(document.pointer(pointer).is_some(), "{reference} resolves");
    }
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for (status, response) in operation["responses"].as_object().unwrap() {
                let problem = status.starts_with('4') || status.starts_with('5');
                if problem && status != "304" {
                    assert!(
                        response["content"]["application/problem+json"].is_object(),
                        "{method} {path} {status} is a problem"
                    );
                }
            }
        }
    }

    // The document and the mounted routes name the same operations.
    let mounted: BTreeSet<String> = app
        .client
        .rocket()
        .routes()
        .filter(|r| r.uri.path().starts_with("/api/v1/"))
        .filter(|r| r.method != rocket::http::Method::Options)
        .map(|r| {
            let path = r.uri.path().replace('<', "{").replace('>', "}");
            format!("{} {path}", r.method)
        })
        .filter(|key| !key.ends_with("/openapi.json") && !key.ends_with("/docs"))
        .collect();
    assert_eq!(mounted, documented);
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(reference)) => out.push(reference.clone()),
                    _ => collect_refs(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, out)),
        _ => {}
    }
}

#[rocket::async_test]
async fn the_reference_page_lists_every_operation_and_loads_nothing_from_elsewhere() {
    let app = TestApp::spawn().await;
    let (status, page) = app.get_text("/api/v1/docs?lang=en").await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("API reference"));
    for operation in [
        "POST &#x2F;api&#x2F;v1&#x2F;reports",
        "GET &#x2F;api&#x2F;v1&#x2F;units",
        "GET &#x2F;api&#x2F;v1&#x2F;follow-up&#x2F;status",
    ] {
        assert!(page.contains(operation), "{operation} on the page");
    }
    assert!(page.contains("NewReportBody"), "schemas are listed");
    for attribute in ["src=\"http", "href=\"http", "src=\"//", "href=\"//"] {
        assert!(!page.contains(attribute), "no third-party {attribute}");
    }
    let (_, vietnamese) = app.get_text("/api/v1/docs?lang=vi").await;
    assert!(vietnamese.contains("Tài liệu API"));
}

#[rocket::async_test]
async fn reference_lists_carry_an_etag_and_answer_304_when_unchanged() {
    let app = TestApp::spawn().await;
    for path in ["/api/v1/units", "/api/v1/categories"] {
        let response = app.client.get(path).dispatch().await;
        assert_eq!(response.status(), Status::Ok);
        let tag = response.headers().get_one("ETag").unwrap().to_string();
        assert_eq!(
            response.headers().get_one("Cache-Control"),
            Some("no-cache")
        );
        let body = json_of(response).await;
        let list = body.as_object().unwrap().values().next().unwrap();
        assert!(
            !list.as_array().unwrap().is_empty(),
            "{path} lists something"
        );
        let again = app
            .client
            .get(path)
            .header(Header::new("If-None-Match", tag.clone()))
            .dispatch()
            .await;
        assert_eq!(again.status(), Status::NotModified);
        let stale = app
            .client
            .get(path)
            .header(Header::new("If-None-Match", "\"something-else\""))
            .dispatch()
            .await;
        assert_eq!(stale.status(), Status::Ok);
    }
}

#[rocket::async_test]
async fn a_report_sent_through_the_api_opens_with_its_receipt_on_the_web_follow_up_page() {
    let app = TestApp::spawn().await;
    let body = report_body(&app).await;
    let receipt = submit_through_api(&app, &body).await;
    let code = receipt["receipt_code"].as_str().unwrap();
    assert_eq!(receipt["replayed"], false);
    assert_eq!(app.count("report").await, 1);
    assert_eq!(app.count("case_file").await, 1);

    assert_eq!(open_follow_up(&app, code).await, Status::SeeOther);
    let (status, page) = app.get_text("/follow-up/status").await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("300.000 đồng"), "the report's own text");
}

#[rocket::async_test]
async fn a_report_sent_on_the_web_opens_with_its_receipt_through_the_api() {
    let app = TestApp::spawn().await;
    let code = submit_anonymous(&app, DESCRIPTION).await;
    let token = follow_up_token(&app, &code).await;
    let response = app.get_bearer("/api/v1/follow-up/status", &token).await;
    assert_eq!(response.status(), Status::Ok);
    let status = json_of(response).await;
    assert_eq!(status["status_code"], "received");
    assert_eq!(status["named"], false);
    assert!(status["description"].as_str().unwrap().contains("300.000"));

    let timeline = json_of(app.get_bearer("/api/v1/follow-up/timeline", &token).await).await;
    assert!(!timeline["entries"].as_array().unwrap().is_empty());
    let messages = json_of(app.get_bearer("/api/v1/follow-up/messages", &token).await).await;
    assert_eq!(
        messages["messages"].as_array().unwrap().len(),
        1,
        "the acknowledgement"
    );

    let reply = app
        .client
        .post("/api/v1/follow-up/messages")
        .header(ContentType::JSON)
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .body(json!({"body": "Tôi bổ sung: việc này xảy ra hai lần."}).to_string())
        .dispatch()
        .await;
    assert_eq!(reply.status(), Status::NoContent);
    let messages = json_of(app.get_bearer("/api/v1/follow-up/messages", &token).await).await;
    let all = messages["messages"].as_array().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[1]["from_reporter"], true);
    assert!(all[1]["body"].as_str().unwrap().contains("hai lần"));
}

#[rocket::async_test]
async fn a_retried_submission_with_the_same_idempotency_key_answers_the_same_receipt_once() {
    let app = TestApp::spawn().await;
    let body = report_body(&app).await;
    let key = (
        "Idempotency-Key",
        "3f0c9a52-6a8e-4a5e-9d7b-0c1d2e3f4a5b".to_string(),
    );
    let first = app
        .post_json("/api/v1/reports", &body, std::slice::from_ref(&key))
        .await;
    assert_eq!(first.status(), Status::Created);
    let first = json_of(first).await;
    let retry = app
        .post_json("/api/v1/reports", &body, std::slice::from_ref(&key))
        .await;
    assert_eq!(retry.status(), Status::Created);
    assert_eq!(retry.headers().get_one("Idempotent-Replayed"), Some("true"));
    let retry = json_of(retry).await;
    assert_eq!(retry["receipt_code"], first["receipt_code"]);
    assert_eq!(app.count("report").await, 1, "one report");
    assert_eq!(app.count("api_idempotency").await, 1);

    // The same key with another body is refused; another key files another report.
    let mut other = body.clone();
    other["description"] = json!("Một nội dung khác hẳn, đủ dài để được chấp nhận.");
    let reused = app.post_json("/api/v1/reports", &other, &[key]).await;
    assert_eq!(reused.status(), Status::UnprocessableEntity);
    let problem = json_of(reused).await;
    assert_eq!(
        problem["type"],
        "/api/v1/docs#problem-idempotency-key-reused"
    );
    let fresh = ("Idempotency-Key", "another-key-0001".to_string());
    let response = app.post_json("/api/v1/reports", &body, &[fresh]).await;
    assert_eq!(response.status(), Status::Created);
    assert_eq!(app.count("report").await, 2);

    // The stored record holds neither the key nor the code.
    let dump = app.dump_database().await;
    assert!(!dump.contains("3f0c9a52-6a8e-4a5e-9d7b-0c1d2e3f4a5b"));
    let digits: String = first["receipt_code"].as_str().unwrap().replace(' ', "");
    assert!(!dump.contains(&digits));
}

#[rocket::async_test]
async fn refused_fields_are_problem_details_in_the_language_of_accept_language() {
    let app = TestApp::spawn().await;
    let mut body = report_body(&app).await;
    body["description"] = json!("ngắn");
    body["occurred_on"] = json!("2099-01-01");
    let response = app.post_json("/api/v1/reports", &body, &[]).await;
    assert_eq!(response.status(), Status::UnprocessableEntity);
    assert_eq!(
        response.content_type().map(|c| c.to_string()).as_deref(),
        Some("application/problem+json")
    );
    let problem = json_of(response).await;
    assert_eq!(problem["status"], 422);
    assert_eq!(problem["title"], "Dữ liệu không được chấp nhận");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["description", "occurred_on"]);

    let english = ("Accept-Language", "en-GB,en;q=0.9".to_string());
    let problem = json_of(app.post_json("/api/v1/reports", &body, &[english]).await).await;
    assert_eq!(problem["title"], "Content refused");
    assert_eq!(app.count("report").await, 0);

    // Not JSON at all, or not declared as JSON.
    let broken = app
        .client
        .post("/api/v1/reports")
        .header(ContentType::JSON)
        .body("{not json")
        .dispatch()
        .await;
    assert_eq!(broken.status(), Status::BadRequest);
    let form = app.post_form("/api/v1/reports", &[("unit_id", "1")]).await;
    assert_eq!(form.status(), Status::UnsupportedMediaType);
    let missing = app.client.get("/api/v1/nothing-here").dispatch().await;
    assert_eq!(missing.status(), Status::NotFound);
    assert_eq!(json_of(missing).await["status"], 404);
}

#[rocket::async_test]
async fn too_many_reports_from_one_address_are_answered_429_with_retry_after() {
    let app = TestApp::spawn_with(|f| {
        f.merge(("api.report_limit", json!({"max": 1, "window_minutes": 60})))
    })
    .await;
    let body = report_body(&app).await;
    submit_through_api(&app, &body).await;
    let response = app.post_json("/api/v1/reports", &body, &[]).await;
    assert_eq!(response.status(), Status::TooManyRequests);
    let wait: i64 = response
        .headers()
        .get_one("Retry-After")
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&wait), "{wait}");
    assert_eq!(json_of(response).await["status"], 429);
    assert_eq!(app.count("report").await, 1);
}

#[rocket::async_test]
async fn wrong_receipt_codes_are_throttled_like_the_web_form_with_retry_after() {
    let app = TestApp::spawn().await;
    let mut last = Status::Ok;
    let mut retry_after = None;
    for _ in 0..12 {
        let response = app
            .post_json(
                "/api/v1/follow-up/session",
                &json!({"receipt_code": "00000 00000 00000 00000 00000"}),
                &[],
            )
            .await;
        last = response.status();
        retry_after = response
            .headers()
            .get_one("Retry-After")
            .map(str::to_string);
        if last == Status::TooManyRequests {
            break;
        }
        assert_eq!(last, Status::UnprocessableEntity);
    }
    assert_eq!(last, Status::TooManyRequests);
    assert!(retry_after.unwrap().parse::<i64>().unwrap() >= 1);
}

#[rocket::async_test]
async fn a_follow_up_cookie_never_authenticates_an_api_call() {
    let app = TestApp::spawn().await;
    let code = submit_anonymous(&app, DESCRIPTION).await;
    assert_eq!(open_follow_up(&app, &code).await, Status::SeeOther);
    let (status, _) = app.get_text("/follow-up/status").await;
    assert_eq!(status, Status::Ok, "the web session is open");
    for path in ["/api/v1/follow-up/status", "/api/v1/follow-up/messages"] {
        let response = app.client.get(path).dispatch().await;
        assert_eq!(response.status(), Status::Unauthorized, "{path}");
        assert!(response.headers().get_one("WWW-Authenticate").is_some());
    }
    let forged = app.get_bearer("/api/v1/follow-up/status", "rpt_00ff").await;
    assert_eq!(forged.status(), Status::Unauthorized);
}

#[rocket::async_test]
async fn the_follow_up_token_expires() {
    let app = TestApp::spawn().await;
    let code = submit_anonymous(&app, DESCRIPTION).await;
    let token = follow_up_token(&app, &code).await;
    assert_eq!(
        app.get_bearer("/api/v1/follow-up/status", &token)
            .await
            .status(),
        Status::Ok
    );
    app.clock.advance(chrono::Duration::minutes(16));
    let late = app.get_bearer("/api/v1/follow-up/status", &token).await;
    assert_eq!(late.status(), Status::Unauthorized);
}

#[rocket::async_test]
async fn files_go_to_the_new_report_with_its_upload_token_only() {
    let app = TestApp::spawn().await;
    let receipt = submit_through_api(&app, &report_body(&app).await).await;
    let token = receipt["upload_token"].as_str().unwrap();
    let jpeg = jpeg_with_exif("api-upload");
    let (content_type, body) = multipart_body(
        "",
        &[],
        &[Part {
            field: "files",
            file_name: "anh.jpg",
            bytes: &jpeg,
        }],
    );
    let path = format!("/api/v1/reports/{token}/files");
    let response = app
        .client
        .post(path.clone())
        .header(content_type.clone())
        .body(body.clone())
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::NoContent);
    assert_eq!(app.count("evidence_file").await, 1);
    assert!(
        !contains(&read_tree(app.data_dir.path()), b"api-upload"),
        "sealed at rest"
    );

    let follow_up = token.replacen("upl_", "rpt_", 1);
    for bad in ["upl_00", follow_up.as_str()] {
        let response = app
            .client
            .post(format!("/api/v1/reports/{bad}/files"))
            .header(content_type.clone())
            .body(body.clone())
            .dispatch()
            .await;
        assert_eq!(response.status(), Status::NotFound);
    }
    app.clock.advance(chrono::Duration::minutes(61));
    let late = app
        .client
        .post(path)
        .header(content_type)
        .body(body)
        .dispatch()
        .await;
    assert_eq!(late.status(), Status::NotFound);
    assert_eq!(app.count("evidence_file").await, 1);
}

#[rocket::async_test]
async fn a_method_an_api_path_does_not_serve_is_405_with_allow_and_an_unknown_path_404() {
    let app = TestApp::spawn().await;
    let response = app.client.put("/api/v1/units").dispatch().await;
    assert_eq!(response.status(), Status::MethodNotAllowed);
    assert_eq!(
        response.headers().get_one("Allow"),
        Some("GET, HEAD, OPTIONS")
    );
    assert_eq!(json_of(response).await["status"], 405);
    let response = app.client.delete("/api/v1/cases/12").dispatch().await;
    assert_eq!(response.status(), Status::MethodNotAllowed);
    let response = app.client.put("/api/v1/no-such-thing").dispatch().await;
    assert_eq!(response.status(), Status::NotFound);
    let response = app.client.get("/api/v1/follow-up/session").dispatch().await;
    assert_eq!(response.status(), Status::MethodNotAllowed);
    assert_eq!(response.headers().get_one("Allow"), Some("OPTIONS, POST"));
}
