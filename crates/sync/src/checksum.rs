//! Replica checksums (`docs/SYNC.md` "Checksums and repair"), computed the same way by the
//! server (over the rows a person's pulls build) and by a client (over its confirmed replica),
//! so a client can prove its replica of a scope is whole after each pull.
//!
//! A row's hash is the first 8 bytes (big-endian) of SHA-256 over `entity ‖ 0x00 ‖ id (16
//! bytes) ‖ canonical JSON of its fields` (object keys sorted at every depth, no spaces); a
//! scope's checksum is the sum of its rows' hashes mod 2⁶⁴, written as 16 hex digits. A sum
//! rather than XOR: both are order-free, but XOR cancels a row held twice.

use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The hash of one row as a person holds it.
pub fn row_hash(entity: &str, id: Uuid, fields: &Value) -> u64 {
    let mut h = Sha256::new();
    h.update(entity.as_bytes());
    h.update([0]);
    h.update(id.as_bytes());
    let mut text = String::new();
    canonical(fields, &mut text);
    h.update(text.as_bytes());
    let digest = h.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

/// A scope's checksum, built row by row in any order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScopeSum(u64);

impl ScopeSum {
    /// Adds a row.
    pub fn add(&mut self, entity: &str, id: Uuid, fields: &Value) {
        self.0 = self.0.wrapping_add(row_hash(entity, id, fields));
    }

    /// The checksum as sent: 16 lowercase hex digits.
    pub fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

/// How many buckets a scope's rows fall into for repair.
pub const BUCKETS: usize = 16;

/// A row's bucket, fixed for its life: the first 4 bits of SHA-256(`entity ‖ 0x00 ‖ id`).
pub fn bucket(entity: &str, id: Uuid) -> usize {
    let mut h = Sha256::new();
    h.update(entity.as_bytes());
    h.update([0]);
    h.update(id.as_bytes());
    usize::from(h.finalize()[0] >> 4)
}

/// A scope's checksum per bucket: a replica that fails its scope's checksum sends these, and
/// only the buckets whose sums differ are sent again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BucketSums([ScopeSum; BUCKETS]);

impl BucketSums {
    /// Adds a row to its bucket.
    pub fn add(&mut self, entity: &str, id: Uuid, fields: &Value) {
        self.0[bucket(entity, id)].add(entity, id, fields);
    }

    /// The scope's checksum: the sum of the buckets'.
    pub fn total(&self) -> ScopeSum {
        ScopeSum(self.0.iter().fold(0u64, |sum, b| sum.wrapping_add(b.0)))
    }

    /// The sums as sent: 16 lowercase hex digits each, bucket 0 first.
    pub fn hex(&self) -> Vec<String> {
        self.0.iter().map(|s| s.hex()).collect()
    }

    /// The buckets whose sums differ from `other` (as sent); every bucket when `other` is not
    /// 16 sums.
    pub fn differing(&self, other: &[String]) -> Vec<usize> {
        let mine = self.hex();
        (0..BUCKETS).filter(|i| other.len() != BUCKETS || mine[*i] != other[*i]).collect()
    }
}

/// Writes `v` as JSON with object keys sorted at every depth and no whitespace.
fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn bucket_sums_add_up_to_the_scope_and_name_the_buckets_that_differ() {
        let rows: Vec<(Uuid, Value)> = (0..40u128).map(|i| (Uuid::from_u128(i), json!({ "n": i }))).collect();
        let (mut scope, mut buckets) = (ScopeSum::default(), BucketSums::default());
        for (id, fields) in &rows {
            scope.add("fault", *id, fields);
            buckets.add("fault", *id, fields);
        }
        assert_eq!(buckets.total(), scope);
        let mut damaged = BucketSums::default();
        for (id, fields) in &rows[1..] {
            damaged.add("fault", *id, fields);
        }
        assert_eq!(damaged.differing(&buckets.hex()), [bucket("fault", rows[0].0)]);
        assert_eq!(buckets.differing(&[]).len(), BUCKETS, "no sums sent: every bucket");
    }

    #[test]
    fn a_row_hashes_the_same_whatever_the_order_of_its_keys() {
        let id = Uuid::from_u128(1);
        let a = json!({ "title": "Pump", "specs": { "rpm": 1800, "kw": 55 }, "tags": [1, 2] });
        let b: Value =
            serde_json::from_str(r#"{"tags":[1,2],"specs":{"kw":55,"rpm":1800},"title":"Pump"}"#).expect("json");
        assert_eq!(row_hash("equipment", id, &a), row_hash("equipment", id, &b));
        assert_ne!(row_hash("equipment", id, &a), row_hash("fault", id, &a), "the entity counts");
        assert_ne!(row_hash("equipment", id, &a), row_hash("equipment", Uuid::from_u128(2), &a), "so does the id");
        let c = json!({ "title": "Pump", "specs": { "rpm": 1801, "kw": 55 }, "tags": [1, 2] });
        assert_ne!(row_hash("equipment", id, &a), row_hash("equipment", id, &c), "and every value");
    }

    #[test]
    fn a_scope_sum_is_order_free_and_counts_a_row_held_twice() {
        let (x, y) = (json!({ "a": 1 }), json!({ "b": 2 }));
        let mut one = ScopeSum::default();
        one.add("fault", Uuid::from_u128(1), &x);
        one.add("fault", Uuid::from_u128(2), &y);
        let mut other = ScopeSum::default();
        other.add("fault", Uuid::from_u128(2), &y);
        other.add("fault", Uuid::from_u128(1), &x);
        assert_eq!(one, other);
        assert_eq!(one.hex().len(), 16);
        let mut twice = one;
        twice.add("fault", Uuid::from_u128(1), &x);
        assert_ne!(twice, one);
        assert_eq!(ScopeSum::default().hex(), "0000000000000000");
    }

    /// The vectors are written by `web/scripts/checksum-vectors.py` (hashlib and a canonical JSON
    /// writer of its own) and checked by the web client too (`web/src/sync/checksum.test.ts`),
    /// so the server's checksums and the browser's cannot drift apart unseen.
    #[test]
    fn rows_hash_to_the_golden_vectors_the_web_client_checks() {
        let vectors: Value = serde_json::from_str(include_str!("../../../web/src/sync/checksum-vectors.json"))
            .expect("vectors are JSON");
        let rows = vectors["rows"].as_array().expect("rows");
        assert!(rows.len() >= 5, "the vectors hold rows");
        let (mut scope, mut buckets) = (ScopeSum::default(), BucketSums::default());
        for row in rows {
            let name = row["name"].as_str().expect("name");
            let entity = row["entity"].as_str().expect("entity");
            let id = Uuid::parse_str(row["id"].as_str().expect("id")).expect("id is a UUID");
            let fields = &row["fields"];
            let mut text = String::new();
            canonical(fields, &mut text);
            assert_eq!(text, row["canonical"].as_str().expect("canonical"), "{name}: canonical JSON");
            assert_eq!(
                format!("{:016x}", row_hash(entity, id, fields)),
                row["hash"].as_str().expect("hash"),
                "{name}: hash"
            );
            let expected_bucket = usize::try_from(row["bucket"].as_u64().expect("bucket")).expect("a bucket is small");
            assert_eq!(bucket(entity, id), expected_bucket, "{name}: bucket");
            scope.add(entity, id, fields);
            buckets.add(entity, id, fields);
        }
        assert_eq!(scope.hex(), vectors["sum"].as_str().expect("sum"), "the scope's sum");
        let expected: Vec<&str> =
            vectors["buckets"].as_array().expect("buckets").iter().map(|s| s.as_str().expect("a bucket sum")).collect();
        assert_eq!(buckets.hex(), expected, "the bucket sums");
        assert_eq!(buckets.total(), scope);
    }
}
