//! Work orders, their step results and labour, and the parts issued to them.

use async_trait::async_trait;
use bosun_domain::procedure::{AnswerWire, Step, StepResult, StepWire};
use bosun_domain::stock::StockEntry;
use bosun_domain::work_order::{AssigneeWire, LabourEntry, Minutes, Origin, SignatureWire, WorkOrder};
use bosun_domain::{
    CompanyId, EquipmentId, FaultId, LabourEntryId, MaintenancePlanId, ProcedureId, StepId, StepResultId, UserId,
    VesselId, WorkOrderId,
};
use bosun_store::{
    Page, Procedure, StoreError, StoreResult, StoredLabour, StoredStepResult, WorkOrderFilter, WorkOrderRepo,
};
use sqlx::types::Json;

use crate::faults::name_set;
use crate::rows::DbRow;
use crate::{SqlTx, expect_one, filter, limit, reachable_vessels, run};

macro_rules! work_order_columns {
    () => {
        "company_id, id, vessel_id, equipment_id, origin, fault_id, plan_id, occurrence, follow_up_of, follow_up_step, \
         title, description, priority, assignees, due_on, estimated_minutes, steps, signature_required, status, \
         started_at, completed_at, completed_by, signature, verified_at, verified_by, cancelled_at, cancel_reason, \
         created_by, version, created_at, updated_at"
    };
}

fn other(e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(e.to_string())
}

