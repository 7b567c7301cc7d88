// @ts-check
/**
 * Two devices change the same field while apart, in real browsers against `bosun serve --demo`
 * (issue 11 §6, docs/SYNC.md "Conflicts"): the demo engineer and the manager, both with
 * `fault.manage` on the vessel, each assign the same fault offline (`assign_fault.v1`, a field
 * decided by clock). They come back online one after the other: the server keeps one value and
 * records the other, and the conflict shows in both inboxes with both values. The manager keeps
 * the other value; the server's fault then holds it and the conflict is resolved everywhere.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_URL, apiAs, openPage, screenshot } from './support/browser.mjs';
import { signInAndSync, waitForOutboxDrained, whoIs } from './support/device.mjs';

const TIMEOUT = { timeout: 180_000 };
const ENGINEER = 'engineer@northwind.example';
const MANAGER = 'manager@northwind.example';

test('the same field changed on two offline devices shows in the conflicts inbox with both values, and keeping one side reaches the server', TIMEOUT, async (t) => {
  const engineerApi = await apiAs(ENGINEER);
  const managerApi = await apiAs(MANAGER);
  const [engineer, manager] = [await whoIs(engineerApi), await whoIs(managerApi)];
  const [vessel] = (await engineerApi('GET', '/api/v1/vessels')).items;
  const [item] = (await engineerApi('GET', `/api/v1/equipment/by-vessel/${vessel.id}?view=flat`)).items;
  const fault = await engineerApi('POST', '/api/v1/faults', {
    equipment_id: item.id,
    severity: 'medium',
    title: `Steering pump noisy ${Date.now().toString(36)}`,
    description: 'A whine from the port steering pump at full rudder.',
  });
  const conflictsBefore = (await managerApi('GET', `/api/v1/sync/conflicts?state=open&limit=200`)).items.filter(
    (/** @type {{ row_id: string }} */ c) => c.row_id === fault.id,
  );
  assert.deepEqual(conflictsBefore, []);

  // Two browsers, each with the fault in its replica, then both offline.
  const devices = [
    { who: engineer, page: await openPage(t), email: ENGINEER },
    { who: manager, page: await openPage(t), email: MANAGER },
  ];
  for (const device of devices) {
    await signInAndSync(device.page, device.email);
    await device.page.goto(`${BASE_URL}/faults/${fault.id}`);
    await device.page.getByRole('heading', { level: 1, name: fault.title }).waitFor();
    await device.page.context().setOffline(true);
  }

  // Each assigns the fault to themselves.
  for (const { who, page } of devices) {
    const assign = page.getByRole('form', { name: 'Assign' });
    await assign.getByLabel('Assign to').selectOption({ label: `${who.name} (you)` });
    await assign.getByRole('button', { name: 'Assign' }).click();
    await page.getByRole('list', { name: 'Changes not yet accepted' }).getByText('on this device').waitFor();
  }

  // Online one after the other: each change reaches the server.
  for (const { page } of devices) {
    await page.context().setOffline(false);
    await waitForOutboxDrained(page);
  }

  // The server kept one value and recorded the other.
  const [conflict, ...more] = (await managerApi('GET', `/api/v1/sync/conflicts?state=open&limit=200`)).items.filter(
    (/** @type {{ row_id: string }} */ c) => c.row_id === fault.id,
  );
  assert.ok(conflict, 'the server recorded a conflict on the fault');
  assert.deepEqual(more, [], 'one conflict');
  assert.equal(conflict.field, 'assignee_id');
  assert.deepEqual([conflict.winner, conflict.loser].sort(), [engineer.id, manager.id].sort(), 'both values are kept');
  assert.equal((await engineerApi('GET', `/api/v1/faults/${fault.id}`)).assignee_id, conflict.winner);
  // How each device names the people: the manager reads the people directory, the engineer's
  // role does not (`user.list`), so their device names others only as a shipmate.
  /** @param {{ who: { id: string, name: string }, email: string }} device @param {string} id */
  const shownAs = (device, id) =>
    id === device.who.id ? `${device.who.name} (you)` : device.email === MANAGER ? (id === engineer.id ? engineer.name : manager.name) : 'A shipmate';

  // Both inboxes show it, with both values.
  for (const device of devices) {
    const { page } = device;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Conflicts' }).click();
    const shown = page.getByRole('list', { name: 'Open conflicts' }).getByRole('listitem', { name: 'Fault: Assigned to' });
    await shown.waitFor({ timeout: 30_000 });
    const facts = (await shown.textContent()) ?? '';
    assert.ok(facts.includes(`Stored value${shownAs(device, conflict.winner)}`), facts);
    assert.ok(facts.includes(`Other value${shownAs(device, conflict.loser)}`), facts);
    assert.match((await page.locator('.sync-status').textContent()) ?? '', /\d+ conflicts?/, 'the header counts it');
  }
  const [engineerPage, managerPage] = devices.map((d) => d.page);
  await screenshot(managerPage, 'conflict-inbox-phone');

  // The manager keeps the other value.
  const shown = managerPage.getByRole('list', { name: 'Open conflicts' }).getByRole('listitem', { name: 'Fault: Assigned to' });
  await shown.getByRole('button', { name: 'Keep other value' }).click();
  // The resolution is queued, then accepted (the header's list of changes keeps the latest
  // ones, accepted included), and nothing is left waiting.
  await managerPage
    .locator('.sync-status__changes li', { hasText: 'Resolve conflict: accepted by the server' })
    .waitFor({ state: 'attached', timeout: 60_000 });
  await waitForOutboxDrained(managerPage);
  await managerPage.getByText('No open conflicts.').waitFor();

  const after = await managerApi('GET', `/api/v1/faults/${fault.id}`);
  assert.equal(after.assignee_id, conflict.loser, 'the value kept is the server’s');
  const open = (await managerApi('GET', `/api/v1/sync/conflicts?state=open&limit=200`)).items.filter(
    (/** @type {{ id: string }} */ c) => c.id === conflict.id,
  );
  assert.deepEqual(open, [], 'the conflict is resolved');

  // The other device hears of it and its inbox empties.
  await engineerPage.getByText('No open conflicts.').waitFor({ timeout: 30_000 });
});
