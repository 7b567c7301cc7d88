//! Drives the real `bosun` binary from tests: commands on a fresh database, servers on free
//! ports that are ready before a test talks to them, and guards that kill every child process
//! however the test ends.

#![allow(dead_code)]

pub(crate) mod durability;

use std::fs::File;
use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bosun_testkit::db::TestDb;
use serde_json::{Value, json};

/// The password fixture people get.
pub(crate) const PASSWORD: &str = "correct horse battery";

/// How long a server may take to answer `/readyz` after it is started.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// Where a `bosun` invocation keeps its data: a fresh SQLite data dir or a PostgreSQL URL.
/// Every command runs from a private working directory, so no stray `./bosun.toml` is read.
pub(crate) struct Bosun {
    workdir: tempfile::TempDir,
    database: Vec<String>,
    env: Vec<(String, String)>,
}

impl Bosun {
    /// A fresh SQLite data dir.
    pub(crate) fn sqlite() -> Self {
        let workdir = tempfile::tempdir().expect("a temporary directory can be created");
        let data = workdir.path().join("data");
        Self { database: vec!["--data-dir".into(), data.display().to_string()], workdir, env: Vec::new() }
    }

    /// A `TestDb::postgres()` database (migrated) or `TestDb::postgres_empty()` one as an
    /// operator configures it: `--database-url` logs in as the runtime role, and
    /// `BOSUN__DATABASE__MIGRATE_URL` names the owner, which migrates (if anything is pending).
    pub(crate) fn postgres(db: &TestDb) -> Self {
        Self::postgres_at(&db.url()).with_env("BOSUN__DATABASE__MIGRATE_URL", &db.owner_url())
    }

    /// The PostgreSQL database at `url` alone (`--database-url`), with no migration URL.
    pub(crate) fn postgres_at(url: &str) -> Self {
        let workdir = tempfile::tempdir().expect("a temporary directory can be created");
        Self { database: vec!["--database-url".into(), url.into()], workdir, env: Vec::new() }
    }

    /// Sets an environment variable for every later command and server.
    pub(crate) fn with_env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// The SQLite file (SQLite only).
    pub(crate) fn sqlite_file(&self) -> PathBuf {
        self.workdir.path().join("data").join("bosun.db")
    }

    /// `bosun <args> <database flags>` with a clean environment (no inherited `BOSUN…`
    /// variable), quiet logs and no standard input.
    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_bosun"));
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("BOSUN") {
                cmd.env_remove(key);
            }
        }
        cmd.current_dir(self.workdir.path())
            .env("BOSUN__LOG__LEVEL", "warn")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .args(args)
            .args(&self.database)
            .stdin(Stdio::null());
        cmd
    }

    /// Runs a command to its end.
    pub(crate) fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("bosun runs")
    }

    /// Runs a command with `input` on its standard input.
    pub(crate) fn run_with_stdin(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("bosun starts");
        if let Some(mut stdin) = child.stdin.take() {
            // The command may exit before reading (a refused argument); a broken pipe is fine.
            let _ = stdin.write_all(input.as_bytes());
        }
        child.wait_with_output().expect("bosun runs")
    }

    /// Runs a command that must end within `limit`, killing it otherwise.
    pub(crate) fn run_with_timeout(&self, args: &[&str], limit: Duration) -> (Option<ExitStatus>, String) {
        let log = self.log_path("run");
        let file = File::create(&log).expect("a log file");
        let child = self
            .command(args)
            .stdout(file.try_clone().expect("the log file can be shared"))
            .stderr(file)
            .spawn()
            .expect("bosun starts");
        let mut guard = ChildGuard(child);
        let deadline = Instant::now() + limit;
        let status = loop {
            if let Some(status) = guard.0.try_wait().expect("the child can be polled") {
                break Some(status);
            }
            if Instant::now() > deadline {
                break None;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        drop(guard);
        (status, std::fs::read_to_string(&log).unwrap_or_default())
    }

    /// `bosun company create`, asserting success.
    pub(crate) fn create_company(&self, slug: &str) {
        let out = self.run(&["company", "create", "--slug", slug, "--name", &format!("{slug} Shipping")]);
        assert_success(&out, "company create");
    }

    /// `bosun user create --role owner` with the fixture password in `BOSUN_PASSWORD`.
    pub(crate) fn create_owner(&self, company: &str, email: &str) {
        let out = self
            .command(&["user", "create", "--company", company, "--email", email, "--role", "owner"])
            .env("BOSUN_PASSWORD", PASSWORD)
            .output()
            .expect("bosun runs");
        assert_success(&out, "user create");
    }

    fn log_path(&self, what: &str) -> PathBuf {
        static N: AtomicUsize = AtomicUsize::new(0);
        self.workdir.path().join(format!("{what}-{}.log", N.fetch_add(1, Ordering::Relaxed)))
    }

    /// Starts `bosun serve` on a free port and waits until `/readyz` answers 200.
    pub(crate) async fn serve(&self, extra: &[&str]) -> Server {
        // Another process may take the port between our probe and the server's bind; retry.
        for attempt in 1..=3 {
            let addr = free_addr();
            let log = self.log_path("serve");
            let file = File::create(&log).expect("a log file");
            let listen = addr.to_string();
            let mut args = vec!["serve", "--listen", listen.as_str()];
            args.extend_from_slice(extra);
            let child = self
                .command(&args)
                .stdout(file.try_clone().expect("the log file can be shared"))
                .stderr(file)
                .spawn()
                .expect("bosun serve starts");
            let mut server = Server { child: ChildGuard(child), addr, log, client: client() };
            match server.wait_ready(READY_TIMEOUT).await {
                Ok(()) => return server,
                Err(e) if attempt < 3 && server.log().contains("cannot listen") => {
                    eprintln!("retrying on another port: {e}");
                }
                Err(e) => panic!("bosun serve did not become ready: {e}\n--- its output ---\n{}", server.log()),
            }
        }
        unreachable!("the loop returns or panics on its last attempt")
    }
}

/// Asserts a command succeeded, showing its output when it did not.
pub(crate) fn assert_success(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed with {}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An address on 127.0.0.1 that was free a moment ago.
pub(crate) fn free_addr() -> SocketAddr {
    let probe = TcpListener::bind("127.0.0.1:0").expect("a free port on 127.0.0.1");
    probe.local_addr().expect("a bound address")
}

/// An HTTP client for 127.0.0.1 only: no proxy, no redirects, bounded waits.
pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(30))
        .build()
        .expect("an HTTP client")
}

