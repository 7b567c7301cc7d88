// @ts-check
/**
 * Photos in a real browser against `bosun serve --demo`. Online: a fault is reported with a
 * photo taken in its third step (a picture drawn in the page, larger than the 1600 px the
 * device sends, so it is resized and goes in several chunks); the fault's page then shows the
 * server's thumbnail, and the server holds one photo, resized. Offline: a photo added on a
 * fault's page shows at once, "on this device" (in the page and the header's list), and still
 * after a reload with no network; back online it is uploaded and attached, and the server holds
 * it exactly once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_URL, DEMO_PASSWORD, apiAs, openPage, screenshot, signIn } from './support/browser.mjs';
import { drawnPicture, photosOf } from './support/device.mjs';

const TIMEOUT = { timeout: 180_000 };
const ENGINEER = 'engineer@northwind.example';

/** @param {import('node:test').TestContext} t */
async function signedIn(t) {
  const page = await openPage(t);
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, ENGINEER, DEMO_PASSWORD);
  await page.waitForURL('**/vessels');
  await page.locator('.sync-status[data-synced="true"]').waitFor({ timeout: 60_000 });
  await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  return page;
}

test('a fault reported with a photo shows the server’s thumbnail, and the server holds the photo resized', TIMEOUT, async (t) => {
  const api = await apiAs(ENGINEER);
  const [vessel] = (await api('GET', '/api/v1/vessels')).items;
  const [item] = (await api('GET', `/api/v1/equipment/by-vessel/${vessel.id}?view=flat`)).items;
  const title = `Cracked sight glass ${Date.now().toString(36)}`;
  const page = await signedIn(t);

  await page.goto(`${BASE_URL}/equipment/${item.id}/report-fault`);
  await page.getByRole('radio', { name: /Medium/ }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('What is wrong?').fill(title);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Step 3 of 3: Photos').waitFor();
  await page.getByLabel('Take a photo').setInputFiles(await drawnPicture(page, 'sight-glass.png'));
  await page.getByRole('img', { name: 'Photo sight-glass.jpg' }).waitFor();
  await page.getByRole('button', { name: 'Report fault' }).click();

  const reported = page.getByRole('list', { name: 'Faults on this item' }).getByRole('listitem', { name: title });
  await reported.getByRole('link', { name: title }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  const photos = page.getByRole('list', { name: 'Photos' });
  // Once uploaded and attached, the thumbnail is the server's.
  await photos.locator('img[data-source="server"]').waitFor({ timeout: 60_000 });
  await photos.locator('img[data-source="device"]').waitFor({ state: 'detached' });
  await screenshot(page, 'fault-photo-phone');

  const [fault] = (await api('GET', `/api/v1/faults/active?equipment_id=${item.id}`)).items.filter(
    (/** @type {{ title: string }} */ f) => f.title === title,
  );
  const held = await photosOf(api, fault.id);
  assert.equal(held.length, 1, 'the server holds one photo');
  assert.equal(held[0].file_name, 'sight-glass.jpg');
  assert.equal(held[0].content_type, 'image/jpeg');
  assert.equal(held[0].kind, 'photo');
  assert.ok(held[0].has_thumbnail);
  assert.ok(held[0].size_bytes > 256 * 1024, `sent in more than one chunk (${held[0].size_bytes} bytes)`);

  // Tapping it opens the full image (fetched with the token).
  await photos.getByRole('button', { name: 'Open photo sight-glass.jpg' }).click();
  const viewer = page.getByRole('dialog', { name: 'sight-glass.jpg' });
  const full = viewer.getByRole('img', { name: 'Photo sight-glass.jpg, full size' });
  await full.waitFor();
  const size = await full.evaluate((img) => [/** @type {HTMLImageElement} */ (img).naturalWidth, /** @type {HTMLImageElement} */ (img).naturalHeight]);
  assert.deepEqual(size, [1600, 1200], 'resized on the device to 1600 px on its longest side');
  await viewer.getByRole('button', { name: 'Close' }).click();
});

test('a photo added offline survives a reload and is attached once back online', TIMEOUT, async (t) => {
  const api = await apiAs(ENGINEER);
  const [vessel] = (await api('GET', '/api/v1/vessels')).items;
  const [item] = (await api('GET', `/api/v1/equipment/by-vessel/${vessel.id}?view=flat`)).items;
  const [fault] = (await api('GET', `/api/v1/faults/active?equipment_id=${item.id}`)).items;
  assert.ok(fault, 'the item has an open fault');
  const before = (await photosOf(api, fault.id)).length;
  const name = `gauge-${Date.now().toString(36)}`;
  const page = await signedIn(t);
  const context = page.context();

  await page.goto(`${BASE_URL}/faults/${fault.id}`);
  await page.getByRole('heading', { level: 1, name: fault.title }).waitFor();
  const picture = await drawnPicture(page, `${name}.png`);
  await context.setOffline(true);
  await page.getByLabel('Add photo').setInputFiles(picture);
  const photos = page.getByRole('list', { name: 'Photos' });
  // The one on this device (the server's, once attached, has the same name).
  const mine = photos.locator(`li:has(img[alt="Photo ${name}.jpg"][data-source="device"])`);
  await mine.getByText('on this device').waitFor();

  // The header lists it with how far it got.
  await page.getByRole('banner').getByText(/1 change waiting/).click();
  await page.getByRole('list', { name: 'Changes on this device' }).getByText(`Photo ${name}.jpg: on this device`).waitFor();
  await screenshot(page, 'photo-offline-phone');

  await page.reload();
  await page.getByRole('heading', { level: 1, name: fault.title }).waitFor();
  await mine.getByText('on this device').waitFor();

  await context.setOffline(false);
  await mine.waitFor({ state: 'detached', timeout: 60_000 });
  await photos.locator(`img[alt="Photo ${name}.jpg"][data-source="server"]`).waitFor({ timeout: 60_000 });
  await page.locator('.sync-status[data-synced="true"]').waitFor();

  const held = (await photosOf(api, fault.id)).filter((p) => p.file_name === `${name}.jpg`);
  assert.equal(held.length, 1, 'the server holds the photo exactly once');
  assert.equal((await photosOf(api, fault.id)).length, before + 1);
});
