//! Purchasing: suppliers; requisitions priced only by those who read supplier prices and
//! decided by someone other than the requester; purchase orders gathering approved
//! requisitions, received in parts into stock or straight to the job; the printed order; and
//! requisitions made offline, applied once.

use bosun_domain::person::Role;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::faults::{audit_actions, get, ok_json, send};
use crate::harness::{Session, TestApp, assert_problem};
use crate::permissions::{Acme, acme};
use crate::sync::{pull_all, push};

/// A new supplier, made by the owner: its id.
pub(crate) async fn walk_supplier(app: &TestApp, w: &Acme) -> Uuid {
    let body = json!({ "name": format!("Marine Parts {}", Uuid::now_v7().simple()), "currency": "NOK" });
    let made = ok_json(send(app, &w.fixture.owner, Method::POST, "/api/v1/suppliers", body).await, 201).await;
    id_of(&made)
}

fn id_of(v: &Value) -> Uuid {
    v["id"].as_str().and_then(|s| s.parse().ok()).expect("an id")
}

/// A body asking for `milli` thousandths of an unlisted part on the Acme vessel.
fn unlisted(w: &Acme, name: &str, milli: i64) -> Value {
    json!({ "id": Uuid::now_v7(), "vessel_id": w.vessel, "part_name": name, "part_number": "JP-17937",
            "quantity_milli": milli, "note": "For the\nport cooling pump" })
}

/// A body asking for one unlisted part on the Acme vessel, for walks.
pub(crate) fn walk_requisition_body(w: &Acme, name: &str) -> Value {
    unlisted(w, name, 1000)
}

/// A requisition raised by `who` (one who may ask): its id, for walks.
pub(crate) async fn walk_requisition(app: &TestApp, w: &Acme, who: &Session) -> Uuid {
    let body = unlisted(w, &format!("Asked by {}", who.email), 1000);
    id_of(&ok_json(send(app, who, Method::POST, "/api/v1/requisitions", body).await, 201).await)
}

/// A requisition raised by `who` and approved by the owner: its id.
async fn approved(app: &TestApp, w: &Acme, who: &Session, body: Value) -> Uuid {
    let made = ok_json(send(app, who, Method::POST, "/api/v1/requisitions", body).await, 201).await;
    let id = id_of(&made);
    let path = format!("/api/v1/requisitions/{id}/approve");
    ok_json(send(app, &w.fixture.owner, Method::POST, &path, json!({})).await, 200).await;
    id
}

/// A draft order of one unlisted line, made by the owner: (order, its line).
pub(crate) async fn walk_order(app: &TestApp, w: &Acme) -> (Uuid, Uuid) {
    let supplier = walk_supplier(app, w).await;
    let line = Uuid::now_v7();
    let body = json!({ "id": Uuid::now_v7(), "vessel_id": w.vessel, "supplier_id": supplier,
        "lines": [{ "id": line, "part_name": "Gasket set", "quantity_milli": 1000, "supplier_unit_price_minor": 1250 }] });
    let made = ok_json(send(app, &w.fixture.owner, Method::POST, "/api/v1/purchase-orders", body).await, 201).await;
    (id_of(&made), line)
}

