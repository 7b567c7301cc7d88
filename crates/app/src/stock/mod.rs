//! Spare parts and stock (ADR 0007): the company's parts catalogue, each vessel's stock
//! locations and minimum/reorder rules, and the stock ledger from which on-hand is derived.
//!
//! Rules kept here (also in `docs/ARCHITECTURE.md`, "Stock"):
//! - a part number is unique in the company however it is spaced or cased
//!   ([`part_number_key`]); a location name is unique on its vessel;
//! - nothing edits a quantity: every movement is an insert-only ledger entry, and the
//!   location's balance row is written in the same unit of work, under the vessel scope's lock,
//!   by the one rule [`post`] (a decrease below zero is `insufficient_stock`);
//! - an entry sent again with its client id (a retry, or a sync) answers the stored entry; the
//!   same id with other content is `id_taken`.

use bosun_domain::permissions::Action;
use bosun_domain::stock::{
    Movement, NegativeStock, Part, PartStockRule, PartSummary, Quantity, StockBalance, StockEntry, StockLocation,
    StockRule, adjustment, location_name_key, part_number_key, post, suggested_requisition,
};
use bosun_domain::{CompanyId, PartId, StockEntryId, StockLocationId, VesselId, Violation, check_text};
use bosun_store::{Change, Page, PartFilter, StockEntryFilter, Tx};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

pub mod count;
pub mod export;
pub mod import;
pub mod transfers;

use crate::work::{UnitOfWork, mutator};
use crate::{Actor, Audit, Deps, Error, Result, Violations, id_race, id_taken, vessel_change};

/// The most parts a part may name as equivalents.
pub const MAX_EQUIVALENTS: usize = 20;
/// The most balance rows (part × location) a vessel's stock answer reads.
pub const STOCK_CAP: u32 = 50_000;

/// Adds a part to the company's catalogue (`create_part.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreatePart {
    /// Client-made UUIDv7 (a part added offline); a new one when absent.
    #[serde(default)]
    pub id: Option<PartId>,
    /// Part number, 1–80 characters, unique in the company ([`part_number_key`]).
    pub number: String,
    /// Name, 1–200 characters.
    pub name: String,
    /// Maker (up to 200 characters; blank is none).
    #[serde(default)]
    pub maker: Option<String>,
    /// Unit of measure, 1–20 characters (`pcs`, `l`, `m`).
    pub unit: String,
    /// A critical spare.
    #[serde(default)]
    pub critical: bool,
    /// Parts that may be used instead (at most 20).
    #[serde(default)]
    pub equivalents: Vec<PartId>,
}

/// Replaces a part's fields (`update_part.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdatePart {
    /// The part.
    pub part_id: PartId,
    /// Part number.
    pub number: String,
    /// Name.
    pub name: String,
    /// Maker.
    #[serde(default)]
    pub maker: Option<String>,
    /// Unit of measure.
    pub unit: String,
    /// A critical spare.
    #[serde(default)]
    pub critical: bool,
    /// Parts that may be used instead.
    #[serde(default)]
    pub equivalents: Vec<PartId>,
    /// The version last seen; a newer stored version is a `version_conflict`.
    #[serde(default)]
    pub version: Option<i64>,
}

/// Adds a stock location to a vessel (`create_stock_location.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateStockLocation {
    /// Client-made UUIDv7; a new one when absent.
    #[serde(default)]
    pub id: Option<StockLocationId>,
    /// The vessel.
    pub vessel_id: VesselId,
    /// Name, 1–100 characters, unique on the vessel (any case).
    pub name: String,
    /// The location it is part of, on the same vessel.
    #[serde(default)]
    pub parent_id: Option<StockLocationId>,
}

/// Sets a part's minimum and reorder quantity on a vessel (`set_stock_rule.v1`); a minimum of
/// zero means no rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetStockRule {
    /// The vessel.
    pub vessel_id: VesselId,
    /// The part.
    pub part_id: PartId,
    /// Below this on hand, reorder (a decimal, `0` for none).
    pub minimum: String,
    /// How much to reorder at least (a decimal, `0` for none).
    pub reorder: String,
}

