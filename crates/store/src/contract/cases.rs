//! The contract cases. Each takes a fresh store and panics on a broken promise.

#![allow(clippy::unwrap_used, missing_docs)]

use bosun_domain::account::{Session, ThrottleCount};
use bosun_domain::audit::{ChainVerifier, NewAuditEntry, Outcome};
use bosun_domain::company::{Branding, Company, CompanySlug};
use bosun_domain::person::{Email, Membership, Role, User};
use bosun_domain::vessel::{Department, ImoNumber, Vessel, VesselKind, VesselMember};
use bosun_domain::{AuditId, CompanyId, DepartmentId, RefreshTokenId, SessionFamilyId, UserId, VesselId};
use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::{AuditFilter, Backend, Change, ChangeOrigin, Page, Reach, RefreshToken, Store, StoreError, SyncRejection};

pub(crate) fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T08:00:00.123456Z").unwrap().with_timezone(&Utc)
}

pub(crate) async fn company(store: &dyn Store, slug: &str) -> Company {
    let c = Company::new(
        bosun_domain::CompanyId::new(),
        CompanySlug::parse("slug", slug).unwrap(),
        &format!("{slug} Ltd"),
        t0(),
    )
    .unwrap();
    let mut tx = store.begin(Some(c.id)).await.unwrap();
    tx.insert_company(&c).await.unwrap();
    tx.commit().await.unwrap();
    c
}

