//! CSV import of a vessel's equipment list. A dry run checks every row and reports every
//! problem, writing nothing; a real import checks everything first and then writes every item
//! in one transaction, or nothing at all.
//!
//! The file has a header row naming its columns (any order, any case): `ref`, `parent_ref`,
//! `level`, `name`, `area`, `equipment_type`, `maker`, `model`, `serial_number`,
//! `criticality`, `status`. `name`, `level` and `area` are required; an unknown column refuses
//! the whole file. `parent_ref` names another row's `ref` (anywhere in the file) or the QR code
//! of an item already on the vessel; a row's own `ref` wins over a QR code that reads the same.

use std::collections::{HashMap, HashSet};

use bosun_domain::equipment::{Equipment, EquipmentLevel, EquipmentStatus, check_parent, parse_qr_code};
use bosun_domain::permissions::Action;
use bosun_domain::{EquipmentId, VesselId, Violation, check_text};
use serde_json::json;

use super::{CheckedFields, EquipmentFields, EquipmentService, Placement, check_fields, fresh_qr_code};
use crate::service::{Actor, Audit, Error, Result};

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

/// The most rows one file may hold.
pub const MAX_ROWS: usize = 10_000;

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
    /// Every problem found, by row.
    pub errors: Vec<RowError>,
    /// The items created (empty on a dry run).
    pub items: Vec<ImportedItem>,
}

/// A data row as read.
#[derive(Debug, Clone)]
struct Row {
    line: usize,
    reference: Option<String>,
    parent_ref: Option<String>,
    fields: EquipmentFields,
}

fn file_error(field: &str, code: &'static str, message: impl Into<String>) -> Error {
    Error::Invalid(vec![Violation::new(field, code, message)])
}

/// Reads the file into rows; problems with the file as a whole refuse it, problems with one
/// row are collected.
fn read_rows(body: &[u8]) -> Result<(Vec<Row>, Vec<RowError>)> {
    let text = std::str::from_utf8(body).map_err(|_| file_error("body", "not_utf8", "the file must be UTF-8 text"))?;
    // Spreadsheets often start their UTF-8 exports with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(true).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| file_error("header", "unreadable", format!("the header row cannot be read: {e}")))?
        .clone();
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
                format!("unknown column {name:?}; the columns are {}", COLUMNS.join(", ")),
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
        return Err(Error::Invalid(problems));
    }
    let col = |name: &str| names.iter().position(|n| n == name);
    let cols: HashMap<&str, usize> = COLUMNS.iter().filter_map(|c| col(c).map(|i| (*c, i))).collect();

    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                errors.push(RowError { row: line, field: "row".into(), code: "unreadable", message: e.to_string() });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| line_of(text, p));
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != names.len() {
            errors.push(RowError {
                row: line,
                field: "row".into(),
                code: "column_count",
                message: format!("has {} cells; the header has {}", record.len(), names.len()),
            });
            continue;
        }
        if rows.len() + errors.len() >= MAX_ROWS {
            return Err(file_error("body", "too_many_rows", format!("a file holds at most {MAX_ROWS} rows")));
        }
        let cell =
            |name: &str| cols.get(name).and_then(|&i| record.get(i)).filter(|s| !s.is_empty()).map(str::to_owned);
        rows.push(Row {
            line,
            reference: cell("ref"),
            parent_ref: cell("parent_ref"),
            fields: EquipmentFields {
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
            },
        });
    }
    if rows.is_empty() && errors.is_empty() {
        return Err(file_error("body", "no_rows", "the file has a header but no rows"));
    }
    Ok((rows, errors))
}

/// The line a record starts on. The reader places a record's start before the blank lines it
/// skipped on the way, so count those too.
fn line_of(text: &str, p: &csv::Position) -> usize {
    let skipped = text
        .get(p.byte() as usize..)
        .map_or(0, |rest| rest.chars().take_while(|c| matches!(c, '\n' | '\r')).filter(|c| *c == '\n').count());
    p.line() as usize + skipped
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
    /// Imports a vessel's equipment list from CSV; `dry_run` checks without writing.
    pub async fn import(&self, actor: &Actor, vessel: VesselId, body: &[u8], dry_run: bool) -> Result<ImportReport> {
        self.admit_vessel(actor, vessel, Action::EquipmentWrite, "equipment").await?;
        let (rows, mut errors) = read_rows(body)?;
        let mut err = |row: usize, field: &str, code: &'static str, message: String| {
            errors.push(RowError { row, field: field.to_owned(), code, message });
        };

        let checked: Vec<Option<CheckedFields>> = rows
            .iter()
            .map(|r| match check_fields(&r.fields) {
                Ok(c) => Some(c),
                Err(vs) => {
                    for v in vs {
                        err(r.line, &v.field, v.code, v.message);
                    }
                    None
                }
            })
            .collect();

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
        if !errors.is_empty() {
            if dry_run {
                return Ok(ImportReport { dry_run, rows: rows.len(), errors, items: Vec::new() });
            }
            let violations = errors
                .into_iter()
                .map(|e| Violation::new(format!("rows.{}.{}", e.row, e.field), e.code, e.message))
                .collect();
            return Err(Error::Invalid(violations));
        }
        if dry_run {
            return Ok(ImportReport { dry_run, rows: rows.len(), errors, items: Vec::new() });
        }

        let now = self.deps.clock.now();
        let ids: Vec<EquipmentId> = rows.iter().map(|_| EquipmentId::new()).collect();
        let mut codes = HashSet::new();
        let mut items = Vec::with_capacity(rows.len());
        for (i, c) in checked.into_iter().enumerate() {
            let Some(c) = c else { return Err(Error::Internal("an unchecked row reached the import".into())) };
            let parent_id = match parents[i] {
                Some(Parent::None) | None => None,
                Some(Parent::Row(p)) => Some(ids[p]),
                Some(Parent::Existing(id)) => Some(id),
            };
            let mut qr_code = fresh_qr_code();
            while !codes.insert(qr_code.clone()) {
                qr_code = fresh_qr_code();
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
        Ok(ImportReport { dry_run, rows: rows.len(), errors: Vec::new(), items })
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
    use super::*;

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
        assert_eq!(rows[0].fields.name, "Main engine");
        assert_eq!(rows[0].fields.area, "engine_room");
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
}
