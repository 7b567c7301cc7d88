// @ts-check
/**
 * A tour of every screen, checked with axe-core (WCAG 2.0/2.1/2.2 A and AA, no serious or
 * critical violation) and photographed at phone (390 and 360 wide) and desktop (1280) sizes
 * into web/e2e/artifacts/screens/; at phone widths nothing may spill sideways. Signed out, as
 * the demo owner (shore screens, a land site's bookings and daily reports), as the demo crew
 * member (on board: reporting a fault, handover, offline), and as the quay extension's operator
 * and site engineer (assignments, a daily report and its review), against `bosun serve --demo`.
 * The header's navigation is walked with the keyboard at 360 px.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import {
  ARTIFACTS,
  BASE_URL,
  DEMO_PASSWORD,
  PHONE,
  apiAs,
  expectAccessible,
  openPage,
  signIn,
} from './support/browser.mjs';

const TIMEOUT = { timeout: 300_000 };
/** The demo's land site (a project): plant booked to operators, their daily reports. */
const SITE = 'Fjordbyen quay extension';
const SCREENS = path.join(ARTIFACTS, 'screens');

/** The sizes every screen is photographed at. */
const SIZES = [
  { label: 'phone', width: PHONE.width, height: PHONE.height },
  { label: 'phone-360', width: 360, height: 780 },
  { label: 'desktop', width: 1280, height: 800 },
];

/**
 * Waits until the page is no wider than the screen, or fails naming what sticks out.
 * @param {import('playwright-core').Page} page
 * @param {string} name
 */
async function expectNoSidewaysScroll(page, name) {
  const fits = () => document.documentElement.scrollWidth <= window.innerWidth;
  if (await page.waitForFunction(fits, undefined, { timeout: 5_000 }).then(() => true, () => false)) return;
  const wide = await page.evaluate(() => {
    const width = window.innerWidth;
    /** Whether an ancestor that fits on screen clips or scrolls the element (the navigation does). */
    const held = (/** @type {Element} */ element) => {
      for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== 'visible' && up.getBoundingClientRect().right <= width + 1) return true;
      }
      return false;
    };
    return Array.from(document.querySelectorAll('body *'))
      .filter((element) => element.getBoundingClientRect().right > width + 1 && !held(element))
      .slice(0, 8)
      .map((element) => {
        const box = element.getBoundingClientRect();
        const classes = typeof element.className === 'string' && element.className ? `.${element.className.trim().split(/\s+/).join('.')}` : '';
        return `${element.tagName.toLowerCase()}${classes} (${Math.round(box.left)}–${Math.round(box.right)})`;
      });
  });
  const viewport = page.viewportSize()?.width;
  assert.fail(`${name} scrolls sideways at ${viewport} px: ${wide.join(', ')}`);
}

/**
 * Checks the screen shown with axe at phone and desktop sizes and saves its pictures as
 * screens/<slug>-{phone,phone-360,desktop}.png.
 * @param {import('playwright-core').Page} page
 * @param {import('node:test').TestContext} t
 * @param {string} slug
 * @param {string} name
 */
async function look(page, t, slug, name) {
  await mkdir(SCREENS, { recursive: true });
  await expectAccessible(page, t, `${name} (phone)`);
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    if (size.width < 400) await expectNoSidewaysScroll(page, name);
    await page.screenshot({ path: path.join(SCREENS, `${slug}-${size.label}.png`), fullPage: true });
  }
  await expectAccessible(page, t, `${name} (desktop)`);
  await page.setViewportSize(PHONE);
}

/**
 * Opens a path of the app and waits for its main heading.
 * @param {import('playwright-core').Page} page
 * @param {string} pathname
 * @param {string | RegExp} heading
 */
