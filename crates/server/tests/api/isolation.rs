//! Tenant isolation: company B's owner, the most powerful role there is, calls every route that
//! takes an id with company A's ids and every verb, and learns nothing and changes nothing.
//! Driven from the OpenAPI document, so a new route with an id is covered or fails loudly.

use std::collections::BTreeSet;

use bosun_domain::person::Role;
use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::faults;
use crate::harness::{Session, TestApp, assert_problem};
use crate::permissions::{Acme, acme_with_records, api_routes};
use crate::work_orders::Stage;

/// Verbs tried on every path, documented or not.
const VERBS: [Method; 5] = [Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE];

/// What of A must never reach B: ids, names, emails.
pub(crate) fn secrets_of(a: &Acme) -> Vec<String> {
    let mut s = vec![
        a.fixture.company.id.to_string(),
        a.vessel.to_string(),
        a.other_vessel.to_string(),
        a.department.to_string(),
        a.deckhand.user_id.to_string(),
        "acme".into(),
        "Northern Star".into(),
        "Southern Cross".into(),
        a.equipment.to_string(),
        a.equipment_code.clone(),
        "Main engine 1".into(),
    ];
    for id in a.attachments.values().chain([&a.records.equipment, &a.records.fault, &a.records.handover]) {
        s.push(id.to_string());
    }
    s.push("acme-photo".into());
    for p in a.people.values().chain([&a.deckhand]) {
        s.push(p.user_id.to_string());
        s.push(p.email.clone());
    }
    s
}

fn leaks<'a>(body: &str, secrets: &'a [String]) -> Vec<&'a str> {
    secrets.iter().filter(|s| body.to_lowercase().contains(&s.to_lowercase())).map(String::as_str).collect()
}

