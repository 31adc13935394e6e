import { hashText } from '../memo/hash.js';
import type { Lineage } from '../model/created-task-id.js';
import { LimitExceededError } from '../model/errors.js';
import type { Task } from '../model/task.js';
import type { TaskGraphBase } from '../model/task-graph-base.js';
import { definitionKey, definitionRecord } from '../trace/trace-write.js';
import type { RunNode } from './run-node.js';

/**
 * A task's definition as it matters to the loop check: without id, creator and dependencies (their
 * values are added apart), in canonical JSON, hashed when long. A nested graph's tasks are part of it.
 */
function definitionOfWork(task: Task): string {
  // JSON.stringify, not canonical JSON: a loop repeats the same code, which builds its args with the same
  // key order; work equal only up to key order is found one turn of the loop later.
  const json = JSON.stringify(workRecord(task));
  // A hash is never mistaken for JSON text: it holds no "{".
  return json.length <= SHORT ? json : hashText(json);
}

/** Texts up to this length are map keys as they are; longer ones are hashed. */
const SHORT = 160;

/** A done dependency's output in a work key: a short primitive as its JSON text, anything else by hash. */
function valueKey(graph: TaskGraphBase, id: string): string {
  const slot = graph.task(id)?.output;
  if (slot === undefined) return `id:${id}`;
  const value = slot.value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return `v:${value}`;
  if (typeof value === 'string' && value.length <= SHORT) return `v:${JSON.stringify(value)}`;
  return `h:${slot.hash}`;
}

function workRecord(task: Task): Record<string, unknown> {
  const record = definitionRecord(task, false);
  if (task.descriptor.nested) record.graph = definitionKey(task);
  return record;
}

/**
 * The creation chains of one graph in one run: each task's lineage (the task its chain starts from and
 * its generation, which created ids are made of) and the creation-loop check. Both cost O(1) amortized
 * per task, however long a chain grows: a lineage is computed once per task from its creator's, and the
 * loop check looks the new task's work up in a map of the work of every creator of the run, walking up a
 * chain only when another creator did the very same work.
 */
export class CreationChains {
  readonly #graph: TaskGraphBase;
  readonly #node: (id: string) => RunNode | undefined;
  /** The creators of this run by the signature of their work (one node, or several doing the same work). */
  readonly #byWork = new Map<string, RunNode | RunNode[]>();

  constructor(graph: TaskGraphBase, node: (id: string) => RunNode | undefined) {
    this.#graph = graph;
    this.#node = node;
  }

  /** The node's lineage (its `root` and `generation`), computed on first use from its creators'. */
  lineage(node: RunNode): Lineage {
    if (node.generation >= 0) return node;
    const pending: RunNode[] = [];
    let current: RunNode | undefined = node;
    while (current && current.generation < 0) {
      const creatorId: string | undefined = current.task.createdBy;
      if (creatorId === undefined) {
        current.generation = 0;
        current.root = current.task.id;
        break;
      }
      pending.push(current);
      current = this.#node(creatorId);
    }
    for (let i = pending.length - 1; i >= 0; i--) {
      const child = pending[i] as RunNode;
      const creator = this.#node(child.task.createdBy as string);
      // A creator no longer in the graph (a hand-edited trace): the chain starts from its id.
      child.generation = creator ? creator.generation + 1 : 1;
      child.root = creator ? creator.root : (child.task.createdBy as string);
    }
    return node;
  }

  /**
   * Throws LIMIT_EXCEEDED when `child`, created by `creator`, would do the same work as `creator` or one
   * of its creation ancestors: a task that keeps creating itself would otherwise run until maxTasks.
   * Then records the child's work. A task's work is taken once: when it is created (a dependency not
   * done yet counts by its id), or, for a task the run did not create, when it first creates a task.
   */
  checkLoop(creator: RunNode, child: RunNode): void {
    this.#record(creator);
    const work = this.#workKey(child.task);
    const found = this.#byWork.get(work);
    if (found !== undefined) {
      for (const candidate of Array.isArray(found) ? found : [found]) {
        if (!this.#isAncestorOrSelf(candidate, creator)) continue;
        throw new LimitExceededError({
          limit: 'creationLoop',
          message: `TaskGraph.run: task "${creator.task.id}" created "${child.task.id}", which would repeat the work of "${candidate.task.id}" (same function, same inputs): a creation loop. Give each created task different inputs or args.`,
          taskPath: child.taskPath,
        });
      }
    }
    child.work = work;
    if (found === undefined) this.#byWork.set(work, child);
    else if (Array.isArray(found)) found.push(child);
    else this.#byWork.set(work, [found, child]);
  }

  /** The work a task does: its definition, then each dependency's output (or id, until it is done). */
  #workKey(task: Task): string {
    const graph = this.#graph;
    let key = definitionOfWork(task);
    for (const id of task.deps) key += `|${valueKey(graph, id)}`;
    if (task.hasNamedDeps) {
      for (const name of Object.keys(task.namedDeps).sort()) {
        key += `|${name}=${valueKey(graph, task.namedDeps[name] as string)}`;
      }
    }
    return key;
  }

  /** Records the work of a creator the run did not create (it is running: its dependencies are done). */
  #record(creator: RunNode): void {
    if (creator.work !== undefined) return;
    this.lineage(creator);
    const work = this.#workKey(creator.task);
    creator.work = work;
    const found = this.#byWork.get(work);
    if (found === undefined) this.#byWork.set(work, creator);
    else if (Array.isArray(found)) found.push(creator);
    else this.#byWork.set(work, [found, creator]);
  }

  /** Whether `candidate` is `node` or one of its creation ancestors: walks up only as far as its generation. */
  #isAncestorOrSelf(candidate: RunNode, node: RunNode): boolean {
    if (candidate.generation > node.generation || this.#node(candidate.task.id) !== candidate) return false;
    let current: RunNode | undefined = node;
    while (current && current.generation > candidate.generation) {
      const creatorId: string | undefined = current.task.createdBy;
      current = creatorId === undefined ? undefined : this.#node(creatorId);
    }
    return current === candidate;
  }
}
