//! Contract cases for the parts catalogue and stock.

#![allow(clippy::unwrap_used, missing_docs)]

use std::collections::BTreeMap;

use bosun_domain::stock::{
    Movement, NegativeStock, Part, PartStockRule, Quantity, StockBalance, StockEntry, StockLocation, StockRule,
    on_hand, post,
};
use bosun_domain::{
    CompanyId, PartId, StockBalanceId, StockEntryId, StockLocationId, StockRuleId, VesselId, WorkOrderId,
};
use chrono::Duration;

use super::maintenance::{Fleet, fleet, t0};
use crate::{Page, PartFilter, StockEntryFilter, Store, StoreError, Tx};

fn part(company: CompanyId, number: &str, name: &str, critical: bool) -> Part {
    Part {
        id: PartId::new(),
        company_id: company,
        number: number.into(),
        name: name.into(),
        maker: Some("SKF".into()),
        unit: "pcs".into(),
        critical,
        equivalents: Vec::new(),
        version: 1,
        created_at: t0(),
        updated_at: t0(),
    }
}

fn location(f: &Fleet, vessel: VesselId, name: &str, parent: Option<StockLocationId>) -> StockLocation {
    StockLocation {
        id: StockLocationId::new(),
        company_id: f.company,
        vessel_id: vessel,
        name: name.into(),
        parent_id: parent,
        version: 1,
        created_at: t0(),
        updated_at: t0(),
    }
}

fn all() -> Page<PartId> {
    Page { after: None, limit: 100 }
}

pub async fn parts_are_unique_by_number_key_and_list_by_number(store: &dyn Store) {
    let f = fleet(store, "parts").await;
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    let bearing = Part { equivalents: vec![], ..part(f.company, "6205-2RS", "Ball bearing", true) };
    tx.insert_part(&bearing).await.unwrap();
    let filter = Part { maker: None, ..part(f.company, "FO-100", "Fuel 50% filter", false) };
    tx.insert_part(&filter).await.unwrap();
    let seal = Part { equivalents: vec![bearing.id], ..part(f.company, "a-12", "Seal kit", false) };
    tx.insert_part(&seal).await.unwrap();
    assert_eq!(tx.part(f.company, bearing.id).await.unwrap(), Some(bearing.clone()));
    assert_eq!(tx.part(f.company, seal.id).await.unwrap().unwrap().equivalents, vec![bearing.id]);
    // One part per number, however spaced or cased.
    assert_eq!(tx.part_by_number_key(f.company, "62052RS").await.unwrap().map(|p| p.id), Some(bearing.id));
    tx.commit().await.unwrap();
    // A failed statement ends a PostgreSQL transaction: each refusal gets one of its own.
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    let twin = part(f.company, "6205 2rs", "Same bearing", false);
    assert!(matches!(tx.insert_part(&twin).await, Err(StoreError::Conflict(_))));
    drop(tx);

    let mut tx = store.begin(Some(f.company)).await.unwrap();
    let numbers = |ps: Vec<Part>| ps.into_iter().map(|p| p.number).collect::<Vec<_>>();
    assert_eq!(
        numbers(tx.list_parts(f.company, &PartFilter::default(), all()).await.unwrap()),
        ["6205-2RS", "a-12", "FO-100"]
    );
    let first = tx.list_parts(f.company, &PartFilter::default(), Page { after: None, limit: 1 }).await.unwrap();
    let rest = tx.list_parts(f.company, &PartFilter::default(), Page { after: Some(first[0].id), limit: 5 }).await;
    assert_eq!(numbers(rest.unwrap()), ["a-12", "FO-100"]);
    let text = |t: &str| PartFilter { text: Some(t.into()), critical_only: false };
    assert_eq!(numbers(tx.list_parts(f.company, &text("SEAL"), all()).await.unwrap()), ["a-12"]);
    assert_eq!(numbers(tx.list_parts(f.company, &text("skf"), all()).await.unwrap()), ["6205-2RS", "a-12"]);
    // The search's wildcards are the person's text, not patterns.
    assert_eq!(numbers(tx.list_parts(f.company, &text("50%"), all()).await.unwrap()), ["FO-100"]);
    assert!(tx.list_parts(f.company, &text("_"), all()).await.unwrap().is_empty());
    let critical = PartFilter { text: None, critical_only: true };
    assert_eq!(numbers(tx.list_parts(f.company, &critical, all()).await.unwrap()), ["6205-2RS"]);

    // An update may not take another part's number; its own, respelled, is fine.
    let taken = Part { number: "fo 100".into(), version: 2, ..seal.clone() };
    assert!(matches!(tx.update_part(&taken).await, Err(StoreError::Conflict(_))));
    drop(tx);
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    let respelled = Part { number: "A12".into(), name: "Seal kit, pump".into(), version: 2, ..seal.clone() };
    assert_eq!(tx.update_part(&respelled).await.unwrap(), respelled);
    tx.commit().await.unwrap();

    // Another company's catalogue is its own: the same number is free there, and nothing
    // of this one shows.
    let other = fleet(store, "parts-other").await;
    let mut tx = store.begin(Some(other.company)).await.unwrap();
    tx.insert_part(&part(other.company, "6205-2RS", "Their bearing", false)).await.unwrap();
    assert_eq!(tx.list_parts(other.company, &PartFilter::default(), all()).await.unwrap().len(), 1);
    assert!(tx.part(f.company, bearing.id).await.is_err());
    assert!(tx.part(other.company, bearing.id).await.unwrap().is_none());
    tx.commit().await.unwrap();
}

