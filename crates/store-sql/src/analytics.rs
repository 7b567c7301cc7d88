//! The aggregates behind dashboards: counted and averaged in the database so a dashboard over
//! a million faults reads index entries, not rows. Date bucketing is each dialect's own.
//!
//! Each statement is shaped so that SQLite answers it from one of the indexes of migration
//! `0003_read_indexes` without table statistics (`crate::plans` checks the plans): unresolved
//! faults through the partial index `faults_unresolved`, grouped by severity in its order;
//! windows of reports with one seek per item of equipment; windows of repairs by resolution
//! time. Optional filters are left out of a statement rather than disabled with `$n IS NULL OR`,
//! which would hide them from the planner.
//!
//! The dashboard reads in four statements, each window walked once: unresolved faults by
//! severity and age, the 30- and 90-day repairs, the per-item report spans and parts spend.

use async_trait::async_trait;
use bosun_domain::{CompanyId, EquipmentId, VesselId};
use bosun_store::{
    AnalyticsRepo, FailureSpan, MttrGroup, MttrRow, RepairTimes, SpendRow, StoreError, StoreResult, UnresolvedCount,
    VesselScope,
};
use chrono::{DateTime, Utc};

use crate::{Conn, SqlTx, filter, reachable_vessels, run};

/// The filter every aggregate shares, on table alias `f`: the company, then the vessel scope
/// as `$2` (one vessel) and `$3` with `$since` (the vessels a caller reaches), each only when
/// set. `$since` is each statement's last parameter.
fn scoped(scope: VesselScope, since: &str) -> String {
    format!(" f.deleted_at IS NULL AND {}", scoped_as("f", scope, since))
}

/// [`scoped`] for a table aliased `t` that deletes no rows.
fn scoped_as(t: &str, scope: VesselScope, since: &str) -> String {
    let reach = reachable_vessels!("$1", "$3", "{since}").replace("{since}", since);
    format!(
        " {t}.company_id = $1 AND {} AND {} ",
        filter(scope.vessel.is_some(), "$2", &format!("{t}.vessel_id = $2")),
        if scope.member.is_some() {
            format!("{t}.vessel_id IN ({reach})")
        } else {
            format!("$3 IS NULL AND {since} IS NULL")
        }
    )
}

/// The statements, by what they answer.
pub(crate) mod sql {
    use bosun_store::{MttrGroup, VesselScope};

    use super::{scoped, scoped_as};

    /// Unresolved faults by severity, in all (`n`) and reported before `$4`, `$5` and `$6`
    /// (`b1`, `b2`, `b3`): one walk of the partial index in its order, the ageing cutoffs
    /// counted on the way rather than by a walk each.
    pub(crate) fn unresolved_by_severity(scope: VesselScope) -> String {
        format!(
            "SELECT f.severity, count(*) AS n,
                    count(CASE WHEN f.observed_at < $4 THEN 1 END) AS b1,
                    count(CASE WHEN f.observed_at < $5 THEN 1 END) AS b2,
                    count(CASE WHEN f.observed_at < $6 THEN 1 END) AS b3
               FROM faults f
              WHERE {} AND f.status NOT IN ('resolved', 'closed') GROUP BY f.severity",
            scoped(scope, "$7")
        )
    }

    /// Repairs resolved in `[$4, $5)`: count and mean, by `group` or overall.
    pub(crate) fn mttr(scope: VesselScope, group: Option<MttrGroup>, pg: bool) -> String {
        let key = match (group, pg) {
            (None, _) => None,
            (Some(MttrGroup::Vessel), _) => Some("f.vessel_id"),
            (Some(MttrGroup::Equipment), _) => Some("f.equipment_id"),
            (Some(MttrGroup::Severity), _) => Some("f.severity"),
            (Some(MttrGroup::Month), false) => Some("substr(f.resolved_at, 1, 7)"),
            (Some(MttrGroup::Month), true) => Some("to_char(f.resolved_at AT TIME ZONE 'UTC', 'YYYY-MM')"),
            (Some(MttrGroup::Week), false) => Some("strftime('%G-W%V', f.resolved_at)"),
            (Some(MttrGroup::Week), true) => Some("to_char(f.resolved_at AT TIME ZONE 'UTC', 'IYYY-\"W\"IW')"),
        };
        let window = "f.resolved_at >= $4 AND f.resolved_at < $5 AND f.repair_seconds IS NOT NULL";
        let mean = "count(*) AS n, CAST(avg(f.repair_seconds) AS DOUBLE PRECISION) AS mean";
        match key {
            // Overall: a plain aggregate, with no grouping to sort for.
            None => format!("SELECT 'all' AS k, {mean} FROM faults f WHERE {} AND {window}", scoped(scope, "$6")),
            Some(key) => format!(
                "SELECT {key} AS k, {mean} FROM faults f WHERE {} AND {window} GROUP BY k ORDER BY k",
                scoped(scope, "$6")
            ),
        }
    }

