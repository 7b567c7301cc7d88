//! Purchasing (ADR 0007 §1, §5): the company's suppliers, requisitions approved by someone
//! other than the requester, purchase orders gathering them ([`orders`]), receipts that bring
//! parts into stock, and the printable order ([`pdf`]).
//!
//! Rules kept here (also in `docs/ARCHITECTURE.md`, "Purchasing"):
//! - a requisition asks for one part (from the catalogue, or named when unlisted) for a vessel,
//!   optionally for a work order or a fault of that vessel; a price given with it is a supplier
//!   price, so only roles that read supplier prices give one (`price.supplier.read`), and the
//!   customer price is derived at the company's markup, kept on the row;
//! - it is approved or rejected once, never by its requester (`self_approval`); its requester
//!   or a manager withdraws it before it is ordered;
//! - a supplier's name is unique in the company however it is spaced or cased
//!   ([`supplier_key`]).

use bosun_domain::fault::FaultStatus;
use bosun_domain::parts::{check_currency, customer_unit_price};
use bosun_domain::permissions::Action;
use bosun_domain::purchasing::{PartRef, Pricing, Requisition, RequisitionStatus, Supplier, line_total, supplier_key};
use bosun_domain::stock::Quantity;
use bosun_domain::{
    FaultId, PartId, RequisitionId, SupplierId, VesselId, Violation, WorkOrderId, check_long_text, check_text,
};
use bosun_store::{Change, Page, RequisitionFilter, StoredRequisition, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::json;

pub mod migration;
pub mod orders;
pub mod pdf;

use crate::conflicts::StatusMove;
use crate::maintenance::faults::{FaultService, fault_event};
use crate::realtime::LiveEvent;
use crate::work::{UnitOfWork, mutator};
use crate::{Actor, Audit, Deps, Error, Result, Violations, id_race, id_taken, vessel_change};

/// The largest supplier unit price, minor units (10 million in major units), as parts orders.
pub const MAX_UNIT_MINOR: i64 = 1_000_000_000;

/// Adds a supplier (`create_supplier.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateSupplier {
    /// Client-made UUIDv7; a new one when absent.
    #[serde(default)]
    pub id: Option<SupplierId>,
    /// Name, 1–200 characters, unique in the company (any case and spacing).
    pub name: String,
    /// Contact person (up to 200 characters).
    #[serde(default)]
    pub contact: Option<String>,
    /// E-mail address for orders (up to 200 characters, with an `@`).
    #[serde(default)]
    pub email: Option<String>,
    /// Telephone (up to 50 characters).
    #[serde(default)]
    pub phone: Option<String>,
    /// Postal address, printed on orders (up to 500 characters).
    #[serde(default)]
    pub address: Option<String>,
    /// The currency it invoices in (ISO 4217).
    pub currency: String,
}

/// Replaces a supplier's fields (`update_supplier.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateSupplier {
    /// The supplier.
    pub supplier_id: SupplierId,
    /// Name.
    pub name: String,
    /// Contact person.
    #[serde(default)]
    pub contact: Option<String>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Telephone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Postal address.
    #[serde(default)]
    pub address: Option<String>,
    /// Currency.
    pub currency: String,
    /// The version last seen; a newer stored version is a `version_conflict`.
    #[serde(default)]
    pub version: Option<i64>,
}

/// Asks for a part (`raise_requisition.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RaiseRequisition {
    /// Client-made UUIDv7.
    pub id: RequisitionId,
    /// The vessel it is for.
    pub vessel_id: VesselId,
    /// A part of the catalogue; or, when absent, `part_name` names an unlisted one.
    #[serde(default)]
    pub part_id: Option<PartId>,
    /// An unlisted part's name, 1–200 characters.
    #[serde(default)]
    pub part_name: Option<String>,
    /// An unlisted part's number (up to 80 characters).
    #[serde(default)]
    pub part_number: Option<String>,
    /// An unlisted part's unit (1–20 characters; `pcs` when absent).
    #[serde(default)]
    pub unit: Option<String>,
    /// How many, a decimal with at most three places, more than zero.
    pub quantity: String,
    /// The work order it serves, on the same vessel.
    #[serde(default)]
    pub work_order_id: Option<WorkOrderId>,
    /// The fault it serves, on the same vessel.
    #[serde(default)]
    pub fault_id: Option<FaultId>,
    /// The supplier proposed.
    #[serde(default)]
    pub supplier_id: Option<SupplierId>,
    /// The supplier's price per unit, minor units (with `currency`; only by roles that read
    /// supplier prices).
    #[serde(default)]
    pub supplier_unit_price_minor: Option<i64>,
    /// The price's currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// When it is needed on board.
    #[serde(default)]
    pub needed_by: Option<NaiveDate>,
    /// Anything to add (up to 1,000 characters).
    #[serde(default)]
    pub note: Option<String>,
}

