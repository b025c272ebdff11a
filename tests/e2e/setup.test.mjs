// Automated mode, end to end: real Chromium drives the built app, which signs in to
// entra-sim with PKCE and provisions through its Graph. Assertions read the simulator's
// directory (/_sim/state), and each created secret must obtain a token from its token
// endpoint, as the vendor's server would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowClipboard, applyAndWait, approveAt as approveAtSim, copyField, openPage, review, useSuite } from './harness.mjs';
import { CLOUD_APP_ADMIN, CONTOSO, ELIGIBLE_ADMIN, FABRIKAM, FABRIKAM_ADMIN, GLOBAL_ADMIN, GROUP_GLOBAL_ADMIN, MSP_GUEST } from './seed.mjs';

let site;
let sim;
let browser;
// A real tenant's hard cases: per-object replication delays, two-item pages, Retry-After
// hidden from the browser (entra-sim's README, "Realistic profile"); seeded, so a failure
// reproduces.
useSuite({ sim: ['--profile', 'realistic', '--random-seed', '11'] }, (h) => ({ site, sim, browser } = h));

const AZURE_AD_GRAPH = '00000002-0000-0000-c000-000000000000';
const DEFENDER_ATP = 'fc780465-2017-40d4-a0c5-307022471b92';

/**
 * On the simulator's sign-in pages: pick the user if asked, accept the consent page if
 * shown. A sign-in the simulator can complete silently (same user, nothing new to consent)
 * comes straight back to the app's root with the result in the fragment.
 */
function approveAt(page, upn, { forOrganization = false } = {}) {
  return approveAtSim(page, { simUrl: sim.url, appUrl: site.url, upn, forOrganization });
}

/** Whether a URL carries an authorization code (in its query or fragment). */
function holdsCode(url) {
  const u = new URL(url);
  return u.searchParams.has('code') || new URLSearchParams(u.hash.slice(1)).has('code');
}

/** After a sign-in: the code has left the address bar (the shell takes it out first). */
function assertNoCodeInUrl(page) {
  assert.ok(!holdsCode(page.url()), `no code in ${page.url()}`);
  assert.ok(!page.url().includes('state='), `no state in ${page.url()}`);
}

/**
 * What a deployer does once: a Global Administrator signs in to the assistant for this
 * integration's run and consents for the whole organization, so that admins who cannot
 * consent themselves can sign in.
 */
async function consentForOrganization(id) {
  const { page, close } = await openPage(browser, { origin: site.url });
  await page.goto(`${site.url}/setup/${id}`);
  // One sign-in asks for what the run needs: the consent page comes with it.
  await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
  await approveAt(page, GLOBAL_ADMIN, { forOrganization: true });
  await page.getByTestId('signed-in-as').waitFor();
  assert.equal(await page.getByTestId('more-permissions').count(), 0, 'every scope the run needs was granted');
  assertNoCodeInUrl(page);
  await close();
}

/**
 * Signs in for this integration's setup: one sign-in asks for what the run needs (a second
 * round trip only if something is still missing afterwards, which fails the test).
 */
async function openSignedIn(id, upn, url = `${site.url}/setup/${id}`, { tenant } = {}) {
  const session = await openPage(browser, { origin: site.url });
  const { page } = session;
  const authorizeUrls = [];
  page.on('request', (r) => { if (r.url().includes('/oauth2/v2.0/authorize?')) authorizeUrls.push(r.url()); });
  await allowClipboard(page, site.url);
  await page.goto(url);
  if (tenant) {
    await page.getByTestId('tenant-input').fill(tenant);
    await page.getByRole('button', { name: 'Use this tenant' }).click();
    await page.getByTestId('tenant-choice').filter({ hasText: tenant }).waitFor();
  }
  await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
  await approveAt(page, upn);
  await page.getByTestId('signed-in-as').waitFor();
  assertNoCodeInUrl(page);
  assert.equal(await page.getByTestId('more-permissions').count(), 0, 'every scope the run needs was granted');
  assert.equal(authorizeUrls.length, 1, 'one sign-in, no second round trip');
  assert.match(await page.getByTestId('session-state').innerText(), /^Signed in as /);
  // Each sign-in asks for each scope once, and for none the run does not use.
  for (const u of authorizeUrls) {
    const scopes = new URL(u).searchParams.get('scope').split(' ');
    assert.equal(new Set(scopes.map((x) => x.toLowerCase())).size, scopes.length, scopes.join(' '));
    assert.ok(!scopes.includes('Application.Read.All'), scopes.join(' '));
  }
  return session;
}

