//! Purchasing: requisitions, their approval, purchase orders to suppliers, and receipts
//! (partial ones too) that bring parts into stock.
//!
//! ```text
//! requisition: requested → approved → ordered → partially_received → received
//!              requested → rejected;  requested | approved → cancelled
//! purchase order: draft → sent → shipped → partially_received → received
//!                 (sent → partially_received too); draft | sent → cancelled
//! ```
//!
//! A requisition asks for one part (from the catalogue, or named when it is not listed) for a
//! vessel, a work order or a fault; a purchase order gathers approved requisitions as its lines.
//! Prices are priced as parts orders are ([`crate::parts::customer_unit_price`]), and a fault's
//! parts order maps onto exactly one requisition and, once ordered, one purchase-order line
//! ([`migrate_parts_order`]), keeping its id, prices, markup, supplier and status.

use chrono::{DateTime, NaiveDate, Utc};

use crate::equipment::text_enum;
use crate::parts::{PartsOrder, PartsOrderStatus};
use crate::stock::Quantity;
use crate::{
    CompanyId, FaultId, PartId, PurchaseOrderId, PurchaseOrderLineId, RequisitionId, SupplierId, UserId, VesselId,
    Violation, WorkOrderId,
};

text_enum!(
    /// Where a requisition stands.
    RequisitionStatus, "status", {
        /// Asked for.
        Requested => "requested",
        /// Approved for ordering.
        Approved => "approved",
        /// On a purchase order.
        Ordered => "ordered",
        /// Some received.
        PartiallyReceived => "partially_received",
        /// All received.
        Received => "received",
        /// Refused by the approver.
        Rejected => "rejected",
        /// Withdrawn before ordering.
        Cancelled => "cancelled",
    }
);

impl RequisitionStatus {
    /// How far along its lifecycle the status is, for concurrent offline moves; rejected and
    /// cancelled are final.
    pub fn rank(self) -> u8 {
        match self {
            Self::Requested => 0,
            Self::Approved => 1,
            Self::Ordered => 2,
            Self::PartiallyReceived => 3,
            Self::Received => 4,
            Self::Rejected | Self::Cancelled => 5,
        }
    }
}

/// Checks a move of a requisition.
pub fn check_requisition_transition(from: RequisitionStatus, to: RequisitionStatus) -> Result<(), Violation> {
    use RequisitionStatus::*;
    let ok = matches!(
        (from, to),
        (Requested, Approved | Rejected | Cancelled)
            | (Approved, Ordered | Cancelled)
            | (Ordered, Approved)
            | (Ordered | PartiallyReceived, PartiallyReceived | Received)
    );
    if ok {
        Ok(())
    } else {
        Err(Violation::new("status", "invalid_transition", format!("a requisition cannot go from {from} to {to}")))
    }
}

text_enum!(
    /// Where a purchase order stands.
    PurchaseOrderStatus, "status", {
        /// Being put together.
        Draft => "draft",
        /// Sent to the supplier.
        Sent => "sent",
        /// On its way (the supplier says).
        Shipped => "shipped",
        /// Some lines received, or some of a line.
        PartiallyReceived => "partially_received",
        /// Everything received.
        Received => "received",
        /// Not going ahead (before anything was received).
        Cancelled => "cancelled",
    }
);

impl PurchaseOrderStatus {
    /// Whether goods may be received against it.
    pub fn is_receivable(self) -> bool {
        matches!(self, Self::Sent | Self::Shipped | Self::PartiallyReceived)
    }

    /// How far along its lifecycle the status is, for concurrent offline moves; cancelled is
    /// final.
    pub fn rank(self) -> u8 {
        match self {
            Self::Draft => 0,
            Self::Sent => 1,
            Self::Shipped => 2,
            Self::PartiallyReceived => 3,
            Self::Received => 4,
            Self::Cancelled => 5,
        }
    }
}

