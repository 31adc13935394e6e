import type { OpenAIHandler } from '@taskgraph/openai';
import type { TestServer } from '@taskgraph/openai/testing';
import { startOfflineHandler as startHandler } from '@taskgraph/openai/testing';

const CANNED: Record<string, string> = {
  fruits: 'apple\nbanana\ncherry\nmango\npear',
  colors: 'red\ngreen\nblue\nyellow\npurple',
  animals: 'otter\nheron\nfox\nbadger\nlynx',
};

/**
 * The OpenAI handler pointed at an OpenAI-compatible test server started in this process, with canned
 * replies. The trace names it for what it is: not a real model.
 */
export async function startOfflineHandler(): Promise<{ handler: OpenAIHandler; server: TestServer }> {
  return startHandler({
    rules: Object.entries(CANNED).map(([kind, reply]) => ({ match: `List five ${kind}.`, reply })),
    defaultReply: 'A banana, a yellow heron and an otter: all of them like the river bank.',
    description: 'OpenAI-compatible test server started in-process with canned replies: not a real model.',
  });
}
