import { performance } from 'node:perf_hooks';
import { ValueSlot } from '../memo/value-slot.js';
import { TaskGraphError } from '../model/errors.js';
import { checkOutputValue } from '../model/output-check.js';
import type { Stage } from '../model/task.js';
import type { HumanQuestion, StageAcceptEnv, StageDescriptor, StageWork } from '../model/task-kind.js';
import { FunctionCallData } from './function-call-data.js';
import type { GraphRun } from './graph-run.js';
import { askPerson } from './human-gate.js';
import { callLLM } from './llm-gate.js';
import type { RunNode } from './run-node.js';

/** What a stage's work gave: its value, or its error. */
type Settled =
  | { ok: true; value: unknown; llm?: StageAcceptEnv['llm'] }
  | { ok: false; error: unknown; waiting?: undefined }
  /** A human task's question has no answer yet: the task waits. */
  | { ok: false; waiting: HumanQuestion; error?: undefined };

/**
 * Runs (or reuses) the stages of a task whose dependencies are done, in its kind's order, then its nested
 * graph if its kind has one, and reports to the run when it settles. Each stage is reused when the memo
 * says so; otherwise its work goes to the executor (a function or an LLM call) or runs here (a kind's own
 * pure work). Work that settles synchronously continues synchronously.
 */
export function executeNode(run: GraphRun, node: RunNode): void {
  step(run, node, 0, true);
}

function step(run: GraphRun, node: RunNode, from: number, reused: boolean): void {
  const { task } = node;
  const stages = task.descriptor.stages;
  for (let index = from; index < stages.length; index++) {
    const def = stages[index] as StageDescriptor;
    let settled: Settled | Promise<Settled>;
    // The version of the stage's function is looked up once: the memo decision, the call and the stored
    // value use it.
    let version: string | undefined;
    try {
      const fnId = def.fnId(task);
      version = node.fnVersion(fnId);
      if (run.canReuse(node, def, fnId, version)) continue;
      run.begin(node);
      reused = false;
      settled = perform(run, node, def.stage, def.work(task, node), version);
    } catch (error) {
      run.failed(node, error);
      return;
    }
    if (settled instanceof Promise) {
      const known = version;
      settled.then((result) => afterWork(run, node, index, result, known));
      return;
    }
    if (!keep(run, node, index, settled, version)) return;
  }
  finish(run, node, reused);
}

function afterWork(
  run: GraphRun,
  node: RunNode,
  index: number,
  settled: Settled,
  version: string | undefined,
): void {
  if (keep(run, node, index, settled, version)) step(run, node, index + 1, false);
}

/** Stores a stage's value; on failure, tries its repair or fails the task. Returns whether to go on. */
function keep(
  run: GraphRun,
  node: RunNode,
  index: number,
  settled: Settled,
  version: string | undefined,
): boolean {
  const { task } = node;
  const stages = task.descriptor.stages;
  const def = stages[index] as StageDescriptor;
  if (!settled.ok && settled.waiting) {
    run.waitFor(node, settled.waiting);
    return false;
  }
  try {
    if (!settled.ok) throw settled.error;
    store(node, def, settled, def.accept, version);
    // A value other stages are computed from reaches the journal now (an LLM response: durable at once).
    if (index < stages.length - 1 || task.descriptor.nested) run.journal(node, settled.llm !== undefined);
    return true;
  } catch (error) {
    const repair = run.shared.stopped ? undefined : def.repair?.(task, error, node);
    if (!repair) {
      run.failed(node, error);
      return false;
    }
    const target = stages.find((stage) => stage.stage === repair.stage) as StageDescriptor;
    const retry = (result: Settled) => {
      try {
        if (!result.ok) throw result.error;
        store(node, target, result, repair.accept, node.fnVersion(target.fnId(task)));
        run.journal(node, result.llm !== undefined);
      } catch (failure) {
        run.failed(node, failure);
        return;
      }
      step(run, node, index, false);
    };
    let result: Settled | Promise<Settled>;
    try {
      result = perform(run, node, repair.stage, repair.work, undefined);
    } catch (failure) {
      run.failed(node, failure);
      return false;
    }
    if (result instanceof Promise) result.then(retry);
    else retry(result);
    return false;
  }
}

function store(
  node: RunNode,
  def: StageDescriptor,
  settled: { value: unknown; llm?: StageAcceptEnv['llm'] },
  accept: StageDescriptor['accept'],
  version: string | undefined,
): void {
  const { task } = node;
  const acceptEnv: StageAcceptEnv = settled.llm ? new LLMAcceptEnv(node, settled.llm) : node;
  const value = accept ? accept(task, settled.value, acceptEnv) : settled.value;
  def.put(task, ValueSlot.of(value));
  // Computed now: its fingerprint is derived from the values the graph holds when it is saved.
  const stage = def.stage;
  task.setFingerprint(stage, undefined);
  task.setVersion(stage, version);
}

/** Runs a stage's work, between `stage:start` and `stage:end` events when the run's events have a listener. */
function perform(
  run: GraphRun,
  node: RunNode,
  stage: Stage,
  work: StageWork,
  version: string | undefined,
): Settled | Promise<Settled> {
  const emit = run.shared.emit;
  if (emit === undefined) return performWork(run, node, stage, work, version);
  const taskPath = run.taskPath(node.task);
  const kind = node.task.kind;
  emit({ type: 'stage:start', taskPath, kind, stage });
  const end = (settled: Settled): Settled => {
    emit({ type: 'stage:end', taskPath, kind, stage, ok: settled.ok });
    return settled;
  };
  let settled: Settled | Promise<Settled>;
  try {
    settled = performWork(run, node, stage, work, version);
  } catch (error) {
    end({ ok: false, error });
    throw error;
  }
  return settled instanceof Promise ? settled.then(end) : end(settled);
}

