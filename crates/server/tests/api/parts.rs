//! Parts orders: customer prices with the company's markup and its rounding, the prices each
//! role sees, the order lifecycle, what ordering does to the fault, filters, live events; each
//! write on the audit trail. Since ADR 0007 §7 a parts order is a requisition of the
//! purchasing flow read in the old shape: these tests hold the old routes and mutators to
//! their old answers, and check the rows they write in the new flow.

use bosun_app::maintenance::parts::{OrderParts, SetPartsOrderStatus};
use bosun_domain::fault::{Fault, FaultStatus};
use bosun_domain::parts::PartsOrderStatus;
use bosun_domain::person::Role;
use bosun_domain::purchasing::supplier_key;
use bosun_domain::{PartsOrderId, VesselId};
use bosun_store::Change;
use reqwest::Method;
use serde_json::{Value, json};
use sqlx::Connection;
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::faults::{
    actor, audit_actions, company_with_markup, equipment_on, get, ids, listening_app, ok_json, report, seeded_fault,
    seeded_order, send,
};
use crate::harness::{Backend, Session, TestApp, assert_problem};
use crate::pagination::{all_items, page_through};
use crate::permissions::acme;
use crate::records::resolved;

fn order_body(supplier_minor: i64, quantity: i64) -> Value {
    json!({
        "part_name": "Fuel injector", "part_number": "FI-3208", "quantity": quantity,
        "supplier": "Marine Diesel Parts Ltd", "supplier_unit_price_minor": supplier_minor, "currency": "EUR",
    })
}

async fn order(app: &TestApp, who: &Session, fault: &str, body: Value) -> Value {
    ok_json(send(app, who, Method::POST, &format!("/api/v1/faults/{fault}/order-parts"), body).await, 201).await
}

async fn customer_prices_carry_the_companys_markup_rounded_to_whole_minor_units(app: TestApp) {
    // 15 %: 333 × 1.15 = 382.95 → 383; 2 × 1.15 = 2.30 → 2; 10 × 1.15 = 11.50 → 12 (half away from zero).
    let f = company_with_markup(&app, "kestrel", 1500).await;
    let owner = &f.owner;
    let vessel = ok_json(
        send(&app, owner, Method::POST, "/api/v1/vessels", json!({ "kind": "vessel", "name": "Kestrel" })).await,
        201,
    )
    .await;
    let vessel = vessel["id"].as_str().unwrap().parse::<Uuid>().unwrap();
    let pump = equipment_on(&app, f.company.id, vessel, "Lube oil pump").await;
    let fault = report(&app, owner, pump, "high", "Lube oil pressure low").await;
    let fault = fault["id"].as_str().unwrap();
    for (supplier, quantity, customer) in
        [(333, 3, 383), (2, 1, 2), (10, 7, 12), (0, 1, 0), (1_000_000_000, 1_000_000, 1_150_000_000)]
    {
        let o = order(&app, owner, fault, order_body(supplier, quantity)).await;
        assert_eq!(o["supplier_unit_price_minor"], supplier, "{o}");
        assert_eq!(o["customer_unit_price_minor"], customer, "{supplier} at 15 %: {o}");
        assert_eq!(o["supplier_total_minor"], supplier * quantity);
        assert_eq!(o["customer_total_minor"], customer * quantity, "totals are unit price × quantity");
        assert_eq!(o["markup_basis_points"], 1500, "the markup is kept on the order");
        assert_eq!((o["currency"].as_str(), o["status"].as_str()), (Some("EUR"), Some("requested")));
    }
    // An integer written as an integral float (`2.0`, an integer to JSON Schema) is that integer.
    let mut whole = order_body(0, 0);
    whole["quantity"] = json!(2.0);
    whole["supplier_unit_price_minor"] = json!(10.0);
    let o = order(&app, owner, fault, whole).await;
    assert_eq!((o["quantity"].as_i64(), o["customer_unit_price_minor"].as_i64()), (Some(2), Some(12)));

    // The default markup is 20 %: 333 → 399.6 → 400; 1 → 1.2 → 1.
    let w = acme(&app).await;
    let fault = seeded_fault(&app, &w, FaultStatus::Acknowledged).await.to_string();
    let o = order(&app, &w.fixture.owner, &fault, order_body(333, 1)).await;
    assert_eq!((o["customer_unit_price_minor"].as_i64(), o["markup_basis_points"].as_i64()), (Some(400), Some(2000)));
    let o = order(&app, &w.fixture.owner, &fault, order_body(1, 1)).await;
    assert_eq!(o["customer_unit_price_minor"], 1);
    // Stored, not recomputed: the list shows the same figures.
    let listed = all_items(&app, &w.fixture.owner, &format!("/api/v1/parts-orders?fault_id={fault}")).await;
    assert_eq!(listed.iter().map(|o| o["customer_unit_price_minor"].as_i64().unwrap()).collect::<Vec<_>>(), [1, 400]);
}

