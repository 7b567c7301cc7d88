//! The registry of mutators: every write a person makes to the company's records (the
//! maintenance and fleet writes a crew makes offline, and the admin writes), by name, with its
//! arguments' type and the use case that applies it. Sign-in, passwords, second factors and
//! accepting an invitation are credential exchanges, not mutators: they run online only. The HTTP routes run the same mutators
//! ([`App::mutate`]); the sync push reads a client's queued mutations through
//! [`Mutation::parse`] and applies each in a unit of work of its own ([`Mutation::apply`]).
//!
//! A mutator's arguments are its type's fields as JSON (`report_fault.v1` takes
//! `{"equipment_id": …, "severity": "high", "title": …}`); unknown fields are refused, and
//! enumerations, ids and dates are parsed into domain values on the way in.

use crate::accounts::api_keys::{CreateApiKey, RevokeApiKey};
use crate::accounts::companies::{UpdateBranding, UpdateCompanySecurity, UpdatePurchasingSettings};
use crate::accounts::invitations::{InvitePerson, RevokeInvitation};
use crate::accounts::users::UpdatePerson;
use crate::assignments::reports::{ReturnDailyReport, SubmitDailyReport, ValidateDailyReport};
use crate::assignments::{AnswerAssignment, AssignEquipment, CancelAssignment};
use crate::conflicts::ResolveConflict;
use crate::fleet::equipment::meters::{LinkMeter, UnlinkMeter};
use crate::fleet::equipment::{CreateEquipment, DecommissionEquipment, RecordReading, UpdateEquipment};
use crate::fleet::vessels::{AddDepartment, CreateVessel, JoinRotation, RemoveVesselMember, UpdateVessel};
use crate::maintenance::attachments::AttachFile;
use crate::maintenance::faults::{
    AcknowledgeFault, AssignFault, CommentFault, ReportFault, ResolveFault, SetFaultStatus,
};
use crate::maintenance::handovers::{AcknowledgeHandover, CompleteHandover, SaveHandoverNotes};
use crate::maintenance::parts::{OrderParts, SetPartsOrderStatus};
use crate::plans::{CreateMaintenancePlan, PostponePlan, UpdateMaintenancePlan};
use crate::purchasing::orders::{CreatePurchaseOrder, ReceivePurchaseOrder, SetPurchaseOrderStatus};
use crate::purchasing::{
    ApproveRequisition, CancelRequisition, CreateSupplier, RaiseRequisition, RejectRequisition, UpdateSupplier,
};
use crate::stock::transfers::{ReceiveTransfer, TransferStock};
use crate::stock::{AdjustStock, CreatePart, CreateStockLocation, ReceiveStock, SetStockRule, UpdatePart};
use crate::work::{Mutator, UnitOfWork};
use crate::work_orders::procedures::{CreateProcedure, UpdateProcedure};
use crate::work_orders::{
    CancelWorkOrder, CompleteWorkOrder, CreateWorkOrder, HoldWorkOrder, IssuePart, LogLabour, RecordStepResult,
    StartWorkOrder, UpdateWorkOrder, VerifyWorkOrder,
};
use crate::{Actor, App, Error, Result};
use bosun_domain::Violation;

macro_rules! registry {
    ($($variant:ident),+ $(,)?) => {
        /// One parsed mutation of any registered mutator.
        #[derive(Debug, Clone)]
        pub enum Mutation {
            $(
                #[doc = concat!("`", stringify!($variant), "`.")]
                $variant($variant),
            )+
        }

        /// Every registered mutator's name, in registry order.
        pub const NAMES: &[&str] = &[$(<$variant as Mutator>::NAME),+];

        impl Mutation {
            /// Parses `args` for the mutator called `name`. An unknown name, or arguments its
            /// type refuses, are `Invalid` (a permanent error: the client cannot fix it by
            /// sending the same thing again).
            pub fn parse(name: &str, args: serde_json::Value) -> Result<Self> {
                $(
                    if name == <$variant as Mutator>::NAME {
                        return serde_json::from_value::<$variant>(args)
                            .map(Self::$variant)
                            .map_err(|e| Violation::new("args", "invalid_args", e.to_string()).into());
                    }
                )+
                Err(Error::Invalid(vec![Violation::new(
                    "name",
                    "unknown_mutator",
                    format!("is not one of {}", NAMES.join(", ")),
                )]))
            }

            /// The mutator's name.
            pub fn name(&self) -> &'static str {
                match self { $(Self::$variant(_) => <$variant as Mutator>::NAME),+ }
            }

            /// Applies it inside `uow`, as `actor` (its answer is dropped: a sync client reads
            /// the outcome back through its pull).
            pub async fn apply(&self, app: &App, uow: &mut UnitOfWork, actor: &Actor) -> Result<()> {
                match self { $(Self::$variant(m) => m.apply(app, uow, actor).await.map(drop)),+ }
            }
        }
    };
}

