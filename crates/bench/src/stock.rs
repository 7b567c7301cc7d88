//! Stock on hand at scale (ADR 0007's target): a vessel holding 10,000 parts whose ledger has
//! 1,000,000 entries. Bosun answers `GET /vessels/{id}/stock` from the balance rows written with
//! each entry; the baseline is the same figures summed from the ledger at read time, the
//! alternative the ADR rejected.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use bosun_app::stock::CreateStockLocation;
use bosun_http::AppState;
use hyper::Method;
use sqlx::{Connection, PgConnection, SqliteConnection};

use crate::load::{Plan, Spec};
use crate::{Db, Report, fleet, login, measure};

/// What the stock part seeds.
pub(crate) struct Sizes {
    /// Parts held.
    pub parts: i64,
    /// Ledger entries, spread evenly over the parts.
    pub entries: i64,
}

const SQLITE_SEED: [&str; 3] = [
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $2 - 1)
     INSERT INTO parts (company_id, id, number, number_key, name, maker, unit, critical, equivalents, version,
                        created_at, updated_at)
     SELECT $1, randomblob(16), 'B-' || i, 'B' || i, 'Bench part ' || i, 'Bench', 'pcs', 0, '[]', 1, $3, $3 FROM n",
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $2 - 1)
     INSERT INTO stock_entries (company_id, id, vessel_id, location_id, part_id, movement, delta, recorded_by,
                                recorded_at, version, created_at)
     SELECT $1, randomblob(16), $4, $5, p.id, 'receive', 1000 + n.i, $6, $3, 1, $3
       FROM parts p CROSS JOIN n WHERE p.company_id = $1 AND p.number LIKE 'B-%'",
    "INSERT INTO stock_balances (company_id, id, vessel_id, location_id, part_id, on_hand, version, updated_at)
     SELECT $1, randomblob(16), $4, $5, part_id, sum(delta), 1, $3 FROM stock_entries
      WHERE company_id = $1 AND location_id = $5 GROUP BY part_id",
];

const POSTGRES_SEED: [&str; 3] = [
    "INSERT INTO parts (company_id, id, number, number_key, name, maker, unit, critical, equivalents, version,
                        created_at, updated_at)
     SELECT $1, gen_random_uuid(), 'B-' || i, 'B' || i, 'Bench part ' || i, 'Bench', 'pcs', false, '[]', 1, $3, $3
       FROM generate_series(0, $2 - 1) i",
    "INSERT INTO stock_entries (company_id, id, vessel_id, location_id, part_id, movement, delta, recorded_by,
                                recorded_at, version, created_at)
     SELECT $1, gen_random_uuid(), $4, $5, p.id, 'receive', 1000 + n.i, $6, $3, 1, $3
       FROM parts p CROSS JOIN generate_series(0, $2 - 1) AS n(i) WHERE p.company_id = $1 AND p.number LIKE 'B-%'",
    "INSERT INTO stock_balances (company_id, id, vessel_id, location_id, part_id, on_hand, version, updated_at)
     SELECT $1, gen_random_uuid(), $4, $5, part_id, sum(delta), 1, $3 FROM stock_entries
      WHERE company_id = $1 AND location_id = $5 GROUP BY part_id",
];

/// The baseline: on hand summed from the ledger, as a read would without the balance rows.
const LEDGER_SUM: &str = "SELECT part_id, location_id, sum(delta) AS on_hand FROM stock_entries
                           WHERE company_id = $1 AND vessel_id = $2 GROUP BY part_id, location_id";

