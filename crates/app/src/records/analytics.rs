//! Analytics: the dashboard, repair times (MTTR) and parts spend, computed from the
//! aggregates the store counts (`AnalyticsRepo`). The definitions are in
//! `docs/ARCHITECTURE.md` ("Analytics"):
//!
//! - open faults: reported and not yet resolved or closed, by severity;
//! - ageing: those open faults by time since their report (`observed_at`): ≤ 1 day, 1–7 days,
//!   7–30 days, over 30 days (each bucket includes its upper bound);
//! - MTTR: the mean of `repair_seconds` (report to resolution) of faults resolved in the window;
//! - MTBF: over items with two or more faults reported in the window, Σ(last − first) /
//!   Σ(faults − 1), the mean time between consecutive reports on one item;
//! - spend: parts orders created in the window and not cancelled, quantity × unit price, per
//!   currency (never converted); margin = customer − supplier.
//!
//! Vessel-scoped roles (engineer) count only the vessels they are members of; naming another
//! vessel is "not found".

use bosun_domain::VesselId;
use bosun_domain::fault::Severity;
use bosun_domain::permissions::Action;
use bosun_domain::{EquipmentId, Violation};
use bosun_store::{FailureSpan, MttrGroup, MttrRow, SpendRow, Tx, VesselScope};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use crate::{Actor, Deps, Error, Result, Violations};

/// How many items the dashboard's top list shows.
pub const TOP_EQUIPMENT: u32 = 5;

/// The longest period a report may cover, in days.
pub const MAX_PERIOD_DAYS: i64 = 3660;

/// Open faults by time since their report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ageing {
    /// Reported at most one day ago.
    pub up_to_1d: i64,
    /// More than one and at most seven days ago.
    pub from_1d_to_7d: i64,
    /// More than seven and at most thirty days ago.
    pub from_7d_to_30d: i64,
    /// More than thirty days ago.
    pub over_30d: i64,
}

/// Mean repair time over a set of resolved faults.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Mttr {
    /// Resolved faults counted.
    pub faults: i64,
    /// Mean seconds from report to resolution; `None` without faults.
    pub mean_seconds: Option<f64>,
}

/// Mean time between failures.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Mtbf {
    /// Items with two or more faults in the window.
    pub items: i64,
    /// Intervals between consecutive reports on those items (Σ(faults − 1)).
    pub intervals: i64,
    /// Mean seconds between consecutive reports; `None` without intervals.
    pub mean_seconds: Option<f64>,
}

/// Spend in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spend {
    /// ISO 4217.
    pub currency: String,
    /// What suppliers charge, minor units.
    pub supplier_minor: i64,
    /// What customers are charged, minor units.
    pub customer_minor: i64,
    /// Customer minus supplier.
    pub margin_minor: i64,
}

/// One item and its fault count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EquipmentFaults {
    /// The item.
    pub equipment_id: EquipmentId,
    /// Its name.
    pub name: String,
    /// Faults reported in the window.
    pub faults: i64,
}

/// What the dashboard shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    /// The vessel it covers; `None` for every vessel the caller sees.
    pub vessel_id: Option<VesselId>,
    /// The time it was computed at (the windows end here).
    pub at: DateTime<Utc>,
    /// Open faults per severity, every severity listed.
    pub open_by_severity: Vec<(Severity, i64)>,
    /// Open faults in all.
    pub open_total: i64,
    /// Open faults by age.
    pub ageing: Ageing,
    /// MTTR of faults resolved in the last 30 days.
    pub mttr_30d: Mttr,
    /// MTTR of faults resolved in the last 90 days.
    pub mttr_90d: Mttr,
    /// Items with the most faults reported in the last 90 days.
    pub top_equipment_90d: Vec<EquipmentFaults>,
    /// MTBF over the last 90 days.
    pub mtbf_90d: Mtbf,
    /// Parts spend of the last 90 days per currency; `None` without `analytics.costs`.
    pub parts_spend_90d: Option<Vec<Spend>>,
}

/// A period of whole UTC days, `from` to `to` inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day (included).
    pub to: NaiveDate,
}

