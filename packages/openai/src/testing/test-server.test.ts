import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestServerOptions } from './test-server.js';

let server: TestServer | undefined;
afterEach(() => server?.close());

async function start(options: TestServerOptions = {}): Promise<TestServer> {
  server = await startTestServer(options);
  return server;
}

interface Completion {
  model: string;
  choices: Array<{ message: { content: string | null }; finish_reason: string }>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

interface Chunk {
  object: string;
  choices: Array<{ delta: { content?: string } }>;
  usage?: { completion_tokens: number };
}

async function ask(srv: TestServer, text: string, model = 'gpt-4o'): Promise<Completion> {
  const response = await fetch(`${srv.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model,
      messages: [
        { role: 'system', content: 'ignored' },
        { role: 'user', content: text },
      ],
    }),
  });
  return (await response.json()) as Completion;
}

async function answer(srv: TestServer, text: string, model?: string): Promise<string | null | undefined> {
  return (await ask(srv, text, model)).choices[0]?.message.content;
}

describe('startTestServer', () => {
  it('serves a base URL on 127.0.0.1 ending in /v1', async () => {
    expect((await start()).url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it('answers the first rule whose text or RegExp matches the last user message', async () => {
    const srv = await start({
      rules: [
        { match: /^summari[sz]e/i, reply: { content: 'summary' } },
        { match: 'translate', reply: { content: 'translation' } },
      ],
    });
    expect([
      await answer(srv, 'Summarize this'),
      await answer(srv, 'please translate'),
      await answer(srv, 'x'),
    ]).toEqual(['summary', 'translation', 'ok']);
  });

  it('matches rules on the model', async () => {
    const srv = await start({ rules: [{ model: /^o\d/, reply: { content: 'reasoned' } }] });
    expect([await answer(srv, 'q', 'o3'), await answer(srv, 'q', 'gpt-4o')]).toEqual(['reasoned', 'ok']);
  });

  it('answers queued replies before rules, in order, once each', async () => {
    const srv = await start({ rules: [{ reply: { content: 'rule' } }] });
    srv.enqueue({ content: 'first' }, { content: 'second' });
    expect([await answer(srv, 'a'), await answer(srv, 'b'), await answer(srv, 'c')]).toEqual([
      'first',
      'second',
      'rule',
    ]);
  });

  it('drops a rule after it has been used `times` times', async () => {
    const srv = await start({ rules: [{ match: 'x', times: 1, reply: { content: 'once' } }] });
    expect([await answer(srv, 'x'), await answer(srv, 'x')]).toEqual(['once', 'ok']);
  });

  it('answers with an async reply function given the recorded request', async () => {
    const srv = await start({ respond: async (request) => ({ content: `echo ${request.lastUserText}` }) });
    expect(await answer(srv, 'hello there')).toBe('echo hello there');
  });

  it('counts one token per word of the messages and the reply', async () => {
    const srv = await start({ defaultReply: { content: 'three word reply' } });
    const completion = await ask(srv, 'four words right here');
    expect(completion.usage).toEqual({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
    expect(completion.model).toBe('gpt-4o');
  });

  it('logs each request with its body and outcome', async () => {
    const srv = await start();
    await ask(srv, 'logged');
    const [request] = srv.requests;
    expect(request).toMatchObject({
      index: 0,
      method: 'POST',
      path: '/v1/chat/completions',
      model: 'gpt-4o',
    });
    expect(request?.lastUserText).toBe('logged');
    expect(await request?.settled).toBe('answered');
    expect(request?.clientClosed).toBe(false);
  });

  it('answers the status a fault asks for with its headers', async () => {
    const srv = await start({
      defaultReply: { fault: 'status', status: 429, headers: { 'retry-after': '3' } },
    });
    const response = await fetch(`${srv.url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: [] }),
    });
    expect([response.status, response.headers.get('retry-after')]).toEqual([429, '3']);
    await response.body?.cancel();
  });

  it('answers 404 on other routes and 400 on a body that is not a chat request', async () => {
    const srv = await start();
    const notFound = await fetch(`${srv.url}/models`);
    const bad = await fetch(`${srv.url}/chat/completions`, { method: 'POST', body: 'nonsense' });
    expect([notFound.status, bad.status]).toEqual([404, 400]);
    await Promise.all([notFound.body?.cancel(), bad.body?.cancel()]);
  });

  it('answers 401 without the API key it was given', async () => {
    const srv = await start({ apiKey: 'sk-right' });
    const response = await fetch(`${srv.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-wrong' },
      body: JSON.stringify({ model: 'm', messages: [] }),
    });
    expect(response.status).toBe(401);
    await response.body?.cancel();
  });

  it('streams server-sent chunks when asked, the usage chunk only when asked for it', async () => {
    const srv = await start({ defaultReply: { content: 'one two three' } });
    const stream = async (includeUsage: boolean) => {
      const response = await fetch(`${srv.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'gpt-4o',
          messages: [{ role: 'user', content: 'count' }],
          stream: true,
          ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
        }),
      });
      expect(response.headers.get('content-type')).toBe('text/event-stream');
      const events = (await response.text()).split('\n\n').filter(Boolean);
      expect(events.at(-1)).toBe('data: [DONE]');
      return events.slice(0, -1).map((event) => JSON.parse(event.replace(/^data: /, '')) as Chunk);
    };
    const chunks = await stream(false);
    const deltas = chunks.map((chunk) => chunk.choices[0]?.delta.content);
    expect(deltas.join('')).toBe('one two three');
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.some((chunk) => 'usage' in chunk)).toBe(false);
    const last = (await stream(true)).at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBe(3);
  });
});
