//! The demo fleet's work orders: on each ship a service waiting to start with a checklist, a
//! fire-pump test under way, and a filter change done, its part taken from the stores, and
//! verified; so the work screens show every stage.

use bosun_app::stock::ReceiveStock;
use bosun_app::work_orders::{
    CompleteWorkOrder, CreateWorkOrder, IssuePart, LogLabour, RecordStepResult, StartWorkOrder, VerifyWorkOrder,
    WorkOrderRef,
};
use bosun_app::{Actor, App, Result};
use bosun_domain::equipment::{Equipment, EquipmentLevel};
use bosun_domain::procedure::{AnswerWire, StepWire};
use bosun_domain::work_order::{AssigneeWire, Priority};
use bosun_domain::{LabourEntryId, StepResultId, UserId, WorkOrderId};
use chrono::Duration;
use serde_json::json;

use crate::stores::{FUEL_FILTER, Stores};

fn steps(value: serde_json::Value) -> Result<Vec<StepWire>> {
    serde_json::from_value(value).map_err(|e| bosun_app::Error::Internal(format!("demo checklist: {e}")))
}

fn order(
    equipment: &Equipment,
    title: &str,
    priority: Priority,
    assignee: UserId,
    checklist: Vec<StepWire>,
) -> CreateWorkOrder {
    CreateWorkOrder {
        id: None,
        equipment_id: equipment.id,
        title: title.into(),
        description: String::new(),
        priority,
        assignees: vec![AssigneeWire::Person { user_id: assignee }],
        due_on: None,
        estimated_minutes: Some(120),
        steps: checklist,
        signature_required: false,
        fault_id: None,
    }
}

/// Seeds each ship's work orders: `items` per ship, `engineer` does the work, `manager`
/// verifies it.
pub(crate) async fn seed(
    app: &App,
    owner: &Actor,
    ships: &[Vec<Equipment>],
    stores: &Stores,
    engineer: UserId,
    manager: UserId,
) -> Result<()> {
    let ids = app.ids();
    let today = app.now().date_naive();
    let verifier = Actor::system(owner.company_id, manager, bosun_domain::person::Role::Manager);
    for (n, items) in ships.iter().enumerate() {
        // The engineer serves on the first ship; the others' work is the office's to hand out.
        let doer = if n == 0 { engineer } else { manager };
        let machines: Vec<&Equipment> = items.iter().filter(|e| e.level == EquipmentLevel::Equipment).collect();
        let (Some(first), Some(second), Some(third)) = (machines.first(), machines.get(1), machines.get(2)) else {
            continue;
        };
        // A service waiting to start, due in five days.
        let service = steps(json!([
            { "id": ids.uuid(), "title": "Lube oil pressure at idle", "kind": "number", "required": true,
              "min": "2.5", "max": "6", "unit": "bar", "rule": { "kind": "open_fault", "severity": "high" } },
            { "id": ids.uuid(), "title": "Drive belt tension", "kind": "choice", "required": true,
              "options": [{ "label": "Good" }, { "label": "Slack", "fails": true }, { "label": "Worn", "fails": true }],
              "rule": { "kind": "follow_up_work_order", "priority": "high" } },
            { "id": ids.uuid(), "title": "Guards refitted", "kind": "pass_fail", "required": true },
            { "id": ids.uuid(), "title": "Remarks", "kind": "text" },
        ]))?;
        let mut planned = order(first, &format!("500-hour service: {}", first.name), Priority::High, doer, service);
        planned.due_on = Some(today + Duration::days(5));
        planned.estimated_minutes = Some(240);
        app.mutate(owner, planned).await?;

        // A test under way: one step answered.
        let test = steps(json!([
            { "id": ids.uuid(), "title": "Starts from the bridge", "kind": "pass_fail", "required": true },
            { "id": ids.uuid(), "title": "Discharge pressure", "kind": "number", "required": true,
              "min": "7", "max": "10", "unit": "bar" },
        ]))?;
        let first_step = test[0].id;
        let running = app
            .mutate(owner, order(second, &format!("Monthly test: {}", second.name), Priority::Normal, doer, test))
            .await?;
        let id = running.order.id;
        app.mutate(owner, StartWorkOrder(WorkOrderRef { work_order_id: id })).await?;
        let passed = RecordStepResult {
            id: StepResultId(ids.uuid()),
            work_order_id: id,
            step_id: first_step,
            answer: AnswerWire::PassFail { passed: true },
            recorded_at: None,
            follow_up_id: None,
        };
        app.mutate(owner, passed).await?;

        // A filter change, done and verified: an hour's work and a filter from the stores.
        let done = app
            .mutate(
                owner,
                order(third, &format!("Change fuel filter: {}", third.name), Priority::Normal, doer, Vec::new()),
            )
            .await?;
        let id: WorkOrderId = done.order.id;
        app.mutate(owner, StartWorkOrder(WorkOrderRef { work_order_id: id })).await?;
        // The office logs the hour at the engineer's rate (a cost only managers and above see).
        let labour = LogLabour {
            id: LabourEntryId(ids.uuid()),
            work_order_id: id,
            worked_on: today,
            minutes: 60,
            rate_minor: Some(8_500),
            currency: Some("EUR".into()),
        };
        app.mutate(owner, labour).await?;
        let (store, filter) = (stores.stores[n][1], stores.parts[FUEL_FILTER]);
        let spare =
            ReceiveStock { id: None, location_id: store, part_id: filter, quantity: "1".into(), recorded_at: None };
        app.mutate(owner, spare).await?;
        let issue =
            IssuePart { id: None, work_order_id: id, location_id: store, part_id: filter, quantity: "1".into() };
        app.mutate(owner, issue).await?;
        app.mutate(owner, CompleteWorkOrder { work_order_id: id, signature: None }).await?;
        app.mutate(&verifier, VerifyWorkOrder(WorkOrderRef { work_order_id: id })).await?;
    }
    Ok(())
}
