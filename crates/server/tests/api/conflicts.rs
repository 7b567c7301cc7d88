//! Per-field conflicts of pushed mutations (`docs/SYNC.md` "Conflicts"): the greater clock wins
//! a field and the other value is kept; status fields move forward only; an item
//! decommissioned meanwhile keeps the edit as conflicts; the records sync, are listed, and are
//! resolved once by an ordinary write, audited.

use bosun_app::conflicts::{format_hlc, hlc_at};
use bosun_domain::Clock;
use bosun_domain::fault::FaultStatus;
use bosun_domain::person::Role;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::faults::{get, ok_json, seeded_fault, send};
use crate::harness::{Session, TestApp, assert_problem};
use crate::permissions::{Acme, acme};
use crate::sync::{pull_all, push};

/// A clock an hour before the server's now (loses to every write made since), and one just
/// after it (wins against them).
fn clocks(app: &TestApp) -> (String, String) {
    let now = app.clock.now();
    (format_hlc(hlc_at(now - chrono::Duration::hours(1))), format_hlc(hlc_at(now) + 1))
}

/// One queued mutation made against `base`.
fn queued(id: i64, name: &str, args: Value, hlc: &str, base: i64) -> Value {
    json!({ "id": id, "name": name, "args": args, "hlc": hlc, "base_version": base })
}

/// A batch of that one mutation.
fn one(id: i64, name: &str, args: Value, hlc: &str, base: i64) -> Value {
    json!([queued(id, name, args, hlc, base)])
}

async fn conflicts(app: &TestApp, who: &Session, query: &str) -> Vec<Value> {
    let page = get(app, who, &format!("/api/v1/sync/conflicts{query}")).await;
    page["items"].as_array().expect("items").clone()
}

/// A conflict on the assignee of `fault` (unresolved): `online` assigned through the route
/// after `owner` had assigned `offline` on a device (an older clock, so it lost).
pub(crate) async fn conflict_on(app: &TestApp, owner: &Session, fault: Uuid, online: Uuid, offline: Uuid) -> Uuid {
    let path = format!("/api/v1/faults/{fault}");
    let base = get(app, owner, &path).await["version"].as_i64().expect("a version");
    ok_json(send(app, owner, Method::POST, &format!("{path}/assign"), json!({ "assignee_id": online })).await, 200)
        .await;
    let args = json!({ "fault_id": fault, "assignee_id": offline });
    let answer = push(app, owner, Uuid::now_v7(), one(1, "assign_fault.v1", args, &clocks(app).0, base)).await;
    answer["conflicts"][0].as_str().and_then(|id| Uuid::parse_str(id).ok()).expect("a conflict")
}

/// A conflict on a fault's assignee of "Northern Star".
pub(crate) async fn fault_conflict(app: &TestApp, w: &Acme) -> Uuid {
    let fault = seeded_fault(app, w, FaultStatus::Acknowledged).await;
    let (engineer, manager) = (w.people[&Role::Engineer].user_id.0, w.people[&Role::Manager].user_id.0);
    conflict_on(app, &w.fixture.owner, fault.0, engineer, manager).await
}

