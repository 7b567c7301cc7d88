//! CSV exports of the parts catalogue and of a vessel's stock, for spreadsheets and audits.
//! A cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab or carriage
//! return first) is written with a leading `'`, so an exported file never runs anything.

use bosun_domain::permissions::Action;
use bosun_domain::stock::Quantity;
use bosun_domain::{PartId, VesselId};
use bosun_store::{Page, PartFilter};

use crate::{Actor, App, Error, Result};

/// The most parts the catalogue export writes.
pub const MAX_EXPORT_PARTS: u32 = 100_000;

/// A cell made safe for spreadsheets.
fn cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

fn write_rows(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let bad = |e: csv::Error| Error::Internal(format!("writing CSV: {e}"));
    w.write_record(header).map_err(bad)?;
    for row in rows {
        w.write_record(row.iter().map(|c| cell(c))).map_err(bad)?;
    }
    w.into_inner().map_err(|e| Error::Internal(format!("writing CSV: {e}")))
}

/// The company's catalogue as CSV: number, name, maker, unit, critical, equivalents (their
/// numbers, `;`-separated), by part number.
pub async fn catalogue_csv(app: &App, actor: &Actor) -> Result<Vec<u8>> {
    actor.require(Action::StockRead)?;
    let mut tx = app.stock.deps.store.begin_read(Some(actor.company_id)).await?;
    let (mut parts, mut after) = (Vec::new(), None::<PartId>);
    loop {
        let page = tx.list_parts(actor.company_id, &PartFilter::default(), Page { after, limit: 1000 }).await?;
        let full = page.len() == 1000;
        after = page.last().map(|p| p.id);
        parts.extend(page);
        if !full || parts.len() as u32 >= MAX_EXPORT_PARTS {
            break;
        }
    }
    let numbers: std::collections::HashMap<PartId, String> = parts.iter().map(|p| (p.id, p.number.clone())).collect();
    let rows = parts.iter().map(|p| {
        let equivalents: Vec<&str> = p.equivalents.iter().filter_map(|e| numbers.get(e).map(String::as_str)).collect();
        vec![
            p.number.clone(),
            p.name.clone(),
            p.maker.clone().unwrap_or_default(),
            p.unit.clone(),
            if p.critical { "yes" } else { "no" }.to_owned(),
            equivalents.join(";"),
        ]
    });
    write_rows(&["number", "name", "maker", "unit", "critical", "equivalents"], rows)
}

/// A vessel's stock as CSV: one row per part and location (and one with no location for a
/// part with only a rule): number, name, unit, location, on hand, the part's total, what is in
/// transit to the vessel, minimum, reorder quantity and suggested reorder, quantities as exact
/// decimals.
pub async fn vessel_stock_csv(app: &App, actor: &Actor, vessel: VesselId) -> Result<Vec<u8>> {
    let stock = app.stock.vessel_stock(actor, vessel, false).await?;
    let names: std::collections::HashMap<_, _> = stock.locations.iter().map(|l| (l.id, l.name.clone())).collect();
    let q = |x: Option<Quantity>| x.map(|q| q.to_string()).unwrap_or_default();
    let mut rows = Vec::new();
    for line in &stock.lines {
        let places: Vec<(String, String)> = if line.balances.is_empty() {
            vec![(String::new(), String::new())]
        } else {
            line.balances.iter().map(|(l, on)| (names.get(l).cloned().unwrap_or_default(), on.to_string())).collect()
        };
        for (place, on_hand) in places {
            rows.push(vec![
                line.part.number.clone(),
                line.part.name.clone(),
                line.part.unit.clone(),
                place,
                on_hand,
                line.total.to_string(),
                line.incoming.to_string(),
                q(line.rule.map(|r| r.minimum)),
                q(line.rule.map(|r| r.reorder)),
                q(line.suggested),
            ]);
        }
    }
    write_rows(
        &[
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
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_a_spreadsheet_would_run_is_written_as_text() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("-5"), "'-5");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("Impeller"), "Impeller");
        let out = String::from_utf8(write_rows(&["a"], [vec!["x,\"y\"".to_owned()]]).unwrap()).unwrap();
        assert_eq!(out, "a\n\"x,\"\"y\"\"\"\n");
    }
}
