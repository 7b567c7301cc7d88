//! The demo fleet (`bosun serve --demo`): after seeding, every screen and chart has something
//! real to show, the history keeps the domain rules, Harbourline sees none of Northwind, and
//! both audit chains hold; on both backends.

use std::collections::{BTreeMap, BTreeSet};

use bosun_app::records::audit::Verdict;
use bosun_demo::{DEMO_PASSWORD, seed_if_empty};
use bosun_domain::Clock;
use bosun_domain::fault::FaultStatus;
use bosun_domain::parts::PartsOrderStatus;
use reqwest::Method;
use serde_json::Value;

use crate::faults::get;
use crate::harness::{Session, TestApp, session_from};
use crate::pagination::all_items;

async fn sign_in(app: &TestApp, email: &str, company: &str) -> Session {
    session_from(email, app.try_login(email, DEMO_PASSWORD, Some(company)).await).await
}

fn ids(items: &[Value]) -> BTreeSet<String> {
    items.iter().map(|i| i["id"].as_str().expect("an id").to_owned()).collect()
}

const EVERY_STATUS: &str = "open,acknowledged,in_progress,awaiting_parts,resolved,closed";

async fn the_demo_fleet_has_six_months_of_history_on_every_screen(app: TestApp) {
    let a = &app.app;
    // How long seeding takes is the bench's business (and `scripts/demo` shows it), not this test's.
    assert!(seed_if_empty(a).await.expect("the demo seeds"));
    // Seeding again finds the database in use and leaves it alone.
    assert!(!seed_if_empty(a).await.unwrap());

    let owner = sign_in(&app, "owner@northwind.example", "northwind").await;
    let vessels = get(&app, &owner, "/api/v1/vessels").await["items"].as_array().unwrap().clone();
    let vessel = |name: &str| {
        vessels.iter().find(|v| v["name"] == name).and_then(|v| v["id"].as_str()).expect("a demo vessel").to_owned()
    };
    let (spirit, tern) = (vessel("Northwind Spirit"), vessel("Northwind Tern"));

    // Dashboard: open faults of several severities, old and new; MTTR over 30 and 90 days;
    // repeat offenders; MTBF; parts spend.
    let d = get(&app, &owner, "/api/v1/analytics/dashboard").await;
    let open = &d["open_faults"]["by_severity"];
    let severities = ["low", "medium", "high", "critical"].iter().filter(|s| open[**s].as_i64() > Some(0)).count();
    assert!(severities >= 3, "{d}");
    assert!(open["critical"].as_i64() >= Some(2), "{d}");
    assert!(d["open_faults"]["total"].as_i64() >= Some(20), "{d}");
    assert!(d["ageing"]["up_to_1d"].as_i64() > Some(0) && d["ageing"]["over_30d"].as_i64() > Some(0), "{d}");
    let (m30, m90) = (&d["mttr_30d"], &d["mttr_90d"]);
    assert!(m30["faults"].as_i64() >= Some(10) && m30["mean_seconds"].as_f64() > Some(3600.0), "{d}");
    assert!(m90["faults"].as_i64() > m30["faults"].as_i64(), "{d}");
    let top = d["top_equipment_90d"].as_array().unwrap();
    assert_eq!(top.len(), 5, "{d}");
    assert!(top[0]["faults"].as_i64() >= Some(2), "{d}");
    assert!(d["mtbf_90d"]["items"].as_i64() >= Some(3) && d["mtbf_90d"]["mean_seconds"].as_f64() > Some(0.0), "{d}");
    let spend = d["parts_spend_90d"].as_array().unwrap();
    let currencies: BTreeSet<&str> = spend.iter().filter_map(|s| s["currency"].as_str()).collect();
    assert!(currencies.is_superset(&BTreeSet::from(["EUR", "NOK"])), "{d}");
    for s in spend {
        assert!(s["supplier_minor"].as_i64() > Some(0) && s["margin_minor"].as_i64() > Some(0), "{s}");
    }

    // Repair times by severity: hours for critical faults, days for low ones.
    let year_ago = app.clock.now().date_naive() - chrono::Duration::days(365);
    let by_severity = get(&app, &owner, &format!("/api/v1/analytics/mttr?group=severity&from={year_ago}")).await;
    let mean: BTreeMap<&str, f64> = by_severity["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["key"].as_str().unwrap(), r["mean_seconds"].as_f64().unwrap()))
        .collect();
    assert!(mean["critical"] < 24.0 * 3600.0, "{by_severity}");
    assert!(mean["low"] > 2.0 * 24.0 * 3600.0, "{by_severity}");
    assert!(mean["critical"] < mean["high"], "{by_severity}");
    // The costs chart has months to show.
    let costs = get(&app, &owner, &format!("/api/v1/analytics/costs?from={year_ago}")).await;
    let months: BTreeSet<&str> = costs["rows"].as_array().unwrap().iter().filter_map(|r| r["month"].as_str()).collect();
    assert!(months.len() >= 6, "{costs}");

    // Every fault status and every parts-order status occurs.
    let faults = all_items(&app, &owner, &format!("/api/v1/faults/active?status={EVERY_STATUS}")).await;
    assert!(faults.len() >= 200, "{} faults", faults.len());
    let statuses: BTreeSet<&str> = faults.iter().filter_map(|f| f["status"].as_str()).collect();
    assert_eq!(statuses, FaultStatus::ALL.iter().map(|s| s.as_str()).collect(), "{statuses:?}");
    let orders = all_items(&app, &owner, "/api/v1/parts-orders").await;
    let order_statuses: BTreeSet<&str> = orders.iter().filter_map(|o| o["status"].as_str()).collect();
    assert_eq!(order_statuses, PartsOrderStatus::ALL.iter().map(|s| s.as_str()).collect(), "{order_statuses:?}");
    for o in &orders {
        let fault = faults.iter().find(|f| f["id"] == o["fault_id"]).expect("an order's fault");
        if matches!(fault["status"].as_str(), Some("resolved" | "closed")) {
            assert!(matches!(o["status"].as_str(), Some("received" | "cancelled")), "{o} on {fault}");
        }
    }

    // An unresolved critical fault shows its item down, here and on the item.
    let down: Vec<&Value> = faults
        .iter()
        .filter(|f| f["severity"] == "critical" && f["equipment_status"] == "down" && f["status"] != "resolved")
        .collect();
    assert!(!down.is_empty());
    let item = get(&app, &owner, &format!("/api/v1/equipment/{}", down[0]["equipment_id"].as_str().unwrap())).await;
    assert_eq!(item["effective_status"], "down", "{item}");

    // A fault in detail: comments and its parts orders; a reopened one resolved again.
    let detailed = faults.iter().find(|f| {
        f["vessel_id"] == spirit.as_str() && f["title"] == "Main engine 2 jacket water leak at cylinder 4 liner O-ring"
    });
    let detail = get(
        &app,
        &owner,
        &format!("/api/v1/faults/{}", detailed.expect("the jacket water leak")["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(detail["status"], "closed", "{detail}");
    assert!(detail["root_cause"].as_str().unwrap().starts_with("O-ring hardened"), "{detail}");
    let comments = detail["comments"].as_array().unwrap();
    assert!(comments.iter().any(|c| c["body"].as_str().unwrap().starts_with("Reopened")), "{detail}");
    assert!(!detail["parts_orders"].as_array().unwrap().is_empty(), "{detail}");

    // The demo people reported on their vessels.
    let engineer = sign_in(&app, "engineer@northwind.example", "northwind").await;
    let crew = sign_in(&app, "crew@northwind.example", "northwind").await;
    for (who, vessel) in [(&engineer, &spirit), (&crew, &tern)] {
        let seen = all_items(&app, who, &format!("/api/v1/faults/active?status={EVERY_STATUS}")).await;
        assert!(seen.iter().all(|f| f["vessel_id"] == vessel.as_str()), "{} sees only their vessel", who.email);
        assert!(seen.iter().any(|f| f["reported_by"] == who.user_id.to_string()), "{} reported faults", who.email);
    }

    // Handovers: completed and acknowledged, with a real snapshot; the engineer's in draft.
    let history = all_items(&app, &owner, &format!("/api/v1/handovers/history?vessel_id={spirit}")).await;
    assert!(history.len() >= 4, "{history:?}");
    assert!(history.iter().all(|h| h["acknowledged_by"].is_string()));
    let latest = get(&app, &owner, &format!("/api/v1/handovers/{}", history[0]["id"].as_str().unwrap())).await;
    assert_eq!(latest["acknowledged_by"], engineer.user_id.to_string(), "{latest}");
    let snapshot = &latest["snapshot"];
    assert!(!snapshot["faults"].as_array().unwrap().is_empty(), "{snapshot}");
    assert!(!snapshot["running_hours"].as_array().unwrap().is_empty(), "{snapshot}");
    assert!(!snapshot["notes"].as_str().unwrap().is_empty(), "{snapshot}");
    assert!(!all_items(&app, &crew, &format!("/api/v1/handovers/history?vessel_id={tern}")).await.is_empty());
    let current = get(&app, &engineer, &format!("/api/v1/handovers/current?vessel_id={spirit}")).await;
    assert!(current["notes"].as_str().unwrap().starts_with("Draft"), "{current}");
    assert!(!current["item_notes"].as_object().unwrap().is_empty(), "{current}");
    assert!(current["faults"].as_array().unwrap().iter().any(|f| f["mine"] == true), "{current}");
    assert_eq!(current["since"], latest["completed_at"], "{current}");

    // Harbourline has a handful of faults of its own and sees none of Northwind's.
    let hl = sign_in(&app, "owner@harbourline.example", "harbourline").await;
    let theirs = all_items(&app, &hl, &format!("/api/v1/faults/active?status={EVERY_STATUS}")).await;
    assert!((5..=10).contains(&theirs.len()), "{} faults", theirs.len());
    assert!(ids(&theirs).is_disjoint(&ids(&faults)));
    assert!(ids(&all_items(&app, &hl, "/api/v1/parts-orders").await).is_disjoint(&ids(&orders)));
    assert!(all_items(&app, &hl, "/api/v1/handovers/history").await.is_empty());
    let res = app.as_(&hl, Method::GET, &format!("/api/v1/faults/{}", down[0]["id"].as_str().unwrap())).send().await;
    assert_eq!(res.unwrap().status(), 404);
    let hl_dashboard = get(&app, &hl, "/api/v1/analytics/dashboard").await;
    assert!(hl_dashboard["open_faults"]["total"].as_i64() < Some(5), "{hl_dashboard}");

    // Each ship's plans: the weekly test done in its window, the monthly inspection overdue,
    // the survey postponed, and the plans' work orders waiting.
    let plans = all_items(&app, &owner, "/api/v1/maintenance-plans").await;
    assert_eq!(plans.len() % 4, 0, "four plans a ship: {}", plans.len());
    assert!(plans.len() >= 8, "{} plans", plans.len());
    let figures = get(&app, &owner, "/api/v1/analytics/maintenance").await;
    let ships = (plans.len() / 4) as u64;
    assert_eq!((figures["done"].as_u64(), figures["done_in_window"].as_u64()), (Some(ships), Some(ships)), "{figures}");
    assert_eq!(figures["overdue"].as_array().unwrap().len() as u64, ships, "{figures}");
    assert!(figures["backlog"].as_u64() >= Some(2 * ships), "{figures}");
    let postponed = plans.iter().find(|p| p["title"].as_str().unwrap().starts_with("Annual survey")).unwrap();
    let detail = get(&app, &owner, &format!("/api/v1/maintenance-plans/{}", postponed["id"].as_str().unwrap())).await;
    assert_eq!(detail["postponements"].as_array().unwrap().len(), 1, "{detail}");
    assert_eq!(detail["state"], "not_due", "{detail}");

    // The quay extension site: the operator's bookings in every state, and his week of
    // reports validated into the excavator's hours, one returned and one waiting.
    let operator = sign_in(&app, "operator@northwind.example", "northwind").await;
    let mine = all_items(&app, &operator, &format!("/api/v1/assignments?operator_id={}", operator.user_id)).await;
    let mut statuses: Vec<&str> = mine.iter().filter_map(|a| a["status"].as_str()).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, ["accepted", "declined", "proposed"], "{mine:?}");
    let reports = all_items(&app, &operator, "/api/v1/daily-reports").await;
    let count = |s: &str| reports.iter().filter(|r| r["status"] == s).count();
    assert!(count("validated") >= 3, "{reports:?}");
    assert_eq!((count("returned"), count("submitted")), (1, 1), "{reports:?}");
    let excavator = reports[0]["equipment_id"].as_str().unwrap();
    let hours = get(&app, &operator, &format!("/api/v1/equipment/{excavator}/readings")).await;
    assert!(hours["running_hours"].as_f64() > Some(6_412.0 + 20.0), "{hours}");

    // Purchasing on the first ship: a requisition waiting, one rejected, an order sent and
    // received in part into the engine-room store; Harbourline sees none of it.
    let requisitions = all_items(&app, &owner, "/api/v1/requisitions").await;
    let (for_faults, planned): (Vec<&Value>, Vec<&Value>) =
        requisitions.iter().partition(|r| r["fault_id"].is_string());
    let mut statuses: Vec<&str> = planned.iter().filter_map(|r| r["status"].as_str()).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, ["ordered", "received", "rejected", "requested"], "{planned:?}");
    // The fault parts orders of the history were migrated into requisitions with their ids,
    // the ordered ones each on a purchase order of its own.
    let parts_orders = all_items(&app, &owner, "/api/v1/parts-orders").await;
    assert_eq!(for_faults.len(), parts_orders.len());
    assert!(parts_orders.iter().all(|o| for_faults.iter().any(|r| r["id"] == o["id"])), "same ids");
    let orders_made = parts_orders
        .iter()
        .filter(|o| matches!(o["status"].as_str(), Some("ordered" | "shipped" | "received")))
        .count();
    let orders = all_items(&app, &owner, "/api/v1/purchase-orders").await;
    assert_eq!(orders.len(), 1 + orders_made, "{orders:?}");
    let orders: Vec<&Value> = orders.iter().filter(|o| o["number"] == "PO-000001").collect();
    assert_eq!(
        (orders[0]["status"].as_str(), orders[0]["number"].as_str()),
        (Some("partially_received"), Some("PO-000001"))
    );
    // Harbourline's are its own migrated parts orders only.
    let theirs = all_items(&app, &hl, "/api/v1/purchase-orders").await;
    assert!(
        theirs.iter().all(|o| o["id"] != orders[0]["id"]
            && o["note"].as_str().is_some_and(|n| n.starts_with("Parts order for fault"))),
        "{theirs:?}"
    );
    let pdf =
        app.as_(&owner, Method::GET, &format!("/api/v1/purchase-orders/{}/pdf", orders[0]["id"].as_str().unwrap()));
    assert_eq!(pdf.send().await.unwrap().status(), 200);

    // One audit entry per vessel history, and both chains hold.
    let seeded = all_items(&app, &owner, "/api/v1/audit?action=demo.seed").await;
    assert_eq!(seeded.len(), 3, "{seeded:?}");
    for (slug, entries) in [("northwind", 40), ("harbourline", 8)] {
        let company = a.companies.public_branding(slug).await.expect("a demo company");
        match a.audit.verify(company.id).await.expect("the chain reads") {
            Verdict::Holds(n) => assert!(n >= entries, "{slug}: {n} entries"),
            Verdict::Broken(b) => panic!("{slug}: the audit chain breaks at {b:?}"),
        }
    }
}

crate::on_both_backends!(the_demo_fleet_has_six_months_of_history_on_every_screen);
