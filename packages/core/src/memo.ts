import { canonicalJson, fingerprint, hashText } from './hash.js';
import type { AnyTask, LLMTask, Stage, Task } from './task.js';
import type { TaskGraph } from './task-graph.js';
import type { ValueSlot } from './value-slot.js';

const MISSING = '-';

/**
 * The fingerprint of a stage of `task`, from the values the graph holds now. `version` is the version of
 * the registered function the stage uses (the registry's current one on replay, the recorded one on save).
 *
 * | stage                  | covers                                                              |
 * | function output        | kind, function id and version, dependency output hashes, input hash if read, args |
 * | LLM prompt             | formatter id and version, dependency output hashes, input hash if read |
 * | LLM response           | handler id, params, hash of the prompt, the schema's hash (schema parsers) |
 * | LLM output             | parser id and version (or the schema's hash), hash of the response  |
 * | GraphTask input        | formatter id and version, dependency output hashes, input hash if read |
 */
export function stageFingerprint(
  graph: TaskGraph,
  task: AnyTask,
  stage: Stage,
  version: string | undefined,
): string {
  const v = version ?? '';
  switch (task.kind) {
    case 'function':
      return fingerprint(['function', task.fn, v, ...dependencyHashes(graph, task), inputHash(graph, task)]);
    case 'graph':
      return fingerprint([
        'graph-input',
        task.inputFn,
        v,
        ...dependencyHashes(graph, task),
        inputHash(graph, task),
      ]);
    case 'llm':
      if (stage === 'prompt') {
        return fingerprint([
          'prompt',
          task.promptFn,
          v,
          ...dependencyHashes(graph, task),
          inputHash(graph, task),
        ]);
      }
      if (stage === 'response') return responseFingerprint(task);
      return 'fn' in task.parser
        ? fingerprint(['output', task.parser.fn, v, slotHash(task.response), inputHash(graph, task)])
        : fingerprint([
            'output',
            'schema',
            hashText(canonicalJson(task.parser.schemaJson)),
            slotHash(task.response),
          ]);
  }
}

/**
 * The fingerprint of the request an LLM task sends: handler, params, prompt and, for a schema parser, the
 * schema the reply must match. It is also the key of the response cache.
 */
export function responseFingerprint(task: LLMTask): string {
  const parts = ['response', task.handler, canonicalJson(task.params), slotHash(task.prompt)];
  if ('schema' in task.parser) parts.push(hashText(canonicalJson(task.parser.schemaJson)));
  return fingerprint(parts);
}

function dependencyHashes(graph: TaskGraph, task: Task): string[] {
  const hashes = task.deps.map((id) => slotHash(graph.task(id)?.output));
  const names = Object.keys(task.namedDeps);
  if (names.length > 0) {
    names.sort();
    hashes.push('named');
    for (const name of names)
      hashes.push(`${name}=${slotHash(graph.task(task.namedDeps[name] as string)?.output)}`);
  }
  return hashes;
}

/** The graph input's hash when the task read it, and the task's constant args. */
function inputHash(graph: TaskGraph, task: Task): string {
  const input = task.readsInput ? `input=${slotHash(graph.inputSlot)}` : 'input-not-read';
  return task.args === undefined ? input : `${input}\u0001args=${canonicalJson(task.args)}`;
}

function slotHash(slot: ValueSlot | undefined): string {
  return slot ? slot.hash : MISSING;
}

/**
 * Whether the stored value of a stage may be reused. A stage with a value and no fingerprint was computed
 * in this process from the values the graph holds now (or was written into a trace by hand without one):
 * it is taken as it is.
 */
export function storedStageMatches(
  graph: TaskGraph,
  task: AnyTask,
  stage: Stage,
  version: string | undefined,
): { reuse: boolean; expected: string | undefined } {
  const stored = task.fingerprints[stage];
  if (stored === undefined) return { reuse: true, expected: undefined };
  const expected = stageFingerprint(graph, task, stage, version);
  return { reuse: expected === stored, expected };
}

/** Computes the fingerprints missing from stages computed in this process, from the values held now. */
export function sealFingerprints(graph: TaskGraph): void {
  for (const task of graph.tasks()) {
    sealTask(graph, task);
    if (task.kind === 'graph') sealFingerprints(task.graph);
  }
}

/** sealFingerprints for one task (not its nested graph). */
export function sealTask(graph: TaskGraph, task: AnyTask): void {
  const stages = task.stages();
  for (const stage of Object.keys(stages) as Stage[]) {
    if (task.fingerprints[stage] === undefined) {
      task.fingerprints[stage] = stageFingerprint(graph, task, stage, task.versions[stage]);
    }
  }
}