async function open(page, pathname, heading) {
  await page.goto(`${BASE_URL}${pathname}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

test('signed out: sign-in, forgotten and reset password, invitation and a missing page', TIMEOUT, async (t) => {
  const page = await openPage(t);
  await open(page, '/login?company=northwind', 'Northwind Offshore');
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await look(page, t, 'login', 'sign-in');

  await signIn(page, 'viewer@northwind.example', 'not-the-password');
  await page.getByRole('alert').waitFor();
  await expectAccessible(page, t, 'sign-in with a wrong password');

  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
  await look(page, t, 'forgot-password', 'forgotten password');
  await page.getByLabel('Email').fill('nobody@e2e.example');
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
  await expectAccessible(page, t, 'forgotten password, link sent');

  await page.goto(`${BASE_URL}/reset-password#not-a-real-token`);
  await page.getByRole('heading', { level: 2, name: 'Set a new password' }).waitFor();
  await look(page, t, 'reset-password', 'reset password');
  await page.getByLabel('New password', { exact: true }).fill('screens-tour-2026');
  await page.getByLabel('New password again').fill('screens-tour-2026');
  await page.getByRole('button', { name: 'Set password' }).click();
  await page.getByRole('heading', { name: 'This link has expired' }).waitFor();
  await expectAccessible(page, t, 'reset password, expired link');
  await page.goto(`${BASE_URL}/reset-password`);
  await page.getByRole('heading', { name: 'This link is incomplete' }).waitFor();
  await expectAccessible(page, t, 'reset password, incomplete link');

  await page.goto(`${BASE_URL}/invite#not-a-real-token`);
  await page.getByRole('heading', { name: 'This invitation is no longer valid' }).waitFor();
  await look(page, t, 'invite-invalid', 'invitation no longer valid');

  await open(page, '/no/such/page', 'Page not found');
  await look(page, t, 'not-found', 'not found');
});

test('an invitation, as the invited person sees it', TIMEOUT, async (t) => {
  const admin = await apiAs('admin@northwind.example');
  /** @type {{ accept_url: string }} */
  const invited = await admin('POST', '/api/v1/invitations', {
    email: `screens-${Date.now().toString(36)}@e2e.example`,
    name: 'Screen Tour',
    role: 'crew',
  });
  const page = await openPage(t);
  await page.goto(`${BASE_URL}/invite${new URL(invited.accept_url).hash}`);
  await page.getByRole('button', { name: 'Accept invitation' }).waitFor();
  await look(page, t, 'invite', 'invitation');
});