function claims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}

/** What this tool created in a tenant, for "nothing duplicated" checks. */
function created(tenant) {
  const apps = tenant.applications.filter((a) => (a.tags ?? []).includes('entra-setup-assistant'));
  const appIds = new Set(apps.map((a) => a.appId));
  const sps = tenant.servicePrincipals.filter((s) => appIds.has(s.appId));
  const spIds = new Set(sps.map((s) => s.id));
  return {
    apps,
    secrets: apps.flatMap((a) => a.passwordCredentials ?? []),
    sps,
    grants: tenant.oauth2PermissionGrants.filter((g) => spIds.has(g.clientId)),
    assignments: tenant.appRoleAssignments.filter((r) => spIds.has(r.principalId)),
  };
}

function counts(c) {
  return { apps: c.apps.length, secrets: c.secrets.length, sps: c.sps.length, grants: c.grants.length, assignments: c.assignments.length };
}

test('Nango Microsoft Teams: delegated permissions with admin consent, from sign-in to copied values', async () => {
  const { page, errors, close } = await openSignedIn('nango-microsoft-teams', GLOBAL_ADMIN);
  await page.getByLabel("The vendor's callback URL").fill('https://nango.example.com/oauth/callback');
  const plan = await review(page);
  assert.match(await plan.innerText(), /Global Administrator/);
  const result = await applyAndWait(page);
  assert.match(await result.innerText(), /Value \(not the Secret ID/);

  const clientId = await copyField(page, 'Client ID');
  const secret = await copyField(page, 'Client Secret');
  assert.ok(!(await page.getByTestId('export-card').innerText()).includes(secret), 'the secret is masked on screen');

  const tenant = await sim.tenant(CONTOSO);
  const mine = created(tenant);
  assert.deepEqual(counts(mine), { apps: 1, secrets: 1, sps: 1, grants: 1, assignments: 0 });
  const [app] = mine.apps;
  assert.equal(app.appId, clientId);
  assert.deepEqual(app.web.redirectUris, ['https://nango.example.com/oauth/callback']);
  assert.equal(app.uniqueName, 'entra-setup-assistant-nango-microsoft-teams');
  const [grant] = mine.grants;
  assert.equal(grant.consentType, 'AllPrincipals');
  for (const scope of ['ChannelMessage.Send', 'Chat.ReadWrite', 'offline_access', 'Team.ReadBasic.All']) {
    assert.ok(grant.scope.split(' ').includes(scope), `${scope} consented: ${grant.scope}`);
  }

  const token = await sim.clientCredentials(CONTOSO, clientId, secret);
  assert.equal(token.status, 200, JSON.stringify(token.body));
  // The Secret ID is not the secret.
  const wrong = await sim.clientCredentials(CONTOSO, clientId, app.passwordCredentials[0].keyId);
  assert.equal(wrong.status, 401);
  assert.match(wrong.body.error_description, /AADSTS7000215/);

  // Running the same integration again creates nothing new.
  const again = await review(page);
  assert.equal(await again.locator('[data-action=create]').count(), 0, await again.innerText());
  await applyAndWait(page);
  assert.match(await page.getByTestId('secret-note').innerText(), /No new secret was added/);
  assert.deepEqual(counts(created(await sim.tenant(CONTOSO))), counts(mine));
  assert.deepEqual(errors, []);
  await close();
});

test('Novus CalendarSync: application permissions are assigned and the secret works', async () => {
  const { page, errors, close } = await openSignedIn('novus-calendarsync', GLOBAL_ADMIN);
  // The assistant does the portal and CLI work the guide's errata are about: here they fold
  // into one disclosure, closed; the checklist keeps them inline (below).
  const differences = page.getByTestId('guide-differences');
  assert.equal(await differences.count(), 1);
  assert.equal(await differences.locator('summary').innerText(), "Differences from the vendor's guide (4)");
  assert.equal(await differences.locator('.notice.erratum').count(), 4);
  assert.equal(await page.locator('.notice.erratum').count(), 4, 'no erratum outside the disclosure');
  assert.equal(await differences.evaluate((d) => d.open), false);
  assert.equal(await differences.locator('.notice.erratum').first().isVisible(), false);
  await review(page);
  await applyAndWait(page);
  const clientId = await copyField(page, 'Client ID');
  const tenantId = await copyField(page, 'Tenant ID');
  assert.equal(tenantId, CONTOSO);
  const secret = await copyField(page, 'Secret');
  const mine = created(await sim.tenant(CONTOSO));
  assert.equal(mine.assignments.length, 2, 'Calendars.ReadWrite and User.Read.All');
  const token = await sim.clientCredentials(CONTOSO, clientId, secret);
  assert.equal(token.status, 200, JSON.stringify(token.body));
  assert.deepEqual(claims(token.body.access_token).roles.sort(), ['Calendars.ReadWrite', 'User.Read.All']);
  assert.deepEqual(errors, []);
  await close();
});

test('a signed-out setup page is the small sign-in module; the automated one comes when the admin reaches for the page, and runs after the sign-in', async () => {
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  const modules = [];
  page.on('request', (r) => {
    const name = /\/entra-setup-(checklist|signin|automated)-/.exec(r.url())?.[1];
    if (name && !modules.includes(name)) modules.push(name);
  });
  await page.goto(`${site.url}/setup/novus-calendarsync`);
  const button = page.getByRole('button', { name: 'Sign in with Microsoft' });
  await button.waitFor();
  assert.deepEqual(modules, ['signin'], 'the page paints and signs in without the provisioning engine');
  const prefetched = page.waitForRequest(/\/entra-setup-automated-[0-9a-f]+_bg\.wasm$/);
  await button.hover();
  await prefetched;
  await button.click();
  await approveAt(page, GLOBAL_ADMIN);
  // Back from the sign-in: the automated module finishes it and the run can start.
  await page.getByTestId('signed-in-as').waitFor();
  assert.equal(await page.getByTestId('more-permissions').count(), 0, 'every scope the run needs was granted');
  await page.getByRole('button', { name: /^Review changes$/ }).waitFor();
  assert.deepEqual(modules, ['signin', 'automated']);
  assert.deepEqual(errors, []);
  await close();
});

test("the sign-in card paints once config.json is read; its buttons wait for the sign-in service's discovery document", async () => {
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  // The discovery document comes from Microsoft's origin, the slowest part of a first visit.
  let answer;
  let ask;
  const held = new Promise((ok) => { answer = ok; });
  const asked = new Promise((ok) => { ask = ok; });
  await page.route('**/.well-known/openid-configuration', async (route) => { ask(); await held; await route.continue(); });
  await page.goto(`${site.url}/setup/novus-calendarsync`);
  await asked;
  const button = page.getByRole('button', { name: 'Sign in with Microsoft' });
  await button.waitFor();
  assert.ok(await page.getByText('Sign in with a work account that administers the tenant where Novus').isVisible());
  assert.ok(await button.isDisabled(), 'no sign-in before the endpoints are known');
  assert.ok(await page.getByTestId('minimal-sign-in').isDisabled());
  const card = await page.locator('.sign-in').boundingBox();
  answer();
  await page.waitForFunction(() => !document.querySelector('.sign-in button:not(.link-button)').disabled);
  assert.deepEqual(await page.locator('.sign-in').boundingBox(), card, 'the card does not move when it becomes usable');
  assert.deepEqual(errors, []);
  await close();
});

test('Novus from the home page to the copied values: seven clicks in the app, one sign-in', async () => {
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  await allowClipboard(page, site.url);
  const authorizeUrls = [];
  page.on('request', (r) => { if (r.url().includes('/oauth2/v2.0/authorize?')) authorizeUrls.push(r.url()); });
  // Every click the admin makes, per origin (the app's, and Microsoft's sign-in pages),
  // counted in that origin's sessionStorage so the count survives the sign-in round trip.
  await page.addInitScript(() => {
    document.addEventListener('click', (e) => {
      if (e.isTrusted) sessionStorage.setItem('e2e-clicks', String(Number(sessionStorage.getItem('e2e-clicks') ?? 0) + 1));
    }, true);
  });
  await page.goto(`${site.url}/`);
  await page.locator('main a[href="/setup/novus-calendarsync"]').click();
  await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
  await approveAt(page, GLOBAL_ADMIN);
  await page.getByTestId('signed-in-as').waitFor();
  assert.equal(await page.getByTestId('more-permissions').count(), 0, 'the one sign-in asked for what the run needs');
  await review(page);
  await applyAndWait(page);
  for (const field of ['Client ID', 'Tenant ID', 'Secret']) await copyField(page, field);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('e2e-clicks')), '7');
  assert.equal(authorizeUrls.length, 1, 'one sign-in');
  assert.equal(created(await sim.tenant(CONTOSO)).assignments.length, 2);
  assert.deepEqual(errors, []);
  await close();
});

