// Browser tests of checkpoints that outlive the tab: IndexedDB across reloads and browser restarts, files and
// links between fresh browser profiles, links that ask before they replace anything, imports told apart by
// content, entries of earlier versions, bad blobs that must change nothing (and say why next to the control),
// restores at another parallelism, two tabs on one storage, and a full quota. Counts are compared with what the
// checkpoint held, read through `window.statelab.checkpointCounts(id)` before the checkpoint left the page.
// Storage integrity (orphans, aborted writes, other tabs' upgrades) is in storage_integrity.test.mjs.
//
//   node --test tests/e2e/        (after `trunk build --release --features automation`)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch, closeLaunched, launchBrowser, openApp, artifact, until, setSpeed, applySettings, switchLanguage, SPEED } from './lib/harness.mjs';
import {
  libraryWorker, summary, counts, storedRows, storedRow, storedKeys, storedList, waitStorageReady, onlyManualCheckpoints, playUntil,
  errorText, storeCheckpoint, restoreStored, exportStored, shareLink, assertOnScreen, inlineError, linkDialogError,
  rawKeys, rawRecord, rawWrite, withProducer, viewportShot, storedRunOf,
} from './lib/checkpoints.mjs';

const dist = fileURLToPath(new URL('../../dist', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
let server;
let browser;

before(async () => {
  server = await serve(dist);
  browser = await launchBrowser();
});

after(async () => {
  await closeLaunched();
  await browser?.close();
  await server?.close();
});

test('checkpoints are kept across a reload and restore exactly the counts they held', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await waitStorageReady(page);
  await onlyManualCheckpoints(page);
  await playUntil(page, 300);
  const { id, held } = await storeCheckpoint(page);
  const keys = Object.keys(held).length;
  const jobId = (await summary(page)).jobId.slice(0, 8);
  assert.deepEqual(await storedList(page), [[String(id), `Run 1 · job ${jobId}`, keys.toLocaleString('en-US')]]);
  assert.equal(await storedRunOf(page, 1).getByTestId('this-run').count(), 1, 'the running job\'s run is marked');
  // The job id is random hex: kept out of translation (and of language checks).
  const shownId = storedRow(page, id).getByTestId('job-id');
  assert.equal(await shownId.textContent(), jobId);
  assert.equal(await shownId.getAttribute('translate'), 'no');
  // The job goes on past the checkpoint, so its state differs from the checkpoint's when the page reloads.
  await playUntil(page, (await summary(page)).recordsProcessed + 100);

  await page.reload();
  await page.getByTestId('play').waitFor();
  await waitStorageReady(page);
  await until(() => storedList(page), (l) => l.length === 1, { what: 'the stored checkpoint after the reload' });
  const [[listedId, origin, entries]] = await storedList(page);
  assert.equal(listedId, String(id));
  assert.match(origin, /^Run 1 · job [0-9a-f]{8}$/);
  assert.equal(await page.getByTestId('this-run').count(), 0, 'a job of an earlier page, not the running one');
  assert.equal(entries, keys.toLocaleString('en-US'));
  // Its job configuration is shown with it.
  await storedRow(page, id).getByRole('button', { name: '▸' }).click();
  assert.match(await page.getByTestId('stored-job').textContent(), /500,000 String keys, Zipf s=0\.8 · 4,000\/s from 2 source subtasks · checkpoints on demand/);
  assert.equal((await summary(page)).recordsProcessed, 0, 'the reloaded page starts a new job');

  await restoreStored(page, id);
  assert.deepEqual(await counts(page), held);
  assert.equal((await summary(page)).keysInState, keys);
  assert.match(await page.getByTestId('job-graph').textContent(), /EventCounterProcessFunction \(2\/2\)/);
  await artifact(page, 'storage-reload-restore');
  assert.deepEqual(errors, []);
  await context.close();
});

test('stored checkpoints are grouped by run: which job each run was, when it started, the running one marked', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await waitStorageReady(page);
  await onlyManualCheckpoints(page);
  await playUntil(page, 200);
  const first = await storeCheckpoint(page);
  const firstJob = (await summary(page)).jobId;
  // The record says which job the run was and when it started.
  const record = JSON.parse(await rawRecord(page, first.key));
  assert.equal(record.run, 'start');
  assert.ok(record.runStartedMs <= record.storedAtMs, 'the run started before its checkpoint was stored');
  // As an earlier version stored it: the same checkpoint of another job, ten minutes before, without either.
  const oldJob = '0123456789abcdef';
  const oldKey = `${oldJob}/${first.key.split('/')[1]}`;
  delete record.run;
  delete record.runStartedMs;
  Object.assign(record, { key: oldKey, origin: { kind: 'job', jobId: oldJob }, storedAtMs: record.storedAtMs - 600_000 });
  const blob = (await exportStored(page, first.id)).bytes;
  await rawWrite(page, [
    { store: 'blobs', key: oldKey, bytes: blob },
    { store: 'checkpoints', key: oldKey, value: JSON.stringify(record) },
  ]);
  // A third run, of a scenario preset, in a new page.
  await page.goto(`${server.url}#scenario=hot-key`);
  await page.reload();
  await page.getByTestId('play').waitFor();
  await waitStorageReady(page);
  await until(() => storedList(page), (l) => l.length === 2, { what: 'both earlier runs\' checkpoints' });
  await onlyManualCheckpoints(page);
  await playUntil(page, 200);
  const third = await storeCheckpoint(page);
  const thirdJob = (await summary(page)).jobId;
  assert.notEqual(thirdJob, firstJob);

  const at = String.raw`(today|yesterday) \d\d:\d\d$`;
  const heads = await page.getByTestId('stored-run').allTextContents();
  assert.equal(heads.length, 3, heads.join('\n'));
  assert.match(heads[0], new RegExp(`^Run 3 this run · scenario “A hot key” · p=\\d · .+ · started ${at}`));
  assert.match(heads[1], new RegExp(`^Run 2 · the job the page opens with · p=2 · 4,000 events/s over 500,000 keys · started ${at}`));
  assert.match(heads[2], new RegExp(`^Run 1 · p=2 · 4,000 events/s over 500,000 keys · first stored ${at}`), 'a record of an earlier version still lists');
  assert.deepEqual((await storedList(page)).map(([, origin]) => origin),
    [`Run 3 · job ${thirdJob.slice(0, 8)}`, `Run 2 · job ${firstJob.slice(0, 8)}`, `Run 1 · job ${oldJob.slice(0, 8)}`]);
  // The whole job id is in the tooltip.
  assert.equal(await storedRow(page, { key: first.key }).getByTestId('job-id').getAttribute('title'), firstJob);
  const header = storedRunOf(page, 3);
  await header.scrollIntoViewIfNeeded();
  await assertOnScreen(header, 'the running job\'s run header');
  await assertOnScreen(storedRow(page, { key: third.key }), 'its checkpoint under it');
  await viewportShot(page, 'storage-runs');
  await switchLanguage(page, 'zh-CN');
  assert.match(await header.textContent(), new RegExp(`^运行 3 本次运行 · 场景“热点键” · p=\\d · .+ · (今天|昨天) \\d\\d:\\d\\d 开始$`));
  assert.match(await storedRunOf(page, 1).textContent(), /首次存储$/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a checkpoint moves to a fresh browser profile as a file (chosen or dropped) and restores the same counts', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await waitStorageReady(page);
  await onlyManualCheckpoints(page);
  await playUntil(page, 400);
  const { id, held } = await storeCheckpoint(page);
  const file = await exportStored(page, id);
  assert.match(file.name, new RegExp(`^statelab-checkpoint-${id}-${Object.keys(held).length}keys-p2\\.slcp$`));
  assert.deepEqual([...file.bytes.subarray(0, 8)], [0x89, 0x53, 0x4c, 0x43, 0x4b, 0x50, 0x54, 0x0a]);
  await context.close();

  // The browser deflated it (CompressionStream, not the command line's miniz_oxide: its metadata at least,
  // flag 1 of the header's u16 at byte 10): the command line opens it and reads the same counts.
  const path = join(await mkdtemp(join(tmpdir(), 'statelab-export-')), file.name);
  await writeFile(path, file.bytes);
  const inspected = JSON.parse(execFileSync('cargo', ['run', '--quiet', '--bin', 'statelab', '--', 'inspect', path], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 }));
  assert.equal(inspected.metadata.checkpointId, id);
  assert.equal(file.bytes[10] & 1, 1, 'the metadata is stored deflated');
  assert.deepEqual(Object.assign({}, ...inspected.keyGroups.map((g) => g.state)), held);

  // A new browser with its own, empty profile.
  const fresh = await launch();
  try {
    const page2 = await fresh.context.newPage();
    const errors2 = [];
    page2.on('pageerror', (e) => errors2.push(e.message));
    await page2.goto(server.url);
    await waitStorageReady(page2);
    assert.equal(await storedRows(page2).count(), 0);
    await page2.getByTestId('import-file').setInputFiles({ name: file.name, mimeType: 'application/octet-stream', buffer: file.bytes });
    await until(() => page2.getByTestId('storage-notice').textContent().catch(() => ''), (t) => t.startsWith(`Imported checkpoint ${id}`), { what: 'the import' });
    assert.deepEqual(await storedList(page2), [[String(id), `file ${file.name}`, Object.keys(held).length.toLocaleString('en-US')]]);
    await restoreStored(page2, id);
    assert.deepEqual(await counts(page2), held);

    // Dropping the same file is recognised as already stored; a copy under another name is too.
    const dataTransfer = await page2.evaluateHandle((bytes) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], 'copy.slcp'));
      return dt;
    }, [...file.bytes]);
    await page2.dispatchEvent('body', 'dragover', { dataTransfer });
    await page2.getByTestId('drop-overlay').waitFor();
    await page2.dispatchEvent('body', 'drop', { dataTransfer });
    await page2.getByTestId('drop-overlay').waitFor({ state: 'detached' });
    await until(() => page2.getByTestId('storage-notice').textContent(), (t) => t.includes('is already stored'), { what: 'the dropped copy' });
    assert.equal(await storedRows(page2).count(), 1);
    await artifact(page2, 'storage-imported-file');
    assert.deepEqual(errors2, []);
  } finally {
    await fresh.context.close();
  }
  assert.deepEqual(errors, []);
});

