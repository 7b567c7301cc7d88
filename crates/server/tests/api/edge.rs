//! The HTTP edge: whose address a request has (trusted proxies), who may read `/metrics`
//! behind a proxy, security and caching headers, what a conflict with stored data tells the
//! client, and the limits connections and requests are served within.
//!
//! Limits are shown with short configured timeouts and a generous deadline on seeing their
//! outcome; nothing asserts how long anything took. Most cases here do not touch the database
//! beyond a login, so they run on SQLite only; those that read the audit trail run on both.

use std::time::Duration;

use bosun_app::fleet::vessels::{CreateVessel, VesselInput, check_vessel};
use bosun_domain::{Clock, VesselId};
use bosun_server::config::Config;
use reqwest::Method;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::harness::{Backend, Fixture, TestApp, assert_problem};
use crate::records;

/// How long a test waits for an outcome that a correct server reaches in a second or two.
const DEADLINE: Duration = Duration::from_secs(30);

/// A raw connection, for what an HTTP client will not send: half a head, a body that stops.
struct Raw(TcpStream);

/// An answer read off a raw connection.
#[derive(Debug)]
struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl Raw {
    async fn connect(app: &TestApp) -> Self {
        Self(TcpStream::connect(app.addr).await.expect("the server accepts connections"))
    }

    async fn send(&mut self, bytes: &[u8]) {
        self.0.write_all(bytes).await.expect("the request is written");
    }

    async fn get(&mut self, path: &str) -> Answer {
        self.send(format!("GET {path} HTTP/1.1\r\nHost: bosun\r\n\r\n").as_bytes()).await;
        self.answer().await.unwrap_or_else(|| panic!("GET {path} was not answered"))
    }

    /// The next answer (head and a `Content-Length` body); `None` when the server closed the
    /// connection first.
    async fn answer(&mut self) -> Option<Answer> {
        tokio::time::timeout(DEADLINE, self.read_answer()).await.expect("an answer or a close within the deadline")
    }

    async fn read_answer(&mut self) -> Option<Answer> {
        let mut bytes = Vec::new();
        let head_end = loop {
            if let Some(i) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let mut chunk = [0u8; 4096];
            match self.0.read(&mut chunk).await {
                Ok(0) | Err(_) => return None,
                Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&bytes[..head_end]).into_owned();
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status line");
        let mut answer = Answer { status, head, body: String::new() };
        let length: usize = answer.header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
        let mut body = bytes[head_end..].to_vec();
        while body.len() < length {
            let mut chunk = [0u8; 4096];
            match self.0.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => body.extend_from_slice(&chunk[..n]),
            }
        }
        answer.body = String::from_utf8_lossy(&body).into_owned();
        Some(answer)
    }

    /// Whether the server closes the connection before sending anything more.
    async fn is_closed_by_server(&mut self) -> bool {
        let mut byte = [0u8; 1];
        let read = tokio::time::timeout(DEADLINE, self.0.read(&mut byte)).await;
        matches!(read.expect("a close within the deadline"), Ok(0) | Err(_))
    }
}

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
    let input = VesselInput { kind: "vessel".into(), name: "Northern Star".into(), ..VesselInput::default() };
    let fields = check_vessel(&input).unwrap();
    app.app.mutate(&app.owner_actor(f), CreateVessel { id: None, fields }).await.unwrap().id
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

    let res = bosun_http::error::ApiError::from(bosun_app::Error::from(err)).into_response();
    assert_eq!(res.status(), 409);
    let body = res.into_body().collect().await.unwrap().to_bytes();
    let problem: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(problem["code"], "conflict");
    assert_eq!(problem["detail"], bosun_app::STORED_DATA_CONFLICT);
    let text = problem.to_string().to_lowercase();
    for word in ["constraint", "unique", "duplicate", "equipment", "pkey", driver.as_str()] {
        assert!(!text.contains(word), "{word:?} leaks in {problem}");
    }
}

// ---- Connection and request limits -----------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_sends_half_a_request_head_is_disconnected() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.server.header_read_timeout_secs = 1).await;
    let mut raw = Raw::connect(&app).await;
    raw.send(b"GET /healthz HTTP/1.1\r\nHost: bosun\r\nUser-Agent: slow").await;
    assert!(raw.is_closed_by_server().await, "the connection is dropped without an answer");

    // One that sends nothing at all, likewise.
    let mut raw = Raw::connect(&app).await;
    assert!(raw.is_closed_by_server().await);
    // A whole head is answered as ever.
    assert_eq!(Raw::connect(&app).await.get("/healthz").await.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_keep_alive_connection_is_closed() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.server.keep_alive_secs = 1).await;
    let mut raw = Raw::connect(&app).await;
    assert_eq!(raw.get("/healthz").await.status, 200);
    assert_eq!(raw.get("/healthz").await.status, 200, "kept alive between requests");
    assert!(raw.is_closed_by_server().await, "closed once idle");
}

