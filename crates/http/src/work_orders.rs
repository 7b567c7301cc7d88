//! Work orders: `/work-orders` and their moves, answers, labour and parts. Checklist numbers
//! (limits, measured values, meter hours) travel as exact decimal text, as stock quantities.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bosun_app::Actor;
use bosun_app::checks::parse_list;
use bosun_app::work_orders::{
    CancelWorkOrder, CompleteWorkOrder, CreateWorkOrder, HoldWorkOrder, IssuePart, LogLabour, RecordStepResult,
    SignatureInput, StartWorkOrder, UpdateWorkOrder, VerifyWorkOrder, WorkOrderDetail, WorkOrderFields, WorkOrderQuery,
    WorkOrderRef, current_answers,
};
use bosun_domain::fields::{Field, FieldPolicy};
use bosun_domain::procedure::{AnswerWire, StepWire};
use bosun_domain::work_order::{AssigneeWire, Origin, WorkOrder, WorkOrderStatus, labour_cost_minor};
use bosun_domain::{
    AttachmentId, EquipmentId, FaultId, LabourEntryId, PartId, StepId, StepResultId, StockEntryId, StockLocationId,
    VesselId, WorkOrderId,
};
use bosun_store::{Page, StoredLabour, StoredStepResult};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, PageQuery, encode_cursor};
use crate::names::{PriorityName, SeverityName, StepKindName, StepOutcomeName, WorkOrderStatusName};
use crate::state::AppState;
use crate::stock::{PostedView, StockEntryView};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_work_orders, create_work_order))
        .routes(routes!(get_work_order, update_work_order))
        .routes(routes!(start_work_order))
        .routes(routes!(hold_work_order))
        .routes(routes!(complete_work_order))
        .routes(routes!(verify_work_order))
        .routes(routes!(cancel_work_order))
        .routes(routes!(record_result))
        .routes(routes!(log_labour))
        .routes(routes!(issue_part))
}

/// One option of a choice step.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionBody {
    /// The text shown and stored, 1–100 characters, unique in the step.
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub label: String,
    /// Choosing it fails the step.
    #[serde(default)]
    pub fails: bool,
}

/// What a failed answer opens: a fault of a severity, or a follow-up work order of a priority.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleBody {
    /// Report a fault on the item.
    OpenFault {
        /// Its severity.
        #[schema(value_type = SeverityName)]
        severity: String,
    },
    /// Open a follow-up work order on the item.
    FollowUpWorkOrder {
        /// Its priority.
        #[schema(value_type = PriorityName)]
        priority: String,
    },
}

/// A checklist step. A number step names its unit (1–20 characters) and may have limits
/// (`min` ≤ `max`); a choice step has 2–20 options; only a pass/fail step, a number with a
/// limit or a choice with a failing option may carry a rule.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    /// Client-made id, unique in the order.
    pub id: Uuid,
    /// What to do, 1–500 characters.
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub title: String,
    /// The kind of answer.
    #[schema(value_type = StepKindName)]
    pub kind: String,
    /// Completion waits for an answer.
    #[serde(default)]
    pub required: bool,
    /// Lower limit (number steps), decimal text.
    #[schema(pattern = r"^-?[0-9]{1,12}(\.[0-9]{1,6})?$")]
    #[serde(default)]
    pub min: Option<String>,
    /// Upper limit (number steps), decimal text.
    #[schema(pattern = r"^-?[0-9]{1,12}(\.[0-9]{1,6})?$")]
    #[serde(default)]
    pub max: Option<String>,
    /// Unit (number steps).
    #[serde(default)]
    pub unit: Option<String>,
    /// Options (choice steps).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub options: Vec<OptionBody>,
    /// What a failed answer opens.
    #[serde(default)]
    pub rule: Option<RuleBody>,
}

/// A person or a department a work order is for.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AssigneeBody {
    /// A person who reaches the vessel.
    Person {
        /// Who.
        user_id: Uuid,
    },
    /// A department of the vessel.
    Department {
        /// Which.
        department_id: Uuid,
    },
}

