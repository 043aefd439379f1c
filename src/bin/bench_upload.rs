//! `bench_upload`: evidence upload throughput and the server's memory while uploads stream.
//!
//! Starts the real `conduct-portal` server (the binary beside this one, so build both with
//! `cargo build --release`) on a fresh data directory and a free port, then over plain HTTP:
//! times single 20 MB report submissions with one file, and samples the server's resident
//! memory (`VmRSS`, every 5 ms) while 5 such submissions run at once. The file is an MP4
//! header followed by pseudo-random bytes, like a phone video. Exits with 2 when memory grew by
//! more than the target (64 MB).
//!
//! ```text
//! bench_upload [--size-mb 20] [--concurrent 5] [--runs 3] [--server target/release/conduct-portal]
//! ```

use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[derive(Parser)]
#[command(
    name = "bench_upload",
    about = "Evidence upload throughput and server memory"
)]
struct Args {
    /// Size of each uploaded file.
    #[arg(long, default_value_t = 20)]
    size_mb: usize,
    /// Uploads at once for the memory measurement.
    #[arg(long, default_value_t = 5)]
    concurrent: usize,
    /// Timed single uploads.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// The server binary; defaults to `conduct-portal` beside this program.
    #[arg(long)]
    server: Option<PathBuf>,
}

type BenchResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

