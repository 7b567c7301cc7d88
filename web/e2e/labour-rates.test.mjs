// @ts-check
/**
 * Labour rates in a real browser against `bosun serve --demo`, on a phone: the manager logs an
 * hour and a half on a work order in progress on the engineer's ship with a rate of 90 an hour
 * (the currency offered, EUR), sees the entry's rate and cost and the order's labour cost, and
 * once the outbox has drained the server holds the entry with its rate and cost. The engineer,
 * on the same order, sees the manager's time with no rate and no cost, and is offered no rate
 * field; the server leaves both out of the engineer's answer. Labour entries are insert-only, so
 * the entry stays on the demo's order.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_URL, PHONE, apiAs, expectAccessible, openPage, screenshot } from './support/browser.mjs';
import { signInAndSync, waitForOutboxDrained } from './support/device.mjs';

const TIMEOUT = { timeout: 180_000 };
const MANAGER = 'manager@northwind.example';
const ENGINEER = 'engineer@northwind.example';

test('the manager logs labour at a rate and sees its cost; the engineer sees neither', TIMEOUT, async (t) => {
  const asManager = await apiAs(MANAGER);
  const asEngineer = await apiAs(ENGINEER);
  const [ship] = (await asEngineer('GET', '/api/v1/vessels')).items;
  const orders = (await asManager('GET', '/api/v1/work-orders?limit=200')).items.filter(
    (/** @type {any} */ o) => o.vessel_id === ship.id,
  );
  let order = orders.find((/** @type {any} */ o) => o.status === 'in_progress');
  if (!order) {
    order = orders.find((/** @type {any} */ o) => o.status === 'open' && !o.title.startsWith('500-hour service'));
    assert.ok(order, 'the engineer’s ship has a work order to work on');
    await asManager('POST', `/api/v1/work-orders/${order.id}/start`, {});
  }
  const priced = (/** @type {any} */ l) => l.rate_minor === 9_000 && l.minutes === 90;
  const pricedBefore = (await asManager('GET', `/api/v1/work-orders/${order.id}`)).labour.filter(priced).length;

  // The manager, on a phone.
  const page = await openPage(t, { viewport: PHONE });
  await signInAndSync(page, MANAGER);
  await page.goto(`${BASE_URL}/work-orders/${order.id}`);
  await page.getByRole('heading', { level: 1, name: order.title }).waitFor();
  await page.getByRole('button', { name: 'Log time' }).click();
  const form = page.getByRole('form', { name: 'Log time' });
  assert.equal(await form.getByLabel('Currency').inputValue(), 'EUR');
  await form.getByLabel('Hours').fill('1');
  await form.getByLabel('Minutes').fill('30');
  await form.getByLabel('Rate per hour').fill('90');
  await expectAccessible(page, t, 'labour-rate-form-phone');
  await form.getByRole('button', { name: 'Save time' }).click();
  await form.getByRole('status').getByText(/1 h 30 min logged at .*90\.00 an hour\./).waitFor();
  const labour = page.getByRole('list', { name: 'Labour' });
  await labour.getByRole('listitem').filter({ hasText: /90\.00 an hour · cost .*135\.00/ }).first().waitFor();
  await page.getByText(/^Labour cost: /).waitFor();

  // The outbox drains; the server holds the entry with its rate and cost.
  await waitForOutboxDrained(page);
  const held = await asManager('GET', `/api/v1/work-orders/${order.id}`);
  const entries = held.labour.filter(priced);
  assert.equal(entries.length, pricedBefore + 1, 'the server holds the entry once');
  const entry = entries.at(-1);
  assert.equal(entry.currency, 'EUR');
  assert.equal(entry.cost_minor, 13_500);
  await labour.getByRole('listitem').filter({ hasText: /90\.00 an hour · cost .*135\.00/ }).first().waitFor();
  await expectAccessible(page, t, 'labour-rate-logged-phone');
  await screenshot(page, 'labour-rate-logged-phone');

  // The engineer: the same order, the manager's time with no rate or cost, no rate field.
  const seen = await asEngineer('GET', `/api/v1/work-orders/${order.id}`);
  const theirs = seen.labour.find((/** @type {any} */ l) => l.id === entry.id);
  assert.ok(theirs, 'the engineer sees the entry');
  assert.equal(theirs.rate_minor, undefined, 'no rate for the engineer');
  assert.equal(theirs.cost_minor, undefined, 'no cost for the engineer');

  const engineer = await openPage(t, { viewport: PHONE });
  await signInAndSync(engineer, ENGINEER);
  await engineer.goto(`${BASE_URL}/work-orders/${order.id}`);
  await engineer.getByRole('heading', { level: 1, name: order.title }).waitFor();
  const theirList = engineer.getByRole('list', { name: 'Labour' });
  await theirList.getByRole('listitem').filter({ hasText: /^1 h 30 min · / }).first().waitFor({ timeout: 60_000 });
  assert.equal(await engineer.getByText(/an hour|Labour cost/).count(), 0, 'the engineer sees no rate and no cost');
  await engineer.getByRole('button', { name: 'Log time' }).click();
  const theirForm = engineer.getByRole('form', { name: 'Log time' });
  await theirForm.getByLabel('Hours').waitFor();
  assert.equal(await theirForm.getByLabel('Rate per hour').count(), 0, 'no rate field for the engineer');
  assert.equal(await theirForm.getByLabel('Currency').count(), 0, 'no currency field for the engineer');
  await expectAccessible(engineer, t, 'labour-engineer-phone');
  await screenshot(engineer, 'labour-engineer-phone');
});
