//! The streaming check that refuses active content and polyglots: markup, PDF scripts, a PDF
//! header hidden in another format and an archive appended at the end. Fed chunk by chunk by
//! `platform::evidence::upload` (through `content::Scanner`); the markup lists are shared with
//! the image trailer check in `image`. Pure, no I/O.

use memchr::memmem;

use super::kinds::{Kind, Refusal};

/// Markup long enough never to occur by chance (one 20 MB file in ~10¹¹): refused anywhere.
pub(super) const MARKUP_ANYWHERE: [&[u8]; 3] = [b"<script", b"<iframe", b"<!doctype"];
/// Shorter markup, refused where browsers and content sniffers look (the start) and behind an
/// image's end; inside compressed data it would turn up by chance in one file out of hundreds.
pub(super) const MARKUP_SHORT: [&[u8]; 9] = [
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::evidence::image::tests::jpeg_with_gps;

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
}
