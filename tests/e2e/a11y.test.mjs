// Accessibility: axe-core finds no violation, of any impact, on every page and in every
// state an admin meets: the picker, checklists (blank, filled, with mistakes), automated
// setup signed out, asking for more permissions, signed in, the plan, a run in progress, the
// result, Verify, the consent hand-off, a paused run, a run that could not finish, the
// pages that report a problem, tenant health, rotation and adoption.
//
// axe runs through playwright's evaluate (the DevTools protocol), which the page's strict
// Content-Security-Policy does not govern; a <script> tag would be an inline script and be
// blocked (openPage's close() fails a test on any violation).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { approveAt as approveAtSim, openPage, review, useSuite } from './harness.mjs';
import { CLOUD_APP_ADMIN, GLOBAL_ADMIN, NORTHWIND_ADMIN } from './seed.mjs';

const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let site;
let sim;
let browser;
useSuite({ sim: ['--profile', 'realistic', '--random-seed', '11'] }, (h) => ({ site, sim, browser } = h));

/**
 * Every axe-core violation on the page as it is now (all rules axe runs by default: WCAG
 * 2.x A and AA and best practices), one line each with the elements it names.
 */
async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** Asserts axe finds nothing in the state named `state`. */
async function assertAccessible(page, state) {
  assert.deepEqual(await violations(page), [], `${state}: axe-core violations`);
}

function approveAt(page, upn, options = {}) {
  return approveAtSim(page, { simUrl: sim.url, appUrl: site.url, upn, ...options });
}

/** Signs in on `/setup/:id`: for the run's permissions, or with `minimal` the profile only. */
async function signIn(page, id, upn, { minimal = false } = {}) {
  await page.goto(`${site.url}/setup/${id}`);
  await (minimal ? page.getByTestId('minimal-sign-in') : page.getByRole('button', { name: 'Sign in with Microsoft' })).click();
  await approveAt(page, upn);
  await page.getByTestId('signed-in-as').waitFor();
}

/** Signed in with every scope the run needs, in the one sign-in. */
async function signInFully(page, id, upn) {
  await signIn(page, id, upn);
  assert.equal(await page.getByTestId('more-permissions').count(), 0, 'every scope the run needs was granted');
}

async function applyAndWaitForResult(page) {
  await page.locator('button.apply').click();
  await page.getByTestId('result').or(page.getByTestId('finished')).first().waitFor();
}

test('the picker and the not-found page', async () => {
  const { page, errors, close } = await openPage(browser);
  await page.goto(`${site.url}/`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.locator('li[data-integration]').first().waitFor();
  await assertAccessible(page, 'home');
  await page.goto(`${site.url}/no/such/page`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await assertAccessible(page, 'not found');
  assert.deepEqual(errors, []);
  await close();
});

test('checklists: every integration blank, then one filled in, with mistakes, and an unknown one', async () => {
  const { page, errors, close } = await openPage(browser);
  await page.goto(`${site.url}/`);
  const ids = await page.locator('li[data-integration]').evaluateAll((items) => items.map((li) => li.dataset.integration));
  assert.ok(ids.length >= 20, `the picker lists the catalog (${ids.length})`);
  for (const id of ids) {
    await page.goto(`${site.url}/checklist/${id}`);
    await page.locator('.steps .step').first().waitFor();
    await assertAccessible(page, `checklist ${id}`);
  }
  // Cloud Elements: permissions the guide does not list are added by the admin.
  await page.goto(`${site.url}/checklist/cloud-elements-office-365`);
  await page.locator('.steps .step').first().waitFor();
  // Mistakes: a Secret ID where the Value belongs, a client ID that is not a GUID.
  await page.getByLabel(/client\) ID/).first().fill('not-a-guid');
  await page.getByLabel(/secret/i).first().fill('c8a7f1e2-3b4d-4c5e-8f9a-0b1c2d3e4f5a');
  await page.locator('.finding.error').first().waitFor();
  await assertAccessible(page, 'checklist with mistakes');
  // Everything ticked and filled: the values card and the downloads.
  for (const box of await page.locator('.steps input[type=checkbox]').all()) await box.check();
  await page.getByLabel(/client\) ID/).first().fill('0b1c7d44-2f6a-4e8b-9c3d-5a6e7f8091a2');
  await page.getByLabel(/tenant\) ID/).first().fill('6f5d91f5-8efa-42e6-bd96-9e8fcee50ac3');
  await page.getByLabel(/secret/i).first().fill('Xq8~Qm2.vT7_bK9rLw3-Zp5nHc1Yd6Fg0Js4Ae');
  await page.getByTestId('export-card').waitFor();
  // The downloads' code loads as their card nears the viewport.
  await page.getByTestId('downloads').scrollIntoViewIfNeeded();
  await page.locator('[data-testid=downloads][aria-busy=false]').getByRole('button').first().waitFor();
  await assertAccessible(page, 'checklist completed');
  await page.goto(`${site.url}/checklist/no-such-integration`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.locator('main').getByRole('link').first().waitFor();
  await assertAccessible(page, 'unknown integration');
  assert.deepEqual(errors, []);
  await close();
});

