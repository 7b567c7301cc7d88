//! The parts catalogue, stock locations and rules, the stock ledger and its balances.

use async_trait::async_trait;
use bosun_domain::stock::{
    Movement, Part, PartStockRule, PartSummary, Quantity, StockBalance, StockEntry, StockLocation, StockRule, Transfer,
    location_name_key, part_number_key,
};
use bosun_domain::{
    CompanyId, PartId, StockBalanceId, StockEntryId, StockLocationId, StockRuleId, TransferId, UserId, VesselId,
    WorkOrderId,
};
use bosun_store::{Page, PartFilter, StockEntryFilter, StockRepo, StockRow, StoreError, StoreResult, StoredTransfer};
use sqlx::types::Json;

use crate::rows::DbRow;
use crate::{SqlTx, expect_one, filter, limit, run};

const PART_COLUMNS: &str =
    "company_id, id, number, name, maker, unit, critical, equivalents, version, created_at, updated_at";

fn part_from(r: &DbRow) -> StoreResult<Part> {
    let equivalents: Json<Vec<uuid::Uuid>> = r.get("equivalents")?;
    Ok(Part {
        id: PartId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        number: r.get("number")?,
        name: r.get("name")?,
        maker: r.get("maker")?,
        unit: r.get("unit")?,
        critical: r.get("critical")?,
        equivalents: equivalents.0.into_iter().map(PartId).collect(),
        version: r.get("version")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

/// The columns [`part_summary_from`] reads, of the parts table as `p`.
const PART_SUMMARY_COLUMNS: &str = "p.id, p.number, p.name, p.maker, p.unit, p.critical";

fn part_summary_from(r: &DbRow) -> StoreResult<PartSummary> {
    Ok(PartSummary {
        id: PartId(r.get("id")?),
        number: r.get("number")?,
        name: r.get("name")?,
        maker: r.get("maker")?,
        unit: r.get("unit")?,
        critical: r.get("critical")?,
    })
}

fn equivalents_json(p: &Part) -> Json<Vec<uuid::Uuid>> {
    Json(p.equivalents.iter().map(|e| e.0).collect())
}

const LOCATION_COLUMNS: &str = "company_id, id, vessel_id, name, parent_id, version, created_at, updated_at";

fn location_from(r: &DbRow) -> StoreResult<StockLocation> {
    Ok(StockLocation {
        id: StockLocationId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        vessel_id: VesselId(r.get("vessel_id")?),
        name: r.get("name")?,
        parent_id: r.get::<Option<uuid::Uuid>>("parent_id")?.map(StockLocationId),
        version: r.get("version")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

const RULE_COLUMNS: &str = "company_id, id, vessel_id, part_id, minimum, reorder, version, created_at, updated_at";

fn rule_from(r: &DbRow) -> StoreResult<PartStockRule> {
    Ok(PartStockRule {
        id: StockRuleId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        vessel_id: VesselId(r.get("vessel_id")?),
        part_id: PartId(r.get("part_id")?),
        rule: StockRule { minimum: Quantity(r.get("minimum")?), reorder: Quantity(r.get("reorder")?) },
        version: r.get("version")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

const ENTRY_COLUMNS: &str = "company_id, id, vessel_id, location_id, part_id, movement, delta, reason, work_order_id, \
                             transfer_id, recorded_by, recorded_at";

fn entry_from(r: &DbRow) -> StoreResult<StockEntry> {
    let name: String = r.get("movement")?;
    let movement = Movement::from_stored(
        &name,
        r.get("reason")?,
        r.get::<Option<uuid::Uuid>>("work_order_id")?.map(WorkOrderId),
        r.get::<Option<uuid::Uuid>>("transfer_id")?.map(TransferId),
    )
    .ok_or_else(|| StoreError::Other(format!("column movement: unexpected value {name:?} or a missing reference")))?;
    Ok(StockEntry {
        id: StockEntryId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        vessel_id: VesselId(r.get("vessel_id")?),
        location_id: StockLocationId(r.get("location_id")?),
        part_id: PartId(r.get("part_id")?),
        movement,
        delta: Quantity(r.get("delta")?),
        recorded_by: UserId(r.get("recorded_by")?),
        recorded_at: r.get("recorded_at")?,
    })
}

const BALANCE_COLUMNS: &str = "company_id, id, vessel_id, location_id, part_id, on_hand, version, updated_at";

fn balance_from(r: &DbRow) -> StoreResult<StockBalance> {
    Ok(StockBalance {
        id: StockBalanceId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        vessel_id: VesselId(r.get("vessel_id")?),
        location_id: StockLocationId(r.get("location_id")?),
        part_id: PartId(r.get("part_id")?),
        on_hand: Quantity(r.get("on_hand")?),
        version: r.get("version")?,
        updated_at: r.get("updated_at")?,
    })
}

const TRANSFER_COLUMNS: &str = "company_id, id, part_id, from_vessel_id, from_location_id, to_vessel_id, \
     to_location_id, sent, received, dispatched_by, dispatched_at, received_by, received_at, version, updated_at";

fn transfer_from(r: &DbRow) -> StoreResult<StoredTransfer> {
    Ok(StoredTransfer {
        company_id: CompanyId(r.get("company_id")?),
        transfer: Transfer {
            id: TransferId(r.get("id")?),
            part_id: PartId(r.get("part_id")?),
            from: (VesselId(r.get("from_vessel_id")?), StockLocationId(r.get("from_location_id")?)),
            to: (VesselId(r.get("to_vessel_id")?), StockLocationId(r.get("to_location_id")?)),
            sent: Quantity(r.get("sent")?),
            received: r.get::<Option<i64>>("received")?.map(Quantity),
        },
        dispatched_by: UserId(r.get("dispatched_by")?),
        dispatched_at: r.get("dispatched_at")?,
        received_by: r.get::<Option<uuid::Uuid>>("received_by")?.map(UserId),
        received_at: r.get("received_at")?,
        version: r.get("version")?,
        updated_at: r.get("updated_at")?,
    })
}

/// `LIKE` pattern for a contains-search, with the wildcards in the text escaped.
fn contains(text: &str) -> String {
    let escaped = text.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// The ledger entries that issued parts to a work order, oldest first.
pub(crate) async fn entries_of_work_order(
    tx: &mut SqlTx,
    company: CompanyId,
    work_order: WorkOrderId,
) -> StoreResult<Vec<StockEntry>> {
    let sql =
        format!("SELECT {ENTRY_COLUMNS} FROM stock_entries WHERE company_id = $1 AND work_order_id = $2 ORDER BY id");
    run!(tx, fetch_all, sqlx::AssertSqlSafe(sql), company.0, work_order.0)?.iter().map(entry_from).collect()
}

#[async_trait]
impl StockRepo for SqlTx {
    async fn insert_part(&mut self, p: &Part) -> StoreResult<()> {
        self.scoped(p.company_id)?;
        run!(
            self,
            execute,
            "INSERT INTO parts (company_id, id, number, number_key, name, maker, unit, critical, equivalents, version,
                                created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            p.company_id.0,
            p.id.0,
            &p.number,
            part_number_key(&p.number),
            &p.name,
            &p.maker,
            &p.unit,
            p.critical,
            equivalents_json(p),
            p.version,
            p.created_at,
            p.updated_at
        )?;
        Ok(())
    }

    async fn part(&mut self, company: CompanyId, id: PartId) -> StoreResult<Option<Part>> {
        self.scoped(company)?;
        let sql = format!("SELECT {PART_COLUMNS} FROM parts WHERE company_id = $1 AND id = $2 AND deleted_at IS NULL");
        run!(self, fetch_optional, sqlx::AssertSqlSafe(sql), company.0, id.0)?.as_ref().map(part_from).transpose()
    }

    async fn part_by_number_key(&mut self, company: CompanyId, key: &str) -> StoreResult<Option<Part>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {PART_COLUMNS} FROM parts WHERE company_id = $1 AND number_key = $2 AND deleted_at IS NULL"
        );
        run!(self, fetch_optional, sqlx::AssertSqlSafe(sql), company.0, key)?.as_ref().map(part_from).transpose()
    }

    async fn update_part(&mut self, p: &Part) -> StoreResult<Part> {
        self.scoped(p.company_id)?;
        let n = run!(
            self,
            execute,
            "UPDATE parts SET number = $3, number_key = $4, name = $5, maker = $6, unit = $7, critical = $8,
                              equivalents = $9, version = $10, updated_at = $11
              WHERE company_id = $1 AND id = $2 AND deleted_at IS NULL",
            p.company_id.0,
            p.id.0,
            &p.number,
            part_number_key(&p.number),
            &p.name,
            &p.maker,
            &p.unit,
            p.critical,
            equivalents_json(p),
            p.version,
            p.updated_at
        )?;
        expect_one(n)?;
        self.part(p.company_id, p.id).await?.ok_or(StoreError::NotFound)
    }

    async fn list_parts(&mut self, company: CompanyId, f: &PartFilter, page: Page<PartId>) -> StoreResult<Vec<Part>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {PART_COLUMNS} FROM parts p WHERE p.company_id = $1 AND p.deleted_at IS NULL AND {} AND {} AND {}
              ORDER BY p.number_key, p.id LIMIT $5",
            filter(
                page.after.is_some(),
                "$2",
                "(p.number_key, p.id) > (SELECT a.number_key, a.id FROM parts a WHERE a.company_id = $1 AND a.id = $2)"
            ),
            filter(
                f.text.is_some(),
                "$3",
                "(lower(p.number) LIKE $3 ESCAPE '\\' OR lower(p.name) LIKE $3 ESCAPE '\\'
                  OR lower(COALESCE(p.maker, '')) LIKE $3 ESCAPE '\\')"
            ),
            if f.critical_only { "p.critical = $4" } else { "$4 = $4" },
        );
        run!(
            self,
            fetch_all,
            sqlx::AssertSqlSafe(sql),
            company.0,
            page.after.map(|p| p.0),
            f.text.as_deref().map(contains),
            true,
            limit(page.limit)
        )?
        .iter()
        .map(part_from)
        .collect()
    }

    async fn insert_stock_location(&mut self, l: &StockLocation) -> StoreResult<()> {
        self.scoped(l.company_id)?;
        run!(
            self,
            execute,
            "INSERT INTO stock_locations (company_id, id, vessel_id, name, name_key, parent_id, version, created_at,
                                          updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            l.company_id.0,
            l.id.0,
            l.vessel_id.0,
            &l.name,
            location_name_key(&l.name),
            l.parent_id.map(|p| p.0),
            l.version,
            l.created_at,
            l.updated_at
        )?;
        Ok(())
    }

    async fn stock_location(&mut self, company: CompanyId, id: StockLocationId) -> StoreResult<Option<StockLocation>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {LOCATION_COLUMNS} FROM stock_locations WHERE company_id = $1 AND id = $2 AND deleted_at IS NULL"
        );
        run!(self, fetch_optional, sqlx::AssertSqlSafe(sql), company.0, id.0)?.as_ref().map(location_from).transpose()
    }

    async fn stock_locations(&mut self, company: CompanyId, vessel: VesselId) -> StoreResult<Vec<StockLocation>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {LOCATION_COLUMNS} FROM stock_locations
              WHERE company_id = $1 AND vessel_id = $2 AND deleted_at IS NULL ORDER BY name_key"
        );
        run!(self, fetch_all, sqlx::AssertSqlSafe(sql), company.0, vessel.0)?.iter().map(location_from).collect()
    }

    async fn put_stock_rule(&mut self, r: &PartStockRule) -> StoreResult<PartStockRule> {
        self.scoped(r.company_id)?;
        run!(
            self,
            execute,
            "INSERT INTO stock_rules (company_id, id, vessel_id, part_id, minimum, reorder, version, created_at,
                                      updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (company_id, vessel_id, part_id) DO UPDATE
                SET minimum = excluded.minimum, reorder = excluded.reorder, version = excluded.version,
                    updated_at = excluded.updated_at",
            r.company_id.0,
            r.id.0,
            r.vessel_id.0,
            r.part_id.0,
            r.rule.minimum.0,
            r.rule.reorder.0,
            r.version,
            r.created_at,
            r.updated_at
        )?;
        self.stock_rule(r.company_id, r.vessel_id, r.part_id).await?.ok_or(StoreError::NotFound)
    }

    async fn stock_rule(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        part: PartId,
    ) -> StoreResult<Option<PartStockRule>> {
        self.scoped(company)?;
        let sql =
            format!("SELECT {RULE_COLUMNS} FROM stock_rules WHERE company_id = $1 AND vessel_id = $2 AND part_id = $3");
        run!(self, fetch_optional, sqlx::AssertSqlSafe(sql), company.0, vessel.0, part.0)?
            .as_ref()
            .map(rule_from)
            .transpose()
    }

    async fn stock_rules(&mut self, company: CompanyId, vessel: VesselId) -> StoreResult<Vec<PartStockRule>> {
        self.scoped(company)?;
        let sql =
            format!("SELECT {RULE_COLUMNS} FROM stock_rules WHERE company_id = $1 AND vessel_id = $2 ORDER BY part_id");
        run!(self, fetch_all, sqlx::AssertSqlSafe(sql), company.0, vessel.0)?.iter().map(rule_from).collect()
    }

    async fn insert_stock_entry(&mut self, e: &StockEntry, version: i64) -> StoreResult<()> {
        self.scoped(e.company_id)?;
        let (reason, work_order, transfer) = e.movement.references();
        run!(
            self,
            execute,
            "INSERT INTO stock_entries (company_id, id, vessel_id, location_id, part_id, movement, delta, reason,
                                        work_order_id, transfer_id, recorded_by, recorded_at, version, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            e.company_id.0,
            e.id.0,
            e.vessel_id.0,
            e.location_id.0,
            e.part_id.0,
            e.movement.as_str(),
            e.delta.0,
            reason,
            work_order.map(|w| w.0),
            transfer.map(|t| t.0),
            e.recorded_by.0,
            e.recorded_at,
            version,
            e.recorded_at
        )?;
        Ok(())
    }

    async fn stock_entry(&mut self, company: CompanyId, id: StockEntryId) -> StoreResult<Option<StockEntry>> {
        self.scoped(company)?;
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM stock_entries WHERE company_id = $1 AND id = $2");
        run!(self, fetch_optional, sqlx::AssertSqlSafe(sql), company.0, id.0)?.as_ref().map(entry_from).transpose()
    }

    async fn stock_entries(
        &mut self,
        company: CompanyId,
        f: &StockEntryFilter,
        page: Page<StockEntryId>,
    ) -> StoreResult<Vec<StockEntry>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM stock_entries e WHERE e.company_id = $1 AND e.vessel_id = $2 AND {} AND {} AND {}
              ORDER BY e.id DESC LIMIT $6",
            filter(f.part.is_some(), "$3", "e.part_id = $3"),
            filter(f.location.is_some(), "$4", "e.location_id = $4"),
            filter(page.after.is_some(), "$5", "e.id < $5"),
        );
        run!(
            self,
            fetch_all,
            sqlx::AssertSqlSafe(sql),
            company.0,
            f.vessel.0,
            f.part.map(|p| p.0),
            f.location.map(|l| l.0),
            page.after.map(|p| p.0),
            limit(page.limit)
        )?
        .iter()
        .map(entry_from)
        .collect()
    }

    async fn stock_balance(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        location: StockLocationId,
        part: PartId,
    ) -> StoreResult<Option<StockBalance>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {BALANCE_COLUMNS} FROM stock_balances
              WHERE company_id = $1 AND vessel_id = $2 AND part_id = $3 AND location_id = $4"
        );
        run!(self, fetch_optional, sqlx::AssertSqlSafe(sql), company.0, vessel.0, part.0, location.0)?
            .as_ref()
            .map(balance_from)
            .transpose()
    }

    async fn put_stock_balance(&mut self, b: &StockBalance) -> StoreResult<()> {
        self.scoped(b.company_id)?;
        run!(
            self,
            execute,
            "INSERT INTO stock_balances (company_id, id, vessel_id, location_id, part_id, on_hand, version, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (company_id, vessel_id, part_id, location_id) DO UPDATE
                SET on_hand = excluded.on_hand, version = excluded.version, updated_at = excluded.updated_at",
            b.company_id.0,
            b.id.0,
            b.vessel_id.0,
            b.location_id.0,
            b.part_id.0,
            b.on_hand.0,
            b.version,
            b.updated_at
        )?;
        Ok(())
    }

    async fn vessel_stock(&mut self, company: CompanyId, vessel: VesselId, limit: u32) -> StoreResult<Vec<StockRow>> {
        self.scoped(company)?;
        // The balances, each with its part by primary key (CROSS JOIN keeps SQLite from walking
        // the parts in number order and searching the balances for each), then the parts that
        // only have a rule, then the rules; ordered here. The limit is written into the text (at
        // most STOCK_CAP + 1): a bound LIMIT makes SQLite prepare again. Each row comes with its
        // part's stored number key, to order by without normalising ten thousand numbers again.
        let held = format!(
            "SELECT {PART_SUMMARY_COLUMNS}, p.number_key, b.location_id, b.on_hand
               FROM stock_balances b CROSS JOIN parts p
              WHERE b.company_id = $1 AND b.vessel_id = $2 AND p.company_id = b.company_id AND p.id = b.part_id
                AND p.deleted_at IS NULL LIMIT {}",
            u64::from(limit.max(1))
        );
        let mut rows = run!(self, fetch_all, sqlx::AssertSqlSafe(held), company.0, vessel.0)?
            .iter()
            .map(|r| {
                let row = StockRow {
                    part: part_summary_from(r)?,
                    balance: Some((StockLocationId(r.get("location_id")?), Quantity(r.get("on_hand")?))),
                    rule: None,
                };
                Ok((r.get::<String>("number_key")?, row))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let ruled_only = format!(
            "SELECT {PART_SUMMARY_COLUMNS}, p.number_key
               FROM stock_rules r CROSS JOIN parts p
              WHERE r.company_id = $1 AND r.vessel_id = $2 AND p.company_id = r.company_id AND p.id = r.part_id
                AND p.deleted_at IS NULL
                AND NOT EXISTS (SELECT 1 FROM stock_balances x
                                 WHERE x.company_id = $1 AND x.vessel_id = $2 AND x.part_id = r.part_id)
              LIMIT {}",
            u64::from(limit.max(1))
        );
        for r in run!(self, fetch_all, sqlx::AssertSqlSafe(ruled_only), company.0, vessel.0)? {
            rows.push((r.get("number_key")?, StockRow { part: part_summary_from(&r)?, balance: None, rule: None }));
        }
        let rules: std::collections::HashMap<uuid::Uuid, StockRule> = run!(
            self,
            fetch_all,
            "SELECT part_id, minimum, reorder FROM stock_rules WHERE company_id = $1 AND vessel_id = $2",
            company.0,
            vessel.0
        )?
        .iter()
        .map(|r| {
            Ok((
                r.get("part_id")?,
                StockRule { minimum: Quantity(r.get("minimum")?), reorder: Quantity(r.get("reorder")?) },
            ))
        })
        .collect::<StoreResult<_>>()?;
        for (_, row) in &mut rows {
            row.rule = rules.get(&row.part.id.0).copied();
        }
        rows.sort_unstable_by(|(ka, a), (kb, b)| {
            let location = |r: &StockRow| r.balance.map(|(l, _)| l);
            ka.cmp(kb).then(a.part.id.cmp(&b.part.id)).then(location(a).cmp(&location(b)))
        });
        rows.truncate(limit.max(1) as usize);
        Ok(rows.into_iter().map(|(_, row)| row).collect())
    }

    async fn stock_balances(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        part: Option<PartId>,
    ) -> StoreResult<Vec<StockBalance>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {BALANCE_COLUMNS} FROM stock_balances b WHERE b.company_id = $1 AND b.vessel_id = $2 AND {}
              ORDER BY b.part_id, b.location_id",
            filter(part.is_some(), "$3", "b.part_id = $3"),
        );
        run!(self, fetch_all, sqlx::AssertSqlSafe(sql), company.0, vessel.0, part.map(|p| p.0))?
            .iter()
            .map(balance_from)
            .collect()
    }

    async fn insert_transfer(&mut self, t: &StoredTransfer) -> StoreResult<()> {
        self.scoped(t.company_id)?;
        let x = &t.transfer;
        run!(
            self,
            execute,
            "INSERT INTO stock_transfers (company_id, id, part_id, from_vessel_id, from_location_id, to_vessel_id,
                 to_location_id, sent, received, dispatched_by, dispatched_at, received_by, received_at, version,
                 created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
            t.company_id.0,
            x.id.0,
            x.part_id.0,
            x.from.0.0,
            x.from.1.0,
            x.to.0.0,
            x.to.1.0,
            x.sent.0,
            x.received.map(|q| q.0),
            t.dispatched_by.0,
            t.dispatched_at,
            t.received_by.map(|u| u.0),
            t.received_at,
            t.version,
            t.dispatched_at,
            t.updated_at
        )?;
        Ok(())
    }

    async fn transfer(&mut self, company: CompanyId, id: TransferId) -> StoreResult<Option<StoredTransfer>> {
        self.scoped(company)?;
        let sql = format!("SELECT {TRANSFER_COLUMNS} FROM stock_transfers WHERE company_id = $1 AND id = $2");
        run!(self, fetch_optional, sqlx::AssertSqlSafe(sql), company.0, id.0)?.as_ref().map(transfer_from).transpose()
    }

    async fn update_transfer(&mut self, t: &StoredTransfer) -> StoreResult<()> {
        self.scoped(t.company_id)?;
        let n = run!(self, execute,
            "UPDATE stock_transfers SET received = $3, received_by = $4, received_at = $5, version = $6, updated_at = $7
              WHERE company_id = $1 AND id = $2",
            t.company_id.0, t.transfer.id.0, t.transfer.received.map(|q| q.0), t.received_by.map(|u| u.0),
            t.received_at, t.version, t.updated_at)?;
        expect_one(n)
    }

    async fn incoming_transfers(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
    ) -> StoreResult<Vec<(PartId, Quantity)>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_all,
            "SELECT part_id, CAST(SUM(sent) AS BIGINT) AS incoming FROM stock_transfers
              WHERE company_id = $1 AND to_vessel_id = $2 AND received IS NULL
              GROUP BY part_id ORDER BY part_id",
            company.0,
            vessel.0
        )?
        .iter()
        .map(|r| Ok((PartId(r.get("part_id")?), Quantity(r.get("incoming")?))))
        .collect()
    }

    async fn list_transfers(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        in_transit_only: bool,
        page: Page<TransferId>,
    ) -> StoreResult<Vec<StoredTransfer>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {TRANSFER_COLUMNS} FROM stock_transfers
              WHERE company_id = $1 AND (from_vessel_id = $2 OR to_vessel_id = $2) AND {} AND {}
              ORDER BY id DESC LIMIT $4",
            filter(page.after.is_some(), "$3", "id < $3"),
            if in_transit_only { "received IS NULL" } else { "1 = 1" },
        );
        run!(
            self,
            fetch_all,
            sqlx::AssertSqlSafe(sql),
            company.0,
            vessel.0,
            page.after.map(|t| t.0),
            limit(page.limit)
        )?
        .iter()
        .map(transfer_from)
        .collect()
    }
}
