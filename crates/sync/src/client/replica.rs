//! The confirmed replica: the rows the server sent, by scope, entity and id, each with the seq
//! of the change that last wrote it as its version. Outbox effects never enter it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::protocol::{Change, Op};

/// One confirmed row.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Row {
    /// The seq of the change that last wrote it: the `base_version` of a mutation made on it.
    pub version: i64,
    /// Its fields as the person may see them.
    pub fields: Value,
}

/// Rows by scope, then entity, then id.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
#[serde(transparent)]
pub struct Replica {
    scopes: BTreeMap<String, BTreeMap<String, BTreeMap<Uuid, Row>>>,
}

impl Replica {
    /// The row `id` of `entity` in `scope`, if the replica holds it.
    pub fn row(&self, scope: &str, entity: &str, id: Uuid) -> Option<&Row> {
        self.scopes.get(scope)?.get(entity)?.get(&id)
    }

    /// The rows of one scope as `(entity, id, row)`, by entity then id.
    pub fn rows_in<'a>(&'a self, scope: &str) -> impl Iterator<Item = (&'a str, Uuid, &'a Row)> + 'a {
        let entities = self.scopes.get(scope).into_iter().flatten();
        entities.flat_map(|(entity, rows)| rows.iter().map(move |(id, row)| (entity.as_str(), *id, row)))
    }

    /// The scopes holding at least one row.
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scopes.keys().map(String::as_str)
    }

    /// How many rows the replica holds.
    pub fn len(&self) -> usize {
        self.scopes.values().flat_map(BTreeMap::values).map(BTreeMap::len).sum()
    }

    /// Whether the replica holds no row.
    pub fn is_empty(&self) -> bool {
        self.scopes.is_empty()
    }

    /// Applies one change of `scope`; the changed row takes the change's seq as its version.
    /// A change no newer than the row held is already in it and is skipped (a replay or a walk
    /// from the start brings such changes; applying them could take rows back).
    pub(crate) fn apply(&mut self, scope: &str, change: &Change) {
        if let Some(held) = self.row(scope, &change.entity, change.id) {
            let older = match change.op {
                // A delete older than the row held was of an earlier life of the row.
                Op::Delete => held.version > change.seq,
                _ => held.version >= change.seq,
            };
            if older {
                return;
            }
        }
        match change.op {
            Op::Insert | Op::Put => {
                let row = Row { version: change.seq, fields: change.fields.clone() };
                self.rows_mut(scope, &change.entity).insert(change.id, row);
            }
            // The server's updates carry the fields the write set: most send the whole row,
            // a decommission only `{id, status}`. Either way the named fields are written.
            Op::Update | Op::Patch => {
                let rows = self.rows_mut(scope, &change.entity);
                // A patch to a row never received is kept as the part it names: the designed
                // checksums find and repair such a row.
                let row = rows.entry(change.id).or_insert_with(|| Row { version: change.seq, fields: Value::Null });
                row.version = change.seq;
                patch(&mut row.fields, &change.fields);
            }
            Op::Delete => self.remove(scope, &change.entity, change.id),
        }
    }

    /// Forgets every row of `scope`.
    /// The checksum of the rows held in `scope` ([`crate::checksum`]).
    pub fn checksum(&self, scope: &str) -> crate::checksum::ScopeSum {
        self.bucket_sums(scope).total()
    }

    /// The sums of the rows held in `scope`, per bucket ([`crate::checksum::BucketSums`]).
    pub fn bucket_sums(&self, scope: &str) -> crate::checksum::BucketSums {
        let mut sums = crate::checksum::BucketSums::default();
        for (entity, id, row) in self.rows_in(scope) {
            sums.add(entity, id, &row.fields);
        }
        sums
    }

    /// Forgets the rows of `scope` in `buckets`.
    pub(crate) fn drop_buckets(&mut self, scope: &str, buckets: &[u8]) {
        let gone: Vec<(String, Uuid)> = self
            .rows_in(scope)
            .filter(|(e, id, _)| buckets.iter().any(|b| usize::from(*b) == crate::checksum::bucket(e, *id)))
            .map(|(e, id, _)| (e.to_owned(), id))
            .collect();
        for (entity, id) in gone {
            self.remove(scope, &entity, id);
        }
    }

    pub(crate) fn clear(&mut self, scope: &str) {
        self.scopes.remove(scope);
    }

    fn rows_mut(&mut self, scope: &str, entity: &str) -> &mut BTreeMap<Uuid, Row> {
        self.scopes.entry(scope.to_owned()).or_default().entry(entity.to_owned()).or_default()
    }

    /// Removes a row, and the entity and scope it leaves empty, so that `scopes` lists only
    /// scopes with rows.
    pub(crate) fn remove(&mut self, scope: &str, entity: &str, id: Uuid) {
        let Some(entities) = self.scopes.get_mut(scope) else { return };
        if let Some(rows) = entities.get_mut(entity) {
            rows.remove(&id);
            if rows.is_empty() {
                entities.remove(entity);
            }
        }
        if entities.is_empty() {
            self.scopes.remove(scope);
        }
    }
}

