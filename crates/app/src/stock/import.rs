//! CSV import of the parts catalogue: the columns of the export (`number`, `name`, `maker`,
//! `unit`, `critical`, `equivalents`), so a catalogue exported, edited in a spreadsheet and
//! imported again round-trips. A row whose number (compared as [`part_number_key`] compares)
//! is a part already in the catalogue updates it; any other adds one. A dry run checks every
//! row and says what would change, writing nothing; a real import checks everything first and
//! then writes every part in one unit of work, under the catalogue's lock, or nothing.
//!
//! `equivalents` are part numbers, `;`-separated, of this file or of the catalogue. `critical`
//! is yes/no (also true/false, 1/0; empty is no). A number twice in the file is an error on its
//! second row. Every part written gets its change-log row (devices receive them) and the
//! import one audit entry, `part.import`, with what it added and changed.

use std::collections::HashMap;

use bosun_domain::PartId;
use bosun_domain::permissions::Action;
use bosun_domain::stock::{Part, part_number_key};
use bosun_store::{Change, Tx};
use serde_json::json;

use super::{MAX_EQUIVALENTS, PartDraft, StockService, part_json};
use crate::csv_rows::{Cells, Columns, RowError, keep_first_bad_rows, parse_spooled, refusal};
use crate::spool::ByteSource;
use crate::{Actor, Audit, Error, Result};

/// The columns, the export's.
pub(crate) const COLUMNS: Columns = Columns {
    all: &["number", "name", "maker", "unit", "critical", "equivalents"],
    required: &["number", "name", "unit"],
};

/// What a row does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowAction {
    /// Adds a part.
    Create,
    /// Changes a part of the catalogue.
    Update,
    /// Matches its part already.
    Unchanged,
}

impl RowAction {
    /// Its wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Unchanged => "unchanged",
        }
    }
}

/// One row's outcome.
#[derive(Debug, Clone)]
pub struct ImportedPart {
    /// Its line.
    pub row: usize,
    /// The part's number as the file gives it.
    pub number: String,
    /// The part (new or existing).
    pub id: PartId,
    /// What the row does (did).
    pub action: RowAction,
}

/// What an import did, or (dry run) would do.
#[derive(Debug, Clone)]
pub struct PartImportReport {
    /// Whether nothing was written on purpose.
    pub dry_run: bool,
    /// Data rows read.
    pub rows: usize,
    /// Every problem found (those of the first 100 bad rows).
    pub errors: Vec<RowError>,
    /// Each row's outcome (empty when there are errors).
    pub parts: Vec<ImportedPart>,
    /// When checking stopped at the 100th bad row: its line.
    pub stopped_at: Option<usize>,
}

/// A row as read, its own cells checked.
struct Row {
    line: usize,
    number: String,
    equivalents: Vec<String>,
    /// `None` when a cell broke a rule (reported).
    draft: Option<PartDraft>,
}

/// A cell as the export wrote it, back as it was: the export puts `'` before a cell a
/// spreadsheet would run as a formula (`export::cell`), which the import takes off again.
fn unescaped(cell: Option<String>) -> Option<String> {
    match cell {
        Some(c) if c.starts_with('\'') && c[1..].starts_with(['=', '+', '-', '@', '\t', '\r']) => {
            Some(c[1..].to_owned())
        }
        other => other,
    }
}