/// Reads a body's JSON shape as the domain's wire form (the two are the same JSON).
pub(crate) fn rewire<A: Serialize, B: serde::de::DeserializeOwned>(a: &A) -> Result<B, ApiError> {
    serde_json::to_value(a)
        .and_then(serde_json::from_value)
        .map_err(|e| ApiError::invalid("body", "invalid_shape", &e.to_string()))
}

/// A new work order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWorkOrderBody {
    /// Client-made UUIDv7; the same order again answers 200, other content 409 `id_taken`.
    pub id: Option<Uuid>,
    /// The item.
    pub equipment_id: Uuid,
    /// One line, 1–200 characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub title: String,
    /// What to do, up to 10,000 characters.
    #[schema(max_length = 10_000, pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$")]
    #[serde(default)]
    pub description: String,
    /// How soon.
    #[schema(value_type = PriorityName)]
    pub priority: String,
    /// People or departments of the vessel (at most 20; one named twice counts once).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub assignees: Vec<AssigneeBody>,
    /// Due date.
    pub due_on: Option<NaiveDate>,
    /// Estimated minutes.
    #[schema(minimum = 1, maximum = 60_000)]
    #[serde(default, deserialize_with = "crate::extract::optional_integral")]
    pub estimated_minutes: Option<i64>,
    /// The checklist (the device's copy of a procedure), at most 200 steps.
    #[serde(default)]
    #[schema(max_items = 200)]
    pub steps: Vec<StepBody>,
    /// Completion needs a signature.
    #[serde(default)]
    pub signature_required: bool,
    /// The fault it answers, on the same item.
    pub fault_id: Option<Uuid>,
}

/// Where a work order came from.
#[derive(Debug, Serialize, ToSchema)]
pub struct OriginView {
    /// `manual`, `fault`, `plan` or `follow_up`.
    #[schema(pattern = "^(manual|fault|plan|follow_up)$")]
    pub kind: String,
    /// The fault (origin `fault`).
    pub fault_id: Option<Uuid>,
    /// The plan (origin `plan`).
    pub plan_id: Option<Uuid>,
    /// The plan's occurrence (origin `plan`).
    pub occurrence: Option<u32>,
    /// The work order whose step failed (origin `follow_up`).
    pub work_order_id: Option<Uuid>,
    /// That step (origin `follow_up`).
    pub step_id: Option<Uuid>,
}

impl From<Origin> for OriginView {
    fn from(o: Origin) -> Self {
        let mut v = Self {
            kind: String::new(),
            fault_id: None,
            plan_id: None,
            occurrence: None,
            work_order_id: None,
            step_id: None,
        };
        match o {
            Origin::Manual => v.kind = "manual".into(),
            Origin::Fault(f) => (v.kind, v.fault_id) = ("fault".into(), Some(f.0)),
            Origin::Plan { plan_id, occurrence } => {
                (v.kind, v.plan_id, v.occurrence) = ("plan".into(), Some(plan_id.0), Some(occurrence));
            }
            Origin::FollowUp { work_order_id, step_id } => {
                (v.kind, v.work_order_id, v.step_id) = ("follow_up".into(), Some(work_order_id.0), Some(step_id.0));
            }
        }
        v
    }
}

/// A completion signature.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignatureView {
    /// The name as signed.
    pub name: String,
    /// The drawn image (an attachment).
    pub image_id: Uuid,
    /// When.
    pub signed_at: DateTime<Utc>,
}

