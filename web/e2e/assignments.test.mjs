// @ts-check
/**
 * Equipment assignments and operators' daily reports in real browsers against
 * `bosun serve --demo` (Northwind's "Fjordbyen quay extension" project), three people each in
 * their own browser:
 *
 * - the manager books the mobile crane for Anders Moen for three days; a second booking of the
 *   crane overlapping it is refused on the device, naming the booking in the way, and the server
 *   refuses it too (`409 double_booked`);
 * - Anders (the operator) finds it waiting on his dashboard and in the navigation's count, and
 *   accepts it; then, with the network off, writes today's daily report on the excavator (hours,
 *   fuel, notes, a photo, his position), which shows at once "on this device", through a reload;
 *   back online it reaches the server once, its photo too;
 * - Hanne Vik (the site engineer) returns it with a comment; Anders reads the comment, corrects
 *   it and sends it again (revision 2); Hanne validates it, and the excavator's running hours on
 *   its page are the total before plus the hours worked.
 *
 * Each screen is checked with axe.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_URL, DEMO_PASSWORD, apiAs, expectAccessible, openPage, screenshot } from './support/browser.mjs';
import { drawnPicture, signInAndSync, waitForOutboxDrained } from './support/device.mjs';

const TIMEOUT = { timeout: 420_000 };
const MANAGER = 'manager@northwind.example';
const OPERATOR = 'operator@northwind.example';
const SITE_ENGINEER = 'site.engineer@northwind.example';
const SITE = 'Fjordbyen quay extension';
const EXCAVATOR = 'Excavator CAT 336';
const CRANE = 'Mobile crane Liebherr LTM 1090';

/**
 * Calls the API as `email` and gives the raw answer (for refusals, which `apiAs` fails on).
 * @param {string} email
 */
async function rawApiAs(email) {
  const login = await fetch(`${BASE_URL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'bosun' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD, company: 'northwind' }),
  });
  assert.equal(login.status, 200, `signing in as ${email}`);
  const { access_token: token } = /** @type {{ access_token: string }} */ (await login.json());
  return (/** @type {string} */ method, /** @type {string} */ path, /** @type {unknown} */ body) =>
    fetch(`${BASE_URL}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'X-Requested-With': 'bosun', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
}

/**
 * `YYYY-MM-DD` on the browser's calendar, `offset` days from today.
 * @param {import('playwright-core').Page} page
 * @param {number} offset
 */
function browserDay(page, offset) {
  return page.evaluate((n) => {
    const d = new Date();
    const at = new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);
    const pad = (/** @type {number} */ v) => String(v).padStart(2, '0');
    return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  }, offset);
}

/**
 * Running hours as the item's page writes them ("6,482.5 h"), in the browser's locale.
 * @param {import('playwright-core').Page} page
 * @param {number} hours
 */
function hoursText(page, hours) {
  return page.evaluate((h) => `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(h)} h`, hours);
}

