// The page in English and Simplified Chinese: switched to Chinese and brought through its main states (playing,
// a key followed, a key group opened, a checkpoint completed and listed, the settings drawer with a bad value,
// the help overlay, a failure and the restart, the stored checkpoints, the run seen in the past, the lessons dock
// with a lesson's step, the scenarios and the glossary, an error banner), no English word may be
// left outside elements marked translate="no" — in text, tooltips, placeholders, aria-labels, SVG titles,
// <option>s and text drawn on canvases. Switched back, no Chinese may be left. The choice survives a reload,
// and a browser whose language is zh-CN opens in Chinese.
//
//   node --test tests/e2e/        (after `trunk build --release --features automation`)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { serve, launchBrowser, artifact, until, numberOf, setSpeed, applySettings, switchLanguage, SPEED } from './lib/harness.mjs';

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

/**
 * Words that may stay in English on the Chinese page, beyond the patterns in `isIdentifier`: names (Flink, Java,
 * Python, Zipf's distribution), the Java types a key can have (String, Integer, Long), Java's `null` (what `value()`
 * returns for a key not in state), and `min` (the unit of durations over two minutes).
 */
const ALLOWED_WORDS = new Set(['Flink', 'Java', 'Python', 'Zipf', 'String', 'Integer', 'Long', 'null', 'min']);
/** Units as the page writes them in both languages. */
const UNITS = new Set(['ns', 'ms', 'KiB', 'MiB', 'GiB', 'TiB', 'KB']);

/**
 * Whether a Latin token is a Flink identifier or a unit rather than an English word: camelCase and CamelCase
 * names (ValueState, maxParallelism, IndexedDB), dotted names (taskmanager.memory.process.size,
 * java.lang.OutOfMemoryError, .slcp), calls and arrays (hashCode(), update(next), byte[]), ALL_CAPS constants
 * (EXACTLY_ONCE, JVM), names with a digit (user-12, UTF-16, v1, a file name), hex numbers (a job id such as
 * 50092dde, 0xcafe), a number with its unit (500ms), JVM flags (-Xmx), single letters (units and variables: s, B, p).
 * A number glued to a word (3records) is English.
 */
function isIdentifier(token) {
  const glued = token.match(/^\d+([A-Za-z]+)$/);
  if (glued) return /^([0-9a-f]+|0x[0-9a-f]+)$/i.test(token) || glued[1].length === 1 || UNITS.has(glued[1]);
  return /\d/.test(token)
    || token.includes('.')
    || token.startsWith('-')
    || token.endsWith(')')
    || token.endsWith('[]')
    || /^[A-Z][A-Z0-9_]+$/.test(token)
    || /^[a-z]+[A-Z]/.test(token)
    || /^[A-Z][a-z0-9]+[A-Z]/.test(token)
    || token.length === 1
    || UNITS.has(token)
    || ALLOWED_WORDS.has(token);
}

/**
 * The English words in a text: tokens with a letter that are not identifiers, outside quotes (string literals
 * such as the state's name "event-counter", and what the user typed, echoed back as 'lots') and links (a share
 * link carries a checkpoint in base64url). A token runs from one word boundary to the next: letters, digits and
 * `_`, joined by `-` or `.`, so the letters of a hex id (50092dde) or of user-12 are part of one token.
 */
function englishWords(text) {
  const prose = text.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S*/gi, ' ').replace(/"[^"]*"/g, ' ').replace(/'[^']*'/g, ' ');
  const tokens = prose.match(/(?<!\w)[.-]?\w+(?:[-.]\w+)*(?:\([\w, ]*\)|\[\])?/g) ?? [];
  return tokens.filter((t) => /[A-Za-z]/.test(t) && !isIdentifier(t));
}

const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/;

/** Counts every fillText on a canvas, so the test can read what the canvases drew. */
function recordCanvasText() {
  window.__drawn = new Set();
  const original = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function fillText(text, ...rest) {
    window.__drawn.add(String(text));
    return original.call(this, text, ...rest);
  };
}

/**
 * Everything the page shows a person: visible text nodes, SVG <title>s, <option>s, and the title, placeholder
 * and aria-label attributes; each with whether it is inside translate="no" (by the nearest translate attribute,
 * as HTML inherits it) and inside the language switch. Also what the canvases drew since the last call.
 */
