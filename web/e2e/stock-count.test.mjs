// @ts-check
/**
 * A stock count imported from CSV in a real browser against `bosun serve --demo`, on a 360 px
 * phone: the engineer downloads the ship's stock ("Download CSV"), changes one part's `on_hand`
 * at one location and imports the file through the stock page's "Import count": the check shows
 * 1 to set and the rest unchanged (or skipped), with the line's on hand before → after; the
 * import posts the difference as an adjustment ("Stock count (CSV import)"), importing the same
 * file again changes nothing, and the stock page shows the new figure once it has synced.
 * Offline the page says it needs the connection. The count is put back afterwards.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { BASE_URL, DEMO_PASSWORD, apiAs, expectAccessible, openPage, screenshot, signIn } from './support/browser.mjs';

const TIMEOUT = { timeout: 180_000 };
const ENGINEER = 'engineer@northwind.example';
const SMALL_PHONE = { width: 360, height: 780 };
const HEADER = 'number,name,unit,location,on_hand,total,incoming,minimum,reorder,suggested_reorder';

/**
 * `POST /api/v1/vessels/{id}/stock/import` as `email`, the file sent as text/csv.
 * @param {string} email
 * @param {string} vesselId
 * @param {string} csv
 * @param {boolean} dryRun
 * @returns {Promise<{ status: number, body: any }>}
 */
async function importCountAs(email, vesselId, csv, dryRun) {
  const login = await fetch(`${BASE_URL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'bosun' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD, company: 'northwind' }),
  });
  const { access_token: token } = /** @type {{ access_token: string }} */ (await login.json());
  const response = await fetch(`${BASE_URL}/api/v1/vessels/${vesselId}/stock/import?dry_run=${dryRun}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'X-Requested-With': 'bosun', 'Content-Type': 'text/csv' },
    body: csv,
  });
  return { status: response.status, body: await response.json() };
}

/**
 * Nothing spills sideways at the phone's width.
 * @param {import('playwright-core').Page} page
 */
async function assertNoSidewaysScroll(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= SMALL_PHONE.width, `the page is ${width} px wide at ${SMALL_PHONE.width} px`);
}

