//! The equipment registry: each vessel's hierarchy of systems, equipment and components, their
//! QR codes, running-hour readings and the status people see. Vessel-scoped roles reach only
//! the equipment of their own vessels; anything else is "not found".
//!
//! Rules (also in `docs/ARCHITECTURE.md`, "Equipment registry"):
//! - a system has no parent, equipment sits under a system (or at top level), a component under
//!   equipment, always on the same vessel ([`check_parent`]);
//! - an item is never deleted: decommissioning takes it and everything under it out of service
//!   for good; a decommissioned item is frozen and refuses children and readings;
//! - every item gets a stable QR code at creation, 10 characters of Crockford base32, unique in
//!   the company;
//! - readings are insert-only; one lower than the reading before it is refused unless it starts
//!   a new meter ([`check_reading_between`]); running hours are derived from them;
//! - a critical fault not yet resolved shows its equipment as down ([`effective_status`]).

pub mod import;
pub mod meters;

use std::collections::{HashMap, HashSet};

use bosun_domain::IdSource;
use bosun_domain::clock::to_micros;
use bosun_domain::equipment::{
    Area, Criticality, Equipment, EquipmentLevel, EquipmentStatus, MeterReading, ReadingError, check_parent,
    check_read_at, check_reading_between, effective_status, qr_code_from_bits, running_hours,
};
use bosun_domain::permissions::Action;
use bosun_domain::vessel::Vessel;
use bosun_domain::{CompanyId, EquipmentId, VesselId, Violation, check_text};
use bosun_store::FaultSummary;
use bosun_store::{Change, EquipmentFilter, Page, StoreError, StoredReading, Tx};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

use crate::fleet::vessels::has_nul;
use crate::work::{UnitOfWork, mutator};
use crate::{Actor, Audit, Deps, Error, Result, Violations};

/// The most items a tree answer holds; larger vessels are read flat, a page at a time.
pub const TREE_CAP: usize = 5_000;
/// The most faults an item's detail lists (newest first).
pub const DETAIL_FAULTS: u32 = 50;
/// The most readings an item's detail lists (newest first).
pub const DETAIL_READINGS: usize = 50;

/// The fields of an item a person sets (on creation, and replaced whole on update), as text:
/// [`check_fields`] parses them into [`CheckedFields`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EquipmentFields {
    /// The item above it, on the same vessel.
    #[serde(default)]
    pub parent_id: Option<EquipmentId>,
    /// `system`, `equipment` or `component`.
    pub level: String,
    /// Where on board.
    pub area: String,
    /// Name.
    pub name: String,
    /// Type.
    #[serde(default)]
    pub equipment_type: Option<String>,
    /// Maker.
    #[serde(default)]
    pub maker: Option<String>,
    /// Model.
    #[serde(default)]
    pub model: Option<String>,
    /// Serial number.
    #[serde(default)]
    pub serial_number: Option<String>,
    /// `low`, `medium` (default), `high` or `critical`.
    #[serde(default)]
    pub criticality: Option<String>,
    /// `operational` (default), `degraded` or `down`.
    #[serde(default)]
    pub status: Option<String>,
    /// Free-form specifications (a JSON object).
    #[serde(default)]
    pub specs: Option<serde_json::Value>,
}

/// Registers an item (`create_equipment.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateEquipment {
    /// Client-made UUIDv7 (offline creation); a new one when absent.
    #[serde(default)]
    pub id: Option<EquipmentId>,
    /// Its vessel.
    pub vessel_id: VesselId,
    /// Its fields.
    pub fields: CheckedFields,
}

/// Replaces an item's fields (`update_equipment.v1`); its vessel and QR code stay.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateEquipment {
    /// The item.
    pub equipment_id: EquipmentId,
    /// Its new fields.
    pub fields: CheckedFields,
    /// The version last seen; a newer stored version is a `version_conflict`.
    #[serde(default)]
    pub version: Option<i64>,
}

/// Takes an item, and everything under it, out of service for good
/// (`decommission_equipment.v1`). Answers the item and how many items under it went with it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecommissionEquipment {
    /// The item.
    pub equipment_id: EquipmentId,
}

/// Records a running-hour reading (`record_reading.v1`). Answers it and the item's running
/// hours after it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordReading {
    /// The item.
    pub equipment_id: EquipmentId,
    /// Client-made UUIDv7 (offline recording); a new one when absent.
    #[serde(default)]
    pub id: Option<uuid::Uuid>,
    /// Hours on the meter.
    pub hours: f64,
    /// The meter was replaced and this is the new meter's first reading.
    #[serde(default)]
    pub meter_replaced: bool,
    /// When it was read; now when absent.
    #[serde(default)]
    pub read_at: Option<DateTime<Utc>>,
}

mutator!(CreateEquipment, "create_equipment.v1", EquipmentState, |app, uow, actor, m| {
    app.equipment.create(uow, actor, m).await
});

mutator!(UpdateEquipment, "update_equipment.v1", EquipmentState, |app, uow, actor, m| {
    app.equipment.update(uow, actor, m).await
});

mutator!(DecommissionEquipment, "decommission_equipment.v1", (EquipmentState, usize), |app, uow, actor, m| {
    app.equipment.decommission(uow, actor, m.equipment_id).await
});

mutator!(RecordReading, "record_reading.v1", (StoredReading, f64), |app, uow, actor, m| {
    app.equipment.record_reading(uow, actor, m).await
});

