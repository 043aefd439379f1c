//! A fresh portal per test: its own data directory, its own database (a SQLite file, or a new
//! PostgreSQL database when `TEST_DATABASE_URL` is set), real migrations, a fixed clock.

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use conduct_portal::app::{self, AppState};
use conduct_portal::platform::clock::FixedClock;
use rocket::figment::Figment;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::{Client, LocalResponse};
use sea_orm::{ConnectionTrait, Database, Statement};

pub const MASTER_KEY: &str = "1111111111111111111111111111111111111111111111111111111111111111";
pub const RECEIPT_KEY: &str = "2222222222222222222222222222222222222222222222222222222222222222";
pub const SECRET_KEY: &str = "3333333333333333333333333333333333333333333333333333333333333333";

/// 10:00 on 27/11/2026 in Hà Nội.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 3, 0, 0).unwrap()
}

pub struct TestApp {
    pub client: Client,
    pub clock: FixedClock,
    pub data_dir: tempfile::TempDir,
    pub database_url: String,
    postgres: Option<PostgresDb>,
}

struct PostgresDb {
    admin_url: String,
    name: String,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|figment| figment).await
    }

    /// Spawns with extra settings applied to the figment.
    pub async fn spawn_with(adjust: impl FnOnce(Figment) -> Figment) -> Self {
        // Log lines (request ids, internal error chains) show up in a failing test's output.
        conduct_portal::platform::telemetry::init_for_tests();
        let data_dir = tempfile::tempdir().unwrap();
        let (database_url, postgres) = fresh_database(data_dir.path()).await;
        let clock = FixedClock::at(t0());
        let figment = adjust(base_figment(data_dir.path(), &database_url));
        let rocket = app::build(figment, Arc::new(clock.clone())).await.unwrap();
        let client = Client::tracked(rocket).await.unwrap();
        Self {
            client,
            clock,
            data_dir,
            database_url,
            postgres,
        }
    }

    pub fn state(&self) -> &AppState {
        self.client.rocket().state::<AppState>().unwrap()
    }

    pub fn is_sqlite(&self) -> bool {
        self.postgres.is_none()
    }

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

    /// Counts the rows of `table`.
    pub async fn count(&self, table: &str) -> i64 {
        let db = self.state().db.conn();
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    }

    /// Everything the database holds, as text, for "never stored" checks: the raw SQLite files
    /// (write-ahead log included), or every PostgreSQL row cast to text.
    pub async fn dump_database(&self) -> String {
        let mut out = String::new();
        if self.is_sqlite() {
            for entry in std::fs::read_dir(self.data_dir.path()).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    out.push_str(&String::from_utf8_lossy(&std::fs::read(path).unwrap()));
                }
            }
            return out;
        }
        let db = self.state().db.conn();
        for table in APP_TABLES {
            let rows = db
                .query_all_raw(Statement::from_string(
                    db.get_database_backend(),
                    format!("SELECT CAST(t AS TEXT) AS r FROM {table} t"),
                ))
                .await
                .unwrap();
            for row in rows {
                out.push_str(&row.try_get::<String>("", "r").unwrap());
                out.push('\n');
            }
        }
        out
    }
}

pub const APP_TABLES: &[&str] = &[
    "org_unit",
    "culture_chapter",
    "culture_article",
    "violation_category",
    "category_article",
    "holiday",
    "reference_seed",
    "report",
    "report_key",
    "reporter_identity",
    "case_event",
    "message",
    "staff_member",
    "app_user",
    "user_role",
    "inspection_team",
    "team_member",
    "recovery_code",
    "staff_session",
    "setup_token",
    "audit_log",
    "routing_rule",
    "case_file",
    "case_exclusion",
    "case_link",
    "deadline_extension",
    "identity_request",
    "canned_reply",
    "internal_measure",
    "discipline_decision",
    "discipline_finding",
    "discipline_finding_article",
    "satisfaction_rating",
    "commendation",
    "case_rollup",
    "close_histogram",
    "due_rollup",
    "commendation_rollup",
    "evidence_file",
];

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(pg) = self.postgres.take() {
            // Drop the test database from a separate runtime; FORCE ends the pool's sessions.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(async move {
                    if let Ok(admin) = Database::connect(&pg.admin_url).await {
                        let _ = admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                                pg.name
                            ))
                            .await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

pub fn base_figment(data_dir: &std::path::Path, database_url: &str) -> Figment {
    rocket::Config::figment()
        .merge(("data_dir", data_dir.display().to_string()))
        .merge(("database_url", database_url))
        .merge(("database_max_connections", 4))
        .merge(("master_key", MASTER_KEY))
        .merge(("receipt_key", RECEIPT_KEY))
        .merge(("secret_key", SECRET_KEY))
        .merge(("log_level", "off"))
        .merge(("argon2_concurrency", 2))
}

