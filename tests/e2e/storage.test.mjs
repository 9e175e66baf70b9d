// Browser tests of checkpoints that outlive the tab: IndexedDB across reloads and browser restarts, files and
// links between fresh browser profiles, bad blobs that must change nothing, restores at another parallelism,
// two tabs on one storage, and a full quota. Counts are compared with what the checkpoint held, read through
// `window.statelab.checkpointCounts(id)` before the checkpoint left the page.
//
//   node --test tests/e2e/        (after `trunk build --release`)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch, closeLaunched, launchBrowser, openApp, artifact, until, setSpeed, applySettings, SPEED } from './lib/harness.mjs';

const dist = fileURLToPath(new URL('../../dist', import.meta.url));
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

const summary = (page) => page.evaluate(() => window.statelab.summary());
const counts = (page) => page.evaluate(() => window.statelab.counts());
const checkpointCounts = (page, id) => page.evaluate((id) => window.statelab.checkpointCounts(id), id);
const storedRows = (page) => page.getByTestId('stored-checkpoint');
/**
 * The row of a stored checkpoint: `ref` is a checkpoint id (when only one job's checkpoints are listed) or
 * `{ key }` (the storage key, unique across jobs, whose checkpoint ids both start at 1).
 */
const storedRow = (page, ref) => page.locator(typeof ref === 'object'
  ? `[data-testid=stored-checkpoint][data-key="${ref.key}"]`
  : `[data-testid=stored-checkpoint][data-checkpoint-id="${ref}"]`);
const idOf = (ref) => (typeof ref === 'object' ? ref.id : ref);
const storedKeys = (page) => storedRows(page).evaluateAll((rows) => rows.map((r) => r.dataset.key));

/** Stored checkpoints as the list shows them: [id, origin, keys] per row. */
async function storedList(page) {
  return storedRows(page).evaluateAll((rows) => rows.map((r) => [
    r.dataset.checkpointId, r.querySelector('[data-testid=stored-origin]').textContent,
    r.querySelector('[data-testid=stored-entries]').textContent,
  ]));
}

async function waitStorageReady(page) {
  await until(() => page.getByTestId('storage-status').textContent(), (t) => t.startsWith('IndexedDB'), { what: 'storage to open' });
}

/** Turns periodic checkpoints off, so only the ones a test triggers exist. */
async function onlyManualCheckpoints(page) {
  await page.getByTestId('checkpoint-interval').fill('');
  await page.getByTestId('checkpoint-interval').press('Enter');
}

/** Plays until `events` records were processed, then pauses. */
async function playUntil(page, events) {
  await setSpeed(page, SPEED.x1);
  await page.getByTestId('play').click();
  await until(() => summary(page), (s) => s.recordsProcessed >= events, { what: `${events} events`, timeout: 30000 });
  await page.getByTestId('play').click();
}

/**
 * Triggers a checkpoint, plays until it completes, pauses, and waits for the page to store it. Returns
 * `{ id, key, held }`: its id, its storage key and the counts it holds (read from the running job's retained
 * checkpoint) — or `{ error }` when the page reported that it could not store it and `allowError` is set.
 */
async function storeCheckpoint(page, { allowError = false } = {}) {
  const { jobId, checkpointsCompleted } = await summary(page);
  const before = new Set(await storedKeys(page));
  await page.getByTestId('checkpoint-trigger').click();
  await setSpeed(page, SPEED.x0_1);
  await page.getByTestId('play').click();
  await until(() => summary(page), (s) => s.checkpointsCompleted > checkpointsCompleted,
    { what: 'the checkpoint to complete', timeout: 30000 });
  await page.getByTestId('play').click();
  const stored = async () => {
    if (allowError && (await page.getByTestId('error').count()) > 0) return { error: await errorText(page) };
    const rows = await storedRows(page).evaluateAll((rows) => rows.map((r) => ({
      key: r.dataset.key, id: Number(r.dataset.checkpointId), origin: r.querySelector('[data-testid=stored-origin]').textContent,
    })));
    return rows.find(({ key, origin }) => !before.has(key) && origin.startsWith(`job ${jobId.slice(0, 8)}`));
  };
  const row = await until(stored, (r) => r !== undefined, { what: 'the checkpoint to be stored', timeout: 30000 });
  if (row.error) return row;
  const held = await checkpointCounts(page, row.id);
  assert.ok(held && Object.keys(held).length > 0, `checkpoint ${row.id} is retained in memory`);
  return { id: row.id, key: row.key, held };
}

