//! Preventive maintenance plans: when an item's planned work falls due, by the calendar, by
//! running hours, or whichever of up to three criteria comes first; tolerance windows,
//! postponements and the forecast of the next due date.
//!
//! A plan's **occurrences** are numbered from 0; the scheduler generates one work order per
//! occurrence (`Origin::Plan { plan_id, occurrence }` is unique, which makes generation
//! idempotent). Calendar criteria count either **from the schedule** (the n-th due date is the
//! plan's start plus n + 1 intervals, computed from the start each time so month ends never
//! drift: Jan 31 → Feb 28 → Mar 31) or **from the last completion**. Running-hour criteria
//! count from the meter total at the last completion (or the plan's start); the total already
//! carries over meter replacements ([`crate::equipment::running_hours`]).
//!
//! Against its due point each criterion is [`DueState::NotDue`] before its early tolerance,
//! `Early` inside it, `Due` on the point, `Late` inside the late tolerance and `Overdue` past
//! it; both window edges belong to the window. The plan is as far along as its most advanced
//! criterion. Dates are UTC calendar days; the domain never reads a clock: `today` is given.

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::equipment::{MeterReading, text_enum};
use crate::{CompanyId, EquipmentId, MaintenancePlanId, UserId, VesselId, Violation, check_text};

/// The most criteria one plan combines.
pub const MAX_CRITERIA: usize = 3;

text_enum!(
    /// The unit of a calendar interval.
    CalendarUnit, "unit", {
        /// Days.
        Days => "days",
        /// Weeks of seven days.
        Weeks => "weeks",
        /// Calendar months (a day missing from a shorter month becomes its last day).
        Months => "months",
        /// Calendar years (29 February becomes 28 February outside leap years).
        Years => "years",
    }
);

text_enum!(
    /// What a calendar interval counts from.
    CalendarBasis, "basis", {
        /// From the plan's start: due dates stay fixed whenever the work is done.
        FromSchedule => "from_schedule",
        /// From the last completion.
        FromCompletion => "from_completion",
    }
);

/// A calendar interval such as "every 6 months".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarInterval {
    /// How many units (1 or more).
    pub count: u32,
    /// The unit.
    pub unit: CalendarUnit,
}

impl CalendarInterval {
    /// Checks an interval: 1 to 120 months' worth at most (ten years).
    pub fn parse(field: &str, count: i64, unit: CalendarUnit) -> Result<Self, Violation> {
        let max = match unit {
            CalendarUnit::Days => 3653,
            CalendarUnit::Weeks => 522,
            CalendarUnit::Months => 120,
            CalendarUnit::Years => 10,
        };
        match u32::try_from(count) {
            Ok(c) if (1..=max).contains(&c) => Ok(Self { count: c, unit }),
            _ => Err(Violation::new(field, "out_of_range", format!("must be 1 to {max} {unit}"))),
        }
    }

    /// `date` moved forward by `times` intervals, in one step from `date` (so a month end is
    /// clamped once, not again at every interval). `None` beyond the calendar's range.
    pub fn add_to(self, date: NaiveDate, times: u32) -> Option<NaiveDate> {
        let n = u64::from(self.count) * u64::from(times);
        match self.unit {
            CalendarUnit::Days => date.checked_add_days(Days::new(n)),
            CalendarUnit::Weeks => date.checked_add_days(Days::new(n.checked_mul(7)?)),
            CalendarUnit::Months => date.checked_add_months(Months::new(u32::try_from(n).ok()?)),
            CalendarUnit::Years => date.checked_add_months(Months::new(u32::try_from(n.checked_mul(12)?).ok()?)),
        }
    }
}

/// How far before and after its due point work still counts as done in its window, in the
/// criterion's own unit (days, or running hours).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    /// Before the due point.
    pub early: f64,
    /// After the due point.
    pub late: f64,
}

impl Tolerance {
    /// No window: due exactly on the point.
    pub const NONE: Self = Self { early: 0.0, late: 0.0 };

    /// Checks a tolerance: both sides finite, zero or more, and each at most `max`.
    pub fn parse(field: &str, early: f64, late: f64, max: f64) -> Result<Self, Violation> {
        for (side, v) in [("early", early), ("late", late)] {
            if !v.is_finite() || v < 0.0 || v > max {
                return Err(Violation::new(format!("{field}.{side}"), "out_of_range", format!("must be 0 to {max}")));
            }
        }
        Ok(Self { early, late })
    }
}

/// One criterion of a plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Criterion {
    /// Every so many days, weeks, months or years.
    Calendar {
        /// The interval.
        every: CalendarInterval,
        /// What it counts from.
        basis: CalendarBasis,
        /// The window, in days.
        tolerance: Tolerance,
    },
    /// Every so many running hours.
    RunningHours {
        /// The interval in hours (more than zero).
        every: f64,
        /// The window, in hours.
        tolerance: Tolerance,
    },
}

impl Criterion {
    /// Checks a running-hours criterion: an interval of more than zero and at most 100,000
    /// hours, and a window on each side no wider than the interval.
    pub fn running_hours(field: &str, every: f64, tolerance: Tolerance) -> Result<Self, Violation> {
        if !every.is_finite() || every <= 0.0 || every > 100_000.0 {
            return Err(Violation::new(
                format!("{field}.every"),
                "out_of_range",
                "must be more than 0 and at most 100000 hours",
            ));
        }
        let tolerance = Tolerance::parse(&format!("{field}.tolerance"), tolerance.early, tolerance.late, every)?;
        Ok(Self::RunningHours { every, tolerance })
    }

