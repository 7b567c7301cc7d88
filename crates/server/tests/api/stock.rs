//! Spare parts and stock: the catalogue's one number per part, stock moving only through the
//! ledger with its balance, the stock each role reads and moves, and the same movements
//! pushed from an offline device, applied once.

use bosun_app::stock::{CreatePart, CreateStockLocation};
use bosun_domain::VesselId;
use bosun_domain::person::Role;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::faults::{audit_actions, get, ok_json, send};
use crate::harness::{TestApp, assert_problem};
use crate::pagination::all_items;
use crate::permissions::{Acme, acme};
use crate::sync::{pull_all, push};

/// A fresh part and a fresh location on the Acme vessel, made by the owner: (location, part).
pub(crate) async fn walk_place(app: &TestApp, w: &Acme) -> (Uuid, Uuid) {
    let owner = app.owner_actor(&w.fixture);
    let tag = Uuid::now_v7().simple().to_string();
    let part = CreatePart {
        id: None,
        number: format!("P-{tag}"),
        name: "Impeller".into(),
        maker: None,
        unit: "pcs".into(),
        critical: false,
        equivalents: Vec::new(),
    };
    let part = app.app.mutate(&owner, part).await.expect("a part").row.id;
    let place =
        CreateStockLocation { id: None, vessel_id: VesselId(w.vessel), name: format!("Store {tag}"), parent_id: None };
    let location = app.app.mutate(&owner, place).await.expect("a location").row.id;
    (location.0, part.0)
}

/// A transfer in transit from a stocked location of the Acme vessel to a store of the other
/// vessel: (transfer, the destination location).
pub(crate) async fn walk_transfer(app: &TestApp, w: &Acme) -> (Uuid, Uuid) {
    let (from, part) = crate::work_orders::walk_stock(app, w).await;
    let owner = app.owner_actor(&w.fixture);
    let tag = Uuid::now_v7().simple().to_string();
    let place = CreateStockLocation {
        id: None,
        vessel_id: VesselId(w.other_vessel),
        name: format!("Dock store {tag}"),
        parent_id: None,
    };
    let to = app.app.mutate(&owner, place).await.expect("a location").row.id.0;
    let id = Uuid::now_v7();
    let body =
        json!({ "id": id, "from_location_id": from, "to_location_id": to, "part_id": part, "quantity_milli": 2000 });
    ok_json(send(app, &w.fixture.owner, Method::POST, "/api/v1/stock/transfers", body).await, 201).await;
    (id, to)
}

fn part_body(number: &str, name: &str) -> Value {
    json!({ "number": number, "name": name, "maker": "SKF", "unit": "pcs" })
}

