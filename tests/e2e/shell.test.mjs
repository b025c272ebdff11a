// The app shell: it starts, shows who is signed in and the version, and moves between the
// three top-level routes by link, by the back button and by deep link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, useSuite } from './harness.mjs';

let site;
let browser;
useSuite({}, (h) => ({ site, browser } = h));

test('home renders the shell with no console errors', async () => {
  const { page, errors, close } = await openPage(browser);
  await page.goto(`${site.url}/`);
  await page.getByRole('heading', { level: 1, name: 'Choose an integration' }).waitFor();
  assert.equal(await page.getByTestId('session-state').innerText(), 'Not signed in');
  assert.match(await page.getByTestId('version').innerText(), /^Entra Setup Assistant v\d+\.\d+\.\d+/);
  assert.deepEqual(errors, []);
  await close();
});

test('links move between the three routes without reloading, and back returns', async () => {
  const { page, errors, close } = await openPage(browser);
  await page.goto(`${site.url}/`);
  await page.getByRole('heading', { name: 'Choose an integration' }).waitFor();
  // A marker on window survives in-app navigation but not a page load.
  await page.evaluate(() => { window.__sameDocument = true; });

  await page.getByRole('link', { name: 'Checklist' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Checklist' }).waitFor();
  assert.match(page.url(), /\/checklist\/[a-z0-9-]+$/);

  await page.getByRole('link', { name: 'Prefer the automated setup?' }).click();
  await page.getByRole('heading', { level: 1, name: 'Automated setup' }).waitFor();
  assert.match(page.url(), /\/setup\/[a-z0-9-]+$/);
  // The hosted default config names no client ID: the page asks for one instead of failing.
  await page.getByRole('heading', { name: /One-time set-up/ }).waitFor();

  await page.goBack();
  await page.getByRole('heading', { level: 1, name: 'Checklist' }).waitFor();
  await page.getByRole('link', { name: 'All integrations' }).click();
  await page.getByRole('heading', { level: 1, name: 'Choose an integration' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
  assert.equal(await page.evaluate(() => window.__sameDocument), true);
  assert.deepEqual(errors, []);
  await close();
});

test('deep links open their page directly, and unknown paths say so', async () => {
  const { page, errors, close } = await openPage(browser);
  await page.goto(`${site.url}/setup/custom`);
  await page.getByRole('heading', { level: 1, name: 'Automated setup' }).waitFor();
  await page.goto(`${site.url}/checklist/custom`);
  await page.getByRole('heading', { level: 1, name: 'Checklist' }).waitFor();
  await page.goto(`${site.url}/no/such/page`);
  await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
  assert.match(await page.locator('main').innerText(), /\/no\/such\/page/);
  assert.deepEqual(errors, []);
  await close();
});

test('a deep-linked checklist loads the other pages from the host, and back returns to it', async () => {
  const { page, errors, close } = await openPage(browser);
  await page.goto(`${site.url}/checklist/kodo-for-cloud`);
  // The checklist app has taken over the prerendered page (links work from here).
  await page.waitForFunction(() => !document.querySelector('main > .lazy-page[inert]'));
  await page.evaluate(() => { window.__sameDocument = true; });
  await page.getByRole('link', { name: 'All integrations' }).click();
  await page.getByRole('heading', { level: 1, name: 'Choose an integration' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
  // The picker is the shell's, not the checklist app's: a page load.
  assert.equal(await page.evaluate(() => window.__sameDocument), undefined);
  await page.locator('li[data-integration="kodo-for-cloud"]').waitFor();

  await page.goBack();
  await page.locator('section.checklist[data-integration="kodo-for-cloud"]').waitFor();
  assert.equal(new URL(page.url()).pathname, '/checklist/kodo-for-cloud');
  assert.deepEqual(errors, []);
  await close();
});
