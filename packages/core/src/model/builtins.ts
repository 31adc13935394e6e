import { parseJsonText } from './parse-json-text.js';
import type { FunctionRegistry } from './registry.js';
import type { TaskContext } from './task-context.js';

/** Ids of the functions every registry holds from the start. */
export const BUILTIN = {
  /** Forwards the graph input (the default input formatter of a GraphTask). */
  input: 'builtin.input',
  /** Parser: the reply text as it is (the default parser of an LLM task). */
  text: 'builtin.text',
  /** Parser: the reply parsed as JSON (a surrounding code fence is allowed). */
  json: 'builtin.json',
  /** The positional dependency outputs as an array. */
  list: 'builtin.list',
} as const;

export function registerBuiltins(registry: FunctionRegistry) {
  return {
    input: registry.register(BUILTIN.input, (ctx: TaskContext) => ctx.input),
    text: registry.register(BUILTIN.text, (_ctx: TaskContext, text: string) => text),
    json: registry.register(BUILTIN.json, (ctx: TaskContext, text: string) =>
      parseJsonText(text, ctx.taskPath),
    ),
    list: registry.register(BUILTIN.list, (_ctx: TaskContext, ...values: unknown[]) => values),
  };
}