async fn the_catalogue_takes_each_part_number_once(app: TestApp) {
    let w = acme(&app).await;
    let owner = &w.fixture.owner;
    let id = Uuid::now_v7();
    let mut body = part_body("6205-2RS", "Ball bearing");
    body["id"] = json!(id);
    body["critical"] = json!(true);
    let made = ok_json(send(&app, owner, Method::POST, "/api/v1/parts", body.clone()).await, 201).await;
    assert_eq!((made["number"].as_str(), made["critical"].as_bool()), (Some("6205-2RS"), Some(true)));
    // Sent again (a lost answer): the same part, once.
    let again = ok_json(send(&app, owner, Method::POST, "/api/v1/parts", body.clone()).await, 200).await;
    assert_eq!(again["version"], made["version"]);
    body["name"] = json!("Another bearing");
    assert_problem(send(&app, owner, Method::POST, "/api/v1/parts", body).await, 409, "id_taken").await;
    // The same number spaced or cased otherwise is the same part.
    let twin = send(&app, owner, Method::POST, "/api/v1/parts", part_body("6205 2rs", "Bearing")).await;
    let p = assert_problem(twin, 409, "part_number_taken").await;
    assert!(p["detail"].as_str().unwrap().contains("6205-2RS"), "{p}");
    let blank = send(&app, owner, Method::POST, "/api/v1/parts", part_body("--", "Dashes")).await;
    assert_problem(blank, 422, "validation_failed").await;
    let unknown = json!({ "number": "X-1", "name": "Seal", "unit": "pcs", "equivalents": [Uuid::now_v7()] });
    assert_problem(send(&app, owner, Method::POST, "/api/v1/parts", unknown).await, 404, "not_found").await;

    let seal = json!({ "number": "A-12", "name": "Seal kit", "unit": "set", "equivalents": [id] });
    let seal = ok_json(send(&app, owner, Method::POST, "/api/v1/parts", seal).await, 201).await;
    ok_json(send(&app, owner, Method::POST, "/api/v1/parts", part_body("FO-100", "Fuel filter")).await, 201).await;
    let numbers =
        |items: Vec<Value>| items.iter().map(|p| p["number"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    assert_eq!(numbers(all_items(&app, owner, "/api/v1/parts").await), ["6205-2RS", "A-12", "FO-100"]);
    assert_eq!(numbers(all_items(&app, owner, "/api/v1/parts?q=seal").await), ["A-12"]);
    assert_eq!(numbers(all_items(&app, owner, "/api/v1/parts?critical=true").await), ["6205-2RS"]);

    // An update names the version it read; its own number respelled is fine, another's is not.
    let path = format!("/api/v1/parts/{}", seal["id"].as_str().unwrap());
    let mut edit = json!({ "number": "a12", "name": "Seal kit, pump", "unit": "set", "version": seal["version"] });
    let edited = ok_json(send(&app, owner, Method::PUT, &path, edit.clone()).await, 200).await;
    assert_eq!((edited["number"].as_str(), edited["equivalents"].as_array().map(Vec::len)), (Some("a12"), Some(0)));
    assert_problem(send(&app, owner, Method::PUT, &path, edit.clone()).await, 409, "version_conflict").await;
    edit["version"] = edited["version"].clone();
    edit["number"] = json!("fo.100");
    assert_problem(send(&app, owner, Method::PUT, &path, edit).await, 409, "part_number_taken").await;
    assert_eq!(get(&app, &w.people[&Role::Crew], &path).await["name"], "Seal kit, pump");
    // Crew read the catalogue but do not write it.
    let crew = send(&app, &w.people[&Role::Crew], Method::POST, "/api/v1/parts", part_body("C-1", "Crew's")).await;
    assert_problem(crew, 403, "forbidden").await;
    let trail = audit_actions(&app, owner, "part", seal["id"].as_str().unwrap()).await;
    assert_eq!(trail, ["part.create", "part.update"]);
}

async fn receive(app: &TestApp, w: &Acme, who: Role, location: &str, part: &str, milli: i64) -> reqwest::Response {
    let body = json!({ "location_id": location, "part_id": part, "quantity_milli": milli });
    send(app, &w.people[&who], Method::POST, "/api/v1/stock/receipts", body).await
}

async fn adjust(app: &TestApp, w: &Acme, location: &str, part: &str, direction: &str, milli: i64) -> reqwest::Response {
    let body = json!({
        "location_id": location, "part_id": part, "direction": direction, "quantity_milli": milli, "reason": "Counted",
    });
    send(app, &w.fixture.owner, Method::POST, "/api/v1/stock/adjustments", body).await
}

async fn stock_moves_only_through_the_ledger_and_its_balance(app: TestApp) {
    let w = acme(&app).await;
    let owner = &w.fixture.owner;
    let vessel = w.vessel;
    let store = json!({ "name": "Engine store" });
    let store = ok_json(
        send(&app, owner, Method::POST, &format!("/api/v1/vessels/{vessel}/stock-locations"), store).await,
        201,
    )
    .await;
    let room = store["id"].as_str().unwrap().to_owned();
    let shelf = json!({ "name": "Shelf B", "parent_id": room });
    let shelf = ok_json(
        send(&app, owner, Method::POST, &format!("/api/v1/vessels/{vessel}/stock-locations"), shelf).await,
        201,
    )
    .await;
    let shelf = shelf["id"].as_str().unwrap().to_owned();
    // A parent that is not a location of this vessel is a field error, not a missing page.
    let stray = json!({ "name": "Shelf C", "parent_id": Uuid::new_v4() });
    let stray = send(&app, owner, Method::POST, &format!("/api/v1/vessels/{vessel}/stock-locations"), stray).await;
    let b = assert_problem(stray, 422, "validation_failed").await;
    assert_eq!(b["errors"][0]["code"], "unknown_parent", "{b}");
    let taken = send(
        &app,
        owner,
        Method::POST,
        &format!("/api/v1/vessels/{vessel}/stock-locations"),
        json!({ "name": " engine STORE" }),
    )
    .await;
    assert_problem(taken, 409, "location_name_taken").await;
    let oil = ok_json(
        send(
            &app,
            owner,
            Method::POST,
            "/api/v1/parts",
            json!({ "number": "OIL-40", "name": "Engine oil", "unit": "l" }),
        )
        .await,
        201,
    )
    .await;
    let oil = oil["id"].as_str().unwrap().to_owned();

    // 12.5 l in, 2.5 l out after a count: 10 l on hand, exactly.
    let first = ok_json(receive(&app, &w, Role::Engineer, &room, &oil, 12_500).await, 201).await;
    assert_eq!(
        (first["on_hand"]["value"].as_str(), first["entry"]["delta"]["value"].as_str()),
        (Some("12.5"), Some("12.5"))
    );
    let counted = ok_json(adjust(&app, &w, &room, &oil, "remove", 2_500).await, 201).await;
    assert_eq!(counted["on_hand"]["value"], "10");
    assert_eq!(
        (counted["entry"]["delta"]["milli"].as_i64(), counted["entry"]["reason"].as_str()),
        (Some(-2_500), Some("Counted"))
    );
    ok_json(receive(&app, &w, Role::Manager, &shelf, &oil, 500).await, 201).await;
    // More taken than is there: refused, nothing stored.
    let short = adjust(&app, &w, &shelf, &oil, "remove", 501).await;
    let p = assert_problem(short, 409, "insufficient_stock").await;
    assert!(p["detail"].as_str().unwrap().contains("only 0.5 on hand"), "{p}");

    let rule = json!({ "minimum_milli": 20_000, "reorder_milli": 5_000 });
    let rule = ok_json(
        send(&app, owner, Method::PUT, &format!("/api/v1/vessels/{vessel}/stock-rules/{oil}"), rule).await,
        200,
    )
    .await;
    assert_eq!((rule["minimum"]["value"].as_str(), rule["reorder"]["value"].as_str()), (Some("20"), Some("5")));
    let stock = get(&app, &w.people[&Role::Crew], &format!("/api/v1/vessels/{vessel}/stock")).await;
    assert_eq!(stock["locations"].as_array().unwrap().len(), 2);
    let line = &stock["lines"][0];
    assert_eq!((line["part"]["number"].as_str(), line["total"]["value"].as_str()), (Some("OIL-40"), Some("10.5")));
    // The part as a summary: the catalogue has its equivalents, version and times.
    let mut fields: Vec<&str> = line["part"].as_object().unwrap().keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["critical", "id", "maker", "name", "number", "unit"]);
    assert_eq!(line["total"], json!({ "value": "10.5", "milli": 10_500 }));
    assert_eq!(line["balances"].as_array().unwrap().len(), 2);
    // 10.5 on hand against a minimum of 20: the reorder of 5 would not reach it, so 9.5.
    assert_eq!(line["suggested_reorder"]["value"], "9.5");
    let low = get(&app, owner, &format!("/api/v1/vessels/{vessel}/stock?low=true")).await;
    assert_eq!(low["lines"].as_array().unwrap().len(), 1);

    let ledger = all_items(&app, owner, &format!("/api/v1/vessels/{vessel}/stock/entries?part_id={oil}")).await;
    let deltas: Vec<&str> = ledger.iter().map(|e| e["delta"]["value"].as_str().unwrap()).collect();
    assert_eq!(deltas, ["0.5", "-2.5", "12.5"], "newest first, the refused one absent");
    let at_shelf = all_items(&app, owner, &format!("/api/v1/vessels/{vessel}/stock/entries?location_id={shelf}")).await;
    assert_eq!(at_shelf.len(), 1);

    // Crew read stock but move none; a vessel out of reach is not found.
    assert_problem(receive(&app, &w, Role::Crew, &room, &oil, 1_000).await, 403, "forbidden").await;
    let other = w.other_vessel;
    let away = app
        .as_(&w.people[&Role::Engineer], Method::GET, &format!("/api/v1/vessels/{other}/stock"))
        .send()
        .await
        .unwrap();
    assert_problem(away, 404, "not_found").await;
    let trail = audit_actions(&app, owner, "stock_entry", first["entry"]["id"].as_str().unwrap()).await;
    assert_eq!(trail, ["stock.receive"]);
}

async fn stock_moved_offline_is_applied_once_and_synced_back(app: TestApp) {
    let w = acme(&app).await;
    let (location, part) = walk_place(&app, &w).await;
    let engineer = &w.people[&Role::Engineer];
    let client = Uuid::now_v7();
    let entry = Uuid::now_v7();
    let receipt = json!({ "id": 1, "name": "receive_stock.v1", "hlc": "0190f3c2a1b40003",
        "args": { "id": entry, "location_id": location, "part_id": part, "quantity": "4" } });
    let too_many = json!({ "id": 2, "name": "adjust_stock.v1",
        "args": { "id": Uuid::now_v7(), "location_id": location, "part_id": part, "delta": "-5", "reason": "Leak" } });
    let answer = push(&app, engineer, client, json!([receipt, too_many])).await;
    assert_eq!(answer["applied"], json!([1]), "{answer}");
    assert_eq!(answer["rejected"][0]["code"], "insufficient_stock", "{answer}");
    // The same batch again (a lost answer): nothing twice.
    let again = push(&app, engineer, client, json!([receipt])).await;
    assert_eq!(again["skipped"], json!([1]));
    // The same entry from another device (a copied queue): the stored entry, not a second one.
    let copied = push(&app, engineer, Uuid::now_v7(), json!([receipt])).await;
    assert_eq!(copied["applied"], json!([1]));
    let stock = get(&app, engineer, &format!("/api/v1/vessels/{}/stock", w.vessel)).await;
    let line = stock["lines"].as_array().unwrap().iter().find(|l| l["part"]["id"] == json!(part)).cloned().unwrap();
    assert_eq!(line["total"]["value"], "4");

    // Devices receive the entry, the balance and the catalogue through their pull.
    let (changes, _) = pull_all(&app, engineer, Some(client), 262_144).await;
    let of = |entity: &str| {
        changes.iter().filter(|(_, c)| c["entity"] == entity).map(|(s, c)| (s.clone(), c.clone())).collect::<Vec<_>>()
    };
    let entries = of("stock_entry");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0, format!("vessel:{}", w.vessel));
    assert_eq!(
        (entries[0].1["fields"]["delta"].as_str(), entries[0].1["fields"]["movement"].as_str()),
        (Some("4"), Some("receive"))
    );
    let balances = of("stock_balance");
    assert_eq!(balances.last().unwrap().1["fields"]["on_hand"], "4");
    let parts = of("part");
    assert!(parts.iter().any(|(scope, c)| scope.starts_with("company:") && c["id"] == json!(part)), "{parts:?}");
}

