import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, node, screenshot } from './browser.js';
import { largeTraceSession } from './large-trace-session.js';

const SIZE = 2_000;

describe(`viewer on a trace of ${SIZE} tasks`, () => {
  const session = largeTraceSession(SIZE);

  it('opens (time to first render is measured, not asserted)', async ({ annotate }) => {
    const { page } = session.browser;
    const started = performance.now();
    await page.goto(session.viewer.url);
    await page.locator('.react-flow__node').first().waitFor();
    const firstRenderMs = Math.round(performance.now() - started);
    await annotate(`time to first render of ${SIZE} tasks: ${firstRenderMs} ms`, 'metric');
    await mkdir(ARTIFACTS, { recursive: true });
    await writeFile(
      join(ARTIFACTS, 'large-trace-metrics.json'),
      `${JSON.stringify({ tasks: SIZE, firstRenderMs }, null, 2)}\n`,
    );
    await expect(page.getByTestId('totals').textContent()).resolves.toContain(
      `${SIZE.toLocaleString('en-US')} tasks`,
    );
    await screenshot(page, 'large-trace');
  });

  it('stays responsive: search finds a task deep in the graph, zoom and pan work', async () => {
    const { page } = session.browser;
    const last = `t${SIZE - 1}`;
    await page.getByLabel('Search task by id').fill(last);
    await page.getByLabel('Tasks found').getByRole('button', { name: last, exact: true }).click();
    await expect(page.getByTestId('task-detail').getAttribute('data-task')).resolves.toBe(last);
    await node(page, last).waitFor();
    const viewport = page.locator('.react-flow__viewport');
    const before = await viewport.getAttribute('style');
    await page.getByRole('button', { name: 'Zoom Out' }).click();
    await page.mouse.move(400, 400);
    await page.mouse.down();
    await page.mouse.move(550, 480, { steps: 5 });
    await page.mouse.up();
    expect(await viewport.getAttribute('style')).not.toBe(before);
  });

  it('plans an output edit over the whole graph: exactly the tasks downstream of it re-run', async () => {
    const { page } = session.browser;
    await page.getByLabel('Search task by id').fill('t0');
    await page.getByLabel('Search task by id').press('Enter');
    await page.locator('[data-field="output"] button', { hasText: 'Edit' }).click();
    await page.getByLabel('Edit output as JSON').fill('1000');
    await page.getByTestId('edit-status').filter({ hasText: 'Valid' }).waitFor();
    // An edited output is kept: the task itself is reused, what depends on it re-runs.
    const cone = session.fixture.graph.downstream('t0').size;
    await page
      .getByTestId('plan-summary')
      .filter({ hasText: `${cone} re-run` })
      .waitFor();
    await expect(node(page, 't0').getAttribute('class')).resolves.toContain('plan-reuse');
    await screenshot(page, 'large-trace-plan');
  });
});
