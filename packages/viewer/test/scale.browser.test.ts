import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../src/server/index.js';
import { startViewer } from '../src/server/index.js';
import type { BrowserSession } from './browser.js';
import { ARTIFACTS, openBrowser, screenshot } from './browser.js';
import { largeTrace, tempDir } from './fixtures.js';

const SIZE = 10_000;

describe(`viewer on a trace of ${SIZE} tasks`, () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let fixture: Awaited<ReturnType<typeof largeTrace>>;
  let viewer: Viewer;
  let browser: BrowserSession;

  beforeAll(async () => {
    temp = await tempDir();
    fixture = await largeTrace(temp.dir, SIZE);
    viewer = await startViewer({ tracePath: fixture.path, registry: fixture.registry });
    browser = await openBrowser();
  }, 120_000);

  afterAll(async () => {
    expect(browser?.errors).toEqual([]);
    await browser?.close();
    await viewer?.close();
    await temp?.remove();
  });

  it('opens (time to first node is measured, not asserted)', async ({ annotate }) => {
    const { page } = browser;
    const started = performance.now();
    await page.goto(viewer.url);
    await page.locator('.react-flow__node').first().waitFor();
    const firstNodeMs = Math.round(performance.now() - started);
    await annotate(`time to first node of ${SIZE} tasks: ${firstNodeMs} ms`, 'metric');
    await writeFile(
      join(ARTIFACTS, 'scale-trace-metrics.json'),
      `${JSON.stringify({ tasks: SIZE, firstNodeMs }, null, 2)}\n`,
    );
    await screenshot(page, 'scale-trace');
  }, 60_000);
});