async fn a_transfer_leaves_one_vessel_and_reaches_another_once(app: TestApp) {
    let w = acme(&app).await;
    let owner = &w.fixture.owner;
    let (from, part) = crate::work_orders::walk_stock(&app, &w).await; // 10 on hand
    let dock = json!({ "name": "Dock store" });
    let to = ok_json(
        send(&app, owner, Method::POST, &format!("/api/v1/vessels/{}/stock-locations", w.other_vessel), dock).await,
        201,
    )
    .await["id"]
        .clone();
    let id = Uuid::now_v7();
    let body =
        json!({ "id": id, "from_location_id": from, "to_location_id": to, "part_id": part, "quantity_milli": 4000 });
    let engineer = &w.people[&Role::Engineer];
    let sent = ok_json(send(&app, engineer, Method::POST, "/api/v1/stock/transfers", body.clone()).await, 201).await;
    assert_eq!((sent["status"].as_str(), sent["sent"]["value"].as_str()), (Some("in_transit"), Some("4")));
    ok_json(send(&app, engineer, Method::POST, "/api/v1/stock/transfers", body.clone()).await, 200).await;
    let stock = get(&app, owner, &format!("/api/v1/vessels/{}/stock", w.vessel)).await;
    let line = stock["lines"].as_array().unwrap().iter().find(|l| l["part"]["id"] == json!(part)).unwrap().clone();
    assert_eq!(line["total"]["value"], "6", "{line}");
    // What is on its way counts towards the other vessel's minimum: four coming, five wanted,
    // the reorder quantity (two) to order rather than five.
    let rule = json!({ "minimum_milli": 5000, "reorder_milli": 2000 });
    let path = format!("/api/v1/vessels/{}/stock-rules/{}", w.other_vessel, part);
    ok_json(send(&app, owner, Method::PUT, &path, rule).await, 200).await;
    let there = get(&app, owner, &format!("/api/v1/vessels/{}/stock?low=true", w.other_vessel)).await;
    let line = &there["lines"][0];
    assert_eq!(
        (
            line["total"]["value"].as_str(),
            line["incoming"]["value"].as_str(),
            line["suggested_reorder"]["value"].as_str()
        ),
        (Some("0"), Some("4"), Some("2")),
        "{there}"
    );
    // More than on hand, or to the same place, is refused.
    let mut too_many = body.clone();
    too_many["id"] = json!(Uuid::now_v7());
    too_many["quantity_milli"] = json!(7000);
    assert_problem(
        send(&app, engineer, Method::POST, "/api/v1/stock/transfers", too_many).await,
        409,
        "insufficient_stock",
    )
    .await;
    let mut same = body.clone();
    same["id"] = json!(Uuid::now_v7());
    same["to_location_id"] = json!(from);
    assert_problem(send(&app, engineer, Method::POST, "/api/v1/stock/transfers", same).await, 409, "same_location")
        .await;
    // The engineer does not reach the other vessel: the owner receives there, three of four.
    let receive = format!("/api/v1/stock/transfers/{id}/receive");
    let res = send(&app, engineer, Method::POST, &receive, json!({ "quantity_milli": 3000 })).await;
    assert_problem(res, 404, "not_found").await;
    let over = send(&app, owner, Method::POST, &receive, json!({ "quantity_milli": 5000 })).await;
    assert_problem(over, 409, "over_receipt").await;
    let got = ok_json(send(&app, owner, Method::POST, &receive, json!({ "quantity_milli": 3000 })).await, 201).await;
    assert_eq!((got["status"].as_str(), got["shortfall"]["value"].as_str()), (Some("received"), Some("1")));
    ok_json(send(&app, owner, Method::POST, &receive, json!({ "quantity_milli": 3000 })).await, 200).await;
    assert_problem(
        send(&app, owner, Method::POST, &receive, json!({ "quantity_milli": 1000 })).await,
        409,
        "already_received",
    )
    .await;
    let there = get(&app, owner, &format!("/api/v1/vessels/{}/stock", w.other_vessel)).await;
    assert_eq!(there["lines"][0]["total"]["value"], "3", "{there}");
    assert_eq!(there["lines"][0]["incoming"]["value"], "0", "received: no longer on its way");
    let listed = get(&app, owner, &format!("/api/v1/vessels/{}/stock/transfers", w.other_vessel)).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    let waiting = get(&app, owner, &format!("/api/v1/vessels/{}/stock/transfers?in_transit=true", w.vessel)).await;
    assert!(waiting["items"].as_array().unwrap().is_empty());
    // Offline, as a sync push: sent once whatever is replayed.
    let offline = Uuid::now_v7();
    let batch = json!([{ "id": 1, "name": "transfer_stock.v1", "args": { "id": offline, "from_location_id": from,
        "to_location_id": to, "part_id": part, "quantity": "1.5" } }]);
    assert_eq!(push(&app, engineer, Uuid::now_v7(), batch.clone()).await["applied"], json!([1]));
    assert!(push(&app, engineer, Uuid::now_v7(), batch).await["rejected"].as_array().unwrap().is_empty());
    let stock = get(&app, owner, &format!("/api/v1/vessels/{}/stock", w.vessel)).await;
    let line = stock["lines"].as_array().unwrap().iter().find(|l| l["part"]["id"] == json!(part)).unwrap().clone();
    assert_eq!(line["total"]["value"], "4.5", "{line}");
    let (changes, _) = pull_all(&app, engineer, None, 262_144).await;
    assert!(changes.iter().any(|(_, c)| c["entity"] == "stock_transfer" && c["fields"]["status"] == "in_transit"));
}

