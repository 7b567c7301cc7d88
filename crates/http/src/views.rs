//! What the API answers: view types derived from domain values.

use crate::names::{
    AreaName, CriticalityName, EquipmentStatusName, FaultStatusName, LevelName, OutcomeName, PlanName, RoleName,
    SeverityName, SpecialisationName, SubscriptionStatusName, VesselKindName,
};
use bosun_domain::EquipmentId;
use bosun_domain::audit::AuditEntry;
use bosun_domain::company::Company;
use bosun_domain::fields::{Field, FieldPolicy};
use bosun_domain::person::{CrewMember, Member, Membership, Role, User};
use bosun_domain::vessel::{Department, Vessel, VesselMember};
use bosun_store::FaultSummary;
use bosun_store::StoredReading;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use bosun_app::fleet::equipment::import::ImportReport;
use bosun_app::fleet::equipment::{EquipmentDetail, EquipmentState, TreeEntry};

/// How a company presents itself.
#[derive(Debug, Serialize, ToSchema)]
pub struct BrandingView {
    /// Name shown to people.
    pub display_name: String,
    /// Logo address.
    pub logo_url: Option<String>,
    /// `#rrggbb`.
    pub primary_color: String,
}

/// A company as anyone may see it (the login page).
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicCompanyView {
    /// Id.
    pub id: Uuid,
    /// URL name.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Branding.
    pub branding: BrandingView,
}

impl From<&Company> for PublicCompanyView {
    fn from(c: &Company) -> Self {
        Self {
            id: c.id.0,
            slug: c.slug.to_string(),
            name: c.name.clone(),
            branding: BrandingView {
                display_name: c.branding.display_name.clone(),
                logo_url: c.branding.logo_url.clone(),
                primary_color: c.branding.primary_color.clone(),
            },
        }
    }
}

/// A company as its own people see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompanyView {
    /// Public face.
    #[serde(flatten)]
    pub public: PublicCompanyView,
    /// `trial`, `active`, `past_due` or `cancelled`.
    #[schema(value_type = SubscriptionStatusName)]
    pub subscription_status: String,
    /// `basic`, `pro` or `enterprise`: sets the request rate limits.
    #[schema(value_type = PlanName)]
    pub plan: String,
    /// Whether owners and admins must sign in with a second factor.
    pub require_mfa: bool,
    /// Markup on parts, in percent; only for roles that see supplier prices
    /// (`price.supplier.read`): with a customer price it would give the supplier price away.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parts_markup_percent: Option<f64>,
    /// Whether stock may go below zero at a location (`refuse` or `allow`).
    #[schema(value_type = crate::names::NegativeStockName)]
    pub negative_stock: String,
    /// Version.
    pub version: i64,
}

impl CompanyView {
    /// The company as a person of `role` may see it.
    pub fn for_role(c: &Company, role: Role) -> Self {
        Self {
            public: c.into(),
            subscription_status: c.subscription_status.as_str().into(),
            plan: c.plan.as_str().into(),
            require_mfa: c.require_mfa,
            parts_markup_percent: FieldPolicy::of(role)
                .shown(Field::PartsMarkupPercent, c.parts_markup.0 as f64 / 100.0),
            negative_stock: c.negative_stock.as_str().into(),
            version: c.version,
        }
    }
}

/// The signed-in person.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    /// Id.
    pub id: Uuid,
    /// Login.
    pub email: String,
    /// Name.
    pub name: String,
    /// Role in this company.
    #[schema(value_type = RoleName)]
    pub role: String,
    /// Trade.
    #[schema(value_type = Option<SpecialisationName>)]
    pub specialisation: Option<String>,
    /// Whether enabled.
    pub active: bool,
    /// The company of this session.
    pub company: CompanyView,
}

impl UserView {
    /// Builds the view.
    pub fn new(u: &User, m: &Membership, c: &Company) -> Self {
        Self {
            id: u.id.0,
            email: u.email.to_string(),
            name: u.name.clone(),
            role: m.role.as_str().into(),
            specialisation: m.specialisation.map(|s| s.as_str().into()),
            active: m.active,
            company: CompanyView::for_role(c, m.role),
        }
    }
}