test('golden blobs of every format version (1: JSON metadata, 2: binary, 3: every primitive) import and restore the state they hold', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await waitStorageReady(page);
  const blobs = fileURLToPath(new URL('../data/blobs/', import.meta.url));
  for (const name of ['strings-zipf-p2', 'v2-strings-zipf-p2']) {
    const golden = JSON.parse(await readFile(join(blobs, `${name}.json`), 'utf8'));
    const want = Object.assign({}, ...golden.keyGroups.map((g) => g.state));
    const id = golden.metadata.checkpointId;
    await page.getByTestId('import-file').setInputFiles({
      name: `${name}.slcp`, mimeType: 'application/octet-stream', buffer: await readFile(join(blobs, `${name}.slcp`)),
    });
    await until(() => page.getByTestId('storage-notice').textContent().catch(() => ''),
      (t) => t.startsWith(`Imported checkpoint ${id} from '${name}.slcp'`), { what: `the import of ${name}` });
    const row = storedRows(page).filter({ hasText: `file ${name}.slcp` });
    await row.getByTestId('stored-restore').click();
    await until(() => page.getByTestId('storage-notice').textContent().catch(() => ''),
      (t) => t.startsWith(`Started a new job from checkpoint ${id}`), { what: `the restore of ${name}` });
    assert.deepEqual(await counts(page), want, name);
  }
  assert.equal(await storedRows(page).count(), 2, 'two blobs of one checkpoint are two entries');

  // A version-3 blob whose sections the command line deflated: the browser inflates them (DecompressionStream)
  // before the page reads them, and the lists come back as the command line reads them.
  const name = 'v3-event-log-p2';
  const golden = JSON.parse(await readFile(join(blobs, `${name}.json`), 'utf8'));
  assert.ok(golden.keyGroups.some((g) => g.compressed), `${name} has deflated sections`);
  const want = Object.assign({}, ...golden.keyGroups.map((g) =>
    Object.fromEntries(Object.entries(g.state).map(([key, list]) => [key, `[${list.join(', ')}]`]))));
  const id = golden.metadata.checkpointId;
  await page.getByTestId('import-file').setInputFiles({
    name: `${name}.slcp`, mimeType: 'application/octet-stream', buffer: await readFile(join(blobs, `${name}.slcp`)),
  });
  await until(() => page.getByTestId('storage-notice').textContent().catch(() => ''),
    (t) => t.startsWith(`Imported checkpoint ${id} from '${name}.slcp'`), { what: `the import of ${name}` });
  await storedRows(page).filter({ hasText: `file ${name}.slcp` }).getByTestId('stored-restore').click();
  await until(() => page.getByTestId('storage-notice').textContent().catch(() => ''),
    (t) => t.startsWith(`Started a new job from checkpoint ${id}`), { what: `the restore of ${name}` });
  assert.deepEqual(await page.evaluate(() => window.statelab.states()), want, name);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a file dropped in a fresh context imports and restores, also dropped the moment the page is there', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await waitStorageReady(page);
  await onlyManualCheckpoints(page);
  await playUntil(page, 150);
  const { id, held } = await storeCheckpoint(page);
  const file = await exportStored(page, id);
  await context.close();

  // Dropped as soon as the panel is there, whether or not the library's worker listens and its storage is open
  // yet: the file waits for them, nothing is lost.
  const other = await openApp(browser, server.url);
  await other.page.getByTestId('stored-checkpoints').waitFor();
  const dataTransfer = await other.page.evaluateHandle((bytes) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], 'dropped.slcp'));
    return dt;
  }, [...file.bytes]);
  await other.page.dispatchEvent('body', 'drop', { dataTransfer });
  await until(() => storedList(other.page), (l) => l.length === 1, { what: 'the dropped file to be stored' });
  assert.equal((await storedList(other.page))[0][1], 'file dropped.slcp');
  await restoreStored(other.page, id);
  assert.deepEqual(await counts(other.page), held);
  assert.deepEqual(other.errors, []);
  assert.deepEqual(errors, []);
  await other.context.close();
});

