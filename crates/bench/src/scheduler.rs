//! The maintenance scheduler at scale (ADR 0007's target): 10,000 items on ten vessels, each
//! with a plan whose occurrence falls due, one in four also counting running hours from a
//! meter reading. One scheduler run must generate every due work order in ≤ 2 s, exactly once
//! (a second run generates none). The baseline is the floor: the same 10,000 work-order rows
//! written by one `INSERT … SELECT` on a direct connection, with no change log, no audit and
//! nothing judged.

use std::time::Instant;

use anyhow::{Context, anyhow};
use bosun_app::fleet::vessels::{CreateVessel, VesselInput, check_vessel};
use bosun_domain::VesselId;
use bosun_http::AppState;
use sqlx::{Connection, PgConnection, SqliteConnection};

use crate::{Db, Report, fleet};

/// Vessels the items are spread over.
const VESSELS: usize = 10;

const SQLITE_SEED: [&str; 3] = [
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $2 - 1)
     INSERT INTO equipment (company_id, id, vessel_id, level, area, name, criticality, status, specs, qr_code, version,
                            created_at, updated_at)
     SELECT $1, randomblob(16), $3, 'equipment', 'engine_room', 'Bench item ' || i, 'high', 'operational', '{}',
            'BQ' || hex(randomblob(8)), 1, $4, $4 FROM n",
    "INSERT INTO meter_readings (company_id, id, equipment_id, hours, meter_replaced, read_at, recorded_by, created_at)
     SELECT company_id, randomblob(16), id, 1480, 0, $4, NULL, $4 FROM equipment
      WHERE company_id = $1 AND vessel_id = $3 AND name LIKE 'Bench item %' AND rowid % 4 = 0",
    "INSERT INTO maintenance_plans (company_id, id, vessel_id, equipment_id, title, description, priority, criteria,
                                    starts_on, start_hours, lead_days, steps, signature_required, estimated_minutes,
                                    assignees, occurrence, due_on, due_hours, next_check_at, created_by, version,
                                    created_at, updated_at)
     SELECT e.company_id, randomblob(16), e.vessel_id, e.id, 'Monthly rounds', '', 'normal',
            CASE WHEN r.id IS NULL
                 THEN '[{\"kind\":\"calendar\",\"every\":1,\"unit\":\"months\",\"basis\":\"from_schedule\",\"early\":3,\"late\":3}]'
                 ELSE '[{\"kind\":\"calendar\",\"every\":1,\"unit\":\"months\",\"basis\":\"from_schedule\",\"early\":3,\"late\":3},{\"kind\":\"running_hours\",\"every\":500,\"early\":25,\"late\":25}]'
            END,
            $5, CASE WHEN r.id IS NULL THEN NULL ELSE 1000 END, 10,
            '[{\"id\":\"01900000-0000-7000-8000-000000000001\",\"title\":\"Checked\",\"kind\":\"pass_fail\",\"required\":true}]',
            0, 60, '[]', 0, $6, CASE WHEN r.id IS NULL THEN NULL ELSE 1500 END, $4, $7, 1, $4, $4
       FROM equipment e LEFT JOIN meter_readings r ON r.company_id = e.company_id AND r.equipment_id = e.id
      WHERE e.company_id = $1 AND e.vessel_id = $3 AND e.name LIKE 'Bench item %'",
];