/// Records parts received into a location (`receive_stock.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiveStock {
    /// Client-made UUIDv7 of the ledger entry; a new one when absent.
    #[serde(default)]
    pub id: Option<StockEntryId>,
    /// Where.
    pub location_id: StockLocationId,
    /// What.
    pub part_id: PartId,
    /// How many, a decimal with at most three places, more than zero.
    pub quantity: String,
    /// When (device time); now when absent.
    #[serde(default)]
    pub recorded_at: Option<DateTime<Utc>>,
}

/// Corrects a location's stock after a count, damage or loss (`adjust_stock.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdjustStock {
    /// Client-made UUIDv7 of the ledger entry; a new one when absent.
    #[serde(default)]
    pub id: Option<StockEntryId>,
    /// Where.
    pub location_id: StockLocationId,
    /// What.
    pub part_id: PartId,
    /// The signed change, a decimal other than zero (`-2`, `+0.5`).
    pub delta: String,
    /// Why, 1–500 characters.
    pub reason: String,
    /// When (device time); now when absent.
    #[serde(default)]
    pub recorded_at: Option<DateTime<Utc>>,
}

/// A part as a write answers it.
#[derive(Debug, Clone)]
pub struct Saved<T> {
    /// The row.
    pub row: T,
    /// False when the same row (same client id and content) had been received before.
    pub created: bool,
}

/// A ledger entry as its write answers it, with the location's balance after it.
#[derive(Debug, Clone)]
pub struct Posted {
    /// The entry.
    pub entry: StockEntry,
    /// On hand at its location after it (now, for an entry received before).
    pub on_hand: Quantity,
    /// False when the same entry had been received before.
    pub created: bool,
}

mutator!(CreatePart, "create_part.v1", Saved<Part>, |app, uow, actor, m| {
    app.stock.create_part(uow, actor, m).await
});
mutator!(UpdatePart, "update_part.v1", Part, |app, uow, actor, m| { app.stock.update_part(uow, actor, m).await });
mutator!(CreateStockLocation, "create_stock_location.v1", Saved<StockLocation>, |app, uow, actor, m| {
    app.stock.create_location(uow, actor, m).await
});
mutator!(SetStockRule, "set_stock_rule.v1", PartStockRule, |app, uow, actor, m| {
    app.stock.set_rule(uow, actor, m).await
});
mutator!(ReceiveStock, "receive_stock.v1", Posted, |app, uow, actor, m| {
    let quantity = Quantity::parse("quantity", &m.quantity).map_err(|v| Error::Invalid(vec![v]))?;
    let movement = Move { id: m.id, location_id: m.location_id, part_id: m.part_id, recorded_at: m.recorded_at };
    app.stock.post_movement(uow, actor, movement, Movement::Receive, quantity).await
});
mutator!(AdjustStock, "adjust_stock.v1", Posted, |app, uow, actor, m| {
    let (movement, delta) = adjustment(&m.delta, &m.reason).map_err(|v| Error::Invalid(vec![v]))?;
    let at = Move { id: m.id, location_id: m.location_id, part_id: m.part_id, recorded_at: m.recorded_at };
    app.stock.post_movement(uow, actor, at, movement, delta).await
});

/// Where and when a movement happens.
pub(crate) struct Move {
    pub(crate) id: Option<StockEntryId>,
    pub(crate) location_id: StockLocationId,
    pub(crate) part_id: PartId,
    pub(crate) recorded_at: Option<DateTime<Utc>>,
}

/// A part's fields as its change-log row carries them.
pub fn part_json(p: &Part) -> serde_json::Value {
    json!({
        "id": p.id, "number": p.number, "name": p.name, "maker": p.maker, "unit": p.unit,
        "critical": p.critical, "equivalents": p.equivalents,
    })
}

/// A location's fields as its change-log row carries them.
pub fn location_json(l: &StockLocation) -> serde_json::Value {
    json!({ "id": l.id, "vessel_id": l.vessel_id, "name": l.name, "parent_id": l.parent_id })
}

/// A rule's fields as its change-log row carries them (quantities as decimal text).
pub fn rule_json(r: &PartStockRule) -> serde_json::Value {
    json!({
        "id": r.id, "vessel_id": r.vessel_id, "part_id": r.part_id,
        "minimum": r.rule.minimum.to_string(), "reorder": r.rule.reorder.to_string(),
    })
}