/// A person of the company.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    /// User id.
    pub id: Uuid,
    /// Login.
    pub email: String,
    /// Name.
    pub name: String,
    /// Role.
    #[schema(value_type = RoleName)]
    pub role: String,
    /// Trade.
    #[schema(value_type = Option<SpecialisationName>)]
    pub specialisation: Option<String>,
    /// Whether enabled.
    pub active: bool,
    /// Version of the membership.
    pub version: i64,
    /// Joined.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<&Member> for MemberView {
    fn from(m: &Member) -> Self {
        Self {
            id: m.user.id.0,
            email: m.user.email.to_string(),
            name: m.user.name.clone(),
            role: m.membership.role.as_str().into(),
            specialisation: m.membership.specialisation.map(|s| s.as_str().into()),
            active: m.membership.active,
            version: m.membership.version,
            created_at: m.membership.created_at,
            updated_at: m.membership.updated_at,
        }
    }
}

/// A vessel, site or project.
#[derive(Debug, Serialize, ToSchema)]
pub struct VesselView {
    /// Id.
    pub id: Uuid,
    /// `vessel`, `site` or `project`.
    #[schema(value_type = VesselKindName)]
    pub kind: String,
    /// Name.
    pub name: String,
    /// Type.
    pub vessel_type: Option<String>,
    /// IMO number (ships).
    pub imo: Option<String>,
    /// Specifications.
    #[schema(value_type = Object)]
    pub specs: serde_json::Value,
    /// Version (sync sequence of the last change).
    pub version: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<&Vessel> for VesselView {
    fn from(v: &Vessel) -> Self {
        Self {
            id: v.id.0,
            kind: v.kind.as_str().into(),
            name: v.name.clone(),
            vessel_type: v.vessel_type.clone(),
            imo: v.imo.map(|i| i.to_string()),
            specs: serde_json::from_str(&v.specs).unwrap_or_else(|_| serde_json::json!({})),
            version: v.version,
            created_at: v.created_at,
            updated_at: v.updated_at,
        }
    }
}

/// A department of a vessel.
#[derive(Debug, Serialize, ToSchema)]
pub struct DepartmentView {
    /// Id.
    pub id: Uuid,
    /// Vessel.
    pub vessel_id: Uuid,
    /// Name.
    pub name: String,
}

impl From<&Department> for DepartmentView {
    fn from(d: &Department) -> Self {
        Self { id: d.id.0, vessel_id: d.vessel_id.0, name: d.name.clone() }
    }
}

/// A vessel with its departments.
#[derive(Debug, Serialize, ToSchema)]
pub struct VesselDetailView {
    /// The vessel.
    #[serde(flatten)]
    pub vessel: VesselView,
    /// Its departments.
    pub departments: Vec<DepartmentView>,
}

/// A person on a vessel: who they are in the company and their place on board.
#[derive(Debug, Serialize, ToSchema)]
pub struct CrewMemberView {
    /// The person.
    pub person: MemberView,
    /// Their department on board.
    pub department_id: Option<Uuid>,
    /// First day of the current rotation.
    pub rotation_start: NaiveDate,
    /// Planned last day, if known.
    pub rotation_end: Option<NaiveDate>,
}

impl From<&CrewMember> for CrewMemberView {
    fn from(c: &CrewMember) -> Self {
        Self {
            person: (&c.member).into(),
            department_id: c.rotation.department_id.map(|d| d.0),
            rotation_start: c.rotation.rotation_start,
            rotation_end: c.rotation.rotation_end,
        }
    }
}

/// A person's rotation on a vessel.
#[derive(Debug, Serialize, ToSchema)]
pub struct RotationView {
    /// Vessel.
    pub vessel_id: Uuid,
    /// Person.
    pub user_id: Uuid,
    /// Department.
    pub department_id: Option<Uuid>,
    /// First day.
    pub rotation_start: NaiveDate,
    /// Planned last day.
    pub rotation_end: Option<NaiveDate>,
}

impl From<&VesselMember> for RotationView {
    fn from(m: &VesselMember) -> Self {
        Self {
            vessel_id: m.vessel_id.0,
            user_id: m.user_id.0,
            department_id: m.department_id.map(|d| d.0),
            rotation_start: m.rotation_start,
            rotation_end: m.rotation_end,
        }
    }
}

/// One audit entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    /// Position in the company's chain.
    pub seq: i64,
    /// Id.
    pub id: Uuid,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor_id: Option<Uuid>,
    /// What.
    pub action: String,
    /// On what kind of thing.
    pub entity: String,
    /// On which.
    pub entity_id: Option<String>,
    /// Before.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// After.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    /// `success` or `failure`.
    #[schema(value_type = OutcomeName)]
    pub outcome: String,
    /// From where.
    pub ip: Option<String>,
    /// With what.
    pub user_agent: Option<String>,
    /// Request id.
    pub request_id: Option<String>,
    /// Chain hash.
    pub hash: String,
}

