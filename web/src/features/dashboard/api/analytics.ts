/**
 * The fleet dashboard's reads: the dashboard figures, repair times by week and parts spend by
 * month, for one vessel or every vessel the person sees.
 */
import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../api/client';
import { fetchAllPages } from '../../../api/pages';
import { load } from '../../../api/query';
import type { components } from '../../../api/schema.gen';
import type { VesselView } from '../../../api/types';

type Schemas = components['schemas'];

/** `GET /api/v1/analytics/dashboard`. */
export type DashboardView = Schemas['DashboardView'];
/** `GET /api/v1/analytics/mttr`. */
export type MttrReportView = Schemas['MttrReportView'];
/** `GET /api/v1/analytics/costs`. */
export type CostReportView = Schemas['CostReportView'];

/** Query keys; `undefined` vessel is the whole fleet. */
export const ANALYTICS_KEYS = {
  dashboard: (vesselId: string | undefined) => ['analytics', 'dashboard', vesselId ?? 'all'] as const,
  mttr: (vesselId: string | undefined) => ['analytics', 'mttr', 'week', vesselId ?? 'all'] as const,
  costs: (vesselId: string | undefined) => ['analytics', 'costs', vesselId ?? 'all'] as const,
  vessels: ['analytics', 'vessels'] as const,
};

/**
 * How long figures count as fresh: those the app asked for beside the refresh on load
 * (`prefetchDashboard`) are not asked for again when the page mounts a moment later.
 */
const FIGURES_STALE_MS = 30_000;

const vesselQuery = (vesselId: string | undefined) => (vesselId === undefined ? {} : { vessel_id: vesselId });

/** The dashboard's figures, as the cache holds them. */
const dashboardQuery = (vesselId: string | undefined) =>
  queryOptions({
    queryKey: ANALYTICS_KEYS.dashboard(vesselId),
    staleTime: FIGURES_STALE_MS,
    queryFn: load('Could not load the dashboard', (signal) =>
      answer(api.GET('/api/v1/analytics/dashboard', { params: { query: vesselQuery(vesselId) }, signal })),
    ),
  });

/** Repair times by ISO week over the server's default window (the last 90 days). */
const mttrQuery = (vesselId: string | undefined) =>
  queryOptions({
    queryKey: ANALYTICS_KEYS.mttr(vesselId),
    staleTime: FIGURES_STALE_MS,
    queryFn: load('Could not load the repair times', (signal) =>
      answer(
        api.GET('/api/v1/analytics/mttr', { params: { query: { group: 'week', ...vesselQuery(vesselId) } }, signal }),
      ),
    ),
  });

/** Parts spend by month over the server's default window (the last 365 days). */
const costsQuery = (vesselId: string | undefined) =>
  queryOptions({
    queryKey: ANALYTICS_KEYS.costs(vesselId),
    staleTime: FIGURES_STALE_MS,
    queryFn: load('Could not load the parts spend', (signal) =>
      answer(api.GET('/api/v1/analytics/costs', { params: { query: vesselQuery(vesselId) }, signal })),
    ),
  });

/** The dashboard's figures, in the query cache. */
export function useDashboard(vesselId: string | undefined) {
  return useQuery(dashboardQuery(vesselId));
}

/** Repair times by ISO week over the server's default window (the last 90 days). */
export function useMttrByWeek(vesselId: string | undefined) {
  return useQuery(mttrQuery(vesselId));
}

/** Parts spend by month over the server's default window (the last 365 days); only when `enabled`. */
export function useCosts(vesselId: string | undefined, enabled: boolean) {
  return useQuery({ ...costsQuery(vesselId), enabled });
}

/**
 * Starts the reads the page makes (the same cache entries), for when the app knows the page
 * is coming before it has rendered it: `showsCosts` as the page decides it.
 */
export function prefetchDashboard(queryClient: QueryClient, vesselId: string | undefined, showsCosts: boolean): void {
  // A failure stays in the cache for the page to show.
  const ignore = () => undefined;
  queryClient.query(dashboardQuery(vesselId)).catch(ignore);
  queryClient.query(mttrQuery(vesselId)).catch(ignore);
  if (showsCosts) queryClient.query(costsQuery(vesselId)).catch(ignore);
}

/** The vessels the filter offers. */
export function useVesselChoices() {
  return useQuery({
    queryKey: ANALYTICS_KEYS.vessels,
    queryFn: load('Could not load the vessels', (signal) =>
      fetchAllPages<VesselView>((cursor) =>
        answer(
          api.GET('/api/v1/vessels', {
            params: { query: { limit: 100, ...(cursor === undefined ? {} : { cursor }) } },
            signal,
          }),
        ),
      ),
    ),
  });
}

/**
 * `GET /api/v1/analytics/maintenance`: planned maintenance over the last 365 days. Written by
 * hand until the OpenAPI document (and `schema.gen.ts`) has the route; read defensively.
 */
export interface MaintenanceReport {
  plans: number;
  /** Occurrences that ended in the last 365 days: done, skipped (work order cancelled) or missed. */
  done: number;
  /** Of them, those done inside their tolerance window. */
  doneInWindow: number;
  /** `doneInWindow` / `done` in percent; null when no occurrence ended. */
  compliancePercent: number | null;
  backlog: number;
  overdue: { planId: string; vesselId: string; equipmentId: string; title: string; dueOn: string | null; dueHours: number | null }[];
}

const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const text = (v: unknown) => (typeof v === 'string' ? v : '');
const numberOrNull = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The report from the server's answer. */
export function maintenanceReportOf(data: unknown): MaintenanceReport {
  const d = (data !== null && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const overdue = Array.isArray(d.overdue) ? (d.overdue as unknown[]) : [];
  return {
    plans: count(d.plans),
    done: count(d.done),
    doneInWindow: count(d.done_in_window),
    compliancePercent: numberOrNull(d.compliance_percent),
    backlog: count(d.backlog),
    overdue: overdue.map((o) => {
      const r = (o !== null && typeof o === 'object' ? o : {}) as Record<string, unknown>;
      return {
        planId: text(r.plan_id).toLowerCase(),
        vesselId: text(r.vessel_id).toLowerCase(),
        equipmentId: text(r.equipment_id).toLowerCase(),
        title: text(r.title),
        dueOn: typeof r.due_on === 'string' ? r.due_on : null,
        dueHours: numberOrNull(r.due_hours),
      };
    }),
  };
}

/** The typed client's GET, for a route the generated document does not have yet. */
type UndocumentedGet = (
  path: string,
  init: { params: { query: Record<string, string> }; signal: AbortSignal },
) => Promise<{ data?: unknown; response: Response }>;

/** Planned maintenance for one vessel or the fleet. */
export function useMaintenanceReport(vesselId: string | undefined) {
  return useQuery({
    queryKey: ['analytics', 'maintenance', vesselId ?? 'all'] as const,
    staleTime: FIGURES_STALE_MS,
    queryFn: load('Could not load the planned maintenance', async (signal) => {
      const get = api.GET as unknown as UndocumentedGet;
      return maintenanceReportOf(await answer(get('/api/v1/analytics/maintenance', { params: { query: vesselQuery(vesselId) }, signal })));
    }),
  });
}
