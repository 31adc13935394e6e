import type { FunctionRegistry, FunctionTaskSpec, JsonValue, TaskContext } from '@taskgraph/core';
import { serializeError, TaskGraphError } from '@taskgraph/core';
import { z } from 'zod';

/** A tool that LLM programs call: a name, a description for the model, a zod schema of its input, a function. */
export interface ToolSpec<I = unknown> {
  /** Letters, digits, `_` and `-` (as OpenAI tool names). */
  name: string;
  description: string;
  /** Checked before `run`; its JSON Schema is what the model sees. Default: any JSON object. */
  parameters?: z.ZodType<I>;
  run: (input: I, ctx: TaskContext) => unknown;
  /** Bump it when `run` changes what it computes: recorded calls of the tool then run again on replay. */
  version?: string;
}

/** One tool call as the trace records it: the tool, its input, and its output or error. */
export interface ToolCallRecord {
  tool: string;
  input: JsonValue;
  toolCallId?: string;
  output?: JsonValue;
  error?: string;
}

/** Defines a tool whose `run` gets the input typed by its schema. */
export function defineTool<S extends z.ZodType>(spec: {
  name: string;
  description: string;
  parameters: S;
  run: (input: z.output<S>, ctx: TaskContext) => unknown;
  version?: string;
}): ToolSpec {
  return spec as unknown as ToolSpec;
}

/** Id of the registered function that runs the tool `name`. */
export const toolFunctionId = (name: string) => `patterns.tool.${name}`;

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const anyObject = z.record(z.string(), z.unknown());

/**
 * Registers one function per tool. Each call runs as a function task whose output is a ToolCallRecord:
 * input the schema refuses and errors the tool throws are recorded in it, not thrown.
 */
export function registerTools(registry: FunctionRegistry, tools: readonly ToolSpec[]): void {
  if (!registry.has(MISSING_TOOL)) {
    registry.register(MISSING_TOOL, (ctx): ToolCallRecord => {
      const { tool, input, toolCallId, known } = ctx.args as {
        tool: string;
        input: JsonValue;
        toolCallId?: string;
        known: string[];
      };
      const error = `there is no tool named "${tool}". Tools: ${known.join(', ') || '(none)'}.`;
      return { tool, input, ...(toolCallId ? { toolCallId } : {}), error };
    });
  }
  for (const tool of tools) {
    if (!NAME.test(tool?.name ?? '')) {
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        `registerTools: tool name "${String(tool?.name)}" must be 1 to 64 letters, digits, "_" or "-".`,
      );
    }
    const schema = tool.parameters ?? anyObject;
    registry.register(
      toolFunctionId(tool.name),
      async (ctx): Promise<ToolCallRecord> => {
        const { input, toolCallId } = ctx.args as { input: JsonValue; toolCallId?: string };
        const record: ToolCallRecord = { tool: tool.name, input, ...(toolCallId ? { toolCallId } : {}) };
        const parsed = schema.safeParse(input);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return {
            ...record,
            error: `invalid input at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
          };
        }
        try {
          const output = await tool.run(parsed.data, ctx);
          return output === undefined ? record : { ...record, output: output as JsonValue };
        } catch (error) {
          if (ctx.signal.aborted) throw error;
          return { ...record, error: serializeError(error).message };
        }
      },
      tool.version === undefined ? {} : { version: tool.version },
    );
  }
}

/** A zod schema as the JSON Schema of a function tool's parameters (without `$schema`, which APIs refuse). */
export function toolParameters(schema: z.ZodType): JsonValue {
  const { $schema: _, ...parameters } = z.toJSONSchema(schema, { unrepresentable: 'any' });
  return parameters as JsonValue;
}

/** The OpenAI function-tool definition of a tool, for an LLM task's `params.tools`. */
export function toolDefinition(tool: ToolSpec): JsonValue {
  return {
    type: 'function',
    function: {
      name: tool.name,
      description: tool.description,
      parameters: toolParameters(tool.parameters ?? anyObject),
    },
  };
}

/** Runs in place of a tool the model named and nobody registered: records the error. */
const MISSING_TOOL = 'patterns.tool-missing';

/**
 * The task spec of one call of a tool: the tool's function when `known` lists it, else a task that
 * records "there is no tool named …" as the call's error.
 */
export function toolCallSpec(
  id: string,
  call: { tool: string; input: JsonValue; toolCallId?: string | undefined },
  known: readonly string[],
): FunctionTaskSpec {
  const toolCallId = call.toolCallId === undefined ? {} : { toolCallId: call.toolCallId };
  if (known.includes(call.tool))
    return { id, fn: toolFunctionId(call.tool), args: { input: call.input, ...toolCallId } };
  return {
    id,
    fn: MISSING_TOOL,
    args: { tool: call.tool, input: call.input, known: [...known], ...toolCallId },
  };
}

/** The text a model reads back for a tool call: the output as JSON, or the error. */
export function toolCallText(record: ToolCallRecord): string {
  if (record.error !== undefined) return `Error: ${record.error}`;
  return typeof record.output === 'string' ? record.output : JSON.stringify(record.output ?? null);
}
