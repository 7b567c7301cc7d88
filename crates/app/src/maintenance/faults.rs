//! Faults: reporting (idempotent on the client's id, so an offline report sent twice is one
//! fault), the lifecycle from open to closed and back, assignment, comments, and the repair
//! time behind MTTR.
//!
//! Rules kept here (see `docs/ARCHITECTURE.md`, "Faults"):
//! - the reporter is the caller and the vessel is the equipment's; a decommissioned item takes
//!   no new faults;
//! - every move goes through [`check_transition`]; resolving goes through [`FaultService::resolve`]
//!   because it needs a root cause and a resolution;
//! - reopening clears the resolution (the fault is not repaired any more) and its next
//!   resolution counts repair time from the original report again;
//! - a critical fault not yet resolved shows its equipment as down ([`effective_status`]),
//!   derived when read, never written.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use bosun_domain::clock::to_micros;
use bosun_domain::equipment::{Equipment, EquipmentStatus, effective_status};
use bosun_domain::fault::{Comment, Fault, FaultError, FaultStatus, NewFault, Severity, check_observed_at};
use bosun_domain::parts::PartsOrder;
use bosun_domain::permissions::Action;
use bosun_domain::{CompanyId, EquipmentId, FaultId, UserId, VesselId, Violation, check_text};
use bosun_store::{FaultFilter, Page, PartsOrderFilter, Tx};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

use crate::checks::check_long_text;
use crate::conflicts::StatusMove;
use crate::realtime::LiveEvent;
use crate::work::{UnitOfWork, mutator};
use crate::{Actor, Audit, Deps, Error, Result, Violations, id_race, vessel_change};

/// Which faults to list.
#[derive(Debug, Clone, Default)]
pub struct FaultQuery {
    /// Only on this vessel.
    pub vessel: Option<VesselId>,
    /// Only on this item.
    pub equipment: Option<EquipmentId>,
    /// Only these severities (empty: any).
    pub severities: Vec<Severity>,
    /// Only these statuses (empty: every unresolved one).
    pub statuses: Vec<FaultStatus>,
    /// Only held by this person.
    pub assignee: Option<UserId>,
}

/// A fault with what people need to know about its equipment.
#[derive(Debug, Clone)]
pub struct FaultEntry {
    /// The fault.
    pub fault: Fault,
    /// The item's name.
    pub equipment_name: String,
    /// The item's status as people see it (an unresolved critical fault shows it down).
    pub equipment_status: EquipmentStatus,
}

/// A fault with its comments and parts orders.
#[derive(Debug, Clone)]
pub struct FaultDetail {
    /// The fault.
    pub entry: FaultEntry,
    /// Its comments, oldest first.
    pub comments: Vec<Comment>,
    /// Its parts orders, newest first.
    pub parts_orders: Vec<PartsOrder>,
}

/// The answer to a report: the fault, and whether this call created it (a repeated report
/// with the same id and content answers the stored fault).
#[derive(Debug, Clone)]
pub struct Reported {
    /// The fault.
    pub entry: FaultEntry,
    /// False when the same report had already been received.
    pub created: bool,
}

/// The fields of a fault as the change log and the audit trail keep them.
pub fn fault_json(f: &Fault) -> serde_json::Value {
    json!({
        "id": f.id, "vessel_id": f.vessel_id, "equipment_id": f.equipment_id, "severity": f.severity.as_str(),
        "status": f.status.as_str(), "title": f.title, "description": f.description, "reported_by": f.reported_by,
        "observed_at": f.observed_at, "received_at": f.received_at, "acknowledged_at": f.acknowledged_at,
        "assignee_id": f.assignee_id, "resolved_at": f.resolved_at, "resolved_by": f.resolved_by,
        "root_cause": f.root_cause, "resolution": f.resolution, "repair_seconds": f.repair_seconds,
        "closed_at": f.closed_at,
    })
}

/// The live event telling a vessel's clients that a fault was reported or changed. The summary
/// holds nothing role-restricted (no repair time).
pub(crate) fn fault_event(kind: &str, f: &Fault, at: DateTime<Utc>) -> LiveEvent {
    LiveEvent {
        company_id: f.company_id,
        vessel_id: Some(f.vessel_id),
        kind: kind.to_owned(),
        entity_id: f.id.0,
        summary: json!({
            "id": f.id, "title": f.title, "severity": f.severity.as_str(), "status": f.status.as_str(),
            "vessel_id": f.vessel_id,
        }),
        at,
    }
}