test("the checklist keeps the guide's errata inline, where the admin acts on them", async () => {
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  await page.goto(`${site.url}/checklist/novus-calendarsync`);
  await page.locator('.notice.erratum').first().waitFor();
  assert.equal(await page.getByTestId('guide-differences').count(), 0);
  const errata = page.locator('.notices > .notice.erratum');
  assert.equal(await errata.count(), 4);
  for (const notice of await errata.all()) assert.ok(await notice.isVisible());
  assert.deepEqual(errors, []);
  await close();
});

test('KODO for Cloud: several APIs, with retired Azure AD Graph mapped to Microsoft Graph', async () => {
  const { page, errors, close } = await openSignedIn('kodo-for-cloud', GLOBAL_ADMIN);
  await review(page);
  await applyAndWait(page);
  const secret = await copyField(page, 'Secret');
  const [app] = created(await sim.tenant(CONTOSO)).apps;
  const apis = app.requiredResourceAccess.map((r) => r.resourceAppId).sort();
  assert.deepEqual(apis, [
    '00000002-0000-0ff1-ce00-000000000000', // Office 365 Exchange Online
    '00000003-0000-0000-c000-000000000000', // Microsoft Graph
    '00000003-0000-0ff1-ce00-000000000000', // SharePoint
  ]);
  assert.ok(!apis.includes(AZURE_AD_GRAPH), 'Azure AD Graph is never added');
  const token = await sim.clientCredentials(CONTOSO, app.appId, secret);
  assert.equal(token.status, 200, JSON.stringify(token.body));
  assert.deepEqual(errors, []);
  await close();
});

