//! Stock transfers (ADR 0007 §3): a part sent from one location to another, of the same vessel
//! or of another. Dispatch (`transfer_stock.v1`) posts a `transfer_out` entry at the source, as
//! any decrease (`insufficient_stock` below zero), and writes the transfer in transit; receipt
//! (`receive_transfer.v1`, by someone who reaches the destination) posts a `transfer_in` entry
//! at the destination, once, at most what was sent; what did not arrive stays on the transfer
//! as its shortfall. Transfers live in the company scope (they span two vessels and carry no
//! prices); their ledger entries and balances in each vessel's. Locks go as everywhere: the
//! vessel scope first, the company scope after.

use bosun_domain::permissions::Action;
use bosun_domain::stock::{Movement, Quantity, Transfer, delta_of};
use bosun_domain::{PartId, StockEntryId, StockLocationId, TransferId, VesselId};
use bosun_store::{Change, Page, StoredTransfer};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

use super::Move;
use crate::work::{UnitOfWork, mutator};
use crate::{Actor, Audit, Error, Result, id_race, id_taken};

/// Sends a part from a location to another (`transfer_stock.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferStock {
    /// Client-made UUIDv7 of the transfer.
    pub id: TransferId,
    /// Client-made UUIDv7 of the `transfer_out` entry; a new one when absent.
    #[serde(default)]
    pub entry_id: Option<StockEntryId>,
    /// Where from (a location of a vessel the caller reaches).
    pub from_location_id: StockLocationId,
    /// Where to (a location of any vessel of the company).
    pub to_location_id: StockLocationId,
    /// The part.
    pub part_id: PartId,
    /// How many, a decimal with at most three places, more than zero.
    pub quantity: String,
}

/// Receives a transfer at its destination (`receive_transfer.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiveTransfer {
    /// The transfer.
    pub transfer_id: TransferId,
    /// Client-made UUIDv7 of the `transfer_in` entry; a new one when absent.
    #[serde(default)]
    pub entry_id: Option<StockEntryId>,
    /// How many arrived, more than zero and at most what was sent.
    pub quantity: String,
}

/// A transfer as a write answers it.
#[derive(Debug, Clone)]
pub struct SavedTransfer {
    /// The transfer.
    pub row: StoredTransfer,
    /// False when the same write had been received before.
    pub created: bool,
}

mutator!(TransferStock, "transfer_stock.v1", SavedTransfer, |app, uow, actor, m| {
    dispatch(app, uow, actor, m).await
});
mutator!(ReceiveTransfer, "receive_transfer.v1", SavedTransfer, |app, uow, actor, m| {
    receive(app, uow, actor, m).await
});

/// A transfer's fields as its change-log row carries them (quantities as decimal text).
pub fn transfer_json(t: &StoredTransfer) -> serde_json::Value {
    let x = &t.transfer;
    json!({
        "id": x.id, "part_id": x.part_id, "from_vessel_id": x.from.0, "from_location_id": x.from.1,
        "to_vessel_id": x.to.0, "to_location_id": x.to.1, "sent": x.sent.to_string(),
        "received": x.received.map(|q| q.to_string()), "shortfall": x.received.map(|_| x.shortfall().to_string()),
        "status": if x.received.is_some() { "received" } else { "in_transit" },
        "dispatched_by": t.dispatched_by, "dispatched_at": t.dispatched_at, "received_by": t.received_by,
        "received_at": t.received_at,
    })
}

fn refused(e: bosun_domain::stock::StockError) -> Error {
    Error::Conflict { code: e.code(), message: e.to_string() }
}

async fn dispatch(app: &crate::App, uow: &mut UnitOfWork, actor: &Actor, m: &TransferStock) -> Result<SavedTransfer> {
    let company = actor.company_id;
    let sent = Quantity::parse("quantity", &m.quantity).map_err(|v| Error::Invalid(vec![v]))?;
    // A retry (or a copied queue) answers the stored transfer and posts nothing again.
    if let Some(existing) = uow.tx.transfer(company, m.id).await? {
        if !app.stock.deps.sees_vessel(&mut uow.tx, actor, existing.transfer.from.0).await? {
            return Err(Error::NotFound);
        }
        let x = &existing.transfer;
        let same = x.from.1 == m.from_location_id
            && x.to.1 == m.to_location_id
            && x.part_id == m.part_id
            && x.sent == sent
            && existing.dispatched_by == actor.user_id;
        return if same {
            Ok(SavedTransfer { row: existing, created: false })
        } else {
            Err(id_taken("transfer", m.id))
        };
    }
    let from = uow.tx.stock_location(company, m.from_location_id).await?.ok_or(Error::NotFound)?;
    if !app.stock.deps.sees_vessel(&mut uow.tx, actor, from.vessel_id).await? {
        return Err(Error::NotFound);
    }
    actor.permit_new(Action::StockMove, "stock_transfer", Some(m.id))?;
    let to = uow.tx.stock_location(company, m.to_location_id).await?.ok_or(Error::NotFound)?;
    let transfer =
        Transfer::dispatch(m.id, m.part_id, (from.vessel_id, from.id), (to.vessel_id, to.id), sent).map_err(refused)?;
    let at = Move { id: m.entry_id, location_id: from.id, part_id: m.part_id, recorded_at: None };
    let movement = Movement::TransferOut { transfer_id: m.id };
    let delta = delta_of(&movement, sent);
    app.stock.post_movement(uow, actor, at, movement, delta).await?;
    let now = app.stock.deps.clock.now();
    let mut row = StoredTransfer {
        company_id: company,
        transfer,
        dispatched_by: actor.user_id,
        dispatched_at: now,
        received_by: None,
        received_at: None,
        version: 0,
        updated_at: now,
    };
    write(app, uow, actor, &mut row, "insert", "stock.transfer", now).await?;
    Ok(SavedTransfer { row, created: true })
}

