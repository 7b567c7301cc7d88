//! Fault parts orders become requisitions (ADR 0007 §7): a data migration run at start-up,
//! after the schema's, until no company has an order left in the old table.
//!
//! Each order becomes what [`migrate_parts_order`] says, losing nothing:
//! - a requisition **with the same id** (the same vessel, fault, part named as unlisted,
//!   quantity in whole units, prices with their markup and currency, requester, status and its
//!   time), its supplier found by [`bosun_domain::purchasing::supplier_key`] or added;
//! - once it had been ordered, a purchase order of its own with one line (sent, shipped or
//!   received), numbered as any other; a received one has a receipt straight to the job (the
//!   parts went into the fault's repair, not into stock), recorded as its requester's;
//! - devices drop the old row (a `delete` change of the `parts_order` entity) and receive the
//!   new rows through the change log.
//!
//! It runs vessel by vessel, up to [`BATCH`] orders a unit of work, each taking the vessel's
//! scope lock and then the company's (the order every purchasing write takes them in), so
//! several `bosun` processes starting at once share the work without deadlock or doubles: an
//! order is marked migrated in the unit that writes its rows. Each unit is audited once
//! (`migration.parts_orders`, no person) with the ids it wrote.

use std::collections::HashMap;

use bosun_domain::purchasing::{
    OrderLine, PartRef, PurchaseOrderStatus, RequisitionStatus, line_total, migrate_parts_order, supplier_key,
};
use bosun_domain::stock::Quantity;
use bosun_domain::{CompanyId, PurchaseOrderLineId, SupplierId, VesselId};
use bosun_store::{PurchaseOrderHead, ReceiptLine, StoredLine, StoredReceipt, StoredRequisition, Tx};
use serde_json::json;

use super::orders::{line_json, order_json, receipt_json};
use super::{PurchasingService, requisition_json};
use crate::{Audit, Result, vessel_change};

/// The most orders one unit of work migrates.
pub const BATCH: u32 = 200;

/// What a migration run wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Migrated {
    /// Parts orders migrated (one requisition each).
    pub orders: u64,
    /// Suppliers added.
    pub suppliers: u64,
    /// Purchase orders made (one per ordered, shipped or received parts order).
    pub purchase_orders: u64,
}

impl std::ops::AddAssign for Migrated {
    fn add_assign(&mut self, o: Self) {
        self.orders += o.orders;
        self.suppliers += o.suppliers;
        self.purchase_orders += o.purchase_orders;
    }
}

impl PurchasingService {
    /// Migrates every company's parts orders left in the old table.
    pub async fn migrate_all_parts_orders(&self) -> Result<Migrated> {
        let companies = {
            let mut tx = self.deps.store.begin_read(None).await?;
            tx.list_company_ids().await?
        };
        let mut done = Migrated::default();
        for company in companies {
            done += self.migrate_parts_orders(company).await?;
        }
        Ok(done)
    }

    /// Migrates one company's parts orders left in the old table, a unit of work per vessel
    /// and batch; running it again finds nothing to do.
    pub async fn migrate_parts_orders(&self, company: CompanyId) -> Result<Migrated> {
        let mut done = Migrated::default();
        loop {
            let vessel = {
                let mut tx = self.deps.store.begin_read(Some(company)).await?;
                match tx.unmigrated_parts_orders(company, 1).await?.first() {
                    Some(o) => o.vessel_id,
                    None => return Ok(done),
                }
            };
            let mut tx = self.deps.store.begin(Some(company)).await?;
            let unit = self.migrate_batch(&mut tx, company, vessel).await?;
            tx.commit().await?;
            done += unit;
        }
    }

