//! Request rate limits: per person, per API key and per company by the company's plan, per
//! address without credentials; the headers on every answer; 429 with `Retry-After`; and the
//! counts shared by instances on one database without a write per request.

use std::sync::Arc;

use bosun_app::{Actor, RequestMeta};
use bosun_domain::Clock;
use bosun_domain::person::Role;
use bosun_server::config::Config;
use bosun_store::CompanyTerms;
use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::harness::{Backend, Session, TestApp, assert_problem};

fn header(res: &Response, name: &str) -> Option<i64> {
    res.headers().get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok())
}

/// A server whose basic plan allows `per_minute` requests a minute per person, a company
/// `factor` times that, and `anonymous` a minute per address.
async fn limited(backend: Backend, per_minute: i64, factor: i64, anonymous: i64) -> TestApp {
    TestApp::spawn_with(backend, |c| {
        c.limits.basic_per_minute = per_minute;
        c.limits.company_factor = factor;
        c.limits.anonymous_per_minute = anonymous;
    })
    .await
}

async fn every_api_answer_says_how_much_is_left(app: TestApp) {
    let f = app.with_company("acme").await;
    let before = app.as_(&f.owner, Method::GET, "/api/v1/vessels").send().await.unwrap();
    assert_eq!(before.status(), 200);
    let after = app.as_(&f.owner, Method::GET, "/api/v1/nothing-here").send().await.unwrap();
    assert_eq!(after.status(), 404);
    for res in [&before, &after] {
        assert!(header(res, "x-ratelimit-limit").is_some(), "{:?}", res.headers());
        assert!(header(res, "x-ratelimit-reset").is_some_and(|s| (1..=60).contains(&s)));
    }
    assert_eq!(
        header(&after, "x-ratelimit-remaining"),
        header(&before, "x-ratelimit-remaining").map(|r| r - 1),
        "each request takes one"
    );
    let anonymous = app.request(Method::GET, "/api/v1/companies/acme").send().await.unwrap();
    assert!(header(&anonymous, "x-ratelimit-remaining").is_some(), "answers without credentials too");
}

async fn a_person_over_the_plans_rate_waits_for_the_next_minute(backend: Backend) {
    let app = limited(backend, 5, 10, 1_000).await;
    let f = app.with_company("acme").await;
    let crew = app.person_in(&f.company, "crew@acme.example", Role::Crew).await;
    let get = |who: &Session| app.as_(who, Method::GET, "/api/v1/vessels").send();
    for left in (0..5).rev() {
        let res = get(&f.owner).await.unwrap();
        assert_eq!((res.status().as_u16(), header(&res, "x-ratelimit-remaining")), (200, Some(left)));
        assert_eq!(header(&res, "x-ratelimit-limit"), Some(5));
    }
    let res = get(&f.owner).await.unwrap();
    let retry = header(&res, "retry-after").expect("Retry-After on a 429");
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(header(&res, "x-ratelimit-remaining"), Some(0));
    assert_problem(res, 429, "rate_limited").await;
    assert_eq!(get(&crew).await.unwrap().status(), 200, "another person has their own");
    app.clock.advance(chrono::Duration::seconds(retry));
    assert_eq!(get(&f.owner).await.unwrap().status(), 200, "a new minute");
}

async fn the_company_plan_sets_the_rate(backend: Backend) {
    let app = limited(backend, 2, 10, 1_000).await;
    let f = app.with_company("acme").await;
    app.app.companies.set_plan("acme", "enterprise", Some(4), &RequestMeta::default()).await.unwrap();
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(app.as_(&f.owner, Method::GET, "/api/v1/vessels").send().await.unwrap().status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 200, 429], "the agreed four, not the basic two");
    let res = app.as_(&f.owner, Method::GET, "/api/v1/vessels").send().await.unwrap();
    assert_eq!(header(&res, "x-ratelimit-limit"), Some(4));
}