test('automated setup: signed out, asking for a client ID, and when the sign-in service cannot be reached', async () => {
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  await page.goto(`${site.url}/setup/novus-calendarsync`);
  await page.getByRole('button', { name: 'Sign in with Microsoft' }).waitFor();
  await assertAccessible(page, 'setup signed out');

  site.config = { ...sim.appConfig(), client_id: null };
  await page.goto(`${site.url}/setup/novus-calendarsync`);
  await page.getByTestId('client-id-input').waitFor();
  await assertAccessible(page, 'setup asking for a client ID');
  await page.getByTestId('client-id-input').fill('not a client id');
  await page.getByTestId('client-id-input').press('Enter');
  await assertAccessible(page, 'setup with a mistaken client ID');

  // A tenant with no sign-in service: the page says so and lets the admin change it.
  site.config = sim.appConfig();
  await page.goto(`${site.url}/setup/novus-calendarsync`);
  await page.getByTestId('tenant-input').fill('no-such-tenant.onmicrosoft.com');
  await page.getByTestId('tenant-input').press('Enter');
  await page.getByTestId('tenant-error').or(page.getByRole('alert')).first().waitFor();
  await assertAccessible(page, 'setup with an unknown tenant');

  // No discovery document where config.json says: the page says automated setup is unavailable.
  site.config = { ...sim.appConfig(), authority: `${sim.url}/no-discovery-here/v2.0` };
  await page.goto(`${site.url}/setup/novus-calendarsync`);
  await page.getByRole('alert').first().waitFor();
  await assertAccessible(page, 'setup unavailable');
  assert.deepEqual(errors, []);
  await close();
});

test('automated setup signed in: more permissions, inputs, plan, run, result, verify', async () => {
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  // The minimal sign-in, so the page asks for the run's permissions afterwards.
  await signIn(page, 'nango-microsoft-teams', GLOBAL_ADMIN, { minimal: true });
  await page.getByTestId('more-permissions').waitFor();
  await assertAccessible(page, 'signed in, asking for more permissions');
  await page.getByTestId('more-permissions').getByRole('button').first().click();
  await approveAt(page, GLOBAL_ADMIN);
  await page.getByTestId('signed-in-as').waitFor();
  assert.equal(await page.getByTestId('more-permissions').count(), 0);
  await assertAccessible(page, 'signed in');
  await page.getByLabel("The vendor's callback URL").fill('not a url');
  await assertAccessible(page, 'signed in with a mistaken callback URL');
  await page.getByLabel("The vendor's callback URL").fill('https://nango.example.com/oauth/callback');
  await review(page);
  await assertAccessible(page, 'plan');

  // Slow Graph down so the run is on screen long enough to be checked.
  await sim.patch('/_sim/knobs', { latency_ms: 400 });
  await page.locator('button.apply').click();
  await page.getByTestId('run').waitFor();
  await assertAccessible(page, 'run in progress');
  await sim.patch('/_sim/knobs', { latency_ms: 0 });
  await page.getByTestId('result').or(page.getByTestId('finished')).first().waitFor();
  await assertAccessible(page, 'result');

  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByTestId('verify-summary').waitFor();
  await assertAccessible(page, 'verify');
  assert.deepEqual(errors, []);
  await close();
});

