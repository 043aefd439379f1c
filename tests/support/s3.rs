//! A real S3-compatible store for the suite: one `moto` server (PyPI, pinned in
//! `.ci/s3-server`, installed into `target/moto-venv`) per test process, on a free loopback
//! port, stopped when the process ends, and a new bucket per test.
//!
//! The S3 tests run whenever the server is installed. `TEST_S3=moto` demands it: it is
//! installed when missing and a server that cannot start fails the test. Without either, an
//! S3 test prints a `SKIPPED:` line (shown with `--nocapture`, and by `.ci/two-node`) and
//! passes; it never claims to have run.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rocket::figment::Figment;

/// The running server, if any.
pub struct MotoServer {
    pub endpoint: String,
    /// The watcher shell; it ends by itself with this process.
    _watcher: std::process::Child,
}

static SERVER: OnceLock<Option<MotoServer>> = OnceLock::new();

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn required() -> bool {
    std::env::var("TEST_S3").is_ok_and(|v| v == "moto")
}

fn executable() -> Option<PathBuf> {
    let path = root().join("target/moto-venv/bin/moto_server");
    if path.is_file() {
        return Some(path);
    }
    if !required() {
        return None;
    }
    let out = Command::new(root().join(".ci/s3-server"))
        .stderr(Stdio::inherit())
        .output()
        .expect("TEST_S3=moto: .ci/s3-server could not run");
    assert!(out.status.success(), "TEST_S3=moto: installing moto failed");
    Some(path)
}

fn start() -> Option<MotoServer> {
    let exe = executable()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // The server lives exactly as long as this test process: a watcher shell stops it when
    // the process is gone (however it ended), so no server outlives the run.
    let script = format!(
        "\"{}\" -H 127.0.0.1 -p {port} >/dev/null 2>&1 & m=$!; \
         while kill -0 {pid} 2>/dev/null && kill -0 $m 2>/dev/null; do sleep 1; done; \
         kill $m 2>/dev/null",
        exe.display(),
        pid = std::process::id()
    );
    let mut watcher = Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("sh");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = watcher.kill();
            let _ = watcher.wait();
            assert!(!required(), "TEST_S3=moto: moto_server did not listen");
            return None;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // object_store reads the keys from the environment, as in production; moto takes any.
    for (name, value) in [
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
    ] {
        if std::env::var_os(name).is_none() {
            std::env::set_var(name, value);
        }
    }
    Some(MotoServer {
        endpoint: format!("http://127.0.0.1:{port}"),
        _watcher: watcher,
    })
}

/// The server of this process, started on first use; `None` (after printing why) when moto
/// is not installed and `TEST_S3=moto` is not set.
pub fn moto(test: &str) -> Option<&'static MotoServer> {
    let server = SERVER.get_or_init(start).as_ref();
    if server.is_none() {
        println!(
            "SKIPPED: {test} on S3: moto is not installed (run .ci/s3-server or set TEST_S3=moto)"
        );
    }
    server
}

impl MotoServer {
    /// A new, empty bucket; returns its name.
    pub async fn bucket(&self) -> String {
        let name = format!("cp-test-{}", uuid::Uuid::new_v4().simple());
        let response = reqwest::Client::new()
            .put(format!("{}/{name}", self.endpoint))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{}", response.status());
        name
    }

    /// Settings that put the evidence store in `bucket` on this server.
    pub fn settings(&self, bucket: &str) -> impl Fn(Figment) -> Figment + Clone + 'static {
        let (endpoint, bucket) = (self.endpoint.clone(), bucket.to_string());
        move |figment: Figment| {
            figment
                .merge(("evidence.store", "s3"))
                .merge(("evidence.s3_bucket", bucket.clone()))
                .merge(("evidence.s3_endpoint", endpoint.clone()))
                .merge(("evidence.s3_region", "us-east-1"))
                .merge(("evidence.s3_allow_http", true))
        }
    }
}