/// A ledger entry's fields as its change-log row carries them (the delta as decimal text).
pub fn entry_json(e: &StockEntry) -> serde_json::Value {
    let (reason, work_order_id, transfer_id) = e.movement.references();
    json!({
        "id": e.id, "vessel_id": e.vessel_id, "location_id": e.location_id, "part_id": e.part_id,
        "movement": e.movement.as_str(), "delta": e.delta.to_string(), "reason": reason,
        "work_order_id": work_order_id, "transfer_id": transfer_id, "recorded_by": e.recorded_by,
        "recorded_at": e.recorded_at,
    })
}

/// A balance's fields as its change-log row carries them.
pub fn balance_json(b: &StockBalance) -> serde_json::Value {
    json!({
        "id": b.id, "vessel_id": b.vessel_id, "location_id": b.location_id, "part_id": b.part_id,
        "on_hand": b.on_hand.to_string(),
    })
}

fn number_taken(p: &Part) -> Error {
    Error::Conflict {
        code: "part_number_taken",
        message: format!("part {} ({}) already has that number", p.number, p.name),
    }
}

/// A part's checked fields.
#[derive(Clone)]
struct PartDraft {
    number: String,
    name: String,
    maker: Option<String>,
    unit: String,
    critical: bool,
    equivalents: Vec<PartId>,
}

/// The fields a person sets on a part, by wire name (each decided on its own in a sync
/// conflict).
pub const PART_FIELDS: &[&str] = &["number", "name", "maker", "unit", "critical", "equivalents"];

impl PartDraft {
    fn check(
        number: &str,
        name: &str,
        maker: Option<&str>,
        unit: &str,
        critical: bool,
        equivalents: &[PartId],
    ) -> Result<Self> {
        let mut v = Violations::default();
        let number = v.check(check_text("number", number, 1, 80));
        if number.as_deref().is_some_and(|n| part_number_key(n).is_empty()) {
            v.check::<()>(Err(Violation::new("number", "invalid_number", "must hold a letter or digit")));
        }
        let name = v.check(check_text("name", name, 1, 200));
        let maker = maker.filter(|m| !m.trim().is_empty()).and_then(|m| v.check(check_text("maker", m, 1, 200)));
        let unit = v.check(check_text("unit", unit, 1, 20));
        let mut kept: Vec<PartId> = Vec::new();
        for e in equivalents {
            if !kept.contains(e) {
                kept.push(*e);
            }
        }
        if kept.len() > MAX_EQUIVALENTS {
            v.check::<()>(Err(Violation::new("equivalents", "too_many", format!("at most {MAX_EQUIVALENTS}"))));
        }
        v.finish()?;
        let (Some(number), Some(name), Some(unit)) = (number, name, unit) else {
            return Err(Error::Internal("checked part fields".into()));
        };
        Ok(Self { number, name, maker, unit, critical, equivalents: kept })
    }

    fn same_as(&self, p: &Part) -> bool {
        self.number == p.number
            && self.name == p.name
            && self.maker == p.maker
            && self.unit == p.unit
            && self.critical == p.critical
            && self.equivalents == p.equivalents
    }

    fn keep(&mut self, p: &Part, field: &str) {
        match field {
            "number" => self.number.clone_from(&p.number),
            "name" => self.name.clone_from(&p.name),
            "maker" => self.maker.clone_from(&p.maker),
            "unit" => self.unit.clone_from(&p.unit),
            "critical" => self.critical = p.critical,
            _ => self.equivalents.clone_from(&p.equivalents),
        }
    }

    fn onto(self, p: &Part, at: DateTime<Utc>) -> Part {
        Part {
            number: self.number,
            name: self.name,
            maker: self.maker,
            unit: self.unit,
            critical: self.critical,
            equivalents: self.equivalents,
            updated_at: at,
            ..p.clone()
        }
    }
}

/// Stock use cases.
#[derive(Clone)]
pub struct StockService {
    /// The store, clock and event hub it works with.
    pub deps: Deps,
    /// Where CSV imports are spooled.
    pub spool: crate::spool::Spool,
}

