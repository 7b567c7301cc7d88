//! Crew rotation handovers: the outgoing person's handover for a vessel is assembled from
//! what is open (faults, parts on order, running-hour changes) and their own notes; completing
//! it freezes a snapshot that the incoming person acknowledges.
//!
//! Rules kept here (see `docs/ARCHITECTURE.md`, "Handovers"):
//! - only a member of the vessel (on its rotation) prepares, completes or acknowledges;
//! - open faults list those the outgoing person reported or holds first;
//! - running-hour changes cover the readings since the vessel's last handover, or since the
//!   start of the outgoing person's rotation when the vessel has none;
//! - the snapshot is stored as JSON exactly as `GET /handovers/current` showed it and is never
//!   changed; only the acknowledgement (who and when, once) is added later, by someone other
//!   than the outgoing person.

use std::collections::BTreeMap;

use bosun_domain::equipment::{MeterReading, running_hours};
use bosun_domain::fault::{FaultStatus, Severity};
use bosun_domain::handover::{Handover, HandoverDraft};
use bosun_domain::parts::PartsOrderStatus;
use bosun_domain::permissions::Action;
use bosun_domain::vessel::VesselMember;
use bosun_domain::{CompanyId, EquipmentId, FaultId, HandoverId, PartsOrderId, VesselId, Violation};
use bosun_store::{FaultFilter, Page, PartsOrderFilter, StoreError, Tx};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::checks::check_long_text;
use crate::maintenance::faults::EquipmentLookup;
use crate::realtime::LiveEvent;
use crate::vessel_change;
use crate::work::{UnitOfWork, mutator};
use crate::{Actor, Audit, Deps, Error, Result, Violations};

/// At most this many notes per item.
const MAX_ITEM_NOTES: usize = 500;

/// A handover as assembled for the outgoing person; completing it stores exactly this as the
/// snapshot. (It derives `ToSchema` because the stored snapshot *is* this API shape.)
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HandoverContent {
    /// The vessel.
    pub vessel_id: Uuid,
    /// Who hands over.
    pub outgoing_user_id: Uuid,
    /// Running-hour changes are counted from here: the vessel's last handover, or the start of
    /// the outgoing person's rotation.
    pub since: DateTime<Utc>,
    /// When this was assembled.
    pub assembled_at: DateTime<Utc>,
    /// Unresolved faults of the vessel, the outgoing person's own (reported or held) first.
    pub faults: Vec<HandoverFault>,
    /// Parts orders not yet received or cancelled.
    pub parts_orders: Vec<HandoverPartsOrder>,
    /// Per item, the running hours read since `since`.
    pub running_hours: Vec<RunningHoursChange>,
    /// The outgoing person's free-text notes.
    pub notes: String,
    /// Notes per item, keyed `fault:{id}` or `parts_order:{id}`.
    pub item_notes: BTreeMap<String, String>,
}

/// An open fault in a handover.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HandoverFault {
    /// The fault.
    pub id: Uuid,
    /// One line.
    pub title: String,
    /// `low` … `critical`.
    #[schema(value_type = String)]
    pub severity: &'static str,
    /// Where it stands.
    #[schema(value_type = String)]
    pub status: &'static str,
    /// The item.
    pub equipment_id: Uuid,
    /// Its name.
    pub equipment_name: String,
    /// Who reported it.
    pub reported_by: Uuid,
    /// Who holds it.
    pub assignee_id: Option<Uuid>,
    /// When it was observed.
    pub observed_at: DateTime<Utc>,
    /// Reported or held by the outgoing person.
    pub mine: bool,
    /// The outgoing person's note on it.
    pub note: Option<String>,
}

/// A parts order in a handover (no prices: anyone on the vessel reads handovers).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HandoverPartsOrder {
    /// The order.
    pub id: Uuid,
    /// The fault it serves.
    pub fault_id: Uuid,
    /// Part name.
    pub part_name: String,
    /// Part number.
    pub part_number: Option<String>,
    /// How many.
    pub quantity: i64,
    /// Supplier.
    pub supplier: String,
    /// `requested`, `approved`, `ordered` or `shipped`.
    #[schema(value_type = String)]
    pub status: &'static str,
    /// When the status last changed.
    pub status_changed_at: DateTime<Utc>,
    /// The outgoing person's note on it.
    pub note: Option<String>,
}

