//! Maintenance records (equipment, faults, parts orders, handovers) written straight through
//! the store, so tests of what hangs off them (attachments, analytics, live events) depend on
//! nothing but the store's contract. Also small files to upload.

use bosun_domain::company::MarkupBasisPoints;
use bosun_domain::equipment::{Area, Criticality, Equipment, EquipmentLevel, EquipmentStatus};
use bosun_domain::fault::{Fault, FaultStatus, Severity, repair_seconds};
use bosun_domain::handover::Handover;
use bosun_domain::parts::{PartsOrder, PartsOrderStatus, customer_unit_price};
use bosun_domain::{CompanyId, EquipmentId, FaultId, HandoverId, PartsOrderId, UserId, VesselId};
use chrono::{DateTime, Utc};
use reqwest::{Method, Response};
use uuid::Uuid;

use crate::app::{Session, TestApp};

/// An operational item of equipment at the top of `vessel`'s hierarchy.
pub fn equipment(company: CompanyId, vessel: VesselId, name: &str, at: DateTime<Utc>) -> Equipment {
    let id = EquipmentId::new();
    Equipment {
        id,
        company_id: company,
        vessel_id: vessel,
        parent_id: None,
        level: EquipmentLevel::Equipment,
        area: Area::EngineRoom,
        name: name.into(),
        equipment_type: None,
        maker: None,
        model: None,
        serial_number: None,
        criticality: Criticality::High,
        status: EquipmentStatus::Operational,
        specs: "{}".into(),
        qr_code: format!("Q{}", id.0.simple()),
        version: 1,
        created_at: at,
        updated_at: at,
    }
}

/// A fault on `item`, reported by `reporter` at `observed_at`, standing at `status` (an
/// acknowledged time is set for every status past open).
pub fn fault(
    item: &Equipment,
    reporter: UserId,
    severity: Severity,
    status: FaultStatus,
    observed_at: DateTime<Utc>,
) -> Fault {
    Fault {
        id: FaultId::new(),
        company_id: item.company_id,
        vessel_id: item.vessel_id,
        equipment_id: item.id,
        severity,
        status,
        title: format!("{severity} fault on {}", item.name),
        description: "seen on rounds".into(),
        reported_by: reporter,
        observed_at,
        received_at: observed_at,
        acknowledged_at: (status != FaultStatus::Open).then_some(observed_at),
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
    }
}

/// The same fault resolved (or, with `closed`, closed) at `at`, its repair time counted from
/// its report.
pub fn resolved(f: Fault, at: DateTime<Utc>, closed: bool) -> Fault {
    Fault {
        status: if closed { FaultStatus::Closed } else { FaultStatus::Resolved },
        resolved_at: Some(at),
        resolved_by: Some(f.reported_by),
        root_cause: Some("wear".into()),
        resolution: Some("replaced".into()),
        repair_seconds: Some(repair_seconds(f.observed_at, at)),
        closed_at: closed.then_some(at),
        updated_at: at,
        ..f
    }
}

/// A parts order for `f` of `quantity` at `supplier_unit` minor units (customer price with the
/// default 20 % markup), created at `at`.
pub fn order(
    f: &Fault,
    quantity: i64,
    supplier_unit: i64,
    currency: &str,
    status: PartsOrderStatus,
    at: DateTime<Utc>,
) -> PartsOrder {
    PartsOrder {
        id: PartsOrderId::new(),
        company_id: f.company_id,
        fault_id: f.id,
        vessel_id: f.vessel_id,
        part_name: "gasket".into(),
        part_number: Some("G-1".into()),
        quantity,
        supplier: "Chandler & Co".into(),
        supplier_unit_minor: supplier_unit,
        customer_unit_minor: customer_unit_price(supplier_unit, MarkupBasisPoints::DEFAULT),
        currency: currency.into(),
        markup_bp: MarkupBasisPoints::DEFAULT.0,
        status,
        requested_by: f.reported_by,
        status_changed_at: at,
        version: 1,
        created_at: at,
        updated_at: at,
    }
}

/// A completed handover of `vessel` by `outgoing`.
pub fn handover(company: CompanyId, vessel: VesselId, outgoing: UserId, at: DateTime<Utc>) -> Handover {
    Handover {
        id: HandoverId::new(),
        company_id: company,
        vessel_id: vessel,
        outgoing_user_id: outgoing,
        rotation_end: at.date_naive(),
        snapshot: r#"{"open_faults":[],"parts_orders":[],"notes":"all quiet"}"#.into(),
        completed_at: at,
        acknowledged_by: None,
        acknowledged_at: None,
        version: 1,
    }
}

