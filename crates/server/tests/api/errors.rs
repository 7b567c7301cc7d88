//! Errors: every refusal is `application/problem+json` with a stable `code`, validation
//! errors name each field, nothing is ever a 500 on bad input, and a refused write leaves
//! nothing behind.

use bosun_app::{Error, RequestMeta};
use bosun_domain::person::Role;
use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::harness::{Fixture, Session, TestApp, assert_problem};
use crate::pagination::all_items;

/// The counts a refused write must leave unchanged.
#[derive(Debug, PartialEq, Eq)]
struct Counts {
    vessels: usize,
    users: usize,
    audit: usize,
}

async fn counts(app: &TestApp, who: &Session) -> Counts {
    Counts {
        vessels: all_items(app, who, "/api/v1/vessels").await.len(),
        users: all_items(app, who, "/api/v1/users").await.len(),
        audit: all_items(app, who, "/api/v1/audit").await.len(),
    }
}

/// Checks what every problem answer must be and returns its body.
async fn problem(res: Response, status: u16, code: &str) -> Value {
    let body = assert_problem(res, status, code).await;
    assert_no_internals(&body);
    assert_eq!(body["type"], format!("/problems/{code}"));
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()), "a title: {body}");
    body
}

/// No stack trace, SQL text or driver word leaks into an answer.
fn assert_no_internals(body: &Value) {
    let text = body.to_string().to_lowercase();
    for leak in [
        "panicked",
        "stack backtrace",
        "src/",
        ".rs:",
        "select ",
        "insert into",
        "update ",
        " where ",
        "constraint",
        "sqlx",
        "sqlite",
        "postgres",
        "unique",
    ] {
        assert!(!text.contains(leak), "the answer leaks {leak:?}: {body}");
    }
}

/// The one field error of a validation problem on `field`.
fn field_error<'a>(body: &'a Value, field: &str) -> &'a Value {
    body["errors"]
        .as_array()
        .and_then(|es| es.iter().find(|e| e["field"] == field))
        .unwrap_or_else(|| panic!("no error on {field}: {body}"))
}

/// A valid IMO number from six digits: the seventh is the check digit.
fn imo(six: u32) -> String {
    let digits: Vec<u32> = format!("{six:06}").bytes().map(|b| u32::from(b - b'0')).collect();
    let sum: u32 = digits.iter().zip((2..=7).rev()).map(|(d, w)| d * w).sum();
    format!("{six:06}{}", sum % 10)
}

/// The same six digits with a wrong seventh.
fn imo_with_bad_check_digit(six: u32) -> String {
    let good = imo(six);
    let last = good.as_bytes()[6] - b'0';
    format!("{six:06}{}", (last + 1) % 10)
}

async fn post(app: &TestApp, who: &Session, path: &str, body: Value) -> Response {
    app.as_(who, Method::POST, path).json(&body).send().await.expect("request")
}

async fn post_raw(app: &TestApp, who: &Session, path: &str, body: &str) -> Response {
    app.as_(who, Method::POST, path)
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .expect("request")
}

async fn acme(app: &TestApp) -> (Fixture, Counts) {
    let f = app.with_company("acme").await;
    let before = counts(app, &f.owner).await;
    (f, before)
}

async fn malformed_json_is_a_400(app: TestApp) {
    let (f, before) = acme(&app).await;
    for body in [r#"{"kind": "vessel", "name": "#, "not json at all", r#"{"kind": "vessel",}"#, ""] {
        let res = post_raw(&app, &f.owner, "/api/v1/vessels", body).await;
        problem(res, 400, "malformed_json").await;
    }
    assert_eq!(counts(&app, &f.owner).await, before);
}

