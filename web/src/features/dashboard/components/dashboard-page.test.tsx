import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { RequireSession } from '../../../app/require-session';
import type { Role } from '../../../api/types';
import { SessionProvider } from '../../../session/session-provider';
import { json, mockApi, sessionFor, userOf, vessel } from '../../../test/mock-api';
import { renderWithQueries } from '../../../test/render';
import { signInRoute } from '../../../test/sign-in-route';
import type { CostReportView, DashboardView, MttrReportView } from '../api/analytics';
import { DashboardPage } from './dashboard-page';

const dashboard = (overrides: Partial<DashboardView> = {}): DashboardView => ({
  at: '2026-03-10T12:00:00Z',
  vessel_id: null,
  open_faults: { total: 9, by_severity: { critical: 1, high: 2, medium: 4, low: 2 } },
  ageing: { up_to_1d: 3, from_1d_to_7d: 2, from_7d_to_30d: 1, over_30d: 3 },
  mttr_30d: { faults: 4, mean_seconds: 7200 },
  mttr_90d: { faults: 10, mean_seconds: 36_000 },
  mtbf_90d: { items: 2, intervals: 3, mean_seconds: 259_200 },
  top_equipment_90d: [
    { equipment_id: 'eq-1', name: 'Main engine', faults: 6 },
    { equipment_id: 'eq-2', name: 'Bow thruster', faults: 2 },
  ],
  parts_spend_90d: [{ currency: 'NOK', supplier_minor: 100_000, customer_minor: 125_000, margin_minor: 25_000 }],
  ...overrides,
});

const mttr: MttrReportView = {
  from: '2025-12-11',
  to: '2026-03-10',
  group: 'week',
  overall: { faults: 10, mean_seconds: 36_000 },
  rows: [
    { key: '2026-W08', faults: 3, mean_seconds: 5400 },
    { key: '2026-W09', faults: 7, mean_seconds: 43_200 },
  ],
};

const costs: CostReportView = {
  from: '2025-03-11',
  to: '2026-03-10',
  totals: [{ currency: 'NOK', supplier_minor: 160_000, customer_minor: 200_000, margin_minor: 40_000 }],
  rows: [
    { vessel_id: 'v1', month: '2026-02', currency: 'NOK', supplier_minor: 60_000, customer_minor: 75_000, margin_minor: 15_000 },
    { vessel_id: 'v2', month: '2026-02', currency: 'NOK', supplier_minor: 40_000, customer_minor: 50_000, margin_minor: 10_000 },
    { vessel_id: 'v1', month: '2026-03', currency: 'NOK', supplier_minor: 60_000, customer_minor: 75_000, margin_minor: 15_000 },
  ],
};

function renderDashboard(path = '/dashboard') {
  const router = createMemoryRouter(
    [
      { path: '/dashboard', element: <RequireSession><DashboardPage /></RequireSession> },
      signInRoute,
    ],
    { initialEntries: [path] },
  );
  renderWithQueries(
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>,
  );
  return router;
}

const handlersFor = (role: Role) => ({
  'POST /api/v1/auth/refresh': () => json(200, sessionFor(userOf(role, 'Olga Owner'), 'tok')),
  'GET /api/v1/analytics/dashboard': () => json(200, dashboard(role === 'engineer' ? { parts_spend_90d: null } : {})),
  'GET /api/v1/analytics/mttr': () => json(200, mttr),
  'GET /api/v1/analytics/costs': () => json(200, costs),
  'GET /api/v1/vessels': () =>
    json(200, { items: [vessel('Northwind Tern', { id: 'v1' }), vessel('Northwind Atlas', { id: 'v2' })], next_cursor: null }),
});

/** The rows of the figures table under a chart card's heading, as text. */
async function figuresOf(title: string): Promise<string[][]> {
  const card = (await screen.findByRole('heading', { name: title })).closest('section');
  if (!card) throw new Error(`no card ${title}`);
  const table = within(card).getByRole('table', { name: title });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent));
}

