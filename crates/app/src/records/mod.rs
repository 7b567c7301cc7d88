//! What the record says: the audit trail and the analytics read from it.

pub mod analytics;
pub mod audit;
