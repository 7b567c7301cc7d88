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

use super::maintenance::{Fleet, fleet, t0};
use crate::{
    Page, PurchaseOrderFilter, PurchaseOrderHead, ReceiptLine, RequisitionFilter, Store, StoreError, StoredLine,
    StoredReceipt, StoredRequisition, VesselScope,
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

    // A requisition is on one line at most.
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    let again = head(&f, 2, wartsila.id);
    tx.insert_purchase_order(&again).await.unwrap();
    assert!(matches!(tx.insert_order_line(&line(&f, &again, 1, &listed)).await, Err(StoreError::Conflict(_))));
    drop(tx);
    // Another company sees none of it.
    let mut tx = store.begin(Some(other.company)).await.unwrap();
    assert_eq!(tx.purchase_order(other.company, order.id).await.unwrap(), None);
    assert_eq!(tx.requisition(other.company, listed.requisition.id).await.unwrap(), None);
    assert_eq!(tx.next_order_number(other.company).await.unwrap(), 1);
}
