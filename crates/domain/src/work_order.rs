//! Work orders: planned or corrective work on one item, with its checklist, labour and parts,
//! and the forward-only lifecycle it goes through.
//!
//! ```text
//! open → in_progress ⇄ on_hold
//!            |
//!            └──→ done → verified
//! open | in_progress | on_hold → cancelled
//! ```
//!
//! Completion waits for every required step and, when the order asks for it, a signature;
//! verification is by someone other than the person who completed it. A done order is never
//! reopened: what verification finds goes into a follow-up work order.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::equipment::text_enum;
use crate::fault::NewFault;
use crate::procedure::{Answer, Evaluation, FollowUpRule, Step, StepResult, evaluate, unanswered_required};
use crate::{
    AttachmentId, CompanyId, DepartmentId, EquipmentId, FaultId, LabourEntryId, MaintenancePlanId, StepId, UserId,
    VesselId, Violation, WorkOrderId, check_long_text, check_text,
};

text_enum!(
    /// Where a work order stands.
    WorkOrderStatus, "status", {
        /// Created, not started.
        Open => "open",
        /// Being worked on.
        InProgress => "in_progress",
        /// Paused (waiting for parts, weather, a port).
        OnHold => "on_hold",
        /// Finished by the people doing it.
        Done => "done",
        /// Checked and accepted.
        Verified => "verified",
        /// Not going ahead.
        Cancelled => "cancelled",
    }
);

impl WorkOrderStatus {
    /// How far along its lifecycle the status is, for concurrent offline moves (as
    /// [`crate::fault::FaultStatus::rank`]): `in_progress` and `on_hold` share a rank;
    /// cancelled is final and ranks above every other.
    pub fn rank(self) -> u8 {
        match self {
            Self::Open => 0,
            Self::InProgress | Self::OnHold => 1,
            Self::Done => 2,
            Self::Verified => 3,
            Self::Cancelled => 4,
        }
    }

    /// Whether work may still be recorded on it (steps, labour, parts).
    pub fn is_workable(self) -> bool {
        matches!(self, Self::InProgress | Self::OnHold)
    }
}

text_enum!(
    /// How soon a work order should be done.
    Priority, "priority", {
        /// When convenient.
        Low => "low",
        /// In the ordinary course.
        Normal => "normal",
        /// Before ordinary work.
        High => "high",
        /// Now: safety or operations at stake.
        Urgent => "urgent",
    }
);

/// Why a work order move is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkOrderError {
    /// The move is not in the lifecycle.
    #[error("a work order cannot go from {from} to {to}")]
    InvalidTransition {
        /// Current status.
        from: WorkOrderStatus,
        /// Requested status.
        to: WorkOrderStatus,
    },
    /// Work is recorded only while the order is in progress or on hold.
    #[error("work is recorded only on a work order in progress or on hold, not {status}")]
    NotWorkable {
        /// Current status.
        status: WorkOrderStatus,
    },
    /// Required steps have no answer.
    #[error("{} required steps have no answer", steps.len())]
    StepsIncomplete {
        /// The unanswered steps, in procedure order.
        steps: Vec<StepId>,
    },
    /// The order needs a signature at completion.
    #[error("this work order must be signed to be completed")]
    SignatureRequired,
    /// The person who completed the work cannot verify it.
    #[error("the person who completed a work order cannot verify it")]
    OwnWork,
    /// The step is not on this work order.
    #[error("the work order has no step {step_id}")]
    UnknownStep {
        /// The step named.
        step_id: StepId,
    },
    /// The answer does not fit its step.
    #[error("{}: {}", .0.field, .0.message)]
    InvalidAnswer(Violation),
}

impl WorkOrderError {
    /// A stable code for API answers and sync rejections.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidTransition { .. } => "invalid_transition",
            Self::NotWorkable { .. } => "work_order_not_workable",
            Self::StepsIncomplete { .. } => "steps_incomplete",
            Self::SignatureRequired => "signature_required",
            Self::OwnWork => "own_work",
            Self::UnknownStep { .. } => "unknown_step",
            Self::InvalidAnswer(v) => v.code,
        }
    }
}

