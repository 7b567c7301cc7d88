/**
 * The app's routes. Each page is its own chunk, loaded when first visited; the pages people
 * open the app at (sign-in, dashboard) are fetched, with what they read, while the session is
 * being restored.
 */
import type { QueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState, type ComponentType, type ReactNode } from 'react';
import { Navigate, useParams, type RouteObject } from 'react-router';
import { api, type ApiClient } from '../api/client';
import { companyQuery, signInCompanySlug } from '../features/auth/api/company-branding';
import { readLastCompany } from '../session/last-company';
import { hasPendingLogout } from '../session/stored-session';
import { NotFoundPage } from './not-found-page';
import { HomeRedirect, RequireNoSession, RequireSession } from './require-session';
import { Shell } from './shell';

/**
 * A page in its own chunk that can be fetched before its route renders. Once fetched, the page
 * renders at once: through `lazy` alone it would suspend for a turn even then, and React holds
 * back what a fallback stood in for (up to 300 ms) after showing it.
 */
function preloadablePage<M>(load: () => Promise<M>, pick: (module: M) => ComponentType) {
  let loaded: ComponentType | null = null;
  let loading: Promise<M> | null = null;
  const preload = (): Promise<M> =>
    (loading ??= load().then(
      (module) => {
        loaded = pick(module);
        return module;
      },
      (error: unknown) => {
        // Tried again when the route renders.
        loading = null;
        throw error;
      },
    ));
  const Lazy = lazy(() => preload().then((module) => ({ default: pick(module) })));
  function PreloadablePage() {
    // Chosen once for each mount: changing from `Lazy` to the loaded page would mount it again.
    const [Page] = useState<ComponentType>(() => loaded ?? Lazy);
    return <Page />;
  }
  return { Page: PreloadablePage, preload };
}

