//! Contract cases for maintenance plans, their postponements and completions.

#![allow(clippy::unwrap_used, missing_docs)]

use bosun_domain::equipment::EquipmentLevel;
use bosun_domain::maintenance_plan::{
    CalendarBasis, CalendarInterval, CalendarUnit, Completion, Criterion, MaintenancePlan, PlanProgress, PostponedTo,
    Postponement, Tolerance,
};
use bosun_domain::work_order::{Assignee, Minutes, NewWorkOrder, Origin, Priority, WorkOrder};
use bosun_domain::{EquipmentId, MaintenancePlanId, PostponementId, VesselId, WorkOrderId};
use chrono::{Duration, NaiveDate};

use super::maintenance::{Fleet, fleet, item, t0};
use crate::{
    PlanCompletion, PlanFilter, PlanOutcome, PlanWork, Store, StoreError, StoredPlan, StoredPostponement, VesselScope,
};

fn plan(f: &Fleet, vessel: VesselId, equipment: EquipmentId, title: &str, check_in_days: i64) -> StoredPlan {
    let every = CalendarInterval::parse("every", 6, CalendarUnit::Months).unwrap();
    let calendar = Criterion::calendar("c", every, CalendarBasis::FromSchedule, Tolerance { early: 7.0, late: 14.0 });
    let hours = Criterion::running_hours("h", 500.0, Tolerance { early: 25.0, late: 25.0 }).unwrap();
    StoredPlan {
        plan: MaintenancePlan {
            id: MaintenancePlanId::new(),
            company_id: f.company,
            vessel_id: vessel,
            equipment_id: equipment,
            title: title.into(),
            criteria: vec![calendar.unwrap(), hours],
            starts_on: NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
            start_hours: Some(1_250.5),
            lead_days: 14,
        },
        work: PlanWork {
            description: "Change the filter.".into(),
            priority: Priority::High,
            steps: Vec::new(),
            signature_required: true,
            estimated: Some(Minutes(90)),
            assignees: vec![Assignee::Person(f.crew)],
        },
        progress: PlanProgress::NEW,
        due_on: NaiveDate::from_ymd_opt(2026, 7, 31),
        due_hours: Some(1_750.5),
        next_check_at: t0() + Duration::days(check_in_days),
        created_by: f.user,
        version: 1,
        created_at: t0(),
        updated_at: t0(),
    }
}

