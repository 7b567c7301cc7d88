//! Crew rotation handovers: what the current handover gathers, draft notes, the snapshot a
//! completion freezes (and that later changes leave alone), who acknowledges it and how often,
//! the history, live events; each write on the audit trail.

use bosun_domain::fault::FaultStatus;
use bosun_domain::person::Role;
use bosun_domain::{Clock, VesselId};
use chrono::{Duration, NaiveDate};
use reqwest::Method;
use serde_json::{Value, json};
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::faults::{
    actor, audit_actions, equipment_on, get, ids, listening_app, move_fault, ok_json, on_rotation, record_reading,
    report, send, time,
};
use crate::harness::{Session, TestApp, assert_problem};
use crate::pagination::all_items;
use crate::permissions::{Acme, acme};

fn current(w: &Acme) -> String {
    format!("/api/v1/handovers/current?vessel_id={}", w.vessel)
}

async fn complete(app: &TestApp, who: &Session, vessel: Uuid) -> Value {
    let body = json!({ "vessel_id": vessel, "rotation_end": "2026-12-01" });
    ok_json(send(app, who, Method::POST, "/api/v1/handovers/complete", body).await, 201).await
}

/// The Acme vessel with faults, parts orders and readings around the crew member who hands
/// over; answers the ids the handover should show, in order.
struct Scene {
    /// The crew member's own faults first (worst first), then the others.
    faults: Vec<String>,
    /// Orders still on their way, newest first.
    orders: Vec<String>,
    /// A fault that is not the crew member's.
    theirs: String,
}

async fn scene(app: &TestApp, w: &Acme) -> Scene {
    let company = w.fixture.company.id;
    let (crew, engineer) = (&w.people[&Role::Crew], &w.people[&Role::Engineer]);
    on_rotation(app, &w.fixture, w.vessel, crew).await;
    let now = app.clock.now();
    let me1 = equipment_on(app, company, w.vessel, "Main engine 1").await;
    let genset = equipment_on(app, company, w.vessel, "Generator 1").await;
    let crane = equipment_on(app, company, w.other_vessel, "Deck crane").await;
    let id = |v: &Value| v["id"].as_str().unwrap().to_owned();

    let theirs = id(&report(app, engineer, me1, "critical", "ME1 turbocharger surging").await);
    let mine_low = id(&report(app, crew, genset, "low", "Gen 1 panel lamp out").await);
    ok_json(move_fault(app, engineer, &mine_low, FaultStatus::Acknowledged).await, 200).await;
    let held = id(&report(app, engineer, genset, "high", "Gen 1 governor hunting").await);
    ok_json(move_fault(app, engineer, &held, FaultStatus::Acknowledged).await, 200).await;
    ok_json(
        send(
            app,
            engineer,
            Method::POST,
            &format!("/api/v1/faults/{held}/assign"),
            json!({ "assignee_id": crew.user_id }),
        )
        .await,
        200,
    )
    .await;
    let done = id(&report(app, crew, me1, "medium", "ME1 jacket water leak").await);
    ok_json(move_fault(app, engineer, &done, FaultStatus::Acknowledged).await, 200).await;
    ok_json(move_fault(app, engineer, &done, FaultStatus::Resolved).await, 200).await;
    report(app, &w.fixture.owner, crane, "high", "Crane slewing brake").await;

    let mut orders = Vec::new();
    let order = |status: &'static [&'static str]| {
        let (app, engineer, owner, theirs) = (app, engineer.clone(), w.fixture.owner.clone(), theirs.clone());
        async move {
            let body = json!({
                "part_name": "Turbocharger nozzle ring", "part_number": "NR-77", "quantity": 1,
                "supplier": "Turbo Service", "supplier_unit_price_minor": 250_000, "currency": "EUR",
            });
            let o = ok_json(
                send(app, &engineer, Method::POST, &format!("/api/v1/faults/{theirs}/order-parts"), body).await,
                201,
            )
            .await;
            let path = format!("/api/v1/parts-orders/{}/status", o["id"].as_str().unwrap());
            for s in status {
                ok_json(send(app, &owner, Method::POST, &path, json!({ "status": s })).await, 200).await;
            }
            o["id"].as_str().unwrap().to_owned()
        }
    };
    orders.push(order(&[]).await);
    orders.push(order(&["approved", "ordered", "shipped"]).await);
    order(&["approved", "ordered", "shipped", "received"]).await;
    order(&["cancelled"]).await;
    orders.reverse();

    // Readings: one before the rotation (left out), a plain run, a meter replaced mid-way, and
    // one on another vessel (left out).
    for (item, hours, replaced, days_ago) in [
        (me1, 900.0, false, 40),
        (me1, 1000.0, false, 10),
        (me1, 1100.5, false, 5),
        (me1, 1180.0, false, 1),
        (genset, 500.0, false, 8),
        (genset, 12.0, true, 4),
        (genset, 40.0, false, 2),
        (crane, 77.0, false, 3),
    ] {
        record_reading(app, company, item, hours, replaced, now - Duration::days(days_ago)).await;
    }
    Scene { faults: vec![held, mine_low, theirs.clone()], orders, theirs }
}