/// Writes records of `company` in one transaction.
pub async fn insert(
    app: &TestApp,
    company: CompanyId,
    items: &[Equipment],
    faults: &[Fault],
    orders: &[PartsOrder],
    handovers: &[Handover],
) {
    let mut tx = app.app.store.begin(Some(company)).await.expect("a transaction");
    for e in items {
        tx.insert_equipment(e).await.expect("equipment stored");
    }
    for f in faults {
        tx.insert_fault(f).await.expect("fault stored");
    }
    for o in orders {
        tx.insert_legacy_parts_order(o).await.expect("parts order stored");
    }
    for h in handovers {
        tx.insert_handover(h).await.expect("handover stored");
    }
    tx.commit().await.expect("committed");
    // Parts orders made before purchasing became requisitions at start-up.
    app.app.purchasing.migrate_parts_orders(company).await.expect("parts orders migrated");
}

/// One record of each kind an attachment may belong to, on one vessel.
#[derive(Debug, Clone, Copy)]
pub struct Records {
    /// An item of equipment.
    pub equipment: Uuid,
    /// A fault on it.
    pub fault: Uuid,
    /// A completed handover of the vessel.
    pub handover: Uuid,
}

impl Records {
    /// The record of `kind`.
    pub fn of(&self, kind: &str) -> Uuid {
        match kind {
            "equipment" => self.equipment,
            "fault" => self.fault,
            "handover" => self.handover,
            other => panic!("no record of kind {other}"),
        }
    }
}

/// Makes an item, a fault on it and a handover on `vessel`.
pub async fn records_on(app: &TestApp, company: CompanyId, vessel: VesselId, person: UserId) -> Records {
    let now = app.clock_now();
    let item = equipment(company, vessel, "Main engine 1", now);
    let f = fault(&item, person, Severity::High, FaultStatus::Open, now);
    let h = handover(company, vessel, person, now);
    insert(app, company, std::slice::from_ref(&item), std::slice::from_ref(&f), &[], std::slice::from_ref(&h)).await;
    Records { equipment: item.id.0, fault: f.id.0, handover: h.id.0 }
}

/// A PNG of `width` × `height` pixels.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).expect("a PNG is encoded");
    out.into_inner()
}

/// Uploads `bytes` as `file_name` to the `kind` record `parent` as `who`.
pub async fn upload(
    app: &TestApp,
    who: &Session,
    kind: &str,
    parent: Uuid,
    file_name: &str,
    bytes: Vec<u8>,
) -> Response {
    let path = format!("/api/v1/attachments?parent_kind={kind}&parent_id={parent}&file_name={}", encode(file_name));
    let send = || {
        app.as_(who, Method::POST, &path).header("content-type", "application/octet-stream").body(bytes.clone()).send()
    };
    // A body the server refuses before reading it (over the size cap) can break mid-write when
    // the server closes the connection after its answer (seen once in the suite of 2026-12-05,
    // as the equipment import's BrokenPipe): a request that never got an answer is sent once
    // more; an answer is always checked as it came.
    match send().await {
        Ok(res) => res,
        Err(e) if e.is_request() => {
            eprintln!("upload request broke before an answer ({e}); sending it once more");
            send().await.expect("upload request")
        }
        Err(e) => panic!("upload request: {e}"),
    }
}

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

impl TestApp {
    /// The app's (fixed) time.
    pub fn clock_now(&self) -> DateTime<Utc> {
        use bosun_domain::Clock;
        self.clock.now()
    }
}

/// Sends `who`'s POST to `path` announcing a body of `announced` bytes, sends only the first
/// KiB of it, and reads the status the server answers with: a server that answers has judged
/// the request without reading the body (one that reads it first never answers; the timeout
/// only bounds that failure).
pub async fn status_before_the_body(
    app: &TestApp,
    who: &Session,
    path: &str,
    content_type: &str,
    announced: usize,
) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.expect("a connection");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {announced}\r\n\r\n",
        app.addr, who.token
    );
    stream.write_all(head.as_bytes()).await.expect("the request head is sent");
    stream.write_all(&[b'a'; 1024]).await.expect("the start of the body is sent");
    let answer = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        let mut answer = Vec::new();
        let mut buf = [0u8; 1024];
        while !answer.windows(2).any(|w| w == b"\r\n") {
            let n = stream.read(&mut buf).await.expect("the answer is read");
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buf[..n]);
        }
        answer
    })
    .await
    .expect("the server answers before the body is sent");
    let status_line = String::from_utf8_lossy(&answer);
    status_line.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no status in {status_line:?}"))
}

/// The temporary files (spooled request bodies) left under the data folder.
pub fn spooled_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(app.data_dir.path().join("tmp"))
        .map(|d| d.map(|e| e.expect("a folder entry").path()).collect())
        .unwrap_or_default()
}
