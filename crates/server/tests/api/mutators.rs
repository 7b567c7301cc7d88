//! The unit of work and the mutator registry: a mutation read by name from JSON (as the sync
//! push will read a client's queue) does what its route does; nothing of a unit that does not
//! commit is stored or published; a refusal is recorded after the rollback.

use bosun_app::mutators::{Mutation, NAMES};
use bosun_app::work::UnitOfWork;
use bosun_app::{Error, Result};
use bosun_domain::person::Role;
use reqwest::Method;
use serde_json::json;
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::faults::{actor, equipment_on, get, listening_app};
use crate::harness::{TestApp, assert_problem};
use crate::permissions::{acme, audited_failures};

async fn a_mutation_read_by_name_does_what_its_route_does(app: TestApp) {
    let w = acme(&app).await;
    let (other, mut rx) = listening_app(&app).await;
    let company = w.fixture.company.id;
    let crew = actor(company, &w.people[&Role::Crew], Role::Crew);
    let pump = equipment_on(&app, company, w.vessel, "Fire pump").await;
    let id = Uuid::now_v7();
    let args = json!({ "id": id, "equipment_id": pump, "severity": "high", "title": "Fire pump will not prime" });
    let m = Mutation::parse("report_fault.v1", args).expect("valid arguments");

    let mut uow = UnitOfWork::begin(&*other.store, company).await.expect("a unit of work");
    m.apply(&other, &mut uow, &crew).await.expect("applied");
    // Nothing is published before the unit commits.
    assert!(rx.try_recv().is_err());
    let effects = uow.commit().await.expect("committed");
    assert_eq!(effects.events().len(), 1);
    effects.run(&other).await;
    assert_eq!(rx.try_recv().expect("published after commit").kind, "fault.reported");

    let f = get(&app, &w.fixture.owner, &format!("/api/v1/faults/{id}")).await;
    assert_eq!((f["title"].as_str(), f["severity"].as_str()), (Some("Fire pump will not prime"), Some("high")));
    assert_eq!(f["reported_by"], json!(w.people[&Role::Crew].user_id));
    // The same report through the route is the same report (idempotent on the client's id).
    let res = app
        .as_(&w.people[&Role::Crew], Method::POST, "/api/v1/faults")
        .json(&json!({ "id": id, "equipment_id": pump, "severity": "high", "title": "Fire pump will not prime" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "the route answers the stored report");
}

async fn a_unit_that_does_not_commit_stores_and_publishes_nothing(app: TestApp) {
    let w = acme(&app).await;
    let (other, mut rx) = listening_app(&app).await;
    let company = w.fixture.company.id;
    let crew = actor(company, &w.people[&Role::Crew], Role::Crew);
    let pump = equipment_on(&app, company, w.vessel, "Bilge pump").await;
    let id = Uuid::now_v7();
    let m = Mutation::parse(
        "report_fault.v1",
        json!({ "id": id, "equipment_id": pump, "severity": "low", "title": "Bilge pump noisy" }),
    )
    .unwrap();
    let mut uow = UnitOfWork::begin(&*other.store, company).await.unwrap();
    m.apply(&other, &mut uow, &crew).await.expect("applied");
    drop(uow);
    assert!(matches!(rx.try_recv(), Err(broadcast::error::TryRecvError::Empty)));
    let res = app.as_(&w.fixture.owner, Method::GET, &format!("/api/v1/faults/{id}")).send().await.unwrap();
    assert_problem(res, 404, "not_found").await;

    // A mutation that fails half-way (the fault is written, then its vessel's second write is
    // refused) leaves nothing either: here a report, then an assignment to a stranger.
    let report = Mutation::parse(
        "report_fault.v1",
        json!({ "id": id, "equipment_id": pump, "severity": "low", "title": "Bilge pump noisy" }),
    )
    .unwrap();
    let assign = Mutation::parse("assign_fault.v1", json!({ "fault_id": id, "assignee_id": Uuid::now_v7() })).unwrap();
    let manager = actor(company, &w.people[&Role::Manager], Role::Manager);
    let mut uow = UnitOfWork::begin(&*other.store, company).await.unwrap();
    report.apply(&other, &mut uow, &manager).await.expect("reported");
    let refused: Result<()> = assign.apply(&other, &mut uow, &manager).await;
    assert!(matches!(refused, Err(Error::Invalid(_))), "{refused:?}");
    drop(uow);
    let res = app.as_(&w.fixture.owner, Method::GET, &format!("/api/v1/faults/{id}")).send().await.unwrap();
    assert_problem(res, 404, "not_found").await;
    assert!(matches!(rx.try_recv(), Err(broadcast::error::TryRecvError::Empty)));
}

async fn a_refused_mutation_is_recorded_after_its_rollback(app: TestApp) {
    let w = acme(&app).await;
    let company = w.fixture.company.id;
    let viewer = actor(company, &w.people[&Role::Viewer], Role::Viewer);
    let pump = equipment_on(&app, company, w.vessel, "Fuel pump").await;
    let id = Uuid::now_v7();
    let Mutation::ReportFault(m) = Mutation::parse(
        "report_fault.v1",
        json!({ "id": id, "equipment_id": pump, "severity": "low", "title": "Fuel pump weeps" }),
    )
    .unwrap() else {
        panic!("not a report")
    };
    let before = audited_failures(&app, &w.fixture.owner).await.len();
    let refused = app.app.mutate(&viewer, m).await;
    assert!(matches!(refused, Err(Error::Forbidden)), "{refused:?}");
    let failures = audited_failures(&app, &w.fixture.owner).await;
    assert_eq!(failures.len(), before + 1);
    let last = failures.iter().find(|e| e["entity_id"] == json!(id)).expect("the refusal names the fault");
    assert_eq!((last["action"].as_str(), last["outcome"].as_str()), (Some("fault.report"), Some("failure")));
    let res = app.as_(&w.fixture.owner, Method::GET, &format!("/api/v1/faults/{id}")).send().await.unwrap();
    assert_problem(res, 404, "not_found").await;
}

/// Every write of the API and what runs it: the registered mutator, or why none does. A new
/// write route fails this test until it is named here.
const WRITES: &[(&str, &str)] = &[
    ("POST /api/v1/faults", "report_fault.v1"),
    ("POST /api/v1/faults/{id}/acknowledge", "acknowledge_fault.v1"),
    ("POST /api/v1/faults/{id}/assign", "assign_fault.v1"),
    ("POST /api/v1/faults/{id}/comments", "comment_fault.v1"),
    ("POST /api/v1/faults/{id}/status", "set_fault_status.v1"),
    ("PUT /api/v1/faults/{id}/resolve", "resolve_fault.v1"),
    ("POST /api/v1/faults/{id}/order-parts", "order_parts.v1"),
    ("POST /api/v1/parts-orders/{id}/status", "set_parts_order_status.v1"),
    ("POST /api/v1/parts", "create_part.v1"),
    ("PUT /api/v1/parts/{id}", "update_part.v1"),
    ("POST /api/v1/vessels/{id}/stock-locations", "create_stock_location.v1"),
    ("PUT /api/v1/vessels/{id}/stock-rules/{part_id}", "set_stock_rule.v1"),
    ("POST /api/v1/stock/receipts", "receive_stock.v1"),
    ("POST /api/v1/stock/adjustments", "adjust_stock.v1"),
    ("POST /api/v1/stock/transfers", "transfer_stock.v1"),
    ("POST /api/v1/stock/transfers/{id}/receive", "receive_transfer.v1"),
    ("POST /api/v1/suppliers", "create_supplier.v1"),
    ("PUT /api/v1/suppliers/{id}", "update_supplier.v1"),
    ("POST /api/v1/requisitions", "raise_requisition.v1"),
    ("POST /api/v1/requisitions/{id}/approve", "approve_requisition.v1"),
    ("POST /api/v1/requisitions/{id}/reject", "reject_requisition.v1"),
    ("POST /api/v1/requisitions/{id}/cancel", "cancel_requisition.v1"),
    ("POST /api/v1/purchase-orders", "create_purchase_order.v1"),
    ("POST /api/v1/purchase-orders/{id}/status", "set_purchase_order_status.v1"),
    ("POST /api/v1/purchase-orders/{id}/receipts", "receive_purchase_order.v1"),
    ("POST /api/v1/work-orders", "create_work_order.v1"),
    ("PUT /api/v1/work-orders/{id}", "update_work_order.v1"),
    ("POST /api/v1/work-orders/{id}/start", "start_work_order.v1"),
    ("POST /api/v1/work-orders/{id}/hold", "hold_work_order.v1"),
    ("POST /api/v1/work-orders/{id}/complete", "complete_work_order.v1"),
    ("POST /api/v1/work-orders/{id}/verify", "verify_work_order.v1"),
    ("POST /api/v1/work-orders/{id}/cancel", "cancel_work_order.v1"),
    ("POST /api/v1/work-orders/{id}/results", "record_step_result.v1"),
    ("POST /api/v1/work-orders/{id}/labour", "log_labour.v1"),
    ("POST /api/v1/work-orders/{id}/parts", "issue_part.v1"),
    ("POST /api/v1/procedures", "create_procedure.v1"),
    ("PUT /api/v1/procedures/{id}", "update_procedure.v1"),
    ("POST /api/v1/maintenance-plans", "create_maintenance_plan.v1"),
    ("PUT /api/v1/maintenance-plans/{id}", "update_maintenance_plan.v1"),
    ("POST /api/v1/maintenance-plans/{id}/postponements", "postpone_plan.v1"),
    ("POST /api/v1/assignments", "assign_equipment.v1"),
    ("POST /api/v1/assignments/{id}/answer", "answer_assignment.v1"),
    ("POST /api/v1/assignments/{id}/cancel", "cancel_assignment.v1"),
    ("POST /api/v1/daily-reports", "submit_daily_report.v1"),
    ("PUT /api/v1/daily-reports/{id}", "submit_daily_report.v1"),
    ("POST /api/v1/daily-reports/{id}/validate", "validate_daily_report.v1"),
    ("POST /api/v1/daily-reports/{id}/return", "return_daily_report.v1"),
    ("POST /api/v1/equipment", "create_equipment.v1"),
    ("PUT /api/v1/equipment/{id}", "update_equipment.v1"),
    ("POST /api/v1/equipment/{id}/decommission", "decommission_equipment.v1"),
    ("POST /api/v1/equipment/{id}/readings", "record_reading.v1"),
    ("PUT /api/v1/equipment/{id}/meter-link", "link_meter.v1"),
    ("DELETE /api/v1/equipment/{id}/meter-link", "unlink_meter.v1"),
    ("PUT /api/v1/handovers/current/notes", "save_handover_notes.v1"),
    ("POST /api/v1/handovers/complete", "complete_handover.v1"),
    ("POST /api/v1/handovers/{id}/acknowledge", "acknowledge_handover.v1"),
    ("POST /api/v1/attachments", "attach_file.v1"),
    ("POST /api/v1/vessels", "create_vessel.v1"),
    ("PUT /api/v1/vessels/{id}", "update_vessel.v1"),
    ("POST /api/v1/vessels/{id}/departments", "add_department.v1"),
    ("POST /api/v1/vessels/{id}/join-rotation", "join_rotation.v1"),
    ("DELETE /api/v1/vessels/{id}/members/{userId}", "remove_vessel_member.v1"),
    ("POST /api/v1/invitations", "invite_person.v1"),
    ("DELETE /api/v1/invitations/{id}", "revoke_invitation.v1"),
    ("PUT /api/v1/users/{id}", "update_person.v1"),
    ("POST /api/v1/api-keys", "create_api_key.v1"),
    ("DELETE /api/v1/api-keys/{id}", "revoke_api_key.v1"),
    ("PUT /api/v1/companies/{id}/branding", "update_branding.v1"),
    ("PUT /api/v1/companies/{id}/security", "update_company_security.v1"),
    ("PUT /api/v1/companies/{id}/purchasing", "update_purchasing_settings.v1"),
    ("POST /api/v1/vessels/{id}/equipment/import", "none: a bulk import of a registry, online, one transaction"),
    ("POST /api/v1/parts/import", "none: a bulk import of the catalogue, online, one transaction"),
    ("POST /api/v1/vessels/{id}/stock/import", "none: a bulk count of a vessel's stock, online, one transaction"),
    ("POST /api/v1/auth/login", "none: a credential exchange"),
    ("POST /api/v1/auth/logout", "none: a credential exchange"),
    ("POST /api/v1/auth/refresh", "none: a credential exchange"),
    ("POST /api/v1/auth/password-reset", "none: a credential exchange"),
    ("POST /api/v1/auth/password-reset/confirm", "none: a credential exchange"),
    ("POST /api/v1/invitations/accept", "none: a credential exchange"),
    ("POST /api/v1/invitations/lookup", "none: reads an invitation by its token"),
    ("PUT /api/v1/me/password", "none: a credential exchange"),
    ("DELETE /api/v1/me/sessions/{id}", "none: a credential exchange"),
    ("POST /api/v1/me/mfa/totp", "none: a credential exchange"),
    ("POST /api/v1/me/mfa/totp/confirm", "none: a credential exchange"),
    ("POST /api/v1/me/mfa/recovery-codes", "none: a credential exchange"),
    ("DELETE /api/v1/me/mfa", "none: a credential exchange"),
    ("POST /api/v1/sync/push", "none: runs each queued mutation through this registry"),
    ("POST /api/v1/sync/pull", "none: a read (POST for its body)"),
    ("POST /api/v1/sync/conflicts/{id}/resolve", "resolve_conflict.v1"),
    ("POST /api/v1/sync/uploads", "none: a file's bytes, stored by hash before attach_file.v1 records them"),
    ("PATCH /api/v1/sync/uploads/{sha256}", "none: a file's bytes, stored by hash before attach_file.v1 records them"),
];

#[test]
fn every_write_route_is_a_registered_mutator_or_says_why_not() {
    let doc = serde_json::to_value(bosun_http::openapi()).unwrap();
    let mut writes = std::collections::BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            if matches!(method.as_str(), "post" | "put" | "patch" | "delete") {
                writes.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    let named: std::collections::BTreeSet<String> = WRITES.iter().map(|(w, _)| (*w).to_owned()).collect();
    assert_eq!(writes, named, "the API's writes and the table differ");
    for (route, runs) in WRITES {
        assert!(runs.starts_with("none: ") || NAMES.contains(runs), "{route} names {runs}, which is not registered");
    }
    for name in NAMES {
        assert!(WRITES.iter().any(|(_, runs)| runs == name), "no route runs {name}");
    }
}

crate::on_both_backends!(
    a_mutation_read_by_name_does_what_its_route_does,
    a_unit_that_does_not_commit_stores_and_publishes_nothing,
    a_refused_mutation_is_recorded_after_its_rollback,
);
