//! Faults: reporting (offline, and the same report twice), the whole lifecycle and every move
//! outside it, assignment, comments, repair time and who sees it, the equipment a critical
//! fault takes down, filters, live events; each write on the audit trail. Also the fixtures
//! the parts, handover, permission and isolation tests share (equipment is made through the
//! store: its API is built elsewhere).

use std::sync::Arc;

use bosun_app::Actor;
use bosun_app::fleet::vessels::JoinRotation;
use bosun_app::maintenance::faults::{AcknowledgeFault, CommentFault, ReportFault, ResolveFault, SetFaultStatus};
use bosun_app::maintenance::handovers::CompleteHandover;
use bosun_app::maintenance::parts::OrderParts;
use bosun_app::realtime::{Hub, LiveEvent};
use bosun_domain::company::{Company, CompanySlug, MarkupBasisPoints};
use bosun_domain::equipment::{Area, Criticality, Equipment, EquipmentLevel, EquipmentStatus, MeterReading};
use bosun_domain::fault::FaultStatus;
use bosun_domain::fault::Severity;
use bosun_domain::person::Role;
use bosun_domain::{Clock, CompanyId, EquipmentId, FaultId, HandoverId, PartsOrderId, VesselId};
use bosun_http::AppState;
use bosun_server::config::Config;
use bosun_store::{Store, StoredReading};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use reqwest::{Method, Response};
use serde_json::{Value, json};
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::harness::{Fixture, Session, TestApp, assert_problem};
use crate::pagination::{all_items, page_through};
use crate::permissions::{Acme, acme};

// ---------------------------------------------------------------------------------------------
// Fixtures shared with parts.rs, handovers.rs, permissions.rs and isolation.rs.

