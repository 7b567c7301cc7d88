//! Preventive maintenance plans: `/maintenance-plans`, their postponements, and planned-
//! maintenance compliance (`/analytics/maintenance`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bosun_app::Actor;
use bosun_app::plans::{
    CreateMaintenancePlan, MaintenanceFigures, PlanDetail, PlanFields, PostponePlan, UpdateMaintenancePlan,
};
use bosun_domain::maintenance_plan::DuePoint;
use bosun_domain::{EquipmentId, MaintenancePlanId, PostponementId, UserId, VesselId};
use bosun_store::{Page, PlanCompletion, StoredPlan, StoredPostponement};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, PageQuery, encode_cursor};
use crate::names::{CalendarBasisName, CalendarUnitName, DueStateName, PriorityName};
use crate::state::AppState;
use crate::work_orders::{AssigneeBody, StepBody, rewire};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_plans, create_plan))
        .routes(routes!(get_plan, update_plan))
        .routes(routes!(postpone_plan))
        .routes(routes!(maintenance_figures))
}

/// One criterion of a plan: every so many calendar units, or running hours. Tolerances are in
/// the criterion's unit (days, or hours), each at most one interval.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CriterionBody {
    /// By the calendar.
    Calendar {
        /// How many units, 1 or more (at most ten years' worth).
        #[schema(minimum = 1, maximum = 3653)]
        #[serde(deserialize_with = "crate::extract::integral")]
        every: i64,
        /// The unit.
        #[schema(value_type = CalendarUnitName)]
        unit: String,
        /// What it counts from.
        #[schema(value_type = CalendarBasisName)]
        basis: String,
        /// Days before the due date that still count as on time.
        #[serde(default)]
        #[schema(minimum = 0)]
        early: f64,
        /// Days after the due date that still count as on time.
        #[serde(default)]
        #[schema(minimum = 0)]
        late: f64,
    },
    /// By running hours.
    RunningHours {
        /// Hours, more than 0 and at most 100,000.
        #[schema(exclusive_minimum = 0, maximum = 100_000)]
        every: f64,
        /// Hours before the due point that still count as on time.
        #[serde(default)]
        #[schema(minimum = 0)]
        early: f64,
        /// Hours after the due point that still count as on time.
        #[serde(default)]
        #[schema(minimum = 0)]
        late: f64,
    },
}

/// A plan's fields as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanBody {
    /// Client-made UUIDv7 (creation only); the same plan again answers 200, other content 409
    /// `id_taken`.
    pub id: Option<Uuid>,
    /// The item (creation only; a plan's item never changes).
    pub equipment_id: Option<Uuid>,
    /// What is done, 1–200 characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub title: String,
    /// How, up to 10,000 characters.
    #[schema(max_length = 10_000, pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$")]
    #[serde(default)]
    pub description: String,
    /// The priority of its work orders.
    #[schema(value_type = PriorityName)]
    pub priority: String,
    /// One to three criteria, at most one of running hours: whichever comes first.
    #[schema(min_items = 1, max_items = 3)]
    pub criteria: Vec<CriterionBody>,
    /// The day counting starts.
    pub starts_on: NaiveDate,
    /// The item's running hours that day (required with a running-hours criterion).
    #[schema(minimum = 0, maximum = 10_000_000)]
    pub start_hours: Option<f64>,
    /// Days ahead of the due date its work order is generated.
    #[schema(minimum = 0, maximum = 366)]
    #[serde(deserialize_with = "crate::extract::integral")]
    pub lead_days: i64,
    /// The checklist each work order copies, at most 200 steps.
    #[serde(default)]
    #[schema(max_items = 200)]
    pub steps: Vec<StepBody>,
    /// Completion needs a signature.
    #[serde(default)]
    pub signature_required: bool,
    /// Estimated minutes.
    #[schema(minimum = 1, maximum = 60_000)]
    #[serde(default, deserialize_with = "crate::extract::optional_integral")]
    pub estimated_minutes: Option<i64>,
    /// People or departments of the vessel (at most 20).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub assignees: Vec<AssigneeBody>,
    /// The version last read (updates only); a newer stored version is 409 `version_conflict`.
    #[serde(default, deserialize_with = "crate::extract::optional_integral")]
    pub version: Option<i64>,
}