/** Corruptions of a good blob, each with what the error must say. */
function corruptions(good) {
  const flip = Buffer.from(good); flip[Math.floor(good.length / 2)] ^= 0x20;
  const magic = Buffer.from(good); magic.write('PK', 0, 'latin1');
  const newer = Buffer.from(good); newer.writeUInt16LE(4, 8);
  const enormous = Buffer.from(good); enormous.writeBigUInt64LE(0xffffffffffffffffn, 20);
  const random = Buffer.alloc(4096); for (let i = 0; i < random.length; i++) random[i] = (i * 7919 + 13) % 251;
  return [
    ['truncated.slcp', good.subarray(0, Math.floor(good.length * 0.6)), /truncated/],
    ['flipped.slcp', flip, /corrupted: its checksum does not match/],
    ['zip.slcp', magic, /not a StateLab checkpoint/],
    ['newer.slcp', newer, /written by a newer StateLab \(format version 4\)/],
    ['random.slcp', random, /not a StateLab checkpoint/],
    ['enormous.slcp', enormous, /should be 18446744073709551615 bytes/],
    ['empty.slcp', Buffer.alloc(0), /only 0 bytes long/],
  ];
}

test('bad files and links get a clear error, and the job and the stored checkpoints stay exactly as they were', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await waitStorageReady(page);
  await onlyManualCheckpoints(page);
  await playUntil(page, 200);
  const { id } = await storeCheckpoint(page);
  const good = (await exportStored(page, id)).bytes;
  const link = await shareLink(page, id);
  await playUntil(page, (await summary(page)).recordsProcessed + 50);
  const state = { counts: await counts(page), summary: await summary(page), stored: await storedList(page) };
  const unchanged = async (what) => {
    assert.deepEqual(await counts(page), state.counts, `${what}: counts changed`);
    assert.deepEqual(await summary(page), state.summary, `${what}: the job changed`);
    assert.deepEqual(await storedList(page), state.stored, `${what}: stored checkpoints changed`);
  };

  for (const [name, bytes, message] of corruptions(good)) {
    await page.getByTestId('import-file').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: bytes });
    // Said next to the import controls, in view, in plain words.
    const text = await inlineError(page, name, { shot: name === 'truncated.slcp' ? 'storage-bad-file-error' : undefined });
    assert.match(text, new RegExp(`^Could not import the checkpoint from '${name}': `), text);
    assert.match(text, message, name);
    await unchanged(name);
  }

  // A link with characters lost in the middle (its checksum catches it), one cut short, one that is not a link.
  const [base, encoded] = link.split('#checkpoint=');
  const damaged = [
    [`${base}#checkpoint=${encoded.slice(0, 200)}${encoded.slice(204)}`, /corrupted|truncated|malformed/],
    [`${base}#checkpoint=${encoded.slice(0, encoded.length - 1)}`, /damaged|truncated/],
    ['https://example.com/not-statelab', /no '#checkpoint=' part/],
  ];
  for (const [text, message] of damaged) {
    await page.getByTestId('import-link').fill(text);
    await page.getByTestId('import-link-open').click();
    // Said in the link dialog, which changes nothing when closed.
    const shown = await linkDialogError(page, text.slice(0, 60));
    assert.match(shown, /^Could not import the checkpoint from the link: /, shown);
    assert.match(shown, message, shown);
    await unchanged(text.slice(0, 60));
  }
  await artifact(page, 'storage-bad-blobs');

  // Opening the page with a damaged link: the dialog says why, the stored checkpoints are untouched.
  const opened = await context.newPage();
  await opened.goto(`${base}#checkpoint=${encoded.slice(0, 100)}AAAA${encoded.slice(104)}`);
  await opened.getByTestId('play').waitFor();
  assert.match(await linkDialogError(opened, 'a damaged link opened', { shot: 'storage-bad-link-dialog' }), /Could not import the checkpoint from the link: .*(corrupted|malformed)/);
  await waitStorageReady(opened);
  assert.deepEqual(await storedList(opened), state.stored);
  assert.equal(new URL(opened.url()).hash, '', 'the link is cleared from the address bar');
  await opened.close();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a stored checkpoint restores at another parallelism: key groups move, counts stay', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await waitStorageReady(page);
  await onlyManualCheckpoints(page);
  await playUntil(page, 500);
  const { id, held } = await storeCheckpoint(page);
  await restoreStored(page, id, 3);
  assert.match(await page.getByTestId('storage-notice').textContent(), /at parallelism 3/);
  assert.match(await page.getByTestId('job-graph').textContent(), /EventCounterProcessFunction \(3\/3\)/);
  const ranges = await page.getByTestId('state-table').textContent();
  for (const r of ['startKeyGroup=0, endKeyGroup=42', 'startKeyGroup=43, endKeyGroup=85', 'startKeyGroup=86, endKeyGroup=127']) {
    assert.ok(ranges.includes(r), `KeyGroupRange{${r}} at parallelism 3`);
  }
  assert.deepEqual(await counts(page), held);
  // The new job at parallelism 3 runs on and checkpoints with the numbering continued.
  await playUntil(page, (await summary(page)).recordsProcessed + 100);
  const next = await storeCheckpoint(page);
  assert.ok(next.id > id, `checkpoint ${next.id} after ${id}`);
  const row = (await storedList(page)).find(([i]) => i === String(next.id));
  assert.match(row[1], /^Run 2 · job /, 'the job started from the stored checkpoint is a run of its own');
  assert.equal(await storedRunOf(page, 2).getByTestId('this-run').count(), 1);
  await artifact(page, 'storage-rescaled');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a share link opens the same state in a fresh browser; big checkpoints are told to travel as files', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await waitStorageReady(page);
  await onlyManualCheckpoints(page);
  await playUntil(page, 300);
  const { id, held } = await storeCheckpoint(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await storedRow(page, id).getByTestId('stored-link').click();
  await until(() => page.getByTestId('storage-notice').textContent(), (t) => t.startsWith(`Copied a link to checkpoint ${id}`), { what: 'the link' });
  const link = await page.getByTestId('share-link').inputValue();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  assert.ok(link.startsWith(`${server.url}#checkpoint=`), link);

  const other = await openApp(browser, link);
  await waitStorageReady(other.page);
  await other.page.getByTestId('link-restore').click();
  await until(() => other.page.getByTestId('storage-notice').textContent().catch(() => ''),
    (t) => t.startsWith(`Started a new job from checkpoint ${id} (link)`), { what: 'the link to be opened' });
  assert.deepEqual(await counts(other.page), held);
  assert.deepEqual(await storedList(other.page), [[String(id), 'link', Object.keys(held).length.toLocaleString('en-US')]]);
  assert.equal(new URL(other.page.url()).hash, '');
  await artifact(other.page, 'storage-opened-link');
  assert.deepEqual(other.errors, []);
  await other.context.close();

  // 20,000 keys counted: too big for a link.
  await applySettings(page, { keys: '20000', distribution: 'uniform', 'settings-interval': '' });
  await setSpeed(page, SPEED.max);
  await page.getByTestId('play').click();
  await until(() => summary(page), (s) => s.keysInState > 15000, { what: '15,000 keys', timeout: 30000 });
  await page.getByTestId('play').click();
  const big = await storeCheckpoint(page);
  await storedRow(page, big).getByTestId('stored-link').click();
  // Said under the checkpoint's row, in view.
  await page.locator('tr.row-error').getByTestId('storage-error').waitFor();
  assert.match(await inlineError(page, 'a link for a big checkpoint', { shot: 'storage-link-too-large' }), /too large for a link .* export it as a file instead/);
  assert.deepEqual(errors, []);
  await context.close();
});