/// Stores an item of equipment with `status` on `vessel` (straight through the store).
pub(crate) async fn equipment_with(
    app: &TestApp,
    company: CompanyId,
    vessel: Uuid,
    name: &str,
    status: EquipmentStatus,
) -> Uuid {
    let now = app.clock.now();
    let id = EquipmentId::new();
    let e = Equipment {
        id,
        company_id: company,
        vessel_id: VesselId(vessel),
        parent_id: None,
        level: EquipmentLevel::Equipment,
        area: Area::EngineRoom,
        name: name.into(),
        equipment_type: Some("diesel engine".into()),
        maker: None,
        model: None,
        serial_number: None,
        criticality: Criticality::High,
        status,
        specs: "{}".into(),
        qr_code: format!("QR-{}", id.0.simple()),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let mut tx = app.app.store.begin(Some(company)).await.expect("a transaction");
    tx.insert_equipment(&e).await.expect("equipment stored");
    tx.commit().await.expect("committed");
    id.0
}

/// Stores an operational item of equipment on `vessel`.
pub(crate) async fn equipment_on(app: &TestApp, company: CompanyId, vessel: Uuid, name: &str) -> Uuid {
    equipment_with(app, company, vessel, name, EquipmentStatus::Operational).await
}

/// Stores a running-hour reading (straight through the store).
pub(crate) async fn record_reading(
    app: &TestApp,
    company: CompanyId,
    equipment: Uuid,
    hours: f64,
    meter_replaced: bool,
    read_at: DateTime<Utc>,
) {
    let r = StoredReading {
        id: Uuid::now_v7(),
        equipment_id: EquipmentId(equipment),
        reading: MeterReading { hours, meter_replaced, read_at },
        recorded_by: None,
    };
    let mut tx = app.app.store.begin(Some(company)).await.expect("a transaction");
    tx.insert_reading(company, &r).await.expect("reading stored");
    tx.commit().await.expect("committed");
}

/// An actor for calling services directly as `who`.
pub(crate) fn actor(company: CompanyId, who: &Session, role: Role) -> Actor {
    Actor::system(company, who.user_id, role)
}

/// Registers a company with its own parts markup; its owner is signed in.
pub(crate) async fn company_with_markup(app: &TestApp, slug: &str, markup_bp: i64) -> Fixture {
    let slug = CompanySlug::parse("slug", slug).expect("a slug");
    let mut company =
        Company::new(bosun_domain::CompanyId::new(), slug.clone(), &format!("{slug} Marine"), app.clock.now())
            .expect("a company");
    company.parts_markup = MarkupBasisPoints(markup_bp);
    let mut tx = app.app.store.begin(Some(company.id)).await.expect("a transaction");
    tx.insert_company(&company).await.expect("company stored");
    tx.commit().await.expect("committed");
    let owner = app.person_in(&company, &format!("owner@{slug}.example"), Role::Owner).await;
    Fixture { company, owner }
}

/// Puts `who` on `vessel`'s rotation (from 30 days ago), as the company's owner.
pub(crate) async fn on_rotation(app: &TestApp, fixture: &Fixture, vessel: Uuid, who: &Session) {
    let start = (app.clock.now() - Duration::days(30)).date_naive();
    let input = JoinRotation {
        vessel_id: VesselId(vessel),
        user_id: Some(who.user_id),
        department_id: None,
        rotation_start: start,
        rotation_end: None,
    };
    app.app.mutate(&app.owner_actor(fixture), input).await.expect("on the rotation");
}

/// A fault on `vessel` of the Acme fleet, moved to `status` through the services by the owner.
pub(crate) async fn seeded_fault(app: &TestApp, w: &Acme, status: FaultStatus) -> FaultId {
    let company = w.fixture.company.id;
    let owner = app.owner_actor(&w.fixture);
    let equipment = equipment_on(app, company, w.vessel, "Ballast pump").await;
    let input = ReportFault {
        id: None,
        equipment_id: EquipmentId(equipment),
        severity: Severity::Medium,
        title: "Ballast pump leaks".into(),
        description: "Seal weeping at the shaft".into(),
        observed_at: None,
    };
    let a = &app.app;
    let id = a.mutate(&owner, input).await.expect("reported").entry.fault.id;
    use FaultStatus::*;
    if status == Open {
        return id;
    }
    a.mutate(&owner, AcknowledgeFault { fault_id: id }).await.expect("acknowledged");
    let move_to = |status| SetFaultStatus { fault_id: id, status };
    match status {
        InProgress | AwaitingParts => {
            a.mutate(&owner, move_to(InProgress)).await.expect("in progress");
            if status == AwaitingParts {
                a.mutate(&owner, move_to(AwaitingParts)).await.expect("awaiting parts");
            }
        }
        Resolved | Closed => {
            let resolve =
                ResolveFault { fault_id: id, root_cause: "Worn seal".into(), resolution: "Seal renewed".into() };
            a.mutate(&owner, resolve).await.expect("resolved");
            if status == Closed {
                a.mutate(&owner, move_to(Closed)).await.expect("closed");
            }
        }
        Open | Acknowledged => {}
    }
    id
}

/// A requested parts order for a fresh fault of the Acme fleet.
pub(crate) async fn seeded_order(app: &TestApp, w: &Acme) -> PartsOrderId {
    let fault = seeded_fault(app, w, FaultStatus::Acknowledged).await;
    let input = OrderParts {
        fault_id: fault,
        id: None,
        part_name: "Mechanical seal".into(),
        part_number: Some("MS-45".into()),
        quantity: 2,
        supplier: "Seal & Co".into(),
        supplier_unit_price_minor: 12_500,
        currency: "EUR".into(),
    };
    // Asked by the engineer, so that every role that manages orders may approve it.
    let engineer = actor(w.fixture.company.id, &w.people[&Role::Engineer], Role::Engineer);
    app.app.mutate(&engineer, input).await.expect("ordered").order.id
}

/// A handover of the Acme vessel completed by the deckhand (put on its rotation for it).
pub(crate) async fn seeded_handover(app: &TestApp, w: &Acme) -> HandoverId {
    on_rotation(app, &w.fixture, w.vessel, &w.deckhand).await;
    let deckhand = actor(w.fixture.company.id, &w.deckhand, Role::Crew);
    let end = NaiveDate::from_ymd_opt(2026, 3, 1).expect("a date");
    let complete = CompleteHandover { vessel_id: VesselId(w.vessel), rotation_end: end };
    app.app.mutate(&deckhand, complete).await.expect("completed").id
}

/// A second app over the same database whose live events the test receives.
pub(crate) async fn listening_app(app: &TestApp) -> (AppState, broadcast::Receiver<LiveEvent>) {
    let store: Arc<dyn Store> = Arc::new(app.db.open().await);
    let hub = Hub::new();
    let rx = hub.subscribe();
    let clock: Arc<dyn Clock> = app.clock.clone();
    let other =
        bosun_server::wiring::build_with_events(Config::default(), store, clock, hub).await.expect("the app builds");
    (other, rx)
}

pub(crate) async fn send(app: &TestApp, who: &Session, method: Method, path: &str, body: Value) -> Response {
    app.as_(who, method, path).json(&body).send().await.expect("request")
}

pub(crate) async fn ok_json(res: Response, status: u16) -> Value {
    let code = res.status().as_u16();
    let url = res.url().clone();
    let body: Value = res.json().await.expect("a JSON body");
    assert_eq!(code, status, "{url}: {body}");
    body
}

pub(crate) async fn get(app: &TestApp, who: &Session, path: &str) -> Value {
    ok_json(app.as_(who, Method::GET, path).send().await.expect("request"), 200).await
}

/// Reports a fault through the API, asserting 201.
pub(crate) async fn report(app: &TestApp, who: &Session, equipment: Uuid, severity: &str, title: &str) -> Value {
    let body =
        json!({ "equipment_id": equipment, "severity": severity, "title": title, "description": "Seen on rounds" });
    ok_json(send(app, who, Method::POST, "/api/v1/faults", body).await, 201).await
}

/// Moves a fault through the API, answering the raw response.
pub(crate) async fn move_fault(app: &TestApp, who: &Session, id: &str, status: FaultStatus) -> Response {
    if status == FaultStatus::Resolved {
        let body = json!({ "root_cause": "Worn part", "resolution": "Part renewed" });
        send(app, who, Method::PUT, &format!("/api/v1/faults/{id}/resolve"), body).await
    } else {
        send(app, who, Method::POST, &format!("/api/v1/faults/{id}/status"), json!({ "status": status.as_str() })).await
    }
}

/// The actions of the successful audit entries on `entity` `id`, oldest first.
pub(crate) async fn audit_actions(app: &TestApp, owner: &Session, entity: &str, id: &str) -> Vec<String> {
    let mut trail =
        all_items(app, owner, &format!("/api/v1/audit?entity={entity}&entity_id={id}&outcome=success")).await;
    trail.reverse();
    trail
        .iter()
        .map(|e| {
            assert_eq!(e["outcome"], "success", "{e}");
            e["action"].as_str().unwrap().to_owned()
        })
        .collect()
}

pub(crate) fn time(v: &Value) -> DateTime<Utc> {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{v} is not a time"))
}

pub(crate) fn ids(items: &[Value]) -> Vec<String> {
    items.iter().map(|i| i["id"].as_str().unwrap().to_owned()).collect()
}

/// A fresh fault reported through the API by the manager and moved to `status`.
async fn fault_in(app: &TestApp, w: &Acme, equipment: Uuid, status: FaultStatus) -> Value {
    use FaultStatus::*;
    let manager = &w.people[&Role::Manager];
    let f = report(app, manager, equipment, "medium", &format!("Fault to be {status}")).await;
    let id = f["id"].as_str().unwrap().to_owned();
    let path: &[FaultStatus] = match status {
        Open => &[],
        Acknowledged => &[Acknowledged],
        InProgress => &[Acknowledged, InProgress],
        AwaitingParts => &[Acknowledged, InProgress, AwaitingParts],
        Resolved => &[Acknowledged, Resolved],
        Closed => &[Acknowledged, Resolved, Closed],
    };
    let mut last = f;
    for step in path {
        last = ok_json(move_fault(app, manager, &id, *step).await, 200).await;
    }
    assert_eq!(last["status"], status.as_str());
    last
}

// ---------------------------------------------------------------------------------------------

async fn a_fault_goes_through_its_whole_lifecycle(app: TestApp) {
    let w = acme(&app).await;
    let company = w.fixture.company.id;
    let (crew, engineer) = (&w.people[&Role::Crew], &w.people[&Role::Engineer]);
    let pump = equipment_on(&app, company, w.vessel, "Fire pump 1").await;
    let reported_at = app.clock.now();

    let f = report(&app, crew, pump, "high", "Fire pump 1 will not start").await;
    let id = f["id"].as_str().unwrap().to_owned();
    assert_eq!(f["status"], "open");
    assert_eq!(f["reported_by"], crew.user_id.to_string(), "the reporter is the caller");
    assert_eq!(f["vessel_id"], w.vessel.to_string(), "the vessel is the equipment's");
    assert_eq!(
        (f["equipment_name"].as_str(), f["equipment_status"].as_str()),
        (Some("Fire pump 1"), Some("operational"))
    );
    assert_eq!((time(&f["observed_at"]), time(&f["received_at"])), (reported_at, reported_at));
    let mut version = f["version"].as_i64().unwrap();
    let mut step = |v: &Value, status: &str| {
        assert_eq!(v["status"], status, "{v}");
        let next = v["version"].as_i64().unwrap();
        assert!(next > version, "the version moves on at {status}");
        version = next;
    };

    let path = format!("/api/v1/faults/{id}");
    let v = ok_json(send(&app, engineer, Method::POST, &format!("{path}/acknowledge"), json!({})).await, 200).await;
    step(&v, "acknowledged");
    assert_eq!(time(&v["acknowledged_at"]), reported_at);
    let v = ok_json(
        send(&app, engineer, Method::POST, &format!("{path}/assign"), json!({ "assignee_id": crew.user_id })).await,
        200,
    )
    .await;
    assert_eq!(v["assignee_id"], crew.user_id.to_string());
    step(&v, "acknowledged");
    for status in [FaultStatus::InProgress, FaultStatus::AwaitingParts, FaultStatus::InProgress] {
        let v = ok_json(move_fault(&app, engineer, &id, status).await, 200).await;
        step(&v, status.as_str());
    }
    app.clock.advance(Duration::minutes(90));
    let engineer = &app.refreshed(engineer).await;
    let v = ok_json(
        send(
            &app,
            engineer,
            Method::PUT,
            &format!("{path}/resolve"),
            json!({ "root_cause": "Flat starter battery", "resolution": "Battery renewed,\ntested twice" }),
        )
        .await,
        200,
    )
    .await;
    step(&v, "resolved");
    assert_eq!(v["resolved_by"], engineer.user_id.to_string());
    assert_eq!(
        (v["root_cause"].as_str(), v["resolution"].as_str()),
        (Some("Flat starter battery"), Some("Battery renewed,\ntested twice"))
    );
    assert_eq!(v["repair_seconds"], 90 * 60, "from the report to the resolution");
    let active = all_items(&app, engineer, "/api/v1/faults/active").await;
    assert!(!ids(&active).contains(&id), "a resolved fault is no longer active");

    let v = ok_json(move_fault(&app, engineer, &id, FaultStatus::Closed).await, 200).await;
    step(&v, "closed");
    assert_eq!(time(&v["closed_at"]), reported_at + Duration::minutes(90));

    // Reopened: not repaired any more, to be acknowledged again.
    let v = ok_json(move_fault(&app, engineer, &id, FaultStatus::Open).await, 200).await;
    step(&v, "open");
    for field in
        ["acknowledged_at", "resolved_at", "resolved_by", "root_cause", "resolution", "repair_seconds", "closed_at"]
    {
        assert_eq!(v[field], Value::Null, "{field} after reopening: {v}");
    }
    assert_eq!(v["assignee_id"], crew.user_id.to_string(), "the assignee stays");
    assert!(ids(&all_items(&app, engineer, "/api/v1/faults/active").await).contains(&id));
    app.clock.advance(Duration::minutes(30));
    let engineer = &app.refreshed(engineer).await;
    let v = ok_json(move_fault(&app, engineer, &id, FaultStatus::Acknowledged).await, 200).await;
    step(&v, "acknowledged");
    let v = ok_json(move_fault(&app, engineer, &id, FaultStatus::Resolved).await, 200).await;
    step(&v, "resolved");
    assert_eq!(v["repair_seconds"], 120 * 60, "a reopened fault counts from its original report");

    let detail = get(&app, engineer, &path).await;
    assert_eq!(detail["version"], version);
    assert_eq!(detail["status"], "resolved");
    let owner = &app.refreshed(&w.fixture.owner).await;
    assert_eq!(
        audit_actions(&app, owner, "fault", &id).await,
        [
            "fault.report",
            "fault.acknowledge",
            "fault.assign",
            "fault.status",
            "fault.status",
            "fault.status",
            "fault.resolve",
            "fault.close",
            "fault.reopen",
            "fault.acknowledge",
            "fault.resolve",
        ]
    );
    let trail = all_items(&app, owner, &format!("/api/v1/audit?entity=fault&entity_id={id}")).await;
    let first_resolve = trail.iter().rev().find(|e| e["action"] == "fault.resolve").unwrap();
    assert_eq!(
        (first_resolve["before"]["status"].as_str(), first_resolve["after"]["status"].as_str()),
        (Some("in_progress"), Some("resolved"))
    );
    assert_eq!(first_resolve["actor_id"], engineer.user_id.to_string());
}

async fn every_move_outside_the_lifecycle_is_refused_with_its_code(app: TestApp) {
    use FaultStatus::*;
    let w = acme(&app).await;
    let manager = &w.people[&Role::Manager];
    let pump = equipment_on(&app, w.fixture.company.id, w.vessel, "Bilge pump").await;
    let allowed = [
        (Open, Acknowledged),
        (Acknowledged, InProgress),
        (Acknowledged, Resolved),
        (InProgress, AwaitingParts),
        (InProgress, Resolved),
        (AwaitingParts, InProgress),
        (AwaitingParts, Resolved),
        (Resolved, Closed),
        (Resolved, Open),
        (Closed, Open),
    ];
    let mut wrong = Vec::new();
    for &from in FaultStatus::ALL {
        for &to in FaultStatus::ALL {
            let f = fault_in(&app, &w, pump, from).await;
            let id = f["id"].as_str().unwrap();
            let res = move_fault(&app, manager, id, to).await;
            let status = res.status().as_u16();
            let body: Value = res.json().await.unwrap();
            if allowed.contains(&(from, to)) {
                if status != 200 || body["status"] != to.as_str() {
                    wrong.push(format!("{from} → {to}: expected 200, got {status} {body}"));
                }
                continue;
            }
            let code = if from == Open && matches!(to, InProgress | AwaitingParts | Resolved) {
                "fault_not_acknowledged"
            } else {
                "invalid_transition"
            };
            if status != 409 || body["code"] != code {
                wrong.push(format!("{from} → {to}: expected 409 {code}, got {status} {body}"));
            }
            let after = get(&app, manager, &format!("/api/v1/faults/{id}")).await;
            if (&after["status"], &after["version"]) != (&f["status"], &f["version"]) {
                wrong.push(format!("{from} → {to}: the refused move changed the fault: {after}"));
            }
        }
        // The acknowledge route is the move to acknowledged, with the same rules.
        let f = fault_in(&app, &w, pump, from).await;
        let res = send(
            &app,
            manager,
            Method::POST,
            &format!("/api/v1/faults/{}/acknowledge", f["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
        let expected = if from == Open { 200 } else { 409 };
        if res.status().as_u16() != expected {
            wrong.push(format!("acknowledge from {from}: expected {expected}, got {}", res.status()));
        } else if expected == 409 {
            assert_problem(res, 409, "invalid_transition").await;
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // Resolving needs its own route; unknown statuses are named.
    let f = fault_in(&app, &w, pump, InProgress).await;
    let id = f["id"].as_str().unwrap();
    let path = format!("/api/v1/faults/{id}/status");
    let body = assert_problem(
        send(&app, manager, Method::POST, &path, json!({ "status": "resolved" })).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        (&body["errors"][0]["field"], &body["errors"][0]["code"]),
        (&json!("status"), &json!("resolve_separately"))
    );
    let body = assert_problem(
        send(&app, manager, Method::POST, &path, json!({ "status": "fixed" })).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["code"], "unknown_value");
    // A resolution needs both texts.
    let res = send(
        &app,
        manager,
        Method::PUT,
        &format!("/api/v1/faults/{id}/resolve"),
        json!({ "root_cause": " ", "resolution": "" }),
    )
    .await;
    let body = assert_problem(res, 422, "validation_failed").await;
    let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["root_cause", "resolution"]);
    let after = get(&app, manager, &format!("/api/v1/faults/{id}")).await;
    assert_eq!((&after["status"], &after["version"]), (&f["status"], &f["version"]), "nothing half-written");
}

async fn an_offline_report_counts_repair_time_from_when_it_was_observed(app: TestApp) {
    let w = acme(&app).await;
    let (crew, engineer) = (&w.people[&Role::Crew], &w.people[&Role::Engineer]);
    let genset = equipment_on(&app, w.fixture.company.id, w.vessel, "Generator 2").await;
    let now = app.clock.now();
    let observed = now - Duration::hours(3);
    let body = json!({
        "equipment_id": genset, "severity": "medium", "title": "Exhaust temperature high",
        "description": "Cyl 3 at 460 °C", "observed_at": observed.to_rfc3339(),
    });
    let f = ok_json(send(&app, crew, Method::POST, "/api/v1/faults", body.clone()).await, 201).await;
    assert_eq!((time(&f["observed_at"]), time(&f["received_at"])), (observed, now), "observed before it was received");
    let id = f["id"].as_str().unwrap();
    ok_json(move_fault(&app, engineer, id, FaultStatus::Acknowledged).await, 200).await;
    app.clock.advance(Duration::hours(1));
    let engineer = &app.refreshed(engineer).await;
    let crew = &app.refreshed(crew).await;
    let v = ok_json(move_fault(&app, engineer, id, FaultStatus::Resolved).await, 200).await;
    assert_eq!(v["repair_seconds"], 4 * 3600, "three hours unreported plus one being repaired");

    // Observed times are bounded: a few minutes of clock skew, at most a year back.
    let now = app.clock.now();
    let at = |t: DateTime<Utc>| json!({ "equipment_id": genset, "severity": "low", "title": "Lamp out", "observed_at": t.to_rfc3339() });
    for (t, code) in [(now + Duration::hours(1), "in_the_future"), (now - Duration::days(400), "too_old")] {
        let body =
            assert_problem(send(&app, crew, Method::POST, "/api/v1/faults", at(t)).await, 422, "validation_failed")
                .await;
        assert_eq!((&body["errors"][0]["field"], &body["errors"][0]["code"]), (&json!("observed_at"), &json!(code)));
    }
    let skewed =
        ok_json(send(&app, crew, Method::POST, "/api/v1/faults", at(now + Duration::minutes(2))).await, 201).await;
    assert_eq!(time(&skewed["observed_at"]), now + Duration::minutes(2));
}

async fn reporting_again_with_the_same_id_is_the_same_fault(app: TestApp) {
    let w = acme(&app).await;
    let (crew, engineer) = (&w.people[&Role::Crew], &w.people[&Role::Engineer]);
    let winch = equipment_on(&app, w.fixture.company.id, w.vessel, "Anchor winch").await;
    let id = Uuid::now_v7();
    let body = json!({
        "id": id, "equipment_id": winch, "severity": "high", "title": "Winch brake slipping",
        "description": "Slips under load", "observed_at": (app.clock.now() - Duration::minutes(40)).to_rfc3339(),
    });
    let first = ok_json(send(&app, crew, Method::POST, "/api/v1/faults", body.clone()).await, 201).await;
    assert_eq!(first["id"], id.to_string());
    // The phone did not hear the answer and sends the same report again, later.
    app.clock.advance(Duration::minutes(5));
    let again = ok_json(send(&app, crew, Method::POST, "/api/v1/faults", body.clone()).await, 200).await;
    assert_eq!(again, first, "the stored fault, unchanged");
    let mut without_time = body.clone();
    without_time.as_object_mut().unwrap().remove("observed_at");
    assert_eq!(ok_json(send(&app, crew, Method::POST, "/api/v1/faults", without_time).await, 200).await, first);

    // The same id with other content, or from someone else, is a conflict.
    let mut other = body.clone();
    other["title"] = json!("Winch brake slipping badly");
    assert_problem(send(&app, crew, Method::POST, "/api/v1/faults", other).await, 409, "id_taken").await;
    let mut other = body.clone();
    other["observed_at"] = json!((app.clock.now() - Duration::minutes(10)).to_rfc3339());
    assert_problem(send(&app, crew, Method::POST, "/api/v1/faults", other).await, 409, "id_taken").await;
    assert_problem(send(&app, engineer, Method::POST, "/api/v1/faults", body.clone()).await, 409, "id_taken").await;

    let active = all_items(&app, crew, "/api/v1/faults/active").await;
    assert_eq!(ids(&active), [id.to_string()], "one fault");

    // A double tap sends the same report twice at once: one fault, one 201 and one 200.
    for _ in 0..5 {
        let mut twice = body.clone();
        twice["id"] = json!(Uuid::now_v7());
        let (a, b) = tokio::join!(
            send(&app, crew, Method::POST, "/api/v1/faults", twice.clone()),
            send(&app, crew, Method::POST, "/api/v1/faults", twice.clone())
        );
        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 201]);
        let (a, b): (Value, Value) = (a.json().await.unwrap(), b.json().await.unwrap());
        assert_eq!(a, b);
        ok_json(move_fault(&app, engineer, twice["id"].as_str().unwrap(), FaultStatus::Acknowledged).await, 200).await;
        ok_json(move_fault(&app, engineer, twice["id"].as_str().unwrap(), FaultStatus::Resolved).await, 200).await;
    }
    assert_eq!(get(&app, crew, &format!("/api/v1/faults/{id}")).await["title"], "Winch brake slipping");
    assert_eq!(audit_actions(&app, &w.fixture.owner, "fault", &id.to_string()).await, ["fault.report"]);
}

async fn reports_are_checked_before_anything_is_stored(app: TestApp) {
    let w = acme(&app).await;
    let crew = &w.people[&Role::Crew];
    let company = w.fixture.company.id;
    let mine = equipment_on(&app, company, w.vessel, "Steering gear").await;
    let elsewhere = equipment_on(&app, company, w.other_vessel, "Crane").await;
    let scrapped = equipment_with(&app, company, w.vessel, "Old compressor", EquipmentStatus::Decommissioned).await;
    let post = |body: Value| send(&app, crew, Method::POST, "/api/v1/faults", body);

    let body = assert_problem(
        post(json!({ "equipment_id": mine, "severity": "urgent", "title": " " })).await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["severity", "title"]);
    // Equipment on a vessel the crew member is not on is as unknown as made-up equipment.
    let hidden = assert_problem(
        post(json!({ "equipment_id": elsewhere, "severity": "low", "title": "x" })).await,
        422,
        "validation_failed",
    )
    .await;
    let made_up = assert_problem(
        post(json!({ "equipment_id": Uuid::now_v7(), "severity": "low", "title": "x" })).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(hidden, made_up);
    assert_eq!(hidden["errors"][0]["code"], "unknown_equipment");
    // A decommissioned item takes no faults.
    assert_problem(
        post(json!({ "equipment_id": scrapped, "severity": "low", "title": "Rusty" })).await,
        409,
        "equipment_decommissioned",
    )
    .await;
    // Unknown fields (a reporter or a vessel of one's choosing) are refused.
    let body = assert_problem(
        post(json!({ "equipment_id": mine, "severity": "low", "title": "x", "reported_by": w.fixture.owner.user_id }))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["code"], "unknown_field");
    // A viewer reads but does not report, and the refusal is on the audit trail.
    let viewer = &w.people[&Role::Viewer];
    let res = send(
        &app,
        viewer,
        Method::POST,
        "/api/v1/faults",
        json!({ "equipment_id": mine, "severity": "low", "title": "x" }),
    )
    .await;
    assert_problem(res, 403, "forbidden").await;
    let refused =
        all_items(&app, &w.fixture.owner, &format!("/api/v1/audit?outcome=failure&actor={}", viewer.user_id)).await;
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0]["action"], "fault.report");

    assert!(
        all_items(
            &app,
            &w.fixture.owner,
            "/api/v1/faults/active?status=open,acknowledged,in_progress,awaiting_parts,resolved,closed"
        )
        .await
        .is_empty()
    );
    assert!(all_items(&app, &w.fixture.owner, "/api/v1/audit?action=fault.report&outcome=success").await.is_empty());
}

async fn comments_are_kept_in_order_and_never_edited(app: TestApp) {
    let w = acme(&app).await;
    let (crew, engineer, viewer) = (&w.people[&Role::Crew], &w.people[&Role::Engineer], &w.people[&Role::Viewer]);
    let pump = equipment_on(&app, w.fixture.company.id, w.vessel, "Fuel transfer pump").await;
    let f = report(&app, crew, pump, "medium", "Fuel transfer pump noisy").await;
    let path = format!("/api/v1/faults/{}/comments", f["id"].as_str().unwrap());
    let said = [
        (crew, "Noise started after bunkering"),
        (engineer, "Checked the coupling.\nRubber elements worn."),
        (crew, "Spare elements in store 3"),
    ];
    let mut posted = Vec::new();
    for (who, text) in said {
        let c = ok_json(send(&app, who, Method::POST, &path, json!({ "body": text })).await, 201).await;
        assert_eq!((c["author_id"].as_str(), c["body"].as_str()), (Some(&*who.user_id.to_string()), Some(text)));
        posted.push(c);
    }
    let detail = get(&app, viewer, &format!("/api/v1/faults/{}", f["id"].as_str().unwrap())).await;
    assert_eq!(detail["comments"], Value::Array(posted.clone()), "oldest first, as written");

    assert_problem(send(&app, crew, Method::POST, &path, json!({ "body": "  " })).await, 422, "validation_failed")
        .await;
    assert_problem(send(&app, viewer, Method::POST, &path, json!({ "body": "Me too" })).await, 403, "forbidden").await;
    // There is no way to change or remove a comment.
    for method in [Method::PUT, Method::PATCH, Method::DELETE] {
        let res = send(&app, crew, method.clone(), &path, json!({ "body": "edited" })).await;
        assert_problem(res, 405, "method_not_allowed").await;
        let res = send(
            &app,
            crew,
            method,
            &format!("{path}/{}", posted[0]["id"].as_str().unwrap()),
            json!({ "body": "edited" }),
        )
        .await;
        assert_eq!(res.status(), 404);
    }
    let detail = get(&app, viewer, &format!("/api/v1/faults/{}", f["id"].as_str().unwrap())).await;
    assert_eq!(detail["comments"], Value::Array(posted.clone()));
    for c in &posted {
        assert_eq!(
            audit_actions(&app, &w.fixture.owner, "fault_comment", c["id"].as_str().unwrap()).await,
            ["fault.comment"]
        );
    }
}

async fn repair_time_is_hidden_from_crew_and_viewers(app: TestApp) {
    let w = acme(&app).await;
    let id = seeded_fault(&app, &w, FaultStatus::Resolved).await;
    let open = seeded_fault(&app, &w, FaultStatus::Open).await;
    for (role, who) in &w.people {
        let shown = !matches!(role, Role::Crew | Role::Viewer);
        let detail = get(&app, who, &format!("/api/v1/faults/{id}")).await;
        assert_eq!(detail.get("repair_seconds").is_some(), shown, "{role}: {detail}");
        if shown {
            assert!(detail["repair_seconds"].is_i64(), "{role}: {detail}");
            let unresolved = get(&app, who, &format!("/api/v1/faults/{open}")).await;
            assert_eq!(unresolved.get("repair_seconds"), Some(&Value::Null), "{role} sees no time yet");
        }
        for item in all_items(&app, who, "/api/v1/faults/active?status=resolved,open").await {
            assert_eq!(item.get("repair_seconds").is_some(), shown, "{role} in the list: {item}");
        }
    }
    // Nor does a crew member's own write show it.
    let crew = &w.people[&Role::Crew];
    let pump = equipment_on(&app, w.fixture.company.id, w.vessel, "Sewage pump").await;
    let f = report(&app, crew, pump, "low", "Sewage pump tripping").await;
    assert!(f.get("repair_seconds").is_none(), "{f}");
}

async fn a_critical_fault_marks_its_equipment_down_until_resolved(app: TestApp) {
    let w = acme(&app).await;
    let company = w.fixture.company.id;
    let (crew, engineer) = (&w.people[&Role::Crew], &w.people[&Role::Engineer]);
    let me1 = equipment_on(&app, company, w.vessel, "Main engine 1").await;
    let thruster = equipment_with(&app, company, w.vessel, "Bow thruster", EquipmentStatus::Degraded).await;

    let minor = report(&app, crew, me1, "low", "Oil mist detector alarm test due").await;
    assert_eq!(minor["equipment_status"], "operational");
    let critical = report(&app, crew, me1, "critical", "Main engine 1 crankcase pressure").await;
    assert_eq!(critical["equipment_status"], "down");
    let minor_path = format!("/api/v1/faults/{}", minor["id"].as_str().unwrap());
    assert_eq!(
        get(&app, crew, &minor_path).await["equipment_status"],
        "down",
        "the item is down for every fault on it"
    );
    let t = report(&app, crew, thruster, "high", "Thruster pitch hunting").await;
    assert_eq!(t["equipment_status"], "degraded", "a high fault leaves the recorded status");

    let id = critical["id"].as_str().unwrap();
    for status in [FaultStatus::Acknowledged, FaultStatus::InProgress, FaultStatus::AwaitingParts] {
        let v = ok_json(move_fault(&app, engineer, id, status).await, 200).await;
        assert_eq!(v["equipment_status"], "down", "still down while {status}");
    }
    let v = ok_json(move_fault(&app, engineer, id, FaultStatus::Resolved).await, 200).await;
    assert_eq!(v["equipment_status"], "operational", "up again once resolved");
    assert_eq!(get(&app, crew, &minor_path).await["equipment_status"], "operational");
    let v = ok_json(move_fault(&app, engineer, id, FaultStatus::Open).await, 200).await;
    assert_eq!(v["equipment_status"], "down", "reopened, down again");
}

async fn active_faults_are_filtered_and_paged(app: TestApp) {
    let w = acme(&app).await;
    let company = w.fixture.company.id;
    let (owner, crew, engineer) = (&w.fixture.owner, &w.people[&Role::Crew], &w.people[&Role::Engineer]);
    let e1 = equipment_on(&app, company, w.vessel, "Purifier 1").await;
    let e2 = equipment_on(&app, company, w.vessel, "Purifier 2").await;
    let e3 = equipment_on(&app, company, w.other_vessel, "Deck crane").await;
    let id = |v: &Value| v["id"].as_str().unwrap().to_owned();
    let f1 = id(&report(&app, owner, e1, "low", "f1").await);
    let f2 = id(&report(&app, owner, e1, "critical", "f2").await);
    ok_json(move_fault(&app, owner, &f2, FaultStatus::Acknowledged).await, 200).await;
    ok_json(
        send(
            &app,
            owner,
            Method::POST,
            &format!("/api/v1/faults/{f2}/assign"),
            json!({ "assignee_id": engineer.user_id }),
        )
        .await,
        200,
    )
    .await;
    let f3 = id(&report(&app, owner, e2, "high", "f3").await);
    ok_json(move_fault(&app, owner, &f3, FaultStatus::Acknowledged).await, 200).await;
    ok_json(move_fault(&app, owner, &f3, FaultStatus::InProgress).await, 200).await;
    let f4 = id(&report(&app, owner, e2, "medium", "f4").await);
    ok_json(move_fault(&app, owner, &f4, FaultStatus::Acknowledged).await, 200).await;
    ok_json(move_fault(&app, owner, &f4, FaultStatus::Resolved).await, 200).await;
    let f5 = id(&report(&app, owner, e3, "high", "f5").await);

    let list = |who: &Session, q: &str| {
        let app = &app;
        let path = format!("/api/v1/faults/active{q}");
        let who = who.clone();
        async move { ids(&all_items(app, &who, &path).await) }
    };
    assert_eq!(list(owner, "").await, [f5.as_str(), f3.as_str(), f2.as_str(), f1.as_str()], "unresolved, newest first");
    assert_eq!(list(owner, &format!("?vessel_id={}", w.vessel)).await, [f3.as_str(), f2.as_str(), f1.as_str()]);
    assert_eq!(list(owner, &format!("?equipment_id={e1}")).await, [f2.as_str(), f1.as_str()]);
    assert_eq!(list(owner, "?severity=high,critical").await, [f5.as_str(), f3.as_str(), f2.as_str()]);
    assert_eq!(list(owner, "?status=resolved").await, [f4.as_str()]);
    assert_eq!(list(owner, "?status=open,in_progress").await, [f5.as_str(), f3.as_str(), f1.as_str()]);
    assert_eq!(list(owner, &format!("?assignee_id={}", engineer.user_id)).await, [f2.as_str()]);
    assert_eq!(list(owner, &format!("?vessel_id={}&severity=high", w.vessel)).await, [f3.as_str()]);
    // Crew see their vessel's faults only, whatever they ask for.
    assert_eq!(list(crew, "").await, [f3.as_str(), f2.as_str(), f1.as_str()]);
    assert!(list(crew, &format!("?vessel_id={}", w.other_vessel)).await.is_empty());
    assert!(list(crew, &format!("?equipment_id={e3}")).await.is_empty());
    let res = app.as_(crew, Method::GET, &format!("/api/v1/faults/{f5}")).send().await.unwrap();
    assert_problem(res, 404, "not_found").await;
    let res = send(&app, engineer, Method::POST, &format!("/api/v1/faults/{f5}/acknowledge"), json!({})).await;
    assert_problem(res, 404, "not_found").await;

    let pages = page_through(&app, owner, "/api/v1/faults/active", 1).await;
    let paged: Vec<String> = pages.iter().flatten().map(id).collect();
    assert_eq!(paged, [f5.as_str(), f3.as_str(), f2.as_str(), f1.as_str()], "each once, in order, across pages");
    for (q, field) in [("?status=fixed", "status"), ("?severity=urgent", "severity")] {
        let res = app.as_(owner, Method::GET, &format!("/api/v1/faults/active{q}")).send().await.unwrap();
        let body = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(body["errors"][0]["field"], field);
    }
    let res = app.as_(owner, Method::GET, "/api/v1/faults/active?reporter=me").send().await.unwrap();
    assert_problem(res, 400, "invalid_query").await;
}

async fn a_fault_is_assigned_to_someone_who_can_see_its_vessel(app: TestApp) {
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let id = seeded_fault(&app, &w, FaultStatus::Acknowledged).await;
    let path = format!("/api/v1/faults/{id}/assign");
    let assign = |who: Uuid| send(&app, engineer, Method::POST, &path, json!({ "assignee_id": who }));

    // The deckhand is crew but not on this vessel; a person of another company is nobody here.
    let body = assert_problem(assign(w.deckhand.user_id.0).await, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["code"], "not_on_vessel");
    let stranger = app.with_company("bravo").await;
    let named = assert_problem(assign(stranger.owner.user_id.0).await, 422, "validation_failed").await;
    let made_up = assert_problem(assign(Uuid::now_v7()).await, 422, "validation_failed").await;
    assert_eq!(named, made_up);
    assert_eq!(named["errors"][0]["code"], "unknown_person");
    // A manager sees every vessel; crew on the vessel may hold it too.
    let manager = &w.people[&Role::Manager];
    assert_eq!(ok_json(assign(manager.user_id.0).await, 200).await["assignee_id"], manager.user_id.to_string());
    let crew = &w.people[&Role::Crew];
    assert_eq!(ok_json(assign(crew.user_id.0).await, 200).await["assignee_id"], crew.user_id.to_string());
    // Crew may not assign.
    let res = send(&app, crew, Method::POST, &path, json!({ "assignee_id": crew.user_id })).await;
    assert_problem(res, 403, "forbidden").await;
    // A resolved fault is not handed out.
    let done = seeded_fault(&app, &w, FaultStatus::Resolved).await;
    let res = send(
        &app,
        engineer,
        Method::POST,
        &format!("/api/v1/faults/{done}/assign"),
        json!({ "assignee_id": crew.user_id }),
    )
    .await;
    assert_problem(res, 409, "fault_resolved").await;
    assert_eq!(
        audit_actions(&app, &w.fixture.owner, "fault", &id.to_string())
            .await
            .iter()
            .filter(|a| *a == "fault.assign")
            .count(),
        2
    );
}

async fn fault_changes_are_published_after_commit(app: TestApp) {
    let w = acme(&app).await;
    let (other, mut rx) = listening_app(&app).await;
    let company = w.fixture.company.id;
    let engineer = actor(company, &w.people[&Role::Engineer], Role::Engineer);
    let crew = actor(company, &w.people[&Role::Crew], Role::Crew);
    let pump = equipment_on(&app, company, w.vessel, "Cooling water pump").await;
    let input = ReportFault {
        id: None,
        equipment_id: EquipmentId(pump),
        severity: Severity::Critical,
        title: "CW pump seized".into(),
        description: String::new(),
        observed_at: None,
    };
    let f = other.mutate(&crew, input.clone()).await.unwrap().entry.fault;
    let e = rx.try_recv().expect("an event for the report");
    assert_eq!(
        (e.kind.as_str(), e.company_id, e.vessel_id, e.entity_id),
        ("fault.reported", company, Some(VesselId(w.vessel)), f.id.0)
    );
    assert_eq!(
        e.summary,
        json!({ "id": f.id, "title": "CW pump seized", "severity": "critical", "status": "open", "vessel_id": w.vessel })
    );
    other.mutate(&engineer, AcknowledgeFault { fault_id: f.id }).await.unwrap();
    let e = rx.try_recv().expect("an event for the change");
    assert_eq!((e.kind.as_str(), e.summary["status"].as_str()), ("fault.changed", Some("acknowledged")));
    other.mutate(&crew, CommentFault { fault_id: f.id, body: "Pump casing hot".into() }).await.unwrap();
    assert_eq!(rx.try_recv().expect("an event for the comment").kind, "fault.changed");

    // Refused or failed writes tell nobody anything.
    assert!(other.mutate(&crew, AcknowledgeFault { fault_id: f.id }).await.is_err());
    assert!(other.mutate(&engineer, AcknowledgeFault { fault_id: f.id }).await.is_err());
    assert!(other.mutate(&crew, ReportFault { id: None, title: " ".into(), ..input }).await.is_err());
    assert!(matches!(rx.try_recv(), Err(broadcast::error::TryRecvError::Empty)));
}

crate::on_both_backends!(
    a_fault_goes_through_its_whole_lifecycle,
    every_move_outside_the_lifecycle_is_refused_with_its_code,
    an_offline_report_counts_repair_time_from_when_it_was_observed,
    reporting_again_with_the_same_id_is_the_same_fault,
    reports_are_checked_before_anything_is_stored,
    comments_are_kept_in_order_and_never_edited,
    repair_time_is_hidden_from_crew_and_viewers,
    a_critical_fault_marks_its_equipment_down_until_resolved,
    active_faults_are_filtered_and_paged,
    a_fault_is_assigned_to_someone_who_can_see_its_vessel,
    fault_changes_are_published_after_commit,
);