/// Which items of a vessel to list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only this area.
    pub area: Option<Area>,
    /// Only this recorded status.
    pub status: Option<EquipmentStatus>,
    /// Only this criticality.
    pub criticality: Option<Criticality>,
    /// Only this level.
    pub level: Option<EquipmentLevel>,
    /// Name or serial number contains this, case-insensitively.
    pub q: Option<String>,
    /// Show decommissioned items too (always, when filtering on that status).
    pub include_decommissioned: bool,
}

impl ListFilter {
    fn to_store(&self) -> EquipmentFilter {
        EquipmentFilter {
            area: self.area,
            status: self.status,
            criticality: self.criticality,
            level: self.level,
            search: self.q.clone(),
            hide_decommissioned: !self.include_decommissioned && self.status != Some(EquipmentStatus::Decommissioned),
        }
    }

    fn narrows(&self) -> bool {
        self.area.is_some()
            || self.status.is_some()
            || self.criticality.is_some()
            || self.level.is_some()
            || self.q.as_deref().is_some_and(|q| !q.trim().is_empty())
    }
}

/// An item with what is derived about it.
#[derive(Debug, Clone)]
pub struct EquipmentState {
    /// The stored item.
    pub item: Equipment,
    /// The status people see (down while a critical fault is unresolved).
    pub effective_status: EquipmentStatus,
    /// Total running hours, when it has readings.
    pub running_hours: Option<f64>,
}

/// One node of a vessel's tree listing.
#[derive(Debug, Clone)]
pub struct TreeEntry {
    /// The item.
    pub state: EquipmentState,
    /// Whether it matches the filters (else it is shown as an ancestor of one that does).
    pub matched: bool,
}

/// An item with its history.
#[derive(Debug, Clone)]
pub struct EquipmentDetail {
    /// The item.
    pub state: EquipmentState,
    /// Its faults, newest first (at most [`DETAIL_FAULTS`]).
    pub faults: Vec<FaultSummary>,
    /// Its latest readings, newest first (at most [`DETAIL_READINGS`]).
    pub readings: Vec<StoredReading>,
    /// How many readings it has in all.
    pub readings_total: usize,
    /// Its link to its parent's meter, when it counts the parent's hours.
    pub meter_link: Option<bosun_store::MeterLink>,
}

/// Where a page of readings starts: after this reading (newest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadingCursor {
    /// Its time.
    pub read_at: DateTime<Utc>,
    /// Its id.
    pub id: uuid::Uuid,
}

impl std::fmt::Display for ReadingCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.read_at.timestamp_micros(), self.id)
    }
}

impl std::str::FromStr for ReadingCursor {
    type Err = ();
    fn from_str(s: &str) -> std::result::Result<Self, ()> {
        let (t, id) = s.split_once('/').ok_or(())?;
        let read_at = DateTime::from_timestamp_micros(t.parse().map_err(|_| ())?).ok_or(())?;
        Ok(Self { read_at, id: id.parse().map_err(|_| ())? })
    }
}

/// Equipment use cases.
#[derive(Clone)]
pub struct EquipmentService {
    /// The store, clock and event hub it works with.
    pub deps: Deps,
    /// Where CSV imports are spooled.
    pub(crate) spool: crate::spool::Spool,
}

/// The item as the change log and the audit trail record it.
pub(crate) fn equipment_json(e: &Equipment) -> serde_json::Value {
    json!({
        "id": e.id, "vessel_id": e.vessel_id, "parent_id": e.parent_id, "level": e.level.as_str(),
        "area": e.area.as_str(), "name": e.name, "equipment_type": e.equipment_type, "maker": e.maker,
        "model": e.model, "serial_number": e.serial_number, "criticality": e.criticality.as_str(),
        "status": e.status.as_str(),
        "specs": serde_json::from_str::<serde_json::Value>(&e.specs).unwrap_or_default(),
        "qr_code": e.qr_code,
    })
}

fn reading_json(r: &StoredReading) -> serde_json::Value {
    json!({
        "id": r.id, "equipment_id": r.equipment_id, "hours": r.reading.hours,
        "meter_replaced": r.reading.meter_replaced, "read_at": r.reading.read_at, "recorded_by": r.recorded_by,
    })
}

/// The fields an edit writes (`update_equipment.v1`), as [`equipment_json`] names them.
pub(crate) const WRITABLE: &[&str] = &[
    "parent_id",
    "level",
    "area",
    "name",
    "equipment_type",
    "maker",
    "model",
    "serial_number",
    "criticality",
    "status",
    "specs",
];

/// `item` with the edited fields `c`.
fn with_fields(item: Equipment, c: CheckedFields) -> Equipment {
    Equipment {
        parent_id: c.parent_id,
        level: c.level,
        area: c.area,
        name: c.name,
        equipment_type: c.equipment_type,
        maker: c.maker,
        model: c.model,
        serial_number: c.serial_number,
        criticality: c.criticality,
        status: c.status,
        specs: c.specs,
        ..item
    }
}

/// Puts `item`'s stored value of `field` (one of [`WRITABLE`]) back into the edit `c`.
fn keep_field(c: &mut CheckedFields, item: &Equipment, field: &str) {
    match field {
        "parent_id" => c.parent_id = item.parent_id,
        "level" => c.level = item.level,
        "area" => c.area = item.area,
        "name" => c.name.clone_from(&item.name),
        "equipment_type" => c.equipment_type.clone_from(&item.equipment_type),
        "maker" => c.maker.clone_from(&item.maker),
        "model" => c.model.clone_from(&item.model),
        "serial_number" => c.serial_number.clone_from(&item.serial_number),
        "criticality" => c.criticality = item.criticality,
        "status" => c.status = item.status,
        "specs" => c.specs.clone_from(&item.specs),
        _ => {}
    }
}

