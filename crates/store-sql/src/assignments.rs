//! Equipment assignments and operators' daily reports with their revisions.

use async_trait::async_trait;
use bosun_domain::assignment::{Assignment, AssignmentStatus, DailyFigures, Period};
use bosun_domain::{
    AssignmentId, AttachmentId, CompanyId, DailyReportId, EquipmentId, ReportRevisionId, UserId, VesselId,
};
use bosun_store::{AssignmentFilter, AssignmentRepo, DailyReport, Page, ReportRevision, StoreResult, StoredAssignment};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;

use crate::faults::name_set;
use crate::rows::DbRow;
use crate::{SqlTx, expect_one, filter, limit, reachable_vessels, run};

const ASSIGNMENT_COLUMNS: &str = "company_id, id, vessel_id, equipment_id, operator_id, starts_at, ends_at, note, \
     status, decline_reason, assigned_by, answered_at, cancelled_by, version, created_at, updated_at";

fn assignment_from(r: &DbRow) -> StoreResult<StoredAssignment> {
    Ok(StoredAssignment {
        company_id: CompanyId(r.get("company_id")?),
        assignment: Assignment {
            id: AssignmentId(r.get("id")?),
            equipment_id: EquipmentId(r.get("equipment_id")?),
            vessel_id: VesselId(r.get("vessel_id")?),
            operator_id: UserId(r.get("operator_id")?),
            period: Period { start: r.get("starts_at")?, end: r.get("ends_at")? },
            status: r.parse("status")?,
            decline_reason: r.get("decline_reason")?,
        },
        note: r.get("note")?,
        assigned_by: UserId(r.get("assigned_by")?),
        answered_at: r.get("answered_at")?,
        cancelled_by: r.get::<Option<uuid::Uuid>>("cancelled_by")?.map(UserId),
        version: r.get("version")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

/// The figures of a report or revision row.
fn figures_from(r: &DbRow) -> StoreResult<(DailyFigures, Vec<AttachmentId>)> {
    let photos: Json<Vec<uuid::Uuid>> = r.get("photo_ids")?;
    let latitude: Option<f64> = r.get("latitude")?;
    let longitude: Option<f64> = r.get("longitude")?;
    let figures = DailyFigures {
        day: r.get("day")?,
        hours_worked: r.get("hours_worked")?,
        hours_idle: r.get("hours_idle")?,
        fuel_litres: r.get("fuel_litres")?,
        meter_hours: r.get("meter_hours")?,
        odometer_km: r.get("odometer_km")?,
        notes: r.get("notes")?,
        position: latitude.zip(longitude),
    };
    Ok((figures, photos.0.into_iter().map(AttachmentId).collect()))
}

fn photos_json(photos: &[AttachmentId]) -> Json<Vec<uuid::Uuid>> {
    Json(photos.iter().map(|p| p.0).collect())
}

const REPORT_COLUMNS: &str = "company_id, id, vessel_id, equipment_id, operator_id, assignment_id, day, status, \
     revision_id, revision, hours_worked, hours_idle, fuel_litres, meter_hours, odometer_km, notes, latitude, longitude, \
     photo_ids, submitted_at, comment, validated_by, validated_at, returned_by, returned_at, reading_id, version, \
     created_at, updated_at";

fn report_from(r: &DbRow) -> StoreResult<DailyReport> {
    let (figures, photo_ids) = figures_from(r)?;
    let user = |col: &str| -> StoreResult<Option<UserId>> { Ok(r.get::<Option<uuid::Uuid>>(col)?.map(UserId)) };
    Ok(DailyReport {
        id: DailyReportId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        vessel_id: VesselId(r.get("vessel_id")?),
        equipment_id: EquipmentId(r.get("equipment_id")?),
        operator_id: UserId(r.get("operator_id")?),
        assignment_id: AssignmentId(r.get("assignment_id")?),
        status: r.parse("status")?,
        revision_id: ReportRevisionId(r.get("revision_id")?),
        revision: r.get("revision")?,
        figures,
        photo_ids,
        submitted_at: r.get("submitted_at")?,
        comment: r.get("comment")?,
        validated_by: user("validated_by")?,
        validated_at: r.get("validated_at")?,
        returned_by: user("returned_by")?,
        returned_at: r.get("returned_at")?,
        reading_id: r.get("reading_id")?,
        version: r.get("version")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

const REVISION_COLUMNS: &str = "company_id, id, report_id, vessel_id, number, day, hours_worked, hours_idle, \
     fuel_litres, meter_hours, odometer_km, notes, latitude, longitude, photo_ids, submitted_by, submitted_at, version";

fn revision_from(r: &DbRow) -> StoreResult<ReportRevision> {
    let (figures, photo_ids) = figures_from(r)?;
    Ok(ReportRevision {
        id: ReportRevisionId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        report_id: DailyReportId(r.get("report_id")?),
        vessel_id: VesselId(r.get("vessel_id")?),
        number: r.get("number")?,
        figures,
        photo_ids,
        submitted_by: UserId(r.get("submitted_by")?),
        submitted_at: r.get("submitted_at")?,
        version: r.get("version")?,
    })
}

/// The list filter's conditions on alias `x`: `$1` company, `$2` cursor, `$3` vessel, `$4` and
/// `$8` the reach, `$5` item, `$6` operator, `$7` status set, `$9` limit.
fn list_conditions(f: &AssignmentFilter, after: bool) -> String {
    [
        filter(after, "$2", "x.id < $2"),
        filter(f.scope.vessel.is_some(), "$3", "x.vessel_id = $3"),
        if f.scope.member.is_some() {
            concat!("x.vessel_id IN (", reachable_vessels!("$1", "$4", "$8"), ")").to_owned()
        } else {
            "$4 IS NULL AND $8 IS NULL".to_owned()
        },
        filter(f.equipment.is_some(), "$5", "x.equipment_id = $5"),
        filter(f.operator.is_some(), "$6", "x.operator_id = $6"),
        filter(f.status.is_some(), "$7", "x.status = $7"),
    ]
    .join(" AND ")
}

impl SqlTx {
    /// The rows of `table` (assignments or daily reports) matching `f`, newest id first.
    async fn listed(
        &mut self,
        columns: &str,
        table: &str,
        company: CompanyId,
        f: &AssignmentFilter,
        page: Page<uuid::Uuid>,
    ) -> StoreResult<Vec<DbRow>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {columns} FROM {table} x WHERE x.company_id = $1 AND {} ORDER BY x.id DESC LIMIT $9",
            list_conditions(f, page.after.is_some()),
        );
        run!(
            self,
            fetch_all,
            sqlx::AssertSqlSafe(sql),
            company.0,
            page.after,
            f.scope.vessel.map(|v| v.0),
            f.scope.member.map(|m| m.principal),
            f.equipment.map(|e| e.0),
            f.operator.map(|o| o.0),
            f.status.as_deref(),
            f.scope.member.map(|m| m.since),
            limit(page.limit)
        )
    }
}

#[async_trait]
impl AssignmentRepo for SqlTx {
    async fn insert_assignment(&mut self, s: &StoredAssignment) -> StoreResult<()> {
        self.scoped(s.company_id)?;
        let a = &s.assignment;
        run!(
            self,
            execute,
            "INSERT INTO equipment_assignments (company_id, id, vessel_id, equipment_id, operator_id, starts_at,
                 ends_at, note, status, decline_reason, assigned_by, answered_at, cancelled_by, version, created_at,
                 updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
            s.company_id.0,
            a.id.0,
            a.vessel_id.0,
            a.equipment_id.0,
            a.operator_id.0,
            a.period.start,
            a.period.end,
            s.note.as_str(),
            a.status.as_str(),
            a.decline_reason.as_deref(),
            s.assigned_by.0,
            s.answered_at,
            s.cancelled_by.map(|u| u.0),
            s.version,
            s.created_at,
            s.updated_at
        )?;
        Ok(())
    }

    async fn assignment(&mut self, company: CompanyId, id: AssignmentId) -> StoreResult<Option<StoredAssignment>> {
        self.scoped(company)?;
        let sql = format!("SELECT {ASSIGNMENT_COLUMNS} FROM equipment_assignments WHERE company_id = $1 AND id = $2");
        run!(self, fetch_optional, sqlx::AssertSqlSafe(sql), company.0, id.0)?.as_ref().map(assignment_from).transpose()
    }

    async fn update_assignment(&mut self, s: &StoredAssignment) -> StoreResult<()> {
        self.scoped(s.company_id)?;
        let a = &s.assignment;
        let n =
            run!(self, execute,
            "UPDATE equipment_assignments SET status = $3, decline_reason = $4, answered_at = $5, cancelled_by = $6,
                    version = $7, updated_at = $8
              WHERE company_id = $1 AND id = $2",
            s.company_id.0, a.id.0, a.status.as_str(), a.decline_reason.as_deref(), s.answered_at,
            s.cancelled_by.map(|u| u.0), s.version, s.updated_at)?;
        expect_one(n)
    }

    async fn item_bookings(
        &mut self,
        company: CompanyId,
        item: EquipmentId,
        statuses: &[AssignmentStatus],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<StoredAssignment>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {ASSIGNMENT_COLUMNS} FROM equipment_assignments
              WHERE company_id = $1 AND equipment_id = $2 AND starts_at < $4 AND ends_at > $3
                AND $5 LIKE '%,' || status || ',%'
              ORDER BY starts_at, id"
        );
        run!(self, fetch_all, sqlx::AssertSqlSafe(sql), company.0, item.0, from, to, name_set(statuses))?
            .iter()
            .map(assignment_from)
            .collect()
    }

    async fn operator_bookings(
        &mut self,
        company: CompanyId,
        operator: UserId,
        statuses: &[AssignmentStatus],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<StoredAssignment>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {ASSIGNMENT_COLUMNS} FROM equipment_assignments
              WHERE company_id = $1 AND operator_id = $2 AND starts_at < $4 AND ends_at > $3
                AND $5 LIKE '%,' || status || ',%'
              ORDER BY starts_at, id"
        );
        run!(self, fetch_all, sqlx::AssertSqlSafe(sql), company.0, operator.0, from, to, name_set(statuses))?
            .iter()
            .map(assignment_from)
            .collect()
    }

    async fn list_assignments(
        &mut self,
        company: CompanyId,
        f: &AssignmentFilter,
        page: Page<AssignmentId>,
    ) -> StoreResult<Vec<StoredAssignment>> {
        let page = Page { after: page.after.map(|p| p.0), limit: page.limit };
        self.listed(ASSIGNMENT_COLUMNS, "equipment_assignments", company, f, page)
            .await?
            .iter()
            .map(assignment_from)
            .collect()
    }

    async fn insert_daily_report(&mut self, r: &DailyReport) -> StoreResult<()> {
        self.scoped(r.company_id)?;
        let f = &r.figures;
        run!(
            self,
            execute,
            "INSERT INTO daily_reports (company_id, id, vessel_id, equipment_id, operator_id, assignment_id, day,
                 status, revision_id, revision, hours_worked, hours_idle, fuel_litres, meter_hours, odometer_km, notes,
                 latitude, longitude, photo_ids, submitted_at, comment, validated_by, validated_at, returned_by,
                 returned_at, reading_id, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
                     $22, $23, $24, $25, $26, $27, $28, $29)",
            r.company_id.0,
            r.id.0,
            r.vessel_id.0,
            r.equipment_id.0,
            r.operator_id.0,
            r.assignment_id.0,
            f.day,
            r.status.as_str(),
            r.revision_id.0,
            r.revision,
            f.hours_worked,
            f.hours_idle,
            f.fuel_litres,
            f.meter_hours,
            f.odometer_km,
            f.notes.as_str(),
            f.position.map(|p| p.0),
            f.position.map(|p| p.1),
            photos_json(&r.photo_ids),
            r.submitted_at,
            r.comment.as_deref(),
            r.validated_by.map(|u| u.0),
            r.validated_at,
            r.returned_by.map(|u| u.0),
            r.returned_at,
            r.reading_id,
            r.version,
            r.created_at,
            r.updated_at
        )?;
        Ok(())
    }

    async fn daily_report(&mut self, company: CompanyId, id: DailyReportId) -> StoreResult<Option<DailyReport>> {
        self.scoped(company)?;
        let sql = format!("SELECT {REPORT_COLUMNS} FROM daily_reports WHERE company_id = $1 AND id = $2");
        run!(self, fetch_optional, sqlx::AssertSqlSafe(sql), company.0, id.0)?.as_ref().map(report_from).transpose()
    }

    async fn daily_report_of(
        &mut self,
        company: CompanyId,
        item: EquipmentId,
        operator: UserId,
        day: NaiveDate,
    ) -> StoreResult<Option<DailyReport>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM daily_reports
              WHERE company_id = $1 AND equipment_id = $2 AND operator_id = $3 AND day = $4"
        );
        run!(self, fetch_optional, sqlx::AssertSqlSafe(sql), company.0, item.0, operator.0, day)?
            .as_ref()
            .map(report_from)
            .transpose()
    }

    async fn update_daily_report(&mut self, r: &DailyReport) -> StoreResult<()> {
        self.scoped(r.company_id)?;
        let f = &r.figures;
        let n = run!(
            self,
            execute,
            "UPDATE daily_reports SET status = $3, revision_id = $4, revision = $5, hours_worked = $6, hours_idle = $7,
                    fuel_litres = $8, meter_hours = $9, odometer_km = $10, notes = $11, latitude = $12,
                    longitude = $13, photo_ids = $14, submitted_at = $15, comment = $16, validated_by = $17,
                    validated_at = $18, returned_by = $19, returned_at = $20, reading_id = $21, version = $22,
                    updated_at = $23
              WHERE company_id = $1 AND id = $2",
            r.company_id.0,
            r.id.0,
            r.status.as_str(),
            r.revision_id.0,
            r.revision,
            f.hours_worked,
            f.hours_idle,
            f.fuel_litres,
            f.meter_hours,
            f.odometer_km,
            f.notes.as_str(),
            f.position.map(|p| p.0),
            f.position.map(|p| p.1),
            photos_json(&r.photo_ids),
            r.submitted_at,
            r.comment.as_deref(),
            r.validated_by.map(|u| u.0),
            r.validated_at,
            r.returned_by.map(|u| u.0),
            r.returned_at,
            r.reading_id,
            r.version,
            r.updated_at
        )?;
        expect_one(n)
    }

    async fn list_daily_reports(
        &mut self,
        company: CompanyId,
        f: &AssignmentFilter,
        page: Page<DailyReportId>,
    ) -> StoreResult<Vec<DailyReport>> {
        let page = Page { after: page.after.map(|p| p.0), limit: page.limit };
        self.listed(REPORT_COLUMNS, "daily_reports", company, f, page).await?.iter().map(report_from).collect()
    }

    async fn insert_report_revision(&mut self, r: &ReportRevision) -> StoreResult<()> {
        self.scoped(r.company_id)?;
        let f = &r.figures;
        run!(
            self,
            execute,
            "INSERT INTO daily_report_revisions (company_id, id, report_id, vessel_id, number, day, hours_worked,
                 hours_idle, fuel_litres, meter_hours, odometer_km, notes, latitude, longitude, photo_ids, submitted_by,
                 submitted_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
            r.company_id.0,
            r.id.0,
            r.report_id.0,
            r.vessel_id.0,
            r.number,
            f.day,
            f.hours_worked,
            f.hours_idle,
            f.fuel_litres,
            f.meter_hours,
            f.odometer_km,
            f.notes.as_str(),
            f.position.map(|p| p.0),
            f.position.map(|p| p.1),
            photos_json(&r.photo_ids),
            r.submitted_by.0,
            r.submitted_at,
            r.version
        )?;
        Ok(())
    }

    async fn report_revision(
        &mut self,
        company: CompanyId,
        id: ReportRevisionId,
    ) -> StoreResult<Option<ReportRevision>> {
        self.scoped(company)?;
        let sql = format!("SELECT {REVISION_COLUMNS} FROM daily_report_revisions WHERE company_id = $1 AND id = $2");
        run!(self, fetch_optional, sqlx::AssertSqlSafe(sql), company.0, id.0)?.as_ref().map(revision_from).transpose()
    }

    async fn report_revisions(
        &mut self,
        company: CompanyId,
        report: DailyReportId,
    ) -> StoreResult<Vec<ReportRevision>> {
        self.scoped(company)?;
        let sql = format!(
            "SELECT {REVISION_COLUMNS} FROM daily_report_revisions WHERE company_id = $1 AND report_id = $2
              ORDER BY number"
        );
        run!(self, fetch_all, sqlx::AssertSqlSafe(sql), company.0, report.0)?.iter().map(revision_from).collect()
    }
}
