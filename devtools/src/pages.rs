//! `bench pages`: requests per second of each public page next to a bare Rocket + Tera page of
//! the same size, measured in the same run, and the ratio (issue 17, item 6).
//!
//! Method. Two servers start in this process on loopback: the real portal (`app::build`, the
//! settings of `Rocket.toml` in the working directory, a fresh SQLite database and data
//! directory in a temporary directory, reference data loaded at start-up as in production) and
//! a bare Rocket with only the Tera fairing and one route, whose template loops over rows of
//! plain text to give a page of the byte size asked for. For each public page, the portal's
//! page is fetched once for its size, a bare page of that size is prepared, and then each of
//! the two is loaded in turn by the same client: `--connections` request loops (16) on a
//! separate Tokio runtime of `--client-threads` threads (2), over keep-alive HTTP/1.1
//! connections (reqwest), each loop sending the next GET as soon as the last body has been
//! read — wrk's `-t2 -c16`. Every loop runs `--warmup` seconds unmeasured, then `--seconds`
//! measured; req/s is the number of complete 200 answers divided by the measured time. Any
//! other answer or a transport error fails the run. Clients arrive without cookies, like a
//! customer's first visit, so each answer also carries the form token cookie.
//!
//! Servers and clients share the machine, as they do under wrk on the same host; both pages of
//! a row are measured under the same conditions, so the ratio is the figure to read.

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use rocket::figment::Figment;
use rocket::State;
use rocket_dyn_templates::Template;
use serde::Serialize;

/// The public pages measured.
pub const PAGES: [&str; 6] = [
    "/",
    "/report",
    "/follow-up",
    "/commend",
    "/privacy",
    "/transparency",
];

type BenchResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

#[derive(Parser, Debug)]
#[command(
    name = "bench pages",
    about = "Public pages' req/s next to a bare Rocket + Tera page of the same size"
)]
pub struct Args {
    /// Measured seconds per page.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Unmeasured seconds before each measurement.
    #[arg(long, default_value_t = 1)]
    warmup: u64,
    /// Concurrent connections (request loops).
    #[arg(long, default_value_t = 16)]
    connections: usize,
    /// Threads of the client's runtime.
    #[arg(long, default_value_t = 2)]
    client_threads: usize,
}

/// One row of the table.
#[derive(Debug, Clone)]
pub struct Row {
    pub page: &'static str,
    pub bytes: usize,
    pub page_rps: f64,
    pub bare_bytes: usize,
    pub bare_rps: f64,
}

impl Row {
    pub fn ratio(&self) -> f64 {
        self.page_rps / self.bare_rps
    }
}

/// Parses `args` (without the program name and `pages`), measures and prints the table.
pub async fn run(args: impl IntoIterator<Item = String>) -> BenchResult<Vec<Row>> {
    let args = Args::parse_from(std::iter::once("bench pages".to_string()).chain(args));
    let work = tempfile::tempdir()?;
    let portal_port = free_port()?;
    let bare_port = free_port()?;
    let portal = portal_server(work.path(), portal_port).await?;
    let portal = tokio::spawn(portal.launch());
    let bare_pages = Arc::new(BarePages::default());
    let bare = bare_server(work.path(), bare_port, bare_pages.clone())?;
    let bare = tokio::spawn(bare.launch());

    let clients = ClientRuntime::new(args.client_threads)?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.connections)
        .timeout(Duration::from_secs(30))
        .build()?;
    let portal_base = format!("http://127.0.0.1:{portal_port}");
    let bare_base = format!("http://127.0.0.1:{bare_port}");
    wait_until_up(&client, &format!("{portal_base}/healthz")).await?;
    wait_until_up(&client, &format!("{bare_base}/bare/0")).await?;

    println!(
        "{} connections on {} client threads, {} s warm-up + {} s per page; {} cores",
        args.connections,
        args.client_threads,
        args.warmup,
        args.seconds,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let mut rows = Vec::new();
    for page in PAGES {
        let url = format!("{portal_base}{page}");
        let bytes = fetch(&client, &url).await?;
        let index = bare_pages.add(bytes);
        let bare_url = format!("{bare_base}/bare/{index}");
        let bare_bytes = fetch(&client, &bare_url).await?;
        let page_rps = load(clients.handle(), &client, &url, &args).await?;
        let bare_rps = load(clients.handle(), &client, &bare_url, &args).await?;
        let row = Row {
            page,
            bytes,
            page_rps,
            bare_bytes,
            bare_rps,
        };
        rows.push(row);
    }
    print_table(&rows);
    portal.abort();
    bare.abort();
    Ok(rows)
}

