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
  await page.locator(SYNCED).waitFor({ timeout: 60_000 });
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
