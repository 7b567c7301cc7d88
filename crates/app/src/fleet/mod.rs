//! Vessels, their departments and crew rotations, and each vessel's equipment.

pub mod equipment;
pub mod vessels;
