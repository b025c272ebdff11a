// Offline checklist mode: every integration can be worked through to the end, pasted
// values are checked as they are typed (a Secret ID where the Value belongs is caught),
// progress survives a reload while the secret does not, values copy, exports download.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { allowClipboard, copyField, openPage, useSuite } from './harness.mjs';

let site;
let browser;
useSuite({}, (h) => ({ site, browser } = h));

const CLIENT_ID = '0b1c7d44-2f6a-4e8b-9c3d-5a6e7f8091a2';
const TENANT_ID = '6f5d91f5-8efa-42e6-bd96-9e8fcee50ac3';
const SECRET_ID = 'c8a7f1e2-3b4d-4c5e-8f9a-0b1c2d3e4f5a';
const SECRET_VALUE = 'Xq8~Qm2.vT7_bK9rLw3-Zp5nHc1Yd6Fg0Js4Ae';

const field = (page, label) => page.getByLabel(label, { exact: false });

async function openChecklist(page, id) {
  await page.goto(`${site.url}/checklist/${id}`);
  await page.locator('.steps .step').first().waitFor();
}

async function tickEverything(page) {
  for (const box of await page.locator('.steps input[type=checkbox]').all()) {
    await box.check();
  }
}

/** The vendor's pattern with its placeholders filled in, e.g. https://example.com/oauth/callback. */
async function fillRedirectUri(page) {
  const box = page.locator('.before-you-start input').nth(1);
  if (await box.count() === 0) return;
  const pattern = await box.getAttribute('placeholder');
  // Without a vendor pattern (a guide that never gives one), any https URL will do.
  const uri = pattern.includes('<') ? pattern.replace(/<[^>]+>/g, 'example.com') : 'https://example.com/callback';
  await box.fill(uri);
}

async function fillPastedValues(page) {
  await field(page, 'Application (client) ID').fill(CLIENT_ID);
  await field(page, 'Directory (tenant) ID').fill(TENANT_ID);
  const secret = field(page, 'Client secret Value');
  if (await secret.count()) await secret.fill(SECRET_VALUE);
  // The vendor's extra fields (Fabric's SQL endpoint, ...) show an example of a valid value.
  for (const extra of await page.locator('.pasted-values input[placeholder]:not([placeholder=""])').all()) {
    await extra.fill(await extra.getAttribute('placeholder'));
  }
}

test('every integration in the catalog can be completed', async () => {
  const { page, errors, close } = await openPage(browser);
  await page.goto(`${site.url}/`);
  const ids = await page.locator('li[data-integration]').evaluateAll((items) => items.map((li) => li.dataset.integration));
  assert.ok(ids.length >= 20, `the picker lists the catalog (${ids.length})`);
  for (const id of ids) {
    await openChecklist(page, id);
    await fillRedirectUri(page);
    await tickEverything(page);
    await fillPastedValues(page);
    const progress = await page.getByTestId('progress').innerText();
    const [, done, total] = progress.match(/(\d+) of (\d+) done/);
    assert.equal(done, total, `${id}: ${progress}`);
    assert.deepEqual(await page.locator('.finding.error').allInnerTexts(), [], `${id} has no errors`);
    const card = page.getByTestId('export-card');
    assert.match(await card.innerText(), new RegExp(CLIENT_ID), `${id}: the card shows the client ID`);
    assert.equal(await card.locator('button.copy:disabled').count(), 0, `${id}: every filled value can be copied`);
  }
  assert.deepEqual(errors, []);
  await close();
});

test('a Secret ID pasted as the secret is caught, and cannot be copied', async () => {
  const { page, close } = await openPage(browser);
  await openChecklist(page, 'kinde-microsoft-365');
  await field(page, 'Client secret Value').fill(SECRET_ID);
  const finding = page.locator('.pasted-values .finding.error[data-code="secret-id"]');
  await finding.waitFor();
  assert.match(await finding.innerText(), /Secret ID/);
  const secretCopy = page.getByTestId('export-card').getByRole('button', { name: /Copy .*secret/i });
  assert.equal(await secretCopy.isDisabled(), true);

  await field(page, 'Client secret Value').fill(SECRET_VALUE);
  await finding.waitFor({ state: 'detached' });
  assert.equal(await secretCopy.isDisabled(), false);
  await close();
});