/// Checks a move of a purchase order made by a person (receipts move it by
/// [`PurchaseOrder::receive`]).
pub fn check_order_transition(from: PurchaseOrderStatus, to: PurchaseOrderStatus) -> Result<(), Violation> {
    use PurchaseOrderStatus::*;
    let ok = matches!((from, to), (Draft, Sent) | (Sent, Shipped) | (Draft | Sent, Cancelled));
    if ok {
        Ok(())
    } else {
        Err(Violation::new("status", "invalid_transition", format!("a purchase order cannot go from {from} to {to}")))
    }
}

/// A supplier of the company (company scope; its name unique by [`supplier_key`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supplier {
    /// Its id.
    pub id: SupplierId,
    /// Its company.
    pub company_id: CompanyId,
    /// Name, 1–200 characters.
    pub name: String,
    /// Contact person.
    pub contact: Option<String>,
    /// E-mail address for orders.
    pub email: Option<String>,
    /// Telephone.
    pub phone: Option<String>,
    /// Postal address, printed on purchase orders.
    pub address: Option<String>,
    /// The currency it invoices in (orders default to it).
    pub currency: String,
    /// Server sequence of its last change.
    pub version: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// What is asked for: a catalogue part, or one named because it is not listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartRef {
    /// A part of the catalogue.
    Catalogue(PartId),
    /// A part not in the catalogue (and every migrated parts order).
    Unlisted {
        /// Name.
        name: String,
        /// Part number.
        number: Option<String>,
    },
}

/// Prices of a requisition or an order line (restricted by the field policy as parts orders'
/// are): supplier unit price, the markup applied and the customer unit price, in minor units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pricing {
    /// Supplier price per unit.
    pub supplier_unit_minor: i64,
    /// Markup applied, basis points (kept: the company's may change).
    pub markup_bp: i64,
    /// Customer price per unit.
    pub customer_unit_minor: i64,
    /// ISO 4217 currency.
    pub currency: String,
}

/// A requisition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requisition {
    /// Its id (a migrated parts order keeps its own).
    pub id: RequisitionId,
    /// Its company.
    pub company_id: CompanyId,
    /// The vessel it is for (its sync scope).
    pub vessel_id: VesselId,
    /// The part.
    pub part: PartRef,
    /// How many (whole parts orders become whole units).
    pub quantity: Quantity,
    /// The work order it serves.
    pub work_order_id: Option<WorkOrderId>,
    /// The fault it serves.
    pub fault_id: Option<FaultId>,
    /// The supplier proposed.
    pub supplier_id: Option<SupplierId>,
    /// Prices as estimated when asked.
    pub pricing: Option<Pricing>,
    /// When needed on board.
    pub needed_by: Option<NaiveDate>,
    /// Where it stands.
    pub status: RequisitionStatus,
    /// Who asked.
    pub requested_by: UserId,
    /// Who approved or rejected it.
    pub decided_by: Option<UserId>,
    /// When its status last changed.
    pub status_changed_at: DateTime<Utc>,
}

impl Requisition {
    /// Back to approved when its purchase order is cancelled before anything arrived, so
    /// that it can be ordered again.
    pub fn release(&self, at: DateTime<Utc>) -> Result<Self, Violation> {
        check_requisition_transition(self.status, RequisitionStatus::Approved)?;
        Ok(Self { status: RequisitionStatus::Approved, status_changed_at: at, ..self.clone() })
    }

    /// Cancelled by its requester or a manager (`cancel_requisition.v1`), before it is ordered.
    pub fn cancel(&self, at: DateTime<Utc>) -> Result<Self, Violation> {
        check_requisition_transition(self.status, RequisitionStatus::Cancelled)?;
        Ok(Self { status: RequisitionStatus::Cancelled, status_changed_at: at, ..self.clone() })
    }

    /// Its status once `received` of its quantity has arrived on its order line.
    pub fn received(&self, received: Quantity, at: DateTime<Utc>) -> Result<Self, Violation> {
        let to =
            if received >= self.quantity { RequisitionStatus::Received } else { RequisitionStatus::PartiallyReceived };
        if to == self.status {
            return Ok(self.clone());
        }
        check_requisition_transition(self.status, to)?;
        Ok(Self { status: to, status_changed_at: at, ..self.clone() })
    }