async fn each_role_sees_the_prices_it_may(app: TestApp) {
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let fault = seeded_fault(&app, &w, FaultStatus::Acknowledged).await;
    // The engineer asks for parts, giving the supplier price, and sees only the customer price.
    let o = order(&app, engineer, &fault.to_string(), order_body(10_000, 4)).await;
    let supplier_fields = ["supplier_unit_price_minor", "supplier_total_minor", "markup_basis_points"];
    let customer_fields = ["customer_unit_price_minor", "customer_total_minor"];
    let has = |v: &Value, fields: &[&str]| fields.iter().map(|f| v.get(*f).is_some()).collect::<Vec<_>>();
    assert_eq!(has(&o, &supplier_fields), [false; 3], "{o}");
    assert_eq!(o["customer_unit_price_minor"], 12_000);
    assert_eq!(o["customer_total_minor"], 48_000);
    for (role, who) in &w.people {
        let supplier = matches!(role, Role::Owner | Role::Admin | Role::Manager);
        let customer = !matches!(role, Role::Crew);
        let listed = all_items(&app, who, "/api/v1/parts-orders").await;
        assert_eq!(ids(&listed), [o["id"].as_str().unwrap()], "{role}");
        let detail = get(&app, who, &format!("/api/v1/faults/{fault}")).await;
        for v in [&listed[0], &detail["parts_orders"][0]] {
            assert_eq!(has(v, &supplier_fields), [supplier; 3], "{role}: {v}");
            assert_eq!(has(v, &customer_fields), [customer; 2], "{role}: {v}");
            assert_eq!((v["part_name"].as_str(), v["quantity"].as_i64()), (Some("Fuel injector"), Some(4)));
        }
        if supplier {
            assert_eq!(
                (listed[0]["supplier_unit_price_minor"].as_i64(), listed[0]["markup_basis_points"].as_i64()),
                (Some(10_000), Some(2000))
            );
        }
    }
    // A manager's status change answers with the manager's view.
    let manager = &w.people[&Role::Manager];
    let path = format!("/api/v1/parts-orders/{}/status", o["id"].as_str().unwrap());
    let v = ok_json(send(&app, manager, Method::POST, &path, json!({ "status": "approved" })).await, 200).await;
    assert_eq!((v["supplier_total_minor"].as_i64(), v["customer_total_minor"].as_i64()), (Some(40_000), Some(48_000)));
}

