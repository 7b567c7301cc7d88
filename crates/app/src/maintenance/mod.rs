//! The maintenance core: faults, parts orders, crew handovers and the files attached to them.

pub mod attachments;
pub mod faults;
pub mod handovers;
pub mod parts;
pub mod uploads;
