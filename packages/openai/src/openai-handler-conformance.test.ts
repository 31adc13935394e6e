import { llmHandlerConformance } from '@taskgraph/core/testing';
import { OpenAIHandler } from './openai-handler.js';
import { startTestServer } from './testing/index.js';

llmHandlerConformance('OpenAIHandler over HTTP to the test server', async (reply) => {
  const server = await startTestServer();
  server.setDefaultReply({ content: reply });
  const handler = new OpenAIHandler({
    apiKey: 'sk-test',
    baseURL: server.url,
    env: {},
    defaultModel: 'gpt-4o',
  });
  return { handler, close: () => server.close() };
});
