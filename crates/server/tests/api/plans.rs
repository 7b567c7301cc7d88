//! Preventive maintenance plans: a plan's occurrence generated as a work order once by the
//! scheduler, advanced by the order's completion and judged for compliance; running hours that
//! bring a plan due; postponements approved by someone else; who may do what; and plans made
//! and postponed offline, applied once.

use bosun_domain::Clock;
use bosun_domain::person::Role;
use chrono::{Duration, NaiveDate};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::faults::{get, ok_json, send};
use crate::harness::{TestApp, assert_problem};
use crate::permissions::{Acme, acme};
use crate::sync::{pull_all, push};

/// A plan body on the Acme item: every month from `starts_on`, a week's tolerance each side.
pub(crate) fn monthly_plan(w: &Acme, starts_on: NaiveDate) -> Value {
    json!({
        "id": Uuid::now_v7(), "equipment_id": w.equipment, "title": "Lube oil filter", "priority": "high",
        "description": "Change the filter; take an oil sample.",
        "criteria": [{ "kind": "calendar", "every": 1, "unit": "months", "basis": "from_schedule",
                       "early": 7, "late": 7 }],
        "starts_on": starts_on, "lead_days": 10, "estimated_minutes": 90, "signature_required": false,
        "steps": [{ "id": Uuid::now_v7(), "title": "Filter changed", "kind": "pass_fail", "required": true }],
        "assignees": [{ "kind": "department", "department_id": w.department }],
    })
}

/// A monthly plan on the Acme item made by the owner, for walks: its id.
pub(crate) async fn walk_plan(app: &TestApp, w: &Acme) -> Uuid {
    let today = app.clock.now().date_naive();
    let res = send(app, &w.fixture.owner, Method::POST, "/api/v1/maintenance-plans", monthly_plan(w, today)).await;
    ok_json(res, 201).await["id"].as_str().and_then(|s| s.parse().ok()).expect("a plan id")
}

async fn run_scheduler(app: &TestApp) -> (usize, usize) {
    let run = app.app.plans.schedule_all(&*app.app.store, 500).await.expect("the scheduler runs");
    (run.checked, run.generated)
}

async fn plan_orders(app: &TestApp, w: &Acme, plan: &str) -> Vec<Value> {
    let list = get(app, &w.fixture.owner, &format!("/api/v1/work-orders?vessel_id={}&limit=200", w.vessel)).await;
    list["items"].as_array().unwrap().iter().filter(|o| o["origin"]["plan_id"] == plan).cloned().collect()
}

