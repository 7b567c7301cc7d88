//! Spare parts and stock: the company's catalogue, and the immutable stock ledger of each
//! vessel's locations from which on-hand quantities are derived.
//!
//! Nothing edits a quantity: every movement is an insert-only [`StockEntry`] with a signed
//! delta (receive +, issue −, adjust ±, transfer out − at the source and in + at the
//! destination). On-hand at a location is the sum of its entries; the store keeps that sum in a
//! balance row updated in the same transaction as each entry (ADR 0007), and [`post`] is the
//! one rule both use. Quantities are exact: thousandths of the part's unit, never floats.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::{
    CompanyId, PartId, StockBalanceId, StockEntryId, StockLocationId, StockRuleId, TransferId, UserId, VesselId,
    Violation, WorkOrderId, check_text,
};

/// A quantity of a part in thousandths of its unit (`12.5` litres is 12,500), signed so
/// that ledger deltas can be negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Quantity(pub i64);

impl Quantity {
    /// Nothing.
    pub const ZERO: Self = Self(0);

    /// The largest quantity accepted from a person: a billion units.
    pub const MAX: Self = Self(1_000_000_000_000);

    /// `n` whole units.
    pub fn units(n: i64) -> Self {
        Self(n.saturating_mul(1000))
    }

    /// Reads a decimal quantity such as `3`, `12.5` or `0.125` (at most three decimals,
    /// more than zero, at most [`Quantity::MAX`]).
    pub fn parse(field: &str, text: &str) -> Result<Self, Violation> {
        let bad = || Violation::new(field, "invalid_quantity", "must be a number with at most three decimals");
        let t = text.trim();
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        if whole.is_empty() && frac.is_empty()
            || frac.len() > 3
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || whole.len() > 13
        {
            return Err(bad());
        }
        let w: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
        let f: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<3}").parse().map_err(|_| bad())? };
        let q = Self(w * 1000 + f);
        if q.0 == 0 {
            return Err(Violation::new(field, "not_positive", "must be more than zero"));
        }
        if q > Self::MAX {
            return Err(Violation::new(field, "too_large", "is too large"));
        }
        Ok(q)
    }

    /// Reads a quantity that may be zero (a stock rule's minimum: zero is no rule).
    pub fn parse_or_zero(field: &str, text: &str) -> Result<Self, Violation> {
        match Self::parse(field, text) {
            Err(v) if v.code == "not_positive" => Ok(Self::ZERO),
            other => other,
        }
    }

    /// The quantity with the opposite sign.
    pub fn negated(self) -> Self {
        Self(-self.0)
    }

    /// Whether it is more than zero.
    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// The sum, saturating (no ledger reaches it; a saturated sum is still refused).
    pub fn plus(self, other: Self) -> Self {
        Self(self.0.saturating_add(other.0))
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let (w, r) = (self.0.unsigned_abs() / 1000, self.0.unsigned_abs() % 1000);
        if r == 0 {
            write!(f, "{sign}{w}")
        } else {
            // Thousandths without their trailing zeros: 500 → "5", 50 → "05", 7 → "007".
            let (mut digits, mut width) = (r, 3);
            while digits % 10 == 0 {
                digits /= 10;
                width -= 1;
            }
            write!(f, "{sign}{w}.{digits:0width$}")
        }
    }
}

/// A part of the company's catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Its id.
    pub id: PartId,
    /// Its company (the catalogue is the company's, synced in its company scope).
    pub company_id: CompanyId,
    /// The part number, unique in the company once normalised ([`part_number_key`]).
    pub number: String,
    /// Name.
    pub name: String,
    /// Maker.
    pub maker: Option<String>,
    /// Unit of measure ("pcs", "l", "m").
    pub unit: String,
    /// A critical spare (class or safety requires one on board).
    pub critical: bool,
    /// Parts that may be used instead.
    pub equivalents: Vec<PartId>,
    /// The sequence number of its last change in the company's scope.
    pub version: i64,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// What a vessel's stock shows of a part: enough to name it, count it and see whether it is a
/// critical spare. Its equivalents, version and times are the catalogue's ([`Part`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartSummary {
    /// Its id.
    pub id: PartId,
    /// The part number.
    pub number: String,
    /// Name.
    pub name: String,
    /// Maker.
    pub maker: Option<String>,
    /// Unit of measure.
    pub unit: String,
    /// A critical spare.
    pub critical: bool,
}