const loginPage = preloadablePage(
  () => import('../features/auth/components/login-page'),
  (m) => m.LoginPage,
);
const LoginPage = loginPage.Page;
const ForgotPasswordPage = lazy(() =>
  import('../features/auth/components/forgot-password-page').then((m) => ({ default: m.ForgotPasswordPage })),
);
const ResetPasswordPage = lazy(() =>
  import('../features/auth/components/reset-password-page').then((m) => ({ default: m.ResetPasswordPage })),
);
const InvitePage = lazy(() =>
  import('../features/auth/components/invite-page').then((m) => ({ default: m.InvitePage })),
);
const AccountPage = lazy(() =>
  import('../features/account/components/account-page').then((m) => ({ default: m.AccountPage })),
);
const PeoplePage = lazy(() =>
  import('../features/people/components/people-page').then((m) => ({ default: m.PeoplePage })),
);
const VesselsPage = lazy(() =>
  import('../features/vessels/components/vessels-page').then((m) => ({ default: m.VesselsPage })),
);
const VesselEquipmentPage = lazy(() =>
  import('../features/equipment/components/vessel-equipment-page').then((m) => ({
    default: m.VesselEquipmentPage,
  })),
);
const EquipmentPage = lazy(() =>
  import('../features/equipment/components/equipment-page').then((m) => ({ default: m.EquipmentPage })),
);
const dashboardPage = preloadablePage(
  () => import('../features/dashboard/components/dashboard-page'),
  (m) => m.DashboardPage,
);
const DashboardPage = dashboardPage.Page;
const CompanyPage = lazy(() =>
  import('../features/company/components/company-page').then((m) => ({ default: m.CompanyPage })),
);
const AuditPage = lazy(() =>
  import('../features/audit/components/audit-page').then((m) => ({ default: m.AuditPage })),
);
const FleetPage = lazy(() =>
  import('../features/fleet/components/fleet-page').then((m) => ({ default: m.FleetPage })),
);
const FleetVesselPage = lazy(() =>
  import('../features/fleet/components/fleet-vessel-page').then((m) => ({ default: m.FleetVesselPage })),
);
const ImportPage = lazy(() =>
  import('../features/equipment-import/components/import-page').then((m) => ({ default: m.ImportPage })),
);
const QrCodePage = lazy(() =>
  import('../features/equipment/components/qr-code-page').then((m) => ({ default: m.QrCodePage })),
);
const LabelsPage = lazy(() =>
  import('../features/equipment/components/labels-page').then((m) => ({ default: m.LabelsPage })),
);
const ScanPage = lazy(() =>
  import('../features/equipment/components/scan-page').then((m) => ({ default: m.ScanPage })),
);
const ReportFaultLink = lazy(() =>
  import('../features/faults/components/report-fault-link').then((m) => ({ default: m.ReportFaultLink })),
);
const ReportFaultPage = lazy(() =>
  import('../features/faults/components/report-fault-page').then((m) => ({ default: m.ReportFaultPage })),
);
const VesselFaultsPage = lazy(() =>
  import('../features/faults/components/vessel-faults-page').then((m) => ({ default: m.VesselFaultsPage })),
);
const FaultPage = lazy(() =>
  import('../features/faults/components/fault-page').then((m) => ({ default: m.FaultPage })),
);
const StockPage = lazy(() =>
  import('../features/stock/components/stock-page').then((m) => ({ default: m.StockPage })),
);
const PartStockPage = lazy(() =>
  import('../features/stock/components/part-stock-page').then((m) => ({ default: m.PartStockPage })),
);
const TransfersPage = lazy(() =>
  import('../features/stock/components/transfers-page').then((m) => ({ default: m.TransfersPage })),
);
const CataloguePage = lazy(() =>
  import('../features/stock/components/catalogue-page').then((m) => ({ default: m.CataloguePage })),
);
const CountImportPage = lazy(() =>
  import('../features/stock/components/count-import-page').then((m) => ({ default: m.CountImportPage })),
);
const CatalogueImportPage = lazy(() =>
  import('../features/stock/components/catalogue-import-page').then((m) => ({ default: m.CatalogueImportPage })),
);
const PartFormPage = lazy(() =>
  import('../features/stock/components/part-form-page').then((m) => ({ default: m.PartFormPage })),
);
const WorkOrdersPage = lazy(() =>
  import('../features/work-orders/components/work-orders-page').then((m) => ({ default: m.WorkOrdersPage })),
);
const WorkOrderPage = lazy(() =>
  import('../features/work-orders/components/work-order-page').then((m) => ({ default: m.WorkOrderPage })),
);
const NewWorkOrderPage = lazy(() =>
  import('../features/work-orders/components/new-work-order-page').then((m) => ({ default: m.NewWorkOrderPage })),
);
const EditWorkOrderPage = lazy(() =>
  import('../features/work-orders/components/edit-work-order-page').then((m) => ({ default: m.EditWorkOrderPage })),
);
const NewWorkOrderLink = lazy(() =>
  import('../features/work-orders/components/new-work-order-link').then((m) => ({ default: m.NewWorkOrderLink })),
);
const FaultWorkOrderLink = lazy(() =>
  import('../features/work-orders/components/new-work-order-link').then((m) => ({ default: m.FaultWorkOrderLink })),
);
const ProceduresPage = lazy(() =>
  import('../features/procedures/components/procedures-page').then((m) => ({ default: m.ProceduresPage })),
);
const NewProcedurePage = lazy(() =>
  import('../features/procedures/components/procedure-form-page').then((m) => ({ default: m.NewProcedurePage })),
);
const EditProcedurePage = lazy(() =>
  import('../features/procedures/components/procedure-form-page').then((m) => ({ default: m.EditProcedurePage })),
);
const MaintenancePage = lazy(() =>
  import('../features/maintenance/components/maintenance-page').then((m) => ({ default: m.MaintenancePage })),
);
const CalendarPage = lazy(() =>
  import('../features/maintenance/components/calendar-page').then((m) => ({ default: m.CalendarPage })),
);
const PlanPage = lazy(() =>
  import('../features/maintenance/components/plan-page').then((m) => ({ default: m.PlanPage })),
);
const NewPlanPage = lazy(() =>
  import('../features/maintenance/components/plan-form-page').then((m) => ({ default: m.NewPlanPage })),
);
const EditPlanPage = lazy(() =>
  import('../features/maintenance/components/plan-form-page').then((m) => ({ default: m.EditPlanPage })),
);
const MyAssignmentsPage = lazy(() =>
  import('../features/assignments/components/my-assignments-page').then((m) => ({ default: m.MyAssignmentsPage })),
);
const SiteAssignmentsPage = lazy(() =>
  import('../features/assignments/components/site-assignments-page').then((m) => ({ default: m.SiteAssignmentsPage })),
);
const AssignPage = lazy(() =>
  import('../features/assignments/components/assign-page').then((m) => ({ default: m.AssignPage })),
);
const SiteReportsPage = lazy(() =>
  import('../features/assignments/components/site-reports-page').then((m) => ({ default: m.SiteReportsPage })),
);
const NewReportPage = lazy(() =>
  import('../features/assignments/components/report-form-page').then((m) => ({ default: m.NewReportPage })),
);
const CorrectReportPage = lazy(() =>
  import('../features/assignments/components/report-form-page').then((m) => ({ default: m.CorrectReportPage })),
);
const ReportPage = lazy(() =>
  import('../features/assignments/components/report-page').then((m) => ({ default: m.ReportPage })),
);
const PurchasingPage = lazy(() =>
  import('../features/purchasing/components/purchasing-page').then((m) => ({ default: m.PurchasingPage })),
);
const RequisitionsPage = lazy(() =>
  import('../features/purchasing/components/requisitions-page').then((m) => ({ default: m.RequisitionsPage })),
);
const RequisitionFormPage = lazy(() =>
  import('../features/purchasing/components/requisition-form-page').then((m) => ({ default: m.RequisitionFormPage })),
);
const RequisitionPage = lazy(() =>
  import('../features/purchasing/components/requisition-page').then((m) => ({ default: m.RequisitionPage })),
);
const OrdersPage = lazy(() =>
  import('../features/purchasing/components/orders-page').then((m) => ({ default: m.OrdersPage })),
);
const OrderFormPage = lazy(() =>
  import('../features/purchasing/components/order-form-page').then((m) => ({ default: m.OrderFormPage })),
);
const OrderPage = lazy(() =>
  import('../features/purchasing/components/order-page').then((m) => ({ default: m.OrderPage })),
);
const SuppliersPage = lazy(() =>
  import('../features/purchasing/components/suppliers-page').then((m) => ({ default: m.SuppliersPage })),
);
const SupplierFormPage = lazy(() =>
  import('../features/purchasing/components/supplier-form-page').then((m) => ({ default: m.SupplierFormPage })),
);
const FaultRequestPartLink = lazy(() =>
  import('../features/purchasing/components/request-part-link').then((m) => ({ default: m.FaultRequestPartLink })),
);
const WorkOrderRequestPartLink = lazy(() =>
  import('../features/purchasing/components/request-part-link').then((m) => ({ default: m.WorkOrderRequestPartLink })),
);
const StockReorders = lazy(() =>
  import('../features/purchasing/components/stock-reorders').then((m) => ({ default: m.StockReorders })),
);
const FaultRequisitions = lazy(() =>
  import('../features/purchasing/components/linked-requisitions').then((m) => ({ default: m.FaultRequisitions })),
);
const WorkOrderRequisitions = lazy(() =>
  import('../features/purchasing/components/linked-requisitions').then((m) => ({ default: m.WorkOrderRequisitions })),
);
const HandoverPage = lazy(() =>
  import('../features/handover/components/handover-page').then((m) => ({ default: m.HandoverPage })),
);
const ConflictsPage = lazy(() =>
  import('../features/conflicts/components/conflicts-page').then((m) => ({ default: m.ConflictsPage })),
);

