import { DirectedGraph } from 'graphology';
import { hasCycle, topologicalSort } from 'graphology-dag';
import { InvalidTraceError } from '../model/errors.js';
import { findCycle } from '../model/find-cycle.js';
import type { Task } from '../model/task.js';
import type { TaskGraphBase } from '../model/task-graph-base.js';
import type { TaskRecord } from './trace-schema.js';

const API = 'TaskGraph.fromJSON';

/** Builds a task from a validated record; `at` names it in errors. */
export type RecordBuilder = (record: TaskRecord, at: string, graph: TaskGraphBase) => Task;

interface Deferred {
  record: TaskRecord;
  at: string;
}

/**
 * Adds validated task records to a graph one at a time, as a trace is read: a record whose dependencies
 * and creator are in the graph already (every record of a written trace) becomes a task at once, so a
 * long trace is never held as records; the others wait for `finish`, which adds them in dependency order
 * or reports the unknown id or the cycle with its JSON path.
 */
export class GraphAssembler {
  readonly #graph: TaskGraphBase;
  readonly #path: string;
  readonly #build: RecordBuilder;
  readonly #deferred: Deferred[] = [];
  readonly #deferredIds = new Set<string>();

  constructor(graph: TaskGraphBase, path: string, build: RecordBuilder) {
    this.#graph = graph;
    this.#path = path;
    this.#build = build;
  }

  add(record: TaskRecord, index: number): void {
    const at = `${this.#path}.tasks[${index}]`;
    const graph = this.#graph;
    if (graph.task(record.id) !== undefined || this.#deferredIds.has(record.id)) {
      throw new InvalidTraceError(API, {
        path: `${at}.id`,
        problem: `task id "${record.id}" appears twice.`,
      });
    }
    if (this.#deferred.length === 0 && this.#ready(record)) graph.add(this.#build(record, at, graph), API);
    else {
      this.#deferred.push({ record, at });
      this.#deferredIds.add(record.id);
    }
  }

  /** Adds the records that waited for tasks after them, then sets the output task. */
  finish(outputTask: string | undefined): TaskGraphBase {
    const graph = this.#graph;
    if (this.#deferred.length > 0) {
      const known = (id: string) => graph.task(id) !== undefined || this.#deferredIds.has(id);
      for (const { record, at } of this.#deferred) {
        (record.deps ?? []).forEach((dep, j) => {
          if (!known(dep)) throw unknownTask(`${at}.deps[${j}]`, record.id, dep);
        });
        for (const [name, dep] of Object.entries(record.namedDeps ?? {})) {
          if (!known(dep)) throw unknownTask(`${at}.namedDeps.${name}`, record.id, dep);
        }
        if (record.createdBy !== undefined && !known(record.createdBy)) {
          throw unknownTask(`${at}.createdBy`, record.id, record.createdBy);
        }
      }
      const byId = new Map(this.#deferred.map((entry) => [entry.record.id, entry]));
      for (const id of this.#order()) {
        const { record, at } = byId.get(id) as Deferred;
        graph.add(this.#build(record, at, graph), API);
      }
    }
    if (outputTask !== undefined) {
      if (graph.task(outputTask) === undefined) {
        throw new InvalidTraceError(API, {
          path: `${this.#path}.outputTask`,
          problem: `no task has the id "${outputTask}".`,
        });
      }
      graph.outputId = outputTask;
    }
    return graph;
  }

  #ready(record: TaskRecord): boolean {
    const graph = this.#graph;
    const deps = record.deps;
    if (deps) for (const dep of deps) if (graph.task(dep) === undefined) return false;
    if (record.namedDeps) {
      for (const dep of Object.values(record.namedDeps)) if (graph.task(dep) === undefined) return false;
    }
    return record.createdBy === undefined || graph.task(record.createdBy) !== undefined;
  }

  /** A topological order of the waiting records; a cycle among them is reported with its path. */
  #order(): string[] {
    const structure = new DirectedGraph();
    for (const { record } of this.#deferred) structure.addNode(record.id);
    const link = (from: string, to: string) => {
      if (this.#deferredIds.has(from)) structure.mergeDirectedEdge(from, to);
    };
    for (const { record } of this.#deferred) {
      for (const dep of [...(record.deps ?? []), ...Object.values(record.namedDeps ?? {})])
        link(dep, record.id);
      if (record.createdBy !== undefined) link(record.createdBy, record.id);
    }
    if (hasCycle(structure)) {
      const cycle = findCycle(structure) ?? [];
      throw new InvalidTraceError(API, {
        path: `${this.#path}.tasks`,
        problem: `the dependencies form a cycle (${cycle.join(' -> ')}).`,
        taskPath: cycle.slice(0, 1),
      });
    }
    return topologicalSort(structure);
  }
}

function unknownTask(at: string, taskId: string, missing: string): InvalidTraceError {
  return new InvalidTraceError(API, {
    path: at,
    problem: `task "${taskId}" refers to "${missing}", which is not in the graph.`,
    taskPath: [taskId],
  });
}