fn transition_error(e: FaultError) -> Error {
    Error::Conflict { code: e.code(), message: e.to_string() }
}

fn resolved_error(f: &Fault) -> Error {
    Error::Conflict { code: "fault_resolved", message: format!("fault {} is {}; reopen it first", f.id, f.status) }
}

/// Fails with `version_conflict` unless the fault is as `read` earlier in this transaction.
/// Called after the transaction's change-log row is taken, which locks the vessel's sequence
/// until commit: any change of the fault committed since it was read is visible by then.
pub(crate) async fn unchanged_since(tx: &mut Box<dyn Tx>, actor: &Actor, read: &Fault) -> Result<()> {
    let current = tx.fault(actor.company_id, read.id).await?.ok_or(Error::NotFound)?;
    if current.version == read.version {
        Ok(())
    } else {
        Err(Error::Conflict {
            code: "version_conflict",
            message: format!("fault {} changed meanwhile; read it again and retry", read.id),
        })
    }
}

/// Fails unless the fault still needs work.
pub(crate) fn require_unresolved(f: &Fault) -> Result<()> {
    if f.status.is_unresolved() { Ok(()) } else { Err(resolved_error(f)) }
}

/// Answers with the effective status of equipment on the vessels asked about, reading each
/// vessel's list of items down by critical faults once.
#[derive(Default)]
pub(crate) struct EquipmentLookup {
    items: BTreeMap<EquipmentId, Option<Equipment>>,
    down: BTreeMap<VesselId, BTreeSet<EquipmentId>>,
    /// Items whose down state is known without reading their vessel's list.
    known_down: BTreeMap<EquipmentId, bool>,
}

impl EquipmentLookup {
    /// A lookup that already holds `item` and whether a critical fault holds it down, as this
    /// transaction sees them.
    pub(crate) fn knowing(item: Equipment, down: bool) -> Self {
        let mut lookup = Self::default();
        lookup.known_down.insert(item.id, down);
        lookup.items.insert(item.id, Some(item));
        lookup
    }

    /// The item (if it still exists) and its effective status.
    pub(crate) async fn status_of(
        &mut self,
        tx: &mut Box<dyn Tx>,
        company: CompanyId,
        vessel: VesselId,
        id: EquipmentId,
    ) -> Result<Option<(String, EquipmentStatus)>> {
        if let Entry::Vacant(slot) = self.items.entry(id) {
            slot.insert(tx.equipment(company, id).await?);
        }
        let has_critical = match self.known_down.get(&id) {
            Some(&down) => down,
            None => {
                if let Entry::Vacant(slot) = self.down.entry(vessel) {
                    slot.insert(tx.equipment_down_by_critical_faults(company, vessel).await?.into_iter().collect());
                }
                self.down.get(&vessel).is_some_and(|d| d.contains(&id))
            }
        };
        Ok(self
            .items
            .get(&id)
            .and_then(Option::as_ref)
            .map(|e| (e.name.clone(), effective_status(e.status, has_critical))))
    }

    /// A fault with its equipment's name and effective status.
    pub(crate) async fn entry(&mut self, tx: &mut Box<dyn Tx>, fault: Fault) -> Result<FaultEntry> {
        let (equipment_name, equipment_status) = self
            .status_of(tx, fault.company_id, fault.vessel_id, fault.equipment_id)
            .await?
            .ok_or_else(|| Error::Internal(format!("fault {} names missing equipment", fault.id)))?;
        Ok(FaultEntry { fault, equipment_name, equipment_status })
    }
}

/// Fault use cases.
#[derive(Clone)]
pub struct FaultService {
    /// The store, clock and event hub it works with.
    pub deps: Deps,
}

/// Reports a fault on an item of equipment (`report_fault.v1`). The same client id with the
/// same content answers the stored fault (`created` false); with other content it is a
/// conflict.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportFault {
    /// Client-made UUIDv7 (offline reports); the same id again is the same report.
    #[serde(default)]
    pub id: Option<FaultId>,
    /// The faulty item; its vessel becomes the fault's.
    pub equipment_id: EquipmentId,
    /// How bad.
    pub severity: Severity,
    /// One line, 1–200 characters.
    pub title: String,
    /// What was seen, up to 10,000 characters.
    #[serde(default)]
    pub description: String,
    /// When the crew saw it; the time of receipt when absent.
    #[serde(default)]
    pub observed_at: Option<DateTime<Utc>>,
}