async fn a_wrong_type_names_the_field(app: TestApp) {
    let (f, before) = acme(&app).await;
    let res = post(&app, &f.owner, "/api/v1/vessels", json!({ "kind": "vessel", "name": 5 })).await;
    let body = problem(res, 422, "validation_failed").await;
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(1), "{body}");
    assert_eq!(body["errors"][0]["field"], "name", "{body}");

    let res =
        post(&app, &f.owner, "/api/v1/vessels", json!({ "kind": "vessel", "name": "Aurora", "imo": 9074729 })).await;
    let body = problem(res, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "imo", "{body}");

    let res = app
        .as_(&f.owner, Method::PUT, &format!("/api/v1/users/{}", f.owner.user_id))
        .json(&json!({ "active": "yes" }))
        .send()
        .await
        .unwrap();
    let body = problem(res, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "active", "{body}");
    assert_eq!(counts(&app, &f.owner).await, before);
}

async fn an_unknown_field_is_named(app: TestApp) {
    let (f, before) = acme(&app).await;
    let res =
        post(&app, &f.owner, "/api/v1/vessels", json!({ "kind": "vessel", "name": "Aurora", "flag_state": "NO" }))
            .await;
    let body = problem(res, 422, "validation_failed").await;
    let e = field_error(&body, "flag_state");
    assert_eq!(e["code"], "unknown_field", "{body}");

    let res = post(
        &app,
        &f.owner,
        "/api/v1/invitations",
        json!({ "email": "x@acme.example", "name": "X", "role": "crew", "admin": true }),
    )
    .await;
    let body = problem(res, 422, "validation_failed").await;
    field_error(&body, "admin");
    // A password for someone else's login is not a thing a company can send any more.
    let res = post(
        &app,
        &f.owner,
        "/api/v1/invitations",
        json!({ "email": "x@acme.example", "name": "X", "role": "crew", "password": "long enough" }),
    )
    .await;
    let body = problem(res, 422, "validation_failed").await;
    assert_eq!(field_error(&body, "password")["code"], "unknown_field", "{body}");
    assert_eq!(counts(&app, &f.owner).await, before);
}

async fn a_missing_field_is_named(app: TestApp) {
    let (f, before) = acme(&app).await;
    let res = post(&app, &f.owner, "/api/v1/vessels", json!({ "kind": "vessel" })).await;
    let body = problem(res, 422, "validation_failed").await;
    let e = field_error(&body, "name");
    assert_eq!(e["code"], "required", "{body}");
    let res = post(&app, &f.owner, "/api/v1/vessels", json!(["kind", "vessel"])).await;
    problem(res, 422, "validation_failed").await;
    assert_eq!(counts(&app, &f.owner).await, before);
}

async fn a_body_without_a_json_content_type_is_a_415(app: TestApp) {
    let (f, before) = acme(&app).await;
    let body = json!({ "kind": "vessel", "name": "Aurora" }).to_string();
    let res = app.as_(&f.owner, Method::POST, "/api/v1/vessels").body(body.clone()).send().await.unwrap();
    problem(res, 415, "unsupported_media_type").await;
    let res = app
        .as_(&f.owner, Method::POST, "/api/v1/vessels")
        .header("content-type", "text/plain")
        .body(body)
        .send()
        .await
        .unwrap();
    problem(res, 415, "unsupported_media_type").await;
    assert_eq!(counts(&app, &f.owner).await, before);
}

async fn a_body_over_the_limit_is_a_413(app: TestApp) {
    let backend = app.backend;
    drop(app);
    let app = TestApp::spawn_with(backend, |c| c.server.max_body_bytes = 4096).await;
    let (f, before) = acme(&app).await;
    let specs: String = "x".repeat(10 * 1024);
    let big = json!({ "kind": "vessel", "name": "Aurora", "specs": { "notes": specs } });
    let res = post(&app, &f.owner, "/api/v1/vessels", big.clone()).await;
    problem(res, 413, "body_too_large").await;

    // Without a length up front (chunked), the limit still holds.
    let (status, head, body) = chunked_post(&app, &f.owner, "/api/v1/vessels", &big.to_string()).await;
    assert_eq!(status, 413, "{head}");
    assert!(head.to_lowercase().contains("content-type: application/problem+json"), "{head}");
    assert!(body.contains("\"body_too_large\""), "{body}");

    // The same write under the limit goes through.
    let res = post(&app, &f.owner, "/api/v1/vessels", json!({ "kind": "vessel", "name": "Aurora" })).await;
    assert_eq!(res.status(), 201);
    let after = counts(&app, &f.owner).await;
    assert_eq!((after.vessels, after.users), (before.vessels + 1, before.users));
}

