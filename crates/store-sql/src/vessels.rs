//! Vessels, their departments and crew membership.

use async_trait::async_trait;
use bosun_domain::vessel::{Department, ImoNumber, Vessel, VesselMember};
use bosun_domain::{CompanyId, DepartmentId, UserId, VesselId};
use bosun_store::{Page, Reach, StoreError, StoreResult, VesselRepo};
use chrono::{DateTime, Utc};
use sqlx::types::Json;

use crate::rows::DbRow;
use crate::{SqlTx, expect_one, limit, reachable_vessels, reaches_vessel, run};

macro_rules! columns {
    () => {
        "company_id, id, kind, name, vessel_type, imo, specs, version, created_at, updated_at"
    };
}

fn vessel_from(r: &DbRow) -> StoreResult<Vessel> {
    let imo: Option<String> = r.get("imo")?;
    let specs: Json<serde_json::Value> = r.get("specs")?;
    Ok(Vessel {
        id: VesselId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        kind: r.parse("kind")?,
        name: r.get("name")?,
        vessel_type: r.get("vessel_type")?,
        imo: imo.map(|s| ImoNumber::parse(&s).map_err(|e| StoreError::Other(e.to_string()))).transpose()?,
        specs: specs.0.to_string(),
        version: r.get("version")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

fn specs_json(v: &Vessel) -> StoreResult<Json<serde_json::Value>> {
    serde_json::from_str(&v.specs).map(Json).map_err(|e| StoreError::Other(format!("specs: {e}")))
}

fn member_from(r: &DbRow) -> StoreResult<VesselMember> {
    Ok(VesselMember {
        company_id: CompanyId(r.get("company_id")?),
        vessel_id: VesselId(r.get("vessel_id")?),
        user_id: UserId(r.get("user_id")?),
        department_id: r.get::<Option<uuid::Uuid>>("department_id")?.map(DepartmentId),
        rotation_start: r.get("rotation_start")?,
        rotation_end: r.get("rotation_end")?,
        updated_at: r.get("updated_at")?,
    })
}

#[async_trait]
impl VesselRepo for SqlTx {
    async fn insert_vessel(&mut self, v: &Vessel) -> StoreResult<()> {
        self.scoped(v.company_id)?;
        run!(
            self,
            execute,
            "INSERT INTO vessels (company_id, id, kind, name, vessel_type, imo, specs, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            v.company_id.0,
            v.id.0,
            v.kind.as_str(),
            &v.name,
            &v.vessel_type,
            v.imo.map(|i| i.to_string()),
            specs_json(v)?,
            v.version,
            v.created_at,
            v.updated_at
        )?;
        Ok(())
    }

    async fn vessel(&mut self, company: CompanyId, id: VesselId) -> StoreResult<Option<Vessel>> {
        self.scoped(company)?;
        const SQL: &str =
            concat!("SELECT ", columns!(), " FROM vessels WHERE company_id = $1 AND id = $2 AND deleted_at IS NULL");
        run!(self, fetch_optional, SQL, company.0, id.0)?.as_ref().map(vessel_from).transpose()
    }

    async fn update_vessel(&mut self, v: &Vessel) -> StoreResult<Vessel> {
        self.scoped(v.company_id)?;
        let n = run!(
            self,
            execute,
            "UPDATE vessels SET kind = $3, name = $4, vessel_type = $5, imo = $6, specs = $7, version = $8,
                                updated_at = $9
              WHERE company_id = $1 AND id = $2 AND deleted_at IS NULL",
            v.company_id.0,
            v.id.0,
            v.kind.as_str(),
            &v.name,
            &v.vessel_type,
            v.imo.map(|i| i.to_string()),
            specs_json(v)?,
            v.version,
            v.updated_at
        )?;
        expect_one(n)?;
        self.vessel(v.company_id, v.id).await?.ok_or(StoreError::NotFound)
    }

    async fn list_vessels(
        &mut self,
        company: CompanyId,
        member: Option<Reach>,
        page: Page<VesselId>,
    ) -> StoreResult<Vec<Vessel>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT ",
            columns!(),
            " FROM vessels v WHERE v.company_id = $1 AND v.deleted_at IS NULL
                AND ($2 IS NULL OR v.id > $2)
                AND ($3 IS NULL OR v.id IN (",
            reachable_vessels!("$1", "$3", "$5"),
            "))
              ORDER BY v.id LIMIT $4"
        );
        run!(
            self,
            fetch_all,
            SQL,
            company.0,
            page.after.map(|v| v.0),
            member.map(|m| m.principal),
            limit(page.limit),
            member.map(|m| m.since)
        )?
        .iter()
        .map(vessel_from)
        .collect()
    }

    async fn insert_department(&mut self, d: &Department) -> StoreResult<()> {
        self.scoped(d.company_id)?;
        run!(
            self,
            execute,
            "INSERT INTO departments (company_id, id, vessel_id, name, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 1, $5, $5)",
            d.company_id.0,
            d.id.0,
            d.vessel_id.0,
            &d.name,
            d.created_at
        )?;
        Ok(())
    }

    async fn list_departments(&mut self, company: CompanyId, vessel: VesselId) -> StoreResult<Vec<Department>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_all,
            "SELECT company_id, id, vessel_id, name, created_at FROM departments
              WHERE company_id = $1 AND vessel_id = $2 AND deleted_at IS NULL ORDER BY name",
            company.0,
            vessel.0
        )?
        .iter()
        .map(|r| {
            Ok(Department {
                id: DepartmentId(r.get("id")?),
                company_id: CompanyId(r.get("company_id")?),
                vessel_id: VesselId(r.get("vessel_id")?),
                name: r.get("name")?,
                created_at: r.get("created_at")?,
            })
        })
        .collect()
    }

    async fn upsert_vessel_member(&mut self, m: &VesselMember) -> StoreResult<()> {
        self.scoped(m.company_id)?;
        run!(
            self,
            execute,
            "INSERT INTO vessel_members (company_id, vessel_id, user_id, department_id, rotation_start, rotation_end,
                                         version, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7)
             ON CONFLICT (company_id, vessel_id, user_id) DO UPDATE
                SET department_id = excluded.department_id, rotation_start = excluded.rotation_start,
                    rotation_end = excluded.rotation_end, version = vessel_members.version + 1,
                    updated_at = excluded.updated_at, deleted_at = NULL",
            m.company_id.0,
            m.vessel_id.0,
            m.user_id.0,
            m.department_id.map(|d| d.0),
            m.rotation_start,
            m.rotation_end,
            m.updated_at
        )?;
        Ok(())
    }

    async fn vessel_member(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        user: UserId,
    ) -> StoreResult<Option<VesselMember>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_optional,
            "SELECT company_id, vessel_id, user_id, department_id, rotation_start, rotation_end, updated_at
               FROM vessel_members
              WHERE company_id = $1 AND vessel_id = $2 AND user_id = $3 AND deleted_at IS NULL",
            company.0,
            vessel.0,
            user.0
        )?
        .as_ref()
        .map(member_from)
        .transpose()
    }

    async fn reachable_vessel_ids(&mut self, company: CompanyId, reach: Reach) -> StoreResult<Vec<VesselId>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT v.id AS vessel_id FROM vessels v WHERE v.company_id = $1 AND v.deleted_at IS NULL AND v.id IN (",
            reachable_vessels!("$1", "$2", "$3"),
            ") ORDER BY v.id"
        );
        run!(self, fetch_all, SQL, company.0, reach.principal, reach.since)?
            .iter()
            .map(|r| r.get("vessel_id").map(VesselId))
            .collect()
    }

    async fn reaches_vessel(&mut self, company: CompanyId, vessel: VesselId, reach: Reach) -> StoreResult<bool> {
        self.scoped(company)?;
        const SQL: &str = concat!("SELECT ", reaches_vessel!("$1", "$4", "$2", "$3"), " AS reaches");
        run!(self, fetch_optional, SQL, company.0, reach.principal, reach.since, vessel.0)?
            .map_or(Ok(false), |r| r.get("reaches"))
    }

    async fn remove_vessel_member(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        user: UserId,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.scoped(company)?;
        let n = run!(
            self,
            execute,
            "UPDATE vessel_members SET deleted_at = $4, updated_at = $4, version = version + 1
              WHERE company_id = $1 AND vessel_id = $2 AND user_id = $3 AND deleted_at IS NULL",
            company.0,
            vessel.0,
            user.0,
            at
        )?;
        expect_one(n)
    }
}
