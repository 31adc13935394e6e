import { afterAll, beforeAll, expect } from 'vitest';
import type { Viewer } from '../src/server/index.js';
import { startViewer } from '../src/server/index.js';
import type { BrowserSession } from './browser.js';
import { openBrowser } from './browser.js';
import { largeTrace, tempDir } from './fixtures.js';

export interface LargeTraceSession {
  fixture: Awaited<ReturnType<typeof largeTrace>>;
  viewer: Viewer;
  browser: BrowserSession;
}

/**
 * For the tests of a describe block: a random DAG of `size` tasks run once, the viewer on it with its
 * registry, and Chromium; afterwards, checks that the page logged no error and closes everything.
 */
export function largeTraceSession(size: number): LargeTraceSession {
  const session = {} as LargeTraceSession;
  let temp: Awaited<ReturnType<typeof tempDir>> | undefined;
  beforeAll(async () => {
    temp = await tempDir();
    session.fixture = await largeTrace(temp.dir, size);
    session.viewer = await startViewer({
      tracePath: session.fixture.path,
      registry: session.fixture.registry,
    });
    session.browser = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    expect(session.browser?.errors).toEqual([]);
    await session.browser?.close();
    await session.viewer?.close();
    await temp?.remove();
  });
  return session;
}
