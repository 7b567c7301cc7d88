//! Compaction of the sync change log (`docs/SYNC.md` "Compaction"): devices that stopped at
//! any point of a scope's history catch up exactly after its old changes are folded, their
//! checksums pass, a new device's first sync is shorter, and conflicts are still found for
//! writes made against a version after the folded range.

use std::collections::BTreeMap;

use bosun_app::maintenance::faults::{AssignFault, CommentFault, SetFaultStatus};
use bosun_domain::fault::FaultStatus;
use bosun_domain::person::Role;
use bosun_domain::{Clock, CompanyId};
use serde_json::json;
use uuid::Uuid;

use crate::faults::{get, seeded_fault};
use crate::harness::TestApp;
use crate::permissions::acme;
use crate::sync_client::{Fate, Link, Net, client, joining, rows};
use bosun_app::fleet::equipment::DecommissionEquipment;
use bosun_app::fleet::vessels::RemoveVesselMember;
use bosun_app::sync::Pull;
use bosun_sync::client::{ClientState, SyncConfig, SyncEngine};
use std::num::NonZeroU32;
use std::sync::Arc;

/// Every change of `scope`, as (entity, row) → how many.
async fn changes_per_row(app: &TestApp, company: CompanyId, scope: &str) -> BTreeMap<(String, Uuid), usize> {
    let mut tx = app.app.store.begin_read(Some(company)).await.expect("a read");
    let mut out = BTreeMap::new();
    let mut after = 0;
    loop {
        let page = tx.changes_since(company, scope, after, 1_000).await.expect("changes");
        let Some((last, _)) = page.last() else { return out };
        after = *last;
        for (_, c) in page {
            *out.entry((c.entity.to_owned(), c.row_id)).or_default() += 1;
        }
    }
}

