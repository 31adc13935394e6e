import { TaskGraphError } from './errors.js';
import { type FunctionTask, functionKind } from './kinds/function-kind.js';
import { type GraphTask, graphKind } from './kinds/graph-kind.js';
import { type HumanTask, humanKind } from './kinds/human-kind.js';
import { type LLMTask, llmKind } from './kinds/llm-kind.js';
import { definitionFromSpec } from './spec-checks.js';
import type { Task } from './task.js';
import type { TaskKindDescriptor } from './task-kind.js';

/** Every task of a graph is one of these; narrow on `kind`. */
export type AnyTask = FunctionTask | LLMTask | GraphTask | HumanTask;

/** The task kinds core knows, by name. Adding a kind: one file under kinds/, one entry here, one schema variant. */
export const TASK_KINDS: Readonly<Record<string, TaskKindDescriptor>> = {
  function: functionKind as unknown as TaskKindDescriptor,
  llm: llmKind as unknown as TaskKindDescriptor,
  graph: graphKind as unknown as TaskKindDescriptor,
  human: humanKind as unknown as TaskKindDescriptor,
};

/** The descriptor of `kind`; an unknown kind is INVALID_ARGUMENT naming the known ones. */
export function kindDescriptor(kind: unknown, where: string): TaskKindDescriptor {
  const descriptor =
    typeof kind === 'string' && Object.hasOwn(TASK_KINDS, kind) ? TASK_KINDS[kind] : undefined;
  if (!descriptor) {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `${where}: unknown kind "${String(kind)}". Use ${Object.keys(TASK_KINDS)
        .map((k) => `"${k}"`)
        .join(', ')}.`,
    );
  }
  return descriptor;
}

/** Builds a task from what a user wrote, checking every field and naming the task in each error. */
export function taskFromSpec(
  api: string,
  kind: unknown,
  spec: unknown,
  id: unknown,
  createdBy?: string,
): Task {
  if (spec === null || typeof spec !== 'object') {
    throw new TaskGraphError('INVALID_ARGUMENT', `${api}: the task spec must be an object.`);
  }
  if (typeof id !== 'string' || id === '') {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `${api}: \`id\` must be a non-empty string (got ${String(id)}).`,
    );
  }
  const where = `${api}: task "${id}"`;
  const descriptor = kindDescriptor(kind, where);
  const fields = spec as Readonly<Record<string, unknown>>;
  return descriptor.fromSpec(fields, definitionFromSpec(fields, id, createdBy, where), where);
}