/// Kills (SIGKILL on unix) and reaps a child when dropped.
pub(crate) struct ChildGuard(pub Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A running `bosun serve`, killed when dropped.
pub(crate) struct Server {
    child: ChildGuard,
    /// Where it listens.
    pub addr: SocketAddr,
    log: PathBuf,
    /// A client for it.
    pub client: reqwest::Client,
}

impl Server {
    /// The absolute URL of `path`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Everything the server printed so far.
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Kills the process at once (SIGKILL: no shutdown, no flush) and reaps it.
    pub(crate) fn kill(&mut self) {
        let _ = self.child.0.kill();
        let _ = self.child.0.wait();
    }

    async fn wait_ready(&mut self, limit: Duration) -> Result<(), String> {
        let deadline = Instant::now() + limit;
        let probe =
            reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(2)).build().map_err(|e| e.to_string())?;
        while Instant::now() < deadline {
            if let Some(status) = self.child.0.try_wait().map_err(|e| e.to_string())? {
                return Err(format!("it exited with {status}"));
            }
            if let Ok(res) = probe.get(self.url("/readyz")).send().await
                && res.status() == 200
            {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(format!("no 200 from /readyz within {limit:?}"))
    }

    /// Attempts a login.
    pub(crate) async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .expect("the login request is answered")
    }

    /// Logs in with the fixture password, giving the access token and the refresh cookie.
    pub(crate) async fn sign_in(&self, email: &str) -> (String, String) {
        self.sign_in_with(email, PASSWORD).await
    }

    /// Logs in, asserting success, giving the access token and the refresh cookie.
    pub(crate) async fn sign_in_with(&self, email: &str, password: &str) -> (String, String) {
        let res = self.login(email, password).await;
        assert_eq!(res.status(), 200, "login of {email}");
        let cookie = refresh_cookie(&res).expect("the login sets the refresh cookie");
        let body: Value = res.json().await.expect("a JSON login answer");
        (body["access_token"].as_str().expect("an access token").to_owned(), cookie)
    }

    /// Exchanges a refresh cookie the way the web app does.
    pub(crate) async fn refresh(&self, cookie: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/auth/refresh"))
            .header("cookie", format!("__Host-bosun_refresh={cookie}"))
            .header("x-requested-with", "bosun")
            .send()
            .await
            .expect("the refresh request is answered")
    }
}

/// The refresh cookie an answer sets, if any.
pub(crate) fn refresh_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("__Host-bosun_refresh="))
        .map(|c| c.split(';').next().unwrap_or_default().to_owned())
        .filter(|v| !v.is_empty())
}
