import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwaitingAnswersError, HumanQuestion } from '@taskgraph/core';
import { answerTask, editTrace, loadTrace, saveTrace, TaskGraph } from '@taskgraph/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentLoop } from './agent-loop.js';
import { findLoopEnd } from './loop-result.js';
import { humanResponder, llmResponder } from './responders.js';
import { llmFixture } from './testing/loop-fixture.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** An interactive chat: the LLM (through HTTP) answers, a person replies, for `turns` turns. */
async function chat(turns = 3) {
  const fx = await llmFixture();
  fx.server.setDefaultReply((request) => ({ content: `reply ${request.index + 1}` }));
  const dir = await mkdtemp(join(tmpdir(), 'loop-human-'));
  cleanups.push(
    () => fx.server.close(),
    () => rm(dir, { recursive: true, force: true }),
  );
  const loop = new AgentLoop({
    name: 'chat',
    responders: [llmResponder(), humanResponder()],
    interactive: true,
    turns,
  });
  const userTexts = () => fx.server.requests.map((request) => request.lastUserText);
  return { ...fx, loop, path: join(dir, 'chat.json'), userTexts };
}

describe('R3-4: a person as the human responder', () => {
  it("pauses at the user's turn, takes the answer given with answerTask, and resumes without repeating an LLM request", async () => {
    const { loop, registry, path, userTexts } = await chat();
    const error = (await loop.run(registry, 'hi', { trace: path }).catch((e) => e)) as AwaitingAnswersError;
    expect(error.code).toBe('AWAITING_ANSWERS');
    expect(error.waiting).toEqual([
      { taskPath: ['chat/turn-2.user@2'], question: 'reply 1', schema: expect.objectContaining({}) },
    ]);
    expect(userTexts()).toEqual(['hi']);
    const onDisk = JSON.parse(await readFile(path, 'utf8'));
    expect(onDisk.run.status).toBe('waiting');

    const saved = await loadTrace(path);
    answerTask(saved, error.waiting[0]?.taskPath ?? [], 'tell me more');
    await saveTrace(saved, path);
    const run = await loop.run(registry, 'hi', { trace: path });
    expect([run.status, run.turns, run.content]).toEqual(['FIXED_TURNS', 3, 'reply 2']);
    expect(run.state.history.map((m) => `${m.sender}: ${m.content}`)).toEqual([
      'input: hi',
      'llm: reply 1',
      'user: tell me more',
      'llm: reply 2',
    ]);
    expect(userTexts()).toEqual(['hi', 'tell me more']);
  });

  it("takes answers from the run's answer callback; an edited answer re-runs only its cone", async () => {
    const { loop, registry, userTexts } = await chat(5);
    const asked: HumanQuestion[] = [];
    const replies: Record<string, string> = { 'reply 1': 'tell me more', 'reply 2': 'thanks' };
    const answer = (question: HumanQuestion) => {
      asked.push(question);
      return replies[question.question as string];
    };
    const run = await loop.run(registry, 'hi', { answer });
    expect([run.status, run.content]).toEqual(['FIXED_TURNS', 'reply 3']);
    expect(asked.map((q) => [q.taskPath.join(' > '), q.question])).toEqual([
      ['chat/turn-2.user@2', 'reply 1'],
      ['chat/turn-4.user@4', 'reply 2'],
    ]);
    expect(userTexts()).toEqual(['hi', 'tell me more', 'thanks']);

    // The person's reply is a stored value: edit the last one, and only what follows it runs again.
    const graph = TaskGraph.fromJSON(JSON.parse(JSON.stringify(run.graph.toJSON())));
    const plan = editTrace(
      graph,
      { task: 'chat/turn-4.user@4', field: 'answer', value: 'no thanks' },
      registry,
    );
    const byAction = (action: string) =>
      plan?.tasks.filter((task) => task.action === action).map((task) => task.taskPath.join(' > '));
    expect(byAction('rerun')).toEqual(['chat/turn-4.user@4', 'chat/turn-4@4']);
    expect(byAction('reuse')).toEqual([
      'chat',
      'chat/turn-1.llm',
      'chat/turn-1',
      'chat/turn-2.user@2',
      'chat/turn-2@2',
      'chat/turn-3.llm@3',
      'chat/turn-3@3',
    ]);
    await graph.run(registry);
    expect(userTexts()).toEqual(['hi', 'tell me more', 'thanks', 'no thanks']);
    const end = findLoopEnd(graph, 'chat', 'chat')?.output.state;
    expect(end?.history.map((m) => m.content)).toEqual([
      'hi',
      'reply 1',
      'tell me more',
      'reply 2',
      'no thanks',
      'reply 4',
    ]);
    expect(asked).toHaveLength(2);
  });

  it('refuses an answer that is not a reply, naming the task, and keeps the scripted human working', async () => {
    const { loop, registry, path } = await chat();
    const error = (await loop.run(registry, 'hi', { trace: path }).catch((e) => e)) as AwaitingAnswersError;
    const saved = await loadTrace(path);
    expect(() => answerTask(saved, error.waiting[0]?.taskPath ?? [], { not: 'text' })).toThrow(
      expect.objectContaining({ code: 'ANSWER_INVALID' }),
    );
    const scripted = new AgentLoop({
      name: 'chat-scripted',
      responders: [llmResponder(), humanResponder({ defaultReply: 'go on' })],
      interactive: true,
      turns: 3,
    });
    const run = await scripted.run(registry, 'hi');
    expect(run.state.history.map((m) => m.content)).toEqual(['hi', 'reply 2', 'go on', 'reply 3']);
    expect(run.graph.task('chat-scripted/turn-2.user@2')?.kind).toBe('function');
  });

  it('takes defaultAnswer when the run is unattended (a quit string ends the loop with USER_QUIT)', async () => {
    const { registry } = await chat();
    const loop = new AgentLoop({
      name: 'chat-unattended',
      responders: [llmResponder(), humanResponder({ defaultAnswer: 'bye' })],
      interactive: true,
    });
    const run = await loop.run(registry, 'hi', { unattended: true });
    expect([run.status, run.content, run.turns]).toEqual(['USER_QUIT', 'bye', 2]);
    expect(run.graph.task('chat-unattended/turn-2.user@2')?.kind).toBe('human');
  });
});
