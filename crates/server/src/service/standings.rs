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

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use bosun_domain::person::Role;
use bosun_domain::{CompanyId, SessionFamilyId, UserId};

/// How long an entry serves at most, whatever the epoch.
pub const TTL: Duration = Duration::from_secs(5);

/// Entries kept at most; when full, the map starts again empty (sessions are few next to this).
const CAPACITY: usize = 20_000;

type Key = (CompanyId, UserId, SessionFamilyId);

#[derive(Debug, Clone, Copy)]
struct Entry {
    epoch: u64,
    read_at: Instant,
    role: Role,
}

/// The kept standings.
#[derive(Debug, Default)]
pub struct Standings {
    entries: Mutex<HashMap<Key, Entry>>,
}

impl Standings {
    /// The role kept for this session, if it was read under `epoch` less than [`TTL`] ago.
    pub fn get(&self, key: Key, epoch: u64) -> Option<Role> {
        self.get_at(key, epoch, Instant::now())
    }

    /// Keeps `role` for this session, as read under `epoch` (the epoch taken *before* the read,
    /// so a change committed during the read leaves an entry that never serves).
    pub fn put(&self, key: Key, epoch: u64, role: Role) {
        self.put_at(key, epoch, role, Instant::now());
    }

    fn get_at(&self, key: Key, epoch: u64, now: Instant) -> Option<Role> {
        let entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let e = entries.get(&key)?;
        (e.epoch == epoch && now.saturating_duration_since(e.read_at) < TTL).then_some(e.role)
    }

    fn put_at(&self, key: Key, epoch: u64, role: Role, now: Instant) {
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.len() >= CAPACITY && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(key, Entry { epoch, read_at: now, role });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Key {
        (CompanyId::new(), UserId::new(), SessionFamilyId::new())
    }

    #[test]
    fn an_entry_serves_only_under_its_epoch() {
        let s = Standings::default();
        let k = key();
        assert_eq!(s.get(k, 7), None);
        s.put(k, 7, Role::Engineer);
        assert_eq!(s.get(k, 7), Some(Role::Engineer));
        assert_eq!(s.get(k, 8), None, "a later epoch means a standing may have changed");
        assert_eq!(s.get(key(), 7), None, "another session has its own entry");
    }

    #[test]
    fn an_entry_expires_after_the_ttl() {
        let s = Standings::default();
        let k = key();
        let t0 = Instant::now();
        s.put_at(k, 1, Role::Manager, t0);
        assert_eq!(s.get_at(k, 1, t0 + TTL - Duration::from_millis(1)), Some(Role::Manager));
        assert_eq!(s.get_at(k, 1, t0 + TTL), None);
    }

    #[test]
    fn a_full_map_starts_again_rather_than_growing() {
        let s = Standings::default();
        for _ in 0..CAPACITY {
            s.put(key(), 1, Role::Viewer);
        }
        let k = key();
        s.put(k, 1, Role::Viewer);
        let entries = s.entries.lock().unwrap();
        assert_eq!(entries.len(), 1);
        assert!(entries.contains_key(&k));
    }
}
