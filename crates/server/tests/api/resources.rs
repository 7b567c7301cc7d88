//! The resources themselves: vessels, departments, rotations, people and branding, each
//! write leaving its entry on the audit trail.

use bosun_domain::person::Role;
use reqwest::{Method, Response};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::harness::{PASSWORD, Session, TestApp, assert_problem};
use crate::pagination::all_items;

async fn send(app: &TestApp, who: &Session, method: Method, path: &str, body: Value) -> Response {
    app.as_(who, method, path).json(&body).send().await.expect("request")
}

async fn ok_json(res: Response, status: u16) -> Value {
    let code = res.status().as_u16();
    let url = res.url().clone();
    let body: Value = res.json().await.expect("a JSON body");
    assert_eq!(code, status, "{url}: {body}");
    body
}

async fn get(app: &TestApp, who: &Session, path: &str) -> Value {
    ok_json(app.as_(who, Method::GET, path).send().await.expect("request"), 200).await
}

/// The audit entries on `entity`, newest first.
async fn audit_of(app: &TestApp, owner: &Session, entity: &str, id: &str) -> Vec<Value> {
    all_items(app, owner, &format!("/api/v1/audit?entity={entity}&entity_id={id}")).await
}

async fn create_vessel(app: &TestApp, who: &Session, body: Value) -> Value {
    ok_json(send(app, who, Method::POST, "/api/v1/vessels", body).await, 201).await
}

async fn a_vessel_is_created_with_the_clients_id_and_read_back(app: TestApp) {
    let f = app.with_company("acme").await;
    let id = Uuid::now_v7();
    let specs = json!({ "engine": { "make": "Wärtsilä", "kw": 4500 }, "built": 2009 });
    let v = create_vessel(
        &app,
        &f.owner,
        json!({ "id": id, "kind": "vessel", "name": "Aurora", "vessel_type": "platform supply vessel",
                "imo": "IMO 9074729", "specs": specs }),
    )
    .await;
    assert_eq!(v["id"], id.to_string());
    assert_eq!(v["imo"], "9074729");
    assert_eq!(v["specs"], specs);
    assert!(v["version"].as_i64().is_some_and(|n| n > 0), "{v}");

    let engine = ok_json(
        send(&app, &f.owner, Method::POST, &format!("/api/v1/vessels/{id}/departments"), json!({ "name": "Engine" }))
            .await,
        201,
    )
    .await;
    assert_eq!((engine["name"].as_str(), engine["vessel_id"].as_str()), (Some("engine"), Some(&*id.to_string())));

    let detail = get(&app, &f.owner, &format!("/api/v1/vessels/{id}")).await;
    assert_eq!(detail["name"], "Aurora");
    assert_eq!(detail["vessel_type"], "platform supply vessel");
    assert_eq!(detail["specs"], specs);
    assert_eq!(detail["departments"], json!([engine]));

    let trail = audit_of(&app, &f.owner, "vessel", &id.to_string()).await;
    assert_eq!(trail.len(), 1, "{trail:?}");
    assert_eq!((trail[0]["action"].as_str(), trail[0]["outcome"].as_str()), (Some("vessel.create"), Some("success")));
    assert_eq!(trail[0]["actor_id"], f.owner.user_id.to_string());
    assert_eq!(trail[0]["after"]["name"], "Aurora");
    let trail = audit_of(&app, &f.owner, "department", engine["id"].as_str().unwrap()).await;
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0]["action"], "department.create");
}

