// @ts-check
/**
 * Children linked to their parent's meter (issue 12 §2), in a real browser against
 * `bosun serve --demo`, as the engineer on a phone 360 px wide: a component of a metered engine
 * of the first vessel is linked to the engine's meter; a reading of the engine a few hours
 * higher moves the component's running hours by as much; the component's own "Record a reading"
 * gives way to its parent (and the server refuses its own reading, `meter_linked`); it is
 * unlinked after the question. Then another component is linked with the network off, shown at
 * once and after a reload "on this device", and held by the server once the network returns.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_URL, apiAs, expectAccessible, openPage, screenshot } from './support/browser.mjs';
import { readingsOf, signInAndSync, waitForOutboxDrained } from './support/device.mjs';

const TIMEOUT = { timeout: 180_000 };
const ENGINEER = 'engineer@northwind.example';
const PHONE_360 = { width: 360, height: 780 };
/** Components the demo gives each engine, with no serial number (other tests pick those that have one). */
const PREFERRED = ['Jacket water pump', 'Charge air cooler', 'Engine-driven lube oil pump', 'Starting air motor'];

/**
 * A metered engine of the engineer's vessel (Northwind Spirit when it is theirs) and two of its
 * components, the engine that other tests use (Main engine 1) left out when another will do.
 * @param {(method: string, path: string, body?: unknown) => Promise<any>} api
 */
