//! Contract cases for purchasing: suppliers, requisitions, purchase orders with their lines,
//! and receipts.

#![allow(clippy::unwrap_used, missing_docs)]

use bosun_domain::purchasing::{
    OrderLine, PartRef, Pricing, PurchaseOrderStatus, Requisition, RequisitionStatus, Supplier,
};
use bosun_domain::stock::{Part, Quantity};
use bosun_domain::{
    PartId, PurchaseOrderId, PurchaseOrderLineId, ReceiptId, RequisitionId, StockEntryId, SupplierId, VesselId,
};

use bosun_domain::PartsOrderId;
use bosun_domain::equipment::EquipmentLevel;
use bosun_domain::fault::{FaultStatus, Severity};
use bosun_domain::parts::{PartsOrder, PartsOrderStatus};
use bosun_domain::purchasing::{migrate_parts_order, supplier_key};

use super::maintenance::{Fleet, fault, fleet, item, parts_order, reach, t0};
use crate::{
    Page, PartsOrderFilter, PurchaseOrderFilter, PurchaseOrderHead, ReceiptLine, RequisitionFilter, Store, StoreError,
    StoredLine, StoredReceipt, StoredRequisition, VesselScope,
};

fn supplier(f: &Fleet, name: &str) -> Supplier {
    Supplier {
        id: SupplierId::new(),
        company_id: f.company,
        name: name.into(),
        contact: Some("Kari".into()),
        email: None,
        phone: None,
        address: Some("Stord base\n5414 Stord".into()),
        currency: "NOK".into(),
        version: 1,
        created_at: t0(),
        updated_at: t0(),
    }
}

fn requisition(f: &Fleet, vessel: VesselId, part: PartRef, status: RequisitionStatus) -> StoredRequisition {
    StoredRequisition {
        requisition: Requisition {
            id: RequisitionId::new(),
            company_id: f.company,
            vessel_id: vessel,
            part,
            quantity: Quantity(2_500),
            work_order_id: None,
            fault_id: None,
            supplier_id: None,
            pricing: Some(Pricing {
                supplier_unit_minor: 4_150,
                markup_bp: 2_000,
                customer_unit_minor: 4_980,
                currency: "NOK".into(),
            }),
            needed_by: t0().date_naive().succ_opt(),
            status,
            requested_by: f.crew,
            decided_by: None,
            status_changed_at: t0(),
        },
        part_name: "Impeller".into(),
        part_number: Some("JP-17937".into()),
        unit: "pcs".into(),
        note: Some("Port pump".into()),
        decision_comment: None,
        purchase_order_id: None,
        received: Quantity::ZERO,
        version: 1,
        created_at: t0(),
        updated_at: t0(),
    }
}

fn head(f: &Fleet, number: i64, supplier: SupplierId) -> PurchaseOrderHead {
    PurchaseOrderHead {
        id: PurchaseOrderId::new(),
        company_id: f.company,
        number,
        vessel_id: f.v1,
        supplier_id: supplier,
        currency: "NOK".into(),
        expected_on: None,
        note: None,
        status: PurchaseOrderStatus::Draft,
        created_by: f.user,
        supplier_total_minor: 10_375,
        customer_total_minor: 12_450,
        status_changed_at: t0(),
        version: 1,
        created_at: t0(),
        updated_at: t0(),
    }
}

fn line(f: &Fleet, order: &PurchaseOrderHead, position: i64, r: &StoredRequisition) -> StoredLine {
    StoredLine {
        line: OrderLine {
            id: PurchaseOrderLineId::new(),
            requisition_id: Some(r.requisition.id),
            part: r.requisition.part.clone(),
            ordered: r.requisition.quantity,
            received: Quantity::ZERO,
            pricing: r.requisition.pricing.clone().unwrap(),
        },
        purchase_order_id: order.id,
        company_id: f.company,
        vessel_id: order.vessel_id,
        position,
        part_name: r.part_name.clone(),
        part_number: r.part_number.clone(),
        unit: r.unit.clone(),
        version: 1,
        updated_at: t0(),
    }
}

