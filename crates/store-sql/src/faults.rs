//! Faults, their comments and parts orders.

use async_trait::async_trait;
use bosun_domain::fault::{Comment, Fault};
use bosun_domain::parts::PartsOrder;
use bosun_domain::{CommentId, CompanyId, EquipmentId, FaultId, PartsOrderId, UserId, VesselId};
use bosun_store::{FaultFilter, FaultRepo, FaultSummary, Page, PartsOrderFilter, PartsRepo, StoreError, StoreResult};

use crate::rows::DbRow;
use crate::{SqlTx, expect_one, filter, limit, reachable_vessels, run};

/// A set of names as one parameter (`,a,b,`) tested with `LIKE '%,' || col || ',%'`, so a
/// list filter needs no dynamic SQL. `None` for an empty set (no filter).
pub(crate) fn name_set<T: std::fmt::Display>(items: &[T]) -> Option<String> {
    (!items.is_empty()).then(|| format!(",{},", items.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")))
}

macro_rules! fault_columns {
    () => {
        "company_id, id, vessel_id, equipment_id, severity, status, title, description, reported_by, observed_at, \
         received_at, acknowledged_at, assignee_id, resolved_at, resolved_by, root_cause, resolution, repair_seconds, \
         closed_at, version, created_at, updated_at"
    };
}

fn fault_from(r: &DbRow) -> StoreResult<Fault> {
    let user = |col: &str| r.get::<Option<uuid::Uuid>>(col).map(|u| u.map(UserId));
    Ok(Fault {
        id: FaultId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        vessel_id: VesselId(r.get("vessel_id")?),
        equipment_id: EquipmentId(r.get("equipment_id")?),
        severity: r.parse("severity")?,
        status: r.parse("status")?,
        title: r.get("title")?,
        description: r.get("description")?,
        reported_by: UserId(r.get("reported_by")?),
        observed_at: r.get("observed_at")?,
        received_at: r.get("received_at")?,
        acknowledged_at: r.get("acknowledged_at")?,
        assignee_id: user("assignee_id")?,
        resolved_at: r.get("resolved_at")?,
        resolved_by: user("resolved_by")?,
        root_cause: r.get("root_cause")?,
        resolution: r.get("resolution")?,
        repair_seconds: r.get("repair_seconds")?,
        closed_at: r.get("closed_at")?,
        version: r.get("version")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

/// A page of faults, newest first: each filter that is set, and only those, so SQLite can seek
/// through `faults_by_equipment_newest` for an item's history.
pub(crate) fn list_faults_sql(f: &FaultFilter, paged: bool) -> String {
    format!(
        "SELECT {} FROM faults f WHERE f.company_id = $1 AND f.deleted_at IS NULL AND {} AND {} AND {} AND {} AND {}
            AND {} AND {} AND {} ORDER BY f.id DESC LIMIT $10",
        fault_columns!(),
        filter(paged, "$2", "f.id < $2"),
        filter(f.scope.vessel.is_some(), "$3", "f.vessel_id = $3"),
        if f.scope.member.is_some() {
            concat!("f.vessel_id IN (", reachable_vessels!("$1", "$4", "$11"), ")")
        } else {
            "$4 IS NULL AND $11 IS NULL"
        },
        filter(f.equipment.is_some(), "$5", "f.equipment_id = $5"),
        filter(!f.severities.is_empty(), "$6", "$6 LIKE '%,' || f.severity || ',%'"),
        filter(!f.statuses.is_empty(), "$7", "$7 LIKE '%,' || f.status || ',%'"),
        filter(f.assignee.is_some(), "$8", "f.assignee_id = $8"),
        filter(f.reported_by.is_some(), "$9", "f.reported_by = $9"),
    )
}

#[async_trait]
impl FaultRepo for SqlTx {
    async fn insert_fault(&mut self, f: &Fault) -> StoreResult<()> {
        self.scoped(f.company_id)?;
        run!(self, execute,
            "INSERT INTO faults (company_id, id, vessel_id, equipment_id, severity, status, title, description, reported_by,
                                 observed_at, received_at, acknowledged_at, assignee_id, resolved_at, resolved_by,
                                 root_cause, resolution, repair_seconds, closed_at, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)",
            f.company_id.0, f.id.0, f.vessel_id.0, f.equipment_id.0, f.severity.as_str(), f.status.as_str(), &f.title,
            &f.description, f.reported_by.0, f.observed_at, f.received_at, f.acknowledged_at, f.assignee_id.map(|u| u.0),
            f.resolved_at, f.resolved_by.map(|u| u.0), &f.root_cause, &f.resolution, f.repair_seconds, f.closed_at,
            f.version, f.created_at, f.updated_at)?;
        Ok(())
    }

    async fn fault(&mut self, company: CompanyId, id: FaultId) -> StoreResult<Option<Fault>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT ",
            fault_columns!(),
            " FROM faults WHERE company_id = $1 AND id = $2 AND deleted_at IS NULL"
        );
        run!(self, fetch_optional, SQL, company.0, id.0)?.as_ref().map(fault_from).transpose()
    }

    async fn update_fault(&mut self, f: &Fault) -> StoreResult<Fault> {
        self.scoped(f.company_id)?;
        let n = run!(self, execute,
            "UPDATE faults SET severity = $3, status = $4, title = $5, description = $6, acknowledged_at = $7,
                               assignee_id = $8, resolved_at = $9, resolved_by = $10, root_cause = $11, resolution = $12,
                               repair_seconds = $13, closed_at = $14, version = $15, updated_at = $16
              WHERE company_id = $1 AND id = $2 AND deleted_at IS NULL",
            f.company_id.0, f.id.0, f.severity.as_str(), f.status.as_str(), &f.title, &f.description, f.acknowledged_at,
            f.assignee_id.map(|u| u.0), f.resolved_at, f.resolved_by.map(|u| u.0), &f.root_cause, &f.resolution,
            f.repair_seconds, f.closed_at, f.version, f.updated_at)?;
        expect_one(n)?;
        self.fault(f.company_id, f.id).await?.ok_or(StoreError::NotFound)
    }

    async fn fault_history(
        &mut self,
        company: CompanyId,
        equipment: EquipmentId,
        limit: u32,
    ) -> StoreResult<Vec<FaultSummary>> {
        self.scoped(company)?;
        // The limit is written into the text: SQLite re-prepares a statement every time a bound
        // LIMIT is bound (its plan may depend on the value), and this one runs on every item page.
        let sql = format!(
            "SELECT id, severity, status, title, observed_at, resolved_at FROM faults
              WHERE company_id = $1 AND equipment_id = $2 AND deleted_at IS NULL ORDER BY id DESC LIMIT {}",
            crate::limit(limit)
        );
        run!(self, fetch_all, sqlx::AssertSqlSafe(sql), company.0, equipment.0)?
            .iter()
            .map(|r| {
                Ok(FaultSummary {
                    id: FaultId(r.get("id")?),
                    severity: r.parse("severity")?,
                    status: r.parse("status")?,
                    title: r.get("title")?,
                    observed_at: r.get("observed_at")?,
                    resolved_at: r.get("resolved_at")?,
                })
            })
            .collect()
    }

    async fn list_faults(
        &mut self,
        company: CompanyId,
        f: &FaultFilter,
        page: Page<FaultId>,
    ) -> StoreResult<Vec<Fault>> {
        self.scoped(company)?;
        let sql = list_faults_sql(f, page.after.is_some());
        run!(
            self,
            fetch_all,
            sqlx::AssertSqlSafe(sql),
            company.0,
            page.after.map(|p| p.0),
            f.scope.vessel.map(|v| v.0),
            f.scope.member.map(|m| m.principal),
            f.equipment.map(|e| e.0),
            name_set(&f.severities),
            name_set(&f.statuses),
            f.assignee.map(|u| u.0),
            f.reported_by.map(|u| u.0),
            limit(page.limit),
            f.scope.member.map(|m| m.since)
        )?
        .iter()
        .map(fault_from)
        .collect()
    }

    async fn insert_comment(&mut self, c: &Comment) -> StoreResult<()> {
        self.scoped(c.company_id)?;
        run!(
            self,
            execute,
            "INSERT INTO fault_comments (company_id, id, fault_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            c.company_id.0,
            c.id.0,
            c.fault_id.0,
            c.author_id.0,
            &c.body,
            c.created_at
        )?;
        Ok(())
    }

    async fn comments(&mut self, company: CompanyId, fault: FaultId) -> StoreResult<Vec<Comment>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_all,
            "SELECT company_id, id, fault_id, author_id, body, created_at FROM fault_comments
              WHERE company_id = $1 AND fault_id = $2 ORDER BY id",
            company.0,
            fault.0
        )?
        .iter()
        .map(|r| {
            Ok(Comment {
                id: CommentId(r.get("id")?),
                company_id: CompanyId(r.get("company_id")?),
                fault_id: FaultId(r.get("fault_id")?),
                author_id: UserId(r.get("author_id")?),
                body: r.get("body")?,
                created_at: r.get("created_at")?,
            })
        })
        .collect()
    }
}

