// What the storage tests share: driving the job to a stored checkpoint, reading the stored list, exporting,
// reading and writing the page's IndexedDB behind its back, and checking that what a person must see is on
// screen.
import assert from 'node:assert/strict';
import { readFile, mkdir } from 'node:fs/promises';
import { crc32, inflateRawSync } from 'node:zlib';
import { until, setSpeed, SPEED } from './harness.mjs';

export const summary = (page) => page.evaluate(() => window.statelab.summary());
export const counts = (page) => page.evaluate(() => window.statelab.counts());
export const checkpointCounts = (page, id) => page.evaluate((id) => window.statelab.checkpointCounts(id), id);
export const storedRows = (page) => page.getByTestId('stored-checkpoint');
/**
 * The row of a stored checkpoint: `ref` is a checkpoint id (when only one job's checkpoints are listed) or
 * `{ key }` (the storage key, unique across jobs, whose checkpoint ids both start at 1).
 */
export const storedRow = (page, ref) => page.locator(typeof ref === 'object'
  ? `[data-testid=stored-checkpoint][data-key="${ref.key}"]`
  : `[data-testid=stored-checkpoint][data-checkpoint-id="${ref}"]`);
/** The header row of run `n` (Run 1, Run 2, …) in the stored list. */
export const storedRunOf = (page, n) => page.locator(`[data-testid=stored-run][data-run="${n}"]`);
const idOf = (ref) => (typeof ref === 'object' ? ref.id : ref);
export const storedKeys = (page) => storedRows(page).evaluateAll((rows) => rows.map((r) => r.dataset.key));

/** Stored checkpoints as the list shows them: [id, origin, keys] per row. */
export async function storedList(page) {
  return storedRows(page).evaluateAll((rows) => rows.map((r) => [
    r.dataset.checkpointId, r.querySelector('[data-testid=stored-origin]').textContent,
    r.querySelector('[data-testid=stored-entries]').textContent,
  ]));
}

/**
 * The checkpoint library's worker (`statelab-library-worker`), where browser storage is used: failures are
 * injected into its own IndexedDB objects. Waited for: the page starts it as it opens.
 */
export async function libraryWorker(page) {
  const find = () => page.workers().find((w) => w.url().includes('statelab-library-worker'));
  await until(async () => Boolean(find()), (found) => found, { what: 'the checkpoint library\'s worker' });
  return find();
}

export async function waitStorageReady(page) {
  await until(() => page.getByTestId('storage-status').textContent(), (t) => t.startsWith('IndexedDB'), { what: 'storage to open' });
}

/** Turns periodic checkpoints off, so only the ones a test triggers exist. */
export async function onlyManualCheckpoints(page) {
  await page.getByTestId('checkpoint-interval').fill('');
  await page.getByTestId('checkpoint-interval').press('Enter');
}

/**
 * Plays until `events` records were processed, then pauses. The page is brought to the front first: a tab behind
 * others gets few animation frames, and its job would crawl.
 */
export async function playUntil(page, events) {
  await page.bringToFront();
  await setSpeed(page, SPEED.x1);
  await page.getByTestId('play').click();
  await until(() => summary(page), (s) => s.recordsProcessed >= events, { what: `${events} events`, timeout: 30000 });
  await page.getByTestId('play').click();
}

/** The text of the page's error banner, which is then dismissed. */
export async function errorText(page) {
  const banner = page.getByTestId('error');
  await banner.waitFor({ timeout: 15000 });
  const text = await banner.textContent();
  await banner.getByRole('button', { name: 'dismiss' }).click();
  await banner.waitFor({ state: 'detached' });
  return text;
}

/**
 * Triggers a checkpoint, plays until it completes, pauses, and waits for the page to store it. Returns
 * `{ id, key, held }`: its id, its storage key and the counts it holds (read from the running job's retained
 * checkpoint) — or `{ error }` when the page reported that it could not store it and `allowError` is set.
 */
