// The deployer's and the admin's first contact: the assistant's own registration leads to
// the config.json the site needs, an admin names the tenant to sign in to (a guest admin or
// an MSP must), and sign-in failures that come back to the app say what to do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowClipboard, approveAt as approveAtSim, copyField, openPage, useSuite } from './harness.mjs';
import { CONTOSO, FABRIKAM, FABRIKAM_ADMIN, GLOBAL_ADMIN } from './seed.mjs';

let site;
let sim;
let browser;
useSuite({ sim: [] }, (h) => ({ site, sim, browser } = h));

function approveAt(page, upn, base = site.url) {
  return approveAtSim(page, { simUrl: sim.url, appUrl: base, upn });
}

/** Signs in at `base` for this integration's setup: the one sign-in asks for what the run needs. */
async function signInFor(page, base, id, upn) {
  await page.goto(`${base}/setup/${id}`);
  await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
  await approveAt(page, upn, base);
  await page.getByTestId('signed-in-as').or(page.getByTestId('sign-in-error')).waitFor();
  assert.equal(await page.getByTestId('sign-in-error').count(), 0, await page.locator('main').innerText());
  assert.equal(await page.getByTestId('more-permissions').count(), 0, 'every scope the run needs was granted');
}

async function reviewAndApply(page) {
  await page.getByRole('button', { name: /^Review (changes|again)$/ }).click();
  await page.getByTestId('diff').waitFor();
  await page.locator('button.apply').click();
  await page.getByTestId('result').or(page.getByTestId('stopped')).or(page.getByTestId('paused')).waitFor();
  assert.equal(await page.getByTestId('stopped').count(), 0, await page.locator('main').innerText());
  assert.equal(await page.getByTestId('paused').count(), 0);
}

test('an admin names a tenant: the sign-in goes through that tenant\'s authority and the page says where objects land', async () => {
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  await page.goto(`${site.url}/setup/nango-microsoft-teams`);
  assert.match(await page.getByTestId('tenant-choice').innerText(), /your own organization/);

  // Not a tenant: refused with what to enter, nothing kept.
  await page.getByTestId('tenant-input').fill('fabrikam');
  await page.getByRole('button', { name: 'Use this tenant' }).click();
  assert.match(await page.getByTestId('tenant-error').innerText(), /contoso\.onmicrosoft\.com/);

  await page.getByTestId('tenant-input').fill(' Fabrikam-Demo.onmicrosoft.com ');
  await page.getByRole('button', { name: 'Use this tenant' }).click();
  await page.getByTestId('tenant-choice').filter({ hasText: 'fabrikam-demo.onmicrosoft.com' }).waitFor();
  assert.equal(await page.getByTestId('tenant-input').inputValue(), 'fabrikam-demo.onmicrosoft.com');

  const authorize = page.waitForRequest((r) => r.url().includes('/oauth2/v2.0/authorize'));
  await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
  const url = new URL((await authorize).url());
  assert.equal(url.origin, sim.url);
  assert.equal(url.pathname, '/fabrikam-demo.onmicrosoft.com/oauth2/v2.0/authorize');
  await approveAt(page, FABRIKAM_ADMIN);
  await page.getByTestId('signed-in-as').waitFor();
  const landing = await page.getByTestId('signed-in-tenant').innerText();
  assert.match(landing, new RegExp(`fabrikam-demo\\.onmicrosoft\\.com \\(tenant ID ${FABRIKAM}\\)`));
  assert.match(await page.getByTestId('signed-in-as').innerText(), new RegExp(FABRIKAM));

  // Remembered in this browser (not a secret): a new page load signs in there again.
  await page.reload();
  assert.match(await page.getByTestId('tenant-choice').innerText(), /fabrikam-demo\.onmicrosoft\.com/);
  const stored = await page.evaluate(() => Object.entries(localStorage));
  assert.ok(stored.some(([k, v]) => k.endsWith('sign-in-tenant') && v.includes('fabrikam-demo.onmicrosoft.com')), JSON.stringify(stored));
  assert.ok(!stored.some(([, v]) => /eyJ/.test(v)), 'no token in localStorage');

  // Back to "my organization".
  await page.getByTestId('tenant-input').fill('');
  await page.getByRole('button', { name: 'Use this tenant' }).click();
  await page.getByTestId('tenant-choice').filter({ hasText: 'your own organization' }).waitFor();
  assert.deepEqual(errors, []);
  await close();
});

