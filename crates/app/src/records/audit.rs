//! Reading and verifying the audit trail.

use bosun_domain::CompanyId;
use bosun_domain::audit::{AuditEntry, ChainBreak, ChainVerifier};
use bosun_domain::permissions::Action;
use bosun_store::{AuditFilter, Page};

use crate::{Actor, Deps, Result};

/// Audit use cases.
#[derive(Clone)]
pub struct AuditService {
    /// The store, clock and event hub it works with.
    pub deps: Deps,
}

/// What `verify` found for one company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every entry links; the head matches. Holds the number of entries.
    Holds(i64),
    /// The first break found.
    Broken(ChainBreak),
}

impl AuditService {
    /// Entries matching `filter`, newest first; the cursor is the last seq returned.
    pub async fn list(
        &self,
        actor: &Actor,
        filter: AuditFilter,
        page: Page<i64>,
    ) -> Result<(Vec<AuditEntry>, Option<i64>)> {
        self.deps.authorize(actor, Action::AuditRead, "audit", None).await?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let mut rows =
            tx.list_audit(actor.company_id, &filter, Page { after: page.after, limit: page.limit + 1 }).await?;
        let next = if rows.len() > page.limit as usize {
            rows.truncate(page.limit as usize);
            rows.last().map(|e| e.seq)
        } else {
            None
        };
        Ok((rows, next))
    }

    /// Walks a company's whole chain in one snapshot.
    pub async fn verify(&self, company: CompanyId) -> Result<Verdict> {
        let mut tx = self.deps.store.begin_read(Some(company)).await?;
        let (head_seq, head_hash) = tx.audit_head(company).await?;
        let mut v = ChainVerifier::default();
        let mut after = 0;
        loop {
            let batch = tx.audit_chain(company, after, 1000).await?;
            let Some(last) = batch.last() else { break };
            after = last.seq;
            for e in &batch {
                if let Err(b) = v.check(e) {
                    return Ok(Verdict::Broken(b));
                }
            }
        }
        Ok(match v.finish(head_seq, &head_hash) {
            Ok(n) => Verdict::Holds(n),
            Err(b) => Verdict::Broken(b),
        })
    }
}