/**
 * Starts what the page the app was opened at needs while the session is being restored (a
 * request to the server), rather than after: for the sign-in page and the dashboard, where
 * people open the app. Any other page loads when its route first renders.
 *
 * - `/login`: its chunk, and the company's branding (`?company=`, else the last company) into
 *   the cache entry the page reads, so the page sends no second request.
 * - `/dashboard`: its chunk, and, once the refresh on load has answered with a session that
 *   may read the figures, the page's reads (they need the access token the refresh brings).
 */
export function preloadOpeningPage(
  location: { pathname: string; search: string },
  queryClient: QueryClient,
  client: ApiClient = api,
): void {
  const ignore = () => undefined;
  if (location.pathname === '/login') {
    loginPage.preload().catch(ignore);
    const slug = signInCompanySlug(new URLSearchParams(location.search).get('company'), readLastCompany());
    if (slug !== null) queryClient.query(companyQuery(slug)).catch(ignore);
  } else if (location.pathname === '/dashboard') {
    const chunk = dashboardPage.preload();
    chunk.catch(ignore);
    // A sign-out waiting to reach the server means no refresh on load (session-provider.tsx).
    if (hasPendingLogout()) return;
    // Only the refresh on load: whatever the session does later is the page's own business.
    const unsubscribe = client.subscribe((event) => {
      unsubscribe();
      if (event.type !== 'refreshed' || event.session.mfa_enrollment_required) return;
      chunk.then((m) => {
        m.prefetchDashboardPage(queryClient, event.session.user, location.search);
      }, ignore);
    });
  }
}

