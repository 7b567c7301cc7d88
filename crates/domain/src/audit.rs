//! The audit chain: each company's entries form a hash chain,
//! `h_n = SHA-256(h_{n-1} ‖ seq ‖ canonical entry)`, so an edited, deleted, inserted or
//! reordered entry breaks every hash after it.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::{AuditId, CompanyId, UserId};

/// The hash before the first entry of a chain.
pub const GENESIS: [u8; 32] = [0; 32];

/// Whether the audited attempt went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It was done.
    Success,
    /// It was refused (bad password, forbidden, invalid).
    Failure,
}

impl Outcome {
    /// Both outcomes.
    pub const ALL: [Self; 2] = [Self::Success, Self::Failure];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Failure => "failure",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "success" => Some(Self::Success),
            "failure" => Some(Self::Failure),
            _ => None,
        }
    }
}

/// An audit entry before it takes its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEntry {
    /// Its id.
    pub id: AuditId,
    /// When it happened (UTC, microseconds).
    pub at: DateTime<Utc>,
    /// Who did it, when known.
    pub actor: Option<UserId>,
    /// What was done (`vessel.create`, `auth.login`, ...).
    pub action: String,
    /// The kind of thing it was done to (`vessel`, `user`, ...).
    pub entity: String,
    /// Which one, when there is one.
    pub entity_id: Option<String>,
    /// The state before, as canonical JSON text.
    pub before: Option<String>,
    /// The state after, as canonical JSON text.
    pub after: Option<String>,
    /// Whether it went through.
    pub outcome: Outcome,
    /// The caller's address.
    pub ip: Option<String>,
    /// The caller's user agent.
    pub user_agent: Option<String>,
    /// The request that did it.
    pub request_id: Option<String>,
}

/// An entry in its place in a company's chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// The company whose chain holds it.
    pub company_id: CompanyId,
    /// Its position, from 1, without gaps.
    pub seq: i64,
    /// What happened.
    pub entry: NewAuditEntry,
    /// The hash of the entry before (hex).
    pub prev_hash: String,
    /// This entry's hash (hex).
    pub hash: String,
}

fn field(out: &mut Vec<u8>, value: Option<&str>) {
    // Length-prefixed so that no two different entries encode to the same bytes.
    match value {
        None => out.extend_from_slice(b"-;"),
        Some(v) => {
            out.extend_from_slice(v.len().to_string().as_bytes());
            out.push(b':');
            out.extend_from_slice(v.as_bytes());
            out.push(b';');
        }
    }
}

impl NewAuditEntry {
    /// The unambiguous byte encoding that the chain hashes.
    pub fn canonical(&self, company_id: CompanyId) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        let at = self.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
        let actor = self.actor.map(|a| a.to_string());
        for v in [
            Some(self.id.to_string().as_str()),
            Some(company_id.to_string().as_str()),
            Some(at.as_str()),
            actor.as_deref(),
            Some(self.action.as_str()),
            Some(self.entity.as_str()),
            self.entity_id.as_deref(),
            self.before.as_deref(),
            self.after.as_deref(),
            Some(self.outcome.as_str()),
            self.ip.as_deref(),
            self.user_agent.as_deref(),
            self.request_id.as_deref(),
        ] {
            field(&mut out, v);
        }
        out
    }
}

/// The hash of entry `seq` following `prev`.
pub fn chain_hash(prev: &[u8; 32], seq: i64, canonical: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(seq.to_be_bytes());
    h.update(canonical);
    h.finalize().into()
}

/// Where a chain stops holding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    /// A sequence number is missing or out of order (deleted, inserted or reordered entry).
    #[error("entry {found} follows {expected_prev}: the sequence has a gap or is out of order")]
    Sequence {
        /// The seq the chain expected before this one.
        expected_prev: i64,
        /// The seq found.
        found: i64,
    },
    /// An entry's recorded previous hash does not match the chain.
    #[error("entry {seq} does not link to the entry before it")]
    Link {
        /// The entry.
        seq: i64,
    },
    /// An entry's content does not hash to its recorded hash (edited).
    #[error("entry {seq} was altered: its content does not match its hash")]
    Content {
        /// The entry.
        seq: i64,
    },
    /// The chain ends before (or after) the recorded head (truncated or appended outside Bosun).
    #[error("the chain ends at entry {last} but its head records entry {head}")]
    Head {
        /// The last entry found.
        last: i64,
        /// The head's seq.
        head: i64,
    },
    /// A stored hash is not 64 hex digits.
    #[error("entry {seq} has a malformed hash")]
    Malformed {
        /// The entry.
        seq: i64,
    },
}

