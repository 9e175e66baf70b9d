// Shared browser-test plumbing: serve the built dist/ on 127.0.0.1 and start Debian's Chromium through
// playwright-core with a fresh profile (never Playwright's own browser download).
import { createServer } from 'node:http';
import { readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, extname, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json',
};

/** Serves `dir` on a free port; resolves to { url, close }. */
export async function serve(dir) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path === '/' ? 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }) };
}

export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const launched = new Set();

/** A fresh browser profile (empty storage); returns the persistent context. */
export async function launch({ profile, viewport = { width: 1440, height: 900 } } = {}) {
  const dir = profile ?? (await mkdtemp(join(tmpdir(), 'statelab-profile-')));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    viewport,
  });
  launched.add(context);
  context.on('close', () => launched.delete(context));
  return { context, profile: dir };
}

/** Closes the browsers `launch` started that a failed test left open (each is a process of its own). */
export async function closeLaunched() {
  await Promise.all([...launched].map((context) => context.close().catch(() => {})));
}

/** One browser for a test file; each test gets its own context (fresh storage). */
export async function launchBrowser() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * A fresh page on the app, failing the test on any page error or console error.
 * Returns { page, context, errors } — `errors` collects what went wrong for the test to assert on.
 */
export async function openApp(browser, url, { viewport = { width: 1440, height: 1000 } } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  await page.goto(url);
  await page.getByTestId('play').waitFor();
  return { page, context, errors };
}

const ARTIFACTS = new URL('../artifacts/', import.meta.url);

/** Keeps a screenshot of the page as a test artifact (tests/e2e/artifacts/NAME.png). */
export async function artifact(page, name) {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(ARTIFACTS, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: new URL(`${name}.png`, ARTIFACTS).pathname, fullPage: true });
}

/** Keeps a screenshot of what the window shows right now, without scrolling (tests/e2e/artifacts/NAME.png). */
export async function viewportArtifact(page, name) {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, ARTIFACTS).pathname });
}

/**
 * Where the parts a lesson step highlights are, against the part of the window nothing covers: `band` is from
 * the bottom of the sticky header (0 where it scrolls away) to the window's bottom (or the top of a lessons
 * sheet covering it), `right` the left edge of a dock beside the page. `parts` are the highlighted elements
 * outside the header with their boxes, the one the step names first (`.lesson-focus`) first, each with
 * `current`, the box of the lines the job is on where the part shows some (the code panel's first
 * `[data-current=true]` line and the lit `.current` lines right after it: onTimer's call is several), else
 * null; `inHeader` how many are in the header.
 */
export async function highlighted(page) {
  return page.evaluate(() => {
    const header = document.querySelector('header.topbar');
    const sticky = ['sticky', 'fixed'].includes(getComputedStyle(header).position);
    const dock = document.querySelector('[data-testid=lessons-panel]')?.getBoundingClientRect();
    const band = { top: sticky ? header.getBoundingClientRect().bottom : 0, bottom: window.innerHeight };
    let right = window.innerWidth;
    if (dock && dock.left <= 1 && dock.top > 0) band.bottom = dock.top;
    else if (dock) right = dock.left;
    const all = [...document.querySelectorAll('.lesson-highlight')];
    const bars = 'header.topbar, [data-testid=timeline]';
    // What shows of an element: its box (`r`, or its own) cut by the boxes of the scrolling areas it is in (a
    // wide table scrolls sideways inside its panel).
    const shown = (el, r = el.getBoundingClientRect()) => {
      const box = { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        const style = getComputedStyle(up);
        if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
        const clip = up.getBoundingClientRect();
        if (style.overflowX !== 'visible') [box.left, box.right] = [Math.max(box.left, clip.left), Math.min(box.right, clip.right)];
        if (style.overflowY !== 'visible') [box.top, box.bottom] = [Math.max(box.top, clip.top), Math.min(box.bottom, clip.bottom)];
      }
      return box;
    };
    // The lines the job is on inside `el`: the first current line and the lit lines following it.
    const current = (el) => {
      const first = el.querySelector('[data-current=true]');
      if (!first) return null;
      let last = first;
      while (last.nextElementSibling?.classList.contains('current')) last = last.nextElementSibling;
      const [a, b] = [first.getBoundingClientRect(), last.getBoundingClientRect()];
      return shown(first, { top: a.top, bottom: b.bottom, left: Math.min(a.left, b.left), right: Math.max(a.right, b.right) });
    };
    const parts = all.filter((el) => !el.closest(bars))
      .sort((a, b) => b.classList.contains('lesson-focus') - a.classList.contains('lesson-focus'))
      .map((el) => ({ testid: el.dataset.testid, ...shown(el), current: current(el) }));
    return { band, right, parts, inHeader: all.length - parts.length };
  });
}

/** Polls `read` until `accept(value)` holds; returns the value or throws with the last one seen. */
export async function until(read, accept, { timeout = 15000, every = 100, what = 'condition' } = {}) {
  const start = Date.now();
  let last;
  while (Date.now() - start < timeout) {
    last = await read();
    if (accept(last)) return last;
    await new Promise((r) => setTimeout(r, every));
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
}

/**
 * Switches the page to a language with its switch, and waits until it shows it: the Chinese text is fetched the
 * first time (src/i18n/pack.rs).
 */
export async function switchLanguage(page, code) {
  await page.getByTestId(`lang-${code}`).click();
  await until(() => page.evaluate(() => document.documentElement.getAttribute('lang')), (lang) => lang === code,
    { what: `the page in ${code}` });
  // What the checkpoint library's worker writes follows a moment later: its panel says the language it is in.
  await until(() => page.evaluate(() => document.querySelector('[data-testid=stored-checkpoints]')?.lang),
    (lang) => lang === undefined || lang === code, { what: `the checkpoint library in ${code}` });
}

/**
 * Waits until the page has drawn `n` more animation frames: the page's engine runs once a frame, so while the job
 * plays each of them moves it on, however slow the machine is (unlike a wait of so many milliseconds).
 */
export async function animationFrames(page, n) {
  await page.evaluate((count) => new Promise((resolve) => {
    let left = count;
    const next = () => (--left <= 0 ? resolve() : requestAnimationFrame(next));
    requestAnimationFrame(next);
  }), n);
}

/** The number a `data-testid` element shows ("1,234" → 1234). */
export async function numberOf(page, testid) {
  const text = await page.getByTestId(testid).first().textContent();
  return Number(text.replace(/[^0-9-]/g, ''));
}

/** Sets a range input (the speed slider) by index. */
export async function setSpeed(page, index) {
  await page.getByTestId('speed').fill(String(index));
}

/** Speed indices of SPEEDS in src/web/simulation.rs. */
export const SPEED = { slow: 2, x0_1: 8, x1: 11, x10: 14, max: 17 };

/** Opens the settings drawer, fills `fields` (testid → value; selects by option value) and restarts the job. */
export async function applySettings(page, fields) {
  await page.getByTestId('settings-toggle').click();
  for (const [testid, value] of Object.entries(fields)) {
    const field = page.getByTestId(testid);
    if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
  await page.getByTestId('apply-settings').click();
  await page.getByTestId('apply-settings').waitFor({ state: 'detached' });
}
