import { DEPTH_LIMIT, findValueProblem, pathSuffix } from '../model/depth-limit.js';
import { InvalidTraceError } from '../model/errors.js';

/**
 * Levels a record field adds around the values it holds: `params.model`, `parser.schema`, and the
 * annotations in `meta.output`, which nest about as deep as the value they annotate.
 */
const WRAPPING: Readonly<Record<string, number>> = { params: 1, parser: 1, meta: 2, inputMeta: 1 };

/**
 * Checks, before anything recursive reads it, that a trace document stays within DEPTH_LIMIT (and that
 * no name read into an object is `__proto__`): graphs
 * nested at most that deep, every value, annotation and schema at most that deep, every error's cause
 * chain at most that long. It reads only what it checks (the schema validates the rest), loops where
 * the document could be long and never recurses past the limit.
 */
export function checkTraceLimits(document: unknown, api: string): void {
  checkCauses(field(field(document, 'run'), 'error'), '$.run.error', api);
  checkGraphs([{ graph: field(document, 'graph'), path: '$.graph', level: 0 }], api);
}

/** checkTraceLimits for one task record (a journal line's), at `at`, in a graph `level` levels deep. */
export function checkRecordLimits(record: unknown, at: string, api: string, level = 0): void {
  checkGraphs(checkRecord(record, at, level, api), api);
}

type Pending = { graph: unknown; path: string; level: number };

function checkGraphs(graphs: Pending[], api: string): void {
  for (let next = graphs.pop(); next; next = graphs.pop()) {
    const { graph, path, level } = next;
    checkValue(field(graph, 'input'), `${path}.input`, 0, api);
    checkValue(field(graph, 'inputMeta'), `${path}.inputMeta`, WRAPPING.inputMeta ?? 0, api);
    const tasks = field(graph, 'tasks');
    if (!Array.isArray(tasks)) continue;
    for (let i = 0; i < tasks.length; i++) {
      for (const nested of checkRecord(tasks[i], `${path}.tasks[${i}]`, level, api)) graphs.push(nested);
    }
  }
}

/** Checks one record's fields; returns its nested graph to check next, if it has one. */
function checkRecord(record: unknown, at: string, level: number, api: string): Pending[] {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return [];
  for (const [key, value] of Object.entries(record)) {
    if (key === 'graph') continue;
    if (key === 'namedDeps' || key === 'params') checkKeys(value, `${at}.${key}`, api);
    if (key === 'error') checkCauses(value, `${at}.error`, api);
    else if (key === 'repairs' && Array.isArray(value)) {
      value.forEach((repair, j) => {
        checkCauses(field(repair, 'error'), `${at}.repairs[${j}].error`, api);
        checkValue(field(repair, 'response'), `${at}.repairs[${j}].response`, 0, api);
      });
    } else
      checkValue(
        value,
        `${at}${pathSuffix([key])}`,
        Object.hasOwn(WRAPPING, key) ? (WRAPPING[key] as number) : 0,
        api,
      );
  }
  const nested = field(record, 'graph');
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
  if (value === null || typeof value !== 'object') return;
  const problem = findValueProblem(value, { limit: DEPTH_LIMIT + slack, fromJson: true });
  if (!problem) return;
  throw new InvalidTraceError(api, {
    path: `${at}${pathSuffix(problem.path)}`,
    problem: `the value is nested deeper than ${DEPTH_LIMIT} levels, the depth limit of traces.`,
  });
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