impl Period {
    /// Checks a requested period; a missing end is today, a missing start `default_days`
    /// before the end (the end included).
    pub fn parse(from: Option<NaiveDate>, to: Option<NaiveDate>, today: NaiveDate, default_days: i64) -> Result<Self> {
        let mut v = Violations::default();
        let in_range = |field: &str, d: NaiveDate| {
            if (1..=9998).contains(&d.year()) {
                Ok(d)
            } else {
                Err(Violation::new(field, "out_of_range", "must be a date in the years 1 to 9998"))
            }
        };
        let to = v.check(in_range("to", to.unwrap_or(today)));
        let from = match from {
            Some(f) => v.check(in_range("from", f)),
            None => to.map(|t| t - Duration::days(default_days - 1)),
        };
        v.finish()?;
        let (Some(from), Some(to)) = (from, to) else {
            return Err(Error::Internal("checked period".into()));
        };
        if from > to {
            return Err(Violation::new("from", "after_to", "must not be after `to`").into());
        }
        if (to - from).num_days() >= MAX_PERIOD_DAYS {
            return Err(Violation::new(
                "from",
                "period_too_long",
                format!("a period may span at most {MAX_PERIOD_DAYS} days"),
            )
            .into());
        }
        Ok(Self { from, to })
    }

    /// The half-open time range `[from 00:00 UTC, the day after to 00:00 UTC)`.
    pub fn range(self) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = self.from.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        let end = (self.to + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        (start, end)
    }
}

/// An MTTR report.
#[derive(Debug, Clone, PartialEq)]
pub struct MttrReport {
    /// The period, by resolution time.
    pub period: Period,
    /// The grouping, if any.
    pub group: Option<MttrGroup>,
    /// Every fault of the period together.
    pub overall: Mttr,
    /// Per group, ordered by key.
    pub rows: Vec<MttrRow>,
}

/// A parts-spend report.
#[derive(Debug, Clone, PartialEq)]
pub struct CostReport {
    /// The period, by order creation.
    pub period: Period,
    /// By vessel, month and currency.
    pub rows: Vec<SpendRow>,
    /// Per currency.
    pub totals: Vec<Spend>,
}

/// MTBF from the spread of reports per item: Σ(last − first) / Σ(n − 1).
pub fn mtbf(spans: &[FailureSpan]) -> Mtbf {
    let relevant = spans.iter().filter(|s| s.faults >= 2);
    let (items, intervals, seconds) = relevant.fold((0i64, 0i64, 0i64), |(i, n, secs), s| {
        (i + 1, n + (s.faults - 1), secs + (s.last - s.first).num_seconds())
    });
    Mtbf { items, intervals, mean_seconds: (intervals > 0).then(|| seconds as f64 / intervals as f64) }
}

/// The items with the most faults in the spans' window, most first (ties by id).
pub fn top_equipment(spans: &[FailureSpan]) -> Vec<EquipmentFaults> {
    let mut by_count: Vec<&FailureSpan> = spans.iter().collect();
    by_count.sort_by(|a, b| b.faults.cmp(&a.faults).then(a.equipment_id.cmp(&b.equipment_id)));
    by_count
        .into_iter()
        .take(TOP_EQUIPMENT as usize)
        .map(|s| EquipmentFaults { equipment_id: s.equipment_id, name: s.name.clone(), faults: s.faults })
        .collect()
}

/// Totals per currency of spend rows, ordered by currency.
pub fn totals(rows: &[SpendRow]) -> Vec<Spend> {
    let mut by: std::collections::BTreeMap<&str, (i64, i64)> = std::collections::BTreeMap::new();
    for r in rows {
        let e = by.entry(r.currency.as_str()).or_default();
        e.0 += r.supplier_minor;
        e.1 += r.customer_minor;
    }
    by.into_iter()
        .map(|(c, (s, cu))| Spend {
            currency: c.to_owned(),
            supplier_minor: s,
            customer_minor: cu,
            margin_minor: cu - s,
        })
        .collect()
}

/// Every grouping of repair times, in order.
pub const GROUPS: [MttrGroup; 5] =
    [MttrGroup::Vessel, MttrGroup::Equipment, MttrGroup::Severity, MttrGroup::Month, MttrGroup::Week];

/// The wire name of an MTTR grouping.
pub fn group_name(g: MttrGroup) -> &'static str {
    match g {
        MttrGroup::Vessel => "vessel",
        MttrGroup::Equipment => "equipment",
        MttrGroup::Severity => "severity",
        MttrGroup::Month => "month",
        MttrGroup::Week => "week",
    }
}

fn parse_group(s: &str) -> Result<MttrGroup> {
    GROUPS.into_iter().find(|g| group_name(*g) == s).ok_or_else(|| {
        Violation::new("group", "unknown_value", "must be one of vessel, equipment, severity, month, week").into()
    })
}

