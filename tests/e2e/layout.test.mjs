// The page's layout holds: the header keeps its rows and every button its place whatever the job's status says
// (RUNNING, or RESTARTING with its countdown), in both languages, at the laptop sizes of the course rooms with the
// lessons dock open or closed; on a phone the header scrolls away with the page, nothing makes the page scroll
// sideways, the lessons dock is a bottom sheet with the part a step talks about above it, and canvases are drawn at
// their panel's width. Text is whole where it is: the heap chart's axis and caption apart, a subtask's
// asynchronous-phase progress inside its box, the values inline in the code and the debugger view, every symbol in
// a font the browser has. Screenshots are kept as artifacts.
//
//   node --test tests/e2e/        (after `trunk build --release --features automation`)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { serve, launchBrowser, openApp, artifact, viewportArtifact, until, applySettings, switchLanguage } from './lib/harness.mjs';
import { walkLesson } from './lib/lessons.mjs';

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

const summary = (page) => page.evaluate(() => window.statelab.summary());

/** Where the header's controls are: its height and the box of each button a hand goes for. */
async function header(page) {
  return page.evaluate(() => {
    const box = (id) => {
      const r = document.querySelector(`[data-testid=${id}]`).getBoundingClientRect();
      return [Math.round(r.x), Math.round(r.y), Math.round(r.width)];
    };
    return {
      height: Math.round(document.querySelector('header.topbar').getBoundingClientRect().height),
      buttons: ['play', 'step', 'reset', 'checkpoint-trigger', 'fail', 'send-key', 'settings-toggle', 'help-toggle'].map(box),
    };
  });
}