async fn the_current_handover_gathers_what_the_outgoing_person_leaves(app: TestApp) {
    let w = acme(&app).await;
    let s = scene(&app, &w).await;
    let crew = &w.people[&Role::Crew];
    let now = app.clock.now();

    let h = get(&app, crew, &current(&w)).await;
    assert_eq!(
        (h["vessel_id"].as_str(), h["outgoing_user_id"].as_str()),
        (Some(&*w.vessel.to_string()), Some(&*crew.user_id.to_string()))
    );
    assert_eq!(
        time(&h["since"]),
        (now - Duration::days(30)).date_naive().and_hms_opt(0, 0, 0).unwrap().and_utc(),
        "the rotation's start: no handover yet"
    );
    let faults = h["faults"].as_array().unwrap();
    assert_eq!(ids(faults), s.faults, "own (reported or held) first, worst first; resolved and other vessels left out");
    assert_eq!(faults.iter().map(|f| f["mine"].as_bool().unwrap()).collect::<Vec<_>>(), [true, true, false]);
    assert_eq!(
        (faults[2]["severity"].as_str(), faults[2]["status"].as_str(), faults[2]["equipment_name"].as_str()),
        (Some("critical"), Some("open"), Some("Main engine 1"))
    );
    assert_eq!(faults[0]["assignee_id"], crew.user_id.to_string());
    let orders = h["parts_orders"].as_array().unwrap();
    assert_eq!(ids(orders), s.orders, "received and cancelled orders are done with");
    assert_eq!(orders.iter().map(|o| o["status"].as_str().unwrap()).collect::<Vec<_>>(), ["shipped", "requested"]);
    assert_eq!(orders[0]["fault_id"], s.theirs);
    let text = h.to_string();
    assert!(
        !text.contains("250000") && !text.contains("300000") && !text.contains("price"),
        "no prices in handovers: {text}"
    );

    let hours = h["running_hours"].as_array().unwrap();
    let row = |name: &str| {
        hours.iter().find(|r| r["equipment_name"] == name).cloned().unwrap_or_else(|| panic!("{name} in {hours:?}"))
    };
    assert_eq!(hours.len(), 2, "{hours:?}");
    let me1 = row("Main engine 1");
    assert_eq!(
        (
            me1["first_hours"].as_f64(),
            me1["last_hours"].as_f64(),
            me1["delta_hours"].as_f64(),
            me1["readings"].as_u64()
        ),
        (Some(1000.0), Some(1180.0), Some(180.0), Some(3))
    );
    assert_eq!(
        (time(&me1["first_read_at"]), time(&me1["last_read_at"])),
        (now - Duration::days(10), now - Duration::days(1))
    );
    let genset = row("Generator 1");
    assert_eq!(
        (genset["first_hours"].as_f64(), genset["last_hours"].as_f64(), genset["delta_hours"].as_f64()),
        (Some(500.0), Some(40.0), Some(40.0)),
        "the new meter's hours count on"
    );
    assert_eq!((h["notes"].as_str(), &h["item_notes"]), (Some(""), &json!({})));

    // Draft notes, free and per item, come back with the handover.
    let notes = json!({
        "vessel_id": w.vessel,
        "notes": "ME1 on reduced load.\nClass surveyor due on the 3rd.",
        "item_notes": { format!("fault:{}", s.theirs): "Maker's service engineer booked", format!("parts_order:{}", s.orders[0]): "ETA Tuesday", format!("fault:{}", s.faults[1]): "" },
    });
    let saved = ok_json(send(&app, crew, Method::PUT, "/api/v1/handovers/current/notes", notes).await, 200).await;
    let again = get(&app, crew, &current(&w)).await;
    assert_eq!(saved, again);
    assert_eq!(again["notes"], "ME1 on reduced load.\nClass surveyor due on the 3rd.");
    assert_eq!(again["item_notes"].as_object().unwrap().len(), 2, "an empty note is dropped");
    assert_eq!(again["faults"][2]["note"], "Maker's service engineer booked");
    assert_eq!((&again["faults"][0]["note"], &again["faults"][1]["note"]), (&Value::Null, &Value::Null));
    assert_eq!(again["parts_orders"][0]["note"], "ETA Tuesday");
    // The notes are the caller's own: another member's handover of the same vessel has none.
    let engineer = &w.people[&Role::Engineer];
    let theirs = get(&app, engineer, &current(&w)).await;
    assert_eq!(
        (theirs["notes"].as_str(), theirs["faults"][0]["id"].as_str()),
        (Some(""), Some(s.theirs.as_str())),
        "the engineer's own fault first for them"
    );
    assert_eq!(
        audit_actions(&app, &w.fixture.owner, "handover_draft", &format!("{}/{}", w.vessel, crew.user_id)).await,
        ["handover.notes"]
    );
}

