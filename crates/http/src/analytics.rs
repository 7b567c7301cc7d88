//! `/analytics`: the dashboard, repair times (MTTR) and parts spend. Definitions are in
//! `docs/ARCHITECTURE.md` ("Analytics").

use axum::Json;
use axum::extract::State;
use bosun_domain::VesselId;
use bosun_store::{MttrRow, SpendRow};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::ApiQuery;
use crate::names::MttrGroupName;
use crate::state::AppState;
use bosun_app::Actor;
use bosun_app::records::analytics::{CostReport, Dashboard, Mtbf, Mttr, MttrReport, Spend, group_name};
use bosun_domain::fault::Severity;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(dashboard)).routes(routes!(mttr)).routes(routes!(costs))
}

/// Which vessel a dashboard covers.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DashboardQuery {
    /// One vessel; every vessel the caller sees when absent.
    pub vessel_id: Option<Uuid>,
}

/// An MTTR report's grouping and period.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MttrQuery {
    /// `vessel`, `equipment`, `severity`, `month` (`YYYY-MM`) or `week` (ISO, `YYYY-Www`);
    /// only the overall figure when absent.
    #[param(value_type = Option<MttrGroupName>)]
    pub group: Option<String>,
    /// First day of resolution (UTC), default 89 days before `to`.
    pub from: Option<NaiveDate>,
    /// Last day of resolution (UTC, included), default today.
    pub to: Option<NaiveDate>,
    /// One vessel; every vessel the caller sees when absent.
    pub vessel_id: Option<Uuid>,
}

/// A spend report's period.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CostsQuery {
    /// First day of order creation (UTC), default 364 days before `to`.
    pub from: Option<NaiveDate>,
    /// Last day of order creation (UTC, included), default today.
    pub to: Option<NaiveDate>,
    /// One vessel; every vessel the caller sees when absent.
    pub vessel_id: Option<Uuid>,
}

/// Unresolved faults per severity.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeverityCounts {
    /// Low.
    pub low: i64,
    /// Medium.
    pub medium: i64,
    /// High.
    pub high: i64,
    /// Critical.
    pub critical: i64,
}

/// Open (unresolved) faults.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenFaultsView {
    /// All of them.
    pub total: i64,
    /// Per severity.
    pub by_severity: SeverityCounts,
}

/// Open faults by time since their report; each bucket includes its upper bound.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgeingView {
    /// Reported at most a day ago.
    pub up_to_1d: i64,
    /// More than 1 and at most 7 days ago.
    pub from_1d_to_7d: i64,
    /// More than 7 and at most 30 days ago.
    pub from_7d_to_30d: i64,
    /// More than 30 days ago.
    pub over_30d: i64,
}

/// Mean time to repair.
#[derive(Debug, Serialize, ToSchema)]
pub struct MttrView {
    /// Resolved faults counted.
    pub faults: i64,
    /// Mean seconds from report to resolution; null without faults.
    pub mean_seconds: Option<f64>,
}

impl From<Mttr> for MttrView {
    fn from(m: Mttr) -> Self {
        Self { faults: m.faults, mean_seconds: m.mean_seconds }
    }
}

/// Mean time between failures: Σ(last − first report) / Σ(reports − 1) over items with two or
/// more reports in the window.
#[derive(Debug, Serialize, ToSchema)]
pub struct MtbfView {
    /// Items with two or more reports.
    pub items: i64,
    /// Intervals between consecutive reports.
    pub intervals: i64,
    /// Mean seconds between consecutive reports on one item; null without intervals.
    pub mean_seconds: Option<f64>,
}

impl From<Mtbf> for MtbfView {
    fn from(m: Mtbf) -> Self {
        Self { items: m.items, intervals: m.intervals, mean_seconds: m.mean_seconds }
    }
}

/// One item and its reported faults.
#[derive(Debug, Serialize, ToSchema)]
pub struct EquipmentFaultsView {
    /// The item.
    pub equipment_id: Uuid,
    /// Its name.
    pub name: String,
    /// Faults reported in the window.
    pub faults: i64,
}

