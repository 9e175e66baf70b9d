// Browser tests of the teaching features in headless Chromium: the code panel stepping through
// processElement, the debugger view's object tree, every lesson walked to its end, the glossary, and every
// scenario preset run to its end and compared with its golden trace (tests/data/scenarios/, the same files
// the native tests check).
//
//   node --test tests/e2e/        (after `trunk build --release --features automation`)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { serve, launchBrowser, openApp, artifact, viewportArtifact, highlighted, until, numberOf, setSpeed, switchLanguage, SPEED } from './lib/harness.mjs';
import { assertOnScreen } from './lib/checkpoints.mjs';
import { walkLesson } from './lib/lessons.mjs';

const dist = fileURLToPath(new URL('../../dist', import.meta.url));
const goldenDir = new URL('../data/scenarios/', import.meta.url);
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
const currentLine = (page) => page.locator('[data-testid=java-source] .code-line[data-current=true]');

test('the code panel walks processElement line by line with the values of the record', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  // Before any record: open() is what ran, on every subtask.
  assert.match(await page.getByTestId('code-status').textContent(), /open\(\) ran when each subtask was deployed/);
  await page.getByTestId('send-key').fill('user-1');
  await page.getByTestId('send-key').press('Enter');
  // After a record the panel walks through its lines by itself and stops where processElement returns.
  await until(() => currentLine(page).getAttribute('data-line').catch(() => null), (l) => l === 'Return', { what: 'the walk through the record' });
  // Step into: the next record stops on its first line; each further press is one line of it. Stopped on a line,
  // the page is a debugger stopped there: every panel shows the job as the lines so far left it.
  const before = await summary(page);
  const countsBefore = await page.evaluate(() => window.statelab.counts());
  await page.getByTestId('code-step-line').click();
  assert.equal(await currentLine(page).getAttribute('data-line'), 'Enter');
  const key = (await currentLine(page).textContent()).match(/key = "([^"]+)"/)[1];
  const previous = countsBefore[key];
  const shown = async () => ({
    ...(await summary(page)),
    count: (await page.evaluate(() => window.statelab.counts()))[key],
    counter: await page.getByTestId('event-count').textContent(),
    sinkTop: await page.getByTestId('sink-output').locator('li').first().textContent().catch(() => ''),
  });
  const inside = await shown();
  assert.equal(inside.recordsProcessed, before.recordsProcessed, 'inside processElement the record is not processed yet');
  assert.equal(inside.counter, String(before.recordsProcessed), 'the event counter on the page too');
  assert.equal(inside.count, previous, 'before value(): the state as it was');
  assert.equal(inside.sinkWritten, before.sinkWritten);
  await page.waitForTimeout(800);
  assert.equal(await currentLine(page).getAttribute('data-line'), 'Enter', 'stepping by hand stops the animation');
  const lines = [];
  const states = [];
  for (let i = 0; i < 5; i++) {
    await page.getByTestId('code-step-line').click();
    const line = currentLine(page);
    lines.push([await line.getAttribute('data-line'), (await line.getByTestId('inline-value').allTextContents()).join(' | ')]);
    states.push(await shown());
  }
  assert.deepEqual(lines.map(([l]) => l), ['Value', 'Next', 'Update', 'Collect', 'Return']);
  const written = (previous ?? 0) + 1;
  // value() and the line after it: the state map does not hold the new count, the sink has nothing yet.
  for (const s of states.slice(0, 2)) {
    assert.equal(s.count, previous);
    assert.equal(s.sinkWritten, before.sinkWritten);
  }
  // update(): the state map holds it (the heap grew for a new entry); the sink still has nothing.
  assert.equal(states[2].count, written);
  assert.equal(states[2].sinkWritten, before.sinkWritten, 'out.collect has not run');
  assert.doesNotMatch(states[2].sinkTop, new RegExp(`\\(${key}, ${written}\\)`));
  if (previous === undefined) assert.ok(states[2].heapUsed > inside.heapUsed, 'a new entry is on the heap');
  // out.collect(): the sink shows the record; processElement has not returned.
  assert.equal(states[3].sinkWritten, before.sinkWritten + 1);
  assert.match(states[3].sinkTop, new RegExp(`\\(${key}, ${written}\\)`));
  assert.equal(states[3].recordsProcessed, before.recordsProcessed);
  // Returned: the record is processed.
  assert.equal(states[4].recordsProcessed, before.recordsProcessed + 1);
  assert.equal(states[4].counter, String(before.recordsProcessed + 1));
  await page.getByTestId('code-step-line').click();
  assert.equal((await summary(page)).recordsProcessed, before.recordsProcessed + 1, 'past the last line, the next record, stopped on its first line');
  assert.equal(await currentLine(page).getAttribute('data-line'), 'Enter');
  // The keyboard: i (or F7, IntelliJ's Step Into) is the same button.
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('i');
  assert.equal(await currentLine(page).getAttribute('data-line'), 'Value');
  await page.keyboard.press('F7');
  assert.equal(await currentLine(page).getAttribute('data-line'), 'Next');
  // value() showed the previous count and update() wrote that plus one.
  const [, value] = lines[0];
  const [, next] = lines[1];
  assert.equal(value.match(/current = (\d+|null)/)[1], previous === undefined ? 'null' : String(previous));
  assert.equal(Number(next.match(/next = (\d+)/)[1]), written);
  assert.match(lines[2][1], /put into (primaryTable|incrementalRehashTable)\[\d+\]/);
  assert.match(lines[3][1], new RegExp(`, ${written}\\) → to the sink`));
  await artifact(page, 'code-panel');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the debugger view shows the path to the entry of the followed key, with live values', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  for (let i = 0; i < 3; i++) {
    await page.getByTestId('send-key').fill('user-1');
    await page.getByTestId('send-key').press('Enter');
  }
  await page.getByTestId('follow-key').fill('user-1');
  // While the code panel walks through the newest record, the entry shows its count as before update();
  // once processElement returned, the count it holds now.
  await until(() => currentLine(page).getAttribute('data-line').catch(() => null), (l) => l === 'Return', { what: 'the record to be walked through' });
  const tree = page.getByTestId('debugger-view');
  // user-1: key group 121 of 128 → subtask 1 (key groups 64..127, index 57), bucket 81 (reference table); the
  // 128-bucket table opens in chunks of 100, as IDE debuggers show arrays.
  const path = 'this/runtimeContext/keyedStateStore/keyedStateBackend/keyValueStatesByName/"event-counter"/stateTable/keyGroupedStateMaps/[57]/primaryTable/[0…99]/[81]';
  const entry = tree.locator(`[data-path='${path}']`);
  await entry.waitFor();
  assert.match(await entry.textContent(), /\[81\] = \{StateMapEntry@\d+\}"user-1" → 3/);
  assert.match(await tree.locator(`[data-path='this/runtimeContext/keyedStateStore/keyedStateBackend/keyValueStatesByName/"event-counter"/stateTable/keyGroupedStateMaps/[57]']`).textContent(), /CopyOnWriteStateMap.*key group 121/);
  // The path to the followed key's entry opens by itself, down to the entry's fields as Flink declares them.
  assert.equal(await entry.getAttribute('aria-expanded'), 'true');
  const field = (name) => tree.locator(`[data-path='${path}/${name}'] [data-testid=tree-value]`).textContent();
  assert.equal(await field('key'), '"user-1"');
  assert.equal(await field('state'), '3');
  assert.equal(await field('hash'), '1131145041', 'bitMix(hashCode ^ VoidNamespace.hashCode())');
  assert.equal(await field('entryVersion'), '0');
  assert.match(await tree.locator(`[data-path='${path}/namespace']`).textContent(), /VoidNamespace/);
  // The keyed state backend knows its range and the current key.
  await tree.locator(`[data-path='this/runtimeContext/keyedStateStore/keyedStateBackend/keyContext'] button.twisty`).click();
  assert.match(await tree.textContent(), /KeyGroupRange\{startKeyGroup=64, endKeyGroup=127\}/);
  await artifact(page, 'debugger-view');
  assert.deepEqual(errors, []);
  await context.close();
});