async fn a_plans_occurrence_is_generated_once_completed_and_counted(app: TestApp) {
    let w = acme(&app).await;
    let owner = &w.fixture.owner;
    let today = app.clock.now().date_naive();
    // Started 25 days ago: due in 5 days (well inside the 10 lead days).
    let body = monthly_plan(&w, today - Duration::days(25));
    let plan = ok_json(send(&app, owner, Method::POST, "/api/v1/maintenance-plans", body.clone()).await, 201).await;
    let id = plan["id"].as_str().unwrap().to_owned();
    let due = (today - Duration::days(25)).checked_add_months(chrono::Months::new(1)).unwrap();
    assert_eq!((plan["occurrence"].as_u64(), plan["due_on"].as_str()), (Some(0), Some(&*due.to_string())));
    ok_json(send(&app, owner, Method::POST, "/api/v1/maintenance-plans", body.clone()).await, 200).await;
    let mut other = body.clone();
    other["title"] = json!("Something else");
    assert_problem(send(&app, owner, Method::POST, "/api/v1/maintenance-plans", other).await, 409, "id_taken").await;

    // Generated once, whatever runs again.
    assert_eq!(run_scheduler(&app).await, (1, 1));
    assert_eq!(run_scheduler(&app).await, (0, 0), "looked at again only after completion");
    let orders = plan_orders(&app, &w, &id).await;
    assert_eq!(orders.len(), 1);
    let order = &orders[0];
    assert_eq!((order["origin"]["occurrence"].as_u64(), order["due_on"].as_str()), (Some(0), Some(&*due.to_string())));
    assert_eq!(order["steps"][0]["title"], "Filter changed");
    assert_eq!(order["assignees"][0]["department_id"], json!(w.department));

    // The engineer does the work: the plan moves to its next occurrence, done in its window.
    let engineer = &w.people[&Role::Engineer];
    let path = format!("/api/v1/work-orders/{}", order["id"].as_str().unwrap());
    ok_json(send(&app, engineer, Method::POST, &format!("{path}/start"), json!(null)).await, 200).await;
    let step = order["steps"][0]["id"].clone();
    let answer = json!({ "id": Uuid::now_v7(), "step_id": step, "answer": { "kind": "pass_fail", "passed": true } });
    ok_json(send(&app, engineer, Method::POST, &format!("{path}/results"), answer).await, 201).await;
    ok_json(send(&app, engineer, Method::POST, &format!("{path}/complete"), json!({})).await, 200).await;
    let detail = get(&app, engineer, &format!("/api/v1/maintenance-plans/{id}")).await;
    let next = due.checked_add_months(chrono::Months::new(1)).unwrap();
    assert_eq!(detail["plan"]["occurrence"], 1);
    assert_eq!(detail["plan"]["last_done_on"], json!(today));
    assert_eq!(detail["plan"]["due_on"], json!(next));
    assert_eq!(detail["state"], "not_due");
    assert_eq!(detail["completions"][0]["in_window"], true, "{detail}");
    let figures = get(&app, owner, &format!("/api/v1/analytics/maintenance?vessel_id={}", w.vessel)).await;
    assert_eq!((figures["done"].as_u64(), figures["done_in_window"].as_u64()), (Some(1), Some(1)));
    assert_eq!((figures["compliance_percent"].as_f64(), figures["backlog"].as_u64()), (Some(100.0), Some(0)));

    // A month on, the next occurrence is generated; left undone past its window it is overdue
    // and in the backlog.
    app.clock.advance(Duration::days(30));
    assert_eq!(run_scheduler(&app).await, (1, 1));
    app.clock.advance(Duration::days(20));
    let owner = &app.login(&owner.email, Some("acme")).await;
    let figures = get(&app, owner, "/api/v1/analytics/maintenance").await;
    assert_eq!(figures["backlog"], 1);
    assert_eq!(figures["overdue"][0]["plan_id"], json!(id), "{figures}");
    let detail = get(&app, owner, &format!("/api/v1/maintenance-plans/{id}")).await;
    assert_eq!(detail["state"], "overdue");
}

async fn running_hours_bring_a_plan_due(app: TestApp) {
    let w = acme(&app).await;
    let owner = &w.fixture.owner;
    let today = app.clock.now().date_naive();
    let readings = format!("/api/v1/equipment/{}/readings", w.equipment);
    ok_json(send(&app, owner, Method::POST, &readings, json!({ "hours": 1000 })).await, 201).await;
    let mut body = monthly_plan(&w, today);
    body["criteria"] = json!([
        { "kind": "calendar", "every": 1, "unit": "years", "basis": "from_completion" },
        { "kind": "running_hours", "every": 500, "early": 25, "late": 25 },
    ]);
    // A running-hours criterion counts from the start's hours.
    let mut missing = body.clone();
    missing["id"] = json!(Uuid::now_v7());
    let res = send(&app, owner, Method::POST, "/api/v1/maintenance-plans", missing).await;
    assert_problem(res, 422, "validation_failed").await;
    body["start_hours"] = json!(1000.0);
    let plan = ok_json(send(&app, owner, Method::POST, "/api/v1/maintenance-plans", body).await, 201).await;
    let id = plan["id"].as_str().unwrap().to_owned();
    assert_eq!(plan["due_hours"], 1500.0);
    assert_eq!(run_scheduler(&app).await, (1, 0), "not due, and no rate to forecast from");

    // A reading inside the early window brings the plan up at once.
    ok_json(send(&app, owner, Method::POST, &readings, json!({ "hours": 1480 })).await, 201).await;
    assert_eq!(run_scheduler(&app).await, (1, 1));
    let detail = get(&app, owner, &format!("/api/v1/maintenance-plans/{id}")).await;
    assert_eq!((detail["state"].as_str(), detail["hours_now"].as_f64()), (Some("early"), Some(1480.0)));
    assert_eq!(detail["criteria"][1]["due_hours"], 1500.0);
    assert_eq!(plan_orders(&app, &w, &id).await.len(), 1);
}

