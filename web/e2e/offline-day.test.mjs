// @ts-check
/**
 * A working day with the network off, in a real browser against `bosun serve --demo` (issue 11
 * §6): the demo engineer signs in and the first sync fills the replica; offline, they report a
 * fault with a photo, record running hours on the item, comment on a fault already known, move
 * it along, write handover notes and complete the handover. A reload with the network still off
 * keeps every one of them, marked "on this device". Back online the outbox drains and the photo
 * uploads, and the server holds each of them exactly once, in the order they were made (the
 * handover's snapshot, assembled by the server at completion, lists the fault reported before it
 * and the status set before it).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_URL, apiAs, openPage, screenshot } from './support/browser.mjs';
import { drawnPicture, photosOf, readingsOf, signInAndSync, waitForOutboxDrained, whoIs } from './support/device.mjs';

const TIMEOUT = { timeout: 180_000 };
const ENGINEER = 'engineer@northwind.example';

test('a day offline: a report with a photo, running hours, comments, status moves and a handover survive a reload and reach the server exactly once', TIMEOUT, async (t) => {
  const api = await apiAs(ENGINEER);
  const me = await whoIs(api);
  const [vessel] = (await api('GET', '/api/v1/vessels')).items;
  const [item] = (await api('GET', `/api/v1/equipment/by-vessel/${vessel.id}?view=flat`)).items;
  const tag = Date.now().toString(36);
  const readings = await readingsOf(api, item.id);
  const hours = Math.floor(readings.reduce((max, r) => Math.max(max, r.hours), 0)) + 12.5;
  // A fault the engineer's device knows before going offline, to comment on and move along.
  const known = await api('POST', '/api/v1/faults', {
    equipment_id: item.id,
    severity: 'medium',
    title: `Bilge alarm intermittent ${tag}`,
    description: 'The high-level alarm comes and goes with the roll.',
  });
  const typed = {
    report: `Coupling guard cracked, reported offline ${tag}`,
    comment: `Float switch cleaned, alarm still flickers ${tag}`,
    itemNote: `Float switch next on the list ${tag}`,
    notes: `Handover written offline ${tag}: watch the bilge alarm, coupling guard to replace.`,
  };

  const page = await openPage(t);
  const context = page.context();
  await signInAndSync(page, ENGINEER);
  await context.setOffline(true);
  const header = page.getByRole('banner');
  await header.getByRole('status').filter({ hasText: 'Offline' }).waitFor();
  // The changes queued so far: each step adds the mutations it makes.
  let queued = 0;

  // 1. A fault reported on the item (pages open from the worker, data from the replica).
  await page.goto(`${BASE_URL}/equipment/${item.id}`);
  await page.getByRole('link', { name: 'Report a fault' }).click();
  await page.getByRole('heading', { level: 1, name: `Report a fault on ${item.name}` }).waitFor();
  await page.getByRole('radio', { name: /High/ }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('What is wrong?').fill(typed.report);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Step 3 of 3: Photos').waitFor();
  // A photo with it: resized on the device and queued for upload (one change waiting).
  await page.getByLabel('Take a photo').setInputFiles(await drawnPicture(page, 'coupling-guard.png'));
  await page.getByRole('img', { name: 'Photo coupling-guard.jpg' }).waitFor();
  await page.getByRole('button', { name: 'Report fault' }).click();
  const onItem = page.getByRole('list', { name: 'Faults on this item' });
  await onItem.getByRole('listitem', { name: typed.report }).getByText('on this device').waitFor();
  queued += 2; // the report and its photo

  // 1b. Running hours recorded on the item.
  await page.goto(`${BASE_URL}/equipment/${item.id}`);
  const readingForm = page.getByRole('form', { name: 'Record a reading' });
  await readingForm.getByLabel('Hours on the meter').fill(String(hours));
  await readingForm.getByRole('button', { name: 'Record reading' }).click();
  const readingRows = page.getByRole('table', { name: 'Latest readings' }).getByRole('row');
  const readingOnDevice = readingRows.filter({ hasText: 'on this device' });
  await readingOnDevice.waitFor();
  queued += 1;

  // 2. A comment on the known fault, and its status moved along twice.
  await page.goto(`${BASE_URL}/faults/${known.id}`);
  await page.getByRole('heading', { level: 1, name: known.title }).waitFor();
  const commentForm = page.getByRole('form', { name: 'Add a comment' });
  await commentForm.getByLabel('Comment').fill(typed.comment);
  await commentForm.getByRole('button', { name: 'Add comment' }).click();
  const comments = page.getByRole('list', { name: 'Comments' });
  await comments.getByRole('listitem').filter({ hasText: typed.comment }).getByText('on this device').waitFor();
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await page.getByRole('button', { name: 'Mark in progress' }).click();
  const status = page.getByRole('definition').filter({ hasText: 'Open → In progress (on this device)' });
  await status.waitFor();
  queued += 3;

  // 3. Handover notes, on the known fault and for the relief, and the handover completed.
  await page.goto(`${BASE_URL}/handover`);
  await page.waitForURL(`**/vessels/${vessel.id}/handover`);
  const handover = page.getByRole('form', { name: 'Current handover' });
  await handover.getByLabel(`Note on ${known.title}`).fill(typed.itemNote);
  await handover.getByLabel('Notes for your relief').fill(typed.notes);
  const rotationEnd = await handover.getByLabel('Last day of your rotation').inputValue();
  await handover.getByRole('button', { name: 'Complete handover' }).click();
  await handover.getByText('Completion: on this device').waitFor();
  queued += 2; // the notes saved, then the completion
  await screenshot(page, 'offline-day-handover-phone');

  // A reload with the network still off: everything typed is still there, on this device.
  await page.reload();
  await header.getByRole('status').filter({ hasText: 'Offline' }).waitFor();
  await page.locator('.sync-status').filter({ hasText: `Offline · ${queued} changes waiting` }).waitFor();
  await handover.getByText('Completion: on this device').waitFor();
  assert.equal(await handover.getByLabel('Notes for your relief').inputValue(), typed.notes);
  assert.equal(await handover.getByLabel(`Note on ${known.title}`).inputValue(), typed.itemNote);
  await page.goto(`${BASE_URL}/faults/${known.id}`);
  await comments.getByRole('listitem').filter({ hasText: typed.comment }).getByText('on this device').waitFor();
  await status.waitFor();
  await page.goto(`${BASE_URL}/equipment/${item.id}`);
  await readingOnDevice.waitFor();
  // The vessel's faults list the report from the outbox beside the replica's.
  await page.goto(`${BASE_URL}/vessels/${vessel.id}/faults`);
  const onVessel = page.getByRole('list', { name: 'Faults' }).getByRole('listitem', { name: typed.report });
  await onVessel.getByText('on this device').waitFor();

  // Back online: the outbox drains, and the report is the server's.
  await context.setOffline(false);
  await waitForOutboxDrained(page);
  await onVessel.waitFor();
  assert.equal(await onVessel.getByText('on this device').count(), 0);

  // The server holds each of them exactly once.
  const reported = (await api('GET', `/api/v1/faults/active?equipment_id=${item.id}&limit=200`)).items.filter(
    (/** @type {{ title: string }} */ f) => f.title === typed.report,
  );
  assert.equal(reported.length, 1, 'the offline report is held once');
  assert.equal(reported[0].severity, 'high');
  assert.equal(reported[0].reported_by, me.id);
  // Its photo follows the report: uploaded, then attached; the fault's page shows the server's.
  await page.goto(`${BASE_URL}/faults/${reported[0].id}`);
  await page.getByRole('list', { name: 'Photos' }).locator('img[data-source="server"]').waitFor({ timeout: 60_000 });
  const photos = await photosOf(api, reported[0].id);
  assert.equal(photos.length, 1, 'the photo is held once');
  assert.equal(photos[0].file_name, 'coupling-guard.jpg');

  const heldReadings = (await readingsOf(api, item.id)).filter((r) => r.hours === hours);
  assert.equal(heldReadings.length, 1, 'the reading is held once');

  const fault = await api('GET', `/api/v1/faults/${known.id}`);
  assert.equal(fault.status, 'in_progress');
  assert.ok(fault.acknowledged_at, 'the fault was acknowledged on the way');
  const held = fault.comments.filter((/** @type {{ body: string }} */ c) => c.body === typed.comment);
  assert.equal(held.length, 1, 'the comment is held once');

  /** @type {any[]} */
  const completed = [];
  let cursor = null;
  do {
    const pageOf = await api('GET', `/api/v1/handovers/history?vessel_id=${vessel.id}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    for (const h of pageOf.items) {
      if (h.outgoing_user_id !== me.id) continue;
      const detail = await api('GET', `/api/v1/handovers/${h.id}`);
      if (detail.snapshot.notes === typed.notes) completed.push(detail);
    }
    cursor = pageOf.next_cursor ?? null;
  } while (cursor);
  assert.equal(completed.length, 1, 'the handover is completed once');
  const [done] = completed;
  assert.equal(done.rotation_end, rotationEnd);
  assert.equal(done.snapshot.item_notes[`fault:${known.id}`], typed.itemNote);
  // Applied in the order made: the report and the status move came before the completion.
  const snapshotFaults = /** @type {{ id: string, title: string, status: string }[]} */ (done.snapshot.faults);
  assert.equal(snapshotFaults.filter((f) => f.title === typed.report).length, 1, 'the snapshot lists the offline report');
  assert.equal(snapshotFaults.find((f) => f.id === known.id)?.status, 'in_progress');

  // The device shows the completed handover from the server, nothing left on it.
  await page.goto(`${BASE_URL}/handover`);
  const history = page.getByRole('region', { name: 'Handover history' });
  await history.getByRole('listitem').filter({ hasText: 'Your handover' }).first().waitFor();
  assert.equal(await page.getByText('Completion: on this device').count(), 0);
  await screenshot(page, 'offline-day-synced-phone');
});
