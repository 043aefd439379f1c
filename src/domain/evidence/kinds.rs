//! The allow-list of evidence kinds, decided by the file's bytes (never by its name or the
//! browser's Content-Type), the reasons a file is refused, and the uploaded name as display
//! text. Used through `content` by `platform::evidence::upload`, `web::upload` and the case
//! evidence pages. Pure, no I/O.

use unicode_normalization::UnicodeNormalization;

/// How many leading bytes are buffered before the type is decided (Office files need a few KiB
/// to tell a Word document from a workbook).
pub const SNIFF_LEN: usize = 16 * 1024;

/// The allowed kinds of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Webp,
    Heic,
    Pdf,
    Mp3,
    M4a,
    Ogg,
    Mp4,
    Docx,
    Xlsx,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::Jpeg,
        Kind::Png,
        Kind::Webp,
        Kind::Heic,
        Kind::Pdf,
        Kind::Mp3,
        Kind::M4a,
        Kind::Ogg,
        Kind::Mp4,
        Kind::Docx,
        Kind::Xlsx,
    ];

    /// The kind `infer` reports for these leading bytes, when it is on the allow-list.
    pub fn sniff(head: &[u8]) -> Option<Kind> {
        let found = infer::get(head)?;
        Some(match found.mime_type() {
            "image/jpeg" => Kind::Jpeg,
            "image/png" => Kind::Png,
            "image/webp" => Kind::Webp,
            "image/heif" => Kind::Heic,
            "application/pdf" => Kind::Pdf,
            "audio/mpeg" => Kind::Mp3,
            "audio/m4a" => Kind::M4a,
            "audio/ogg" | "audio/opus" => Kind::Ogg,
            "video/mp4" => Kind::Mp4,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => Kind::Docx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => Kind::Xlsx,
            _ => return None,
        })
    }

    /// The media type served with the file.
    pub fn media_type(self) -> &'static str {
        match self {
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Webp => "image/webp",
            Kind::Heic => "image/heic",
            Kind::Pdf => "application/pdf",
            Kind::Mp3 => "audio/mpeg",
            Kind::M4a => "audio/mp4",
            Kind::Ogg => "audio/ogg",
            Kind::Mp4 => "video/mp4",
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Kind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    pub fn from_media_type(media_type: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.media_type() == media_type)
    }

    /// The name endings that agree with this content.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Kind::Jpeg => &["jpg", "jpeg", "jfif", "jpe"],
            Kind::Png => &["png"],
            Kind::Webp => &["webp"],
            Kind::Heic => &["heic", "heif", "hif"],
            Kind::Pdf => &["pdf"],
            Kind::Mp3 => &["mp3"],
            Kind::M4a => &["m4a", "mp4", "aac"],
            Kind::Ogg => &["ogg", "oga", "opus"],
            Kind::Mp4 => &["mp4", "m4v", "m4a"],
            Kind::Docx => &["docx"],
            Kind::Xlsx => &["xlsx"],
        }
    }

    /// Images browsers can show inline.
    pub fn previewable(self) -> bool {
        matches!(self, Kind::Jpeg | Kind::Png | Kind::Webp)
    }

    /// Images: `image::clean_image` removes their metadata (without re-encoding) into a copy.
    pub fn is_image(self) -> bool {
        matches!(self, Kind::Jpeg | Kind::Png | Kind::Webp | Kind::Heic)
    }
}

/// Why a file is refused. Each maps to a message naming what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not on the allow-list (HTML, SVG, scripts, executables, archives, …).
    NotAllowed,
    /// The name says one type, the content another.
    NameMismatch,
    /// Scripts or markup inside the file, or a second format hidden in it.
    ActiveContent,
    /// The file claims to be an image but cannot be read as one.
    Damaged,
    Empty,
    TooLarge,
    TooMany,
    ReportFull,
    /// This address uploaded its hourly allowance already.
    Budget,
}