impl AuditEntryView {
    /// The entry as a reader under `policy` may see it: the before and after of a record
    /// leave out the fields the policy withholds from them.
    pub fn new(e: &AuditEntry, policy: FieldPolicy) -> Self {
        let json = |s: &Option<String>| {
            s.as_deref().and_then(|s| serde_json::from_str(s).ok()).map(|mut v| {
                bosun_app::policy::redact(policy, &e.entry.entity, &mut v);
                v
            })
        };
        Self {
            seq: e.seq,
            id: e.entry.id.0,
            at: e.entry.at,
            actor_id: e.entry.actor.map(|a| a.0),
            action: e.entry.action.clone(),
            entity: e.entry.entity.clone(),
            entity_id: e.entry.entity_id.clone(),
            before: json(&e.entry.before),
            after: json(&e.entry.after),
            outcome: e.entry.outcome.as_str().into(),
            ip: e.entry.ip.clone(),
            user_agent: e.entry.user_agent.clone(),
            request_id: e.entry.request_id.clone(),
            hash: e.hash.clone(),
        }
    }
}

macro_rules! page {
    ($name:ident, $item:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Serialize, ToSchema)]
        pub struct $name {
            /// This page.
            pub items: Vec<$item>,
            /// Pass as `cursor` for the next page; null on the last.
            pub next_cursor: Option<String>,
        }
    };
}
page!(VesselPage, VesselView, "A page of vessels.");
page!(MemberPage, MemberView, "A page of people.");
page!(CrewPage, CrewMemberView, "A page of a vessel's crew.");
page!(AuditPage, AuditEntryView, "A page of audit entries, newest first.");