/// One part's stock on a vessel.
#[derive(Debug, Clone)]
pub struct StockLine {
    /// The part, as a stock list shows it.
    pub part: PartSummary,
    /// On hand per location.
    pub balances: Vec<(StockLocationId, Quantity)>,
    /// On hand at all of the vessel's locations.
    pub total: Quantity,
    /// Sent to the vessel from elsewhere and not yet received.
    pub incoming: Quantity,
    /// Its rule on the vessel.
    pub rule: Option<StockRule>,
    /// What to reorder when on hand plus incoming is below the rule's minimum.
    pub suggested: Option<Quantity>,
}

/// A vessel's stock.
#[derive(Debug, Clone)]
pub struct VesselStock {
    /// Its locations, by name.
    pub locations: Vec<StockLocation>,
    /// Its parts with stock or a rule, by part number.
    pub lines: Vec<StockLine>,
    /// True when the vessel holds more than [`STOCK_CAP`] balances and only the first were read.
    pub truncated: bool,
}

impl StockService {
    fn company_scope(company: CompanyId) -> String {
        format!("company:{company}")
    }

    /// Drops the part itself from its equivalents; one that is not in the catalogue is
    /// `NotFound`, as any reference to a row the caller cannot see.
    async fn check_equivalents(tx: &mut Box<dyn Tx>, company: CompanyId, me: PartId, d: &mut PartDraft) -> Result<()> {
        d.equivalents.retain(|e| *e != me);
        for e in &d.equivalents {
            if tx.part(company, *e).await?.is_none() {
                return Err(Error::NotFound);
            }
        }
        Ok(())
    }

    async fn create_part(&self, uow: &mut UnitOfWork, actor: &Actor, m: &CreatePart) -> Result<Saved<Part>> {
        actor.permit_new(Action::CatalogueWrite, "part", m.id)?;
        let mut d = PartDraft::check(&m.number, &m.name, m.maker.as_deref(), &m.unit, m.critical, &m.equivalents)?;
        let company = actor.company_id;
        // The catalogue's writes queue on the company's scope: the number check below holds
        // until commit.
        let scope = Self::company_scope(company);
        uow.tx.lock_scope(company, &scope).await?;
        let tx = &mut uow.tx;
        if let Some(id) = m.id
            && let Some(existing) = tx.part(company, id).await?
        {
            return if d.same_as(&existing) {
                Ok(Saved { row: existing, created: false })
            } else {
                Err(id_taken("part", id))
            };
        }
        if let Some(other) = tx.part_by_number_key(company, &part_number_key(&d.number)).await? {
            return Err(number_taken(&other));
        }
        let id = m.id.unwrap_or_else(|| self.deps.ids.id());
        Self::check_equivalents(tx, company, id, &mut d).await?;
        let now = self.deps.clock.now();
        let blank = Part {
            id,
            company_id: company,
            number: String::new(),
            name: String::new(),
            maker: None,
            unit: String::new(),
            critical: false,
            equivalents: Vec::new(),
            version: 0,
            created_at: now,
            updated_at: now,
        };
        let mut part = d.onto(&blank, now);
        let fields = part_json(&part);
        let change = Change { scope, entity: "part", row_id: id.0, op: "insert", fields: fields.clone(), at: now };
        part.version = tx.record_change(company, &change).await?;
        tx.insert_part(&part).await.map_err(id_race)?;
        self.deps
            .audit(tx, company, Some(actor.user_id), &actor.meta, Audit::ok("part.create", "part", id).after(fields))
            .await?;
        Ok(Saved { row: part, created: true })
    }