async fn a_child_linked_to_its_parents_meter_runs_only_while_the_parent_runs(app: TestApp) {
    let w = acme(&app).await;
    let owner = &w.fixture.owner;
    let engineer = &w.people[&Role::Engineer];
    let today = app.clock.now().date_naive();
    let engine = format!("/api/v1/equipment/{}", w.equipment);
    let child = json!({ "vessel_id": w.vessel, "parent_id": w.equipment, "level": "component", "name": "Turbocharger",
                        "area": "engine_room" });
    let child = ok_json(send(&app, owner, Method::POST, "/api/v1/equipment", child).await, 201).await;
    let turbo = format!("/api/v1/equipment/{}", child["id"].as_str().unwrap());

    // Nothing to count yet, and an item under nothing counts nothing.
    assert_problem(
        send(&app, engineer, Method::PUT, &format!("{turbo}/meter-link"), json!(null)).await,
        409,
        "parent_has_no_meter",
    )
    .await;
    assert_problem(
        send(&app, engineer, Method::PUT, &format!("{engine}/meter-link"), json!(null)).await,
        409,
        "no_parent",
    )
    .await;
    let ago = |days: i64| app.clock.now() - Duration::days(days);
    let reading = |hours: f64, days: i64| json!({ "hours": hours, "read_at": ago(days) });
    ok_json(send(&app, owner, Method::POST, &format!("{engine}/readings"), reading(1000.0, 3)).await, 201).await;
    let link = ok_json(send(&app, engineer, Method::PUT, &format!("{turbo}/meter-link"), json!(null)).await, 200).await;
    assert_eq!((link["child_base"].as_f64(), link["parent_base"].as_f64()), (Some(0.0), Some(1000.0)));
    ok_json(send(&app, engineer, Method::PUT, &format!("{turbo}/meter-link"), json!(null)).await, 200).await;
    let crew = &w.people[&Role::Crew];
    assert_problem(send(&app, crew, Method::PUT, &format!("{turbo}/meter-link"), json!(null)).await, 403, "forbidden")
        .await;

    // A plan on the child by its hours: every 80 hours from 0.
    let mut body = monthly_plan(&w, today);
    body["equipment_id"] = child["id"].clone();
    body["criteria"] = json!([{ "kind": "running_hours", "every": 80, "early": 5, "late": 5 }]);
    body["start_hours"] = json!(0);
    let plan = ok_json(send(&app, owner, Method::POST, "/api/v1/maintenance-plans", body).await, 201).await;
    let plan = plan["id"].as_str().unwrap().to_owned();

    // The engine runs 100 hours: so does the turbocharger, and its plan falls due.
    ok_json(send(&app, owner, Method::POST, &format!("{engine}/readings"), reading(1100.0, 2)).await, 201).await;
    let hours = get(&app, owner, &format!("{turbo}/readings")).await;
    assert_eq!(hours["running_hours"], 100.0, "{hours}");
    assert_eq!(run_scheduler(&app).await.1, 1, "the child's plan is due by its linked hours");
    let detail = get(&app, owner, &format!("/api/v1/maintenance-plans/{plan}")).await;
    assert_eq!(detail["hours_now"], 100.0, "{detail}");
    // A stopped engine (the same reading later) stops its children.
    ok_json(send(&app, owner, Method::POST, &format!("{engine}/readings"), reading(1100.0, 1)).await, 201).await;
    let hours = get(&app, owner, &format!("{turbo}/readings")).await;
    assert_eq!(
        (hours["running_hours"].as_f64(), hours["items"].as_array().unwrap().len()),
        (Some(100.0), 1),
        "{hours}"
    );
    // A linked child takes no reading of its own until unlinked, and keeps its hours.
    let res = send(&app, owner, Method::POST, &format!("{turbo}/readings"), json!({ "hours": 150 })).await;
    assert_problem(res, 409, "meter_linked").await;
    let item = get(&app, owner, &turbo).await;
    assert_eq!(item["meter_link"]["parent_id"], json!(w.equipment), "{item}");
    let res = app.as_(engineer, Method::DELETE, &format!("{turbo}/meter-link")).send().await.unwrap();
    assert_eq!(res.status(), 204);
    assert!(get(&app, owner, &turbo).await["meter_link"].is_null());
    ok_json(send(&app, owner, Method::POST, &format!("{turbo}/readings"), json!({ "hours": 150 })).await, 201).await;
    ok_json(send(&app, owner, Method::POST, &format!("{engine}/readings"), json!({ "hours": 1200 })).await, 201).await;
    assert_eq!(get(&app, owner, &format!("{turbo}/readings")).await["running_hours"], 150.0, "unlinked: its own meter");

    // Devices get the link and its end, and the derived reading.
    let (changes, _) = pull_all(&app, owner, None, 262_144).await;
    let ops: Vec<&str> =
        changes.iter().filter(|(_, c)| c["entity"] == "meter_link").filter_map(|(_, c)| c["op"].as_str()).collect();
    assert_eq!(ops.last(), Some(&"delete"), "{ops:?}");
    let audit = get(&app, owner, "/api/v1/audit?limit=200").await;
    assert!(audit["items"].as_array().unwrap().iter().any(|e| e["action"] == "reading.derive"));
}

