//! Sign-in, sessions and their ends.

use bosun_domain::person::Role;
use reqwest::Method;
use serde_json::Value;

use crate::harness::{TestApp, assert_problem, refresh_cookie, session_from};

async fn a_person_signs_in_and_sees_themselves(app: TestApp) {
    let f = app.with_company("acme").await;
    let res = app.as_(&f.owner, Method::GET, "/api/v1/me").send().await.unwrap();
    assert_eq!(res.status(), 200);
    let me: Value = res.json().await.unwrap();
    assert_eq!(me["email"], "owner@acme.example");
    assert_eq!(me["role"], "owner");
    assert_eq!(me["company"]["slug"], "acme");
}

async fn a_wrong_password_is_refused_and_audited(app: TestApp) {
    let f = app.with_company("acme").await;
    let res = app.try_login("owner@acme.example", "not the password", None).await;
    assert_problem(res, 401, "invalid_credentials").await;
    let res = app.as_(&f.owner, Method::GET, "/api/v1/audit?action=auth.login&outcome=failure").send().await.unwrap();
    let page: Value = res.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1, "{page}");
}

async fn refresh_rotates_the_cookie_and_reuse_revokes_the_family(app: TestApp) {
    let f = app.with_company("acme").await;
    let first = f.owner.refresh.clone();
    let res = app.with_cookie("/api/v1/auth/refresh", &first).await;
    assert_eq!(res.status(), 200);
    let second = session_from("owner@acme.example", res).await;
    assert_ne!(second.refresh, first, "the cookie must rotate");

    // Past the grace period, the spent cookie comes back: the whole family ends.
    app.clock.advance(chrono::Duration::seconds(120));
    assert_problem(app.with_cookie("/api/v1/auth/refresh", &first).await, 401, "invalid_session").await;
    assert_problem(app.with_cookie("/api/v1/auth/refresh", &second.refresh).await, 401, "invalid_session").await;
    let res = app.as_(&second, Method::GET, "/api/v1/me").send().await.unwrap();
    assert_problem(res, 401, "invalid_token").await;
}

async fn a_spent_cookie_within_the_grace_period_still_refreshes(app: TestApp) {
    let f = app.with_company("acme").await;
    assert_eq!(app.with_cookie("/api/v1/auth/refresh", &f.owner.refresh).await.status(), 200);
    app.clock.advance(chrono::Duration::seconds(5));
    // The reply was lost on a poor link; the client retries with the same cookie.
    assert_eq!(app.with_cookie("/api/v1/auth/refresh", &f.owner.refresh).await.status(), 200);
}

async fn a_spent_cookie_whose_successor_was_used_is_reuse_even_within_the_grace_period(app: TestApp) {
    let f = app.with_company("acme").await;
    let second =
        session_from("owner@acme.example", app.with_cookie("/api/v1/auth/refresh", &f.owner.refresh).await).await;
    let res = app.with_cookie("/api/v1/auth/refresh", &second.refresh).await;
    assert_eq!(res.status(), 200, "the newest cookie refreshes");
    let third = session_from("owner@acme.example", res).await;
    app.clock.advance(chrono::Duration::seconds(5));
    // The first cookie is two rotations old: not the immediately preceding one.
    assert_problem(app.with_cookie("/api/v1/auth/refresh", &f.owner.refresh).await, 401, "invalid_session").await;
    assert_problem(app.with_cookie("/api/v1/auth/refresh", &third.refresh).await, 401, "invalid_session").await;
}

async fn logout_ends_the_session_on_the_server(app: TestApp) {
    let f = app.with_company("acme").await;
    // Used once first, so the server has seen (and may keep) the session's standing.
    assert_eq!(app.as_(&f.owner, Method::GET, "/api/v1/me").send().await.unwrap().status(), 200);
    let res = app
        .as_(&f.owner, Method::POST, "/api/v1/auth/logout")
        .header("cookie", format!("__Host-bosun_refresh={}", f.owner.refresh))
        .header("x-requested-with", "bosun")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert!(refresh_cookie(&res).is_none(), "the cookie is cleared");
    assert_problem(app.as_(&f.owner, Method::GET, "/api/v1/me").send().await.unwrap(), 401, "invalid_token").await;
    assert_problem(app.with_cookie("/api/v1/auth/refresh", &f.owner.refresh).await, 401, "invalid_session").await;
}

