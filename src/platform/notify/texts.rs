//! The messages' words, from `locales/{vi,en}/notifications.ftl` (embedded at build time):
//! Vietnamese unless a staff member's language says otherwise. Every text takes only the case
//! reference and a link.

use std::sync::LazyLock;

use fluent_templates::fluent_bundle::concurrent::FluentBundle;
use fluent_templates::fluent_bundle::{FluentArgs, FluentResource};

type Bundle = FluentBundle<FluentResource>;

fn bundle(lang: &str, source: &'static str) -> Bundle {
    let id: fluent_templates::LanguageIdentifier = lang.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    // The catalogue is checked by the unit test below; a broken entry is only left out.
    let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, _)| r);
    let _ = bundle.add_resource(resource);
    bundle
}

static VI: LazyLock<Bundle> =
    LazyLock::new(|| bundle("vi", include_str!("../../../locales/vi/notifications.ftl")));
static EN: LazyLock<Bundle> =
    LazyLock::new(|| bundle("en", include_str!("../../../locales/en/notifications.ftl")));

/// The text of `key` in `lang` (`vi` or `en`) with the reference and the link filled in; the
/// key itself when the catalogue lacks it.
pub fn render(lang: &str, key: &str, reference: &str, link: &str) -> String {
    let bundle: &Bundle = if lang == "en" { &EN } else { &VI };
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        return key.to_string();
    };
    let mut args = FluentArgs::new();
    args.set("reference", reference.to_string());
    args.set("link", link.to_string());
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&args), &mut errors)
        .into_owned()
}

/// Every kind a message may have; each has `notify-<kind>` in both catalogues.
pub const KINDS: &[&str] = &[
    "case-new",
    "case-assigned",
    "case-reply",
    "identity-decided",
    "deadline-50",
    "deadline-75",
    "deadline-90",
    "deadline-100",
    "case-overdue",
    "retention-warning",
    "receipt-code",
    "reporter-accepted",
    "reporter-not-accepted",
    "reporter-extended",
    "reporter-concluded",
    "reporter-message",
    "test",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_text_in_both_languages_with_its_link() {
        for lang in ["vi", "en"] {
            for kind in KINDS {
                let text = render(lang, &format!("notify-{kind}"), "PA-2026-000001", "L1NK");
                assert!(!text.starts_with("notify-"), "{lang} {kind}");
                assert!(text.contains("L1NK"), "{lang} {kind}: {text}");
            }
            for key in [
                "notify-subject",
                "notify-digest-subject",
                "notify-digest-intro",
            ] {
                assert!(!render(lang, key, "PA-2026-000001", "").starts_with("notify-"));
            }
        }
    }
}
