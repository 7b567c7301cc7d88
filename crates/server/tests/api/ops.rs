//! Running Bosun: liveness, readiness (and what an unreachable database answers), metrics,
//! request ids, security headers, and the API's description.

use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::harness::{Backend, TestApp, assert_problem};

async fn body_json(res: Response) -> Value {
    res.json().await.expect("a JSON body")
}

async fn liveness_answers_without_the_database(app: TestApp) {
    let res = app.request(Method::GET, "/healthz").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(body_json(res).await["status"], "ok");
    app.app.store.close().await;
    let res = app.request(Method::GET, "/healthz").send().await.unwrap();
    assert_eq!(res.status(), 200, "the process lives on without its database");
}

async fn an_unreachable_database_is_a_503_never_a_500(app: TestApp) {
    let f = app.with_company("acme").await;
    let res = app.request(Method::GET, "/readyz").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(body_json(res).await["status"], "ready");

    app.app.store.close().await;

    let res = app.request(Method::GET, "/readyz").send().await.unwrap();
    assert_eq!(res.status(), 503);
    let body = body_json(res).await;
    assert_eq!(body["status"], "unavailable", "{body}");

    let calls: [(Method, &str, Option<Value>); 6] = [
        (Method::GET, "/api/v1/me", None),
        (Method::GET, "/api/v1/vessels", None),
        (Method::POST, "/api/v1/vessels", Some(json!({ "kind": "site", "name": "Yard" }))),
        (Method::GET, "/api/v1/audit", None),
        (Method::GET, "/api/v1/companies/acme", None),
        (
            Method::POST,
            "/api/v1/auth/login",
            Some(json!({ "email": "owner@acme.example", "password": crate::harness::PASSWORD })),
        ),
    ];
    for (method, path, body) in calls {
        let mut req = app.as_(&f.owner, method.clone(), path);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        assert!(res.headers().contains_key("x-request-id"));
        let problem = assert_problem(res, 503, "unavailable").await;
        let text = problem.to_string().to_lowercase();
        assert!(!text.contains("pool") && !text.contains("sqlx"), "{method} {path} leaks internals: {problem}");
    }
}

async fn metrics_count_requests_by_route_and_status(app: TestApp) {
    let f = app.with_company("acme").await;
    for _ in 0..3 {
        assert_eq!(app.as_(&f.owner, Method::GET, "/api/v1/vessels").send().await.unwrap().status(), 200);
    }
    // A method, route and status no other test sends: counted even though nothing scraped
    // the metrics before it (the recorder is in place from the start).
    let path = format!("/api/v1/vessels/{}", uuid::Uuid::now_v7());
    let res = app.as_(&f.owner, Method::PUT, &path).body("{}").send().await.unwrap();
    assert_eq!(res.status(), 415);

    let res = app.request(Method::GET, "/metrics").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/plain"), "Prometheus text format");
    let text = res.text().await.unwrap();
    let counter = |method: &str, route: &str, status: &str| {
        text.lines().find(|l| {
            l.starts_with("http_requests_total{")
                && l.contains(&format!("method=\"{method}\""))
                && l.contains(&format!("route=\"{route}\""))
                && l.contains(&format!("status=\"{status}\""))
        })
    };
    let line = counter("GET", "/api/v1/vessels", "200").unwrap_or_else(|| panic!("no vessels counter in\n{text}"));
    let n: f64 = line.rsplit(' ').next().and_then(|n| n.parse().ok()).expect("a count");
    assert!(n >= 3.0, "{line}");
    assert!(
        counter("PUT", "/api/v1/vessels/{id}", "415").is_some(),
        "the refused PUT is counted by its template:\n{text}"
    );
    assert!(
        text.lines().any(|l| l.starts_with("http_request_duration_seconds")
            && l.contains("route=\"/api/v1/vessels\"")
            && l.contains("status=\"200\"")),
        "latency by route and status:\n{text}"
    );
    assert!(!text.contains(&path), "routes are templates, never raw paths with ids");
}

