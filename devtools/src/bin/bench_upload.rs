//! `bench_upload`: evidence upload throughput and the server's memory while uploads stream.
//!
//! Starts the real `conduct-portal` server (the binary beside this one, so build both with
//! `cargo build --release`) on a fresh data directory and a free port, then over plain HTTP, as
//! reporters on the follow-up page: times single 20 MB uploads, and samples the server's
//! resident memory (`VmRSS`, every 5 ms) while 5 such uploads run at once. (Uploads with a new
//! report behave the same, plus one Argon2id hash of the receipt code: 19 MiB while it runs.) The file is an MP4
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
    /// Upload JPEG photos (EXIF removed into a second, cleaned copy) instead of videos.
    #[arg(long)]
    jpeg: bool,
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

/// A reporter's browser: cookies (CSRF, follow-up session) and the form's CSRF token.
struct Reporter {
    cookies: Vec<(String, String)>,
    token: String,
}

impl Reporter {
    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, set_cookies: Vec<String>) {
        for cookie in set_cookies {
            if let Some((name, value)) = cookie.split_once('=') {
                self.cookies.retain(|(n, _)| n != name);
                if !value.is_empty() {
                    self.cookies.push((name.to_string(), value.to_string()));
                }
            }
        }
    }

    async fn send(
        &mut self,
        port: u16,
        method: &str,
        path: &str,
        body: Option<(&str, &[&[u8]])>,
    ) -> BenchResult<(u16, String)> {
        let (status, cookies, text) = request(
            port,
            method,
            path,
            &[("Cookie", self.cookie_header())],
            body,
        )
        .await?;
        self.keep(cookies);
        Ok((status, text))
    }
}

/// Files a report without files, takes its receipt code and opens the follow-up page with it,
/// as a reporter would before adding evidence.
async fn reporter(port: u16) -> BenchResult<Reporter> {
    let mut reporter = Reporter {
        cookies: Vec::new(),
        token: String::new(),
    };
    let (status, body) = reporter.send(port, "GET", "/report", None).await?;
    if status != 200 {
        return Err(format!("GET /report answered {status}").into());
    }
    reporter.token =
        value_after(&body, "name=\"csrf_token\"", "value=\"").ok_or("no CSRF token")?;
    let unit = value_after(&body, "<optgroup", "value=\"").ok_or("no unit")?;
    let categories = &body[body
        .find("name=\"category_id\"")
        .ok_or("no category field")?..];
    let category = value_after(categories, "</option>", "value=\"").ok_or("no category")?;
    let form = format!(
        "csrf_token={}&unit_id={unit}&occurred_on=2026-11-20&category_id={category}&identity=anonymous&description={}",
        reporter.token,
        "Nhan+vien+thu+tien+dien+quat+thao%2C+quay+video+lam+bang+chung."
    );
    let (status, _) = reporter
        .send(
            port,
            "POST",
            "/report",
            Some(("application/x-www-form-urlencoded", &[form.as_bytes()])),
        )
        .await?;
    if status != 303 {
        return Err(format!("the report was not accepted ({status})").into());
    }
    let (_, receipt) = reporter.send(port, "GET", "/report/receipt", None).await?;
    let code = value_after(&receipt, "class=\"receipt-code\"", "aria-label=\"")
        .ok_or("no receipt code")?;
    let form = format!(
        "csrf_token={}&receipt={}",
        reporter.token,
        code.replace(' ', "+")
    );
    let (status, _) = reporter
        .send(
            port,
            "POST",
            "/follow-up",
            Some(("application/x-www-form-urlencoded", &[form.as_bytes()])),
        )
        .await?;
    if status != 303 {
        return Err(format!("the follow-up page did not open ({status})").into());
    }
    Ok(reporter)
}

/// Xorshift bytes, never 0xFF (so they can also stand for JPEG scan data).
fn noise(out: &mut Vec<u8>, size: usize) {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while out.len() < size {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend(x.to_le_bytes().map(|b| b.min(0xFE)));
    }
    out.truncate(size);
}

/// An MP4 `ftyp` box followed by noise.
fn video(size: usize) -> Vec<u8> {
    let mut out = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom".to_vec();
    noise(&mut out, size);
    out
}

/// A JPEG with an EXIF segment (GPS) and `size` bytes in all, mostly scan data.
fn photo(size: usize) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    let mut segment = |marker: u8, body: &[u8]| {
        out.extend([0xFF, marker]);
        out.extend(((body.len() + 2) as u16).to_be_bytes());
        out.extend(body);
    };
    segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    segment(0xE1, b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x88\x25\0\x04\0\0\0\x01\0\0\0\x1a\0\0\0\0GPS 21.0285N 105.8542E");
    segment(0xDB, &[0u8; 65]);
    segment(0xC0, &[8, 0x10, 0, 0x10, 0, 1, 1, 0x11, 0]);
    segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]);
    noise(&mut out, size - 2);
    out.extend([0xFF, 0xD9]);
    out
}

