//! Purchase orders and receipts (ADR 0007 §5).
//!
//! - An order goes to one supplier for one vessel, in one currency, numbered in the company
//!   (PO-000042) by the server; its lines are approved requisitions of that vessel (each on one
//!   order at most: they move to `ordered`) or parts ordered directly, each priced at the
//!   supplier's price with the customer's at the company's markup, both kept on the line.
//! - A person moves it `draft → sent → shipped` or cancels it before anything arrives, which
//!   frees its requisitions (back to `approved`).
//! - A receipt (insert-only, `receive_purchase_order.v1`) takes some of some lines, never more
//!   than is outstanding ([`PurchaseOrder::receive`]): into a stock location of the vessel,
//!   each catalogue line posting a `receive` ledger entry in the same unit of work, or straight
//!   to the job (no location: nothing enters stock). Lines, requisitions and the order move
//!   with it to partially received or received.

use std::collections::HashSet;

use bosun_domain::parts::{check_currency, customer_unit_price};
use bosun_domain::permissions::Action;
use bosun_domain::purchasing::{
    OrderLine, PartRef, Pricing, PurchaseOrder, PurchaseOrderStatus, ReceiptError, RequisitionStatus, line_total,
};
use bosun_domain::stock::{Movement, Quantity};
use bosun_domain::{
    PartId, PurchaseOrderId, PurchaseOrderLineId, ReceiptId, RequisitionId, StockEntryId, StockLocationId, SupplierId,
    VesselId, Violation,
};
use bosun_store::{
    Page, PurchaseOrderFilter, PurchaseOrderHead, ReceiptLine, StoredLine, StoredReceipt, StoredRequisition, Tx,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::json;

use super::{MAX_UNIT_MINOR, PurchasingService, part_id};
use crate::conflicts::StatusMove;
use crate::realtime::LiveEvent;
use crate::stock::Move;
use crate::work::{UnitOfWork, mutator};
use crate::{Actor, Audit, Error, Result, Violations, id_race, id_taken, vessel_change};

/// The most lines an order or a receipt holds.
pub const MAX_LINES: usize = 200;

/// A line of a new order: an approved requisition, or a part ordered directly.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOrderLine {
    /// Client-made UUIDv7 of the line.
    pub id: PurchaseOrderLineId,
    /// An approved requisition of the order's vessel; the line orders its part.
    #[serde(default)]
    pub requisition_id: Option<RequisitionId>,
    /// Without a requisition: a catalogue part, or …
    #[serde(default)]
    pub part_id: Option<PartId>,
    /// … an unlisted part's name (1–200 characters), …
    #[serde(default)]
    pub part_name: Option<String>,
    /// … its number …
    #[serde(default)]
    pub part_number: Option<String>,
    /// … and its unit (`pcs` when absent).
    #[serde(default)]
    pub unit: Option<String>,
    /// How many (the requisition's quantity when absent).
    #[serde(default)]
    pub quantity: Option<String>,
    /// The supplier's price per unit, minor units, in the order's currency (the
    /// requisition's price when absent and in the same currency).
    #[serde(default)]
    pub supplier_unit_price_minor: Option<i64>,
}

/// Makes a purchase order in draft (`create_purchase_order.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreatePurchaseOrder {
    /// Client-made UUIDv7.
    pub id: PurchaseOrderId,
    /// The vessel it delivers to.
    pub vessel_id: VesselId,
    /// The supplier.
    pub supplier_id: SupplierId,
    /// Its currency (the supplier's when absent).
    #[serde(default)]
    pub currency: Option<String>,
    /// When delivery is expected.
    #[serde(default)]
    pub expected_on: Option<NaiveDate>,
    /// Delivery instructions printed on the order (up to 1,000 characters).
    #[serde(default)]
    pub note: Option<String>,
    /// 1 to 200 lines.
    pub lines: Vec<NewOrderLine>,
}

/// Moves an order along (`set_purchase_order_status.v1`): `sent`, `shipped` or `cancelled`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetPurchaseOrderStatus {
    /// The order.
    pub purchase_order_id: PurchaseOrderId,
    /// Where it goes.
    pub status: PurchaseOrderStatus,
}

/// One line of a receipt.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceivedLine {
    /// The order line.
    pub line_id: PurchaseOrderLineId,
    /// How many arrived, more than zero and at most what is outstanding.
    pub quantity: String,
    /// Client-made UUIDv7 of its stock entry; a new one when absent.
    #[serde(default)]
    pub entry_id: Option<StockEntryId>,
}

