//! Customer-care hotline numbers as admins type them on the org-unit page and as the pages show
//! them (footer, receipt, status page). A unit's hotline is one text: one or more numbers
//! separated by " / " ("1900 1006 / 1900 9000").
//!
//! A number is made of digits, spaces and dots, with an optional `+` in front, and holds 3 to
//! 15 digits (the E.164 maximum; "116" and "1900 545454" are both numbers). The stored form
//! has single spaces and the numbers joined by " / ", so the same numbers typed twice compare
//! equal and an edit that only re-spaces them changes nothing.

use unicode_normalization::UnicodeNormalization;

/// Longest stored text, separators included.
pub const HOTLINE_MAX: usize = 120;
const DIGITS_MIN: usize = 3;
const DIGITS_MAX: usize = 15;

/// One or more valid hotline numbers in their stored form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hotline(String);

/// One number as a page shows it: the text and the `tel:` target.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HotlineNumber {
    pub text: String,
    pub tel: String,
}

impl Hotline {
    /// Reads what an admin typed: `Ok(None)` for an empty field (no hotline), else the numbers
    /// or the catalogue key of what is wrong.
    pub fn parse(raw: &str) -> Result<Option<Self>, &'static str> {
        let text: String = raw.nfkc().collect();
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let mut numbers = Vec::new();
        for part in text.split('/') {
            numbers.push(number(part).ok_or("error-hotline-invalid")?);
        }
        let joined = numbers.join(" / ");
        if joined.chars().count() > HOTLINE_MAX {
            return Err("error-hotline-long");
        }
        Ok(Some(Self(joined)))
    }

    /// A stored value read back; `None` when it is empty or no longer valid.
    pub fn from_stored(stored: Option<&str>) -> Option<Self> {
        Hotline::parse(stored?).ok().flatten()
    }

    /// The stored form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Each number with its `tel:` target (digits, and the `+` when there is one).
    pub fn numbers(&self) -> Vec<HotlineNumber> {
        self.0
            .split(" / ")
            .map(|text| HotlineNumber {
                text: text.to_string(),
                tel: format!(
                    "tel:{}",
                    text.chars()
                        .filter(|c| c.is_ascii_digit() || *c == '+')
                        .collect::<String>()
                ),
            })
            .collect()
    }
}

/// One number in its stored form (single spaces), or `None`.
fn number(part: &str) -> Option<String> {
    let words: Vec<&str> = part.split_whitespace().collect();
    let joined = words.join(" ");
    let body = joined.strip_prefix('+').unwrap_or(&joined);
    let valid_chars = body
        .chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '.');
    let digits = body.chars().filter(char::is_ascii_digit).count();
    let starts_with_digit = body.starts_with(|c: char| c.is_ascii_digit());
    (valid_chars && starts_with_digit && (DIGITS_MIN..=DIGITS_MAX).contains(&digits))
        .then_some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(raw: &str) -> Option<String> {
        Hotline::parse(raw)
            .ok()
            .flatten()
            .map(|h| h.as_str().to_string())
    }

    #[test]
    fn shipped_numbers_are_valid_and_keep_their_spacing() {
        for number in [
            "1900 1006 / 1900 9000",
            "1900 1288",
            "1900 6769",
            "1900 1909",
            "1900 545454",
        ] {
            assert_eq!(stored(number).as_deref(), Some(number));
        }
    }

    #[test]
    fn spacing_dots_and_an_international_prefix_are_accepted() {
        assert_eq!(
            stored("  1900   1006/1900 9000 ").as_deref(),
            Some("1900 1006 / 1900 9000")
        );
        assert_eq!(
            stored("+84 28 2220 1177").as_deref(),
            Some("+84 28 2220 1177")
        );
        assert_eq!(stored("024.2220.1234").as_deref(), Some("024.2220.1234"));
        assert_eq!(stored("１９００ １２８８").as_deref(), Some("1900 1288"));
        assert_eq!(stored("116").as_deref(), Some("116"));
    }

    #[test]
    fn an_empty_field_means_no_hotline() {
        assert_eq!(Hotline::parse("  "), Ok(None));
    }

    #[test]
    fn letters_other_separators_and_wrong_lengths_are_refused() {
        for typed in [
            "1900 abc",
            "gọi 1900 1006",
            "1900-1006",
            "1900 1006, 1900 9000",
            "1900 1006 /",
            "/ 1900 1006",
            "1900 1006 // 1900 9000",
            "19",
            "1234567890123456",
            "1900+1006",
            "++84 1900",
            ". 1900",
            "<b>1900</b>",
        ] {
            assert_eq!(
                Hotline::parse(typed),
                Err("error-hotline-invalid"),
                "{typed:?}"
            );
        }
        let many = vec!["1900 1006"; 14].join(" / ");
        assert_eq!(Hotline::parse(&many), Err("error-hotline-long"));
    }

    #[test]
    fn each_number_gets_a_tel_target() {
        let hotline = Hotline::parse("1900 1006 / +84 1900.9000")
            .unwrap()
            .unwrap();
        assert_eq!(
            hotline.numbers(),
            [
                HotlineNumber {
                    text: "1900 1006".into(),
                    tel: "tel:19001006".into()
                },
                HotlineNumber {
                    text: "+84 1900.9000".into(),
                    tel: "tel:+8419009000".into()
                },
            ]
        );
    }
}