async fn a_company_shares_one_bucket_and_an_api_key_has_its_own(backend: Backend) {
    let app = limited(backend, 3, 2, 1_000).await;
    let f = app.with_company("acme").await;
    let admin = app.person_in(&f.company, "admin@acme.example", Role::Admin).await;
    let crew = app.person_in(&f.company, "crew@acme.example", Role::Crew).await;
    let created: Value = app
        .as_(&admin, Method::POST, "/api/v1/api-keys")
        .json(&json!({ "name": "Exporter", "role": "manager" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = created["secret"].as_str().unwrap().to_owned();
    // The admin has used one request of theirs and of the company's six.
    let ok = |res: Response| res.status().as_u16();
    let mut seen = Vec::new();
    for _ in 0..3 {
        seen.push(ok(app.request(Method::GET, "/api/v1/vessels").bearer_auth(&key).send().await.unwrap()));
    }
    assert_eq!(seen, [200, 200, 200], "the key's own three");
    assert_eq!(ok(app.request(Method::GET, "/api/v1/vessels").bearer_auth(&key).send().await.unwrap()), 429);
    // Two of the company's six are left: the owner gets them, then crew find it used up.
    assert_eq!(ok(app.as_(&f.owner, Method::GET, "/api/v1/vessels").send().await.unwrap()), 200);
    assert_eq!(ok(app.as_(&f.owner, Method::GET, "/api/v1/vessels").send().await.unwrap()), 200);
    let res = app.as_(&crew, Method::GET, "/api/v1/vessels").send().await.unwrap();
    assert_problem(res, 429, "rate_limited").await;
}

async fn requests_without_credentials_count_per_address(backend: Backend) {
    let app = limited(backend, 1_000, 10, 3).await;
    let f = app.with_company("acme").await;
    // The sign-in above used one of the address's three.
    let public = || app.request(Method::GET, "/api/v1/companies/acme").send();
    assert_eq!(public().await.unwrap().status(), 200);
    assert_eq!(public().await.unwrap().status(), 200);
    let res = public().await.unwrap();
    assert!(header(&res, "retry-after").is_some());
    assert_problem(res, 429, "rate_limited").await;
    assert_eq!(app.as_(&f.owner, Method::GET, "/api/v1/vessels").send().await.unwrap().status(), 200, "signed in");
}

/// Two instances on one database, each counting in memory: once each has shared its counts
/// (the background task's one step, run here by hand), a person's limit holds across both.
async fn counts_are_shared_by_instances_on_one_database(app: TestApp) {
    let f = app.with_company("acme").await;
    let clock: Arc<dyn Clock> = app.clock.clone();
    let other = bosun_server::wiring::build(Config::default(), app.app.store.clone(), clock).await.unwrap();
    let terms = CompanyTerms {
        plan: bosun_domain::company::Plan::Enterprise,
        rate_limit_per_minute: Some(10),
        require_mfa: false,
    };
    let ana = Actor::system(f.company.id, f.owner.user_id, Role::Owner);
    let (one, two) = (&app.app.limits, &other.limits);
    let store = &*app.app.store;
    let allowed = |limits: &bosun_app::accounts::rate_limits::RateLimits, n: usize| {
        (0..n).filter(|_| limits.for_actor(&ana, &terms).allowed).count()
    };
    assert_eq!(allowed(one, 6), 6);
    one.sync(store).await.unwrap();
    // The other instance admits what it does not know of yet, and learns it when it shares.
    assert_eq!(allowed(two, 1), 1);
    two.sync(store).await.unwrap();
    assert_eq!(allowed(two, 5), 3, "seven of ten were used across both");
    two.sync(store).await.unwrap();
    // The first instance, idle meanwhile, learns the other's use at its next share.
    one.sync(store).await.unwrap();
    assert_eq!(allowed(one, 1), 0, "ten of ten, across both");
    app.clock.advance(chrono::Duration::minutes(1));
    assert_eq!(allowed(one, 1), 1, "a new window on both");
}

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod configured {
            $(
                mod $name {
                    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                    async fn sqlite() {
                        super::super::$name(crate::harness::Backend::Sqlite).await;
                    }
                    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                    async fn postgres() {
                        super::super::$name(crate::harness::Backend::Postgres).await;
                    }
                }
            )*
        }
    };
}

on_both!(
    a_person_over_the_plans_rate_waits_for_the_next_minute,
    the_company_plan_sets_the_rate,
    a_company_shares_one_bucket_and_an_api_key_has_its_own,
    requests_without_credentials_count_per_address,
);

crate::on_both_backends!(every_api_answer_says_how_much_is_left, counts_are_shared_by_instances_on_one_database);
