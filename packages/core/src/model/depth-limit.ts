/**
 * The one depth limit of taskgraph: graphs nest at most this many levels inside the root graph (the
 * run's `maxDepth` cannot exceed it), and a stored value (graph input, args, output, prompt, response,
 * question, answer, schema, params and their annotations) nests at most this many levels of arrays and
 * objects; an error's `cause` chain is at most this long. A trace within it loads without recursion
 * past it; the run never writes a trace past it (a value deeper than it is stored marked lossy).
 */
export const DEPTH_LIMIT = 100;

/** Where and why a value cannot be stored as it is: a path of keys from the value, and the problem. */
export interface ValueProblem {
  path: (string | number)[];
  problem: string;
}

export interface ValueCheckOptions {
  /** Nesting allowed (default DEPTH_LIMIT). */
  limit?: number;
  /** The value was read from JSON, which holds no cycle, function or symbol: only its depth is checked. */
  fromJson?: boolean;
  /** Refuse a value that contains itself (default true; false walks past it, as the codec keeps references). */
  cycles?: boolean;
  /** Refuse functions and symbols (default true). */
  functions?: boolean;
  /** Look inside Maps and Sets (what the value codec stores), not only arrays and plain objects. */
  collections?: boolean;
}

/**
 * The first reason `value` cannot be stored (nested past the limit, containing itself, a function or a
 * symbol), or undefined. The walk never goes deeper than the limit, so it cannot overflow the stack.
 */
export function findValueProblem(value: unknown, options: ValueCheckOptions = {}): ValueProblem | undefined {
  const limit = options.limit ?? DEPTH_LIMIT;
  const live = !options.fromJson;
  const cycles = options.cycles ?? true;
  const functions = live && (options.functions ?? true);
  const collections = options.collections ?? false;
  const ancestors: object[] = [];
  const path: (string | number)[] = [];
  const visit = (node: unknown): string | undefined => {
    if (node === null) return undefined;
    const type = typeof node;
    if (type === 'function') return functions ? 'a function cannot be stored' : undefined;
    if (type === 'symbol') return functions ? 'a symbol cannot be stored' : undefined;
    if (type !== 'object') return undefined;
    const object = node as object;
    // JSON read from a file holds no cycle; a live value may (then the limit would name it wrongly).
    if (live && ancestors.includes(object)) return cycles ? 'the value contains itself (a cycle)' : undefined;
    if (ancestors.length >= limit) return `nested deeper than ${limit} levels`;
    ancestors.push(object);
    try {
      if (Array.isArray(object)) {
        for (let i = 0; i < object.length; i++) {
          path.push(i);
          const problem = visit(object[i]);
          if (problem) return problem;
          path.pop();
        }
      } else if (collections && object instanceof Map) {
        let i = 0;
        for (const [key, item] of object) {
          path.push(i++);
          const problem = visit(key) ?? visit(item);
          if (problem) return problem;
          path.pop();
        }
      } else if (collections && object instanceof Set) {
        let i = 0;
        for (const item of object) {
          path.push(i++);
          const problem = visit(item);
          if (problem) return problem;
          path.pop();
        }
      } else if (isRecord(object)) {
        for (const key of Object.keys(object)) {
          path.push(key);
          const problem = visit((object as Record<string, unknown>)[key]);
          if (problem) return problem;
          path.pop();
        }
      }
      return undefined;
    } finally {
      ancestors.pop();
    }
  };
  const problem = visit(value);
  return problem === undefined ? undefined : { path, problem };
}

function isRecord(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `.a[3].b` from a path of keys, to append to a JSON path or a field name. */
export function pathSuffix(path: readonly (string | number)[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}