async fn a_completed_handover_is_a_snapshot_later_changes_leave_alone(app: TestApp) {
    let w = acme(&app).await;
    let s = scene(&app, &w).await;
    let (crew, engineer, manager) = (&w.people[&Role::Crew], &w.people[&Role::Engineer], &w.people[&Role::Manager]);
    let notes = json!({ "vessel_id": w.vessel, "notes": "All yours", "item_notes": { format!("fault:{}", s.theirs): "Watch it" } });
    ok_json(send(&app, crew, Method::PUT, "/api/v1/handovers/current/notes", notes).await, 200).await;
    let before = get(&app, crew, &current(&w)).await;

    let done = complete(&app, crew, w.vessel).await;
    let id = done["id"].as_str().unwrap().to_owned();
    assert_eq!(done["snapshot"], before, "the snapshot is the handover as it stood");
    assert_eq!(
        (done["outgoing_user_id"].as_str(), done["rotation_end"].as_str()),
        (Some(&*crew.user_id.to_string()), Some("2026-12-01"))
    );
    assert_eq!((&done["acknowledged_by"], &done["acknowledged_at"]), (&Value::Null, &Value::Null));
    let completed_at = time(&done["completed_at"]);

    // The draft is cleared, and the next handover counts hours from this one.
    app.clock.advance(Duration::hours(2));
    let (crew, engineer) = (&app.refreshed(crew).await, &app.refreshed(engineer).await);
    let manager = &app.refreshed(manager).await;
    let next = get(&app, crew, &current(&w)).await;
    assert_eq!((next["notes"].as_str(), &next["item_notes"]), (Some(""), &json!({})));
    assert_eq!(time(&next["since"]), completed_at);
    assert_eq!(next["running_hours"], json!([]));

    // Later the world moves on: a fault is resolved, an order arrives, hours run, new notes.
    ok_json(move_fault(&app, engineer, &s.theirs, FaultStatus::Acknowledged).await, 200).await;
    ok_json(move_fault(&app, engineer, &s.theirs, FaultStatus::Resolved).await, 200).await;
    ok_json(
        send(
            &app,
            manager,
            Method::POST,
            &format!("/api/v1/parts-orders/{}/status", s.orders[0]),
            json!({ "status": "received" }),
        )
        .await,
        200,
    )
    .await;
    let me1 = equipment_on(&app, w.fixture.company.id, w.vessel, "Main engine 2").await;
    record_reading(&app, w.fixture.company.id, me1, 10.0, false, app.clock.now()).await;
    let notes = json!({ "vessel_id": w.vessel, "notes": "Second thoughts", "item_notes": {} });
    ok_json(send(&app, crew, Method::PUT, "/api/v1/handovers/current/notes", notes).await, 200).await;
    let next = get(&app, crew, &current(&w)).await;
    assert_eq!(next["running_hours"][0]["equipment_name"], "Main engine 2");
    assert!(!ids(next["faults"].as_array().unwrap()).contains(&s.theirs));

    let stored = get(&app, engineer, &format!("/api/v1/handovers/{id}")).await;
    assert_eq!(stored["snapshot"], before, "the snapshot never changes");
    assert_eq!(stored, done);
    // Nothing changes or removes a handover.
    for method in [Method::PUT, Method::PATCH, Method::DELETE] {
        let res = send(&app, crew, method, &format!("/api/v1/handovers/{id}"), json!({ "snapshot": {} })).await;
        assert_problem(res, 405, "method_not_allowed").await;
    }
    let history = all_items(&app, engineer, &format!("/api/v1/handovers/history?vessel_id={}", w.vessel)).await;
    assert_eq!(ids(&history), [id.as_str()]);
    assert!(history[0].get("snapshot").is_none(), "the history is a list, not the snapshots");

    // A second handover by the same person later is a new one, newest first in the history.
    let second = complete(&app, crew, w.vessel).await;
    assert_eq!(second["snapshot"]["notes"], "Second thoughts");
    let history = all_items(&app, engineer, "/api/v1/handovers/history").await;
    assert_eq!(ids(&history), [second["id"].as_str().unwrap(), id.as_str()]);
    assert_eq!(
        audit_actions(&app, &app.refreshed(&w.fixture.owner).await, "handover", &id).await,
        ["handover.complete"]
    );
}