pub async fn purchasing_rows_round_trip_and_list_by_vessel_and_status(store: &dyn Store) {
    let f = fleet(store, "buyer").await;
    let other = fleet(store, "rival").await;
    let catalogue = Part {
        id: PartId::new(),
        company_id: f.company,
        number: "6205-2RS".into(),
        name: "Bearing".into(),
        maker: None,
        unit: "pcs".into(),
        critical: false,
        equivalents: Vec::new(),
        version: 1,
        created_at: t0(),
        updated_at: t0(),
    };
    let wartsila = supplier(&f, "Wärtsilä  Norway");
    let listed = requisition(&f, f.v1, PartRef::Catalogue(catalogue.id), RequisitionStatus::Approved);
    let named = PartRef::Unlisted { name: "Impeller".into(), number: Some("JP-17937".into()) };
    let unlisted = requisition(&f, f.v1, named.clone(), RequisitionStatus::Requested);
    let elsewhere = requisition(&f, f.v2, named, RequisitionStatus::Requested);
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    tx.insert_part(&catalogue).await.unwrap();
    tx.insert_supplier(&wartsila).await.unwrap();
    for r in [&listed, &unlisted, &elsewhere] {
        tx.insert_requisition(r).await.unwrap();
    }
    tx.commit().await.unwrap();
    // A name is one supplier however it is spaced or cased; a refused write ends its
    // transaction on PostgreSQL, so each goes in one of its own.
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    let twin = supplier(&f, "wärtsilä norway");
    assert!(matches!(tx.insert_supplier(&twin).await, Err(StoreError::Conflict(_))));
    drop(tx);
    let mut tx = store.begin(Some(other.company)).await.unwrap();
    tx.insert_supplier(&supplier(&other, "Wärtsilä Norway")).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin(Some(f.company)).await.unwrap();
    assert_eq!(tx.supplier(f.company, wartsila.id).await.unwrap(), Some(wartsila.clone()));
    let key = bosun_domain::purchasing::supplier_key("WÄRTSILÄ NORWAY");
    assert_eq!(tx.supplier_by_key(f.company, &key).await.unwrap().map(|s| s.id), Some(wartsila.id));
    assert_eq!(
        tx.list_suppliers(f.company, Page { after: None, limit: 10 }).await.unwrap(),
        std::slice::from_ref(&wartsila)
    );
    assert_eq!(tx.requisition(f.company, listed.requisition.id).await.unwrap(), Some(listed.clone()));
    assert_eq!(tx.requisition(f.company, unlisted.requisition.id).await.unwrap(), Some(unlisted.clone()));
    let on = |vessel, statuses: &[&str]| RequisitionFilter {
        scope: VesselScope { vessel: Some(vessel), member: None },
        statuses: statuses.iter().map(|s| (*s).to_owned()).collect(),
        ..Default::default()
    };
    let page = Page { after: None, limit: 10 };
    let v1 = tx.list_requisitions(f.company, &on(f.v1, &[]), page).await.unwrap();
    assert_eq!(
        v1.iter().map(|r| r.requisition.id).collect::<Vec<_>>(),
        [unlisted.requisition.id, listed.requisition.id],
        "newest first, one vessel's"
    );
    let approved = tx.list_requisitions(f.company, &on(f.v1, &["approved", "ordered"]), page).await.unwrap();
    assert_eq!(approved.iter().map(|r| r.requisition.id).collect::<Vec<_>>(), [listed.requisition.id]);

    // Orders number in the company; lines come back by position, in the order's currency.
    assert_eq!(tx.next_order_number(f.company).await.unwrap(), 1);
    let order = head(&f, 1, wartsila.id);
    tx.insert_purchase_order(&order).await.unwrap();
    let (first, second) = (line(&f, &order, 2, &unlisted), line(&f, &order, 1, &listed));
    tx.insert_order_line(&first).await.unwrap();
    tx.insert_order_line(&second).await.unwrap();
    assert_eq!(tx.next_order_number(f.company).await.unwrap(), 2);
    assert_eq!(tx.purchase_order(f.company, order.id).await.unwrap(), Some(order.clone()));
    assert_eq!(tx.order_lines(f.company, order.id).await.unwrap(), [second.clone(), first.clone()]);

    // Receipts are kept with their lines; writes move lines, requisitions and the order.
    let receipt = StoredReceipt {
        id: ReceiptId::new(),
        company_id: f.company,
        purchase_order_id: order.id,
        vessel_id: f.v1,
        location_id: None,
        lines: vec![
            ReceiptLine { line_id: second.line.id, quantity: Quantity(1_500), entry_id: Some(StockEntryId::new()) },
            ReceiptLine { line_id: first.line.id, quantity: Quantity(2_500), entry_id: None },
        ],
        note: Some("Delivery note 4411".into()),
        received_by: f.crew,
        received_at: t0(),
        version: 3,
    };
    tx.insert_receipt(&receipt).await.unwrap();
    assert_eq!(tx.receipt(f.company, receipt.id).await.unwrap(), Some(receipt.clone()));
    assert_eq!(tx.order_receipts(f.company, order.id).await.unwrap(), [receipt]);
    let moved =
        StoredLine { line: OrderLine { received: Quantity(1_500), ..second.line.clone() }, version: 3, ..second };
    tx.update_order_line(&moved).await.unwrap();
    let partial = PurchaseOrderHead { status: PurchaseOrderStatus::PartiallyReceived, version: 3, ..order.clone() };
    tx.update_purchase_order(&partial).await.unwrap();
    let mut r = listed.clone();
    r.requisition.status = RequisitionStatus::PartiallyReceived;
    r.received = Quantity(1_500);
    r.purchase_order_id = Some(order.id);
    r.version = 3;
    tx.update_requisition(&r).await.unwrap();
    assert_eq!(tx.order_lines(f.company, order.id).await.unwrap()[0], moved);
    assert_eq!(tx.requisition(f.company, r.requisition.id).await.unwrap(), Some(r));
    let by_status = PurchaseOrderFilter {
        scope: VesselScope::default(),
        statuses: vec!["partially_received".into()],
        supplier: Some(wartsila.id),
    };
    assert_eq!(
        tx.list_purchase_orders(f.company, &by_status, Page { after: None, limit: 10 }).await.unwrap(),
        [partial]
    );
    tx.commit().await.unwrap();

    // A requisition freed by a cancelled order goes on a line of another; a line's id is its own.
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    let again = head(&f, 2, wartsila.id);
    tx.insert_purchase_order(&again).await.unwrap();
    let second = line(&f, &again, 1, &listed);
    tx.insert_order_line(&second).await.unwrap();
    assert_eq!(tx.order_lines(f.company, again.id).await.unwrap(), std::slice::from_ref(&second));
    assert!(matches!(tx.insert_order_line(&second).await, Err(StoreError::Conflict(_))));
    drop(tx);
    // Another company sees none of it.
    let mut tx = store.begin(Some(other.company)).await.unwrap();
    assert_eq!(tx.purchase_order(other.company, order.id).await.unwrap(), None);
    assert_eq!(tx.requisition(other.company, listed.requisition.id).await.unwrap(), None);
    assert_eq!(tx.next_order_number(other.company).await.unwrap(), 1);
}

