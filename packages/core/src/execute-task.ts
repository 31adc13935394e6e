import { TaskGraphError } from './errors.js';
import { callWithAttempts } from './function-attempts.js';
import type { GraphRun } from './graph-run.js';
import { runLLMTask } from './llm-stages.js';
import type { AnyTask, FunctionTask, GraphTask } from './task.js';
import { checkOutput, dependencyValues, setFresh } from './task-values.js';
import { ValueSlot } from './value-slot.js';

/** Runs (or reuses) one task whose dependencies are done, and reports to `run` when it settles. */
export function executeTask(run: GraphRun, task: AnyTask): void {
  try {
    if (task.kind === 'function') {
      executeFunction(run, task);
      return;
    }
    const work = task.kind === 'llm' ? runLLMTask(run, task) : executeGraph(run, task);
    work.then(
      (reused) => (reused ? run.reused(task) : run.completed(task)),
      (error) => run.failed(task, error),
    );
  } catch (error) {
    run.failed(task, error);
  }
}

function executeFunction(run: GraphRun, task: FunctionTask): void {
  const def = run.shared.registry.get(task.fn, () => run.taskPath(task));
  if (run.canReuse(task, 'output', task.fn, def.version)) {
    run.reused(task);
    return;
  }
  run.begin(task);
  const args = dependencyValues(run, task) as never[];
  const { options } = run.shared;
  const retries = task.attemptsPolicy.retries ?? options.retries;
  const timeoutMs = task.attemptsPolicy.timeoutMs ?? options.timeoutMs;
  let result: unknown;
  if (retries > 0 || timeoutMs !== undefined) {
    result = callWithAttempts(run, task, def, args, {
      retries,
      timeoutMs,
      backoffMs: options.retryBackoffMs,
    });
  } else {
    const ctx = run.context(task);
    const limit = run.shared.functionLimit;
    result = limit ? limit(() => def.fn(ctx, ...args), task.priority) : def.fn(ctx, ...args);
  }
  if (isPromiseLike(result)) {
    result.then(
      (value) => finishOutput(run, task, value, def.version),
      (error) => run.failed(task, error),
    );
  } else finishOutput(run, task, result, def.version);
}

function finishOutput(run: GraphRun, task: FunctionTask, value: unknown, version: string | undefined): void {
  try {
    task.output = ValueSlot.of(checkOutput(run, task, value));
  } catch (error) {
    run.failed(task, error);
    return;
  }
  setFresh(task, 'output', version);
  run.completed(task);
}

/** Formats the nested graph's input (or reuses it) and runs the nested graph. Resolves to true when nothing ran. */
async function executeGraph(run: GraphRun, task: GraphTask): Promise<boolean> {
  const nested = task.graph;
  const def = run.shared.registry.get(task.inputFn, run.taskPath(task));
  let ranInput = false;
  if (!run.canReuse(task, 'input', task.inputFn, def.version)) {
    run.begin(task);
    nested.inputSlot = ValueSlot.of(
      await def.fn(run.context(task), ...(dependencyValues(run, task) as never[])),
    );
    setFresh(task, 'input', def.version);
    run.journal(task);
    ranInput = true;
  }
  const sub = run.nested(task);
  const startedAt = performance.timeOrigin + performance.now();
  await sub.start();
  if (!ranInput && sub.executed) {
    run.begin(task);
    task.startedAt = startedAt;
  }
  const failure = [...nested.tasks()].find((t) => t.status === 'failed' || t.status === 'cancelled');
  if (failure || run.shared.stopped) {
    throw new TaskGraphError(
      run.shared.stopped && !failure ? 'CANCELLED' : 'TASK_FAILED',
      failure
        ? `TaskGraph.run: task "${[...run.taskPath(task), failure.id].join(' > ')}" of the nested graph failed.`
        : 'TaskGraph.run: the nested graph was stopped before it finished.',
      { taskPath: failure ? [...run.taskPath(task), failure.id] : run.taskPath(task) },
    );
  }
  const slot = nested.outputTask?.output ?? ValueSlot.of(undefined);
  task.output = task.schema ? ValueSlot.of(checkOutput(run, task, slot.value)) : slot;
  return !ranInput && !sub.executed;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function'
  );
}