async fn the_catalogue_and_a_vessels_stock_export_as_csv(app: TestApp) {
    let w = acme(&app).await;
    let owner = &w.fixture.owner;
    let (location, part) = crate::work_orders::walk_stock(&app, &w).await;
    let evil = json!({ "number": "=CMD()", "name": "@SUM(1)", "unit": "pcs", "equivalents": [part] });
    ok_json(send(&app, owner, Method::POST, "/api/v1/parts", evil).await, 201).await;
    let res = app.as_(&w.people[&Role::Crew], Method::GET, "/api/v1/parts/export").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = res.text().await.unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("number,name,maker,unit,critical,equivalents"));
    assert!(text.contains("'=CMD(),'@SUM(1),,pcs,no,P-"), "formulas written as text: {text}");
    let path = format!("/api/v1/vessels/{}/stock/export", w.vessel);
    let stock = app.as_(owner, Method::GET, &path).send().await.unwrap().text().await.unwrap();
    assert!(
        stock.starts_with("number,name,unit,location,on_hand,total,incoming,minimum,reorder,suggested_reorder\n"),
        "{stock}"
    );
    assert!(stock.lines().any(|l| l.contains(",10,10,0,")), "ten on hand, none coming: {stock}");
    let _ = location;
    let res =
        app.as_(owner, Method::GET, &format!("/api/v1/vessels/{}/stock/export", Uuid::now_v7())).send().await.unwrap();
    assert_problem(res, 404, "not_found").await;
}