test('automated setup: the consent hand-off and finish mode', async () => {
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  await signInFully(page, 'novus-calendarsync', CLOUD_APP_ADMIN);
  await review(page);
  await assertAccessible(page, 'plan needing an administrator');
  await applyAndWaitForResult(page);
  await page.getByTestId('consent-link').waitFor();
  await assertAccessible(page, 'consent hand-off');
  const finish = await page.getByTestId('consent-link').locator('a').getAttribute('href');
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByTestId('verify-summary').waitFor();
  await assertAccessible(page, 'verify with consent missing');
  await close();

  const admin = await openPage(browser, { origin: site.url });
  await admin.page.goto(finish);
  await admin.page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
  await approveAt(admin.page, GLOBAL_ADMIN);
  await admin.page.getByTestId('finish-mode').waitFor();
  await assertAccessible(admin.page, 'finish mode');
  assert.deepEqual([...errors, ...admin.errors], []);
  await admin.close();
});

test('automated setup: a run paused because the sign-in ended', async () => {
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  await signInFully(page, 'nango-microsoft-fabric', GLOBAL_ADMIN);
  await review(page);
  await sim.post('/_sim/clock', { advance_secs: 25 * 3600 });
  await page.clock.setSystemTime(Date.now() + 25 * 3600 * 1000);
  await page.locator('button.apply').click();
  await page.getByTestId('paused').waitFor();
  await assertAccessible(page, 'paused');
  assert.deepEqual(errors, []);
  await close();
});