/// Receives goods against an order (`receive_purchase_order.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceivePurchaseOrder {
    /// Client-made UUIDv7 of the receipt.
    pub id: ReceiptId,
    /// The order.
    pub purchase_order_id: PurchaseOrderId,
    /// The stock location of the order's vessel they go into; absent: straight to the job.
    #[serde(default)]
    pub location_id: Option<StockLocationId>,
    /// 1 to 200 lines, each line of the order at most once.
    pub lines: Vec<ReceivedLine>,
    /// Delivery note number, damage, anything to say (up to 1,000 characters).
    #[serde(default)]
    pub note: Option<String>,
}

/// An order with its lines and receipts.
#[derive(Debug, Clone)]
pub struct FullOrder {
    /// Its own row.
    pub head: PurchaseOrderHead,
    /// Its lines, by position.
    pub lines: Vec<StoredLine>,
    /// Its receipts, oldest first.
    pub receipts: Vec<StoredReceipt>,
    /// False when the same write had been received before.
    pub created: bool,
}

mutator!(CreatePurchaseOrder, "create_purchase_order.v1", FullOrder, |app, uow, actor, m| {
    app.purchasing.create_order(uow, actor, m).await
});
mutator!(SetPurchaseOrderStatus, "set_purchase_order_status.v1", FullOrder, |app, uow, actor, m| {
    app.purchasing.set_order_status(uow, actor, m).await
});
mutator!(ReceivePurchaseOrder, "receive_purchase_order.v1", FullOrder, |app, uow, actor, m| {
    app.purchasing.receive(uow, actor, m).await
});

/// An order's own fields as its change-log row carries them.
pub fn order_json(o: &PurchaseOrderHead) -> serde_json::Value {
    json!({
        "id": o.id, "number": super::pdf::order_number(o.number), "vessel_id": o.vessel_id, "supplier_id": o.supplier_id,
        "currency": o.currency, "expected_on": o.expected_on, "note": o.note, "status": o.status.as_str(),
        "created_by": o.created_by, "supplier_total_minor": o.supplier_total_minor,
        "customer_total_minor": o.customer_total_minor, "status_changed_at": o.status_changed_at,
    })
}

/// A line's fields as its change-log row carries them.
pub fn line_json(s: &StoredLine) -> serde_json::Value {
    let l = &s.line;
    let p = &l.pricing;
    json!({
        "id": l.id, "purchase_order_id": s.purchase_order_id, "vessel_id": s.vessel_id, "position": s.position,
        "requisition_id": l.requisition_id, "part_id": part_id(&l.part), "part_name": s.part_name,
        "part_number": s.part_number, "unit": s.unit, "ordered": l.ordered.to_string(),
        "received": l.received.to_string(), "supplier_unit_price_minor": p.supplier_unit_minor,
        "supplier_total_minor": line_total(p.supplier_unit_minor, l.ordered), "markup_basis_points": p.markup_bp,
        "customer_unit_price_minor": p.customer_unit_minor,
        "customer_total_minor": line_total(p.customer_unit_minor, l.ordered), "currency": p.currency,
    })
}

/// A receipt's fields as its change-log row carries them.
pub fn receipt_json(r: &StoredReceipt) -> serde_json::Value {
    json!({
        "id": r.id, "purchase_order_id": r.purchase_order_id, "vessel_id": r.vessel_id,
        "location_id": r.location_id,
        "lines": r.lines.iter().map(|l| json!({
            "line_id": l.line_id, "quantity": l.quantity.to_string(), "entry_id": l.entry_id,
        })).collect::<Vec<_>>(),
        "note": r.note, "received_by": r.received_by, "received_at": r.received_at,
    })
}

fn order_event(o: &PurchaseOrderHead, at: DateTime<Utc>) -> LiveEvent {
    LiveEvent {
        company_id: o.company_id,
        vessel_id: Some(o.vessel_id),
        kind: "purchase_order.changed".into(),
        entity_id: o.id.0,
        summary: json!({
            "id": o.id, "number": super::pdf::order_number(o.number), "vessel_id": o.vessel_id,
            "status": o.status.as_str(),
        }),
        at,
    }
}

