import type { FunctionRegistry, TaskContext } from '@taskgraph/core';
import { TaskGraphError } from '@taskgraph/core';
import { z } from 'zod';
import {
  AGENT_LOOP_VERSION,
  REPLY_PARSER_ID,
  reaskPromptId,
  responderFunctionId,
  stepFunctionId,
} from './function-ids.js';
import type { LoopDefinition } from './loop-definition.js';
import { indexLoopHistory } from './loop-history.js';
import type { LoopNodeOutput } from './loop-state.js';
import { MeteredHandler } from './metered-handler.js';
import {
  humanQuestion,
  llmPrompt,
  parseReply,
  reaskPrompt,
  respondFunction,
  subGraphInput,
} from './responder-functions.js';
import { asksPerson } from './responders.js';
import { stepFunction } from './step-function.js';

type StepFn = (ctx: TaskContext, ...deps: unknown[]) => Promise<LoopNodeOutput>;

const registered = new WeakMap<FunctionRegistry, Map<string, LoopDefinition>>();
const stepFunctions = new WeakMap<LoopDefinition, StepFn>();

/**
 * Registers a loop's functions (its step function, its responders' functions, the reply parser), a
 * metered handler bound to `registry` for each LLM handler it uses, then its sub-loops'. Registering the
 * same loop again, or in a registry that included another where it was registered, only rebinds the
 * metered handlers; another loop with the same name is refused.
 */
export function registerLoop(def: LoopDefinition, registry: FunctionRegistry): FunctionRegistry {
  const loops = registered.get(registry) ?? new Map<string, LoopDefinition>();
  registered.set(registry, loops);
  if (loops.get(def.name) === def) return registry;
  const step = stepFunctionOf(def);
  const id = stepFunctionId(def.name);
  const included = registry.has(id) && registry.get(id).fn === step;
  if (loops.has(def.name) || (registry.has(id) && !included)) {
    throw new TaskGraphError(
      'INVALID_ARGUMENT',
      `AgentLoop.register: another loop named "${def.name}" is already registered in this registry. Give each loop its own name (clone(i) names copies "${def.name}-i").`,
    );
  }
  loops.set(def.name, def);
  registry.onGraphStart(indexLoopHistory);
  if (!included) registerFunctions(def, registry, step);
  for (const responder of def.responders) {
    if (responder.kind === 'llm') registry.addHandler(new MeteredHandler(registry, responder.handler));
    if (responder.kind === 'loop') responder.loop.register(registry);
  }
  return registry;
}

function stepFunctionOf(def: LoopDefinition): StepFn {
  let step = stepFunctions.get(def);
  if (!step) {
    step = stepFunction(def);
    stepFunctions.set(def, step);
  }
  return step;
}

/**
 * The step function and the responders' functions read the conversation, which this process indexes
 * (conversation-log.ts), and the loop's gates and kill store: they are registered `local`, so a run on
 * other processes runs them here. The LLM calls, the reply parser and sub-graph tasks go to its workers.
 */
function registerFunctions(def: LoopDefinition, registry: FunctionRegistry, step: StepFn): void {
  const version = { version: AGENT_LOOP_VERSION };
  registry.register(stepFunctionId(def.name), step, { ...version, local: true });
  if (!registry.has(REPLY_PARSER_ID)) registry.register(REPLY_PARSER_ID, parseReply, version);
  for (const responder of def.responders) {
    const id = responderFunctionId(def.name, responder.name);
    const own =
      responder.kind !== 'loop' && responder.version !== undefined
        ? { version: responder.version, local: true }
        : { local: true };
    if (responder.kind === 'llm') registry.register(id, llmPrompt(responder), own);
    else if (responder.kind === 'human' && asksPerson(responder))
      registry.register(id, humanQuestion(responder), own);
    else if (responder.kind === 'function' || responder.kind === 'human')
      registry.register(id, respondFunction(responder), own);
    else if (responder.kind === 'graph') registry.register(id, subGraphInput(responder), own);
  }
  if (def.reask && def.returnType) {
    const schema = JSON.stringify(z.toJSONSchema(def.returnType, { unrepresentable: 'any' }));
    registry.register(reaskPromptId(def.name), reaskPrompt(schema), version);
  }
}