    /// Approved or rejected by `by` (`approve_requisition.v1`, `reject_requisition.v1`): never
    /// by the person who asked.
    pub fn decide(&self, approve: bool, by: UserId, at: DateTime<Utc>) -> Result<Self, Violation> {
        let to = if approve { RequisitionStatus::Approved } else { RequisitionStatus::Rejected };
        check_requisition_transition(self.status, to)?;
        if by == self.requested_by {
            return Err(Violation::new("decided_by", "self_approval", "a requisition is decided by someone else"));
        }
        Ok(Self { status: to, decided_by: Some(by), status_changed_at: at, ..self.clone() })
    }
}

/// A line of a purchase order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLine {
    /// Its id.
    pub id: PurchaseOrderLineId,
    /// The requisition it fills.
    pub requisition_id: Option<RequisitionId>,
    /// The part.
    pub part: PartRef,
    /// How many ordered.
    pub ordered: Quantity,
    /// How many received so far (the sum of its receipts).
    pub received: Quantity,
    /// Prices.
    pub pricing: Pricing,
}

impl OrderLine {
    /// What is still to come.
    pub fn outstanding(&self) -> Quantity {
        Quantity((self.ordered.0 - self.received.0).max(0))
    }
}

/// A purchase order to one supplier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseOrder {
    /// Its id.
    pub id: PurchaseOrderId,
    /// Its company.
    pub company_id: CompanyId,
    /// The vessel it delivers to (its sync scope).
    pub vessel_id: VesselId,
    /// The supplier.
    pub supplier_id: SupplierId,
    /// The order's currency: every line's.
    pub currency: String,
    /// When delivery is expected.
    pub expected_on: Option<NaiveDate>,
    /// Its lines.
    pub lines: Vec<OrderLine>,
    /// Where it stands.
    pub status: PurchaseOrderStatus,
}

/// Why a receipt is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    /// Not sent yet, already received or cancelled.
    #[error("nothing can be received on a purchase order that is {status}")]
    NotReceivable {
        /// Its status.
        status: PurchaseOrderStatus,
    },
    /// No such line on the order.
    #[error("the purchase order has no such line")]
    UnknownLine,
    /// More than is outstanding on the line.
    #[error("{asked} received, {outstanding} outstanding")]
    OverReceipt {
        /// Still to come.
        outstanding: Quantity,
        /// Received.
        asked: Quantity,
    },
}

impl ReceiptError {
    /// A stable code for API answers and sync rejections.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotReceivable { .. } => "not_receivable",
            Self::UnknownLine => "unknown_line",
            Self::OverReceipt { .. } => "over_receipt",
        }
    }
}

impl PurchaseOrder {
    /// Checks a new order's lines (`create_purchase_order.v1`): at least one, at most 200,
    /// every line in the order's currency.
    pub fn check_lines(&self) -> Result<(), Violation> {
        if self.lines.is_empty() || self.lines.len() > 200 {
            return Err(Violation::new("lines", "line_count", "a purchase order has 1 to 200 lines"));
        }
        if let Some(i) = self.lines.iter().position(|l| l.pricing.currency != self.currency) {
            return Err(Violation::new(
                format!("lines.{i}.currency"),
                "mixed_currency",
                "every line in the order's currency",
            ));
        }
        Ok(())
    }

    /// The supplier total in minor units: the sum of the lines' totals ([`line_total`]).
    pub fn supplier_total_minor(&self) -> i64 {
        self.lines.iter().map(|l| line_total(l.pricing.supplier_unit_minor, l.ordered)).sum()
    }

    /// The customer total in minor units: the sum of the lines' customer totals.
    pub fn customer_total_minor(&self) -> i64 {
        self.lines.iter().map(|l| line_total(l.pricing.customer_unit_minor, l.ordered)).sum()
    }

    /// Moved by a person to `to` (`set_purchase_order_status.v1`): sent, shipped or cancelled.
    pub fn advance(&self, to: PurchaseOrderStatus) -> Result<Self, Violation> {
        check_order_transition(self.status, to)?;
        Ok(Self { status: to, ..self.clone() })
    }