async function collect(page) {
  return page.evaluate(() => {
    const out = [];
    const where = (el) => {
      const parts = [];
      for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
        const id = e.getAttribute('data-testid');
        parts.unshift(id ? `${e.tagName.toLowerCase()}[${id}]` : `${e.tagName.toLowerCase()}${e.classList.length ? `.${[...e.classList].join('.')}` : ''}`);
        if (id) break;
      }
      return parts.join(' > ');
    };
    const add = (text, el, kind) => {
      const t = (text ?? '').trim();
      if (!t) return;
      const marked = el.closest('[translate]');
      out.push({
        text: t, kind, where: where(el),
        code: marked?.getAttribute('translate') === 'no',
        langSwitch: !!el.closest('[data-testid=lang-switch]'),
      });
    };
    const visible = (el) => {
      const style = getComputedStyle(el);
      return style.visibility !== 'hidden' && style.display !== 'none' && el.getClientRects().length > 0;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || el.closest('script, style, noscript, option')) continue;
      const tooltip = el.closest('title');
      if (tooltip) add(node.textContent, tooltip.parentElement ?? el, 'svg-title');
      else if (visible(el)) add(node.textContent, el, 'text');
    }
    for (const option of document.body.querySelectorAll('option')) add(option.textContent, option, 'option');
    for (const el of document.body.querySelectorAll('[title], [placeholder], [aria-label]')) {
      for (const attribute of ['title', 'placeholder', 'aria-label']) {
        if (el.hasAttribute(attribute)) add(el.getAttribute(attribute), el, attribute);
      }
    }
    add(document.title, document.body, 'document-title');
    for (const drawn of window.__drawn ?? []) add(drawn, document.body, 'canvas');
    window.__drawn = new Set();
    return out;
  });
}

/** Texts with English words outside translate="no", as "state: kind at where: text [words]". */
async function englishLeft(page, state) {
  const found = [];
  for (const { text, kind, where, code, langSwitch } of await collect(page)) {
    if (code || langSwitch) continue;
    const words = englishWords(text);
    if (words.length > 0) found.push(`${state}: ${kind} at ${where}: ${JSON.stringify(text)} [${words.join(', ')}]`);
  }
  return found;
}

/** Texts with Chinese characters anywhere but the language switch. */
async function chineseLeft(page, state) {
  return (await collect(page))
    .filter(({ text, langSwitch }) => !langSwitch && CJK.test(text))
    .map(({ text, kind, where }) => `${state}: ${kind} at ${where}: ${JSON.stringify(text)}`);
}

async function openPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, ...options });
  await context.addInitScript(recordCanvasText);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  await page.goto(server.url);
  await page.getByTestId('play').waitFor();
  return { page, context, errors };
}

const summary = (page) => page.evaluate(() => window.statelab.summary());
const htmlLang = (page) => page.evaluate(() => document.documentElement.getAttribute('lang'));

