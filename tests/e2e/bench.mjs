// Scripted browser measurements of the StateLab page (recorded in BENCHMARKS.md):
//
//   node tests/e2e/bench.mjs            (after `trunk build --release --features automation`)
//
// * time until the page is interactive (navigation start → the Play button rendered by the wasm app);
// * at maximum speed with 10,000 uniform keys and parallelism 4: frame intervals (p50/p95/max, from a
//   requestAnimationFrame recorder in the page) and events processed per second of wall time;
// * the same with 1,000,000 keys in state (dense views on canvas must keep the tab responsive);
// * time travel: dragging the timeline through a 1,000,000-event run, and through the run holding 1M keys;
// * one event back with 1,000,000 keys in state, as a reader does it ("←", or the "◀" button): 20 presses at the
//   head of that run, then 20 from each of three places earlier in it, each timed from the input event until the
//   page painted the job one record earlier with every view drawn; and what the run's history holds then;
// * the release wasm's size, raw and gzipped.
//
// * every keyed function of the settings' picker (the job presets: lists, maps, reducing, aggregating, TTL, timers),
//   at maximum speed with 10,000 uniform keys and parallelism 4: frame intervals and events per wall second, as
//   above, for BENCH_PRESET_SECONDS (5) each.
//
// BENCH_ONLY=1m-keys measures the run that builds 1,000,000 keys alone (one event back, scrubbing it);
// BENCH_ONLY=presets the keyed functions alone;
// BENCH_STEPS_BACK=n presses n times from each place instead of 20; BENCH_DIST=path serves another build (e.g. an
// older commit's) instead of dist/.
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
 * One event back, as a reader does it: the "←" key (`via: 'key'`) or the "◀" button (`via: 'button'`), `count`
 * presses one after another from where the job stands (paused). Each is timed from the input event (the key or
 * the mouse button going down: the event's own timestamp) until the page painted the job one record earlier,
 * every view drawn: the animation frame after the first one to begin once the last render the press caused had
 * finished (`statelab.renders()`: the root component's effects run after every view's, canvases included), by
 * which time that frame has been painted. The page is taken to have finished when the timeline shows the new
 * position and nothing has been rendered for 100 ms (the code panel's line animation, which the press starts,
 * steps every 320 ms). Also `domMs`, the same up to the frame after the first one to find the timeline showing
 * the position (the page yields to the browser between updating the document and drawing its canvases), and
 * `handledMs`, until the page's listeners returned (the seeks in the engine and the first render of the
 * document, before layout and paint). Returns the presses and where they went from and to.
 */