/// Checks a move from `from` to `to`.
pub fn check_transition(from: WorkOrderStatus, to: WorkOrderStatus) -> Result<(), WorkOrderError> {
    use WorkOrderStatus::*;
    let ok = matches!(
        (from, to),
        (Open, InProgress)
            | (InProgress, OnHold)
            | (OnHold, InProgress)
            | (InProgress, Done)
            | (Done, Verified)
            | (Open | InProgress | OnHold, Cancelled)
    );
    if ok { Ok(()) } else { Err(WorkOrderError::InvalidTransition { from, to }) }
}

/// Where a work order came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Created by hand.
    Manual,
    /// Raised from a fault.
    Fault(FaultId),
    /// Generated by a maintenance plan for one occurrence (the pair is unique: the scheduler
    /// generates each occurrence once).
    Plan {
        /// The plan.
        plan_id: MaintenancePlanId,
        /// The occurrence's number (0 for the first due).
        occurrence: u32,
    },
    /// Opened by a failed step of another work order.
    FollowUp {
        /// The work order whose step failed.
        work_order_id: WorkOrderId,
        /// The step.
        step_id: StepId,
    },
}

/// Who a work order is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Assignee {
    /// A person.
    Person(UserId),
    /// A department of the vessel (engine, deck).
    Department(DepartmentId),
}

/// An assignee as stored and sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AssigneeWire {
    /// A person.
    Person {
        /// Who.
        user_id: UserId,
    },
    /// A department of the vessel.
    Department {
        /// Which.
        department_id: DepartmentId,
    },
}

impl From<Assignee> for AssigneeWire {
    fn from(a: Assignee) -> Self {
        match a {
            Assignee::Person(user_id) => Self::Person { user_id },
            Assignee::Department(department_id) => Self::Department { department_id },
        }
    }
}

impl From<AssigneeWire> for Assignee {
    fn from(a: AssigneeWire) -> Self {
        match a {
            AssigneeWire::Person { user_id } => Self::Person(user_id),
            AssigneeWire::Department { department_id } => Self::Department(department_id),
        }
    }
}

/// A signature as stored and sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureWire {
    /// The name as signed.
    pub name: String,
    /// The drawn image.
    pub image_id: AttachmentId,
    /// When.
    pub signed_at: DateTime<Utc>,
}

impl From<&Signature> for SignatureWire {
    fn from(s: &Signature) -> Self {
        Self { name: s.name.clone(), image_id: s.image, signed_at: s.signed_at }
    }
}

impl From<SignatureWire> for Signature {
    fn from(s: SignatureWire) -> Self {
        Self { name: s.name, image: s.image_id, signed_at: s.signed_at }
    }
}

/// A completion signature: the name as signed, the drawn image, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The signer's name as written.
    pub name: String,
    /// The drawn signature (an attachment of the work order).
    pub image: AttachmentId,
    /// When it was signed.
    pub signed_at: DateTime<Utc>,
}

impl Signature {
    /// Checks a signature's name.
    pub fn parse(name: &str, image: AttachmentId, signed_at: DateTime<Utc>) -> Result<Self, Violation> {
        Ok(Self { name: check_text("signature.name", name, 1, 200)?, image, signed_at })
    }
}

/// Estimated or logged work time in whole minutes (hours arrive as decimals and are kept exact
/// as minutes, so sums never drift).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Minutes(pub i64);

impl Minutes {
    /// Reads decimal hours (`1.25` → 75 minutes, rounded to the nearest minute), more than
    /// zero and at most `max_hours`.
    pub fn from_hours(field: &str, hours: f64, max_hours: i64) -> Result<Self, Violation> {
        if !hours.is_finite() {
            return Err(Violation::new(field, "not_a_number", "must be a number of hours"));
        }
        let minutes = (hours * 60.0).round();
        if minutes < 1.0 {
            return Err(Violation::new(field, "not_positive", "must be at least one minute"));
        }
        if minutes > (max_hours * 60) as f64 {
            return Err(Violation::new(field, "too_large", format!("must be at most {max_hours} hours")));
        }
        Ok(Self(minutes as i64))
    }
}