impl PlanBody {
    fn fields(&self) -> Result<PlanFields, ApiError> {
        Ok(PlanFields {
            title: self.title.clone(),
            description: self.description.clone(),
            priority: self.priority.parse().map_err(bosun_app::Error::from)?,
            criteria: rewire(&self.criteria)?,
            starts_on: self.starts_on,
            start_hours: self.start_hours,
            lead_days: self.lead_days,
            steps: rewire(&self.steps)?,
            signature_required: self.signature_required,
            estimated_minutes: self.estimated_minutes,
            assignees: rewire(&self.assignees)?,
        })
    }
}

/// A plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanView {
    /// Id.
    pub id: Uuid,
    /// The item's vessel.
    pub vessel_id: Uuid,
    /// The item.
    pub equipment_id: Uuid,
    /// What is done.
    pub title: String,
    /// How.
    pub description: String,
    /// The priority of its work orders.
    #[schema(value_type = PriorityName)]
    pub priority: String,
    /// Whichever comes first.
    pub criteria: Vec<CriterionBody>,
    /// The day counting starts.
    pub starts_on: NaiveDate,
    /// The item's running hours that day.
    pub start_hours: Option<f64>,
    /// Days ahead of the due date its work order is generated.
    pub lead_days: i64,
    /// The checklist each work order copies.
    pub steps: Vec<StepBody>,
    /// Completion needs a signature.
    pub signature_required: bool,
    /// Estimated minutes.
    pub estimated_minutes: Option<i64>,
    /// Who does it.
    pub assignees: Vec<AssigneeBody>,
    /// The occurrence now due (0 before the first completion).
    pub occurrence: u32,
    /// The last completion's day.
    pub last_done_on: Option<NaiveDate>,
    /// The item's running hours at the last completion.
    pub last_done_hours: Option<f64>,
    /// The current occurrence's calendar due date, postponement included.
    pub due_on: Option<NaiveDate>,
    /// The running-hours total it falls due at, postponement included.
    pub due_hours: Option<f64>,
    /// Who made it.
    pub created_by: Uuid,
    /// Version (sync sequence of the last change).
    pub version: i64,
    /// Made.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl PlanView {
    fn new(p: &StoredPlan) -> Result<Self, ApiError> {
        let f = PlanFields::of(p);
        let last = p.progress.last_done;
        Ok(Self {
            id: p.plan.id.0,
            vessel_id: p.plan.vessel_id.0,
            equipment_id: p.plan.equipment_id.0,
            title: f.title,
            description: f.description,
            priority: f.priority.as_str().into(),
            criteria: rewire(&f.criteria)?,
            starts_on: f.starts_on,
            start_hours: f.start_hours,
            lead_days: f.lead_days,
            steps: rewire(&f.steps)?,
            signature_required: f.signature_required,
            estimated_minutes: f.estimated_minutes,
            assignees: rewire(&f.assignees)?,
            occurrence: p.progress.occurrence,
            last_done_on: last.map(|l| l.on),
            last_done_hours: last.and_then(|l| l.hours),
            due_on: p.due_on,
            due_hours: p.due_hours,
            created_by: p.created_by.0,
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        })
    }
}

/// One criterion judged today.
#[derive(Debug, Serialize, ToSchema)]
pub struct CriterionStatusView {
    /// Its due date (calendar).
    pub due_on: Option<NaiveDate>,
    /// Its due point in running hours.
    pub due_hours: Option<f64>,
    /// Where it stands.
    #[schema(value_type = DueStateName)]
    pub state: String,
    /// The day it is expected to fall due (running hours: at the recent daily rate).
    pub forecast_on: Option<NaiveDate>,
}

