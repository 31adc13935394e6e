import type { StoredValue } from '../model/json-value.js';
import type { Stage, Task } from '../model/task.js';
import type { TaskGraphBase } from '../model/task-graph-base.js';
import type { FingerprintParts, StageDescriptor } from '../model/task-kind.js';
import { canonicalJson, fingerprint, hashText, FINGERPRINT_SEPARATOR as SEPARATOR } from './hash.js';

const MISSING = '-';

/**
 * The fingerprint of a stage of `task`, from the values the graph holds now: the parts its kind's
 * descriptor names (see the table in docs/memo-and-replay.md), hashed. `version` is the version of the
 * registered function the stage uses (the registry's current one on replay, the recorded one on save).
 */
export function stageFingerprint(
  graph: TaskGraphBase,
  task: Task,
  stage: Stage,
  version: string | undefined,
): string {
  const def = stageDescriptor(task, stage);
  return fingerprint(def.fingerprint(task, fingerprintParts(graph, task), version ?? ''));
}

/** The descriptor of one stage of a task's kind. */
export function stageDescriptor(task: Task, stage: Stage): StageDescriptor {
  for (const def of task.descriptor.stages) if (def.stage === stage) return def;
  throw new Error(`stageDescriptor: a ${task.kind} task has no ${stage} stage.`);
}

function fingerprintParts(graph: TaskGraphBase, task: Task): FingerprintParts {
  return new TaskFingerprintParts(graph, task);
}

/** The parts of one task's fingerprints, computed when its kind asks (one object per fingerprint, no closures). */
class TaskFingerprintParts implements FingerprintParts {
  readonly #graph: TaskGraphBase;
  readonly #task: Task;

  constructor(graph: TaskGraphBase, task: Task) {
    this.#graph = graph;
    this.#task = task;
  }

  upstream(): string {
    return upstreamText(this.#graph, this.#task);
  }

  input(): string {
    return inputHash(this.#graph, this.#task);
  }

  value(value: StoredValue | undefined): string {
    return valueHash(value);
  }

  json(value: unknown): string {
    return hashText(canonicalJson(value));
  }

  canonical(value: unknown): string {
    return canonicalJson(value);
  }
}

/**
 * The dependency output hashes (positional, then "named" and `name=hash` sorted by name), then the input
 * part, separated as the fingerprint's parts are: one string, built without intermediate lists.
 */
function upstreamText(graph: TaskGraphBase, task: Task): string {
  const { deps, dependencyTasks } = task;
  let text = '';
  // The graph gave the task its dependencies' objects when it was added: no lookup by id when they are the same list.
  const direct = task.dependencyIds === deps && dependencyTasks.length === deps.length;
  for (let i = 0; i < deps.length; i++) {
    const dep = direct ? dependencyTasks[i] : graph.task(deps[i] as string);
    text += valueHash(dep?.output) + SEPARATOR;
  }
  if (task.hasNamedDeps) {
    text += `named${SEPARATOR}`;
    for (const name of Object.keys(task.namedDeps).sort())
      text += `${name}=${valueHash(graph.task(task.namedDeps[name] as string)?.output)}${SEPARATOR}`;
  }
  return text + inputHash(graph, task);
}

/** The graph input's hash when the task read it, and the task's constant args. */
function inputHash(graph: TaskGraphBase, task: Task): string {
  const input = task.readsInput ? `input=${valueHash(graph.inputSlot)}` : 'input-not-read';
  return task.args === undefined ? input : `${input}${SEPARATOR}args=${canonicalJson(task.args)}`;
}

function valueHash(value: StoredValue | undefined): string {
  return value ? value.hash : MISSING;
}

/** Computes the fingerprints missing from stages computed in this process, from the values held now. */
export function sealFingerprints(graph: TaskGraphBase): void {
  for (const task of graph.tasks()) {
    sealTask(graph, task);
    const nested = task.descriptor.nested?.graph(task);
    if (nested) sealFingerprints(nested);
  }
}

/** sealFingerprints for one task (not its nested graph). */
export function sealTask(graph: TaskGraphBase, task: Task): void {
  for (const def of task.descriptor.stages) {
    if (task.fingerprints[def.stage] === undefined && def.get(task)) {
      task.setFingerprint(def.stage, stageFingerprint(graph, task, def.stage, task.versions[def.stage]));
    }
  }
}
