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

/** How many of its nearest creation ancestors a created task is compared with, one by one. */
const NEAR = 8;

/**
 * The creation chains of one graph in one run: each task's lineage (the task its chain starts from and
 * its generation, which created ids are made of) and the creation-loop check. Both cost O(1) per task,
 * however long a chain grows, and hold nothing beyond the run's nodes. The loop check compares a created
 * task's work with its NEAR nearest creation ancestors' (a loop of up to NEAR tasks is stopped the first
 * time it would repeat), and with one checkpoint ancestor, the last at a power-of-two generation (Brent's
 * cycle finding: a longer loop, whose tasks the same program creates again and again, is stopped by the
 * generation 2^k + its length, where 2^k is the first power of two past both its start and its length:
 * within three times its length of its start).
 */
export class CreationChains {
  readonly #graph: TaskGraphBase;
  readonly #node: (id: string) => RunNode | undefined;

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
   * of its creation ancestors the check compares it with (see the class): a task that keeps creating
   * itself would otherwise run until maxTasks. A task's work is taken once: when it is created (a
   * dependency not done yet counts by its id), or, for a task the run did not create, when it is first
   * compared (it has run: its dependencies are done).
   */
  checkLoop(creator: RunNode, child: RunNode): void {
    const work = this.#workKey(child.task);
    child.work = work;
    child.creator = creator;
    let ancestor: RunNode | undefined = creator;
    for (let k = 0; ancestor !== undefined && k < NEAR; k++) {
      if (this.#workOf(ancestor) === work) this.#loop(creator, child, ancestor);
      ancestor = this.#creatorOf(ancestor);
    }
    const checkpoint = creator.checkpoint;
    if (checkpoint !== undefined && this.#workOf(checkpoint) === work) this.#loop(creator, child, checkpoint);
    const { generation } = child;
    child.checkpoint = (generation & (generation - 1)) === 0 ? child : (checkpoint ?? creator);
  }

  #loop(creator: RunNode, child: RunNode, ancestor: RunNode): never {
    throw new LimitExceededError({
      limit: 'creationLoop',
      message: `TaskGraph.run: task "${creator.task.id}" created "${child.task.id}", which would repeat the work of "${ancestor.task.id}" (same function, same inputs): a creation loop. Give each created task different inputs or args.`,
      taskPath: child.taskPath,
    });
  }

  /** The task that created `node`: its node in this run, if it is in the graph. */
  #creatorOf(node: RunNode): RunNode | undefined {
    if (node.creator !== undefined) return node.creator;
    const id = node.task.createdBy;
    return id === undefined ? undefined : this.#node(id);
  }

  /** The work of a node: taken when it was created, else now (it has run, its dependencies are done). */
  #workOf(node: RunNode): string {
    node.work ??= this.#workKey(node.task);
    return node.work;
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
}
