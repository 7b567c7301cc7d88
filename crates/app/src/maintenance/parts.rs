//! Parts orders: what a fault needs from a supplier, priced for the customer with the
//! company's markup, and their way from requested to received.
//!
//! Rules kept here (see `docs/ARCHITECTURE.md`, "Parts orders"):
//! - the customer unit price is [`customer_unit_price`] of the supplier unit price at the
//!   company's markup when ordered; the markup is kept on the order, so a later change of the
//!   company's markup never reprices it;
//! - ordering parts for a fault in progress moves it to awaiting parts; receiving parts moves
//!   nothing (someone has to fit them and say so);
//! - a resolved or closed fault takes no new orders.

use bosun_domain::fault::FaultStatus;
use bosun_domain::parts::{PartsOrder, PartsOrderStatus, check_currency, customer_unit_price};
use bosun_domain::permissions::Action;
use bosun_domain::{FaultId, PartsOrderId, VesselId, Violation, check_text};
use bosun_store::{Page, PartsOrderFilter, Tx};
use chrono::DateTime;
use serde::Deserialize;
use serde_json::json;

use crate::conflicts::StatusMove;
use crate::maintenance::faults::{FaultService, fault_event, require_unresolved, unchanged_since};
use crate::realtime::LiveEvent;
use crate::vessel_change;
use crate::work::{UnitOfWork, mutator};
use crate::{Actor, Audit, Deps, Error, Result, Violations, id_race};

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

/// A parts order's fields as its change-log row carries them.
pub fn order_json(o: &PartsOrder) -> serde_json::Value {
    json!({
        "id": o.id, "fault_id": o.fault_id, "vessel_id": o.vessel_id, "part_name": o.part_name,
        "part_number": o.part_number, "quantity": o.quantity, "supplier": o.supplier,
        "supplier_unit_price_minor": o.supplier_unit_minor, "customer_unit_price_minor": o.customer_unit_minor,
        "currency": o.currency, "markup_basis_points": o.markup_bp, "status": o.status.as_str(),
        "requested_by": o.requested_by, "status_changed_at": o.status_changed_at,
    })
}

/// The live event for a changed order: no prices (anyone on the vessel may receive it).
fn order_event(o: &PartsOrder, at: DateTime<chrono::Utc>) -> LiveEvent {
    LiveEvent {
        company_id: o.company_id,
        vessel_id: Some(o.vessel_id),
        kind: "parts_order.changed".into(),
        entity_id: o.id.0,
        summary: json!({
            "id": o.id, "fault_id": o.fault_id, "part_name": o.part_name, "quantity": o.quantity,
            "status": o.status.as_str(), "vessel_id": o.vessel_id,
        }),
        at,
    }
}

