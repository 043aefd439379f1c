//! Reading an HR export of the staff directory and checking every line before anything is
//! written: the import is all-or-nothing, so [`parse`] returns either every row or every bad
//! line, never a mix. Used by `/admin/staff/import` and by `conduct-portal staff import FILE`.
//!
//! The format: UTF-8 text (a leading byte-order mark is skipped), fields separated by commas
//! (`,` only — a spreadsheet that exports `;` must be told to use commas), double quotes around
//! fields that contain a comma, a quote or a line break. The first row names the columns, in any
//! order: `employee_number`, `full_name` and `unit_code` are required; `position`, `active` and
//! `holds_post` may be left out. Rows whose cells are all empty are skipped. `active` is
//! `true`/`false` (also `1`/`0`, `yes`/`no`, `có`/`không`); empty means active. `holds_post`
//! (a managerial post, Labour Code Art. 124) is `1`/`0`, `true`/`false`, `có`/`không`; empty
//! keeps the directory's value (none for a new employee).
//!
//! Pure: the caller supplies the units by code; nothing here touches the database.

use std::collections::HashMap;

pub use crate::domain::directory::{
    folded_name, normalise_employee_number, parse_holds_post, NumberError, NAME_MAX, NUMBER_MAX,
    POSITION_MAX,
};
use crate::domain::report::clean_text;
use crate::domain::text::fold;
use crate::web::i18n::Lang;

/// The columns the header may name, in the documented order.
pub const COLUMNS: [&str; 6] = [
    "employee_number",
    "full_name",
    "unit_code",
    "position",
    "active",
    "holds_post",
];
const REQUIRED: [&str; 3] = ["employee_number", "full_name", "unit_code"];
/// Longest piece of a cell quoted back in a message.
const QUOTE_MAX: usize = 40;

/// A unit as the import sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitRef {
    pub id: i32,
    /// False once the unit has been deactivated: nobody can be placed in it any more.
    pub open: bool,
}

/// One valid line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRow {
    pub line: u64,
    pub employee_number: String,
    pub full_name: String,
    pub unit_id: i32,
    pub position: Option<String>,
    pub active: bool,
    /// Holds a managerial post; `None`: not given, the directory's value stays.
    pub holds_post: Option<bool>,
}

/// What is wrong with a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The file has no header row.
    Empty,
    /// The header holds no comma but semicolons.
    Separator,
    /// Required columns the header does not name.
    HeaderMissing(Vec<&'static str>),
    HeaderUnknown(String),
    HeaderDuplicate(String),
    /// A header and nothing else.
    NoRows,
    Columns {
        expected: usize,
        found: usize,
    },
    Encoding,
    Unreadable,
    NumberMissing,
    NumberInvalid,
    Duplicate {
        first_line: u64,
    },
    NameMissing,
    NameLong,
    UnitMissing,
    UnitUnknown(String),
    UnitClosed(String),
    PositionLong,
    ActiveInvalid(String),
    HoldsPostInvalid(String),
}

impl Reason {
    /// The catalogue key of its message.
    pub fn key(&self) -> &'static str {
        match self {
            Reason::Empty => "error-import-empty",
            Reason::Separator => "error-import-separator",
            Reason::HeaderMissing(_) => "error-import-header-missing",
            Reason::HeaderUnknown(_) => "error-import-header-unknown",
            Reason::HeaderDuplicate(_) => "error-import-header-duplicate",
            Reason::NoRows => "error-import-no-rows",
            Reason::Columns { .. } => "error-import-columns",
            Reason::Encoding => "error-import-encoding",
            Reason::Unreadable => "error-import-unreadable",
            Reason::NumberMissing => "error-import-number-missing",
            Reason::NumberInvalid => "error-import-number-invalid",
            Reason::Duplicate { .. } => "error-import-duplicate",
            Reason::NameMissing => "error-import-name-missing",
            Reason::NameLong => "error-import-name-long",
            Reason::UnitMissing => "error-import-unit-missing",
            Reason::UnitUnknown(_) => "error-import-unit-unknown",
            Reason::UnitClosed(_) => "error-import-unit-closed",
            Reason::PositionLong => "error-import-position-long",
            Reason::ActiveInvalid(_) => "error-import-active-invalid",
            Reason::HoldsPostInvalid(_) => "error-import-holds-post-invalid",
        }
    }

    /// The message's arguments.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Reason::HeaderMissing(columns) => vec![("columns", columns.join(", "))],
            Reason::HeaderUnknown(name) | Reason::HeaderDuplicate(name) => {
                vec![("column", name.clone())]
            }
            Reason::Columns { expected, found } => vec![
                ("expected", expected.to_string()),
                ("found", found.to_string()),
            ],
            Reason::Duplicate { first_line } => vec![("first", first_line.to_string())],
            Reason::UnitUnknown(code) | Reason::UnitClosed(code) => vec![("code", code.clone())],
            Reason::ActiveInvalid(value) | Reason::HoldsPostInvalid(value) => {
                vec![("value", value.clone())]
            }
            _ => Vec::new(),
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        lang.t_args(self.key(), &self.args())
    }
}

