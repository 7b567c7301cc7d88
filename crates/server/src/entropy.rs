//! The source of new ids and random bytes the server runs with: UUIDv7 from the wall clock,
//! bytes from the operating system's secure generator (through `rand`'s thread generator,
//! seeded from it). The one place outside tests that reads either.

use bosun_domain::IdSource;
use rand::RngCore;
use uuid::Uuid;

/// The system's ids and randomness.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemIds;

impl IdSource for SystemIds {
    #[allow(clippy::disallowed_methods)]
    fn uuid(&self) -> Uuid {
        Uuid::now_v7()
    }

    #[allow(clippy::disallowed_methods)]
    fn fill(&self, bytes: &mut [u8]) {
        rand::rng().fill_bytes(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_time_ordered_version_7_and_bytes_differ() {
        let ids = SystemIds;
        let (a, b) = (ids.uuid(), ids.uuid());
        assert_eq!((a.get_version_num(), b.get_version_num()), (7, 7));
        assert!(a < b);
        let (mut x, mut y) = ([0u8; 32], [0u8; 32]);
        ids.fill(&mut x);
        ids.fill(&mut y);
        assert_ne!(x, y);
    }
}
