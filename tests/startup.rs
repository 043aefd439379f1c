//! Start-up failures of the real binary: each prints one line saying what is wrong to stderr and
//! exits non-zero, without a panic or a backtrace (issue 17, item 4).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{MASTER_KEY, RECEIPT_KEY, SECRET_KEY};

/// What a failed start printed.
struct Failed {
    line: String,
}

/// Starts `conduct-portal serve` from the empty directory `dir` with the suite's keys, a data
/// directory inside `dir` and `vars` on top, and expects it to stop by itself within a minute,
/// unsuccessfully and with exactly one line on stderr.
fn start_fails(dir: &Path, vars: &[(&str, &str)]) -> Failed {
    let data_dir = dir.join("data");
    let mut command = Command::new(env!("CARGO_BIN_EXE_conduct-portal"));
    command
        .arg("serve")
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        // A panic would print its backtrace; none may happen.
        .env("RUST_BACKTRACE", "1")
        .env("ROCKET_MASTER_KEY", MASTER_KEY)
        .env("ROCKET_RECEIPT_KEY", RECEIPT_KEY)
        .env("ROCKET_SECRET_KEY", SECRET_KEY)
        .env("ROCKET_DATA_DIR", &data_dir)
        .env("ROCKET_ADDRESS", "127.0.0.1")
        .env("ROCKET_RETENTION", "{run_daily=false}")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (name, value) in vars {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the portal did not stop with {vars:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(!status.success(), "{vars:?} exited successfully");
    assert_eq!(status.code(), Some(1), "{vars:?}: {status} {stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{vars:?}: one line, not {stderr:?}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("backtrace"), "{stderr}");
    assert!(
        lines[0].starts_with("conduct-portal cannot start: "),
        "{}",
        lines[0]
    );
    Failed {
        line: lines[0].to_string(),
    }
}

/// A port nothing listens on (bound once, then released).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn a_port_that_is_not_a_number_is_named_with_its_variable() {
    let dir = tempfile::tempdir().unwrap();
    let failed = start_fails(dir.path(), &[("ROCKET_PORT", "abc")]);
    assert!(failed.line.contains("\"abc\""), "{}", failed.line);
    assert!(failed.line.contains("PORT"), "{}", failed.line);
}

#[test]
fn a_bad_setting_of_rockets_runtime_is_a_message_not_a_panic() {
    // Rocket reads `workers` before anything else runs, and panics on a bad value itself.
    let dir = tempfile::tempdir().unwrap();
    let failed = start_fails(dir.path(), &[("ROCKET_WORKERS", "many")]);
    assert!(failed.line.contains("WORKERS"), "{}", failed.line);
}

#[test]
fn an_unknown_or_unlawful_retention_setting_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let failed = start_fails(
        dir.path(),
        &[("ROCKET_RETENTION", "{run_daily=false,tip_years=3}")],
    );
    assert!(failed.line.contains("tip_years"), "{}", failed.line);
    assert!(
        failed.line.contains("tip_no_substance_years"),
        "the known names are listed: {}",
        failed.line
    );
    let failed = start_fails(
        dir.path(),
        &[("ROCKET_RETENTION", "{run_daily=false,disciplinary_years=0}")],
    );
    assert!(failed.line.contains("at least one year"), "{}", failed.line);
}

#[test]
fn a_malformed_key_is_named_and_never_replaced_by_a_development_key() {
    let dir = tempfile::tempdir().unwrap();
    let failed = start_fails(dir.path(), &[("ROCKET_MASTER_KEY", "not-hex")]);
    assert!(failed.line.contains("ROCKET_MASTER_KEY"), "{}", failed.line);
    assert!(!failed.line.contains("not-hex"), "a key is never echoed");
    let failed = start_fails(dir.path(), &[("ROCKET_SECRET_KEY", "short")]);
    assert!(failed.line.contains("SECRET_KEY"), "{}", failed.line);
    assert!(
        !dir.path().join("data/keys/rocket_secret_key.key").exists(),
        "no development cookie key was made up in place of the bad one"
    );
}

#[test]
fn an_unreachable_postgresql_server_is_reported_at_once_with_its_cause() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("postgres://portal:secret@127.0.0.1:{}/portal", free_port());
    let started = Instant::now();
    let failed = start_fails(dir.path(), &[("ROCKET_DATABASE_URL", &url)]);
    assert!(failed.line.contains("cannot connect to the database"));
    assert!(
        failed.line.contains("refused"),
        "the cause: {}",
        failed.line
    );
    assert!(!failed.line.contains("secret"), "the password is hidden");
    // Not the pool's 30-second "timed out" without a cause.
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn a_data_directory_that_cannot_be_made_or_written_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a-file"), "").unwrap();
    let blocked = dir.path().join("a-file/data");
    let failed = start_fails(
        dir.path(),
        &[("ROCKET_DATA_DIR", blocked.to_str().unwrap())],
    );
    assert!(
        failed.line.contains("cannot create the data directory"),
        "{}",
        failed.line
    );
    assert!(failed.line.contains("a-file"), "{}", failed.line);
    // A directory that exists but takes no new file (even for root, which the suite may be).
    let failed = start_fails(dir.path(), &[("ROCKET_DATA_DIR", "/proc/self")]);
    assert!(
        failed
            .line
            .contains("the data directory /proc/self is not writable"),
        "{}",
        failed.line
    );
}

#[test]
fn a_port_in_use_is_named_after_the_database_is_ready() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let failed = start_fails(dir.path(), &[("ROCKET_PORT", &port)]);
    assert!(
        failed
            .line
            .contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{}",
        failed.line
    );
    assert!(failed.line.contains("in use"), "{}", failed.line);
    drop(taken);
}

/// The base command with the suite's keys and a data directory in `dir`.
fn portal(dir: &Path, port: u16) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_conduct-portal"));
    command
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("ROCKET_MASTER_KEY", MASTER_KEY)
        .env("ROCKET_RECEIPT_KEY", RECEIPT_KEY)
        .env("ROCKET_SECRET_KEY", SECRET_KEY)
        .env("ROCKET_DATA_DIR", dir.join("data"))
        .env("ROCKET_ADDRESS", "0.0.0.0")
        .env("ROCKET_PORT", port.to_string())
        .env("ROCKET_RETENTION", "{run_daily=false}")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// Kills the portal when the test ends, however it ends.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_healthcheck_command_answers_for_a_running_portal_only() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let healthcheck = || {
        portal(dir.path(), port)
            .arg("healthcheck")
            .status()
            .unwrap()
    };
    assert!(!healthcheck().success(), "nothing listens yet");
    let _server = Running(portal(dir.path(), port).arg("serve").spawn().unwrap());
    let started = Instant::now();
    while !healthcheck().success() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the portal never became healthy"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}
