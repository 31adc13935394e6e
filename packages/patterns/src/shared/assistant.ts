import type { ChatMessage, FunctionRegistry, JsonValue, LLMParams, TaskContext } from '@taskgraph/core';
import { TaskGraphError } from '@taskgraph/core';
import type { ToolSpec } from './tools.js';
import { registerTools, toolDefinition } from './tools.js';

/** What an assistant is given for one piece of work: the task, the messages that ask for it, and context. */
export interface AssistantInput {
  task: string;
  /** The conversation that asks for the task (a worker prompt, a supervisor's hand-off). */
  messages: ChatMessage[];
  context?: JsonValue;
}

interface AssistantBase {
  /** Letters, digits, `_` and `-`; how planners and supervisors name it. */
  name: string;
  /** What it is good at, shown to the model that hands it work. */
  description: string;
}

/** Code that does the work in one function task (its output is the result). */
export interface FunctionAssistant extends AssistantBase {
  kind: 'function';
  run: (input: AssistantInput, ctx: TaskContext) => unknown;
  /** Bump it when `run` changes what it computes, so that recorded work runs again on replay. */
  version?: string;
}

/**
 * A tool-using LLM agent: it calls tools turn after turn until it answers without a tool call; the answer
 * is the result. Every turn is an LLM task and every tool call a task of its own.
 */
export interface AgentAssistant extends AssistantBase {
  kind: 'agent';
  /** A system message put before the messages it is given. */
  instructions?: string;
  tools: readonly ToolSpec[];
  params?: LLMParams;
  /** LLM handler id (default "openai"). */
  handler?: string;
  /** Most LLM turns (default 10); then the last reply's text is the result. */
  maxTurns?: number;
}

/**
 * Work done outside the run, by a person or by the program that drives the run: each piece of work is a
 * human task whose answer is the result, so the run pauses there until it is answered.
 */
export interface ExternalAssistant extends AssistantBase {
  kind: 'external';
}

export type Assistant = FunctionAssistant | AgentAssistant | ExternalAssistant;

/** The settings of an agent's turns, as its tasks store them. */
export interface AgentSettings {
  tools: string[];
  /** LLM params of every turn, the tool definitions included. */
  params: LLMParams;
  handler: string;
  maxTurns: number;
  instructions?: string;
}

/** An assistant as the graph refers to it (JSON: it sits in task args). */
export type AssistantRef = { name: string; description: string } & (
  | { kind: 'function'; fn: string }
  | { kind: 'agent'; settings: AgentSettings }
  | { kind: 'external' }
);

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** Id of the registered function of a function assistant. */
export const assistantFunctionId = (name: string) => `patterns.assistant.${name}`;

/** An assistant that is code: `run(input, ctx)` returns the result. */
export function functionAssistant(spec: Omit<FunctionAssistant, 'kind'>): FunctionAssistant {
  return { kind: 'function', ...spec };
}

/** A tool-using LLM agent (see AgentAssistant). */
export function toolAgent(spec: Omit<AgentAssistant, 'kind'>): AgentAssistant {
  return { kind: 'agent', ...spec };
}

/** Work that a person or the driving program does and answers (see ExternalAssistant). */
export function externalAssistant(spec: Omit<ExternalAssistant, 'kind'>): ExternalAssistant {
  return { kind: 'external', ...spec };
}

/**
 * Registers what the assistants need (their functions, the agents' tools) and returns how the graph
 * refers to them. `api` names the caller in errors.
 */
export function registerAssistants(
  registry: FunctionRegistry,
  assistants: readonly Assistant[],
  api: string,
): AssistantRef[] {
  const refs = assistantRefs(assistants, api);
  for (const assistant of assistants) {
    if (assistant.kind === 'function') {
      registry.register(
        assistantFunctionId(assistant.name),
        (ctx) => assistant.run((ctx.args as unknown as { input: AssistantInput }).input, ctx),
        assistant.version === undefined ? {} : { version: assistant.version },
      );
    }
    if (assistant.kind === 'agent') registerTools(registry, assistant.tools);
  }
  return refs;
}

/** How the graph refers to each assistant (checked: unique names, a known kind, sound settings). */
export function assistantRefs(assistants: readonly Assistant[], api: string): AssistantRef[] {
  const seen = new Set<string>();
  return assistants.map((assistant): AssistantRef => {
    const name = assistant?.name;
    if (!NAME.test(name ?? '') || seen.has(name)) {
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        `${api}: assistant name "${String(name)}" must be unique, and 1 to 64 letters, digits, "_" or "-".`,
      );
    }
    seen.add(name);
    switch (assistant.kind) {
      case 'function': {
        if (typeof assistant.run !== 'function') {
          throw new TaskGraphError(
            'INVALID_ARGUMENT',
            `${api}: assistant "${name}" needs a \`run\` function.`,
          );
        }
        return { name, description: assistant.description, kind: 'function', fn: assistantFunctionId(name) };
      }
      case 'agent': {
        const maxTurns = assistant.maxTurns ?? 10;
        if (!(Number.isInteger(maxTurns) && maxTurns >= 1)) {
          throw new TaskGraphError(
            'INVALID_ARGUMENT',
            `${api}: \`maxTurns\` of assistant "${name}" must be an integer from 1 up (got ${String(assistant.maxTurns)}).`,
          );
        }
        const settings: AgentSettings = {
          tools: assistant.tools.map((tool) => tool.name),
          params: {
            ...assistant.params,
            ...(assistant.tools.length > 0 ? { tools: assistant.tools.map(toolDefinition) } : {}),
          },
          handler: assistant.handler ?? 'openai',
          maxTurns,
        };
        if (assistant.instructions !== undefined) settings.instructions = assistant.instructions;
        return { name, description: assistant.description, kind: 'agent', settings };
      }
      case 'external':
        return { name, description: assistant.description, kind: 'external' };
      default:
        throw new TaskGraphError(
          'INVALID_ARGUMENT',
          `${api}: assistant "${name}" has no known kind; make it with functionAssistant, toolAgent or externalAssistant.`,
        );
    }
  });
}