/// Seeds the parts, the ledger and its balances straight into the database (through the use
/// cases a million entries would take the bench most of an hour), after a location made the
/// ordinary way. Answers the seconds it took.
async fn seed(app: &AppState, db: &Db, f: &fleet::Fleet, sizes: &Sizes) -> anyhow::Result<f64> {
    let started = Instant::now();
    let owner = bosun_app::Actor::system(f.company.id, f.owner.0, bosun_domain::person::Role::Owner);
    let place = CreateStockLocation { id: None, vessel_id: f.vessel, name: "Bench store".into(), parent_id: None };
    let location = app.mutate(&owner, place).await.map_err(|e| anyhow!("{e:?}"))?.row.id;
    let per_part = (sizes.entries / sizes.parts).max(1);
    let now = app.now();
    macro_rules! run_seed {
        ($conn:expr, $sqls:expr) => {
            for (i, sql) in $sqls.iter().enumerate() {
                let n = if i == 0 { sizes.parts } else { per_part };
                sqlx::query(*sql)
                    .bind(f.company.id.0)
                    .bind(n)
                    .bind(now)
                    .bind(f.vessel.0)
                    .bind(location.0)
                    .bind(f.owner.0.0)
                    .execute(&mut $conn)
                    .await
                    .with_context(|| format!("seeding stock, statement {i}"))?;
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
            sqlx::query("ANALYZE parts, stock_entries, stock_balances").execute(&mut conn).await?;
            conn.close().await?;
        }
    }
    db.checkpoint().await?;
    Ok(started.elapsed().as_secs_f64())
}

/// The baseline's answer times: the ledger summed, one query at a time, `runs` times.
async fn ledger_sums(db: &Db, f: &fleet::Fleet, runs: usize) -> anyhow::Result<Vec<Duration>> {
    let mut took = Vec::with_capacity(runs);
    macro_rules! time_sums {
        ($conn:expr) => {
            for _ in 0..runs {
                let start = Instant::now();
                let rows = sqlx::query(LEDGER_SUM).bind(f.company.id.0).bind(f.vessel.0).fetch_all(&mut $conn).await?;
                took.push(start.elapsed());
                anyhow::ensure!(!rows.is_empty(), "the ledger sum found no stock");
            }
        };
    }
    match db {
        Db::Sqlite(path) => {
            let mut conn = SqliteConnection::connect(&format!("sqlite://{}", path.display())).await?;
            time_sums!(conn);
            conn.close().await?;
        }
        Db::Postgres(pg) => {
            let mut conn = PgConnection::connect(&pg.owner_url()).await?;
            time_sums!(conn);
            conn.close().await?;
        }
    }
    took.sort();
    Ok(took)
}

/// Seeds, then measures Bosun's stock answer and the baseline's sums, into the report.
pub(crate) async fn run(
    all_ok: &mut bool,
    report: &mut Report,
    (app, bosun, db): (&AppState, SocketAddr, &Db),
    f: &fleet::Fleet,
    sizes: Sizes,
    (warmup, measured): (Duration, Duration),
) -> anyhow::Result<()> {
    eprintln!("seeding {} parts and {} ledger entries…", sizes.parts, sizes.entries);
    let seeding = seed(app, db, f, &sizes).await?;
    eprintln!("  seeded in {seeding:.1} s");
    let owner: Arc<str> = login(bosun, &f.owner.1, f.company.slug.as_str()).await?.into();
    let path = format!("/api/v1/vessels/{}/stock", f.vessel);
    let ours = measure(
        all_ok,
        "bosun stock",
        bosun,
        Plan { connections: 1, warmup, measure: measured, at_least: 20 },
        Arc::new(move |_, _| Spec { method: Method::GET, path: path.clone(), json: None, token: Some(owner.clone()) }),
    )
    .await?;
    let sums = ledger_sums(db, f, 20).await?;
    // The use case alone, in this process: the store's reads and the lines, without HTTP or JSON.
    let actor = bosun_app::Actor::system(f.company.id, f.owner.0, bosun_domain::person::Role::Owner);
    let mut alone = Vec::new();
    for _ in 0..20 {
        let start = Instant::now();
        let stock = app.stock.vessel_stock(&actor, f.vessel, false).await.map_err(|e| anyhow!("{e:?}"))?;
        alone.push(start.elapsed());
        anyhow::ensure!(stock.lines.len() as i64 >= sizes.parts, "every part has a line");
    }
    alone.sort();
    report.stock(&sizes, &ours, &sums, seeding);
    report.note(format!(
        "stock: the use case alone (store reads and lines, no HTTP or JSON) takes {:.1} ms (median of {}).",
        alone[alone.len() / 2].as_secs_f64() * 1000.0,
        alone.len()
    ));
    Ok(())
}
