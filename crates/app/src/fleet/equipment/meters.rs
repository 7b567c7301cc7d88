//! Children linked to their parent's meter (issue 12 §2): a child item that runs only while its
//! parent runs (a pump driven by its engine, a gearbox on its shaft line) counts the parent's
//! running hours instead of a meter of its own (entity `meter_link`, the vessel's scope).
//!
//! - Linking (`link_meter.v1`, `equipment.write`) takes the child's total and its parent's at
//!   that moment as the bases; from then on the child's total is
//!   `linked_child_hours(child_base, parent_base, parent_now)`: it moves only when the
//!   parent's meter moves, so a stopped parent stops its children.
//! - Each reading that becomes the parent's newest gives every linked child a reading of its
//!   own at the same time, in the same unit of work (and their linked children theirs), audited
//!   `reading.derive`; each child's running-hours plans are looked at again as for any
//!   reading. A back-dated parent reading moves nobody.
//! - A linked child takes no reading of its own (`409 meter_linked`); unlinking
//!   (`unlink_meter.v1`) keeps the readings it was given and lets it take its own again.

use bosun_domain::equipment::{EquipmentStatus, MeterReading, check_reading_between, running_hours};
use bosun_domain::maintenance_plan::linked_child_hours;
use bosun_domain::permissions::Action;
use bosun_domain::{EquipmentId, VesselId};
use bosun_store::{MeterLink, StoredReading};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

use super::{EquipmentService, reading_json};
use crate::work::{UnitOfWork, mutator};
use crate::{Actor, Audit, Error, Result, vessel_change};

/// Links an item to its parent's meter (`link_meter.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkMeter {
    /// The child item.
    pub equipment_id: EquipmentId,
}

/// Ends an item's link to its parent's meter (`unlink_meter.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnlinkMeter {
    /// The child item.
    pub equipment_id: EquipmentId,
}

mutator!(LinkMeter, "link_meter.v1", MeterLink, |app, uow, actor, m| {
    app.equipment.link_meter(uow, actor, m.equipment_id).await
});
mutator!(UnlinkMeter, "unlink_meter.v1", Option<MeterLink>, |app, uow, actor, m| {
    app.equipment.unlink_meter(uow, actor, m.equipment_id).await
});

/// A link's fields as its change-log row carries them.
pub fn link_json(l: &MeterLink) -> serde_json::Value {
    json!({
        "id": l.child_id, "equipment_id": l.child_id, "parent_id": l.parent_id, "child_base": l.child_base,
        "parent_base": l.parent_base, "linked_by": l.linked_by, "linked_at": l.linked_at,
    })
}

fn total(readings: &[StoredReading]) -> f64 {
    let meter: Vec<MeterReading> = readings.iter().map(|r| r.reading.clone()).collect();
    running_hours(&meter)
}

impl EquipmentService {
    async fn link_meter(&self, uow: &mut UnitOfWork, actor: &Actor, id: EquipmentId) -> Result<MeterLink> {
        let company = actor.company_id;
        let item = self.visible_item(&mut uow.tx, actor, id).await?;
        actor.permit(Action::EquipmentWrite, "equipment", id)?;
        uow.tx.lock_scope(company, &format!("vessel:{}", item.vessel_id)).await?;
        if let Some(link) = uow.tx.meter_link(company, id).await? {
            return Ok(link);
        }
        let Some(parent_id) = item.parent_id else {
            return Err(Error::Conflict { code: "no_parent", message: format!("{} sits under no item", item.name) });
        };
        if item.status == EquipmentStatus::Decommissioned {
            return Err(super::decommissioned(&item));
        }
        let parent = uow.tx.readings(company, parent_id).await?;
        if parent.is_empty() {
            return Err(Error::Conflict {
                code: "parent_has_no_meter",
                message: "the parent has no running hours to count: record its meter first".into(),
            });
        }
        let own = uow.tx.readings(company, id).await?;
        let now = self.deps.clock.now();
        let mut link = MeterLink {
            company_id: company,
            child_id: id,
            parent_id,
            vessel_id: item.vessel_id,
            child_base: if own.is_empty() { 0.0 } else { total(&own) },
            parent_base: total(&parent),
            linked_by: actor.user_id,
            linked_at: now,
            version: 0,
        };
        let fields = link_json(&link);
        let change = vessel_change(item.vessel_id, "meter_link", id.0, "insert", fields.clone(), now);
        link.version = uow.tx.record_change(company, &change).await?;
        uow.tx.insert_meter_link(&link).await.map_err(crate::id_race)?;
        self.deps
            .audit(
                &mut uow.tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("equipment.link_meter", "equipment", id).after(fields),
            )
            .await?;
        Ok(link)
    }

