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

use bosun_domain::equipment::{Equipment, EquipmentLevel, EquipmentStatus, check_parent, parse_qr_code};
use bosun_domain::permissions::Action;
use bosun_domain::{EquipmentId, VesselId, check_text};
use serde_json::json;

use super::{CheckedFields, EquipmentFields, EquipmentService, Placement, check_fields, fresh_qr_code};
use crate::csv_rows::{Cells, Columns, Table, keep_first_bad_rows, parse_spooled, refusal};
pub use crate::csv_rows::{MAX_BAD_ROWS, MAX_ROWS, RowError};
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

const FILE: Columns = Columns { all: &COLUMNS, required: &REQUIRED_COLUMNS };

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

/// A row of the right length, its own cells checked.
fn read_row(cells: Cells<'_>, line: usize) -> (Row, Vec<RowError>) {
    let cell = |name: &str| cells.get(name);
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
        let Table { rows, mut errors, mut stopped_at } =
            parse_spooled(&self.spool, body, max_bytes, FILE, read_row).await?;
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
            return Err(refusal(errors, stopped_at));
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
    use std::io::{Cursor, Read, Seek};

    use super::*;

    type Rows = Table<Row>;

    /// Reads the file's rows, each row's own cells checked (`csv_rows::read_rows`).
    fn read_rows_of<F: Read + Seek>(file: F, peek: F) -> Result<Rows> {
        crate::csv_rows::read_rows(file, peek, FILE, read_row)
    }

    fn read_rows(body: &[u8]) -> Result<(Vec<Row>, Vec<RowError>)> {
        let read = read_rows_of(Cursor::new(body), Cursor::new(body))?;
        Ok((read.rows, read.errors))
    }

    fn read_all(body: &[u8]) -> Rows {
        read_rows_of(Cursor::new(body), Cursor::new(body)).unwrap_or_else(|e| panic!("refused: {e:?}"))
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
        let Err(Error::Invalid(v)) = read_rows_of(Cursor::new(csv.as_bytes()), Cursor::new(csv.as_bytes())) else {
            panic!("accepted")
        };
        assert_eq!(v[0].code, "too_many_rows");
    }
}