/// An item's fields parsed into domain values, ready to store: only [`check_fields`] makes
/// them (a mutator's arguments read from JSON go through it too).
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "EquipmentFields")]
pub struct CheckedFields {
    /// The item above it, on the same vessel.
    pub parent_id: Option<EquipmentId>,
    /// System, equipment or component.
    pub level: EquipmentLevel,
    /// Where on board.
    pub area: Area,
    /// Name, 1–120 characters.
    pub name: String,
    /// Type.
    pub equipment_type: Option<String>,
    /// Maker.
    pub maker: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Serial number.
    pub serial_number: Option<String>,
    /// How much its failure matters.
    pub criticality: Criticality,
    /// Its recorded status (never decommissioned: that has its own use case).
    pub status: EquipmentStatus,
    /// Specifications, a JSON object as text.
    pub specs: String,
}

impl TryFrom<EquipmentFields> for CheckedFields {
    type Error = String;
    fn try_from(f: EquipmentFields) -> std::result::Result<Self, String> {
        check_fields(&f)
            .map_err(|vs| vs.iter().map(|v| format!("{}: {}", v.field, v.message)).collect::<Vec<_>>().join("; "))
    }
}

/// Where a new item goes and what it is called in the store, besides its checked fields.
pub(crate) struct Placement {
    pub id: EquipmentId,
    pub company_id: CompanyId,
    pub vessel_id: VesselId,
    pub parent_id: Option<EquipmentId>,
    pub qr_code: String,
    pub at: DateTime<Utc>,
}

impl CheckedFields {
    /// The new item these fields describe, placed as `p` says (version set when recorded).
    pub(crate) fn into_new_item(self, p: Placement) -> Equipment {
        Equipment {
            id: p.id,
            company_id: p.company_id,
            vessel_id: p.vessel_id,
            parent_id: p.parent_id,
            level: self.level,
            area: self.area,
            name: self.name,
            equipment_type: self.equipment_type,
            maker: self.maker,
            model: self.model,
            serial_number: self.serial_number,
            criticality: self.criticality,
            status: self.status,
            specs: self.specs,
            qr_code: p.qr_code,
            version: 0,
            created_at: p.at,
            updated_at: p.at,
        }
    }
}

/// An optional text: blank is absent; otherwise 1–`max` characters without control characters.
fn optional_text(v: &mut Violations, field: &str, value: Option<&str>, max: usize) -> Option<String> {
    value.filter(|s| !s.trim().is_empty()).and_then(|s| v.check(check_text(field, s, 1, max)))
}

/// A recorded status a person may set: decommissioning has its own use case.
pub(crate) fn settable_status(text: Option<&str>) -> std::result::Result<EquipmentStatus, Violation> {
    match text.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(EquipmentStatus::Operational),
        Some(s) => match s.parse::<EquipmentStatus>()? {
            EquipmentStatus::Decommissioned => Err(Violation::new(
                "status",
                "use_decommission",
                "decommission an item with POST /equipment/{id}/decommission",
            )),
            status => Ok(status),
        },
    }
}

/// Parses the submitted fields, every problem at once.
pub fn check_fields(f: &EquipmentFields) -> std::result::Result<CheckedFields, Vec<Violation>> {
    let mut v = Violations::default();
    let level = v.check(f.level.trim().parse::<EquipmentLevel>());
    let area = v.check(f.area.trim().parse::<Area>());
    let name = v.check(check_text("name", &f.name, 1, 120));
    let equipment_type = optional_text(&mut v, "equipment_type", f.equipment_type.as_deref(), 80);
    let maker = optional_text(&mut v, "maker", f.maker.as_deref(), 80);
    let model = optional_text(&mut v, "model", f.model.as_deref(), 80);
    let serial_number = optional_text(&mut v, "serial_number", f.serial_number.as_deref(), 80);
    let criticality = v.check(match f.criticality.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(Criticality::Medium),
        Some(s) => s.parse::<Criticality>(),
    });
    let status = v.check(settable_status(f.status.as_deref()));
    let specs = v.check(check_specs(f.specs.as_ref()));
    if let Err(Error::Invalid(errors)) = v.finish() {
        return Err(errors);
    }
    match (level, area, name, criticality, status, specs) {
        (Some(level), Some(area), Some(name), Some(criticality), Some(status), Some(specs)) => Ok(CheckedFields {
            parent_id: f.parent_id,
            level,
            area,
            name,
            equipment_type,
            maker,
            model,
            serial_number,
            criticality,
            status,
            specs,
        }),
        _ => Err(vec![Violation::new("body", "invalid", "the item could not be read")]),
    }
}

