import { invalidArgument } from './invalid-argument.js';

type BullMQModule = typeof import('@taskgraph/bullmq');

/**
 * @taskgraph/bullmq, imported when a command needs it (`worker`, `run --executor bullmq`): an optional
 * peer of the CLI, so that the CLI alone installs no Redis client. Missing, it is INVALID_ARGUMENT
 * saying what to install.
 */
export async function loadBullMQ(api: string): Promise<BullMQModule> {
  try {
    return await import('@taskgraph/bullmq');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw invalidArgument(
      `${api}: distributed runs need the package @taskgraph/bullmq. Install it beside the CLI (npm install @taskgraph/bullmq).`,
      { cause: error },
    );
  }
}

/** `--rpm model=n` values, gathered into one record. */
export function requestsPerMinute(
  value: string,
  previous: Record<string, number> = {},
): Record<string, number> {
  const at = value.lastIndexOf('=');
  const model = value.slice(0, at);
  const count = Number(value.slice(at + 1));
  if (at <= 0 || !Number.isInteger(count) || count < 1) {
    throw invalidArgument(
      `taskgraph worker: --rpm takes <model>=<requests per minute>, such as gpt-4o-mini=500 (got "${value}").`,
    );
  }
  return { ...previous, [model]: count };
}
