//! Preventive maintenance plans, their postponements and completions.

use async_trait::async_trait;
use bosun_domain::maintenance_plan::{
    Completion, CriterionWire, MaintenancePlan, PlanProgress, PostponedTo, Postponement,
};
use bosun_domain::procedure::StepWire;
use bosun_domain::work_order::{AssigneeWire, Minutes};
use bosun_domain::{CompanyId, EquipmentId, MaintenancePlanId, PostponementId, UserId, VesselId, WorkOrderId};
use bosun_store::{
    ComplianceCount, Page, PlanCompletion, PlanFilter, PlanRepo, PlanWork, StoreError, StoreResult, StoredPlan,
    StoredPostponement, VesselScope,
};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;

use crate::rows::DbRow;
use crate::{Conn, SqlTx, expect_one, filter, limit, reachable_vessels, run};

macro_rules! plan_columns {
    () => {
        "company_id, id, vessel_id, equipment_id, title, description, priority, criteria, starts_on, start_hours, \
         lead_days, steps, signature_required, estimated_minutes, assignees, occurrence, last_done_on, \
         last_done_hours, due_on, due_hours, next_check_at, created_by, version, created_at, updated_at"
    };
}

fn other(e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(e.to_string())
}

fn plan_from(r: &DbRow) -> StoreResult<StoredPlan> {
    let criteria: Json<Vec<CriterionWire>> = r.get("criteria")?;
    let criteria = criteria
        .0
        .iter()
        .enumerate()
        .map(|(i, c)| {
            c.parse(&format!("criteria.{i}")).map_err(|v| other(format!("stored {}: {}", v.field, v.message)))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let steps = crate::work_orders::stored_steps(r.get("steps")?)?;
    let assignees: Json<Vec<AssigneeWire>> = r.get("assignees")?;
    let last_done = r
        .get::<Option<NaiveDate>>("last_done_on")?
        .map(|on| Ok::<_, StoreError>(Completion { on, hours: r.get("last_done_hours")? }))
        .transpose()?;
    Ok(StoredPlan {
        plan: MaintenancePlan {
            id: MaintenancePlanId(r.get("id")?),
            company_id: CompanyId(r.get("company_id")?),
            vessel_id: VesselId(r.get("vessel_id")?),
            equipment_id: EquipmentId(r.get("equipment_id")?),
            title: r.get("title")?,
            criteria,
            starts_on: r.get("starts_on")?,
            start_hours: r.get("start_hours")?,
            lead_days: u32::try_from(r.get::<i64>("lead_days")?).map_err(other)?,
        },
        work: PlanWork {
            description: r.get("description")?,
            priority: r.parse("priority")?,
            steps,
            signature_required: r.get("signature_required")?,
            estimated: r.get::<Option<i64>>("estimated_minutes")?.map(Minutes),
            assignees: assignees.0.into_iter().map(Into::into).collect(),
        },
        progress: PlanProgress {
            occurrence: u32::try_from(r.get::<i64>("occurrence")?).map_err(other)?,
            last_done,
            postponement: None,
        },
        due_on: r.get("due_on")?,
        due_hours: r.get("due_hours")?,
        next_check_at: r.get("next_check_at")?,
        created_by: UserId(r.get("created_by")?),
        version: r.get("version")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

/// The JSON columns of a plan: criteria, steps and assignees.
type JsonColumns = (Json<Vec<CriterionWire>>, Json<Vec<StepWire>>, Json<Vec<AssigneeWire>>);

fn json_parts(p: &StoredPlan) -> JsonColumns {
    (
        Json(p.plan.criteria.iter().map(CriterionWire::of).collect()),
        Json(p.work.steps.iter().map(StepWire::of).collect()),
        Json(p.work.assignees.iter().map(|a| (*a).into()).collect()),
    )
}

fn postponement_from(r: &DbRow) -> StoreResult<StoredPostponement> {
    Ok(StoredPostponement {
        id: PostponementId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        vessel_id: VesselId(r.get("vessel_id")?),
        plan_id: MaintenancePlanId(r.get("plan_id")?),
        postponement: Postponement {
            occurrence: u32::try_from(r.get::<i64>("occurrence")?).map_err(other)?,
            to: PostponedTo { date: r.get("new_date")?, extra_hours: r.get("extra_hours")? },
            reason: r.get("reason")?,
            requested_by: UserId(r.get("requested_by")?),
            approved_by: UserId(r.get("approved_by")?),
            approved_at: r.get("approved_at")?,
        },
    })
}

const POSTPONEMENT_COLUMNS: &str = "company_id, id, plan_id, vessel_id, occurrence, new_date, extra_hours, reason, requested_by, approved_by, approved_at";

fn completion_from(r: &DbRow) -> StoreResult<PlanCompletion> {
    Ok(PlanCompletion {
        company_id: CompanyId(r.get("company_id")?),
        plan_id: MaintenancePlanId(r.get("plan_id")?),
        occurrence: u32::try_from(r.get::<i64>("occurrence")?).map_err(other)?,
        vessel_id: VesselId(r.get("vessel_id")?),
        outcome: r.get::<String>("outcome")?.parse().map_err(other)?,
        work_order_id: r.get::<Option<uuid::Uuid>>("work_order_id")?.map(WorkOrderId),
        done_on: r.get("done_on")?,
        done_hours: r.get("done_hours")?,
        due_on: r.get("due_on")?,
        due_hours: r.get("due_hours")?,
        in_window: r.get("in_window")?,
    })
}

/// The scope's vessel test over `alias.vessel_id`, with the company at `$1`, the vessel at
/// `$vessel`, the principal at `$principal` and the rotation day at `$since`.
fn scope_test(scope: &VesselScope, alias: &str, vessel: &str, principal: &str, since: &str) -> String {
    let member = if scope.member.is_some() {
        format!(
            "{alias}.vessel_id IN ({})",
            reachable_vessels!("$1", "$P", "$S").replace("$P", principal).replace("$S", since)
        )
    } else {
        format!("{principal} IS NULL AND {since} IS NULL")
    };
    format!("{} AND {member}", filter(scope.vessel.is_some(), vessel, &format!("{alias}.vessel_id = {vessel}")))
}

#[async_trait]
impl PlanRepo for SqlTx {
    async fn insert_plan(&mut self, p: &StoredPlan) -> StoreResult<()> {
        self.scoped(p.plan.company_id)?;
        let (criteria, steps, assignees) = json_parts(p);
        let last = p.progress.last_done;
        run!(self, execute,
            "INSERT INTO maintenance_plans (company_id, id, vessel_id, equipment_id, title, description, priority,
                 criteria, starts_on, start_hours, lead_days, steps, signature_required, estimated_minutes, assignees,
                 occurrence, last_done_on, last_done_hours, due_on, due_hours, next_check_at, created_by, version,
                 created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
                     $23, $24, $25)",
            p.plan.company_id.0, p.plan.id.0, p.plan.vessel_id.0, p.plan.equipment_id.0, &p.plan.title,
            &p.work.description, p.work.priority.as_str(), criteria, p.plan.starts_on, p.plan.start_hours,
            i64::from(p.plan.lead_days), steps, p.work.signature_required, p.work.estimated.map(|m| m.0), assignees,
            i64::from(p.progress.occurrence), last.map(|l| l.on), last.and_then(|l| l.hours), p.due_on, p.due_hours,
            p.next_check_at, p.created_by.0, p.version, p.created_at, p.updated_at)?;
        Ok(())
    }

    async fn plan(&mut self, company: CompanyId, id: MaintenancePlanId) -> StoreResult<Option<StoredPlan>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT ",
            plan_columns!(),
            " FROM maintenance_plans WHERE company_id = $1 AND id = $2 AND deleted_at IS NULL"
        );
        run!(self, fetch_optional, SQL, company.0, id.0)?.as_ref().map(plan_from).transpose()
    }

    async fn update_plan(&mut self, p: &StoredPlan) -> StoreResult<()> {
        self.scoped(p.plan.company_id)?;
        let (criteria, steps, assignees) = json_parts(p);
        let last = p.progress.last_done;
        let n =
            run!(self, execute,
            "UPDATE maintenance_plans SET title = $3, description = $4, priority = $5, criteria = $6, starts_on = $7,
                    start_hours = $8, lead_days = $9, steps = $10, signature_required = $11, estimated_minutes = $12,
                    assignees = $13, occurrence = $14, last_done_on = $15, last_done_hours = $16, due_on = $17,
                    due_hours = $18, next_check_at = $19, version = $20, updated_at = $21
              WHERE company_id = $1 AND id = $2 AND deleted_at IS NULL",
            p.plan.company_id.0, p.plan.id.0, &p.plan.title, &p.work.description, p.work.priority.as_str(), criteria,
            p.plan.starts_on, p.plan.start_hours, i64::from(p.plan.lead_days), steps, p.work.signature_required,
            p.work.estimated.map(|m| m.0), assignees, i64::from(p.progress.occurrence), last.map(|l| l.on),
            last.and_then(|l| l.hours), p.due_on, p.due_hours, p.next_check_at, p.version, p.updated_at)?;
        expect_one(n)
    }

    async fn list_plans(
        &mut self,
        company: CompanyId,
        f: &PlanFilter,
        page: Page<MaintenancePlanId>,
    ) -> StoreResult<Vec<StoredPlan>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {} FROM maintenance_plans p WHERE p.company_id = $1 AND p.deleted_at IS NULL AND {} AND {} AND {}
                ORDER BY p.id DESC LIMIT $6",
            plan_columns!(),
            filter(page.after.is_some(), "$2", "p.id < $2"),
            scope_test(&f.scope, "p", "$3", "$4", "$7"),
            filter(f.equipment.is_some(), "$5", "p.equipment_id = $5"),
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
            limit(page.limit),
            f.scope.member.map(|m| m.since)
        )?
        .iter()
        .map(plan_from)
        .collect()
    }

    async fn vessels_with_due_plans(&mut self, company: CompanyId, now: DateTime<Utc>) -> StoreResult<Vec<VesselId>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_all,
            "SELECT DISTINCT vessel_id FROM maintenance_plans
              WHERE company_id = $1 AND deleted_at IS NULL AND next_check_at <= $2 ORDER BY vessel_id LIMIT 100000",
            company.0,
            now
        )?
        .iter()
        .map(|r| Ok(VesselId(r.get("vessel_id")?)))
        .collect()
    }

    async fn claim_due_plans(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        now: DateTime<Utc>,
        n: u32,
    ) -> StoreResult<Vec<StoredPlan>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT ",
            plan_columns!(),
            " FROM maintenance_plans WHERE company_id = $1 AND vessel_id = $2 AND deleted_at IS NULL
               AND next_check_at <= $3 ORDER BY next_check_at, id LIMIT $4"
        );
        const PG: &str = concat!(
            "SELECT ",
            plan_columns!(),
            " FROM maintenance_plans WHERE company_id = $1 AND vessel_id = $2 AND deleted_at IS NULL
               AND next_check_at <= $3 ORDER BY next_check_at, id LIMIT $4 FOR UPDATE SKIP LOCKED"
        );
        let sql = if matches!(self.conn, Conn::Pg(_)) { PG } else { SQL };
        run!(self, fetch_all, sql, company.0, vessel.0, now, i64::from(n.clamp(1, 10_000)))?
            .iter()
            .map(plan_from)
            .collect()
    }

    async fn recheck_hour_plans(
        &mut self,
        company: CompanyId,
        equipment: EquipmentId,
        at: DateTime<Utc>,
    ) -> StoreResult<u64> {
        self.scoped(company)?;
        run!(
            self,
            execute,
            "UPDATE maintenance_plans SET next_check_at = $3
              WHERE company_id = $1 AND equipment_id = $2 AND deleted_at IS NULL AND due_hours IS NOT NULL
                AND next_check_at > $3",
            company.0,
            equipment.0,
            at
        )
    }

    async fn plan_occurrences(
        &mut self,
        company: CompanyId,
        plans: &[MaintenancePlanId],
    ) -> StoreResult<Vec<(MaintenancePlanId, u32)>> {
        self.scoped(company)?;
        let rows = match &mut self.conn {
            crate::Conn::Pg(c) => {
                const SQL: &str =
                    "SELECT plan_id, occurrence FROM work_orders WHERE company_id = $1 AND plan_id = ANY($2::uuid[])";
                crate::pg_rows_for_ids(c, SQL, company, plans.iter().map(|p| p.0)).await?
            }
            _ => {
                let mut rows = Vec::new();
                for p in plans {
                    rows.extend(run!(
                        self,
                        fetch_all,
                        "SELECT plan_id, occurrence FROM work_orders WHERE company_id = $1 AND plan_id = $2",
                        company.0,
                        p.0
                    )?);
                }
                rows
            }
        };
        rows.iter()
            .map(|r| {
                let occurrence: i64 = r.get("occurrence")?;
                Ok((
                    MaintenancePlanId(r.get("plan_id")?),
                    u32::try_from(occurrence).map_err(|e| StoreError::Other(e.to_string()))?,
                ))
            })
            .collect()
    }

    async fn set_next_checks(
        &mut self,
        company: CompanyId,
        checks: &[(MaintenancePlanId, DateTime<Utc>)],
    ) -> StoreResult<()> {
        self.scoped(company)?;
        if let crate::Conn::Pg(c) = &mut self.conn {
            sqlx::query(
                "UPDATE maintenance_plans p SET next_check_at = s.at
                   FROM UNNEST($2::uuid[], $3::timestamptz[]) AS s (id, at)
                  WHERE p.company_id = $1 AND p.id = s.id",
            )
            .bind(company.0)
            .bind(checks.iter().map(|(p, _)| p.0).collect::<Vec<_>>())
            .bind(checks.iter().map(|(_, at)| *at).collect::<Vec<_>>())
            .execute(&mut **c)
            .await
            .map_err(crate::classify)?;
            return Ok(());
        }
        for (plan, at) in checks {
            run!(
                self,
                execute,
                "UPDATE maintenance_plans SET next_check_at = $3 WHERE company_id = $1 AND id = $2",
                company.0,
                plan.0,
                *at
            )?;
        }
        Ok(())
    }

    async fn plan_order(
        &mut self,
        company: CompanyId,
        plan: MaintenancePlanId,
        occurrence: u32,
    ) -> StoreResult<Option<WorkOrderId>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_optional,
            "SELECT id FROM work_orders WHERE company_id = $1 AND plan_id = $2 AND occurrence = $3",
            company.0,
            plan.0,
            i64::from(occurrence)
        )?
        .map(|r| Ok(WorkOrderId(r.get("id")?)))
        .transpose()
    }

    async fn plan_backlog(&mut self, company: CompanyId, scope: &VesselScope) -> StoreResult<u64> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT COUNT(*) AS n FROM work_orders w WHERE w.company_id = $1 AND w.plan_id IS NOT NULL
                AND w.deleted_at IS NULL AND w.status IN ('open', 'in_progress', 'on_hold') AND {}",
            scope_test(scope, "w", "$2", "$3", "$4"),
        );
        let row = run!(
            self,
            fetch_optional,
            sqlx::AssertSqlSafe(sql),
            company.0,
            scope.vessel.map(|v| v.0),
            scope.member.map(|m| m.principal),
            scope.member.map(|m| m.since)
        )?
        .ok_or(StoreError::NotFound)?;
        u64::try_from(row.get::<i64>("n")?).map_err(other)
    }

    async fn insert_postponement(&mut self, p: &StoredPostponement, version: i64) -> StoreResult<()> {
        self.scoped(p.company_id)?;
        let x = &p.postponement;
        run!(
            self,
            execute,
            "INSERT INTO plan_postponements (company_id, id, plan_id, vessel_id, occurrence, new_date, extra_hours,
                 reason, requested_by, approved_by, approved_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            p.company_id.0,
            p.id.0,
            p.plan_id.0,
            p.vessel_id.0,
            i64::from(x.occurrence),
            x.to.date,
            x.to.extra_hours,
            &x.reason,
            x.requested_by.0,
            x.approved_by.0,
            x.approved_at,
            version
        )?;
        Ok(())
    }

    async fn postponement(
        &mut self,
        company: CompanyId,
        id: PostponementId,
    ) -> StoreResult<Option<StoredPostponement>> {
        self.scoped(company)?;
        let sql = format!("SELECT {POSTPONEMENT_COLUMNS} FROM plan_postponements WHERE company_id = $1 AND id = $2");
        run!(self, fetch_optional, sqlx::AssertSqlSafe(sql), company.0, id.0)?
            .as_ref()
            .map(postponement_from)
            .transpose()
    }

    async fn postponements(
        &mut self,
        company: CompanyId,
        plan: MaintenancePlanId,
    ) -> StoreResult<Vec<StoredPostponement>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {POSTPONEMENT_COLUMNS} FROM plan_postponements WHERE company_id = $1 AND plan_id = $2
              ORDER BY occurrence, version LIMIT 10000"
        );
        run!(self, fetch_all, sqlx::AssertSqlSafe(sql), company.0, plan.0)?.iter().map(postponement_from).collect()
    }

    async fn postponements_of(
        &mut self,
        company: CompanyId,
        plans: &[MaintenancePlanId],
    ) -> StoreResult<Vec<StoredPostponement>> {
        self.scoped(company)?;
        let crate::Conn::Pg(c) = &mut self.conn else {
            let mut all = Vec::new();
            for p in plans {
                all.extend(self.postponements(company, *p).await?);
            }
            return Ok(all);
        };
        let sql = format!(
            "SELECT {POSTPONEMENT_COLUMNS} FROM plan_postponements WHERE company_id = $1 AND plan_id = ANY($2::uuid[])
              ORDER BY plan_id, occurrence, version"
        );
        crate::pg_rows_for_ids(c, sqlx::AssertSqlSafe(sql), company, plans.iter().map(|p| p.0))
            .await?
            .iter()
            .map(postponement_from)
            .collect()
    }

    async fn insert_completion(&mut self, c: &PlanCompletion) -> StoreResult<()> {
        self.scoped(c.company_id)?;
        run!(
            self,
            execute,
            "INSERT INTO plan_completions (company_id, plan_id, occurrence, vessel_id, outcome, work_order_id, done_on,
                 done_hours, due_on, due_hours, in_window)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            c.company_id.0,
            c.plan_id.0,
            i64::from(c.occurrence),
            c.vessel_id.0,
            c.outcome.as_str(),
            c.work_order_id.map(|w| w.0),
            c.done_on,
            c.done_hours,
            c.due_on,
            c.due_hours,
            c.in_window
        )?;
        Ok(())
    }

    async fn completions(&mut self, company: CompanyId, plan: MaintenancePlanId) -> StoreResult<Vec<PlanCompletion>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_all,
            "SELECT company_id, plan_id, occurrence, vessel_id, outcome, work_order_id, done_on, done_hours, due_on,
                    due_hours, in_window
               FROM plan_completions WHERE company_id = $1 AND plan_id = $2 ORDER BY occurrence LIMIT 10000",
            company.0,
            plan.0
        )?
        .iter()
        .map(completion_from)
        .collect()
    }

    async fn compliance(
        &mut self,
        company: CompanyId,
        scope: &VesselScope,
        since: NaiveDate,
    ) -> StoreResult<ComplianceCount> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT COUNT(*) AS done, COALESCE(SUM(CASE WHEN c.in_window THEN 1 ELSE 0 END), 0) AS in_window
               FROM plan_completions c WHERE c.company_id = $1 AND c.done_on >= $2 AND {}",
            scope_test(scope, "c", "$3", "$4", "$5"),
        );
        let row = run!(
            self,
            fetch_optional,
            sqlx::AssertSqlSafe(sql),
            company.0,
            since,
            scope.vessel.map(|v| v.0),
            scope.member.map(|m| m.principal),
            scope.member.map(|m| m.since)
        )?
        .ok_or(StoreError::NotFound)?;
        let count = |col: &str| -> StoreResult<u64> { u64::try_from(row.get::<i64>(col)?).map_err(other) };
        Ok(ComplianceCount { done: count("done")?, in_window: count("in_window")? })
    }
}
