// Browser tests of storage that cannot leak: what is half in the database is removed on open (and the page says
// so); a write that fails half-way leaves nothing; a new checkpoint and the ones it subsumes are written
// together; another tab's upgrade closes the database here (and it reopens), a tab of an older version blocks
// the upgrade here (and the page says so); a deletion in another tab lifts a pause on a full quota. Failures are
// injected from the test through the IndexedDB and JavaScript objects of the page and of its checkpoint
// library's worker (which writes the storage): nothing in either is there for tests.
//
//   node --test tests/e2e/        (after `trunk build --release --features automation`)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { serve, launchBrowser, openApp, until } from './lib/harness.mjs';
import {
  summary, storedRow, storedKeys, waitStorageReady, onlyManualCheckpoints, playUntil, storeCheckpoint, assertOnScreen,
  viewportShot, rawKeys, rawRecord, rawWrite, libraryWorker,
} from './lib/checkpoints.mjs';

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

const status = (page) => page.getByTestId('storage-status').textContent();

/** A page of the app's origin that is not the app (the test server answers 404): a stand-in for another tab. */
async function bareTab(context) {
  const tab = await context.newPage();
  await tab.goto(new URL('no-such-page', server.url).href);
  return tab;
}

/** Scrolls the stored-checkpoints panel into view, as a person looking for their checkpoints would. */
async function showStoredPanel(page) {
  await page.getByTestId('stored-checkpoints').scrollIntoViewIfNeeded();
}

test('opening removes blobs without a record, records without a blob and records that do not read, and says so', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await waitStorageReady(page);
  await onlyManualCheckpoints(page);
  await playUntil(page, 150);
  const { key } = await storeCheckpoint(page);
  const record = JSON.parse(await rawRecord(page, key));
  await rawWrite(page, [
    // A blob without its record.
    { store: 'blobs', key: 'orphan/00000000000000000001', bytes: Buffer.from([1, 2, 3]) },
    // A record without its blob.
    { store: 'checkpoints', key: 'lonely/00000000000000000001', value: JSON.stringify({ ...record, key: 'lonely/00000000000000000001' }) },
    // A record that is not JSON, beside its blob.
    { store: 'blobs', key: 'garbage/00000000000000000001', bytes: Buffer.from([4, 5, 6]) },
    { store: 'checkpoints', key: 'garbage/00000000000000000001', value: '{"key": "garbage/0' },
    // A record that is not even text.
    { store: 'checkpoints', key: 'object/00000000000000000001', value: { checkpointId: 3 } },
  ]);
  await page.reload();
  await page.getByTestId('play').waitFor();
  await waitStorageReady(page);
  const notice = page.getByTestId('storage-notice');
  await until(() => notice.textContent().catch(() => ''), (t) => t.startsWith('Removed'), { what: 'the notice of what was removed' });
  assert.match(await notice.textContent(), /^Removed 4 damaged stored checkpoints \(a blob without its description, a description without its blob, or a record that could not be read\)\. Everything else is as it was\.$/);
  await showStoredPanel(page);
  await assertOnScreen(notice, 'the notice of what was removed');
  await viewportShot(page, 'storage-swept');
  assert.deepEqual(await rawKeys(page), { blobs: [key], checkpoints: [key] });
  assert.deepEqual(await storedKeys(page), [key]);
  // Nothing left to remove: the next open says nothing.
  await page.reload();
  await page.getByTestId('play').waitFor();
  await waitStorageReady(page);
  assert.equal(await page.getByTestId('storage-notice').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a write that fails half-way is aborted: no blob without its record is left', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await waitStorageReady(page);
  await onlyManualCheckpoints(page);
  await playUntil(page, 150);
  // The record's put fails after the blob's was queued in the same transaction.
  const worker = await libraryWorker(page);
  await worker.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args) {
      if (self.__failRecordPut && this.name === 'checkpoints') throw new DOMException('injected by the test', 'DataError');
      return put.apply(this, args);
    };
    self.__failRecordPut = true;
  });
  const { error } = await storeCheckpoint(page, { allowError: true });
  assert.match(error, /^Checkpoint \d+ was not stored: the browser's storage failed \(DataError: injected by the test\)/);
  assert.deepEqual(await rawKeys(page), { blobs: [], checkpoints: [] }, 'nothing of the failed write is stored');
  // The page goes on storing once writes succeed again.
  await worker.evaluate(() => { self.__failRecordPut = false; });
  await playUntil(page, (await summary(page)).recordsProcessed + 50);
  const { key } = await storeCheckpoint(page);
  assert.deepEqual(await rawKeys(page), { blobs: [key], checkpoints: [key] });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a new checkpoint and the ones it subsumes are written in one transaction: a failed removal stores nothing', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await waitStorageReady(page);
  await onlyManualCheckpoints(page);
  await playUntil(page, 150);
  const first = await storeCheckpoint(page);
  // One checkpoint retained (the default): storing the next one removes the first, and that removal fails.
  const worker = await libraryWorker(page);
  await worker.evaluate(() => {
    const remove = IDBObjectStore.prototype.delete;
    IDBObjectStore.prototype.delete = function (...args) {
      if (self.__failDelete) throw new DOMException('injected by the test', 'UnknownError');
      return remove.apply(this, args);
    };
    self.__failDelete = true;
  });
  await playUntil(page, (await summary(page)).recordsProcessed + 50);
  const { error } = await storeCheckpoint(page, { allowError: true });
  assert.match(error, /^Checkpoint \d+ was not stored: /);
  assert.deepEqual(await rawKeys(page), { blobs: [first.key], checkpoints: [first.key] },
    'never more checkpoints of a job than it retains, and never the new one without its record');
  await worker.evaluate(() => { self.__failDelete = false; });
  await playUntil(page, (await summary(page)).recordsProcessed + 50);
  const third = await storeCheckpoint(page);
  assert.deepEqual(await rawKeys(page), { blobs: [third.key], checkpoints: [third.key] }, 'stored, and the first one removed');
  assert.deepEqual(errors, []);
  await context.close();
});

