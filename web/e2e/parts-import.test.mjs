// @ts-check
/**
 * The parts catalogue imported from CSV in a real browser against `bosun serve --demo`, on a
 * 360 px phone: the manager downloads the catalogue ("Download CSV"), changes one part's name
 * and adds a part, and imports the file through the catalogue's "Import CSV": the check shows
 * 1 new, 1 changed and the rest unchanged, the import writes them, and the new part reaches the
 * catalogue by sync. A file with bad rows shows its problems by line, offers no import and
 * writes nothing. Offline the page says it needs the connection. The changed part's name is
 * put back afterwards.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { BASE_URL, DEMO_PASSWORD, apiAs, expectAccessible, openPage, screenshot, signIn } from './support/browser.mjs';

const TIMEOUT = { timeout: 180_000 };
const MANAGER = 'manager@northwind.example';
const SMALL_PHONE = { width: 360, height: 780 };
const HEADER = 'number,name,maker,unit,critical,equivalents';

/**
 * Every part of the catalogue, through the API.
 * @param {(method: string, path: string, body?: unknown) => Promise<any>} api
 * @returns {Promise<any[]>}
 */
async function allParts(api) {
  const parts = [];
  let cursor = null;
  do {
    const page = await api('GET', `/api/v1/parts?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    parts.push(...page.items);
    cursor = page.next_cursor ?? null;
  } while (cursor);
  return parts;
}

/**
 * Nothing spills sideways at the phone's width.
 * @param {import('playwright-core').Page} page
 */
async function assertNoSidewaysScroll(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= SMALL_PHONE.width, `the page is ${width} px wide at ${SMALL_PHONE.width} px`);
}

test('a manager imports the catalogue from its own CSV with one part changed and one added', TIMEOUT, async (t) => {
  const api = await apiAs(MANAGER);
  const before = await allParts(api);
  assert.ok(before.length >= 2, 'the demo has a catalogue');
  const newNumber = `E2E-IMP-${Date.now().toString(36).toUpperCase()}`;
  const newName = 'Sea water pump impeller kit (imported)';

  const page = await openPage(t, { viewport: SMALL_PHONE });
  const context = page.context();
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, MANAGER, DEMO_PASSWORD);
  await page.waitForURL('**/vessels');
  await page.locator('.sync-status[data-synced="true"]').waitFor({ timeout: 60_000 });

  // The catalogue as the app downloads it.
  await page.goto(`${BASE_URL}/catalogue`);
  await page.getByRole('list', { name: 'Parts' }).waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV of the catalogue' }).click(),
  ]);
  const exported = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
  const lines = exported.split(/\r?\n/).filter((line) => line !== '');
  assert.equal(lines[0], HEADER);
  assert.equal(lines.length - 1, before.length, 'the export holds every part');

  // One part's name changed (one whose line has no quoted cell), one part added.
  const changed = before.find((p) => {
    const line = lines.find((l) => l.startsWith(`${p.number},`));
    return line !== undefined && !line.includes('"') && !p.name.includes(',');
  });
  assert.ok(changed, 'a part with a plain line');
  t.after(async () => {
    const now = await api('GET', `/api/v1/parts/${changed.id}`);
    await api('PUT', `/api/v1/parts/${changed.id}`, {
      number: now.number,
      name: changed.name,
      maker: now.maker ?? null,
      unit: now.unit,
      critical: now.critical,
      equivalents: now.equivalents,
      version: now.version,
    });
  });
  const newPartName = `${changed.name} (rev. B)`;
  const edited = lines.map((line) => {
    if (!line.startsWith(`${changed.number},`)) return line;
    const cells = line.split(',');
    cells[1] = newPartName;
    return cells.join(',');
  });
  const csv = `${[...edited, `${newNumber},${newName},Jabsco,pcs,no,${changed.number}`].join('\n')}\n`;
  const changedLine = edited.findIndex((line) => line.startsWith(`${changed.number},`)) + 1;
  const newLine = edited.length + 1;

  await page.getByRole('link', { name: 'Import CSV into the catalogue' }).click();
  await page.waitForURL('**/catalogue/import');
  await page.getByRole('heading', { level: 1, name: 'Import parts' }).waitFor();

  // Offline it says the import needs the connection, and offers no file.
  await context.setOffline(true);
  await page.getByText('Importing the catalogue needs a connection to the server.', { exact: false }).waitFor();
  assert.equal(await page.getByLabel('CSV file').count(), 0);
  await context.setOffline(false);

  const file = page.getByLabel('CSV file');
  await file.setInputFiles({ name: 'parts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Check the file' }).click();
  const check = page.getByRole('region', { name: 'Check of the file' });
  await check.getByText(`All ${before.length + 1} rows are right: 1 new part, 1 changed, ${before.length - 1} unchanged.`, { exact: false }).waitFor();
  assert.deepEqual(await check.getByRole('definition').allTextContents(), ['1', '1', String(before.length - 1)]);
  const rows = check.getByRole('table', { name: 'Parts the import adds or changes' }).getByRole('row');
  assert.deepEqual(
    (await rows.allTextContents()).slice(1).sort(),
    [`${changedLine}${changed.number}Changed`, `${newLine}${newNumber}New part`].sort(),
  );
  await assertNoSidewaysScroll(page);
  await expectAccessible(page, t, 'parts-import-check-phone');
  await screenshot(page, 'parts-import-check-phone');
  // Nothing is written by the check.
  assert.equal((await allParts(api)).length, before.length);

  await page.getByRole('button', { name: 'Import 2 parts' }).click();
  const imported = page.getByRole('region', { name: 'Imported' });
  await imported.getByText(`${before.length + 1} rows imported: 1 new part, 1 changed, ${before.length - 1} unchanged.`).waitFor();
  await assertNoSidewaysScroll(page);
  await expectAccessible(page, t, 'parts-import-done-phone');
  await screenshot(page, 'parts-import-done-phone');

  const after = await allParts(api);
  assert.equal(after.length, before.length + 1);
  const added = after.find((p) => p.number === newNumber);
  assert.ok(added, 'the server holds the new part');
  assert.equal(added.name, newName);
  assert.deepEqual(added.equivalents, [changed.id]);
  assert.equal(after.find((p) => p.id === changed.id)?.name, newPartName);

  // The new part reaches the catalogue on this device by sync.
  await imported.getByRole('link', { name: newNumber }).click();
  await page.waitForURL(/\/catalogue\?q=/);
  await page.getByRole('list', { name: 'Parts' }).getByRole('heading', { name: `${newNumber} ${newName}` }).waitFor({ timeout: 60_000 });
  await page.goto(`${BASE_URL}/catalogue?q=${encodeURIComponent(changed.number)}`);
  await page.getByRole('list', { name: 'Parts' }).getByRole('heading', { name: `${changed.number} ${newPartName}` }).waitFor({ timeout: 60_000 });
});

test('a file with bad rows shows its problems by line and imports nothing', TIMEOUT, async (t) => {
  const api = await apiAs(MANAGER);
  const before = await allParts(api);
  const bad = [
    HEADER,
    'E2E-BAD-1,Bilge pump diaphragm,,pcs,maybe,',
    'E2E-BAD-2,,,pcs,no,',
    'E2E-BAD-3,Bilge pump valve,,pcs,no,NO-SUCH-PART-9',
    // A good row: written only with the others, so not at all.
    'E2E-BAD-4,Bilge pump float switch,,pcs,no,',
  ].join('\n');

  const page = await openPage(t, { viewport: SMALL_PHONE });
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, MANAGER, DEMO_PASSWORD);
  await page.waitForURL('**/vessels');
  await page.goto(`${BASE_URL}/catalogue/import`);
  await page.getByLabel('CSV file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(`${bad}\n`) });
  await page.getByRole('button', { name: 'Check the file' }).click();

  const problems = page.getByRole('table', { name: 'Problems, row by row' });
  await problems.waitFor();
  await page.getByText('3 of 4 rows have problems; nothing was written.').waitFor();
  // Each bad row: its line, the line as it reads, and each column's problem.
  const rows = await problems
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('th, td, li'), (cell) => cell.textContent ?? '')));
  assert.equal(rows.length, 3, JSON.stringify(rows));
  const [critical, name, equivalents] = rows;
  assert.deepEqual(critical?.slice(0, 2), ['2', 'E2E-BAD-1,Bilge pump diaphragm,,pcs,maybe,']);
  assert.match(critical?.[3] ?? '', /^critical: .*maybe/);
  assert.deepEqual(name?.slice(0, 2), ['3', 'E2E-BAD-2,,,pcs,no,']);
  assert.match(name?.[3] ?? '', /^name: /);
  assert.deepEqual(equivalents?.slice(0, 2), ['4', 'E2E-BAD-3,Bilge pump valve,,pcs,no,NO-SUCH-PART-9']);
  assert.match(equivalents?.[3] ?? '', /^equivalents: .*NO-SUCH-PART-9/);
  await page.getByText('Nothing is imported until every row is right: fix the file and check it again.').waitFor();
  assert.equal(await page.getByRole('button', { name: /^Import/ }).count(), 0);
  await assertNoSidewaysScroll(page);
  await expectAccessible(page, t, 'parts-import-problems-phone');
  await screenshot(page, 'parts-import-problems-phone');

  const after = await allParts(api);
  assert.equal(after.length, before.length, 'the catalogue is as it was');
  assert.ok(!after.some((p) => p.number.startsWith('E2E-BAD-')), 'no part of the bad file was written');
});
