// Browser tests of the savepoint tools (src/worker/, their own wasm module in a Web Worker): the public sample
// snapshots of tests/data/flink-savepoints/public dropped as loose files and as a .zip, their summary and
// entries on screen in English and Chinese, a damaged file refused with a translated error while the page goes
// on, and the two exports downloaded and read back with the crate's own readers (`statelab inspect` on the
// savepoint zip). Screenshots are kept in tests/e2e/artifacts/.
//
//   node --test tests/e2e/savepoint.test.mjs   (after `trunk build --release --features automation`)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launchBrowser, openApp, until, switchLanguage } from './lib/harness.mjs';
import { assertOnScreen, viewportShot } from './lib/checkpoints.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(root, 'dist');
const samples = join(root, 'tests/data/flink-savepoints/public');
let server;
let browser;
let work;

before(async () => {
  server = await serve(dist);
  browser = await launchBrowser();
  work = await mkdtemp(join(tmpdir(), 'statelab-savepoint-'));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A sample's files as [path, bytes]; `prefix` is put before each name (a folder's name, or none). */
async function sampleFiles(name, prefix = '') {
  const dir = join(samples, name);
  return Promise.all((await readdir(dir)).map(async (f) => [prefix + f, [...await readFile(join(dir, f))]]));
}

/** A .zip of a sample's folder (deflated, as a zip tool makes it). */
function sampleZip(name) {
  const out = join(work, `${name}.zip`);
  execFileSync('python3', ['-c', `import sys, zipfile, os
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    for f in sorted(os.listdir(sys.argv[2])):
        z.write(os.path.join(sys.argv[2], f), sys.argv[3] + '/' + f)`, out, join(samples, name), name]);
  return out;
}

/** Drops `files` ([name, bytes]) on the savepoint tools' drop zone, as a person drops them from a file manager. */
async function drop(page, files) {
  const zone = page.getByTestId('savepoint-drop');
  await zone.scrollIntoViewIfNeeded();
  await zone.evaluate((el, list) => {
    const data = new DataTransfer();
    for (const [name, bytes] of list) data.items.add(new File([new Uint8Array(bytes)], name));
    el.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }));
  }, files);
}

async function openTools(page) {
  await page.getByTestId('savepoint-tools-open').click();
  await page.getByTestId('savepoint-drop').waitFor();
}

/** The summary's text once it shows `expected`. */
async function summaryShowing(page, expected) {
  return until(() => page.getByTestId('savepoint-summary').textContent().catch(() => ''),
    (t) => t.includes(expected), { what: `the summary showing ${expected}` });
}

async function download(page, testid) {
  const event = page.waitForEvent('download');
  await page.getByTestId(testid).click();
  const file = await event;
  const path = join(work, file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), path };
}