    /// Repairs resolved in `[$4, $5)` (`older`) and in `[$5, $6)` (`recent`): how many and the
    /// mean over `recent` (`n_recent`, `mean_recent`) and over both (`n_all`, `mean_all`), so
    /// that the repairs of two windows sharing their end are walked once, not the shorter
    /// window twice. The means are the integer sum over the count, which is how each
    /// dialect's `avg` of an integer column computes it, so they equal `avg` over the same
    /// repairs to the last bit: SQLite divides the sum as a double, PostgreSQL divides exact
    /// numerics before the cast.
    pub(crate) fn mttr_split(scope: VesselScope, pg: bool) -> String {
        let mean = |sum: &str, n: &str| {
            if pg {
                format!("CASE WHEN ({n}) > 0 THEN CAST(CAST({sum} AS NUMERIC) / ({n}) AS DOUBLE PRECISION) END")
            } else {
                format!("CASE WHEN ({n}) > 0 THEN CAST({sum} AS REAL) / ({n}) END")
            }
        };
        let window = |from: &str, to: &str| {
            format!(
                "(SELECT count(*) AS n, coalesce(sum(f.repair_seconds), 0) AS s FROM faults f
                   WHERE {} AND f.resolved_at >= {from} AND f.resolved_at < {to} AND f.repair_seconds IS NOT NULL)",
                scoped(scope, "$7")
            )
        };
        format!(
            "SELECT recent.n AS n_recent, {} AS mean_recent,
                    recent.n + older.n AS n_all, {} AS mean_all
               FROM {} older, {} recent",
            mean("recent.s", "recent.n"),
            mean("recent.s + older.s", "recent.n + older.n"),
            window("$4", "$5"),
            window("$5", "$6")
        )
    }

    /// Per item of the company, its faults reported in `[$4, $5)` (`{what}` over them), found
    /// with one seek per item into `faults_by_equipment_report`.
    fn per_item(scope: VesselScope, what: &str) -> String {
        format!(
            "(SELECT {what} FROM faults f
               WHERE {} AND f.equipment_id = e.id AND f.observed_at >= $4 AND f.observed_at < $5)",
            scoped(scope, "$6")
        )
    }

    /// Per item with reports in `[$4, $5)`, in item order: its name, how many, the first and
    /// the last.
    ///
    /// The per-item counts are materialised before the first row is returned. Left to stream,
    /// each row would wait on its item's window walk, and the driver hands every row on its own
    /// from SQLite's thread to the task reading it; a thousand slow rows cost more in those
    /// hand-overs than in SQLite. Materialised, the rows follow each other at once. It also
    /// keeps SQLite from flattening the spans into the outer query, which would count every
    /// item's window twice, once for `n > 0` and once for the result.
    pub(crate) fn failure_spans(scope: VesselScope) -> String {
        format!(
            "WITH spans AS MATERIALIZED (
               SELECT e.id AS equipment_id, e.name, {} AS n, {} AS first, {} AS last
                 FROM equipment e WHERE e.company_id = $1)
             SELECT equipment_id, name, n, first, last FROM spans WHERE n > 0 ORDER BY equipment_id",
            per_item(scope, "count(*)"),
            per_item(scope, "min(f.observed_at)"),
            per_item(scope, "max(f.observed_at)")
        )
    }

    /// Parts spend in `[$4, $5)` by vessel, month and currency: requisitions priced and not
    /// yet ordered, by the day they were raised, and the lines of purchase orders not
    /// cancelled, by the day the order was made (ordered requisitions count through their
    /// lines); each line's total rounded half away to a minor unit, as an order prints it.
    pub(crate) fn parts_spend(scope: VesselScope, pg: bool) -> String {
        let month = |t: &str| {
            if pg {
                format!("to_char({t}.created_at AT TIME ZONE 'UTC', 'YYYY-MM')")
            } else {
                format!("substr({t}.created_at, 1, 7)")
            }
        };
        format!(
            "SELECT vessel_id, month, currency,
                    CAST(sum(supplier) AS BIGINT) AS supplier, CAST(sum(customer) AS BIGINT) AS customer
               FROM (SELECT r.vessel_id, {} AS month, r.currency,
                            (r.supplier_unit_minor * r.quantity + 500) / 1000 AS supplier,
                            (r.customer_unit_minor * r.quantity + 500) / 1000 AS customer
                       FROM requisitions r
                      WHERE {} AND r.created_at >= $4 AND r.created_at < $5
                        AND r.status IN ('requested', 'approved') AND r.currency IS NOT NULL
                     UNION ALL
                     SELECT o.vessel_id, {} AS month, o.currency,
                            (l.supplier_unit_minor * l.ordered + 500) / 1000 AS supplier,
                            (l.customer_unit_minor * l.ordered + 500) / 1000 AS customer
                       FROM purchase_orders o
                       JOIN purchase_order_lines l ON l.company_id = o.company_id AND l.purchase_order_id = o.id
                      WHERE {} AND o.created_at >= $4 AND o.created_at < $5 AND o.status <> 'cancelled') spend
              GROUP BY vessel_id, month, currency ORDER BY month, vessel_id, currency",
            month("r"),
            scoped_as("r", scope, "$6"),
            month("o"),
            scoped_as("o", scope, "$6")
        )
    }
}

