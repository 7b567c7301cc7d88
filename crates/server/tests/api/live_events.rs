//! The live-event WebSocket: a subscriber receives, within a second, the events of the vessels
//! they may see, and never another company's or another vessel's; bad tokens are refused and
//! a revoked session is closed.

use std::time::Duration;

use bosun_app::fleet::vessels::{CreateVessel, JoinRotation, VesselInput, check_vessel};
use bosun_app::realtime::LiveEvent;
use bosun_domain::Clock;
use bosun_domain::person::Role;
use bosun_domain::{CompanyId, VesselId};
use futures_util::StreamExt;
use reqwest::Method;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::harness::{Session, TestApp, assert_problem};
use crate::records::{png, records_on, upload};

pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Connects with the token in the query, as browsers do.
pub(crate) async fn connect(addr: std::net::SocketAddr, token: &str) -> Result<Socket, WsError> {
    let url = format!("ws://{addr}/api/v1/events?access_token={token}");
    tokio_tungstenite::connect_async(url).await.map(|(ws, _)| ws)
}

/// Connects with the token in the `Authorization` header.
async fn connect_with_header(app: &TestApp, token: &str) -> Result<Socket, WsError> {
    let mut req = format!("ws://{}/api/v1/events", app.addr).into_client_request().unwrap();
    req.headers_mut().insert("authorization", format!("Bearer {token}").parse().unwrap());
    tokio_tungstenite::connect_async(req).await.map(|(ws, _)| ws)
}

/// What the socket says next within `within`: an event (JSON), or how it ended.
#[derive(Debug)]
pub(crate) enum Heard {
    Event(Value),
    Closed(Option<CloseCode>),
    Nothing,
}

pub(crate) async fn next(ws: &mut Socket, within: Duration) -> Heard {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Err(_) => return Heard::Nothing,
            Ok(None) | Ok(Some(Err(_))) => return Heard::Closed(None),
            Ok(Some(Ok(Message::Text(t)))) => return Heard::Event(serde_json::from_str(&t).unwrap()),
            Ok(Some(Ok(Message::Close(frame)))) => return Heard::Closed(frame.map(|f| f.code)),
            Ok(Some(Ok(_))) => continue,
        }
    }
}

/// How long a test waits for an event before calling it lost: a bound on a failure, never a
/// measure of speed (the bench measures that).
const LOST_AFTER: Duration = Duration::from_secs(15);

/// The next event, failing when none comes.
pub(crate) async fn next_event(ws: &mut Socket) -> Value {
    match next(ws, LOST_AFTER).await {
        Heard::Event(v) => v,
        other => panic!("expected an event, heard {other:?}"),
    }
}

/// Publishes `marker`, an event the subscriber on `ws` is entitled to, and checks that it is
/// the next thing they hear: events reach a socket in the order they are published, so nothing
/// published before the marker was forwarded to them. No waiting on the clock for a silence.
async fn hears_nothing_before(app: &TestApp, ws: &mut Socket, marker: LiveEvent) {
    app.app.events.publish(marker.clone()).await;
    let heard = next_event(ws).await;
    assert_eq!(heard["entity_id"], marker.entity_id.to_string(), "heard something before the marker: {heard}");
}

/// Like [`hears_nothing_before`], but lets through `sync.changed` pokes of `scope`: a change of
/// one's own membership pokes that vessel's scope, and whether the poke reaches the socket
/// depends on whether it was read before or after the membership changed.
async fn hears_only_pokes_of_before(app: &TestApp, ws: &mut Socket, scope: &str, marker: LiveEvent) {
    app.app.events.publish(marker.clone()).await;
    loop {
        let heard = next_event(ws).await;
        if heard["kind"] == "sync.changed" && heard["scope"] == scope {
            continue;
        }
        assert_eq!(heard["entity_id"], marker.entity_id.to_string(), "heard something before the marker: {heard}");
        return;
    }
}

