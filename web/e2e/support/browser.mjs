// @ts-check
/**
 * Shared pieces of the browser tests: a fresh Chromium profile per test (Debian's
 * /usr/bin/chromium driven by playwright-core, never a downloaded browser), the server's
 * address, and the demo accounts.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** Where the server under test answers, e.g. http://127.0.0.1:4123 (set by scripts/e2e.sh). */
export const BASE_URL = (() => {
  const value = process.env.BASE_URL;
  if (!value) throw new Error('BASE_URL is not set; run the browser tests through scripts/e2e.sh');
  return value.replace(/\/$/, '');
})();

/** Screenshots go here (gitignored). */
export const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');

/** The password of every demo account (`bosun serve --demo`). */
export const DEMO_PASSWORD = 'bosun-demo-2026';

/** The demo company's vessels. */
export const NORTHWIND_VESSELS = ['Northwind Atlas', 'Northwind Spirit', 'Northwind Tern'];

/** A phone-sized viewport: crews use phones. */
export const PHONE = { width: 390, height: 844 };

/**
 * Opens Chromium with a profile of its own and returns a page. Everything is closed and
 * removed when the test ends. Errors thrown in the page fail the test.
 * @param {import('node:test').TestContext} t
 * @param {{ viewport?: { width: number, height: number } }} [options]
 */
export async function openPage(t, options = {}) {
  const profile = await mkdtemp(path.join(tmpdir(), 'bosun-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
    viewport: options.viewport ?? PHONE,
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  /** @type {string[]} */
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  t.after(async () => {
    await context.close();
    await rm(profile, { recursive: true, force: true });
    assert.deepEqual(pageErrors, [], 'the page threw errors');
  });
  return page;
}

/**
 * Fills in and submits the sign-in form of the page shown.
 * @param {import('playwright-core').Page} page
 * @param {string} email
 * @param {string} password
 */
export async function signIn(page, email, password) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * The vessel names shown on the vessels page, sorted.
 * @param {import('playwright-core').Page} page
 */
export async function shownVesselNames(page) {
  const list = page.getByRole('list', { name: 'Your vessels' });
  await list.waitFor();
  const names = await list.getByRole('listitem').getByRole('heading').allTextContents();
  return names.map((name) => name.trim()).sort();
}

/**
 * Saves a screenshot to web/e2e/artifacts/<name>.png: the whole page, or with
 * `{ fullPage: false }` what the screen shows (for long lists).
 * @param {import('playwright-core').Page} page
 * @param {string} name
 * @param {{ fullPage?: boolean }} [options]
 */
export async function screenshot(page, name, options = {}) {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: options.fullPage ?? true });
}

/**
 * `#rrggbb` or `#rgb` as the `rgb(r, g, b)` that getComputedStyle reports.
 * @param {string} hex
 */
export function hexToRgb(hex) {
  const digits = hex.replace('#', '');
  const full = digits.length === 3 ? digits.replace(/./g, '$&$&') : digits;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

/**
 * Signs in through the API (not the page) and returns a function that calls `/api/v1` as that
 * person: for arranging what a test then looks at in the browser.
 * @param {string} email
 */
export async function apiAs(email) {
  const login = await fetch(`${BASE_URL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'bosun' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD, company: 'northwind' }),
  });
  assert.equal(login.status, 200, `signing in as ${email}`);
  const { access_token: token } = /** @type {{ access_token: string }} */ (await login.json());
  /**
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   * @returns {Promise<any>}
   */
  return async (method, path, body) => {
    /** @type {Record<string, string>} */
    const headers = { Authorization: `Bearer ${token}`, 'X-Requested-With': 'bosun' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${BASE_URL}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    assert.ok(response.ok, `${method} ${path} answered ${response.status}: ${await response.clone().text()}`);
    return response.status === 204 ? undefined : response.json();
  };
}
