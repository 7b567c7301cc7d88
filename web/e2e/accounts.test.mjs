// @ts-check
/**
 * Accounts in a real browser against `bosun serve --demo`: an admin invites a person who
 * accepts the link on another device, and a person sets up a second factor, then signs in with
 * a code and with a recovery code.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { BASE_URL, DEMO_PASSWORD, apiAs, expectAccessible, headerAccount, openPage, screenshot, signIn } from './support/browser.mjs';
import { totpCode, totpStep } from './support/totp.mjs';

const TIMEOUT = { timeout: 120_000 };

/** An address no demo person has, new each run. */
function newEmail(/** @type {string} */ who) {
  return `${who}-${randomUUID().slice(0, 8)}@e2e.example`;
}

/**
 * The page address of an invitation link. The server builds links from its `public_url`, which
 * is not the address this test server listens on; the token after `#` is what matters.
 * @param {string} acceptUrl
 */
function invitePath(acceptUrl) {
  const url = new URL(acceptUrl);
  assert.equal(url.pathname, '/invite', `an invitation link opens /invite: ${acceptUrl}`);
  assert.ok(url.hash.length > 1, `an invitation link carries its token after #: ${acceptUrl}`);
  return `${BASE_URL}/invite${url.hash}`;
}

test('an admin invites a person, who accepts on their own device with a new password', TIMEOUT, async (t) => {
  const email = newEmail('ivy');
  const admin = await openPage(t);
  await admin.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(admin, 'admin@northwind.example', DEMO_PASSWORD);
  await admin.waitForURL('**/vessels');

  await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
  await admin.waitForURL('**/people');
  const form = admin.getByRole('form', { name: 'Invite someone' });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Name').fill('Ivy Invitee');
  await form.getByLabel('Role').selectOption('crew');
  await form.getByLabel('Trade (optional)').selectOption('deck');
  await form.getByRole('button', { name: 'Invite' }).click();

  const link = admin.getByLabel('Invitation link');
  await link.waitFor();
  const acceptUrl = await link.inputValue();
  // The demo sends no e-mail: the page says to hand the link over.
  await admin.getByText('The link was not e-mailed').waitFor();
  await admin.getByRole('list', { name: 'Open invitations' }).getByRole('listitem', { name: 'Ivy Invitee' }).waitFor();
  await expectAccessible(admin, t, 'people-invited-phone');
  await screenshot(admin, 'people-invited-phone');

  // The invited person's phone: another browser, no session.
  const invitee = await openPage(t);
  await invitee.goto(invitePath(acceptUrl));
  await invitee.getByRole('heading', { level: 1, name: 'Northwind Offshore' }).waitFor();
  await invitee.getByRole('heading', { name: 'Join Northwind Offshore on Bosun' }).waitFor();
  await invitee.getByText(email, { exact: true }).waitFor();
  await expectAccessible(invitee, t, 'invite-phone');
  await screenshot(invitee, 'invite-phone');
  await invitee.getByLabel('Password', { exact: true }).fill('ivy-on-deck-2026');
  await invitee.getByRole('button', { name: 'Accept invitation' }).click();

  await invitee.waitForURL('**/vessels');
  const header = await headerAccount(invitee);
  await header.getByText('Ivy Invitee').waitFor();
  await header.getByText('Crew', { exact: true }).waitFor();

  // The link works once.
  await invitee.goto(invitePath(acceptUrl));
  await invitee.getByRole('heading', { name: 'This invitation is no longer valid' }).waitFor();

  // The admin sees the new person among the company's people.
  await admin.reload();
  await admin.getByRole('list', { name: 'People' }).getByRole('listitem', { name: 'Ivy Invitee' }).waitFor();
  assert.equal(
    await admin.getByRole('list', { name: 'Open invitations' }).getByRole('listitem', { name: 'Ivy Invitee' }).count(),
    0,
  );
});

test('a person sets up a second factor, then signs in with a code and with a recovery code', TIMEOUT, async (t) => {
  // A login of its own, so the demo's people stay as they are for the other tests.
  const email = newEmail('tess');
  const password = 'tess-totp-2026';
  const asAdmin = await apiAs('admin@northwind.example');
  /** @type {{ accept_url: string }} */
  const invited = await asAdmin('POST', '/api/v1/invitations', { email, name: 'Tess Totp', role: 'engineer' });
  const accepted = await fetch(`${BASE_URL}/api/v1/invitations/accept`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'bosun' },
    body: JSON.stringify({ token: new URL(invited.accept_url).hash.slice(1), password }),
  });
  assert.equal(accepted.status, 200, await accepted.clone().text());

  const page = await openPage(t);
  await page.goto(`${BASE_URL}/login?company=northwind`);
  await signIn(page, email, password);
  await page.waitForURL('**/vessels');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Your account' }).click();
  await page.waitForURL('**/account');

  await page.getByRole('button', { name: 'Set up a second factor' }).click();
  await page.getByRole('img', { name: 'QR code to scan with your authenticator app' }).waitFor();
  const secret = (await page.getByLabel('Key to type in instead').inputValue()).replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{16,}$/);
  await expectAccessible(page, t, 'second-factor-setup-phone');
  await screenshot(page, 'second-factor-setup-phone');
  const enrolledStep = totpStep();
  await page.getByLabel('Code from your authenticator app').fill(totpCode(secret, enrolledStep));
  await page.getByRole('button', { name: 'Turn on' }).click();

  const list = page.getByRole('list', { name: 'Recovery codes' });
  await list.waitFor();
  const recoveryCodes = (await list.getByRole('listitem').allTextContents()).map((c) => c.trim());
  assert.equal(recoveryCodes.length, 10);
  assert.match(recoveryCodes[0] ?? '', /^[A-Z0-9]{5}-[A-Z0-9]{5}$/);
  await expectAccessible(page, t, 'recovery-codes-phone');
  await screenshot(page, 'recovery-codes-phone');
  await page.getByLabel('I have saved these codes somewhere safe').check();
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByText('10 recovery codes left.').waitFor();

  // Sign out, and in again: the password, then a code. A code is accepted once per 30-second
  // step, so this one is the next step's (the server allows one step of skew).
  await (await headerAccount(page)).getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/login');
  await signIn(page, email, password);
  const code = page.getByLabel('Code from your authenticator app');
  await code.waitFor();
  await expectAccessible(page, t, 'login-second-factor-phone');
  await screenshot(page, 'login-second-factor-phone');
  await code.fill(totpCode(secret, Math.max(totpStep(), enrolledStep) + 1));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/vessels');
  await (await headerAccount(page)).getByText('Tess Totp').waitFor();

  // Once more with a recovery code, which then counts as used.
  await (await headerAccount(page)).getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/login');
  await signIn(page, email, password);
  await page.getByRole('button', { name: 'Lost your phone? Use a recovery code' }).click();
  await page.getByLabel('Recovery code').fill((recoveryCodes[0] ?? '').toLowerCase());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/vessels');
  await page.goto(`${BASE_URL}/account`);
  await page.getByText('9 recovery codes left.').waitFor();
  await page.getByRole('listitem', { name: /\(this device\)$/ }).getByText('This device').waitFor();
  await expectAccessible(page, t, 'account-phone');
  await screenshot(page, 'account-phone');
});