/// The domain's order of a stored one.
fn domain_order(head: &PurchaseOrderHead, lines: &[StoredLine]) -> PurchaseOrder {
    PurchaseOrder {
        id: head.id,
        company_id: head.company_id,
        vessel_id: head.vessel_id,
        supplier_id: head.supplier_id,
        currency: head.currency.clone(),
        expected_on: head.expected_on,
        lines: lines.iter().map(|l| l.line.clone()).collect(),
        status: head.status,
    }
}

fn refused(e: &ReceiptError, field: String) -> Error {
    match e {
        ReceiptError::UnknownLine => Violation::new(field, e.code(), e.to_string()).into(),
        _ => Error::Conflict { code: e.code(), message: e.to_string() },
    }
}

/// A checked line of a new order, and the requisition it fills.
struct Planned {
    line: StoredLine,
    requisition: Option<StoredRequisition>,
}

impl PurchasingService {
    /// Checks one new line (`i` in the order) against the store.
    #[allow(clippy::too_many_arguments)]
    async fn plan_line(
        &self,
        tx: &mut Box<dyn Tx>,
        actor: &Actor,
        head: &PurchaseOrderHead,
        i: usize,
        l: &NewOrderLine,
        markup: bosun_domain::company::MarkupBasisPoints,
        v: &mut Violations,
    ) -> Result<Option<Planned>> {
        let company = actor.company_id;
        let at = |f: &str| format!("lines.{i}.{f}");
        let quantity = l.quantity.as_deref().map(|q| v.check(Quantity::parse(&at("quantity"), q)));
        let requisition = match l.requisition_id {
            Some(id) => {
                let r = tx.requisition(company, id).await?.ok_or(Error::NotFound)?;
                if r.requisition.vessel_id != head.vessel_id {
                    v.check::<()>(Err(Violation::new(at("requisition_id"), "other_vessel", "is for another vessel")));
                    return Ok(None);
                }
                if r.requisition.status != RequisitionStatus::Approved {
                    return Err(Error::Conflict {
                        code: "not_approved",
                        message: format!("requisition {id} is {}, not approved", r.requisition.status),
                    });
                }
                if l.part_id.is_some() || l.part_name.is_some() || l.part_number.is_some() || l.unit.is_some() {
                    v.check::<()>(Err(Violation::new(
                        at("part_name"),
                        "named_twice",
                        "the requisition names the part",
                    )));
                    return Ok(None);
                }
                Some(r)
            }
            None => None,
        };
        let part = match (&requisition, l.part_id) {
            (Some(r), _) => {
                Some((r.requisition.part.clone(), r.part_name.clone(), r.part_number.clone(), r.unit.clone()))
            }
            (None, Some(pid)) => {
                if l.part_name.is_some() || l.part_number.is_some() || l.unit.is_some() {
                    v.check::<()>(Err(Violation::new(at("part_name"), "named_twice", "the catalogue names the part")));
                    None
                } else {
                    let p = tx.part(company, pid).await?.ok_or(Error::NotFound)?;
                    Some((PartRef::Catalogue(pid), p.name, Some(p.number), p.unit))
                }
            }
            (None, None) => match l.part_name.as_deref() {
                None => {
                    v.check::<()>(Err(Violation::new(at("part_name"), "required", "name the part or a requisition")));
                    None
                }
                Some(name) => {
                    let name = v.check(bosun_domain::check_text(&at("part_name"), name, 1, 200));
                    let number = super::optional_text(v, &at("part_number"), l.part_number.as_deref(), 80);
                    let unit =
                        v.check(bosun_domain::check_text(&at("unit"), l.unit.as_deref().unwrap_or("pcs"), 1, 20));
                    name.zip(unit).map(|(name, unit)| {
                        (PartRef::Unlisted { name: name.clone(), number: number.clone() }, name, number, unit)
                    })
                }
            },
        };
        let ordered = match (quantity, &requisition) {
            (Some(q), _) => q,
            (None, Some(r)) => Some(r.requisition.quantity),
            (None, None) => {
                v.check::<()>(Err(Violation::new(at("quantity"), "required", "say how many")));
                None
            }
        };
        let asked =
            requisition.as_ref().and_then(|r| r.requisition.pricing.as_ref()).filter(|p| p.currency == head.currency);
        let unit_price = match (l.supplier_unit_price_minor, asked) {
            (Some(p), _) if !(0..=MAX_UNIT_MINOR).contains(&p) => {
                v.check::<()>(Err(Violation::new(
                    at("supplier_unit_price_minor"),
                    "out_of_range",
                    format!("must be 0 to {MAX_UNIT_MINOR} minor units"),
                )));
                None
            }
            (Some(p), _) => Some(p),
            (None, Some(p)) => Some(p.supplier_unit_minor),
            (None, None) => {
                v.check::<()>(Err(Violation::new(
                    at("supplier_unit_price_minor"),
                    "required",
                    format!("give the supplier's price in {}", head.currency),
                )));
                None
            }
        };
        let (Some((part, part_name, part_number, unit)), Some(ordered), Some(unit_price)) = (part, ordered, unit_price)
        else {
            return Ok(None);
        };
        let line = StoredLine {
            line: OrderLine {
                id: l.id,
                requisition_id: l.requisition_id,
                part,
                ordered,
                received: Quantity::ZERO,
                pricing: Pricing {
                    supplier_unit_minor: unit_price,
                    markup_bp: markup.0,
                    customer_unit_minor: customer_unit_price(unit_price, markup),
                    currency: head.currency.clone(),
                },
            },
            purchase_order_id: head.id,
            company_id: company,
            vessel_id: head.vessel_id,
            position: i64::try_from(i + 1).unwrap_or(i64::MAX),
            part_name,
            part_number,
            unit,
            version: 0,
            updated_at: head.created_at,
        };
        Ok(Some(Planned { line, requisition }))
    }

