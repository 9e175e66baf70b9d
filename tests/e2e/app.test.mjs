// End-to-end tests of the StateLab page in headless Chromium (Debian's, through playwright-core), against the
// release build in dist/ served on 127.0.0.1. Every test asserts on what the page shows and keeps a screenshot
// in tests/e2e/artifacts/.
//
//   node --test tests/e2e/        (after `trunk build --release --features automation`)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { serve, launchBrowser, openApp, artifact, viewportArtifact, until, numberOf, setSpeed, applySettings, animationFrames, SPEED } from './lib/harness.mjs';
import { assertOnScreen } from './lib/checkpoints.mjs';

const dist = fileURLToPath(new URL('../../dist', import.meta.url));
let server;
let browser;

before(async () => {
  server = await serve(dist);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const summary = (page) => page.evaluate(() => window.statelab.summary());

async function waitForCompletedCheckpoint(page) {
  const row = page.getByTestId('checkpoint-list').locator('tr.cp-row', { hasText: 'COMPLETED' }).first();
  await row.waitFor({ timeout: 20000 });
  return row;
}

test('plays the job: events flow, counts grow, pause stops them', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  assert.equal(await numberOf(page, 'event-count'), 0);
  await setSpeed(page, SPEED.x1);
  await page.getByTestId('play').click();
  await until(() => numberOf(page, 'event-count'), (n) => n > 300, { what: 'events to flow' });
  await page.getByTestId('play').click();
  const paused = await numberOf(page, 'event-count');
  // Playing, the job would move on in every one of these frames.
  await animationFrames(page, 30);
  assert.equal(await numberOf(page, 'event-count'), paused, 'no events while paused');
  // The subtasks hold what was processed: entries appear in the state table and the sink wrote every record.
  const written = await page.getByTestId('sink-output').locator('li').count();
  assert.ok(written > 0);
  assert.match(await page.getByTestId('job-graph').textContent(), /EventCounterProcessFunction \(2\/2\)/);
  await artifact(page, 'play');
  assert.deepEqual(errors, []);
  await context.close();
});

test('what happened sits under the job graph: empty, it says what will appear; at full speed it shows checkpoints, resizes and rehashes', async () => {
  for (const width of [1280, 1440]) {
    const { page, context, errors } = await openApp(browser, server.url, { viewport: { width, height: 800 } });
    const panel = page.getByTestId('what-happened');
    await assertOnScreen(panel, `${width}: what happened, without scrolling`);
    assert.match(await page.getByTestId('event-log-empty').textContent(), /^Nothing yet\. Checkpoints, map resizes and rehashes/);
    const graph = await page.getByTestId('job-graph').boundingBox();
    const box = await panel.boundingBox();
    assert.ok(box.y >= graph.y + graph.height && box.y - (graph.y + graph.height) < 40, `${width}: right under the job graph`);
    // The engine's fast path (no per-record events) still reports map resizes and rehashes.
    await setSpeed(page, SPEED.max);
    await page.getByTestId('play').click();
    // The log shows the newest 60 lines and rolls on at full speed: a resize's start, its rehash's end and a
    // checkpoint need not be on screen at the same moment, so each is looked for in every refresh it was in.
    const log = () => page.getByTestId('event-log').textContent();
    const wanted = {
      'a resize started': /subtask \d, key group \d+: CopyOnWriteStateMap resize \d+ → \d+ buckets started \(incremental rehash\)/,
      'a finished rehash': /incremental rehash done/,
      'a completed checkpoint': /checkpoint \d+ COMPLETED/,
    };
    const seen = new Set();
    await until(log, (t) => {
      for (const [what, line] of Object.entries(wanted)) if (line.test(t)) seen.add(what);
      return seen.size === Object.keys(wanted).length;
    }, { what: `${Object.keys(wanted).join(', ')} in the log`, timeout: 60000, every: 25 }).catch((e) => {
      throw new Error(`${e.message}; seen: ${[...seen].join(', ') || 'none'}`);
    });
    await page.getByTestId('play').click();
    assert.ok((await page.getByTestId('event-log').locator('li').count()) > 0);
    assert.equal(await page.getByTestId('event-log-empty').count(), 0);
    await assertOnScreen(panel, `${width}: what happened while playing`);
    await viewportArtifact(page, `what-happened-${width}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('steps single events and the counts shown follow them', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  for (let i = 1; i <= 5; i++) {
    await page.getByTestId('step').click();
    assert.equal(await numberOf(page, 'event-count'), i);
  }
  // The record just processed is the newest sink line; following its key shows the same count.
  const newest = await page.getByTestId('sink-output').locator('li').first().textContent();
  const [, key, count] = newest.match(/\(([^,]+), (\d+)\)/);
  await page.getByTestId('follow-key').fill(key);
  assert.equal(await page.getByTestId('trace-count').textContent(), count);
  assert.match(await page.getByTestId('last-access').textContent(), new RegExp(`last access: ${key} in`));
  // A key typed by hand is one event: with the job paused it is processed at once.
  await page.getByTestId('send-key').fill('alice');
  await page.getByTestId('send-key').press('Enter');
  await until(() => page.getByTestId('trace-count').textContent(), (t) => t === '1', { what: 'alice counted once' });
  await page.getByTestId('send-key').fill('alice');
  await page.getByTestId('send-key').press('Enter');
  await until(() => page.getByTestId('trace-count').textContent(), (t) => t === '2', { what: 'alice counted twice' });
  await artifact(page, 'step');
  assert.deepEqual(errors, []);
  await context.close();
});

test('follows a key to its key group, subtask and bucket, as real Flink computes them', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await page.getByTestId('follow-key').fill('user-1');
  // Ground truth (reference table, keygroups-sample.jsonl): "user-1" hashes to -836031825, murmur 1662039673,
  // key group 121 of 128, subtask 1 of 2, bucket 81 of a fresh 128-bucket map.
  assert.equal(await page.getByTestId('trace-hash').textContent(), '-836031825');
  assert.equal(await page.getByTestId('trace-murmur').textContent(), '1662039673');
  assert.equal((await page.getByTestId('trace-key-group').textContent()).trim(), '121');
  assert.equal(await page.getByTestId('trace-subtask').textContent(), '1');
  assert.equal(await page.getByTestId('trace-bucket').textContent(), '81');
  assert.equal(await page.getByTestId('trace-count').textContent(), 'null');
  // Sending it puts the entry at the head of bucket 81 of key group 121's map.
  await page.getByTestId('send-key').fill('user-1');
  await page.getByTestId('send-key').press('Enter');
  await until(() => page.getByTestId('trace-count').textContent(), (t) => t === '1', { what: 'user-1 counted' });
  assert.equal(await page.getByTestId('map-key-group').textContent(), '121');
  const focused = page.getByTestId('chains').locator('.bucket-row.focused');
  assert.match(await focused.textContent(), /\[81\].*user-1.*state = 1/);
  assert.match(await page.getByTestId('subtask-1-range').textContent(), /startKeyGroup=64, endKeyGroup=127/);
  await artifact(page, 'follow-key');
  assert.deepEqual(errors, []);
  await context.close();
});

test('triggers a checkpoint and shows it like Flink’s Web UI', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  // Periodic checkpoints off, so that the checkpoint listed and logged is the one triggered here.
  await page.getByTestId('checkpoint-interval').fill('');
  await page.getByTestId('checkpoint-interval').press('Enter');
  await setSpeed(page, SPEED.x1);
  await page.getByTestId('play').click();
  await until(() => numberOf(page, 'event-count'), (n) => n > 200, { what: 'events' });
  await page.getByTestId('checkpoint-trigger').click();
  await until(() => summary(page), (s) => s.checkpointsCompleted === 1, { what: 'the checkpoint to complete' });
  await page.getByTestId('play').click();
  const row = await waitForCompletedCheckpoint(page);
  assert.match(await row.textContent(), /\(manual\)COMPLETED4\/4/);
  assert.match(await row.textContent(), /KiB/);
  await row.click();
  const details = page.getByTestId('checkpoint-list').locator('tr.details');
  assert.equal(await details.locator('table.subtasks tr').count(), 3, 'a header and one row per subtask');
  const log = await page.getByTestId('event-log').textContent();
  assert.match(log, /sync phase of \d+ — snapshotMapArrays on 64 maps/);
  assert.match(log, /checkpoint \d+ COMPLETED/);
  await artifact(page, 'checkpoint');
  assert.deepEqual(errors, []);
  await context.close();
});

test('injects a failure and the job restarts from the latest checkpoint with exactly-once counts', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await applySettings(page, { 'restart-strategy': 'fixed-delay', 'restart-attempts': '3', 'restart-delay': '300' });
  await setSpeed(page, SPEED.x1);
  await page.getByTestId('play').click();
  await until(() => numberOf(page, 'event-count'), (n) => n > 500, { what: 'events' });
  await page.getByTestId('checkpoint-trigger').click();
  await until(() => summary(page), (s) => s.checkpointsCompleted > 0, { what: 'the checkpoint to complete' });
  // Paused, so that the newest completed checkpoint is the one the failure restores, and the job is seen
  // RESTARTING.
  await page.getByTestId('play').click();
  const row = await waitForCompletedCheckpoint(page);
  const checkpointId = (await row.locator('td').first().textContent()).match(/\d+/)[0];
  await page.getByTestId('fail').click();
  assert.match(await page.getByTestId('job-status').textContent(), /^RESTARTING in /);
  await page.getByTestId('play').click();
  // Replayed records reach the non-transactional sink twice (its total of duplicates only grows).
  await until(() => summary(page), (s) => s.restarts === 1 && s.sinkDuplicates > 0, { what: 'the restart and duplicates' });
  await page.getByTestId('play').click();
  assert.equal(await page.getByTestId('job-status').textContent(), 'RUNNING');
  const restored = new RegExp(`restarted attempt 1 at parallelism 2 \\(maxParallelism 128\\) from checkpoint ${checkpointId}`);
  const log = await page.getByTestId('event-log').textContent();
  assert.match(log, restored);
  assert.match(log, /failed \(attempt 0\): java\.lang\.RuntimeException: failure injected by hand/);
  await page.getByTestId('follow-key').fill('user-0');
  const count = Number(await page.getByTestId('trace-count').textContent());
  assert.ok(count > 0);
  await artifact(page, 'failure-restore');
  assert.deepEqual(errors, []);
  await context.close();
});

test('drives the heap into OutOfMemoryError, then restarts and restores', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await applySettings(page, { 'memory-mode': 'local' });
  await applySettings(page, {
    'jvm-heap': '40m',
    keys: '2000000',
    distribution: 'sequential',
    rate: '200000',
    'settings-interval': '100',
    'restart-strategy': 'fixed-delay',
    'restart-attempts': '2',
    'restart-delay': '1500',
  });
  await setSpeed(page, SPEED.x1);
  await page.getByTestId('play').click();
  // OutOfMemoryError three times: the strategy restarts twice, then gives up. The job then stays as it ended.
  await until(() => summary(page), (s) => s.status === 'Failed', { what: 'the strategy to give up', timeout: 30000 });
  assert.equal(await page.getByTestId('job-status').textContent(), 'FAILED');
  assert.match(await page.getByTestId('oom').textContent(), /gave up/);
  assert.equal((await summary(page)).restarts, 2);
  // Back to the moment of the first OutOfMemoryError (the timeline goes to the very step): the task failed and
  // the strategy waits.
  await page.locator('[data-testid=timeline-mark][data-kind=oom]').first().click();
  assert.match(await page.getByTestId('job-status').textContent(), /^RESTARTING in /);
  const oom = await page.getByTestId('oom').textContent();
  // Local execution: one TaskManager, whose heap it was.
  assert.match(oom, /java\.lang\.OutOfMemoryError: Java heap space in TaskManager 0 — the task failed; the restart strategy \(fixed-delay: 2 attempts, 1500 ms apart\) restarts it in .*restoring the latest checkpoint \(\d+\)/);
  assert.match(await page.getByTestId('heap-gauge').textContent(), /of 40\.0 MiB used/);
  await artifact(page, 'out-of-memory-restarting');
  // And to the restore that follows it.
  const [, checkpoint] = oom.match(/restoring the latest checkpoint \((\d+)\)/);
  await page.locator('[data-testid=timeline-mark][data-kind=restore]').first().click();
  const log = await page.getByTestId('event-log').textContent();
  assert.match(log, new RegExp(`restarted attempt 1 .* from checkpoint ${checkpoint}`));
  assert.match(log, /failed \(attempt 0\): java\.lang\.OutOfMemoryError: Java heap space/);
  await page.getByTestId('timeline-live').click();
  assert.match(await page.getByTestId('oom').textContent(), /gave up/);
  await artifact(page, 'out-of-memory');
  assert.deepEqual(errors, []);
  await context.close();
});

test('answers how many keys fit as the process size is changed, without touching the job', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  const size = page.getByTestId('capacity-size');
  const answer = page.getByTestId('keys-fit');
  const keys = async () => Number((await answer.textContent()).match(/≈ ([\d,]+) keys/)[1].replace(/,/g, ''));
  assert.equal(await size.inputValue(), '1728m');
  assert.match(await answer.textContent(), /^How many keys fit\? ≈ [\d,]+ keys — 2 TaskManagers with 512 MiB of heap \(-Xmx\) each, 1 keyed subtask per TaskManager; key [\d,]+ fails with OutOfMemoryError in TaskManager [01]/);
  const at1728m = await keys();
  // Each key costs about 100 B of heap: a 512 MiB heap (less 32 MiB for the rest) holds a few million of them,
  // in each TaskManager (one per keyed subtask).
  const taskManagers = Number((await answer.textContent()).match(/(\d+) TaskManagers with 512 MiB/)[1]);
  assert.ok(at1728m / taskManagers > 3e6 && at1728m / taskManagers < 6e6, `${at1728m} in ${taskManagers}`);
  await size.fill('64g');
  assert.match(await answer.textContent(), / with 31\.2 GiB of heap/);
  const at64g = await keys();
  assert.ok(at64g > 50 * at1728m, `${at64g} vs ${at1728m}`);
  // Managed memory 0 gives the heap what the default 0.4 fraction reserved: 56.3 GiB instead of 31.2.
  await page.getByTestId('capacity-managed-zero').check();
  assert.match(await answer.textContent(), / with 56\.3 GiB of heap/);
  assert.ok(await keys() > 1.7 * at64g);
  await size.fill('12 parsecs');
  assert.match(await answer.getAttribute('class'), /\bbad\b/);
  assert.match(await answer.textContent(), /does not match any of the recognized units/);
  // Only a question: the job keeps its memory.
  assert.match(await page.getByTestId('memory-layout').textContent(), /process\.size = 1\.69 GiB/);
  await size.fill('4g');
  const at4g = await keys();
  assert.ok(at4g > 2 * at1728m);
  // Two slots per TaskManager: both keyed subtasks share one heap of the same size — about half the keys.
  const slots = page.getByTestId('capacity-slots');
  assert.equal(await slots.inputValue(), '1', "the job's taskmanager.numberOfTaskSlots");
  await slots.fill('2');
  await slots.press('Enter');
  await until(() => answer.textContent(), (t) => / — 1 TaskManager with .* 2 keyed subtasks per TaskManager/.test(t), { what: 'the answer for 2 slots' });
  const twoSlots = await keys();
  assert.ok(twoSlots > 0.45 * at4g && twoSlots < 0.55 * at4g, `${twoSlots} vs ${at4g}`);
  // Longer keys cost more heap each: a 30-character prefix leaves room for fewer of them.
  const prefix = page.getByTestId('capacity-prefix');
  assert.equal(await prefix.inputValue(), 'user-');
  await prefix.fill('customer-account-region-eu-');
  const longKeys = await until(keys, (k) => k < 0.9 * twoSlots, { what: `fewer keys than ${twoSlots} with the long prefix` });
  // Counts above 127 are a Long object per key (24 B more each), no longer the shared cached ones.
  await page.getByTestId('capacity-large-counts').check();
  await until(keys, (k) => k < longKeys, { what: `fewer keys than ${longKeys} with a Long per key` });
  // Still only a question: the job keeps its slots.
  assert.match(await page.getByTestId('tm-assumption').textContent(), /2 TaskManagers × 1 slot/);
  await artifact(page, 'keys-that-fit');
  assert.deepEqual(errors, []);
  await context.close();
});

test('each TaskManager has its own heap: two gauges for parallelism 2 on a cluster, one for local execution', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  const gauges = page.getByTestId('tm-gauge');
  const assumption = page.getByTestId('tm-assumption');
  // Each label's own text (its tooltip is a <title> inside it).
  const labels = () => page.getByTestId('tm-label').evaluateAll((all) => all.map((l) => l.lastChild.textContent));
  // The default job: parallelism 2 on a cluster with taskmanager.numberOfTaskSlots 1.
  assert.equal(await gauges.count(), 2);
  assert.match(await assumption.textContent(), /^Cluster: 2 TaskManagers × 1 slot \(taskmanager\.numberOfTaskSlots: 1\) for the job's 2 slots/);
  assert.match(await page.getByTestId('graph-placement').textContent(), /2 TaskManagers × 1 slot/);
  assert.deepEqual(await labels(), ['TM 0', 'TM 1', 'TM 0 · slot 0', 'TM 1 · slot 0']);
  assert.equal(await page.getByTestId('tm-label').nth(3).locator('title').textContent(), 'runs in slot 0 of TaskManager 1');
  assert.equal(await page.getByTestId('tm-band').count(), 2);
  const empty = (await summary(page)).heaps.map((h) => h.state);
  await setSpeed(page, SPEED.max);
  await page.getByTestId('play').click();
  // Both heaps fill, each with its own subtask's state (the 1,000 keys take about 50 KB in each).
  await until(() => summary(page), (s) => s.heaps.length === 2 && s.heaps.every((h, i) => h.state > empty[i] + 40000),
    { what: 'state in both heaps' });
  await page.getByTestId('play').click();
  await until(() => summary(page), (s) => !s.playing, { what: 'the pause' });
  const { heaps } = await summary(page);
  for (const h of heaps) {
    const gauge = page.locator(`[data-testid=tm-gauge][data-tm="${h.taskManager}"]`);
    assert.match(await gauge.textContent(), new RegExp(`^TaskManager ${h.taskManager} · subtask ${h.taskManager} · `));
  }
  // The fullest is highlighted.
  const fullest = heaps.reduce((a, b) => (b.used > a.used ? b : a));
  assert.equal(await page.locator('[data-testid=tm-gauge].fullest').getAttribute('data-tm'), String(fullest.taskManager));
  await artifact(page, 'task-managers-cluster');

  // Two slots per TaskManager: both subtasks in one TaskManager, one heap.
  await applySettings(page, { 'task-slots': '2' });
  assert.equal(await gauges.count(), 1);
  assert.match(await assumption.textContent(), /^Cluster: 1 TaskManager × 2 slots/);
  assert.deepEqual(await labels(), ['TM 0', 'TM 0', 'TM 0 · slot 0', 'TM 0 · slot 1']);
  assert.match(await gauges.textContent(), /^TaskManager 0 · subtasks 0–1 · /);
  // "How many keys fit?" asks about the same TaskManagers as the gauges show.
  assert.match(await page.getByTestId('keys-fit').textContent(), / — 1 TaskManager with 512 MiB of heap \(-Xmx\) each, 2 keyed subtasks per TaskManager; .* in TaskManager 0 /);

  // Local execution: one JVM, whatever the slots.
  await applySettings(page, { 'memory-mode': 'local' });
  await applySettings(page, { 'jvm-heap': '256m' });
  assert.equal(await gauges.count(), 1);
  assert.match(await assumption.textContent(), /^Local execution \(LocalStreamEnvironment, the MiniCluster an IDE run starts\): one TaskManager with 2 slots in one JVM/);
  assert.match(await page.getByTestId('graph-placement').textContent(), /local execution: 1 TaskManager, 2 slots, one JVM heap/);
  assert.match(await gauges.textContent(), /of 256 MiB used/);
  assert.match(await page.getByTestId('keys-fit').textContent(), / — local execution: 2 keyed subtasks in one JVM with 256 MiB of heap \(-Xmx\); key [\d,]+ fails/);
  assert.equal((await summary(page)).heaps.length, 1);
  await artifact(page, 'task-managers-local');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an OutOfMemoryError fails the task in the TaskManager whose heap ran out, and says which', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  // Two TaskManagers of 800m with managed memory 0: 160 MiB of heap each, 150 MiB of it taken by the rest.
  await applySettings(page, {
    'process-size': '800m',
    'managed-size': '0',
    'other-heap': '150m',
    keys: '2000000',
    distribution: 'sequential',
    rate: '200000',
    'settings-interval': '',
    'restart-strategy': 'none',
  });
  assert.equal(await page.getByTestId('tm-gauge').count(), 2);
  await setSpeed(page, SPEED.max);
  await page.getByTestId('play').click();
  await until(() => summary(page), (s) => s.status === 'Failed', { what: 'the OutOfMemoryError', timeout: 60000 });
  const alert = await page.getByTestId('oom').textContent();
  const [, tm] = alert.match(/^java\.lang\.OutOfMemoryError: Java heap space in TaskManager ([01]) — the restart strategy gave up/);
  // That TaskManager's heap went past its limit; the other one's did not.
  const { heaps } = await summary(page);
  for (const h of heaps) {
    assert.equal(h.peak > h.limit, String(h.taskManager) === tm, `TaskManager ${h.taskManager}: ${h.peak} of ${h.limit}`);
  }
  await until(() => page.getByTestId('event-log').textContent(),
    (log) => new RegExp(`OutOfMemoryError: Java heap space \\(in TaskManager ${tm}, whose heap would be`).test(log), { what: 'the failure in the event log' });
  // The timeline's mark says where too.
  assert.match(await page.locator('[data-testid=timeline-mark][data-kind=oom]').first().getAttribute('title'),
    new RegExp(`^OutOfMemoryError · TaskManager ${tm} · `));
  await artifact(page, 'task-managers-out-of-memory');
  assert.deepEqual(errors, []);
  await context.close();
});

test('changes parallelism: restoring a checkpoint at 3 moves whole key groups to 3 subtasks', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await setSpeed(page, SPEED.x1);
  await page.getByTestId('play').click();
  await until(() => numberOf(page, 'event-count'), (n) => n > 300, { what: 'events' });
  await page.getByTestId('play').click();
  await page.getByTestId('checkpoint-trigger').click();
  await page.getByTestId('play').click();
  await waitForCompletedCheckpoint(page);
  await page.getByTestId('play').click();
  await page.getByTestId('restore-parallelism').selectOption('3');
  await page.getByTestId('restore').click();
  for (const [i, start, end] of [[0, 0, 42], [1, 43, 85], [2, 86, 127]]) {
    assert.match(await page.getByTestId(`subtask-${i}-range`).textContent(), new RegExp(`startKeyGroup=${start}, endKeyGroup=${end}`));
  }
  assert.match(await page.getByTestId('job-graph').textContent(), /EventCounterProcessFunction \(3\/3\)/);
  assert.match(await page.getByTestId('event-log').textContent(), /restored by hand: attempt 1 at parallelism 3/);
  // "user-1" (key group 121) now belongs to subtask 2.
  await page.getByTestId('follow-key').fill('user-1');
  assert.equal(await page.getByTestId('trace-subtask').textContent(), '2');
  // And from the settings, a fresh job at parallelism 4.
  await applySettings(page, { parallelism: '4' });
  assert.match(await page.getByTestId('subtask-3-range').textContent(), /startKeyGroup=96, endKeyGroup=127/);
  await artifact(page, 'rescale');
  assert.deepEqual(errors, []);
  await context.close();
});

test('keyboard shortcuts, help overlay and themes', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await page.keyboard.press('?');
  await page.getByTestId('help').waitFor();
  assert.match(await page.getByTestId('help').textContent(), /Space.*play \/ pause/);
  await page.keyboard.press('Escape');
  await page.getByTestId('help').waitFor({ state: 'detached' });
  await page.keyboard.press('ArrowRight');
  assert.equal(await numberOf(page, 'event-count'), 1);
  const theme = () => page.evaluate(() => document.documentElement.getAttribute('data-theme'));
  const before = await theme();
  await page.keyboard.press('t');
  assert.notEqual(await theme(), before);
  await page.keyboard.press(' ');
  assert.match(await page.getByTestId('play').textContent(), /Pause/);
  await page.keyboard.press(' ');
  await page.keyboard.press('c');
  await page.getByTestId('checkpoint-list').locator('tr.cp-row').first().waitFor();
  await artifact(page, 'keyboard-dark');
  assert.deepEqual(errors, []);
  await context.close();
});

test('bad input gets a clear message and changes nothing', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await page.getByTestId('step').click();
  await page.getByTestId('settings-toggle').click();
  await page.getByTestId('keys').fill('lots');
  await page.getByTestId('apply-settings').click();
  assert.match(await page.getByTestId('settings-error').textContent(), /number of keys: 'lots' is not a valid number/);
  await page.getByTestId('keys').fill('1000');
  await page.getByTestId('max-parallelism').fill('1');
  await page.getByTestId('apply-settings').click();
  assert.match(await page.getByTestId('settings-error').textContent(), /max parallelism 1 is invalid/);
  await page.keyboard.press('Escape');
  assert.equal(await numberOf(page, 'event-count'), 1, 'the running job was not touched');
  await page.getByTestId('checkpoint-interval').fill('soon');
  await page.getByTestId('checkpoint-interval').press('Enter');
  assert.match(await page.getByTestId('error').textContent(), /checkpoint interval 'soon' is not a whole number/);
  await page.getByTestId('follow-key').fill('anything goes for String keys');
  assert.equal(await page.getByTestId('trace-count').textContent(), 'null');
  await artifact(page, 'bad-input');
  assert.deepEqual(errors, []);
  await context.close();
});
