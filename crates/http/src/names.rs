//! The names the API takes and gives for the domain's enumerations (severities, statuses,
//! levels, areas, roles, ...), as OpenAPI enums built from the domain's own lists, so the
//! document cannot drift from what the server parses and a generated client gets a union type.
//! Bodies keep such fields as text: the use cases parse them, naming the field in a `422`.

use std::borrow::Cow;

use bosun_app::records::analytics::{GROUPS, group_name};
use bosun_domain::account::InvitationStatus;
use bosun_domain::assignment::{AssignmentStatus, ReportStatus};
use bosun_domain::attachment::{AttachmentKind, ParentKind};
use bosun_domain::audit::Outcome;
use bosun_domain::company::{Plan, SubscriptionStatus};
use bosun_domain::equipment::{Area, Criticality, EquipmentLevel, EquipmentStatus};
use bosun_domain::fault::{FaultStatus, Severity};
use bosun_domain::maintenance_plan::{CalendarBasis, CalendarUnit, DueState};
use bosun_domain::parts::PartsOrderStatus;
use bosun_domain::person::{Role, Specialisation};
use bosun_domain::procedure::{Outcome as StepOutcome, StepKind};
use bosun_domain::purchasing::{PurchaseOrderStatus, RequisitionStatus};
use bosun_domain::stock::NegativeStock;
use bosun_domain::vessel::VesselKind;
use bosun_domain::work_order::{Priority, WorkOrderStatus};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

