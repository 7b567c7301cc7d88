//! Session standings kept in memory between requests.
//!
//! Every authenticated request needs to know that its session family is not revoked and what
//! the person's role is now. Reading that from the database costs a read transaction per
//! request; this map keeps what was read, tagged with the store's standing epoch
//! (`Store::standing_epoch`) at the time of reading. An entry serves only while the epoch is
//! unchanged, so a logout, a revocation, a disabled person or a changed role committed through
//! this process is seen by the very next request. An entry also expires after [`TTL`], which
//! bounds how long a change made behind the store's back (another process on the same SQLite
//! file, against the deployment rules) can go unseen. Stores that cannot tell (PostgreSQL,
//! where other instances write) give no epoch, and nothing is kept.
//!
//! Only standings that let a request through are kept; a refusal is always read afresh.
//!
//! Beside them, [`VerifiedTokens`] keeps access tokens whose signature and claims were checked:
//! the very same text, signed by the same key, needs no second check, only its expiry.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use bosun_domain::person::Role;
use bosun_domain::{CompanyId, SessionFamilyId, UserId};
use bosun_store::CompanyTerms;

use crate::{Actor, Principal};

/// How long an entry serves at most, whatever the epoch.
pub const TTL: Duration = Duration::from_secs(5);

/// Entries kept at most; when full, the map starts again empty (sessions are few next to this).
const CAPACITY: usize = 20_000;

type Key = (CompanyId, UserId, SessionFamilyId);

/// What is kept of a standing: everything a request needs to know about its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kept {
    /// The role now.
    pub role: Role,
    /// A person, or an API key and whether it is limited to its vessels.
    pub principal: Principal,
    /// The person must set up a second factor before anything else.
    pub mfa_pending: bool,
    /// The company's terms (plan, second-factor rule).
    pub terms: CompanyTerms,
}

impl Kept {
    /// `actor` as this standing says they stand.
    pub fn apply(&self, actor: &Actor) -> Actor {
        Actor { role: self.role, principal: self.principal, mfa_pending: self.mfa_pending, ..actor.clone() }
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    epoch: u64,
    read_at: Instant,
    kept: Kept,
}

/// A map of at most [`CAPACITY`] entries shared between requests; when full, it starts again
/// empty rather than growing.
#[derive(Debug)]
struct Bounded<K, V>(Mutex<HashMap<K, V>>);

impl<K, V> Default for Bounded<K, V> {
    fn default() -> Self {
        Self(Mutex::default())
    }
}

impl<K: Hash + Eq, V: Copy> Bounded<K, V> {
    fn get<Q: Hash + Eq + ?Sized>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(key).copied()
    }

    fn insert(&self, key: K, value: V) {
        let mut entries = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.len() >= CAPACITY && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(key, value);
    }

    #[cfg(test)]
    fn keys(&self) -> Vec<K>
    where
        K: Clone,
    {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).keys().cloned().collect()
    }
}

/// The kept standings.
#[derive(Debug, Default)]
pub struct Standings {
    entries: Bounded<Key, Entry>,
}

impl Standings {
    /// The standing kept for this session, if it was read under `epoch` less than [`TTL`] ago.
    pub fn get(&self, key: Key, epoch: u64) -> Option<Kept> {
        self.get_at(key, epoch, Instant::now())
    }

    /// Keeps a standing for this session, as read under `epoch` (the epoch taken *before* the
    /// read, so a change committed during the read leaves an entry that never serves).
    pub fn put(&self, key: Key, epoch: u64, kept: Kept) {
        self.put_at(key, epoch, kept, Instant::now());
    }

    fn get_at(&self, key: Key, epoch: u64, now: Instant) -> Option<Kept> {
        let e = self.entries.get(&key)?;
        (e.epoch == epoch && now.saturating_duration_since(e.read_at) < TTL).then_some(e.kept)
    }

    fn put_at(&self, key: Key, epoch: u64, kept: Kept, now: Instant) {
        self.entries.insert(key, Entry { epoch, read_at: now, kept });
    }
}

/// What a verified access token says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    /// The company.
    pub company: CompanyId,
    /// The person.
    pub user: UserId,
    /// The session family.
    pub family: SessionFamilyId,
    /// Expiry, in seconds since the epoch.
    pub exp: i64,
}

/// Access tokens already verified, by their whole text.
#[derive(Debug, Default)]
pub struct VerifiedTokens {
    entries: Bounded<Box<str>, Verified>,
}

impl VerifiedTokens {
    /// What `token` says, if it was verified before and is not expired at `now` (seconds since
    /// the epoch) with `leeway` seconds, as the full check would judge it.
    pub fn get(&self, token: &str, now: i64, leeway: i64) -> Option<Verified> {
        self.entries.get(token).filter(|v| v.exp >= now - leeway)
    }

    /// Keeps a token that passed the full check.
    pub fn put(&self, token: &str, v: Verified) {
        self.entries.insert(token.into(), v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verified_token_serves_until_it_expires() {
        let t = VerifiedTokens::default();
        let v = Verified { company: CompanyId::new(), user: UserId::new(), family: SessionFamilyId::new(), exp: 1000 };
        assert_eq!(t.get("a.b.c", 900, 5), None);
        t.put("a.b.c", v);
        assert_eq!(t.get("a.b.c", 900, 5), Some(v));
        assert_eq!(t.get("a.b.c", 1005, 5), Some(v), "within the leeway, as the full check");
        assert_eq!(t.get("a.b.c", 1006, 5), None);
        assert_eq!(t.get("a.b.d", 900, 5), None, "only the very same text");
    }

    fn key() -> Key {
        (CompanyId::new(), UserId::new(), SessionFamilyId::new())
    }

    fn kept(role: Role) -> Kept {
        Kept {
            role,
            principal: Principal::Person,
            mfa_pending: false,
            terms: CompanyTerms {
                plan: bosun_domain::company::Plan::Basic,
                rate_limit_per_minute: None,
                require_mfa: false,
            },
        }
    }

    #[test]
    fn an_entry_serves_only_under_its_epoch() {
        let s = Standings::default();
        let k = key();
        assert_eq!(s.get(k, 7), None);
        s.put(k, 7, kept(Role::Engineer));
        assert_eq!(s.get(k, 7), Some(kept(Role::Engineer)));
        assert_eq!(s.get(k, 8), None, "a later epoch means a standing may have changed");
        assert_eq!(s.get(key(), 7), None, "another session has its own entry");
    }

    #[test]
    fn an_entry_expires_after_the_ttl() {
        let s = Standings::default();
        let k = key();
        let t0 = Instant::now();
        s.put_at(k, 1, kept(Role::Manager), t0);
        assert_eq!(s.get_at(k, 1, t0 + TTL - Duration::from_millis(1)), Some(kept(Role::Manager)));
        assert_eq!(s.get_at(k, 1, t0 + TTL), None);
    }

    #[test]
    fn a_full_map_starts_again_rather_than_growing() {
        let s = Standings::default();
        for _ in 0..CAPACITY {
            s.put(key(), 1, kept(Role::Viewer));
        }
        let k = key();
        s.put(k, 1, kept(Role::Viewer));
        assert_eq!(s.entries.keys(), [k]);
    }
}