    async fn unlink_meter(&self, uow: &mut UnitOfWork, actor: &Actor, id: EquipmentId) -> Result<Option<MeterLink>> {
        let company = actor.company_id;
        let item = self.visible_item(&mut uow.tx, actor, id).await?;
        actor.permit(Action::EquipmentWrite, "equipment", id)?;
        uow.tx.lock_scope(company, &format!("vessel:{}", item.vessel_id)).await?;
        let Some(link) = uow.tx.meter_link(company, id).await? else { return Ok(None) };
        let now = self.deps.clock.now();
        let change = vessel_change(item.vessel_id, "meter_link", id.0, "delete", json!({ "id": id }), now);
        uow.tx.record_change(company, &change).await?;
        uow.tx.delete_meter_link(company, id).await?;
        self.deps
            .audit(
                &mut uow.tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("equipment.unlink_meter", "equipment", id).before(link_json(&link)),
            )
            .await?;
        Ok(Some(link))
    }

    /// Gives the children linked to `parent` (and theirs) a reading at `read_at` from the
    /// parent's new total, inside `uow`.
    pub(super) async fn feed_linked_children(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        parent: EquipmentId,
        parent_total: f64,
        read_at: DateTime<Utc>,
    ) -> Result<()> {
        let company = actor.company_id;
        let now = self.deps.clock.now();
        let mut queue = vec![(parent, parent_total)];
        while let Some((parent, parent_total)) = queue.pop() {
            for link in uow.tx.linked_children(company, parent).await? {
                let Some(child) = uow.tx.equipment(company, link.child_id).await? else { continue };
                if child.status == EquipmentStatus::Decommissioned {
                    continue;
                }
                let hours = linked_child_hours(link.child_base, link.parent_base, parent_total);
                let readings = uow.tx.readings(company, child.id).await?;
                let new = MeterReading { hours, meter_replaced: false, read_at };
                // Only forward: a child whose newest reading is later, or already as high, waits
                // for the parent's next reading.
                let last = readings.last().map(|r| &r.reading);
                if last.is_some_and(|l| l.read_at >= read_at || total(&readings) >= hours)
                    || check_reading_between(last, &new, None).is_err()
                {
                    continue;
                }
                let r = StoredReading {
                    id: self.deps.ids.uuid(),
                    equipment_id: child.id,
                    reading: new,
                    recorded_by: Some(actor.user_id),
                };
                self.write_derived(uow, actor, child.vessel_id, &r, now).await?;
                let mut all = readings;
                all.push(r);
                queue.push((child.id, total(&all)));
            }
        }
        Ok(())
    }

    async fn write_derived(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        vessel: VesselId,
        r: &StoredReading,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let company = actor.company_id;
        let fields = reading_json(r);
        let change = vessel_change(vessel, "meter_reading", r.id, "insert", fields.clone(), now);
        uow.tx.record_change(company, &change).await?;
        uow.tx.insert_reading(company, r).await.map_err(crate::id_race)?;
        uow.tx.recheck_hour_plans(company, r.equipment_id, now).await?;
        self.deps
            .audit(
                &mut uow.tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("reading.derive", "meter_reading", r.id).after(fields),
            )
            .await?;
        Ok(())
    }
}
