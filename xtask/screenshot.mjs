// `cargo xtask screenshot`: the README's picture of the running app, taken in headless
// Chromium from the release build, so it always shows what the code renders.
import { launchBrowser, openPage, serveDist } from '../tests/e2e/harness.mjs';

const out = process.argv[2] ?? 'docs/screenshot.png';
const site = await serveDist();
const browser = await launchBrowser();
try {
  const { page, errors } = await openPage(browser);
  await page.setViewportSize({ width: 1200, height: 820 });
  await page.goto(`${site.url}/`);
  await page.locator('li[data-integration]').first().waitFor();
  if (errors.length) throw new Error(`the app logged errors: ${errors.join('; ')}`);
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await site.close();
}
