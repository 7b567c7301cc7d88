//! The HTTP edge: whose address a request has (trusted proxies), who may read `/metrics` behind
//! a proxy, security and caching headers and what a conflict with stored data tells the client.
//!
//! Most cases here do not touch the database beyond a login, so they run on SQLite only; those
//! that read the audit trail run on both.

use bosun_domain::{Clock, VesselId};
use bosun_server::config::Config;
use bosun_server::service::vessels::VesselInput;
use reqwest::Method;
use serde_json::{Value, json};

use crate::harness::{Backend, Fixture, TestApp, assert_problem};
use crate::records;

// ---- Client address -------------------------------------------------------------------

/// Fails a login of the owner of `f`, sending `forwarded_for` as `X-Forwarded-For`, and gives
/// the address the audit trail recorded for it.
async fn audited_ip_of_a_failed_login(app: &TestApp, f: &Fixture, forwarded_for: Option<&str>) -> String {
    let mut req = app
        .request(Method::POST, "/api/v1/auth/login")
        .json(&json!({ "email": f.owner.email, "password": "not the password" }));
    if let Some(v) = forwarded_for {
        req = req.header("x-forwarded-for", v);
    }
    assert_problem(req.send().await.unwrap(), 401, "invalid_credentials").await;
    let res = app.as_(&f.owner, Method::GET, "/api/v1/audit?action=auth.login&outcome=failure").send().await.unwrap();
    let page: Value = res.json().await.unwrap();
    page["items"][0]["ip"].as_str().unwrap_or_else(|| panic!("no ip in {page}")).to_owned()
}

async fn a_spoofed_forwarded_for_from_an_untrusted_peer_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.with_company("acme").await;
    assert_eq!(audited_ip_of_a_failed_login(&app, &f, None).await, "127.0.0.1");
    let ip = audited_ip_of_a_failed_login(&app, &f, Some("203.0.113.9")).await;
    assert_eq!(ip, "127.0.0.1", "the peer is not a trusted proxy: its header is the client's word");
}

