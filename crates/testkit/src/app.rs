//! `TestApp::spawn()` starts the real router on port 0 over a fresh database of the chosen
//! backend; fixtures read like sentences (`app.with_company("acme")`).

use std::net::SocketAddr;
use std::sync::Arc;

use bosun_app::accounts::users::NewPerson;
use bosun_app::config::PasswordCost;
use bosun_app::{Actor, RequestMeta};
use bosun_domain::company::Company;
use bosun_domain::person::Role;
use bosun_domain::{FixedClock, UserId};
use bosun_http::AppState;
use bosun_server::config::Config;
use bosun_store::Store;
use reqwest::{Method, RequestBuilder, Response};

use crate::db::TestDb;
use crate::mailbox::{Mailbox, Received};
use serde_json::Value;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file in a temporary folder.
    Sqlite,
    /// A database of its own on the test PostgreSQL server.
    Postgres,
}

/// The password every fixture person has.
pub const PASSWORD: &str = "correct horse battery";

/// A running server on a fresh database.
pub struct TestApp {
    /// Where it listens (127.0.0.1, a free port).
    pub addr: SocketAddr,
    /// A client for it (no redirects followed, no cookie jar).
    pub client: reqwest::Client,
    /// The application it serves, for tests that call services directly.
    pub app: AppState,
    /// The configuration it runs with.
    pub config: Config,
    /// Its clock, which stands still unless a test moves it.
    pub clock: Arc<FixedClock>,
    /// Which database it runs on.
    pub backend: Backend,
    /// The database, dropped with it.
    pub db: TestDb,
    /// The data folder (uploads live in `files/` below it), deleted on drop.
    pub data_dir: tempfile::TempDir,
    /// The address this server's mail comes from (its own, so its mail is told apart).
    pub mail_sender: String,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// A signed-in person.
#[derive(Debug, Clone)]
pub struct Session {
    /// Who.
    pub user_id: UserId,
    /// Their email.
    pub email: String,
    /// Their access token.
    pub token: String,
    /// The refresh cookie's value.
    pub refresh: String,
}

/// A company with its owner signed in.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// The company.
    pub company: Company,
    /// Its owner, signed in.
    pub owner: Session,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl TestApp {
    /// Starts a server with the default configuration.
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Starts a server after `configure` adjusts the configuration.
    pub async fn spawn_with(backend: Backend, configure: impl FnOnce(&mut Config)) -> Self {
        Self::spawn_on(backend, None, configure).await
    }

    /// Starts a server whose store has a pool of `connections` (the default when `None`),
    /// after `configure` adjusts the configuration.
    pub async fn spawn_on(backend: Backend, connections: Option<u32>, configure: impl FnOnce(&mut Config)) -> Self {
        let db = match backend {
            Backend::Sqlite => TestDb::sqlite(),
            Backend::Postgres => TestDb::postgres().await,
        };
        let store: Arc<dyn Store> = Arc::new(db.open_with_connections(connections).await);
        let data_dir = tempfile::tempdir().expect("a temporary data folder");
        let mut config = Config::default();
        config.server.listen = "127.0.0.1:0".parse().expect("a socket address");
        config.server.data_dir = data_dir.path().to_path_buf();
        let mail_sender = format!("bosun-{}@mail.test", uuid::Uuid::now_v7().simple());
        config.mail.smtp_url = Some(Mailbox::shared().url().into());
        config.mail.from = format!("Bosun <{mail_sender}>");
        // Tests make hundreds of requests a minute by the test's fixed clock: rate limits are
        // out of their way unless a test sets its own (`rate_limits.rs`).
        config.limits.basic_per_minute = 1_000_000;
        config.limits.anonymous_per_minute = 1_000_000;
        // Fixture people are made and sign in by the hundred: their passwords are hashed at
        // argon2id's least cost (a hash records its cost; checking it is the same code).
        config.auth.password_cost = PasswordCost::TestOnly;
        configure(&mut config);
        let clock = Arc::new(FixedClock::at(chrono::Utc::now()));
        let app = bosun_server::wiring::build(config.clone(), store, clock.clone()).await.expect("the app builds");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let addr = listener.local_addr().expect("a bound address");
        // The very function `bosun serve` runs, so tests meet the configured limits.
        let server = tokio::spawn(bosun_http::serve::serve(listener, app.clone(), std::future::pending()));
        // A fresh connection for every request: a request sent on a kept-alive connection the
        // server is closing at that moment breaks mid-write (`BrokenPipe` on the body), which a
        // loaded machine showed now and then even with the client's idle time (20 s) under the
        // server's (`server.keep_alive_secs`, 75 s). What a test checks is the answer, not the
        // reuse of connections (`serve.rs`'s own tests cover keep-alive with raw sockets).
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .build()
            .expect("a client");
        Self { addr, client, app, config, clock, backend, db, data_dir, mail_sender, server }
    }

    /// The next mail this server sent to `to`, waiting for it.
    pub async fn mail_to(&self, to: &str) -> Received {
        Mailbox::shared().take(&self.mail_sender, to).await
    }

    /// Invites `email` to the inviter's company as `role`, answering the invitation's token.
    pub async fn invite(&self, inviter: &Session, email: &str, role: Role) -> String {
        let res = self
            .as_(inviter, Method::POST, "/api/v1/invitations")
            .json(&serde_json::json!({ "email": email, "name": email.split('@').next(), "role": role.as_str() }))
            .send()
            .await
            .expect("invitation request");
        assert_eq!(res.status(), 201, "{email} is invited");
        let body: Value = res.json().await.expect("an invitation");
        token_of(body["accept_url"].as_str().expect("an accept link"))
    }

    /// Accepts an invitation with `password`.
    pub async fn accept(&self, token: &str, password: &str) -> Response {
        self.request(Method::POST, "/api/v1/invitations/accept")
            .json(&serde_json::json!({ "token": token, "password": password }))
            .send()
            .await
            .expect("acceptance request")
    }

    /// Invites `email` and accepts with the fixture password, asserting success.
    pub async fn join(&self, inviter: &Session, email: &str, role: Role) -> Session {
        let token = self.invite(inviter, email, role).await;
        let res = self.accept(&token, PASSWORD).await;
        assert_eq!(res.status(), 200, "{email} accepts");
        session_from(email, res).await
    }

    /// The absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A request to `path` with no credentials.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    /// A request to `path` as `who`.
    pub fn as_(&self, who: &Session, method: Method, path: &str) -> RequestBuilder {
        self.request(method, path).bearer_auth(&who.token)
    }

    /// Registers a company whose owner `owner@{slug}.example` is signed in.
    pub async fn with_company(&self, slug: &str) -> Fixture {
        let meta = RequestMeta::default();
        let company =
            self.app.companies.create(slug, &format!("{slug} Shipping"), &meta).await.expect("company created");
        let owner = self.person_in(&company, &format!("owner@{slug}.example"), Role::Owner).await;
        Fixture { company, owner }
    }

    /// Adds a person with `role` to `company` and signs them in.
    pub async fn person_in(&self, company: &Company, email: &str, role: Role) -> Session {
        let input = NewPerson {
            email: email.into(),
            name: email.split('@').next().unwrap_or("someone").into(),
            password: Some(PASSWORD.into()),
            role: role.as_str().into(),
            specialisation: None,
        };
        self.app.users.add(company.id, None, &RequestMeta::default(), input).await.expect("person added");
        self.login(email, Some(company.slug.as_str())).await
    }

    /// Signs in with the fixture password, asserting success.
    pub async fn login(&self, email: &str, company: Option<&str>) -> Session {
        let res = self.try_login(email, PASSWORD, company).await;
        assert_eq!(res.status(), 200, "login of {email} failed");
        session_from(email, res).await
    }

    /// Attempts a login.
    pub async fn try_login(&self, email: &str, password: &str, company: Option<&str>) -> Response {
        let mut body = serde_json::json!({ "email": email, "password": password });
        if let Some(c) = company {
            body["company"] = c.into();
        }
        self.request(Method::POST, "/api/v1/auth/login").json(&body).send().await.expect("login request")
    }

    /// `who`'s session with a fresh access token (after the test's clock moved past the old
    /// one's 15 minutes), through the refresh cookie as the web app does.
    pub async fn refreshed(&self, who: &Session) -> Session {
        let res = self.with_cookie("/api/v1/auth/refresh", &who.refresh).await;
        assert_eq!(res.status(), 200, "{} refreshes", who.email);
        session_from(&who.email, res).await
    }

    /// Calls a cookie endpoint the way the web app does.
    pub async fn with_cookie(&self, path: &str, refresh: &str) -> Response {
        self.request(Method::POST, path)
            .header("cookie", format!("__Host-bosun_refresh={refresh}"))
            .header("x-requested-with", "bosun")
            .send()
            .await
            .expect("cookie request")
    }

    /// An actor for calling services directly as an owner of `company`.
    pub fn owner_actor(&self, fixture: &Fixture) -> Actor {
        Actor::system(fixture.company.id, fixture.owner.user_id, Role::Owner)
    }
}

/// The token of an invitation or reset link (what follows `#`).
pub fn token_of(link: &str) -> String {
    link.split_once('#').map(|(_, t)| t.to_owned()).expect("a link with a token")
}

/// Reads a login or refresh answer into a session.
pub async fn session_from(email: &str, res: Response) -> Session {
    let refresh = refresh_cookie(&res).expect("the refresh cookie is set");
    let body: Value = res.json().await.expect("a JSON body");
    Session {
        user_id: body["user"]["id"].as_str().and_then(|s| s.parse().ok()).expect("a user id"),
        email: email.into(),
        token: body["access_token"].as_str().expect("an access token").into(),
        refresh,
    }
}

/// The refresh cookie an answer sets, if any.
pub fn refresh_cookie(res: &Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("__Host-bosun_refresh="))
        .map(|c| c.split(';').next().unwrap_or_default().to_owned())
        .filter(|v| !v.is_empty())
}

/// Asserts a problem answer with `status` and `code`, returning its body.
pub async fn assert_problem(res: Response, status: u16, code: &str) -> Value {
    assert_eq!(res.status().as_u16(), status, "unexpected status for {}", res.url());
    let ct = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(ct, "application/problem+json", "problem content type");
    let body: Value = res.json().await.expect("a problem body");
    assert_eq!(body["code"], code, "problem code in {body}");
    assert_eq!(body["status"], status);
    body
}

/// Stamps out each listed `async fn(TestApp)` as one test per backend.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::TestApp::spawn($crate::Backend::Sqlite).await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::TestApp::spawn($crate::Backend::Postgres).await).await;
                }
            )*
        }
    };
}
