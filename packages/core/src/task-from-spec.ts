import type { ZodType } from 'zod';
import { z } from 'zod';
import { TaskGraphError } from './errors.js';
import type { FunctionDef } from './registry.js';
import type { AnyTask, LLMParser, TaskDefinition, TaskKind } from './task.js';
import { FunctionTask, GraphTask, LLMTask } from './task.js';
import type { NamedDeps } from './task-spec.js';
import type { JsonValue } from './value-codec.js';
import { isPlainJson } from './value-codec.js';
import { isZod3Schema, isZodSchema, zod3SchemaError } from './zod-schema.js';

/** The default LLM handler id. */
export const DEFAULT_HANDLER = 'openai';

interface LooseSpec {
  kind?: TaskKind;
  id: string;
  deps?: readonly unknown[];
  namedDeps?: NamedDeps;
  args?: unknown;
  schema?: ZodType;
  fn?: unknown;
  prompt?: unknown;
  parser?: unknown;
  handler?: unknown;
  params?: unknown;
  graph?: unknown;
  input?: unknown;
  maxRepairs?: unknown;
  retries?: unknown;
  timeoutMs?: unknown;
}

/** Builds a task from what a user wrote, checking every field and naming the task in each error. */
export function taskFromSpec(
  api: string,
  kind: TaskKind,
  spec: LooseSpec,
  id: string,
  createdBy?: string,
): AnyTask {
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
  if (spec.deps !== undefined && !Array.isArray(spec.deps)) {
    throw new TaskGraphError('INVALID_ARGUMENT', `${where}: \`deps\` must be an array of tasks or task ids.`);
  }
  const deps = (spec.deps ?? []).map((ref, i) => refId(ref, `${where}: deps[${i}]`));
  const namedDeps: Record<string, string> = {};
  for (const [name, ref] of Object.entries(spec.namedDeps ?? {}))
    namedDeps[name] = refId(ref, `${where}: namedDeps.${name}`);
  const def: TaskDefinition = {
    id,
    deps,
    namedDeps,
    createdBy,
    args: argsOf(spec.args, `${where}: \`args\``),
    schema: spec.schema,
    schemaJson: spec.schema ? schemaToJson(spec.schema, `${where}: \`schema\``) : undefined,
  };
  switch (kind) {
    case 'function':
      return new FunctionTask(def, functionId(spec.fn, `${where}: \`fn\``), {
        ...(spec.retries === undefined ? {} : { retries: count(spec.retries, `${where}: \`retries\``) }),
        ...(spec.timeoutMs === undefined
          ? {}
          : { timeoutMs: count(spec.timeoutMs, `${where}: \`timeoutMs\``, 1) }),
      });
    case 'llm': {
      const parser = parserOf(spec.parser, `${where}: \`parser\``);
      return new LLMTask(
        def,
        functionId(spec.prompt, `${where}: \`prompt\``),
        parser,
        spec.handler === undefined ? DEFAULT_HANDLER : stringField(spec.handler, `${where}: \`handler\``),
        paramsOf(spec.params, `${where}: \`params\``),
        repairsOf(spec.maxRepairs, 'schema' in parser ? 1 : 0, `${where}: \`maxRepairs\``),
      );
    }
    case 'graph': {
      const graph = spec.graph as { cloneDefinition?: (withInput: boolean) => unknown } | undefined;
      if (!graph || typeof graph.cloneDefinition !== 'function') {
        throw new TaskGraphError('INVALID_ARGUMENT', `${where}: \`graph\` must be a TaskGraph.`);
      }
      const input =
        spec.input === undefined ? 'builtin.input' : functionId(spec.input, `${where}: \`input\``);
      // The nested graph's input comes from the input formatter when the task runs.
      return new GraphTask(def, input, graph.cloneDefinition(false) as GraphTask['graph']);
    }
    default:
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        `${where}: unknown kind "${String(kind)}". Use "function", "llm" or "graph".`,
      );
  }
}

function refId(ref: unknown, where: string): string {
  if (typeof ref === 'string' && ref !== '') return ref;
  if (ref && typeof ref === 'object' && typeof (ref as { id?: unknown }).id === 'string')
    return (ref as { id: string }).id;
  throw new TaskGraphError(
    'INVALID_ARGUMENT',
    `${where} must be a task or a task id (got ${describe(ref)}).`,
  );
}

function functionId(fn: unknown, where: string): string {
  if (typeof fn === 'string' && fn !== '') return fn;
  if (fn && typeof fn === 'object' && typeof (fn as FunctionDef).id === 'string')
    return (fn as FunctionDef).id;
  throw new TaskGraphError(
    'INVALID_ARGUMENT',
    `${where} must be a registered function (what registry.register returns) or its id (got ${describe(fn)}).`,
  );
}

function stringField(value: unknown, where: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw new TaskGraphError(
    'INVALID_ARGUMENT',
    `${where} must be a non-empty string (got ${describe(value)}).`,
  );
}

function parserOf(parser: unknown, where: string): LLMParser {
  if (parser === undefined) return { fn: 'builtin.text' };
  if (isZodSchema(parser)) return { schema: parser, schemaJson: schemaToJson(parser, where) };
  if (isZod3Schema(parser)) throw zod3SchemaError(where);
  return { fn: functionId(parser, where) };
}

function repairsOf(value: unknown, fallback: number, where: string): number {
  return value === undefined ? fallback : count(value, where);
}

function count(value: unknown, where: string, min = 0): number {
  if (Number.isInteger(value) && (value as number) >= min) return value as number;
  throw new TaskGraphError(
    'INVALID_ARGUMENT',
    `${where} must be an integer from ${min} up (got ${String(value)}).`,
  );
}

function argsOf(args: unknown, where: string): JsonValue | undefined {
  if (args === undefined || isPlainJson(args)) return args as JsonValue | undefined;
  throw new TaskGraphError(
    'INVALID_ARGUMENT',
    `${where} must be JSON (strings, numbers, booleans, null, arrays, objects).`,
  );
}

function paramsOf(params: unknown, where: string): Record<string, unknown> {
  if (params === undefined) return {};
  if (params === null || typeof params !== 'object' || Array.isArray(params) || !isPlainJson(params)) {
    throw new TaskGraphError('INVALID_ARGUMENT', `${where} must be a JSON object (model, temperature…).`);
  }
  return params as Record<string, unknown>;
}

/** A zod schema as JSON Schema, the form a trace stores. */
export function schemaToJson(schema: ZodType, where: string): JsonValue {
  if (!isZodSchema(schema)) {
    if (isZod3Schema(schema)) throw zod3SchemaError(where);
    throw new TaskGraphError('INVALID_ARGUMENT', `${where} must be a zod schema.`);
  }
  return z.toJSONSchema(schema, { unrepresentable: 'any', io: 'output' }) as JsonValue;
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
