//! CSV import of a vessel's equipment list. A dry run checks every row and reports every
//! problem, writing nothing; a real import checks everything first and then writes every item
//! in one transaction, or nothing at all.
//!
//! The file has a header row naming its columns (any order, any case): `ref`, `parent_ref`,
//! `level`, `name`, `area`, `equipment_type`, `maker`, `model`, `serial_number`,
//! `criticality`, `status`. `name`, `level` and `area` are required; an unknown column refuses
//! the whole file. `parent_ref` names another row's `ref` (anywhere in the file) or the QR code
//! of an item already on the vessel; a row's own `ref` wins over a QR code that reads the same.
//!
//! Bounded whatever the file: the body is spooled to a temporary file (never held whole) only
//! once the caller may write to the vessel, parsed from there row by row, refused past
//! [`MAX_ROWS`] data rows, and read no further than the [`MAX_BAD_ROWS`]th bad row; the report
//! then says where it stopped. Messages are cut at 200 characters.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek, SeekFrom};

use bosun_domain::equipment::{Equipment, EquipmentLevel, EquipmentStatus, check_parent, parse_qr_code};
use bosun_domain::permissions::Action;
use bosun_domain::{EquipmentId, VesselId, Violation, check_text};
use serde_json::json;

use super::{CheckedFields, EquipmentFields, EquipmentService, Placement, check_fields, fresh_qr_code};
use crate::spool::ByteSource;
use crate::{Actor, Audit, Error, Result};

/// The columns a file may have.
pub const COLUMNS: [&str; 11] = [
    "ref",
    "parent_ref",
    "level",
    "name",
    "area",
    "equipment_type",
    "maker",
    "model",
    "serial_number",
    "criticality",
    "status",
];

/// The columns a file must have.
pub const REQUIRED_COLUMNS: [&str; 3] = ["name", "level", "area"];

/// The most data rows one file may hold; more refuse the file (`too_many_rows`).
pub const MAX_ROWS: usize = 10_000;

/// Reading stops at this many bad rows: the report lists their problems and says where it
/// stopped, so a file of millions of bad rows costs no more than a hundred.
pub const MAX_BAD_ROWS: usize = 100;

/// The longest message about one problem, in characters (messages may quote a cell).
const MAX_MESSAGE_CHARS: usize = 200;

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
    fn new(row: usize, field: &str, code: &'static str, message: impl Into<String>) -> Self {
        let mut message = message.into();
        if let Some((cut, _)) = message.char_indices().nth(MAX_MESSAGE_CHARS) {
            message.truncate(cut);
            message.push('…');
        }
        Self { row, field: field.to_owned(), code, message }
    }
}

/// An item the import created.
#[derive(Debug, Clone)]
pub struct ImportedItem {
    /// Its row.
    pub row: usize,
    /// Its `ref` in the file.
    pub reference: Option<String>,
    /// Its new id.
    pub id: EquipmentId,
    /// Its new QR code.
    pub qr_code: String,
}

/// What an import did, or (dry run) would do.
#[derive(Debug, Clone)]
pub struct ImportReport {
    /// Whether nothing was written on purpose.
    pub dry_run: bool,
    /// Data rows read.
    pub rows: usize,
    /// Every problem found, by row (those of the first [`MAX_BAD_ROWS`] bad rows).
    pub errors: Vec<RowError>,
    /// The items created (empty on a dry run).
    pub items: Vec<ImportedItem>,
    /// When checking stopped at the [`MAX_BAD_ROWS`]th bad row: its line. Nothing after it
    /// was read or reported.
    pub stopped_at: Option<usize>,
}

/// A data row as read, its own cells checked.
struct Row {
    line: usize,
    reference: Option<String>,
    parent_ref: Option<String>,
    /// `None` when a cell broke a rule (reported).
    checked: Option<CheckedFields>,
}