fn read_row(cells: Cells<'_>, line: usize) -> (Row, Vec<RowError>) {
    let cell = |name: &str| unescaped(cells.get(name));
    let mut problems = Vec::new();
    let critical = match cell("critical").map(|c| c.to_lowercase()).as_deref() {
        None | Some("no" | "false" | "0" | "n") => false,
        Some("yes" | "true" | "1" | "y") => true,
        Some(other) => {
            problems.push(RowError::new(line, "critical", "unknown_value", format!("{other:?} is not yes or no")));
            false
        }
    };
    let equivalents: Vec<String> = cell("equivalents")
        .map(|e| e.split(';').map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default();
    if equivalents.len() > MAX_EQUIVALENTS {
        problems.push(RowError::new(line, "equivalents", "too_many", format!("at most {MAX_EQUIVALENTS}")));
    }
    let number = cell("number").unwrap_or_default();
    let maker = cell("maker");
    let checked = PartDraft::check(
        &number,
        &cell("name").unwrap_or_default(),
        maker.as_deref(),
        &cell("unit").unwrap_or_default(),
        critical,
        &[],
    );
    let draft = match checked {
        Ok(d) if problems.is_empty() => Some(d),
        Ok(_) => None,
        Err(Error::Invalid(vs)) => {
            problems.extend(vs.into_iter().map(|v| RowError::new(line, &v.field, v.code, v.message)));
            None
        }
        Err(e) => {
            problems.push(RowError::new(line, "row", "invalid", e.to_string()));
            None
        }
    };
    (Row { line, number, equivalents, draft }, problems)
}

impl StockService {
    /// Imports the catalogue from CSV; `dry_run` checks without writing. The body is read only
    /// once the caller may write the catalogue, into a temporary file of at most `max_bytes`.
    pub async fn import_parts(
        &self,
        actor: &Actor,
        body: &mut dyn ByteSource,
        max_bytes: u64,
        dry_run: bool,
    ) -> Result<PartImportReport> {
        if let Err(e) = actor.permit(Action::CatalogueWrite, "part", "import") {
            return Err(self.deps.settle(actor, e).await);
        }
        let table = parse_spooled(&self.spool, body, max_bytes, COLUMNS, read_row).await?;
        let company = actor.company_id;
        let mut tx = self.deps.store.begin(Some(company)).await?;
        tx.lock_scope(company, &Self::company_scope(company)).await?;
        let (rows, mut errors, mut stopped_at) = (table.rows, table.errors, table.stopped_at);
        let plan = self.plan(&mut tx, actor, &rows, &mut errors).await?;
        errors.sort_by_key(|e| e.row);
        if let Some(line) = keep_first_bad_rows(&mut errors) {
            stopped_at = Some(line);
        }
        let report = |parts: Vec<ImportedPart>, errors: Vec<RowError>| PartImportReport {
            dry_run,
            rows: rows.len(),
            errors,
            parts,
            stopped_at,
        };
        if !errors.is_empty() {
            return if dry_run { Ok(report(Vec::new(), errors)) } else { Err(refusal(errors, stopped_at)) };
        }
        let outcomes: Vec<ImportedPart> = plan
            .iter()
            .map(|p| ImportedPart { row: p.line, number: p.part.number.clone(), id: p.part.id, action: p.action })
            .collect();
        if dry_run {
            return Ok(report(outcomes, Vec::new()));
        }
        self.write_plan(&mut tx, actor, plan).await?;
        tx.commit().await?;
        Ok(report(outcomes, Vec::new()))
    }

    /// Each row's part as it will be written, or its problems in `errors`.
    async fn plan(
        &self,
        tx: &mut Box<dyn Tx>,
        actor: &Actor,
        rows: &[Row],
        errors: &mut Vec<RowError>,
    ) -> Result<Vec<Planned>> {
        let company = actor.company_id;
        let now = self.deps.clock.now();
        // Numbers of the file, first row of each.
        let mut in_file: HashMap<String, usize> = HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            let key = part_number_key(&r.number);
            if key.is_empty() {
                continue;
            }
            if let Some(&first) = in_file.get(&key) {
                errors.push(RowError::new(
                    r.line,
                    "number",
                    "duplicate_number",
                    format!("{} is already on line {}", r.number, rows[first].line),
                ));
            } else {
                in_file.insert(key, i);
            }
        }
        // The catalogue's part of each number, and the id each row's part will have.
        let mut existing: HashMap<String, Option<Part>> = HashMap::new();
        let mut ids: Vec<PartId> = Vec::with_capacity(rows.len());
        for r in rows {
            let key = part_number_key(&r.number);
            let found = match existing.get(&key) {
                Some(found) => found.clone(),
                None => {
                    let found = tx.part_by_number_key(company, &key).await?;
                    existing.insert(key, found.clone());
                    found
                }
            };
            ids.push(found.map_or_else(|| self.deps.ids.id(), |p| p.id));
        }
        let mut plan = Vec::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            let Some(mut draft) = r.draft.clone() else { continue };
            let mut equivalents = Vec::new();
            for number in &r.equivalents {
                let key = part_number_key(number);
                let id = match in_file.get(&key) {
                    Some(&j) => Some(ids[j]),
                    None => match existing.get(&key) {
                        Some(found) => found.as_ref().map(|p| p.id),
                        None => {
                            let found = tx.part_by_number_key(company, &key).await?;
                            existing.insert(key.clone(), found.clone());
                            found.map(|p| p.id)
                        }
                    },
                };
                match id {
                    Some(id) if id == ids[i] => errors.push(RowError::new(
                        r.line,
                        "equivalents",
                        "self_equivalent",
                        "a part is not its own equivalent",
                    )),
                    Some(id) if !equivalents.contains(&id) => equivalents.push(id),
                    Some(_) => {}
                    None => errors.push(RowError::new(
                        r.line,
                        "equivalents",
                        "unknown_part",
                        format!("{number} is neither in this file nor in the catalogue"),
                    )),
                }
            }
            draft.equivalents = equivalents;
            let current = existing.get(&part_number_key(&r.number)).cloned().flatten();
            let (part, action) = match current {
                Some(p) if draft.same_as(&p) => (p, RowAction::Unchanged),
                Some(p) => (draft.onto(&p, now), RowAction::Update),
                None => {
                    let blank = Part {
                        id: ids[i],
                        company_id: company,
                        number: String::new(),
                        name: String::new(),
                        maker: None,
                        unit: String::new(),
                        critical: false,
                        equivalents: Vec::new(),
                        version: 0,
                        created_at: now,
                        updated_at: now,
                    };
                    (draft.onto(&blank, now), RowAction::Create)
                }
            };
            plan.push(Planned { line: r.line, part, action });
        }
        Ok(plan)
    }

    /// Writes the planned parts (new ones first, so equivalents name stored parts) with their
    /// change-log rows, and the import's audit entry.
    async fn write_plan(&self, tx: &mut Box<dyn Tx>, actor: &Actor, mut plan: Vec<Planned>) -> Result<()> {
        let company = actor.company_id;
        let scope = Self::company_scope(company);
        let now = self.deps.clock.now();
        plan.sort_by_key(|p| p.action != RowAction::Create);
        let (mut created, mut updated) = (Vec::new(), Vec::new());
        for p in plan.iter_mut().filter(|p| p.action != RowAction::Unchanged) {
            let op = if p.action == RowAction::Create { "insert" } else { "update" };
            let fields = part_json(&p.part);
            let change = Change { scope: scope.clone(), entity: "part", row_id: p.part.id.0, op, fields, at: now };
            p.part.version = tx.record_change(company, &change).await?;
            if p.action == RowAction::Create {
                tx.insert_part(&p.part).await.map_err(crate::id_race)?;
                created.push(p.part.id);
            } else {
                tx.update_part(&p.part).await?;
                updated.push(p.part.id);
            }
        }
        self.deps
            .audit(
                tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("part.import", "company", company).after(json!({ "created": created, "updated": updated })),
            )
            .await?;
        Ok(())
    }
}

