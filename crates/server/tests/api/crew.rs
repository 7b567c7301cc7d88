//! A vessel's crew (`GET /vessels/{id}/members`): who is on board with their department and
//! rotation dates, for the roles that read the people directory; people taken off are gone.

use bosun_domain::person::Role;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::harness::{Session, TestApp};
use crate::pagination::page_through;

async fn post(app: &TestApp, who: &Session, path: &str, body: Value) -> Value {
    let res = app.as_(who, Method::POST, path).json(&body).send().await.expect("request");
    assert!(res.status().is_success(), "POST {path}: {}", res.status());
    res.json().await.expect("json")
}

async fn status_of(app: &TestApp, who: &Session, path: &str) -> u16 {
    app.as_(who, Method::GET, path).send().await.expect("request").status().as_u16()
}

async fn a_vessels_crew_lists_who_is_on_board_with_their_rotation(app: TestApp) {
    let f = app.with_company("acme").await;
    let owner = &f.owner;
    let vessel = post(&app, owner, "/api/v1/vessels", json!({ "kind": "vessel", "name": "Northern Star" })).await;
    let vessel = vessel["id"].as_str().unwrap().to_owned();
    let other = post(&app, owner, "/api/v1/vessels", json!({ "kind": "vessel", "name": "Southern Cross" })).await;
    let other = other["id"].as_str().unwrap().to_owned();
    let engine = post(&app, owner, &format!("/api/v1/vessels/{vessel}/departments"), json!({ "name": "engine" })).await;
    let engine = engine["id"].as_str().unwrap().to_owned();

    let chief = app.person_in(&f.company, "chief@acme.example", Role::Engineer).await;
    let deckhand = app.person_in(&f.company, "deckhand@acme.example", Role::Crew).await;
    let leaver = app.person_in(&f.company, "leaver@acme.example", Role::Crew).await;
    let elsewhere = app.person_in(&f.company, "elsewhere@acme.example", Role::Crew).await;
    let manager = app.person_in(&f.company, "manager@acme.example", Role::Manager).await;
    let rotation = format!("/api/v1/vessels/{vessel}/join-rotation");
    let join = |user: Uuid, mut body: Value| {
        body["user_id"] = json!(user);
        post(&app, owner, &rotation, body)
    };
    join(
        chief.user_id.0,
        json!({ "department_id": engine, "rotation_start": "2026-11-01", "rotation_end": "2026-12-20" }),
    )
    .await;
    join(deckhand.user_id.0, json!({ "rotation_start": "2026-11-15" })).await;
    join(leaver.user_id.0, json!({ "rotation_start": "2026-10-01" })).await;
    post(
        &app,
        owner,
        &format!("/api/v1/vessels/{other}/join-rotation"),
        json!({ "user_id": elsewhere.user_id, "rotation_start": "2026-11-01" }),
    )
    .await;
    let off = app
        .as_(owner, Method::DELETE, &format!("/api/v1/vessels/{vessel}/members/{}", leaver.user_id))
        .send()
        .await
        .unwrap();
    assert_eq!(off.status(), 204);

    // Paged one at a time: each person once, in user id order, the leaver and the other
    // vessel's crew absent.
    let pages = page_through(&app, &manager, &format!("/api/v1/vessels/{vessel}/members"), 1).await;
    assert_eq!(pages.len(), 2, "two people, one per page: {pages:?}");
    let crew: Vec<Value> = pages.into_iter().flatten().collect();
    let mut expected = [chief.user_id.0, deckhand.user_id.0];
    expected.sort();
    let ids: Vec<Uuid> = crew.iter().map(|c| c["person"]["id"].as_str().unwrap().parse().unwrap()).collect();
    assert_eq!(ids, expected);
    let by = |email: &str| crew.iter().find(|c| c["person"]["email"] == email).unwrap().clone();
    let c = by("chief@acme.example");
    assert_eq!(
        (&c["person"]["name"], &c["person"]["role"], &c["department_id"], &c["rotation_start"], &c["rotation_end"]),
        (&json!("chief"), &json!("engineer"), &json!(engine), &json!("2026-11-01"), &json!("2026-12-20"))
    );
    let d = by("deckhand@acme.example");
    assert_eq!((&d["department_id"], &d["rotation_end"]), (&Value::Null, &Value::Null));

    // The people directory is for owners, admins and managers; the chief is on board but may
    // not list it; another company sees no such vessel.
    assert_eq!(status_of(&app, &chief, &format!("/api/v1/vessels/{vessel}/members")).await, 403);
    let rival = app.with_company("rival").await;
    assert_eq!(status_of(&app, &rival.owner, &format!("/api/v1/vessels/{vessel}/members")).await, 404);
    assert_eq!(status_of(&app, owner, &format!("/api/v1/vessels/{}/members", Uuid::now_v7())).await, 404);
    let listed: Value = app
        .as_(owner, Method::GET, &format!("/api/v1/vessels/{other}/members"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
}

crate::on_both_backends!(a_vessels_crew_lists_who_is_on_board_with_their_rotation);
