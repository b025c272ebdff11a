// The site's response headers, one definition for the hosting files the build writes
// (hosting/post-build.mjs) and for the e2e harness (tests/e2e/harness.mjs), so the tests run
// the app under exactly the policy a host serves.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { extname, join } from 'node:path';

/**
 * Where the app may connect besides its own origin, per cloud: the authority and Microsoft
 * Graph origins of crates/core/src/cloud.rs (`Cloud::authority_host`, `Cloud::graph_host`;
 * crates/core/tests/clouds.rs checks this table against it).
 */
export const CLOUDS = {
  global: ['https://login.microsoftonline.com', 'https://graph.microsoft.com'],
  usgov: ['https://login.microsoftonline.us', 'https://graph.microsoft.us'],
  usgovdod: ['https://login.microsoftonline.us', 'https://dod-graph.microsoft.us'],
  china: ['https://login.partner.microsoftonline.cn', 'https://microsoftgraph.chinacloudapi.cn'],
};

/** The bodies of the inline scripts (no `src`) of an HTML document, in document order. */
export function inlineScripts(html) {
  const scripts = [];
  for (const [, attrs, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    if (!/(^|\s)src\s*=/i.test(attrs)) scripts.push(body);
  }
  return scripts;
}

/** A CSP hash source for a script body: `'sha256-<base64>'`. */
export function hashSource(body) {
  return `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`;
}

/** The hash sources that allow exactly the inline scripts of `html` (trunk's loader). */
export function scriptHashes(html) {
  return [...new Set(inlineScripts(html).map(hashSource))];
}

/**
 * The origins the app calls, from the config.json it ships with: the named `cloud`'s, or the
 * origins of `authority` and `graph_base_url` where given (global when neither is).
 */
export function connectOrigins(config = {}) {
  const [authority, graph] = CLOUDS[config.cloud ?? 'global'] ?? CLOUDS.global;
  const origin = (url, fallback) => (url ? new URL(url).origin : fallback);
  return [...new Set([origin(config.authority, authority), origin(config.graph_base_url, graph)])];
}

/** The Content-Security-Policy: no 'unsafe-inline', trunk's loader allowed by its hash. */
export function contentSecurityPolicy({ hashes, connect }) {
  return [
    'default-src \'self\'',
    ['script-src \'self\' \'wasm-unsafe-eval\'', ...hashes].join(' '),
    ['connect-src \'self\'', ...connect].join(' '),
    'img-src \'self\' data:',
    'style-src \'self\'',
    'object-src \'none\'',
    'base-uri \'none\'',
    'form-action \'none\'',
    'frame-ancestors \'none\'',
  ].join('; ');
}

/** The headers every response carries. */
export function securityHeaders(policy) {
  return {
    'Content-Security-Policy': contentSecurityPolicy(policy),
    'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  };
}

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/**
 * The Content-Type of a file the build writes, by its extension: for the local servers of
 * the e2e tests and the Lighthouse bench (a static host sets its own). `application/wasm`
 * matters: without it the browser cannot compile the module while it streams in.
 */
export function contentType(path) {
  return CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
}

/**
 * Paths that must be revalidated on every load: the page (also at the app's deep links), the
 * host's config.json, and wasm-bindgen's snippets (src/lazy.js), whose folder is named after
 * the crate, not the content. Every other file is named by its content hash (trunk's, and
 * post-build.mjs's for the page modules), so a cached copy is always the right one.
 */
export const NO_CACHE_PATHS = [
  '/', '/index.html', '/config.json', '/snippets/*', '/checklist/*', '/setup/*', '/tenant',
];

/**
 * The page modules (src/lazy.rs) and the deep links that preload each. post-build.mjs
 * names a module's files by their content hash and writes the stem into index.html's
 * `<meta name="<module>" content="<stem>">`. The checklist and setup deep links are
 * prerendered (src/prerender.rs): their HTML paints the page. A setup deep link's module (the
 * sign-in module, since a deep link is signed out) loads once the page has painted, when the
 * shell asks, instead of competing with the HTML and CSS for a slow link; a checklist deep
 * link loads the checklist app in the shell's place (CHECKLIST_APP) and no page module.
 * `/tenant` is not prerendered: its module paints it.
 */
export const PAGE_MODULES = {
  'entra-setup-checklist': [],
  'entra-setup-signin': [],
  'entra-setup-automated': ['/tenant'],
  // Not a page: a checklist's downloads (src/bin/exports.rs), which a checklist loads once its
  // Downloads card nears the viewport. Named and announced like the page modules.
  'entra-setup-exports': [],
};

/**
 * The checklist app (src/bin/checklist_app.rs): the shell with the checklist pages built in,
 * which the prerendered checklist deep links load instead of the shell (post-build.mjs).
 */
export const CHECKLIST_APP = 'entra-setup-checklist-app';

/** Each page module's stem as the built index.html names it: `{ '/checklist/*': stem, ... }`. */
export function pageModuleStems(html) {
  const stems = {};
  for (const [name, paths] of Object.entries(PAGE_MODULES)) {
    const stem = html.match(new RegExp(`<meta name="?${name}"? content="?(${name}-[0-9a-f]+)"?>`))?.[1];
    if (stem) for (const path of paths) stems[path] = stem;
  }
  return stems;
}

/**
 * The headers a path gets beyond the security headers: `Cache-Control: no-cache` on
 * NO_CACHE_PATHS, and on `/tenant` a `Link` header that preloads its module with the page.
 * The shell would otherwise ask for the module only once it has downloaded and started, and
 * that module is what paints the page (issue 10's LCP); loading it beside the shell saves
 * that wait. `/` needs no module; the prerendered deep links paint without theirs.
 * `policy.stems`: `pageModuleStems` of the built index.html.
 */
export function routeHeaders(policy) {
  return NO_CACHE_PATHS.map((route) => {
    const headers = { 'Cache-Control': 'no-cache' };
    const stem = policy.stems?.[route];
    if (stem) {
      headers.Link = `</${stem}.js>; rel=modulepreload, </${stem}_bg.wasm>; rel=preload; as=fetch; type=application/wasm; crossorigin`;
    }
    return { route, headers };
  });
}

/** The `routeHeaders` that apply to a request path (a route is exact, or a prefix with `*`). */
export function headersForPath(path, policy) {
  const matches = (route) => (route.endsWith('/*') ? path.startsWith(route.slice(0, -1)) : path === route);
  return Object.assign({}, ...routeHeaders(policy).filter(({ route }) => matches(route)).map(({ headers }) => headers));
}

/**
 * The file a static host serves for a request path: the prerendered `<path>.html` when the
 * build wrote one (`policy.prerendered`: its paths, from src/prerender.rs), as Netlify,
 * Cloudflare Pages and GitHub Pages do by themselves; for the local servers of the e2e tests
 * and the bench.
 */
export function prerenderedFile(path, policy) {
  return policy.prerendered?.includes(path) ? `${path}.html` : null;
}

/** The paths of the prerendered pages under `dist` (`<dir>/<id>.html`). */
export function prerenderedPaths(dist) {
  const paths = [];
  for (const folder of ['checklist', 'setup']) {
    let files = [];
    try { files = readdirSync(join(dist, folder)); } catch { /* none prerendered */ }
    for (const file of files) if (file.endsWith('.html')) paths.push(`/${folder}/${file.slice(0, -5)}`);
  }
  return paths;
}

/**
 * Azure Static Web Apps: `staticwebapp.config.json`. It serves a path's `.html` only when told:
 * a rewrite per prerendered page, with that page's headers (the first matching route is the
 * one applied).
 */
export function staticWebAppConfig(policy) {
  const prerendered = (policy.prerendered ?? []).map((route) => ({
    route,
    rewrite: `${route}.html`,
    headers: headersForPath(route, policy),
  }));
  return {
    navigationFallback: {
      rewrite: '/index.html',
      exclude: ['/*.{js,wasm,css,svg,json,ico,png,txt}'],
    },
    routes: [...prerendered, ...routeHeaders(policy)],
    globalHeaders: securityHeaders(policy),
    mimeTypes: { '.wasm': 'application/wasm' },
  };
}

/**
 * Netlify and Cloudflare Pages: `_headers`. A header named by two matching rules would be
 * joined into one value, so the security headers are only under `/*`, and Cache-Control and
 * Link only under the paths that need them.
 */
export function headersFile(policy) {
  const block = (path, headers) =>
    [path, ...Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`)].join('\n');
  return [
    '# Written by hosting/post-build.mjs at each `trunk build`: the hashes are this build\'s.',
    block('/*', securityHeaders(policy)),
    ...routeHeaders(policy).map(({ route, headers }) => block(route, headers)),
  ].join('\n\n') + '\n';
}