async fn only_the_incoming_person_acknowledges_and_only_once(app: TestApp) {
    let w = acme(&app).await;
    let (crew, engineer, viewer, manager) =
        (&w.people[&Role::Crew], &w.people[&Role::Engineer], &w.people[&Role::Viewer], &w.people[&Role::Manager]);
    let (other, mut rx) = listening_app(&app).await;
    let crew_actor = actor(w.fixture.company.id, crew, Role::Crew);
    let end = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let complete =
        bosun_app::maintenance::handovers::CompleteHandover { vessel_id: VesselId(w.vessel), rotation_end: end };
    let h = other.mutate(&crew_actor, complete).await.unwrap();
    let e = rx.try_recv().expect("an event for the completion");
    assert_eq!((e.kind.as_str(), e.vessel_id, e.entity_id), ("handover.completed", Some(VesselId(w.vessel)), h.id.0));
    let path = format!("/api/v1/handovers/{}/acknowledge", h.id);
    let ack = |who: &Session| app.as_(who, Method::POST, &path).json(&json!({})).send();

    assert_problem(ack(crew).await.unwrap(), 409, "own_handover").await;
    assert_problem(ack(viewer).await.unwrap(), 403, "forbidden").await;
    assert_problem(ack(&w.deckhand).await.unwrap(), 404, "not_found").await;
    assert_problem(ack(manager).await.unwrap(), 409, "not_on_vessel").await;
    app.clock.advance(Duration::hours(3));
    let (engineer, manager) = (&app.refreshed(engineer).await, &app.refreshed(manager).await);
    let done = ok_json(ack(engineer).await.unwrap(), 200).await;
    assert_eq!(done["acknowledged_by"], engineer.user_id.to_string());
    assert_eq!(time(&done["acknowledged_at"]), app.clock.now());
    on_rotation(&app, &w.fixture, w.vessel, manager).await;
    assert_problem(ack(manager).await.unwrap(), 409, "already_acknowledged").await;
    assert_problem(ack(engineer).await.unwrap(), 409, "already_acknowledged").await;

    let (viewer, owner) = (&app.refreshed(viewer).await, &app.refreshed(&w.fixture.owner).await);
    let stored = get(&app, viewer, &format!("/api/v1/handovers/{}", h.id)).await;
    assert_eq!(
        (stored["acknowledged_by"].as_str(), stored["version"].as_i64()),
        (done["acknowledged_by"].as_str(), done["version"].as_i64())
    );
    assert_eq!(
        stored["snapshot"].to_string(),
        h.snapshot.parse::<Value>().unwrap().to_string(),
        "acknowledging leaves the snapshot"
    );
    assert_eq!(
        audit_actions(&app, owner, "handover", &h.id.to_string()).await,
        ["handover.complete", "handover.acknowledge"]
    );
    let refused = all_items(&app, owner, &format!("/api/v1/audit?outcome=failure&actor={}", viewer.user_id)).await;
    assert_eq!(refused.iter().map(|e| e["action"].as_str().unwrap()).collect::<Vec<_>>(), ["handover.acknowledge"]);
    assert!(matches!(rx.try_recv(), Err(broadcast::error::TryRecvError::Empty)), "acknowledged through the other app");
}