/// Acknowledges an open fault (`acknowledge_fault.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgeFault {
    /// The fault.
    pub fault_id: FaultId,
}

/// Hands an unresolved fault to a person of the company who can see its vessel
/// (`assign_fault.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignFault {
    /// The fault.
    pub fault_id: FaultId,
    /// Who takes it.
    pub assignee_id: UserId,
}

/// Moves a fault in its lifecycle (`set_fault_status.v1`): any move but resolving, which
/// needs a root cause and a resolution ([`ResolveFault`]). `open` reopens a resolved or closed
/// fault.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetFaultStatus {
    /// The fault.
    pub fault_id: FaultId,
    /// Where it goes.
    pub status: FaultStatus,
}

/// Resolves a fault with its root cause and resolution, fixing its repair time: from the
/// original report (the observed time) to now (`resolve_fault.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResolveFault {
    /// The fault.
    pub fault_id: FaultId,
    /// Why it failed, 1–4,000 characters.
    pub root_cause: String,
    /// What was done, 1–4,000 characters.
    pub resolution: String,
}

/// Adds a comment to a fault (`comment_fault.v1`); comments are never edited.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentFault {
    /// The fault.
    pub fault_id: FaultId,
    /// The text, 1–4,000 characters.
    pub body: String,
}

impl ReportFault {
    /// A report whose severity comes as text (an HTTP body): every problem with the severity,
    /// title and description at once.
    pub fn parse(
        id: Option<FaultId>,
        equipment_id: EquipmentId,
        severity: &str,
        title: String,
        description: String,
        observed_at: Option<DateTime<Utc>>,
    ) -> Result<Self> {
        let mut v = Violations::default();
        let severity = v.check(severity.parse::<Severity>());
        v.check(check_text("title", &title, 1, 200));
        v.check(check_long_text("description", &description, 0, 10_000));
        v.finish()?;
        let severity = severity.ok_or_else(|| Error::Internal("checked severity".into()))?;
        Ok(Self { id, equipment_id, severity, title, description, observed_at })
    }
}

mutator!(ReportFault, "report_fault.v1", Reported, |app, uow, actor, m| {
        app.faults.report(uow, actor, m).await
}, id_taken: |m| {
        m.id.map_or_else(|| Error::Internal("an id race without a client-made id".into()), id_taken)
});

mutator!(AcknowledgeFault, "acknowledge_fault.v1", FaultEntry, |app, uow, actor, m| {
    let s = &app.faults;
    let before = s.open_for_change(uow, actor, m.fault_id, Action::FaultManage).await?;
    s.move_to(uow, actor, before, FaultStatus::Acknowledged).await
});

mutator!(SetFaultStatus, "set_fault_status.v1", FaultEntry, |app, uow, actor, m| {
    let s = &app.faults;
    let before = s.open_for_change(uow, actor, m.fault_id, Action::FaultManage).await?;
    if m.status == FaultStatus::Resolved {
        return Err(Violation::new(
            "status",
            "resolve_separately",
            "resolving needs a root cause and a resolution: use PUT /faults/{id}/resolve",
        )
        .into());
    }
    s.move_to(uow, actor, before, m.status).await
});

mutator!(AssignFault, "assign_fault.v1", FaultEntry, |app, uow, actor, m| { app.faults.assign(uow, actor, m).await });

mutator!(ResolveFault, "resolve_fault.v1", FaultEntry, |app, uow, actor, m| {
    app.faults.resolve(uow, actor, m).await
});

mutator!(CommentFault, "comment_fault.v1", Comment, |app, uow, actor, m| { app.faults.comment(uow, actor, m).await });

impl FaultService {
    /// The fault if the caller may see it, else `NotFound`.
    async fn visible(&self, tx: &mut Box<dyn Tx>, actor: &Actor, id: FaultId) -> Result<Fault> {
        let f = tx.fault(actor.company_id, id).await?.ok_or(Error::NotFound)?;
        if !self.deps.sees_vessel(tx, actor, f.vessel_id).await? {
            return Err(Error::NotFound);
        }
        Ok(f)
    }

    /// The fault, when the caller may see it and change it with `action`.
    /// For a pushed mutation, the vessel's scope is locked before the fault is read for good
    /// (its fields are decided against concurrent writes: [`crate::conflicts`]).
    async fn open_for_change(&self, uow: &mut UnitOfWork, actor: &Actor, id: FaultId, action: Action) -> Result<Fault> {
        let fault = self.visible(&mut uow.tx, actor, id).await?;
        actor.permit(action, "fault", id)?;
        if uow.hold_scope(actor.company_id, &format!("vessel:{}", fault.vessel_id)).await? {
            return self.visible(&mut uow.tx, actor, id).await;
        }
        Ok(fault)
    }