test('another tab upgrading the database closes it here, says so, and it reopens', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await waitStorageReady(page);
  await onlyManualCheckpoints(page);
  await playUntil(page, 150);
  const { key } = await storeCheckpoint(page);
  // Another tab asks for a newer version (and gives up on it: this is a test, not a newer StateLab).
  const other = await bareTab(context);
  const upgrade = other.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open('statelab', 1000);
    open.onupgradeneeded = () => open.transaction.abort();
    open.onerror = () => resolve(open.error.name);
    open.onsuccess = () => { open.result.close(); resolve('opened'); };
  }));
  await until(() => status(page), (t) => t.startsWith('closed: another tab asked to upgrade or delete'), { what: 'the page to let go' });
  assert.equal(await upgrade, 'AbortError', 'the other tab was not kept waiting');
  // In front again (a tab behind others gets few animation frames: the job would crawl).
  await page.bringToFront();
  await showStoredPanel(page);
  await assertOnScreen(page.getByTestId('storage-status'), 'the closed storage');
  await assertOnScreen(page.getByTestId('storage-reopen'), 'the reopen button');
  await viewportShot(page, 'storage-closed-by-another-tab');
  // Reopened, it lists and stores again.
  await page.getByTestId('storage-reopen').click();
  await waitStorageReady(page);
  await until(() => storedKeys(page), (k) => k.includes(key), { what: 'the list after reopening' });
  await playUntil(page, (await summary(page)).recordsProcessed + 50);
  const next = await storeCheckpoint(page);
  assert.deepEqual(await rawKeys(page), { blobs: [next.key], checkpoints: [next.key] });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a tab holding the database at an older version blocks the upgrade: the page says so, and opens once it closes', async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  // An older StateLab's tab: version 1, which does not let go when asked.
  const old = await bareTab(context);
  await old.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('statelab', 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore('blobs');
      open.result.createObjectStore('checkpoints');
    };
    open.onsuccess = () => { window.__db = open.result; resolve(); };
    open.onerror = () => reject(open.error);
  }));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  await page.goto(server.url);
  await page.getByTestId('play').waitFor();
  await until(() => status(page), (t) => t.startsWith('waiting: a tab with an older StateLab holds the stored checkpoints open'), { what: 'the blocked upgrade' });
  await showStoredPanel(page);
  await assertOnScreen(page.getByTestId('storage-status'), 'the blocked storage');
  await viewportShot(page, 'storage-blocked');
  await old.evaluate(() => window.__db.close());
  await page.bringToFront();
  await waitStorageReady(page);
  await onlyManualCheckpoints(page);
  await playUntil(page, 100);
  const { key } = await storeCheckpoint(page);
  assert.deepEqual(await rawKeys(page), { blobs: [key], checkpoints: [key] });
  assert.deepEqual(errors, []);
  await context.close();
});

test('storing paused on a full quota resumes when another tab deletes a checkpoint', async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const [a, b] = [await context.newPage(), await context.newPage()];
  const errors = [];
  for (const page of [a, b]) {
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    await page.goto(server.url);
    await page.getByTestId('play').waitFor();
    await waitStorageReady(page);
    await onlyManualCheckpoints(page);
  }
  // The tab driven is brought to the front: a tab behind others gets few animation frames.
  await b.bringToFront();
  await playUntil(b, 100);
  const fromB = await storeCheckpoint(b);
  // Tab A's writes fail as a full quota makes them fail: the transaction aborts with QuotaExceededError.
  const worker = await libraryWorker(a);
  await worker.evaluate(() => {
    const commit = IDBTransaction.prototype.commit;
    IDBTransaction.prototype.commit = function () {
      if (!self.__full) return commit.call(this);
      Object.defineProperty(this, 'error', { value: new DOMException('injected by the test', 'QuotaExceededError') });
      return this.abort();
    };
    self.__full = true;
  });
  await a.bringToFront();
  await playUntil(a, 120);
  const { error } = await storeCheckpoint(a, { allowError: true });
  assert.match(error, /^Checkpoint \d+ was not stored: the browser's storage for this page is full/);
  await until(() => status(a), (t) => t.includes('FULL: storing paused'), { what: 'storing paused' });
  // Room is made in tab B.
  await worker.evaluate(() => { self.__full = false; });
  await b.bringToFront();
  await storedRow(b, { key: fromB.key }).getByTestId('stored-delete').click();
  await until(() => status(a), (t) => !t.includes('FULL'), { what: 'storing to resume in tab A' });
  await a.bringToFront();
  await playUntil(a, (await summary(a)).recordsProcessed + 50);
  const stored = await storeCheckpoint(a);
  assert.deepEqual(await rawKeys(a), { blobs: [stored.key], checkpoints: [stored.key] });
  assert.deepEqual(errors, []);
  await context.close();
});
