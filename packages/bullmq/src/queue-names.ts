/** Where a deployment's jobs live: every scheduler and worker of it names the same queue and prefix. */
export interface QueueAddress {
  /** The Redis URL. */
  redis: string;
  /** The queue name: function calls go to `<queue>-fn`, LLM calls to `<queue>-llm` (default "taskgraph"). */
  queue?: string;
  /** BullMQ's key prefix in Redis (default "taskgraph"). */
  prefix?: string;
}

export interface QueueNames {
  functions: string;
  llm: string;
  prefix: string;
  /** The pub/sub channel on which schedulers ask workers to abort jobs. */
  cancel: string;
  /** Key of a stored LLM response, by its fingerprint. */
  response(fingerprint: string): string;
  /** Key of the claim a worker holds while it calls the LLM for a fingerprint. */
  claim(fingerprint: string): string;
  /** Keys of the global LLM limit: the leases held and the limit. */
  llmLeases: string;
  llmLimit: string;
  /** Key of a model's requests-per-minute window. */
  rate(model: string): string;
  /** Key that lives as long as a scheduler's executor, so a lost Redis is noticed. */
  client(id: string): string;
}

export function queueNames(address: QueueAddress): QueueNames {
  const queue = address.queue ?? 'taskgraph';
  const prefix = address.prefix ?? 'taskgraph';
  const base = `${prefix}:${queue}`;
  return {
    functions: `${queue}-fn`,
    llm: `${queue}-llm`,
    prefix,
    cancel: `${base}:cancel`,
    response: (fingerprint) => `${base}:response:${fingerprint}`,
    claim: (fingerprint) => `${base}:claim:${fingerprint}`,
    llmLeases: `${base}:llm-leases`,
    llmLimit: `${base}:llm-limit`,
    rate: (model) => `${base}:rate:${model}`,
    client: (id) => `${base}:client:${id}`,
  };
}