test('the owner’s screens', TIMEOUT, async (t) => {
  const owner = await apiAs('owner@northwind.example');
  const [vessel] = (await owner('GET', '/api/v1/vessels')).items;
  const page = await openPage(t);
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, 'owner@northwind.example', DEMO_PASSWORD);
  await page.waitForURL('**/vessels');
  await page.getByRole('list', { name: 'Your vessels' }).waitFor();
  await page.locator('.sync-status[data-synced="true"]').waitFor({ timeout: 90_000 });
  await look(page, t, 'vessels', 'vessels');

  await open(page, '/dashboard', 'Dashboard');
  await page.getByRole('table', { name: 'Open faults by severity' }).waitFor();
  await page.locator('.chart-card__chart svg.recharts-surface').first().waitFor();
  await look(page, t, 'dashboard', 'dashboard');

  await open(page, `/vessels/${vessel.id}/equipment`, 'Equipment');
  await page.getByRole('list', { name: 'Equipment' }).getByRole('listitem').first().waitFor();
  await look(page, t, 'equipment-list', 'vessel equipment');

  await open(page, '/faults', 'Faults');
  const faults = page.locator('main').getByRole('list').first();
  await faults.getByRole('listitem').first().waitFor();
  await look(page, t, 'faults', 'faults');

  const faultLink = faults.getByRole('listitem').first().getByRole('link').first();
  const faultTitle = ((await faultLink.textContent()) ?? '').trim();
  await faultLink.click();
  await page.waitForURL(/\/faults\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { level: 1, name: faultTitle }).waitFor();
  await look(page, t, 'fault', 'fault');

  // A fault's parts are its requisitions, listed under its page (the parts orders of old became
  // requisitions with their ids), when the vessel has any; the parts orders page of old goes to
  // the vessel's requisitions (photographed below).
  const forFaults = (await owner('GET', `/api/v1/requisitions?vessel_id=${vessel.id}&limit=200`)).items.filter(
    (/** @type {any} */ r) => r.fault_id,
  );
  if (forFaults.length > 0) {
    await page.goto(`${BASE_URL}/faults/${forFaults[0].fault_id}`);
    await page.getByRole('list', { name: 'Requisitions for this fault' }).waitFor();
    await look(page, t, 'fault-requisitions', 'fault with its requisitions');
  }
  await open(page, `/vessels/${vessel.id}/parts-orders`, `Requisitions on ${vessel.name}`);
  assert.equal(new URL(page.url()).pathname, `/vessels/${vessel.id}/requisitions`, 'the parts orders page of old goes to the requisitions');

  // Purchasing: the vessels, a vessel's requisitions and purchase orders with their forms, the
  // suppliers; one requisition and one order when the vessel has any.
  await open(page, '/purchasing', 'Purchasing');
  await page.getByRole('link', { name: `Requisitions on ${vessel.name}` }).waitFor();
  await look(page, t, 'purchasing', 'purchasing');
  await open(page, `/vessels/${vessel.id}/requisitions?status=all`, `Requisitions on ${vessel.name}`);
  await page.getByLabel('Show').waitFor();
  await look(page, t, 'requisitions', 'requisitions');
  const requisitionLink = page.getByRole('list', { name: 'Requisitions' }).getByRole('link').first();
  if ((await requisitionLink.count()) > 0) {
    await requisitionLink.click();
    await page.waitForURL(/\/requisitions\/[0-9a-f-]{36}$/);
    await page.getByRole('region', { name: 'Requisition' }).waitFor();
    await look(page, t, 'requisition', 'requisition');
  }
  await open(page, `/vessels/${vessel.id}/requisitions/new`, `Request a part for ${vessel.name}`);
  await page.getByRole('form', { name: /Request a part/ }).waitFor();
  await look(page, t, 'requisition-new', 'request a part');
  await open(page, `/vessels/${vessel.id}/purchase-orders`, `Purchase orders for ${vessel.name}`);
  await look(page, t, 'purchase-orders', 'purchase orders');
  const orderLink = page.getByRole('list', { name: 'Purchase orders' }).getByRole('link').first();
  if ((await orderLink.count()) > 0) {
    await orderLink.click();
    await page.waitForURL(/\/purchase-orders\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 2, name: 'Lines' }).waitFor();
    await look(page, t, 'purchase-order', 'purchase order');
  }
  await open(page, `/vessels/${vessel.id}/purchase-orders/new`, `New purchase order for ${vessel.name}`);
  await page.getByRole('form', { name: /New purchase order/ }).waitFor();
  await look(page, t, 'purchase-order-new', 'new purchase order');
  await open(page, '/suppliers', 'Suppliers');
  await page.getByRole('link', { name: 'Add supplier' }).waitFor();
  await look(page, t, 'suppliers', 'suppliers');
  await open(page, '/suppliers/new', 'Add supplier');
  await page.getByRole('form', { name: 'Add supplier' }).waitFor();
  await look(page, t, 'supplier-new', 'add supplier');

  await open(page, `/vessels/${vessel.id}/maintenance`, `Maintenance on ${vessel.name}`);
  await page.getByRole('group', { name: 'Filters' }).waitFor();
  await look(page, t, 'maintenance', 'maintenance plans');
  const planLink = page.getByRole('list', { name: 'Plans' }).getByRole('link').first();
  if ((await planLink.count()) > 0) {
    const planTitle = ((await planLink.textContent()) ?? '').trim();
    await planLink.click();
    await page.getByRole('heading', { level: 1, name: planTitle }).waitFor();
    await look(page, t, 'maintenance-plan', 'maintenance plan');
  }
  await open(page, `/vessels/${vessel.id}/maintenance/new`, 'New maintenance plan');
  await page.getByRole('form', { name: 'New maintenance plan' }).waitFor();
  await look(page, t, 'maintenance-plan-new', 'new maintenance plan');
  await open(page, `/vessels/${vessel.id}/maintenance/calendar`, `Maintenance calendar of ${vessel.name}`);
  await look(page, t, 'maintenance-calendar', 'maintenance calendar');

  // A land site's equipment bookings and daily reports (the demo's quay extension project).
  const site = (await owner('GET', '/api/v1/vessels')).items.find((/** @type {any} */ v) => v.name === SITE);
  assert.ok(site, `the demo has the site ${SITE}`);
  await open(page, `/vessels/${site.id}/assignments`, `Assignments on ${SITE}`);
  await page.getByRole('list', { name: 'Bookings of Excavator CAT 336' }).waitFor();
  await look(page, t, 'site-assignments', 'site bookings');
  await open(page, `/vessels/${site.id}/assignments/new`, 'Assign equipment');
  await page.getByRole('form', { name: 'Assign equipment' }).waitFor();
  await look(page, t, 'assign-equipment', 'assign equipment');
  await open(page, `/vessels/${site.id}/daily-reports`, `Daily reports on ${SITE}`);
  const reports = page.getByRole('list', { name: 'Daily reports' });
  await reports.getByRole('listitem').first().waitFor();
  await look(page, t, 'site-daily-reports', 'site daily reports');
  await reports.getByRole('link').first().click();
  await page.getByRole('heading', { level: 1, name: /^Daily report: / }).waitFor();
  await page.getByRole('list', { name: 'Revisions' }).waitFor();
  await look(page, t, 'daily-report', 'daily report');

  await open(page, '/procedures', 'Procedures');
  await page.getByRole('link', { name: 'New procedure' }).waitFor();
  await look(page, t, 'procedures', 'procedures');
  await open(page, '/procedures/new', 'New procedure');
  await page.getByRole('form', { name: 'New procedure' }).waitFor();
  await look(page, t, 'procedure-new', 'new procedure');

  const [item] = (await owner('GET', `/api/v1/equipment/by-vessel/${vessel.id}?view=flat&q=Main%20engine%201`)).items;
  await open(page, `/equipment/${item.id}`, item.name);
  await page.getByRole('table', { name: 'Latest readings' }).waitFor();
  await look(page, t, 'equipment', 'equipment item');

  await open(page, '/q/ZZZZZZZZZZ', 'No equipment with code “ZZZZZZZZZZ”');
  await look(page, t, 'qr-unknown', 'QR code, unknown');

  await open(page, '/handover', 'Handover');
  await look(page, t, 'handover-owner', 'handover (not on a rotation)');

  await open(page, '/conflicts', 'Conflicts');
  await look(page, t, 'conflicts', 'conflicts');

  await open(page, '/account', 'Your account');
  await page.getByRole('list', { name: 'Sessions' }).waitFor();
  await look(page, t, 'account', 'account');

  await open(page, '/people', 'People');
  await page.getByRole('list', { name: 'People' }).waitFor();
  await look(page, t, 'people', 'people');

  await open(page, '/fleet', 'Fleet');
  await page.getByRole('list', { name: 'Fleet' }).waitFor();
  await look(page, t, 'fleet', 'fleet');

  await open(page, `/fleet/${vessel.id}`, vessel.name);
  await page.getByRole('list', { name: 'Departments' }).waitFor();
  await look(page, t, 'fleet-vessel', 'fleet vessel');

  await open(page, `/vessels/${vessel.id}/import`, 'Import equipment');
  await page.getByLabel('CSV file').waitFor();
  await look(page, t, 'import', 'import');

  await open(page, '/catalogue/import', 'Import parts');
  await page.getByLabel('CSV file').waitFor();
  await look(page, t, 'parts-import', 'parts import');

  await open(page, `/vessels/${vessel.id}/stock/import`, 'Import a stock count');
  await page.getByLabel('CSV file').waitFor();
  await look(page, t, 'stock-count-import', 'stock count import');

  await open(page, '/company', 'Company');
  await page.getByRole('form', { name: 'Branding' }).waitFor();
  await look(page, t, 'company', 'company');

  await open(page, '/audit', 'Audit log');
  await page.getByRole('list', { name: 'Audit entries' }).getByRole('listitem').first().waitFor();
  await look(page, t, 'audit', 'audit log');

  await open(page, '/no/such/page', 'Page not found');
  await expectAccessible(page, t, 'not found, signed in');
});