async fn the_greater_clock_wins_a_field_and_the_other_value_is_kept(app: TestApp) {
    let w = acme(&app).await;
    let (owner, engineer, manager) = (&w.fixture.owner, &w.people[&Role::Engineer], &w.people[&Role::Manager]);
    let (old, new) = clocks(&app);
    let fault = seeded_fault(&app, &w, FaultStatus::Acknowledged).await;
    let path = format!("/api/v1/faults/{fault}");
    let base = get(&app, owner, &path).await["version"].as_i64().expect("a version");

    // Online, the owner hands the fault to the engineer; offline, the manager had handed it to
    // the chief engineer (older clock), and another device of the engineer to the manager (newer).
    let assign = json!({ "assignee_id": engineer.user_id });
    ok_json(send(&app, owner, Method::POST, &format!("{path}/assign"), assign).await, 200).await;
    let args = |who: &Session| json!({ "fault_id": fault, "assignee_id": who.user_id });
    let lost = push(&app, manager, Uuid::now_v7(), one(1, "assign_fault.v1", args(manager), &old, base)).await;
    assert_eq!(lost["applied"], json!([1]), "a conflict is applied, not rejected: {lost}");
    assert_eq!(lost["conflicts"].as_array().map(Vec::len), Some(1), "{lost}");
    assert_eq!(get(&app, owner, &path).await["assignee_id"], json!(engineer.user_id), "the newer value stays");

    let won = push(&app, engineer, Uuid::now_v7(), one(1, "assign_fault.v1", args(manager), &new, base)).await;
    assert_eq!(won["conflicts"].as_array().map(Vec::len), Some(1), "{won}");
    assert_eq!(get(&app, owner, &path).await["assignee_id"], json!(manager.user_id), "the newer clock wins");

    let open = conflicts(&app, owner, &format!("?scope=vessel:{}", w.vessel)).await;
    assert_eq!(open.len(), 2, "{open:?}");
    let (first, second) = (&open[0], &open[1]);
    assert_eq!((first["id"].clone(), first["field"].as_str()), (lost["conflicts"][0].clone(), Some("assignee_id")));
    assert_eq!((first["mutation_side"].as_str(), first["state"].as_str()), (Some("loser"), Some("open")));
    assert_eq!((&first["winner"], &first["loser"]), (&json!(engineer.user_id), &json!(manager.user_id)));
    assert_eq!(first["other_client_id"], Value::Null, "the winner was written online");
    assert_eq!(second["mutation_side"], "winner");
    assert_eq!((&second["winner"], &second["loser"]), (&json!(manager.user_id), &json!(engineer.user_id)));

    // The records reach everyone on the vessel through the pull, crew included.
    let (changes, _) = pull_all(&app, &w.people[&Role::Crew], None, 131_072).await;
    let synced: Vec<&Value> = changes.iter().filter(|(_, c)| c["entity"] == "sync_conflict").map(|(_, c)| c).collect();
    assert_eq!(synced.len(), 2, "{synced:?}");
    assert!(synced.iter().all(|c| c["fields"].get("mutation_args").is_none()), "arguments stay on the server");

    // Keeping the value that lost writes it back through the fault's own write, once.
    let resolve = |id: &Value| format!("/api/v1/sync/conflicts/{}/resolve", id.as_str().unwrap_or_default());
    let crew =
        send(&app, &w.people[&Role::Crew], Method::POST, &resolve(&first["id"]), json!({ "keep": "loser" })).await;
    assert_problem(crew, 403, "forbidden").await;
    let settled =
        ok_json(send(&app, owner, Method::POST, &resolve(&first["id"]), json!({ "keep": "loser" })).await, 200).await;
    assert_eq!((settled["state"].as_str(), settled["kept"].as_str()), (Some("resolved"), Some("loser")));
    assert_eq!(get(&app, owner, &path).await["assignee_id"], json!(manager.user_id));
    let twice = send(&app, owner, Method::POST, &resolve(&first["id"]), json!({ "keep": "winner" })).await;
    assert_problem(twice, 409, "conflict_resolved").await;
    // The other one, settled through a push: the same mutator.
    let keep = json!({ "conflict_id": second["id"], "keep": "winner" });
    let pushed =
        push(&app, owner, Uuid::now_v7(), json!([{ "id": 1, "name": "resolve_conflict.v1", "args": keep }])).await;
    assert_eq!(pushed["applied"], json!([1]), "{pushed}");
    assert!(conflicts(&app, owner, "").await.is_empty(), "nothing open");
    assert_eq!(conflicts(&app, owner, "?state=resolved").await.len(), 2);

    let audit = get(&app, owner, "/api/v1/audit?action=sync.conflict").await;
    assert_eq!(audit["items"].as_array().map(Vec::len), Some(2), "{audit}");
    let audit = get(&app, owner, "/api/v1/audit?action=sync.conflict.resolve").await;
    assert_eq!(audit["items"].as_array().map(Vec::len), Some(2), "{audit}");
}