async fn import_csv(app: &TestApp, who: &crate::harness::Session, csv: &str, dry_run: bool) -> reqwest::Response {
    app.as_(who, Method::POST, &format!("/api/v1/parts/import?dry_run={dry_run}"))
        .header("content-type", "text/csv")
        .body(csv.to_owned())
        .send()
        .await
        .unwrap()
}

/// A count of `part` at `location` (both the walk's, on the Acme vessel): the CSV body.
pub(crate) async fn count_of(app: &TestApp, w: &Acme, location: Uuid, part: Uuid, on_hand: &str) -> String {
    let owner = &w.fixture.owner;
    let number = get(app, owner, &format!("/api/v1/parts/{part}")).await["number"].as_str().unwrap().to_owned();
    let places = get(app, owner, &format!("/api/v1/vessels/{}/stock-locations", w.vessel)).await;
    let place = places.as_array().unwrap().iter().find(|l| l["id"] == json!(location)).unwrap()["name"].clone();
    format!("number,location,on_hand\n{number},{},{on_hand}\n", place.as_str().unwrap())
}

async fn count_csv(
    app: &TestApp,
    who: &crate::harness::Session,
    vessel: Uuid,
    csv: &str,
    dry_run: bool,
) -> reqwest::Response {
    app.as_(who, Method::POST, &format!("/api/v1/vessels/{vessel}/stock/import?dry_run={dry_run}"))
        .header("content-type", "text/csv")
        .body(csv.to_owned())
        .send()
        .await
        .unwrap()
}