/// A work order.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkOrder {
    /// Its id (client-made when created offline).
    pub id: WorkOrderId,
    /// Its company.
    pub company_id: CompanyId,
    /// The vessel of its item (its sync scope).
    pub vessel_id: VesselId,
    /// The item worked on.
    pub equipment_id: EquipmentId,
    /// Where it came from.
    pub origin: Origin,
    /// One line.
    pub title: String,
    /// What to do.
    pub description: String,
    /// How soon.
    pub priority: Priority,
    /// Who does it (people or departments).
    pub assignees: Vec<Assignee>,
    /// When it is due.
    pub due_on: Option<NaiveDate>,
    /// Estimated work time.
    pub estimated: Option<Minutes>,
    /// The checklist, copied from a procedure when created (later edits of the procedure do
    /// not change it).
    pub steps: Vec<Step>,
    /// Completion needs a signature.
    pub signature_required: bool,
    /// Where it stands.
    pub status: WorkOrderStatus,
    /// When work started.
    pub started_at: Option<DateTime<Utc>>,
    /// When it was completed, and by whom.
    pub completed: Option<(DateTime<Utc>, UserId)>,
    /// The completion signature.
    pub signature: Option<Signature>,
    /// When it was verified, and by whom.
    pub verified: Option<(DateTime<Utc>, UserId)>,
    /// When it was cancelled, and why.
    pub cancelled: Option<(DateTime<Utc>, String)>,
    /// Who made it (the system actor for a plan's).
    pub created_by: UserId,
    /// Server sequence of its last change.
    pub version: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// A work order as submitted (`create_work_order.v1`), before it is stored.
#[derive(Debug, Clone)]
pub struct NewWorkOrder {
    /// Its id.
    pub id: WorkOrderId,
    /// Its company.
    pub company_id: CompanyId,
    /// The item's vessel.
    pub vessel_id: VesselId,
    /// The item.
    pub equipment_id: EquipmentId,
    /// Where it came from.
    pub origin: Origin,
    /// One line (checked).
    pub title: String,
    /// What to do (checked).
    pub description: String,
    /// How soon.
    pub priority: Priority,
    /// Who does it.
    pub assignees: Vec<Assignee>,
    /// When due.
    pub due_on: Option<NaiveDate>,
    /// Estimate.
    pub estimated: Option<Minutes>,
    /// The checklist (already parsed, with the copy's own step ids).
    pub steps: Vec<Step>,
    /// Completion needs a signature.
    pub signature_required: bool,
    /// Who made it.
    pub created_by: UserId,
    /// When created.
    pub created_at: DateTime<Utc>,
}

impl NewWorkOrder {
    /// Checks the texts and assignees of a submitted work order.
    pub fn check(mut self) -> Result<Self, Violation> {
        self.title = check_text("title", &self.title, 1, 200)?;
        self.description = check_long_text("description", &self.description, 0, 10_000)?;
        if self.assignees.len() > 20 {
            return Err(Violation::new("assignees", "too_many", "at most 20 assignees"));
        }
        let mut seen = std::collections::HashSet::new();
        if !self.assignees.iter().all(|a| seen.insert(*a)) {
            return Err(Violation::new("assignees", "duplicate_assignee", "each assignee once"));
        }
        Ok(self)
    }
}

