// `cargo xtask bench`, health: the tenant with 500 more registrations (tests/e2e/tenant-scale.mjs).
//
//   node xtask/tenant-health.mjs seed <extra> <seed.json>   writes entra-sim's seed
//   node xtask/tenant-health.mjs page <seed.json> <out.json>
//
// `page`: the e2e build (E2E_DIST) served as the e2e tests serve it, entra-sim (E2E_SIM_BIN,
// gentle profile) started with that seed, /tenant read in headless Chromium signed in as
// Northwind's admin; writes `{after_sign_in_ms, page_ms, longest_task_ms, rows}`.
import { writeFile } from 'node:fs/promises';
import { launchBrowser, serveDist, startSim } from '../tests/e2e/harness.mjs';
import { seedWithMoreApps, timeTenantPage } from '../tests/e2e/tenant-scale.mjs';

const [mode, a, b] = process.argv.slice(2);
if (mode === 'seed' && a && b) {
  await seedWithMoreApps(Number(a), b);
} else if (mode === 'page' && a && b) {
  const site = await serveDist();
  const sim = await startSim({ redirectUri: `${site.url}/`, args: ['--seed', a] });
  site.config = sim.appConfig();
  site.connect = sim.url;
  const browser = await launchBrowser();
  try {
    const { session, figures } = await timeTenantPage({ browser, site, sim });
    // A page that logged errors did not render what is timed.
    if (session.errors.length) throw new Error(`the app logged errors: ${session.errors.join('; ')}`);
    await session.close();
    await writeFile(b, `${JSON.stringify(figures)}\n`);
  } finally {
    await browser.close();
    await site.close();
    await sim.stop();
  }
} else {
  console.error('usage: node xtask/tenant-health.mjs seed <extra> <seed.json> | page <seed.json> <out.json>');
  process.exit(2);
}