/// How an item's running hours moved in the handover's period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RunningHoursChange {
    /// The item.
    pub equipment_id: Uuid,
    /// Its name.
    pub equipment_name: String,
    /// The first reading of the period.
    pub first_hours: f64,
    /// When.
    pub first_read_at: DateTime<Utc>,
    /// The last reading of the period.
    pub last_hours: f64,
    /// When.
    pub last_read_at: DateTime<Utc>,
    /// Hours run between them (across a meter replacement, the old meter's hours plus the new one's).
    pub delta_hours: f64,
    /// Readings in the period.
    pub readings: usize,
}

/// Saves the caller's draft notes for a vessel they are on (`save_handover_notes.v1`) and
/// answers the handover with them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveHandoverNotes {
    /// The vessel.
    pub vessel_id: VesselId,
    /// Free text.
    #[serde(default)]
    pub notes: String,
    /// Per item, keyed `fault:{id}` or `parts_order:{id}`; an empty text drops the note.
    #[serde(default)]
    pub item_notes: BTreeMap<String, String>,
}

/// Completes the caller's handover (`complete_handover.v1`): stores the snapshot and clears
/// the draft.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompleteHandover {
    /// The vessel.
    pub vessel_id: VesselId,
    /// The last day of the outgoing person's rotation.
    pub rotation_end: NaiveDate,
}

/// Records that the caller, on the vessel and not the outgoing person, took a handover over
/// (`acknowledge_handover.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgeHandover {
    /// The handover.
    pub handover_id: HandoverId,
}

mutator!(SaveHandoverNotes, "save_handover_notes.v1", HandoverContent, |app, uow, actor, m| {
    app.handovers.save_notes(uow, actor, m).await
});

mutator!(CompleteHandover, "complete_handover.v1", Handover, |app, uow, actor, m| {
    app.handovers.complete(uow, actor, m).await
});

mutator!(AcknowledgeHandover, "acknowledge_handover.v1", Handover, |app, uow, actor, m| {
    app.handovers.acknowledge(uow, actor, m.handover_id).await
});

/// A handover's fields as its change-log row carries them.
pub fn handover_json(h: &Handover) -> serde_json::Value {
    json!({
        "id": h.id, "vessel_id": h.vessel_id, "outgoing_user_id": h.outgoing_user_id,
        "rotation_end": h.rotation_end, "completed_at": h.completed_at,
        "acknowledged_by": h.acknowledged_by, "acknowledged_at": h.acknowledged_at,
    })
}

fn handover_event(kind: &str, h: &Handover, at: DateTime<Utc>) -> LiveEvent {
    LiveEvent {
        company_id: h.company_id,
        vessel_id: Some(h.vessel_id),
        kind: kind.to_owned(),
        entity_id: h.id.0,
        summary: json!({
            "id": h.id, "vessel_id": h.vessel_id, "outgoing_user_id": h.outgoing_user_id,
            "rotation_end": h.rotation_end, "acknowledged_by": h.acknowledged_by,
        }),
        at,
    }
}

fn not_on_vessel() -> Error {
    Error::Conflict {
        code: "not_on_vessel",
        message: "only a person on the vessel's rotation hands over or takes over its handover".into(),
    }
}

/// The item an item-note key names: `fault:{uuid}` or `parts_order:{uuid}`.
enum NoteItem {
    Fault(FaultId),
    Order(PartsOrderId),
}

/// Reads an item-note key: `fault:{uuid}` or `parts_order:{uuid}`.
fn parse_item_key(key: &str) -> Result<NoteItem, Violation> {
    let item = match key.split_once(':') {
        Some(("fault", id)) => id.parse::<FaultId>().ok().map(NoteItem::Fault),
        Some(("parts_order", id)) => id.parse::<PartsOrderId>().ok().map(NoteItem::Order),
        _ => None,
    };
    item.ok_or_else(|| Violation::new("item_notes", "invalid_key", "keys are fault:{id} or parts_order:{id}"))
}

/// Whether `item` is a fault or parts order of `vessel` (a note may stay on one resolved or
/// received meanwhile, but never on another vessel's, another company's or a made-up one).
async fn is_item_of(tx: &mut Box<dyn Tx>, company: CompanyId, vessel: VesselId, item: &NoteItem) -> Result<bool> {
    Ok(match item {
        NoteItem::Fault(id) => tx.fault(company, *id).await?.is_some_and(|f| f.vessel_id == vessel),
        NoteItem::Order(id) => tx.parts_order(company, *id).await?.is_some_and(|o| o.vessel_id == vessel),
    })
}

/// Orders severities for a handover's list, most severe first (0 is critical).
pub fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::Critical => 0,
        Severity::High => 1,
        Severity::Medium => 2,
        Severity::Low => 3,
    }
}

/// Handover use cases.
#[derive(Clone)]
pub struct HandoverService {
    /// The store, clock and event hub it works with.
    pub deps: Deps,
}