const MEMORY_TARGET_MB: f64 = 64.0;
const BOUNDARY: &str = "bench-boundary-5b1e0c";

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(2),
        Err(error) => {
            eprintln!("bench_upload failed: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The server process, stopped and its data directory removed on drop.
struct Server {
    child: Child,
    port: u16,
    data_dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

fn random_hex() -> String {
    let bytes: [u8; 32] = rand::random();
    hex::encode(bytes)
}

async fn start_server(binary: PathBuf) -> BenchResult<Server> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let data_dir =
        std::env::temp_dir().join(format!("conduct-bench-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&data_dir)?;
    let child = Command::new(&binary)
        .arg("serve")
        .env("ROCKET_PORT", port.to_string())
        .env("ROCKET_ADDRESS", "127.0.0.1")
        .env("ROCKET_DATA_DIR", &data_dir)
        .env("ROCKET_MASTER_KEY", random_hex())
        .env("ROCKET_RECEIPT_KEY", random_hex())
        .env("ROCKET_SECRET_KEY", random_hex())
        .env("ROCKET_LOG_LEVEL", "off")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            format!(
                "cannot start {}: {e} (build it with cargo build --release)",
                binary.display()
            )
        })?;
    let server = Server {
        child,
        port,
        data_dir,
    };
    for _ in 0..600 {
        if let Ok((status, _, _)) = request(port, "GET", "/healthz", &[], None).await {
            if status == 200 {
                return Ok(server);
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err("the server did not answer /healthz within 60 s".into())
}

/// A minimal HTTP/1.1 exchange: status, `Set-Cookie` values and body.
async fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: Option<(&str, &[&[u8]])>,
) -> BenchResult<(u16, Vec<String>, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some((content_type, parts)) = body {
        let length: usize = parts.iter().map(|p| p.len()).sum();
        head.push_str(&format!(
            "Content-Type: {content_type}\r\nContent-Length: {length}\r\n"
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    if let Some((_, parts)) = body {
        for part in parts {
            for piece in part.chunks(64 * 1024) {
                stream.write_all(piece).await?;
            }
        }
    }
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let cookies = head
        .lines()
        .filter_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .filter_map(|c| c.split(';').next().map(str::to_string))
        .collect();
    Ok((status, cookies, body.to_string()))
}

fn value_after(body: &str, anchor: &str, attr: &str) -> Option<String> {
    let rest = &body[body.find(anchor)?..];
    let start = rest.find(attr)? + attr.len();
    let end = rest[start..].find('"')?;
    Some(rest[start..start + end].to_string())
}

/// What every submission needs: the CSRF cookie and token, a unit and a category.
struct FormSession {
    cookie: String,
    head: Vec<u8>,
}

async fn form_session(port: u16) -> BenchResult<FormSession> {
    let (status, cookies, body) = request(port, "GET", "/report", &[], None).await?;
    if status != 200 {
        return Err(format!("GET /report answered {status}").into());
    }
    let token = value_after(&body, "name=\"csrf_token\"", "value=\"").ok_or("no CSRF token")?;
    let unit = value_after(&body, "<optgroup", "value=\"").ok_or("no unit")?;
    let categories = &body[body
        .find("name=\"category_id\"")
        .ok_or("no category field")?..];
    let category = value_after(categories, "</option>", "value=\"").ok_or("no category")?;
    let mut head = String::new();
    for (name, value) in [
        ("csrf_token", token.as_str()),
        ("unit_id", unit.as_str()),
        ("occurred_on", "2026-11-20"),
        ("category_id", category.as_str()),
        (
            "description",
            "Nhân viên thu tiền điện quát tháo, quay video làm bằng chứng.",
        ),
        ("identity", "anonymous"),
    ] {
        head.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    head.push_str(&format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"video.mp4\"\r\nContent-Type: video/mp4\r\n\r\n"
    ));
    Ok(FormSession {
        cookie: cookies.join("; "),
        head: head.into_bytes(),
    })
}

/// An MP4 `ftyp` box followed by xorshift bytes.
fn video(size: usize) -> Vec<u8> {
    let mut out = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom".to_vec();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while out.len() < size {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(size);
    out
}

async fn upload(port: u16, session: &FormSession, file: &[u8]) -> BenchResult<Duration> {
    let tail = format!("\r\n--{BOUNDARY}--\r\n");
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let started = Instant::now();
    let (status, _, body) = request(
        port,
        "POST",
        "/report",
        &[("Cookie", session.cookie.clone())],
        Some((&content_type, &[&session.head, file, tail.as_bytes()])),
    )
    .await?;
    if status != 303 {
        let excerpt: String = body.chars().take(300).collect();
        return Err(format!("upload answered {status}: {excerpt}").into());
    }
    Ok(started.elapsed())
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

async fn run(args: Args) -> BenchResult<bool> {
    let binary = match args.server {
        Some(path) => path,
        None => std::env::current_exe()?
            .parent()
            .ok_or("no directory beside this program")?
            .join("conduct-portal"),
    };
    let server = start_server(binary).await?;
    let port = server.port;
    let pid = server.child.id();
    let file = Arc::new(video(args.size_mb * 1024 * 1024));
    let session = Arc::new(form_session(port).await?);

    // Warm-up (first connections, allocator arenas, template cache), then timed single runs.
    upload(port, &session, &file).await?;
    let mut times = Vec::new();
    for _ in 0..args.runs {
        times.push(upload(port, &session, &file).await?);
    }
    times.sort();
    let median = times[times.len() / 2];
    let mb = file.len() as f64 / (1024.0 * 1024.0);

    tokio::time::sleep(Duration::from_millis(300)).await;
    let baseline = rss_kib(pid).ok_or("cannot read the server's memory")?;
    let peak = Arc::new(AtomicU64::new(baseline));
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let (peak, sampling) = (peak.clone(), sampling.clone());
        tokio::spawn(async move {
            while sampling.load(Ordering::Relaxed) {
                if let Some(rss) = rss_kib(pid) {
                    peak.fetch_max(rss, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    };
    let started = Instant::now();
    let mut uploads = Vec::new();
    for _ in 0..args.concurrent {
        let (session, file) = (session.clone(), file.clone());
        uploads.push(tokio::spawn(
            async move { upload(port, &session, &file).await },
        ));
    }
    for handle in uploads {
        handle.await??;
    }
    let together = started.elapsed();
    sampling.store(false, Ordering::Relaxed);
    sampler.await?;
    let growth_mb = (peak.load(Ordering::Relaxed).saturating_sub(baseline)) as f64 / 1024.0;

    println!(
        "evidence upload ({} MB file, release build, local object store, SQLite)",
        args.size_mb
    );
    println!(
        "  single upload, median of {}: {:.2} s = {:.1} MB/s (each: {})",
        args.runs,
        median.as_secs_f64(),
        mb / median.as_secs_f64(),
        times
            .iter()
            .map(|t| format!("{:.2} s", t.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "  {} concurrent uploads: {:.2} s in all = {:.1} MB/s",
        args.concurrent,
        together.as_secs_f64(),
        mb * args.concurrent as f64 / together.as_secs_f64()
    );
    println!(
        "  server resident memory: {:.1} MB before, {:.1} MB peak, growth {:.1} MB (target ≤ {MEMORY_TARGET_MB} MB)",
        baseline as f64 / 1024.0,
        peak.load(Ordering::Relaxed) as f64 / 1024.0,
        growth_mb
    );
    drop(server);
    Ok(growth_mb <= MEMORY_TARGET_MB)
}