    pub(crate) async fn create_order(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        m: &CreatePurchaseOrder,
    ) -> Result<FullOrder> {
        let company = actor.company_id;
        let tx = &mut uow.tx;
        self.stock.in_reach(tx, actor, m.vessel_id).await?;
        actor.permit_new(Action::PartsManage, "purchase_order", Some(m.id))?;
        // An order carries supplier prices: only those who read them make one.
        actor.permit(Action::PriceSupplierRead, "purchase_order", m.id)?;
        let supplier = tx.supplier(company, m.supplier_id).await?.ok_or(Error::NotFound)?;
        tx.lock_scope(company, &format!("vessel:{}", m.vessel_id)).await?;
        if let Some(existing) = tx.purchase_order(company, m.id).await? {
            let lines = tx.order_lines(company, m.id).await?;
            let same = existing.vessel_id == m.vessel_id
                && existing.supplier_id == m.supplier_id
                && existing.created_by == actor.user_id
                && lines.iter().map(|l| l.line.id).eq(m.lines.iter().map(|l| l.id));
            if !same {
                return Err(id_taken("purchase order", m.id));
            }
            let receipts = tx.order_receipts(company, m.id).await?;
            return Ok(FullOrder { head: existing, lines, receipts, created: false });
        }
        let mut v = Violations::default();
        let currency = v.check(check_currency("currency", m.currency.as_deref().unwrap_or(&supplier.currency)));
        let note = super::optional_long_text(&mut v, "note", m.note.as_deref(), 1000);
        if m.lines.is_empty() || m.lines.len() > MAX_LINES {
            v.check::<()>(Err(Violation::new("lines", "line_count", format!("an order has 1 to {MAX_LINES} lines"))));
        }
        let mut seen = HashSet::new();
        for (i, l) in m.lines.iter().enumerate() {
            if !seen.insert(l.id.0) || l.requisition_id.is_some_and(|r| !seen.insert(r.0)) {
                v.check::<()>(Err(Violation::new(format!("lines.{i}"), "duplicate", "each line and requisition once")));
            }
        }
        v.finish()?;
        let mut v = Violations::default();
        let Some(currency) = currency else { return Err(Error::Internal("checked order currency".into())) };
        let markup = tx.company_by_id(company).await?.ok_or(Error::NotFound)?.parts_markup;
        let now = self.deps.clock.now();
        let mut head = PurchaseOrderHead {
            id: m.id,
            company_id: company,
            number: 0,
            vessel_id: m.vessel_id,
            supplier_id: m.supplier_id,
            currency,
            expected_on: m.expected_on,
            note,
            status: PurchaseOrderStatus::Draft,
            created_by: actor.user_id,
            supplier_total_minor: 0,
            customer_total_minor: 0,
            status_changed_at: now,
            version: 0,
            created_at: now,
            updated_at: now,
        };
        let mut planned = Vec::with_capacity(m.lines.len());
        for (i, l) in m.lines.iter().enumerate() {
            if let Some(p) = self.plan_line(tx, actor, &head, i, l, markup, &mut v).await? {
                planned.push(p);
            }
        }
        v.finish()?;
        let lines: Vec<StoredLine> = planned.iter().map(|p| p.line.clone()).collect();
        let order = domain_order(&head, &lines);
        head.supplier_total_minor = order.supplier_total_minor();
        head.customer_total_minor = order.customer_total_minor();
        // Numbers are the company's: its scope's lock (taken after the vessel's) orders them.
        tx.lock_scope(company, &format!("company:{company}")).await?;
        head.number = tx.next_order_number(company).await?;
        let fields = order_json(&head);
        head.version = tx
            .record_change(
                company,
                &vessel_change(m.vessel_id, "purchase_order", m.id.0, "insert", fields.clone(), now),
            )
            .await?;
        tx.insert_purchase_order(&head).await.map_err(id_race)?;
        let mut saved = Vec::with_capacity(planned.len());
        for p in planned {
            let mut line = p.line;
            let change =
                vessel_change(m.vessel_id, "purchase_order_line", line.line.id.0, "insert", line_json(&line), now);
            line.version = uow.tx.record_change(company, &change).await?;
            // A line id another order holds races like any client-made id (`id_taken` after a retry).
            uow.tx.insert_order_line(&line).await.map_err(id_race)?;
            if let Some(before) = p.requisition {
                let mut requisition = before.requisition.clone();
                requisition.status = RequisitionStatus::Ordered;
                requisition.status_changed_at = now;
                let row =
                    StoredRequisition { requisition, purchase_order_id: Some(m.id), updated_at: now, ..before.clone() };
                self.save(uow, actor, &before, row, "requisition.order").await?;
            }
            saved.push(line);
        }
        let tx = &mut uow.tx;
        self.deps
            .audit(
                tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("purchase_order.create", "purchase_order", m.id)
                    .after(json!({ "order": fields, "lines": saved.iter().map(line_json).collect::<Vec<_>>() })),
            )
            .await?;
        uow.publish(order_event(&head, now));
        Ok(FullOrder { head, lines: saved, receipts: Vec::new(), created: true })
    }