/// Writes the rows a fault's parts order becomes (ADR 0007 §7, as the start-up migration does):
/// its requisition with the same id and, once ordered, an order of its own with one line.
pub(super) async fn fault_order_rows(tx: &mut Box<dyn crate::Tx>, f: &Fleet, number: i64, o: &PartsOrder) {
    let s = match tx.supplier_by_key(f.company, &supplier_key(&o.supplier)).await.unwrap() {
        Some(s) => s,
        None => {
            let s = supplier(f, &o.supplier);
            tx.insert_supplier(&s).await.unwrap();
            s
        }
    };
    let m = migrate_parts_order(o, s.id);
    let mut r = StoredRequisition {
        requisition: m.requisition,
        part_name: o.part_name.clone(),
        part_number: o.part_number.clone(),
        unit: "pcs".into(),
        note: None,
        decision_comment: None,
        purchase_order_id: None,
        received: Quantity::ZERO,
        version: 1,
        created_at: o.created_at,
        updated_at: o.updated_at,
    };
    let Some(status) = m.order_status else {
        tx.insert_requisition(&r).await.unwrap();
        return;
    };
    let order = PurchaseOrderHead {
        vessel_id: o.vessel_id,
        currency: o.currency.clone(),
        status,
        created_at: o.created_at,
        ..head(f, number, s.id)
    };
    r.purchase_order_id = Some(order.id);
    if status == PurchaseOrderStatus::Received {
        r.received = r.requisition.quantity;
    }
    tx.insert_requisition(&r).await.unwrap();
    tx.insert_purchase_order(&order).await.unwrap();
    let mut l = line(f, &order, 1, &r);
    l.line.received = r.received;
    tx.insert_order_line(&l).await.unwrap();
}