/// Specifications: a JSON object of at most 16 KiB, stored as text.
fn check_specs(specs: Option<&serde_json::Value>) -> std::result::Result<String, Violation> {
    match specs {
        None | Some(serde_json::Value::Null) => Ok("{}".to_owned()),
        // PostgreSQL's jsonb cannot hold U+0000; refuse it on both backends alike.
        Some(s @ serde_json::Value::Object(_)) if has_nul(s) => {
            Err(Violation::new("specs", "control_characters", "must not contain the character U+0000"))
        }
        Some(s @ serde_json::Value::Object(_)) => {
            let text = s.to_string();
            if text.len() <= 16 * 1024 {
                Ok(text)
            } else {
                Err(Violation::new("specs", "too_long", "must be at most 16 KiB"))
            }
        }
        Some(_) => Err(Violation::new("specs", "not_an_object", "must be a JSON object")),
    }
}

/// A fresh QR code: 50 random bits.
pub fn fresh_qr_code(ids: &dyn IdSource) -> String {
    qr_code_from_bits(ids.random_u64())
}

fn decommissioned(e: &Equipment) -> Error {
    Error::Conflict { code: "decommissioned", message: format!("{} is decommissioned and cannot change", e.name) }
}

fn id_taken(what: &str, id: impl std::fmt::Display) -> impl FnOnce(StoreError) -> Error {
    let message = format!("{what} {id} already exists");
    move |e| match e {
        StoreError::Conflict(_) => Error::Conflict { code: "id_taken", message },
        e => e.into(),
    }
}

fn is_uuid_v7(id: uuid::Uuid) -> bool {
    id.get_version_num() == 7
}

/// Groups readings (ordered by item, then time) into running hours per item.
fn hours_by_item(readings: &[StoredReading]) -> HashMap<EquipmentId, f64> {
    let mut out = HashMap::new();
    for chunk in readings.chunk_by(|a, b| a.equipment_id == b.equipment_id) {
        let meter: Vec<MeterReading> = chunk.iter().map(|r| r.reading.clone()).collect();
        out.insert(chunk[0].equipment_id, running_hours(&meter));
    }
    out
}

/// What a vessel's listing derives for every item: items held down by critical faults, and
/// running hours.
struct Derived {
    down: HashSet<EquipmentId>,
    hours: HashMap<EquipmentId, f64>,
}

impl Derived {
    async fn of_vessel(tx: &mut Box<dyn Tx>, company: CompanyId, vessel: VesselId) -> Result<Self> {
        let down = tx.equipment_down_by_critical_faults(company, vessel).await?.into_iter().collect();
        let since = DateTime::<Utc>::UNIX_EPOCH;
        let hours = hours_by_item(&tx.vessel_readings_since(company, vessel, since).await?);
        Ok(Self { down, hours })
    }

    fn state(&self, item: Equipment) -> EquipmentState {
        EquipmentState {
            effective_status: effective_status(item.status, self.down.contains(&item.id)),
            running_hours: self.hours.get(&item.id).copied(),
            item,
        }
    }
}

impl EquipmentService {
    fn change(
        &self,
        vessel: VesselId,
        entity: &'static str,
        row: uuid::Uuid,
        op: &'static str,
        fields: serde_json::Value,
    ) -> Change {
        Change { scope: format!("vessel:{vessel}"), entity, row_id: row, op, fields, at: self.deps.clock.now() }
    }

    /// The vessel if the caller may see it, else `NotFound`.
    pub(crate) async fn visible_vessel(&self, tx: &mut Box<dyn Tx>, actor: &Actor, id: VesselId) -> Result<Vessel> {
        let v = tx.vessel(actor.company_id, id).await?.ok_or(Error::NotFound)?;
        if !self.deps.sees_vessel(tx, actor, id).await? {
            return Err(Error::NotFound);
        }
        Ok(v)
    }

    /// The item if the caller may see its vessel, else `NotFound`.
    async fn visible_item(&self, tx: &mut Box<dyn Tx>, actor: &Actor, id: EquipmentId) -> Result<Equipment> {
        Ok(self.seen_item(tx, actor, id).await?.0)
    }

    /// The item if the caller may see its vessel (else `NotFound`), and whether an unresolved
    /// critical fault holds it down: one statement.
    async fn seen_item(&self, tx: &mut Box<dyn Tx>, actor: &Actor, id: EquipmentId) -> Result<(Equipment, bool)> {
        let member = self.deps.reach(actor);
        tx.equipment_seen(actor.company_id, id, member).await?.ok_or(Error::NotFound)
    }

    /// Checks that the caller may see `vessel` (404), then that their role allows `action`
    /// (403, audited), without holding a transaction across the refusal's own.
    async fn admit_vessel(&self, actor: &Actor, vessel: VesselId, action: Action, entity: &str) -> Result<()> {
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        self.visible_vessel(&mut tx, actor, vessel).await?;
        drop(tx);
        self.deps.authorize(actor, action, entity, Some(vessel.to_string())).await
    }

    /// Every item of a vessel matching `filter`, in id order.
    pub(crate) async fn all_of_vessel(
        tx: &mut Box<dyn Tx>,
        company: CompanyId,
        vessel: VesselId,
        filter: &EquipmentFilter,
    ) -> Result<Vec<Equipment>> {
        const BATCH: u32 = 1_000;
        let mut all = Vec::new();
        let mut after = None;
        loop {
            let rows = tx.list_equipment(company, vessel, filter, Page { after, limit: BATCH }).await?;
            let done = rows.len() < BATCH as usize;
            after = rows.last().map(|e| e.id);
            all.extend(rows);
            if done {
                return Ok(all);
            }
        }
    }

