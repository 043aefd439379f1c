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

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn vietnamese_diacritics_fold_away() {
        assert_eq!(
            fold("Nhân viên Điện lực Đống Đa"),
            "nhan vien dien luc dong da"
        );
        assert_eq!(fold("Hải Phòng"), "hai phong");
        assert!(fold("Công ty Điện lực Cần Thơ").contains("can tho"));
    }
}
