import { TaskGraph } from '@taskgraph/core';
import { describe, expect, it } from 'vitest';
import { registry } from './program.js';
import { runExample } from './run-example.js';

describe('distributed example', () => {
  it('runs on two worker processes through Redis, offline, and its trace replays with no request', async () => {
    const { graph, output, workers, server } = await runExample();
    try {
      expect(new Set(workers).size).toBe(2);
      expect(String(output).split('\n')).toHaveLength(4);
      expect(String(output)).toContain('Summary: Otters live along many rivers');
      expect(graph.task('split/summary-0')?.createdBy).toBe('split');
      expect(server?.requests).toHaveLength(4);
      const trace = JSON.parse(JSON.stringify(graph.toJSON()));
      await TaskGraph.fromJSON(trace).run(registry());
      expect(server?.requests).toHaveLength(4);
    } finally {
      await server?.close();
    }
  });
});