    /// Checks a calendar criterion: a window on each side no wider than the interval's
    /// shortest length in days.
    pub fn calendar(
        field: &str,
        every: CalendarInterval,
        basis: CalendarBasis,
        tolerance: Tolerance,
    ) -> Result<Self, Violation> {
        let shortest = match every.unit {
            CalendarUnit::Days => 1,
            CalendarUnit::Weeks => 7,
            CalendarUnit::Months => 28,
            CalendarUnit::Years => 365,
        } * i64::from(every.count);
        let tolerance =
            Tolerance::parse(&format!("{field}.tolerance"), tolerance.early, tolerance.late, shortest as f64)?;
        Ok(Self::Calendar { every, basis, tolerance })
    }

    fn tolerance(&self) -> Tolerance {
        match self {
            Self::Calendar { tolerance, .. } | Self::RunningHours { tolerance, .. } => *tolerance,
        }
    }
}

/// Checks a plan's criteria: one to [`MAX_CRITERIA`], at most one running-hours criterion.
pub fn check_criteria(criteria: &[Criterion]) -> Result<(), Violation> {
    if criteria.is_empty() || criteria.len() > MAX_CRITERIA {
        return Err(Violation::new("criteria", "criteria_count", format!("a plan has 1 to {MAX_CRITERIA} criteria")));
    }
    if criteria.iter().filter(|c| matches!(c, Criterion::RunningHours { .. })).count() > 1 {
        return Err(Violation::new("criteria", "duplicate_hours", "a plan has at most one running-hours criterion"));
    }
    Ok(())
}

/// A criterion as it travels and is stored: `{"kind": "calendar", "every": 6, "unit":
/// "months", "basis": "from_schedule", "early": 7, "late": 14}` or `{"kind":
/// "running_hours", "every": 500, "early": 25, "late": 25}` (tolerances in the criterion's
/// unit: days, or hours).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum CriterionWire {
    /// Every so many days, weeks, months or years.
    Calendar {
        /// How many units.
        every: i64,
        /// The unit.
        unit: CalendarUnit,
        /// What it counts from.
        basis: CalendarBasis,
        /// Days before the due date that still count.
        #[serde(default, serialize_with = "whole_as_integer")]
        early: f64,
        /// Days after the due date that still count.
        #[serde(default, serialize_with = "whole_as_integer")]
        late: f64,
    },
    /// Every so many running hours.
    RunningHours {
        /// Hours.
        #[serde(serialize_with = "whole_as_integer")]
        every: f64,
        /// Hours before the due point that still count.
        #[serde(default, serialize_with = "whole_as_integer")]
        early: f64,
        /// Hours after the due point that still count.
        #[serde(default, serialize_with = "whole_as_integer")]
        late: f64,
    },
}

/// Writes a whole number as an integer (`500`, not `500.0`): a criterion's `every`, `early` and
/// `late` are whole days in one kind and hours in the other, and a client's canonical JSON for
/// the row's checksum can then treat every such number alike (SYNC.md "Checksums").
fn whole_as_integer<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    match crate::whole_number(*v) {
        Some(n) => s.serialize_i64(n),
        None => s.serialize_f64(*v),
    }
}

impl CriterionWire {
    /// The wire form of a criterion.
    pub fn of(c: &Criterion) -> Self {
        match *c {
            Criterion::Calendar { every, basis, tolerance } => Self::Calendar {
                every: i64::from(every.count),
                unit: every.unit,
                basis,
                early: tolerance.early,
                late: tolerance.late,
            },
            Criterion::RunningHours { every, tolerance } => {
                Self::RunningHours { every, early: tolerance.early, late: tolerance.late }
            }
        }
    }

    /// Checks the criterion at `field` (`criteria.0`).
    pub fn parse(&self, field: &str) -> Result<Criterion, Violation> {
        match *self {
            Self::Calendar { every, unit, basis, early, late } => {
                let every = CalendarInterval::parse(&format!("{field}.every"), every, unit)?;
                Criterion::calendar(field, every, basis, Tolerance { early, late })
            }
            Self::RunningHours { every, early, late } => {
                Criterion::running_hours(field, every, Tolerance { early, late })
            }
        }
    }
}

/// Checks a plan's criteria as sent: each one, then the set ([`check_criteria`]).
pub fn parse_criteria(wire: &[CriterionWire]) -> Result<Vec<Criterion>, Violation> {
    if wire.len() > MAX_CRITERIA {
        return Err(Violation::new("criteria", "criteria_count", format!("a plan has 1 to {MAX_CRITERIA} criteria")));
    }
    let criteria =
        wire.iter().enumerate().map(|(i, c)| c.parse(&format!("criteria.{i}"))).collect::<Result<Vec<_>, _>>()?;
    check_criteria(&criteria)?;
    Ok(criteria)
}

/// A plan of preventive maintenance for one item.
#[derive(Debug, Clone, PartialEq)]
pub struct MaintenancePlan {
    /// Its id.
    pub id: MaintenancePlanId,
    /// Its company.
    pub company_id: CompanyId,
    /// The item's vessel.
    pub vessel_id: VesselId,
    /// The item.
    pub equipment_id: EquipmentId,
    /// What is done ("Main engine: change lube oil filter").
    pub title: String,
    /// Whichever comes first.
    pub criteria: Vec<Criterion>,
    /// The day counting starts.
    pub starts_on: NaiveDate,
    /// The item's running-hours total on that day (needed by a running-hours criterion).
    pub start_hours: Option<f64>,
    /// How many days ahead of its due date the scheduler generates the work order.
    pub lead_days: u32,
}

/// A completion of one occurrence, as the plan counts from it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Completion {
    /// The day the work order was completed (UTC).
    pub on: NaiveDate,
    /// The item's running-hours total then, if known.
    pub hours: Option<f64>,
}

