// @ts-check
/**
 * Shared pieces of the browser tests: a fresh Chromium profile per test (Debian's
 * /usr/bin/chromium driven by playwright-core, never a downloaded browser), the server's
 * address, and the demo accounts.
 */
import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

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

/** The demo company's land site (a project, with plant booked to operators), beside its ships. */
export const NORTHWIND_SITE = 'Fjordbyen quay extension';

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
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
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
 * The header, with its account controls (who is signed in, "Sign out") on screen: on a phone
 * (up to 480 px) they fold into the account menu, which this opens.
 * @param {import('playwright-core').Page} page
 */
export async function headerAccount(page) {
  const header = page.getByRole('banner');
  // Whichever the width shows: the menu's button (a phone) or the sign-out button itself.
  const shown = header.locator('.shell__menu-button:visible, .shell__sign-out:visible').first();
  await shown.waitFor();
  const toggle = header.locator('.shell__menu-button:visible');
  if ((await toggle.count()) > 0 && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await header.locator('.shell__sign-out').waitFor();
  return header;
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
   * @param {unknown} [body] JSON, or a file's bytes (a Buffer) sent as they are
   * @returns {Promise<any>}
   */
  return async (method, path, body) => {
    /** @type {Record<string, string>} */
    const headers = { Authorization: `Bearer ${token}`, 'X-Requested-With': 'bosun' };
    const bytes = body instanceof Uint8Array;
    if (body !== undefined) headers['Content-Type'] = bytes ? 'application/octet-stream' : 'application/json';
    const response = await fetch(`${BASE_URL}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: bytes ? new Uint8Array(body) : JSON.stringify(body) }),
    });
    assert.ok(response.ok, `${method} ${path} answered ${response.status}: ${await response.clone().text()}`);
    return response.status === 204 ? undefined : response.json();
  };
}

/** axe-core's script, read once: injected into the page under test by `expectAccessible`. */
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** @type {Promise<string> | undefined} */
let axeSource;

/** What the checks hold the app to: WCAG 2.0, 2.1 and 2.2, levels A and AA, and axe's best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];

/** Where the minor and moderate findings are written, one JSON line per finding (gitignored). */
export const A11Y_LOG = path.join(ARTIFACTS, 'a11y-findings.jsonl');

/**
 * Checks the page as it is shown now with axe-core: fails the test on any serious or critical
 * violation (rule, help and the elements it found), and writes the minor and moderate ones to
 * `web/e2e/artifacts/a11y-findings.jsonl` and the test's diagnostics.
 *
 * axe goes in through `page.evaluate` of its source (the DevTools protocol), which the page's
 * Content-Security-Policy does not govern: the app under test keeps its CSP for everything it
 * loads itself, so no test needs `bypassCSP`.
 * @param {import('playwright-core').Page} page
 * @param {import('node:test').TestContext} t
 * @param {string} name what is being checked, e.g. "vessels (owner)"
 * @param {{ exclude?: string[] }} [options] selectors axe leaves out
 */
export async function expectAccessible(page, t, name, options = {}) {
  axeSource ??= readFile(AXE_PATH, 'utf8');
  const source = await axeSource;
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(source);
  /** @type {{ id: string, impact: string | null, help: string, helpUrl: string, nodes: { target: unknown[], failureSummary?: string }[] }[]} */
  const violations = await page.evaluate(
    async ({ tags, exclude }) => {
      // window.axe is what the injected script defines.
      const axe = /** @type {any} */ (window).axe;
      const results = await axe.run(
        { exclude: exclude.map((/** @type {string} */ selector) => [selector]) },
        { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] },
      );
      return results.violations.map((/** @type {any} */ v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((/** @type {any} */ n) => ({ target: n.target, failureSummary: n.failureSummary })),
      }));
    },
    { tags: AXE_TAGS, exclude: options.exclude ?? [] },
  );
  const describe = (/** @type {(typeof violations)[number]} */ v) =>
    `${v.impact} ${v.id}: ${v.help}\n${v.nodes
      .slice(0, 8)
      .map((n) => `    ${n.target.join(' ')}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, '\n      ')}` : ''}`)
      .join('\n')}${v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : ''}`;
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = violations.filter((v) => !blocking.includes(v));
  if (minor.length > 0) {
    await mkdir(ARTIFACTS, { recursive: true });
    const url = new URL(page.url()).pathname;
    const lines = minor.map((v) =>
      JSON.stringify({ test: t.name, screen: name, url, rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target) }),
    );
    await appendFile(A11Y_LOG, `${lines.join('\n')}\n`);
    for (const v of minor) t.diagnostic(`a11y ${name}: ${v.impact} ${v.id} (${v.nodes.length})`);
  }
  assert.equal(
    blocking.length,
    0,
    `${name} (${page.url()}): ${blocking.length} serious or critical accessibility violations\n  ${blocking.map(describe).join('\n  ')}`,
  );
}
