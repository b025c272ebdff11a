// Keyboard only: an admin who does not use a mouse completes the Novus automated setup
// (including entra-sim's sign-in and consent pages, which stand in for Microsoft's) and a
// Nango checklist with Tab, Shift+Tab, Enter and Space (and typing into text boxes). After
// every key press, the focused element must show that it has focus (it matches
// `:focus-visible` and draws an outline or a box shadow); when a run ends, focus is on its
// outcome.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowClipboard, openPage, useSuite } from './harness.mjs';
import { GLOBAL_ADMIN } from './seed.mjs';

let site;
let sim;
let browser;
useSuite({ sim: ['--profile', 'realistic', '--random-seed', '11'] }, (h) => ({ site, sim, browser } = h));

const CLIENT_ID = '0b1c7d44-2f6a-4e8b-9c3d-5a6e7f8091a2';
const TENANT_ID = '6f5d91f5-8efa-42e6-bd96-9e8fcee50ac3';
const SECRET_VALUE = 'Xq8~Qm2.vT7_bK9rLw3-Zp5nHc1Yd6Fg0Js4Ae';

/** The focused element, and whether a sighted keyboard user can see that it has focus. */
function focusState(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return { visible: false, what: 'nothing (the page itself)' };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
    return {
      visible: el.matches(':focus-visible') && (outline || shadow),
      what: el.outerHTML.slice(0, 120),
    };
  });
}

async function assertFocusVisible(page, after) {
  const state = await focusState(page);
  assert.ok(state.visible, `after ${after}, focus is not visible on ${state.what}`);
}

/** Presses one key and checks that focus is visible afterwards. */
async function press(page, key) {
  await page.keyboard.press(key);
  await assertFocusVisible(page, key);
}

/**
 * Moves focus to `target` (a locator naming one element) with Tab, or Shift+Tab when it lies
 * before the focused element, checking focus is visible at every stop.
 */
async function tabTo(page, target, { max = 150 } = {}) {
  await target.waitFor();
  const handle = await target.elementHandle();
  const where = () => handle.evaluate((el) => {
    const active = document.activeElement;
    if (el === active) return 'here';
    if (!active || active === document.body) return 'after';
    return active.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING ? 'before' : 'after';
  });
  for (let i = 0; i < max; i += 1) {
    const position = await where();
    if (position === 'here') return;
    await press(page, position === 'before' ? 'Shift+Tab' : 'Tab');
  }
  assert.fail(`${max} presses of Tab did not reach ${await handle.evaluate((el) => el.outerHTML.slice(0, 120))}`);
}

/**
 * Tabs to `target` and activates it with `key` (Enter for links and buttons, Space for boxes).
 * Focus must stay visible, unless the key opened another page (its focus starts at the top;
 * `leaves`: the key is known to, as a sign-in page's buttons do).
 * With `then` (what the key brings up), focus is checked once that is shown: a button that
 * is disabled while it works gives its focus up, and the page must hand it to the answer.
 */
async function activate(page, target, key = 'Enter', { then, leaves = false } = {}) {
  await tabTo(page, target);
  const what = await target.evaluate((el) => el.outerHTML.slice(0, 120));
  const path = new URL(page.url()).pathname;
  await page.evaluate(() => { window.__keyboardTestSameDocument = true; });
  await page.keyboard.press(key);
  // A key that submits a form to another page: the navigation may start only after the
  // checks below have begun, so there is no focus on this page to check.
  if (leaves) return;
  // A link to another page of the app is a new page too, though the document stays.
  const samePage = await page.evaluate(() => window.__keyboardTestSameDocument === true).catch(() => false)
    && new URL(page.url()).pathname === path;
  if (then) {
    await then.first().waitFor();
    // Focus moves when the answer is in the page, right after it is drawn.
    await page.waitForFunction(() => document.activeElement && document.activeElement !== document.body, null, { timeout: 5000 })
      .catch(() => {});
  }
  if (samePage) await assertFocusVisible(page, `${key} on ${what}`);
}

/** Tabs to a text box and types into it. */
async function typeInto(page, box, text) {
  await tabTo(page, box);
  await page.keyboard.type(text);
  await assertFocusVisible(page, `typing into ${await box.evaluate((el) => el.outerHTML.slice(0, 80))}`);
}

/**
 * On entra-sim's pages: pick the account and accept what is asked, by keyboard, until the
 * browser is back at the app (a sign-in the simulator completes silently comes straight back
 * with the response in the fragment).
 */
async function approveByKeyboard(page, upn) {
  const returned = (u) => u.toString().startsWith(`${site.url}/#`);
  await page.waitForURL((u) => u.toString().startsWith(sim.url) || returned(u));
  while (page.url().startsWith(sim.url)) {
    const pick = page.locator(`button[data-user="${upn}"]`);
    const accept = page.locator('button[data-action=accept]');
    await pick.or(accept).first().waitFor();
    const next = (await pick.count()) ? pick : accept;
    const loaded = page.waitForEvent('load');
    await activate(page, next, 'Enter', { leaves: true });
    await loaded;
  }
  await page.waitForURL((u) => u.toString().startsWith(site.url));
}

