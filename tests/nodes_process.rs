//! Two real `conduct-portal serve` processes on one PostgreSQL database and one moto bucket
//! (issue 16, item 5): node A is killed (SIGKILL) in the middle of streaming an upload; the
//! report it had committed is there on node B, and B's start-up sweep (with a zero grace
//! period) leaves neither an object nor an incomplete multipart upload behind.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use conduct_portal::platform::config::EvidenceSettings;
use conduct_portal::platform::evidence::{multipart, store::EvidenceStore};
use futures::TryStreamExt;
use object_store::ObjectStore;
use tokio::io::AsyncWriteExt;

use crate::support::*;

struct Node {
    child: Child,
    base: String,
    port: u16,
    _data_dir: tempfile::TempDir,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts a node and waits until it answers `/healthz`.
async fn start(database_url: &str, evidence: &str) -> Node {
    let data_dir = scratch_dir();
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_conduct-portal"))
        .arg("serve")
        .current_dir(data_dir.path())
        .env("ROCKET_DATABASE_URL", database_url)
        .env("ROCKET_DATA_DIR", data_dir.path().join("data"))
        .env("ROCKET_ADDRESS", "127.0.0.1")
        .env("ROCKET_PORT", port.to_string())
        .env("ROCKET_MASTER_KEY", MASTER_KEY)
        .env("ROCKET_RECEIPT_KEY", RECEIPT_KEY)
        .env("ROCKET_SECRET_KEY", SECRET_KEY)
        .env("ROCKET_RETENTION", "{run_daily=false}")
        .env("ROCKET_NOTIFY_WORKER", "false")
        .env("ROCKET_LOG_LEVEL", "off")
        .env("ROCKET_EVIDENCE", evidence)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let node = Node {
        child,
        base: format!("http://127.0.0.1:{port}"),
        port,
        _data_dir: data_dir,
    };
    let started = Instant::now();
    loop {
        if let Ok(response) = reqwest::get(format!("{}/healthz", node.base)).await {
            if response.status().is_success() {
                return node;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the node did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn post_json(url: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
    let response = reqwest::Client::new()
        .post(url)
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_default())
}

#[rocket::async_test]
async fn killing_node_a_mid_upload_loses_no_committed_report_and_leaves_no_orphan() {
    let test = "two processes, node A killed mid-upload";
    if std::env::var("TEST_DATABASE_URL").map_or(true, |url| url.is_empty()) {
        println!("SKIPPED: {test}: two nodes need PostgreSQL (TEST_DATABASE_URL)");
        return;
    }
    let Some(server) = moto(test) else {
        return;
    };
    let bucket = server.bucket().await;
    // The database, migrated and loaded as a first start would leave it.
    let app = TestApp::spawn_with(server.settings(&bucket)).await;
    let (unit, category) = (
        unit_id(&app, "PCHK-PGDHANGBAC").await,
        category_id(&app, "rude").await,
    );
    let evidence = |grace: i64| {
        format!(
            "{{store=\"s3\",s3_bucket=\"{bucket}\",s3_endpoint=\"{}\",s3_region=\"us-east-1\",\
             s3_allow_http=true,orphan_grace_minutes={grace}}}",
            server.endpoint
        )
    };
    let settings = EvidenceSettings {
        store: "s3".into(),
        s3_bucket: Some(bucket.clone()),
        s3_endpoint: Some(server.endpoint.clone()),
        s3_region: Some("us-east-1".into()),
        s3_allow_http: true,
        ..EvidenceSettings::default()
    };
    let store =
        EvidenceStore::from_settings(&settings, std::path::Path::new("/nonexistent")).unwrap();

    let a = start(&app.database_url, &evidence(60)).await;
    let (status, receipt) = post_json(
        &format!("{}/api/v1/reports", a.base),
        serde_json::json!({
            "unit_id": unit, "category_id": category, "occurred_on": "2026-11-20",
            "description": "Nhân viên ghi chỉ số đòi tiền bồi dưỡng, báo cáo qua máy chủ A."
        }),
    )
    .await;
    assert_eq!(status, 201, "{receipt}");
    let code = receipt["receipt_code"].as_str().unwrap().to_string();
    let upload = receipt["upload_token"].as_str().unwrap().to_string();

    // A file is streaming into node A when it is killed.
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", a.port))
        .await
        .unwrap();
    let head = format!(
        "POST /api/v1/reports/{upload}/files HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Content-Type: multipart/form-data; boundary=cut\r\nContent-Length: 20000000\r\n\r\n\
         --cut\r\nContent-Disposition: form-data; name=\"files\"; filename=\"scan.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&vec![b'0'; 1 << 20]).await.unwrap();
    stream.flush().await.unwrap();
    let started = Instant::now();
    while multipart::list(&store).await.unwrap().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the upload never reached the store"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(a);
    drop(stream);

    // Node B starts with no grace period: its start-up sweep takes what A left.
    let b = start(&app.database_url, &evidence(0)).await;
    let (status, session) = post_json(
        &format!("{}/api/v1/follow-up/session", b.base),
        serde_json::json!({ "receipt_code": code }),
    )
    .await;
    assert_eq!(status, 201, "the committed report is there: {session}");
    assert!(
        multipart::list(&store).await.unwrap().is_empty(),
        "no incomplete upload is left"
    );
    let s3 = store.s3().unwrap();
    let objects: Vec<_> = s3.list(None).try_collect().await.unwrap();
    assert!(objects.is_empty(), "no orphan object: {objects:?}");
    drop(b);
}