    /// The order, when its vessel is in the caller's reach.
    async fn visible_order(
        &self,
        tx: &mut Box<dyn Tx>,
        actor: &Actor,
        id: PurchaseOrderId,
    ) -> Result<PurchaseOrderHead> {
        let o = tx.purchase_order(actor.company_id, id).await?.ok_or(Error::NotFound)?;
        if !self.deps.sees_vessel(tx, actor, o.vessel_id).await? {
            return Err(Error::NotFound);
        }
        Ok(o)
    }

    /// The whole order as the store holds it now.
    async fn full(tx: &mut Box<dyn Tx>, head: PurchaseOrderHead, created: bool) -> Result<FullOrder> {
        let lines = tx.order_lines(head.company_id, head.id).await?;
        let receipts = tx.order_receipts(head.company_id, head.id).await?;
        Ok(FullOrder { head, lines, receipts, created })
    }

    /// Writes the order's own row with its change-log row.
    async fn save_head(uow: &mut UnitOfWork, head: &mut PurchaseOrderHead) -> Result<()> {
        let change =
            vessel_change(head.vessel_id, "purchase_order", head.id.0, "update", order_json(head), head.updated_at);
        head.version = uow.tx.record_change(head.company_id, &change).await?;
        uow.tx.update_purchase_order(head).await?;
        Ok(())
    }

