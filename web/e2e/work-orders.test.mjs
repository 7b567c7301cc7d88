// @ts-check
/**
 * A work order done on a phone with no signal, in a real browser against `bosun serve --demo`:
 * the engineer opens the demo's waiting service from "My work", starts it offline, answers its
 * checklist (a number inside its limits, a choice, a pass) and completes it; back online, the
 * server holds the order done by the engineer with each answer once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_URL, DEMO_PASSWORD, apiAs, expectAccessible, openPage, screenshot, signIn } from './support/browser.mjs';

const TIMEOUT = { timeout: 150_000 };
const ENGINEER = 'engineer@northwind.example';

test('a work order started, answered and completed offline reaches the server once', TIMEOUT, async (t) => {
  const api = await apiAs(ENGINEER);
  const orders = (await api('GET', '/api/v1/work-orders?status=open&limit=200')).items;
  const order = orders.find((/** @type {any} */ o) => o.title.startsWith('500-hour service'));
  assert.ok(order, 'the demo has a service waiting for the engineer');

  const page = await openPage(t);
  const context = page.context();
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, ENGINEER, DEMO_PASSWORD);
  await page.waitForURL('**/vessels');
  await page.locator('.sync-status[data-synced="true"]').waitFor({ timeout: 60_000 });
  await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);

  await page.goto(`${BASE_URL}/work-orders`);
  const mine = page.getByRole('list', { name: 'My work' });
  await mine.getByRole('link', { name: order.title }).click();
  await page.waitForURL(`**/work-orders/${order.id}`);
  await page.getByRole('heading', { level: 1, name: order.title }).waitFor();
  await expectAccessible(page, t, 'work-order');

  // No signal from here on.
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Start' }).click();
  const pressure = page.getByRole('form', { name: 'Answer: Lube oil pressure at idle' });
  await pressure.getByLabel(/Value/).fill('4.2');
  await pressure.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('group', { name: 'Answer: Drive belt tension' }).getByRole('button', { name: 'Good' }).click();
  await page.getByRole('group', { name: 'Answer: Guards refitted' }).getByRole('button', { name: 'Pass' }).click();
  const complete = page.getByRole('button', { name: 'Complete work order' });
  await complete.click();
  await screenshot(page, 'work-order-completed-offline-phone');

  // Back online: the outbox drains once.
  await context.setOffline(false);
  await page.locator('.sync-status[data-synced="true"]').waitFor({ timeout: 60_000 });
  const held = await api('GET', `/api/v1/work-orders/${order.id}`);
  assert.equal(held.order.status, 'done', `the server holds the order done: ${JSON.stringify(held.order)}`);
  const me = await api('GET', '/api/v1/me');
  assert.equal(held.order.completed_by, me.id);
  assert.equal(held.results.length, 3, 'each answer once');
  assert.deepEqual(
    held.current.map((/** @type {any} */ r) => r?.outcome ?? null),
    ['passed', 'passed', 'passed', null],
  );
});