test('a sign-in refused at Microsoft comes back as an explained error', async () => {
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  await page.goto(`${site.url}/setup/novus-calendarsync`);
  await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
  await page.waitForURL((u) => u.toString().startsWith(sim.url));
  const pick = page.locator(`button[data-user="${GLOBAL_ADMIN}"]`);
  if (await pick.count()) await pick.click();
  const cancel = page.locator('button[data-action=cancel], button[data-action=decline]');
  if (await cancel.count()) {
    await cancel.first().click();
    await page.waitForURL((u) => u.toString().startsWith(site.url));
    await page.getByTestId('sign-in-error').waitFor();
    await assertAccessible(page, 'sign-in error');
  } else {
    // No consent page was shown (nothing to consent): come back with an error by hand.
    await page.goto(`${site.url}/#error=access_denied&error_description=AADSTS65004&state=x`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await assertAccessible(page, 'sign-in error');
  }
  assert.deepEqual(errors, []);
  await close();
});

test('automated setup: a run that cannot finish because Graph keeps failing', async () => {
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  // The run waits between retries with the page's timers: the test's clock skips the waits.
  await page.clock.install();
  await signInFully(page, 'nango-microsoft-fabric', GLOBAL_ADMIN);
  await review(page);
  await sim.post('/_sim/faults', [{ method: 'POST', path: '/v1.0/servicePrincipals', kind: 'service_unavailable', count: null }]);
  await page.locator('button.apply').click();
  const ended = ['stopped', 'incomplete', 'paused', 'result'].map((id) => page.getByTestId(id)).reduce((a, b) => a.or(b)).first();
  for (let i = 0; i < 200 && !(await ended.isVisible()); i += 1) await page.clock.runFor(10_000);
  await ended.waitFor();
  const shown = await page.locator('[data-testid=stopped], [data-testid=incomplete]').count();
  assert.ok(shown > 0, `the run says it did not finish: ${await page.locator('main').innerText()}`);
  const focused = await page.evaluate(() => Boolean(document.activeElement?.closest('[data-testid=stopped], [data-testid=incomplete]')));
  assert.ok(focused, 'focus is on what went wrong');
  await assertAccessible(page, 'a run that could not finish');
  assert.deepEqual(errors, []);
  await close();
});

test('tenant health: signed out, asking to read, and the report of a tenant with problems', async () => {
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  await page.goto(`${site.url}/tenant`);
  await page.getByRole('button', { name: 'Sign in with Microsoft' }).waitFor();
  await assertAccessible(page, 'tenant health, signed out');
  // The minimal sign-in, so the page asks for its read permissions afterwards.
  await page.getByTestId('minimal-sign-in').click();
  await approveAt(page, NORTHWIND_ADMIN);
  await page.getByTestId('more-permissions').waitFor();
  await assertAccessible(page, 'tenant health, asking for read permissions');
  await page.getByTestId('more-permissions').getByRole('button').first().click();
  await approveAt(page, NORTHWIND_ADMIN);
  await page.getByTestId('health-summary').waitFor();
  await assertAccessible(page, 'tenant health report');
  assert.deepEqual(errors, []);
  await close();
});

test('rotation and adoption: the old secrets to remove, the removal report, and adopt mode', async () => {
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  await signInFully(page, 'nango-microsoft-teams', GLOBAL_ADMIN);
  await page.getByLabel("The vendor's callback URL").fill('https://nango.example.com/oauth/callback');
  await review(page);
  await applyAndWaitForResult(page);
  await page.getByTestId('secret-stored').check();
  // Later (past replication), a rotation from the same page.
  await sim.post('/_sim/clock', { advance_secs: 5 });
  await page.getByLabel(/Add a new secret even if/).check();
  await review(page);
  await applyAndWaitForResult(page);
  await page.getByTestId('rotate').locator('input[data-key-id]').first().waitFor();
  await assertAccessible(page, 'rotation: old secrets offered');
  await page.getByTestId('vendor-has-new-value').check();
  await page.getByTestId('remove-old-secrets').click();
  await page.getByTestId('removals').waitFor();
  await assertAccessible(page, 'rotation: removal report');
  await page.getByTestId('secret-stored').check();

  // Adopt mode, named by client ID on another integration's page.
  await page.goto(`${site.url}/setup/kinde-microsoft-365`);
  await page.getByTestId('signed-in-as').or(page.getByRole('button', { name: 'Sign in with Microsoft' })).first().waitFor();
  if (await page.getByRole('button', { name: 'Sign in with Microsoft' }).count()) {
    await signInFully(page, 'kinde-microsoft-365', GLOBAL_ADMIN);
  }
  await page.getByTestId('adopt-form').locator('summary').click();
  await page.getByTestId('adopt-client-id').fill('not a client ID');
  await page.getByRole('button', { name: 'Adopt it' }).click();
  await page.getByTestId('adopt-form').getByRole('alert').waitFor();
  await assertAccessible(page, 'adopt: a mistaken client ID');
  await page.getByTestId('adopt-client-id').fill('00000000-0000-4000-8000-00000000beef');
  await page.getByRole('button', { name: 'Adopt it' }).click();
  await page.getByTestId('adopt-mode').waitFor();
  await assertAccessible(page, 'adopt mode');
  assert.deepEqual(errors, []);
  await close();
});

test('adopting by name: the registrations found, and the review with permissions beyond the entry to tick', async () => {
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  await signInFully(page, 'nango-microsoft-outlook', NORTHWIND_ADMIN);
  const form = page.getByTestId('adopt-form');
  await form.locator('summary').click();
  await form.getByTestId('adopt-client-id').fill('outlook');
  await form.getByRole('button', { name: 'Adopt it' }).click();
  await form.getByTestId('adopt-pick').first().waitFor();
  await assertAccessible(page, 'adopt: registrations found by name');
  await form.getByTestId('adopt-pick').first().click();
  // Repairing asks for what removing consent needs.
  await page.getByTestId('more-permissions').getByRole('button').first().click();
  await approveAt(page, NORTHWIND_ADMIN);
  await page.getByTestId('adopt-mode').waitFor();
  await page.getByLabel("The vendor's callback URL").fill('https://nango.northwind.example/oauth/callback');
  const plan = await review(page);
  await plan.getByTestId('remove-extra').first().check();
  await assertAccessible(page, 'adopt: the review, one permission beyond the entry ticked for removal');
  assert.deepEqual(errors, []);
  await close();
});
