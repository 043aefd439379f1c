//! Vietnamese first, English second. Catalogues live in `locales/{vi,en}/*.ftl` with the same
//! keys (a test enforces it). The language comes from `?lang=`, then the `lang` cookie, then
//! `Accept-Language`, and defaults to Vietnamese.

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use rocket::http::{Cookie, SameSite};
use rocket::request::{FromRequest, Outcome, Request};
use serde::Serialize;

fluent_templates::static_loader! {
    pub static LOCALES = {
        locales: "./locales",
        fallback_language: "vi",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language the portal speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Vi,
    En,
}

pub const LANG_COOKIE: &str = "lang";

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    /// The text of a bilingual record (a unit's name, a category's label) in this language.
    pub fn pick(self, vi: &str, en: &str) -> String {
        match self {
            Lang::Vi => vi.to_string(),
            Lang::En => en.to_string(),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Self {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    pub fn langid(self) -> LanguageIdentifier {
        match self {
            Lang::Vi => fluent_templates::langid!("vi"),
            Lang::En => fluent_templates::langid!("en"),
        }
    }

    /// The message for `key` in this language.
    pub fn t(self, key: &str) -> String {
        LOCALES.lookup(&self.langid(), key)
    }

    /// The message for `key` with named arguments.
    pub fn t_args(self, key: &str, args: &[(&str, String)]) -> String {
        let args: std::collections::HashMap<std::borrow::Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(name, value)| {
                (
                    std::borrow::Cow::Owned(name.to_string()),
                    FluentValue::from(value.clone()),
                )
            })
            .collect();
        LOCALES.lookup_with_args(&self.langid(), key, &args)
    }

    /// Picks the best supported language from an `Accept-Language` header.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut candidates: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let lang = Lang::from_code(pieces.next()?)?;
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                (quality > 0.0).then_some((quality, lang))
            })
            .collect();
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
        candidates.first().map(|(_, lang)| *lang)
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Lang {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(*req.local_cache(|| resolve_sync(req)))
    }
}

/// The request's language; cached per request by callers through `local_cache`.
pub fn resolve_sync(req: &Request<'_>) -> Lang {
    if let Some(lang) = req
        .query_value::<&str>("lang")
        .and_then(Result::ok)
        .and_then(Lang::from_code)
    {
        req.cookies().add(
            Cookie::build((LANG_COOKIE, lang.code()))
                .path("/")
                .same_site(SameSite::Lax)
                .http_only(true)
                .max_age(rocket::time::Duration::days(365)),
        );
        return lang;
    }
    if let Some(lang) = req
        .cookies()
        .get(LANG_COOKIE)
        .and_then(|c| Lang::from_code(c.value()))
    {
        return lang;
    }
    req.headers()
        .get_one("Accept-Language")
        .and_then(Lang::from_accept_language)
        .unwrap_or(Lang::Vi)
}

/// Where the language switch of a page leads: the same address for a page that was read, but
/// the home page after a form was sent (a POST address, or the CSRF refusal's internal one,
/// has no page to show again in the other language).
pub fn switch_target(req: &Request<'_>) -> String {
    let path = req.uri().path();
    let readable = matches!(
        req.method(),
        rocket::http::Method::Get | rocket::http::Method::Head
    );
    if readable && !path.starts_with("/__") {
        path.to_string()
    } else {
        "/".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_the_highest_quality_supported_language() {
        assert_eq!(
            Lang::from_accept_language("fr-FR, en-US;q=0.8, vi;q=0.9"),
            Some(Lang::Vi)
        );
        assert_eq!(Lang::from_accept_language("en-GB,en;q=0.9"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("fr, de"), None);
        assert_eq!(
            Lang::from_accept_language("vi;q=0, en;q=0.1"),
            Some(Lang::En)
        );
    }

    #[test]
    fn the_catalogue_answers_in_both_languages() {
        assert_ne!(Lang::Vi.t("site-name"), Lang::En.t("site-name"));
    }
}