/// A postponement of one occurrence (evidence for class and ISM audits).
#[derive(Debug, Serialize, ToSchema)]
pub struct PostponementView {
    /// Id.
    pub id: Uuid,
    /// The plan.
    pub plan_id: Uuid,
    /// The occurrence postponed.
    pub occurrence: u32,
    /// The new due date of its calendar criteria.
    pub new_date: Option<NaiveDate>,
    /// Running hours added to its running-hours criterion.
    pub extra_hours: Option<f64>,
    /// Why.
    pub reason: String,
    /// Who asked.
    pub requested_by: Uuid,
    /// Who approved.
    pub approved_by: Uuid,
    /// When.
    pub approved_at: DateTime<Utc>,
}

impl From<&StoredPostponement> for PostponementView {
    fn from(p: &StoredPostponement) -> Self {
        let x = &p.postponement;
        Self {
            id: p.id.0,
            plan_id: p.plan_id.0,
            occurrence: x.occurrence,
            new_date: x.to.date,
            extra_hours: x.to.extra_hours,
            reason: x.reason.clone(),
            requested_by: x.requested_by.0,
            approved_by: x.approved_by.0,
            approved_at: x.approved_at,
        }
    }
}

/// How one occurrence ended.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompletionView {
    /// The occurrence.
    pub occurrence: u32,
    /// `done` by its work order, `skipped` (its work order cancelled) or `missed` (passed over
    /// when a later occurrence was done).
    #[schema(pattern = "^(done|skipped|missed)$")]
    pub outcome: String,
    /// Its work order (none for a missed occurrence).
    pub work_order_id: Option<Uuid>,
    /// The day it ended.
    pub done_on: NaiveDate,
    /// The item's running hours then.
    pub done_hours: Option<f64>,
    /// The due date it answered.
    pub due_on: Option<NaiveDate>,
    /// The running-hours due point it answered.
    pub due_hours: Option<f64>,
    /// Done inside its tolerance window.
    pub in_window: bool,
}

impl From<&PlanCompletion> for CompletionView {
    fn from(c: &PlanCompletion) -> Self {
        Self {
            occurrence: c.occurrence,
            outcome: c.outcome.as_str().into(),
            work_order_id: c.work_order_id.map(|w| w.0),
            done_on: c.done_on,
            done_hours: c.done_hours,
            due_on: c.due_on,
            due_hours: c.due_hours,
            in_window: c.in_window,
        }
    }
}

/// A plan judged today, with its postponements and completions.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanDetailView {
    /// The plan.
    pub plan: PlanView,
    /// Where the plan stands: its most advanced criterion's state.
    #[schema(value_type = DueStateName)]
    pub state: String,
    /// The earliest day a criterion is expected to fall due.
    pub forecast_on: Option<NaiveDate>,
    /// Each criterion, in the plan's order.
    pub criteria: Vec<CriterionStatusView>,
    /// The item's running hours now (an item with a meter).
    pub hours_now: Option<f64>,
    /// Its recent running hours a day.
    pub daily_rate: Option<f64>,
    /// Postponements, oldest first.
    pub postponements: Vec<PostponementView>,
    /// How each past occurrence ended, oldest first.
    pub completions: Vec<CompletionView>,
}

impl PlanDetailView {
    fn new(d: &PlanDetail) -> Result<Self, ApiError> {
        let a = &d.assessment;
        Ok(Self {
            plan: PlanView::new(&d.plan)?,
            state: a.state.as_str().into(),
            forecast_on: a.forecast,
            criteria: a
                .criteria
                .iter()
                .map(|c| CriterionStatusView {
                    due_on: match c.due {
                        Some(DuePoint::Date(d)) => Some(d),
                        _ => None,
                    },
                    due_hours: match c.due {
                        Some(DuePoint::Hours(h)) => Some(h),
                        _ => None,
                    },
                    state: c.state.as_str().into(),
                    forecast_on: c.forecast,
                })
                .collect(),
            hours_now: d.hours_now,
            daily_rate: d.daily_rate,
            postponements: d.postponements.iter().map(Into::into).collect(),
            completions: d.completions.iter().map(Into::into).collect(),
        })
    }
}

