//! Compaction of the sync change log (`docs/SYNC.md` "Compaction").
//!
//! Each row's run of old changes in a scope is folded into the run's last change, the way a
//! client applies them (an insert puts the row, an update writes the fields it carries, a
//! delete removes it). A client at any position before the folded change receives it and ends
//! with the row as the run left it; one at or after it had the whole run already. So catch-up
//! from every cookie stays exact, no cookie is ever reset by it, and a scope's log shrinks to
//! about one change per row plus what changed recently. Changes keep their sequence numbers
//! and the folded change keeps its stamps (client, mutation, clock).
//!
//! Delete changes older than `sync.tombstone_days` are dropped and the scope's horizon raised
//! past them: a device whose cookie is below the horizon walks that scope again on its next
//! pull (`docs/SYNC.md` "Resets"), while its other scopes continue.
//!
//! Conflict detection reads a row's history after a mutation's base version: exact for every
//! base at or after the folded range (the range ends `sync.compact_after_days` ago); a base
//! older than that sees the folded change as one write by its last writer.

use bosun_domain::CompanyId;
use bosun_store::Store;
use bosun_sync::protocol::merge_fields;
use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use crate::{App, Result};

/// Changes read at a time, each page folded and committed in one transaction.
const PAGE: u32 = 500;

/// What one run of one row's changes comes to.
#[derive(Debug, Clone, PartialEq)]
enum Folded {
    /// The row as a whole (an insert).
    Put(Value),
    /// Fields written into whatever the client holds (an update).
    Patch(Value),
    /// The row removed (a delete).
    Gone(Value),
}

/// Folds a run of one row's changes (oldest first, as `(op, fields)`) into one change with the
/// same effect on any replica: its operation and fields.
pub fn fold_run<'a>(run: impl IntoIterator<Item = (&'a str, &'a Value)>) -> Option<(&'static str, Value)> {
    let mut folded: Option<Folded> = None;
    for (op, fields) in run {
        folded = Some(match (folded, op) {
            (_, "insert") => Folded::Put(fields.clone()),
            (_, "delete") => Folded::Gone(fields.clone()),
            // An update of a row the client does not hold makes the row of its fields.
            (None, _) => Folded::Patch(fields.clone()),
            (Some(Folded::Gone(_)), _) => Folded::Put(fields.clone()),
            (Some(Folded::Put(mut row)), _) => {
                merge_fields(&mut row, fields);
                Folded::Put(row)
            }
            (Some(Folded::Patch(mut row)), _) => {
                merge_fields(&mut row, fields);
                Folded::Patch(row)
            }
        });
    }
    folded.map(|f| match f {
        Folded::Put(v) => ("insert", v),
        Folded::Patch(v) => ("update", v),
        Folded::Gone(v) => ("delete", v),
    })
}

/// What a compaction did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Compacted {
    /// Scopes folded.
    pub scopes: usize,
    /// Changes that now carry their row's earlier changes.
    pub rewritten: usize,
    /// Changes removed.
    pub deleted: usize,
    /// Delete changes dropped for their age (a cookie before them walks the scope again).
    pub tombstones: u64,
}

impl std::ops::AddAssign for Compacted {
    fn add_assign(&mut self, o: Self) {
        self.scopes += o.scopes;
        self.rewritten += o.rewritten;
        self.deleted += o.deleted;
        self.tombstones += o.tombstones;
    }
}

impl App {
    /// Folds `company`'s scopes up to their last change made before `before`, dropping delete
    /// changes made before `tombstones_before` ([`compact_company`]).
    pub async fn compact_sync_log(
        &self,
        company: CompanyId,
        before: DateTime<Utc>,
        tombstones_before: Option<DateTime<Utc>>,
    ) -> Result<Compacted> {
        compact_company(&*self.store, company, before, tombstones_before).await
    }

    /// Folds `scope` up to `upto` ([`compact_scope`]).
    pub async fn compact_scope(&self, company: CompanyId, scope: &str, upto: i64) -> Result<Compacted> {
        compact_scope(&*self.store, company, scope, upto).await
    }
}

/// Folds, in every company, the changes made before `before` and drops delete changes made
/// before `tombstones_before` (the background job's work).
pub async fn compact_all(
    store: &dyn Store,
    before: DateTime<Utc>,
    tombstones_before: Option<DateTime<Utc>>,
) -> Result<Compacted> {
    let companies = {
        let mut tx = store.begin_read(None).await?;
        tx.list_company_ids().await?
    };
    let mut done = Compacted::default();
    for company in companies {
        done += compact_company(store, company, before, tombstones_before).await?;
    }
    Ok(done)
}

/// Folds every scope of `company` up to its last change made before `before`, skipping scopes
/// folded that far already; in the scopes it folds, drops the delete changes made before
/// `tombstones_before` and raises the scope's horizon past them.
pub async fn compact_company(
    store: &dyn Store,
    company: CompanyId,
    before: DateTime<Utc>,
    tombstones_before: Option<DateTime<Utc>>,
) -> Result<Compacted> {
    let targets = {
        let mut tx = store.begin_read(Some(company)).await?;
        tx.compaction_targets(company, before).await?
    };
    let mut done = Compacted::default();
    for t in targets {
        if let Some(upto) = t.upto_seq.filter(|u| *u > t.compacted_seq) {
            done += compact_scope(store, company, &t.scope, upto).await?;
            if let Some(cut) = tombstones_before {
                done.tombstones += drop_tombstones(store, company, &t.scope, cut, upto).await?;
            }
        }
    }
    Ok(done)
}