pub(crate) async fn person(store: &dyn Store, company: CompanyId, email: &str, role: Role) -> User {
    let u = User {
        id: UserId::new(),
        email: Email::parse("email", email).unwrap(),
        name: email.split('@').next().unwrap().to_owned(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        created_at: t0(),
        updated_at: t0(),
    };
    let mut tx = store.begin(Some(company)).await.unwrap();
    tx.insert_user(&u).await.unwrap();
    tx.insert_membership(&membership(company, u.id, role)).await.unwrap();
    tx.commit().await.unwrap();
    u
}

pub(crate) fn session(company: CompanyId, user: UserId, family: SessionFamilyId) -> Session {
    Session {
        id: family,
        company_id: company,
        user_id: user,
        created_at: t0(),
        last_used_at: t0(),
        expires_at: t0() + Duration::days(30),
        ip: Some("192.0.2.7".into()),
        user_agent: Some("Bosun test".into()),
        last_ip: None,
        mfa: false,
        revoked_at: None,
    }
}

fn membership(company: CompanyId, user: UserId, role: Role) -> Membership {
    Membership {
        company_id: company,
        user_id: user,
        role,
        specialisation: None,
        active: true,
        version: 1,
        created_at: t0(),
        updated_at: t0(),
    }
}

fn vessel(company: CompanyId, name: &str, imo: Option<&str>) -> Vessel {
    Vessel {
        id: VesselId::new(),
        company_id: company,
        kind: VesselKind::Vessel,
        name: name.into(),
        vessel_type: Some("platform supply vessel".into()),
        imo: imo.map(|i| ImoNumber::parse(i).unwrap()),
        specs: r#"{"length_m":87.4}"#.into(),
        version: 1,
        created_at: t0(),
        updated_at: t0(),
    }
}

async fn add_vessel(store: &dyn Store, v: &Vessel) {
    let mut tx = store.begin(Some(v.company_id)).await.unwrap();
    tx.insert_vessel(v).await.unwrap();
    tx.commit().await.unwrap();
}

fn audit_entry(action: &str, n: i64) -> NewAuditEntry {
    NewAuditEntry {
        id: AuditId::new(),
        at: t0() + Duration::seconds(n),
        actor: None,
        action: action.into(),
        entity: "vessel".into(),
        entity_id: Some(format!("v{n}")),
        before: None,
        after: Some(format!(r#"{{"n":{n}}}"#)),
        outcome: if n % 2 == 0 { Outcome::Success } else { Outcome::Failure },
        ip: Some("192.0.2.1".into()),
        user_agent: Some("contract".into()),
        request_id: None,
    }
}

pub async fn companies_round_trip_and_slugs_are_unique(store: &dyn Store) {
    let c = company(store, "northwind").await;
    let mut tx = store.begin(None).await.unwrap();
    let found = tx.company_by_slug(&c.slug).await.unwrap().unwrap();
    assert_eq!(found, c);
    assert_eq!(tx.company_by_id(c.id).await.unwrap().unwrap().slug.as_str(), "northwind");
    drop(tx);

    let mut tx = store.begin(Some(c.id)).await.unwrap();
    let b = Branding::parse("Northwind Offshore", Some("https://example.com/l.png"), "#112233").unwrap();
    let updated = tx.update_company_branding(c.id, &b, 7, t0() + Duration::hours(1)).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!((updated.branding, updated.version), (b, 7));

    let dup = Company::new(bosun_domain::CompanyId::new(), c.slug.clone(), "Another", t0()).unwrap();
    let mut tx = store.begin(Some(dup.id)).await.unwrap();
    assert!(matches!(tx.insert_company(&dup).await, Err(StoreError::Conflict(_))));
}

pub async fn an_email_belongs_to_one_login(store: &dyn Store) {
    let c = company(store, "acme").await;
    let u = person(store, c.id, "ana@acme.example", Role::Owner).await;
    let mut tx = store.begin(Some(c.id)).await.unwrap();
    assert_eq!(tx.user_by_email(&u.email).await.unwrap().unwrap(), u);
    let twin = User { id: UserId::new(), ..u.clone() };
    assert!(matches!(tx.insert_user(&twin).await, Err(StoreError::Conflict(_))));
}

pub async fn memberships_are_visible_only_to_their_company(store: &dyn Store) {
    let a = company(store, "alpha").await;
    let b = company(store, "bravo").await;
    let ana = person(store, a.id, "ana@alpha.example", Role::Admin).await;
    // A contractor serving both companies: one login, two memberships.
    let mut tx = store.begin(Some(b.id)).await.unwrap();
    tx.insert_membership(&membership(b.id, ana.id, Role::Engineer)).await.unwrap();
    tx.commit().await.unwrap();
    let _bob = person(store, b.id, "bob@bravo.example", Role::Owner).await;

    let mut tx = store.begin(Some(a.id)).await.unwrap();
    assert_eq!(tx.membership(a.id, ana.id).await.unwrap().unwrap().role, Role::Admin);
    assert!(
        matches!(tx.membership(b.id, ana.id).await, Ok(None) | Err(StoreError::NotFound)),
        "company B visible from A's transaction"
    );
    let members = tx.list_members(a.id, Page { after: None, limit: 50 }).await.unwrap();
    assert_eq!(members.iter().map(|m| m.user.email.as_str()).collect::<Vec<_>>(), ["ana@alpha.example"]);
    drop(tx);

    let mut tx = store.begin(None).await.unwrap();
    let mut companies: Vec<_> =
        tx.memberships_of_user(ana.id).await.unwrap().into_iter().map(|m| (m.company_id, m.role)).collect();
    companies.sort();
    let mut expected = vec![(a.id, Role::Admin), (b.id, Role::Engineer)];
    expected.sort();
    assert_eq!(companies, expected);
}

pub async fn vessels_are_visible_only_to_their_company(store: &dyn Store) {
    let a = company(store, "alpha").await;
    let b = company(store, "bravo").await;
    let v = vessel(a.id, "Spirit", Some("9074729"));
    add_vessel(store, &v).await;

    let mut tx = store.begin(Some(b.id)).await.unwrap();
    assert!(tx.vessel(b.id, v.id).await.unwrap().is_none());
    assert!(tx.list_vessels(b.id, None, Page { after: None, limit: 10 }).await.unwrap().is_empty());
    let stolen = Vessel { company_id: b.id, name: "Stolen".into(), ..v.clone() };
    assert!(matches!(tx.update_vessel(&stolen).await, Err(StoreError::NotFound)));
    // Naming A while scoped to B finds nothing either.
    assert!(matches!(tx.vessel(a.id, v.id).await, Ok(None) | Err(StoreError::NotFound)));
    drop(tx);
    let mut tx = store.begin(Some(b.id)).await.unwrap();
    assert!(matches!(tx.update_vessel(&v).await, Err(StoreError::NotFound)));
    drop(tx);

    let mut tx = store.begin(Some(a.id)).await.unwrap();
    let found = tx.vessel(a.id, v.id).await.unwrap().unwrap();
    assert_eq!((found.name.as_str(), found.imo.map(|i| i.to_string())), ("Spirit", Some("9074729".into())));
    let specs: serde_json::Value = serde_json::from_str(&found.specs).unwrap();
    assert_eq!(specs["length_m"], 87.4);
}

pub async fn vessels_page_by_id_and_filter_by_member(store: &dyn Store) {
    let a = company(store, "alpha").await;
    let eng = person(store, a.id, "eng@alpha.example", Role::Engineer).await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let v = vessel(a.id, &format!("V{i}"), None);
        add_vessel(store, &v).await;
        ids.push(v.id);
    }
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    let first = tx.list_vessels(a.id, None, Page { after: None, limit: 2 }).await.unwrap();
    let rest = tx.list_vessels(a.id, None, Page { after: Some(first[1].id), limit: 10 }).await.unwrap();
    let all: Vec<_> = first.iter().chain(&rest).map(|v| v.id).collect();
    assert_eq!(all, ids, "pages must follow id order without gaps or repeats");

    for v in [ids[1], ids[3]] {
        tx.upsert_vessel_member(&VesselMember {
            company_id: a.id,
            vessel_id: v,
            user_id: eng.id,
            department_id: None,
            rotation_start: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            rotation_end: None,
            updated_at: t0(),
        })
        .await
        .unwrap();
    }
    let reach = Reach { principal: eng.id.0, since: t0().date_naive() };
    let mine: Vec<_> = tx
        .list_vessels(a.id, Some(reach), Page { after: None, limit: 10 })
        .await
        .unwrap()
        .into_iter()
        .map(|v| v.id)
        .collect();
    assert_eq!(mine, [ids[1], ids[3]]);
    assert_eq!(tx.reachable_vessel_ids(a.id, reach).await.unwrap(), [ids[1], ids[3]]);
    assert!(tx.reaches_vessel(a.id, ids[1], reach).await.unwrap());
    assert!(!tx.reaches_vessel(a.id, ids[0], reach).await.unwrap());
}

pub async fn a_rotation_that_ended_or_a_removal_ends_a_persons_reach(store: &dyn Store) {
    let a = company(store, "alpha").await;
    let eng = person(store, a.id, "eng@alpha.example", Role::Engineer).await;
    let (one, two) = (vessel(a.id, "One", None), vessel(a.id, "Two", None));
    add_vessel(store, &one).await;
    add_vessel(store, &two).await;
    let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    for (v, end) in [(one.id, Some(day(10))), (two.id, None)] {
        tx.upsert_vessel_member(&VesselMember {
            company_id: a.id,
            vessel_id: v,
            user_id: eng.id,
            department_id: None,
            rotation_start: day(1),
            rotation_end: end,
            updated_at: t0(),
        })
        .await
        .unwrap();
    }
    let on = |d| Reach { principal: eng.id.0, since: day(d) };
    // A rotation ending on the 10th reaches its vessel up to that day, not after.
    assert_eq!(tx.reachable_vessel_ids(a.id, on(10)).await.unwrap().len(), 2);
    assert_eq!(tx.reachable_vessel_ids(a.id, on(11)).await.unwrap(), [two.id]);
    assert!(!tx.reaches_vessel(a.id, one.id, on(11)).await.unwrap());
    let listed = tx.list_vessels(a.id, Some(on(11)), Page { after: None, limit: 10 }).await.unwrap();
    assert_eq!(listed.iter().map(|v| v.id).collect::<Vec<_>>(), [two.id]);
    // Removed from a vessel: no reach, and joining again brings it back.
    tx.remove_vessel_member(a.id, two.id, eng.id, t0()).await.unwrap();
    assert!(matches!(tx.remove_vessel_member(a.id, two.id, eng.id, t0()).await, Err(StoreError::NotFound)));
    assert!(!tx.reaches_vessel(a.id, two.id, on(1)).await.unwrap());
    assert!(tx.vessel_member(a.id, two.id, eng.id).await.unwrap().is_none());
    tx.upsert_vessel_member(&VesselMember {
        company_id: a.id,
        vessel_id: two.id,
        user_id: eng.id,
        department_id: None,
        rotation_start: day(20),
        rotation_end: None,
        updated_at: t0(),
    })
    .await
    .unwrap();
    assert!(tx.reaches_vessel(a.id, two.id, on(20)).await.unwrap());
}

pub async fn a_taken_imo_number_within_a_company_conflicts(store: &dyn Store) {
    let a = company(store, "alpha").await;
    let b = company(store, "bravo").await;
    add_vessel(store, &vessel(a.id, "One", Some("9074729"))).await;
    // Another company may register the same ship (a sale, a charter).
    add_vessel(store, &vessel(b.id, "Same ship", Some("9074729"))).await;
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    assert!(matches!(tx.insert_vessel(&vessel(a.id, "Two", Some("9074729"))).await, Err(StoreError::Conflict(_))));
}

pub async fn departments_and_rotations_round_trip(store: &dyn Store) {
    let a = company(store, "alpha").await;
    let crew = person(store, a.id, "crew@alpha.example", Role::Crew).await;
    let v = vessel(a.id, "Tern", None);
    add_vessel(store, &v).await;
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    let engine = Department {
        id: DepartmentId::new(),
        company_id: a.id,
        vessel_id: v.id,
        name: "engine".into(),
        created_at: t0(),
    };
    tx.insert_department(&engine).await.unwrap();
    let deck = Department { id: DepartmentId::new(), name: "deck".into(), ..engine.clone() };
    tx.insert_department(&deck).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    assert!(matches!(
        tx.insert_department(&Department { id: DepartmentId::new(), ..engine.clone() }).await,
        Err(StoreError::Conflict(_))
    ));
    drop(tx); // a failed statement ends the transaction's usefulness (PostgreSQL aborts it)
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    assert_eq!(tx.list_departments(a.id, v.id).await.unwrap(), [deck.clone(), engine.clone()]);

    let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let mut m = VesselMember {
        company_id: a.id,
        vessel_id: v.id,
        user_id: crew.id,
        department_id: Some(engine.id),
        rotation_start: d("2026-03-01"),
        rotation_end: Some(d("2026-03-28")),
        updated_at: t0(),
    };
    tx.upsert_vessel_member(&m).await.unwrap();
    m.rotation_start = d("2026-04-26");
    m.rotation_end = None;
    tx.upsert_vessel_member(&m).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    assert_eq!(tx.vessel_member(a.id, v.id, crew.id).await.unwrap().unwrap(), m);
}

pub async fn the_audit_chain_appends_in_order_and_verifies(store: &dyn Store) {
    let a = company(store, "alpha").await;
    let b = company(store, "bravo").await;
    for i in 0..5 {
        let mut tx = store.begin(Some(a.id)).await.unwrap();
        let e = tx.append_audit(a.id, &audit_entry("vessel.create", i)).await.unwrap();
        assert_eq!(e.seq, i + 1);
        tx.commit().await.unwrap();
    }
    // Another company's chain starts at 1 and does not disturb A's.
    let mut tx = store.begin(Some(b.id)).await.unwrap();
    assert_eq!(tx.append_audit(b.id, &audit_entry("vessel.create", 0)).await.unwrap().seq, 1);
    tx.commit().await.unwrap();

    // A rolled-back append leaves no gap.
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    tx.append_audit(a.id, &audit_entry("vessel.update", 9)).await.unwrap();
    drop(tx);
    // Several at once continue the chain as one by one would; none is no change.
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    let batch: Vec<_> = (5..8).map(|i| audit_entry("workorder.generate", i)).collect();
    tx.append_audits(a.id, &batch).await.unwrap();
    tx.append_audits(a.id, &[]).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    tx.append_audits(a.id, &batch[..1]).await.unwrap();
    drop(tx);

    let mut tx = store.begin(Some(a.id)).await.unwrap();
    let chain = tx.audit_chain(a.id, 0, 100).await.unwrap();
    assert_eq!(chain.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6, 7, 8]);
    let mut v = ChainVerifier::default();
    for e in &chain {
        v.check(e).unwrap();
    }
    let (head_seq, head_hash) = tx.audit_head(a.id).await.unwrap();
    assert_eq!(v.finish(head_seq, &head_hash), Ok(8));
    assert_eq!(chain[2].entry, audit_entry("vessel.create", 2).with_id(chain[2].entry.id));
    assert_eq!(chain[6].entry, batch[1].clone(), "stored as given");
}

trait WithId {
    fn with_id(self, id: AuditId) -> Self;
}
impl WithId for NewAuditEntry {
    fn with_id(self, id: AuditId) -> Self {
        Self { id, ..self }
    }
}

pub async fn audit_entries_filter_and_page_newest_first(store: &dyn Store) {
    let a = company(store, "alpha").await;
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    for i in 0..6 {
        tx.append_audit(a.id, &audit_entry(if i < 4 { "vessel.create" } else { "auth.login" }, i)).await.unwrap();
    }
    tx.commit().await.unwrap();
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    let all = AuditFilter::default();
    let page1 = tx.list_audit(a.id, &all, Page { after: None, limit: 4 }).await.unwrap();
    assert_eq!(page1.iter().map(|e| e.seq).collect::<Vec<_>>(), [6, 5, 4, 3]);
    let page2 = tx.list_audit(a.id, &all, Page { after: Some(3), limit: 4 }).await.unwrap();
    assert_eq!(page2.iter().map(|e| e.seq).collect::<Vec<_>>(), [2, 1]);

    let logins = AuditFilter { action: Some("auth.login".into()), ..Default::default() };
    assert_eq!(tx.list_audit(a.id, &logins, Page { after: None, limit: 10 }).await.unwrap().len(), 2);
    let failures = AuditFilter { outcome: Some("failure".into()), ..Default::default() };
    assert_eq!(tx.list_audit(a.id, &failures, Page { after: None, limit: 10 }).await.unwrap().len(), 3);
    let window = AuditFilter {
        since: Some(t0() + Duration::seconds(2)),
        until: Some(t0() + Duration::seconds(4)),
        ..Default::default()
    };
    let seqs: Vec<_> =
        tx.list_audit(a.id, &window, Page { after: None, limit: 10 }).await.unwrap().iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [4, 3]);
    let one = AuditFilter { entity: Some("vessel".into()), entity_id: Some("v5".into()), ..Default::default() };
    assert_eq!(tx.list_audit(a.id, &one, Page { after: None, limit: 10 }).await.unwrap()[0].seq, 6);
}