test("Microsoft Defender: three APIs, creating WindowsDefenderATP's missing service principal", async () => {
  const before = await sim.tenant(FABRIKAM);
  assert.ok(!before.servicePrincipals.some((s) => s.appId === DEFENDER_ATP), 'the tenant starts without it');
  const { page, errors, close } = await openSignedIn('nango-microsoft-defender', FABRIKAM_ADMIN);
  await page.getByLabel("The vendor's callback URL").fill('https://nango.example.com/oauth/callback');
  await review(page);
  await applyAndWait(page);
  const secret = await copyField(page, 'Client Secret');
  const tenant = await sim.tenant(FABRIKAM);
  assert.ok(tenant.servicePrincipals.some((s) => s.appId === DEFENDER_ATP), 'WindowsDefenderATP now has a service principal');
  const mine = created(tenant);
  assert.equal(mine.apps[0].requiredResourceAccess.length, 3);
  assert.equal(mine.grants.length, 3, 'one tenant-wide grant per API');
  const token = await sim.clientCredentials(FABRIKAM, mine.apps[0].appId, secret);
  assert.equal(token.status, 200, JSON.stringify(token.body));
  assert.deepEqual(errors, []);
  await close();
});

test('Microsoft Fabric: client credentials, no redirect URI, and the secret obtains a token', async () => {
  const { page, errors, close } = await openSignedIn('nango-microsoft-fabric', GLOBAL_ADMIN);
  assert.equal(await page.getByLabel("The vendor's callback URL").count(), 0);
  await review(page);
  await applyAndWait(page);
  const clientId = await copyField(page, 'Client ID');
  const secret = await copyField(page, 'Client Secret');
  const [app] = created(await sim.tenant(CONTOSO)).apps;
  assert.deepEqual(app.web?.redirectUris ?? [], []);
  const token = await sim.clientCredentials(CONTOSO, clientId, secret);
  assert.equal(token.status, 200, JSON.stringify(token.body));
  assert.deepEqual(errors, []);
  await close();
});

