// @ts-check
/**
 * Purchasing in real browsers against `bosun serve --demo`, the manager and the engineer each in
 * their own browser, on Northwind Spirit (the engineer's vessel); everything it needs is made
 * here, none of the demo's purchasing rows is relied on:
 *
 * - the manager adds a supplier (its address on two lines); the server holds it;
 * - the engineer requests a catalogue part from a fault's page ("Request part": the fault filled
 *   in), and, with the network off, a part not in the catalogue: shown at once "on this device",
 *   through a reload, and held once by the server when back online;
 * - the manager approves both, makes an order of them with the supplier (its currency taken),
 *   unit prices and the total as the server counts it, and sends it;
 * - the engineer receives part of the catalogue part into a stock location, then the rest of both
 *   lines straight to the job; the part's stock page counts the quantity received, the order
 *   reads "Received", and the manager's "Print / PDF" gives a PDF named after the order.
 *
 * Each screen is checked with axe.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { BASE_URL, apiAs, expectAccessible, openPage, screenshot } from './support/browser.mjs';
import { SYNCED, signInAndSync, waitForOutboxDrained } from './support/device.mjs';

const TIMEOUT = { timeout: 420_000 };
const MANAGER = 'manager@northwind.example';
const ENGINEER = 'engineer@northwind.example';
const VESSEL = 'Northwind Spirit';

/**
 * A regular expression matching `text` as it is.
 * @param {string} text
 */
const literally = (text) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

