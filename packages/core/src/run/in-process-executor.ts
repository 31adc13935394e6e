import type { LLMCallOptions, LLMResult } from '../model/llm-handler.js';
import { CallContext } from './call-context.js';
import { callWithAttempts } from './function-attempts.js';
import type {
  ExecuteEnv,
  FunctionCall,
  LLMCall,
  StageCall,
  StageOutcome,
  TaskExecutor,
} from './task-executor.js';

/**
 * Runs calls in this process, with live values (nothing is encoded): the default executor. A
 * synchronous function without retries or timeout settles synchronously, so a chain of them makes no
 * promise at all.
 */
export class InProcessExecutor implements TaskExecutor {
  execute(call: StageCall, env: ExecuteEnv): StageOutcome | Promise<StageOutcome> {
    return call.type === 'function' ? this.#function(call, env) : this.#llm(call, env);
  }

  #function(call: FunctionCall, env: ExecuteEnv): StageOutcome | Promise<StageOutcome> {
    let def: ReturnType<ExecuteEnv['registry']['get']>;
    try {
      // The task path is built only for the error of an unknown function.
      def = env.registry.find(call.fn) ?? env.registry.get(call.fn, call.taskPath);
    } catch (error) {
      return { ok: false, error, inputRead: false, created: NONE, attempts: 1 };
    }
    const { attempts } = call;
    if (attempts.retries > 0 || attempts.timeoutMs !== undefined) {
      const contexts: CallContext[] = [];
      return callWithAttempts(call, env.signal, (signal) => {
        const ctx = new CallContext(call, signal);
        contexts.push(ctx);
        return def.fn(ctx, ...(call.args as never[]));
      }).then(
        ({ value, attempts: made }) => settle(contexts, { ok: true, value, attempts: made }),
        ({ error, attempts: made }) => settle(contexts, { ok: false, error, attempts: made }),
      );
    }
    const ctx = new CallContext(call, env.signal);
    let result: unknown;
    try {
      result = invoke(def.fn, ctx, call.args);
    } catch (error) {
      ctx.close();
      return { ok: false, error, inputRead: ctx.inputRead, created: NONE, attempts: 1 };
    }
    if (!isPromiseLike(result)) {
      ctx.close();
      return { ok: true, value: result, inputRead: ctx.inputRead, created: ctx.created ?? NONE, attempts: 1 };
    }
    return Promise.resolve(result).then(
      (value) => settle([ctx], { ok: true, value, attempts: 1 }),
      (error) => settle([ctx], { ok: false, error, attempts: 1 }),
    );
  }

  async #llm(call: LLMCall, env: ExecuteEnv): Promise<StageOutcome> {
    try {
      const handler = env.registry.handler(call.handler, call.taskPath);
      const { onDelta } = env;
      const options: LLMCallOptions = { signal: env.signal, taskPath: call.taskPath };
      if (onDelta) options.onDelta = (text) => onDelta(call, text);
      const value: LLMResult = await handler.call(call.request, options);
      return { ok: true, value, inputRead: false, created: NONE, attempts: 1 };
    } catch (error) {
      return { ok: false, error, inputRead: false, created: NONE, attempts: 1 };
    }
  }
}

const NONE: readonly never[] = Object.freeze([]);

/** Calls a function with its context and arguments; the few-argument calls most tasks make avoid a spread. */
function invoke(
  fn: (ctx: CallContext, ...args: never[]) => unknown,
  ctx: CallContext,
  args: readonly unknown[],
) {
  const f = fn as (ctx: CallContext, ...args: unknown[]) => unknown;
  switch (args.length) {
    case 0:
      return f(ctx);
    case 1:
      return f(ctx, args[0]);
    case 2:
      return f(ctx, args[0], args[1]);
    case 3:
      return f(ctx, args[0], args[1], args[2]);
    default:
      return f(ctx, ...args);
  }
}

/** The outcome of a call from what it gave and the contexts of its attempts (only the last one's tasks count). */
function settle(
  contexts: readonly CallContext[],
  result: { ok: true; value: unknown; attempts: number } | { ok: false; error: unknown; attempts: number },
): StageOutcome {
  let inputRead = false;
  for (const ctx of contexts) {
    ctx.close();
    if (ctx.inputRead) inputRead = true;
  }
  const last = contexts[contexts.length - 1];
  const created = result.ok ? (last?.created ?? NONE) : NONE;
  return result.ok
    ? { ok: true, value: result.value, inputRead, created, attempts: result.attempts }
    : { ok: false, error: result.error, inputRead, created, attempts: result.attempts };
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function'
  );
}
