// @ts-check
/**
 * Equipment in the browser: from a vessel to its equipment tree and an item's page, and a
 * scanned QR label (`/q/{code}`) opening that same page, with and without a session. Runs
 * against `bosun serve --demo` (a few hundred items per vessel, no faults until a test
 * reports one).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_URL, DEMO_PASSWORD, apiAs, expectAccessible, openPage, screenshot, signIn } from './support/browser.mjs';

const TIMEOUT = { timeout: 90_000 };
const ENGINEER = 'engineer@northwind.example';

/**
 * The label code shown on the item's page.
 * @param {import('playwright-core').Page} page
 */
async function shownLabelCode(page) {
  const code = await page.locator('dt', { hasText: 'Label code' }).locator('xpath=following-sibling::dd[1]').textContent();
  return (code ?? '').trim();
}

test('from the vessel to an item, and its QR label opens the same page', TIMEOUT, async (t) => {
  const page = await openPage(t);
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, ENGINEER, DEMO_PASSWORD);
  await page.waitForURL('**/vessels');

  // The engineer's one vessel, and its equipment.
  const vessels = page.getByRole('list', { name: 'Your vessels' });
  await vessels.waitFor();
  await vessels.getByRole('link', { name: /^Equipment of / }).click();
  await page.waitForURL(/\/vessels\/[^/]+\/equipment$/);
  const tree = page.getByRole('list', { name: 'Equipment' });
  await tree.waitFor();
  // The tree opens collapsed: the top level only, each system opening on its button.
  const topLevel = await page.locator('.equipment-tree > li').count();
  assert.ok(topLevel >= 3, `only ${topLevel} items at the top level`);
  assert.equal(await page.locator('.equipment-tree__group').count(), 0);
  await expectAccessible(page, t, 'equipment-list-phone');
  await screenshot(page, 'equipment-list-phone', { fullPage: false });
  const firstToggle = tree.getByRole('button', { name: /^Items under / }).first();
  await firstToggle.click();
  assert.equal(await firstToggle.getAttribute('aria-expanded'), 'true');
  await page.locator('.equipment-tree__group').first().waitFor();

  // Search (on the device), then open the item.
  await page.getByLabel('Search equipment').fill('pump');
  await page.waitForURL(/\?q=pump$/);
  await page.waitForFunction(() => {
    const matches = Array.from(
      document.querySelectorAll('.tree-node:not(.tree-node--context) > .tree-row .tree-row__link'),
      (a) => a.textContent ?? '',
    );
    return matches.length > 0 && matches.every((name) => name.toLowerCase().includes('pump'));
  });
  await expectAccessible(page, t, 'equipment-search-phone');
  await screenshot(page, 'equipment-search-phone', { fullPage: false });
  await page.getByLabel('Search equipment').fill('Main engine 1');
  await page.waitForURL(/\?q=Main\+engine\+1$/);
  await tree.getByRole('link', { name: 'Main engine 1', exact: true }).click();
  await page.waitForURL(/\/equipment\/[0-9a-f-]{36}$/);
  const itemUrl = new URL(page.url()).pathname;
  const itemId = itemUrl.split('/').pop() ?? '';
  await page.getByRole('heading', { level: 1, name: 'Main engine 1' }).waitFor();
  const details = page.getByRole('region', { name: 'Details' });
  await details.getByText('Running hours').waitFor();
  assert.match((await details.textContent()) ?? '', /Running hours[\d,.]+ h/);
  await page.getByRole('table', { name: 'Latest readings' }).waitFor();
  assert.equal(await page.getByText('Down — critical fault open').count(), 0);

  // A critical fault holds the engine down: the page says so at the top.
  const api = await apiAs(ENGINEER);
  await api('POST', '/api/v1/faults', {
    equipment_id: itemId,
    severity: 'critical',
    title: 'Crankcase oil mist alarm',
    description: 'Alarm at 03:10, engine stopped by the safety system.',
  });
  await page.reload();
  await page.getByText('Down — critical fault open').waitFor();
  await page.getByRole('listitem', { name: 'Crankcase oil mist alarm' }).getByText('Critical').waitFor();
  await expectAccessible(page, t, 'equipment-phone');
  await screenshot(page, 'equipment-phone');

  // Its QR label: `/q/{code}` lands on the same page, replacing itself in the history.
  const code = await shownLabelCode(page);
  assert.match(code, /^[0-9A-Z]{10}$/);
  const item = await api('GET', `/api/v1/equipment/${itemId}`);
  assert.equal(item.qr_code, code);
  assert.equal(item.qr_url.endsWith(`/q/${code}`), true, item.qr_url);

  await page.goto(`${BASE_URL}/vessels`);
  await vessels.waitFor();
  await page.goto(`${BASE_URL}/q/${code}`);
  await page.waitForURL(`**${itemUrl}`);
  await page.getByRole('heading', { level: 1, name: 'Main engine 1' }).waitFor();
  await page.goBack();
  await page.waitForURL('**/vessels');

  // Codes are read forgivingly: lower case works too.
  await page.goto(`${BASE_URL}/q/${code.toLowerCase()}`);
  await page.waitForURL(`**${itemUrl}`);

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('heading', { level: 1, name: 'Main engine 1' }).waitFor();
  await expectAccessible(page, t, 'equipment-desktop');
  await screenshot(page, 'equipment-desktop');
});

test('a label scanned without a session opens the item after signing in', TIMEOUT, async (t) => {
  const api = await apiAs(ENGINEER);
  const [vessel] = (await api('GET', '/api/v1/vessels')).items;
  const listing = await api('GET', `/api/v1/equipment/by-vessel/${vessel.id}?view=flat&q=Bow%20thruster`);
  const item = listing.items[0] ?? (await api('GET', `/api/v1/equipment/by-vessel/${vessel.id}?view=flat`)).items[0];
  assert.ok(item, 'the demo vessel has equipment');

  const page = await openPage(t);
  await page.goto(`${BASE_URL}/q/${item.qr_code}`);
  await page.waitForURL('**/login');
  await signIn(page, ENGINEER, DEMO_PASSWORD);
  await page.waitForURL(`**/equipment/${item.id}`);
  await page.getByRole('heading', { level: 1, name: item.name }).waitFor();
});

test('an unknown code says that no equipment has it', TIMEOUT, async (t) => {
  const page = await openPage(t);
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, ENGINEER, DEMO_PASSWORD);
  await page.waitForURL('**/vessels');

  await page.goto(`${BASE_URL}/q/ZZZZZZZZZZ`);
  await page.getByRole('heading', { level: 1, name: 'No equipment with code “ZZZZZZZZZZ”' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/q/ZZZZZZZZZZ');
  await expectAccessible(page, t, 'qr-unknown-phone');
  await screenshot(page, 'qr-unknown-phone');
});