test('running again right after a run, before its secret reaches every replica, adds no second secret', async () => {
  const { page, errors, close } = await openSignedIn('nango-microsoft-fabric', GLOBAL_ADMIN);
  await review(page);
  await applyAndWait(page);
  const secret = await copyField(page, 'Client Secret');
  // For the next seconds, the replicas the page reads from have nothing the run made: a
  // review that took that at its word would add a second secret.
  await sim.patch('/_sim/knobs', { replication_delay_ms: 10000 });
  const again = await review(page);
  assert.equal(await again.locator('[data-step=secret][data-action=keep]').count(), 1, await again.innerText());
  await applyAndWait(page);
  await sim.patch('/_sim/knobs', { replication_delay_ms: 0 });
  const mine = created(await sim.tenant(CONTOSO));
  assert.deepEqual(mine.secrets.length, 1, 'one secret: the one whose Value the admin copied');
  const token = await sim.clientCredentials(CONTOSO, mine.apps[0].appId, secret);
  assert.equal(token.status, 200, JSON.stringify(token.body));
  assert.deepEqual(errors, []);
  await close();
});

test('without the role to consent, the admin gets a finish link; after a Global Administrator uses it, Verify passes', async () => {
  const { page, errors, close } = await openSignedIn('novus-calendarsync', CLOUD_APP_ADMIN);
  const plan = await review(page);
  assert.match(await plan.innerText(), /Cloud Application Administrator/);
  const result = await applyAndWait(page);
  assert.equal(await result.getAttribute('data-state'), 'awaiting-consent');
  const link = page.getByTestId('consent-link');
  assert.match(await link.innerText(), /Global Administrator or Privileged Role Administrator/);
  const url = await link.locator('a').getAttribute('href');
  // Novus has no redirect URI: Entra's consent URLs would end in AADSTS500113, so the link
  // opens this assistant in finish mode.
  assert.ok(url.startsWith(`${site.url}/setup/novus-calendarsync?finish=`), url);
  const before = created(await sim.tenant(CONTOSO));
  assert.equal(before.assignments.length, 0, 'nothing was granted yet');

  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByTestId('verify-summary').waitFor();
  assert.equal(await page.getByTestId('verify-summary').getAttribute('data-ok'), 'false');

  // The Global Administrator opens the link in their own browser and finishes.
  const admin = await openSignedIn('novus-calendarsync', GLOBAL_ADMIN, url);
  await admin.page.getByTestId('finish-mode').waitFor();
  await review(admin.page);
  await applyAndWait(admin.page);
  await admin.page.getByTestId('finished').waitFor();
  assert.deepEqual(admin.errors, []);
  await admin.close();
  const after = created(await sim.tenant(CONTOSO));
  assert.equal(after.assignments.length, 2);
  assert.equal(after.apps.length, 1);
  assert.deepEqual(after.secrets, before.secrets, 'finish mode keeps the secret as it was');

  // The admin selects Verify once told it is done: by then the new grants have replicated.
  await sim.post('/_sim/clock', { advance_secs: 5 });
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.locator('[data-testid=verify-summary][data-ok=true]').waitFor();
  assert.deepEqual(errors, []);
  await close();
});

test('a Global Administrator through a role-assignable group grants everything: no consent link', async () => {
  const { page, errors, close } = await openSignedIn('novus-calendarsync', GROUP_GLOBAL_ADMIN);
  const plan = await review(page);
  assert.match(await page.getByTestId('capabilities').innerText(), /You are Global Administrator/);
  assert.equal(await plan.locator('[data-action=needs-admin]').count(), 0);
  const result = await applyAndWait(page);
  assert.equal(await result.getAttribute('data-state'), 'working');
  assert.equal(await page.getByTestId('consent-link').count(), 0);
  assert.equal(created(await sim.tenant(CONTOSO)).assignments.length, 2);
  assert.deepEqual(errors, []);
  await close();
});

test('an admin eligible in PIM but not active is told to activate the role', async () => {
  await consentForOrganization('novus-calendarsync');
  const { page, errors, close } = await openSignedIn('novus-calendarsync', ELIGIBLE_ADMIN);
  const plan = await review(page);
  assert.match(
    await page.getByTestId('capabilities').innerText(),
    /eligible for Privileged Role Administrator in Privileged Identity Management, but it is not active: activate it in PIM/,
  );
  assert.ok((await plan.locator('[data-action=needs-admin]').count()) > 0, 'nothing is attempted on an inactive role');
  assert.deepEqual(errors, []);
  await close();
});

