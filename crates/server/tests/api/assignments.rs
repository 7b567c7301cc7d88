//! Equipment assignments and operators' daily reports: an item booked once per period and
//! answered by its operator; a report sent for an assigned item, returned, corrected and
//! validated into the item's running hours; nobody validating their own; and both made
//! offline, applied once.

use bosun_domain::Clock;
use bosun_domain::person::Role;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::faults::{get, ok_json, send};
use crate::harness::{Session, TestApp, assert_problem};
use crate::permissions::{Acme, acme, new_equipment};
use crate::sync::{pull_all, push};

fn today(app: &TestApp) -> NaiveDate {
    app.clock.now().date_naive()
}

/// Midnight (UTC) `days` after today's.
fn midnight(app: &TestApp, days: i64) -> DateTime<Utc> {
    (today(app) + Duration::days(days)).and_hms_opt(0, 0, 0).unwrap().and_utc()
}

/// A new item on the Acme vessel: its id.
pub(crate) async fn plant(app: &TestApp, w: &Acme, name: &str) -> Uuid {
    let owner = app.owner_actor(&w.fixture);
    let item = app.app.mutate(&owner, new_equipment(bosun_domain::VesselId(w.vessel), name)).await;
    item.expect("equipment registered").item.id.0
}

/// The body booking `item` to `operator` from midnight `from` days on for `days` days.
fn booking(app: &TestApp, item: Uuid, operator: &Session, from: i64, days: i64) -> Value {
    json!({
        "id": Uuid::now_v7(), "equipment_id": item, "operator_id": operator.user_id,
        "starts_at": midnight(app, from), "ends_at": midnight(app, from + days), "note": "North embankment",
    })
}

/// A fresh item booked by the owner to `operator` for today, accepted when `accept`: (item,
/// assignment), for walks.
pub(crate) async fn walk_assignment(app: &TestApp, w: &Acme, operator: &Session, accept: bool) -> (Uuid, Uuid) {
    let item = plant(app, w, &format!("Excavator {}", Uuid::now_v7().simple())).await;
    let made =
        send(app, &w.fixture.owner, Method::POST, "/api/v1/assignments", booking(app, item, operator, 0, 1)).await;
    let id: Uuid = ok_json(made, 201).await["id"].as_str().and_then(|s| s.parse().ok()).expect("an assignment id");
    if accept {
        let path = format!("/api/v1/assignments/{id}/answer");
        ok_json(send(app, operator, Method::POST, &path, json!({ "accept": true })).await, 200).await;
    }
    (item, id)
}

/// A day's figures on `item`, today.
fn figures(app: &TestApp, item: Uuid, worked: f64) -> Value {
    json!({
        "revision_id": Uuid::now_v7(), "equipment_id": item, "day": today(app), "hours_worked": worked,
        "hours_idle": 1.5, "fuel_litres": 180, "notes": "Trenching,\nnorth side",
    })
}

/// A report `operator` sent today on a fresh item assigned to them: (report, its revision,
/// the item), for walks.
pub(crate) async fn walk_report(app: &TestApp, w: &Acme, operator: &Session) -> (Uuid, Uuid, Uuid) {
    let (item, _) = walk_assignment(app, w, operator, true).await;
    let sent = send(app, operator, Method::POST, "/api/v1/daily-reports", figures(app, item, 8.0)).await;
    let r = ok_json(sent, 201).await;
    let id = |k: &str| r[k].as_str().and_then(|s| s.parse().ok()).expect("an id");
    (id("id"), id("revision_id"), item)
}