async function restoreStored(page, ref, parallelism) {
  const id = idOf(ref);
  const row = storedRow(page, ref);
  if (parallelism) await row.getByTestId('stored-parallelism').selectOption(String(parallelism));
  await row.getByTestId('stored-restore').click();
  await until(() => page.getByTestId('storage-notice').textContent().catch(() => ''),
    (t) => t.startsWith(`Started a new job from checkpoint ${id}`), { what: `restore of checkpoint ${id}` });
}

async function exportStored(page, ref) {
  const download = page.waitForEvent('download');
  await storedRow(page, ref).getByTestId('stored-export').click();
  const file = await download;
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

async function errorText(page) {
  const banner = page.getByTestId('error');
  await banner.waitFor({ timeout: 15000 });
  const text = await banner.textContent();
  await banner.getByRole('button', { name: 'dismiss' }).click();
  await banner.waitFor({ state: 'detached' });
  return text;
}

test('checkpoints are kept across a reload and restore exactly the counts they held', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await waitStorageReady(page);
  await onlyManualCheckpoints(page);
  await playUntil(page, 300);
  const { id, held } = await storeCheckpoint(page);
  const keys = Object.keys(held).length;
  assert.deepEqual(await storedList(page), [[String(id), `job ${(await summary(page)).jobId.slice(0, 8)} (running)`, String(keys)]]);
  // The job goes on past the checkpoint, so its state differs from the checkpoint's when the page reloads.
  await playUntil(page, (await summary(page)).recordsProcessed + 100);

  await page.reload();
  await page.getByTestId('play').waitFor();
  await waitStorageReady(page);
  await until(() => storedList(page), (l) => l.length === 1, { what: 'the stored checkpoint after the reload' });
  const [[listedId, origin, entries]] = await storedList(page);
  assert.equal(listedId, String(id));
  assert.match(origin, /^job [0-9a-f]{8}$/, 'a job of an earlier page, not the running one');
  assert.equal(entries, String(keys));
  // Its job configuration is shown with it.
  await storedRow(page, id).getByRole('button', { name: '▸' }).click();
  assert.match(await page.getByTestId('stored-job').textContent(), /1,000 String keys, Zipf s=1 · 1,000\/s from 2 source subtasks · checkpoints on demand/);
  assert.equal((await summary(page)).recordsProcessed, 0, 'the reloaded page starts a new job');

  await restoreStored(page, id);
  assert.deepEqual(await counts(page), held);
  assert.equal((await summary(page)).keysInState, keys);
  assert.match(await page.getByTestId('job-graph').textContent(), /EventCounterProcessFunction \(2\/2\)/);
  await artifact(page, 'storage-reload-restore');
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
    assert.deepEqual(await storedList(page2), [[String(id), `file ${file.name}`, String(Object.keys(held).length)]]);
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

test('a dropped file in a fresh context imports and restores', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await waitStorageReady(page);
  await onlyManualCheckpoints(page);
  await playUntil(page, 150);
  const { id, held } = await storeCheckpoint(page);
  const file = await exportStored(page, id);
  await context.close();

  const other = await openApp(browser, server.url);
  await waitStorageReady(other.page);
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
  const newer = Buffer.from(good); newer.writeUInt16LE(2, 8);
  const enormous = Buffer.from(good); enormous.writeBigUInt64LE(0xffffffffffffffffn, 20);
  const random = Buffer.alloc(4096); for (let i = 0; i < random.length; i++) random[i] = (i * 7919 + 13) % 251;
  return [
    ['truncated.slcp', good.subarray(0, Math.floor(good.length * 0.6)), /truncated/],
    ['flipped.slcp', flip, /corrupted: its checksum does not match/],
    ['zip.slcp', magic, /not a StateLab checkpoint/],
    ['newer.slcp', newer, /written by a newer StateLab \(format version 2\)/],
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
  await storedRow(page, id).getByTestId('stored-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  await playUntil(page, (await summary(page)).recordsProcessed + 50);
  const state = { counts: await counts(page), summary: await summary(page), stored: await storedList(page) };
  const unchanged = async (what) => {
    assert.deepEqual(await counts(page), state.counts, `${what}: counts changed`);
    assert.deepEqual(await summary(page), state.summary, `${what}: the job changed`);
    assert.deepEqual(await storedList(page), state.stored, `${what}: stored checkpoints changed`);
  };

  for (const [name, bytes, message] of corruptions(good)) {
    await page.getByTestId('import-file').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: bytes });
    const text = await errorText(page);
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
    const shown = await errorText(page);
    assert.match(shown, /^Could not import the checkpoint from the link: /, shown);
    assert.match(shown, message, shown);
    await unchanged(text.slice(0, 60));
  }
  await artifact(page, 'storage-bad-blobs');

  // Opening the page with a damaged link: the error shows, the stored checkpoints are untouched.
  const opened = await context.newPage();
  await opened.goto(`${base}#checkpoint=${encoded.slice(0, 100)}AAAA${encoded.slice(104)}`);
  await opened.getByTestId('play').waitFor();
  assert.match(await errorText(opened), /Could not import the checkpoint from the link: .*(corrupted|malformed)/);
  assert.deepEqual(await storedList(opened), state.stored.map(([i, o, e]) => [i, o.replace(' (running)', ''), e]));
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
  assert.ok(row[1].endsWith('(running)'));
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
  await until(() => other.page.getByTestId('storage-notice').textContent().catch(() => ''),
    (t) => t.startsWith(`Started a new job from checkpoint ${id} (link)`), { what: 'the link to be opened' });
  assert.deepEqual(await counts(other.page), held);
  assert.deepEqual(await storedList(other.page), [[String(id), 'link', String(Object.keys(held).length)]]);
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
  assert.match(await errorText(page), /too large for a link .* export it as a file instead/);
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
    const origins = (await storedList(page)).map(([, o]) => o.replace(' (running)', '')).sort();
    assert.deepEqual(origins, [`job ${jobA}`, `job ${jobB}`].sort());
  }
  // With one retained checkpoint, tab A's next checkpoint replaces its first; tab B's stays.
  await playUntil(a, (await summary(a)).recordsProcessed + 50);
  const nextA = await storeCheckpoint(a);
  await until(() => storedList(b), (l) => l.length === 2 && l.some(([i]) => i === String(nextA.id)), { what: 'tab A\'s newer checkpoint in tab B' });
  const ids = (await storedList(b)).map(([i, o]) => [o.replace(' (running)', ''), i]).sort();
  assert.deepEqual(ids, [[`job ${jobA}`, String(nextA.id)], [`job ${jobB}`, String(fromB.id)]].sort());
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
    await page.evaluate(() => {
      const status = document.querySelector('[data-testid=storage-status]');
      new MutationObserver(() => {
        if (status.textContent.includes('storing checkpoint')) location.reload();
      }).observe(status, { childList: true, characterData: true, subtree: true });
    });
    const reloaded = page.waitForEvent('framenavigated', { timeout: 60000 });
    await page.getByTestId('checkpoint-trigger').click();
    await reloaded;
    await page.getByTestId('play').waitFor();
    await waitStorageReady(page);
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
