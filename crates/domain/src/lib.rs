//! Bosun's domain: the vocabulary of companies, vessels, people, roles and the audit chain, and
//! of maintenance: equipment, faults, work orders and their checklists, maintenance plans,
//! stock, purchasing, assignments and daily reports.
//!
//! No I/O lives here: no database, no HTTP, no async runtime. Values are checked once when
//! they are parsed (`ImoNumber::parse`, `Email::parse`, ...) so inner code never re-validates.

#![cfg_attr(test, allow(clippy::disallowed_methods))]

/// Serializes each type as its `as_str()` name and deserializes it through its `FromStr`, whose
/// violation names the field: the one wire form of the domain's enumerations.
#[macro_export]
#[doc(hidden)]
macro_rules! serde_as_text {
    ($($t:ty),+) => {$(
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                text.parse().map_err(|v: $crate::Violation| serde::de::Error::custom(format!("{}: {}", v.field, v.message)))
            }
        }
    )+};
}

pub mod account;
pub mod assignment;
pub mod attachment;
pub mod audit;
pub mod clock;
pub mod company;
pub mod equipment;
pub mod fault;
pub mod fields;
pub mod handover;
pub mod ids;
pub mod maintenance_plan;
pub mod parts;
pub mod permissions;
pub mod person;
pub mod procedure;
pub mod purchasing;
pub mod stock;
pub mod vessel;
pub mod work_order;

pub use clock::{Clock, FixedClock, SystemClock};
pub use ids::*;

/// One rule a submitted value broke, named by field, for `422` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The field in the submitted body, dotted for nesting (`branding.primary_color`).
    pub field: String,
    /// A stable machine-readable code (`too_long`, `bad_check_digit`, ...).
    pub code: &'static str,
    /// A sentence for people.
    pub message: String,
}

impl Violation {
    /// A violation of `code` on `field`, explained by `message`.
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self { field: field.into(), code, message: message.into() }
    }
}

/// A whole number held as a float, as the integer it is (`500.0` → `500`); `None` for a
/// fraction or a value too large to be exact. Rows write such numbers as integers, so that a
/// client's canonical JSON of a row (its sync checksum) treats every whole number alike.
pub fn whole_number(v: f64) -> Option<i64> {
    // Exact: |v| < 2^53 and no fraction, so the cast neither rounds nor saturates.
    (v.fract() == 0.0 && v.abs() < 9.0e15).then_some(v as i64)
}

/// Checks that a trimmed free-text value has between `min` and `max` characters.
pub fn check_text(field: &str, value: &str, min: usize, max: usize) -> Result<String, Violation> {
    let trimmed = value.trim();
    let n = trimmed.chars().count();
    if n < min {
        return Err(Violation::new(field, "too_short", format!("must have at least {min} characters")));
    }
    if n > max {
        return Err(Violation::new(field, "too_long", format!("must have at most {max} characters")));
    }
    if trimmed.chars().any(|c| c.is_control()) {
        return Err(Violation::new(field, "control_characters", "must not contain control characters"));
    }
    Ok(trimmed.to_owned())
}

/// Checks free text that may span lines (descriptions, comments, notes): trimmed, between
/// `min` and `max` characters, no control characters but line breaks and tabs.
pub fn check_long_text(field: &str, value: &str, min: usize, max: usize) -> Result<String, Violation> {
    let trimmed = value.trim();
    let n = trimmed.chars().count();
    if n < min {
        return Err(Violation::new(field, "too_short", format!("must have at least {min} characters")));
    }
    if n > max {
        return Err(Violation::new(field, "too_long", format!("must have at most {max} characters")));
    }
    if trimmed.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(Violation::new(field, "control_characters", "must not contain control characters"));
    }
    Ok(trimmed.to_owned())
}