test('a supplier, requisitions (one offline) approved into an order, sent, received in parts into stock and to the job', TIMEOUT, async (t) => {
  const manager = await apiAs(MANAGER);
  const engineer = await apiAs(ENGINEER);
  const vessel = (await engineer('GET', '/api/v1/vessels')).items.find((/** @type {any} */ v) => v.name === VESSEL);
  assert.ok(vessel, `the engineer reaches ${VESSEL}`);
  const stock = await engineer('GET', `/api/v1/vessels/${vessel.id}/stock`);
  const line = stock.lines.find((/** @type {any} */ l) => l.part.unit === 'pcs');
  assert.ok(line, 'the vessel holds a part counted in pieces');
  const part = line.part;
  const [store] = stock.locations;
  assert.ok(store, 'the vessel has a stock location');
  const onHandBefore = Number(line.total.value);
  const [fault] = (await engineer('GET', `/api/v1/faults/active?vessel_id=${vessel.id}&limit=1`)).items;
  assert.ok(fault, 'the vessel has an open fault');
  const stamp = Date.now().toString(36);
  const supplierName = `Fjord Marine Supply ${stamp}`;
  const unlisted = `Seal kit ${stamp}`;

  // ---- The manager adds a supplier. ----
  const office = await openPage(t);
  await signInAndSync(office, MANAGER);
  await office.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Purchasing' }).click();
  await office.getByRole('heading', { level: 1, name: 'Purchasing' }).waitFor();
  await expectAccessible(office, t, 'purchasing');
  await office.getByRole('link', { name: 'Suppliers' }).click();
  await office.getByRole('heading', { level: 1, name: 'Suppliers' }).waitFor();
  await office.getByRole('link', { name: 'Add supplier' }).click();
  const supplierForm = office.getByRole('form', { name: 'Add supplier' });
  await supplierForm.waitFor();
  await expectAccessible(office, t, 'add supplier');
  await supplierForm.getByLabel('Name', { exact: true }).fill(supplierName);
  await supplierForm.getByLabel('Contact person (optional)').fill('Ingrid Berg');
  await supplierForm.getByLabel('E-mail for orders (optional)').fill('orders@fjord-marine.example');
  await supplierForm.getByLabel('Postal address (optional)').fill('Strandkaien 4\n5013 Bergen');
  await supplierForm.getByLabel('Currency').fill('NOK');
  await supplierForm.getByRole('button', { name: 'Add supplier' }).click();
  await office.getByRole('heading', { level: 1, name: 'Suppliers' }).waitFor();
  await office.getByRole('heading', { level: 2, name: supplierName }).waitFor();
  await waitForOutboxDrained(office);
  await expectAccessible(office, t, 'suppliers');
  const suppliers = (await manager('GET', '/api/v1/suppliers?limit=200')).items;
  const supplier = suppliers.find((/** @type {any} */ s) => s.name === supplierName);
  assert.ok(supplier, 'the server holds the supplier');
  assert.equal(supplier.address, 'Strandkaien 4\n5013 Bergen');
  assert.equal(supplier.currency, 'NOK');

  // ---- The engineer requests a part from a fault's page, and one offline. ----
  const ship = await openPage(t);
  const shipContext = ship.context();
  await signInAndSync(ship, ENGINEER);
  await ship.goto(`${BASE_URL}/faults/${fault.id}`);
  await ship.getByRole('link', { name: 'Request part' }).click();
  let form = ship.getByRole('form', { name: /Request a part/ });
  await form.waitFor();
  await ship.getByText('For the fault it was opened from.').waitFor();
  await expectAccessible(ship, t, 'request a part');
  await form.getByLabel('Find a catalogue part').fill(part.number);
  await form.getByLabel('Part', { exact: true }).selectOption(part.id);
  await form.getByLabel('Quantity').fill('5');
  await form.getByLabel('Note (optional)').fill('For the fault; two spare');
  assert.equal(await form.getByLabel(/Supplier price/).count(), 0, 'an engineer gives no supplier price');
  await form.getByRole('button', { name: 'Request' }).click();
  await ship.waitForURL(/\/requisitions\/[0-9a-f-]{36}$/);
  const catalogueRequisitionId = ship.url().split('/').at(-1) ?? '';
  await ship.getByRole('heading', { level: 1, name: literally(part.name) }).waitFor();
  await waitForOutboxDrained(ship);
  await expectAccessible(ship, t, 'requisition');
  const raised = await engineer('GET', `/api/v1/requisitions/${catalogueRequisitionId}`);
  assert.equal(raised.status, 'requested');
  assert.equal(raised.fault_id, fault.id, 'it serves the fault it was raised from');
  assert.equal(raised.quantity.value, '5');

  await ship.getByRole('link', { name: /Requisitions on/ }).click();
  await ship.getByRole('heading', { level: 1, name: `Requisitions on ${VESSEL}` }).waitFor();
  await expectAccessible(ship, t, 'requisitions');
  await shipContext.setOffline(true);
  await ship.getByRole('link', { name: 'Request a part' }).click();
  form = ship.getByRole('form', { name: /Request a part/ });
  await form.getByLabel('Part', { exact: true }).selectOption('unlisted');
  await form.getByLabel('Name', { exact: true }).fill(unlisted);
  await form.getByLabel('Part number (optional)').fill(`SK-${stamp}`);
  await form.getByLabel('Unit (optional)').fill('set');
  await form.getByLabel('Quantity').fill('2');
  await form.getByRole('button', { name: 'Request' }).click();
  await ship.waitForURL(/\/requisitions\/[0-9a-f-]{36}$/);
  const offlineRequisitionId = ship.url().split('/').at(-1) ?? '';
  await ship.getByRole('heading', { level: 1, name: literally(unlisted) }).waitFor();
  await ship.getByText('on this device').first().waitFor();
  await ship.reload();
  await ship.getByRole('heading', { level: 1, name: literally(unlisted) }).waitFor();
  await ship.getByText('on this device').first().waitFor();
  await screenshot(ship, 'requisition-offline-phone');
  await shipContext.setOffline(false);
  await waitForOutboxDrained(ship);
  const offlineRaised = await engineer('GET', `/api/v1/requisitions/${offlineRequisitionId}`);
  assert.equal(offlineRaised.part_name, unlisted);
  assert.equal(offlineRaised.quantity.value, '2');
  assert.equal(offlineRaised.unit, 'set');
  const mine = (await engineer('GET', `/api/v1/requisitions?vessel_id=${vessel.id}&limit=200`)).items.filter(
    (/** @type {any} */ r) => r.part_name === unlisted,
  );
  assert.equal(mine.length, 1, 'the server holds the offline requisition once');

  // ---- The manager approves both and orders them. ----
  for (const id of [catalogueRequisitionId, offlineRequisitionId]) {
    await office.goto(`${BASE_URL}/requisitions/${id}`);
    await office.getByRole('button', { name: 'Approve' }).waitFor({ timeout: 60_000 });
    await office.getByRole('button', { name: 'Approve' }).click();
    await office.locator('.buy-status', { hasText: 'Approved' }).waitFor();
  }
  await expectAccessible(office, t, 'requisition approved');
  await waitForOutboxDrained(office);
  assert.equal((await manager('GET', `/api/v1/requisitions/${offlineRequisitionId}`)).status, 'approved');

  await office.goto(`${BASE_URL}/vessels/${vessel.id}/purchase-orders`);
  await office.getByRole('link', { name: 'New purchase order' }).click();
  const orderForm = office.getByRole('form', { name: /New purchase order/ });
  await orderForm.waitFor();
  await orderForm.getByLabel('Supplier', { exact: true }).selectOption(supplier.id);
  assert.equal(await orderForm.getByLabel('Currency').inputValue(), 'NOK', 'the order takes the supplier’s currency');
  await orderForm.getByRole('checkbox', { name: literally(part.name) }).check();
  await orderForm.getByRole('checkbox', { name: literally(unlisted) }).check();
  await orderForm.getByLabel(`Unit price of ${part.name} (NOK)`).fill('12.50');
  await orderForm.getByLabel(`Unit price of ${unlisted} (NOK)`).fill('3');
  await orderForm.getByText(/Total: .*68[.,]50/).waitFor();
  await expectAccessible(office, t, 'new purchase order');
  await screenshot(office, 'purchase-order-new-phone');
  await orderForm.getByRole('button', { name: 'Make the order' }).click();
  await office.waitForURL(/\/purchase-orders\/[0-9a-f-]{36}$/);
  const orderId = office.url().split('/').at(-1) ?? '';
  // Numbered once the server has it.
  await office.getByRole('heading', { level: 1, name: /Purchase order PO-\d{6}/ }).waitFor({ timeout: 60_000 });
  await waitForOutboxDrained(office);
  const made = await manager('GET', `/api/v1/purchase-orders/${orderId}`);
  assert.equal(made.status, 'draft');
  assert.equal(made.currency, 'NOK');
  assert.equal(made.supplier_total_minor, 6850, '5 × 12.50 + 2 × 3.00');
  assert.equal(made.lines.length, 2);
  await office.getByRole('button', { name: 'Send' }).click();
  await office.locator('.buy-status', { hasText: 'Sent' }).waitFor();
  await waitForOutboxDrained(office);
  assert.equal((await manager('GET', `/api/v1/purchase-orders/${orderId}`)).status, 'sent');
  await expectAccessible(office, t, 'purchase order sent');

  // ---- The engineer receives 3 into the store, then the rest straight to the job. ----
  await ship.goto(`${BASE_URL}/purchase-orders/${orderId}`);
  await ship.locator('.buy-status', { hasText: 'Sent' }).waitFor({ timeout: 60_000 });
  assert.equal(await ship.getByText('Supplier total').count(), 0, 'an engineer sees no supplier price');
  await ship.getByRole('button', { name: 'Receive' }).click();
  let receive = ship.getByRole('form', { name: 'Receive goods' });
  await receive.waitFor();
  assert.equal(await receive.getByLabel(`${part.name} (pcs)`).inputValue(), '5', 'the outstanding quantity is prefilled');
  await receive.getByLabel('Where the goods go').selectOption(store.id);
  await receive.getByLabel(`${part.name} (pcs)`).fill('3');
  await receive.getByLabel(`${unlisted} (set)`).fill('0');
  await expectAccessible(ship, t, 'receive goods');
  await receive.getByRole('button', { name: 'Record receipt' }).click();
  await ship.getByRole('status').filter({ hasText: 'Received 1 line into' }).waitFor();
  await ship.locator('.buy-status', { hasText: 'Partly received' }).waitFor();
  await waitForOutboxDrained(ship);
  assert.equal((await engineer('GET', `/api/v1/purchase-orders/${orderId}`)).status, 'partially_received');

  await ship.getByRole('button', { name: 'Receive' }).click();
  receive = ship.getByRole('form', { name: 'Receive goods' });
  assert.equal(await receive.getByLabel(`${part.name} (pcs)`).inputValue(), '2');
  assert.equal(await receive.getByLabel(`${unlisted} (set)`).inputValue(), '2');
  await receive.getByRole('button', { name: 'Record receipt' }).click();
  await ship.getByRole('status').filter({ hasText: 'straight to the job' }).waitFor();
  await ship.locator('.buy-status', { hasText: /^Received$/ }).waitFor();
  await waitForOutboxDrained(ship);
  await expectAccessible(ship, t, 'purchase order received');
  await screenshot(ship, 'purchase-order-received-phone');
  const received = await engineer('GET', `/api/v1/purchase-orders/${orderId}`);
  assert.equal(received.status, 'received');
  assert.deepEqual(
    received.receipts.map((/** @type {any} */ r) => r.location_id ?? null),
    [store.id, null],
    'one receipt into the store, one straight to the job',
  );

  // The store holds the 3 received; the part's stock page says so.
  const after = (await engineer('GET', `/api/v1/vessels/${vessel.id}/stock`)).lines.find((/** @type {any} */ l) => l.part.id === part.id);
  const onHandAfter = Number(after.total.value);
  assert.equal(onHandAfter, onHandBefore + 3, 'the server counts the 3 received into stock, not those to the job');
  await ship.goto(`${BASE_URL}/vessels/${vessel.id}/stock/parts/${part.id}`);
  await ship.getByRole('heading', { name: 'On hand' }).waitFor();
  await ship.locator(SYNCED).waitFor({ timeout: 60_000 });
  await ship.getByRole('table').getByRole('row', { name: /Total/ }).getByText(`${onHandAfter} pcs`).waitFor();

  // ---- The manager's order reads "Received" and prints. ----
  await office.goto(`${BASE_URL}/purchase-orders/${orderId}`);
  await office.locator('.buy-status', { hasText: /^Received$/ }).waitFor({ timeout: 60_000 });
  const [download] = await Promise.all([office.waitForEvent('download'), office.getByRole('button', { name: /Print \/ PDF/ }).click()]);
  assert.equal(download.suggestedFilename(), `${made.number}.pdf`);
  const pdfPath = await download.path();
  const bytes = await readFile(pdfPath);
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-', 'the order prints as a PDF');
});