pub async fn plans_round_trip_are_claimed_when_due_and_count_their_completions(store: &dyn Store) {
    let f = fleet(store, "plans").await;
    let other = fleet(store, "others").await;
    let engine = item(&f, f.v1, None, EquipmentLevel::Equipment, "Main engine");
    let theirs = item(&other, other.v1, None, EquipmentLevel::Equipment, "Their engine");
    let (soon, later, due) = (
        plan(&f, f.v1, engine.id, "Soon", 1),
        plan(&f, f.v1, engine.id, "Later", 30),
        plan(&f, f.v1, engine.id, "Due", -1),
    );
    let foreign = plan(&other, other.v1, theirs.id, "Theirs", -5);
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    tx.insert_equipment(&engine).await.unwrap();
    for p in [&soon, &later, &due] {
        tx.insert_plan(p).await.unwrap();
    }
    tx.commit().await.unwrap();
    let mut tx = store.begin(Some(other.company)).await.unwrap();
    tx.insert_equipment(&theirs).await.unwrap();
    tx.insert_plan(&foreign).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin(Some(f.company)).await.unwrap();
    assert_eq!(tx.plan(f.company, soon.plan.id).await.unwrap(), Some(soon.clone()), "a plan reads as written");
    assert_eq!(tx.plan(f.company, foreign.plan.id).await.unwrap(), None, "another company's plan is not found");
    // Claimed earliest check first, only those whose time has come, only the company's own.
    let claimed = tx.claim_due_plans(f.company, f.v1, t0() + Duration::days(2), 10).await.unwrap();
    let titles: Vec<&str> = claimed.iter().map(|p| p.plan.title.as_str()).collect();
    assert_eq!(titles, ["Due", "Soon"]);
    assert_eq!(tx.claim_due_plans(f.company, f.v1, t0() + Duration::days(2), 1).await.unwrap().len(), 1, "a limit");
    // A reading brings the item's running-hours plans forward, never back.
    assert_eq!(tx.recheck_hour_plans(f.company, engine.id, t0()).await.unwrap(), 2);
    let claimed = tx.claim_due_plans(f.company, f.v1, t0(), 10).await.unwrap();
    assert_eq!(tx.vessels_with_due_plans(f.company, t0()).await.unwrap(), vec![f.v1]);
    assert!(tx.claim_due_plans(f.company, f.v2, t0(), 10).await.unwrap().is_empty(), "only the vessel's");
    assert_eq!(claimed.len(), 3, "all three may be looked at now");
    // Progress, due points and check time are written back.
    let mut done = due.clone();
    done.progress = PlanProgress {
        occurrence: 3,
        last_done: Some(Completion { on: NaiveDate::from_ymd_opt(2026, 2, 27).unwrap(), hours: Some(1_700.0) }),
        postponement: None,
    };
    done.due_hours = Some(2_200.0);
    done.next_check_at = t0() + Duration::days(90);
    done.version = 9;
    tx.update_plan(&done).await.unwrap();
    assert_eq!(tx.plan(f.company, due.plan.id).await.unwrap(), Some(done.clone()));
    let vessel = VesselScope { vessel: Some(f.v1), member: None };
    let listed = tx
        .list_plans(f.company, &PlanFilter { scope: vessel, equipment: None }, crate::Page { after: None, limit: 2 })
        .await
        .unwrap();
    assert_eq!(listed.len(), 2, "pages by newest id");
    assert!(listed[0].plan.id > listed[1].plan.id);

    // Postponements are kept per plan, in order.
    let p = StoredPostponement {
        id: PostponementId::new(),
        company_id: f.company,
        vessel_id: f.v1,
        plan_id: soon.plan.id,
        postponement: Postponement {
            occurrence: 0,
            to: PostponedTo { date: NaiveDate::from_ymd_opt(2026, 8, 10), extra_hours: Some(40.0) },
            reason: "Dry dock".into(),
            requested_by: f.crew,
            approved_by: f.user,
            approved_at: t0(),
        },
    };
    tx.insert_postponement(&p, 4).await.unwrap();
    assert_eq!(tx.postponement(f.company, p.id).await.unwrap(), Some(p.clone()));
    assert_eq!(tx.postponements(f.company, soon.plan.id).await.unwrap(), vec![p.clone()]);
    // The scheduler's batch reads and writes: several plans' postponements, items, generated
    // occurrences and check times at once.
    let ids = [later.plan.id, soon.plan.id, due.plan.id, foreign.plan.id];
    assert_eq!(tx.postponements_of(f.company, &ids).await.unwrap(), vec![p]);
    let found = tx.equipment_by_ids(f.company, &[engine.id, theirs.id, EquipmentId::new()]).await.unwrap();
    assert_eq!(found, vec![engine.clone()], "the company's items that exist");
    let order = |plan: &StoredPlan, occurrence: u32| {
        WorkOrder::create(
            NewWorkOrder {
                id: WorkOrderId::new(),
                company_id: f.company,
                vessel_id: f.v1,
                equipment_id: engine.id,
                origin: Origin::Plan { plan_id: plan.plan.id, occurrence },
                title: plan.plan.title.clone(),
                description: "Change the filters".into(),
                priority: Priority::High,
                assignees: vec![Assignee::Person(f.crew)],
                due_on: NaiveDate::from_ymd_opt(2026, 3, 1),
                estimated: Some(Minutes(90)),
                steps: Vec::new(),
                signature_required: true,
                created_by: f.user,
                created_at: t0(),
            }
            .check()
            .unwrap(),
        )
    };
    let orders = [order(&soon, 0), order(&due, 3)];
    tx.insert_work_orders(&orders).await.unwrap();
    tx.insert_work_orders(&[]).await.unwrap();
    for o in &orders {
        assert_eq!(tx.work_order(f.company, o.id).await.unwrap().as_ref(), Some(o), "read back as written");
    }
    let mut occurrences = tx.plan_occurrences(f.company, &ids).await.unwrap();
    occurrences.sort();
    let mut expected = vec![(soon.plan.id, 0), (due.plan.id, 3)];
    expected.sort();
    assert_eq!(occurrences, expected);
    let later_check = t0() + Duration::days(400);
    tx.set_next_checks(f.company, &[(soon.plan.id, later_check), (foreign.plan.id, later_check)]).await.unwrap();
    let read = tx.plan(f.company, soon.plan.id).await.unwrap().unwrap();
    assert_eq!(read, StoredPlan { next_check_at: later_check, ..soon.clone() }, "the check time alone");

    // Completions: one per occurrence, counted for compliance from a day, by vessel.
    let mut first = None;
    for (occurrence, in_window, day, outcome) in
        [(0, true, 10, PlanOutcome::Done), (1, false, 40, PlanOutcome::Missed), (2, true, 70, PlanOutcome::Done)]
    {
        let c = PlanCompletion {
            company_id: f.company,
            plan_id: due.plan.id,
            occurrence,
            vessel_id: f.v1,
            outcome,
            work_order_id: (outcome == PlanOutcome::Done).then(WorkOrderId::new),
            done_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(day),
            done_hours: None,
            due_on: NaiveDate::from_ymd_opt(2026, 1, 1),
            due_hours: None,
            in_window,
        };
        tx.insert_completion(&c).await.unwrap();
        first.get_or_insert(c);
    }
    let ends = tx.completions(f.company, due.plan.id).await.unwrap();
    assert_eq!(
        ends.iter().map(|c| (c.occurrence, c.outcome)).collect::<Vec<_>>(),
        [(0, PlanOutcome::Done), (1, PlanOutcome::Missed), (2, PlanOutcome::Done)]
    );
    assert_eq!(ends[1].work_order_id, None);
    let all =
        tx.compliance(f.company, &VesselScope::default(), NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).await.unwrap();
    assert_eq!((all.done, all.in_window), (3, 2));
    let recent = tx.compliance(f.company, &vessel, NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()).await.unwrap();
    assert_eq!((recent.done, recent.in_window), (2, 1));
    let elsewhere = VesselScope { vessel: Some(f.v2), member: None };
    assert_eq!(
        tx.compliance(f.company, &elsewhere, NaiveDate::from_ymd_opt(2000, 1, 1).unwrap()).await.unwrap().done,
        0
    );
    assert_eq!(tx.plan_order(f.company, due.plan.id, 0).await.unwrap(), None);
    assert_eq!(tx.plan_order(f.company, due.plan.id, 3).await.unwrap(), Some(orders[1].id));
    assert_eq!(tx.plan_backlog(f.company, &VesselScope::default()).await.unwrap(), 2);
    tx.commit().await.unwrap();
    // A failed statement ends a PostgreSQL transaction: each refusal in its own.
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    assert!(matches!(tx.insert_plan(&soon).await, Err(StoreError::Conflict(_))), "one plan per id");
    drop(tx);
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    let again = tx.insert_completion(&first.unwrap()).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "one completion per occurrence");
}
