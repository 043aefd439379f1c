//! `405 Method Not Allowed` for the API: a method no route of an existing API path serves (or
//! one Rocket does not know at all, such as `QUERY`) is answered 405 with `Allow`, not 404, so
//! a client can tell a wrong method from a wrong path.

use rocket::http::{Method, Status};
use rocket::Request;

/// The methods the API serves at the request's path, when it is an API path that exists and
/// the request's method (or its absence of a route) says it was refused for its method.
pub fn allowed(req: &Request<'_>, status: Status) -> Option<Vec<Method>> {
    // Rocket answers an unknown method with 400 before routing, with the method set to GET.
    let refused_method =
        req.route().is_none() && (status == Status::NotFound || status == Status::BadRequest);
    if !refused_method {
        return None;
    }
    let path = req.uri().path();
    let mut methods: Vec<Method> = req
        .rocket()
        .routes()
        .filter(|route| route.method != Method::Options)
        .filter(|route| matches(route.uri.path(), path.as_str()))
        .map(|route| route.method)
        .collect();
    if methods.is_empty() {
        return None;
    }
    let known = status == Status::NotFound;
    if known && methods.contains(&req.method()) {
        return None;
    }
    if methods.contains(&Method::Get) {
        methods.push(Method::Head);
    }
    methods.push(Method::Options);
    methods.sort_by_key(|m| m.as_str());
    methods.dedup();
    Some(methods)
}

/// Whether a route's path pattern (`/api/v1/cases/<id>`) matches a path, segment by segment.
fn matches(pattern: &str, path: &str) -> bool {
    let mut segments = path.trim_start_matches('/').split('/');
    for expected in pattern.trim_start_matches('/').split('/') {
        if expected.starts_with('<') && expected.ends_with("..>") {
            return true;
        }
        match segments.next() {
            Some(segment) if expected.starts_with('<') => {
                if segment.is_empty() {
                    return false;
                }
            }
            Some(segment) if segment == expected => {}
            _ => return false,
        }
    }
    segments.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn a_pattern_matches_its_paths_segment_by_segment() {
        assert!(matches("/api/v1/cases/<id>", "/api/v1/cases/12"));
        assert!(!matches("/api/v1/cases/<id>", "/api/v1/cases"));
        assert!(!matches("/api/v1/cases/<id>", "/api/v1/cases/12/x"));
        assert!(matches("/api/v1/units", "/api/v1/units"));
        assert!(!matches("/api/v1/units", "/api/v1/unitsx"));
        assert!(matches("/api/v1/<_..>", "/api/v1/a/b"));
    }
}