    /// One unit of work: up to [`BATCH`] of the vessel's orders, under its lock and then the
    /// company's.
    async fn migrate_batch(&self, tx: &mut Box<dyn Tx>, company: CompanyId, vessel: VesselId) -> Result<Migrated> {
        tx.lock_scope(company, &format!("vessel:{vessel}")).await?;
        tx.lock_scope(company, &format!("company:{company}")).await?;
        let orders: Vec<_> =
            tx.unmigrated_parts_orders(company, BATCH).await?.into_iter().filter(|o| o.vessel_id == vessel).collect();
        let now = self.deps.clock.now();
        let mut done = Migrated::default();
        let mut suppliers: HashMap<String, SupplierId> = HashMap::new();
        let (mut requisitions, mut purchase_orders) = (Vec::new(), Vec::new());
        for o in &orders {
            let key = supplier_key(&o.supplier);
            let supplier_id = match suppliers.get(&key) {
                Some(id) => *id,
                None => {
                    let known = tx.supplier_by_key(company, &key).await?.is_some();
                    let s = self.supplier_named(tx, None, company, &o.supplier, &o.currency).await?;
                    done.suppliers += u64::from(!known);
                    suppliers.insert(key, s.id);
                    s.id
                }
            };
            let m = migrate_parts_order(o, supplier_id);
            let received = m.requisition.status == RequisitionStatus::Received;
            let quantity = m.requisition.quantity;
            let order_id = m.order_status.map(|_| self.deps.ids.id());
            let mut row = StoredRequisition {
                requisition: m.requisition,
                part_name: o.part_name.clone(),
                part_number: o.part_number.clone(),
                unit: "pcs".into(),
                note: None,
                decision_comment: None,
                purchase_order_id: order_id,
                received: if received { quantity } else { Quantity::ZERO },
                version: 0,
                created_at: o.created_at,
                updated_at: o.updated_at,
            };
            let fields = requisition_json(&row);
            row.version =
                tx.record_change(company, &vessel_change(vessel, "requisition", o.id.0, "insert", fields, now)).await?;
            tx.insert_requisition(&row).await?;
            requisitions.push(o.id);
            if let (Some(status), Some(order_id)) = (m.order_status, order_id) {
                let pricing = row.requisition.pricing.clone().ok_or_else(|| {
                    crate::Error::Internal(format!("parts order {} migrated without its prices", o.id))
                })?;
                let mut head = PurchaseOrderHead {
                    id: order_id,
                    company_id: company,
                    number: tx.next_order_number(company).await?,
                    vessel_id: vessel,
                    supplier_id,
                    currency: pricing.currency.clone(),
                    expected_on: None,
                    note: Some(format!("Parts order for fault {}, made before purchase orders", o.fault_id)),
                    status,
                    created_by: o.requested_by,
                    supplier_total_minor: line_total(pricing.supplier_unit_minor, quantity),
                    customer_total_minor: line_total(pricing.customer_unit_minor, quantity),
                    status_changed_at: o.status_changed_at,
                    version: 0,
                    created_at: o.created_at,
                    updated_at: o.updated_at,
                };
                let change = vessel_change(vessel, "purchase_order", order_id.0, "insert", order_json(&head), now);
                head.version = tx.record_change(company, &change).await?;
                tx.insert_purchase_order(&head).await?;
                let line_id: PurchaseOrderLineId = self.deps.ids.id();
                let mut line = StoredLine {
                    line: OrderLine {
                        id: line_id,
                        requisition_id: Some(row.requisition.id),
                        part: PartRef::Unlisted { name: o.part_name.clone(), number: o.part_number.clone() },
                        ordered: quantity,
                        received: if received { quantity } else { Quantity::ZERO },
                        pricing,
                    },
                    purchase_order_id: order_id,
                    company_id: company,
                    vessel_id: vessel,
                    position: 1,
                    part_name: o.part_name.clone(),
                    part_number: o.part_number.clone(),
                    unit: "pcs".into(),
                    version: 0,
                    updated_at: o.updated_at,
                };
                let change = vessel_change(vessel, "purchase_order_line", line_id.0, "insert", line_json(&line), now);
                line.version = tx.record_change(company, &change).await?;
                tx.insert_order_line(&line).await?;
                if status == PurchaseOrderStatus::Received {
                    let mut receipt = StoredReceipt {
                        id: self.deps.ids.id(),
                        company_id: company,
                        purchase_order_id: order_id,
                        vessel_id: vessel,
                        location_id: None,
                        lines: vec![ReceiptLine { line_id, quantity, entry_id: None }],
                        note: Some("Received for the fault's repair, before receipts were recorded".into()),
                        received_by: o.requested_by,
                        received_at: o.status_changed_at,
                        version: 0,
                    };
                    let change =
                        vessel_change(vessel, "po_receipt", receipt.id.0, "insert", receipt_json(&receipt), now);
                    receipt.version = tx.record_change(company, &change).await?;
                    tx.insert_receipt(&receipt).await?;
                }
                purchase_orders.push(order_id);
                done.purchase_orders += 1;
            }
            let gone = json!({ "id": o.id, "migrated_to": { "entity": "requisition", "id": o.id } });
            tx.record_change(company, &vessel_change(vessel, "parts_order", o.id.0, "delete", gone, now)).await?;
            tx.mark_parts_order_migrated(company, o.id).await?;
            done.orders += 1;
        }
        if done.orders > 0 {
            let after = json!({
                "vessel_id": vessel, "requisitions": requisitions, "purchase_orders": purchase_orders,
                "suppliers_added": done.suppliers,
            });
            self.deps
                .audit(
                    tx,
                    company,
                    None,
                    &crate::RequestMeta::default(),
                    Audit::ok("migration.parts_orders", "company", company).after(after),
                )
                .await?;
        }
        Ok(done)
    }
}