/// A page of plans.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanPage {
    /// Plans, newest first.
    pub items: Vec<PlanView>,
    /// Where the next page starts; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters and paging for plans.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PlanListQuery {
    /// Only on this vessel.
    pub vessel_id: Option<Uuid>,
    /// Only on this item.
    pub equipment_id: Option<Uuid>,
    /// Rows per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Plans the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/maintenance-plans", tag = "maintenance-plans", security(("bearer" = [])), params(PlanListQuery),
    responses((status = 200, body = PlanPage), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list_plans(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<PlanListQuery>,
) -> Result<Json<PlanPage>, ApiError> {
    let paging = PageQuery { limit: q.limit, cursor: q.cursor };
    let page = Page { after: paging.after::<Uuid>()?.map(MaintenancePlanId), limit: paging.limit()? };
    let (rows, next) = app.plans.list(&actor, q.vessel_id.map(VesselId), q.equipment_id.map(EquipmentId), page).await?;
    Ok(Json(PlanPage {
        items: rows.iter().map(PlanView::new).collect::<Result<_, _>>()?,
        next_cursor: next.map(encode_cursor),
    }))
}

/// Make a plan for an item. 200 instead of 201 when the same plan (same `id` and content) was
/// already received.
#[utoipa::path(post, path = "/api/v1/maintenance-plans", tag = "maintenance-plans", security(("bearer" = [])), request_body = PlanBody,
    responses((status = 201, body = PlanView), (status = 200, body = PlanView, description = "the same plan again"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json", description = "an item or assignee out of reach"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`decommissioned`, `id_taken`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn create_plan(
    State(app): State<AppState>,
    actor: Actor,
    ApiJson(b): ApiJson<PlanBody>,
) -> Result<(StatusCode, Json<PlanView>), ApiError> {
    let Some(equipment_id) = b.equipment_id else {
        return Err(ApiError::invalid("equipment_id", "required", "the item the plan is for"));
    };
    let m = CreateMaintenancePlan {
        id: b.id.map(MaintenancePlanId),
        equipment_id: EquipmentId(equipment_id),
        fields: b.fields()?,
    };
    let saved = app.mutate(&actor, m).await?;
    let status = if saved.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(PlanView::new(&saved.plan)?)))
}

/// A plan judged today (its due state and forecast), with its postponements and completions.
#[utoipa::path(get, path = "/api/v1/maintenance-plans/{id}", tag = "maintenance-plans", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = PlanDetailView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_plan(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<PlanDetailView>, ApiError> {
    Ok(Json(PlanDetailView::new(&app.plans.detail(&actor, MaintenancePlanId(id)).await?)?))
}

/// Replace a plan's fields (not its item). Its due points follow at once; where it stands
/// (occurrence, last completion) does not change.
#[utoipa::path(put, path = "/api/v1/maintenance-plans/{id}", tag = "maintenance-plans", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = PlanBody,
    responses((status = 200, body = PlanView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`version_conflict`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn update_plan(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<PlanBody>,
) -> Result<Json<PlanView>, ApiError> {
    if b.id.is_some() || b.equipment_id.is_some() {
        return Err(ApiError::invalid("equipment_id", "not_changeable", "a plan's id and item never change"));
    }
    let m = UpdateMaintenancePlan { plan_id: MaintenancePlanId(id), version: b.version, fields: b.fields()? };
    Ok(Json(PlanView::new(&app.mutate(&actor, m).await?)?))
}

/// A postponement asked for by someone and approved by the caller.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostponeBody {
    /// Client-made UUIDv7; the same postponement again answers 200.
    pub id: Option<Uuid>,
    /// The occurrence postponed: the plan's current one.
    #[schema(minimum = 0, maximum = 4_294_967_295_i64)]
    #[serde(deserialize_with = "crate::extract::integral")]
    pub occurrence: i64,
    /// The new due date (required when the plan has a calendar criterion): after the due date,
    /// and before the next occurrence of a schedule-based one.
    pub new_date: Option<NaiveDate>,
    /// Running hours added (required when the plan counts running hours): more than 0, at most
    /// one interval.
    #[schema(exclusive_minimum = 0)]
    pub extra_hours: Option<f64>,
    /// Why, 1–2,000 characters.
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub reason: String,
    /// Who asked for it: an active person of the company other than the caller.
    pub requested_by: Uuid,
}

/// Postpone the occurrence now due, as its approver.
#[utoipa::path(post, path = "/api/v1/maintenance-plans/{id}/postponements", tag = "maintenance-plans", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = PostponeBody,
    responses((status = 201, body = PostponementView), (status = 200, body = PostponementView, description = "the same postponement again"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json", description = "the plan or the requester"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`occurrence_passed`, `id_taken`"),
              (status = 422, body = Problem, content_type = "application/problem+json", description = "`self_approval`, `not_later`, `beyond_next`, `nothing_postponed`")))]
