//! The HTTP edge: whose address a request has (trusted proxies) and who may read `/metrics`
//! behind a proxy.
//!
//! Most cases here do not touch the database beyond a login, so they run on SQLite only; those
//! that read the audit trail run on both.

use reqwest::Method;
use serde_json::{Value, json};

use crate::harness::{Backend, Fixture, TestApp, assert_problem};

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