/** The link dialog's facts: { job, checkpoint, layout, keys, size }. */
async function linkFacts(page) {
  const dialog = page.getByTestId('link-dialog');
  await dialog.waitFor();
  const fact = (id) => dialog.getByTestId(id).textContent();
  return { job: await fact('link-job'), checkpoint: await fact('link-checkpoint'), layout: await fact('link-layout'), keys: await fact('link-keys'), size: await fact('link-size') };
}

/** What the focused element is: its data-testid, and whether it is inside the link dialog. */
const focused = (page) => page.evaluate(() => ({
  testid: document.activeElement?.dataset?.testid ?? null,
  inDialog: !!document.activeElement?.closest('[role=dialog][aria-modal=true]'),
}));

test('a link asks before it replaces the running job: cancelling changes nothing, restoring replaces it', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await waitStorageReady(page);
  await onlyManualCheckpoints(page);
  await playUntil(page, 300);
  const { id, held } = await storeCheckpoint(page);
  const link = await shareLink(page, id);
  const blob = (await exportStored(page, id)).bytes;
  const keys = Object.keys(held).length;

  // Another tab (same storage) opened with the link: the dialog says what it holds, and nothing happened yet.
  const tab = await context.newPage();
  const tabErrors = [];
  tab.on('pageerror', (e) => tabErrors.push(`page error: ${e.message}`));
  tab.on('console', (m) => { if (m.type() === 'error') tabErrors.push(`console: ${m.text()}`); });
  await tab.goto(link);
  await tab.getByTestId('play').waitFor();
  await waitStorageReady(tab);
  const dialog = tab.getByTestId('link-dialog');
  await dialog.waitFor();
  assert.equal(await dialog.getAttribute('role'), 'dialog');
  assert.equal(await dialog.getAttribute('aria-modal'), 'true');
  assert.equal(await tab.locator(`#${await dialog.getAttribute('aria-labelledby')}`).textContent(), 'Open the checkpoint in this link?');
  const facts = await linkFacts(tab);
  assert.equal(facts.checkpoint, String(id));
  assert.equal(facts.keys, keys.toLocaleString('en-US'));
  assert.equal(facts.layout, '2 (max parallelism 128)');
  assert.match(facts.job, /^500,000 String keys, Zipf s=0\.8 · 4,000\/s from 2 source subtasks · checkpoints on demand/);
  assert.match(facts.size, /^\d+(\.\d+)? (B|KiB)$/);
  await assertOnScreen(dialog, 'the link dialog');
  await assertOnScreen(tab.getByTestId('link-restore'), 'the default choice');
  await viewportShot(tab, 'storage-link-dialog');
  assert.equal(new URL(tab.url()).hash, '', 'the link is taken out of the address bar');
  // Focus is in the dialog, on the default; Tab and Shift+Tab go round inside it.
  assert.deepEqual(await focused(tab), { testid: 'link-restore', inDialog: true });
  const seen = [];
  for (let i = 0; i < 4; i++) {
    await tab.keyboard.press('Tab');
    seen.push(await focused(tab));
  }
  assert.deepEqual(seen.map((f) => f.testid), ['link-keep', 'link-cancel', 'link-restore', 'link-keep']);
  assert.ok(seen.every((f) => f.inDialog));
  await tab.keyboard.press('Shift+Tab');
  await tab.keyboard.press('Shift+Tab');
  assert.deepEqual(await focused(tab), { testid: 'link-cancel', inDialog: true });
  const before = { job: await summary(tab), stored: await storedList(tab), raw: await rawKeys(tab) };
  assert.equal(before.job.recordsProcessed, 0);
  assert.deepEqual(before.stored.map(([i, o]) => [i, o]), [[String(id), `Run 1 · job ${(await summary(page)).jobId.slice(0, 8)}`]]);

  // Esc cancels: the running job and the storage are as they were.
  await tab.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  const unchanged = async (what) => {
    assert.deepEqual(await summary(tab), before.job, `${what}: the running job changed`);
    assert.deepEqual(await storedList(tab), before.stored, `${what}: the stored list changed`);
    assert.deepEqual(await rawKeys(tab), before.raw, `${what}: the storage changed`);
  };
  await unchanged('Esc');

  // The same link put in the address bar again (hashchange); a click outside the dialog cancels too.
  const fragment = link.slice(link.indexOf('#'));
  await tab.evaluate((f) => { location.hash = f; }, fragment);
  await dialog.waitFor();
  await tab.mouse.click(5, 5);
  await dialog.waitFor({ state: 'detached' });
  await unchanged('a click outside');
  // The Cancel button, reached by keyboard.
  await tab.evaluate((f) => { location.hash = f; }, fragment);
  await dialog.waitFor();
  await tab.keyboard.press('Shift+Tab');
  await tab.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  await unchanged('Cancel');

  // Pasted on the page: "keep it in stored checkpoints only" stores it and leaves the job running.
  await tab.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text', text);
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  }, link);
  await dialog.getByTestId('link-keep').click();
  await dialog.waitFor({ state: 'detached' });
  await until(() => tab.getByTestId('storage-notice').textContent().catch(() => ''), (t) => t.startsWith(`Imported checkpoint ${id} from the link`), { what: 'the link kept' });
  assert.deepEqual(await summary(tab), before.job, 'keeping it does not touch the running job');
  assert.equal((await storedList(tab)).filter(([, o]) => o === 'link').length, 1);

  // Opened once more: Enter takes the default, restore. It replaces the job with the checkpoint's counts.
  await tab.evaluate((f) => { location.hash = f; }, fragment);
  await dialog.waitFor();
  await tab.keyboard.press('Enter');
  await until(() => tab.getByTestId('storage-notice').textContent().catch(() => ''),
    (t) => t.startsWith(`Started a new job from checkpoint ${id} (link)`), { what: 'the restore' });
  assert.deepEqual(await counts(tab), held);
  assert.notEqual((await summary(tab)).jobId, before.job.jobId);
  assert.equal((await storedList(tab)).filter(([, o]) => o === 'link').length, 1, 'stored once');
  assert.deepEqual(await rawRecord(tab, (await storedKeys(tab)).find((k) => k.startsWith('import/'))).then((r) => JSON.parse(r).blobBytes), blob.length);
  await artifact(tab, 'storage-link-restored');
  assert.deepEqual(tabErrors, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a row opens from the keyboard, and what was opened, chosen and focused holds while the panel changes', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await waitStorageReady(page);
  await onlyManualCheckpoints(page);
  await playUntil(page, 150);
  const { id, key } = await storeCheckpoint(page);
  const row = storedRow(page, id);
  // The panel is written by the checkpoint library's worker and put in place anew with every change: the
  // focused control, its row's details and the parallelism chosen must survive that.
  const focusedControl = () => page.evaluate(() => ({
    act: document.activeElement?.dataset?.act ?? null,
    key: document.activeElement?.closest('[data-key]')?.dataset.key ?? null,
  }));
  await row.locator('[data-act=toggle]').focus();
  await page.keyboard.press('Enter');
  await until(() => row.locator('[data-act=toggle]').getAttribute('aria-expanded'), (v) => v === 'true', { what: 'the details to open' });
  assert.deepEqual(await focusedControl(), { act: 'toggle', key }, 'focus stays on the control pressed');
  await row.getByTestId('stored-parallelism').selectOption('3');
  const details = page.locator('tr.details');
  await until(() => details.locator('.legend-item').count(), (n) => n === 3, { what: 'the key groups drawn at parallelism 3' });
  // A new panel (a share link made, and its notice): the row still open at 3, focus still on what was pressed.
  await row.getByTestId('stored-link').click();
  await page.getByTestId('share-link').waitFor();
  await page.getByTestId('storage-notice').waitFor();
  assert.equal(await row.getByTestId('stored-parallelism').inputValue(), '3');
  assert.equal(await details.locator('.legend-item').count(), 3);
  assert.deepEqual(await focusedControl(), { act: 'link', key });
  await page.getByTestId('share-link').scrollIntoViewIfNeeded();
  await assertOnScreen(page.getByTestId('share-link'), 'the share link');
  // Closed again from the keyboard.
  await row.locator('[data-act=toggle]').focus();
  await page.keyboard.press('Enter');
  await until(() => details.count(), (n) => n === 0, { what: 'the details to close' });
  assert.deepEqual(await focusedControl(), { act: 'toggle', key });
  assert.deepEqual(errors, []);
  await context.close();
});

