//! The demo fleet seeded by `bosun serve --demo` on an empty database: two companies so that
//! isolation shows, people in every role on two rotations, vessels with departments, each
//! vessel's equipment registry with six months of running hours, and six months of history on
//! it: faults in every state with comments, parts orders, and crew handovers (`history.rs`,
//! drawing on the library of faults in `troubles.rs`).

#![cfg_attr(test, allow(clippy::disallowed_methods))]

mod fleet;
mod history;
mod jobs;
mod plans;
mod plant;
mod purchasing;
mod stores;
mod troubles;

use std::collections::HashMap;

use bosun_domain::person::Role;
use bosun_domain::{DepartmentId, UserId, VesselId};
use chrono::{Datelike, Duration, NaiveDate};

use self::history::{Crew, Hand, On, PartsPlan, Plan, ROTATION_DAYS, Reopen, Script, Team};
use self::troubles::{
    CRANE_SLEW_LEAK, JACKET_WATER_LEAK, PINION_OVERHEATING, PURIFIER_SEAL, SHARK_JAW_CYLINDER, THRUSTER_EARTH_FAULT,
    TROUBLES, Trade, Trouble, WINCH_BRAKE_SLIPPING,
};
use crate::fleet::{Hull, seed_of};
use bosun_app::App;
use bosun_app::accounts::companies::{BrandingInput, UpdateBranding};
use bosun_app::accounts::users::NewPerson;
use bosun_app::fleet::vessels::{AddDepartment, CreateVessel, JoinRotation, VesselInput, check_vessel};
use bosun_app::{Actor, Error, RequestMeta, Result};

/// The password of every demo login.
pub const DEMO_PASSWORD: &str = "bosun-demo-2026";

/// The demo logins, for the README and the start-up banner.
pub const DEMO_LOGINS: [(&str, &str); 9] = [
    ("northwind", "owner@northwind.example"),
    ("northwind", "admin@northwind.example"),
    ("northwind", "manager@northwind.example"),
    ("northwind", "engineer@northwind.example"),
    ("northwind", "crew@northwind.example"),
    ("northwind", "viewer@northwind.example"),
    ("northwind", "operator@northwind.example"),
    ("northwind", "site.engineer@northwind.example"),
    ("harbourline", "owner@harbourline.example"),
];

