// Browser tests of the savepoint tools over every snapshot StateLab knows (issue 14: "the CLI and the page open
// every kind of snapshot"): the public samples of tests/data/flink-savepoints/public and the snapshots
// tools/flink-savepoints/run.sh made of a job writing every keyed-state primitive (generated/: canonical and
// native savepoints and retained checkpoints; state in files, inline in _metadata or Snappy-compressed; state TTL;
// parallelism 1 to 4) are each given to the page in every way a person can — the folder, its files or a .zip
// dropped (through Chromium's own drag and drop), the folder chosen with the folder picker, and files whose names
// carry their folder dropped (a DataTransfer without directory entries) —, one after the other
// in one page as a person opens the next, and the page's dump ("Download dump (JSON lines)") equals what the
// Flink job wrote (`expected.jsonl`), compared as tests/flink_savepoint_reader.rs compares the CLI's. And the
// panel at a laptop's and a phone's width: what a person needs on screen when scrolled to, nothing sideways.
// Screenshots are kept in tests/e2e/artifacts/.
//
//   node --test tests/e2e/savepoint_all.test.mjs   (after `trunk build --release --features automation`)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launchBrowser, openApp, until, switchLanguage } from './lib/harness.mjs';
import { assertOnScreen, viewportShot } from './lib/checkpoints.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(root, 'dist');
const data = join(root, 'tests/data/flink-savepoints');
let server;
let browser;
let work;
/** Every snapshot: { name, dir, files: [[file name, bytes]], expected: JSON lines, folder, zip }. */
let snapshots;

/** A snapshot folder's files as Flink wrote them (without the test's expected.jsonl), sorted by name. */
async function filesOf(dir) {
  const names = (await readdir(dir)).filter((f) => f !== 'expected.jsonl').sort();
  return Promise.all(names.map(async (f) => [f, await readFile(join(dir, f))]));
}

before(async () => {
  server = await serve(dist);
  browser = await launchBrowser();
  work = await mkdtemp(join(tmpdir(), 'statelab-savepoints-'));
  const publicExpected = await readFile(join(data, 'public/expected.jsonl'), 'utf8');
  snapshots = [];
  for (const name of ['savepoint_canonical', 'savepoint_native', 'checkpoint_retained']) {
    snapshots.push({ name, dir: join(data, 'public', name), expected: publicExpected });
  }
  for (const name of (await readdir(join(data, 'generated'))).sort()) {
    const dir = join(data, 'generated', name);
    snapshots.push({ name, dir, expected: await readFile(join(dir, 'expected.jsonl'), 'utf8') });
  }
  for (const s of snapshots) {
    s.files = await filesOf(s.dir);
    // The folder as Flink left it, to drop and to choose with the folder picker.
    s.folder = join(work, 'folders', s.name);
    await mkdir(s.folder, { recursive: true });
    for (const [f] of s.files) await copyFile(join(s.dir, f), join(s.folder, f));
  }
  // A .zip of each folder as zip tools make it: deflated, under the folder's name, its directory entry first.
  execFileSync('python3', ['-c', `import sys, zipfile, os
for d in sys.argv[2:]:
    name = os.path.basename(d)
    with zipfile.ZipFile(os.path.join(sys.argv[1], name + '.zip'), 'w', zipfile.ZIP_DEFLATED) as z:
        z.write(d, name + '/')
        for f in sorted(os.listdir(d)):
            z.write(os.path.join(d, f), name + '/' + f)`, work, ...snapshots.map((s) => s.folder)]);
  for (const s of snapshots) s.zip = join(work, `${s.name}.zip`);
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

// ---- comparing dumps as tests/flink_savepoint_reader.rs does ----

/**
 * One JSON value of `text` from `at`, as canonical text: objects' keys sorted, strings re-escaped, numbers as
 * written (a Long beyond 2^53 and a double's `1.0` stay what they are), and a state TTL's `lastAccessTimestamp` —
 * a time the Flink job could not know ahead, `"?"` in its expected contents — as `"?"` once it is a time in ms
 * this century. Returns [text, next position].
 */
function canonicalAt(text, at) {
  const skip = (i) => { while (/\s/.test(text[i] ?? '')) i += 1; return i; };
  let i = skip(at);
  const c = text[i];
  if (c === '"') {
    const end = /"(?:[^"\\]|\\.)*"/y;
    end.lastIndex = i;
    const token = end.exec(text);
    if (!token) throw new Error(`a string that does not end at ${i}: ${text}`);
    return [JSON.stringify(JSON.parse(token[0])), i + token[0].length];
  }
  if (c === '{' || c === '[') {
    const object = c === '{';
    const items = [];
    i = skip(i + 1);
    if (text[i] === (object ? '}' : ']')) return [object ? '{}' : '[]', i + 1];
    for (;;) {
      let key;
      if (object) {
        [key, i] = canonicalAt(text, i);
        i = skip(i);
        if (text[i] !== ':') throw new Error(`':' expected at ${i}: ${text}`);
        i += 1;
      }
      let value;
      [value, i] = canonicalAt(text, i);
      if (key === '"lastAccessTimestamp"') {
        if (value !== '"?"') {
          const ms = Number(value);
          assert.ok(ms >= 1_600_000_000_000 && ms < 4_100_000_000_000, `a TTL timestamp in ms: ${value}`);
        }
        value = '"?"';
      }
      items.push(object ? [key, value] : value);
      i = skip(i);
      if (text[i] === ',') { i += 1; continue; }
      if (text[i] !== (object ? '}' : ']')) throw new Error(`',' or the end expected at ${i}: ${text}`);
      i += 1;
      break;
    }
    if (!object) return [`[${items.join(',')}]`, i];
    items.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return [`{${items.map(([k, v]) => `${k}:${v}`).join(',')}}`, i];
  }
  const literal = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
  literal.lastIndex = i;
  const token = literal.exec(text);
  if (!token) throw new Error(`a JSON value expected at ${i}: ${text}`);
  return [token[0], i + token[0].length];
}

