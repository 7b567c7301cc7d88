// @ts-check
/**
 * What a device keeps, in real browsers against `bosun serve --demo` (issue 11 §6,
 * docs/PERMISSIONS.md "Fields", docs/SECURITY.md): a crew member's replica holds none of the
 * fields their role may not read (repair times, prices, the markup) anywhere, nor shows any
 * under a fault's page (its requisitions), while the manager's copies of the same rows carry
 * them and show them there; and signing out, online or offline, leaves nothing of the person
 * readable on the device — no Bosun database, no person in Web Storage, no API answer in Cache
 * Storage — and a reload shows the sign-in page.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_URL, apiAs, headerAccount, openPage } from './support/browser.mjs';
import { deviceData, signInAndSync, whoIs } from './support/device.mjs';

const TIMEOUT = { timeout: 180_000 };
const CREW = 'crew@northwind.example';
const MANAGER = 'manager@northwind.example';

/** Every restricted field of the field policy (crates/domain/src/fields.rs), by wire name and stored alias. */
const RESTRICTED = [
  'repair_seconds',
  'supplier_unit_price_minor',
  'supplier_total_minor',
  'markup_basis_points',
  'customer_unit_price_minor',
  'customer_total_minor',
  'parts_markup_percent',
  'parts_markup_bp',
];

/**
 * The restricted field names found as keys at any depth of `value`.
 * @param {unknown} value
 * @param {Set<string>} [found]
 */
function restrictedKeys(value, found = new Set()) {
  if (Array.isArray(value)) {
    for (const v of value) restrictedKeys(v, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (RESTRICTED.includes(key)) found.add(key);
      restrictedKeys(v, found);
    }
  } else if (typeof value === 'string' && value.startsWith('{')) {
    // JSON kept as text (Web Storage) is looked into too.
    try {
      restrictedKeys(JSON.parse(value), found);
    } catch {
      // not JSON
    }
  }
  return found;
}

/**
 * The replica rows of the one Bosun database on the device, by `entity:id`.
 * @param {import('./support/device.mjs').DeviceData} data
 */
function replicaRows(data) {
  assert.equal(data.databases.length, 1, `databases: ${data.databases.map((d) => d.name).join(', ')}`);
  const rows = /** @type {{ entity: string, id: string, fields: unknown }[]} */ (data.databases[0]?.stores.rows ?? []);
  return new Map(rows.map((r) => [`${r.entity}:${r.id}`, r]));
}

test('a crew member’s device never receives a restricted field, while a manager’s copy of the same rows has them', TIMEOUT, async (t) => {
  const crewPage = await openPage(t);
  await signInAndSync(crewPage, CREW);
  const crewData = await deviceData(crewPage);
  const crewRows = replicaRows(crewData);
  const entities = new Set([...crewRows.values()].map((r) => r.entity));
  // A fault's parts are requisitions (the parts orders of old, migrated with their prices: ADR 0007 §7).
  for (const entity of ['fault', 'requisition', 'company']) assert.ok(entities.has(entity), `the crew replica has ${entity} rows`);
  assert.ok(!entities.has('parts_order'), 'no parts order row reaches a device: they are requisitions now');

  // Nowhere on the crew member's device: replica, outbox, the client's record, Web Storage.
  assert.deepEqual([...restrictedKeys(crewData)], [], 'restricted fields on the crew member’s device');

  // The manager reads the same rows with those fields: the check above looks where they would be.
  const managerPage = await openPage(t);
  await signInAndSync(managerPage, MANAGER);
  const managerRows = replicaRows(await deviceData(managerPage));
  const same = [...crewRows.keys()].map((key) => managerRows.get(key)).filter((r) => r !== undefined);
  assert.ok(same.length >= crewRows.size / 2, 'the manager’s replica holds the crew member’s rows');
  // Rows hold what is stored: unit prices and the markup, and a requisition's or an order's
  // totals (the markup in percent is worked out in API answers).
  const managerFields = restrictedKeys(same.map((r) => r.fields));
  for (const field of ['customer_unit_price_minor', 'markup_basis_points', 'parts_markup_bp', 'repair_seconds', 'supplier_unit_price_minor']) {
    assert.ok(managerFields.has(field), `the manager’s copies of the crew member’s rows hold ${field}: ${[...managerFields].join(', ')}`);
  }
  assert.ok(!managerFields.has('parts_markup_percent'), 'the markup in percent is not stored in rows');
  // The priced rows crew see without their prices: a fault's requisitions among them.
  const faultOf = (/** @type {{ fields: unknown }} */ r) => {
    const fields = /** @type {{ fault_id?: unknown }} */ (r.fields ?? {});
    return typeof fields.fault_id === 'string' ? fields.fault_id : null;
  };
  const priced = same.find((r) => r.entity === 'requisition' && faultOf(r) !== null && restrictedKeys(r.fields).has('supplier_unit_price_minor'));
  assert.ok(priced, 'the manager’s copies of the crew member’s requisitions for faults carry their prices');

  // On screen too: under the fault's page its requisitions show crew no price, the manager theirs.
  for (const [page, pricesShown] of /** @type {const} */ ([[crewPage, false], [managerPage, true]])) {
    await page.goto(`${BASE_URL}/faults/${faultOf(priced)}`);
    const requisitions = page.getByRole('list', { name: 'Requisitions for this fault' });
    await requisitions.waitFor();
    if (pricesShown) await requisitions.getByText('Supplier price').first().waitFor();
    else assert.equal(await requisitions.getByText(/price|total/i).count(), 0, 'prices under the crew member’s fault page');
  }
});

