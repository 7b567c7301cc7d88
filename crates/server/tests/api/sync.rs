//! The sync protocol's push and pull (`docs/SYNC.md`): queued mutations applied exactly once,
//! refusals recorded and acknowledged, clients bound to their principal; pulls in sequence
//! order, paged by bytes, filtered by the field policy, following the principal's reach.

use std::collections::BTreeSet;

use bosun_domain::fault::FaultStatus;
use bosun_domain::person::Role;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::faults::{equipment_on, get, ok_json, seeded_fault, send};
use crate::harness::{Session, TestApp, assert_problem};
use crate::permissions::{acme, audited_failures};

pub(crate) async fn push(app: &TestApp, who: &Session, client: Uuid, mutations: Value) -> Value {
    let body = json!({ "client_id": client, "schema_version": 1, "mutations": mutations });
    ok_json(send(app, who, Method::POST, "/api/v1/sync/push", body).await, 200).await
}

async fn pull(app: &TestApp, who: &Session, body: Value) -> Value {
    ok_json(send(app, who, Method::POST, "/api/v1/sync/pull", body).await, 200).await
}

/// Pulls from nothing until `more` is false, each answer's cookie into the next; answers every
/// change received, by scope, and the last answer.
pub(crate) async fn pull_all(
    app: &TestApp,
    who: &Session,
    client: Option<Uuid>,
    max_bytes: u32,
) -> (Vec<(String, Value)>, Value) {
    let mut cookie = Value::Null;
    let mut got = Vec::new();
    for _ in 0..1000 {
        let answer = pull(app, who, json!({ "client_id": client, "cookie": cookie, "max_bytes": max_bytes })).await;
        for (scope, changes) in answer["changes"].as_object().unwrap() {
            for c in changes.as_array().unwrap() {
                got.push((scope.clone(), c.clone()));
            }
        }
        cookie = answer["cookie"].clone();
        if answer["more"] == json!(false) {
            return (got, answer);
        }
    }
    panic!("the pulls never ended");
}

fn ids(v: &Value) -> Vec<i64> {
    v.as_array().unwrap().iter().map(|i| i.as_i64().unwrap()).collect()
}

async fn a_queued_mutation_is_applied_exactly_once(app: TestApp) {
    let w = acme(&app).await;
    let crew = &w.people[&Role::Crew];
    let pump = equipment_on(&app, w.fixture.company.id, w.vessel, "Fire pump").await;
    let client = Uuid::now_v7();
    let fault = Uuid::now_v7();
    let report = json!({ "id": 1, "name": "report_fault.v1", "hlc": "0190f3c2a1b40003",
        "args": { "id": fault, "equipment_id": pump, "severity": "high", "title": "Fire pump will not prime" } });
    let first = push(&app, crew, client, json!([report])).await;
    assert_eq!((ids(&first["applied"]), first["last_mutation_id"].as_i64()), (vec![1], Some(1)));

    // The answer was lost: the client sends the same batch again, with the next mutation.
    let comment =
        json!({ "id": 2, "name": "comment_fault.v1", "args": { "fault_id": fault, "body": "Primed by hand" } });
    let again = push(&app, crew, client, json!([report, comment])).await;
    assert_eq!((ids(&again["skipped"]), ids(&again["applied"])), (vec![1], vec![2]));
    assert_eq!(again["last_mutation_id"], 2);
    let again = push(&app, crew, client, json!([report, comment])).await;
    assert_eq!((ids(&again["skipped"]), ids(&again["applied"])), (vec![1, 2], vec![]));

    let f = get(&app, &w.fixture.owner, &format!("/api/v1/faults/{fault}")).await;
    assert_eq!(f["reported_by"], json!(crew.user_id));
    assert_eq!(f["comments"].as_array().unwrap().len(), 1, "one comment, not two: {f}");

    // The pull acknowledges the client's mutations and carries their changes.
    let (changes, last) = pull_all(&app, crew, Some(client), 131_072).await;
    assert_eq!(last["last_mutation_ids"][client.to_string()], 2);
    assert!(changes.iter().any(|(_, c)| c["entity"] == "fault" && c["id"] == json!(fault)));
}

