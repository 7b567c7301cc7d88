//! The data the bench measures on: a company with a vessel of equipment built through Bosun's
//! own services (so every row, change-log entry and audit entry is as the API writes them),
//! and, for the dashboard, up to a million faults with parts orders written straight through
//! the store in a few big transactions.

use bosun_app::accounts::users::NewPerson;
use bosun_app::fleet::equipment::{CheckedFields, CreateEquipment, EquipmentFields, RecordReading, check_fields};
use bosun_app::fleet::vessels::{CreateVessel, JoinRotation, VesselInput, check_vessel};
use bosun_app::maintenance::faults::ReportFault;
use bosun_app::{Actor, RequestMeta};
use bosun_domain::company::{Company, MarkupBasisPoints};
use bosun_domain::equipment::{Area, Criticality, Equipment, EquipmentLevel, EquipmentStatus};
use bosun_domain::fault::{Fault, FaultStatus, Severity, repair_seconds};
use bosun_domain::parts::{PartsOrder, PartsOrderStatus, customer_unit_price};
use bosun_domain::person::Role;
use bosun_domain::vessel::Vessel;
use bosun_domain::{EquipmentId, FaultId, PartsOrderId, UserId, VesselId};
use bosun_http::AppState;
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The password of the bench's people.
pub(crate) const PASSWORD: &str = "bench password of some length";

/// What the bench seeded.
pub(crate) struct Fleet {
    /// The company.
    pub company: Company,
    /// Its owner (fleet-wide: reads the whole company's dashboard).
    pub owner: (UserId, String),
    /// The chief engineer, a member of the first vessel: the reads and fault reports are theirs.
    pub engineer: (UserId, String),
    /// The vessel the engineer serves on.
    pub vessel: VesselId,
    /// Its equipment.
    pub items: Vec<EquipmentId>,
}

fn actor(company: &Company, user: UserId, role: Role) -> Actor {
    Actor::system(company.id, user, role)
}

fn err(e: bosun_app::Error) -> anyhow::Error {
    anyhow::anyhow!("{e:?}")
}

/// Seeds a company, its owner and chief engineer, one vessel with `items` items of equipment
/// (systems with equipment below them), each with a few meter readings and faults.
pub(crate) async fn seed(app: &AppState, items: usize) -> anyhow::Result<Fleet> {
    let meta = RequestMeta { user_agent: Some("bosun-bench".into()), ..RequestMeta::default() };
    let company = app.companies.create("benchline", "Benchline Offshore AS", &meta).await.map_err(err)?;
    // The load generator is one person making thousands of requests a second: an enterprise
    // plan with an agreed rate far above it, so the limits are counted but never refuse.
    app.companies.set_plan("benchline", "enterprise", Some(1_000_000_000), &meta).await.map_err(err)?;
    let person = |email: &str, role: Role| NewPerson {
        email: email.into(),
        name: email.split('@').next().unwrap_or("someone").into(),
        password: Some(PASSWORD.into()),
        role: role.as_str().into(),
        specialisation: None,
    };
    let owner =
        app.users.add(company.id, None, &meta, person("owner@benchline.example", Role::Owner)).await.map_err(err)?;
    let owner_actor = actor(&company, owner.0.user.id, Role::Owner);
    let engineer = app
        .users
        .add(company.id, Some(owner.0.user.id), &meta, person("chief@benchline.example", Role::Engineer))
        .await
        .map_err(err)?;
    let star = check_vessel(&VesselInput {
        kind: "vessel".into(),
        name: "Bench Star".into(),
        vessel_type: Some("platform supply vessel".into()),
        imo: None,
        specs: None,
    })
    .map_err(err)?;
    let vessel = app.mutate(&owner_actor, CreateVessel { id: None, fields: star }).await.map_err(err)?;
    let rotation = JoinRotation {
        vessel_id: vessel.id,
        user_id: Some(engineer.0.user.id),
        department_id: None,
        rotation_start: Utc::now().date_naive() - Duration::days(10),
        rotation_end: None,
    };
    app.mutate(&owner_actor, rotation).await.map_err(err)?;

    // Systems first (one per 20 items), then equipment under them, created concurrently as
    // crews onboarding a vessel would.
    let systems = items.div_ceil(20).max(1);
    let mut parents = Vec::new();
    for s in 0..systems {
        let fields = fields(None, "system", &format!("System {s}"));
        let item =
            app.mutate(&owner_actor, CreateEquipment { id: None, vessel_id: vessel.id, fields }).await.map_err(err)?;
        parents.push(item.item.id);
    }
    let mut ids = parents.clone();
    let mut pending = Vec::new();
    for n in systems..items {
        let app = app.clone();
        let owner_actor = owner_actor.clone();
        let parent = parents[n % parents.len()];
        pending.push(tokio::spawn(async move {
            let fields = fields(Some(parent), "equipment", &format!("Item {n}"));
            app.mutate(&owner_actor, CreateEquipment { id: None, vessel_id: vessel.id, fields }).await
        }));
    }
    for p in pending {
        ids.push(p.await?.map_err(err)?.item.id);
    }

    // Running hours and a short fault history on every item, as the engineer reports them.
    let engineer_actor = actor(&company, engineer.0.user.id, Role::Engineer);
    let mut pending = Vec::new();
    for (n, id) in ids.iter().copied().enumerate() {
        let app = app.clone();
        let engineer_actor = engineer_actor.clone();
        pending.push(tokio::spawn(async move {
            for r in 0..5u32 {
                let reading = RecordReading {
                    equipment_id: id,
                    id: None,
                    hours: f64::from(1000 * (r + 1)),
                    meter_replaced: false,
                    read_at: Some(Utc::now() - Duration::days(i64::from(50 - 10 * r))),
                };
                app.mutate(&engineer_actor, reading).await?;
            }
            for f in 0..3 {
                let report = ReportFault {
                    id: None,
                    equipment_id: id,
                    severity: [Severity::Low, Severity::Medium, Severity::High][(n + f) % 3],
                    title: format!("Leak seen on rounds ({f})"),
                    description: "A small weep at the flange.".into(),
                    observed_at: Some(Utc::now() - Duration::days(30 - 10 * f as i64)),
                };
                app.mutate(&engineer_actor, report).await?;
            }
            Ok::<_, bosun_app::Error>(())
        }));
    }
    for p in pending {
        p.await?.map_err(err)?;
    }
    Ok(Fleet {
        company,
        owner: (owner.0.user.id, "owner@benchline.example".into()),
        engineer: (engineer.0.user.id, "chief@benchline.example".into()),
        vessel: vessel.id,
        items: ids,
    })
}

