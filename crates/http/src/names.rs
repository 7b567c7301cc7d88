//! The names the API takes and gives for the domain's enumerations (severities, statuses,
//! levels, areas, roles, ...), as OpenAPI enums built from the domain's own lists, so the
//! document cannot drift from what the server parses and a generated client gets a union type.
//! Bodies keep such fields as text: the use cases parse them, naming the field in a `422`.

use std::borrow::Cow;

use bosun_app::records::analytics::{GROUPS, group_name};
use bosun_domain::account::InvitationStatus;
use bosun_domain::attachment::{AttachmentKind, ParentKind};
use bosun_domain::audit::Outcome;
use bosun_domain::company::{Plan, SubscriptionStatus};
use bosun_domain::equipment::{Area, Criticality, EquipmentLevel, EquipmentStatus};
use bosun_domain::fault::{FaultStatus, Severity};
use bosun_domain::parts::PartsOrderStatus;
use bosun_domain::person::{Role, Specialisation};
use bosun_domain::vessel::VesselKind;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

macro_rules! names {
    ($($(#[doc = $doc:literal])+ $name:ident = $schema:literal, $values:expr;)+) => {$(
        names!(@one $(#[doc = $doc])+ $name = $schema, $values.iter().map(|v| v.as_str()));
    )+};
    (@one $(#[doc = $doc:literal])+ $name:ident = $schema:literal, $values:expr) => {
        $(#[doc = $doc])+
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                let description = [$($doc),+].map(str::trim).join(" ");
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some($values))
                    .description(Some(description))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($schema)
            }
        }
    };
}

names! {
    /// How bad a fault is.
    SeverityName = "Severity", Severity::ALL;
    /// Where a fault stands in its lifecycle.
    FaultStatusName = "FaultStatus", FaultStatus::ALL;
    /// Where a parts order stands.
    PartsOrderStatusName = "PartsOrderStatus", PartsOrderStatus::ALL;
    /// The level of an item in a vessel's hierarchy.
    LevelName = "EquipmentLevel", EquipmentLevel::ALL;
    /// Where on board an item is.
    AreaName = "Area", Area::ALL;
    /// How much a failure of the item matters.
    CriticalityName = "Criticality", Criticality::ALL;
    /// The recorded condition of an item.
    EquipmentStatusName = "EquipmentStatus", EquipmentStatus::ALL;
    /// A person's (or an API key's) role in a company.
    RoleName = "Role", Role::ALL;
    /// A person's trade on board.
    SpecialisationName = "Specialisation", Specialisation::ALL;
    /// What a vessel record stands for: a vessel, a site or a project.
    VesselKindName = "VesselKind", VesselKind::ALL;
    /// What an attachment belongs to.
    ParentKindName = "ParentKind", ParentKind::ALL;
    /// Photo or document.
    AttachmentKindName = "AttachmentKind", AttachmentKind::ALL;
    /// Where an invitation stands.
    InvitationStatusName = "InvitationStatus", InvitationStatus::ALL;
    /// Whether an audited action was done or refused.
    OutcomeName = "Outcome", Outcome::ALL;
    /// A company's plan (it sets the rate limits).
    PlanName = "Plan", Plan::ALL;
    /// A company's subscription.
    SubscriptionStatusName = "SubscriptionStatus", SubscriptionStatus::ALL;
}

names!(@one
    /// The role of an API key: any but owner.
    ApiKeyRoleName = "ApiKeyRole", Role::ALL.iter().filter(|r| **r != Role::Owner).map(|r| r.as_str())
);
names!(@one
    /// How repair times are grouped: by vessel, item, severity, calendar month or ISO week.
    MttrGroupName = "MttrGroup", GROUPS.iter().map(|g| group_name(*g))
);
names!(@one
    /// `flat` (a page at a time) or `tree` (the whole vessel, nested).
    ListViewName = "ListView", ["flat", "tree"].into_iter()
);