impl HandoverService {
    /// The caller's membership of `vessel`, when they are on it and may `action` on it.
    async fn member_for(
        &self,
        tx: &mut Box<dyn Tx>,
        actor: &Actor,
        vessel: VesselId,
        action: Action,
    ) -> Result<VesselMember> {
        tx.vessel(actor.company_id, vessel).await?.ok_or(Error::NotFound)?;
        if !self.deps.sees_vessel(tx, actor, vessel).await? {
            return Err(Error::NotFound);
        }
        actor.permit(action, "handover", vessel)?;
        tx.vessel_member(actor.company_id, vessel, actor.user_id)
            .await?
            .filter(|m| self.deps.is_on_rotation(m))
            .ok_or_else(not_on_vessel)
    }

    /// Assembles the outgoing person's handover as it stands now.
    async fn assemble(&self, tx: &mut Box<dyn Tx>, actor: &Actor, member: &VesselMember) -> Result<HandoverContent> {
        let company = actor.company_id;
        let vessel = member.vessel_id;
        let me = actor.user_id;
        let draft = tx.handover_draft(company, vessel, me).await?.unwrap_or_default();
        let item_notes: BTreeMap<String, String> = serde_json::from_str(&draft.item_notes).unwrap_or_default();
        let note_on = |key: String| item_notes.get(&key).cloned();

        let unresolved = FaultStatus::ALL.iter().copied().filter(|s| s.is_unresolved()).collect();
        let filter = FaultFilter {
            scope: bosun_store::VesselScope { vessel: Some(vessel), member: None },
            statuses: unresolved,
            ..FaultFilter::default()
        };
        let mut open = tx.list_faults(company, &filter, Page { after: None, limit: 1000 }).await?;
        // Mine first, then the worst first; newest first among equals (the list's order).
        open.sort_by_key(|f| (!(f.reported_by == me || f.assignee_id == Some(me)), severity_rank(f.severity)));
        let mut lookup = EquipmentLookup::default();
        let mut faults = Vec::with_capacity(open.len());
        for f in open {
            let e = lookup.entry(tx, f).await?;
            let f = e.fault;
            faults.push(HandoverFault {
                id: f.id.0,
                title: f.title,
                severity: f.severity.as_str(),
                status: f.status.as_str(),
                equipment_id: f.equipment_id.0,
                equipment_name: e.equipment_name,
                reported_by: f.reported_by.0,
                assignee_id: f.assignee_id.map(|u| u.0),
                observed_at: f.observed_at,
                mine: f.reported_by == me || f.assignee_id == Some(me),
                note: note_on(format!("fault:{}", f.id)),
            });
        }

        use PartsOrderStatus::*;
        let filter = PartsOrderFilter {
            scope: bosun_store::VesselScope { vessel: Some(vessel), member: None },
            fault: None,
            statuses: vec![Requested, Approved, Ordered, Shipped],
        };
        let parts_orders = tx
            .list_parts_orders(company, &filter, Page { after: None, limit: 1000 })
            .await?
            .into_iter()
            .map(|o| HandoverPartsOrder {
                note: note_on(format!("parts_order:{}", o.id)),
                id: o.id.0,
                fault_id: o.fault_id.0,
                part_name: o.part_name,
                part_number: o.part_number,
                quantity: o.quantity,
                supplier: o.supplier,
                status: o.status.as_str(),
                status_changed_at: o.status_changed_at,
            })
            .collect();

        let since = match tx.last_handover(company, vessel).await? {
            Some(h) => h.completed_at,
            None => member.rotation_start.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or(DateTime::UNIX_EPOCH),
        };
        let readings = tx.vessel_readings_since(company, vessel, since).await?;
        let mut by_item: BTreeMap<EquipmentId, Vec<MeterReading>> = BTreeMap::new();
        for r in readings {
            by_item.entry(r.equipment_id).or_default().push(r.reading);
        }
        let mut running = Vec::with_capacity(by_item.len());
        for (id, rs) in by_item {
            let (Some(first), Some(last)) = (rs.first(), rs.last()) else { continue };
            let name = lookup.status_of(tx, company, vessel, id).await?.map(|(n, _)| n).unwrap_or_default();
            running.push(RunningHoursChange {
                equipment_id: id.0,
                equipment_name: name,
                first_hours: first.hours,
                first_read_at: first.read_at,
                last_hours: last.hours,
                last_read_at: last.read_at,
                delta_hours: running_hours(&rs) - first.hours,
                readings: rs.len(),
            });
        }
        running.sort_by(|a, b| a.equipment_name.cmp(&b.equipment_name).then(a.equipment_id.cmp(&b.equipment_id)));

        Ok(HandoverContent {
            vessel_id: vessel.0,
            outgoing_user_id: me.0,
            since,
            assembled_at: self.deps.clock.now(),
            faults,
            parts_orders,
            running_hours: running,
            notes: draft.notes,
            item_notes,
        })
    }