fn fields(parent: Option<EquipmentId>, level: &str, name: &str) -> CheckedFields {
    check_fields(&EquipmentFields {
        parent_id: parent,
        level: level.into(),
        area: "engine_room".into(),
        name: name.into(),
        equipment_type: Some("pump".into()),
        maker: Some("Framo".into()),
        model: Some("SB-100".into()),
        serial_number: Some(format!("SN-{name}")),
        criticality: Some("high".into()),
        status: None,
        specs: Some(serde_json::json!({ "flow_m3h": 120 })),
    })
    .expect("the bench's fields are valid")
}

/// Adds `to_add` faults for the dashboard: nine more vessels of 100 items each, then faults
/// over the last three years on every item (1 % still unresolved from long ago, more among
/// recent ones), and a parts order for about every fiftieth fault. Written straight through
/// the store, `per_tx` rows to a transaction. Deterministic but for ids and times.
pub(crate) async fn add_faults(app: &AppState, fleet: &Fleet, to_add: u64, per_tx: usize) -> anyhow::Result<()> {
    let store = app.store.clone();
    let company = fleet.company.id;
    let reporter = fleet.engineer.0;
    let now = Utc::now();
    let mut items: Vec<(VesselId, EquipmentId)> = fleet.items.iter().map(|i| (fleet.vessel, *i)).collect();
    let mut tx = store.begin(Some(company)).await?;
    for v in 1..10 {
        let vessel = Vessel {
            id: VesselId::new(),
            company_id: company,
            kind: bosun_domain::vessel::VesselKind::Vessel,
            name: format!("Bench Vessel {v}"),
            vessel_type: Some("anchor handling tug".into()),
            imo: None,
            specs: "{}".into(),
            version: 1,
            created_at: now,
            updated_at: now,
        };
        tx.insert_vessel(&vessel).await?;
        for n in 0..100 {
            let id = EquipmentId::new();
            tx.insert_equipment(&Equipment {
                id,
                company_id: company,
                vessel_id: vessel.id,
                parent_id: None,
                level: EquipmentLevel::Equipment,
                area: Area::EngineRoom,
                name: format!("Item {v}-{n}"),
                equipment_type: None,
                maker: None,
                model: None,
                serial_number: None,
                criticality: Criticality::Medium,
                status: EquipmentStatus::Operational,
                specs: "{}".into(),
                qr_code: format!("B{}", id.0.simple()),
                version: 1,
                created_at: now,
                updated_at: now,
            })
            .await?;
            items.push((vessel.id, id));
        }
    }
    tx.commit().await?;

    let mut rng = StdRng::seed_from_u64(0xB05);
    let mut added = 0u64;
    while added < to_add {
        let n = (to_add - added).min(per_tx as u64);
        let mut tx = store.begin(Some(company)).await?;
        for _ in 0..n {
            let (vessel, item) = items[rng.random_range(0..items.len())];
            let f = fault(&mut rng, company, vessel, item, reporter, now);
            tx.insert_fault(&f).await?;
            if rng.random_range(0..50) == 0 {
                tx.insert_legacy_parts_order(&order(&mut rng, &f, now)).await?;
            }
        }
        tx.commit().await?;
        added += n;
    }
    Ok(())
}