impl SqlTx {
    fn is_pg(&self) -> bool {
        matches!(self.conn, Conn::Pg(_))
    }
}

#[async_trait]
impl AnalyticsRepo for SqlTx {
    async fn unresolved_by_severity(
        &mut self,
        company: CompanyId,
        scope: VesselScope,
        cutoffs: [DateTime<Utc>; 3],
    ) -> StoreResult<Vec<UnresolvedCount>> {
        self.scoped(company)?;
        let [c1, c2, c3] = cutoffs;
        run!(
            self,
            fetch_all,
            sqlx::AssertSqlSafe(sql::unresolved_by_severity(scope)),
            company.0,
            scope.vessel.map(|v| v.0),
            scope.member.map(|m| m.principal),
            c1,
            c2,
            c3,
            scope.member.map(|m| m.since)
        )?
        .iter()
        .map(|r| {
            Ok(UnresolvedCount {
                severity: r.parse("severity")?,
                total: r.get("n")?,
                before: [r.get("b1")?, r.get("b2")?, r.get("b3")?],
            })
        })
        .collect()
    }

    async fn mttr(
        &mut self,
        company: CompanyId,
        scope: VesselScope,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
        group: Option<MttrGroup>,
    ) -> StoreResult<Vec<MttrRow>> {
        self.scoped(company)?;
        let sql = sql::mttr(scope, group, self.is_pg());
        let rows = run!(
            self,
            fetch_all,
            sqlx::AssertSqlSafe(sql),
            company.0,
            scope.vessel.map(|v| v.0),
            scope.member.map(|m| m.principal),
            since,
            until,
            scope.member.map(|m| m.since)
        )?;
        rows.iter()
            // The overall aggregate answers one row even over no repairs; grouped, none.
            .filter(|r| group.is_some() || r.get::<i64>("n").is_ok_and(|n| n > 0))
            .map(|r| {
                let key = match group {
                    Some(MttrGroup::Vessel | MttrGroup::Equipment) => r.get::<uuid::Uuid>("k")?.to_string(),
                    _ => r.get::<String>("k")?,
                };
                Ok(MttrRow { key, faults: r.get("n")?, mean_seconds: r.get("mean")? })
            })
            .collect()
    }

    async fn mttr_until(
        &mut self,
        company: CompanyId,
        scope: VesselScope,
        starts: [DateTime<Utc>; 2],
        until: DateTime<Utc>,
    ) -> StoreResult<[RepairTimes; 2]> {
        self.scoped(company)?;
        // A start after the end makes an empty window, not one reaching past the end.
        let [a, b] = starts.map(|s| s.min(until));
        let (wide, narrow) = (a.min(b), a.max(b));
        let sql = sql::mttr_split(scope, self.is_pg());
        let rows = run!(
            self,
            fetch_all,
            sqlx::AssertSqlSafe(sql),
            company.0,
            scope.vessel.map(|v| v.0),
            scope.member.map(|m| m.principal),
            wide,
            narrow,
            until,
            scope.member.map(|m| m.since)
        )?;
        let r = rows.first().ok_or_else(|| StoreError::Other("no repair times row".into()))?;
        let recent = RepairTimes { faults: r.get("n_recent")?, mean_seconds: r.get("mean_recent")? };
        let all = RepairTimes { faults: r.get("n_all")?, mean_seconds: r.get("mean_all")? };
        Ok(if a <= b { [all, recent] } else { [recent, all] })
    }

    async fn failure_spans(
        &mut self,
        company: CompanyId,
        scope: VesselScope,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<Vec<FailureSpan>> {
        self.scoped(company)?;
        let sql = sql::failure_spans(scope);
        let rows = run!(
            self,
            fetch_all,
            sqlx::AssertSqlSafe(sql),
            company.0,
            scope.vessel.map(|v| v.0),
            scope.member.map(|m| m.principal),
            since,
            until,
            scope.member.map(|m| m.since)
        )?;
        rows.iter()
            .map(|r| {
                Ok(FailureSpan {
                    equipment_id: EquipmentId(r.get("equipment_id")?),
                    name: r.get("name")?,
                    faults: r.get("n")?,
                    first: r.get("first")?,
                    last: r.get("last")?,
                })
            })
            .collect()
    }

    async fn parts_spend(
        &mut self,
        company: CompanyId,
        scope: VesselScope,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<Vec<SpendRow>> {
        self.scoped(company)?;
        let sql = sql::parts_spend(scope, self.is_pg());
        run!(
            self,
            fetch_all,
            sqlx::AssertSqlSafe(sql),
            company.0,
            scope.vessel.map(|v| v.0),
            scope.member.map(|m| m.principal),
            since,
            until,
            scope.member.map(|m| m.since)
        )?
        .iter()
        .map(|r| {
            Ok(SpendRow {
                vessel_id: VesselId(r.get("vessel_id")?),
                month: r.get("month")?,
                currency: r.get("currency")?,
                supplier_minor: r.get("supplier")?,
                customer_minor: r.get("customer")?,
            })
        })
        .collect()
    }
}
