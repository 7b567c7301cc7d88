//! Several `bosun serve` processes on one PostgreSQL database behave as one server: the
//! signing key, sessions, refresh-token reuse detection, login throttling and the audit chain
//! are all kept in the database, never in one process's memory.

#![allow(clippy::disallowed_methods)] // tests and tools may read the wall clock

mod support;

use std::time::Duration;

use bosun_testkit::db::TestDb;
use serde_json::json;
use sqlx::{Connection, PgConnection};
use support::{Bosun, PASSWORD, Server, assert_success, refresh_cookie};

const COMPANY: &str = "acme";
const OWNER: &str = "owner@acme.example";

/// A database (migrated, or empty for the instances to migrate) shared by two instances. The
/// refresh grace is 0 so that a spent token is a reuse at once.
fn shared_database(db: &TestDb) -> Bosun {
    Bosun::postgres(db).with_env("BOSUN__AUTH__REFRESH_GRACE_SECS", "0")
}

async fn status_with_token(server: &Server, token: &str) -> u16 {
    server
        .client
        .get(server.url("/api/v1/vessels"))
        .bearer_auth(token)
        .send()
        .await
        .expect("the vessel list is answered")
        .status()
        .as_u16()
}

async fn create_vessel(server: &Server, token: &str, name: &str) -> String {
    let res = server
        .client
        .post(server.url("/api/v1/vessels"))
        .bearer_auth(token)
        .json(&json!({ "kind": "vessel", "name": name }))
        .send()
        .await
        .expect("the vessel request is answered");
    assert_eq!(res.status(), 201, "creating {name}");
    let body: serde_json::Value = res.json().await.expect("a JSON vessel");
    body["id"].as_str().expect("a vessel id").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_from_one_instance_works_on_the_other_and_its_reuse_revokes_it_everywhere() {
    let db = TestDb::postgres_empty().await;
    let bosun = shared_database(&db);
    // Both start at once on an empty database: they race to migrate and to make the signing
    // key, and must still end up sharing one.
    let (one, two) = tokio::join!(bosun.serve(&[]), bosun.serve(&[]));
    bosun.create_company(COMPANY);
    bosun.create_owner(COMPANY, OWNER);

    let (first_token, first_cookie) = one.sign_in(OWNER).await;
    assert_eq!(status_with_token(&two, &first_token).await, 200, "instance 2 accepts instance 1's token");
    let id = create_vessel(&one, &first_token, "Acme Pioneer").await;
    let res = two
        .client
        .get(two.url(&format!("/api/v1/vessels/{id}")))
        .bearer_auth(&first_token)
        .send()
        .await
        .expect("the vessel is answered");
    assert_eq!(res.status(), 200, "instance 2 sees instance 1's write");

    let res = two.refresh(&first_cookie).await;
    assert_eq!(res.status(), 200, "instance 2 rotates instance 1's cookie");
    let second_cookie = refresh_cookie(&res).expect("the refresh sets a new cookie");
    assert_ne!(second_cookie, first_cookie, "the cookie rotates");
    let body: serde_json::Value = res.json().await.expect("a JSON session");
    let second_token = body["access_token"].as_str().expect("an access token").to_owned();
    assert_eq!(status_with_token(&one, &second_token).await, 200, "instance 1 accepts instance 2's token");

    // The grace is 0 s: any time after the rotation, the spent cookie is a stolen copy.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let res = one.refresh(&first_cookie).await;
    assert_eq!(res.status(), 401, "instance 1 refuses the cookie instance 2 already rotated");
    assert_eq!(refresh_cookie(&res), None, "the refusal clears the cookie");

    // The whole family is gone, on both instances, for both generations.
    for (name, server) in [("1", &one), ("2", &two)] {
        assert_eq!(status_with_token(server, &first_token).await, 401, "instance {name} still takes the first token");
        assert_eq!(status_with_token(server, &second_token).await, 401, "instance {name} still takes the second token");
        assert_eq!(
            server.refresh(&second_cookie).await.status(),
            401,
            "instance {name} still rotates the newest cookie"
        );
    }

    // A fresh login is unaffected.
    let (fresh, _) = two.sign_in(OWNER).await;
    assert_eq!(status_with_token(&one, &fresh).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_logins_are_counted_across_instances() {
    let db = TestDb::postgres().await;
    let bosun = shared_database(&db);
    bosun.create_company(COMPANY);
    bosun.create_owner(COMPANY, OWNER);
    let (one, two) = tokio::join!(bosun.serve(&[]), bosun.serve(&[]));

    // Four failures spread over both: neither instance alone has seen enough to lock.
    for server in [&one, &two, &one, &two] {
        assert_eq!(server.login(OWNER, "not the password").await.status(), 401);
    }
    // The fifth, wherever it lands, locks the account (for 1 s, doubling after).
    assert_eq!(one.login(OWNER, "not the password").await.status(), 401);
    let locked = two.login(OWNER, PASSWORD).await;
    assert_eq!(locked.status(), 429, "instance 2 does not see instance 1's lock: even the right password is held off");
    assert!(locked.headers().get("retry-after").is_some(), "a 429 says when to come back");
    assert_eq!(one.login(OWNER, "not the password").await.status(), 429, "instance 1 is locked too");

    // After the cool-down the owner gets back in through either instance.
    let mut status = 0;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        status = two.login(OWNER, PASSWORD).await.status().as_u16();
        if status != 429 {
            break;
        }
    }
    assert_eq!(status, 200, "the owner can sign in after the lock expires");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_writing_at_once_keep_one_audit_chain() {
    let db = TestDb::postgres().await;
    let bosun = shared_database(&db);
    bosun.create_company(COMPANY);
    bosun.create_owner(COMPANY, OWNER);
    let (one, two) = tokio::join!(bosun.serve(&[]), bosun.serve(&[]));
    let (token, _) = one.sign_in(OWNER).await;

    let write = |server: &Server, label: &'static str| {
        let (client, url, token) = (server.client.clone(), server.url("/api/v1/vessels"), token.clone());
        async move {
            for i in 0..15 {
                let res = client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({ "kind": "vessel", "name": format!("{label} {i}") }))
                    .send()
                    .await
                    .expect("the vessel request is answered");
                assert_eq!(res.status(), 201, "{label} {i}");
            }
        }
    };
    tokio::join!(write(&one, "One"), write(&two, "Two"), write(&one, "Uno"), write(&two, "Dos"));

    let out = bosun.run(&["audit", "verify", "--company", COMPANY]);
    assert_success(&out, "audit verify after concurrent writes through two instances");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("the chain holds"), "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_failed_logins_on_both_instances_are_each_counted() {
    let db = TestDb::postgres().await;
    let bosun = shared_database(&db);
    bosun.create_company(COMPANY);
    bosun.create_owner(COMPANY, OWNER);
    let (one, two) = tokio::join!(bosun.serve(&[]), bosun.serve(&[]));

    let attempts: Vec<_> = (0..20)
        .map(|i| {
            let server = if i % 2 == 0 { &one } else { &two };
            let (client, url) = (server.client.clone(), server.url("/api/v1/auth/login"));
            tokio::spawn(async move {
                let res = client.post(url).json(&json!({ "email": OWNER, "password": "not the password" })).send();
                res.await.expect("the login request is answered").status().as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for a in attempts {
        statuses.push(a.await.expect("an attempt does not panic"));
    }
    assert!(statuses.iter().all(|s| matches!(s, 401 | 429)), "{statuses:?}");
    let evaluated = statuses.iter().filter(|s| **s == 401).count();

    // Every password that was checked is a counted failure: none is lost to a race between
    // the two instances reading the same count.
    let mut conn = PgConnection::connect(&db.owner_url()).await.expect("the superuser connects");
    let counts: Vec<(String, i64)> = sqlx::query_as("SELECT key, failures FROM auth_throttle ORDER BY key")
        .fetch_all(&mut conn)
        .await
        .expect("read");
    conn.close().await.expect("the connection closes");
    let expected = i64::try_from(evaluated).expect("a small count");
    let account = bosun_app::accounts::throttle::LoginThrottle::account_of(OWNER).expect("an email");
    assert_eq!(
        counts,
        vec![
            (format!("a:{account}"), expected),
            (format!("ai:{account}:127.0.0.1"), expected),
            ("i:127.0.0.1".to_owned(), expected)
        ],
        "failures recorded for {evaluated} checked passwords ({statuses:?})"
    );
}
