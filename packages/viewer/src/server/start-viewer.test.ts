import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { TaskGraphError } from '@taskgraph/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainTrace, tempDir } from '../../test/fixtures.js';
import { request } from '../../test/http-client.js';
import type { TraceResponse } from '../api-types.js';
import type { Viewer } from './start-viewer.js';
import { startViewer } from './start-viewer.js';

describe('startViewer', () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let tracePath: string;
  let viewer: Viewer;

  beforeAll(async () => {
    temp = await tempDir();
    tracePath = (await chainTrace(temp.dir)).path;
    viewer = await startViewer({ tracePath });
  });

  afterAll(async () => {
    await viewer?.close();
    await temp?.remove();
  });

  it('listens on the loopback address and serves the page with a policy that allows only itself', async () => {
    expect(viewer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await request(viewer.url);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(page.text).toContain('<div id="root">');
  });

  it('serves the trace as it is on disk, without a registry: no replay', async () => {
    const { status, json } = await request<TraceResponse>(new URL('/api/trace', viewer.url).href);
    expect(status).toBe(200);
    expect(json.tracePath).toBe(tracePath);
    expect(json.canReplay).toBe(false);
    expect(json.trace.graph.tasks.map((task) => task.id)).toEqual(['a', 'b', 'c']);
    expect(JSON.parse(await readFile(tracePath, 'utf8')).graph.tasks[2].output).toBe(3);
  });

  it('serves the page for paths of the page, and nothing outside its folder', async () => {
    expect((await request(new URL('/some/view', viewer.url).href)).text).toContain('<div id="root">');
    expect((await request(new URL('/assets/missing.js', viewer.url).href)).status).toBe(404);
    expect((await request(new URL('/..%2f..%2fpackage.json', viewer.url).href)).status).toBe(404);
    const api = await request(new URL('/api/nothing', viewer.url).href);
    expect([api.status, api.json.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('refuses a request addressed to another host name (DNS rebinding)', async () => {
    const answer = await request(new URL('/api/trace', viewer.url).href, {
      headers: { Host: 'attacker.example' },
    });
    expect([answer.status, answer.json.error.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('refuses changes from another site and changes not sent as JSON', async () => {
    const edit = new URL('/api/edit', viewer.url).href;
    const body = { task: ['a'], field: 'output', value: 5 };
    const crossSite = await request(edit, { body, headers: { Origin: 'http://attacker.example' } });
    expect([crossSite.status, crossSite.json.error.code]).toEqual([403, 'FORBIDDEN']);
    const form = await request(edit, { method: 'POST', headers: { 'Content-Type': 'text/plain' } });
    expect([form.status, form.json.error.code]).toEqual([403, 'FORBIDDEN']);
    expect(JSON.parse(await readFile(tracePath, 'utf8')).graph.tasks[0].output).toBe(1);
  });

  it('refuses bad options with INVALID_ARGUMENT', async () => {
    const refused = async (options: Parameters<typeof startViewer>[0]) => {
      const error = await startViewer(options).then(
        (started) => started.close().then(() => undefined),
        (thrown: unknown) => thrown,
      );
      return error instanceof TaskGraphError ? error.code : error;
    };
    expect(await refused({ tracePath: `${temp.dir}/missing.json` })).toBe('INVALID_ARGUMENT');
    expect(await refused({ tracePath: '' })).toBe('INVALID_ARGUMENT');
    expect(await refused({ tracePath, port: 70_000 })).toBe('INVALID_ARGUMENT');
    expect(await refused({ tracePath, port: 1.5 })).toBe('INVALID_ARGUMENT');
  });

  it('refuses a port that is taken, with INVALID_ARGUMENT', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      await expect(startViewer({ tracePath, port })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