test('the crew member’s screens: reporting a fault, handover, and offline', TIMEOUT, async (t) => {
  const crew = await apiAs('crew@northwind.example');
  const [vessel] = (await crew('GET', '/api/v1/vessels')).items;
  const [item] = (await crew('GET', `/api/v1/equipment/by-vessel/${vessel.id}?view=flat`)).items;
  const page = await openPage(t);
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, 'crew@northwind.example', DEMO_PASSWORD);
  await page.waitForURL('**/vessels');
  await page.locator('.sync-status[data-synced="true"]').waitFor({ timeout: 90_000 });
  await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  await look(page, t, 'vessels-crew', 'vessels (crew)');

  await open(page, `/equipment/${item.id}`, item.name);
  await page.getByRole('link', { name: 'Report a fault' }).click();
  await page.getByRole('heading', { level: 1, name: `Report a fault on ${item.name}` }).waitFor();
  await look(page, t, 'report-fault-1', 'report a fault, step 1');
  await page.getByRole('radio', { name: /Low/ }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Step 2 of 3: What is wrong?').waitFor();
  // Next with nothing typed: the step says what is missing.
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('alert').or(page.locator('[aria-invalid="true"]')).first().waitFor();
  await look(page, t, 'report-fault-2', 'report a fault, step 2');
  await page.getByLabel('What is wrong?').fill('Deck light flickering, screen tour');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Step 3 of 3: Photo').waitFor();
  await look(page, t, 'report-fault-3', 'report a fault, step 3');
  await page.getByRole('button', { name: 'Report fault' }).click();
  await page.getByRole('list', { name: 'Faults on this item' }).getByRole('listitem', { name: 'Deck light flickering, screen tour' }).waitFor();
  await look(page, t, 'equipment-crew', 'equipment item with a report (crew)');

  await open(page, '/faults', 'Faults');
  await look(page, t, 'faults-crew', 'faults (crew)');

  await open(page, '/handover', /^Handover/);
  await look(page, t, 'handover', 'handover');

  await open(page, '/account', 'Your account');
  await page.getByRole('list', { name: 'Sessions' }).waitFor();
  await expectAccessible(page, t, 'account (crew)');

  // Offline: the header says so, and the pages still open from the device.
  await page.locator('.sync-status[data-synced="true"]').waitFor();
  await page.context().setOffline(true);
  await open(page, '/vessels', 'Vessels');
  const header = page.getByRole('banner');
  await header.getByRole('status').filter({ hasText: 'Offline' }).waitFor();
  await page.getByRole('list', { name: 'Your vessels' }).waitFor();
  await look(page, t, 'offline', 'vessels, offline');

  // The header on a 360 px phone, offline (its fullest): the brand, the sync state and the
  // account menu on one row; the change list (the report made above) opens full width under
  // the header and scrolls within a bounded height; every target 44 px or more.
  await page.setViewportSize({ width: 360, height: 780 });
  const row = await page.evaluate(() => {
    const box = (/** @type {string} */ selector) => document.querySelector(selector)?.getBoundingClientRect() ?? null;
    return [box('.shell__header .brand-mark'), box('.shell__status'), box('.shell__menu-button')];
  });
  const [brand, status, menu] = row;
  assert.ok(brand && status && menu, 'the header shows the brand, the sync state and the menu button');
  assert.ok(Math.max(brand.top, status.top, menu.top) < Math.min(brand.bottom, status.bottom, menu.bottom), 'brand, sync state and menu share a row');
  assert.ok(brand.left >= 0 && menu.right <= 360, `the row fits the screen (${brand.left}–${menu.right})`);
  assert.ok(brand.right <= status.left && status.right <= menu.left, 'brand, sync state, menu: left to right');
  assert.ok(menu.width >= 44 && menu.height >= 44, `the menu button is ${menu.width}×${menu.height} px`);
  await expectNoSidewaysScroll(page, 'the header');
  await header.locator('summary').click();
  const changes = header.getByRole('list', { name: 'Changes on this device' });
  await changes.waitFor();
  const panel = await page.evaluate(() => {
    const element = document.querySelector('.sync-status__panel');
    const headerBox = document.querySelector('.shell__header')?.getBoundingClientRect();
    const summary = document.querySelector('.sync-status summary')?.getBoundingClientRect();
    const close = document.querySelector('.sync-status__close')?.getBoundingClientRect();
    if (!element || !headerBox || !summary || !close) return null;
    const box = element.getBoundingClientRect();
    const rows = Array.from(element.querySelectorAll('li'), (li) => li.getBoundingClientRect().height);
    return {
      left: box.left, right: box.right, top: box.top, height: box.height, headerBottom: headerBox.bottom,
      overflowY: getComputedStyle(element).overflowY, maxHeight: parseFloat(getComputedStyle(element).maxHeight),
      targets: [summary.height, close.height, ...rows],
    };
  });
  assert.ok(panel, 'the change list opens');
  assert.ok(panel.left <= 0.5 && panel.right >= 359.5, `the change list is full width (${panel.left}–${panel.right})`);
  assert.ok(Math.abs(panel.top - panel.headerBottom) <= 1, `the change list opens under the header (${panel.top}, header ends at ${panel.headerBottom})`);
  assert.equal(panel.overflowY, 'auto', 'the change list scrolls');
  assert.ok(panel.maxHeight <= 780 * 0.6 + 1, `the change list is at most 60% of the screen high (${panel.maxHeight} px)`);
  for (const height of panel.targets) assert.ok(height >= 44, `a target of the change list is ${height} px high`);
  await page.screenshot({ path: path.join(SCREENS, 'header-changes-phone-360.png') });
  await expectAccessible(page, t, 'the change list open on a phone');
  await page.keyboard.press('Escape');
  await changes.waitFor({ state: 'hidden' });
  await header.getByRole('button', { name: 'Account' }).click();
  const signOut = header.getByRole('button', { name: 'Sign out' });
  await signOut.waitFor();
  const signOutBox = await signOut.boundingBox();
  assert.ok(signOutBox && signOutBox.height >= 44 && signOutBox.x + signOutBox.width <= 360, 'Sign out is on screen and 44 px high');
  await page.screenshot({ path: path.join(SCREENS, 'header-account-phone-360.png') });
  await expectAccessible(page, t, 'the account menu open on a phone');
  await header.getByRole('button', { name: 'Account' }).click();
  await signOut.waitFor({ state: 'hidden' });
  await page.setViewportSize(PHONE);
  await open(page, '/dashboard', /./);
  await expectAccessible(page, t, 'a page that needs the connection, offline');
  await page.context().setOffline(false);
  await header.getByRole('status').filter({ hasText: 'Offline' }).waitFor({ state: 'detached' });
});