/// A work order.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkOrderView {
    /// Id.
    pub id: Uuid,
    /// The item's vessel.
    pub vessel_id: Uuid,
    /// The item.
    pub equipment_id: Uuid,
    /// Where it came from.
    pub origin: OriginView,
    /// One line.
    pub title: String,
    /// What to do.
    pub description: String,
    /// How soon.
    #[schema(value_type = PriorityName)]
    pub priority: String,
    /// Who does it.
    pub assignees: Vec<AssigneeBody>,
    /// Due date.
    pub due_on: Option<NaiveDate>,
    /// Estimated minutes.
    pub estimated_minutes: Option<i64>,
    /// The checklist.
    pub steps: Vec<StepBody>,
    /// Completion needs a signature.
    pub signature_required: bool,
    /// Where it stands.
    #[schema(value_type = WorkOrderStatusName)]
    pub status: String,
    /// When work started.
    pub started_at: Option<DateTime<Utc>>,
    /// When it was completed.
    pub completed_at: Option<DateTime<Utc>>,
    /// Who completed it.
    pub completed_by: Option<Uuid>,
    /// The completion signature.
    pub signature: Option<SignatureView>,
    /// When it was verified.
    pub verified_at: Option<DateTime<Utc>>,
    /// Who verified it.
    pub verified_by: Option<Uuid>,
    /// When it was cancelled.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Why.
    pub cancel_reason: Option<String>,
    /// Who raised it.
    pub created_by: Uuid,
    /// Version (sync sequence of the last change).
    pub version: i64,
    /// Raised.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl WorkOrderView {
    fn new(w: &WorkOrder) -> Result<Self, ApiError> {
        let assignees: Vec<AssigneeWire> = w.assignees.iter().map(|a| (*a).into()).collect();
        let steps: Vec<StepWire> = w.steps.iter().map(StepWire::of).collect();
        Ok(Self {
            id: w.id.0,
            vessel_id: w.vessel_id.0,
            equipment_id: w.equipment_id.0,
            origin: w.origin.into(),
            title: w.title.clone(),
            description: w.description.clone(),
            priority: w.priority.as_str().into(),
            assignees: rewire(&assignees)?,
            due_on: w.due_on,
            estimated_minutes: w.estimated.map(|m| m.0),
            steps: rewire(&steps)?,
            signature_required: w.signature_required,
            status: w.status.as_str().into(),
            started_at: w.started_at,
            completed_at: w.completed.map(|c| c.0),
            completed_by: w.completed.map(|c| c.1.0),
            signature: w.signature.as_ref().map(|s| SignatureView {
                name: s.name.clone(),
                image_id: s.image.0,
                signed_at: s.signed_at,
            }),
            verified_at: w.verified.map(|v| v.0),
            verified_by: w.verified.map(|v| v.1.0),
            cancelled_at: w.cancelled.as_ref().map(|c| c.0),
            cancel_reason: w.cancelled.as_ref().map(|c| c.1.clone()),
            created_by: w.created_by.0,
            version: w.version,
            created_at: w.created_at,
            updated_at: w.updated_at,
        })
    }
}

/// An answer to a step.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AnswerBody {
    /// Pass or fail.
    PassFail {
        /// Passed.
        passed: bool,
    },
    /// A measured number, decimal text.
    Number {
        /// The value.
        #[schema(pattern = r"^-?[0-9]{1,12}(\.[0-9]{1,6})?$")]
        value: String,
    },
    /// The item's running hours, decimal text, zero or more.
    MeterReading {
        /// Hours.
        #[schema(pattern = r"^[0-9]{1,12}(\.[0-9]{1,6})?$")]
        hours: String,
    },
    /// Text, 1–4,000 characters.
    Text {
        /// The text.
        #[schema(
            min_length = 1,
            max_length = 4000,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
        )]
        text: String,
    },
    /// The chosen option's label.
    Choice {
        /// Its label.
        label: String,
    },
    /// A photo: an attachment on the order's vessel.
    Photo {
        /// The attachment.
        attachment_id: Uuid,
    },
    /// A signature: the name and the drawn image, an attachment on the order's vessel.
    Signature {
        /// The name, 1–200 characters.
        #[schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
        )]
        name: String,
        /// The image.
        image_id: Uuid,
    },
}