async fn a_stale_offline_status_move_never_takes_a_fault_back(app: TestApp) {
    let w = acme(&app).await;
    let (owner, engineer) = (&w.fixture.owner, &w.people[&Role::Engineer]);
    let (old, new) = clocks(&app);
    let fault = seeded_fault(&app, &w, FaultStatus::Acknowledged).await;
    let path = format!("/api/v1/faults/{fault}");
    let base = get(&app, owner, &path).await["version"].as_i64().expect("a version");
    let resolve = json!({ "root_cause": "Worn seal", "resolution": "Seal renewed" });
    ok_json(send(&app, owner, Method::PUT, &format!("{path}/resolve"), resolve).await, 200).await;

    // Offline, before the resolution reached the device: start work, then reopen. Even with a
    // newer clock neither takes the resolved fault back; both are kept.
    let client = Uuid::now_v7();
    let start = json!({ "fault_id": fault, "status": "in_progress" });
    let reopen = json!({ "fault_id": fault, "status": "open" });
    let batch = json!([
        queued(1, "set_fault_status.v1", start, &new, base),
        queued(2, "set_fault_status.v1", reopen.clone(), &new, base),
    ]);
    let answer = push(&app, engineer, client, batch).await;
    assert_eq!((answer["applied"].clone(), answer["conflicts"].as_array().map(Vec::len)), (json!([1, 2]), Some(2)));
    let now = get(&app, owner, &path).await;
    assert_eq!(now["status"], "resolved");
    let kept = conflicts(&app, owner, "").await;
    let losers: Vec<(&str, &str)> =
        kept.iter().map(|c| (c["loser"].as_str().unwrap_or(""), c["mutation_side"].as_str().unwrap_or(""))).collect();
    assert_eq!(losers, [("in_progress", "loser"), ("open", "loser")]);

    // A reopen made after seeing the resolution is an ordinary, deliberate move.
    let seen = now["version"].as_i64().expect("a version");
    let again = push(&app, engineer, client, one(3, "set_fault_status.v1", reopen, &old, seen)).await;
    assert_eq!((again["applied"].clone(), again["conflicts"].clone()), (json!([3]), json!([])));
    assert_eq!(get(&app, owner, &path).await["status"], "open");
}

