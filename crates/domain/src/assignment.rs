//! Equipment assignments and operators' daily reports (land fleets: plant, construction
//! equipment).
//!
//! A planner assigns an item to an operator for a period at a site; the operator accepts or
//! declines. An item is never booked twice: periods are half-open (`[start, end)`), so one
//! assignment ending at 12:00 and the next starting at 12:00 do not overlap. Proposed and
//! accepted assignments hold the item; declined and cancelled ones release it.
//!
//! ```text
//! assignment: proposed → accepted | declined;  proposed | accepted → cancelled
//! daily report: submitted → validated | returned;  submitted | returned → submitted (a new revision)
//! ```
//!
//! Each submission of a daily report is an insert-only revision; validated hours become the
//! item's running hours.

use chrono::{DateTime, NaiveDate, Utc};

use crate::equipment::{MeterReading, text_enum};
use crate::{AssignmentId, EquipmentId, UserId, VesselId, Violation, check_long_text};

/// A half-open period of time, `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First instant inside.
    pub start: DateTime<Utc>,
    /// First instant after.
    pub end: DateTime<Utc>,
}

impl Period {
    /// Checks a period: it ends after it starts, and lasts at most a year.
    pub fn parse(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Self, Violation> {
        if end <= start {
            return Err(Violation::new("end", "not_after_start", "must be after the start"));
        }
        if end - start > chrono::Duration::days(366) {
            return Err(Violation::new("end", "too_long", "an assignment lasts at most a year"));
        }
        Ok(Self { start, end })
    }

    /// Whether the two periods share an instant (touching ends do not).
    pub fn overlaps(self, other: Self) -> bool {
        self.start < other.end && other.start < self.end
    }
}

text_enum!(
    /// Where an assignment stands.
    AssignmentStatus, "status", {
        /// Proposed by the planner, waiting for the operator.
        Proposed => "proposed",
        /// Accepted by the operator.
        Accepted => "accepted",
        /// Declined by the operator.
        Declined => "declined",
        /// Withdrawn by the planner.
        Cancelled => "cancelled",
    }
);

impl AssignmentStatus {
    /// Whether it holds the item for its period.
    pub fn holds_item(self) -> bool {
        matches!(self, Self::Proposed | Self::Accepted)
    }
}

/// An item assigned to an operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// Its id.
    pub id: AssignmentId,
    /// The item.
    pub equipment_id: EquipmentId,
    /// The item's site or vessel (its sync scope).
    pub vessel_id: VesselId,
    /// The operator.
    pub operator_id: UserId,
    /// When.
    pub period: Period,
    /// Where it stands.
    pub status: AssignmentStatus,
    /// The operator's reason when declining.
    pub decline_reason: Option<String>,
}

/// Why an assignment is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssignmentError {
    /// The item is already held for part of the period.
    #[error("the item is already assigned for part of that period ({existing})")]
    DoubleBooked {
        /// The assignment in the way.
        existing: AssignmentId,
    },
    /// Only the assigned operator answers.
    #[error("only the assigned operator accepts or declines")]
    NotTheOperator,
    /// The move is not in the lifecycle.
    #[error("an assignment cannot go from {from} to {to}")]
    InvalidTransition {
        /// Current.
        from: AssignmentStatus,
        /// Requested.
        to: AssignmentStatus,
    },
}

impl AssignmentError {
    /// A stable code for API answers and sync rejections.
    pub fn code(&self) -> &'static str {
        match self {
            Self::DoubleBooked { .. } => "double_booked",
            Self::NotTheOperator => "not_the_operator",
            Self::InvalidTransition { .. } => "invalid_transition",
        }
    }
}

/// Checks that `candidate` books no item twice against `existing` (other assignments, any
/// status): the first clash in the given order, ignoring the candidate itself.
pub fn check_double_booking(candidate: &Assignment, existing: &[Assignment]) -> Result<(), AssignmentError> {
    match existing.iter().find(|a| {
        a.id != candidate.id
            && a.equipment_id == candidate.equipment_id
            && a.status.holds_item()
            && a.period.overlaps(candidate.period)
    }) {
        Some(a) => Err(AssignmentError::DoubleBooked { existing: a.id }),
        None => Ok(()),
    }
}

