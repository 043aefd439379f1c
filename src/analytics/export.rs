//! A dashboard table as a file: CSV (UTF-8 with a byte-order mark, so spreadsheet programs read
//! Vietnamese correctly) or XLSX. Both hold exactly the cells the page shows — withheld counts
//! stay "<5" — with numbers as numbers in XLSX. Cells that a spreadsheet would run as a
//! formula get a leading apostrophe, as in the audit export.

use rust_xlsxwriter::{Format, Workbook};

use super::table::{Cell, Table};
use crate::domain::spreadsheet::spreadsheet_safe;
use crate::web::error::{AppError, AppResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "csv" => Some(ExportFormat::Csv),
            "xlsx" => Some(ExportFormat::Xlsx),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }
}

/// The table as CSV bytes.
pub fn csv(table: &Table) -> AppResult<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(
            table
                .columns
                .iter()
                .map(|c| spreadsheet_safe(c).into_owned()),
        )
        .map_err(AppError::internal)?;
    for row in &table.rows {
        let mut record = vec![spreadsheet_safe(&row.label).into_owned()];
        record.extend(row.cells.iter().map(|c| match c {
            Cell::Text(t) => spreadsheet_safe(t).into_owned(),
            other => other.text(),
        }));
        writer.write_record(&record).map_err(AppError::internal)?;
    }
    let body = writer
        .into_inner()
        .map_err(|error| AppError::internal(error.into_error()))?;
    let mut out = "\u{feff}".as_bytes().to_vec();
    out.extend(body);
    Ok(out)
}

/// The table as an XLSX workbook with one sheet named after it.
pub fn xlsx(table: &Table) -> AppResult<Vec<u8>> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(table.id).map_err(AppError::internal)?;
    let bold = Format::new().set_bold();
    for (col, heading) in table.columns.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, heading, &bold)
            .map_err(AppError::internal)?;
    }
    for (i, row) in table.rows.iter().enumerate() {
        let r = (i + 1) as u32;
        sheet
            .write_string(r, 0, &row.label)
            .map_err(AppError::internal)?;
        for (j, cell) in row.cells.iter().enumerate() {
            let c = (j + 1) as u16;
            match cell.number() {
                Some(n) => sheet.write_number(r, c, n).map(|_| ()),
                None => {
                    let text = cell.text();
                    if text.is_empty() {
                        Ok(())
                    } else {
                        sheet.write_string(r, c, &text).map(|_| ())
                    }
                }
            }
            .map_err(AppError::internal)?;
        }
    }
    sheet.set_column_width(0, 40).map_err(AppError::internal)?;
    workbook.save_to_buffer().map_err(AppError::internal)
}
