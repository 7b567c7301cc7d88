//! What the API answers: view types derived from domain values.

use bosun_domain::audit::AuditEntry;
use bosun_domain::company::Company;
use bosun_domain::person::{Member, Membership, User};
use bosun_domain::vessel::{Department, Vessel, VesselMember};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

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
    pub subscription_status: String,
    /// Markup on parts, in percent.
    pub parts_markup_percent: f64,
    /// Version.
    pub version: i64,
}

impl From<&Company> for CompanyView {
    fn from(c: &Company) -> Self {
        Self {
            public: c.into(),
            subscription_status: c.subscription_status.as_str().into(),
            parts_markup_percent: c.parts_markup.0 as f64 / 100.0,
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
    pub role: String,
    /// Trade.
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
            company: c.into(),
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
    pub role: String,
    /// Trade.
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

impl From<&AuditEntry> for AuditEntryView {
    fn from(e: &AuditEntry) -> Self {
        let json = |s: &Option<String>| s.as_deref().and_then(|s| serde_json::from_str(s).ok());
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
page!(AuditPage, AuditEntryView, "A page of audit entries, newest first.");