test('the operator’s and the site engineer’s screens: assignments, a daily report, its review', TIMEOUT, async (t) => {
  const operator = await apiAs('operator@northwind.example');
  const anders = await operator('GET', '/api/v1/me');
  const returned = (await operator('GET', `/api/v1/daily-reports?operator_id=${anders.id}&status=returned`)).items[0];
  const submitted = (await operator('GET', `/api/v1/daily-reports?operator_id=${anders.id}&status=submitted`)).items[0];

  const page = await openPage(t);
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, 'operator@northwind.example', DEMO_PASSWORD);
  await page.waitForURL('**/vessels');
  await page.locator('.sync-status[data-synced="true"]').waitFor({ timeout: 90_000 });
  await open(page, '/dashboard', 'Dashboard');
  await page.getByRole('region', { name: 'Waiting for your answer' }).waitFor();
  await look(page, t, 'dashboard-operator', 'dashboard (operator)');
  await open(page, '/assignments', 'My assignments');
  await page.getByRole('list', { name: 'Under way and to come' }).waitFor();
  await look(page, t, 'my-assignments', 'my assignments');
  await page.getByRole('button', { name: /^Decline / }).first().click();
  await page.getByRole('form', { name: /^Decline / }).waitFor();
  await expectAccessible(page, t, 'my assignments, declining');
  await page.getByRole('link', { name: /^Report (today|a day) on Excavator CAT 336$/ }).click();
  await page.getByRole('form', { name: 'Daily report' }).waitFor();
  await look(page, t, 'daily-report-form', 'daily report form');
  if (returned) {
    await open(page, `/daily-reports/${returned.id}`, /^Daily report: /);
    await page.locator('.report-comment').waitFor();
    await look(page, t, 'daily-report-returned', 'daily report, returned (operator)');
    await page.getByRole('link', { name: 'Correct and send again' }).click();
    await page.getByRole('form', { name: 'Correct the daily report' }).waitFor();
    await look(page, t, 'daily-report-correct', 'correcting a daily report');
  }

  const engineer = await openPage(t);
  await engineer.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(engineer, 'site.engineer@northwind.example', DEMO_PASSWORD);
  await engineer.waitForURL('**/vessels');
  await engineer.locator('.sync-status[data-synced="true"]').waitFor({ timeout: 90_000 });
  if (submitted) {
    await open(engineer, `/daily-reports/${submitted.id}`, /^Daily report: /);
    await engineer.getByRole('button', { name: 'Validate' }).waitFor();
    await engineer.getByRole('button', { name: 'Return with a comment' }).click();
    await engineer.getByRole('form', { name: 'Return the report' }).waitFor();
    await look(engineer, t, 'daily-report-review', 'daily report, to validate (site engineer)');
  }
});