/** JSON lines as sorted canonical texts (the order of entries is the snapshot's, not the job's). */
function parsed(lines) {
  return lines.split('\n').filter((l) => l.trim()).map((l) => {
    const [value, end] = canonicalAt(l, 0);
    assert.equal(l.slice(end).trim(), '', `one value on the line: ${l}`);
    return value;
  }).sort();
}

test('the canonical form keeps what a JSON parser would lose and nothing else', () => {
  assert.deepEqual(parsed('{"b":1.0,"a":[9223372036854775807,"\\u0041"]}\n\n{ "x" : {"lastAccessTimestamp":1754000000000,"userValue":-2} }'),
    ['{"a":[9223372036854775807,"A"],"b":1.0}', '{"x":{"lastAccessTimestamp":"?","userValue":-2}}']);
  assert.notDeepEqual(parsed('{"v":9223372036854775807}'), parsed('{"v":9223372036854775806}'));
  assert.notDeepEqual(parsed('{"v":1.0}'), parsed('{"v":1}'));
  assert.throws(() => parsed('{"x":{"lastAccessTimestamp":17}}'), /a TTL timestamp in ms/);
});

// ---- the page ----

/** What the savepoint panel shows now. */
function panel(page) {
  return page.getByTestId('savepoint-tools').evaluate((tools) => {
    const q = (id) => tools.querySelector(`[data-testid=${id}]`);
    const table = q('savepoint-entries');
    return {
      busy: q('savepoint-progress') !== null,
      error: q('savepoint-error')?.textContent ?? null,
      rows: [...tools.querySelectorAll('[data-testid=savepoint-summary] > div')].map((d) => d.textContent),
      dump: q('savepoint-dump') ? !q('savepoint-dump').disabled : null,
      // The table scrolls over 20 px a row.
      entries: table ? Math.round(table.firstElementChild.getBoundingClientRect().height / 20) : 0,
      shown: tools.querySelectorAll('[data-testid=savepoint-entry]').length,
    };
  });
}

