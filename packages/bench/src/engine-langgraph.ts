import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Annotation, START, StateGraph } from '@langchain/langgraph';
import type { Engine, EngineOptions, EngineRun } from './engine.js';
import { cpuNow, now } from './engine.js';
import { collectGarbage } from './measure.js';
import { nodeStep } from './node-step.js';
import type { Workload } from './workload.js';

/** Outputs so far, by node index. */
type Outputs = Record<number, number>;

/**
 * The state: one channel `out` that collects every node's output. Its reducer writes each update into
 * the record it holds instead of copying it: a copying reducer would add O(n) per node and make the
 * engine quadratic by our choice, not LangGraph's.
 */
const BenchState = Annotation.Root({
  out: Annotation<Outputs>({
    reducer: (current, update) => Object.assign(current, update),
    default: () => ({}),
  }),
});

type State = typeof BenchState.State;
type Update = typeof BenchState.Update;
type Builder = StateGraph<typeof BenchState.spec, State, Update, string>;

/**
 * The workload as a StateGraph: node i is a node named `"i"`. A node without dependencies has an edge
 * from START; one dependency is a plain edge; several are one waiting edge `addEdge([deps…], node)`,
 * LangGraph's join (a barrier channel): the node runs in the superstep after the last of them.
 */
function buildStateGraph(workload: Workload) {
  const builder = new StateGraph(BenchState) as unknown as Builder;
  const { deps, latencyMs } = workload;
  for (let i = 0; i < workload.n; i++) {
    const list = deps[i] as number[];
    const ms = latencyMs?.[i];
    const compute = (state: State): Update => ({
      out: { [i]: nodeStep(list.map((d) => state.out[d] as number)) },
    });
    builder.addNode(
      String(i),
      ms === undefined
        ? compute
        : async (state: State) => {
            await sleep(ms);
            return compute(state);
          },
    );
  }
  for (let i = 0; i < workload.n; i++) {
    const list = deps[i] as number[];
    if (list.length === 0) builder.addEdge(START, String(i));
    else if (list.length === 1) builder.addEdge(String(list[0]), String(i));
    else builder.addEdge(list.map(String), String(i));
  }
  return builder.compile();
}

async function runLangGraph(workload: Workload, options: EngineOptions = {}): Promise<EngineRun> {
  // LangGraph adds an abort listener per task to one signal: lift Node's leak warning for new signals.
  setMaxListeners(0);
  const start = now();
  const app = buildStateGraph(workload);
  const built = now();
  // What the build made is collected or settled before the run is timed (see method-notes.ts).
  collectGarbage();
  const config = {
    recursionLimit: workload.stats.depthLevels + 10,
    ...(options.limit === undefined ? {} : { maxConcurrency: options.limit }),
  };
  const running = now();
  const cpu = cpuNow();
  const result = await app.invoke({ out: {} }, config);
  const cpuMs = cpuNow() - cpu;
  const ran = now();
  const outputs = Array.from({ length: workload.n }, (_, i) => result.out[i] as number);
  return { buildMs: built - start, runMs: ran - running, cpuMs, outputs };
}

export const langgraph: Engine = { id: 'langgraph', label: 'LangGraph.js', run: runLangGraph };