test('a dropped snapshot shows what statelab inspect shows, entries on screen, in English and Chinese', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await openTools(page);
  // Loose files: _metadata and the state files beside it.
  await drop(page, await sampleFiles('savepoint_native'));
  const summary = await summaryShowing(page, 'operator');
  assert.match(summary, /checkpoint \d+ · native savepoint · metadata version 6/);
  assert.match(summary, /uid event-counter-op · parallelism 2 · max parallelism 128/);
  assert.match(summary, /key groups 0-63 · KeyGroupsStateHandle/);
  assert.match(summary, /state 'event-counter' · VALUE · Long · 5 entries/);
  const entries = page.getByTestId('savepoint-entry');
  await until(() => entries.count(), (n) => n === 10, { what: 'the ten entries' });
  const first = await entries.first().textContent();
  assert.match(first, /event-counter-op0\d+event-counter"k\d"\d+/);
  await page.getByTestId('savepoint-summary').scrollIntoViewIfNeeded();
  await assertOnScreen(page.getByTestId('savepoint-summary'), 'the summary is on screen');
  await entries.first().scrollIntoViewIfNeeded();
  await assertOnScreen(entries.first(), 'an entry is on screen');
  await viewportShot(page, 'savepoint-loose-files-en');

  // A .zip, in Chinese: the worker words everything with the same language pack.
  await switchLanguage(page, 'zh-CN');
  await drop(page, [['savepoint_canonical.zip', [...await readFile(sampleZip('savepoint_canonical'))]]]);
  const zh = await summaryShowing(page, '标准格式（canonical）保存点');
  assert.match(zh, /Flink 快照 savepoint_canonical\.zip/);
  assert.match(zh, /uid event-counter-op · 并行度 2 · 最大并行度 128/);
  await until(() => entries.count(), (n) => n === 10, { what: 'the ten entries of the zip' });
  assert.match(await page.getByTestId('savepoint-tools').textContent(), /下载转储（JSON lines）/);
  await entries.first().scrollIntoViewIfNeeded();
  await assertOnScreen(entries.first(), 'an entry is on screen (zh)');
  await viewportShot(page, 'savepoint-zip-zh');

  // The dump: every entry as a JSON line, the same as statelab inspect --dump.
  const dump = await download(page, 'savepoint-dump');
  const lines = (await readFile(dump.path, 'utf8')).trim().split('\n').sort();
  const expected = (await readFile(join(samples, 'expected.jsonl'), 'utf8')).trim().split('\n').sort();
  assert.deepEqual(lines, expected);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a snapshot missing one subtask\'s state file: its other entries open, and beside the dump the page says it leaves that subtask out', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await openTools(page);
  const files = await sampleFiles('savepoint_native');
  // One keyed subtask's state file lost (the two are the same size; the small one is the source's).
  const [lost] = files.filter(([name]) => name !== '_metadata').sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  await drop(page, files.filter((f) => f !== lost));
  assert.match(await summaryShowing(page, 'does not read'), /Flink snapshot/);
  const note = page.getByTestId('savepoint-dump-note');
  await note.waitFor();
  assert.equal(await note.textContent(), 'The dump leaves out the subtask whose keyed state does not read (see above).');
  await note.scrollIntoViewIfNeeded();
  await assertOnScreen(note, 'the note beside the dump');
  await assertOnScreen(page.getByTestId('savepoint-dump'), 'the dump button');
  await viewportShot(page, 'savepoint-unread-subtask-en');
  // The dump holds the other subtask's entries: those of the whole snapshot's dump that the table shows.
  const dump = await download(page, 'savepoint-dump');
  const lines = (await readFile(dump.path, 'utf8')).trim().split('\n');
  const expected = (await readFile(join(samples, 'expected.jsonl'), 'utf8')).trim().split('\n');
  const shown = await page.getByTestId('savepoint-entry').count();
  assert.ok(lines.length > 0 && lines.length < expected.length, `${lines.length} of ${expected.length}`);
  assert.equal(lines.length, shown);
  for (const line of lines) assert.ok(expected.includes(line), line);
  await switchLanguage(page, 'zh-CN');
  await until(() => note.textContent(), (t) => t === '转储不包含键控状态无法读取的那个子任务（见上文）。', { what: 'the note in Chinese' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a damaged file is refused with a translated error, and the page keeps working', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await openTools(page);
  await drop(page, [['holiday.png', [0x89, 0x50, 0x4e, 0x47, 1, 2, 3]]]);
  const error = page.getByTestId('savepoint-error');
  await until(() => error.textContent().catch(() => ''), (t) => t.includes("Flink's magic number 0x4960672d"),
    { what: 'the error' });
  await error.scrollIntoViewIfNeeded();
  await assertOnScreen(error, 'the error is on screen');
  await viewportShot(page, 'savepoint-damaged-en');
  await switchLanguage(page, 'zh-CN');
  await until(() => error.textContent().catch(() => ''), (t) => t.includes('魔数 0x4960672d'), { what: 'the error in Chinese' });
  await viewportShot(page, 'savepoint-damaged-zh');
  // The tools and the page go on: a sound snapshot opens after it — a folder chosen with the folder picker —,
  // and the job still plays.
  await page.getByTestId('savepoint-folder').setInputFiles(join(samples, 'checkpoint_retained'));
  assert.match(await summaryShowing(page, '检查点'), /Flink 快照 checkpoint_retained/);
  // And files chosen with the file picker: the zip.
  await page.getByTestId('savepoint-files').setInputFiles(sampleZip('savepoint_native'));
  await summaryShowing(page, 'Flink 快照 savepoint_native.zip');
  assert.equal(await error.count(), 0);
  await page.getByTestId('play').click();
  assert.deepEqual(errors, []);
  await context.close();
});

test('the running job downloads as a Flink savepoint zip and as a Flink project zip that read back', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  // Some state first: the default job, played a little and paused.
  await page.getByTestId('play').click();
  await until(() => page.evaluate(() => window.statelab.summary().keysInState), (n) => n > 50, { what: 'keys in state' });
  await page.getByTestId('play').click();
  const keys = await page.evaluate(() => window.statelab.summary().keysInState);
  await openTools(page);
  await page.getByTestId('savepoint-uid').fill('my-counter');
  const savepoint = await download(page, 'savepoint-export');
  assert.match(savepoint.name, /^savepoint-\d+\.zip$/);
  const inspected = execFileSync('cargo', ['run', '--quiet', '--bin', 'statelab', '--', 'inspect', savepoint.path], { cwd: root, encoding: 'utf8' });
  assert.match(inspected, /uid my-counter/);
  assert.match(inspected, /canonical savepoint/);
  const dumped = execFileSync('cargo', ['run', '--quiet', '--bin', 'statelab', '--', 'inspect', '--dump', savepoint.path], { cwd: root, encoding: 'utf8' });
  assert.equal(dumped.trim().split('\n').length, keys, 'one entry per key in state');

  const job = await download(page, 'job-export');
  assert.equal(job.name, 'statelab-job.zip');
  const listing = JSON.parse(execFileSync('python3', ['-c', `import sys, zipfile, json
z = zipfile.ZipFile(sys.argv[1]); print(json.dumps({'names': z.namelist(), 'config': json.loads(z.read('statelab-job/statelab-job.json'))}))`, job.path], { encoding: 'utf8' }));
  assert.ok(listing.names.includes('statelab-job/pom.xml'));
  assert.ok(listing.names.includes('statelab-job/src/main/java/statelab/job/StateLabJob.java'));
  assert.equal(listing.config.source.keyCount, 500000);
  await viewportShot(page, 'savepoint-exports');
  assert.deepEqual(errors, []);
  await context.close();
});

