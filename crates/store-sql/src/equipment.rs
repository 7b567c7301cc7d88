//! Equipment and running-hour readings.

use async_trait::async_trait;
use bosun_domain::equipment::{Equipment, MeterReading};
use bosun_domain::{CompanyId, EquipmentId, UserId, VesselId};
use bosun_store::{EquipmentFilter, EquipmentRepo, MeterLink, Page, Reach, StoreError, StoreResult, StoredReading};
use chrono::{DateTime, Utc};
use sqlx::types::Json;

use crate::rows::DbRow;
use crate::{SqlTx, expect_one, limit, reaches_vessel, run};

macro_rules! columns {
    () => {
        "company_id, id, vessel_id, parent_id, level, area, name, equipment_type, maker, model, serial_number, \
         criticality, status, specs, qr_code, version, created_at, updated_at"
    };
}

fn equipment_from(r: &DbRow) -> StoreResult<Equipment> {
    let specs: Json<serde_json::Value> = r.get("specs")?;
    Ok(Equipment {
        id: EquipmentId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        vessel_id: VesselId(r.get("vessel_id")?),
        parent_id: r.get::<Option<uuid::Uuid>>("parent_id")?.map(EquipmentId),
        level: r.parse("level")?,
        area: r.parse("area")?,
        name: r.get("name")?,
        equipment_type: r.get("equipment_type")?,
        maker: r.get("maker")?,
        model: r.get("model")?,
        serial_number: r.get("serial_number")?,
        criticality: r.parse("criticality")?,
        status: r.parse("status")?,
        specs: specs.0.to_string(),
        qr_code: r.get("qr_code")?,
        version: r.get("version")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

fn specs_json(e: &Equipment) -> StoreResult<Json<serde_json::Value>> {
    serde_json::from_str(&e.specs).map(Json).map_err(|err| StoreError::Other(format!("specs: {err}")))
}

fn reading_from(r: &DbRow) -> StoreResult<StoredReading> {
    Ok(StoredReading {
        id: r.get("id")?,
        equipment_id: EquipmentId(r.get("equipment_id")?),
        reading: MeterReading {
            hours: r.get("hours")?,
            meter_replaced: r.get("meter_replaced")?,
            read_at: r.get("read_at")?,
        },
        recorded_by: r.get::<Option<uuid::Uuid>>("recorded_by")?.map(UserId),
    })
}

/// The pattern a case-insensitive "contains" search matches with `LIKE`, escaping wildcards.
pub(crate) fn contains_pattern(s: &str) -> String {
    let escaped: String = s
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

/// Items of a vessel with an unresolved critical fault, from the partial index
/// `faults_unresolved` (no `DISTINCT` or `ORDER BY`: either would steer SQLite to walk an index in
/// item order instead; the few ids are deduplicated and sorted after).
pub(crate) const EQUIPMENT_DOWN_SQL: &str = "SELECT equipment_id FROM faults
  WHERE company_id = $1 AND severity = 'critical' AND vessel_id = $2
    AND status NOT IN ('resolved', 'closed') AND deleted_at IS NULL";

/// An item on a live vessel, with whether an unresolved critical fault holds it down (through
/// the partial index `faults_unresolved`).
macro_rules! seen_sql {
    ($($member:expr)?) => {
        concat!(
            "SELECT e.company_id, e.id, e.vessel_id, e.parent_id, e.level, e.area, e.name, e.equipment_type, e.maker,
                    e.model, e.serial_number, e.criticality, e.status, e.specs, e.qr_code, e.version, e.created_at,
                    e.updated_at,
                    EXISTS (SELECT 1 FROM faults f
                             WHERE f.company_id = e.company_id AND f.severity = 'critical' AND f.vessel_id = e.vessel_id
                               AND f.equipment_id = e.id AND f.status NOT IN ('resolved', 'closed')
                               AND f.deleted_at IS NULL) AS down
               FROM equipment e
               JOIN vessels v ON v.company_id = e.company_id AND v.id = e.vessel_id AND v.deleted_at IS NULL
              WHERE e.company_id = $1 AND e.id = $2 AND e.deleted_at IS NULL"
            $(, $member)?
        )
    };
}

const LINK_COLUMNS: &str =
    "company_id, child_id, parent_id, vessel_id, child_base, parent_base, linked_by, linked_at, version";

fn link_from(r: &DbRow) -> StoreResult<MeterLink> {
    Ok(MeterLink {
        company_id: CompanyId(r.get("company_id")?),
        child_id: EquipmentId(r.get("child_id")?),
        parent_id: EquipmentId(r.get("parent_id")?),
        vessel_id: VesselId(r.get("vessel_id")?),
        child_base: r.get("child_base")?,
        parent_base: r.get("parent_base")?,
        linked_by: UserId(r.get("linked_by")?),
        linked_at: r.get("linked_at")?,
        version: r.get("version")?,
    })
}

#[async_trait]
impl EquipmentRepo for SqlTx {
    async fn insert_equipment(&mut self, e: &Equipment) -> StoreResult<()> {
        self.scoped(e.company_id)?;
        run!(self, execute,
            "INSERT INTO equipment (company_id, id, vessel_id, parent_id, level, area, name, equipment_type, maker, model,
                                    serial_number, criticality, status, specs, qr_code, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
            e.company_id.0, e.id.0, e.vessel_id.0, e.parent_id.map(|p| p.0), e.level.as_str(), e.area.as_str(), &e.name,
            &e.equipment_type, &e.maker, &e.model, &e.serial_number, e.criticality.as_str(), e.status.as_str(),
            specs_json(e)?, &e.qr_code, e.version, e.created_at, e.updated_at)?;
        Ok(())
    }

    async fn equipment(&mut self, company: CompanyId, id: EquipmentId) -> StoreResult<Option<Equipment>> {
        self.scoped(company)?;
        const SQL: &str =
            concat!("SELECT ", columns!(), " FROM equipment WHERE company_id = $1 AND id = $2 AND deleted_at IS NULL");
        run!(self, fetch_optional, SQL, company.0, id.0)?.as_ref().map(equipment_from).transpose()
    }

    async fn equipment_by_ids(&mut self, company: CompanyId, ids: &[EquipmentId]) -> StoreResult<Vec<Equipment>> {
        self.scoped(company)?;
        let crate::Conn::Pg(c) = &mut self.conn else {
            let mut all = Vec::with_capacity(ids.len());
            for id in ids {
                all.extend(self.equipment(company, *id).await?);
            }
            return Ok(all);
        };
        const SQL: &str = concat!(
            "SELECT ",
            columns!(),
            " FROM equipment WHERE company_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL"
        );
        crate::pg_rows_for_ids(c, SQL, company, ids.iter().map(|i| i.0)).await?.iter().map(equipment_from).collect()
    }

    async fn equipment_seen(
        &mut self,
        company: CompanyId,
        id: EquipmentId,
        member: Option<Reach>,
    ) -> StoreResult<Option<(Equipment, bool)>> {
        self.scoped(company)?;
        let row = match member {
            None => run!(self, fetch_optional, seen_sql!(), company.0, id.0)?,
            Some(reach) => run!(
                self,
                fetch_optional,
                seen_sql!(concat!(" AND ", reaches_vessel!("$1", "e.vessel_id", "$3", "$4"))),
                company.0,
                id.0,
                reach.principal,
                reach.since
            )?,
        };
        row.map(|r| Ok((equipment_from(&r)?, r.get("down")?))).transpose()
    }

    async fn equipment_by_qr(&mut self, company: CompanyId, code: &str) -> StoreResult<Option<Equipment>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT ",
            columns!(),
            " FROM equipment WHERE company_id = $1 AND qr_code = $2 AND deleted_at IS NULL"
        );
        run!(self, fetch_optional, SQL, company.0, code)?.as_ref().map(equipment_from).transpose()
    }

    async fn update_equipment(&mut self, e: &Equipment) -> StoreResult<Equipment> {
        self.scoped(e.company_id)?;
        let n =
            run!(self, execute,
            "UPDATE equipment SET parent_id = $3, level = $4, area = $5, name = $6, equipment_type = $7, maker = $8,
                                  model = $9, serial_number = $10, criticality = $11, status = $12, specs = $13,
                                  version = $14, updated_at = $15
              WHERE company_id = $1 AND id = $2 AND deleted_at IS NULL",
            e.company_id.0, e.id.0, e.parent_id.map(|p| p.0), e.level.as_str(), e.area.as_str(), &e.name,
            &e.equipment_type, &e.maker, &e.model, &e.serial_number, e.criticality.as_str(), e.status.as_str(),
            specs_json(e)?, e.version, e.updated_at)?;
        expect_one(n)?;
        self.equipment(e.company_id, e.id).await?.ok_or(StoreError::NotFound)
    }

    async fn list_equipment(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        f: &EquipmentFilter,
        page: Page<EquipmentId>,
    ) -> StoreResult<Vec<Equipment>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT ",
            columns!(),
            " FROM equipment WHERE company_id = $1 AND vessel_id = $2 AND deleted_at IS NULL
                AND ($3 IS NULL OR id > $3) AND ($4 IS NULL OR area = $4) AND ($5 IS NULL OR status = $5)
                AND ($6 IS NULL OR criticality = $6) AND ($7 IS NULL OR level = $7)
                AND ($8 IS NULL OR lower(name) LIKE $8 ESCAPE '\\' OR lower(coalesce(serial_number, '')) LIKE $8 ESCAPE '\\')
                AND (NOT $9 OR status <> 'decommissioned')
              ORDER BY id LIMIT $10"
        );
        run!(
            self,
            fetch_all,
            SQL,
            company.0,
            vessel.0,
            page.after.map(|p| p.0),
            f.area.map(|a| a.as_str()),
            f.status.map(|s| s.as_str()),
            f.criticality.map(|c| c.as_str()),
            f.level.map(|l| l.as_str()),
            f.search.as_deref().filter(|s| !s.trim().is_empty()).map(|s| contains_pattern(s.trim())),
            f.hide_decommissioned,
            limit(page.limit)
        )?
        .iter()
        .map(equipment_from)
        .collect()
    }

    async fn equipment_down_by_critical_faults(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
    ) -> StoreResult<Vec<EquipmentId>> {
        self.scoped(company)?;
        let ids = run!(self, fetch_all, EQUIPMENT_DOWN_SQL, company.0, vessel.0)?
            .iter()
            .map(|r| r.get("equipment_id").map(EquipmentId))
            .collect::<StoreResult<std::collections::BTreeSet<_>>>()?;
        Ok(ids.into_iter().collect())
    }

    async fn insert_meter_link(&mut self, l: &MeterLink) -> StoreResult<()> {
        self.scoped(l.company_id)?;
        run!(
            self,
            execute,
            "INSERT INTO meter_links (company_id, child_id, parent_id, vessel_id, child_base, parent_base, linked_by,
                                      linked_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            l.company_id.0,
            l.child_id.0,
            l.parent_id.0,
            l.vessel_id.0,
            l.child_base,
            l.parent_base,
            l.linked_by.0,
            l.linked_at,
            l.version
        )?;
        Ok(())
    }

    async fn meter_link(&mut self, company: CompanyId, child: EquipmentId) -> StoreResult<Option<MeterLink>> {
        self.scoped(company)?;
        let sql = format!("SELECT {LINK_COLUMNS} FROM meter_links WHERE company_id = $1 AND child_id = $2");
        run!(self, fetch_optional, sqlx::AssertSqlSafe(sql), company.0, child.0)?.as_ref().map(link_from).transpose()
    }

    async fn delete_meter_link(&mut self, company: CompanyId, child: EquipmentId) -> StoreResult<()> {
        self.scoped(company)?;
        let n =
            run!(self, execute, "DELETE FROM meter_links WHERE company_id = $1 AND child_id = $2", company.0, child.0)?;
        expect_one(n)
    }

    async fn linked_children(&mut self, company: CompanyId, parent: EquipmentId) -> StoreResult<Vec<MeterLink>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {LINK_COLUMNS} FROM meter_links WHERE company_id = $1 AND parent_id = $2 ORDER BY child_id"
        );
        run!(self, fetch_all, sqlx::AssertSqlSafe(sql), company.0, parent.0)?.iter().map(link_from).collect()
    }

    async fn insert_reading(&mut self, company: CompanyId, r: &StoredReading) -> StoreResult<()> {
        self.scoped(company)?;
        run!(self, execute,
            "INSERT INTO meter_readings (company_id, id, equipment_id, hours, meter_replaced, read_at, recorded_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $6)",
            company.0, r.id, r.equipment_id.0, r.reading.hours, r.reading.meter_replaced, r.reading.read_at,
            r.recorded_by.map(|u| u.0))?;
        Ok(())
    }

    async fn readings_of(&mut self, company: CompanyId, items: &[EquipmentId]) -> StoreResult<Vec<StoredReading>> {
        self.scoped(company)?;
        let crate::Conn::Pg(c) = &mut self.conn else {
            let mut all = Vec::new();
            for item in items {
                all.extend(self.readings(company, *item).await?);
            }
            return Ok(all);
        };
        const SQL: &str = "SELECT id, equipment_id, hours, meter_replaced, read_at, recorded_by FROM meter_readings
              WHERE company_id = $1 AND equipment_id = ANY($2::uuid[]) ORDER BY equipment_id, read_at, id";
        crate::pg_rows_for_ids(c, SQL, company, items.iter().map(|i| i.0)).await?.iter().map(reading_from).collect()
    }

    async fn readings(&mut self, company: CompanyId, equipment: EquipmentId) -> StoreResult<Vec<StoredReading>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_all,
            "SELECT id, equipment_id, hours, meter_replaced, read_at, recorded_by FROM meter_readings
              WHERE company_id = $1 AND equipment_id = $2 ORDER BY read_at, id",
            company.0,
            equipment.0
        )?
        .iter()
        .map(reading_from)
        .collect()
    }

    async fn vessel_readings_since(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<StoredReading>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_all,
            "SELECT r.id, r.equipment_id, r.hours, r.meter_replaced, r.read_at, r.recorded_by
               FROM meter_readings r JOIN equipment e ON e.company_id = r.company_id AND e.id = r.equipment_id
              WHERE r.company_id = $1 AND e.vessel_id = $2 AND r.read_at >= $3
              ORDER BY r.equipment_id, r.read_at, r.id",
            company.0,
            vessel.0,
            since
        )?
        .iter()
        .map(reading_from)
        .collect()
    }
}