/// The operator's other assignments overlapping `candidate` (a warning for the planner, not a
/// refusal: one operator may mind two machines).
pub fn operator_overlaps<'a>(candidate: &Assignment, existing: &'a [Assignment]) -> Vec<&'a Assignment> {
    existing
        .iter()
        .filter(|a| {
            a.id != candidate.id
                && a.operator_id == candidate.operator_id
                && a.status.holds_item()
                && a.period.overlaps(candidate.period)
        })
        .collect()
}

impl Assignment {
    /// Accepted or declined by `by` (`answer_assignment.v1`), who must be the operator; a
    /// decline may give a reason.
    pub fn answer(&self, by: UserId, accept: bool, reason: Option<&str>) -> Result<Self, AssignmentError> {
        if by != self.operator_id {
            return Err(AssignmentError::NotTheOperator);
        }
        let to = if accept { AssignmentStatus::Accepted } else { AssignmentStatus::Declined };
        if self.status != AssignmentStatus::Proposed {
            return Err(AssignmentError::InvalidTransition { from: self.status, to });
        }
        let decline_reason =
            if accept { None } else { reason.map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned) };
        Ok(Self { status: to, decline_reason, ..self.clone() })
    }

    /// Withdrawn by the planner (`cancel_assignment.v1`).
    pub fn cancel(&self) -> Result<Self, AssignmentError> {
        if !self.status.holds_item() {
            return Err(AssignmentError::InvalidTransition { from: self.status, to: AssignmentStatus::Cancelled });
        }
        Ok(Self { status: AssignmentStatus::Cancelled, ..self.clone() })
    }
}

text_enum!(
    /// Where a daily report stands.
    ReportStatus, "status", {
        /// Sent by the operator.
        Submitted => "submitted",
        /// Accepted by the site engineer: its hours count.
        Validated => "validated",
        /// Sent back with a comment, to be corrected and submitted again.
        Returned => "returned",
    }
);

/// Checks a move of a daily report: a submitted report may be corrected (submitted again)
/// until it is validated or returned.
pub fn check_report_transition(from: ReportStatus, to: ReportStatus) -> Result<(), Violation> {
    use ReportStatus::*;
    if matches!((from, to), (Submitted, Validated | Returned | Submitted) | (Returned, Submitted)) {
        Ok(())
    } else {
        Err(Violation::new("status", "invalid_transition", format!("a daily report cannot go from {from} to {to}")))
    }
}

/// What an operator reports for one item and day (one revision, insert-only).
#[derive(Debug, Clone, PartialEq)]
pub struct DailyFigures {
    /// The day reported.
    pub day: NaiveDate,
    /// Hours the machine worked.
    pub hours_worked: f64,
    /// Hours it stood idle with the engine on.
    pub hours_idle: f64,
    /// Fuel added, litres.
    pub fuel_litres: Option<f64>,
    /// The hour meter at the end of the day, if read.
    pub meter_hours: Option<f64>,
    /// The odometer at the end of the day, kilometres.
    pub odometer_km: Option<f64>,
    /// Notes.
    pub notes: String,
    /// Where, if the operator allows positions: latitude and longitude in degrees.
    pub position: Option<(f64, f64)>,
}

impl DailyFigures {
    /// Checks a report (`submit_daily_report.v1`): hours worked and idle zero or more and
    /// together at most 24, other figures zero or more, a day not after `today`, a position
    /// on the globe.
    pub fn check(mut self, today: NaiveDate) -> Result<Self, Violation> {
        if self.day > today {
            return Err(Violation::new("day", "in_the_future", "must not be after today"));
        }
        for (field, v) in [("hours_worked", self.hours_worked), ("hours_idle", self.hours_idle)] {
            if !v.is_finite() || !(0.0..=24.0).contains(&v) {
                return Err(Violation::new(field, "out_of_range", "must be 0 to 24 hours"));
            }
        }
        if self.hours_worked + self.hours_idle > 24.0 {
            return Err(Violation::new("hours_idle", "over_a_day", "worked and idle hours add up to at most 24"));
        }
        for (field, v) in
            [("fuel_litres", self.fuel_litres), ("meter_hours", self.meter_hours), ("odometer_km", self.odometer_km)]
        {
            if v.is_some_and(|v| !(0.0..=10_000_000.0).contains(&v)) {
                return Err(Violation::new(field, "out_of_range", "must be a number, zero or more"));
            }
        }
        if let Some((lat, lon)) = self.position
            && !((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon))
        {
            return Err(Violation::new("position", "out_of_range", "latitude −90 to 90, longitude −180 to 180"));
        }
        self.notes = check_long_text("notes", &self.notes, 0, 4000)?;
        Ok(self)
    }

