//! The sync change log: one row per change of a synced row, numbered per scope inside the
//! writing transaction (a sequence would commit out of order and readers would skip rows).

use async_trait::async_trait;
use bosun_domain::CompanyId;
use bosun_store::{Change, ChangeLog, StoreError, StoreResult};
use sqlx::types::Json;

use crate::{SqlTx, limit, run};

#[async_trait]
impl ChangeLog for SqlTx {
    async fn record_change(&mut self, company: CompanyId, c: &Change) -> StoreResult<i64> {
        self.scoped(company)?;
        let seq: i64 = run!(
            self,
            fetch_optional,
            "INSERT INTO sync_scopes (company_id, scope, seq) VALUES ($1, $2, 1)
             ON CONFLICT (company_id, scope) DO UPDATE SET seq = sync_scopes.seq + 1
             RETURNING seq",
            company.0,
            &c.scope
        )?
        .ok_or(StoreError::NotFound)?
        .get("seq")?;
        run!(
            self,
            execute,
            "INSERT INTO sync_changes (company_id, scope, seq, entity, row_id, op, fields, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            company.0,
            &c.scope,
            seq,
            c.entity,
            c.row_id,
            c.op,
            Json(&c.fields),
            c.at
        )?;
        Ok(seq)
    }

    async fn changes_since(
        &mut self,
        company: CompanyId,
        scope: &str,
        after_seq: i64,
        n: u32,
    ) -> StoreResult<Vec<(i64, Change)>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_all,
            "SELECT seq, entity, row_id, op, fields, at FROM sync_changes
              WHERE company_id = $1 AND scope = $2 AND seq > $3 ORDER BY seq LIMIT $4",
            company.0,
            scope,
            after_seq,
            limit(n)
        )?
        .iter()
        .map(|r| {
            let entity: String = r.get("entity")?;
            let op: String = r.get("op")?;
            let fields: Json<serde_json::Value> = r.get("fields")?;
            Ok((
                r.get("seq")?,
                Change {
                    scope: scope.to_owned(),
                    entity: known(&entity, ENTITIES)?,
                    row_id: r.get("row_id")?,
                    op: known(&op, &["insert", "update", "delete"])?,
                    fields: fields.0,
                    at: r.get("at")?,
                },
            ))
        })
        .collect()
    }
}

/// Every entity the change log records.
const ENTITIES: &[&str] = &[
    "company",
    "membership",
    "vessel",
    "department",
    "vessel_member",
    "equipment",
    "meter_reading",
    "fault",
    "fault_comment",
    "parts_order",
    "handover",
    "attachment",
];

fn known(s: &str, names: &[&'static str]) -> StoreResult<&'static str> {
    names.iter().copied().find(|n| *n == s).ok_or_else(|| StoreError::Other(format!("unknown change kind {s:?}")))
}