async fn postponements_are_approved_by_someone_else(app: TestApp) {
    let w = acme(&app).await;
    let owner = &w.fixture.owner;
    let manager = &w.people[&Role::Manager];
    let today = app.clock.now().date_naive();
    let plan =
        ok_json(send(&app, owner, Method::POST, "/api/v1/maintenance-plans", monthly_plan(&w, today)).await, 201).await;
    let path = format!("/api/v1/maintenance-plans/{}/postponements", plan["id"].as_str().unwrap());
    let due: NaiveDate = plan["due_on"].as_str().unwrap().parse().unwrap();
    let body = |by: &crate::harness::Session, date: NaiveDate, occurrence: u32| {
        json!({ "id": Uuid::now_v7(), "occurrence": occurrence, "new_date": date,
                "reason": "Spares on order; vessel in dry dock next week", "requested_by": by.user_id })
    };
    let own = send(&app, manager, Method::POST, &path, body(manager, due + Duration::days(5), 0)).await;
    assert_problem(own, 422, "validation_failed").await;
    let earlier = send(&app, manager, Method::POST, &path, body(owner, due - Duration::days(1), 0)).await;
    assert_problem(earlier, 422, "validation_failed").await;
    let passed = send(&app, manager, Method::POST, &path, body(owner, due + Duration::days(5), 3)).await;
    assert_problem(passed, 409, "occurrence_passed").await;
    let engineer = &w.people[&Role::Engineer];
    let refused = send(&app, engineer, Method::POST, &path, body(owner, due + Duration::days(5), 0)).await;
    assert_problem(refused, 403, "forbidden").await;

    let good = body(engineer, due + Duration::days(5), 0);
    let made = ok_json(send(&app, manager, Method::POST, &path, good.clone()).await, 201).await;
    assert_eq!(made["approved_by"], json!(manager.user_id));
    ok_json(send(&app, manager, Method::POST, &path, good).await, 200).await;
    let detail = get(&app, owner, &format!("/api/v1/maintenance-plans/{}", plan["id"].as_str().unwrap())).await;
    assert_eq!(detail["plan"]["due_on"], json!(due + Duration::days(5)));
    assert_eq!(detail["postponements"].as_array().unwrap().len(), 1);
}

async fn who_may_write_plans(app: TestApp) {
    let w = acme(&app).await;
    let today = app.clock.now().date_naive();
    for role in [Role::Crew, Role::Viewer] {
        let res =
            send(&app, &w.people[&role], Method::POST, "/api/v1/maintenance-plans", monthly_plan(&w, today)).await;
        assert_problem(res, 403, "forbidden").await;
    }
    let engineer = &w.people[&Role::Engineer];
    let plan =
        ok_json(send(&app, engineer, Method::POST, "/api/v1/maintenance-plans", monthly_plan(&w, today)).await, 201)
            .await;
    // Everyone reads; an edit keeps the item and moves the due date with the criteria.
    let crew = &w.people[&Role::Crew];
    let listed = get(&app, crew, &format!("/api/v1/maintenance-plans?vessel_id={}", w.vessel)).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    let mut edit = monthly_plan(&w, today);
    edit.as_object_mut().unwrap().remove("id");
    edit.as_object_mut().unwrap().remove("equipment_id");
    edit["criteria"][0]["every"] = json!(2);
    edit["version"] = plan["version"].clone();
    let path = format!("/api/v1/maintenance-plans/{}", plan["id"].as_str().unwrap());
    let edited = ok_json(send(&app, engineer, Method::PUT, &path, edit.clone()).await, 200).await;
    assert_eq!(edited["due_on"], json!(today.checked_add_months(chrono::Months::new(2)).unwrap()));
    assert_problem(send(&app, engineer, Method::PUT, &path, edit.clone()).await, 409, "version_conflict").await;
    assert_problem(send(&app, crew, Method::PUT, &path, edit).await, 403, "forbidden").await;
    // A vessel the person does not reach is not found.
    let mut elsewhere = monthly_plan(&w, today);
    elsewhere["equipment_id"] = json!(Uuid::now_v7());
    let res = send(&app, engineer, Method::POST, "/api/v1/maintenance-plans", elsewhere).await;
    assert_problem(res, 404, "not_found").await;
}