    /// The running-hours reading a validated report gives its item: the meter as read, or
    /// else the last total plus the hours worked. `None` when neither a meter reading nor a
    /// worked hour adds anything.
    pub fn reading(&self, last_total: Option<f64>, read_at: DateTime<Utc>) -> Option<MeterReading> {
        let hours = match self.meter_hours {
            Some(h) => h,
            None if self.hours_worked > 0.0 => last_total.unwrap_or(0.0) + self.hours_worked,
            None => return None,
        };
        Some(MeterReading { hours, meter_replaced: false, read_at })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(2026, 5, 4).unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc()
            + chrono::Duration::hours(h.into())
    }

    fn booking(item: EquipmentId, from: u32, to: u32, status: AssignmentStatus) -> Assignment {
        Assignment {
            id: AssignmentId::new(),
            equipment_id: item,
            vessel_id: VesselId::new(),
            operator_id: UserId::new(),
            period: Period::parse(t(from), t(to)).unwrap(),
            status,
            decline_reason: None,
        }
    }

    #[test]
    fn periods_touching_at_the_ends_do_not_overlap() {
        let p = |a, b| Period::parse(t(a), t(b)).unwrap();
        assert!(!p(8, 12).overlaps(p(12, 16)));
        assert!(!p(12, 16).overlaps(p(8, 12)));
        assert!(p(8, 12).overlaps(p(11, 16)));
        assert!(p(8, 16).overlaps(p(10, 11)), "inside");
        assert!(p(8, 12).overlaps(p(8, 12)), "equal");
        assert_eq!(Period::parse(t(8), t(8)).unwrap_err().code, "not_after_start");
        assert_eq!(Period::parse(t(9), t(8)).unwrap_err().code, "not_after_start");
        assert_eq!(Period::parse(t(0), t(0) + chrono::Duration::days(367)).unwrap_err().code, "too_long");
    }

    #[test]
    fn an_item_is_never_booked_twice_while_held() {
        use AssignmentStatus::*;
        let item = EquipmentId::new();
        let held = booking(item, 8, 12, Accepted);
        let existing =
            vec![held.clone(), booking(item, 12, 18, Declined), booking(EquipmentId::new(), 0, 24, Accepted)];
        let clash = booking(item, 11, 14, Proposed);
        assert_eq!(check_double_booking(&clash, &existing), Err(AssignmentError::DoubleBooked { existing: held.id }));
        assert!(
            check_double_booking(&booking(item, 12, 18, Proposed), &existing).is_ok(),
            "after, and over a declined one"
        );
        assert!(check_double_booking(&held, &existing).is_ok(), "itself, when edited");
        let cancelled = held.cancel().unwrap();
        assert!(check_double_booking(&clash, &[cancelled]).is_ok());
    }

    #[test]
    fn operators_may_hold_two_machines_but_the_planner_hears_of_it() {
        let a = booking(EquipmentId::new(), 8, 12, AssignmentStatus::Accepted);
        let b = Assignment {
            operator_id: a.operator_id,
            ..booking(EquipmentId::new(), 10, 14, AssignmentStatus::Proposed)
        };
        assert_eq!(operator_overlaps(&b, std::slice::from_ref(&a)).len(), 1);
        assert!(check_double_booking(&b, &[a]).is_ok());
    }