pub async fn the_change_log_numbers_each_scope_without_gaps(store: &dyn Store) {
    let a = company(store, "alpha").await;
    let change = |scope: &str, n: i64| Change {
        scope: scope.into(),
        entity: "vessel",
        row_id: uuid::Uuid::now_v7(),
        op: "update",
        fields: serde_json::json!({ "name": format!("n{n}") }),
        at: t0(),
    };
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    assert_eq!(tx.record_change(a.id, &change("vessel:x", 1)).await.unwrap(), 1);
    assert_eq!(tx.record_change(a.id, &change("vessel:x", 2)).await.unwrap(), 2);
    assert_eq!(tx.record_change(a.id, &change("vessel:y", 1)).await.unwrap(), 1);
    tx.commit().await.unwrap();
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    tx.record_change(a.id, &change("vessel:x", 3)).await.unwrap();
    drop(tx); // rolled back: the counter rolls back with it
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    assert_eq!(tx.record_change(a.id, &change("vessel:x", 4)).await.unwrap(), 3);
    tx.commit().await.unwrap();
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    let got = tx.changes_since(a.id, "vessel:x", 1, 10).await.unwrap();
    assert_eq!(
        got.iter().map(|(s, c)| (*s, c.fields["name"].as_str().unwrap().to_owned())).collect::<Vec<_>>(),
        [(2, "n2".to_owned()), (3, "n4".to_owned())]
    );
    // Several at once, scopes interleaved, number as one by one would.
    let batch = [change("vessel:x", 5), change("vessel:x", 6), change("vessel:y", 2), change("vessel:x", 7)];
    assert_eq!(tx.record_changes(a.id, &batch).await.unwrap(), [4, 5, 2, 6]);
    assert!(tx.record_changes(a.id, &[]).await.unwrap().is_empty());
    tx.commit().await.unwrap();
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    let got = tx.changes_since(a.id, "vessel:x", 3, 10).await.unwrap();
    assert_eq!(
        got.iter().map(|(s, c)| (*s, c.fields["name"].as_str().unwrap().to_owned())).collect::<Vec<_>>(),
        [(4, "n5".to_owned()), (5, "n6".to_owned()), (6, "n7".to_owned())]
    );
    assert_eq!(got[0].1, batch[0], "stored as given");
    assert_eq!(tx.changes_since(a.id, "vessel:y", 1, 10).await.unwrap()[0].1, batch[2]);
}

