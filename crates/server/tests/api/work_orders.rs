//! Work orders: the whole life of one with its checklist, labour and parts; rules that open
//! follow-up work; who may do what (crew on their own work, nobody verifying their own); and
//! the same work pushed from an offline phone, applied once.

use bosun_app::Actor;
use bosun_app::fleet::vessels::JoinRotation;
use bosun_app::stock::ReceiveStock;
use bosun_app::work_orders::{CompleteWorkOrder, CreateWorkOrder, StartWorkOrder, WorkOrderRef};
use bosun_domain::person::Role;
use bosun_domain::procedure::StepWire;
use bosun_domain::work_order::{AssigneeWire, Priority};
use bosun_domain::{EquipmentId, PartId, StepId, StockLocationId, UserId, VesselId, WorkOrderId};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::faults::{audit_actions, get, ok_json, send};
use crate::harness::{TestApp, assert_problem};
use crate::pagination::all_items;
use crate::permissions::{Acme, acme};
use crate::records::{png, upload};
use crate::sync::{pull_all, push};

/// Where a walk's order stands when the request is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    Open,
    InProgress,
    Done,
}

/// A work order on the Acme item, assigned to `assignee`, with one optional pass/fail step,
/// moved to `stage` by the owner (completed by `completer` when done): (order, its step).
pub(crate) async fn walk_order(
    app: &TestApp,
    w: &Acme,
    assignee: UserId,
    stage: Stage,
    completer: UserId,
) -> (Uuid, Uuid) {
    let owner = app.owner_actor(&w.fixture);
    let step = StepId::new();
    let wire: StepWire =
        serde_json::from_value(json!({ "id": step, "title": "Guard in place", "kind": "pass_fail" })).expect("a step");
    let order = CreateWorkOrder {
        id: None,
        equipment_id: EquipmentId(w.equipment),
        title: "Walk job".into(),
        description: String::new(),
        priority: Priority::Normal,
        assignees: vec![AssigneeWire::Person { user_id: assignee }],
        due_on: None,
        estimated_minutes: None,
        steps: vec![wire],
        signature_required: false,
        fault_id: None,
    };
    let id = app.app.mutate(&owner, order).await.expect("a work order").order.id;
    if stage != Stage::Open {
        app.app.mutate(&owner, StartWorkOrder(WorkOrderRef { work_order_id: id })).await.expect("started");
    }
    if stage == Stage::Done {
        let by = Actor::system(w.fixture.company.id, completer, Role::Manager);
        app.app.mutate(&by, CompleteWorkOrder { work_order_id: id, signature: None }).await.expect("completed");
    }
    (id.0, step.0)
}

/// Stock of a fresh part at a fresh location on the Acme vessel: (location, part).
pub(crate) async fn walk_stock(app: &TestApp, w: &Acme) -> (Uuid, Uuid) {
    let (location, part) = crate::stock::walk_place(app, w).await;
    let receipt = ReceiveStock {
        id: None,
        location_id: StockLocationId(location),
        part_id: PartId(part),
        quantity: "10".into(),
        recorded_at: None,
    };
    app.app.mutate(&app.owner_actor(&w.fixture), receipt).await.expect("stock received");
    (location, part)
}

fn checklist() -> Value {
    json!([
        { "id": Uuid::now_v7(), "title": "Lube oil pressure at idle", "kind": "number", "required": true,
          "min": "2.5", "max": "6", "unit": "bar", "rule": { "kind": "open_fault", "severity": "high" } },
        { "id": Uuid::now_v7(), "title": "Belt guard refitted", "kind": "pass_fail", "required": true,
          "rule": { "kind": "follow_up_work_order", "priority": "high" } },
        { "id": Uuid::now_v7(), "title": "Remarks", "kind": "text" },
    ])
}

async fn answer(
    app: &TestApp,
    who: &crate::harness::Session,
    order: &str,
    step: &Value,
    answer: Value,
    follow_up: Uuid,
) -> reqwest::Response {
    let body = json!({ "id": Uuid::now_v7(), "step_id": step["id"], "answer": answer, "follow_up_id": follow_up });
    send(app, who, Method::POST, &format!("/api/v1/work-orders/{order}/results"), body).await
}