    async fn update_part(&self, uow: &mut UnitOfWork, actor: &Actor, m: &UpdatePart) -> Result<Part> {
        let company = actor.company_id;
        let id = m.part_id;
        uow.tx.part(company, id).await?.ok_or(Error::NotFound)?;
        actor.permit(Action::CatalogueWrite, "part", id)?;
        let mut d = PartDraft::check(&m.number, &m.name, m.maker.as_deref(), &m.unit, m.critical, &m.equivalents)?;
        let scope = Self::company_scope(company);
        uow.tx.lock_scope(company, &scope).await?;
        let current = uow.tx.part(company, id).await?.ok_or(Error::NotFound)?;
        // A pushed edit made against a base version is decided field by field against what
        // changed since; an online one must name the version it read, or none.
        let since = uow.since_base(company, "part", id.0).await?;
        if let Some(seen) = m.version.filter(|seen| since.is_none() && *seen != current.version) {
            return Err(Error::Conflict {
                code: "version_conflict",
                message: format!("the part changed since version {seen}; it is now at {}", current.version),
            });
        }
        if let Some(since) = &since {
            let now = part_json(&current);
            let mine = part_json(&d.clone().onto(&current, current.updated_at));
            for field in PART_FIELDS {
                let (mv, nv) = (&mine[*field], &now[*field]);
                if !since.written(field, mv, nv)
                    || !uow.field_applies(&self.deps, actor, (&scope, "part", id.0), since, field, (mv, nv)).await?
                {
                    d.keep(&current, field);
                }
            }
        }
        if d.same_as(&current) {
            return Ok(current);
        }
        let tx = &mut uow.tx;
        if let Some(other) = tx.part_by_number_key(company, &part_number_key(&d.number)).await?
            && other.id != id
        {
            return Err(number_taken(&other));
        }
        Self::check_equivalents(tx, company, id, &mut d).await?;
        let at = self.deps.clock.now();
        let before = part_json(&current);
        let mut part = d.onto(&current, at);
        let after = part_json(&part);
        let change = Change { scope, entity: "part", row_id: id.0, op: "update", fields: after.clone(), at };
        part.version = tx.record_change(company, &change).await?;
        let part = tx.update_part(&part).await?;
        self.deps
            .audit(
                tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("part.update", "part", id).before(before).after(after),
            )
            .await?;
        Ok(part)
    }

    async fn create_location(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        m: &CreateStockLocation,
    ) -> Result<Saved<StockLocation>> {
        let company = actor.company_id;
        self.in_reach(&mut uow.tx, actor, m.vessel_id).await?;
        actor.permit_new(Action::CatalogueWrite, "stock_location", m.id)?;
        let name = check_text("name", &m.name, 1, 100).map_err(|v| Error::Invalid(vec![v]))?;
        let scope = format!("vessel:{}", m.vessel_id);
        uow.tx.lock_scope(company, &scope).await?;
        let tx = &mut uow.tx;
        if let Some(id) = m.id
            && let Some(existing) = tx.stock_location(company, id).await?
        {
            let same = existing.vessel_id == m.vessel_id && existing.name == name && existing.parent_id == m.parent_id;
            return if same {
                Ok(Saved { row: existing, created: false })
            } else {
                Err(id_taken("stock location", id))
            };
        }
        if let Some(parent) = m.parent_id {
            let on_vessel = tx.stock_location(company, parent).await?.is_some_and(|p| p.vessel_id == m.vessel_id);
            if !on_vessel {
                return Err(
                    Violation::new("parent_id", "unknown_parent", "is not a stock location of this vessel").into()
                );
            }
        }
        let key = location_name_key(&name);
        if tx.stock_locations(company, m.vessel_id).await?.iter().any(|l| location_name_key(&l.name) == key) {
            return Err(Error::Conflict {
                code: "location_name_taken",
                message: format!("the vessel already has a stock location called {name}"),
            });
        }
        let now = self.deps.clock.now();
        let mut l = StockLocation {
            id: m.id.unwrap_or_else(|| self.deps.ids.id()),
            company_id: company,
            vessel_id: m.vessel_id,
            name,
            parent_id: m.parent_id,
            version: 0,
            created_at: now,
            updated_at: now,
        };
        let fields = location_json(&l);
        l.version = tx
            .record_change(
                company,
                &vessel_change(l.vessel_id, "stock_location", l.id.0, "insert", fields.clone(), now),
            )
            .await?;
        tx.insert_stock_location(&l).await.map_err(id_race)?;
        self.deps
            .audit(
                tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("stock_location.create", "stock_location", l.id).after(fields),
            )
            .await?;
        Ok(Saved { row: l, created: true })
    }