/// The rows of a file, as far as they were read.
struct Rows {
    rows: Vec<Row>,
    errors: Vec<RowError>,
    /// The line of the [`MAX_BAD_ROWS`]th bad row, when reading stopped there.
    stopped_at: Option<usize>,
}

fn file_error(field: &str, code: &'static str, message: impl Into<String>) -> Error {
    Error::Invalid(vec![Violation::new(field, code, message)])
}

fn not_utf8() -> Error {
    file_error("body", "not_utf8", "the file must be UTF-8 text")
}

/// Reads the file's rows from `file`, checking each row's own cells; problems with the file
/// as a whole refuse it, problems with one row are collected until [`MAX_BAD_ROWS`] rows are
/// bad. `peek` is a second handle on the same bytes, to find the line a row starts on.
fn read_rows<F: Read + Seek>(mut file: F, mut peek: F) -> Result<Rows> {
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
        if !COLUMNS.contains(&name.as_str()) {
            problems.push(Violation::new(
                "header",
                "unknown_column",
                format!(
                    "unknown column {:?}; the columns are {}",
                    name.chars().take(80).collect::<String>(),
                    COLUMNS.join(", ")
                ),
            ));
        } else if !seen.insert(name.as_str()) {
            problems.push(Violation::new("header", "duplicate_column", format!("column {name:?} appears twice")));
        }
    }
    for required in REQUIRED_COLUMNS {
        if !seen.contains(required) {
            problems.push(Violation::new("header", "missing_column", format!("column {required:?} is required")));
        }
    }
    if !problems.is_empty() {
        problems.truncate(COLUMNS.len() + REQUIRED_COLUMNS.len());
        return Err(Error::Invalid(problems));
    }
    let col = |name: &str| names.iter().position(|n| n == name);
    let cols: HashMap<&str, usize> = COLUMNS.iter().filter_map(|c| col(c).map(|i| (*c, i))).collect();

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
                    let (row, problems) = read_row(&record, &cols, line);
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
                return Ok(Rows { rows, errors, stopped_at: Some(line) });
            }
        }
    }
    if rows.is_empty() && errors.is_empty() {
        return Err(file_error("body", "no_rows", "the file has a header but no rows"));
    }
    Ok(Rows { rows, errors, stopped_at: None })
}

