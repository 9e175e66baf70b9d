// Drives the engine built for wasm32 (examples/wasm_bench.rs, bound for Node.js by wasm-bindgen) from Node.
//
//   node tools/wasm-bench.mjs bench                  events/s through the job; checkpoint/restore of 1M keys;
//                                                   blobs; time travel over a recorded 1M-event run
//   node tools/wasm-bench.mjs parity CONFIG.json FP  runs the config in wasm and compares its fingerprint with
//                                                   FP (what `statelab run --config CONFIG.json` printed natively),
//                                                   and each scenario preset's trace with its golden trace
//
// tools/wasm-check.sh builds the module and runs both.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const wasm = require(new URL('../target/wasm-bench/wasm_bench.js', import.meta.url).pathname);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function bench() {
  const batch = 100_000;
  const results = {};
  for (const [name, interval] of [['10k_keys_p4_no_checkpoints', 0], ['10k_keys_p4_checkpoint_every_100k', 100]]) {
    const job = new wasm.JobBench(interval);
    job.run(200_000); // warm-up
    const rates = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      job.run(batch);
      rates.push(batch / ((performance.now() - t0) / 1000));
    }
    results[`job/${name}`] = { eventsPerSecond: Math.round(median(rates)), checkpoints: job.checkpoints() };
    job.free();
  }
  const state = new wasm.StateBench();
  const checkpointMs = [];
  const restoreMs = [];
  for (let i = 0; i < 5; i++) {
    let t0 = performance.now();
    const entries = state.checkpoint();
    checkpointMs.push(performance.now() - t0);
    if (entries !== 1_000_000) throw new Error(`checkpoint held ${entries} entries`);
    t0 = performance.now();
    state.restore();
    restoreMs.push(performance.now() - t0);
  }
  results['state/checkpoint_1m_keys'] = { ms: Number(median(checkpointMs).toFixed(1)) };
  results['state/restore_1m_keys'] = { ms: Number(median(restoreMs).toFixed(1)) };
  state.free();

  const blob = new wasm.BlobBench();
  const times = { encode: [], decode: [], startJob: [] };
  let bytes = 0;
  for (let i = 0; i < 7; i++) {
    let t0 = performance.now();
    bytes = blob.encode();
    times.encode.push(performance.now() - t0);
    t0 = performance.now();
    const entries = blob.decode();
    times.decode.push(performance.now() - t0);
    if (entries !== 1_000_000) throw new Error(`decoded ${entries} entries`);
    if (i < 3) {
      t0 = performance.now();
      blob.start_job();
      times.startJob.push(performance.now() - t0);
    }
  }
  results['blob/encode_1m_keys'] = { ms: Number(median(times.encode).toFixed(1)), bytes, bytesPerEntry: Number((bytes / 1e6).toFixed(2)) };
  results['blob/decode_1m_keys'] = { ms: Number(median(times.decode).toFixed(1)) };
  results['blob/start_job_from_blob_1m_keys'] = { ms: Number(median(times.startJob).toFixed(1)) };
  blob.free();

  let t0 = performance.now();
  const travel = new wasm.TimeTravelBench();
  results['time_travel/record_1m_events'] = {
    ms: Number((performance.now() - t0).toFixed(1)),
    steps: travel.head_steps(),
    snapshots: travel.snapshots(),
    snapshotInterval: travel.snapshot_interval(),
    snapshotMiB: Number((travel.snapshot_bytes() / 1048576).toFixed(1)),
  };
  const seekMs = [];
  for (let i = 0; i < 200; i++) {
    t0 = performance.now();
    travel.seek_random();
    seekMs.push(performance.now() - t0);
  }
  const sorted = [...seekMs].sort((a, b) => a - b);
  results['time_travel/seek_random_position_1m_run'] = {
    medianMs: Number(median(seekMs).toFixed(2)),
    p95Ms: Number(sorted[Math.floor(sorted.length * 0.95)].toFixed(2)),
    maxMs: Number(sorted[sorted.length - 1].toFixed(2)),
  };
  const backMs = [];
  for (let i = 0; i < 30; i++) {
    t0 = performance.now();
    travel.back_one_event();
    backMs.push(performance.now() - t0);
  }
  results['time_travel/seek_records_back_one_event_from_head'] = { medianMs: Number(median(backMs).toFixed(2)) };
  travel.free();

  t0 = performance.now();
  const stepBack = new wasm.StepBack1mKeysBench();
  results['time_travel/record_3m_events_1m_keys'] = {
    ms: Number((performance.now() - t0).toFixed(1)),
    snapshots: stepBack.snapshots(),
    recentInterval: stepBack.recent_interval(),
    snapshotMiB: Number((stepBack.snapshot_bytes() / 1048576).toFixed(1)),
  };
  const pressMs = [];
  for (let i = 0; i < 30; i++) {
    t0 = performance.now();
    stepBack.back_one_event();
    pressMs.push(performance.now() - t0);
  }
  const pressSorted = [...pressMs].sort((a, b) => a - b);
  results['time_travel/one_event_back_1m_keys'] = {
    firstMs: Number(pressMs[0].toFixed(2)),
    medianMs: Number(median(pressMs).toFixed(2)),
    maxMs: Number(pressSorted[pressSorted.length - 1].toFixed(2)),
  };
  stepBack.free();
  console.log(JSON.stringify({ node: process.version, results }, null, 2));
}

function parity(configPath, expected, ...presets) {
  const config = readFileSync(configPath, 'utf8');
  const got = wasm.fingerprint(config, Number.MAX_SAFE_INTEGER);
  const results = [];
  const runOk = got === expected;
  results.push(runOk);
  console.log(`test wasm_run_matches_native_run ... ${runOk ? 'ok' : 'FAILED'}`);
  if (!runOk) console.log(`  wasm:   ${got}\n  native: ${expected}`);
  // The job presets beyond the counter: (config, native fingerprint) pairs.
  for (let i = 0; i + 1 < presets.length; i += 2) {
    const id = presets[i].split('/').pop().replace('.parity.json', '');
    const wasmPrint = wasm.fingerprint(readFileSync(presets[i], 'utf8'), Number.MAX_SAFE_INTEGER);
    const ok = wasmPrint === presets[i + 1];
    results.push(ok);
    console.log(`test wasm_function_${id}_matches_native_run ... ${ok ? 'ok' : 'FAILED'}`);
    if (!ok) console.log(`  wasm:   ${wasmPrint}\n  native: ${presets[i + 1]}`);
  }
  // The scenario presets' traces, against the native golden traces the Rust tests keep.
  for (const id of wasm.scenario_ids().split('\n')) {
    const golden = readFileSync(new URL(`../tests/data/scenarios/${id}.trace`, import.meta.url), 'utf8');
    const trace = wasm.scenario_trace(id);
    const ok = trace === golden;
    results.push(ok);
    console.log(`test wasm_scenario_${id}_matches_its_golden_trace ... ${ok ? 'ok' : 'FAILED'}`);
    if (!ok) console.log(`  wasm:\n${trace}\n  golden:\n${golden}`);
  }
  const passed = results.filter(Boolean).length;
  const failed = results.length - passed;
  console.log(`test result: ${failed === 0 ? 'ok' : 'FAILED'}. ${passed} passed; ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

const [command, ...args] = process.argv.slice(2);
if (command === 'bench') bench();
else if (command === 'parity') parity(...args);
else {
  console.error('usage: node tools/wasm-bench.mjs bench | parity CONFIG.json FINGERPRINT [PRESET.json FINGERPRINT]...');
  process.exit(2);
}
