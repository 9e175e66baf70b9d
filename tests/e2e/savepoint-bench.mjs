// The savepoint tools' opening benchmark (BENCHMARKS.md, "The savepoint tools"): a ~100 MB savepoint zip
// (tools/savepoint-bench/generate.sh) chosen in the tools' file picker — the same path a drop takes — timed in the
// page from the input's change event to the first rendered summary (a MutationObserver), in a fresh browser each
// run; median of RUNS (default 3). Also the worker's files and the tab's responsiveness while it reads: the
// longest gap between animation frames on the main thread.
//
//   tools/savepoint-bench/generate.sh /tmp/sp-bench && trunk build --release --features automation \
//     && node tests/e2e/savepoint-bench.mjs /tmp/sp-bench/savepoint.zip
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve, launchBrowser, openApp } from './lib/harness.mjs';

const zip = process.argv[2];
if (!zip) throw new Error('usage: node tests/e2e/savepoint-bench.mjs SAVEPOINT.zip');
const runs = Number(process.env.RUNS ?? 3);
const dist = fileURLToPath(new URL('../../dist', import.meta.url));
const server = await serve(dist);
const results = [];
for (let i = 0; i < runs; i++) {
  const browser = await launchBrowser();
  const { page, context } = await openApp(browser, server.url);
  await page.getByTestId('savepoint-tools-open').click();
  await page.getByTestId('savepoint-files').waitFor();
  await page.evaluate(() => {
    const tools = document.querySelector('[data-testid=savepoint-tools]');
    window.__bench = { gap: 0 };
    tools.addEventListener('change', () => { window.__bench.start = performance.now(); }, true);
    new MutationObserver(() => {
      if (!window.__bench.end && document.querySelector('[data-testid=savepoint-summary]')) {
        window.__bench.end = performance.now();
      }
    }).observe(tools, { childList: true, subtree: true });
    let last = performance.now();
    const frame = (t) => {
      window.__bench.gap = Math.max(window.__bench.gap, t - last);
      last = t;
      if (!window.__bench.end) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  await page.getByTestId('savepoint-files').setInputFiles(zip);
  await page.getByTestId('savepoint-summary').waitFor({ timeout: 600000 }).catch(async (e) => {
    throw new Error(`no summary: ${await page.getByTestId('savepoint-tools').textContent()}`, { cause: e });
  });
  const { start, end, gap } = await page.evaluate(() => window.__bench);
  const entries = await page.getByTestId('savepoint-entry').count();
  results.push({ ms: Math.round(end - start), longestFrameGapMs: Math.round(gap), entriesShown: entries });
  console.log(JSON.stringify(results.at(-1)));
  await context.close();
  await browser.close();
}
await server.close();
const ms = results.map((r) => r.ms).sort((a, b) => a - b);
console.log(JSON.stringify({ zipBytes: statSync(zip).size, runs, medianMs: ms[Math.floor(ms.length / 2)], results }));
