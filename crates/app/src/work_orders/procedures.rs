//! Procedures (ADR 0007): the company's reusable checklists (entity `procedure`, company
//! scope). A work order copies a procedure's steps with ids of its own when it is raised, so an
//! edit here changes no work order. Fields are decided one by one against what changed since a
//! device's base, as a part's are.

use bosun_domain::permissions::Action;
use bosun_domain::procedure::{StepWire, parse_wire_steps};
use bosun_domain::{ProcedureId, check_long_text, check_text};
use bosun_store::{Change, Page, Procedure};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::work::{UnitOfWork, mutator};
use crate::{Actor, Audit, Error, Result, Violations, id_race, id_taken};

/// A procedure's fields, as sent and as its row names them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcedureFields {
    /// What it is for, 1–200 characters.
    pub title: String,
    /// Notes, up to 10,000 characters.
    #[serde(default)]
    pub description: String,
    /// The steps (at most 200).
    #[serde(default)]
    pub steps: Vec<StepWire>,
}

/// The fields' names.
pub const PROCEDURE_FIELDS: &[&str] = &["title", "description", "steps"];

impl ProcedureFields {
    /// The fields of a stored procedure.
    pub fn of(p: &Procedure) -> Self {
        Self {
            title: p.title.clone(),
            description: p.description.clone(),
            steps: p.steps.iter().map(StepWire::of).collect(),
        }
    }

    fn apply_to(&self, p: &mut Procedure) -> Result<()> {
        let mut v = Violations::default();
        let title = v.check(check_text("title", &self.title, 1, 200));
        let description = v.check(check_long_text("description", &self.description, 0, 10_000));
        let steps = v.check(parse_wire_steps(self.steps.clone()));
        v.finish()?;
        let (Some(title), Some(description), Some(steps)) = (title, description, steps) else {
            return Err(Error::Internal("checked procedure fields".into()));
        };
        (p.title, p.description, p.steps) = (title, description, steps);
        Ok(())
    }
}

/// Adds a procedure to the company's (`create_procedure.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateProcedure {
    /// Client-made UUIDv7; a new one when absent.
    #[serde(default)]
    pub id: Option<ProcedureId>,
    /// Its fields.
    #[serde(flatten)]
    pub fields: ProcedureFields,
}

/// Replaces a procedure's fields (`update_procedure.v1`).
#[derive(Debug, Clone, Deserialize)]
pub struct UpdateProcedure {
    /// The procedure.
    pub procedure_id: ProcedureId,
    /// The version last seen; a newer stored version is a `version_conflict`.
    #[serde(default)]
    pub version: Option<i64>,
    /// Its fields.
    #[serde(flatten)]
    pub fields: ProcedureFields,
}

/// A procedure as a write answers it.
#[derive(Debug, Clone)]
pub struct SavedProcedure {
    /// The procedure.
    pub row: Procedure,
    /// False when the same procedure had been received before.
    pub created: bool,
}

mutator!(CreateProcedure, "create_procedure.v1", SavedProcedure, |app, uow, actor, m| {
    create(&app.work_orders.deps, uow, actor, m).await
});
mutator!(UpdateProcedure, "update_procedure.v1", Procedure, |app, uow, actor, m| {
    update(&app.work_orders.deps, uow, actor, m).await
});

/// A procedure's fields as its change-log row carries them.
pub fn procedure_json(p: &Procedure) -> serde_json::Value {
    let mut row = serde_json::to_value(ProcedureFields::of(p)).unwrap_or_default();
    if let Some(o) = row.as_object_mut() {
        o.insert("id".into(), json!(p.id));
        o.insert("created_by".into(), json!(p.created_by));
        o.insert("updated_at".into(), json!(p.updated_at));
    }
    row
}

fn scope(actor: &Actor) -> String {
    format!("company:{}", actor.company_id)
}

