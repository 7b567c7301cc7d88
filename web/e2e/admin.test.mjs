// @ts-check
/**
 * The shore office's screens in a real browser against `bosun serve --demo`: the owner reads the
 * fleet dashboard (charts and their figures), changes the company colour and sees it applied,
 * and finds that change in the audit log. The demo's branding is put back afterwards.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_URL, DEMO_PASSWORD, apiAs, hexToRgb, expectAccessible, openPage, screenshot, signIn } from './support/browser.mjs';

const TIMEOUT = { timeout: 120_000 };
const OWNER = 'owner@northwind.example';
const NEW_COLOUR = '#7a1f5c';

test('the owner reads the dashboard, changes the company colour and finds it in the audit log', TIMEOUT, async (t) => {
  const owner = await apiAs(OWNER);
  const me = await owner('GET', '/api/v1/me');
  const branding = me.company.branding;
  t.after(async () => {
    await owner('PUT', `/api/v1/companies/${me.company.id}/branding`, {
      display_name: branding.display_name,
      logo_url: branding.logo_url ?? null,
      primary_color: branding.primary_color,
    });
  });

  // A critical fault, so the dashboard has something to count.
  const vessels = await owner('GET', '/api/v1/vessels');
  const items = await owner('GET', `/api/v1/equipment/by-vessel/${vessels.items[0].id}?limit=1`);
  await owner('POST', '/api/v1/faults', {
    equipment_id: items.items[0].id,
    severity: 'critical',
    title: 'Steering gear pump leaking',
    description: 'Hydraulic oil under pump 2.',
  });

  const page = await openPage(t, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, OWNER, DEMO_PASSWORD);
  await page.waitForURL('**/vessels');

  // The dashboard: every chart drawn, and its figures readable as text.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await page.waitForURL('**/dashboard');
  const severity = page.getByRole('table', { name: 'Open faults by severity' });
  await severity.waitFor();
  const critical = await severity.getByRole('row', { name: /^Critical/ }).getByRole('cell').textContent();
  assert.ok(Number(critical) >= 1, `critical open faults: ${critical}`);
  for (const title of [
    'Open faults by age',
    'Mean time between failures',
    'Equipment with most faults (90 days)',
    'Parts spend by month',
    'Mean time to repair, by week',
  ]) {
    await page.getByRole('heading', { level: 2, name: title }).waitFor();
  }
  await page.getByRole('table', { name: 'Equipment with most faults (90 days)' }).waitFor();
  // Each card's chart takes its place once Recharts has loaded (after the figures).
  await page.waitForFunction(() => document.querySelectorAll('.chart-card__chart svg.recharts-surface').length >= 4);
  const bar = page.locator('.chart-card__chart .recharts-bar-rectangle path').first();
  assert.equal(await bar.getAttribute('fill'), branding.primary_color);
  await expectAccessible(page, t, 'dashboard-desktop');
  await screenshot(page, 'dashboard-desktop');
  await page.setViewportSize({ width: 390, height: 844 });
  // At phone width nothing spills sideways (the navigation scrolls within itself), once the
  // charts have followed the new width (a ResizeObserver callback, after the resize).
  await page
    .waitForFunction(() => document.documentElement.scrollWidth <= 390, undefined, { timeout: 5_000 })
    .catch(() => undefined);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390);
  await expectAccessible(page, t, 'dashboard-phone');
  await screenshot(page, 'dashboard-phone');
  await page.setViewportSize({ width: 1280, height: 900 });

  // The company colour: previewed as typed, applied once saved.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Company' }).click();
  await page.waitForURL('**/company');
  const form = page.getByRole('form', { name: 'Branding' });
  await form.getByLabel('Colour', { exact: true }).fill(NEW_COLOUR);
  await page.getByRole('group', { name: 'Preview' }).getByText(`Text on ${NEW_COLOUR} is white.`).waitFor();
  await form.getByRole('button', { name: 'Save branding' }).click();
  await page.getByText('Branding saved.').waitFor();
  const header = await page.locator('.shell__header').evaluate((element) => getComputedStyle(element).backgroundColor);
  assert.equal(header, hexToRgb(NEW_COLOUR));
  await expectAccessible(page, t, 'company-desktop');
  await screenshot(page, 'company-desktop');

  // The audit log names the change: who, and the colour before and after.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await page.waitForURL('**/audit');
  const filter = page.getByRole('form', { name: 'Filter the audit log' });
  await filter.getByLabel('Action').fill('company.branding.update');
  await filter.getByRole('button', { name: 'Show' }).click();
  const entry = page
    .getByRole('list', { name: 'Audit entries' })
    .getByRole('listitem', { name: `company.branding.update by ${me.name}` })
    .first();
  await entry.waitFor();
  const colourRow = entry.getByRole('row', { name: /^primary_color/ });
  assert.deepEqual(await colourRow.locator('td').allTextContents(), [branding.primary_color, NEW_COLOUR]);
  await expectAccessible(page, t, 'audit-desktop');
  await screenshot(page, 'audit-desktop', { fullPage: false });
});