    #[test]
    fn only_the_operator_answers_once() {
        let a = booking(EquipmentId::new(), 8, 12, AssignmentStatus::Proposed);
        assert_eq!(a.answer(UserId::new(), true, None), Err(AssignmentError::NotTheOperator));
        let declined = a.answer(a.operator_id, false, Some(" On leave ")).unwrap();
        assert_eq!(
            (declined.status, declined.decline_reason.as_deref()),
            (AssignmentStatus::Declined, Some("On leave"))
        );
        assert_eq!(declined.answer(a.operator_id, true, None).unwrap_err().code(), "invalid_transition");
        assert!(declined.cancel().is_err());
        assert_eq!(a.answer(a.operator_id, true, Some("x")).unwrap().decline_reason, None);
    }

    fn figures(worked: f64, idle: f64) -> DailyFigures {
        DailyFigures {
            day: NaiveDate::from_ymd_opt(2026, 5, 4).unwrap(),
            hours_worked: worked,
            hours_idle: idle,
            fuel_litres: Some(180.0),
            meter_hours: None,
            odometer_km: None,
            notes: " Trenching, north side ".into(),
            position: Some((59.91, 10.75)),
        }
    }

    #[test]
    fn a_day_holds_at_most_twenty_four_hours() {
        let today = NaiveDate::from_ymd_opt(2026, 5, 4).unwrap();
        assert_eq!(figures(8.5, 1.0).check(today).unwrap().notes, "Trenching, north side");
        assert!(figures(20.0, 4.0).check(today).is_ok());
        assert_eq!(figures(20.0, 4.5).check(today).unwrap_err().code, "over_a_day");
        assert_eq!(figures(-1.0, 0.0).check(today).unwrap_err().field, "hours_worked");
        assert_eq!(figures(f64::NAN, 0.0).check(today).unwrap_err().code, "out_of_range");
        let yesterday = today.pred_opt().unwrap();
        assert_eq!(figures(8.0, 0.0).check(yesterday).unwrap_err().code, "in_the_future");
        let off_globe = DailyFigures { position: Some((91.0, 0.0)), ..figures(8.0, 0.0) };
        assert_eq!(off_globe.check(today).unwrap_err().field, "position");
        let negative_fuel = DailyFigures { fuel_litres: Some(-5.0), ..figures(8.0, 0.0) };
        assert_eq!(negative_fuel.check(today).unwrap_err().field, "fuel_litres");
    }

    #[test]
    fn validated_hours_become_a_reading() {
        let at = t(18);
        assert_eq!(figures(8.0, 1.0).reading(Some(1_200.0), at).map(|r| r.hours), Some(1_208.0));
        let read = DailyFigures { meter_hours: Some(1_207.5), ..figures(8.0, 1.0) };
        assert_eq!(read.reading(Some(1_200.0), at).map(|r| r.hours), Some(1_207.5), "the meter wins");
        assert_eq!(figures(0.0, 3.0).reading(Some(1_200.0), at), None);
        assert_eq!(figures(6.0, 0.0).reading(None, at).map(|r| r.hours), Some(6.0));
    }

    #[test]
    fn a_returned_report_is_submitted_again_and_a_validated_one_stays() {
        use ReportStatus::*;
        assert!(check_report_transition(Submitted, Returned).is_ok());
        assert!(check_report_transition(Returned, Submitted).is_ok());
        assert!(check_report_transition(Submitted, Submitted).is_ok(), "a correction before validation");
        assert!(check_report_transition(Validated, Submitted).is_err());
        assert!(check_report_transition(Validated, Returned).is_err());
        assert!(check_report_transition(Returned, Validated).is_err());
    }

    proptest::proptest! {
        #[test]
        fn overlap_is_symmetric_and_back_to_back_periods_never_clash(a in 0u32..48, b in 1u32..48, c in 1u32..48) {
            let first = Period::parse(t(a), t(a + b)).unwrap();
            let next = Period::parse(t(a + b), t(a + b + c)).unwrap();
            proptest::prop_assert!(!first.overlaps(next) && !next.overlaps(first));
            let shifted = Period::parse(t(a + b - 1), t(a + b + c)).unwrap();
            proptest::prop_assert!(first.overlaps(shifted) && shifted.overlaps(first));
        }
    }
}