test('an MSP guest names the customer tenant and sets up Nango Teams there, nothing in the home tenant', async () => {
  const { page, errors, close } = await openSignedIn('nango-microsoft-teams', MSP_GUEST, undefined, {
    tenant: 'fabrikam-demo.onmicrosoft.com',
  });
  assert.match(await page.getByTestId('signed-in-tenant').innerText(), new RegExp(FABRIKAM));
  await page.getByLabel("The vendor's callback URL").fill('https://nango.example.com/oauth/callback');
  const plan = await review(page);
  assert.match(await page.getByTestId('capabilities').innerText(), /Cloud Application Administrator/);
  assert.equal(await plan.locator('[data-action=needs-admin]').count(), 0);
  const result = await applyAndWait(page);
  assert.equal(await result.getAttribute('data-state'), 'working');
  const there = created(await sim.tenant(FABRIKAM));
  assert.deepEqual(counts(there), { apps: 1, secrets: 1, sps: 1, grants: 1, assignments: 0 });
  assert.deepEqual(counts(created(await sim.tenant(CONTOSO))), { apps: 0, secrets: 0, sps: 0, grants: 0, assignments: 0 });
  const clientId = await copyField(page, 'Client ID');
  assert.equal(clientId, there.apps[0].appId);
  assert.deepEqual(errors, []);
  await close();
});

test('with throttling, outages, replication delay and an expired token injected, the run completes with nothing duplicated', async () => {
  const { page, errors, close } = await openSignedIn('novus-calendarsync', GLOBAL_ADMIN);
  await sim.patch('/_sim/knobs', {
    replication_delay_ms: 1500,
    throttle: { max_requests: 2, window_ms: 1000 },
  });
  await sim.post('/_sim/faults', [
    { path: '/v1.0/applications*', kind: 'service_unavailable', count: 1 },
    { method: 'POST', path: '/v1.0/servicePrincipals', kind: 'gateway_timeout', count: 1 },
    { path: '/v1.0/servicePrincipals/*/appRoleAssignedTo', kind: 'token_expired', count: 1 },
  ]);
  await review(page);
  await applyAndWait(page);
  const statuses = await page.locator('.run-step').evaluateAll((steps) => steps.map((s) => s.dataset.status));
  assert.ok(statuses.every((s) => s === 'done'), statuses.join(', '));
  const mine = created(await sim.tenant(CONTOSO));
  assert.deepEqual(counts(mine), { apps: 1, secrets: 1, sps: 1, grants: 1, assignments: 2 });
  const log = (await sim.get('/_sim/requests')).requests;
  assert.ok(log.some((r) => r.status === 429 || r.throttled), 'throttling was hit');
  assert.ok(log.some((r) => r.status === 503), 'an outage was hit');
  assert.ok(log.some((r) => r.status === 401), 'a token expired');
  const secret = await copyField(page, 'Secret');
  await sim.patch('/_sim/knobs', { replication_delay_ms: 0, throttle: null });
  const token = await sim.clientCredentials(CONTOSO, mine.apps[0].appId, secret);
  assert.equal(token.status, 200, JSON.stringify(token.body));
  assert.deepEqual(errors, []);
  await close();
});

test('when the sign-in has ended mid-run, the admin signs in again and the run finishes without duplicates', async () => {
  const { page, errors, close } = await openSignedIn('nango-microsoft-teams', GLOBAL_ADMIN);
  await page.getByLabel("The vendor's callback URL").fill('https://nango.example.com/oauth/callback');
  await review(page);
  // A day later, for the simulator and the browser alike: the access token and the SPA
  // refresh token (24 h at most) are both dead.
  await sim.post('/_sim/clock', { advance_secs: 25 * 3600 });
  await page.clock.setSystemTime(Date.now() + 25 * 3600 * 1000);
  await page.locator('button.apply').click();
  const paused = page.getByTestId('paused');
  await paused.waitFor();
  assert.match(await paused.innerText(), /sign in again/i);

  await page.getByRole('button', { name: 'Sign in again' }).click();
  await approveAt(page, GLOBAL_ADMIN);
  await page.getByTestId('resume').waitFor();
  assertNoCodeInUrl(page);
  await review(page);
  await applyAndWait(page);
  assert.deepEqual(counts(created(await sim.tenant(CONTOSO))), { apps: 1, secrets: 1, sps: 1, grants: 1, assignments: 0 });
  assert.deepEqual(errors, []);
  await close();
});