/// A line that cannot be imported, with everything wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// 1-based; the header is line 1.
    pub line: u64,
    pub reasons: Vec<Reason>,
}

impl BadLine {
    fn one(line: u64, reason: Reason) -> Self {
        Self {
            line,
            reasons: vec![reason],
        }
    }

    /// Every reason in `lang`, joined.
    pub fn message(&self, lang: Lang) -> String {
        self.reasons
            .iter()
            .map(|r| r.message(lang))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A cell quoted back in a message: trimmed and cut short.
fn quote(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() > QUOTE_MAX {
        let head: String = text.chars().take(QUOTE_MAX).collect();
        format!("{head}…")
    } else {
        text.to_string()
    }
}

/// Where each column sits in a row.
struct Layout {
    width: usize,
    at: HashMap<&'static str, usize>,
}

impl Layout {
    fn from_header(cells: &[String]) -> Result<Self, Vec<Reason>> {
        if cells.len() == 1 && cells[0].contains(';') {
            return Err(vec![Reason::Separator]);
        }
        let mut reasons = Vec::new();
        let mut at = HashMap::new();
        for (index, cell) in cells.iter().enumerate() {
            let name = cell.trim().to_ascii_lowercase();
            match COLUMNS.iter().find(|c| **c == name) {
                Some(column) if at.contains_key(column) => {
                    reasons.push(Reason::HeaderDuplicate(quote(cell)))
                }
                Some(column) => {
                    at.insert(*column, index);
                }
                None => reasons.push(Reason::HeaderUnknown(quote(cell))),
            }
        }
        let missing: Vec<&'static str> = REQUIRED
            .into_iter()
            .filter(|c| !at.contains_key(c))
            .collect();
        if !missing.is_empty() {
            reasons.insert(0, Reason::HeaderMissing(missing));
        }
        if reasons.is_empty() {
            Ok(Self {
                width: cells.len(),
                at,
            })
        } else {
            Err(reasons)
        }
    }

    fn cell<'a>(&self, cells: &'a [String], column: &str) -> &'a str {
        self.at
            .get(column)
            .and_then(|i| cells.get(*i))
            .map(String::as_str)
            .unwrap_or_default()
    }
}

/// Reads `active`: empty means active.
fn parse_active(raw: &str) -> Option<bool> {
    match fold(raw.trim()).as_str() {
        "" | "true" | "1" | "yes" | "y" | "x" | "co" => Some(true),
        "false" | "0" | "no" | "n" | "khong" => Some(false),
        _ => None,
    }
}

/// The cells of a record as text, or `None` when one is not valid UTF-8.
fn text_cells(record: &csv::ByteRecord) -> Option<Vec<String>> {
    record
        .iter()
        .map(|cell| std::str::from_utf8(cell).ok().map(str::to_string))
        .collect()
}

/// Checks one data row; `seen` maps employee numbers to the first line that used them.
fn check_row(
    line: u64,
    cells: &[String],
    layout: &Layout,
    units: &HashMap<String, UnitRef>,
    seen: &mut HashMap<String, u64>,
) -> Result<StaffRow, Vec<Reason>> {
    let mut reasons = Vec::new();
    let number = match normalise_employee_number(layout.cell(cells, "employee_number")) {
        Ok(number) => match seen.get(&number) {
            Some(first_line) => {
                reasons.push(Reason::Duplicate {
                    first_line: *first_line,
                });
                None
            }
            None => {
                seen.insert(number.clone(), line);
                Some(number)
            }
        },
        Err(NumberError::Missing) => {
            reasons.push(Reason::NumberMissing);
            None
        }
        Err(NumberError::Invalid) => {
            reasons.push(Reason::NumberInvalid);
            None
        }
    };
    let full_name = clean_text(layout.cell(cells, "full_name"));
    if full_name.is_empty() {
        reasons.push(Reason::NameMissing);
    } else if full_name.chars().count() > NAME_MAX {
        reasons.push(Reason::NameLong);
    }
    let code = layout.cell(cells, "unit_code").trim().to_ascii_uppercase();
    let unit = match units.get(&code) {
        _ if code.is_empty() => {
            reasons.push(Reason::UnitMissing);
            None
        }
        Some(unit) if unit.open => Some(unit.id),
        Some(_) => {
            reasons.push(Reason::UnitClosed(quote(&code)));
            None
        }
        None => {
            reasons.push(Reason::UnitUnknown(quote(&code)));
            None
        }
    };
    let position = clean_text(layout.cell(cells, "position"));
    if position.chars().count() > POSITION_MAX {
        reasons.push(Reason::PositionLong);
    }
    let raw_active = layout.cell(cells, "active");
    let active = parse_active(raw_active);
    if active.is_none() {
        reasons.push(Reason::ActiveInvalid(quote(raw_active)));
    }
    let raw_post = layout.cell(cells, "holds_post");
    let holds_post = parse_holds_post(raw_post)
        .map_err(|_| reasons.push(Reason::HoldsPostInvalid(quote(raw_post))))
        .unwrap_or_default();
    match (number, unit, active) {
        (Some(employee_number), Some(unit_id), Some(active)) if reasons.is_empty() => {
            Ok(StaffRow {
                line,
                employee_number,
                full_name,
                unit_id,
                position: (!position.is_empty()).then_some(position),
                active,
                holds_post,
            })
        }
        _ => Err(reasons),
    }
}