async fn concurrent_pushes_of_one_queue_apply_each_mutation_once(app: TestApp) {
    let w = acme(&app).await;
    let crew = &w.people[&Role::Crew];
    let pump = equipment_on(&app, w.fixture.company.id, w.vessel, "Fuel pump").await;
    let client = Uuid::now_v7();
    let fault = Uuid::now_v7();
    let mut queue = vec![json!({ "id": 1, "name": "report_fault.v1",
        "args": { "id": fault, "equipment_id": pump, "severity": "low", "title": "Fuel pump hums" } })];
    for n in 2..=20 {
        queue.push(
            json!({ "id": n, "name": "comment_fault.v1", "args": { "fault_id": fault, "body": format!("Note {n}") } }),
        );
    }
    let queue = Value::Array(queue);
    // A flaky link: the same queue sent four times at once (retries racing the first try).
    let answers = futures::future::join_all((0..4).map(|_| push(&app, crew, client, queue.clone()))).await;
    let mut applied: Vec<i64> = answers.iter().flat_map(|a| ids(&a["applied"])).collect();
    applied.sort_unstable();
    assert_eq!(applied, (1..=20).collect::<Vec<_>>(), "each mutation applied by exactly one push");
    for a in &answers {
        assert!(a["rejected"].as_array().unwrap().is_empty() && a["stopped"].is_null(), "{a}");
        let mut told: Vec<i64> = ids(&a["applied"]).into_iter().chain(ids(&a["skipped"])).collect();
        told.sort_unstable();
        assert_eq!(told, (1..=20).collect::<Vec<_>>(), "every mutation is accounted for in each answer");
    }
    let f = get(&app, &w.fixture.owner, &format!("/api/v1/faults/{fault}")).await;
    assert_eq!(f["comments"].as_array().unwrap().len(), 19);
}

async fn a_refused_mutation_is_recorded_and_still_acknowledged(app: TestApp) {
    let w = acme(&app).await;
    let crew = &w.people[&Role::Crew];
    let client = Uuid::now_v7();
    let batch = json!([
        { "id": 1, "name": "sink_the_ship.v1", "args": {} },
        { "id": 2, "name": "report_fault.v1",
          "args": { "equipment_id": Uuid::now_v7(), "severity": "high", "title": "Nowhere" } },
        { "id": 3, "name": "decommission_equipment.v1", "args": { "equipment_id": w.equipment } },
    ]);
    let answer = push(&app, crew, client, batch.clone()).await;
    assert_eq!(answer["last_mutation_id"], 3, "a refusal does not wedge the queue");
    assert!(answer["stopped"].is_null());
    let codes: Vec<(i64, String)> = answer["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_i64().unwrap(), r["code"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        codes,
        [(1, "unknown_mutator".to_owned()), (2, "validation_failed".to_owned()), (3, "forbidden".to_owned())]
    );
    // Sent again (the answer was lost), the rejections are told again and nothing is applied.
    let again = push(&app, crew, client, batch).await;
    assert_eq!(again["rejected"], answer["rejected"]);
    assert_eq!(ids(&again["applied"]), Vec::<i64>::new());
    let failures = audited_failures(&app, &w.fixture.owner).await;
    let rejected = failures.iter().filter(|e| e["action"] == "sync.reject").count();
    assert_eq!(rejected, 3, "each rejection is audited once");
    let item = get(&app, &w.fixture.owner, &format!("/api/v1/equipment/{}", w.equipment)).await;
    assert_ne!(item["status"], "decommissioned");
}

