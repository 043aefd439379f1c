//! `GET /admin/privacy`: the record of processing (Law on Personal Data Protection No.
//! 91/2025/QH15) for admins, who keep it, and auditors, who check the portal against it.
//! The document is `docs/privacy/record-of-processing.md`, compiled in, so the page always
//! shows the text of the version running; above it, the retention periods in force, read from
//! the settings.
//!
//! Invariants: the Markdown is the project's own, yet it is rendered as if it were not: raw
//! HTML in it is shown as text, images are dropped (no resource is ever loaded from
//! elsewhere) and only links to an anchor, a portal path, `http(s)` or `mailto` stay links.

use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use rocket::{get, routes, Route, State};
use rocket_dyn_templates::Template;
use serde::Serialize;

use crate::auth::{Authorized, PrivacyReaders};
use crate::web::page::PageCtx;
use crate::web::privacy::{retention_rows, NoticeVersion, RetentionRow};
use crate::web::state::AppState;

/// The record of processing as written in the repository.
pub const RECORD_OF_PROCESSING: &str = include_str!("../../docs/privacy/record-of-processing.md");

pub fn routes() -> Vec<Route> {
    routes![show_record_of_processing]
}

/// The page `admin/privacy`.
#[derive(Debug, Serialize)]
pub struct RecordView {
    pub retention: Vec<RetentionRow>,
    pub warn_days: u32,
    pub notice: NoticeVersion,
    /// The document as HTML, safe to insert (see the module's invariants).
    pub document: &'static str,
}

#[get("/admin/privacy")]
fn show_record_of_processing(
    page: PageCtx,
    state: &State<AppState>,
    _user: Authorized<PrivacyReaders>,
) -> Template {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    let view = RecordView {
        retention: retention_rows(&state.config.retention, page.lang),
        warn_days: state.config.retention.warn_days,
        notice: NoticeVersion::current(),
        document: DOCUMENT.get_or_init(|| markdown_to_html(RECORD_OF_PROCESSING)),
    };
    page.render("admin/privacy", view)
}

/// Whether a link may stay a link: an anchor, a path on the portal, a web or mail address.
fn allowed_link(dest: &str) -> bool {
    let lower = dest.trim_start().to_ascii_lowercase();
    lower.starts_with('#')
        || (lower.starts_with('/') && !lower.starts_with("//"))
        || lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
}

/// One heading level down: the page's own title is the only `h1`.
fn below(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

/// CommonMark with tables to HTML, headings one level down; raw HTML becomes text, images and other links their text.
pub fn markdown_to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut dropped_link = false;
    let events = Parser::new_ext(markdown, options).filter_map(move |event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Some(Event::Text(text)),
        Event::Start(Tag::HtmlBlock) => Some(Event::Start(Tag::CodeBlock(CodeBlockKind::Indented))),
        Event::End(TagEnd::HtmlBlock) => Some(Event::End(TagEnd::CodeBlock)),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Some(Event::Start(Tag::Heading {
            level: below(level),
            id,
            classes,
            attrs,
        })),
        Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(below(level)))),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        Event::Start(Tag::Link { ref dest_url, .. }) if !allowed_link(dest_url) => {
            dropped_link = true;
            None
        }
        Event::End(TagEnd::Link) if dropped_link => {
            dropped_link = false;
            None
        }
        other => Some(other),
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_shown_as_text_never_passed_through() {
        let html = markdown_to_html(
            "Before <script>alert(1)</script> after.\n\n<div onclick=\"x()\">block</div>\n",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("&lt;div onclick="), "{html}");
    }

    #[test]
    fn only_safe_links_stay_links_and_images_are_dropped() {
        let html = markdown_to_html(
            "[a](#rights) [b](/privacy) [c](https://evn.com.vn) [d](javascript:alert(1)) \
             [e](breach-runbook.md) ![photo](https://example.com/x.png)",
        );
        assert!(html.contains("<a href=\"#rights\">a</a>"), "{html}");
        assert!(html.contains("<a href=\"/privacy\">b</a>"), "{html}");
        assert!(
            html.contains("<a href=\"https://evn.com.vn\">c</a>"),
            "{html}"
        );
        assert!(!html.contains("javascript"), "{html}");
        assert!(!html.contains("breach-runbook.md\""), "{html}");
        assert!(html.contains(" d "), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("photo"), "{html}");
    }

    #[test]
    fn the_record_of_processing_renders_with_its_tables() {
        let html = markdown_to_html(RECORD_OF_PROCESSING);
        assert!(html.contains("<table>"));
        assert!(html.contains("<h2>"));
        assert!(!html.contains("<h1>"));
        assert!(!html.contains("<script"));
    }
}
