// @ts-check
/**
 * The equipment tree, running hours and scanning, in a real browser against `bosun serve --demo`:
 * an item found through the tree's search; a running-hour reading recorded with the network
 * off (queued in the outbox, shown "on this device") that reaches the server exactly once when
 * the network returns; and a photo of an item's QR label, decoded by the bundled zxing-wasm
 * under the app's CSP, opening the item.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import QRCode from 'qrcode';
import { BASE_URL, DEMO_PASSWORD, apiAs, openPage, screenshot, signIn } from './support/browser.mjs';
import { readingsOf } from './support/device.mjs';

const TIMEOUT = { timeout: 150_000 };
const ENGINEER = 'engineer@northwind.example';

test('an item found in the tree takes a reading offline, which the server holds once back online', TIMEOUT, async (t) => {
  const api = await apiAs(ENGINEER);
  const [vessel] = (await api('GET', '/api/v1/vessels')).items;
  const items = (await api('GET', `/api/v1/equipment/by-vessel/${vessel.id}?view=flat&limit=200`)).items;
  // A component deep in the tree, found by its serial number when it has one.
  const item =
    items.find((/** @type {any} */ i) => i.level === 'component' && i.serial_number && i.status !== 'decommissioned') ??
    items.find((/** @type {any} */ i) => i.level !== 'system' && i.status !== 'decommissioned');
  assert.ok(item, 'the demo vessel has equipment under its systems');
  const before = await readingsOf(api, item.id);
  const last = before.reduce((max, r) => (r.read_at > max.read_at ? r : max), { hours: 0, read_at: '' });
  const hours = Math.floor(last.hours) + 17.5;

  const page = await openPage(t);
  const context = page.context();
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, ENGINEER, DEMO_PASSWORD);
  await page.waitForURL('**/vessels');
  await page.locator('.sync-status[data-synced="true"]').waitFor({ timeout: 60_000 });
  await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);

  // The tree, searched on the device: the match shows under the items above it.
  await page.goto(`${BASE_URL}/vessels/${vessel.id}/equipment`);
  const tree = page.getByRole('list', { name: 'Equipment' });
  await tree.waitFor();
  const needle = item.serial_number ?? item.name;
  await page.getByLabel('Search equipment').fill(needle);
  await page.waitForURL(/\?q=/);
  const link = tree.getByRole('link', { name: item.name, exact: true }).first();
  await link.waitFor();
  // Nested under its parent's group, not at the top.
  assert.equal(await page.locator('.equipment-tree__group .tree-row__link', { hasText: item.name }).count() > 0, true);
  await screenshot(page, 'equipment-tree-search-phone', { fullPage: false });
  await link.click();
  await page.waitForURL(`**/equipment/${item.id}`);
  await page.getByRole('heading', { level: 1, name: item.name }).waitFor();
  const form = page.getByRole('form', { name: 'Record a reading' });
  await form.waitFor();
  await page.locator('.sync-status[data-synced="true"]').waitFor();

  // Offline: the reading is queued and shown at once.
  await context.setOffline(true);
  await form.getByLabel('Hours on the meter').fill(String(hours));
  await form.getByRole('button', { name: 'Record reading' }).click();
  await form.getByRole('status').filter({ hasText: 'recorded' }).waitFor();
  const table = page.getByRole('table', { name: 'Latest readings' });
  const queued = table.getByRole('row').filter({ hasText: 'on this device' });
  await queued.waitFor();
  await screenshot(page, 'reading-recorded-offline-phone');

  // Back online: the outbox drains, the reading comes back from the server as a replica row.
  await context.setOffline(false);
  await queued.waitFor({ state: 'detached', timeout: 60_000 });
  await page.locator('.sync-status[data-synced="true"]').waitFor();

  const after = await readingsOf(api, item.id);
  const held = after.filter((r) => r.hours === hours);
  assert.equal(held.length, 1, 'the server holds the reading once');
  assert.equal(after.length, before.length + 1);
});

test('a photo of an item’s QR label opens the item', TIMEOUT, async (t) => {
  const api = await apiAs(ENGINEER);
  const [vessel] = (await api('GET', '/api/v1/vessels')).items;
  const [item] = (await api('GET', `/api/v1/equipment/by-vessel/${vessel.id}?view=flat&limit=5`)).items;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bosun-qr-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const photo = path.join(dir, 'label.png');
  // What the label encodes (`{public_url}/q/{code}`), drawn as a PNG as a phone camera would keep it.
  await QRCode.toFile(photo, item.qr_url, { type: 'png', width: 480, margin: 4 });

  const page = await openPage(t);
  /** @type {string[]} */
  const refused = [];
  page.on('console', (message) => {
    if (/Content Security Policy|wasm/i.test(message.text())) refused.push(message.text());
  });
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, ENGINEER, DEMO_PASSWORD);
  await page.waitForURL('**/vessels');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Scan' }).click();
  await page.getByRole('heading', { level: 1, name: 'Scan a label' }).waitFor();
  await page.getByLabel('Scan from a photo').setInputFiles(photo);
  await page.waitForURL(`**/equipment/${item.id}`, { timeout: 30_000 });
  await page.getByRole('heading', { level: 1, name: item.name }).waitFor();
  assert.deepEqual(refused, []);

  // Something that is not a Bosun label says so.
  const other = path.join(dir, 'other.png');
  await QRCode.toFile(other, 'https://example.com/products/42', { type: 'png', width: 480, margin: 4 });
  await page.goto(`${BASE_URL}/scan`);
  await page.getByLabel('Scan from a photo').setInputFiles(other);
  await page.getByRole('alert').filter({ hasText: 'Not a Bosun label' }).waitFor();
  await screenshot(page, 'scan-not-a-label-phone');
});