async fn a_newer_clients_mutator_waits_for_the_server_to_know_it(app: TestApp) {
    let w = acme(&app).await;
    let crew = &w.people[&Role::Crew];
    let fault = seeded_fault(&app, &w, FaultStatus::Open).await;
    let client = Uuid::now_v7();
    let batch = json!([
        { "id": 1, "name": "comment_fault.v1", "args": { "fault_id": fault.0, "body": "First" } },
        { "id": 2, "name": "comment_fault.v2", "args": { "fault_id": fault.0, "body": "From a newer app" } },
        { "id": 3, "name": "comment_fault.v1", "args": { "fault_id": fault.0, "body": "After it" } },
    ]);
    let answer = push(&app, crew, client, batch).await;
    assert_eq!(ids(&answer["applied"]), [1]);
    assert_eq!(answer["stopped"], json!({ "id": 2, "code": "mutator_too_new" }));
    assert_eq!(answer["last_mutation_id"], 1, "kept for a server that knows it, in order");
}

async fn a_client_id_belongs_to_whoever_first_pushed_with_it(app: TestApp) {
    let w = acme(&app).await;
    let client = Uuid::now_v7();
    push(&app, &w.people[&Role::Crew], client, json!([])).await;
    let body = json!({ "client_id": client, "schema_version": 1, "mutations": [] });
    let res = send(&app, &w.people[&Role::Engineer], Method::POST, "/api/v1/sync/push", body).await;
    assert_problem(res, 409, "client_mismatch").await;
    // Nor does the engineer learn the crew's acknowledgements by naming the client in a pull.
    let answer = pull(&app, &w.people[&Role::Engineer], json!({ "client_id": client })).await;
    assert_eq!(answer["last_mutation_ids"], json!({}));

    // Two principals registering one new client id at once: one gets it, the other is refused.
    for _ in 0..5 {
        let client = Uuid::now_v7();
        let body = json!({ "client_id": client, "schema_version": 1, "mutations": [] });
        let (a, b) = futures::join!(
            send(&app, &w.people[&Role::Crew], Method::POST, "/api/v1/sync/push", body.clone()),
            send(&app, &w.people[&Role::Engineer], Method::POST, "/api/v1/sync/push", body.clone()),
        );
        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409]);
    }
}

