// Scripted browser measurements of the StateLab page (recorded in BENCHMARKS.md):
//
//   node tests/e2e/bench.mjs            (after `trunk build --release --features automation`)
//
// * time until the page is interactive (navigation start → the Play button rendered by the wasm app);
// * at maximum speed with 10,000 uniform keys and parallelism 4: frame intervals (p50/p95/max, from a
//   requestAnimationFrame recorder in the page) and events processed per second of wall time;
// * the same with 1,000,000 keys in state (dense views on canvas must keep the tab responsive);
// * time travel: dragging the timeline through a 1,000,000-event run, and through the run holding 1M keys;
// * one event back with 1,000,000 keys in state: the "◀" button pressed at the head of that run, again and
//   again, each timed from the click until the page painted the job one record earlier;
// * the release wasm's size, raw and gzipped.
//
// BENCH_ONLY=1m-keys measures the run that builds 1,000,000 keys alone (one event back, scrubbing it);
// BENCH_DIST=path serves another build (e.g. an older commit's) instead of dist/.
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { serve, launchBrowser, applySettings, SPEED, numberOf } from './lib/harness.mjs';

const dist = process.env.BENCH_DIST ?? fileURLToPath(new URL('../../dist', import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const only = process.env.BENCH_ONLY;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Plays at max speed for `seconds` and measures frames and events per wall second. */
async function measure(page, seconds) {
  await page.evaluate(() => {
    window.__frames = [];
    const record = (t) => {
      window.__frames.push(t);
      if (window.__recording) requestAnimationFrame(record);
    };
    window.__recording = true;
    requestAnimationFrame(record);
  });
  const events0 = await numberOf(page, 'event-count');
  const t0 = Date.now();
  await page.waitForTimeout(seconds * 1000);
  const events1 = await numberOf(page, 'event-count');
  const elapsed = (Date.now() - t0) / 1000;
  const frames = await page.evaluate(() => {
    window.__recording = false;
    return window.__frames;
  });
  const intervals = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
  const timings = await page.evaluate(() => window.statelab.frames());
  const mean = (xs) => Number((xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)).toFixed(2));
  const renders = timings.map((f) => f.renderMs).sort((a, b) => a - b);
  return {
    engineMsMean: mean(timings.map((f) => f.engineMs)),
    renderMsMean: mean(renders),
    renderMsP95: Number(percentile(renders, 95).toFixed(1)),
    frames: intervals.length,
    frameMsP50: Number(percentile(intervals, 50).toFixed(1)),
    frameMsP95: Number(percentile(intervals, 95).toFixed(1)),
    frameMsMax: Number(intervals[intervals.length - 1].toFixed(1)),
    eventsPerWallSecond: Math.round((events1 - events0) / elapsed),
  };
}

/**
 * Time travel: drags the timeline's handle to 20 places spread over the run (paused) and times each from the
 * input event to the second animation frame after it, i.e. until the page painted the job as it was there.
 */
async function measureScrub(page) {
  return page.evaluate(async () => {
    const scrub = document.querySelector('[data-testid=timeline-scrub]');
    const [min, max] = [Number(scrub.min), Number(scrub.max)];
    const times = [];
    for (let i = 0; i < 20; i++) {
      const target = Math.floor(min + ((max - min) * ((i * 7) % 20)) / 20);
      const t0 = performance.now();
      scrub.value = String(target);
      scrub.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const s = window.statelab.summary();
    return {
      runRecords: s.headRecords,
      medianMs: Number(times[10].toFixed(1)),
      p95Ms: Number(times[18].toFixed(1)),
      maxMs: Number(times[19].toFixed(1)),
    };
  });
}

/**
 * One event back, `count` times from where the job stands (paused): clicks "◀" and times each from the click to
 * the second animation frame after it, i.e. until the page painted the job one record earlier (the first press
 * on its own, then median, p95 and max), and the click's handling alone; the records processed before and
 * after (each press goes back one).
 */
async function measureStepBack(page, count) {
  return page.evaluate(async (count) => {
    const back = document.querySelector('[data-testid=timeline-back]');
    const before = window.statelab.summary();
    const times = [];
    const handled = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      back.click();
      handled.push(performance.now() - t0);
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      times.push(performance.now() - t0);
    }
    const after = window.statelab.summary();
    const sorted = [...times].sort((a, b) => a - b);
    const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
    return {
      keysInState: after.keysInState,
      fromRecords: before.recordsProcessed,
      toRecords: after.recordsProcessed,
      firstMs: Number(times[0].toFixed(1)),
      medianMs: Number(at(50).toFixed(1)),
      p95Ms: Number(at(95).toFixed(1)),
      maxMs: Number(sorted[sorted.length - 1].toFixed(1)),
      // The click's own handling (the seeks in the engine, before anything is rendered): first, median.
      handledFirstMs: Number(handled[0].toFixed(1)),
      handledMedianMs: Number([...handled].sort((a, b) => a - b)[Math.floor(handled.length / 2)].toFixed(1)),
    };
  }, count);
}


// The job of the engine benchmarks (benches/bench_job.rs): one source at 1M events/s, 100 ns per record.
const benchJob = { parallelism: '4', 'source-parallelism': '1', rate: '1000000', 'processing-ns': '100' };

async function smallRuns() {
  // Interactive: navigation start to the first render of the app (median of 5 cold loads).
  const loads = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByTestId('play').waitFor();
    loads.push(await page.evaluate(() => performance.now()));
    await context.close();
  }
  loads.sort((a, b) => a - b);
  results.interactiveMs = Number(percentile(loads, 50).toFixed(0));

  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByTestId('play').waitFor();
  await applySettings(page, { ...benchJob, keys: '10000', distribution: 'uniform' });
  await page.getByTestId('speed').fill(String(SPEED.max));
  await page.getByTestId('play').click();
  await page.waitForTimeout(1500);
  results.max_speed_10k_keys_p4 = await measure(page, seconds);
  await page.getByTestId('play').click();

  // Scrubbing through a run of 1,000,000 events (the same job, started again).
  await applySettings(page, { ...benchJob, keys: '10000', distribution: 'uniform' });
  await page.getByTestId('play').click();
  while ((await page.evaluate(() => window.statelab.summary())).recordsProcessed < 1_000_000) await page.waitForTimeout(100);
  await page.getByTestId('play').click();
  results.scrub_1m_event_run_10k_keys = await measureScrub(page);
  await context.close();
}

