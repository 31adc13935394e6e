import { TaskGraphError } from '../model/errors.js';
import type {
  AssistantMessage,
  LLMCallOptions,
  LLMHandler,
  LLMRequest,
  LLMResult,
  LLMUsage,
} from '../model/llm-handler.js';
import { promptToMessages } from '../model/llm-handler.js';

/** What a script answers: reply text, a whole assistant message, or a whole result (usage, cost…). */
export type ScriptedReply = string | AssistantMessage | LLMResult;

export interface ScriptedHandlerOptions {
  /** Handler id (default "scripted"). */
  id?: string;
  /** Stored in the trace as what stands behind the handler. */
  description?: string;
  /** Answers each request; may be async and may throw to simulate a failing call. */
  reply: (request: LLMRequest, options: LLMCallOptions) => ScriptedReply | Promise<ScriptedReply>;
  /** Model name reported in results. Default "scripted". */
  model?: string;
}

/**
 * An LLM handler whose replies come from a function: for tests and offline examples. Counts calls and
 * keeps every request, so tests can assert exactly which tasks called the LLM.
 */
export class ScriptedHandler implements LLMHandler {
  readonly id: string;
  readonly description: string;
  readonly requests: Array<{ request: LLMRequest; taskPath: readonly string[] }> = [];
  readonly #reply: ScriptedHandlerOptions['reply'];
  readonly #model: string;

  constructor(options: ScriptedHandlerOptions) {
    if (!options || typeof options.reply !== 'function') {
      throw new TaskGraphError('INVALID_ARGUMENT', 'new ScriptedHandler: `reply` must be a function.');
    }
    this.id = options.id ?? 'scripted';
    this.description = options.description ?? 'Scripted replies for tests: not a real model.';
    this.#reply = options.reply;
    this.#model = options.model ?? 'scripted';
  }

  get calls(): number {
    return this.requests.length;
  }

  async call(request: LLMRequest, options: LLMCallOptions): Promise<LLMResult> {
    this.requests.push({ request, taskPath: options.taskPath });
    options.signal.throwIfAborted();
    const reply = await this.#reply(request, options);
    if (typeof reply === 'string')
      return this.#result({ role: 'assistant', content: reply, finishReason: 'stop' }, request);
    if ('message' in reply) return reply;
    return this.#result(reply, request);
  }

  #result(message: AssistantMessage, request: LLMRequest): LLMResult {
    return { message, usage: countUsage(request, message), model: this.#model, costUsd: 0 };
  }
}

/** Deterministic token counts: words of the prompt and of the reply. */
function countUsage(request: LLMRequest, message: AssistantMessage): LLMUsage {
  const words = (text: string | null) => (text ? text.split(/\s+/).filter(Boolean).length : 0);
  const promptTokens = promptToMessages(request.prompt).reduce((n, m) => n + words(m.content), 0);
  const completionTokens = words(message.content);
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
}