/// An item of equipment as listed: its recorded status and the status people see.
#[derive(Debug, Serialize, ToSchema)]
pub struct EquipmentView {
    /// Id.
    pub id: Uuid,
    /// Vessel.
    pub vessel_id: Uuid,
    /// The item above it; null at top level.
    pub parent_id: Option<Uuid>,
    /// `system`, `equipment` or `component`.
    #[schema(value_type = LevelName)]
    pub level: String,
    /// `engine_room`, `deck`, `bridge`, `accommodation`, `cargo`, `electrical`, `hull` or `other`.
    #[schema(value_type = AreaName)]
    pub area: String,
    /// Name.
    pub name: String,
    /// Type.
    pub equipment_type: Option<String>,
    /// Maker.
    pub maker: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Serial number.
    pub serial_number: Option<String>,
    /// `low`, `medium`, `high` or `critical`.
    #[schema(value_type = CriticalityName)]
    pub criticality: String,
    /// Recorded status: `operational`, `degraded`, `down` or `decommissioned`.
    #[schema(value_type = EquipmentStatusName)]
    pub status: String,
    /// What people see: `down` while a critical fault on it is unresolved, else the recorded status.
    pub effective_status: String,
    /// Total running hours, derived from its readings; null when it has none.
    pub running_hours: Option<f64>,
    /// Specifications.
    #[schema(value_type = Object)]
    pub specs: serde_json::Value,
    /// The stable code on its QR label.
    pub qr_code: String,
    /// What its QR label encodes: `{server.public_url}/q/{qr_code}`.
    pub qr_url: String,
    /// Version (sync sequence of the last change).
    pub version: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl EquipmentView {
    /// Builds the view; `public_url` is where QR codes point.
    pub fn new(s: &EquipmentState, public_url: &str) -> Self {
        let e = &s.item;
        Self {
            id: e.id.0,
            vessel_id: e.vessel_id.0,
            parent_id: e.parent_id.map(|p| p.0),
            level: e.level.as_str().into(),
            area: e.area.as_str().into(),
            name: e.name.clone(),
            equipment_type: e.equipment_type.clone(),
            maker: e.maker.clone(),
            model: e.model.clone(),
            serial_number: e.serial_number.clone(),
            criticality: e.criticality.as_str().into(),
            status: e.status.as_str().into(),
            effective_status: s.effective_status.as_str().into(),
            running_hours: s.running_hours,
            specs: serde_json::from_str(&e.specs).unwrap_or_else(|_| serde_json::json!({})),
            qr_code: e.qr_code.clone(),
            qr_url: qr_url(public_url, &e.qr_code),
            version: e.version,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// What an item's QR label encodes.
pub fn qr_url(public_url: &str, code: &str) -> String {
    format!("{}/q/{code}", public_url.trim_end_matches('/'))
}

/// A node of a vessel's equipment tree.
#[derive(Debug, Serialize, ToSchema)]
pub struct EquipmentNode {
    /// The item.
    #[serde(flatten)]
    pub item: EquipmentView,
    /// Whether it matches the filters; false for an ancestor shown to place a match.
    pub matched: bool,
    /// The items under it.
    #[schema(no_recursion)]
    pub children: Vec<EquipmentNode>,
}

/// A page of a vessel's equipment, flat.
#[derive(Debug, Serialize, ToSchema)]
pub struct EquipmentFlatList {
    /// `flat`: tells the two listings apart.
    pub view: FlatView,
    /// This page, in id order; each item names its `parent_id`.
    pub items: Vec<EquipmentView>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// A vessel's equipment as a tree.
#[derive(Debug, Serialize, ToSchema)]
pub struct EquipmentTreeList {
    /// `tree`: tells the two listings apart.
    pub view: TreeView,
    /// The top-level items, each with what sits under it.
    pub items: Vec<EquipmentNode>,
    /// Items in the tree.
    pub total: usize,
}

/// The `view` of a flat listing.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FlatView {
    /// A page of items, each naming its parent.
    Flat,
}

/// The `view` of a tree listing.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TreeView {
    /// The whole vessel, nested.
    Tree,
}

/// A vessel's equipment, flat (paged) or as a tree (whole).
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum EquipmentListing {
    /// `view=flat`.
    Flat(EquipmentFlatList),
    /// `view=tree`.
    Tree(EquipmentTreeList),
}

impl EquipmentTreeList {
    /// Nests the entries (in id order) under their parents.
    pub fn new(entries: &[TreeEntry], public_url: &str) -> Self {
        let ids: std::collections::HashSet<_> = entries.iter().map(|e| e.state.item.id).collect();
        let mut children: std::collections::HashMap<Option<EquipmentId>, Vec<&TreeEntry>> = Default::default();
        for e in entries {
            // An item whose parent is not shown stands at the top.
            let parent = e.state.item.parent_id.filter(|p| ids.contains(p));
            children.entry(parent).or_default().push(e);
        }
        fn build(
            parent: Option<EquipmentId>,
            children: &std::collections::HashMap<Option<EquipmentId>, Vec<&TreeEntry>>,
            public_url: &str,
        ) -> Vec<EquipmentNode> {
            children
                .get(&parent)
                .into_iter()
                .flatten()
                .map(|e| EquipmentNode {
                    item: EquipmentView::new(&e.state, public_url),
                    matched: e.matched,
                    children: build(Some(e.state.item.id), children, public_url),
                })
                .collect()
        }
        Self { view: TreeView::Tree, items: build(None, &children, public_url), total: entries.len() }
    }
}

/// A fault in an item's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct EquipmentFaultView {
    /// Id.
    pub id: Uuid,
    /// `low`, `medium`, `high` or `critical`.
    #[schema(value_type = SeverityName)]
    pub severity: String,
    /// Lifecycle status.
    #[schema(value_type = FaultStatusName)]
    pub status: String,
    /// Title.
    pub title: String,
    /// When it was observed.
    pub observed_at: DateTime<Utc>,
    /// When it was resolved.
    pub resolved_at: Option<DateTime<Utc>>,
}

impl From<&FaultSummary> for EquipmentFaultView {
    fn from(f: &FaultSummary) -> Self {
        Self {
            id: f.id.0,
            severity: f.severity.as_str().into(),
            status: f.status.as_str().into(),
            title: f.title.clone(),
            observed_at: f.observed_at,
            resolved_at: f.resolved_at,
        }
    }
}

/// A running-hour reading.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadingView {
    /// Id.
    pub id: Uuid,
    /// The item.
    pub equipment_id: Uuid,
    /// Hours on the meter.
    pub hours: f64,
    /// The first reading of a new meter.
    pub meter_replaced: bool,
    /// When it was read.
    pub read_at: DateTime<Utc>,
    /// Who recorded it.
    pub recorded_by: Option<Uuid>,
}

impl From<&StoredReading> for ReadingView {
    fn from(r: &StoredReading) -> Self {
        Self {
            id: r.id,
            equipment_id: r.equipment_id.0,
            hours: r.reading.hours,
            meter_replaced: r.reading.meter_replaced,
            read_at: r.reading.read_at,
            recorded_by: r.recorded_by.map(|u| u.0),
        }
    }
}

/// An item with its faults and latest readings.
#[derive(Debug, Serialize, ToSchema)]
pub struct EquipmentDetailView {
    /// The item.
    #[serde(flatten)]
    pub item: EquipmentView,
    /// Its faults, newest first (at most 50).
    pub faults: Vec<EquipmentFaultView>,
    /// Its latest readings, newest first (at most 50; all of them at `/readings`).
    pub readings: Vec<ReadingView>,
    /// How many readings it has.
    pub readings_total: usize,
    /// Its link to its parent's meter, when it counts the parent's running hours.
    pub meter_link: Option<MeterLinkView>,
}

impl EquipmentDetailView {
    /// Builds the view.
    pub fn new(d: &EquipmentDetail, public_url: &str) -> Self {
        Self {
            item: EquipmentView::new(&d.state, public_url),
            faults: d.faults.iter().map(Into::into).collect(),
            readings: d.readings.iter().map(Into::into).collect(),
            readings_total: d.readings_total,
            meter_link: d.meter_link.as_ref().map(MeterLinkView::new),
        }
    }
}

/// A child item counting its parent's running hours: from `linked_at` its total is
/// `child_base` plus what the parent ran since `parent_base`.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeterLinkView {
    /// The child item.
    pub equipment_id: Uuid,
    /// Its parent, whose meter it counts.
    pub parent_id: Uuid,
    /// The child's hours when linked.
    pub child_base: f64,
    /// The parent's hours when linked.
    pub parent_base: f64,
    /// Who linked it.
    pub linked_by: Uuid,
    /// When.
    pub linked_at: DateTime<Utc>,
}

