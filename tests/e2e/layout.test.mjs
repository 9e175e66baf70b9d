// The page's layout holds: the header keeps its rows and every button its place whatever the job's status says
// (RUNNING, or RESTARTING with its countdown), in both languages, at the laptop sizes of the course rooms with the
// lessons dock open or closed; on a phone the header scrolls away with the page. Screenshots are kept as
// artifacts.
//
//   node --test tests/e2e/        (after `trunk build --release --features automation`)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { serve, launchBrowser, openApp, artifact, until } from './lib/harness.mjs';

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
        await page.getByTestId(`lang-${lang}`).click();
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
    await page.getByTestId(`lang-${lang}`).click();
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