async fn a_stock_count_imports_from_the_stock_export(app: TestApp) {
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let (location, part) = crate::work_orders::walk_stock(&app, &w).await;
    let (_, other) = walk_place(&app, &w).await;
    // The export, counted: ten become seven; a part with nothing there yet is counted in.
    let export = app.as_(engineer, Method::GET, &format!("/api/v1/vessels/{}/stock/export", w.vessel)).send().await;
    let export = export.unwrap().text().await.unwrap();
    let mut counted: Vec<String> = export.lines().map(str::to_owned).collect();
    counted[1] = counted[1].replacen(",10,10,", ",7,10,", 1);
    let extra = count_of(&app, &w, location, other, "2.5").await;
    counted.push(extra.lines().nth(1).unwrap().replacen(',', ",Seal,pcs,", 1).to_owned() + ",,,,,");
    let csv = counted.join("\n") + "\n";
    let dry = ok_json(count_csv(&app, engineer, w.vessel, &csv, true).await, 200).await;
    assert_eq!((dry["valid"].as_bool(), dry["set"].as_u64()), (Some(true), Some(2)), "{dry}");
    assert_eq!(
        (dry["counted"][0]["before"]["value"].as_str(), dry["counted"][0]["after"]["value"].as_str()),
        (Some("10"), Some("7"))
    );
    let done = ok_json(count_csv(&app, engineer, w.vessel, &csv, false).await, 201).await;
    assert_eq!(done["set"], 2, "{done}");
    let stock = get(&app, engineer, &format!("/api/v1/vessels/{}/stock", w.vessel)).await;
    let total = |id: Uuid| {
        stock["lines"].as_array().unwrap().iter().find(|l| l["part"]["id"] == json!(id)).unwrap()["total"]["value"]
            .clone()
    };
    assert_eq!((total(part), total(other)), (json!("7"), json!("2.5")));
    let entries = get(&app, engineer, &format!("/api/v1/vessels/{}/stock/entries?part_id={part}", w.vessel)).await;
    assert_eq!(entries["items"][0]["reason"], "Stock count (CSV import)", "{entries}");
    // The same count again changes nothing.
    let again = ok_json(count_csv(&app, engineer, w.vessel, &csv, false).await, 201).await;
    assert_eq!((again["set"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(2)), "{again}");

    // Every problem by line, nothing written.
    let bad = "number,location,on_hand\nNOPE-1,Nowhere,1\n";
    let dry = ok_json(count_csv(&app, engineer, w.vessel, bad, true).await, 200).await;
    assert_eq!(dry["errors"][0]["code"], "unknown_part", "{dry}");
    let twice = format!(
        "{}{}",
        count_of(&app, &w, location, part, "1").await,
        count_of(&app, &w, location, part, "2").await.lines().nth(1).unwrap()
    );
    let res = count_csv(&app, engineer, w.vessel, &twice, false).await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "rows.3.row", "{body}");
    assert_eq!(get(&app, engineer, &format!("/api/v1/vessels/{}/stock", w.vessel)).await, stock, "nothing written");
    // Who, and where.
    assert_problem(count_csv(&app, &w.people[&Role::Crew], w.vessel, &csv, true).await, 403, "forbidden").await;
    assert_problem(count_csv(&app, engineer, Uuid::now_v7(), &csv, true).await, 404, "not_found").await;
    let audit = get(&app, &w.fixture.owner, "/api/v1/audit?action=stock.import").await;
    assert_eq!(audit["items"].as_array().unwrap().len(), 2, "{audit}");
}

