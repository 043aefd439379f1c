//! `conduct-portal healthcheck`: asks the running portal's `/healthz` on the configured address
//! and port, for container health checks on an image without `curl` or `wget`. Reads only the
//! server settings (no database, no keys); an address of `0.0.0.0` or `::` is asked on loopback.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

pub async fn healthcheck() -> ExitCode {
    let config = match rocket::Config::try_from(rocket::Config::figment()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("unhealthy: invalid server setting: {error}");
            return ExitCode::FAILURE;
        }
    };
    let host = match config.address {
        IpAddr::V4(a) if a.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(a) if a.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        other => other,
    };
    let scheme = if config.tls_enabled() {
        "https"
    } else {
        "http"
    };
    let url = format!("{scheme}://{}/healthz", SocketAddr::new(host, config.port));
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
    {
        Ok(client) => client,
        Err(error) => {
            eprintln!("unhealthy: {error}");
            return ExitCode::FAILURE;
        }
    };
    match client.get(&url).send().await {
        Ok(response) if response.status().is_success() => {
            println!("healthy: {url}");
            ExitCode::SUCCESS
        }
        Ok(response) => {
            eprintln!("unhealthy: {url} answered {}", response.status());
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("unhealthy: {url}: {error}");
            ExitCode::FAILURE
        }
    }
}
