//! Contract cases for equipment assignments and daily reports with their revisions.

#![allow(clippy::unwrap_used, missing_docs)]

use bosun_domain::assignment::{Assignment, AssignmentStatus, DailyFigures, Period, ReportStatus};
use bosun_domain::equipment::EquipmentLevel;
use bosun_domain::{AssignmentId, AttachmentId, DailyReportId, ReportRevisionId, UserId};
use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::maintenance::{Fleet, fleet, item, t0};
use crate::{AssignmentFilter, DailyReport, Page, ReportRevision, Store, StoreError, StoredAssignment, VesselScope};

const HOLDING: [AssignmentStatus; 2] = [AssignmentStatus::Proposed, AssignmentStatus::Accepted];

fn hour(h: i64) -> DateTime<Utc> {
    t0() + Duration::hours(h)
}

fn booking(f: &Fleet, item: bosun_domain::EquipmentId, operator: UserId, from: i64, to: i64) -> StoredAssignment {
    StoredAssignment {
        company_id: f.company,
        assignment: Assignment {
            id: AssignmentId::new(),
            equipment_id: item,
            vessel_id: f.v1,
            operator_id: operator,
            period: Period::parse(hour(from), hour(to)).unwrap(),
            status: AssignmentStatus::Proposed,
            decline_reason: None,
        },
        note: "Cut 3".into(),
        assigned_by: f.user,
        answered_at: None,
        cancelled_by: None,
        version: 1,
        created_at: t0(),
        updated_at: t0(),
    }
}

fn figures(day: NaiveDate, worked: f64) -> DailyFigures {
    DailyFigures {
        day,
        hours_worked: worked,
        hours_idle: 0.75,
        fuel_litres: Some(182.5),
        meter_hours: None,
        odometer_km: Some(12_044.1),
        notes: "Trenching,\nnorth side".into(),
        position: Some((59.912_345, 10.754_321)),
    }
}

