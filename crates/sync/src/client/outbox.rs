//! The outbox: the person's writes not yet known to be in the replica, with increasing ids.
//!
//! An entry leaves in one of two ways only: a final pull acknowledges it (its effects are then
//! in the replica), or a push answer rejects it (it moves to the rejections to show). Ids are
//! never reused, even once the outbox is empty: the server skips any id at or below the last
//! one it acknowledged.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::hlc::Hlc;
use crate::protocol::{QueuedMutation, Rejected};

/// The largest mutation, as JSON, the outbox takes, so that any one fits a push.
pub const MAX_MUTATION_BYTES: usize = 256 * 1024;

/// The longest mutator name the server takes, in characters.
const MAX_NAME_CHARS: usize = 100;

/// The queued mutations, oldest first.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(try_from = "OutboxRecord")]
pub struct Outbox {
    next_id: i64,
    entries: Vec<QueuedMutation>,
}

/// A mutation the server refused for good, kept to show the person.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Rejection {
    /// The mutation as it was queued, arguments included.
    pub mutation: QueuedMutation,
    /// The server's problem code, such as `fault_resolved`.
    pub code: String,
    /// The server's sentence for the person.
    pub detail: String,
}

/// Why a write cannot be queued: the server would refuse the whole push that carried it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnqueueError {
    /// The mutator name is empty or too long.
    #[error("a mutator name has 1 to {MAX_NAME_CHARS} characters, not {chars}")]
    NameLength {
        /// Its length in characters.
        chars: usize,
    },
    /// The arguments are not a JSON object.
    #[error("a mutation's arguments are a JSON object")]
    ArgsNotObject,
    /// The base version is negative.
    #[error("base version {base_version} is negative")]
    NegativeBaseVersion {
        /// The version given.
        base_version: i64,
    },
    /// The mutation is too large to push.
    #[error("the mutation takes {bytes} bytes as JSON, more than {MAX_MUTATION_BYTES}")]
    TooLarge {
        /// Its size as JSON.
        bytes: usize,
    },
}

impl Default for Outbox {
    fn default() -> Self {
        Self { next_id: 1, entries: Vec::new() }
    }
}

impl Outbox {
    /// The queued mutations, by increasing id.
    pub fn entries(&self) -> &[QueuedMutation] {
        &self.entries
    }

    /// How many mutations wait.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The mutation `id`, if it still waits.
    pub fn get(&self, id: i64) -> Option<&QueuedMutation> {
        self.position(id).map(|i| &self.entries[i])
    }

    /// Queues a checked mutation under the next id and returns that id.
    pub(crate) fn push(
        &mut self,
        name: &str,
        args: Value,
        base_version: Option<i64>,
        hlc: Hlc,
    ) -> Result<i64, EnqueueError> {
        let mutation = QueuedMutation { id: self.next_id, name: name.to_owned(), args, hlc: Some(hlc), base_version };
        check(&mutation)?;
        self.entries.push(mutation);
        self.next_id += 1;
        Ok(self.next_id - 1)
    }

    /// The oldest mutations above id `after`: at least one if any, then as many as fit
    /// `max_count` and `max_bytes` of JSON.
    pub(crate) fn batch_after(&self, after: i64, max_count: usize, max_bytes: usize) -> Vec<QueuedMutation> {
        let start = self.entries.partition_point(|m| m.id <= after);
        let mut bytes = 0;
        let mut batch = Vec::new();
        for mutation in self.entries[start..].iter().take(max_count.max(1)) {
            bytes += json_len(mutation);
            if !batch.is_empty() && bytes > max_bytes {
                break;
            }
            batch.push(mutation.clone());
        }
        batch
    }

    /// Drops every mutation at or below `last_mutation_id`; returns how many left.
    pub(crate) fn acknowledge(&mut self, last_mutation_id: i64) -> usize {
        let before = self.entries.len();
        self.entries.retain(|m| m.id > last_mutation_id);
        before - self.entries.len()
    }

    /// Takes a rejected mutation out, if it still waits (a repeated push reports it again).
    pub(crate) fn reject(&mut self, rejected: &Rejected) -> Option<Rejection> {
        let mutation = self.entries.remove(self.position(rejected.id)?);
        Some(Rejection { mutation, code: rejected.code.clone(), detail: rejected.detail.clone() })
    }

    fn position(&self, id: i64) -> Option<usize> {
        self.entries.binary_search_by_key(&id, |m| m.id).ok()
    }
}

/// Checks what the server checks of a whole push, so no queued mutation can wedge the outbox.
fn check(mutation: &QueuedMutation) -> Result<(), EnqueueError> {
    let chars = mutation.name.chars().count();
    if chars == 0 || chars > MAX_NAME_CHARS {
        return Err(EnqueueError::NameLength { chars });
    }
    if !mutation.args.is_object() {
        return Err(EnqueueError::ArgsNotObject);
    }
    if let Some(base_version) = mutation.base_version.filter(|v| *v < 0) {
        return Err(EnqueueError::NegativeBaseVersion { base_version });
    }
    let bytes = json_len(mutation);
    if bytes > MAX_MUTATION_BYTES {
        return Err(EnqueueError::TooLarge { bytes });
    }
    Ok(())
}