/// A row's part as it will be written.
struct Planned {
    line: usize,
    part: Part,
    action: RowAction,
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;
    use crate::csv_rows::read_rows;

    fn read(body: &str) -> (Vec<Row>, Vec<RowError>) {
        let t = read_rows(Cursor::new(body.as_bytes()), Cursor::new(body.as_bytes()), COLUMNS, read_row)
            .unwrap_or_else(|e| panic!("refused: {e:?}"));
        (t.rows, t.errors)
    }

    #[test]
    fn the_export_reads_back_with_its_equivalents_and_flags() {
        let (rows, errors) = read(
            "number,name,maker,unit,critical,equivalents\nP-1,Impeller,Jabsco,pcs,yes,P-2; P-3\nP-2,Seal,,pcs,no,\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let first = rows[0].draft.as_ref().unwrap();
        assert_eq!((first.number.as_str(), first.maker.as_deref(), first.critical), ("P-1", Some("Jabsco"), true));
        assert_eq!(rows[0].equivalents, ["P-2", "P-3"]);
        assert_eq!((rows[1].draft.as_ref().unwrap().maker.clone(), rows[1].line), (None, 3));
    }

    #[test]
    fn a_formula_cell_the_export_escaped_reads_back_as_it_was() {
        let (rows, errors) = read("number,name,unit\n'=CMD(),'@SUM(1),pcs\n'Quoted,It's,pcs\n");
        assert!(errors.is_empty(), "{errors:?}");
        let first = rows[0].draft.as_ref().unwrap();
        assert_eq!((first.number.as_str(), first.name.as_str()), ("=CMD()", "@SUM(1)"));
        assert_eq!(rows[1].draft.as_ref().unwrap().number, "'Quoted", "only an escaped formula loses its quote");
    }

    #[test]
    fn a_bad_cell_is_named_with_its_line() {
        let (rows, errors) = read("NAME,number,unit,critical\n,P-1,pcs,maybe\n");
        assert!(rows[0].draft.is_none());
        let found: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(found, [("critical", "unknown_value"), ("name", "too_short")]);
        assert!(errors.iter().all(|e| e.row == 2));
    }
}