async fn plans_made_offline_are_applied_once(app: TestApp) {
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let manager = &w.people[&Role::Manager];
    let today = app.clock.now().date_naive();
    let mut args = monthly_plan(&w, today);
    let plan = args["id"].clone();
    let mut update = args.clone();
    update.as_object_mut().unwrap().remove("id");
    update.as_object_mut().unwrap().remove("equipment_id");
    update["plan_id"] = plan.clone();
    update["title"] = json!("Lube oil filter and strainer");
    args["title"] = json!("Lube oil filter");
    let client = Uuid::now_v7();
    let batch = json!([
        { "id": 1, "name": "create_maintenance_plan.v1", "args": args },
        { "id": 2, "name": "update_maintenance_plan.v1", "args": update },
    ]);
    let first = push(&app, engineer, client, batch.clone()).await;
    assert_eq!(first["applied"], json!([1, 2]), "{first}");
    assert_eq!(push(&app, engineer, client, batch.clone()).await["skipped"], json!([1, 2]));
    let copied = push(&app, engineer, Uuid::now_v7(), batch).await;
    assert!(copied["rejected"].as_array().unwrap().is_empty(), "{copied}");
    let listed = get(&app, engineer, &format!("/api/v1/maintenance-plans?vessel_id={}", w.vessel)).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert_eq!(listed["items"][0]["title"], "Lube oil filter and strainer");

    let due: NaiveDate = listed["items"][0]["due_on"].as_str().unwrap().parse().unwrap();
    let postpone = json!([{ "id": 1, "name": "postpone_plan.v1", "args": {
        "id": Uuid::now_v7(), "plan_id": plan, "occurrence": 0, "new_date": due + Duration::days(3),
        "reason": "Waiting for the filter", "requested_by": engineer.user_id } }]);
    let pushed = push(&app, manager, Uuid::now_v7(), postpone).await;
    assert_eq!(pushed["applied"], json!([1]), "{pushed}");

    let (changes, _) = pull_all(&app, engineer, Some(client), 262_144).await;
    let row = changes
        .iter()
        .rev()
        .find(|(_, c)| c["entity"] == "maintenance_plan")
        .map(|(_, c)| c["fields"].clone())
        .unwrap();
    assert_eq!(row["due_on"], json!(due + Duration::days(3)), "{row}");
    assert_eq!(row["criteria"][0]["unit"], "months");
    assert!(changes.iter().any(|(_, c)| c["entity"] == "plan_postponement"));
}

async fn a_meter_reading_answer_is_the_items_reading(app: TestApp) {
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let step = Uuid::now_v7();
    let body = json!({ "equipment_id": w.equipment, "title": "Hours check", "priority": "normal",
        "assignees": [{ "kind": "person", "user_id": engineer.user_id }],
        "steps": [{ "id": step, "title": "Hour meter", "kind": "meter_reading", "required": true }] });
    let order = ok_json(send(&app, engineer, Method::POST, "/api/v1/work-orders", body).await, 201).await;
    let path = format!("/api/v1/work-orders/{}", order["id"].as_str().unwrap());
    ok_json(send(&app, engineer, Method::POST, &format!("{path}/start"), json!(null)).await, 200).await;
    let answer =
        json!({ "id": Uuid::now_v7(), "step_id": step, "answer": { "kind": "meter_reading", "hours": "1234.5" } });
    ok_json(send(&app, engineer, Method::POST, &format!("{path}/results"), answer.clone()).await, 201).await;
    // Sent again (a lost answer): the same result, and no second reading.
    ok_json(send(&app, engineer, Method::POST, &format!("{path}/results"), answer).await, 201).await;
    let readings = get(&app, engineer, &format!("/api/v1/equipment/{}/readings", w.equipment)).await;
    assert_eq!(readings["running_hours"], 1234.5, "{readings}");
    assert_eq!(readings["items"].as_array().unwrap().len(), 1, "recorded once: {readings}");
    let lower =
        json!({ "id": Uuid::now_v7(), "step_id": step, "answer": { "kind": "meter_reading", "hours": "1000" } });
    let res = send(&app, engineer, Method::POST, &format!("{path}/results"), lower).await;
    assert_problem(res, 422, "validation_failed").await;
}