/// Valid requests for a documented `method template`, filled with `ids` (A's, or fresh ones);
/// `None` when nobody has written them yet.
fn requests_with_ids(
    app: &TestApp,
    who: &Session,
    method: &Method,
    template: &str,
    ids: &Ids,
) -> Option<Vec<RequestBuilder>> {
    let m = || method.clone();
    let at = |id: Uuid| template.replace("{id}", &id.to_string());
    let reqs = match (method.as_str(), template) {
        ("PUT", "/api/v1/companies/{id}/branding") => vec![
            app.as_(who, m(), &at(ids.company))
                .json(&json!({ "display_name": "Taken over", "logo_url": null, "primary_color": "#ff0000" })),
        ],
        ("GET", "/api/v1/vessels/{id}") => vec![app.as_(who, m(), &at(ids.vessel))],
        ("GET", "/api/v1/vessels/{id}/members") => vec![app.as_(who, m(), &at(ids.vessel))],
        ("PUT", "/api/v1/vessels/{id}") => vec![
            app.as_(who, m(), &at(ids.vessel)).json(&json!({ "kind": "vessel", "name": "Taken over" })),
            app.as_(who, m(), &at(ids.vessel)).json(&json!({ "kind": "vessel", "name": "Taken over", "version": 1 })),
        ],
        ("POST", "/api/v1/vessels/{id}/departments") => {
            vec![app.as_(who, m(), &at(ids.vessel)).json(&json!({ "name": "engine" }))]
        }
        ("POST", "/api/v1/vessels/{id}/join-rotation") => vec![
            app.as_(who, m(), &at(ids.vessel)).json(&json!({ "rotation_start": "2026-02-01" })),
            app.as_(who, m(), &at(ids.vessel)).json(&json!({
                "user_id": ids.user, "department_id": ids.department, "rotation_start": "2026-02-01",
            })),
        ],
        (
            "GET",
            "/api/v1/attachments/{id}" | "/api/v1/attachments/{id}/content" | "/api/v1/attachments/{id}/thumbnail",
        ) => {
            vec![app.as_(who, m(), &at(ids.attachment))]
        }
        ("GET", "/api/v1/equipment/by-vessel/{vesselId}") => {
            let list = template.replace("{vesselId}", &ids.vessel.to_string());
            vec![app.as_(who, m(), &list), app.as_(who, m(), &format!("{list}?view=tree"))]
        }
        ("GET", "/api/v1/equipment/{id}")
        | ("GET", "/api/v1/equipment/{id}/readings")
        | ("GET", "/api/v1/equipment/{id}/qr.svg")
        | ("PUT" | "DELETE", "/api/v1/equipment/{id}/meter-link")
        | ("POST", "/api/v1/equipment/{id}/decommission") => vec![app.as_(who, m(), &at(ids.equipment))],
        ("PUT", "/api/v1/equipment/{id}") => [None, Some(1)]
            .into_iter()
            .map(|version| {
                app.as_(who, m(), &at(ids.equipment))
                    .json(&json!({ "level": "system", "name": "Taken over", "area": "deck", "version": version }))
            })
            .collect(),
        ("POST", "/api/v1/equipment/{id}/readings") => vec![
            app.as_(who, m(), &at(ids.equipment)).json(&json!({ "hours": 99999 })),
            app.as_(who, m(), &at(ids.equipment)).json(&json!({ "hours": 0, "meter_replaced": true })),
        ],
        ("GET", "/api/v1/vessels/{id}/qr-labels") => vec![app.as_(who, m(), &at(ids.vessel))],
        ("POST", "/api/v1/vessels/{id}/equipment/import") => [true, false]
            .into_iter()
            .map(|dry_run| {
                app.as_(who, m(), &format!("{}?dry_run={dry_run}", at(ids.vessel)))
                    .header("content-type", "text/csv")
                    .body("name,level,area\nTaken over,system,deck\n")
            })
            .collect(),
        ("POST", "/api/v1/vessels/{id}/stock/import") => [true, false]
            .into_iter()
            .map(|dry_run| {
                app.as_(who, m(), &format!("{}?dry_run={dry_run}", at(ids.vessel)))
                    .header("content-type", "text/csv")
                    .body("number,location,on_hand\nBRAVO-1,Bravo store,1\n")
            })
            .collect(),
        ("GET", "/api/v1/faults/{id}") => vec![app.as_(who, m(), &at(ids.fault))],
        ("POST", "/api/v1/faults/{id}/acknowledge") => vec![app.as_(who, m(), &at(ids.fault))],
        ("POST", "/api/v1/sync/conflicts/{id}/resolve") => ["winner", "loser"]
            .into_iter()
            .map(|keep| app.as_(who, m(), &at(ids.conflict)).json(&json!({ "keep": keep })))
            .collect(),
        ("POST", "/api/v1/faults/{id}/assign") => [ids.user, who.user_id.0]
            .into_iter()
            .map(|u| app.as_(who, m(), &at(ids.fault)).json(&json!({ "assignee_id": u })))
            .collect(),
        ("POST", "/api/v1/faults/{id}/status") => ["in_progress", "closed", "open"]
            .into_iter()
            .map(|s| app.as_(who, m(), &at(ids.fault)).json(&json!({ "status": s })))
            .collect(),
        ("PUT", "/api/v1/faults/{id}/resolve") => vec![
            app.as_(who, m(), &at(ids.fault)).json(&json!({ "root_cause": "Taken over", "resolution": "Taken over" })),
        ],
        ("POST", "/api/v1/faults/{id}/comments") => {
            vec![app.as_(who, m(), &at(ids.fault)).json(&json!({ "body": "Taken over" }))]
        }
        ("POST", "/api/v1/faults/{id}/order-parts") => vec![app.as_(who, m(), &at(ids.fault)).json(&json!({
            "part_name": "Taken over", "quantity": 1, "supplier": "B", "supplier_unit_price_minor": 1, "currency": "EUR",
        }))],
        ("POST", "/api/v1/parts-orders/{id}/status") => ["approved", "cancelled"]
            .into_iter()
            .map(|s| app.as_(who, m(), &at(ids.order)).json(&json!({ "status": s })))
            .collect(),
        ("GET", "/api/v1/handovers/{id}") => vec![app.as_(who, m(), &at(ids.handover))],
        ("POST", "/api/v1/handovers/{id}/acknowledge") => vec![app.as_(who, m(), &at(ids.handover))],
        ("PUT", "/api/v1/companies/{id}/security") => {
            vec![app.as_(who, m(), &at(ids.company)).json(&json!({ "require_mfa": false }))]
        }
        ("PUT", "/api/v1/companies/{id}/purchasing") => vec![
            app.as_(who, m(), &at(ids.company)).json(&json!({ "parts_markup_percent": 0, "negative_stock": "allow" })),
        ],
        ("DELETE", "/api/v1/invitations/{id}") => vec![app.as_(who, m(), &at(ids.invitation))],
        ("DELETE", "/api/v1/vessels/{id}/members/{userId}") => [ids.user, who.user_id.0]
            .into_iter()
            .map(|u| app.as_(who, m(), &at(ids.vessel).replace("{userId}", &u.to_string())))
            .collect(),
        ("DELETE", "/api/v1/api-keys/{id}") => vec![app.as_(who, m(), &at(ids.api_key))],
        ("DELETE", "/api/v1/me/sessions/{id}") => vec![app.as_(who, m(), &at(ids.session))],
        ("PUT", "/api/v1/users/{id}") => [ids.user, ids.owner]
            .into_iter()
            .flat_map(|u| {
                [json!({ "name": "Taken over" }), json!({ "active": false }), json!({ "role": "viewer" })]
                    .map(|body| app.as_(who, m(), &at(u)).json(&body))
            })
            .collect(),
        ("GET", "/api/v1/parts/{id}") => vec![app.as_(who, m(), &at(ids.part))],
        ("PUT", "/api/v1/parts/{id}") => vec![
            app.as_(who, m(), &at(ids.part)).json(&json!({ "number": "TAKEN-1", "name": "Taken over", "unit": "pcs" })),
        ],
        ("GET", "/api/v1/vessels/{id}/stock-locations" | "/api/v1/vessels/{id}/stock" | "/api/v1/vessels/{id}/stock/entries") => {
            vec![app.as_(who, m(), &at(ids.vessel))]
        }
        ("POST", "/api/v1/vessels/{id}/stock-locations") => {
            vec![app.as_(who, m(), &at(ids.vessel)).json(&json!({ "name": "Taken over" }))]
        }
        ("PUT", "/api/v1/vessels/{id}/stock-rules/{part_id}") => vec![
            app.as_(who, m(), &at(ids.vessel).replace("{part_id}", &ids.part.to_string()))
                .json(&json!({ "minimum_milli": 1000, "reorder_milli": 1000 })),
        ],
        ("GET", "/api/v1/work-orders/{id}")
        | ("POST", "/api/v1/work-orders/{id}/start" | "/api/v1/work-orders/{id}/hold" | "/api/v1/work-orders/{id}/verify") => {
            vec![app.as_(who, m(), &at(ids.work_order))]
        }
        ("PUT", "/api/v1/work-orders/{id}") => vec![app.as_(who, m(), &at(ids.work_order)).json(&json!({
            "title": "Taken over", "priority": "low", "assignees": [{ "kind": "person", "user_id": who.user_id }],
        }))],
        ("POST", "/api/v1/work-orders/{id}/complete") => vec![app.as_(who, m(), &at(ids.work_order)).json(&json!({}))],
        ("POST", "/api/v1/work-orders/{id}/cancel") => {
            vec![app.as_(who, m(), &at(ids.work_order)).json(&json!({ "reason": "Taken over" }))]
        }
        ("POST", "/api/v1/work-orders/{id}/results") => vec![app.as_(who, m(), &at(ids.work_order)).json(&json!({
            "id": Uuid::now_v7(), "step_id": ids.step, "answer": { "kind": "pass_fail", "passed": false },
        }))],
        ("POST", "/api/v1/work-orders/{id}/labour") => vec![
            app.as_(who, m(), &at(ids.work_order))
                .json(&json!({ "id": Uuid::now_v7(), "worked_on": "2026-03-01", "minutes": 60 })),
        ],
        ("POST", "/api/v1/work-orders/{id}/parts") => vec![
            app.as_(who, m(), &at(ids.work_order))
                .json(&json!({ "location_id": ids.location, "part_id": ids.part, "quantity_milli": 1000 })),
        ],
        ("POST", "/api/v1/stock/transfers/{id}/receive") => {
            vec![app.as_(who, m(), &at(ids.transfer)).json(&json!({ "quantity_milli": 1000 }))]
        }
        ("GET", "/api/v1/vessels/{id}/stock/transfers" | "/api/v1/vessels/{id}/stock/export") => {
            vec![app.as_(who, m(), &at(ids.vessel))]
        }
        ("GET", "/api/v1/procedures/{id}") => vec![app.as_(who, m(), &at(ids.procedure))],
        ("PUT", "/api/v1/procedures/{id}") => {
            vec![app.as_(who, m(), &at(ids.procedure)).json(&json!({ "title": "Taken over", "steps": [] }))]
        }
        ("GET", "/api/v1/maintenance-plans/{id}") => vec![app.as_(who, m(), &at(ids.plan))],
        ("PUT", "/api/v1/maintenance-plans/{id}") => vec![app.as_(who, m(), &at(ids.plan)).json(&json!({
            "title": "Taken over", "priority": "low", "starts_on": "2026-01-01", "lead_days": 0,
            "criteria": [{ "kind": "calendar", "every": 1, "unit": "days", "basis": "from_completion" }],
        }))],
        ("POST", "/api/v1/maintenance-plans/{id}/postponements") => [ids.user, who.user_id.0]
            .into_iter()
            .map(|u| {
                app.as_(who, m(), &at(ids.plan)).json(&json!({
                    "occurrence": 0, "new_date": "2099-01-01", "extra_hours": 1, "reason": "Taken over",
                    "requested_by": u,
                }))
            })
            .collect(),
        ("GET", "/api/v1/assignments/{id}") => vec![app.as_(who, m(), &at(ids.assignment))],
        ("POST", "/api/v1/assignments/{id}/answer") => {
            vec![app.as_(who, m(), &at(ids.assignment)).json(&json!({ "accept": false, "reason": "Taken over" }))]
        }
        ("POST", "/api/v1/assignments/{id}/cancel") => vec![app.as_(who, m(), &at(ids.assignment))],
        ("GET", "/api/v1/daily-reports/{id}") => vec![app.as_(who, m(), &at(ids.report))],
        ("PUT", "/api/v1/daily-reports/{id}") => vec![app.as_(who, m(), &at(ids.report)).json(&json!({
            "equipment_id": ids.equipment, "day": "2026-03-01", "hours_worked": 1, "hours_idle": 0,
        }))],
        ("POST", "/api/v1/daily-reports/{id}/validate") => {
            vec![app.as_(who, m(), &at(ids.report)).json(&json!({ "revision_id": ids.revision }))]
        }
        ("POST", "/api/v1/daily-reports/{id}/return") => vec![
            app.as_(who, m(), &at(ids.report)).json(&json!({ "revision_id": ids.revision, "comment": "Taken over" })),
        ],
        ("GET", "/api/v1/suppliers/{id}") => vec![app.as_(who, m(), &at(ids.supplier))],
        ("PUT", "/api/v1/suppliers/{id}") => {
            vec![app.as_(who, m(), &at(ids.supplier)).json(&json!({ "name": "Taken over", "currency": "EUR" }))]
        }
        ("GET", "/api/v1/requisitions/{id}") => vec![app.as_(who, m(), &at(ids.requisition))],
        ("POST", "/api/v1/requisitions/{id}/approve" | "/api/v1/requisitions/{id}/reject") => {
            vec![app.as_(who, m(), &at(ids.requisition)).json(&json!({ "comment": "Taken over" }))]
        }
        ("POST", "/api/v1/requisitions/{id}/cancel") => vec![app.as_(who, m(), &at(ids.requisition))],
        ("GET", "/api/v1/purchase-orders/{id}" | "/api/v1/purchase-orders/{id}/pdf") => {
            vec![app.as_(who, m(), &at(ids.purchase_order))]
        }
        ("POST", "/api/v1/purchase-orders/{id}/status") => ["sent", "cancelled"]
            .into_iter()
            .map(|s| app.as_(who, m(), &at(ids.purchase_order)).json(&json!({ "status": s })))
            .collect(),
        ("POST", "/api/v1/purchase-orders/{id}/receipts") => vec![app.as_(who, m(), &at(ids.purchase_order)).json(
            &json!({ "id": Uuid::now_v7(), "lines": [{ "line_id": ids.order_line, "quantity_milli": 1000 }] }),
        )],
        _ => return None,
    };
    Some(reqs)
}

