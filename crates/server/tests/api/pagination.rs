//! Cursor pagination: every list pages with `limit` and `cursor` → `next_cursor`, each row
//! seen exactly once, the last page ending with a null cursor.

use bosun_domain::person::Role;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::harness::{Session, TestApp};

/// Every page of the list at `path` (which must not carry `cursor`), `limit` rows at a time.
pub(crate) async fn page_through(app: &TestApp, who: &Session, path: &str, limit: u32) -> Vec<Vec<Value>> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut cursor: Option<String> = None;
    let mut pages = Vec::new();
    loop {
        let mut url = format!("{path}{sep}limit={limit}");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let res = app.as_(who, Method::GET, &url).send().await.expect("list request");
        assert_eq!(res.status(), 200, "listing {url}");
        let body: Value = res.json().await.expect("a page");
        let items = body["items"].as_array().expect("items").clone();
        assert!(items.len() <= limit as usize, "a page of {url} holds more than {limit}: {body}");
        pages.push(items);
        match &body["next_cursor"] {
            Value::Null => return pages,
            Value::String(c) => {
                assert!(pages.len() <= 1000, "the cursor of {path} never ends");
                cursor = Some(c.clone());
            }
            other => panic!("next_cursor must be a string or null, got {other}"),
        }
    }
}

/// Every row of the list at `path`, following cursors (200 at a time).
pub(crate) async fn all_items(app: &TestApp, who: &Session, path: &str) -> Vec<Value> {
    page_through(app, who, path, 200).await.into_iter().flatten().collect()
}

fn ids(items: &[Value], key: &str) -> Vec<String> {
    items.iter().map(|i| i[key].to_string()).collect()
}

async fn create_vessel(app: &TestApp, who: &Session, name: &str) -> Uuid {
    let res = app
        .as_(who, Method::POST, "/api/v1/vessels")
        .json(&json!({ "kind": "site", "name": name }))
        .send()
        .await
        .expect("create request");
    assert_eq!(res.status(), 201);
    let v: Value = res.json().await.expect("a vessel");
    v["id"].as_str().and_then(|s| s.parse().ok()).expect("a vessel id")
}

async fn vessels_page_three_at_a_time_in_id_order(app: TestApp) {
    let f = app.with_company("acme").await;
    let mut created = Vec::new();
    for n in 0..7 {
        created.push(create_vessel(&app, &f.owner, &format!("Yard {n}")).await);
    }
    created.sort();

    let pages = page_through(&app, &f.owner, "/api/v1/vessels", 3).await;
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3, 1]);
    let seen: Vec<Uuid> =
        pages.iter().flatten().map(|v| v["id"].as_str().and_then(|s| s.parse().ok()).expect("an id")).collect();
    assert_eq!(seen, created, "each vessel once, in id order");
}

async fn a_page_that_ends_exactly_at_the_limit_still_ends(app: TestApp) {
    let f = app.with_company("acme").await;
    for n in 0..6 {
        create_vessel(&app, &f.owner, &format!("Yard {n}")).await;
    }
    let pages = page_through(&app, &f.owner, "/api/v1/vessels", 3).await;
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3], "no empty trailing page");
}

async fn users_page_three_at_a_time_in_id_order(app: TestApp) {
    let f = app.with_company("acme").await;
    // The owner plus six more.
    for n in 0..6 {
        app.person_in(&f.company, &format!("crew{n}@acme.example"), Role::Crew).await;
    }
    let pages = page_through(&app, &f.owner, "/api/v1/users", 3).await;
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3, 1]);
    let seen: Vec<Uuid> =
        pages.iter().flatten().map(|v| v["id"].as_str().and_then(|s| s.parse().ok()).expect("an id")).collect();
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen, sorted, "each person once, in id order");
    let emails: Vec<&str> = pages.iter().flatten().filter_map(|v| v["email"].as_str()).collect();
    assert!(emails.contains(&"owner@acme.example") && emails.contains(&"crew5@acme.example"), "{emails:?}");
}

async fn audit_pages_newest_first(app: TestApp) {
    let f = app.with_company("acme").await;
    for n in 0..7 {
        create_vessel(&app, &f.owner, &format!("Yard {n}")).await;
    }
    let everything = all_items(&app, &f.owner, "/api/v1/audit").await;
    let pages = page_through(&app, &f.owner, "/api/v1/audit", 3).await;
    assert!(pages.iter().all(|p| !p.is_empty()), "no empty page");
    let paged: Vec<Value> = pages.into_iter().flatten().collect();
    assert_eq!(ids(&paged, "seq"), ids(&everything, "seq"), "paging sees what one big page sees");
    let seqs: Vec<i64> = paged.iter().map(|e| e["seq"].as_i64().expect("a seq")).collect();
    assert!(seqs.windows(2).all(|w| w[0] > w[1]), "newest first, each once: {seqs:?}");

    // A filtered list pages too.
    let creates = page_through(&app, &f.owner, "/api/v1/audit?action=vessel.create", 3).await;
    assert_eq!(creates.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3, 1]);
    let names: Vec<&str> = creates.iter().flatten().filter_map(|e| e["after"]["name"].as_str()).collect();
    assert_eq!(names, ["Yard 6", "Yard 5", "Yard 4", "Yard 3", "Yard 2", "Yard 1", "Yard 0"]);
}

async fn crew_page_only_through_their_own_vessels(app: TestApp) {
    let f = app.with_company("acme").await;
    let crew = app.person_in(&f.company, "crew@acme.example", Role::Crew).await;
    let mut theirs = Vec::new();
    for n in 0..5 {
        let id = create_vessel(&app, &f.owner, &format!("Yard {n}")).await;
        if n % 2 == 0 {
            let res = app
                .as_(&f.owner, Method::POST, &format!("/api/v1/vessels/{id}/join-rotation"))
                .json(&json!({ "user_id": crew.user_id, "rotation_start": "2025-01-01" }))
                .send()
                .await
                .expect("assign");
            assert_eq!(res.status(), 200);
            theirs.push(id);
        }
    }
    theirs.sort();
    let pages = page_through(&app, &crew, "/api/v1/vessels", 2).await;
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [2, 1]);
    let seen: Vec<Uuid> =
        pages.iter().flatten().map(|v| v["id"].as_str().and_then(|s| s.parse().ok()).expect("an id")).collect();
    assert_eq!(seen, theirs);
}

crate::on_both_backends!(
    vessels_page_three_at_a_time_in_id_order,
    a_page_that_ends_exactly_at_the_limit_still_ends,
    users_page_three_at_a_time_in_id_order,
    audit_pages_newest_first,
    crew_page_only_through_their_own_vessels,
);
