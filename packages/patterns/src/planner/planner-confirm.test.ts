import type { AwaitingAnswersError, TaskGraphError } from '@taskgraph/core';
import { answerTask, FunctionRegistry, TaskGraph } from '@taskgraph/core';
import { OpenAIHandler } from '@taskgraph/openai';
import type { TestServer } from '@taskgraph/openai/testing';
import { startTestServer } from '@taskgraph/openai/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { lastUser, scriptedPlanner } from '../../test/scripted-planner.js';
import { createPlanner } from './create-planner.js';
import type { ConfirmRequest } from './planner-confirm.js';

let server: TestServer | undefined;
afterEach(() => server?.close());

const threeTasks = { plan: [{ current_tasks: ['a', 'b', 'c'] }] };

describe('planner confirmation before each task', () => {
  it('R0-11 a hook runs, skips or edits each task; the worker sees the edit and the trace records both texts', async () => {
    const asked: ConfirmRequest[] = [];
    const { planner, model } = scriptedPlanner(threeTasks, {
      confirm: (request) => {
        asked.push(request);
        if (request.task.task === 'b') return 'skip';
        if (request.task.task === 'c') return { edit: 'c, carefully' };
        return 'run';
      },
    });
    const { result, graph } = await planner.run({ goal: 'g' });
    expect(asked.map((r) => [r.task.task, r.remainingTasks])).toEqual([
      ['a', ['b', 'c']],
      ['b', ['c']],
      ['c', []],
    ]);
    expect(result.completedTasks.map((t) => t.task)).toEqual(['a', 'c, carefully']);
    expect(result.declined).toEqual(['b']);
    expect(result.edits).toEqual([{ step: 3, original: { task: 'c' }, edited: { task: 'c, carefully' } }]);
    const workerPrompts = model.requests
      .map((r) => lastUser(r.request))
      .filter((t) => t.startsWith('Your task'));
    expect(workerPrompts.map((t) => t.split('\n')[0])).toEqual(['Your task: a', 'Your task: c, carefully']);
    // Each decision is the stored answer of a human task; its gate records what it did.
    const confirms = [...graph.tasks()].filter((t) => t.kind === 'human');
    expect(confirms.map((t) => t.answer?.value)).toEqual(['run', 'skip', { edit: 'c, carefully' }]);
    const gates = [...graph.tasks()].filter((t) => t.kind === 'function' && t.fn === planner.ids.gate);
    expect(
      gates.flatMap((t) =>
        ((t.output?.value ?? { events: [] }) as { events: Array<{ type: string }> }).events.map(
          (e) => e.type,
        ),
      ),
    ).toEqual(['task_started', 'task_declined', 'task_edited', 'task_started']);
  });

  it('R0-11 headless: without confirm no question is asked; with confirm, an unattended run approves every task', async () => {
    const plain = scriptedPlanner(threeTasks);
    const { graph } = await plain.planner.run({ goal: 'g' });
    expect([...graph.tasks()].filter((t) => t.kind === 'human')).toEqual([]);

    const unattended = scriptedPlanner(threeTasks, { confirm: true });
    const run = await unattended.planner.run({ goal: 'g' }, { unattended: true });
    expect(run.result.completedTasks.map((t) => t.task)).toEqual(['a', 'b', 'c']);
    expect([...run.graph.tasks()].filter((t) => t.kind === 'human').map((t) => t.answer?.value)).toEqual([
      'run',
      'run',
      'run',
    ]);
  });

  it('R0-11 a run pauses at each confirmation; answered and resumed, it repeats no LLM request', async () => {
    server = await startTestServer({
      rules: [
        { match: 'Write the ordered list', reply: '{"current_tasks": ["a", "b"]}' },
        { match: 'The task "b', reply: '{"goal_complete": true, "final_result": {"done": "yes"}}' },
        { match: 'is done', reply: '{}' },
        { match: 'Your task', reply: 'worked' },
      ],
    });
    const registry = new FunctionRegistry().addHandler(
      new OpenAIHandler({ apiKey: 'sk-test', baseURL: server.url, env: {}, defaultModel: 'm' }),
    );
    const planner = createPlanner(registry, { confirm: true });
    let graph = planner.graph({ goal: 'two tasks' });
    const pauses: string[][] = [];
    for (;;) {
      let error: AwaitingAnswersError | undefined;
      await graph.run(registry).catch((e: AwaitingAnswersError) => {
        error = e;
      });
      if (error === undefined) break;
      expect(error.code).toBe('AWAITING_ANSWERS');
      const [waiting] = error.waiting;
      const request = waiting?.question as ConfirmRequest;
      pauses.push([waiting?.taskPath.join('>') ?? '', request.task.task, String(server.requests.length)]);
      // A new process: the trace as saved, answered, run again.
      graph = TaskGraph.fromJSON(JSON.parse(JSON.stringify(error.trace)));
      answerTask(graph, waiting?.taskPath ?? [], 'run');
    }
    expect(pauses).toEqual([
      ['planner/confirm-1@2', 'a', '1'],
      ['planner/confirm-2@4', 'b', '3'],
    ]);
    expect(planner.result(graph)).toMatchObject({ status: 'complete', finalResult: { done: 'yes' } });
    const bodies = server.requests.map((r) => JSON.stringify(r.body));
    expect(bodies).toHaveLength(5); // plan, worker a, refine a, worker b, refine b
    expect(new Set(bodies).size).toBe(bodies.length);
  });

  it('R0-11 an answer that is not run, skip or an edit is refused, naming the task', async () => {
    const { planner, registry } = scriptedPlanner(threeTasks, { confirm: true });
    const graph = planner.graph({ goal: 'g' });
    const error = (await graph.run(registry).catch((e: unknown) => e)) as AwaitingAnswersError;
    const before = JSON.stringify(graph.toJSON().graph);
    const path = error.waiting[0]?.taskPath ?? [];
    let refused: TaskGraphError | undefined;
    try {
      answerTask(graph, path, 'maybe');
    } catch (e) {
      refused = e as TaskGraphError;
    }
    expect(refused?.code).toBe('ANSWER_INVALID');
    expect(refused?.taskPath).toEqual(path);
    expect(JSON.stringify(graph.toJSON().graph)).toBe(before);
  });
});

