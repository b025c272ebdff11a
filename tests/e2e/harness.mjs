// Shared rig for the end-to-end tests: serve the release build of the app the way a static
// host with an index.html fallback does, and drive it in the machine's real Chromium.
import { after, before, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { readFile, stat } from 'node:fs/promises';
import { join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { contentType, headersForPath, pageModuleStems, prerenderedFile, prerenderedPaths, scriptHashes, securityHeaders } from '../../hosting/policy.mjs';

// The e2e build (`cargo xtask test`: release with the dev-endpoints feature, so it accepts the
// loopback simulator); `E2E_RELEASE_DIST` names the deployable build (`dist/`), which must not.
const DIST = resolve(process.env.E2E_DIST ?? 'target/e2e-dist');
export const RELEASE_DIST = process.env.E2E_RELEASE_DIST ? resolve(process.env.E2E_RELEASE_DIST) : null;

/**
 * Serves dist/ on an ephemeral 127.0.0.1 port; a prerendered deep link gets its `<path>.html`
 * (as static hosts serve it), other unknown paths index.html.
 * `site.config`, when set, is served as /config.json, as a host points the app at its
 * identity provider (here: entra-sim); `site.connect` (origins, space-separated) is where the
 * app may connect besides itself: the authority and Graph, here entra-sim's origin.
 * Every response carries the headers of the hosting files the build writes
 * (hosting/policy.mjs): the strict Content-Security-Policy with the hashes of the built
 * index.html's inline scripts, so every test proves the app runs under it, and the per-path
 * ones (Cache-Control, the tenant page module's preload).
 */
export async function serveDist({ dist = DIST } = {}) {
  const site = { config: null, dist };
  const index = await readFile(join(dist, 'index.html'), 'utf8');
  const hashes = scriptHashes(index);
  const stems = pageModuleStems(index);
  const prerendered = prerenderedPaths(dist);
  site.headers = () => securityHeaders({ hashes, connect: (site.connect ?? '').split(/\s+/).filter(Boolean) });
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/config.json' && site.config) {
      res.writeHead(200, { 'content-type': contentType('config.json'), ...site.headers() });
      res.end(JSON.stringify(site.config));
      return;
    }
    const file = normalize(join(dist, prerenderedFile(path, { prerendered }) ?? path));
    let target = join(dist, 'index.html');
    if (file.startsWith(dist) && (await stat(file).catch(() => null))?.isFile()) target = file;
    const body = await readFile(target);
    res.writeHead(200, {
      'content-type': contentType(target),
      ...site.headers(),
      // As the hosting files say: no-cache, and the tenant page module's preload.
      ...headersForPath(path, { stems }),
    });
    res.end(body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  site.url = `http://127.0.0.1:${port}`;
  site.close = () => new Promise((ok) => server.close(ok));
  return site;
}

/**
 * Starts entra-sim (the binary `cargo xtask test` builds) on an ephemeral port, accepting
 * `redirectUri` for the assistant's sign-in, with a small client for its control API.
 */
export async function startSim({ redirectUri, args = [] } = {}) {
  const bin = process.env.E2E_SIM_BIN ?? 'target/debug/entra-sim';
  const extra = redirectUri ? ['--spa-redirect-uri', redirectUri] : [];
  const child = spawn(bin, ['--port', '0', ...extra, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((ok, fail) => {
    lines.once('line', ok);
    child.once('exit', (code) => fail(new Error(`entra-sim exited (${code}) before listening`)));
    // A binary that cannot start (not built, wrong E2E_SIM_BIN) fails the suite, not hangs it.
    child.once('error', (e) => fail(new Error(`entra-sim could not start from ${bin}: ${e.message}; build it with cargo build -p entra-sim or set E2E_SIM_BIN`)));
  });
  lines.on('line', () => {}); // keep draining
  const url = first.replace('entra-sim listening on ', '').trim();
  const call = async (method, path, body) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return text ? JSON.parse(text) : null;
  };
  const info = await call('GET', '/_sim/info');
  return {
    url,
    info,
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    patch: (path, body) => call('PATCH', path, body),
    reset: () => call('POST', '/_sim/reset'),
    /** The directory of one tenant (by id or domain). */
    tenant: async (tenant) => (await call('GET', `/_sim/state?tenant=${tenant}`)).tenants[0],
    /**
     * A vendor's server using the values: a client-credentials token from the tenant's token
     * endpoint (`{ status, body }`). The vendor uses the Value minutes after it was pasted; by
     * then every replica has it (the realistic profile delays each object by up to 3 s of sim
     * time), so the sim clock moves 5 s first.
     */
    clientCredentials: async (tenant, clientId, secret) => {
      await call('POST', '/_sim/clock', { advance_secs: 5 });
      const res = await fetch(`${url}/${tenant}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials', client_id: clientId, client_secret: secret,
          scope: 'https://graph.microsoft.com/.default',
        }),
      });
      return { status: res.status, body: await res.json() };
    },
    /** The app's config.json for this simulator, as a host would write it. */
    appConfig: () => ({
      authority: `${url}/organizations/v2.0`,
      graph_base_url: `${url}/v1.0`,
      client_id: info.assistant_client_id,
    }),
    stop: () => new Promise((ok) => { child.once('exit', ok); child.kill('SIGTERM'); }),
  };
}

/**
 * Headless Debian Chromium with the flags this closed network needs. `scrollbars`: with
 * classic scrollbars that take room, as a desktop browser draws them (Playwright hides them).
 */
export async function launchBrowser({ scrollbars = false } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    ignoreDefaultArgs: scrollbars ? ['--hide-scrollbars'] : [],
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/**
 * A fresh page that records console errors, uncaught exceptions and Content-Security-Policy
 * violations, so every test can assert the app ran cleanly (a wasm start-up crash shows up
 * here, not as a visible error). `close()` fails the test on any violation, also in tests
 * that do not look at `errors`.
 */
export async function openPage(browser, { origin } = {}) {
  const context = await browser.newContext();
  const errors = [];
  const violations = [];
  // Recorded in the page (every document of the context, from its first script on) and
  // reported back through a binding, whatever the page's origin.
  await context.exposeBinding('__e2eCspViolation', ({ frame }, violation) => {
    violations.push(violation);
    errors.push(`CSP violation on ${frame.url()}: ${violation.directive} blocked ${violation.blocked}${violation.sample ? ` (${violation.sample})` : ''}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__e2eCspViolation({
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        sample: event.sample,
      });
    }, true);
  });
  const page = await context.newPage();
  // A prerendered deep link (src/prerender.rs) is for reading until its page module runs
  // (`inert`, src/lazy.rs): after each load, wait for the live page, as an admin would, or for
  // the alert that says it could not load. `{ live: false }` looks at the prerendered page.
  const live = () => page.waitForFunction(() =>
    !document.querySelector('main > .lazy-page[inert]') || document.querySelector('main [role=alert]'));
  for (const name of ['goto', 'reload']) {
    const load = page[name].bind(page);
    page[name] = async (...args) => {
      const options = args.at(-1);
      const wait = typeof options !== 'object' || options.live !== false;
      if (typeof options === 'object') delete options.live;
      const response = await load(...args);
      if (wait) await live();
      return response;
    };
  }
  // With `origin`, only the app's own errors count (not the sign-in pages' missing favicon).
  const ours = () => !origin || page.url().startsWith(origin);
  // Chromium also logs every HTTP error answer as a console error; Graph's 404s and 429s are
  // answers the app handles (and the tests inject), not failures of the app.
  const httpStatus = (text) => text.startsWith('Failed to load resource: the server responded with a status of');
  page.on('console', (msg) => {
    if (msg.type() === 'error' && ours() && !httpStatus(msg.text())) errors.push(msg.text());
  });
  page.on('pageerror', (err) => { if (ours()) errors.push(String(err)); });
  const close = async () => {
    await context.close();
    if (violations.length) throw new Error(`Content-Security-Policy violations: ${JSON.stringify(violations)}`);
  };
  return { page, errors, violations, close };
}

/** Lets the page use the clipboard, as an admin's browser does after their first copy. */
export async function allowClipboard(page, origin) {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
}

/**
 * Copies one value of the values card (its row's label matches `label`, a string or a
 * RegExp) with its copy button, and returns what reached the clipboard.
 */
export async function copyField(page, label) {
  const row = page.getByTestId('export-card').locator('.card-row').filter({ has: page.locator('dt', { hasText: label }) }).first();
  await row.getByRole('button', { name: /^Copy/ }).click();
  await row.getByRole('button', { name: /^Copy/ }).getByText('Copied').waitFor();
  return page.evaluate(() => navigator.clipboard.readText());
}

/** On a signed-in setup page: Review, and the plan once the diff is shown. */
export async function review(page) {
  await page.getByRole('button', { name: /^Review (changes|again)$/ }).click();
  await page.getByTestId('diff').waitFor();
  return page.getByTestId('plan');
}

/**
 * Applies the reviewed plan and waits for the run to end; fails with the page's text when
 * it stopped, paused or could not finish. Returns the result (or finish mode's end).
 */
export async function applyAndWait(page) {
  await page.locator('button.apply').click();
  const ended = ['result', 'finished', 'stopped', 'paused', 'incomplete'].map((id) => page.getByTestId(id));
  await ended.reduce((a, b) => a.or(b)).first().waitFor();
  for (const id of ['stopped', 'paused', 'incomplete']) {
    assert.equal(await page.getByTestId(id).count(), 0, await page.locator('main').innerText());
  }
  return page.getByTestId('result').or(page.getByTestId('finished'));
}

/**
 * On entra-sim's sign-in pages: pick `upn` if asked, tick "Consent on behalf of your
 * organization" when `forOrganization`, accept the consent page if shown, and wait until the
 * browser is back at `appUrl`. A sign-in the simulator completes silently (same user,
 * nothing new to consent) comes straight back to the app's root.
 */
export async function approveAt(page, { simUrl, appUrl, upn, forOrganization = false }) {
  const returned = (u) => u.startsWith(`${appUrl}/#`);
  await page.waitForURL((u) => u.toString().startsWith(simUrl) || returned(u.toString()));
  if (page.url().startsWith(simUrl)) {
    const pick = page.locator(`button[data-user="${upn}"]`);
    if (await pick.count()) await pick.click();
    if (forOrganization) await page.locator('input[name=consent_org]').check();
    const accept = page.locator('button[data-action=accept]');
    if (await accept.count()) await accept.click();
  }
  await page.waitForURL((u) => u.toString().startsWith(appUrl));
}

/**
 * The hooks every test file needs, in one place: the built site served, one browser, and,
 * with `sim` (entra-sim's extra arguments; `[]` for the default profile), a simulator wired
 * into the site's `config.json` and CSP and reset before each test. `use` receives the live
 * handles `{ site, sim, browser }` once they exist. `browser` passes options to `launchBrowser`
 * (`{ scrollbars: true }` for classic scrollbars).
 */
export function useSuite({ sim: simArgs, browser: browserOptions } = {}, use = () => {}) {
  const handles = {};
  before(async () => {
    handles.site = await serveDist();
    if (simArgs) {
      handles.sim = await startSim({ redirectUri: `${handles.site.url}/`, args: simArgs });
      handles.site.config = handles.sim.appConfig();
      handles.site.connect = handles.sim.url;
    }
    handles.browser = await launchBrowser(browserOptions);
    use(handles);
  });
  after(async () => {
    await handles.browser?.close();
    await handles.site?.close();
    await handles.sim?.stop();
  });
  if (simArgs) {
    beforeEach(async () => {
      await handles.sim.reset();
      handles.site.config = handles.sim.appConfig();
    });
  }
}