async fn an_item_edit_merges_by_field_and_loses_to_a_decommission(app: TestApp) {
    let w = acme(&app).await;
    let (owner, engineer) = (&w.fixture.owner, &w.people[&Role::Engineer]);
    let (old, new) = clocks(&app);
    let item = Uuid::now_v7();
    let fields = json!({ "level": "system", "area": "engine_room", "name": "Main engine", "maker": "MAN" });
    let created = json!({ "id": item, "vessel_id": w.vessel, "fields": fields });
    push(&app, owner, Uuid::now_v7(), json!([{ "id": 1, "name": "create_equipment.v1", "args": created }])).await;
    let path = format!("/api/v1/equipment/{item}");
    let base = get(&app, owner, &path).await["version"].as_i64().expect("a version");

    // Online: renamed. Offline, against the version before: the maker changed, the old name sent
    // along unchanged. Both edits stand, with no conflict.
    let renamed = json!({ "level": "system", "area": "engine_room", "name": "Main engine 1", "maker": "MAN" });
    ok_json(send(&app, owner, Method::PUT, &path, renamed).await, 200).await;
    let client = Uuid::now_v7();
    let maker = json!({ "equipment_id": item, "fields": { "level": "system", "area": "engine_room", "name": "Main engine", "maker": "MAN Energy" } });
    let merged = push(&app, engineer, client, one(1, "update_equipment.v1", maker, &old, base)).await;
    assert_eq!((merged["applied"].clone(), merged["conflicts"].clone()), (json!([1]), json!([])), "{merged}");
    let now = get(&app, owner, &path).await;
    assert_eq!((now["name"].as_str(), now["maker"].as_str()), (Some("Main engine 1"), Some("MAN Energy")));

    // The same field changed on both sides: the newer clock wins it, the other value is kept.
    // The maker this device sent is the one it had read: not its change, so not written.
    let name = json!({ "equipment_id": item, "fields": { "level": "system", "area": "engine_room", "name": "ME", "maker": "MAN" } });
    let clash =
        push(&app, &w.people[&Role::Manager], Uuid::now_v7(), one(1, "update_equipment.v1", name, &new, base)).await;
    assert_eq!(clash["conflicts"].as_array().map(Vec::len), Some(1), "{clash}");
    let now = get(&app, owner, &path).await;
    assert_eq!((now["name"].as_str(), now["maker"].as_str()), (Some("ME"), Some("MAN Energy")));
    let named = conflicts(&app, owner, "").await;
    assert_eq!((named[0]["field"].as_str(), named[0]["loser"].as_str()), (Some("name"), Some("Main engine 1")));

    // Decommissioned online; an edit made before that is kept as conflicts, not applied.
    let gone = send(&app, owner, Method::POST, &format!("{path}/decommission"), json!({})).await;
    ok_json(gone, 200).await;
    let late = json!({ "equipment_id": item, "fields": { "level": "system", "area": "engine_room", "name": "ME", "maker": "Wärtsilä" } });
    let seen = now["version"].as_i64().expect("a version");
    let kept = push(&app, engineer, client, one(2, "update_equipment.v1", late, &new, seen)).await;
    assert_eq!((kept["applied"].clone(), kept["conflicts"].as_array().map(Vec::len)), (json!([2]), Some(1)), "{kept}");
    let now = get(&app, owner, &path).await;
    assert_eq!((now["status"].as_str(), now["maker"].as_str()), (Some("decommissioned"), Some("MAN Energy")));
    let last = conflicts(&app, owner, "").await.pop().expect("a conflict");
    assert_eq!((last["field"].as_str(), last["loser"].as_str()), (Some("maker"), Some("Wärtsilä")));
    // Made after the decommission was seen, the same edit is an ordinary refusal.
    let after = get(&app, owner, &path).await["version"].as_i64().expect("a version");
    let late = json!({ "equipment_id": item, "fields": { "level": "system", "area": "engine_room", "name": "ME", "maker": "B&W" } });
    let refused = push(&app, engineer, client, one(3, "update_equipment.v1", late, &new, after)).await;
    assert_eq!(refused["rejected"][0]["code"], "decommissioned", "{refused}");
}

async fn a_conflict_is_listed_only_to_those_who_reach_its_vessel(app: TestApp) {
    let w = acme(&app).await;
    let (owner, manager) = (&w.fixture.owner, &w.people[&Role::Manager]);
    let (old, _) = clocks(&app);
    let fault = seeded_fault(&app, &w, FaultStatus::Acknowledged).await;
    let path = format!("/api/v1/faults/{fault}");
    let base = get(&app, owner, &path).await["version"].as_i64().expect("a version");
    let assign = json!({ "assignee_id": w.people[&Role::Engineer].user_id });
    ok_json(send(&app, owner, Method::POST, &format!("{path}/assign"), assign).await, 200).await;
    let args = json!({ "fault_id": fault, "assignee_id": manager.user_id });
    push(&app, manager, Uuid::now_v7(), one(1, "assign_fault.v1", args, &old, base)).await;
    let id = conflicts(&app, owner, "").await[0]["id"].clone();

    // Someone of the company who is on no rotation of that vessel neither sees nor settles it.
    let ashore = app.person_in(&w.fixture.company, "ashore@acme.example", Role::Engineer).await;
    assert!(conflicts(&app, &ashore, "").await.is_empty());
    let res = send(
        &app,
        &ashore,
        Method::POST,
        &format!("/api/v1/sync/conflicts/{}/resolve", id.as_str().unwrap_or_default()),
        json!({ "keep": "winner" }),
    )
    .await;
    assert_problem(res, 404, "not_found").await;
    let bad = app.as_(owner, Method::GET, "/api/v1/sync/conflicts?state=maybe").send().await.expect("request");
    assert_problem(bad, 422, "validation_failed").await;
    let bad = app.as_(owner, Method::GET, "/api/v1/sync/conflicts?scope=ship:1").send().await.expect("request");
    assert_problem(bad, 422, "validation_failed").await;
}