async fn devices_anywhere_in_the_history_catch_up_exactly_after_compaction(app: TestApp) {
    let w = acme(&app).await;
    let company = w.fixture.company.id;
    let owner = app.owner_actor(&w.fixture);
    let (engineer, crew) = (&w.people[&Role::Engineer], &w.people[&Role::Crew]);
    let scope = format!("vessel:{}", w.vessel);
    let a = &app.app;
    let first = seeded_fault(&app, &w, FaultStatus::Acknowledged).await;
    let second = seeded_fault(&app, &w, FaultStatus::Open).await;
    // An item whose decommissioning is written as a change of its status alone.
    let create = crate::permissions::new_equipment(bosun_domain::VesselId(w.vessel), "Spare compressor");
    let spare = a.mutate(&owner, create).await.expect("an item").item.id.0;
    // A device of each of two people at the start, one halfway, one at the end.
    let (early, early_crew) = (client(&app, engineer, 1), client(&app, crew, 2));
    for c in [&early, &early_crew] {
        assert!(!c.sync_once().await.expect("not syncing").is_failure());
    }
    let history = |round: usize| {
        let owner = owner.clone();
        async move {
            for (i, fault) in [first, second].into_iter().enumerate() {
                let body = format!("Round {round}, fault {i}: checked");
                a.mutate(&owner, CommentFault { fault_id: fault, body }).await.expect("a comment");
                for who in [engineer, crew, engineer] {
                    a.mutate(&owner, AssignFault { fault_id: fault, assignee_id: who.user_id })
                        .await
                        .expect("assigned");
                }
            }
            // The crew member leaves the vessel and comes back: their membership row goes and returns.
            a.mutate(&owner, RemoveVesselMember { vessel_id: bosun_domain::VesselId(w.vessel), user_id: crew.user_id })
                .await
                .expect("ashore");
            a.mutate(&owner, joining(bosun_domain::VesselId(w.vessel), crew.user_id)).await.expect("on board");
        }
    };
    history(1).await;
    a.mutate(&owner, SetFaultStatus { fault_id: first, status: FaultStatus::InProgress }).await.expect("moved");
    let halfway = client(&app, engineer, 3);
    assert!(!halfway.sync_once().await.expect("not syncing").is_failure());
    history(2).await;
    let retire = DecommissionEquipment { equipment_id: bosun_domain::EquipmentId(spare) };
    a.mutate(&owner, retire).await.expect("decommissioned");
    a.mutate(&owner, SetFaultStatus { fault_id: first, status: FaultStatus::AwaitingParts }).await.expect("moved");
    let late = client(&app, engineer, 4);
    assert!(!late.sync_once().await.expect("not syncing").is_failure());
    let before = changes_per_row(&app, company, &scope).await;
    assert!(before.values().any(|n| *n > 1), "the history rewrote rows: {before:?}");

    // Nothing is old enough under the default horizon; everything is a day later.
    let now = app.clock.now();
    let none = a.compact_sync_log(company, now - chrono::Duration::days(90), None).await.expect("compacted");
    assert_eq!((none.rewritten, none.deleted), (0, 0));
    let done = a.compact_sync_log(company, now + chrono::Duration::days(1), None).await.expect("compacted");
    assert!(done.deleted > 0 && done.rewritten > 0, "{done:?}");
    let after = changes_per_row(&app, company, &scope).await;
    assert_eq!(after.keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>(), "every row keeps a change");
    assert!(after.values().all(|n| *n == 1), "one change a row: {after:?}");
    let again = a.compact_sync_log(company, now + chrono::Duration::days(1), None).await.expect("compacted");
    assert_eq!(again, Default::default(), "a scope folded that far is skipped");

    // Every device, wherever it stopped, catches up exactly: checksums pass and its replica is
    // what a new device pulls.
    for (c, who, n) in
        [(&early, engineer, 11), (&early_crew, crew, 12), (&halfway, engineer, 13), (&late, engineer, 14)]
    {
        let report = c.sync_once().await.expect("not syncing");
        assert_eq!((report.failure.clone(), report.mismatched), (None, 0), "{report:?}");
        let fresh = client(&app, who, n);
        assert!(!fresh.sync_once().await.expect("not syncing").is_failure());
        assert_eq!(rows(c, &scope), rows(&fresh, &scope), "device {n} caught up exactly");
    }
    let held = rows(&early, &scope);
    let comments = held.keys().filter(|(e, _)| e == "fault_comment").count();
    assert_eq!(comments, 4);
    let status = &held[&("fault".to_owned(), first.0)].1["status"];
    assert_eq!(status, "awaiting_parts");
    let item = &held[&("equipment".to_owned(), spare)].1;
    assert_eq!((&item["status"], &item["name"]), (&json!("decommissioned"), &json!("Spare compressor")), "{item}");

    // A write against a version after the folded range still meets the write it missed.
    let version = held[&("fault".to_owned(), second.0)].0;
    a.mutate(&owner, AssignFault { fault_id: second, assignee_id: crew.user_id }).await.expect("assigned");
    let stale = client(&app, engineer, 15);
    assert!(!stale.sync_once().await.expect("not syncing").is_failure());
    let args = json!({ "fault_id": second, "assignee_id": engineer.user_id });
    stale.enqueue("assign_fault.v1", args, Some(version), 1).expect("queued");
    assert!(!stale.sync_once().await.expect("not syncing").is_failure());
    let listed = get(&app, &w.fixture.owner, "/api/v1/sync/conflicts?state=all").await;
    let on_second = listed["items"].as_array().expect("items").iter().filter(|c| c["row_id"] == json!(second)).count();
    assert_eq!(on_second, 1, "{listed}");
}

