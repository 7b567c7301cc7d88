//! Opening stock and stock counts from CSV: the vessel's stock export, counted and edited in a
//! spreadsheet, imported back (`POST /vessels/{id}/stock/import`). Each row names a part (by
//! number, as [`part_number_key`] compares), a location of the vessel (by name, any case) and
//! what is on hand there now; the import sets that location's on-hand to it, posting the
//! difference as an adjustment with the reason [`REASON`] in the ledger (nothing when they
//! agree), so the same file imported twice changes nothing. The export's other columns (name,
//! unit, totals, rules) are read past; a row without a location (a part with only a rule) is
//! skipped unless it gives a count.
//!
//! Like the catalogue import: a dry run says what each row would do and writes nothing; a real
//! one checks every row first, then posts every adjustment in one unit of work under the
//! vessel's lock (each entry and balance with its change-log row and audit entry, as any
//! adjustment), and one audit entry for the import, `stock.import`; or nothing.

use std::collections::HashMap;

use bosun_domain::permissions::Action;
use bosun_domain::stock::{Movement, Quantity, location_name_key, part_number_key};
use bosun_domain::{PartId, StockLocationId, VesselId};
use serde_json::json;

use super::Move;
use crate::csv_rows::{Cells, Columns, RowError, keep_first_bad_rows, parse_spooled, refusal};
use crate::spool::ByteSource;
use crate::work::UnitOfWork;
use crate::{Actor, App, Audit, Result};

/// The ledger's reason for a count's adjustments.
pub const REASON: &str = "Stock count (CSV import)";

/// The columns: the vessel stock export's.
pub(crate) const COLUMNS: Columns = Columns {
    all: &[
        "number",
        "name",
        "unit",
        "location",
        "on_hand",
        "total",
        "incoming",
        "minimum",
        "reorder",
        "suggested_reorder",
    ],
    required: &["number", "location", "on_hand"],
};

/// What a row does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountAction {
    /// Changes the location's on-hand (an adjustment).
    Set,
    /// Agrees with it already.
    Unchanged,
    /// Names no location and gives no count (a part with only a rule).
    Skipped,
}

impl CountAction {
    /// Its wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Set => "set",
            Self::Unchanged => "unchanged",
            Self::Skipped => "skipped",
        }
    }
}

/// One row's outcome.
#[derive(Debug, Clone)]
pub struct CountedRow {
    /// Its line.
    pub row: usize,
    /// The part's number as the file gives it.
    pub number: String,
    /// The part (none for a skipped row).
    pub part_id: Option<PartId>,
    /// The location (none for a skipped row).
    pub location_id: Option<StockLocationId>,
    /// On hand before.
    pub before: Quantity,
    /// On hand after (the count).
    pub after: Quantity,
    /// What the row does (did).
    pub action: CountAction,
}

/// What a count import did, or (dry run) would do.
#[derive(Debug, Clone)]
pub struct CountReport {
    /// Whether nothing was written on purpose.
    pub dry_run: bool,
    /// Data rows read.
    pub rows: usize,
    /// Every problem found (those of the first 100 bad rows).
    pub errors: Vec<RowError>,
    /// Each row's outcome (empty when there are errors).
    pub counted: Vec<CountedRow>,
    /// When checking stopped at the 100th bad row: its line.
    pub stopped_at: Option<usize>,
}

/// A row as read, its own cells checked.
struct Row {
    line: usize,
    number: String,
    location: Option<String>,
    /// `None` when the cell is empty or broke a rule (reported).
    on_hand: Option<Quantity>,
}

fn read_row(cells: Cells<'_>, line: usize) -> (Row, Vec<RowError>) {
    let mut problems = Vec::new();
    let number = cells.get("number").unwrap_or_default();
    if part_number_key(&number).is_empty() {
        problems.push(RowError::new(line, "number", "required", "name the part by its number"));
    }
    let location = cells.get("location");
    let on_hand = match cells.get("on_hand") {
        None if location.is_some() => {
            problems.push(RowError::new(line, "on_hand", "required", "say how many are on hand (0 for none)"));
            None
        }
        None => None,
        Some(text) if text.starts_with('-') => {
            problems.push(RowError::new(line, "on_hand", "negative", "a count is never below zero"));
            None
        }
        Some(text) => match Quantity::parse_or_zero("on_hand", &text) {
            Ok(q) => Some(q),
            Err(v) => {
                problems.push(RowError::new(line, "on_hand", v.code, v.message));
                None
            }
        },
    };
    if location.is_none() && on_hand.is_some() {
        problems.push(RowError::new(line, "location", "required", "name the location the count is of"));
    }
    (Row { line, number, location, on_hand }, problems)
}