/// A row of the right length, its own cells checked.
fn read_row(record: &csv::StringRecord, cols: &HashMap<&str, usize>, line: usize) -> (Row, Vec<RowError>) {
    let cell = |name: &str| cols.get(name).and_then(|&i| record.get(i)).filter(|s| !s.is_empty()).map(str::to_owned);
    let fields = EquipmentFields {
        parent_id: None,
        level: cell("level").unwrap_or_default(),
        area: cell("area").unwrap_or_default(),
        name: cell("name").unwrap_or_default(),
        equipment_type: cell("equipment_type"),
        maker: cell("maker"),
        model: cell("model"),
        serial_number: cell("serial_number"),
        criticality: cell("criticality"),
        status: cell("status"),
        specs: None,
    };
    let (checked, problems) = match check_fields(&fields) {
        Ok(c) => (Some(c), Vec::new()),
        Err(vs) => (None, vs.into_iter().map(|v| RowError::new(line, &v.field, v.code, v.message)).collect()),
    };
    (Row { line, reference: cell("ref"), parent_ref: cell("parent_ref"), checked }, problems)
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
fn keep_first_bad_rows(errors: &mut Vec<RowError>) -> Option<usize> {
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

/// Where a row's parent is.
#[derive(Debug, Clone, Copy)]
enum Parent {
    /// At top level.
    None,
    /// Another row of the file (its index).
    Row(usize),
    /// An item already on the vessel.
    Existing(EquipmentId),
}

impl EquipmentService {
    /// Imports a vessel's equipment list from CSV; `dry_run` checks without writing. The body
    /// is read only once the caller may write to the vessel, into a temporary file of at most
    /// `max_bytes` (413 `body_too_large` past it), and parsed from there.
    pub async fn import(
        &self,
        actor: &Actor,
        vessel: VesselId,
        body: &mut dyn ByteSource,
        max_bytes: u64,
        dry_run: bool,
    ) -> Result<ImportReport> {
        self.admit_vessel(actor, vessel, Action::EquipmentWrite, "equipment").await?;
        let spooled =
            self.spool.take(body, max_bytes, |_| {}).await.map_err(|e| Error::from_spool(e, "body_too_large"))?;
        // The file travels with the parse, so it outlives a dropped request exactly as long as
        // the parse reads it.
        let (spooled, read) = tokio::task::spawn_blocking(move || {
            let open = || std::fs::File::open(spooled.path()).map(std::io::BufReader::new);
            let read = match (open(), open()) {
                (Ok(file), Ok(peek)) => read_rows(file, peek),
                (Err(e), _) | (_, Err(e)) => Err(Error::Unavailable(format!("the spooled import: {e}"))),
            };
            (spooled, read)
        })
        .await
        .map_err(|e| Error::Internal(format!("import parsing task: {e}")))?;
        drop(spooled);
        let Rows { rows, mut errors, mut stopped_at } = read?;
        let mut err = |row: usize, field: &str, code: &'static str, message: String| {
            errors.push(RowError::new(row, field, code, message));
        };
        let checked: Vec<Option<&CheckedFields>> = rows.iter().map(|r| r.checked.as_ref()).collect();

        let mut by_ref: HashMap<&str, usize> = HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            let Some(reference) = r.reference.as_deref() else { continue };
            if let Err(v) = check_text("ref", reference, 1, 80) {
                err(r.line, "ref", v.code, v.message);
            } else if let Some(&first) = by_ref.get(reference) {
                err(
                    r.line,
                    "ref",
                    "duplicate_ref",
                    format!("ref {reference:?} is already used on line {}", rows[first].line),
                );
            } else {
                by_ref.insert(reference, i);
            }
        }

        let mut tx = self.deps.store.begin(Some(actor.company_id)).await?;
        let mut existing: HashMap<String, Option<Equipment>> = HashMap::new();
        let mut parents = Vec::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            let parent = match r.parent_ref.as_deref() {
                None => Parent::None,
                Some(p) if by_ref.contains_key(p) => Parent::Row(by_ref[p]),
                Some(p) => {
                    let code = parse_qr_code(p);
                    let found = match code {
                        None => None,
                        Some(code) => match existing.get(&code) {
                            Some(found) => found.clone(),
                            None => {
                                let found = tx
                                    .equipment_by_qr(actor.company_id, &code)
                                    .await?
                                    .filter(|e| e.vessel_id == vessel);
                                existing.insert(code, found.clone());
                                found
                            }
                        },
                    };
                    match found {
                        // The parent may be a row further down, past where reading stopped.
                        None if stopped_at.is_some() => {
                            parents.push(None);
                            continue;
                        }
                        None => {
                            err(
                                r.line,
                                "parent_ref",
                                "unknown_parent_ref",
                                format!(
                                    "{p:?} is neither a ref in this file nor the QR code of an item of this vessel"
                                ),
                            );
                            parents.push(None);
                            continue;
                        }
                        Some(e) if e.status == EquipmentStatus::Decommissioned => {
                            err(r.line, "parent_ref", "parent_decommissioned", format!("{} is decommissioned", e.name));
                            parents.push(None);
                            continue;
                        }
                        Some(e) => Parent::Existing(e.id),
                    }
                }
            };
            if matches!(parent, Parent::Row(p) if p == i) {
                err(r.line, "parent_ref", "invalid_parent", "a row cannot sit under itself".into());
                parents.push(None);
                continue;
            }
            let parent_level: Option<Option<EquipmentLevel>> = match parent {
                Parent::None => Some(None),
                Parent::Row(p) => checked[p].as_ref().map(|c| Some(c.level)),
                Parent::Existing(id) => existing.values().flatten().find(|e| e.id == id).map(|e| Some(e.level)),
            };
            // A row whose own level or whose parent's level is unreadable is reported once, there.
            if let (Some(c), Some(parent_level)) = (&checked[i], parent_level)
                && let Err(v) = check_parent(c.level, parent_level)
            {
                err(r.line, "parent_ref", v.code, v.message);
            }
            parents.push(Some(parent));
        }

        errors.sort_by_key(|e| e.row);
        if let Some(line) = keep_first_bad_rows(&mut errors) {
            stopped_at = Some(line);
        }
        if !errors.is_empty() {
            if dry_run {
                return Ok(ImportReport { dry_run, rows: rows.len(), errors, items: Vec::new(), stopped_at });
            }
            let mut violations: Vec<Violation> = errors
                .into_iter()
                .map(|e| Violation::new(format!("rows.{}.{}", e.row, e.field), e.code, e.message))
                .collect();
            if let Some(line) = stopped_at {
                violations.push(Violation::new(
                    "body",
                    "too_many_bad_rows",
                    format!("checking stopped at line {line}, the {MAX_BAD_ROWS}th bad row"),
                ));
            }
            return Err(Error::Invalid(violations));
        }
        if dry_run {
            return Ok(ImportReport { dry_run, rows: rows.len(), errors, items: Vec::new(), stopped_at });
        }

        let now = self.deps.clock.now();
        let ids: Vec<EquipmentId> = rows.iter().map(|_| self.deps.ids.id()).collect();
        let mut codes = HashSet::new();
        let mut items = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let Some(c) = row.checked.clone() else {
                return Err(Error::Internal("an unchecked row reached the import".into()));
            };
            let parent_id = match parents[i] {
                Some(Parent::None) | None => None,
                Some(Parent::Row(p)) => Some(ids[p]),
                Some(Parent::Existing(id)) => Some(id),
            };
            let mut qr_code = fresh_qr_code(&*self.deps.ids);
            while !codes.insert(qr_code.clone()) {
                qr_code = fresh_qr_code(&*self.deps.ids);
            }
            items.push(c.into_new_item(Placement {
                id: ids[i],
                company_id: actor.company_id,
                vessel_id: vessel,
                parent_id,
                qr_code,
                at: now,
            }));
        }
        // Parents first: a parent's level always comes before its children's.
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.sort_by_key(|&i| level_rank(items[i].level));
        let mut ordered: Vec<Equipment> = order.iter().map(|&i| items[i].clone()).collect();
        self.insert_items(&mut tx, &mut ordered).await?;
        self.deps
            .audit(
                &mut tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("equipment.import", "vessel", vessel).after(json!({ "count": ordered.len() })),
            )
            .await?;
        tx.commit().await?;
        let items = rows
            .iter()
            .zip(&items)
            .map(|(r, e)| ImportedItem {
                row: r.line,
                reference: r.reference.clone(),
                id: e.id,
                qr_code: e.qr_code.clone(),
            })
            .collect();
        Ok(ImportReport { dry_run, rows: rows.len(), errors: Vec::new(), items, stopped_at: None })
    }
}

