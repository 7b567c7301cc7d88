//! The equipment registry: hierarchy rules, filters and search, tree and flat views, running
//! hours, effective status, QR codes and label sheets, CSV import, and who may do what.

use std::collections::{BTreeMap, BTreeSet};

use bosun_app::fleet::vessels::{CreateVessel, JoinRotation, VesselInput, check_vessel};
use bosun_domain::equipment::QR_CODE_LEN;
use bosun_domain::fault::{Fault, FaultStatus, Severity};
use bosun_domain::person::Role;
use bosun_domain::{EquipmentId, FaultId, VesselId};
use reqwest::{Method, Response};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::harness::{Fixture, Session, TestApp, assert_problem};
use crate::pagination::all_items;
use crate::records::{spooled_files, status_before_the_body};

/// A company with two vessels.
struct Ship {
    f: Fixture,
    vessel: Uuid,
    other: Uuid,
}

async fn ship(app: &TestApp, slug: &str) -> Ship {
    let f = app.with_company(slug).await;
    let owner = app.owner_actor(&f);
    let input = |name: &str| {
        let fields = check_vessel(&VesselInput { kind: "vessel".into(), name: name.into(), ..VesselInput::default() });
        CreateVessel { id: None, fields: fields.unwrap() }
    };
    let vessel = app.app.mutate(&owner, input("Northern Star")).await.expect("vessel").id.0;
    let other = app.app.mutate(&owner, input("Southern Cross")).await.expect("vessel").id.0;
    Ship { f, vessel, other }
}

