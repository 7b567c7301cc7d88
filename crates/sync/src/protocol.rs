//! The JSON bodies of `POST /api/v1/sync/push` and `POST /api/v1/sync/pull`.
//!
//! Requests carry exactly the fields the server accepts today (it refuses unknown ones).
//! Answers are read tolerantly: unknown fields are ignored, and the fields the design adds
//! later (`conflicts`, `update_required`, `checksums`, `resets`, `hlc`, `retry_after_secs`)
//! default when absent and are left out when empty, so a body the server writes today
//! round-trips unchanged.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::hlc::Hlc;

/// The most mutations one push may carry.
pub const MAX_MUTATIONS_PER_PUSH: usize = 500;

/// The field code of a `422 validation_failed` answer to a pull whose cookie the server cannot
/// use: the client drops its cookie and pulls from the start.
pub const INVALID_COOKIE: &str = "invalid_cookie";

/// A push: a client's queued mutations, applied in id order.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    /// The replica pushing, a UUID made when it was installed.
    pub client_id: Uuid,
    /// The schema version the client was built for (at least 1).
    pub schema_version: i64,
    /// At most [`MAX_MUTATIONS_PER_PUSH`] mutations, ids increasing.
    pub mutations: Vec<QueuedMutation>,
}

/// One write a client queued, possibly while offline.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueuedMutation {
    /// The client's id for it: at least 1 and increasing; it only deduplicates.
    pub id: i64,
    /// The mutator and its version, such as `report_fault.v1`.
    pub name: String,
    /// The mutator's arguments, a JSON object.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub args: Value,
    /// The client's clock when the mutation was made.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = "^[0-9a-f]{16}$"))]
    pub hlc: Option<Hlc>,
    /// The version of the row the mutation was made against; `None` for inserts.
    #[serde(default)]
    pub base_version: Option<i64>,
}

/// The answer to a push.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    /// Every mutation at or below it is applied or rejected.
    pub last_mutation_id: i64,
    /// Mutations applied by this push.
    #[serde(default)]
    pub applied: Vec<i64>,
    /// Mutations already applied before (a repeated push).
    #[serde(default)]
    pub skipped: Vec<i64>,
    /// Mutations refused for good, including earlier refusals of a repeated push.
    #[serde(default)]
    pub rejected: Vec<Rejected>,
    /// Set when a temporary error ended the batch early; push again later.
    #[serde(default)]
    pub stopped: Option<Stopped>,
    /// Conflict records this push created (designed, not sent yet).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Uuid>,
    /// The client is older than the oldest schema the server serves (designed, not sent yet).
    #[serde(default, skip_serializing_if = "is_false")]
    pub update_required: bool,
}

/// A mutation the server refused for good.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rejected {
    /// The mutation's id.
    pub id: i64,
    /// The stable problem code, such as `fault_resolved`.
    pub code: String,
    /// A sentence for the person.
    #[serde(default)]
    pub detail: String,
}

/// Where and why a push stopped early.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stopped {
    /// The first mutation not processed.
    pub id: i64,
    /// The temporary problem, such as `unavailable` or `mutator_too_new`.
    pub code: String,
    /// How long the server asks the client to wait (designed, not sent yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
}

/// A pull: what changed since the cookie.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullRequest {
    /// The client pulling, for its acknowledgements.
    pub client_id: Option<Uuid>,
    /// The previous answer's cookie; `None` pulls from the start.
    pub cookie: Option<String>,
    /// The most bytes of changes to answer (uncompressed JSON); the server's default if `None`.
    pub max_bytes: Option<u32>,
    /// Ask for the checksum of every scope held, not only of the scopes the answer changes.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub verify: bool,
    /// Scopes whose replica failed its checksum, to be sent again from their start.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repair: Vec<String>,
    /// For scopes in `repair`: the replica's 16 bucket sums ([`crate::checksum::BucketSums`]),
    /// so that only the buckets whose sums differ are sent again (the whole scope without).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub buckets: BTreeMap<String, Vec<String>>,
    /// The schema version the client was built for (`409 client_outdated` when the server no
    /// longer serves it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<i64>,
}

