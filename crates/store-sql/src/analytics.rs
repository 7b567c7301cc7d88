//! The aggregates behind dashboards: counted and averaged in the database so a dashboard over
//! a million faults reads indexes, not rows. Date bucketing is each dialect's own.

use async_trait::async_trait;
use bosun_domain::fault::Severity;
use bosun_domain::{CompanyId, EquipmentId, VesselId};
use bosun_store::{AnalyticsRepo, FailureSpan, MttrGroup, MttrRow, SpendRow, StoreResult, VesselScope};
use chrono::{DateTime, Utc};

use crate::{Conn, SqlTx, limit, run};

/// The filter every aggregate shares: company, then the vessel scope as `$2` (one vessel) and
/// `$3` (a member's vessels), on table alias `f`.
macro_rules! scoped {
    () => {
        " f.company_id = $1 AND f.deleted_at IS NULL AND ($2 IS NULL OR f.vessel_id = $2)
          AND ($3 IS NULL OR f.vessel_id IN (SELECT vm.vessel_id FROM vessel_members vm
                                            WHERE vm.company_id = $1 AND vm.user_id = $3 AND vm.deleted_at IS NULL)) "
    };
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
    ) -> StoreResult<Vec<(Severity, i64)>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT f.severity, count(*) AS n FROM faults f WHERE",
            scoped!(),
            "AND f.status NOT IN ('resolved', 'closed') GROUP BY f.severity"
        );
        run!(self, fetch_all, SQL, company.0, scope.vessel.map(|v| v.0), scope.member.map(|u| u.0))?
            .iter()
            .map(|r| Ok((r.parse("severity")?, r.get("n")?)))
            .collect()
    }

    async fn unresolved_reported_before(
        &mut self,
        company: CompanyId,
        scope: VesselScope,
        cutoffs: &[DateTime<Utc>],
    ) -> StoreResult<Vec<i64>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT count(*) AS n FROM faults f WHERE",
            scoped!(),
            "AND f.status NOT IN ('resolved', 'closed') AND f.observed_at < $4"
        );
        let mut out = Vec::with_capacity(cutoffs.len());
        for cutoff in cutoffs {
            let row = run!(
                self,
                fetch_optional,
                SQL,
                company.0,
                scope.vessel.map(|v| v.0),
                scope.member.map(|u| u.0),
                *cutoff
            )?;
            out.push(row.map_or(Ok(0), |r| r.get("n"))?);
        }
        Ok(out)
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
        macro_rules! mttr_sql {
            ($key:literal) => {
                concat!(
                    "SELECT ",
                    $key,
                    " AS k, count(*) AS n, CAST(avg(f.repair_seconds) AS DOUBLE PRECISION) AS mean FROM faults f WHERE",
                    scoped!(),
                    "AND f.resolved_at >= $4 AND f.resolved_at < $5 AND f.repair_seconds IS NOT NULL GROUP BY k ORDER BY k"
                )
            };
        }
        let pg = self.is_pg();
        let sql: &'static str = match (group, pg) {
            (None, _) => mttr_sql!("'all'"),
            (Some(MttrGroup::Vessel), _) => mttr_sql!("f.vessel_id"),
            (Some(MttrGroup::Equipment), _) => mttr_sql!("f.equipment_id"),
            (Some(MttrGroup::Severity), _) => mttr_sql!("f.severity"),
            (Some(MttrGroup::Month), false) => mttr_sql!("substr(f.resolved_at, 1, 7)"),
            (Some(MttrGroup::Month), true) => mttr_sql!("to_char(f.resolved_at AT TIME ZONE 'UTC', 'YYYY-MM')"),
            (Some(MttrGroup::Week), false) => mttr_sql!("strftime('%G-W%V', f.resolved_at)"),
            (Some(MttrGroup::Week), true) => mttr_sql!("to_char(f.resolved_at AT TIME ZONE 'UTC', 'IYYY-\"W\"IW')"),
        };
        let rows =
            run!(self, fetch_all, sql, company.0, scope.vessel.map(|v| v.0), scope.member.map(|u| u.0), since, until)?;
        rows.iter()
            .map(|r| {
                let key = match group {
                    Some(MttrGroup::Vessel | MttrGroup::Equipment) => r.get::<uuid::Uuid>("k")?.to_string(),
                    _ => r.get::<String>("k")?,
                };
                Ok(MttrRow { key, faults: r.get("n")?, mean_seconds: r.get("mean")? })
            })
            .collect()
    }

    async fn top_equipment_by_faults(
        &mut self,
        company: CompanyId,
        scope: VesselScope,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
        n: u32,
    ) -> StoreResult<Vec<(EquipmentId, String, i64)>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT f.equipment_id, e.name, count(*) AS n FROM faults f
               JOIN equipment e ON e.company_id = f.company_id AND e.id = f.equipment_id WHERE",
            scoped!(),
            "AND f.observed_at >= $4 AND f.observed_at < $5
              GROUP BY f.equipment_id, e.name ORDER BY n DESC, f.equipment_id LIMIT $6"
        );
        run!(
            self,
            fetch_all,
            SQL,
            company.0,
            scope.vessel.map(|v| v.0),
            scope.member.map(|u| u.0),
            since,
            until,
            limit(n)
        )?
        .iter()
        .map(|r| Ok((EquipmentId(r.get("equipment_id")?), r.get("name")?, r.get("n")?)))
        .collect()
    }

    async fn failure_spans(
        &mut self,
        company: CompanyId,
        scope: VesselScope,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<Vec<FailureSpan>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT f.equipment_id, count(*) AS n, min(f.observed_at) AS first, max(f.observed_at) AS last FROM faults f WHERE",
            scoped!(),
            "AND f.observed_at >= $4 AND f.observed_at < $5 GROUP BY f.equipment_id HAVING count(*) >= 2 ORDER BY f.equipment_id"
        );
        let rows =
            run!(self, fetch_all, SQL, company.0, scope.vessel.map(|v| v.0), scope.member.map(|u| u.0), since, until)?;
        rows.iter()
            .map(|r| {
                Ok(FailureSpan {
                    equipment_id: EquipmentId(r.get("equipment_id")?),
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
        macro_rules! spend_sql {
            ($month:literal) => {
                concat!(
                    "SELECT f.vessel_id, ",
                    $month,
                    " AS month, f.currency, CAST(sum(f.supplier_unit_minor * f.quantity) AS BIGINT) AS supplier,
                       CAST(sum(f.customer_unit_minor * f.quantity) AS BIGINT) AS customer
                      FROM parts_orders f WHERE",
                    scoped!(),
                    "AND f.status <> 'cancelled' AND f.created_at >= $4 AND f.created_at < $5
                     GROUP BY f.vessel_id, month, f.currency ORDER BY month, f.vessel_id, f.currency"
                )
            };
        }
        let sql: &'static str = if self.is_pg() {
            spend_sql!("to_char(f.created_at AT TIME ZONE 'UTC', 'YYYY-MM')")
        } else {
            spend_sql!("substr(f.created_at, 1, 7)")
        };
        run!(self, fetch_all, sql, company.0, scope.vessel.map(|v| v.0), scope.member.map(|u| u.0), since, until)?
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
