//! CSRF protection for every state-changing request, deny by default.
//!
//! Each browser gets a random token in a private (encrypted, HttpOnly, SameSite=Strict) cookie;
//! every form carries it as its first field, `csrf_token` (the `csrf()` template macro). A
//! fairing checks every POST, PUT, PATCH and DELETE before any route runs: it reads the token
//! from the first bytes of the body (or the `X-CSRF-Token` header) and, when it is missing or
//! wrong, reroutes the request to a handler that answers 403. A new route therefore cannot
//! forget the check. Multipart forms work too: the token part comes first. `/api/` is left out:
//! a cookie never authenticates an API call (`auth::api_token`), so there is no session to ride.

use rand::rngs::OsRng;
use rand::RngCore;
use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::{Cookie, Method, SameSite};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::{uri, Data};
use subtle::ConstantTimeEq;

pub const CSRF_COOKIE: &str = "csrf";
pub const CSRF_FIELD: &str = "csrf_token";
pub const CSRF_HEADER: &str = "X-CSRF-Token";
/// Where rejected requests are sent; the handler answers 403.
pub const REJECTED_PATH: &str = "/__rejected/csrf";

/// The browser's CSRF token, created on first use.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for CsrfToken {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let token = req.local_cache(|| {
            if let Some(existing) = current_token(req) {
                return existing;
            }
            let mut bytes = [0u8; 32];
            OsRng.fill_bytes(&mut bytes);
            let token = hex::encode(bytes);
            req.cookies().add_private(
                Cookie::build((CSRF_COOKIE, token.clone()))
                    .path("/")
                    .same_site(SameSite::Strict)
                    .http_only(true),
            );
            token
        });
        Outcome::Success(CsrfToken(token.clone()))
    }
}

fn current_token(req: &Request<'_>) -> Option<String> {
    req.cookies()
        .get_private(CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| v.len() == 64)
}

/// The fairing that enforces the check.
pub struct CsrfFairing;

#[rocket::async_trait]
impl Fairing for CsrfFairing {
    fn info(&self) -> Info {
        Info {
            name: "CSRF check",
            kind: Kind::Request,
        }
    }

    async fn on_request(&self, req: &mut Request<'_>, data: &mut Data<'_>) {
        if !matches!(
            req.method(),
            Method::Post | Method::Put | Method::Patch | Method::Delete
        ) {
            return;
        }
        // API calls carry a bearer token, never a cookie (`web::api`): no session to forge.
        if super::api::is_api_path(req.uri().path().as_str()) {
            return;
        }
        let expected = current_token(req);
        let submitted = match req.headers().get_one(CSRF_HEADER) {
            Some(header) => Some(header.to_string()),
            None => {
                let is_multipart = req
                    .content_type()
                    .is_some_and(|ct| ct.top() == "multipart" && ct.sub() == "form-data");
                let head = data.peek(512).await;
                if is_multipart {
                    token_from_multipart(head)
                } else {
                    token_from_urlencoded(head)
                }
            }
        };
        let valid = match (expected, submitted) {
            (Some(expected), Some(submitted)) => {
                expected.len() == submitted.len()
                    && bool::from(expected.as_bytes().ct_eq(submitted.as_bytes()))
            }
            _ => false,
        };
        if !valid {
            tracing::warn!("request refused: missing or invalid CSRF token");
            req.set_method(Method::Post);
            req.set_uri(uri!("/__rejected/csrf"));
        }
    }
}

/// Finds `csrf_token=…` among the urlencoded pairs in `head`.
fn token_from_urlencoded(head: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(head).ok().or_else(|| {
        // The peek may cut a multi-byte character in half; the token is ASCII and comes first.
        let valid_up_to = std::str::from_utf8(head).err()?.valid_up_to();
        std::str::from_utf8(&head[..valid_up_to]).ok()
    })?;
    text.split('&').find_map(|pair| {
        let value = pair.strip_prefix(CSRF_FIELD)?.strip_prefix('=')?;
        (value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| value.to_string())
    })
}

/// Finds the `csrf_token` part's value in the first bytes of a multipart body.
fn token_from_multipart(head: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(head);
    let marker = format!("name=\"{CSRF_FIELD}\"");
    let after_name = &text[text.find(&marker)? + marker.len()..];
    let value_start = after_name.find("\r\n\r\n")? + 4;
    let value: String = after_name[value_start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    (value.len() == 64).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn urlencoded_token_is_found_among_other_fields() {
        let body = format!("csrf_token={TOKEN}&description=xin+ch%C3%A0o");
        assert_eq!(
            token_from_urlencoded(body.as_bytes()).as_deref(),
            Some(TOKEN)
        );
        let body = format!("a=1&csrf_token={TOKEN}");
        assert_eq!(
            token_from_urlencoded(body.as_bytes()).as_deref(),
            Some(TOKEN)
        );
        assert_eq!(token_from_urlencoded(b"csrf_token=short&a=1"), None);
        assert_eq!(token_from_urlencoded(b"a=1"), None);
    }

    #[test]
    fn multipart_token_is_read_from_its_part() {
        let body = format!(
            "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{TOKEN}\r\n--XyZ\r\n"
        );
        assert_eq!(
            token_from_multipart(body.as_bytes()).as_deref(),
            Some(TOKEN)
        );
        assert_eq!(token_from_multipart(b"--XyZ\r\n"), None);
    }
}
