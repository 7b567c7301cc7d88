//! Vessels, departments and crew rotations. Vessel-scoped roles (engineer, crew, viewer) see
//! only the vessels they are members of; any other vessel is "not found" to them.

use bosun_domain::permissions::Action;
use bosun_domain::person::CrewMember;
use bosun_domain::vessel::{Department, ImoNumber, Vessel, VesselKind, VesselMember, check_rotation};
use bosun_domain::{DepartmentId, UserId, VesselId, Violation, check_text};
use bosun_store::{Change, Page, StoreError, Tx};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::json;

use crate::work::{UnitOfWork, mutator};
use crate::{Actor, Audit, Deps, Error, Result, Violations};

/// A vessel's fields as submitted, as text: [`check_vessel`] parses them into
/// [`VesselFields`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VesselInput {
    /// `vessel`, `site` or `project`.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Type.
    #[serde(default)]
    pub vessel_type: Option<String>,
    /// IMO number (ships only).
    #[serde(default)]
    pub imo: Option<String>,
    /// Free-form specifications (must be a JSON object).
    #[serde(default)]
    pub specs: Option<serde_json::Value>,
}

/// A vessel's fields parsed into domain values: only [`check_vessel`] makes them (a mutator's
/// arguments read from JSON go through it too).
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "VesselInput")]
pub struct VesselFields {
    /// Vessel, site or project.
    pub kind: VesselKind,
    /// Name, 1–120 characters.
    pub name: String,
    /// Type.
    pub vessel_type: Option<String>,
    /// IMO number (ships only).
    pub imo: Option<ImoNumber>,
    /// Specifications, a JSON object as text.
    pub specs: String,
}

impl TryFrom<VesselInput> for VesselFields {
    type Error = String;
    fn try_from(input: VesselInput) -> std::result::Result<Self, String> {
        check_vessel(&input).map_err(|e| match e {
            Error::Invalid(vs) => {
                vs.iter().map(|v| format!("{}: {}", v.field, v.message)).collect::<Vec<_>>().join("; ")
            }
            e => e.to_string(),
        })
    }
}

/// Registers a vessel (`create_vessel.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateVessel {
    /// Client-chosen id (offline creation), else a new one.
    #[serde(default)]
    pub id: Option<VesselId>,
    /// Its fields.
    pub fields: VesselFields,
}

/// Replaces a vessel's fields (`update_vessel.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateVessel {
    /// The vessel.
    pub vessel_id: VesselId,
    /// Its new fields.
    pub fields: VesselFields,
    /// The version the client last saw; a newer stored version is a conflict.
    #[serde(default)]
    pub version: Option<i64>,
}

/// Adds a department to a vessel (`add_department.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddDepartment {
    /// The vessel.
    pub vessel_id: VesselId,
    /// Its name, 1–60 characters (kept lower-case).
    pub name: String,
}

/// Puts a person (the caller by default) on a vessel's rotation (`join_rotation.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinRotation {
    /// The vessel.
    pub vessel_id: VesselId,
    /// Who joins; the caller when absent.
    #[serde(default)]
    pub user_id: Option<UserId>,
    /// Their department.
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
    /// First day.
    pub rotation_start: NaiveDate,
    /// Planned last day.
    #[serde(default)]
    pub rotation_end: Option<NaiveDate>,
}

/// Takes a person off a vessel (`remove_vessel_member.v1`): they no longer reach it, its live
/// events stop reaching them, and they may be put on its rotation again later.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoveVesselMember {
    /// The vessel.
    pub vessel_id: VesselId,
    /// The person.
    pub user_id: UserId,
}

mutator!(CreateVessel, "create_vessel.v1", Vessel, |app, uow, actor, m| { app.vessels.create(uow, actor, m).await });

mutator!(UpdateVessel, "update_vessel.v1", Vessel, |app, uow, actor, m| { app.vessels.update(uow, actor, m).await });

mutator!(AddDepartment, "add_department.v1", Department, |app, uow, actor, m| {
    app.vessels.add_department(uow, actor, m).await
});

mutator!(JoinRotation, "join_rotation.v1", VesselMember, |app, uow, actor, m| {
    app.vessels.join_rotation(uow, actor, m).await
});

mutator!(RemoveVesselMember, "remove_vessel_member.v1", (), |app, uow, actor, m| {
    app.vessels.remove_member(uow, actor, m).await
});

/// Vessel use cases.
#[derive(Clone)]
pub struct VesselService {
    /// The store, clock and event hub it works with.
    pub deps: Deps,
}

/// `v` with the edit's fields.
fn with_fields(v: Vessel, c: VesselFields) -> Vessel {
    Vessel { kind: c.kind, name: c.name, vessel_type: c.vessel_type, imo: c.imo, specs: c.specs, ..v }
}

