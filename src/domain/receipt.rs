//! Receipt codes: the only key a reporter holds to follow their report.
//!
//! A code is 80 bits from the operating system's RNG, written as 16 Crockford base-32 characters
//! in four groups (`7K3M-Q9XD-2HBT-W4RE`). Crockford's alphabet drops I, L, O and U, and parsing
//! folds the look-alikes back (`O`→`0`, `I`/`L`→`1`), ignores case, spaces and dashes, so a code
//! read aloud over the phone still works. The server stores only derived values.

use rand::rngs::OsRng;
use rand::RngCore;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in a code; 16 × 5 bits = 80 bits of entropy.
pub const CODE_LEN: usize = 16;

/// A well-formed receipt code in canonical form (16 upper-case Crockford characters).
#[derive(Clone, PartialEq, Eq)]
pub struct ReceiptCode(String);

impl std::fmt::Debug for ReceiptCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReceiptCode(***)")
    }
}

impl ReceiptCode {
    /// A fresh code with 80 bits from the OS RNG.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 10];
        OsRng.fill_bytes(&mut bytes);
        Self::from_entropy(bytes)
    }

    /// Encodes exactly 80 bits as 16 characters.
    pub fn from_entropy(bytes: [u8; 10]) -> Self {
        let mut value: u128 = 0;
        for byte in bytes {
            value = (value << 8) | u128::from(byte);
        }
        let mut out = String::with_capacity(CODE_LEN);
        for i in (0..CODE_LEN).rev() {
            let index = ((value >> (5 * i)) & 31) as usize;
            out.push(char::from(ALPHABET[index]));
        }
        Self(out)
    }

    /// Reads what a person typed. `None` when it cannot be a code, whatever the reason: the
    /// caller answers every failure the same way.
    pub fn parse(input: &str) -> Option<Self> {
        let mut out = String::with_capacity(CODE_LEN);
        for c in input.chars() {
            let folded = match c.to_ascii_uppercase() {
                ' ' | '-' | '\t' | '.' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            };
            if !folded.is_ascii() || !ALPHABET.contains(&(folded as u8)) {
                return None;
            }
            out.push(folded);
            if out.len() > CODE_LEN {
                return None;
            }
        }
        (out.len() == CODE_LEN).then_some(Self(out))
    }

    /// The canonical form, used for hashing.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Four groups of four, for reading aloud and printing.
    pub fn grouped(&self) -> Vec<String> {
        self.0
            .as_bytes()
            .chunks(4)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect()
    }

    pub fn display(&self) -> String {
        self.grouped().join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn generated_codes_have_sixteen_characters_and_differ() {
        let a = ReceiptCode::generate();
        let b = ReceiptCode::generate();
        assert_eq!(a.as_str().len(), CODE_LEN);
        assert_ne!(a, b);
    }

    #[test]
    fn all_ones_and_all_zeros_encode_to_the_alphabet_ends() {
        assert_eq!(
            ReceiptCode::from_entropy([0; 10]).as_str(),
            "0000000000000000"
        );
        assert_eq!(
            ReceiptCode::from_entropy([0xff; 10]).as_str(),
            "ZZZZZZZZZZZZZZZZ"
        );
    }

    #[test]
    fn look_alike_letters_fold_to_digits() {
        let code = ReceiptCode::parse("oili-0000-0000-0000").unwrap();
        assert_eq!(code.as_str(), "0111000000000000");
    }

    #[test]
    fn wrong_lengths_and_foreign_characters_are_refused() {
        assert!(ReceiptCode::parse("").is_none());
        assert!(ReceiptCode::parse("ABCD-ABCD-ABCD-ABC").is_none());
        assert!(ReceiptCode::parse("ABCD-ABCD-ABCD-ABCDE").is_none());
        assert!(ReceiptCode::parse("ABCD-ABCD-ABCD-ABCU").is_none());
        assert!(ReceiptCode::parse("ABCD-ABCD-ABCD-ABCĐ").is_none());
    }

    proptest! {
        #[test]
        fn display_form_parses_back_to_the_same_code(bytes in any::<[u8; 10]>()) {
            let code = ReceiptCode::from_entropy(bytes);
            prop_assert_eq!(ReceiptCode::parse(&code.display()), Some(code.clone()));
            prop_assert_eq!(ReceiptCode::parse(&code.as_str().to_lowercase()), Some(code));
        }

        #[test]
        fn distinct_entropy_gives_distinct_codes(a in any::<[u8; 10]>(), b in any::<[u8; 10]>()) {
            prop_assume!(a != b);
            prop_assert_ne!(ReceiptCode::from_entropy(a), ReceiptCode::from_entropy(b));
        }
    }
}
