import { DEPTH_LIMIT } from '../depth-limit.js';
import { TaskGraphError } from '../errors.js';
import { keepShape, SHAPE_DEFINITION, SHAPE_PLACEHOLDER } from '../keep-shape.js';
import { functionId } from '../spec-checks.js';
import { Task, type TaskDefinition } from '../task.js';
import type { TaskGraphBase } from '../task-graph-base.js';
import type { StageDescriptor, TaskKindDescriptor } from '../task-kind.js';

/** A task that runs a nested graph: its input stage formats the nested graph's input; its output is the nested graph's. */
export class GraphTask<O = unknown> extends Task<O> {
  readonly kind = 'graph';
  readonly inputFn: string;
  /** The nested graph, with its own execution state; its input is this task's `input` stage. */
  readonly graph: TaskGraphBase<unknown, O>;

  constructor(
    def: TaskDefinition,
    { inputFn, graph }: { inputFn: string; graph: TaskGraphBase<unknown, O> },
  ) {
    super(def);
    this.inputFn = inputFn;
    this.graph = graph;
  }

  get descriptor(): TaskKindDescriptor {
    return graphKind as unknown as TaskKindDescriptor;
  }

  cloneDefinition(): GraphTask<O> {
    return new GraphTask<O>(this.definition(), {
      inputFn: this.inputFn,
      graph: this.graph.cloneDefinition(false),
    });
  }

  override reset(): void {
    super.reset();
    this.graph.reset();
  }
}

const input: StageDescriptor<GraphTask> = {
  stage: 'input',
  changed: 'a dependency output, the graph input or its args were edited',
  // Stored as the nested graph's input, inside the task's record.
  inRecord: false,
  fnId: (task) => task.inputFn,
  fingerprint: (task, parts, version) => ['graph-input', task.inputFn, version, parts.upstream()],
  get: (task) => task.graph.inputSlot,
  put: (task, value) => {
    task.graph.inputSlot = value;
  },
  work: (task, env) => ({ type: 'function', fn: task.inputFn, args: env.dependencyValues() }),
  edit: (_task, value) => value,
};

export const graphKind: TaskKindDescriptor<GraphTask> = {
  kind: 'graph',
  stages: [input],
  callsLLM: false,
  nested: { graph: (task) => task.graph },
  fromSpec(spec, def, where) {
    const graph = spec.graph as { cloneDefinition?: (withInput: boolean) => unknown } | undefined;
    if (!graph || typeof graph.cloneDefinition !== 'function') {
      throw new TaskGraphError('INVALID_ARGUMENT', `${where}: \`graph\` must be a TaskGraph.`);
    }
    const inputFn = spec.input === undefined ? 'builtin.input' : functionId(spec.input, where, '`input`');
    // The nested graph's input comes from the input formatter when the task runs.
    const nested = graph.cloneDefinition(false) as TaskGraphBase;
    if (nestingDepth(nested) + 1 > DEPTH_LIMIT) {
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        `${where}: \`graph\` holds graphs nested ${DEPTH_LIMIT} levels deep already; one more would pass the depth limit of traces (${DEPTH_LIMIT}).`,
      );
    }
    return new GraphTask(def, { inputFn, graph: nested });
  },
  fromRecord(record, def, reader) {
    return new GraphTask(def, {
      inputFn: record.inputFn as string,
      graph: reader.graph(record.graph, `${reader.at}.graph`),
    });
  },
  writeDefinition(task, record) {
    record.inputFn = task.inputFn;
  },
  writeState() {},
  functionIds: (task) => [task.inputFn],
};

/** How many levels of graphs `graph` holds below itself (0: none), walked without recursion. */
function nestingDepth(graph: TaskGraphBase): number {
  let deepest = 0;
  const stack: [TaskGraphBase, number][] = [[graph, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [current, depth] = next;
    deepest = Math.max(deepest, depth);
    for (const task of current.tasks()) {
      const inner = task.descriptor.nested?.graph(task);
      if (inner) stack.push([inner, depth + 1]);
    }
  }
  return deepest;
}

keepShape(new GraphTask(SHAPE_DEFINITION, { inputFn: '', graph: SHAPE_PLACEHOLDER as TaskGraphBase }));
