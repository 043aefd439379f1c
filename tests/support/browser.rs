//! What a browser does: fetch pages, post forms with the page's CSRF token (urlencoded or
//! multipart), file a report and read the receipt, sign in (enrolling two-factor on the way).

use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::LocalResponse;

use super::app::TestApp;
use super::fixtures::TEST_PASSWORD;

impl TestApp {
    /// The CSRF token of this client's browser (fetching a page with a form sets it).
    pub async fn csrf(&self) -> String {
        let body = self
            .client
            .get("/follow-up")
            .dispatch()
            .await
            .into_string()
            .await
            .unwrap();
        csrf_from(&body).expect("the follow-up page has a CSRF field")
    }

    /// Posts an urlencoded form with the CSRF token as its first field.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> LocalResponse<'_> {
        let token = self.csrf().await;
        let mut body = format!("csrf_token={token}");
        for (name, value) in fields {
            body.push('&');
            body.push_str(&encode(name));
            body.push('=');
            body.push_str(&encode(value));
        }
        self.client
            .post(path.to_string())
            .header(ContentType::Form)
            .body(body)
            .dispatch()
            .await
    }

    /// Posts without any CSRF token.
    pub async fn post_form_without_csrf(
        &self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> LocalResponse<'_> {
        let body: Vec<String> = fields
            .iter()
            .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
            .collect();
        self.client
            .post(path.to_string())
            .header(ContentType::Form)
            .body(body.join("&"))
            .dispatch()
            .await
    }

    pub async fn get_text(&self, path: &str) -> (Status, String) {
        let response = self.client.get(path.to_string()).dispatch().await;
        let status = response.status();
        (status, response.into_string().await.unwrap_or_default())
    }

    pub async fn get_with_headers(
        &self,
        path: &str,
        headers: Vec<Header<'static>>,
    ) -> (Status, String) {
        let mut request = self.client.get(path.to_string());
        for header in headers {
            request = request.header(header);
        }
        let response = request.dispatch().await;
        let status = response.status();
        (status, response.into_string().await.unwrap_or_default())
    }
}

impl TestApp {
    /// Posts a multipart form with the CSRF token first.
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[Part<'_>],
    ) -> LocalResponse<'_> {
        let token = self.csrf().await;
        let (content_type, body) = multipart_body(&token, fields, files);
        self.client
            .post(path.to_string())
            .header(content_type)
            .body(body)
            .dispatch()
            .await
    }
}

pub fn csrf_from(body: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = body.find(marker)? + marker.len();
    Some(body[start..start + 64].to_string())
}

pub fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.as_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(*byte as char)
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// The first unit id and category id the form offers.
pub async fn some_unit_and_category(app: &TestApp) -> (String, String) {
    let (_, body) = app.get_text("/report").await;
    let unit = attribute_after(&body, "<optgroup", "value=\"").unwrap();
    let category_select = &body[body.find("name=\"category_id\"").unwrap()..];
    let category = attribute_after(category_select, "</option>", "value=\"").unwrap();
    (unit, category)
}

fn attribute_after(body: &str, anchor: &str, attr: &str) -> Option<String> {
    let from = body.find(anchor)?;
    let rest = &body[from..];
    let start = rest.find(attr)? + attr.len();
    let end = rest[start..].find('"')?;
    Some(rest[start..start + end].to_string())
}

/// Submits a valid anonymous report with `description` and returns the receipt code shown.
pub async fn submit_anonymous(app: &TestApp, description: &str) -> String {
    let (unit, category) = some_unit_and_category(app).await;
    submit(
        app,
        &[
            ("unit_id", unit.as_str()),
            ("occurred_on", "2026-11-20"),
            ("category_id", category.as_str()),
            ("description", description),
            ("identity", "anonymous"),
        ],
    )
    .await
}

/// Submits the fields, follows the redirect to the receipt page and returns the code.
pub async fn submit(app: &TestApp, fields: &[(&str, &str)]) -> String {
    let response = app.post_form("/report", fields).await;
    assert_eq!(
        response.status(),
        Status::SeeOther,
        "submission was not accepted"
    );
    assert_eq!(
        response.headers().get_one("Location"),
        Some("/report/receipt")
    );
    let (status, body) = app.get_text("/report/receipt").await;
    assert_eq!(status, Status::Ok);
    receipt_from(&body).expect("receipt page shows a code")
}

pub fn receipt_from(body: &str) -> Option<String> {
    let marker = "class=\"receipt-code\" aria-label=\"";
    let start = body.find(marker)? + marker.len();
    let end = body[start..].find('"')?;
    Some(body[start..start + end].to_string())
}

/// Opens the follow-up page with `code`; returns the status of the POST.
pub async fn open_follow_up(app: &TestApp, code: &str) -> Status {
    app.post_form("/follow-up", &[("receipt", code)])
        .await
        .status()
}

/// Signs this client in as `email`, completing two-factor enrolment when the roles require it.
/// Panics unless the session ends fully signed in.
pub async fn sign_in(app: &TestApp, email: &str) {
    let response = app
        .post_form(
            "/staff/sign-in",
            &[("email", email), ("password", TEST_PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), Status::SeeOther, "sign-in of {email}");
    let mut location = response
        .headers()
        .get_one("Location")
        .unwrap_or_default()
        .to_string();
    if location == "/staff/account/two-factor" {
        let (_, page) = app.get_text("/staff/account/two-factor").await;
        let secret = secret_from(&page);
        let code = conduct_portal::auth::totp::code_at(&secret, app.clock_unix()).unwrap();
        let response = app
            .post_form("/staff/account/two-factor", &[("code", code.as_str())])
            .await;
        assert_eq!(
            response.status(),
            Status::Ok,
            "two-factor enrolment of {email}"
        );
        location = "/staff".into();
    }
    assert_eq!(location, "/staff", "{email} fully signed in");
}

/// The TOTP secret shown on the enrolment page.
pub fn secret_from(page: &str) -> Vec<u8> {
    let marker = "class=\"secret\">";
    let start = page.find(marker).expect("secret on the page") + marker.len();
    let end = page[start..].find('<').unwrap();
    let text: String = page[start..start + end]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    base32::decode(base32::Alphabet::Rfc4648 { padding: false }, &text).unwrap()
}

/// Switches this client to another signed-in user (sign-out first).
pub async fn become_user(app: &TestApp, email: &str) {
    app.post_form("/staff/sign-out", &[]).await;
    sign_in(app, email).await;
}

/// One file part of a multipart form.
pub struct Part<'a> {
    pub field: &'a str,
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// A `multipart/form-data` body: the CSRF token first, then the text fields, then the files.
pub fn multipart_body(
    token: &str,
    fields: &[(&str, &str)],
    files: &[Part<'_>],
) -> (ContentType, Vec<u8>) {
    let boundary = "----conduct-portal-test-boundary-7d1f";
    let mut body = Vec::new();
    let text = |name: &str, value: &str, body: &mut Vec<u8>| {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").into_bytes());
    };
    text("csrf_token", token, &mut body);
    for (name, value) in fields {
        text(name, value, &mut body);
    }
    for part in files {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
                part.field, part.file_name
            )
            .into_bytes(),
        );
        body.extend_from_slice(part.bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").into_bytes());
    (
        ContentType::new("multipart", "form-data").with_params(("boundary", boundary)),
        body,
    )
}