export async function storeCheckpoint(page, { allowError = false } = {}) {
  await page.bringToFront();
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
    return rows.find(({ key, origin }) => !before.has(key) && origin.endsWith(`job ${jobId.slice(0, 8)}`));
  };
  const row = await until(stored, (r) => r !== undefined, { what: 'the checkpoint to be stored', timeout: 30000 });
  if (row.error) return row;
  const held = await checkpointCounts(page, row.id);
  assert.ok(held && Object.keys(held).length > 0, `checkpoint ${row.id} is retained in memory`);
  return { id: row.id, key: row.key, held };
}

export async function restoreStored(page, ref, parallelism) {
  const id = idOf(ref);
  const row = storedRow(page, ref);
  if (parallelism) await row.getByTestId('stored-parallelism').selectOption(String(parallelism));
  await row.getByTestId('stored-restore').click();
  await until(() => page.getByTestId('storage-notice').textContent().catch(() => ''),
    (t) => t.startsWith(`Started a new job from checkpoint ${id}`), { what: `restore of checkpoint ${id}` });
}

export async function exportStored(page, ref) {
  const download = page.waitForEvent('download');
  await storedRow(page, ref).getByTestId('stored-export').click();
  const file = await download;
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

/** The share link of a stored checkpoint, as the page shows it under the list. */
export async function shareLink(page, ref) {
  await storedRow(page, ref).getByTestId('stored-link').click();
  await until(() => page.getByTestId('share-link').inputValue().catch(() => ''), (v) => v.includes('#checkpoint='), { what: 'the share link' });
  return page.getByTestId('share-link').inputValue();
}

/**
 * Where `locator`'s element is for a person: 'visible' when it is inside the viewport and what is drawn at its
 * middle is the element itself (not something over it), else what is wrong.
 */
export async function onScreen(locator) {
  await locator.waitFor();
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return 'has no size';
    if (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth) {
      return `outside the viewport: ${Math.round(r.top)}..${Math.round(r.bottom)} of ${innerHeight}`;
    }
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit && (hit === el || el.contains(hit)) ? 'visible' : `covered by ${hit?.outerHTML.slice(0, 120)}`;
  });
}

const ARTIFACTS = new URL('../artifacts/', import.meta.url);

/** Keeps what a person sees now (the viewport, as scrolled) as a test artifact (tests/e2e/artifacts/NAME.png). */
export async function viewportShot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, ARTIFACTS).pathname });
}

/** Asserts that `locator`'s element is on screen, not covered (see `onScreen`). */
export async function assertOnScreen(locator, what) {
  assert.equal(await onScreen(locator), 'visible', what);
}

// The page's database, read and written behind its back (as an earlier version, a crash or another tab would).

/** Keys of both object stores: `{ blobs, checkpoints }`. */
export async function rawKeys(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('statelab');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(['blobs', 'checkpoints'], 'readonly');
      const blobs = tx.objectStore('blobs').getAllKeys();
      const checkpoints = tx.objectStore('checkpoints').getAllKeys();
      tx.oncomplete = () => { db.close(); resolve({ blobs: blobs.result, checkpoints: checkpoints.result }); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    };
  }));
}

/** A metadata record as stored (its JSON text). */
export async function rawRecord(page, key) {
  return page.evaluate((key) => new Promise((resolve, reject) => {
    const open = indexedDB.open('statelab');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const get = db.transaction('checkpoints', 'readonly').objectStore('checkpoints').get(key);
      get.onsuccess = () => { db.close(); resolve(get.result); };
      get.onerror = () => { db.close(); reject(get.error); };
    };
  }), key);
}

/**
 * Writes records in one transaction: `[{ store, key, bytes }]` (a blob), `[{ store, key, value }]` (any
 * structured-cloneable value, e.g. a JSON string), or `[{ store, key, remove: true }]`.
 */