/**
 * `/vessels/:id/parts-orders`, kept for old links and bookmarks: a fault's parts orders became
 * requisitions with the same ids (ADR 0007 §7), so the vessel's requisitions stand in for them.
 */
function PartsOrdersRedirect() {
  const { id = '' } = useParams();
  return <Navigate to={`/vessels/${encodeURIComponent(id)}/requisitions`} replace />;
}

function Page({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <div className="splash" role="status">
          Loading…
        </div>
      }
    >
      {children}
    </Suspense>
  );
}

/** Route table, shared by the browser router and the tests' memory router. */
export const routes: RouteObject[] = [
  { path: '/', element: <HomeRedirect /> },
  {
    path: '/login',
    element: (
      <RequireNoSession>
        <Page>
          <LoginPage />
        </Page>
      </RequireNoSession>
    ),
  },
  // Reached from e-mailed links (the token after `#`) and the sign-in page; open with or
  // without a session: accepting an invitation or setting a password starts over anyway.
  {
    path: '/invite',
    element: (
      <Page>
        <InvitePage />
      </Page>
    ),
  },
  {
    path: '/reset-password',
    element: (
      <Page>
        <ResetPasswordPage />
      </Page>
    ),
  },
  {
    path: '/forgot-password',
    element: (
      <Page>
        <ForgotPasswordPage />
      </Page>
    ),
  },
  {
    element: (
      <RequireSession>
        <Shell />
      </RequireSession>
    ),
    children: [
      // Home (`/`) for roles that read analytics; charts load with this chunk only.
      { path: '/dashboard', element: <DashboardPage /> },
      { path: '/vessels', element: <VesselsPage /> },
      { path: '/vessels/:id/equipment', element: <VesselEquipmentPage /> },
      // Roles that write equipment: a CSV file, dry run first.
      { path: '/vessels/:id/import', element: <ImportPage /> },
      {
        path: '/equipment/:id',
        // The report link is the faults feature's and the work order link the work orders',
        // kept out of the equipment page's own file.
        element: (
          <>
            <EquipmentPage />
            <ReportFaultLink />
            <NewWorkOrderLink />
          </>
        ),
      },
      // What an equipment QR label encodes: `{public_url}/q/{qr_code}`. Signed out, the guard
      // keeps this path for after sign-in.
      { path: '/q/:code', element: <QrCodePage /> },
      // The camera (or a photo, or the code typed) to a label's item; the decoder loads with it.
      { path: '/scan', element: <ScanPage /> },
      // A printable sheet of QR labels: `?items=`, `?under=` (whole systems) or the whole vessel.
      { path: '/vessels/:id/labels', element: <LabelsPage /> },
      // Faults read the local replica and write through the outbox; the parts a fault needs are
      // requisitions, the purchasing feature's, under its page.
      { path: '/equipment/:id/report-fault', element: <ReportFaultPage /> },
      { path: '/faults', element: <VesselFaultsPage /> },
      { path: '/vessels/:id/faults', element: <VesselFaultsPage /> },
      {
        path: '/faults/:id',
        element: (
          <>
            <FaultPage />
            <FaultWorkOrderLink />
            <FaultRequestPartLink />
            <FaultRequisitions />
          </>
        ),
      },
      { path: '/vessels/:id/parts-orders', element: <PartsOrdersRedirect /> },
      // Stock and the parts catalogue read the local replica and write through the outbox too;
      // `/stock` goes to the person's vessel or lets them pick one.
      { path: '/stock', element: <StockPage /> },
      {
        path: '/vessels/:id/stock',
        // "Request reorder" on its low lines is the purchasing feature's, provided around it.
        element: (
          <StockReorders>
            <StockPage />
          </StockReorders>
        ),
      },
      { path: '/vessels/:id/stock/parts/:partId', element: <PartStockPage /> },
      { path: '/vessels/:id/stock/transfers', element: <TransfersPage /> },
      // Roles that move stock: a count as the stock export's CSV, dry run first (online).
      { path: '/vessels/:id/stock/import', element: <CountImportPage /> },
      { path: '/catalogue', element: <CataloguePage /> },
      { path: '/catalogue/new', element: <PartFormPage /> },
      // Roles that write the catalogue: a CSV file with the export's columns, dry run first (online).
      { path: '/catalogue/import', element: <CatalogueImportPage /> },
      { path: '/catalogue/:partId/edit', element: <PartFormPage /> },
      // Work orders read the local replica and write through the outbox: the work list ("my
      // work" first), one order with its checklist, labour and parts, and a new one.
      { path: '/work-orders', element: <WorkOrdersPage /> },
      { path: '/work-orders/new', element: <NewWorkOrderPage /> },
      {
        path: '/work-orders/:id',
        // "Request part" is the purchasing feature's, placed here as the fault page's links are.
        element: (
          <>
            <WorkOrderPage />
            <WorkOrderRequestPartLink />
            <WorkOrderRequisitions />
          </>
        ),
      },
      { path: '/work-orders/:id/edit', element: <EditWorkOrderPage /> },
      // The company's procedures (reusable checklists), from the replica and the outbox too.
      { path: '/procedures', element: <ProceduresPage /> },
      { path: '/procedures/new', element: <NewProcedurePage /> },
      { path: '/procedures/:id/edit', element: <EditProcedurePage /> },
      // Maintenance plans read the local replica and write through the outbox: a vessel's plans
      // with their due state, its calendar, one plan (postponed there), a new plan and an edit;
      // `/maintenance` goes to the person's vessel or lets them pick one.
      { path: '/maintenance', element: <MaintenancePage /> },
      { path: '/vessels/:id/maintenance', element: <MaintenancePage /> },
      { path: '/vessels/:id/maintenance/calendar', element: <CalendarPage /> },
      { path: '/vessels/:id/maintenance/new', element: <NewPlanPage /> },
      { path: '/maintenance-plans/:id', element: <PlanPage /> },
      { path: '/maintenance-plans/:id/edit', element: <EditPlanPage /> },
      // Equipment assignments and operators' daily reports (plant at a site or project) read the
      // local replica and write through the outbox: a person's own assignments and reports, a
      // site's bookings, the booking form, a site's daily reports, one report, and the report
      // form (a new one from an accepted assignment, or a correction).
      { path: '/assignments', element: <MyAssignmentsPage /> },
      { path: '/vessels/:id/assignments', element: <SiteAssignmentsPage /> },
      { path: '/vessels/:id/assignments/new', element: <AssignPage /> },
      { path: '/vessels/:id/daily-reports', element: <SiteReportsPage /> },
      { path: '/assignments/:id/report', element: <NewReportPage /> },
      { path: '/daily-reports/:id', element: <ReportPage /> },
      { path: '/daily-reports/:id/correct', element: <CorrectReportPage /> },
      // Purchasing reads the local replica and writes through the outbox: a vessel's requisitions
      // (raised offline too), its purchase orders (received offline too), and the suppliers.
      { path: '/purchasing', element: <PurchasingPage /> },
      { path: '/vessels/:id/requisitions', element: <RequisitionsPage /> },
      { path: '/vessels/:id/requisitions/new', element: <RequisitionFormPage /> },
      { path: '/requisitions/:id', element: <RequisitionPage /> },
      { path: '/vessels/:id/purchase-orders', element: <OrdersPage /> },
      { path: '/vessels/:id/purchase-orders/new', element: <OrderFormPage /> },
      { path: '/purchase-orders/:id', element: <OrderPage /> },
      { path: '/suppliers', element: <SuppliersPage /> },
      { path: '/suppliers/new', element: <SupplierFormPage /> },
      { path: '/suppliers/:id/edit', element: <SupplierFormPage /> },
      { path: '/handover', element: <HandoverPage /> },
      { path: '/vessels/:id/handover', element: <HandoverPage /> },
      { path: '/conflicts', element: <ConflictsPage /> },
      { path: '/account', element: <AccountPage /> },
      // Shown in the navigation to owners, admins and managers; the server decides the rest.
      { path: '/people', element: <PeoplePage /> },
      // Owners and admins: branding and the second-factor rule.
      { path: '/company', element: <CompanyPage /> },
      // Owners and admins.
      { path: '/audit', element: <AuditPage /> },
      // Owners, admins and managers: vessels, departments, rotations.
      { path: '/fleet', element: <FleetPage /> },
      { path: '/fleet/:id', element: <FleetVesselPage /> },
    ],
  },
  { path: '*', element: <NotFoundPage /> },
];