/// The clients' own runtime, shut down without waiting when dropped: it is dropped inside the
/// servers' runtime, where blocking is not allowed.
struct ClientRuntime {
    runtime: Option<tokio::runtime::Runtime>,
    handle: tokio::runtime::Handle,
}

impl ClientRuntime {
    fn new(threads: usize) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads.max(1))
            .enable_all()
            .build()?;
        Ok(Self {
            handle: runtime.handle().clone(),
            runtime: Some(runtime),
        })
    }

    fn handle(&self) -> &tokio::runtime::Handle {
        &self.handle
    }
}

impl Drop for ClientRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

fn print_table(rows: &[Row]) {
    println!();
    println!("| page | bytes | req/s | bare Rocket + Tera, same bytes: req/s | ratio |");
    println!("|---|---:|---:|---:|---:|");
    for row in rows {
        println!(
            "| `{}` | {} | {:.0} | {:.0} ({} B) | {:.2} |",
            row.page,
            row.bytes,
            row.page_rps,
            row.bare_rps,
            row.bare_bytes,
            row.ratio()
        );
    }
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

async fn wait_until_up(client: &reqwest::Client, url: &str) -> BenchResult<()> {
    for _ in 0..600 {
        if let Ok(response) = client.get(url).send().await {
            if response.status().is_success() {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(format!("{url} never answered").into())
}

/// The size of `url`'s page.
async fn fetch(client: &reqwest::Client, url: &str) -> BenchResult<usize> {
    let response = client.get(url).send().await?;
    if response.status() != reqwest::StatusCode::OK {
        return Err(format!("GET {url} answered {}", response.status()).into());
    }
    Ok(response.bytes().await?.len())
}

/// Requests per second of `url` under `args.connections` loops on the client runtime.
async fn load(
    runtime: &tokio::runtime::Handle,
    client: &reqwest::Client,
    url: &str,
    args: &Args,
) -> BenchResult<f64> {
    let warmup = Duration::from_secs(args.warmup);
    let measured = Duration::from_secs(args.seconds.max(1));
    let start = Instant::now() + Duration::from_millis(20);
    let (from, until) = (start + warmup, start + warmup + measured);
    let done = Arc::new(AtomicU64::new(0));
    let mut loops = Vec::new();
    for _ in 0..args.connections.max(1) {
        let (client, url, done) = (client.clone(), url.to_string(), done.clone());
        loops.push(runtime.spawn(async move {
            tokio::time::sleep_until(start.into()).await;
            request_loop(&client, &url, &done, from, until).await
        }));
    }
    for handle in loops {
        handle.await??;
    }
    Ok(done.load(Ordering::Relaxed) as f64 / measured.as_secs_f64())
}

/// One connection's requests, one after the other, counting the answers complete between
/// `from` and `until`.
async fn request_loop(
    client: &reqwest::Client,
    url: &str,
    done: &AtomicU64,
    from: Instant,
    until: Instant,
) -> BenchResult<()> {
    loop {
        let response = client.get(url).send().await?;
        let status = response.status();
        response.bytes().await?;
        if status != reqwest::StatusCode::OK {
            return Err(format!("GET {url} answered {status}").into());
        }
        let now = Instant::now();
        if now >= until {
            return Ok(());
        }
        if now >= from {
            done.fetch_add(1, Ordering::Relaxed);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The two servers
// ---------------------------------------------------------------------------------------------

/// The real portal on a fresh SQLite database under `dir`, with random keys.
async fn portal_server(
    dir: &std::path::Path,
    port: u16,
) -> BenchResult<rocket::Rocket<rocket::Build>> {
    let key = || {
        let mut bytes = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
        hex::encode(bytes)
    };
    let data = dir.join("portal");
    let figment: Figment = rocket::Config::figment()
        .merge(("data_dir", data.display().to_string()))
        .merge((
            "database_url",
            format!("sqlite://{}?mode=rwc", data.join("portal.db").display()),
        ))
        .merge(("master_key", key()))
        .merge(("receipt_key", key()))
        .merge(("secret_key", key()))
        .merge(("address", "127.0.0.1"))
        .merge(("port", port))
        .merge(("log_level", "off"))
        .merge(("retention.run_daily", false))
        .merge(("notify_worker", false));
    Ok(conduct_portal::app::build(figment, conduct_portal::app::system_clock()).await?)
}

/// The rows of the bare pages made so far, each list one page.
#[derive(Default)]
struct BarePages(std::sync::RwLock<HashMap<usize, Vec<String>>>);

impl BarePages {
    /// Prepares a page of about `bytes` bytes; returns its number.
    fn add(&self, bytes: usize) -> usize {
        let mut pages = self.0.write().unwrap_or_else(|e| e.into_inner());
        let index = pages.len() + 1;
        pages.insert(index, rows_for(bytes));
        index
    }
}

/// The bare template's frame around the rows, and each row's `<p></p>\n`.
const FRAME: usize = BARE_TEMPLATE.len() - ROW_TAGS.len();
const ROW_TAGS: &str = "{% for row in rows %}<p>{{ row }}</p>\n{% endfor %}";
const ROW_OVERHEAD: usize = "<p></p>\n".len();
const BARE_TEMPLATE: &str = "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">\
<title>bare</title></head><body>\n{% for row in rows %}<p>{{ row }}</p>\n{% endfor %}</body></html>\n";

/// Rows of plain ASCII text (nothing to escape) adding up to `bytes` with the frame.
fn rows_for(bytes: usize) -> Vec<String> {
    let line = "Cong ty Dien luc - Doi Quan ly van hanh - to cong tac so 12 - ghi chi so cong to thang nay";
    let mut left = bytes.saturating_sub(FRAME);
    let mut rows = Vec::new();
    while left > ROW_OVERHEAD {
        let take = (left - ROW_OVERHEAD).min(line.len());
        rows.push(line[..take].to_string());
        left -= take + ROW_OVERHEAD;
    }
    rows
}

#[derive(Serialize)]
struct BareView<'a> {
    rows: &'a [String],
}

#[rocket::get("/bare/<n>")]
fn bare(n: usize, pages: &State<Arc<BarePages>>) -> Option<Template> {
    let pages = pages.0.read().unwrap_or_else(|e| e.into_inner());
    let rows = if n == 0 {
        &[][..]
    } else {
        pages.get(&n)?.as_slice()
    };
    Some(Template::render("bare", BareView { rows }))
}

/// Rocket with the Tera fairing and one route, nothing else.
fn bare_server(
    dir: &std::path::Path,
    port: u16,
    pages: Arc<BarePages>,
) -> BenchResult<rocket::Rocket<rocket::Build>> {
    let templates = dir.join("bare-templates");
    std::fs::create_dir_all(&templates)?;
    std::fs::write(templates.join("bare.html.tera"), BARE_TEMPLATE)?;
    // Outside debug builds Rocket refuses to launch with private cookies and no secret key.
    let mut secret = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut secret);
    let figment = Figment::from(rocket::Config::default())
        .merge(("secret_key", hex::encode(secret)))
        .merge(("address", "127.0.0.1"))
        .merge(("port", port))
        .merge(("log_level", "off"))
        .merge(("template_dir", templates.display().to_string()));
    Ok(rocket::custom(figment)
        .attach(Template::fairing())
        .manage(pages)
        .mount("/", rocket::routes![bare]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_rows_add_up_to_the_size_asked_for() {
        for bytes in [300, 1_000, 10_000, 31_337] {
            let rows = rows_for(bytes);
            let total: usize = FRAME + rows.iter().map(|r| r.len() + ROW_OVERHEAD).sum::<usize>();
            assert!(bytes - total <= ROW_OVERHEAD, "{bytes}: {total}");
        }
    }
}
