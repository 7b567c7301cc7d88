// @ts-check
/**
 * Maintenance plans in a real browser against `bosun serve --demo`: the owner opens a vessel's
 * maintenance page, creates a plan (by the calendar, every month, starting today) with the
 * network off and sees it listed at once with its due day, "on this device"; back online, the
 * server holds the plan exactly once; the calendar shows it on its due day. Each screen is
 * checked with axe.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_URL, DEMO_PASSWORD, apiAs, expectAccessible, openPage, screenshot, signIn } from './support/browser.mjs';
import { SYNCED, waitForOutboxDrained } from './support/device.mjs';

const TIMEOUT = { timeout: 150_000 };
const OWNER = 'owner@northwind.example';

/**
 * `day` (`YYYY-MM-DD`) one month on, a month's end kept within the month (31 January → 28 or
 * 29 February), as the app works out a new plan's first due.
 * @param {string} day
 */
function oneMonthAfter(day) {
  const [year, month, date] = day.split('-').map(Number);
  const target = new Date(Date.UTC(year, month, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date, lastDay));
  return target.toISOString().slice(0, 10);
}

/**
 * Every plan of the vessel the server holds, page after page.
 * @param {(method: string, path: string) => Promise<any>} api
 * @param {string} vesselId
 */
async function plansOnServer(api, vesselId) {
  /** @type {{ id: string, title: string }[]} */
  const plans = [];
  /** @type {string | null} */
  let cursor = null;
  do {
    const page = await api('GET', `/api/v1/maintenance-plans?vessel_id=${vesselId}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    plans.push(...page.items);
    cursor = page.next ?? null;
  } while (cursor);
  return plans;
}

test('a plan created offline is listed with its due day, reaches the server once and shows on the calendar', TIMEOUT, async (t) => {
  const api = await apiAs(OWNER);
  const [vessel] = (await api('GET', '/api/v1/vessels')).items;
  const [item] = (await api('GET', `/api/v1/equipment/by-vessel/${vessel.id}?view=flat`)).items;
  assert.ok(item, 'the demo vessel has equipment');
  const title = `Monthly check, browser test ${Date.now()}`;

  const page = await openPage(t);
  const context = page.context();
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, OWNER, DEMO_PASSWORD);
  await page.waitForURL((url) => url.pathname !== '/login');
  await page.locator(SYNCED).waitFor({ timeout: 60_000 });
  await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);

  await page.goto(`${BASE_URL}/vessels/${vessel.id}/maintenance`);
  await page.getByRole('heading', { level: 1, name: `Maintenance on ${vessel.name}` }).waitFor();
  await expectAccessible(page, t, 'maintenance');

  // The day on the device, which the form starts the schedule from.
  const today = await page.evaluate(() => {
    const now = new Date();
    const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  });
  const due = oneMonthAfter(today);

  // No signal from here on.
  await context.setOffline(true);
  await page.getByRole('navigation', { name: 'Maintenance' }).getByRole('link', { name: 'New plan' }).click();
  const form = page.getByRole('form', { name: 'New maintenance plan' });
  await form.waitFor();
  await expectAccessible(page, t, 'maintenance-plan-new');
  await form.getByLabel('Item').selectOption(item.id);
  await form.getByLabel('Title').fill(title);
  const criterion = form.getByRole('group', { name: 'Criterion 1' });
  await criterion.getByLabel('By').selectOption('calendar');
  await criterion.getByLabel('Every').fill('1');
  await criterion.getByLabel('Unit').selectOption('months');
  assert.equal(await form.getByLabel('Starts on').inputValue(), today);
  await form.getByRole('button', { name: 'Create the plan' }).click();

  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await page.getByText('on this device').first().waitFor();
  await expectAccessible(page, t, 'maintenance-plan');

  // Listed at once, with its due day.
  await page.getByRole('link', { name: 'All plans on the vessel' }).click();
  const row = page.getByRole('list', { name: 'Plans' }).getByRole('listitem', { name: title });
  await row.waitFor();
  await row.locator(`time[datetime="${due}"]`).waitFor();
  await row.getByText('every month').waitFor();
  await screenshot(page, 'maintenance-plan-created-offline-phone');

  // Back online: the outbox drains, and the server holds the plan once.
  await context.setOffline(false);
  await waitForOutboxDrained(page);
  const held = (await plansOnServer(api, vessel.id)).filter((p) => p.title === title);
  assert.equal(held.length, 1, `the server holds the plan once: ${JSON.stringify(held)}`);
  await row.getByText('on this device').waitFor({ state: 'detached' });

  // The calendar shows it on its due day (a phone: the agenda by day).
  await page.goto(`${BASE_URL}/vessels/${vessel.id}/maintenance/calendar?month=${due.slice(0, 7)}`);
  await page.getByRole('heading', { level: 1, name: `Maintenance calendar of ${vessel.name}` }).waitFor();
  const day = page.getByRole('list', { name: /^Due in / }).getByRole('listitem').filter({ has: page.locator(`time[datetime="${due}"]`) });
  await day.getByRole('link', { name: title }).waitFor();
  await expectAccessible(page, t, 'maintenance-calendar');
  await screenshot(page, 'maintenance-calendar-phone');
});
