// @ts-check
/**
 * A work order done on a phone with no signal, in a real browser against `bosun serve --demo`:
 * the engineer opens the demo's waiting service from "My work", starts it offline, answers its
 * checklist (a number inside its limits, a choice, a pass) and completes it; back online, the
 * server holds the order done by the engineer with each answer once. Then the owner edits another
 * open order's title and priority offline, sees the edit on its page at once, "on this device",
 * and back online finds the server holding the new title and priority.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_URL, DEMO_PASSWORD, apiAs, expectAccessible, openPage, screenshot, signIn } from './support/browser.mjs';
import { signInAndSync, waitForOutboxDrained } from './support/device.mjs';

const TIMEOUT = { timeout: 150_000 };
const ENGINEER = 'engineer@northwind.example';
const OWNER = 'owner@northwind.example';

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

test('a work order edited offline shows the edit at once and the server holds it once synced', TIMEOUT, async (t) => {
  const api = await apiAs(OWNER);
  const orders = (await api('GET', '/api/v1/work-orders?status=open&limit=200')).items;
  // Not the service the test above completes.
  const order = orders.find((/** @type {any} */ o) => !o.title.startsWith('500-hour service'));
  assert.ok(order, 'the demo has another open work order');
  const title = `${order.title.slice(0, 150)} (edited offline ${Date.now()})`;
  const priority = order.priority === 'urgent' ? 'low' : 'urgent';
  const priorityLabel = priority === 'urgent' ? 'Urgent' : 'Low';

  const page = await openPage(t);
  const context = page.context();
  await signInAndSync(page, OWNER);
  await page.goto(`${BASE_URL}/work-orders/${order.id}`);
  await page.getByRole('heading', { level: 1, name: order.title }).waitFor();

  // No signal from here on.
  await context.setOffline(true);
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await page.waitForURL(`**/work-orders/${order.id}/edit`);
  const form = page.getByRole('form', { name: 'Edit work order' });
  await form.getByLabel('Title').waitFor();
  assert.equal(await form.getByLabel('Title').inputValue(), order.title, 'the form starts from the order');
  await expectAccessible(page, t, 'work-order-edit');
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Priority').selectOption(priority);
  await form.getByRole('button', { name: 'Save the work order' }).click();

  // Shown at once, waiting on this device.
  await page.waitForURL(`**/work-orders/${order.id}`);
  const header = page.locator('.wo-header');
  await header.getByRole('heading', { level: 1, name: title }).waitFor();
  await header.locator('.wo-priority').filter({ hasText: priorityLabel }).waitFor();
  await header.getByRole('list', { name: 'Changes not yet accepted' }).getByText(/Edited/).waitFor();
  await screenshot(page, 'work-order-edited-offline-phone');

  // Back online: the edit reaches the server.
  await context.setOffline(false);
  await waitForOutboxDrained(page);
  const held = await api('GET', `/api/v1/work-orders/${order.id}`);
  assert.equal(held.order.title, title, `the server holds the new title: ${JSON.stringify(held.order)}`);
  assert.equal(held.order.priority, priority);
  assert.equal(held.order.status, order.status, 'an edit does not move the order');
});