async fn json_of(res: Response, status: u16) -> Value {
    let code = res.status().as_u16();
    let url = res.url().clone();
    let text = res.text().await.expect("a body");
    assert_eq!(code, status, "{url}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("{url} answered no JSON: {text}"))
}

async fn get(app: &TestApp, who: &Session, path: &str) -> Value {
    json_of(app.as_(who, Method::GET, path).send().await.expect("request"), 200).await
}

async fn post(app: &TestApp, who: &Session, path: &str, body: Value) -> Response {
    app.as_(who, Method::POST, path).json(&body).send().await.expect("request")
}

async fn put(app: &TestApp, who: &Session, path: &str, body: Value) -> Response {
    app.as_(who, Method::PUT, path).json(&body).send().await.expect("request")
}

fn item(vessel: Uuid, level: &str, name: &str, parent: Option<&Value>) -> Value {
    json!({
        "vessel_id": vessel, "level": level, "name": name, "area": "engine_room",
        "parent_id": parent.map(|p| p["id"].clone()),
    })
}

async fn create(app: &TestApp, who: &Session, body: Value) -> Value {
    json_of(post(app, who, "/api/v1/equipment", body).await, 201).await
}

fn id_of(v: &Value) -> &str {
    v["id"].as_str().expect("an id")
}

/// Every item of a vessel, flat, following cursors.
async fn listed(app: &TestApp, who: &Session, vessel: Uuid, query: &str) -> Vec<Value> {
    all_items(app, who, &format!("/api/v1/equipment/by-vessel/{vessel}?view=flat{query}")).await
}

fn names(items: &[Value]) -> BTreeSet<String> {
    items.iter().map(|i| i["name"].as_str().unwrap_or_default().to_owned()).collect()
}

/// Audit entries of `action`, newest first.
async fn audited(app: &TestApp, owner: &Session, action: &str) -> Vec<Value> {
    all_items(app, owner, &format!("/api/v1/audit?action={action}")).await
}

/// The change-log rows of a vessel's scope, in order.
async fn changes_of(app: &TestApp, f: &Fixture, vessel: Uuid) -> Vec<(i64, bosun_store::Change)> {
    let mut tx = app.app.store.begin(Some(f.company.id)).await.expect("a transaction");
    let scope = format!("vessel:{vessel}");
    let mut all: Vec<(i64, bosun_store::Change)> = Vec::new();
    loop {
        let after = all.last().map_or(0, |(seq, _)| *seq);
        let page = tx.changes_since(f.company.id, &scope, after, 1000).await.expect("changes");
        if page.is_empty() {
            return all;
        }
        all.extend(page);
    }
}

async fn the_hierarchy_is_system_equipment_component_on_one_vessel(app: TestApp) {
    let s = ship(&app, "acme").await;
    let o = &s.f.owner;
    let client_id = Uuid::now_v7();
    let mut body = item(s.vessel, "system", "Main propulsion", None);
    body["id"] = json!(client_id);
    body["criticality"] = json!("critical");
    body["specs"] = json!({ "shafts": 2 });
    let system = create(&app, o, body).await;
    assert_eq!(system["id"], client_id.to_string(), "the client's id is kept");
    assert_eq!(
        (system["status"].as_str(), system["effective_status"].as_str()),
        (Some("operational"), Some("operational"))
    );
    assert_eq!(system["specs"], json!({ "shafts": 2 }));
    assert_eq!(system["running_hours"], Value::Null);
    assert!(system["version"].as_i64().is_some_and(|v| v > 0));
    let engine = create(&app, o, item(s.vessel, "equipment", "Main engine 1", Some(&system))).await;
    let turbo = create(&app, o, item(s.vessel, "component", "Turbocharger", Some(&engine))).await;
    assert_eq!(turbo["parent_id"], engine["id"]);
    assert_eq!(engine["criticality"], "medium", "the default criticality");
    create(&app, o, item(s.vessel, "equipment", "Loose pump", None)).await;

    let refused = |body: Value| post(&app, o, "/api/v1/equipment", body);
    let field_code = |b: &Value| (b["errors"][0]["field"].clone(), b["errors"][0]["code"].clone());
    for (body, field, code) in [
        (item(s.vessel, "component", "Orphan", None), "parent_id", "invalid_parent"),
        (item(s.vessel, "system", "Nested", Some(&system)), "parent_id", "invalid_parent"),
        (item(s.vessel, "equipment", "Under a component", Some(&turbo)), "parent_id", "invalid_parent"),
        (item(s.other, "equipment", "Across vessels", Some(&system)), "parent_id", "unknown_parent"),
        (
            item(s.vessel, "equipment", "Unknown parent", Some(&json!({ "id": Uuid::now_v7() }))),
            "parent_id",
            "unknown_parent",
        ),
        (
            json!({ "vessel_id": s.vessel, "level": "deck", "name": "x", "area": "engine_room" }),
            "level",
            "unknown_value",
        ),
        (json!({ "vessel_id": s.vessel, "level": "system", "name": " ", "area": "deck" }), "name", "too_short"),
        (
            json!({ "vessel_id": s.vessel, "level": "system", "name": "x", "area": "deck", "status": "decommissioned" }),
            "status",
            "use_decommission",
        ),
        (
            json!({ "vessel_id": s.vessel, "level": "system", "name": "x", "area": "deck", "specs": [1] }),
            "specs",
            "not_an_object",
        ),
        (
            json!({ "id": Uuid::new_v4(), "vessel_id": s.vessel, "level": "system", "name": "x", "area": "deck" }),
            "id",
            "not_uuid_v7",
        ),
    ] {
        let b = assert_problem(refused(body.clone()).await, 422, "validation_failed").await;
        assert_eq!(field_code(&b), (json!(field), json!(code)), "{body}: {b}");
    }
    let b = assert_problem(
        refused(json!({ "vessel_id": s.vessel, "level": "deck", "name": "", "area": "galley" })).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(b["errors"].as_array().unwrap().len(), 3, "every bad field at once: {b}");
    let mut again = item(s.vessel, "system", "Same id", None);
    again["id"] = json!(client_id);
    assert_problem(refused(again).await, 409, "id_taken").await;
    assert_problem(refused(item(Uuid::now_v7(), "system", "Nowhere", None)).await, 404, "not_found").await;
    // A new item's body has no version, and names its vessel.
    let mut versioned = item(s.vessel, "system", "x", None);
    versioned["version"] = json!(1);
    let b = assert_problem(refused(versioned).await, 422, "validation_failed").await;
    assert_eq!(field_code(&b), (json!("version"), json!("unknown_field")));
    let b = assert_problem(
        refused(json!({ "level": "system", "name": "x", "area": "deck" })).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(field_code(&b), (json!("vessel_id"), json!("required")));
    assert_problem(
        refused(json!({ "vessel_id": s.vessel, "level": "system", "name": "x", "area": "deck", "colour": "red" }))
            .await,
        422,
        "validation_failed",
    )
    .await;

    // The detail has what was stored; nothing refused was written.
    let detail = get(&app, o, &format!("/api/v1/equipment/{}", id_of(&turbo))).await;
    assert_eq!(detail["name"], "Turbocharger");
    assert_eq!(detail["faults"], json!([]));
    assert_eq!(detail["readings"], json!([]));
    assert_eq!(names(&listed(&app, o, s.vessel, "").await).len(), 4);
    assert!(listed(&app, o, s.other, "").await.is_empty());

    // Each write left its change-log row and its audit entry.
    let changes = changes_of(&app, &s.f, s.vessel).await;
    assert_eq!(changes.iter().filter(|(_, c)| c.entity == "equipment" && c.op == "insert").count(), 4);
    let (seq, change) = changes.iter().find(|(_, c)| c.row_id.to_string() == id_of(&turbo)).unwrap();
    assert_eq!(turbo["version"], json!(seq), "the version is the change's sequence");
    assert_eq!(change.fields["qr_code"], turbo["qr_code"]);
    let created = audited(&app, o, "equipment.create").await;
    assert_eq!(created.len(), 4);
    assert!(created.iter().any(|e| e["entity_id"] == turbo["id"] && e["after"]["name"] == "Turbocharger"));
}

async fn an_update_replaces_the_fields_and_keeps_the_code(app: TestApp) {
    let s = ship(&app, "acme").await;
    let o = &s.f.owner;
    let system = create(&app, o, item(s.vessel, "system", "Power generation", None)).await;
    let other_system = create(&app, o, item(s.vessel, "system", "Emergency power", None)).await;
    let mut body = item(s.vessel, "equipment", "Generator 1", Some(&system));
    body["maker"] = json!("Caterpillar");
    body["serial_number"] = json!("CAT-1");
    let genset = create(&app, o, body).await;
    create(&app, o, item(s.vessel, "component", "Alternator", Some(&genset))).await;
    let path = format!("/api/v1/equipment/{}", id_of(&genset));

    let replacement = json!({
        "parent_id": other_system["id"], "level": "equipment", "name": "Emergency generator", "area": "other",
        "criticality": "critical", "status": "degraded", "model": "C18", "version": genset["version"],
    });
    let updated = json_of(put(&app, o, &path, replacement.clone()).await, 200).await;
    assert_eq!(updated["name"], "Emergency generator");
    assert_eq!(updated["parent_id"], other_system["id"]);
    assert_eq!(
        (updated["status"].as_str(), updated["effective_status"].as_str()),
        (Some("degraded"), Some("degraded"))
    );
    assert_eq!(updated["maker"], Value::Null, "a field left out is cleared");
    assert_eq!(updated["qr_code"], genset["qr_code"], "the QR code never changes");
    assert!(updated["version"].as_i64() > genset["version"].as_i64());
    // A stale version is refused, as is a level the items under it could not sit under.
    assert_problem(put(&app, o, &path, replacement.clone()).await, 409, "version_conflict").await;
    let mut as_system = replacement.clone();
    as_system["level"] = json!("system");
    as_system["parent_id"] = Value::Null;
    as_system["version"] = Value::Null;
    let b = assert_problem(put(&app, o, &path, as_system).await, 422, "validation_failed").await;
    assert_eq!(b["errors"][0]["code"], "children_do_not_fit");
    let mut under_self = replacement.clone();
    under_self["parent_id"] = genset["id"].clone();
    under_self["version"] = Value::Null;
    assert_problem(put(&app, o, &path, under_self).await, 422, "validation_failed").await;
    // An update body names neither the item (the path does) nor a vessel (an item stays on its own).
    let unknown_field = |b: &Value| (b["errors"][0]["field"].clone(), b["errors"][0]["code"].clone());
    let mut moved = replacement.clone();
    moved["version"] = Value::Null;
    moved["vessel_id"] = json!(s.other);
    let b = assert_problem(put(&app, o, &path, moved).await, 422, "validation_failed").await;
    assert_eq!(unknown_field(&b), (json!("vessel_id"), json!("unknown_field")));
    let mut with_id = replacement.clone();
    with_id["version"] = Value::Null;
    with_id["id"] = genset["id"].clone();
    let b = assert_problem(put(&app, o, &path, with_id).await, 422, "validation_failed").await;
    assert_eq!(unknown_field(&b), (json!("id"), json!("unknown_field")));
    let trail = audited(&app, o, "equipment.update").await;
    assert_eq!(trail.len(), 1);
    assert_eq!(
        (trail[0]["before"]["name"].as_str(), trail[0]["after"]["name"].as_str()),
        (Some("Generator 1"), Some("Emergency generator"))
    );
}

async fn decommissioning_takes_the_items_under_it_and_freezes_them(app: TestApp) {
    let s = ship(&app, "acme").await;
    let o = &s.f.owner;
    let system = create(&app, o, item(s.vessel, "system", "Deck machinery", None)).await;
    let winch = create(&app, o, item(s.vessel, "equipment", "Tugger winch 2", Some(&system))).await;
    let motor = create(&app, o, item(s.vessel, "component", "Hydraulic motor", Some(&winch))).await;
    let brake = create(&app, o, item(s.vessel, "component", "Band brake", Some(&winch))).await;
    let crane = create(&app, o, item(s.vessel, "equipment", "Crane", Some(&system))).await;

    let path = |v: &Value, rest: &str| format!("/api/v1/equipment/{}{rest}", id_of(v));
    let res = app.as_(o, Method::POST, &path(&winch, "/decommission")).send().await.unwrap();
    let done = json_of(res, 200).await;
    assert_eq!((done["status"].as_str(), done["also_decommissioned"].as_u64()), (Some("decommissioned"), Some(2)));
    for v in [&motor, &brake] {
        assert_eq!(get(&app, o, &path(v, "")).await["status"], "decommissioned");
    }
    assert_eq!(get(&app, o, &path(&crane, "")).await["status"], "operational", "a sibling stays");
    assert_eq!(get(&app, o, &path(&system, "")).await["status"], "operational", "the parent stays");

    // Decommissioned items are hidden unless asked for, refuse children, readings and edits.
    assert_eq!(names(&listed(&app, o, s.vessel, "").await), BTreeSet::from(["Deck machinery".into(), "Crane".into()]));
    assert_eq!(listed(&app, o, s.vessel, "&include_decommissioned=true").await.len(), 5);
    assert_eq!(names(&listed(&app, o, s.vessel, "&status=decommissioned").await).len(), 3);
    let b = assert_problem(
        post(&app, o, "/api/v1/equipment", item(s.vessel, "component", "New drum", Some(&winch))).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(b["errors"][0]["code"], "parent_decommissioned");
    assert_problem(post(&app, o, &path(&motor, "/readings"), json!({ "hours": 10 })).await, 409, "decommissioned")
        .await;
    assert_problem(
        put(
            &app,
            o,
            &path(&winch, ""),
            json!({ "level": "equipment", "name": "Back", "area": "deck", "parent_id": system["id"] }),
        )
        .await,
        409,
        "decommissioned",
    )
    .await;
    let again = app.as_(o, Method::POST, &path(&winch, "/decommission")).send().await.unwrap();
    assert_problem(again, 409, "already_decommissioned").await;
    let trail = audited(&app, o, "equipment.decommission").await;
    assert_eq!(trail.len(), 1, "one entry for the lot");
    assert_eq!(trail[0]["after"]["also_decommissioned"].as_array().map(Vec::len), Some(2));
    // Each item that changed has its change-log row.
    let changes = changes_of(&app, &s.f, s.vessel).await;
    let updates: BTreeSet<String> =
        changes.iter().filter(|(_, c)| c.op == "update").map(|(_, c)| c.row_id.to_string()).collect();
    assert_eq!(updates, BTreeSet::from([id_of(&winch).into(), id_of(&motor).into(), id_of(&brake).into()]));
}

/// Builds a small engine room with varied fields; answers items by name.
async fn engine_room(app: &TestApp, who: &Session, vessel: Uuid) -> BTreeMap<String, Value> {
    let mut made = BTreeMap::new();
    let mut add = async |body: Value| {
        let v = create(app, who, body).await;
        made.insert(v["name"].as_str().unwrap().to_owned(), v.clone());
        v
    };
    let prop = add(json!({ "vessel_id": vessel, "level": "system", "name": "Main propulsion", "area": "engine_room", "criticality": "critical" })).await;
    let me1 = add(json!({ "vessel_id": vessel, "level": "equipment", "name": "Main engine 1", "area": "engine_room",
        "parent_id": prop["id"], "criticality": "critical", "maker": "MaK", "serial_number": "MAK-77001" }))
    .await;
    add(json!({ "vessel_id": vessel, "level": "component", "name": "Turbocharger ME1", "area": "engine_room",
        "parent_id": me1["id"], "criticality": "high", "serial_number": "ABB-TPL-1" }))
    .await;
    add(json!({ "vessel_id": vessel, "level": "equipment", "name": "MAIN ENGINE 2", "area": "engine_room",
        "parent_id": prop["id"], "criticality": "critical", "status": "degraded", "serial_number": "MAK-77002" }))
    .await;
    let deck = add(json!({ "vessel_id": vessel, "level": "system", "name": "Deck machinery", "area": "deck", "criticality": "high" })).await;
    add(json!({ "vessel_id": vessel, "level": "equipment", "name": "Anchor windlass", "area": "deck",
        "parent_id": deck["id"], "criticality": "high", "status": "down" }))
    .await;
    add(json!({ "vessel_id": vessel, "level": "equipment", "name": "Provision crane 50%_off", "area": "deck",
        "parent_id": deck["id"], "criticality": "low" }))
    .await;
    add(json!({ "vessel_id": vessel, "level": "system", "name": "Navigation", "area": "bridge", "criticality": "medium" })).await;
    made
}

async fn filters_and_search_narrow_the_list(app: TestApp) {
    let s = ship(&app, "acme").await;
    let o = &s.f.owner;
    engine_room(&app, o, s.vessel).await;
    create(&app, o, item(s.other, "equipment", "Main engine on the other vessel", None)).await;
    let found = async |query: &str| names(&listed(&app, o, s.vessel, query).await);
    let set = |xs: &[&str]| xs.iter().map(|x| (*x).to_owned()).collect::<BTreeSet<_>>();

    assert_eq!(found("").await.len(), 8);
    assert_eq!(found("&area=deck").await, set(&["Deck machinery", "Anchor windlass", "Provision crane 50%_off"]));
    assert_eq!(found("&status=degraded").await, set(&["MAIN ENGINE 2"]));
    assert_eq!(found("&criticality=critical").await, set(&["Main propulsion", "Main engine 1", "MAIN ENGINE 2"]));
    assert_eq!(found("&level=system").await, set(&["Main propulsion", "Deck machinery", "Navigation"]));
    assert_eq!(found("&q=main%20ENGINE").await, set(&["Main engine 1", "MAIN ENGINE 2"]), "names, case-insensitive");
    assert_eq!(found("&q=mak-7700").await, set(&["Main engine 1", "MAIN ENGINE 2"]), "serial numbers");
    assert_eq!(found("&q=50%25_").await, set(&["Provision crane 50%_off"]), "wildcards are literal");
    assert_eq!(found("&q=%25").await, set(&["Provision crane 50%_off"]));
    assert_eq!(found("&area=deck&status=down&criticality=high&level=equipment").await, set(&["Anchor windlass"]));
    assert_eq!(found("&q=nothing-like-this").await, set(&[]));

    // Pages of two, each item once, in id order, each naming its parent.
    let pages = crate::pagination::page_through(&app, o, &format!("/api/v1/equipment/by-vessel/{}", s.vessel), 2).await;
    assert_eq!(pages.len(), 4);
    let all: Vec<Value> = pages.into_iter().flatten().collect();
    let ids: Vec<&str> = all.iter().map(id_of).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    assert!(all.iter().all(|i| i.get("parent_id").is_some() && i["vessel_id"] == s.vessel.to_string()));

    // Bad filters are named.
    let path = format!("/api/v1/equipment/by-vessel/{}", s.vessel);
    let res = app
        .as_(o, Method::GET, &format!("{path}?area=galley&status=broken&level=part&criticality=x"))
        .send()
        .await
        .unwrap();
    let b = assert_problem(res, 422, "validation_failed").await;
    let fields: BTreeSet<&str> = b["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, BTreeSet::from(["area", "status", "level", "criticality"]));
    let res = app.as_(o, Method::GET, &format!("{path}?colour=red")).send().await.unwrap();
    assert_problem(res, 400, "invalid_query").await;
    let res = app.as_(o, Method::GET, &format!("{path}?view=graph")).send().await.unwrap();
    assert_problem(res, 422, "validation_failed").await;
    let res = app.as_(o, Method::GET, &format!("{path}?limit=0")).send().await.unwrap();
    assert_problem(res, 422, "validation_failed").await;
    let res = app.as_(o, Method::GET, &format!("/api/v1/equipment/by-vessel/{}", Uuid::now_v7())).send().await.unwrap();
    assert_problem(res, 404, "not_found").await;
}

fn tree_names(nodes: &Value) -> Value {
    Value::Array(
        nodes
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                if n["children"].as_array().unwrap().is_empty() {
                    n["name"].clone()
                } else {
                    json!({ n["name"].as_str().unwrap(): tree_names(&n["children"]) })
                }
            })
            .collect(),
    )
}

async fn the_tree_nests_what_the_flat_list_links(app: TestApp) {
    let s = ship(&app, "acme").await;
    let o = &s.f.owner;
    let made = engine_room(&app, o, s.vessel).await;
    let path = format!("/api/v1/equipment/by-vessel/{}", s.vessel);
    let tree = get(&app, o, &format!("{path}?view=tree")).await;
    assert_eq!(tree["view"], "tree");
    assert_eq!(tree["total"], 8);
    assert_eq!(
        tree_names(&tree["items"]),
        json!([
            { "Main propulsion": [{ "Main engine 1": ["Turbocharger ME1"] }, "MAIN ENGINE 2"] },
            { "Deck machinery": ["Anchor windlass", "Provision crane 50%_off"] },
            "Navigation",
        ])
    );
    assert!(tree["items"][0]["matched"].as_bool().unwrap());
    // Every node of the tree is the flat item, nested.
    let flat = get(&app, o, &format!("{path}?view=flat&limit=200")).await;
    assert_eq!(flat["view"], "flat");
    let turbo = &tree["items"][0]["children"][0]["children"][0];
    let flat_turbo = flat["items"].as_array().unwrap().iter().find(|i| i["name"] == "Turbocharger ME1").unwrap();
    let mut without = turbo.clone();
    without.as_object_mut().unwrap().remove("children");
    without.as_object_mut().unwrap().remove("matched");
    assert_eq!(&without, flat_turbo);
    assert_eq!(flat_turbo["parent_id"], made["Main engine 1"]["id"]);

    // Filtered, a tree shows the matches with the ancestors that place them.
    let found = get(&app, o, &format!("{path}?view=tree&q=turbo")).await;
    assert_eq!(
        tree_names(&found["items"]),
        json!([{ "Main propulsion": [{ "Main engine 1": ["Turbocharger ME1"] }] }])
    );
    assert_eq!(found["total"], 3);
    assert_eq!(found["items"][0]["matched"], false);
    assert_eq!(found["items"][0]["children"][0]["children"][0]["matched"], true);
    let deck = get(&app, o, &format!("{path}?view=tree&area=deck&status=down")).await;
    assert_eq!(tree_names(&deck["items"]), json!([{ "Deck machinery": ["Anchor windlass"] }]));
    // Decommissioned branches leave the tree unless asked for.
    let res = app
        .as_(o, Method::POST, &format!("/api/v1/equipment/{}/decommission", id_of(&made["Main engine 1"])))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let tree = get(&app, o, &format!("{path}?view=tree")).await;
    assert_eq!(tree["total"], 6);
    let all = get(&app, o, &format!("{path}?view=tree&include_decommissioned=true")).await;
    assert_eq!(all["total"], 8);
    let res = app.as_(o, Method::GET, &format!("{path}?view=tree&limit=5")).send().await.unwrap();
    assert_problem(res, 422, "validation_failed").await;
}

async fn readings_only_climb_unless_the_meter_was_replaced(app: TestApp) {
    let s = ship(&app, "acme").await;
    let o = &s.f.owner;
    let engine = create(&app, o, item(s.vessel, "equipment", "Generator 1", None)).await;
    let idle = create(&app, o, item(s.vessel, "equipment", "Generator 2", None)).await;
    let readings = format!("/api/v1/equipment/{}/readings", id_of(&engine));
    let now = bosun_domain::Clock::now(&*app.clock);
    let at = |days: i64| (now - chrono::Duration::days(days)).to_rfc3339();

    let first = json_of(post(&app, o, &readings, json!({ "hours": 1000.0, "read_at": at(30) })).await, 201).await;
    assert_eq!((first["hours"].as_f64(), first["running_hours"].as_f64()), (Some(1000.0), Some(1000.0)));
    assert_eq!(first["recorded_by"], o.user_id.to_string());
    json_of(post(&app, o, &readings, json!({ "hours": 1200.5, "read_at": at(20) })).await, 201).await;
    // Lower than the last: refused, with the rule named.
    let b = assert_problem(post(&app, o, &readings, json!({ "hours": 1100 })).await, 422, "validation_failed").await;
    assert_eq!(
        (b["errors"][0]["field"].as_str(), b["errors"][0]["code"].as_str()),
        (Some("hours"), Some("reading_backwards"))
    );
    assert!(b["errors"][0]["message"].as_str().unwrap().contains("1200.5"), "{b}");
    // Typed in late: it must fit between the readings around it.
    json_of(post(&app, o, &readings, json!({ "hours": 1100, "read_at": at(25) })).await, 201).await;
    let b = assert_problem(
        post(&app, o, &readings, json!({ "hours": 1300, "read_at": at(22) })).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(b["errors"][0]["code"], "reading_backwards");
    // A new meter starts again from zero; the hours of the old one are kept.
    let replaced = post(&app, o, &readings, json!({ "hours": 3.5, "meter_replaced": true, "read_at": at(10) })).await;
    assert_eq!(json_of(replaced, 201).await["running_hours"].as_f64(), Some(1204.0));
    let last = json_of(post(&app, o, &readings, json!({ "hours": 50, "id": Uuid::now_v7() })).await, 201).await;
    assert_eq!(last["running_hours"].as_f64(), Some(1250.5));
    // Bad readings.
    for (body, code) in [
        (json!({ "hours": -1 }), "invalid_hours"),
        (json!({ "hours": 60, "read_at": (now + chrono::Duration::hours(2)).to_rfc3339() }), "in_the_future"),
        (json!({ "hours": 60, "read_at": "2001-01-01T00:00:00Z" }), "too_old"),
        (json!({ "hours": 60, "id": Uuid::new_v4() }), "not_uuid_v7"),
    ] {
        let b = assert_problem(post(&app, o, &readings, body.clone()).await, 422, "validation_failed").await;
        assert_eq!(b["errors"][0]["code"], code, "{body}");
    }
    assert_problem(post(&app, o, &readings, json!({ "hours": "ten" })).await, 422, "validation_failed").await;
    assert_problem(post(&app, o, &readings, json!({ "hours": 70, "id": last["id"] })).await, 409, "id_taken").await;

    // Newest first, paged, with the derived total.
    let page = get(&app, o, &format!("{readings}?limit=2")).await;
    let hours: Vec<f64> = page["items"].as_array().unwrap().iter().map(|r| r["hours"].as_f64().unwrap()).collect();
    assert_eq!(hours, [50.0, 3.5]);
    assert_eq!(page["running_hours"].as_f64(), Some(1250.5));
    let all = all_items(&app, o, &readings).await;
    let hours: Vec<f64> = all.iter().map(|r| r["hours"].as_f64().unwrap()).collect();
    assert_eq!(hours, [50.0, 3.5, 1200.5, 1100.0, 1000.0]);
    let detail = get(&app, o, &format!("/api/v1/equipment/{}", id_of(&engine))).await;
    assert_eq!((detail["running_hours"].as_f64(), detail["readings_total"].as_u64()), (Some(1250.5), Some(5)));
    assert_eq!(detail["readings"][0]["hours"].as_f64(), Some(50.0));
    let list = listed(&app, o, s.vessel, "").await;
    let hours_of = |name: &str| list.iter().find(|i| i["name"] == name).unwrap()["running_hours"].clone();
    assert_eq!(hours_of("Generator 1").as_f64(), Some(1250.5));
    assert_eq!(hours_of("Generator 2"), Value::Null, "no readings, no hours");
    assert_eq!(
        get(&app, o, &format!("/api/v1/equipment/{}/readings", id_of(&idle))).await["running_hours"],
        Value::Null
    );
    // Insert-only facts: each has its change-log row and audit entry.
    let changes = changes_of(&app, &s.f, s.vessel).await;
    assert_eq!(changes.iter().filter(|(_, c)| c.entity == "meter_reading").count(), 5);
    assert_eq!(audited(&app, o, "reading.record").await.len(), 5);
}

fn critical_fault(
    company: bosun_domain::CompanyId,
    vessel: Uuid,
    equipment: &Value,
    by: &Session,
    status: FaultStatus,
) -> Fault {
    let now = chrono::Utc::now();
    Fault {
        id: FaultId::new(),
        company_id: company,
        vessel_id: VesselId(vessel),
        equipment_id: EquipmentId(id_of(equipment).parse().unwrap()),
        severity: Severity::Critical,
        status,
        title: "Crankcase oil mist alarm".into(),
        description: "Alarm on cylinder 3".into(),
        reported_by: by.user_id,
        observed_at: now - chrono::Duration::hours(2),
        received_at: now,
        acknowledged_at: None,
        assignee_id: None,
        resolved_at: None,
        resolved_by: None,
        root_cause: None,
        resolution: None,
        repair_seconds: None,
        closed_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

async fn an_unresolved_critical_fault_shows_its_equipment_down(app: TestApp) {
    let s = ship(&app, "acme").await;
    let o = &s.f.owner;
    let engine = create(&app, o, item(s.vessel, "equipment", "Main engine 1", None)).await;
    let pump = create(&app, o, item(s.vessel, "equipment", "Fire pump", None)).await;
    let company = s.f.company.id;
    let mut fault = critical_fault(company, s.vessel, &engine, o, FaultStatus::InProgress);
    let mut minor = critical_fault(company, s.vessel, &pump, o, FaultStatus::Open);
    minor.severity = Severity::High;
    let mut tx = app.app.store.begin(Some(company)).await.unwrap();
    tx.insert_fault(&fault).await.unwrap();
    tx.insert_fault(&minor).await.unwrap();
    tx.commit().await.unwrap();

    let status_of = async |name: &str| {
        let list = listed(&app, o, s.vessel, "").await;
        let i = list.into_iter().find(|i| i["name"] == name).unwrap();
        (i["status"].as_str().unwrap().to_owned(), i["effective_status"].as_str().unwrap().to_owned())
    };
    assert_eq!(status_of("Main engine 1").await, ("operational".into(), "down".into()));
    assert_eq!(status_of("Fire pump").await, ("operational".into(), "operational".into()), "only critical faults");
    let detail = get(&app, o, &format!("/api/v1/equipment/{}", id_of(&engine))).await;
    assert_eq!(detail["effective_status"], "down");
    assert_eq!(detail["faults"].as_array().unwrap().len(), 1);
    assert_eq!(detail["faults"][0]["id"], fault.id.to_string());
    assert_eq!(
        (detail["faults"][0]["severity"].as_str(), detail["faults"][0]["status"].as_str()),
        (Some("critical"), Some("in_progress"))
    );
    let tree = get(&app, o, &format!("/api/v1/equipment/by-vessel/{}?view=tree", s.vessel)).await;
    let node = tree["items"].as_array().unwrap().iter().find(|n| n["name"] == "Main engine 1").unwrap().clone();
    assert_eq!(node["effective_status"], "down");
    let by_qr = get(&app, o, &format!("/api/v1/equipment/by-qr/{}", engine["qr_code"].as_str().unwrap())).await;
    assert_eq!(by_qr["effective_status"], "down");

    // Once resolved, the recorded status shows again.
    fault.status = FaultStatus::Resolved;
    fault.resolved_at = Some(chrono::Utc::now());
    fault.version = 2;
    let mut tx = app.app.store.begin(Some(company)).await.unwrap();
    tx.update_fault(&fault).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(status_of("Main engine 1").await, ("operational".into(), "operational".into()));
    // A newer fault appears first in the history.
    let newer = critical_fault(company, s.vessel, &engine, o, FaultStatus::Closed);
    let mut tx = app.app.store.begin(Some(company)).await.unwrap();
    tx.insert_fault(&newer).await.unwrap();
    tx.commit().await.unwrap();
    let detail = get(&app, o, &format!("/api/v1/equipment/{}", id_of(&engine))).await;
    let ids: Vec<&str> = detail["faults"].as_array().unwrap().iter().filter_map(|f| f["id"].as_str()).collect();
    assert_eq!(ids, [newer.id.to_string(), fault.id.to_string()]);
}

async fn qr_codes_encode_the_public_url_and_resolve_to_their_item(app: TestApp) {
    let s = ship(&app, "acme").await;
    let o = &s.f.owner;
    let engine = create(&app, o, item(s.vessel, "equipment", "Main engine 1", None)).await;
    let code = engine["qr_code"].as_str().unwrap().to_owned();
    let alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    assert_eq!(code.len(), QR_CODE_LEN);
    assert!(code.chars().all(|c| alphabet.contains(c)), "{code} is Crockford base32");
    let public_url = app.config.server.public_url.clone();
    assert_eq!(engine["qr_url"], format!("{public_url}/q/{code}"));

    let res = app.as_(o, Method::GET, &format!("/api/v1/equipment/{}/qr.svg", id_of(&engine))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    let svg = res.text().await.unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("the SVG is well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    assert_eq!(doc.root_element().tag_name().namespace(), Some("http://www.w3.org/2000/svg"));
    // It is exactly the QR code of the item's URL.
    let expected = qrcode::QrCode::with_error_correction_level(format!("{public_url}/q/{code}"), qrcode::EcLevel::M)
        .unwrap()
        .render::<qrcode::render::svg::Color<'_>>()
        .module_dimensions(1, 1)
        .build();
    assert_eq!(svg, expected);

    // The scanned code finds the item, however it is typed.
    for typed in [code.clone(), code.to_lowercase(), format!("{}-{}", &code[..5], &code[5..])] {
        let found = get(&app, o, &format!("/api/v1/equipment/by-qr/{typed}")).await;
        assert_eq!(found["id"], engine["id"], "{typed}");
    }
    for unknown in ["0000000000", "ABC", "UUUUUUUUUU", "%3Cscript%3E"] {
        let res = app.as_(o, Method::GET, &format!("/api/v1/equipment/by-qr/{unknown}")).send().await.unwrap();
        assert_problem(res, 404, "not_found").await;
    }
    // Codes are unique and stable.
    let mut codes = BTreeSet::from([code.clone()]);
    for n in 0..30 {
        let v = create(&app, o, item(s.vessel, "system", &format!("System {n}"), None)).await;
        assert!(codes.insert(v["qr_code"].as_str().unwrap().to_owned()));
    }
    let body = json!({ "level": "equipment", "name": "Renamed", "area": "deck" });
    let renamed = json_of(put(&app, o, &format!("/api/v1/equipment/{}", id_of(&engine)), body).await, 200).await;
    assert_eq!(renamed["qr_code"], code);
    let res = app.as_(o, Method::GET, &format!("/api/v1/equipment/{}/qr.svg", Uuid::now_v7())).send().await.unwrap();
    assert_problem(res, 404, "not_found").await;
}

async fn the_public_url_comes_from_the_configuration(backend: crate::harness::Backend) {
    let app = TestApp::spawn_with(backend, |c| c.server.public_url = "https://bosun.northwind.example".into()).await;
    let s = ship(&app, "acme").await;
    let engine = create(&app, &s.f.owner, item(s.vessel, "equipment", "Main engine 1", None)).await;
    let code = engine["qr_code"].as_str().unwrap();
    assert_eq!(engine["qr_url"], format!("https://bosun.northwind.example/q/{code}"));
    let svg = app
        .as_(&s.f.owner, Method::GET, &format!("/api/v1/equipment/{}/qr.svg", id_of(&engine)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let expected = qrcode::QrCode::with_error_correction_level(
        format!("https://bosun.northwind.example/q/{code}"),
        qrcode::EcLevel::M,
    )
    .unwrap()
    .render::<qrcode::render::svg::Color<'_>>()
    .module_dimensions(1, 1)
    .build();
    assert_eq!(svg, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_url_comes_from_the_configuration_on_sqlite() {
    the_public_url_comes_from_the_configuration(crate::harness::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_url_comes_from_the_configuration_on_postgres() {
    the_public_url_comes_from_the_configuration(crate::harness::Backend::Postgres).await;
}

async fn the_label_sheet_prints_every_item_in_service(app: TestApp) {
    let s = ship(&app, "acme").await;
    let o = &s.f.owner;
    let system = create(&app, o, item(s.vessel, "system", "Fire fighting", None)).await;
    let pump = create(&app, o, item(s.vessel, "equipment", r#"Pump <b>"A" & 'B'</b>"#, Some(&system))).await;
    let seal = create(&app, o, item(s.vessel, "component", "Mechanical seal", Some(&pump))).await;
    let gone = create(&app, o, item(s.vessel, "equipment", "Old compressor", Some(&system))).await;
    let elsewhere = create(&app, o, item(s.other, "equipment", "Not on this vessel", None)).await;
    app.as_(o, Method::POST, &format!("/api/v1/equipment/{}/decommission", id_of(&gone))).send().await.unwrap();

    let res = app.as_(o, Method::GET, &format!("/api/v1/vessels/{}/qr-labels", s.vessel)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/html; charset=utf-8");
    let html = res.text().await.unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("Northern Star"));
    assert!(html.contains("@page") && html.contains("@media print"), "print CSS");
    for v in [&system, &pump, &seal] {
        let code = v["qr_code"].as_str().unwrap();
        assert!(html.contains(&format!("data-code=\"{code}\"")), "{code} has a label");
        assert!(html.contains(&format!("{}-{}", &code[..5], &code[5..])), "{code} is printed");
    }
    for v in [&gone, &elsewhere] {
        assert!(!html.contains(v["qr_code"].as_str().unwrap()), "{} has no label", v["name"]);
    }
    assert_eq!(html.matches("<svg").count(), 3, "one QR code per label");
    assert!(html.contains("Pump &lt;b&gt;&quot;A&quot; &amp; &#39;B&#39;&lt;/b&gt;"), "names are escaped");
    assert!(!html.contains("<b>"));
    assert!(html.contains("Engine room · component"));
    assert!(html.find("Fire fighting") < html.find("Mechanical seal"), "hierarchy order");
    // Self-contained: nothing is fetched from elsewhere.
    for external in ["<script", "<link", "src=", "@import", "url("] {
        assert!(!html.contains(external), "the sheet loads {external}");
    }
    let res = app.as_(o, Method::GET, &format!("/api/v1/vessels/{}/qr-labels", Uuid::now_v7())).send().await.unwrap();
    assert_problem(res, 404, "not_found").await;
}

async fn import_csv(app: &TestApp, who: &Session, vessel: Uuid, dry_run: bool, csv: &str) -> Response {
    let send = || {
        app.as_(who, Method::POST, &format!("/api/v1/vessels/{vessel}/equipment/import?dry_run={dry_run}"))
            .header("content-type", "text/csv; charset=utf-8")
            .body(csv.to_owned())
            .send()
    };
    // Twice in the suite of 2026-12-05 the connection broke while a 200 KB body was being
    // written (BrokenPipe), on both backends, under the suite's load; not yet explained (see the
    // closing note). A request that never got an answer is sent once more; an answer is
    // always checked as it came.
    match send().await {
        Ok(res) => res,
        Err(e) if e.is_request() => {
            eprintln!("import request broke before an answer ({e}); sending it once more");
            send().await.expect("import request")
        }
        Err(e) => panic!("import request: {e}"),
    }
}

const HEADER: &str = "ref,parent_ref,level,name,area,equipment_type,maker,model,serial_number,criticality,status";

async fn a_dry_run_reports_every_bad_row_and_imports_nothing(app: TestApp) {
    let s = ship(&app, "acme").await;
    let o = &s.f.owner;
    let existing = create(&app, o, item(s.vessel, "system", "Existing system", None)).await;
    let retired = create(&app, o, item(s.vessel, "equipment", "Retired", None)).await;
    app.as_(o, Method::POST, &format!("/api/v1/equipment/{}/decommission", id_of(&retired))).send().await.unwrap();
    let abroad = create(&app, o, item(s.other, "equipment", "Abroad", None)).await;
    let code = |v: &Value| v["qr_code"].as_str().unwrap().to_owned();
    let csv = format!(
        "{HEADER}\n\
         ME1,PROP,equipment,Main engine 1,engine_room,diesel engine,MaK,8M25,S1,critical,operational\n\
         PROP,,system,Main propulsion,engine_room,,,,,critical,\n\
         T1,ME1,component,Turbocharger,engine_room,,ABB,TPL65,,high,\n\
         X1,,gizmo,Thing,galley,,,,,urgent,broken\n\
         X2,NOPE,equipment,Lost child,deck,,,,,,\n\
         ME1,,system,Duplicate ref,deck,,,,,,\n\
         X3,,component,Orphan component,deck,,,,,,\n\
         X4,{existing_code},equipment,Under existing,deck,,,,,,\n\
         X5,{retired_code},component,Under retired,deck,,,,,,\n\
         X6,{abroad_code},component,Under another vessel,deck,,,,,,\n\
         X7,,system,,deck,,,,,,\n\
         X8,,system,Too few cells\n\
         X9,,system,Decommissioned on arrival,deck,,,,,,decommissioned\n\
         X10,T1,equipment,Equipment under component,deck,,,,,,\n",
        existing_code = code(&existing).to_lowercase(),
        retired_code = code(&retired),
        abroad_code = code(&abroad),
    );
    let before = changes_of(&app, &s.f, s.vessel).await.len();
    let report = json_of(import_csv(&app, o, s.vessel, true, &csv).await, 200).await;
    assert_eq!(
        (report["dry_run"].as_bool(), report["valid"].as_bool(), report["imported"].as_u64()),
        (Some(true), Some(false), Some(0))
    );
    assert_eq!(report["rows"], 13, "every readable row: {report}");
    let errors: BTreeSet<(u64, String, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: BTreeSet<(u64, String, String)> = [
        (5, "level", "unknown_value"),
        (5, "area", "unknown_value"),
        (5, "criticality", "unknown_value"),
        (5, "status", "unknown_value"),
        (6, "parent_ref", "unknown_parent_ref"),
        (7, "ref", "duplicate_ref"),
        (8, "parent_ref", "invalid_parent"),
        (10, "parent_ref", "parent_decommissioned"),
        (11, "parent_ref", "unknown_parent_ref"),
        (12, "name", "too_short"),
        (13, "row", "column_count"),
        (14, "status", "use_decommission"),
        (15, "parent_ref", "invalid_parent"),
    ]
    .into_iter()
    .map(|(r, f, c)| (r, f.to_owned(), c.to_owned()))
    .collect();
    assert_eq!(errors, expected, "{report:#}");
    // Good rows are not reported; the list is in row order.
    let rows: Vec<u64> = report["errors"].as_array().unwrap().iter().map(|e| e["row"].as_u64().unwrap()).collect();
    assert!(rows.windows(2).all(|w| w[0] <= w[1]));
    assert!(!rows.contains(&2) && !rows.contains(&3) && !rows.contains(&4) && !rows.contains(&9));
    // Nothing was written.
    assert_eq!(listed(&app, o, s.vessel, "&include_decommissioned=true").await.len(), 2);
    assert_eq!(changes_of(&app, &s.f, s.vessel).await.len(), before);
    assert!(audited(&app, o, "equipment.import").await.is_empty());

    // A clean dry run says so, and still writes nothing.
    let clean = format!(
        "{HEADER}\nME1,PROP,equipment,Main engine 1,engine_room,,,,,,\nPROP,,system,Main propulsion,engine_room,,,,,,\n"
    );
    let report = json_of(import_csv(&app, o, s.vessel, true, &clean).await, 200).await;
    assert_eq!(
        (report["valid"].as_bool(), report["rows"].as_u64(), report["imported"].as_u64()),
        (Some(true), Some(2), Some(0))
    );
    assert_eq!(report["errors"], json!([]));
    assert_eq!(listed(&app, o, s.vessel, "").await.len(), 1);

    // Problems with the file as a whole refuse it outright.
    let b = assert_problem(
        import_csv(&app, o, s.vessel, true, "name,level,area,colour\nA,system,deck,red\n").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(b["errors"][0]["code"], "unknown_column");
    assert!(b["errors"][0]["message"].as_str().unwrap().contains("colour"));
    let b =
        assert_problem(import_csv(&app, o, s.vessel, true, "name,level\nA,system\n").await, 422, "validation_failed")
            .await;
    assert_eq!(b["errors"][0]["code"], "missing_column");
    let b = assert_problem(import_csv(&app, o, s.vessel, true, &format!("{HEADER}\n")).await, 422, "validation_failed")
        .await;
    assert_eq!(b["errors"][0]["code"], "no_rows");
    let res = app
        .as_(o, Method::POST, &format!("/api/v1/vessels/{}/equipment/import", s.vessel))
        .json(&json!({ "rows": [] }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 415, "unsupported_media_type").await;
    let res = import_csv(&app, o, Uuid::now_v7(), true, &clean).await;
    assert_problem(res, 404, "not_found").await;
    let res = app
        .as_(o, Method::POST, &format!("/api/v1/vessels/{}/equipment/import?dry_run=maybe", s.vessel))
        .header("content-type", "text/csv")
        .body(clean.clone())
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "invalid_query").await;
}

async fn a_real_import_writes_every_row_or_none(app: TestApp) {
    let s = ship(&app, "acme").await;
    let o = &s.f.owner;
    let existing = create(&app, o, item(s.vessel, "system", "Existing fire fighting", None)).await;
    let ex_code = existing["qr_code"].as_str().unwrap();
    let good = format!(
        "{HEADER}\n\
         ME1,PROP,equipment,Main engine 1,engine_room,diesel engine,MaK,8M25,MAK-1,critical,operational\n\
         T1,ME1,component,Turbocharger,engine_room,turbocharger,ABB,TPL65,ABB-9,high,degraded\n\
         PROP,,system,Main propulsion,engine_room,,,,,critical,\n\
         ,{ex_code},equipment,Fire pump 1,engine_room,centrifugal pump,Azcue,CA-80,,critical,\n\
         ,,equipment,\"Crane, provision\",deck,,Palfinger,,,,down\n"
    );
    // The same file with a bad last row: nothing at all is written.
    let bad = format!("{good}X,,component,Orphan,deck,,,,,,\n");
    let before = changes_of(&app, &s.f, s.vessel).await.len();
    let b = assert_problem(import_csv(&app, o, s.vessel, false, &bad).await, 422, "validation_failed").await;
    assert_eq!(b["errors"].as_array().unwrap().len(), 1, "{b}");
    assert_eq!(
        (b["errors"][0]["field"].as_str(), b["errors"][0]["code"].as_str()),
        (Some("rows.7.parent_ref"), Some("invalid_parent"))
    );
    assert_eq!(listed(&app, o, s.vessel, "").await.len(), 1);
    assert_eq!(changes_of(&app, &s.f, s.vessel).await.len(), before);
    assert!(audited(&app, o, "equipment.import").await.is_empty());

    let report = json_of(import_csv(&app, o, s.vessel, false, &good).await, 201).await;
    assert_eq!(
        (report["dry_run"].as_bool(), report["valid"].as_bool(), report["imported"].as_u64()),
        (Some(false), Some(true), Some(5))
    );
    let by_row: BTreeMap<u64, Value> =
        report["items"].as_array().unwrap().iter().map(|i| (i["row"].as_u64().unwrap(), i.clone())).collect();
    assert_eq!(by_row.keys().copied().collect::<Vec<_>>(), [2, 3, 4, 5, 6]);
    assert_eq!(by_row[&2]["ref"], "ME1");
    assert_eq!(by_row[&5]["ref"], Value::Null);
    let list = listed(&app, o, s.vessel, "").await;
    assert_eq!(list.len(), 6);
    let find =
        |name: &str| list.iter().find(|i| i["name"] == name).unwrap_or_else(|| panic!("{name} imported")).clone();
    let (me, turbo, prop, pump, crane) = (
        find("Main engine 1"),
        find("Turbocharger"),
        find("Main propulsion"),
        find("Fire pump 1"),
        find("Crane, provision"),
    );
    assert_eq!(me["parent_id"], prop["id"], "a parent further down the file");
    assert_eq!(turbo["parent_id"], me["id"]);
    assert_eq!(pump["parent_id"], existing["id"], "a parent named by its QR code");
    assert_eq!(crane["parent_id"], Value::Null);
    assert_eq!(
        (me["maker"].as_str(), me["model"].as_str(), me["serial_number"].as_str()),
        (Some("MaK"), Some("8M25"), Some("MAK-1"))
    );
    assert_eq!((turbo["criticality"].as_str(), turbo["status"].as_str()), (Some("high"), Some("degraded")));
    assert_eq!((crane["criticality"].as_str(), crane["status"].as_str()), (Some("medium"), Some("down")));
    assert_eq!(me["id"], by_row[&2]["id"]);
    assert_eq!(me["qr_code"], by_row[&2]["qr_code"]);
    let found = get(&app, o, &format!("/api/v1/equipment/by-qr/{}", me["qr_code"].as_str().unwrap())).await;
    assert_eq!(found["id"], me["id"]);
    // One change-log row per item, one audit entry for the lot.
    let changes = changes_of(&app, &s.f, s.vessel).await;
    assert_eq!(changes.len(), before + 5);
    let trail = audited(&app, o, "equipment.import").await;
    assert_eq!(trail.len(), 1);
    assert_eq!(
        (trail[0]["after"]["count"].as_u64(), trail[0]["entity_id"].as_str()),
        (Some(5), Some(&*s.vessel.to_string()))
    );
}

async fn two_thousand_rows_import_in_one_transaction(app: TestApp) {
    let s = ship(&app, "acme").await;
    let o = &s.f.owner;
    // 20 systems × (9 equipment × (1 + 10 components)) = 2,000 rows; children before parents.
    let mut lines = Vec::new();
    for sys in 0..20 {
        for eq in 0..9 {
            for comp in 0..10 {
                lines.push(format!(
                    "C{sys}-{eq}-{comp},E{sys}-{eq},component,Component {comp} of unit {sys}.{eq},engine_room,part,,,SN-{sys}-{eq}-{comp},low,"
                ));
            }
            lines.push(format!("E{sys}-{eq},S{sys},equipment,Unit {sys}.{eq},engine_room,pump,Azcue,CA,,medium,"));
        }
        lines.push(format!("S{sys},,system,System {sys},engine_room,,,,,high,"));
    }
    assert_eq!(lines.len(), 2_000);
    let csv = format!("{HEADER}\n{}\n", lines.join("\n"));
    // How long it takes is the bench's business, not this test's.
    let report = json_of(import_csv(&app, o, s.vessel, true, &csv).await, 200).await;
    assert_eq!((report["valid"].as_bool(), report["rows"].as_u64()), (Some(true), Some(2_000)));
    let report = json_of(import_csv(&app, o, s.vessel, false, &csv).await, 201).await;
    assert_eq!(report["imported"], 2_000);
    let tree = get(&app, o, &format!("/api/v1/equipment/by-vessel/{}?view=tree", s.vessel)).await;
    assert_eq!(tree["total"], 2_000);
    assert_eq!(tree["items"].as_array().unwrap().len(), 20);
    assert!(tree["items"].as_array().unwrap().iter().all(|sys| sys["children"].as_array().unwrap().len() == 9));
    assert_eq!(tree["items"][0]["children"][0]["children"].as_array().unwrap().len(), 10);
    let found = listed(&app, o, s.vessel, "&q=sn-19-8-9").await;
    assert_eq!(names(&found), BTreeSet::from(["Component 9 of unit 19.8".to_owned()]));
    let changes = changes_of(&app, &s.f, s.vessel).await;
    assert_eq!(changes.iter().filter(|(_, c)| c.entity == "equipment" && c.op == "insert").count(), 2_000);
    // More than the cap is refused whole.
    let big = format!("{HEADER}\n{}", "x".repeat(app.config.server.max_import_bytes));
    let res = import_csv(&app, o, s.vessel, true, &big).await;
    assert_problem(res, 413, "body_too_large").await;
}

async fn a_file_of_millions_of_bad_rows_is_checked_up_to_its_hundredth(app: TestApp) {
    let s = ship(&app, "acme").await;
    let o = &s.f.owner;
    // Four million one-letter rows: under 8 MiB, each row short of cells.
    let csv = format!("name,level,area\n{}", "A\n".repeat(4_000_000));
    assert!(csv.len() < app.config.server.max_import_bytes);
    let res = import_csv(&app, o, s.vessel, true, &csv).await;
    assert_eq!(res.status(), 200);
    let body = res.bytes().await.unwrap();
    assert!(body.len() < 64 * 1024, "the report is {} bytes", body.len());
    let report: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (report["valid"].as_bool(), report["truncated"].as_bool(), report["stopped_at_row"].as_u64()),
        (Some(false), Some(true), Some(101)),
        "checking stops at the 100th bad row, line 101"
    );
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 100);
    assert_eq!((errors[0]["row"].as_u64(), errors[0]["code"].as_str()), (Some(2), Some("column_count")));
    // A real import of it says the same in its refusal, and writes nothing.
    let b = assert_problem(import_csv(&app, o, s.vessel, false, &csv).await, 422, "validation_failed").await;
    let errors = b["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 101, "100 bad rows and where checking stopped");
    assert_eq!(
        (errors[100]["field"].as_str(), errors[100]["code"].as_str()),
        (Some("body"), Some("too_many_bad_rows"))
    );
    assert!(listed(&app, o, s.vessel, "").await.is_empty());
    // A complete check says it was complete.
    let report = json_of(import_csv(&app, o, s.vessel, true, "name,level,area\nA,system,deck\n").await, 200).await;
    assert_eq!((report["truncated"].as_bool(), report.get("stopped_at_row")), (Some(false), None));
    assert_eq!(spooled_files(&app), Vec::<std::path::PathBuf>::new(), "no temporary file is left");
}

async fn imports_are_judged_before_their_body_is_read(app: TestApp) {
    let s = ship(&app, "acme").await;
    let viewer = app.person_in(&s.f.company, "viewer@acme.example", Role::Viewer).await;
    let rotation = JoinRotation {
        vessel_id: VesselId(s.vessel),
        user_id: Some(viewer.user_id),
        department_id: None,
        rotation_start: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        rotation_end: None,
    };
    app.app.mutate(&app.owner_actor(&s.f), rotation).await.unwrap();
    let path = |v: Uuid| format!("/api/v1/vessels/{v}/equipment/import?dry_run=true");
    let big = 7 * 1024 * 1024;
    // A viewer may not import to their vessel, and cannot see the other: told at once.
    assert_eq!(status_before_the_body(&app, &viewer, &path(s.vessel), "text/csv", big).await, 403);
    assert_eq!(status_before_the_body(&app, &viewer, &path(s.other), "text/csv", big).await, 404);
    // A file announced over the limit is refused before it is read.
    let over = app.config.server.max_import_bytes + 1;
    assert_eq!(status_before_the_body(&app, &s.f.owner, &path(s.vessel), "text/csv", over).await, 413);
    assert_eq!(spooled_files(&app), Vec::<std::path::PathBuf>::new());
}

/// Every equipment request `who` could make about another vessel (`other`) and its item.
async fn elsewhere(app: &TestApp, who: &Session, theirs: &Value, other: Uuid) -> Vec<Response> {
    let t = id_of(theirs);
    let code = theirs["qr_code"].as_str().unwrap();
    let get = |path: String| app.as_(who, Method::GET, &path).send();
    vec![
        get(format!("/api/v1/equipment/by-vessel/{other}")).await.unwrap(),
        get(format!("/api/v1/equipment/by-vessel/{other}?view=tree")).await.unwrap(),
        get(format!("/api/v1/equipment/{t}")).await.unwrap(),
        get(format!("/api/v1/equipment/{t}/readings")).await.unwrap(),
        get(format!("/api/v1/equipment/{t}/qr.svg")).await.unwrap(),
        get(format!("/api/v1/equipment/by-qr/{code}")).await.unwrap(),
        get(format!("/api/v1/vessels/{other}/qr-labels")).await.unwrap(),
        post(app, who, "/api/v1/equipment", item(other, "system", "Sneaky", None)).await,
        put(
            app,
            who,
            &format!("/api/v1/equipment/{t}"),
            json!({ "level": "equipment", "name": "Sneaky", "area": "deck" }),
        )
        .await,
        app.as_(who, Method::POST, &format!("/api/v1/equipment/{t}/decommission")).send().await.unwrap(),
        post(app, who, &format!("/api/v1/equipment/{t}/readings"), json!({ "hours": 1 })).await,
        import_csv(app, who, other, false, "name,level,area\nSneaky,system,deck\n").await,
    ]
}

async fn roles_and_vessels_bound_who_does_what(app: TestApp) {
    let s = ship(&app, "acme").await;
    let o = &s.f.owner;
    let company = &s.f.company;
    let engineer = app.person_in(company, "engineer@acme.example", Role::Engineer).await;
    let crew = app.person_in(company, "crew@acme.example", Role::Crew).await;
    let viewer = app.person_in(company, "viewer@acme.example", Role::Viewer).await;
    let owner = app.owner_actor(&s.f);
    for p in [&engineer, &crew, &viewer] {
        app.app
            .mutate(
                &owner,
                JoinRotation {
                    vessel_id: VesselId(s.vessel),
                    user_id: Some(p.user_id),
                    department_id: None,
                    rotation_start: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                    rotation_end: None,
                },
            )
            .await
            .unwrap();
    }
    let mine = create(&app, o, item(s.vessel, "equipment", "Mine", None)).await;
    let theirs = create(&app, o, item(s.other, "equipment", "Theirs", None)).await;

    // An engineer works on their vessel, and nowhere else: other vessels do not exist for them.
    let made = create(&app, &engineer, item(s.vessel, "equipment", "Engineer's pump", None)).await;
    let res =
        post(&app, &engineer, &format!("/api/v1/equipment/{}/readings", id_of(&made)), json!({ "hours": 5 })).await;
    assert_eq!(res.status(), 201);
    for who in [&engineer, &crew, &viewer] {
        for res in elsewhere(&app, who, &theirs, s.other).await {
            let url = res.url().path().to_owned();
            let body = assert_problem(res, 404, "not_found").await;
            assert!(!body.to_string().contains("Theirs"), "{url}: {body}");
        }
    }
    // A parent on a vessel they cannot see is as unknown as none.
    let b = assert_problem(
        post(&app, &engineer, "/api/v1/equipment", item(s.vessel, "component", "Cross", Some(&theirs))).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(b["errors"][0]["code"], "unknown_parent");
    assert_eq!(get(&app, o, &format!("/api/v1/equipment/{}", id_of(&theirs))).await["name"], "Theirs");

    // Crew record readings but do not change the registry; viewers only read.
    let reading = format!("/api/v1/equipment/{}/readings", id_of(&mine));
    assert_eq!(post(&app, &crew, &reading, json!({ "hours": 10 })).await.status(), 201);
    assert_problem(post(&app, &viewer, &reading, json!({ "hours": 20 })).await, 403, "forbidden").await;
    assert_problem(
        post(&app, &crew, "/api/v1/equipment", item(s.vessel, "system", "Crew's", None)).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        import_csv(&app, &viewer, s.vessel, true, "name,level,area\nA,system,deck\n").await,
        403,
        "forbidden",
    )
    .await;
    for who in [&crew, &viewer] {
        assert_eq!(get(&app, who, &format!("/api/v1/equipment/{}", id_of(&mine))).await["name"], "Mine");
        assert_eq!(listed(&app, who, s.vessel, "").await.len(), 2);
    }
    // Refusals are on the audit trail, nothing refused was written.
    let failures = crate::permissions::audited_failures(&app, o).await;
    let refused = |who: &Session, action: &str| {
        failures.iter().any(|e| e["actor_id"] == who.user_id.to_string() && e["action"] == action)
    };
    assert!(refused(&viewer, "reading.record"));
    assert!(refused(&crew, "equipment.write"));
    assert!(refused(&viewer, "equipment.write"));
    assert_eq!(names(&listed(&app, o, s.vessel, "").await), BTreeSet::from(["Mine".into(), "Engineer's pump".into()]));
    assert_eq!(get(&app, o, &reading).await["items"].as_array().unwrap().len(), 1);
}

async fn the_demo_fleet_has_a_registry_with_running_hours(app: TestApp) {
    use bosun_demo::{DEMO_PASSWORD, seed_if_empty};
    let a = &app.app;
    assert!(seed_if_empty(a).await.expect("the demo seeds"));
    let login = app.try_login("owner@northwind.example", DEMO_PASSWORD, Some("northwind")).await;
    let owner = crate::harness::session_from("owner@northwind.example", login).await;
    let vessels = get(&app, &owner, "/api/v1/vessels").await;
    let vessels = vessels["items"].as_array().unwrap().clone();
    // Three ships with their registries, and the quay extension site with its three machines.
    assert_eq!(vessels.len(), 4);
    let (ships, sites): (Vec<&Value>, Vec<&Value>) = vessels.iter().partition(|v| v["kind"] == "vessel");
    assert_eq!((ships.len(), sites.len()), (3, 1));
    let site = sites[0]["id"].as_str().unwrap();
    let plant = all_items(&app, &owner, &format!("/api/v1/equipment/by-vessel/{site}")).await;
    assert_eq!(plant.len(), 3);
    assert!(plant.iter().all(|i| i["running_hours"].as_f64() > Some(3_000.0)), "{plant:?}");
    for v in ships {
        let id = v["id"].as_str().unwrap();
        let tree = get(&app, &owner, &format!("/api/v1/equipment/by-vessel/{id}?view=tree")).await;
        let total = tree["total"].as_u64().unwrap();
        assert!((250..=600).contains(&total), "{} has {total} items", v["name"]);
        assert!(tree["items"].as_array().unwrap().len() >= 15, "{} has its systems", v["name"]);
        let all = all_items(&app, &owner, &format!("/api/v1/equipment/by-vessel/{id}")).await;
        let metered: Vec<&Value> = all.iter().filter(|i| i["running_hours"].is_number()).collect();
        assert!(metered.len() >= 8, "{} has running hours on engines, generators and compressors", v["name"]);
        assert!(all.iter().all(|i| i["serial_number"].is_string() == i["maker"].is_string()));
        let areas: BTreeSet<&str> = all.iter().filter_map(|i| i["area"].as_str()).collect();
        assert!(areas.len() >= 5, "{areas:?}");
        let generator = all.iter().find(|i| i["name"] == "Generator set 1").expect("a generator");
        let readings = all_items(&app, &owner, &format!("/api/v1/equipment/{}/readings", id_of(generator))).await;
        assert_eq!(readings.len(), 26, "weekly for six months");
    }
    let spirit = vessels.iter().find(|v| v["name"] == "Northwind Spirit").unwrap();
    let tree = get(
        &app,
        &owner,
        &format!("/api/v1/equipment/by-vessel/{}?view=tree&q=windlass", spirit["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(tree["total"], 2, "{tree}");
    let atlas = vessels.iter().find(|v| v["name"] == "Northwind Atlas").unwrap();
    let legs = get(
        &app,
        &owner,
        &format!("/api/v1/equipment/by-vessel/{}?q=pinion%20drive&limit=200", atlas["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(legs["items"].as_array().unwrap().len(), 18, "six pinions on each of three legs");
}

crate::on_both_backends!(
    the_hierarchy_is_system_equipment_component_on_one_vessel,
    an_update_replaces_the_fields_and_keeps_the_code,
    decommissioning_takes_the_items_under_it_and_freezes_them,
    filters_and_search_narrow_the_list,
    the_tree_nests_what_the_flat_list_links,
    readings_only_climb_unless_the_meter_was_replaced,
    an_unresolved_critical_fault_shows_its_equipment_down,
    qr_codes_encode_the_public_url_and_resolve_to_their_item,
    the_label_sheet_prints_every_item_in_service,
    a_dry_run_reports_every_bad_row_and_imports_nothing,
    a_real_import_writes_every_row_or_none,
    two_thousand_rows_import_in_one_transaction,
    a_file_of_millions_of_bad_rows_is_checked_up_to_its_hundredth,
    imports_are_judged_before_their_body_is_read,
    roles_and_vessels_bound_who_does_what,
    the_demo_fleet_has_a_registry_with_running_hours,
);
