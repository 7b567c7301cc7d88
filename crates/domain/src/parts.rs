//! Parts orders: what a fault needs from a supplier, priced for the customer with the
//! company's markup.
//!
//! Money is integer minor units (cents) with an ISO 4217 currency. The customer unit price is
//! the supplier unit price times (1 + markup), rounded half away from zero to a whole minor
//! unit; line totals are unit price × quantity, so totals always equal the sum of what an
//! invoice shows per unit.

use chrono::{DateTime, Utc};

use crate::company::MarkupBasisPoints;
use crate::equipment::text_enum;
use crate::{CompanyId, FaultId, PartsOrderId, UserId, VesselId, Violation};

text_enum!(
    /// Where a parts order stands.
    PartsOrderStatus, "status", {
        /// Asked for by the crew.
        Requested => "requested",
        /// Approved by a manager.
        Approved => "approved",
        /// Ordered from the supplier.
        Ordered => "ordered",
        /// On its way.
        Shipped => "shipped",
        /// Arrived on board.
        Received => "received",
        /// Not going ahead.
        Cancelled => "cancelled",
    }
);

impl PartsOrderStatus {
    /// How far along its lifecycle the status is, for concurrent offline moves (as
    /// [`crate::fault::FaultStatus::rank`]). Cancelled is final: it ranks above every other.
    pub fn rank(self) -> u8 {
        match self {
            Self::Requested => 0,
            Self::Approved => 1,
            Self::Ordered => 2,
            Self::Shipped => 3,
            Self::Received => 4,
            Self::Cancelled => 5,
        }
    }
}

/// Parts ordered for a fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartsOrder {
    /// Its id.
    pub id: PartsOrderId,
    /// Its company.
    pub company_id: CompanyId,
    /// The fault it serves.
    pub fault_id: FaultId,
    /// The fault's vessel.
    pub vessel_id: VesselId,
    /// Part name.
    pub part_name: String,
    /// Part number.
    pub part_number: Option<String>,
    /// How many.
    pub quantity: i64,
    /// Supplier.
    pub supplier: String,
    /// Supplier price per unit, minor units.
    pub supplier_unit_minor: i64,
    /// Customer price per unit, minor units (supplier price plus markup).
    pub customer_unit_minor: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// The markup applied, basis points (kept: the company's markup may change later).
    pub markup_bp: i64,
    /// Where it stands.
    pub status: PartsOrderStatus,
    /// Who asked for it.
    pub requested_by: UserId,
    /// When the status last changed.
    pub status_changed_at: DateTime<Utc>,
    /// Server sequence of its last change.
    pub version: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl PartsOrder {
    /// Moved to `to` at `at`, when that is a move of the order's lifecycle
    /// ([`check_order_transition`]).
    pub fn advance(&self, to: PartsOrderStatus, at: DateTime<Utc>) -> Result<Self, Violation> {
        check_order_transition(self.status, to)?;
        Ok(Self { status: to, status_changed_at: at, updated_at: at, ..self.clone() })
    }
}

/// Checks a move of a parts order.
pub fn check_order_transition(from: PartsOrderStatus, to: PartsOrderStatus) -> Result<(), Violation> {
    use PartsOrderStatus::*;
    let ok = matches!(
        (from, to),
        (Requested, Approved)
            | (Approved, Ordered)
            | (Ordered, Shipped)
            | (Shipped, Received)
            | (Requested | Approved | Ordered, Cancelled)
    );
    if ok {
        Ok(())
    } else {
        Err(Violation::new("status", "invalid_transition", format!("a parts order cannot go from {from} to {to}")))
    }
}

/// The customer unit price for a supplier unit price, in minor units.
pub fn customer_unit_price(supplier_minor: i64, markup: MarkupBasisPoints) -> i64 {
    let scaled = i128::from(supplier_minor) * i128::from(10_000 + markup.0);
    // Half away from zero.
    let rounded = if scaled >= 0 { (scaled + 5_000) / 10_000 } else { (scaled - 5_000) / 10_000 };
    i64::try_from(rounded).unwrap_or(i64::MAX)
}

/// Checks a currency code: three uppercase letters.
pub fn check_currency(field: &str, code: &str) -> Result<String, Violation> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(code.to_owned())
    } else {
        Err(Violation::new(field, "invalid_currency", "must be an ISO 4217 code such as EUR"))
    }
}

#[cfg(test)]
mod tests {
    use super::PartsOrderStatus::*;
    use super::*;

    #[test]
    fn the_default_markup_adds_twenty_percent() {
        assert_eq!(customer_unit_price(10_000, MarkupBasisPoints::DEFAULT), 12_000);
    }

    #[test]
    fn rounding_is_half_away_from_zero_to_whole_minor_units() {
        // 12.5 % of 1 cent = 0.125 → 1.125 → 1; of 4 cents = 4.5 → 5.
        assert_eq!(customer_unit_price(1, MarkupBasisPoints(1250)), 1);
        assert_eq!(customer_unit_price(4, MarkupBasisPoints(1250)), 5);
        assert_eq!(customer_unit_price(333, MarkupBasisPoints(1500)), 383); // 382.95
        assert_eq!(customer_unit_price(0, MarkupBasisPoints::DEFAULT), 0);
    }

    #[test]
    fn orders_move_forward_or_get_cancelled_before_shipping() {
        assert!(check_order_transition(Requested, Approved).is_ok());
        assert!(check_order_transition(Ordered, Cancelled).is_ok());
        assert!(check_order_transition(Shipped, Cancelled).is_err());
        assert!(check_order_transition(Received, Requested).is_err());
        assert!(check_order_transition(Requested, Ordered).is_err());
    }

    #[test]
    fn currencies_are_three_capitals() {
        assert!(check_currency("currency", "EUR").is_ok());
        assert!(check_currency("currency", "eur").is_err());
        assert!(check_currency("currency", "EURO").is_err());
    }
}