test("the debugger view shows Flink's values: the operator's id, the key context before a key, the meta info, maps idle and used", async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  const tree = page.getByTestId('debugger-view');
  const node = (path) => tree.locator(`[data-path='${path}']`);
  const value = (path) => node(path).locator('[data-testid=tree-value]').first().textContent();
  const open = async (path) => {
    await node(path).waitFor();
    if ((await node(path).getAttribute('aria-expanded')) !== 'true') await node(path).locator('button.twisty').first().click();
    await until(() => node(path).getAttribute('aria-expanded'), (e) => e === 'true', { what: `${path} to open` });
  };
  // Subtask 0, before any record: Flink's values of fields nothing has set yet.
  await page.getByTestId('debugger-subtask').selectOption('0');
  const backend = 'this/runtimeContext/keyedStateStore/keyedStateBackend';
  for (const path of ['this', 'this/runtimeContext', 'this/runtimeContext/keyedStateStore', backend, `${backend}/keyContext`]) await open(path);
  // StreamingRuntimeContext.getOperatorUniqueID(): the keyed operator's OperatorID, murmur3_128("event-counter-op").
  assert.equal(await value('this/runtimeContext/operatorUniqueID'), '"e2a406fded32ae49fac48820117d5ae3"');
  assert.equal(await value(`${backend}/keyContext/currentKey`), 'null');
  assert.equal(await value(`${backend}/keyContext/currentKeyGroupIndex`), '0', 'a Java int starts at 0');
  const table = `${backend}/keyValueStatesByName/"event-counter"/stateTable`;
  for (const path of [`${backend}/keyValueStatesByName`, `${backend}/keyValueStatesByName/"event-counter"`, table, `${table}/metaInfo`]) await open(path);
  assert.match(await value(`${table}/metaInfo/namespaceSerializerProvider`), /^StateSerializerProvider\$EagerlyRegisteredStateSerializerProvider$/);
  assert.match(await value(`${table}/metaInfo/stateSerializerProvider`), /EagerlyRegistered/);
  assert.match(await value(`${table}/metaInfo/stateSnapshotTransformFactory`), /StateSnapshotTransformFactory\$1/);
  assert.equal(await node(`${table}/metaInfo/stateSerializer`).count(), 0, 'no field of that name');
  // An idle, empty map: the shared EMPTY_TABLE of two slots, no namespace seen yet.
  const map = `${table}/keyGroupedStateMaps/[0]`;
  for (const path of [`${table}/keyGroupedStateMaps`, map]) await open(path);
  assert.match(await node(`${map}/incrementalRehashTable`).textContent(), /StateMapEntry\[2\]/);
  assert.equal(await value(`${map}/lastNamespace`), 'null');
  // One record of a key of key group 0 (user-79: murmurHash 1379859712 % 128 = 0, `statelab keygroup`): the
  // map's first entry sets lastNamespace for good.
  await page.getByTestId('send-key').fill('user-79');
  await page.getByTestId('send-key').press('Enter');
  await until(() => value(`${map}/lastNamespace`), (v) => v === 'VoidNamespace', { what: 'lastNamespace after the first entry' });
  assert.equal(await value(`${backend}/keyContext/currentKey`), '"user-79"');
  await artifact(page, 'debugger-values');
  assert.deepEqual(errors, []);
  await context.close();
});

