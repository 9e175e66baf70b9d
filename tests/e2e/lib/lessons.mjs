// Walking a lesson in the page as a learner does, and where the parts a step talks about are on screen.
import assert from 'node:assert/strict';
import { viewportArtifact, highlighted, until } from './harness.mjs';

const summary = (page) => page.evaluate(() => window.statelab.summary());

/**
 * Whether a step's highlighted parts are on screen: the first part outside the header whole inside the window
 * below the sticky header (and above a lessons sheet), and inside the page's width beside the dock; taller than
 * that, the lines the job is on whole inside it where the part shows some (the code panel's current line: what
 * the step talks about), else the part starting right below the header. Undefined when so, else what is wrong.
 */
export function offScreen({ band, right, parts }) {
  const [first] = parts;
  if (!first) return undefined;
  const room = band.bottom - band.top;
  const tall = first.bottom - first.top > room;
  // What must show: the part, or in a tall part the lines the job is on.
  const [what, box] = tall && first.current ? [`the current line of ${first.testid}`, first.current] : [first.testid, first];
  const height = box.bottom - box.top;
  if (box.top < band.top - 1) return `${what} starts at ${box.top} px, under the header (${band.top} px)`;
  if (height <= room && box.bottom > band.bottom + 1) return `${what} ends at ${box.bottom} px, below the window or under the sheet (${band.bottom} px)`;
  if (height > room && box.top > band.top + 1) return `${what} is taller than the window but starts at ${box.top} px`;
  if (first.left < -1 || first.right > right + 1) return `${first.testid} spans ${first.left}..${first.right} px, outside 0..${right}`;
  return undefined;
}

/**
 * Walks one lesson: "try it" where there is one, waits for each step's condition, then "next". At every step,
 * once its moment came, the parts it talks about must be on screen (brought there below the sticky header, above
 * a lessons sheet), `moments[step]` checks what the job shows right then, `everyStep` what every step must show
 * (and `stepStarted` what it shows before anything is done), and a screenshot of the window is kept (`NAME-STEP.png`, NAME `lesson-ID` unless given).
 */
export async function walkLesson(page, id, moments = {}, { name = `lesson-${id}`, everyStep, stepStarted } = {}) {
  if (!(await page.getByTestId('lessons-panel').isVisible().catch(() => false))) await page.getByTestId('lessons-toggle').click();
  await page.getByTestId('tab-lessons').click();
  if (await page.getByTestId('lesson-list').isVisible().catch(() => false)) await page.getByTestId('lesson-list').click();
  await page.getByTestId(`lesson-${id}`).getByTestId('lesson-start').click();
  const lesson = page.getByTestId('lesson');
  await until(() => lesson.getAttribute('data-lesson'), (l) => l === id, { what: `lesson ${id}` });
  const steps = await lesson.locator('.lesson-progress .dot').count();
  assert.ok(steps >= 3, `lesson ${id} has a few steps`);
  for (let step = 0; step < steps; step++) {
    const what = `lesson ${id} step ${step + 1}`;
    assert.equal(await lesson.getAttribute('data-step'), String(step));
    assert.ok((await page.getByTestId('lesson-text').textContent()).length > 40);
    if (stepStarted) await stepStarted(what);
    if (await page.getByTestId('lesson-try').count()) await page.getByTestId('lesson-try').click();
    if ((await lesson.getAttribute('data-check')) === 'true') {
      await until(() => page.getByTestId('lesson-status').getAttribute('data-done').catch(() => null), (d) => d === 'true',
        { what: `${what} to be done`, timeout: 90000, every: 250 });
    }
    const shown = await until(() => highlighted(page), (h) => h.parts.length + h.inHeader > 0 && !offScreen(h),
      { what: `${what}: its highlighted part on screen`, timeout: 10000 }).catch(async (e) => {
      await viewportArtifact(page, `${name}-${step + 1}-off-screen`);
      throw new Error(`${e.message}: ${offScreen(await highlighted(page))}`);
    });
    assert.ok(shown.parts.length > 0 || shown.inHeader > 0, `${what} highlights part of the page`);
    if (moments[step]) await moments[step](await summary(page), what);
    if (everyStep) await everyStep(shown, what);
    await viewportArtifact(page, `${name}-${step + 1}`);
    await page.getByTestId('lesson-next').click();
  }
}