test('the header and its navigation work with the keyboard on a 360 px phone', TIMEOUT, async (t) => {
  const page = await openPage(t, { viewport: { width: 360, height: 780 } });
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, 'owner@northwind.example', DEMO_PASSWORD);
  await page.waitForURL('**/vessels');
  await page.getByRole('list', { name: 'Your vessels' }).waitFor();

  const nav = page.getByRole('navigation', { name: 'Main' });
  const links = (await nav.getByRole('link').allTextContents()).map((text) => text.trim());
  assert.ok(links.length >= 8, `the owner's navigation: ${links.join(', ')}`);

  // Tab from the top of the page: every control of the header, each on screen and outlined in
  // a colour that differs from the header's when it has focus.
  const headerColour = await page.locator('.shell__header').evaluate((header) => getComputedStyle(header).backgroundColor);
  /** @type {string[]} */
  const reached = [];
  for (let press = 0; press < links.length + 6 && reached.length < links.length; press += 1) {
    await page.keyboard.press('Tab');
    // The navigation scrolls the focused link into view (in its own time).
    await page
      .waitForFunction(() => {
        const box = document.activeElement?.getBoundingClientRect();
        return box !== undefined && box.left >= 0 && box.right <= window.innerWidth;
      }, undefined, { timeout: 3_000 })
      .catch(() => undefined);
    const focused = await page.evaluate(() => {
      const element = document.activeElement;
      if (!(element instanceof HTMLElement)) return null;
      const box = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      return {
        text: element.textContent?.trim() ?? '',
        inNav: element.closest('nav[aria-label="Main"]') !== null,
        left: box.left,
        right: box.right,
        height: box.height,
        outline: style.outlineStyle,
        outlineColour: style.outlineColor,
      };
    });
    assert.ok(focused, `Tab press ${press + 1} focused nothing`);
    assert.notEqual(focused.outline, 'none', `${focused.text} shows no focus outline`);
    assert.notEqual(focused.outlineColour, headerColour, `${focused.text}'s focus outline is the header's colour`);
    assert.ok(focused.left >= 0 && focused.right <= 360, `${focused.text} is off screen when focused (${focused.left}–${focused.right})`);
    assert.ok(focused.height >= 24, `${focused.text} is ${focused.height} px high`);
    if (focused.inNav) reached.push(focused.text);
  }
  assert.deepEqual(reached, links, 'Tab reaches every link of the navigation, in order');

  // Enter follows the focused link.
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
  await expectAccessible(page, t, 'account, reached with the keyboard');
});

