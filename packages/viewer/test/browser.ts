import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { findChromium } from './chromium.js';

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Screenshots of every run (gitignored). */
export const ARTIFACTS = join(PACKAGE_ROOT, 'test-artifacts');
/** The committed screenshots, rewritten only with UPDATE_SCREENSHOTS=1. */
const SCREENSHOTS = join(PACKAGE_ROOT, 'screenshots');

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Every URL the page requested. */
  requests: string[];
  /** Uncaught errors and console errors of the page (refused requests the page expects aside). */
  errors: string[];
  close(): Promise<void>;
}

/** Starts Chromium headless with a fresh profile and opens one page. */
export async function openBrowser(): Promise<BrowserSession> {
  // CHROMIUM_PATH, a system Chromium, or the one inside the @sparticuz/chromium package; playwright-core downloads nothing.
  const browser = await findChromium();
  const profile = await mkdtemp(join(tmpdir(), 'taskgraph-viewer-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: browser.executablePath,
    env: { ...process.env, ...browser.env },
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
    viewport: { width: 1440, height: 900 },
  });
  // Shorter than the test's own timeout, so that a failure names the step that waited.
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const requests: string[] = [];
  const errors: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      errors.push(message.text());
  });
  return {
    context,
    page,
    requests,
    errors,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot as a test artifact (and as the committed one with UPDATE_SCREENSHOTS=1). */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    await mkdir(SCREENSHOTS, { recursive: true });
    await copyFile(path, join(SCREENSHOTS, `${name}.png`));
  }
  return path;
}

/** A React Flow node of the page by task key (`"list-0"`, `"outer > inner"`). */
export function node(page: Page, key: string) {
  return page.locator(`.react-flow__node[data-id="${key.replace(/"/g, '\\"')}"]`);
}

/** The plan, live or diff class of each of `keys` (`rerun`, `reuse`…), read from the nodes' classes. */
export async function classesOf(
  page: Page,
  keys: readonly string[],
  prefix: string,
): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const key of keys) {
    const classes = ((await node(page, key).getAttribute('class')) ?? '').split(/\s+/);
    found[key] = classes.find((name) => name.startsWith(prefix))?.slice(prefix.length) ?? '';
  }
  return found;
}