/// A place on a vessel where parts are kept (a store room, a shelf, a container).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockLocation {
    /// Its id.
    pub id: StockLocationId,
    /// Its company.
    pub company_id: CompanyId,
    /// Its vessel (its sync scope).
    pub vessel_id: VesselId,
    /// Name, unique on the vessel ignoring case ([`location_name_key`]).
    pub name: String,
    /// The location it is part of (a shelf in a store room), on the same vessel.
    pub parent_id: Option<StockLocationId>,
    /// The sequence number of its last change in the vessel's scope.
    pub version: i64,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// The form of a location name that must be unique on a vessel: trimmed, lower case.
pub fn location_name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// On hand of one part at one location: the sum of its ledger entries, kept by the store in
/// the same transaction as each entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockBalance {
    /// Its id (made when the first entry of the part at the location is posted).
    pub id: StockBalanceId,
    /// Its company.
    pub company_id: CompanyId,
    /// The vessel.
    pub vessel_id: VesselId,
    /// The location.
    pub location_id: StockLocationId,
    /// The part.
    pub part_id: PartId,
    /// On hand.
    pub on_hand: Quantity,
    /// The sequence number of its last change in the vessel's scope.
    pub version: i64,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// A part's stock rule on one vessel, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartStockRule {
    /// Its id.
    pub id: StockRuleId,
    /// Its company.
    pub company_id: CompanyId,
    /// The vessel.
    pub vessel_id: VesselId,
    /// The part.
    pub part_id: PartId,
    /// The minimum and reorder quantity.
    pub rule: StockRule,
    /// The sequence number of its last change in the vessel's scope.
    pub version: i64,
    /// When it was first set.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// The form of a part number that must be unique: trimmed, upper case, with spaces, dots and
/// hyphens removed (`"6 205-2rs"` and `"6205 2RS"` are one part).
pub fn part_number_key(number: &str) -> String {
    number.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '/')).flat_map(char::to_uppercase).collect()
}

/// What moved stock, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Movement {
    /// Received into the location (from a purchase order's receipt, or counted in at go-live).
    Receive,
    /// Issued to a work order.
    Issue {
        /// The work order the part went into.
        work_order_id: WorkOrderId,
    },
    /// Corrected after a count, damage or loss.
    Adjust {
        /// Why (required).
        reason: String,
    },
    /// Sent away on a transfer (counted in transit until received).
    TransferOut {
        /// The transfer.
        transfer_id: TransferId,
    },
    /// Received from a transfer.
    TransferIn {
        /// The transfer.
        transfer_id: TransferId,
    },
}

impl Movement {
    /// Its stored name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Receive => "receive",
            Self::Issue { .. } => "issue",
            Self::Adjust { .. } => "adjust",
            Self::TransferOut { .. } => "transfer_out",
            Self::TransferIn { .. } => "transfer_in",
        }
    }

    /// Its reason, work order and transfer, as stored beside its name.
    pub fn references(&self) -> (Option<&str>, Option<WorkOrderId>, Option<TransferId>) {
        match self {
            Self::Receive => (None, None, None),
            Self::Issue { work_order_id } => (None, Some(*work_order_id), None),
            Self::Adjust { reason } => (Some(reason), None, None),
            Self::TransferOut { transfer_id } | Self::TransferIn { transfer_id } => (None, None, Some(*transfer_id)),
        }
    }

    /// Reads a stored movement back from its name and [`Movement::references`]; `None` when
    /// the name is unknown or its reference is missing.
    pub fn from_stored(
        name: &str,
        reason: Option<String>,
        work_order_id: Option<WorkOrderId>,
        transfer_id: Option<TransferId>,
    ) -> Option<Self> {
        Some(match name {
            "receive" => Self::Receive,
            "issue" => Self::Issue { work_order_id: work_order_id? },
            "adjust" => Self::Adjust { reason: reason? },
            "transfer_out" => Self::TransferOut { transfer_id: transfer_id? },
            "transfer_in" => Self::TransferIn { transfer_id: transfer_id? },
            _ => return None,
        })
    }
}

/// One entry of the stock ledger (insert-only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockEntry {
    /// Its id (client-made when recorded offline).
    pub id: StockEntryId,
    /// Its company.
    pub company_id: CompanyId,
    /// The vessel (its sync scope).
    pub vessel_id: VesselId,
    /// The location on the vessel.
    pub location_id: StockLocationId,
    /// The part.
    pub part_id: PartId,
    /// What moved it.
    pub movement: Movement,
    /// The signed change of the location's on-hand quantity.
    pub delta: Quantity,
    /// Who recorded it.
    pub recorded_by: UserId,
    /// When it happened (device time).
    pub recorded_at: DateTime<Utc>,
}