/** Hands a stage's work over: a function call to the executor, an LLM call through the run's guards. */
function performWork(
  run: GraphRun,
  node: RunNode,
  stage: Stage,
  work: StageWork,
  version: string | undefined,
): Settled | Promise<Settled> {
  if (work.type === 'local') {
    try {
      return { ok: true, value: work.run() };
    } catch (error) {
      return { ok: false, error };
    }
  }
  if (work.type === 'human') {
    return askPerson(run.shared, work).then(
      (asked): Settled =>
        asked.answered ? { ok: true, value: asked.value } : { ok: false, waiting: work.question },
      (error): Settled => ({ ok: false, error }),
    );
  }
  if (work.type === 'llm') {
    return callLLM(run, node, stage, work).then(
      ({ result, source }) => ({ ok: true, value: result, llm: { result, source } }) as Settled,
      (error) => ({ ok: false, error }) as Settled,
    );
  }
  const { shared } = run;
  const { options } = shared;
  const policy = work.attempts;
  const attempts =
    policy === undefined || (policy.retries === undefined && policy.timeoutMs === undefined)
      ? shared.attempts
      : {
          retries: policy.retries ?? options.retries,
          timeoutMs: policy.timeoutMs ?? options.timeoutMs,
          backoffMs: options.retryBackoffMs,
        };
  const call = new FunctionCallData(node, stage, work, version, run.graph.inputSlot?.value, attempts);
  const executor =
    shared.localExecutor !== undefined && shared.registry.find(work.fn)?.local === true
      ? shared.localExecutor
      : shared.executor;
  const limit = shared.functionLimit;
  const outcome = limit
    ? limit(() => executor.execute(call, shared.executeEnv), node.priority)
    : executor.execute(call, shared.executeEnv);
  if (outcome instanceof Promise)
    return outcome.then(
      (o) => settle(run, node, o),
      (error) => ({ ok: false, error }),
    );
  return settle(run, node, outcome);
}

function settle(
  run: GraphRun,
  node: RunNode,
  outcome: Awaited<ReturnType<GraphRun['shared']['executor']['execute']>>,
): Settled {
  const { task } = node;
  if (outcome.inputRead) task.readsInput = true;
  if (outcome.attempts > 1) task.attempts += outcome.attempts - 1;
  if (outcome.created.length > 0 && outcome.ok) {
    try {
      run.addCreated(node, outcome.created);
    } catch (error) {
      return { ok: false, error };
    }
  }
  // An outcome is a Settled as it is (no copy on the hot path).
  return outcome;
}

/** The accept env of an LLM result: the task's node, with the result and where it came from. */
class LLMAcceptEnv implements StageAcceptEnv {
  constructor(
    readonly node: RunNode,
    readonly llm: StageAcceptEnv['llm'],
  ) {}

  get taskPath(): readonly string[] {
    return this.node.taskPath;
  }
}

/** After the stages: the nested graph, if the kind has one; then the task is done. */
function finish(run: GraphRun, node: RunNode, reused: boolean): void {
  const nested = node.task.descriptor.nested?.graph(node.task);
  if (!nested) {
    if (reused) run.reused(node);
    else run.completed(node);
    return;
  }
  runNested(run, node, nested, reused).then(
    (result) => {
      if (result === 'waiting') run.waitFor(node, undefined);
      else if (result) run.reused(node);
      else run.completed(node);
    },
    (error) => run.failed(node, error),
  );
}

async function runNested(
  run: GraphRun,
  node: RunNode,
  nested: NonNullable<ReturnType<NonNullable<RunNode['task']['descriptor']['nested']>['graph']>>,
  reused: boolean,
): Promise<boolean | 'waiting'> {
  const { task } = node;
  const sub = run.nested(task, nested);
  const startedAt = performance.timeOrigin + performance.now();
  await sub.start();
  if (reused && sub.executed) {
    run.begin(node);
    task.startedAt = startedAt;
  }
  const failure = [...nested.tasks()].find((t) => t.status === 'failed' || t.status === 'cancelled');
  if (failure || run.shared.stopped) {
    const taskPath = run.taskPath(task);
    throw new TaskGraphError(
      run.shared.stopped && !failure ? 'CANCELLED' : 'TASK_FAILED',
      failure
        ? `TaskGraph.run: task "${[...taskPath, failure.id].join(' > ')}" of the nested graph failed.`
        : 'TaskGraph.run: the nested graph was stopped before it finished.',
      { taskPath: failure ? [...taskPath, failure.id] : taskPath },
    );
  }
  // A nested task waits for an answer: so does the task that holds the nested graph.
  if ([...nested.tasks()].some((t) => t.status === 'waiting')) return 'waiting';
  const output = nested.outputTask?.output ?? ValueSlot.of(undefined);
  task.output = task.schema ? ValueSlot.of(checkOutputValue(task, run.taskPath(task), output.value)) : output;
  return reused && !sub.executed;
}
