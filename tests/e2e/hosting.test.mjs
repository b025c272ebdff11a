// The hosting files the release build writes (staticwebapp.config.json, _headers) and the
// harness's headers carry the strict Content-Security-Policy, whose hashes allow exactly the
// built index.html's inline scripts (trunk's loader) and nothing inline else (a prerendered
// checklist starts the checklist app from a file); and the policy is live: an injected
// inline script does not run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openPage, RELEASE_DIST, serveDist, startSim, useSuite } from './harness.mjs';

let site;
let browser;
useSuite({}, (h) => ({ site, browser } = h));

/** The policy of issue 12, with these hashes and these origins in connect-src. */
const expectedPolicy = (hashes, connect) => [
  'default-src \'self\'',
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`,
  `connect-src 'self'${connect.map((origin) => ` ${origin}`).join('')}`,
  'img-src \'self\' data:',
  'style-src \'self\'',
  'object-src \'none\'',
  'base-uri \'none\'',
  'form-action \'none\'',
  'frame-ancestors \'none\'',
].join('; ');

/** The modules the shell loads on use, each named in index.html's `<meta name>` by its stem. */
const MODULES = ['entra-setup-checklist', 'entra-setup-signin', 'entra-setup-automated', 'entra-setup-exports'];

const GLOBAL = ['https://login.microsoftonline.com', 'https://graph.microsoft.com'];

/**
 * What must be revalidated: the page (at its deep links too, `/tenant` among them), the host's config.json and
 * wasm-bindgen's snippets (named after the crate, not the content).
 */
const NO_CACHE = ['/', '/index.html', '/config.json', '/snippets/*', '/checklist/*', '/setup/*', '/tenant'];

const HEADERS = {
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const lower = (headers) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

/** The `'sha256-…'` sources of a policy's script-src, sorted. */
const scriptHashSources = (policy) =>
  policy.split(';').map((d) => d.trim().split(/\s+/)).find(([name]) => name === 'script-src')
    .filter((source) => source.startsWith('\'sha256-')).sort();

/** `_headers`: path → { header: value }, one block per path. */
function parseHeadersFile(text) {
  const rules = {};
  let path;
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      path = line.trim();
      assert.equal(rules[path], undefined, `${path} has one block`);
      rules[path] = {};
    } else {
      const at = line.indexOf(':');
      rules[path][line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
    }
  }
  return rules;
}

test('the e2e build carries hosting files whose policy allows exactly its index.html\'s inline scripts', () => hostingFilesMatch(site));

test('the deployable dist/ carries them too, and refuses a loopback config.json', { skip: !RELEASE_DIST && 'E2E_RELEASE_DIST is not set (cargo xtask test sets it)' }, async () => {
  const release = await serveDist({ dist: RELEASE_DIST });
  const sim = await startSim();
  try {
    await hostingFilesMatch(release);
    // A site hosted with a simulator's config.json: the page says what is wrong.
    release.config = sim.appConfig();
    release.connect = sim.url;
    const { page, errors, close } = await openPage(browser, { origin: release.url });
    await page.goto(`${release.url}/setup/novus-calendarsync`);
    await page.getByText(/loopback|development/i).first().waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sign in with Microsoft' }).count(), 0);
    assert.deepEqual(errors.filter((e) => !/config\.json/.test(e)), []);
    await close();
  } finally {
    await release.close();
    await sim.stop();
  }
});

/** The bodies of the inline scripts of an HTML document (trunk's loader). */
function parseInline(html) {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter(([, attrs]) => !/\bsrc=/.test(attrs)).map(([, , body]) => body);
}

/** The hosting files of the build `site` serves allow exactly its index.html's inline scripts. */
async function hostingFilesMatch(site) {
  const DIST = site.dist;
  // The inline scripts as the browser's HTML parser sees them in the built page.
  const { page, close } = await openPage(browser);
  await page.goto(`${site.url}/`);
  const parsed = await page.evaluate(async (modules) => {
    const html = await (await fetch('/index.html')).text();
    const doc = new DOMParser().parseFromString(html, 'text/html');
    return {
      inline: [...doc.scripts].filter((s) => !s.hasAttribute('src')).map((s) => s.textContent),
      pages: Object.fromEntries(modules.map((name) => [name, doc.querySelector(`meta[name=${name}]`)?.content])),
    };
  }, MODULES);
  await close();
  assert.ok(parsed.inline.length >= 1, 'trunk\'s loader is inline');
  assert.ok(parsed.inline.every((body) => MODULES.every((name) => !body.includes(name))), 'no inline script of ours');

  // Each page module's files are named by their content, like every other file: a new
  // module gets new names, so no cache can pair it with another shell.
  const files = await readdir(DIST);
  for (const [name, stem] of Object.entries(parsed.pages)) {
    assert.ok(!files.includes(`${name}.js`) && !files.includes(`${name}_bg.wasm`), `no unhashed ${name}`);
    assert.match(stem ?? '', new RegExp(`^${name}-[0-9a-f]{16}$`));
    const [js, wasm] = await Promise.all([`${stem}.js`, `${stem}_bg.wasm`].map((f) => readFile(join(DIST, f))));
    assert.equal(stem, `${name}-${createHash('sha256').update(js).update(wasm).digest('hex').slice(0, 16)}`);
  }
  // Every preload's integrity is its file's: trunk's concurrent pipelines once left the
  // SHA-384 of an empty file on a snippet, and the browser refused it (post-build.mjs).
  const pages = ['index.html'];
  for (const folder of ['checklist', 'setup']) {
    for (const name of (await readdir(join(DIST, folder))).filter((n) => n.endsWith('.html'))) pages.push(`${folder}/${name}`);
  }
  for (const html of pages) {
    const text = await readFile(join(DIST, html), 'utf8');
    for (const [, href, sri] of text.matchAll(/<link\b[^>]*?\bhref="?\/([^"\s>]+)"?[^>]*?\bintegrity="?(sha384-[A-Za-z0-9+/=]+)/gi)) {
      const actual = `sha384-${createHash('sha384').update(await readFile(join(DIST, href))).digest('base64')}`;
      assert.equal(sri, actual, `${html}: the integrity of /${href}`);
    }
  }
  const hashes = [...new Set(parsed.inline.map((body) => `'sha256-${createHash('sha256').update(body).digest('base64')}'`))].sort();

  // Azure Static Web Apps.
  const swa = JSON.parse(await readFile(join(DIST, 'staticwebapp.config.json'), 'utf8'));
  assert.equal(swa.navigationFallback.rewrite, '/index.html');
  assert.ok(swa.navigationFallback.exclude.some((glob) => glob.includes('js') && glob.includes('wasm')), 'files are not rewritten');
  const swaHeaders = lower(swa.globalHeaders);
  assert.deepEqual(scriptHashSources(swaHeaders['content-security-policy']), hashes);
  assert.equal(swaHeaders['content-security-policy'], expectedPolicy(scriptHashSources(swaHeaders['content-security-policy']), GLOBAL));
  assert.match(swaHeaders['strict-transport-security'], /^max-age=\d{8,}/);
  for (const [name, value] of Object.entries(HEADERS)) assert.equal(swaHeaders[name], value, name);
  for (const path of ['/index.html', '/config.json', '/']) {
    const route = swa.routes.find((r) => r.route === path);
    assert.equal(lower(route?.headers ?? {})['cache-control'], 'no-cache', `SWA ${path}`);
  }
  // The prerendered deep links (src/prerender.rs): each integration's checklist and setup
  // page, as `<path>.html`, which SWA serves only by a rewrite; it applies the first matching
  // route, so each comes first and carries its pattern's headers.
  const prerendered = swa.routes.filter((r) => r.rewrite);
  const ids = (kind) => prerendered.map((r) => r.route).filter((p) => p.startsWith(`/${kind}/`)).map((p) => p.split('/')[2]).sort();
  assert.ok(ids('checklist').includes('kinde-microsoft-365') && ids('checklist').length >= 19, ids('checklist').join());
  assert.deepEqual(ids('setup'), ids('checklist'));
  assert.deepEqual(swa.routes.slice(0, prerendered.length), prerendered, 'rewrites come first');
  // A setup page starts the shell with trunk's loader, as index.html does; a checklist starts
  // the checklist app (the shell with the checklist pages built in) from a file named by the
  // app's content hash, so neither adds an inline script to allow.
  const app = files.find((f) => /^entra-setup-checklist-app-[0-9a-f]{16}\.start\.js$/.test(f))?.replace(/\.start\.js$/, '');
  assert.ok(app, 'the checklist app is named by its content');
  {
    const [js, wasm] = await Promise.all([`${app}.js`, `${app}_bg.wasm`].map((f) => readFile(join(DIST, f))));
    assert.equal(app, `entra-setup-checklist-app-${createHash('sha256').update(js).update(wasm).digest('hex').slice(0, 16)}`);
    const lazy = (await readFile(join(DIST, 'index.html'), 'utf8')).match(/\/snippets\/[\w-]+\/src\/lazy\.js/)[0];
    assert.equal(await readFile(join(DIST, `${app}.start.js`), 'utf8'), [
      `import init from './${app}.js';`,
      `import { afterLargestPaint } from '.${lazy}';`,
      `afterLargestPaint(() => init({ module_or_path: '/${app}_bg.wasm' }));`,
      '',
    ].join('\n'));
  }
  const shell = parsed.inline.join('').match(/from '\/([\w-]+)\.js'/)[1];
  for (const { route, rewrite } of prerendered) {
    assert.equal(rewrite, `${route}.html`);
    const html = await readFile(join(DIST, rewrite.slice(1)), 'utf8');
    assert.match(html, /<main id="main"><div inert class="lazy-page"><section /, rewrite);
    if (route.startsWith('/checklist/')) {
      assert.deepEqual(parseInline(html), [], `${rewrite}: no inline script`);
      assert.ok(html.includes(`<script type=module src=/${app}.start.js></script>`), rewrite);
      assert.ok(!html.includes(shell), `${rewrite}: nothing of the shell's`);
      assert.ok(html.includes(`href=/${app}.js `) && !html.includes(`${app}_bg.wasm`), `${rewrite}: the app's glue is preloaded, its wasm waits for the page's paint`);
    } else {
      assert.deepEqual(parseInline(html), parsed.inline, `${rewrite}: the same loader, so the same script hashes`);
    }
  }
  // Only these are revalidated: every other file's name is its hash.
  assert.deepEqual(swa.routes.filter((r) => !r.rewrite).map((r) => r.route).sort(), NO_CACHE.toSorted());
  // `/tenant` preloads its page's module with the page, which that module paints; the
  // prerendered deep links paint from their HTML and load their module after; `/` none.
  const preload = (stem) => `</${stem}.js>; rel=modulepreload, </${stem}_bg.wasm>; rel=preload; as=fetch; type=application/wasm; crossorigin`;
  const PRELOADS = { '/tenant': preload(parsed.pages['entra-setup-automated']) };
  const pattern = (route) => (route.startsWith('/checklist/') ? '/checklist/*' : route.startsWith('/setup/') ? '/setup/*' : route);
  for (const route of swa.routes) {
    assert.equal(lower(route.headers).link, PRELOADS[pattern(route.route)], `SWA ${route.route}`);
    assert.equal(lower(route.headers)['cache-control'], 'no-cache', `SWA ${route.route}`);
  }

  // Netlify / Cloudflare Pages.
  const rules = parseHeadersFile(await readFile(join(DIST, '_headers'), 'utf8'));
  assert.equal(rules['/*']['content-security-policy'], swaHeaders['content-security-policy']);
  assert.deepEqual(scriptHashSources(rules['/*']['content-security-policy']), hashes);
  assert.equal(rules['/*']['strict-transport-security'], swaHeaders['strict-transport-security']);
  for (const [name, value] of Object.entries(HEADERS)) assert.equal(rules['/*'][name], value, name);
  assert.equal(rules['/*']['cache-control'], undefined, 'Cache-Control only where it is meant');
  for (const path of ['/index.html', '/config.json', '/']) assert.equal(rules[path]?.['cache-control'], 'no-cache', `_headers ${path}`);
  assert.deepEqual(Object.keys(rules).filter((path) => rules[path]['cache-control']).sort(), NO_CACHE.toSorted());
  for (const path of Object.keys(rules)) assert.equal(rules[path].link, PRELOADS[path], `_headers ${path}`);

  // The harness serves the same policy, with the simulator (here: nothing) in connect-src.
  for (const path of ['/', '/checklist/nango-microsoft-teams']) {
    const res = await fetch(`${site.url}${path}`);
    const policy = res.headers.get('content-security-policy');
    assert.deepEqual(scriptHashSources(policy), hashes, path);
    assert.equal(policy, expectedPolicy(hashes, []), path);
    for (const [name, value] of Object.entries(HEADERS)) assert.equal(res.headers.get(name), value, name);
    assert.equal(res.headers.get('link'), null, path);
  }
  site.connect = 'http://127.0.0.1:9';
  assert.equal((await fetch(site.url)).headers.get('content-security-policy'), expectedPolicy(hashes, ['http://127.0.0.1:9']));
  site.connect = undefined;

  // Nothing in any of them allows inline code or eval.
  const all = await readdir(DIST);
  assert.ok(all.includes('staticwebapp.config.json') && all.includes('_headers'));
  for (const policy of [swaHeaders['content-security-policy'], rules['/*']['content-security-policy']]) {
    assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'|\*/);
  }
}

