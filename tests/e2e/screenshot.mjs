// Takes the README screenshot: serves dist/, plays the job for a few seconds, saves docs/screenshot.png.
//   node tests/e2e/screenshot.mjs [out.png]
import { serve, launch } from './lib/harness.mjs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = process.argv[2] ?? `${root}docs/screenshot.png`;
const server = await serve(`${root}dist`);
const { context } = await launch({ viewport: { width: 1280, height: 1000 } });
try {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(server.url);
  await page.getByTestId('play').click();
  await page.waitForTimeout(3000);
  await page.getByTestId('play').click();
  await page.screenshot({ path: out, fullPage: true });
  console.log(`saved ${out}`);
} finally {
  await context.close();
  await server.close();
}