/// Two resolutions of one fault: the status is resolved either way; the root cause and the
/// resolution go by clock, the other texts kept as conflicts.
async fn two_resolutions_of_one_fault_keep_both_texts(app: TestApp) {
    let w = acme(&app).await;
    let owner = &w.fixture.owner;
    let (old, new) = clocks(&app);
    for (clock, device_wins) in [(&new, true), (&old, false)] {
        let fault = seeded_fault(&app, &w, FaultStatus::InProgress).await;
        let path = format!("/api/v1/faults/{fault}");
        let base = get(&app, owner, &path).await["version"].as_i64().expect("a version");
        let online = json!({ "root_cause": "Worn seal", "resolution": "Seal replaced" });
        ok_json(send(&app, owner, Method::PUT, &format!("{path}/resolve"), online).await, 200).await;
        let args = json!({ "fault_id": fault, "root_cause": "Misaligned shaft", "resolution": "Shaft realigned" });
        let answer = push(&app, owner, Uuid::now_v7(), one(1, "resolve_fault.v1", args, clock, base)).await;
        assert_eq!(answer["conflicts"].as_array().map(Vec::len), Some(2), "{answer}");
        let stored = get(&app, owner, &path).await;
        let expected = if device_wins { "Misaligned shaft" } else { "Worn seal" };
        assert_eq!((&stored["status"], &stored["root_cause"]), (&json!("resolved"), &json!(expected)), "{stored}");
    }
}

/// A vessel edited offline and online at once: each field goes by its own writes, the one both
/// changed by clock with the other value kept.
async fn a_vessel_edit_merges_by_field(app: TestApp) {
    let w = acme(&app).await;
    let owner = &w.fixture.owner;
    let (old, _) = clocks(&app);
    let path = format!("/api/v1/vessels/{}", w.vessel);
    let before = get(&app, owner, &path).await;
    let base = before["version"].as_i64().expect("a version");
    let fields = |name: &str, vessel_type: &Value| {
        json!({ "kind": before["kind"], "name": name, "vessel_type": vessel_type, "imo": before["imo"],
            "specs": before["specs"] })
    };
    let online = fields("Northern Star II", &before["vessel_type"]);
    ok_json(send(&app, owner, Method::PUT, &path, online).await, 200).await;
    let offline = json!({ "vessel_id": w.vessel, "fields": fields("North Star", &json!("Tug")) });
    let answer = push(&app, owner, Uuid::now_v7(), one(1, "update_vessel.v1", offline, &old, base)).await;
    assert_eq!(answer["conflicts"].as_array().map(Vec::len), Some(1), "{answer}");
    let after = get(&app, owner, &path).await;
    assert_eq!((&after["name"], &after["vessel_type"]), (&json!("Northern Star II"), &json!("Tug")), "{after}");
    let kept = conflicts(&app, owner, "").await;
    assert_eq!((&kept[0]["field"], &kept[0]["loser"]), (&json!("name"), &json!("North Star")));

    // Keeping the other value writes it through `update_vessel.v1`, the rest of the row as it is.
    let settled = keep_loser(&app, owner, &kept[0]["id"]).await;
    assert_eq!(settled["kept"], "loser");
    let after = get(&app, owner, &path).await;
    assert_eq!((&after["name"], &after["vessel_type"]), (&json!("North Star"), &json!("Tug")), "{after}");
}