fn vessel_input(name: &str) -> CreateVessel {
    let fields = check_vessel(&VesselInput {
        kind: "vessel".into(),
        name: name.into(),
        vessel_type: None,
        imo: None,
        specs: None,
    });
    CreateVessel { id: None, fields: fields.expect("valid vessel fields") }
}

fn event(company: CompanyId, vessel: VesselId, kind: &str) -> LiveEvent {
    LiveEvent {
        company_id: company,
        vessel_id: Some(vessel),
        kind: kind.into(),
        entity_id: uuid::Uuid::now_v7(),
        summary: json!({ "title": "Bilge alarm" }),
        at: chrono::Utc::now(),
    }
}

struct Ship {
    company: CompanyId,
    owner: Session,
    manager: Session,
    crew: Session,
    v1: VesselId,
    v2: VesselId,
}

async fn ship(app: &TestApp) -> Ship {
    let acme = app.with_company("acme").await;
    let owner = app.owner_actor(&acme);
    let v1 = app.app.mutate(&owner, vessel_input("Northern Star")).await.unwrap().id;
    let v2 = app.app.mutate(&owner, vessel_input("Southern Cross")).await.unwrap().id;
    let manager = app.person_in(&acme.company, "manager@acme.example", Role::Manager).await;
    let crew = app.person_in(&acme.company, "crew@acme.example", Role::Crew).await;
    let rotation = JoinRotation {
        vessel_id: VesselId(uuid::Uuid::nil()),
        user_id: Some(crew.user_id),
        department_id: None,
        rotation_start: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        rotation_end: None,
    };
    app.app.mutate(&owner, JoinRotation { vessel_id: v1, ..rotation }).await.unwrap();
    Ship { company: acme.company.id, owner: acme.owner, manager, crew, v1, v2 }
}

async fn a_subscriber_receives_their_vessels_events_and_nothing_else(app: TestApp) {
    let s = ship(&app).await;
    let bravo = app.with_company("bravo").await;
    let bravo_vessel = app.app.mutate(&app.owner_actor(&bravo), vessel_input("Bravo One")).await.unwrap().id;
    let mut crew = connect(app.addr, &s.crew.token).await.expect("crew connect");
    let mut manager = connect_with_header(&app, &s.manager.token).await.expect("manager connects");

    let foreign = event(bravo.company.id, bravo_vessel, "fault.reported");
    let other_vessel = event(s.company, s.v2, "fault.reported");
    let mine = event(s.company, s.v1, "parts_order.changed");
    for e in [&foreign, &other_vessel, &mine] {
        app.app.events.publish(e.clone()).await;
    }
    // Crew on V1 hear V1's event, exactly as documented, and nothing else.
    let heard = next_event(&mut crew).await;
    assert_eq!(
        heard,
        json!({
            "kind": "parts_order.changed", "vessel_id": s.v1, "scope": format!("vessel:{}", s.v1),
            "entity_id": mine.entity_id, "summary": { "title": "Bilge alarm" }, "at": mine.at,
        })
    );
    let marker = event(s.company, s.v1, "fault.changed");
    hears_nothing_before(&app, &mut crew, marker.clone()).await;
    // A manager hears every vessel of the company, in order, still not another company's (the
    // foreign event went out first), and nothing between the crew's marker and the rest.
    assert_eq!(next_event(&mut manager).await["entity_id"], other_vessel.entity_id.to_string());
    assert_eq!(next_event(&mut manager).await["entity_id"], mine.entity_id.to_string());
    assert_eq!(next_event(&mut manager).await["entity_id"], marker.entity_id.to_string());

    // A real change: a photo uploaded through the API reaches both.
    let records = records_on(&app, s.company, s.v1, s.owner.user_id).await;
    let res = upload(&app, &s.owner, "fault", records.fault, "leak.png", png(20, 20)).await;
    assert_eq!(res.status(), 201);
    let attachment: Value = res.json().await.unwrap();
    for ws in [&mut crew, &mut manager] {
        let heard = next_event(ws).await;
        assert_eq!(heard["kind"], "attachment.added");
        assert_eq!(heard["entity_id"], attachment["id"]);
        assert_eq!(heard["summary"]["parent_id"], records.fault.to_string());
    }
    // Bravo's owner, listening all along, heard none of it.
    let mut intruder = connect(app.addr, &bravo.owner.token).await.unwrap();
    app.app.events.publish(event(s.company, s.v1, "fault.changed")).await;
    app.app.events.publish(foreign.clone()).await;
    assert_eq!(next_event(&mut intruder).await["entity_id"], foreign.entity_id.to_string());
    hears_nothing_before(&app, &mut intruder, event(bravo.company.id, bravo_vessel, "fault.changed")).await;
}

