//! What an uploaded file is, decided by its bytes and never by its name or the browser's
//! Content-Type: the allow-list, name sanitising, the checks that refuse active content and
//! polyglots, and the metadata-free copy of images. Pure functions, no I/O.

use bytes::Bytes;
use img_parts::jpeg::{markers, Jpeg};
use img_parts::png::Png;
use img_parts::webp::WebP;
use img_parts::ImageEXIF;
use memchr::memmem;
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

    /// Images: this module removes their metadata (without re-encoding) into a cleaned copy.
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

/// Markup long enough never to occur by chance (one 20 MB file in ~10¹¹): refused anywhere.
const MARKUP_ANYWHERE: [&[u8]; 3] = [b"<script", b"<iframe", b"<!doctype"];
/// Shorter markup, refused where browsers and content sniffers look (the start) and behind an
/// image's end; inside compressed data it would turn up by chance in one file out of hundreds.
const MARKUP_SHORT: [&[u8]; 9] = [
    b"<html", b"<body", b"<?php", b"<svg ", b"<svg>", b"<svg\n", b"<svg\r", b"<svg\t", b"<svg/",
];
const HEAD_SCAN: u64 = 4096;
/// Active content in a PDF (names compared after `#xx` escapes are decoded).
const PDF_ACTIVE: [&[u8]; 2] = [b"/javascript", b"/launch"];
/// A ZIP's end-of-central-directory record sits in the last 64 KiB + 22 bytes: an archive
/// appended to another format (the classic polyglot) shows up there.
const ZIP_END: &[u8] = b"PK\x05\x06";
const TAIL_KEEP: usize = 64 * 1024 + 22;
/// Bytes of the previous chunk searched again with the next one, so a pattern split across
/// chunks is still seen; long enough for a fully `#xx`-escaped `/JavaScript` (34 bytes).
const OVERLAP: usize = 64;

/// Watches a file's bytes as they stream past: markup, PDF scripts, a PDF header hidden near
/// the start of another format (readers accept `%PDF-` anywhere in the first KiB), and an
/// archive hidden at the end. Holds at most ~64 KiB whatever the file's size.
#[derive(Debug)]
pub struct Scanner {
    kind: Kind,
    tail: Vec<u8>,
    seen: u64,
    markup: bool,
    pdf_active: bool,
    pdf_header_late: bool,
}

impl Scanner {
    pub fn new(kind: Kind) -> Self {
        Self {
            kind,
            tail: Vec::new(),
            seen: 0,
            markup: false,
            pdf_active: false,
            pdf_header_late: false,
        }
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        let overlap = self.tail.len().min(OVERLAP);
        let mut window: Vec<u8> = self.tail[self.tail.len() - overlap..]
            .iter()
            .map(u8::to_ascii_lowercase)
            .collect();
        let window_start = self.seen - overlap as u64;
        window.extend(chunk.iter().map(u8::to_ascii_lowercase));
        if MARKUP_ANYWHERE
            .iter()
            .any(|m| memmem::find(&window, m).is_some())
        {
            self.markup = true;
        }
        if window_start < HEAD_SCAN {
            let end = window
                .len()
                .min((HEAD_SCAN - window_start) as usize + OVERLAP);
            if MARKUP_SHORT
                .iter()
                .any(|m| memmem::find(&window[..end], m).is_some())
            {
                self.markup = true;
            }
        }
        if self.kind == Kind::Pdf {
            let decoded = decode_pdf_name_escapes(&window);
            if PDF_ACTIVE
                .iter()
                .any(|m| memmem::find(&decoded, m).is_some())
            {
                self.pdf_active = true;
            }
        }
        if window_start < 1024 {
            let end = window.len().min((1024 - window_start) as usize + 5);
            if let Some(at) = memmem::find(&window[..end], b"%pdf-") {
                if window_start + at as u64 > 0 {
                    self.pdf_header_late = true;
                }
            }
        }
        self.seen += chunk.len() as u64;
        self.tail.extend_from_slice(chunk);
        if self.tail.len() > 2 * TAIL_KEEP {
            self.tail.drain(..self.tail.len() - TAIL_KEEP);
        }
    }