/// Writes a patch's fields over a row's; anything but two objects replaces the row's.
fn patch(fields: &mut Value, changed: &Value) {
    crate::protocol::merge_fields(fields, changed);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const VESSEL: &str = "vessel:1";

    fn change(seq: i64, id: u128, op: Op, fields: Value) -> Change {
        Change { seq, entity: "fault".into(), id: Uuid::from_u128(id), op, fields }
    }

    #[test]
    fn an_update_writes_the_fields_it_carries_at_the_latest_seq() {
        let mut replica = Replica::default();
        replica.apply(VESSEL, &change(3, 1, Op::Insert, json!({"title": "Pump", "status": "open"})));
        replica.apply(VESSEL, &change(5, 1, Op::Update, json!({"status": "decommissioned"})));
        let row = replica.row(VESSEL, "fault", Uuid::from_u128(1)).unwrap();
        assert_eq!((row.version, &row.fields), (5, &json!({"title": "Pump", "status": "decommissioned"})));
    }

    #[test]
    fn a_patch_writes_only_the_fields_it_names() {
        let mut replica = Replica::default();
        replica.apply(VESSEL, &change(3, 1, Op::Put, json!({"title": "Pump", "status": "open"})));
        replica.apply(VESSEL, &change(4, 1, Op::Patch, json!({"status": "in_progress", "version": 4})));
        let row = replica.row(VESSEL, "fault", Uuid::from_u128(1)).unwrap();
        assert_eq!(row.fields, json!({"title": "Pump", "status": "in_progress", "version": 4}));
        assert_eq!(row.version, 4);
    }

    #[test]
    fn a_delete_removes_the_row_and_an_emptied_scope() {
        let mut replica = Replica::default();
        replica.apply(VESSEL, &change(1, 1, Op::Insert, json!({})));
        replica.apply(VESSEL, &change(2, 2, Op::Insert, json!({})));
        replica.apply(VESSEL, &change(3, 1, Op::Delete, Value::Null));
        assert_eq!(replica.len(), 1);
        assert!(replica.row(VESSEL, "fault", Uuid::from_u128(1)).is_none());
        replica.apply(VESSEL, &change(4, 2, Op::Delete, Value::Null));
        assert!(replica.is_empty());
        assert_eq!(replica.scopes().count(), 0);
    }

    #[test]
    fn a_change_no_newer_than_the_row_held_is_skipped() {
        let mut replica = Replica::default();
        replica.apply(VESSEL, &change(5, 1, Op::Insert, json!({"status": "closed"})));
        replica.apply(VESSEL, &change(3, 1, Op::Insert, json!({"status": "open"})));
        replica.apply(VESSEL, &change(5, 1, Op::Update, json!({"status": "open"})));
        replica.apply(VESSEL, &change(4, 1, Op::Delete, Value::Null));
        let row = replica.row(VESSEL, "fault", Uuid::from_u128(1)).unwrap();
        assert_eq!((row.version, &row.fields), (5, &json!({"status": "closed"})));
        replica.apply(VESSEL, &change(5, 1, Op::Delete, Value::Null));
        assert!(replica.is_empty(), "a delete at the row's own version removes it");
    }

    #[test]
    fn clearing_a_scope_keeps_the_others() {
        let mut replica = Replica::default();
        replica.apply(VESSEL, &change(1, 1, Op::Insert, json!({})));
        replica.apply("vessel:2", &change(1, 2, Op::Insert, json!({})));
        replica.clear(VESSEL);
        assert_eq!(replica.scopes().collect::<Vec<_>>(), vec!["vessel:2"]);
        let rows: Vec<Uuid> = replica.rows_in("vessel:2").map(|(_, id, _)| id).collect();
        assert_eq!(rows, vec![Uuid::from_u128(2)]);
    }
}