/// Where a plan stands: which occurrence is next, counted from what.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanProgress {
    /// The occurrence now due (0 before the first completion).
    pub occurrence: u32,
    /// The last completion.
    pub last_done: Option<Completion>,
    /// An approved postponement of this occurrence.
    pub postponement: Option<Postponement>,
}

impl PlanProgress {
    /// A plan never done.
    pub const NEW: Self = Self { occurrence: 0, last_done: None, postponement: None };
}

/// A due point of one criterion.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DuePoint {
    /// A calendar day.
    Date(NaiveDate),
    /// A running-hours total.
    Hours(f64),
}

text_enum!(
    /// Where a plan (or one criterion) stands against its due point and window.
    DueState, "due_state", {
        /// Before the window opens.
        NotDue => "not_due",
        /// In the window, before the due point.
        Early => "early",
        /// On the due point.
        Due => "due",
        /// Past the due point, within the late tolerance.
        Late => "late",
        /// Past the window.
        Overdue => "overdue",
    }
);

impl DueState {
    /// Whether work done now counts as done in its window.
    pub fn is_in_window(self) -> bool {
        matches!(self, Self::Early | Self::Due | Self::Late)
    }

    /// Where `delta` (position minus due point, in the criterion's unit) lies: both window
    /// edges belong to the window.
    pub fn of_delta(delta: f64, tolerance: Tolerance) -> Self {
        if delta < -tolerance.early {
            Self::NotDue
        } else if delta < 0.0 {
            Self::Early
        } else if delta == 0.0 {
            Self::Due
        } else if delta <= tolerance.late {
            Self::Late
        } else {
            Self::Overdue
        }
    }
}

/// What the plan's situation is now: the day, the item's running-hours total and its recent
/// daily rate (both unknown for an item without a meter).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Situation {
    /// Today (UTC).
    pub today: NaiveDate,
    /// The item's running-hours total.
    pub hours: Option<f64>,
    /// Running hours a day, recently ([`daily_hour_rate`]).
    pub daily_rate: Option<f64>,
}

/// One criterion judged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CriterionStatus {
    /// Its due point, when it has one (a running-hours criterion needs a known total).
    pub due: Option<DuePoint>,
    /// Where it stands.
    pub state: DueState,
    /// The day it is expected to fall due (for hours: at the recent daily rate).
    pub forecast: Option<NaiveDate>,
}

/// A plan judged: whichever criterion comes first.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// Each criterion, in the plan's order.
    pub criteria: Vec<CriterionStatus>,
    /// The most advanced criterion's state.
    pub state: DueState,
    /// The earliest forecast.
    pub forecast: Option<NaiveDate>,
    /// The criterion giving the earliest forecast.
    pub driver: Option<usize>,
}

impl MaintenancePlan {
    /// The due point of criterion `c` for `progress`, before any postponement.
    fn scheduled_due(&self, c: &Criterion, progress: &PlanProgress) -> Option<DuePoint> {
        match c {
            Criterion::Calendar { every, basis: CalendarBasis::FromSchedule, .. } => {
                every.add_to(self.starts_on, progress.occurrence.checked_add(1)?).map(DuePoint::Date)
            }
            Criterion::Calendar { every, basis: CalendarBasis::FromCompletion, .. } => {
                let from = progress.last_done.map_or(self.starts_on, |d| d.on);
                every.add_to(from, 1).map(DuePoint::Date)
            }
            Criterion::RunningHours { every, .. } => {
                let from = match progress.last_done {
                    Some(Completion { hours: Some(h), .. }) => h,
                    _ => self.start_hours?,
                };
                Some(DuePoint::Hours(from + every))
            }
        }
    }

    /// The due point of criterion `c` for `progress`, postponement included.
    pub fn due_point(&self, c: &Criterion, progress: &PlanProgress) -> Option<DuePoint> {
        let due = self.scheduled_due(c, progress)?;
        let Some(p) = progress.postponement.as_ref().filter(|p| p.occurrence == progress.occurrence) else {
            return Some(due);
        };
        Some(match (due, p.to) {
            (DuePoint::Date(d), PostponedTo { date: Some(to), .. }) => DuePoint::Date(to.max(d)),
            (DuePoint::Hours(h), PostponedTo { extra_hours: Some(x), .. }) => DuePoint::Hours(h + x),
            (due, _) => due,
        })
    }

    /// The current occurrence's due points, postponement included: the earliest calendar due
    /// date and the running-hours total it falls due at.
    pub fn due(&self, progress: &PlanProgress) -> (Option<NaiveDate>, Option<f64>) {
        let (mut date, mut hours) = (None::<NaiveDate>, None::<f64>);
        for c in &self.criteria {
            match self.due_point(c, progress) {
                Some(DuePoint::Date(d)) => date = Some(date.map_or(d, |e| e.min(d))),
                Some(DuePoint::Hours(h)) => hours = Some(hours.map_or(h, |e| e.min(h))),
                None => {}
            }
        }
        (date, hours)
    }

    /// Judges every criterion in `situation` and combines them: whichever comes first.
    pub fn assess(&self, progress: &PlanProgress, situation: Situation) -> Assessment {
        let criteria: Vec<CriterionStatus> = self
            .criteria
            .iter()
            .map(|c| {
                let due = self.due_point(c, progress);
                let (state, forecast) = match due {
                    Some(DuePoint::Date(d)) => {
                        let delta = (situation.today - d).num_days() as f64;
                        (DueState::of_delta(delta, c.tolerance()), Some(d))
                    }
                    Some(DuePoint::Hours(h)) => match situation.hours {
                        Some(now) => (
                            DueState::of_delta(now - h, c.tolerance()),
                            forecast_hours_due(situation.today, now, h, situation.daily_rate),
                        ),
                        None => (DueState::NotDue, None),
                    },
                    None => (DueState::NotDue, None),
                };
                CriterionStatus { due, state, forecast }
            })
            .collect();
        let state = criteria.iter().map(|c| c.state).max().unwrap_or(DueState::NotDue);
        let driver = criteria.iter().enumerate().filter_map(|(i, c)| c.forecast.map(|f| (f, i))).min().map(|(_, i)| i);
        Assessment { forecast: driver.and_then(|i| criteria[i].forecast), criteria, state, driver }
    }

