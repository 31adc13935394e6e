import type { ZodType } from 'zod';
import { z } from 'zod';
import { findValueProblem, pathSuffix } from './depth-limit.js';
import { TaskGraphError } from './errors.js';
import type { JsonValue } from './json-value.js';
import { isPlainJson } from './json-value.js';
import type { FunctionDef } from './registry.js';
import type { TaskDefinition } from './task.js';
import type { NamedDeps } from './task-spec.js';
import { isZod3Schema, isZodSchema as isZod4Schema, zod3SchemaError } from './zod-schema.js';

/** The fields every task spec has, checked; `where` names the API and task in each error. */
export function definitionFromSpec(
  spec: Readonly<Record<string, unknown>>,
  id: string,
  createdBy: string | undefined,
  where: string,
): TaskDefinition {
  if (spec.deps !== undefined && !Array.isArray(spec.deps)) {
    throw invalid(`${where}: \`deps\` must be an array of tasks or task ids.`);
  }
  const given = spec.deps as unknown[] | undefined;
  const deps: string[] = given === undefined ? [] : new Array(given.length);
  // Messages are built only when a check fails: this runs for every task added.
  for (let i = 0; i < deps.length; i++) deps[i] = refId(given?.[i], where, `deps[${i}]`);
  const named = spec.namedDeps as NamedDeps | undefined;
  let namedDeps = NO_NAMED_DEPS;
  if (named !== undefined) {
    namedDeps = {};
    for (const [name, ref] of Object.entries(named)) {
      if (name === '__proto__')
        throw invalid(`${where}: \`namedDeps\` may not name a dependency "__proto__".`);
      namedDeps[name] = refId(ref, where, `namedDeps.${name}`);
    }
  }
  const schema = spec.schema as ZodType | undefined;
  return {
    id,
    deps,
    namedDeps,
    createdBy,
    args: argsOf(spec.args, where),
    schema,
    schemaJson: schema === undefined ? undefined : schemaToJson(schema, `${where}: \`schema\``),
  };
}

/** The named dependencies of the many tasks that have none: one shared, frozen object. */
const NO_NAMED_DEPS: Record<string, string> = Object.freeze({}) as Record<string, string>;

function refId(ref: unknown, where: string, field: string): string {
  if (typeof ref === 'string' && ref !== '') return ref;
  if (ref && typeof ref === 'object' && typeof (ref as { id?: unknown }).id === 'string')
    return (ref as { id: string }).id;
  throw invalid(`${where}: ${field} must be a task or a task id (got ${describe(ref)}).`);
}

/** A registered function's id, from its handle or the id itself. */
export function functionId(fn: unknown, where: string, field?: string): string {
  if (typeof fn === 'string' && fn !== '') return fn;
  if (fn && typeof fn === 'object' && typeof (fn as FunctionDef).id === 'string')
    return (fn as FunctionDef).id;
  throw invalid(
    `${field === undefined ? where : `${where}: ${field}`} must be a registered function (what registry.register returns) or its id (got ${describe(fn)}).`,
  );
}

export function stringField(value: unknown, where: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw invalid(`${where} must be a non-empty string (got ${describe(value)}).`);
}

/** An integer from `min` up. */
export function count(value: unknown, where: string, min = 0): number {
  if (Number.isInteger(value) && (value as number) >= min) return value as number;
  throw invalid(`${where} must be an integer from ${min} up (got ${String(value)}).`);
}

function argsOf(args: unknown, where: string): JsonValue | undefined {
  if (args === undefined || isPlainJson(args)) return args as JsonValue | undefined;
  throw invalid(
    `${where}: \`args\` must be JSON (strings, numbers, booleans, null, arrays, objects)${why(args)}.`,
  );
}

/** A JSON object (an LLM task's params). */
export function jsonObject(value: unknown, where: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !isPlainJson(value)) {
    throw invalid(`${where} must be a JSON object (model, temperature…)${why(value)}.`);
  }
  if (Object.hasOwn(value, '__proto__')) throw invalid(`${where} may not have a key "__proto__".`);
  return value as Record<string, unknown>;
}

/** ": <problem> at <path>" when the value is cyclic, too deep or holds a function. */
function why(value: unknown): string {
  const problem = findValueProblem(value);
  return problem ? `: ${problem.problem} at ${pathSuffix(problem.path) || 'its top'}` : '';
}

/** Whether `value` is a zod 4 schema; a zod 3 one is refused with a message that says zod 4 is needed. */
export function isZodSchema(value: unknown, where: string): value is ZodType {
  if (isZod4Schema(value)) return true;
  if (isZod3Schema(value)) throw zod3SchemaError(where);
  return false;
}

/** A zod schema as JSON Schema, the form a trace stores. */
export function schemaToJson(schema: ZodType, where: string): JsonValue {
  if (!isZodSchema(schema, where)) throw invalid(`${where} must be a zod schema.`);
  const json = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'output' }) as JsonValue;
  // A trace stores the schema as JSON: it must stay within the depth a trace can hold.
  const problem = findValueProblem(json, { fromJson: true });
  if (problem)
    throw invalid(`${where} is too deep to store in a trace: its JSON Schema is ${problem.problem}.`);
  return json;
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function; register it and pass the handle';
  try {
    return JSON.stringify(value)?.slice(0, 60) ?? String(value);
  } catch {
    return String(value);
  }
}

function invalid(message: string): TaskGraphError {
  return new TaskGraphError('INVALID_ARGUMENT', message);
}