async fn an_item_is_booked_once_and_answered_by_its_operator(app: TestApp) {
    let w = acme(&app).await;
    let manager = &w.people[&Role::Manager];
    let crew = &w.people[&Role::Crew];
    let engineer = &w.people[&Role::Engineer];
    let item = plant(&app, &w, "Excavator CAT 336").await;
    let week = booking(&app, item, crew, 1, 7);
    let made = ok_json(send(&app, manager, Method::POST, "/api/v1/assignments", week.clone()).await, 201).await;
    assert_eq!((made["status"].as_str(), made["vessel_id"].as_str()), (Some("proposed"), Some(&*w.vessel.to_string())));
    let id = made["id"].as_str().unwrap().to_owned();
    // The same booking again (a retry) is answered; its id with other content is not.
    ok_json(send(&app, manager, Method::POST, "/api/v1/assignments", week.clone()).await, 200).await;
    let mut other = week.clone();
    other["note"] = json!("South pit");
    assert_problem(send(&app, manager, Method::POST, "/api/v1/assignments", other).await, 409, "id_taken").await;

    // The item is held for the week: an overlap is refused, back to back is not.
    let clash = booking(&app, item, engineer, 7, 3);
    let refused =
        assert_problem(send(&app, manager, Method::POST, "/api/v1/assignments", clash).await, 409, "double_booked")
            .await;
    assert!(refused["detail"].as_str().unwrap_or_default().contains(&id), "{refused}");
    let next = booking(&app, item, engineer, 8, 2);
    ok_json(send(&app, manager, Method::POST, "/api/v1/assignments", next).await, 201).await;
    // The operator's other booking at the same time is a warning, not a refusal.
    let roller = plant(&app, &w, "Roller").await;
    let both =
        ok_json(send(&app, manager, Method::POST, "/api/v1/assignments", booking(&app, roller, crew, 2, 1)).await, 201)
            .await;
    assert_eq!(both["operator_overlaps"], json!([id]), "{both}");

    // Who may be an operator, and when.
    let viewer = booking(&app, item, &w.people[&Role::Viewer], 30, 1);
    let res = assert_problem(
        send(&app, manager, Method::POST, "/api/v1/assignments", viewer).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(res["errors"][0]["code"], "not_an_operator");
    let ashore = booking(&app, item, &w.deckhand, 30, 1);
    let res = assert_problem(
        send(&app, manager, Method::POST, "/api/v1/assignments", ashore).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(res["errors"][0]["code"], "not_on_vessel");
    let mut backwards = booking(&app, item, crew, 30, 1);
    backwards["ends_at"] = backwards["starts_at"].clone();
    let res = assert_problem(
        send(&app, manager, Method::POST, "/api/v1/assignments", backwards).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        (res["errors"][0]["field"].as_str(), res["errors"][0]["code"].as_str()),
        (Some("ends_at"), Some("not_after_start"))
    );
    let by_engineer = booking(&app, item, crew, 40, 1);
    assert_problem(send(&app, engineer, Method::POST, "/api/v1/assignments", by_engineer).await, 403, "forbidden")
        .await;

    // Only the operator answers, once.
    let answer = format!("/api/v1/assignments/{id}/answer");
    let res = send(&app, engineer, Method::POST, &answer, json!({ "accept": true })).await;
    assert_problem(res, 409, "not_the_operator").await;
    let accepted = ok_json(send(&app, crew, Method::POST, &answer, json!({ "accept": true })).await, 200).await;
    assert_eq!(accepted["status"], "accepted");
    ok_json(send(&app, crew, Method::POST, &answer, json!({ "accept": true })).await, 200).await;
    let res = send(&app, crew, Method::POST, &answer, json!({ "accept": false, "reason": "Ill" })).await;
    assert_problem(res, 409, "invalid_transition").await;

    // Cancelled, the week is free again.
    let cancel = format!("/api/v1/assignments/{id}/cancel");
    let cancelled = ok_json(send(&app, manager, Method::POST, &cancel, json!(null)).await, 200).await;
    assert_eq!(
        (cancelled["status"].as_str(), cancelled["cancelled_by"].as_str()),
        (Some("cancelled"), Some(&*manager.user_id.to_string()))
    );
    ok_json(send(&app, manager, Method::POST, "/api/v1/assignments", booking(&app, item, engineer, 1, 6)).await, 201)
        .await;
    assert_problem(send(&app, crew, Method::POST, &answer, json!({ "accept": true })).await, 409, "invalid_transition")
        .await;

    // Lists by item, operator and status, for the people who see the vessel.
    let mine = get(&app, crew, &format!("/api/v1/assignments?operator_id={}", crew.user_id)).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 2, "{mine}");
    let held = get(&app, crew, &format!("/api/v1/assignments?equipment_id={item}&status=proposed")).await;
    assert_eq!(held["items"].as_array().unwrap().len(), 2, "{held}");
    let res = app.as_(crew, Method::GET, "/api/v1/assignments?status=lost").send().await.unwrap();
    assert_problem(res, 422, "validation_failed").await;
    let audit = get(&app, &w.fixture.owner, "/api/v1/audit?limit=200").await;
    let actions: Vec<&str> = audit["items"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    for a in ["assignment.create", "assignment.answer", "assignment.cancel"] {
        assert!(actions.contains(&a), "{a} audited");
    }
}

async fn daily_reports_are_returned_corrected_and_validated_into_running_hours(app: TestApp) {
    let w = acme(&app).await;
    let crew = &w.people[&Role::Crew];
    let engineer = &w.people[&Role::Engineer];
    let (item, _) = walk_assignment(&app, &w, crew, true).await;
    crate::faults::record_reading(&app, w.fixture.company.id, item, 1200.0, false, app.clock.now() - Duration::days(3))
        .await;

    // Not assigned (proposed only) or in the future: refused.
    let (offered, _) = walk_assignment(&app, &w, crew, false).await;
    let res = send(&app, crew, Method::POST, "/api/v1/daily-reports", figures(&app, offered, 8.0)).await;
    assert_problem(res, 409, "not_assigned").await;
    let mut tomorrow = figures(&app, item, 8.0);
    tomorrow["day"] = json!(today(&app) + Duration::days(2));
    let res = assert_problem(
        send(&app, crew, Method::POST, "/api/v1/daily-reports", tomorrow).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(res["errors"][0]["code"], "in_the_future");
    let mut long_day = figures(&app, item, 20.0);
    long_day["hours_idle"] = json!(5);
    let res = assert_problem(
        send(&app, crew, Method::POST, "/api/v1/daily-reports", long_day).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(res["errors"][0]["code"], "over_a_day");
    let mut half = figures(&app, item, 8.0);
    half["latitude"] = json!(59.9);
    let res =
        assert_problem(send(&app, crew, Method::POST, "/api/v1/daily-reports", half).await, 422, "validation_failed")
            .await;
    assert_eq!(res["errors"][0]["field"], "position");

    // Sent, and sent again (a lost answer): one report, one revision.
    let mut first = figures(&app, item, 8.0);
    first["id"] = json!(Uuid::now_v7());
    first["latitude"] = json!(59.91);
    first["longitude"] = json!(10.75);
    let sent = ok_json(send(&app, crew, Method::POST, "/api/v1/daily-reports", first.clone()).await, 201).await;
    ok_json(send(&app, crew, Method::POST, "/api/v1/daily-reports", first.clone()).await, 200).await;
    let id = sent["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (sent["status"].as_str(), sent["revision"].as_i64(), sent["notes"].as_str()),
        (Some("submitted"), Some(1), Some("Trenching,\nnorth side"))
    );
    let mut again = figures(&app, item, 7.0);
    again["id"] = json!(Uuid::now_v7());
    assert_problem(send(&app, crew, Method::POST, "/api/v1/daily-reports", again).await, 409, "report_exists").await;

    // Returned with a comment, corrected, and the engineer must read the correction first.
    let first_revision = sent["revision_id"].clone();
    let path = format!("/api/v1/daily-reports/{id}");
    let res =
        send(&app, engineer, Method::POST, &format!("{path}/return"), json!({ "revision_id": first_revision })).await;
    assert_problem(res, 422, "validation_failed").await;
    let back = json!({ "revision_id": first_revision, "comment": "Fuel looks high: check the receipt" });
    let returned =
        ok_json(send(&app, engineer, Method::POST, &format!("{path}/return"), back.clone()).await, 200).await;
    assert_eq!(
        (returned["status"].as_str(), returned["comment"].as_str()),
        (Some("returned"), Some("Fuel looks high: check the receipt"))
    );
    ok_json(send(&app, engineer, Method::POST, &format!("{path}/return"), back).await, 200).await;
    let mut corrected = figures(&app, item, 8.5);
    corrected["fuel_litres"] = json!(120);
    let fixed = ok_json(send(&app, crew, Method::PUT, &path, corrected).await, 200).await;
    assert_eq!((fixed["status"].as_str(), fixed["revision"].as_i64()), (Some("submitted"), Some(2)));
    let res =
        send(&app, engineer, Method::POST, &format!("{path}/validate"), json!({ "revision_id": first_revision })).await;
    assert_problem(res, 409, "report_changed").await;
    // Nobody validates their own report.
    let res =
        send(&app, crew, Method::POST, &format!("{path}/validate"), json!({ "revision_id": fixed["revision_id"] }))
            .await;
    assert_problem(res, 403, "forbidden").await;

    // Validated: the hours worked are the item's running hours at the end of the day.
    let validate = json!({ "revision_id": fixed["revision_id"] });
    let done =
        ok_json(send(&app, engineer, Method::POST, &format!("{path}/validate"), validate.clone()).await, 200).await;
    assert_eq!(done["status"], "validated");
    assert!(done["reading_id"].is_string(), "{done}");
    ok_json(send(&app, engineer, Method::POST, &format!("{path}/validate"), validate).await, 200).await;
    let readings = get(&app, engineer, &format!("/api/v1/equipment/{item}/readings")).await;
    assert_eq!(readings["running_hours"], 1208.5, "{readings}");
    assert_eq!(readings["items"].as_array().unwrap().len(), 2, "one reading added, once: {readings}");
    let res = send(&app, crew, Method::PUT, &path, figures(&app, item, 9.0)).await;
    assert_problem(res, 409, "report_validated").await;
    let detail = get(&app, crew, &path).await;
    let numbers: Vec<i64> =
        detail["revisions"].as_array().unwrap().iter().map(|r| r["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [1, 2]);
    assert_eq!(detail["revisions"][0]["fuel_litres"], 180.0);

    // An engineer operating a machine does not validate their own day either.
    let (own, revision, _) = walk_report(&app, &w, engineer).await;
    let res = send(
        &app,
        engineer,
        Method::POST,
        &format!("/api/v1/daily-reports/{own}/validate"),
        json!({ "revision_id": revision }),
    )
    .await;
    assert_problem(res, 409, "own_report").await;
    // A meter read below the item's total is refused at validation, and the report can go back.
    let (item2, _) = walk_assignment(&app, &w, crew, true).await;
    crate::faults::record_reading(&app, w.fixture.company.id, item2, 500.0, false, app.clock.now() - Duration::days(1))
        .await;
    let mut low = figures(&app, item2, 4.0);
    low["meter_hours"] = json!(450);
    let low = ok_json(send(&app, crew, Method::POST, "/api/v1/daily-reports", low).await, 201).await;
    let path = format!("/api/v1/daily-reports/{}/validate", low["id"].as_str().unwrap());
    let res = send(&app, engineer, Method::POST, &path, json!({ "revision_id": low["revision_id"] })).await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["code"], "reading_backwards");

    let listed = get(&app, engineer, &format!("/api/v1/daily-reports?vessel_id={}&status=validated", w.vessel)).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
}

async fn assignments_and_reports_made_offline_are_applied_once(app: TestApp) {
    let w = acme(&app).await;
    let crew = &w.people[&Role::Crew];
    let manager = &w.people[&Role::Manager];
    let item = plant(&app, &w, "Wheel loader").await;
    let assignment = Uuid::now_v7();
    let mut assign = booking(&app, item, crew, 0, 3);
    assign["id"] = json!(assignment);
    let pushed =
        push(&app, manager, Uuid::now_v7(), json!([{ "id": 1, "name": "assign_equipment.v1", "args": assign }])).await;
    assert_eq!(pushed["applied"], json!([1]), "{pushed}");

    let client = Uuid::now_v7();
    let mut report = figures(&app, item, 6.0);
    report["id"] = json!(Uuid::now_v7());
    let batch = json!([
        { "id": 1, "name": "answer_assignment.v1", "args": { "assignment_id": assignment, "accept": true } },
        { "id": 2, "name": "submit_daily_report.v1", "args": report },
    ]);
    let first = push(&app, crew, client, batch.clone()).await;
    assert_eq!(first["applied"], json!([1, 2]), "{first}");
    assert_eq!(push(&app, crew, client, batch.clone()).await["skipped"], json!([1, 2]));
    let copied = push(&app, crew, Uuid::now_v7(), batch).await;
    assert!(copied["rejected"].as_array().unwrap().is_empty(), "{copied}");
    let listed = get(&app, crew, &format!("/api/v1/daily-reports?equipment_id={item}")).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);

    let (changes, _) = pull_all(&app, crew, Some(client), 262_144).await;
    let last = |entity: &str| {
        changes.iter().rev().find(|(_, c)| c["entity"] == entity).map(|(s, c)| (s.clone(), c["fields"].clone()))
    };
    let (scope, row) = last("assignment").expect("the assignment syncs");
    assert_eq!((scope, row["status"].as_str()), (format!("vessel:{}", w.vessel), Some("accepted")));
    let (_, row) = last("daily_report").expect("the report syncs");
    assert_eq!(
        (row["hours_worked"].clone(), row["hours_idle"].clone()),
        (json!(6), json!(1.5)),
        "whole numbers as integers: {row}"
    );
    assert!(last("daily_report_revision").is_some());
}

crate::on_both_backends!(
    an_item_is_booked_once_and_answered_by_its_operator,
    daily_reports_are_returned_corrected_and_validated_into_running_hours,
    assignments_and_reports_made_offline_are_applied_once,
);