/// Systems, then equipment, then components.
pub(crate) fn level_rank(level: EquipmentLevel) -> u8 {
    match level {
        EquipmentLevel::System => 0,
        EquipmentLevel::Equipment => 1,
        EquipmentLevel::Component => 2,
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;

    fn read_rows(body: &[u8]) -> Result<(Vec<Row>, Vec<RowError>)> {
        let read = super::read_rows(Cursor::new(body), Cursor::new(body))?;
        Ok((read.rows, read.errors))
    }

    fn read_all(body: &[u8]) -> Rows {
        super::read_rows(Cursor::new(body), Cursor::new(body)).unwrap_or_else(|e| panic!("refused: {e:?}"))
    }

    #[test]
    fn a_header_with_unknown_or_missing_columns_refuses_the_file() {
        let Err(Error::Invalid(v)) = read_rows(b"name,level,colour\nA,system,red\n") else { panic!("accepted") };
        let codes: Vec<_> = v.iter().map(|v| v.code).collect();
        assert_eq!(codes, ["unknown_column", "missing_column"]);
        let Err(Error::Invalid(v)) = read_rows(b"Name,LEVEL,area,name\n") else { panic!("accepted") };
        assert_eq!(v[0].code, "duplicate_column");
    }

    #[test]
    fn rows_are_read_by_header_name_in_any_order_and_case() {
        let (rows, errors) = read_rows(
            "\u{feff}AREA, Name ,level,ref\n\nengine_room, Main engine ,equipment,ME1\n,,,\ndeck,Crane,system,\n"
                .as_bytes(),
        )
        .unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(rows.len(), 2, "blank rows are skipped");
        let first = rows[0].checked.as_ref().unwrap();
        assert_eq!(first.name, "Main engine");
        assert_eq!(first.area.as_str(), "engine_room");
        assert_eq!(rows[0].reference.as_deref(), Some("ME1"));
        assert_eq!(rows[0].line, 3);
        assert_eq!(rows[1].reference, None);
        assert_eq!(rows[1].line, 5);
        let (rows, _) = read_rows(
            b"name,level,area\r\n\r\n\r\nA,system,deck\r\n\"B\nsecond line\",system,deck\r\nC,system,deck\r\n",
        )
        .unwrap();
        let lines: Vec<_> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [4, 5, 7], "a quoted line break is part of its row");
    }

    #[test]
    fn a_row_with_the_wrong_number_of_cells_is_reported_and_reading_goes_on() {
        let (rows, errors) = read_rows(b"name,level,area\nA,system\nB,system,deck\n").unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(errors[0].row, 2);
        assert_eq!(errors[0].code, "column_count");
    }

    #[test]
    fn a_file_must_be_utf8_with_rows() {
        let Err(Error::Invalid(v)) = read_rows(b"name,level,area\n\xff,system,deck\n") else { panic!() };
        assert_eq!(v[0].code, "not_utf8");
        let Err(Error::Invalid(v)) = read_rows(b"name,level,area\n") else { panic!() };
        assert_eq!(v[0].code, "no_rows");
        let Err(Error::Invalid(v)) = read_rows(b"") else { panic!() };
        assert_eq!(v[0].code, "missing_header");
    }

    #[test]
    fn reading_stops_at_the_hundredth_bad_row_and_says_where() {
        let mut csv = String::from("name,level,area\n");
        for _ in 0..1_000 {
            csv.push_str("A\n");
        }
        let read = read_all(csv.as_bytes());
        assert_eq!(read.errors.len(), MAX_BAD_ROWS);
        assert_eq!(read.stopped_at, Some(MAX_BAD_ROWS + 1), "the header is line 1");
        assert!(read.rows.is_empty());
        // Cell checks count too, and one bad row is counted once however many cells it breaks.
        let mut csv = String::from("name,level,area\nPump,equipment,deck\n");
        for _ in 0..150 {
            csv.push_str(",gizmo,galley\n");
        }
        let read = read_all(csv.as_bytes());
        assert_eq!(read.stopped_at, Some(MAX_BAD_ROWS + 2));
        assert_eq!(read.rows.len(), MAX_BAD_ROWS + 1);
        assert_eq!(read.errors.len(), 3 * MAX_BAD_ROWS, "name, level and area of each bad row");
    }

    #[test]
    fn a_file_over_the_row_cap_is_refused_whatever_its_rows() {
        let mut csv = String::from("name,level,area\n");
        for i in 0..=MAX_ROWS {
            csv.push_str(if i % 1000 == 0 { "A\n" } else { "Pump,equipment,deck\n" });
        }
        let Err(Error::Invalid(v)) = super::read_rows(Cursor::new(csv.as_bytes()), Cursor::new(csv.as_bytes())) else {
            panic!("accepted")
        };
        assert_eq!(v[0].code, "too_many_rows");
    }

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