    /// The caller's handover for a vessel they are on, assembled now.
    pub async fn current(&self, actor: &Actor, vessel: VesselId) -> Result<HandoverContent> {
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let member = match self.member_for(&mut tx, actor, vessel, Action::HandoverPrepare).await {
            Ok(m) => m,
            Err(e) => return Err(self.deps.settle(actor, e).await),
        };
        self.assemble(&mut tx, actor, &member).await
    }

    async fn save_notes(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        input: &SaveHandoverNotes,
    ) -> Result<HandoverContent> {
        let vessel = input.vessel_id;
        let tx = &mut uow.tx;
        let member = self.member_for(tx, actor, vessel, Action::HandoverPrepare).await?;
        let mut v = Violations::default();
        let notes = v.check(check_long_text("notes", &input.notes, 0, 20_000)).unwrap_or_default();
        if input.item_notes.len() > MAX_ITEM_NOTES {
            v.check::<()>(Err(Violation::new(
                "item_notes",
                "too_many",
                format!("must hold at most {MAX_ITEM_NOTES} notes"),
            )));
        }
        let mut item_notes = BTreeMap::new();
        for (key, text) in &input.item_notes {
            let field = format!("item_notes.{key}");
            if let Some(item) = v.check(parse_item_key(key))
                && !is_item_of(tx, actor.company_id, vessel, &item).await?
            {
                v.check::<()>(Err(Violation::new(
                    field.clone(),
                    "unknown_item",
                    "is not a fault or parts order of this vessel",
                )));
            }
            if let Some(t) = v.check(check_long_text(&field, text, 0, 4000))
                && !t.is_empty()
            {
                item_notes.insert(key.clone(), t);
            }
        }
        v.finish()?;
        let (mut notes, mut item_notes) = (notes, item_notes);
        // A draft saved offline on two of the author's devices: each field goes by clock
        // against the other device's write since this one's base, the other value kept as a
        // conflict (`docs/SYNC.md` "Conflicts").
        let scope = format!("vessel:{vessel}");
        uow.hold_scope(actor.company_id, &scope).await?;
        let current = uow.tx.handover_draft(actor.company_id, vessel, actor.user_id).await?;
        if let Some(cur) = &current
            && let Some(since) =
                uow.since_base_in(actor.company_id, Some(&scope), "handover_draft", actor.user_id.0).await?
        {
            let at = (scope.as_str(), "handover_draft", actor.user_id.0);
            let held =
                (json!(cur.notes), serde_json::from_str::<serde_json::Value>(&cur.item_notes).unwrap_or_default());
            if !uow.field_applies(&self.deps, actor, at, &since, "notes", (&json!(notes), &held.0)).await? {
                notes.clone_from(&cur.notes);
            }
            if !uow.field_applies(&self.deps, actor, at, &since, "item_notes", (&json!(item_notes), &held.1)).await? {
                item_notes = serde_json::from_value(held.1).unwrap_or_default();
            }
        }
        let tx = &mut uow.tx;
        let now = self.deps.clock.now();
        let existed = current.is_some();
        let item_text = serde_json::to_string(&item_notes).map_err(|e| Error::Internal(e.to_string()))?;
        let fields = json!({ "vessel_id": vessel, "user_id": actor.user_id, "notes": notes, "item_notes": item_notes });
        let op = if existed { "update" } else { "insert" };
        tx.record_change(
            actor.company_id,
            &vessel_change(vessel, "handover_draft", actor.user_id.0, op, fields.clone(), now),
        )
        .await?;
        tx.save_handover_draft(
            actor.company_id,
            vessel,
            actor.user_id,
            &HandoverDraft { notes, item_notes: item_text },
            now,
        )
        .await?;
        self.deps
            .audit(
                tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("handover.notes", "handover_draft", format!("{vessel}/{}", actor.user_id)).after(fields),
            )
            .await?;
        self.assemble(tx, actor, &member).await
    }