async fn bad_tokens_are_refused_before_the_upgrade(app: TestApp) {
    let s = ship(&app).await;
    for token in ["", "not-a-token", &format!("{}x", s.crew.token)] {
        match connect(app.addr, token).await {
            Err(WsError::Http(res)) => assert_eq!(res.status(), 401, "token {token:?}"),
            other => panic!("token {token:?} was not refused: {:?}", other.map(|_| "connected")),
        }
    }
    match connect_with_header(&app, "nonsense").await {
        Err(WsError::Http(res)) => assert_eq!(res.status(), 401),
        other => panic!("a bad header token was not refused: {:?}", other.map(|_| "connected")),
    }
    // A signed-in plain HTTP request is told to use a WebSocket.
    let res = app.as_(&s.crew, Method::GET, "/api/v1/events").send().await.unwrap();
    assert_problem(res, 426, "websocket_required").await;
    let res = app.request(Method::GET, "/api/v1/events?access_token=nope").send().await.unwrap();
    assert_problem(res, 401, "invalid_token").await;
}

async fn a_revoked_session_is_closed_and_hears_nothing_more(app: TestApp) {
    let s = ship(&app).await;
    let mut crew = connect(app.addr, &s.crew.token).await.unwrap();
    let res =
        app.as_(&s.crew, Method::POST, "/api/v1/auth/logout").header("x-requested-with", "bosun").send().await.unwrap();
    assert!(res.status().is_success(), "logout: {}", res.status());
    // Past the time a standing is trusted, the next event is not forwarded and the socket closes.
    app.clock.advance(chrono::Duration::seconds(2));
    app.app.events.publish(event(s.company, s.v1, "fault.reported")).await;
    match next(&mut crew, Duration::from_secs(2)).await {
        Heard::Closed(code) => assert!(matches!(code, Some(CloseCode::Policy) | None), "{code:?}"),
        other => panic!("a logged-out subscriber heard {other:?}"),
    }
    // Idle connections are re-checked too.
    let manager = app.login("manager@acme.example", Some("acme")).await;
    let mut ws = connect(app.addr, &manager.token).await.unwrap();
    let res = app
        .as_(&manager, Method::POST, "/api/v1/auth/logout")
        .header("x-requested-with", "bosun")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    match next(&mut ws, Duration::from_secs(7)).await {
        Heard::Closed(code) => assert!(matches!(code, Some(CloseCode::Policy) | None), "{code:?}"),
        other => panic!("an idle logged-out subscriber heard {other:?}"),
    }
}

