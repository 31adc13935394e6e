import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../src/server/index.js';
import { startViewer } from '../src/server/index.js';
import type { BrowserSession } from './browser.js';
import { node, openBrowser, screenshot } from './browser.js';
import { tempDir, timelineTrace } from './fixtures.js';

const TASK_QUEUE = fileURLToPath(new URL('../../../traces/task-queue.json', import.meta.url));

describe('viewer views for LLM runs: transcript, conversations, timeline', () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let queue: Viewer;
  let timed: Viewer;
  let browser: BrowserSession;

  beforeAll(async () => {
    temp = await tempDir();
    const queuePath = join(temp.dir, 'task-queue.json');
    await copyFile(TASK_QUEUE, queuePath);
    queue = await startViewer({ tracePath: queuePath });
    const fixture = await timelineTrace(temp.dir);
    timed = await startViewer({ tracePath: fixture.path, registry: fixture.registry });
    browser = await openBrowser();
  });

  afterAll(async () => {
    expect(browser?.errors).toEqual([]);
    await browser?.close();
    await queue?.close();
    await timed?.close();
    await temp?.remove();
  });

  it('shows a prompt and a response as a transcript: roles, text with its line breaks, tool calls', async () => {
    const { page } = browser;
    await page.goto(timed.url);
    await node(page, 'ask').click();
    const prompt = page.locator('[data-field="prompt"]');
    const roles = await prompt
      .locator('.tg-message')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-role')));
    expect(roles).toEqual(['system', 'user', 'assistant', 'tool']);
    // The text keeps its line break (not an escaped \n), and no JSON key shows.
    // innerText, not textContent: the line break must be drawn, not only present in the text.
    // biome-ignore lint/performance/useDomNodeTextContent: what the page shows is what is checked
    await expect(prompt.locator('.tg-message-text').first().innerText()).resolves.toBe(
      'You check invoices.\nAnswer in two lines.',
    );
    await expect(prompt.textContent()).resolves.not.toContain('"role"');
    await expect(prompt.locator('.tg-tool-call').textContent()).resolves.toContain('check_invoice');
    // biome-ignore lint/performance/useDomNodeTextContent: as above
    await expect(prompt.locator('.tg-tool-call pre').innerText()).resolves.toBe('{\n  "id": "INV-1001"\n}');
    await expect(prompt.textContent()).resolves.toContain('result of call_1');
    // The output comes first in the panel.
    const order = await page
      .getByTestId('task-detail')
      .locator('section.tg-value')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-field')));
    expect(order.slice(0, 3)).toEqual(['output', 'prompt', 'response']);
    await screenshot(page, 'transcript');
  });

  it('edits a message of a prompt as plain text: the roles and tool calls stay, the plan shows', async () => {
    const { page } = browser;
    await page.locator('[data-field="prompt"] button', { hasText: 'Edit' }).click();
    const field = page.getByLabel('Edit prompt message 2 (user)');
    await expect(field.inputValue()).resolves.toBe('Check INV-1001 (total 4).');
    await field.fill('Check INV-1001 and INV-1002\nthen say which is wrong.');
    await page.getByTestId('edit-status').filter({ hasText: 'Valid' }).waitFor();
    await page.locator('.react-flow__node.plan-rerun[data-id="ask"]').waitFor();
    // The JSON view of the same edit: the new text with its line break, everything else unchanged.
    await page.getByRole('button', { name: 'Edit as JSON' }).click();
    const json = JSON.parse(await page.getByLabel('Edit prompt as JSON').inputValue());
    expect(json[1]).toEqual({
      role: 'user',
      content: 'Check INV-1001 and INV-1002\nthen say which is wrong.',
    });
    expect(json[2].toolCalls[0].function.name).toBe('check_invoice');
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('draws the run as a timeline: tasks that ran at once, the retry, LLM apart, critical path; a bar selects', async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: 'Timeline' }).click();
    const timeline = page.getByTestId('timeline');
    await timeline.waitFor();
    await expect(page.getByTestId('peak-concurrency').textContent()).resolves.toBe('2');
    const row = (key: string) => timeline.locator(`.tg-timeline-row[data-task="${key}"]`);
    await expect(row('flaky').textContent()).resolves.toContain('2 attempts');
    await expect(row('ask').getAttribute('class')).resolves.toContain('kind-llm');
    await expect(row('left').getAttribute('class')).resolves.toContain('kind-function');
    // The chain that ends the run is on the critical path.
    await expect(row('ask').getAttribute('class')).resolves.toContain('is-critical');
    await expect(row('flaky').getAttribute('class')).resolves.toContain('is-critical');
    // Rows are in start order: the two at once first, then the retried sum, then the LLM call.
    const keys = await timeline
      .locator('.tg-timeline-row')
      .evaluateAll((rows) => rows.map((item) => item.getAttribute('data-task')));
    expect(keys.slice(2)).toEqual(['flaky', 'ask']);
    await row('flaky').click();
    await expect(page.getByTestId('task-detail').getAttribute('data-task')).resolves.toBe('flaky');
    await screenshot(page, 'timeline');
  });

  it('filters by kind and function: the tasks left out are drawn faint on the graph and the timeline', async () => {
    const { page } = browser;
    await page.getByLabel('Filter by kind').selectOption('llm');
    await expect(page.getByTestId('filter-count').textContent()).resolves.toContain('1 of 4 match');
    const dim = page.locator('.tg-timeline-row.is-dim');
    await expect(
      dim.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-task')).sort()),
    ).resolves.toEqual(['flaky', 'left', 'right']);
    await page.getByRole('tab', { name: 'Graph' }).click();
    await node(page, 'ask').waitFor();
    await expect(node(page, 'ask').getAttribute('class')).resolves.not.toContain('is-dim');
    await expect(node(page, 'left').getAttribute('class')).resolves.toContain('is-dim');
    await page.getByLabel('Filter by function').selectOption('flaky');
    await expect(page.getByTestId('filter-count').textContent()).resolves.toContain('0 of 4 match');
    await page.getByLabel('Filter by kind').selectOption('');
    await expect(page.getByTestId('filter-count').textContent()).resolves.toContain('1 of 4 match');
    await expect(node(page, 'flaky').getAttribute('class')).resolves.not.toContain('is-dim');
    await page.getByRole('button', { name: 'clear' }).click();
    await expect(page.getByTestId('filter-count').count()).resolves.toBe(0);
  });

  it('reads a task-queue trace as a conversation, each message once, linked to the graph', async () => {
    const { page } = browser;
    await page.goto(queue.url);
    await page.getByRole('tab', { name: 'Conversations' }).click();
    const conversation = page.locator('[data-conversation="invoices"]');
    await conversation.waitFor();
    const turns = conversation.locator('.tg-turn');
    await expect(turns.count()).resolves.toBe(9);
    // The system prompt is shown once, in the first turn; later turns add only the tool results.
    await expect(conversation.locator('.tg-message[data-role="system"]').count()).resolves.toBe(1);
    await expect(turns.nth(1).locator('.tg-message').first().getAttribute('data-role')).resolves.toBe('tool');
    await expect(turns.nth(1).textContent()).resolves.toContain('earlier messages not repeated');
    await expect(turns.first().textContent()).resolves.toContain('task_management');
    await screenshot(page, 'conversation');
    await turns.nth(1).getByRole('button', { name: 'show in graph' }).click();
    await expect(page.getByTestId('task-detail').getAttribute('data-task')).resolves.toBe(
      'invoices/act-1/llm-2',
    );
    await node(page, 'invoices/act-1/llm-2').waitFor();
    // And back: from the task to its turn in the conversation.
    await page.getByRole('button', { name: 'show in its conversation' }).click();
    await expect(
      page.getByRole('tab', { name: 'Conversations' }).getAttribute('aria-selected'),
    ).resolves.toBe('true');
    await expect(
      page.locator('.tg-turn[data-task="invoices/act-1/llm-2"]').getAttribute('class'),
    ).resolves.toContain('is-selected');
    await page.getByRole('tab', { name: 'Graph' }).click();
  });

  it('groups the tasks one task created down its chain: a box that closes to one node and opens to reveal', async () => {
    const { page } = browser;
    const group = node(page, 'invoices\u2009+created');
    await expect(group.getAttribute('class')).resolves.toContain('react-flow__node-createdGroup');
    // Open (31 tasks, under the size past which a group starts closed): its tasks inside its box.
    const box = await group.boundingBox();
    const member = await node(page, 'invoices/act-1/llm-2').boundingBox();
    expect(box && member && member.y > box.y && member.y + member.height <= box.y + box.height).toBe(true);
    await screenshot(page, 'created-group-open');
    await page.getByRole('button', { name: 'Fit View' }).click();
    await page.getByRole('button', { name: 'Close group tasks created by invoices' }).click();
    await node(page, 'invoices/act-1/llm-2').waitFor({ state: 'detached' });
    await expect(group.textContent()).resolves.toContain('+ 30 created');
    await expect(group.textContent()).resolves.toContain('31 done');
    // The closed group is brought into view, readable.
    const zoom = async () => {
      const style = (await page.locator('.react-flow__viewport').getAttribute('style')) ?? '';
      return Number(/scale\(([\d.]+)\)/.exec(style)?.[1] ?? 0);
    };
    await expect.poll(zoom).toBeGreaterThanOrEqual(0.9);
    await screenshot(page, 'created-group-closed');
    // Finding a task inside a closed group opens it.
    await page.getByLabel('Search task by id').fill('llm-3');
    await page.getByLabel('Search task by id').press('Enter');
    await node(page, 'invoices/act-1/act-2/llm-3').waitFor();
  });
});
