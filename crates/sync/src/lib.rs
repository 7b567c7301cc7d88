//! Bosun's sync protocol as a client speaks it: the wire types of push and pull, the hybrid
//! logical clock that stamps every queued mutation, and a client engine that keeps a replica
//! and an outbox and reconciles them with the server.
//!
//! - [`protocol`]: the JSON bodies of `POST /api/v1/sync/push` and `/pull`, tolerant of the
//!   fields the design adds later (unknown fields are ignored, new ones have defaults). With the
//!   `openapi` feature they also derive `utoipa::ToSchema`.
//! - [`checksum`]: the per-scope checksum a client and the server compute alike.
//! - [`hlc`]: the 64-bit hybrid logical clock (48 bits of milliseconds, a 16-bit counter).
//! - [`client`]: the engine. It holds the confirmed replica, the outbox, the cookie, the clock
//!   and the rejections to show; [`client::SyncEngine::sync_once`] runs one push-then-pull
//!   cycle through a [`client::Transport`], and [`client::SyncSchedule`] says when to run the
//!   next one.
//!
//! What the crate deliberately does not hold: no HTTP (the transport is a trait; the HTTP
//! client, zstd bodies and problem documents belong to whoever implements it), no storage
//! engine (the whole client state is one serde value, [`client::ClientState`], that the host
//! persists), no timers or sleeps (time is passed in as milliseconds, the schedule only
//! computes delays), no optimistic view of the outbox replayed over the replica, and none of
//! the server engine yet. The protocol and what the server does today are described in
//! `docs/SYNC.md`.

pub mod checksum;
pub mod client;
pub mod hlc;
pub mod protocol;