test('a light company colour stays readable: black text on it, darker links on white', TIMEOUT, async (t) => {
  const owner = await apiAs('owner@northwind.example');
  const me = await owner('GET', '/api/v1/me');
  const branding = me.company.branding;
  const putBranding = (/** @type {string} */ colour) =>
    owner('PUT', `/api/v1/companies/${me.company.id}/branding`, {
      display_name: branding.display_name,
      logo_url: branding.logo_url ?? null,
      primary_color: colour,
    });
  t.after(() => putBranding(branding.primary_color));
  await putBranding('#ffd500');

  const page = await openPage(t);
  await open(page, '/login?company=northwind', 'Northwind Offshore');
  const title = await page.locator('.login__header').evaluate((header) => getComputedStyle(header).color);
  assert.equal(title, 'rgb(0, 0, 0)', 'text on yellow is black');
  await look(page, t, 'login-light-brand', 'sign-in in a light company colour');
  await signIn(page, 'owner@northwind.example', DEMO_PASSWORD);
  await page.waitForURL('**/vessels');
  await page.getByRole('list', { name: 'Your vessels' }).waitFor();
  await look(page, t, 'vessels-light-brand', 'vessels in a light company colour');
  await open(page, '/company', 'Company');
  await page.getByRole('form', { name: 'Branding' }).waitFor();
  await expectAccessible(page, t, 'company in a light company colour');
});