/// A person's record edited by two admins at once, one offline: each field given goes by its
/// own writes; the conflict is shown only to those who read the people directory.
async fn a_person_edit_merges_by_field(app: TestApp) {
    let w = acme(&app).await;
    let (owner, crew) = (&w.fixture.owner, &w.people[&Role::Crew]);
    let (old, _) = clocks(&app);
    let path = format!("/api/v1/users/{}", crew.user_id);
    let person = |page: &Value| {
        page["items"].as_array().and_then(|i| i.iter().find(|p| p["id"] == json!(crew.user_id)).cloned())
    };
    let before = person(&get(&app, owner, "/api/v1/users?limit=200").await).expect("listed");
    let base = before["version"].as_i64().expect("a version");
    ok_json(send(&app, owner, Method::PUT, &path, json!({ "role": "engineer" })).await, 200).await;
    // Offline, the same role field and the trade; the name is given as it was.
    let offline = json!({ "user_id": crew.user_id, "role": "viewer", "specialisation": "electrical",
        "name": before["name"] });
    let answer = push(&app, owner, Uuid::now_v7(), one(1, "update_person.v1", offline, &old, base)).await;
    assert_eq!(answer["conflicts"].as_array().map(Vec::len), Some(1), "{answer}");
    let after = person(&get(&app, owner, "/api/v1/users?limit=200").await).expect("listed");
    assert_eq!((&after["role"], &after["specialisation"]), (&json!("engineer"), &json!("electrical")), "{after}");
    let kept = conflicts(&app, owner, "").await;
    assert_eq!(
        (&kept[0]["entity"], &kept[0]["field"], &kept[0]["loser"]),
        (&json!("membership"), &json!("role"), &json!("viewer"))
    );
    // Crew do not read the people directory, nor its conflicts.
    assert!(conflicts(&app, &w.people[&Role::Engineer], "").await.is_empty());
    keep_loser(&app, owner, &kept[0]["id"]).await;
    let settled = person(&get(&app, owner, "/api/v1/users?limit=200").await).expect("listed");
    assert_eq!(settled["role"], "viewer", "{settled}");
}

/// Resolves conflict `id` keeping its losing value; answers the settled record.
async fn keep_loser(app: &TestApp, who: &Session, id: &Value) -> Value {
    let path = format!("/api/v1/sync/conflicts/{}/resolve", id.as_str().unwrap_or_default());
    ok_json(send(app, who, Method::POST, &path, json!({ "keep": "loser" })).await, 200).await
}

/// The company's branding edited offline and online at once: merged by field, the field both
/// changed by clock with the other value kept, listed to those who reach the company scope,
/// and resolvable by writing it back.
async fn a_branding_edit_merges_by_field(app: TestApp) {
    let w = acme(&app).await;
    let owner = &w.fixture.owner;
    let (old, _) = clocks(&app);
    let company = w.fixture.company.id;
    let base = get(&app, owner, "/api/v1/me").await["company"]["version"].as_i64().expect("a version");
    let branding = |name: &str, color: &str| json!({ "display_name": name, "primary_color": color });
    let online = branding("Acme Marine", "#0a3d62");
    let branding_path = format!("/api/v1/companies/{company}/branding");
    ok_json(send(&app, owner, Method::PUT, &branding_path, online).await, 200).await;
    let offline = json!({ "company_id": company, "branding": branding("Acme Shipping", "#aa0000") });
    let answer = push(&app, owner, Uuid::now_v7(), one(1, "update_branding.v1", offline, &old, base)).await;
    assert_eq!(answer["applied"], json!([1]), "{answer}");
    assert_eq!(answer["conflicts"].as_array().map(Vec::len), Some(2), "both fields were changed online: {answer}");
    let me = get(&app, owner, "/api/v1/me").await;
    let now = &me["company"]["branding"];
    assert_eq!((&now["display_name"], &now["primary_color"]), (&json!("Acme Marine"), &json!("#0a3d62")), "{me}");
    let kept = conflicts(&app, owner, &format!("?scope=company:{company}")).await;
    let colour = kept.iter().find(|c| c["field"] == "primary_color").expect("a conflict on the colour");
    assert_eq!((&colour["entity"], &colour["loser"]), (&json!("company"), &json!("#aa0000")));
    // Crew may not change branding, so they may not settle its conflicts.
    let crew = &w.people[&Role::Crew];
    let path = format!("/api/v1/sync/conflicts/{}/resolve", colour["id"].as_str().unwrap_or_default());
    assert_problem(send(&app, crew, Method::POST, &path, json!({ "keep": "loser" })).await, 403, "forbidden").await;
    keep_loser(&app, owner, &colour["id"]).await;
    let now = get(&app, owner, "/api/v1/me").await["company"]["branding"].clone();
    assert_eq!((&now["display_name"], &now["primary_color"]), (&json!("Acme Marine"), &json!("#aa0000")), "{now}");
}