crate::equipment::text_enum!(
    /// Whether a location may go below zero: the company's setting.
    NegativeStock, "negative_stock", {
        /// Refuse a movement that would leave less than nothing (the default).
        Refuse => "refuse",
        /// Record it anyway (the balance then shows a count is due).
        Allow => "allow",
    }
);

/// Why a stock movement is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StockError {
    /// More asked than on hand.
    #[error("only {on_hand} on hand, {asked} asked")]
    InsufficientStock {
        /// On hand before the movement.
        on_hand: Quantity,
        /// Asked for.
        asked: Quantity,
    },
    /// A transfer received twice, or more received than sent.
    #[error("{asked} received, {in_transit} in transit")]
    OverReceipt {
        /// Still in transit.
        in_transit: Quantity,
        /// Received.
        asked: Quantity,
    },
    /// A transfer to where it came from.
    #[error("a transfer goes to another location")]
    SameLocation,
}

impl StockError {
    /// A stable code for API answers and sync rejections.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InsufficientStock { .. } => "insufficient_stock",
            Self::OverReceipt { .. } => "over_receipt",
            Self::SameLocation => "same_location",
        }
    }
}

/// The signed delta of a movement of `quantity` (more than zero) for the receive, issue and
/// transfer kinds; an adjustment gives its delta itself ([`adjustment`]).
pub fn delta_of(movement: &Movement, quantity: Quantity) -> Quantity {
    match movement {
        Movement::Receive | Movement::TransferIn { .. } => quantity,
        Movement::Issue { .. } | Movement::TransferOut { .. } => quantity.negated(),
        Movement::Adjust { .. } => quantity,
    }
}

/// Checks an adjustment: a delta other than zero (`delta_text` may start with `-`) and a reason.
pub fn adjustment(delta_text: &str, reason: &str) -> Result<(Movement, Quantity), Violation> {
    let reason = check_text("reason", reason, 1, 500)?;
    let t = delta_text.trim();
    let (negative, magnitude) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let q = Quantity::parse("delta", magnitude)?;
    Ok((Movement::Adjust { reason }, if negative { q.negated() } else { q }))
}

/// The on-hand quantity after posting `delta` to a location holding `on_hand`: the one rule
/// for the balance row and for a sum over the ledger. A decrease that would leave less than
/// zero is refused unless the policy allows it; an increase always posts (it can only help).
pub fn post(on_hand: Quantity, delta: Quantity, policy: NegativeStock) -> Result<Quantity, StockError> {
    let after = on_hand.plus(delta);
    if delta.0 < 0 && after.0 < 0 && policy == NegativeStock::Refuse {
        return Err(StockError::InsufficientStock { on_hand, asked: delta.negated() });
    }
    Ok(after)
}

/// On hand at a location from its ledger entries (what the balance row must equal).
pub fn on_hand<'a>(entries: impl IntoIterator<Item = &'a StockEntry>) -> Quantity {
    entries.into_iter().fold(Quantity::ZERO, |q, e| q.plus(e.delta))
}

/// A transfer of a part between two locations (of one vessel or of two), in transit from
/// dispatch to receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// Its id.
    pub id: TransferId,
    /// The part.
    pub part_id: PartId,
    /// Where from.
    pub from: (VesselId, StockLocationId),
    /// Where to.
    pub to: (VesselId, StockLocationId),
    /// How many were sent.
    pub sent: Quantity,
    /// How many arrived, once received (less than sent: the rest was lost on the way).
    pub received: Option<Quantity>,
}

impl Transfer {
    /// Checks a new transfer (`transfer_stock.v1`): another location, a positive quantity.
    pub fn dispatch(
        id: TransferId,
        part_id: PartId,
        from: (VesselId, StockLocationId),
        to: (VesselId, StockLocationId),
        sent: Quantity,
    ) -> Result<Self, StockError> {
        if from.1 == to.1 {
            return Err(StockError::SameLocation);
        }
        Ok(Self { id, part_id, from, to, sent, received: None })
    }

    /// What is still on the way.
    pub fn in_transit(&self) -> Quantity {
        if self.received.is_some() { Quantity::ZERO } else { self.sent }
    }

    /// Received at the destination (`receive_transfer.v1`): once, at most what was sent.
    pub fn receive(&self, quantity: Quantity) -> Result<Self, StockError> {
        if !quantity.is_positive() || quantity > self.in_transit() {
            return Err(StockError::OverReceipt { in_transit: self.in_transit(), asked: quantity });
        }
        Ok(Self { received: Some(quantity), ..self.clone() })
    }

    /// What was lost on the way (sent minus received, once received).
    pub fn shortfall(&self) -> Quantity {
        self.received.map_or(Quantity::ZERO, |r| Quantity(self.sent.0 - r.0))
    }
}

