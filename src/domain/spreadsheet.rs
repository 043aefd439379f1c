//! Cells of an exported file (CSV, XLSX) that a spreadsheet program would run as a formula.
//! Used by the audit trail's CSV export (`/audit/export.csv`), where anyone can put such text (an
//! actor label is whatever was typed at a failed sign-in), and by the dashboard's CSV/XLSX
//! exports (unit and category names are admin-typed); every free-text cell goes through
//! [`spreadsheet_safe`]. Pure: no I/O.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` with a leading apostrophe when it starts like a formula, otherwise unchanged (and not
/// copied).
pub fn spreadsheet_safe(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_as_formulas_are_defused() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("+1"), "'+1");
        assert_eq!(spreadsheet_safe("-1"), "'-1");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("\tx"), "'\tx");
        assert_eq!(spreadsheet_safe("\rx"), "'\rx");
        assert_eq!(spreadsheet_safe("kiemtoan@evn.vn"), "kiemtoan@evn.vn");
        assert_eq!(
            spreadsheet_safe("{\"step\":\"password\"}"),
            "{\"step\":\"password\"}"
        );
        assert_eq!(spreadsheet_safe(""), "");
    }
}