async fn postpone_plan(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<PostponeBody>,
) -> Result<(StatusCode, Json<PostponementView>), ApiError> {
    let occurrence = u32::try_from(b.occurrence)
        .map_err(|_| ApiError::invalid("occurrence", "out_of_range", "must be 0 to 4294967295"))?;
    let m = PostponePlan {
        id: b.id.map(PostponementId),
        plan_id: MaintenancePlanId(id),
        occurrence,
        new_date: b.new_date,
        extra_hours: b.extra_hours,
        reason: b.reason,
        requested_by: UserId(b.requested_by),
    };
    let saved = app.mutate(&actor, m).await?;
    let status = if saved.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(PostponementView::from(&saved.row))))
}

/// Which vessel's figures.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MaintenanceQuery {
    /// Only this vessel.
    pub vessel_id: Option<Uuid>,
}

/// A plan past its window.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverdueView {
    /// The plan.
    pub plan_id: Uuid,
    /// Its vessel.
    pub vessel_id: Uuid,
    /// Its item.
    pub equipment_id: Uuid,
    /// What is due.
    pub title: String,
    /// Its due date.
    pub due_on: Option<NaiveDate>,
    /// Its due point in running hours.
    pub due_hours: Option<f64>,
}

/// Planned-maintenance compliance over the last 365 days, overdue plans and backlog.
#[derive(Debug, Serialize, ToSchema)]
pub struct MaintenanceFiguresView {
    /// Plans counted.
    pub plans: u64,
    /// Occurrences that ended in the last 365 days: done, skipped (their work order cancelled)
    /// or missed (passed over by a late completion).
    pub done: u64,
    /// Of them, done inside their tolerance window.
    pub done_in_window: u64,
    /// `done_in_window` / `done` in percent, one decimal; none when nothing was done.
    pub compliance_percent: Option<f64>,
    /// Open, in-progress and held work orders generated by plans.
    pub backlog: u64,
    /// Plans past their window, earliest due first (at most 100).
    pub overdue: Vec<OverdueView>,
    /// More plans than one answer looks at (20,000): the figures cover the first ones only.
    pub truncated: bool,
}

impl From<&MaintenanceFigures> for MaintenanceFiguresView {
    fn from(f: &MaintenanceFigures) -> Self {
        Self {
            plans: f.plans,
            done: f.done.done,
            done_in_window: f.done.in_window,
            compliance_percent: (f.done.done > 0)
                .then(|| (f.done.in_window as f64 * 1000.0 / f.done.done as f64).round() / 10.0),
            backlog: f.backlog,
            truncated: f.truncated,
            overdue: f
                .overdue
                .iter()
                .map(|o| OverdueView {
                    plan_id: o.plan.plan.id.0,
                    vessel_id: o.plan.plan.vessel_id.0,
                    equipment_id: o.plan.plan.equipment_id.0,
                    title: o.plan.plan.title.clone(),
                    due_on: o.plan.due_on,
                    due_hours: o.plan.due_hours,
                })
                .collect(),
        }
    }
}

/// Planned-maintenance compliance (done within the window, last 365 days), overdue plans and
/// backlog, on the vessels the caller sees or one of them.
#[utoipa::path(get, path = "/api/v1/analytics/maintenance", tag = "analytics", security(("bearer" = [])), params(MaintenanceQuery),
    responses((status = 200, body = MaintenanceFiguresView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json", description = "a vessel out of reach"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn maintenance_figures(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<MaintenanceQuery>,
) -> Result<Json<MaintenanceFiguresView>, ApiError> {
    Ok(Json((&app.plans.figures(&actor, q.vessel_id.map(VesselId)).await?).into()))
}