async fn a_work_order_runs_from_open_to_verified(app: TestApp) {
    let w = acme(&app).await;
    let owner = &w.fixture.owner;
    let engineer = &w.people[&Role::Engineer];
    let id = Uuid::now_v7();
    let body = json!({
        "id": id, "equipment_id": w.equipment, "title": "500-hour service", "priority": "high",
        "description": "Per the maker's manual.\nTake the oil sample first.",
        "assignees": [{ "kind": "person", "user_id": engineer.user_id }], "due_on": "2026-04-01",
        "estimated_minutes": 240, "steps": checklist(),
    });
    let made = ok_json(send(&app, owner, Method::POST, "/api/v1/work-orders", body.clone()).await, 201).await;
    assert_eq!((made["status"].as_str(), made["steps"][0]["min"].as_str()), (Some("open"), Some("2.5")));
    // The same order again (a lost answer) is the stored one; other content is refused.
    ok_json(send(&app, owner, Method::POST, "/api/v1/work-orders", body.clone()).await, 200).await;
    let mut other = body.clone();
    other["title"] = json!("Another job");
    assert_problem(send(&app, owner, Method::POST, "/api/v1/work-orders", other).await, 409, "id_taken").await;
    let path = format!("/api/v1/work-orders/{id}");
    let steps = made["steps"].as_array().unwrap().clone();

    // Nothing is recorded before work starts.
    let early =
        answer(&app, engineer, &id.to_string(), &steps[2], json!({ "kind": "text", "text": "x" }), Uuid::now_v7())
            .await;
    assert_problem(early, 409, "work_order_not_workable").await;
    ok_json(send(&app, engineer, Method::POST, &format!("{path}/start"), json!(null)).await, 200).await;
    assert_problem(
        send(&app, engineer, Method::POST, &format!("{path}/complete"), json!({})).await,
        409,
        "steps_incomplete",
    )
    .await;

    // Out of limits: the step's rule reports a fault under the id the device sent, once.
    let fault = Uuid::now_v7();
    let low =
        answer(&app, engineer, &id.to_string(), &steps[0], json!({ "kind": "number", "value": "1.8" }), fault).await;
    let low = ok_json(low, 201).await;
    assert_eq!(low["outcome"], "below_limit");
    let f = get(&app, owner, &format!("/api/v1/faults/{fault}")).await;
    assert_eq!(
        (f["severity"].as_str(), f["title"].as_str()),
        (Some("high"), Some("Failed check: Lube oil pressure at idle"))
    );
    let wrong =
        answer(&app, engineer, &id.to_string(), &steps[0], json!({ "kind": "text", "text": "fine" }), Uuid::now_v7())
            .await;
    assert_problem(wrong, 422, "validation_failed").await;
    // Answered again after the repair: the latest counts.
    let ok =
        answer(&app, engineer, &id.to_string(), &steps[0], json!({ "kind": "number", "value": "4.2" }), Uuid::now_v7())
            .await;
    assert_eq!(ok_json(ok, 201).await["outcome"], "passed");
    // A failed check with a follow-up rule opens a work order on the same item.
    let follow = Uuid::now_v7();
    let failed =
        answer(&app, engineer, &id.to_string(), &steps[1], json!({ "kind": "pass_fail", "passed": false }), follow)
            .await;
    assert_eq!(ok_json(failed, 201).await["outcome"], "failed");
    let next = get(&app, owner, &format!("/api/v1/work-orders/{follow}")).await;
    assert_eq!(
        (next["order"]["origin"]["kind"].as_str(), next["order"]["priority"].as_str()),
        (Some("follow_up"), Some("high"))
    );
    assert_eq!(next["order"]["origin"]["work_order_id"], json!(id));

    // Labour and a part from stock.
    let labour = json!({ "id": Uuid::now_v7(), "worked_on": "2026-03-01", "minutes": 150 });
    ok_json(send(&app, engineer, Method::POST, &format!("{path}/labour"), labour).await, 201).await;
    let (location, part) = walk_stock(&app, &w).await;
    let issue = json!({ "location_id": location, "part_id": part, "quantity_milli": 2_000 });
    let posted = ok_json(send(&app, engineer, Method::POST, &format!("{path}/parts"), issue).await, 201).await;
    assert_eq!(posted["on_hand"]["value"], "8");
    let too_many = json!({ "location_id": location, "part_id": part, "quantity_milli": 9_000 });
    assert_problem(
        send(&app, engineer, Method::POST, &format!("{path}/parts"), too_many).await,
        409,
        "insufficient_stock",
    )
    .await;

    let done = ok_json(send(&app, engineer, Method::POST, &format!("{path}/complete"), json!({})).await, 200).await;
    assert_eq!(
        (done["status"].as_str(), done["completed_by"].as_str()),
        (Some("done"), Some(engineer.user_id.to_string().as_str()))
    );
    assert_problem(send(&app, engineer, Method::POST, &format!("{path}/verify"), json!(null)).await, 409, "own_work")
        .await;
    let verified = ok_json(send(&app, owner, Method::POST, &format!("{path}/verify"), json!(null)).await, 200).await;
    assert_eq!(verified["status"], "verified");
    assert_problem(
        send(&app, owner, Method::POST, &format!("{path}/cancel"), json!({ "reason": "x" })).await,
        409,
        "invalid_transition",
    )
    .await;

    let detail = get(&app, &w.people[&Role::Viewer], &path).await;
    assert_eq!(detail["results"].as_array().unwrap().len(), 3);
    let current: Vec<Value> = detail["current"].as_array().unwrap().iter().map(|r| r["outcome"].clone()).collect();
    assert_eq!(current, [json!("passed"), json!("failed"), Value::Null]);
    assert_eq!(
        (detail["labour_minutes"].as_i64(), detail["parts"][0]["delta"]["value"].as_str()),
        (Some(150), Some("-2"))
    );
    let listed =
        all_items(&app, owner, &format!("/api/v1/work-orders?equipment_id={}&status=verified", w.equipment)).await;
    assert_eq!(listed.len(), 1);
    let trail = audit_actions(&app, owner, "work_order", &id.to_string()).await;
    assert_eq!(trail, ["workorder.create", "workorder.in_progress", "workorder.done", "workorder.verified"]);
}

