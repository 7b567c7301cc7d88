//! The `bosun` server: configuration, command line, services and the HTTP adapter.

pub mod app;
pub mod cli;
pub mod config;
pub mod files;
pub mod http;
pub mod observability;
pub mod realtime;
pub mod service;
pub mod spool;
