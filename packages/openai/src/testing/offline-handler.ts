import { OpenAIHandler } from '../openai-handler.js';
import type { TestServer, TestServerOptions } from './test-server.js';
import { startTestServer } from './test-server.js';

export interface OfflineHandlerOptions extends TestServerOptions {
  /** The model the handler asks for and prices at zero (default "offline-stand-in"). */
  model?: string;
  /** What the trace says stands behind the handler (default: a test server, not a real model). */
  description?: string;
}

/**
 * An OpenAIHandler pointed at a test server started in this process, for programs that run offline: the
 * same HTTP path as a real model, replies scripted by `rules`/`respond`, free, and named in every trace
 * for what it is. Close `server` when done.
 */
export async function startOfflineHandler(
  options: OfflineHandlerOptions = {},
): Promise<{ handler: OpenAIHandler; server: TestServer }> {
  const { model = 'offline-stand-in', description, ...serverOptions } = options;
  const server = await startTestServer(serverOptions);
  const handler = new OpenAIHandler({
    apiKey: 'offline',
    baseURL: server.url,
    env: {},
    defaultModel: model,
    description:
      description ??
      'OpenAI-compatible test server started in-process with scripted replies: not a real model.',
    prices: { [model]: { inputPerMillion: 0, outputPerMillion: 0 } },
  });
  return { handler, server };
}