    async fn complete(&self, uow: &mut UnitOfWork, actor: &Actor, input: &CompleteHandover) -> Result<Handover> {
        let (vessel, rotation_end) = (input.vessel_id, input.rotation_end);
        let tx = &mut uow.tx;
        let member = self.member_for(tx, actor, vessel, Action::HandoverPrepare).await?;
        if !(1..=9999).contains(&rotation_end.year()) {
            return Err(Violation::new("rotation_end", "out_of_range", "must be a date in the years 1 to 9999").into());
        }
        let content = self.assemble(tx, actor, &member).await?;
        let snapshot = serde_json::to_string(&content).map_err(|e| Error::Internal(e.to_string()))?;
        let now = self.deps.clock.now();
        let mut h = Handover {
            id: self.deps.ids.id(),
            company_id: actor.company_id,
            vessel_id: vessel,
            outgoing_user_id: actor.user_id,
            rotation_end,
            snapshot,
            completed_at: now,
            acknowledged_by: None,
            acknowledged_at: None,
            version: 0,
        };
        let mut fields = handover_json(&h);
        fields["snapshot"] = serde_json::to_value(&content).map_err(|e| Error::Internal(e.to_string()))?;
        h.version = tx
            .record_change(actor.company_id, &vessel_change(vessel, "handover", h.id.0, "insert", fields, now))
            .await?;
        tx.insert_handover(&h).await?;
        if tx.handover_draft(actor.company_id, vessel, actor.user_id).await?.is_some() {
            tx.clear_handover_draft(actor.company_id, vessel, actor.user_id).await?;
            let gone = json!({ "vessel_id": vessel, "user_id": actor.user_id });
            tx.record_change(
                actor.company_id,
                &vessel_change(vessel, "handover_draft", actor.user_id.0, "delete", gone, now),
            )
            .await?;
        }
        self.deps
            .audit(
                tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("handover.complete", "handover", h.id).after(handover_json(&h)),
            )
            .await?;
        uow.publish(handover_event("handover.completed", &h, now));
        Ok(h)
    }

    async fn acknowledge(&self, uow: &mut UnitOfWork, actor: &Actor, id: HandoverId) -> Result<Handover> {
        let tx = &mut uow.tx;
        let before = self.visible(tx, actor, id).await?;
        actor.permit(Action::HandoverAcknowledge, "handover", id)?;
        if before.outgoing_user_id == actor.user_id {
            return Err(Error::Conflict {
                code: "own_handover",
                message: "the incoming person acknowledges a handover, not the outgoing one".into(),
            });
        }
        let already = || Error::Conflict {
            code: "already_acknowledged",
            message: format!("handover {id} was already acknowledged"),
        };
        if before.acknowledged_at.is_some() {
            return Err(already());
        }
        tx.vessel_member(actor.company_id, before.vessel_id, actor.user_id)
            .await?
            .filter(|m| self.deps.is_on_rotation(m))
            .ok_or_else(not_on_vessel)?;
        let now = self.deps.clock.now();
        let fields = json!({ "id": id, "acknowledged_by": actor.user_id, "acknowledged_at": now });
        let version = tx
            .record_change(
                actor.company_id,
                &vessel_change(before.vessel_id, "handover", id.0, "update", fields.clone(), now),
            )
            .await?;
        let h =
            tx.acknowledge_handover(actor.company_id, id, actor.user_id, now, version).await.map_err(|e| match e {
                StoreError::Conflict(_) => already(),
                e => e.into(),
            })?;
        self.deps
            .audit(
                tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("handover.acknowledge", "handover", id).before(handover_json(&before)).after(fields),
            )
            .await?;
        uow.publish(handover_event("handover.acknowledged", &h, now));
        Ok(h)
    }

    /// Completed handovers the caller may see, newest first.
    pub async fn history(
        &self,
        actor: &Actor,
        vessel: Option<VesselId>,
        page: Page<HandoverId>,
    ) -> Result<(Vec<Handover>, Option<HandoverId>)> {
        actor.require(Action::HandoverRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let mut rows = tx
            .list_handovers(
                actor.company_id,
                self.deps.scope_for(actor, vessel),
                Page { after: page.after, limit: page.limit + 1 },
            )
            .await?;
        let next = if rows.len() > page.limit as usize {
            rows.truncate(page.limit as usize);
            rows.last().map(|h| h.id)
        } else {
            None
        };
        Ok((rows, next))
    }

    /// One completed handover with its snapshot.
    pub async fn get(&self, actor: &Actor, id: HandoverId) -> Result<Handover> {
        actor.require(Action::HandoverRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        self.visible(&mut tx, actor, id).await
    }

    async fn visible(&self, tx: &mut Box<dyn Tx>, actor: &Actor, id: HandoverId) -> Result<Handover> {
        let h = tx.handover(actor.company_id, id).await?.ok_or(Error::NotFound)?;
        if !self.deps.sees_vessel(tx, actor, h.vessel_id).await? {
            return Err(Error::NotFound);
        }
        Ok(h)
    }
}