/// The lifecycle. Each move answers the order after it (versions are the store's to set).
impl WorkOrder {
    /// A new open work order.
    pub fn create(n: NewWorkOrder) -> Self {
        Self {
            id: n.id,
            company_id: n.company_id,
            vessel_id: n.vessel_id,
            equipment_id: n.equipment_id,
            origin: n.origin,
            title: n.title,
            description: n.description,
            priority: n.priority,
            assignees: n.assignees,
            due_on: n.due_on,
            estimated: n.estimated,
            steps: n.steps,
            signature_required: n.signature_required,
            status: WorkOrderStatus::Open,
            started_at: None,
            completed: None,
            signature: None,
            verified: None,
            cancelled: None,
            created_by: n.created_by,
            version: 0,
            created_at: n.created_at,
            updated_at: n.created_at,
        }
    }

    /// Started at `at` (`start_work_order.v1`).
    pub fn start(&self, at: DateTime<Utc>) -> Result<Self, WorkOrderError> {
        check_transition(self.status, WorkOrderStatus::InProgress)?;
        if self.status == WorkOrderStatus::OnHold {
            return Ok(Self { status: WorkOrderStatus::InProgress, ..self.clone() });
        }
        Ok(Self { status: WorkOrderStatus::InProgress, started_at: Some(at), ..self.clone() })
    }

    /// Put on hold (`hold_work_order.v1`).
    pub fn hold(&self) -> Result<Self, WorkOrderError> {
        check_transition(self.status, WorkOrderStatus::OnHold)?;
        Ok(Self { status: WorkOrderStatus::OnHold, ..self.clone() })
    }

    /// Checks that work (a step result, labour, a part issued) may be recorded now.
    pub fn check_workable(&self) -> Result<(), WorkOrderError> {
        if self.status.is_workable() { Ok(()) } else { Err(WorkOrderError::NotWorkable { status: self.status }) }
    }

    /// Judges an answer to one of its steps (`record_step_result.v1`): only while work may be
    /// recorded, only for its own steps.
    pub fn judge(&self, step_id: StepId, answer: &Answer) -> Result<Evaluation, WorkOrderError> {
        self.check_workable()?;
        let step = self.steps.iter().find(|s| s.id == step_id).ok_or(WorkOrderError::UnknownStep { step_id })?;
        evaluate(step, answer).map_err(WorkOrderError::InvalidAnswer)
    }

    /// What a fired rule of `step` opens: a fault on the same item, or a follow-up work order
    /// on it, with the id the recording device made (so a retried push opens nothing twice).
    pub fn follow_up(
        &self,
        step: &Step,
        rule: FollowUpRule,
        id: uuid::Uuid,
        by: UserId,
        at: DateTime<Utc>,
    ) -> FollowUp {
        let title: String = format!("Failed check: {}", step.title).chars().take(200).collect();
        let description = format!("Found during work order \"{}\".", self.title);
        match rule {
            FollowUpRule::OpenFault { severity } => FollowUp::Fault(NewFault {
                id: FaultId(id),
                company_id: self.company_id,
                vessel_id: self.vessel_id,
                equipment_id: self.equipment_id,
                severity,
                title,
                description,
                reported_by: by,
                observed_at: at,
                received_at: at,
            }),
            FollowUpRule::FollowUpWorkOrder { priority } => FollowUp::WorkOrder(Box::new(NewWorkOrder {
                id: WorkOrderId(id),
                company_id: self.company_id,
                vessel_id: self.vessel_id,
                equipment_id: self.equipment_id,
                origin: Origin::FollowUp { work_order_id: self.id, step_id: step.id },
                title,
                description,
                priority,
                assignees: self.assignees.clone(),
                due_on: None,
                estimated: None,
                steps: Vec::new(),
                signature_required: false,
                created_by: by,
                created_at: at,
            })),
        }
    }

    /// Completed by `by` at `at` (`complete_work_order.v1`): every required step answered in
    /// `results`, and signed when the order asks for it.
    pub fn complete(
        &self,
        by: UserId,
        at: DateTime<Utc>,
        results: &[StepResult],
        signature: Option<Signature>,
    ) -> Result<Self, WorkOrderError> {
        check_transition(self.status, WorkOrderStatus::Done)?;
        let missing: Vec<StepId> = unanswered_required(&self.steps, results).iter().map(|s| s.id).collect();
        if !missing.is_empty() {
            return Err(WorkOrderError::StepsIncomplete { steps: missing });
        }
        if self.signature_required && signature.is_none() {
            return Err(WorkOrderError::SignatureRequired);
        }
        Ok(Self { status: WorkOrderStatus::Done, completed: Some((at, by)), signature, ..self.clone() })
    }