fn overall(rows: &[MttrRow]) -> Mttr {
    rows.first().map_or(Mttr::default(), |r| Mttr { faults: r.faults, mean_seconds: Some(r.mean_seconds) })
}

/// Analytics use cases.
#[derive(Clone)]
pub struct AnalyticsService {
    /// The store, clock and event hub it works with.
    pub deps: Deps,
}

impl AnalyticsService {
    /// The scope the caller may count: one visible vessel, or all they see.
    async fn scope(&self, tx: &mut Box<dyn Tx>, actor: &Actor, vessel: Option<VesselId>) -> Result<VesselScope> {
        let c = actor.company_id;
        if let Some(v) = vessel {
            tx.vessel(c, v).await?.ok_or(Error::NotFound)?;
            if !self.deps.sees_vessel(tx, actor, v).await? {
                return Err(Error::NotFound);
            }
        }
        Ok(self.deps.scope_for(actor, vessel))
    }

    async fn scoped_tx(
        &self,
        actor: &Actor,
        vessel: Option<VesselId>,
        action: Action,
    ) -> Result<(Box<dyn Tx>, VesselScope)> {
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let scope = self.scope(&mut tx, actor, vessel).await?;
        if !actor.role.may(action) {
            drop(tx);
            return Err(self.deps.refuse(actor, action, "analytics", vessel.map(|v| v.to_string())).await);
        }
        Ok((tx, scope))
    }

    /// The dashboard of one vessel or every vessel the caller sees.
    ///
    /// Its figures are read in two read transactions at once, on two connections: the
    /// per-item report spans (top equipment, MTBF) in one, everything else in the other. At a
    /// million faults each half walks tens of thousands of index entries, and the halves take
    /// about as long as each other, so the dashboard answers in the time of the longer half,
    /// not of both. Each figure is read from one consistent snapshot; the two snapshots may be
    /// a write apart, as two refreshes of a dashboard would be.
    pub async fn dashboard(&self, actor: &Actor, vessel: Option<VesselId>) -> Result<Dashboard> {
        let (mut tx, scope) = self.scoped_tx(actor, vessel, Action::AnalyticsRead).await?;
        let c = actor.company_id;
        let now = self.deps.clock.now();
        let days = Duration::days;
        let spans = async {
            let mut spans_tx = self.deps.store.begin_read(Some(c)).await?;
            let spans = spans_tx.failure_spans(c, scope, now - days(90), now).await?;
            Ok::<_, Error>(spans)
        };
        // `rest` owns its transaction and drops it when done: with a pool of one connection the
        // spans' transaction waits for it instead of for ever.
        let rest = async move {
            let counted = tx.unresolved_by_severity(c, scope, [now - days(1), now - days(7), now - days(30)]).await?;
            let mttr = tx.mttr_until(c, scope, [now - days(30), now - days(90)], now).await?;
            let spend = if actor.role.may(Action::AnalyticsCosts) {
                Some(totals(&tx.parts_spend(c, scope, now - days(90), now).await?))
            } else {
                None
            };
            Ok::<_, Error>((counted, mttr, spend))
        };
        let (spans, (counted, mttr, parts_spend_90d)) = tokio::try_join!(spans, rest)?;

        let open_by_severity: Vec<(Severity, i64)> = Severity::ALL
            .iter()
            .map(|s| (*s, counted.iter().find(|u| u.severity == *s).map_or(0, |u| u.total)))
            .collect();
        let open_total: i64 = open_by_severity.iter().map(|(_, n)| n).sum();
        let mut before = [0i64; 3];
        for u in &counted {
            before.iter_mut().zip(u.before).for_each(|(total, n)| *total += n);
        }
        let [b1, b7, b30] = before;
        let ageing =
            Ageing { up_to_1d: open_total - b1, from_1d_to_7d: b1 - b7, from_7d_to_30d: b7 - b30, over_30d: b30 };
        let [mttr_30d, mttr_90d] = mttr.map(|r| Mttr { faults: r.faults, mean_seconds: r.mean_seconds });
        Ok(Dashboard {
            vessel_id: vessel,
            at: now,
            open_by_severity,
            open_total,
            ageing,
            mttr_30d,
            mttr_90d,
            top_equipment_90d: top_equipment(&spans),
            mtbf_90d: mtbf(&spans),
            parts_spend_90d,
        })
    }