async fn pulls_page_by_bytes_without_gaps_or_repeats(app: TestApp) {
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let pump = equipment_on(&app, w.fixture.company.id, w.vessel, "Cargo pump").await;
    for n in 0..12 {
        let body = json!({ "equipment_id": pump, "severity": "low", "title": format!("Noise {n}"),
                           "description": "x".repeat(300) });
        ok_json(send(&app, engineer, Method::POST, "/api/v1/faults", body).await, 201).await;
    }
    let (whole, _) = pull_all(&app, engineer, None, 262_144).await;
    let (paged, last) = pull_all(&app, engineer, None, 1_024).await;
    assert_eq!(whole, paged, "small pages bring the same changes, in the same order");
    let vessel = format!("vessel:{}", w.vessel);
    let seqs: Vec<i64> = paged.iter().filter(|(s, _)| *s == vessel).map(|(_, c)| c["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|p| p[0] < p[1]), "in sequence order: {seqs:?}");
    let faults = paged.iter().filter(|(_, c)| c["entity"] == "fault").count();
    assert_eq!(faults, 12);
    // Nothing new: the next pull is empty.
    let next = pull(&app, engineer, json!({ "cookie": last["cookie"] })).await;
    assert_eq!((next["changes"].clone(), next["more"].clone()), (json!({}), json!(false)));
    // A new change arrives once.
    let body = json!({ "equipment_id": pump, "severity": "high", "title": "Seized" });
    let fault = ok_json(send(&app, engineer, Method::POST, "/api/v1/faults", body).await, 201).await;
    let next = pull(&app, engineer, json!({ "cookie": last["cookie"] })).await;
    let got = next["changes"][&vessel].as_array().unwrap();
    assert!(got.iter().all(|c| c["id"] == fault["id"]), "only the new fault: {got:?}");
}

async fn a_paged_pull_keeps_the_position_of_every_scope_it_did_not_reach(app: TestApp) {
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let pump = equipment_on(&app, w.fixture.company.id, w.vessel, "Lube oil pump").await;
    let (before, first) = pull_all(&app, engineer, None, 262_144).await;
    assert!(!before.is_empty());
    // New changes in the company scope (pulled first) and in the vessel's.
    for n in 0..8 {
        let body = json!({ "display_name": format!("Acme Shipping, rebranded for the {n}th time, {}", "x".repeat(60)),
                           "logo_url": null, "primary_color": "#0a3d62" });
        let path = format!("/api/v1/companies/{}/branding", w.fixture.company.id);
        ok_json(send(&app, &w.fixture.owner, Method::PUT, &path, body).await, 200).await;
    }
    let body = json!({ "equipment_id": pump, "severity": "low", "title": "Whines" });
    let fault = ok_json(send(&app, engineer, Method::POST, "/api/v1/faults", body).await, 201).await;

    let mut cookie = first["cookie"].clone();
    let mut got = Vec::new();
    for _ in 0..100 {
        let answer = pull(&app, engineer, json!({ "cookie": cookie, "max_bytes": 1024 })).await;
        for (scope, changes) in answer["changes"].as_object().unwrap() {
            got.extend(changes.as_array().unwrap().iter().map(|c| (scope.clone(), c["seq"].as_i64().unwrap())));
        }
        cookie = answer["cookie"].clone();
        if answer["more"] == json!(false) {
            break;
        }
    }
    let vessel = format!("vessel:{}", w.vessel);
    let old: BTreeSet<(String, i64)> = before.iter().map(|(s, c)| (s.clone(), c["seq"].as_i64().unwrap())).collect();
    let repeated: Vec<_> = got.iter().filter(|k| old.contains(*k)).collect();
    assert!(repeated.is_empty(), "changes sent again after paging: {repeated:?}");
    let company_changes = got.iter().filter(|(s, _)| s.starts_with("company:")).count();
    assert_eq!(company_changes, 8, "{got:?}");
    let vessel_changes: Vec<_> = got.iter().filter(|(s, _)| *s == vessel).collect();
    assert_eq!(vessel_changes.len(), 1, "only the new fault: {vessel_changes:?} (fault {})", fault["id"]);
}

async fn pulls_carry_only_the_fields_the_role_may_read(app: TestApp) {
    let w = acme(&app).await;
    seeded_fault(&app, &w, FaultStatus::Resolved).await;
    let resolved_faults = |changes: &[(String, Value)]| -> Vec<Value> {
        changes
            .iter()
            .filter(|(_, c)| c["entity"] == "fault" && c["fields"]["status"] == "resolved")
            .map(|(_, c)| c["fields"].clone())
            .collect()
    };
    let (manager, _) = pull_all(&app, &w.people[&Role::Manager], None, 131_072).await;
    let seen = resolved_faults(&manager);
    assert!(!seen.is_empty() && seen.iter().all(|f| f.get("repair_seconds").is_some()), "{seen:?}");
    for role in [Role::Crew, Role::Viewer] {
        let (changes, _) = pull_all(&app, &w.people[&role], None, 131_072).await;
        let faults = resolved_faults(&changes);
        assert!(!faults.is_empty(), "{role} sees the fault");
        assert!(faults.iter().all(|f| f.get("repair_seconds").is_none()), "{role} received a repair time");
        let text = serde_json::to_string(&changes).unwrap();
        for hidden in ["repair_seconds", "supplier_unit_price_minor", "markup_basis_points", "parts_markup_bp"] {
            assert!(!text.contains(hidden), "{role} received {hidden}");
        }
        assert!(changes.iter().all(|(_, c)| c["entity"] != "membership"), "{role} received the people directory");
    }
}

async fn pulls_follow_the_principals_reach(app: TestApp) {
    let w = acme(&app).await;
    let crew = &w.people[&Role::Crew];
    let first = pull(&app, crew, json!({})).await;
    let cookie = first["cookie"].clone();
    let scopes: BTreeSet<String> = first["changes"].as_object().unwrap().keys().cloned().collect();
    assert!(scopes.contains(&format!("vessel:{}", w.vessel)), "{scopes:?}");
    assert!(!scopes.contains(&format!("vessel:{}", w.other_vessel)), "crew reached a vessel they are not on");

    let path = format!("/api/v1/vessels/{}/members/{}", w.vessel, crew.user_id);
    let res = app.as_(&w.people[&Role::Manager], Method::DELETE, &path).send().await.unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    let after = pull(&app, crew, json!({ "cookie": cookie })).await;
    assert_eq!(after["clear"], json!([format!("vessel:{}", w.vessel)]));
    assert!(after["changes"].get(format!("vessel:{}", w.vessel)).is_none());
}

async fn mutations_queued_by_someone_who_lost_access_are_rejected_never_applied(app: TestApp) {
    let w = acme(&app).await;
    let crew = &w.people[&Role::Crew];
    let pump = equipment_on(&app, w.fixture.company.id, w.vessel, "Stern tube pump").await;
    let client = Uuid::now_v7();
    // Queued offline on board; meanwhile ashore the manager removes the deckhand.
    let path = format!("/api/v1/vessels/{}/members/{}", w.vessel, crew.user_id);
    let res = app.as_(&w.people[&Role::Manager], Method::DELETE, &path).send().await.unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    let fault = Uuid::now_v7();
    let answer = push(
        &app,
        crew,
        client,
        json!([{ "id": 7, "name": "report_fault.v1",
        "args": { "id": fault, "equipment_id": pump, "severity": "low", "title": "Drips" } }]),
    )
    .await;
    assert_eq!(answer["last_mutation_id"], 7);
    assert_eq!(answer["rejected"][0]["id"], 7);
    assert_eq!(answer["rejected"][0]["code"], "validation_failed", "the item is out of reach: {answer}");
    let res = app.as_(&w.fixture.owner, Method::GET, &format!("/api/v1/faults/{fault}")).send().await.unwrap();
    assert_problem(res, 404, "not_found").await;
}

async fn a_cookie_is_its_principals_own(app: TestApp) {
    let w = acme(&app).await;
    let engineers = pull(&app, &w.people[&Role::Engineer], json!({})).await;
    let res =
        send(&app, &w.people[&Role::Crew], Method::POST, "/api/v1/sync/pull", json!({ "cookie": engineers["cookie"] }))
            .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "invalid_cookie");
    for garbage in ["", "AAAA", "bm90IGpzb24"] {
        let res =
            send(&app, &w.people[&Role::Crew], Method::POST, "/api/v1/sync/pull", json!({ "cookie": garbage })).await;
        assert_problem(res, 422, "validation_failed").await;
    }
    let res = send(&app, &w.people[&Role::Crew], Method::POST, "/api/v1/sync/pull", json!({ "max_bytes": 10 })).await;
    assert_problem(res, 422, "validation_failed").await;
    // Integers spelled as integral floats are integers; a schema version out of range is not.
    pull(&app, &w.people[&Role::Crew], json!({ "max_bytes": 100_001.0 })).await;
    let body = json!({ "client_id": Uuid::now_v7(), "schema_version": 1.0, "mutations": [{ "id": 5.0, "name": "x.v1", "args": {} }] });
    let answer = ok_json(send(&app, &w.people[&Role::Crew], Method::POST, "/api/v1/sync/push", body).await, 200).await;
    assert_eq!(answer["last_mutation_id"], 5);
    let body = json!({ "client_id": Uuid::now_v7(), "schema_version": 0, "mutations": [] });
    let res = send(&app, &w.people[&Role::Crew], Method::POST, "/api/v1/sync/push", body).await;
    assert_eq!(assert_problem(res, 422, "validation_failed").await["errors"][0]["field"], "schema_version");
    // What the schema refuses, the server refuses: an array for the body, a bad mutation.
    let res = send(&app, &w.people[&Role::Crew], Method::POST, "/api/v1/sync/pull", json!([null, null])).await;
    assert_problem(res, 422, "validation_failed").await;
    for (bad, field) in [
        (json!({ "id": 0, "name": "x.v1", "args": {} }), "mutations[0].id"),
        (json!({ "id": 1, "name": "x".repeat(101), "args": {} }), "mutations[0].name"),
        (json!({ "id": 1, "name": "x.v1", "args": [] }), "mutations[0].args"),
        (json!({ "id": 1, "name": "x.v1", "args": {}, "base_version": -1 }), "mutations[0].base_version"),
    ] {
        let body = json!({ "client_id": Uuid::now_v7(), "schema_version": 1, "mutations": [bad] });
        let res = send(&app, &w.people[&Role::Crew], Method::POST, "/api/v1/sync/push", body).await;
        assert_eq!(assert_problem(res, 422, "validation_failed").await["errors"][0]["field"], field);
    }
}

async fn bodies_travel_zstd_compressed_both_ways_within_bounds(app: TestApp) {
    let w = acme(&app).await;
    let crew = &w.people[&Role::Crew];
    let pump = equipment_on(&app, w.fixture.company.id, w.vessel, "Sewage pump").await;
    let body = json!({ "client_id": Uuid::now_v7(), "schema_version": 1, "mutations": [{ "id": 1,
        "name": "report_fault.v1", "args": { "equipment_id": pump, "severity": "low", "title": "Smells" } }] });
    let packed = zstd::bulk::compress(&serde_json::to_vec(&body).unwrap(), 3).unwrap();
    let res = app
        .as_(crew, Method::POST, "/api/v1/sync/push")
        .header("content-type", "application/json")
        .header("content-encoding", "zstd")
        .header("accept-encoding", "gzip, zstd;q=0.9")
        .body(packed)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "zstd");
    let answer: Value =
        serde_json::from_slice(&zstd::stream::decode_all(&res.bytes().await.unwrap()[..]).unwrap()).unwrap();
    assert_eq!(ids(&answer["applied"]), [1]);

    // Not asked for, not compressed.
    let res = send(&app, crew, Method::POST, "/api/v1/sync/pull", json!({})).await;
    assert!(res.headers().get("content-encoding").is_none());

    let raw = |encoding: &'static str, bytes: Vec<u8>| {
        app.as_(crew, Method::POST, "/api/v1/sync/pull")
            .header("content-type", "application/json")
            .header("content-encoding", encoding)
            .body(bytes)
    };
    // A small frame that decompresses past the body limit is refused before it is read whole.
    let bomb = zstd::bulk::compress(&vec![b' '; 8 * 1024 * 1024], 3).unwrap();
    assert!(bomb.len() < 4096, "{}", bomb.len());
    assert_problem(raw("zstd", bomb).send().await.unwrap(), 413, "body_too_large").await;
    // A frame that asks for a larger window than the server decodes with is refused unread.
    let mut wide = zstd::stream::write::Encoder::new(Vec::new(), 19).unwrap();
    wide.set_parameter(zstd::stream::raw::CParameter::WindowLog(27)).unwrap();
    std::io::Write::write_all(&mut wide, br#"{"max_bytes": 4096}"#).unwrap();
    let wide = wide.finish().unwrap();
    assert_problem(raw("zstd", wide).send().await.unwrap(), 400, "bad_request").await;
    let truncated = zstd::bulk::compress(br#"{"max_bytes": 4096}"#, 3).unwrap();
    let truncated = truncated[..truncated.len() - 4].to_vec();
    assert_problem(raw("zstd", truncated).send().await.unwrap(), 400, "bad_request").await;
    assert_problem(raw("gzip", b"{}".to_vec()).send().await.unwrap(), 415, "unsupported_encoding").await;
}

crate::on_both_backends!(
    a_queued_mutation_is_applied_exactly_once,
    concurrent_pushes_of_one_queue_apply_each_mutation_once,
    a_refused_mutation_is_recorded_and_still_acknowledged,
    a_newer_clients_mutator_waits_for_the_server_to_know_it,
    a_client_id_belongs_to_whoever_first_pushed_with_it,
    pulls_page_by_bytes_without_gaps_or_repeats,
    a_paged_pull_keeps_the_position_of_every_scope_it_did_not_reach,
    pulls_carry_only_the_fields_the_role_may_read,
    pulls_follow_the_principals_reach,
    mutations_queued_by_someone_who_lost_access_are_rejected_never_applied,
    a_cookie_is_its_principals_own,
    bodies_travel_zstd_compressed_both_ways_within_bounds,
);