async fn create(
    deps: &crate::Deps,
    uow: &mut UnitOfWork,
    actor: &Actor,
    m: &CreateProcedure,
) -> Result<SavedProcedure> {
    let company = actor.company_id;
    actor.permit_new(Action::ProcedureWrite, "procedure", m.id)?;
    let now = deps.clock.now();
    let id = m.id.unwrap_or_else(|| deps.ids.id());
    let mut p = Procedure {
        id,
        company_id: company,
        title: String::new(),
        description: String::new(),
        steps: Vec::new(),
        created_by: actor.user_id,
        version: 0,
        created_at: now,
        updated_at: now,
    };
    m.fields.apply_to(&mut p)?;
    let scope = scope(actor);
    uow.tx.lock_scope(company, &scope).await?;
    if let Some(existing) = uow.tx.procedure(company, id).await? {
        let history = uow.tx.row_history(company, "procedure", id.0, 2).await?;
        let edited = history.last().is_some_and(|(_, c, _)| c.op != "insert");
        let same = existing.created_by == actor.user_id
            && (ProcedureFields::of(&existing) == ProcedureFields::of(&p) || edited);
        return if same {
            Ok(SavedProcedure { row: existing, created: false })
        } else {
            Err(id_taken("procedure", id))
        };
    }
    let fields = procedure_json(&p);
    let change = Change { scope, entity: "procedure", row_id: id.0, op: "insert", fields: fields.clone(), at: now };
    p.version = uow.tx.record_change(company, &change).await?;
    uow.tx.insert_procedure(&p).await.map_err(id_race)?;
    deps.audit(
        &mut uow.tx,
        company,
        Some(actor.user_id),
        &actor.meta,
        Audit::ok("procedure.create", "procedure", id).after(fields),
    )
    .await?;
    Ok(SavedProcedure { row: p, created: true })
}

async fn update(deps: &crate::Deps, uow: &mut UnitOfWork, actor: &Actor, m: &UpdateProcedure) -> Result<Procedure> {
    let company = actor.company_id;
    let id = m.procedure_id;
    uow.tx.procedure(company, id).await?.ok_or(Error::NotFound)?;
    actor.permit(Action::ProcedureWrite, "procedure", id)?;
    let scope = scope(actor);
    uow.tx.lock_scope(company, &scope).await?;
    let current = uow.tx.procedure(company, id).await?.ok_or(Error::NotFound)?;
    let stored = ProcedureFields::of(&current);
    let edit = crate::conflicts::FieldEdit {
        at: (&scope, "procedure", id.0),
        names: PROCEDURE_FIELDS,
        seen: m.version,
        version: current.version,
        mine: &m.fields,
        current: &stored,
    };
    let fields = uow.edited_fields(deps, actor, edit).await?;
    if fields == ProcedureFields::of(&current) {
        return Ok(current);
    }
    let now = deps.clock.now();
    let mut p = current.clone();
    fields.apply_to(&mut p)?;
    p.updated_at = now;
    let before = procedure_json(&current);
    let after = procedure_json(&p);
    let change = Change { scope, entity: "procedure", row_id: id.0, op: "update", fields: after.clone(), at: now };
    p.version = uow.tx.record_change(company, &change).await?;
    uow.tx.update_procedure(&p).await?;
    deps.audit(
        &mut uow.tx,
        company,
        Some(actor.user_id),
        &actor.meta,
        Audit::ok("procedure.update", "procedure", id).before(before).after(after),
    )
    .await?;
    Ok(p)
}

/// The company's procedures, oldest first, for anyone who reads work orders.
pub async fn list(
    deps: &crate::Deps,
    actor: &Actor,
    page: Page<ProcedureId>,
) -> Result<(Vec<Procedure>, Option<ProcedureId>)> {
    actor.require(Action::WorkOrderRead)?;
    let mut tx = deps.store.begin_read(Some(actor.company_id)).await?;
    let rows = tx.list_procedures(actor.company_id, Page { after: page.after, limit: page.limit + 1 }).await?;
    Ok(crate::page_of(rows, page.limit, |p| p.id))
}

/// One procedure.
pub async fn get(deps: &crate::Deps, actor: &Actor, id: ProcedureId) -> Result<Procedure> {
    actor.require(Action::WorkOrderRead)?;
    let mut tx = deps.store.begin_read(Some(actor.company_id)).await?;
    tx.procedure(actor.company_id, id).await?.ok_or(Error::NotFound)
}