/// A recorded answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepResultView {
    /// Id.
    pub id: Uuid,
    /// The work order.
    pub work_order_id: Uuid,
    /// The step.
    pub step_id: Uuid,
    /// The answer.
    pub answer: AnswerBody,
    /// What it means for the step.
    #[schema(value_type = StepOutcomeName)]
    pub outcome: String,
    /// Who answered.
    pub recorded_by: Uuid,
    /// When.
    pub recorded_at: DateTime<Utc>,
}

impl StepResultView {
    fn new(r: &StoredStepResult) -> Result<Self, ApiError> {
        Ok(Self {
            id: r.result.id.0,
            work_order_id: r.work_order_id.0,
            step_id: r.result.step_id.0,
            answer: rewire(&AnswerWire::of(&r.result.answer))?,
            outcome: r.result.outcome.as_str().into(),
            recorded_by: r.recorded_by.0,
            recorded_at: r.result.recorded_at,
        })
    }
}

/// Time worked on a work order.
#[derive(Debug, Serialize, ToSchema)]
pub struct LabourView {
    /// Id.
    pub id: Uuid,
    /// The work order.
    pub work_order_id: Uuid,
    /// Who worked.
    pub person_id: Uuid,
    /// The day.
    pub worked_on: NaiveDate,
    /// How long.
    pub minutes: i64,
    /// Hourly rate in minor units of `currency`; only for readers of supplier prices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_minor: Option<i64>,
    /// The rate's currency, when a rate is set.
    pub currency: Option<String>,
    /// The entry's cost (its minutes at its rate); only for readers of supplier prices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_minor: Option<i64>,
}

impl LabourView {
    fn new(l: &StoredLabour, policy: FieldPolicy) -> Self {
        let rate = l.entry.rate_minor;
        Self {
            id: l.entry.id.0,
            work_order_id: l.entry.work_order_id.0,
            person_id: l.entry.person_id.0,
            worked_on: l.entry.worked_on,
            minutes: l.entry.minutes.0,
            rate_minor: rate.and_then(|r| policy.shown(Field::LabourRate, r)),
            currency: l.entry.currency.clone(),
            cost_minor: rate
                .map(|r| labour_cost_minor(l.entry.minutes, r))
                .and_then(|c| policy.shown(Field::LabourCost, c)),
        }
    }
}

/// A work order with everything recorded on it.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkOrderDetailView {
    /// The order.
    pub order: WorkOrderView,
    /// The answer that counts for each step, in step order (null: not answered).
    pub current: Vec<Option<StepResultView>>,
    /// Every answer, oldest first.
    pub results: Vec<StepResultView>,
    /// Labour, oldest first.
    pub labour: Vec<LabourView>,
    /// Total minutes of labour.
    pub labour_minutes: i64,
    /// Parts used (stock issues), oldest first.
    pub parts: Vec<StockEntryView>,
}

impl WorkOrderDetailView {
    fn new(d: &WorkOrderDetail, policy: FieldPolicy) -> Result<Self, ApiError> {
        Ok(Self {
            order: WorkOrderView::new(&d.order)?,
            current: current_answers(d)
                .into_iter()
                .map(|(_, r)| r.map(StepResultView::new).transpose())
                .collect::<Result<_, _>>()?,
            results: d.results.iter().map(StepResultView::new).collect::<Result<_, _>>()?,
            labour: d.labour.iter().map(|l| LabourView::new(l, policy)).collect(),
            labour_minutes: d.labour.iter().map(|l| l.entry.minutes.0).sum(),
            parts: d.parts.iter().map(StockEntryView::from).collect(),
        })
    }
}

