//! API tests: one binary driving the real router over both backends.

mod harness;

mod auth;