macro_rules! order_columns {
    () => {
        "company_id, id, fault_id, vessel_id, part_name, part_number, quantity, supplier, supplier_unit_minor, \
         customer_unit_minor, currency, markup_bp, status, requested_by, status_changed_at, version, created_at, updated_at"
    };
}

fn order_from(r: &DbRow) -> StoreResult<PartsOrder> {
    Ok(PartsOrder {
        id: PartsOrderId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        fault_id: FaultId(r.get("fault_id")?),
        vessel_id: VesselId(r.get("vessel_id")?),
        part_name: r.get("part_name")?,
        part_number: r.get("part_number")?,
        quantity: r.get("quantity")?,
        supplier: r.get("supplier")?,
        supplier_unit_minor: r.get("supplier_unit_minor")?,
        customer_unit_minor: r.get("customer_unit_minor")?,
        currency: r.get("currency")?,
        markup_bp: r.get("markup_bp")?,
        status: r.parse("status")?,
        requested_by: UserId(r.get("requested_by")?),
        status_changed_at: r.get("status_changed_at")?,
        version: r.get("version")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

/// Requisitions serving a fault, in the old parts-order shape (`PartsRepo::parts_order`):
/// quantities in whole units rounded up, the supplier's name, a status of the old lifecycle.
macro_rules! projected_orders {
    () => {
        "SELECT r.company_id, r.id, r.fault_id, r.vessel_id, r.part_name, r.part_number,
                (r.quantity + 999) / 1000 AS quantity, COALESCE(s.name, '') AS supplier,
                COALESCE(r.supplier_unit_minor, 0) AS supplier_unit_minor,
                COALESCE(r.customer_unit_minor, 0) AS customer_unit_minor,
                COALESCE(r.currency, s.currency, '') AS currency, COALESCE(r.markup_bp, 0) AS markup_bp,
                CASE r.status WHEN 'requested' THEN 'requested' WHEN 'approved' THEN 'approved'
                     WHEN 'ordered' THEN (CASE WHEN po.status = 'shipped' THEN 'shipped' ELSE 'ordered' END)
                     WHEN 'partially_received' THEN 'shipped' WHEN 'received' THEN 'received'
                     ELSE 'cancelled' END AS status,
                r.requested_by, r.status_changed_at, r.version, r.created_at, r.updated_at
           FROM requisitions r
           LEFT JOIN suppliers s ON s.company_id = r.company_id AND s.id = r.supplier_id
           LEFT JOIN purchase_orders po ON po.company_id = r.company_id AND po.id = r.purchase_order_id
          WHERE r.company_id = $1 AND r.fault_id IS NOT NULL"
    };
}

#[async_trait]
impl PartsRepo for SqlTx {
    async fn insert_legacy_parts_order(&mut self, o: &PartsOrder) -> StoreResult<()> {
        self.scoped(o.company_id)?;
        run!(self, execute,
            "INSERT INTO parts_orders (company_id, id, fault_id, vessel_id, part_name, part_number, quantity, supplier,
                                       supplier_unit_minor, customer_unit_minor, currency, markup_bp, status, requested_by,
                                       status_changed_at, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
            o.company_id.0, o.id.0, o.fault_id.0, o.vessel_id.0, &o.part_name, &o.part_number, o.quantity, &o.supplier,
            o.supplier_unit_minor, o.customer_unit_minor, &o.currency, o.markup_bp, o.status.as_str(), o.requested_by.0,
            o.status_changed_at, o.version, o.created_at, o.updated_at)?;
        Ok(())
    }

    async fn unmigrated_parts_orders(&mut self, company: CompanyId, limit_to: u32) -> StoreResult<Vec<PartsOrder>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT ",
            order_columns!(),
            " FROM parts_orders WHERE company_id = $1 AND migrated_to IS NULL AND deleted_at IS NULL
               ORDER BY id LIMIT $2"
        );
        run!(self, fetch_all, SQL, company.0, limit(limit_to))?.iter().map(order_from).collect()
    }

    async fn mark_parts_order_migrated(&mut self, company: CompanyId, id: PartsOrderId) -> StoreResult<()> {
        self.scoped(company)?;
        let n = run!(
            self,
            execute,
            "UPDATE parts_orders SET migrated_to = id WHERE company_id = $1 AND id = $2 AND migrated_to IS NULL",
            company.0,
            id.0
        )?;
        expect_one(n)
    }

    async fn parts_order(&mut self, company: CompanyId, id: PartsOrderId) -> StoreResult<Option<PartsOrder>> {
        self.scoped(company)?;
        const SQL: &str = concat!(projected_orders!(), " AND r.id = $2");
        run!(self, fetch_optional, SQL, company.0, id.0)?.as_ref().map(order_from).transpose()
    }

    async fn list_parts_orders(
        &mut self,
        company: CompanyId,
        f: &PartsOrderFilter,
        page: Page<PartsOrderId>,
    ) -> StoreResult<Vec<PartsOrder>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT o.* FROM (",
            projected_orders!(),
            ") o WHERE ($2 IS NULL OR o.id < $2)
                AND ($3 IS NULL OR o.vessel_id = $3)
                AND ($4 IS NULL OR o.vessel_id IN (",
            reachable_vessels!("$1", "$4", "$8"),
            "))
                AND ($5 IS NULL OR o.fault_id = $5) AND ($6 IS NULL OR $6 LIKE '%,' || o.status || ',%')
              ORDER BY o.id DESC LIMIT $7"
        );
        run!(
            self,
            fetch_all,
            SQL,
            company.0,
            page.after.map(|p| p.0),
            f.scope.vessel.map(|v| v.0),
            f.scope.member.map(|m| m.principal),
            f.fault.map(|x| x.0),
            name_set(&f.statuses),
            limit(page.limit),
            f.scope.member.map(|m| m.since)
        )?
        .iter()
        .map(order_from)
        .collect()
    }
}