test('a booking, its answer, and a daily report written offline, returned, corrected and validated into running hours', TIMEOUT, async (t) => {
  const manager = await apiAs(MANAGER);
  const operator = await apiAs(OPERATOR);
  const engineer = await apiAs(SITE_ENGINEER);
  const site = (await manager('GET', '/api/v1/vessels')).items.find((/** @type {any} */ v) => v.name === SITE);
  assert.ok(site, `the demo has the site ${SITE}`);
  const machines = (await manager('GET', `/api/v1/equipment/by-vessel/${site.id}?view=flat`)).items;
  const excavator = machines.find((/** @type {any} */ m) => m.name === EXCAVATOR);
  const crane = machines.find((/** @type {any} */ m) => m.name === CRANE);
  assert.ok(excavator && crane, 'the site has its excavator and crane');
  const anders = await operator('GET', '/api/v1/me');
  const hanne = await engineer('GET', '/api/v1/me');
  const hoursBefore = (await manager('GET', `/api/v1/equipment/${excavator.id}`)).running_hours;
  assert.equal(typeof hoursBefore, 'number', 'the excavator has running hours');

  // ---- The manager books the crane for Anders; an overlapping booking is refused. ----
  const planner = await openPage(t);
  await signInAndSync(planner, MANAGER);
  await planner.goto(`${BASE_URL}/vessels/${site.id}/assignments`);
  await planner.getByRole('heading', { level: 1, name: `Assignments on ${SITE}` }).waitFor();
  await planner.getByRole('list', { name: 'Bookings of Excavator CAT 336' }).waitFor();
  await expectAccessible(planner, t, 'site bookings');
  const [first, last, clashFirst, clashLast] = await Promise.all([10, 12, 12, 13].map((n) => browserDay(planner, n)));

  await planner.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Assign equipment' }).click();
  let form = planner.getByRole('form', { name: 'Assign equipment' });
  await form.waitFor();
  await expectAccessible(planner, t, 'assign equipment');
  await form.getByLabel('Item').selectOption({ label: CRANE });
  await form.getByLabel('Operator').selectOption({ label: 'Anders Moen' });
  await form.getByLabel('First day').fill(first);
  await form.getByLabel('Last day').fill(last);
  await form.getByLabel('Note (optional)').fill('Lift the precast elements, south quay');
  await form.getByRole('button', { name: 'Assign' }).click();
  await planner.getByRole('status').filter({ hasText: `${CRANE} booked for Anders Moen` }).waitFor();
  const craneBookings = planner.getByRole('list', { name: `Bookings of ${CRANE}` });
  await craneBookings.getByRole('listitem', { name: 'Anders Moen' }).getByText('Waiting for the operator').waitFor();
  await waitForOutboxDrained(planner);
  const booked = (await manager('GET', `/api/v1/assignments?equipment_id=${crane.id}&status=proposed`)).items.find(
    (/** @type {any} */ a) => a.operator_id === anders.id,
  );
  assert.ok(booked, 'the server holds the crane booked for Anders, waiting for his answer');
  assert.equal(booked.note, 'Lift the precast elements, south quay');

  await planner.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Assign equipment' }).click();
  form = planner.getByRole('form', { name: 'Assign equipment' });
  await form.getByLabel('Item').selectOption({ label: CRANE });
  await form.getByLabel('Operator').selectOption({ label: 'Hanne Vik' });
  await form.getByLabel('First day').fill(clashFirst);
  await form.getByLabel('Last day').fill(clashLast);
  await form.getByText(`${CRANE} is booked for Anders Moen`).waitFor();
  await form.getByRole('button', { name: 'Assign' }).click();
  await planner.waitForFunction(() => document.querySelector('select[aria-invalid="true"]') !== null);
  assert.match(new URL(planner.url()).pathname, /\/assignments\/new$/, 'the form stays, refused');
  await expectAccessible(planner, t, 'assign equipment, double booked');
  await screenshot(planner, 'assignment-double-booked-phone');
  const raw = await rawApiAs(MANAGER);
  const clash = await raw('POST', '/api/v1/assignments', {
    equipment_id: crane.id,
    operator_id: hanne.id,
    starts_at: booked.starts_at,
    ends_at: booked.ends_at,
  });
  assert.equal(clash.status, 409, 'the server refuses the overlapping booking');
  assert.equal((await clash.json()).code, 'double_booked');

  // ---- Anders finds it waiting on his dashboard and accepts it. ----
  const waitingCount = (await operator('GET', `/api/v1/assignments?operator_id=${anders.id}&status=proposed`)).items.length;
  assert.ok(waitingCount >= 1);
  const driver = await openPage(t);
  const driverContext = driver.context();
  await signInAndSync(driver, OPERATOR);
  const nav = driver.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: new RegExp(`^Assignments\\s*: ${waitingCount} waiting for your answer$`) }).waitFor();
  await nav.getByRole('link', { name: 'Dashboard' }).click();
  const card = driver.getByRole('region', { name: 'Waiting for your answer' });
  await card.getByText(`${waitingCount} ${waitingCount === 1 ? 'assignment waits' : 'assignments wait'} for your answer.`).waitFor();
  await expectAccessible(driver, t, 'dashboard (operator)');
  await screenshot(driver, 'assignments-dashboard-operator-phone');
  await card.getByRole('link', { name: 'Accept or decline' }).click();
  const waiting = driver.getByRole('list', { name: 'Waiting for your answer' });
  await waiting.waitFor();
  await expectAccessible(driver, t, 'my assignments');
  await waiting.getByRole('button', { name: new RegExp(`^Accept ${CRANE}`) }).click();
  await waiting.getByRole('button', { name: new RegExp(`^Accept ${CRANE}`) }).waitFor({ state: 'detached' });
  await driver.getByRole('list', { name: 'Under way and to come' }).getByRole('heading', { name: CRANE }).waitFor();
  await waitForOutboxDrained(driver);
  assert.equal((await operator('GET', `/api/v1/assignments/${booked.id}`)).status, 'accepted', 'the server holds the answer');

  // ---- Offline, today's daily report on the excavator, with a photo and his position. ----
  // Opened afresh, the page is the worker's: the report form's chunk comes from its cache.
  await driver.goto(`${BASE_URL}/assignments`);
  await driver.getByRole('list', { name: 'Under way and to come' }).waitFor();
  await driverContext.grantPermissions(['geolocation'], { origin: BASE_URL });
  await driverContext.setGeolocation({ latitude: 59.9075, longitude: 10.7256, accuracy: 8 });
  await driverContext.setOffline(true);
  await driver.getByRole('link', { name: `Report today on ${EXCAVATOR}` }).click();
  const report = driver.getByRole('form', { name: 'Daily report' });
  await report.waitFor();
  const today = await browserDay(driver, 0);
  assert.equal(await report.getByLabel('Day', { exact: true }).inputValue(), today);
  await report.getByLabel('Hours worked').fill('8');
  await report.getByLabel('Hours idle').fill('0.5');
  await report.getByLabel('Fuel added (litres, optional)').fill('190');
  await report.getByLabel('Notes (optional)').fill('Backfill behind the north quay wall');
  await report.getByLabel('Take a photo').setInputFiles(await drawnPicture(driver, 'north-quay.png'));
  await report.getByRole('img', { name: 'Photo north-quay.jpg' }).waitFor();
  await report.getByLabel('Add my position').check();
  await report.getByText('Position: 59.90750° N, 10.72560° E').waitFor();
  await expectAccessible(driver, t, 'daily report form');
  await screenshot(driver, 'daily-report-form-offline-phone');
  await report.getByRole('button', { name: 'Submit the report' }).click();
  await driver.waitForURL(/\/daily-reports\/[0-9a-f-]{36}$/);
  const reportId = new URL(driver.url()).pathname.split('/').pop() ?? '';
  await driver.locator('.status-mark', { hasText: 'Waiting for validation' }).waitFor();
  const changes = driver.getByRole('list', { name: 'Changes to the report not yet accepted' });
  await changes.getByText('on this device').waitFor();
  await expectAccessible(driver, t, 'daily report, on this device');
  await driver.reload();
  await driver.getByRole('heading', { level: 1, name: /^Daily report: / }).waitFor();
  await changes.getByText('on this device').waitFor();
  await screenshot(driver, 'daily-report-offline-phone');

  // Back online: the report, then its photo, reach the server once.
  await driverContext.setOffline(false);
  await waitForOutboxDrained(driver);
  let held = await operator('GET', `/api/v1/daily-reports/${reportId}`);
  assert.equal(held.status, 'submitted');
  assert.equal(held.day, today);
  assert.equal(held.revision, 1);
  assert.equal(held.revisions.length, 1);
  assert.equal(held.hours_worked, 8);
  assert.equal(held.hours_idle, 0.5);
  assert.equal(held.fuel_litres, 190);
  assert.equal(held.latitude, 59.9075);
  assert.equal(held.longitude, 10.7256);
  assert.equal(held.photo_ids.length, 1, 'the report names its photo');
  const photos = (await operator('GET', `/api/v1/attachments?parent_kind=equipment&parent_id=${excavator.id}`)).items;
  assert.ok(photos.some((/** @type {any} */ p) => p.id === held.photo_ids[0]), 'the photo is attached to the excavator');
  const mine = (await operator('GET', `/api/v1/daily-reports?equipment_id=${excavator.id}&operator_id=${anders.id}`)).items;
  assert.equal(mine.filter((/** @type {any} */ r) => r.day === today).length, 1, 'one report of the day');

  // ---- Hanne returns it with a comment. ----
  const checker = await openPage(t);
  await signInAndSync(checker, SITE_ENGINEER);
  await checker.goto(`${BASE_URL}/vessels/${site.id}/daily-reports`);
  const list = checker.getByRole('list', { name: 'Daily reports' });
  await list.getByRole('link', { name: new RegExp(`^${EXCAVATOR} · `) }).first().waitFor();
  await expectAccessible(checker, t, 'site daily reports');
  await screenshot(checker, 'daily-reports-site-phone');
  await checker.goto(`${BASE_URL}/daily-reports/${reportId}`);
  await checker.getByRole('button', { name: 'Validate' }).waitFor();
  await expectAccessible(checker, t, 'daily report (engineer)');
  await checker.getByRole('button', { name: 'Return with a comment' }).click();
  const back = checker.getByRole('form', { name: 'Return the report' });
  await back.getByLabel('Comment').fill('Idle time looks short against the machine log: check and send again.');
  await back.getByRole('button', { name: 'Return the report' }).click();
  await checker.locator('.status-mark', { hasText: 'Returned for correction' }).waitFor();
  await waitForOutboxDrained(checker);
  held = await engineer('GET', `/api/v1/daily-reports/${reportId}`);
  assert.equal(held.status, 'returned');
  assert.equal(held.returned_by, hanne.id);

  // ---- Anders reads the comment and corrects it. ----
  await driver.goto(`${BASE_URL}/daily-reports/${reportId}`);
  await driver.getByText('Idle time looks short against the machine log: check and send again.').waitFor({ timeout: 60_000 });
  await expectAccessible(driver, t, 'daily report, returned');
  await screenshot(driver, 'daily-report-returned-phone');
  await driver.getByRole('link', { name: 'Correct and send again' }).click();
  const correction = driver.getByRole('form', { name: 'Correct the daily report' });
  await correction.waitFor();
  assert.equal(await correction.getByLabel('Hours worked').inputValue(), '8');
  await correction.getByLabel('Hours idle').fill('1.5');
  await correction.getByRole('button', { name: 'Send the correction' }).click();
  await driver.waitForURL(`**/daily-reports/${reportId}`);
  await driver.locator('.status-mark', { hasText: 'Waiting for validation' }).waitFor();
  await waitForOutboxDrained(driver);
  held = await operator('GET', `/api/v1/daily-reports/${reportId}`);
  assert.equal(held.status, 'submitted');
  assert.equal(held.revision, 2);
  assert.equal(held.revisions.length, 2);
  assert.equal(held.hours_idle, 1.5);
  assert.equal(held.photo_ids.length, 1, 'the correction keeps the photo');

  // ---- Hanne validates revision 2; its hours become the excavator's running hours. ----
  await checker.goto(`${BASE_URL}/daily-reports/${reportId}`);
  await checker.getByRole('list', { name: 'Revisions' }).getByText('Revision 2').waitFor({ timeout: 60_000 });
  await checker.getByRole('button', { name: 'Validate' }).click();
  await checker.locator('.status-mark', { hasText: 'Validated' }).waitFor();
  await waitForOutboxDrained(checker);
  held = await engineer('GET', `/api/v1/daily-reports/${reportId}`);
  assert.equal(held.status, 'validated');
  assert.equal(held.validated_by, hanne.id);
  assert.ok(held.reading_id, 'validation recorded a running-hours reading');
  const hoursAfter = (await manager('GET', `/api/v1/equipment/${excavator.id}`)).running_hours;
  assert.equal(hoursAfter, hoursBefore + 8, 'the excavator’s running hours gained the 8 hours worked');

  await checker.goto(`${BASE_URL}/equipment/${excavator.id}`);
  await checker.getByRole('heading', { level: 1, name: EXCAVATOR }).waitFor();
  await checker.getByText(await hoursText(checker, hoursAfter), { exact: true }).first().waitFor({ timeout: 60_000 });
  await screenshot(checker, 'excavator-running-hours-phone');
});