    /// Whether a move of `before` to `to` applies against concurrent writes (an online write
    /// always does; see [`UnitOfWork::status_applies`]).
    async fn status_applies(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        before: &Fault,
        to: FaultStatus,
        valid: bool,
    ) -> Result<bool> {
        let m = StatusMove {
            scope: format!("vessel:{}", before.vessel_id),
            entity: "fault",
            row: before.id.0,
            from: (before.status.as_str(), before.status.rank()),
            to: (to.as_str(), to.rank()),
            reopens: to == FaultStatus::Open,
            valid,
        };
        uow.status_applies(&self.deps, actor, m).await
    }

    /// Writes `after` over `before` with its change-log row and audit entry, inside `tx`. The
    /// change-log row is taken first: it locks the vessel's sequence, so a concurrent change
    /// of the same fault is seen and refused here (`version_conflict`) rather than silently
    /// overwritten.
    pub(crate) async fn save(
        deps: &Deps,
        tx: &mut Box<dyn Tx>,
        actor: &Actor,
        before: &Fault,
        mut after: Fault,
        action: &str,
    ) -> Result<Fault> {
        let now = deps.clock.now();
        after.updated_at = now;
        let fields = fault_json(&after);
        after.version = tx
            .record_change(
                actor.company_id,
                &vessel_change(after.vessel_id, "fault", after.id.0, "update", fields.clone(), now),
            )
            .await?;
        unchanged_since(tx, actor, before).await?;
        let saved = tx.update_fault(&after).await?;
        deps.audit(
            tx,
            actor.company_id,
            Some(actor.user_id),
            &actor.meta,
            Audit::ok(action, "fault", saved.id).before(fault_json(before)).after(fields),
        )
        .await?;
        Ok(saved)
    }

    /// Saves a change and queues `fault.changed`.
    async fn finish_change(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        before: &Fault,
        after: Fault,
        action: &str,
    ) -> Result<FaultEntry> {
        let saved = Self::save(&self.deps, &mut uow.tx, actor, before, after, action).await?;
        let entry = EquipmentLookup::default().entry(&mut uow.tx, saved).await?;
        uow.publish(fault_event("fault.changed", &entry.fault, self.deps.clock.now()));
        Ok(entry)
    }

    pub(crate) async fn report(&self, uow: &mut UnitOfWork, actor: &Actor, r: &ReportFault) -> Result<Reported> {
        actor.permit_new(Action::FaultReport, "fault", r.id)?;
        let now = self.deps.clock.now();
        let mut v = Violations::default();
        let title = v.check(check_text("title", &r.title, 1, 200));
        let description = v.check(check_long_text("description", &r.description, 0, 10_000));
        let observed_at = r.observed_at.map(to_micros).unwrap_or(now);
        v.check(check_observed_at(observed_at, now));
        v.finish()?;
        let (Some(title), Some(description)) = (title, description) else {
            return Err(Error::Internal("checked fault fields".into()));
        };
        let tx = &mut uow.tx;
        if let Some(id) = r.id
            && let Some(existing) = tx.fault(actor.company_id, id).await?
        {
            let same = existing.reported_by == actor.user_id
                && existing.equipment_id == r.equipment_id
                && existing.severity == r.severity
                && existing.title == title
                && existing.description == description
                && (r.observed_at.is_none() || existing.observed_at == observed_at)
                && self.deps.sees_vessel(tx, actor, existing.vessel_id).await?;
            if !same {
                return Err(id_taken(id));
            }
            let entry = EquipmentLookup::default().entry(tx, existing).await?;
            return Ok(Reported { entry, created: false });
        }
        let unknown =
            || Error::from(Violation::new("equipment_id", "unknown_equipment", "is not equipment you can see"));
        // One statement: the item, that the caller may see its vessel, and its down state.
        let member = self.deps.reach(actor);
        let (equipment, down) =
            tx.equipment_seen(actor.company_id, r.equipment_id, member).await?.ok_or_else(unknown)?;
        if equipment.status == EquipmentStatus::Decommissioned {
            return Err(Error::Conflict {
                code: "equipment_decommissioned",
                message: format!("{} is decommissioned and takes no new faults", equipment.name),
            });
        }
        let mut fault = Fault::report(NewFault {
            id: r.id.unwrap_or_else(|| self.deps.ids.id()),
            company_id: actor.company_id,
            vessel_id: equipment.vessel_id,
            equipment_id: equipment.id,
            severity: r.severity,
            title,
            description,
            reported_by: actor.user_id,
            observed_at,
            received_at: now,
        });
        let fields = fault_json(&fault);
        fault.version = tx
            .record_change(
                actor.company_id,
                &vessel_change(fault.vessel_id, "fault", fault.id.0, "insert", fields.clone(), now),
            )
            .await?;
        tx.insert_fault(&fault).await.map_err(id_race)?;
        self.deps
            .audit(
                tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("fault.report", "fault", fault.id).after(fields),
            )
            .await?;
        // The item and its down state were read above, in this transaction; this report is open.
        let down = down || (fault.severity == Severity::Critical && fault.status.is_unresolved());
        let entry = EquipmentLookup::knowing(equipment, down).entry(tx, fault).await?;
        uow.publish(fault_event("fault.reported", &entry.fault, now));
        Ok(Reported { entry, created: true })
    }

