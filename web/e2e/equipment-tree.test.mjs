// @ts-check
/**
 * The equipment tree, running hours and scanning, in a real browser against `bosun serve --demo`:
 * an item found through the tree's search; a running-hour reading recorded with the network
 * off (queued in the outbox, shown "on this device") that reaches the server exactly once when
 * the network returns; a photo of an item's QR label, decoded by the bundled zxing-wasm
 * under the app's CSP, opening the item; and an item's documents opened (or kept) online that
 * still open after a reload with the network off, beside a photo seen once that opens to its
 * kept preview, all gone once the person signs out.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import QRCode from 'qrcode';
import { BASE_URL, DEMO_PASSWORD, apiAs, headerAccount, openPage, screenshot, signIn } from './support/browser.mjs';
import { deviceData, readingsOf, signInAndSync } from './support/device.mjs';

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

test('documents opened or kept online open after a reload with the network off, and go at sign-out', TIMEOUT, async (t) => {
  const api = await apiAs(ENGINEER);
  const [vessel] = (await api('GET', '/api/v1/vessels')).items;
  const [item] = (await api('GET', `/api/v1/equipment/by-vessel/${vessel.id}?view=flat&limit=5`)).items;
  const tag = Date.now().toString(36);
  const attach = async (/** @type {string} */ name, /** @type {Buffer} */ bytes) =>
    api('POST', `/api/v1/attachments?parent_kind=equipment&parent_id=${item.id}&file_name=${encodeURIComponent(name)}`, bytes);
  // The demo fleet has no documents: three are attached here (a PDF is judged by its first bytes).
  const opened = { name: `Pump manual ${tag}.pdf`, bytes: Buffer.from(`%PDF-1.4\n% Bosun browser test ${tag}\n%%EOF\n`) };
  const chosen = { name: `Wiring notes ${tag}.txt`, bytes: Buffer.from(`Terminal X1: 24 V supply (${tag})\n`) };
  const never = { name: `Class certificate ${tag}.txt`, bytes: Buffer.from(`Certificate ${tag}\n`) };
  for (const d of [opened, chosen, never]) assert.equal((await attach(d.name, d.bytes)).kind, 'document');
  const photo = await attach(`Gauge ${tag}.png`, await QRCode.toBuffer(`gauge ${tag}`, { type: 'png', width: 320 }));
  assert.equal(photo.kind, 'photo');

  const page = await openPage(t);
  const context = page.context();
  await signInAndSync(page, ENGINEER);
  await page.goto(`${BASE_URL}/equipment/${item.id}`);
  await page.getByRole('heading', { level: 1, name: item.name }).waitFor();
  const documents = page.getByRole('list', { name: 'Documents' });
  const row = (/** @type {{ name: string }} */ d) => documents.getByRole('listitem').filter({ hasText: d.name });
  /** The bytes a document's Download button saves. */
  const downloaded = async (/** @type {{ name: string }} */ d) => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row(d).getByRole('button', { name: `Download ${d.name}` }).click(),
    ]);
    assert.equal(download.suggestedFilename(), d.name);
    return readFile(await download.path());
  };

  // Online: one document downloaded, one chosen with "Keep offline"; the photo's thumbnail shown (and kept).
  assert.deepEqual(await downloaded(opened), opened.bytes);
  await row(opened).getByText(/^On this device · \d+ B$/).waitFor();
  await row(chosen).getByRole('button', { name: `Keep offline ${chosen.name}` }).click();
  await row(chosen).getByText(/^On this device · \d+ B · kept offline$/).waitFor();
  const photos = page.getByRole('list', { name: 'Photos' });
  await photos.getByRole('img', { name: `Photo ${photo.file_name}` }).waitFor();

  // Offline, and the page reloaded: what was kept is still there.
  await context.setOffline(true);
  await page.reload();
  await page.getByRole('heading', { level: 1, name: item.name }).waitFor();
  await page.getByText('Offline: documents on this device open; the others need the connection.').waitFor();
  await row(opened).getByText('On this device', { exact: false }).waitFor();
  await row(never).getByText('Needs the connection: not kept on this device.').waitFor();
  assert.equal(await row(never).getByRole('button', { name: `Download ${never.name}` }).isDisabled(), true);
  assert.deepEqual(await downloaded(opened), opened.bytes);
  assert.deepEqual(await downloaded(chosen), chosen.bytes);
  await screenshot(page, 'documents-offline-phone');

  // The photo seen once opens to its kept preview, saying the full photo needs the connection.
  await photos.getByRole('button', { name: `Open photo ${photo.file_name}` }).click();
  const viewer = page.getByRole('dialog', { name: photo.file_name });
  await viewer.getByRole('status').filter({ hasText: 'The full photo needs the connection' }).waitFor();
  const preview = viewer.getByRole('img', { name: `Photo ${photo.file_name}, preview` });
  await preview.waitFor();
  // decode() settles once the image has loaded, and rejects for a broken one.
  const width = await preview.evaluate(async (element) => {
    const img = /** @type {HTMLImageElement} */ (element);
    await img.decode();
    return img.naturalWidth;
  });
  assert.ok(width > 0, 'the preview is an image, not a broken one');
  await viewer.getByRole('button', { name: 'Close' }).click();

  const kept = await deviceData(page);
  assert.equal(kept.databases.length, 1);
  assert.deepEqual(
    (kept.databases[0]?.stores.documents ?? []).map((/** @type {any} */ d) => d.fileName).sort(),
    [opened.name, chosen.name].sort(),
    'the documents kept on the device',
  );

  // Signing out deletes the person's database, documents with it.
  await context.setOffline(false);
  await (await headerAccount(page)).getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await page.waitForFunction(async () => !(await indexedDB.databases()).some((d) => (d.name ?? '').toLowerCase().startsWith('bosun')));
});