    /// Whether the scheduler should generate this occurrence's work order now: its window is
    /// open, or its forecast falls within the plan's lead days.
    pub fn should_generate(&self, assessment: &Assessment, today: NaiveDate) -> bool {
        assessment.state != DueState::NotDue
            || assessment
                .forecast
                .is_some_and(|f| today.checked_add_days(Days::new(u64::from(self.lead_days))) >= Some(f))
    }

    /// The progress after the current occurrence was completed on `done`. A schedule-based
    /// plan moves to the first occurrence whose due date lies after the completion, so
    /// occurrences missed while the work was overdue are skipped, not piled up.
    pub fn complete(&self, progress: &PlanProgress, done: Completion) -> PlanProgress {
        let mut next = progress.occurrence.saturating_add(1);
        for c in &self.criteria {
            if let Criterion::Calendar { every, basis: CalendarBasis::FromSchedule, .. } = c {
                while every.add_to(self.starts_on, next.saturating_add(1)).is_some_and(|d| d <= done.on)
                    && next < u32::MAX - 1
                {
                    next += 1;
                }
            }
        }
        PlanProgress { occurrence: next, last_done: Some(done), postponement: None }
    }
}

/// The day a running-hours due point is reached at `rate` hours a day: today once reached,
/// `None` without a positive rate.
pub fn forecast_hours_due(today: NaiveDate, hours: f64, due: f64, rate: Option<f64>) -> Option<NaiveDate> {
    if hours >= due {
        return Some(today);
    }
    let rate = rate.filter(|r| r.is_finite() && *r > 0.0)?;
    let days = ((due - hours) / rate).ceil();
    if days > 36_600.0 {
        return None;
    }
    today.checked_add_days(Days::new(days as u64))
}

/// Recent running hours a day: the increase of the item's total over the readings of the last
/// `window_days` (counted from the last reading before the window, if any), divided by the
/// days between the first and last of them. `None` over less than a day; at most 24.
pub fn daily_hour_rate(readings: &[MeterReading], now: DateTime<Utc>, window_days: u32) -> Option<f64> {
    let start = now - chrono::Duration::days(i64::from(window_days));
    let mut before_meter = 0.0;
    let mut current = 0.0;
    let mut base: Option<(DateTime<Utc>, f64)> = None;
    let mut last: Option<(DateTime<Utc>, f64)> = None;
    for r in readings.iter().filter(|r| r.read_at <= now) {
        if r.meter_replaced {
            before_meter += current;
        }
        current = r.hours;
        let total = (r.read_at, before_meter + current);
        if r.read_at <= start || base.is_none() {
            base = Some(total);
        }
        last = Some(total);
    }
    let ((t0, h0), (t1, h1)) = (base?, last?);
    let days = (t1 - t0).num_seconds() as f64 / 86_400.0;
    if days < 1.0 {
        return None;
    }
    Some(((h1 - h0) / days).clamp(0.0, 24.0))
}

/// A child item's running hours while linked to its parent's meter: its total at the link plus
/// what the parent ran since (a parent's meter only moves while it runs, so a stopped parent
/// stops its children). Never below the child's total at the link.
pub fn linked_child_hours(child_at_link: f64, parent_at_link: f64, parent_now: f64) -> f64 {
    child_at_link + (parent_now - parent_at_link).max(0.0)
}

/// Where a postponed occurrence now falls due.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PostponedTo {
    /// The new due day of its calendar criteria.
    pub date: Option<NaiveDate>,
    /// Running hours added to its running-hours criterion.
    pub extra_hours: Option<f64>,
}

/// An approved postponement of one occurrence (insert-only: evidence for class and ISM audits).
#[derive(Debug, Clone, PartialEq)]
pub struct Postponement {
    /// The occurrence postponed.
    pub occurrence: u32,
    /// Where it now falls due.
    pub to: PostponedTo,
    /// Why.
    pub reason: String,
    /// Who asked.
    pub requested_by: UserId,
    /// Who approved (never the person who asked).
    pub approved_by: UserId,
    /// When it was approved.
    pub approved_at: DateTime<Utc>,
}

