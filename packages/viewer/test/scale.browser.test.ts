import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startViewer } from '../src/server/index.js';
import { ARTIFACTS, node, screenshot } from './browser.js';
import { watchFirstNode } from './first-node-clock.js';
import { createdTrace, tempDir } from './fixtures.js';
import { largeTraceSession } from './large-trace-session.js';

const SIZE = 10_000;

describe(`viewer on a trace of ${SIZE} tasks`, () => {
  const session = largeTraceSession(SIZE);

  it('opens (time to first node is measured, not asserted)', async ({ annotate }) => {
    const { page } = session.browser;
    const firstNode = await watchFirstNode(page);
    const started = performance.now();
    await page.goto(session.viewer.url);
    await page.locator('.react-flow__node').first().waitFor();
    const seenByTestMs = Math.round(performance.now() - started);
    const firstNodeMs = await firstNode();
    await annotate(
      `${SIZE} tasks: first node drawn ${firstNodeMs} ms after navigation (page clock); seen by the test after ${seenByTestMs} ms`,
      'metric',
    );
    await mkdir(ARTIFACTS, { recursive: true });
    await writeFile(
      join(ARTIFACTS, 'scale-trace-metrics.json'),
      `${JSON.stringify({ tasks: SIZE, firstNodeMs, seenByTestMs }, null, 2)}\n`,
    );
    expect(firstNodeMs).toBeGreaterThan(0);
    await expect(page.getByTestId('totals').textContent()).resolves.toContain('10,000 tasks');
    // Ten thousand tasks side by side: edges are drawn for the selected task only, not as a hairball.
    await page.getByTestId('sparse-edges').waitFor();
    await expect(page.locator('.react-flow__edge').count()).resolves.toBe(0);
    // Rows wrap: the graph is laid out like a page (taller than wide), so the minimap shows its shape.
    await page.locator('.react-flow__minimap-node').first().waitFor({ state: 'attached' });
    const box = await page.locator('.react-flow__minimap svg').first().getAttribute('viewBox');
    const [, , width, height] = (box ?? '0 0 0 0').split(' ').map(Number);
    expect(height).toBeGreaterThan((width ?? 0) / 2);
    await screenshot(page, 'scale-trace');
  }, 60_000);

  it('walks the graph by keyboard: a task, its dependency, its dependent, its neighbour in reading order', async () => {
    const { page } = session.browser;
    await page.getByLabel('Search task by id').fill('t500');
    await page.getByLabel('Search task by id').press('Enter');
    const detail = page.getByTestId('task-detail');
    await expect(detail.getAttribute('data-task')).resolves.toBe('t500');
    const t500 = session.fixture.graph.toJSON().graph.tasks.find((task) => task.id === 't500');
    await node(page, 't500').click();
    // Its edges are drawn now that it is selected.
    await expect(page.locator('.react-flow__edge').count()).resolves.toBeGreaterThan(0);
    await page.keyboard.press('ArrowRight');
    await expect(detail.getAttribute('data-task')).resolves.toBe('t501');
    await page.keyboard.press('ArrowLeft');
    await expect(detail.getAttribute('data-task')).resolves.toBe('t500');
    const firstDep = t500?.deps?.[0];
    if (firstDep) {
      await page.keyboard.press('ArrowUp');
      await expect(detail.getAttribute('data-task')).resolves.toBe(firstDep);
      await node(page, firstDep).waitFor();
    }
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('task-detail').count()).resolves.toBe(0);
    await page.keyboard.press('/');
    await expect(
      page.getByLabel('Search task by id').evaluate((input) => input === input.ownerDocument.activeElement),
    ).resolves.toBe(true);
  });

  it('draws the timeline of every task, a window of rows at a time, and scrolls to the task selected', async () => {
    const { page } = session.browser;
    await page.getByRole('tab', { name: 'Timeline' }).click();
    const timeline = page.getByTestId('timeline');
    await timeline.waitFor();
    await expect(timeline.textContent()).resolves.toContain('10,000 tasks over');
    const drawn = await timeline.locator('.tg-timeline-row').count();
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(200);
    await page.getByLabel('Search task by id').fill('t9999');
    await page.getByLabel('Search task by id').press('Enter');
    await timeline.locator('.tg-timeline-row[data-task="t9999"]').waitFor();
    await expect(
      timeline.locator('.tg-timeline-row[data-task="t9999"]').getAttribute('aria-pressed'),
    ).resolves.toBe('true');
    await screenshot(page, 'scale-timeline');
  });

  it('groups the tasks one task created: closed past 40, one node counting them; open, its tasks in reading order', async () => {
    const { page } = session.browser;
    const temp = await tempDir();
    const { path } = await createdTrace(temp.dir, SIZE);
    const viewer = await startViewer({ tracePath: path });
    try {
      await page.goto(viewer.url);
      const group = node(page, 'queue\u2009+created');
      await group.waitFor();
      await expect(group.textContent()).resolves.toContain(`+ ${(SIZE - 1).toLocaleString('en-US')} created`);
      await expect(page.locator('.react-flow__node').count()).resolves.toBe(1);
      await page.getByRole('button', { name: 'Open group tasks created by queue' }).click();
      await node(page, 'queue/item-1').waitFor();
      await node(page, 'queue/item-2').waitFor();
      const x = async (key: string) => (await node(page, key).boundingBox())?.x ?? Number.NaN;
      expect(await x('queue/item-1')).toBeLessThan(await x('queue/item-2'));
      await screenshot(page, 'scale-created-open');
    } finally {
      await viewer.close();
      await temp.remove();
    }
  }, 60_000);
});