/// Walks a chain in seq order, one entry at a time.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    prev: [u8; 32],
    last_seq: i64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self { prev: GENESIS, last_seq: 0 }
    }
}

fn parse_hash(seq: i64, s: &str) -> Result<[u8; 32], ChainBreak> {
    let bytes = hex::decode(s).map_err(|_| ChainBreak::Malformed { seq })?;
    bytes.try_into().map_err(|_| ChainBreak::Malformed { seq })
}

impl ChainVerifier {
    /// Checks the next entry.
    pub fn check(&mut self, e: &AuditEntry) -> Result<(), ChainBreak> {
        if e.seq != self.last_seq + 1 {
            return Err(ChainBreak::Sequence { expected_prev: self.last_seq, found: e.seq });
        }
        if parse_hash(e.seq, &e.prev_hash)? != self.prev {
            return Err(ChainBreak::Link { seq: e.seq });
        }
        let h = chain_hash(&self.prev, e.seq, &e.entry.canonical(e.company_id));
        if parse_hash(e.seq, &e.hash)? != h {
            return Err(ChainBreak::Content { seq: e.seq });
        }
        self.prev = h;
        self.last_seq = e.seq;
        Ok(())
    }

    /// Checks that the walked chain ends where the head says it does.
    pub fn finish(&self, head_seq: i64, head_hash: &str) -> Result<i64, ChainBreak> {
        if head_seq != self.last_seq {
            return Err(ChainBreak::Head { last: self.last_seq, head: head_seq });
        }
        if head_seq > 0 && parse_hash(head_seq, head_hash)? != self.prev {
            return Err(ChainBreak::Content { seq: head_seq });
        }
        Ok(self.last_seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: u8) -> NewAuditEntry {
        NewAuditEntry {
            id: AuditId::new(),
            at: DateTime::<Utc>::from_timestamp(1_700_000_000 + i64::from(n), 0).unwrap(),
            actor: None,
            action: "vessel.create".into(),
            entity: "vessel".into(),
            entity_id: Some(format!("v{n}")),
            before: None,
            after: Some(format!("{{\"n\":{n}}}")),
            outcome: Outcome::Success,
            ip: Some("127.0.0.1".into()),
            user_agent: None,
            request_id: None,
        }
    }

    fn chain(company: CompanyId, n: u8) -> Vec<AuditEntry> {
        let mut prev = GENESIS;
        (1..=n)
            .map(|i| {
                let e = entry(i);
                let h = chain_hash(&prev, i64::from(i), &e.canonical(company));
                let out = AuditEntry {
                    company_id: company,
                    seq: i64::from(i),
                    entry: e,
                    prev_hash: hex::encode(prev),
                    hash: hex::encode(h),
                };
                prev = h;
                out
            })
            .collect()
    }

    fn verify(c: &[AuditEntry], head: i64) -> Result<i64, ChainBreak> {
        let mut v = ChainVerifier::default();
        for e in c {
            v.check(e)?;
        }
        let head_hash = c.iter().find(|e| e.seq == head).map(|e| e.hash.clone()).unwrap_or_default();
        v.finish(head, &head_hash)
    }

    #[test]
    fn an_untouched_chain_verifies() {
        let c = chain(CompanyId::new(), 5);
        assert_eq!(verify(&c, 5), Ok(5));
    }

    #[test]
    fn an_edited_entry_is_found() {
        let mut c = chain(CompanyId::new(), 5);
        c[2].entry.after = Some("{\"n\":99}".into());
        assert_eq!(verify(&c, 5), Err(ChainBreak::Content { seq: 3 }));
    }

    #[test]
    fn a_deleted_entry_is_found() {
        let mut c = chain(CompanyId::new(), 5);
        c.remove(1);
        assert_eq!(verify(&c, 5), Err(ChainBreak::Sequence { expected_prev: 1, found: 3 }));
    }

    #[test]
    fn reordered_entries_are_found() {
        let mut c = chain(CompanyId::new(), 5);
        c.swap(1, 2);
        assert!(verify(&c, 5).is_err());
    }

    #[test]
    fn truncation_is_found_against_the_head() {
        let mut c = chain(CompanyId::new(), 5);
        c.truncate(3);
        assert_eq!(verify(&c, 5), Err(ChainBreak::Head { last: 3, head: 5 }));
    }

    #[test]
    fn an_entry_moved_to_another_company_is_found() {
        let mut c = chain(CompanyId::new(), 3);
        c[1].company_id = CompanyId::new();
        assert_eq!(verify(&c, 3), Err(ChainBreak::Content { seq: 2 }));
    }
}