/** Counts the pixels of the state table's canvases drawn in the green that outlines moved key groups. */
const movedPixels = (page) => page.getByTestId('state-table').locator('canvas').evaluateAll((canvases) => canvases
  .map((c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - 0x1e) < 4 && Math.abs(data[i + 1] - 0x9e) < 4 && Math.abs(data[i + 2] - 0x5a) < 4) n++;
    }
    return n;
  }).reduce((a, b) => a + b, 0));

test('every lesson step shows its moment: paused where the text says, the part it talks about on screen below the header', async () => {
  const { page, context, errors } = await openApp(browser, server.url, { viewport: { width: 1440, height: 900 } });
  // Paused at the step's moment (the job waits there while the step is read).
  const paused = (s, what) => assert.equal(s.playing, false, `${what}: paused`);
  await walkLesson(page, 'value-state', {
    0: async (s) => assert.equal(s.recordsProcessed, 1),
    1: async () => assert.equal(await page.getByTestId('trace-count').textContent(), '3'),
    2: async () => assert.equal((await page.evaluate(() => window.statelab.counts()))['user-42'], 1),
  });
  await walkLesson(page, 'key-groups', {
    0: async () => assert.equal((await page.getByTestId('trace-key-group').textContent()).trim(), '121'),
    1: async (s, what) => { paused(s, what); assert.ok(s.recordsProcessed >= 2000); },
    2: async (s, what) => {
      paused(s, what);
      assert.equal(s.parallelism, 3);
      assert.match(await page.getByTestId('job-graph').textContent(), /EventCounterProcessFunction \(3\/3\)/);
    },
  });
  await walkLesson(page, 'state-map', {
    // Paused at the resize: both tables on screen, the rehash under way.
    1: async (s, what) => {
      paused(s, what);
      assert.ok(s.mapResizes >= 1 && s.mapsRehashing >= 1, JSON.stringify(s));
      assert.match(await page.getByTestId('keygroup-map').textContent(), /incrementalRehashTable/);
    },
    2: async (s, what) => { paused(s, what); assert.equal(s.mapsRehashing, 0); },
  });
  await walkLesson(page, 'heap', {
    0: async (s) => assert.equal(s.recordsProcessed, 0),
    // Half the heap used: no failure yet.
    1: async (s, what) => {
      paused(s, what);
      assert.ok(s.heapUsed * 2 >= s.heapLimit && s.lastFailure === null, JSON.stringify(s));
    },
    // The first OutOfMemoryError: the restart strategy waits; the lesson has not run into FAILED.
    2: async (s, what) => {
      paused(s, what);
      assert.deepEqual([s.lastFailure, s.status, s.restarts], ['OutOfMemoryError', 'Restarting', 0]);
      assert.match(await page.getByTestId('job-status').textContent(), /^RESTARTING/);
    },
    // Right after the restore.
    3: async (s, what) => {
      paused(s, what);
      assert.deepEqual([s.status, s.restarts], ['Running', 1]);
      assert.ok(s.heapUsed * 2 < s.heapLimit);
    },
    4: async (s) => assert.equal(s.heapLimit, 384 * 1024 * 1024),
  });
  await walkLesson(page, 'checkpoints', {
    // The barriers on the wire.
    0: async (s, what) => { paused(s, what); assert.ok(s.barriersInFlight >= 1 && s.checkpointsCompleted === 0, JSON.stringify(s)); },
    // Alignment: a channel blocked, its padlock in the job graph.
    1: async (s, what) => {
      paused(s, what);
      assert.ok(s.blockedChannels >= 1, JSON.stringify(s));
      assert.ok(await page.getByTestId('job-graph').locator('g.lock').count() >= 1, 'a padlock on screen');
    },
    // The asynchronous phase right after a copy on write: copies counted, not yet completed.
    2: async (s, what) => {
      paused(s, what);
      assert.ok(s.asyncPhases >= 1 && s.asyncCopies >= 1 && s.checkpointsCompleted === 0, JSON.stringify(s));
      assert.ok(Number(await page.getByTestId('map-copies').textContent()) >= 1, 'the key-group map counts the copy');
    },
    3: async (s, what) => {
      paused(s, what);
      assert.equal(s.checkpointsCompleted, 1);
      assert.match(await page.getByTestId('checkpoint-list').textContent(), /COMPLETED/);
    },
    4: async (s, what) => { paused(s, what); assert.equal(s.lastFailure, 'CheckpointFailures'); },
  });
  await walkLesson(page, 'recovery', {
    // Paused right after the restore: nothing replayed yet.
    0: async (s) => assert.deepEqual([s.playing, s.restarts, s.sinkDuplicates], [false, 1, 0]),
    // Paused when the replay is done: the records between the checkpoint and the failure reached the sink
    // twice (read from the sink's total, which only grows, not from its list of recent records).
    1: async (s) => {
      assert.equal(s.playing, false);
      assert.ok(s.sinkDuplicates > 1000, `${s.sinkDuplicates} duplicates`);
    },
    // The at-least-once run, paused right after its restore too.
    2: async (s) => assert.deepEqual([s.playing, s.restarts, s.sinkDuplicates], [false, 1, 0]),
  });
  // Paused right after the scripted rescale, the key groups it moved outlined in green while the steps are read.
  const moved = async (s, what) => {
    paused(s, what);
    assert.equal(s.parallelism, 3);
    assert.equal(s.movedKeyGroups.length, 63, 'the key groups that changed subtask from 2 to 3');
    assert.ok(await movedPixels(page) > 0, `${what}: moved key groups outlined`);
  };
  await walkLesson(page, 'rescale', {
    0: async (s, what) => {
      await moved(s, what);
      assert.match(await page.getByTestId('state-table').textContent(), /startKeyGroup=86, endKeyGroup=127/);
    },
    1: moved,
    2: moved,
  });
  // Issue 13's lessons: the followed key's state as Java prints it, on screen in the key trace.
  const traces = (re) => (s, what) => until(() => page.getByTestId('trace-count').textContent(), (t) => re.test(t),
    { what: `${what}: the key trace shows ${re}` });
  const java = async (re) => assert.match(await page.getByTestId('code-panel').textContent(), re);
  const copied = async (s, what) => {
    paused(s, what);
    assert.ok(s.asyncCopies >= 1 && s.checkpointsCompleted === 0, JSON.stringify(s));
    assert.ok(Number(await page.getByTestId('map-copies').textContent()) >= 1, 'the key-group map counts the copy');
  };
  await walkLesson(page, 'state-primitives', {
    0: async (s, what) => { await traces(/^\[\d+, \d+, \d+\]$/)(s, what); await java(/ListState<Long>/); },
    1: async (s, what) => { await traces(/^\{\w+=\d+(, \w+=\d+)*\}$/)(s, what); await java(/MapState<String, Long>/); },
    2: async (s, what) => { await traces(/^\d+$/)(s, what); await java(/ReducingState<Long>/); },
    3: async (s, what) => { await traces(/^\(\d+,2\)$/)(s, what); await java(/AggregatingState<Long, Double>/); },
  });
  await walkLesson(page, 'map-state', {
    0: traces(/^\{\w+=\d+(, \w+=\d+)*\}$/),
    // user-1's key group open: its entry's state is the HashMap.
    1: () => until(() => page.getByTestId('chains').locator('.entry.followed .entry-state').textContent().catch(() => ''),
      (t) => /^state = \{/.test(t), { what: 'the entry card of user-1' }),
    2: copied,
    3: async (s, what) => { await traces(/^\{\w+=\d+(, \w+=\d+)*\}$/)(s, what); await java(/ValueState<HashMap<String, Long>>/); },
  });
  await walkLesson(page, 'state-ttl', {
    0: traces(/^TtlValue\{userValue=2, lastAccessTimestamp=\d+\}$/),
    // Expired, still stored.
    1: async (s, what) => { paused(s, what); await traces(/^TtlValue\{userValue=2, /)(s, what); },
    2: traces(/^TtlValue\{userValue=1, /),
    3: async (s, what) => {
      paused(s, what);
      assert.equal((await page.evaluate(() => window.statelab.states()))['user-777'], undefined, 'cleaned up');
    },
    4: async (s, what) => {
      paused(s, what);
      assert.equal(s.checkpointsCompleted, 1);
      assert.match(await page.getByTestId('checkpoint-list').textContent(), /COMPLETED/);
    },
  });
  await walkLesson(page, 'timers', {
    0: traces(/^\(1,\d+\)$/),
    // Paused at the first session onTimer emitted.
    1: async (s, what) => {
      paused(s, what);
      assert.equal(s.sinkWritten, 1);
      assert.ok(await page.getByTestId('sink-output').locator('li').count() >= 1, 'the session in the sink output');
      // The code panel stands on onTimer, the call that closed the session, with the timer's key and time and
      // what it did, on screen.
      const current = page.getByTestId('code-panel').locator('[data-current=true]');
      assert.equal(await current.getAttribute('data-on-timer'), 'true', `${what}: onTimer is the current call`);
      assert.match(await current.textContent(),
        /public void onTimer\(.*key = "user-\d+", timestamp = \d+.*the session closed: out\.collect\(\(user-\d+, 1\)\)/s);
      assert.equal(await page.getByTestId('code-panel').locator('.code-line.current').count(), 8,
        `${what}: onTimer's lines lit, signature to closing brace`);
      const box = await current.boundingBox();
      const height = await page.evaluate(() => window.innerHeight);
      assert.ok(box && box.y >= 0 && box.y + box.height <= height, `${what}: onTimer in view (${JSON.stringify(box)})`);
    },
    2: async (s, what) => {
      paused(s, what);
      assert.equal(s.parallelism, 3);
      assert.match(await page.getByTestId('job-graph').textContent(), /SessionProcessFunction \(3\/3\)/);
    },
  });
  await walkLesson(page, 'object-reuse', {
    0: async (s, what) => {
      await traces(/^KeyStats\{count=\d+, sum=\d+\}$/)(s, what);
      await java(/ValueState<KeyStats>/);
      await java(/s\.sum \+= event\.amount;/);
      // Stopped by the lesson inside the second record, on the line after update(): that line is the current
      // one, on screen, with the state's sum already grown and why.
      paused(s, what);
      const current = page.getByTestId('code-panel').locator('[data-current=true]');
      assert.equal(await current.getAttribute('data-line'), 'AfterUpdate', `${what}: the line after update()`);
      assert.match(await current.textContent(),
        /s\.sum \+= event\.amount;.*state = KeyStats\{count=\d+, sum=\d+\}.*update\(\) stored this very object/s);
      const box = await current.boundingBox();
      const height = await page.evaluate(() => window.innerHeight);
      assert.ok(box && box.y >= 0 && box.y + box.height <= height, `${what}: the line in view (${JSON.stringify(box)})`);
    },
    1: copied,
  });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the lessons on the state primitives walked in Chinese: every step in Chinese, Flink\'s names as Flink spells them', async () => {
  const { page, context, errors } = await openApp(browser, server.url, { viewport: { width: 1440, height: 900 } });
  await switchLanguage(page, 'zh-CN');
  const cjk = /[\u4e00-\u9fff]/;
  const everyStep = async (_, what) => {
    const text = await page.getByTestId('lesson-text').textContent();
    assert.match(text, cjk, `${what}: the step's text in Chinese`);
    assert.match(await page.getByTestId('lesson').locator('h3, h2').first().textContent(), cjk, `${what}: the title`);
    const tryIt = page.getByTestId('lesson-try');
    if (await tryIt.count()) assert.match(await tryIt.textContent(), cjk, `${what}: "try it" in Chinese`);
  };
  for (const id of ['state-primitives', 'map-state', 'state-ttl', 'timers', 'object-reuse']) {
    await walkLesson(page, id, {}, { name: `lesson-${id}-zh`, everyStep });
  }
  // The code panel's words follow the language; the Java stays Java.
  assert.match(await page.getByTestId('code-panel').locator('.panel-head .hint').textContent(), /KeyStatsProcessFunction —— 当前记录正在执行的行/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a first visit starts here: lesson 1 opens, and the pointer never shows again', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  const start = page.getByTestId('start-here');
  assert.match(await start.textContent(), /Lesson 1 shows in four steps where HeapValueState keeps the count of each key/);
  await viewportArtifact(page, 'start-here');
  await page.getByTestId('start-here-open').click();
  await until(() => page.getByTestId('lesson').getAttribute('data-lesson').catch(() => null), (l) => l === 'value-state', { what: 'lesson 1' });
  assert.equal(await page.getByTestId('lesson').getAttribute('data-step'), '0');
  assert.equal(await start.count(), 0, 'gone once the lesson is open');
  assert.equal(await page.evaluate(() => localStorage.getItem('statelab.start-seen')), '1');
  // Not after a reload, nor in another tab of the same browser: seen once is enough.
  await page.reload();
  await page.getByTestId('play').waitFor();
  assert.equal(await page.getByTestId('start-here').count(), 0);
  const other = await context.newPage();
  await other.goto(server.url);
  await other.getByTestId('play').waitFor();
  assert.equal(await other.getByTestId('start-here').count(), 0);
  // Dismissed rather than followed, it is gone too, and the page is as it was.
  const fresh = await openApp(browser, server.url);
  await fresh.page.getByTestId('start-here').getByRole('button', { name: 'dismiss' }).click();
  assert.equal(await fresh.page.getByTestId('start-here').count(), 0);
  assert.equal(await fresh.page.getByTestId('lessons-panel').count(), 0);
  assert.deepEqual([...errors, ...fresh.errors], []);
  await fresh.context.close();
  await context.close();
});

test('the debugger view answers where HeapValueState keeps its data, and a breadcrumb of the path reveals each node', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  assert.match(await page.getByTestId('state-answer').textContent(),
    /^Where does HeapValueState keep its data\? Not in itself: each key's count is a StateMapEntry in the CopyOnWriteStateMap of the key's key group, inside the StateTable/);
  for (let i = 0; i < 3; i++) {
    await page.getByTestId('send-key').fill('user-1');
    await page.getByTestId('send-key').press('Enter');
  }
  await page.getByTestId('follow-key').fill('user-1');
  await until(() => currentLine(page).getAttribute('data-line').catch(() => null), (l) => l === 'Return', { what: 'the record to be walked through' });
  // user-1: key group 121, index 57 of subtask 1's maps, bucket 81 of the primary table.
  const maps = 'this/runtimeContext/keyedStateStore/keyedStateBackend/keyValueStatesByName/"event-counter"/stateTable/keyGroupedStateMaps/[57]';
  const crumbs = page.getByTestId('crumb');
  assert.deepEqual(await crumbs.allTextContents(), ['counter', 'stateTable', "key group 121's CopyOnWriteStateMap", 'primaryTable[81]', 'entry']);
  assert.deepEqual(await crumbs.evaluateAll((all) => all.map((c) => c.dataset.target)), [
    'this/runtimeContext/keyedStateStore/keyedStateBackend/keyValueStatesByName/"event-counter"',
    'this/runtimeContext/keyedStateStore/keyedStateBackend/keyValueStatesByName/"event-counter"/stateTable',
    maps, `${maps}/primaryTable/[0…99]/[81]`, `${maps}/primaryTable/[0…99]/[81]`,
  ]);
  const tree = page.getByTestId('debugger-view').locator('.object-tree');
  /** Whether the row of `path` shows inside the tree's scroll area. */
  const rowShown = (path) => tree.evaluate((t, p) => {
    const row = t.querySelector(`[data-path='${p}']`);
    if (!row) return false;
    const [a, b] = [t.getBoundingClientRect(), row.getBoundingClientRect()];
    return b.top >= a.top - 1 && b.bottom <= a.bottom + 1;
  }, path);
  // The tree stands at the entry, deep in the 128-slot table: the path down to it is out of its view, the
  // breadcrumb above the tree is not.
  assert.equal(await rowShown(`${maps}/primaryTable/[0…99]/[81]`), true);
  assert.equal(await rowShown(`${maps.replace('/keyGroupedStateMaps/[57]', '')}`), false);
  for (const [i, path] of [[1, `${maps.replace('/keyGroupedStateMaps/[57]', '')}`], [2, maps], [0, 'this/runtimeContext/keyedStateStore/keyedStateBackend/keyValueStatesByName/"event-counter"'], [3, `${maps}/primaryTable/[0…99]/[81]`]]) {
    await crumbs.nth(i).click();
    await until(() => rowShown(path), (shown) => shown, { what: `crumb ${i + 1} revealing ${path}` });
    assert.match(await tree.locator('.node.revealed').getAttribute('data-path'), new RegExp(`^${path.replace(/[[\]…"/.]/g, (c) => `\\${c}`)}$`));
  }
  await viewportArtifact(page, 'debugger-breadcrumb');
  // In Chinese: the answer, and the breadcrumb's words.
  await switchLanguage(page, 'zh-CN');
  assert.match(await page.getByTestId('state-answer').textContent(), /^HeapValueState 把数据存在哪里？/);
  assert.deepEqual(await crumbs.allTextContents(), ['counter', 'stateTable', '键组 121 的 CopyOnWriteStateMap', 'primaryTable[81]', '条目']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('with the defaults, Play shows a periodic checkpoint and a map resize within a minute', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  assert.equal((await page.locator('.speed-value').textContent()).trim(), '×0.1');
  await page.getByTestId('play').click();
  const s = await until(() => summary(page), (x) => x.checkpointsCompleted >= 1 && x.mapResizes >= 1,
    { what: 'a checkpoint and a resize', timeout: 120000, every: 500 });
  await page.getByTestId('play').click();
  // A minute of wall time at ×0.1 is 6 s of the job's time.
  assert.ok(s.simulatedNs <= 6e9, `after ${s.simulatedNs / 1e9} s of simulated time`);
  assert.ok(await page.locator('[data-testid=timeline-mark][data-kind=checkpoint]').count() >= 1, 'a checkpoint on the timeline');
  assert.match(await page.getByTestId('event-log').textContent(), /CopyOnWriteStateMap resize 128 → 256 buckets started/);
  await viewportArtifact(page, 'defaults-first-minute');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a lesson opens from a link, and a glossary term leads to its lesson', async () => {
  const { page, context, errors } = await openApp(browser, `${server.url}#lesson=heap`);
  await until(() => page.getByTestId('lesson').getAttribute('data-lesson').catch(() => null), (l) => l === 'heap', { what: 'the linked lesson' });
  const term = page.getByTestId('lesson-text').getByTestId('term').first();
  await term.hover();
  const tip = term.locator('.term-tip');
  await tip.waitFor();
  assert.match(await tip.textContent(), /—/);
  await page.getByTestId('tab-glossary').click();
  assert.ok(await page.getByTestId('glossary').locator('dt').count() >= 20);
  await page.getByTestId('glossary').getByRole('button').first().click();
  assert.ok(await page.locator('.lesson-card.suggested').count() === 1);
  await artifact(page, 'glossary');
  assert.deepEqual(errors, []);
  await context.close();
});

for (const id of ['hot-key', 'oom', 'failure-recovery', 'at-least-once', 'rescale-2-to-3', 'checkpoint-timeout']) {
  test(`scenario ${id} opens from its link and ends exactly as its golden trace says`, async () => {
    const golden = await readFile(new URL(`${id}.trace`, goldenDir), 'utf8');
    const { page, context, errors } = await openApp(browser, `${server.url}#scenario=${id}`);
    await until(() => page.getByTestId('scenario-notice').textContent().catch(() => ''), (t) => t.length > 0, { what: 'the scenario to load' });
    await setSpeed(page, SPEED.max);
    await page.getByTestId('play').click();
    await until(() => page.getByTestId('job-status').textContent(), (t) => t === 'FINISHED' || t === 'FAILED',
      { what: `scenario ${id} to end`, timeout: 120000, every: 250 });
    const trace = await page.evaluate(() => window.statelab.trace());
    assert.equal(trace, golden);
    // Its retained checkpoints are kept in the browser as they complete, the newest among them, and none was
    // refused (the rescale preset's, of a scripted job, once were).
    const retained = [...trace.match(/^retained: (.*)$/m)[1].matchAll(/#(\d+)/g)].map((m) => m[1]);
    assert.ok(retained.length > 0, 'every preset ends with a retained checkpoint');
    await until(() => page.getByTestId('stored-checkpoint').evaluateAll((rows) => rows.map((r) => r.dataset.checkpointId)),
      (ids) => ids.includes(retained.at(-1)), { what: `checkpoint ${retained.at(-1)} stored`, timeout: 30000 });
    assert.equal(await page.getByTestId('storage-error').count(), 0);
    assert.equal(await page.getByTestId('error').count(), 0);
    // A job that ended plays no more: the button offers Play, not Pause.
    assert.match(await page.getByTestId('play').textContent(), /Play/);
    await artifact(page, `scenario-${id}`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('dragging the timeline thumb with the mouse from the newest moment lands where it is dropped', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await setSpeed(page, SPEED.max);
  await page.getByTestId('play').click();
  await until(() => summary(page), (s) => s.recordsProcessed > 20000, { what: '20,000 events' });
  await page.getByTestId('play').click();
  await until(() => summary(page), (s) => !s.playing, { what: 'the pause' });
  const scrub = page.getByTestId('timeline-scrub');
  const box = await scrub.boundingBox();
  const [min, max] = (await scrub.evaluate((e) => [Number(e.min), Number(e.max)]));
  assert.equal(Number(await scrub.inputValue()), max, 'at the newest moment');
  // Grab the thumb at the right end and drag it, in small moves as a hand does, to 40 % of the track.
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width - 5, y);
  await page.mouse.down();
  const target = box.x + box.width * 0.4;
  for (let i = 1; i <= 20; i++) await page.mouse.move(box.x + box.width - 5 - ((box.x + box.width - 5 - target) * i) / 20, y);
  const during = await scrub.boundingBox();
  await page.mouse.up();
  const after = await scrub.boundingBox();
  assert.equal(during.width, box.width, 'entering the past does not narrow the track under the pointer');
  assert.equal(after.width, box.width);
  const value = Number(await scrub.inputValue());
  const fraction = (value - min) / (max - min);
  assert.ok(Math.abs(fraction - 0.4) < 0.03, `dropped at 40 % of the track, landed at ${(fraction * 100).toFixed(1)} %`);
  assert.equal((await summary(page)).inThePast, true);
  await page.getByTestId('timeline-past').waitFor();
  await artifact(page, 'timeline-drag');
  assert.deepEqual(errors, []);
  await context.close();
});

test('time travel: step back and forth through records, jump to a restore, fork the run by acting in the past, undo the fork', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  const counts = () => page.evaluate(() => window.statelab.counts());
  // Forward one record at a time, noting the state after each.
  const seen = [];
  for (let i = 0; i < 12; i++) {
    await page.getByTestId('timeline-forward').click();
    seen.push({ summary: await summary(page), counts: await counts() });
  }
  assert.equal(seen.at(-1).summary.recordsProcessed, 12);
  // Back one record at a time: each earlier state exactly as it was.
  for (let i = seen.length - 2; i >= 0; i--) {
    await page.getByTestId('timeline-back').click();
    const s = await summary(page);
    assert.equal(s.recordsProcessed, seen[i].summary.recordsProcessed);
    assert.deepEqual(await counts(), seen[i].counts, `the counts after record ${i + 1}`);
    assert.equal(s.inThePast, true);
  }
  assert.equal(await page.getByTestId('event-count').textContent(), '1');
  assert.match(await page.getByTestId('timeline-position').textContent(), /event 1 of 12/);
  // Forward again replays the recorded run.
  for (let i = 1; i < 6; i++) {
    await page.getByTestId('timeline-forward').click();
    assert.deepEqual(await counts(), seen[i].counts);
  }
  await page.getByTestId('timeline-live').click();
  assert.deepEqual(await counts(), seen.at(-1).counts);
  assert.equal((await summary(page)).inThePast, false);

  // A failure and a restore from a checkpoint: the restore's mark leads to exactly the checkpointed counts.
  // Periodic checkpoints off, so that the one triggered here is the one restored and retained.
  await page.getByTestId('checkpoint-interval').fill('');
  await page.getByTestId('checkpoint-interval').press('Enter');
  await setSpeed(page, SPEED.x1);
  await page.getByTestId('play').click();
  await until(() => summary(page), (s) => s.recordsProcessed > 400, { what: '400 events' });
  await page.getByTestId('checkpoint-trigger').click();
  await until(() => summary(page), (s) => s.checkpointsCompleted >= 1, { what: 'a checkpoint' });
  await until(() => summary(page), (s) => s.recordsProcessed > 700, { what: '700 events' });
  await page.getByTestId('fail').click();
  await until(() => summary(page), (s) => s.restarts >= 1 && s.status === 'Running', { what: 'the restart', timeout: 30000 });
  await page.getByTestId('play').click();
  const held = await page.evaluate(() => window.statelab.checkpointCounts());
  const head = await summary(page);
  const headCounts = await counts();
  const restore = page.locator('[data-testid=timeline-mark][data-kind=restore]').last();
  await restore.click();
  assert.deepEqual(await counts(), held, 'right after the restore the state is the checkpoint');
  assert.ok((await summary(page)).recordsProcessed < head.recordsProcessed);
  await artifact(page, 'time-travel');

  // Acting in the past forks: the recorded future is gone, the run goes on from here.
  const before = await summary(page);
  await page.getByTestId('send-key').fill('fork-key');
  await page.getByTestId('send-key').press('Enter');
  const after = await summary(page);
  assert.equal(after.inThePast, false);
  assert.ok(after.headRecords < head.headRecords, `the old future (${head.headRecords} records) was discarded: ${after.headRecords}`);
  assert.ok(after.recordsProcessed > before.recordsProcessed);
  assert.equal((await counts())['fork-key'], 1);

  // A notice, in view, says what was discarded and offers to undo it.
  const notice = page.getByTestId('fork-notice');
  await assertOnScreen(notice, 'the fork notice');
  const discarded = (head.headRecords - before.recordsProcessed).toLocaleString('en-US');
  assert.match(await notice.textContent(), new RegExp(`^You changed the past: ${discarded} later events were discarded\\.Undo×$`));
  await viewportArtifact(page, 'time-travel-fork-notice');
  // Undo: the run as it was before the key, at the moment the key was sent.
  await page.getByTestId('fork-undo').click();
  const undone = await summary(page);
  assert.equal(undone.headRecords, head.headRecords, 'the discarded future is back');
  assert.equal(undone.recordsProcessed, before.recordsProcessed, 'at the moment the key was sent');
  assert.equal(undone.inThePast, true);
  assert.deepEqual(await counts(), held, 'the state of that moment, without the key');
  assert.equal(await notice.count(), 0, 'one level of undo');
  await page.getByTestId('timeline-live').click();
  assert.deepEqual(await counts(), headCounts, 'the brought-back future replays to the state it had');
  // Acting in the past again, and keeping the new future: the notice goes, the old future stays discarded.
  await restore.click();
  await page.getByTestId('send-key').fill('fork-key');
  await page.getByTestId('send-key').press('Enter');
  await notice.waitFor();
  await switchLanguage(page, 'zh-CN');
  assert.match(await notice.textContent(), new RegExp(`^你改变了过去：之后的 ${discarded} 个事件已被丢弃。撤销×$`));
  await page.getByTestId('lang-en').click();
  await page.getByTestId('fork-keep').click();
  assert.equal(await notice.count(), 0);
  assert.ok((await summary(page)).headRecords < head.headRecords);
  assert.equal((await counts())['fork-key'], 1);
  assert.deepEqual(errors, []);
  await context.close();
});
