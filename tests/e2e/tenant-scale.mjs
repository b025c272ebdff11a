// Tenant health at scale, shared by the e2e test (tenant.test.mjs) and `cargo xtask bench`
// (xtask/tenant-health.mjs, xtask/src/bench_health.rs): the one definition of the 500 more
// registrations, and the timed read of /tenant in Chromium.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { approveAt, openPage } from './harness.mjs';
import { NORTHWIND, NORTHWIND_ADMIN } from './seed.mjs';

/** Kinde's two delegated scopes, and User.Read with Notes.Read (an unrelated app's). */
const KINDE_SCOPES = ['465a38f9-76ea-45b9-9f34-9e8b0d4b0b42', '1ec239c2-d7c9-4623-a91a-a9775856bb36'];
const OTHER_SCOPES = ['e1fe6dd8-ba31-4d61-89e7-88639da4683d', '371361e4-b9e2-4a3f-8315-2a301a3b0a3d'];
const GRAPH = '00000003-0000-0000-c000-000000000000';

/**
 * entra-sim's default seed with `extra` more registrations in Northwind: one in five a Kinde
 * look-alike (listed), one in three with an expired secret. Written to `file` (a new
 * temporary file when omitted), for entra-sim's `--seed`; returns its path.
 */
export async function seedWithMoreApps(extra, file) {
  const seed = JSON.parse(await readFile(new URL('../../crates/entra-sim/seed/default-seed.json', import.meta.url), 'utf8'));
  const northwind = seed.tenants.find((t) => t.id === NORTHWIND);
  const pad = (n) => String(n).padStart(12, '0');
  for (let n = 0; n < extra; n += 1) {
    const lookAlike = n % 5 === 0;
    northwind.applications.push({
      id: `b0000000-0000-4000-8000-${pad(n)}`,
      appId: `c0000000-0000-4000-8000-${pad(n)}`,
      displayName: `${lookAlike ? 'Kinde' : 'Line-of-business app'} ${n}`,
      web: { redirectUris: [`https://app${n}.northwind.example/callback`] },
      requiredResourceAccess: [{ resourceAppId: GRAPH, resourceAccess: (lookAlike ? KINDE_SCOPES : OTHER_SCOPES).map((id) => ({ id, type: 'Scope' })) }],
      passwordCredentials: [{ keyId: `d0000000-0000-4000-8000-${pad(n)}`, displayName: 'secret', endsInDays: n % 3 === 0 ? -10 : 90, secretText: `bench~${n}` }],
    });
  }
  const out = file ?? join(await mkdtemp(join(tmpdir(), 'tenant-scale-')), 'seed.json');
  await writeFile(out, JSON.stringify(seed));
  return out;
}

/**
 * Signs in as Northwind's admin on `/tenant` of `site` (its config.json pointing at `sim`),
 * waits for the report, then reads again, timed. Returns `{ session, figures }` (the caller
 * closes `session`, an `openPage` one, left on the report): `figures` are `after_sign_in_ms`
 * (back from sign-in to the report: token, module, read, render), `page_ms` (the "Read
 * again" click to the report: read, assess, render), `longest_task_ms` (the longest
 * main-thread task during that read: what an admin feels as a freeze; 0 when none reached
 * the 50 ms the Long Tasks API reports from) and `rows` rendered.
 */
export async function timeTenantPage({ browser, site, sim }) {
  const session = await openPage(browser, { origin: site.url });
  const { page } = session;
  await page.addInitScript(() => {
    window.__longestTask = 0;
    window.__longTasks = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longestTask = Math.max(window.__longestTask, e.duration);
    });
    window.__longTasks.observe({ type: 'longtask', buffered: true });
  });
  // Entries not yet delivered to the observer count too (delivery is asynchronous).
  const longestTask = () => page.evaluate(() => Math.max(window.__longestTask, ...window.__longTasks.takeRecords().map((e) => e.duration)));
  const report = page.getByTestId('health-summary');

  await page.goto(`${site.url}/tenant`);
  await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
  // The one sign-in asks for the read scopes the page needs.
  await approveAt(page, { simUrl: sim.url, appUrl: site.url, upn: NORTHWIND_ADMIN });
  let started = Date.now();
  await report.waitFor();
  const afterSignIn = Date.now() - started;

  await page.evaluate(() => { window.__longTasks.takeRecords(); window.__longestTask = 0; });
  started = Date.now();
  await page.getByRole('button', { name: 'Read again' }).click();
  await page.getByTestId('reading').waitFor({ state: 'detached' });
  await report.waitFor();
  const ms = Date.now() - started;
  const figures = {
    after_sign_in_ms: afterSignIn,
    page_ms: ms,
    longest_task_ms: Math.round(await longestTask()),
    rows: await page.locator('li.health-row').count(),
  };
  return { session, figures };
}