/// A page of work orders, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkOrderPage {
    /// This page.
    pub items: Vec<WorkOrderView>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// Filters and paging for work orders.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct WorkOrderListQuery {
    /// Only on this vessel.
    pub vessel_id: Option<Uuid>,
    /// Only on this item.
    pub equipment_id: Option<Uuid>,
    /// Only these statuses, comma-separated (`open,in_progress`).
    #[param(style = Form, explode = false, value_type = Option<Vec<WorkOrderStatusName>>)]
    pub status: Option<String>,
    /// Rows per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Work orders the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/work-orders", tag = "work-orders", security(("bearer" = [])), params(WorkOrderListQuery),
    responses((status = 200, body = WorkOrderPage), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list_work_orders(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<WorkOrderListQuery>,
) -> Result<Json<WorkOrderPage>, ApiError> {
    let paging = PageQuery { limit: q.limit, cursor: q.cursor };
    let query = WorkOrderQuery {
        vessel: q.vessel_id.map(VesselId),
        equipment: q.equipment_id.map(EquipmentId),
        statuses: parse_list::<WorkOrderStatus>(q.status.as_deref())?,
    };
    let page = Page { after: paging.after::<Uuid>()?.map(WorkOrderId), limit: paging.limit()? };
    let (rows, next) = app.work_orders.list(&actor, query, page).await?;
    Ok(Json(WorkOrderPage {
        items: rows.iter().map(WorkOrderView::new).collect::<Result<_, _>>()?,
        next_cursor: next.map(encode_cursor),
    }))
}

/// Raise a work order on an item. 200 instead of 201 when the same order (same `id` and
/// content) was already received.
#[utoipa::path(post, path = "/api/v1/work-orders", tag = "work-orders", security(("bearer" = [])), request_body = NewWorkOrderBody,
    responses((status = 201, body = WorkOrderView), (status = 200, body = WorkOrderView, description = "the same order again"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json", description = "an item, fault or assignee out of reach"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`decommissioned`, `id_taken`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn create_work_order(
    State(app): State<AppState>,
    actor: Actor,
    ApiJson(b): ApiJson<NewWorkOrderBody>,
) -> Result<(StatusCode, Json<WorkOrderView>), ApiError> {
    let m = CreateWorkOrder {
        id: b.id.map(WorkOrderId),
        equipment_id: EquipmentId(b.equipment_id),
        title: b.title,
        description: b.description,
        priority: b.priority.parse().map_err(bosun_app::Error::from)?,
        assignees: rewire(&b.assignees)?,
        due_on: b.due_on,
        estimated_minutes: b.estimated_minutes,
        steps: rewire(&b.steps)?,
        signature_required: b.signature_required,
        fault_id: b.fault_id.map(FaultId),
    };
    let saved = app.mutate(&actor, m).await?;
    let status = if saved.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(WorkOrderView::new(&saved.order)?)))
}

/// A work order with its answers, labour and parts used.
#[utoipa::path(get, path = "/api/v1/work-orders/{id}", tag = "work-orders", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = WorkOrderDetailView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_work_order(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<WorkOrderDetailView>, ApiError> {
    let detail = app.work_orders.detail(&actor, WorkOrderId(id)).await?;
    Ok(Json(WorkOrderDetailView::new(&detail, FieldPolicy::of(actor.role))?))
}

/// A work order's editable fields.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkOrderUpdateBody {
    /// One line, 1–200 characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub title: String,
    /// What to do, up to 10,000 characters.
    #[schema(max_length = 10_000, pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$")]
    #[serde(default)]
    pub description: String,
    /// How soon.
    #[schema(value_type = PriorityName)]
    pub priority: String,
    /// People or departments of the vessel (at most 20; one named twice counts once).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub assignees: Vec<AssigneeBody>,
    /// Due date.
    pub due_on: Option<NaiveDate>,
    /// Estimated minutes.
    #[schema(minimum = 1, maximum = 60_000)]
    #[serde(default, deserialize_with = "crate::extract::optional_integral")]
    pub estimated_minutes: Option<i64>,
    /// Completion needs a signature.
    #[serde(default)]
    pub signature_required: bool,
    /// The version last read; a newer stored version is 409 `version_conflict`.
    #[serde(default, deserialize_with = "crate::extract::optional_integral")]
    pub version: Option<i64>,
}