async fn every_answer_carries_a_request_id(app: TestApp) {
    let f = app.with_company("acme").await;
    let paths = ["/healthz", "/readyz", "/metrics", "/api/v1/me", "/api/v1/nothing", "/api/v1/vessels/bad-id"];
    let mut seen = std::collections::HashSet::new();
    for path in paths {
        let res = app.as_(&f.owner, Method::GET, path).send().await.unwrap();
        let id = res.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let id = id.unwrap_or_else(|| panic!("{path} has no X-Request-Id"));
        assert!(uuid::Uuid::parse_str(&id).is_ok(), "{path}: a made id is a UUID, got {id}");
        assert!(seen.insert(id), "each request gets its own id");
    }
    // A client's own id is kept, and the audit trail records it.
    let res = app
        .as_(&f.owner, Method::POST, "/api/v1/vessels")
        .header("x-request-id", "deck-tablet-7f3a")
        .json(&json!({ "kind": "site", "name": "Yard" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "deck-tablet-7f3a");
    assert_eq!(res.status(), 201);
    let trail =
        body_json(app.as_(&f.owner, Method::GET, "/api/v1/audit?action=vessel.create").send().await.unwrap()).await;
    assert_eq!(trail["items"][0]["request_id"], "deck-tablet-7f3a");
    let res = app.request(Method::GET, "/api/v1/nothing").header("x-request-id", "abc-123").send().await.unwrap();
    assert_eq!(res.headers()["x-request-id"], "abc-123");
}

async fn answers_carry_security_headers(app: TestApp) {
    for path in ["/api/v1/companies/nobody", "/healthz", "/api/docs/", "/api/v1/openapi.json", "/"] {
        let res = app.request(Method::GET, path).send().await.unwrap();
        let h = res.headers();
        assert_eq!(h.get("x-content-type-options").map(|v| v.to_str().unwrap()), Some("nosniff"), "{path}");
        let csp = h.get("content-security-policy").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{path}: {csp:?}");
        assert_eq!(h.get("x-frame-options").map(|v| v.to_str().unwrap()), Some("DENY"), "{path}");
        assert_eq!(h.get("referrer-policy").map(|v| v.to_str().unwrap()), Some("no-referrer"), "{path}");
    }
}

async fn the_api_reference_is_browsable(app: TestApp) {
    let res = app.request(Method::GET, "/api/docs/").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = res.text().await.unwrap();
    assert!(html.contains("swagger"), "the reference page: {html}");
    // Its initializer points at the document this server serves.
    let res = app.request(Method::GET, "/api/docs/swagger-initializer.js").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("/api/v1/openapi.json"));
    let res = app.request(Method::GET, "/api/docs").send().await.unwrap();
    assert!(matches!(res.status().as_u16(), 200 | 301 | 302 | 303 | 307 | 308), "{}", res.status());
}

async fn the_openapi_document_describes_api_v1(app: TestApp) {
    let res = app.request(Method::GET, "/api/v1/openapi.json").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let doc = body_json(res).await;
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 10, "{:?}", paths.keys());
    for p in paths.keys() {
        assert!(p.starts_with("/api/v1/"), "{p} is outside /api/v1");
    }
    for p in ["/api/v1/vessels", "/api/v1/users", "/api/v1/audit", "/api/v1/auth/login"] {
        assert!(paths.contains_key(p), "{p} is described");
    }
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    // What is served is what the snapshot pins.
    assert_eq!(doc, serde_json::to_value(bosun_http::openapi()).unwrap());
}

/// With `server.metrics_token` set, `/metrics` answers only the scraper that sends it, on this
/// machine too. (Without a token it answers loopback clients only; a unit test beside the
/// route covers clients elsewhere, which a test on 127.0.0.1 cannot be.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_metrics_token_is_required_once_configured() {
    let token = "scraper-token-0123456789";
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.server.metrics_token = Some(token.into())).await;
    // Something to count.
    assert_eq!(app.request(Method::GET, "/api/v1/me").send().await.unwrap().status(), 401);
    let res = app.request(Method::GET, "/metrics").send().await.unwrap();
    assert_problem(res, 401, "invalid_token").await;
    let res = app.request(Method::GET, "/metrics").bearer_auth("scraper-token-wrong").send().await.unwrap();
    assert_problem(res, 401, "invalid_token").await;
    let res = app.request(Method::GET, "/metrics").bearer_auth(token).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("http_requests_total"));
}

crate::on_both_backends!(
    liveness_answers_without_the_database,
    an_unreachable_database_is_a_503_never_a_500,
    metrics_count_requests_by_route_and_status,
    every_answer_carries_a_request_id,
    answers_carry_security_headers,
    the_api_reference_is_browsable,
    the_openapi_document_describes_api_v1,
);
