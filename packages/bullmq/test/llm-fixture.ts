import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { TaskGraph } from '@taskgraph/core';
import { type RecordedRequest, startTestServer, type TestServer } from '@taskgraph/openai/testing';
import { FIXTURES } from './worker-process.js';

export const LLM_PROGRAM = join(FIXTURES, 'llm-program.ts');

/**
 * The OpenAI-compatible test server the fault tests count requests at: each reply is a function of the
 * prompt alone (so an interrupted run must give the same outputs) and comes after 40 to 160 ms.
 */
export async function startLLMServer(): Promise<LLMServer> {
  const sentAt = new WeakMap<RecordedRequest, number>();
  const server = await startTestServer({
    respond: (request) => {
      void request.settled.then(() => sentAt.set(request, Date.now()));
      const digest = createHash('sha256').update(request.lastUserText).digest();
      const ms = 40 + ((digest[0] ?? 0) % 120);
      return { fault: 'delay', ms, reply: { content: `re[${request.lastUserText}]` } };
    },
  });
  return Object.assign(server, { sentAt: (request: RecordedRequest) => sentAt.get(request) });
}

export interface LLMServer extends TestServer {
  /** When the server finished with a request (its answer sent, or the client gone), Date.now(). */
  sentAt(request: RecordedRequest): number | undefined;
}

/** A worker killed at `at` (Date.now()). */
export interface Kill {
  pid: string;
  at: number;
}

/**
 * The prompts containing `salt` whose answer the server sent in full more than once, leaving out the
 * case no design can close: the worker the first answer went to was dead before it could keep it in
 * Redis (killed before the answer was sent, which the server cannot see for a half-closed connection,
 * or within `windowMs` after).
 */
export function paidTwice(
  server: LLMServer,
  salt: string,
  kills: readonly Kill[],
  windowMs: number,
): { paidTwice: string[]; excused: string[]; prompts: number } {
  const answered = new Map<string, RecordedRequest[]>();
  for (const request of server.requests) {
    if (!request.lastUserText.includes(salt)) continue;
    const list = answered.get(request.lastUserText) ?? [];
    if (request.outcome === 'answered') list.push(request);
    answered.set(request.lastUserText, list);
  }
  const twice: string[] = [];
  const excused: string[] = [];
  for (const [prompt, requests] of answered) {
    if (requests.length <= 1) continue;
    const [first] = requests as [RecordedRequest];
    const sent = server.sentAt(first) ?? Number.POSITIVE_INFINITY;
    const lost = kills.some(
      (kill) => kill.pid === first.headers['x-worker-pid'] && kill.at <= sent + windowMs,
    );
    (lost && requests.length === 2 ? excused : twice).push(prompt);
  }
  return { paidTwice: twice, excused, prompts: answered.size };
}

/** Every task's output, by id, as the trace holds it. */
export function outputs(graph: TaskGraph): Record<string, unknown> {
  const records = graph.toJSON().graph.tasks as Array<{ id: string; output?: unknown }>;
  return Object.fromEntries(records.map((record) => [record.id, record.output]));
}