/// Posts `body` in 1 KiB chunks with no `Content-Length`, answering the status, the head and
/// the body (as sent on the wire) of the answer.
async fn chunked_post(app: &TestApp, who: &Session, path: &str, body: &str) -> (u16, String, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.expect("connect");
    let mut req = format!(
        "POST {path} HTTP/1.1\r\nhost: {}\r\nauthorization: Bearer {}\r\ncontent-type: application/json\r\n\
         transfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        app.addr, who.token
    );
    for chunk in body.as_bytes().chunks(1024) {
        req.push_str(&format!("{:x}\r\n{}\r\n", chunk.len(), String::from_utf8_lossy(chunk)));
    }
    req.push_str("0\r\n\r\n");
    // The server may answer and close before reading everything; a failed write is fine.
    let _ = stream.write_all(req.as_bytes()).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((answer.as_str(), ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, head.to_owned(), body.to_owned())
}

async fn a_bad_imo_check_digit_is_named(app: TestApp) {
    let (f, before) = acme(&app).await;
    let bad = imo_with_bad_check_digit(907472);
    let res = post(&app, &f.owner, "/api/v1/vessels", json!({ "kind": "vessel", "name": "Aurora", "imo": bad })).await;
    let body = problem(res, 422, "validation_failed").await;
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(1), "{body}");
    assert_eq!(body["errors"][0]["field"], "imo");
    assert_eq!(body["errors"][0]["code"], "bad_check_digit");

    let res =
        post(&app, &f.owner, "/api/v1/vessels", json!({ "kind": "vessel", "name": "Aurora", "imo": "12345" })).await;
    let body = problem(res, 422, "validation_failed").await;
    assert_eq!((&body["errors"][0]["field"], &body["errors"][0]["code"]), (&json!("imo"), &json!("invalid_imo")));

    // "IMO 9074729" and "9074729" are the same good number.
    let res = post(
        &app,
        &f.owner,
        "/api/v1/vessels",
        json!({ "kind": "vessel", "name": "Aurora", "imo": format!("IMO {}", imo(907472)) }),
    )
    .await;
    assert_eq!(res.status(), 201);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["imo"], "9074729");
    assert_eq!(counts(&app, &f.owner).await.vessels, before.vessels + 1);
}

