// Browser tests of the job presets (issue 13): each KeyedProcessFunction picked in the settings, its Java in the
// code panel, "Step into" walking exactly the lines of its processElement, the values beside them read off the
// job stopped on that line — the state as each line left it, the object value() handed out changed before
// update() on the heap backend, a session's timer — and the key trace and the bucket view showing the state the
// job holds, as Java prints it. In English and Chinese; screenshots kept in tests/e2e/artifacts/.
//
//   node --test tests/e2e/presets.test.mjs   (after `trunk build --release --features automation`)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { serve, launchBrowser, openApp, applySettings, until, switchLanguage, setSpeed, SPEED } from './lib/harness.mjs';
import { assertOnScreen, playUntil, viewportShot } from './lib/checkpoints.mjs';

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

const ALL = ['Enter', 'Value', 'Next', 'Update', 'Collect', 'Return'];
const WRITE_FIRST = ['Enter', 'Update', 'Collect', 'Return'];
/**
 * Each preset: its class, the lines of processElement a debugger stops on, in order, its state field, the class
 * of its state and the object each key's state is.
 */
const PRESETS = {
  counter: ['EventCounterProcessFunction', ALL, 'counter', 'HeapValueState', null],
  'event-log': ['EventLogProcessFunction', WRITE_FIRST, 'eventLog', 'HeapListState', 'ArrayList'],
  'event-log-in-value': ['EventLogInValueProcessFunction', ALL, 'eventLog', 'HeapValueState', 'ArrayList'],
  'category-counts': ['CategoryCountProcessFunction', ALL, 'counts', 'HeapMapState', 'HashMap'],
  'category-counts-in-value': ['CategoryCountInValueProcessFunction', ALL, 'counts', 'HeapValueState', 'HashMap'],
  'running-sum': ['RunningSumProcessFunction', WRITE_FIRST, 'sum', 'HeapReducingState', 'Long'],
  average: ['AverageProcessFunction', WRITE_FIRST, 'average', 'HeapAggregatingState', 'Tuple2'],
  'idle-counter': ['IdleKeyCounterProcessFunction', ALL, 'counter', 'TtlValueState', 'TtlValue'],
  session: ['SessionProcessFunction', ALL, 'session', 'HeapValueState', 'Tuple2'],
  'key-stats': ['KeyStatsProcessFunction', ['Enter', 'Value', 'Next', 'Update', 'AfterUpdate', 'Collect', 'Return'],
    'stats', 'HeapValueState', 'KeyStats'],
};

const currentLine = (page) => page.locator('[data-testid=java-source] .code-line[data-current=true]');
const states = (page) => page.evaluate(() => window.statelab.states());
/** The values beside the current line, joined. */
const values = async (page) => (await currentLine(page).getByTestId('inline-value').allTextContents()).join(' | ');
/** `name = value` beside the current line (the value up to the next ` | `). */
const shownAs = (text, name) => text.match(new RegExp(`(?:^|\\| )${name} = (.*?)(?: \\||$)`))?.[1];

/** Whether `shown` is `full`, or `full` abbreviated around ` … ` (its beginning and its end kept). */
function abbreviates(shown, full) {
  if (shown === full) return true;
  const [head, tail] = shown.split(' … ');
  return tail !== undefined && full.startsWith(head) && full.endsWith(tail) && shown.length < full.length;
}

/** Steps into the next record and through it; returns each line with its values and the state shown there. */
async function walkRecord(page) {
  // Paused, the panel first walks through the newest record by itself, to its return.
  await until(() => currentLine(page).getAttribute('data-line').catch(() => null), (l) => l === 'Return',
    { what: 'the walk through the newest record' });
  await page.getByTestId('code-step-line').click();
  const steps = [];
  for (;;) {
    const line = await currentLine(page).getAttribute('data-line');
    const text = await values(page);
    const key = steps[0]?.key ?? text.match(/key = "([^"]+)"/)[1];
    steps.push({ line, text, key, state: (await states(page))[key] ?? 'null' });
    if (line === 'Return') return steps;
    await page.getByTestId('code-step-line').click();
  }
}