    /// Faults the caller may see, newest first; unresolved ones unless statuses are named.
    pub async fn list(
        &self,
        actor: &Actor,
        query: FaultQuery,
        page: Page<FaultId>,
    ) -> Result<(Vec<FaultEntry>, Option<FaultId>)> {
        actor.require(Action::FaultRead)?;
        let statuses = if query.statuses.is_empty() {
            FaultStatus::ALL.iter().copied().filter(|s| s.is_unresolved()).collect()
        } else {
            query.statuses
        };
        let filter = FaultFilter {
            scope: self.deps.scope_for(actor, query.vessel),
            equipment: query.equipment,
            severities: query.severities,
            statuses,
            assignee: query.assignee,
            reported_by: None,
        };
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let mut rows =
            tx.list_faults(actor.company_id, &filter, Page { after: page.after, limit: page.limit + 1 }).await?;
        let next = if rows.len() > page.limit as usize {
            rows.truncate(page.limit as usize);
            rows.last().map(|f| f.id)
        } else {
            None
        };
        let mut lookup = EquipmentLookup::default();
        let mut entries = Vec::with_capacity(rows.len());
        for f in rows {
            entries.push(lookup.entry(&mut tx, f).await?);
        }
        Ok((entries, next))
    }

    /// One fault with its comments and parts orders.
    pub async fn get(&self, actor: &Actor, id: FaultId) -> Result<FaultDetail> {
        actor.require(Action::FaultRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let fault = self.visible(&mut tx, actor, id).await?;
        let comments = tx.comments(actor.company_id, id).await?;
        let filter = PartsOrderFilter { fault: Some(id), ..PartsOrderFilter::default() };
        let parts_orders = tx.list_parts_orders(actor.company_id, &filter, Page { after: None, limit: 1000 }).await?;
        let entry = EquipmentLookup::default().entry(&mut tx, fault).await?;
        Ok(FaultDetail { entry, comments, parts_orders })
    }

    async fn move_to(&self, uow: &mut UnitOfWork, actor: &Actor, before: Fault, to: FaultStatus) -> Result<FaultEntry> {
        let now = self.deps.clock.now();
        let (after, action) = match to {
            FaultStatus::Acknowledged => (before.acknowledge(now), "fault.acknowledge"),
            FaultStatus::Closed => (before.close(now), "fault.close"),
            FaultStatus::Open => (before.reopen(), "fault.reopen"),
            FaultStatus::InProgress | FaultStatus::AwaitingParts | FaultStatus::Resolved => {
                (before.move_to(to), "fault.status")
            }
        };
        if !self.status_applies(uow, actor, &before, to, after.is_ok()).await? {
            return EquipmentLookup::default().entry(&mut uow.tx, before).await;
        }
        let after = after.map_err(transition_error)?;
        self.finish_change(uow, actor, &before, after, action).await
    }

    async fn assign(&self, uow: &mut UnitOfWork, actor: &Actor, a: &AssignFault) -> Result<FaultEntry> {
        let before = self.open_for_change(uow, actor, a.fault_id, Action::FaultManage).await?;
        let unknown =
            || Error::from(Violation::new("assignee_id", "unknown_person", "is not a person of this company"));
        let m = uow.tx.membership(actor.company_id, a.assignee_id).await?.ok_or_else(unknown)?;
        if !m.active {
            return Err(Violation::new("assignee_id", "inactive_person", "is disabled").into());
        }
        if m.role.is_vessel_scoped()
            && !self.deps.person_reaches(&mut uow.tx, actor, a.assignee_id, before.vessel_id).await?
        {
            return Err(Violation::new("assignee_id", "not_on_vessel", "is not a member of the fault's vessel").into());
        }
        require_unresolved(&before)?;
        if let Some(since) = uow.since_base(actor.company_id, "fault", before.id.0).await? {
            let at = (format!("vessel:{}", before.vessel_id), "fault", before.id.0);
            let values = (&json!(a.assignee_id), &json!(before.assignee_id));
            if !uow.field_applies(&self.deps, actor, (&at.0, at.1, at.2), &since, "assignee_id", values).await? {
                return EquipmentLookup::default().entry(&mut uow.tx, before).await;
            }
        }
        let after = Fault { assignee_id: Some(a.assignee_id), ..before.clone() };
        self.finish_change(uow, actor, &before, after, "fault.assign").await
    }

    async fn resolve(&self, uow: &mut UnitOfWork, actor: &Actor, r: &ResolveFault) -> Result<FaultEntry> {
        let before = self.open_for_change(uow, actor, r.fault_id, Action::FaultManage).await?;
        let mut v = Violations::default();
        let root_cause = v.check(check_long_text("root_cause", &r.root_cause, 1, 4000));
        let resolution = v.check(check_long_text("resolution", &r.resolution, 1, 4000));
        v.finish()?;
        let (Some(root_cause), Some(resolution)) = (root_cause, resolution) else {
            return Err(Error::Internal("checked resolution fields".into()));
        };
        let after = before.resolve(actor.user_id, root_cause.clone(), resolution.clone(), self.deps.clock.now());
        if !self.status_applies(uow, actor, &before, FaultStatus::Resolved, after.is_ok()).await? {
            // Resolved meanwhile by someone else as well: the root cause and the resolution
            // each go by clock, the other text kept as a conflict.
            if before.status == FaultStatus::Resolved
                && let Some(since) = uow.since_base(actor.company_id, "fault", before.id.0).await?
            {
                let scope = format!("vessel:{}", before.vessel_id);
                let at = (scope.as_str(), "fault", before.id.0);
                let mut merged = before.clone();
                for (field, mine) in [("root_cause", root_cause), ("resolution", resolution)] {
                    let current = if field == "root_cause" { &before.root_cause } else { &before.resolution };
                    let values = (&json!(mine), &json!(current));
                    if values.0 != values.1 && uow.field_applies(&self.deps, actor, at, &since, field, values).await? {
                        if field == "root_cause" {
                            merged.root_cause = Some(mine);
                        } else {
                            merged.resolution = Some(mine);
                        }
                    }
                }
                if merged != before {
                    return self.finish_change(uow, actor, &before, merged, "fault.resolve").await;
                }
            }
            return EquipmentLookup::default().entry(&mut uow.tx, before).await;
        }
        self.finish_change(uow, actor, &before, after.map_err(transition_error)?, "fault.resolve").await
    }

    async fn comment(&self, uow: &mut UnitOfWork, actor: &Actor, input: &CommentFault) -> Result<Comment> {
        let id = input.fault_id;
        let fault = self.open_for_change(uow, actor, id, Action::FaultComment).await?;
        let body = check_long_text("body", &input.body, 1, 4000)?;
        let now = self.deps.clock.now();
        let c = Comment {
            id: self.deps.ids.id(),
            company_id: actor.company_id,
            fault_id: id,
            author_id: actor.user_id,
            body,
            created_at: now,
        };
        let fields = json!({ "id": c.id, "fault_id": id, "author_id": c.author_id, "body": c.body, "created_at": now });
        let tx = &mut uow.tx;
        tx.record_change(
            actor.company_id,
            &vessel_change(fault.vessel_id, "fault_comment", c.id.0, "insert", fields.clone(), now),
        )
        .await?;
        tx.insert_comment(&c).await?;
        self.deps
            .audit(
                tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("fault.comment", "fault_comment", c.id).after(fields),
            )
            .await?;
        uow.publish(fault_event("fault.changed", &fault, now));
        Ok(c)
    }
}

fn id_taken(id: FaultId) -> Error {
    Error::Conflict {
        code: "id_taken",
        message: format!("fault {id} was already reported with other content; report a new fault with a new id"),
    }
}
