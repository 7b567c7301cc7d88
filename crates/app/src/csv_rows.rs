//! Reading CSV imports (the equipment list, the parts catalogue): a header row naming the
//! columns in any order and case, then data rows, each checked on its own. Problems with the
//! file as a whole refuse it; problems with a row are collected, up to [`MAX_BAD_ROWS`] bad
//! rows, so a report lists every problem a person must fix, and a file of millions of bad rows
//! costs no more than a hundred.
//!
//! Bounded whatever the file: the body is spooled to a temporary file (never held whole) by
//! [`parse_spooled`], parsed from there row by row on a blocking thread, refused past
//! [`MAX_ROWS`] data rows. Messages are cut at 200 characters.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek, SeekFrom};

use bosun_domain::Violation;

use crate::spool::{ByteSource, Spool};
use crate::{Error, Result};

/// The most data rows one file may hold; more refuse the file (`too_many_rows`).
pub const MAX_ROWS: usize = 10_000;

/// Reading stops at this many bad rows: the report lists their problems and says where it
/// stopped.
pub const MAX_BAD_ROWS: usize = 100;

/// The longest message about one problem, in characters (messages may quote a cell).
pub(crate) const MAX_MESSAGE_CHARS: usize = 200;

/// One problem with one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The line of the file where the row starts (the header is line 1).
    pub row: usize,
    /// The column.
    pub field: String,
    /// A stable code.
    pub code: &'static str,
    /// For people.
    pub message: String,
}

impl RowError {
    /// A problem with `field` of the row starting on `row`.
    pub fn new(row: usize, field: &str, code: &'static str, message: impl Into<String>) -> Self {
        let mut message = message.into();
        if let Some((cut, _)) = message.char_indices().nth(MAX_MESSAGE_CHARS) {
            message.truncate(cut);
            message.push('…');
        }
        Self { row, field: field.to_owned(), code, message }
    }
}

/// The columns a kind of file has and those it must have.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Columns {
    pub(crate) all: &'static [&'static str],
    pub(crate) required: &'static [&'static str],
}

/// The cells of one data row by column name: trimmed, empty ones absent.
pub(crate) struct Cells<'a> {
    record: &'a csv::StringRecord,
    cols: &'a HashMap<&'static str, usize>,
}

impl Cells<'_> {
    /// The cell of `name`, unless empty or the file has no such column.
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        self.cols.get(name).and_then(|&i| self.record.get(i)).filter(|s| !s.is_empty()).map(str::to_owned)
    }
}

/// The rows of a file, as far as they were read.
pub(crate) struct Table<R> {
    pub(crate) rows: Vec<R>,
    pub(crate) errors: Vec<RowError>,
    /// The line of the [`MAX_BAD_ROWS`]th bad row, when reading stopped there.
    pub(crate) stopped_at: Option<usize>,
}

fn file_error(field: &str, code: &'static str, message: impl Into<String>) -> Error {
    Error::Invalid(vec![Violation::new(field, code, message)])
}

fn not_utf8() -> Error {
    file_error("body", "not_utf8", "the file must be UTF-8 text")
}