/// A handover draft saved offline on two of its author's devices: the later clock's notes are
/// stored, the other device's kept as a conflict that only the author sees.
async fn a_draft_saved_on_two_devices_keeps_both_and_only_its_author_sees_the_conflict(app: TestApp) {
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let (old, new) = clocks(&app);
    let notes = |text: &str| json!({ "vessel_id": w.vessel, "notes": text });
    let first = push(
        &app,
        engineer,
        Uuid::now_v7(),
        json!([{ "id": 1, "name": "save_handover_notes.v1",
        "args": notes("Shaft seal weeping, watch it") }]),
    )
    .await;
    assert_eq!(first["applied"], json!([1]), "{first}");
    let (changes, _) = pull_all(&app, engineer, None, 262_144).await;
    let base = changes
        .iter()
        .rev()
        .find(|(_, c)| c["entity"] == "handover_draft")
        .and_then(|(_, c)| c["seq"].as_i64())
        .expect("the draft synced to its author");
    // Both devices edit the notes from that version; the laptop's clock is the later one.
    let (phone, laptop) = (Uuid::now_v7(), Uuid::now_v7());
    let from_phone =
        push(&app, engineer, phone, one(1, "save_handover_notes.v1", notes("Seal replaced"), &old, base)).await;
    assert_eq!(from_phone["applied"], json!([1]), "{from_phone}");
    let from_laptop = push(
        &app,
        engineer,
        laptop,
        one(1, "save_handover_notes.v1", notes("Seal replaced, run 2 h, dry"), &new, base),
    )
    .await;
    assert_eq!(from_laptop["conflicts"].as_array().map(Vec::len), Some(1), "{from_laptop}");
    let mine = conflicts(&app, engineer, "").await;
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(
        (&mine[0]["entity"], &mine[0]["field"], &mine[0]["winner"], &mine[0]["loser"]),
        (&json!("handover_draft"), &json!("notes"), &json!("Seal replaced, run 2 h, dry"), &json!("Seal replaced"))
    );
    // Nobody else sees it, in the list or in a pull, the owner included.
    assert!(conflicts(&app, &w.fixture.owner, "").await.is_empty());
    let (theirs, _) = pull_all(&app, &w.fixture.owner, None, 262_144).await;
    assert!(!theirs.iter().any(|(_, c)| c["entity"] == "sync_conflict"), "the owner pulled the author's conflict");
    // The author keeps the phone's notes after all.
    keep_loser(&app, engineer, &mine[0]["id"]).await;
    let draft = get(&app, engineer, &format!("/api/v1/handovers/current?vessel_id={}", w.vessel)).await;
    assert_eq!(draft["notes"], "Seal replaced", "{draft}");
}

crate::on_both_backends!(
    the_greater_clock_wins_a_field_and_the_other_value_is_kept,
    a_stale_offline_status_move_never_takes_a_fault_back,
    an_item_edit_merges_by_field_and_loses_to_a_decommission,
    a_conflict_is_listed_only_to_those_who_reach_its_vessel,
    a_draft_saved_on_two_devices_keeps_both_and_only_its_author_sees_the_conflict,
    two_resolutions_of_one_fault_keep_both_texts,
    a_vessel_edit_merges_by_field,
    a_branding_edit_merges_by_field,
    a_person_edit_merges_by_field,
);
