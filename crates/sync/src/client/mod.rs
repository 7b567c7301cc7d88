//! The client engine: a replica of what the person may see, an outbox of their writes, and the
//! cycle that reconciles the two with the server (docs/SYNC.md, "The client engine").
//!
//! [`ClientState`] is everything a client keeps, one serde value the host persists.
//! [`SyncEngine`] wraps it with a [`Transport`]: local writes go in through
//! [`SyncEngine::enqueue`] while a cycle runs, and [`SyncEngine::sync_once`] pushes the outbox
//! and pulls until the server has no more. [`SyncSchedule`] turns what happened into the delay
//! before the next cycle.

mod engine;
mod outbox;
mod replica;
mod schedule;
#[cfg(feature = "socket")]
mod socket;
mod state;
mod transport;

pub use engine::{AlreadySyncing, SyncConfig, SyncEngine, SyncFailure, SyncReport};
pub use outbox::{EnqueueError, MAX_MUTATION_BYTES, Outbox, Rejection};
pub use replica::{Replica, Row};
pub use schedule::{
    FIRST_RETRY, Jitter, LOCAL_WRITE_DELAY, MAX_RETRY, NoJitter, ONLINE_INTERVAL, SyncEvent, SyncSchedule,
};
#[cfg(feature = "socket")]
pub use socket::{ANSWER_WITHIN, Dial, SocketStream, SocketTransport};
pub use state::{ClientState, StateError};
pub use transport::{Transport, TransportError};
