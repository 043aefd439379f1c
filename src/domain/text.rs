//! Text helpers for Vietnamese: folding diacritics so "nhan vien" finds "nhân viên".

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lower-case, without diacritics, `đ` as `d`: the form used for searching.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// What is wrong with a typed record code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeProblem {
    Missing,
    Invalid,
}

/// Lower-cases and checks a record code (a category's, a canned reply's, an internal
/// measure's): snake_case, starting with a letter, digits allowed, at most `max` bytes.
pub fn snake_code(raw: &str, max: usize) -> Result<String, CodeProblem> {
    let code = raw.trim().to_ascii_lowercase();
    if code.is_empty() {
        return Err(CodeProblem::Missing);
    }
    let valid = code.starts_with(|c: char| c.is_ascii_lowercase())
        && code.len() <= max
        && code.split('_').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if valid {
        Ok(code)
    } else {
        Err(CodeProblem::Invalid)
    }
}

/// The names of the fields whose flag is true: what an edit changed, for its audit entry
/// (empty when nothing differed, and the edit is not saved).
pub fn changed_fields<const N: usize>(fields: [(&'static str, bool); N]) -> Vec<&'static str> {
    fields
        .into_iter()
        .filter_map(|(name, differs)| differs.then_some(name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_diacritics_fold_away() {
        assert_eq!(
            fold("Nhân viên Điện lực Đống Đa"),
            "nhan vien dien luc dong da"
        );
        assert_eq!(fold("Hải Phòng"), "hai phong");
        assert!(fold("Công ty Điện lực Cần Thơ").contains("can tho"));
    }

    #[test]
    fn snake_codes_are_lower_cased_and_checked() {
        assert_eq!(snake_code("  Bribery_2 ", 40), Ok("bribery_2".to_string()));
        assert_eq!(snake_code(" ", 40), Err(CodeProblem::Missing));
        for bad in ["2fast", "a__b", "_a", "a_", "a-b", "ă"] {
            assert_eq!(snake_code(bad, 40), Err(CodeProblem::Invalid), "{bad}");
        }
        assert_eq!(snake_code(&"a".repeat(41), 40), Err(CodeProblem::Invalid));
    }

    #[test]
    fn changed_fields_lists_only_what_differs() {
        assert_eq!(
            changed_fields([("a", true), ("b", false), ("c", true)]),
            ["a", "c"]
        );
        assert!(changed_fields([("a", false)]).is_empty());
    }
}