async fn disabling_a_person_ends_their_sessions_at_once(app: TestApp) {
    let f = app.with_company("acme").await;
    let crew = app.person_in(&f.company, "crew@acme.example", Role::Crew).await;
    assert_eq!(app.as_(&crew, Method::GET, "/api/v1/me").send().await.unwrap().status(), 200);
    let res = app
        .as_(&f.owner, Method::PUT, &format!("/api/v1/users/{}", crew.user_id))
        .json(&serde_json::json!({ "active": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_problem(app.as_(&crew, Method::GET, "/api/v1/me").send().await.unwrap(), 401, "invalid_token").await;
    assert_problem(app.with_cookie("/api/v1/auth/refresh", &crew.refresh).await, 401, "invalid_session").await;
    assert_problem(
        app.try_login("crew@acme.example", crate::harness::PASSWORD, None).await,
        401,
        "invalid_credentials",
    )
    .await;
}

async fn a_changed_role_applies_to_the_very_next_request(app: TestApp) {
    let f = app.with_company("acme").await;
    let crew = app.person_in(&f.company, "crew@acme.example", Role::Crew).await;
    let audit = || app.as_(&crew, Method::GET, "/api/v1/audit").send();
    assert_problem(audit().await.unwrap(), 403, "forbidden").await;
    let promote = |role: &str| {
        app.as_(&f.owner, Method::PUT, &format!("/api/v1/users/{}", crew.user_id))
            .json(&serde_json::json!({ "role": role }))
            .send()
    };
    assert_eq!(promote("admin").await.unwrap().status(), 200);
    assert_eq!(audit().await.unwrap().status(), 200, "the same access token now carries the new role");
    assert_eq!(promote("crew").await.unwrap().status(), 200);
    assert_problem(audit().await.unwrap(), 403, "forbidden").await;
}

async fn repeated_failures_lock_the_account_then_the_owner_gets_back_in(app: TestApp) {
    app.with_company("acme").await;
    for _ in 0..5 {
        let res = app.try_login("owner@acme.example", "wrong password", None).await;
        assert_eq!(res.status(), 401);
    }
    let res = app.try_login("owner@acme.example", crate::harness::PASSWORD, None).await;
    assert!(res.headers().contains_key("retry-after"));
    assert_problem(res, 429, "too_many_attempts").await;
    app.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(app.try_login("owner@acme.example", crate::harness::PASSWORD, None).await.status(), 200);
}

async fn a_burst_of_guesses_is_cut_off_at_the_lock(app: TestApp) {
    app.with_company("acme").await;
    let attempts = (0..20).map(|_| app.try_login("owner@acme.example", "wrong password", None));
    let statuses: Vec<u16> = futures::future::join_all(attempts).await.iter().map(|r| r.status().as_u16()).collect();
    let evaluated = statuses.iter().filter(|s| **s == 401).count();
    // Five failures lock the account; with two hashing slots at most one more guess was
    // already being checked when the fifth was counted.
    assert!((5..=6).contains(&evaluated), "{evaluated} guesses evaluated: {statuses:?}");
    assert!(statuses.iter().all(|s| *s == 401 || *s == 429), "{statuses:?}");
}

async fn a_person_of_two_companies_names_one(app: TestApp) {
    let a = app.with_company("alpha").await;
    let b = app.with_company("bravo").await;
    app.person_in(&a.company, "contractor@example.com", Role::Engineer).await;
    // Same login joins bravo by accepting its invitation with their own password.
    let token = app.invite(&b.owner, "contractor@example.com", Role::Crew).await;
    assert_eq!(app.accept(&token, crate::harness::PASSWORD).await.status(), 200);
    let body = assert_problem(
        app.try_login("contractor@example.com", crate::harness::PASSWORD, None).await,
        409,
        "company_required",
    )
    .await;
    assert_eq!(body["companies"].as_array().unwrap().len(), 2);
    // Being asked to name a company is no failed sign-in: however often, no lock follows.
    for _ in 0..6 {
        let res = app.try_login("contractor@example.com", crate::harness::PASSWORD, None).await;
        assert_eq!(res.status(), 409);
    }
    let s = app.login("contractor@example.com", Some("bravo")).await;
    let me: Value = app.as_(&s, Method::GET, "/api/v1/me").send().await.unwrap().json().await.unwrap();
    assert_eq!((me["company"]["slug"].as_str(), me["role"].as_str()), (Some("bravo"), Some("crew")));
}

async fn cookie_endpoints_refuse_cross_site_requests(app: TestApp) {
    let f = app.with_company("acme").await;
    let res = app
        .request(Method::POST, "/api/v1/auth/refresh")
        .header("cookie", format!("__Host-bosun_refresh={}", f.owner.refresh))
        .header("x-requested-with", "bosun")
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "cross_site_request").await;
    let res = app
        .request(Method::POST, "/api/v1/auth/refresh")
        .header("cookie", format!("__Host-bosun_refresh={}", f.owner.refresh))
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "cross_site_request").await;
}

async fn a_tampered_or_foreign_token_is_refused(app: TestApp) {
    let f = app.with_company("acme").await;
    let mut forged = f.owner.token.clone();
    forged.pop();
    forged.push(if f.owner.token.ends_with('A') { 'B' } else { 'A' });
    let res = app.request(Method::GET, "/api/v1/me").bearer_auth(&forged).send().await.unwrap();
    assert_problem(res, 401, "invalid_token").await;
    let none = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4In0.";
    let res = app.request(Method::GET, "/api/v1/me").bearer_auth(none).send().await.unwrap();
    assert_problem(res, 401, "invalid_token").await;
}

crate::on_both_backends!(
    a_person_signs_in_and_sees_themselves,
    a_wrong_password_is_refused_and_audited,
    refresh_rotates_the_cookie_and_reuse_revokes_the_family,
    a_spent_cookie_within_the_grace_period_still_refreshes,
    a_spent_cookie_whose_successor_was_used_is_reuse_even_within_the_grace_period,
    logout_ends_the_session_on_the_server,
    disabling_a_person_ends_their_sessions_at_once,
    a_changed_role_applies_to_the_very_next_request,
    repeated_failures_lock_the_account_then_the_owner_gets_back_in,
    a_person_of_two_companies_names_one,
    a_burst_of_guesses_is_cut_off_at_the_lock,
    cookie_endpoints_refuse_cross_site_requests,
    a_tampered_or_foreign_token_is_refused,
);
