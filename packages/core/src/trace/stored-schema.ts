import type { ZodType } from 'zod';
import { z } from 'zod';
import { InvalidTraceError } from '../model/errors.js';

/** Keywords whose value is a schema or a list of schemas. */
const SCHEMA_KEYWORDS = new Set([
  'items',
  'prefixItems',
  'additionalItems',
  'additionalProperties',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'allOf',
  'anyOf',
  'oneOf',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
]);
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAP_KEYWORDS = new Set([
  'properties',
  'patternProperties',
  'dependentSchemas',
  'dependencies',
  '$defs',
  'definitions',
]);
/** Keywords that apply their schemas to the same instance: following only these, a loop never ends. */
const IN_PLACE_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else']);

/**
 * A zod schema from a JSON Schema read from a file (a task's output schema, a parser's or human task's
 * answer schema). Regular expressions from a file never run: `pattern` and `patternProperties` are left
 * out (with the `additionalProperties` beside them, so no key they allowed is refused), because a
 * backtracking regex can hang on a crafted string. The program that declares the schema checks them
 * with its own zod schema whenever it runs the task. A `$ref` that leads back to itself without
 * reading into the value (`{ "$ref": "#" }`) is refused: it would never end.
 */
export function zodFromStoredSchema(schema: unknown, at: string, api: string): ZodType {
  const { copy, loop } = withoutPatterns(schema);
  if (loop !== undefined) {
    throw new InvalidTraceError(api, {
      path: `${at}${loop}`,
      problem: 'this $ref leads back to itself without reading into the value, so a check would never end.',
    });
  }
  try {
    return z.fromJSONSchema(copy as Parameters<typeof z.fromJSONSchema>[0]);
  } catch (error) {
    throw new InvalidTraceError(api, {
      path: at,
      problem: `not a JSON Schema zod can read (${(error as Error).message}).`,
      cause: error,
    });
  }
}

interface Node {
  schema: Record<string, unknown>;
  /** JSON pointer from the root, for the error. */
  pointer: string;
}

/** A copy of `schema` without its regular expressions, and the pointer of a `$ref` loop if it has one. */
function withoutPatterns(schema: unknown): { copy: unknown; loop: string | undefined } {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema))
    return { copy: schema, loop: undefined };
  const copy = structuredClone(schema) as Record<string, unknown>;
  const nodes = new Map<object, Node>();
  const stack: Node[] = [{ schema: copy, pointer: '' }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const { schema: s, pointer } = node;
    if (nodes.has(s)) continue;
    nodes.set(s, node);
    if (typeof s.pattern === 'string') delete s.pattern;
    if (s.patternProperties !== undefined) {
      delete s.patternProperties;
      delete s.additionalProperties;
    }
    for (const [key, value] of Object.entries(s)) {
      const children = SCHEMA_KEYWORDS.has(key)
        ? Array.isArray(value)
          ? value.map((v, i) => [`${key}/${i}`, v] as const)
          : [[key, value] as const]
        : SCHEMA_MAP_KEYWORDS.has(key) && isObject(value)
          ? Object.entries(value).map(([name, v]) => [`${key}/${pointerEscape(name)}`, v] as const)
          : [];
      for (const [step, child] of children) {
        if (isObject(child)) stack.push({ schema: child, pointer: `${pointer}/${step}` });
      }
    }
  }
  return { copy, loop: refLoop(copy, nodes) };
}

/** The JSON path (from the schema) of a schema whose in-place keywords and `$ref`s lead back to it. */
function refLoop(root: Record<string, unknown>, nodes: Map<object, Node>): string | undefined {
  const state = new Map<object, 'open' | 'done'>();
  for (const start of nodes.keys()) {
    if (state.has(start)) continue;
    // Depth-first, with an explicit stack of [schema, its in-place successors, next index].
    const stack: [object, object[], number][] = [[start, successors(start, root), 0]];
    state.set(start, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [object, object[], number];
      const next = top[1][top[2]++];
      if (next === undefined) {
        state.set(top[0], 'done');
        stack.pop();
        continue;
      }
      const seen = state.get(next);
      if (seen === 'open') return pointerPath(nodes.get(top[0])?.pointer ?? '');
      if (seen === 'done') continue;
      state.set(next, 'open');
      stack.push([next, successors(next, root), 0]);
    }
  }
  return undefined;
}

function successors(schema: object, root: Record<string, unknown>): object[] {
  const s = schema as Record<string, unknown>;
  const out: object[] = [];
  if (typeof s.$ref === 'string') {
    const target = resolve(root, s.$ref);
    if (target) out.push(target);
  }
  for (const key of IN_PLACE_KEYWORDS) {
    const value = s[key];
    if (Array.isArray(value)) for (const v of value) if (isObject(v)) out.push(v);
    if (isObject(value)) out.push(value);
  }
  return out;
}

/** The schema a local `$ref` ("#", "#/$defs/a") points at, if any. */
function resolve(root: Record<string, unknown>, ref: string): object | undefined {
  if (ref !== '#' && !ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    if (ref === '#') break;
    let key: string;
    try {
      key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return undefined;
    }
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return isObject(node) ? node : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function pointerEscape(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `.$defs.a.allOf[0]` from a JSON pointer. */
function pointerPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => {
      const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^\d+$/.test(key)
        ? `[${key}]`
        : /^[A-Za-z_$][\w$]*$/.test(key)
          ? `.${key}`
          : `[${JSON.stringify(key)}]`;
    })
    .join('');
}