pub async fn locations_and_rules_are_one_per_name_and_per_part(store: &dyn Store) {
    let f = fleet(store, "places").await;
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    let room = location(&f, f.v1, "Engine store", None);
    tx.insert_stock_location(&room).await.unwrap();
    let shelf = location(&f, f.v1, "Shelf B", Some(room.id));
    tx.insert_stock_location(&shelf).await.unwrap();
    // The same name on another vessel is another place.
    tx.insert_stock_location(&location(&f, f.v2, "Engine store", None)).await.unwrap();
    assert_eq!(tx.stock_location(f.company, shelf.id).await.unwrap(), Some(shelf.clone()));
    let names: Vec<String> = tx.stock_locations(f.company, f.v1).await.unwrap().into_iter().map(|l| l.name).collect();
    assert_eq!(names, ["Engine store", "Shelf B"]);
    tx.commit().await.unwrap();
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    assert!(matches!(
        tx.insert_stock_location(&location(&f, f.v1, " engine STORE ", None)).await,
        Err(StoreError::Conflict(_))
    ));
    drop(tx);

    let mut tx = store.begin(Some(f.company)).await.unwrap();
    let p = part(f.company, "P-1", "Impeller", false);
    tx.insert_part(&p).await.unwrap();
    let rule = PartStockRule {
        id: StockRuleId::new(),
        company_id: f.company,
        vessel_id: f.v1,
        part_id: p.id,
        rule: StockRule { minimum: Quantity::units(2), reorder: Quantity::units(5) },
        version: 3,
        created_at: t0(),
        updated_at: t0(),
    };
    assert_eq!(tx.put_stock_rule(&rule).await.unwrap(), rule);
    // A second rule for the part on the vessel replaces the first's figures and keeps its id.
    let later = t0() + Duration::hours(1);
    let again = PartStockRule {
        id: StockRuleId::new(),
        rule: StockRule { minimum: Quantity::units(4), reorder: Quantity(2500) },
        version: 7,
        created_at: later,
        updated_at: later,
        ..rule.clone()
    };
    let kept = tx.put_stock_rule(&again).await.unwrap();
    assert_eq!((kept.id, kept.rule, kept.version, kept.created_at), (rule.id, again.rule, 7, t0()));
    assert_eq!(tx.stock_rule(f.company, f.v1, p.id).await.unwrap(), Some(kept.clone()));
    assert_eq!(tx.stock_rule(f.company, f.v2, p.id).await.unwrap(), None);
    assert_eq!(tx.stock_rules(f.company, f.v1).await.unwrap(), vec![kept]);
    tx.commit().await.unwrap();
}

