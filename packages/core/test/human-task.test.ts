import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { answerTask, FunctionRegistry, planReplay, TaskGraph, type TaskGraphError } from '../src/index.js';
import { ScriptedHandler } from '../src/testing.js';

/** A program with an LLM draft, a person's approval of it, and a function that publishes what was approved. */
function program() {
  const calls: string[] = [];
  const llm = new ScriptedHandler({ reply: () => 'a draft' });
  const registry = new FunctionRegistry().addHandler(llm);
  const draftPrompt = registry.register('draftPrompt', () => 'write a draft');
  const ask = registry.register('ask', (_ctx, draft: string) => `Publish "${draft}"?`);
  const publish = registry.register('publish', (_ctx, draft: string, verdict: { ok: boolean }) => {
    calls.push('publish');
    return verdict.ok ? `published: ${draft}` : 'withheld';
  });
  const other = registry.register('other', () => {
    calls.push('other');
    return 'independent work';
  });
  const build = () => {
    const graph = new TaskGraph();
    const draft = graph.addLLM({ id: 'draft', prompt: draftPrompt, handler: llm.id });
    const approve = graph.addHuman({
      id: 'approve',
      question: ask,
      deps: [draft],
      parser: z.object({ ok: z.boolean() }),
    });
    graph.addFunction({ id: 'other', fn: other });
    graph.setOutput(graph.addFunction({ id: 'publish', fn: publish, deps: [draft, approve] }));
    return graph;
  };
  return { registry, llm, calls, build };
}

const reload = (graph: TaskGraph) => TaskGraph.fromJSON(JSON.parse(JSON.stringify(graph.toJSON())));