async fn preparing_a_handover_takes_a_place_on_the_rotation(app: TestApp) {
    let w = acme(&app).await;
    let (owner, crew, viewer) = (&w.fixture.owner, &w.people[&Role::Crew], &w.people[&Role::Viewer]);
    let notes =
        |vessel: Uuid, item_notes: Value| json!({ "vessel_id": vessel, "notes": "x", "item_notes": item_notes });
    let complete_body = |vessel: Uuid| json!({ "vessel_id": vessel, "rotation_end": "2026-12-01" });

    // The owner sees the vessel but is not on it: nothing to hand over.
    assert_problem(app.as_(owner, Method::GET, &current(&w)).send().await.unwrap(), 409, "not_on_vessel").await;
    assert_problem(
        send(&app, owner, Method::PUT, "/api/v1/handovers/current/notes", notes(w.vessel, json!({}))).await,
        409,
        "not_on_vessel",
    )
    .await;
    assert_problem(
        send(&app, owner, Method::POST, "/api/v1/handovers/complete", complete_body(w.vessel)).await,
        409,
        "not_on_vessel",
    )
    .await;
    // A vessel the crew member is not on, or none at all, does not exist for them.
    for vessel in [w.other_vessel, Uuid::now_v7()] {
        let res =
            app.as_(crew, Method::GET, &format!("/api/v1/handovers/current?vessel_id={vessel}")).send().await.unwrap();
        assert_problem(res, 404, "not_found").await;
        assert_problem(
            send(&app, crew, Method::POST, "/api/v1/handovers/complete", complete_body(vessel)).await,
            404,
            "not_found",
        )
        .await;
    }
    // A viewer reads handovers but has none.
    assert_problem(app.as_(viewer, Method::GET, &current(&w)).send().await.unwrap(), 403, "forbidden").await;
    assert_problem(
        send(&app, viewer, Method::PUT, "/api/v1/handovers/current/notes", notes(w.vessel, json!({}))).await,
        403,
        "forbidden",
    )
    .await;
    // Notes are checked, and hang only off this vessel's own faults and orders.
    let pump = equipment_on(&app, w.fixture.company.id, w.vessel, "Notes pump").await;
    let fault = report(&app, crew, pump, "low", "Seal weeps").await;
    let fault = fault["id"].as_str().unwrap().to_owned();
    let elsewhere = equipment_on(&app, w.fixture.company.id, w.other_vessel, "Other pump").await;
    let theirs = report(&app, owner, elsewhere, "low", "Not on this vessel").await;
    let theirs = theirs["id"].as_str().unwrap().to_owned();
    for (item_notes, field, code) in [
        (json!({ "engine": "x" }), "item_notes", "invalid_key"),
        (json!({ "fault:42": "x" }), "item_notes", "invalid_key"),
        (json!({ format!("fault:{fault}"): "x".repeat(4001) }), "", "too_long"),
        (json!({ format!("fault:{}", Uuid::now_v7()): "x" }), "item_notes.fault:", "unknown_item"),
        (json!({ format!("fault:{theirs}"): "x" }), "item_notes.fault:", "unknown_item"),
        (json!({ format!("parts_order:{}", Uuid::now_v7()): "x" }), "item_notes.parts_order:", "unknown_item"),
    ] {
        let res = send(&app, crew, Method::PUT, "/api/v1/handovers/current/notes", notes(w.vessel, item_notes)).await;
        let body = assert_problem(res, 422, "validation_failed").await;
        assert!(body["errors"][0]["field"].as_str().unwrap().starts_with(field), "{body}");
        assert_eq!(body["errors"][0]["code"], code, "{body}");
    }
    let res = send(
        &app,
        crew,
        Method::PUT,
        "/api/v1/handovers/current/notes",
        json!({ "vessel_id": w.vessel, "notes": "n".repeat(20_001) }),
    )
    .await;
    assert_problem(res, 422, "validation_failed").await;
    let res = app.as_(crew, Method::GET, "/api/v1/handovers/current").send().await.unwrap();
    assert_problem(res, 400, "invalid_query").await;
    let res = send(
        &app,
        crew,
        Method::POST,
        "/api/v1/handovers/complete",
        json!({ "vessel_id": w.vessel, "rotation_end": "someday" }),
    )
    .await;
    assert_problem(res, 422, "validation_failed").await;
    assert_eq!(get(&app, crew, &current(&w)).await["notes"], "", "nothing was saved");

    // Crew read the history of their own vessels only.
    let mine = complete(&app, crew, w.vessel).await;
    on_rotation(&app, &w.fixture, w.other_vessel, owner).await;
    let elsewhere = complete(&app, owner, w.other_vessel).await;
    assert_eq!(ids(&all_items(&app, crew, "/api/v1/handovers/history").await), [mine["id"].as_str().unwrap()]);
    assert!(all_items(&app, crew, &format!("/api/v1/handovers/history?vessel_id={}", w.other_vessel)).await.is_empty());
    let res = app
        .as_(crew, Method::GET, &format!("/api/v1/handovers/{}", elsewhere["id"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
    let all = all_items(&app, owner, "/api/v1/handovers/history").await;
    assert_eq!(ids(&all), [elsewhere["id"].as_str().unwrap(), mine["id"].as_str().unwrap()]);
}

crate::on_both_backends!(
    the_current_handover_gathers_what_the_outgoing_person_leaves,
    a_completed_handover_is_a_snapshot_later_changes_leave_alone,
    only_the_incoming_person_acknowledges_and_only_once,
    preparing_a_handover_takes_a_place_on_the_rotation,
);
