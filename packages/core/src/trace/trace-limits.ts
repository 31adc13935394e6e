import { DEPTH_LIMIT, findValueProblem, pathSuffix } from '../model/depth-limit.js';
import { InvalidTraceError } from '../model/errors.js';

/**
 * The record fields read without a fixed shape (z.unknown in the schema), with the levels each adds
 * around the values it holds: `params.model`, `parser.schema`, and the annotations in `meta.output`,
 * which nest about as deep as the value they annotate. Every other field has a schema of fixed depth,
 * which refuses a deeper value without recursing into it; `error` and `graph` are checked on their own.
 */
const VALUE_FIELDS: ReadonlyMap<string, number> = new Map([
  ['args', 0],
  ['schema', 0],
  ['output', 0],
  ['prompt', 0],
  ['response', 0],
  ['question', 0],
  ['answer', 0],
  ['default', 0],
  ['params', 1],
  ['parser', 1],
  ['meta', 2],
]);

/**
 * Checks, before anything recursive reads it, that a trace document stays within DEPTH_LIMIT (and that
 * no name read into an object is `__proto__`): graphs nested at most that deep, every value, annotation
 * and schema at most that deep, every error's cause chain at most that long. It reads only what it
 * checks (the schema validates the rest), loops where the document could be long and never recurses
 * past the limit.
 */
export function checkTraceLimits(document: unknown, api: string): void {
  checkCauses(field(field(document, 'run'), 'error'), '$.run.error', api);
  checkGraphs([{ graph: field(document, 'graph'), path: '$.graph', level: 0 }], api);
}

/** checkTraceLimits for one task record (a journal line's), at `at`, in a graph `level` levels deep. */
export function checkRecordLimits(record: unknown, at: string, api: string, level = 0): void {
  checkGraphs(checkRecord(record, at, -1, level, api), api);
}

type Pending = { graph: unknown; path: string; level: number };

function checkGraphs(graphs: Pending[], api: string): void {
  for (let next = graphs.pop(); next; next = graphs.pop()) {
    const { graph, path, level } = next;
    checkValue(field(graph, 'input'), `${path}.input`, 0, api);
    checkValue(field(graph, 'inputMeta'), `${path}.inputMeta`, 1, api);
    const tasks = field(graph, 'tasks');
    if (!Array.isArray(tasks)) continue;
    for (let i = 0; i < tasks.length; i++) {
      for (const nested of checkRecord(tasks[i], path, i, level, api)) graphs.push(nested);
    }
  }
}

/** Checks one record's fields; returns its nested graph to check next, if it has one. */
function checkRecord(
  record: unknown,
  graphPath: string,
  index: number,
  level: number,
  api: string,
): Pending[] {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return [];
  const at = index < 0 ? graphPath : `${graphPath}.tasks[${index}]`;
  const fields = record as Record<string, unknown>;
  // Paths are built only for values that could fail: most fields hold strings and numbers.
  for (const [key, slack] of VALUE_FIELDS) {
    const value = fields[key];
    if (value !== null && typeof value === 'object') checkValue(value, `${at}.${key}`, slack, api);
  }
  if (fields.namedDeps !== undefined) checkKeys(fields.namedDeps, `${at}.namedDeps`, api);
  if (fields.params !== undefined) checkKeys(fields.params, `${at}.params`, api);
  if (fields.error !== undefined) checkCauses(fields.error, `${at}.error`, api);
  const repairs = fields.repairs;
  if (Array.isArray(repairs)) {
    repairs.forEach((repair, j) => {
      checkCauses(field(repair, 'error'), `${at}.repairs[${j}].error`, api);
      checkValue(field(repair, 'response'), `${at}.repairs[${j}].response`, 0, api);
    });
  }
  const nested = fields.graph;
  if (nested === undefined) return [];
  if (level + 1 > DEPTH_LIMIT) {
    throw new InvalidTraceError(api, {
      path: `${at}.graph`,
      problem: `graphs are nested deeper than ${DEPTH_LIMIT} levels, the depth limit of traces.`,
    });
  }
  return [{ graph: nested, path: `${at}.graph`, level: level + 1 }];
}

function checkValue(value: unknown, at: string, slack: number, api: string): void {
  if (value === null || typeof value !== 'object' || !deeperThan(value, DEPTH_LIMIT + slack)) return;
  const problem = findValueProblem(value, { limit: DEPTH_LIMIT + slack, fromJson: true });
  throw new InvalidTraceError(api, {
    path: `${at}${pathSuffix(problem?.path ?? [])}`,
    problem: `the value is nested deeper than ${DEPTH_LIMIT} levels, the depth limit of traces.`,
  });
}

/** Whether JSON `value` nests more than `limit` levels of arrays and objects; recurses at most `limit` deep. */
function deeperThan(value: object, limit: number): boolean {
  if (limit === 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item !== null && typeof item === 'object' && deeperThan(item, limit - 1)) return true;
    }
    return false;
  }
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== null && typeof item === 'object' && deeperThan(item, limit - 1)) return true;
  }
  return false;
}

/** An error's cause chain, followed in a loop: at most DEPTH_LIMIT causes, each checked like a value. */
function checkCauses(error: unknown, at: string, api: string): void {
  let where = at;
  for (let depth = 0; error !== null && typeof error === 'object'; depth++) {
    if (depth > DEPTH_LIMIT) {
      throw new InvalidTraceError(api, {
        path: where,
        problem: `the error's cause chain is longer than ${DEPTH_LIMIT}, the depth limit of traces.`,
      });
    }
    for (const [key, value] of Object.entries(error)) {
      if (key !== 'cause') checkValue(value, `${where}${pathSuffix([key])}`, 0, api);
    }
    error = (error as { cause?: unknown }).cause;
    where += '.cause';
  }
}

/** Names read into an object: `__proto__` would be dropped (or change its prototype), so it is refused. */
function checkKeys(value: unknown, at: string, api: string): void {
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, '__proto__')) {
    throw new InvalidTraceError(api, {
      path: `${at}["__proto__"]`,
      problem: 'the name "__proto__" is not allowed here: rename it.',
    });
  }
}

/** `value[key]` when `value` is a JSON object, else undefined: reading unvalidated JSON without a throw. */
export function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
