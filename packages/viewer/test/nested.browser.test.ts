import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../src/server/index.js';
import { startViewer } from '../src/server/index.js';
import type { BrowserSession } from './browser.js';
import { classesOf, node, openBrowser, screenshot } from './browser.js';
import { nestedTrace, tempDir } from './fixtures.js';

describe('viewer on a trace with a nested graph', () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let tracePath: string;
  let viewer: Viewer;
  let browser: BrowserSession;

  beforeAll(async () => {
    temp = await tempDir();
    tracePath = (await nestedTrace(temp.dir)).path;
    viewer = await startViewer({ tracePath }); // no registry: view and edit, no replay
    browser = await openBrowser();
  });

  afterAll(async () => {
    expect(browser?.errors).toEqual([]);
    await browser?.close();
    await viewer?.close();
    await temp?.remove();
  });

  it('shows a small nested graph open as a group around its tasks, which closes and opens again', async () => {
    const { page } = browser;
    await page.goto(viewer.url);
    await node(page, 'inner > b').waitFor();
    await expect(node(page, 'inner').getAttribute('class')).resolves.toContain('react-flow__node-taskGroup');
    // The nested tasks are drawn inside the group's box.
    const group = await node(page, 'inner').boundingBox();
    const child = await node(page, 'inner > a').boundingBox();
    expect(group && child).toBeTruthy();
    if (group && child) {
      expect(child.x).toBeGreaterThanOrEqual(group.x);
      expect(child.y + child.height).toBeLessThanOrEqual(group.y + group.height);
    }
    await screenshot(page, 'nested-group-open');
    await page.getByRole('button', { name: 'Close group inner' }).click();
    await node(page, 'inner > a').waitFor({ state: 'detached' });
    await expect(node(page, 'inner').getAttribute('class')).resolves.toContain('react-flow__node-task ');
    await page.getByRole('button', { name: 'Open group inner' }).click();
    await node(page, 'inner > a').waitFor();
  });

  it('colours a failed task red and shows its error with the stack', async () => {
    const { page } = browser;
    expect(await classesOf(page, ['prepare', 'flaky', 'inner', 'after'], 'status-')).toEqual({
      prepare: 'done',
      flaky: 'failed',
      inner: 'done',
      after: 'done',
    });
    await node(page, 'flaky').click();
    const error = page.locator('[data-field="error"]');
    await expect(error.textContent()).resolves.toContain('the flaky service answered 503');
    await error.getByText('Stack').click();
    await expect(error.locator('pre').textContent()).resolves.toContain('at ');
    await expect(page.getByTestId('totals').textContent()).resolves.toContain('1 failed');
  });

  it("edits a GraphTask's input and highlights its nested tasks and dependents; replay is off without a registry", async () => {
    const { page } = browser;
    await page.getByLabel('Search task by id').fill('inner > b');
    await page.getByLabel('Search task by id').press('Enter');
    await expect(page.getByTestId('task-detail').getAttribute('data-task')).resolves.toBe('inner > b');
    await node(page, 'inner').locator('.tg-group-header').click();
    // The detail panel shows the group's task before its input is edited (not the run's input).
    const detail = page.locator('[data-testid="task-detail"][data-task="inner"]');
    await detail.waitFor();
    await detail.locator('[data-field="input"] button', { hasText: 'Edit' }).click();
    await page.getByLabel('Edit input as JSON').fill(JSON.stringify({ words: ['one', 'two'] }));
    await page.getByTestId('edit-status').filter({ hasText: 'Valid' }).waitFor();
    await page.locator('.react-flow__node.plan-rerun[data-id="inner > a"]').waitFor();
    expect(
      await classesOf(page, ['prepare', 'flaky', 'inner', 'inner > a', 'inner > b', 'after'], 'plan-'),
    ).toEqual({
      prepare: 'reuse',
      flaky: 'rerun', // it failed last time
      inner: 'rerun',
      'inner > a': 'rerun',
      'inner > b': 'rerun',
      after: 'rerun',
    });
    await screenshot(page, 'nested-edit-plan');
    await page.getByRole('button', { name: 'Save edit' }).click();
    await page.getByTestId('plan-summary').filter({ hasText: 'Replay plan' }).waitFor();
    const trace = JSON.parse(await readFile(tracePath, 'utf8'));
    expect(trace.graph.tasks.find((task: { id: string }) => task.id === 'inner').graph.input).toEqual({
      words: ['one', 'two'],
    });
    await expect(page.getByRole('button', { name: 'Replay' }).isDisabled()).resolves.toBe(true);
  });
});