/// Edit a work order's title, description, priority, assignees, due date, estimate and
/// signature rule (not its item, origin or checklist), until it is done.
#[utoipa::path(put, path = "/api/v1/work-orders/{id}", tag = "work-orders", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = WorkOrderUpdateBody,
    responses((status = 200, body = WorkOrderView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json", description = "the order or an assignee out of reach"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`version_conflict`, `work_order_closed`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn update_work_order(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<WorkOrderUpdateBody>,
) -> Result<Json<WorkOrderView>, ApiError> {
    let fields = WorkOrderFields {
        title: b.title,
        description: b.description,
        priority: b.priority.parse().map_err(bosun_app::Error::from)?,
        assignees: rewire(&b.assignees)?,
        due_on: b.due_on,
        estimated_minutes: b.estimated_minutes,
        signature_required: b.signature_required,
    };
    let m = UpdateWorkOrder { work_order_id: WorkOrderId(id), version: b.version, fields };
    Ok(Json(WorkOrderView::new(&app.mutate(&actor, m).await?)?))
}

fn order_ref(id: Uuid) -> WorkOrderRef {
    WorkOrderRef { work_order_id: WorkOrderId(id) }
}

/// Start work on an open order, or resume one on hold.
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/start", tag = "work-orders", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = WorkOrderView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`invalid_transition`, `not_assigned`")))]
async fn start_work_order(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<WorkOrderView>, ApiError> {
    Ok(Json(WorkOrderView::new(&app.mutate(&actor, StartWorkOrder(order_ref(id))).await?)?))
}

/// Put work in progress on hold.
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/hold", tag = "work-orders", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = WorkOrderView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`invalid_transition`, `not_assigned`")))]
async fn hold_work_order(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<WorkOrderView>, ApiError> {
    Ok(Json(WorkOrderView::new(&app.mutate(&actor, HoldWorkOrder(order_ref(id))).await?)?))
}

/// A signature at completion.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignatureBody {
    /// The name as signed, 1–200 characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub name: String,
    /// The drawn signature: an attachment on the order's vessel.
    pub image_id: Uuid,
}

/// Completion.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteBody {
    /// The signature (required when the order asks for one).
    pub signature: Option<SignatureBody>,
}

/// Complete work in progress: every required step answered, signed when the order asks.
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/complete", tag = "work-orders", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = CompleteBody,
    responses((status = 200, body = WorkOrderView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json",
               description = "`invalid_transition`, `steps_incomplete`, `signature_required`, `not_assigned`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn complete_work_order(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<CompleteBody>,
) -> Result<Json<WorkOrderView>, ApiError> {
    let signature = b.signature.map(|s| SignatureInput { name: s.name, image_id: AttachmentId(s.image_id) });
    let m = CompleteWorkOrder { work_order_id: WorkOrderId(id), signature };
    Ok(Json(WorkOrderView::new(&app.mutate(&actor, m).await?)?))
}

/// Accept completed work (not one's own).
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/verify", tag = "work-orders", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = WorkOrderView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`invalid_transition`, `own_work`")))]
async fn verify_work_order(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<WorkOrderView>, ApiError> {
    Ok(Json(WorkOrderView::new(&app.mutate(&actor, VerifyWorkOrder(order_ref(id))).await?)?))
}

/// A cancellation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    /// Why, 1–500 characters.
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub reason: String,
}