async function stepBack(page, count, via) {
  const from = await page.evaluate(() => window.statelab.summary().recordsProcessed);
  const pressed = [];
  for (let i = 0; i < count; i++) {
    await page.evaluate(() => {
      // The records count the timeline shows ("event 1,234 of …").
      const position = () =>
        Number(document.querySelector('[data-testid=timeline-position]').textContent.match(/[\d,]+/)[0].replace(/,/g, ''));
      const expected = window.statelab.summary().recordsProcessed - 1;
      const rendersBefore = window.statelab.renders().count;
      window.__stepBack = new Promise((resolve, reject) => {
        let start;
        let handledAt;
        const down = (e) => { start ??= e.timeStamp; };
        const after = () => { handledAt ??= performance.now(); };
        // Capturing on the window: before any of the page's listeners. Bubbling on the window: after them.
        const listeners = [['keydown', down, true], ['mousedown', down, true], ['keydown', after, false], ['click', after, false]];
        for (const [type, f, capture] of listeners) addEventListener(type, f, capture);
        const done = (f) => { for (const [type, g, capture] of listeners) removeEventListener(type, g, capture); f(); };
        const deadline = performance.now() + 120000;
        const frames = [];
        let shownFrame;
        const frame = () => {
          const now = performance.now();
          if (now > deadline) return done(() => reject(new Error(`never showed record ${expected}`)));
          if (handledAt !== undefined) frames.push(now);
          const renders = window.statelab.renders();
          if (shownFrame === undefined && handledAt !== undefined && position() === expected) shownFrame = frames.length - 1;
          if (shownFrame !== undefined && renders.count > rendersBefore && now - renders.lastMs > 100) {
            const drawn = frames.findIndex((t) => t > renders.lastMs);
            if (drawn + 1 < frames.length && shownFrame + 1 < frames.length) {
              return done(() => resolve({
                ms: frames[drawn + 1] - start,
                domMs: frames[shownFrame + 1] - start,
                handledMs: handledAt - start,
              }));
            }
          }
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      });
    });
    if (via === 'key') await page.keyboard.press('ArrowLeft');
    else await page.getByTestId('timeline-back').click();
    pressed.push(await page.evaluate(() => window.__stepBack));
  }
  const to = await page.evaluate(() => window.statelab.summary().recordsProcessed);
  return { from, to, pressed };
}

/** Median, p95 and max of a list of ms. */
function spread(ms) {
  const sorted = [...ms].sort((a, b) => a - b);
  const fixed = (x) => Number(x.toFixed(1));
  return { medianMs: fixed(percentile(sorted, 50)), p95Ms: fixed(percentile(sorted, 95)), maxMs: fixed(sorted[sorted.length - 1]) };
}

/**
 * One event back with 1,000,000 keys in state (paused): 20 presses of "←" from the head of the run, then from
 * three places earlier in it (scrubbed to ¾, ½ and ¼ of the way, waiting until the page shows the job there), 20
 * presses of "◀" from ¾ and 20 of "←" from ½ and ¼. Per place the first press, median / p95 / max; over all
 * presses median / p95 / max and the handling's median / max; and what the run's history holds (its snapshots,
 * the bytes they are counted at against the budget) and the wasm module's linear memory.
 */
async function measureStepBack1m(page, presses) {
  // The shortcuts belong to the page, not to a field that might have kept the focus.
  await page.evaluate(() => document.activeElement?.blur());
  const places = [];
  const run = async (name, via) => {
    const { from, to, pressed } = await stepBack(page, presses, via);
    const ms = pressed.map((p) => p.ms);
    places.push({
      from: name, via, fromRecords: from, toRecords: to, firstMs: Number(ms[0].toFixed(1)), ...spread(ms),
      domMedianMs: spread(pressed.map((p) => p.domMs)).medianMs,
      // Every press, in order: painted / handled (ms).
      presses: pressed.map((p) => `${Math.round(p.ms)}/${Math.round(p.handledMs)}`).join(' '),
    });
    return pressed;
  };
  const all = [...(await run('head', 'key'))];
  for (const [name, fraction, via] of [['3/4', 0.75, 'button'], ['1/2', 0.5, 'key'], ['1/4', 0.25, 'key']]) {
    const target = await page.evaluate((fraction) => {
      const scrub = document.querySelector('[data-testid=timeline-scrub]');
      const target = Math.floor(Number(scrub.min) + (Number(scrub.max) - Number(scrub.min)) * fraction);
      scrub.value = String(target);
      scrub.dispatchEvent(new Event('input', { bubbles: true }));
      return target;
    }, fraction);
    await page.waitForFunction((target) => window.statelab.summary().steps === target, target, { timeout: 120000 });
    all.push(...(await run(name, via)));
  }
  const s = await page.evaluate(() => ({ ...window.statelab.summary(), wasmBytes: window.__wasm?.memory.buffer.byteLength }));
  const handled = spread(all.map((p) => p.handledMs));
  return {
    keysInState: s.keysInState,
    runRecords: s.headRecords,
    presses: all.length,
    ...spread(all.map((p) => p.ms)),
    dom: spread(all.map((p) => p.domMs)),
    handledMedianMs: handled.medianMs,
    handledMaxMs: handled.maxMs,
    places,
    history: {
      snapshots: s.historySnapshots,
      snapshotMiB: Number((s.historySnapshotBytes / 2 ** 20).toFixed(1)),
      budgetMiB: s.historyBudgetBytes / 2 ** 20,
      interval: s.historyInterval,
      recentInterval: s.historyRecentInterval,
    },
    wasmMemoryMiB: s.wasmBytes && Number((s.wasmBytes / 2 ** 20).toFixed(1)),
  };
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

/** Every keyed function of the settings' picker at maximum speed, 10,000 uniform keys, parallelism 4. */
async function presets() {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByTestId('play').waitFor();
  await page.getByTestId('settings-toggle').click();
  const functions = await page.getByTestId('function').locator('option').evaluateAll((os) => os.map((o) => o.value));
  await page.keyboard.press('Escape');
  await page.getByTestId('apply-settings').waitFor({ state: 'detached' });
  results.presets = {};
  for (const fn of functions) {
    await applySettings(page, { ...benchJob, keys: '10000', distribution: 'uniform', function: fn });
    await page.getByTestId('speed').fill(String(SPEED.max));
    await page.getByTestId('play').click();
    await page.waitForTimeout(1000);
    results.presets[fn] = await measure(page, Number(process.env.BENCH_PRESET_SECONDS ?? 5));
    await page.getByTestId('play').click();
    await page.waitForFunction(() => !window.statelab.summary().playing);
  }
  await context.close();
}

/**
 * The run that builds 1,000,000 keys (every key in turn) and plays on for `seconds` at maximum speed: frames,
 * then one event back from its head, then scrubbing it.
 */
async function runWith1mKeys() {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  await context.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; });
  });
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
  await page.waitForFunction(() => !window.statelab.summary().playing);
  results.one_event_back_1m_keys = await measureStepBack1m(page, Number(process.env.BENCH_STEPS_BACK ?? 20));
  results.scrub_run_with_1m_keys = await measureScrub(page);
  await context.close();
}

const server = await serve(dist);
const browser = await launchBrowser();
const results = {};
try {
  if (!only) await smallRuns();
  if (!only || only === 'presets') await presets();
  if (!only || only === '1m-keys') await runWith1mKeys();
  if (!only) {
    const wasm = readdirSync(dist).find((f) => f.startsWith('statelab-web-') && f.endsWith('.wasm'));
    const bytes = readFileSync(`${dist}/${wasm}`);
    results.wasmBytes = bytes.length;
    results.wasmGzipBytes = gzipSync(bytes, { level: 9 }).length;
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify(results, null, 2));