const POSTGRES_SEED: [&str; 3] = [
    "INSERT INTO equipment (company_id, id, vessel_id, level, area, name, criticality, status, specs, qr_code, version,
                            created_at, updated_at)
     SELECT $1, gen_random_uuid(), $3, 'equipment', 'engine_room', 'Bench item ' || i, 'high', 'operational', '{}',
            'BQ' || md5(random()::text), 1, $4, $4 FROM generate_series(0, $2 - 1) i",
    "INSERT INTO meter_readings (company_id, id, equipment_id, hours, meter_replaced, read_at, recorded_by, created_at)
     SELECT company_id, gen_random_uuid(), id, 1480, false, $4, NULL, $4 FROM equipment
      WHERE company_id = $1 AND vessel_id = $3 AND name LIKE 'Bench item %' AND get_byte(uuid_send(id), 15) % 4 = 0",
    "INSERT INTO maintenance_plans (company_id, id, vessel_id, equipment_id, title, description, priority, criteria,
                                    starts_on, start_hours, lead_days, steps, signature_required, estimated_minutes,
                                    assignees, occurrence, due_on, due_hours, next_check_at, created_by, version,
                                    created_at, updated_at)
     SELECT e.company_id, gen_random_uuid(), e.vessel_id, e.id, 'Monthly rounds', '', 'normal',
            CASE WHEN r.id IS NULL
                 THEN '[{\"kind\":\"calendar\",\"every\":1,\"unit\":\"months\",\"basis\":\"from_schedule\",\"early\":3,\"late\":3}]'::jsonb
                 ELSE '[{\"kind\":\"calendar\",\"every\":1,\"unit\":\"months\",\"basis\":\"from_schedule\",\"early\":3,\"late\":3},{\"kind\":\"running_hours\",\"every\":500,\"early\":25,\"late\":25}]'::jsonb
            END,
            $5, CASE WHEN r.id IS NULL THEN NULL ELSE 1000 END, 10,
            '[{\"id\":\"01900000-0000-7000-8000-000000000001\",\"title\":\"Checked\",\"kind\":\"pass_fail\",\"required\":true}]',
            false, 60, '[]', 0, $6, CASE WHEN r.id IS NULL THEN NULL ELSE 1500 END, $4, $7, 1, $4, $4
       FROM equipment e LEFT JOIN meter_readings r ON r.company_id = e.company_id AND r.equipment_id = e.id
      WHERE e.company_id = $1 AND e.vessel_id = $3 AND e.name LIKE 'Bench item %'",
];

/// The baseline: one work-order row per plan, written in one statement.
const BASELINE: &str = "INSERT INTO work_orders (company_id, id, vessel_id, equipment_id, origin, plan_id, occurrence,
        title, description, priority, assignees, due_on, estimated_minutes, steps, signature_required, status,
        created_by, version, created_at, updated_at)
    SELECT company_id, id, vessel_id, equipment_id, 'plan', id, 1, title, description, priority, assignees, due_on,
           estimated_minutes, steps, signature_required, 'open', created_by, 1, created_at, updated_at
      FROM maintenance_plans WHERE company_id = $1";

/// Ten vessels of `items / 10` items, each with a due plan, seeded straight into the database
/// (10,000 plans through the use cases would take the bench minutes). Answers the plans made.
async fn seed(app: &AppState, db: &Db, f: &fleet::Fleet, items: i64) -> anyhow::Result<i64> {
    let owner = bosun_app::Actor::system(f.company.id, f.owner.0, bosun_domain::person::Role::Owner);
    let now = app.now();
    let today = now.date_naive();
    let starts_on = today - chrono::Duration::days(25);
    let due_on = starts_on.checked_add_months(chrono::Months::new(1)).context("a due date")?;
    let mut vessels: Vec<VesselId> = Vec::new();
    for v in 0..VESSELS {
        let fields = check_vessel(&VesselInput {
            kind: "vessel".into(),
            name: format!("Scheduler Bench {v}"),
            vessel_type: None,
            imo: None,
            specs: None,
        })
        .map_err(|e| anyhow!("{e:?}"))?;
        vessels.push(app.mutate(&owner, CreateVessel { id: None, fields }).await.map_err(|e| anyhow!("{e:?}"))?.id);
    }
    let per_vessel = items / VESSELS as i64;
    macro_rules! run_seed {
        ($conn:expr, $sqls:expr) => {
            for vessel in &vessels {
                for (i, sql) in $sqls.iter().enumerate() {
                    sqlx::query(*sql)
                        .bind(f.company.id.0)
                        .bind(per_vessel)
                        .bind(vessel.0)
                        .bind(now)
                        .bind(starts_on)
                        .bind(due_on)
                        .bind(f.owner.0.0)
                        .execute(&mut $conn)
                        .await
                        .with_context(|| format!("seeding plans, statement {i}"))?;
                }
            }
        };
    }
    match db {
        Db::Sqlite(path) => {
            let mut conn = SqliteConnection::connect(&format!("sqlite://{}", path.display())).await?;
            sqlx::query("PRAGMA busy_timeout = 60000").execute(&mut conn).await?;
            run_seed!(conn, SQLITE_SEED);
            conn.close().await?;
        }
        Db::Postgres(pg) => {
            let mut conn = PgConnection::connect(&pg.owner_url()).await?;
            run_seed!(conn, POSTGRES_SEED);
            sqlx::query("ANALYZE equipment, meter_readings, maintenance_plans").execute(&mut conn).await?;
            conn.close().await?;
        }
    }
    db.checkpoint().await?;
    Ok(per_vessel * VESSELS as i64)
}

