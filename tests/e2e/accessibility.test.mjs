// An automated accessibility audit of the page (axe-core, WCAG 2.x A/AA rules) in the states a learner sees: the
// page as it opens, playing with a key followed, a lesson open, the settings drawer, the help, the Chinese page and
// the dark theme. No serious or critical violation is allowed; the report of each run is kept as an artifact.
//
//   node --test tests/e2e/        (after `trunk build --release --features automation`)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { serve, launchBrowser, openApp, until, switchLanguage } from './lib/harness.mjs';

const dist = fileURLToPath(new URL('../../dist', import.meta.url));
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const ARTIFACTS = new URL('./artifacts/', import.meta.url);
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

/** Runs axe on the page; returns the serious and critical violations (and keeps the whole report). */
async function audit(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  }));
  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(new URL(`axe-${name}.json`, ARTIFACTS), JSON.stringify(result.violations, null, 2));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}${v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ''}`);
}

test('the page has no serious accessibility violation in the states a learner sees', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  const found = {};
  found.opened = await audit(page, 'opened');
  await page.getByTestId('send-key').fill('user-1');
  await page.getByTestId('send-key').press('Enter');
  await page.getByTestId('follow-key').fill('user-1');
  found.following = await audit(page, 'following');
  await page.getByTestId('lessons-toggle').click();
  await page.getByTestId('lessons-panel').waitFor();
  found.lessons = await audit(page, 'lessons');
  await page.keyboard.press('Escape');
  await page.getByTestId('settings-toggle').click();
  found.settings = await audit(page, 'settings');
  await page.keyboard.press('Escape');
  await page.getByTestId('help-toggle').click();
  found.help = await audit(page, 'help');
  await page.keyboard.press('Escape');
  await switchLanguage(page, 'zh-CN');
  found.chinese = await audit(page, 'chinese');
  await page.getByTestId('lang-en').click();
  await page.locator('.topbar button.ghost', { hasText: '☾' }).click();
  await until(() => page.locator('.app').getAttribute('data-theme'), (t) => t === 'dark', { what: 'the dark theme' });
  found.dark = await audit(page, 'dark');
  for (const [state, violations] of Object.entries(found)) assert.deepEqual(violations, [], `${state}:\n${violations.join('\n')}`);
  assert.deepEqual(errors, []);
  await context.close();
});