impl MeterLinkView {
    /// Builds the view.
    pub fn new(l: &bosun_store::MeterLink) -> Self {
        Self {
            equipment_id: l.child_id.0,
            parent_id: l.parent_id.0,
            child_base: l.child_base,
            parent_base: l.parent_base,
            linked_by: l.linked_by.0,
            linked_at: l.linked_at,
        }
    }
}

/// A page of an item's readings, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadingPage {
    /// This page.
    pub items: Vec<ReadingView>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
    /// Total running hours; null without readings.
    pub running_hours: Option<f64>,
}

/// A recorded reading and the running hours after it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordedReadingView {
    /// The reading.
    #[serde(flatten)]
    pub reading: ReadingView,
    /// The item's total running hours now.
    pub running_hours: f64,
}

/// A decommissioned item.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecommissionedView {
    /// The item.
    #[serde(flatten)]
    pub item: EquipmentView,
    /// How many items under it were decommissioned with it.
    pub also_decommissioned: usize,
}

/// One problem with one row of an import.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportRowErrorView {
    /// The line of the file where the row starts (the header is line 1).
    pub row: usize,
    /// The column (`row` for the row as a whole).
    pub field: String,
    /// A stable code.
    pub code: String,
    /// For people.
    pub message: String,
}

impl From<&bosun_app::csv_rows::RowError> for ImportRowErrorView {
    fn from(e: &bosun_app::csv_rows::RowError) -> Self {
        Self { row: e.row, field: e.field.clone(), code: e.code.into(), message: e.message.clone() }
    }
}

/// An item an import created.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportedItemView {
    /// Its row.
    pub row: usize,
    /// Its `ref` in the file.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    /// Its id.
    pub id: Uuid,
    /// Its QR code.
    pub qr_code: String,
}

/// What an import did, or (dry run) would do.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReportView {
    /// Whether this was a dry run (nothing written).
    pub dry_run: bool,
    /// Data rows read.
    pub rows: usize,
    /// Whether every row is good (a real import then writes them all).
    pub valid: bool,
    /// Items written (0 on a dry run).
    pub imported: usize,
    /// Every problem, by row: those of the first 100 bad rows.
    pub errors: Vec<ImportRowErrorView>,
    /// The items written, by row.
    pub items: Vec<ImportedItemView>,
    /// Whether checking stopped early, at the 100th bad row: rows after `stopped_at_row` were
    /// neither checked nor reported (false when every row was checked).
    #[serde(default)]
    pub truncated: bool,
    /// The line checking stopped at (the 100th bad row), when it stopped early.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_at_row: Option<usize>,
}