async fn skipped_and_missed_occurrences_count_against_compliance(app: TestApp) {
    let w = acme(&app).await;
    let owner = &w.fixture.owner;
    let today = app.clock.now().date_naive();
    let mut body = monthly_plan(&w, today - Duration::days(7));
    body["criteria"] =
        json!([{ "kind": "calendar", "every": 1, "unit": "weeks", "basis": "from_schedule", "late": 1 }]);
    body["steps"] = json!([]);
    let plan = ok_json(send(&app, owner, Method::POST, "/api/v1/maintenance-plans", body).await, 201).await;
    let id = plan["id"].as_str().unwrap().to_owned();
    assert_eq!(run_scheduler(&app).await, (1, 1));
    // Cancelled: the occurrence is skipped and the next one raised.
    let first = plan_orders(&app, &w, &id).await[0]["id"].as_str().unwrap().to_owned();
    let cancel = json!({ "reason": "Pump out for overhaul" });
    ok_json(send(&app, owner, Method::POST, &format!("/api/v1/work-orders/{first}/cancel"), cancel).await, 200).await;
    let detail = get(&app, owner, &format!("/api/v1/maintenance-plans/{id}")).await;
    assert_eq!(
        (detail["plan"]["occurrence"].as_u64(), detail["completions"][0]["outcome"].as_str()),
        (Some(1), Some("skipped"))
    );
    assert_eq!(run_scheduler(&app).await, (1, 1), "the next occurrence is raised");
    // Postponed while its order is open: the order's due date moves with the plan.
    let second = plan_orders(&app, &w, &id).await.into_iter().find(|o| o["status"] == "open").unwrap();
    let due: NaiveDate = second["due_on"].as_str().unwrap().parse().unwrap();
    let postpone = json!({ "occurrence": 1, "new_date": due + Duration::days(2), "reason": "Crane busy",
                           "requested_by": w.people[&Role::Engineer].user_id });
    let path = format!("/api/v1/maintenance-plans/{id}/postponements");
    ok_json(send(&app, &w.people[&Role::Manager], Method::POST, &path, postpone).await, 201).await;
    let order = get(&app, owner, &format!("/api/v1/work-orders/{}", second["id"].as_str().unwrap())).await;
    assert_eq!(order["order"]["due_on"], json!(due + Duration::days(2)));
    // Done four weeks late: the weeks passed over are missed, and nothing was in its window.
    app.clock.advance(Duration::days(30));
    let owner = &app.login(&owner.email, Some("acme")).await;
    let path = format!("/api/v1/work-orders/{}", second["id"].as_str().unwrap());
    ok_json(send(&app, owner, Method::POST, &format!("{path}/start"), json!(null)).await, 200).await;
    ok_json(send(&app, owner, Method::POST, &format!("{path}/complete"), json!({})).await, 200).await;
    let detail = get(&app, owner, &format!("/api/v1/maintenance-plans/{id}")).await;
    let outcomes: Vec<&str> =
        detail["completions"].as_array().unwrap().iter().map(|c| c["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["skipped", "done", "missed", "missed", "missed"], "{detail}");
    assert_eq!(detail["plan"]["occurrence"], 5);
    let figures = get(&app, owner, "/api/v1/analytics/maintenance").await;
    assert_eq!((figures["done"].as_u64(), figures["done_in_window"].as_u64()), (Some(5), Some(0)), "{figures}");
    assert_eq!(figures["compliance_percent"], 0.0);
    // Days out of range are refused, not stored.
    let mut far = monthly_plan(&w, NaiveDate::from_ymd_opt(1800, 1, 1).unwrap());
    far["id"] = json!(Uuid::now_v7());
    let res = send(&app, owner, Method::POST, "/api/v1/maintenance-plans", far).await;
    assert_eq!(assert_problem(res, 422, "validation_failed").await["errors"][0]["field"], "starts_on");
}

crate::on_both_backends!(
    skipped_and_missed_occurrences_count_against_compliance,
    a_meter_reading_answer_is_the_items_reading,
    a_plans_occurrence_is_generated_once_completed_and_counted,
    running_hours_bring_a_plan_due,
    a_child_linked_to_its_parents_meter_runs_only_while_the_parent_runs,
    postponements_are_approved_by_someone_else,
    who_may_write_plans,
    plans_made_offline_are_applied_once,
);