/** Each page's DevTools session, for dropping files. */
const sessions = new WeakMap();

/**
 * Drops the files or folders at `paths` on the drop zone as the operating system does when a person drags them
 * there from a file manager: through Chromium's own drag and drop (DevTools' Input.dispatchDragEvent), so a
 * folder arrives as a directory entry the page walks.
 */
async function dropPaths(page, paths) {
  const zone = page.getByTestId('savepoint-drop');
  await zone.scrollIntoViewIfNeeded();
  const box = await zone.boundingBox();
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  const data = { items: [], files: paths, dragOperationsMask: 1 };
  if (!sessions.has(page)) sessions.set(page, await page.context().newCDPSession(page));
  for (const type of ['dragEnter', 'dragOver', 'drop']) {
    await sessions.get(page).send('Input.dispatchDragEvent', { type, x, y, data });
  }
}

/**
 * Drops `files` ([name, bytes]) on the drop zone as a page or an older browser hands them over: a list of files
 * whose names carry their folder (no directory entries).
 */
async function dropNamed(page, files) {
  const zone = page.getByTestId('savepoint-drop');
  await zone.scrollIntoViewIfNeeded();
  await zone.evaluate((el, list) => {
    const data = new DataTransfer();
    for (const [name, bytes] of list) data.items.add(new File([new Uint8Array(bytes)], name));
    el.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }));
  }, files.map(([name, bytes]) => [name, [...bytes]]));
}

/** A folder's name in the summary: the folder's, or its `_metadata`'s path when that is all it holds. */
const folderName = (s) => (s.files.length === 1 ? `${s.name}/_metadata` : s.name);

/**
 * The ways a person gives the page a snapshot, each with the name the summary gives it; in an order where no
 * two in a row show the same name, so that each open is told from the one before.
 */
const WAYS = [
  { way: 'its folder dropped', shown: folderName, give: (page, s) => dropPaths(page, [s.folder]) },
  { way: 'its files dropped', shown: () => '_metadata', give: (page, s) => dropPaths(page, s.files.map(([f]) => join(s.folder, f))) },
  { way: 'the folder picker', shown: folderName, give: (page, s) => page.getByTestId('savepoint-folder').setInputFiles(s.folder) },
  { way: 'a .zip dropped', shown: (s) => `${s.name}.zip`, give: (page, s) => dropPaths(page, [s.zip]) },
  { way: 'files named under their folder dropped', shown: folderName, give: (page, s) => dropNamed(page, s.files.map(([f, b]) => [`${s.name}/${f}`, b])) },
];

/** Gives the page snapshot `s` in `way` and waits until the panel shows it: read, summarised, its table filled. */
async function open(page, s, { way, shown, give }) {
  const before = (await panel(page)).rows.join('\n');
  await give(page, s);
  const first = `Flink snapshot ${shown(s)}`;
  // Not the summary of the snapshot before (the same name when both came as loose files), nor one still reading.
  const now = await until(() => panel(page), (p) => p.error !== null
    || (!p.busy && p.rows[0] === first && p.rows.join('\n') !== before && p.dump && p.shown === Math.min(24, p.entries)),
  { what: `${s.name} (${way}) open`, every: 20 });
  assert.equal(now.error, null, `${s.name} (${way})`);
  return now;
}

