// @ts-check
/**
 * Stock in a real browser against `bosun serve --demo`: the engineer opens a part of the
 * vessel's stock, records a receipt with the network off (queued, counted at once and marked
 * as on this device), and once back online the server holds the receipt exactly once and the
 * location's balance is the sum of its ledger.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_URL, DEMO_PASSWORD, apiAs, expectAccessible, openPage, screenshot, signIn } from './support/browser.mjs';

const TIMEOUT = { timeout: 150_000 };
const ENGINEER = 'engineer@northwind.example';

test('a receipt recorded offline counts at once and reaches the server once', TIMEOUT, async (t) => {
  const api = await apiAs(ENGINEER);
  const [vessel] = (await api('GET', '/api/v1/vessels')).items;
  const stock = await api('GET', `/api/v1/vessels/${vessel.id}/stock`);
  const line = stock.lines.find((/** @type {any} */ l) => l.part.unit === 'pcs' && l.balances.length > 0);
  assert.ok(line, 'the demo vessel holds parts in its stores');
  const store = stock.locations.find((/** @type {any} */ l) => l.id === line.balances[0].location_id);
  const before = Number(line.balances[0].on_hand.value);
  const entriesBefore = (await api('GET', `/api/v1/vessels/${vessel.id}/stock/entries?part_id=${line.part.id}&limit=200`)).items.length;

  const page = await openPage(t);
  const context = page.context();
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, ENGINEER, DEMO_PASSWORD);
  await page.waitForURL('**/vessels');
  await page.locator('.sync-status[data-synced="true"]').waitFor({ timeout: 60_000 });
  await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);

  await page.goto(`${BASE_URL}/vessels/${vessel.id}/stock`);
  const list = page.getByRole('list', { name: 'Stock', exact: true });
  await list.waitFor();
  await list.getByRole('link', { name: line.part.name }).first().click();
  await page.waitForURL(`**/stock/parts/${line.part.id}`);
  await page.getByRole('heading', { name: 'On hand' }).waitFor();
  await expectAccessible(page, t, 'part-stock');

  // Offline: the receipt is kept on the device and counted at once.
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Receive' }).click();
  const form = page.getByRole('form', { name: 'Receive' });
  await form.getByLabel('Location').selectOption(store.id);
  await form.getByLabel(/Quantity received/).fill('2');
  await form.getByRole('button', { name: 'Record receipt' }).click();
  await form.getByRole('status').waitFor();
  const total = page.getByRole('table').getByRole('row', { name: /Total/ });
  await total.getByText(`${before + 2} pcs`).waitFor();
  await screenshot(page, 'stock-receipt-offline-phone');

  // Back online: the outbox drains once.
  await context.setOffline(false);
  await page.locator('.sync-status[data-synced="true"]').waitFor({ timeout: 60_000 });
  const after = await api('GET', `/api/v1/vessels/${vessel.id}/stock`);
  const now = after.lines.find((/** @type {any} */ l) => l.part.id === line.part.id);
  const balance = now.balances.find((/** @type {any} */ b) => b.location_id === store.id);
  assert.equal(Number(balance.on_hand.value), before + 2, 'the server counts the receipt once');
  const entries = (await api('GET', `/api/v1/vessels/${vessel.id}/stock/entries?part_id=${line.part.id}&limit=200`)).items;
  assert.equal(entries.length, entriesBefore + 1, 'one ledger entry more');
  await total.getByText(`${before + 2} pcs`).waitFor();
});