async fn crew_work_on_their_own_orders_and_sign_when_asked(app: TestApp) {
    let w = acme(&app).await;
    let owner = &w.fixture.owner;
    let crew = &w.people[&Role::Crew];
    // Crew raise no work orders.
    let body = json!({ "equipment_id": w.equipment, "title": "Crew's job", "priority": "low" });
    assert_problem(send(&app, crew, Method::POST, "/api/v1/work-orders", body).await, 403, "forbidden").await;
    // Assigned to someone else: not theirs to start; assigned to their department: theirs.
    let (theirs, _) = walk_order(&app, &w, w.people[&Role::Engineer].user_id, Stage::Open, owner.user_id).await;
    let refused = send(&app, crew, Method::POST, &format!("/api/v1/work-orders/{theirs}/start"), json!(null)).await;
    assert_problem(refused, 409, "not_assigned").await;
    let owner_actor = app.owner_actor(&w.fixture);
    let on_board = JoinRotation {
        vessel_id: VesselId(w.vessel),
        user_id: Some(crew.user_id),
        department_id: Some(bosun_domain::DepartmentId(w.department)),
        rotation_start: app.app.now().date_naive() - chrono::Duration::days(3),
        rotation_end: None,
    };
    app.app.mutate(&owner_actor, on_board).await.expect("the crew member joins the engine department");
    let signed = Uuid::now_v7();
    let body = json!({
        "id": signed, "equipment_id": w.equipment, "title": "Bilge alarm test", "priority": "normal",
        "assignees": [{ "kind": "department", "department_id": w.department }], "signature_required": true,
    });
    ok_json(send(&app, owner, Method::POST, "/api/v1/work-orders", body).await, 201).await;
    let path = format!("/api/v1/work-orders/{signed}");
    ok_json(send(&app, crew, Method::POST, &format!("{path}/start"), json!(null)).await, 200).await;
    assert_problem(
        send(&app, crew, Method::POST, &format!("{path}/complete"), json!({})).await,
        409,
        "signature_required",
    )
    .await;
    let image = upload(&app, crew, "equipment", w.equipment, "signature.png", png(40, 12)).await;
    assert_eq!(image.status(), 201);
    let image = image.json::<Value>().await.unwrap()["id"].clone();
    let sign = json!({ "signature": { "name": "Ola Hansen", "image_id": image } });
    let done = ok_json(send(&app, crew, Method::POST, &format!("{path}/complete"), sign).await, 200).await;
    assert_eq!(done["signature"]["name"], "Ola Hansen");
    // Crew do not verify or cancel; viewers do not work.
    assert_problem(send(&app, crew, Method::POST, &format!("{path}/verify"), json!(null)).await, 403, "forbidden")
        .await;
    let viewer =
        send(&app, &w.people[&Role::Viewer], Method::POST, &format!("/api/v1/work-orders/{theirs}/start"), json!(null))
            .await;
    assert_problem(viewer, 403, "forbidden").await;
}

