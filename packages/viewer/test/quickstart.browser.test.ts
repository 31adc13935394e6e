import { readFile } from 'node:fs/promises';
import { FunctionRegistry, loadTrace } from '@taskgraph/core';
import { registry as quickstartRegistry } from '@taskgraph/example-quickstart/src/graph.js';
import { startOfflineHandler } from '@taskgraph/example-quickstart/src/offline-handler.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../src/server/index.js';
import { startViewer } from '../src/server/index.js';
import type { BrowserSession } from './browser.js';
import { classesOf, node, openBrowser, screenshot } from './browser.js';
import { quickstartTrace, tempDir } from './fixtures.js';
import { GatedHandler } from './gated-handler.js';

const TASKS = ['list-0', 'list-1', 'list-2', 'join', 'suggest', 'suggest/pick'];

describe('viewer on the quickstart trace', () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let offline: Awaited<ReturnType<typeof startOfflineHandler>>;
  let gated: GatedHandler;
  let tracePath: string;
  let viewer: Viewer;
  let browser: BrowserSession;

  beforeAll(async () => {
    temp = await tempDir();
    offline = await startOfflineHandler();
    gated = new GatedHandler(offline.handler);
    const registry = new FunctionRegistry().include(quickstartRegistry).addHandler(gated);
    tracePath = await quickstartTrace(temp.dir, registry);
    gated.calls.length = 0;
    viewer = await startViewer({ tracePath, registry });
    browser = await openBrowser();
  });

  afterAll(async () => {
    gated?.open();
    await browser?.close();
    await viewer?.close();
    await offline?.server.close();
    await temp?.remove();
  });

  it('draws the trace as a DAG with each task coloured by status', async () => {
    const { page } = browser;
    await page.goto(viewer.url);
    for (const key of TASKS) await node(page, key).waitFor();
    expect(await classesOf(page, TASKS, 'status-')).toEqual(
      Object.fromEntries(TASKS.map((key) => [key, 'done'])),
    );
    // Top to bottom: every task sits below the tasks it depends on.
    const top = async (key: string) => (await node(page, key).boundingBox())?.y ?? Number.NaN;
    expect(await top('join')).toBeGreaterThan(await top('list-0'));
    expect(await top('suggest')).toBeGreaterThan(await top('join'));
    await expect(node(page, 'join').locator('.tg-kind').textContent()).resolves.toBe('function');
    await expect(page.getByTestId('totals').textContent()).resolves.toContain('6 done');
    // Status in words and a sign, not colour alone.
    await expect(node(page, 'join').locator('.tg-node-status').textContent()).resolves.toBe('✓ done');
    // Siblings in reading order, left to right as in the file.
    const left = async (key: string) => (await node(page, key).boundingBox())?.x ?? Number.NaN;
    expect(await left('list-0')).toBeLessThan(await left('list-1'));
    expect(await left('list-1')).toBeLessThan(await left('list-2'));
    // The first view fits the graph: every task is inside the canvas.
    const canvas = await page.getByTestId('graph-canvas').boundingBox();
    for (const key of TASKS) {
      const box = await node(page, key).boundingBox();
      expect(canvas && box).toBeTruthy();
      if (canvas && box) {
        expect(box.x).toBeGreaterThanOrEqual(canvas.x);
        expect(box.y).toBeGreaterThanOrEqual(canvas.y);
        expect(box.x + box.width).toBeLessThanOrEqual(canvas.x + canvas.width);
        expect(box.y + box.height).toBeLessThanOrEqual(canvas.y + canvas.height);
      }
    }
  });

  it('shows the selected task: prompt, response, output, timing, tokens', async () => {
    const { page } = browser;
    await node(page, 'list-0').click();
    const detail = page.getByTestId('task-detail');
    await expect(detail.getAttribute('data-task')).resolves.toBe('list-0');
    const text = await detail.textContent();
    for (const part of [
      'Prompt',
      'Response',
      'Output',
      'Tokens',
      'Duration',
      'offline-stand-in',
      'List five fruits.',
    ]) {
      expect(text).toContain(part);
    }
    await screenshot(page, 'quickstart-selected');
  });

  it('highlights the replay plan of a response edit before anything runs: exactly its downstream tasks', async () => {
    const { page } = browser;
    const before = await readFile(tracePath, 'utf8');
    await page.locator('[data-field="response"] button', { hasText: 'Edit' }).click();
    // The reply is edited as text, its line breaks typed as they are.
    const reply = page.getByLabel('Edit response message 1 (assistant)');
    await expect(reply.inputValue()).resolves.toBe('apple\nbanana\ncherry\nmango\npear');
    await reply.fill('kiwi\nlime\nplum');
    await page.getByTestId('edit-status').filter({ hasText: 'Valid' }).waitFor();
    await page.locator('.react-flow__node.plan-rerun[data-id="join"]').waitFor();

    const graph = await loadTrace(tracePath);
    const cone = new Set(['list-0', ...graph.downstream('list-0')]);
    const plan = await classesOf(page, TASKS, 'plan-');
    expect(new Set(TASKS.filter((key) => plan[key] !== 'reuse'))).toEqual(cone);
    expect(plan).toEqual({
      'list-0': 'rerun',
      'list-1': 'reuse',
      'list-2': 'reuse',
      join: 'rerun',
      suggest: 'rerun',
      'suggest/pick': 'recreate',
    });
    expect(await readFile(tracePath, 'utf8')).toBe(before); // a preview writes nothing
    await screenshot(page, 'quickstart-edit-plan');

    await page.getByRole('button', { name: 'Save edit' }).click();
    await page.getByTestId('plan-summary').filter({ hasText: 'Replay plan' }).waitFor();
    const saved = await loadTrace(tracePath);
    const listTask = saved.task('list-0');
    expect(listTask?.kind === 'llm' && listTask.response?.value).toMatchObject({
      content: 'kiwi\nlime\nplum',
    });
  });

  it('replays: the planned tasks re-run live, the others are reused, then the new output and changes show', async () => {
    const { page } = browser;
    gated.close();
    await page.getByRole('button', { name: 'Replay' }).click();
    // The LLM call of suggest/pick waits at the gate: the page shows it running, the rest already settled.
    await page.locator('.react-flow__node.live-running[data-id="suggest/pick"]').waitFor();
    await page.locator('.react-flow__node.live-done[data-id="suggest"]').waitFor();
    expect(await classesOf(page, TASKS, 'live-')).toEqual({
      'list-0': 'done',
      'list-1': 'reused',
      'list-2': 'reused',
      join: 'done',
      suggest: 'done',
      'suggest/pick': 'running',
    });
    await expect(page.getByTestId('activity-log').textContent()).resolves.toContain('suggest/pick started');
    // The totals follow the replay: the task in flight counts as running, and the clock runs.
    const totals = page.getByTestId('totals');
    await expect(totals.locator('[data-status="running"]').textContent()).resolves.toContain('1 running');
    await expect(totals.locator('[data-status="done"]').textContent()).resolves.toContain('5 done');
    await expect(totals.locator('[data-total="replay"]').textContent()).resolves.toContain(
      '0 LLM calls so far',
    );
    await screenshot(page, 'quickstart-replay-live');

    gated.open();
    const changes = page.getByTestId('changes-panel');
    await changes.waitFor();
    const changed = await changes
      .locator('li[data-task]')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-task')));
    expect(changed).toEqual(['list-0', 'join', 'suggest/pick']);
    // The changed reply reads as a word diff: the words removed struck out, the words added marked.
    const diff = changes.locator('li[data-task="list-0"] [data-field="response"] [data-testid="word-diff"]');
    await expect(diff.locator('del').allTextContents()).resolves.toContain('apple');
    await expect(diff.locator('ins').allTextContents()).resolves.toContain('kiwi');
    await expect(diff.locator('span').allTextContents()).resolves.toContain('assistant:\n');
    expect(gated.calls).toEqual(['suggest/pick']);
    await screenshot(page, 'quickstart-changes');

    await node(page, 'join').click();
    await expect(page.locator('[data-field="output"]').textContent()).resolves.toContain('kiwi');
    const trace = JSON.parse(await readFile(tracePath, 'utf8'));
    expect(trace.graph.tasks.find((task: { id: string }) => task.id === 'join').output.fruits).toEqual([
      'kiwi',
      'lime',
      'plum',
    ]);
  });

  it('stops a replay: the task in flight is cancelled and what finished is written', async () => {
    const { page } = browser;
    await node(page, 'list-1').click();
    await page.locator('[data-field="output"] button', { hasText: 'Edit' }).click();
    await page.getByLabel('Edit output as JSON').fill(JSON.stringify(['teal']));
    await page.getByTestId('edit-status').filter({ hasText: 'Valid' }).waitFor();
    await page.getByRole('button', { name: 'Save edit' }).click();
    await page.getByTestId('plan-summary').filter({ hasText: 'Replay plan' }).waitFor();
    gated.close();
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.locator('.react-flow__node.live-running[data-id="suggest/pick"]').waitFor();
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(page.getByTestId('notice').textContent()).resolves.toContain('CANCELLED');
    const trace = JSON.parse(await readFile(tracePath, 'utf8'));
    expect(trace.run.status).toBe('cancelled');
    expect(trace.graph.tasks.find((task: { id: string }) => task.id === 'join').output.colors).toEqual([
      'teal',
    ]);
  });

  it('lays the graph out in a web worker that its Content Security Policy allows, and nothing else', async () => {
    const page = await fetch(viewer.url);
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy.split('; ')).toEqual(
      expect.arrayContaining([
        "default-src 'self'",
        "script-src 'self'",
        "worker-src 'self'",
        "connect-src 'self'",
      ]),
    );
    // The worker ran under that policy in Chromium (a refused worker is a console error, checked below).
    expect(browser.page.workers().some((worker) => worker.url().includes('layout-worker'))).toBe(true);
  });

  it('fetches nothing but its own server, and logs no error', () => {
    const origin = new URL(viewer.url).origin;
    expect(browser.requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'))).toEqual([]);
    expect(browser.errors).toEqual([]);
  });
});
