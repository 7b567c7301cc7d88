//! The field policy: which fields of which entity a role may read. Routes are governed by
//! actions ([`crate::permissions`]); a few fields are too, and a person whose role lacks the
//! action receives the record with those fields left out (absent, not `null`). This is the one
//! list of them: every way data leaves the server (HTTP answers today; sync pulls, conflict
//! records and exports tomorrow) asks it, and `docs/PERMISSIONS.md`'s field table is checked
//! against it.
//!
//! Field names are the wire names, the same in API answers and in change-log rows.

use crate::permissions::Action;
use crate::person::Role;

/// A kind of record whose fields leave the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    /// A fault report.
    Fault,
    /// A parts order.
    PartsOrder,
    /// A company, as its members see it.
    Company,
    /// Time worked on a work order.
    LabourEntry,
    /// A request for a part, priced when asked by someone who reads supplier prices.
    Requisition,
    /// A purchase order to a supplier (its totals).
    PurchaseOrder,
    /// A line of a purchase order.
    PurchaseOrderLine,
}

impl Entity {
    /// The entity's name in the change log and the audit trail (`fault`, `parts_order`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fault => "fault",
            Self::PartsOrder => "parts_order",
            Self::Company => "company",
            Self::LabourEntry => "labour_entry",
            Self::Requisition => "requisition",
            Self::PurchaseOrder => "purchase_order",
            Self::PurchaseOrderLine => "purchase_order_line",
        }
    }

    /// The entity named `name` in the change log or the audit trail, when it has restricted
    /// fields.
    pub fn named(name: &str) -> Option<Self> {
        [
            Self::Fault,
            Self::PartsOrder,
            Self::Company,
            Self::LabourEntry,
            Self::Requisition,
            Self::PurchaseOrder,
            Self::PurchaseOrderLine,
        ]
        .into_iter()
        .find(|e| e.as_str() == name)
    }
}

/// A field only some roles may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// A fault's stored repair time (resolved minus observed, counted across a reopening).
    RepairSeconds,
    /// A parts order's supplier price per unit.
    SupplierUnitPrice,
    /// A parts order's supplier price for the whole quantity.
    SupplierTotal,
    /// The markup a parts order was priced with: with the customer price, it gives the
    /// supplier's.
    MarkupBasisPoints,
    /// A parts order's customer price per unit.
    CustomerUnitPrice,
    /// A parts order's customer price for the whole quantity.
    CustomerTotal,
    /// The company's parts markup: with a customer price, it gives the supplier's.
    PartsMarkupPercent,
    /// A labour entry's hourly rate: a cost to the company, like a supplier's price.
    LabourRate,
    /// A labour entry's cost (its minutes at its rate).
    LabourCost,
}

impl Field {
    /// Every restricted field.
    pub const ALL: [Self; 9] = [
        Self::RepairSeconds,
        Self::SupplierUnitPrice,
        Self::SupplierTotal,
        Self::MarkupBasisPoints,
        Self::CustomerUnitPrice,
        Self::CustomerTotal,
        Self::PartsMarkupPercent,
        Self::LabourRate,
        Self::LabourCost,
    ];

    /// Its name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            Self::RepairSeconds => "repair_seconds",
            Self::SupplierUnitPrice => "supplier_unit_price_minor",
            Self::SupplierTotal => "supplier_total_minor",
            Self::MarkupBasisPoints => "markup_basis_points",
            Self::CustomerUnitPrice => "customer_unit_price_minor",
            Self::CustomerTotal => "customer_total_minor",
            Self::PartsMarkupPercent => "parts_markup_percent",
            Self::LabourRate => "rate_minor",
            Self::LabourCost => "cost_minor",
        }
    }

    /// Other names the same value goes by in stored rows (change log, audit trail): the
    /// company's markup is kept in basis points (`parts_markup_bp`) and shown as a percent.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::PartsMarkupPercent => &["parts_markup_bp"],
            _ => &[],
        }
    }

    /// The entities it belongs to (a price goes by the same name on parts orders,
    /// requisitions and purchase-order lines).
    pub fn entities(self) -> &'static [Entity] {
        const PRICED: &[Entity] = &[Entity::PartsOrder, Entity::Requisition, Entity::PurchaseOrderLine];
        const TOTALLED: &[Entity] =
            &[Entity::PartsOrder, Entity::Requisition, Entity::PurchaseOrder, Entity::PurchaseOrderLine];
        match self {
            Self::RepairSeconds => &[Entity::Fault],
            Self::SupplierUnitPrice | Self::MarkupBasisPoints | Self::CustomerUnitPrice => PRICED,
            Self::SupplierTotal | Self::CustomerTotal => TOTALLED,
            Self::PartsMarkupPercent => &[Entity::Company],
            Self::LabourRate | Self::LabourCost => &[Entity::LabourEntry],
        }
    }

    /// The action a role needs to read it.
    pub fn permission(self) -> Action {
        match self {
            Self::RepairSeconds => Action::FaultMttrRead,
            Self::SupplierUnitPrice
            | Self::SupplierTotal
            | Self::MarkupBasisPoints
            | Self::PartsMarkupPercent
            | Self::LabourRate
            | Self::LabourCost => Action::PriceSupplierRead,
            Self::CustomerUnitPrice | Self::CustomerTotal => Action::PriceCustomerRead,
        }
    }
}

/// The actions restricted fields are read with, in fingerprint bit order (at most seven).
pub const VIEW_CLASSES: [Action; 3] = [Action::FaultMttrRead, Action::PriceSupplierRead, Action::PriceCustomerRead];

