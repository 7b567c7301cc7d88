//! Analytics on a hand-checked fleet: every figure below was worked out by hand from the
//! fixture (the comments show the sums), on both backends.

use bosun_app::fleet::vessels::{CreateVessel, JoinRotation, VesselInput, check_vessel};
use bosun_domain::VesselId;
use bosun_domain::fault::{FaultStatus, Severity};
use bosun_domain::parts::PartsOrderStatus;
use bosun_domain::person::Role;
use chrono::{DateTime, Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use crate::harness::{Backend, Session, TestApp, assert_problem};
use crate::records::{equipment, fault, insert, order, resolved};

const DAY: i64 = 86_400;

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn vessel_input(name: &str) -> CreateVessel {
    let fields = check_vessel(&VesselInput {
        kind: "vessel".into(),
        name: name.into(),
        vessel_type: None,
        imo: None,
        specs: None,
    });
    CreateVessel { id: None, fields: fields.expect("valid vessel fields") }
}

struct Fleet {
    owner: Session,
    manager: Session,
    engineer: Session,
    crew: Session,
    v1: VesselId,
    v2: VesselId,
    /// Equipment ids: main engine and bow thruster on V1, crane on V2.
    e1: String,
    e2: String,
    e3: String,
}

/// The fixture. Open faults (age at `now`): f1 E1 high 2 h, f2 E1 critical 3 d, f3 E2 low 10 d,
/// f4 E3 (V2) medium 40 d, f5 E2 medium exactly 1 d. Resolved: f6 E1 high reported 20 d ago,
/// repaired in 1 d; f7 E1 low 5 d ago, 2 h (closed); f8 E2 medium 60 d ago, 10 d; f9 E3 (V2)
/// critical 12 d ago, 2 d; f10 E3 low 200 d ago, resolved 100 d ago (outside every window).
async fn fleet(app: &TestApp) -> Fleet {
    let acme = app.with_company("acme").await;
    let owner_actor = app.owner_actor(&acme);
    let c = acme.company.id;
    let v1 = app.app.mutate(&owner_actor, vessel_input("Northern Star")).await.unwrap().id;
    let v2 = app.app.mutate(&owner_actor, vessel_input("Southern Cross")).await.unwrap().id;
    let manager = app.person_in(&acme.company, "manager@acme.example", Role::Manager).await;
    let engineer = app.person_in(&acme.company, "engineer@acme.example", Role::Engineer).await;
    let crew = app.person_in(&acme.company, "crew@acme.example", Role::Crew).await;
    for who in [&engineer, &crew] {
        let r = JoinRotation {
            vessel_id: VesselId(uuid::Uuid::nil()),
            user_id: Some(who.user_id),
            department_id: None,
            rotation_start: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            rotation_end: None,
        };
        app.app.mutate(&owner_actor, JoinRotation { vessel_id: v1, ..r }).await.unwrap();
    }

    let now = app.clock_now();
    let ago = |secs: i64| now - Duration::seconds(secs);
    let u = acme.owner.user_id;
    let (e1, e2, e3) =
        (equipment(c, v1, "Main engine 1", now), equipment(c, v1, "Bow thruster", now), equipment(c, v2, "Crane", now));
    use FaultStatus::*;
    use Severity::*;
    let f1 = fault(&e1, u, High, Open, ago(2 * 3600));
    let f2 = fault(&e1, u, Critical, Acknowledged, ago(3 * DAY));
    let f3 = fault(&e2, u, Low, InProgress, ago(10 * DAY));
    let f4 = fault(&e3, u, Medium, AwaitingParts, ago(40 * DAY));
    let f5 = fault(&e2, u, Medium, Open, ago(DAY));
    let f6 = resolved(fault(&e1, u, High, InProgress, ago(20 * DAY)), ago(19 * DAY), false);
    let f7 = resolved(fault(&e1, u, Low, InProgress, ago(5 * DAY)), ago(5 * DAY - 7200), true);
    let f8 = resolved(fault(&e2, u, Medium, InProgress, ago(60 * DAY)), ago(50 * DAY), false);
    let f9 = resolved(fault(&e3, u, Critical, InProgress, ago(12 * DAY)), ago(10 * DAY), false);
    let f10 = resolved(fault(&e3, u, Low, InProgress, ago(200 * DAY)), ago(100 * DAY), false);
    use PartsOrderStatus as P;
    let orders = [
        // January 2021, V1, EUR: 2 × 1000 → 2400 and 1 × 5000 → 6000 (the last second of the month).
        order(&f1, 2, 1000, "EUR", P::Ordered, at("2021-01-15T10:00:00Z")),
        order(&f2, 1, 5000, "EUR", P::Received, at("2021-01-31T23:59:59Z")),
        // February 2021: V2, EUR, 3 × 333 → 3 × 400 (399.6 rounded); V1, USD, 4 × 250 → 4 × 300;
        // a cancelled order counts for nothing.
        order(&f4, 3, 333, "EUR", P::Requested, at("2021-02-01T00:00:00Z")),
        order(&f3, 4, 250, "USD", P::Shipped, at("2021-02-14T12:00:00Z")),
        order(&f1, 1, 100_000, "EUR", P::Cancelled, at("2021-02-10T12:00:00Z")),
        // Recent: inside the dashboard's 90 days (V1, 700 → 840), and just outside (V2, NOK).
        order(&f1, 1, 700, "EUR", P::Requested, ago(10 * DAY)),
        order(&f9, 2, 50, "NOK", P::Requested, ago(95 * DAY)),
    ];
    insert(app, c, &[e1.clone(), e2.clone(), e3.clone()], &[f1, f2, f3, f4, f5, f6, f7, f8, f9, f10], &orders, &[])
        .await;

    // Another company's faults and orders count for nobody here.
    let bravo = app.with_company("bravo").await;
    let bravo_vessel = app.app.mutate(&app.owner_actor(&bravo), vessel_input("Bravo One")).await.unwrap().id;
    let b = equipment(bravo.company.id, bravo_vessel, "Winch", now);
    let bf = fault(&b, bravo.owner.user_id, Critical, Open, ago(2 * DAY));
    let bf_done = resolved(fault(&b, bravo.owner.user_id, Low, InProgress, ago(3 * DAY)), ago(DAY), false);
    let bo = order(&bf, 9, 9999, "EUR", P::Requested, ago(DAY));
    insert(app, bravo.company.id, &[b], &[bf, bf_done], &[bo], &[]).await;

    Fleet {
        owner: acme.owner,
        manager,
        engineer,
        crew,
        v1,
        v2,
        e1: e1.id.to_string(),
        e2: e2.id.to_string(),
        e3: e3.id.to_string(),
    }
}

async fn get(app: &TestApp, who: &Session, path: &str) -> Value {
    let res = app.as_(who, Method::GET, path).send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.unwrap()
}

async fn the_dashboard_shows_the_hand_checked_figures(app: TestApp) {
    let f = fleet(&app).await;
    let d = get(&app, &f.owner, "/api/v1/analytics/dashboard").await;
    assert_eq!(d["vessel_id"], Value::Null);
    assert_eq!(
        d["open_faults"],
        json!({ "total": 5, "by_severity": { "low": 1, "medium": 2, "high": 1, "critical": 1 } })
    );
    // ≤ 1 d: f1 and f5 (exactly one day old); 1–7 d: f2; 7–30 d: f3; > 30 d: f4.
    assert_eq!(d["ageing"], json!({ "up_to_1d": 2, "from_1d_to_7d": 1, "from_7d_to_30d": 1, "over_30d": 1 }));
    // 30 d: f6 86400 + f7 7200 + f9 172800 = 266400 / 3; 90 d adds f8 864000: 1130400 / 4.
    assert_eq!(d["mttr_30d"], json!({ "faults": 3, "mean_seconds": 88_800.0 }));
    assert_eq!(d["mttr_90d"], json!({ "faults": 4, "mean_seconds": 282_600.0 }));
    // Reports in 90 d: E1 f1 f2 f6 f7; E2 f3 f5 f8; E3 f4 f9 (f10 is older).
    assert_eq!(
        d["top_equipment_90d"],
        json!([
            { "equipment_id": f.e1, "name": "Main engine 1", "faults": 4 },
            { "equipment_id": f.e2, "name": "Bow thruster", "faults": 3 },
            { "equipment_id": f.e3, "name": "Crane", "faults": 2 },
        ])
    );
    // E1: 20 d − 2 h = 1720800 s over 3 intervals; E2: 59 d = 5097600 s over 2; E3: 28 d =
    // 2419200 s over 1. (1720800 + 5097600 + 2419200) / 6 = 1539600.
    assert_eq!(d["mtbf_90d"], json!({ "items": 3, "intervals": 6, "mean_seconds": 1_539_600.0 }));
    // Orders created in 90 d, not cancelled: 1 × 700 → 840.
    assert_eq!(
        d["parts_spend_90d"],
        json!([{ "currency": "EUR", "supplier_minor": 700, "customer_minor": 840, "margin_minor": 140 }])
    );

    // One vessel: V1 alone.
    let v1 = get(&app, &f.owner, &format!("/api/v1/analytics/dashboard?vessel_id={}", f.v1)).await;
    assert_eq!(v1["vessel_id"], f.v1.to_string());
    assert_eq!(v1["open_faults"]["total"], 4);
    assert_eq!(v1["ageing"], json!({ "up_to_1d": 2, "from_1d_to_7d": 1, "from_7d_to_30d": 1, "over_30d": 0 }));
    // 30 d: (86400 + 7200) / 2; 90 d: (86400 + 7200 + 864000) / 3.
    assert_eq!(v1["mttr_30d"], json!({ "faults": 2, "mean_seconds": 46_800.0 }));
    assert_eq!(v1["mttr_90d"], json!({ "faults": 3, "mean_seconds": 319_200.0 }));
    // (1720800 + 5097600) / 5.
    assert_eq!(v1["mtbf_90d"], json!({ "items": 2, "intervals": 5, "mean_seconds": 1_363_680.0 }));
    let v2 = get(&app, &f.owner, &format!("/api/v1/analytics/dashboard?vessel_id={}", f.v2)).await;
    assert_eq!(v2["open_faults"]["by_severity"], json!({ "low": 0, "medium": 1, "high": 0, "critical": 0 }));
    assert_eq!(v2["mtbf_90d"], json!({ "items": 1, "intervals": 1, "mean_seconds": 2_419_200.0 }));
    assert_eq!(v2["parts_spend_90d"], json!([]));

    // An engineer on V1 sees V1's figures and no money; V2 does not exist for them.
    let mine = get(&app, &f.engineer, "/api/v1/analytics/dashboard").await;
    let mut expected = v1.clone();
    expected.as_object_mut().unwrap().remove("parts_spend_90d");
    expected["vessel_id"] = Value::Null;
    assert_eq!(mine, expected);
    let res =
        app.as_(&f.engineer, Method::GET, &format!("/api/v1/analytics/dashboard?vessel_id={}", f.v2)).send().await;
    assert_problem(res.unwrap(), 404, "not_found").await;
    // Crew see no analytics at all.
    let res = app.as_(&f.crew, Method::GET, "/api/v1/analytics/dashboard").send().await.unwrap();
    assert_problem(res, 403, "forbidden").await;
    // A manager sees the whole fleet, money included.
    assert_eq!(get(&app, &f.manager, "/api/v1/analytics/dashboard").await["parts_spend_90d"], d["parts_spend_90d"]);
}

async fn mttr_is_grouped_by_vessel_equipment_severity_and_time(app: TestApp) {
    let f = fleet(&app).await;
    let now = app.clock_now();
    let from = (now - Duration::days(95)).date_naive();
    let to = now.date_naive();
    let path = |group: &str| format!("/api/v1/analytics/mttr?group={group}&from={from}&to={to}");
    // Resolved in the period: f6 (E1, high, 86400), f7 (E1, low, 7200), f8 (E2, medium,
    // 864000), f9 (E3/V2, critical, 172800).
    let r = get(&app, &f.owner, &path("severity")).await;
    assert_eq!(r["from"], from.to_string());
    assert_eq!(r["to"], to.to_string());
    assert_eq!(r["group"], "severity");
    assert_eq!(r["overall"], json!({ "faults": 4, "mean_seconds": 282_600.0 }));
    assert_eq!(
        r["rows"],
        json!([
            { "key": "critical", "faults": 1, "mean_seconds": 172_800.0 },
            { "key": "high", "faults": 1, "mean_seconds": 86_400.0 },
            { "key": "low", "faults": 1, "mean_seconds": 7_200.0 },
            { "key": "medium", "faults": 1, "mean_seconds": 864_000.0 },
        ])
    );
    let rows = |r: &Value| {
        let mut rows: Vec<(String, i64, f64)> = r["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["key"].as_str().unwrap().to_owned(),
                    x["faults"].as_i64().unwrap(),
                    x["mean_seconds"].as_f64().unwrap(),
                )
            })
            .collect();
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        rows
    };
    let mut expected = vec![(f.v1.to_string(), 3, 319_200.0), (f.v2.to_string(), 1, 172_800.0)];
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(rows(&get(&app, &f.owner, &path("vessel")).await), expected);
    let mut expected = vec![(f.e1.clone(), 2, 46_800.0), (f.e2.clone(), 1, 864_000.0), (f.e3.clone(), 1, 172_800.0)];
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(rows(&get(&app, &f.owner, &path("equipment")).await), expected);

    // Months and ISO weeks of the resolutions, as UTC calendars count them.
    let resolutions = [(19 * DAY, 86_400), (5 * DAY - 7200, 7200), (50 * DAY, 864_000), (10 * DAY, 172_800)];
    for (group, format) in [("month", "%Y-%m"), ("week", "%G-W%V")] {
        let mut buckets: std::collections::BTreeMap<String, Vec<i64>> = Default::default();
        for (ago, secs) in resolutions {
            buckets.entry((now - Duration::seconds(ago)).format(format).to_string()).or_default().push(secs);
        }
        let expected: Vec<(String, i64, f64)> = buckets
            .into_iter()
            .map(|(k, v)| (k, v.len() as i64, v.iter().sum::<i64>() as f64 / v.len() as f64))
            .collect();
        assert_eq!(rows(&get(&app, &f.owner, &path(group)).await), expected, "{group}");
    }

    // Without a group: the overall figure only. An engineer counts only V1.
    let r = get(&app, &f.engineer, &format!("/api/v1/analytics/mttr?from={from}&to={to}")).await;
    assert_eq!(r["overall"], json!({ "faults": 3, "mean_seconds": 319_200.0 }));
    assert_eq!((r["group"].clone(), r["rows"].clone()), (Value::Null, json!([])));
    // A period ending before f9 was resolved (10 d ago) leaves it out.
    let early = (now - Duration::days(11)).date_naive();
    let r = get(&app, &f.owner, &format!("/api/v1/analytics/mttr?vessel_id={}&from={from}&to={early}", f.v2)).await;
    assert_eq!(r["overall"], json!({ "faults": 0, "mean_seconds": null }));

    // Bad parameters answer 422; crew 403 whatever they ask.
    let res = app.as_(&f.owner, Method::GET, "/api/v1/analytics/mttr?group=fortnight").send().await.unwrap();
    assert_eq!(assert_problem(res, 422, "validation_failed").await["errors"][0]["field"], "group");
    let res =
        app.as_(&f.owner, Method::GET, "/api/v1/analytics/mttr?from=2026-02-01&to=2026-01-01").send().await.unwrap();
    assert_eq!(assert_problem(res, 422, "validation_failed").await["errors"][0]["code"], "after_to");
    let res =
        app.as_(&f.owner, Method::GET, "/api/v1/analytics/mttr?from=1990-01-01&to=2026-01-01").send().await.unwrap();
    assert_eq!(assert_problem(res, 422, "validation_failed").await["errors"][0]["code"], "period_too_long");
    let res = app.as_(&f.owner, Method::GET, "/api/v1/analytics/mttr?from=yesterday").send().await.unwrap();
    assert_problem(res, 400, "invalid_query").await;
    let res = app.as_(&f.crew, Method::GET, "/api/v1/analytics/mttr?group=fortnight").send().await.unwrap();
    assert_problem(res, 403, "forbidden").await;
}