/// Sends a request head announcing a 100-byte body and a few bytes of it, then nothing more.
async fn a_body_that_stops(raw: &mut Raw, request_line: &str, headers: &str) {
    let head = format!("{request_line}\r\nHost: bosun\r\n{headers}Content-Length: 100\r\n\r\n");
    raw.send(head.as_bytes()).await;
    raw.send(b"{\"email\": \"own").await;
}

async fn assert_timed_out_after(raw: &mut Raw, secs: u64) {
    let answer = raw.answer().await.expect("a 408 before the connection closes");
    assert_eq!(answer.status, 408, "{answer:?}");
    assert_eq!(answer.header("content-type"), Some("application/problem+json"));
    assert_eq!(answer.header("connection"), Some("close"));
    let problem = answer.json();
    assert_eq!(problem["code"], "request_timeout");
    assert_eq!(problem["detail"], format!("a request must be sent and answered within {secs} s"), "{problem}");
    assert!(raw.is_closed_by_server().await, "the rest of the body is never waited for");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_whose_body_never_completes_ends_with_408_and_a_closed_connection() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| {
        c.server.request_timeout_secs = 1;
        c.server.upload_timeout_secs = 2;
    })
    .await;
    let mut raw = Raw::connect(&app).await;
    a_body_that_stops(&mut raw, "POST /api/v1/auth/login HTTP/1.1", "Content-Type: application/json\r\n").await;
    assert_timed_out_after(&mut raw, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_two_upload_routes_have_the_upload_time_limit() {
    // The limit each 408 names shows which one applied; the upload one is the longer.
    let app = TestApp::spawn_with(Backend::Sqlite, |c| {
        c.server.request_timeout_secs = 1;
        c.server.upload_timeout_secs = 2;
    })
    .await;
    // A real fault and vessel: uploads are read only once their parent and permission are checked.
    let w = crate::permissions::acme_with_records(&app).await;
    let auth = format!("Authorization: Bearer {}\r\n", w.fixture.owner.token);
    let (fault, vessel) = (w.records.fault, w.vessel);
    let uploads = [
        (format!("POST /api/v1/attachments?parent_kind=fault&parent_id={fault}&file_name=a.txt HTTP/1.1"), ""),
        (format!("POST /api/v1/vessels/{vessel}/equipment/import HTTP/1.1"), "Content-Type: text/csv\r\n"),
    ];
    for (line, headers) in uploads {
        let mut raw = Raw::connect(&app).await;
        a_body_that_stops(&mut raw, &line, &format!("{auth}{headers}")).await;
        assert_timed_out_after(&mut raw, 2).await;
    }
    let mut raw = Raw::connect(&app).await;
    a_body_that_stops(&mut raw, "POST /api/v1/vessels HTTP/1.1", &format!("{auth}Content-Type: application/json\r\n"))
        .await;
    assert_timed_out_after(&mut raw, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_beyond_the_cap_wait_until_one_closes() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.server.max_connections = 2).await;
    // Two connections, each answered once and kept open: both slots are taken.
    let mut first = Raw::connect(&app).await;
    let mut second = Raw::connect(&app).await;
    assert_eq!(first.get("/healthz").await.status, 200);
    assert_eq!(second.get("/healthz").await.status, 200);

    // A third connects (the kernel completes the handshake) and asks for a company that does
    // not exist yet.
    let mut third = Raw::connect(&app).await;
    third.send(b"GET /api/v1/companies/late HTTP/1.1\r\nHost: bosun\r\n\r\n").await;
    // The company is registered, and only then is a slot freed. Had the third been served
    // beside the other two, it would have been answered 404 before the company existed.
    app.app.companies.create("late", "Late Shipping", &Default::default()).await.unwrap();
    assert_eq!(second.get("/healthz").await.status, 200, "the held connections are still served");
    drop(first);
    let answer = third.answer().await.expect("the third is served once a slot is free");
    assert_eq!(answer.status, 200, "served only after a connection closed: {answer:?}");
    assert_eq!(answer.json()["slug"], "late");
}

crate::on_both_backends!(
    api_answers_are_not_stored_unless_the_handler_says_otherwise,
    a_drivers_conflict_message_never_reaches_the_client,
);
