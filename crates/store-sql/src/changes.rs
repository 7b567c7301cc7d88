//! The sync change log: one row per change of a synced row, numbered per scope inside the
//! writing transaction (a sequence would commit out of order and readers would skip rows).

use async_trait::async_trait;
use bosun_domain::CompanyId;
use bosun_store::{
    Change, ChangeLog, ChangeOrigin, CompactionTarget, ConflictFilter, StoreError, StoreResult, StoredUpload,
    SyncClient, SyncConflict, SyncRejection, SyncRepo, SyncUpload,
};
use chrono::{DateTime, Utc};
use sqlx::types::Json;
use uuid::Uuid;

use crate::{SqlTx, limit, run};

#[async_trait]
impl ChangeLog for SqlTx {
    async fn record_change(&mut self, company: CompanyId, c: &Change) -> StoreResult<i64> {
        self.scoped(company)?;
        let origin = self.origin.clone();
        if let crate::Conn::Pg(conn) = &mut self.conn {
            // One round trip on PostgreSQL: the scope's row stays locked from its number to the
            // commit, so every statement after it lengthens each write of the scope.
            let seq: i64 = sqlx::query_scalar(
                "WITH s AS (INSERT INTO sync_scopes (company_id, scope, seq) VALUES ($1, $2, 1)
                            ON CONFLICT (company_id, scope) DO UPDATE SET seq = sync_scopes.seq + 1
                            RETURNING seq)
                 INSERT INTO sync_changes (company_id, scope, seq, entity, row_id, op, fields, at, client_id,
                                           mutation_id, hlc)
                 SELECT $1, $2, s.seq, $3, $4, $5, $6, $7, $8, $9, $10 FROM s
                 RETURNING seq",
            )
            .bind(company.0)
            .bind(&c.scope)
            .bind(c.entity)
            .bind(c.row_id)
            .bind(c.op)
            .bind(Json(&c.fields))
            .bind(c.at)
            .bind(origin.as_ref().map(|o| o.client_id))
            .bind(origin.as_ref().map(|o| o.mutation_id))
            .bind(origin.as_ref().and_then(|o| o.hlc.clone()))
            .fetch_one(&mut **conn)
            .await
            .map_err(crate::classify)?;
            self.scopes.insert(c.scope.clone());
            return Ok(seq);
        }
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
            "INSERT INTO sync_changes (company_id, scope, seq, entity, row_id, op, fields, at, client_id, mutation_id, hlc)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            company.0,
            &c.scope,
            seq,
            c.entity,
            c.row_id,
            c.op,
            Json(&c.fields),
            c.at,
            origin.as_ref().map(|o| o.client_id),
            origin.as_ref().map(|o| o.mutation_id),
            origin.as_ref().and_then(|o| o.hlc.clone())
        )?;
        self.scopes.insert(c.scope.clone());
        Ok(seq)
    }

    async fn record_changes(&mut self, company: CompanyId, changes: &[Change]) -> StoreResult<Vec<i64>> {
        self.scoped(company)?;
        let origin = self.origin.clone();
        let crate::Conn::Pg(c) = &mut self.conn else {
            let mut seqs = Vec::with_capacity(changes.len());
            for ch in changes {
                seqs.push(self.record_change(company, ch).await?);
            }
            return Ok(seqs);
        };
        // Each run of changes of one scope: its numbers taken at once, its rows in one insert.
        let mut seqs = Vec::with_capacity(changes.len());
        for run in changes.chunk_by(|a, b| a.scope == b.scope) {
            let scope = &run[0].scope;
            let n = i64::try_from(run.len()).map_err(|e| StoreError::Other(e.to_string()))?;
            let last: i64 = sqlx::query_scalar(
                "INSERT INTO sync_scopes (company_id, scope, seq) VALUES ($1, $2, $3)
                 ON CONFLICT (company_id, scope) DO UPDATE SET seq = sync_scopes.seq + $3
                 RETURNING seq",
            )
            .bind(company.0)
            .bind(scope)
            .bind(n)
            .fetch_one(&mut **c)
            .await
            .map_err(crate::classify)?;
            let numbers: Vec<i64> = (last - n + 1..=last).collect();
            let fields: Vec<String> = run.iter().map(|ch| ch.fields.to_string()).collect();
            sqlx::query(
                "INSERT INTO sync_changes (company_id, scope, seq, entity, row_id, op, fields, at, client_id, mutation_id, hlc)
                 SELECT $1, $2, s.seq, s.entity, s.row_id, s.op, s.fields::jsonb, s.at, $9, $10, $11
                   FROM UNNEST($3::bigint[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::timestamptz[])
                        AS s (seq, entity, row_id, op, fields, at)",
            )
            .bind(company.0)
            .bind(scope)
            .bind(&numbers)
            .bind(run.iter().map(|ch| ch.entity).collect::<Vec<_>>())
            .bind(run.iter().map(|ch| ch.row_id).collect::<Vec<_>>())
            .bind(run.iter().map(|ch| ch.op).collect::<Vec<_>>())
            .bind(&fields)
            .bind(run.iter().map(|ch| ch.at).collect::<Vec<_>>())
            .bind(origin.as_ref().map(|o| o.client_id))
            .bind(origin.as_ref().map(|o| o.mutation_id))
            .bind(origin.as_ref().and_then(|o| o.hlc.clone()))
            .execute(&mut **c)
            .await
            .map_err(crate::classify)?;
            seqs.extend(numbers);
            self.scopes.insert(scope.clone());
        }
        Ok(seqs)
    }

    async fn lock_scope(&mut self, company: CompanyId, scope: &str) -> StoreResult<i64> {
        self.scoped(company)?;
        // A no-op update takes the row lock (one text for both drivers); a new scope starts at 0.
        run!(
            self,
            fetch_optional,
            "INSERT INTO sync_scopes (company_id, scope, seq) VALUES ($1, $2, 0)
             ON CONFLICT (company_id, scope) DO UPDATE SET seq = sync_scopes.seq
             RETURNING seq",
            company.0,
            scope
        )?
        .ok_or(StoreError::NotFound)?
        .get("seq")
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
        .map(|r| Ok((r.get("seq")?, change_from(r, scope.to_owned())?)))
        .collect()
    }

    async fn compaction_targets(
        &mut self,
        company: CompanyId,
        before: DateTime<Utc>,
    ) -> StoreResult<Vec<CompactionTarget>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_all,
            "SELECT s.scope, s.compacted_seq,
                    (SELECT max(c.seq) FROM sync_changes c
                      WHERE c.company_id = s.company_id AND c.scope = s.scope AND c.at < $2) AS upto_seq
               FROM sync_scopes s WHERE s.company_id = $1 ORDER BY s.scope",
            company.0,
            before
        )?
        .iter()
        .map(|r| {
            Ok(CompactionTarget {
                scope: r.get("scope")?,
                upto_seq: r.get("upto_seq")?,
                compacted_seq: r.get("compacted_seq")?,
            })
        })
        .collect()
    }

    async fn changes_by_row(
        &mut self,
        company: CompanyId,
        scope: &str,
        upto_seq: i64,
        after: (&str, Uuid, i64),
        n: u32,
    ) -> StoreResult<Vec<(i64, Change)>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_all,
            "SELECT seq, entity, row_id, op, fields, at FROM sync_changes
              WHERE company_id = $1 AND scope = $2 AND seq <= $3 AND (entity, row_id, seq) > ($4, $5, $6)
              ORDER BY entity, row_id, seq LIMIT $7",
            company.0,
            scope,
            upto_seq,
            after.0,
            after.1,
            after.2,
            limit(n)
        )?
        .iter()
        .map(|r| Ok((r.get("seq")?, change_from(r, scope.to_owned())?)))
        .collect()
    }

    async fn rewrite_change(
        &mut self,
        company: CompanyId,
        scope: &str,
        seq: i64,
        op: &str,
        fields: &serde_json::Value,
    ) -> StoreResult<()> {
        self.scoped(company)?;
        run!(
            self,
            execute,
            "UPDATE sync_changes SET op = $4, fields = $5 WHERE company_id = $1 AND scope = $2 AND seq = $3",
            company.0,
            scope,
            seq,
            op,
            Json(fields)
        )?;
        Ok(())
    }

    async fn delete_change(&mut self, company: CompanyId, scope: &str, seq: i64) -> StoreResult<()> {
        self.scoped(company)?;
        run!(
            self,
            execute,
            "DELETE FROM sync_changes WHERE company_id = $1 AND scope = $2 AND seq = $3",
            company.0,
            scope,
            seq
        )?;
        Ok(())
    }

    async fn drop_tombstones(
        &mut self,
        company: CompanyId,
        scope: &str,
        before: DateTime<Utc>,
        upto_seq: i64,
    ) -> StoreResult<u64> {
        self.scoped(company)?;
        let last: Option<i64> = run!(
            self,
            fetch_optional,
            "SELECT max(seq) AS seq FROM sync_changes
              WHERE company_id = $1 AND scope = $2 AND op = 'delete' AND at < $3 AND seq <= $4",
            company.0,
            scope,
            before,
            upto_seq
        )?
        .map_or(Ok(None), |r| r.get("seq"))?;
        let Some(last) = last else { return Ok(0) };
        let gone = run!(
            self,
            execute,
            "DELETE FROM sync_changes WHERE company_id = $1 AND scope = $2 AND op = 'delete' AND seq <= $3",
            company.0,
            scope,
            last
        )?;
        run!(
            self,
            execute,
            "UPDATE sync_scopes SET horizon_seq = $3 WHERE company_id = $1 AND scope = $2 AND horizon_seq < $3",
            company.0,
            scope,
            last
        )?;
        Ok(gone)
    }

    async fn scope_marks(
        &mut self,
        company: CompanyId,
    ) -> StoreResult<std::collections::BTreeMap<String, bosun_store::ScopeMarks>> {
        self.scoped(company)?;
        run!(self, fetch_all, "SELECT scope, seq, horizon_seq FROM sync_scopes WHERE company_id = $1", company.0)?
            .iter()
            .map(|r| {
                Ok((r.get("scope")?, bosun_store::ScopeMarks { head: r.get("seq")?, horizon: r.get("horizon_seq")? }))
            })
            .collect()
    }

    async fn mark_compacted(&mut self, company: CompanyId, scope: &str, seq: i64) -> StoreResult<()> {
        self.scoped(company)?;
        run!(
            self,
            execute,
            "UPDATE sync_scopes SET compacted_seq = $3 WHERE company_id = $1 AND scope = $2 AND compacted_seq < $3",
            company.0,
            scope,
            seq
        )?;
        Ok(())
    }
}

