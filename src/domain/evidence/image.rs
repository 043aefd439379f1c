//! Metadata-free copies of images: EXIF (with GPS), XMP, IPTC, comments, maker segments and
//! trailers removed from JPEG, PNG and WebP without re-encoding (HEIC items are blanked in
//! `heic`). Called by `platform::evidence::upload` through `content::clean_image`. Pure.

use bytes::Bytes;
use img_parts::jpeg::{markers, Jpeg};
use img_parts::png::Png;
use img_parts::webp::WebP;
use img_parts::ImageEXIF;
use memchr::memmem;

use super::kinds::{Kind, Refusal};
use super::scanner::{MARKUP_ANYWHERE, MARKUP_SHORT};

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
