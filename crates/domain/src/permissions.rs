//! Who may do what: the role × action table. `docs/PERMISSIONS.md` shows the same table and a
//! test keeps the two equal; the API test walks every route with every role against it.

use crate::person::Role;

/// Something a person asks Bosun to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read one's own profile and company.
    MeRead,
    /// Manage one's own login: password, second factor, sessions.
    MeUpdate,
    /// Change the company's branding.
    BrandingUpdate,
    /// Change the company's security settings (second factor required of owners and admins).
    SecurityUpdate,
    /// Change the company's purchasing settings (parts markup, stock below zero).
    PurchasingUpdate,
    /// Read vessels (vessel-scoped roles: only their own).
    VesselRead,
    /// Register a vessel.
    VesselCreate,
    /// Change a vessel.
    VesselUpdate,
    /// Add a department to a vessel.
    DepartmentCreate,
    /// Record one's own rotation on a vessel one belongs to.
    RotationJoinSelf,
    /// Put another person on a vessel's rotation.
    RotationAssign,
    /// List the company's people.
    UserList,
    /// Add a person to the company.
    UserCreate,
    /// Change a person's name, role, specialisation or active flag.
    UserUpdate,
    /// Read the audit trail.
    AuditRead,
    /// Make, list and revoke the company's API keys.
    ApiKeyManage,
    /// Read equipment, readings and QR labels (vessel-scoped roles: their vessels).
    EquipmentRead,
    /// Register, change, decommission or import equipment.
    EquipmentWrite,
    /// Record a running-hour reading.
    ReadingRecord,
    /// Read faults and their comments.
    FaultRead,
    /// Report a fault.
    FaultReport,
    /// Comment on a fault.
    FaultComment,
    /// Acknowledge, assign, move, resolve or reopen a fault.
    FaultManage,
    /// See repair times (MTTR); hidden from crew and viewers.
    FaultMttrRead,
    /// Read parts orders.
    PartsRead,
    /// Order parts for a fault.
    PartsRequest,
    /// Approve, order, ship, receive or cancel parts orders.
    PartsManage,
    /// See supplier prices.
    PriceSupplierRead,
    /// See customer prices (supplier price plus markup).
    PriceCustomerRead,
    /// Read the parts catalogue, stock, its ledger and locations.
    StockRead,
    /// Receive, adjust, issue or transfer stock.
    StockMove,
    /// Change the parts catalogue, stock locations and stock rules.
    CatalogueWrite,
    /// Read work orders.
    WorkOrderRead,
    /// Raise a work order.
    WorkOrderCreate,
    /// Work on a work order: start, hold, answer steps, log labour, use parts, complete (crew:
    /// only work orders assigned to them or their department).
    WorkOrderExecute,
    /// Verify a completed work order (not one's own).
    WorkOrderVerify,
    /// Cancel a work order.
    WorkOrderManage,
    /// Make and change the company's procedures (reusable checklists).
    ProcedureWrite,
    /// Make and change preventive maintenance plans.
    PlanWrite,
    /// Approve the postponement of a plan's occurrence (asked by someone else).
    PlanPostpone,
    /// Assign equipment to operators for a period, and cancel assignments.
    AssignmentManage,
    /// Accept or decline one's own assignments.
    AssignmentAnswer,
    /// Submit one's daily report for an item assigned to one.
    DailyReportSubmit,
    /// Validate or return operators' daily reports (not one's own).
    DailyReportValidate,
    /// Read handovers.
    HandoverRead,
    /// Prepare and complete one's own handover.
    HandoverPrepare,
    /// Acknowledge a handover as the incoming person.
    HandoverAcknowledge,
    /// Upload photos and documents to records one may see.
    AttachmentUpload,
    /// Read dashboards and MTTR analytics.
    AnalyticsRead,
    /// Read costs: supplier totals and margins.
    AnalyticsCosts,
    /// Receive live events for one's vessels.
    EventsSubscribe,
}

impl Action {
    /// Every action, in the order of `docs/PERMISSIONS.md`.
    pub const ALL: [Self; 51] = [
        Self::MeRead,
        Self::MeUpdate,
        Self::BrandingUpdate,
        Self::SecurityUpdate,
        Self::PurchasingUpdate,
        Self::VesselRead,
        Self::VesselCreate,
        Self::VesselUpdate,
        Self::DepartmentCreate,
        Self::RotationJoinSelf,
        Self::RotationAssign,
        Self::UserList,
        Self::UserCreate,
        Self::UserUpdate,
        Self::AuditRead,
        Self::ApiKeyManage,
        Self::EquipmentRead,
        Self::EquipmentWrite,
        Self::ReadingRecord,
        Self::FaultRead,
        Self::FaultReport,
        Self::FaultComment,
        Self::FaultManage,
        Self::FaultMttrRead,
        Self::PartsRead,
        Self::PartsRequest,
        Self::PartsManage,
        Self::PriceSupplierRead,
        Self::PriceCustomerRead,
        Self::StockRead,
        Self::StockMove,
        Self::CatalogueWrite,
        Self::WorkOrderRead,
        Self::WorkOrderCreate,
        Self::WorkOrderExecute,
        Self::WorkOrderVerify,
        Self::WorkOrderManage,
        Self::ProcedureWrite,
        Self::PlanWrite,
        Self::PlanPostpone,
        Self::AssignmentManage,
        Self::AssignmentAnswer,
        Self::DailyReportSubmit,
        Self::DailyReportValidate,
        Self::HandoverRead,
        Self::HandoverPrepare,
        Self::HandoverAcknowledge,
        Self::AttachmentUpload,
        Self::AnalyticsRead,
        Self::AnalyticsCosts,
        Self::EventsSubscribe,
    ];