    async fn set_rule(&self, uow: &mut UnitOfWork, actor: &Actor, m: &SetStockRule) -> Result<PartStockRule> {
        let company = actor.company_id;
        self.in_reach(&mut uow.tx, actor, m.vessel_id).await?;
        actor.permit(Action::CatalogueWrite, "stock_rule", m.part_id)?;
        let mut v = Violations::default();
        let minimum = v.check(Quantity::parse_or_zero("minimum", &m.minimum));
        let reorder = v.check(Quantity::parse_or_zero("reorder", &m.reorder));
        v.finish()?;
        let (Some(minimum), Some(reorder)) = (minimum, reorder) else {
            return Err(Error::Internal("checked rule quantities".into()));
        };
        let tx = &mut uow.tx;
        tx.part(company, m.part_id).await?.ok_or(Error::NotFound)?;
        let scope = format!("vessel:{}", m.vessel_id);
        tx.lock_scope(company, &scope).await?;
        let rule = StockRule { minimum, reorder };
        let existing = tx.stock_rule(company, m.vessel_id, m.part_id).await?;
        if let Some(e) = existing.as_ref().filter(|e| e.rule == rule) {
            return Ok(e.clone());
        }
        let now = self.deps.clock.now();
        let mut r = PartStockRule {
            id: existing.as_ref().map_or_else(|| self.deps.ids.id(), |e| e.id),
            company_id: company,
            vessel_id: m.vessel_id,
            part_id: m.part_id,
            rule,
            version: 0,
            created_at: existing.as_ref().map_or(now, |e| e.created_at),
            updated_at: now,
        };
        let fields = rule_json(&r);
        let op = if existing.is_some() { "update" } else { "insert" };
        r.version = tx
            .record_change(company, &vessel_change(m.vessel_id, "stock_rule", r.id.0, op, fields.clone(), now))
            .await?;
        let saved = tx.put_stock_rule(&r).await?;
        let audit = Audit::ok("stock_rule.set", "stock_rule", r.id).after(fields);
        let audit = match existing {
            Some(e) => audit.before(rule_json(&e)),
            None => audit,
        };
        self.deps.audit(tx, company, Some(actor.user_id), &actor.meta, audit).await?;
        Ok(saved)
    }

