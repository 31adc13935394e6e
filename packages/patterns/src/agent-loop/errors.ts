import { TaskGraphError } from '@taskgraph/core';
import type { PatternErrorCode } from '../pattern-error-codes.js';

/**
 * A loop whose `onInfiniteLoop` is "throw" repeated itself (status INF_LOOP), for langroid parity.
 */
export class InfiniteLoopError extends TaskGraphError<PatternErrorCode> {
  override readonly name = 'InfiniteLoopError';
  readonly loop: string;
  readonly turn: number;

  constructor({ loop, turn, taskPath }: { loop: string; turn: number; taskPath: readonly string[] }) {
    super(
      'INFINITE_LOOP',
      `AgentLoop.run: loop "${loop}" repeats itself (INF_LOOP at turn ${turn}, task "${taskPath.join(' > ')}"). Change the responders or prompts that cycle, or set onInfiniteLoop to "status" to get { status: "INF_LOOP", result: null } instead.`,
      { taskPath },
    );
    this.loop = loop;
    this.turn = turn;
  }
}

/** In strict mode, the loop's result held no value of the requested return type. */
export class ReturnTypeError extends TaskGraphError {
  override readonly name = 'ReturnTypeError';
  readonly loop: string;

  constructor(loop: string, content: string | null) {
    super(
      'OUTPUT_INVALID',
      `AgentLoop.run: the result of loop "${loop}" holds no value of the requested returnType (content ${JSON.stringify(content)}). Ask for the value in the prompt, set reask on the loop, or leave strict off to get null.`,
    );
    this.loop = loop;
  }
}

/**
 * A responder, prompt or sub-loop needed the conversation before a step, and the steps of its graph do
 * not lead to it: a step's stored `log` was edited, or the trace lists a loop's steps out of order.
 */
export class UnknownConversationError extends TaskGraphError<PatternErrorCode> {
  override readonly name = 'UnknownConversationError';

  constructor(where: string, length: number) {
    super(
      'UNKNOWN_CONVERSATION',
      `${where}: the conversation before this step (${length} messages) does not follow from the steps before it in the graph. A step's \`log\` holds the length and a hash chain of the conversation before it: restore the one that was edited (edit a step's \`added\` messages instead), and keep a loop's steps in the order they ran.`,
    );
  }
}