    /// A page of a vessel's items, flat, in id order.
    pub async fn list(
        &self,
        actor: &Actor,
        vessel: VesselId,
        filter: &ListFilter,
        page: Page<EquipmentId>,
    ) -> Result<(Vec<EquipmentState>, Option<EquipmentId>)> {
        actor.require(Action::EquipmentRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        self.visible_vessel(&mut tx, actor, vessel).await?;
        let mut rows = tx
            .list_equipment(
                actor.company_id,
                vessel,
                &filter.to_store(),
                Page { after: page.after, limit: page.limit + 1 },
            )
            .await?;
        let next = if rows.len() > page.limit as usize {
            rows.truncate(page.limit as usize);
            rows.last().map(|e| e.id)
        } else {
            None
        };
        let derived = Derived::of_vessel(&mut tx, actor.company_id, vessel).await?;
        Ok((rows.into_iter().map(|e| derived.state(e)).collect(), next))
    }

    /// A vessel's items for a tree: those matching `filter` and every ancestor of theirs, in
    /// id order. Refused beyond [`TREE_CAP`] items.
    pub async fn tree(&self, actor: &Actor, vessel: VesselId, filter: &ListFilter) -> Result<Vec<TreeEntry>> {
        actor.require(Action::EquipmentRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        self.visible_vessel(&mut tx, actor, vessel).await?;
        let store_filter = filter.to_store();
        let matching = Self::all_of_vessel(&mut tx, actor.company_id, vessel, &store_filter).await?;
        let too_large = || {
            Error::Invalid(vec![Violation::new(
                "view",
                "too_large",
                format!("a tree holds at most {TREE_CAP} items; narrow the filters or use view=flat with paging"),
            )])
        };
        if matching.len() > TREE_CAP {
            return Err(too_large());
        }
        let matched: HashSet<EquipmentId> = matching.iter().map(|e| e.id).collect();
        let mut shown = matching;
        if filter.narrows() {
            // Ancestors give the matches their place in the hierarchy.
            let everything =
                EquipmentFilter { hide_decommissioned: store_filter.hide_decommissioned, ..EquipmentFilter::default() };
            let all = Self::all_of_vessel(&mut tx, actor.company_id, vessel, &everything).await?;
            let by_id: HashMap<EquipmentId, &Equipment> = all.iter().map(|e| (e.id, e)).collect();
            let mut keep = matched.clone();
            for e in &shown {
                let mut parent = e.parent_id;
                while let Some(p) = parent.and_then(|p| by_id.get(&p)) {
                    if !keep.insert(p.id) {
                        break;
                    }
                    parent = p.parent_id;
                }
            }
            if keep.len() > TREE_CAP {
                return Err(too_large());
            }
            shown = all.into_iter().filter(|e| keep.contains(&e.id)).collect();
        }
        let derived = Derived::of_vessel(&mut tx, actor.company_id, vessel).await?;
        Ok(shown.into_iter().map(|e| TreeEntry { matched: matched.contains(&e.id), state: derived.state(e) }).collect())
    }

    /// One item with its faults and latest readings.
    pub async fn get(&self, actor: &Actor, id: EquipmentId) -> Result<EquipmentDetail> {
        actor.require(Action::EquipmentRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let (item, down) = self.seen_item(&mut tx, actor, id).await?;
        Self::detail(&mut tx, actor.company_id, item, down).await
    }

    /// One item, whose down state is known, with its effective status and running hours.
    async fn state_of(tx: &mut Box<dyn Tx>, company: CompanyId, item: Equipment, down: bool) -> Result<EquipmentState> {
        let meter: Vec<MeterReading> = tx.readings(company, item.id).await?.into_iter().map(|r| r.reading).collect();
        Ok(EquipmentState {
            effective_status: effective_status(item.status, down),
            running_hours: (!meter.is_empty()).then(|| running_hours(&meter)),
            item,
        })
    }

    async fn detail(tx: &mut Box<dyn Tx>, company: CompanyId, item: Equipment, down: bool) -> Result<EquipmentDetail> {
        let faults = tx.fault_history(company, item.id, DETAIL_FAULTS).await?;
        let readings = tx.readings(company, item.id).await?;
        let meter: Vec<MeterReading> = readings.iter().map(|r| r.reading.clone()).collect();
        let readings_total = readings.len();
        let latest = readings.into_iter().rev().take(DETAIL_READINGS).collect();
        let meter_link = tx.meter_link(company, item.id).await?;
        Ok(EquipmentDetail {
            meter_link,
            state: EquipmentState {
                effective_status: effective_status(item.status, down),
                running_hours: (!meter.is_empty()).then(|| running_hours(&meter)),
                item,
            },
            faults,
            readings: latest,
            readings_total,
        })
    }

    /// The item a scanned QR code names, if the caller may see it.
    pub async fn by_qr(&self, actor: &Actor, code: &str) -> Result<EquipmentState> {
        actor.require(Action::EquipmentRead)?;
        let code = bosun_domain::equipment::parse_qr_code(code).ok_or(Error::NotFound)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let id = tx.equipment_by_qr(actor.company_id, &code).await?.ok_or(Error::NotFound)?.id;
        let (item, down) = self.seen_item(&mut tx, actor, id).await?;
        Self::state_of(&mut tx, actor.company_id, item, down).await
    }

    /// A vessel's items in service, in hierarchy order (each system followed by what sits
    /// under it), for its label sheet.
    pub async fn labels(&self, actor: &Actor, vessel: VesselId) -> Result<(Vessel, Vec<Equipment>)> {
        actor.require(Action::EquipmentRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let v = self.visible_vessel(&mut tx, actor, vessel).await?;
        let filter = EquipmentFilter { hide_decommissioned: true, ..EquipmentFilter::default() };
        let items = Self::all_of_vessel(&mut tx, actor.company_id, vessel, &filter).await?;
        Ok((v, hierarchy_order(items)))
    }

    /// A page of an item's readings, newest first, and its running hours.
    pub async fn readings(
        &self,
        actor: &Actor,
        id: EquipmentId,
        page: Page<ReadingCursor>,
    ) -> Result<(Vec<StoredReading>, Option<ReadingCursor>, Option<f64>)> {
        actor.require(Action::EquipmentRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let item = self.visible_item(&mut tx, actor, id).await?;
        let all = tx.readings(actor.company_id, item.id).await?;
        let meter: Vec<MeterReading> = all.iter().map(|r| r.reading.clone()).collect();
        let hours = (!meter.is_empty()).then(|| running_hours(&meter));
        let key = |r: &StoredReading| (r.reading.read_at, r.id);
        let mut rows: Vec<StoredReading> = all
            .into_iter()
            .rev()
            .filter(|r| page.after.is_none_or(|c| key(r) < (c.read_at, c.id)))
            .take(page.limit as usize + 1)
            .collect();
        let next = if rows.len() > page.limit as usize {
            rows.truncate(page.limit as usize);
            rows.last().map(|r| ReadingCursor { read_at: r.reading.read_at, id: r.id })
        } else {
            None
        };
        Ok((rows, next, hours))
    }

    async fn create(&self, uow: &mut UnitOfWork, actor: &Actor, new: &CreateEquipment) -> Result<EquipmentState> {
        let tx = &mut uow.tx;
        self.visible_vessel(tx, actor, new.vessel_id).await?;
        actor.permit(Action::EquipmentWrite, "equipment", new.vessel_id)?;
        let c = new.fields.clone();
        if new.id.is_some_and(|id| !is_uuid_v7(id.0)) {
            return Err(Violation::new("id", "not_uuid_v7", "must be a UUIDv7").into());
        }
        let id = new.id.unwrap_or_else(|| self.deps.ids.id());
        if tx.equipment(actor.company_id, id).await?.is_some() {
            return Err(Error::Conflict { code: "id_taken", message: format!("equipment {id} already exists") });
        }
        self.check_parent_of(tx, actor.company_id, new.vessel_id, None, c.level, c.parent_id).await?;
        let mut qr_code = fresh_qr_code(&*self.deps.ids);
        // 50 random bits rarely meet a code in use; look before taking one all the same.
        for _ in 0..4 {
            if tx.equipment_by_qr(actor.company_id, &qr_code).await?.is_none() {
                break;
            }
            qr_code = fresh_qr_code(&*self.deps.ids);
        }
        let now = self.deps.clock.now();
        let parent_id = c.parent_id;
        let mut e = c.into_new_item(Placement {
            id,
            company_id: actor.company_id,
            vessel_id: new.vessel_id,
            parent_id,
            qr_code,
            at: now,
        });
        let fields = equipment_json(&e);
        e.version = tx
            .record_change(actor.company_id, &self.change(e.vessel_id, "equipment", e.id.0, "insert", fields.clone()))
            .await?;
        tx.insert_equipment(&e).await.map_err(id_taken("equipment", e.id))?;
        self.deps
            .audit(
                tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("equipment.create", "equipment", e.id).after(fields),
            )
            .await?;
        Ok(EquipmentState { effective_status: e.status, running_hours: None, item: e })
    }

    /// Checks that `parent` may hold an item of `level` (`item` itself when moving one).
    async fn check_parent_of(
        &self,
        tx: &mut Box<dyn Tx>,
        company: CompanyId,
        vessel: VesselId,
        item: Option<EquipmentId>,
        level: EquipmentLevel,
        parent: Option<EquipmentId>,
    ) -> Result<()> {
        let Some(parent_id) = parent else {
            return Ok(check_parent(level, None)?);
        };
        let unknown = || Violation::new("parent_id", "unknown_parent", "is not an item of this vessel");
        if Some(parent_id) == item {
            return Err(Violation::new("parent_id", "invalid_parent", "an item cannot sit under itself").into());
        }
        // An item of another vessel (or company) is as unknown as one that does not exist.
        let p = tx.equipment(company, parent_id).await?.filter(|p| p.vessel_id == vessel).ok_or_else(unknown)?;
        if p.status == EquipmentStatus::Decommissioned {
            return Err(Violation::new("parent_id", "parent_decommissioned", "the parent is decommissioned").into());
        }
        Ok(check_parent(level, Some(p.level))?)
    }

    async fn update(&self, uow: &mut UnitOfWork, actor: &Actor, u: &UpdateEquipment) -> Result<EquipmentState> {
        let id = u.equipment_id;
        let mut current = self.visible_item(&mut uow.tx, actor, id).await?;
        actor.permit(Action::EquipmentWrite, "equipment", id)?;
        let scope = format!("vessel:{}", current.vessel_id);
        if uow.hold_scope(actor.company_id, &scope).await? {
            current = self.visible_item(&mut uow.tx, actor, id).await?;
        }
        let mut c = u.fields.clone();
        // A pushed edit made against a base version is decided field by field against what
        // changed since; an online one must name the version it read, or none.
        let since = uow.since_base(actor.company_id, "equipment", id.0).await?;
        if let Some(seen) = u.version.filter(|seen| since.is_none() && *seen != current.version) {
            return Err(Error::Conflict {
                code: "version_conflict",
                message: format!("the item changed since version {seen}; it is now at {}", current.version),
            });
        }
        if let Some(since) = &since {
            let mine = equipment_json(&with_fields(current.clone(), c.clone()));
            let now = equipment_json(&current);
            let at = (scope.as_str(), "equipment", id.0);
            let gone = current.status == EquipmentStatus::Decommissioned;
            for field in WRITABLE {
                let (m, n) = (&mine[*field], &now[*field]);
                if !since.written(field, m, n) {
                    keep_field(&mut c, &current, field);
                } else if gone && let Some(other) = since.changed.get("status") {
                    // Decommissioned meanwhile: delete beats update, the edit is kept.
                    let lost = crate::conflicts::Decided {
                        scope: scope.clone(),
                        entity: "equipment",
                        row: id.0,
                        field: (*field).to_owned(),
                        winner: n.clone(),
                        loser: m.clone(),
                        mutation_won: false,
                        other: other.clone(),
                    };
                    uow.record_conflict(&self.deps, actor, lost).await?;
                } else if !uow.field_applies(&self.deps, actor, at, since, field, (m, n)).await? {
                    keep_field(&mut c, &current, field);
                }
            }
            if gone && since.changed.contains_key("status") {
                return Self::state_of(&mut uow.tx, actor.company_id, current, false).await;
            }
        }
        let tx = &mut uow.tx;
        if current.status == EquipmentStatus::Decommissioned {
            return Err(decommissioned(&current));
        }
        self.check_parent_of(tx, actor.company_id, current.vessel_id, Some(id), c.level, c.parent_id).await?;
        if c.level != current.level {
            let all = Self::all_of_vessel(tx, actor.company_id, current.vessel_id, &EquipmentFilter::default()).await?;
            if all.iter().any(|child| child.parent_id == Some(id) && check_parent(child.level, Some(c.level)).is_err())
            {
                return Err(Violation::new(
                    "level",
                    "children_do_not_fit",
                    "the items under this one could not sit under an item of this level",
                )
                .into());
            }
        }
        let before = equipment_json(&current);
        let mut e = Equipment { updated_at: self.deps.clock.now(), ..with_fields(current, c) };
        let after = equipment_json(&e);
        e.version = tx
            .record_change(actor.company_id, &self.change(e.vessel_id, "equipment", id.0, "update", after.clone()))
            .await?;
        let e = tx.update_equipment(&e).await?;
        self.deps
            .audit(
                tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("equipment.update", "equipment", id).before(before).after(after),
            )
            .await?;
        let down = tx.equipment_seen(actor.company_id, e.id, None).await?.is_some_and(|(_, down)| down);
        Self::state_of(tx, actor.company_id, e, down).await
    }

    async fn decommission(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        id: EquipmentId,
    ) -> Result<(EquipmentState, usize)> {
        let tx = &mut uow.tx;
        let current = self.visible_item(tx, actor, id).await?;
        actor.permit(Action::EquipmentWrite, "equipment", id)?;
        if current.status == EquipmentStatus::Decommissioned {
            return Err(Error::Conflict {
                code: "already_decommissioned",
                message: format!("{} is already decommissioned", current.name),
            });
        }
        let in_service = EquipmentFilter { hide_decommissioned: true, ..EquipmentFilter::default() };
        let all = Self::all_of_vessel(tx, actor.company_id, current.vessel_id, &in_service).await?;
        let mut going = vec![current.clone()];
        let mut i = 0;
        while i < going.len() {
            let parent = going[i].id;
            going.extend(all.iter().filter(|e| e.parent_id == Some(parent)).cloned());
            i += 1;
        }
        let now = self.deps.clock.now();
        let mut updated = None;
        for e in &going {
            let mut e = Equipment { status: EquipmentStatus::Decommissioned, updated_at: now, ..e.clone() };
            let fields = json!({ "id": e.id, "status": e.status.as_str() });
            e.version = tx
                .record_change(actor.company_id, &self.change(e.vessel_id, "equipment", e.id.0, "update", fields))
                .await?;
            let stored = tx.update_equipment(&e).await?;
            if stored.id == id {
                updated = Some(stored);
            }
        }
        let below: Vec<EquipmentId> = going.iter().skip(1).map(|e| e.id).collect();
        self.deps
            .audit(
                tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("equipment.decommission", "equipment", id)
                    .before(json!({ "status": current.status.as_str() }))
                    .after(json!({ "status": "decommissioned", "also_decommissioned": below })),
            )
            .await?;
        let item = updated.ok_or_else(|| Error::Internal("the decommissioned item was not written".into()))?;
        Ok((EquipmentState { effective_status: item.status, running_hours: None, item }, below.len()))
    }

    pub(crate) async fn record_reading(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        input: &RecordReading,
    ) -> Result<(StoredReading, f64)> {
        let id = input.equipment_id;
        let tx = &mut uow.tx;
        let item = self.visible_item(tx, actor, id).await?;
        actor.permit(Action::ReadingRecord, "meter_reading", id)?;
        let now = self.deps.clock.now();
        let read_at = to_micros(input.read_at.unwrap_or(now));
        let mut v = Violations::default();
        v.check(check_read_at(read_at, now));
        if input.id.is_some_and(|id| !is_uuid_v7(id)) {
            v.check::<()>(Err(Violation::new("id", "not_uuid_v7", "must be a UUIDv7")));
        }
        v.finish()?;
        let new = MeterReading { hours: input.hours, meter_replaced: input.meter_replaced, read_at };
        if item.status == EquipmentStatus::Decommissioned {
            return Err(decommissioned(&item));
        }
        if let Some(link) = tx.meter_link(actor.company_id, id).await? {
            return Err(Error::Conflict {
                code: "meter_linked",
                message: format!(
                    "{} counts its parent's running hours (item {}): record the parent's meter, or unlink it first",
                    item.name, link.parent_id
                ),
            });
        }
        let mut readings: Vec<MeterReading> =
            tx.readings(actor.company_id, id).await?.into_iter().map(|r| r.reading).collect();
        // A reading taken at the same moment as stored ones goes after them (its id is newer).
        let at = readings.partition_point(|r| r.read_at <= read_at);
        check_reading_between(at.checked_sub(1).map(|i| &readings[i]), &new, readings.get(at)).map_err(
            |e| match e {
                ReadingError::Invalid => {
                    Violation::new("hours", "invalid_hours", "must be a number of hours from 0 to 10,000,000")
                }
                e @ (ReadingError::Backwards { .. } | ReadingError::AboveLater { .. }) => {
                    Violation::new("hours", "reading_backwards", e.to_string())
                }
            },
        )?;
        let r = StoredReading {
            id: input.id.unwrap_or_else(|| self.deps.ids.uuid()),
            equipment_id: id,
            reading: new.clone(),
            recorded_by: Some(actor.user_id),
        };
        let fields = reading_json(&r);
        tx.record_change(
            actor.company_id,
            &self.change(item.vessel_id, "meter_reading", r.id, "insert", fields.clone()),
        )
        .await?;
        tx.insert_reading(actor.company_id, &r).await.map_err(id_taken("reading", r.id))?;
        // The item's running-hours plans are looked at again with the new total.
        tx.recheck_hour_plans(actor.company_id, id, now).await?;
        self.deps
            .audit(
                tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("reading.record", "meter_reading", r.id).after(fields),
            )
            .await?;
        readings.insert(at, new);
        let total = running_hours(&readings);
        // The parent's newest reading moves the children counting its hours.
        if at + 1 == readings.len() {
            self.feed_linked_children(uow, actor, id, total, read_at).await?;
        }
        Ok((r, total))
    }

    /// Writes new items (parents before children) with their change-log rows, inside `tx`.
    pub(crate) async fn insert_items(&self, tx: &mut Box<dyn Tx>, items: &mut [Equipment]) -> Result<()> {
        for e in items.iter_mut() {
            let fields = equipment_json(e);
            e.version = tx
                .record_change(e.company_id, &self.change(e.vessel_id, "equipment", e.id.0, "insert", fields))
                .await?;
            tx.insert_equipment(e).await.map_err(|err| match err {
                StoreError::Conflict(_) => Error::Conflict {
                    code: "qr_code_taken",
                    message: "a new QR code clashed with one in use; send the request again".into(),
                },
                err => err.into(),
            })?;
        }
        Ok(())
    }

    /// Imports a registry built elsewhere (the demo fleet's): `items` (parents before children)
    /// and `readings`, in one transaction with their change-log rows and one audit entry naming
    /// `source`. The items' versions are set to their change-log sequence.
    pub async fn seed_registry(
        &self,
        actor: &Actor,
        vessel: VesselId,
        items: &mut [Equipment],
        readings: &[StoredReading],
        source: &str,
    ) -> Result<()> {
        self.deps.authorize(actor, Action::EquipmentWrite, "equipment", Some(vessel.to_string())).await?;
        let mut tx = self.deps.store.begin(Some(actor.company_id)).await?;
        self.insert_items(&mut tx, items).await?;
        self.insert_readings(&mut tx, actor.company_id, vessel, readings).await?;
        self.deps
            .audit(
                &mut tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("equipment.import", "vessel", vessel)
                    .after(json!({ "count": items.len(), "readings": readings.len(), "source": source })),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes readings with their change-log rows, inside `tx` (the demo fleet's history).
    pub(crate) async fn insert_readings(
        &self,
        tx: &mut Box<dyn Tx>,
        company: CompanyId,
        vessel: VesselId,
        readings: &[StoredReading],
    ) -> Result<()> {
        for r in readings {
            tx.record_change(company, &self.change(vessel, "meter_reading", r.id, "insert", reading_json(r))).await?;
            tx.insert_reading(company, r).await?;
        }
        Ok(())
    }
}

/// Items ordered as a printed hierarchy: each root followed by its descendants, depth first,
/// siblings in id order. Items whose parent is not among them count as roots.
pub(crate) fn hierarchy_order(items: Vec<Equipment>) -> Vec<Equipment> {
    let ids: HashSet<EquipmentId> = items.iter().map(|e| e.id).collect();
    let mut children: HashMap<Option<EquipmentId>, Vec<Equipment>> = HashMap::new();
    for e in items {
        let parent = e.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(e);
    }
    let mut out = Vec::with_capacity(ids.len());
    let mut stack: Vec<Equipment> = children.remove(&None).unwrap_or_default().into_iter().rev().collect();
    while let Some(e) = stack.pop() {
        if let Some(kids) = children.remove(&Some(e.id)) {
            stack.extend(kids.into_iter().rev());
        }
        out.push(e);
    }
    out
}