test('a manager checks a new vessel, gives a vessel a department and crew, and imports its equipment', TIMEOUT, async (t) => {
  // Other tests count the demo's vessels and who is on them: this one registers no vessel and
  // takes the person it puts on a rotation off again.
  const manager = await (await apiAs('manager@northwind.example'))('GET', '/api/v1/me');
  const page = await openPage(t);
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, 'manager@northwind.example', DEMO_PASSWORD);
  await page.waitForURL('**/vessels');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fleet' }).click();
  await page.waitForURL('**/fleet');

  // Registering: a missing name and a wrong IMO check digit are said before anything is sent.
  const register = page.getByRole('form', { name: 'Register a vessel' });
  await register.getByLabel('IMO number').fill('9074728');
  await register.getByRole('button', { name: 'Register' }).click();
  await register.getByText('Enter the name').waitFor();
  await register.getByText('Seven digits, the last one the check digit (e.g. 9074729)').waitFor();

  await page.getByRole('list', { name: 'Fleet' }).getByRole('link', { name: 'Northwind Atlas' }).click();
  await page.waitForURL(/\/fleet\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { level: 1, name: 'Northwind Atlas' }).waitFor();

  // A department, and the manager on the rotation in it, then off the vessel again.
  const departments = page.getByRole('form', { name: 'Add a department' });
  await departments.getByLabel('New department').fill('galley');
  await departments.getByRole('button', { name: 'Add department' }).click();
  await page.getByRole('list', { name: 'Departments' }).getByText('galley').waitFor();
  const rotation = page.getByRole('form', { name: 'Put someone on the rotation' });
  await rotation.getByLabel('Person').selectOption({ label: `${manager.name} (Manager)` });
  await rotation.getByLabel('Department').selectOption({ label: 'galley' });
  await rotation.getByLabel('First day').fill('2026-01-05');
  await rotation.getByRole('button', { name: 'Put on the rotation' }).click();
  const crew = page.getByRole('list', { name: 'On board Northwind Atlas' });
  await crew.getByRole('listitem', { name: manager.name }).getByText('galley · from').waitFor();
  await expectAccessible(page, t, 'fleet-vessel-phone');
  await screenshot(page, 'fleet-vessel-phone');
  await crew.getByRole('button', { name: `Take ${manager.name} off` }).click();
  await page.getByText(`${manager.name} is off Northwind Atlas.`).waitFor();
  await crew.getByRole('listitem', { name: manager.name }).waitFor({ state: 'detached' });

  // Its equipment from a CSV file: checked first, imported once every row is right.
  await page.getByRole('link', { name: 'Import equipment from CSV' }).click();
  await page.waitForURL(/\/vessels\/[0-9a-f-]{36}\/import$/);
  const file = page.getByLabel('CSV file');
  const header = 'ref,parent_ref,level,name,area,criticality\n';
  const engine = 'GM,,system,Galley machinery,accommodation,low\n';
  await file.setInputFiles({
    name: 'atlas.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`${header}${engine}DW,GM,equipment,Galley dishwasher,moon,low\n`),
  });
  await page.getByRole('button', { name: 'Check the file' }).click();
  const problems = page.getByRole('table', { name: 'Problems, row by row' });
  await problems.waitFor();
  assert.match((await problems.getByRole('row').nth(1).textContent()) ?? '', /^3DW,GM,equipment,Galley dishwasher,moon,low.*area/);
  await page.getByText('1 of 2 rows has problems; nothing was written.').waitFor();
  await expectAccessible(page, t, 'import-dry-run-phone');
  await screenshot(page, 'import-dry-run-phone');

  await file.setInputFiles({
    name: 'atlas-fixed.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`${header}${engine}DW,GM,equipment,Galley dishwasher,accommodation,low\n`),
  });
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByText('All 2 rows are right. Nothing is written yet.').waitFor();
  await page.getByRole('button', { name: 'Import 2 items into Northwind Atlas' }).click();
  await page.getByText('2 items imported from 2 rows.').waitFor();
  await page.getByRole('table', { name: 'Items imported' }).getByRole('link').last().click();
  await page.getByRole('heading', { level: 1, name: 'Galley dishwasher' }).waitFor();
});
