//! Two `bosun serve` processes on one PostgreSQL database: a change made through one reaches,
//! within a second, the WebSocket clients of both (LISTEN/NOTIFY carries it between them).

#![allow(clippy::disallowed_methods)] // tests and tools may read the wall clock
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::process::Stdio;
use std::time::Duration;

use bosun_domain::equipment::{Area, Criticality, Equipment, EquipmentLevel, EquipmentStatus};
use bosun_domain::{CompanyId, EquipmentId, VesselId};
use bosun_store::Store;
use bosun_testkit::db::TestDb;
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

const PASSWORD: &str = "correct horse battery";

/// A running `bosun serve`, killed on drop.
struct Server {
    _child: Child,
    addr: SocketAddr,
    _data: tempfile::TempDir,
}

/// `bosun` on the test database: logging in as the runtime role, migrating as the owner.
fn bosun(db: &TestDb, data: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bosun"));
    cmd.arg("--database-url").arg(db.url()).arg("--data-dir").arg(data).arg("--config").arg(data.join("none.toml"));
    cmd.env("BOSUN__LOG__LEVEL", "warn").env("BOSUN__DATABASE__MIGRATE_URL", db.owner_url()).kill_on_drop(true);
    cmd
}

async fn serve(db: &TestDb) -> Server {
    let data = tempfile::tempdir().unwrap();
    let mut child = bosun(db, data.path())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bosun starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(addr) = line.strip_prefix("bosun: listening on http://") {
                return addr.parse::<SocketAddr>().unwrap();
            }
        }
        panic!("bosun serve ended before listening");
    })
    .await
    .expect("bosun serve listens within a minute");
    // Keep draining its output so it never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Server { _child: child, addr, _data: data }
}

async fn run(db: &TestDb, args: &[&str]) -> String {
    let data = tempfile::tempdir().unwrap();
    let out = bosun(db, data.path()).args(args).env("BOSUN_PASSWORD", PASSWORD).output().await.unwrap();
    assert!(out.status.success(), "bosun {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

async fn subscribe(addr: SocketAddr, token: &str) -> Socket {
    tokio_tungstenite::connect_async(format!("ws://{addr}/api/v1/events?access_token={token}")).await.unwrap().0
}

async fn next_event(ws: &mut Socket, within: Duration) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, ws.next()).await.ok()?? {
            Ok(Message::Text(t)) => return Some(serde_json::from_str(&t).unwrap()),
            Ok(Message::Close(_)) | Err(_) => return None,
            Ok(_) => continue,
        }
    }
}

fn item(company: CompanyId, vessel: VesselId) -> Equipment {
    let id = EquipmentId::new();
    let now = chrono::Utc::now();
    Equipment {
        id,
        company_id: company,
        vessel_id: vessel,
        parent_id: None,
        level: EquipmentLevel::Equipment,
        area: Area::EngineRoom,
        name: "Main engine 1".into(),
        equipment_type: None,
        maker: None,
        model: None,
        serial_number: None,
        criticality: Criticality::High,
        status: EquipmentStatus::Operational,
        specs: "{}".into(),
        qr_code: format!("Q{}", id.0.simple()),
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_through_one_instance_reaches_the_clients_of_the_other() {
    let db = TestDb::postgres().await;
    let company: CompanyId =
        run(&db, &["company", "create", "--slug", "acme", "--name", "Acme"]).await.parse().unwrap();
    run(&db, &["user", "create", "--company", "acme", "--email", "owner@acme.example", "--role", "owner"]).await;
    let (one, two) = (serve(&db).await, serve(&db).await);

    let http = reqwest::Client::new();
    let login: Value = http
        .post(format!("http://{}/api/v1/auth/login", one.addr))
        .json(&json!({ "email": "owner@acme.example", "password": PASSWORD, "company": "acme" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().expect("signed in").to_owned();
    let vessel: Value = http
        .post(format!("http://{}/api/v1/vessels", one.addr))
        .bearer_auth(&token)
        .json(&json!({ "kind": "vessel", "name": "Northern Star" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let vessel = VesselId(vessel["id"].as_str().unwrap().parse().unwrap());
    let engine = item(company, vessel);
    let store = db.open().await;
    let mut tx = store.begin(Some(company)).await.unwrap();
    tx.insert_equipment(&engine).await.unwrap();
    tx.commit().await.unwrap();
    store.close().await;

    let mut on_one = subscribe(one.addr, &token).await;
    let mut on_two = subscribe(two.addr, &token).await;
    // Each upload's event is the next thing both sockets hear: so it reached both instances,
    // and the one before it was delivered once per instance, not echoed (an echo would come
    // first). The third upload is the marker for the second.
    let uploads = [(one.addr, "through-one.txt"), (two.addr, "through-two.txt"), (one.addr, "marker.txt")];
    for (through, name) in uploads {
        let res = http
            .post(format!(
                "http://{through}/api/v1/attachments?parent_kind=equipment&parent_id={}&file_name={name}",
                engine.id
            ))
            .bearer_auth(&token)
            .body("engine room notes")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201, "upload through {through}");
        let attachment: Value = res.json().await.unwrap();
        for (ws, which) in [(&mut on_one, "one"), (&mut on_two, "two")] {
            // A bound on a lost event, not a measure of speed.
            let heard = next_event(ws, Duration::from_secs(15))
                .await
                .unwrap_or_else(|| panic!("instance {which} never heard of {name}"));
            assert_eq!(heard["kind"], "attachment.added");
            assert_eq!(heard["entity_id"], attachment["id"]);
            assert_eq!(heard["vessel_id"], vessel.to_string());
            assert_eq!(heard["summary"]["file_name"], name);
        }
    }
}
