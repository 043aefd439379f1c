//! The pages' templates and the static files, compiled into the binary so that the portal runs
//! from any directory (an operator copies the binary to a server, as with vaultwarden).
//!
//! In the source checkout the configured `template_dir` and `static_dir` exist and are used as
//! they are (templates reload while developing). Where they do not exist, the embedded copies are
//! written under `<data_dir>/assets/` at start-up — replaced at every start, so they always match
//! the binary — and Rocket is pointed there. Nothing else changes.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use rocket::figment::value::magic::RelativePathBuf;
use rocket::figment::Figment;

static TEMPLATES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/templates");
static STATIC: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/static");

/// The figment with a `template_dir` that exists, and the static directory to serve.
pub fn resolve(figment: Figment, data_dir: &Path) -> std::io::Result<(Figment, PathBuf)> {
    let configured = |key: &str, default: &str| {
        figment
            .extract_inner::<RelativePathBuf>(key)
            .map(|p| p.relative())
            .unwrap_or_else(|_| default.into())
    };
    let templates = configured("template_dir", "templates");
    let statics = configured("static_dir", "static");
    let mut figment = figment;
    let root = data_dir.join("assets");
    if !templates.is_dir() {
        let target = root.join("templates");
        extract(&TEMPLATES, &target)?;
        figment = figment.merge(("template_dir", target.display().to_string()));
        tracing::info!(dir = %target.display(), "serving the templates compiled into the binary");
    }
    let statics = if statics.is_dir() {
        statics
    } else {
        let target = root.join("static");
        extract(&STATIC, &target)?;
        tracing::info!(dir = %target.display(), "serving the static files compiled into the binary");
        target
    };
    Ok((figment, statics))
}

/// Writes `dir` to `target`, replacing whatever an earlier start left there.
fn extract(dir: &Dir<'_>, target: &Path) -> std::io::Result<()> {
    if target.exists() {
        std::fs::remove_dir_all(target)?;
    }
    std::fs::create_dir_all(target)?;
    dir.extract(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_copies_hold_the_base_layout_and_the_style_sheet() {
        assert!(TEMPLATES.get_file("base.html.tera").is_some());
        assert!(STATIC.get_file("css/site.css").is_some());
    }

    #[test]
    fn missing_directories_are_replaced_by_the_embedded_copies() {
        let data = tempfile::tempdir().unwrap();
        let figment = Figment::new()
            .merge(("template_dir", "/nonexistent/templates"))
            .merge(("static_dir", "/nonexistent/static"));
        let (figment, statics) = resolve(figment, data.path()).unwrap();
        let templates: String = figment.extract_inner("template_dir").unwrap();
        assert!(Path::new(&templates).join("base.html.tera").is_file());
        assert!(statics.join("css/site.css").is_file());
        // A second start replaces them.
        let (_, again) = resolve(
            Figment::new().merge(("static_dir", "/nonexistent/static")),
            data.path(),
        )
        .unwrap();
        assert_eq!(again, statics);
    }
}