async function dump(page) {
  const event = page.waitForEvent('download');
  await page.getByTestId('savepoint-dump').click();
  const file = await event;
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

test('every snapshot, given in every way, dumps in the page exactly what its Flink job wrote', async () => {
  assert.equal(snapshots.length, 21, '3 public samples and 6 runs × 3 snapshots');
  for (const part of ['p1-', 'p2-', 'p3-', 'p4-', '-files-', '-inline-', '-snappy-', '-ttl-', '-canonical', '-native',
    '-checkpoint', 'savepoint_canonical', 'savepoint_native', 'checkpoint_retained']) {
    assert.ok(snapshots.some((s) => s.name.includes(part)), `a snapshot ${part}`);
  }
  const { page, context, errors } = await openApp(browser, server.url, { viewport: { width: 1280, height: 800 } });
  await page.getByTestId('savepoint-tools-open').click();
  await page.getByTestId('savepoint-drop').waitFor();
  const kinds = new Set();
  const states = new Set();
  for (const s of snapshots) {
    const want = parsed(s.expected);
    // The public samples run at parallelism 2; tools/flink-savepoints/run.sh's p3 run at max parallelism 256.
    const p = /^p(\d)-/.exec(s.name)?.[1] ?? '2';
    const max = s.name.startsWith('p3-') ? 256 : 128;
    for (const way of WAYS) {
      const what = `${s.name} (${way.way})`;
      const shownNow = await open(page, s, way);
      const kind = /^checkpoint \d+ · (canonical savepoint|native savepoint|checkpoint) (?:\(.+\) )?· metadata version 6$/.exec(shownNow.rows[1]);
      assert.ok(kind, `${what}: ${shownNow.rows[1]}`);
      kinds.add(kind[1]);
      assert.ok(shownNow.rows.some((r) => r.includes(`· parallelism ${p} · max parallelism ${max}`)), `${what}: parallelism ${p}, max ${max}`);
      assert.equal(shownNow.entries, want.length, `${what}: the table's entries`);
      const got = await dump(page);
      // Named after the snapshot (its last path part, without .zip).
      assert.equal(got.name, `${way.shown(s).split('/').pop().replace(/\.zip$/, '')}-dump.jsonl`, what);
      assert.deepEqual(parsed(got.text), want, what);
      for (const line of got.text.trim().split('\n')) states.add(JSON.parse(line).state);
    }
  }
  await viewportShot(page, 'savepoint-all-last');
  // What the runs cover, read back from the page: the three kinds and every primitive, timers and TTL.
  assert.deepEqual([...kinds].sort(), ['canonical savepoint', 'checkpoint', 'native savepoint']);
  for (const state of ['event-counter', 'value-long', 'value-int', 'value-string', 'value-double', 'value-bool',
    'value-bytes', 'list', 'map', 'reducing', 'aggregating', 'pojo', 'row', 'value-ttl', 'list-ttl', 'map-ttl',
    '_timer_state/event_user-timers', '_timer_state/processing_user-timers']) {
    assert.ok(states.has(state), `a dump with state ${state}: ${[...states]}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

// ---- the panel at a laptop's and a phone's width ----

/**
 * Scrolls `locator`'s element to the middle of the window, as a person scrolls to it, and asserts that it is
 * whole on screen: below a sticky header, inside the window's width, not covered (`assertOnScreen`).
 */
async function assertInView(page, locator, what) {
  await locator.evaluate((el) => el.scrollIntoView({ block: 'center', inline: 'nearest' }));
  await assertOnScreen(locator, what);
  const [top, header] = await locator.evaluate((el) => {
    const bar = document.querySelector('header.topbar');
    const sticky = ['sticky', 'fixed'].includes(getComputedStyle(bar).position);
    return [el.getBoundingClientRect().top, sticky ? bar.getBoundingClientRect().bottom : 0];
  });
  assert.ok(top >= header - 0.5, `${what}: under the header (${top} < ${header})`);
}

/** The entries table's box: its sideways scroll, and its head's and first row's cells (text, left, whole). */
function table(page) {
  return page.locator('.sp-table').evaluate((box) => {
    const cells = (row) => [...row.children].map((c) => ({
      text: c.textContent, left: c.getBoundingClientRect().left, right: c.getBoundingClientRect().right,
      whole: c.scrollWidth <= c.clientWidth,
    }));
    const r = box.getBoundingClientRect();
    return {
      left: r.left, right: r.right, scrollWidth: box.scrollWidth, clientWidth: box.clientWidth,
      head: cells(box.querySelector('.sp-head')),
      rows: [...box.querySelectorAll('[data-testid=savepoint-entry]')].map(cells),
    };
  });
}

for (const { width, height, phone } of [{ width: 1280, height: 800, phone: false }, { width: 390, height: 844, phone: true }]) {
  test(`at ${width}×${height} the savepoint panel shows what a person needs on screen, nothing sideways`, async () => {
    const { page, context, errors } = await openApp(browser, server.url, { viewport: { width, height } });
    const sideways = () => page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
    await assertInView(page, page.getByTestId('savepoint-tools-open'), 'the button that opens the tools');
    await page.getByTestId('savepoint-tools-open').click();
    await assertInView(page, page.getByTestId('savepoint-drop'), 'the drop zone');
    await assertInView(page, page.getByTestId('savepoint-files'), 'the file picker');
    await assertInView(page, page.getByTestId('savepoint-folder'), 'the folder picker');
    const s = snapshots.find((x) => x.name === 'p3-files-native');
    await open(page, s, WAYS.find((w) => w.way === 'the folder picker'));
    for (const lang of ['en', 'zh-CN']) {
      if (lang !== 'en') {
        await switchLanguage(page, lang);
        await until(() => page.locator('.sp-head').textContent(), (t) => t.includes('键组'), { what: 'the head in Chinese' });
      }
      await assertInView(page, page.getByTestId('savepoint-summary'), `${lang}: the summary`);
      await assertInView(page, page.getByTestId('savepoint-dump'), `${lang}: the dump button`);
      await assertInView(page, page.locator('.sp-table'), `${lang}: the entries table`);
      const t = await table(page);
      assert.ok(t.left >= 0 && t.right <= width, `${lang}: the table inside the window (${t.left}..${t.right})`);
      assert.equal(t.rows.length, 24, `${lang}: the rows in view`);
      // Every column's head word whole, and the short cells whole: the columns never narrower than these.
      for (const c of t.head) assert.ok(c.whole, `${lang}: the head's "${c.text}" cut`);
      for (const row of t.rows) {
        for (const [i, c] of row.entries()) {
          if (i < 3 || (i < 5 && c.text.length <= 8)) assert.ok(c.whole, `${lang}: the cell "${c.text}" cut`);
        }
      }
      if (phone) {
        // Narrower than the columns: the head and the rows scroll sideways together in their box, not the page.
        assert.ok(t.scrollWidth > t.clientWidth, `${lang}: the table scrolls sideways (${t.scrollWidth} in ${t.clientWidth})`);
        await viewportShot(page, `savepoint-panel-${width}-${lang}`);
        await page.locator('.sp-table').evaluate((box) => { box.scrollLeft = box.scrollWidth; });
        const end = await table(page);
        const [head, value] = [end.head[5], end.rows[0][5]];
        assert.ok(Math.abs(head.left - value.left) <= 1.5, `${lang}: the head moved with the rows (${head.left}, ${value.left})`);
        assert.ok(value.left >= 0 && value.right <= width, `${lang}: the value column in view at the end (${value.left}..${value.right})`);
        await viewportShot(page, `savepoint-panel-${width}-${lang}-scrolled`);
        await page.locator('.sp-table').evaluate((box) => { box.scrollLeft = 0; });
      } else {
        assert.ok(t.scrollWidth <= t.clientWidth, `${lang}: the table fits (${t.scrollWidth} in ${t.clientWidth})`);
        await viewportShot(page, `savepoint-panel-${width}-${lang}`);
      }
      // The first entry (on a phone: where it starts, the rest is further in the table's sideways scroll).
      const entry = page.getByTestId('savepoint-entry').first();
      await assertInView(page, phone ? entry.locator('span').first() : entry, `${lang}: the first entry`);
      await assertInView(page, page.getByTestId('savepoint-uid'), `${lang}: the uid field`);
      await assertInView(page, page.getByTestId('savepoint-export'), `${lang}: the savepoint download`);
      await assertInView(page, page.getByTestId('job-export'), `${lang}: the project export`);
      assert.equal(await sideways(), 0, `${lang}: the page scrolls sideways`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}