async fn a_trusted_proxy_names_the_client(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.server.trusted_proxies = vec!["127.0.0.1".parse().unwrap(), "10.0.0.0/8".parse().unwrap()];
    })
    .await;
    let f = app.with_company("acme").await;
    assert_eq!(audited_ip_of_a_failed_login(&app, &f, Some("203.0.113.9")).await, "203.0.113.9");
    // What the client wrote itself (left) is passed over for the address the outer proxy saw.
    let ip = audited_ip_of_a_failed_login(&app, &f, Some("198.51.100.1, 203.0.113.77, 10.1.2.3")).await;
    assert_eq!(ip, "203.0.113.77");
    // Without the header, the proxy itself.
    assert_eq!(audited_ip_of_a_failed_login(&app, &f, None).await, "127.0.0.1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spoofed_forwarded_for_from_an_untrusted_peer_changes_nothing_on_sqlite() {
    a_spoofed_forwarded_for_from_an_untrusted_peer_changes_nothing(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spoofed_forwarded_for_from_an_untrusted_peer_changes_nothing_on_postgres() {
    a_spoofed_forwarded_for_from_an_untrusted_peer_changes_nothing(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trusted_proxy_names_the_client_on_sqlite() {
    a_trusted_proxy_names_the_client(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trusted_proxy_names_the_client_on_postgres() {
    a_trusted_proxy_names_the_client(Backend::Postgres).await;
}

// ---- /metrics behind a proxy ----------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_not_for_loopback_requests_that_a_proxy_forwarded() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    assert_eq!(app.request(Method::GET, "/metrics").send().await.unwrap().status(), 200, "this machine");
    for (name, value) in [("x-forwarded-for", "203.0.113.9"), ("forwarded", "for=203.0.113.9;proto=https")] {
        let res = app.request(Method::GET, "/metrics").header(name, value).send().await.unwrap();
        assert_problem(res, 403, "forbidden").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_through_a_trusted_proxy_need_the_token() {
    let app =
        TestApp::spawn_with(Backend::Sqlite, |c| c.server.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    // Loopback is the proxy here, not a scraper on this machine.
    assert_problem(app.request(Method::GET, "/metrics").send().await.unwrap(), 403, "forbidden").await;

    let token = "scraper-token-0123456789";
    let app = TestApp::spawn_with(Backend::Sqlite, |c| {
        c.server.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
        c.server.metrics_token = Some(token.into());
    })
    .await;
    let res = app.request(Method::GET, "/metrics").bearer_auth("scraper-token-wrong").send().await.unwrap();
    assert_problem(res, 401, "invalid_token").await;
    let res = app.request(Method::GET, "/metrics").bearer_auth(token).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

/// A vessel of `f`'s company.
async fn a_vessel_of(app: &TestApp, f: &Fixture) -> VesselId {
    let input = VesselInput {
        id: None,
        kind: "vessel".into(),
        name: "Northern Star".into(),
        vessel_type: None,
        imo: None,
        specs: None,
        version: None,
    };
    app.app.vessels.create(&app.owner_actor(f), input).await.unwrap().id
}

// ---- Security and caching headers ------------------------------------------------------

/// Paths answering in every way: problems, JSON, the reference, the web app.
const PATHS: [&str; 6] =
    ["/api/v1/companies/nobody", "/api/v1/me", "/api/v1/openapi.json", "/healthz", "/api/docs/", "/"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_https_public_url_pins_browsers_to_https_on_every_answer() {
    let app =
        TestApp::spawn_with(Backend::Sqlite, |c| c.server.public_url = "https://bosun.northwind.example".into()).await;
    for path in PATHS {
        let res = app.request(Method::GET, path).send().await.unwrap();
        let hsts = res.headers().get("strict-transport-security").map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(hsts.as_deref(), Some("max-age=31536000; includeSubDomains"), "{path}");
    }
    let res = app.request(Method::DELETE, "/healthz").send().await.unwrap();
    assert!(res.headers().contains_key("strict-transport-security"), "a 405 too");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_http_public_url_sends_no_hsts() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    assert!(Config::default().server.public_url.starts_with("http://"));
    for path in PATHS {
        let res = app.request(Method::GET, path).send().await.unwrap();
        assert!(!res.headers().contains_key("strict-transport-security"), "{path}: a laptop demo is not pinned");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_content_security_policy_forbids_base_and_foreign_form_targets() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    for path in PATHS {
        let res = app.request(Method::GET, path).send().await.unwrap();
        let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
        assert!(csp.contains("base-uri 'none'") && csp.contains("form-action 'self'"), "{path}: {csp}");
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    }
}

/// The status and `Cache-Control` of an answer.
async fn cache_control(req: reqwest::RequestBuilder) -> (u16, String) {
    let res = req.send().await.unwrap();
    let cc = res.headers().get("cache-control").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (res.status().as_u16(), cc)
}

async fn api_answers_are_not_stored_unless_the_handler_says_otherwise(app: TestApp) {
    let f = app.with_company("acme").await;
    let vessel = a_vessel_of(&app, &f).await;
    let r = records::records_on(&app, f.company.id, vessel, f.owner.user_id).await;
    for (method, path) in [
        (Method::GET, "/api/v1/vessels".to_owned()),
        (Method::GET, "/api/v1/me".to_owned()),
        (Method::GET, "/api/v1/nothing".to_owned()),
        (Method::GET, "/api/v1/openapi.json".to_owned()),
        (Method::GET, format!("/api/v1/faults/{}", r.fault)),
        (Method::DELETE, "/api/v1/vessels".to_owned()),
    ] {
        let (status, cc) = cache_control(app.as_(&f.owner, method.clone(), &path)).await;
        assert_eq!(cc, "no-store", "{method} {path} ({status})");
    }
    let (_, cc) = cache_control(app.request(Method::GET, "/api/v1/me")).await;
    assert_eq!(cc, "no-store", "a 401 too");

    // Attachment bytes keep their own, deliberate caching (see `api_answers_are_not_stored`).
    let res = records::upload(&app, &f.owner, "fault", r.fault, "pump.png", records::png(40, 30)).await;
    assert_eq!(res.status(), 201);
    let (_, cc) = cache_control(app.as_(&f.owner, Method::POST, "/api/v1/vessels").json(&json!({}))).await;
    assert_eq!(cc, "no-store", "a 422");
    let a: Value = res.json().await.unwrap();
    for url in [&a["content_url"], &a["thumbnail_url"]] {
        let (status, cc) = cache_control(app.as_(&f.owner, Method::GET, url.as_str().unwrap())).await;
        assert_eq!((status, cc.as_str()), (200, "private, max-age=300"), "{url}");
    }
    let (_, cc) =
        cache_control(app.as_(&f.owner, Method::GET, &format!("/api/v1/attachments/{}", a["id"].as_str().unwrap())))
            .await;
    assert_eq!(cc, "no-store", "an attachment's metadata is an ordinary answer");

    // The web app outside /api/ keeps its own rules (index.html revalidates, assets are immutable).
    let (_, cc) = cache_control(app.request(Method::GET, "/")).await;
    assert_ne!(cc, "no-store");
}

// ---- Conflicts with stored data ------------------------------------------------------

async fn a_drivers_conflict_message_never_reaches_the_client(app: TestApp) {
    use axum::response::IntoResponse;
    use http_body_util::BodyExt;

    // No route is known to let a conflict through unnamed (each use case maps its own), so a
    // real one is made here: the same item stored twice, refused by the database's key.
    let f = app.with_company("acme").await;
    let vessel = a_vessel_of(&app, &f).await;
    let company = f.company.id;
    let item = records::equipment(company, vessel, "Main engine 1", app.clock.now());
    records::insert(&app, company, std::slice::from_ref(&item), &[], &[], &[]).await;
    let mut tx = app.app.store.begin(Some(company)).await.unwrap();
    let err = tx.insert_equipment(&item).await.expect_err("the key is taken");
    let bosun_store::StoreError::Conflict(driver) = &err else { panic!("not a conflict: {err:?}") };
    let driver = driver.to_lowercase();
    assert!(!driver.is_empty());

    let res = bosun_server::http::error::ApiError::from(bosun_server::service::Error::from(err)).into_response();
    assert_eq!(res.status(), 409);
    let body = res.into_body().collect().await.unwrap().to_bytes();
    let problem: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(problem["code"], "conflict");
    assert_eq!(problem["detail"], bosun_server::service::STORED_DATA_CONFLICT);
    let text = problem.to_string().to_lowercase();
    for word in ["constraint", "unique", "duplicate", "equipment", "pkey", driver.as_str()] {
        assert!(!text.contains(word), "{word:?} leaks in {problem}");
    }
}

crate::on_both_backends!(
    api_answers_are_not_stored_unless_the_handler_says_otherwise,
    a_drivers_conflict_message_never_reaches_the_client,
);