impl From<&ImportReport> for ImportReportView {
    fn from(r: &ImportReport) -> Self {
        Self {
            dry_run: r.dry_run,
            rows: r.rows,
            valid: r.errors.is_empty(),
            imported: r.items.len(),
            errors: r.errors.iter().map(Into::into).collect(),
            items: r
                .items
                .iter()
                .map(|i| ImportedItemView {
                    row: i.row,
                    reference: i.reference.clone(),
                    id: i.id.0,
                    qr_code: i.qr_code.clone(),
                })
                .collect(),
            truncated: r.stopped_at.is_some(),
            stopped_at_row: r.stopped_at,
        }
    }
}

/// Writes a time as chrono's `Serialize` does (RFC 3339, `Z`, as many fraction digits as it
/// has) in one piece: chrono's own goes through `collect_str`, which escapes every small
/// piece its formatter writes, a cost that shows in answers of ten thousand rows.
pub(crate) fn instant<S: serde::Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
}

/// Writes a short `Display` text (a quantity, a number) as one JSON string, made in a buffer on
/// the stack: no `String` for each of the tens of thousands of quantities in a vessel's stock,
/// and not `collect_str`, which escapes each small piece the formatter writes. A text longer
/// than the buffer goes through `collect_str`.
pub(crate) fn short_text<T: std::fmt::Display, S: serde::Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    use std::fmt::Write as _;
    let mut text = ShortText { bytes: [0; SHORT_TEXT], len: 0 };
    match write!(text, "{v}").ok().and_then(|()| std::str::from_utf8(&text.bytes[..text.len]).ok()) {
        Some(written) => s.serialize_str(written),
        None => s.collect_str(v),
    }
}

const SHORT_TEXT: usize = 48;

struct ShortText {
    bytes: [u8; SHORT_TEXT],
    len: usize,
}

impl std::fmt::Write for ShortText {
    fn write_str(&mut self, piece: &str) -> std::fmt::Result {
        let end = self.len + piece.len();
        let room = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        room.copy_from_slice(piece.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// A JSON answer whose size is roughly known before it is written (a vessel's whole stock,
/// megabytes): serialised into a buffer of that size at once, rather than into one grown from
/// a few bytes by doubling, each growth copying what was written so far.
pub(crate) struct SizedJson<T>(pub(crate) T, pub(crate) usize);

impl<T: Serialize> axum::response::IntoResponse for SizedJson<T> {
    fn into_response(self) -> axum::response::Response {
        let mut body = Vec::with_capacity(self.1);
        match serde_json::to_writer(&mut body, &self.0) {
            Ok(()) => ([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response(),
            Err(e) => crate::error::ApiError::from(bosun_app::Error::Internal(format!("answer not written: {e}")))
                .into_response(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use chrono::{DateTime, TimeZone, Utc};

    #[derive(serde::Serialize)]
    struct Both {
        chrono: DateTime<Utc>,
        #[serde(serialize_with = "super::instant")]
        ours: DateTime<Utc>,
    }

    /// `instant` writes exactly what chrono's `Serialize` writes, whatever the fraction.
    #[test]
    fn instant_writes_what_chrono_writes() {
        let base = Utc.with_ymd_and_hms(2026, 12, 6, 12, 30, 5).unwrap();
        for nanos in [0, 1, 120_000_000, 123_456_000, 123_456_789, 999_999_999] {
            let at = base + chrono::Duration::nanoseconds(nanos);
            let json = serde_json::to_value(Both { chrono: at, ours: at }).unwrap();
            assert_eq!(json["chrono"], json["ours"], "{nanos} ns");
        }
    }

    #[derive(serde::Serialize)]
    struct Text<T: std::fmt::Display> {
        #[serde(serialize_with = "super::short_text")]
        v: T,
    }

    /// `short_text` writes a value's text, escaped as JSON, however long it is.
    #[test]
    fn short_text_writes_the_display_text() {
        use bosun_domain::stock::Quantity;
        for q in [0, 5, -120, 12_500, 1_007, i64::MAX, i64::MIN] {
            let json = serde_json::to_value(Text { v: Quantity(q) }).unwrap();
            assert_eq!(json["v"], Quantity(q).to_string(), "{q}");
        }
        let long = format!("{}\"quoted\"", "x".repeat(super::SHORT_TEXT));
        for text in ["", "a \"b\"", long.as_str()] {
            assert_eq!(serde_json::to_value(Text { v: text }).unwrap()["v"], text);
        }
    }
}
