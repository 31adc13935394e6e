import type { OpenAIHandler } from '@taskgraph/openai';
import type { TestServer } from '@taskgraph/openai/testing';
import { startOfflineHandler as startHandler } from '@taskgraph/openai/testing';

/**
 * The OpenAI handler pointed at an OpenAI-compatible test server started in this process, with canned
 * replies chosen by the last user message. The trace names it for what it is: not a real model.
 */
export async function startOfflineHandler(): Promise<{ handler: OpenAIHandler; server: TestServer }> {
  return startHandler({
    rules: [
      { match: 'Mount Everest?', reply: 'NEED FACTS: the boiling point of water at 8,849 m' },
      {
        match: 'NEED FACTS',
        reply:
          'At 8,849 m the air pressure is about a third of that at sea level, so water boils at roughly 70 °C. Cooking at that temperature takes about twice as long.',
      },
      {
        match: 'boils at roughly 70',
        reply:
          'On the summit water boils at about 70 °C, so a soft egg needs around 10 minutes and a hard one about 20. Use a lid to save fuel. DONE',
      },
    ],
    defaultReply: 'DO-NOT-KNOW',
    description: 'OpenAI-compatible test server started in-process with canned replies: not a real model.',
  });
}