    /// Verified by `by` at `at` (`verify_work_order.v1`), who did not complete it.
    pub fn verify(&self, by: UserId, at: DateTime<Utc>) -> Result<Self, WorkOrderError> {
        check_transition(self.status, WorkOrderStatus::Verified)?;
        if self.completed.is_some_and(|(_, who)| who == by) {
            return Err(WorkOrderError::OwnWork);
        }
        Ok(Self { status: WorkOrderStatus::Verified, verified: Some((at, by)), ..self.clone() })
    }

    /// Cancelled at `at` for `reason` (`cancel_work_order.v1`).
    pub fn cancel(&self, at: DateTime<Utc>, reason: String) -> Result<Self, WorkOrderError> {
        check_transition(self.status, WorkOrderStatus::Cancelled)?;
        Ok(Self { status: WorkOrderStatus::Cancelled, cancelled: Some((at, reason)), ..self.clone() })
    }

    /// Whether it was completed on or before its due date (`None` while not done or undated).
    pub fn is_done_on_time(&self) -> Option<bool> {
        Some(self.completed?.0.date_naive() <= self.due_on?)
    }
}

/// What a failed step opens on its own.
#[derive(Debug, Clone)]
pub enum FollowUp {
    /// A fault report on the work order's item.
    Fault(NewFault),
    /// A follow-up work order on the same item.
    WorkOrder(Box<NewWorkOrder>),
}

/// One labour entry (insert-only): who worked how long, at what rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabourEntry {
    /// Its id.
    pub id: LabourEntryId,
    /// The work order.
    pub work_order_id: WorkOrderId,
    /// Who worked.
    pub person_id: UserId,
    /// When the work was done.
    pub worked_on: NaiveDate,
    /// How long.
    pub minutes: Minutes,
    /// Hourly rate in minor units (restricted by the field policy), when known.
    pub rate_minor: Option<i64>,
    /// The rate's currency.
    pub currency: Option<String>,
}

/// The most hours one labour entry holds (one person, one day).
pub const MAX_LABOUR_HOURS: i64 = 24;