/// Reads a whole export. `units` maps unit codes (upper case) to units. Returns every row, or
/// every bad line in line order when at least one line is bad.
pub fn parse(
    bytes: &[u8],
    units: &HashMap<String, UnitRef>,
) -> Result<Vec<StaffRow>, Vec<BadLine>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.byte_records();
    let header = match records.next() {
        None => return Err(vec![BadLine::one(1, Reason::Empty)]),
        Some(Err(error)) => {
            let line = error.position().map_or(1, |p| p.line());
            return Err(vec![BadLine::one(line, Reason::Unreadable)]);
        }
        Some(Ok(record)) => record,
    };
    let header_line = header.position().map_or(1, |p| p.line());
    let Some(header_cells) = text_cells(&header) else {
        return Err(vec![BadLine::one(header_line, Reason::Encoding)]);
    };
    let layout = Layout::from_header(&header_cells).map_err(|reasons| {
        vec![BadLine {
            line: header_line,
            reasons,
        }]
    })?;
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    let mut seen = HashMap::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(header_line + 1, |p| p.line());
                bad.push(BadLine::one(line, Reason::Unreadable));
                break;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|cell| cell.trim_ascii().is_empty()) {
            continue;
        }
        let Some(cells) = text_cells(&record) else {
            bad.push(BadLine::one(line, Reason::Encoding));
            continue;
        };
        if cells.len() != layout.width {
            bad.push(BadLine::one(
                line,
                Reason::Columns {
                    expected: layout.width,
                    found: cells.len(),
                },
            ));
            continue;
        }
        match check_row(line, &cells, &layout, units, &mut seen) {
            Ok(row) => rows.push(row),
            Err(reasons) => bad.push(BadLine { line, reasons }),
        }
    }
    if !bad.is_empty() {
        return Err(bad);
    }
    if rows.is_empty() {
        return Err(vec![BadLine::one(header_line, Reason::NoRows)]);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units() -> HashMap<String, UnitRef> {
        HashMap::from([
            ("EVNHANOI".to_string(), UnitRef { id: 1, open: true }),
            ("EVNNPC".to_string(), UnitRef { id: 2, open: true }),
            ("PCOLD".to_string(), UnitRef { id: 3, open: false }),
        ])
    }

    fn bad_lines(text: &[u8]) -> Vec<BadLine> {
        parse(text, &units()).unwrap_err()
    }

    #[test]
    fn a_good_file_gives_every_row_normalised() {
        let text = "employee_number,full_name,unit_code,position,active\n\
                    hn-001 ,  Nguyễn Văn An ,evnhanoi,Kiểm tra viên,\n\
                    NPC/02.7,Trần Thị Bình,EVNNPC,,false\n\
                    \"NPC-3\",\"Lê, Văn Cường\",EVNNPC,\"Thợ điện\",Có\n";
        let rows = parse(text.as_bytes(), &units()).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[0],
            StaffRow {
                line: 2,
                employee_number: "HN-001".into(),
                full_name: "Nguyễn Văn An".into(),
                unit_id: 1,
                position: Some("Kiểm tra viên".into()),
                active: true,
                holds_post: None,
            }
        );
        assert_eq!(rows[1].employee_number, "NPC/02.7");
        assert_eq!(rows[1].position, None);
        assert!(!rows[1].active);
        assert_eq!(rows[2].full_name, "Lê, Văn Cường");
        assert!(rows[2].active);
        assert_eq!(rows[2].line, 4);
    }

    #[test]
    fn a_byte_order_mark_and_crlf_line_ends_are_accepted() {
        let text = b"\xEF\xBB\xBFemployee_number,full_name,unit_code\r\nA1,An,EVNHANOI\r\n";
        let rows = parse(text, &units()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].employee_number, "A1");
    }

    #[test]
    fn optional_columns_may_be_left_out_and_columns_may_come_in_any_order() {
        let text = "Unit_Code,Full_Name,Employee_Number\nEVNNPC,Bình,b2\n";
        let rows = parse(text.as_bytes(), &units()).unwrap();
        assert_eq!(rows[0].employee_number, "B2");
        assert_eq!(rows[0].unit_id, 2);
        assert!(rows[0].active);
        assert_eq!(rows[0].position, None);
    }

    #[test]
    fn every_bad_line_is_reported_with_its_line_number_and_reasons() {
        let mut text = "employee_number,full_name,unit_code,position,active\n\
            A1,An,EVNHANOI,,\n\
            A2,Bình,NOWHERE,,\n\
            a1,Cường,EVNNPC,,\n\
            A4,,EVNNPC,,\n\
            A5,D"
            .as_bytes()
            .to_vec();
        text.extend_from_slice(&[0xC3, 0x28]);
        text.extend_from_slice(
            ",EVNNPC,,\n\
            A6,Em,EVNNPC\n\
            A 7,Giang,PCOLD,,maybe\n\
            ,Hà,,,\n"
                .as_bytes(),
        );
        let bad = bad_lines(&text);
        let lines: Vec<u64> = bad.iter().map(|b| b.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(bad[0].reasons, vec![Reason::UnitUnknown("NOWHERE".into())]);
        assert_eq!(bad[1].reasons, vec![Reason::Duplicate { first_line: 2 }]);
        assert_eq!(bad[2].reasons, vec![Reason::NameMissing]);
        assert_eq!(bad[3].reasons, vec![Reason::Encoding]);
        assert_eq!(
            bad[4].reasons,
            vec![Reason::Columns {
                expected: 5,
                found: 3
            }]
        );
        assert_eq!(
            bad[5].reasons,
            vec![
                Reason::NumberInvalid,
                Reason::UnitClosed("PCOLD".into()),
                Reason::ActiveInvalid("maybe".into()),
            ]
        );
        assert_eq!(
            bad[6].reasons,
            vec![Reason::NumberMissing, Reason::UnitMissing]
        );
    }

    #[test]
    fn a_quoted_line_break_keeps_the_line_numbers_of_the_file() {
        let text = "employee_number,full_name,unit_code\nA1,\"An\nAn\",EVNHANOI\nA2,Bình,NOWHERE\n";
        let bad = bad_lines(text.as_bytes());
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].line, 4);
    }

    #[test]
    fn rows_of_empty_cells_are_skipped() {
        let text = "employee_number,full_name,unit_code\nA1,An,EVNHANOI\n,,\n \n";
        assert_eq!(parse(text.as_bytes(), &units()).unwrap().len(), 1);
    }

    #[test]
    fn a_bad_header_is_reported_on_line_1() {
        let bad = bad_lines(b"number,full_name,full_name\nA1,An,An\n");
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].line, 1);
        assert_eq!(
            bad[0].reasons,
            vec![
                Reason::HeaderMissing(vec!["employee_number", "unit_code"]),
                Reason::HeaderUnknown("number".into()),
                Reason::HeaderDuplicate("full_name".into()),
            ]
        );
        assert_eq!(
            bad_lines(b"employee_number;full_name;unit_code\nA1;An;EVNHANOI\n")[0].reasons,
            vec![Reason::Separator]
        );
        assert_eq!(bad_lines(b"")[0].reasons, vec![Reason::Empty]);
        assert_eq!(
            bad_lines(b"employee_number,full_name,unit_code\n")[0].reasons,
            vec![Reason::NoRows]
        );
    }

    #[test]
    fn every_reason_has_a_message_in_both_languages() {
        let reasons = [
            Reason::Empty,
            Reason::Separator,
            Reason::HeaderMissing(vec!["unit_code"]),
            Reason::HeaderUnknown("x".into()),
            Reason::HeaderDuplicate("x".into()),
            Reason::NoRows,
            Reason::Columns {
                expected: 5,
                found: 3,
            },
            Reason::Encoding,
            Reason::Unreadable,
            Reason::NumberMissing,
            Reason::NumberInvalid,
            Reason::Duplicate { first_line: 2 },
            Reason::NameMissing,
            Reason::NameLong,
            Reason::UnitMissing,
            Reason::UnitUnknown("X".into()),
            Reason::UnitClosed("X".into()),
            Reason::PositionLong,
            Reason::ActiveInvalid("x".into()),
        ];
        for reason in reasons {
            for lang in Lang::ALL {
                let text = reason.message(lang);
                assert!(
                    !text.is_empty() && !text.contains("Unknown localization"),
                    "{text}"
                );
            }
        }
        assert!(Reason::Duplicate { first_line: 7 }
            .message(Lang::En)
            .contains('7'));
    }
}