async fn joining_a_vessel_brings_its_events(app: TestApp) {
    let s = ship(&app).await;
    let mut crew = connect(app.addr, &s.crew.token).await.unwrap();
    app.app.events.publish(event(s.company, s.v2, "fault.reported")).await;
    hears_nothing_before(&app, &mut crew, event(s.company, s.v1, "fault.changed")).await;
    let res = app
        .as_(&s.manager, Method::POST, &format!("/api/v1/vessels/{}/join-rotation", s.v2))
        .json(&json!({ "user_id": s.crew.user_id, "rotation_start": "2026-02-01" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    app.clock.advance(chrono::Duration::seconds(2));
    let e = event(s.company, s.v2, "fault.reported");
    hears_only_pokes_of_before(&app, &mut crew, &format!("vessel:{}", s.v2), e).await;
}

async fn being_taken_off_a_vessel_ends_its_events_and_its_reach(app: TestApp) {
    let s = ship(&app).await;
    // The crew member is on the second vessel too, which they stay on.
    let rotation = JoinRotation {
        vessel_id: VesselId(uuid::Uuid::nil()),
        user_id: Some(s.crew.user_id),
        department_id: None,
        rotation_start: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        rotation_end: None,
    };
    let acme = app.app.companies.public_branding("acme").await.unwrap();
    let owner = bosun_app::Actor::system(acme.id, s.owner.user_id, Role::Owner);
    app.app.mutate(&owner, JoinRotation { vessel_id: s.v2, ..rotation }).await.unwrap();
    let mut crew = connect(app.addr, &s.crew.token).await.unwrap();
    let before = event(s.company, s.v1, "fault.reported");
    app.app.events.publish(before.clone()).await;
    assert_eq!(next_event(&mut crew).await["entity_id"], before.entity_id.to_string());
    let res = app
        .as_(&s.manager, Method::DELETE, &format!("/api/v1/vessels/{}/members/{}", s.v1, s.crew.user_id))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    // Their own removal is news of that vessel's scope: told while they still held it, their
    // client pulls and is told to clear it.
    let marker = event(s.company, s.v2, "fault.changed");
    hears_only_pokes_of_before(&app, &mut crew, &format!("vessel:{}", s.v1), marker).await;
    let res = app.as_(&s.crew, Method::GET, &format!("/api/v1/vessels/{}", s.v1)).send().await.unwrap();
    assert_problem(res, 404, "not_found").await;
    let vessels: Value = app.as_(&s.crew, Method::GET, "/api/v1/vessels").send().await.unwrap().json().await.unwrap();
    let left: Vec<&str> = vessels["items"].as_array().into_iter().flatten().filter_map(|v| v["id"].as_str()).collect();
    assert_eq!(left, [s.v2.to_string()], "{vessels}");
    // Taken off twice is nobody on it: 404.
    let res = app
        .as_(&s.manager, Method::DELETE, &format!("/api/v1/vessels/{}/members/{}", s.v1, s.crew.user_id))
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
    // The connection's audience is read again before the next events go out.
    app.clock.advance(chrono::Duration::seconds(2));
    app.app.events.publish(event(s.company, s.v1, "fault.reported")).await;
    hears_nothing_before(&app, &mut crew, event(s.company, s.v2, "fault.changed")).await;
    let audit: Value = app
        .as_(&s.owner, Method::GET, "/api/v1/audit?action=rotation.remove")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(audit["items"].as_array().map(Vec::len), Some(1), "{audit}");
}

async fn a_rotation_that_ended_days_ago_no_longer_reaches_its_vessel(app: TestApp) {
    let s = ship(&app).await;
    let yesterday = (app.clock.now().date_naive() - chrono::Duration::days(1)).to_string();
    let res = app
        .as_(&s.manager, Method::POST, &format!("/api/v1/vessels/{}/join-rotation", s.v1))
        .json(&json!({ "user_id": s.crew.user_id, "rotation_start": "2026-01-01", "rotation_end": yesterday }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let vessel = format!("/api/v1/vessels/{}", s.v1);
    assert_eq!(app.as_(&s.crew, Method::GET, &vessel).send().await.unwrap().status(), 200, "within the grace days");
    app.clock.advance(chrono::Duration::days(2));
    let crew = app.refreshed(&s.crew).await;
    assert_problem(app.as_(&crew, Method::GET, &vessel).send().await.unwrap(), 404, "not_found").await;
    let res = app
        .as_(&crew, Method::POST, &format!("{vessel}/join-rotation"))
        .json(&json!({ "rotation_start": "2026-06-01" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
}

/// Closes `ws` and waits until the server has dropped the connection (the end of the TCP
/// stream), which it does only after giving back the connection's place.
async fn close_and_wait(mut ws: Socket) {
    use tokio::io::AsyncReadExt;
    let _ = ws.close(None).await;
    while let Some(Ok(_)) = ws.next().await {}
    let mut tcp = ws.into_inner();
    let mut buf = [0u8; 64];
    let ended = tokio::time::timeout(Duration::from_secs(20), async {
        while matches!(tcp.read(&mut buf).await, Ok(n) if n > 0) {}
    })
    .await;
    assert!(ended.is_ok(), "the server kept the connection open");
}

/// The answer to a refused WebSocket handshake: status and problem document.
fn refusal(attempt: Result<Socket, WsError>) -> (u16, Value) {
    match attempt {
        Err(WsError::Http(res)) => {
            let ct = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            assert_eq!(ct, "application/problem+json");
            let body = serde_json::from_slice(res.body().as_deref().unwrap_or_default()).unwrap();
            (res.status().as_u16(), body)
        }
        other => panic!("the connection was not refused: {:?}", other.map(|_| "connected")),
    }
}

async fn connections_are_capped_per_person_and_per_company(app: TestApp) {
    let s = ship(&app).await;
    let bravo = app.with_company("bravo").await;
    let crew_one = connect(app.addr, &s.crew.token).await.expect("a first connection");
    let crew_two = connect(app.addr, &s.crew.token).await.expect("a second connection");
    // The person's cap (2 here): refused before the upgrade.
    let (status, problem) = refusal(connect(app.addr, &s.crew.token).await);
    assert_eq!((status, problem["code"].as_str()), (429, Some("too_many_connections")), "{problem}");
    // The company's cap (3 here) counts everyone of the company, and no one else.
    let _manager = connect(app.addr, &s.manager.token).await.expect("the company's third connection");
    let (status, problem) = refusal(connect(app.addr, &s.owner.token).await);
    assert_eq!((status, problem["code"].as_str()), (429, Some("too_many_connections")), "{problem}");
    let _bravo = connect(app.addr, &bravo.owner.token).await.expect("another company has its own count");
    // A connection that ends, however it ends, gives its place back.
    close_and_wait(crew_one).await;
    let mut again = connect(app.addr, &s.crew.token).await.expect("back in after closing one");
    drop(crew_two);
    app.app.events.publish(event(s.company, s.v1, "fault.reported")).await;
    assert_eq!(next_event(&mut again).await["kind"], "fault.reported");
}

async fn a_client_message_over_the_body_limit_closes_the_connection(app: TestApp) {
    use futures_util::SinkExt;
    let s = ship(&app).await;
    let mut ws = connect(app.addr, &s.crew.token).await.unwrap();
    // A small message that is no sync request is refused, and the socket goes on.
    ws.send(Message::Text("hello".into())).await.unwrap();
    let refusal = next_event(&mut ws).await;
    assert_eq!((&refusal["kind"], &refusal["problem"]["code"]), (&json!("sync.refused"), &json!("bad_request")));
    app.app.events.publish(event(s.company, s.v1, "fault.reported")).await;
    assert_eq!(next_event(&mut ws).await["kind"], "fault.reported");
    // One over the body limit (1 MiB) ends the connection rather than being buffered (the wait
    // only bounds a failure).
    let _ = ws.send(Message::Text("x".repeat(1024 * 1024 + 1).into())).await;
    match next(&mut ws, Duration::from_secs(20)).await {
        Heard::Closed(_) => {}
        other => panic!("a message over the body limit was accepted: heard {other:?}"),
    }
}

async fn another_companys_events_never_make_a_socket_recheck_its_session(app: TestApp) {
    let s = ship(&app).await;
    let bravo = app.with_company("bravo").await;
    let bravo_vessel = app.app.mutate(&app.owner_actor(&bravo), vessel_input("Bravo One")).await.unwrap().id;
    let mut listener = connect(app.addr, &bravo.owner.token).await.unwrap();
    // Bravo's standing is old enough to be read again before anything of Bravo's goes out.
    app.clock.advance(chrono::Duration::seconds(2));
    let before = app.app.live.counts();
    // More than a batch (256) of Acme's events, all judged by Bravo's socket...
    for _ in 0..300 {
        app.app.events.publish(event(s.company, s.v1, "fault.changed")).await;
    }
    let judged = tokio::time::timeout(Duration::from_secs(20), async {
        while app.app.live.counts().events_examined < before.events_examined + 300 {
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert!(judged.is_ok(), "the socket never took Acme's events");
    // ...cost it no read of its standing.
    assert_eq!(app.app.live.counts().rechecks_before_forwarding, before.rechecks_before_forwarding);
    // One of Bravo's own does, before it goes out.
    let mine = event(bravo.company.id, bravo_vessel, "fault.reported");
    app.app.events.publish(mine.clone()).await;
    assert_eq!(next_event(&mut listener).await["entity_id"], mine.entity_id.to_string());
    assert_eq!(app.app.live.counts().rechecks_before_forwarding, before.rechecks_before_forwarding + 1);
}

async fn spawn_with_small_caps(backend: crate::harness::Backend) -> TestApp {
    TestApp::spawn_with(backend, |c| {
        c.live.max_connections_per_person = 2;
        c.live.max_connections_per_company = 3;
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_are_capped_per_person_and_per_company_on_sqlite() {
    connections_are_capped_per_person_and_per_company(spawn_with_small_caps(crate::harness::Backend::Sqlite).await)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_are_capped_per_person_and_per_company_on_postgres() {
    connections_are_capped_per_person_and_per_company(spawn_with_small_caps(crate::harness::Backend::Postgres).await)
        .await;
}

/// Every write a sync client would pull pokes the scope it changed, to those who sync that
/// scope: the company's own scope (its people, its settings) to everyone in the company, a
/// vessel's to those who reach it, also for writes that publish no event of their own.
async fn every_scope_with_news_is_poked_to_those_who_sync_it(app: TestApp) {
    use bosun_app::accounts::companies::{BrandingInput, UpdateBranding};
    let s = ship(&app).await;
    let owner = bosun_app::Actor::system(s.company, s.owner.user_id, Role::Owner);
    let mut crew = connect(app.addr, &s.crew.token).await.unwrap();
    let branding =
        BrandingInput { display_name: "Acme Shipping".into(), logo_url: None, primary_color: "#0a3d62".into() };
    app.app.mutate(&owner, UpdateBranding { company_id: s.company, branding }).await.unwrap();
    let poke = next_event(&mut crew).await;
    assert_eq!(
        (&poke["kind"], &poke["scope"], &poke["vessel_id"]),
        (&json!("sync.changed"), &json!(format!("company:{}", s.company)), &Value::Null),
        "{poke}"
    );
    // An item added on the vessel the crew member is not on: not theirs to hear.
    app.app.mutate(&owner, crate::permissions::new_equipment(s.v2, "Bow thruster")).await.unwrap();
    hears_nothing_before(&app, &mut crew, event(s.company, s.v1, "fault.changed")).await;
    // One added on their vessel (no event of its own): its scope is poked.
    app.app.mutate(&owner, crate::permissions::new_equipment(s.v1, "Bilge pump")).await.unwrap();
    let poke = next_event(&mut crew).await;
    assert_eq!((&poke["kind"], &poke["scope"]), (&json!("sync.changed"), &json!(format!("vessel:{}", s.v1))));
}

crate::on_both_backends!(
    a_client_message_over_the_body_limit_closes_the_connection,
    another_companys_events_never_make_a_socket_recheck_its_session,
    a_subscriber_receives_their_vessels_events_and_nothing_else,
    bad_tokens_are_refused_before_the_upgrade,
    a_revoked_session_is_closed_and_hears_nothing_more,
    joining_a_vessel_brings_its_events,
    being_taken_off_a_vessel_ends_its_events_and_its_reach,
    a_rotation_that_ended_days_ago_no_longer_reaches_its_vessel,
    every_scope_with_news_is_poked_to_those_who_sync_it,
);