/// Approves a requisition for ordering (`approve_requisition.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApproveRequisition {
    /// The requisition.
    pub requisition_id: RequisitionId,
    /// A comment for the requester (up to 500 characters).
    #[serde(default)]
    pub comment: Option<String>,
}

/// Refuses a requisition (`reject_requisition.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RejectRequisition {
    /// The requisition.
    pub requisition_id: RequisitionId,
    /// Why, 1–500 characters.
    pub comment: String,
}

/// Withdraws a requisition before it is ordered (`cancel_requisition.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelRequisition {
    /// The requisition.
    pub requisition_id: RequisitionId,
}

/// A row as a write answers it.
#[derive(Debug, Clone)]
pub struct Saved<T> {
    /// The row.
    pub row: T,
    /// False when the same row (same client id and content) had been received before.
    pub created: bool,
}

mutator!(CreateSupplier, "create_supplier.v1", Saved<Supplier>, |app, uow, actor, m| {
    app.purchasing.create_supplier(uow, actor, m).await
});
mutator!(UpdateSupplier, "update_supplier.v1", Supplier, |app, uow, actor, m| {
    app.purchasing.update_supplier(uow, actor, m).await
});
mutator!(RaiseRequisition, "raise_requisition.v1", Saved<StoredRequisition>, |app, uow, actor, m| {
    app.purchasing.raise(uow, actor, m).await
});
mutator!(ApproveRequisition, "approve_requisition.v1", StoredRequisition, |app, uow, actor, m| {
    app.purchasing.decide(uow, actor, m.requisition_id, true, m.comment.as_deref()).await
});
mutator!(RejectRequisition, "reject_requisition.v1", StoredRequisition, |app, uow, actor, m| {
    app.purchasing.decide(uow, actor, m.requisition_id, false, Some(&m.comment)).await
});
mutator!(CancelRequisition, "cancel_requisition.v1", StoredRequisition, |app, uow, actor, m| {
    app.purchasing.cancel(uow, actor, m).await
});

/// A supplier's fields as its change-log row carries them.
pub fn supplier_json(s: &Supplier) -> serde_json::Value {
    json!({
        "id": s.id, "name": s.name, "contact": s.contact, "email": s.email, "phone": s.phone,
        "address": s.address, "currency": s.currency,
    })
}

/// A requisition's fields as its change-log row carries them (prices by their restricted wire
/// names, quantities as decimal text).
pub fn requisition_json(s: &StoredRequisition) -> serde_json::Value {
    let r = &s.requisition;
    let p = r.pricing.as_ref();
    json!({
        "id": r.id, "vessel_id": r.vessel_id, "part_id": part_id(&r.part), "part_name": s.part_name,
        "part_number": s.part_number, "unit": s.unit, "quantity": r.quantity.to_string(),
        "work_order_id": r.work_order_id, "fault_id": r.fault_id, "supplier_id": r.supplier_id,
        "supplier_unit_price_minor": p.map(|p| p.supplier_unit_minor),
        "supplier_total_minor": p.map(|p| line_total(p.supplier_unit_minor, r.quantity)),
        "markup_basis_points": p.map(|p| p.markup_bp),
        "customer_unit_price_minor": p.map(|p| p.customer_unit_minor),
        "customer_total_minor": p.map(|p| line_total(p.customer_unit_minor, r.quantity)),
        "currency": p.map(|p| p.currency.as_str()), "needed_by": r.needed_by, "note": s.note,
        "status": r.status.as_str(), "requested_by": r.requested_by, "decided_by": r.decided_by,
        "decision_comment": s.decision_comment, "purchase_order_id": s.purchase_order_id,
        "received": s.received.to_string(), "status_changed_at": r.status_changed_at,
    })
}

