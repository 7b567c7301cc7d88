//! Contract cases for maintenance data.

#![allow(clippy::unwrap_used, missing_docs)]

use bosun_domain::attachment::{Attachment, AttachmentKind, ParentKind};
use bosun_domain::company::{Company, CompanySlug};
use bosun_domain::equipment::{Area, Criticality, Equipment, EquipmentLevel, EquipmentStatus, MeterReading};
use bosun_domain::fault::{Comment, Fault, FaultStatus, Severity};
use bosun_domain::handover::{Handover, HandoverDraft};
use bosun_domain::parts::{PartsOrder, PartsOrderStatus};
use bosun_domain::person::{Email, Membership, Role, User};
use bosun_domain::vessel::{Vessel, VesselKind, VesselMember};
use bosun_domain::{
    AttachmentId, CommentId, CompanyId, EquipmentId, FaultId, HandoverId, PartsOrderId, UserId, VesselId,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::{
    EquipmentFilter, FaultFilter, MttrGroup, Page, Reach, RepairTimes, Store, StoreError, StoredReading,
    UnresolvedCount, VesselScope,
};

/// What a crew member reaches on the contract's day.
pub(super) fn reach(user: UserId) -> Reach {
    Reach { principal: user.0, since: t0().date_naive() }
}

pub(super) fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T08:00:00Z").unwrap().with_timezone(&Utc)
}

pub(super) struct Fleet {
    pub(super) company: CompanyId,
    pub(super) user: UserId,
    pub(super) crew: UserId,
    pub(super) v1: VesselId,
    pub(super) v2: VesselId,
}