export async function rawWrite(page, records) {
  await page.evaluate((records) => new Promise((resolve, reject) => {
    const open = indexedDB.open('statelab');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(['blobs', 'checkpoints'], 'readwrite');
      for (const { store, key, bytes, value, remove } of records) {
        if (remove) tx.objectStore(store).delete(key);
        else tx.objectStore(store).put(bytes ? new Uint8Array(bytes) : value, key);
      }
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    };
  }), records.map((r) => (r.bytes ? { ...r, bytes: [...r.bytes] } : r)));
}

/**
 * A copy of a valid blob whose metadata names another producer: `producer` must have the length of the
 * original's, so every copy has the same byte length but its own bytes (and a valid checksum). The metadata
 * is stored raw (uncompressed), as readers accept it. Format version 2's metadata starts with the producer (field
 * 1, its length, its text: docs/checkpoint-format.md); version 1's is JSON.
 */
export function withProducer(blob, producer) {
  const flags = blob.readUInt16LE(10);
  const metaLength = blob.readUInt32LE(12);
  const stored = blob.subarray(28, 28 + metaLength);
  const raw = flags & 1 ? inflateRawSync(stored) : stored;
  let meta;
  if (blob.readUInt16LE(8) >= 2) {
    assert.equal(raw[0], 1, 'the producer first');
    const original = raw.subarray(2, 2 + raw[1]).toString('utf8');
    assert.equal(producer.length, original.length, `a producer as long as '${original}'`);
    meta = Buffer.concat([raw.subarray(0, 2), Buffer.from(producer, 'utf8'), raw.subarray(2 + raw[1])]);
  } else {
    const json = raw.toString('utf8');
    const original = /"producer":"([^"]*)"/.exec(json)[1];
    assert.equal(producer.length, original.length, `a producer as long as '${original}'`);
    meta = Buffer.from(json.replace(`"producer":"${original}"`, `"producer":"${producer}"`), 'utf8');
  }
  const rest = blob.subarray(28 + metaLength, blob.length - 4);
  const out = Buffer.alloc(28 + meta.length + rest.length + 4);
  blob.copy(out, 0, 0, 28);
  out.writeUInt16LE(flags & ~1, 10);
  out.writeUInt32LE(meta.length, 12);
  out.writeBigUInt64LE(BigInt(out.length), 20);
  meta.copy(out, 28);
  rest.copy(out, 28 + meta.length);
  out.writeUInt32LE(crc32(out.subarray(0, out.length - 4)), out.length - 4);
  return out;
}

/**
 * What went wrong with a command in the stored-checkpoints panel, said next to the control it was given at:
 * asserted on screen (`what` names it), then dismissed. Returns its text.
 */
export async function inlineError(page, what, { shot } = {}) {
  const shown = page.getByTestId('storage-error');
  await shown.waitFor({ timeout: 15000 });
  // Where it settles: an error under a row whose checkpoint turns out to be gone moves to the import controls.
  await until(() => onScreen(shown), (where) => where === 'visible', { what: `${what}: the error on screen` });
  if (shot) await viewportShot(page, shot);
  const text = await shown.textContent();
  await page.locator('.inline-error').getByRole('button', { name: 'dismiss' }).click();
  await shown.waitFor({ state: 'detached' });
  return text;
}

/** The link dialog's error (a link that cannot be opened): asserted on screen, then closed. Returns its text. */
export async function linkDialogError(page, what, { shot } = {}) {
  const dialog = page.getByTestId('link-dialog');
  await dialog.waitFor({ timeout: 15000 });
  const shown = dialog.getByTestId('link-error');
  await assertOnScreen(shown, `${what}: the link's error is on screen`);
  if (shot) await viewportShot(page, shot);
  const text = await shown.textContent();
  await dialog.getByTestId('link-close').click();
  await dialog.waitFor({ state: 'detached' });
  return text;
}