// The page runs only counter jobs, so the refusal of another function (SavepointWriteError::Function,
// ExportError::Function) is pinned by the worker's native tests (src/worker/session.rs); here a typed error the
// page can provoke: an empty uid.
test('an export the writer refuses says why in the page\'s language, and the next one works', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await switchLanguage(page, 'zh-CN');
  await openTools(page);
  assert.equal(await page.getByTestId('savepoint-uid').inputValue(), 'event-counter-op');
  await page.getByTestId('savepoint-uid').fill('');
  await page.getByTestId('savepoint-export').click();
  const error = page.getByTestId('savepoint-export-error');
  await until(() => error.textContent().catch(() => ''), (t) => t.includes('算子的 uid 为空'), { what: 'the refusal in Chinese' });
  await error.scrollIntoViewIfNeeded();
  await assertOnScreen(error, 'the refusal is on screen');
  await viewportShot(page, 'savepoint-export-refused-zh');
  await page.getByTestId('savepoint-uid').fill('event-counter-op');
  const savepoint = await download(page, 'savepoint-export');
  assert.match(savepoint.name, /^savepoint-\d+\.zip$/);
  await until(() => error.count(), (n) => n === 0, { what: 'the error gone' });
  assert.deepEqual(errors, []);
  await context.close();
});