async fn an_order_moves_from_requested_to_received_or_is_cancelled_before_shipping(app: TestApp) {
    let w = acme(&app).await;
    let manager = &w.people[&Role::Manager];
    let engineer = &w.people[&Role::Engineer];
    let allowed = [
        ("requested", "approved"),
        ("approved", "ordered"),
        ("ordered", "shipped"),
        ("shipped", "received"),
        ("requested", "cancelled"),
        ("approved", "cancelled"),
        ("ordered", "cancelled"),
    ];
    let statuses = ["requested", "approved", "ordered", "shipped", "received", "cancelled"];
    let path_to = |s: &str| -> Vec<&'static str> {
        match s {
            "requested" => vec![],
            "approved" => vec!["approved"],
            "ordered" => vec!["approved", "ordered"],
            "shipped" => vec!["approved", "ordered", "shipped"],
            "received" => vec!["approved", "ordered", "shipped", "received"],
            _ => vec!["cancelled"],
        }
    };
    let mut wrong = Vec::new();
    for from in statuses {
        for to in statuses {
            let id = seeded_order(&app, &w).await;
            let path = format!("/api/v1/parts-orders/{id}/status");
            let mut before = Value::Null;
            for step in path_to(from) {
                before = ok_json(send(&app, manager, Method::POST, &path, json!({ "status": step })).await, 200).await;
            }
            let res = send(&app, manager, Method::POST, &path, json!({ "status": to })).await;
            let status = res.status().as_u16();
            let body: Value = res.json().await.unwrap();
            if allowed.contains(&(from, to)) {
                if status != 200 || body["status"] != to {
                    wrong.push(format!("{from} → {to}: expected 200, got {status} {body}"));
                }
            } else {
                if status != 409 || body["code"] != "invalid_transition" {
                    wrong.push(format!("{from} → {to}: expected 409 invalid_transition, got {status} {body}"));
                }
                let listed = all_items(&app, manager, &format!("/api/v1/parts-orders?status={from}")).await;
                let now = listed.iter().find(|o| o["id"] == id.to_string()).cloned().unwrap_or_default();
                if now["status"] != from || (!before.is_null() && now["version"] != before["version"]) {
                    wrong.push(format!("{from} → {to}: the refused move changed the order: {now}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    let id = seeded_order(&app, &w).await;
    let path = format!("/api/v1/parts-orders/{id}/status");
    // Engineers ask for parts; managing orders is for managers and above.
    assert_problem(send(&app, engineer, Method::POST, &path, json!({ "status": "approved" })).await, 403, "forbidden")
        .await;
    let body = assert_problem(
        send(&app, manager, Method::POST, &path, json!({ "status": "lost" })).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!((&body["errors"][0]["field"], &body["errors"][0]["code"]), (&json!("status"), &json!("unknown_value")));
    for step in ["approved", "ordered", "shipped", "received"] {
        ok_json(send(&app, manager, Method::POST, &path, json!({ "status": step })).await, 200).await;
    }
    // The flow's own writes, on the requisition (same id) and a purchase order of its own,
    // received straight to the job.
    assert_eq!(
        audit_actions(&app, &w.fixture.owner, "requisition", &id.to_string()).await,
        ["requisition.raise", "requisition.approve", "requisition.order", "requisition.receive"]
    );
    let r = get(&app, manager, &format!("/api/v1/requisitions/{id}")).await;
    assert_eq!((r["status"].as_str(), r["part_name"].as_str()), (Some("received"), Some("Mechanical seal")), "{r}");
    let po = get(&app, manager, &format!("/api/v1/purchase-orders/{}", r["purchase_order_id"].as_str().unwrap())).await;
    assert_eq!((po["status"].as_str(), po["lines"].as_array().unwrap().len()), (Some("received"), 1), "{po}");
    assert_eq!(po["receipts"][0]["location_id"], Value::Null, "straight to the job: {po}");
    let refused =
        all_items(&app, &w.fixture.owner, &format!("/api/v1/audit?outcome=failure&actor={}", engineer.user_id)).await;
    assert_eq!((refused.len(), refused[0]["action"].as_str()), (1, Some("parts.manage")));
}

async fn ordering_parts_for_work_in_progress_waits_for_them(app: TestApp) {
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let manager = &w.people[&Role::Manager];

    // In progress → awaiting parts.
    let working = seeded_fault(&app, &w, FaultStatus::InProgress).await.to_string();
    let o = order(&app, engineer, &working, order_body(5_000, 1)).await;
    let f = get(&app, engineer, &format!("/api/v1/faults/{working}")).await;
    assert_eq!(f["status"], "awaiting_parts");
    assert_eq!(ids(f["parts_orders"].as_array().unwrap()), [o["id"].as_str().unwrap()]);
    assert_eq!(
        audit_actions(&app, &w.fixture.owner, "fault", &working).await.last().map(String::as_str),
        Some("fault.status")
    );
    // Receiving the parts does not move the fault: someone has to fit them.
    let path = format!("/api/v1/parts-orders/{}/status", o["id"].as_str().unwrap());
    for step in ["approved", "ordered", "shipped", "received"] {
        ok_json(send(&app, manager, Method::POST, &path, json!({ "status": step })).await, 200).await;
    }
    assert_eq!(get(&app, engineer, &format!("/api/v1/faults/{working}")).await["status"], "awaiting_parts");
    // A second order for a fault already waiting leaves it waiting.
    order(&app, engineer, &working, order_body(700, 2)).await;
    assert_eq!(get(&app, engineer, &format!("/api/v1/faults/{working}")).await["status"], "awaiting_parts");

    // Other open states stay as they are.
    for status in [FaultStatus::Open, FaultStatus::Acknowledged] {
        let id = seeded_fault(&app, &w, status).await.to_string();
        order(&app, engineer, &id, order_body(100, 1)).await;
        assert_eq!(get(&app, engineer, &format!("/api/v1/faults/{id}")).await["status"], status.as_str());
    }
    // A resolved or closed fault takes no orders.
    for status in [FaultStatus::Resolved, FaultStatus::Closed] {
        let id = seeded_fault(&app, &w, status).await;
        let res =
            send(&app, engineer, Method::POST, &format!("/api/v1/faults/{id}/order-parts"), order_body(100, 1)).await;
        assert_problem(res, 409, "fault_resolved").await;
    }
    // Crew report faults but do not order parts.
    let crew = &w.people[&Role::Crew];
    let res =
        send(&app, crew, Method::POST, &format!("/api/v1/faults/{working}/order-parts"), order_body(100, 1)).await;
    assert_problem(res, 403, "forbidden").await;
}

async fn orders_are_checked_before_anything_is_stored(app: TestApp) {
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let fault = seeded_fault(&app, &w, FaultStatus::InProgress).await;
    let path = format!("/api/v1/faults/{fault}/order-parts");
    let bad = json!({
        "part_name": "", "quantity": 0, "supplier": "x", "supplier_unit_price_minor": -1, "currency": "eur",
    });
    let body = assert_problem(send(&app, engineer, Method::POST, &path, bad).await, 422, "validation_failed").await;
    let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["part_name", "quantity", "supplier_unit_price_minor", "currency"]);
    let mut priced = order_body(100, 1);
    priced["customer_unit_price_minor"] = json!(1);
    let body = assert_problem(send(&app, engineer, Method::POST, &path, priced).await, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["code"], "unknown_field", "the customer price is never the client's to set");
    let mut fractional = order_body(100, 1);
    fractional["quantity"] = json!(1.5);
    let body =
        assert_problem(send(&app, engineer, Method::POST, &path, fractional).await, 422, "validation_failed").await;
    assert_eq!((&body["errors"][0]["field"], &body["errors"][0]["code"]), (&json!("quantity"), &json!("invalid_type")));
    let res =
        send(&app, engineer, Method::POST, &format!("/api/v1/faults/{}/order-parts", Uuid::now_v7()), order_body(1, 1))
            .await;
    assert_problem(res, 404, "not_found").await;

    assert!(all_items(&app, engineer, "/api/v1/parts-orders").await.is_empty());
    assert_eq!(
        get(&app, engineer, &format!("/api/v1/faults/{fault}")).await["status"],
        "in_progress",
        "nothing half-written"
    );
}

/// An order made offline carries its own id: sent again (a retry, a sync) it answers the stored
/// order with 200, even once the fault is resolved, and stores nothing twice; the same id with
/// other content, or for another fault, is refused.
async fn an_order_sent_again_with_its_id_is_stored_once(app: TestApp) {
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let fault = seeded_fault(&app, &w, FaultStatus::InProgress).await;
    let path = format!("/api/v1/faults/{fault}/order-parts");
    let id = Uuid::now_v7();
    let mut body = order_body(2_500, 2);
    body["id"] = json!(id);
    let first = ok_json(send(&app, engineer, Method::POST, &path, body.clone()).await, 201).await;
    assert_eq!(first["id"], id.to_string());
    let again = ok_json(send(&app, engineer, Method::POST, &path, body.clone()).await, 200).await;
    assert_eq!(again, first);

    let mut other = body.clone();
    other["quantity"] = json!(3);
    assert_problem(send(&app, engineer, Method::POST, &path, other).await, 409, "id_taken").await;
    let second_fault = seeded_fault(&app, &w, FaultStatus::Acknowledged).await;
    let elsewhere = format!("/api/v1/faults/{second_fault}/order-parts");
    assert_problem(send(&app, engineer, Method::POST, &elsewhere, body.clone()).await, 409, "id_taken").await;

    // The fault is resolved; a late retry of the order still gets its answer.
    let owner = &w.fixture.owner;
    let resolve = json!({ "root_cause": "worn seal", "resolution": "replaced the seal" });
    ok_json(send(&app, owner, Method::PUT, &format!("/api/v1/faults/{fault}/resolve"), resolve).await, 200).await;
    let late = ok_json(send(&app, engineer, Method::POST, &path, body).await, 200).await;
    assert_eq!(late["id"], id.to_string());

    let listed = all_items(&app, owner, &format!("/api/v1/parts-orders?fault_id={fault}")).await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(audit_actions(&app, owner, "requisition", &id.to_string()).await, ["requisition.raise"]);

    // A double tap sends the same order twice at once: one order, one 201 and one 200.
    let path = format!("/api/v1/faults/{second_fault}/order-parts");
    for _ in 0..5 {
        let mut twice = order_body(700, 1);
        twice["id"] = json!(Uuid::now_v7());
        let (a, b) = tokio::join!(
            send(&app, engineer, Method::POST, &path, twice.clone()),
            send(&app, engineer, Method::POST, &path, twice.clone())
        );
        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 201]);
        let (a, b): (Value, Value) = (a.json().await.unwrap(), b.json().await.unwrap());
        assert_eq!(a, b);
    }
    let listed = all_items(&app, owner, &format!("/api/v1/parts-orders?fault_id={second_fault}")).await;
    assert_eq!(listed.len(), 5, "one order per double tap");
}

async fn parts_orders_are_filtered_and_paged(app: TestApp) {
    let w = acme(&app).await;
    let company = w.fixture.company.id;
    let (owner, crew) = (&w.fixture.owner, &w.people[&Role::Crew]);
    let here = equipment_on(&app, company, w.vessel, "Separator").await;
    let there = equipment_on(&app, company, w.other_vessel, "Windlass").await;
    let f1 = report(&app, owner, here, "medium", "Separator vibrating").await["id"].as_str().unwrap().to_owned();
    let f2 = report(&app, owner, there, "high", "Windlass brake").await["id"].as_str().unwrap().to_owned();
    let o1 = order(&app, owner, &f1, order_body(100, 1)).await["id"].as_str().unwrap().to_owned();
    let o2 = order(&app, owner, &f1, order_body(200, 1)).await["id"].as_str().unwrap().to_owned();
    let o3 = order(&app, owner, &f2, order_body(300, 1)).await["id"].as_str().unwrap().to_owned();
    // Approved by someone other than who asked, as every requisition is.
    let approve = json!({ "status": "approved" });
    let path = format!("/api/v1/parts-orders/{o2}/status");
    assert_problem(send(&app, owner, Method::POST, &path, approve.clone()).await, 409, "self_approval").await;
    ok_json(send(&app, &w.people[&Role::Manager], Method::POST, &path, approve).await, 200).await;

    let list = |who: &Session, q: &str| {
        let (app, who, path) = (&app, who.clone(), format!("/api/v1/parts-orders{q}"));
        async move { ids(&all_items(app, &who, &path).await) }
    };
    assert_eq!(list(owner, "").await, [o3.as_str(), o2.as_str(), o1.as_str()]);
    assert_eq!(list(owner, &format!("?vessel_id={}", w.vessel)).await, [o2.as_str(), o1.as_str()]);
    assert_eq!(list(owner, &format!("?fault_id={f2}")).await, [o3.as_str()]);
    assert_eq!(list(owner, "?status=approved").await, [o2.as_str()]);
    assert_eq!(list(owner, "?status=requested,approved").await, [o3.as_str(), o2.as_str(), o1.as_str()]);
    assert_eq!(list(crew, "").await, [o2.as_str(), o1.as_str()], "crew see their vessel's orders");
    assert!(list(crew, &format!("?fault_id={f2}")).await.is_empty());
    let res =
        send(&app, crew, Method::POST, &format!("/api/v1/parts-orders/{o3}/status"), json!({ "status": "approved" }))
            .await;
    assert_problem(res, 404, "not_found").await;
    let paged: Vec<String> = page_through(&app, owner, "/api/v1/parts-orders", 2)
        .await
        .concat()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(paged, [o3.as_str(), o2.as_str(), o1.as_str()]);
    let res = app.as_(owner, Method::GET, "/api/v1/parts-orders?status=lost").send().await.unwrap();
    assert_problem(res, 422, "validation_failed").await;
}

async fn order_changes_are_published_without_prices(app: TestApp) {
    let w = acme(&app).await;
    let (other, mut rx) = listening_app(&app).await;
    let company = w.fixture.company.id;
    let fault = seeded_fault(&app, &w, FaultStatus::InProgress).await;
    let engineer = actor(company, &w.people[&Role::Engineer], Role::Engineer);
    let input = OrderParts {
        fault_id: fault,
        id: None,
        part_name: "Impeller".into(),
        part_number: None,
        quantity: 1,
        supplier: "Pumps AS".into(),
        supplier_unit_price_minor: 45_000,
        currency: "NOK".into(),
    };
    let o = other.mutate(&engineer, input).await.unwrap().order;
    let e = rx.try_recv().expect("an event for the order");
    assert_eq!((e.kind.as_str(), e.vessel_id, e.entity_id), ("requisition.changed", Some(VesselId(w.vessel)), o.id.0));
    assert_eq!(e.summary["status"], "requested");
    let text = e.summary.to_string();
    assert!(!text.contains("45000") && !text.contains("54000") && !text.contains("price"), "{text}");
    let e = rx.try_recv().expect("the fault now waits for parts");
    assert_eq!((e.kind.as_str(), e.summary["status"].as_str()), ("fault.changed", Some("awaiting_parts")));
    // The supplier was new: added in the company's scope, which devices are poked to pull.
    assert_eq!(rx.try_recv().expect("a poke for the supplier").kind, "sync.changed");
    let manager = actor(company, &w.people[&Role::Manager], Role::Manager);
    let to = |order_id, status| SetPartsOrderStatus { order_id, status };
    other.mutate(&manager, to(o.id, PartsOrderStatus::Approved)).await.unwrap();
    assert_eq!(rx.try_recv().unwrap().summary["status"], "approved");
    assert!(other.mutate(&manager, to(o.id, PartsOrderStatus::Received)).await.is_err());
    assert!(other.mutate(&engineer, to(o.id, PartsOrderStatus::Ordered)).await.is_err());
    assert!(other.mutate(&manager, to(PartsOrderId::new(), PartsOrderStatus::Ordered)).await.is_err());
    assert!(matches!(rx.try_recv(), Err(broadcast::error::TryRecvError::Empty)));
    // The fault's own move is on its trail too.
    let f = get(&app, &w.fixture.owner, &format!("/api/v1/faults/{fault}")).await;
    assert_eq!(f["status"], "awaiting_parts");
}

/// Someone resolves a fault while an order for it waits for the vessel's lock: once the order
/// holds it, it reads the fault again and is refused as resolved (409), storing nothing. On
/// PostgreSQL the order has read the fault before it waits (the test waits until it is blocked
/// on that lock); on SQLite it cannot start before the resolution commits.
async fn an_order_racing_a_resolution_is_refused(app: TestApp) {
    let w = acme(&app).await;
    let fault_id = seeded_fault(&app, &w, FaultStatus::Acknowledged).await;
    let company = w.fixture.company.id;
    let now = app.clock_now();
    let mut tx = app.app.store.begin(Some(company)).await.unwrap();
    let fault = tx.fault(company, fault_id).await.unwrap().unwrap();
    let change = Change {
        scope: format!("vessel:{}", fault.vessel_id),
        entity: "fault",
        row_id: fault_id.0,
        op: "update",
        fields: json!({ "status": "resolved" }),
        at: now,
    };
    let version = tx.record_change(company, &change).await.unwrap();
    tx.update_fault(&Fault { version, ..resolved(fault, now, false) }).await.unwrap();

    let engineer = &w.people[&Role::Engineer];
    let path = format!("/api/v1/faults/{fault_id}/order-parts");
    let ordering = send(&app, engineer, Method::POST, &path, order_body(500, 1));
    let resolving = async {
        if app.backend == Backend::Postgres {
            let mut conn = sqlx::PgConnection::connect(&app.db.url()).await.unwrap();
            let mut waiting = 0;
            for _ in 0..1000 {
                waiting = sqlx::query_scalar::<_, i64>(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
                )
                .fetch_one(&mut conn)
                .await
                .unwrap();
                if waiting > 0 {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
            assert!(waiting > 0, "the order never waited for the vessel's change log");
        } else {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        tx.commit().await.unwrap();
    };
    let (res, ()) = tokio::join!(ordering, resolving);
    assert_problem(res, 409, "fault_resolved").await;
    let listed = all_items(&app, &w.fixture.owner, &format!("/api/v1/parts-orders?fault_id={fault_id}")).await;
    assert!(listed.is_empty(), "{listed:?}");
}

/// Parts orders made before purchasing (rows of the old table) become requisitions with their
/// ids at start-up, losing nothing: each reads back in the old shape as it was; suppliers are
/// matched however spelled; ordered ones sit on purchase orders of their own, received ones
/// received straight to the job; devices are told to drop the old rows; a second run finds
/// nothing; moves of the old lifecycle carry on from there.
async fn old_parts_orders_become_requisitions_without_loss_once(app: TestApp) {
    let w = acme(&app).await;
    let company = w.fixture.company.id;
    let owner = &w.fixture.owner;
    // A supplier already in the catalogue, spelled otherwise by the crews.
    let known = json!({ "name": "Seal & Co", "currency": "EUR" });
    let known = ok_json(send(&app, owner, Method::POST, "/api/v1/suppliers", known).await, 201).await;
    let fault_id = seeded_fault(&app, &w, FaultStatus::InProgress).await;
    let fault = {
        let mut tx = app.app.store.begin_read(Some(company)).await.unwrap();
        tx.fault(company, fault_id).await.unwrap().unwrap()
    };
    let at = app.clock_now() - chrono::Duration::days(20);
    let mut old = Vec::new();
    for (i, status) in PartsOrderStatus::ALL.iter().enumerate() {
        let mut o = crate::records::order(&fault, i as i64 + 1, 1_000 * (i as i64 + 1), "EUR", *status, at);
        o.supplier =
            ["  seal &  CO", "Seal & Co", "Volvo Penta", "volvo penta ", "Nordic Hydraulics", "SEAL & CO"][i].into();
        o.status_changed_at = at + chrono::Duration::hours(i as i64);
        o.markup_bp = 1500;
        o.customer_unit_minor = o.supplier_unit_minor * 115 / 100;
        old.push(o);
    }
    let mut tx = app.app.store.begin(Some(company)).await.unwrap();
    for o in &old {
        tx.insert_legacy_parts_order(o).await.unwrap();
    }
    tx.commit().await.unwrap();
    assert!(all_items(&app, owner, "/api/v1/parts-orders").await.is_empty(), "not read before the migration");

    let done = app.app.purchasing.migrate_parts_orders(company).await.unwrap();
    assert_eq!((done.orders, done.suppliers, done.purchase_orders), (6, 2, 3), "{done:?}");
    assert_eq!(app.app.purchasing.migrate_parts_orders(company).await.unwrap(), Default::default(), "once");

    // Read back in the old shape, as they were (the supplier as the catalogue spells it).
    let listed = all_items(&app, owner, &format!("/api/v1/parts-orders?fault_id={fault_id}")).await;
    assert_eq!(listed.len(), old.len());
    for o in &old {
        let v = listed.iter().find(|v| v["id"] == o.id.to_string()).expect("the order under its id");
        assert_eq!(
            (v["status"].as_str(), v["quantity"].as_i64(), v["part_name"].as_str(), v["part_number"].as_str()),
            (Some(o.status.as_str()), Some(o.quantity), Some("gasket"), Some("G-1")),
            "{v}"
        );
        assert_eq!(
            (v["supplier_unit_price_minor"].as_i64(), v["customer_unit_price_minor"].as_i64()),
            (Some(o.supplier_unit_minor), Some(o.customer_unit_minor))
        );
        assert_eq!((v["markup_basis_points"].as_i64(), v["currency"].as_str()), (Some(1500), Some("EUR")));
        assert_eq!(v["requested_by"], o.requested_by.to_string());
        assert_eq!(
            v["status_changed_at"].as_str().unwrap().parse::<chrono::DateTime<chrono::Utc>>().unwrap(),
            o.status_changed_at
        );
        assert_eq!(v["created_at"].as_str().unwrap().parse::<chrono::DateTime<chrono::Utc>>().unwrap(), o.created_at);
        let expected_supplier = if supplier_key(&o.supplier) == "seal & co" { "Seal & Co" } else { o.supplier.trim() };
        assert_eq!(v["supplier"].as_str().map(supplier_key), Some(supplier_key(expected_supplier)), "{v}");
    }
    let seal = listed.iter().filter(|v| v["supplier"] == "Seal & Co").count();
    assert_eq!(seal, 3, "matched to the supplier already there");
    let suppliers = all_items(&app, owner, "/api/v1/suppliers").await;
    assert_eq!(suppliers.len(), 3, "{suppliers:?}");
    assert!(suppliers.iter().any(|s| s["id"] == known["id"]));

    // The flow's rows: requisitions with the same ids, orders for the three ordered ones.
    for o in &old {
        let r = get(&app, owner, &format!("/api/v1/requisitions/{}", o.id)).await;
        assert_eq!((r["fault_id"].as_str(), r["part_id"].as_str()), (Some(fault_id.to_string().as_str()), None), "{r}");
        let on_order =
            matches!(o.status, PartsOrderStatus::Ordered | PartsOrderStatus::Shipped | PartsOrderStatus::Received);
        assert_eq!(r["purchase_order_id"].is_string(), on_order, "{r}");
        if on_order {
            let po = get(&app, owner, &format!("/api/v1/purchase-orders/{}", r["purchase_order_id"].as_str().unwrap()))
                .await;
            let expected = match o.status {
                PartsOrderStatus::Ordered => "sent",
                PartsOrderStatus::Shipped => "shipped",
                _ => "received",
            };
            assert_eq!((po["status"].as_str(), po["lines"].as_array().unwrap().len()), (Some(expected), 1), "{po}");
            assert_eq!(po["lines"][0]["requisition_id"], o.id.to_string());
            let receipts = po["receipts"].as_array().unwrap();
            assert_eq!(receipts.len(), usize::from(o.status == PartsOrderStatus::Received), "{po}");
            if let Some(receipt) = receipts.first() {
                assert_eq!(receipt["location_id"], Value::Null, "straight to the job: {receipt}");
                assert_eq!(receipt["lines"][0]["entry_id"], Value::Null, "nothing entered stock: {receipt}");
            }
        }
    }
    // Devices drop the old rows and receive the new ones.
    let mut tx = app.app.store.begin_read(Some(company)).await.unwrap();
    for o in &old {
        let history = tx.row_history(company, "parts_order", o.id.0, 10).await.unwrap();
        assert!(history.iter().any(|(_, c, _)| c.op == "delete"), "{history:?}");
        let history = tx.row_history(company, "requisition", o.id.0, 10).await.unwrap();
        assert_eq!(history.first().map(|(_, c, _)| c.op), Some("insert"));
    }
    drop(tx);
    let audited = all_items(&app, owner, "/api/v1/audit?action=migration.parts_orders").await;
    assert_eq!(audited.len(), 1, "one unit of work for the vessel: {audited:?}");

    // The old lifecycle carries on in the flow: the shipped one is received.
    let shipped = old.iter().find(|o| o.status == PartsOrderStatus::Shipped).unwrap();
    let path = format!("/api/v1/parts-orders/{}/status", shipped.id);
    let manager = &w.people[&Role::Manager];
    let v = ok_json(send(&app, manager, Method::POST, &path, json!({ "status": "received" })).await, 200).await;
    assert_eq!(v["status"], "received");
    // The approved one is ordered on an order of its own.
    let approved = old.iter().find(|o| o.status == PartsOrderStatus::Approved).unwrap();
    let path = format!("/api/v1/parts-orders/{}/status", approved.id);
    let v = ok_json(send(&app, manager, Method::POST, &path, json!({ "status": "ordered" })).await, 200).await;
    assert_eq!(v["status"], "ordered");
}

crate::on_both_backends!(
    old_parts_orders_become_requisitions_without_loss_once,
    an_order_racing_a_resolution_is_refused,
    an_order_sent_again_with_its_id_is_stored_once,
    customer_prices_carry_the_companys_markup_rounded_to_whole_minor_units,
    each_role_sees_the_prices_it_may,
    an_order_moves_from_requested_to_received_or_is_cancelled_before_shipping,
    ordering_parts_for_work_in_progress_waits_for_them,
    orders_are_checked_before_anything_is_stored,
    parts_orders_are_filtered_and_paged,
    order_changes_are_published_without_prices,
);