fn work_order_from(r: &DbRow) -> StoreResult<WorkOrder> {
    let uuid = |col: &str| r.get::<Option<uuid::Uuid>>(col);
    let origin = match r.get::<String>("origin")?.as_str() {
        "manual" => Origin::Manual,
        "fault" => Origin::Fault(FaultId(uuid("fault_id")?.ok_or_else(|| other("a fault origin without its fault"))?)),
        "plan" => Origin::Plan {
            plan_id: MaintenancePlanId(uuid("plan_id")?.ok_or_else(|| other("a plan origin without its plan"))?),
            occurrence: u32::try_from(r.get::<Option<i64>>("occurrence")?.unwrap_or(0)).map_err(other)?,
        },
        "follow_up" => Origin::FollowUp {
            work_order_id: WorkOrderId(uuid("follow_up_of")?.ok_or_else(|| other("a follow-up without its order"))?),
            step_id: StepId(uuid("follow_up_step")?.ok_or_else(|| other("a follow-up without its step"))?),
        },
        o => return Err(other(format!("column origin: unexpected value {o:?}"))),
    };
    let assignees: Json<Vec<AssigneeWire>> = r.get("assignees")?;
    let steps = stored_steps(r.get("steps")?)?;
    let signature: Option<Json<SignatureWire>> = r.get("signature")?;
    let pair = |at: &str, by: &str| -> StoreResult<Option<(chrono::DateTime<chrono::Utc>, UserId)>> {
        Ok(r.get::<Option<chrono::DateTime<chrono::Utc>>>(at)?.zip(uuid(by)?.map(UserId)))
    };
    Ok(WorkOrder {
        id: WorkOrderId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        vessel_id: VesselId(r.get("vessel_id")?),
        equipment_id: EquipmentId(r.get("equipment_id")?),
        origin,
        title: r.get("title")?,
        description: r.get("description")?,
        priority: r.parse("priority")?,
        assignees: assignees.0.into_iter().map(Into::into).collect(),
        due_on: r.get("due_on")?,
        estimated: r.get::<Option<i64>>("estimated_minutes")?.map(Minutes),
        steps,
        signature_required: r.get("signature_required")?,
        status: r.parse("status")?,
        started_at: r.get("started_at")?,
        completed: pair("completed_at", "completed_by")?,
        signature: signature.map(|s| s.0.into()),
        verified: pair("verified_at", "verified_by")?,
        cancelled: r
            .get::<Option<chrono::DateTime<chrono::Utc>>>("cancelled_at")?
            .zip(r.get::<Option<String>>("cancel_reason")?),
        created_by: UserId(r.get("created_by")?),
        version: r.get("version")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

/// A stored checklist (a work order's, a procedure's, a plan's) read back into steps.
pub(crate) fn stored_steps(steps: Json<Vec<StepWire>>) -> StoreResult<Vec<Step>> {
    steps
        .0
        .into_iter()
        .enumerate()
        .map(|(i, s)| s.parse(&format!("steps.{i}")).map_err(|v| other(format!("stored {}: {}", v.field, v.message))))
        .collect()
}

/// An origin as its columns: kind, fault, plan, occurrence, follow-up order and step.
type OriginColumns =
    (&'static str, Option<uuid::Uuid>, Option<uuid::Uuid>, Option<i64>, Option<uuid::Uuid>, Option<uuid::Uuid>);

/// The JSON columns of a work order: assignees, steps and signature.
type JsonColumns = (Json<Vec<AssigneeWire>>, Json<Vec<StepWire>>, Option<Json<SignatureWire>>);

/// A JSON column's text.
fn json_text<T: serde::Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Other(e.to_string()))
}

/// New work orders' values, a column each, for one multi-row insert on PostgreSQL.
#[derive(Default)]
struct Columns {
    id: Vec<uuid::Uuid>,
    vessel: Vec<uuid::Uuid>,
    equipment: Vec<uuid::Uuid>,
    origin: Vec<&'static str>,
    fault: Vec<Option<uuid::Uuid>>,
    plan: Vec<Option<uuid::Uuid>>,
    occurrence: Vec<Option<i64>>,
    follow_up_of: Vec<Option<uuid::Uuid>>,
    follow_up_step: Vec<Option<uuid::Uuid>>,
    title: Vec<String>,
    description: Vec<String>,
    priority: Vec<&'static str>,
    assignees: Vec<String>,
    due_on: Vec<Option<chrono::NaiveDate>>,
    estimated: Vec<Option<i64>>,
    steps: Vec<String>,
    signature_required: Vec<bool>,
    status: Vec<&'static str>,
    started_at: Vec<Option<chrono::DateTime<chrono::Utc>>>,
    completed_at: Vec<Option<chrono::DateTime<chrono::Utc>>>,
    completed_by: Vec<Option<uuid::Uuid>>,
    signature: Vec<Option<String>>,
    verified_at: Vec<Option<chrono::DateTime<chrono::Utc>>>,
    verified_by: Vec<Option<uuid::Uuid>>,
    cancelled_at: Vec<Option<chrono::DateTime<chrono::Utc>>>,
    cancel_reason: Vec<Option<String>>,
    created_by: Vec<uuid::Uuid>,
    version: Vec<i64>,
    created_at: Vec<chrono::DateTime<chrono::Utc>>,
    updated_at: Vec<chrono::DateTime<chrono::Utc>>,
}

/// The origin's kind and references, as stored.
fn origin_columns(o: Origin) -> OriginColumns {
    match o {
        Origin::Manual => ("manual", None, None, None, None, None),
        Origin::Fault(f) => ("fault", Some(f.0), None, None, None, None),
        Origin::Plan { plan_id, occurrence } => {
            ("plan", None, Some(plan_id.0), Some(i64::from(occurrence)), None, None)
        }
        Origin::FollowUp { work_order_id, step_id } => {
            ("follow_up", None, None, None, Some(work_order_id.0), Some(step_id.0))
        }
    }
}

fn json_parts(w: &WorkOrder) -> JsonColumns {
    (
        Json(w.assignees.iter().map(|a| (*a).into()).collect()),
        Json(w.steps.iter().map(StepWire::of).collect()),
        w.signature.as_ref().map(|s| Json(s.into())),
    )
}

fn result_from(r: &DbRow) -> StoreResult<StoredStepResult> {
    let answer: Json<AnswerWire> = r.get("answer")?;
    Ok(StoredStepResult {
        company_id: CompanyId(r.get("company_id")?),
        vessel_id: VesselId(r.get("vessel_id")?),
        work_order_id: WorkOrderId(r.get("work_order_id")?),
        recorded_by: UserId(r.get("recorded_by")?),
        result: StepResult {
            id: StepResultId(r.get("id")?),
            step_id: StepId(r.get("step_id")?),
            answer: answer.0.parse().map_err(|v| other(format!("stored answer: {}", v.message)))?,
            outcome: r.parse("outcome")?,
            recorded_at: r.get("recorded_at")?,
        },
    })
}

const RESULT_COLUMNS: &str =
    "company_id, id, work_order_id, vessel_id, step_id, answer, outcome, recorded_by, recorded_at";

fn procedure_from(r: &DbRow) -> StoreResult<Procedure> {
    let steps = stored_steps(r.get("steps")?)?;
    Ok(Procedure {
        id: ProcedureId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        title: r.get("title")?,
        description: r.get("description")?,
        steps,
        created_by: UserId(r.get("created_by")?),
        version: r.get("version")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

fn labour_from(r: &DbRow) -> StoreResult<StoredLabour> {
    Ok(StoredLabour {
        company_id: CompanyId(r.get("company_id")?),
        vessel_id: VesselId(r.get("vessel_id")?),
        recorded_by: UserId(r.get("recorded_by")?),
        created_at: r.get("created_at")?,
        entry: LabourEntry {
            id: LabourEntryId(r.get("id")?),
            work_order_id: WorkOrderId(r.get("work_order_id")?),
            person_id: UserId(r.get("person_id")?),
            worked_on: r.get("worked_on")?,
            minutes: Minutes(r.get("minutes")?),
            rate_minor: r.get("rate_minor")?,
            currency: r.get("currency")?,
        },
    })
}

const LABOUR_COLUMNS: &str = "company_id, id, work_order_id, vessel_id, person_id, worked_on, minutes, recorded_by, created_at, rate_minor, \
     currency";

#[async_trait]
impl WorkOrderRepo for SqlTx {
    async fn insert_work_order(&mut self, w: &WorkOrder) -> StoreResult<()> {
        self.scoped(w.company_id)?;
        let (origin, fault, plan, occurrence, of, step) = origin_columns(w.origin);
        let (assignees, steps, signature) = json_parts(w);
        run!(self, execute,
            "INSERT INTO work_orders (company_id, id, vessel_id, equipment_id, origin, fault_id, plan_id, occurrence,
                 follow_up_of, follow_up_step, title, description, priority, assignees, due_on, estimated_minutes, steps,
                 signature_required, status, started_at, completed_at, completed_by, signature, verified_at, verified_by,
                 cancelled_at, cancel_reason, created_by, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
                     $23, $24, $25, $26, $27, $28, $29, $30, $31)",
            w.company_id.0, w.id.0, w.vessel_id.0, w.equipment_id.0, origin, fault, plan, occurrence, of, step,
            &w.title, &w.description, w.priority.as_str(), assignees, w.due_on, w.estimated.map(|m| m.0), steps,
            w.signature_required, w.status.as_str(), w.started_at, w.completed.map(|c| c.0), w.completed.map(|c| c.1.0),
            signature, w.verified.map(|v| v.0), w.verified.map(|v| v.1.0), w.cancelled.as_ref().map(|c| c.0),
            w.cancelled.as_ref().map(|c| c.1.clone()), w.created_by.0, w.version, w.created_at, w.updated_at)?;
        Ok(())
    }

    async fn insert_work_orders(&mut self, orders: &[WorkOrder]) -> StoreResult<()> {
        let Some(first) = orders.first() else { return Ok(()) };
        self.scoped(first.company_id)?;
        if orders.iter().any(|w| w.company_id != first.company_id) {
            return Err(StoreError::Other("work orders of several companies in one insert".into()));
        }
        let crate::Conn::Pg(c) = &mut self.conn else {
            for w in orders {
                self.insert_work_order(w).await?;
            }
            return Ok(());
        };
        // One statement: a column of values each, unnested into rows (the JSON columns as text).
        let mut cols = Columns::default();
        for w in orders {
            let (origin, fault, plan, occurrence, of, step) = origin_columns(w.origin);
            let (assignees, steps, signature) = json_parts(w);
            cols.id.push(w.id.0);
            cols.vessel.push(w.vessel_id.0);
            cols.equipment.push(w.equipment_id.0);
            cols.origin.push(origin);
            cols.fault.push(fault);
            cols.plan.push(plan);
            cols.occurrence.push(occurrence);
            cols.follow_up_of.push(of);
            cols.follow_up_step.push(step);
            cols.title.push(w.title.clone());
            cols.description.push(w.description.clone());
            cols.priority.push(w.priority.as_str());
            cols.assignees.push(json_text(&assignees.0)?);
            cols.due_on.push(w.due_on);
            cols.estimated.push(w.estimated.map(|m| m.0));
            cols.steps.push(json_text(&steps.0)?);
            cols.signature_required.push(w.signature_required);
            cols.status.push(w.status.as_str());
            cols.started_at.push(w.started_at);
            cols.completed_at.push(w.completed.map(|c| c.0));
            cols.completed_by.push(w.completed.map(|c| c.1.0));
            cols.signature.push(signature.map(|x| json_text(&x.0)).transpose()?);
            cols.verified_at.push(w.verified.map(|v| v.0));
            cols.verified_by.push(w.verified.map(|v| v.1.0));
            cols.cancelled_at.push(w.cancelled.as_ref().map(|c| c.0));
            cols.cancel_reason.push(w.cancelled.as_ref().map(|c| c.1.clone()));
            cols.created_by.push(w.created_by.0);
            cols.version.push(w.version);
            cols.created_at.push(w.created_at);
            cols.updated_at.push(w.updated_at);
        }
        const SQL: &str = concat!(
            "INSERT INTO work_orders (",
            work_order_columns!(),
            ") SELECT $1, s.id, s.vessel_id, s.equipment_id, s.origin, s.fault_id, s.plan_id, s.occurrence,
                      s.follow_up_of, s.follow_up_step, s.title, s.description, s.priority, s.assignees::jsonb, s.due_on,
                      s.estimated_minutes, s.steps::jsonb, s.signature_required, s.status, s.started_at, s.completed_at,
                      s.completed_by, s.signature::jsonb, s.verified_at, s.verified_by, s.cancelled_at, s.cancel_reason,
                      s.created_by, s.version, s.created_at, s.updated_at
                 FROM UNNEST($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::uuid[], $7::uuid[], $8::bigint[],
                             $9::uuid[], $10::uuid[], $11::text[], $12::text[], $13::text[], $14::text[], $15::date[],
                             $16::bigint[], $17::text[], $18::bool[], $19::text[], $20::timestamptz[],
                             $21::timestamptz[], $22::uuid[], $23::text[], $24::timestamptz[], $25::uuid[],
                             $26::timestamptz[], $27::text[], $28::uuid[], $29::bigint[], $30::timestamptz[],
                             $31::timestamptz[])
                   AS s (id, vessel_id, equipment_id, origin, fault_id, plan_id, occurrence, follow_up_of,
                         follow_up_step, title, description, priority, assignees, due_on, estimated_minutes, steps,
                         signature_required, status, started_at, completed_at, completed_by, signature, verified_at,
                         verified_by, cancelled_at, cancel_reason, created_by, version, created_at, updated_at)"
        );
        sqlx::query(SQL)
            .bind(first.company_id.0)
            .bind(cols.id)
            .bind(cols.vessel)
            .bind(cols.equipment)
            .bind(cols.origin)
            .bind(cols.fault)
            .bind(cols.plan)
            .bind(cols.occurrence)
            .bind(cols.follow_up_of)
            .bind(cols.follow_up_step)
            .bind(cols.title)
            .bind(cols.description)
            .bind(cols.priority)
            .bind(cols.assignees)
            .bind(cols.due_on)
            .bind(cols.estimated)
            .bind(cols.steps)
            .bind(cols.signature_required)
            .bind(cols.status)
            .bind(cols.started_at)
            .bind(cols.completed_at)
            .bind(cols.completed_by)
            .bind(cols.signature)
            .bind(cols.verified_at)
            .bind(cols.verified_by)
            .bind(cols.cancelled_at)
            .bind(cols.cancel_reason)
            .bind(cols.created_by)
            .bind(cols.version)
            .bind(cols.created_at)
            .bind(cols.updated_at)
            .execute(&mut **c)
            .await
            .map_err(crate::classify)?;
        Ok(())
    }

    async fn work_order(&mut self, company: CompanyId, id: WorkOrderId) -> StoreResult<Option<WorkOrder>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT ",
            work_order_columns!(),
            " FROM work_orders WHERE company_id = $1 AND id = $2 AND deleted_at IS NULL"
        );
        run!(self, fetch_optional, SQL, company.0, id.0)?.as_ref().map(work_order_from).transpose()
    }

    async fn update_work_order(&mut self, w: &WorkOrder) -> StoreResult<WorkOrder> {
        self.scoped(w.company_id)?;
        let (assignees, steps, signature) = json_parts(w);
        let n = run!(
            self,
            execute,
            "UPDATE work_orders SET title = $3, description = $4, priority = $5, assignees = $6, due_on = $7,
                    estimated_minutes = $8, steps = $9, signature_required = $10, status = $11, started_at = $12,
                    completed_at = $13, completed_by = $14, signature = $15, verified_at = $16, verified_by = $17,
                    cancelled_at = $18, cancel_reason = $19, version = $20, updated_at = $21
              WHERE company_id = $1 AND id = $2 AND deleted_at IS NULL",
            w.company_id.0,
            w.id.0,
            &w.title,
            &w.description,
            w.priority.as_str(),
            assignees,
            w.due_on,
            w.estimated.map(|m| m.0),
            steps,
            w.signature_required,
            w.status.as_str(),
            w.started_at,
            w.completed.map(|c| c.0),
            w.completed.map(|c| c.1.0),
            signature,
            w.verified.map(|v| v.0),
            w.verified.map(|v| v.1.0),
            w.cancelled.as_ref().map(|c| c.0),
            w.cancelled.as_ref().map(|c| c.1.clone()),
            w.version,
            w.updated_at
        )?;
        expect_one(n)?;
        self.work_order(w.company_id, w.id).await?.ok_or(StoreError::NotFound)
    }

    async fn list_work_orders(
        &mut self,
        company: CompanyId,
        f: &WorkOrderFilter,
        page: Page<WorkOrderId>,
    ) -> StoreResult<Vec<WorkOrder>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {} FROM work_orders w WHERE w.company_id = $1 AND w.deleted_at IS NULL AND {} AND {} AND {} AND {}
                AND {} ORDER BY w.id DESC LIMIT $7",
            work_order_columns!(),
            filter(page.after.is_some(), "$2", "w.id < $2"),
            filter(f.scope.vessel.is_some(), "$3", "w.vessel_id = $3"),
            if f.scope.member.is_some() {
                concat!("w.vessel_id IN (", reachable_vessels!("$1", "$4", "$8"), ")")
            } else {
                "$4 IS NULL AND $8 IS NULL"
            },
            filter(f.equipment.is_some(), "$5", "w.equipment_id = $5"),
            filter(!f.statuses.is_empty(), "$6", "$6 LIKE '%,' || w.status || ',%'"),
        );
        run!(
            self,
            fetch_all,
            sqlx::AssertSqlSafe(sql),
            company.0,
            page.after.map(|p| p.0),
            f.scope.vessel.map(|v| v.0),
            f.scope.member.map(|m| m.principal),
            f.equipment.map(|e| e.0),
            name_set(&f.statuses),
            limit(page.limit),
            f.scope.member.map(|m| m.since)
        )?
        .iter()
        .map(work_order_from)
        .collect()
    }

    async fn insert_step_result(&mut self, r: &StoredStepResult, version: i64) -> StoreResult<()> {
        self.scoped(r.company_id)?;
        let x = &r.result;
        run!(
            self,
            execute,
            "INSERT INTO step_results (company_id, id, work_order_id, vessel_id, step_id, answer, outcome, recorded_by,
                                       recorded_at, version, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            r.company_id.0,
            x.id.0,
            r.work_order_id.0,
            r.vessel_id.0,
            x.step_id.0,
            Json(AnswerWire::of(&x.answer)),
            x.outcome.as_str(),
            r.recorded_by.0,
            x.recorded_at,
            version,
            x.recorded_at
        )?;
        Ok(())
    }

    async fn step_result(&mut self, company: CompanyId, id: StepResultId) -> StoreResult<Option<StoredStepResult>> {
        self.scoped(company)?;
        let sql = format!("SELECT {RESULT_COLUMNS} FROM step_results WHERE company_id = $1 AND id = $2");
        run!(self, fetch_optional, sqlx::AssertSqlSafe(sql), company.0, id.0)?.as_ref().map(result_from).transpose()
    }

    async fn step_results(
        &mut self,
        company: CompanyId,
        work_order: WorkOrderId,
    ) -> StoreResult<Vec<StoredStepResult>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {RESULT_COLUMNS} FROM step_results WHERE company_id = $1 AND work_order_id = $2 ORDER BY id"
        );
        run!(self, fetch_all, sqlx::AssertSqlSafe(sql), company.0, work_order.0)?.iter().map(result_from).collect()
    }

    async fn insert_labour(&mut self, l: &StoredLabour, version: i64) -> StoreResult<()> {
        self.scoped(l.company_id)?;
        let e = &l.entry;
        run!(
            self,
            execute,
            "INSERT INTO labour_entries (company_id, id, work_order_id, vessel_id, person_id, worked_on, minutes,
                                         recorded_by, version, created_at, rate_minor, currency)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            l.company_id.0,
            e.id.0,
            e.work_order_id.0,
            l.vessel_id.0,
            e.person_id.0,
            e.worked_on,
            e.minutes.0,
            l.recorded_by.0,
            version,
            l.created_at,
            e.rate_minor,
            e.currency.as_deref()
        )?;
        Ok(())
    }

    async fn labour_entry(&mut self, company: CompanyId, id: LabourEntryId) -> StoreResult<Option<StoredLabour>> {
        self.scoped(company)?;
        let sql = format!("SELECT {LABOUR_COLUMNS} FROM labour_entries WHERE company_id = $1 AND id = $2");
        run!(self, fetch_optional, sqlx::AssertSqlSafe(sql), company.0, id.0)?.as_ref().map(labour_from).transpose()
    }

    async fn labour(&mut self, company: CompanyId, work_order: WorkOrderId) -> StoreResult<Vec<StoredLabour>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {LABOUR_COLUMNS} FROM labour_entries WHERE company_id = $1 AND work_order_id = $2 ORDER BY id"
        );
        run!(self, fetch_all, sqlx::AssertSqlSafe(sql), company.0, work_order.0)?.iter().map(labour_from).collect()
    }

    async fn issued_parts(&mut self, company: CompanyId, work_order: WorkOrderId) -> StoreResult<Vec<StockEntry>> {
        self.scoped(company)?;
        crate::stock::entries_of_work_order(self, company, work_order).await
    }

    async fn insert_procedure(&mut self, p: &Procedure) -> StoreResult<()> {
        self.scoped(p.company_id)?;
        let steps: Json<Vec<StepWire>> = Json(p.steps.iter().map(StepWire::of).collect());
        run!(self, execute,
            "INSERT INTO procedures (company_id, id, title, description, steps, created_by, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            p.company_id.0, p.id.0, &p.title, &p.description, steps, p.created_by.0, p.version, p.created_at,
            p.updated_at)?;
        Ok(())
    }

    async fn procedure(&mut self, company: CompanyId, id: ProcedureId) -> StoreResult<Option<Procedure>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_optional,
            "SELECT company_id, id, title, description, steps, created_by, version, created_at, updated_at
               FROM procedures WHERE company_id = $1 AND id = $2 AND deleted_at IS NULL",
            company.0,
            id.0
        )?
        .as_ref()
        .map(procedure_from)
        .transpose()
    }

    async fn update_procedure(&mut self, p: &Procedure) -> StoreResult<()> {
        self.scoped(p.company_id)?;
        let steps: Json<Vec<StepWire>> = Json(p.steps.iter().map(StepWire::of).collect());
        let n = run!(
            self,
            execute,
            "UPDATE procedures SET title = $3, description = $4, steps = $5, version = $6, updated_at = $7
              WHERE company_id = $1 AND id = $2 AND deleted_at IS NULL",
            p.company_id.0,
            p.id.0,
            &p.title,
            &p.description,
            steps,
            p.version,
            p.updated_at
        )?;
        expect_one(n)
    }

    async fn list_procedures(&mut self, company: CompanyId, page: Page<ProcedureId>) -> StoreResult<Vec<Procedure>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT company_id, id, title, description, steps, created_by, version, created_at, updated_at
               FROM procedures WHERE company_id = $1 AND deleted_at IS NULL AND {} ORDER BY id LIMIT $3",
            filter(page.after.is_some(), "$2", "id > $2")
        );
        run!(self, fetch_all, sqlx::AssertSqlSafe(sql), company.0, page.after.map(|p| p.0), limit(page.limit))?
            .iter()
            .map(procedure_from)
            .collect()
    }
}