async fn part_count(app: &TestApp, who: &crate::harness::Session) -> usize {
    get(app, who, "/api/v1/parts?limit=200").await["items"].as_array().unwrap().len()
}

async fn the_catalogue_imports_from_csv_all_or_nothing(app: TestApp) {
    let w = acme(&app).await;
    let owner = &w.fixture.owner;
    let made = json!({ "number": "IMP-100", "name": "Impeller", "unit": "pcs" });
    let impeller = ok_json(send(&app, owner, Method::POST, "/api/v1/parts", made).await, 201).await["id"].clone();
    let csv = "number,name,maker,unit,critical,equivalents\n\
               imp.100,Impeller (Jabsco),Jabsco,pcs,yes,SEAL-1\n\
               SEAL-1,Mechanical seal,,pcs,no,IMP-100\n\
               FILTER-9,Oil filter,Mann,pcs,no,\n";
    // A dry run says what would change and writes nothing.
    let dry = ok_json(import_csv(&app, owner, csv, true).await, 200).await;
    assert_eq!(
        (dry["valid"].as_bool(), dry["created"].as_u64(), dry["updated"].as_u64()),
        (Some(true), Some(2), Some(1)),
        "{dry}"
    );
    assert_eq!(dry["parts"][0]["id"], impeller, "the number matches however it is written");
    assert_eq!(part_count(&app, owner).await, 1);
    let done = ok_json(import_csv(&app, owner, csv, false).await, 201).await;
    assert_eq!((done["created"].as_u64(), done["updated"].as_u64()), (Some(2), Some(1)));
    let part = get(&app, owner, &format!("/api/v1/parts/{}", impeller.as_str().unwrap())).await;
    assert_eq!((part["name"].as_str(), part["critical"].as_bool()), (Some("Impeller (Jabsco)"), Some(true)), "{part}");
    let seal = done["parts"][1]["id"].clone();
    assert_eq!(part["equivalents"], json!([seal]), "{part}");
    assert_eq!(part_count(&app, owner).await, 3);
    // The same file again changes nothing.
    let again = ok_json(import_csv(&app, owner, csv, false).await, 201).await;
    assert_eq!((again["created"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(3)), "{again}");

    // A bad file: every problem by line, and a real import writes nothing.
    let bad = "number,name,unit,critical,equivalents\nNEW-1,New part,pcs,perhaps,\nNEW-2,Other,pcs,no,NOPE-9\nnew 1,Twice,pcs,no,\n";
    let dry = ok_json(import_csv(&app, owner, bad, true).await, 200).await;
    let found: Vec<(u64, &str)> = dry["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(found, [(2, "unknown_value"), (3, "unknown_part"), (4, "duplicate_number")], "{dry}");
    let res = import_csv(&app, owner, bad, false).await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "rows.2.critical", "{body}");
    assert_eq!(part_count(&app, owner).await, 3, "nothing written");
    let res = import_csv(&app, owner, "colour\nred\n", true).await;
    assert_problem(res, 422, "validation_failed").await;
    // Who and how.
    assert_problem(import_csv(&app, &w.people[&Role::Engineer], csv, true).await, 403, "forbidden").await;
    let res = app.as_(owner, Method::POST, "/api/v1/parts/import").json(&json!({})).send().await.unwrap();
    assert_problem(res, 415, "unsupported_media_type").await;
    let audit = get(&app, owner, "/api/v1/audit?action=part.import").await;
    assert_eq!(audit["items"].as_array().unwrap().len(), 2, "{audit}");
}

async fn a_part_going_below_its_minimum_is_announced_once(app: TestApp) {
    use bosun_app::stock::{AdjustStock, SetStockRule};
    let w = acme(&app).await;
    let (other, mut rx) = crate::faults::listening_app(&app).await;
    let (location, part) = crate::work_orders::walk_stock(&app, &w).await; // ten on hand
    let manager = crate::faults::actor(w.fixture.company.id, &w.people[&Role::Manager], Role::Manager);
    let rule = SetStockRule {
        vessel_id: VesselId(w.vessel),
        part_id: bosun_domain::PartId(part),
        minimum: "8".into(),
        reorder: "6".into(),
    };
    other.mutate(&manager, rule).await.unwrap();
    let take = |n: &str| AdjustStock {
        id: None,
        location_id: bosun_domain::StockLocationId(location),
        part_id: bosun_domain::PartId(part),
        delta: format!("-{n}"),
        reason: "Used on deck".into(),
        recorded_at: None,
    };
    let lows = |rx: &mut tokio::sync::broadcast::Receiver<bosun_app::realtime::LiveEvent>| {
        std::iter::from_fn(|| rx.try_recv().ok()).filter(|e| e.kind == "stock.low").collect::<Vec<_>>()
    };
    lows(&mut rx);
    other.mutate(&manager, take("2")).await.unwrap(); // 8: at the minimum, not below
    assert!(lows(&mut rx).is_empty());
    other.mutate(&manager, take("1")).await.unwrap(); // 7: below
    let events = lows(&mut rx);
    assert_eq!(events.len(), 1, "{events:?}");
    let e = &events[0];
    assert_eq!((e.vessel_id, e.entity_id), (Some(VesselId(w.vessel)), part));
    assert_eq!(
        (e.summary["on_hand"].as_str(), e.summary["minimum"].as_str(), e.summary["suggested_reorder"].as_str()),
        (Some("7"), Some("8"), Some("6"))
    );
    other.mutate(&manager, take("1")).await.unwrap(); // 6: still low, no news
    assert!(lows(&mut rx).is_empty(), "once per crossing");
}

crate::on_both_backends!(
    a_part_going_below_its_minimum_is_announced_once,
    the_catalogue_imports_from_csv_all_or_nothing,
    a_stock_count_imports_from_the_stock_export,
    the_catalogue_and_a_vessels_stock_export_as_csv,
    a_transfer_leaves_one_vessel_and_reaches_another_once,
    the_catalogue_takes_each_part_number_once,
    stock_moves_only_through_the_ledger_and_its_balance,
    stock_moved_offline_is_applied_once_and_synced_back,
);