    pub(crate) async fn set_order_status(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        m: &SetPurchaseOrderStatus,
    ) -> Result<FullOrder> {
        let id = m.purchase_order_id;
        let company = actor.company_id;
        let first = self.visible_order(&mut uow.tx, actor, id).await?;
        actor.permit(Action::PartsManage, "purchase_order", id)?;
        uow.tx.lock_scope(company, &format!("vessel:{}", first.vessel_id)).await?;
        let before = uow.tx.purchase_order(company, id).await?.ok_or(Error::NotFound)?;
        let lines = uow.tx.order_lines(company, id).await?;
        let after = domain_order(&before, &lines).advance(m.status);
        let mv = StatusMove {
            scope: format!("vessel:{}", before.vessel_id),
            entity: "purchase_order",
            row: id.0,
            from: (before.status.as_str(), before.status.rank()),
            to: (m.status.as_str(), m.status.rank()),
            reopens: false,
            valid: after.is_ok(),
        };
        if before.status == m.status || !uow.status_applies(&self.deps, actor, mv).await? {
            return Self::full(&mut uow.tx, before, false).await;
        }
        after.map_err(|v| Error::Conflict { code: v.code, message: v.message })?;
        let now = self.deps.clock.now();
        let mut head =
            PurchaseOrderHead { status: m.status, status_changed_at: now, updated_at: now, ..before.clone() };
        Self::save_head(uow, &mut head).await?;
        if m.status == PurchaseOrderStatus::Cancelled {
            // Its requisitions can be ordered again.
            for l in &lines {
                let Some(rid) = l.line.requisition_id else { continue };
                let Some(r) = uow.tx.requisition(company, rid).await? else { continue };
                if let Ok(requisition) = r.requisition.release(now) {
                    let row = StoredRequisition { requisition, purchase_order_id: None, updated_at: now, ..r.clone() };
                    self.save(uow, actor, &r, row, "requisition.release").await?;
                }
            }
        }
        self.deps
            .audit(
                &mut uow.tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("purchase_order.status", "purchase_order", id)
                    .before(json!({ "status": before.status.as_str() }))
                    .after(order_json(&head)),
            )
            .await?;
        uow.publish(order_event(&head, now));
        Self::full(&mut uow.tx, head, true).await
    }

