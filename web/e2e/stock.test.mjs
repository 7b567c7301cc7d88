// @ts-check
/**
 * Stock in a real browser against `bosun serve --demo`: the engineer opens a part of the
 * vessel's stock, records a receipt with the network off (queued, counted at once and marked
 * as on this device), and once back online the server holds the receipt exactly once and the
 * location's balance is the sum of its ledger. The owner sends one of a part from a store of
 * the first ship to a store of another with the network off (the source drops at once), and once
 * online receives it on the other ship's Transfers page; the server holds it received once.
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
  // The part's total on the ship: other tests may have received it into another store too.
  const totalBefore = Number(line.total.value);
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
  await total.getByText(`${totalBefore + 2} pcs`).waitFor();
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
  await total.getByText(`${totalBefore + 2} pcs`).waitFor();
});

const OWNER = 'owner@northwind.example';

test('a transfer sent offline to another ship drops the source at once and is received there once', TIMEOUT, async (t) => {
  const api = await apiAs(OWNER);
  const vessels = (await api('GET', '/api/v1/vessels')).items;
  assert.ok(vessels.length >= 2, 'the demo has more than one ship');
  const [from, to] = vessels;
  const stock = await api('GET', `/api/v1/vessels/${from.id}/stock`);
  const line = stock.lines.find(
    (/** @type {any} */ l) => l.part.unit === 'pcs' && l.balances.some((/** @type {any} */ b) => Number(b.on_hand.value) >= 1),
  );
  assert.ok(line, 'the first ship holds a part in one of its stores');
  const balance = line.balances.find((/** @type {any} */ b) => Number(b.on_hand.value) >= 1);
  const store = stock.locations.find((/** @type {any} */ l) => l.id === balance.location_id);
  const before = Number(balance.on_hand.value);
  const [toStore] = (await api('GET', `/api/v1/vessels/${to.id}/stock`)).locations;
  assert.ok(toStore, 'the other ship has a store');
  const transfersBefore = (await api('GET', `/api/v1/vessels/${to.id}/stock/transfers?limit=200`)).items.map((/** @type {any} */ x) => x.id);

  const page = await openPage(t);
  const context = page.context();
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, OWNER, DEMO_PASSWORD);
  await page.waitForURL('**/vessels');
  await page.locator('.sync-status[data-synced="true"]').waitFor({ timeout: 60_000 });
  await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  await page.goto(`${BASE_URL}/vessels/${from.id}/stock/parts/${line.part.id}`);
  await page.getByRole('heading', { name: 'On hand' }).waitFor();

  // Offline: sent from the store, which drops at once.
  await context.setOffline(true);
  const row = page.getByRole('table', { name: 'On hand by location' }).getByRole('row').filter({ hasText: store.name }).first();
  await row.getByRole('button', { name: /^Send to another location/ }).click();
  const form = page.getByRole('form', { name: 'Send to another location' });
  await form.getByLabel('Vessel it goes to').selectOption(to.id);
  await form.getByLabel('Location it goes to').selectOption(toStore.id);
  await form.getByLabel(/Quantity to send/).fill('1');
  await form.getByRole('button', { name: 'Send' }).click();
  await form.getByRole('status').waitFor();
  await row.getByText(`${before - 1} pcs`).waitFor();
  await expectAccessible(page, t, 'part-stock-transfer');
  await screenshot(page, 'stock-transfer-offline-phone');

  // Online: the transfer reaches the server and is received on the other ship's Transfers page.
  await context.setOffline(false);
  await page.locator('.sync-status[data-synced="true"]').waitFor({ timeout: 60_000 });
  const sent = (await api('GET', `/api/v1/vessels/${to.id}/stock/transfers?in_transit=true&limit=200`)).items.find(
    (/** @type {any} */ x) => !transfersBefore.includes(x.id) && x.part_id === line.part.id && x.from_location_id === store.id,
  );
  assert.ok(sent, 'the server holds the transfer in transit');
  assert.equal(sent.sent.value, '1');
  await page.goto(`${BASE_URL}/vessels/${to.id}/stock/transfers`);
  await page.locator('.sync-status[data-synced="true"]').waitFor({ timeout: 60_000 });
  const coming = page.getByRole('list', { name: `Coming to ${to.name}` });
  await coming.waitFor();
  await expectAccessible(page, t, 'stock-transfers');
  // In transit first, the newest first: this one.
  await coming.getByRole('button', { name: `Receive ${line.part.number} ${line.part.name}` }).first().click();
  const receipt = page.getByRole('form', { name: 'Receive transfer' });
  assert.equal(await receipt.getByLabel(/Quantity that arrived/).inputValue(), '1');
  await receipt.getByRole('button', { name: 'Record receipt' }).click();
  await receipt.waitFor({ state: 'detached' });
  await page.locator('.sync-status[data-synced="true"]').waitFor({ timeout: 60_000 });

  const received = (await api('GET', `/api/v1/vessels/${to.id}/stock/transfers?limit=200`)).items.find(
    (/** @type {any} */ x) => x.id === sent.id,
  );
  assert.equal(received.status, 'received', 'the transfer is received');
  assert.equal(received.received.value, '1');
  assert.equal(received.shortfall.value, '0');
  const entries = (await api('GET', `/api/v1/vessels/${to.id}/stock/entries?part_id=${line.part.id}&limit=200`)).items;
  assert.equal(
    entries.filter((/** @type {any} */ e) => e.movement === 'transfer_in' && e.transfer_id === sent.id).length,
    1,
    'received once',
  );
  const source = (await api('GET', `/api/v1/vessels/${from.id}/stock`)).lines
    .find((/** @type {any} */ l) => l.part.id === line.part.id)
    .balances.find((/** @type {any} */ b) => b.location_id === store.id);
  assert.equal(Number(source.on_hand.value), before - 1, 'the source lost the one sent, once');
});
