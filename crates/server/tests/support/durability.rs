//! The kill -9 harness (SECURITY.md, "Durability and recovery"): writers hammer a real
//! `bosun serve` on SQLite, the process is killed with SIGKILL at a random moment, and after a
//! restart every write whose 201 reached a client must still be there, the file must pass
//! `PRAGMA integrity_check` and the audit chain must hold.
//!
//! `tests/durability.rs` runs a few trials; `scripts/durability-bench.sh` runs many through
//! the same test with `BOSUN_DURABILITY_TRIALS`.

use std::collections::HashSet;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::Rng;
use serde_json::{Value, json};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};
use uuid::Uuid;

use super::{Bosun, Server};

/// Requests one writer sends at most in a trial (a bound; the kill comes long before).
const MAX_WRITES_PER_WRITER: usize = 20_000;

/// How long the writers may take to notice the server is gone.
const WRITER_STOP_TIMEOUT: Duration = Duration::from_secs(30);

/// The company and owner every trial writes as.
const COMPANY: &str = "durability";
const OWNER: &str = "owner@durability.example";

/// How a run is shaped.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// Trials, each on a fresh data dir.
    pub trials: usize,
    /// Concurrent writers per trial.
    pub writers: usize,
    /// The kill comes this many milliseconds after the writers start, drawn uniformly.
    pub kill_after_ms: (u64, u64),
}

impl Plan {
    /// Three trials of eight writers, or what `BOSUN_DURABILITY_TRIALS` and
    /// `BOSUN_DURABILITY_WRITERS` say.
    pub(crate) fn from_env() -> Self {
        let read = |key: &str, default: usize| {
            std::env::var(key).ok().and_then(|v| v.trim().parse().ok()).filter(|n| *n > 0).unwrap_or(default)
        };
        Self {
            trials: read("BOSUN_DURABILITY_TRIALS", 3),
            writers: read("BOSUN_DURABILITY_WRITERS", 8),
            kill_after_ms: (200, 800),
        }
    }
}

/// What one trial saw.
#[derive(Debug, Clone)]
pub(crate) struct Trial {
    /// Writes whose 201 arrived before the kill.
    pub acknowledged: usize,
    /// Acknowledged writes missing after the restart (must be empty).
    pub lost: Vec<Uuid>,
    /// Writes found after the restart that were in flight when the kill came (committed, not
    /// acknowledged): allowed.
    pub unacknowledged_survivors: usize,
    /// Answers other than 201 before the kill (must be empty), as "status body".
    pub refused: Vec<String>,
    /// Time from the first write to the kill.
    pub write_time: Duration,
    /// When the kill came after the writers started.
    pub killed_after: Duration,
    /// `PRAGMA integrity_check` on the file as the kill left it.
    pub integrity: String,
    /// `bosun audit verify` after the restart: whether it exited 0, and what it printed.
    pub audit_holds: bool,
    /// Its report.
    pub audit_report: String,
}

impl Trial {
    /// Acknowledged writes per second while the writers ran.
    pub(crate) fn writes_per_sec(&self) -> f64 {
        let secs = self.write_time.as_secs_f64();
        if secs > 0.0 { self.acknowledged as f64 / secs } else { 0.0 }
    }

    /// Whether the trial shows no loss, no corruption and an intact chain.
    pub(crate) fn is_sound(&self) -> bool {
        self.lost.is_empty() && self.refused.is_empty() && self.integrity == "ok" && self.audit_holds
    }
}