test('progress and IDs survive a reload; the secret does not', async () => {
  const { page, close } = await openPage(browser);
  await openChecklist(page, 'novus-calendarsync');
  await page.getByRole('button', { name: 'Reset progress' }).waitFor();
  const steps = page.locator('.steps > li .step-head input');
  await steps.nth(0).check();
  await steps.nth(1).check();
  await page.locator('.steps tr[data-permission] input').first().check();
  await field(page, 'Application (client) ID').fill(CLIENT_ID);
  await field(page, 'Client secret Value').fill(SECRET_VALUE);
  assert.match(await page.getByTestId('progress').innerText(), /^3 of/);

  const stored = await page.evaluate(() => JSON.stringify(localStorage));
  assert.ok(stored.includes(CLIENT_ID), 'the client ID is kept');
  assert.ok(!stored.includes(SECRET_VALUE), 'the secret never reaches localStorage');

  await page.reload();
  await page.locator('.steps .step').first().waitFor();
  assert.match(await page.getByTestId('progress').innerText(), /^3 of/);
  assert.equal(await steps.nth(0).isChecked(), true);
  assert.equal(await field(page, 'Application (client) ID').inputValue(), CLIENT_ID);
  assert.equal(await field(page, 'Client secret Value').inputValue(), '');

  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Reset progress' }).click();
  await page.getByTestId('progress').getByText(/^0 of/).waitFor();
  assert.equal(await field(page, 'Application (client) ID').inputValue(), '');
  await close();
});

test('values copy to the clipboard as the console names them', async () => {
  const { page, close } = await openPage(browser);
  await allowClipboard(page, site.url);
  await openChecklist(page, 'novus-calendarsync');
  await fillPastedValues(page);
  for (const [name, expected] of [[/client id/i, CLIENT_ID], [/tenant id/i, TENANT_ID], [/secret/i, SECRET_VALUE]]) {
    assert.equal(await copyField(page, name), expected);
  }
  // The secret is masked on screen until asked for.
  assert.ok(!(await page.getByTestId('export-card').innerText()).includes(SECRET_VALUE));
  await close();
});

/** The Downloads card's files, once their code has loaded (it does as the card nears the viewport). */
async function downloadsReady(page) {
  await page.getByTestId('downloads').scrollIntoViewIfNeeded();
  const ready = page.locator('[data-testid=downloads][aria-busy=false]');
  await ready.and(page.locator(':has(button), :has([data-testid=downloads-refused])')).waitFor();
  return ready;
}

async function download(page, name) {
  await downloadsReady(page);
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: `Download ${name}` }).click(),
  ]);
  return readFile(await file.path(), 'utf8');
}

test("Novus' requiredResourceAccess.json matches the guide's permissions", async () => {
  const { page, close } = await openPage(browser);
  await openChecklist(page, 'novus-calendarsync');
  const body = JSON.parse(await download(page, 'requiredResourceAccess.json'));
  assert.equal(body.length, 1);
  assert.equal(body[0].resourceAppId, '00000003-0000-0000-c000-000000000000');
  const access = body[0].resourceAccess.map(({ id, type }) => `${type} ${id}`).sort();
  assert.deepEqual(access, [
    'Role df021288-bdef-4463-88db-98f22de89214', // User.Read.All (Application)
    'Role ef54d2bf-783f-4e0f-bca1-3210c0444d99', // Calendars.ReadWrite (Application)
    'Scope e1fe6dd8-ba31-4d61-89e7-88639da4683d', // User.Read (Delegated)
  ]);
  await close();
});