/// Parts order use cases.
#[derive(Clone)]
pub struct PartsService {
    /// The store, clock and event hub it works with.
    pub deps: Deps,
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

impl PartsService {
    async fn order(&self, uow: &mut UnitOfWork, actor: &Actor, input: &OrderParts) -> Result<Ordered> {
        let fault_id = input.fault_id;
        let tx = &mut uow.tx;
        let fault = tx.fault(actor.company_id, fault_id).await?.ok_or(Error::NotFound)?;
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
        if let Some(id) = input.id
            && let Some(existing) = tx.parts_order(actor.company_id, id).await?
        {
            let same = existing.fault_id == fault_id
                && existing.requested_by == actor.user_id
                && existing.part_name == part_name
                && existing.part_number == part_number
                && existing.quantity == input.quantity
                && existing.supplier == supplier
                && existing.supplier_unit_minor == input.supplier_unit_price_minor
                && existing.currency == currency;
            return if same { Ok(Ordered { order: existing, created: false }) } else { Err(id_taken(id)) };
        }
        require_unresolved(&fault)?;

        let company = tx.company_by_id(actor.company_id).await?.ok_or(Error::NotFound)?;
        let now = self.deps.clock.now();
        let mut order = PartsOrder {
            id: input.id.unwrap_or_else(|| self.deps.ids.id()),
            company_id: actor.company_id,
            fault_id,
            vessel_id: fault.vessel_id,
            part_name,
            part_number,
            quantity: input.quantity,
            supplier,
            supplier_unit_minor: input.supplier_unit_price_minor,
            customer_unit_minor: customer_unit_price(input.supplier_unit_price_minor, company.parts_markup),
            currency,
            markup_bp: company.parts_markup.0,
            status: PartsOrderStatus::Requested,
            requested_by: actor.user_id,
            status_changed_at: now,
            version: 0,
            created_at: now,
            updated_at: now,
        };
        let fields = order_json(&order);
        order.version = tx
            .record_change(
                actor.company_id,
                &vessel_change(order.vessel_id, "parts_order", order.id.0, "insert", fields.clone(), now),
            )
            .await?;
        // Resolved or changed by someone else since it was read above: refused, as a change of
        // the fault itself would be.
        unchanged_since(tx, actor, &fault).await?;
        tx.insert_parts_order(&order).await.map_err(id_race)?;
        self.deps
            .audit(
                tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("parts.request", "parts_order", order.id).after(fields),
            )
            .await?;
        uow.publish(order_event(&order, now));
        // Work stops until the parts arrive.
        if fault.status == FaultStatus::InProgress
            && let Ok(after) = fault.move_to(FaultStatus::AwaitingParts)
        {
            let moved = FaultService::save(&self.deps, &mut uow.tx, actor, &fault, after, "fault.status").await?;
            uow.publish(fault_event("fault.changed", &moved, now));
        }
        Ok(Ordered { order, created: true })
    }

    async fn set_status(&self, uow: &mut UnitOfWork, actor: &Actor, input: &SetPartsOrderStatus) -> Result<PartsOrder> {
        let id = input.order_id;
        let mut before = self.visible(&mut uow.tx, actor, id).await?;
        actor.permit(Action::PartsManage, "parts_order", id)?;
        let scope = format!("vessel:{}", before.vessel_id);
        if uow.hold_scope(actor.company_id, &scope).await? {
            before = self.visible(&mut uow.tx, actor, id).await?;
        }
        let now = self.deps.clock.now();
        let after = before.advance(input.status, now);
        let m = StatusMove {
            scope,
            entity: "parts_order",
            row: id.0,
            from: (before.status.as_str(), before.status.rank()),
            to: (input.status.as_str(), input.status.rank()),
            reopens: false,
            valid: after.is_ok(),
        };
        if !uow.status_applies(&self.deps, actor, m).await? {
            return Ok(before);
        }
        let mut after = after.map_err(|v| Error::Conflict { code: v.code, message: v.message })?;
        let tx = &mut uow.tx;
        let fields = order_json(&after);
        after.version = tx
            .record_change(
                actor.company_id,
                &vessel_change(after.vessel_id, "parts_order", id.0, "update", fields.clone(), now),
            )
            .await?;
        // The change-log row locked the vessel's sequence: a concurrent move shows here.
        let current = tx.parts_order(actor.company_id, id).await?.ok_or(Error::NotFound)?;
        if current.version != before.version {
            return Err(Error::Conflict {
                code: "version_conflict",
                message: format!("parts order {id} changed meanwhile; read it again and retry"),
            });
        }
        let saved = tx.update_parts_order(&after).await?;
        self.deps
            .audit(
                tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("parts.status", "parts_order", id).before(order_json(&before)).after(fields),
            )
            .await?;
        uow.publish(order_event(&saved, now));
        Ok(saved)
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
        let mut rows =
            tx.list_parts_orders(actor.company_id, &filter, Page { after: page.after, limit: page.limit + 1 }).await?;
        let next = if rows.len() > page.limit as usize {
            rows.truncate(page.limit as usize);
            rows.last().map(|o| o.id)
        } else {
            None
        };
        Ok((rows, next))
    }

    async fn visible(&self, tx: &mut Box<dyn Tx>, actor: &Actor, id: PartsOrderId) -> Result<PartsOrder> {
        let o = tx.parts_order(actor.company_id, id).await?.ok_or(Error::NotFound)?;
        if !self.deps.sees_vessel(tx, actor, o.vessel_id).await? {
            return Err(Error::NotFound);
        }
        Ok(o)
    }
}