test('the engineer counts one part differently and imports the stock export back', TIMEOUT, async (t) => {
  const api = await apiAs(ENGINEER);
  const [vessel] = (await api('GET', '/api/v1/vessels')).items;

  const page = await openPage(t, { viewport: SMALL_PHONE });
  const context = page.context();
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, ENGINEER, DEMO_PASSWORD);
  await page.waitForURL('**/vessels');
  await page.locator('.sync-status[data-synced="true"]').waitFor({ timeout: 60_000 });

  // The ship's stock as the app downloads it.
  await page.goto(`${BASE_URL}/vessels/${vessel.id}/stock`);
  const list = page.getByRole('list', { name: 'Stock', exact: true });
  await list.waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: `Download CSV of the stock on ${vessel.name}` }).click(),
  ]);
  const exported = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
  const lines = exported.split(/\r?\n/).filter((line) => line !== '');
  assert.equal(lines[0], HEADER);
  const rows = lines.length - 1;
  const skipped = lines.slice(1).filter((line) => /^[^,]*,[^,]*,[^,]*,,,/.test(line)).length;

  // One line's count changed: a part in pieces held at one location (a plain line, no quotes).
  const index = lines.findIndex((line, i) => {
    if (i === 0 || line.includes('"')) return false;
    const cells = line.split(',');
    return cells[2] === 'pcs' && cells[3] !== '' && /^\d+$/.test(cells[4] ?? '') && Number(cells[4]) < 900;
  });
  assert.ok(index > 0, 'the ship holds a part in pieces at a location');
  const [number = '', name = '', , location = '', onHand = ''] = lines[index]?.split(',') ?? [];
  const before = Number(onHand);
  const counted = before + 3;
  const edited = lines.map((line, i) => {
    if (i !== index) return line;
    const cells = line.split(',');
    cells[4] = String(counted);
    return cells.join(',');
  });
  const csv = `${edited.join('\n')}\n`;
  t.after(async () => {
    // The count put back: the original export imported (each row sets its on hand).
    const { status } = await importCountAs(ENGINEER, vessel.id, `${lines.join('\n')}\n`, false);
    assert.equal(status, 201, 'the original count is put back');
  });

  await page.getByRole('link', { name: `Import count into the stock on ${vessel.name}` }).click();
  await page.waitForURL(`**/vessels/${vessel.id}/stock/import`);
  await page.getByRole('heading', { level: 1, name: 'Import a stock count' }).waitFor();
  await page.getByText('The file is this vessel’s stock export', { exact: false }).waitFor();

  // Offline it says the import needs the connection, and offers no file.
  await context.setOffline(true);
  await page.getByText('Importing a stock count needs a connection to the server.', { exact: false }).waitFor();
  assert.equal(await page.getByLabel('CSV file').count(), 0);
  await context.setOffline(false);

  await page.getByLabel('CSV file').setInputFiles({ name: 'stock.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Check the file' }).click();
  const check = page.getByRole('region', { name: 'Check of the file' });
  await check
    .getByText(`All ${rows} rows are right: 1 to set, ${rows - 1 - skipped} unchanged, ${skipped} skipped. Nothing is written yet.`)
    .waitFor();
  assert.deepEqual(await check.getByRole('definition').allTextContents(), ['1', String(rows - 1 - skipped), String(skipped)]);
  const table = check.getByRole('table', { name: 'On-hand figures the import sets' });
  await table.getByText(`${before} pcs → ${counted} pcs`).waitFor();
  assert.deepEqual(
    (await table.getByRole('row').allTextContents()).slice(1),
    [`${index + 1}${number} ${name}${location}${before} pcs → ${counted} pcs`],
  );
  await assertNoSidewaysScroll(page);
  await expectAccessible(page, t, 'stock-count-check-phone');
  await screenshot(page, 'stock-count-check-phone');
  // Nothing is written by the check.
  const partOf = async () => {
    const stock = await api('GET', `/api/v1/vessels/${vessel.id}/stock`);
    return stock.lines.find((/** @type {any} */ l) => l.part.number === number);
  };
  const stock = await api('GET', `/api/v1/vessels/${vessel.id}/stock`);
  const place = stock.locations.find((/** @type {any} */ l) => l.name === location);
  assert.ok(place, `the ship has a stock location called ${location}`);
  const held = await partOf();
  const where = held.balances.find((/** @type {any} */ b) => b.location_id === place.id);
  assert.equal(Number(where?.on_hand.value), before, 'the server still holds the count before');

  await page.getByRole('button', { name: 'Import 1 count' }).click();
  const imported = page.getByRole('region', { name: 'Imported' });
  await imported.getByText(`${rows} rows imported: 1 set, ${rows - 1 - skipped} unchanged, ${skipped} skipped.`).waitFor();
  await assertNoSidewaysScroll(page);
  await expectAccessible(page, t, 'stock-count-done-phone');
  await screenshot(page, 'stock-count-done-phone');

  // The server holds the count, as one adjustment of the difference.
  const after = await partOf();
  const balance = after.balances.find((/** @type {any} */ b) => b.location_id === where.location_id);
  assert.equal(Number(balance.on_hand.value), counted);
  const [latest] = (await api('GET', `/api/v1/vessels/${vessel.id}/stock/entries?part_id=${after.part.id}&limit=1`)).items;
  assert.equal(latest.reason, 'Stock count (CSV import)');
  assert.equal(Number(latest.delta.value), 3);
  // The same file again changes nothing.
  const again = await importCountAs(ENGINEER, vessel.id, csv, true);
  assert.equal(again.status, 200);
  assert.equal(again.body.set, 0, 'importing the same count again sets nothing');

  // The stock page shows the new figure once the adjustment has synced.
  await page.goto(`${BASE_URL}/vessels/${vessel.id}/stock?q=${encodeURIComponent(number)}`);
  const item = page.getByRole('list', { name: 'Stock', exact: true }).getByRole('listitem', { name: `${number} ${name}` });
  await item.getByRole('list', { name: 'By location' }).getByText(`${counted} pcs`).waitFor({ timeout: 60_000 });
  await expectAccessible(page, t, 'stock-after-count-phone');
  await screenshot(page, 'stock-after-count-phone');
});
