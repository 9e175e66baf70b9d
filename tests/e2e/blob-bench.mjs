// What opening a checkpoint blob from outside costs in the page (BENCHMARKS.md, "Opening blobs from outside"):
//
//   cargo run --release --example hostile_blobs -- --worst target/worst-blobs
//   trunk build --release --features automation && node tests/e2e/blob-bench.mjs
//
// For the worst link-sized blob, the worst 1 MB blob (the sound blobs that cost the most for their size) and every
// hostile blob of tests/data/blobs/hostile, each in a fresh browser profile, 5 times: the file is chosen in the
// stored-checkpoints panel and timed until the page shows the outcome — the entry in the list (checked whole and
// stored) or the refusal next to the import controls. The checkpoint library's worker reads and checks it. Memory:
// the growth of that worker's wasm linear memory over the import (it never shrinks, so this is the peak the import
// needed; the automation build exposes it), and of the page's (which the import does not touch).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename } from 'node:path';
import { serve, launchBrowser, until } from './lib/harness.mjs';
import { libraryWorker } from './lib/checkpoints.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = `${root}dist`;
const worst = `${root}target/worst-blobs`;
const hostile = `${root}tests/data/blobs/hostile`;
const runs = Number(process.env.BENCH_RUNS ?? 5);

if (!existsSync(`${worst}/worst-64kib.slcp`)) {
  console.error('first: cargo run --release --example hostile_blobs -- --worst target/worst-blobs');
  process.exit(2);
}
const only = process.env.BENCH_ONLY;
const all = [`${worst}/worst-link.slcp`, `${worst}/worst-64kib.slcp`, `${worst}/worst-1mb.slcp`,
  ...readdirSync(hostile).filter((f) => f.endsWith('.slcp')).sort().map((f) => `${hostile}/${f}`)];
// BENCH_ONLY=worst measures the worst-case sound blobs alone.
const blobs = only ? all.filter((p) => basename(p).startsWith(only)) : all;

const server = await serve(dist);
const browser = await launchBrowser();

async function importOnce(path) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  await context.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; });
  });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByTestId('play').waitFor();
  await page.waitForFunction(() => (document.querySelector('[data-testid=storage-status]')?.textContent ?? '').startsWith('IndexedDB'));
  const worker = await libraryWorker(page);
  const workerBytes = () => worker.evaluate(() => self.statelabMemory.buffer.byteLength);
  await until(() => worker.evaluate(() => Boolean(self.statelabMemory)), (ready) => ready, { what: 'the automation build\'s worker' });
  const before = await page.evaluate(() => ({ wasm: window.__wasm.memory.buffer.byteLength, js: performance.memory?.usedJSHeapSize ?? 0 }));
  const workerBefore = await workerBytes();
  const bytes = readFileSync(path);
  const t0 = Date.now();
  await page.getByTestId('import-file').setInputFiles({ name: basename(path), mimeType: 'application/octet-stream', buffer: bytes });
  const outcome = await page.waitForFunction(() => {
    if (document.querySelector('[data-testid=stored-checkpoint]')) return 'stored';
    const error = document.querySelector('[data-testid=storage-error]');
    return error ? `refused: ${error.textContent}` : null;
  }, null, { timeout: 120000, polling: 'raf' });
  const ms = Date.now() - t0;
  const after = await page.evaluate(() => ({ wasm: window.__wasm.memory.buffer.byteLength, js: performance.memory?.usedJSHeapSize ?? 0 }));
  const workerAfter = await workerBytes();
  const result = {
    ms,
    wasmGrowthMiB: (workerAfter - workerBefore) / 2 ** 20,
    wasmMiB: workerAfter / 2 ** 20,
    pageGrowthMiB: (after.wasm - before.wasm) / 2 ** 20,
    outcome: await outcome.jsonValue(),
  };
  await context.close();
  return result;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log('| blob | bytes | outcome | import → shown, median of ' + runs + ' | worker wasm memory grown (max) | worker wasm memory after | page wasm memory grown (max) |');
console.log('|---|---|---|---|---|---|---|');
for (const path of blobs) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await importOnce(path));
  const outcome = results[0].outcome.startsWith('refused') ? 'refused' : 'stored';
  console.log(`| \`${basename(path, '.slcp')}\` | ${readFileSync(path).length} | ${outcome} | ${median(results.map((r) => r.ms))} ms | `
    + `${Math.max(...results.map((r) => r.wasmGrowthMiB)).toFixed(1)} MiB | ${Math.max(...results.map((r) => r.wasmMiB)).toFixed(1)} MiB | `
    + `${Math.max(...results.map((r) => r.pageGrowthMiB)).toFixed(1)} MiB |`);
}
await browser.close();
await server.close();