/// The catalogue part a line or requisition names, if any.
pub fn part_id(p: &PartRef) -> Option<PartId> {
    match p {
        PartRef::Catalogue(id) => Some(*id),
        PartRef::Unlisted { .. } => None,
    }
}

/// The live event of a changed requisition: no prices (anyone on the vessel may receive it).
fn requisition_event(s: &StoredRequisition, at: DateTime<Utc>) -> LiveEvent {
    let r = &s.requisition;
    LiveEvent {
        company_id: r.company_id,
        vessel_id: Some(r.vessel_id),
        kind: "requisition.changed".into(),
        entity_id: r.id.0,
        summary: json!({
            "id": r.id, "vessel_id": r.vessel_id, "part_name": s.part_name, "quantity": r.quantity.to_string(),
            "status": r.status.as_str(), "work_order_id": r.work_order_id, "fault_id": r.fault_id,
        }),
        at,
    }
}

/// A supplier's checked fields.
#[derive(Clone)]
struct SupplierDraft {
    name: String,
    contact: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    address: Option<String>,
    currency: String,
}

/// The fields a person sets on a supplier, by wire name (each decided on its own in a sync
/// conflict).
pub const SUPPLIER_FIELDS: &[&str] = &["name", "contact", "email", "phone", "address", "currency"];

/// An optional one-line text: blank is none, else checked for length.
fn optional_text(v: &mut Violations, field: &str, value: Option<&str>, max: usize) -> Option<String> {
    value.filter(|s| !s.trim().is_empty()).and_then(|s| v.check(check_text(field, s, 1, max)))
}

/// An optional text that may span lines (an address, a note): blank is none.
fn optional_long_text(v: &mut Violations, field: &str, value: Option<&str>, max: usize) -> Option<String> {
    value.filter(|s| !s.trim().is_empty()).and_then(|s| v.check(check_long_text(field, s, 1, max)))
}

impl SupplierDraft {
    #[allow(clippy::too_many_arguments)]
    fn check(
        name: &str,
        contact: Option<&str>,
        email: Option<&str>,
        phone: Option<&str>,
        address: Option<&str>,
        currency: &str,
    ) -> Result<Self> {
        let mut v = Violations::default();
        let name = v.check(check_text("name", name, 1, 200));
        if name.as_deref().is_some_and(|n| supplier_key(n).is_empty()) {
            v.check::<()>(Err(Violation::new("name", "invalid_name", "must hold a letter or digit")));
        }
        let contact = optional_text(&mut v, "contact", contact, 200);
        let email = optional_text(&mut v, "email", email, 200);
        if email.as_deref().is_some_and(|e| !e.contains('@') || e.contains(char::is_whitespace)) {
            v.check::<()>(Err(Violation::new("email", "invalid_email", "must be an e-mail address")));
        }
        let phone = optional_text(&mut v, "phone", phone, 50);
        let address = optional_long_text(&mut v, "address", address, 500);
        let currency = v.check(check_currency("currency", currency));
        v.finish()?;
        let (Some(name), Some(currency)) = (name, currency) else {
            return Err(Error::Internal("checked supplier fields".into()));
        };
        Ok(Self { name, contact, email, phone, address, currency })
    }

    fn same_as(&self, s: &Supplier) -> bool {
        self.name == s.name
            && self.contact == s.contact
            && self.email == s.email
            && self.phone == s.phone
            && self.address == s.address
            && self.currency == s.currency
    }

    fn keep(&mut self, s: &Supplier, field: &str) {
        match field {
            "name" => self.name.clone_from(&s.name),
            "contact" => self.contact.clone_from(&s.contact),
            "email" => self.email.clone_from(&s.email),
            "phone" => self.phone.clone_from(&s.phone),
            "address" => self.address.clone_from(&s.address),
            _ => self.currency.clone_from(&s.currency),
        }
    }

