import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../src/server/index.js';
import { startViewer } from '../src/server/index.js';
import type { BrowserSession } from './browser.js';
import { node, openBrowser } from './browser.js';
import { humanTrace, tempDir } from './fixtures.js';

describe('viewer on a trace that waits for a person', () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let tracePath: string;
  let viewer: Viewer;
  let browser: BrowserSession;

  beforeAll(async () => {
    temp = await tempDir();
    const { path, registry } = await humanTrace(temp.dir);
    tracePath = path;
    viewer = await startViewer({ tracePath, registry });
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await viewer?.close();
    await temp?.remove();
  });

  it('shows the question, refuses an answer the schema rejects, saves a valid one and replays from it', async () => {
    const { page } = browser;
    await page.goto(viewer.url);
    await node(page, 'approve').click();
    await expect(node(page, 'approve').locator('.tg-node-status').textContent()).resolves.toBe('? waiting');
    const detail = page.getByTestId('task-detail');
    await expect(detail.locator('[data-field="question"]').textContent()).resolves.toContain(
      'Publish "a draft about rivers"?',
    );
    const before = await readFile(tracePath, 'utf8');
    await detail.locator('[data-field="answer"] button', { hasText: 'Edit' }).click();
    await page.getByRole('button', { name: 'Edit as JSON' }).click();
    await page.getByLabel('Edit answer as JSON').fill('{"ok":"yes"}');
    await detail
      .getByText('ANSWER_INVALID', { exact: false })
      .or(detail.getByText('fails its schema'))
      .first()
      .waitFor();
    expect(await readFile(tracePath, 'utf8')).toBe(before);
    await page.getByLabel('Edit answer as JSON').fill('{"ok":true}');
    await page.getByRole('button', { name: 'Save edit' }).click();
    await expect
      .poll(async () => JSON.parse(await readFile(tracePath, 'utf8')).graph.tasks[1].answer, {
        timeout: 10_000,
      })
      .toEqual({ ok: true });
    await page.getByRole('button', { name: 'Replay' }).click();
    await expect
      .poll(async () => JSON.parse(await readFile(tracePath, 'utf8')).run.status, { timeout: 10_000 })
      .toBe('done');
    const trace = JSON.parse(await readFile(tracePath, 'utf8'));
    expect(trace.graph.tasks.find((t: { id: string }) => t.id === 'publish').output).toBe(
      'published: a draft about rivers',
    );
  });
});
