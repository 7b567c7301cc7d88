//! The demo fleet's maintenance plans: on each ship an engine service every 500 running hours
//! or three months (due soon by its hours), a weekly test run done today, a monthly
//! lifeboat inspection left overdue, and an annual survey preparation postponed with the
//! manager's approval; then one scheduler run, so the plans' work orders are waiting.

use bosun_app::plans::{CreateMaintenancePlan, PlanFields, PostponePlan, SCHEDULER_BATCH};
use bosun_app::work_orders::{CompleteWorkOrder, StartWorkOrder, WorkOrderRef};
use bosun_app::{Actor, App, Result};
use bosun_domain::equipment::{Equipment, EquipmentLevel, running_hours};
use bosun_domain::maintenance_plan::{CalendarBasis, CalendarUnit, CriterionWire};
use bosun_domain::work_order::{AssigneeWire, Origin, Priority};
use bosun_domain::{MaintenancePlanId, UserId};
use bosun_store::{Page, WorkOrderFilter};
use chrono::{Duration, NaiveDate};
use serde_json::json;

fn calendar(every: i64, unit: CalendarUnit, basis: CalendarBasis, tolerance: f64) -> CriterionWire {
    CriterionWire::Calendar { every, unit, basis, early: tolerance, late: tolerance }
}

fn fields(
    app: &App,
    title: &str,
    criteria: Vec<CriterionWire>,
    starts_on: NaiveDate,
    doer: UserId,
) -> Result<PlanFields> {
    let ids = app.ids();
    let steps = serde_json::from_value(json!([
        { "id": ids.uuid(), "title": "Work done as the maker's manual says", "kind": "pass_fail",
          "required": true, "rule": { "kind": "follow_up_work_order", "priority": "high" } },
        { "id": ids.uuid(), "title": "Remarks", "kind": "text" },
    ]))
    .map_err(|e| bosun_app::Error::Internal(format!("demo plan steps: {e}")))?;
    Ok(PlanFields {
        title: title.into(),
        description: String::new(),
        priority: Priority::Normal,
        criteria,
        starts_on,
        start_hours: None,
        lead_days: 14,
        steps,
        signature_required: false,
        estimated_minutes: Some(90),
        assignees: vec![AssigneeWire::Person { user_id: doer }],
    })
}

/// Seeds each ship's plans (`items` per ship), `engineer` and `manager` as in the jobs.
pub(crate) async fn seed(
    app: &App,
    owner: &Actor,
    ships: &[Vec<Equipment>],
    engineer: UserId,
    manager: UserId,
) -> Result<()> {
    let today = app.now().date_naive();
    let approver = Actor::system(owner.company_id, manager, bosun_domain::person::Role::Manager);
    let mut done_weekly: Vec<MaintenancePlanId> = Vec::new();
    for (n, items) in ships.iter().enumerate() {
        let doer = if n == 0 { engineer } else { manager };
        let machines: Vec<&Equipment> = items.iter().filter(|e| e.level == EquipmentLevel::Equipment).collect();
        let (Some(engine), Some(pump), Some(boat), Some(hull)) =
            (machines.first(), machines.get(3), machines.get(4), machines.get(5))
        else {
            continue;
        };
        // An engine service every 500 h or three months, started when it had run 470 h less
        // than now: due soon by its hours.
        let hours = {
            let mut tx = app.store.begin_read(Some(owner.company_id)).await?;
            let readings: Vec<_> =
                tx.readings(owner.company_id, engine.id).await?.into_iter().map(|r| r.reading).collect();
            (!readings.is_empty()).then(|| running_hours(&readings))
        };
        let mut service = fields(
            app,
            &format!("Lube oil and filter change: {}", engine.name),
            vec![calendar(3, CalendarUnit::Months, CalendarBasis::FromCompletion, 7.0)],
            today - Duration::days(40),
            doer,
        )?;
        if let Some(h) = hours {
            service.criteria.push(CriterionWire::RunningHours { every: 500.0, early: 25.0, late: 25.0 });
            service.start_hours = Some((h - 480.0).max(0.0));
        }
        service.priority = Priority::High;
        app.mutate(owner, CreateMaintenancePlan { id: None, equipment_id: engine.id, fields: service }).await?;

        // A weekly test from the schedule, started eight days ago: its first run, due
        // yesterday, is done today (below), and the next is due in six days.
        let weekly = fields(
            app,
            &format!("Weekly test run: {}", pump.name),
            vec![calendar(1, CalendarUnit::Weeks, CalendarBasis::FromSchedule, 1.0)],
            today - Duration::days(8),
            doer,
        )?;
        let plan = app.mutate(owner, CreateMaintenancePlan { id: None, equipment_id: pump.id, fields: weekly }).await?;
        done_weekly.push(plan.plan.plan.id);

        // A monthly inspection counted from its last completion, started seven weeks ago and
        // never done: overdue.
        let monthly = fields(
            app,
            &format!("Monthly inspection: {}", boat.name),
            vec![calendar(1, CalendarUnit::Months, CalendarBasis::FromCompletion, 3.0)],
            today - Duration::days(49),
            doer,
        )?;
        app.mutate(owner, CreateMaintenancePlan { id: None, equipment_id: boat.id, fields: monthly }).await?;

        // An annual survey preparation due in ten days, postponed three weeks: asked by the
        // engineer, approved by the manager.
        let starts = today + Duration::days(10) - Duration::days(365);
        let annual = fields(
            app,
            &format!("Annual survey preparation: {}", hull.name),
            vec![calendar(1, CalendarUnit::Years, CalendarBasis::FromSchedule, 14.0)],
            starts,
            doer,
        )?;
        let plan = app.mutate(owner, CreateMaintenancePlan { id: None, equipment_id: hull.id, fields: annual }).await?;
        let due = plan.plan.due_on.unwrap_or(today);
        let later = PostponePlan {
            id: None,
            plan_id: plan.plan.plan.id,
            occurrence: 0,
            new_date: Some(due + Duration::days(21)),
            extra_hours: None,
            reason: "Yard slot moved: survey prepared with the docking".into(),
            requested_by: engineer,
        };
        app.mutate(&approver, later).await?;
    }

    // The scheduler generates what falls due; the weekly tests are then done.
    app.plans.schedule_all(&*app.store, SCHEDULER_BATCH).await?;
    let filter = WorkOrderFilter::default();
    let mut tx = app.store.begin_read(Some(owner.company_id)).await?;
    let orders = tx.list_work_orders(owner.company_id, &filter, Page { after: None, limit: 1000 }).await?;
    drop(tx);
    for order in orders {
        let Origin::Plan { plan_id, occurrence: 0 } = order.origin else { continue };
        if !done_weekly.contains(&plan_id) {
            continue;
        }
        let doer = owner;
        app.mutate(doer, StartWorkOrder(WorkOrderRef { work_order_id: order.id })).await?;
        for step in order.steps.iter().filter(|s| s.required) {
            let answer = bosun_app::work_orders::RecordStepResult {
                id: bosun_domain::StepResultId(app.ids().uuid()),
                work_order_id: order.id,
                step_id: step.id,
                answer: bosun_domain::procedure::AnswerWire::PassFail { passed: true },
                recorded_at: None,
                follow_up_id: None,
            };
            app.mutate(doer, answer).await?;
        }
        app.mutate(doer, CompleteWorkOrder { work_order_id: order.id, signature: None }).await?;
    }
    // The test's next week is looked at on the next run, as a server would.
    app.plans.schedule_all(&*app.store, SCHEDULER_BATCH).await?;
    Ok(())
}
