//! API tests: one binary driving the real router over both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;
mod mailbox;
mod records;

mod accounts;
mod analytics;
mod attachments;
mod auth;
mod demo;
mod edge;
mod equipment;
mod errors;
mod faults;
mod handovers;
mod isolation;
mod live_events;
mod openapi;
mod ops;
mod pagination;
mod parts;
mod permissions;
mod rate_limits;
mod resources;
mod tenant_fuzz;