test('every preset runs in the page: its Java, its lines, the state as each line leaves it', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  for (const [id, [className, lines, field, stateClass, object]] of Object.entries(PRESETS)) {
    await applySettings(page, { function: id, keys: '12' });
    await until(() => page.getByTestId('java-source').getAttribute('aria-label'), (l) => l === `${className}.java`,
      { what: `${className} in the code panel` });
    assert.match(await page.getByTestId('code-panel').locator('.panel-head .hint').textContent(), new RegExp(className));
    // Some history first, so that most keys have state to read.
    await playUntil(page, 200);
    // Back to a speed that shows single records, and one record by hand for the panel to walk through.
    await setSpeed(page, SPEED.x0_1);
    await page.getByTestId('send-key').fill('user-1');
    await page.getByTestId('send-key').press('Enter');
    const steps = await walkRecord(page);
    assert.deepEqual(steps.map((s) => s.line), lines, `${id}: Step into stops on each line of processElement once`);
    const at = (line) => steps.find((s) => s.line === line);
    await currentLine(page).scrollIntoViewIfNeeded();
    await assertOnScreen(currentLine(page), `${id}: the current line`);
    const before = at('Enter').state;
    const after = at('Return').state;

    // The line that writes shows the state as the job now holds it; the lines before it, the state before.
    if (id !== 'counter') {
      assert.ok(abbreviates(shownAs(at('Update').text, 'state'), at('Update').state), `${id}: the state beside update`);
    }
    if (lines.includes('Value') && ['event-log-in-value', 'category-counts-in-value', 'session'].includes(id)) {
      const variable = { 'event-log-in-value': 'log', 'category-counts-in-value': 'current', session: 'current' }[id];
      assert.ok(abbreviates(shownAs(at('Value').text, variable), before), `${id}: value() returned the state as it was`);
      // On the heap backend value() hands out the stored object: changing it changes the state before update().
      assert.ok(abbreviates(shownAs(at('Next').text, variable), at('Next').state), `${id}: the object as changed`);
      assert.notEqual(at('Next').state, before, `${id}: the state changed on the line that changed the object`);
      assert.match(at('Next').text, /value\(\) handed out the stored object itself/);
    }
    if (['category-counts', 'idle-counter', 'counter'].includes(id)) {
      const read = shownAs(at('Value').text, 'current');
      const next = Number(shownAs(at('Next').text, 'next'));
      assert.equal(next, read === 'null' ? 1 : Number(read) + 1, `${id}: next is what value() read plus one`);
    }
    const amount = Number(at('Enter').text.match(/event\.amount = (\d+)/)?.[1]);
    switch (id) {
      case 'event-log':
      case 'event-log-in-value': {
        const list = JSON.parse(after);
        const was = before === 'null' ? [] : JSON.parse(before);
        assert.deepEqual(list, [...was, amount], `${id}: the amount appended`);
        break;
      }
      case 'running-sum':
        assert.equal(Number(after), (before === 'null' ? 0 : Number(before)) + amount, 'the sum grew by the amount');
        assert.match(at('Collect').text, new RegExp(`, ${after}\\) → to the sink`));
        break;
      case 'average': {
        const [sum, count] = after.slice(1, -1).split(',').map(Number);
        const [sum0, count0] = before === 'null' ? [0, 0] : before.slice(1, -1).split(',').map(Number);
        assert.deepEqual([sum, count], [sum0 + amount, count0 + 1], 'the accumulator (sum,count) took the amount');
        const emitted = Number(at('Collect').text.match(/, ([\d.]+)\) → to the sink/)[1]);
        assert.ok(Math.abs(emitted - sum / count) < 1e-9, `the average emitted: ${emitted} vs ${sum}/${count}`);
        break;
      }
      case 'category-counts-in-value': {
        const category = at('Enter').text.match(/event\.category = "(\w+)"/)[1];
        const count = Number(after.match(new RegExp(`${category}=(\\d+)`))[1]);
        const was = Number(before.match(new RegExp(`${category}=(\\d+)`))?.[1] ?? 0);
        assert.equal(count, was + 1, 'the category counted in the map the state holds');
        break;
      }
      case 'idle-counter':
        assert.match(after, /^TtlValue\{userValue=\d+, lastAccessTimestamp=\d+\}$/, 'a TTL state holds TtlValues');
        break;
      case 'key-stats': {
        // As KeyStats.toString() prints it; update(s) stores the count, and the sum changed after it is in the
        // state too (the object update() stored), without another update().
        const parse = (t) => (t === 'null' ? [0, 0] : t.match(/^KeyStats\{count=(\d+), sum=(\d+)\}$/).slice(1).map(Number));
        const [count0, sum0] = parse(before);
        assert.deepEqual(parse(at('Update').state), [count0 + 1, sum0], 'update() stored the new count, the sum not yet');
        assert.deepEqual(parse(at('AfterUpdate').state), [count0 + 1, sum0 + amount], 'the sum changed after update()');
        assert.deepEqual(parse(after), [count0 + 1, sum0 + amount], 'and so the state holds it');
        assert.ok(abbreviates(shownAs(at('AfterUpdate').text, 'state'), at('AfterUpdate').state), 'the state beside s.sum');
        assert.match(at('AfterUpdate').text, /update\(\) stored this very object/);
        break;
      }
      case 'session': {
        const [, f1] = after.slice(1, -1).split(',').map(Number);
        const timer = Number(at('Collect').text.match(/timer for (\d+) ms/)[1]);
        assert.equal(timer, f1 + 2000, 'the timer 2 s after the last event');
        break;
      }
      default:
    }
    // The key trace and the bucket view show the key's state as the job holds it.
    const key = steps[0].key;
    await page.getByTestId('follow-key').fill(key);
    await until(() => page.getByTestId('trace-count').textContent(), (t) => t === after, { what: `${id}: the traced state ${after}` });
    const card = page.getByTestId('chains').locator('.entry.followed .entry-state');
    await until(() => card.textContent().catch(() => ''), (t) => t.startsWith('state = ') && abbreviates(t.slice(8), after),
      { what: `${id}: the entry card of ${key}` });
    // The debugger view: where this state keeps its data, and the path from the function's field to the entry.
    const answer = await page.getByTestId('state-answer').textContent();
    assert.match(answer, new RegExp(`Where does ${stateClass} keep its data\\?`));
    if (object) assert.match(answer, new RegExp(`each key's state is a ${object} that a StateMapEntry references`));
    await until(() => page.getByTestId('state-path').textContent().catch(() => ''), (t) => t.startsWith(field),
      { what: `${id}: the path from ${field}` });
    await page.getByTestId('follow-key').fill('');
    // The heap's bar names what the state is made of: Longs or state objects, and the timers' share.
    const legend = await page.getByTestId('heap-gauge').locator('.legend').textContent();
    if (['counter', 'running-sum'].includes(id)) assert.match(legend, /boxed values \(Long 24 B\)/);
    else assert.match(legend, /state objects \(ArrayList, HashMap, Tuple2, TtlValue, KeyStats and their Longs\)/);
    const timerBars = await page.getByTestId('heap-gauge').locator('.stack.gauge .seg-timers').count();
    assert.equal(timerBars > 0, id === 'session', `${id}: timers on the heap`);
    await viewportShot(page, `preset-${id}`);
  }
  // The picker and the code panel in Chinese: the class names stay as Java writes them.
  await switchLanguage(page, 'zh-CN');
  await page.getByTestId('settings-toggle').click();
  const picker = page.getByTestId('function');
  await assertOnScreen(picker, 'the function picker');
  assert.match(await picker.locator('option:checked').textContent(), /KeyStatsProcessFunction · ValueState<KeyStats> \(POJO\)/);
  await viewportShot(page, 'preset-picker-zh');
  await page.keyboard.press('Escape');
  assert.match(await page.getByTestId('code-panel').locator('.panel-head .hint').textContent(), /KeyStatsProcessFunction —— 当前记录正在执行的行/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('which structure fits: the job\'s workload as ValueState<HashMap> and as MapState, then as lists, side by side', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  const panel = page.getByTestId('structure-comparison');
  const cells = async (testid) => (await panel.getByTestId(testid).locator('td .num').allTextContents());
  const run = async (button) => {
    await panel.getByTestId(button).click();
    await panel.getByTestId('comparison-table').waitFor();
    await until(() => panel.getByTestId('comparison-running').count(), (n) => n === 0, { what: 'both runs done' });
    return {
      keys: await cells('cmp-keys'),
      heap: await cells('cmp-heap'),
      objects: await cells('cmp-objects'),
      checkpoint: await cells('cmp-checkpoint'),
      verdict: await panel.getByTestId('comparison-verdict').textContent(),
    };
  };
  const map = await run('compare-map');
  // On the heap the two forms keep the same HashMap per key: the same keys, heap and objects per key.
  assert.equal(map.keys[0], map.keys[1]);
  assert.ok(Number(map.keys[0].replace(/,/g, '')) > 0);
  assert.equal(map.heap[0], map.heap[1]);
  assert.equal(map.objects[0], map.objects[1]);
  assert.match(map.verdict, /they cost the same/);
  await panel.getByTestId('comparison-table').scrollIntoViewIfNeeded();
  await assertOnScreen(panel.getByTestId('comparison-verdict'), 'the verdict');
  await viewportShot(page, 'structure-comparison');
  const list = await run('compare-list');
  assert.equal(list.heap[0], list.heap[1]);
  assert.notEqual(list.heap[0], map.heap[0], 'a log of every amount is not a few counts');
  await switchLanguage(page, 'zh-CN');
  assert.match(await panel.locator('h2').textContent(), /哪种结构更合适/);
  assert.match(await panel.getByTestId('comparison-verdict').textContent(), /开销相同/);
  assert.deepEqual(errors, []);
  await context.close();
});