registry!(
    ReportFault,
    AcknowledgeFault,
    AssignFault,
    CommentFault,
    SetFaultStatus,
    ResolveFault,
    RecordReading,
    CreateEquipment,
    UpdateEquipment,
    DecommissionEquipment,
    LinkMeter,
    UnlinkMeter,
    OrderParts,
    SetPartsOrderStatus,
    SaveHandoverNotes,
    CompleteHandover,
    AcknowledgeHandover,
    AttachFile,
    CreatePart,
    UpdatePart,
    CreateStockLocation,
    SetStockRule,
    ReceiveStock,
    AdjustStock,
    TransferStock,
    ReceiveTransfer,
    CreateSupplier,
    UpdateSupplier,
    RaiseRequisition,
    ApproveRequisition,
    RejectRequisition,
    CancelRequisition,
    CreatePurchaseOrder,
    SetPurchaseOrderStatus,
    ReceivePurchaseOrder,
    CreateWorkOrder,
    StartWorkOrder,
    HoldWorkOrder,
    RecordStepResult,
    LogLabour,
    IssuePart,
    CompleteWorkOrder,
    VerifyWorkOrder,
    CancelWorkOrder,
    UpdateWorkOrder,
    CreateProcedure,
    UpdateProcedure,
    CreateMaintenancePlan,
    UpdateMaintenancePlan,
    PostponePlan,
    AssignEquipment,
    AnswerAssignment,
    CancelAssignment,
    SubmitDailyReport,
    ValidateDailyReport,
    ReturnDailyReport,
    CreateVessel,
    UpdateVessel,
    AddDepartment,
    JoinRotation,
    RemoveVesselMember,
    InvitePerson,
    RevokeInvitation,
    UpdatePerson,
    CreateApiKey,
    RevokeApiKey,
    UpdateBranding,
    UpdateCompanySecurity,
    UpdatePurchasingSettings,
    ResolveConflict,
);

/// A queued mutation read by name runs through the same runner as a typed one
/// ([`App::run_unit`]): the sync push applies it that way.
#[async_trait::async_trait]
impl Mutator for Mutation {
    const NAME: &'static str = "queued mutation";
    type Output = ();

    async fn apply(&self, app: &App, uow: &mut UnitOfWork, actor: &Actor) -> Result<()> {
        Mutation::apply(self, app, uow, actor).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_names_every_mutator_once_with_a_version() {
        let mut seen = std::collections::BTreeSet::new();
        for name in NAMES {
            assert!(seen.insert(*name), "{name} twice");
            let (_, version) = name.rsplit_once(".v").unwrap_or_else(|| panic!("{name} has no version"));
            assert!(version.parse::<u32>().is_ok_and(|v| v >= 1), "{name}");
        }
        assert_eq!(NAMES.len(), 70);
    }

    #[test]
    fn arguments_are_parsed_into_domain_values_or_refused() {
        let equipment = "0190f5c2-7d3e-7000-8000-000000000001";
        let m = Mutation::parse(
            "report_fault.v1",
            serde_json::json!({ "equipment_id": equipment, "severity": "high", "title": "Leak" }),
        )
        .expect("valid arguments parse");
        assert_eq!(m.name(), "report_fault.v1");
        let Mutation::ReportFault(r) = m else { panic!("not a report") };
        assert_eq!(r.severity, bosun_domain::fault::Severity::High);

        let refused = |name: &str, args: serde_json::Value| match Mutation::parse(name, args) {
            Err(Error::Invalid(v)) => v[0].code,
            other => panic!("{name} was not refused: {other:?}"),
        };
        assert_eq!(
            refused(
                "report_fault.v1",
                serde_json::json!({ "equipment_id": equipment, "severity": "dire", "title": "x" })
            ),
            "invalid_args"
        );
        assert_eq!(
            refused(
                "report_fault.v1",
                serde_json::json!({ "equipment_id": equipment, "severity": "low", "title": "x", "extra": 1 })
            ),
            "invalid_args"
        );
        assert_eq!(refused("report_fault.v9", serde_json::json!({})), "unknown_mutator");
        // Equipment fields go through the same checks as an HTTP body: a blank name is refused.
        let bad_item = serde_json::json!({
            "vessel_id": equipment, "fields": { "level": "system", "area": "deck", "name": " " }
        });
        assert_eq!(refused("create_equipment.v1", bad_item), "invalid_args");
    }
}