impl Refusal {
    /// The message key (locales) explaining the refusal.
    pub fn message_key(&self) -> &'static str {
        match self {
            Refusal::NotAllowed => "evidence-error-type",
            Refusal::NameMismatch => "evidence-error-mismatch",
            Refusal::ActiveContent => "evidence-error-active",
            Refusal::Damaged => "evidence-error-damaged",
            Refusal::Empty => "evidence-error-empty",
            Refusal::TooLarge => "evidence-error-too-large",
            Refusal::TooMany => "evidence-error-too-many",
            Refusal::ReportFull => "evidence-error-report-full",
            Refusal::Budget => "evidence-error-budget",
        }
    }
}

/// The uploaded name as display text: last path component only, control and reserved
/// characters replaced, Unicode NFC, at most 120 characters. Never used to name storage.
pub fn sanitize_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .nfc()
        // Zero-width and byte-order marks vanish; direction overrides and isolates (which can
        // make `exe.jpg` read as `gpj.exe`) and reserved characters become `_`.
        .filter(|c| !matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}'))
        .map(|c| {
            let reserved = matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*');
            let bidi = matches!(
                c,
                '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            );
            if c.is_control() || reserved || bidi {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned
        .trim()
        .trim_start_matches('.')
        .trim_end_matches(['.', ' '])
        .trim();
    let mut name: String = trimmed.chars().take(120).collect();
    if name.is_empty() {
        name = "tep-dinh-kem".to_string();
    }
    name
}

/// The name's extension, lower-cased, when it looks like one.
fn extension(name: &str) -> Option<String> {
    let (_, ext) = name.rsplit_once('.')?;
    (!ext.is_empty() && ext.len() <= 5 && ext.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| ext.to_ascii_lowercase())
}

/// A name whose extension contradicts the content is refused; a name without one is fine.
pub fn check_name(name: &str, kind: Kind) -> Result<(), Refusal> {
    match extension(name) {
        Some(ext) if !kind.extensions().contains(&ext.as_str()) => Err(Refusal::NameMismatch),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::evidence::image::tests::jpeg_with_gps;

    #[test]
    fn sniffing_goes_by_content() {
        assert_eq!(Kind::sniff(&jpeg_with_gps("x")), Some(Kind::Jpeg));
        assert_eq!(Kind::sniff(b"%PDF-1.7\n%\xe2\xe3"), Some(Kind::Pdf));
        assert_eq!(Kind::sniff(b"<!DOCTYPE html><html></html>"), None);
        assert_eq!(Kind::sniff(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff"), None);
        assert_eq!(
            Kind::sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            None
        );
    }

    #[test]
    fn a_name_that_contradicts_the_content_is_refused() {
        assert_eq!(check_name("IMG_0001.JPG", Kind::Jpeg), Ok(()));
        assert_eq!(check_name("anh", Kind::Jpeg), Ok(()));
        assert_eq!(
            check_name("anh.png", Kind::Jpeg),
            Err(Refusal::NameMismatch)
        );
        assert_eq!(
            check_name("bao-cao.html", Kind::Pdf),
            Err(Refusal::NameMismatch)
        );
        assert_eq!(check_name("ghi-am.m4a", Kind::Mp4), Ok(()));
        assert_eq!(
            check_name(&sanitize_name("x.html."), Kind::Pdf),
            Err(Refusal::NameMismatch)
        );
    }

    #[test]
    fn names_are_display_text_only() {
        assert_eq!(sanitize_name("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_name("C:\\Users\\a\\ảnh chụp.jpg"), "ảnh chụp.jpg");
        assert_eq!(sanitize_name("..\\..\\.."), "tep-dinh-kem");
        assert_eq!(sanitize_name("a<b>\u{0}c.pdf"), "a_b__c.pdf");
        assert_eq!(sanitize_name(".htaccess"), "htaccess");
        assert_eq!(sanitize_name("anh\u{202e}gpj.exe"), "anh_gpj.exe");
        assert_eq!(sanitize_name("a\u{200b}b\u{2067}.pdf"), "ab_.pdf");
        assert_eq!(sanitize_name("trang.html. "), "trang.html");
        assert_eq!(sanitize_name(&"x".repeat(500)).chars().count(), 120);
    }
}
