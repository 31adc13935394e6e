import { TaskGraph } from '@taskgraph/core';
import type { ToolCallRecord } from '@taskgraph/patterns';
import { describe, expect, it } from 'vitest';
import { startOfflineHandler } from './offline-model.js';
import { buildPlanner, researchInput } from './research.js';

describe('task-manager example', () => {
  it('researches offline with the notes tool, completes once, and its trace replays with no request', async () => {
    const { handler, server } = await startOfflineHandler();
    try {
      const completions: string[] = [];
      const { registry, planner } = buildPlanner(handler, (goal) => completions.push(goal));
      const graph = planner.graph(researchInput());
      await graph.run(registry);
      const trace = JSON.parse(JSON.stringify(graph.toJSON()));
      expect(trace.run.handlers.openai).toContain('not a real model');

      const loaded = TaskGraph.fromJSON(trace);
      const result = planner.result(loaded, 'research');
      expect(result).toMatchObject({ status: 'complete', tasksRun: 4, hookCalled: true });
      expect(Object.keys(result?.storedInfo ?? {})).toEqual([
        'Lake Victoria',
        'Lake Tanganyika',
        'Lake Malawi',
      ]);
      expect(String(result?.finalResult.brief)).toContain(
        'Lake Malawi: 29,600 km²; shores: Malawi, Mozambique, Tanzania.',
      );
      const lookups = [...loaded.tasks()].filter(
        (t) => t.kind === 'function' && t.fn === 'patterns.tool.search_notes',
      );
      expect(lookups.map((t) => (t.output?.value as ToolCallRecord | undefined)?.input)).toEqual([
        { query: 'Lake Victoria' },
        { query: 'Lake Tanganyika' },
        { query: 'Lake Malawi' },
      ]);
      expect(completions).toHaveLength(1);

      const requests = server.requests.length;
      await loaded.run(registry);
      expect(server.requests).toHaveLength(requests);
      expect(completions).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