    /// Posts one movement: the entry and the location's balance, under the vessel's lock.
    pub(crate) async fn post_movement(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        at: Move,
        movement: Movement,
        delta: Quantity,
    ) -> Result<Posted> {
        let action =
            if matches!(movement, Movement::Issue { .. }) { Action::WorkOrderExecute } else { Action::StockMove };
        let company = actor.company_id;
        let tx = &mut uow.tx;
        let location = tx.stock_location(company, at.location_id).await?.ok_or(Error::NotFound)?;
        if !self.deps.sees_vessel(tx, actor, location.vessel_id).await? {
            return Err(Error::NotFound);
        }
        actor.permit_new(action, "stock_entry", at.id)?;
        tx.part(company, at.part_id).await?.ok_or(Error::NotFound)?;
        let now = self.deps.clock.now();
        let recorded_at = at.recorded_at.unwrap_or(now);
        if recorded_at > now + chrono::Duration::minutes(5) {
            return Err(Violation::new("recorded_at", "in_the_future", "must not be in the future").into());
        }
        let vessel = location.vessel_id;
        tx.lock_scope(company, &format!("vessel:{vessel}")).await?;
        let held = tx.stock_balance(company, vessel, location.id, at.part_id).await?;
        let entry = StockEntry {
            id: at.id.unwrap_or_else(|| self.deps.ids.id()),
            company_id: company,
            vessel_id: vessel,
            location_id: location.id,
            part_id: at.part_id,
            movement,
            delta,
            recorded_by: actor.user_id,
            recorded_at,
        };
        if at.id.is_some()
            && let Some(existing) = tx.stock_entry(company, entry.id).await?
        {
            let same = StockEntry { recorded_at: existing.recorded_at, ..entry.clone() } == existing
                && (at.recorded_at.is_none() || at.recorded_at == Some(existing.recorded_at));
            if !same {
                return Err(id_taken("stock entry", entry.id));
            }
            let on_hand = held.map_or(Quantity::ZERO, |b| b.on_hand);
            return Ok(Posted { entry: existing, on_hand, created: false });
        }
        let before = held.as_ref().map_or(Quantity::ZERO, |b| b.on_hand);
        let setting = if delta.0 < 0 {
            tx.company_by_id(company).await?.map_or(NegativeStock::Refuse, |c| c.negative_stock)
        } else {
            NegativeStock::Refuse
        };
        let on_hand =
            post(before, delta, setting).map_err(|e| Error::Conflict { code: e.code(), message: e.to_string() })?;
        let fields = entry_json(&entry);
        let version = tx
            .record_change(company, &vessel_change(vessel, "stock_entry", entry.id.0, "insert", fields.clone(), now))
            .await?;
        tx.insert_stock_entry(&entry, version).await.map_err(id_race)?;
        let mut balance = StockBalance {
            id: held.as_ref().map_or_else(|| self.deps.ids.id(), |b| b.id),
            company_id: company,
            vessel_id: vessel,
            location_id: location.id,
            part_id: entry.part_id,
            on_hand,
            version: 0,
            updated_at: now,
        };
        let op = if held.is_some() { "update" } else { "insert" };
        balance.version = tx
            .record_change(
                company,
                &vessel_change(vessel, "stock_balance", balance.id.0, op, balance_json(&balance), now),
            )
            .await?;
        tx.put_stock_balance(&balance).await?;
        let action = match entry.movement {
            Movement::Adjust { .. } => "stock.adjust",
            Movement::Issue { .. } => "stock.issue",
            Movement::TransferOut { .. } => "stock.transfer_out",
            Movement::TransferIn { .. } => "stock.transfer_in",
            Movement::Receive => "stock.receive",
        };
        let audit = Audit::ok(action, "stock_entry", entry.id)
            .after(json!({ "entry": fields, "on_hand": on_hand.to_string() }));
        self.deps.audit(tx, company, Some(actor.user_id), &actor.meta, audit).await?;
        if delta < Quantity::ZERO
            && let Some(event) = Self::went_low(tx, &entry, delta, now).await?
        {
            uow.publish(event);
        }
        Ok(Posted { entry, on_hand, created: true })
    }

    /// The low-stock alert of a decrease (`stock.low`): when it takes the vessel's total of the
    /// part (all locations, what is on its way counted as the stock page counts it) from at
    /// least its minimum to below it. Once per crossing, not for every movement while low.
    async fn went_low(
        tx: &mut Box<dyn Tx>,
        entry: &StockEntry,
        delta: Quantity,
        now: DateTime<Utc>,
    ) -> Result<Option<crate::realtime::LiveEvent>> {
        let (company, vessel, part) = (entry.company_id, entry.vessel_id, entry.part_id);
        let Some(rule) = tx.stock_rule(company, vessel, part).await?.filter(|r| r.rule.minimum > Quantity::ZERO) else {
            return Ok(None);
        };
        let held = tx.stock_balances(company, vessel, Some(part)).await?;
        let incoming = tx
            .incoming_transfers(company, vessel)
            .await?
            .into_iter()
            .find(|(p, _)| *p == part)
            .map_or(Quantity::ZERO, |(_, q)| q);
        let after = held.iter().fold(incoming, |q, b| q.plus(b.on_hand));
        let before = Quantity(after.0 - delta.0);
        if !(after < rule.rule.minimum && before >= rule.rule.minimum) {
            return Ok(None);
        }
        let Some(p) = tx.part(company, part).await? else { return Ok(None) };
        Ok(Some(crate::realtime::LiveEvent {
            company_id: company,
            vessel_id: Some(vessel),
            kind: "stock.low".into(),
            entity_id: part.0,
            summary: json!({
                "vessel_id": vessel, "part_id": part, "number": p.number, "name": p.name, "unit": p.unit,
                "on_hand": after.to_string(), "minimum": rule.rule.minimum.to_string(),
                "suggested_reorder": suggested_requisition(after, rule.rule).map(|q| q.to_string()),
            }),
            at: now,
        }))
    }

