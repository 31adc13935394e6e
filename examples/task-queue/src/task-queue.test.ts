import { TaskGraph } from '@taskgraph/core';
import { queueRecords, supervisorResult } from '@taskgraph/patterns';
import { describe, expect, it } from 'vitest';
import { startOfflineHandler } from './offline-model.js';
import { buildGraph, buildRegistry } from './supervisor.js';

describe('task-queue example', () => {
  it('validates the invoices offline, one failing, and its trace replays with no request', async () => {
    const { handler, server } = await startOfflineHandler();
    try {
      const registry = buildRegistry(handler);
      const graph = buildGraph();
      await graph.run(registry);
      const trace = JSON.parse(JSON.stringify(graph.toJSON()));
      expect(trace.run.handlers.openai).toContain('not a real model');

      const loaded = TaskGraph.fromJSON(trace);
      const result = supervisorResult(loaded, 'invoices');
      expect(result?.status).toBe('done');
      expect(result?.queue.done.map((entry) => entry.task)).toEqual(['INV-1001', 'INV-1003']);
      expect(result?.queue.failed).toEqual([
        { task: 'INV-1002', error: 'lines plus tax come to 1800, the invoice says 1700' },
      ]);
      const ops = queueRecords(loaded, 'invoices').map((record) => record.op);
      expect(ops.filter((op) => op === 'getNext')).toHaveLength(4);
      expect(ops.at(-1)).toBe('status');

      const requests = server.requests.length;
      await loaded.run(registry);
      expect(server.requests).toHaveLength(requests);
    } finally {
      await server.close();
    }
  });
});