/// The ids a foreign caller tries. `{id}` is the company, vessel or person the route is about.
#[derive(Debug, Clone, Copy)]
struct Ids {
    company: Uuid,
    vessel: Uuid,
    department: Uuid,
    user: Uuid,
    owner: Uuid,
    attachment: Uuid,
    equipment: Uuid,
    fault: Uuid,
    order: Uuid,
    handover: Uuid,
    invitation: Uuid,
    api_key: Uuid,
    session: Uuid,
    conflict: Uuid,
    part: Uuid,
    location: Uuid,
    work_order: Uuid,
    step: Uuid,
    plan: Uuid,
    procedure: Uuid,
    transfer: Uuid,
    assignment: Uuid,
    report: Uuid,
    revision: Uuid,
    supplier: Uuid,
    requisition: Uuid,
    purchase_order: Uuid,
    order_line: Uuid,
}

/// A's maintenance records (an item, a fault with a parts order, a completed handover) and
/// accounts (an open invitation, an API key, the owner's session).
pub(crate) struct Records {
    pub equipment: Uuid,
    pub fault: Uuid,
    pub order: Uuid,
    pub handover: Uuid,
    pub invitation: Uuid,
    pub api_key: Uuid,
    /// The API key's bearer secret (`bsk_…`), shown once when it was made.
    pub api_key_secret: String,
    pub session: Uuid,
    /// A sync conflict on the fault's assignee.
    pub conflict: Uuid,
    /// A part in stock at a location of the vessel.
    pub part: Uuid,
    /// That location.
    pub location: Uuid,
    /// A work order in progress, assigned to the engineer.
    pub work_order: Uuid,
    /// Its step.
    pub step: Uuid,
    /// A maintenance plan on the item.
    pub plan: Uuid,
    /// A procedure of the company.
    pub procedure: Uuid,
    /// A transfer in transit to the other vessel.
    pub transfer: Uuid,
    /// An assignment of an item to the crew member, accepted.
    pub assignment: Uuid,
    /// The crew member's daily report on another item, submitted.
    pub report: Uuid,
    /// Its revision.
    pub revision: Uuid,
    /// A supplier.
    pub supplier: Uuid,
    /// The engineer's requisition, requested.
    pub requisition: Uuid,
    /// A purchase order in draft.
    pub purchase_order: Uuid,
    /// Its line.
    pub order_line: Uuid,
}