pub async fn sync_clients_advance_only_forward_and_keep_their_rejections(store: &dyn Store) {
    let a = company(store, "alpha").await;
    let b = company(store, "bravo").await;
    let ana = uuid::Uuid::now_v7();
    let client = uuid::Uuid::now_v7();
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    tx.register_sync_client(a.id, client, ana, t0()).await.unwrap();
    // Registering again keeps the first principal.
    tx.register_sync_client(a.id, client, uuid::Uuid::now_v7(), t0()).await.unwrap();
    assert!(tx.advance_sync_client(a.id, client, 5, t0()).await.unwrap());
    assert!(!tx.advance_sync_client(a.id, client, 5, t0()).await.unwrap(), "not to where it is");
    assert!(!tx.advance_sync_client(a.id, client, 3, t0()).await.unwrap(), "never back");
    let rejection = SyncRejection {
        client_id: client,
        mutation_id: 4,
        name: "report_fault.v1".into(),
        args: serde_json::json!({ "title": "" }),
        code: "validation_failed".into(),
        detail: "title: too short".into(),
        at: t0(),
    };
    tx.insert_sync_rejection(a.id, &rejection).await.unwrap();
    tx.set_change_origin(Some(ChangeOrigin { client_id: client, mutation_id: 5, hlc: Some("0190".into()) }));
    let change = Change {
        scope: "vessel:x".into(),
        entity: "fault",
        row_id: uuid::Uuid::now_v7(),
        op: "insert",
        fields: serde_json::json!({ "title": "Leak" }),
        at: t0(),
    };
    tx.record_change(a.id, &change).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin_read(Some(a.id)).await.unwrap();
    let known = tx.sync_client(a.id, client).await.unwrap().unwrap();
    assert_eq!((known.user_id, known.last_mutation_id), (ana, 5));
    assert_eq!(tx.sync_rejections(a.id, client, 1, 5).await.unwrap(), [rejection]);
    assert_eq!(tx.sync_rejections(a.id, client, 5, 9).await.unwrap(), []);
    assert_eq!(tx.sync_clients_of(a.id, ana).await.unwrap(), [known]);
    let origin = ChangeOrigin { client_id: client, mutation_id: 5, hlc: Some("0190".into()) };
    assert_eq!(tx.change_origins(a.id, "vessel:x", 0, 10).await.unwrap(), [(1, origin)]);
    drop(tx);
    // Another company knows nothing of the client.
    let mut tx = store.begin_read(Some(b.id)).await.unwrap();
    assert_eq!(tx.sync_client(b.id, client).await.unwrap(), None);
    assert_eq!(tx.sync_rejections(b.id, client, 0, 9).await.unwrap(), []);
}