impl MaintenancePlan {
    /// Checks a postponement of the current occurrence (`postpone_plan.v1`): a reason, an
    /// approver other than the requester, a later date for calendar criteria (and not beyond
    /// the next occurrence of a schedule-based one), extra hours of at most one interval.
    pub fn postpone(
        &self,
        progress: &PlanProgress,
        to: PostponedTo,
        reason: &str,
        requested_by: UserId,
        approved_by: UserId,
        approved_at: DateTime<Utc>,
    ) -> Result<Postponement, Violation> {
        let reason = check_text("reason", reason, 1, 2000)?;
        if requested_by == approved_by {
            return Err(Violation::new("approved_by", "self_approval", "a postponement is approved by someone else"));
        }
        if to.date.is_none() && to.extra_hours.is_none() {
            return Err(Violation::new("to", "nothing_postponed", "give a new date, extra hours, or both"));
        }
        let plain = PlanProgress { postponement: None, ..progress.clone() };
        for c in &self.criteria {
            match (c, self.scheduled_due(c, &plain)) {
                (Criterion::Calendar { every, basis, .. }, Some(DuePoint::Date(due))) => {
                    let Some(date) = to.date else {
                        return Err(Violation::new("to.date", "required", "the plan has a calendar criterion"));
                    };
                    if date <= due {
                        return Err(Violation::new(
                            "to.date",
                            "not_later",
                            format!("must be after the due date {due}"),
                        ));
                    }
                    let following = every.add_to(self.starts_on, progress.occurrence.saturating_add(2));
                    if *basis == CalendarBasis::FromSchedule && following.is_some_and(|f| date >= f) {
                        return Err(Violation::new("to.date", "beyond_next", "must be before the next occurrence"));
                    }
                }
                (Criterion::RunningHours { every, .. }, _) => match to.extra_hours {
                    Some(x) if x.is_finite() && x > 0.0 && x <= *every => {}
                    Some(_) => {
                        return Err(Violation::new(
                            "to.extra_hours",
                            "out_of_range",
                            "more than 0, at most one interval",
                        ));
                    }
                    None => {
                        return Err(Violation::new(
                            "to.extra_hours",
                            "required",
                            "the plan has a running-hours criterion",
                        ));
                    }
                },
                _ => {}
            }
        }
        Ok(Postponement { occurrence: progress.occurrence, to, reason, requested_by, approved_by, approved_at })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn monthly(basis: CalendarBasis, tolerance: Tolerance) -> Criterion {
        let every = CalendarInterval::parse("every", 1, CalendarUnit::Months).unwrap();
        Criterion::calendar("criteria.0", every, basis, tolerance).unwrap()
    }

    fn plan(criteria: Vec<Criterion>, starts_on: NaiveDate) -> MaintenancePlan {
        check_criteria(&criteria).unwrap();
        MaintenancePlan {
            id: MaintenancePlanId::new(),
            company_id: CompanyId::new(),
            vessel_id: VesselId::new(),
            equipment_id: EquipmentId::new(),
            title: "Lube oil filter".into(),
            criteria,
            starts_on,
            start_hours: Some(1_000.0),
            lead_days: 14,
        }
    }

    fn at(today: NaiveDate) -> Situation {
        Situation { today, hours: None, daily_rate: None }
    }

    fn due_of(p: &MaintenancePlan, progress: &PlanProgress) -> Option<DuePoint> {
        p.due_point(&p.criteria[0], progress)
    }

    #[test]
    fn schedule_based_month_ends_never_drift() {
        let p = plan(vec![monthly(CalendarBasis::FromSchedule, Tolerance::NONE)], day(2024, 1, 31));
        let dues: Vec<Option<DuePoint>> =
            (0..4).map(|n| due_of(&p, &PlanProgress { occurrence: n, ..PlanProgress::NEW })).collect();
        let expected = [day(2024, 2, 29), day(2024, 3, 31), day(2024, 4, 30), day(2024, 5, 31)];
        assert_eq!(dues, expected.map(|d| Some(DuePoint::Date(d))));
    }

    #[test]
    fn a_leap_day_falls_on_the_last_of_february_in_other_years() {
        let every = CalendarInterval::parse("every", 1, CalendarUnit::Years).unwrap();
        assert_eq!(every.add_to(day(2024, 2, 29), 1), Some(day(2025, 2, 28)));
        assert_eq!(every.add_to(day(2024, 2, 29), 4), Some(day(2028, 2, 29)));
        let days = CalendarInterval::parse("every", 1, CalendarUnit::Days).unwrap();
        assert_eq!(days.add_to(day(2028, 2, 28), 1), Some(day(2028, 2, 29)));
        let weeks = CalendarInterval::parse("every", 2, CalendarUnit::Weeks).unwrap();
        assert_eq!(weeks.add_to(day(2026, 12, 25), 1), Some(day(2027, 1, 8)));
    }

    #[test]
    fn intervals_and_tolerances_are_bounded() {
        assert_eq!(CalendarInterval::parse("every", 0, CalendarUnit::Days).unwrap_err().code, "out_of_range");
        assert_eq!(CalendarInterval::parse("every", -3, CalendarUnit::Months).unwrap_err().code, "out_of_range");
        assert!(CalendarInterval::parse("every", 121, CalendarUnit::Months).is_err());
        let every = CalendarInterval::parse("every", 1, CalendarUnit::Months).unwrap();
        let wide = Tolerance { early: 29.0, late: 0.0 };
        assert!(Criterion::calendar("c", every, CalendarBasis::FromSchedule, wide).is_err());
        assert!(Criterion::running_hours("c", 0.0, Tolerance::NONE).is_err());
        assert!(Criterion::running_hours("c", 500.0, Tolerance { early: -1.0, late: 0.0 }).is_err());
        let hours = Criterion::running_hours("c", 500.0, Tolerance::NONE).unwrap();
        assert_eq!(check_criteria(&[hours, hours]).unwrap_err().code, "duplicate_hours");
        assert_eq!(check_criteria(&[]).unwrap_err().code, "criteria_count");
        let cal = monthly(CalendarBasis::FromSchedule, Tolerance::NONE);
        assert_eq!(check_criteria(&[cal, cal, cal, hours]).unwrap_err().code, "criteria_count");
    }

    #[test]
    fn tolerance_edges_belong_to_the_window() {
        let p = plan(vec![monthly(CalendarBasis::FromSchedule, Tolerance { early: 3.0, late: 5.0 })], day(2026, 1, 10));
        let due = day(2026, 2, 10);
        for (today, state) in [
            (day(2026, 2, 6), DueState::NotDue),
            (day(2026, 2, 7), DueState::Early),
            (day(2026, 2, 9), DueState::Early),
            (due, DueState::Due),
            (day(2026, 2, 15), DueState::Late),
            (day(2026, 2, 16), DueState::Overdue),
        ] {
            assert_eq!(p.assess(&PlanProgress::NEW, at(today)).state, state, "{today}");
        }
        let strict = plan(vec![monthly(CalendarBasis::FromSchedule, Tolerance::NONE)], day(2026, 1, 10));
        assert_eq!(strict.assess(&PlanProgress::NEW, at(day(2026, 2, 9))).state, DueState::NotDue);
        assert_eq!(strict.assess(&PlanProgress::NEW, at(day(2026, 2, 11))).state, DueState::Overdue);
    }

    #[test]
    fn from_completion_counts_from_the_day_it_was_done() {
        let p = plan(vec![monthly(CalendarBasis::FromCompletion, Tolerance::NONE)], day(2026, 1, 1));
        let done = p.complete(&PlanProgress::NEW, Completion { on: day(2026, 2, 20), hours: None });
        assert_eq!(due_of(&p, &done), Some(DuePoint::Date(day(2026, 3, 20))));
        let schedule = plan(vec![monthly(CalendarBasis::FromSchedule, Tolerance::NONE)], day(2026, 1, 1));
        let early = schedule.complete(&PlanProgress::NEW, Completion { on: day(2026, 1, 28), hours: None });
        assert_eq!(due_of(&schedule, &early), Some(DuePoint::Date(day(2026, 3, 1))));
    }

    #[test]
    fn a_completion_on_a_month_end_falls_due_on_the_next_months_last_day() {
        let p = plan(vec![monthly(CalendarBasis::FromCompletion, Tolerance::NONE)], day(2026, 1, 1));
        let jan = p.complete(&PlanProgress::NEW, Completion { on: day(2028, 1, 31), hours: None });
        assert_eq!(due_of(&p, &jan), Some(DuePoint::Date(day(2028, 2, 29))), "leap year");
        let feb = p.complete(&jan, Completion { on: day(2028, 2, 29), hours: None });
        assert_eq!(due_of(&p, &feb), Some(DuePoint::Date(day(2028, 3, 29))), "counted from the completion");
    }

    #[test]
    fn hours_count_on_from_a_completion_across_a_later_meter_replacement() {
        let hours = Criterion::running_hours("c", 500.0, Tolerance::NONE).unwrap();
        let p = plan(vec![hours], day(2026, 1, 1));
        let done = p.complete(&PlanProgress::NEW, Completion { on: day(2026, 2, 1), hours: Some(1_300.0) });
        assert_eq!(due_of(&p, &done), Some(DuePoint::Hours(1_800.0)));
        // The meter is replaced and reads 50: the total is 1,350, not 50, so nothing is due.
        let t = |d: u32| day(2026, 2, d).and_hms_opt(12, 0, 0).unwrap().and_utc();
        let readings = [
            MeterReading { hours: 1_300.0, meter_replaced: false, read_at: t(1) },
            MeterReading { hours: 50.0, meter_replaced: true, read_at: t(5) },
        ];
        let total = crate::equipment::running_hours(&readings);
        let s = Situation { today: day(2026, 2, 5), hours: Some(total), daily_rate: None };
        assert_eq!(p.assess(&done, s).state, DueState::NotDue);
        assert_eq!(p.assess(&done, Situation { hours: Some(1_800.0), ..s }).state, DueState::Due);
    }

    #[test]
    fn a_schedule_skips_occurrences_missed_while_overdue() {
        let p = plan(vec![monthly(CalendarBasis::FromSchedule, Tolerance::NONE)], day(2026, 1, 1));
        // Due 1 Feb, done 20 Apr: 1 Mar and 1 Apr passed meanwhile; next is 1 May.
        let next = p.complete(&PlanProgress::NEW, Completion { on: day(2026, 4, 20), hours: None });
        assert_eq!(next.occurrence, 3);
        assert_eq!(due_of(&p, &next), Some(DuePoint::Date(day(2026, 5, 1))));
        // Done on a due date itself: that date is passed, the next one is a month on.
        let on_due = p.complete(&PlanProgress::NEW, Completion { on: day(2026, 3, 1), hours: None });
        assert_eq!(due_of(&p, &on_due), Some(DuePoint::Date(day(2026, 4, 1))));
    }

    #[test]
    fn whichever_comes_first_drives_the_forecast() {
        let hours = Criterion::running_hours("c", 500.0, Tolerance { early: 50.0, late: 50.0 }).unwrap();
        let yearly = CalendarInterval::parse("every", 1, CalendarUnit::Years).unwrap();
        let cal = Criterion::calendar("c", yearly, CalendarBasis::FromCompletion, Tolerance::NONE).unwrap();
        let p = plan(vec![cal, hours], day(2026, 1, 1));
        // 1,300 h now, due at 1,500 h, 20 h a day: 10 days, well before the calendar's year.
        let s = Situation { today: day(2026, 3, 1), hours: Some(1_300.0), daily_rate: Some(20.0) };
        let a = p.assess(&PlanProgress::NEW, s);
        assert_eq!((a.forecast, a.driver, a.state), (Some(day(2026, 3, 11)), Some(1), DueState::NotDue));
        // At 1,460 h the hours window is open, whatever the calendar says.
        let a = p.assess(&PlanProgress::NEW, Situation { hours: Some(1_460.0), ..s });
        assert_eq!(a.state, DueState::Early);
        assert_eq!(p.assess(&PlanProgress::NEW, Situation { hours: Some(1_551.0), ..s }).state, DueState::Overdue);
        // An idle item: the calendar drives.
        let idle = p.assess(&PlanProgress::NEW, Situation { daily_rate: Some(0.0), ..s });
        assert_eq!((idle.forecast, idle.driver), (Some(day(2027, 1, 1)), Some(0)));
    }

    #[test]
    fn forecasts_round_up_to_whole_days() {
        let today = day(2026, 12, 30);
        assert_eq!(forecast_hours_due(today, 100.0, 130.0, Some(24.0)), Some(day(2027, 1, 1)));
        assert_eq!(forecast_hours_due(today, 130.0, 130.0, None), Some(today));
        assert_eq!(forecast_hours_due(today, 100.0, 130.0, Some(-1.0)), None);
        assert_eq!(forecast_hours_due(today, 100.0, 130.0, Some(f64::NAN)), None);
    }

    #[test]
    fn running_hours_count_from_the_total_across_a_meter_replacement() {
        let hours = Criterion::running_hours("c", 500.0, Tolerance::NONE).unwrap();
        let p = plan(vec![hours], day(2026, 1, 1));
        let t = |d: u32| day(2026, 3, d).and_hms_opt(12, 0, 0).unwrap().and_utc();
        let readings = [
            MeterReading { hours: 1_200.0, meter_replaced: false, read_at: t(1) },
            MeterReading { hours: 1_300.0, meter_replaced: false, read_at: t(6) },
            MeterReading { hours: 50.0, meter_replaced: true, read_at: t(11) },
        ];
        let total = crate::equipment::running_hours(&readings);
        assert_eq!(total, 1_350.0);
        // 150 h over 10 days, the new meter's 50 h counted on top of the old one's 1,300.
        assert_eq!(daily_hour_rate(&readings, t(11), 30), Some(15.0));
        let s = Situation { today: day(2026, 3, 11), hours: Some(total), daily_rate: Some(15.0) };
        assert_eq!(p.assess(&PlanProgress::NEW, s).forecast, Some(day(2026, 3, 21)));
    }

    #[test]
    fn the_daily_rate_needs_a_day_and_counts_from_before_the_window() {
        let t = |d: u32, h: u32| day(2026, 3, d).and_hms_opt(h, 0, 0).unwrap().and_utc();
        let r = |hours, read_at| MeterReading { hours, meter_replaced: false, read_at };
        assert_eq!(daily_hour_rate(&[r(10.0, t(1, 0)), r(20.0, t(1, 12))], t(2, 0), 7), None);
        // The base is the last reading before the window: 10 days at 12 h a day.
        let rs = [r(0.0, t(1, 0)), r(100.0, t(11, 0)), r(220.0, t(21, 0))];
        assert_eq!(daily_hour_rate(&rs, t(21, 0), 7), Some(12.0));
        // Readings after `now` are ignored; a rate is never above 24.
        assert_eq!(daily_hour_rate(&rs, t(11, 0), 30), Some(10.0));
        assert_eq!(daily_hour_rate(&[r(0.0, t(1, 0)), r(100.0, t(2, 0))], t(2, 0), 7), Some(24.0));
        assert_eq!(daily_hour_rate(&[], t(2, 0), 7), None);
    }

    #[test]
    fn the_scheduler_generates_within_the_lead_days() {
        let p = plan(vec![monthly(CalendarBasis::FromSchedule, Tolerance::NONE)], day(2026, 1, 1));
        let on = |d| {
            let a = p.assess(&PlanProgress::NEW, at(d));
            p.should_generate(&a, d)
        };
        assert!(!on(day(2026, 1, 17)), "due 1 Feb, 15 days ahead");
        assert!(on(day(2026, 1, 18)), "14 days ahead");
        assert!(on(day(2026, 3, 1)), "overdue still generates");
    }

    #[test]
    fn a_postponement_needs_a_reason_another_approver_and_a_later_date() {
        let p = plan(vec![monthly(CalendarBasis::FromSchedule, Tolerance::NONE)], day(2026, 1, 1));
        let (chief, master) = (UserId::new(), UserId::new());
        let t = day(2026, 1, 30).and_hms_opt(9, 0, 0).unwrap().and_utc();
        let to = |d| PostponedTo { date: Some(d), extra_hours: None };
        let go = |to, reason: &str, by| p.postpone(&PlanProgress::NEW, to, reason, chief, by, t);
        assert_eq!(go(to(day(2026, 2, 10)), "Alongside only on 9 Feb", chief).unwrap_err().code, "self_approval");
        assert_eq!(go(to(day(2026, 2, 10)), " ", master).unwrap_err().code, "too_short");
        assert_eq!(go(to(day(2026, 2, 1)), "Weather", master).unwrap_err().code, "not_later");
        assert_eq!(go(to(day(2026, 3, 1)), "Weather", master).unwrap_err().code, "beyond_next");
        let none = PostponedTo { date: None, extra_hours: None };
        assert_eq!(go(none, "Weather", master).unwrap_err().code, "nothing_postponed");
        let ok = go(to(day(2026, 2, 10)), "Alongside only on 9 Feb", master).unwrap();
        let progress = PlanProgress { postponement: Some(ok), ..PlanProgress::NEW };
        assert_eq!(due_of(&p, &progress), Some(DuePoint::Date(day(2026, 2, 10))));
        assert_eq!(p.assess(&progress, at(day(2026, 2, 5))).state, DueState::NotDue);
        // The schedule itself does not move: the occurrence after is due 1 Mar as before.
        let next = p.complete(&progress, Completion { on: day(2026, 2, 10), hours: None });
        assert_eq!((due_of(&p, &next), next.postponement), (Some(DuePoint::Date(day(2026, 3, 1))), None));
    }

    #[test]
    fn a_postponement_of_hours_adds_at_most_one_interval() {
        let hours = Criterion::running_hours("c", 500.0, Tolerance::NONE).unwrap();
        let p = plan(vec![hours], day(2026, 1, 1));
        let (a, b) = (UserId::new(), UserId::new());
        let t = day(2026, 1, 30).and_hms_opt(9, 0, 0).unwrap().and_utc();
        let extra = |x| PostponedTo { date: None, extra_hours: Some(x) };
        assert_eq!(p.postpone(&PlanProgress::NEW, extra(0.0), "r", a, b, t).unwrap_err().code, "out_of_range");
        assert_eq!(p.postpone(&PlanProgress::NEW, extra(501.0), "r", a, b, t).unwrap_err().code, "out_of_range");
        let ok = p.postpone(&PlanProgress::NEW, extra(100.0), "Waiting for the yard", a, b, t).unwrap();
        let progress = PlanProgress { postponement: Some(ok), ..PlanProgress::NEW };
        assert_eq!(due_of(&p, &progress), Some(DuePoint::Hours(1_600.0)));
        let date_only = PostponedTo { date: Some(day(2026, 3, 1)), extra_hours: None };
        assert_eq!(p.postpone(&PlanProgress::NEW, date_only, "r", a, b, t).unwrap_err().code, "required");
    }

    #[test]
    fn an_item_without_a_meter_is_never_due_by_hours() {
        let hours = Criterion::running_hours("c", 500.0, Tolerance::NONE).unwrap();
        let mut p = plan(vec![hours], day(2026, 1, 1));
        p.start_hours = None;
        let a =
            p.assess(&PlanProgress::NEW, Situation { today: day(2026, 6, 1), hours: Some(9_999.0), daily_rate: None });
        assert_eq!((a.state, a.forecast, a.criteria[0].due), (DueState::NotDue, None, None));
    }

    #[test]
    fn a_child_runs_only_while_its_parent_does() {
        assert_eq!(linked_child_hours(200.0, 5_000.0, 5_120.0), 320.0);
        assert_eq!(linked_child_hours(200.0, 5_000.0, 5_000.0), 200.0, "parent stopped");
        assert_eq!(linked_child_hours(200.0, 5_000.0, 10.0), 200.0, "never backwards");
    }

    proptest::proptest! {
        #[test]
        fn monthly_dues_keep_the_start_day_or_the_months_last(
            y in 2000i32..2100, m in 1u32..=12, d in 1u32..=31, n in 0u32..240
        ) {
            let Some(start) = NaiveDate::from_ymd_opt(y, m, d) else { return Ok(()) };
            let every = CalendarInterval::parse("every", 1, CalendarUnit::Months).unwrap();
            let due = every.add_to(start, n).unwrap();
            let next = every.add_to(start, n + 1).unwrap();
            proptest::prop_assert!(next > due);
            use chrono::Datelike;
            let last_of_month = due.with_day(1).unwrap().checked_add_months(Months::new(1)).unwrap().pred_opt().unwrap().day();
            proptest::prop_assert_eq!(due.day(), d.min(last_of_month));
        }
    }

    #[test]
    fn criteria_travel_as_their_wire_form_and_are_checked_on_the_way_in() {
        let text = r#"[{"kind":"calendar","every":6,"unit":"months","basis":"from_schedule","early":7,"late":14},
                       {"kind":"running_hours","every":500,"early":25}]"#;
        let wire: Vec<CriterionWire> = serde_json::from_str(text).unwrap();
        let criteria = parse_criteria(&wire).unwrap();
        assert_eq!(criteria.iter().map(CriterionWire::of).collect::<Vec<_>>(), wire);
        assert_eq!(
            criteria[1],
            Criterion::RunningHours { every: 500.0, tolerance: Tolerance { early: 25.0, late: 0.0 } }
        );
        let zero = [CriterionWire::Calendar {
            every: 0,
            unit: CalendarUnit::Days,
            basis: CalendarBasis::FromCompletion,
            early: 0.0,
            late: 0.0,
        }];
        assert_eq!(parse_criteria(&zero).unwrap_err().field, "criteria.0.every");
        assert_eq!(parse_criteria(&[]).unwrap_err().code, "criteria_count");
        let four = vec![wire[0].clone(); 4];
        assert_eq!(parse_criteria(&four).unwrap_err().code, "criteria_count");
        // Whole numbers travel as integers, fractions as they are.
        let text = serde_json::to_string(&wire).unwrap();
        assert!(
            text.contains(r#""every":500,"early":25,"late":0"#) && text.contains(r#""early":7,"late":14"#),
            "{text}"
        );
        let half = CriterionWire::RunningHours { every: 250.5, early: 0.0, late: 0.0 };
        assert_eq!(serde_json::to_value(&half).unwrap()["every"], serde_json::json!(250.5));
        let unknown = r#"[{"kind":"calendar","every":1,"unit":"months","basis":"from_schedule","colour":1}]"#;
        assert!(serde_json::from_str::<Vec<CriterionWire>>(unknown).is_err());
    }

    #[test]
    fn due_gives_the_earliest_date_and_the_hours_postponement_included() {
        let hours = Criterion::running_hours("c", 500.0, Tolerance::NONE).unwrap();
        let p = plan(vec![monthly(CalendarBasis::FromSchedule, Tolerance::NONE), hours], day(2026, 1, 10));
        assert_eq!(p.due(&PlanProgress::NEW), (Some(day(2026, 2, 10)), Some(1_500.0)));
        let later = Postponement {
            occurrence: 0,
            to: PostponedTo { date: Some(day(2026, 2, 20)), extra_hours: Some(50.0) },
            reason: "Dry dock".into(),
            requested_by: UserId::new(),
            approved_by: UserId::new(),
            approved_at: Utc::now(),
        };
        let progress = PlanProgress { postponement: Some(later), ..PlanProgress::NEW };
        assert_eq!(p.due(&progress), (Some(day(2026, 2, 20)), Some(1_550.0)));
    }
}
