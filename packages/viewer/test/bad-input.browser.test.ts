import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../src/server/index.js';
import { startViewer } from '../src/server/index.js';
import type { BrowserSession } from './browser.js';
import { node, openBrowser, screenshot } from './browser.js';
import { chainTrace, schemaTrace, tempDir, writeTraceText } from './fixtures.js';

describe('viewer on bad input', () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let browser: BrowserSession;
  const viewers: Viewer[] = [];

  beforeAll(async () => {
    temp = await tempDir();
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(viewers.map((viewer) => viewer.close()));
    await temp?.remove();
  });

  const view = async (tracePath: string) => {
    const viewer = await startViewer({ tracePath });
    viewers.push(viewer);
    await browser.page.goto(viewer.url);
    return viewer;
  };

  it('shows a readable error page naming the JSON path of a broken trace', async () => {
    const trace = JSON.parse(await readFile((await chainTrace(temp.dir)).path, 'utf8'));
    trace.graph.tasks[1].status = 'finished';
    await view(await writeTraceText(temp.dir, 'broken.json', JSON.stringify(trace, null, 2)));
    const { page } = browser;
    await page.getByTestId('error-page').waitFor();
    await expect(page.getByTestId('error-path').textContent()).resolves.toBe('$.graph.tasks[1].status');
    await expect(page.getByTestId('error-page').textContent()).resolves.toContain('INVALID_TRACE');
    await screenshot(page, 'broken-trace');
  });

  it('names the JSON root of a file that is not JSON', async () => {
    await view(await writeTraceText(temp.dir, 'not-json.json', '{ "format": "taskgraph-trace", '));
    await expect(browser.page.getByTestId('error-path').textContent()).resolves.toBe('$');
  });

  it('refuses an edit that fails the schema, with the reason, and writes nothing', async () => {
    const { path } = await schemaTrace(temp.dir);
    const before = await readFile(path, 'utf8');
    await view(path);
    const { page } = browser;
    await node(page, 'tags').click();
    await page.locator('[data-field="output"] button', { hasText: 'Edit' }).click();
    const editor = page.getByLabel('Edit output as JSON');

    await editor.fill('["red", 42]');
    await expect(page.getByTestId('edit-error').textContent()).resolves.toContain('OUTPUT_INVALID');
    await expect(page.getByRole('button', { name: 'Save edit' }).isDisabled()).resolves.toBe(true);
    await screenshot(page, 'edit-refused');

    await editor.fill('["red", ');
    await expect(page.getByTestId('edit-error').textContent()).resolves.toContain('Not valid JSON');
    await expect(page.getByRole('button', { name: 'Save edit' }).isDisabled()).resolves.toBe(true);
    expect(await readFile(path, 'utf8')).toBe(before);
  });
});
