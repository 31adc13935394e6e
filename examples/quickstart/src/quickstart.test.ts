import { FunctionRegistry, TaskGraph } from '@taskgraph/core';
import { describe, expect, it } from 'vitest';
import { buildGraph, registry } from './graph.js';
import { startOfflineHandler } from './offline-handler.js';

describe('quickstart', () => {
  it('runs offline through the test server, then replays its trace with no request', async () => {
    const { handler, server } = await startOfflineHandler();
    try {
      const local = new FunctionRegistry().include(registry).addHandler(handler);
      const graph = buildGraph();
      const output = await graph.run(local);
      expect(Object.keys(output as object)).toEqual(['fruits', 'colors', 'animals']);
      expect((output as Record<string, string[]>).fruits).toHaveLength(5);
      const trace = graph.toJSON();
      expect(trace.run?.handlers?.openai).toContain('not a real model');
      expect(trace.graph.tasks.find((t) => t.id === 'suggest/pick')?.createdBy).toBe('suggest');
      expect(server.requests).toHaveLength(4);

      await TaskGraph.fromJSON(JSON.parse(JSON.stringify(trace))).run(local);
      expect(server.requests).toHaveLength(4);
    } finally {
      await server.close();
    }
  });
});
