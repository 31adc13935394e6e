import type { FunctionRegistry, TaskGraph } from '@taskgraph/core';
import { importModule } from './import-module.js';
import { invalidArgument } from './invalid-argument.js';
import type { ProgramModule } from './program-module.js';

/** A program module, loaded and set up: its registry, its graph builder, and how to tear it down. */
export interface LoadedProgram {
  registry: FunctionRegistry;
  /** Builds the graph; `input` is absent when `--input` was not given. Throws when the module has no graph. */
  graph(input?: { value: unknown }): Promise<TaskGraph>;
  /** Runs the module's teardown; call it once, whatever happened. */
  close(): Promise<void>;
}

const HOW = 'See "Program modules" in docs/cli.md.';

/**
 * Imports `specifier`, checks that it has the ProgramModule shape (a graph too when `needsGraph`), runs
 * its setup and resolves its registry. On failure after setup, the teardown runs before the error is thrown.
 */
export async function loadProgram(
  specifier: string,
  api: string,
  needsGraph: boolean,
): Promise<LoadedProgram> {
  const exports = await importModule(specifier, api);
  const program = pickExports(exports);
  const where = `the module "${specifier}"`;
  checkExports(program, where, api, needsGraph);
  const module = program as unknown as ProgramModule;
  const close = async () => {
    await module.teardown?.();
  };
  try {
    await module.setup?.();
    const registry = typeof module.registry === 'function' ? await module.registry() : module.registry;
    if (!isRegistry(registry)) {
      throw invalidArgument(
        `${api}: the \`registry\` function of ${where} returned no FunctionRegistry. ${HOW}`,
      );
    }
    return { registry, graph: (input) => buildGraph(module, input, where, api), close };
  } catch (error) {
    await close();
    throw error;
  }
}

function pickExports(exports: Record<string, unknown>): Record<string, unknown> {
  if ('registry' in exports || 'graph' in exports) return exports;
  const fallback = exports.default;
  return fallback !== null && typeof fallback === 'object' ? (fallback as Record<string, unknown>) : exports;
}

function checkExports(
  program: Record<string, unknown>,
  where: string,
  api: string,
  needsGraph: boolean,
): void {
  const { registry, graph, setup, teardown } = program;
  if (needsGraph && graph === undefined) {
    throw invalidArgument(
      `${api}: ${where} exports no graph. Export \`graph\`: a TaskGraph, or a function (input) => TaskGraph. ${HOW}`,
    );
  }
  if (graph !== undefined && typeof graph !== 'function' && !isGraph(graph)) {
    throw invalidArgument(
      `${api}: ${where} exports a \`graph\` that is ${describe(graph)}, not a TaskGraph. ${HOW}`,
    );
  }
  if (registry === undefined) {
    throw invalidArgument(
      `${api}: ${where} exports no registry. Export \`registry\`: a FunctionRegistry, or a function returning one. ${HOW}`,
    );
  }
  if (typeof registry !== 'function' && !isRegistry(registry)) {
    throw invalidArgument(
      `${api}: ${where} exports a \`registry\` that is ${describe(registry)}, not a FunctionRegistry. ${HOW}`,
    );
  }
  for (const [name, value] of [
    ['setup', setup],
    ['teardown', teardown],
  ] as const) {
    if (value !== undefined && typeof value !== 'function') {
      throw invalidArgument(`${api}: ${where} exports a \`${name}\` that is not a function. ${HOW}`);
    }
  }
}

async function buildGraph(
  module: ProgramModule,
  input: { value: unknown } | undefined,
  where: string,
  api: string,
): Promise<TaskGraph> {
  const source = module.graph;
  if (source === undefined) throw invalidArgument(`${api}: ${where} exports no graph. ${HOW}`);
  if (typeof source !== 'function') return input ? source.setInput(input.value) : source;
  const graph: unknown = await source(input?.value);
  if (!isGraph(graph)) {
    throw invalidArgument(
      `${api}: the \`graph\` function of ${where} returned ${describe(graph)}, not a TaskGraph.`,
    );
  }
  return graph;
}

/** Structural checks: the module may hold its own copy of @taskgraph/core, so `instanceof` would lie. */
function isGraph(value: unknown): value is TaskGraph {
  const graph = value as Partial<Record<'run' | 'toJSON' | 'topologicalOrder', unknown>> | null;
  return (
    typeof graph === 'object' &&
    graph !== null &&
    typeof graph.run === 'function' &&
    typeof graph.toJSON === 'function' &&
    typeof graph.topologicalOrder === 'function'
  );
}

function isRegistry(value: unknown): value is FunctionRegistry {
  const registry = value as Partial<Record<'get' | 'handler' | 'addHandler' | 'handlerIds', unknown>> | null;
  return (
    typeof registry === 'object' &&
    registry !== null &&
    typeof registry.get === 'function' &&
    typeof registry.handler === 'function' &&
    typeof registry.addHandler === 'function' &&
    typeof registry.handlerIds === 'function'
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'another kind of object' : `a ${typeof value}`;
}
