// Trunk's post_build hook (Trunk.toml): runs after every `trunk build` / `trunk serve` build,
// in the staging directory that becomes dist/.
// 0. Minifies the JavaScript a release build ships (wasm-bindgen's glue, its snippets) with
//    terser: trunk's own minifier gives up on wasm-bindgen's glue ("Failed to minify JS")
//    and ships it as written; minified, it is about a quarter smaller gzip-compressed.
// 1. `cargo xtask dev` names its own config.json (pointing at entra-sim) in
//    ENTRA_SETUP_CONFIG: it replaces the hosted default (public/config.json).
// 2. Names each page module's files by their content (trunk leaves a worker-type module
//    unhashed): e.g. entra-setup-checklist-<hash>.js and entra-setup-checklist-<hash>_bg.wasm,
//    and tells the shell the stem in index.html's <meta name="entra-setup-checklist">
//    (src/lazy.rs); the same for entra-setup-automated. So every file but index.html and
//    config.json can be cached for good.
// 3. Notes in index.html whether config.json names a client ID, and prerenders each integration's checklist and setup page into <path>.html beside
//    index.html (src/prerender.rs, by the same components the browser runs; it first notes in
//    index.html the cloud config.json names, which needs core's reading of it), so a deep link
//    paints from its HTML before any wasm arrives. A prerendered checklist loads the
//    checklist app (the shell with the checklist pages built in, named by its content hash
//    like the page modules) instead of the shell: one module and one Leptos runtime instead
//    of two. Its loader is a file (<stem>.start.js), not an inline script, so the pages keep
//    the one inline-script hash of index.html; it fetches the app's wasm after the page's
//    largest paint.
// 4. Writes the hosting files that carry the Content-Security-Policy with this build's
//    inline-script hashes, and on /tenant a Link header that preloads its page module
//    (policy.mjs `routeHeaders`): staticwebapp.config.json (Azure
//    Static Web Apps) and _headers (Netlify, Cloudflare Pages). connect-src follows the built config.json (its cloud, or
//    its authority and Graph origins); ENTRA_SETUP_CONNECT_SRC (space-separated origins)
//    replaces that.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { minify } from 'terser';
import {
  CHECKLIST_APP, connectOrigins, contentSecurityPolicy, headersFile, PAGE_MODULES, pageModuleStems, prerenderedPaths,
  scriptHashes, staticWebAppConfig,
} from './policy.mjs';

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2] ?? 'dist';

// `trunk serve` and debug builds keep the glue readable.
if (process.env.TRUNK_PROFILE !== 'debug') await minifyScripts();

if (process.env.ENTRA_SETUP_CONFIG) {
  await copyFile(process.env.ENTRA_SETUP_CONFIG, join(dir, 'config.json'));
}

let html = await withIntegrityOfFiles(await readFile(join(dir, 'index.html'), 'utf8'));
// index.html's worker-type `data-bin`s, by the names src/lazy.rs asks for.
const stems = {};
for (const name of [...Object.keys(PAGE_MODULES), CHECKLIST_APP]) {
  const [js, wasm] = await Promise.all([`${name}.js`, `${name}_bg.wasm`].map((f) => readFile(join(dir, f))));
  const stem = `${name}-${createHash('sha256').update(js).update(wasm).digest('hex').slice(0, 16)}`;
  await rename(join(dir, `${name}.js`), join(dir, `${stem}.js`));
  await rename(join(dir, `${name}_bg.wasm`), join(dir, `${stem}_bg.wasm`));
  stems[name] = stem;
  if (name in PAGE_MODULES) html = html.replace('</head>', `<meta name="${name}" content="${stem}"></head>`);
}
const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8').catch(() => '{}'));
// The setup page's first paint: the sign-in card when config.json names the assistant's
// client ID, else what loads the one-time client ID form (src/pages/setup/auth.rs
// `client_id_expected`), so the prerendered page is the one the admin will see.
if (config.client_id) html = html.replace('</head>', '<meta name="entra-setup-client-id" content="configured"></head>');
await writeFile(join(dir, 'index.html'), html);

// Native, so built for this machine (the first build compiles it; later ones reuse it).
execFileSync('cargo', ['run', '--quiet', '--bin', 'entra-setup-prerender', '--', dir], { stdio: 'inherit' });
const prerendered = prerenderedPaths(dir);
await startChecklistsWithTheApp(html, stems[CHECKLIST_APP], prerendered.filter((path) => path.startsWith('/checklist/')));