test('two different checkpoints of the same length are two entries; the same one twice is one', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await waitStorageReady(page);
  await onlyManualCheckpoints(page);
  await playUntil(page, 200);
  const { id } = await storeCheckpoint(page);
  const good = (await exportStored(page, id)).bytes;
  // Every valid blob's CRC-32 over data + trailer is one constant: these two differ but share length and CRC.
  const [a, b] = [withProducer(good, 'StateLab 0.1.a'), withProducer(good, 'StateLab 0.1.b')];
  assert.equal(a.length, b.length);
  assert.notDeepEqual(a, b);
  const importFile = async (name, bytes, notice) => {
    await page.getByTestId('import-file').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: bytes });
    await until(() => page.getByTestId('storage-notice').textContent().catch(() => ''), (t) => notice.test(t), { what: `${name}: ${notice}` });
  };
  await importFile('a.slcp', a, new RegExp(`^Imported checkpoint ${id} from 'a.slcp'`));
  await importFile('b.slcp', b, new RegExp(`^Imported checkpoint ${id} from 'b.slcp'`));
  const imported = (await storedKeys(page)).filter((k) => k.startsWith('import/'));
  assert.equal(imported.length, 2, 'two entries');
  for (const key of imported) assert.match(key, /^import\/[0-9a-f]{64}$/);
  await importFile('a-again.slcp', a, new RegExp(`^Checkpoint ${id} from 'a-again.slcp' is already stored \\(file a.slcp\\)`));
  assert.deepEqual((await storedKeys(page)).filter((k) => k.startsWith('import/')).sort(), imported.sort());
  assert.deepEqual(errors, []);
  await context.close();
});