async fn every_bad_field_is_listed_at_once(app: TestApp) {
    let (f, before) = acme(&app).await;
    let res = post(
        &app,
        &f.owner,
        "/api/v1/vessels",
        json!({ "kind": "boat", "name": "", "imo": imo_with_bad_check_digit(917618), "specs": [1, 2] }),
    )
    .await;
    let body = problem(res, 422, "validation_failed").await;
    for (field, code) in
        [("kind", "unknown_value"), ("name", "too_short"), ("imo", "bad_check_digit"), ("specs", "not_an_object")]
    {
        assert_eq!(field_error(&body, field)["code"], code, "{body}");
        assert!(field_error(&body, field)["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(4), "{body}");

    let res = post(
        &app,
        &f.owner,
        "/api/v1/invitations",
        json!({ "email": "not an email", "name": "", "role": "captain", "specialisation": "magic" }),
    )
    .await;
    let body = problem(res, 422, "validation_failed").await;
    for field in ["email", "name", "role", "specialisation"] {
        field_error(&body, field);
    }
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(4), "{body}");

    let res = app
        .as_(&f.owner, Method::PUT, &format!("/api/v1/companies/{}/branding", f.company.id))
        .json(&json!({ "display_name": "", "logo_url": "ftp://x", "primary_color": "red" }))
        .send()
        .await
        .unwrap();
    let body = problem(res, 422, "validation_failed").await;
    for field in ["display_name", "logo_url", "primary_color"] {
        field_error(&body, field);
    }
    assert_eq!(counts(&app, &f.owner).await, before);
}

async fn a_duplicate_imo_in_the_company_is_a_409(app: TestApp) {
    let f = app.with_company("acme").await;
    let number = imo(917618);
    let res =
        post(&app, &f.owner, "/api/v1/vessels", json!({ "kind": "vessel", "name": "Aurora", "imo": number })).await;
    assert_eq!(res.status(), 201);
    let first: Value = res.json().await.unwrap();
    let before = counts(&app, &f.owner).await;

    let res =
        post(&app, &f.owner, "/api/v1/vessels", json!({ "kind": "vessel", "name": "Borealis", "imo": number })).await;
    problem(res, 409, "imo_taken").await;
    assert_eq!(counts(&app, &f.owner).await, before, "nothing half-written");

    // Renaming another vessel onto the number is refused the same way, and changes nothing.
    let res = post(&app, &f.owner, "/api/v1/vessels", json!({ "kind": "vessel", "name": "Borealis" })).await;
    let second: Value = res.json().await.unwrap();
    let before = counts(&app, &f.owner).await;
    let res = app
        .as_(&f.owner, Method::PUT, &format!("/api/v1/vessels/{}", second["id"].as_str().unwrap()))
        .json(&json!({ "kind": "vessel", "name": "Borealis II", "imo": number }))
        .send()
        .await
        .unwrap();
    problem(res, 409, "imo_taken").await;
    assert_eq!(counts(&app, &f.owner).await, before);
    let res = app.as_(&f.owner, Method::GET, &format!("/api/v1/vessels/{}", second["id"].as_str().unwrap()));
    let now: Value = res.send().await.unwrap().json().await.unwrap();
    assert_eq!((now["name"].as_str(), now["version"].as_i64()), (Some("Borealis"), second["version"].as_i64()));

    // Another company may register the same ship.
    let other = app.with_company("bravo").await;
    let res =
        post(&app, &other.owner, "/api/v1/vessels", json!({ "kind": "vessel", "name": "Aurora", "imo": number })).await;
    assert_eq!(res.status(), 201);
    assert_eq!(first["imo"], number);
}

async fn a_client_id_used_twice_is_a_409(app: TestApp) {
    let f = app.with_company("acme").await;
    let id = uuid::Uuid::now_v7();
    let res = post(&app, &f.owner, "/api/v1/vessels", json!({ "id": id, "kind": "site", "name": "Yard" })).await;
    assert_eq!(res.status(), 201);
    let before = counts(&app, &f.owner).await;
    let res = post(&app, &f.owner, "/api/v1/vessels", json!({ "id": id, "kind": "site", "name": "Yard again" })).await;
    problem(res, 409, "id_taken").await;
    assert_eq!(counts(&app, &f.owner).await, before);
}

async fn inviting_a_member_of_the_company_again_is_a_409(app: TestApp) {
    let (f, before) = acme(&app).await;
    app.join(&f.owner, "crew@acme.example", Role::Crew).await;
    let after_first = counts(&app, &f.owner).await;
    assert_eq!(after_first.users, before.users + 1);

    // Case does not make a new person.
    for email in ["crew@acme.example", "Crew@ACME.example", "owner@acme.example"] {
        let res =
            post(&app, &f.owner, "/api/v1/invitations", json!({ "email": email, "name": "Again", "role": "crew" }))
                .await;
        problem(res, 409, "already_member").await;
    }
    assert_eq!(counts(&app, &f.owner).await, after_first, "nothing half-written");
}

async fn a_duplicate_company_slug_is_a_conflict(app: TestApp) {
    let f = app.with_company("acme").await;
    let before = counts(&app, &f.owner).await;
    let again = app.app.companies.create("acme", "Another Acme", &RequestMeta::default()).await;
    match again {
        Err(Error::Conflict { code, .. }) => assert_eq!(code, "slug_taken"),
        other => panic!("expected slug_taken, got {other:?}"),
    }
    assert_eq!(counts(&app, &f.owner).await, before);
    let bad = app.app.companies.create("Not A Slug!", "Bad", &RequestMeta::default()).await;
    assert!(matches!(bad, Err(Error::Invalid(_))), "{bad:?}");
    // The company answers as before.
    let res = app.request(Method::GET, "/api/v1/companies/acme").send().await.unwrap();
    let c: Value = res.json().await.unwrap();
    assert_eq!(c["name"], "acme Shipping");
}

async fn unknown_routes_and_methods_are_problems(app: TestApp) {
    let (f, _) = acme(&app).await;
    for path in ["/api/v1/nothing-here", "/api/v2/vessels", "/api/v1/vessels/x/y/z"] {
        let res = app.as_(&f.owner, Method::GET, path).send().await.unwrap();
        problem(res, 404, "not_found").await;
    }
    let res = app.as_(&f.owner, Method::DELETE, "/api/v1/vessels").send().await.unwrap();
    problem(res, 405, "method_not_allowed").await;
    let res = app.as_(&f.owner, Method::PATCH, &format!("/api/v1/users/{}", f.owner.user_id)).send().await.unwrap();
    problem(res, 405, "method_not_allowed").await;
    let res = app.request(Method::GET, "/api/v1/auth/login").send().await.unwrap();
    problem(res, 405, "method_not_allowed").await;
}

async fn a_malformed_path_id_is_a_400(app: TestApp) {
    let (f, before) = acme(&app).await;
    let res = app.as_(&f.owner, Method::GET, "/api/v1/vessels/not-a-uuid").send().await.unwrap();
    problem(res, 400, "invalid_path").await;
    let res = app.as_(&f.owner, Method::PUT, "/api/v1/users/42").json(&json!({ "name": "X" })).send().await.unwrap();
    problem(res, 400, "invalid_path").await;
    let res = post(&app, &f.owner, "/api/v1/vessels/1234/departments", json!({ "name": "engine" })).await;
    problem(res, 400, "invalid_path").await;
    // A well-formed id that does not exist is simply not found.
    let res = app.as_(&f.owner, Method::GET, &format!("/api/v1/vessels/{}", uuid::Uuid::now_v7())).send().await;
    problem(res.unwrap(), 404, "not_found").await;
    assert_eq!(counts(&app, &f.owner).await, before);
}

async fn bad_paging_is_refused(app: TestApp) {
    let (f, _) = acme(&app).await;
    for list in ["/api/v1/vessels", "/api/v1/users", "/api/v1/audit"] {
        for cursor in ["!!!", "aGVsbG8", "%20"] {
            let res = app.as_(&f.owner, Method::GET, &format!("{list}?cursor={cursor}")).send().await.unwrap();
            let body = problem(res, 422, "validation_failed").await;
            assert_eq!(field_error(&body, "cursor")["code"], "invalid_cursor", "{body}");
        }
        for limit in ["0", "201", "100000"] {
            let res = app.as_(&f.owner, Method::GET, &format!("{list}?limit={limit}")).send().await.unwrap();
            let body = problem(res, 422, "validation_failed").await;
            assert_eq!(field_error(&body, "limit")["code"], "out_of_range", "{body}");
        }
        for query in ["limit=ten", "limit=-1", "page=2"] {
            let res = app.as_(&f.owner, Method::GET, &format!("{list}?{query}")).send().await.unwrap();
            problem(res, 400, "invalid_query").await;
        }
        let res = app.as_(&f.owner, Method::GET, &format!("{list}?limit=200")).send().await.unwrap();
        assert_eq!(res.status(), 200);
    }
    let res = app.as_(&f.owner, Method::GET, "/api/v1/audit?outcome=maybe").send().await.unwrap();
    let body = problem(res, 422, "validation_failed").await;
    field_error(&body, "outcome");
    let res = app.as_(&f.owner, Method::GET, "/api/v1/audit?since=yesterday").send().await.unwrap();
    problem(res, 400, "invalid_query").await;
}

async fn missing_or_bad_credentials_are_problems(app: TestApp) {
    let (f, before) = acme(&app).await;
    let res = app.request(Method::GET, "/api/v1/vessels").send().await.unwrap();
    problem(res, 401, "invalid_token").await;
    let res = app
        .request(Method::POST, "/api/v1/vessels")
        .bearer_auth("nonsense")
        .json(&json!({ "kind": "site", "name": "Yard" }))
        .send()
        .await
        .unwrap();
    problem(res, 401, "invalid_token").await;
    let crew = app.person_in(&f.company, "crew@acme.example", Role::Crew).await;
    let res = post(&app, &crew, "/api/v1/vessels", json!({ "kind": "site", "name": "Yard" })).await;
    problem(res, 403, "forbidden").await;
    let after = counts(&app, &f.owner).await;
    assert_eq!(after.vessels, before.vessels);
    // The refusal itself is on the trail, as a failure and nothing else.
    let refused = all_items(&app, &f.owner, "/api/v1/audit?action=vessel.create").await;
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0]["outcome"], "failure");
}