const connect = process.env.ENTRA_SETUP_CONNECT_SRC?.trim()
  ? process.env.ENTRA_SETUP_CONNECT_SRC.trim().split(/\s+/)
  : connectOrigins(config);
const policy = { hashes: scriptHashes(html), connect, stems: pageModuleStems(html), prerendered };

await writeFile(join(dir, 'staticwebapp.config.json'), `${JSON.stringify(staticWebAppConfig(policy), null, 2)}\n`);
await writeFile(join(dir, '_headers'), headersFile(policy));
console.log(`${prerendered.length} deep links prerendered; hosting files written; Content-Security-Policy: ${contentSecurityPolicy(policy)}`);

/**
 * Minifies every .js file of the build in place (ES modules: their exports keep their names,
 * and the wasm imports are object keys, which terser leaves alone). Before anything hashes
 * them: the integrity values and the module stems are computed from the minified files.
 */
async function minifyScripts() {
  const files = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith('.js'));
  for (const file of files) {
    const path = join(dir, file);
    const { code } = await minify(await readFile(path, 'utf8'), { module: true, compress: true, mangle: true });
    if (code === undefined) throw new Error(`post-build: terser wrote nothing for ${file}`);
    await writeFile(path, code);
  }
}

/** The Subresource Integrity value of a file of the build. */
async function sri(file) {
  return `sha384-${createHash('sha384').update(await readFile(join(dir, file))).digest('base64')}`;
}

/**
 * Trunk's rust pipelines (one per `data-bin`, run concurrently) each copy wasm-bindgen's
 * snippets into the same folder, truncating and rewriting the file, while the shell's
 * pipeline hashes its preload for `integrity`: a build once named the SHA-384 of an empty
 * file for src/lazy.js, and the browser refused the script (a blank page). Every preload's
 * integrity is computed again here, from the files as the build leaves them.
 */
async function withIntegrityOfFiles(page) {
  let out = page;
  for (const [link] of page.matchAll(/<link\b[^>]*\bintegrity=[^>]*>/gi)) {
    const href = link.match(/\bhref="?\/([^"\s>]+)/)?.[1];
    if (!href) throw new Error(`post-build: a preload with integrity and no local href: ${link}`);
    out = out.replace(link, link.replace(/sha384-[A-Za-z0-9+/]+={0,2}/, await sri(href)));
  }
  return out;
}

/**
 * Points each prerendered checklist page at the checklist app instead of the shell: trunk's
 * inline loader (which imports the shell) becomes `<script type=module src=/<app>.start.js>`,
 * a file that starts the app, and the shell's glue preload names the app's, with its
 * integrity. The app's wasm is not preloaded: start.js fetches it once the browser has
 * reported the page's largest paint (src/lazy.js `afterLargestPaint`, the rule the shell
 * follows before loading a page module), so its 200-odd KB do not compete with the HTML and
 * CSS that paint the page on a slow link. Everything else (the stylesheet, wasm-bindgen's
 * snippets, the page modules' stems for the pages an admin goes on to) stays as index.html
 * has it.
 */
async function startChecklistsWithTheApp(index, app, pages) {
  const shell = index.match(/import init, \* as bindings from '\/([\w-]+)\.js'/)?.[1];
  const lazy = index.match(/\/snippets\/[\w-]+\/src\/lazy\.js/)?.[0];
  if (!shell || !lazy) throw new Error('post-build: index.html has no trunk loader that imports the shell, or no lazy.js');
  const swaps = [[`/${shell}.js`, `/${app}.js`], [await sri(`${shell}.js`), await sri(`${app}.js`)]];
  await writeFile(join(dir, `${app}.start.js`), [
    `import init from './${app}.js';`,
    `import { afterLargestPaint } from '.${lazy}';`,
    `afterLargestPaint(() => init({ module_or_path: '/${app}_bg.wasm' }));`,
    '',
  ].join('\n'));
  for (const path of pages) {
    const file = join(dir, `${path.slice(1)}.html`);
    let page = await readFile(file, 'utf8');
    const loader = [...page.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script\s*>/gi)].find(([, body]) => body.includes(`/${shell}.js'`));
    const wasmPreload = [...page.matchAll(/<link\b[^>]*>/gi)].find(([link]) => link.includes(`/${shell}_bg.wasm`));
    if (!loader || !wasmPreload) throw new Error(`post-build: ${path}.html has no trunk loader or wasm preload`);
    page = page.replace(loader[0], `<script type=module src=/${app}.start.js></script>`).replace(wasmPreload[0], '');
    for (const [from, to] of swaps) page = page.replaceAll(from, to);
    await writeFile(file, page);
  }
}
