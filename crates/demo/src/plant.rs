//! The demo's land site: Northwind's quay extension project with three machines, an operator
//! and a site engineer. The operator has the excavator for a month (accepted), is waiting to
//! answer for the wheel loader next week, and declined the crane last week; his daily reports
//! on the excavator over the last week are validated (their hours are the excavator's running
//! hours), returned with a comment, or waiting for the engineer. Everything goes through the
//! mutators, as the app would send it.

use bosun_app::assignments::reports::{ReturnDailyReport, SubmitDailyReport, ValidateDailyReport};
use bosun_app::assignments::{AnswerAssignment, AssignEquipment};
use bosun_app::fleet::equipment::{CreateEquipment, EquipmentFields, RecordReading, check_fields};
use bosun_app::fleet::vessels::{AddDepartment, CreateVessel, VesselInput, check_vessel};
use bosun_app::{Actor, App, Error, Result};
use bosun_domain::person::Role;
use bosun_domain::{AssignmentId, DailyReportId, EquipmentId, ReportRevisionId, UserId};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// The site's name.
const SITE: &str = "Fjordbyen quay extension";

/// The site's machines: name, type, maker, model, running hours two weeks ago.
const MACHINES: [(&str, &str, &str, &str, f64); 3] = [
    ("Excavator CAT 336", "crawler excavator", "Caterpillar", "336 Next Gen", 6_412.0),
    ("Wheel loader Volvo L120H", "wheel loader", "Volvo CE", "L120H", 9_870.5),
    ("Mobile crane Liebherr LTM 1090", "mobile crane", "Liebherr", "LTM 1090-4.2", 3_305.0),
];

fn midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

fn internal(what: &str) -> impl Fn(Vec<bosun_domain::Violation>) -> Error + '_ {
    move |v| Error::Internal(format!("demo {what}: {v:?}"))
}

/// Seeds the site: `planner` books, `operator` runs the machines, `engineer` validates.
pub(crate) async fn seed(app: &App, owner: &Actor, planner: UserId, operator: UserId, engineer: UserId) -> Result<()> {
    let company = owner.company_id;
    let now = app.now();
    let today = now.date_naive();
    let fields = check_vessel(&VesselInput {
        kind: "project".into(),
        name: SITE.into(),
        vessel_type: Some("civil works: quay and breakwater".into()),
        imo: None,
        specs: Some(serde_json::json!({ "client": "Fjordbyen Havn KF", "ends": "2027-06-30" })),
    })?;
    let site = app.mutate(owner, CreateVessel { id: None, fields }).await?.id;
    let plant = app.mutate(owner, AddDepartment { vessel_id: site, name: "plant".into() }).await?.id;
    for person in [operator, engineer] {
        let join = bosun_app::fleet::vessels::JoinRotation {
            vessel_id: site,
            user_id: Some(person),
            department_id: Some(plant),
            rotation_start: today - Duration::days(60),
            rotation_end: None,
        };
        app.mutate(owner, join).await?;
    }
    let mut machines: Vec<EquipmentId> = Vec::new();
    for (name, kind, maker, model, hours) in MACHINES {
        let fields = check_fields(&EquipmentFields {
            level: "equipment".into(),
            area: "other".into(),
            name: name.into(),
            equipment_type: Some(kind.into()),
            maker: Some(maker.into()),
            model: Some(model.into()),
            criticality: Some("high".into()),
            ..EquipmentFields::default()
        })
        .map_err(internal("machine"))?;
        let item = app.mutate(owner, CreateEquipment { id: None, vessel_id: site, fields }).await?.item.id;
        let reading = RecordReading {
            equipment_id: item,
            id: None,
            hours,
            meter_replaced: false,
            read_at: Some(now - Duration::days(14)),
        };
        app.mutate(owner, reading).await?;
        machines.push(item);
    }
    let [excavator, loader, crane] = machines[..] else {
        return Err(Error::Internal("the demo site has three machines".into()));
    };
    let planner = Actor { meta: owner.meta.clone(), ..Actor::system(company, planner, Role::Manager) };
    let driver = Actor { meta: owner.meta.clone(), ..Actor::system(company, operator, Role::Crew) };
    let checker = Actor { meta: owner.meta.clone(), ..Actor::system(company, engineer, Role::Engineer) };
    let book = |item: EquipmentId, from: i64, days: i64, note: &str| AssignEquipment {
        id: Some(AssignmentId(app.ids().uuid())),
        equipment_id: item,
        operator_id: operator,
        starts_at: midnight(today + Duration::days(from)),
        ends_at: midnight(today + Duration::days(from + days)),
        note: note.into(),
    };
    let answer = |a: AssignmentId, accept: bool, reason: Option<&str>| AnswerAssignment {
        assignment_id: a,
        accept,
        reason: reason.map(str::to_owned),
    };
    let month = app.mutate(&planner, book(excavator, -10, 31, "Trench for the new drainage, north quay")).await?;
    app.mutate(&driver, answer(month.row.assignment.id, true, None)).await?;
    let next = app.mutate(&planner, book(loader, 3, 5, "Loading rock fill onto the barge")).await?;
    let _waiting = next.row.assignment.id;
    let crane_week = app.mutate(&planner, book(crane, -8, 3, "Setting the precast quay elements")).await?;
    app.mutate(&driver, answer(crane_week.row.assignment.id, false, Some("Not certified on the LTM 1090 yet"))).await?;

    // The last week on the excavator, weekdays: validated, then one returned, then yesterday's
    // waiting for the engineer.
    let days: Vec<NaiveDate> = (1..=8)
        .rev()
        .map(|n| today - Duration::days(n))
        .filter(|d| !matches!(chrono::Datelike::weekday(d), chrono::Weekday::Sat | chrono::Weekday::Sun))
        .collect();
    let last = days.len().saturating_sub(1);
    for (n, day) in days.iter().enumerate() {
        let worked = [7.5, 8.0, 6.5, 9.0, 8.5, 7.0][n % 6];
        let submit = SubmitDailyReport {
            id: DailyReportId(app.ids().uuid()),
            revision_id: ReportRevisionId(app.ids().uuid()),
            equipment_id: excavator,
            day: *day,
            hours_worked: worked,
            hours_idle: 1.0,
            fuel_litres: Some(worked * 24.0),
            meter_hours: None,
            odometer_km: None,
            notes: "Trenching along the north quay; drainage pipe laid behind.".into(),
            latitude: Some(59.9075),
            longitude: Some(10.7256),
            photo_ids: Vec::new(),
        };
        let sent = app.mutate(&driver, submit).await?.row;
        if n + 1 == last {
            let back = ReturnDailyReport {
                report_id: sent.id,
                revision_id: sent.revision_id,
                comment: "Fuel does not match the bowser log (ticket 4471): check and send again.".into(),
            };
            app.mutate(&checker, back).await?;
        } else if n < last {
            app.mutate(&checker, ValidateDailyReport { report_id: sent.id, revision_id: sent.revision_id }).await?;
        }
    }
    Ok(())
}
