//! Test support shared by the workspace's tests: [`TestDb`] (a fresh, migrated database on
//! either backend, dropped after the test), [`TestApp`] (the real router and server over one,
//! on a free port of 127.0.0.1, with a fixed clock), fixtures that read like sentences, and a
//! real SMTP sink ([`mailbox`]). Nothing here is part of the server's production API.

#![allow(clippy::disallowed_methods)] // a tool for tests and benchmarks: it may read the wall clock
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod app;
pub mod db;
pub mod mailbox;
pub mod records;

pub use app::*;
pub use db::TestDb;