test('a tenant that does not exist is said plainly and can be changed', async () => {
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  await page.goto(`${site.url}/setup/novus-calendarsync`);
  await page.getByTestId('tenant-input').fill('nowhere-demo.onmicrosoft.com');
  await page.getByRole('button', { name: 'Use this tenant' }).click();
  const error = page.getByTestId('sign-in-error');
  await error.waitFor();
  assert.match(await error.innerText(), /knows no tenant by the name you entered/);
  assert.ok(await page.getByRole('button', { name: 'Sign in with Microsoft' }).isDisabled());
  await page.getByTestId('tenant-input').fill(CONTOSO);
  await page.getByRole('button', { name: 'Use this tenant' }).click();
  await page.getByTestId('tenant-choice').filter({ hasText: CONTOSO }).waitFor();
  assert.equal(await page.getByTestId('sign-in-error').count(), 0);
  assert.deepEqual(errors.filter((e) => !/nowhere-demo/.test(e)), []);
  await close();
});

test('a sign-in response this tab did not start says what happened instead of failing silently', async () => {
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  await page.goto(`${site.url}/setup/nango-microsoft-teams#code=abc&state=not-from-this-tab`);
  const error = page.getByTestId('sign-in-error');
  await error.waitFor();
  assert.match(await error.innerText(), /not started in this browser tab/);
  assert.ok(!page.url().includes('code='), 'the code left the address bar');
  assert.deepEqual(errors, []);
  await close();
});