for (const width of [1440, 1280]) {
  for (const dock of [false, true]) {
    test(`at ${width} px with the lessons dock ${dock ? 'open' : 'closed'}, the header holds still through a restart, in both languages`, async () => {
      const { page, context, errors } = await openApp(browser, server.url, { viewport: { width, height: 900 } });
      if (dock) {
        await page.getByTestId('lessons-toggle').click();
        await page.getByTestId('lessons-panel').waitFor();
      }
      for (const lang of ['en', 'zh-CN']) {
        await switchLanguage(page, lang);
        const running = await header(page);
        assert.ok(running.height <= 90, `${lang}: at most two rows (${running.height} px)`);
        // Everything in the header is inside the page's width (nothing cut off under the dock).
        const right = await page.evaluate(() => document.querySelector('header.topbar').getBoundingClientRect().right);
        for (const [x, , w] of running.buttons) assert.ok(x + w <= right + 1, `${lang}: a button past the header's edge`);
        // A failure while paused: the job waits RESTARTING, the countdown in the status.
        await page.getByTestId('fail').click();
        await until(() => summary(page), (s) => s.status === 'Restarting', { what: 'RESTARTING' });
        await until(() => page.getByTestId('job-status').textContent(), (t) => /RESTARTING ./.test(t), { what: 'the countdown' });
        const restarting = await header(page);
        assert.deepEqual(restarting, running, `${lang}: the header moved when the status changed`);
        await artifact(page, `header-${width}${dock ? '-dock' : ''}-${lang}`);
        await page.getByTestId('reset').click();
        await until(() => summary(page), (s) => s.status === 'Running', { what: 'a fresh job' });
      }
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
}

test('on a phone the header scrolls away with the page, leaving the screen to the job', async () => {
  const { page, context, errors } = await openApp(browser, server.url, { viewport: { width: 390, height: 844 } });
  const { height } = await header(page);
  assert.ok(height < 844 / 3, `the header takes ${height} px of 844`);
  await page.evaluate(() => window.scrollTo(0, 600));
  const top = await page.evaluate(() => document.querySelector('header.topbar').getBoundingClientRect().bottom);
  assert.ok(top <= 0, 'scrolled away');
  await artifact(page, 'header-phone');
  assert.deepEqual(errors, []);
  await context.close();
});

test('Escape closes what is on top: the help, then the lessons dock and its highlights', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await page.getByTestId('lessons-toggle').click();
  await page.getByTestId('lesson-value-state').getByTestId('lesson-start').click();
  await until(() => page.locator('.lesson-highlight').count(), (n) => n > 0, { what: 'the lesson to highlight its panels' });
  await page.getByTestId('help-toggle').click();
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('lessons-panel').count(), 1, 'the first Escape closes the help only');
  await page.locator('body').click({ position: { x: 5, y: 400 } });
  await page.keyboard.press('Escape');
  await until(() => page.getByTestId('lessons-panel').count(), (n) => n === 0, { what: 'the dock to close' });
  assert.equal(await page.locator('.lesson-highlight').count(), 0, 'no highlight ring without the dock');
  // The lesson is where it was when the dock opens again.
  await page.getByTestId('lessons-toggle').click();
  await until(() => page.locator('.lesson-highlight').count(), (n) => n > 0, { what: 'the highlights back' });
  assert.deepEqual(errors, []);
  await context.close();
});

test("a panel heading's glossary tip explains the heading's own term, in both languages", async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  for (const lang of ['en', 'zh-CN']) {
    await switchLanguage(page, lang);
    const pairs = await page.locator('h2 [data-testid=term]').evaluateAll((terms) => terms.map((t) => [
      [...t.childNodes].filter((n) => !(n instanceof Element && n.classList.contains('term-tip'))).map((n) => n.textContent).join('').trim(),
      t.querySelector('.term-tip strong').textContent.trim(),
    ]));
    assert.ok(pairs.length >= 4, `${lang}: headings with a term`);
    const norm = (s) => s.toLowerCase().replace(/[\s·"]/g, '');
    for (const [heading, term] of pairs) {
      assert.ok(norm(heading).includes(norm(term)), `${lang}: the heading "${heading}" explains "${term}"`);
    }
  }
  assert.deepEqual(errors, []);
  await context.close();
});

for (const width of [1440, 1280]) {
  test(`at ${width} px with the lessons dock open, a key group's bucket grid keeps its width`, async () => {
    const { page, context, errors } = await openApp(browser, server.url, { viewport: { width, height: 900 } });
    await page.getByTestId('lessons-toggle').click();
    await page.getByTestId('lessons-panel').waitFor();
    await page.getByTestId('send-key').fill('user-1');
    await page.getByTestId('send-key').press('Enter');
    // Open the key group of user-1 (121) from the state table's cell.
    await page.getByTestId('follow-key').fill('user-1');
    await page.getByTestId('trace-open-map').click();
    const grid = page.getByTestId('keygroup-map').locator('.tables canvas').first();
    await grid.waitFor();
    const box = await grid.boundingBox();
    assert.ok(box.width >= 200, `the bucket grid is ${box.width} px wide`);
    await artifact(page, `bucket-grid-${width}-dock`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('the dark theme paints the canvases dark: an empty key group is a dark cell, not a white one', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  const firstCell = () => page.evaluate(() => {
    const canvas = document.querySelector('[data-testid=state-table] canvas');
    const [r, g, b] = canvas.getContext('2d').getImageData(1, 1, 1, 1).data;
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  });
  assert.ok((await firstCell()) > 0.8, 'light theme: a pale cell');
  await page.locator('.topbar button.ghost', { hasText: '☾' }).click();
  await until(firstCell, (l) => l < 0.25, { what: 'a dark cell in the dark theme' });
  await artifact(page, 'dark-theme');
  assert.deepEqual(errors, []);
  await context.close();
});

for (const width of [1440, 1280]) {
  test(`at ${width} px every column of the checkpoint table, alignment and copy-on-write copies included, is in view`, async () => {
    const { page, context, errors } = await openApp(browser, server.url, { viewport: { width, height: 900 } });
    await page.getByTestId('checkpoint-trigger').click();
    await page.getByTestId('play').click();
    await until(() => summary(page), (s) => s.checkpointsCompleted >= 1, { what: 'a checkpoint', timeout: 60000 });
    await page.getByTestId('play').click();
    const scroll = page.getByTestId('checkpoint-list').locator('xpath=..');
    const [scrollWidth, clientWidth] = await scroll.evaluate((e) => [e.scrollWidth, e.clientWidth]);
    assert.ok(scrollWidth <= clientWidth, `the table is ${scrollWidth} px wide in ${clientWidth} px`);
    await artifact(page, `checkpoint-table-${width}`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

const PHONE = { width: 390, height: 844 };
const LESSONS = ['value-state', 'key-groups', 'state-map', 'heap', 'checkpoints', 'recovery', 'rescale',
  'state-primitives', 'map-state', 'state-ttl', 'timers', 'object-reuse'];

/** How far the page scrolls sideways (0: nothing on it is wider than the window). */
const sideways = (page) => page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
/** What runs past the window's right edge (the outermost such elements), to say what widens the page. */
const pastTheEdge = (page) => page.evaluate(() => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && e.parentElement.getBoundingClientRect().right <= window.innerWidth + 0.5)
  .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} ${e.textContent.slice(0, 40)}`));

/** Whether two boxes ({x, y, width, height}) share any area. */
const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

test('on a phone nothing scrolls the page sideways, and every lesson step shows its text and the part it talks about together', async () => {
  const { page, context, errors } = await openApp(browser, server.url, { viewport: PHONE });
  assert.equal(await sideways(page), 0, 'without the dock');
  await artifact(page, 'phone');
  const everyStep = async (shown, what) => {
    assert.equal(await sideways(page), 0, `${what}: the page scrolls sideways: ${await pastTheEdge(page)}`);
    // The dock is a sheet over the bottom of the window, at most 40 % of it, and the part the step talks about is
    // above it (walkLesson checks that part against the band above the sheet).
    const sheet = await page.getByTestId('lessons-panel').boundingBox();
    assert.ok(sheet.height <= 0.4 * PHONE.height + 1, `${what}: the sheet is ${sheet.height} px high`);
    assert.ok(Math.abs(sheet.y + sheet.height - PHONE.height) <= 1, `${what}: the sheet is at the bottom`);
    assert.ok(Math.abs(shown.band.bottom - sheet.y) <= 1, `${what}: the highlighted part is measured above the sheet`);
  };
  // A new step shows its text from the top, even when the sheet was scrolled down to the buttons of the last one.
  const stepStarted = (what) => until(async () => [await page.getByTestId('lessons-panel').boundingBox(), await page.getByTestId('lesson-text').boundingBox()],
    ([sheet, text]) => text.y >= sheet.y && text.y + 20 <= PHONE.height, { what: `${what}: its text in the sheet` });
  for (const id of LESSONS) await walkLesson(page, id, {}, { name: `phone-lesson-${id}`, everyStep, stepStarted });
  await page.getByTestId('lessons-panel').getByRole('button', { name: 'close' }).click();
  await page.getByTestId('lessons-panel').waitFor({ state: 'detached' });
  assert.equal(await sideways(page), 0, 'after the lessons, without the dock');
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a phone the lessons sheet scrolls within 40 % of the window and lowers to its tabs, in both languages', async () => {
  const { page, context, errors } = await openApp(browser, server.url, { viewport: PHONE });
  await page.getByTestId('lessons-toggle').click();
  await page.getByTestId('lesson-value-state').getByTestId('lesson-start').click();
  const sheet = page.getByTestId('lessons-panel');
  for (const lang of ['en', 'zh-CN']) {
    await switchLanguage(page, lang);
    const open = await sheet.boundingBox();
    assert.ok(open.height <= 0.4 * PHONE.height + 1, `${lang}: ${open.height} px high`);
    assert.equal(await sheet.evaluate((e) => getComputedStyle(e).overflowY), 'auto', `${lang}: the sheet scrolls`);
    // The English step is longer than the sheet: it scrolls rather than grows.
    if (lang === 'en') assert.ok(await sheet.evaluate((e) => e.scrollHeight > e.clientHeight), 'more than the sheet holds');
    const collapse = page.getByTestId('lessons-collapse');
    assert.equal(await collapse.getAttribute('aria-expanded'), 'true');
    await collapse.click();
    const lowered = await until(() => sheet.boundingBox(), (b) => b.height < 70, { what: `${lang}: the sheet lowered` });
    assert.ok(Math.abs(lowered.y + lowered.height - PHONE.height) <= 1, `${lang}: lowered to the bottom edge`);
    assert.equal(await page.getByTestId('lesson-text').isVisible(), false, `${lang}: the text hidden`);
    assert.equal(await collapse.getAttribute('aria-expanded'), 'false');
    assert.ok((await collapse.getAttribute('title')).length > 3, `${lang}: the button says what it does`);
    assert.equal(await sideways(page), 0);
    await viewportArtifact(page, `phone-sheet-lowered-${lang}`);
    await collapse.click();
    await until(() => sheet.boundingBox(), (b) => Math.abs(b.height - open.height) <= 1, { what: `${lang}: the sheet raised` });
    assert.ok(await page.getByTestId('lesson-text').isVisible(), `${lang}: the text back`);
    await viewportArtifact(page, `phone-sheet-${lang}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

/**
 * Every canvas against its panel: inside it, and drawn at the size it shows (its bitmap's width is its CSS width
 * × devicePixelRatio: drawn for that width, not squeezed into it).
 */
const canvases = (page) => page.evaluate(() => [...document.querySelectorAll('main canvas')].map((c) => {
  const r = c.getBoundingClientRect();
  const panel = c.closest('.panel').getBoundingClientRect();
  return {
    where: c.closest('[data-testid]')?.dataset.testid,
    width: r.width,
    inside: r.width > 0 && r.left >= panel.left - 0.5 && r.right <= panel.right + 0.5,
    drawnAt: Math.abs(c.width / window.devicePixelRatio - r.width) <= 1,
  };
}));
const allFit = (list) => list.length >= 4 && list.every((c) => c.inside && c.drawnAt);

test('canvases are drawn at their panel\'s width: on a phone, with the sheet, and again when the window narrows while paused', async () => {
  const { page, context, errors } = await openApp(browser, server.url, { viewport: { width: 1440, height: 900 } });
  await page.getByTestId('send-key').fill('user-1');
  await page.getByTestId('send-key').press('Enter');
  await page.getByTestId('follow-key').fill('user-1');
  await page.getByTestId('trace-open-map').click();
  await page.getByTestId('keygroup-map').locator('.tables canvas').first().waitFor();
  await until(() => canvases(page), allFit, { what: 'the canvases at 1440 px' });
  const wide = Object.fromEntries((await canvases(page)).map((c) => [c.where, c.width]));
  // Paused (nothing else redraws them), the window narrows to a phone's.
  assert.equal((await page.evaluate(() => window.statelab.summary())).playing, false);
  await page.setViewportSize(PHONE);
  const narrow = await until(() => canvases(page), allFit, { what: 'the canvases redrawn at 390 px' });
  assert.ok(narrow.find((c) => c.where === 'heap-chart').width < wide['heap-chart'], 'the heap chart narrowed');
  assert.equal(await sideways(page), 0);
  await artifact(page, 'phone-canvases');
  await page.getByTestId('lessons-toggle').click();
  await page.getByTestId('lessons-panel').waitFor();
  await until(() => canvases(page), allFit, { what: 'the canvases with the sheet open' });
  assert.equal(await sideways(page), 0, 'with the sheet');
  assert.deepEqual(errors, []);
  await context.close();
});

for (const [width, dock] of [[390, false], [1280, false], [1280, true], [1440, false], [1440, true]]) {
  test(`at ${width} px${dock ? ' with the lessons dock' : ''} the heap chart's time axis and its caption do not overlap, in both languages`, async () => {
    const { page, context, errors } = await openApp(browser, server.url, { viewport: { width, height: 900 } });
    if (dock) await page.getByTestId('lessons-toggle').click();
    await page.getByTestId('play').click();
    await until(() => page.getByTestId('heap-chart-axis').textContent(), (t) => /→ [1-9]/.test(t), { what: 'time on the axis' });
    await page.getByTestId('play').click();
    for (const lang of ['en', 'zh-CN']) {
      await switchLanguage(page, lang);
      const chart = page.getByTestId('heap-chart');
      await chart.scrollIntoViewIfNeeded();
      const [axis, caption, canvas, panel] = await Promise.all([
        page.getByTestId('heap-chart-axis').boundingBox(), page.getByTestId('heap-chart-caption').boundingBox(),
        chart.locator('canvas').boundingBox(), chart.locator('xpath=ancestor::section[1]').boundingBox(),
      ]);
      assert.ok(!overlap(axis, caption), `${lang}: the axis ${JSON.stringify(axis)} and the caption ${JSON.stringify(caption)} overlap`);
      for (const [name, box] of [['axis', axis], ['caption', caption]]) {
        assert.ok(box.width > 0 && box.y >= canvas.y + canvas.height - 0.5, `${lang}: the ${name} is under the chart`);
        assert.ok(box.x >= panel.x && box.x + box.width <= panel.x + panel.width, `${lang}: the ${name} is inside the panel`);
      }
      await chart.screenshot({ path: fileURLToPath(new URL(`artifacts/heap-chart-${width}${dock ? '-dock' : ''}-${lang}.png`, import.meta.url)) });
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}

for (const width of [390, 1440]) {
  test(`at ${width} px a subtask's asynchronous-phase progress stays inside its box, in both languages`, async () => {
    const { page, context, errors } = await openApp(browser, server.url, { viewport: { width, height: 900 } });
    // The longest progress: one keyed subtask writing 32,768 key groups.
    await applySettings(page, { parallelism: '1', 'max-parallelism': '32768' });
    await page.getByTestId('checkpoint-trigger').click();
    const phase = page.getByTestId('task-phase');
    await until(async () => {
      await page.getByTestId('step').click();
      return phase.textContent();
    }, (t) => /\/32768/.test(t), { what: 'the asynchronous phase', timeout: 60000 });
    for (const lang of ['en', 'zh-CN']) {
      await switchLanguage(page, lang);
      const { text, box, content } = await phase.evaluate((el) => ({
        text: el.getBoundingClientRect().toJSON(), box: el.parentElement.querySelector('rect').getBoundingClientRect().toJSON(),
        content: el.textContent,
      }));
      assert.match(content, /32768/);
      assert.ok(text.left >= box.left && text.right <= box.right, `${lang}: "${content}" spans ${text.left}..${text.right}, its box ${box.left}..${box.right}`);
      await page.getByTestId('job-graph').screenshot({ path: fileURLToPath(new URL(`artifacts/async-phase-${width}-${lang}.png`, import.meta.url)) });
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}

for (const width of [390, 1440]) {
  test(`at ${width} px the values inline in the code and in the debugger view show whole`, async () => {
    const { page, context, errors } = await openApp(browser, server.url, { viewport: { width, height: 900 } });
    /** The values of `selector` not whole inside the part of `scroller` that shows (it may scroll sideways). */
    const clipped = (scroller, selector) => page.locator(scroller).evaluate((box, sel) => {
      const b = box.getBoundingClientRect();
      const [left, right] = [b.left + box.clientLeft, b.left + box.clientLeft + box.clientWidth];
      return [...box.querySelectorAll(sel)].filter((v) => {
        const r = v.getBoundingClientRect();
        return r.left < left - 0.5 || r.right > right + 0.5 || v.scrollWidth > v.clientWidth + 1;
      }).map((v) => v.textContent);
    }, selector);
    // One record, then the next walked line by line: the values at each line.
    await page.getByTestId('step').click();
    const line = () => page.locator('[data-testid=java-source] .code-line[data-current=true]').getAttribute('data-line').catch(() => null);
    await until(line, (l) => l === 'Return', { what: 'the first record walked through' });
    const seen = new Set();
    do {
      await page.getByTestId('code-step-line').click();
      const values = await page.getByTestId('inline-value').allTextContents();
      values.forEach((v) => seen.add(v));
      assert.deepEqual(await clipped('[data-testid=java-source]', '[data-testid=inline-value]'), [], `line ${await line()}: values cut off`);
    } while ((await line()) !== 'Return');
    assert.ok(seen.size >= 3, `values shown: ${[...seen]}`);
    await page.getByTestId('code-panel').screenshot({ path: fileURLToPath(new URL(`artifacts/inline-values-${width}.png`, import.meta.url)) });
    // The debugger view opened down to the entry of the record's key.
    await page.getByTestId('crumb').last().click();
    await until(() => page.locator('.object-tree .node.revealed').count(), (n) => n === 1, { what: 'the entry revealed' });
    assert.ok(await page.getByTestId('tree-value').count() >= 10, 'a tree of values');
    // The tree lays out only the rows near its view (content-visibility): scrolled through from top to bottom in
    // view, the values of the rows it shows are checked at each place.
    const tree = await page.locator('.object-tree').evaluate(async (box) => {
      const cut = new Set();
      let checked = 0;
      const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      box.scrollIntoView({ block: 'start' });
      for (let top = 0; ; top += box.clientHeight) {
        box.scrollTop = top;
        await frame();
        const b = box.getBoundingClientRect();
        const [left, right] = [b.left + box.clientLeft, b.left + box.clientLeft + box.clientWidth];
        for (const v of box.querySelectorAll('[data-testid=tree-value], .class')) {
          if (!v.checkVisibility({ contentVisibilityAuto: true })) continue;
          checked += 1;
          const r = v.getBoundingClientRect();
          if (r.left < left - 0.5 || r.right > right + 0.5 || v.scrollWidth > v.clientWidth + 1) cut.add(v.textContent);
        }
        if (top + box.clientHeight >= box.scrollHeight) break;
      }
      return { cut: [...cut], checked, all: box.querySelectorAll('[data-testid=tree-value], .class').length };
    });
    assert.ok(tree.checked >= tree.all, `${tree.checked} values checked of ${tree.all}`);
    assert.deepEqual(tree.cut, [], 'tree values cut off');
    await page.locator('.debugger').screenshot({ path: fileURLToPath(new URL(`artifacts/debugger-values-${width}.png`, import.meta.url)) });
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('every symbol on the page is drawn from a font the browser has, not as an empty box, in both languages', async () => {
  const { page, context, errors } = await openApp(browser, server.url, { viewport: { width: 1440, height: 900 } });
  await page.getByTestId('lessons-toggle').click();
  await page.getByTestId('lesson-value-state').getByTestId('lesson-start').click();
  await page.getByTestId('lesson-try').click();
  await until(() => page.getByTestId('lesson-status').getAttribute('data-done').catch(() => null), (d) => d === 'true', { what: 'a step done (its ✓)' });
  for (const lang of ['en', 'zh-CN']) {
    await switchLanguage(page, lang);
    const result = await page.evaluate(() => {
      // Symbols, arrows, dingbats, geometric shapes, emoji: what a text font may lack.
      const symbolic = (c) => { const n = c.codePointAt(0); return (n >= 0x2190 && n <= 0x2bff) || n >= 0x1f000; };
      const text = document.body.innerText + [...document.querySelectorAll('svg text, button')].map((e) => e.textContent).join('');
      const symbols = [...new Set([...text].filter(symbolic))];
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 48;
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      const draw = (c, family) => {
        ctx.clearRect(0, 0, 48, 48);
        ctx.font = `32px ${family}`;
        ctx.fillText(c, 4, 36);
        return ctx.getImageData(0, 0, 48, 48).data.join();
      };
      // Both fonts of the page: its text and its code.
      const families = [getComputedStyle(document.body).fontFamily, getComputedStyle(document.querySelector('.app')).getPropertyValue('--mono')];
      const missing = [];
      let detector = true;
      for (const family of families) {
        // What a character no font has looks like (plane 16's private use: never in a font).
        const tofu = draw('\u{10FFFD}', family);
        detector &&= draw('\u{10FFFC}', family) === tofu && draw('A', family) !== tofu;
        for (const c of symbols) if (draw(c, family) === tofu) missing.push(`${c} U+${c.codePointAt(0).toString(16)} in ${family}`);
      }
      return { symbols, missing, detector };
    });
    assert.ok(result.detector, 'a missing glyph is told apart from a drawn one');
    assert.ok(result.symbols.length >= 8, `${lang}: symbols found: ${result.symbols.join(' ')}`);
    for (const gone of ['⏭', '⏮', '⏸', '⏯', '⏵']) assert.ok(!result.symbols.includes(gone), `${lang}: ${gone} on the page`);
    assert.deepEqual(result.missing, [], `${lang}: drawn as empty boxes`);
    await viewportArtifact(page, `glyphs-${lang}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});