    fn onto(self, s: &Supplier, at: DateTime<Utc>) -> Supplier {
        Supplier {
            name: self.name,
            contact: self.contact,
            email: self.email,
            phone: self.phone,
            address: self.address,
            currency: self.currency,
            updated_at: at,
            ..s.clone()
        }
    }
}

fn name_taken(s: &Supplier) -> Error {
    Error::Conflict { code: "supplier_name_taken", message: format!("supplier {} already has that name", s.name) }
}

/// Which requisitions to list.
#[derive(Debug, Clone, Default)]
pub struct RequisitionQuery {
    /// Only for this vessel.
    pub vessel: Option<VesselId>,
    /// Only in these statuses (empty: any).
    pub statuses: Vec<RequisitionStatus>,
    /// Only for this work order.
    pub work_order: Option<WorkOrderId>,
    /// Only for this fault.
    pub fault: Option<FaultId>,
}

/// Purchasing use cases.
#[derive(Clone)]
pub struct PurchasingService {
    /// The store, clock and event hub it works with.
    pub deps: Deps,
    /// The stock use cases receipts post through.
    pub stock: crate::stock::StockService,
}

impl PurchasingService {
    async fn create_supplier(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        m: &CreateSupplier,
    ) -> Result<Saved<Supplier>> {
        actor.permit_new(Action::CatalogueWrite, "supplier", m.id)?;
        let d = SupplierDraft::check(
            &m.name,
            m.contact.as_deref(),
            m.email.as_deref(),
            m.phone.as_deref(),
            m.address.as_deref(),
            &m.currency,
        )?;
        let company = actor.company_id;
        let scope = format!("company:{company}");
        uow.tx.lock_scope(company, &scope).await?;
        let tx = &mut uow.tx;
        if let Some(id) = m.id
            && let Some(existing) = tx.supplier(company, id).await?
        {
            return if d.same_as(&existing) {
                Ok(Saved { row: existing, created: false })
            } else {
                Err(id_taken("supplier", id))
            };
        }
        if let Some(other) = tx.supplier_by_key(company, &supplier_key(&d.name)).await? {
            return Err(name_taken(&other));
        }
        let now = self.deps.clock.now();
        let blank = Supplier {
            id: m.id.unwrap_or_else(|| self.deps.ids.id()),
            company_id: company,
            name: String::new(),
            contact: None,
            email: None,
            phone: None,
            address: None,
            currency: String::new(),
            version: 0,
            created_at: now,
            updated_at: now,
        };
        let s = self.add_supplier(tx, Some(actor), d.onto(&blank, now)).await?;
        Ok(Saved { row: s, created: true })
    }

    /// Stores a new supplier with its change-log row (company scope, locked by the caller) and
    /// its audit entry (`by` none: the start-up migration).
    async fn add_supplier(&self, tx: &mut Box<dyn Tx>, by: Option<&Actor>, mut s: Supplier) -> Result<Supplier> {
        let company = s.company_id;
        let fields = supplier_json(&s);
        let scope = format!("company:{company}");
        let change = Change {
            scope,
            entity: "supplier",
            row_id: s.id.0,
            op: "insert",
            fields: fields.clone(),
            at: s.created_at,
        };
        s.version = tx.record_change(company, &change).await?;
        tx.insert_supplier(&s).await.map_err(id_race)?;
        let meta = by.map(|a| a.meta.clone()).unwrap_or_default();
        self.deps
            .audit(
                tx,
                company,
                by.map(|a| a.user_id),
                &meta,
                Audit::ok("supplier.create", "supplier", s.id).after(fields),
            )
            .await?;
        Ok(s)
    }