/// Puts `v`'s stored value of `field` back into the edit `c`.
fn keep_field(c: &mut VesselFields, v: &Vessel, field: &str) {
    match field {
        "kind" => c.kind = v.kind,
        "name" => c.name.clone_from(&v.name),
        "vessel_type" => c.vessel_type.clone_from(&v.vessel_type),
        "imo" => c.imo = v.imo,
        _ => c.specs.clone_from(&v.specs),
    }
}

pub(crate) fn vessel_json(v: &Vessel) -> serde_json::Value {
    json!({
        "id": v.id, "kind": v.kind.as_str(), "name": v.name, "vessel_type": v.vessel_type,
        "imo": v.imo.map(|i| i.to_string()),
        "specs": serde_json::from_str::<serde_json::Value>(&v.specs).unwrap_or_default(),
    })
}

/// Parses a vessel's fields, every problem at once.
pub fn check_vessel(input: &VesselInput) -> Result<VesselFields> {
    let mut v = Violations::default();
    let kind = v.check(input.kind.parse::<VesselKind>());
    let name = v.check(check_text("name", &input.name, 1, 120));
    let vessel_type = input
        .vessel_type
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .and_then(|t| v.check(check_text("vessel_type", t, 1, 80)));
    let imo =
        input.imo.as_deref().filter(|s| !s.trim().is_empty()).and_then(|i| v.check(ImoNumber::parse_field("imo", i)));
    if imo.is_some() && kind.is_some_and(|k| k != VesselKind::Vessel) {
        v.check::<()>(Err(Violation::new("imo", "not_a_ship", "only a vessel of kind 'vessel' has an IMO number")));
    }
    let specs = match &input.specs {
        None => Some("{}".to_owned()),
        // PostgreSQL's jsonb cannot hold U+0000; refuse it on both backends alike.
        Some(s @ serde_json::Value::Object(_)) if has_nul(s) => {
            v.check(Err(Violation::new("specs", "control_characters", "must not contain the character U+0000")))
        }
        Some(s @ serde_json::Value::Object(_)) if s.to_string().len() <= 16 * 1024 => Some(s.to_string()),
        Some(serde_json::Value::Object(_)) => {
            v.check(Err(Violation::new("specs", "too_long", "must be at most 16 KiB")))
        }
        Some(_) => v.check(Err(Violation::new("specs", "not_an_object", "must be a JSON object"))),
    };
    v.finish()?;
    match (kind, name, specs) {
        (Some(kind), Some(name), Some(specs)) => Ok(VesselFields { kind, name, vessel_type, imo, specs }),
        _ => Err(Error::Internal("checked vessel fields".into())),
    }
}