async fn put_replaces_every_field(app: TestApp) {
    let f = app.with_company("acme").await;
    let v = create_vessel(
        &app,
        &f.owner,
        json!({ "kind": "vessel", "name": "Aurora", "vessel_type": "tug", "imo": "9074729", "specs": { "a": 1 } }),
    )
    .await;
    let id = v["id"].as_str().unwrap();
    // Fields left out are cleared, not kept: PUT is a full replacement.
    let after = ok_json(
        send(
            &app,
            &f.owner,
            Method::PUT,
            &format!("/api/v1/vessels/{id}"),
            json!({ "kind": "site", "name": "Dock 4" }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(after["kind"], "site");
    assert_eq!(after["name"], "Dock 4");
    assert_eq!(after["vessel_type"], Value::Null);
    assert_eq!(after["imo"], Value::Null);
    assert_eq!(after["specs"], json!({}));
    assert!(after["version"].as_i64() > v["version"].as_i64(), "the version moves on: {v} → {after}");
    assert_eq!(after["created_at"], v["created_at"]);
    assert_eq!(get(&app, &f.owner, &format!("/api/v1/vessels/{id}")).await["name"], "Dock 4");

    let trail = audit_of(&app, &f.owner, "vessel", id).await;
    assert_eq!(
        trail.iter().map(|e| e["action"].as_str().unwrap()).collect::<Vec<_>>(),
        ["vessel.update", "vessel.create"]
    );
    assert_eq!(trail[0]["before"]["name"], "Aurora");
    assert_eq!(trail[0]["after"]["name"], "Dock 4");

    // The path names the vessel; an update body has no id of its own.
    let res = send(
        &app,
        &f.owner,
        Method::PUT,
        &format!("/api/v1/vessels/{id}"),
        json!({ "id": id, "kind": "site", "name": "Elsewhere" }),
    )
    .await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!((&body["errors"][0]["field"], &body["errors"][0]["code"]), (&json!("id"), &json!("unknown_field")));
    let res = send(
        &app,
        &f.owner,
        Method::PUT,
        &format!("/api/v1/vessels/{}", Uuid::now_v7()),
        json!({ "kind": "site", "name": "Nowhere" }),
    )
    .await;
    assert_problem(res, 404, "not_found").await;
}

async fn a_stale_version_is_a_conflict(app: TestApp) {
    let f = app.with_company("acme").await;
    let v = create_vessel(&app, &f.owner, json!({ "kind": "vessel", "name": "Aurora" })).await;
    let id = v["id"].as_str().unwrap();
    let seen = v["version"].as_i64().unwrap();
    let first = ok_json(
        send(
            &app,
            &f.owner,
            Method::PUT,
            &format!("/api/v1/vessels/{id}"),
            json!({ "kind": "vessel", "name": "Aurora II", "version": seen }),
        )
        .await,
        200,
    )
    .await;
    // A second client still holding the old version loses, and changes nothing.
    let res = send(
        &app,
        &f.owner,
        Method::PUT,
        &format!("/api/v1/vessels/{id}"),
        json!({ "kind": "vessel", "name": "Aurora III", "version": seen }),
    )
    .await;
    assert_problem(res, 409, "version_conflict").await;
    let now = get(&app, &f.owner, &format!("/api/v1/vessels/{id}")).await;
    assert_eq!((&now["name"], &now["version"]), (&first["name"], &first["version"]));
    assert_eq!(audit_of(&app, &f.owner, "vessel", id).await.len(), 2, "no entry for the refused write");

    // A version is for updates only: a new vessel's body has none.
    let res =
        send(&app, &f.owner, Method::POST, "/api/v1/vessels", json!({ "kind": "site", "name": "Y", "version": 1 }))
            .await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!((&body["errors"][0]["field"], &body["errors"][0]["code"]), (&json!("version"), &json!("unknown_field")));
    // A version is an integer, also when written as an integral float (JSON Schema's integer).
    let now = now["version"].as_i64().unwrap();
    let res = send(
        &app,
        &f.owner,
        Method::PUT,
        &format!("/api/v1/vessels/{id}"),
        json!({ "kind": "vessel", "name": "Aurora IV", "version": now as f64 }),
    )
    .await;
    assert_eq!(ok_json(res, 200).await["name"], "Aurora IV");
    let res = send(
        &app,
        &f.owner,
        Method::PUT,
        &format!("/api/v1/vessels/{id}"),
        json!({ "kind": "vessel", "name": "Aurora V", "version": 1.5 }),
    )
    .await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!((&body["errors"][0]["field"], &body["errors"][0]["code"]), (&json!("version"), &json!("invalid_type")));
}

async fn a_site_has_no_imo_and_specs_are_an_object(app: TestApp) {
    let f = app.with_company("acme").await;
    let res = send(
        &app,
        &f.owner,
        Method::POST,
        "/api/v1/vessels",
        json!({ "kind": "site", "name": "Yard", "imo": "9074729" }),
    )
    .await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!((&body["errors"][0]["field"], &body["errors"][0]["code"]), (&json!("imo"), &json!("not_a_ship")));
    for specs in [json!([1, 2]), json!("big"), json!(42), json!(true)] {
        let res = send(
            &app,
            &f.owner,
            Method::POST,
            "/api/v1/vessels",
            json!({ "kind": "site", "name": "Yard", "specs": specs }),
        )
        .await;
        let body = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(
            (&body["errors"][0]["field"], &body["errors"][0]["code"]),
            (&json!("specs"), &json!("not_an_object"))
        );
    }
    let huge = json!({ "notes": "x".repeat(17 * 1024) });
    let res =
        send(&app, &f.owner, Method::POST, "/api/v1/vessels", json!({ "kind": "site", "name": "Yard", "specs": huge }))
            .await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["code"], "too_long");
    // A null specs is the same as none.
    let v = create_vessel(&app, &f.owner, json!({ "kind": "project", "name": "Refit", "specs": null })).await;
    assert_eq!(v["specs"], json!({}));
    assert_eq!(all_items(&app, &f.owner, "/api/v1/vessels").await.len(), 1);
}

async fn a_department_name_is_unique_on_its_vessel(app: TestApp) {
    let f = app.with_company("acme").await;
    let a = create_vessel(&app, &f.owner, json!({ "kind": "vessel", "name": "Aurora" })).await;
    let b = create_vessel(&app, &f.owner, json!({ "kind": "vessel", "name": "Borealis" })).await;
    let path = |v: &Value| format!("/api/v1/vessels/{}/departments", v["id"].as_str().unwrap());
    ok_json(send(&app, &f.owner, Method::POST, &path(&a), json!({ "name": "deck" })).await, 201).await;
    let res = send(&app, &f.owner, Method::POST, &path(&a), json!({ "name": "Deck" })).await;
    assert_problem(res, 409, "department_exists").await;
    // The other vessel may have its own deck department.
    ok_json(send(&app, &f.owner, Method::POST, &path(&b), json!({ "name": "deck" })).await, 201).await;
    let res = send(&app, &f.owner, Method::POST, &path(&a), json!({ "name": "" })).await;
    assert_problem(res, 422, "validation_failed").await;
    let detail = get(&app, &f.owner, &format!("/api/v1/vessels/{}", a["id"].as_str().unwrap())).await;
    assert_eq!(detail["departments"].as_array().map(Vec::len), Some(1));
    let creates = all_items(&app, &f.owner, "/api/v1/audit?action=department.create").await;
    assert_eq!(creates.len(), 2);
    // Crew do not add departments.
    let crew = app.person_in(&f.company, "crew@acme.example", Role::Crew).await;
    rotate(&app, &f.owner, &a, json!({ "user_id": crew.user_id, "rotation_start": "2025-03-01" })).await;
    let res = send(&app, &crew, Method::POST, &path(&a), json!({ "name": "galley" })).await;
    assert_problem(res, 403, "forbidden").await;
}

async fn rotate(app: &TestApp, who: &Session, vessel: &Value, body: Value) -> Response {
    send(app, who, Method::POST, &format!("/api/v1/vessels/{}/join-rotation", vessel["id"].as_str().unwrap()), body)
        .await
}

async fn rotations_are_joined_and_assigned(app: TestApp) {
    let f = app.with_company("acme").await;
    let manager = app.person_in(&f.company, "manager@acme.example", Role::Manager).await;
    let crew = app.person_in(&f.company, "crew@acme.example", Role::Crew).await;
    let v = create_vessel(&app, &manager, json!({ "kind": "vessel", "name": "Aurora" })).await;
    let other = create_vessel(&app, &manager, json!({ "kind": "vessel", "name": "Borealis" })).await;
    let deck = ok_json(
        send(
            &app,
            &manager,
            Method::POST,
            &format!("/api/v1/vessels/{}/departments", v["id"].as_str().unwrap()),
            json!({ "name": "deck" }),
        )
        .await,
        201,
    )
    .await;

    // Crew cannot see, let alone join, a vessel they are not on.
    let res = rotate(&app, &crew, &v, json!({ "rotation_start": "2025-03-01" })).await;
    assert_problem(res, 404, "not_found").await;

    // A manager assigns them, on a rotation that started ten days ago.
    let day = |offset: i64| {
        use bosun_domain::Clock;
        (app.clock.now().date_naive() + chrono::Duration::days(offset)).to_string()
    };
    let assigned = ok_json(
        rotate(
            &app,
            &manager,
            &v,
            json!({ "user_id": crew.user_id, "department_id": deck["id"], "rotation_start": day(-10),
                    "rotation_end": day(18) }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(assigned["user_id"], crew.user_id.to_string());
    assert_eq!(assigned["department_id"], deck["id"]);
    assert_eq!(assigned["rotation_end"], day(18));

    // Now on board, the crew member records their own next rotation.
    let own = ok_json(rotate(&app, &crew, &v, json!({ "rotation_start": day(46) })).await, 200).await;
    assert_eq!(
        (own["user_id"].as_str(), own["rotation_start"].as_str()),
        (Some(&*crew.user_id.to_string()), Some(day(46).as_str()))
    );
    let listed = all_items(&app, &crew, "/api/v1/vessels").await;
    assert_eq!(listed.len(), 1, "crew see only their vessel");
    assert_eq!(listed[0]["id"], v["id"]);
    // ... but may not put someone else on it.
    let res = rotate(&app, &crew, &v, json!({ "user_id": manager.user_id, "rotation_start": "2025-04-26" })).await;
    assert_problem(res, 403, "forbidden").await;
    let res = rotate(&app, &crew, &other, json!({ "rotation_start": "2025-04-26" })).await;
    assert_problem(res, 404, "not_found").await;

    // Bad input.
    let res = rotate(&app, &manager, &v, json!({ "rotation_start": "2025-03-28", "rotation_end": "2025-03-01" })).await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(
        (&body["errors"][0]["field"], &body["errors"][0]["code"]),
        (&json!("rotation_end"), &json!("ends_before_start"))
    );
    let res = rotate(&app, &manager, &v, json!({ "user_id": Uuid::now_v7(), "rotation_start": "2025-03-01" })).await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(
        (&body["errors"][0]["field"], &body["errors"][0]["code"]),
        (&json!("user_id"), &json!("unknown_person"))
    );
    let res =
        rotate(&app, &manager, &other, json!({ "department_id": deck["id"], "rotation_start": "2025-03-01" })).await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "department_id");
    let res = rotate(&app, &manager, &v, json!({ "rotation_start": "1 March" })).await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "rotation_start");

    // Someone of another company is unknown here.
    let bravo = app.with_company("bravo").await;
    let res =
        rotate(&app, &manager, &v, json!({ "user_id": bravo.owner.user_id, "rotation_start": "2025-03-01" })).await;
    assert_problem(res, 422, "validation_failed").await;

    let joins = all_items(&app, &f.owner, "/api/v1/audit?entity=vessel_member").await;
    let outcomes: Vec<(&str, &str)> =
        joins.iter().map(|e| (e["action"].as_str().unwrap(), e["outcome"].as_str().unwrap())).collect();
    // Newest first: the refused assignment by crew, the crew's own update, the manager's assignment.
    assert_eq!(
        outcomes,
        [("rotation.assign", "failure"), ("rotation.join", "success"), ("rotation.join", "success")],
        "{joins:?}"
    );
    assert_eq!(joins[1]["actor_id"], crew.user_id.to_string());
    assert_eq!(joins[1]["before"]["rotation_start"], day(-10));
    assert_eq!(joins[2]["actor_id"], manager.user_id.to_string());
}

async fn people_are_added_and_changed(app: TestApp) {
    let f = app.with_company("acme").await;
    let invited = ok_json(
        send(
            &app,
            &f.owner,
            Method::POST,
            "/api/v1/invitations",
            json!({ "email": "Ingrid@Acme.example", "name": "Ingrid", "role": "engineer", "specialisation": "electrical" }),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(invited["invitation"]["email"], "ingrid@acme.example", "emails are stored lower-case");
    let token = crate::harness::token_of(invited["accept_url"].as_str().unwrap());
    assert_eq!(app.accept(&token, PASSWORD).await.status(), 200, "she chooses her password");
    let listed = all_items(&app, &f.owner, "/api/v1/users").await;
    let created = listed.iter().find(|u| u["email"] == "ingrid@acme.example").cloned().expect("a member now");
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!((created["role"].as_str(), created["specialisation"].as_str()), (Some("engineer"), Some("electrical")));
    assert_eq!(created["active"], true);
    // The new person can sign in with the password she chose.
    let ingrid = app.login("ingrid@acme.example", None).await;
    assert_eq!(ingrid.user_id.to_string(), id);

    let changed = ok_json(
        send(
            &app,
            &f.owner,
            Method::PUT,
            &format!("/api/v1/users/{id}"),
            json!({ "name": "Ingrid Berg", "role": "manager", "specialisation": "hydraulics" }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        (changed["name"].as_str(), changed["role"].as_str(), changed["specialisation"].as_str()),
        (Some("Ingrid Berg"), Some("manager"), Some("hydraulics"))
    );
    assert!(changed["version"].as_i64() > created["version"].as_i64());
    // Null clears the trade; absent fields stay.
    let cleared = ok_json(
        send(&app, &f.owner, Method::PUT, &format!("/api/v1/users/{id}"), json!({ "specialisation": null })).await,
        200,
    )
    .await;
    assert_eq!((cleared["specialisation"].clone(), cleared["name"].clone()), (Value::Null, json!("Ingrid Berg")));
    let listed = all_items(&app, &f.owner, "/api/v1/users").await;
    let row = listed.iter().find(|u| u["id"] == id.as_str()).expect("listed");
    assert_eq!((row["role"].as_str(), row["name"].as_str()), (Some("manager"), Some("Ingrid Berg")));

    let trail = audit_of(&app, &f.owner, "user", &id).await;
    let actions: Vec<&str> = trail.iter().map(|e| e["action"].as_str().unwrap()).collect();
    // Her sign-ins (on accepting, then with her password) are on her trail too.
    assert_eq!(actions, ["user.update", "user.role_change", "auth.login", "auth.login"]);
    assert_eq!(
        (trail[1]["before"]["role"].as_str(), trail[1]["after"]["role"].as_str()),
        (Some("engineer"), Some("manager"))
    );
    assert!(trail.iter().all(|e| !e.to_string().contains(PASSWORD)), "no password on the trail");
    let res = send(&app, &f.owner, Method::PUT, &format!("/api/v1/users/{id}"), json!({ "role": "captain" })).await;
    assert_problem(res, 422, "validation_failed").await;
    let res =
        send(&app, &f.owner, Method::PUT, &format!("/api/v1/users/{}", Uuid::now_v7()), json!({ "name": "Nobody" }))
            .await;
    assert_problem(res, 404, "not_found").await;
}

async fn only_owners_make_owners(app: TestApp) {
    let f = app.with_company("acme").await;
    let admin = app.person_in(&f.company, "admin@acme.example", Role::Admin).await;
    let crew = app.person_in(&f.company, "crew@acme.example", Role::Crew).await;
    let res =
        send(&app, &admin, Method::PUT, &format!("/api/v1/users/{}", crew.user_id), json!({ "role": "owner" })).await;
    assert_problem(res, 403, "forbidden").await;
    let res = send(
        &app,
        &admin,
        Method::POST,
        "/api/v1/invitations",
        json!({ "email": "boss@acme.example", "name": "Boss", "role": "owner" }),
    )
    .await;
    assert_problem(res, 403, "forbidden").await;
    // An admin cannot demote or disable an owner either.
    let res =
        send(&app, &admin, Method::PUT, &format!("/api/v1/users/{}", f.owner.user_id), json!({ "role": "crew" })).await;
    assert_problem(res, 403, "forbidden").await;
    let res =
        send(&app, &admin, Method::PUT, &format!("/api/v1/users/{}", f.owner.user_id), json!({ "active": false }))
            .await;
    assert_problem(res, 403, "forbidden").await;

    let people = all_items(&app, &f.owner, "/api/v1/users").await;
    assert_eq!(people.len(), 3);
    assert_eq!(people.iter().filter(|p| p["role"] == "owner").count(), 1);
    assert!(people.iter().all(|p| p["active"] == true));
    let refused = all_items(&app, &f.owner, "/api/v1/audit?outcome=failure").await;
    let on = |entity: &str| refused.iter().filter(|e| e["entity"] == entity).count();
    assert_eq!((on("user"), on("invitation")), (3, 1), "each refusal is on the trail: {refused:?}");
    assert!(refused.iter().all(|e| e["actor_id"] == admin.user_id.to_string()));

    // The owner may.
    let res =
        send(&app, &f.owner, Method::PUT, &format!("/api/v1/users/{}", admin.user_id), json!({ "role": "owner" }))
            .await;
    assert_eq!(ok_json(res, 200).await["role"], "owner");
}

async fn the_last_owner_stays(app: TestApp) {
    let f = app.with_company("acme").await;
    let path = format!("/api/v1/users/{}", f.owner.user_id);
    let res = send(&app, &f.owner, Method::PUT, &path, json!({ "role": "admin" })).await;
    assert_problem(res, 409, "last_owner").await;
    let res = send(&app, &f.owner, Method::PUT, &path, json!({ "active": false })).await;
    assert_problem(res, 409, "last_owner").await;
    let me = get(&app, &f.owner, "/api/v1/me").await;
    assert_eq!((me["role"].as_str(), me["active"].as_bool()), (Some("owner"), Some(true)), "nothing half-written");
    assert!(all_items(&app, &f.owner, "/api/v1/audit?entity=user&action=user.role_change").await.is_empty());

    // With a second owner, the first may step down.
    let second = app.person_in(&f.company, "second@acme.example", Role::Owner).await;
    let res = send(&app, &f.owner, Method::PUT, &path, json!({ "role": "admin" })).await;
    assert_eq!(ok_json(res, 200).await["role"], "admin");
    let res =
        send(&app, &second, Method::PUT, &format!("/api/v1/users/{}", second.user_id), json!({ "role": "crew" })).await;
    assert_problem(res, 409, "last_owner").await;
}

async fn branding_shows_on_the_public_page(app: TestApp) {
    let f = app.with_company("acme").await;
    let path = format!("/api/v1/companies/{}/branding", f.company.id);
    let res = send(
        &app,
        &f.owner,
        Method::PUT,
        &path,
        json!({ "display_name": "Acme Offshore", "logo_url": "https://cdn.acme.example/logo.svg", "primary_color": "#AA3300" }),
    )
    .await;
    let company = ok_json(res, 200).await;
    assert_eq!(company["branding"]["primary_color"], "#aa3300");

    let public = ok_json(app.request(Method::GET, "/api/v1/companies/acme").send().await.unwrap(), 200).await;
    assert_eq!(
        public["branding"],
        json!({ "display_name": "Acme Offshore", "logo_url": "https://cdn.acme.example/logo.svg", "primary_color": "#aa3300" })
    );
    assert!(public.get("subscription_status").is_none(), "the public page shows only the public face: {public}");

    for bad in [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "http://acme.example/logo.png",
        "//evil.example/x.png",
        "data:image/svg+xml,<svg/>",
    ] {
        let res = send(
            &app,
            &f.owner,
            Method::PUT,
            &path,
            json!({ "display_name": "Acme", "logo_url": bad, "primary_color": "#000000" }),
        )
        .await;
        let body = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(body["errors"][0]["field"], "logo_url", "{bad}: {body}");
    }
    let public = ok_json(app.request(Method::GET, "/api/v1/companies/acme").send().await.unwrap(), 200).await;
    assert_eq!(public["branding"]["display_name"], "Acme Offshore", "refused changes left nothing");

    let trail = audit_of(&app, &f.owner, "company", &f.company.id.to_string()).await;
    let actions: Vec<&str> = trail.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["company.branding.update", "company.create"]);
    assert_eq!(trail[0]["after"]["display_name"], "Acme Offshore");

    // Someone else's company, a non-admin, an unknown slug.
    let bravo = app.with_company("bravo").await;
    let res = send(
        &app,
        &bravo.owner,
        Method::PUT,
        &path,
        json!({ "display_name": "Taken over", "primary_color": "#000000" }),
    )
    .await;
    assert_problem(res, 404, "not_found").await;
    let crew = app.person_in(&f.company, "crew@acme.example", Role::Crew).await;
    let res =
        send(&app, &crew, Method::PUT, &path, json!({ "display_name": "Crew Co", "primary_color": "#000000" })).await;
    assert_problem(res, 403, "forbidden").await;
    let res = app.request(Method::GET, "/api/v1/companies/nobody-here").send().await.unwrap();
    assert_problem(res, 404, "not_found").await;
}

crate::on_both_backends!(
    a_vessel_is_created_with_the_clients_id_and_read_back,
    put_replaces_every_field,
    a_stale_version_is_a_conflict,
    a_site_has_no_imo_and_specs_are_an_object,
    a_department_name_is_unique_on_its_vessel,
    rotations_are_joined_and_assigned,
    people_are_added_and_changed,
    only_owners_make_owners,
    the_last_owner_stays,
    branding_shows_on_the_public_page,
);
