// Trunk's post_build hook (Trunk.toml): runs after every `trunk build` / `trunk serve` build,
// in the staging directory that becomes dist/.
// 1. `cargo xtask dev` names its own config.json (pointing at entra-sim) in
//    ENTRA_SETUP_CONFIG: it replaces the hosted default (public/config.json).
// 2. Names each page module's files by their content (trunk leaves a worker-type module
//    unhashed): e.g. entra-setup-checklist-<hash>.js and entra-setup-checklist-<hash>_bg.wasm,
//    and tells the shell the stem in index.html's <meta name="entra-setup-checklist">
//    (src/lazy.rs); the same for entra-setup-automated. So every file but index.html and
//    config.json can be cached for good.
// 3. Notes in index.html whether config.json names a client ID, and prerenders each integration's checklist and setup page into <path>.html beside
//    index.html (src/prerender.rs, by the same components the browser runs), so a deep link
//    paints from its HTML before any wasm arrives.
// 4. Writes the hosting files that carry the Content-Security-Policy with this build's
//    inline-script hashes, and on the checklist and setup deep links a Link header that
//    preloads the page's module (policy.mjs `routeHeaders`): staticwebapp.config.json (Azure
//    Static Web Apps) and _headers (Netlify, Cloudflare Pages). connect-src follows the built config.json (its cloud, or
//    its authority and Graph origins); ENTRA_SETUP_CONNECT_SRC (space-separated origins)
//    replaces that.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  connectOrigins, contentSecurityPolicy, headersFile, PAGE_MODULES, pageModuleStems, prerenderedPaths, scriptHashes,
  staticWebAppConfig,
} from './policy.mjs';

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2] ?? 'dist';

if (process.env.ENTRA_SETUP_CONFIG) {
  await copyFile(process.env.ENTRA_SETUP_CONFIG, join(dir, 'config.json'));
}

let html = await readFile(join(dir, 'index.html'), 'utf8');
// index.html's worker-type `data-bin`s, by the names src/lazy.rs asks for.
for (const name of Object.keys(PAGE_MODULES)) {
  const [js, wasm] = await Promise.all([`${name}.js`, `${name}_bg.wasm`].map((f) => readFile(join(dir, f))));
  const stem = `${name}-${createHash('sha256').update(js).update(wasm).digest('hex').slice(0, 16)}`;
  await rename(join(dir, `${name}.js`), join(dir, `${stem}.js`));
  await rename(join(dir, `${name}_bg.wasm`), join(dir, `${stem}_bg.wasm`));
  html = html.replace('</head>', `<meta name="${name}" content="${stem}"></head>`);
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

const connect = process.env.ENTRA_SETUP_CONNECT_SRC?.trim()
  ? process.env.ENTRA_SETUP_CONNECT_SRC.trim().split(/\s+/)
  : connectOrigins(config);
const policy = { hashes: scriptHashes(html), connect, stems: pageModuleStems(html), prerendered };

await writeFile(join(dir, 'staticwebapp.config.json'), `${JSON.stringify(staticWebAppConfig(policy), null, 2)}\n`);
await writeFile(join(dir, '_headers'), headersFile(policy));
console.log(`${prerendered.length} deep links prerendered; hosting files written; Content-Security-Policy: ${contentSecurityPolicy(policy)}`);
