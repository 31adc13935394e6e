import { FunctionRegistry } from '../src/index.js';
import { hashText } from '../src/internal.js';
import { ScriptedHandler } from '../src/testing.js';

/**
 * A registry for replay tests: every function and LLM call is recorded by task id, and outputs depend on
 * every input (so an edit upstream changes every value downstream).
 */
export function trackingRegistry(options: { versions?: Record<string, string> } = {}) {
  const registry = new FunctionRegistry();
  const ran: string[] = [];
  const llm = new ScriptedHandler({ reply: (request) => `reply(${JSON.stringify(request.prompt)})` });
  registry.addHandler(llm);
  const node = registry.register(
    'node',
    (ctx, ...deps: unknown[]) => {
      ran.push(ctx.taskId);
      return hashText(JSON.stringify([ctx.taskId, deps, options.versions?.node]));
    },
    options.versions?.node ? { version: options.versions.node } : {},
  );
  const prompt = registry.register('prompt', (ctx, ...deps: unknown[]) => {
    ran.push(`${ctx.taskId}:prompt`);
    return `prompt for ${ctx.taskId}: ${JSON.stringify(deps)}`;
  });
  const parse = registry.register('parse', (ctx, text: string) => {
    ran.push(`${ctx.taskId}:parse`);
    return text.toUpperCase();
  });
  return {
    registry,
    node,
    prompt,
    parse,
    llm,
    /** Ids of the tasks that ran since the last call, and the LLM calls. */
    take() {
      const taken = {
        ran: [...ran].sort(),
        llmCalls: llm.requests.map((r) => r.taskPath.join(' > ')).sort(),
      };
      ran.length = 0;
      llm.requests.length = 0;
      return taken;
    },
  };
}