pub async fn assignments_and_daily_reports_round_trip_and_find_overlaps(store: &dyn Store) {
    let f = fleet(store, "plant").await;
    let other = fleet(store, "others").await;
    let digger = item(&f, f.v1, None, EquipmentLevel::Equipment, "Excavator");
    let theirs = item(&other, other.v1, None, EquipmentLevel::Equipment, "Their excavator");
    let (morning, afternoon, declined) = (
        booking(&f, digger.id, f.crew, 0, 4),
        booking(&f, digger.id, f.user, 4, 8),
        booking(&f, digger.id, f.crew, 2, 6),
    );
    let declined = StoredAssignment {
        assignment: Assignment {
            status: AssignmentStatus::Declined,
            decline_reason: Some("Ill".into()),
            ..declined.assignment
        },
        ..declined
    };
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    tx.insert_equipment(&digger).await.unwrap();
    for a in [&morning, &afternoon, &declined] {
        tx.insert_assignment(a).await.unwrap();
    }
    tx.commit().await.unwrap();
    // A refused write ends its transaction on PostgreSQL: each in one of its own.
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    assert!(matches!(tx.insert_assignment(&morning).await, Err(StoreError::Conflict(_))), "an id is one assignment");
    drop(tx);
    let mut tx = store.begin(Some(other.company)).await.unwrap();
    tx.insert_equipment(&theirs).await.unwrap();
    tx.insert_assignment(&booking(&other, theirs.id, other.crew, 0, 8)).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin(Some(f.company)).await.unwrap();
    assert_eq!(tx.assignment(f.company, morning.assignment.id).await.unwrap(), Some(morning.clone()));
    // Half-open periods: [0, 4) and [4, 8) meet at 4 without overlapping.
    let at = |from, to| (hour(from), hour(to));
    let (from, to) = at(3, 5);
    let held: Vec<_> = tx.item_bookings(f.company, digger.id, &HOLDING, from, to).await.unwrap();
    assert_eq!(
        held.iter().map(|a| a.assignment.id).collect::<Vec<_>>(),
        [morning.assignment.id, afternoon.assignment.id]
    );
    let (from, to) = at(4, 5);
    let held = tx.item_bookings(f.company, digger.id, &HOLDING, from, to).await.unwrap();
    assert_eq!(held.iter().map(|a| a.assignment.id).collect::<Vec<_>>(), [afternoon.assignment.id], "touching is free");
    let all = [AssignmentStatus::Declined];
    assert_eq!(tx.item_bookings(f.company, digger.id, &all, from, to).await.unwrap().len(), 1, "by status");
    let (from, to) = at(0, 24);
    let crews = tx.operator_bookings(f.company, f.crew, &HOLDING, from, to).await.unwrap();
    assert_eq!(crews.iter().map(|a| a.assignment.id).collect::<Vec<_>>(), [morning.assignment.id]);

    // A move is written back with its answer.
    let accepted = StoredAssignment {
        assignment: Assignment { status: AssignmentStatus::Accepted, ..morning.assignment.clone() },
        answered_at: Some(hour(1)),
        version: 2,
        updated_at: hour(1),
        ..morning.clone()
    };
    tx.update_assignment(&accepted).await.unwrap();
    assert_eq!(tx.assignment(f.company, morning.assignment.id).await.unwrap(), Some(accepted.clone()));
    let filter = AssignmentFilter {
        scope: VesselScope { vessel: Some(f.v1), member: None },
        operator: Some(f.crew),
        status: Some("accepted".into()),
        ..AssignmentFilter::default()
    };
    let listed = tx.list_assignments(f.company, &filter, Page { after: None, limit: 10 }).await.unwrap();
    assert_eq!(listed, [accepted]);

    // A report and its revisions; one report per item, operator and day.
    let day = t0().date_naive();
    let revision = ReportRevisionId::new();
    let report = DailyReport {
        id: DailyReportId::new(),
        company_id: f.company,
        vessel_id: f.v1,
        equipment_id: digger.id,
        operator_id: f.crew,
        assignment_id: morning.assignment.id,
        status: ReportStatus::Submitted,
        revision_id: revision,
        revision: 1,
        figures: figures(day, 7.5),
        photo_ids: vec![AttachmentId::new()],
        submitted_at: hour(10),
        comment: None,
        validated_by: None,
        validated_at: None,
        returned_by: None,
        returned_at: None,
        reading_id: None,
        version: 3,
        created_at: hour(10),
        updated_at: hour(10),
    };
    let first = ReportRevision {
        id: revision,
        company_id: f.company,
        report_id: report.id,
        vessel_id: f.v1,
        number: 1,
        figures: report.figures.clone(),
        photo_ids: report.photo_ids.clone(),
        submitted_by: f.crew,
        submitted_at: hour(10),
        version: 4,
    };
    tx.insert_daily_report(&report).await.unwrap();
    tx.insert_report_revision(&first).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    let twin = DailyReport { id: DailyReportId::new(), ..report.clone() };
    assert!(matches!(tx.insert_daily_report(&twin).await, Err(StoreError::Conflict(_))), "one report a day");
    drop(tx);

    let mut tx = store.begin(Some(f.company)).await.unwrap();
    assert_eq!(tx.daily_report(f.company, report.id).await.unwrap(), Some(report.clone()), "figures round trip");
    assert_eq!(tx.daily_report_of(f.company, digger.id, f.crew, day).await.unwrap(), Some(report.clone()));
    assert_eq!(tx.daily_report_of(f.company, digger.id, f.user, day).await.unwrap(), None);
    let second = ReportRevision {
        id: ReportRevisionId::new(),
        number: 2,
        figures: DailyFigures { position: None, fuel_litres: None, ..figures(day, 8.0) },
        photo_ids: Vec::new(),
        ..first.clone()
    };
    tx.insert_report_revision(&second).await.unwrap();
    let validated = DailyReport {
        status: ReportStatus::Validated,
        revision_id: second.id,
        revision: 2,
        figures: second.figures.clone(),
        photo_ids: Vec::new(),
        validated_by: Some(f.user),
        validated_at: Some(hour(12)),
        reading_id: Some(uuid::Uuid::now_v7()),
        version: 6,
        updated_at: hour(12),
        ..report.clone()
    };
    tx.update_daily_report(&validated).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    let again = ReportRevision { id: ReportRevisionId::new(), ..second.clone() };
    assert!(matches!(tx.insert_report_revision(&again).await, Err(StoreError::Conflict(_))), "one revision a number");
    drop(tx);

    let mut tx = store.begin_read(Some(f.company)).await.unwrap();
    assert_eq!(tx.daily_report(f.company, report.id).await.unwrap(), Some(validated.clone()));
    assert_eq!(tx.report_revisions(f.company, report.id).await.unwrap(), [first.clone(), second.clone()]);
    assert_eq!(tx.report_revision(f.company, second.id).await.unwrap(), Some(second));
    let filter = AssignmentFilter { status: Some("validated".into()), ..AssignmentFilter::default() };
    assert_eq!(tx.list_daily_reports(f.company, &filter, Page { after: None, limit: 10 }).await.unwrap(), [validated]);
    let filter = AssignmentFilter { status: Some("submitted".into()), ..AssignmentFilter::default() };
    assert!(tx.list_daily_reports(f.company, &filter, Page { after: None, limit: 10 }).await.unwrap().is_empty());
    assert_eq!(tx.daily_report(f.company, report.id).await.unwrap().map(|r| r.company_id), Some(f.company));
    drop(tx);
    let mut tx = store.begin_read(Some(other.company)).await.unwrap();
    assert_eq!(tx.daily_report(other.company, report.id).await.unwrap(), None, "another company sees nothing");
    assert_eq!(tx.assignment(other.company, morning.assignment.id).await.unwrap(), None);
}