pub async fn compaction_folds_and_drops_old_deletes_only_in_its_own_company(store: &dyn Store) {
    let a = company(store, "alpha").await;
    let b = company(store, "bravo").await;
    let (r1, r2) = (uuid::Uuid::from_u128(1), uuid::Uuid::from_u128(2));
    let change = |row, op, title: &str, minutes| Change {
        scope: "vessel:x".into(),
        entity: "fault",
        row_id: row,
        op,
        fields: serde_json::json!({ "title": title }),
        at: t0() + Duration::minutes(minutes),
    };
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    // Interleaved: r1 at 1, 3, 5; r2 at 2, 4 (the last one recent).
    for c in [
        change(r1, "insert", "a", 0),
        change(r2, "insert", "b", 1),
        change(r1, "update", "a2", 2),
        change(r2, "update", "b2", 60),
        change(r1, "update", "a3", 3),
    ] {
        tx.record_change(a.id, &c).await.unwrap();
    }
    tx.commit().await.unwrap();

    let mut tx = store.begin(Some(a.id)).await.unwrap();
    let targets = tx.compaction_targets(a.id, t0() + Duration::minutes(30)).await.unwrap();
    let target = crate::CompactionTarget { scope: "vessel:x".into(), upto_seq: Some(5), compacted_seq: 0 };
    assert_eq!(targets, [target]);
    let seqs = |page: Vec<(i64, Change)>| page.iter().map(|(s, c)| (c.row_id, *s)).collect::<Vec<_>>();
    let all = tx.changes_by_row(a.id, "vessel:x", 3, ("", uuid::Uuid::nil(), 0), 10).await.unwrap();
    assert_eq!(seqs(all), [(r1, 1), (r1, 3), (r2, 2)], "by row, then sequence, up to 3");
    let next = tx.changes_by_row(a.id, "vessel:x", 5, ("fault", r1, 3), 2).await.unwrap();
    assert_eq!(seqs(next), [(r1, 5), (r2, 2)], "after a position, within the limit");
    tx.rewrite_change(a.id, "vessel:x", 5, "insert", &serde_json::json!({ "title": "a3" })).await.unwrap();
    for seq in [1, 3] {
        tx.delete_change(a.id, "vessel:x", seq).await.unwrap();
    }
    tx.mark_compacted(a.id, "vessel:x", 5).await.unwrap();
    tx.mark_compacted(a.id, "vessel:x", 4).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin_read(Some(a.id)).await.unwrap();
    let left = tx.changes_since(a.id, "vessel:x", 0, 10).await.unwrap();
    let left: Vec<_> = left.iter().map(|(s, c)| (*s, c.op, c.fields["title"].clone())).collect();
    assert_eq!(left, [(2, "insert", "b".into()), (4, "update", "b2".into()), (5, "insert", "a3".into())]);
    let targets = tx.compaction_targets(a.id, t0() + Duration::days(1)).await.unwrap();
    assert_eq!(targets[0].compacted_seq, 5, "the mark never goes back");
    assert_eq!(tx.scope_marks(a.id).await.unwrap()["vessel:x"].horizon, 0, "no delete dropped yet");
    drop(tx);
    // Deletes: an old one (6) goes and raises the horizon; a recent one (7) stays.
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    tx.record_change(a.id, &change(r1, "delete", "a3", 20)).await.unwrap();
    tx.record_change(a.id, &change(r2, "delete", "b2", 90)).await.unwrap();
    assert_eq!(tx.drop_tombstones(a.id, "vessel:x", t0() + Duration::minutes(30), 7).await.unwrap(), 1);
    assert_eq!(tx.drop_tombstones(a.id, "vessel:x", t0() + Duration::minutes(30), 7).await.unwrap(), 0);
    tx.commit().await.unwrap();
    let mut tx = store.begin_read(Some(a.id)).await.unwrap();
    let marks = tx.scope_marks(a.id).await.unwrap();
    assert_eq!(marks["vessel:x"].horizon, 6);
    let left = tx.changes_since(a.id, "vessel:x", 0, 10).await.unwrap();
    assert_eq!(left.iter().map(|(s, _)| *s).collect::<Vec<_>>(), [2, 4, 5, 7]);
    // The head stays where numbering got to, whatever was folded or dropped below it.
    assert_eq!(marks["vessel:x"].head, 7);
    drop(tx);
    // Another company's compaction finds and touches nothing of alpha's.
    let mut tx = store.begin(Some(b.id)).await.unwrap();
    assert_eq!(tx.compaction_targets(b.id, t0() + Duration::days(1)).await.unwrap(), []);
    assert_eq!(tx.changes_by_row(b.id, "vessel:x", 9, ("", uuid::Uuid::nil(), 0), 10).await.unwrap().len(), 0);
    tx.delete_change(b.id, "vessel:x", 2).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin_read(Some(a.id)).await.unwrap();
    assert_eq!(tx.changes_since(a.id, "vessel:x", 0, 10).await.unwrap().len(), 4);
    drop(tx);
    let mut tx = store.begin_read(Some(b.id)).await.unwrap();
    assert!(!tx.scope_marks(b.id).await.unwrap().contains_key("vessel:x"), "alpha's scope is not beta's");
}

