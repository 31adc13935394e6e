import { describe, expect, it } from 'vitest';
import type { TaskGraphError } from '../src/index.js';
import { TaskGraph } from '../src/index.js';
import { planReplay } from '../src/trace/replay-plan.js';
import type { RawJson } from './helpers.js';
import { rawTrace } from './helpers.js';
import { trackingRegistry } from './tracking.js';

/**
 * a ─ b ─ d ─ ask (LLM) ─ e
 *  └─ c ─┘
 * f (independent)
 */
async function recorded(versions: Record<string, string> = {}) {
  const t = trackingRegistry({ versions });
  const graph = new TaskGraph({ input: 'topic' });
  const a = graph.addFunction({ id: 'a', fn: t.node });
  const b = graph.addFunction({ id: 'b', fn: t.node, deps: [a] });
  const c = graph.addFunction({ id: 'c', fn: t.node, deps: [a] });
  const d = graph.addFunction({ id: 'd', fn: t.node, deps: [b, c] });
  const ask = graph.addLLM({ id: 'ask', prompt: t.prompt, parser: t.parse, deps: [d], handler: 'scripted' });
  graph.setOutput(graph.addFunction({ id: 'e', fn: t.node, deps: [ask] }));
  graph.addFunction({ id: 'f', fn: t.node });
  await graph.run(t.registry);
  t.take();
  return { t, trace: rawTrace(graph.toJSON()) as RawJson };
}

function task(trace: RawJson, id: string): RawJson {
  return trace.graph.tasks.find((record: RawJson) => record.id === id);
}

async function replay(trace: RawJson, t: ReturnType<typeof trackingRegistry>, options = {}) {
  const graph = TaskGraph.fromJSON(rawTrace(trace));
  const plan = planReplay(graph, t.registry, options);
  const output = await graph.run(t.registry, options);
  return { output, plan, graph, ...t.take() };
}

function planned(plan: ReturnType<typeof planReplay>, action: string) {
  return plan.tasks
    .filter((p) => p.action === action)
    .map((p) => p.taskPath.join(' > '))
    .sort();
}

describe('replay of an edited trace', () => {
  it('unchanged: zero function and zero LLM calls, same output', async () => {
    const { t, trace } = await recorded();
    const result = await replay(trace, t);
    expect(result.ran).toEqual([]);
    expect(result.llmCalls).toEqual([]);
    expect(result.output).toBe(task(trace, 'e').output);
    expect(planned(result.plan, 'rerun')).toEqual([]);
  });

  it('edited output: exactly its downstream cone re-runs, the edited value is kept', async () => {
    const { t, trace } = await recorded();
    task(trace, 'b').output = 'edited by hand';
    const result = await replay(trace, t);
    expect(result.ran).toEqual(['ask:prompt', 'ask:parse', 'd', 'e'].sort());
    expect(result.llmCalls).toEqual(['ask']);
    expect(result.graph.task('b')?.output?.value).toBe('edited by hand');
    expect(planned(result.plan, 'rerun')).toEqual(['ask', 'd', 'e']);
  });

  it('edited response: only its parser and what is downstream re-run, no LLM call', async () => {
    const { t, trace } = await recorded();
    task(trace, 'ask').response.content = 'a better answer';
    const result = await replay(trace, t);
    expect(result.ran).toEqual(['ask:parse', 'e']);
    expect(result.llmCalls).toEqual([]);
    expect(result.graph.task('ask')?.output?.value).toBe('A BETTER ANSWER');
    expect(result.plan.tasks.find((p) => p.taskPath[0] === 'ask')?.stages.map((s) => s.action)).toEqual([
      'reuse',
      'reuse',
      'rerun',
    ]);
  });

  it('edited prompt: one LLM call, then its parser and downstream', async () => {
    const { t, trace } = await recorded();
    task(trace, 'ask').prompt = 'a new prompt';
    const result = await replay(trace, t);
    expect(result.llmCalls).toEqual(['ask']);
    expect(result.ran).toEqual(['ask:parse', 'e']);
    expect(result.plan.llmCalls).toBe(1);
  });

  it('edited graph input: only the tasks that read it re-run', async () => {
    const t = trackingRegistry();
    const reader = t.registry.register('reader', (ctx) => `read ${String(ctx.input)}`);
    const graph = new TaskGraph({ input: 'one' });
    const r = graph.addFunction({ id: 'r', fn: reader });
    graph.addFunction({ id: 'n', fn: t.node });
    graph.addFunction({ id: 'after', fn: t.node, deps: [r] });
    await graph.run(t.registry);
    t.take();
    const trace = rawTrace(graph.toJSON());
    trace.graph.input = 'two';
    const result = await replay(trace, t);
    expect(result.ran).toEqual(['after']);
    expect(result.graph.task('r')?.output?.value).toBe('read two');
  });

  it('version bump: every task of that function re-runs, and what depends on them', async () => {
    // Version 2 of `node` computes other values, so everything downstream of its tasks changes too.
    const { trace } = await recorded({ node: '1' });
    const bumped = trackingRegistry({ versions: { node: '2' } });
    const result = await replay(trace, bumped);
    expect(result.ran).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'ask:prompt', 'ask:parse'].sort());
    expect(result.llmCalls).toEqual(['ask']);
    expect(result.plan.tasks.find((p) => p.taskPath[0] === 'a')?.stages[0]?.cause).toBe('version');
  });

  it('forced task: it re-runs; downstream re-runs when its output changes', async () => {
    const { t, trace } = await recorded();
    const result = await replay(trace, t, { force: { tasks: ['ask'] } });
    expect(result.llmCalls).toEqual(['ask']);
    // The scripted model answers the same prompt the same way, so nothing downstream needs to run again.
    expect(result.ran).toEqual(['ask:parse', 'ask:prompt']);
    expect(planned(result.plan, 'rerun')).toEqual(['ask', 'e']);
  });

  it('forcing a parser function re-runs parsers only, not LLM calls', async () => {
    const { t, trace } = await recorded();
    const result = await replay(trace, t, { force: { functions: ['parse'] } });
    expect(result.llmCalls).toEqual([]);
    expect(result.ran).toEqual(['ask:parse']);
  });

  it('failed task: the replay retries it and reuses everything else', async () => {
    const t = trackingRegistry();
    let fail = true;
    const flaky = t.registry.register('flaky', (ctx) => {
      if (fail) throw new Error('flaky');
      return ctx.taskId;
    });
    const graph = new TaskGraph();
    const ok = graph.addFunction({ id: 'ok', fn: t.node });
    const bad = graph.addFunction({ id: 'bad', fn: flaky, deps: [ok] as never });
    graph.addFunction({ id: 'after', fn: t.node, deps: [bad] });
    graph.addFunction({ id: 'other', fn: t.node });
    const error = (await graph.run(t.registry, { continueOnError: true }).catch((e) => e)) as TaskGraphError;
    t.take();
    fail = false;
    const result = await replay(error.trace, t);
    expect(result.ran).toEqual(['after']);
    expect(result.graph.task('bad')?.status).toBe('done');
    expect(result.plan.tasks.find((p) => p.taskPath[0] === 'bad')?.stages[0]?.cause).toBe('failed');
  });

  it('a hand-edited value without a fingerprint is taken as it is', async () => {
    const { t, trace } = await recorded();
    task(trace, 'b').fingerprints = undefined;
    task(trace, 'b').output = 'pinned';
    const result = await replay(trace, t);
    expect(result.graph.task('b')?.output?.value).toBe('pinned');
    expect(result.ran).toContain('d');
    expect(result.ran).not.toContain('b');
  });
});
