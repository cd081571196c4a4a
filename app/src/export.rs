//! Coordinators' exports as CSV (issue 17): one table per file, UTF-8, a header row, RFC 4180
//! quoting (the `csv` crate), and every cell made safe to open in a spreadsheet.
//!
//! **Spreadsheet-safe.** A cell a spreadsheet would read as a formula (one starting with `=`,
//! `+`, `-` or `@`, or with a tab or carriage return, which some spreadsheets skip before
//! looking) gets a leading apostrophe, as OWASP's "CSV Injection" page recommends: a name such
//! as `=HYPERLINK(…)` typed at sign-up is then shown as text. Our own figures are never
//! negative, so no number is changed.
//!
//! **UTF-8 with a byte-order mark**, so that Excel reads names with accents correctly (without
//! it, Excel assumes the machine's legacy code page); the `csv` crate's reader, Python's
//! `utf-8-sig`, LibreOffice and Google Sheets all skip it.

use std::borrow::Cow;

/// The UTF-8 byte-order mark each file starts with.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell` as a spreadsheet will show it as text: prefixed with `'` when it starts with one of
/// `= + - @`, a tab or a carriage return; otherwise unchanged (and not copied).
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_START) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// One exported table: a header and rows of the same width.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// Column names (the header row).
    pub header: Vec<&'static str>,
    /// Rows, each as wide as `header`.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The file: BOM, header row, then each row, every cell through [`spreadsheet_safe`],
    /// lines ended by CRLF (RFC 4180 §2). Errors only when a row's width differs from the
    /// header's (a bug in the caller).
    pub fn to_csv(&self) -> Result<Vec<u8>, csv::Error> {
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(BOM.to_vec());
        out.write_record(&self.header)?;
        for row in &self.rows {
            out.write_record(row.iter().map(|c| spreadsheet_safe(c).into_owned()))?;
        }
        out.into_inner().map_err(|e| e.into_error().into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read_back(bytes: &[u8]) -> Vec<Vec<String>> {
        assert!(bytes.starts_with(BOM), "the file starts with the BOM");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&bytes[BOM.len()..])
            .records()
            .map(|r| r.expect("a record").iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn formulas_become_text_and_other_cells_stay() {
        for (cell, shown) in [
            ("=1+1", "'=1+1"),
            ("+33 1 23", "'+33 1 23"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("Ana Silva", "Ana Silva"),
            ("a=b", "a=b"),
            ("", ""),
            ("'=quoted", "'=quoted"),
            ("12", "12"),
        ] {
            assert_eq!(spreadsheet_safe(cell), shown, "{cell:?}");
        }
    }

    proptest! {
        /// Any cell: after export, no cell read back can start a formula, and removing the
        /// apostrophe we added gives the original back exactly (quotes, commas, line breaks,
        /// any script).
        #[test]
        fn every_table_round_trips_and_no_cell_is_a_formula(
            rows in prop::collection::vec(prop::collection::vec(any::<String>(), 3), 0..8)
        ) {
            let table = Table { header: vec!["a", "b", "c"], rows: rows.clone() };
            let bytes = table.to_csv().expect("same widths");
            let back = read_back(&bytes);
            prop_assert_eq!(back.len(), rows.len() + 1);
            prop_assert_eq!(&back[0], &vec!["a".to_owned(), "b".into(), "c".into()]);
            for (got, sent) in back[1..].iter().zip(&rows) {
                for (g, s) in got.iter().zip(sent) {
                    prop_assert!(!g.starts_with(FORMULA_START), "{:?} starts a formula", g);
                    let original = if s.starts_with(FORMULA_START) {
                        g.strip_prefix('\'').expect("prefixed")
                    } else {
                        g.as_str()
                    };
                    prop_assert_eq!(original, s.as_str());
                }
            }
        }

        /// Cells built from the characters that matter (formula starts, quotes, separators,
        /// line breaks) rather than left to chance.
        #[test]
        fn awkward_cells_round_trip(cell in "[=+@\\-\t\r\n\",; a-zé]{0,12}") {
            let table = Table { header: vec!["x"], rows: vec![vec![cell.clone()]] };
            let back = read_back(&table.to_csv().expect("one column"));
            let expected = spreadsheet_safe(&cell).into_owned();
            prop_assert_eq!(&back[1][0], &expected);
        }
    }

    #[test]
    fn rows_wider_than_the_header_are_refused() {
        let table = Table {
            header: vec!["a"],
            rows: vec![vec!["1".into(), "2".into()]],
        };
        assert!(table.to_csv().is_err());
    }
}
