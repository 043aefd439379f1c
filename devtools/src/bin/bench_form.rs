//! `bench_form`: the public forms against a bare Rocket + Tera page of the same size, and
//! submissions and receipt check-ins against the Argon2 bound — every figure next to the
//! ceiling it is compared with, measured in the same run on the same cores.
//!
//! Serves the real portal (settings from `Rocket.toml` and `ROCKET_*`, a fresh SQLite database
//! in a temporary directory unless `--database-url` names another, production Argon2 cost) and
//! a bare Rocket + Tera application from this process, on loopback ports, and loads them over
//! keep-alive HTTP/1.1 connections from the same process:
//!
//! - `pages`: requests per second of `/report`, `/commend`, `/follow-up` and `/` beside the
//!   bare page rendered to the size of `/report`, each measured twice, interleaved;
//! - `submit`: `--customers` browsers each fetch the form and post an anonymous report, then
//!   read the receipt code; durable submissions per second (a code shown) against
//!   `cores ÷ one Argon2id hash`, and every failure with its status;
//! - `checkin`: the same browsers open the follow-up page with the codes they got;
//! - a path such as `/report`: that page alone for `--seconds`, to profile it.
//!
//! ```text
//! bench_form [pages|submit|checkin|all|/path] [--seconds 5] [--connections 16] [--customers 8]
//! ```

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser;
use conduct_portal::app::{self, AppState};
use rocket::figment::Figment;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

#[derive(Parser)]
#[command(
    name = "bench_form",
    about = "Public pages vs a bare page; submissions vs Argon2"
)]
struct Args {
    /// pages, submit, checkin, all, or one page's path.
    #[arg(default_value = "all")]
    mode: String,
    /// Seconds per measurement.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Keep-alive connections loading a page.
    #[arg(long, default_value_t = 16)]
    connections: usize,
    /// Concurrent customers submitting and checking in.
    #[arg(long, default_value_t = 8)]
    customers: usize,
    /// The database (default: a new SQLite file in a temporary directory).
    #[arg(long)]
    database_url: Option<String>,
}

/// A body starting with `--` is sent as `multipart/form-data` with this boundary.
const BOUNDARY: &str = "bench-form-7d1c";

type BenchResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

#[rocket::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bench_form failed: {error}");
            ExitCode::FAILURE
        }
    }
}

fn free_port() -> BenchResult<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn random_hex() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