/**
 * Checks that nothing of `person` is readable on the device, and that a reload shows the sign-in
 * page (from the worker when offline).
 * @param {import('playwright-core').Page} page
 * @param {{ id: string, email: string, name: string }} person
 */
async function assertNothingKept(page, person) {
  await page.waitForFunction(async () => !(await indexedDB.databases()).some((d) => (d.name ?? '').toLowerCase().startsWith('bosun')));
  const data = await deviceData(page);
  assert.deepEqual(data.databases, [], 'no Bosun database is left');
  const storage = JSON.stringify([data.localStorage, data.sessionStorage]).toLowerCase();
  for (const trace of [person.id, person.email, person.name]) {
    assert.ok(!storage.includes(trace.toLowerCase()), `Web Storage names ${trace}: ${storage}`);
  }
  assert.equal(data.localStorage['bosun.session'], undefined);
  const answers = Object.values(data.caches).flat().filter((url) => new URL(url).pathname.startsWith('/api/'));
  assert.deepEqual(answers, [], 'API answers in Cache Storage');

  await page.reload();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/login');
}

test('signing out online leaves nothing of the person readable on the device', TIMEOUT, async (t) => {
  const person = await whoIs(await apiAs(CREW));
  const page = await openPage(t);
  await signInAndSync(page, CREW);
  const before = await deviceData(page);
  assert.equal(before.databases.length, 1, 'the replica is on the device before signing out');
  assert.ok(JSON.stringify(before.localStorage).includes(person.id), 'the session is kept on the device before signing out');

  await (await headerAccount(page)).getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await assertNothingKept(page, person);
});

test('signing out offline, with a change still waiting, leaves nothing of the person readable on the device', TIMEOUT, async (t) => {
  const api = await apiAs(CREW);
  const person = await whoIs(api);
  const page = await openPage(t);
  const context = page.context();
  const sessionIds = async () =>
    new Set((await api('GET', '/api/v1/me/sessions')).items.map((/** @type {{ id: string }} */ s) => s.id));
  const before = await sessionIds();
  await signInAndSync(page, CREW);
  const browserSessions = [...(await sessionIds())].filter((id) => !before.has(id));
  assert.equal(browserSessions.length, 1, 'signing in opened one session');
  const stillOpen = async () => {
    const now = await sessionIds();
    return browserSessions.some((id) => now.has(id));
  };
  const [vessel] = (await api('GET', '/api/v1/vessels')).items;
  const [fault] = (await api('GET', `/api/v1/faults/active?vessel_id=${vessel.id}`)).items;
  assert.ok(fault, 'the crew member’s vessel has an open fault');

  await context.setOffline(true);
  await page.goto(`${BASE_URL}/faults/${fault.id}`);
  const comment = `Seen on the evening round ${Date.now().toString(36)}`;
  const form = page.getByRole('form', { name: 'Add a comment' });
  await form.getByLabel('Comment').fill(comment);
  await form.getByRole('button', { name: 'Add comment' }).click();
  await page.getByRole('list', { name: 'Comments' }).getByText('on this device').waitFor();

  // Asked first, since the comment has not reached the server.
  /** @type {string[]} */
  const asked = [];
  page.once('dialog', (dialog) => {
    asked.push(dialog.message());
    void dialog.accept();
  });
  await (await headerAccount(page)).getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.match(asked.join(), /1 change has not reached the server/);
  await assertNothingKept(page, person);

  // Back online, the sign-out reaches the server, and the comment never does.
  // The sign-out may have left before the link was cut off for good (Chromium's offline
  // emulation lets some requests through): the server's own list of the person's sessions says
  // whether it arrived; if not yet, the device sends it once back online.
  const sent = page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/logout'));
  sent.catch(() => {});
  await context.setOffline(false);
  if (await stillOpen()) assert.equal((await sent).status(), 204);
  assert.equal(await stillOpen(), false, 'the browser’s session is ended');
  await page.reload();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  const held = await api('GET', `/api/v1/faults/${fault.id}`);
  assert.equal(held.comments.filter((/** @type {{ body: string }} */ c) => c.body === comment).length, 0);
});
