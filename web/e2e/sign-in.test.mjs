// @ts-check
/**
 * Company sign-in and the person's vessels, in a real browser against `bosun serve --demo`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BASE_URL,
  DEMO_PASSWORD,
  NORTHWIND_SITE,
  NORTHWIND_VESSELS,
  expectAccessible,
  headerAccount,
  hexToRgb,
  openPage,
  screenshot,
  shownVesselNames,
  signIn,
} from './support/browser.mjs';

const TIMEOUT = { timeout: 90_000 };

test('the sign-in page shows the company branding for ?company=northwind', TIMEOUT, async (t) => {
  const response = await fetch(`${BASE_URL}/api/v1/companies/northwind`);
  assert.equal(response.status, 200);
  const company = /** @type {{ branding: { display_name: string, primary_color: string } }} */ (
    await response.json()
  );
  assert.equal(company.branding.display_name, 'Northwind Offshore');

  const page = await openPage(t);
  await page.goto(`${BASE_URL}/login?company=northwind`);

  await page.getByRole('heading', { level: 1, name: 'Northwind Offshore' }).waitFor();
  const headerColour = await page
    .locator('.login__header')
    .evaluate((element) => getComputedStyle(element).backgroundColor);
  assert.equal(headerColour, hexToRgb(company.branding.primary_color));
  assert.equal(await page.getByLabel('Password').getAttribute('type'), 'password');
  await expectAccessible(page, t, 'login-phone');
  await screenshot(page, 'login-phone');
});

test('an unknown company is said plainly and the form stays usable', TIMEOUT, async (t) => {
  const page = await openPage(t);
  await page.goto(`${BASE_URL}/login?company=no-such-company`);
  await page.getByText('We don’t know a company called “no-such-company”').waitFor();
  assert.ok(await page.getByRole('button', { name: 'Sign in' }).isEnabled());
});

test('a wrong password shows an error', TIMEOUT, async (t) => {
  const page = await openPage(t);
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, 'viewer@northwind.example', 'not-the-password');

  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match((await alert.textContent()) ?? '', /Email or password is wrong/);
  assert.equal(new URL(page.url()).pathname, '/login');
  await expectAccessible(page, t, 'login-wrong-password-phone');
  await screenshot(page, 'login-wrong-password-phone');
});

test('repeated wrong passwords are slowed down, and the wait is shown', TIMEOUT, async (t) => {
  const page = await openPage(t);
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await page.getByLabel('Email').fill('crew@northwind.example');

  /** @type {string | undefined} */
  let retryAfter;
  for (let attempt = 0; attempt < 12 && retryAfter === undefined; attempt += 1) {
    await page.getByLabel('Password').fill(`wrong-${attempt}`);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    if (response.status() === 429) retryAfter = response.headers()['retry-after'] ?? '';
    else assert.equal(response.status(), 401);
  }
  assert.ok(retryAfter, 'the server never answered 429 with Retry-After');
  const alert = page.getByRole('alert');
  await alert.getByText(`Too many attempts, try again in ${retryAfter} s.`).waitFor();
});

test('the engineer sees exactly their vessel', TIMEOUT, async (t) => {
  const page = await openPage(t);
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, 'engineer@northwind.example', DEMO_PASSWORD);
  await page.waitForURL('**/vessels');

  const names = await shownVesselNames(page);
  assert.equal(names.length, 1, `the engineer is a member of one vessel, but sees ${names.join(', ')}`);
  assert.ok(NORTHWIND_VESSELS.includes(names[0] ?? ''), `unexpected vessel ${names[0]}`);
  await (await headerAccount(page)).getByText('Engineer', { exact: true }).waitFor();
});

test('the owner sees every vessel and the land site, and a reload keeps the session', TIMEOUT, async (t) => {
  const page = await openPage(t);
  await page.goto(`${BASE_URL}/?company=northwind`);
  await page.waitForURL('**/login?company=northwind');
  const loginAnswer = page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/login'));
  await signIn(page, 'owner@northwind.example', DEMO_PASSWORD);
  const { access_token: accessToken } = /** @type {{ access_token: string }} */ (await (await loginAnswer).json());
  await page.waitForURL('**/vessels');

  assert.deepEqual(await shownVesselNames(page), [...NORTHWIND_VESSELS, NORTHWIND_SITE].sort());
  const header = page.getByRole('banner');
  await header.getByText('Northwind Offshore').waitFor();
  await (await headerAccount(page)).getByText('Owner', { exact: true }).waitFor();
  await header.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.getByRole('listitem', { name: 'Northwind Spirit' }).getByText('9074729').waitFor();
  await expectAccessible(page, t, 'vessels-phone');
  await screenshot(page, 'vessels-phone');

  // The access token lives in memory only: stored are the company slug and who signed in
  // (to open offline), never a token.
  const stored = await page.evaluate(() => ({
    local: Object.keys(localStorage).sort(),
    session: Object.keys(sessionStorage),
    text: Object.keys(localStorage)
      .map((key) => localStorage.getItem(key))
      .join('\n'),
  }));
  assert.deepEqual({ local: stored.local, session: stored.session }, {
    local: ['bosun.last-company', 'bosun.session'],
    session: [],
  });
  assert.ok(stored.text.includes('Northwind'), 'the company is kept');
  assert.ok(!stored.text.includes(accessToken), 'the access token is not kept');
  assert.ok(!stored.text.includes(DEMO_PASSWORD), 'the password is not kept');

  await page.reload();
  assert.deepEqual(await shownVesselNames(page), [...NORTHWIND_VESSELS, NORTHWIND_SITE].sort());
  assert.equal(new URL(page.url()).pathname, '/vessels');

  await page.setViewportSize({ width: 1280, height: 800 });
  await expectAccessible(page, t, 'vessels-desktop');
  await screenshot(page, 'vessels-desktop');
});

test('signing out returns to the sign-in page, and a reload stays signed out', TIMEOUT, async (t) => {
  const page = await openPage(t);
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, 'manager@northwind.example', DEMO_PASSWORD);
  await page.waitForURL('**/vessels');
  await shownVesselNames(page);

  await (await headerAccount(page)).getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/login');
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  // The sign-in page still knows the company from the last visit.
  await page.getByRole('heading', { level: 1, name: 'Northwind Offshore' }).waitFor();

  await page.reload();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/login');

  await page.goto(`${BASE_URL}/vessels`);
  await page.waitForURL('**/login');
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
});