pub async fn parts_orders_read_as_fault_requisitions_and_old_rows_wait_for_the_migration(store: &dyn Store) {
    let f = fleet(store, "alpha").await;
    let e = item(&f, f.v1, None, EquipmentLevel::Equipment, "Pump");
    let x = fault(&f, f.v1, e.id, Severity::Medium, FaultStatus::InProgress, t0());
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    tx.insert_equipment(&e).await.unwrap();
    tx.insert_fault(&x).await.unwrap();

    // The old table: read back until each is marked migrated, once.
    let o1 = parts_order(&f, &x, 1000, 1200, 2, t0(), PartsOrderStatus::Requested);
    let o2 = parts_order(&f, &x, 500, 600, 1, t0(), PartsOrderStatus::Cancelled);
    tx.insert_legacy_parts_order(&o1).await.unwrap();
    tx.insert_legacy_parts_order(&o2).await.unwrap();
    let mut both = [o1.id, o2.id];
    both.sort();
    let waiting = tx.unmigrated_parts_orders(f.company, 10).await.unwrap();
    assert_eq!(waiting.iter().map(|o| o.id).collect::<Vec<_>>(), both, "by id");
    assert_eq!(waiting.iter().find(|o| o.id == o1.id).unwrap(), &o1, "read back whole");
    assert_eq!(tx.unmigrated_parts_orders(f.company, 1).await.unwrap().len(), 1);
    assert!(tx.parts_order(f.company, o1.id).await.unwrap().is_none(), "an old row is not read as an order");
    tx.mark_parts_order_migrated(f.company, o1.id).await.unwrap();
    assert!(matches!(tx.mark_parts_order_migrated(f.company, o1.id).await, Err(StoreError::NotFound)));
    assert_eq!(
        tx.unmigrated_parts_orders(f.company, 10).await.unwrap().iter().map(|o| o.id).collect::<Vec<_>>(),
        [o2.id]
    );

    // Requisitions serving a fault, in the old shape, each status of the old lifecycle.
    let mut made = Vec::new();
    for (n, status) in PartsOrderStatus::ALL.iter().enumerate() {
        let o = parts_order(&f, &x, 4_150, 4_980, 3, t0(), *status);
        fault_order_rows(&mut tx, &f, n as i64 + 1, &o).await;
        let read = tx.parts_order(f.company, o.id).await.unwrap().unwrap();
        assert_eq!(read, PartsOrder { version: 1, ..o.clone() }, "{status}");
        made.push(o);
    }
    // A fractional quantity reads as whole units rounded up; partly received reads shipped; a
    // rejected one cancelled; one without a supplier or prices reads them empty.
    let mut odd =
        requisition(&f, f.v1, PartRef::Unlisted { name: "Hose".into(), number: None }, RequisitionStatus::Rejected);
    odd.requisition.fault_id = Some(x.id);
    odd.requisition.pricing = None;
    tx.insert_requisition(&odd).await.unwrap();
    let read = tx.parts_order(f.company, PartsOrderId(odd.requisition.id.0)).await.unwrap().unwrap();
    assert_eq!(
        (read.quantity, read.status, read.supplier.as_str(), read.currency.as_str(), read.supplier_unit_minor),
        (3, PartsOrderStatus::Cancelled, "", "", 0)
    );
    let shipped = made.iter().find(|o| o.status == PartsOrderStatus::Shipped).unwrap();
    let mut r = tx.requisition(f.company, RequisitionId(shipped.id.0)).await.unwrap().unwrap();
    r.requisition.status = RequisitionStatus::PartiallyReceived;
    r.version = 2;
    tx.update_requisition(&r).await.unwrap();
    assert_eq!(tx.parts_order(f.company, shipped.id).await.unwrap().unwrap().status, PartsOrderStatus::Shipped);
    // Not serving a fault: not a parts order.
    let plain =
        requisition(&f, f.v1, PartRef::Unlisted { name: "Filter".into(), number: None }, RequisitionStatus::Requested);
    tx.insert_requisition(&plain).await.unwrap();
    assert!(tx.parts_order(f.company, PartsOrderId(plain.requisition.id.0)).await.unwrap().is_none());

    let page = Page { after: None, limit: 20 };
    let all = tx.list_parts_orders(f.company, &PartsOrderFilter::default(), page).await.unwrap();
    assert_eq!(all.len(), PartsOrderStatus::ALL.len() + 1);
    assert!(all.windows(2).all(|w| w[0].id > w[1].id), "newest id first");
    let flt = PartsOrderFilter { statuses: vec![PartsOrderStatus::Cancelled], fault: Some(x.id), ..Default::default() };
    let got = tx.list_parts_orders(f.company, &flt, page).await.unwrap();
    assert_eq!(got.len(), 2, "cancelled and rejected: {got:?}");
    let after = Page { after: Some(all[2].id), limit: 20 };
    let next = tx.list_parts_orders(f.company, &PartsOrderFilter::default(), after).await.unwrap();
    assert_eq!(next.len(), all.len() - 3);
    let crew =
        PartsOrderFilter { scope: VesselScope { vessel: None, member: Some(reach(f.crew)) }, ..Default::default() };
    assert!(tx.list_parts_orders(f.company, &crew, page).await.unwrap().is_empty());
    let elsewhere = PartsOrderFilter { scope: VesselScope { vessel: Some(f.v2), member: None }, ..Default::default() };
    assert!(tx.list_parts_orders(f.company, &elsewhere, page).await.unwrap().is_empty());
}