macro_rules! names {
    ($($(#[doc = $doc:literal])+ $name:ident = $schema:literal, $values:expr;)+) => {
        $(
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
        )+

        /// Every name above with its schema, for the document's components (utoipa collects
        /// the schemas bodies and answers refer to, not those only parameters refer to).
        pub(crate) const ALL: &[(&str, fn() -> RefOr<Schema>)] =
            &[$(($schema, <$name as utoipa::PartialSchema>::schema)),+];
    };
}

/// The wire names of a domain enumeration's values.
fn wire<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> impl Iterator<Item = &'static str> + '_ {
    all.iter().map(move |v| name(*v))
}

names! {
    /// How bad a fault is.
    SeverityName = "Severity", wire(Severity::ALL, Severity::as_str);
    /// Where a fault stands in its lifecycle.
    FaultStatusName = "FaultStatus", wire(FaultStatus::ALL, FaultStatus::as_str);
    /// A move of a fault a person may ask for by name: any status but `resolved`, which needs
    /// a root cause and a resolution (`PUT /faults/{id}/resolve`).
    FaultMoveName = "FaultMove",
        wire(FaultStatus::ALL, FaultStatus::as_str).filter(|s| *s != FaultStatus::Resolved.as_str());
    /// Where a parts order stands.
    PartsOrderStatusName = "PartsOrderStatus", wire(PartsOrderStatus::ALL, PartsOrderStatus::as_str);
    /// Whether stock may go below zero at a location.
    NegativeStockName = "NegativeStock", wire(NegativeStock::ALL, NegativeStock::as_str);
    /// Where a requisition stands.
    RequisitionStatusName = "RequisitionStatus", wire(RequisitionStatus::ALL, RequisitionStatus::as_str);
    /// Where a purchase order stands.
    PurchaseOrderStatusName = "PurchaseOrderStatus", wire(PurchaseOrderStatus::ALL, PurchaseOrderStatus::as_str);
    /// A move of a purchase order a person asks for: receipts make the others.
    PurchaseOrderMoveName = "PurchaseOrderMove",
        wire(PurchaseOrderStatus::ALL, PurchaseOrderStatus::as_str).filter(|s| matches!(*s, "sent" | "shipped" | "cancelled"));
    /// The level of an item in a vessel's hierarchy.
    LevelName = "EquipmentLevel", wire(EquipmentLevel::ALL, EquipmentLevel::as_str);
    /// Where on board an item is.
    AreaName = "Area", wire(Area::ALL, Area::as_str);
    /// How much a failure of the item matters.
    CriticalityName = "Criticality", wire(Criticality::ALL, Criticality::as_str);
    /// The recorded condition of an item.
    EquipmentStatusName = "EquipmentStatus", wire(EquipmentStatus::ALL, EquipmentStatus::as_str);
    /// The recorded condition a person may set on an item: any but `decommissioned`, which has
    /// its own route (`POST /equipment/{id}/decommission`).
    SettableEquipmentStatusName = "SettableEquipmentStatus",
        wire(EquipmentStatus::ALL, EquipmentStatus::as_str).filter(|s| *s != EquipmentStatus::Decommissioned.as_str());
    /// A person's (or an API key's) role in a company.
    RoleName = "Role", wire(&Role::ALL, Role::as_str);
    /// The role of an API key: any but owner.
    ApiKeyRoleName = "ApiKeyRole", wire(&Role::ALL, Role::as_str).filter(|r| *r != Role::Owner.as_str());
    /// A person's trade on board.
    SpecialisationName = "Specialisation", wire(&Specialisation::ALL, Specialisation::as_str);
    /// What a vessel record stands for: a vessel, a site or a project.
    VesselKindName = "VesselKind", wire(&VesselKind::ALL, VesselKind::as_str);
    /// What an attachment belongs to.
    ParentKindName = "ParentKind", wire(ParentKind::ALL, ParentKind::as_str);
    /// Photo or document.
    AttachmentKindName = "AttachmentKind", wire(AttachmentKind::ALL, AttachmentKind::as_str);
    /// Where an invitation stands.
    InvitationStatusName = "InvitationStatus", wire(&InvitationStatus::ALL, InvitationStatus::as_str);
    /// Whether an audited action was done or refused.
    OutcomeName = "Outcome", wire(&Outcome::ALL, Outcome::as_str);
    /// A company's plan (it sets the rate limits).
    PlanName = "Plan", wire(&Plan::ALL, Plan::as_str);
    /// A company's subscription.
    SubscriptionStatusName = "SubscriptionStatus", wire(&SubscriptionStatus::ALL, SubscriptionStatus::as_str);
    /// How repair times are grouped: by vessel, item, severity, calendar month or ISO week.
    MttrGroupName = "MttrGroup", wire(&GROUPS, group_name);
    /// How soon a work order should be done.
    PriorityName = "Priority", wire(Priority::ALL, Priority::as_str);
    /// Where a work order stands.
    WorkOrderStatusName = "WorkOrderStatus", wire(WorkOrderStatus::ALL, WorkOrderStatus::as_str);
    /// The kind of answer a checklist step asks for.
    StepKindName = "StepKind", wire(StepKind::ALL, StepKind::as_str);
    /// What an answer means for its step.
    StepOutcomeName = "StepOutcome", wire(StepOutcome::ALL, StepOutcome::as_str);
    /// The unit of a calendar interval.
    CalendarUnitName = "CalendarUnit", wire(CalendarUnit::ALL, CalendarUnit::as_str);
    /// What a calendar interval counts from: the plan's start, or the last completion.
    CalendarBasisName = "CalendarBasis", wire(CalendarBasis::ALL, CalendarBasis::as_str);
    /// Where a plan stands against its due point and tolerance window.
    DueStateName = "DueState", wire(DueState::ALL, DueState::as_str);
    /// Where an equipment assignment stands: proposed and accepted hold the item.
    AssignmentStatusName = "AssignmentStatus", wire(AssignmentStatus::ALL, AssignmentStatus::as_str);
    /// Where an operator's daily report stands.
    ReportStatusName = "ReportStatus", wire(ReportStatus::ALL, ReportStatus::as_str);
    /// `flat` (a page at a time) or `tree` (the whole vessel, nested).
    ListViewName = "ListView", ["flat", "tree"].into_iter();
}
