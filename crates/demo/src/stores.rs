//! The demo fleet's spare parts: a small catalogue of the company's, two stores on each ship,
//! stock received into them, one count corrected, and minimums that leave a few parts low, so
//! the stock screens have something true to show.

use bosun_app::stock::{AdjustStock, CreatePart, CreateStockLocation, ReceiveStock, SetStockRule};
use bosun_app::{Actor, App, Result};
use bosun_domain::{PartId, StockLocationId, VesselId};

/// (number, name, maker, unit, critical)
const CATALOGUE: &[(&str, &str, &str, &str, bool)] = &[
    ("6205-2RS", "Deep groove ball bearing", "SKF", "pcs", false),
    ("6309-C3", "Ball bearing, alternator", "SKF", "pcs", true),
    ("FI-3208", "Fuel injector nozzle", "Caterpillar", "pcs", true),
    ("FF-5052", "Fuel filter element", "Fleetguard", "pcs", false),
    ("LF-9009", "Lube oil filter", "Fleetguard", "pcs", false),
    ("IMP-JP-22", "Raw water pump impeller", "Jabsco", "pcs", true),
    ("VB-17x1250", "V-belt 17 × 1250", "Gates", "pcs", false),
    ("SAE40-MAR", "Engine oil SAE 40", "Castrol", "l", false),
    ("HYD-46", "Hydraulic oil ISO 46", "Shell", "l", false),
    ("GSK-CYL-3516", "Cylinder head gasket", "Caterpillar", "pcs", true),
];

/// (part index, store index, quantity received, minimum, reorder) per ship.
const STOCK: &[(usize, usize, &str, &str, &str)] = &[
    (0, 0, "6", "4", "6"),
    (1, 0, "1", "2", "2"),
    (2, 0, "12", "8", "12"),
    (3, 1, "10", "6", "10"),
    (4, 1, "4", "6", "12"),
    (5, 0, "2", "2", "4"),
    (6, 1, "3", "2", "4"),
    (7, 1, "412.5", "200", "400"),
    (8, 1, "60", "40", "100"),
    (9, 0, "2", "2", "2"),
];

/// What the stores hold: the catalogue's parts in `CATALOGUE` order, and each ship's two
/// stores (engine room, deck).
pub(crate) struct Stores {
    /// The parts.
    pub parts: Vec<PartId>,
    /// Per ship, its stores.
    pub stores: Vec<Vec<StockLocationId>>,
}

/// The fuel filter's place in `CATALOGUE`.
pub(crate) const FUEL_FILTER: usize = 3;

/// Seeds the catalogue once and each ship's stores, stock and rules.
pub(crate) async fn seed(app: &App, actor: &Actor, ships: &[VesselId]) -> Result<Stores> {
    let mut all_stores = Vec::new();
    let mut parts: Vec<PartId> = Vec::new();
    for (number, name, maker, unit, critical) in CATALOGUE {
        let part = CreatePart {
            id: None,
            number: (*number).into(),
            name: (*name).into(),
            maker: Some((*maker).into()),
            unit: (*unit).into(),
            critical: *critical,
            equivalents: Vec::new(),
        };
        parts.push(app.mutate(actor, part).await?.row.id);
    }
    for (n, vessel) in ships.iter().enumerate() {
        let mut stores = Vec::new();
        for name in ["Engine room store", "Deck store"] {
            let place = CreateStockLocation { id: None, vessel_id: *vessel, name: name.into(), parent_id: None };
            stores.push(app.mutate(actor, place).await?.row.id);
        }
        for (i, (part, store, received, minimum, reorder)) in STOCK.iter().enumerate() {
            // Each ship holds a little less than the one before it: the later ones run low.
            if (i + n) % 5 == 4 {
                continue;
            }
            let receipt = ReceiveStock {
                id: None,
                location_id: stores[*store],
                part_id: parts[*part],
                quantity: (*received).into(),
                recorded_at: None,
            };
            app.mutate(actor, receipt).await?;
            let rule = SetStockRule {
                vessel_id: *vessel,
                part_id: parts[*part],
                minimum: (*minimum).into(),
                reorder: (*reorder).into(),
            };
            app.mutate(actor, rule).await?;
        }
        // A count found a drum short.
        let count = AdjustStock {
            id: None,
            location_id: stores[1],
            part_id: parts[7],
            delta: "-12.5".into(),
            reason: "Monthly count: drum 3 short".into(),
            recorded_at: None,
        };
        if n % 5 != 2 {
            app.mutate(actor, count).await?;
        }
        all_stores.push(stores);
    }
    Ok(Stores { parts, stores: all_stores })
}
