//! The `bosun` server: the composition root. It loads and checks the configuration, opens the
//! store, picks the adapters for the application's ports, wires the application and its HTTP
//! adapter, starts the background jobs and runs the command line.

#![cfg_attr(test, allow(clippy::disallowed_methods))]

pub mod cli;
pub mod config;
pub mod entropy;
pub mod files;
pub mod jobs;
pub mod mail;
pub mod observability;
pub mod relay;
pub mod wiring;