    pub(crate) async fn receive(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        m: &ReceivePurchaseOrder,
    ) -> Result<FullOrder> {
        let id = m.purchase_order_id;
        let company = actor.company_id;
        let first = self.visible_order(&mut uow.tx, actor, id).await?;
        actor.permit_new(Action::StockMove, "po_receipt", Some(m.id))?;
        let mut v = Violations::default();
        let note = super::optional_long_text(&mut v, "note", m.note.as_deref(), 1000);
        if m.lines.is_empty() || m.lines.len() > MAX_LINES {
            v.check::<()>(Err(Violation::new("lines", "line_count", format!("a receipt has 1 to {MAX_LINES} lines"))));
        }
        let mut quantities = Vec::with_capacity(m.lines.len());
        let mut seen = HashSet::new();
        for (i, l) in m.lines.iter().enumerate() {
            if !seen.insert(l.line_id.0) {
                v.check::<()>(Err(Violation::new(format!("lines.{i}.line_id"), "duplicate", "each line once")));
            }
            if let Some(q) = v.check(Quantity::parse(&format!("lines.{i}.quantity"), &l.quantity)) {
                quantities.push((l.line_id, q));
            }
        }
        v.finish()?;
        if let Some(loc) = m.location_id {
            let l = uow.tx.stock_location(company, loc).await?.ok_or(Error::NotFound)?;
            if l.vessel_id != first.vessel_id {
                return Err(Violation::new("location_id", "other_vessel", "is a location of another vessel").into());
            }
        }
        uow.tx.lock_scope(company, &format!("vessel:{}", first.vessel_id)).await?;
        if let Some(existing) = uow.tx.receipt(company, m.id).await? {
            let same = existing.purchase_order_id == id
                && existing.location_id == m.location_id
                && existing.received_by == actor.user_id
                && existing.lines.iter().map(|l| (l.line_id, l.quantity)).eq(quantities.iter().copied());
            if !same {
                return Err(id_taken("receipt", m.id));
            }
            let head = uow.tx.purchase_order(company, id).await?.ok_or(Error::NotFound)?;
            return Self::full(&mut uow.tx, head, false).await;
        }
        let before = uow.tx.purchase_order(company, id).await?.ok_or(Error::NotFound)?;
        let lines = uow.tx.order_lines(company, id).await?;
        let order = domain_order(&before, &lines);
        let received = order.receive(&quantities).map_err(|e| {
            let i = match &e {
                ReceiptError::UnknownLine => {
                    quantities.iter().position(|(l, _)| !lines.iter().any(|x| x.line.id == *l)).unwrap_or(0)
                }
                _ => 0,
            };
            refused(&e, format!("lines.{i}.line_id"))
        })?;
        let now = self.deps.clock.now();
        let mut receipt_lines = Vec::with_capacity(m.lines.len());
        for (i, l) in m.lines.iter().enumerate() {
            let Some(stored) = lines.iter().find(|x| x.line.id == l.line_id) else { continue };
            let Some(&(_, q)) = quantities.iter().find(|(x, _)| *x == l.line_id) else { continue };
            let entry_id = match (m.location_id, &stored.line.part) {
                (Some(location_id), PartRef::Catalogue(part_id)) => {
                    let entry = self.deps.ids.id();
                    let at = Move {
                        id: Some(l.entry_id.unwrap_or(entry)),
                        location_id,
                        part_id: *part_id,
                        recorded_at: None,
                    };
                    let posted = self.stock.post_movement(uow, actor, at, Movement::Receive, q).await?;
                    Some(posted.entry.id)
                }
                (Some(_), PartRef::Unlisted { .. }) => {
                    return Err(Violation::new(
                        format!("lines.{i}.line_id"),
                        "not_in_catalogue",
                        "an unlisted part cannot go into stock; receive it straight to the job",
                    )
                    .into());
                }
                (None, _) => None,
            };
            receipt_lines.push(ReceiptLine { line_id: l.line_id, quantity: q, entry_id });
        }
        let mut receipt = StoredReceipt {
            id: m.id,
            company_id: company,
            purchase_order_id: id,
            vessel_id: before.vessel_id,
            location_id: m.location_id,
            lines: receipt_lines,
            note,
            received_by: actor.user_id,
            received_at: now,
            version: 0,
        };
        let fields = receipt_json(&receipt);
        receipt.version = uow
            .tx
            .record_change(
                company,
                &vessel_change(before.vessel_id, "po_receipt", m.id.0, "insert", fields.clone(), now),
            )
            .await?;
        uow.tx.insert_receipt(&receipt).await.map_err(id_race)?;
        for stored in &lines {
            let Some(after) = received.lines.iter().find(|l| l.id == stored.line.id) else { continue };
            if after.received == stored.line.received {
                continue;
            }
            let mut line = StoredLine { line: after.clone(), updated_at: now, ..stored.clone() };
            let change =
                vessel_change(line.vessel_id, "purchase_order_line", line.line.id.0, "update", line_json(&line), now);
            line.version = uow.tx.record_change(company, &change).await?;
            uow.tx.update_order_line(&line).await?;
            if let Some(rid) = line.line.requisition_id
                && let Some(r) = uow.tx.requisition(company, rid).await?
                && let Ok(requisition) = r.requisition.received(line.line.received, now)
            {
                let row = StoredRequisition { requisition, received: line.line.received, updated_at: now, ..r.clone() };
                self.save(uow, actor, &r, row, "requisition.receive").await?;
            }
        }
        let mut head =
            PurchaseOrderHead { status: received.status, status_changed_at: now, updated_at: now, ..before.clone() };
        Self::save_head(uow, &mut head).await?;
        self.deps
            .audit(
                &mut uow.tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("purchase_order.receive", "po_receipt", m.id)
                    .before(json!({ "status": before.status.as_str() }))
                    .after(json!({ "receipt": fields, "status": head.status.as_str() })),
            )
            .await?;
        uow.publish(order_event(&head, now));
        Self::full(&mut uow.tx, head, true).await
    }

    /// Orders the caller sees, newest first.
    pub async fn orders(
        &self,
        actor: &Actor,
        vessel: Option<VesselId>,
        statuses: Vec<PurchaseOrderStatus>,
        supplier: Option<SupplierId>,
        page: Page<PurchaseOrderId>,
    ) -> Result<(Vec<PurchaseOrderHead>, Option<PurchaseOrderId>)> {
        actor.require(Action::PartsRead)?;
        let filter = PurchaseOrderFilter {
            scope: self.deps.scope_for(actor, vessel),
            statuses: statuses.iter().map(|s| s.as_str().to_owned()).collect(),
            supplier,
        };
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let rows = tx
            .list_purchase_orders(actor.company_id, &filter, Page { after: page.after, limit: page.limit + 1 })
            .await?;
        Ok(crate::page_of(rows, page.limit, |o| o.id))
    }

    /// One order with its lines and receipts.
    pub async fn order(&self, actor: &Actor, id: PurchaseOrderId) -> Result<FullOrder> {
        actor.require(Action::PartsRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let head = self.visible_order(&mut tx, actor, id).await?;
        Self::full(&mut tx, head, false).await
    }
}