/// Adds one file from the follow-up page; returns how long the request took.
async fn upload(port: u16, reporter: &mut Reporter, file: &[u8]) -> BenchResult<Duration> {
    let head = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{}\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"evidence\"\r\n\r\n",
        reporter.token
    );
    let tail = format!("\r\n--{BOUNDARY}--\r\n");
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let started = Instant::now();
    let (status, body) = reporter
        .send(
            port,
            "POST",
            "/follow-up/files",
            Some((&content_type, &[head.as_bytes(), file, tail.as_bytes()])),
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

/// Runs `tasks` at once while sampling the server's memory: (baseline, peak) in KiB, elapsed.
async fn under_watch(
    pid: u32,
    tasks: Vec<tokio::task::JoinHandle<BenchResult<Duration>>>,
    baseline: u64,
) -> BenchResult<(u64, u64, Duration)> {
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
    for handle in tasks {
        handle.await??;
    }
    let elapsed = started.elapsed();
    sampling.store(false, Ordering::Relaxed);
    sampler.await?;
    Ok((baseline, peak.load(Ordering::Relaxed), elapsed))
}

/// A new report with one file, as the report form sends it; returns how long it took.
async fn report_with_file(port: u16, file: &[u8]) -> BenchResult<Duration> {
    let mut browser = Reporter {
        cookies: Vec::new(),
        token: String::new(),
    };
    let (_, body) = browser.send(port, "GET", "/report", None).await?;
    browser.token = value_after(&body, "name=\"csrf_token\"", "value=\"").ok_or("no CSRF token")?;
    let unit = value_after(&body, "<optgroup", "value=\"").ok_or("no unit")?;
    let categories = &body[body
        .find("name=\"category_id\"")
        .ok_or("no category field")?..];
    let category = value_after(categories, "</option>", "value=\"").ok_or("no category")?;
    let mut head = String::new();
    for (name, value) in [
        ("csrf_token", browser.token.as_str()),
        ("unit_id", unit.as_str()),
        ("occurred_on", "2026-11-20"),
        ("category_id", category.as_str()),
        (
            "description",
            "Nhân viên thu tiền điện quát tháo, có video kèm theo.",
        ),
        ("identity", "anonymous"),
    ] {
        head.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    head.push_str(&format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"evidence\"\r\n\r\n"
    ));
    let tail = format!("\r\n--{BOUNDARY}--\r\n");
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let started = Instant::now();
    let (status, body) = browser
        .send(
            port,
            "POST",
            "/report",
            Some((&content_type, &[head.as_bytes(), file, tail.as_bytes()])),
        )
        .await?;
    if status != 303 {
        let excerpt: String = body.chars().take(300).collect();
        return Err(format!("report with file answered {status}: {excerpt}").into());
    }
    Ok(started.elapsed())
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
    let size = args.size_mb * 1024 * 1024;
    let file = Arc::new(if args.jpeg { photo(size) } else { video(size) });
    let mb = file.len() as f64 / (1024.0 * 1024.0);
    // One report per upload slot (a report takes 100 MB): the timed runs, then the concurrent.
    let mut reporters = Vec::new();
    for _ in 0..(1 + args.runs).div_ceil(4) + args.concurrent {
        reporters.push(reporter(port).await?);
    }
    let mut singles = reporters.split_off(args.concurrent);

    // Warm-up (first connections, allocator arenas, template cache), then timed single runs.
    let mut times = Vec::new();
    for run in 0..=args.runs {
        let took = upload(port, &mut singles[run / 4], &file).await?;
        if run > 0 {
            times.push(took);
        }
    }
    times.sort();
    let median = times[times.len() / 2];
    report_with_file(port, &file).await?;

    tokio::time::sleep(Duration::from_millis(300)).await;
    let baseline = rss_kib(pid).ok_or("cannot read the server's memory")?;
    let tasks = reporters
        .into_iter()
        .map(|mut reporter| {
            let file = file.clone();
            tokio::spawn(async move { upload(port, &mut reporter, &file).await })
        })
        .collect();
    let (before, peak, together) = under_watch(pid, tasks, baseline).await?;
    let growth = (peak.saturating_sub(before)) as f64 / 1024.0;

    tokio::time::sleep(Duration::from_millis(300)).await;
    let baseline = rss_kib(pid).ok_or("cannot read the server's memory")?;
    let tasks = (0..args.concurrent)
        .map(|_| {
            let file = file.clone();
            tokio::spawn(async move { report_with_file(port, &file).await })
        })
        .collect();
    let (report_before, report_peak, report_together) = under_watch(pid, tasks, baseline).await?;
    let report_growth = (report_peak.saturating_sub(report_before)) as f64 / 1024.0;

    let mib = |kib: u64| kib as f64 / 1024.0;
    println!(
        "evidence upload ({} MB {}, release build, local object store, SQLite)",
        args.size_mb,
        if args.jpeg {
            "JPEG photo with EXIF"
        } else {
            "MP4 video"
        }
    );
    println!(
        "  single upload, median of {}: {:.2} s = {:.0} MB/s (each: {})",
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
        "  {} concurrent uploads: {:.2} s in all = {:.0} MB/s; server memory {:.1} → {:.1} MB, growth {:.1} MB (target ≤ {MEMORY_TARGET_MB} MB)",
        args.concurrent,
        together.as_secs_f64(),
        mb * args.concurrent as f64 / together.as_secs_f64(),
        mib(before),
        mib(peak),
        growth
    );
    println!(
        "  {} concurrent new reports with one file each: {:.2} s in all; server memory {:.1} → {:.1} MB, growth {:.1} MB (includes Argon2id of each receipt code, 19 MiB × argon2_concurrency)",
        args.concurrent,
        report_together.as_secs_f64(),
        mib(report_before),
        mib(report_peak),
        report_growth
    );
    drop(server);
    Ok(growth <= MEMORY_TARGET_MB && report_growth <= MEMORY_TARGET_MB)
}
