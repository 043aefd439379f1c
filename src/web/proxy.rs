//! Who is asking, and over what: the client's address and whether the browser reached the
//! portal over HTTPS, believing the proxy headers only from a peer in `trusted_proxies`.
//!
//! The address is only ever a key for counters (throttles, upload budget, the commendation
//! limit): in memory on SQLite, and on PostgreSQL stored only as a keyed hash
//! (`platform::coordination::counters`); it is never stored in clear or logged. Rocket's own `ip_header` stays off
//! (`Rocket.toml`): it would believe `X-Real-IP` from anyone.

use std::net::IpAddr;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Header;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::Response;

use crate::platform::net::{is_trusted, Cidr};
use crate::web::state::AppState;

/// The client's address: the connection's peer, or — when the peer is a trusted proxy — the
/// address the proxy names. The one guard every per-client counter uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub Option<IpAddr>);

impl ClientAddress {
    /// The counters' key ("unknown" when there is no peer, as for some local clients).
    pub fn key(&self) -> String {
        self.0
            .map(|ip| ip.to_canonical().to_string())
            .unwrap_or_else(|| "unknown".to_string())
    }
}

/// What the proxy headers were found to say, worked out once per request.
#[derive(Debug, Clone, Copy)]
struct Forwarded {
    client: Option<IpAddr>,
    https: bool,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ClientAddress {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(client_address(req))
    }
}

/// The client's address of `req`.
pub fn client_address(req: &Request<'_>) -> ClientAddress {
    ClientAddress(forwarded(req).client)
}

fn trusted_ranges<'a>(req: &'a Request<'_>) -> &'a [Cidr] {
    req.rocket()
        .state::<AppState>()
        .map(|state| state.config.trusted_proxies.as_slice())
        .unwrap_or_default()
}

fn forwarded(req: &Request<'_>) -> Forwarded {
    *req.local_cache(|| {
        let peer = req.remote().map(|addr| addr.ip().to_canonical());
        let trusted = trusted_ranges(req);
        match peer {
            Some(ip) if is_trusted(trusted, ip) => Forwarded {
                client: Some(named_client(req, trusted).unwrap_or(ip)),
                https: req
                    .headers()
                    .get_one("X-Forwarded-Proto")
                    .and_then(|value| value.split(',').next())
                    .is_some_and(|scheme| scheme.trim().eq_ignore_ascii_case("https")),
            },
            _ => Forwarded {
                client: peer,
                https: false,
            },
        }
    })
}

/// The address a trusted proxy names: in `X-Forwarded-For` the right-most entry that is not
/// itself a trusted proxy (entries further left were written by the client and prove
/// nothing), else `X-Real-IP`.
fn named_client(req: &Request<'_>, trusted: &[Cidr]) -> Option<IpAddr> {
    let chain: Vec<&str> = req
        .headers()
        .get("X-Forwarded-For")
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .collect();
    if !chain.is_empty() {
        let mut nearest = None;
        for entry in chain.iter().rev() {
            let ip = parse_address(entry)?;
            nearest = Some(ip);
            if !is_trusted(trusted, ip) {
                break;
            }
        }
        return nearest;
    }
    req.headers()
        .get_one("X-Real-IP")
        .and_then(|value| parse_address(value.trim()))
}

/// An address, with or without a port (`203.0.113.9`, `203.0.113.9:5000`, `[2001:db8::1]:80`).
fn parse_address(text: &str) -> Option<IpAddr> {
    text.parse::<IpAddr>()
        .ok()
        .or_else(|| {
            text.parse::<std::net::SocketAddr>()
                .ok()
                .map(|addr| addr.ip())
        })
        .map(|ip| ip.to_canonical())
}

/// Whether this response travels to the browser over HTTPS: Rocket's own TLS, a `public_url`
/// starting with `https://`, or `X-Forwarded-Proto: https` from a trusted proxy.
pub fn is_secure(req: &Request<'_>) -> bool {
    let configured = req
        .rocket()
        .state::<AppState>()
        .is_some_and(|state| state.tls || state.config.public_url_is_https());
    configured || forwarded(req).https
}

pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Over HTTPS: every cookie `Secure` (whichever code set it) and `Strict-Transport-Security`.
pub struct SecureTransport;

#[rocket::async_trait]
impl Fairing for SecureTransport {
    fn info(&self) -> Info {
        Info {
            name: "Secure cookies and HSTS over HTTPS",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        if !is_secure(req) {
            return;
        }
        res.set_header(Header::new("Strict-Transport-Security", HSTS));
        let cookies: Vec<String> = res.headers().get("Set-Cookie").map(String::from).collect();
        if cookies.is_empty() {
            return;
        }
        res.remove_header("Set-Cookie");
        for cookie in cookies {
            res.adjoin_header(Header::new("Set-Cookie", with_secure(cookie)));
        }
    }
}

/// A `Set-Cookie` value with the `Secure` attribute (added once).
fn with_secure(cookie: String) -> String {
    let has_secure = cookie
        .split(';')
        .skip(1)
        .any(|attribute| attribute.trim().eq_ignore_ascii_case("secure"));
    if has_secure {
        cookie
    } else {
        format!("{cookie}; Secure")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secure_is_added_once_and_only_as_an_attribute() {
        assert_eq!(
            with_secure("sid=abc; Path=/; HttpOnly".into()),
            "sid=abc; Path=/; HttpOnly; Secure"
        );
        assert_eq!(
            with_secure("sid=abc; Secure; HttpOnly".into()),
            "sid=abc; Secure; HttpOnly"
        );
        // A value that happens to read "secure" is not the attribute.
        assert_eq!(with_secure("lang=secure".into()), "lang=secure; Secure");
    }

    #[test]
    fn addresses_are_read_with_or_without_a_port() {
        assert_eq!(parse_address("203.0.113.9"), "203.0.113.9".parse().ok());
        assert_eq!(
            parse_address("203.0.113.9:5000"),
            "203.0.113.9".parse().ok()
        );
        assert_eq!(
            parse_address("[2001:db8::1]:80"),
            "2001:db8::1".parse().ok()
        );
        assert_eq!(parse_address("unknown"), None);
    }
}