fn change_from(r: &crate::rows::DbRow, scope: String) -> StoreResult<Change> {
    let entity: String = r.get("entity")?;
    let op: String = r.get("op")?;
    let fields: Json<serde_json::Value> = r.get("fields")?;
    Ok(Change {
        scope,
        entity: known(&entity, ENTITIES)?,
        row_id: r.get("row_id")?,
        op: known(&op, &["insert", "update", "delete"])?,
        fields: fields.0,
        at: r.get("at")?,
    })
}

fn origin_from(r: &crate::rows::DbRow) -> StoreResult<Option<ChangeOrigin>> {
    let client: Option<Uuid> = r.get("client_id")?;
    let mutation: Option<i64> = r.get("mutation_id")?;
    Ok(match (client, mutation) {
        (Some(client_id), Some(mutation_id)) => Some(ChangeOrigin { client_id, mutation_id, hlc: r.get("hlc")? }),
        _ => None,
    })
}

macro_rules! conflict_columns {
    () => {
        "id, scope, entity, row_id, field, winner, loser, mutation_side, mutation_name, mutation_args, client_id, \
         mutation_id, mutation_hlc, by_user, other_seq, other_hlc, other_client_id, state, kept, resolved_by, \
         resolved_at, created_at"
    };
}

fn conflict_from(r: &crate::rows::DbRow) -> StoreResult<SyncConflict> {
    let json = |name: &str| -> StoreResult<serde_json::Value> { Ok(r.get::<Json<serde_json::Value>>(name)?.0) };
    Ok(SyncConflict {
        id: r.get("id")?,
        scope: r.get("scope")?,
        entity: r.get("entity")?,
        row_id: r.get("row_id")?,
        field: r.get("field")?,
        winner: json("winner")?,
        loser: json("loser")?,
        mutation_side: r.get("mutation_side")?,
        mutation_name: r.get("mutation_name")?,
        mutation_args: json("mutation_args")?,
        client_id: r.get("client_id")?,
        mutation_id: r.get("mutation_id")?,
        mutation_hlc: r.get("mutation_hlc")?,
        by_user: r.get("by_user")?,
        other_seq: r.get("other_seq")?,
        other_hlc: r.get("other_hlc")?,
        other_client_id: r.get("other_client_id")?,
        state: r.get("state")?,
        kept: r.get("kept")?,
        resolved_by: r.get("resolved_by")?,
        resolved_at: r.get("resolved_at")?,
        created_at: r.get("created_at")?,
    })
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
    "meter_link",
    "fault",
    "fault_comment",
    "parts_order",
    "part",
    "stock_location",
    "stock_rule",
    "stock_entry",
    "stock_balance",
    "stock_transfer",
    "supplier",
    "requisition",
    "purchase_order",
    "purchase_order_line",
    "po_receipt",
    "work_order",
    "step_result",
    "labour_entry",
    "procedure",
    "maintenance_plan",
    "plan_postponement",
    "assignment",
    "daily_report",
    "daily_report_revision",
    "handover",
    "handover_draft",
    "attachment",
    "sync_conflict",
];