test('checkpoints stored by an earlier version (old key, a whole job in the record that is not read) list, restore, export and delete', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await waitStorageReady(page);
  await onlyManualCheckpoints(page);
  await playUntil(page, 250);
  const { id, key, held } = await storeCheckpoint(page);
  const blob = (await exportStored(page, id)).bytes;
  // As an earlier version stored an import: keyed by CRC-32 and length, with the whole job configuration,
  // replayed keys included — and an option (minPause) that today's job configuration does not know: a page
  // that parsed the job whole would drop the record as unreadable.
  const legacy = `import/2144df1c-${blob.length}`;
  const record = JSON.parse(await rawRecord(page, key));
  record.key = legacy;
  record.origin = { kind: 'file', name: 'old.slcp' };
  delete record.jobLine;
  record.job = {
    seed: 42, parallelism: 2, maxParallelism: 128,
    source: {
      parallelism: 2, rate: 1000, keyCount: 1000, keyFormat: { key_type: 'String', prefix: 'user-', zero_pad: 0 },
      distribution: { type: 'zipf', exponent: 1.0 }, replay: ['user-1', 'user-2', 'user-3'], maxEvents: null,
    },
    network: { latencyUs: 1000, latencyJitterUs: 500, channelCapacity: 1024, processingTimeNs: 10000 },
    checkpointing: { intervalMs: null, mode: 'EXACTLY_ONCE', timeoutMs: 600000, minPause: 0, retained: 1 },
    failures: [], sinkLogLimit: 60,
  };
  await rawWrite(page, [
    { store: 'blobs', key: legacy, bytes: blob },
    { store: 'checkpoints', key: legacy, value: JSON.stringify(record) },
    { store: 'blobs', key, remove: true },
    { store: 'checkpoints', key, remove: true },
  ]);
  await page.reload();
  await page.getByTestId('play').waitFor();
  await waitStorageReady(page);
  await until(() => storedList(page), (l) => l.length === 1, { what: 'the earlier version\'s checkpoint' });
  assert.deepEqual(await storedList(page), [[String(id), 'file old.slcp', Object.keys(held).length.toLocaleString('en-US')]]);
  const row = storedRow(page, { key: legacy });
  // Its record is read without the job configuration it carries (replayed keys and all): the page reads only
  // what it shows, and the record stays as it was.
  assert.equal(JSON.parse(await rawRecord(page, legacy)).job.source.replay.length, 3);
  await restoreStored(page, { key: legacy, id });
  assert.deepEqual(await counts(page), held);
  assert.deepEqual((await exportStored(page, { key: legacy })).bytes, blob);
  await row.getByTestId('stored-delete').click();
  await row.waitFor({ state: 'detached' });
  const raw = await rawKeys(page);
  assert.ok(!raw.blobs.includes(legacy) && !raw.checkpoints.includes(legacy), 'deleted from both stores');
  assert.deepEqual(errors, []);
  await context.close();
});

