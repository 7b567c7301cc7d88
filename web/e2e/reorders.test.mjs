// @ts-check
/**
 * Reordering low stock in a real browser against `bosun serve --demo`, on a phone: the engineer
 * opens the demo ship's stock page, finds a low line (one the server suggests reordering, its
 * part not yet asked for on the vessel) and, with the network off, presses "Request reorder": the
 * line reads "Requested" at once. Back online the server holds exactly one requisition for the
 * part on the vessel, with the suggested quantity and the note "Reorder: below minimum"; after a
 * reload the line still reads "Requested" and offers no second reorder.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_URL, PHONE, apiAs, expectAccessible, openPage, screenshot } from './support/browser.mjs';
import { signInAndSync, waitForOutboxDrained } from './support/device.mjs';

const TIMEOUT = { timeout: 240_000 };
const ENGINEER = 'engineer@northwind.example';
const VESSEL = 'Northwind Spirit';
const NOTE = 'Reorder: below minimum';
const OPEN = new Set(['requested', 'approved', 'ordered', 'partially_received']);

/**
 * A regular expression matching `text` as it is.
 * @param {string} text
 */
const literally = (text) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

test('the engineer requests a reorder of a low part from the ship’s stock page', TIMEOUT, async (t) => {
  const engineer = await apiAs(ENGINEER);
  const vessel = (await engineer('GET', '/api/v1/vessels')).items.find((/** @type {any} */ v) => v.name === VESSEL);
  assert.ok(vessel, `the engineer reaches ${VESSEL}`);
  const stock = await engineer('GET', `/api/v1/vessels/${vessel.id}/stock`);
  const before = (await engineer('GET', `/api/v1/requisitions?vessel_id=${vessel.id}&limit=200`)).items;
  const asked = new Set(before.filter((/** @type {any} */ r) => OPEN.has(r.status) && r.part_id).map((/** @type {any} */ r) => r.part_id));
  const line = stock.lines.find((/** @type {any} */ l) => l.suggested_reorder && !asked.has(l.part.id));
  assert.ok(line, `${VESSEL} has a low part not yet requested`);
  const part = line.part;

  const page = await openPage(t, { viewport: PHONE });
  await signInAndSync(page, ENGINEER);
  await page.goto(`${BASE_URL}/vessels/${vessel.id}/stock`);
  await page.getByRole('heading', { level: 1, name: `Stock on ${VESSEL}` }).waitFor();
  const item = page.getByRole('list', { name: 'Stock' }).getByRole('listitem', { name: new RegExp(`^${literally(`${part.number} ${part.name}`).source}$`) });
  await item.waitFor();
  await item.getByText('Low', { exact: true }).waitFor();
  await page.getByRole('button', { name: /^Request all reorders \(\d+\)$/ }).waitFor();
  await expectAccessible(page, t, 'stock with reorders');

  // Offline: the reorder goes into the outbox and the line reads "Requested" at once.
  await page.context().setOffline(true);
  await item.getByRole('button', { name: `Request reorder of ${part.name}` }).click();
  await item.getByText('Requested', { exact: true }).waitFor();
  assert.equal(await item.getByRole('button', { name: /Request reorder/ }).count(), 0);
  await screenshot(page, 'reorder-requested');
  await page.context().setOffline(false);
  await waitForOutboxDrained(page);

  const after = (await engineer('GET', `/api/v1/requisitions?vessel_id=${vessel.id}&limit=200`)).items;
  const raised = after.filter((/** @type {any} */ r) => r.part_id === part.id && r.note === NOTE && OPEN.has(r.status));
  assert.equal(raised.length, 1, 'the server holds one reorder for the part');
  assert.equal(raised[0].status, 'requested');
  assert.equal(raised[0].vessel_id, vessel.id);
  assert.equal(raised[0].quantity.milli, line.suggested_reorder.milli, 'the suggested quantity');

  // From the replica after a reload: still requested, never offered twice.
  await page.reload();
  const again = page.getByRole('list', { name: 'Stock' }).getByRole('listitem', { name: new RegExp(`^${literally(`${part.number} ${part.name}`).source}$`) });
  await again.getByText('Requested', { exact: true }).waitFor();
  assert.equal(await again.getByRole('button', { name: /Request reorder/ }).count(), 0);
});
