//! The demo fleet seeded by `bosun serve --demo` on an empty database: two companies so that
//! isolation shows, people in every role, vessels with departments and rotations, and each
//! vessel's equipment registry with six months of running hours.

use bosun_domain::person::Role;
use bosun_domain::{SessionFamilyId, UserId};
use chrono::{Datelike, Duration};

use super::companies::{BrandingInput, CompanyService};
use super::equipment::EquipmentService;
use super::equipment::fleet::Hull;
use super::users::{NewPerson, UserService};
use super::vessels::{RotationInput, VesselInput, VesselService};
use super::{Actor, RequestMeta, Result};

/// The password of every demo login.
pub const DEMO_PASSWORD: &str = "bosun-demo-2026";

/// The demo logins, for the README and the start-up banner.
pub const DEMO_LOGINS: [(&str, &str); 7] = [
    ("northwind", "owner@northwind.example"),
    ("northwind", "admin@northwind.example"),
    ("northwind", "manager@northwind.example"),
    ("northwind", "engineer@northwind.example"),
    ("northwind", "crew@northwind.example"),
    ("northwind", "viewer@northwind.example"),
    ("harbourline", "owner@harbourline.example"),
];

/// Seeds the demo when the database has no company yet. Answers whether it seeded.
pub async fn seed_if_empty(
    companies: &CompanyService,
    users: &UserService,
    vessels: &VesselService,
    equipment: &EquipmentService,
) -> Result<bool> {
    {
        let mut tx = companies.deps.store.begin_read(None).await?;
        if !tx.list_company_ids().await?.is_empty() {
            return Ok(false);
        }
    }
    let meta = RequestMeta { user_agent: Some("bosun demo seed".into()), ..Default::default() };
    let today = companies.deps.clock.now().date_naive();
    let rotation_start = today - Duration::days(i64::from(today.ordinal0() % 28));

    let nw = companies.create("northwind", "Northwind Offshore AS", &meta).await?;
    let person = |email: &str, name: &str, role: Role, spec: Option<&str>| NewPerson {
        email: email.into(),
        name: name.into(),
        password: Some(DEMO_PASSWORD.into()),
        role: role.as_str().into(),
        specialisation: spec.map(str::to_owned),
    };
    let (owner, _) =
        users.add(nw.id, None, &meta, person("owner@northwind.example", "Ingrid Solberg", Role::Owner, None)).await?;
    let actor = Actor {
        user_id: owner.user.id,
        company_id: nw.id,
        role: Role::Owner,
        family_id: SessionFamilyId::new(),
        meta: meta.clone(),
    };
    companies
        .update_branding(
            &actor,
            nw.id,
            BrandingInput {
                display_name: "Northwind Offshore".into(),
                logo_url: None,
                primary_color: "#0b4f6c".into(),
            },
        )
        .await?;
    let mut ids: Vec<(UserId, &str)> = Vec::new();
    for (email, name, role, spec) in [
        ("admin@northwind.example", "Lars Eide", Role::Admin, None),
        ("manager@northwind.example", "Maria Costa", Role::Manager, None),
        ("engineer@northwind.example", "Tomasz Nowak", Role::Engineer, Some("mechanical")),
        ("crew@northwind.example", "Aroha Ngata", Role::Crew, Some("deck")),
        ("viewer@northwind.example", "Client Auditor", Role::Viewer, None),
    ] {
        let (m, _) = users.add(nw.id, Some(owner.user.id), &meta, person(email, name, role, spec)).await?;
        ids.push((m.user.id, email));
    }
    let id_of = |email: &str| ids.iter().find(|(_, e)| *e == email).map(|(id, _)| *id);

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
    let mut vessel_ids = Vec::new();
    for (name, kind, imo, specs, hull) in fleet {
        let v = vessels
            .create(
                &actor,
                VesselInput {
                    id: None,
                    kind: "vessel".into(),
                    name: name.into(),
                    vessel_type: Some(kind.into()),
                    imo: Some(imo.into()),
                    specs: Some(specs),
                    version: None,
                },
            )
            .await?;
        for d in ["engine", "deck", "electrical"] {
            vessels.add_department(&actor, v.id, d).await?;
        }
        // The engineer keeps the first vessel's log; the office typed in the others'.
        let recorder = if vessel_ids.is_empty() { id_of("engineer@northwind.example") } else { Some(owner.user.id) };
        equipment.seed_demo(&actor, v.id, name, hull, recorder).await?;
        vessel_ids.push(v.id);
    }
    for (email, vessel) in [
        ("engineer@northwind.example", vessel_ids[0]),
        ("crew@northwind.example", vessel_ids[1]),
        ("viewer@northwind.example", vessel_ids[0]),
    ] {
        vessels
            .join_rotation(
                &actor,
                vessel,
                RotationInput {
                    user_id: id_of(email),
                    department_id: None,
                    rotation_start,
                    rotation_end: Some(rotation_start + Duration::days(27)),
                },
            )
            .await?;
    }

    let hl = companies.create("harbourline", "Harbourline Charter Ltd", &meta).await?;
    let (hl_owner, _) =
        users.add(hl.id, None, &meta, person("owner@harbourline.example", "Sam Whitaker", Role::Owner, None)).await?;
    let hl_actor = Actor {
        user_id: hl_owner.user.id,
        company_id: hl.id,
        role: Role::Owner,
        family_id: SessionFamilyId::new(),
        meta,
    };
    companies
        .update_branding(
            &hl_actor,
            hl.id,
            BrandingInput {
                display_name: "Harbourline Charter".into(),
                logo_url: None,
                primary_color: "#7a1f3d".into(),
            },
        )
        .await?;
    let aurora = vessels
        .create(
            &hl_actor,
            VesselInput {
                id: None,
                kind: "vessel".into(),
                name: "Harbourline Aurora".into(),
                vessel_type: Some("motor yacht".into()),
                imo: Some("1009546".into()),
                specs: None,
                version: None,
            },
        )
        .await?;
    equipment.seed_demo(&hl_actor, aurora.id, &aurora.name, Hull::Yacht, Some(hl_owner.user.id)).await?;
    Ok(true)
}