async fn work_done_offline_is_applied_once_and_synced_back(app: TestApp) {
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let client = Uuid::now_v7();
    let order = Uuid::now_v7();
    let mut steps = checklist();
    let photo_step = Uuid::now_v7();
    steps.as_array_mut().unwrap().push(json!({ "id": photo_step, "title": "Photo of the gauge", "kind": "photo" }));
    let (fault, result) = (Uuid::now_v7(), Uuid::now_v7());
    let batch = json!([
        { "id": 1, "name": "create_work_order.v1", "args": { "id": order, "equipment_id": w.equipment,
          "title": "Weekly rounds", "priority": "normal", "steps": steps } },
        { "id": 2, "name": "start_work_order.v1", "args": { "work_order_id": order } },
        { "id": 3, "name": "record_step_result.v1", "args": { "id": result, "work_order_id": order,
          "step_id": steps[0]["id"], "answer": { "kind": "number", "value": "7" }, "follow_up_id": fault } },
        { "id": 4, "name": "log_labour.v1", "args": { "id": Uuid::now_v7(), "work_order_id": order,
          "worked_on": "2026-03-01", "minutes": 45 } },
        // The photo is still on the phone: its upload follows the writes that name it.
        { "id": 5, "name": "record_step_result.v1", "args": { "id": Uuid::now_v7(), "work_order_id": order,
          "step_id": photo_step, "answer": { "kind": "photo", "attachment_id": Uuid::now_v7() } } },
    ]);
    let first = push(&app, engineer, client, batch.clone()).await;
    assert_eq!(first["applied"], json!([1, 2, 3, 4, 5]), "{first}");
    let again = push(&app, engineer, client, batch.clone()).await;
    assert_eq!(again["skipped"], json!([1, 2, 3, 4, 5]));
    // The same queue copied to another device: nothing twice, the fault reported once.
    let copied = push(&app, engineer, Uuid::now_v7(), batch).await;
    assert!(copied["rejected"].as_array().unwrap().is_empty(), "{copied}");
    let detail = get(&app, engineer, &format!("/api/v1/work-orders/{order}")).await;
    assert_eq!((detail["results"].as_array().unwrap().len(), detail["labour"].as_array().unwrap().len()), (2, 1));
    // Online, a photo answer names a photo the server holds.
    let online = json!({ "id": Uuid::now_v7(), "step_id": photo_step,
        "answer": { "kind": "photo", "attachment_id": Uuid::now_v7() } });
    let res = send(&app, engineer, Method::POST, &format!("/api/v1/work-orders/{order}/results"), online).await;
    assert_problem(res, 404, "not_found").await;
    assert_eq!(detail["current"][0]["outcome"], "above_limit");
    assert_eq!(get(&app, engineer, &format!("/api/v1/faults/{fault}")).await["status"], "open");

    let (changes, _) = pull_all(&app, engineer, Some(client), 262_144).await;
    let of = |entity: &str| changes.iter().filter(|(_, c)| c["entity"] == entity).count();
    assert!(of("work_order") >= 2 && of("step_result") == 2 && of("labour_entry") == 1, "{changes:?}");
    let row =
        changes.iter().rev().find(|(_, c)| c["entity"] == "work_order").map(|(_, c)| c["fields"].clone()).unwrap();
    assert_eq!((row["status"].as_str(), row["steps"][0]["max"].as_str()), (Some("in_progress"), Some("6")));
    let _ = WorkOrderId(order);
}