    /// The company's supplier of that name however spaced or cased ([`supplier_key`]), added
    /// (invoicing in `currency`) when there is none: how a fault's parts order names its
    /// supplier (`order_parts.v1`) and how the migration of parts orders finds theirs. Takes the
    /// company scope's lock, so call it after any vessel's.
    pub(crate) async fn supplier_named(
        &self,
        tx: &mut Box<dyn Tx>,
        by: Option<&Actor>,
        company: bosun_domain::CompanyId,
        name: &str,
        currency: &str,
    ) -> Result<Supplier> {
        tx.lock_scope(company, &format!("company:{company}")).await?;
        if let Some(s) = tx.supplier_by_key(company, &supplier_key(name)).await? {
            return Ok(s);
        }
        let name = check_text("supplier", name, 1, 200).map_err(|v| Error::Invalid(vec![v]))?;
        let now = self.deps.clock.now();
        let s = Supplier {
            id: self.deps.ids.id(),
            company_id: company,
            name,
            contact: None,
            email: None,
            phone: None,
            address: None,
            currency: currency.to_owned(),
            version: 0,
            created_at: now,
            updated_at: now,
        };
        self.add_supplier(tx, by, s).await
    }

    async fn update_supplier(&self, uow: &mut UnitOfWork, actor: &Actor, m: &UpdateSupplier) -> Result<Supplier> {
        let company = actor.company_id;
        let id = m.supplier_id;
        uow.tx.supplier(company, id).await?.ok_or(Error::NotFound)?;
        actor.permit(Action::CatalogueWrite, "supplier", id)?;
        let mut d = SupplierDraft::check(
            &m.name,
            m.contact.as_deref(),
            m.email.as_deref(),
            m.phone.as_deref(),
            m.address.as_deref(),
            &m.currency,
        )?;
        let scope = format!("company:{company}");
        uow.tx.lock_scope(company, &scope).await?;
        let current = uow.tx.supplier(company, id).await?.ok_or(Error::NotFound)?;
        let since = uow.since_base(company, "supplier", id.0).await?;
        if let Some(seen) = m.version.filter(|seen| since.is_none() && *seen != current.version) {
            return Err(Error::Conflict {
                code: "version_conflict",
                message: format!("the supplier changed since version {seen}; it is now at {}", current.version),
            });
        }
        if let Some(since) = &since {
            let now = supplier_json(&current);
            let mine = supplier_json(&d.clone().onto(&current, current.updated_at));
            for field in SUPPLIER_FIELDS {
                let (mv, nv) = (&mine[*field], &now[*field]);
                if !since.written(field, mv, nv)
                    || !uow.field_applies(&self.deps, actor, (&scope, "supplier", id.0), since, field, (mv, nv)).await?
                {
                    d.keep(&current, field);
                }
            }
        }
        if d.same_as(&current) {
            return Ok(current);
        }
        let tx = &mut uow.tx;
        if let Some(other) = tx.supplier_by_key(company, &supplier_key(&d.name)).await?
            && other.id != id
        {
            return Err(name_taken(&other));
        }
        let at = self.deps.clock.now();
        let before = supplier_json(&current);
        let mut s = d.onto(&current, at);
        let after = supplier_json(&s);
        let change = Change { scope, entity: "supplier", row_id: id.0, op: "update", fields: after.clone(), at };
        s.version = tx.record_change(company, &change).await?;
        tx.update_supplier(&s).await?;
        self.deps
            .audit(
                tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("supplier.update", "supplier", id).before(before).after(after),
            )
            .await?;
        Ok(s)
    }

    /// The part a requisition asks for: the catalogue's, or an unlisted one named in full.
    async fn requested_part(
        tx: &mut Box<dyn Tx>,
        actor: &Actor,
        m: &RaiseRequisition,
        v: &mut Violations,
    ) -> Result<Option<(PartRef, String, Option<String>, String)>> {
        if let Some(id) = m.part_id {
            if m.part_name.is_some() || m.part_number.is_some() || m.unit.is_some() {
                v.check::<()>(Err(Violation::new(
                    "part_name",
                    "named_twice",
                    "a catalogue part takes its name, number and unit from the catalogue",
                )));
                return Ok(None);
            }
            let p = tx.part(actor.company_id, id).await?.ok_or(Error::NotFound)?;
            return Ok(Some((PartRef::Catalogue(id), p.name, Some(p.number), p.unit)));
        }
        let Some(name) = m.part_name.as_deref() else {
            v.check::<()>(Err(Violation::new("part_name", "required", "name the part, or give a catalogue part_id")));
            return Ok(None);
        };
        let name = v.check(check_text("part_name", name, 1, 200));
        let number = optional_text(v, "part_number", m.part_number.as_deref(), 80);
        let unit = v.check(check_text("unit", m.unit.as_deref().unwrap_or("pcs"), 1, 20));
        Ok(name
            .zip(unit)
            .map(|(name, unit)| (PartRef::Unlisted { name: name.clone(), number: number.clone() }, name, number, unit)))
    }