async fn values_a_database_cannot_hold_are_refused_alike_on_both(app: TestApp) {
    let (f, before) = acme(&app).await;
    // PostgreSQL cannot store U+0000 nor dates before 4713 BC; SQLite could. Both refuse.
    for specs in [json!({ "note": "a\u{0}b" }), json!({ "k\u{0}": 1 }), json!({ "list": [{ "x": "\u{0}" }] })] {
        let res =
            post(&app, &f.owner, "/api/v1/vessels", json!({ "kind": "site", "name": "Yard", "specs": specs })).await;
        let body = problem(res, 422, "validation_failed").await;
        assert_eq!(field_error(&body, "specs")["code"], "control_characters");
    }
    for query in ["action=%00", "entity=vessel%00", "entity_id=%00x"] {
        let res = app.as_(&f.owner, Method::GET, &format!("/api/v1/audit?{query}")).send().await.unwrap();
        let body = problem(res, 422, "validation_failed").await;
        assert_eq!(body["errors"][0]["code"], "control_characters", "{query}");
    }
    for query in ["since=-9999-12-31T23:59:59Z", "until=%2B200000-01-01T00:00:00Z"] {
        let res = app.as_(&f.owner, Method::GET, &format!("/api/v1/audit?{query}")).send().await.unwrap();
        let body = problem(res, 422, "validation_failed").await;
        assert_eq!(body["errors"][0]["code"], "out_of_range", "{query}");
    }
    let res = post(&app, &f.owner, "/api/v1/vessels", json!({ "kind": "site", "name": "Yard" })).await;
    let yard: Value = res.json().await.unwrap();
    let rotation = format!("/api/v1/vessels/{}/join-rotation", yard["id"].as_str().unwrap());
    let after_yard = counts(&app, &f.owner).await;
    for (dates, field) in [
        (json!({ "rotation_start": "-5000-01-01" }), "rotation_start"),
        (json!({ "rotation_start": "+200000-01-01" }), "rotation_start"),
        (json!({ "rotation_start": "2025-01-01", "rotation_end": "+20000-01-01" }), "rotation_end"),
    ] {
        let res = post(&app, &f.owner, &rotation, dates).await;
        let body = problem(res, 422, "validation_failed").await;
        assert_eq!(field_error(&body, field)["code"], "out_of_range", "{body}");
    }
    let res = app
        .request(Method::POST, "/api/v1/auth/login")
        .json(&json!({ "email": "owner\u{0}@acme.example", "password": "whatever it is" }))
        .send()
        .await
        .unwrap();
    problem(res, 401, "invalid_credentials").await;
    let after = counts(&app, &f.owner).await;
    assert_eq!((after.vessels, after.users, after.audit), (before.vessels + 1, before.users, after_yard.audit));
}

crate::on_both_backends!(
    values_a_database_cannot_hold_are_refused_alike_on_both,
    malformed_json_is_a_400,
    a_wrong_type_names_the_field,
    an_unknown_field_is_named,
    a_missing_field_is_named,
    a_body_without_a_json_content_type_is_a_415,
    a_body_over_the_limit_is_a_413,
    a_bad_imo_check_digit_is_named,
    every_bad_field_is_listed_at_once,
    a_duplicate_imo_in_the_company_is_a_409,
    a_client_id_used_twice_is_a_409,
    inviting_a_member_of_the_company_again_is_a_409,
    a_duplicate_company_slug_is_a_conflict,
    unknown_routes_and_methods_are_problems,
    a_malformed_path_id_is_a_400,
    bad_paging_is_refused,
    missing_or_bad_credentials_are_problems,
);