/// A part's minimum and reorder quantity on one vessel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StockRule {
    /// Below this (on hand plus on order plus incoming), reorder.
    pub minimum: Quantity,
    /// How much to reorder at least.
    pub reorder: Quantity,
}

/// The quantity to ask for when `available` (on hand + ordered + incoming transfers) is below
/// the minimum: the reorder quantity, or more when that would not bring it back to the
/// minimum. `None` while stock suffices or no minimum is set.
pub fn suggested_requisition(available: Quantity, rule: StockRule) -> Option<Quantity> {
    if !rule.minimum.is_positive() || available >= rule.minimum {
        return None;
    }
    Some(rule.reorder.max(Quantity(rule.minimum.0.saturating_sub(available.0))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_movement_reads_back_from_its_stored_name_and_references() {
        let w = WorkOrderId::new();
        let t = TransferId::new();
        for m in [
            Movement::Receive,
            Movement::Issue { work_order_id: w },
            Movement::Adjust { reason: "counted".into() },
            Movement::TransferOut { transfer_id: t },
            Movement::TransferIn { transfer_id: t },
        ] {
            let (reason, work_order, transfer) = m.references();
            assert_eq!(Movement::from_stored(m.as_str(), reason.map(str::to_owned), work_order, transfer), Some(m));
        }
        assert_eq!(Movement::from_stored("issue", None, None, None), None);
        assert_eq!(Movement::from_stored("lost", None, None, None), None);
    }

    #[test]
    fn a_rule_minimum_may_be_zero_but_a_movement_may_not() {
        assert_eq!(Quantity::parse_or_zero("minimum", "0"), Ok(Quantity::ZERO));
        assert_eq!(Quantity::parse_or_zero("minimum", "2.5"), Ok(Quantity(2500)));
        assert!(Quantity::parse_or_zero("minimum", "-1").is_err());
        assert!(Quantity::parse("quantity", "0").is_err());
    }

    fn entry(delta: i64) -> StockEntry {
        StockEntry {
            id: StockEntryId::new(),
            company_id: CompanyId::new(),
            vessel_id: VesselId::new(),
            location_id: StockLocationId::new(),
            part_id: PartId::new(),
            movement: Movement::Receive,
            delta: Quantity::units(delta),
            recorded_by: UserId::new(),
            recorded_at: DateTime::parse_from_rfc3339("2026-03-01T10:00:00Z").unwrap().with_timezone(&Utc),
        }
    }

    #[test]
    fn quantities_are_exact_decimals() {
        assert_eq!(Quantity::parse("q", "12.5"), Ok(Quantity(12_500)));
        assert_eq!(Quantity::parse("q", " 3 "), Ok(Quantity::units(3)));
        assert_eq!(Quantity::parse("q", "0.125"), Ok(Quantity(125)));
        assert_eq!(Quantity::parse("q", ".5"), Ok(Quantity(500)));
        assert_eq!(Quantity::parse("q", "4."), Ok(Quantity::units(4)));
        for bad in ["", ".", "-1", "1e3", "0.1234", "1,5", "NaN", "١"] {
            assert_eq!(Quantity::parse("q", bad).unwrap_err().code, "invalid_quantity", "{bad:?}");
        }
        assert_eq!(Quantity::parse("q", "0.000").unwrap_err().code, "not_positive");
        assert_eq!(Quantity::parse("q", "1000000001").unwrap_err().code, "too_large");
        assert_eq!(Quantity(12_500).to_string(), "12.5");
        assert_eq!(Quantity(-120).to_string(), "-0.12");
        assert_eq!(Quantity::units(7).to_string(), "7");
        assert_eq!(Quantity(1_007).to_string(), "1.007");
        assert_eq!(Quantity(1_050).to_string(), "1.05");
        assert_eq!(Quantity(-5).to_string(), "-0.005");
    }

    #[test]
    fn issuing_more_than_on_hand_is_refused_unless_allowed() {
        let on = Quantity::units(3);
        let issue = delta_of(&Movement::Issue { work_order_id: WorkOrderId::new() }, Quantity::units(4));
        assert_eq!(
            post(on, issue, NegativeStock::Refuse),
            Err(StockError::InsufficientStock { on_hand: on, asked: Quantity::units(4) })
        );
        assert_eq!(post(on, issue, NegativeStock::Allow), Ok(Quantity::units(-1)));
        let all = delta_of(&Movement::Issue { work_order_id: WorkOrderId::new() }, on);
        assert_eq!(post(on, all, NegativeStock::Refuse), Ok(Quantity::ZERO), "down to zero exactly");
        // A receipt always posts, even onto a negative balance.
        assert_eq!(post(Quantity::units(-2), Quantity::units(1), NegativeStock::Refuse), Ok(Quantity::units(-1)));
    }

    #[test]
    fn adjustments_need_a_reason_and_a_nonzero_delta() {
        let (m, d) = adjustment("-2.5", "Found corroded at the count").unwrap();
        assert_eq!((m.as_str(), d), ("adjust", Quantity(-2_500)));
        assert_eq!(adjustment("+1", "Count").unwrap().1, Quantity::units(1));
        assert_eq!(adjustment("0", "Count").unwrap_err().code, "not_positive");
        assert_eq!(adjustment("-0", "Count").unwrap_err().code, "not_positive");
        assert_eq!(adjustment("2", " ").unwrap_err().code, "too_short");
        assert_eq!(adjustment("--2", "Count").unwrap_err().code, "invalid_quantity");
    }

    #[test]
    fn on_hand_is_the_sum_of_the_ledger() {
        let entries = [entry(10), entry(-3), entry(-7), entry(2)];
        assert_eq!(on_hand(&entries), Quantity::units(2));
        assert_eq!(on_hand(&[]), Quantity::ZERO);
        // The balance row, posted entry by entry, ends where the sum does.
        let posted = entries.iter().try_fold(Quantity::ZERO, |q, e| post(q, e.delta, NegativeStock::Refuse));
        assert_eq!(posted, Ok(on_hand(&entries)));
    }

    #[test]
    fn a_transfer_is_in_transit_until_received_once() {
        let (a, b) = ((VesselId::new(), StockLocationId::new()), (VesselId::new(), StockLocationId::new()));
        let t = Transfer::dispatch(TransferId::new(), PartId::new(), a, b, Quantity::units(5)).unwrap();
        assert_eq!(t.in_transit(), Quantity::units(5));
        assert_eq!(delta_of(&Movement::TransferOut { transfer_id: t.id }, t.sent), Quantity::units(-5));
        assert_eq!(t.receive(Quantity::units(6)).unwrap_err().code(), "over_receipt");
        assert!(t.receive(Quantity::ZERO).is_err());
        let got = t.receive(Quantity::units(4)).unwrap();
        assert_eq!((got.in_transit(), got.shortfall()), (Quantity::ZERO, Quantity::units(1)));
        assert_eq!(got.receive(Quantity::units(1)).unwrap_err().code(), "over_receipt", "received once");
        assert_eq!(Transfer::dispatch(t.id, t.part_id, a, a, t.sent), Err(StockError::SameLocation));
    }

    #[test]
    fn reorder_below_the_minimum() {
        let rule = StockRule { minimum: Quantity::units(4), reorder: Quantity::units(10) };
        assert_eq!(suggested_requisition(Quantity::units(4), rule), None, "at the minimum is enough");
        assert_eq!(suggested_requisition(Quantity(3_999), rule), Some(Quantity::units(10)));
        assert_eq!(suggested_requisition(Quantity::units(-20), rule), Some(Quantity::units(24)));
        let no_min = StockRule { minimum: Quantity::ZERO, reorder: Quantity::units(10) };
        assert_eq!(suggested_requisition(Quantity::units(-1), no_min), None);
        let no_reorder = StockRule { minimum: Quantity::units(2), reorder: Quantity::ZERO };
        assert_eq!(suggested_requisition(Quantity::units(1), no_reorder), Some(Quantity::units(1)));
    }

    #[test]
    fn part_numbers_compare_without_spacing_or_case() {
        assert_eq!(part_number_key("6 205-2rs"), part_number_key("6205 2RS"));
        assert_ne!(part_number_key("6205"), part_number_key("6206"));
    }

    proptest::proptest! {
        #[test]
        fn quantities_read_back_as_they_print(q in 1i64..=Quantity::MAX.0) {
            proptest::prop_assert_eq!(Quantity::parse("q", &Quantity(q).to_string()), Ok(Quantity(q)));
        }

        #[test]
        fn the_balance_never_goes_below_zero_and_equals_the_accepted_entries(
            deltas in proptest::collection::vec(-50i64..50, 0..200)
        ) {
            let mut balance = Quantity::ZERO;
            let mut accepted = Vec::new();
            for d in deltas {
                if let Ok(after) = post(balance, Quantity(d), NegativeStock::Refuse) {
                    balance = after;
                    accepted.push(StockEntry { delta: Quantity(d), ..entry(0) });
                }
                proptest::prop_assert!(balance.0 >= 0);
            }
            proptest::prop_assert_eq!(balance, on_hand(&accepted));
        }
    }
}