    async fn raise(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        m: &RaiseRequisition,
    ) -> Result<Saved<StoredRequisition>> {
        self.raise_as(uow, actor, m, false).await
    }

    /// Raises a requisition. A supplier price is given only by those who may read one, unless
    /// `price_from_requester`: a fault's parts order (`order_parts.v1`) always carried one,
    /// given by engineers who do not see it.
    pub(crate) async fn raise_as(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        m: &RaiseRequisition,
        price_from_requester: bool,
    ) -> Result<Saved<StoredRequisition>> {
        let company = actor.company_id;
        let tx = &mut uow.tx;
        self.stock.in_reach(tx, actor, m.vessel_id).await?;
        actor.permit_new(Action::PartsRequest, "requisition", Some(m.id))?;
        if m.supplier_unit_price_minor.is_some() && !price_from_requester {
            actor.permit(Action::PriceSupplierRead, "requisition", m.id)?;
        }
        let mut v = Violations::default();
        let quantity = v.check(Quantity::parse("quantity", &m.quantity));
        let part = Self::requested_part(tx, actor, m, &mut v).await?;
        let note = optional_long_text(&mut v, "note", m.note.as_deref(), 1000);
        let price = match (m.supplier_unit_price_minor, m.currency.as_deref()) {
            (Some(unit), Some(currency)) => {
                if !(0..=MAX_UNIT_MINOR).contains(&unit) {
                    v.check::<()>(Err(Violation::new(
                        "supplier_unit_price_minor",
                        "out_of_range",
                        format!("must be 0 to {MAX_UNIT_MINOR} minor units"),
                    )));
                }
                v.check(check_currency("currency", currency)).map(|c| (unit, c))
            }
            (None, None) => None,
            (Some(_), None) => {
                v.check::<()>(Err(Violation::new("currency", "incomplete", "a price needs its currency")));
                None
            }
            (None, Some(_)) => {
                v.check::<()>(Err(Violation::new(
                    "supplier_unit_price_minor",
                    "incomplete",
                    "a currency needs a price",
                )));
                None
            }
        };
        v.finish()?;
        let (Some(quantity), Some((part, part_name, part_number, unit))) = (quantity, part) else {
            return Err(Error::Internal("checked requisition fields".into()));
        };
        if let Some(w) = m.work_order_id {
            let wo = tx.work_order(company, w).await?.ok_or(Error::NotFound)?;
            if wo.vessel_id != m.vessel_id {
                return Err(Violation::new("work_order_id", "other_vessel", "is a work order of another vessel").into());
            }
        }
        if let Some(f) = m.fault_id {
            let fault = tx.fault(company, f).await?.ok_or(Error::NotFound)?;
            if fault.vessel_id != m.vessel_id {
                return Err(Violation::new("fault_id", "other_vessel", "is a fault of another vessel").into());
            }
        }
        if let Some(s) = m.supplier_id {
            tx.supplier(company, s).await?.ok_or(Error::NotFound)?;
        }
        tx.lock_scope(company, &format!("vessel:{}", m.vessel_id)).await?;
        if let Some(existing) = tx.requisition(company, m.id).await? {
            let r = &existing.requisition;
            let same = r.vessel_id == m.vessel_id
                && r.part == part
                && r.quantity == quantity
                && r.requested_by == actor.user_id
                && r.work_order_id == m.work_order_id
                && r.fault_id == m.fault_id
                && r.supplier_id == m.supplier_id;
            return if same { Ok(Saved { row: existing, created: false }) } else { Err(id_taken("requisition", m.id)) };
        }
        let markup = tx.company_by_id(company).await?.ok_or(Error::NotFound)?.parts_markup;
        let now = self.deps.clock.now();
        let mut row = StoredRequisition {
            requisition: Requisition {
                id: m.id,
                company_id: company,
                vessel_id: m.vessel_id,
                part,
                quantity,
                work_order_id: m.work_order_id,
                fault_id: m.fault_id,
                supplier_id: m.supplier_id,
                pricing: price.map(|(unit, currency)| Pricing {
                    supplier_unit_minor: unit,
                    markup_bp: markup.0,
                    customer_unit_minor: customer_unit_price(unit, markup),
                    currency,
                }),
                needed_by: m.needed_by,
                status: RequisitionStatus::Requested,
                requested_by: actor.user_id,
                decided_by: None,
                status_changed_at: now,
            },
            part_name,
            part_number,
            unit,
            note,
            decision_comment: None,
            purchase_order_id: None,
            received: Quantity::ZERO,
            version: 0,
            created_at: now,
            updated_at: now,
        };
        let fields = requisition_json(&row);
        row.version = tx
            .record_change(company, &vessel_change(m.vessel_id, "requisition", m.id.0, "insert", fields.clone(), now))
            .await?;
        tx.insert_requisition(&row).await.map_err(id_race)?;
        self.deps
            .audit(
                tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("requisition.raise", "requisition", m.id).after(fields),
            )
            .await?;
        uow.publish(requisition_event(&row, now));
        // Work on a fault stops until its parts arrive (read under the vessel's lock).
        if let Some(f) = m.fault_id
            && let Some(fault) = uow.tx.fault(company, f).await?
            && fault.status == FaultStatus::InProgress
            && let Ok(after) = fault.move_to(FaultStatus::AwaitingParts)
        {
            let moved = FaultService::save(&self.deps, &mut uow.tx, actor, &fault, after, "fault.status").await?;
            uow.publish(fault_event("fault.changed", &moved, now));
        }
        Ok(Saved { row, created: true })
    }