describe('dashboard page', () => {
  it('shows every chart with its figures as text, parts spend included for an owner', async () => {
    const api = mockApi(handlersFor('owner'));
    renderDashboard();

    expect(await figuresOf('Open faults by severity')).toEqual([
      ['Critical', '1'],
      ['High', '2'],
      ['Medium', '4'],
      ['Low', '2'],
    ]);
    expect(screen.getByText('9 open')).toBeInTheDocument();
    expect(await figuresOf('Open faults by age')).toEqual([
      ['Up to 1 day', '3'],
      ['1–7 days', '2'],
      ['7–30 days', '1'],
      ['Over 30 days', '3'],
    ]);
    expect(await figuresOf('Mean time to repair, by week')).toEqual([
      ['2026-W08', '3', '1.5 h'],
      ['2026-W09', '7', '12 h'],
    ]);
    expect(await figuresOf('Mean time between failures')).toEqual([
      ['Mean time between failures (90 days)', '3 days'],
      ['Mean time to repair (90 days)', '0.4 days'],
    ]);
    expect(await figuresOf('Equipment with most faults (90 days)')).toEqual([
      ['Main engine', '6'],
      ['Bow thruster', '2'],
    ]);
    const spend = await figuresOf('Parts spend by month');
    expect(spend.map((row) => row[0])).toEqual(['2026-02 (NOK)', '2026-03 (NOK)']);
    // The two vessels' February orders are summed.
    expect(spend[0]?.[1]).toMatch(/1,250\.00|1 250,00|1250/);
    // jsdom has no ResizeObserver: the charts draw at their initial size, once Recharts has
    // loaded. They are drawn in the company's colour, with their values on the bars.
    await waitFor(() => {
      expect(document.querySelector('.chart-card__chart')).toHaveTextContent('4');
    }, { timeout: 10_000 });
    const chart = document.querySelector('.chart-card__chart .recharts-bar-rectangle path');
    expect(chart?.getAttribute('fill')).toBe('#0a6e5c');
    expect(api.to('GET /api/v1/analytics/mttr')[0]?.url.searchParams.get('group')).toBe('week');
  }, 20_000);

  it('shows planned maintenance: compliance, the overdue linking to the plans, backlog', async () => {
    const api = mockApi({
      ...handlersFor('engineer'),
      'GET /api/v1/analytics/maintenance': () =>
        json(200, {
          plans: 12, done: 40, done_in_window: 37, compliance_percent: 92.5, backlog: 3,
          overdue: [{ plan_id: 'p1', vessel_id: 'v1', equipment_id: 'e1', title: 'Change the oil', due_on: '2026-03-01', due_hours: null }],
        }),
    });
    renderDashboard('/dashboard?vessel=v1');
    const card = (await screen.findByRole('heading', { name: 'Planned maintenance' })).closest('section');
    if (!card) throw new Error('no card');
    // `done` counts every occurrence that ended (done, skipped or missed); the share is of those.
    expect(card).toHaveTextContent('Compliance (last 365 days)92.5 % (37 of 40 occurrences done in their window)');
    expect(within(card).getByRole('link', { name: '1 plan overdue: see them' })).toHaveAttribute('href', '/vessels/v1/maintenance?due=overdue');
    expect(card).toHaveTextContent('Backlog3');
    expect(card).toHaveTextContent('Plans12');
    expect(api.to('GET /api/v1/analytics/maintenance')[0]?.url.searchParams.get('vessel_id')).toBe('v1');
  });

  it('shows no planned maintenance card when the server has no such figures yet', async () => {
    mockApi(handlersFor('engineer'));
    renderDashboard();
    await screen.findByRole('heading', { name: 'Mean time to repair, by week' });
    expect(screen.queryByRole('heading', { name: 'Planned maintenance' })).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('leaves parts spend out for an engineer and never asks for costs', async () => {
    const api = mockApi(handlersFor('engineer'));
    renderDashboard();
    expect(await screen.findByRole('heading', { name: 'Open faults by severity' })).toBeInTheDocument();
    await screen.findByRole('heading', { name: 'Mean time to repair, by week' });
    expect(screen.queryByRole('heading', { name: 'Parts spend by month' })).not.toBeInTheDocument();
    expect(api.to('GET /api/v1/analytics/costs')).toHaveLength(0);
  });

  it('tells crew the figures are not theirs, asking the server nothing', async () => {
    const api = mockApi(handlersFor('crew'));
    renderDashboard();
    expect(await screen.findByText('Your role does not include the fleet’s figures.')).toBeInTheDocument();
    expect(api.to('GET /api/v1/analytics/dashboard')).toHaveLength(0);
  });

  it('narrows every figure to the chosen vessel', async () => {
    const api = mockApi(handlersFor('manager'));
    const router = renderDashboard();
    await screen.findByRole('heading', { name: 'Open faults by severity' });
    const select = screen.getByRole('combobox', { name: 'Vessel' });
    await screen.findByRole('option', { name: 'Northwind Atlas' });
    await userEvent.selectOptions(select, 'Northwind Atlas');

    await waitFor(() => {
      expect(api.to('GET /api/v1/analytics/dashboard').at(-1)?.url.searchParams.get('vessel_id')).toBe('v2');
    });
    await waitFor(() => {
      expect(api.to('GET /api/v1/analytics/mttr').at(-1)?.url.searchParams.get('vessel_id')).toBe('v2');
      expect(api.to('GET /api/v1/analytics/costs').at(-1)?.url.searchParams.get('vessel_id')).toBe('v2');
    });
    expect(router.state.location.search).toBe('?vessel=v2');
  });

  it('says it needs the link while offline', async () => {
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    mockApi(handlersFor('owner'));
    renderDashboard();
    expect(await screen.findByText(/The dashboard needs a connection to the server/)).toBeInTheDocument();
    vi.restoreAllMocks();
  });
});
