/** Version of the step function's logic: bump it when a decision changes, so that replays re-decide. */
export const AGENT_LOOP_VERSION = '3';

/** The registered step function of a loop (every step task of the loop runs it). */
export function stepFunctionId(loop: string): string {
  return `agent-loop/${loop}`;
}

/** A responder's registered function: an LLM prompt, a function or human attempt, a sub-graph's input. */
export function responderFunctionId(loop: string, responder: string): string {
  return `agent-loop/${loop}/${responder}`;
}

/** The prompt of the re-ask for a typed result. */
export function reaskPromptId(loop: string): string {
  return `agent-loop/${loop}/result`;
}

/** The parser of every LLM responder's reply. */
export const REPLY_PARSER_ID = 'agent-loop/reply';

/** The handler wrapper that keeps each call's usage in its stored response (see metered-handler.ts). */
export function meteredHandlerId(handler: string): string {
  return `metered:${handler}`;
}