async function meteredParentAndChildren(api) {
  const vessels = (await api('GET', '/api/v1/vessels')).items;
  const vessel = vessels.find((/** @type {any} */ v) => v.name === 'Northwind Spirit') ?? vessels[0];
  /** @type {any[]} */
  const items = [];
  let cursor = '';
  for (let i = 0; i < 20; i += 1) {
    const page = await api('GET', `/api/v1/equipment/by-vessel/${vessel.id}?view=flat&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...page.items);
    if (!page.next_cursor) break;
    cursor = encodeURIComponent(page.next_cursor);
  }
  const usable = (/** @type {any} */ i) => i.status !== 'decommissioned';
  const childrenOf = (/** @type {any} */ parent) =>
    items
      .filter((i) => i.parent_id === parent.id && usable(i))
      .sort((a, b) => (PREFERRED.indexOf(a.name) + 1 || 99) - (PREFERRED.indexOf(b.name) + 1 || 99));
  // Engines first (their components run only while they run), Main engine 1 last.
  const rank = (/** @type {any} */ i) => (i.equipment_type === 'diesel engine' ? 0 : 2) + Number(i.name === 'Main engine 1');
  const parents = items
    .filter((i) => typeof i.running_hours === 'number' && usable(i) && childrenOf(i).length >= 2)
    .sort((a, b) => rank(a) - rank(b));
  const parent = parents[0];
  assert.ok(parent, `${vessel.name} has a metered item with components`);
  const [first, second] = childrenOf(parent);
  return { vessel, parent, first, second, about: `${vessel.name}: ${first.name} and ${second.name} under ${parent.name}` };
}

/**
 * Fails when the page scrolls sideways.
 * @param {import('playwright-core').Page} page
 */
async function expectNoSidewaysScroll(page) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= width, `the page is ${scroll} px wide on a ${width} px screen`);
}

test('a component linked to its engine’s meter follows the engine’s readings, takes none of its own, and unlinks', TIMEOUT, async (t) => {
  const api = await apiAs(ENGINEER);
  const { parent, first: child, about } = await meteredParentAndChildren(api);
  t.diagnostic(about);
  assert.equal((await api('GET', `/api/v1/equipment/${child.id}`)).meter_link, null, 'the component starts with a meter of its own');

  const page = await openPage(t, { viewport: PHONE_360 });
  await signInAndSync(page, ENGINEER);
  await page.goto(`${BASE_URL}/equipment/${child.id}`);
  await page.getByRole('heading', { level: 1, name: child.name }).waitFor();
  const hours = page.getByRole('region', { name: 'Running hours' });
  await hours.getByText('Keeps a meter of its own', { exact: false }).waitFor();
  await hours.getByRole('link', { name: parent.name, exact: true }).waitFor();
  await expectAccessible(page, t, 'meter-link-unlinked-phone-360');
  await expectNoSidewaysScroll(page);

  // Linked: the statement says so, and the component's own reading gives way to its parent's.
  await hours.getByRole('button', { name: 'Link to parent’s meter' }).click();
  // "since" once the server's row has come back (before, it counts "from when the server takes the link").
  await hours.getByText(`Counts ${parent.name}’s running hours since`, { exact: false }).waitFor({ timeout: 60_000 });
  await waitForOutboxDrained(page);
  assert.equal(await hours.getByRole('form', { name: 'Record a reading' }).count(), 0);
  const toParent = hours.getByRole('link', { name: `record the reading on ${parent.name}` });
  await toParent.waitFor();
  await expectAccessible(page, t, 'meter-link-linked-phone-360');
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'meter-link-linked-phone-360');
  const link = (await api('GET', `/api/v1/equipment/${child.id}`)).meter_link;
  assert.ok(link, 'the server holds the link');
  assert.equal(link.parent_id, parent.id);
  const before = (await api('GET', `/api/v1/equipment/${child.id}`)).running_hours ?? 0;

  // The server takes no reading of the component's own.
  await assert.rejects(api('POST', `/api/v1/equipment/${child.id}/readings`, { hours: before + 1 }), /answered 409: .*meter_linked/);

  // The engine's page lists the component; a reading of the engine 5 h higher moves it by 5 h.
  await toParent.click();
  await page.waitForURL(`**/equipment/${parent.id}`);
  await page.getByRole('heading', { level: 1, name: parent.name }).waitFor();
  const counting = page.getByRole('list', { name: 'Items counting these hours' });
  await counting.getByRole('link', { name: child.name, exact: true }).waitFor();
  await expectAccessible(page, t, 'meter-link-parent-phone-360');
  await expectNoSidewaysScroll(page);
  const parentReadings = await readingsOf(api, parent.id);
  const newest = parentReadings.reduce((max, r) => (r.read_at > max.read_at ? r : max));
  const meter = Math.round((newest.hours + 5) * 10) / 10;
  const form = page.getByRole('form', { name: 'Record a reading' });
  await form.getByLabel('Hours on the meter').fill(String(meter));
  await form.getByRole('button', { name: 'Record reading' }).click();
  await form.getByRole('status').filter({ hasText: 'recorded' }).waitFor();
  await page.getByRole('table', { name: 'Latest readings' }).getByRole('row').filter({ hasText: 'on this device' }).waitFor({ state: 'detached', timeout: 60_000 });
  await waitForOutboxDrained(page);

  await counting.getByRole('link', { name: child.name, exact: true }).click();
  await page.waitForURL(`**/equipment/${child.id}`);
  await page.getByRole('heading', { level: 1, name: child.name }).waitFor();
  const expected = Math.round((before + 5) * 10) / 10;
  const held = (await api('GET', `/api/v1/equipment/${child.id}`)).running_hours;
  assert.ok(Math.abs(held - expected) < 0.05, `the server gives the component ${held} h, ${expected} h expected`);
  // The derived reading reaches the device through the sync (a poke, or the next cycle) and
  // shows in the component's Details.
  await page.waitForFunction(
    (want) => {
      const details = document.querySelector('section[aria-labelledby] dl.facts');
      const dt = Array.from(details?.querySelectorAll('dt') ?? []).find((d) => d.textContent === 'Running hours');
      const shown = Number((dt?.nextElementSibling?.textContent ?? '').replace(/[^\d.]/g, ''));
      return Math.abs(shown - want) < 0.05;
    },
    expected,
    { timeout: 90_000 },
  );
  await screenshot(page, 'meter-link-followed-phone-360');

  // Unlinking asks first, then gives the component its own readings back.
  await hours.getByRole('button', { name: 'Unlink' }).click();
  const question = hours.getByRole('group', { name: new RegExp(`^Unlink ${child.name} from`) });
  await question.waitFor();
  await expectAccessible(page, t, 'meter-link-unlink-question-phone-360');
  await question.getByRole('button', { name: 'Yes, unlink' }).click();
  await hours.getByText('Keeps a meter of its own', { exact: false }).waitFor();
  await hours.getByRole('form', { name: 'Record a reading' }).waitFor();
  await hours.getByRole('list', { name: 'Meter link changes not yet accepted' }).waitFor({ state: 'detached', timeout: 60_000 });
  await waitForOutboxDrained(page);
  assert.equal((await api('GET', `/api/v1/equipment/${child.id}`)).meter_link, null, 'the server holds no link');
});

test('a component linked with the network off shows at once, survives a reload, and reaches the server once online', TIMEOUT, async (t) => {
  const api = await apiAs(ENGINEER);
  const { parent, second: child, about } = await meteredParentAndChildren(api);
  t.diagnostic(about);
  t.after(() => api('DELETE', `/api/v1/equipment/${child.id}/meter-link`));

  const page = await openPage(t, { viewport: PHONE_360 });
  const context = page.context();
  await signInAndSync(page, ENGINEER);
  await page.goto(`${BASE_URL}/equipment/${child.id}`);
  await page.getByRole('heading', { level: 1, name: child.name }).waitFor();
  const hours = page.getByRole('region', { name: 'Running hours' });
  await hours.getByRole('link', { name: parent.name, exact: true }).waitFor();

  await context.setOffline(true);
  await hours.getByRole('button', { name: 'Link to parent’s meter' }).click();
  const waiting = hours.getByRole('list', { name: 'Meter link changes not yet accepted' });
  await waiting.getByText('Link to parent’s meter: on this device').waitFor();
  await hours.getByText(`Counts ${parent.name}’s running hours from when the server takes the link`, { exact: false }).waitFor();
  assert.equal(await hours.getByRole('form', { name: 'Record a reading' }).count(), 0);
  await expectAccessible(page, t, 'meter-link-offline-phone-360');
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'meter-link-offline-phone-360');

  // A reload with the network off keeps it, on this device.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: child.name }).waitFor();
  await waiting.getByText('Link to parent’s meter: on this device').waitFor();

  // Online: the link is pushed, accepted and comes back as the replica's row.
  await context.setOffline(false);
  await waiting.waitFor({ state: 'detached', timeout: 60_000 });
  await hours.getByText(`Counts ${parent.name}’s running hours since`, { exact: false }).waitFor();
  await waitForOutboxDrained(page);
  const link = (await api('GET', `/api/v1/equipment/${child.id}`)).meter_link;
  assert.ok(link, 'the server holds the link');
  assert.equal(link.parent_id, parent.id);
});