    /// Repair times of faults resolved in a period (default: the 90 days to today), grouped.
    pub async fn mttr(
        &self,
        actor: &Actor,
        vessel: Option<VesselId>,
        group: Option<&str>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<MttrReport> {
        let (mut tx, scope) = self.scoped_tx(actor, vessel, Action::AnalyticsRead).await?;
        let group = group.map(parse_group).transpose()?;
        let period = Period::parse(from, to, self.deps.clock.now().date_naive(), 90)?;
        let (since, until) = period.range();
        let c = actor.company_id;
        let overall = overall(&tx.mttr(c, scope, since, until, None).await?);
        let rows = match group {
            Some(g) => tx.mttr(c, scope, since, until, Some(g)).await?,
            None => Vec::new(),
        };
        Ok(MttrReport { period, group, overall, rows })
    }

    /// Parts spend of a period (default: the 365 days to today) by vessel and month.
    pub async fn costs(
        &self,
        actor: &Actor,
        vessel: Option<VesselId>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<CostReport> {
        let (mut tx, scope) = self.scoped_tx(actor, vessel, Action::AnalyticsCosts).await?;
        let period = Period::parse(from, to, self.deps.clock.now().date_naive(), 365)?;
        let (since, until) = period.range();
        let rows = tx.parts_spend(actor.company_id, scope, since, until).await?;
        let totals = totals(&rows);
        Ok(CostReport { period, rows, totals })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn mtbf_is_the_total_span_over_the_intervals() {
        let spans = [
            // 3 faults over 10 days: 2 intervals.
            FailureSpan {
                equipment_id: EquipmentId::new(),
                name: "Pump".into(),
                faults: 3,
                first: t("2026-01-01T00:00:00Z"),
                last: t("2026-01-11T00:00:00Z"),
            },
            // 2 faults 4 days apart: 1 interval.
            FailureSpan {
                equipment_id: EquipmentId::new(),
                name: "Winch".into(),
                faults: 2,
                first: t("2026-02-01T00:00:00Z"),
                last: t("2026-02-05T00:00:00Z"),
            },
        ];
        let m = mtbf(&spans);
        assert_eq!((m.items, m.intervals), (2, 3));
        assert_eq!(m.mean_seconds, Some((14 * 86_400) as f64 / 3.0));
        assert_eq!(mtbf(&[]).mean_seconds, None);
    }

    #[test]
    fn the_top_items_have_the_most_faults_ties_by_id() {
        let span = |faults: i64| FailureSpan {
            equipment_id: EquipmentId::new(),
            name: format!("item with {faults}"),
            faults,
            first: t("2026-01-01T00:00:00Z"),
            last: t("2026-01-02T00:00:00Z"),
        };
        let spans: Vec<FailureSpan> = [1, 4, 2, 4, 3, 5, 1].into_iter().map(span).collect();
        let top = top_equipment(&spans);
        assert_eq!(top.iter().map(|e| e.faults).collect::<Vec<_>>(), [5, 4, 4, 3, 2]);
        assert!(top[1].equipment_id < top[2].equipment_id, "a tie goes by id");
        assert_eq!(top[0].name, "item with 5");
    }

    #[test]
    fn a_period_defaults_to_the_days_before_today_and_refuses_nonsense() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        let p = Period::parse(None, None, today, 90).unwrap();
        assert_eq!((p.from, p.to), (NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), today));
        let (start, end) = p.range();
        assert_eq!((start, end), (t("2026-01-01T00:00:00Z"), t("2026-04-01T00:00:00Z")));
        assert!(Period::parse(Some(today), Some(today - Duration::days(1)), today, 90).is_err());
        assert!(Period::parse(Some(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap()), None, today, 90).is_err());
    }

    #[test]
    fn totals_are_per_currency_with_margin() {
        let v = VesselId::new();
        let row = |month: &str, cur: &str, s, c| SpendRow {
            vessel_id: v,
            month: month.into(),
            currency: cur.into(),
            supplier_minor: s,
            customer_minor: c,
        };
        let t =
            totals(&[row("2026-01", "EUR", 100, 120), row("2026-02", "EUR", 50, 60), row("2026-01", "USD", 10, 12)]);
        assert_eq!(
            t,
            vec![
                Spend { currency: "EUR".into(), supplier_minor: 150, customer_minor: 180, margin_minor: 30 },
                Spend { currency: "USD".into(), supplier_minor: 10, customer_minor: 12, margin_minor: 2 },
            ]
        );
    }
}