async fn requisitions_are_priced_by_role_and_decided_by_someone_else(app: TestApp) {
    let w = acme(&app).await;
    let crew = &w.people[&Role::Crew];
    let engineer = &w.people[&Role::Engineer];
    let manager = &w.people[&Role::Manager];
    let asked = unlisted(&w, "Impeller", 2000);
    assert_problem(send(&app, crew, Method::POST, "/api/v1/requisitions", asked.clone()).await, 403, "forbidden").await;
    let made = ok_json(send(&app, engineer, Method::POST, "/api/v1/requisitions", asked.clone()).await, 201).await;
    assert_eq!((made["status"].as_str(), made["quantity"]["value"].as_str()), (Some("requested"), Some("2")));
    assert_eq!((made["unit"].as_str(), made["prices"].clone()), (Some("pcs"), Value::Null));
    let id = id_of(&made);
    // A retry is answered with the stored one; the id with other content is refused.
    ok_json(send(&app, engineer, Method::POST, "/api/v1/requisitions", asked.clone()).await, 200).await;
    let mut other = asked.clone();
    other["quantity_milli"] = json!(3000);
    assert_problem(send(&app, engineer, Method::POST, "/api/v1/requisitions", other).await, 409, "id_taken").await;

    // A supplier's price is given only by those who read one.
    let mut priced = unlisted(&w, "Mechanical seal", 1500);
    priced["supplier_unit_price_minor"] = json!(10_000);
    priced["currency"] = json!("NOK");
    assert_problem(send(&app, engineer, Method::POST, "/api/v1/requisitions", priced.clone()).await, 403, "forbidden")
        .await;
    let mut half = priced.clone();
    half["currency"] = Value::Null;
    let res =
        assert_problem(send(&app, manager, Method::POST, "/api/v1/requisitions", half).await, 422, "validation_failed")
            .await;
    assert_eq!(res["errors"][0]["code"], "incomplete", "{res}");
    let by_manager = ok_json(send(&app, manager, Method::POST, "/api/v1/requisitions", priced).await, 201).await;
    let p = &by_manager["prices"];
    assert_eq!(
        (
            p["supplier_unit_price_minor"].as_i64(),
            p["customer_unit_price_minor"].as_i64(),
            p["supplier_total_minor"].as_i64()
        ),
        (Some(10_000), Some(12_000), Some(15_000)),
        "the company's 20 % markup, totals of 1.5 units: {p}"
    );
    let priced_id = id_of(&by_manager);
    let priced_path = format!("/api/v1/requisitions/{priced_id}");
    let engineer_sees = get(&app, engineer, &priced_path).await;
    assert_eq!(
        engineer_sees["prices"],
        json!({ "currency": "NOK", "customer_unit_price_minor": 12_000, "customer_total_minor": 18_000 })
    );
    assert_eq!(get(&app, crew, &priced_path).await["prices"], json!({ "currency": "NOK" }), "crew read no price");

    // Decided once, never by the requester; a rejection says why.
    let path = |id: Uuid, what: &str| format!("/api/v1/requisitions/{id}/{what}");
    let own = send(&app, manager, Method::POST, &path(priced_id, "approve"), json!({})).await;
    assert_problem(own, 409, "self_approval").await;
    assert_problem(send(&app, engineer, Method::POST, &path(id, "approve"), json!({})).await, 403, "forbidden").await;
    let blank = send(&app, manager, Method::POST, &path(id, "reject"), json!({ "comment": " " })).await;
    assert_eq!(assert_problem(blank, 422, "validation_failed").await["errors"][0]["code"], "required");
    let why = json!({ "comment": "One is on board" });
    let rejected = ok_json(send(&app, manager, Method::POST, &path(id, "reject"), why).await, 200).await;
    assert_eq!(
        (rejected["status"].as_str(), rejected["decision_comment"].as_str()),
        (Some("rejected"), Some("One is on board"))
    );
    let late = send(&app, manager, Method::POST, &path(id, "approve"), json!({})).await;
    assert_problem(late, 409, "invalid_transition").await;

    // The requester withdraws their own; someone else's only a manager does.
    let mine = unlisted(&w, "Filter", 1000);
    let mine = id_of(&ok_json(send(&app, engineer, Method::POST, "/api/v1/requisitions", mine).await, 201).await);
    let theirs = unlisted(&w, "Hose", 1000);
    let theirs = id_of(&ok_json(send(&app, manager, Method::POST, "/api/v1/requisitions", theirs).await, 201).await);
    let refused = send(&app, engineer, Method::POST, &path(theirs, "cancel"), json!({})).await;
    assert_problem(refused, 403, "forbidden").await;
    let cancelled = ok_json(send(&app, engineer, Method::POST, &path(mine, "cancel"), json!({})).await, 200).await;
    assert_eq!(cancelled["status"], "cancelled");

    // What it serves is on its vessel; what it names exists.
    let item = crate::assignments::plant(&app, &w, "Cooling pump").await;
    let fault = id_of(&crate::faults::report(&app, engineer, item, "high", "Seal leaking").await);
    let mut elsewhere = unlisted(&w, "Belt", 1000);
    elsewhere["vessel_id"] = json!(w.other_vessel);
    elsewhere["fault_id"] = json!(fault);
    let res = send(&app, &w.fixture.owner, Method::POST, "/api/v1/requisitions", elsewhere).await;
    assert_eq!(assert_problem(res, 422, "validation_failed").await["errors"][0]["code"], "other_vessel");
    let mut for_fault = unlisted(&w, "Belt", 1000);
    for_fault["fault_id"] = json!(fault);
    ok_json(send(&app, engineer, Method::POST, "/api/v1/requisitions", for_fault).await, 201).await;
    let listed = get(&app, crew, &format!("/api/v1/requisitions?fault_id={fault}")).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    let open =
        get(&app, manager, &format!("/api/v1/requisitions?vessel_id={}&status=requested,approved", w.vessel)).await;
    let open = open["items"].as_array().unwrap();
    assert!(open.len() == 3 && open.iter().all(|r| r["status"] == "requested"), "{open:?}");
    assert_eq!(
        audit_actions(&app, &w.fixture.owner, "requisition", &id.to_string()).await,
        ["requisition.raise", "requisition.reject"]
    );
}