/// Counts `sql`'s single number on a direct connection.
async fn count(db: &Db, sql: &str, company: uuid::Uuid) -> anyhow::Result<i64> {
    Ok(match db {
        Db::Sqlite(path) => {
            let mut conn = SqliteConnection::connect(&format!("sqlite://{}", path.display())).await?;
            let n = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(company).fetch_one(&mut conn).await?;
            conn.close().await?;
            n
        }
        Db::Postgres(pg) => {
            let mut conn = PgConnection::connect(&pg.owner_url()).await?;
            let n = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(company).fetch_one(&mut conn).await?;
            conn.close().await?;
            n
        }
    })
}

/// The baseline's seconds: the plans' rows copied into work orders in one statement, inside a
/// transaction rolled back (so Bosun's run, measured first, is not disturbed by it).
async fn baseline(db: &Db, company: uuid::Uuid) -> anyhow::Result<f64> {
    macro_rules! timed {
        ($conn:expr) => {{
            let mut tx = $conn.begin().await?;
            let start = Instant::now();
            sqlx::query(BASELINE).bind(company).execute(&mut *tx).await.context("the baseline insert")?;
            let took = start.elapsed().as_secs_f64();
            tx.rollback().await?;
            took
        }};
    }
    Ok(match db {
        Db::Sqlite(path) => {
            let mut conn = SqliteConnection::connect(&format!("sqlite://{}", path.display())).await?;
            let took = timed!(conn);
            conn.close().await?;
            took
        }
        Db::Postgres(pg) => {
            let mut conn = PgConnection::connect(&pg.owner_url()).await?;
            let took = timed!(conn);
            conn.close().await?;
            took
        }
    })
}

/// Seeds, runs the scheduler twice and the baseline once, into the report.
pub(crate) async fn run(
    all_ok: &mut bool,
    report: &mut Report,
    (app, db): (&AppState, &Db),
    f: &fleet::Fleet,
    items: i64,
) -> anyhow::Result<()> {
    eprintln!("seeding {items} items with due plans on {VESSELS} vessels…");
    let seeded = Instant::now();
    let plans = seed(app, db, f, items).await?;
    eprintln!("  seeded in {:.1} s", seeded.elapsed().as_secs_f64());
    let store = app.store.clone();
    let start = Instant::now();
    let first =
        app.plans.schedule_all(&*store, bosun_app::plans::SCHEDULER_BATCH).await.map_err(|e| anyhow!("{e:?}"))?;
    let took = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let second =
        app.plans.schedule_all(&*store, bosun_app::plans::SCHEDULER_BATCH).await.map_err(|e| anyhow!("{e:?}"))?;
    let idle = start.elapsed().as_secs_f64();
    let company = f.company.id.0;
    let orders =
        count(db, "SELECT count(*) FROM work_orders WHERE company_id = $1 AND plan_id IS NOT NULL", company).await?;
    let distinct = count(
        db,
        "SELECT count(*) FROM (SELECT DISTINCT plan_id, occurrence FROM work_orders WHERE company_id = $1 AND plan_id IS NOT NULL) d",
        company,
    )
    .await?;
    let base = baseline(db, company).await?;
    let once = first.generated as i64 == plans && second.generated == 0 && orders == plans && distinct == plans;
    if !once {
        *all_ok = false;
    }
    report.scheduler(plans, took, base, once);
    report.note(format!(
        "scheduler: {plans} plans on {VESSELS} vessels (one in four also counting running hours from a reading), all \
         due: the first run looked at {} and generated {} work orders (each with its change-log and audit rows, {} \
         per transaction, vessel by vessel) in {took:.2} s; the second looked at {} and generated {} in {idle:.2} s; \
         the database holds {orders} plan work orders, {distinct} distinct (plan, occurrence). The baseline writes the \
         same rows with one INSERT … SELECT (no change log, no audit, nothing judged).",
        first.checked,
        first.generated,
        bosun_app::plans::SCHEDULER_BATCH,
        second.checked,
        second.generated,
    ));
    Ok(())
}
