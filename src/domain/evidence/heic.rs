//! Metadata removal for HEIC/HEIF photos (the iPhone's format), which `img-parts` does not read.
//! In ISO-BMFF the EXIF block (with GPS) and the XMP packet are *items* whose bytes the `iloc`
//! box locates; overwriting those bytes with zeros removes them while every offset, length and
//! the pixels stay exactly as they were. No re-encoding, same file size.

/// A box: its type, where its payload starts and where the box ends.
#[derive(Debug, Clone, Copy)]
struct BoxAt {
    kind: [u8; 4],
    payload: usize,
    end: usize,
}

fn be(bytes: &[u8], at: usize, len: usize) -> Option<u64> {
    let slice = bytes.get(at..at.checked_add(len)?)?;
    Some(slice.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
}

/// The boxes laid end to end in `bytes[start..end]`.
fn boxes(bytes: &[u8], start: usize, end: usize) -> Option<Vec<BoxAt>> {
    let mut out = Vec::new();
    let mut at = start;
    while at < end {
        let size = be(bytes, at, 4)?;
        let kind: [u8; 4] = bytes.get(at + 4..at + 8)?.try_into().ok()?;
        let (payload, box_end) = match size {
            0 => (at + 8, end),
            1 => (
                at + 16,
                at.checked_add(usize::try_from(be(bytes, at + 8, 8)?).ok()?)?,
            ),
            n => (at + 8, at.checked_add(usize::try_from(n).ok()?)?),
        };
        if box_end > end || payload > box_end {
            return None;
        }
        out.push(BoxAt {
            kind,
            payload,
            end: box_end,
        });
        at = box_end;
    }
    Some(out)
}

fn find(list: &[BoxAt], kind: &[u8; 4]) -> Option<BoxAt> {
    list.iter().copied().find(|b| &b.kind == kind)
}

/// Item ids of the EXIF and XMP items, from `iinf`, with the code of what each holds.
fn metadata_items(bytes: &[u8], iinf: BoxAt) -> Option<Vec<(u32, &'static str)>> {
    let version = *bytes.get(iinf.payload)?;
    let entries_at = iinf.payload + 4 + if version == 0 { 2 } else { 4 };
    let mut found = Vec::new();
    for infe in boxes(bytes, entries_at, iinf.end)? {
        if &infe.kind != b"infe" {
            continue;
        }
        let v = *bytes.get(infe.payload)?;
        if v < 2 {
            continue;
        }
        let mut at = infe.payload + 4;
        let id_len = if v == 2 { 2 } else { 4 };
        let id = u32::try_from(be(bytes, at, id_len)?).ok()?;
        at += id_len + 2;
        let item_type = bytes.get(at..at + 4)?;
        at += 4;
        let name_end = at + bytes.get(at..infe.end)?.iter().position(|b| *b == 0)?;
        at = name_end + 1;
        if item_type == b"Exif" {
            found.push((id, "exif"));
        } else if item_type == b"mime" {
            let rest = bytes.get(at..infe.end)?;
            let content_type = &rest[..rest.iter().position(|b| *b == 0).unwrap_or(rest.len())];
            if content_type.eq_ignore_ascii_case(b"application/rdf+xml") {
                found.push((id, "xmp"));
            }
        }
    }
    Some(found)
}

/// The byte ranges of `items` in the file, from `iloc` (file offsets, or offsets into `idat`).
/// Reads only inside the `iloc` box and refuses field sizes the format does not allow, so a
/// hostile box costs at most one pass over its own bytes.
fn item_ranges(
    bytes: &[u8],
    iloc: BoxAt,
    idat: Option<BoxAt>,
    items: &[(u32, &'static str)],
) -> Option<Vec<(usize, usize)>> {
    let data = bytes.get(..iloc.end)?;
    let wanted: std::collections::HashSet<u64> =
        items.iter().map(|(id, _)| u64::from(*id)).collect();
    let version = *data.get(iloc.payload)?;
    let mut at = iloc.payload + 4;
    let sizes = be(data, at, 2)?;
    let field = |shift: u64| -> Option<usize> {
        match (sizes >> shift) & 0xF {
            n @ (0 | 4 | 8) => Some(n as usize),
            _ => None,
        }
    };
    let (offset_size, length_size) = (field(12)?, field(8)?);
    let base_offset_size = field(4)?;
    let index_size = if version == 1 || version == 2 {
        field(0)?
    } else {
        0
    };
    let extent_size = index_size + offset_size + length_size;
    at += 2;
    let id_size = if version >= 2 { 4 } else { 2 };
    let count = be(data, at, id_size)?;
    at += id_size;
    let min_entry = (id_size + 2 + base_offset_size + 2) as u64;
    if count.checked_mul(min_entry)? > (data.len() - at) as u64 {
        return None;
    }
    let mut ranges = Vec::new();
    for _ in 0..count {
        let id = be(data, at, id_size)?;
        at += id_size;
        let mut method = 0;
        if version == 1 || version == 2 {
            method = be(data, at, 2)? & 0xF;
            at += 2;
        }
        at += 2; // data_reference_index
        let base = be(data, at, base_offset_size)?;
        at += base_offset_size;
        let extents = be(data, at, 2)?;
        at += 2;
        // An extent of zero bytes would let a count loop without reading anything.
        if extent_size == 0 && extents > 1 {
            return None;
        }
        if extents.checked_mul(extent_size as u64)? > (data.len() - at.min(data.len())) as u64 {
            return None;
        }
        for _ in 0..extents {
            at += index_size;
            let offset = be(data, at, offset_size)?;
            at += offset_size;
            let length = be(data, at, length_size)?;
            at += length_size;
            if !wanted.contains(&id) {
                continue;
            }
            let origin = match method {
                0 => 0,
                1 => idat?.payload as u64,
                _ => return None,
            };
            let start = usize::try_from(origin.checked_add(base)?.checked_add(offset)?).ok()?;
            let end = start.checked_add(usize::try_from(length).ok()?)?;
            if length == 0 || end > bytes.len() {
                return None;
            }
            ranges.push((start, end));
        }
    }
    Some(ranges)
}

/// A copy of a HEIC/HEIF file with its EXIF and XMP items zeroed, and what was removed; `None`
/// when the file's structure cannot be followed.
pub fn blank_metadata(original: &[u8]) -> Option<(Vec<u8>, Vec<&'static str>)> {
    let top = boxes(original, 0, original.len())?;
    let meta = find(&top, b"meta")?;
    let children = boxes(original, meta.payload + 4, meta.end)?;
    let mut removed = Vec::new();
    let mut copy = original.to_vec();
    let Some(iinf) = find(&children, b"iinf") else {
        return Some((copy, removed));
    };
    let items = metadata_items(original, iinf)?;
    if items.is_empty() {
        return Some((copy, removed));
    }
    let iloc = find(&children, b"iloc")?;
    let ranges = item_ranges(original, iloc, find(&children, b"idat"), &items)?;
    for (start, end) in ranges {
        copy[start..end].fill(0);
    }
    for (_, code) in items {
        if !removed.contains(&code) {
            removed.push(code);
        }
    }
    Some((copy, removed))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn boxed(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut out = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        out.extend(kind);
        out.extend(payload);
        out
    }

    /// A minimal HEIC: an image item and an EXIF item whose bytes (holding `marker`) sit in
    /// `mdat` at a file offset given by `iloc` version 0.
    pub fn heic_with_exif(marker: &str) -> Vec<u8> {
        let ftyp = boxed(b"ftyp", b"heic\0\0\0\0mif1heic");
        let hdlr = boxed(b"hdlr", b"\0\0\0\0\0\0\0\0pict\0\0\0\0\0\0\0\0\0\0\0\0\0");
        let infe = |id: u16, kind: &[u8; 4]| {
            let mut p = vec![2, 0, 0, 0];
            p.extend(id.to_be_bytes());
            p.extend([0, 0]);
            p.extend(kind);
            p.push(0);
            boxed(b"infe", &p)
        };
        let mut iinf_payload = vec![0, 0, 0, 0, 0, 2];
        iinf_payload.extend(infe(1, b"hvc1"));
        iinf_payload.extend(infe(2, b"Exif"));
        let iinf = boxed(b"iinf", &iinf_payload);
        let exif = [b"\0\0\0\x06Exif\0\0MM\0*GPS ".as_slice(), marker.as_bytes()].concat();
        let pixels = b"HEVC-PIXELS-UNTOUCHED".to_vec();
        // iloc v0: offset_size 4, length_size 4, base_offset_size 0; two items, one extent each.
        let iloc_len = 8 + 4 + 2 + 2 + 2 * (2 + 2 + 2 + 8);
        let meta_len = 8 + 4 + hdlr.len() + iinf.len() + iloc_len;
        let mdat_start = ftyp.len() + meta_len + 8;
        let mut iloc_payload = vec![0, 0, 0, 0, 0x44, 0x00, 0, 2];
        for (id, offset, len) in [
            (1u16, mdat_start, pixels.len()),
            (2u16, mdat_start + pixels.len(), exif.len()),
        ] {
            iloc_payload.extend(id.to_be_bytes());
            iloc_payload.extend([0, 0]);
            iloc_payload.extend([0, 1]);
            iloc_payload.extend((offset as u32).to_be_bytes());
            iloc_payload.extend((len as u32).to_be_bytes());
        }
        let iloc = boxed(b"iloc", &iloc_payload);
        let mut meta_payload = vec![0, 0, 0, 0];
        meta_payload.extend(hdlr);
        meta_payload.extend(iinf);
        meta_payload.extend(iloc);
        let meta = boxed(b"meta", &meta_payload);
        assert_eq!(meta.len(), meta_len);
        let mdat = boxed(b"mdat", &[pixels, exif].concat());
        [ftyp, meta, mdat].concat()
    }

    #[test]
    fn the_exif_item_is_zeroed_and_nothing_else_moves() {
        let original = heic_with_exif("21.0285N");
        let (cleaned, removed) = blank_metadata(&original).unwrap();
        assert_eq!(removed, vec!["exif"]);
        assert_eq!(cleaned.len(), original.len());
        assert!(memchr::memmem::find(&cleaned, b"21.0285N").is_none());
        assert!(memchr::memmem::find(&cleaned, b"HEVC-PIXELS-UNTOUCHED").is_some());
        let changed = original
            .iter()
            .zip(&cleaned)
            .filter(|(a, b)| a != b)
            .count();
        assert!(
            changed > 0 && changed <= 30,
            "only the EXIF bytes change ({changed})"
        );
    }

    #[test]
    fn a_hostile_iloc_is_refused_at_once() {
        let original = heic_with_exif("x");
        let iloc = original.windows(4).position(|w| w == b"iloc").unwrap() - 4;
        // Field sizes of zero with a huge item count and extent counts: nothing to read per
        // extent, so the parser must refuse instead of looping.
        let mut zero_sizes = original.clone();
        zero_sizes[iloc + 12..iloc + 14].copy_from_slice(&[0, 0]);
        zero_sizes[iloc + 14..iloc + 16].copy_from_slice(&[0xFF, 0xFF]);
        assert!(blank_metadata(&zero_sizes).is_none());
        let mut odd_size = original.clone();
        odd_size[iloc + 12] = 0x33;
        assert!(blank_metadata(&odd_size).is_none());
    }

    #[test]
    fn a_broken_structure_is_reported_not_guessed() {
        let mut original = heic_with_exif("x");
        original.truncate(40);
        assert!(blank_metadata(&original).is_none());
    }
}