    /// The verdict once the whole file has passed.
    pub fn verdict(&self) -> Result<(), Refusal> {
        let hidden_pdf = self.kind != Kind::Pdf && self.pdf_header_late;
        let pdf_script = self.kind == Kind::Pdf && self.pdf_active;
        let last = &self.tail[self.tail.len().saturating_sub(TAIL_KEEP)..];
        let zip_inside =
            !matches!(self.kind, Kind::Docx | Kind::Xlsx) && memmem::find(last, ZIP_END).is_some();
        if self.markup || hidden_pdf || pdf_script || zip_inside {
            Err(Refusal::ActiveContent)
        } else {
            Ok(())
        }
    }
}

/// `/J#61vaScript` → `/javascript` (input already lower-cased): PDF names may escape any byte.
fn decode_pdf_name_escapes(window: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if !window.contains(&b'#') {
        return std::borrow::Cow::Borrowed(window);
    }
    let mut out = Vec::with_capacity(window.len());
    let mut i = 0;
    while i < window.len() {
        if window[i] == b'#' && i + 2 < window.len() {
            let hex = std::str::from_utf8(&window[i + 1..i + 3]).ok();
            if let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(byte.to_ascii_lowercase());
                i += 3;
                continue;
            }
        }
        out.push(window[i]);
        i += 1;
    }
    std::borrow::Cow::Owned(out)
}

/// An image copy without its metadata, and what was removed (codes for the locales).
#[derive(Debug)]
pub struct Cleaned {
    pub bytes: Bytes,
    pub removed: Vec<&'static str>,
}

/// Removes EXIF (with GPS), XMP, IPTC, comments, maker segments and anything after the image
/// from a JPEG, PNG or WebP, and the EXIF and XMP items of a HEIC, without re-encoding the
/// pixels. Refuses an image that cannot be
/// parsed or that carries an archive behind it.
pub fn clean_image(kind: Kind, original: Bytes) -> Result<Cleaned, Refusal> {
    let mut removed = Vec::new();
    let bytes = match kind {
        Kind::Jpeg => clean_jpeg(original, &mut removed)?,
        Kind::Png => clean_png(original, &mut removed)?,
        Kind::Webp => clean_webp(original, &mut removed)?,
        Kind::Heic => {
            let (bytes, codes) = super::heic::blank_metadata(&original).ok_or(Refusal::Damaged)?;
            removed = codes;
            Bytes::from(bytes)
        }
        _ => return Err(Refusal::Damaged),
    };
    Ok(Cleaned { bytes, removed })
}

fn note(removed: &mut Vec<&'static str>, code: &'static str) {
    if !removed.contains(&code) {
        removed.push(code);
    }
}

/// Data behind the image's end: harmless padding, or something to remove or refuse.
fn judge_trailer(trailer: &[u8], removed: &mut Vec<&'static str>) -> Result<(), Refusal> {
    if trailer.iter().all(|b| *b == 0 || b.is_ascii_whitespace()) {
        return Ok(());
    }
    let lower = trailer.to_ascii_lowercase();
    let markup = MARKUP_ANYWHERE
        .iter()
        .chain(MARKUP_SHORT.iter())
        .any(|m| memmem::find(&lower, m).is_some());
    if markup
        || memmem::find(trailer, b"PK\x03\x04").is_some()
        || memmem::find(trailer, b"%PDF-").is_some()
    {
        return Err(Refusal::ActiveContent);
    }
    note(removed, "trailer");
    Ok(())
}

