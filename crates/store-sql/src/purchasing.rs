//! Suppliers, requisitions, purchase orders with their lines, and receipts.

use async_trait::async_trait;
use bosun_domain::purchasing::{OrderLine, PartRef, Pricing, Requisition, Supplier};
use bosun_domain::stock::Quantity;
use bosun_domain::{
    CompanyId, FaultId, PartId, PurchaseOrderId, PurchaseOrderLineId, ReceiptId, RequisitionId, StockEntryId,
    StockLocationId, SupplierId, UserId, VesselId, WorkOrderId,
};
use bosun_store::{
    Page, PurchaseOrderFilter, PurchaseOrderHead, PurchasingRepo, ReceiptLine, RequisitionFilter, StoreError,
    StoreResult, StoredLine, StoredReceipt, StoredRequisition,
};
use sqlx::types::Json;

use crate::faults::name_set;
use crate::rows::DbRow;
use crate::{SqlTx, expect_one, filter, limit, reachable_vessels, run};

const SUPPLIER_COLUMNS: &str =
    "company_id, id, name, contact, email, phone, address, currency, version, created_at, updated_at";

fn supplier_from(r: &DbRow) -> StoreResult<Supplier> {
    Ok(Supplier {
        id: SupplierId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        name: r.get("name")?,
        contact: r.get("contact")?,
        email: r.get("email")?,
        phone: r.get("phone")?,
        address: r.get("address")?,
        currency: r.get("currency")?,
        version: r.get("version")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

const REQUISITION_COLUMNS: &str = "company_id, id, vessel_id, part_id, part_name, part_number, unit, quantity, \
     work_order_id, fault_id, supplier_id, supplier_unit_minor, markup_bp, customer_unit_minor, currency, needed_by, \
     note, status, requested_by, decided_by, decision_comment, purchase_order_id, received, status_changed_at, \
     version, created_at, updated_at";

fn uuid_opt(r: &DbRow, col: &str) -> StoreResult<Option<uuid::Uuid>> {
    r.get::<Option<uuid::Uuid>>(col)
}

fn part_ref(r: &DbRow) -> StoreResult<PartRef> {
    Ok(match uuid_opt(r, "part_id")? {
        Some(id) => PartRef::Catalogue(PartId(id)),
        None => PartRef::Unlisted { name: r.get("part_name")?, number: r.get("part_number")? },
    })
}

fn requisition_from(r: &DbRow) -> StoreResult<StoredRequisition> {
    let supplier_unit: Option<i64> = r.get("supplier_unit_minor")?;
    let markup: Option<i64> = r.get("markup_bp")?;
    let customer_unit: Option<i64> = r.get("customer_unit_minor")?;
    let currency: Option<String> = r.get("currency")?;
    let pricing = match (supplier_unit, markup, customer_unit, currency) {
        (Some(supplier_unit_minor), Some(markup_bp), Some(customer_unit_minor), Some(currency)) => {
            Some(Pricing { supplier_unit_minor, markup_bp, customer_unit_minor, currency })
        }
        _ => None,
    };
    Ok(StoredRequisition {
        requisition: Requisition {
            id: RequisitionId(r.get("id")?),
            company_id: CompanyId(r.get("company_id")?),
            vessel_id: VesselId(r.get("vessel_id")?),
            part: part_ref(r)?,
            quantity: Quantity(r.get("quantity")?),
            work_order_id: uuid_opt(r, "work_order_id")?.map(WorkOrderId),
            fault_id: uuid_opt(r, "fault_id")?.map(FaultId),
            supplier_id: uuid_opt(r, "supplier_id")?.map(SupplierId),
            pricing,
            needed_by: r.get("needed_by")?,
            status: r.parse("status")?,
            requested_by: UserId(r.get("requested_by")?),
            decided_by: uuid_opt(r, "decided_by")?.map(UserId),
            status_changed_at: r.get("status_changed_at")?,
        },
        part_name: r.get("part_name")?,
        part_number: r.get("part_number")?,
        unit: r.get("unit")?,
        note: r.get("note")?,
        decision_comment: r.get("decision_comment")?,
        purchase_order_id: uuid_opt(r, "purchase_order_id")?.map(PurchaseOrderId),
        received: Quantity(r.get("received")?),
        version: r.get("version")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

const ORDER_COLUMNS: &str = "company_id, id, number, vessel_id, supplier_id, currency, expected_on, note, status, \
     created_by, supplier_total_minor, customer_total_minor, status_changed_at, version, created_at, updated_at";

fn order_from(r: &DbRow) -> StoreResult<PurchaseOrderHead> {
    Ok(PurchaseOrderHead {
        id: PurchaseOrderId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        number: r.get("number")?,
        vessel_id: VesselId(r.get("vessel_id")?),
        supplier_id: SupplierId(r.get("supplier_id")?),
        currency: r.get("currency")?,
        expected_on: r.get("expected_on")?,
        note: r.get("note")?,
        status: r.parse("status")?,
        created_by: UserId(r.get("created_by")?),
        supplier_total_minor: r.get("supplier_total_minor")?,
        customer_total_minor: r.get("customer_total_minor")?,
        status_changed_at: r.get("status_changed_at")?,
        version: r.get("version")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

const LINE_COLUMNS: &str = "l.company_id, l.id, l.purchase_order_id, l.vessel_id, l.position, l.requisition_id, \
     l.part_id, l.part_name, l.part_number, l.unit, l.ordered, l.received, l.supplier_unit_minor, l.markup_bp, \
     l.customer_unit_minor, o.currency, l.version, l.updated_at";

fn line_from(r: &DbRow) -> StoreResult<StoredLine> {
    Ok(StoredLine {
        line: OrderLine {
            id: PurchaseOrderLineId(r.get("id")?),
            requisition_id: uuid_opt(r, "requisition_id")?.map(RequisitionId),
            part: part_ref(r)?,
            ordered: Quantity(r.get("ordered")?),
            received: Quantity(r.get("received")?),
            pricing: Pricing {
                supplier_unit_minor: r.get("supplier_unit_minor")?,
                markup_bp: r.get("markup_bp")?,
                customer_unit_minor: r.get("customer_unit_minor")?,
                currency: r.get("currency")?,
            },
        },
        purchase_order_id: PurchaseOrderId(r.get("purchase_order_id")?),
        company_id: CompanyId(r.get("company_id")?),
        vessel_id: VesselId(r.get("vessel_id")?),
        position: r.get("position")?,
        part_name: r.get("part_name")?,
        part_number: r.get("part_number")?,
        unit: r.get("unit")?,
        version: r.get("version")?,
        updated_at: r.get("updated_at")?,
    })
}

const RECEIPT_COLUMNS: &str =
    "company_id, id, purchase_order_id, vessel_id, location_id, lines, note, received_by, received_at, version";

fn receipt_from(r: &DbRow) -> StoreResult<StoredReceipt> {
    let lines: Json<Vec<serde_json::Value>> = r.get("lines")?;
    let lines = lines
        .0
        .iter()
        .map(|l| {
            let id = |k: &str| l[k].as_str().and_then(|s| s.parse::<uuid::Uuid>().ok());
            Some(ReceiptLine {
                line_id: PurchaseOrderLineId(id("line_id")?),
                quantity: Quantity(l["quantity"].as_i64()?),
                entry_id: id("entry_id").map(StockEntryId),
            })
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| StoreError::Other("a receipt's lines do not read back".into()))?;
    Ok(StoredReceipt {
        id: ReceiptId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        purchase_order_id: PurchaseOrderId(r.get("purchase_order_id")?),
        vessel_id: VesselId(r.get("vessel_id")?),
        location_id: uuid_opt(r, "location_id")?.map(StockLocationId),
        lines,
        note: r.get("note")?,
        received_by: UserId(r.get("received_by")?),
        received_at: r.get("received_at")?,
        version: r.get("version")?,
    })
}

fn lines_json(lines: &[ReceiptLine]) -> Json<Vec<serde_json::Value>> {
    Json(
        lines
            .iter()
            .map(|l| serde_json::json!({ "line_id": l.line_id, "quantity": l.quantity.0, "entry_id": l.entry_id }))
            .collect(),
    )
}

fn part_id_of(p: &PartRef) -> Option<uuid::Uuid> {
    match p {
        PartRef::Catalogue(id) => Some(id.0),
        PartRef::Unlisted { .. } => None,
    }
}

/// The scope conditions of a list on alias `x`: `$1` company, `$2` cursor, `$3` vessel, `$4`
/// and `$5` the reach.
fn scope_conditions(scope: &bosun_store::VesselScope, after: bool) -> String {
    [
        filter(after, "$2", "x.id < $2"),
        filter(scope.vessel.is_some(), "$3", "x.vessel_id = $3"),
        if scope.member.is_some() {
            concat!("x.vessel_id IN (", reachable_vessels!("$1", "$4", "$5"), ")").to_owned()
        } else {
            "$4 IS NULL AND $5 IS NULL".to_owned()
        },
    ]
    .join(" AND ")
}

#[async_trait]
impl PurchasingRepo for SqlTx {
    async fn insert_supplier(&mut self, s: &Supplier) -> StoreResult<()> {
        self.scoped(s.company_id)?;
        run!(
            self,
            execute,
            "INSERT INTO suppliers (company_id, id, name, name_key, contact, email, phone, address, currency, version,
                                    created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            s.company_id.0,
            s.id.0,
            s.name.as_str(),
            bosun_domain::purchasing::supplier_key(&s.name),
            s.contact.as_deref(),
            s.email.as_deref(),
            s.phone.as_deref(),
            s.address.as_deref(),
            s.currency.as_str(),
            s.version,
            s.created_at,
            s.updated_at
        )?;
        Ok(())
    }

    async fn supplier(&mut self, company: CompanyId, id: SupplierId) -> StoreResult<Option<Supplier>> {
        self.scoped(company)?;
        let sql = format!("SELECT {SUPPLIER_COLUMNS} FROM suppliers WHERE company_id = $1 AND id = $2");
        run!(self, fetch_optional, sqlx::AssertSqlSafe(sql), company.0, id.0)?.as_ref().map(supplier_from).transpose()
    }

    async fn supplier_by_key(&mut self, company: CompanyId, key: &str) -> StoreResult<Option<Supplier>> {
        self.scoped(company)?;
        let sql = format!("SELECT {SUPPLIER_COLUMNS} FROM suppliers WHERE company_id = $1 AND name_key = $2");
        run!(self, fetch_optional, sqlx::AssertSqlSafe(sql), company.0, key)?.as_ref().map(supplier_from).transpose()
    }

    async fn update_supplier(&mut self, s: &Supplier) -> StoreResult<()> {
        self.scoped(s.company_id)?;
        let n = run!(
            self,
            execute,
            "UPDATE suppliers SET name = $3, name_key = $4, contact = $5, email = $6, phone = $7, address = $8,
                    currency = $9, version = $10, updated_at = $11
              WHERE company_id = $1 AND id = $2",
            s.company_id.0,
            s.id.0,
            s.name.as_str(),
            bosun_domain::purchasing::supplier_key(&s.name),
            s.contact.as_deref(),
            s.email.as_deref(),
            s.phone.as_deref(),
            s.address.as_deref(),
            s.currency.as_str(),
            s.version,
            s.updated_at
        )?;
        expect_one(n)
    }

    async fn list_suppliers(&mut self, company: CompanyId, page: Page<SupplierId>) -> StoreResult<Vec<Supplier>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {SUPPLIER_COLUMNS} FROM suppliers s WHERE s.company_id = $1 AND {} ORDER BY s.name_key, s.id LIMIT $3",
            filter(
                page.after.is_some(),
                "$2",
                "(s.name_key, s.id) > (SELECT a.name_key, a.id FROM suppliers a WHERE a.company_id = $1 AND a.id = $2)"
            ),
        );
        run!(self, fetch_all, sqlx::AssertSqlSafe(sql), company.0, page.after.map(|p| p.0), limit(page.limit))?
            .iter()
            .map(supplier_from)
            .collect()
    }

    async fn insert_requisition(&mut self, s: &StoredRequisition) -> StoreResult<()> {
        self.scoped(s.requisition.company_id)?;
        let r = &s.requisition;
        let p = r.pricing.as_ref();
        run!(
            self,
            execute,
            "INSERT INTO requisitions (company_id, id, vessel_id, part_id, part_name, part_number, unit, quantity,
                 work_order_id, fault_id, supplier_id, supplier_unit_minor, markup_bp, customer_unit_minor, currency,
                 needed_by, note, status, requested_by, decided_by, decision_comment, purchase_order_id, received,
                 status_changed_at, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
                     $22, $23, $24, $25, $26, $27)",
            r.company_id.0,
            r.id.0,
            r.vessel_id.0,
            part_id_of(&r.part),
            s.part_name.as_str(),
            s.part_number.as_deref(),
            s.unit.as_str(),
            r.quantity.0,
            r.work_order_id.map(|w| w.0),
            r.fault_id.map(|f| f.0),
            r.supplier_id.map(|x| x.0),
            p.map(|p| p.supplier_unit_minor),
            p.map(|p| p.markup_bp),
            p.map(|p| p.customer_unit_minor),
            p.map(|p| p.currency.as_str()),
            r.needed_by,
            s.note.as_deref(),
            r.status.as_str(),
            r.requested_by.0,
            r.decided_by.map(|u| u.0),
            s.decision_comment.as_deref(),
            s.purchase_order_id.map(|o| o.0),
            s.received.0,
            r.status_changed_at,
            s.version,
            s.created_at,
            s.updated_at
        )?;
        Ok(())
    }

    async fn requisition(&mut self, company: CompanyId, id: RequisitionId) -> StoreResult<Option<StoredRequisition>> {
        self.scoped(company)?;
        let sql = format!("SELECT {REQUISITION_COLUMNS} FROM requisitions WHERE company_id = $1 AND id = $2");
        run!(self, fetch_optional, sqlx::AssertSqlSafe(sql), company.0, id.0)?
            .as_ref()
            .map(requisition_from)
            .transpose()
    }

    async fn update_requisition(&mut self, s: &StoredRequisition) -> StoreResult<()> {
        self.scoped(s.requisition.company_id)?;
        let r = &s.requisition;
        let n = run!(
            self,
            execute,
            "UPDATE requisitions SET status = $3, decided_by = $4, decision_comment = $5, purchase_order_id = $6,
                    received = $7, status_changed_at = $8, version = $9, updated_at = $10
              WHERE company_id = $1 AND id = $2",
            r.company_id.0,
            r.id.0,
            r.status.as_str(),
            r.decided_by.map(|u| u.0),
            s.decision_comment.as_deref(),
            s.purchase_order_id.map(|o| o.0),
            s.received.0,
            r.status_changed_at,
            s.version,
            s.updated_at
        )?;
        expect_one(n)
    }

    async fn list_requisitions(
        &mut self,
        company: CompanyId,
        f: &RequisitionFilter,
        page: Page<RequisitionId>,
    ) -> StoreResult<Vec<StoredRequisition>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {REQUISITION_COLUMNS} FROM requisitions x WHERE x.company_id = $1 AND {} AND {} AND {} AND {}
              ORDER BY x.id DESC LIMIT $9",
            scope_conditions(&f.scope, page.after.is_some()),
            filter(!f.statuses.is_empty(), "$6", "$6 LIKE '%,' || x.status || ',%'"),
            filter(f.work_order.is_some(), "$7", "x.work_order_id = $7"),
            filter(f.fault.is_some(), "$8", "x.fault_id = $8"),
        );
        run!(
            self,
            fetch_all,
            sqlx::AssertSqlSafe(sql),
            company.0,
            page.after.map(|p| p.0),
            f.scope.vessel.map(|v| v.0),
            f.scope.member.map(|m| m.principal),
            f.scope.member.map(|m| m.since),
            name_set(&f.statuses),
            f.work_order.map(|w| w.0),
            f.fault.map(|x| x.0),
            limit(page.limit)
        )?
        .iter()
        .map(requisition_from)
        .collect()
    }

    async fn next_order_number(&mut self, company: CompanyId) -> StoreResult<i64> {
        self.scoped(company)?;
        let row = run!(
            self,
            fetch_optional,
            "SELECT CAST(COALESCE(MAX(number), 0) + 1 AS BIGINT) AS next FROM purchase_orders WHERE company_id = $1",
            company.0
        )?;
        row.as_ref().map_or(Ok(1), |r| r.get("next"))
    }

    async fn insert_purchase_order(&mut self, o: &PurchaseOrderHead) -> StoreResult<()> {
        self.scoped(o.company_id)?;
        run!(
            self,
            execute,
            "INSERT INTO purchase_orders (company_id, id, number, vessel_id, supplier_id, currency, expected_on, note,
                 status, created_by, supplier_total_minor, customer_total_minor, status_changed_at, version,
                 created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
            o.company_id.0,
            o.id.0,
            o.number,
            o.vessel_id.0,
            o.supplier_id.0,
            o.currency.as_str(),
            o.expected_on,
            o.note.as_deref(),
            o.status.as_str(),
            o.created_by.0,
            o.supplier_total_minor,
            o.customer_total_minor,
            o.status_changed_at,
            o.version,
            o.created_at,
            o.updated_at
        )?;
        Ok(())
    }

    async fn insert_order_line(&mut self, s: &StoredLine) -> StoreResult<()> {
        self.scoped(s.company_id)?;
        let l = &s.line;
        run!(
            self,
            execute,
            "INSERT INTO purchase_order_lines (company_id, id, purchase_order_id, vessel_id, position, requisition_id,
                 part_id, part_name, part_number, unit, ordered, received, supplier_unit_minor, markup_bp,
                 customer_unit_minor, version, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
            s.company_id.0,
            l.id.0,
            s.purchase_order_id.0,
            s.vessel_id.0,
            s.position,
            l.requisition_id.map(|r| r.0),
            part_id_of(&l.part),
            s.part_name.as_str(),
            s.part_number.as_deref(),
            s.unit.as_str(),
            l.ordered.0,
            l.received.0,
            l.pricing.supplier_unit_minor,
            l.pricing.markup_bp,
            l.pricing.customer_unit_minor,
            s.version,
            s.updated_at
        )?;
        Ok(())
    }

    async fn purchase_order(
        &mut self,
        company: CompanyId,
        id: PurchaseOrderId,
    ) -> StoreResult<Option<PurchaseOrderHead>> {
        self.scoped(company)?;
        let sql = format!("SELECT {ORDER_COLUMNS} FROM purchase_orders WHERE company_id = $1 AND id = $2");
        run!(self, fetch_optional, sqlx::AssertSqlSafe(sql), company.0, id.0)?.as_ref().map(order_from).transpose()
    }

    async fn order_lines(&mut self, company: CompanyId, id: PurchaseOrderId) -> StoreResult<Vec<StoredLine>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {LINE_COLUMNS} FROM purchase_order_lines l
               JOIN purchase_orders o ON o.company_id = l.company_id AND o.id = l.purchase_order_id
              WHERE l.company_id = $1 AND l.purchase_order_id = $2
              ORDER BY l.position"
        );
        run!(self, fetch_all, sqlx::AssertSqlSafe(sql), company.0, id.0)?.iter().map(line_from).collect()
    }

    async fn update_purchase_order(&mut self, o: &PurchaseOrderHead) -> StoreResult<()> {
        self.scoped(o.company_id)?;
        let n = run!(
            self,
            execute,
            "UPDATE purchase_orders SET status = $3, status_changed_at = $4, version = $5, updated_at = $6
              WHERE company_id = $1 AND id = $2",
            o.company_id.0,
            o.id.0,
            o.status.as_str(),
            o.status_changed_at,
            o.version,
            o.updated_at
        )?;
        expect_one(n)
    }

    async fn update_order_line(&mut self, s: &StoredLine) -> StoreResult<()> {
        self.scoped(s.company_id)?;
        let n = run!(
            self,
            execute,
            "UPDATE purchase_order_lines SET received = $3, version = $4, updated_at = $5
              WHERE company_id = $1 AND id = $2",
            s.company_id.0,
            s.line.id.0,
            s.line.received.0,
            s.version,
            s.updated_at
        )?;
        expect_one(n)
    }

    async fn list_purchase_orders(
        &mut self,
        company: CompanyId,
        f: &PurchaseOrderFilter,
        page: Page<PurchaseOrderId>,
    ) -> StoreResult<Vec<PurchaseOrderHead>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {ORDER_COLUMNS} FROM purchase_orders x WHERE x.company_id = $1 AND {} AND {} AND {}
              ORDER BY x.id DESC LIMIT $8",
            scope_conditions(&f.scope, page.after.is_some()),
            filter(!f.statuses.is_empty(), "$6", "$6 LIKE '%,' || x.status || ',%'"),
            filter(f.supplier.is_some(), "$7", "x.supplier_id = $7"),
        );
        run!(
            self,
            fetch_all,
            sqlx::AssertSqlSafe(sql),
            company.0,
            page.after.map(|p| p.0),
            f.scope.vessel.map(|v| v.0),
            f.scope.member.map(|m| m.principal),
            f.scope.member.map(|m| m.since),
            name_set(&f.statuses),
            f.supplier.map(|s| s.0),
            limit(page.limit)
        )?
        .iter()
        .map(order_from)
        .collect()
    }

    async fn insert_receipt(&mut self, r: &StoredReceipt) -> StoreResult<()> {
        self.scoped(r.company_id)?;
        run!(
            self,
            execute,
            "INSERT INTO po_receipts (company_id, id, purchase_order_id, vessel_id, location_id, lines, note,
                                      received_by, received_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            r.company_id.0,
            r.id.0,
            r.purchase_order_id.0,
            r.vessel_id.0,
            r.location_id.map(|l| l.0),
            lines_json(&r.lines),
            r.note.as_deref(),
            r.received_by.0,
            r.received_at,
            r.version
        )?;
        Ok(())
    }

    async fn receipt(&mut self, company: CompanyId, id: ReceiptId) -> StoreResult<Option<StoredReceipt>> {
        self.scoped(company)?;
        let sql = format!("SELECT {RECEIPT_COLUMNS} FROM po_receipts WHERE company_id = $1 AND id = $2");
        run!(self, fetch_optional, sqlx::AssertSqlSafe(sql), company.0, id.0)?.as_ref().map(receipt_from).transpose()
    }

    async fn order_receipts(&mut self, company: CompanyId, id: PurchaseOrderId) -> StoreResult<Vec<StoredReceipt>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {RECEIPT_COLUMNS} FROM po_receipts WHERE company_id = $1 AND purchase_order_id = $2 ORDER BY id"
        );
        run!(self, fetch_all, sqlx::AssertSqlSafe(sql), company.0, id.0)?.iter().map(receipt_from).collect()
    }
}
