//! API tests: one binary driving the real router over both backends.

#![allow(clippy::disallowed_methods)] // tests and tools may read the wall clock
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// The test kit under the name the modules know it by.
mod harness {
    pub(crate) use bosun_testkit::*;
}
use bosun_testkit::{mailbox, on_both_backends, records};

mod accounts;
mod analytics;
mod assignments;
mod attachments;
mod auth;
mod conflicts;
mod crew;
mod demo;
mod edge;
mod equipment;
mod errors;
mod faults;
mod handovers;
mod isolation;
mod live_events;
mod mutators;
mod openapi;
mod ops;
mod pagination;
mod parts;
mod permissions;
mod plans;
mod purchasing;
mod rate_limits;
mod resources;
mod stock;
mod sync;
mod sync_client;
mod sync_compaction;
mod sync_model;
mod sync_socket;
mod tenant_fuzz;
mod uploads;
mod work_orders;