async fn a_manager_edits_an_order_until_it_is_done(app: TestApp) {
    let w = acme(&app).await;
    let owner = &w.fixture.owner;
    let engineer = &w.people[&Role::Engineer];
    let (order, step) = walk_order(&app, &w, engineer.user_id, Stage::Open, owner.user_id).await;
    let path = format!("/api/v1/work-orders/{order}");
    let made = get(&app, owner, &path).await;
    let edit = json!({ "title": "Walk job, with the guard", "priority": "urgent", "due_on": "2026-05-01",
        "estimated_minutes": 45, "assignees": [{ "kind": "department", "department_id": w.department }],
        "version": made["order"]["version"] });
    let edited = ok_json(send(&app, owner, Method::PUT, &path, edit.clone()).await, 200).await;
    assert_eq!(
        (edited["title"].as_str(), edited["priority"].as_str()),
        (Some("Walk job, with the guard"), Some("urgent"))
    );
    assert_eq!(edited["assignees"][0]["department_id"], json!(w.department));
    assert_eq!(edited["steps"][0]["id"], json!(step), "the checklist stays");
    assert_problem(send(&app, owner, Method::PUT, &path, edit.clone()).await, 409, "version_conflict").await;
    let crew = &w.people[&Role::Crew];
    assert_problem(
        send(&app, crew, Method::PUT, &path, json!({ "title": "Mine", "priority": "low" })).await,
        403,
        "forbidden",
    )
    .await;
    let mut stranger = json!({ "title": "Walk job", "priority": "low",
        "assignees": [{ "kind": "department", "department_id": Uuid::now_v7() }] });
    assert_problem(send(&app, owner, Method::PUT, &path, stranger.clone()).await, 404, "not_found").await;
    stranger["assignees"] = json!([]);
    stranger["estimated_minutes"] = json!(0);
    assert_problem(send(&app, owner, Method::PUT, &path, stranger).await, 422, "validation_failed").await;
    // Done, it is no longer edited.
    let (done, _) = walk_order(&app, &w, engineer.user_id, Stage::Done, owner.user_id).await;
    let res = send(
        &app,
        owner,
        Method::PUT,
        &format!("/api/v1/work-orders/{done}"),
        json!({ "title": "Late", "priority": "low" }),
    )
    .await;
    assert_problem(res, 409, "work_order_closed").await;
}

/// A procedure of the company made by the owner, for walks: its id.
pub(crate) async fn walk_procedure(app: &TestApp, w: &Acme) -> Uuid {
    let body = json!({ "title": "Weekly rounds", "steps": checklist() });
    let made = ok_json(send(app, &w.fixture.owner, Method::POST, "/api/v1/procedures", body).await, 201).await;
    made["id"].as_str().and_then(|s| s.parse().ok()).expect("a procedure id")
}

async fn procedures_are_the_companys_checklists(app: TestApp) {
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let id = Uuid::now_v7();
    let body = json!({ "id": id, "title": "500-hour service", "description": "Per the maker.", "steps": checklist() });
    let made = ok_json(send(&app, engineer, Method::POST, "/api/v1/procedures", body.clone()).await, 201).await;
    assert_eq!((made["steps"][0]["min"].as_str(), made["steps"].as_array().map(Vec::len)), (Some("2.5"), Some(3)));
    ok_json(send(&app, engineer, Method::POST, "/api/v1/procedures", body.clone()).await, 200).await;
    let mut other = body.clone();
    other["title"] = json!("Another");
    assert_problem(send(&app, engineer, Method::POST, "/api/v1/procedures", other).await, 409, "id_taken").await;
    let mut bad = body.clone();
    bad["id"] = json!(Uuid::now_v7());
    bad["steps"][0]["min"] = json!("9");
    assert_problem(send(&app, engineer, Method::POST, "/api/v1/procedures", bad).await, 422, "validation_failed").await;
    // Crew read them, to raise nothing; they do not write them.
    let crew = &w.people[&Role::Crew];
    let listed = get(&app, crew, "/api/v1/procedures").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    let res = send(&app, crew, Method::POST, "/api/v1/procedures", json!({ "title": "Mine" })).await;
    assert_problem(res, 403, "forbidden").await;
    // An edit replaces the steps; a stale version is refused.
    let path = format!("/api/v1/procedures/{id}");
    let edit = json!({ "title": "500-hour service", "steps": [checklist()[1].clone()], "version": made["version"] });
    let edited = ok_json(send(&app, engineer, Method::PUT, &path, edit.clone()).await, 200).await;
    assert_eq!(edited["steps"].as_array().map(Vec::len), Some(1));
    assert_problem(send(&app, engineer, Method::PUT, &path, edit).await, 409, "version_conflict").await;
    assert_eq!(get(&app, crew, &path).await["title"], "500-hour service");
    // Offline, as a sync push: made and edited once, and pulled in the company scope.
    let offline = Uuid::now_v7();
    let batch = json!([
        { "id": 1, "name": "create_procedure.v1", "args": { "id": offline, "title": "Generator rounds" } },
        { "id": 2, "name": "update_procedure.v1", "args": { "procedure_id": offline, "title": "Generator rounds",
          "steps": checklist() } },
    ]);
    let client = Uuid::now_v7();
    assert_eq!(push(&app, engineer, client, batch.clone()).await["applied"], json!([1, 2]));
    let copied = push(&app, engineer, Uuid::now_v7(), batch).await;
    assert!(copied["rejected"].as_array().unwrap().is_empty(), "{copied}");
    let (changes, _) = pull_all(&app, crew, None, 262_144).await;
    assert!(
        changes.iter().any(|(_, c)| c["entity"] == "procedure" && c["id"] == json!(offline)),
        "a procedure in the company scope"
    );
}

