//! The audit chain: append at the head under the head row's lock, read back for the API and
//! for `bosun audit verify`.

use async_trait::async_trait;
use bosun_domain::audit::{AuditEntry, NewAuditEntry, Outcome, chain_hash};
use bosun_domain::{AuditId, CompanyId, UserId};
use bosun_store::{AuditFilter, AuditRepo, Page, StoreError, StoreResult};

use crate::rows::DbRow;
use crate::{SqlTx, limit, run};

macro_rules! columns {
    () => {
        "company_id, seq, id, at, actor_id, action, entity, entity_id, before, after, outcome, ip, user_agent, \
         request_id, prev_hash, hash"
    };
}

fn entry_from(r: &DbRow) -> StoreResult<AuditEntry> {
    let outcome: String = r.get("outcome")?;
    Ok(AuditEntry {
        company_id: CompanyId(r.get("company_id")?),
        seq: r.get("seq")?,
        entry: NewAuditEntry {
            id: AuditId(r.get("id")?),
            at: r.get("at")?,
            actor: r.get::<Option<uuid::Uuid>>("actor_id")?.map(UserId),
            action: r.get("action")?,
            entity: r.get("entity")?,
            entity_id: r.get("entity_id")?,
            before: r.get("before")?,
            after: r.get("after")?,
            outcome: Outcome::parse(&outcome).ok_or_else(|| StoreError::Other(format!("outcome {outcome:?}")))?,
            ip: r.get("ip")?,
            user_agent: r.get("user_agent")?,
            request_id: r.get("request_id")?,
        },
        prev_hash: r.get("prev_hash")?,
        hash: r.get("hash")?,
    })
}

