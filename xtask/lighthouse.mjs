// `cargo xtask bench`, pages: Lighthouse 12.2.3 on a release build as a host deploys it,
// served as a static host serves it, so the figures are the ones an admin's browser would see.
//
//   node xtask/lighthouse.mjs <dist> <out.json>
//
// - Every file is sent gzip-compressed (-9, `Content-Encoding: gzip`), a prerendered deep
//   link gets its `<path>.html`, other unknown paths index.html, and every response carries the hosting headers of
//   hosting/policy.mjs (the strict CSP with this build's script hashes, Cache-Control on the
//   no-cache paths, the Link header that preloads a deep link's page module).
// - The build's config.json (xtask/src/bench_pages.rs builds it with one that names the
//   global cloud and a client ID) is served as it is, so `/setup/:id` renders its signed-out
//   page. That page reads the authority's OpenID discovery document before its sign-in
//   button works; this closed network has no route to Microsoft, so Chromium
//   resolves login.microsoftonline.com to a local HTTPS server (self-signed certificate,
//   accepted by a flag) that answers with a discovery document of the same shape.
// - Writes `[{path, preset, performance, lcp_ms, cls, tbt_ms, transfer_gzip}]`: the mobile
//   preset (Lighthouse's default: simulated slow 4G on a mid-range phone) and the desktop one.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join, normalize, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { connectOrigins, contentType, headersForPath, pageModuleStems, prerenderedFile, prerenderedPaths, scriptHashes, securityHeaders } from '../hosting/policy.mjs';

export const PAGES = ['/', '/checklist/kinde-microsoft-365', '/setup/novus-calendarsync'];
export const PRESETS = ['mobile', 'desktop'];

const AUTHORITY_HOST = 'login.microsoftonline.com';

/**
 * The site: dist/ gzip-compressed, a prerendered deep link's `<path>.html`, index.html for
 * other unknown paths, the hosting headers.
 */
async function serveSite(dist) {
  const index = readFileSync(join(dist, 'index.html'), 'utf8');
  const hashes = scriptHashes(index);
  const stems = pageModuleStems(index);
  const prerendered = prerenderedPaths(dist);
  const config = JSON.parse(readFileSync(join(dist, 'config.json'), 'utf8'));
  const headers = securityHeaders({ hashes, connect: connectOrigins(config) });
  const cache = new Map();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(dist, prerenderedFile(path, { prerendered }) ?? path));
    let target = join(dist, 'index.html');
    try {
      if (file.startsWith(dist) && readFileSync(file) && !path.endsWith('/')) target = file;
    } catch { /* not a file: the index.html fallback */ }
    const body = readFileSync(target);
    const type = contentType(target);
    const key = `${path}:${body.length}`;
    if (!cache.has(key)) cache.set(key, gzipSync(body, { level: 9 }));
    res.writeHead(200, {
      'content-type': type,
      'content-encoding': 'gzip',
      vary: 'Accept-Encoding',
      ...headersForPath(path, { stems }),
      ...headers,
    });
    res.end(cache.get(key));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Stands in for login.microsoftonline.com: its discovery document for `organizations`. */
async function serveAuthority(dir) {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${AUTHORITY_HOST}`,
    '-addext', `subjectAltName=DNS:${AUTHORITY_HOST}`,
  ], { stdio: 'ignore' });
  const base = `https://${AUTHORITY_HOST}`;
  const discovery = {
    issuer: `${base}/{tenantid}/v2.0`,
    authorization_endpoint: `${base}/organizations/oauth2/v2.0/authorize`,
    token_endpoint: `${base}/organizations/oauth2/v2.0/token`,
    end_session_endpoint: `${base}/organizations/oauth2/v2.0/logout`,
    jwks_uri: `${base}/organizations/discovery/v2.0/keys`,
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    code_challenge_methods_supported: ['plain', 'S256'],
  };
  const server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(JSON.stringify(discovery));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { port: server.address().port, close: () => new Promise((ok) => server.close(ok)) };
}

function figures(path, preset, lhr) {
  const audit = (id) => lhr.audits[id]?.numericValue;
  if (lhr.runtimeError) throw new Error(`Lighthouse on ${path} (${preset}): ${lhr.runtimeError.message}`);
  return {
    path,
    preset,
    performance: Math.round((lhr.categories.performance.score ?? 0) * 100),
    lcp_ms: Math.round(audit('largest-contentful-paint')),
    cls: Math.round(audit('cumulative-layout-shift') * 1000) / 1000,
    tbt_ms: Math.round(audit('total-blocking-time')),
    // Bytes over the wire (gzip bodies and headers) of every request until the page settled.
    transfer_gzip: Math.round(audit('total-byte-weight')),
  };
}

const [distArg, outArg] = process.argv.slice(2);
if (!distArg || !outArg) {
  console.error('usage: node xtask/lighthouse.mjs <dist> <out.json>');
  process.exit(2);
}
const dist = resolve(distArg);
const dir = mkdtempSync(join(tmpdir(), 'entra-lighthouse-'));
const site = await serveSite(dist);
const authority = await serveAuthority(dir);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  chromeFlags: [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--host-resolver-rules=MAP ${AUTHORITY_HOST} 127.0.0.1:${authority.port}`,
    '--ignore-certificate-errors',
  ],
});
/**
 * One Lighthouse run; a run whose trace Lighthouse could not record (NO_NAVSTART and the like
 * on a loaded machine: "Please run Lighthouse again") is run again, up to three times.
 */
async function measure(url, preset) {
  const flags = { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] };
  let lhr;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    ({ lhr } = await lighthouse(url, flags, preset === 'desktop' ? desktopConfig : undefined));
    if (!lhr.runtimeError) break;
    console.error(`Lighthouse on ${url} (${preset}), attempt ${attempt}: ${lhr.runtimeError.code}`);
  }
  return lhr;
}

const rows = [];
try {
  for (const preset of PRESETS) {
    for (const path of PAGES) {
      rows.push(figures(path, preset, await measure(`${site.url}${path}`, preset)));
    }
  }
} finally {
  await chrome.kill();
  await site.close();
  await authority.close();
  rmSync(dir, { recursive: true, force: true });
}
writeFileSync(outArg, `${JSON.stringify(rows, null, 2)}\n`);