async fn labour_rates_and_costs_are_shown_only_to_who_reads_supplier_prices(app: TestApp) {
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let manager = &w.people[&Role::Manager];
    let (order, _) = walk_order(&app, &w, engineer.user_id, Stage::InProgress, w.fixture.owner.user_id).await;
    let path = format!("/api/v1/work-orders/{order}");
    // An engineer logs time, without a rate: a rate is a cost they do not read.
    let mut rated = json!({ "id": Uuid::now_v7(), "worked_on": "2026-03-01", "minutes": 90, "rate_minor": 6_000,
                            "currency": "EUR" });
    assert_problem(
        send(&app, engineer, Method::POST, &format!("{path}/labour"), rated.clone()).await,
        403,
        "forbidden",
    )
    .await;
    let plain = json!({ "id": Uuid::now_v7(), "worked_on": "2026-03-01", "minutes": 30 });
    ok_json(send(&app, engineer, Method::POST, &format!("{path}/labour"), plain).await, 201).await;
    // The manager logs theirs at a rate and reads its cost: 90 minutes at 60.00 an hour.
    let logged = ok_json(send(&app, manager, Method::POST, &format!("{path}/labour"), rated.clone()).await, 201).await;
    assert_eq!((logged["rate_minor"].as_i64(), logged["cost_minor"].as_i64()), (Some(6_000), Some(9_000)), "{logged}");
    rated["id"] = json!(Uuid::now_v7());
    rated["currency"] = serde_json::Value::Null;
    let res = send(&app, manager, Method::POST, &format!("{path}/labour"), rated).await;
    assert_eq!(assert_problem(res, 422, "validation_failed").await["errors"][0]["code"], "incomplete");
    // What each reads back: the engineer the time and currency, never the rate or the cost.
    let seen = get(&app, engineer, &path).await;
    let theirs = seen["labour"].as_array().unwrap().iter().find(|l| l["minutes"] == 90).unwrap().clone();
    assert!(theirs.get("rate_minor").is_none() && theirs.get("cost_minor").is_none(), "{theirs}");
    assert_eq!(theirs["currency"], "EUR");
    let all = get(&app, manager, &path).await;
    assert!(all["labour"].as_array().unwrap().iter().any(|l| l["cost_minor"] == 9_000), "{all}");
    // Pulls leave them out the same way.
    let (changes, _) = pull_all(&app, engineer, None, 262_144).await;
    let rows: Vec<&Value> =
        changes.iter().filter(|(_, c)| c["entity"] == "labour_entry").map(|(_, c)| &c["fields"]).collect();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|f| f.get("rate_minor").is_none() && f.get("cost_minor").is_none()), "{rows:?}");
    let (changes, _) = pull_all(&app, manager, None, 262_144).await;
    assert!(changes.iter().any(|(_, c)| c["entity"] == "labour_entry" && c["fields"]["cost_minor"] == 9_000));
}

crate::on_both_backends!(
    labour_rates_and_costs_are_shown_only_to_who_reads_supplier_prices,
    procedures_are_the_companys_checklists,
    a_manager_edits_an_order_until_it_is_done,
    a_work_order_runs_from_open_to_verified,
    crew_work_on_their_own_orders_and_sign_when_asked,
    work_done_offline_is_applied_once_and_synced_back,
);