fn clean_jpeg(original: Bytes, removed: &mut Vec<&'static str>) -> Result<Bytes, Refusal> {
    let mut jpeg = Jpeg::from_bytes(original).map_err(|_| Refusal::Damaged)?;
    if !jpeg.segments().iter().any(|s| s.marker() == markers::SOS) {
        return Err(Refusal::Damaged);
    }
    jpeg.segments_mut().retain(|segment| {
        match metadata_code(segment.marker(), segment.contents()) {
            Some(code) => {
                note(removed, code);
                false
            }
            None => true,
        }
    });
    let encoded = jpeg.encoder().bytes();
    // img-parts keeps everything after the first SOS as scan data. A progressive JPEG has more
    // scans after it, and metadata segments may sit between them: walk the markers to the EOI,
    // dropping those segments; what follows the EOI is a trailer.
    let sos = find_sos_data_start(&encoded).ok_or(Refusal::Damaged)?;
    let (kept, end) = strip_between_scans(&encoded, sos, removed).ok_or(Refusal::Damaged)?;
    judge_trailer(&encoded[end..], removed)?;
    Ok(Bytes::from(kept))
}

/// What a metadata segment holds, `None` for segments the image needs.
fn metadata_code(marker: u8, contents: &[u8]) -> Option<&'static str> {
    match marker {
        markers::APP1 if contents.starts_with(b"Exif\0") => Some("exif"),
        markers::APP1 => Some("xmp"),
        markers::APP2 if contents.starts_with(b"ICC_PROFILE\0") => None,
        markers::APP2 => Some("other"),
        markers::APP13 => Some("iptc"),
        markers::COM => Some("comment"),
        markers::APP3..=markers::APP12 | markers::APP15 => Some("other"),
        _ => None,
    }
}

/// From the first scan's data to the EOI: the bytes to keep (metadata segments between scans
/// removed) and where the EOI ends. In entropy-coded data an FF is always followed by 00
/// (stuffing), another FF (fill) or a restart marker; anything else is a real marker.
fn strip_between_scans(
    jpeg: &[u8],
    scan_start: usize,
    removed: &mut Vec<&'static str>,
) -> Option<(Vec<u8>, usize)> {
    let mut kept = Vec::with_capacity(jpeg.len());
    let mut copied_to = 0;
    let mut at = scan_start;
    while at + 1 < jpeg.len() {
        if jpeg[at] != 0xFF {
            at += 1;
            continue;
        }
        match jpeg[at + 1] {
            0x00 | 0x01 | 0xFF | markers::RST0..=markers::RST7 => at += 1,
            markers::EOI => {
                kept.extend_from_slice(&jpeg[copied_to..at + 2]);
                return Some((kept, at + 2));
            }
            marker => {
                let len = usize::from(u16::from_be_bytes([*jpeg.get(at + 2)?, *jpeg.get(at + 3)?]));
                let segment_end = at.checked_add(2 + len).filter(|end| *end <= jpeg.len())?;
                let contents = jpeg.get(at + 4..segment_end)?;
                if let Some(code) = metadata_code(marker, contents) {
                    note(removed, code);
                    kept.extend_from_slice(&jpeg[copied_to..at]);
                    copied_to = segment_end;
                }
                at = segment_end;
            }
        }
    }
    None
}

/// Offset of the first byte after the first SOS segment's header.
fn find_sos_data_start(jpeg: &[u8]) -> Option<usize> {
    let mut at = 2;
    while at + 4 <= jpeg.len() {
        if jpeg[at] != 0xFF {
            return None;
        }
        let marker = jpeg[at + 1];
        let len = u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]) as usize;
        if marker == markers::SOS {
            return Some(at + 2 + len);
        }
        at += 2 + len;
    }
    None
}

fn clean_png(original: Bytes, removed: &mut Vec<&'static str>) -> Result<Bytes, Refusal> {
    let total = original.len();
    let mut png = Png::from_bytes(original.clone()).map_err(|_| Refusal::Damaged)?;
    if png.chunks().last().map(|c| c.kind()) != Some(*b"IEND") {
        return Err(Refusal::Damaged);
    }
    let parsed = png.len();
    judge_trailer(&original[parsed.min(total)..], removed)?;
    for (kind, code) in [
        (*b"eXIf", "exif"),
        (*b"tEXt", "text"),
        (*b"zTXt", "text"),
        (*b"iTXt", "text"),
        (*b"tIME", "time"),
    ] {
        if png.chunk_by_type(kind).is_some() {
            note(removed, code);
            png.remove_chunks_by_type(kind);
        }
    }
    Ok(png.encoder().bytes())
}

