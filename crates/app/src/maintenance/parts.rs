//! Parts orders: what a fault needs from a supplier, kept as the purchasing flow's
//! requisitions since ADR 0007 §7 (`crates/app/src/purchasing/migration.rs` moved the old
//! rows). `order_parts.v1` and `set_parts_order_status.v1` stay, for queued offline writes and
//! API clients, and write that flow; a parts order is read as a requisition serving a fault
//! (`PartsRepo::parts_order`).
//!
//! Rules kept here (see `docs/ARCHITECTURE.md`, "Parts orders"):
//! - an order raises a requisition with the same id for an unlisted part, its supplier found
//!   by name ([`bosun_domain::purchasing::supplier_key`]) or added, priced at the company's
//!   markup (the markup is kept, so a later change never reprices it); the supplier price may
//!   come from anyone who orders parts, as before;
//! - a move maps onto the flow: `approved` approves the requisition (never by its requester),
//!   `ordered` puts it on a purchase order of its own, sent; `shipped` ships that order,
//!   `received` receives what is outstanding straight to the job, `cancelled` withdraws it (an
//!   order holding only this line is cancelled first);
//! - ordering parts for a fault in progress moves it to awaiting parts (as any requisition
//!   for it does); a resolved or closed fault takes no new orders.

use bosun_domain::parts::{PartsOrder, PartsOrderStatus, check_currency, check_order_transition};
use bosun_domain::permissions::Action;
use bosun_domain::purchasing::{PurchaseOrderStatus, RequisitionStatus, supplier_key};
use bosun_domain::{FaultId, PartsOrderId, RequisitionId, VesselId, Violation, check_text};
use bosun_store::{Page, PartsOrderFilter, Tx};
use serde::Deserialize;

use crate::conflicts::StatusMove;
use crate::maintenance::faults::require_unresolved;
use crate::purchasing::orders::{
    CreatePurchaseOrder, NewOrderLine, ReceivePurchaseOrder, ReceivedLine, SetPurchaseOrderStatus,
};
use crate::purchasing::{CancelRequisition, PurchasingService, RaiseRequisition};
use crate::work::{UnitOfWork, mutator};
use crate::{Actor, Deps, Error, Result, Violations};

/// Orders parts for a fault the caller may see (`order_parts.v1`); a fault in progress moves to
/// awaiting parts. An order sent again with its client id (a retry after a lost answer, or a
/// sync) is answered with the stored order, even if the fault has been resolved since; the
/// same id with other content is `id_taken`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderParts {
    /// The fault the parts are for.
    pub fault_id: FaultId,
    /// Client-made id (an order made offline); a new one when `None`.
    #[serde(default)]
    pub id: Option<PartsOrderId>,
    /// Part name.
    pub part_name: String,
    /// Maker's part number.
    #[serde(default)]
    pub part_number: Option<String>,
    /// How many.
    pub quantity: i64,
    /// Supplier.
    pub supplier: String,
    /// Supplier price per unit, minor units.
    pub supplier_unit_price_minor: i64,
    /// ISO 4217 currency.
    pub currency: String,
}

/// Moves an order along (`set_parts_order_status.v1`): `approved`, `ordered`, `shipped`,
/// `received`, `cancelled`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetPartsOrderStatus {
    /// The order.
    pub order_id: PartsOrderId,
    /// Where it goes.
    pub status: PartsOrderStatus,
}

mutator!(OrderParts, "order_parts.v1", Ordered, |app, uow, actor, m| {
        app.parts.order(uow, actor, m).await
}, id_taken: |m| {
        m.id.map_or_else(|| Error::Internal("an id race without a client-made id".into()), id_taken)
});

mutator!(SetPartsOrderStatus, "set_parts_order_status.v1", PartsOrder, |app, uow, actor, m| {
    app.parts.set_status(uow, actor, m).await
});

/// Which orders to list.
#[derive(Debug, Clone, Default)]
pub struct PartsQuery {
    /// Only on this vessel.
    pub vessel: Option<VesselId>,
    /// Only for this fault.
    pub fault: Option<FaultId>,
    /// Only these statuses (empty: any).
    pub statuses: Vec<PartsOrderStatus>,
}

/// The largest quantity one order line takes.
const MAX_QUANTITY: i64 = 1_000_000;
/// The largest supplier unit price, minor units (10 million in major units): totals stay far
/// from overflowing.
const MAX_UNIT_MINOR: i64 = 1_000_000_000;

/// A parts order's fields as its change-log row carried them (before the migration; the demo's
/// history writes them for its old rows).
pub fn order_json(o: &PartsOrder) -> serde_json::Value {
    serde_json::json!({
        "id": o.id, "fault_id": o.fault_id, "vessel_id": o.vessel_id, "part_name": o.part_name,
        "part_number": o.part_number, "quantity": o.quantity, "supplier": o.supplier,
        "supplier_unit_price_minor": o.supplier_unit_minor, "customer_unit_price_minor": o.customer_unit_minor,
        "currency": o.currency, "markup_basis_points": o.markup_bp, "status": o.status.as_str(),
        "requested_by": o.requested_by, "status_changed_at": o.status_changed_at,
    })
}