    /// The name used in `docs/PERMISSIONS.md`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MeRead => "me.read",
            Self::MeUpdate => "me.update",
            Self::BrandingUpdate => "company.branding.update",
            Self::SecurityUpdate => "company.security.update",
            Self::PurchasingUpdate => "company.purchasing.update",
            Self::VesselRead => "vessel.read",
            Self::VesselCreate => "vessel.create",
            Self::VesselUpdate => "vessel.update",
            Self::DepartmentCreate => "department.create",
            Self::RotationJoinSelf => "rotation.join_self",
            Self::RotationAssign => "rotation.assign",
            Self::UserList => "user.list",
            Self::UserCreate => "user.create",
            Self::UserUpdate => "user.update",
            Self::AuditRead => "audit.read",
            Self::ApiKeyManage => "api_key.manage",
            Self::EquipmentRead => "equipment.read",
            Self::EquipmentWrite => "equipment.write",
            Self::ReadingRecord => "reading.record",
            Self::FaultRead => "fault.read",
            Self::FaultReport => "fault.report",
            Self::FaultComment => "fault.comment",
            Self::FaultManage => "fault.manage",
            Self::FaultMttrRead => "fault.mttr.read",
            Self::PartsRead => "parts.read",
            Self::PartsRequest => "parts.request",
            Self::PartsManage => "parts.manage",
            Self::PriceSupplierRead => "price.supplier.read",
            Self::PriceCustomerRead => "price.customer.read",
            Self::StockRead => "stock.read",
            Self::StockMove => "stock.move",
            Self::CatalogueWrite => "catalogue.write",
            Self::WorkOrderRead => "workorder.read",
            Self::WorkOrderCreate => "workorder.create",
            Self::WorkOrderExecute => "workorder.execute",
            Self::WorkOrderVerify => "workorder.verify",
            Self::WorkOrderManage => "workorder.manage",
            Self::ProcedureWrite => "procedure.write",
            Self::PlanWrite => "plan.write",
            Self::PlanPostpone => "plan.postpone",
            Self::AssignmentManage => "assignment.manage",
            Self::AssignmentAnswer => "assignment.answer",
            Self::DailyReportSubmit => "daily_report.submit",
            Self::DailyReportValidate => "daily_report.validate",
            Self::HandoverRead => "handover.read",
            Self::HandoverPrepare => "handover.prepare",
            Self::HandoverAcknowledge => "handover.acknowledge",
            Self::AttachmentUpload => "attachment.upload",
            Self::AnalyticsRead => "analytics.read",
            Self::AnalyticsCosts => "analytics.costs",
            Self::EventsSubscribe => "events.subscribe",
        }
    }
}

impl Role {
    /// Whether this role may perform `action` at all (vessel scope is checked separately).
    pub fn may(self, action: Action) -> bool {
        use Action::*;
        use Role::*;
        match action {
            MeRead | MeUpdate | VesselRead | EquipmentRead | FaultRead | PartsRead | StockRead | WorkOrderRead
            | HandoverRead | EventsSubscribe => true,
            ReadingRecord | FaultReport | FaultComment | WorkOrderExecute | HandoverPrepare | HandoverAcknowledge
            | AttachmentUpload | AssignmentAnswer | DailyReportSubmit => !matches!(self, Viewer),
            EquipmentWrite | FaultManage | FaultMttrRead | PartsRequest | StockMove | WorkOrderCreate
            | WorkOrderVerify | WorkOrderManage | ProcedureWrite | PlanWrite | DailyReportValidate | AnalyticsRead => {
                matches!(self, Owner | Admin | Manager | Engineer)
            }
            PartsManage | PriceSupplierRead | CatalogueWrite | PlanPostpone | AnalyticsCosts => {
                matches!(self, Owner | Admin | Manager)
            }
            PriceCustomerRead => !matches!(self, Crew),
            BrandingUpdate | SecurityUpdate | PurchasingUpdate | UserCreate | UserUpdate | AuditRead | ApiKeyManage => {
                matches!(self, Owner | Admin)
            }
            VesselCreate | VesselUpdate | DepartmentCreate | RotationAssign | UserList | AssignmentManage => {
                matches!(self, Owner | Admin | Manager)
            }
            RotationJoinSelf => !matches!(self, Viewer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vessel_scoped_roles_cannot_administer() {
        for role in [Role::Engineer, Role::Crew, Role::Viewer] {
            for action in [Action::BrandingUpdate, Action::UserCreate, Action::AuditRead, Action::VesselCreate] {
                assert!(!role.may(action), "{role} may {action:?}");
            }
        }
    }

    #[test]
    fn repair_times_and_supplier_prices_are_hidden_from_crew() {
        assert!(!Role::Crew.may(Action::FaultMttrRead));
        assert!(!Role::Viewer.may(Action::FaultMttrRead));
        assert!(!Role::Crew.may(Action::PriceSupplierRead) && !Role::Crew.may(Action::PriceCustomerRead));
        assert!(!Role::Engineer.may(Action::PriceSupplierRead) && Role::Engineer.may(Action::PriceCustomerRead));
        assert!(Role::Manager.may(Action::PriceSupplierRead));
    }

    #[test]
    fn everyone_reads_themselves_and_their_vessels() {
        for role in Role::ALL {
            assert!(role.may(Action::MeRead) && role.may(Action::VesselRead));
        }
    }
}