/// Drops `scope`'s delete changes made before `before` (up to `upto`) and raises its horizon:
/// a device whose cookie is below the horizon may have missed one, so its next pull walks the
/// scope again (`docs/SYNC.md` "Resets"). Answers how many went.
pub async fn drop_tombstones(
    store: &dyn Store,
    company: CompanyId,
    scope: &str,
    before: DateTime<Utc>,
    upto: i64,
) -> Result<u64> {
    let mut tx = store.begin(Some(company)).await?;
    let gone = tx.drop_tombstones(company, scope, before, upto).await?;
    tx.commit().await?;
    if gone > 0 {
        tracing::info!(%company, scope, gone, "sync tombstones dropped");
    }
    Ok(gone)
}

/// Folds `scope`'s changes up to `upto`: each row's run into its last change, one page of
/// changes per transaction (each page leaves the log exact, so a stop halfway is harmless and
/// two instances folding at once write the same result).
pub async fn compact_scope(store: &dyn Store, company: CompanyId, scope: &str, upto: i64) -> Result<Compacted> {
    let mut done = Compacted { scopes: 1, ..Compacted::default() };
    let mut after: (String, Uuid, i64) = (String::new(), Uuid::nil(), 0);
    loop {
        let mut tx = store.begin(Some(company)).await?;
        let page = tx.changes_by_row(company, scope, upto, (&after.0, after.1, after.2), PAGE).await?;
        let Some((last_seq, last)) = page.last() else {
            tx.mark_compacted(company, scope, upto).await?;
            tx.commit().await?;
            tracing::info!(%company, scope, upto, rewritten = done.rewritten, deleted = done.deleted, "sync log compacted");
            return Ok(done);
        };
        after = (last.entity.to_owned(), last.row_id, *last_seq);
        for run in page.chunk_by(|(_, a), (_, b)| (a.entity, a.row_id) == (b.entity, b.row_id)) {
            let [earlier @ .., (seq, _)] = run else { continue };
            if earlier.is_empty() {
                continue;
            }
            if let Some((op, fields)) = fold_run(run.iter().map(|(_, c)| (c.op, &c.fields))) {
                tx.rewrite_change(company, scope, *seq, op, &fields).await?;
                for (old, _) in earlier {
                    tx.delete_change(company, scope, *old).await?;
                }
                done.rewritten += 1;
                done.deleted += earlier.len();
            }
        }
        tx.commit().await?;
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A replica's row after applying `changes` to `held`, the way the client and the server's
    /// checksum fold apply them.
    fn apply(held: Option<Value>, changes: &[(&str, Value)]) -> Option<Value> {
        let mut row = held;
        for (op, fields) in changes {
            row = match *op {
                "insert" => Some(fields.clone()),
                "delete" => None,
                _ => {
                    let mut r = row.unwrap_or(Value::Null);
                    merge_fields(&mut r, fields);
                    Some(r)
                }
            };
        }
        row
    }

    #[test]
    fn a_folded_run_has_the_runs_effect_on_every_replica_whatever_it_held_of_it() {
        let runs: Vec<Vec<(&str, Value)>> = vec![
            vec![("insert", json!({"a": 1, "b": 1})), ("update", json!({"a": 2})), ("update", json!({"c": 3}))],
            vec![("update", json!({"a": 2})), ("update", json!({"a": 3, "b": 4}))],
            vec![("insert", json!({"a": 1})), ("update", json!({"a": 2})), ("delete", json!({}))],
            vec![("insert", json!({"a": 1})), ("delete", json!({})), ("insert", json!({"b": 2}))],
            vec![("update", json!({"a": 1})), ("delete", json!({})), ("update", json!({"b": 2}))],
            vec![("delete", json!({})), ("update", json!({"b": 2})), ("update", json!({"c": 3}))],
        ];
        for run in &runs {
            let (op, fields) = fold_run(run.iter().map(|(o, f)| (*o, f))).unwrap();
            // A replica may hold nothing of the row, an unrelated older copy, or any prefix of
            // the run already applied: the folded change must land where the rest would.
            let mut starts = vec![None, Some(json!({"a": 0, "z": 9}))];
            for k in 1..run.len() {
                starts.push(apply(None, &run[..k]));
                starts.push(apply(Some(json!({"z": 9})), &run[..k]));
            }
            for (i, start) in starts.into_iter().enumerate() {
                let k = if i < 2 { 0 } else { (i - 2) / 2 + 1 };
                let expected = apply(start.clone(), &run[k..]);
                assert_eq!(apply(start, &[(op, fields.clone())]), expected, "run {run:?} from step {k}");
            }
        }
    }

    #[test]
    fn an_insert_ends_a_row_put_a_delete_ends_it_gone() {
        let run = [("insert", json!({"a": 1})), ("update", json!({"b": 2}))];
        assert_eq!(fold_run(run.iter().map(|(o, f)| (*o, f))), Some(("insert", json!({"a": 1, "b": 2}))));
        let run = [("update", json!({"a": 1})), ("delete", json!({"id": "x"}))];
        assert_eq!(fold_run(run.iter().map(|(o, f)| (*o, f))), Some(("delete", json!({"id": "x"}))));
        assert_eq!(fold_run(std::iter::empty()), None);
    }
}