test('a client ID typed by an admin can be changed or cleared; the tenant ID is refused', async () => {
  site.config = { ...sim.appConfig(), client_id: null };
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  await page.goto(`${site.url}/setup/nango-microsoft-teams`);
  // The tenant is named first, so the client-ID form knows which GUID is the tenant's.
  await page.evaluate((t) => localStorage.setItem('entra-setup-assistant/sign-in-tenant', JSON.stringify(t)), CONTOSO);
  await page.reload();
  const input = page.getByTestId('client-id-input');
  await input.fill(CONTOSO);
  await page.getByRole('button', { name: 'Save' }).click();
  assert.match(await page.locator('.client-id [role=alert]').innerText(), /Directory \(tenant\) ID, not the assistant's Application \(client\) ID/);

  await input.fill(sim.info.assistant_client_id.toUpperCase());
  await page.getByRole('button', { name: 'Save' }).click();
  const stored = page.getByTestId('client-id-stored');
  await stored.waitFor();
  assert.match(await stored.innerText(), new RegExp(sim.info.assistant_client_id));
  await stored.getByRole('button', { name: 'Change or clear' }).click();
  await page.getByTestId('client-id-input').waitFor();
  assert.deepEqual(errors, []);
  await close();
});

test("the assistant's own checklist ends with the config.json to deploy", async () => {
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  await allowClipboard(page, site.url);
  await page.goto(`${site.url}/checklist/entra-setup-assistant`);
  await page.getByTestId('export-card').waitFor();
  const text = await page.locator('main').innerText();
  assert.ok(!text.includes('Entra Setup Assistant settings'));
  assert.match(text, /Multitenant/);
  assert.match(text, /origin followed by \//);
  await page.getByLabel(/Application \(client\) ID/).first().fill('748aa5a9-366f-466f-adb2-52238936e96e');
  const json = JSON.parse(await copyField(page, 'config.json'));
  assert.deepEqual(json, {
    authority: 'https://login.microsoftonline.com/organizations/v2.0',
    graph_base_url: 'https://graph.microsoft.com/v1.0',
    client_id: '748aa5a9-366f-466f-adb2-52238936e96e',
  });
  assert.deepEqual(errors, []);
  await close();
});

test('a sign-in return at the site root that this tab did not start is explained, and its code dropped', async () => {
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  await page.goto(`${site.url}/#code=abc&state=from-another-profile`);
  const lost = page.getByTestId('sign-in-lost');
  await lost.waitFor();
  assert.match(await lost.innerText(), /same tab and browser profile/);
  assert.equal(page.url(), `${site.url}/`);
  assert.deepEqual(errors, []);
  await close();
});

test("the deployer's whole path: register the assistant with automated mode, deploy its config.json, sign in with it, set up Novus", async () => {
  // The new site answers on another host name (localhost instead of 127.0.0.1): its own
  // registration gets exactly that origin + "/" as its SPA redirect URI.
  const deployed = site.url.replace('127.0.0.1', 'localhost');
  const first = await openPage(browser, { origin: site.url });
  await allowClipboard(first.page, site.url);
  await signInFor(first.page, site.url, 'entra-setup-assistant', GLOBAL_ADMIN);
  await first.page.getByLabel("The vendor's callback URL").fill(`${deployed}/`);
  await reviewAndApply(first.page);
  const config = JSON.parse(await copyField(first.page, 'config.json'));
  assert.equal(config.authority, 'https://login.microsoftonline.com/organizations/v2.0');
  assert.equal(config.graph_base_url, 'https://graph.microsoft.com/v1.0');
  assert.notEqual(config.client_id, sim.info.assistant_client_id);
  assert.deepEqual(first.errors, []);
  await first.close();

  const contoso = await sim.tenant(CONTOSO);
  const app = contoso.applications.find((a) => a.appId === config.client_id);
  assert.equal(app.signInAudience, 'AzureADMultipleOrgs');
  assert.deepEqual(app.spa.redirectUris, [`${deployed}/`]);
  assert.deepEqual(app.web?.redirectUris ?? [], []);

  // Deploy it: the same file, with the public cloud's URLs pointed at the simulator (as
  // `cargo xtask dev` does).
  site.config = { ...config, authority: `${sim.url}/organizations/v2.0`, graph_base_url: `${sim.url}/v1.0` };
  const admin = await openPage(browser, { origin: deployed });
  await allowClipboard(admin.page, deployed);
  const clientIds = [];
  admin.page.on('request', (r) => {
    const id = r.url().includes('/oauth2/v2.0/authorize') && new URL(r.url()).searchParams.get('client_id');
    if (id) clientIds.push(id);
  });
  await signInFor(admin.page, deployed, 'novus-calendarsync', GLOBAL_ADMIN);
  assert.ok(clientIds.length > 0 && clientIds.every((id) => id === config.client_id), JSON.stringify(clientIds));
  assert.match(await admin.page.getByTestId('signed-in-tenant').innerText(), new RegExp(`tenant ID ${CONTOSO}`));
  await reviewAndApply(admin.page);
  const novusId = await copyField(admin.page, 'Client ID');
  const after = await sim.tenant(CONTOSO);
  const novus = after.applications.find((a) => a.appId === novusId);
  assert.equal(novus.uniqueName, 'entra-setup-assistant-novus-calendarsync');
  const sp = after.servicePrincipals.find((s) => s.appId === novusId);
  assert.equal(after.appRoleAssignments.filter((r) => r.principalId === sp.id).length, 2);
  assert.deepEqual(admin.errors, []);
  await admin.close();
});

test('sign-in errors that come back say what happened and what to do, with Microsoft\'s words as details', async () => {
  const ORDINARY_USER = 'lynne.robbins@contoso-demo.onmicrosoft.com';
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  await page.goto(`${site.url}/setup/nango-microsoft-teams`);
  // The minimal sign-in reads the profile only; the setup's permissions are asked for next.
  await page.getByTestId('minimal-sign-in').click();
  await approveAt(page, GLOBAL_ADMIN);
  await page.getByTestId('more-permissions').waitFor();

  // The admin cancels the consent page: AADSTS65004.
  await page.getByRole('button', { name: 'Allow and continue' }).click();
  await page.waitForURL((u) => u.toString().startsWith(sim.url));
  // Every sign-in asks which account (prompt=select_account), then the consent page.
  await page.locator(`button[data-user="${GLOBAL_ADMIN}"]`).click();
  await page.locator('button[data-action=cancel]').click();
  const error = page.getByTestId('sign-in-error');
  await error.waitFor();
  assert.match(await error.innerText(), /were not granted: the consent page was cancelled/);
  assert.match(await page.getByTestId('sign-in-error-details').innerText(), /AADSTS65004/);
  assert.equal(await page.getByTestId('change-client-id').count(), 0);

  // A user who may not consent to admin-only permissions leaves Microsoft's "Need admin
  // approval" page: Entra sends AADSTS65004 back, and the message says who can consent.
  await page.context().clearCookies();
  await page.goto(`${site.url}/setup/nango-microsoft-teams`);
  // The one sign-in asks for the setup's permissions, which this user may not grant.
  await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
  await page.waitForURL((u) => u.toString().startsWith(sim.url));
  await page.locator(`button[data-user="${ORDINARY_USER}"]`).click();
  assert.match(await page.locator('[data-error-code]').getAttribute('data-error-code'), /AADSTS90094/);
  await page.locator('button[data-action=back]').click();
  await error.waitFor();
  assert.match(await error.innerText(), /an administrator must consent first/);
  assert.match(await page.getByTestId('sign-in-error-details').innerText(), /AADSTS65004/);
  assert.deepEqual(errors, []);
  await close();
});