async fn costs_are_summed_by_vessel_and_month(app: TestApp) {
    let f = fleet(&app).await;
    let (v1, v2) = (f.v1.to_string(), f.v2.to_string());
    let r = get(&app, &f.manager, "/api/v1/analytics/costs?from=2021-01-01&to=2021-02-28").await;
    assert_eq!((r["from"].as_str(), r["to"].as_str()), (Some("2021-01-01"), Some("2021-02-28")));
    let row = |vessel: &str, month: &str, currency: &str, supplier: i64, customer: i64| {
        json!({ "vessel_id": vessel, "month": month, "currency": currency, "supplier_minor": supplier,
                "customer_minor": customer, "margin_minor": customer - supplier })
    };
    let mut february = vec![row(&v1, "2021-02", "USD", 1000, 1200), row(&v2, "2021-02", "EUR", 999, 1200)];
    february.sort_by_key(|r| r["vessel_id"].as_str().unwrap().to_owned());
    let rows = r["rows"].as_array().unwrap();
    assert_eq!(rows[0], row(&v1, "2021-01", "EUR", 7000, 8400));
    let mut got_february = rows[1..].to_vec();
    got_february.sort_by_key(|r| r["vessel_id"].as_str().unwrap().to_owned());
    assert_eq!(got_february, february);
    assert_eq!(
        r["totals"],
        json!([
            { "currency": "EUR", "supplier_minor": 7999, "customer_minor": 9600, "margin_minor": 1601 },
            { "currency": "USD", "supplier_minor": 1000, "customer_minor": 1200, "margin_minor": 200 },
        ])
    );
    // The last second of January is January's; the first of February is not.
    let r = get(&app, &f.owner, &format!("/api/v1/analytics/costs?from=2021-01-31&to=2021-01-31&vessel_id={v1}")).await;
    assert_eq!(r["rows"], json!([row(&v1, "2021-01", "EUR", 5000, 6000)]));
    let r = get(&app, &f.owner, &format!("/api/v1/analytics/costs?from=2021-01-01&to=2021-02-28&vessel_id={v2}")).await;
    assert_eq!(r["rows"], json!([row(&v2, "2021-02", "EUR", 999, 1200)]));
    // By default the last 365 days: the recent order only (the 95-day-old NOK one too).
    let r = get(&app, &f.owner, "/api/v1/analytics/costs").await;
    let currencies: Vec<&str> = r["totals"].as_array().unwrap().iter().filter_map(|t| t["currency"].as_str()).collect();
    assert_eq!(currencies, vec!["EUR", "NOK"]);
    assert_eq!(r["totals"][0]["supplier_minor"], 700);
    assert_eq!(
        r["totals"][1],
        json!({ "currency": "NOK", "supplier_minor": 100, "customer_minor": 120, "margin_minor": 20 })
    );
    // Money is for owners, admins and managers.
    for who in [&f.engineer, &f.crew] {
        let res = app.as_(who, Method::GET, "/api/v1/analytics/costs").send().await.unwrap();
        assert_problem(res, 403, "forbidden").await;
    }
}

/// The dashboard reads on two connections at once; on a store with a pool of one connection it
/// reads in turn, rather than wait on itself until the pool gives up.
async fn the_dashboard_answers_on_a_pool_of_one(backend: Backend) {
    let app = TestApp::spawn_on(backend, Some(1), |_| {}).await;
    let f = fleet(&app).await;
    let d = get(&app, &f.owner, "/api/v1/analytics/dashboard").await;
    assert_eq!(d["open_faults"]["total"], 5);
    assert_eq!(d["mttr_90d"], json!({ "faults": 4, "mean_seconds": 282_600.0 }));
    assert_eq!(d["mtbf_90d"], json!({ "items": 3, "intervals": 6, "mean_seconds": 1_539_600.0 }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_answers_on_a_sqlite_pool_of_one() {
    the_dashboard_answers_on_a_pool_of_one(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_answers_on_a_postgres_pool_of_one() {
    the_dashboard_answers_on_a_pool_of_one(Backend::Postgres).await;
}

crate::on_both_backends!(
    the_dashboard_shows_the_hand_checked_figures,
    mttr_is_grouped_by_vessel_equipment_severity_and_time,
    costs_are_summed_by_vessel_and_month,
);