test('a page loads only its own page module, by the content-hashed names index.html gives, without a query', async () => {
  const { page, errors, close } = await openPage(browser);
  const requested = [];
  page.on('request', (r) => { if (/\/entra-setup-[\w-]+\.(start\.js|js|wasm)$/.test(r.url())) requested.push(new URL(r.url())); });
  const seen = () => requested.map((u) => `${u.pathname}${u.search}`).sort();
  const stems = async () => page.evaluate((modules) => modules
    .map((name) => document.querySelector(`meta[name=${name}]`).content), MODULES);
  const files = (stem) => [`/${stem}.js`, `/${stem}_bg.wasm`];
  // The checklist's downloads, written by the exports module, which loads once their card
  // nears the viewport (the prerendered page lists them too, so the request is what tells).
  const live = () => page.waitForFunction(() => !document.querySelector('main > .lazy-page[inert]')
    && document.querySelector('[data-testid=downloads][aria-busy=true]'));
  const frames = () => page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  const scrolledToDownloads = async () => {
    const loaded = page.waitForRequest(/\/entra-setup-exports-[0-9a-f]{16}_bg\.wasm$/);
    await page.getByTestId('downloads').scrollIntoViewIfNeeded();
    await loaded;
  };

  // From the home page (the shell) to a checklist: the checklist module joins, without the
  // automated mode's, and then the exports module for the downloads.
  await page.goto(`${site.url}/`);
  await page.locator('li[data-integration="nango-microsoft-teams"]').getByRole('link', { name: 'Checklist' }).click();
  await page.getByTestId('export-card').waitFor();
  await scrolledToDownloads();
  const [checklist, signin, automated, exports] = await stems();
  const shell = seen().find((path) => /^\/entra-setup-assistant-[0-9a-f]+\.js$/.test(path)).slice(1, -3);
  assert.deepEqual(seen(), [...files(shell), ...files(checklist), ...files(exports)].sort());

  // A deep link to a checklist: the checklist app (the shell with the checklist pages built
  // in), neither the shell nor the checklist module; then the exports module.
  requested.length = 0;
  await page.goto(`${site.url}/checklist/nango-microsoft-teams`);
  await live();
  await frames();
  const app = seen().find((path) => path.endsWith('.start.js')).slice(1, -'.start.js'.length);
  assert.match(app, /^entra-setup-checklist-app-[0-9a-f]{16}$/);
  assert.deepEqual(seen(), [...files(app), `/${app}.start.js`].sort(), 'nothing for the downloads until their card is near');
  await scrolledToDownloads();
  assert.deepEqual(seen(), [...files(app), `/${app}.start.js`, ...files(exports)].sort());

  // Every other page is the shell's: from the checklist app, a link loads it from the host
  // (a new document), here the setup page signed out, with the shell and its sign-in module,
  // not the automated one (that comes with the sign-in) nor the checklist module.
  requested.length = 0;
  await page.evaluate(() => { window.__sameDocument = true; });
  await page.getByRole('link', { name: 'Prefer the automated setup?' }).click();
  await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Automated setup' }).waitFor();
  await page.waitForFunction(() => !document.querySelector('main > .lazy-page[inert]'));
  assert.equal(await page.evaluate(() => window.__sameDocument), undefined, 'a page load, not the checklist app');
  assert.deepEqual(seen(), [...files(shell), ...files(signin)].sort());
  assert.ok(!requested.some((u) => u.pathname.includes(automated) || u.pathname.includes(checklist)), 'no other module');
  assert.deepEqual(errors, []);
  await close();
});

test('the policy is live: an injected inline script and inline style are blocked and reported', async () => {
  const { page, errors, violations, close } = await openPage(browser);
  await page.goto(`${site.url}/`);
  await page.getByRole('heading', { level: 1, name: 'Choose an integration' }).waitFor();
  assert.deepEqual(errors, []);

  await page.addScriptTag({ content: 'window.__injected = true;' }).catch(() => {});
  await page.evaluate(() => {
    const div = document.createElement('div');
    div.setAttribute('style', 'color: red');
    document.body.append(div);
  });
  await page.waitForFunction(() => true);
  await expectViolations(violations, 2);
  assert.equal(await page.evaluate(() => window.__injected), undefined, 'the injected script did not run');
  assert.deepEqual(violations.map((v) => [v.directive, v.blocked]).sort(), [['script-src-elem', 'inline'], ['style-src-attr', 'inline']]);
  assert.equal(errors.filter((e) => e.startsWith('CSP violation')).length, 2, 'violations reach `errors`');
  violations.length = 0; // expected here; any other test fails on one
  await close();
});

async function expectViolations(violations, count) {
  for (let i = 0; i < 50 && violations.length < count; i++) await new Promise((ok) => setTimeout(ok, 100));
}