describe('human tasks', () => {
  it('pause the run where a person must answer, let every other branch finish, and keep the question', async () => {
    const { registry, calls, build } = program();
    const graph = build();
    const error = (await graph.run(registry).catch((e) => e)) as TaskGraphError & { waiting: unknown[] };
    expect(error.code).toBe('AWAITING_ANSWERS');
    expect(error.waiting).toEqual([
      {
        taskPath: ['approve'],
        question: 'Publish "a draft"?',
        schema: expect.objectContaining({ type: 'object' }),
      },
    ]);
    expect(calls).toEqual(['other']);
    const saved = error.trace;
    expect(saved?.run?.status).toBe('waiting');
    const record = saved?.graph.tasks.find((task) => task.id === 'approve');
    expect(record).toMatchObject({ kind: 'human', status: 'waiting', question: 'Publish "a draft"?' });
    expect(saved?.graph.tasks.find((task) => task.id === 'publish')?.status).toBe('pending');
  });

  it('resume from the trace once answered, reusing everything done: no LLM call is made again', async () => {
    const { registry, llm, calls, build } = program();
    const graph = build();
    await graph.run(registry).catch(() => undefined);
    const resumed = reload(graph);
    const plan = answerTask(resumed, 'approve', { ok: true }, registry);
    expect(
      plan?.tasks.filter((task) => task.action === 'rerun').map((task) => task.taskPath.join('>')),
    ).toEqual(['approve', 'publish']);
    expect(await resumed.run(registry)).toBe('published: a draft');
    expect(llm.calls).toBe(1);
    expect(calls).toEqual(['other', 'publish']);
    expect(resumed.task('approve')?.status).toBe('done');
  });

  it('refuse an answer the schema rejects, naming the task, and leave the graph as it was', async () => {
    const { registry, build } = program();
    const graph = build();
    await graph.run(registry).catch(() => undefined);
    const before = JSON.stringify(graph.toJSON().graph);
    let error: TaskGraphError | undefined;
    try {
      answerTask(graph, 'approve', { ok: 'yes' });
    } catch (e) {
      error = e as TaskGraphError;
    }
    expect(error?.code).toBe('ANSWER_INVALID');
    expect(error?.taskPath).toEqual(['approve']);
    expect(JSON.stringify(graph.toJSON().graph)).toBe(before);
    // A text that is not JSON is refused the same way, not as a parse failure.
    expect(() => answerTask(graph, 'approve', 'yes please')).toThrow(
      expect.objectContaining({ code: 'ANSWER_INVALID', taskPath: ['approve'] }),
    );
    expect(() => answerTask(graph, 'other', 'x')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('take answers from the run’s callback, for programs that answer in process', async () => {
    const { registry, build } = program();
    const asked: unknown[] = [];
    const output = await build().run(registry, {
      answer: (question) => {
        asked.push(question.question);
        return { ok: false };
      },
    });
    expect(output).toBe('withheld');
    expect(asked).toEqual(['Publish "a draft"?']);
  });

  it('re-run only the cone of an edited answer, with no LLM call', async () => {
    const { registry, llm, calls, build } = program();
    const graph = build();
    await graph.run(registry, { answer: () => ({ ok: true }) });
    const edited = reload(graph);
    answerTask(edited, 'approve', { ok: false });
    expect(await edited.run(registry)).toBe('withheld');
    expect(llm.calls).toBe(1);
    expect(calls).toEqual(['other', 'publish', 'publish']);
  });

  it('ask two questions at once, and wait for both', async () => {
    const registry = new FunctionRegistry();
    const ask = registry.register('q', (ctx) => `question ${ctx.args}`);
    const graph = new TaskGraph();
    graph.addHuman({ id: 'a', question: ask, args: 'a' });
    graph.addHuman({ id: 'b', question: ask, args: 'b' });
    const error = (await graph.run(registry).catch((e) => e)) as TaskGraphError & {
      waiting: Array<{ taskPath: string[] }>;
    };
    expect(error.waiting.map((q) => q.taskPath[0]).sort()).toEqual(['a', 'b']);
    const next = reload(graph);
    answerTask(next, 'a', 'yes');
    const second = (await next.run(registry).catch((e) => e)) as TaskGraphError & {
      waiting: Array<{ taskPath: string[] }>;
    };
    expect(second.waiting.map((q) => q.taskPath[0])).toEqual(['b']);
    expect(next.task('a')?.output?.value).toBe('yes');
  });

  it('unattended: take the default answer, or fail with ANSWER_DEADLINE when there is none', async () => {
    const registry = new FunctionRegistry();
    const ask = registry.register('q', () => 'continue?');
    const graph = new TaskGraph();
    graph.setOutput(graph.addHuman({ id: 'go', question: ask, default: 'yes' }));
    expect(await graph.run(registry, { unattended: true })).toBe('yes');
    const strict = new TaskGraph();
    strict.addHuman({ id: 'go', question: ask });
    const error = (await strict.run(registry, { unattended: true }).catch((e) => e)) as TaskGraphError;
    expect((error.cause as TaskGraphError).code).toBe('ANSWER_DEADLINE');
    expect(strict.task('go')?.status).toBe('failed');
  });

  it('a question past its deadline takes the default answer on the next run', async () => {
    const registry = new FunctionRegistry();
    const ask = registry.register('q', () => 'continue?');
    const graph = new TaskGraph();
    graph.setOutput(graph.addHuman({ id: 'go', question: ask, default: 'default', deadlineMs: 0 }));
    expect(await graph.run(registry)).toBe('default');
    const waits = new TaskGraph();
    waits.setOutput(waits.addHuman({ id: 'go', question: ask, default: 'default', deadlineMs: 3_600_000 }));
    expect(((await waits.run(registry).catch((e) => e)) as TaskGraphError).code).toBe('AWAITING_ANSWERS');
    expect(planReplay(reload(waits)).tasks[0]?.stages.map((s) => s.stage)).toEqual([
      'question',
      'answer',
      'output',
    ]);
  });

  it('a human task in a nested graph makes its graph task wait too', async () => {
    const registry = new FunctionRegistry();
    const ask = registry.register('q', () => 'inner question');
    const inner = new TaskGraph();
    inner.setOutput(inner.addHuman({ id: 'ask', question: ask }));
    const graph = new TaskGraph();
    graph.setOutput(graph.addGraph({ id: 'outer', graph: inner }));
    const error = (await graph.run(registry).catch((e) => e)) as TaskGraphError & {
      waiting: Array<{ taskPath: string[] }>;
    };
    expect(error.waiting[0]?.taskPath).toEqual(['outer', 'ask']);
    expect(graph.task('outer')?.status).toBe('waiting');
    const next = reload(graph);
    answerTask(next, ['outer', 'ask'], 'inner answer');
    expect(await next.run(registry)).toBe('inner answer');
  });
});