#[async_trait]
impl AuditRepo for SqlTx {
    async fn append_audit(&mut self, company: CompanyId, e: &NewAuditEntry) -> StoreResult<AuditEntry> {
        self.scoped(company)?;
        // Taking the next seq updates the head row, which locks it until commit: appends to one
        // company's chain are serialised, appends to different companies are not.
        let head = run!(
            self,
            fetch_optional,
            "UPDATE audit_heads SET seq = seq + 1 WHERE company_id = $1 RETURNING seq, hash",
            company.0
        )?
        .ok_or(StoreError::NotFound)?;
        let seq: i64 = head.get("seq")?;
        let prev_hex: String = head.get("hash")?;
        let prev: [u8; 32] = hex::decode(&prev_hex)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| StoreError::Other("audit head hash is malformed".into()))?;
        let hash = hex::encode(chain_hash(&prev, seq, &e.canonical(company)));
        if let crate::Conn::Pg(c) = &mut self.conn {
            // The entry and the head's new hash in one round trip on PostgreSQL: the head stays
            // locked until commit, so each statement saved shortens every append of the company.
            sqlx::query(
                "WITH head AS (UPDATE audit_heads SET hash = $16 WHERE company_id = $1)
                 INSERT INTO audit_log (company_id, seq, id, at, actor_id, action, entity, entity_id, before, after,
                                        outcome, ip, user_agent, request_id, prev_hash, hash)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
            )
            .bind(company.0)
            .bind(seq)
            .bind(e.id.0)
            .bind(e.at)
            .bind(e.actor.map(|a| a.0))
            .bind(&e.action)
            .bind(&e.entity)
            .bind(&e.entity_id)
            .bind(&e.before)
            .bind(&e.after)
            .bind(e.outcome.as_str())
            .bind(&e.ip)
            .bind(&e.user_agent)
            .bind(&e.request_id)
            .bind(&prev_hex)
            .bind(&hash)
            .execute(&mut **c)
            .await
            .map_err(crate::classify)?;
            return Ok(AuditEntry { company_id: company, seq, entry: e.clone(), prev_hash: prev_hex, hash });
        }
        run!(self, execute,
            "INSERT INTO audit_log (company_id, seq, id, at, actor_id, action, entity, entity_id, before, after, outcome,
                                    ip, user_agent, request_id, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
            company.0, seq, e.id.0, e.at, e.actor.map(|a| a.0), &e.action, &e.entity, &e.entity_id, &e.before,
            &e.after, e.outcome.as_str(), &e.ip, &e.user_agent, &e.request_id, &prev_hex, &hash)?;
        run!(self, execute, "UPDATE audit_heads SET hash = $2 WHERE company_id = $1", company.0, &hash)?;
        Ok(AuditEntry { company_id: company, seq, entry: e.clone(), prev_hash: prev_hex, hash })
    }

    async fn append_audits(&mut self, company: CompanyId, entries: &[NewAuditEntry]) -> StoreResult<()> {
        self.scoped(company)?;
        let crate::Conn::Pg(c) = &mut self.conn else {
            for e in entries {
                self.append_audit(company, e).await?;
            }
            return Ok(());
        };
        if entries.is_empty() {
            return Ok(());
        }
        let n = i64::try_from(entries.len()).map_err(|e| StoreError::Other(e.to_string()))?;
        // The head's numbers taken at once (its row locked until commit, as for one entry).
        let head: (i64, String) =
            sqlx::query_as("UPDATE audit_heads SET seq = seq + $2 WHERE company_id = $1 RETURNING seq, hash")
                .bind(company.0)
                .bind(n)
                .fetch_optional(&mut **c)
                .await
                .map_err(crate::classify)?
                .ok_or(StoreError::NotFound)?;
        let (last, mut prev_hex) = head;
        let (mut seqs, mut prevs, mut hashes) = (Vec::new(), Vec::new(), Vec::new());
        for (i, e) in entries.iter().enumerate() {
            let seq = last - n + 1 + i as i64;
            let prev: [u8; 32] = hex::decode(&prev_hex)
                .ok()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| StoreError::Other("audit head hash is malformed".into()))?;
            let hash = hex::encode(chain_hash(&prev, seq, &e.canonical(company)));
            seqs.push(seq);
            prevs.push(std::mem::replace(&mut prev_hex, hash.clone()));
            hashes.push(hash);
        }
        sqlx::query(
            "INSERT INTO audit_log (company_id, seq, id, at, actor_id, action, entity, entity_id, before, after, outcome,
                                    ip, user_agent, request_id, prev_hash, hash)
             SELECT $1, s.* FROM UNNEST($2::bigint[], $3::uuid[], $4::timestamptz[], $5::uuid[], $6::text[], $7::text[],
                                        $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
                                        $14::text[], $15::text[], $16::text[])
                    AS s (seq, id, at, actor_id, action, entity, entity_id, before, after, outcome, ip, user_agent,
                          request_id, prev_hash, hash)",
        )
        .bind(company.0)
        .bind(&seqs)
        .bind(entries.iter().map(|e| e.id.0).collect::<Vec<_>>())
        .bind(entries.iter().map(|e| e.at).collect::<Vec<_>>())
        .bind(entries.iter().map(|e| e.actor.map(|a| a.0)).collect::<Vec<_>>())
        .bind(entries.iter().map(|e| e.action.clone()).collect::<Vec<_>>())
        .bind(entries.iter().map(|e| e.entity.clone()).collect::<Vec<_>>())
        .bind(entries.iter().map(|e| e.entity_id.clone()).collect::<Vec<_>>())
        .bind(entries.iter().map(|e| e.before.clone()).collect::<Vec<_>>())
        .bind(entries.iter().map(|e| e.after.clone()).collect::<Vec<_>>())
        .bind(entries.iter().map(|e| e.outcome.as_str()).collect::<Vec<_>>())
        .bind(entries.iter().map(|e| e.ip.clone()).collect::<Vec<_>>())
        .bind(entries.iter().map(|e| e.user_agent.clone()).collect::<Vec<_>>())
        .bind(entries.iter().map(|e| e.request_id.clone()).collect::<Vec<_>>())
        .bind(&prevs)
        .bind(&hashes)
        .execute(&mut **c)
        .await
        .map_err(crate::classify)?;
        sqlx::query("UPDATE audit_heads SET hash = $2 WHERE company_id = $1")
            .bind(company.0)
            .bind(&prev_hex)
            .execute(&mut **c)
            .await
            .map_err(crate::classify)?;
        Ok(())
    }

    async fn list_audit(
        &mut self,
        company: CompanyId,
        f: &AuditFilter,
        page: Page<i64>,
    ) -> StoreResult<Vec<AuditEntry>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT ",
            columns!(),
            " FROM audit_log WHERE company_id = $1 AND ($2 IS NULL OR seq < $2)
                AND ($3 IS NULL OR action = $3) AND ($4 IS NULL OR entity = $4) AND ($5 IS NULL OR entity_id = $5)
                AND ($6 IS NULL OR actor_id = $6) AND ($7 IS NULL OR outcome = $7)
                AND ($8 IS NULL OR at >= $8) AND ($9 IS NULL OR at < $9)
              ORDER BY seq DESC LIMIT $10"
        );
        run!(
            self,
            fetch_all,
            SQL,
            company.0,
            page.after,
            &f.action,
            &f.entity,
            &f.entity_id,
            f.actor.map(|a| a.0),
            &f.outcome,
            f.since,
            f.until,
            limit(page.limit)
        )?
        .iter()
        .map(entry_from)
        .collect()
    }

    async fn audit_chain(&mut self, company: CompanyId, after: i64, n: u32) -> StoreResult<Vec<AuditEntry>> {
        self.scoped(company)?;
        const SQL: &str =
            concat!("SELECT ", columns!(), " FROM audit_log WHERE company_id = $1 AND seq > $2 ORDER BY seq LIMIT $3");
        run!(self, fetch_all, SQL, company.0, after, limit(n))?.iter().map(entry_from).collect()
    }

    async fn audit_head(&mut self, company: CompanyId) -> StoreResult<(i64, String)> {
        self.scoped(company)?;
        let r = run!(self, fetch_optional, "SELECT seq, hash FROM audit_heads WHERE company_id = $1", company.0)?
            .ok_or(StoreError::NotFound)?;
        Ok((r.get("seq")?, r.get("hash")?))
    }
}