fn fault(
    rng: &mut StdRng,
    company: bosun_domain::CompanyId,
    vessel: VesselId,
    item: EquipmentId,
    reporter: UserId,
    now: DateTime<Utc>,
) -> Fault {
    const THREE_YEARS: i64 = 3 * 365 * 86_400;
    let age = rng.random_range(0..THREE_YEARS);
    let observed_at = now - Duration::seconds(age);
    let severity = match rng.random_range(0..100) {
        0..40 => Severity::Low,
        40..75 => Severity::Medium,
        75..95 => Severity::High,
        _ => Severity::Critical,
    };
    let unresolved_share = if age < 7 * 86_400 {
        40
    } else if age < 30 * 86_400 {
        15
    } else {
        1
    };
    let mut f = Fault {
        id: FaultId::new(),
        company_id: company,
        vessel_id: vessel,
        equipment_id: item,
        severity,
        status: FaultStatus::Open,
        title: format!("{severity} fault seen on rounds"),
        description: "Found during the engine room round.".into(),
        reported_by: reporter,
        observed_at,
        received_at: observed_at,
        acknowledged_at: None,
        assignee_id: None,
        resolved_at: None,
        resolved_by: None,
        root_cause: None,
        resolution: None,
        repair_seconds: None,
        closed_at: None,
        version: 1,
        created_at: observed_at,
        updated_at: observed_at,
    };
    if rng.random_range(0..100) < unresolved_share {
        f.status = [FaultStatus::Open, FaultStatus::Acknowledged, FaultStatus::InProgress, FaultStatus::AwaitingParts]
            [rng.random_range(0..4)];
        f.acknowledged_at = (f.status != FaultStatus::Open).then_some(observed_at);
        return f;
    }
    let resolved_at = (observed_at + Duration::seconds(rng.random_range(3600..14 * 86_400))).min(now);
    let closed = resolved_at < now - Duration::days(7) && rng.random_range(0..10) < 7;
    Fault {
        status: if closed { FaultStatus::Closed } else { FaultStatus::Resolved },
        acknowledged_at: Some(observed_at),
        resolved_at: Some(resolved_at),
        resolved_by: Some(reporter),
        root_cause: Some("wear".into()),
        resolution: Some("replaced the gasket".into()),
        repair_seconds: Some(repair_seconds(observed_at, resolved_at)),
        closed_at: closed.then_some(resolved_at),
        updated_at: resolved_at,
        ..f
    }
}

fn order(rng: &mut StdRng, f: &Fault, now: DateTime<Utc>) -> PartsOrder {
    let at = (f.observed_at + Duration::hours(6)).min(now);
    let supplier_unit = rng.random_range(500..200_000);
    PartsOrder {
        id: PartsOrderId::new(),
        company_id: f.company_id,
        fault_id: f.id,
        vessel_id: f.vessel_id,
        part_name: "gasket set".into(),
        part_number: Some("GS-100".into()),
        quantity: rng.random_range(1..5),
        supplier: "Chandler & Co".into(),
        supplier_unit_minor: supplier_unit,
        customer_unit_minor: customer_unit_price(supplier_unit, MarkupBasisPoints::DEFAULT),
        currency: if rng.random_range(0..5) == 0 { "USD".into() } else { "EUR".into() },
        markup_bp: MarkupBasisPoints::DEFAULT.0,
        status: if f.status.is_unresolved() { PartsOrderStatus::Ordered } else { PartsOrderStatus::Received },
        requested_by: f.reported_by,
        status_changed_at: at,
        version: 1,
        created_at: at,
        updated_at: at,
    }
}