/// Whether any key or string inside `value` holds U+0000.
pub(crate) fn has_nul(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(s) => s.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(has_nul),
        serde_json::Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

/// Refuses a date outside years 1–9999: both backends store those alike (PostgreSQL
/// cannot hold years before 4713 BC, and SQLite compares dates as text).
fn check_date(field: &str, d: NaiveDate) -> std::result::Result<NaiveDate, Violation> {
    if (1..=9999).contains(&d.year()) {
        Ok(d)
    } else {
        Err(Violation::new(field, "out_of_range", "must be a date in the years 1 to 9999"))
    }
}

fn imo_taken(e: StoreError) -> Error {
    match e {
        StoreError::Conflict(_) => {
            Error::Conflict { code: "imo_taken", message: "another vessel of the company has this IMO number".into() }
        }
        e => e.into(),
    }
}

impl VesselService {
    fn change(
        &self,
        v: VesselId,
        entity: &'static str,
        row: uuid::Uuid,
        op: &'static str,
        fields: serde_json::Value,
    ) -> Change {
        Change { scope: format!("vessel:{v}"), entity, row_id: row, op, fields, at: self.deps.clock.now() }
    }

    /// The vessel if the caller may see it, else `NotFound`.
    async fn visible(&self, tx: &mut Box<dyn Tx>, actor: &Actor, id: VesselId) -> Result<Vessel> {
        let v = tx.vessel(actor.company_id, id).await?.ok_or(Error::NotFound)?;
        if !self.deps.sees_vessel(tx, actor, id).await? {
            return Err(Error::NotFound);
        }
        Ok(v)
    }

    /// The vessels the caller may see, a page at a time.
    pub async fn list(&self, actor: &Actor, page: Page<VesselId>) -> Result<(Vec<Vessel>, Option<VesselId>)> {
        actor.require(Action::VesselRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let member = self.deps.reach(actor);
        let mut rows =
            tx.list_vessels(actor.company_id, member, Page { after: page.after, limit: page.limit + 1 }).await?;
        let next = if rows.len() > page.limit as usize {
            rows.truncate(page.limit as usize);
            rows.last().map(|v| v.id)
        } else {
            None
        };
        Ok((rows, next))
    }

    /// One vessel with its departments.
    pub async fn get(&self, actor: &Actor, id: VesselId) -> Result<(Vessel, Vec<Department>)> {
        actor.require(Action::VesselRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let v = self.visible(&mut tx, actor, id).await?;
        let departments = tx.list_departments(actor.company_id, id).await?;
        Ok((v, departments))
    }

    /// The people on a vessel's rotation, a page at a time (owners, admins, managers: the
    /// people directory is theirs, see `user.list`).
    pub async fn crew(
        &self,
        actor: &Actor,
        id: VesselId,
        page: Page<UserId>,
    ) -> Result<(Vec<CrewMember>, Option<UserId>)> {
        actor.require(Action::UserList)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        self.visible(&mut tx, actor, id).await?;
        let mut rows =
            tx.list_vessel_crew(actor.company_id, id, Page { after: page.after, limit: page.limit + 1 }).await?;
        let next = if rows.len() > page.limit as usize {
            rows.truncate(page.limit as usize);
            rows.last().map(|c| c.member.user.id)
        } else {
            None
        };
        Ok((rows, next))
    }

    async fn create(&self, uow: &mut UnitOfWork, actor: &Actor, input: &CreateVessel) -> Result<Vessel> {
        actor.permit_new(Action::VesselCreate, "vessel", None::<VesselId>)?;
        let c = input.fields.clone();
        let now = self.deps.clock.now();
        let mut v = Vessel {
            id: input.id.unwrap_or_else(|| self.deps.ids.id()),
            company_id: actor.company_id,
            kind: c.kind,
            name: c.name,
            vessel_type: c.vessel_type,
            imo: c.imo,
            specs: c.specs,
            version: 0,
            created_at: now,
            updated_at: now,
        };
        let tx = &mut uow.tx;
        if tx.vessel(actor.company_id, v.id).await?.is_some() {
            return Err(Error::Conflict { code: "id_taken", message: format!("vessel {} already exists", v.id) });
        }
        let fields = vessel_json(&v);
        v.version =
            tx.record_change(actor.company_id, &self.change(v.id, "vessel", v.id.0, "insert", fields.clone())).await?;
        tx.insert_vessel(&v).await.map_err(imo_taken)?;
        self.deps
            .audit(
                tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("vessel.create", "vessel", v.id).after(fields),
            )
            .await?;
        Ok(v)
    }

    async fn update(&self, uow: &mut UnitOfWork, actor: &Actor, input: &UpdateVessel) -> Result<Vessel> {
        let id = input.vessel_id;
        let scope = format!("vessel:{id}");
        uow.hold_scope(actor.company_id, &scope).await?;
        let current = self.visible(&mut uow.tx, actor, id).await?;
        actor.permit(Action::VesselUpdate, "vessel", id)?;
        // A pushed edit made against a base version is decided field by field against what
        // changed since (as an item's edit); an online one must name the version it read, or none.
        let since = uow.since_base(actor.company_id, "vessel", id.0).await?;
        if let Some(seen) = input.version.filter(|seen| since.is_none() && *seen != current.version) {
            return Err(Error::Conflict {
                code: "version_conflict",
                message: format!("the vessel changed since version {seen}; it is now at {}", current.version),
            });
        }
        let mut c = input.fields.clone();
        if let Some(since) = &since {
            let mine = vessel_json(&with_fields(current.clone(), c.clone()));
            let now = vessel_json(&current);
            let at = (scope.as_str(), "vessel", id.0);
            for field in ["kind", "name", "vessel_type", "imo", "specs"] {
                let (m, n) = (&mine[field], &now[field]);
                // A field the person did not change keeps the stored value; one both changed
                // goes by clock, the other value kept as a conflict.
                if !since.written(field, m, n)
                    || !uow.field_applies(&self.deps, actor, at, since, field, (m, n)).await?
                {
                    keep_field(&mut c, &current, field);
                }
            }
        }
        let tx = &mut uow.tx;
        let before = vessel_json(&current);
        let mut v = Vessel { updated_at: self.deps.clock.now(), ..with_fields(current, c) };
        let fields = vessel_json(&v);
        v.version =
            tx.record_change(actor.company_id, &self.change(id, "vessel", id.0, "update", fields.clone())).await?;
        let v = tx.update_vessel(&v).await.map_err(imo_taken)?;
        self.deps
            .audit(
                tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("vessel.update", "vessel", id).before(before).after(fields),
            )
            .await?;
        Ok(v)
    }

    async fn add_department(&self, uow: &mut UnitOfWork, actor: &Actor, input: &AddDepartment) -> Result<Department> {
        let vessel = input.vessel_id;
        let tx = &mut uow.tx;
        self.visible(tx, actor, vessel).await?;
        actor.permit_new(Action::DepartmentCreate, "department", None::<VesselId>)?;
        let name = check_text("name", &input.name, 1, 60)?.to_lowercase();
        let d = Department {
            id: self.deps.ids.id(),
            company_id: actor.company_id,
            vessel_id: vessel,
            name,
            created_at: self.deps.clock.now(),
        };
        let fields = json!({ "id": d.id, "vessel_id": vessel, "name": d.name });
        tx.record_change(actor.company_id, &self.change(vessel, "department", d.id.0, "insert", fields.clone()))
            .await?;
        tx.insert_department(&d).await.map_err(|e| match e {
            StoreError::Conflict(_) => Error::Conflict {
                code: "department_exists",
                message: format!("the vessel already has a {} department", d.name),
            },
            e => e.into(),
        })?;
        self.deps
            .audit(
                tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("department.create", "department", d.id).after(fields),
            )
            .await?;
        Ok(d)
    }

    async fn join_rotation(&self, uow: &mut UnitOfWork, actor: &Actor, input: &JoinRotation) -> Result<VesselMember> {
        let vessel = input.vessel_id;
        let tx = &mut uow.tx;
        self.visible(tx, actor, vessel).await?;
        let user = input.user_id.unwrap_or(actor.user_id);
        let action = if user == actor.user_id && actor.role.is_vessel_scoped() {
            Action::RotationJoinSelf
        } else {
            Action::RotationAssign
        };
        actor.permit(action, "vessel_member", vessel)?;
        let mut dates = Violations::default();
        dates.check(check_date("rotation_start", input.rotation_start));
        if let Some(end) = input.rotation_end {
            dates.check(check_date("rotation_end", end));
        }
        dates.finish()?;
        check_rotation(input.rotation_start, input.rotation_end)?;

        if tx.membership(actor.company_id, user).await?.is_none() {
            return Err(Violation::new("user_id", "unknown_person", "is not a person of this company").into());
        }
        if let Some(d) = input.department_id
            && !tx.list_departments(actor.company_id, vessel).await?.iter().any(|x| x.id == d)
        {
            return Err(
                Violation::new("department_id", "unknown_department", "is not a department of this vessel").into()
            );
        }
        let before = tx.vessel_member(actor.company_id, vessel, user).await?;
        let m = VesselMember {
            company_id: actor.company_id,
            vessel_id: vessel,
            user_id: user,
            department_id: input.department_id,
            rotation_start: input.rotation_start,
            rotation_end: input.rotation_end,
            updated_at: self.deps.clock.now(),
        };
        let fields = json!({
            "vessel_id": vessel, "user_id": user, "department_id": m.department_id,
            "rotation_start": m.rotation_start, "rotation_end": m.rotation_end,
        });
        let op = if before.is_some() { "update" } else { "insert" };
        tx.record_change(actor.company_id, &self.change(vessel, "vessel_member", user.0, op, fields.clone())).await?;
        tx.upsert_vessel_member(&m).await?;
        let mut audit = Audit::ok("rotation.join", "vessel_member", format!("{vessel}/{user}")).after(fields);
        if let Some(b) = &before {
            audit = audit.before(json!({
                "department_id": b.department_id, "rotation_start": b.rotation_start, "rotation_end": b.rotation_end,
            }));
        }
        self.deps.audit(tx, actor.company_id, Some(actor.user_id), &actor.meta, audit).await?;
        Ok(m)
    }

    async fn remove_member(&self, uow: &mut UnitOfWork, actor: &Actor, input: &RemoveVesselMember) -> Result<()> {
        let (vessel, user) = (input.vessel_id, input.user_id);
        let tx = &mut uow.tx;
        self.visible(tx, actor, vessel).await?;
        let before = tx.vessel_member(actor.company_id, vessel, user).await?.ok_or(Error::NotFound)?;
        actor.permit(Action::RotationAssign, "vessel_member", format!("{vessel}/{user}"))?;
        let now = self.deps.clock.now();
        let fields = json!({ "vessel_id": vessel, "user_id": user });
        tx.record_change(actor.company_id, &self.change(vessel, "vessel_member", user.0, "delete", fields)).await?;
        tx.remove_vessel_member(actor.company_id, vessel, user, now).await?;
        let audit = Audit::ok("rotation.remove", "vessel_member", format!("{vessel}/{user}")).before(json!({
            "department_id": before.department_id, "rotation_start": before.rotation_start,
            "rotation_end": before.rotation_end,
        }));
        self.deps.audit(tx, actor.company_id, Some(actor.user_id), &actor.meta, audit).await?;
        Ok(())
    }
}