/// Parts order use cases.
#[derive(Clone)]
pub struct PartsService {
    /// The store, clock and event hub it works with.
    pub deps: Deps,
    /// The purchasing flow parts orders are kept in.
    pub purchasing: PurchasingService,
}

/// A parts order as `PartsService::order` answers it.
#[derive(Debug, Clone)]
pub struct Ordered {
    /// The order.
    pub order: PartsOrder,
    /// False when the same order (same client id and content) had been received before.
    pub created: bool,
}

fn id_taken(id: PartsOrderId) -> Error {
    Error::Conflict {
        code: "id_taken",
        message: format!("parts order {id} was already made with other content; order again with a new id"),
    }
}

fn conflict(v: Violation) -> Error {
    Error::Conflict { code: v.code, message: v.message }
}

impl PartsService {
    async fn order(&self, uow: &mut UnitOfWork, actor: &Actor, input: &OrderParts) -> Result<Ordered> {
        let fault_id = input.fault_id;
        let company = actor.company_id;
        let tx = &mut uow.tx;
        let fault = tx.fault(company, fault_id).await?.ok_or(Error::NotFound)?;
        if !self.deps.sees_vessel(tx, actor, fault.vessel_id).await? {
            return Err(Error::NotFound);
        }
        actor.permit(Action::PartsRequest, "fault", fault_id)?;
        let mut v = Violations::default();
        let part_name = v.check(check_text("part_name", &input.part_name, 1, 200));
        let part_number = input
            .part_number
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .and_then(|s| v.check(check_text("part_number", s, 1, 80)));
        if !(1..=MAX_QUANTITY).contains(&input.quantity) {
            v.check::<()>(Err(Violation::new("quantity", "out_of_range", format!("must be 1 to {MAX_QUANTITY}"))));
        }
        let supplier = v.check(check_text("supplier", &input.supplier, 1, 200));
        if !(0..=MAX_UNIT_MINOR).contains(&input.supplier_unit_price_minor) {
            v.check::<()>(Err(Violation::new(
                "supplier_unit_price_minor",
                "out_of_range",
                format!("must be 0 to {MAX_UNIT_MINOR} minor units"),
            )));
        }
        let currency = v.check(check_currency("currency", &input.currency));
        v.finish()?;
        let (Some(part_name), Some(supplier), Some(currency)) = (part_name, supplier, currency) else {
            return Err(Error::Internal("checked parts order fields".into()));
        };
        let id = input.id.unwrap_or_else(|| self.deps.ids.id());
        tx.lock_scope(company, &format!("vessel:{}", fault.vessel_id)).await?;
        if let Some(existing) = tx.parts_order(company, id).await? {
            let same = existing.fault_id == fault_id
                && existing.requested_by == actor.user_id
                && existing.part_name == part_name
                && existing.part_number == part_number
                && existing.quantity == input.quantity
                && supplier_key(&existing.supplier) == supplier_key(&supplier)
                && existing.supplier_unit_minor == input.supplier_unit_price_minor
                && existing.currency == currency;
            return if same { Ok(Ordered { order: existing, created: false }) } else { Err(id_taken(id)) };
        }
        let fault = tx.fault(company, fault_id).await?.ok_or(Error::NotFound)?;
        require_unresolved(&fault)?;
        let supplier = self.purchasing.supplier_named(tx, Some(actor), company, &supplier, &currency).await?;
        let raise = RaiseRequisition {
            id: RequisitionId(id.0),
            vessel_id: fault.vessel_id,
            part_id: None,
            part_name: Some(part_name),
            part_number,
            unit: None,
            quantity: input.quantity.to_string(),
            work_order_id: None,
            fault_id: Some(fault_id),
            supplier_id: Some(supplier.id),
            supplier_unit_price_minor: Some(input.supplier_unit_price_minor),
            currency: Some(currency),
            needed_by: None,
            note: None,
        };
        self.purchasing.raise_as(uow, actor, &raise, true).await.map_err(|e| match e {
            Error::Conflict { code: "id_taken", .. } => id_taken(id),
            e => e,
        })?;
        let order = uow.tx.parts_order(company, id).await?.ok_or(Error::NotFound)?;
        Ok(Ordered { order, created: true })
    }

    async fn set_status(&self, uow: &mut UnitOfWork, actor: &Actor, input: &SetPartsOrderStatus) -> Result<PartsOrder> {
        let id = input.order_id;
        let company = actor.company_id;
        let first = self.visible(&mut uow.tx, actor, id).await?;
        actor.permit(Action::PartsManage, "parts_order", id)?;
        let scope = format!("vessel:{}", first.vessel_id);
        uow.tx.lock_scope(company, &scope).await?;
        let before = self.visible(&mut uow.tx, actor, id).await?;
        let valid = check_order_transition(before.status, input.status);
        let m = StatusMove {
            scope,
            entity: "requisition",
            row: id.0,
            from: (before.status.as_str(), before.status.rank()),
            to: (input.status.as_str(), input.status.rank()),
            reopens: false,
            valid: valid.is_ok(),
        };
        if !uow.status_applies(&self.deps, actor, m).await? {
            return Ok(before);
        }
        valid.map_err(conflict)?;
        // Decided here, in the old lifecycle's terms: the flow's own moves below apply as an
        // online write would.
        let sync = uow.sync.take();
        let moved = self.move_in_flow(uow, actor, RequisitionId(id.0), input.status).await;
        uow.sync = sync;
        moved?;
        uow.tx.parts_order(company, id).await?.ok_or(Error::NotFound)
    }

