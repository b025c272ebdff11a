// The page-module loader the shell calls (src/lazy.rs): `window.__entraLoadPages(version)`
// imports the checklist and automated-setup module once and resolves to its exports. A file,
// not an inline script, so the Content-Security-Policy needs no 'unsafe-inline' for it.
// The version in the query keeps a cached page module from meeting a newer shell.
window.__entraLoadPages = (version) => (window.__entraPages ??= (async () => {
  const module = await import(`/entra-setup-pages.js?v=${version}`);
  await module.default({ module_or_path: `/entra-setup-pages_bg.wasm?v=${version}` });
  return module;
})().catch((error) => { window.__entraPages = undefined; throw error; }));