fn clean_webp(original: Bytes, removed: &mut Vec<&'static str>) -> Result<Bytes, Refusal> {
    let total = original.len();
    let mut webp = WebP::from_bytes(original.clone()).map_err(|_| Refusal::Damaged)?;
    let parsed = webp.len() as usize + 8;
    judge_trailer(&original[parsed.min(total)..], removed)?;
    if webp.exif().is_some() || webp.has_chunk(*b"EXIF") {
        note(removed, "exif");
        webp.set_exif(None);
    }
    if webp.has_chunk(*b"XMP ") {
        note(removed, "xmp");
        webp.remove_chunks_by_id(*b"XMP ");
    }
    Ok(webp.encoder().bytes())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A structurally valid baseline JPEG with an EXIF segment carrying a GPS marker, an XMP
    /// packet and a comment. Pixels are irrelevant to the parser.
    pub fn jpeg_with_gps(marker: &str) -> Vec<u8> {
        let mut out = vec![0xFF, 0xD8];
        let segment = |out: &mut Vec<u8>, m: u8, body: &[u8]| {
            out.extend([0xFF, m]);
            out.extend(((body.len() + 2) as u16).to_be_bytes());
            out.extend(body);
        };
        segment(&mut out, 0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        let mut exif =
            b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x88\x25\0\x04\0\0\0\x01\0\0\0\x1a\0\0\0\0GPS "
                .to_vec();
        exif.extend(marker.as_bytes());
        segment(&mut out, 0xE1, &exif);
        segment(
            &mut out,
            0xE1,
            b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>XMP-CREATOR</x:xmpmeta>",
        );
        segment(&mut out, 0xFE, b"COMMENT-TEXT");
        segment(&mut out, 0xDB, &[0u8; 65]);
        segment(&mut out, 0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]);
        segment(&mut out, 0xDA, &[1, 1, 0, 0, 0x3F, 0]);
        out.extend([0x12, 0x34, 0xFF, 0x00, 0x56]);
        out.extend([0xFF, 0xD9]);
        out
    }

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

    #[test]
    fn the_scanner_finds_markup_across_chunk_boundaries() {
        let mut scanner = Scanner::new(Kind::Jpeg);
        scanner.feed(b"\xff\xd8\xff\xe0 some bytes <SCR");
        scanner.feed(b"IPT>alert(1)");
        assert_eq!(scanner.verdict(), Err(Refusal::ActiveContent));
        let mut pdf = Scanner::new(Kind::Pdf);
        pdf.feed(b"%PDF-1.7\n1 0 obj << /S /JavaS");
        pdf.feed(b"cript /JS (x) >>");
        assert_eq!(pdf.verdict(), Err(Refusal::ActiveContent));
        let mut escaped = Scanner::new(Kind::Pdf);
        escaped.feed(b"%PDF-1.7\n<< /S /#4a#61#76#61#53");
        escaped.feed(b"#63#72#69#70#74 >>");
        assert_eq!(escaped.verdict(), Err(Refusal::ActiveContent));
        let mut clean = Scanner::new(Kind::Jpeg);
        clean.feed(&jpeg_with_gps("x"));
        assert_eq!(clean.verdict(), Ok(()));
    }

    #[test]
    fn short_markup_deep_inside_is_chance_but_at_the_start_or_long_markup_anywhere_is_refused() {
        for kind in [Kind::Mp4, Kind::Jpeg, Kind::Pdf] {
            let mut deep = Scanner::new(kind);
            deep.feed(b"\0\0\0\x18ftypmp42");
            deep.feed(&[0u8; 8192]);
            deep.feed(b"random <BODY bytes <svg/ <HTML");
            assert_eq!(deep.verdict(), Ok(()), "{kind:?}");
            deep.feed(b"then <ScRiPt>");
            assert_eq!(deep.verdict(), Err(Refusal::ActiveContent), "{kind:?}");
        }
        let mut head = Scanner::new(Kind::Mp4);
        head.feed(b"\0\0\0\x18ftypmp42<html>");
        assert_eq!(head.verdict(), Err(Refusal::ActiveContent));
    }

    #[test]
    fn a_pdf_header_hidden_in_another_format_or_a_pdf_script_is_refused() {
        let mut hidden = Scanner::new(Kind::Jpeg);
        hidden.feed(b"\xff\xd8\xff\xe0\0\x10JFIF\0 %PDF-1.4 obj");
        assert_eq!(hidden.verdict(), Err(Refusal::ActiveContent));
        let mut pdf = Scanner::new(Kind::Pdf);
        pdf.feed(b"%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>");
        assert_eq!(pdf.verdict(), Err(Refusal::ActiveContent));
        let mut escaped = Scanner::new(Kind::Pdf);
        escaped.feed(b"%PDF-1.7\n1 0 obj << /S /J#61va#53cript >>");
        assert_eq!(escaped.verdict(), Err(Refusal::ActiveContent));
        let mut plain = Scanner::new(Kind::Pdf);
        plain.feed(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>");
        assert_eq!(plain.verdict(), Ok(()));
    }

    #[test]
    fn an_archive_appended_to_any_non_office_format_is_refused() {
        let mut video = Scanner::new(Kind::Mp4);
        video.feed(b"\0\0\0\x18ftypmp42");
        video.feed(&vec![7u8; 200_000]);
        assert_eq!(video.verdict(), Ok(()));
        video.feed(b"PK\x03\x04payload.jsPK\x01\x02PK\x05\x06\0\0\0\0\x01\0\x01\0");
        assert_eq!(video.verdict(), Err(Refusal::ActiveContent));
        let mut docx = Scanner::new(Kind::Docx);
        docx.feed(b"PK\x03\x04[Content_Types].xml ... PK\x05\x06\0\0");
        assert_eq!(docx.verdict(), Ok(()));
    }

    #[test]
    fn the_cleaned_jpeg_has_no_exif_xmp_or_comment_and_keeps_the_scan() {
        let original = jpeg_with_gps("GPS-21.0285N");
        let cleaned = clean_image(Kind::Jpeg, Bytes::from(original.clone())).unwrap();
        let bytes = cleaned.bytes.to_vec();
        assert!(memmem::find(&bytes, b"GPS-21.0285N").is_none());
        assert!(memmem::find(&bytes, b"Exif").is_none());
        assert!(memmem::find(&bytes, b"XMP-CREATOR").is_none());
        assert!(memmem::find(&bytes, b"COMMENT-TEXT").is_none());
        assert!(bytes.starts_with(&[0xFF, 0xD8]));
        assert!(bytes.ends_with(&[0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD9]));
        assert_eq!(cleaned.removed, vec!["exif", "xmp", "comment"]);
        assert_eq!(Kind::sniff(&bytes), Some(Kind::Jpeg));
    }

    #[test]
    fn a_jpeg_with_an_archive_behind_it_is_refused_and_other_trailers_are_cut() {
        let mut zip_behind = jpeg_with_gps("x");
        zip_behind.extend(b"PK\x03\x04\x14\0\0\0payload.js");
        assert_eq!(
            clean_image(Kind::Jpeg, Bytes::from(zip_behind)).unwrap_err(),
            Refusal::ActiveContent
        );
        let mut page_behind = jpeg_with_gps("x");
        page_behind.extend(b"<HTML><BODY onload=x>");
        assert_eq!(
            clean_image(Kind::Jpeg, Bytes::from(page_behind)).unwrap_err(),
            Refusal::ActiveContent,
            "short markup counts behind an image"
        );
        let mut trailer = jpeg_with_gps("x");
        trailer.extend(b"MotionPhoto-trailer-data");
        let cleaned = clean_image(Kind::Jpeg, Bytes::from(trailer)).unwrap();
        assert!(cleaned.removed.contains(&"trailer"));
        assert!(cleaned.bytes.ends_with(&[0xFF, 0xD9]));
    }

    #[test]
    fn a_heic_is_sniffed_and_cleaned() {
        let original = super::super::heic::tests::heic_with_exif("GPS-HEIC-MARK");
        assert_eq!(Kind::sniff(&original), Some(Kind::Heic));
        let cleaned = clean_image(Kind::Heic, Bytes::from(original)).unwrap();
        assert!(memmem::find(&cleaned.bytes, b"GPS-HEIC-MARK").is_none());
        assert_eq!(cleaned.removed, vec!["exif"]);
    }

    #[test]
    fn metadata_between_the_scans_of_a_progressive_jpeg_is_removed_too() {
        let mut progressive = jpeg_with_gps("first");
        progressive.truncate(progressive.len() - 2); // before EOI
        let exif = b"Exif\0\0MM\0*SECOND-GPS-21.03N";
        progressive.extend([0xFF, 0xE1]);
        progressive.extend(((exif.len() + 2) as u16).to_be_bytes());
        progressive.extend(exif);
        // A thumbnail-like FF D9 inside a comment must not end the image early.
        progressive.extend([0xFF, 0xFE, 0x00, 0x06, 0xFF, 0xD9, b'c', b'm']);
        progressive.extend([0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 0x3F, 0]);
        progressive.extend([0x77, 0xFF, 0x00, 0x78, 0xFF, 0xD0, 0x79]);
        progressive.extend([0xFF, 0xD9]);
        let cleaned = clean_image(Kind::Jpeg, Bytes::from(progressive)).unwrap();
        assert!(memmem::find(&cleaned.bytes, b"SECOND-GPS").is_none());
        assert!(
            memmem::find(&cleaned.bytes, &[0x77, 0xFF, 0x00, 0x78, 0xFF, 0xD0, 0x79]).is_some()
        );
        assert!(cleaned.bytes.ends_with(&[0x79, 0xFF, 0xD9]));
        assert!(!cleaned.removed.contains(&"trailer"));
    }

    #[test]
    fn bytes_that_only_start_like_a_jpeg_are_damaged() {
        assert_eq!(
            clean_image(Kind::Jpeg, Bytes::from_static(b"\xff\xd8\xff\xe0\0\x04ab")).unwrap_err(),
            Refusal::Damaged
        );
    }

    #[test]
    fn the_cleaned_png_drops_text_and_exif_chunks() {
        fn crc32(bytes: &[u8]) -> u32 {
            let mut crc = !0u32;
            for byte in bytes {
                crc ^= u32::from(*byte);
                for _ in 0..8 {
                    crc = if crc & 1 == 1 {
                        (crc >> 1) ^ 0xEDB8_8320
                    } else {
                        crc >> 1
                    };
                }
            }
            !crc
        }
        fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
            out.extend((data.len() as u32).to_be_bytes());
            out.extend(kind);
            out.extend(data);
            out.extend(crc32(&[kind.as_slice(), data].concat()).to_be_bytes());
        }
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        chunk(&mut png, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
        chunk(&mut png, b"tEXt", b"Author\0SECRET-AUTHOR");
        chunk(&mut png, b"eXIf", b"MM\0*GPS-PNG");
        chunk(&mut png, b"IDAT", &[1, 2, 3]);
        chunk(&mut png, b"IEND", &[]);
        let cleaned = clean_image(Kind::Png, Bytes::from(png)).unwrap();
        assert!(memmem::find(&cleaned.bytes, b"SECRET-AUTHOR").is_none());
        assert!(memmem::find(&cleaned.bytes, b"GPS-PNG").is_none());
        assert!(memmem::find(&cleaned.bytes, b"IDAT").is_some());
        assert_eq!(cleaned.removed, vec!["exif", "text"]);
    }
}
