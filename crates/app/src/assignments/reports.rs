//! Operators' daily reports (issue 12 §4): hours worked and idle, fuel, meters, notes, photos
//! and, when the person allows it, a position, for one item and day; validated or returned by
//! the site's engineer. Each submission is an insert-only revision and the report carries the
//! current one's figures.
//!
//! Rules kept here (also in `docs/ARCHITECTURE.md`, "Assignments and daily reports"):
//! - only for an item the caller holds an **accepted** assignment of during that (UTC) day
//!   (`not_assigned`); one report per item, operator and day (`report_exists`);
//! - the operator corrects a report (a new revision) until it is validated
//!   (`report_validated`); validation and return name the revision read, and a newer one is
//!   `report_changed`, so nobody validates figures they did not see;
//! - nobody validates their own report (`own_report`);
//! - validation records the item's running hours in the same unit of work: the hour meter as
//!   read, else the total at the end of the day plus the hours worked, at the end of the day
//!   (or now, if earlier); a total derived from hours is not written under a later reading,
//!   which already counts them. The item's hour-based plans are then looked at again.

use bosun_domain::assignment::{DailyFigures, ReportStatus, check_report_transition};
use bosun_domain::equipment::{MeterReading, running_hours};
use bosun_domain::permissions::Action;
use bosun_domain::{AttachmentId, DailyReportId, EquipmentId, ReportRevisionId, Violation, check_long_text};
use bosun_store::{AssignmentFilter, DailyReport, Page, ReportRevision, Tx};
use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use serde_json::json;

use super::AssignmentService;
use crate::realtime::LiveEvent;
use crate::work::{UnitOfWork, mutator};
use crate::{Actor, Audit, Error, Result, check_attachment, check_day, id_race, id_taken, vessel_change};

/// The most photos one submission names.
pub const MAX_PHOTOS: usize = 10;

/// Submits a daily report, or a correction of one (`submit_daily_report.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitDailyReport {
    /// The report: a new client-made UUIDv7 the first time, the report's id for a correction.
    pub id: DailyReportId,
    /// Client-made UUIDv7 of this submission.
    pub revision_id: ReportRevisionId,
    /// The item.
    pub equipment_id: EquipmentId,
    /// The day reported (never after today).
    pub day: NaiveDate,
    /// Hours the machine worked, 0–24.
    pub hours_worked: f64,
    /// Hours it stood idle with the engine on; worked and idle at most 24 together.
    pub hours_idle: f64,
    /// Fuel added, litres.
    #[serde(default)]
    pub fuel_litres: Option<f64>,
    /// The hour meter at the end of the day.
    #[serde(default)]
    pub meter_hours: Option<f64>,
    /// The odometer at the end of the day, kilometres.
    #[serde(default)]
    pub odometer_km: Option<f64>,
    /// Notes, up to 4,000 characters.
    #[serde(default)]
    pub notes: String,
    /// Latitude, degrees (with `longitude`, or neither).
    #[serde(default)]
    pub latitude: Option<f64>,
    /// Longitude, degrees.
    #[serde(default)]
    pub longitude: Option<f64>,
    /// Photos (attachments of the item's vessel), at most ten.
    #[serde(default)]
    pub photo_ids: Vec<AttachmentId>,
}

/// Validates a report's revision (`validate_daily_report.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidateDailyReport {
    /// The report.
    pub report_id: DailyReportId,
    /// The revision read.
    pub revision_id: ReportRevisionId,
}

/// Returns a report to its operator with a comment (`return_daily_report.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnDailyReport {
    /// The report.
    pub report_id: DailyReportId,
    /// The revision read.
    pub revision_id: ReportRevisionId,
    /// What to correct, 1–2,000 characters.
    pub comment: String,
}

/// A report as a write answers it.
#[derive(Debug, Clone)]
pub struct SavedReport {
    /// The report.
    pub row: DailyReport,
    /// False when the same write had been received before.
    pub created: bool,
}

mutator!(SubmitDailyReport, "submit_daily_report.v1", SavedReport, |app, uow, actor, m| {
    app.assignments.submit(uow, actor, m).await
});
mutator!(ValidateDailyReport, "validate_daily_report.v1", DailyReport, |app, uow, actor, m| {
    app.assignments.validate(app, uow, actor, m).await
});
mutator!(ReturnDailyReport, "return_daily_report.v1", DailyReport, |app, uow, actor, m| {
    app.assignments.send_back(uow, actor, m).await
});