test('Novus CalendarSync automated setup with the keyboard only, ending with focus on the result', async () => {
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  await allowClipboard(page, site.url);
  await page.goto(`${site.url}/setup/novus-calendarsync`);

  await activate(page, page.getByRole('button', { name: 'Sign in with Microsoft' }), 'Enter', { leaves: true });
  await approveByKeyboard(page, GLOBAL_ADMIN);
  await page.getByTestId('signed-in-as').waitFor();
  assert.equal(await page.getByTestId('more-permissions').count(), 0, 'every scope the run needs was granted');

  await activate(page, page.getByRole('button', { name: /^Review/ }), 'Enter', { then: page.getByTestId('diff') });
  assert.ok(await page.getByTestId('plan').evaluate((plan) => plan.contains(document.activeElement)), 'focus is on the review');
  // Space activates a button as Enter does.
  const outcome = page.getByTestId('result').or(page.getByTestId('finished')).or(page.getByTestId('incomplete'))
    .or(page.getByTestId('stopped')).or(page.getByTestId('paused'));
  await activate(page, page.locator('button.apply'), 'Space', { then: outcome });
  assert.equal(await page.getByTestId('result').getAttribute('data-state'), 'working', await page.locator('main').innerText());

  // Focus moved to the outcome's heading, visibly, so the next Tab continues from there.
  const focused = await page.evaluate(() => ({
    inResult: Boolean(document.activeElement?.closest('[data-testid=result]')),
    heading: /^H[1-6]$/.test(document.activeElement?.tagName ?? ''),
  }));
  assert.deepEqual(focused, { inResult: true, heading: true }, 'focus is on the result heading when the run ends');
  await assertFocusVisible(page, 'the run ended');

  // The three values, copied with the keyboard.
  const card = page.getByTestId('export-card');
  const copies = card.getByRole('button', { name: /^Copy/ });
  const copied = [];
  for (let i = 0; i < (await copies.count()); i += 1) {
    await activate(page, copies.nth(i));
    await copies.nth(i).getByText('Copied').waitFor();
    copied.push(await page.evaluate(() => navigator.clipboard.readText()));
  }
  assert.ok(copied.length >= 3, `client ID, tenant ID and secret copied (${copied.length})`);
  assert.ok(copied.includes(TENANT_ID), copied.join(', '));
  const [app] = (await sim.tenant(TENANT_ID)).applications.filter((a) => (a.tags ?? []).includes('entra-setup-assistant'));
  assert.ok(copied.includes(app.appId), 'the client ID was copied');
  assert.equal(await page.getByTestId('secret-stored').isChecked(), true, 'copying the Value counts as storing it');

  // Verify: focus goes to its answer.
  const summary = page.getByTestId('verify-summary');
  await activate(page, page.getByTestId('verify').getByRole('button'), 'Enter', { then: summary });
  assert.equal(await summary.evaluate((s) => s === document.activeElement), true, 'focus is on the verification');
  assert.deepEqual(errors, []);
  await close();
});

test('a Nango checklist with the keyboard only: fields, every tick, and the values copied', async () => {
  const { page, errors, close } = await openPage(browser);
  await allowClipboard(page, site.url);
  await page.goto(`${site.url}/checklist/nango-microsoft-teams`);
  await page.locator('.steps .step').first().waitFor();

  const redirect = page.locator('.before-you-start input').nth(1);
  const pattern = await redirect.getAttribute('placeholder');
  await typeInto(page, redirect, pattern.includes('<') ? pattern.replace(/<[^>]+>/g, 'example.com') : 'https://example.com/callback');

  const boxes = page.locator('.steps input[type=checkbox]');
  for (let i = 0; i < (await boxes.count()); i += 1) {
    await activate(page, boxes.nth(i), 'Space');
    assert.equal(await boxes.nth(i).isChecked(), true, `step ${i + 1} ticked with Space`);
  }
  await typeInto(page, page.getByLabel(/client\) ID/i), CLIENT_ID);
  await typeInto(page, page.getByLabel(/tenant\) ID/i), TENANT_ID);
  await typeInto(page, page.getByLabel(/secret Value/i), SECRET_VALUE);

  const progress = await page.getByRole('progressbar').evaluate((p) => ({ value: p.value, max: p.max }));
  assert.equal(progress.value, progress.max, 'every step done');
  assert.deepEqual(await page.locator('.finding.error').allInnerTexts(), []);

  const copies = page.getByTestId('export-card').getByRole('button', { name: /^Copy/ });
  const copied = [];
  for (let i = 0; i < (await copies.count()); i += 1) {
    if (await copies.nth(i).isDisabled()) continue;
    await activate(page, copies.nth(i));
    await copies.nth(i).getByText('Copied').waitFor();
    copied.push(await page.evaluate(() => navigator.clipboard.readText()));
  }
  for (const value of [CLIENT_ID, TENANT_ID, SECRET_VALUE]) assert.ok(copied.includes(value), `${value} copied`);

  // Back up the page with Shift+Tab to the link home, and follow it with Enter.
  await activate(page, page.getByRole('link', { name: /integrations/i }).first());
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
  assert.deepEqual(errors, []);
  await close();
});
