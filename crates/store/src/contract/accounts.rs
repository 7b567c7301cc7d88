//! Contract cases for accounts: invitations, password resets, second factors, sessions, API
//! keys and company security settings.

#![allow(clippy::unwrap_used, missing_docs)]

use bosun_domain::account::{ApiKey, Invitation, PasswordReset, UserMfa};
use bosun_domain::company::Plan;
use bosun_domain::person::{Email, Role};
use bosun_domain::vessel::{Vessel, VesselKind};
use bosun_domain::{ApiKeyId, CompanyId, InvitationId, PasswordResetId, SessionFamilyId, UserId, VesselId};
use chrono::Duration;

use super::cases::{company, person, session, t0};
use crate::{Page, Store, StoreError};

fn invitation(company: CompanyId, email: &str, token: u8) -> Invitation {
    Invitation {
        id: InvitationId::new(),
        company_id: company,
        email: Email::parse("email", email).unwrap(),
        name: "Nils Berg".into(),
        role: Role::Engineer,
        specialisation: None,
        token_hash: vec![token; 32],
        invited_by: None,
        created_at: t0(),
        expires_at: t0() + Duration::days(7),
        accepted_at: None,
        accepted_by: None,
        revoked_at: None,
    }
}

pub async fn invitations_are_single_use_and_one_open_per_email(store: &dyn Store) {
    let a = company(store, "alpha").await;
    let owner = person(store, a.id, "owner@alpha.example", Role::Owner).await;
    let first = invitation(a.id, "nils@sea.example", 1);
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    tx.insert_invitation(&first).await.unwrap();
    assert_eq!(tx.invitation(a.id, first.id).await.unwrap().unwrap(), first);
    assert_eq!(tx.invitation_by_token(a.id, &[1; 32]).await.unwrap().unwrap(), first);
    assert_eq!(tx.open_invitation_for(a.id, &first.email).await.unwrap().unwrap().id, first.id);
    tx.commit().await.unwrap();

    // A second open invitation for the same email conflicts; once the first is withdrawn, a new
    // one may be made.
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    let again = invitation(a.id, "nils@sea.example", 2);
    assert!(matches!(tx.insert_invitation(&again).await, Err(StoreError::Conflict(_))));
    drop(tx);
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    tx.revoke_invitation(a.id, first.id, t0()).await.unwrap();
    assert!(matches!(tx.revoke_invitation(a.id, first.id, t0()).await, Err(StoreError::NotFound)));
    tx.insert_invitation(&again).await.unwrap();
    let page = tx.list_open_invitations(a.id, Page { after: None, limit: 10 }).await.unwrap();
    assert_eq!(page.iter().map(|i| i.id).collect::<Vec<_>>(), [again.id]);

    // Accepted once: a second acceptance finds nothing open.
    tx.accept_invitation(a.id, again.id, owner.id, t0()).await.unwrap();
    assert!(matches!(tx.accept_invitation(a.id, again.id, owner.id, t0()).await, Err(StoreError::NotFound)));
    let accepted = tx.invitation(a.id, again.id).await.unwrap().unwrap();
    assert_eq!((accepted.accepted_at, accepted.accepted_by), (Some(t0()), Some(owner.id)));
    assert!(tx.open_invitation_for(a.id, &again.email).await.unwrap().is_none());
    tx.commit().await.unwrap();

    // Another company sees none of it, not even by token.
    let b = company(store, "bravo").await;
    let mut tx = store.begin(Some(b.id)).await.unwrap();
    assert!(tx.invitation_by_token(b.id, &[2; 32]).await.unwrap().is_none());
    assert!(tx.invitation(b.id, again.id).await.unwrap().is_none());
    assert!(tx.list_open_invitations(b.id, Page { after: None, limit: 10 }).await.unwrap().is_empty());
    assert!(matches!(tx.invitation(a.id, again.id).await, Err(StoreError::NotFound)));
}

pub async fn password_resets_are_spent_once_and_set_the_password(store: &dyn Store) {
    let a = company(store, "alpha").await;
    let u = person(store, a.id, "ana@alpha.example", Role::Crew).await;
    let reset = |token: u8| PasswordReset {
        id: PasswordResetId::new(),
        user_id: u.id,
        token_hash: vec![token; 32],
        created_at: t0(),
        expires_at: t0() + Duration::minutes(30),
        used_at: None,
    };
    let (first, second) = (reset(1), reset(2));
    let mut tx = store.begin(None).await.unwrap();
    tx.insert_password_reset(&first).await.unwrap();
    tx.insert_password_reset(&second).await.unwrap();
    assert_eq!(tx.password_reset_by_token(&[1; 32]).await.unwrap().unwrap(), first);
    tx.spend_password_resets(first.id, u.id, t0()).await.unwrap();
    // Spending one spends every reset of the login.
    assert!(matches!(tx.spend_password_resets(first.id, u.id, t0()).await, Err(StoreError::NotFound)));
    assert!(matches!(tx.spend_password_resets(second.id, u.id, t0()).await, Err(StoreError::NotFound)));
    assert!(!tx.password_reset_by_token(&[2; 32]).await.unwrap().unwrap().is_usable(t0()));
    tx.update_user_password(u.id, "$argon2id$new", t0()).await.unwrap();
    assert_eq!(tx.user_by_id(u.id).await.unwrap().unwrap().password_hash, "$argon2id$new");
    assert!(matches!(tx.update_user_password(UserId::new(), "x", t0()).await, Err(StoreError::NotFound)));
}