/// Cancel an order that is not done.
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/cancel", tag = "work-orders", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = CancelBody,
    responses((status = 200, body = WorkOrderView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`invalid_transition`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn cancel_work_order(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<CancelBody>,
) -> Result<Json<WorkOrderView>, ApiError> {
    Ok(Json(WorkOrderView::new(
        &app.mutate(&actor, CancelWorkOrder { work_order_id: WorkOrderId(id), reason: b.reason }).await?,
    )?))
}

/// An answer to a step.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultBody {
    /// Client-made UUIDv7; the same answer again answers 200.
    pub id: Uuid,
    /// The step.
    pub step_id: Uuid,
    /// The answer, of the step's kind.
    pub answer: AnswerBody,
    /// The id for the fault or follow-up work order the step's rule opens if the answer fails it.
    pub follow_up_id: Option<Uuid>,
}

/// Answer a step of work in progress or on hold. A failed answer whose step has a rule opens
/// its fault or follow-up work order at once.
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/results", tag = "work-orders", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = ResultBody,
    responses((status = 201, body = StepResultView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`work_order_not_workable`, `not_assigned`, `id_taken`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn record_result(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<ResultBody>,
) -> Result<(StatusCode, Json<StepResultView>), ApiError> {
    let m = RecordStepResult {
        id: StepResultId(b.id),
        work_order_id: WorkOrderId(id),
        step_id: StepId(b.step_id),
        answer: rewire::<_, AnswerWire>(&b.answer)?,
        recorded_at: None,
        follow_up_id: b.follow_up_id,
    };
    let r = app.mutate(&actor, m).await?;
    Ok((StatusCode::CREATED, Json(StepResultView::new(&r)?)))
}

/// Time worked.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabourBody {
    /// Client-made UUIDv7; the same entry again answers 201 with the stored one.
    pub id: Uuid,
    /// The day worked (not in the future).
    pub worked_on: NaiveDate,
    /// How long, 1–1,440 minutes.
    #[schema(minimum = 1, maximum = 1440)]
    #[serde(deserialize_with = "crate::extract::integral")]
    pub minutes: i64,
    /// Hourly rate in minor units (0–10,000,000), with `currency`; only roles that read
    /// supplier prices may give one (else 403).
    #[schema(minimum = 0, maximum = 10_000_000)]
    #[serde(default, deserialize_with = "crate::extract::optional_integral")]
    pub rate_minor: Option<i64>,
    /// The rate's currency (ISO 4217, e.g. EUR), with `rate_minor`.
    #[schema(pattern = "^[A-Z]{3}$")]
    pub currency: Option<String>,
}

/// Log time the caller worked on an order in progress or on hold.
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/labour", tag = "work-orders", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = LabourBody,
    responses((status = 201, body = LabourView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`work_order_not_workable`, `not_assigned`, `id_taken`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn log_labour(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<LabourBody>,
) -> Result<(StatusCode, Json<LabourView>), ApiError> {
    let m = LogLabour {
        id: LabourEntryId(b.id),
        work_order_id: WorkOrderId(id),
        worked_on: b.worked_on,
        minutes: b.minutes,
        rate_minor: b.rate_minor,
        currency: b.currency,
    };
    let saved = app.mutate(&actor, m).await?;
    Ok((StatusCode::CREATED, Json(LabourView::new(&saved, FieldPolicy::of(actor.role)))))
}

/// A part used.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueBody {
    /// Client-made UUIDv7 of the ledger entry; the same issue again answers 200.
    pub id: Option<Uuid>,
    /// A stock location of the order's vessel.
    pub location_id: Uuid,
    /// The part.
    pub part_id: Uuid,
    /// How many, in thousandths of the part's unit.
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    #[serde(deserialize_with = "crate::extract::integral")]
    pub quantity_milli: i64,
}

/// Use a part from stock on an order in progress or on hold: a stock issue.
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/parts", tag = "work-orders", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = IssueBody,
    responses((status = 201, body = PostedView), (status = 200, body = PostedView, description = "the same issue again"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json",
               description = "`insufficient_stock`, `work_order_not_workable`, `not_assigned`, `id_taken`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn issue_part(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<IssueBody>,
) -> Result<(StatusCode, Json<PostedView>), ApiError> {
    let m = IssuePart {
        id: b.id.map(StockEntryId),
        work_order_id: WorkOrderId(id),
        location_id: StockLocationId(b.location_id),
        part_id: PartId(b.part_id),
        quantity: crate::stock::milli("quantity_milli", b.quantity_milli, 1)?,
    };
    Ok(crate::stock::posted(&app.mutate(&actor, m).await?))
}