test('the sign-in outlives the page: to the checklist and back, the admin is still signed in', async () => {
  const { page, errors, close } = await openSignedIn('novus-calendarsync', GLOBAL_ADMIN);
  await page.locator('main a[href="/checklist/novus-calendarsync"]').click();
  await page.getByTestId('export-card').waitFor();
  assert.match(await page.getByTestId('session-state').innerText(), /^Signed in as /);
  await page.locator('main a[href="/setup/novus-calendarsync"]').click();
  await page.getByTestId('signed-in-as').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Sign in with Microsoft' }).count(), 0);
  assert.equal(await page.getByTestId('more-permissions').count(), 0, 'the granted scopes are still known');
  assert.match(await page.getByTestId('session-state').innerText(), /^Signed in as /);
  assert.deepEqual(errors, []);
  await close();
});

test('leaving with the secret not yet copied asks first', async () => {
  const { page, close } = await openSignedIn('nango-microsoft-fabric', GLOBAL_ADMIN);
  await review(page);
  await applyAndWait(page);
  let asked = 0;
  page.on('dialog', (dialog) => { asked += 1; dialog.dismiss(); });
  await page.getByRole('link', { name: 'All integrations' }).click();
  assert.equal(asked, 1);
  assert.match(page.url(), /\/setup\/nango-microsoft-fabric$/);
  await copyField(page, 'Client Secret');
  await page.getByRole('link', { name: 'All integrations' }).click();
  await page.getByRole('heading', { name: 'Choose an integration' }).waitFor();
  assert.equal(asked, 1);
  await close();
});

/** Downloads one of the result's files. */
async function download(page, name) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: `Download ${name}` }).click(),
  ]);
  return file;
}

test('Back right after a run asks first; staying keeps the result; the reminder file does not count as saved', async () => {
  const { page, errors, close } = await openSignedIn('nango-microsoft-fabric', GLOBAL_ADMIN);
  const setupUrl = page.url();
  await review(page);
  await applyAndWait(page);
  const asked = [];
  let answer = 'dismiss';
  page.on('dialog', (dialog) => { asked.push(dialog.message()); dialog[answer](); });

  // Same-document Back: the dialog comes from the popstate handler, after goBack returns.
  await Promise.all([page.waitForEvent('dialog'), page.goBack()]);
  assert.equal(asked.length, 1, 'Back asks');
  assert.match(asked[0], /client secret has not been copied or downloaded/);
  await page.waitForURL(setupUrl);
  assert.equal(await page.getByTestId('result').count(), 1, 'the result stays on screen');

  // The calendar reminder holds no Value: the page still asks.
  await download(page, 'nango-microsoft-fabric-secret-reminder.ics');
  await page.getByRole('link', { name: 'All integrations' }).click();
  assert.equal(asked.length, 2, 'the .ics download does not count as saving the secret');
  assert.equal(await page.getByTestId('result').count(), 1);

  // Ticking "I have stored the secret" clears the guard: Back then returns to the app.
  await page.getByTestId('secret-stored').check();
  await page.goBack();
  await page.getByRole('heading', { name: 'Choose an integration' }).waitFor();
  assert.equal(asked.length, 2, 'nothing asked once the secret is stored');
  assert.equal(page.url(), `${site.url}/`, 'Back after a run stays in the app');
  assert.deepEqual(errors, []);
  await close();
});

test('a download holding the Value counts as saved', async () => {
  const { page, close } = await openSignedIn('nango-microsoft-fabric', GLOBAL_ADMIN);
  await review(page);
  await applyAndWait(page);
  let asked = 0;
  page.on('dialog', (dialog) => { asked += 1; dialog.dismiss(); });
  const names = await page.getByTestId('downloads').getByRole('button').allInnerTexts();
  const env = names.find((n) => n.endsWith('.env'));
  assert.ok(env, names.join(', '));
  await download(page, env.replace(/^Download /, ''));
  assert.equal(await page.getByTestId('secret-stored').isChecked(), true);
  await page.getByRole('link', { name: 'All integrations' }).click();
  await page.getByRole('heading', { name: 'Choose an integration' }).waitFor();
  assert.equal(asked, 0);
  await close();
});