pub async fn a_second_factor_is_enrolled_confirmed_and_each_step_used_once(store: &dyn Store) {
    let a = company(store, "alpha").await;
    let u = person(store, a.id, "ana@alpha.example", Role::Admin).await;
    let mfa = |secret: u8| UserMfa {
        user_id: u.id,
        sealed_secret: vec![secret; 40],
        confirmed_at: None,
        last_step: 0,
        created_at: t0(),
        updated_at: t0(),
    };
    let mut tx = store.begin(None).await.unwrap();
    assert!(tx.user_mfa(u.id).await.unwrap().is_none());
    tx.begin_mfa_enrolment(&mfa(1)).await.unwrap();
    // Enrolling again before confirming replaces the secret.
    tx.begin_mfa_enrolment(&mfa(2)).await.unwrap();
    assert_eq!(tx.user_mfa(u.id).await.unwrap().unwrap().sealed_secret, vec![2; 40]);
    tx.confirm_mfa(u.id, 100, t0()).await.unwrap();
    let confirmed = tx.user_mfa(u.id).await.unwrap().unwrap();
    assert_eq!((confirmed.confirmed_at, confirmed.last_step), (Some(t0()), 100));
    // A confirmed factor is never overwritten by a new enrolment.
    assert!(matches!(tx.begin_mfa_enrolment(&mfa(3)).await, Err(StoreError::Conflict(_))));
    assert!(matches!(tx.confirm_mfa(u.id, 101, t0()).await, Err(StoreError::NotFound)));

    // Each step's code works once, and never an older one.
    assert!(!tx.use_mfa_step(u.id, 100, t0()).await.unwrap());
    assert!(tx.use_mfa_step(u.id, 101, t0()).await.unwrap());
    assert!(!tx.use_mfa_step(u.id, 101, t0()).await.unwrap());
    assert!(!tx.use_mfa_step(u.id, 99, t0()).await.unwrap());

    // Recovery codes: each spent once, replaced as a set.
    tx.replace_recovery_codes(u.id, &[vec![1; 32], vec![2; 32]]).await.unwrap();
    assert_eq!(tx.count_recovery_codes(u.id).await.unwrap(), 2);
    assert!(tx.use_recovery_code(u.id, &[1; 32], t0()).await.unwrap());
    assert!(!tx.use_recovery_code(u.id, &[1; 32], t0()).await.unwrap());
    assert!(!tx.use_recovery_code(u.id, &[9; 32], t0()).await.unwrap());
    assert_eq!(tx.count_recovery_codes(u.id).await.unwrap(), 1);
    tx.replace_recovery_codes(u.id, &[vec![3; 32]]).await.unwrap();
    assert!(!tx.use_recovery_code(u.id, &[2; 32], t0()).await.unwrap());

    tx.remove_mfa(u.id).await.unwrap();
    assert!(tx.user_mfa(u.id).await.unwrap().is_none());
    assert_eq!(tx.count_recovery_codes(u.id).await.unwrap(), 0);
}

pub async fn sessions_are_listed_touched_and_ended_one_or_all_but_one(store: &dyn Store) {
    let a = company(store, "alpha").await;
    let u = person(store, a.id, "ana@alpha.example", Role::Crew).await;
    let (one, two, three) = (SessionFamilyId::new(), SessionFamilyId::new(), SessionFamilyId::new());
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    for family in [one, two, three] {
        tx.insert_session(&session(a.id, u.id, family)).await.unwrap();
    }
    tx.touch_session(a.id, two, t0() + Duration::hours(1), Some("198.51.100.4")).await.unwrap();
    tx.mark_session_mfa(a.id, two).await.unwrap();
    let listed = tx.list_sessions(a.id, u.id).await.unwrap();
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0].id, two, "most recently used first");
    assert_eq!((listed[0].last_ip.as_deref(), listed[0].mfa), (Some("198.51.100.4"), true));
    assert!(tx.session_standing(a.id, u.id, two).await.unwrap().unwrap().mfa);

    tx.revoke_family(a.id, one, t0()).await.unwrap();
    assert_eq!(tx.list_sessions(a.id, u.id).await.unwrap().len(), 2);
    tx.revoke_user_sessions(a.id, u.id, Some(three), t0()).await.unwrap();
    let left = tx.list_sessions(a.id, u.id).await.unwrap();
    assert_eq!(left.iter().map(|s| s.id).collect::<Vec<_>>(), [three]);
    assert!(tx.session_standing(a.id, u.id, two).await.unwrap().unwrap().family_revoked);
    assert!(!tx.session_standing(a.id, u.id, three).await.unwrap().unwrap().family_revoked);
    tx.commit().await.unwrap();

    let b = company(store, "bravo").await;
    let mut tx = store.begin(Some(b.id)).await.unwrap();
    assert!(tx.session(b.id, three).await.unwrap().is_none());
    assert!(tx.list_sessions(b.id, u.id).await.unwrap().is_empty());
    assert!(matches!(tx.touch_session(b.id, three, t0(), None).await, Err(StoreError::NotFound)));
}

