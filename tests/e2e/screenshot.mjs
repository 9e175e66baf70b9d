// Takes the README screenshot (docs/screenshot.png): serves dist/, follows "user-1", plays in slow motion with a
// checkpoint in flight, and captures the first screen.
//   node tests/e2e/screenshot.mjs [out.png]
import { serve, launch, SPEED } from './lib/harness.mjs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = process.argv[2] ?? `${root}docs/screenshot.png`;
const server = await serve(`${root}dist`);
const { context } = await launch({ viewport: { width: 1600, height: 1180 } });
try {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(server.url);
  await page.getByTestId('follow-key').fill('user-1');
  await page.getByTestId('speed').fill(String(SPEED.x0_1));
  await page.getByTestId('play').click();
  await page.waitForTimeout(5000);
  await page.getByTestId('speed').fill('3');
  await page.getByTestId('checkpoint-trigger').click();
  await page.waitForTimeout(2200);
  await page.screenshot({ path: out });
  console.log(`saved ${out}`);
} finally {
  await context.close();
  await server.close();
}