    /// The requisition, when its vessel is in the caller's reach; the vessel's scope locked.
    pub(crate) async fn locked(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        id: RequisitionId,
    ) -> Result<StoredRequisition> {
        let r = self.visible(&mut uow.tx, actor, id).await?;
        uow.tx.lock_scope(actor.company_id, &format!("vessel:{}", r.requisition.vessel_id)).await?;
        uow.tx.requisition(actor.company_id, id).await?.ok_or(Error::NotFound)
    }

    pub(crate) async fn decide(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        id: RequisitionId,
        approve: bool,
        comment: Option<&str>,
    ) -> Result<StoredRequisition> {
        self.visible(&mut uow.tx, actor, id).await?;
        actor.permit(Action::PartsManage, "requisition", id)?;
        let comment = match comment.filter(|c| !c.trim().is_empty()) {
            Some(c) => Some(check_long_text("comment", c, 1, 500).map_err(|v| Error::Invalid(vec![v]))?),
            None if !approve => {
                return Err(Violation::new("comment", "required", "say why the requisition is refused").into());
            }
            None => None,
        };
        let before = self.locked(uow, actor, id).await?;
        let now = self.deps.clock.now();
        let to = if approve { RequisitionStatus::Approved } else { RequisitionStatus::Rejected };
        let after = before.requisition.decide(approve, actor.user_id, now);
        let action = if approve { "requisition.approve" } else { "requisition.reject" };
        self.moved(uow, actor, before, to, after.map(|r| (r, comment)), action).await
    }

    /// A person's move of a requisition to `to`, by rank against a concurrent one (a stale
    /// pushed move changes nothing): `after` is the domain's answer, with the decision's
    /// comment.
    async fn moved(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        before: StoredRequisition,
        to: RequisitionStatus,
        after: std::result::Result<(Requisition, Option<String>), Violation>,
        action: &str,
    ) -> Result<StoredRequisition> {
        let r = &before.requisition;
        let m = StatusMove {
            scope: format!("vessel:{}", r.vessel_id),
            entity: "requisition",
            row: r.id.0,
            from: (r.status.as_str(), r.status.rank()),
            to: (to.as_str(), to.rank()),
            reopens: false,
            valid: after.is_ok(),
        };
        if !uow.status_applies(&self.deps, actor, m).await? {
            return Ok(before);
        }
        let (requisition, comment) = after.map_err(|v| Error::Conflict { code: v.code, message: v.message })?;
        let decision_comment = comment.or_else(|| before.decision_comment.clone());
        let updated_at = requisition.status_changed_at;
        let row = StoredRequisition { requisition, decision_comment, updated_at, ..before.clone() };
        self.save(uow, actor, &before, row, action).await
    }

