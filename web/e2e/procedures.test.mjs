// @ts-check
/**
 * A procedure written and used with no signal, in a real browser against `bosun serve --demo`:
 * the owner creates a procedure of two steps offline (listed at once, "on this device"), then
 * raises a new work order on an item starting from it ("Start from a procedure"); back online,
 * the server holds the procedure once and the order once, the order's steps with the
 * procedure's titles but ids of their own.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_URL, apiAs, expectAccessible, openPage, screenshot } from './support/browser.mjs';
import { signInAndSync, waitForOutboxDrained } from './support/device.mjs';

const TIMEOUT = { timeout: 150_000 };
const OWNER = 'owner@northwind.example';

test('a procedure made offline starts a work order offline; both reach the server once, the steps copied with new ids', TIMEOUT, async (t) => {
  const api = await apiAs(OWNER);
  const [vessel] = (await api('GET', '/api/v1/vessels')).items;
  const [item] = (await api('GET', `/api/v1/equipment/by-vessel/${vessel.id}?view=flat&q=Main%20engine%201`)).items;
  assert.ok(item, 'the demo vessel has a main engine');
  const stamp = Date.now().toString(36);
  const title = `Turbocharger wash ${stamp}`;
  const stepTitles = ['Compressor side washed with fresh water', 'Exhaust temperature after the wash'];
  const orderTitle = `Wash the turbocharger ${stamp}`;

  const page = await openPage(t);
  const context = page.context();
  await signInAndSync(page, OWNER);
  await page.goto(`${BASE_URL}/work-orders`);
  await page.getByRole('heading', { level: 1, name: 'Work' }).waitFor();

  // No signal from here on.
  await context.setOffline(true);
  await page.getByRole('link', { name: 'Procedures', exact: true }).click();
  await page.waitForURL('**/procedures');
  await page.getByRole('link', { name: 'New procedure' }).click();
  const form = page.getByRole('form', { name: 'New procedure' });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Description (optional)').fill('With the engine at half load.');
  await form.getByRole('button', { name: 'Add a step' }).click();
  await form.getByRole('group', { name: 'Step 1' }).getByLabel('What to do or check').fill(stepTitles[0] ?? '');
  await form.getByRole('button', { name: 'Add a step' }).click();
  const second = form.getByRole('group', { name: 'Step 2' });
  await second.getByLabel('What to do or check').fill(stepTitles[1] ?? '');
  await second.getByLabel('Answer').selectOption('number');
  await second.getByLabel('Unit').fill('°C');
  await second.getByLabel('Upper limit (optional)').fill('450');
  await expectAccessible(page, t, 'procedure-new');
  await form.getByRole('button', { name: 'Create the procedure' }).click();

  // Listed at once, waiting on this device.
  await page.waitForURL('**/procedures');
  const listed = page.getByRole('list', { name: 'Procedures' }).getByRole('listitem', { name: title });
  await listed.getByText(/2 steps · on this device/).waitFor();
  await expectAccessible(page, t, 'procedures');
  await screenshot(page, 'procedure-created-offline-phone');

  // A new work order on the main engine, from the procedure.
  await page.getByRole('link', { name: 'Work', exact: true }).first().click();
  await page.waitForURL('**/work-orders');
  await page.getByRole('link', { name: 'New work order' }).click();
  const order = page.getByRole('form', { name: 'New work order' });
  await order.getByLabel('Item').fill(item.name);
  await order.getByRole('list', { name: 'Matching items' }).getByRole('button', { name: `${item.name} · ${vessel.name}` }).click();
  await order.getByLabel('Title').fill(orderTitle);
  await order.getByLabel('Procedure', { exact: true }).selectOption({ label: `${title} (2 steps)` });
  await order.getByRole('button', { name: 'Copy its steps' }).click();
  await order.getByText(`2 steps copied from “${title}”`, { exact: false }).waitFor();
  assert.equal(await order.getByRole('group', { name: 'Step 2' }).getByLabel('What to do or check').inputValue(), stepTitles[1]);
  await expectAccessible(page, t, 'work-order-new-from-procedure');
  await order.getByRole('button', { name: 'Create work order' }).click();
  await page.waitForURL(/\/work-orders\/[0-9a-f-]{36}$/);
  const orderId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
  await page.getByRole('heading', { level: 1, name: orderTitle }).waitFor();
  await screenshot(page, 'work-order-from-procedure-offline-phone');

  // Back online: both reach the server, once each.
  await context.setOffline(false);
  await waitForOutboxDrained(page);
  const procedures = (await api('GET', '/api/v1/procedures?limit=200')).items.filter((/** @type {any} */ p) => p.title === title);
  assert.equal(procedures.length, 1, `the procedure once: ${JSON.stringify(procedures)}`);
  const [procedure] = procedures;
  assert.deepEqual(
    procedure.steps.map((/** @type {any} */ s) => s.title),
    stepTitles,
  );
  const orders = (await api('GET', `/api/v1/work-orders?equipment_id=${item.id}&limit=200`)).items.filter((/** @type {any} */ o) => o.title === orderTitle);
  assert.equal(orders.length, 1, `the work order once: ${JSON.stringify(orders)}`);
  const held = (await api('GET', `/api/v1/work-orders/${orderId}`)).order;
  assert.equal(held.id, orders[0].id);
  assert.deepEqual(
    held.steps.map((/** @type {any} */ s) => s.title),
    stepTitles,
    'the order has the procedure’s steps',
  );
  assert.deepEqual(
    held.steps.map((/** @type {any} */ s) => [s.kind, s.unit, s.max]),
    procedure.steps.map((/** @type {any} */ s) => [s.kind, s.unit, s.max]),
  );
  const procedureStepIds = new Set(procedure.steps.map((/** @type {any} */ s) => s.id));
  for (const step of held.steps) assert.ok(!procedureStepIds.has(step.id), `the order's step ${step.id} has an id of its own`);
});