    /// The company's catalogue, by part number.
    pub async fn list_parts(
        &self,
        actor: &Actor,
        filter: PartFilter,
        page: Page<PartId>,
    ) -> Result<(Vec<Part>, Option<PartId>)> {
        actor.require(Action::StockRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let rows = tx.list_parts(actor.company_id, &filter, Page { after: page.after, limit: page.limit + 1 }).await?;
        Ok(crate::page_of(rows, page.limit, |p| p.id))
    }

    /// One part of the catalogue.
    pub async fn part(&self, actor: &Actor, id: PartId) -> Result<Part> {
        actor.require(Action::StockRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        tx.part(actor.company_id, id).await?.ok_or(Error::NotFound)
    }

    /// A vessel's locations.
    pub async fn locations(&self, actor: &Actor, vessel: VesselId) -> Result<Vec<StockLocation>> {
        let mut tx = self.readable(actor, vessel).await?;
        Ok(tx.stock_locations(actor.company_id, vessel).await?)
    }

    /// A vessel's stock: each part with a balance or a rule, on hand per location and in all,
    /// what is on its way there, and what to reorder. Low only: the parts whose total and
    /// incoming together are below their minimum.
    pub async fn vessel_stock(&self, actor: &Actor, vessel: VesselId, low_only: bool) -> Result<VesselStock> {
        let mut tx = self.readable(actor, vessel).await?;
        let company = actor.company_id;
        let locations = tx.stock_locations(company, vessel).await?;
        // One statement: the parts in number order, each once per location holding it.
        let mut rows = tx.vessel_stock(company, vessel, STOCK_CAP + 1).await?;
        let truncated = rows.len() > STOCK_CAP as usize;
        rows.truncate(STOCK_CAP as usize);
        let mut lines: Vec<StockLine> = Vec::new();
        for row in rows {
            match lines.last_mut() {
                Some(line) if line.part.id == row.part.id => line.balances.extend(row.balance),
                _ => lines.push(StockLine {
                    part: row.part,
                    balances: row.balance.into_iter().collect(),
                    total: Quantity::ZERO,
                    incoming: Quantity::ZERO,
                    rule: row.rule,
                    suggested: None,
                }),
            }
        }
        // Parts on their way count towards the minimum, so nothing is ordered twice.
        let incoming: std::collections::HashMap<PartId, Quantity> =
            tx.incoming_transfers(company, vessel).await?.into_iter().collect();
        for line in &mut lines {
            line.total = line.balances.iter().fold(Quantity::ZERO, |q, (_, b)| q.plus(*b));
            line.incoming = incoming.get(&line.part.id).copied().unwrap_or(Quantity::ZERO);
            line.suggested = line.rule.and_then(|r| suggested_requisition(line.total.plus(line.incoming), r));
        }
        if low_only {
            lines.retain(|l| l.suggested.is_some());
        }
        Ok(VesselStock { locations, lines, truncated })
    }

    /// A vessel's ledger, newest first.
    pub async fn entries(
        &self,
        actor: &Actor,
        filter: StockEntryFilter,
        page: Page<StockEntryId>,
    ) -> Result<(Vec<StockEntry>, Option<StockEntryId>)> {
        let mut tx = self.readable(actor, filter.vessel).await?;
        let rows =
            tx.stock_entries(actor.company_id, &filter, Page { after: page.after, limit: page.limit + 1 }).await?;
        Ok(crate::page_of(rows, page.limit, |e| e.id))
    }

    pub(crate) async fn readable(&self, actor: &Actor, vessel: VesselId) -> Result<Box<dyn Tx>> {
        actor.require(Action::StockRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        self.in_reach(&mut tx, actor, vessel).await?;
        Ok(tx)
    }

    /// `NotFound` unless the vessel exists and the caller reaches it.
    pub(crate) async fn in_reach(&self, tx: &mut Box<dyn Tx>, actor: &Actor, vessel: VesselId) -> Result<()> {
        if tx.vessel(actor.company_id, vessel).await?.is_none() || !self.deps.sees_vessel(tx, actor, vessel).await? {
            return Err(Error::NotFound);
        }
        Ok(())
    }
}