describe('planner confirmation answers in the trace', () => {
  it('R0-11 editing a stored decision re-runs only what follows it', async () => {
    const asked: string[] = [];
    const { planner, registry, take } = scriptedPlanner(threeTasks, {
      confirm: (request) => {
        asked.push(request.task.task);
        return 'run';
      },
    });
    const { graph } = await planner.run({ goal: 'g' });
    expect(asked).toEqual(['a', 'b', 'c']);
    expect(take()).toEqual(['plan', 'worker', 'refine', 'worker', 'refine', 'worker', 'refine', 'check']);

    const edited = TaskGraph.fromJSON(JSON.parse(JSON.stringify(graph.toJSON())));
    const second = [...edited.tasks()].filter((t) => t.kind === 'human')[1];
    const plan = answerTask(edited, second?.id ?? '', 'skip', registry);
    const rerun = plan?.tasks.filter((t) => t.action === 'rerun').map((t) => t.taskPath.join(''));
    expect(rerun?.[0]).toBe(second?.id);
    await edited.run(registry, { answer: planner.answerer() });
    // The decisions before the edit are reused; c's confirmation reads the state after it, so it asks again.
    expect(asked).toEqual(['a', 'b', 'c', 'c']);
    expect(planner.result(edited)).toMatchObject({
      declined: ['b'],
      completedTasks: [{ task: 'a' }, { task: 'c' }],
    });
    // b's work is gone; a's work is reused; only what read the state after the edit asks the model again.
    expect(take()).not.toContain('plan');
    expect([...edited.tasks()].some((t) => /\/task-2(@\d+)?$/.test(t.id))).toBe(false);
  });
});
