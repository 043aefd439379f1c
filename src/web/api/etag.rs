//! Cacheable JSON: a strong `ETag` (a hash of the body) with `Cache-Control: no-cache`, so a
//! client keeps the list and revalidates it; `If-None-Match` with the current tag answers
//! `304 Not Modified` without a body.

use rocket::http::{ContentType, Header, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::{self, Responder, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The `If-None-Match` header of the request, as sent.
pub struct IfNoneMatch(pub Option<String>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for IfNoneMatch {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(IfNoneMatch(
            req.headers().get_one("If-None-Match").map(str::to_string),
        ))
    }
}

/// A JSON body with its entity tag.
pub struct Tagged {
    body: String,
    tag: String,
    not_modified: bool,
}

impl Tagged {
    /// Serializes `value`, tags it and compares with what the client holds.
    pub fn new(value: &impl Serialize, held: &IfNoneMatch) -> Result<Self, serde_json::Error> {
        let body = serde_json::to_string(value)?;
        let digest = Sha256::digest(body.as_bytes());
        let tag = format!("\"{}\"", hex::encode(&digest[..16]));
        let not_modified = held
            .0
            .as_deref()
            .is_some_and(|header| matches(header, &tag));
        Ok(Self {
            body,
            tag,
            not_modified,
        })
    }
}

/// Whether an `If-None-Match` value names `tag` (weak comparison, `*` matches anything).
fn matches(header: &str, tag: &str) -> bool {
    header.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == tag
    })
}

impl<'r> Responder<'r, 'static> for Tagged {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        let mut response = Response::build();
        response
            .header(Header::new("ETag", self.tag))
            .header(Header::new("Cache-Control", "no-cache"));
        if self.not_modified {
            response.status(Status::NotModified);
        } else {
            response
                .header(ContentType::JSON)
                .sized_body(self.body.len(), std::io::Cursor::new(self.body));
        }
        Ok(response.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn if_none_match_names_the_tag_strong_weak_or_star() {
        assert!(matches("\"abc\"", "\"abc\""));
        assert!(matches("W/\"abc\"", "\"abc\""));
        assert!(matches("\"x\", \"abc\"", "\"abc\""));
        assert!(matches("*", "\"abc\""));
        assert!(!matches("\"abd\"", "\"abc\""));
        assert!(!matches("abc", "\"abc\""));
    }
}
