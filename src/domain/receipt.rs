//! Receipt codes: the only key a reporter holds to follow their report.
//!
//! **New codes** are 25 decimal digits from the operating system's RNG (10²⁵ ≈ 2⁸³, so 83 bits),
//! shown in five groups of five (`12345 67890 12345 67890 12345`). Digits only, because most
//! phones here type with a Vietnamese input method: Telex turns letters into other letters
//! ("as" → "á", "w" → "ư", "dd" → "đ") and never touches a digit key; VNI uses the digit keys
//! 1–9 as tone and vowel marks, but only right after a vowel (or `d` for 9), and a digit code
//! has neither. What the input method delivers for a digit code is therefore the digits
//! themselves; digits also read aloud over the phone without spelling.
//!
//! **Old codes** (issued before: 80 bits as 16 Crockford base-32 characters in four groups,
//! `7K3M-Q9XD-2HBT-W4RE`) keep working and keep their canonical form, which is what the server
//! hashed: 16 upper-case Crockford characters, the look-alikes folded back (`O`→`0`,
//! `I`/`L`→`1`), case ignored.
//!
//! **What [`ReceiptCode::parse`] accepts**, precisely:
//! 1. The input is decomposed with NFKD: full-width digits (`１２３`) become ASCII digits, no-break
//!    and other compatibility spaces become spaces, a letter with a diacritic becomes the letter
//!    followed by combining marks.
//! 2. Separators are dropped: any white space (space, tab, NBSP, thin space…), the dashes
//!    `-` `‐` `‑` `‒` `–` `—` `−`, and the dots `.` `·` `・`.
//! 3. Combining marks (Unicode `Mn`, e.g. a stray U+0301 acute after a digit) are dropped: they
//!    carry nothing a digit code needs.
//! 4. If what remains is exactly 25 ASCII digits, that is the (new) code.
//! 5. Otherwise, if what remains is exactly 16 characters of the Crockford alphabet (any case,
//!    look-alikes folded) *and the input had no combining mark*, it is an old code.
//! 6. Anything else is refused: any other letter — `đ`, a vowel left behind when a mark was
//!    dropped (`á` is `a` + U+0301), Latin letters in a digit-length input — or a wrong length.
//!    A digit an input method consumed as a tone mark ("a1" → "á") is gone and cannot be
//!    guessed back, so such input is refused rather than read as some other code.
//!
//! The server stores only derived values of [`ReceiptCode::as_str`].

use rand::rngs::OsRng;
use rand::Rng;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters of an old code; 16 × 5 bits = 80 bits of entropy.
pub const OLD_CODE_LEN: usize = 16;
/// Digits of a new code; 10²⁵ ≈ 2⁸³.
pub const CODE_DIGITS: usize = 25;
/// Digits per group as a new code is shown.
const GROUP: usize = 5;

/// A well-formed receipt code in canonical form: 25 ASCII digits, or (issued before digit codes)
/// 16 upper-case Crockford characters.
#[derive(Clone, PartialEq, Eq)]
pub struct ReceiptCode(String);

impl std::fmt::Debug for ReceiptCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReceiptCode(***)")
    }
}

/// White space, dashes and dots a person puts between groups.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '.' | '\u{00B7}' | '\u{30FB}'
        )
}

impl ReceiptCode {
    /// A fresh 25-digit code, uniform over 10²⁵ values from the OS RNG.
    pub fn generate() -> Self {
        Self::from_number(OsRng.gen_range(0..10u128.pow(CODE_DIGITS as u32)))
    }

    /// The code of `value` (below 10²⁵), zero-padded to 25 digits.
    pub fn from_number(value: u128) -> Self {
        let value = value % 10u128.pow(CODE_DIGITS as u32);
        Self(format!("{value:0width$}", width = CODE_DIGITS))
    }

    /// An old-format code: exactly 80 bits as 16 Crockford characters. Kept for codes issued
    /// before digit codes (and for tests that recreate one).
    pub fn from_entropy(bytes: [u8; 10]) -> Self {
        let mut value: u128 = 0;
        for byte in bytes {
            value = (value << 8) | u128::from(byte);
        }
        let mut out = String::with_capacity(OLD_CODE_LEN);
        for i in (0..OLD_CODE_LEN).rev() {
            let index = ((value >> (5 * i)) & 31) as usize;
            out.push(char::from(ALPHABET[index]));
        }
        Self(out)
    }

