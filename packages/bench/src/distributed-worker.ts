// A worker process of the distributed bench: `tsx distributed-worker.ts <redis url> <queue> <concurrency>`.
// Prints "ready" on stdout once it serves the queue; stops on SIGTERM.
import { startWorker } from '@taskgraph/bullmq';
import { registry } from './distributed-program.js';

const [redis, queue, concurrency] = process.argv.slice(2) as [string, string, string];
const worker = await startWorker(registry(), {
  redis,
  queue,
  concurrency: Number(concurrency),
  ...(process.env.BENCH_NO_GLOBAL
    ? { llmConcurrencyPerWorker: 16 }
    : { llmConcurrency: 64, llmConcurrencyPerWorker: 64 }),
});
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void worker.close().then(() => process.exit(0));
});