    /// The purchasing flow's moves for a parts order's move to `to` (checked by the old
    /// lifecycle before).
    async fn move_in_flow(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        id: RequisitionId,
        to: PartsOrderStatus,
    ) -> Result<()> {
        let p = &self.purchasing;
        let r = uow.tx.requisition(actor.company_id, id).await?.ok_or(Error::NotFound)?;
        let on_order = || {
            r.purchase_order_id.ok_or_else(|| Error::Conflict {
                code: "invalid_transition",
                message: format!("parts order {id} is on no purchase order"),
            })
        };
        match to {
            PartsOrderStatus::Requested => Err(Error::Internal("no move leads back to requested".into())),
            PartsOrderStatus::Approved => p.decide(uow, actor, id, true, None).await.map(drop),
            PartsOrderStatus::Ordered => {
                let supplier_id = r.requisition.supplier_id.ok_or_else(|| {
                    Error::from(Violation::new("supplier_id", "incomplete", "the requisition names no supplier"))
                })?;
                let order = CreatePurchaseOrder {
                    id: self.deps.ids.id(),
                    vessel_id: r.requisition.vessel_id,
                    supplier_id,
                    currency: r.requisition.pricing.as_ref().map(|x| x.currency.clone()),
                    expected_on: None,
                    note: None,
                    lines: vec![NewOrderLine {
                        id: self.deps.ids.id(),
                        requisition_id: Some(id),
                        part_id: None,
                        part_name: None,
                        part_number: None,
                        unit: None,
                        quantity: None,
                        supplier_unit_price_minor: None,
                    }],
                };
                let made = p.create_order(uow, actor, &order).await?;
                let sent =
                    SetPurchaseOrderStatus { purchase_order_id: made.head.id, status: PurchaseOrderStatus::Sent };
                p.set_order_status(uow, actor, &sent).await.map(drop)
            }
            PartsOrderStatus::Shipped => {
                let shipped =
                    SetPurchaseOrderStatus { purchase_order_id: on_order()?, status: PurchaseOrderStatus::Shipped };
                p.set_order_status(uow, actor, &shipped).await.map(drop)
            }
            PartsOrderStatus::Received => {
                let order = on_order()?;
                let lines = uow.tx.order_lines(actor.company_id, order).await?;
                let line = lines.iter().find(|l| l.line.requisition_id == Some(id)).ok_or(Error::NotFound)?;
                let receipt = ReceivePurchaseOrder {
                    id: self.deps.ids.id(),
                    purchase_order_id: order,
                    location_id: None,
                    lines: vec![ReceivedLine {
                        line_id: line.line.id,
                        quantity: line.line.outstanding().to_string(),
                        entry_id: None,
                    }],
                    note: None,
                };
                p.receive(uow, actor, &receipt).await.map(drop)
            }
            PartsOrderStatus::Cancelled => {
                if r.requisition.status == RequisitionStatus::Ordered {
                    let order = on_order()?;
                    if uow.tx.order_lines(actor.company_id, order).await?.len() != 1 {
                        return Err(Error::Conflict {
                            code: "invalid_transition",
                            message: format!("parts order {id} shares its purchase order; cancel the purchase order"),
                        });
                    }
                    let cancel =
                        SetPurchaseOrderStatus { purchase_order_id: order, status: PurchaseOrderStatus::Cancelled };
                    p.set_order_status(uow, actor, &cancel).await?;
                }
                p.cancel(uow, actor, &CancelRequisition { requisition_id: id }).await.map(drop)
            }
        }
    }

    /// Orders the caller may see, newest first.
    pub async fn list(
        &self,
        actor: &Actor,
        query: PartsQuery,
        page: Page<PartsOrderId>,
    ) -> Result<(Vec<PartsOrder>, Option<PartsOrderId>)> {
        actor.require(Action::PartsRead)?;
        let filter = PartsOrderFilter {
            scope: self.deps.scope_for(actor, query.vessel),
            fault: query.fault,
            statuses: query.statuses,
        };
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let rows =
            tx.list_parts_orders(actor.company_id, &filter, Page { after: page.after, limit: page.limit + 1 }).await?;
        Ok(crate::page_of(rows, page.limit, |o| o.id))
    }

    async fn visible(&self, tx: &mut Box<dyn Tx>, actor: &Actor, id: PartsOrderId) -> Result<PartsOrder> {
        let o = tx.parts_order(actor.company_id, id).await?.ok_or(Error::NotFound)?;
        if !self.deps.sees_vessel(tx, actor, o.vessel_id).await? {
            return Err(Error::NotFound);
        }
        Ok(o)
    }
}
