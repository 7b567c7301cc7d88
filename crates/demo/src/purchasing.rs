//! The demo fleet's purchasing: two suppliers; on the first ship the engineer's requisitions
//! (one waiting for the manager, one approved and ordered, one rejected), and a purchase order
//! sent to the chandler, received in part into the engine-room store, so the purchasing screens
//! show every stage.

use bosun_app::purchasing::orders::{
    CreatePurchaseOrder, NewOrderLine, ReceivePurchaseOrder, ReceivedLine, SetPurchaseOrderStatus,
};
use bosun_app::purchasing::{ApproveRequisition, CreateSupplier, RaiseRequisition, RejectRequisition};
use bosun_app::{Actor, App, Result};
use bosun_domain::person::Role;
use bosun_domain::purchasing::PurchaseOrderStatus;
use bosun_domain::{PurchaseOrderId, PurchaseOrderLineId, ReceiptId, RequisitionId, UserId, VesselId};

use crate::stores::Stores;

/// A requisition for a catalogue part on `vessel`.
fn ask(vessel: VesselId, part: bosun_domain::PartId, quantity: &str, note: &str) -> RaiseRequisition {
    RaiseRequisition {
        id: RequisitionId::new(),
        vessel_id: vessel,
        part_id: Some(part),
        part_name: None,
        part_number: None,
        unit: None,
        quantity: quantity.into(),
        work_order_id: None,
        fault_id: None,
        supplier_id: None,
        supplier_unit_price_minor: None,
        currency: None,
        needed_by: None,
        note: Some(note.into()),
    }
}

/// Seeds the suppliers, requisitions and an order part received, on `ship`.
pub(crate) async fn seed(
    app: &App,
    owner: &Actor,
    ship: VesselId,
    stores: &Stores,
    engineer: UserId,
    manager: UserId,
) -> Result<()> {
    let company = owner.company_id;
    let asker = Actor { meta: owner.meta.clone(), ..Actor::system(company, engineer, Role::Engineer) };
    let buyer = Actor { meta: owner.meta.clone(), ..Actor::system(company, manager, Role::Manager) };
    let chandler = app
        .mutate(
            &buyer,
            CreateSupplier {
                id: None,
                name: "Bergen Marine Supply AS".into(),
                contact: Some("Ingrid Solberg".into()),
                email: Some("orders@bergenmarine.example".into()),
                phone: Some("+47 55 00 12 34".into()),
                address: Some("Sandviksboder 12\n5035 Bergen\nNorway".into()),
                currency: "NOK".into(),
            },
        )
        .await?
        .row;
    app.mutate(
        &buyer,
        CreateSupplier {
            id: None,
            name: "Nordic Engine Parts".into(),
            contact: None,
            email: Some("sales@nordicengine.example".into()),
            phone: None,
            address: Some("Industriveien 4\n4313 Sandnes\nNorway".into()),
            currency: "EUR".into(),
        },
    )
    .await?;

    let parts = &stores.parts;
    // Waiting for the manager.
    app.mutate(&asker, ask(ship, parts[5], "2", "Spare for the port raw water pump")).await?;
    // Refused: one is on board.
    let belt = app.mutate(&asker, ask(ship, parts[6], "4", "Belts for the fire pump")).await?.row;
    let no = RejectRequisition {
        requisition_id: belt.requisition.id,
        comment: "Four are in the deck store; count again".into(),
    };
    app.mutate(&buyer, no).await?;
    // Approved and ordered, with a line ordered straight.
    let filters = app.mutate(&asker, ask(ship, parts[3], "12", "Filters for the next three services")).await?.row;
    let injectors = app.mutate(&asker, ask(ship, parts[2], "4", "Two nozzles dribble on No. 2")).await?.row;
    for r in [&filters, &injectors] {
        app.mutate(&buyer, ApproveRequisition { requisition_id: r.requisition.id, comment: None }).await?;
    }
    let filter_line = PurchaseOrderLineId::new();
    let line = |id, requisition, price| NewOrderLine {
        id,
        requisition_id: Some(requisition),
        part_id: None,
        part_name: None,
        part_number: None,
        unit: None,
        quantity: None,
        supplier_unit_price_minor: Some(price),
    };
    let order = CreatePurchaseOrder {
        id: PurchaseOrderId::new(),
        vessel_id: ship,
        supplier_id: chandler.id,
        currency: None,
        expected_on: Some(owner_today(app) + chrono::Duration::days(5)),
        note: Some("Deliver to the ship's agent at Skoltegrunnskaien; mark boxes with the PO number.".into()),
        lines: vec![
            line(filter_line, filters.requisition.id, 38_500),
            line(PurchaseOrderLineId::new(), injectors.requisition.id, 214_000),
            NewOrderLine {
                id: PurchaseOrderLineId::new(),
                requisition_id: None,
                part_id: None,
                part_name: Some("Hose clamp kit, stainless".into()),
                part_number: Some("HC-SS-40".into()),
                unit: Some("set".into()),
                quantity: Some("2".into()),
                supplier_unit_price_minor: Some(24_900),
            },
        ],
    };
    let order = app.mutate(&buyer, order).await?.head.id;
    let sent = SetPurchaseOrderStatus { purchase_order_id: order, status: PurchaseOrderStatus::Sent };
    app.mutate(&buyer, sent).await?;
    // The filters came first; the injectors are still on their way.
    let receipt = ReceivePurchaseOrder {
        id: ReceiptId::new(),
        purchase_order_id: order,
        location_id: Some(stores.stores[0][1]),
        lines: vec![ReceivedLine { line_id: filter_line, quantity: "12".into(), entry_id: None }],
        note: Some("Delivery note 77120, one box".into()),
    };
    app.mutate(&asker, receipt).await?;
    Ok(())
}

/// Today for the demo (its clock).
fn owner_today(app: &App) -> chrono::NaiveDate {
    app.clock.now().date_naive()
}