    /// Reads what a person typed (the rules are in the module's documentation). `None` when it
    /// cannot be a code, whatever the reason: the caller answers every failure the same way.
    pub fn parse(input: &str) -> Option<Self> {
        if input.chars().count() > 200 {
            return None;
        }
        let mut marked = false;
        let mut kept = String::with_capacity(CODE_DIGITS);
        for c in input.nfkd() {
            if is_combining_mark(c) {
                marked = true;
            } else if !is_separator(c) {
                kept.push(c);
            }
        }
        if kept.len() == CODE_DIGITS && kept.bytes().all(|b| b.is_ascii_digit()) {
            return Some(Self(kept));
        }
        if marked {
            return None;
        }
        Self::parse_old(&kept)
    }

    /// An old code from characters without separators.
    fn parse_old(kept: &str) -> Option<Self> {
        let mut out = String::with_capacity(OLD_CODE_LEN);
        for c in kept.chars() {
            let folded = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            };
            if !folded.is_ascii() || !ALPHABET.contains(&(folded as u8)) {
                return None;
            }
            out.push(folded);
        }
        (out.len() == OLD_CODE_LEN).then_some(Self(out))
    }

    /// Whether this is a code of the old, alphanumeric format.
    pub fn is_old_format(&self) -> bool {
        self.0.len() == OLD_CODE_LEN
    }

    /// The canonical form, used for hashing (unchanged for old codes).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Groups for reading aloud and printing: five groups of five digits (an old code: four
    /// groups of four characters).
    pub fn grouped(&self) -> Vec<String> {
        let size = if self.is_old_format() { 4 } else { GROUP };
        self.0
            .as_bytes()
            .chunks(size)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect()
    }

    /// The groups on one line: spaces between digit groups, dashes between old groups.
    pub fn display(&self) -> String {
        let separator = if self.is_old_format() { "-" } else { " " };
        self.grouped().join(separator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CODE: &str = "0123456789012345678901234";

    fn parsed(input: &str) -> Option<String> {
        ReceiptCode::parse(input).map(|c| c.as_str().to_string())
    }

    #[test]
    fn generated_codes_have_twenty_five_digits_and_differ() {
        let a = ReceiptCode::generate();
        let b = ReceiptCode::generate();
        assert_eq!(a.as_str().len(), CODE_DIGITS);
        assert!(a.as_str().bytes().all(|b| b.is_ascii_digit()));
        assert!(!a.is_old_format());
        assert_ne!(a, b);
    }

    #[test]
    fn twenty_five_digits_hold_at_least_eighty_bits() {
        assert!(10u128.pow(CODE_DIGITS as u32) > 1u128 << 83);
    }

    #[test]
    fn a_digit_code_shows_in_five_groups_of_five() {
        let code = ReceiptCode::from_number(123);
        assert_eq!(code.as_str(), "0000000000000000000000123");
        assert_eq!(
            code.grouped(),
            ["00000", "00000", "00000", "00000", "00123"]
        );
        assert_eq!(code.display(), "00000 00000 00000 00000 00123");
    }

    #[test]
    fn spaces_dashes_dots_and_no_break_spaces_between_digits_are_ignored() {
        for typed in [
            "01234 56789 01234 56789 01234",
            "01234-56789-01234-56789-01234",
            "01234.56789.01234.56789.01234",
            "01234\u{a0}56789\u{202f}01234\u{2009}56789\t01234",
            "01234–56789—01234−56789‑01234",
            " 0123456789 0123456789 01234 ",
        ] {
            assert_eq!(parsed(typed).as_deref(), Some(CODE), "{typed:?}");
        }
    }

    #[test]
    fn full_width_digits_are_read_as_digits() {
        let typed = "０１２３４　５６７８９　０１２３４　５６７８９　０１２３４";
        assert_eq!(parsed(typed).as_deref(), Some(CODE));
    }

    #[test]
    fn what_telex_and_vni_deliver_for_a_digit_code_is_accepted() {
        // Telex has no digit keys; VNI's 1–9 mark only a preceding vowel or d, and a digit code
        // has neither: both deliver the digits as typed, with the groups' spaces.
        assert_eq!(
            parsed("01234 56789 01234 56789 01234").as_deref(),
            Some(CODE)
        );
        // A stray combining mark an engine attached to a digit (decomposed or not) is dropped.
        let marked = "0\u{301}1234 56789\u{300} 01234 5\u{303}6789 01234\u{323}";
        assert_eq!(parsed(marked).as_deref(), Some(CODE));
    }

    #[test]
    fn letters_an_input_method_made_are_refused_not_guessed() {
        // VNI "a1" → "á": the 1 was consumed; Telex "dd" → "đ".
        assert!(parsed("á0123456789012345678901234").is_none());
        assert!(parsed("01234 56789 01234 56789 0123á").is_none());
        assert!(parsed("đ0123456789012345678901234").is_none());
        assert!(parsed("01234 56789 01234 56789 0123đ").is_none());
        assert!(parsed("01234 56789 01234 56789 0123ư").is_none());
    }

    #[test]
    fn wrong_lengths_and_garbage_are_refused() {
        for typed in [
            "",
            "   ",
            "012345678901234567890123",
            "01234567890123456789012345",
            "0123456789012345678901234a",
            "ABCD-ABCD-ABCD-ABC",
            "ABCD-ABCD-ABCD-ABCDE",
            "ABCD-ABCD-ABCD-ABCU",
            "ABCD-ABCD-ABCD-ABCĐ",
            "ÂÂÂÂ-ÂÂÂÂ-ÂÂÂÂ-ÂÂÂÂ",
            "short",
            "<script>alert(1)</script>",
            "01234/56789/01234/56789/01234",
        ] {
            assert!(parsed(typed).is_none(), "{typed:?}");
        }
        assert!(parsed(&"1".repeat(500)).is_none());
    }

    #[test]
    fn old_codes_keep_their_canonical_form() {
        let old = ReceiptCode::from_entropy([0x5a; 10]);
        assert!(old.is_old_format());
        assert_eq!(ReceiptCode::parse(&old.display()), Some(old.clone()));
        assert_eq!(old.display().len(), 19);
        assert_eq!(
            parsed("oili-0000-0000-0000").as_deref(),
            Some("0111000000000000")
        );
        assert_eq!(
            ReceiptCode::from_entropy([0xff; 10]).as_str(),
            "ZZZZZZZZZZZZZZZZ"
        );
        assert_eq!(
            parsed("7k3m q9xd 2hbt w4re").as_deref(),
            Some("7K3MQ9XD2HBTW4RE")
        );
        assert_eq!(
            parsed("７Ｋ３Ｍ-Q9XD-2HBT-W4RE").as_deref(),
            Some("7K3MQ9XD2HBTW4RE")
        );
    }

    proptest! {
        #[test]
        fn display_form_parses_back_to_the_same_code(value in any::<u128>()) {
            let code = ReceiptCode::from_number(value);
            prop_assert_eq!(code.as_str().len(), CODE_DIGITS);
            prop_assert_eq!(ReceiptCode::parse(&code.display()), Some(code.clone()));
            prop_assert_eq!(ReceiptCode::parse(&code.grouped().join("-")), Some(code.clone()));
            prop_assert_eq!(ReceiptCode::parse(code.as_str()), Some(code));
        }

        #[test]
        fn old_display_form_parses_back_to_the_same_code(bytes in any::<[u8; 10]>()) {
            let code = ReceiptCode::from_entropy(bytes);
            prop_assert_eq!(ReceiptCode::parse(&code.display()), Some(code.clone()));
            prop_assert_eq!(ReceiptCode::parse(&code.as_str().to_lowercase()), Some(code));
        }

        #[test]
        fn distinct_entropy_gives_distinct_codes(a in any::<[u8; 10]>(), b in any::<[u8; 10]>()) {
            prop_assume!(a != b);
            prop_assert_ne!(ReceiptCode::from_entropy(a), ReceiptCode::from_entropy(b));
        }

        #[test]
        fn no_input_parses_to_a_code_of_another_shape(input in "\\PC{0,40}") {
            if let Some(code) = ReceiptCode::parse(&input) {
                let s = code.as_str();
                prop_assert!(
                    (s.len() == CODE_DIGITS && s.bytes().all(|b| b.is_ascii_digit()))
                        || (s.len() == OLD_CODE_LEN && s.bytes().all(|b| ALPHABET.contains(&b)))
                );
            }
        }
    }
}
