import type { FunctionRegistry, LLMHandler } from '@taskgraph/core';
import { FunctionRegistry as Registry } from '@taskgraph/core';
import { AgentLoop, functionResponder, llmResponder, subLoop } from '@taskgraph/patterns';

/** What the local archive knows: boiling points by place. It knows nothing of high mountains. */
const ARCHIVE: Record<string, string> = {
  'sea level': 'At sea level water boils at 100 °C.',
  denver: 'In Denver (1,600 m) water boils at about 95 °C.',
};

/**
 * A sub-loop that looks the question up in the archive. It finds nothing for Everest, gives no reply,
 * and stalls after two turns: the assistant then fails over to the next sub-loop.
 */
export const archive = new AgentLoop({
  name: 'archive',
  responders: [
    functionResponder({
      name: 'lookup',
      respond: (message) => {
        const text = (message.content ?? '').toLowerCase();
        const place = Object.keys(ARCHIVE).find((key) => text.includes(key));
        return place === undefined ? null : `${ARCHIVE[place]} DONE`;
      },
    }),
  ],
  maxStalledSteps: 2,
});

/** A sub-loop with one LLM, a physicist: its first reply ends it. */
export const expert = new AgentLoop({
  name: 'expert',
  responders: [
    llmResponder({
      name: 'physicist',
      system: 'You are a physicist. Answer the question in one or two sentences, with numbers.',
    }),
  ],
  doneIfResponse: ['physicist'],
});

/**
 * The assistant: a writer LLM that asks for facts when it needs them, then the two sub-loops, tried in
 * order when the writer cannot answer (its own message is pending). A loop-scoped budget caps its spend.
 */
export const assistant = new AgentLoop({
  name: 'assistant',
  responders: [
    llmResponder({
      name: 'writer',
      system:
        'You write short, practical answers for hikers. If the question needs a physical fact you are not sure of, reply exactly "NEED FACTS: <the fact you need>" and nothing else. When you are given the fact, write the final answer in two sentences and end it with the word DONE.',
    }),
    subLoop(archive),
    subLoop(expert),
  ],
  maxTurns: 8,
  budget: { maxCostUsd: 0.05 },
});

export const QUESTION = 'How long should I boil an egg on the summit of Mount Everest?';

/** A registry with the LLM handler (id "openai") and the assistant's functions and its sub-loops'. */
export function createRegistry(handler: LLMHandler): FunctionRegistry {
  const registry = new Registry().addHandler(handler);
  return assistant.register(registry);
}