/// The cost of `minutes` at an hourly `rate_minor`, rounded half away from zero to a whole
/// minor unit.
pub fn labour_cost_minor(minutes: Minutes, rate_minor: i64) -> i64 {
    let scaled = i128::from(minutes.0) * i128::from(rate_minor);
    let rounded = if scaled >= 0 { (scaled + 30) / 60 } else { (scaled - 30) / 60 };
    i64::try_from(rounded).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::WorkOrderStatus::*;
    use super::*;
    use crate::StepResultId;
    use crate::procedure::{Answer, Outcome, StepInput, StepKind, parse_steps};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn order(signature_required: bool) -> WorkOrder {
        let step =
            StepInput { title: "Oil level between marks".into(), ..crate::procedure::tests::input(StepKind::PassFail) };
        let optional = StepInput { id: StepId::new(), required: false, kind: StepKind::Text, ..step.clone() };
        WorkOrder::create(
            NewWorkOrder {
                id: WorkOrderId::new(),
                company_id: CompanyId::new(),
                vessel_id: VesselId::new(),
                equipment_id: EquipmentId::new(),
                origin: Origin::Manual,
                title: " Change lube oil filter ".into(),
                description: String::new(),
                priority: Priority::Normal,
                assignees: vec![],
                due_on: NaiveDate::from_ymd_opt(2026, 3, 31),
                estimated: None,
                steps: parse_steps(vec![step, optional]).unwrap(),
                signature_required,
                created_by: UserId::new(),
                created_at: at("2026-03-01T08:00:00Z"),
            }
            .check()
            .unwrap(),
        )
    }

    fn answered(o: &WorkOrder) -> Vec<StepResult> {
        vec![StepResult {
            id: StepResultId::new(),
            step_id: o.steps[0].id,
            answer: Answer::PassFail(true),
            outcome: Outcome::Passed,
            recorded_at: at("2026-03-02T09:00:00Z"),
        }]
    }

    #[test]
    fn the_lifecycle_moves_forward_only() {
        for (a, b) in [
            (Open, InProgress),
            (InProgress, OnHold),
            (OnHold, InProgress),
            (InProgress, Done),
            (Done, Verified),
            (Open, Cancelled),
            (OnHold, Cancelled),
        ] {
            assert_eq!(check_transition(a, b), Ok(()), "{a} → {b}");
        }
        for (a, b) in [
            (Open, Done),
            (OnHold, Done),
            (Done, InProgress),
            (Verified, Done),
            (Done, Cancelled),
            (Verified, Cancelled),
            (Cancelled, Open),
            (Open, Open),
        ] {
            assert!(check_transition(a, b).is_err(), "{a} → {b}");
        }
        assert_eq!(InProgress.rank(), OnHold.rank(), "hold and resume are one rank: neither undoes the other");
        assert!(Cancelled.rank() > Verified.rank());
    }

    #[test]
    fn completion_waits_for_the_required_steps() {
        let o = order(false);
        assert_eq!(o.title, "Change lube oil filter");
        let started = o.start(at("2026-03-02T08:00:00Z")).unwrap();
        let err = started.complete(UserId::new(), at("2026-03-02T10:00:00Z"), &[], None).unwrap_err();
        assert_eq!(err, WorkOrderError::StepsIncomplete { steps: vec![o.steps[0].id] });
        assert_eq!(err.code(), "steps_incomplete");
        let done = started.complete(UserId::new(), at("2026-03-02T10:00:00Z"), &answered(&o), None).unwrap();
        assert_eq!(done.status, Done);
        assert_eq!(done.is_done_on_time(), Some(true));
    }

    #[test]
    fn a_required_signature_must_be_given() {
        let o = order(true).start(at("2026-03-02T08:00:00Z")).unwrap();
        let results = answered(&o);
        let t = at("2026-03-02T10:00:00Z");
        assert_eq!(o.complete(UserId::new(), t, &results, None), Err(WorkOrderError::SignatureRequired));
        let sig = Signature::parse("A. Jensen", AttachmentId::new(), t).unwrap();
        assert!(o.complete(UserId::new(), t, &results, Some(sig)).unwrap().signature.is_some());
        assert_eq!(Signature::parse(" ", AttachmentId::new(), t).unwrap_err().code, "too_short");
    }

    #[test]
    fn nobody_verifies_their_own_work() {
        let chief = UserId::new();
        let o = order(false).start(at("2026-03-02T08:00:00Z")).unwrap();
        let done = o.complete(chief, at("2026-03-02T10:00:00Z"), &answered(&o), None).unwrap();
        assert_eq!(done.verify(chief, at("2026-03-03T08:00:00Z")), Err(WorkOrderError::OwnWork));
        let v = done.verify(UserId::new(), at("2026-03-03T08:00:00Z")).unwrap();
        assert_eq!(v.status, Verified);
        assert!(v.cancel(at("2026-03-04T08:00:00Z"), "x".into()).is_err());
    }

    #[test]
    fn resuming_from_hold_keeps_the_first_start_and_work_waits_for_a_start() {
        let o = order(false);
        assert_eq!(o.check_workable(), Err(WorkOrderError::NotWorkable { status: Open }));
        let first = at("2026-03-02T08:00:00Z");
        let resumed = o.start(first).unwrap().hold().unwrap().start(at("2026-03-05T08:00:00Z")).unwrap();
        assert_eq!(resumed.started_at, Some(first));
        assert!(resumed.check_workable().is_ok());
    }

    #[test]
    fn answers_are_judged_only_for_its_own_steps_while_workable() {
        let o = order(false);
        let step = o.steps[0].id;
        assert_eq!(o.judge(step, &Answer::PassFail(true)), Err(WorkOrderError::NotWorkable { status: Open }));
        let o = o.start(at("2026-03-02T08:00:00Z")).unwrap();
        assert_eq!(o.judge(step, &Answer::PassFail(false)).unwrap().outcome, Outcome::Failed);
        let other = StepId::new();
        assert_eq!(o.judge(other, &Answer::PassFail(true)), Err(WorkOrderError::UnknownStep { step_id: other }));
        assert_eq!(o.judge(step, &Answer::Number(3.0)).unwrap_err().code(), "wrong_kind");
    }

    #[test]
    fn a_fired_rule_opens_work_on_the_same_item_with_the_devices_id() {
        use crate::fault::Severity;
        let o = order(false);
        let (id, by, t) = (uuid::Uuid::now_v7(), UserId::new(), at("2026-03-02T09:00:00Z"));
        let step = &o.steps[0];
        match o.follow_up(step, FollowUpRule::OpenFault { severity: Severity::High }, id, by, t) {
            FollowUp::Fault(f) => {
                assert_eq!(
                    (f.id.0, f.equipment_id, f.severity, f.reported_by),
                    (id, o.equipment_id, Severity::High, by)
                );
                assert_eq!(f.title, "Failed check: Oil level between marks");
            }
            other => panic!("{other:?}"),
        }
        match o.follow_up(step, FollowUpRule::FollowUpWorkOrder { priority: Priority::High }, id, by, t) {
            FollowUp::WorkOrder(w) => {
                assert_eq!(w.origin, Origin::FollowUp { work_order_id: o.id, step_id: step.id });
                assert!(w.check().is_ok());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn late_completion_is_not_on_time() {
        let o = order(false).start(at("2026-03-30T08:00:00Z")).unwrap();
        let done = o.complete(UserId::new(), at("2026-04-01T00:30:00Z"), &answered(&o), None).unwrap();
        assert_eq!(done.is_done_on_time(), Some(false));
    }

    #[test]
    fn hours_become_whole_minutes_and_labour_costs_round_half_away() {
        assert_eq!(Minutes::from_hours("hours", 1.25, 24), Ok(Minutes(75)));
        assert_eq!(Minutes::from_hours("hours", 0.001, 24).unwrap_err().code, "not_positive");
        assert_eq!(Minutes::from_hours("hours", -2.0, 24).unwrap_err().code, "not_positive");
        assert_eq!(Minutes::from_hours("hours", 24.01, 24).unwrap_err().code, "too_large");
        assert_eq!(Minutes::from_hours("hours", 24.0, 24), Ok(Minutes(1440)));
        assert_eq!(Minutes::from_hours("hours", f64::NAN, 24).unwrap_err().code, "not_a_number");
        assert_eq!(labour_cost_minor(Minutes(90), 6_000), 9_000);
        assert_eq!(labour_cost_minor(Minutes(1), 90), 2); // 1.5 → 2
        assert_eq!(labour_cost_minor(Minutes(1), 89), 1); // 1.48 → 1
    }

    #[test]
    fn assignees_are_named_once() {
        let p = Assignee::Person(UserId::new());
        let mut n = NewWorkOrder {
            id: WorkOrderId::new(),
            company_id: CompanyId::new(),
            vessel_id: VesselId::new(),
            equipment_id: EquipmentId::new(),
            origin: Origin::Manual,
            title: "t".into(),
            description: String::new(),
            priority: Priority::Low,
            assignees: vec![p, p],
            due_on: None,
            estimated: None,
            steps: vec![],
            signature_required: false,
            created_by: UserId::new(),
            created_at: at("2026-03-01T08:00:00Z"),
        };
        assert_eq!(n.clone().check().unwrap_err().code, "duplicate_assignee");
        n.assignees = vec![p, Assignee::Department(DepartmentId::new())];
        assert!(n.check().is_ok());
    }
}
