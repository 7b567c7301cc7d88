//! Equipment: a vessel's hierarchy of systems, equipment and components, with running-hour
//! meters. Readings are insert-only facts; the current value is derived from them.

use chrono::{DateTime, Utc};

use crate::{CompanyId, EquipmentId, VesselId, Violation};

macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident, $field:literal, { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stored and wire name.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $crate::serde_as_text!($name);

        impl std::str::FromStr for $name {
            type Err = $crate::Violation;
            fn from_str(s: &str) -> Result<Self, $crate::Violation> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| {
                    let names: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    $crate::Violation::new($field, "unknown_value", format!("must be one of {}", names.join(", ")))
                })
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(
    /// The level of an item in a vessel's hierarchy.
    EquipmentLevel, "level", {
        /// A system (main propulsion, fire fighting); top level.
        System => "system",
        /// A piece of equipment (main engine 1); under a system or at top level.
        Equipment => "equipment",
        /// A component (turbocharger); under a piece of equipment.
        Component => "component",
    }
);

text_enum!(
    /// Where on board an item is.
    Area, "area", {
        /// The engine room.
        EngineRoom => "engine_room",
        /// The open deck.
        Deck => "deck",
        /// The bridge.
        Bridge => "bridge",
        /// Accommodation and galley.
        Accommodation => "accommodation",
        /// Cargo holds and tanks.
        Cargo => "cargo",
        /// Electrical and switchboard rooms.
        Electrical => "electrical",
        /// Hull and structure.
        Hull => "hull",
        /// Anywhere else (land sites: yard, workshop).
        Other => "other",
    }
);

text_enum!(
    /// How much a failure matters.
    Criticality, "criticality", {
        /// Little effect.
        Low => "low",
        /// Degrades operations.
        Medium => "medium",
        /// Stops an important function.
        High => "high",
        /// Safety or class critical.
        Critical => "critical",
    }
);

text_enum!(
    /// The recorded condition of an item.
    EquipmentStatus, "status", {
        /// Working.
        Operational => "operational",
        /// Working with limits.
        Degraded => "degraded",
        /// Not working.
        Down => "down",
        /// Taken out of service for good (instead of deleting it).
        Decommissioned => "decommissioned",
    }
);

/// Checks that an item of `level` may sit under a parent of `parent` level.
pub fn check_parent(level: EquipmentLevel, parent: Option<EquipmentLevel>) -> Result<(), Violation> {
    use EquipmentLevel::*;
    let ok =
        matches!((level, parent), (System, None) | (Equipment, None | Some(System)) | (Component, Some(Equipment)));
    if ok {
        Ok(())
    } else {
        Err(Violation::new(
            "parent_id",
            "invalid_parent",
            "a system has no parent, equipment sits under a system (or at top level), a component under equipment",
        ))
    }
}

/// The status people see: a critical fault that is not yet resolved marks its equipment down,
/// whatever was recorded; a decommissioned item stays decommissioned.
pub fn effective_status(recorded: EquipmentStatus, has_unresolved_critical_fault: bool) -> EquipmentStatus {
    match recorded {
        EquipmentStatus::Decommissioned => recorded,
        _ if has_unresolved_critical_fault => EquipmentStatus::Down,
        _ => recorded,
    }
}

/// An item of a vessel's equipment.
#[derive(Debug, Clone, PartialEq)]
pub struct Equipment {
    /// Its id.
    pub id: EquipmentId,
    /// Its company.
    pub company_id: CompanyId,
    /// Its vessel.
    pub vessel_id: VesselId,
    /// The item above it.
    pub parent_id: Option<EquipmentId>,
    /// System, equipment or component.
    pub level: EquipmentLevel,
    /// Where on board.
    pub area: Area,
    /// Name ("Main engine 1").
    pub name: String,
    /// Type ("diesel engine").
    pub equipment_type: Option<String>,
    /// Maker.
    pub maker: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Serial number.
    pub serial_number: Option<String>,
    /// How much a failure matters.
    pub criticality: Criticality,
    /// Recorded status (see [`effective_status`]).
    pub status: EquipmentStatus,
    /// Free-form specifications (a JSON object, as text).
    pub specs: String,
    /// The stable code printed on its QR label.
    pub qr_code: String,
    /// Server sequence of its last change.
    pub version: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// One reading of an item's running-hour meter.
#[derive(Debug, Clone, PartialEq)]
pub struct MeterReading {
    /// Hours shown on the meter.
    pub hours: f64,
    /// The meter was replaced and this is the new meter's first reading.
    pub meter_replaced: bool,
    /// When it was read.
    pub read_at: DateTime<Utc>,
}

/// Why a reading is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadingError {
    /// Negative or not a number.
    #[error("running hours must be a number of hours, zero or more")]
    Invalid,
    /// Lower than the last reading without a meter replacement.
    #[error("{new} h is below the last reading of {last} h; mark it as a meter replacement if the meter was changed")]
    Backwards {
        /// The last reading.
        last: f64,
        /// The refused one.
        new: f64,
    },
    /// Higher than a later reading of the same meter (a reading typed in late).
    #[error("{new} h is above the later reading of {later} h")]
    AboveLater {
        /// The later reading.
        later: f64,
        /// The refused one.
        new: f64,
    },
}

/// Checks a new reading against the last one.
pub fn check_reading(last: Option<&MeterReading>, new: &MeterReading) -> Result<(), ReadingError> {
    if !new.hours.is_finite() || new.hours < 0.0 || new.hours > 10_000_000.0 {
        return Err(ReadingError::Invalid);
    }
    match last {
        Some(l) if !new.meter_replaced && new.hours < l.hours => {
            Err(ReadingError::Backwards { last: l.hours, new: new.hours })
        }
        _ => Ok(()),
    }
}

/// Total running hours from readings in time order: the sum of every meter's last value,
/// where a replacement starts a new meter.
pub fn running_hours(readings: &[MeterReading]) -> f64 {
    let mut before_current_meter = 0.0;
    let mut current = 0.0;
    for r in readings {
        if r.meter_replaced {
            before_current_meter += current;
        }
        current = r.hours;
    }
    before_current_meter + current
}

/// Characters of a QR code: Crockford's base32 (no I, L, O or U, so nothing reads as
/// something else).
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters in an equipment QR code: 10 of base32 carry 50 bits.
pub const QR_CODE_LEN: usize = 10;

/// The QR code made from the low 50 bits of `bits` (the caller supplies randomness).
pub fn qr_code_from_bits(bits: u64) -> String {
    (0..QR_CODE_LEN).rev().map(|i| char::from(CROCKFORD[((bits >> (5 * i)) & 0x1f) as usize])).collect()
}

/// Reads a QR code as people or scanners type it: case-insensitive, hyphens and spaces
/// ignored, `I`/`L` read as `1` and `O` as `0` (Crockford's rules). `None` when it cannot be
/// a code.
pub fn parse_qr_code(text: &str) -> Option<String> {
    let mut code = String::with_capacity(QR_CODE_LEN);
    for c in text.chars().filter(|c| !matches!(c, '-' | ' ')) {
        let c = match c.to_ascii_uppercase() {
            'I' | 'L' => '1',
            'O' => '0',
            c if c.is_ascii() && CROCKFORD.contains(&(c as u8)) => c,
            _ => return None,
        };
        code.push(c);
    }
    (code.len() == QR_CODE_LEN).then_some(code)
}

/// Checks when a reading was taken: not in the future (beyond five minutes of clock skew) and
/// not more than ten years back (log books may be typed in late, but not invented).
pub fn check_read_at(read_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), Violation> {
    if read_at > now + chrono::Duration::minutes(5) {
        return Err(Violation::new("read_at", "in_the_future", "must not be in the future"));
    }
    if read_at < now - chrono::Duration::days(3653) {
        return Err(Violation::new("read_at", "too_old", "must be within the last ten years"));
    }
    Ok(())
}

/// Checks a new reading against its neighbours in time: not below the reading before it
/// (unless the meter was replaced) and not above the reading after it (unless that one starts
/// a new meter). Readings typed in late land in the middle of the history.
pub fn check_reading_between(
    before: Option<&MeterReading>,
    new: &MeterReading,
    after: Option<&MeterReading>,
) -> Result<(), ReadingError> {
    check_reading(before, new)?;
    match after {
        Some(a) if !a.meter_replaced && a.hours < new.hours => {
            Err(ReadingError::AboveLater { later: a.hours, new: new.hours })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(hours: f64, replaced: bool) -> MeterReading {
        MeterReading { hours, meter_replaced: replaced, read_at: Utc::now() }
    }

    #[test]
    fn a_reading_below_the_last_is_refused_unless_the_meter_was_replaced() {
        let last = reading(1200.0, false);
        assert_eq!(
            check_reading(Some(&last), &reading(1100.0, false)),
            Err(ReadingError::Backwards { last: 1200.0, new: 1100.0 })
        );
        assert!(check_reading(Some(&last), &reading(3.0, true)).is_ok());
        assert!(check_reading(Some(&last), &reading(1200.0, false)).is_ok());
        assert_eq!(check_reading(None, &reading(-1.0, false)), Err(ReadingError::Invalid));
        assert_eq!(check_reading(None, &reading(f64::NAN, false)), Err(ReadingError::Invalid));
    }

    #[test]
    fn running_hours_carry_over_a_meter_replacement() {
        let rs = [reading(100.0, false), reading(250.0, false), reading(10.0, true), reading(40.0, false)];
        assert_eq!(running_hours(&rs), 290.0);
        assert_eq!(running_hours(&[]), 0.0);
    }

    #[test]
    fn the_hierarchy_is_system_equipment_component() {
        use EquipmentLevel::*;
        assert!(check_parent(System, None).is_ok());
        assert!(check_parent(Equipment, Some(System)).is_ok());
        assert!(check_parent(Equipment, None).is_ok());
        assert!(check_parent(Component, Some(Equipment)).is_ok());
        assert!(check_parent(Component, None).is_err());
        assert!(check_parent(System, Some(System)).is_err());
        assert!(check_parent(Equipment, Some(Component)).is_err());
    }

    #[test]
    fn an_unresolved_critical_fault_marks_equipment_down() {
        use EquipmentStatus::*;
        assert_eq!(effective_status(Operational, true), Down);
        assert_eq!(effective_status(Degraded, false), Degraded);
        assert_eq!(effective_status(Decommissioned, true), Decommissioned);
    }

    #[test]
    fn unknown_enum_values_name_the_choices() {
        let v = "galley".parse::<Area>().unwrap_err();
        assert_eq!(v.field, "area");
        assert!(v.message.contains("engine_room"));
    }

    #[test]
    fn qr_codes_are_ten_crockford_characters_read_forgivingly() {
        assert_eq!(qr_code_from_bits(0), "0000000000");
        assert_eq!(qr_code_from_bits((1 << 50) - 1), "ZZZZZZZZZZ");
        assert_eq!(qr_code_from_bits(u64::MAX), "ZZZZZZZZZZ", "only 50 bits are used");
        let code = qr_code_from_bits(0x2_3456_789A_BCDE);
        assert_eq!(code.len(), QR_CODE_LEN);
        assert_eq!(parse_qr_code(&code), Some(code.clone()));
        assert_eq!(parse_qr_code("abcd-efgh-jk"), Some("ABCDEFGHJK".into()));
        assert_eq!(parse_qr_code("oil0000000"), Some("0110000000".into()));
        assert_eq!(parse_qr_code("ABCDEFGHJU"), None, "U is not a code character");
        assert_eq!(parse_qr_code("ABCDEFGHJ"), None, "too short");
        assert_eq!(parse_qr_code("ABCDEFGHJKM"), None, "too long");
        assert_eq!(parse_qr_code("ABCDEFGHJÄ"), None);
    }

    #[test]
    fn a_late_reading_must_fit_between_its_neighbours() {
        let (before, after) = (reading(100.0, false), reading(200.0, false));
        assert!(check_reading_between(Some(&before), &reading(150.0, false), Some(&after)).is_ok());
        assert_eq!(
            check_reading_between(Some(&before), &reading(250.0, false), Some(&after)),
            Err(ReadingError::AboveLater { later: 200.0, new: 250.0 })
        );
        assert!(check_reading_between(Some(&before), &reading(250.0, false), Some(&reading(5.0, true))).is_ok());
        assert!(check_reading_between(Some(&before), &reading(50.0, false), Some(&after)).is_err());
    }

    #[test]
    fn a_reading_is_taken_in_the_past_decade() {
        let now = Utc::now();
        assert!(check_read_at(now, now).is_ok());
        assert!(check_read_at(now + chrono::Duration::minutes(4), now).is_ok());
        assert_eq!(check_read_at(now + chrono::Duration::hours(1), now).unwrap_err().code, "in_the_future");
        assert_eq!(check_read_at(now - chrono::Duration::days(4000), now).unwrap_err().code, "too_old");
    }
}