pub async fn refresh_tokens_rotate_once_and_families_revoke(store: &dyn Store) {
    let a = company(store, "alpha").await;
    let u = person(store, a.id, "ana@alpha.example", Role::Crew).await;
    let family = SessionFamilyId::new();
    let token = RefreshToken {
        id: RefreshTokenId::new(),
        company_id: a.id,
        family_id: family,
        user_id: u.id,
        token_hash: vec![7; 32],
        issued_at: t0(),
        family_expires_at: t0() + Duration::days(30),
        used_at: None,
        revoked_at: None,
    };
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    // A family without its session row does not stand.
    assert!(tx.session_standing(a.id, u.id, family).await.unwrap().unwrap().family_revoked);
    tx.insert_session(&session(a.id, u.id, family)).await.unwrap();
    tx.insert_refresh_token(&token).await.unwrap();
    assert_eq!(tx.refresh_token_by_hash(a.id, &[7; 32]).await.unwrap().unwrap(), token);
    tx.mark_refresh_token_used(a.id, token.id, t0()).await.unwrap();
    assert!(matches!(tx.mark_refresh_token_used(a.id, token.id, t0()).await, Err(StoreError::NotFound)));
    let standing = tx.session_standing(a.id, u.id, family).await.unwrap().unwrap();
    assert!(!standing.family_revoked);
    assert!(!standing.mfa);
    assert_eq!(standing.membership.role, Role::Crew);
    assert_eq!(standing.company.plan, a.plan);
    tx.revoke_family(a.id, family, t0()).await.unwrap();
    assert!(tx.session_standing(a.id, u.id, family).await.unwrap().unwrap().family_revoked);
    assert!(tx.refresh_token_by_hash(a.id, &[7; 32]).await.unwrap().unwrap().revoked_at.is_some());
    assert!(tx.session(a.id, family).await.unwrap().unwrap().revoked_at.is_some());
    tx.commit().await.unwrap();

    let b = company(store, "bravo").await;
    let mut tx = store.begin(Some(b.id)).await.unwrap();
    assert!(tx.refresh_token_by_hash(b.id, &[7; 32]).await.unwrap().is_none());
    assert!(tx.session_standing(b.id, u.id, family).await.unwrap().is_none());
}