async fn run(args: Args) -> BenchResult<()> {
    let dir = tempfile_dir()?;
    let port = free_port()?;
    let mut figment = rocket::Config::figment()
        .merge(("port", port))
        .merge(("address", "127.0.0.1"))
        .merge(("data_dir", dir.display().to_string()))
        .merge(("log_level", "off"))
        .merge(("trusted_proxies", vec!["127.0.0.1"]))
        .merge(("retention.run_daily", false))
        .merge(("notify_worker", false))
        .merge(("master_key", random_hex()))
        .merge(("receipt_key", random_hex()))
        .merge(("secret_key", random_hex()));
    if let Some(url) = &args.database_url {
        figment = figment.merge(("database_url", url.as_str()));
    }
    let rocket = app::build(figment, app::system_clock()).await?;
    let hasher = rocket
        .state::<AppState>()
        .ok_or("the portal has no state")?
        .hasher
        .clone();
    tokio::spawn(rocket.launch());
    wait_for(port).await?;
    println!(
        "bench_form: portal on 127.0.0.1:{port}, {} cores, data in {}",
        cores(),
        dir.display()
    );
    let result = match args.mode.as_str() {
        "pages" => pages(&args, port).await,
        // One page alone, to profile it (docs/performance.md, "Profiling").
        path if path.starts_with('/') => {
            let rate = throughput(port, path, args.connections, args.seconds).await?;
            println!("{path}: {rate:.0} req/s");
            Ok(())
        }
        "submit" => submissions(&args, port, &hasher).await.map(|_| ()),
        "checkin" => {
            let codes = submissions(&args, port, &hasher).await?;
            checkins(&args, port, &hasher, codes).await
        }
        "all" => {
            pages(&args, port).await?;
            let codes = submissions(&args, port, &hasher).await?;
            checkins(&args, port, &hasher, codes).await
        }
        other => Err(format!("unknown mode {other}: pages, submit, checkin or all").into()),
    };
    if args.database_url.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

fn tempfile_dir() -> BenchResult<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "conduct-bench-form-{}",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

async fn wait_for(port: u16) -> BenchResult<()> {
    for _ in 0..600 {
        if let Ok(mut conn) = Conn::open(port).await {
            if let Ok(response) = conn.send("GET", "/healthz", &[], None).await {
                if response.status == 200 {
                    return Ok(());
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("nothing answered on port {port} within 60 s").into())
}

// ---------------------------------------------------------------------------------------------
// A minimal keep-alive HTTP/1.1 client: the load generator must cost far less than the pages.

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

struct Conn {
    port: u16,
    stream: BufReader<TcpStream>,
}

impl Conn {
    async fn open(port: u16) -> BenchResult<Self> {
        let stream = TcpStream::connect(("127.0.0.1", port)).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            port,
            stream: BufReader::new(stream),
        })
    }

    /// Sends one request; reconnects once when the server had closed the connection.
    async fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        form: Option<&str>,
    ) -> BenchResult<Response> {
        match self.exchange(method, path, headers, form).await {
            Ok(response) => Ok(response),
            Err(_) => {
                *self = Conn::open(self.port).await?;
                self.exchange(method, path, headers, form).await
            }
        }
    }

    async fn exchange(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        form: Option<&str>,
    ) -> BenchResult<Response> {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if let Some(body) = form {
            let content_type = if body.starts_with("--") {
                format!("multipart/form-data; boundary={BOUNDARY}")
            } else {
                "application/x-www-form-urlencoded".to_string()
            };
            head.push_str(&format!(
                "Content-Type: {content_type}\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        head.push_str("\r\n");
        if let Some(body) = form {
            head.push_str(body);
        }
        self.stream.get_mut().write_all(head.as_bytes()).await?;
        let mut line = String::new();
        if self.stream.read_line(&mut line).await? == 0 {
            return Err("connection closed".into());
        }
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or("no status line")?;
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.stream.read_line(&mut line).await?;
            let trimmed = line.trim_end();
            if trimmed.is_empty() {
                break;
            }
            if let Some((name, value)) = trimmed.split_once(':') {
                headers.push((name.trim().to_string(), value.trim().to_string()));
            }
        }
        let mut response = Response {
            status,
            headers,
            body: Vec::new(),
        };
        if let Some(length) = response.header("content-length") {
            let mut body = vec![0; length.parse()?];
            self.stream.read_exact(&mut body).await?;
            response.body = body;
        } else if response
            .header("transfer-encoding")
            .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
        {
            response.body = self.read_chunked().await?;
        }
        Ok(response)
    }

    async fn read_chunked(&mut self) -> BenchResult<Vec<u8>> {
        let mut body = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            self.stream.read_line(&mut line).await?;
            let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or("0"), 16)?;
            let mut chunk = vec![0; size + 2];
            self.stream.read_exact(&mut chunk).await?;
            if size == 0 {
                return Ok(body);
            }
            body.extend_from_slice(&chunk[..size]);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Pages.

/// A bare Rocket + Tera application: one route rendering a list of `items` options.
async fn bare_server(items: usize, padding: usize) -> BenchResult<u16> {
    let dir = tempfile_dir()?;
    std::fs::write(
        dir.join("bare.html.tera"),
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{{ title }}</title>\
         </head><body><main><h1>{{ title }}</h1><form method=\"post\">\
         <input type=\"hidden\" name=\"csrf_token\" value=\"{{ token }}\">\
         <select name=\"unit_id\">{% for item in items %}<option value=\"{{ item.id }}\" \
         data-search=\"{{ item.search }}\">{{ item.label }}</option>{% endfor %}</select>\
         <p>{{ padding }}</p></form></main></body></html>",
    )?;
    let port = free_port()?;
    let figment = Figment::from(rocket::Config::default())
        .merge(("port", port))
        .merge(("address", "127.0.0.1"))
        .merge(("log_level", "off"))
        .merge(("secret_key", random_hex()))
        .merge(("template_dir", dir.display().to_string()));
    let context = Arc::new(BareContext {
        title: "Phản ánh hành vi của nhân viên ngành điện".into(),
        token: random_hex(),
        items: (0..items)
            .map(|i| BareItem {
                id: i,
                label: format!("— — Công ty Điện lực số {i}"),
                search: format!("evn › evnhanoi › cong ty dien luc so {i}"),
            })
            .collect(),
        padding: "x".repeat(padding),
    });
    let rocket = rocket::custom(figment)
        .manage(context)
        .attach(rocket_dyn_templates::Template::fairing())
        .mount("/", rocket::routes![bare_page]);
    tokio::spawn(rocket.launch());
    wait_for_bare(port).await?;
    Ok(port)
}

#[derive(serde::Serialize)]
struct BareContext {
    title: String,
    token: String,
    items: Vec<BareItem>,
    padding: String,
}

#[derive(serde::Serialize)]
struct BareItem {
    id: usize,
    label: String,
    search: String,
}

#[rocket::get("/bare")]
fn bare_page(context: &rocket::State<Arc<BareContext>>) -> rocket_dyn_templates::Template {
    rocket_dyn_templates::Template::render("bare", &**context.inner())
}

async fn wait_for_bare(port: u16) -> BenchResult<()> {
    for _ in 0..100 {
        if let Ok(mut conn) = Conn::open(port).await {
            if conn.send("GET", "/bare", &[], None).await.is_ok() {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err("the bare page did not answer".into())
}

/// Requests per second of `path` over `connections` keep-alive connections for `seconds`.
async fn throughput(port: u16, path: &str, connections: usize, seconds: u64) -> BenchResult<f64> {
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (done, failed, path) = (done.clone(), failed.clone(), path.to_string());
        tasks.push(tokio::spawn(async move {
            let Ok(mut conn) = Conn::open(port).await else {
                failed.fetch_add(1, Ordering::Relaxed);
                return;
            };
            while Instant::now() < until {
                match conn.send("GET", &path, &[], None).await {
                    Ok(r) if r.status == 200 && !r.body.is_empty() => {
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    for task in tasks {
        task.await?;
    }
    let failures = failed.load(Ordering::Relaxed);
    if failures > 0 {
        return Err(format!("{failures} requests to {path} failed").into());
    }
    Ok(done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64())
}

async fn pages(args: &Args, port: u16) -> BenchResult<()> {
    let mut conn = Conn::open(port).await?;
    let form = conn.send("GET", "/report", &[], None).await?;
    let size = form.body.len();
    let units = form.text().matches("data-search=").count();
    // The bare page: as many options as the form has units, padded to the form's size.
    let bare_port = bare_server(units, 0).await?;
    let unpadded = Conn::open(bare_port)
        .await?
        .send("GET", "/bare", &[], None)
        .await?
        .body
        .len();
    let bare_port = bare_server(units, size.saturating_sub(unpadded)).await?;
    let bare_size = Conn::open(bare_port)
        .await?
        .send("GET", "/bare", &[], None)
        .await?
        .body
        .len();
    println!(
        "\npages: {} connections, {} s each, measured twice interleaved; /report is {} bytes \
         with {units} units, the bare page {bare_size} bytes",
        args.connections, args.seconds, size
    );
    let paths = ["/report", "/commend", "/follow-up", "/"];
    let mut figures: HashMap<&str, Vec<f64>> = HashMap::new();
    // Warm-up.
    throughput(port, "/report", args.connections, 1).await?;
    throughput(bare_port, "/bare", args.connections, 1).await?;
    for _round in 0..2 {
        let bare = throughput(bare_port, "/bare", args.connections, args.seconds).await?;
        figures.entry("bare").or_default().push(bare);
        for path in paths {
            let rate = throughput(port, path, args.connections, args.seconds).await?;
            figures.entry(path).or_default().push(rate);
        }
    }
    let bare: f64 = figures["bare"].iter().sum::<f64>() / 2.0;
    println!("| page | bytes | req/s (two runs) | ÷ bare |");
    println!("|---|---:|---:|---:|");
    println!(
        "| bare Rocket + Tera page | {bare_size} | {:.0} / {:.0} | 1.00 |",
        figures["bare"][0], figures["bare"][1]
    );
    for path in paths {
        let bytes = Conn::open(port)
            .await?
            .send("GET", path, &[], None)
            .await?
            .body
            .len();
        let runs = &figures[path];
        let mean = runs.iter().sum::<f64>() / runs.len() as f64;
        println!(
            "| `{path}` | {bytes} | {:.0} / {:.0} | {:.2} |",
            runs[0],
            runs[1],
            mean / bare
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Submissions and check-ins.

/// A customer's browser: one connection, its cookies, and its own address, which the portal
/// (trusting 127.0.0.1 as its proxy) reads from `X-Forwarded-For`: eight customers are eight
/// people, not eight tabs at one address sharing one receipt throttle.
struct Browser {
    conn: Conn,
    cookies: Vec<(String, String)>,
    address: String,
}

impl Browser {
    async fn open(port: u16, customer: usize) -> BenchResult<Self> {
        Ok(Self {
            conn: Conn::open(port).await?,
            cookies: Vec::new(),
            address: format!("10.0.{}.{}", customer / 250, customer % 250 + 1),
        })
    }

    async fn go(&mut self, method: &str, path: &str, form: Option<&str>) -> BenchResult<Response> {
        let cookie = self
            .cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let mut headers: Vec<(&str, &str)> = vec![("X-Forwarded-For", self.address.as_str())];
        if !cookie.is_empty() {
            headers.push(("Cookie", cookie.as_str()));
        }
        let response = self.conn.send(method, path, &headers, form).await?;
        for (name, value) in &response.headers {
            if !name.eq_ignore_ascii_case("set-cookie") {
                continue;
            }
            let Some((name, value)) = value.split(';').next().and_then(|c| c.split_once('='))
            else {
                continue;
            };
            self.cookies.retain(|(n, _)| n != name);
            if !value.is_empty() {
                self.cookies.push((name.to_string(), value.to_string()));
            }
        }
        Ok(response)
    }
}

fn attribute_after(body: &str, anchor: &str, attr: &str) -> Option<String> {
    let rest = &body[body.find(anchor)?..];
    let start = rest.find(attr)? + attr.len();
    let end = rest[start..].find('"')?;
    Some(rest[start..start + end].to_string())
}

/// The value of the `n`-th option (0 = the "choose" one) of the select named `name`.
fn option_value(body: &str, name: &str, n: usize) -> Option<String> {
    let select = &body[body.find(&format!("name=\"{name}\""))?..];
    let select = &select[..select.find("</select>")?];
    let start = select.match_indices("<option value=\"").nth(n)?.0 + "<option value=\"".len();
    let end = select[start..].find('"')?;
    Some(select[start..start + end].to_string())
}

fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(byte as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// One Argon2id hash at the portal's own cost, alone on the machine: the median of five.
async fn one_hash(hasher: &conduct_portal::platform::crypto::SlowHasher) -> BenchResult<f64> {
    let mut times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        hasher.hash("12345 67890 12345 67890 12345".into()).await?;
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    Ok(times[2])
}

/// Hashes per second with one hashing task per core for `seconds`: what the cores can do
/// under the machine's load of the moment, measured just before and after a run.
async fn parallel_hash_rate(
    hasher: &conduct_portal::platform::crypto::SlowHasher,
    seconds: u64,
) -> BenchResult<f64> {
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..cores() {
        let hasher = hasher.clone();
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < until {
                if hasher
                    .hash("12345 67890 12345 67890 12345".into())
                    .await
                    .is_ok()
                {
                    n += 1;
                }
            }
            n
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await?;
    }
    Ok(total as f64 / started.elapsed().as_secs_f64())
}

/// The bound a run is compared with: `cores ÷ one hash` (one hash alone, median of five)
/// and the cores' measured hash rate, each the mean of before and after the run.
struct Bound {
    alone: f64,
    parallel: f64,
}

async fn bound_around<F, T>(
    hasher: &conduct_portal::platform::crypto::SlowHasher,
    seconds: u64,
    run: F,
) -> BenchResult<(Bound, T)>
where
    F: std::future::Future<Output = BenchResult<T>>,
{
    let alone_before = cores() as f64 / one_hash(hasher).await?;
    let parallel_before = parallel_hash_rate(hasher, seconds).await?;
    let result = run.await?;
    let alone_after = cores() as f64 / one_hash(hasher).await?;
    let parallel_after = parallel_hash_rate(hasher, seconds).await?;
    println!(
        "  bound: cores ÷ one hash {alone_before:.1}/s before, {alone_after:.1}/s after; \
         {} hashing tasks {parallel_before:.1}/s before, {parallel_after:.1}/s after",
        cores()
    );
    Ok((
        Bound {
            alone: (alone_before + alone_after) / 2.0,
            parallel: (parallel_before + parallel_after) / 2.0,
        },
        result,
    ))
}

/// What one customer does for one report: the form, the post, the receipt.
async fn submit_one(browser: &mut Browser, n: u64) -> Result<String, String> {
    let form = browser
        .go("GET", "/report", None)
        .await
        .map_err(|e| format!("form: {e}"))?;
    let body = form.text();
    let token = attribute_after(&body, "name=\"csrf_token\"", "value=\"").ok_or("no token")?;
    let unit = option_value(&body, "unit_id", 1).ok_or("no unit")?;
    let category = option_value(&body, "category_id", 1).ok_or("no category")?;
    let description = format!(
        "Nhân viên ghi chỉ số công tơ yêu cầu tiền bồi dưỡng, lần thứ {n}, tại nhà khách hàng."
    );
    // As a browser sends the form (enctype multipart/form-data), the token first.
    let fields = [
        ("csrf_token", token.as_str()),
        ("unit_id", unit.as_str()),
        ("occurred_on", "20/11/2026"),
        ("category_id", category.as_str()),
        ("description", description.as_str()),
        ("identity", "anonymous"),
    ];
    let mut post = String::new();
    for (name, value) in fields {
        post.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    post.push_str(&format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n\r\n--{BOUNDARY}--\r\n"
    ));
    let sent = browser
        .go("POST", "/report", Some(&post))
        .await
        .map_err(|e| format!("post: {e}"))?;
    if sent.status != 303 || sent.header("location") != Some("/report/receipt") {
        let text = sent.text();
        let excerpt: String = text.chars().take(160).collect();
        return Err(format!("post answered {}: {excerpt}", sent.status));
    }
    let receipt = browser
        .go("GET", "/report/receipt", None)
        .await
        .map_err(|e| format!("receipt: {e}"))?;
    attribute_after(&receipt.text(), "class=\"receipt-code\"", "aria-label=\"")
        .ok_or_else(|| format!("receipt page {} shows no code", receipt.status))
}

struct Tally {
    ok: AtomicU64,
    failures: Mutex<Vec<String>>,
    codes: Mutex<Vec<String>>,
}

fn bound_line(what: &str, done: u64, seconds: f64, bound: &Bound, failures: &[String]) {
    let rate = done as f64 / seconds;
    println!(
        "| {what} | {done} in {seconds:.1} s | {rate:.1}/s | {:.1}/s | {:.2} | {:.1}/s | {:.2} | {} |",
        bound.alone,
        rate / bound.alone,
        bound.parallel,
        rate / bound.parallel,
        failures.len()
    );
    for failure in failures.iter().take(5) {
        println!("    failure: {failure}");
    }
}

async fn submissions(
    args: &Args,
    port: u16,
    hasher: &conduct_portal::platform::crypto::SlowHasher,
) -> BenchResult<Vec<String>> {
    println!(
        "\nsubmissions: {} customers for {} s, between two measurements of the Argon2 bound",
        args.customers,
        args.seconds * 2,
    );
    let (bound, (seconds, failures, tally)) = bound_around(hasher, 3, async {
        let tally = Arc::new(Tally {
            ok: AtomicU64::new(0),
            failures: Mutex::new(Vec::new()),
            codes: Mutex::new(Vec::new()),
        });
        let counter = Arc::new(AtomicU64::new(0));
        let until = Instant::now() + Duration::from_secs(args.seconds * 2);
        let started = Instant::now();
        let mut tasks = Vec::new();
        for customer in 0..args.customers {
            let (tally, counter) = (tally.clone(), counter.clone());
            tasks.push(tokio::spawn(async move {
                let Ok(mut browser) = Browser::open(port, customer).await else {
                    return;
                };
                while Instant::now() < until {
                    let n = counter.fetch_add(1, Ordering::Relaxed);
                    match submit_one(&mut browser, n).await {
                        Ok(code) => {
                            tally.ok.fetch_add(1, Ordering::Relaxed);
                            if let Ok(mut codes) = tally.codes.lock() {
                                codes.push(code);
                            }
                        }
                        Err(failure) => {
                            if let Ok(mut failures) = tally.failures.lock() {
                                failures.push(failure);
                            }
                        }
                    }
                }
            }));
        }
        for task in tasks {
            task.await?;
        }
        let seconds = started.elapsed().as_secs_f64();
        let failures = tally.failures.lock().map(|f| f.clone()).unwrap_or_default();
        Ok((seconds, failures, tally))
    })
    .await?;
    println!("| what | done | rate | cores ÷ one hash | ÷ | hashing tasks | ÷ | failures |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    bound_line(
        "report form → receipt code",
        tally.ok.load(Ordering::Relaxed),
        seconds,
        &bound,
        &failures,
    );
    let codes = tally.codes.lock().map(|c| c.clone()).unwrap_or_default();
    Ok(codes)
}

/// One check-in: the follow-up form, the code, the status page.
async fn check_in(browser: &mut Browser, code: &str) -> Result<(), String> {
    browser.cookies.retain(|(n, _)| n == "csrf");
    let page = browser
        .go("GET", "/follow-up", None)
        .await
        .map_err(|e| format!("form: {e}"))?;
    let token =
        attribute_after(&page.text(), "name=\"csrf_token\"", "value=\"").ok_or("no token")?;
    let post = format!("csrf_token={token}&receipt={}", encode(code));
    let opened = browser
        .go("POST", "/follow-up", Some(&post))
        .await
        .map_err(|e| format!("post: {e}"))?;
    if opened.status != 303 || opened.header("location") != Some("/follow-up/status") {
        return Err(format!(
            "post answered {} to {:?}",
            opened.status,
            opened.header("location")
        ));
    }
    Ok(())
}

async fn checkins(
    args: &Args,
    port: u16,
    hasher: &conduct_portal::platform::crypto::SlowHasher,
    codes: Vec<String>,
) -> BenchResult<()> {
    if codes.is_empty() {
        return Err("no receipt code to check in with".into());
    }
    let codes = Arc::new(codes);
    let (bound, (seconds, failures, tally)) = bound_around(hasher, 3, async {
        let tally = Arc::new(Tally {
            ok: AtomicU64::new(0),
            failures: Mutex::new(Vec::new()),
            codes: Mutex::new(Vec::new()),
        });
        let counter = Arc::new(AtomicU64::new(0));
        let until = Instant::now() + Duration::from_secs(args.seconds * 2);
        let started = Instant::now();
        let mut tasks = Vec::new();
        for customer in 0..args.customers {
            let (tally, counter, codes) = (tally.clone(), counter.clone(), codes.clone());
            tasks.push(tokio::spawn(async move {
                let Ok(mut browser) = Browser::open(port, customer).await else {
                    return;
                };
                while Instant::now() < until {
                    let n = counter.fetch_add(1, Ordering::Relaxed) as usize;
                    match check_in(&mut browser, &codes[n % codes.len()]).await {
                        Ok(()) => {
                            tally.ok.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(failure) => {
                            if let Ok(mut failures) = tally.failures.lock() {
                                failures.push(failure);
                            }
                        }
                    }
                }
            }));
        }
        for task in tasks {
            task.await?;
        }
        let seconds = started.elapsed().as_secs_f64();
        let failures = tally.failures.lock().map(|f| f.clone()).unwrap_or_default();
        Ok((seconds, failures, tally))
    })
    .await?;
    println!(
        "\ncheck-ins: {} customers, {} codes",
        args.customers,
        codes.len()
    );
    println!("| what | done | rate | cores ÷ one hash | ÷ | hashing tasks | ÷ | failures |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    bound_line(
        "follow-up form → status page",
        tally.ok.load(Ordering::Relaxed),
        seconds,
        &bound,
        &failures,
    );
    Ok(())
}