    /// Receives `quantities` (line id and quantity, each more than zero) in one receipt
    /// (`receive_purchase_order.v1`): refused whole if any line would be over-received. The
    /// order becomes partially received, or received once nothing is outstanding.
    pub fn receive(&self, quantities: &[(PurchaseOrderLineId, Quantity)]) -> Result<Self, ReceiptError> {
        if !self.status.is_receivable() {
            return Err(ReceiptError::NotReceivable { status: self.status });
        }
        let mut next = self.clone();
        for (line_id, q) in quantities {
            let line = next.lines.iter_mut().find(|l| l.id == *line_id).ok_or(ReceiptError::UnknownLine)?;
            if !q.is_positive() || *q > line.outstanding() {
                return Err(ReceiptError::OverReceipt { outstanding: line.outstanding(), asked: *q });
            }
            line.received = line.received.plus(*q);
        }
        next.status = if next.lines.iter().all(|l| l.outstanding() == Quantity::ZERO) {
            PurchaseOrderStatus::Received
        } else {
            PurchaseOrderStatus::PartiallyReceived
        };
        Ok(next)
    }
}

/// Unit price × quantity in thousandths, rounded half away from zero to a minor unit.
pub fn line_total(unit_minor: i64, quantity: Quantity) -> i64 {
    let scaled = i128::from(unit_minor) * i128::from(quantity.0);
    let rounded = if scaled >= 0 { (scaled + 500) / 1000 } else { (scaled - 500) / 1000 };
    i64::try_from(rounded).unwrap_or(i64::MAX)
}

/// A supplier's name as the migration matches it: trimmed, inner spaces collapsed, case
/// folded (`" Wärtsilä  Norway "` and `"wärtsilä norway"` are one supplier).
pub fn supplier_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A parts order as the new flow holds it: its requisition, and its purchase-order status
/// once it was ordered (the order then has one line, the requisition's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigratedOrder {
    /// The requisition (same id as the parts order).
    pub requisition: Requisition,
    /// The purchase order's status, when the parts order had been ordered.
    pub order_status: Option<PurchaseOrderStatus>,
}

