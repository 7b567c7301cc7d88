//! Accounts: invitations with consent, password change and reset by e-mail, second factors,
//! sessions a person sees and ends, API keys, and a login throttle a stranger cannot turn
//! against anyone. Mail goes through a real SMTP server (`mailbox.rs`).

use bosun_domain::Clock;
use bosun_domain::person::Role;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::harness::{Fixture, PASSWORD, Session, TestApp, assert_problem, refresh_cookie, session_from, token_of};

// ---- helpers other test modules use ----

/// Where reset links point (the default `server.public_url`).
const RESET_LINK: &str = "http://127.0.0.1:8080/reset-password#";

/// The id of a fresh invitation `inviter` makes for `email`.
pub(crate) async fn invitation_id(app: &TestApp, inviter: &Session, email: &str) -> Uuid {
    let res = app
        .as_(inviter, Method::POST, "/api/v1/invitations")
        .json(&json!({ "email": email, "name": "Someone", "role": "crew" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.unwrap()["invitation"]["id"].as_str().unwrap().parse().unwrap()
}

/// The token of the reset link mailed to `email` (asked for through the service).
pub(crate) async fn reset_token(app: &TestApp, email: &str) -> String {
    app.app.passwords.request(email, &Default::default());
    let mail = app.mail_to(email).await;
    token_of(&mail.link(RESET_LINK).expect("a reset link"))
}

/// The id of `who`'s own (current) session.
pub(crate) async fn session_id(app: &TestApp, who: &Session) -> Uuid {
    let list: Value = app.as_(who, Method::GET, "/api/v1/me/sessions").send().await.unwrap().json().await.unwrap();
    let current = list["items"].as_array().unwrap().iter().find(|s| s["current"] == true).cloned().unwrap();
    current["id"].as_str().unwrap().parse().unwrap()
}

/// The id of a fresh viewer API key of `vessel`.
pub(crate) async fn api_key_id(app: &TestApp, owner: &Session, name: &str, vessel: Uuid) -> Uuid {
    let res = app
        .as_(owner, Method::POST, "/api/v1/api-keys")
        .json(&json!({ "name": name, "role": "viewer", "vessel_ids": [vessel] }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.unwrap()["key"]["id"].as_str().unwrap().parse().unwrap()
}

/// Starts `who`'s TOTP enrolment, answering their authenticator app's view of it.
pub(crate) async fn begin_totp(app: &TestApp, who: &Session) -> totp_rs::Totp {
    let res = app.as_(who, Method::POST, "/api/v1/me/mfa/totp").send().await.unwrap();
    assert_eq!(res.status(), 200, "enrolment starts");
    let body: Value = res.json().await.unwrap();
    let url = body["otpauth_url"].as_str().unwrap();
    assert!(url.starts_with("otpauth://totp/"), "{url}");
    totp_rs::Totp::from_url(url).expect("an authenticator app reads the link")
}

/// The code the authenticator app shows at the server's now (or `steps` later).
pub(crate) fn code_now(app: &TestApp, totp: &totp_rs::Totp) -> String {
    code_at(app, totp, 0)
}

fn code_at(app: &TestApp, totp: &totp_rs::Totp, steps: i64) -> String {
    let t = app.clock.now().timestamp() + steps * 30;
    totp.generate(u64::try_from(t).unwrap()).to_string()
}

/// A person of `f`'s company with a confirmed second factor: their session, authenticator and
/// recovery codes.
pub(crate) async fn with_second_factor(
    app: &TestApp,
    f: &Fixture,
    email: &str,
    role: Role,
) -> (Session, totp_rs::Totp, Vec<String>) {
    let s = app.person_in(&f.company, email, role).await;
    let totp = begin_totp(app, &s).await;
    let res = app
        .as_(&s, Method::POST, "/api/v1/me/mfa/totp/confirm")
        .json(&json!({ "code": code_now(app, &totp) }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "the first code confirms it");
    let body: Value = res.json().await.unwrap();
    let codes: Vec<String> =
        body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    assert_eq!(codes.len(), 10);
    (s, totp, codes)
}

async fn login_with(app: &TestApp, email: &str, password: &str, code: Option<&str>) -> reqwest::Response {
    let mut body = json!({ "email": email, "password": password });
    if let Some(c) = code {
        body["mfa_code"] = c.into();
    }
    app.request(Method::POST, "/api/v1/auth/login").json(&body).send().await.unwrap()
}

async fn audited(app: &TestApp, who: &Session, action: &str) -> Vec<Value> {
    audited_with(app, who, &format!("action={action}")).await
}

/// The audit entries `who` reads that match `filter` (a query string).
async fn audited_with(app: &TestApp, who: &Session, filter: &str) -> Vec<Value> {
    let page: Value = app
        .as_(who, Method::GET, &format!("/api/v1/audit?{filter}&limit=200"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    page["items"].as_array().unwrap().clone()
}

// ---- invitations ----

/// The attack a review reproduced: company A made a login with a password of its choosing;
/// company B adding the same email as its admin handed A's password B's admin rights.
async fn another_company_cannot_take_over_a_login_by_adding_its_email(app: TestApp) {
    let a = app.with_company("alpha").await;
    let b = app.with_company("bravo").await;
    // A's admin accepts the link themselves, choosing the password.
    let token = app.invite(&a.owner, "new.hire@sea.example", Role::Crew).await;
    assert_eq!(app.accept(&token, "chosen by alpha").await.status(), 200);

    // B adds the same email as an admin: the answer looks exactly as for an unknown email, and
    // shows only what B typed.
    let invite = |email: &str| {
        app.as_(&b.owner, Method::POST, "/api/v1/invitations")
            .json(&json!({ "email": email, "name": "Bravo's name", "role": "admin" }))
            .send()
    };
    let known: Value = invite("new.hire@sea.example").await.unwrap().json().await.unwrap();
    let unknown: Value = invite("nobody.yet@sea.example").await.unwrap().json().await.unwrap();
    let shape = |v: &Value| {
        let mut keys: Vec<String> = v["invitation"].as_object().unwrap().keys().cloned().collect();
        keys.sort();
        (keys, v["invitation"]["status"].clone(), v["invitation"]["name"].clone(), v["emailed"].clone())
    };
    assert_eq!(shape(&known), shape(&unknown));
    assert_eq!(known["invitation"]["name"], "Bravo's name");
    assert!(!known.to_string().contains("alpha"), "{known}");

    // A's password does not reach B: the login is not B's until its person accepts B's link.
    let res = app
        .request(Method::POST, "/api/v1/auth/login")
        .json(&json!({ "email": "new.hire@sea.example", "password": "chosen by alpha", "company": "bravo" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "invalid_credentials").await;
    let people: Value = app.as_(&b.owner, Method::GET, "/api/v1/users").send().await.unwrap().json().await.unwrap();
    assert!(!people.to_string().contains("new.hire"), "no access before acceptance: {people}");
    // Nor can B's link set a new password for the existing login.
    let b_token = token_of(known["accept_url"].as_str().unwrap());
    let res = app
        .request(Method::POST, "/api/v1/invitations/accept")
        .json(&json!({ "token": b_token, "password": "bravo's own choice" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "invalid_credentials").await;
    let res = app.try_login("new.hire@sea.example", "chosen by alpha", None).await;
    assert_eq!(res.status(), 200);
    let s = session_from("new.hire@sea.example", res).await;
    let me: Value = app.as_(&s, Method::GET, "/api/v1/me").send().await.unwrap().json().await.unwrap();
    assert_eq!(me["company"]["slug"], "alpha", "still only alpha's");
}

async fn an_invitation_is_mailed_and_accepted_once_with_a_new_password(app: TestApp) {
    let f = app.with_company("acme").await;
    let res = app
        .as_(&f.owner, Method::POST, "/api/v1/invitations")
        .json(&json!({ "email": "Nils.Berg@Sea.example", "name": "Nils Berg", "role": "engineer", "specialisation": "mechanical" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    assert_eq!((body["emailed"].clone(), body["invitation"]["status"].clone()), (json!(true), json!("pending")));
    let link = body["accept_url"].as_str().unwrap().to_owned();
    assert!(link.starts_with("http://127.0.0.1:8080/invite#"), "{link}");
    let mail = app.mail_to("nils.berg@sea.example").await;
    assert!(mail.subject().contains("acme Shipping"), "{}", mail.subject());
    assert_eq!(mail.link("http://").as_deref(), Some(link.as_str()), "the mail carries the same link");

    let token = token_of(&link);
    let preview: Value = app
        .request(Method::POST, "/api/v1/invitations/lookup")
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!((preview["company"]["slug"].clone(), preview["role"].clone()), (json!("acme"), json!("engineer")));
    // Not yet a member: no sign-in works.
    assert_problem(app.try_login("nils.berg@sea.example", "his own choice", None).await, 401, "invalid_credentials")
        .await;
    let short = app.accept(&token, "short").await;
    let body = assert_problem(short, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "password");

    let res = app.accept(&token, "his own choice").await;
    assert_eq!(res.status(), 200);
    let s = session_from("nils.berg@sea.example", res).await;
    let me: Value = app.as_(&s, Method::GET, "/api/v1/me").send().await.unwrap().json().await.unwrap();
    assert_eq!((me["role"].clone(), me["name"].clone()), (json!("engineer"), json!("Nils Berg")));
    // Single use, and gone from the open list.
    assert_problem(app.accept(&token, "his own choice").await, 409, "invitation_invalid").await;
    let open: Value = app.as_(&f.owner, Method::GET, "/api/v1/invitations").send().await.unwrap().json().await.unwrap();
    assert_eq!(open["items"].as_array().unwrap().len(), 0, "{open}");
    assert_eq!(app.try_login("nils.berg@sea.example", "his own choice", None).await.status(), 200);
    // Both ends are in the trail, never the token.
    assert_eq!(audited(&app, &f.owner, "invitation.create").await.len(), 1);
    assert_eq!(audited(&app, &f.owner, "invitation.accept").await.len(), 1);
    let trail: Value =
        app.as_(&f.owner, Method::GET, "/api/v1/audit?limit=200").send().await.unwrap().json().await.unwrap();
    assert!(!trail.to_string().contains(&token), "the token is never audited");
}

async fn an_existing_login_accepts_with_its_own_password_and_second_factor(app: TestApp) {
    let a = app.with_company("alpha").await;
    let b = app.with_company("bravo").await;
    let (_, totp, _) = with_second_factor(&app, &a, "contractor@sea.example", Role::Engineer).await;
    let token = app.invite(&b.owner, "contractor@sea.example", Role::Crew).await;
    assert_problem(app.accept(&token, "not the password").await, 401, "invalid_credentials").await;
    assert_problem(app.accept(&token, PASSWORD).await, 401, "mfa_required").await;
    app.clock.advance(chrono::Duration::seconds(30));
    let res = app
        .request(Method::POST, "/api/v1/invitations/accept")
        .json(&json!({ "token": token, "password": PASSWORD, "mfa_code": code_now(&app, &totp) }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let s = session_from("contractor@sea.example", res).await;
    let me: Value = app.as_(&s, Method::GET, "/api/v1/me").send().await.unwrap().json().await.unwrap();
    assert_eq!((me["company"]["slug"].clone(), me["role"].clone()), (json!("bravo"), json!("crew")), "{me}");
}

async fn an_expired_or_withdrawn_invitation_does_not_work(app: TestApp) {
    let f = app.with_company("acme").await;
    let late = app.invite(&f.owner, "late@sea.example", Role::Crew).await;
    let withdrawn_id = invitation_id(&app, &f.owner, "withdrawn@sea.example").await;
    let res = app.as_(&f.owner, Method::DELETE, &format!("/api/v1/invitations/{withdrawn_id}")).send().await.unwrap();
    assert_eq!(res.status(), 204);
    let res = app.as_(&f.owner, Method::DELETE, &format!("/api/v1/invitations/{withdrawn_id}")).send().await.unwrap();
    assert_problem(res, 409, "invitation_invalid").await;
    // Inviting again replaces the open invitation: the first link stops working.
    let first = app.invite(&f.owner, "twice@sea.example", Role::Crew).await;
    let second = app.invite(&f.owner, "twice@sea.example", Role::Viewer).await;
    assert_problem(app.accept(&first, PASSWORD).await, 409, "invitation_invalid").await;
    app.clock.advance(chrono::Duration::days(8));
    assert_problem(app.accept(&late, PASSWORD).await, 409, "invitation_invalid").await;
    assert_problem(app.accept(&second, PASSWORD).await, 409, "invitation_invalid").await;
    for bad in ["", "x", &"A".repeat(5000)] {
        assert_problem(app.accept(bad, PASSWORD).await, 409, "invitation_invalid").await;
    }
}

// ---- passwords ----

async fn a_password_change_needs_the_current_one_and_ends_other_sessions(app: TestApp) {
    let f = app.with_company("acme").await;
    let other = app.login("owner@acme.example", None).await;
    let change = |current: &str, new: &str| {
        app.as_(&f.owner, Method::PUT, "/api/v1/me/password")
            .json(&json!({ "current_password": current, "new_password": new }))
            .send()
    };
    assert_problem(change("wrong", "a brand new one").await.unwrap(), 401, "invalid_credentials").await;
    assert_problem(change(PASSWORD, "short").await.unwrap(), 422, "validation_failed").await;
    assert_eq!(change(PASSWORD, "a brand new one").await.unwrap().status(), 204);
    assert_eq!(app.as_(&f.owner, Method::GET, "/api/v1/me").send().await.unwrap().status(), 200, "this one stays");
    assert_problem(app.as_(&other, Method::GET, "/api/v1/me").send().await.unwrap(), 401, "invalid_token").await;
    assert_problem(app.with_cookie("/api/v1/auth/refresh", &other.refresh).await, 401, "invalid_session").await;
    assert_problem(app.try_login("owner@acme.example", PASSWORD, None).await, 401, "invalid_credentials").await;
    assert_eq!(app.try_login("owner@acme.example", "a brand new one", None).await.status(), 200);
    let notice = app.mail_to("owner@acme.example").await;
    assert!(notice.subject().contains("password was changed"), "{}", notice.subject());
    assert_eq!(audited(&app, &f.owner, "user.password_change").await.len(), 1);
}

async fn a_reset_link_sets_a_new_password_once_and_ends_every_session(app: TestApp) {
    let a = app.with_company("alpha").await;
    let b = app.with_company("bravo").await;
    app.person_in(&a.company, "ana@sea.example", Role::Crew).await;
    let in_b = {
        let token = app.invite(&b.owner, "ana@sea.example", Role::Crew).await;
        session_from("ana@sea.example", app.accept(&token, PASSWORD).await).await
    };
    let res = app
        .request(Method::POST, "/api/v1/auth/password-reset")
        .json(&json!({ "email": "ANA@sea.example" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202);
    let invitation = app.mail_to("ana@sea.example").await;
    assert!(invitation.subject().contains("invited"), "{}", invitation.subject());
    let mail = app.mail_to("ana@sea.example").await;
    let link = mail.link(RESET_LINK).unwrap();
    let token = token_of(&link);
    let confirm = |password: &str| {
        app.request(Method::POST, "/api/v1/auth/password-reset/confirm")
            .json(&json!({ "token": token, "password": password }))
            .send()
    };
    assert_problem(confirm("short").await.unwrap(), 422, "validation_failed").await;
    assert_eq!(confirm("reset and long").await.unwrap().status(), 204);
    assert_problem(confirm("again and long").await.unwrap(), 409, "reset_invalid").await;
    assert_problem(app.as_(&in_b, Method::GET, "/api/v1/me").send().await.unwrap(), 401, "invalid_token").await;
    let res = app
        .request(Method::POST, "/api/v1/auth/login")
        .json(&json!({ "email": "ana@sea.example", "password": "reset and long", "company": "bravo" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(audited(&app, &a.owner, "user.password_reset").await.len(), 1, "audited in each company");
    assert_eq!(audited(&app, &b.owner, "user.password_reset").await.len(), 1);
    // A link unused for longer than it lives stops working.
    app.app.passwords.request("ana@sea.example", &Default::default());
    let late = token_of(&app.mail_to("ana@sea.example").await.link(RESET_LINK).unwrap());
    app.clock.advance(chrono::Duration::minutes(31));
    let res = app
        .request(Method::POST, "/api/v1/auth/password-reset/confirm")
        .json(&json!({ "token": late, "password": "too late now" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 409, "reset_invalid").await;
}

async fn a_reset_request_answers_the_same_for_unknown_emails_and_sends_nothing(app: TestApp) {
    app.with_company("acme").await;
    let ask =
        |email: &str| app.request(Method::POST, "/api/v1/auth/password-reset").json(&json!({ "email": email })).send();
    let unknown = ask("nobody@sea.example").await.unwrap();
    let (status, body) = (unknown.status(), unknown.text().await.unwrap());
    let known = ask("owner@acme.example").await.unwrap();
    assert_eq!((status, body), (known.status(), known.text().await.unwrap()));
    // Requests are handled in turn: once the known one's mail is here, the unknown one was
    // handled, and sent nothing.
    app.mail_to("owner@acme.example").await;
    assert!(crate::mailbox::Mailbox::shared().try_take(&app.mail_sender, "nobody@sea.example").is_none());
    // A flood to one login sends a few mails, not one each. Mail leaves in order: once a
    // later mail to someone else is here, every earlier one is too.
    for _ in 0..6 {
        ask("owner@acme.example").await.unwrap();
    }
    let crew = app.app.companies.public_branding("acme").await.unwrap();
    app.person_in(&crew, "marker@acme.example", Role::Crew).await;
    ask("marker@acme.example").await.unwrap();
    app.mail_to("marker@acme.example").await;
    let mut got = 0;
    while crate::mailbox::Mailbox::shared().try_take(&app.mail_sender, "owner@acme.example").is_some() {
        got += 1;
    }
    assert_eq!(got, 2, "three reset mails an hour to one login, the first already taken");
}

// ---- second factor ----

async fn a_second_factor_is_required_at_every_sign_in_once_set_up(app: TestApp) {
    let f = app.with_company("acme").await;
    let (s, totp, codes) = with_second_factor(&app, &f, "chief@acme.example", Role::Engineer).await;
    let status: Value = app.as_(&s, Method::GET, "/api/v1/me/mfa").send().await.unwrap().json().await.unwrap();
    assert_eq!((status["enabled"].clone(), status["recovery_codes_left"].clone()), (json!(true), json!(10)));
    assert_problem(login_with(&app, "chief@acme.example", PASSWORD, None).await, 401, "mfa_required").await;
    assert_problem(login_with(&app, "chief@acme.example", PASSWORD, Some("000000")).await, 401, "invalid_mfa_code")
        .await;
    // The confirming code was used: it does not sign in again.
    assert_problem(
        login_with(&app, "chief@acme.example", PASSWORD, Some(&code_now(&app, &totp))).await,
        401,
        "invalid_mfa_code",
    )
    .await;
    app.clock.advance(chrono::Duration::seconds(30));
    let code = code_now(&app, &totp);
    assert_eq!(login_with(&app, "chief@acme.example", PASSWORD, Some(&code)).await.status(), 200);
    assert_problem(login_with(&app, "chief@acme.example", PASSWORD, Some(&code)).await, 401, "invalid_mfa_code").await;
    // A wrong password never reaches the code.
    assert_problem(login_with(&app, "chief@acme.example", "wrong", Some(&code)).await, 401, "invalid_credentials")
        .await;
    // A recovery code works once, however it is typed.
    let typed = codes[3].to_lowercase().replace('-', " ");
    assert_eq!(login_with(&app, "chief@acme.example", PASSWORD, Some(&typed)).await.status(), 200);
    assert_problem(login_with(&app, "chief@acme.example", PASSWORD, Some(&codes[3])).await, 401, "invalid_mfa_code")
        .await;
    for action in ["mfa.enrol", "mfa.confirm"] {
        assert_eq!(audited(&app, &f.owner, action).await.len(), 1, "{action}");
    }
    let failures = audited_with(&app, &f.owner, "action=auth.mfa&outcome=failure").await;
    assert!(failures.len() >= 3, "{failures:?}");
    // Turning it off takes the password and a code, and ends the other sessions.
    let other =
        session_from("chief@acme.example", login_with(&app, "chief@acme.example", PASSWORD, Some(&codes[5])).await)
            .await;
    let res = app
        .as_(&s, Method::DELETE, "/api/v1/me/mfa")
        .json(&json!({ "password": PASSWORD, "code": "123456" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "invalid_mfa_code").await;
    let res = app
        .as_(&s, Method::DELETE, "/api/v1/me/mfa")
        .json(&json!({ "password": PASSWORD, "code": codes[6] }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_problem(app.as_(&other, Method::GET, "/api/v1/me").send().await.unwrap(), 401, "invalid_token").await;
    assert_eq!(login_with(&app, "chief@acme.example", PASSWORD, None).await.status(), 200);
}

async fn a_company_can_require_a_second_factor_of_owners_and_admins(app: TestApp) {
    let f = app.with_company("acme").await;
    let security = |who: &Session, on: bool| {
        app.as_(who, Method::PUT, &format!("/api/v1/companies/{}/security", f.company.id))
            .json(&json!({ "require_mfa": on }))
            .send()
    };
    // Not before the owner has one themselves.
    assert_problem(security(&f.owner, true).await.unwrap(), 409, "mfa_not_enabled").await;
    let (owner2, _, _) = with_second_factor(&app, &f, "second.owner@acme.example", Role::Owner).await;
    let res = security(&owner2, true).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["require_mfa"], true);

    // An admin without one: signed in, but may only set one up.
    let admin = app.person_in(&f.company, "admin@acme.example", Role::Admin).await;
    let res = app.try_login("admin@acme.example", PASSWORD, None).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["mfa_enrollment_required"], true, "{body}");
    let me: Value = app.as_(&admin, Method::GET, "/api/v1/me").send().await.unwrap().json().await.unwrap();
    assert_eq!(me["role"], "admin", "who they are is theirs to read");
    for path in ["/api/v1/vessels", "/api/v1/users", "/api/v1/audit"] {
        let res = app.as_(&admin, Method::GET, path).send().await.unwrap();
        assert_problem(res, 403, "mfa_enrollment_required").await;
    }
    let crew = app.person_in(&f.company, "crew@acme.example", Role::Crew).await;
    assert_eq!(app.as_(&crew, Method::GET, "/api/v1/vessels").send().await.unwrap().status(), 200, "crew unaffected");
    let totp = begin_totp(&app, &admin).await;
    let res = app
        .as_(&admin, Method::POST, "/api/v1/me/mfa/totp/confirm")
        .json(&json!({ "code": code_now(&app, &totp) }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(app.as_(&admin, Method::GET, "/api/v1/vessels").send().await.unwrap().status(), 200, "set up: in");
    // It cannot be turned off while required.
    let res = app
        .as_(&admin, Method::DELETE, "/api/v1/me/mfa")
        .json(&json!({ "password": PASSWORD, "code": "123456" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 409, "mfa_required_by_company").await;
    assert_eq!(audited(&app, &owner2, "company.security.update").await.len(), 1);
}

// ---- sessions ----

async fn a_person_sees_their_sessions_and_ends_one(app: TestApp) {
    let f = app.with_company("acme").await;
    let phone = {
        let res = app
            .request(Method::POST, "/api/v1/auth/login")
            .header("user-agent", "Bosun phone")
            .json(&json!({ "email": "owner@acme.example", "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        session_from("owner@acme.example", res).await
    };
    let list: Value = app.as_(&f.owner, Method::GET, "/api/v1/me/sessions").send().await.unwrap().json().await.unwrap();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{list}");
    assert_eq!(items.iter().filter(|s| s["current"] == true).count(), 1);
    let phone_entry = items.iter().find(|s| s["user_agent"] == "Bosun phone").unwrap();
    assert_eq!(phone_entry["ip"], "127.0.0.1");
    let id = phone_entry["id"].as_str().unwrap();
    let res = app.as_(&f.owner, Method::DELETE, &format!("/api/v1/me/sessions/{id}")).send().await.unwrap();
    assert_eq!(res.status(), 204);
    assert_problem(app.as_(&phone, Method::GET, "/api/v1/me").send().await.unwrap(), 401, "invalid_token").await;
    assert_problem(app.with_cookie("/api/v1/auth/refresh", &phone.refresh).await, 401, "invalid_session").await;
    // Another person's session is not theirs to end.
    let crew = app.person_in(&f.company, "crew@acme.example", Role::Crew).await;
    let crews = session_id(&app, &crew).await;
    let res = app.as_(&f.owner, Method::DELETE, &format!("/api/v1/me/sessions/{crews}")).send().await.unwrap();
    assert_problem(res, 404, "not_found").await;
    assert_eq!(audited(&app, &f.owner, "session.end").await.len(), 1);
}

async fn an_idle_session_ends_and_an_old_one_too(app: TestApp) {
    let f = app.with_company("acme").await;
    app.clock.advance(chrono::Duration::days(13));
    let res = app.with_cookie("/api/v1/auth/refresh", &f.owner.refresh).await;
    assert_eq!(res.status(), 200, "used within 14 days: still good");
    let next = refresh_cookie(&res).unwrap();
    app.clock.advance(chrono::Duration::days(15));
    assert_problem(app.with_cookie("/api/v1/auth/refresh", &next).await, 401, "invalid_session").await;
}

// ---- refresh retries ----

async fn a_retried_refresh_gets_the_same_successor_instead_of_forking(app: TestApp) {
    let f = app.with_company("acme").await;
    let first = app.with_cookie("/api/v1/auth/refresh", &f.owner.refresh).await;
    assert_eq!(first.status(), 200);
    let successor = refresh_cookie(&first).unwrap();
    app.clock.advance(chrono::Duration::seconds(5));
    // The reply was lost; the retry gets the very same successor.
    let retry = app.with_cookie("/api/v1/auth/refresh", &f.owner.refresh).await;
    assert_eq!(retry.status(), 200);
    assert_eq!(refresh_cookie(&retry).unwrap(), successor);
    // Two refreshes racing with one cookie get one successor too.
    let (x, y) = tokio::join!(
        app.with_cookie("/api/v1/auth/refresh", &successor),
        app.with_cookie("/api/v1/auth/refresh", &successor)
    );
    assert_eq!((x.status(), y.status()), (reqwest::StatusCode::OK, reqwest::StatusCode::OK));
    let third = refresh_cookie(&x).unwrap();
    assert_eq!(refresh_cookie(&y).unwrap(), third);
    assert_eq!(app.with_cookie("/api/v1/auth/refresh", &third).await.status(), 200);
    let list: Value = app.as_(&f.owner, Method::GET, "/api/v1/me/sessions").send().await.unwrap().json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "one session, never forked: {list}");
}

// ---- API keys ----

async fn an_api_key_acts_with_its_role_on_its_vessels_only(app: TestApp) {
    let w = crate::permissions::acme(&app).await;
    let owner = &w.fixture.owner;
    let res = app
        .as_(owner, Method::POST, "/api/v1/api-keys")
        .json(&json!({ "name": "Telemetry gateway", "role": "crew", "vessel_ids": [w.vessel] }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("bsk_"));
    let key_id = created["key"]["id"].as_str().unwrap().to_owned();
    let as_key = |method: Method, path: &str| app.request(method, path).bearer_auth(&secret);

    let vessels: Value = as_key(Method::GET, "/api/v1/vessels").send().await.unwrap().json().await.unwrap();
    let ids: Vec<&str> = vessels["items"].as_array().unwrap().iter().filter_map(|v| v["id"].as_str()).collect();
    assert_eq!(ids, [w.vessel.to_string()]);
    let res = as_key(Method::GET, &format!("/api/v1/vessels/{}", w.other_vessel)).send().await.unwrap();
    assert_problem(res, 404, "not_found").await;
    // It writes what its role may, recorded under its id.
    let pump = crate::faults::equipment_on(&app, w.fixture.company.id, w.vessel, "Cooling pump").await;
    let res = as_key(Method::POST, "/api/v1/faults")
        .json(&json!({ "equipment_id": pump, "severity": "low", "title": "Vibration high" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let fault: Value = res.json().await.unwrap();
    assert_eq!(fault["reported_by"], key_id);
    assert_problem(as_key(Method::GET, "/api/v1/audit").send().await.unwrap(), 403, "forbidden").await;
    assert_problem(as_key(Method::GET, "/api/v1/me").send().await.unwrap(), 403, "forbidden").await;
    // Not even an admin's key makes keys.
    let admin_key = app
        .as_(owner, Method::POST, "/api/v1/api-keys")
        .json(&json!({ "name": "Admin tool", "role": "admin" }))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app
        .request(Method::POST, "/api/v1/api-keys")
        .bearer_auth(&admin_key)
        .json(&json!({ "name": "Spawned", "role": "admin" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    // The secret is never shown again.
    let list = app.as_(owner, Method::GET, "/api/v1/api-keys").send().await.unwrap().text().await.unwrap();
    assert!(!list.contains(&secret[4..]), "{list}");
    // Revoked: refused at the next request.
    let res = app.as_(owner, Method::DELETE, &format!("/api/v1/api-keys/{key_id}")).send().await.unwrap();
    assert_eq!(res.status(), 204);
    assert_problem(as_key(Method::GET, "/api/v1/vessels").send().await.unwrap(), 401, "invalid_token").await;
    assert_eq!(audited(&app, owner, "api_key.create").await.len(), 2);
    assert_eq!(audited(&app, owner, "api_key.revoke").await.len(), 1);
}

async fn an_api_key_expires_and_its_use_is_recorded(app: TestApp) {
    let w = crate::permissions::acme(&app).await;
    let owner = &w.fixture.owner;
    let res = app
        .as_(owner, Method::POST, "/api/v1/api-keys")
        .json(&json!({ "name": "Report exporter", "role": "manager", "expires_in_days": 1 }))
        .send()
        .await
        .unwrap();
    let created: Value = res.json().await.unwrap();
    let secret = created["secret"].as_str().unwrap().to_owned();
    let res = app.request(Method::GET, "/api/v1/vessels").bearer_auth(&secret).send().await.unwrap();
    let vessels: Value = res.json().await.unwrap();
    assert_eq!(vessels["items"].as_array().unwrap().len(), 2, "a manager key without vessels sees the fleet");
    // The use is recorded off the request's path: wait for it.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let list: Value = app.as_(owner, Method::GET, "/api/v1/api-keys").send().await.unwrap().json().await.unwrap();
        if list["items"][0]["last_used_at"].is_string() {
            assert_eq!(list["items"][0]["last_used_ip"], "127.0.0.1");
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the use was never recorded: {list}");
        tokio::task::yield_now().await;
    }
    app.clock.advance(chrono::Duration::days(2));
    let res = app.request(Method::GET, "/api/v1/vessels").bearer_auth(&secret).send().await.unwrap();
    assert_problem(res, 401, "invalid_token").await;
    let owner = &app.refreshed(owner).await;
    // Keys of vessel-scoped roles must name their vessels; owners' keys do not exist.
    for (body, field) in [
        (json!({ "name": "x", "role": "crew" }), "vessel_ids"),
        (json!({ "name": "x", "role": "owner" }), "role"),
        (json!({ "name": "x", "role": "viewer", "vessel_ids": [Uuid::now_v7()] }), "vessel_ids"),
        (
            json!({ "name": "x", "role": "viewer", "vessel_ids": [w.vessel], "expires_in_days": 9999 }),
            "expires_in_days",
        ),
    ] {
        let res = app.as_(owner, Method::POST, "/api/v1/api-keys").json(&body).send().await.unwrap();
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
}

// ---- throttle ----

async fn a_stranger_cannot_lock_the_owner_out(app: TestApp) {
    app.with_company("acme").await;
    // The owner signed in on this device before: it holds a device cookie.
    let res = app.try_login("owner@acme.example", PASSWORD, None).await;
    let device = device_cookie(&res).expect("a sign-in leaves a device cookie");
    // A stranger (no device cookie) tries the owner's email fifty times.
    for _ in 0..50 {
        let status = app.try_login("owner@acme.example", "guess", None).await.status();
        assert!(status == 401 || status == 429, "{status}");
    }
    assert_eq!(app.try_login("owner@acme.example", PASSWORD, None).await.status(), 429, "unknown devices wait");
    let res = app
        .request(Method::POST, "/api/v1/auth/login")
        .header("cookie", format!("__Host-bosun_device={device}"))
        .json(&json!({ "email": "owner@acme.example", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "the owner's own device gets in");
    // A device cookie is good for its own login only: guesses at another login with it count
    // as a stranger's, not against the owner's device.
    app.person_in(&app.app.companies.public_branding("acme").await.unwrap(), "crew@acme.example", Role::Crew).await;
    let with_device = |email: &str, password: &str| {
        app.request(Method::POST, "/api/v1/auth/login")
            .header("cookie", format!("__Host-bosun_device={device}"))
            .json(&json!({ "email": email, "password": password }))
            .send()
    };
    for _ in 0..10 {
        let status = with_device("crew@acme.example", "guess").await.unwrap().status();
        assert!(status == 401 || status == 429, "{status}");
    }
    assert_eq!(with_device("owner@acme.example", PASSWORD).await.unwrap().status(), 200);
}

async fn made_up_emails_from_one_address_lock_nobody_else_out(app: TestApp) {
    app.with_company("acme").await;
    for n in 0..20 {
        let res = app.try_login(&format!("made.up.{n}@sea.example"), "guess", None).await;
        assert_problem(res, 401, "invalid_credentials").await;
    }
    assert_eq!(app.try_login("owner@acme.example", PASSWORD, None).await.status(), 200);
}

async fn failures_decay_and_a_success_clears_the_callers_count(app: TestApp) {
    app.with_company("acme").await;
    for _ in 0..4 {
        assert_eq!(app.try_login("owner@acme.example", "guess", None).await.status(), 401);
    }
    assert_eq!(app.try_login("owner@acme.example", PASSWORD, None).await.status(), 200);
    for _ in 0..4 {
        assert_eq!(app.try_login("owner@acme.example", "guess", None).await.status(), 401, "counting from zero");
    }
    app.clock.advance(chrono::Duration::minutes(4));
    for _ in 0..4 {
        assert_eq!(app.try_login("owner@acme.example", "guess", None).await.status(), 401, "failures decayed");
    }
}

async fn an_over_long_email_is_refused_and_counted(app: TestApp) {
    app.with_company("acme").await;
    let long = format!("{}@sea.example", "x".repeat(4000));
    for _ in 0..3 {
        assert_problem(app.try_login(&long, "guess", None).await, 401, "invalid_credentials").await;
    }
    let mut tx = app.app.store.begin(None).await.unwrap();
    let count = tx.throttle_state("i:127.0.0.1").await.unwrap().unwrap();
    assert_eq!(count.failures, 3, "every attempt counted against the address");
    let res =
        app.request(Method::POST, "/api/v1/auth/password-reset").json(&json!({ "email": long })).send().await.unwrap();
    assert_eq!(res.status(), 202);
}

async fn a_login_cancelled_by_its_client_still_runs_to_its_end(app: TestApp) {
    let f = app.with_company("acme").await;
    let account = bosun_app::accounts::throttle::LoginThrottle::account_of("owner@acme.example").unwrap();
    let counted = || async {
        let mut tx = app.app.store.begin_read(None).await.unwrap();
        tx.throttle_state(&format!("a:{account}")).await.unwrap().is_some_and(|c| c.failures >= 1)
    };
    // The client sends its attempt and hangs up as soon as the server has taken it on (the
    // attempt is counted before the password is checked), without waiting for the answer.
    use tokio::io::AsyncWriteExt;
    let body = r#"{"email":"owner@acme.example","password":"guess"}"#;
    let request = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        app.addr,
        body.len()
    );
    let mut socket = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    socket.write_all(request.as_bytes()).await.unwrap();
    wait_until(counted, "the attempt was never counted").await;
    drop(socket);
    // The attempt still runs to its end: its failure is in the company's audit trail.
    wait_until(
        || async { !audited_with(&app, &f.owner, "action=auth.login&outcome=failure").await.is_empty() },
        "the abandoned attempt was never finished",
    )
    .await;
}

/// Waits (yielding, up to 20 s) until `check` holds.
async fn wait_until<F, Fut>(check: F, what: &str)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "{what}");
        tokio::task::yield_now().await;
    }
}

async fn failed_sign_ins_are_audited_where_the_login_belongs_only(app: TestApp) {
    let a = app.with_company("alpha").await;
    let b = app.with_company("bravo").await;
    let c = app.with_company("charlie").await;
    app.person_in(&a.company, "contractor@sea.example", Role::Engineer).await;
    let token = app.invite(&b.owner, "contractor@sea.example", Role::Crew).await;
    assert_eq!(app.accept(&token, PASSWORD).await.status(), 200);
    // A wrong password naming charlie, where the login does not belong.
    let res = app
        .request(Method::POST, "/api/v1/auth/login")
        .json(&json!({ "email": "contractor@sea.example", "password": "guess", "company": "charlie" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "invalid_credentials").await;
    let app = &app;
    let failures =
        |who: Session| async move { audited_with(app, &who, "action=auth.login&outcome=failure").await.len() };
    assert_eq!(failures(a.owner.clone()).await, 1);
    assert_eq!(failures(b.owner.clone()).await, 1);
    assert_eq!(failures(c.owner.clone()).await, 0, "never in a company it does not belong to");
}

/// The device cookie an answer sets, if any.
fn device_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("__Host-bosun_device="))
        .map(|c| c.split(';').next().unwrap_or_default().to_owned())
}

crate::on_both_backends!(
    another_company_cannot_take_over_a_login_by_adding_its_email,
    an_invitation_is_mailed_and_accepted_once_with_a_new_password,
    an_existing_login_accepts_with_its_own_password_and_second_factor,
    an_expired_or_withdrawn_invitation_does_not_work,
    a_password_change_needs_the_current_one_and_ends_other_sessions,
    a_reset_link_sets_a_new_password_once_and_ends_every_session,
    a_reset_request_answers_the_same_for_unknown_emails_and_sends_nothing,
    a_second_factor_is_required_at_every_sign_in_once_set_up,
    a_company_can_require_a_second_factor_of_owners_and_admins,
    a_person_sees_their_sessions_and_ends_one,
    an_idle_session_ends_and_an_old_one_too,
    a_retried_refresh_gets_the_same_successor_instead_of_forking,
    an_api_key_acts_with_its_role_on_its_vessels_only,
    an_api_key_expires_and_its_use_is_recorded,
    a_stranger_cannot_lock_the_owner_out,
    made_up_emails_from_one_address_lock_nobody_else_out,
    failures_decay_and_a_success_clears_the_callers_count,
    an_over_long_email_is_refused_and_counted,
    a_login_cancelled_by_its_client_still_runs_to_its_end,
    failed_sign_ins_are_audited_where_the_login_belongs_only,
);