async fn an_order_gathers_requisitions_and_is_received_in_parts(app: TestApp) {
    let w = acme(&app).await;
    let owner = &w.fixture.owner;
    let manager = &w.people[&Role::Manager];
    let engineer = &w.people[&Role::Engineer];
    let crew = &w.people[&Role::Crew];

    // Suppliers: one name per company however it is spaced.
    let body = json!({ "name": "Wärtsilä  Norway", "currency": "NOK", "email": "orders@wartsila.example",
                       "address": "Stord base\n5414 Stord" });
    let supplier = ok_json(send(&app, manager, Method::POST, "/api/v1/suppliers", body).await, 201).await;
    let twin = json!({ "name": "wärtsilä norway", "currency": "EUR" });
    assert_problem(send(&app, manager, Method::POST, "/api/v1/suppliers", twin).await, 409, "supplier_name_taken")
        .await;
    assert_problem(
        send(&app, crew, Method::POST, "/api/v1/suppliers", json!({ "name": "X", "currency": "EUR" })).await,
        403,
        "forbidden",
    )
    .await;
    let supplier = id_of(&supplier);

    let (location, part) = crate::stock::walk_place(&app, &w).await;
    let ask = json!({ "id": Uuid::now_v7(), "vessel_id": w.vessel, "part_id": part, "quantity_milli": 10_000 });
    let requisition = approved(&app, &w, engineer, ask).await;
    let (req_line, direct_line) = (Uuid::now_v7(), Uuid::now_v7());
    let order = json!({
        "id": Uuid::now_v7(), "vessel_id": w.vessel, "supplier_id": supplier, "expected_on": "2026-12-20",
        "note": "Deliver to the quay office",
        "lines": [
            { "id": req_line, "requisition_id": requisition, "supplier_unit_price_minor": 4_150 },
            { "id": direct_line, "part_name": "Gasket set", "unit": "set", "quantity_milli": 2000, "supplier_unit_price_minor": 999 },
        ],
    });
    assert_problem(
        send(&app, engineer, Method::POST, "/api/v1/purchase-orders", order.clone()).await,
        403,
        "forbidden",
    )
    .await;
    let made = ok_json(send(&app, manager, Method::POST, "/api/v1/purchase-orders", order.clone()).await, 201).await;
    assert_eq!(
        (made["status"].as_str(), made["currency"].as_str()),
        (Some("draft"), Some("NOK")),
        "the supplier's currency"
    );
    assert!(made["number"].as_str().unwrap().starts_with("PO-"), "{made}");
    assert_eq!(made["supplier_total_minor"], 41_500 + 1_998);
    assert_eq!(made["lines"][0]["part_id"], json!(part));
    let po = id_of(&made);
    ok_json(send(&app, manager, Method::POST, "/api/v1/purchase-orders", order).await, 200).await;
    let r = get(&app, crew, &format!("/api/v1/requisitions/{requisition}")).await;
    assert_eq!((r["status"].as_str(), r["purchase_order_id"].clone()), (Some("ordered"), json!(po)));
    // A requisition goes on one order.
    let again = json!({ "id": Uuid::now_v7(), "vessel_id": w.vessel, "supplier_id": supplier,
                        "lines": [{ "id": Uuid::now_v7(), "requisition_id": requisition, "supplier_unit_price_minor": 1 }] });
    assert_problem(send(&app, manager, Method::POST, "/api/v1/purchase-orders", again).await, 409, "not_approved")
        .await;
    // Crew read the order without any total or price.
    let seen = get(&app, crew, &format!("/api/v1/purchase-orders/{po}")).await;
    assert!(seen.get("supplier_total_minor").is_none() && seen.get("customer_total_minor").is_none(), "{seen}");
    assert_eq!(seen["lines"][1]["prices"], json!({ "currency": "NOK" }));

    // Received only once sent, never more than ordered, catalogue parts into stock.
    let receipts = format!("/api/v1/purchase-orders/{po}/receipts");
    let receipt =
        |lines: Value, location: Option<Uuid>| json!({ "id": Uuid::now_v7(), "location_id": location, "lines": lines });
    let four = receipt(json!([{ "line_id": req_line, "quantity_milli": 4000 }]), Some(location));
    assert_problem(send(&app, engineer, Method::POST, &receipts, four.clone()).await, 409, "not_receivable").await;
    let status = format!("/api/v1/purchase-orders/{po}/status");
    assert_problem(
        send(&app, manager, Method::POST, &status, json!({ "status": "received" })).await,
        422,
        "validation_failed",
    )
    .await;
    ok_json(send(&app, manager, Method::POST, &status, json!({ "status": "sent" })).await, 200).await;
    assert_problem(send(&app, crew, Method::POST, &receipts, four.clone()).await, 403, "forbidden").await;
    let part_received = ok_json(send(&app, engineer, Method::POST, &receipts, four.clone()).await, 201).await;
    assert_eq!(part_received["status"], "partially_received");
    assert_eq!(part_received["lines"][0]["outstanding"]["value"], "6");
    ok_json(send(&app, engineer, Method::POST, &receipts, four).await, 200).await;
    let stock = get(&app, engineer, &format!("/api/v1/vessels/{}/stock", w.vessel)).await;
    let line = stock["lines"].as_array().unwrap().iter().find(|l| l["part"]["id"] == json!(part)).cloned().unwrap();
    assert_eq!(line["total"]["value"], "4", "received once: {line}");
    let r = get(&app, crew, &format!("/api/v1/requisitions/{requisition}")).await;
    assert_eq!((r["status"].as_str(), r["received"]["value"].as_str()), (Some("partially_received"), Some("4")));

    let unlisted_in = receipt(json!([{ "line_id": direct_line, "quantity_milli": 2000 }]), Some(location));
    let res =
        assert_problem(send(&app, engineer, Method::POST, &receipts, unlisted_in).await, 422, "validation_failed")
            .await;
    assert_eq!(
        (res["errors"][0]["code"].as_str(), res["errors"][0]["field"].as_str()),
        (Some("not_in_catalogue"), Some("lines.0.line_id"))
    );
    let over = receipt(json!([{ "line_id": req_line, "quantity_milli": 7000 }]), Some(location));
    assert_problem(send(&app, engineer, Method::POST, &receipts, over).await, 409, "over_receipt").await;
    let unknown = receipt(json!([{ "line_id": Uuid::now_v7(), "quantity_milli": 1000 }]), None);
    let res =
        assert_problem(send(&app, engineer, Method::POST, &receipts, unknown).await, 422, "validation_failed").await;
    assert_eq!(res["errors"][0]["code"], "unknown_line");
    let rest = receipt(
        json!([{ "line_id": req_line, "quantity_milli": 6000 }, { "line_id": direct_line, "quantity_milli": 2000 }]),
        None,
    );
    let done = ok_json(send(&app, engineer, Method::POST, &receipts, rest).await, 201).await;
    assert_eq!(done["status"], "received");
    assert_eq!(done["receipts"].as_array().unwrap().len(), 2);
    assert_eq!(done["receipts"][1]["lines"][0]["entry_id"], Value::Null, "straight to the job");
    let r = get(&app, crew, &format!("/api/v1/requisitions/{requisition}")).await;
    assert_eq!(r["status"], "received");
    assert_problem(
        send(&app, manager, Method::POST, &status, json!({ "status": "cancelled" })).await,
        409,
        "invalid_transition",
    )
    .await;

    // The printed order, for those who read supplier prices.
    let pdf = app.as_(owner, Method::GET, &format!("/api/v1/purchase-orders/{po}/pdf")).send().await.unwrap();
    assert_eq!(pdf.status().as_u16(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
    let refused = app.as_(engineer, Method::GET, &format!("/api/v1/purchase-orders/{po}/pdf")).send().await.unwrap();
    assert_problem(refused, 403, "forbidden").await;

    let listed = get(&app, manager, &format!("/api/v1/purchase-orders?supplier_id={supplier}&status=received")).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        audit_actions(&app, owner, "purchase_order", &po.to_string()).await,
        ["purchase_order.create", "purchase_order.status"]
    );
}

async fn a_cancelled_order_frees_its_requisitions(app: TestApp) {
    let w = acme(&app).await;
    let manager = &w.people[&Role::Manager];
    let supplier = walk_supplier(&app, &w).await;
    let requisition = approved(&app, &w, &w.people[&Role::Engineer], unlisted(&w, "V-belt", 3000)).await;
    let body = json!({ "id": Uuid::now_v7(), "vessel_id": w.vessel, "supplier_id": supplier, "currency": "EUR",
                       "lines": [{ "id": Uuid::now_v7(), "requisition_id": requisition }] });
    let res = assert_problem(
        send(&app, manager, Method::POST, "/api/v1/purchase-orders", body.clone()).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(res["errors"][0]["field"], "lines.0.supplier_unit_price_minor", "no price was given: {res}");
    let mut priced = body;
    priced["lines"][0]["supplier_unit_price_minor"] = json!(2_500);
    let made = ok_json(send(&app, manager, Method::POST, "/api/v1/purchase-orders", priced).await, 201).await;
    let status = format!("/api/v1/purchase-orders/{}/status", id_of(&made));
    let cancelled =
        ok_json(send(&app, manager, Method::POST, &status, json!({ "status": "cancelled" })).await, 200).await;
    assert_eq!(cancelled["status"], "cancelled");
    let r = get(&app, manager, &format!("/api/v1/requisitions/{requisition}")).await;
    assert_eq!((r["status"].as_str(), r["purchase_order_id"].clone()), (Some("approved"), Value::Null));
    assert_eq!(
        audit_actions(&app, &w.fixture.owner, "requisition", &requisition.to_string()).await,
        ["requisition.raise", "requisition.approve", "requisition.order", "requisition.release"]
    );
    // Freed, it is ordered again on another order.
    let again = json!({ "id": Uuid::now_v7(), "vessel_id": w.vessel, "supplier_id": supplier, "currency": "EUR",
                        "lines": [{ "id": Uuid::now_v7(), "requisition_id": requisition, "supplier_unit_price_minor": 2_400 }] });
    let reordered = ok_json(send(&app, manager, Method::POST, "/api/v1/purchase-orders", again).await, 201).await;
    let r = get(&app, manager, &format!("/api/v1/requisitions/{requisition}")).await;
    assert_eq!(
        (r["status"].as_str(), r["purchase_order_id"].as_str()),
        (Some("ordered"), Some(id_of(&reordered).to_string().as_str()))
    );
}

async fn requisitions_made_offline_are_applied_once_and_pulled_without_prices(app: TestApp) {
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let crew = &w.people[&Role::Crew];
    let mut args = unlisted(&w, "Fuel filter", 4000);
    args["quantity"] = json!("4");
    args.as_object_mut().unwrap().remove("quantity_milli");
    let batch = json!([{ "id": 1, "name": "raise_requisition.v1", "args": args }]);
    let client = Uuid::now_v7();
    assert_eq!(push(&app, engineer, client, batch.clone()).await["applied"], json!([1]));
    assert_eq!(push(&app, engineer, client, batch).await["skipped"], json!([1]));
    let mut priced = unlisted(&w, "Injector", 1000);
    priced["supplier_unit_price_minor"] = json!(80_000);
    priced["currency"] = json!("NOK");
    let priced =
        id_of(&ok_json(send(&app, &w.fixture.owner, Method::POST, "/api/v1/requisitions", priced).await, 201).await);
    let (po, _) = walk_order(&app, &w).await;

    // Crew pull every row of it, without a price.
    let (changes, _) = pull_all(&app, crew, None, 262_144).await;
    let last = |entity: &str, id: Option<Uuid>| {
        changes
            .iter()
            .rev()
            .find(|(_, c)| c["entity"] == entity && id.is_none_or(|id| c["fields"]["id"] == json!(id)))
            .map(|(_, c)| c["fields"].clone())
            .unwrap_or_else(|| panic!("a {entity} syncs"))
    };
    let pushed = last("requisition", Some(id_of(&args)));
    assert_eq!((pushed["quantity"].as_str(), pushed["status"].as_str()), (Some("4"), Some("requested")));
    let row = last("requisition", Some(priced));
    assert_eq!(row["currency"], "NOK");
    let line = last("purchase_order_line", None);
    assert_eq!(line["purchase_order_id"], json!(po));
    for hidden in
        ["supplier_unit_price_minor", "supplier_total_minor", "markup_basis_points", "customer_unit_price_minor"]
    {
        assert!(row.get(hidden).is_none() && line.get(hidden).is_none(), "{hidden} in {row} or {line}");
    }
    let head = last("purchase_order", Some(po));
    assert!(head.get("supplier_total_minor").is_none(), "{head}");
    assert!(head["number"].as_str().is_some_and(|n| n.starts_with("PO-")), "the number as the API writes it: {head}");
    // An engineer's pull keeps the customer's prices.
    let (changes, _) = pull_all(&app, engineer, None, 262_144).await;
    let row = changes.iter().rev().find(|(_, c)| c["fields"]["id"] == json!(priced)).map(|(_, c)| c["fields"].clone());
    let row = row.expect("the priced requisition syncs");
    assert_eq!((row["customer_unit_price_minor"].as_i64(), row.get("supplier_unit_price_minor")), (Some(96_000), None));
}

async fn the_companys_settings_price_new_requisitions_and_may_let_stock_go_below_zero(app: TestApp) {
    let w = acme(&app).await;
    let owner = &w.fixture.owner;
    let manager = &w.people[&Role::Manager];
    let path = format!("/api/v1/companies/{}/purchasing", w.fixture.company.id);
    let allow = json!({ "parts_markup_percent": 15, "negative_stock": "allow" });
    assert_problem(send(&app, manager, Method::PUT, &path, allow.clone()).await, 403, "forbidden").await;
    let set = ok_json(send(&app, owner, Method::PUT, &path, allow).await, 200).await;
    assert_eq!((set["parts_markup_percent"].as_f64(), set["negative_stock"].as_str()), (Some(15.0), Some("allow")));
    let fine = json!({ "parts_markup_percent": 12.345, "negative_stock": "allow" });
    assert_problem(send(&app, owner, Method::PUT, &path, fine).await, 422, "validation_failed").await;
    // New prices take the new markup.
    let mut priced = unlisted(&w, "Seal kit", 1000);
    priced["supplier_unit_price_minor"] = json!(10_000);
    priced["currency"] = json!("EUR");
    let r = ok_json(send(&app, manager, Method::POST, "/api/v1/requisitions", priced).await, 201).await;
    assert_eq!(r["prices"]["customer_unit_price_minor"], 11_500);
    // Stock may go below zero while allowed, and not after.
    let (location, part) = crate::stock::walk_place(&app, &w).await;
    let take = || json!({ "location_id": location, "part_id": part, "direction": "remove", "quantity_milli": 2000, "reason": "Used without a work order" });
    let posted = ok_json(send(&app, owner, Method::POST, "/api/v1/stock/adjustments", take()).await, 201).await;
    assert_eq!(posted["on_hand"]["value"], "-2", "{posted}");
    let refuse = json!({ "parts_markup_percent": 20, "negative_stock": "refuse" });
    ok_json(send(&app, owner, Method::PUT, &path, refuse).await, 200).await;
    let res = send(&app, owner, Method::POST, "/api/v1/stock/adjustments", take()).await;
    assert_problem(res, 409, "insufficient_stock").await;
    // Everyone reads the stock setting; the markup only those who read supplier prices.
    let me = get(&app, &w.people[&Role::Engineer], "/api/v1/me").await;
    assert_eq!(
        (me["company"]["negative_stock"].as_str(), me["company"].get("parts_markup_percent")),
        (Some("refuse"), None),
        "{me}"
    );
    assert_eq!(
        audit_actions(&app, owner, "company", &w.fixture.company.id.to_string())
            .await
            .iter()
            .filter(|a| *a == "company.purchasing.update")
            .count(),
        2
    );
}

crate::on_both_backends!(
    requisitions_are_priced_by_role_and_decided_by_someone_else,
    an_order_gathers_requisitions_and_is_received_in_parts,
    a_cancelled_order_frees_its_requisitions,
    requisitions_made_offline_are_applied_once_and_pulled_without_prices,
    the_companys_settings_price_new_requisitions_and_may_let_stock_go_below_zero,
);