test('every export downloads, and the values files carry the pasted values', async () => {
  const { page, close } = await openPage(browser);
  await openChecklist(page, 'kodo-for-cloud');
  await fillPastedValues(page);
  // The files are written by the exports module, loaded when the card nears the viewport.
  const buttons = await (await downloadsReady(page)).getByRole('button').allInnerTexts();
  assert.equal(buttons.length, 5, buttons.join(', '));
  const script = await download(page, buttons.find((b) => b.endsWith('.sh')).replace('Download ', ''));
  assert.match(script, /^#!\/usr\/bin\/env bash/);
  assert.match(script, /az rest/);
  assert.doesNotMatch(script, /^\s*az ad app permission admin-consent/m);
  const http = await download(page, buttons.find((b) => b.endsWith('.http')).replace('Download ', ''));
  assert.match(http, /PATCH https:\/\/graph\.microsoft\.com\/v1\.0\/applications\(uniqueName='entra-setup-assistant-kodo-for-cloud'\)\nPrefer: create-if-missing\n/);
  const env = await download(page, buttons.find((b) => b.endsWith('.env')).replace('Download ', ''));
  assert.ok(env.includes(CLIENT_ID) && env.includes(SECRET_VALUE), env);
  const json = JSON.parse(await download(page, buttons.find((b) => b.endsWith('values.json')).replace('Download ', '')));
  assert.ok(Object.values(json).includes(TENANT_ID), JSON.stringify(json));
  await close();
});

test('after a setup page has read config.json, the checklist writes its downloads for that cloud', async () => {
  // The checklist and setup pages are separate modules: the cloud crosses the seam through
  // the shell (src/configured_cloud.rs), from the module that reads config.json to the one
  // that does not.
  site.config = { cloud: 'usgov' };
  try {
    const { page, errors, close } = await openPage(browser);
    await page.goto(`${site.url}/setup/kodo-for-cloud`);
    await page.getByTestId('client-id-input').waitFor();
    await page.getByRole('link', { name: 'Use the offline checklist instead' }).click();
    await page.locator('.steps .step').first().waitFor();
    await fillPastedValues(page);
    const http = await download(page, 'kodo-for-cloud-graph-requests.http');
    assert.match(http, /PATCH https:\/\/graph\.microsoft\.us\/v1\.0\/applications\(uniqueName='entra-setup-assistant-kodo-for-cloud'\)/);
    assert.deepEqual(errors, []);
    await close();
  } finally {
    site.config = null;
  }
});

test("a deep-linked checklist on a national cloud's site is written for that cloud from the start", async () => {
  // The build writes the cloud its config.json names into the pages (src/bin/prerender.rs,
  // <meta name="entra-setup-cloud">): here the page carries the one a GCC High site's build
  // writes, in place of this build's.
  const { page, errors, close } = await openPage(browser);
  await page.route(`${site.url}/checklist/kodo-for-cloud`, async (route) => {
    const response = await route.fetch();
    const headers = Object.fromEntries(Object.entries(response.headers())
      .filter(([name]) => !['content-encoding', 'content-length'].includes(name)));
    const body = (await response.text()).replace(/<meta name="entra-setup-cloud"[^>]*>/, '')
      .replace('</head>', '<meta name="entra-setup-cloud" content="usgov"></head>');
    await route.fulfill({ status: response.status(), headers, body });
  });
  await openChecklist(page, 'kodo-for-cloud');
  await page.waitForFunction(() => !document.querySelector('main > .lazy-page[inert]'));
  // The sign-in step sends the admin to that cloud's admin center, and the downloads call its Graph.
  await page.locator('.steps code', { hasText: 'https://entra.microsoft.us' }).first().waitFor();
  assert.equal(await page.locator('.steps code', { hasText: 'https://entra.microsoft.com' }).count(), 0);
  await fillPastedValues(page);
  const http = await download(page, 'kodo-for-cloud-graph-requests.http');
  assert.match(http, /PATCH https:\/\/graph\.microsoft\.us\/v1\.0\/applications\(uniqueName='entra-setup-assistant-kodo-for-cloud'\)/);
  assert.deepEqual(errors, []);
  await close();
});

test('no file downloads while the plan has an error, and the card says what to fix', async () => {
  const { page, errors, close } = await openPage(browser);
  await openChecklist(page, 'novus-calendarsync');
  const downloads = await downloadsReady(page);
  const name = field(page, 'Name of the app registration');
  await name.fill('x'.repeat(121));
  const refused = page.getByTestId('downloads-refused');
  await refused.waitFor();
  assert.match(await refused.innerText(), /^No files until the plan is fixed: Shorten the name to 120 characters or fewer \(it has 121\)\.$/);
  assert.equal(await downloads.getByRole('button').count(), 0);
  await name.fill('Novus CalendarSync');
  await refused.waitFor({ state: 'detached' });
  assert.equal(await downloads.getByRole('button').count(), 5);
  assert.deepEqual(errors, []);
  await close();
});

test('a checklist is usable before its downloads arrive, and says why when they cannot', async () => {
  const { page, errors, close } = await openPage(browser);
  await page.route(/\/entra-setup-exports-[0-9a-f]+(\.js|_bg\.wasm)$/, (route) => route.abort());
  await openChecklist(page, 'novus-calendarsync');
  const downloads = await downloadsReady(page);
  const refused = downloads.getByTestId('downloads-refused');
  await refused.waitFor();
  assert.match(await refused.innerText(), /^The downloads could not be loaded \(.+\): reload the page to try again\.$/);
  assert.equal(await downloads.getByRole('button').count(), 0);
  // The rest of the page works without them.
  const first = page.locator('.steps input[type=checkbox]').first();
  await first.check();
  await page.getByTestId('progress').filter({ hasText: /^1 of \d+ done/ }).waitFor();
  assert.ok(errors.every((e) => /entra-setup-exports|Failed to fetch|net::ERR_FAILED/.test(e)), errors.join('\n'));
  await close();
});

test('Custom: an added permission becomes a step, and stays after a reload', async () => {
  const { page, close } = await openPage(browser);
  await openChecklist(page, 'custom');
  await page.getByLabel('Permission', { exact: true }).fill('Mail.Read');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const row = page.locator('.steps tr[data-permission*="Mail.Read"]');
  await row.waitFor();
  assert.match(await row.innerText(), /Microsoft Graph/);
  await page.reload();
  await row.waitFor();
  await close();
});

test('the checklist prints as a clean list of steps', async () => {
  const { page, close } = await openPage(browser);
  await openChecklist(page, 'nango-microsoft-teams');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.steps .step').first().isVisible(), true);
  assert.equal(await page.locator('table.permissions').first().isVisible(), true);
  for (const hidden of ['.site-header', '.pasted-values', '[data-testid=downloads]', '[data-testid=progress]']) {
    assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} is not printed`);
  }
  await close();
});

test("the secret field is masked without being a password field, so no password manager offers to save it", async () => {
  const { page, close } = await openPage(browser);
  await openChecklist(page, 'novus-calendarsync');
  const secret = field(page, 'Client secret Value');
  await secret.fill(SECRET_VALUE);
  assert.equal(await page.locator('input[type=password]').count(), 0);
  assert.equal(await secret.getAttribute('type'), 'text');
  assert.equal(await secret.getAttribute('autocomplete'), 'off');
  assert.equal(await secret.evaluate((el) => getComputedStyle(el).webkitTextSecurity), 'disc');
  await close();
});

test("a Kindo checklist shows the guide's troubleshooting table; others have none", async () => {
  const { page, errors, close } = await openPage(browser);
  await openChecklist(page, 'nango-microsoft-teams');
  const table = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'What to check' }) });
  assert.equal(await table.locator('tbody tr').count(), 5);
  const forbidden = table.getByRole('row').filter({ hasText: 'Kindo reports Forbidden' });
  assert.match(await forbidden.innerText(), /admin consent may be missing/);
  await openChecklist(page, 'novus-calendarsync');
  assert.equal(await page.getByRole('columnheader', { name: 'What to check' }).count(), 0);
  assert.deepEqual(errors, []);
  await close();
});