/**
 * The run that builds 1,000,000 keys (every key in turn) and plays on for `seconds` at maximum speed: frames,
 * then one event back from its head, then scrubbing it.
 */
async function runWith1mKeys() {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByTestId('play').waitFor();
  await page.getByTestId('speed').fill(String(SPEED.max));
  await applySettings(page, { ...benchJob, keys: '1000000', distribution: 'sequential' });
  await page.getByTestId('play').click();
  const keysInState = async () =>
    (await page.getByTestId('state-table').locator('.panel-head .hint').textContent()).match(/· ([\d,]+) entries/)[1].replace(/,/g, '');
  const start = Date.now();
  while (Number(await keysInState()) < 1_000_000 && Date.now() - start < 60000) await page.waitForTimeout(250);
  results.keysInState = Number(await keysInState());
  results.max_speed_1m_keys_p4 = await measure(page, seconds);
  await page.getByTestId('play').click();
  await page.waitForTimeout(500);
  results.one_event_back_1m_keys = await measureStepBack(page, Number(process.env.BENCH_STEPS_BACK ?? 15));
  results.scrub_run_with_1m_keys = await measureScrub(page);
  await context.close();
}

const server = await serve(dist);
const browser = await launchBrowser();
const results = {};
try {
  if (only !== '1m-keys') await smallRuns();
  await runWith1mKeys();
  if (only !== '1m-keys') {
    const wasm = readdirSync(dist).find((f) => f.endsWith('.wasm'));
    const bytes = readFileSync(`${dist}/${wasm}`);
    results.wasmBytes = bytes.length;
    results.wasmGzipBytes = gzipSync(bytes, { level: 9 }).length;
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify(results, null, 2));