pub async fn the_standing_epoch_moves_with_every_committed_standing_change(store: &dyn Store) {
    let a = company(store, "alpha").await;
    let Some(start) = store.standing_epoch() else {
        // Only a store that sees every write may vouch for kept standings; PostgreSQL, shared
        // by several instances, never does.
        assert_eq!(store.backend(), Backend::Postgres, "the embedded store sees all its writes");
        return;
    };
    let u = person(store, a.id, "ana@alpha.example", Role::Crew).await;
    let after_person = store.standing_epoch().unwrap();
    assert!(after_person > start, "a new membership moves it");

    // Reads and writes that touch no standing leave it where it is.
    let mut tx = store.begin_read(Some(a.id)).await.unwrap();
    tx.session_standing(a.id, u.id, SessionFamilyId::new()).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin(None).await.unwrap();
    tx.throttle_clear("acct:ana@alpha.example").await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(store.standing_epoch(), Some(after_person));

    // A change rolled back changes nothing; committed, it moves the epoch.
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    tx.revoke_user_sessions(a.id, u.id, None, t0()).await.unwrap();
    drop(tx);
    assert_eq!(store.standing_epoch(), Some(after_person));
    for change in 0..3 {
        let mut tx = store.begin(Some(a.id)).await.unwrap();
        match change {
            0 => tx.revoke_user_sessions(a.id, u.id, None, t0()).await.unwrap(),
            1 => tx.revoke_family(a.id, SessionFamilyId::new(), t0()).await.unwrap(),
            _ => {
                let mut m = tx.membership(a.id, u.id).await.unwrap().unwrap();
                m.role = Role::Viewer;
                m.version += 1;
                tx.update_membership(&m).await.unwrap();
            }
        }
        let before = store.standing_epoch().unwrap();
        tx.commit().await.unwrap();
        assert!(store.standing_epoch().unwrap() > before, "change {change} moves it on commit");
    }
}