/// A number as a change-log row carries it: whole numbers as integers (`8`, not `8.0`), so a
/// client's canonical JSON of the row hashes alike (docs/SYNC.md "Checksums").
fn number(v: f64) -> serde_json::Value {
    bosun_domain::whole_number(v).map_or_else(|| json!(v), |n| json!(n))
}

fn figures_json(f: &DailyFigures, photos: &[AttachmentId]) -> serde_json::Map<String, serde_json::Value> {
    let json = json!({
        "day": f.day, "hours_worked": number(f.hours_worked), "hours_idle": number(f.hours_idle),
        "fuel_litres": f.fuel_litres.map(number), "meter_hours": f.meter_hours.map(number),
        "odometer_km": f.odometer_km.map(number), "notes": f.notes,
        "latitude": f.position.map(|p| number(p.0)), "longitude": f.position.map(|p| number(p.1)),
        "photo_ids": photos,
    });
    match json {
        serde_json::Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}

/// A report's fields as its change-log row carries them.
pub fn report_json(r: &DailyReport) -> serde_json::Value {
    let mut m = figures_json(&r.figures, &r.photo_ids);
    let rest = json!({
        "id": r.id, "vessel_id": r.vessel_id, "equipment_id": r.equipment_id, "operator_id": r.operator_id,
        "assignment_id": r.assignment_id, "status": r.status.as_str(), "revision_id": r.revision_id,
        "revision": r.revision, "submitted_at": r.submitted_at, "comment": r.comment, "validated_by": r.validated_by,
        "validated_at": r.validated_at, "returned_by": r.returned_by, "returned_at": r.returned_at,
        "reading_id": r.reading_id, "updated_at": r.updated_at,
    });
    if let serde_json::Value::Object(o) = rest {
        m.extend(o);
    }
    serde_json::Value::Object(m)
}

/// A revision's fields as its change-log row carries them.
pub fn revision_json(r: &ReportRevision) -> serde_json::Value {
    let mut m = figures_json(&r.figures, &r.photo_ids);
    m.insert("id".into(), json!(r.id));
    m.insert("report_id".into(), json!(r.report_id));
    m.insert("vessel_id".into(), json!(r.vessel_id));
    m.insert("number".into(), json!(r.number));
    m.insert("submitted_by".into(), json!(r.submitted_by));
    m.insert("submitted_at".into(), json!(r.submitted_at));
    serde_json::Value::Object(m)
}

/// The live event for a report's change: who, what and when, no figures or position.
fn event(r: &DailyReport, kind: &str) -> LiveEvent {
    LiveEvent {
        company_id: r.company_id,
        vessel_id: Some(r.vessel_id),
        kind: kind.into(),
        entity_id: r.id.0,
        summary: json!({
            "id": r.id, "equipment_id": r.equipment_id, "operator_id": r.operator_id, "day": r.figures.day,
            "status": r.status.as_str(), "revision": r.revision,
        }),
        at: r.updated_at,
    }
}

/// A move the report's lifecycle allows, else `invalid_transition` (409).
fn transition(from: ReportStatus, to: ReportStatus) -> Result<()> {
    check_report_transition(from, to).map_err(|v| Error::Conflict { code: v.code, message: v.message })
}

impl SubmitDailyReport {
    /// The figures, checked against `today` (the latest day anywhere on Earth).
    fn figures(&self, today: NaiveDate) -> Result<DailyFigures> {
        let day = check_day("day", self.day)?;
        let position = match (self.latitude, self.longitude) {
            (Some(lat), Some(lon)) => Some((lat, lon)),
            (None, None) => None,
            _ => {
                return Err(Violation::new(
                    "position",
                    "incomplete",
                    "give latitude and longitude together, or neither",
                )
                .into());
            }
        };
        let figures = DailyFigures {
            day,
            hours_worked: self.hours_worked,
            hours_idle: self.hours_idle,
            fuel_litres: self.fuel_litres,
            meter_hours: self.meter_hours,
            odometer_km: self.odometer_km,
            notes: self.notes.clone(),
            position,
        };
        Ok(figures.check(today)?)
    }
}

impl AssignmentService {
    /// The report, when the caller sees its vessel; else `NotFound`.
    async fn visible_report(&self, tx: &mut Box<dyn Tx>, actor: &Actor, id: DailyReportId) -> Result<DailyReport> {
        let r = tx.daily_report(actor.company_id, id).await?.ok_or(Error::NotFound)?;
        if !self.deps.sees_vessel(tx, actor, r.vessel_id).await? {
            return Err(Error::NotFound);
        }
        Ok(r)
    }

    async fn submit(&self, uow: &mut UnitOfWork, actor: &Actor, m: &SubmitDailyReport) -> Result<SavedReport> {
        let company = actor.company_id;
        actor.permit(Action::DailyReportSubmit, "daily_report", m.id)?;
        let now = self.deps.clock.now();
        // Days are the operator's: a site fourteen hours ahead of UTC is on tomorrow already.
        let today = (now + Duration::hours(14)).date_naive();
        let figures = m.figures(today)?;
        if m.photo_ids.len() > MAX_PHOTOS {
            return Err(Violation::new("photo_ids", "too_many", format!("at most {MAX_PHOTOS} photos")).into());
        }
        // A retry of a submission answers the report as it is now.
        if let Some(existing) = uow.tx.report_revision(company, m.revision_id).await? {
            let report = self.visible_report(&mut uow.tx, actor, existing.report_id).await?;
            let same = existing.report_id == m.id
                && existing.submitted_by == actor.user_id
                && existing.figures == figures
                && existing.photo_ids == m.photo_ids
                && report.equipment_id == m.equipment_id;
            return if same {
                Ok(SavedReport { row: report, created: false })
            } else {
                Err(id_taken("daily report revision", m.revision_id))
            };
        }
        let member = self.deps.reach(actor);
        let (item, _) = uow.tx.equipment_seen(company, m.equipment_id, member).await?.ok_or(Error::NotFound)?;
        for photo in &m.photo_ids {
            check_attachment(uow, actor, item.vessel_id, *photo).await?;
        }
        uow.tx.lock_scope(company, &format!("vessel:{}", item.vessel_id)).await?;
        let current = uow.tx.daily_report(company, m.id).await?;
        let (mut report, op) = match current {
            Some(r) => {
                if r.vessel_id != item.vessel_id || !self.deps.sees_vessel(&mut uow.tx, actor, r.vessel_id).await? {
                    return Err(id_taken("daily report", m.id));
                }
                if r.operator_id != actor.user_id {
                    return Err(Error::Conflict {
                        code: "not_the_operator",
                        message: "only the operator who sent a daily report corrects it".into(),
                    });
                }
                if r.equipment_id != m.equipment_id || r.figures.day != figures.day {
                    return Err(Violation::new("day", "not_changeable", "a report's item and day never change").into());
                }
                if r.status == ReportStatus::Validated {
                    return Err(Error::Conflict {
                        code: "report_validated",
                        message: "the report was validated and can no longer change".into(),
                    });
                }
                transition(r.status, ReportStatus::Submitted)?;
                (r, "update")
            }
            None => {
                if let Some(other) = uow.tx.daily_report_of(company, item.id, actor.user_id, figures.day).await? {
                    return Err(Error::Conflict {
                        code: "report_exists",
                        message: format!(
                            "you already reported {} for {} (report {}); correct that one",
                            item.name, figures.day, other.id
                        ),
                    });
                }
                let day_start = figures.day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
                let held = uow
                    .tx
                    .operator_bookings(
                        company,
                        actor.user_id,
                        &[bosun_domain::assignment::AssignmentStatus::Accepted],
                        day_start,
                        day_start + Duration::days(1),
                    )
                    .await?;
                let Some(assignment) = held.iter().find(|a| a.assignment.equipment_id == item.id) else {
                    return Err(Error::Conflict {
                        code: "not_assigned",
                        message: format!("{} is not assigned to you (accepted) on {}", item.name, figures.day),
                    });
                };
                let report = DailyReport {
                    id: m.id,
                    company_id: company,
                    vessel_id: item.vessel_id,
                    equipment_id: item.id,
                    operator_id: actor.user_id,
                    assignment_id: assignment.assignment.id,
                    status: ReportStatus::Submitted,
                    revision_id: m.revision_id,
                    revision: 0,
                    figures: figures.clone(),
                    photo_ids: Vec::new(),
                    submitted_at: now,
                    comment: None,
                    validated_by: None,
                    validated_at: None,
                    returned_by: None,
                    returned_at: None,
                    reading_id: None,
                    version: 0,
                    created_at: now,
                    updated_at: now,
                };
                (report, "insert")
            }
        };
        let before = (op == "update").then(|| report_json(&report));
        report.status = ReportStatus::Submitted;
        report.revision += 1;
        report.revision_id = m.revision_id;
        report.figures = figures.clone();
        report.photo_ids = m.photo_ids.clone();
        report.submitted_at = now;
        report.updated_at = now;
        let fields = report_json(&report);
        let change = vessel_change(report.vessel_id, "daily_report", report.id.0, op, fields.clone(), now);
        report.version = uow.tx.record_change(company, &change).await?;
        if op == "insert" {
            uow.tx.insert_daily_report(&report).await.map_err(id_race)?;
        } else {
            uow.tx.update_daily_report(&report).await?;
        }
        let mut revision = ReportRevision {
            id: m.revision_id,
            company_id: company,
            report_id: report.id,
            vessel_id: report.vessel_id,
            number: report.revision,
            figures,
            photo_ids: m.photo_ids.clone(),
            submitted_by: actor.user_id,
            submitted_at: now,
            version: 0,
        };
        let change = vessel_change(
            report.vessel_id,
            "daily_report_revision",
            revision.id.0,
            "insert",
            revision_json(&revision),
            now,
        );
        revision.version = uow.tx.record_change(company, &change).await?;
        uow.tx.insert_report_revision(&revision).await.map_err(id_race)?;
        let mut audit = Audit::ok("daily_report.submit", "daily_report", report.id).after(fields);
        if let Some(before) = before {
            audit = audit.before(before);
        }
        self.deps.audit(&mut uow.tx, company, Some(actor.user_id), &actor.meta, audit).await?;
        uow.publish(event(&report, "daily_report.submitted"));
        Ok(SavedReport { row: report, created: true })
    }

    /// The report under its vessel's lock, for the engineer's decision on `revision`; `None`
    /// when the same decision was taken already (a retry).
    async fn for_decision(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        id: DailyReportId,
        revision: ReportRevisionId,
        decided: impl Fn(&DailyReport) -> bool,
    ) -> Result<std::result::Result<DailyReport, DailyReport>> {
        let seen = self.visible_report(&mut uow.tx, actor, id).await?;
        actor.permit(Action::DailyReportValidate, "daily_report", id)?;
        uow.tx.lock_scope(actor.company_id, &format!("vessel:{}", seen.vessel_id)).await?;
        let current = uow.tx.daily_report(actor.company_id, id).await?.ok_or(Error::NotFound)?;
        if current.revision_id == revision && decided(&current) {
            return Ok(Err(current));
        }
        if current.operator_id == actor.user_id {
            return Err(Error::Conflict {
                code: "own_report",
                message: "someone other than the operator validates or returns a daily report".into(),
            });
        }
        if current.revision_id != revision {
            return Err(Error::Conflict {
                code: "report_changed",
                message: format!(
                    "the operator sent revision {} after the one you read; read it first",
                    current.revision
                ),
            });
        }
        Ok(Ok(current))
    }

    async fn validate(
        &self,
        app: &crate::App,
        uow: &mut UnitOfWork,
        actor: &Actor,
        m: &ValidateDailyReport,
    ) -> Result<DailyReport> {
        let decided = |r: &DailyReport| r.status == ReportStatus::Validated && r.validated_by == Some(actor.user_id);
        let current = match self.for_decision(uow, actor, m.report_id, m.revision_id, decided).await? {
            Ok(r) => r,
            Err(done) => return Ok(done),
        };
        transition(current.status, ReportStatus::Validated)?;
        let now = self.deps.clock.now();
        let reading_id = self.record_hours(app, uow, actor, &current, now).await?;
        let report = DailyReport {
            status: ReportStatus::Validated,
            validated_by: Some(actor.user_id),
            validated_at: Some(now),
            reading_id,
            updated_at: now,
            ..current.clone()
        };
        self.decide(uow, actor, &current, report, "daily_report.validate", "daily_report.validated").await
    }

    /// Records the running hours a validated report gives its item; the reading's id, if any.
    async fn record_hours(
        &self,
        app: &crate::App,
        uow: &mut UnitOfWork,
        actor: &Actor,
        r: &DailyReport,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<uuid::Uuid>> {
        // An item counting its parent's hours takes them from the parent's meter.
        if uow.tx.meter_link(actor.company_id, r.equipment_id).await?.is_some() {
            return Ok(None);
        }
        let day_end = r.figures.day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() + Duration::days(1);
        let read_at = bosun_domain::clock::to_micros(day_end.min(now));
        let readings: Vec<MeterReading> =
            uow.tx.readings(actor.company_id, r.equipment_id).await?.into_iter().map(|s| s.reading).collect();
        let before = readings.partition_point(|x| x.read_at <= read_at);
        let later = before < readings.len();
        let reading = match r.figures.meter_hours {
            Some(_) => r.figures.reading(None, read_at),
            None if later => None,
            None => r.figures.reading(Some(running_hours(&readings[..before])), read_at),
        };
        let Some(reading) = reading else { return Ok(None) };
        let id = self.deps.ids.uuid();
        let record = crate::fleet::equipment::RecordReading {
            equipment_id: r.equipment_id,
            id: Some(id),
            hours: reading.hours,
            meter_replaced: false,
            read_at: Some(read_at),
        };
        app.equipment.record_reading(uow, actor, &record).await?;
        Ok(Some(id))
    }

    async fn send_back(&self, uow: &mut UnitOfWork, actor: &Actor, m: &ReturnDailyReport) -> Result<DailyReport> {
        let comment = check_long_text("comment", &m.comment, 1, 2000)?;
        let decided = |r: &DailyReport| {
            r.status == ReportStatus::Returned
                && r.returned_by == Some(actor.user_id)
                && r.comment.as_deref() == Some(comment.as_str())
        };
        let current = match self.for_decision(uow, actor, m.report_id, m.revision_id, decided).await? {
            Ok(r) => r,
            Err(done) => return Ok(done),
        };
        transition(current.status, ReportStatus::Returned)?;
        let now = self.deps.clock.now();
        let report = DailyReport {
            status: ReportStatus::Returned,
            comment: Some(comment),
            returned_by: Some(actor.user_id),
            returned_at: Some(now),
            updated_at: now,
            ..current.clone()
        };
        self.decide(uow, actor, &current, report, "daily_report.return", "daily_report.returned").await
    }

    /// Writes the engineer's decision with its change-log row, audit row and live event.
    async fn decide(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        before: &DailyReport,
        mut report: DailyReport,
        action: &str,
        kind: &str,
    ) -> Result<DailyReport> {
        let company = actor.company_id;
        let fields = report_json(&report);
        let change =
            vessel_change(report.vessel_id, "daily_report", report.id.0, "update", fields.clone(), report.updated_at);
        report.version = uow.tx.record_change(company, &change).await?;
        uow.tx.update_daily_report(&report).await?;
        self.deps
            .audit(
                &mut uow.tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok(action, "daily_report", report.id)
                    .before(json!({ "status": before.status.as_str(), "revision": before.revision }))
                    .after(fields),
            )
            .await?;
        uow.publish(event(&report, kind));
        Ok(report)
    }

    /// Reports the caller sees, newest first.
    pub async fn reports(
        &self,
        actor: &Actor,
        mut filter: AssignmentFilter,
        page: Page<DailyReportId>,
    ) -> Result<(Vec<DailyReport>, Option<DailyReportId>)> {
        let mut tx = self.reading::<ReportStatus>(actor, &mut filter).await?;
        let rows =
            tx.list_daily_reports(actor.company_id, &filter, Page { after: page.after, limit: page.limit + 1 }).await?;
        Ok(crate::page_of(rows, page.limit, |r| r.id))
    }

    /// One report with its revisions, first first.
    pub async fn report(&self, actor: &Actor, id: DailyReportId) -> Result<(DailyReport, Vec<ReportRevision>)> {
        actor.require(Action::EquipmentRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let report = self.visible_report(&mut tx, actor, id).await?;
        let revisions = tx.report_revisions(actor.company_id, id).await?;
        Ok((report, revisions))
    }
}