/// The answer to a pull: one page of changes, read in one snapshot.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    /// Send it with the next pull.
    pub cookie: String,
    /// Changes by scope (`company:<uuid>`, `vessel:<uuid>`), each list in seq order.
    #[serde(default)]
    pub changes: BTreeMap<String, Vec<Change>>,
    /// Scopes the person no longer reaches: delete their rows, keep the outbox.
    #[serde(default)]
    pub clear: Vec<String>,
    /// Acknowledged mutation ids by client; only in an answer with `more: false`.
    #[serde(default)]
    pub last_mutation_ids: BTreeMap<Uuid, i64>,
    /// More changes wait: pull again at once with the new cookie.
    pub more: bool,
    /// Per-scope checksums of the person's view as the replica holds it after this answer
    /// ([`crate::checksum`]); only when `more` is false.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub checksums: BTreeMap<String, String>,
    /// Scopes walked again from their start because the client's position was older than
    /// their horizon, and whether the walk ended with this answer.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub resets: BTreeMap<String, ScopeReset>,
    /// Scopes being repaired bucket by bucket: drop the rows of those buckets when a repair
    /// first appears, then apply the changes that follow.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub repairs: BTreeMap<String, BucketRepair>,
    /// The server's clock, to merge into the client's (designed, not sent yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = "^[0-9a-f]{16}$"))]
    pub hlc: Option<Hlc>,
}

/// One change to one row of a scope.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// Its number in the scope; the row's version once applied.
    pub seq: i64,
    /// The kind of row (`fault`, `equipment`, ...).
    pub entity: String,
    /// The row's id.
    pub id: Uuid,
    /// What to do with the row.
    pub op: Op,
    /// The row's fields as the person may see them (the whole row, or a patch's changed fields).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub fields: Value,
}

/// What a change does to its row.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// A new row, whole (sent today).
    Insert,
    /// A changed row, whole (sent today).
    Update,
    /// The row is gone.
    Delete,
    /// A whole row, from an insert or a reset (designed).
    Put,
    /// Only the changed fields, with `version` (designed).
    Patch,
}

/// A repair of some buckets of a scope.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BucketRepair {
    /// The buckets sent again (0–15): the replica's rows in them are to be dropped.
    pub buckets: Vec<u8>,
    /// The repair reached the scope's head with this answer.
    #[serde(default)]
    pub done: bool,
}

/// How far a scope's walk from its start has come.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScopeReset {
    /// The walk over the scope's rows has ended: rows it did not confirm are gone.
    #[serde(default)]
    pub done: bool,
}

// serde's `skip_serializing_if` takes a path to a function of `&T`.
fn is_false(b: &bool) -> bool {
    !*b
}

