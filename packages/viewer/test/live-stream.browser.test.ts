import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FunctionRegistry, saveTrace, TaskGraph } from '@taskgraph/core';
import { OpenAIHandler } from '@taskgraph/openai';
import { startTestServer, type TestServer } from '@taskgraph/openai/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../src/server/index.js';
import { startViewer } from '../src/server/index.js';
import type { BrowserSession } from './browser.js';
import { node, openBrowser } from './browser.js';
import { tempDir } from './fixtures.js';
import { request } from './http-client.js';

const REPLY = 'alpha beta gamma delta epsilon zeta eta theta';

describe('viewer during a replay of a streaming LLM task', () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let server: TestServer;
  let viewer: Viewer;
  let browser: BrowserSession;
  let tracePath: string;

  beforeAll(async () => {
    temp = await tempDir();
    server = await startTestServer();
    const registry = new FunctionRegistry().addHandler(
      new OpenAIHandler({
        apiKey: 'sk-test',
        baseURL: server.url,
        env: {},
        defaultModel: 'gpt-4o-mini',
        stream: true,
      }),
    );
    const prompt = registry.register('prompt', (ctx) => `Write about ${String(ctx.args)}.`);
    const graph = new TaskGraph();
    graph.setOutput(graph.addLLM({ id: 'essay', prompt, args: 'rivers' }));
    await graph.run(registry);
    tracePath = join(temp.dir, 'stream.json');
    await saveTrace(graph, tracePath);
    server.setDefaultReply({ content: REPLY, chunkDelayMs: 250 });
    viewer = await startViewer({ tracePath, registry });
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await viewer?.close();
    await server?.close();
    await temp?.remove();
  });

  it('shows the reply growing as it streams, then the stored response', async () => {
    const { page } = browser;
    const edit = await request(`${viewer.url}api/edit`, {
      body: { task: ['essay'], field: 'prompt', value: 'Write about lakes.' },
      headers: { Origin: viewer.url.replace(/\/$/, '') },
    });
    expect(edit.status).toBe(200);
    await page.goto(viewer.url);
    await node(page, 'essay').click();
    await page.getByRole('button', { name: 'Replay' }).click();
    // A replay opens the activity log: once it shows the replay started, go back to the task.
    await page.getByText('replay started', { exact: false }).first().waitFor();
    await node(page, 'essay').click();
    const live = page.getByTestId('live-reply');
    await live.waitFor();
    // Part of the reply is on the page before the whole of it.
    await expect
      .poll(async () => (await live.textContent()) ?? '', { timeout: 10_000 })
      .toContain('alpha beta');
    const partial = (await live.textContent()) ?? '';
    expect(partial.length).toBeLessThan(REPLY.length + 'Reply so far'.length);
    // Once the call ends, the stored response is the whole reply, as a call that did not stream stores it.
    await expect
      .poll(async () => JSON.parse(await readFile(tracePath, 'utf8')).graph.tasks[0].response?.content, {
        timeout: 15_000,
      })
      .toBe(REPLY);
    expect(server.requests.length).toBe(2);
  });
});