test('in Chinese no English word is left, in any state of the page; in English no Chinese', async () => {
  const { page, context, errors } = await openPage();
  assert.equal(await htmlLang(page), 'en');
  await collect(page); // forgets what the canvases drew in English
  await switchLanguage(page, 'zh-CN');
  assert.equal(await htmlLang(page), 'zh-CN');
  assert.equal((await page.getByTestId('play').textContent()).trim(), '▶ 播放');
  // The heap chart's caption (text under its canvas since the caption moved off it) in Chinese: the page re-rendered.
  await until(() => collect(page), (texts) => texts.some(({ kind, text }) => kind === 'text' && text === '每个 TaskManager 的已用堆（颜色同其仪表）· 上限（虚线）'),
    { what: 'the heap chart in Chinese' });
  const left = [];
  const check = async (state) => left.push(...(await englishLeft(page, state)));
  await check('fresh');

  // Stepping: single records travel as dots; the last access is described under the map.
  for (let i = 0; i < 3; i++) await page.getByTestId('step').click();
  await check('stepped');

  // A key followed (typed into the source), then its key group opened.
  await page.getByTestId('follow-key').fill('user-1');
  await page.getByTestId('send-key').fill('user-1');
  await page.getByTestId('send-key').press('Enter');
  await until(() => page.getByTestId('trace-count').textContent(), (t) => t === '1', { what: 'user-1 counted' });
  await check('key followed');
  await page.getByTestId('trace-open-map').click();
  await until(() => page.getByTestId('map-key-group').textContent(), (t) => t === '121', { what: 'key group 121 opened' });
  await check('key group opened');

  // Playing, with periodic checkpoints off so that the one triggered by hand is the one listed.
  await page.getByTestId('checkpoint-interval').fill('');
  await page.getByTestId('checkpoint-interval').press('Enter');
  await setSpeed(page, SPEED.x1);
  await page.getByTestId('play').click();
  await until(() => numberOf(page, 'event-count'), (n) => n > 300, { what: 'events to flow' });
  await check('playing');

  // A checkpoint completed, its details open, and stored.
  await page.getByTestId('checkpoint-trigger').click();
  await until(() => summary(page), (s) => s.checkpointsCompleted > 0, { what: 'the checkpoint to complete' });
  await page.getByTestId('play').click();
  const row = page.getByTestId('checkpoint-list').locator('tr.cp-row', { hasText: 'COMPLETED' }).first();
  await row.click();
  await page.getByTestId('checkpoint-list').locator('tr.details').waitFor();
  await page.getByTestId('stored-checkpoint').first().waitFor({ timeout: 20000 });
  await page.getByTestId('stored-checkpoint').first().getByRole('button', { name: '▸' }).click();
  await page.getByTestId('stored-job').waitFor();
  assert.match(await page.getByTestId('stored-job').textContent(), /个 String 键/);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('stored-link').first().click();
  await until(() => page.getByTestId('storage-notice').textContent().catch(() => ''), (t) => t.startsWith('已复制检查点'),
    { what: 'the link to be copied' });
  await check('checkpoint completed and stored');

  // The settings drawer, with a value it refuses.
  await page.getByTestId('settings-toggle').click();
  await page.getByTestId('keys').fill('lots');
  await page.getByTestId('apply-settings').click();
  assert.match(await page.getByTestId('settings-error').textContent(), /^键的数量：'lots' 不是有效的数字$/);
  await check('settings drawer');
  await page.keyboard.press('Escape');

  // The help overlay.
  await page.keyboard.press('?');
  await page.getByTestId('help').waitFor();
  assert.match(await page.getByTestId('help').textContent(), /空格.*播放 \/ 暂停/);
  await check('help overlay');
  await page.keyboard.press('Escape');

  // A failure and the restart from the checkpoint. The job fails while paused, so that it stays RESTARTING
  // while the page is read; then it plays through the restart.
  await applySettings(page, { 'restart-strategy': 'fixed-delay', 'restart-attempts': '3', 'restart-delay': '1500' });
  await page.getByTestId('play').click();
  await until(() => numberOf(page, 'event-count'), (n) => n > 300, { what: 'events after the restart of the job' });
  await page.getByTestId('checkpoint-trigger').click();
  await until(() => summary(page), (s) => s.checkpointsCompleted > 0, { what: 'a checkpoint of the new job' });
  await page.getByTestId('play').click();
  await page.getByTestId('fail').click();
  assert.match(await page.getByTestId('job-status').textContent(), /^RESTARTING · .+ 后$/);
  await check('restarting');
  await page.getByTestId('play').click();
  await until(() => summary(page), (s) => s.restarts === 1 && s.status === 'Running', { what: 'the restart' });
  await page.getByTestId('play').click();
  assert.equal(await page.getByTestId('job-status').textContent(), 'RUNNING');
  const log = await page.getByTestId('event-log').textContent();
  assert.match(log, /重启尝试 1/);
  assert.match(log, /子任务 0 失败（尝试 0）：java\.lang\.RuntimeException: failure injected by hand/);
  await check('restarted');

  // Time travel: one event back, the run shown in the past.
  await page.getByTestId('timeline-back').click();
  await page.getByTestId('timeline-past').waitFor();
  await check('in the past');
  await page.getByTestId('timeline-live').click();

  // The lessons dock: the list, a lesson's step (with its glossary terms), the scenarios, the glossary.
  await page.getByTestId('lessons-toggle').click();
  await check('lesson list');
  await page.getByTestId('lesson-key-groups').getByTestId('lesson-start').click();
  await page.getByTestId('lesson-try').click();
  await until(() => page.getByTestId('lesson-status').getAttribute('data-done').catch(() => null), (d) => d === 'true', { what: 'the lesson step' });
  await page.getByTestId('lesson-text').getByTestId('term').first().hover();
  await check('lesson step');
  await page.getByTestId('tab-scenarios').click();
  await check('scenarios');
  await page.getByTestId('tab-glossary').click();
  await check('glossary');
  await page.getByTestId('tab-lessons').click();
  await page.getByTestId('lessons-toggle').click();

  // An error in the banner.
  await page.getByTestId('checkpoint-interval').fill('soon');
  await page.getByTestId('checkpoint-interval').press('Enter');
  assert.equal(await page.getByTestId('error').locator('span').textContent(), "检查点间隔 'soon' 不是整数毫秒数");
  await check('error banner');
  await artifact(page, 'i18n-zh');
  assert.deepEqual(left, [], `English left on the Chinese page:\n${left.join('\n')}`);

  // Back in English: the same page, the same error (typed, so it follows the language), no Chinese anywhere.
  await collect(page);
  await page.getByTestId('lang-en').click();
  assert.equal(await htmlLang(page), 'en');
  assert.match(await page.getByTestId('error').textContent(), /checkpoint interval 'soon' is not a whole number of milliseconds/);
  const chinese = [...await chineseLeft(page, 'page')];
  await page.getByTestId('settings-toggle').click();
  chinese.push(...await chineseLeft(page, 'settings drawer'));
  await page.keyboard.press('Escape');
  await page.keyboard.press('?');
  await page.getByTestId('help').waitFor();
  chinese.push(...await chineseLeft(page, 'help overlay'));
  await page.keyboard.press('Escape');
  await page.getByTestId('lessons-toggle').click();
  chinese.push(...await chineseLeft(page, 'lessons dock'));
  await page.getByTestId('tab-glossary').click();
  chinese.push(...await chineseLeft(page, 'glossary'));
  await page.getByTestId('tab-scenarios').click();
  chinese.push(...await chineseLeft(page, 'scenarios'));
  await page.getByTestId('lessons-toggle').click();
  assert.deepEqual(chinese, [], `Chinese left on the English page:\n${chinese.join('\n')}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the language chosen survives a reload', async () => {
  const { page, context, errors } = await openPage();
  await switchLanguage(page, 'zh-CN');
  await page.reload();
  await page.getByTestId('play').waitFor();
  assert.equal(await htmlLang(page), 'zh-CN');
  assert.equal((await page.getByTestId('step').textContent()).trim(), '单步');
  assert.equal(await page.title(), 'StateLab — 一步步看 Flink 堆上的键控状态');
  await page.keyboard.press('l');
  assert.equal(await htmlLang(page), 'en');
  await page.reload();
  await page.getByTestId('play').waitFor();
  assert.equal((await page.getByTestId('step').textContent()).trim(), 'Step');
  assert.equal(await page.title(), 'StateLab — Flink heap keyed state, step by step');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a browser whose language is zh-CN opens the page in Chinese', async () => {
  const { page, context, errors } = await openPage({ locale: 'zh-CN' });
  assert.equal(await htmlLang(page), 'zh-CN');
  assert.equal((await page.getByTestId('play').textContent()).trim(), '▶ 播放');
  assert.equal(await page.getByTestId('lang-zh-CN').getAttribute('aria-pressed'), 'true');
  const left = await englishLeft(page, 'opened');
  assert.deepEqual(left, [], `English left on the Chinese page:\n${left.join('\n')}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the Chinese text is fetched when the page first shows Chinese, once; the English page never fetches it', async () => {
  const fetched = (page) => {
    const urls = [];
    page.on('request', (request) => { if (new URL(request.url()).pathname.endsWith('/zh.txt')) urls.push(request.url()); });
    return urls;
  };
  // English: played, the lessons and the help opened — no Chinese text downloaded.
  const { page, context, errors } = await openPage();
  const english = fetched(page);
  await page.getByTestId('play').click();
  await until(() => numberOf(page, 'event-count'), (n) => n > 0, { what: 'events processed' });
  await page.getByTestId('play').click();
  await page.getByTestId('lessons-toggle').click();
  await page.keyboard.press('?');
  await page.getByTestId('help').waitFor();
  await page.keyboard.press('Escape');
  assert.deepEqual(english, []);
  // Switched to Chinese: fetched once, however often the language switches after.
  await switchLanguage(page, 'zh-CN');
  assert.equal(english.length, 1);
  await switchLanguage(page, 'en');
  await page.keyboard.press('l');
  await until(() => htmlLang(page), (lang) => lang === 'zh-CN', { what: 'Chinese again, by the shortcut' });
  assert.equal((await page.getByTestId('step').textContent()).trim(), '单步');
  assert.equal(english.length, 1);
  assert.deepEqual(errors, []);
  await context.close();

  // A browser in Chinese fetches it before the page first shows.
  const zh = await openPage({ locale: 'zh-CN' });
  assert.equal(await htmlLang(zh.page), 'zh-CN');
  assert.equal((await zh.page.getByTestId('step').textContent()).trim(), '单步');
  assert.deepEqual(zh.errors, []);
  await zh.context.close();
});

test('when the Chinese text cannot be fetched, the page stays in English and says so', async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  await context.route('**/zh.txt', (route) => route.abort('internetdisconnected'));
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByTestId('play').waitFor();
  await page.getByTestId('lang-zh-CN').click();
  const banner = page.getByTestId('error');
  await banner.waitFor();
  assert.equal(await banner.locator('span').first().textContent(), 'The Chinese text could not be loaded; the page stays in English.');
  assert.equal(await htmlLang(page), 'en');
  assert.equal((await page.getByTestId('step').textContent()).trim(), 'Step');
  // A browser in Chinese without it opens in English.
  const zh = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
  await zh.route('**/zh.txt', (route) => route.abort('internetdisconnected'));
  const zhPage = await zh.newPage();
  await zhPage.goto(server.url);
  await zhPage.getByTestId('play').waitFor();
  assert.equal(await htmlLang(zhPage), 'en');
  assert.equal((await zhPage.getByTestId('step').textContent()).trim(), 'Step');
  await zh.close();
  await context.close();
});