    pub(crate) async fn cancel(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        m: &CancelRequisition,
    ) -> Result<StoredRequisition> {
        let id = m.requisition_id;
        let current = self.visible(&mut uow.tx, actor, id).await?;
        // Its requester withdraws it; anyone else needs to manage purchasing too.
        actor.permit(Action::PartsRequest, "requisition", id)?;
        if current.requisition.requested_by != actor.user_id {
            actor.permit(Action::PartsManage, "requisition", id)?;
        }
        let before = self.locked(uow, actor, id).await?;
        let after = before.requisition.cancel(self.deps.clock.now()).map(|r| (r, None));
        self.moved(uow, actor, before, RequisitionStatus::Cancelled, after, "requisition.cancel").await
    }

    /// Writes a changed requisition with its change-log row, audit entry and live event.
    pub(crate) async fn save(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        before: &StoredRequisition,
        mut row: StoredRequisition,
        action: &str,
    ) -> Result<StoredRequisition> {
        let company = actor.company_id;
        let r = &row.requisition;
        let fields = requisition_json(&row);
        let change = vessel_change(r.vessel_id, "requisition", r.id.0, "update", fields.clone(), row.updated_at);
        row.version = uow.tx.record_change(company, &change).await?;
        uow.tx.update_requisition(&row).await?;
        self.deps
            .audit(
                &mut uow.tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok(action, "requisition", row.requisition.id)
                    .before(json!({ "status": before.requisition.status.as_str() }))
                    .after(fields),
            )
            .await?;
        uow.publish(requisition_event(&row, row.updated_at));
        Ok(row)
    }

    async fn visible(&self, tx: &mut Box<dyn Tx>, actor: &Actor, id: RequisitionId) -> Result<StoredRequisition> {
        let r = tx.requisition(actor.company_id, id).await?.ok_or(Error::NotFound)?;
        if !self.deps.sees_vessel(tx, actor, r.requisition.vessel_id).await? {
            return Err(Error::NotFound);
        }
        Ok(r)
    }

    /// The company's suppliers, by name.
    pub async fn suppliers(
        &self,
        actor: &Actor,
        page: Page<SupplierId>,
    ) -> Result<(Vec<Supplier>, Option<SupplierId>)> {
        actor.require(Action::PartsRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let rows = tx.list_suppliers(actor.company_id, Page { after: page.after, limit: page.limit + 1 }).await?;
        Ok(crate::page_of(rows, page.limit, |s| s.id))
    }

    /// One supplier.
    pub async fn supplier(&self, actor: &Actor, id: SupplierId) -> Result<Supplier> {
        actor.require(Action::PartsRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        tx.supplier(actor.company_id, id).await?.ok_or(Error::NotFound)
    }

    /// Requisitions the caller sees, newest first.
    pub async fn requisitions(
        &self,
        actor: &Actor,
        q: RequisitionQuery,
        page: Page<RequisitionId>,
    ) -> Result<(Vec<StoredRequisition>, Option<RequisitionId>)> {
        actor.require(Action::PartsRead)?;
        let filter = RequisitionFilter {
            scope: self.deps.scope_for(actor, q.vessel),
            statuses: q.statuses.iter().map(|s| s.as_str().to_owned()).collect(),
            work_order: q.work_order,
            fault: q.fault,
        };
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let rows =
            tx.list_requisitions(actor.company_id, &filter, Page { after: page.after, limit: page.limit + 1 }).await?;
        Ok(crate::page_of(rows, page.limit, |r| r.requisition.id))
    }

    /// One requisition.
    pub async fn requisition(&self, actor: &Actor, id: RequisitionId) -> Result<StoredRequisition> {
        actor.require(Action::PartsRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        self.visible(&mut tx, actor, id).await
    }
}