pub(super) async fn fleet(store: &dyn Store, slug: &str) -> Fleet {
    let c =
        Company::new(bosun_domain::CompanyId::new(), CompanySlug::parse("slug", slug).unwrap(), slug, t0()).unwrap();
    let mut tx = store.begin(Some(c.id)).await.unwrap();
    tx.insert_company(&c).await.unwrap();
    let mut users = Vec::new();
    for (name, role) in [("chief", Role::Manager), ("deckhand", Role::Crew)] {
        let u = User {
            id: UserId::new(),
            email: Email::parse("email", &format!("{name}@{slug}.example")).unwrap(),
            name: name.into(),
            password_hash: "x".into(),
            created_at: t0(),
            updated_at: t0(),
        };
        tx.insert_user(&u).await.unwrap();
        tx.insert_membership(&Membership {
            company_id: c.id,
            user_id: u.id,
            role,
            specialisation: None,
            active: true,
            version: 1,
            created_at: t0(),
            updated_at: t0(),
        })
        .await
        .unwrap();
        users.push(u.id);
    }
    let mut vessels = Vec::new();
    for name in ["One", "Two"] {
        let v = Vessel {
            id: VesselId::new(),
            company_id: c.id,
            kind: VesselKind::Vessel,
            name: name.into(),
            vessel_type: None,
            imo: None,
            specs: "{}".into(),
            version: 1,
            created_at: t0(),
            updated_at: t0(),
        };
        tx.insert_vessel(&v).await.unwrap();
        vessels.push(v.id);
    }
    tx.upsert_vessel_member(&VesselMember {
        company_id: c.id,
        vessel_id: vessels[1],
        user_id: users[1],
        department_id: None,
        rotation_start: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        rotation_end: None,
        updated_at: t0(),
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    Fleet { company: c.id, user: users[0], crew: users[1], v1: vessels[0], v2: vessels[1] }
}

pub(super) fn item(
    f: &Fleet,
    vessel: VesselId,
    parent: Option<EquipmentId>,
    level: EquipmentLevel,
    name: &str,
) -> Equipment {
    let id = EquipmentId::new();
    Equipment {
        id,
        company_id: f.company,
        vessel_id: vessel,
        parent_id: parent,
        level,
        area: Area::EngineRoom,
        name: name.into(),
        equipment_type: None,
        maker: Some("MAN".into()),
        model: None,
        serial_number: Some(format!("SN-{name}")),
        criticality: Criticality::High,
        status: EquipmentStatus::Operational,
        specs: r#"{"kw":1200}"#.into(),
        qr_code: format!("Q{}", id.0.simple()),
        version: 1,
        created_at: t0(),
        updated_at: t0(),
    }
}

pub(super) fn fault(
    f: &Fleet,
    vessel: VesselId,
    e: EquipmentId,
    severity: Severity,
    status: FaultStatus,
    observed: DateTime<Utc>,
) -> Fault {
    Fault {
        id: FaultId::new(),
        company_id: f.company,
        vessel_id: vessel,
        equipment_id: e,
        severity,
        status,
        title: "Leak".into(),
        description: "Oil under the pump".into(),
        reported_by: f.crew,
        observed_at: observed,
        received_at: observed,
        acknowledged_at: None,
        assignee_id: None,
        resolved_at: None,
        resolved_by: None,
        root_cause: None,
        resolution: None,
        repair_seconds: None,
        closed_at: None,
        version: 1,
        created_at: observed,
        updated_at: observed,
    }
}

pub(super) fn parts_order(
    f: &Fleet,
    fault: &Fault,
    supplier: i64,
    customer: i64,
    qty: i64,
    at: DateTime<Utc>,
    status: PartsOrderStatus,
) -> PartsOrder {
    PartsOrder {
        id: PartsOrderId::new(),
        company_id: f.company,
        fault_id: fault.id,
        vessel_id: fault.vessel_id,
        part_name: "Seal kit".into(),
        part_number: Some("SK-1".into()),
        quantity: qty,
        supplier: "Marine Parts AS".into(),
        supplier_unit_minor: supplier,
        customer_unit_minor: customer,
        currency: "EUR".into(),
        markup_bp: 2000,
        status,
        requested_by: f.crew,
        status_changed_at: at,
        version: 1,
        created_at: at,
        updated_at: at,
    }
}

pub async fn the_equipment_hierarchy_round_trips_and_filters(store: &dyn Store) {
    let f = fleet(store, "alpha").await;
    let sys = item(&f, f.v1, None, EquipmentLevel::System, "Propulsion");
    let eng = item(&f, f.v1, Some(sys.id), EquipmentLevel::Equipment, "Main engine 1");
    let mut turbo = item(&f, f.v1, Some(eng.id), EquipmentLevel::Component, "Turbocharger");
    turbo.area = Area::Deck;
    turbo.status = EquipmentStatus::Decommissioned;
    let other = item(&f, f.v2, None, EquipmentLevel::System, "Cranes");
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    for e in [&sys, &eng, &turbo, &other] {
        tx.insert_equipment(e).await.unwrap();
    }
    assert_eq!(tx.equipment(f.company, eng.id).await.unwrap().unwrap(), eng);
    assert_eq!(tx.equipment_by_qr(f.company, &turbo.qr_code).await.unwrap().unwrap().id, turbo.id);
    let all = |f: EquipmentFilter| (f, Page { after: None, limit: 100 });
    let (flt, page) = all(EquipmentFilter::default());
    let ids: Vec<_> = tx.list_equipment(f.company, f.v1, &flt, page).await.unwrap().iter().map(|e| e.id).collect();
    assert_eq!(ids, [sys.id, eng.id, turbo.id]);
    let (flt, page) = all(EquipmentFilter { area: Some(Area::Deck), ..Default::default() });
    assert_eq!(tx.list_equipment(f.company, f.v1, &flt, page).await.unwrap().len(), 1);
    let (flt, page) = all(EquipmentFilter { search: Some("ENGINE".into()), ..Default::default() });
    assert_eq!(tx.list_equipment(f.company, f.v1, &flt, page).await.unwrap()[0].id, eng.id);
    let (flt, page) = all(EquipmentFilter { search: Some("sn-turbo".into()), ..Default::default() });
    assert_eq!(tx.list_equipment(f.company, f.v1, &flt, page).await.unwrap()[0].id, turbo.id);
    let (flt, page) = all(EquipmentFilter { search: Some("%".into()), ..Default::default() });
    assert!(tx.list_equipment(f.company, f.v1, &flt, page).await.unwrap().is_empty(), "wildcards are literal");
    let (flt, page) = all(EquipmentFilter { hide_decommissioned: true, ..Default::default() });
    assert_eq!(tx.list_equipment(f.company, f.v1, &flt, page).await.unwrap().len(), 2);
    let first =
        tx.list_equipment(f.company, f.v1, &EquipmentFilter::default(), Page { after: None, limit: 2 }).await.unwrap();
    let rest = tx
        .list_equipment(f.company, f.v1, &EquipmentFilter::default(), Page { after: Some(first[1].id), limit: 2 })
        .await
        .unwrap();
    assert_eq!(rest.iter().map(|e| e.id).collect::<Vec<_>>(), [turbo.id]);

    let renamed = Equipment { name: "Main engine 1 (port)".into(), version: 9, ..eng.clone() };
    assert_eq!(tx.update_equipment(&renamed).await.unwrap().name, "Main engine 1 (port)");
    tx.commit().await.unwrap();

    let mut tx = store.begin(Some(f.company)).await.unwrap();
    let dup = Equipment { id: EquipmentId::new(), ..sys.clone() };
    assert!(matches!(tx.insert_equipment(&dup).await, Err(StoreError::Conflict(_))), "QR codes are unique");
}

pub async fn readings_are_kept_in_time_order(store: &dyn Store) {
    let f = fleet(store, "alpha").await;
    let eng = item(&f, f.v1, None, EquipmentLevel::Equipment, "Generator");
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    tx.insert_equipment(&eng).await.unwrap();
    for (h, replaced, days) in [(120.5, false, 0), (130.0, false, 2), (4.0, true, 1)] {
        tx.insert_reading(
            f.company,
            &StoredReading {
                id: uuid::Uuid::now_v7(),
                equipment_id: eng.id,
                reading: MeterReading { hours: h, meter_replaced: replaced, read_at: t0() + Duration::days(days) },
                recorded_by: Some(f.user),
            },
        )
        .await
        .unwrap();
    }
    let hours: Vec<f64> = tx.readings(f.company, eng.id).await.unwrap().iter().map(|r| r.reading.hours).collect();
    assert_eq!(hours, [120.5, 4.0, 130.0]);
    // Several items' at once: each item's in time order, an item without readings has none.
    let pump = item(&f, f.v1, None, EquipmentLevel::Equipment, "Pump");
    tx.insert_equipment(&pump).await.unwrap();
    let both = tx.readings_of(f.company, &[pump.id, eng.id]).await.unwrap();
    assert_eq!(both, tx.readings(f.company, eng.id).await.unwrap());
    let since = tx.vessel_readings_since(f.company, f.v1, t0() + Duration::hours(12)).await.unwrap();
    assert_eq!(since.len(), 2);
    assert!(tx.vessel_readings_since(f.company, f.v2, t0()).await.unwrap().is_empty());
}

pub async fn faults_round_trip_filter_and_page_newest_first(store: &dyn Store) {
    let f = fleet(store, "alpha").await;
    let e1 = item(&f, f.v1, None, EquipmentLevel::Equipment, "Pump");
    let e2 = item(&f, f.v2, None, EquipmentLevel::Equipment, "Winch");
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    tx.insert_equipment(&e1).await.unwrap();
    tx.insert_equipment(&e2).await.unwrap();
    let a = fault(&f, f.v1, e1.id, Severity::Low, FaultStatus::Open, t0());
    let b = fault(&f, f.v2, e2.id, Severity::Critical, FaultStatus::Acknowledged, t0() + Duration::hours(1));
    let c = fault(&f, f.v2, e2.id, Severity::High, FaultStatus::Resolved, t0() + Duration::hours(2));
    for x in [&a, &b, &c] {
        tx.insert_fault(x).await.unwrap();
    }
    assert_eq!(tx.fault(f.company, b.id).await.unwrap().unwrap(), b);
    let list = |flt: FaultFilter| (flt, Page { after: None, limit: 50 });
    let (flt, p) = list(FaultFilter::default());
    assert_eq!(
        tx.list_faults(f.company, &flt, p).await.unwrap().iter().map(|x| x.id).collect::<Vec<_>>(),
        [c.id, b.id, a.id]
    );
    let (flt, p) =
        list(FaultFilter { statuses: vec![FaultStatus::Open, FaultStatus::Acknowledged], ..Default::default() });
    assert_eq!(tx.list_faults(f.company, &flt, p).await.unwrap().len(), 2);
    let (flt, p) = list(FaultFilter { severities: vec![Severity::Critical], ..Default::default() });
    assert_eq!(tx.list_faults(f.company, &flt, p).await.unwrap()[0].id, b.id);
    let (flt, p) =
        list(FaultFilter { scope: VesselScope { vessel: None, member: Some(reach(f.crew)) }, ..Default::default() });
    assert_eq!(
        tx.list_faults(f.company, &flt, p).await.unwrap().len(),
        2,
        "the crew member belongs to vessel two only"
    );
    let (flt, p) = list(FaultFilter { scope: VesselScope { vessel: Some(f.v1), member: None }, ..Default::default() });
    assert_eq!(tx.list_faults(f.company, &flt, p).await.unwrap()[0].id, a.id);
    let (flt, p) = list(FaultFilter { equipment: Some(e2.id), reported_by: Some(f.crew), ..Default::default() });
    assert_eq!(tx.list_faults(f.company, &flt, p).await.unwrap().len(), 2);
    let page2 =
        tx.list_faults(f.company, &FaultFilter::default(), Page { after: Some(b.id), limit: 10 }).await.unwrap();
    assert_eq!(page2.iter().map(|x| x.id).collect::<Vec<_>>(), [a.id]);

    let resolved = Fault {
        status: FaultStatus::Resolved,
        resolved_at: Some(t0() + Duration::hours(5)),
        resolved_by: Some(f.user),
        root_cause: Some("worn seal".into()),
        resolution: Some("replaced seal".into()),
        repair_seconds: Some(5 * 3600),
        assignee_id: Some(f.user),
        version: 4,
        ..a.clone()
    };
    assert_eq!(tx.update_fault(&resolved).await.unwrap(), resolved);
    assert_eq!(tx.equipment_down_by_critical_faults(f.company, f.v2).await.unwrap(), [e2.id]);
    assert!(tx.equipment_down_by_critical_faults(f.company, f.v1).await.unwrap().is_empty());
    assert_eq!(tx.equipment_seen(f.company, e2.id, None).await.unwrap(), Some((e2.clone(), true)));
    assert_eq!(tx.equipment_seen(f.company, e1.id, None).await.unwrap(), Some((e1.clone(), false)));
    assert_eq!(
        tx.equipment_seen(f.company, e2.id, Some(reach(f.crew))).await.unwrap(),
        Some((e2.clone(), true)),
        "the crew member is on vessel two"
    );
    assert_eq!(tx.equipment_seen(f.company, e1.id, Some(reach(f.crew))).await.unwrap(), None, "but not on vessel one");
    assert_eq!(tx.equipment_seen(f.company, EquipmentId::new(), None).await.unwrap(), None);
    let history = tx.fault_history(f.company, e2.id, 50).await.unwrap();
    let summary = |x: &Fault| crate::FaultSummary {
        id: x.id,
        severity: x.severity,
        status: x.status,
        title: x.title.clone(),
        observed_at: x.observed_at,
        resolved_at: x.resolved_at,
    };
    assert_eq!(history, [summary(&c), summary(&b)], "newest first, this item's only");
    assert_eq!(tx.fault_history(f.company, e2.id, 1).await.unwrap(), [summary(&c)]);
    assert_eq!(tx.fault_history(f.company, e1.id, 50).await.unwrap(), [summary(&resolved)]);

    for (i, body) in ["first", "second"].into_iter().enumerate() {
        tx.insert_comment(&Comment {
            id: CommentId::new(),
            company_id: f.company,
            fault_id: a.id,
            author_id: f.user,
            body: body.into(),
            created_at: t0() + Duration::minutes(i as i64),
        })
        .await
        .unwrap();
    }
    let bodies: Vec<_> = tx.comments(f.company, a.id).await.unwrap().into_iter().map(|c| c.body).collect();
    assert_eq!(bodies, ["first", "second"]);
}

pub async fn handovers_keep_drafts_and_are_acknowledged_once(store: &dyn Store) {
    let f = fleet(store, "alpha").await;
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    assert!(tx.handover_draft(f.company, f.v1, f.user).await.unwrap().is_none());
    let draft = HandoverDraft { notes: "Watch the bilge alarm".into(), item_notes: r#"{"fault:x":"ordered"}"#.into() };
    tx.save_handover_draft(f.company, f.v1, f.user, &draft, t0()).await.unwrap();
    let draft2 = HandoverDraft { notes: "Bilge alarm fixed".into(), ..draft.clone() };
    tx.save_handover_draft(f.company, f.v1, f.user, &draft2, t0()).await.unwrap();
    let got = tx.handover_draft(f.company, f.v1, f.user).await.unwrap().unwrap();
    assert_eq!(got.notes, "Bilge alarm fixed");
    let items: serde_json::Value = serde_json::from_str(&got.item_notes).unwrap();
    assert_eq!(items["fault:x"], "ordered");
    let h = Handover {
        id: HandoverId::new(),
        company_id: f.company,
        vessel_id: f.v1,
        outgoing_user_id: f.user,
        rotation_end: NaiveDate::from_ymd_opt(2026, 3, 28).unwrap(),
        snapshot: r#"{"notes":"Bilge alarm fixed","open_faults":[]}"#.into(),
        completed_at: t0(),
        acknowledged_by: None,
        acknowledged_at: None,
        version: 1,
    };
    tx.insert_handover(&h).await.unwrap();
    tx.clear_handover_draft(f.company, f.v1, f.user).await.unwrap();
    assert!(tx.handover_draft(f.company, f.v1, f.user).await.unwrap().is_none());
    let acked = tx.acknowledge_handover(f.company, h.id, f.crew, t0() + Duration::hours(1), 2).await.unwrap();
    assert_eq!(acked.acknowledged_by, Some(f.crew));
    tx.commit().await.unwrap();
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    assert!(matches!(tx.acknowledge_handover(f.company, h.id, f.user, t0(), 3).await, Err(StoreError::Conflict(_))));
    drop(tx);
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    assert_eq!(tx.last_handover(f.company, f.v1).await.unwrap().unwrap().id, h.id);
    let crew = VesselScope { vessel: None, member: Some(reach(f.crew)) };
    assert!(tx.list_handovers(f.company, crew, Page { after: None, limit: 10 }).await.unwrap().is_empty());
    assert_eq!(
        tx.list_handovers(f.company, VesselScope::default(), Page { after: None, limit: 10 }).await.unwrap().len(),
        1
    );
    let snapshot: serde_json::Value =
        serde_json::from_str(&tx.handover(f.company, h.id).await.unwrap().unwrap().snapshot).unwrap();
    assert_eq!(snapshot["notes"], "Bilge alarm fixed");
}

pub async fn attachments_are_listed_by_their_record(store: &dyn Store) {
    let f = fleet(store, "alpha").await;
    let e = item(&f, f.v1, None, EquipmentLevel::Equipment, "Pump");
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    tx.insert_equipment(&e).await.unwrap();
    let a = Attachment {
        id: AttachmentId::new(),
        company_id: f.company,
        parent_kind: ParentKind::Equipment,
        parent_id: e.id.0,
        vessel_id: f.v1,
        kind: AttachmentKind::Document,
        file_name: "manual.pdf".into(),
        content_type: "application/pdf".into(),
        size_bytes: 2048,
        sha256: "ab".repeat(32),
        has_thumbnail: false,
        pending: false,
        preview_sha256: None,
        uploaded_by: f.user,
        version: 1,
        created_at: t0(),
    };
    tx.insert_attachment(&a).await.unwrap();
    assert_eq!(tx.attachment(f.company, a.id).await.unwrap().unwrap(), a);
    assert_eq!(tx.list_attachments(f.company, ParentKind::Equipment, e.id.0).await.unwrap(), std::slice::from_ref(&a));
    assert!(tx.list_attachments(f.company, ParentKind::Fault, e.id.0).await.unwrap().is_empty());

    // A photo pushed before its full file arrived waits for it, found by the file's hash, and
    // is completed once; a complete one is not rewritten.
    let waiting = Attachment {
        id: AttachmentId::new(),
        kind: AttachmentKind::Photo,
        file_name: "pump.jpg".into(),
        content_type: "application/octet-stream".into(),
        sha256: "cd".repeat(32),
        has_thumbnail: true,
        pending: true,
        preview_sha256: Some("ef".repeat(32)),
        version: 2,
        ..a.clone()
    };
    tx.insert_attachment(&waiting).await.unwrap();
    assert_eq!(tx.attachment(f.company, waiting.id).await.unwrap().unwrap(), waiting);
    assert_eq!(
        tx.list_pending_attachments_of_file(f.company, &waiting.sha256).await.unwrap(),
        std::slice::from_ref(&waiting)
    );
    assert!(tx.list_pending_attachments_of_file(f.company, &a.sha256).await.unwrap().is_empty(), "a is complete");
    let done = Attachment {
        content_type: "image/jpeg".into(),
        size_bytes: 4096,
        pending: false,
        version: 3,
        ..waiting.clone()
    };
    tx.complete_attachment(&done).await.unwrap();
    assert_eq!(tx.attachment(f.company, done.id).await.unwrap().unwrap(), done);
    assert!(tx.list_pending_attachments_of_file(f.company, &waiting.sha256).await.unwrap().is_empty());
    assert!(matches!(tx.complete_attachment(&done).await, Err(StoreError::NotFound)), "complete already");
}

pub async fn analytics_aggregates_are_exact(store: &dyn Store) {
    let f = fleet(store, "alpha").await;
    let pump = item(&f, f.v1, None, EquipmentLevel::Equipment, "Pump");
    let winch = item(&f, f.v2, None, EquipmentLevel::Equipment, "Winch");
    let idle = item(&f, f.v2, None, EquipmentLevel::Equipment, "Idle");
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    tx.insert_equipment(&pump).await.unwrap();
    tx.insert_equipment(&winch).await.unwrap();
    tx.insert_equipment(&idle).await.unwrap();
    // Resolved: pump 2 h (March) and 4 h (April), winch 9 h (April). Unresolved: one critical, one low.
    let resolved = |e: &Equipment, v, sev, observed: DateTime<Utc>, hours: i64| Fault {
        status: FaultStatus::Resolved,
        resolved_at: Some(observed + Duration::hours(hours)),
        repair_seconds: Some(hours * 3600),
        ..fault(&f, v, e.id, sev, FaultStatus::Resolved, observed)
    };
    let march = t0() + Duration::days(2);
    let april = t0() + Duration::days(40);
    let faults = [
        resolved(&pump, f.v1, Severity::High, march, 2),
        resolved(&pump, f.v1, Severity::Low, april, 4),
        resolved(&winch, f.v2, Severity::High, april, 9),
        fault(&f, f.v1, pump.id, Severity::Critical, FaultStatus::Open, t0() + Duration::days(50)),
        fault(&f, f.v2, winch.id, Severity::Low, FaultStatus::InProgress, t0() + Duration::days(10)),
    ];
    for x in &faults {
        tx.insert_fault(x).await.unwrap();
    }
    // Parts spend: one received and one ordered (each on its purchase order), one requested,
    // one cancelled (left out).
    let spent = [
        (&faults[0], 1000, 1200, 3, march, PartsOrderStatus::Received),
        (&faults[1], 250, 300, 2, april, PartsOrderStatus::Ordered),
        (&faults[1], 10, 12, 5, april, PartsOrderStatus::Requested),
        (&faults[1], 9999, 9999, 1, april, PartsOrderStatus::Cancelled),
    ];
    for (n, (x, supplier, customer, qty, at, status)) in spent.into_iter().enumerate() {
        let o = parts_order(&f, x, supplier, customer, qty, at, status);
        super::purchasing::fault_order_rows(&mut tx, &f, n as i64 + 1, &o).await;
    }
    tx.commit().await.unwrap();

    let mut tx = store.begin(Some(f.company)).await.unwrap();
    let all = VesselScope::default();
    // The low one was reported on day 10, the critical one on day 50.
    let cutoffs = [t0() + Duration::days(5), t0() + Duration::days(20), t0() + Duration::days(60)];
    let mut by_sev = tx.unresolved_by_severity(f.company, all, cutoffs).await.unwrap();
    by_sev.sort();
    assert_eq!(
        by_sev,
        [
            UnresolvedCount { severity: Severity::Low, total: 1, before: [0, 1, 1] },
            UnresolvedCount { severity: Severity::Critical, total: 1, before: [0, 0, 1] },
        ]
    );
    let v2 = VesselScope { vessel: Some(f.v2), member: None };
    let on_v2 = tx.unresolved_by_severity(f.company, v2, cutoffs).await.unwrap();
    assert_eq!(on_v2, [UnresolvedCount { severity: Severity::Low, total: 1, before: [0, 1, 1] }]);

    let (from, to) = (t0(), t0() + Duration::days(90));
    let overall = tx.mttr(f.company, all, from, to, None).await.unwrap();
    assert_eq!((overall[0].faults, overall[0].mean_seconds), (3, 5.0 * 3600.0));
    let before = tx.mttr(f.company, all, from - Duration::days(400), from - Duration::days(300), None).await.unwrap();
    assert!(before.is_empty(), "no repairs, no overall row: {before:?}");
    let by_month = tx.mttr(f.company, all, from, to, Some(MttrGroup::Month)).await.unwrap();
    let months: Vec<_> = by_month.iter().map(|r| (r.key.as_str(), r.faults, r.mean_seconds)).collect();
    assert_eq!(months, [("2026-03", 1, 7200.0), ("2026-04", 2, 6.5 * 3600.0)]);
    let by_vessel = tx
        .mttr(f.company, VesselScope { vessel: Some(f.v2), member: None }, from, to, Some(MttrGroup::Vessel))
        .await
        .unwrap();
    assert_eq!((by_vessel[0].key.clone(), by_vessel[0].faults), (f.v2.to_string(), 1));
    let by_sev = tx.mttr(f.company, all, from, to, Some(MttrGroup::Severity)).await.unwrap();
    assert_eq!(by_sev.iter().map(|r| (r.key.as_str(), r.faults)).collect::<Vec<_>>(), [("high", 2), ("low", 1)]);
    let weeks = tx.mttr(f.company, all, from, to, Some(MttrGroup::Week)).await.unwrap();
    assert_eq!(weeks[0].key, "2026-W10", "ISO week of 2026-03-03");

    // Two windows ending together, in the order asked: since day 30 (the April repairs) and
    // since day 0 (all three).
    let day30 = from + Duration::days(30);
    let april = RepairTimes { faults: 2, mean_seconds: Some(6.5 * 3600.0) };
    let both = RepairTimes { faults: 3, mean_seconds: Some(5.0 * 3600.0) };
    assert_eq!(tx.mttr_until(f.company, all, [day30, from], to).await.unwrap(), [april, both]);
    assert_eq!(tx.mttr_until(f.company, all, [from, day30], to).await.unwrap(), [both, april]);
    let winch_only = RepairTimes { faults: 1, mean_seconds: Some(9.0 * 3600.0) };
    let on_v2 = VesselScope { vessel: Some(f.v2), member: None };
    assert_eq!(tx.mttr_until(f.company, on_v2, [day30, from], to).await.unwrap(), [winch_only, winch_only]);
    let none = RepairTimes { faults: 0, mean_seconds: None };
    assert_eq!(tx.mttr_until(f.company, all, [from - Duration::days(400), day30], from).await.unwrap(), [none, none]);
    assert_eq!(tx.mttr_until(f.company, all, [to, from], to).await.unwrap(), [none, both], "an empty window");

    let spans = tx.failure_spans(f.company, all, from, to).await.unwrap();
    let pump_span = spans.iter().find(|s| s.equipment_id == pump.id).unwrap();
    assert_eq!(
        (pump_span.name.as_str(), pump_span.faults, pump_span.first, pump_span.last),
        ("Pump", 3, march, t0() + Duration::days(50))
    );
    let winch_span = spans.iter().find(|s| s.equipment_id == winch.id).unwrap();
    assert_eq!(winch_span.faults, 2);
    assert_eq!(spans.len(), 2, "an item without reports is left out: {spans:?}");
    assert!(spans.windows(2).all(|w| w[0].equipment_id < w[1].equipment_id), "in item order: {spans:?}");

    let spend = tx.parts_spend(f.company, all, from, to).await.unwrap();
    let rows: Vec<_> = spend.iter().map(|s| (s.month.as_str(), s.supplier_minor, s.customer_minor)).collect();
    assert_eq!(rows, [("2026-03", 3000, 3600), ("2026-04", 550, 660)]);
}

/// The dashboard's repair times, split at the later start and summed, equal `mttr`'s `avg`
/// over each window to the last bit, on means no binary fraction holds exactly.
pub async fn split_repair_times_equal_the_mean_of_each_window(store: &dyn Store) {
    let f = fleet(store, "alpha").await;
    let pump = item(&f, f.v1, None, EquipmentLevel::Equipment, "Pump");
    let mut tx = store.begin(Some(f.company)).await.unwrap();
    tx.insert_equipment(&pump).await.unwrap();
    // Odd repair times, resolved a day apart over seven days.
    for (day, secs) in [(0, 7i64), (1, 11), (2, 13), (3, 3_601), (4, 86_399), (5, 1), (6, 2)] {
        let observed = t0() + Duration::days(day);
        let resolved = Fault {
            status: FaultStatus::Resolved,
            resolved_at: Some(observed + Duration::seconds(secs)),
            repair_seconds: Some(secs),
            ..fault(&f, f.v1, pump.id, Severity::High, FaultStatus::Resolved, observed)
        };
        tx.insert_fault(&resolved).await.unwrap();
    }
    tx.commit().await.unwrap();

    let mut tx = store.begin(Some(f.company)).await.unwrap();
    let all = VesselScope::default();
    let until = t0() + Duration::days(8);
    for split in 0..8 {
        let (wide, narrow) = (t0(), t0() + Duration::hours(12) + Duration::days(split));
        let [w, n] = tx.mttr_until(f.company, all, [wide, narrow], until).await.unwrap();
        for (got, start) in [(w, wide), (n, narrow)] {
            let avg = tx.mttr(f.company, all, start, until, None).await.unwrap();
            let expected = avg.first().map_or(RepairTimes::default(), |r| RepairTimes {
                faults: r.faults,
                mean_seconds: Some(r.mean_seconds),
            });
            assert_eq!(got, expected, "from {start} (split on day {split})");
        }
    }
}

pub async fn maintenance_records_are_visible_only_to_their_company(store: &dyn Store) {
    let a = fleet(store, "alpha").await;
    let b = fleet(store, "bravo").await;
    let e = item(&a, a.v1, None, EquipmentLevel::Equipment, "Pump");
    let x = fault(&a, a.v1, e.id, Severity::High, FaultStatus::Open, t0());
    let mut tx = store.begin(Some(a.company)).await.unwrap();
    tx.insert_equipment(&e).await.unwrap();
    tx.insert_fault(&x).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin(Some(b.company)).await.unwrap();
    assert!(tx.equipment(b.company, e.id).await.unwrap().is_none());
    assert!(tx.equipment_seen(b.company, e.id, None).await.unwrap().is_none());
    assert!(matches!(tx.equipment_seen(a.company, e.id, None).await, Ok(None) | Err(StoreError::NotFound)));
    assert!(tx.fault(b.company, x.id).await.unwrap().is_none());
    assert!(
        tx.list_faults(b.company, &FaultFilter::default(), Page { after: None, limit: 10 }).await.unwrap().is_empty()
    );
    assert!(matches!(tx.fault(a.company, x.id).await, Ok(None) | Err(StoreError::NotFound)));
    assert!(tx.unresolved_by_severity(b.company, VesselScope::default(), [t0(); 3]).await.unwrap().is_empty());
}
