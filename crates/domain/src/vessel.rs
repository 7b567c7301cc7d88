//! Vessels (or sites and projects for land fleets), their departments and crew rotations.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};

use crate::{CompanyId, DepartmentId, UserId, VesselId, Violation};

/// What kind of asset carrier a vessel row describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VesselKind {
    /// A ship.
    Vessel,
    /// A fixed land site (a quarry, a plant).
    Site,
    /// A time-bounded land project (a construction job).
    Project,
}

impl VesselKind {
    /// Every kind.
    pub const ALL: [Self; 3] = [Self::Vessel, Self::Site, Self::Project];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Vessel => "vessel",
            Self::Site => "site",
            Self::Project => "project",
        }
    }
}

impl FromStr for VesselKind {
    type Err = Violation;
    fn from_str(s: &str) -> Result<Self, Violation> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| Violation::new("kind", "unknown_value", "must be vessel, site or project"))
    }
}

/// An IMO ship identification number whose check digit has been verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ImoNumber(u32);

/// Why a text is not an IMO number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImoError {
    /// Not seven digits (after an optional `IMO` prefix).
    #[error("an IMO number is seven digits, optionally after 'IMO'")]
    Format,
    /// The seventh digit does not match the first six.
    #[error("the check digit of IMO {0} is wrong")]
    CheckDigit(String),
}

impl ImoNumber {
    /// Parses `"9074729"` or `"IMO 9074729"`, verifying the check digit: the sum of the first
    /// six digits weighted 7..2 ends in the seventh.
    pub fn parse(s: &str) -> Result<Self, ImoError> {
        let t = s.trim();
        let digits = t.strip_prefix("IMO").or_else(|| t.strip_prefix("imo")).unwrap_or(t).trim();
        if digits.len() != 7 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ImoError::Format);
        }
        let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        let sum: u32 = d[..6].iter().zip((2..=7).rev()).map(|(x, w)| x * w).sum();
        if sum % 10 != d[6] {
            return Err(ImoError::CheckDigit(digits.to_owned()));
        }
        Ok(Self(d.iter().fold(0, |acc, x| acc * 10 + x)))
    }

    /// The checked field value for a request, as a violation on `field`.
    pub fn parse_field(field: &str, s: &str) -> Result<Self, Violation> {
        Self::parse(s).map_err(|e| match e {
            ImoError::Format => Violation::new(field, "invalid_imo", e.to_string()),
            ImoError::CheckDigit(_) => Violation::new(field, "bad_check_digit", e.to_string()),
        })
    }
}

impl fmt::Display for ImoNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:07}", self.0)
    }
}

/// A vessel, site or project of a company.
#[derive(Debug, Clone, PartialEq)]
pub struct Vessel {
    /// Its id.
    pub id: VesselId,
    /// Its owner.
    pub company_id: CompanyId,
    /// Ship, site or project.
    pub kind: VesselKind,
    /// Its name.
    pub name: String,
    /// Its type ("platform supply vessel", "quarry", ...).
    pub vessel_type: Option<String>,
    /// Ships only: the IMO number.
    pub imo: Option<ImoNumber>,
    /// Free-form specifications (a JSON object, as text).
    pub specs: String,
    /// Server sequence of its last change.
    pub version: i64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// A department of a vessel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    /// Its id.
    pub id: DepartmentId,
    /// Its company.
    pub company_id: CompanyId,
    /// Its vessel.
    pub vessel_id: VesselId,
    /// Its name ("engine", "deck", ...).
    pub name: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// A person's membership of a vessel's crew, with their current rotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VesselMember {
    /// The company.
    pub company_id: CompanyId,
    /// The vessel.
    pub vessel_id: VesselId,
    /// The person.
    pub user_id: UserId,
    /// Their department on board, if any.
    pub department_id: Option<DepartmentId>,
    /// First day of the current rotation.
    pub rotation_start: NaiveDate,
    /// Last planned day of the current rotation, if known.
    pub rotation_end: Option<NaiveDate>,
    /// When this membership last changed.
    pub updated_at: DateTime<Utc>,
}

/// Checks that a rotation does not end before it starts.
pub fn check_rotation(start: NaiveDate, end: Option<NaiveDate>) -> Result<(), Violation> {
    match end {
        Some(e) if e < start => {
            Err(Violation::new("rotation_end", "ends_before_start", "must not be before rotation_start"))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_imo_number_passes_with_or_without_prefix() {
        assert_eq!(ImoNumber::parse("9074729").unwrap().to_string(), "9074729");
        assert_eq!(ImoNumber::parse("IMO 9074729").unwrap().to_string(), "9074729");
        assert_eq!(ImoNumber::parse("IMO9176187").unwrap().to_string(), "9176187");
    }

    #[test]
    fn a_wrong_check_digit_is_rejected() {
        assert_eq!(ImoNumber::parse("9074728"), Err(ImoError::CheckDigit("9074728".into())));
    }

    #[test]
    fn malformed_imo_numbers_are_rejected() {
        for bad in ["", "907472", "90747290", "IMO 90747a9", "９０７４７２９"] {
            assert_eq!(ImoNumber::parse(bad), Err(ImoError::Format), "{bad:?}");
        }
    }

    #[test]
    fn a_rotation_may_not_end_before_it_starts() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(check_rotation(d("2026-01-10"), Some(d("2026-01-09"))).is_err());
        assert!(check_rotation(d("2026-01-10"), Some(d("2026-01-10"))).is_ok());
        assert!(check_rotation(d("2026-01-10"), None).is_ok());
    }
}
