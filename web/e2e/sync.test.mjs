// @ts-check
/**
 * The offline replica in a real browser against `bosun serve --demo`: after signing in, the
 * person's vessels sync to the device (IndexedDB); with the network off and the page reloaded,
 * a vessel's equipment and an item with its faults and readings still show. Back online, a
 * change made elsewhere appears without a reload (a poke on the events socket, then a pull).
 * Signing out deletes the local database.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_URL, DEMO_PASSWORD, apiAs, expectAccessible, headerAccount, openPage, screenshot, signIn } from './support/browser.mjs';

const TIMEOUT = { timeout: 120_000 };
const ENGINEER = 'engineer@northwind.example';

test('equipment, its faults and readings can be browsed offline from the replica, and changes arrive live', TIMEOUT, async (t) => {
  // An item with readings, and a fault on it reported elsewhere before the person signs in.
  const api = await apiAs(ENGINEER);
  const [vessel] = (await api('GET', '/api/v1/vessels')).items;
  const listing = await api('GET', `/api/v1/equipment/by-vessel/${vessel.id}?view=flat&q=Main%20engine%202`);
  const item = listing.items.find((/** @type {{ name: string }} */ i) => i.name === 'Main engine 2') ?? listing.items[0];
  assert.ok(item, 'the demo vessel has a second main engine');
  const detail = await api('GET', `/api/v1/equipment/${item.id}`);
  assert.ok(detail.readings_total > 0, 'the item has readings');
  await api('POST', '/api/v1/faults', {
    equipment_id: item.id,
    severity: 'medium',
    title: 'Turbocharger vibration high',
    description: 'Vibration above the alarm limit at 85% load.',
  });

  const page = await openPage(t);
  const context = page.context();
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, ENGINEER, DEMO_PASSWORD);
  await page.waitForURL('**/vessels');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  const status = page.locator('.sync-status');
  await page.locator('.sync-status[data-synced="true"]').waitFor();
  assert.match((await status.textContent()) ?? '', /Synced · last sync just now/);
  await expectAccessible(page, t, 'synced-phone');
  await screenshot(page, 'synced-phone', { fullPage: false });

  // Offline, and reloaded: everything comes from the device.
  await context.setOffline(true);
  await page.reload();
  await status.filter({ hasText: 'Offline' }).waitFor();
  const vessels = page.getByRole('list', { name: 'Your vessels' });
  await vessels.waitFor();
  await vessels.getByRole('link', { name: `Equipment of ${vessel.name}` }).click();
  const list = page.getByRole('list', { name: 'Equipment' });
  await list.waitFor();
  assert.ok((await list.getByRole('listitem').count()) >= 3, 'the equipment tree shows offline');
  await page.getByLabel('Search equipment').fill(item.name);
  await list.getByRole('link', { name: item.name, exact: true }).click();
  await page.waitForURL(`**/equipment/${item.id}`);
  await page.getByRole('heading', { level: 1, name: item.name }).waitFor();
  await page.getByRole('listitem', { name: 'Turbocharger vibration high' }).waitFor();
  await page.getByRole('table', { name: 'Latest readings' }).waitFor();
  const details = page.getByRole('region', { name: 'Details' });
  assert.match((await details.textContent()) ?? '', /Running hours[\d,.]+ h/);
  await expectAccessible(page, t, 'equipment-offline-phone');
  await screenshot(page, 'equipment-offline-phone');

  // Back online: a fault reported elsewhere appears without a reload.
  await context.setOffline(false);
  await status.filter({ hasText: 'Synced' }).waitFor();
  await api('POST', '/api/v1/faults', {
    equipment_id: item.id,
    severity: 'low',
    title: 'Exhaust lagging loose',
    description: 'Lagging on the exhaust manifold has come loose at the flange.',
  });
  await page.getByRole('listitem', { name: 'Exhaust lagging loose' }).waitFor({ timeout: 30_000 });

  // Signing out deletes the person's local database.
  const before = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
  assert.ok(before.some((name) => name.startsWith('bosun-sync:')), `databases: ${before.join(', ')}`);
  await (await headerAccount(page)).getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await page.waitForFunction(async () => !(await indexedDB.databases()).some((d) => (d.name ?? '').startsWith('bosun-sync:')));
});