fn known(s: &str, names: &[&'static str]) -> StoreResult<&'static str> {
    names.iter().copied().find(|n| *n == s).ok_or_else(|| StoreError::Other(format!("unknown change kind {s:?}")))
}

fn sync_client_from(r: &crate::rows::DbRow) -> StoreResult<SyncClient> {
    Ok(SyncClient {
        client_id: r.get("client_id")?,
        user_id: r.get("user_id")?,
        last_mutation_id: r.get("last_mutation_id")?,
    })
}

#[async_trait]
impl SyncRepo for SqlTx {
    async fn sync_client(&mut self, company: CompanyId, client: Uuid) -> StoreResult<Option<SyncClient>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_optional,
            "SELECT client_id, user_id, last_mutation_id FROM sync_clients WHERE company_id = $1 AND client_id = $2",
            company.0,
            client
        )?
        .as_ref()
        .map(sync_client_from)
        .transpose()
    }

    async fn register_sync_client(
        &mut self,
        company: CompanyId,
        client: Uuid,
        user: Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.scoped(company)?;
        run!(
            self,
            execute,
            "INSERT INTO sync_clients (company_id, client_id, user_id, last_mutation_id, updated_at)
             VALUES ($1, $2, $3, 0, $4) ON CONFLICT (company_id, client_id) DO NOTHING",
            company.0,
            client,
            user,
            at
        )?;
        Ok(())
    }

    async fn advance_sync_client(
        &mut self,
        company: CompanyId,
        client: Uuid,
        mutation: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.scoped(company)?;
        let n = run!(
            self,
            execute,
            "UPDATE sync_clients SET last_mutation_id = $3, updated_at = $4
              WHERE company_id = $1 AND client_id = $2 AND last_mutation_id < $3",
            company.0,
            client,
            mutation,
            at
        )?;
        Ok(n > 0)
    }

    async fn insert_sync_rejection(&mut self, company: CompanyId, r: &SyncRejection) -> StoreResult<()> {
        self.scoped(company)?;
        run!(
            self,
            execute,
            "INSERT INTO sync_rejections (company_id, client_id, mutation_id, name, args, code, detail, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            company.0,
            r.client_id,
            r.mutation_id,
            &r.name,
            Json(&r.args),
            &r.code,
            &r.detail,
            r.at
        )?;
        Ok(())
    }

    async fn sync_rejections(
        &mut self,
        company: CompanyId,
        client: Uuid,
        from: i64,
        to: i64,
    ) -> StoreResult<Vec<SyncRejection>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_all,
            "SELECT client_id, mutation_id, name, args, code, detail, at FROM sync_rejections
              WHERE company_id = $1 AND client_id = $2 AND mutation_id >= $3 AND mutation_id <= $4
              ORDER BY mutation_id LIMIT 1000",
            company.0,
            client,
            from,
            to
        )?
        .iter()
        .map(|r| {
            let args: Json<serde_json::Value> = r.get("args")?;
            Ok(SyncRejection {
                client_id: r.get("client_id")?,
                mutation_id: r.get("mutation_id")?,
                name: r.get("name")?,
                args: args.0,
                code: r.get("code")?,
                detail: r.get("detail")?,
                at: r.get("at")?,
            })
        })
        .collect()
    }

    async fn sync_clients_of(&mut self, company: CompanyId, user: Uuid) -> StoreResult<Vec<SyncClient>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_all,
            "SELECT client_id, user_id, last_mutation_id FROM sync_clients
              WHERE company_id = $1 AND user_id = $2 ORDER BY client_id LIMIT 100",
            company.0,
            user
        )?
        .iter()
        .map(sync_client_from)
        .collect()
    }

    async fn change_origins(
        &mut self,
        company: CompanyId,
        scope: &str,
        after_seq: i64,
        n: u32,
    ) -> StoreResult<Vec<(i64, ChangeOrigin)>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_all,
            "SELECT seq, client_id, mutation_id, hlc FROM sync_changes
              WHERE company_id = $1 AND scope = $2 AND seq > $3 AND client_id IS NOT NULL ORDER BY seq LIMIT $4",
            company.0,
            scope,
            after_seq,
            limit(n)
        )?
        .iter()
        .map(|r| {
            Ok((
                r.get("seq")?,
                ChangeOrigin { client_id: r.get("client_id")?, mutation_id: r.get("mutation_id")?, hlc: r.get("hlc")? },
            ))
        })
        .collect()
    }

    fn set_change_origin(&mut self, origin: Option<ChangeOrigin>) {
        self.origin = origin;
    }

    async fn row_history(
        &mut self,
        company: CompanyId,
        entity: &str,
        row: Uuid,
        n: u32,
    ) -> StoreResult<Vec<(i64, Change, Option<ChangeOrigin>)>> {
        self.scoped(company)?;
        let mut out = run!(
            self,
            fetch_all,
            "SELECT scope, seq, entity, row_id, op, fields, at, client_id, mutation_id, hlc FROM sync_changes
              WHERE company_id = $1 AND entity = $2 AND row_id = $3 ORDER BY seq DESC LIMIT $4",
            company.0,
            entity,
            row,
            limit(n)
        )?
        .iter()
        .map(|r| Ok((r.get("seq")?, change_from(r, r.get("scope")?)?, origin_from(r)?)))
        .collect::<StoreResult<Vec<_>>>()?;
        out.reverse();
        Ok(out)
    }

    async fn insert_sync_conflict(&mut self, company: CompanyId, c: &SyncConflict) -> StoreResult<()> {
        self.scoped(company)?;
        run!(
            self,
            execute,
            "INSERT INTO sync_conflicts (company_id, id, scope, entity, row_id, field, winner, loser, mutation_side,
                 mutation_name, mutation_args, client_id, mutation_id, mutation_hlc, by_user, other_seq, other_hlc,
                 other_client_id, state, kept, resolved_by, resolved_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
                 $22, $23)",
            company.0,
            c.id,
            &c.scope,
            &c.entity,
            c.row_id,
            &c.field,
            Json(&c.winner),
            Json(&c.loser),
            &c.mutation_side,
            &c.mutation_name,
            Json(&c.mutation_args),
            c.client_id,
            c.mutation_id,
            &c.mutation_hlc,
            c.by_user,
            c.other_seq,
            &c.other_hlc,
            c.other_client_id,
            &c.state,
            c.kept.as_deref(),
            c.resolved_by,
            c.resolved_at,
            c.created_at
        )?;
        Ok(())
    }

    async fn sync_conflict(&mut self, company: CompanyId, id: Uuid) -> StoreResult<Option<SyncConflict>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_optional,
            concat!("SELECT ", conflict_columns!(), " FROM sync_conflicts WHERE company_id = $1 AND id = $2"),
            company.0,
            id
        )?
        .as_ref()
        .map(conflict_from)
        .transpose()
    }

    async fn sync_conflicts(
        &mut self,
        company: CompanyId,
        filter: &ConflictFilter,
        after: Option<Uuid>,
        n: u32,
    ) -> StoreResult<Vec<SyncConflict>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_all,
            concat!(
                "SELECT ",
                conflict_columns!(),
                " FROM sync_conflicts
                  WHERE company_id = $1 AND ($2 IS NULL OR scope = $2) AND ($3 IS NULL OR state = $3)
                    AND ($4 IS NULL OR id > $4)
                  ORDER BY id LIMIT $5"
            ),
            company.0,
            filter.scope.as_deref(),
            filter.state.as_deref(),
            after,
            limit(n)
        )?
        .iter()
        .map(conflict_from)
        .collect()
    }

    async fn sync_upload(&mut self, company: CompanyId, sha256: &str) -> StoreResult<Option<SyncUpload>> {
        self.scoped(company)?;
        let row = run!(
            self,
            fetch_optional,
            "SELECT sha256, size, received, vessel_id, created_by, created_at, content_type, kind, has_thumbnail,
                    completed_at
               FROM sync_uploads WHERE company_id = $1 AND sha256 = $2",
            company.0,
            sha256
        )?;
        let Some(r) = row else { return Ok(None) };
        let completed_at: Option<DateTime<Utc>> = r.get("completed_at")?;
        let stored = match completed_at {
            Some(completed_at) => Some(StoredUpload {
                content_type: r.get::<Option<String>>("content_type")?.unwrap_or_default(),
                kind: r.get::<Option<String>>("kind")?.unwrap_or_default(),
                has_thumbnail: r.get::<Option<bool>>("has_thumbnail")?.unwrap_or(false),
                completed_at,
            }),
            None => None,
        };
        Ok(Some(SyncUpload {
            sha256: r.get("sha256")?,
            size: r.get("size")?,
            received: r.get("received")?,
            vessel_id: r.get("vessel_id")?,
            created_by: r.get("created_by")?,
            created_at: r.get("created_at")?,
            stored,
        }))
    }

    async fn hold_sync_upload(&mut self, company: CompanyId, sha256: &str) -> StoreResult<()> {
        self.scoped(company)?;
        // An update that changes nothing takes the row's lock (PostgreSQL), and a write
        // transaction of SQLite holds the one writer's lock already.
        run!(
            self,
            execute,
            "UPDATE sync_uploads SET received = received WHERE company_id = $1 AND sha256 = $2",
            company.0,
            sha256
        )?;
        Ok(())
    }

    async fn begin_sync_upload(&mut self, company: CompanyId, u: &SyncUpload) -> StoreResult<()> {
        self.scoped(company)?;
        run!(
            self,
            execute,
            "INSERT INTO sync_uploads (company_id, sha256, size, received, vessel_id, created_by, created_at)
             VALUES ($1, $2, $3, 0, $4, $5, $6) ON CONFLICT (company_id, sha256) DO NOTHING",
            company.0,
            &u.sha256,
            u.size,
            u.vessel_id,
            u.created_by,
            u.created_at
        )?;
        Ok(())
    }

    async fn append_sync_upload(
        &mut self,
        company: CompanyId,
        sha256: &str,
        offset: i64,
        bytes: &[u8],
    ) -> StoreResult<bool> {
        self.scoped(company)?;
        let len = i64::try_from(bytes.len()).map_err(|e| StoreError::Other(e.to_string()))?;
        let moved = run!(
            self,
            execute,
            "UPDATE sync_uploads SET received = received + $4
              WHERE company_id = $1 AND sha256 = $2 AND received = $3 AND completed_at IS NULL AND received + $4 <= size",
            company.0,
            sha256,
            offset,
            len
        )?;
        if moved == 0 {
            return Ok(false);
        }
        run!(
            self,
            execute,
            "INSERT INTO sync_upload_chunks (company_id, sha256, offset_bytes, bytes) VALUES ($1, $2, $3, $4)",
            company.0,
            sha256,
            offset,
            bytes
        )?;
        Ok(true)
    }

    async fn sync_upload_chunks(
        &mut self,
        company: CompanyId,
        sha256: &str,
        from: i64,
        n: u32,
    ) -> StoreResult<Vec<(i64, Vec<u8>)>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_all,
            "SELECT offset_bytes, bytes FROM sync_upload_chunks
              WHERE company_id = $1 AND sha256 = $2 AND offset_bytes >= $3 ORDER BY offset_bytes LIMIT $4",
            company.0,
            sha256,
            from,
            limit(n)
        )?
        .iter()
        .map(|r| Ok((r.get("offset_bytes")?, r.get("bytes")?)))
        .collect()
    }

    async fn complete_sync_upload(&mut self, company: CompanyId, sha256: &str, s: &StoredUpload) -> StoreResult<()> {
        self.scoped(company)?;
        // Gone meanwhile (expired): not found, so the client begins again.
        let completed = run!(
            self,
            execute,
            "UPDATE sync_uploads SET content_type = $3, kind = $4, has_thumbnail = $5, completed_at = $6
              WHERE company_id = $1 AND sha256 = $2",
            company.0,
            sha256,
            &s.content_type,
            &s.kind,
            s.has_thumbnail,
            s.completed_at
        )?;
        if completed == 0 {
            return Err(StoreError::NotFound);
        }
        run!(self, execute, "DELETE FROM sync_upload_chunks WHERE company_id = $1 AND sha256 = $2", company.0, sha256)?;
        Ok(())
    }

    async fn expire_sync_uploads(&mut self, company: CompanyId, before: DateTime<Utc>) -> StoreResult<u64> {
        self.scoped(company)?;
        run!(
            self,
            execute,
            "DELETE FROM sync_upload_chunks WHERE company_id = $1 AND sha256 IN (
                SELECT sha256 FROM sync_uploads WHERE company_id = $1 AND completed_at IS NULL AND created_at < $2)",
            company.0,
            before
        )?;
        run!(
            self,
            execute,
            "DELETE FROM sync_uploads WHERE company_id = $1 AND completed_at IS NULL AND created_at < $2",
            company.0,
            before
        )
    }

    async fn discard_sync_upload(&mut self, company: CompanyId, sha256: &str) -> StoreResult<()> {
        self.scoped(company)?;
        run!(self, execute, "DELETE FROM sync_upload_chunks WHERE company_id = $1 AND sha256 = $2", company.0, sha256)?;
        run!(self, execute, "DELETE FROM sync_uploads WHERE company_id = $1 AND sha256 = $2", company.0, sha256)?;
        Ok(())
    }

    async fn resolve_sync_conflict(
        &mut self,
        company: CompanyId,
        id: Uuid,
        kept: &str,
        by: Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.scoped(company)?;
        let n = run!(
            self,
            execute,
            "UPDATE sync_conflicts SET state = 'resolved', kept = $3, resolved_by = $4, resolved_at = $5
              WHERE company_id = $1 AND id = $2 AND state = 'open'",
            company.0,
            id,
            kept,
            by,
            at
        )?;
        Ok(n > 0)
    }
}