fn json_len(mutation: &QueuedMutation) -> usize {
    // Writing JSON values with string keys into memory cannot fail.
    serde_json::to_vec(mutation).map_or(0, |json| json.len())
}

/// The outbox as stored, checked before it is trusted: ids positive and increasing, all below
/// the next one.
#[derive(Deserialize)]
struct OutboxRecord {
    next_id: i64,
    entries: Vec<QueuedMutation>,
}

/// Why a stored outbox cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("the stored outbox's ids are not positive, increasing and below its next id {next_id}")]
struct DisorderedOutbox {
    next_id: i64,
}

impl TryFrom<OutboxRecord> for Outbox {
    type Error = DisorderedOutbox;

    fn try_from(record: OutboxRecord) -> Result<Self, Self::Error> {
        let ids = record.entries.iter().map(|m| m.id);
        let increasing = ids.clone().zip(ids.skip(1)).all(|(a, b)| a < b);
        let within = record.entries.first().is_none_or(|m| m.id >= 1)
            && record.entries.last().is_none_or(|m| m.id < record.next_id);
        if !(increasing && within && record.next_id >= 1) {
            return Err(DisorderedOutbox { next_id: record.next_id });
        }
        Ok(Self { next_id: record.next_id, entries: record.entries })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn queue(outbox: &mut Outbox, n: usize) {
        for _ in 0..n {
            outbox.push("comment_fault.v1", json!({"body": "x"}), None, Hlc::ZERO).unwrap();
        }
    }

    #[test]
    fn ids_keep_increasing_after_the_outbox_empties() {
        let mut outbox = Outbox::default();
        queue(&mut outbox, 2);
        assert_eq!(outbox.acknowledge(2), 2);
        assert_eq!(outbox.push("comment_fault.v1", json!({}), None, Hlc::ZERO), Ok(3));
    }

    #[test]
    fn a_batch_takes_what_fits_and_always_one() {
        let mut outbox = Outbox::default();
        queue(&mut outbox, 5);
        let ids = |b: Vec<QueuedMutation>| b.into_iter().map(|m| m.id).collect::<Vec<_>>();
        assert_eq!(ids(outbox.batch_after(0, 3, usize::MAX)), vec![1, 2, 3]);
        assert_eq!(ids(outbox.batch_after(3, 3, usize::MAX)), vec![4, 5]);
        assert_eq!(ids(outbox.batch_after(0, 500, 1)), vec![1], "one is sent even past the byte budget");
        let two = 2 * json_len(&outbox.entries[0]);
        assert_eq!(ids(outbox.batch_after(1, 500, two)), vec![2, 3]);
        assert!(outbox.batch_after(5, 500, usize::MAX).is_empty());
    }

    #[test]
    fn what_the_server_would_refuse_is_not_queued() {
        let mut outbox = Outbox::default();
        let long = "x".repeat(101);
        assert_eq!(outbox.push("", json!({}), None, Hlc::ZERO), Err(EnqueueError::NameLength { chars: 0 }));
        assert_eq!(outbox.push(&long, json!({}), None, Hlc::ZERO), Err(EnqueueError::NameLength { chars: 101 }));
        assert_eq!(outbox.push("a.v1", json!([1]), None, Hlc::ZERO), Err(EnqueueError::ArgsNotObject));
        assert_eq!(
            outbox.push("a.v1", json!({}), Some(-1), Hlc::ZERO),
            Err(EnqueueError::NegativeBaseVersion { base_version: -1 })
        );
        let big = json!({"body": "x".repeat(MAX_MUTATION_BYTES)});
        assert!(matches!(outbox.push("a.v1", big, None, Hlc::ZERO), Err(EnqueueError::TooLarge { .. })));
        assert!(outbox.is_empty());
        assert_eq!(outbox.push("a.v1", json!({}), None, Hlc::ZERO), Ok(1), "a refusal spends no id");
    }

    #[test]
    fn a_stored_outbox_out_of_order_is_refused() {
        let entry = |id: i64| json!({"id": id, "name": "a.v1", "args": {}, "hlc": null, "base_version": null});
        let read = |v: Value| serde_json::from_value::<Outbox>(v);
        assert!(read(json!({"next_id": 3, "entries": [entry(1), entry(2)]})).is_ok());
        assert!(read(json!({"next_id": 3, "entries": [entry(2), entry(1)]})).is_err());
        assert!(read(json!({"next_id": 2, "entries": [entry(1), entry(2)]})).is_err());
        assert!(read(json!({"next_id": 3, "entries": [entry(0)]})).is_err());
    }
}