/// Imports a count of `vessel`'s stock from CSV; `dry_run` checks without writing. The body is
/// read only once the caller may move stock on the vessel.
pub async fn import_count(
    app: &App,
    actor: &Actor,
    vessel: VesselId,
    body: &mut dyn ByteSource,
    max_bytes: u64,
    dry_run: bool,
) -> Result<CountReport> {
    let stock = &app.stock;
    let company = actor.company_id;
    stock.readable(actor, vessel).await?;
    if let Err(e) = actor.permit(Action::StockMove, "stock_entry", "import") {
        return Err(stock.deps.settle(actor, e).await);
    }
    let table = parse_spooled(&stock.spool, body, max_bytes, COLUMNS, read_row).await?;
    let (rows, mut errors, mut stopped_at) = (table.rows, table.errors, table.stopped_at);
    let mut uow = UnitOfWork::begin(&*stock.deps.store, company).await?;
    uow.tx.lock_scope(company, &format!("vessel:{vessel}")).await?;

    // The vessel's locations by name, the parts the file names, and what each place holds.
    let locations: HashMap<String, StockLocationId> = uow
        .tx
        .stock_locations(company, vessel)
        .await?
        .into_iter()
        .map(|l| (location_name_key(&l.name), l.id))
        .collect();
    let held: HashMap<(StockLocationId, PartId), Quantity> = uow
        .tx
        .stock_balances(company, vessel, None)
        .await?
        .into_iter()
        .map(|b| ((b.location_id, b.part_id), b.on_hand))
        .collect();
    let mut parts: HashMap<String, Option<PartId>> = HashMap::new();
    let mut seen: HashMap<(PartId, StockLocationId), usize> = HashMap::new();
    let mut counted = Vec::with_capacity(rows.len());
    for r in &rows {
        let key = part_number_key(&r.number);
        let (Some(on_hand), Some(place)) = (r.on_hand, r.location.as_deref()) else {
            if r.on_hand.is_none() && r.location.is_none() && !key.is_empty() {
                counted.push(CountedRow {
                    row: r.line,
                    number: r.number.clone(),
                    part_id: None,
                    location_id: None,
                    before: Quantity::ZERO,
                    after: Quantity::ZERO,
                    action: CountAction::Skipped,
                });
            }
            continue;
        };
        let part = match parts.get(&key) {
            Some(p) => *p,
            None => {
                let p = uow.tx.part_by_number_key(company, &key).await?.map(|p| p.id);
                parts.insert(key, p);
                p
            }
        };
        let Some(part) = part else {
            let message = format!("{} is not in the catalogue; import the catalogue first", r.number);
            errors.push(RowError::new(r.line, "number", "unknown_part", message));
            continue;
        };
        let Some(&location) = locations.get(&location_name_key(place)) else {
            let message = format!("the vessel has no stock location called {place}; add it first");
            errors.push(RowError::new(r.line, "location", "unknown_location", message));
            continue;
        };
        if let Some(first) = seen.insert((part, location), r.line) {
            let message = format!("{} at {place} is counted on line {first} already", r.number);
            errors.push(RowError::new(r.line, "row", "duplicate_row", message));
            continue;
        }
        let before = held.get(&(location, part)).copied().unwrap_or(Quantity::ZERO);
        let action = if before == on_hand { CountAction::Unchanged } else { CountAction::Set };
        counted.push(CountedRow {
            row: r.line,
            number: r.number.clone(),
            part_id: Some(part),
            location_id: Some(location),
            before,
            after: on_hand,
            action,
        });
    }
    errors.sort_by_key(|e| e.row);
    if let Some(line) = keep_first_bad_rows(&mut errors) {
        stopped_at = Some(line);
    }
    let report = |counted: Vec<CountedRow>, errors: Vec<RowError>| CountReport {
        dry_run,
        rows: rows.len(),
        errors,
        counted,
        stopped_at,
    };
    if !errors.is_empty() {
        return if dry_run { Ok(report(Vec::new(), errors)) } else { Err(refusal(errors, stopped_at)) };
    }
    if dry_run {
        return Ok(report(counted, Vec::new()));
    }
    let mut moved = 0usize;
    for c in counted.iter().filter(|c| c.action == CountAction::Set) {
        let (Some(part_id), Some(location_id)) = (c.part_id, c.location_id) else { continue };
        let delta = Quantity(c.after.0 - c.before.0);
        let at = Move { id: None, location_id, part_id, recorded_at: None };
        stock.post_movement(&mut uow, actor, at, Movement::Adjust { reason: REASON.into() }, delta).await?;
        moved += 1;
    }
    let now = stock.deps.clock.now();
    let summary = json!({ "vessel_id": vessel, "rows": rows.len(), "adjusted": moved });
    let audit = Audit::ok("stock.import", "vessel", vessel).after(summary);
    stock.deps.audit(&mut uow.tx, company, Some(actor.user_id), &actor.meta, audit).await?;
    uow.poke_scopes(company, now);
    uow.commit().await?.run(app).await;
    Ok(report(counted, Vec::new()))
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
    fn the_stock_export_reads_back_as_a_count() {
        let (rows, errors) = read(
            "number,name,unit,location,on_hand,total,incoming,minimum,reorder,suggested_reorder\n\
             FF-5052,Fuel filter,pcs,Engine room store,10,10,0,6,10,\n\
             SAE40,Engine oil,l,Deck store,400.5,400.5,0,200,400,\n\
             VB-17,V-belt,pcs,,,0,0,2,4,4\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(rows[1].on_hand, Some(Quantity(400_500)));
        assert_eq!((rows[2].location.clone(), rows[2].on_hand), (None, None), "a rule-only row");
    }

    #[test]
    fn a_count_needs_its_place_and_a_place_its_count() {
        let (_, errors) = read("number,location,on_hand\nP-1,,3\nP-2,Store,\nP-3,Store,-1\n,Store,1\n");
        let found: Vec<(usize, &str, &str)> = errors.iter().map(|e| (e.row, e.field.as_str(), e.code)).collect();
        assert_eq!(
            found,
            [
                (2, "location", "required"),
                (3, "on_hand", "required"),
                (4, "on_hand", "negative"),
                (5, "number", "required")
            ]
        );
    }
}