/// What one reader may see of restricted fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldPolicy {
    role: Role,
}

impl FieldPolicy {
    /// The policy for a reader in `role`.
    pub fn of(role: Role) -> Self {
        Self { role }
    }

    /// Whether the reader may read the company's people directory (its membership rows, and
    /// the sync conflicts on them).
    pub fn reads_people(self) -> bool {
        self.role.may(Action::UserList)
    }

    /// The view as one byte: a bit per class of restricted fields read ([`VIEW_CLASSES`] in
    /// order: every field is read with one of these actions), and the top bit for the people
    /// directory. Two roles that see the same fields have the same fingerprint; a sync cookie
    /// carries it so that a changed view is noticed. (It counted fields until there were more
    /// than seven; every device's view changed once then, which a pull repairs.)
    pub fn fingerprint(self) -> u8 {
        let classes =
            VIEW_CLASSES.iter().enumerate().filter(|(_, a)| self.role.may(**a)).fold(0u8, |bits, (i, _)| bits | 1 << i);
        classes | if self.reads_people() { 0x80 } else { 0 }
    }

    /// Whether the reader may read `field`.
    pub fn reads(self, field: Field) -> bool {
        self.role.may(field.permission())
    }

    /// `value` when the reader may read `field`, else nothing (the field is left out).
    pub fn shown<T>(self, field: Field, value: T) -> Option<T> {
        self.reads(field).then_some(value)
    }

    /// The fields of `entity` the reader may not read, to leave out of its rows.
    pub fn hidden(self, entity: Entity) -> impl Iterator<Item = Field> {
        Field::ALL.into_iter().filter(move |f| f.entities().contains(&entity) && !self.reads(*f))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn names_are_unique_and_every_field_is_somebodys() {
        let names: HashSet<&str> = Field::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(names.len(), Field::ALL.len());
        for f in Field::ALL {
            assert!(FieldPolicy::of(Role::Owner).reads(f), "the owner reads {f:?}");
        }
    }

    #[test]
    fn a_fingerprint_tells_views_apart_and_roles_that_see_alike_share_one() {
        assert_eq!(FieldPolicy::of(Role::Owner).fingerprint(), FieldPolicy::of(Role::Admin).fingerprint());
        assert_eq!(FieldPolicy::of(Role::Owner).fingerprint(), 0x87);
        let views: HashSet<u8> =
            [Role::Manager, Role::Engineer, Role::Crew].into_iter().map(|r| FieldPolicy::of(r).fingerprint()).collect();
        assert_eq!(views.len(), 3, "manager, engineer and crew each see differently");
    }

    #[test]
    fn crew_read_no_repair_time_and_no_price() {
        let crew = FieldPolicy::of(Role::Crew);
        assert_eq!(crew.hidden(Entity::Fault).collect::<Vec<_>>(), [Field::RepairSeconds]);
        assert_eq!(crew.hidden(Entity::PartsOrder).count(), 5);
        assert_eq!(crew.shown(Field::CustomerUnitPrice, 12), None);
    }

    #[test]
    fn whoever_lacks_supplier_prices_lacks_the_markups_too() {
        for role in Role::ALL {
            let p = FieldPolicy::of(role);
            let supplier = p.reads(Field::SupplierUnitPrice);
            assert_eq!(p.reads(Field::MarkupBasisPoints), supplier, "{role}");
            assert_eq!(p.reads(Field::PartsMarkupPercent), supplier, "{role}");
        }
        let engineer = FieldPolicy::of(Role::Engineer);
        assert!(engineer.reads(Field::CustomerTotal) && !engineer.reads(Field::SupplierTotal));
    }

    #[test]
    fn every_field_is_read_with_an_action_the_fingerprint_counts() {
        for f in Field::ALL {
            assert!(VIEW_CLASSES.contains(&f.permission()), "{f:?}");
        }
        assert!(VIEW_CLASSES.len() <= 7, "the top bit is the people directory's");
        let engineer = FieldPolicy::of(Role::Engineer);
        assert_eq!(engineer.hidden(Entity::LabourEntry).collect::<Vec<_>>(), [Field::LabourRate, Field::LabourCost]);
        assert_eq!(FieldPolicy::of(Role::Manager).hidden(Entity::LabourEntry).count(), 0);
    }

    #[test]
    fn purchasing_hides_prices_as_parts_orders_do() {
        let crew = FieldPolicy::of(Role::Crew);
        assert_eq!(crew.hidden(Entity::Requisition).count(), 5);
        assert_eq!(crew.hidden(Entity::PurchaseOrderLine).count(), 5);
        assert_eq!(
            crew.hidden(Entity::PurchaseOrder).collect::<Vec<_>>(),
            [Field::SupplierTotal, Field::CustomerTotal],
            "an order's own row carries totals only"
        );
        let engineer = FieldPolicy::of(Role::Engineer);
        assert_eq!(
            engineer.hidden(Entity::PurchaseOrder).collect::<Vec<_>>(),
            [Field::SupplierTotal],
            "engineers read customer prices only"
        );
        assert_eq!(Entity::named("purchase_order_line"), Some(Entity::PurchaseOrderLine));
    }

    #[test]
    fn change_log_and_audit_names_find_their_entity() {
        assert_eq!(Entity::named("parts_order"), Some(Entity::PartsOrder));
        assert_eq!(Entity::named("equipment"), None);
    }
}
