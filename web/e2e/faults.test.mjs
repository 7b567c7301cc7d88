// @ts-check
/**
 * Reporting a fault with the network off, in a real browser against `bosun serve --demo`: the
 * demo engineer signs in and the first sync fills the device's replica; offline, a fault is
 * reported on an item in three steps and shows at once, "on this device"; a reload with the
 * network still off keeps it; back online, the outbox drains and the server holds the fault
 * exactly once; then acknowledged and commented on from its page, both reach the server.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_URL, DEMO_PASSWORD, apiAs, expectAccessible, openPage, screenshot, signIn } from './support/browser.mjs';

const TIMEOUT = { timeout: 120_000 };
const ENGINEER = 'engineer@northwind.example';

test('a fault reported offline survives a reload and reaches the server once back online', TIMEOUT, async (t) => {
  const api = await apiAs(ENGINEER);
  const [vessel] = (await api('GET', '/api/v1/vessels')).items;
  const [item] = (await api('GET', `/api/v1/equipment/by-vessel/${vessel.id}?view=flat`)).items;
  const title = `Seal weeping, reported offline ${Date.now().toString(36)}`;

  const page = await openPage(t);
  const context = page.context();
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, ENGINEER, DEMO_PASSWORD);
  await page.waitForURL('**/vessels');
  // The first sync has filled the replica, and the worker keeps the app shell.
  await page.locator('.sync-status[data-synced="true"]').waitFor({ timeout: 60_000 });
  await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);

  // From the item's page (where a scanned QR label lands) to the report.
  await page.goto(`${BASE_URL}/equipment/${item.id}`);
  await page.getByRole('link', { name: 'Report a fault' }).click();
  await page.getByRole('heading', { level: 1, name: `Report a fault on ${item.name}` }).waitFor();
  await page.locator('.sync-status[data-synced="true"]').waitFor();

  await context.setOffline(true);
  await page.getByRole('radio', { name: /High/ }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Step 2 of 3: What is wrong?').waitFor();
  await page.getByLabel('What is wrong?').fill(title);
  await page.getByLabel('What did you see? (optional)').fill('Drops on the drip tray after a full-load run');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Step 3 of 3: Photos').waitFor();
  await page.getByRole('button', { name: 'Report fault' }).click();

  const faults = page.getByRole('list', { name: 'Faults on this item' });
  const reported = faults.getByRole('listitem', { name: title });
  await reported.getByText('on this device').waitFor();
  await expectAccessible(page, t, 'fault-reported-offline-phone');
  await screenshot(page, 'fault-reported-offline-phone');

  // A reload with no network: the app opens from the worker, the report from the outbox.
  await page.reload();
  await page.getByRole('banner').getByRole('status').filter({ hasText: 'Offline' }).waitFor();
  await reported.getByText('on this device').waitFor();

  // Back online: the outbox drains, and the fault comes back from the server as a replica row.
  await context.setOffline(false);
  await reported.getByText('on this device').waitFor({ state: 'detached' });
  await page.locator('.sync-status[data-synced="true"]').waitFor();
  await reported.waitFor();

  const active = (await api('GET', `/api/v1/faults/active?equipment_id=${item.id}`)).items;
  const held = active.filter((/** @type {{ title: string }} */ f) => f.title === title);
  assert.equal(held.length, 1, 'the server holds the fault once');
  assert.equal(held[0].equipment_id, item.id);
  assert.equal(held[0].severity, 'high');
  assert.equal(held[0].status, 'open');

  // Its page opens from the replica, with the actions an engineer may take.
  await reported.getByRole('link', { name: title }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();

  // Acknowledged and commented on through the outbox, on the fault's version: the server takes both.
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  const comment = page.getByRole('form', { name: 'Add a comment' });
  await comment.getByLabel('Comment').fill('Drip tray emptied; watching it');
  await comment.getByRole('button', { name: 'Add comment' }).click();
  await page.getByRole('list', { name: 'Changes not yet accepted' }).waitFor({ state: 'detached' });
  await page.getByRole('list', { name: 'Comments' }).getByText('Drip tray emptied; watching it').waitFor();
  await page.locator('.sync-status[data-synced="true"]').waitFor();
  const fault = await api('GET', `/api/v1/faults/${held[0].id}`);
  assert.equal(fault.status, 'acknowledged');
  assert.deepEqual(
    fault.comments.map((/** @type {{ body: string }} */ c) => c.body),
    ['Drip tray emptied; watching it'],
  );
  await expectAccessible(page, t, 'fault-page-phone');
  await screenshot(page, 'fault-page-phone');
});