test('a sign-in leaves no code in the URL or in history, and asks which account', async () => {
  const authorizeUrls = [];
  const { page, errors, close } = await openPage(browser, { origin: site.url });
  page.on('request', (r) => { if (r.url().includes('/oauth2/v2.0/authorize?')) authorizeUrls.push(r.url()); });
  await page.goto(`${site.url}/`);
  await page.getByRole('heading', { name: 'Choose an integration' }).waitFor();
  await page.goto(`${site.url}/setup/novus-calendarsync`);
  await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
  await approveAt(page, GLOBAL_ADMIN);
  await page.getByTestId('signed-in-as').waitFor();
  assertNoCodeInUrl(page);
  assert.equal(page.url(), `${site.url}/setup/novus-calendarsync`);
  assert.ok(authorizeUrls.length > 0);
  for (const url of authorizeUrls) assert.equal(new URL(url).searchParams.get('prompt'), 'select_account', url);
  // Nothing in this tab kept the code either.
  const kept = await page.evaluate(() => JSON.stringify({ ...sessionStorage }));
  assert.ok(!/code=/.test(kept), kept);
  // The shell handed the response to the page module in memory, through the typed seam.
  assert.deepEqual(await page.evaluate(() => Object.keys(window).filter((k) => /^__entra/i.test(k))), [], 'nothing of ours on window');

  // Walk history back: the return entry is the app's root, clean; before it, the sign-in
  // pages (never the app's page with a code, never the page that started the sign-in).
  await page.goBack();
  await page.getByRole('heading', { name: 'Choose an integration' }).waitFor();
  assert.equal(page.url(), `${site.url}/`);
  const signInPages = [];
  // Account picker and consent page, each a form post; a Back that lands on a form post's
  // result may need a second press, so the walk allows a few more steps than pages.
  for (let i = 0; i < 10; i += 1) {
    await page.goBack({ waitUntil: 'commit' }).catch(() => null);
    if (page.url().startsWith(site.url)) break;
    signInPages.push(page.url());
  }
  assert.ok(signInPages.length > 0, 'the sign-in pages are behind the return');
  for (const url of signInPages) {
    assert.ok(url.startsWith(sim.url), url);
    assert.ok(!holdsCode(url), url);
  }
  assert.equal(page.url(), `${site.url}/`, 'the entry before the sign-in is the page before the setup page');
  assert.deepEqual(errors, []);
  await close();
});

test('a sign-in response is taken out of the URL even when the automated-setup module cannot load', async () => {
  const { page, close } = await openPage(browser);
  await page.route(/entra-setup-automated/, (route) => route.abort());
  await page.goto(`${site.url}/setup/novus-calendarsync#code=stolen-if-left&state=abc&session_state=x`);
  await page.getByRole('alert').filter({ hasText: 'This page could not be loaded' }).waitFor();
  assert.equal(page.url(), `${site.url}/setup/novus-calendarsync`);
  await close();
});

test('signing out ends the Microsoft session too and comes back to the site root', async () => {
  const { page, errors, close } = await openSignedIn('novus-calendarsync', GLOBAL_ADMIN);
  const seen = [];
  page.on('request', (r) => seen.push(r.url()));
  const session = async () => (await page.context().cookies(sim.url)).filter((c) => c.name === 'esim_session');
  assert.equal((await session()).length, 1, 'signed in at the simulator');
  await page.getByTestId('sign-out').click();
  await page.waitForURL((u) => u.origin === site.url && u.pathname === '/');
  await page.getByRole('heading', { name: 'Choose an integration' }).waitFor();
  const logout = seen.find((u) => u.includes('/oauth2/v2.0/logout'));
  assert.ok(logout, seen.join('\n'));
  assert.equal(new URL(logout).searchParams.get('post_logout_redirect_uri'), `${site.url}/`);
  assert.equal((await session()).length, 0, 'the Microsoft session is over');
  assert.match(await page.getByTestId('session-state').innerText(), /Not signed in/);
  assert.deepEqual(errors, []);
  await close();
});