async fn receive(app: &crate::App, uow: &mut UnitOfWork, actor: &Actor, m: &ReceiveTransfer) -> Result<SavedTransfer> {
    let company = actor.company_id;
    let quantity = Quantity::parse("quantity", &m.quantity).map_err(|v| Error::Invalid(vec![v]))?;
    let current = uow.tx.transfer(company, m.transfer_id).await?.ok_or(Error::NotFound)?;
    let (to_vessel, to_location) = current.transfer.to;
    if !app.stock.deps.sees_vessel(&mut uow.tx, actor, to_vessel).await? {
        return Err(Error::NotFound);
    }
    actor.permit(Action::StockMove, "stock_transfer", m.transfer_id)?;
    uow.tx.lock_scope(company, &format!("vessel:{to_vessel}")).await?;
    let current = uow.tx.transfer(company, m.transfer_id).await?.ok_or(Error::NotFound)?;
    if let Some(received) = current.transfer.received {
        // The same receipt again (a retry) answers the transfer; another is refused.
        return if received == quantity && current.received_by == Some(actor.user_id) {
            Ok(SavedTransfer { row: current, created: false })
        } else {
            Err(Error::Conflict {
                code: "already_received",
                message: format!("the transfer was received already ({received} arrived)"),
            })
        };
    }
    let transfer = current.transfer.receive(quantity).map_err(refused)?;
    let at = Move { id: m.entry_id, location_id: to_location, part_id: transfer.part_id, recorded_at: None };
    let movement = Movement::TransferIn { transfer_id: transfer.id };
    let delta = delta_of(&movement, quantity);
    app.stock.post_movement(uow, actor, at, movement, delta).await?;
    let now = app.stock.deps.clock.now();
    let mut row = StoredTransfer {
        transfer,
        received_by: Some(actor.user_id),
        received_at: Some(now),
        updated_at: now,
        ..current
    };
    write(app, uow, actor, &mut row, "update", "stock.transfer_received", now).await?;
    Ok(SavedTransfer { row, created: true })
}

/// Writes the transfer with its change-log row in the company scope, and its audit row.
async fn write(
    app: &crate::App,
    uow: &mut UnitOfWork,
    actor: &Actor,
    row: &mut StoredTransfer,
    op: &'static str,
    action: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let company = actor.company_id;
    let scope = format!("company:{company}");
    uow.tx.lock_scope(company, &scope).await?;
    let fields = transfer_json(row);
    let change =
        Change { scope, entity: "stock_transfer", row_id: row.transfer.id.0, op, fields: fields.clone(), at: now };
    row.version = uow.tx.record_change(company, &change).await?;
    if op == "insert" {
        uow.tx.insert_transfer(row).await.map_err(id_race)?;
    } else {
        uow.tx.update_transfer(row).await?;
    }
    app.stock
        .deps
        .audit(
            &mut uow.tx,
            company,
            Some(actor.user_id),
            &actor.meta,
            Audit::ok(action, "stock_transfer", row.transfer.id).after(fields),
        )
        .await?;
    Ok(())
}

/// Transfers from or to a vessel the caller reaches, newest first; only those in transit when
/// asked.
pub async fn list(
    app: &crate::App,
    actor: &Actor,
    vessel: VesselId,
    in_transit_only: bool,
    page: Page<TransferId>,
) -> Result<(Vec<StoredTransfer>, Option<TransferId>)> {
    let mut tx = app.stock.readable(actor, vessel).await?;
    let rows = tx
        .list_transfers(actor.company_id, vessel, in_transit_only, Page { after: page.after, limit: page.limit + 1 })
        .await?;
    Ok(crate::page_of(rows, page.limit, |t| t.transfer.id))
}