/// Runs one trial on a fresh SQLite data dir.
pub(crate) async fn run_trial(plan: &Plan) -> Trial {
    let bosun = Bosun::sqlite();
    bosun.create_company(COMPANY);
    bosun.create_owner(COMPANY, OWNER);
    // One person writing as fast as the disk allows: an agreed rate far above it.
    let out = bosun.run(&[
        "company",
        "plan",
        "--slug",
        COMPANY,
        "--plan",
        "enterprise",
        "--rate-limit-per-minute",
        "1000000000",
    ]);
    super::assert_success(&out, "company plan");

    let mut server = bosun.serve(&[]).await;
    let (token, _) = server.sign_in(OWNER).await;

    let acked: Arc<Mutex<Vec<Uuid>>> = Arc::default();
    let refused: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let writers: Vec<_> = (0..plan.writers)
        .map(|w| {
            let (client, url, token) = (server.client.clone(), server.url("/api/v1/vessels"), token.clone());
            let (acked, refused, stop) = (acked.clone(), refused.clone(), stop.clone());
            tokio::spawn(async move {
                for i in 0..MAX_WRITES_PER_WRITER {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    // A client-made id, as offline clients do: the write is known by its id
                    // the moment its 201 status arrives, even if the body never does.
                    let id = Uuid::now_v7();
                    let body = json!({ "id": id, "kind": "vessel", "name": format!("Durability {w}-{i}") });
                    match client.post(&url).bearer_auth(&token).json(&body).send().await {
                        Ok(res) if res.status() == 201 => lock(&acked).push(id),
                        Ok(res) => {
                            let status = res.status();
                            let text = res.text().await.unwrap_or_default();
                            if !stop.load(Ordering::Relaxed) {
                                lock(&refused).push(format!("{status} {text}"));
                            }
                        }
                        // The server is gone: this writer is done.
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();

    let delay = rand::rng().random_range(plan.kill_after_ms.0..=plan.kill_after_ms.1);
    tokio::time::sleep(Duration::from_millis(delay)).await;
    let killed_after = started.elapsed();
    server.kill();
    let write_time = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        tokio::time::timeout(WRITER_STOP_TIMEOUT, w)
            .await
            .expect("writers stop once the server is gone")
            .expect("a writer does not panic");
    }
    let acked: Vec<Uuid> = lock(&acked).clone();
    let refused: Vec<String> = lock(&refused).clone();

    // The file exactly as the kill left it (hot WAL included), before anything recovers it.
    let integrity = integrity_check(&bosun).await;

    // The restarted server runs its own integrity check and migrations before it is ready.
    let server = bosun.serve(&[]).await;
    // The token's session was an acknowledged write too; it must still authenticate.
    let stored = list_vessel_ids(&server, &token).await;
    let lost: Vec<Uuid> = acked.iter().filter(|id| !stored.contains(id)).copied().collect();
    let acked_set: HashSet<Uuid> = acked.iter().copied().collect();
    let unacknowledged_survivors = stored.iter().filter(|id| !acked_set.contains(id)).count();
    for id in lost.iter().take(5) {
        let res = server
            .client
            .get(server.url(&format!("/api/v1/vessels/{id}")))
            .bearer_auth(&token)
            .send()
            .await
            .expect("the vessel request is answered");
        assert_eq!(res.status(), 404, "vessel {id} is missing from the list but answers GET");
    }
    drop(server);

    let audit = bosun.run(&["audit", "verify", "--company", COMPANY]);
    let audit_report = format!("{}{}", String::from_utf8_lossy(&audit.stdout), String::from_utf8_lossy(&audit.stderr));

    Trial {
        acknowledged: acked.len(),
        lost,
        unacknowledged_survivors,
        refused,
        write_time,
        killed_after,
        integrity,
        audit_holds: audit.status.success(),
        audit_report: audit_report.trim().to_owned(),
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `PRAGMA integrity_check` through a read-only connection to the data dir's file.
pub(crate) async fn integrity_check(bosun: &Bosun) -> String {
    let path = bosun.sqlite_file();
    let options =
        SqliteConnectOptions::from_str("sqlite://").expect("a bare sqlite URL parses").filename(&path).read_only(true);
    let mut conn = SqliteConnection::connect_with(&options).await.expect("the SQLite file opens read-only");
    let rows: Vec<String> =
        sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&mut conn).await.expect("integrity_check runs");
    let _ = conn.close().await;
    rows.join("; ")
}

/// Every vessel id the owner can list, page by page.
async fn list_vessel_ids(server: &Server, token: &str) -> HashSet<Uuid> {
    let mut ids = HashSet::new();
    let mut cursor: Option<String> = None;
    // Bounded: 2,000 pages of 200 is far more than any trial writes.
    for _ in 0..2_000 {
        let mut req = server.client.get(server.url("/api/v1/vessels")).bearer_auth(token).query(&[("limit", "200")]);
        if let Some(c) = &cursor {
            req = req.query(&[("cursor", c.as_str())]);
        }
        let res = req.send().await.expect("the vessel list is answered");
        assert_eq!(res.status(), 200, "listing vessels after the restart (the session must have survived)");
        let page: Value = res.json().await.expect("a JSON page");
        for item in page["items"].as_array().expect("a page has items") {
            let id = item["id"].as_str().and_then(|s| s.parse().ok()).expect("a vessel has an id");
            ids.insert(id);
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return ids,
        }
    }
    panic!("the vessel list did not end within 2,000 pages");
}

/// Runs every trial of `plan`, printing one `durability:` line per trial and a summary line
/// (the bench script reads them), and answers the trials.
pub(crate) async fn run(plan: &Plan) -> Vec<Trial> {
    let mut trials = Vec::with_capacity(plan.trials);
    for n in 1..=plan.trials {
        let t = run_trial(plan).await;
        println!(
            "durability: trial {n}/{total}: killed after {killed} ms, acknowledged {ack} writes in {secs:.2} s \
             ({rate:.0} writes/s), lost {lost}, in-flight survivors {extra}, refused {refused}, integrity {integrity}, \
             audit: {audit}",
            total = plan.trials,
            killed = t.killed_after.as_millis(),
            ack = t.acknowledged,
            secs = t.write_time.as_secs_f64(),
            rate = t.writes_per_sec(),
            lost = t.lost.len(),
            extra = t.unacknowledged_survivors,
            refused = t.refused.len(),
            integrity = t.integrity,
            audit = t.audit_report.replace('\n', " | "),
        );
        trials.push(t);
    }
    let acknowledged: usize = trials.iter().map(|t| t.acknowledged).sum();
    let lost: usize = trials.iter().map(|t| t.lost.len()).sum();
    let secs: f64 = trials.iter().map(|t| t.write_time.as_secs_f64()).sum();
    let unsound = trials.iter().filter(|t| !t.is_sound()).count();
    println!(
        "durability: summary: trials {n}, writers {w}, acknowledged writes {acknowledged}, losses {lost}, \
         unsound trials {unsound}, writes/s {rate:.0}",
        n = trials.len(),
        w = plan.writers,
        rate = if secs > 0.0 { acknowledged as f64 / secs } else { 0.0 },
    );
    trials
}