test('what goes wrong with a stored checkpoint is said under its row, in view', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await waitStorageReady(page);
  await onlyManualCheckpoints(page);
  await playUntil(page, 150);
  const { id, key } = await storeCheckpoint(page);
  const row = storedRow(page, id);
  // Deleting fails when the browser refuses: said under the row, and the row stays.
  const worker = await libraryWorker(page);
  await worker.evaluate(() => {
    const original = IDBObjectStore.prototype.delete;
    IDBObjectStore.prototype.delete = function (...args) {
      if (self.__refuseDelete) throw new DOMException('refused for the test', 'UnknownError');
      return original.apply(this, args);
    };
    self.__refuseDelete = true;
  });
  await row.getByTestId('stored-delete').click();
  await page.locator('tr.row-error').getByTestId('storage-error').waitFor();
  assert.match(await inlineError(page, 'delete', { shot: 'storage-row-error' }), /^Could not delete: the browser's storage failed \(UnknownError: refused for the test\)/,
    'in the browser\'s own words (the DOMException), no library\'s English between');
  assert.equal(await row.count(), 1);
  await worker.evaluate(() => { self.__refuseDelete = false; });
  // Its blob vanishes behind the page's back (another version, a hand in the developer tools).
  await rawWrite(page, [{ store: 'blobs', key, remove: true }]);
  await row.getByTestId('stored-export').click();
  await page.locator('tr.row-error').getByTestId('storage-error').waitFor();
  assert.match(await inlineError(page, 'export'), new RegExp(`^Could not export checkpoint ${id}: .*no stored checkpoint`));
  // Restoring it says it is gone (the row goes with it: the error stays in view by the import controls).
  await row.getByTestId('stored-restore').click();
  assert.match(await inlineError(page, 'restore'), /^That checkpoint is no longer stored/);
  assert.equal(await storedRows(page).count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('two tabs on one storage keep their own checkpoints, each restorable from the other tab', async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const [a, b] = [await context.newPage(), await context.newPage()];
  for (const page of [a, b]) {
    await page.goto(server.url);
    await page.getByTestId('play').waitFor();
    await waitStorageReady(page);
    await onlyManualCheckpoints(page);
  }
  await applySettings(b, { seed: '7', 'settings-interval': '' });
  await playUntil(a, 200);
  await playUntil(b, 350);
  const fromA = await storeCheckpoint(a);
  const fromB = await storeCheckpoint(b);
  const [jobA, jobB] = [(await summary(a)).jobId.slice(0, 8), (await summary(b)).jobId.slice(0, 8)];
  assert.notEqual(jobA, jobB);
  // Each tab lists both (the other tab's arrives through the tabs' channel).
  for (const page of [a, b]) {
    await until(() => storedList(page), (l) => l.length === 2, { what: 'both tabs\' checkpoints' });
    // Both tabs label the runs alike: in the order they started.
    const origins = (await storedList(page)).map(([, o]) => o).sort();
    assert.deepEqual(origins, [`Run 1 · job ${jobA}`, `Run 2 · job ${jobB}`]);
  }
  // With one retained checkpoint, tab A's next checkpoint replaces its first; tab B's stays.
  await playUntil(a, (await summary(a)).recordsProcessed + 50);
  const nextA = await storeCheckpoint(a);
  await until(() => storedList(b), (l) => l.length === 2 && l.some(([i]) => i === String(nextA.id)), { what: 'tab A\'s newer checkpoint in tab B' });
  const ids = (await storedList(b)).map(([i, o]) => [o, i]).sort();
  // Run 1 keeps its label when its first checkpoint is subsumed.
  assert.deepEqual(ids, [[`Run 1 · job ${jobA}`, String(nextA.id)], [`Run 2 · job ${jobB}`, String(fromB.id)]]);
  // Tab B restores tab A's checkpoint and holds its counts; tab A restores B's.
  await restoreStored(b, nextA);
  assert.deepEqual(await counts(b), nextA.held);
  await restoreStored(a, fromB);
  assert.deepEqual(await counts(a), fromB.held);
  assert.notDeepEqual(fromA.held, nextA.held);
  await context.close();
});

test('checkpoints survive closing the browser; a reload while one is written leaves no half checkpoint', async () => {
  const profile = await mkdtemp(join(tmpdir(), 'statelab-profile-'));
  let stored;
  {
    const { context } = await launch({ profile });
    const page = await context.newPage();
    await page.goto(server.url);
    await waitStorageReady(page);
    await onlyManualCheckpoints(page);
    await playUntil(page, 250);
    stored = await storeCheckpoint(page);
    // A big checkpoint, and a reload as soon as the page starts writing it.
    await applySettings(page, { keys: '300000', distribution: 'sequential', 'settings-interval': '' });
    await setSpeed(page, SPEED.max);
    await page.getByTestId('play').click();
    await until(() => summary(page), (s) => s.keysInState >= 250000, { what: '250,000 keys', timeout: 60000 });
    // The page reloads itself the moment the status shows the write (a test cannot poll that quickly).
    // (The status is written anew with each panel the library's worker sends: its head is watched.)
    await page.evaluate(() => {
      const head = document.querySelector('[data-testid=stored-checkpoints] .panel-head');
      new MutationObserver(() => {
        if (head.querySelector('[data-testid=storage-status]')?.textContent.includes('storing checkpoint')) location.reload();
      }).observe(head, { childList: true, characterData: true, subtree: true });
    });
    const reloaded = page.waitForEvent('framenavigated', { timeout: 60000 });
    await page.getByTestId('checkpoint-trigger').click();
    await reloaded;
    await page.getByTestId('play').waitFor();
    await waitStorageReady(page);
    // The list is read after the storage opens: wait for it rather than read it the moment the status shows.
    await until(() => storedKeys(page), (keys) => keys.includes(stored.key), { what: 'the checkpoint stored before to be listed' });
    // Whatever is listed is whole: every stored checkpoint restores.
    const listed = await storedRows(page).evaluateAll((rows) => rows.map((r) => ({ key: r.dataset.key, id: Number(r.dataset.checkpointId) })));
    assert.ok(listed.some(({ key }) => key === stored.key), 'the checkpoint stored before is listed');
    for (const ref of listed) await restoreStored(page, ref);
    await context.close();
  }
  const { context } = await launch({ profile });
  const page = await context.newPage();
  await page.goto(server.url);
  await waitStorageReady(page);
  await until(() => storedKeys(page), (keys) => keys.includes(stored.key), { what: 'the checkpoint after a browser restart' });
  await restoreStored(page, stored);
  assert.deepEqual(await counts(page), stored.held);
  await context.close();
});

test('a full storage quota is reported with what is used, nothing stored is lost, and deleting frees room', async () => {
  // A persistent profile: Chromium applies quota overrides to on-disk storage, not to in-memory contexts.
  const { context } = await launch();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console error: ${m.text()}`));
  await page.goto(server.url);
  await waitStorageReady(page);
  // Room for a few small checkpoints but not for one of 100,000 keys (~330 KB). Set before anything is
  // written: here, an override set after the origin had written was not applied to its later writes.
  const cdp = await context.newCDPSession(page);
  const usage = (await page.evaluate(() => navigator.storage.estimate())).usage;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(server.url).origin, quotaSize: usage + 100_000 });
  await onlyManualCheckpoints(page);
  await playUntil(page, 100);
  const small = await storeCheckpoint(page);
  await applySettings(page, { keys: '100000', distribution: 'sequential', 'settings-interval': '', 'settings-retained': '3' });
  await setSpeed(page, SPEED.max);
  await page.getByTestId('play').click();
  await until(() => summary(page), (s) => s.keysInState >= 100000, { what: '100,000 keys', timeout: 60000 });
  await page.getByTestId('play').click();
  // Big checkpoints until one does not fit next to what is stored (the second at the latest).
  let message;
  for (let i = 0; i < 2 && !message; i++) ({ error: message } = await storeCheckpoint(page, { allowError: true }));
  assert.match(message, /^Checkpoint \d+ was not stored: the browser's storage for this page is full \(.+ of .+ used\)\. Nothing already stored was lost\. Delete stored checkpoints/);
  assert.match(await page.getByTestId('storage-status').textContent(), /FULL: storing paused/);
  assert.ok((await storedKeys(page)).includes(small.key), 'the earlier checkpoint is still stored');
  await artifact(page, 'storage-quota');
  await restoreStored(page, small);
  assert.deepEqual(await counts(page), small.held);
  // Deleting a stored checkpoint resumes storing.
  await storedRow(page, small).getByTestId('stored-delete').click();
  await until(() => page.getByTestId('storage-status').textContent(), (t) => !t.includes('FULL'), { what: 'storing to resume' });
  assert.deepEqual(errors, []);
  await context.close();
});