/// The email A invites and never sees accept.
pub(crate) const INVITED: &str = "invited.bosun@acme.example";

pub(crate) async fn records_of(app: &TestApp, a: &Acme) -> Records {
    let order = faults::seeded_order(app, a).await;
    let owner = app.owner_actor(&a.fixture);
    let o = app.app.parts.list(&owner, Default::default(), bosun_store::Page { after: None, limit: 10 }).await.unwrap();
    let fault = o.0.iter().find(|x| x.id == order).map(|x| x.fault_id).unwrap();
    let f = app.app.faults.get(&owner, fault).await.unwrap();
    let me = &a.fixture.owner;
    let invitation: Value = app
        .as_(me, Method::POST, "/api/v1/invitations")
        .json(&json!({ "email": INVITED, "name": "Invited", "role": "crew" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key: Value = app
        .as_(me, Method::POST, "/api/v1/api-keys")
        .json(&json!({ "name": "Acme gateway", "role": "viewer", "vessel_ids": [a.vessel] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sessions: Value = app.as_(me, Method::GET, "/api/v1/me/sessions").send().await.unwrap().json().await.unwrap();
    let id = |v: &Value| v.as_str().and_then(|s| s.parse().ok()).unwrap();
    let (engineer, manager) = (a.people[&Role::Engineer].user_id.0, a.people[&Role::Manager].user_id.0);
    let conflict = crate::conflicts::conflict_on(app, me, fault.0, engineer, manager).await;
    let (location, part) = crate::work_orders::walk_stock(app, a).await;
    let (work_order, step) =
        crate::work_orders::walk_order(app, a, a.people[&Role::Engineer].user_id, Stage::InProgress, me.user_id).await;
    let plan = crate::plans::walk_plan(app, a).await;
    let procedure = crate::work_orders::walk_procedure(app, a).await;
    let (transfer, _) = crate::stock::walk_transfer(app, a).await;
    let (_, assignment) = crate::assignments::walk_assignment(app, a, &a.people[&Role::Crew], true).await;
    let (report, revision, _) = crate::assignments::walk_report(app, a, &a.people[&Role::Crew]).await;
    let supplier = crate::purchasing::walk_supplier(app, a).await;
    let requisition = crate::purchasing::walk_requisition(app, a, &a.people[&Role::Engineer]).await;
    let (purchase_order, order_line) = crate::purchasing::walk_order(app, a).await;
    Records {
        supplier,
        requisition,
        purchase_order,
        order_line,
        assignment,
        report,
        revision,
        transfer,
        conflict,
        plan,
        procedure,
        part,
        location,
        work_order,
        step,
        equipment: f.entry.fault.equipment_id.0,
        fault: fault.0,
        order: order.0,
        handover: faults::seeded_handover(app, a).await.0,
        invitation: id(&invitation["invitation"]["id"]),
        api_key: id(&key["key"]["id"]),
        api_key_secret: key["secret"].as_str().unwrap().to_owned(),
        session: id(&sessions["items"][0]["id"]),
    }
}

impl Ids {
    fn of(a: &Acme, r: &Records) -> Self {
        Self {
            company: a.fixture.company.id.0,
            vessel: a.vessel,
            department: a.department,
            user: a.people[&Role::Engineer].user_id.0,
            owner: a.fixture.owner.user_id.0,
            attachment: a.attachments["fault"],
            equipment: r.equipment,
            fault: r.fault,
            order: r.order,
            handover: r.handover,
            invitation: r.invitation,
            api_key: r.api_key,
            session: r.session,
            conflict: r.conflict,
            part: r.part,
            location: r.location,
            work_order: r.work_order,
            step: r.step,
            plan: r.plan,
            procedure: r.procedure,
            transfer: r.transfer,
            assignment: r.assignment,
            report: r.report,
            revision: r.revision,
            supplier: r.supplier,
            requisition: r.requisition,
            purchase_order: r.purchase_order,
            order_line: r.order_line,
        }
    }

    fn fresh() -> Self {
        Self {
            company: Uuid::now_v7(),
            vessel: Uuid::now_v7(),
            department: Uuid::now_v7(),
            user: Uuid::now_v7(),
            owner: Uuid::now_v7(),
            attachment: Uuid::now_v7(),
            equipment: Uuid::now_v7(),
            fault: Uuid::now_v7(),
            order: Uuid::now_v7(),
            handover: Uuid::now_v7(),
            invitation: Uuid::now_v7(),
            api_key: Uuid::now_v7(),
            session: Uuid::now_v7(),
            conflict: Uuid::now_v7(),
            part: Uuid::now_v7(),
            location: Uuid::now_v7(),
            work_order: Uuid::now_v7(),
            step: Uuid::now_v7(),
            plan: Uuid::now_v7(),
            procedure: Uuid::now_v7(),
            transfer: Uuid::now_v7(),
            assignment: Uuid::now_v7(),
            report: Uuid::now_v7(),
            revision: Uuid::now_v7(),
            supplier: Uuid::now_v7(),
            requisition: Uuid::now_v7(),
            purchase_order: Uuid::now_v7(),
            order_line: Uuid::now_v7(),
        }
    }
}

/// Sends `method path` with `id` and no body, answering the status and body text.
async fn send_plain(
    app: &TestApp,
    who: &Session,
    method: &Method,
    path: &str,
    id: Uuid,
) -> (reqwest::StatusCode, String) {
    let path = path.replace("{id}", &id.to_string()).replace("{vesselId}", &id.to_string());
    let res = app.as_(who, method.clone(), &path).send().await.unwrap();
    (res.status(), res.text().await.unwrap_or_default())
}

/// A's id for the `{id}` of `path`, by the collection it belongs to.
fn id_for(path: &str, ids: &Ids) -> Uuid {
    match path.split('/').nth(3) {
        Some("companies") => ids.company,
        Some("vessels") => ids.vessel,
        Some("users") => ids.user,
        Some("attachments") => ids.attachment,
        Some("equipment") if path.contains("{vesselId}") => ids.vessel,
        Some("equipment") => ids.equipment,
        Some("faults") => ids.fault,
        Some("parts-orders") => ids.order,
        Some("handovers") => ids.handover,
        Some("invitations") => ids.invitation,
        Some("api-keys") => ids.api_key,
        Some("me") => ids.session,
        Some("sync") => ids.conflict,
        Some("parts") => ids.part,
        Some("work-orders") => ids.work_order,
        Some("maintenance-plans") => ids.plan,
        Some("procedures") => ids.procedure,
        Some("stock") => ids.transfer,
        Some("assignments") => ids.assignment,
        Some("daily-reports") => ids.report,
        Some("suppliers") => ids.supplier,
        Some("requisitions") => ids.requisition,
        Some("purchase-orders") => ids.purchase_order,
        _ => panic!("{path}: name whose id it takes in isolation.rs::id_for"),
    }
}

/// Everything A can read about itself, to compare before and after B's attempts.
pub(crate) async fn snapshot(app: &TestApp, a: &Acme, r: &Records) -> Vec<Value> {
    let owner = &a.fixture.owner;
    let mut paths = vec![
        "/api/v1/me".to_owned(),
        "/api/v1/users".into(),
        "/api/v1/vessels".into(),
        "/api/v1/audit?limit=200".into(),
        "/api/v1/companies/acme".into(),
    ];
    paths.push(format!("/api/v1/vessels/{}", a.vessel));
    paths.push(format!("/api/v1/vessels/{}", a.other_vessel));
    for (kind, parent) in
        [("equipment", a.records.equipment), ("fault", a.records.fault), ("handover", a.records.handover)]
    {
        paths.push(format!("/api/v1/attachments?parent_kind={kind}&parent_id={parent}"));
    }
    paths.push(format!("/api/v1/analytics/dashboard?vessel_id={}", a.vessel));
    paths.push(format!("/api/v1/equipment/by-vessel/{}?view=tree&include_decommissioned=true", a.vessel));
    paths.push(format!("/api/v1/equipment/{}", a.equipment));
    paths.push(format!("/api/v1/equipment/{}/readings", a.equipment));
    paths.push(format!("/api/v1/faults/{}", r.fault));
    paths.push(format!("/api/v1/handovers/{}", r.handover));
    paths.push("/api/v1/faults/active?status=open,acknowledged,in_progress,awaiting_parts,resolved,closed".into());
    paths.push("/api/v1/parts-orders".into());
    paths.push("/api/v1/handovers/history".into());
    paths.push("/api/v1/invitations".into());
    paths.push("/api/v1/api-keys".into());
    paths.push("/api/v1/me/sessions".into());
    paths.push("/api/v1/parts".into());
    paths.push(format!("/api/v1/parts/{}", r.part));
    paths.push(format!("/api/v1/vessels/{}/stock", a.vessel));
    paths.push(format!("/api/v1/vessels/{}/stock/entries", a.vessel));
    paths.push(format!("/api/v1/vessels/{}/stock-locations", a.vessel));
    paths.push("/api/v1/work-orders".into());
    paths.push(format!("/api/v1/work-orders/{}", r.work_order));
    paths.push(format!("/api/v1/vessels/{}/stock/transfers", a.vessel));
    paths.push(format!("/api/v1/vessels/{}/stock/transfers", a.other_vessel));
    paths.push("/api/v1/procedures".into());
    paths.push(format!("/api/v1/procedures/{}", r.procedure));
    paths.push("/api/v1/maintenance-plans".into());
    paths.push(format!("/api/v1/maintenance-plans/{}", r.plan));
    paths.push("/api/v1/analytics/maintenance".into());
    paths.push("/api/v1/assignments".into());
    paths.push(format!("/api/v1/assignments/{}", r.assignment));
    paths.push("/api/v1/daily-reports".into());
    paths.push(format!("/api/v1/daily-reports/{}", r.report));
    paths.push("/api/v1/suppliers".into());
    paths.push(format!("/api/v1/suppliers/{}", r.supplier));
    paths.push("/api/v1/requisitions".into());
    paths.push(format!("/api/v1/requisitions/{}", r.requisition));
    paths.push("/api/v1/purchase-orders".into());
    paths.push(format!("/api/v1/purchase-orders/{}", r.purchase_order));
    let mut out = Vec::new();
    for p in paths {
        let res = app.as_(owner, Method::GET, &p).send().await.unwrap();
        assert_eq!(res.status(), 200, "A reads {p}");
        out.push(res.json().await.unwrap());
    }
    out
}

async fn another_company_cannot_reach_a_companys_records(app: TestApp) {
    let a = acme_with_records(&app).await;
    let b = app.with_company("bravo").await;
    let intruder = &b.owner;
    let b_vessel: Value = app
        .as_(intruder, Method::POST, "/api/v1/vessels")
        .json(&json!({ "kind": "vessel", "name": "Bravo One" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let b_vessel = b_vessel["id"].as_str().unwrap().to_owned();
    let records = records_of(&app, &a).await;
    let mut secrets = secrets_of(&a);
    secrets.extend(
        [
            records.equipment,
            records.fault,
            records.order,
            records.handover,
            records.invitation,
            records.api_key,
            records.part,
            records.location,
            records.work_order,
            records.step,
            records.plan,
            records.procedure,
            records.transfer,
            records.assignment,
            records.report,
            records.revision,
            records.supplier,
            records.requisition,
            records.purchase_order,
            records.order_line,
        ]
        .map(|id| id.to_string()),
    );
    secrets.extend([INVITED.to_owned(), "Acme gateway".into()]);
    secrets.extend(["Ballast pump".to_owned(), "Mechanical seal".into(), "Seal & Co".into()]);
    // B's own maintenance records, so B's lists have something to show.
    let b_pump = faults::equipment_on(&app, b.company.id, b_vessel.parse().unwrap(), "Bravo pump").await;
    let b_fault = faults::report(&app, intruder, b_pump, "low", "Bravo pump drips").await;
    let b_fault = b_fault["id"].as_str().unwrap().to_owned();
    let order = json!({ "part_name": "Gasket", "quantity": 1, "supplier": "B", "supplier_unit_price_minor": 5, "currency": "EUR" });
    let res = app
        .as_(intruder, Method::POST, &format!("/api/v1/faults/{b_fault}/order-parts"))
        .json(&order)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    faults::on_rotation(&app, &b, b_vessel.parse().unwrap(), intruder).await;
    let res = app
        .as_(intruder, Method::POST, "/api/v1/handovers/complete")
        .json(&json!({ "vessel_id": b_vessel, "rotation_end": "2026-03-01" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    // And an invitation and an API key of B's own.
    app.invite(intruder, "bravo.hire@sea.example", Role::Crew).await;
    let res = app
        .as_(intruder, Method::POST, "/api/v1/api-keys")
        .json(&json!({ "name": "Bravo gateway", "role": "manager" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let before = snapshot(&app, &a, &records).await;
    let (theirs, fresh) = (Ids::of(&a, &records), Ids::fresh());

    let mut wrong = Vec::new();
    let mut covered = 0;
    let routes = api_routes();
    let paths: BTreeSet<&str> = routes.iter().filter(|r| !r.id_params.is_empty()).map(|r| r.path.as_str()).collect();
    assert!(!paths.is_empty(), "the OpenAPI document has routes with ids");
    for path in paths {
        for method in VERBS {
            let documented = routes.iter().any(|r| r.path == path && r.method == method);
            if documented {
                let Some(reqs) = requests_with_ids(&app, intruder, &method, path, &theirs) else {
                    panic!("no request for {method} {path}: add a case to isolation.rs::requests_with_ids");
                };
                for req in reqs {
                    let res = req.send().await.unwrap();
                    let status = res.status();
                    let text = res.text().await.unwrap_or_default();
                    let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                    if status != 404 || body["code"] != "not_found" {
                        wrong.push(format!("{method} {path}: expected 404 not_found, got {status} {text}"));
                    }
                    if !leaks(&text, &secrets).is_empty() {
                        wrong.push(format!("{method} {path} leaks {:?}: {text}", leaks(&text, &secrets)));
                    }
                    covered += 1;
                }
            } else {
                // An undocumented verb must answer the same for A's id as for an unknown one.
                let (status, text) = send_plain(&app, intruder, &method, path, id_for(path, &theirs)).await;
                let (fresh_status, _) = send_plain(&app, intruder, &method, path, id_for(path, &fresh)).await;
                if status != fresh_status || status.is_success() || !leaks(&text, &secrets).is_empty() {
                    wrong.push(format!("{method} {path}: {status} {text} (an unknown id gets {fresh_status})"));
                }
                covered += 1;
            }
        }
    }
    assert!(wrong.is_empty(), "B reached A's records:\n{}", wrong.join("\n"));
    assert!(covered >= 15, "only {covered} calls made");

    // B's own lists show nothing of A, and filtering by A's ids finds nothing.
    let lists = [
        "/api/v1/vessels".to_owned(),
        "/api/v1/users".into(),
        "/api/v1/invitations".into(),
        "/api/v1/api-keys".into(),
        "/api/v1/me/sessions".into(),
        "/api/v1/audit?limit=200".into(),
        format!("/api/v1/audit?entity_id={}", a.vessel),
        format!("/api/v1/audit?actor={}", a.fixture.owner.user_id),
        format!("/api/v1/audit?entity_id={}", a.fixture.company.id),
        "/api/v1/faults/active".into(),
        "/api/v1/parts-orders".into(),
        "/api/v1/handovers/history".into(),
        format!("/api/v1/faults/active?vessel_id={}", a.vessel),
        format!("/api/v1/faults/active?equipment_id={}", theirs.equipment),
        format!("/api/v1/faults/active?assignee_id={}", theirs.user),
        format!("/api/v1/parts-orders?fault_id={}", theirs.fault),
        format!("/api/v1/parts-orders?vessel_id={}", a.vessel),
        format!("/api/v1/handovers/history?vessel_id={}", a.vessel),
    ];
    for path in &lists {
        let res = app.as_(intruder, Method::GET, path).send().await.unwrap();
        assert_eq!(res.status(), 200, "B lists {path}");
        let text = res.text().await.unwrap();
        assert!(leaks(&text, &secrets).is_empty(), "B's {path} shows A's {:?}: {text}", leaks(&text, &secrets));
        let page: Value = serde_json::from_str(&text).unwrap();
        let items = page["items"].as_array().unwrap();
        if path.contains("_id=") || path.contains("actor=") {
            assert!(items.is_empty(), "B's {path} finds nothing: {text}");
        } else {
            assert!(!items.is_empty(), "B's {path} lists B's own records");
        }
    }

    // A's ids inside B's own requests are as unknown as made-up ones.
    let rotation = |user: Uuid, department: Option<Uuid>| {
        app.as_(intruder, Method::POST, &format!("/api/v1/vessels/{b_vessel}/join-rotation"))
            .json(&json!({ "user_id": user, "department_id": department, "rotation_start": "2026-02-01" }))
            .send()
    };
    let named_user = assert_problem(rotation(theirs.user, None).await.unwrap(), 422, "validation_failed").await;
    let made_up = assert_problem(rotation(fresh.user, None).await.unwrap(), 422, "validation_failed").await;
    assert_eq!(named_user, made_up, "naming A's person answers like naming nobody");
    let named_dept =
        rotation(intruder.user_id.0, Some(theirs.department)).await.unwrap().json::<Value>().await.unwrap();
    let made_up = rotation(intruder.user_id.0, Some(fresh.department)).await.unwrap().json::<Value>().await.unwrap();
    assert_eq!(named_dept["code"], "validation_failed");
    assert_eq!(named_dept, made_up, "naming A's department answers like naming none");
    // A's equipment, found by its QR code or named as a parent, is as unknown as none at all.
    let res =
        app.as_(intruder, Method::GET, &format!("/api/v1/equipment/by-qr/{}", a.equipment_code)).send().await.unwrap();
    let body = assert_problem(res, 404, "not_found").await;
    assert!(leaks(&body.to_string(), &secrets).is_empty(), "{body}");
    let res = app
        .as_(intruder, Method::POST, "/api/v1/equipment")
        .json(&json!({ "vessel_id": a.vessel, "level": "system", "name": "Taken over", "area": "deck" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
    let under = |parent: Uuid| {
        app.as_(intruder, Method::POST, "/api/v1/equipment")
            .json(&json!({ "vessel_id": b_vessel, "parent_id": parent, "level": "component", "name": "Sub", "area": "deck" }))
            .send()
    };
    let named = assert_problem(under(theirs.equipment).await.unwrap(), 422, "validation_failed").await;
    let made_up = assert_problem(under(fresh.equipment).await.unwrap(), 422, "validation_failed").await;
    assert_eq!(named, made_up, "naming A's item as a parent answers like naming nothing");
    let import_under = |code: String| {
        app.as_(intruder, Method::POST, &format!("/api/v1/vessels/{b_vessel}/equipment/import?dry_run=true"))
            .header("content-type", "text/csv")
            .body(format!("parent_ref,level,name,area\n{code},component,Sub,deck\n"))
            .send()
    };
    let named: Value = import_under(a.equipment_code.clone()).await.unwrap().json().await.unwrap();
    let made_up: Value = import_under("0000000000".into()).await.unwrap().json().await.unwrap();
    assert_eq!(named["errors"][0]["code"], "unknown_parent_ref", "{named}");
    assert_eq!(named["errors"][0]["code"], made_up["errors"][0]["code"]);
    // A's vessel in a query or a body is as unknown as a made-up one.
    for vessel in [theirs.vessel, fresh.vessel] {
        let res = app
            .as_(intruder, Method::GET, &format!("/api/v1/handovers/current?vessel_id={vessel}"))
            .send()
            .await
            .unwrap();
        assert_problem(res, 404, "not_found").await;
        let body = json!({ "vessel_id": vessel, "notes": "Taken over" });
        let res = app.as_(intruder, Method::PUT, "/api/v1/handovers/current/notes").json(&body).send().await.unwrap();
        assert_problem(res, 404, "not_found").await;
        let body = json!({ "vessel_id": vessel, "rotation_end": "2026-03-01" });
        let res = app.as_(intruder, Method::POST, "/api/v1/handovers/complete").json(&body).send().await.unwrap();
        assert_problem(res, 404, "not_found").await;
    }
    let report = |equipment: Uuid| {
        app.as_(intruder, Method::POST, "/api/v1/faults")
            .json(&json!({ "equipment_id": equipment, "severity": "critical", "title": "Taken over" }))
            .send()
    };
    let named = assert_problem(report(theirs.equipment).await.unwrap(), 422, "validation_failed").await;
    let made_up = assert_problem(report(fresh.equipment).await.unwrap(), 422, "validation_failed").await;
    assert_eq!(named, made_up, "naming A's equipment answers like naming none");
    // A fault id A uses is no clash either: B's report with it is B's own fault.
    let res = app
        .as_(intruder, Method::POST, "/api/v1/faults")
        .json(&json!({ "id": theirs.fault, "equipment_id": b_pump, "severity": "low", "title": "Lookalike" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "a fault id used by another company is free here");
    // A client-made id that A already uses is no clash: B's vessel is B's alone.
    let res = app
        .as_(intruder, Method::POST, "/api/v1/vessels")
        .json(&json!({ "id": a.vessel, "kind": "vessel", "name": "Lookalike" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "an id used by another company is free here");

    // A's records are as they were, and A's audit trail holds nothing of B's attempts.
    let after = snapshot(&app, &a, &records).await;
    assert_eq!(before, after, "A's data changed");
    let text = serde_json::to_string(&after).unwrap();
    assert!(!text.contains("Taken over") && !text.contains("Lookalike") && !text.contains("bravo"), "{text}");
}

/// Routes that take another company's ids in the query rather than the path: attachment lists
/// and uploads, and analytics of a vessel. Each answers as for an id that does not exist.
async fn another_company_cannot_reach_records_named_in_queries(app: TestApp) {
    let a = acme_with_records(&app).await;
    let b = app.with_company("bravo").await;
    let intruder = &b.owner;
    let secrets = secrets_of(&a);
    let records = records_of(&app, &a).await;
    let before = snapshot(&app, &a, &records).await;
    let fresh = Uuid::now_v7();
    let mut wrong = Vec::new();
    for (kind, parent) in
        [("equipment", a.records.equipment), ("fault", a.records.fault), ("handover", a.records.handover)]
    {
        for id in [parent, fresh] {
            let list = app
                .as_(intruder, Method::GET, &format!("/api/v1/attachments?parent_kind={kind}&parent_id={id}"))
                .send();
            let upload = crate::records::upload(&app, intruder, kind, id, "planted.txt", b"planted".to_vec());
            for res in [list.await.unwrap(), upload.await] {
                let (status, text) = (res.status(), res.text().await.unwrap_or_default());
                if status != 404 || !leaks(&text, &secrets).is_empty() {
                    wrong.push(format!("{kind} {id}: {status} {text}"));
                }
            }
        }
    }
    for path in ["dashboard?", "mttr?group=vessel&", "costs?"] {
        for id in [a.vessel, fresh] {
            let res = app
                .as_(intruder, Method::GET, &format!("/api/v1/analytics/{path}vessel_id={id}"))
                .send()
                .await
                .unwrap();
            let (status, text) = (res.status(), res.text().await.unwrap_or_default());
            if status != 404 || !leaks(&text, &secrets).is_empty() {
                wrong.push(format!("analytics/{path} {id}: {status} {text}"));
            }
        }
    }
    assert!(wrong.is_empty(), "B reached A's records:\n{}", wrong.join("\n"));
    // B's own analytics count nothing of A's.
    let mine: Value =
        app.as_(intruder, Method::GET, "/api/v1/analytics/dashboard").send().await.unwrap().json().await.unwrap();
    assert_eq!(mine["open_faults"]["total"], 0, "{mine}");
    assert!(leaks(&mine.to_string(), &secrets).is_empty());
    assert_eq!(snapshot(&app, &a, &records).await, before, "A's data changed");
    let stored = std::fs::read_dir(app.data_dir.path().join("files")).unwrap().count();
    assert_eq!(stored, 1, "only A's folder holds files");
}

async fn a_person_cannot_act_in_another_company_by_naming_it(app: TestApp) {
    let a = app.with_company("acme").await;
    let b = app.with_company("bravo").await;
    let before: Value = app.request(Method::GET, "/api/v1/companies/bravo").send().await.unwrap().json().await.unwrap();
    let res = app
        .as_(&a.owner, Method::PUT, &format!("/api/v1/companies/{}/branding", b.company.id))
        .json(&json!({ "display_name": "Taken over", "logo_url": null, "primary_color": "#ff0000" }))
        .send()
        .await
        .unwrap();
    let body = assert_problem(res, 404, "not_found").await;
    assert!(!body.to_string().contains("bravo"), "{body}");
    let after: Value = app.request(Method::GET, "/api/v1/companies/bravo").send().await.unwrap().json().await.unwrap();
    assert_eq!(before, after, "B's branding changed");
    // Nor does B's audit trail learn of it, nor A's record a write that did not happen.
    let audit: Value = app.as_(&b.owner, Method::GET, "/api/v1/audit").send().await.unwrap().json().await.unwrap();
    assert!(!audit.to_string().contains(&a.owner.user_id.to_string()), "{audit}");
}

async fn a_login_shared_with_another_company_is_not_renamed_from_there(app: TestApp) {
    let a = app.with_company("acme").await;
    let b = app.with_company("bravo").await;
    let contractor = app.person_in(&a.company, "contractor@example.com", Role::Engineer).await;
    // B takes the same person on (they accept with their own login); it, and its name, stay
    // theirs.
    let token = app.invite(&b.owner, "contractor@example.com", Role::Crew).await;
    assert_eq!(app.accept(&token, crate::harness::PASSWORD).await.status(), 200);
    let names = |who: Session| {
        let app = &app;
        async move {
            let page: Value = app.as_(&who, Method::GET, "/api/v1/users").send().await.unwrap().json().await.unwrap();
            page["items"].as_array().unwrap().iter().map(|m| m["name"].clone()).collect::<Vec<_>>()
        }
    };
    let before = names(a.owner.clone()).await;
    let res = app
        .as_(&b.owner, Method::PUT, &format!("/api/v1/users/{}", contractor.user_id))
        .json(&json!({ "name": "Renamed by bravo" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 409, "shared_login").await;
    assert_eq!(names(a.owner.clone()).await, before, "B renamed a person A sees");
    // Their standing in B is B's to change.
    let res = app
        .as_(&b.owner, Method::PUT, &format!("/api/v1/users/{}", contractor.user_id))
        .json(&json!({ "role": "engineer", "specialisation": "electrical" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // A person of one company only is renamed as before.
    let res = app
        .as_(&a.owner, Method::PUT, &format!("/api/v1/users/{}", a.owner.user_id))
        .json(&json!({ "name": "Ana Owner" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

crate::on_both_backends!(
    another_company_cannot_reach_a_companys_records,
    another_company_cannot_reach_records_named_in_queries,
    a_person_cannot_act_in_another_company_by_naming_it,
    a_login_shared_with_another_company_is_not_renamed_from_there,
);