async fn a_device_away_longer_than_deletes_are_kept_walks_that_scope_again_resumably(app: TestApp) {
    let w = acme(&app).await;
    let company = w.fixture.company.id;
    let owner = app.owner_actor(&w.fixture);
    let crew = &w.people[&Role::Crew];
    let vessel = bosun_domain::VesselId(w.vessel);
    let scope = format!("vessel:{vessel}");
    let a = &app.app;
    let fault = seeded_fault(&app, &w, FaultStatus::Acknowledged).await;
    for i in 0..30 {
        let body = format!("Watch {i}: bilge dry, no change at the seal");
        a.mutate(&owner, CommentFault { fault_id: fault, body }).await.expect("a comment");
    }
    // The owner's device, through a network that will lose answers, pulling small pages.
    let net = Net::scripted(Vec::new());
    let device = |state| {
        let link = Link::http_through(&app, &w.fixture.owner, Arc::clone(&net));
        let config = SyncConfig { verify: true, max_pull_bytes: Some(2_048), ..SyncConfig::new(NonZeroU32::MIN) };
        SyncEngine::new(link, state, config)
    };
    let away = device(ClientState::new(Uuid::now_v7()));
    assert!(!away.sync_once().await.expect("not syncing").is_failure());
    let member = ("vessel_member".to_owned(), crew.user_id.0);
    assert!(rows(&away, &scope).contains_key(&member), "the device holds the crew member's place on board");

    // While it is away the crew member leaves; much later the log is compacted and the delete
    // dropped, so the device can no longer learn of it from the log.
    a.mutate(&owner, CommentFault { fault_id: fault, body: "Handed over".into() }).await.expect("a comment");
    // The scope's last change is the delete, so nothing after it is left once it is dropped.
    a.mutate(&owner, RemoveVesselMember { vessel_id: vessel, user_id: crew.user_id }).await.expect("ashore");
    let later = client(&app, &w.fixture.owner, 2);
    assert!(!later.sync_once().await.expect("not syncing").is_failure());
    let cut = app.clock.now() + chrono::Duration::days(1);
    let done = a.compact_sync_log(company, cut, Some(cut)).await.expect("compacted");
    assert!(done.tombstones >= 1, "{done:?}");

    // Only that scope is walked again: the company's continues from where it was.
    let owner_actor = crate::faults::actor(company, &w.fixture.owner, Role::Owner);
    let pull = |cookie: Option<String>| Pull {
        client_id: None,
        cookie,
        max_bytes: Some(262_144),
        verify: false,
        repair: Vec::new(),
        buckets: BTreeMap::new(),
        schema_version: None,
    };
    let peek = a.sync_pull(&owner_actor, pull(away.read(|s| s.cookie().map(str::to_owned)))).await.expect("a pull");
    let walked: Vec<(String, bool)> = peek.resets.into_iter().map(|(s, r)| (s, r.done)).collect();
    assert_eq!(walked, [(scope.clone(), true)]);
    let current = a.sync_pull(&owner_actor, pull(later.read(|s| s.cookie().map(str::to_owned)))).await.expect("a pull");
    assert!(current.resets.is_empty(), "a device past the horizon is not walked again");

    // The walk spans pages; answers lost on the way resume it where it was.
    net.lock().expect("the network").faulty = true;
    net.lock().expect("the network").script =
        Some([Fate::Delivered, Fate::AnswerLost, Fate::Delivered, Fate::AnswerLost].into());
    let mut versions = rows(&away, &scope);
    let mut resets = 0;
    for cycle in 0.. {
        assert!(cycle < 6, "the walk never ended");
        let report = away.sync_once().await.expect("not syncing");
        resets += report.scope_resets;
        for (key, (version, _)) in rows(&away, &scope) {
            if let Some((before, _)) = versions.get(&key) {
                assert!(version >= *before, "{key:?} went back from {before} to {version}");
            }
        }
        versions = rows(&away, &scope);
        assert!(versions.len() >= 30, "rows stay shown during the walk");
        if !report.is_failure() && away.read(|s| s.resetting().count() == 0) {
            assert_eq!(report.mismatched, 0, "{report:?}");
            break;
        }
    }
    assert_eq!(resets, 1, "one walk, resumed rather than restarted");
    let next = away.sync_once().await.expect("not syncing");
    assert_eq!((next.scope_resets, next.failure.clone()), (0, None), "a walk that ended is not begun again");
    assert!(!rows(&away, &scope).contains_key(&member), "the dropped delete took effect");
    let fresh = client(&app, &w.fixture.owner, 3);
    assert!(!fresh.sync_once().await.expect("not syncing").is_failure());
    assert_eq!(rows(&away, &scope), rows(&fresh, &scope));
}

crate::on_both_backends!(
    devices_anywhere_in_the_history_catch_up_exactly_after_compaction,
    a_device_away_longer_than_deletes_are_kept_walks_that_scope_again_resumably,
);