/// A demo person: email, name, role, specialisation, and the vessel (index into the fleet)
/// and rotation they work on.
type Person = (&'static str, &'static str, Role, Option<&'static str>, Option<(usize, Team)>);

/// Northwind's people besides the owner. Team A is on board now, team B went ashore at the
/// last crew change.
const NORTHWIND_PEOPLE: &[Person] = &[
    ("admin@northwind.example", "Lars Eide", Role::Admin, None, None),
    ("manager@northwind.example", "Maria Costa", Role::Manager, None, None),
    ("engineer@northwind.example", "Tomasz Nowak", Role::Engineer, Some("mechanical"), Some((0, Team::A))),
    ("crew@northwind.example", "Aroha Ngata", Role::Crew, Some("deck"), Some((1, Team::A))),
    ("viewer@northwind.example", "Client Auditor", Role::Viewer, None, Some((0, Team::A))),
    ("erik.dahl@northwind.example", "Erik Dahl", Role::Engineer, Some("mechanical"), Some((0, Team::B))),
    ("priya.nair@northwind.example", "Priya Nair", Role::Engineer, Some("electrical"), Some((0, Team::B))),
    ("jonas.berg@northwind.example", "Jonas Berg", Role::Crew, Some("deck"), Some((0, Team::A))),
    ("kristian.lund@northwind.example", "Kristian Lund", Role::Engineer, Some("mechanical"), Some((1, Team::A))),
    ("mateus.silva@northwind.example", "Mateus Silva", Role::Engineer, Some("electrical"), Some((1, Team::B))),
    ("ola.hansen@northwind.example", "Ola Hansen", Role::Crew, Some("deck"), Some((1, Team::B))),
    ("sven.aasen@northwind.example", "Sven Aasen", Role::Engineer, Some("mechanical"), Some((2, Team::A))),
    ("daniel.okafor@northwind.example", "Daniel Okafor", Role::Engineer, Some("electrical"), Some((2, Team::B))),
    ("liam.byrne@northwind.example", "Liam Byrne", Role::Crew, Some("deck"), Some((2, Team::A))),
    // The quay extension project's plant operator and site engineer (`plant.rs`).
    ("operator@northwind.example", "Anders Moen", Role::Crew, Some("hydraulics"), None),
    ("site.engineer@northwind.example", "Hanne Vik", Role::Engineer, Some("mechanical"), None),
];

/// Faults drawn from the library per Northwind vessel, besides the scripted ones.
const RANDOM_FAULTS: [usize; 3] = [78, 72, 64];

/// Seeds the demo when the database has no company yet. Answers whether it seeded.
pub async fn seed_if_empty(app: &App) -> Result<bool> {
    let (companies, users, equipment) = (&app.companies, &app.users, &app.equipment);
    {
        let mut tx = companies.deps.store.begin_read(None).await?;
        if !tx.list_company_ids().await?.is_empty() {
            return Ok(false);
        }
    }
    let meta = RequestMeta { user_agent: Some("bosun demo seed".into()), ..Default::default() };
    let now = companies.deps.clock.now();
    let today = now.date_naive();
    let rotation_start = today - Duration::days(i64::from(today.ordinal0() % 28));
    let crew_change = rotation_start.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();

    companies.create("northwind", "Northwind Offshore AS", &meta).await?;
    // A fleet operator of three vessels is on the larger plan; the yacht charterer on the basic.
    let nw = companies.set_plan("northwind", "pro", None, &meta).await?;
    let person = |email: &str, name: &str, role: Role, spec: Option<&str>| NewPerson {
        email: email.into(),
        name: name.into(),
        password: Some(DEMO_PASSWORD.into()),
        role: role.as_str().into(),
        specialisation: spec.map(str::to_owned),
    };
    let (owner, _) =
        users.add(nw.id, None, &meta, person("owner@northwind.example", "Ingrid Solberg", Role::Owner, None)).await?;
    let actor = Actor { meta: meta.clone(), ..Actor::system(nw.id, owner.user.id, Role::Owner) };
    let branding =
        BrandingInput { display_name: "Northwind Offshore".into(), logo_url: None, primary_color: "#0b4f6c".into() };
    app.mutate(&actor, UpdateBranding { company_id: nw.id, branding }).await?;
    // Added side by side, so that password hashing uses every slot the hasher has.
    let mut adding = tokio::task::JoinSet::new();
    for (email, name, role, spec, _) in NORTHWIND_PEOPLE {
        let (users, meta, by) = (users.clone(), meta.clone(), owner.user.id);
        let input = person(email, name, *role, *spec);
        adding.spawn(async move { users.add(nw.id, Some(by), &meta, input).await.map(|(m, _)| (*email, m.user.id)) });
    }
    let mut ids: HashMap<&str, UserId> = HashMap::new();
    while let Some(added) = adding.join_next().await {
        let (email, id) = added.map_err(|e| Error::Internal(format!("adding a demo person: {e}")))??;
        ids.insert(email, id);
    }
    let id_of =
        |email: &str| ids.get(email).copied().ok_or_else(|| Error::Internal(format!("the demo has no person {email}")));

    let fleet = [
        (
            "Northwind Spirit",
            "platform supply vessel",
            "9074729",
            serde_json::json!({"length_m": 87.4, "deadweight_t": 4700, "main_engines": "2 × MaK 8M25"}),
            Hull::SupplyVessel,
        ),
        (
            "Northwind Tern",
            "anchor handling tug supply",
            "9176187",
            serde_json::json!({"length_m": 73.6, "bollard_pull_t": 180}),
            Hull::AnchorHandlingTug,
        ),
        (
            "Northwind Atlas",
            "jack-up rig",
            "9301237",
            serde_json::json!({"legs": 3, "max_water_depth_m": 122}),
            Hull::JackUp,
        ),
    ];
    let mut ships = Vec::new();
    for (name, kind, imo, specs, hull) in fleet {
        let fields = check_vessel(&VesselInput {
            kind: "vessel".into(),
            name: name.into(),
            vessel_type: Some(kind.into()),
            imo: Some(imo.into()),
            specs: Some(specs),
        })?;
        let v = app.mutate(&actor, CreateVessel { id: None, fields }).await?;
        let mut departments: HashMap<&str, DepartmentId> = HashMap::new();
        for d in ["engine", "deck", "electrical"] {
            let department = app.mutate(&actor, AddDepartment { vessel_id: v.id, name: d.into() }).await?;
            departments.insert(d, department.id);
        }
        // The engineer keeps the first vessel's log; the office typed in the others'.
        let recorder = if ships.is_empty() { Some(id_of("engineer@northwind.example")?) } else { Some(owner.user.id) };
        let registry = fleet::seed_demo(equipment, &actor, v.id, name, hull, recorder).await?;
        ships.push((v.id, name, departments, registry));
    }

    let rotation = |team: Team| match team {
        Team::B => (rotation_start - Duration::days(ROTATION_DAYS), rotation_start - Duration::days(1)),
        _ => (rotation_start, rotation_start + Duration::days(ROTATION_DAYS - 1)),
    };
    let mut hands: Vec<Vec<Hand>> = vec![Vec::new(); ships.len()];
    for (email, name, role, spec, post) in NORTHWIND_PEOPLE {
        let Some((ship, team)) = *post else { continue };
        let (vessel, _, departments, _) = &ships[ship];
        let department = match spec {
            Some("mechanical") => departments.get("engine"),
            Some("electrical") => departments.get("electrical"),
            Some("deck") => departments.get("deck"),
            _ => None,
        };
        let (start, end) = rotation(team);
        let user = id_of(email)?;
        join(app, &actor, *vessel, user, department.copied(), start, Some(end)).await?;
        if *role != Role::Viewer {
            hands[ship].push(Hand {
                id: user,
                first_name: first_name(name),
                role: *role,
                trade: trade_of(*spec),
                team,
            });
        }
    }

    let vessels: Vec<VesselId> = ships.iter().map(|(v, ..)| *v).collect();
    let stores = stores::seed(app, &actor, &vessels).await?;
    let items: Vec<_> = ships.iter().map(|(_, _, _, registry)| registry.items.clone()).collect();
    let (engineer, manager) = (id_of("engineer@northwind.example")?, id_of("manager@northwind.example")?);
    jobs::seed(app, &actor, &items, &stores, engineer, manager).await?;
    plans::seed(app, &actor, &items, engineer, manager).await?;
    purchasing::seed(app, &actor, vessels[0], &stores, engineer, manager).await?;
    let (operator, site_engineer) = (id_of("operator@northwind.example")?, id_of("site.engineer@northwind.example")?);
    plant::seed(app, &actor, manager, operator, site_engineer).await?;

    let manager = id_of("manager@northwind.example")?;
    let lines = [
        ("engineer@northwind.example", "erik.dahl@northwind.example"),
        ("crew@northwind.example", "ola.hansen@northwind.example"),
        ("sven.aasen@northwind.example", "daniel.okafor@northwind.example"),
    ];
    for (i, ((vessel, name, _, registry), crew_hands)) in ships.iter().zip(hands).enumerate() {
        let crew = Crew {
            office: manager,
            office_name: "Maria",
            hands: crew_hands,
            crew_change,
            handover_line: Some((id_of(lines[i].0)?, id_of(lines[i].1)?)),
            draft: (i == 0).then_some(id_of("engineer@northwind.example")?),
        };
        let scripts = northwind_scripts(i, &id_of)?;
        let counts =
            history::seed(&companies.deps, &actor, *vessel, registry, &crew, &scripts, RANDOM_FAULTS[i], seed_of(name))
                .await?;
        tracing::info!(vessel = name, ?counts, "demo history seeded");
    }

    let hl = companies.create("harbourline", "Harbourline Charter Ltd", &meta).await?;
    let (hl_owner, _) =
        users.add(hl.id, None, &meta, person("owner@harbourline.example", "Sam Whitaker", Role::Owner, None)).await?;
    let (jo, _) = users
        .add(
            hl.id,
            Some(hl_owner.user.id),
            &meta,
            person("jo.harper@harbourline.example", "Jo Harper", Role::Engineer, Some("mechanical")),
        )
        .await?;
    let hl_actor = Actor { meta, ..Actor::system(hl.id, hl_owner.user.id, Role::Owner) };
    let branding =
        BrandingInput { display_name: "Harbourline Charter".into(), logo_url: None, primary_color: "#7a1f3d".into() };
    app.mutate(&hl_actor, UpdateBranding { company_id: hl.id, branding }).await?;
    let fields = check_vessel(&VesselInput {
        kind: "vessel".into(),
        name: "Harbourline Aurora".into(),
        vessel_type: Some("motor yacht".into()),
        imo: Some("1009546".into()),
        specs: None,
    })?;
    let aurora = app.mutate(&hl_actor, CreateVessel { id: None, fields }).await?;
    let registry =
        fleet::seed_demo(equipment, &hl_actor, aurora.id, &aurora.name, Hull::Yacht, Some(hl_owner.user.id)).await?;
    // The yacht's engineer is permanent crew.
    join(app, &hl_actor, aurora.id, jo.user.id, None, today - Duration::days(120), None).await?;
    let crew = Crew {
        office: hl_owner.user.id,
        office_name: "Sam",
        hands: vec![Hand {
            id: jo.user.id,
            first_name: "Jo",
            role: Role::Engineer,
            trade: Trade::Mechanical,
            team: Team::Always,
        }],
        crew_change,
        handover_line: None,
        draft: None,
    };
    let scripts = harbourline_scripts(jo.user.id, hl_owner.user.id)?;
    let counts =
        history::seed(&companies.deps, &hl_actor, aurora.id, &registry, &crew, &scripts, 0, seed_of(&aurora.name))
            .await?;
    tracing::info!(vessel = aurora.name, ?counts, "demo history seeded");
    // The fleet's history predates purchase orders: its parts orders are migrated as a
    // server does at start-up.
    app.purchasing.migrate_all_parts_orders().await?;
    Ok(true)
}

async fn join(
    app: &App,
    actor: &Actor,
    vessel: VesselId,
    user: UserId,
    department_id: Option<DepartmentId>,
    rotation_start: NaiveDate,
    rotation_end: Option<NaiveDate>,
) -> Result<()> {
    let input = JoinRotation { vessel_id: vessel, user_id: Some(user), department_id, rotation_start, rotation_end };
    app.mutate(actor, input).await.map(|_| ())
}

fn first_name(name: &'static str) -> &'static str {
    name.split(' ').next().unwrap_or(name)
}

fn trade_of(spec: Option<&str>) -> Trade {
    match spec {
        Some("electrical") => Trade::Electrical,
        Some("deck") => Trade::Deck,
        _ => Trade::Mechanical,
    }
}

/// A duration of `h` hours.
fn hours(h: f64) -> Duration {
    Duration::seconds((h * 3600.0).round() as i64)
}

/// A plan for a fault observed `age` hours ago: reported within minutes, acknowledged after an
/// hour, work starting two hours later and done in six, never closed; scripts adjust it.
fn plan(age: f64) -> Plan {
    Plan {
        age: hours(age),
        report_delay: hours(0.1),
        ack: hours(1.0),
        start: Some(hours(2.0)),
        parts: None,
        work: hours(6.0),
        reopen: None,
        close: None,
    }
}

/// Parts ordered `after` hours into the work, moving on after each of `steps` hours.
fn parts(after: f64, lines: usize, steps: [f64; 4], refit: f64) -> Option<PartsPlan> {
    Some(PartsPlan { after: hours(after), lines, steps: steps.map(hours), cancel: None, refit: hours(refit) })
}

/// A trouble of the library, by its title.
fn trouble(title: &str) -> Result<Trouble> {
    TROUBLES
        .iter()
        .find(|t| t.title == title)
        .copied()
        .ok_or_else(|| Error::Internal(format!("the demo library has no trouble {title:?}")))
}

fn on(name: &'static str) -> On {
    On { name, under: None }
}

fn on_under(name: &'static str, under: &'static str) -> On {
    On { name, under: Some(under) }
}

/// The situations each Northwind vessel always shows, whatever the draw: every fault status,
/// every parts-order status, a fault reopened and resolved again, and an unresolved critical
/// fault that shows its equipment down.
fn northwind_scripts(vessel: usize, id_of: &dyn Fn(&str) -> Result<UserId>) -> Result<Vec<Script>> {
    let script = |on, trouble, reporter: Option<UserId>, n, plan| Script { on, trouble, reporter, n, plan };
    Ok(match vessel {
        0 => {
            let tomasz = Some(id_of("engineer@northwind.example")?);
            vec![
                // Critical and waiting for an air-freighted spare: the thruster shows down.
                script(
                    on("Bow tunnel thruster 1"),
                    THRUSTER_EARTH_FAULT,
                    tomasz,
                    1,
                    Plan {
                        report_delay: hours(0.1),
                        ack: hours(0.2),
                        start: Some(hours(0.15)),
                        parts: parts(5.0, 2, [1.0, 2.0, 10.0, 30.0], 2.0),
                        work: hours(8.0),
                        ..plan(30.0)
                    },
                ),
                // Repaired, came back three days later, repaired for good and closed.
                script(
                    on("Main engine 2"),
                    JACKET_WATER_LEAK,
                    tomasz,
                    4,
                    Plan {
                        report_delay: hours(0.2),
                        ack: hours(0.7),
                        parts: parts(3.0, 1, [4.0, 6.0, 72.0, 48.0], 5.0),
                        work: hours(10.0),
                        reopen: Some(Reopen {
                            after: hours(72.0),
                            ack: hours(1.0),
                            start: hours(3.0),
                            work: hours(14.0),
                        }),
                        close: Some(hours(144.0)),
                        ..plan(75.0 * 24.0)
                    },
                ),
                script(
                    on("Capstan 1"),
                    trouble("{item} foot switch intermittent")?,
                    Some(id_of("jonas.berg@northwind.example")?),
                    1,
                    Plan { ack: hours(20.0), ..plan(3.0) },
                ),
                script(
                    on("Fuel oil purifier 2"),
                    PURIFIER_SEAL,
                    tomasz,
                    1,
                    Plan { ack: hours(2.0), start: Some(hours(240.0)), ..plan(72.0) },
                ),
                script(
                    on("Main air compressor 1"),
                    trouble("{item} second-stage safety valve lifting")?,
                    tomasz,
                    1,
                    Plan { start: Some(hours(5.0)), work: hours(72.0), ..plan(50.0) },
                ),
                script(
                    on("X-band radar"),
                    trouble("{item} poor target presentation")?,
                    tomasz,
                    1,
                    Plan { ack: hours(3.0), start: Some(hours(24.0)), work: hours(48.0), ..plan(12.0 * 24.0) },
                ),
            ]
        }
        1 => {
            let aroha = Some(id_of("crew@northwind.example")?);
            let kristian = Some(id_of("kristian.lund@northwind.example")?);
            vec![
                // Critical, crew reported, being repaired: the shark jaw shows down.
                script(
                    on_under("Jaw hydraulic cylinders", "Shark jaw 2"),
                    SHARK_JAW_CYLINDER,
                    aroha,
                    2,
                    Plan {
                        report_delay: hours(0.05),
                        ack: hours(0.15),
                        start: Some(hours(0.5)),
                        work: hours(30.0),
                        ..plan(20.0)
                    },
                ),
                // The tugger winch recorded down: brake linings on order.
                script(
                    on("Tugger winch 2"),
                    WINCH_BRAKE_SLIPPING,
                    aroha,
                    2,
                    Plan {
                        start: Some(hours(3.0)),
                        parts: parts(6.0, 2, [24.0, 24.0, 192.0, 72.0], 12.0),
                        work: hours(24.0),
                        ..plan(9.0 * 24.0)
                    },
                ),
                script(
                    on("Knuckle boom deck crane"),
                    CRANE_SLEW_LEAK,
                    aroha,
                    1,
                    Plan { ack: hours(2.0), start: Some(hours(24.0)), work: hours(144.0), ..plan(96.0) },
                ),
                script(
                    on("Storage reel 1"),
                    trouble("{item} hydraulic oil leak at the motor flange")?,
                    aroha,
                    1,
                    Plan { ack: hours(30.0), ..plan(5.0) },
                ),
                // A spare turned up in the store: the order was cancelled.
                script(
                    on("Main engine 3"),
                    trouble("{item} exhaust temperature deviation on cylinder {n}")?,
                    kristian,
                    6,
                    Plan {
                        start: Some(hours(4.0)),
                        parts: Some(PartsPlan {
                            after: hours(3.0),
                            lines: 1,
                            steps: [5.0, 24.0, 48.0, 48.0].map(hours),
                            cancel: Some(1),
                            refit: hours(1.0),
                        }),
                        work: hours(5.0),
                        close: Some(hours(72.0)),
                        ..plan(25.0 * 24.0)
                    },
                ),
                script(
                    on_under("Mechanical seal", "Sea water cooling pump 2"),
                    trouble("{unit} mechanical seal leaking")?,
                    kristian,
                    1,
                    Plan {
                        start: Some(hours(3.0)),
                        parts: parts(20.0, 1, [72.0, 24.0, 120.0, 72.0], 4.0),
                        ..plan(48.0)
                    },
                ),
            ]
        }
        _ => {
            let sven = Some(id_of("sven.aasen@northwind.example")?);
            let liam = Some(id_of("liam.byrne@northwind.example")?);
            vec![
                script(
                    on("Pinion drive 2D"),
                    PINION_OVERHEATING,
                    sven,
                    1,
                    Plan {
                        ack: hours(0.5),
                        start: Some(hours(1.0)),
                        parts: parts(4.0, 1, [5.0, 24.0, 48.0, 48.0], 6.0),
                        work: hours(30.0),
                        ..plan(144.0)
                    },
                ),
                script(
                    on("Main crane (starboard)"),
                    trouble("{item} load moment limiter fault, crane locked out")?,
                    liam,
                    1,
                    Plan {
                        ack: hours(0.3),
                        start: Some(hours(1.0)),
                        parts: parts(3.0, 1, [10.0, 48.0, 72.0, 48.0], 4.0),
                        ..plan(36.0)
                    },
                ),
                script(on("Fog horn"), trouble("{item} not working")?, liam, 1, Plan { ack: hours(48.0), ..plan(8.0) }),
                script(
                    on("Generator set 3"),
                    trouble("{item} high coolant temperature at full load")?,
                    sven,
                    1,
                    Plan {
                        start: Some(hours(6.0)),
                        work: hours(10.0),
                        reopen: Some(Reopen {
                            after: hours(48.0),
                            ack: hours(2.0),
                            start: hours(4.0),
                            work: hours(8.0),
                        }),
                        ..plan(30.0 * 24.0)
                    },
                ),
                script(
                    on_under("Release hook", "Lifeboat 1"),
                    trouble("{unit} on-load release hook failed the drill")?,
                    liam,
                    1,
                    Plan {
                        ack: hours(0.2),
                        start: Some(hours(0.3)),
                        work: hours(5.0),
                        close: Some(hours(96.0)),
                        ..plan(20.0 * 24.0)
                    },
                ),
            ]
        }
    })
}

/// Harbourline's yacht: a handful of faults of its own.
fn harbourline_scripts(jo: UserId, sam: UserId) -> Result<Vec<Script>> {
    let script = |on, trouble, reporter: UserId, plan| Script { on, trouble, reporter: Some(reporter), n: 1, plan };
    Ok(vec![
        script(
            on_under("Sea water pump", "Main engine 1"),
            trouble("{unit} sea water pump impeller failed")?,
            jo,
            Plan {
                ack: hours(0.5),
                start: Some(hours(1.0)),
                parts: parts(2.0, 1, [3.0, 4.0, 30.0, 20.0], 2.0),
                work: hours(3.0),
                close: Some(hours(120.0)),
                ..plan(40.0 * 24.0)
            },
        ),
        script(
            on("Fin stabiliser (port)"),
            trouble("{item} hydraulic leak at the actuator")?,
            jo,
            Plan { ack: hours(4.0), start: Some(hours(24.0)), work: hours(96.0), ..plan(72.0) },
        ),
        script(
            on("VHF DSC radio 1"),
            trouble("{item} DSC test call not acknowledged")?,
            jo,
            Plan { ack: hours(20.0), ..plan(6.0) },
        ),
        script(
            on("Generator set 2"),
            trouble("{item} high coolant temperature at full load")?,
            jo,
            Plan { start: Some(hours(5.0)), work: hours(8.0), close: Some(hours(72.0)), ..plan(100.0 * 24.0) },
        ),
        script(
            on_under("Turbochargers", "Main engine 2"),
            trouble("{unit} turbocharger vibration high")?,
            sam,
            Plan { ack: hours(3.0), start: Some(hours(14.0 * 24.0)), ..plan(48.0) },
        ),
        script(
            on_under("Mechanical seal", "Fire pump 1"),
            trouble("{unit} mechanical seal leaking")?,
            jo,
            Plan { start: Some(hours(6.0)), work: hours(10.0), ..plan(12.0 * 24.0) },
        ),
    ])
}