/// Spend in one currency (never converted).
#[derive(Debug, Serialize, ToSchema)]
pub struct SpendView {
    /// ISO 4217.
    pub currency: String,
    /// What suppliers charge, minor units.
    pub supplier_minor: i64,
    /// What customers are charged, minor units.
    pub customer_minor: i64,
    /// Customer minus supplier, minor units.
    pub margin_minor: i64,
}

impl From<&Spend> for SpendView {
    fn from(s: &Spend) -> Self {
        Self {
            currency: s.currency.clone(),
            supplier_minor: s.supplier_minor,
            customer_minor: s.customer_minor,
            margin_minor: s.margin_minor,
        }
    }
}

/// The dashboard of one vessel or of every vessel the caller sees.
#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardView {
    /// The vessel it covers; null for all the caller sees.
    pub vessel_id: Option<Uuid>,
    /// When it was computed; the windows end here.
    pub at: DateTime<Utc>,
    /// Faults not yet resolved or closed.
    pub open_faults: OpenFaultsView,
    /// Those open faults by age.
    pub ageing: AgeingView,
    /// MTTR of faults resolved in the last 30 days.
    pub mttr_30d: MttrView,
    /// MTTR of faults resolved in the last 90 days.
    pub mttr_90d: MttrView,
    /// The items with the most faults reported in the last 90 days (at most 5).
    pub top_equipment_90d: Vec<EquipmentFaultsView>,
    /// MTBF over the last 90 days.
    pub mtbf_90d: MtbfView,
    /// Parts spend of the last 90 days per currency; only for `analytics.costs`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parts_spend_90d: Option<Vec<SpendView>>,
}

impl From<&Dashboard> for DashboardView {
    fn from(d: &Dashboard) -> Self {
        let n = |s: Severity| d.open_by_severity.iter().find(|(k, _)| *k == s).map_or(0, |(_, n)| *n);
        Self {
            vessel_id: d.vessel_id.map(|v| v.0),
            at: d.at,
            open_faults: OpenFaultsView {
                total: d.open_total,
                by_severity: SeverityCounts {
                    low: n(Severity::Low),
                    medium: n(Severity::Medium),
                    high: n(Severity::High),
                    critical: n(Severity::Critical),
                },
            },
            ageing: AgeingView {
                up_to_1d: d.ageing.up_to_1d,
                from_1d_to_7d: d.ageing.from_1d_to_7d,
                from_7d_to_30d: d.ageing.from_7d_to_30d,
                over_30d: d.ageing.over_30d,
            },
            mttr_30d: d.mttr_30d.into(),
            mttr_90d: d.mttr_90d.into(),
            top_equipment_90d: d
                .top_equipment_90d
                .iter()
                .map(|e| EquipmentFaultsView { equipment_id: e.equipment_id.0, name: e.name.clone(), faults: e.faults })
                .collect(),
            mtbf_90d: d.mtbf_90d.into(),
            parts_spend_90d: d.parts_spend_90d.as_ref().map(|s| s.iter().map(Into::into).collect()),
        }
    }
}

/// One group's repair times.
#[derive(Debug, Serialize, ToSchema)]
pub struct MttrRowView {
    /// The group: a vessel or equipment id, a severity, `YYYY-MM` or `YYYY-Www`.
    pub key: String,
    /// Resolved faults in the group.
    pub faults: i64,
    /// Mean seconds from report to resolution.
    pub mean_seconds: f64,
}

impl From<&MttrRow> for MttrRowView {
    fn from(r: &MttrRow) -> Self {
        Self { key: r.key.clone(), faults: r.faults, mean_seconds: r.mean_seconds }
    }
}

