// @ts-check
/**
 * What the offline browser tests do and look at on the device: signing in until the first sync
 * has filled the replica and the service worker keeps the app shell (only then may a test go
 * offline), waiting for the outbox to drain as the header's sync state shows it, and reading
 * everything the browser keeps for the site (IndexedDB, Web Storage, Cache Storage) from inside
 * the page.
 */
import assert from 'node:assert/strict';
import { BASE_URL, DEMO_PASSWORD, signIn } from './browser.mjs';

/** The header's sync state once it has synced with nothing waiting. */
export const SYNCED = '.sync-status[data-synced="true"]';

/**
 * Opens the sign-in page, signs in as a demo person and waits until the first sync has completed
 * and the service worker is active (a reload with the network off needs it).
 * @param {import('playwright-core').Page} page
 * @param {string} email
 */
export async function signInAndSync(page, email) {
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, email, DEMO_PASSWORD);
  await page.waitForURL((url) => url.pathname !== '/login');
  await page.locator(SYNCED).waitFor({ timeout: 60_000 });
  await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
}

/**
 * Waits until the header says every change on this device has reached the server and none was
 * refused: online, not syncing, nothing waiting.
 * @param {import('playwright-core').Page} page
 */
export async function waitForOutboxDrained(page) {
  // The sentence, not only the attribute: both must say nothing is waiting.
  await page.locator(SYNCED).filter({ hasNotText: /waiting/ }).waitFor({ timeout: 60_000 });
  const said = (await page.locator('.sync-status').textContent()) ?? '';
  assert.doesNotMatch(said, /refused|waiting/, `the sync state: ${said}`);
  return said;
}

/**
 * @typedef {{
 *   databases: { name: string, stores: Record<string, unknown[]> }[],
 *   otherDatabases: string[],
 *   localStorage: Record<string, string>,
 *   sessionStorage: Record<string, string>,
 *   caches: Record<string, string[]>,
 * }} DeviceData
 */

/**
 * Everything the site keeps in the browser: each Bosun IndexedDB database (`bosun…`) with every
 * record of every store, the names of the others, Web Storage, and the URLs in Cache Storage.
 * Only databases the browser lists are opened (opening a missing one would create it), and each
 * is closed again, so a later deletion is never blocked by the test.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<DeviceData>}
 */
export async function deviceData(page) {
  return page.evaluate(async () => {
    /** @param {IDBRequest} request */
    const done = (request) =>
      new Promise((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const names = (await indexedDB.databases()).map((d) => d.name ?? '');
    const databases = [];
    for (const name of names.filter((n) => n.toLowerCase().startsWith('bosun'))) {
      const db = /** @type {IDBDatabase} */ (await done(indexedDB.open(name)));
      /** @type {Record<string, unknown[]>} */
      const stores = {};
      for (const store of Array.from(db.objectStoreNames)) {
        stores[store] = /** @type {unknown[]} */ (await done(db.transaction(store).objectStore(store).getAll()));
      }
      db.close();
      databases.push({ name, stores });
    }
    /** @param {Storage} storage */
    const entries = (storage) => Object.fromEntries(Object.keys(storage).map((k) => [k, storage.getItem(k) ?? '']));
    /** @type {Record<string, string[]>} */
    const cached = {};
    for (const name of await caches.keys()) {
      cached[name] = (await (await caches.open(name)).keys()).map((request) => request.url);
    }
    return {
      databases,
      otherDatabases: names.filter((n) => !n.toLowerCase().startsWith('bosun')),
      localStorage: entries(localStorage),
      sessionStorage: entries(sessionStorage),
      caches: cached,
    };
  });
}

/**
 * The `/api/v1/me` of a person, through the API.
 * @param {(method: string, path: string, body?: unknown) => Promise<any>} api
 * @returns {Promise<{ id: string, email: string, name: string, company: { id: string } }>}
 */
export async function whoIs(api) {
  return api('GET', '/api/v1/me');
}

/**
 * A noisy 2400×1800 picture drawn in the page, as a PNG (noise: the resized JPEG stays over
 * 256 KiB, so it goes in more than one chunk).
 * @param {import('playwright-core').Page} page
 * @param {string} name
 */
export async function drawnPicture(page, name) {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(2400, 1800);
    const context = /** @type {OffscreenCanvasRenderingContext2D} */ (canvas.getContext('2d'));
    const pixels = context.createImageData(2400, 1800);
    let seed = 42;
    for (let i = 0; i < pixels.data.length; i += 4) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      pixels.data[i] = seed & 0xff;
      pixels.data[i + 1] = (seed >> 8) & 0xff;
      pixels.data[i + 2] = (i / 4 / 2400 / 1800) * 255;
      pixels.data[i + 3] = 255;
    }
    context.putImageData(pixels, 0, 0);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  });
  return { name, mimeType: 'image/png', buffer: Buffer.from(base64, 'base64') };
}

/**
 * The photos the server holds on a fault.
 * @param {(method: string, path: string) => Promise<any>} api
 * @param {string} faultId
 * @returns {Promise<{ id: string, file_name: string, kind: string, content_type: string, size_bytes: number, has_thumbnail: boolean }[]>}
 */
export async function photosOf(api, faultId) {
  return (await api('GET', `/api/v1/attachments?parent_kind=fault&parent_id=${faultId}`)).items;
}

/**
 * Every reading of an item the server holds.
 * @param {(method: string, path: string, body?: unknown) => Promise<any>} api
 * @param {string} id
 * @returns {Promise<{ id: string, hours: number, read_at: string }[]>}
 */
export async function readingsOf(api, id) {
  /** @type {{ id: string, hours: number, read_at: string }[]} */
  const all = [];
  let cursor = '';
  for (let i = 0; i < 50; i += 1) {
    const page = await api('GET', `/api/v1/equipment/${id}/readings?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    all.push(...page.items);
    if (!page.next_cursor) break;
    cursor = encodeURIComponent(page.next_cursor);
  }
  return all;
}