/// Posts one movement as the use case does: under the vessel's scope lock, the balance read,
/// the one rule applied, the entry and the balance written. `None` when the rule refuses it.
async fn post_entry(tx: &mut Box<dyn Tx>, e: &StockEntry, version: i64) -> Option<Quantity> {
    tx.lock_scope(e.company_id, &format!("vessel:{}", e.vessel_id)).await.unwrap();
    let before = tx.stock_balance(e.company_id, e.vessel_id, e.location_id, e.part_id).await.unwrap();
    let held = before.as_ref().map_or(Quantity::ZERO, |b| b.on_hand);
    let after = post(held, e.delta, NegativeStock::Refuse).ok()?;
    tx.insert_stock_entry(e, version).await.unwrap();
    let balance = StockBalance {
        id: before.map_or_else(StockBalanceId::new, |b| b.id),
        company_id: e.company_id,
        vessel_id: e.vessel_id,
        location_id: e.location_id,
        part_id: e.part_id,
        on_hand: after,
        version,
        updated_at: e.recorded_at,
    };
    tx.put_stock_balance(&balance).await.unwrap();
    Some(after)
}

pub async fn stock_balances_equal_the_sum_of_their_ledger(store: &dyn Store) {
    let f = fleet(store, "ledger").await;
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    let parts: Vec<Part> = (0..3).map(|i| part(f.company, &format!("L-{i}"), "Liner", false)).collect();
    for p in &parts {
        tx.insert_part(p).await.unwrap();
    }
    let places =
        [location(&f, f.v1, "Store", None), location(&f, f.v1, "Deck box", None), location(&f, f.v2, "Store", None)];
    for l in &places {
        tx.insert_stock_location(l).await.unwrap();
    }
    tx.commit().await.unwrap();

    // A seeded sequence of receipts, issues and adjustments, some of which the rule refuses;
    // posted a few per transaction, as units of work do.
    let mut seed: u64 = 0x5eed_cafe;
    let mut next = move |n: u64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let mut accepted: Vec<StockEntry> = Vec::new();
    let mut refused = 0;
    let mut version = 0;
    for batch in 0..20 {
        let mut tx = store.begin(Some(f.company)).await.unwrap();
        for i in 0..6 {
            let place = &places[usize::try_from(next(3)).unwrap()];
            let p = &parts[usize::try_from(next(3)).unwrap()];
            let amount = Quantity(i64::try_from(next(9_000)).unwrap() + 1);
            let movement = match next(3) {
                0 => Movement::Receive,
                1 => Movement::Issue { work_order_id: WorkOrderId::new() },
                _ => Movement::Adjust { reason: format!("count {batch}.{i}") },
            };
            let delta = match (&movement, next(2)) {
                (Movement::Receive, _) | (Movement::Adjust { .. }, 0) => amount,
                _ => amount.negated(),
            };
            let e = StockEntry {
                id: StockEntryId::new(),
                company_id: f.company,
                vessel_id: place.vessel_id,
                location_id: place.id,
                part_id: p.id,
                movement,
                delta,
                recorded_by: f.user,
                recorded_at: t0() + Duration::minutes(batch * 10 + i),
            };
            version += 1;
            if post_entry(&mut tx, &e, version).await.is_some() {
                accepted.push(e);
            } else {
                refused += 1;
            }
        }
        tx.commit().await.unwrap();
    }
    assert!(accepted.len() > 40 && refused > 0, "the sequence exercises both outcomes: {} / {refused}", accepted.len());

    let mut tx = store.begin(Some(f.company)).await.unwrap();
    let mut expected: BTreeMap<(VesselId, StockLocationId, PartId), Quantity> = BTreeMap::new();
    for e in &accepted {
        let q = expected.entry((e.vessel_id, e.location_id, e.part_id)).or_default();
        *q = q.plus(e.delta);
    }
    for vessel in [f.v1, f.v2] {
        for b in tx.stock_balances(f.company, vessel, None).await.unwrap() {
            let ledger: Vec<&StockEntry> = accepted
                .iter()
                .filter(|e| (e.vessel_id, e.location_id, e.part_id) == (b.vessel_id, b.location_id, b.part_id))
                .collect();
            assert_eq!(b.on_hand, on_hand(ledger), "balance of {:?}", (b.location_id, b.part_id));
            assert!(b.on_hand >= Quantity::ZERO);
            assert_eq!(expected.remove(&(b.vessel_id, b.location_id, b.part_id)), Some(b.on_hand));
        }
    }
    assert!(expected.is_empty(), "every place with entries has a balance: {expected:?}");

    // The ledger reads back whole, newest first, by part and location, a page at a time.
    let mut read = Vec::new();
    let mut after = None;
    loop {
        let filter = StockEntryFilter { vessel: f.v1, part: None, location: None };
        let page = tx.stock_entries(f.company, &filter, Page { after, limit: 7 }).await.unwrap();
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        read.extend(page);
    }
    let mut on_v1: Vec<StockEntry> = accepted.iter().filter(|e| e.vessel_id == f.v1).cloned().collect();
    on_v1.reverse();
    assert_eq!(read, on_v1);
    let one = StockEntryFilter { vessel: f.v1, part: Some(parts[0].id), location: Some(places[0].id) };
    let got = tx.stock_entries(f.company, &one, Page { after: None, limit: 1000 }).await.unwrap();
    assert!(got.iter().all(|e| e.part_id == parts[0].id && e.location_id == places[0].id));
    assert_eq!(got.len(), on_v1.iter().filter(|e| e.part_id == parts[0].id && e.location_id == places[0].id).count());
    assert!(
        tx.stock_balances(f.company, f.v1, Some(parts[1].id)).await.unwrap().iter().all(|b| b.part_id == parts[1].id)
    );

    // The vessel's stock in one read: a row per part and location holding it, in part-number
    // order, and a part with only a rule once, without a balance.
    let ruled = part(f.company, "A-RULE", "Ruled only", false);
    tx.insert_part(&ruled).await.unwrap();
    let rule = PartStockRule {
        id: StockRuleId::new(),
        company_id: f.company,
        vessel_id: f.v1,
        part_id: ruled.id,
        rule: StockRule { minimum: Quantity::units(1), reorder: Quantity::units(1) },
        version: 1,
        created_at: t0(),
        updated_at: t0(),
    };
    tx.put_stock_rule(&rule).await.unwrap();
    let rows = tx.vessel_stock(f.company, f.v1, 1000).await.unwrap();
    let held = tx.stock_balances(f.company, f.v1, None).await.unwrap();
    assert_eq!(rows.len(), held.len() + 1);
    assert_eq!((rows[0].part.id, rows[0].balance, rows[0].rule), (ruled.id, None, Some(rule.rule)));
    for b in &held {
        assert!(rows.iter().any(|r| r.part.id == b.part_id && r.balance == Some((b.location_id, b.on_hand))));
    }
    let keys: Vec<String> = rows.iter().map(|r| bosun_domain::stock::part_number_key(&r.part.number)).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "by part number: {keys:?}");
    assert_eq!(tx.vessel_stock(f.company, f.v1, 2).await.unwrap().len(), 2);

    // An entry is a fact: stored once, read back the same.
    let first = &accepted[0];
    assert_eq!(tx.stock_entry(f.company, first.id).await.unwrap().as_ref(), Some(first));
    assert!(matches!(tx.insert_stock_entry(first, 999).await, Err(StoreError::Conflict(_))));
    drop(tx);
}
