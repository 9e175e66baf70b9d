// Browser tests of the teaching features in headless Chromium: the code panel stepping through
// processElement, the debugger view's object tree, every lesson walked to its end, the glossary, and every
// scenario preset run to its end and compared with its golden trace (tests/data/scenarios/, the same files
// the native tests check).
//
//   node --test tests/e2e/        (after `trunk build --release`)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { serve, launchBrowser, openApp, artifact, until, numberOf, setSpeed, SPEED } from './lib/harness.mjs';

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
  // Step into: the next record (user-1 was the newest) stops on its first line; each press is one line.
  await page.getByTestId('send-key').fill('user-1');
  await page.getByTestId('send-key').press('Enter');
  await page.getByTestId('code-step-line').click();
  const before = (await summary(page)).recordsProcessed;
  await page.getByTestId('code-step-line').click();
  assert.equal((await summary(page)).recordsProcessed, before, 'stepping into a record does not process another one');
  const lines = [];
  for (let i = 0; i < 5; i++) {
    const line = currentLine(page);
    lines.push([await line.getAttribute('data-line'), (await line.getByTestId('inline-value').allTextContents()).join(' | ')]);
    await page.getByTestId('code-step-line').click();
  }
  assert.deepEqual(lines.map(([l]) => l), ['Value', 'Next', 'Update', 'Collect', 'Return']);
  // The record processed by the first step-into was the next one of the source or a key by hand; whichever
  // it was, value() showed its previous count and update() wrote that plus one.
  const [, value] = lines[0];
  const [, next] = lines[1];
  const previous = value.match(/current = (\d+|null)/)[1];
  const written = Number(next.match(/next = (\d+)/)[1]);
  assert.equal(written, previous === 'null' ? 1 : Number(previous) + 1);
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
  const tree = page.getByTestId('debugger-view');
  // user-1: key group 121 of 128 → subtask 1 (key groups 64..127, index 57), bucket 81 (reference table).
  const path = 'this/runtimeContext/keyedStateStore/keyedStateBackend/keyValueStatesByName/"event-counter"/stateTable/keyGroupedStateMaps/[57]/primaryTable/[81]';
  const entry = tree.locator(`[data-path='${path}']`);
  await entry.waitFor();
  assert.match(await entry.textContent(), /\[81\] = \{StateMapEntry@\d+\}"user-1" → 3/);
  assert.match(await tree.locator(`[data-path='this/runtimeContext/keyedStateStore/keyedStateBackend/keyValueStatesByName/"event-counter"/stateTable/keyGroupedStateMaps/[57]']`).textContent(), /CopyOnWriteStateMap.*key group 121/);
  // Open the entry: its fields as Flink declares them.
  await entry.locator('button.twisty').click();
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

/** Walks one lesson: "try it" where there is one, waits for each step's condition, then "next". */
async function walkLesson(page, id, checks = {}) {
  if (!(await page.getByTestId('lessons-panel').isVisible().catch(() => false))) await page.getByTestId('lessons-toggle').click();
  await page.getByTestId('tab-lessons').click();
  if (await page.getByTestId('lesson-list').isVisible().catch(() => false)) await page.getByTestId('lesson-list').click();
  await page.getByTestId(`lesson-${id}`).getByTestId('lesson-start').click();
  const lesson = page.getByTestId('lesson');
  await until(() => lesson.getAttribute('data-lesson'), (l) => l === id, { what: `lesson ${id}` });
  const steps = await lesson.locator('.lesson-progress .dot').count();
  assert.ok(steps >= 3, `lesson ${id} has a few steps`);
  for (let step = 0; step < steps; step++) {
    assert.equal(await lesson.getAttribute('data-step'), String(step));
    assert.ok((await page.getByTestId('lesson-text').textContent()).length > 40);
    const highlighted = await page.locator('.lesson-highlight').count();
    assert.ok(highlighted > 0, `lesson ${id} step ${step + 1} highlights part of the page`);
    if (await page.getByTestId('lesson-try').count()) await page.getByTestId('lesson-try').click();
    if ((await lesson.getAttribute('data-check')) === 'true') {
      await until(() => page.getByTestId('lesson-status').getAttribute('data-done').catch(() => null), (d) => d === 'true',
        { what: `lesson ${id} step ${step + 1} to be done`, timeout: 90000, every: 250 });
    }
    if (checks[step]) await checks[step]();
    await page.getByTestId('lesson-next').click();
  }
}

test('every lesson can be followed to its end, the simulation reacting to each step', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await walkLesson(page, 'value-state', {
    1: async () => assert.equal(await page.getByTestId('trace-count').textContent(), '3'),
  });
  await walkLesson(page, 'key-groups', {
    0: async () => assert.equal((await page.getByTestId('trace-key-group').textContent()).trim(), '121'),
    2: async () => assert.match(await page.getByTestId('job-graph').textContent(), /EventCounterProcessFunction \(3\/3\)/),
  });
  await walkLesson(page, 'state-map', {
    1: async () => assert.match(await page.getByTestId('keygroup-map').textContent(), /incrementalRehashTable/),
  });
  await walkLesson(page, 'heap', {
    2: async () => assert.match(await page.getByTestId('event-log').textContent(), /OutOfMemoryError/),
  });
  await walkLesson(page, 'checkpoints', {
    2: async () => assert.match(await page.getByTestId('checkpoint-list').textContent(), /COMPLETED/),
  });
  await walkLesson(page, 'recovery', {
    1: async () => assert.ok(await page.getByTestId('sink-output').locator('li.duplicate').count() > 0),
  });
  await walkLesson(page, 'rescale', {
    0: async () => assert.match(await page.getByTestId('state-table').textContent(), /startKeyGroup=86, endKeyGroup=127/),
  });
  await artifact(page, 'lesson-rescale');
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

for (const id of ['hot-key', 'oom', 'failure-recovery', 'at-least-once', 'rescale-2-to-3']) {
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
    await artifact(page, `scenario-${id}`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