/// Writes the fields a change carries into a row's fields (an `update` or `patch`): each named
/// field is replaced whole; the others stay. The server folds its log by the same rule when it
/// computes a checksum.
pub fn merge_fields(fields: &mut serde_json::Value, changed: &serde_json::Value) {
    match (fields, changed) {
        (serde_json::Value::Object(fields), serde_json::Value::Object(changed)) => {
            fields.extend(changed.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        (fields, changed) => *fields = changed.clone(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_push_answer_as_the_server_writes_it_today_round_trips() {
        let body = json!({"last_mutation_id": 3, "applied": [1, 3], "skipped": [],
            "rejected": [{"id": 2, "code": "not_found", "detail": "no such equipment"}], "stopped": null});
        let answer: PushResponse = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(answer.applied, vec![1, 3]);
        assert_eq!(answer.rejected[0].code, "not_found");
        assert_eq!(serde_json::to_value(&answer).unwrap(), body);
    }

    #[test]
    fn a_push_answer_with_the_designed_fields_and_unknown_ones_is_read() {
        let body = json!({"last_mutation_id": 42, "rejected": [{"id": 40, "code": "fault_resolved", "detail": "…"}],
            "conflicts": ["0190f3c2-a1b4-7000-8000-000000000001"], "update_required": true,
            "stopped": {"id": 43, "code": "time_budget", "retry_after_secs": 30}, "something_new": [1]});
        let answer: PushResponse = serde_json::from_value(body).unwrap();
        assert_eq!((answer.last_mutation_id, answer.applied.len(), answer.conflicts.len()), (42, 0, 1));
        assert!(answer.update_required);
        assert_eq!(answer.stopped.unwrap().retry_after_secs, Some(30));
    }

    #[test]
    fn a_pull_answer_as_the_server_writes_it_today_round_trips() {
        let body = json!({"cookie": "eyJ2IjoxfQ",
            "changes": {"vessel:0190f3c2-a1b4-7000-8000-000000000002": [{"seq": 7, "entity": "fault",
                "id": "0190f3c2-a1b4-7000-8000-000000000003", "op": "insert", "fields": {"title": "Pump"}}]},
            "clear": ["vessel:0190f3c2-a1b4-7000-8000-000000000004"],
            "last_mutation_ids": {"0190f3c2-a1b4-7000-8000-000000000005": 12}, "more": false});
        let answer: PullResponse = serde_json::from_value(body.clone()).unwrap();
        let change = &answer.changes["vessel:0190f3c2-a1b4-7000-8000-000000000002"][0];
        assert_eq!((change.seq, change.op), (7, Op::Insert));
        assert_eq!(answer.last_mutation_ids.values().copied().collect::<Vec<_>>(), vec![12]);
        assert_eq!(serde_json::to_value(&answer).unwrap(), body);
    }

    #[test]
    fn a_pull_answer_with_the_designed_fields_and_unknown_ones_is_read() {
        let body = json!({"cookie": "AQg", "more": true, "view": ["public"],
            "changes": {"vessel:x": [{"seq": 1184, "entity": "fault", "id": "0190f3c2-a1b4-7000-8000-000000000003",
                "op": "patch", "fields": {"status": "in_progress", "version": 1184}},
                {"seq": 1185, "entity": "fault", "id": "0190f3c2-a1b4-7000-8000-000000000003", "op": "delete"}]},
            "resets": {"vessel:x": {"done": true}}, "checksums": {"vessel:x": "9f3a"}, "hlc": "0190f3c2b2000000"});
        let answer: PullResponse = serde_json::from_value(body).unwrap();
        let ops: Vec<Op> = answer.changes["vessel:x"].iter().map(|c| c.op).collect();
        assert_eq!(ops, vec![Op::Patch, Op::Delete]);
        assert_eq!(answer.changes["vessel:x"][1].fields, Value::Null);
        assert!(answer.resets["vessel:x"].done && answer.clear.is_empty());
        assert_eq!(answer.hlc.map(|h| h.to_string()).as_deref(), Some("0190f3c2b2000000"));
    }

    #[test]
    fn requests_carry_only_the_fields_the_server_accepts() {
        let push = PushRequest {
            client_id: Uuid::from_u128(1),
            schema_version: 1,
            mutations: vec![QueuedMutation {
                id: 1,
                name: "report_fault.v1".into(),
                args: json!({"title": "Pump"}),
                hlc: Some(Hlc::parse("0190f3c2a1b40003").unwrap()),
                base_version: None,
            }],
        };
        let json = serde_json::to_value(&push).unwrap();
        assert_eq!(keys(&json), ["client_id", "mutations", "schema_version"]);
        assert_eq!(keys(&json["mutations"][0]), ["args", "base_version", "hlc", "id", "name"]);
        assert_eq!(json["mutations"][0]["hlc"], "0190f3c2a1b40003");
        let pull = serde_json::to_value(PullRequest::default()).unwrap();
        assert_eq!(keys(&pull), ["client_id", "cookie", "max_bytes"]);
    }

    #[cfg(feature = "openapi")]
    #[test]
    fn the_schema_shows_an_hlc_as_sixteen_hex_digits_and_arguments_as_an_object() {
        use utoipa::PartialSchema;
        let schema = serde_json::to_value(QueuedMutation::schema()).unwrap();
        assert_eq!(schema["properties"]["hlc"]["pattern"], "^[0-9a-f]{16}$");
        assert_eq!(schema["properties"]["hlc"]["type"], json!(["string", "null"]));
        assert_eq!(schema["properties"]["args"]["type"], "object");
    }

    fn keys(v: &Value) -> Vec<&str> {
        let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        keys
    }
}
