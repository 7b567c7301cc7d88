// @ts-check
/**
 * The installable app and its offline start, in a real browser against `bosun serve --demo`:
 * the web app manifest and its icons are served, the service worker keeps the app shell, and
 * a reload with the network off opens the app still signed in (from the session kept on the
 * device, marked Offline); when the network returns, the token is refreshed and pages load.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_URL, DEMO_PASSWORD, NORTHWIND_VESSELS, expectAccessible, headerAccount, openPage, screenshot, shownVesselNames, signIn } from './support/browser.mjs';

const TIMEOUT = { timeout: 120_000 };
const ENGINEER = { email: 'engineer@northwind.example', name: 'Tomasz Nowak' };
const PNG_SIGNATURE = '89504e470d0a1a0a';

test('the web app manifest is served, parses and names installable icons', TIMEOUT, async () => {
  const html = await (await fetch(`${BASE_URL}/`)).text();
  assert.match(html, /<link rel="manifest" href="\/manifest\.webmanifest"/);

  const response = await fetch(`${BASE_URL}/manifest.webmanifest`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /json/);
  const manifest = /** @type {{ name: string, short_name: string, start_url: string, display: string,
   *   theme_color: string, background_color: string,
   *   icons: { src: string, sizes: string, type: string, purpose?: string }[] }} */ (await response.json());
  assert.equal(manifest.name, 'Bosun');
  assert.equal(manifest.short_name, 'Bosun');
  assert.equal(manifest.start_url, '/');
  assert.equal(manifest.display, 'standalone');
  assert.match(manifest.theme_color, /^#[0-9a-f]{6}$/i);
  assert.match(manifest.background_color, /^#[0-9a-f]{6}$/i);
  const sizes = manifest.icons.map((icon) => `${icon.sizes} ${icon.purpose ?? 'any'}`).sort();
  assert.deepEqual(sizes, ['192x192 any', '512x512 any', '512x512 maskable']);

  for (const icon of manifest.icons) {
    const image = await fetch(new URL(icon.src, BASE_URL));
    assert.equal(image.status, 200, icon.src);
    assert.equal(image.headers.get('content-type'), 'image/png', icon.src);
    const bytes = Buffer.from(await image.arrayBuffer());
    assert.equal(bytes.subarray(0, 8).toString('hex'), PNG_SIGNATURE, `${icon.src} is a PNG`);
    // The IHDR chunk's width and height, as the manifest says.
    const [width, height] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
    assert.equal(`${width}x${height}`, icon.sizes, icon.src);
  }

  const worker = await fetch(`${BASE_URL}/sw.js`);
  assert.equal(worker.status, 200);
  assert.match(worker.headers.get('content-type') ?? '', /javascript/);
});

test('a reload with the network off opens the app signed in, and it carries on once back online', TIMEOUT, async (t) => {
  const page = await openPage(t);
  const context = page.context();
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, ENGINEER.email, DEMO_PASSWORD);
  assert.ok((await shownVesselNames(page)).length > 0, 'the engineer sees vessels');

  // The worker has installed (the app shell is precached) and is active.
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(scope, `${BASE_URL}/`);

  // The first sync has completed: the vessels are in the local replica.
  await page.locator('.sync-status[data-synced="true"]').waitFor();
  await context.setOffline(true);
  await page.reload();

  const header = page.getByRole('banner');
  await header.getByRole('status').filter({ hasText: 'Offline' }).waitFor();
  assert.match((await header.textContent()) ?? '', new RegExp(ENGINEER.name));
  assert.match((await header.textContent()) ?? '', /Northwind Offshore/);
  assert.equal(new URL(page.url()).pathname, '/vessels');
  const offlineShown = await shownVesselNames(page);
  assert.ok(offlineShown.length > 0, 'the vessels show offline, from the replica');
  await expectAccessible(page, t, 'offline-reload-phone');
  await screenshot(page, 'offline-reload-phone');

  // Another page of the app opens offline too: every chunk is in the shell.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Your account' }).click();
  await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Vessels' }).click();

  await context.setOffline(false);
  await header.getByRole('status').filter({ hasText: 'Offline' }).waitFor({ state: 'detached' });
  const shown = await shownVesselNames(page);
  assert.ok(shown.every((name) => NORTHWIND_VESSELS.includes(name)), `vessels after reconnecting: ${shown.join(', ')}`);
  assert.ok(shown.length > 0);
  // The refreshed session works for everything: another page loads from the server.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Your account' }).click();
  await page.getByRole('list', { name: 'Sessions' }).waitFor();
});

test('signing out offline forgets the person on this device, and ends the session once back online', TIMEOUT, async (t) => {
  const page = await openPage(t);
  const context = page.context();
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, ENGINEER.email, DEMO_PASSWORD);
  await shownVesselNames(page);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });

  await context.setOffline(true);
  await page.reload();
  const header = page.getByRole('banner');
  await header.getByRole('status').filter({ hasText: 'Offline' }).waitFor();
  await (await headerAccount(page)).getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/login');
  const kept = await page.evaluate(() => Object.keys(localStorage).sort());
  assert.deepEqual(kept, ['bosun.last-company', 'bosun.pending-logout'], 'nobody is kept signed in on the device');

  const logout = page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/logout'));
  await context.setOffline(false);
  assert.equal((await logout).status(), 204);

  // The refresh cookie no longer opens a session.
  await page.reload();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage)), ['bosun.last-company']);
});

test('the service worker never answers for /api: an API path offline is a network error, not the app', TIMEOUT, async (t) => {
  const page = await openPage(t);
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.context().setOffline(true);
  const status = await page.evaluate(async () => {
    try {
      const response = await fetch('/api/v1/companies/northwind');
      return `answered ${response.status}`;
    } catch {
      return 'network error';
    }
  });
  assert.equal(status, 'network error');
});