/// Spools `body` (at most `max_bytes`, 413 `body_too_large` past it) and reads its rows with
/// `read_row` on a blocking thread. The temporary file travels with the parse, so it outlives a
/// dropped request exactly as long as the parse reads it.
pub(crate) async fn parse_spooled<R, F>(
    spool: &Spool,
    body: &mut dyn ByteSource,
    max_bytes: u64,
    columns: Columns,
    read_row: F,
) -> Result<Table<R>>
where
    R: Send + 'static,
    F: FnMut(Cells<'_>, usize) -> (R, Vec<RowError>) + Send + 'static,
{
    let spooled = spool.take(body, max_bytes, |_| {}).await.map_err(|e| Error::from_spool(e, "body_too_large"))?;
    let (spooled, read) = tokio::task::spawn_blocking(move || {
        let open = || std::fs::File::open(spooled.path()).map(std::io::BufReader::new);
        let read = match (open(), open()) {
            (Ok(file), Ok(peek)) => read_rows(file, peek, columns, read_row),
            (Err(e), _) | (_, Err(e)) => Err(Error::Unavailable(format!("the spooled import: {e}"))),
        };
        (spooled, read)
    })
    .await
    .map_err(|e| Error::Internal(format!("import parsing task: {e}")))?;
    drop(spooled);
    read
}

/// Reads the file's rows from `file`, checking each with `read_row`; problems with the file
/// as a whole refuse it, problems with one row are collected until [`MAX_BAD_ROWS`] rows are
/// bad. `peek` is a second handle on the same bytes, to find the line a row starts on.
pub(crate) fn read_rows<F: Read + Seek, R>(
    mut file: F,
    mut peek: F,
    columns: Columns,
    mut read_row: impl FnMut(Cells<'_>, usize) -> (R, Vec<RowError>),
) -> Result<Table<R>> {
    let unreadable = |e: std::io::Error| file_error("body", "unreadable", format!("the file cannot be read: {e}"));
    // Spreadsheets often start their UTF-8 exports with a byte-order mark.
    let mut bom = [0u8; 3];
    let read = peek.read(&mut bom).map_err(unreadable)?;
    let offset = if read == 3 && bom == *b"\xEF\xBB\xBF" { 3 } else { 0 };
    file.seek(SeekFrom::Start(offset)).map_err(unreadable)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).trim(csv::Trim::All).from_reader(file);
    let header = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => return Err(not_utf8()),
        Err(e) => return Err(file_error("header", "unreadable", format!("the header row cannot be read: {e}"))),
    };
    let names: Vec<String> = header.iter().map(str::to_lowercase).collect();
    if names.iter().all(String::is_empty) {
        return Err(file_error("header", "missing_header", "the file must start with a header row naming its columns"));
    }
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for name in &names {
        if !columns.all.contains(&name.as_str()) {
            problems.push(Violation::new(
                "header",
                "unknown_column",
                format!(
                    "unknown column {:?}; the columns are {}",
                    name.chars().take(80).collect::<String>(),
                    columns.all.join(", ")
                ),
            ));
        } else if !seen.insert(name.as_str()) {
            problems.push(Violation::new("header", "duplicate_column", format!("column {name:?} appears twice")));
        }
    }
    for required in columns.required {
        if !seen.contains(required) {
            problems.push(Violation::new("header", "missing_column", format!("column {required:?} is required")));
        }
    }
    if !problems.is_empty() {
        problems.truncate(columns.all.len() + columns.required.len());
        return Err(Error::Invalid(problems));
    }
    let cols: HashMap<&'static str, usize> =
        columns.all.iter().filter_map(|c| names.iter().position(|n| n == c).map(|i| (*c, i))).collect();

    let (mut rows, mut errors, mut data_rows, mut bad_rows) = (Vec::new(), Vec::new(), 0, 0);
    let mut record = csv::StringRecord::new();
    loop {
        let problems = match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) if record.iter().all(str::is_empty) => continue,
            Ok(true) => {
                data_rows += 1;
                if data_rows > MAX_ROWS {
                    return Err(file_error("body", "too_many_rows", format!("a file holds at most {MAX_ROWS} rows")));
                }
                let line = record.position().map_or(0, |p| line_of(&mut peek, offset, p));
                if record.len() == names.len() {
                    let (row, problems) = read_row(Cells { record: &record, cols: &cols }, line);
                    rows.push(row);
                    problems
                } else {
                    let message = format!("has {} cells; the header has {}", record.len(), names.len());
                    vec![RowError::new(line, "row", "column_count", message)]
                }
            }
            Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => return Err(not_utf8()),
            Err(e) => {
                data_rows += 1;
                let line = e.position().map_or(0, |p| p.line() as usize);
                vec![RowError::new(line, "row", "unreadable", e.to_string())]
            }
        };
        if let Some(line) = problems.first().map(|p| p.row) {
            errors.extend(problems);
            bad_rows += 1;
            if bad_rows == MAX_BAD_ROWS {
                return Ok(Table { rows, errors, stopped_at: Some(line) });
            }
        }
    }
    if rows.is_empty() && errors.is_empty() {
        return Err(file_error("body", "no_rows", "the file has a header but no rows"));
    }
    Ok(Table { rows, errors, stopped_at: None })
}

/// The line a record starts on. The reader places a record's start before the blank lines it
/// skipped on the way, so count those too, reading them through `peek` (the file's bytes
/// start `offset` bytes after the reader's).
fn line_of<P: Read + Seek>(peek: &mut P, offset: u64, p: &csv::Position) -> usize {
    let (mut skipped, mut at, mut buf) = (0, offset + p.byte(), [0u8; 256]);
    'reading: while peek.seek(SeekFrom::Start(at)).is_ok() {
        let n = match peek.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        for &b in &buf[..n] {
            match b {
                b'\n' => skipped += 1,
                b'\r' => {}
                _ => break 'reading,
            }
        }
        at += n as u64;
    }
    p.line() as usize + skipped
}

/// Keeps the problems of the first [`MAX_BAD_ROWS`] bad rows (`errors` sorted by row); the
/// line of the last one kept when some were left out.
pub(crate) fn keep_first_bad_rows(errors: &mut Vec<RowError>) -> Option<usize> {
    let mut bad = 0;
    let mut last = None;
    let cut = errors.iter().position(|e| {
        if last != Some(e.row) {
            bad += 1;
            if bad > MAX_BAD_ROWS {
                return true;
            }
            last = Some(e.row);
        }
        false
    })?;
    errors.truncate(cut);
    last
}

/// The refusal of a real import whose rows have problems: each as `rows.{line}.{column}`, and
/// where checking stopped.
pub(crate) fn refusal(errors: Vec<RowError>, stopped_at: Option<usize>) -> Error {
    let mut violations: Vec<Violation> =
        errors.into_iter().map(|e| Violation::new(format!("rows.{}.{}", e.row, e.field), e.code, e.message)).collect();
    if let Some(line) = stopped_at {
        violations.push(Violation::new(
            "body",
            "too_many_bad_rows",
            format!("checking stopped at line {line}, the {MAX_BAD_ROWS}th bad row"),
        ));
    }
    Error::Invalid(violations)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_quoting_long_cells_are_cut_short() {
        let e = RowError::new(2, "parent_ref", "unknown_parent_ref", "x".repeat(10_000));
        assert_eq!(e.message.chars().count(), MAX_MESSAGE_CHARS + 1);
        assert!(e.message.ends_with('…'));
    }

    #[test]
    fn only_the_problems_of_the_first_hundred_bad_rows_are_kept() {
        let mut errors: Vec<RowError> = (2..300)
            .flat_map(|row| [RowError::new(row, "name", "too_short", ""), RowError::new(row, "area", "x", "")])
            .collect();
        assert_eq!(keep_first_bad_rows(&mut errors), Some(101));
        assert_eq!(errors.len(), 2 * MAX_BAD_ROWS);
        let mut few = vec![RowError::new(2, "name", "too_short", "")];
        assert_eq!(keep_first_bad_rows(&mut few), None);
        assert_eq!(few.len(), 1);
    }
}