/// A database nobody else uses: a SQLite file under `dir`, or a new PostgreSQL database.
async fn fresh_database(dir: &std::path::Path) -> (String, Option<PostgresDb>) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!("cp_test_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(&admin_url).await.unwrap();
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap();
            admin.close().await.unwrap();
            let base = admin_url
                .rsplit_once('/')
                .map(|(base, _)| base.to_string())
                .unwrap_or(admin_url.clone());
            (
                format!("{base}/{name}"),
                Some(PostgresDb { admin_url, name }),
            )
        }
        _ => (
            format!("sqlite://{}?mode=rwc", dir.join("portal.db").display()),
            None,
        ),
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

/// The password every test account gets.
pub const TEST_PASSWORD: &str = "mây trắng bay trên núi cao";

/// Creates an account with `roles` (directly, as the command line would).
pub async fn create_user(
    app: &TestApp,
    email: &str,
    roles: &[conduct_portal::domain::roles::Role],
) -> i32 {
    use conduct_portal::auth::service::{create_account, NewAccount};
    use conduct_portal::platform::audit::Actor;
    create_account(
        app.state(),
        &Actor::System,
        NewAccount {
            email: email.to_string(),
            display_name: format!("Người dùng {email}"),
            roles: roles.to_vec(),
            password: Some(TEST_PASSWORD.to_string()),
            must_change_password: false,
        },
    )
    .await
    .unwrap()
    .id
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

/// Creates an account with `roles` and signs this client in with it.
pub async fn sign_in_as(
    app: &TestApp,
    email: &str,
    roles: &[conduct_portal::domain::roles::Role],
) -> i32 {
    let id = create_user(app, email, roles).await;
    sign_in(app, email).await;
    id
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

impl TestApp {
    pub fn clock_unix(&self) -> u64 {
        use conduct_portal::platform::clock::Clock;
        self.clock.now().timestamp() as u64
    }
}

// ---- Teams, cases and multipart uploads (shared by the slices' tests) ----

use conduct_portal::domain::roles::Role;
use conduct_portal::platform::persistence::entities::{
    case_file, inspection_team, org_unit, team_member, violation_category,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

/// Two-factor sign-in off, so tests sign in with a password alone.
pub fn no_two_factor(f: Figment) -> Figment {
    f.merge(("two_factor_roles", Vec::<String>::new()))
}

pub async fn unit_id(app: &TestApp, code: &str) -> i32 {
    org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq(code))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .id
}

pub async fn category_id(app: &TestApp, code: &str) -> i32 {
    violation_category::Entity::find()
        .filter(violation_category::Column::Code.eq(code))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A new inspection team attached to the unit `unit_code`.
pub async fn team_at(app: &TestApp, unit_code: &str, name: &str) -> i32 {
    let now = app.state().clock.now();
    inspection_team::ActiveModel {
        name: Set(name.into()),
        org_unit_id: Set(unit_id(app, unit_code).await),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(app.state().db.conn())
    .await
    .unwrap()
    .id
}

/// A new account with `roles`, member of `team`.
pub async fn member(app: &TestApp, team: i32, email: &str, roles: &[Role]) -> i32 {
    let id = create_user(app, email, roles).await;
    team_member::ActiveModel {
        team_id: Set(team),
        user_id: Set(id),
        ..Default::default()
    }
    .insert(app.state().db.conn())
    .await
    .unwrap();
    id
}

/// How many audit entries have `action`.
pub async fn audited(app: &TestApp, action: &str) -> u64 {
    use conduct_portal::platform::persistence::entities::audit_log;
    use sea_orm::PaginatorTrait;
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .count(app.state().db.conn())
        .await
        .unwrap()
}

/// Switches this client to another signed-in user (sign-out first).
pub async fn become_user(app: &TestApp, email: &str) {
    app.post_form("/staff/sign-out", &[]).await;
    sign_in(app, email).await;
}

/// The newest case's report id.
pub async fn newest_case(app: &TestApp) -> i32 {
    case_file::Entity::find()
        .all(app.state().db.conn())
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.report_id)
        .max()
        .unwrap()
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

/// A structurally valid JPEG whose EXIF segment carries `marker` (standing for GPS data).
pub fn jpeg_with_exif(marker: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    let segment = |out: &mut Vec<u8>, m: u8, body: &[u8]| {
        out.extend([0xFF, m]);
        out.extend(((body.len() + 2) as u16).to_be_bytes());
        out.extend(body);
    };
    segment(&mut out, 0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    let mut exif =
        b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x88\x25\0\x04\0\0\0\x01\0\0\0\x1a\0\0\0\0".to_vec();
    exif.extend(marker.as_bytes());
    segment(&mut out, 0xE1, &exif);
    segment(&mut out, 0xDB, &[0u8; 65]);
    segment(&mut out, 0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]);
    segment(&mut out, 0xDA, &[1, 1, 0, 0, 0x3F, 0]);
    out.extend([0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD9]);
    out
}

/// Every file under `dir`, recursively, concatenated (for "nothing in plaintext on disk").
pub fn read_tree(dir: &std::path::Path) -> Vec<u8> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(read_tree(&path));
        } else {
            out.extend(std::fs::read(&path).unwrap_or_default());
        }
    }
    out
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