/// The requisition and purchase-order status of a fault's parts order, losing nothing: id,
/// vessel, fault, part name and number, quantity, supplier (matched by [`supplier_key`]),
/// prices with their markup and currency, requester, status and its time.
pub fn migrate_parts_order(o: &PartsOrder, supplier_id: SupplierId) -> MigratedOrder {
    use PartsOrderStatus as P;
    let (status, order_status) = match o.status {
        P::Requested => (RequisitionStatus::Requested, None),
        P::Approved => (RequisitionStatus::Approved, None),
        P::Ordered => (RequisitionStatus::Ordered, Some(PurchaseOrderStatus::Sent)),
        P::Shipped => (RequisitionStatus::Ordered, Some(PurchaseOrderStatus::Shipped)),
        P::Received => (RequisitionStatus::Received, Some(PurchaseOrderStatus::Received)),
        P::Cancelled => (RequisitionStatus::Cancelled, None),
    };
    let requisition = Requisition {
        id: RequisitionId(o.id.0),
        company_id: o.company_id,
        vessel_id: o.vessel_id,
        part: PartRef::Unlisted { name: o.part_name.clone(), number: o.part_number.clone() },
        quantity: Quantity::units(o.quantity),
        work_order_id: None,
        fault_id: Some(o.fault_id),
        supplier_id: Some(supplier_id),
        pricing: Some(Pricing {
            supplier_unit_minor: o.supplier_unit_minor,
            markup_bp: o.markup_bp,
            customer_unit_minor: o.customer_unit_minor,
            currency: o.currency.clone(),
        }),
        needed_by: None,
        status,
        requested_by: o.requested_by,
        decided_by: None,
        status_changed_at: o.status_changed_at,
    };
    MigratedOrder { requisition, order_status }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PartsOrderId;

    fn t() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-01T10:00:00Z").unwrap().with_timezone(&Utc)
    }

    fn pricing(unit: i64) -> Pricing {
        Pricing {
            supplier_unit_minor: unit,
            markup_bp: 2000,
            customer_unit_minor: unit * 12 / 10,
            currency: "EUR".into(),
        }
    }

    fn line(ordered: i64) -> OrderLine {
        OrderLine {
            id: PurchaseOrderLineId::new(),
            requisition_id: None,
            part: PartRef::Catalogue(PartId::new()),
            ordered: Quantity::units(ordered),
            received: Quantity::ZERO,
            pricing: pricing(1_000),
        }
    }

    fn order(lines: Vec<OrderLine>, status: PurchaseOrderStatus) -> PurchaseOrder {
        PurchaseOrder {
            id: PurchaseOrderId::new(),
            company_id: CompanyId::new(),
            vessel_id: VesselId::new(),
            supplier_id: SupplierId::new(),
            currency: "EUR".into(),
            expected_on: None,
            lines,
            status,
        }
    }

    #[test]
    fn partial_receipts_add_up_and_never_exceed_the_order() {
        let po = order(vec![line(10), line(2)], PurchaseOrderStatus::Sent);
        let (a, b) = (po.lines[0].id, po.lines[1].id);
        let part = po.receive(&[(a, Quantity::units(4))]).unwrap();
        assert_eq!(part.status, PurchaseOrderStatus::PartiallyReceived);
        assert_eq!(part.lines[0].outstanding(), Quantity::units(6));
        let err = part.receive(&[(b, Quantity::units(2)), (a, Quantity::units(7))]).unwrap_err();
        assert_eq!(err, ReceiptError::OverReceipt { outstanding: Quantity::units(6), asked: Quantity::units(7) });
        assert_eq!(part.lines[1].received, Quantity::ZERO, "a refused receipt changes nothing");
        let all = part.receive(&[(b, Quantity::units(2)), (a, Quantity::units(6))]).unwrap();
        assert_eq!(all.status, PurchaseOrderStatus::Received);
        assert_eq!(all.receive(&[(a, Quantity(1))]).unwrap_err().code(), "not_receivable");
        assert_eq!(part.receive(&[(PurchaseOrderLineId::new(), Quantity(1))]).unwrap_err().code(), "unknown_line");
        assert_eq!(part.receive(&[(a, Quantity::ZERO)]).unwrap_err().code(), "over_receipt");
    }

    #[test]
    fn a_draft_receives_nothing_and_cancelling_stops_at_receipt() {
        let po = order(vec![line(1)], PurchaseOrderStatus::Draft);
        assert_eq!(po.receive(&[(po.lines[0].id, Quantity(1))]).unwrap_err().code(), "not_receivable");
        use PurchaseOrderStatus::*;
        assert!(check_order_transition(Draft, Sent).is_ok());
        assert!(check_order_transition(Sent, Cancelled).is_ok());
        assert!(check_order_transition(Shipped, Cancelled).is_err());
        assert!(check_order_transition(PartiallyReceived, Cancelled).is_err());
        assert!(check_order_transition(Sent, Received).is_err(), "only receipts receive");
        assert_eq!(po.advance(Sent).unwrap().status, Sent);
        assert!(Cancelled.rank() > Received.rank() && Draft.rank() < Sent.rank());
    }

    #[test]
    fn lines_share_the_orders_currency() {
        let mut po = order(vec![line(1), line(1)], PurchaseOrderStatus::Draft);
        assert!(po.check_lines().is_ok());
        po.lines[1].pricing.currency = "USD".into();
        assert_eq!(po.check_lines().unwrap_err().field, "lines.1.currency");
        po.lines.clear();
        assert_eq!(po.check_lines().unwrap_err().code, "line_count");
    }

    #[test]
    fn totals_round_fractional_quantities_half_away() {
        assert_eq!(line_total(1_999, Quantity(2_500)), 4_998); // 4,997.5
        assert_eq!(line_total(1_000, Quantity::units(3)), 3_000);
        let po = order(vec![line(10), line(2)], PurchaseOrderStatus::Draft);
        assert_eq!(po.supplier_total_minor(), 12_000);
    }

    #[test]
    fn requisitions_are_decided_by_someone_else_once() {
        let asker = UserId::new();
        let r = Requisition {
            id: RequisitionId::new(),
            company_id: CompanyId::new(),
            vessel_id: VesselId::new(),
            part: PartRef::Catalogue(PartId::new()),
            quantity: Quantity::units(2),
            work_order_id: None,
            fault_id: None,
            supplier_id: None,
            pricing: None,
            needed_by: None,
            status: RequisitionStatus::Requested,
            requested_by: asker,
            decided_by: None,
            status_changed_at: t(),
        };
        assert_eq!(r.decide(true, asker, t()).unwrap_err().code, "self_approval");
        let approved = r.decide(true, UserId::new(), t()).unwrap();
        assert_eq!(approved.status, RequisitionStatus::Approved);
        assert_eq!(approved.decide(false, UserId::new(), t()).unwrap_err().code, "invalid_transition");
        use RequisitionStatus::*;
        assert!(check_requisition_transition(Ordered, Received).is_ok());
        assert!(check_requisition_transition(Ordered, Cancelled).is_err());
        assert!(Rejected.rank() > Received.rank());
        let ordered = Requisition { status: Ordered, ..approved.clone() };
        assert_eq!(ordered.release(t()).unwrap().status, Approved, "a cancelled order frees its requisitions");
        assert_eq!(ordered.received(Quantity::units(1), t()).unwrap().status, PartiallyReceived);
        assert_eq!(ordered.received(Quantity::units(2), t()).unwrap().status, Received);
        assert!(ordered.cancel(t()).is_err(), "an ordered requisition is not withdrawn");
        assert_eq!(approved.cancel(t()).unwrap().status, Cancelled);
    }

    #[test]
    fn every_parts_order_becomes_a_requisition_without_loss() {
        for status in PartsOrderStatus::ALL {
            let o = PartsOrder {
                id: PartsOrderId::new(),
                company_id: CompanyId::new(),
                fault_id: FaultId::new(),
                vessel_id: VesselId::new(),
                part_name: "Impeller".into(),
                part_number: Some("JP-17937".into()),
                quantity: 3,
                supplier: "Jabsco".into(),
                supplier_unit_minor: 4_150,
                customer_unit_minor: 4_980,
                currency: "NOK".into(),
                markup_bp: 2000,
                status: *status,
                requested_by: UserId::new(),
                status_changed_at: t(),
                version: 7,
                created_at: t(),
                updated_at: t(),
            };
            let supplier = SupplierId::new();
            let m = migrate_parts_order(&o, supplier);
            let r = &m.requisition;
            assert_eq!(
                (r.id.0, r.company_id, r.vessel_id, r.fault_id),
                (o.id.0, o.company_id, o.vessel_id, Some(o.fault_id))
            );
            assert_eq!(r.part, PartRef::Unlisted { name: o.part_name.clone(), number: o.part_number.clone() });
            assert_eq!(
                (r.quantity, r.supplier_id, r.requested_by),
                (Quantity::units(3), Some(supplier), o.requested_by)
            );
            let p = r.pricing.as_ref().unwrap();
            assert_eq!(
                (p.supplier_unit_minor, p.customer_unit_minor, p.markup_bp, p.currency.as_str()),
                (4_150, 4_980, 2000, "NOK")
            );
            assert_eq!(r.status_changed_at, o.status_changed_at);
            // The status is kept, and ranks keep their order (a stale move stays stale).
            let expected = match status {
                PartsOrderStatus::Requested => (RequisitionStatus::Requested, None),
                PartsOrderStatus::Approved => (RequisitionStatus::Approved, None),
                PartsOrderStatus::Ordered => (RequisitionStatus::Ordered, Some(PurchaseOrderStatus::Sent)),
                PartsOrderStatus::Shipped => (RequisitionStatus::Ordered, Some(PurchaseOrderStatus::Shipped)),
                PartsOrderStatus::Received => (RequisitionStatus::Received, Some(PurchaseOrderStatus::Received)),
                PartsOrderStatus::Cancelled => (RequisitionStatus::Cancelled, None),
            };
            assert_eq!((r.status, m.order_status), expected, "{status}");
        }
        assert_eq!(supplier_key(" Wärtsilä  Norway "), supplier_key("wärtsilä norway"));
    }
}