pub async fn api_keys_keep_their_vessels_and_revoke_once(store: &dyn Store) {
    let a = company(store, "alpha").await;
    let vessel = Vessel {
        id: VesselId::new(),
        company_id: a.id,
        kind: VesselKind::Vessel,
        name: "Spirit".into(),
        vessel_type: None,
        imo: None,
        specs: "{}".into(),
        version: 1,
        created_at: t0(),
        updated_at: t0(),
    };
    let key = ApiKey {
        id: ApiKeyId::new(),
        company_id: a.id,
        name: "Telemetry gateway".into(),
        role: Role::Crew,
        vessels: vec![vessel.id],
        token_hash: vec![5; 32],
        created_by: None,
        created_at: t0(),
        expires_at: t0() + Duration::days(90),
        revoked_at: None,
        last_used_at: None,
        last_used_ip: None,
    };
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    tx.insert_vessel(&vessel).await.unwrap();
    tx.insert_api_key(&key).await.unwrap();
    assert_eq!(tx.api_key_by_token(a.id, &[5; 32]).await.unwrap().unwrap(), key);
    tx.touch_api_key(a.id, key.id, t0() + Duration::minutes(3), Some("203.0.113.9")).await.unwrap();
    let used = tx.api_key(a.id, key.id).await.unwrap().unwrap();
    assert_eq!(
        (used.last_used_at, used.last_used_ip.as_deref()),
        (Some(t0() + Duration::minutes(3)), Some("203.0.113.9"))
    );
    assert_eq!(tx.list_api_keys(a.id).await.unwrap().len(), 1);
    tx.revoke_api_key(a.id, key.id, t0()).await.unwrap();
    assert!(matches!(tx.revoke_api_key(a.id, key.id, t0()).await, Err(StoreError::NotFound)));
    assert!(!tx.api_key(a.id, key.id).await.unwrap().unwrap().is_usable(t0()));
    tx.commit().await.unwrap();

    let b = company(store, "bravo").await;
    let mut tx = store.begin(Some(b.id)).await.unwrap();
    assert!(tx.api_key_by_token(b.id, &[5; 32]).await.unwrap().is_none());
    assert!(tx.list_api_keys(b.id).await.unwrap().is_empty());
}

pub async fn company_security_and_plan_are_part_of_every_standing(store: &dyn Store) {
    let a = company(store, "alpha").await;
    let u = person(store, a.id, "ana@alpha.example", Role::Admin).await;
    let family = SessionFamilyId::new();
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    tx.insert_session(&session(a.id, u.id, family)).await.unwrap();
    let c = tx.update_company_security(a.id, true, t0()).await.unwrap();
    assert!(c.require_mfa);
    let c = tx.update_company_plan(a.id, Plan::Enterprise, Some(5000), t0()).await.unwrap();
    assert_eq!((c.plan, c.rate_limit_per_minute), (Plan::Enterprise, Some(5000)));
    let terms = tx.session_standing(a.id, u.id, family).await.unwrap().unwrap().company;
    assert_eq!((terms.plan, terms.rate_limit_per_minute, terms.require_mfa), (Plan::Enterprise, Some(5000), true));
    tx.commit().await.unwrap();
    let mut tx = store.begin(None).await.unwrap();
    let read = tx.company_by_id(a.id).await.unwrap().unwrap();
    assert_eq!((read.plan, read.require_mfa), (Plan::Enterprise, true));
}

pub async fn rate_windows_add_up_what_every_instance_counted(store: &dyn Store) {
    let minute = t0();
    let next = t0() + Duration::minutes(1);
    let mut tx = store.begin(None).await.unwrap();
    let got = tx.add_rate_counts(&[("p:a".into(), minute, 3), ("c:a".into(), minute, 5)]).await.unwrap();
    assert_eq!(got, [3, 5]);
    // Another instance adds its own counts to the same windows.
    let got = tx.add_rate_counts(&[("p:a".into(), minute, 2), ("p:a".into(), next, 1)]).await.unwrap();
    assert_eq!(got, [5, 1], "one window adds up, the next starts from its own");
    assert_eq!(tx.prune_rate_windows(next).await.unwrap(), 2);
    assert_eq!(tx.add_rate_counts(&[("p:a".into(), next, 1)]).await.unwrap(), [2]);
}