pub async fn login_throttle_records_and_clears(store: &dyn Store) {
    let mut tx = store.begin(None).await.unwrap();
    assert_eq!(tx.throttle_state("acct:x").await.unwrap(), None);
    let first = ThrottleCount { failures: 1, locked_until: None, updated_at: t0() };
    tx.throttle_record("acct:x", &first).await.unwrap();
    assert_eq!(tx.throttle_state("acct:x").await.unwrap(), Some(first));
    let locked = ThrottleCount { failures: 6, locked_until: Some(t0() + Duration::seconds(30)), updated_at: t0() };
    tx.throttle_record("acct:x", &locked).await.unwrap();
    assert_eq!(tx.throttle_state("acct:x").await.unwrap(), Some(locked));
    tx.throttle_clear("acct:x").await.unwrap();
    assert_eq!(tx.throttle_state("acct:x").await.unwrap(), None);
}

pub async fn the_first_server_secret_wins(store: &dyn Store) {
    let mut tx = store.begin(None).await.unwrap();
    assert_eq!(tx.server_secret("jwt", &[1; 32], t0()).await.unwrap(), vec![1; 32]);
    assert_eq!(tx.server_secret("jwt", &[2; 32], t0()).await.unwrap(), vec![1; 32]);
}

pub async fn a_dropped_transaction_leaves_nothing(store: &dyn Store) {
    let a = company(store, "alpha").await;
    let v = vessel(a.id, "Ghost", None);
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    tx.insert_vessel(&v).await.unwrap();
    drop(tx);
    let mut tx = store.begin(Some(a.id)).await.unwrap();
    assert!(tx.vessel(a.id, v.id).await.unwrap().is_none());
}

pub async fn a_read_transaction_sees_one_snapshot_of_committed_data_and_cannot_write(store: &dyn Store) {
    let a = company(store, "alpha").await;
    let b = company(store, "beta").await;
    let committed = vessel(a.id, "Committed", None);
    add_vessel(store, &committed).await;
    let theirs = vessel(b.id, "Theirs", None);
    add_vessel(store, &theirs).await;

    // A write in progress does not hold readers up, and is not seen before it commits.
    let pending = vessel(a.id, "Pending", None);
    let mut writing = store.begin(Some(a.id)).await.unwrap();
    writing.insert_vessel(&pending).await.unwrap();
    let mut reading = store.begin_read(Some(a.id)).await.unwrap();
    assert!(reading.vessel(a.id, committed.id).await.unwrap().is_some());
    assert!(reading.vessel(a.id, pending.id).await.unwrap().is_none());

    // Committed meanwhile, it stays out of the open snapshot, and is in the next one.
    writing.commit().await.unwrap();
    assert!(reading.vessel(a.id, pending.id).await.unwrap().is_none());
    drop(reading);
    let mut reading = store.begin_read(Some(a.id)).await.unwrap();
    assert!(reading.vessel(a.id, pending.id).await.unwrap().is_some());

    // Scoped like a write transaction: another company's rows are not found.
    assert!(matches!(reading.vessel(b.id, theirs.id).await, Err(StoreError::NotFound)));

    // A write fails and leaves nothing.
    let refused = vessel(a.id, "Refused", None);
    assert!(reading.insert_vessel(&refused).await.is_err());
    drop(reading);
    let mut reading = store.begin_read(Some(a.id)).await.unwrap();
    assert!(reading.vessel(a.id, refused.id).await.unwrap().is_none());
    reading.commit().await.unwrap();
}