/// Repair times of the faults resolved in a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct MttrReportView {
    /// First day (UTC).
    pub from: NaiveDate,
    /// Last day (UTC, included).
    pub to: NaiveDate,
    /// The grouping, if any.
    #[schema(value_type = Option<MttrGroupName>)]
    pub group: Option<String>,
    /// Every fault of the period together.
    pub overall: MttrView,
    /// Per group, ordered by key.
    pub rows: Vec<MttrRowView>,
}

impl From<&MttrReport> for MttrReportView {
    fn from(r: &MttrReport) -> Self {
        Self {
            from: r.period.from,
            to: r.period.to,
            group: r.group.map(|g| group_name(g).to_owned()),
            overall: r.overall.into(),
            rows: r.rows.iter().map(Into::into).collect(),
        }
    }
}

/// Parts spend of one vessel in one month, in one currency.
#[derive(Debug, Serialize, ToSchema)]
pub struct CostRowView {
    /// The vessel.
    pub vessel_id: Uuid,
    /// `YYYY-MM` of the orders' creation (UTC).
    pub month: String,
    /// ISO 4217.
    pub currency: String,
    /// What suppliers charge, minor units.
    pub supplier_minor: i64,
    /// What customers are charged, minor units.
    pub customer_minor: i64,
    /// Customer minus supplier, minor units.
    pub margin_minor: i64,
}

impl From<&SpendRow> for CostRowView {
    fn from(r: &SpendRow) -> Self {
        Self {
            vessel_id: r.vessel_id.0,
            month: r.month.clone(),
            currency: r.currency.clone(),
            supplier_minor: r.supplier_minor,
            customer_minor: r.customer_minor,
            margin_minor: r.customer_minor - r.supplier_minor,
        }
    }
}

/// Parts spend of a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct CostReportView {
    /// First day (UTC).
    pub from: NaiveDate,
    /// Last day (UTC, included).
    pub to: NaiveDate,
    /// By month, vessel and currency.
    pub rows: Vec<CostRowView>,
    /// Per currency.
    pub totals: Vec<SpendView>,
}

impl From<&CostReport> for CostReportView {
    fn from(r: &CostReport) -> Self {
        Self {
            from: r.period.from,
            to: r.period.to,
            rows: r.rows.iter().map(Into::into).collect(),
            totals: r.totals.iter().map(Into::into).collect(),
        }
    }
}

/// The dashboard: open faults by severity and age, MTTR over 30 and 90 days, the items with
/// most faults, MTBF, and (with `analytics.costs`) parts spend.
#[utoipa::path(get, path = "/api/v1/analytics/dashboard", tag = "analytics", operation_id = "analytics_dashboard", security(("bearer" = [])), params(DashboardQuery),
    responses((status = 200, body = DashboardView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn dashboard(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<DashboardQuery>,
) -> Result<Json<DashboardView>, ApiError> {
    let d = app.analytics.dashboard(&actor, q.vessel_id.map(VesselId)).await?;
    Ok(Json((&d).into()))
}

/// Mean time to repair of the faults resolved in a period, overall and by group.
#[utoipa::path(get, path = "/api/v1/analytics/mttr", tag = "analytics", operation_id = "analytics_mttr", security(("bearer" = [])), params(MttrQuery),
    responses((status = 200, body = MttrReportView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn mttr(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<MttrQuery>,
) -> Result<Json<MttrReportView>, ApiError> {
    let r = app.analytics.mttr(&actor, q.vessel_id.map(VesselId), q.group.as_deref(), q.from, q.to).await?;
    Ok(Json((&r).into()))
}

/// Parts spend by vessel and month: supplier total, customer total and margin.
#[utoipa::path(get, path = "/api/v1/analytics/costs", tag = "analytics", operation_id = "analytics_costs", security(("bearer" = [])), params(CostsQuery),
    responses((status = 200, body = CostReportView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn costs(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<CostsQuery>,
) -> Result<Json<CostReportView>, ApiError> {
    let r = app.analytics.costs(&actor, q.vessel_id.map(VesselId), q.from, q.to).await?;
    Ok(Json((&r).into()))
}
