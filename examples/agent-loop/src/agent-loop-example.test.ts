import { TaskGraph } from '@taskgraph/core';
import type { LoopNodeOutput } from '@taskgraph/patterns';
import { findLoopEnd } from '@taskgraph/patterns';
import { describe, expect, it } from 'vitest';
import { assistant, createRegistry, QUESTION } from './loops.js';
import { startOfflineHandler } from './offline-handler.js';

/** Final states of every run of a loop in the graph. */
function ends(graph: TaskGraph, loop: string): LoopNodeOutput[] {
  return [...graph.tasks()]
    .filter((task) => task.kind === 'function' && task.fn === `agent-loop/${loop}`)
    .map((task) => task.output?.value as LoopNodeOutput)
    .filter((output) => output.state.status !== null);
}

describe('agent-loop example', () => {
  it('runs offline: the archive stalls, the expert answers, the writer finishes; the trace replays with no request', async () => {
    const { handler, server } = await startOfflineHandler();
    try {
      const registry = createRegistry(handler);
      const run = await assistant.run(registry, QUESTION);
      expect([run.status, run.turns, server.requests.length]).toEqual(['DONE', 3, 3]);
      expect(run.content).toMatch(/^On the summit water boils at about 70 °C/);
      expect(run.content).not.toContain('DONE');
      expect(ends(run.graph, 'archive').map((end) => end.state.status)).toEqual(['STALLED']);
      expect(ends(run.graph, 'expert').map((end) => end.state.status)).toEqual(['DONE']);
      expect(run.state.history.map((message) => message.sender)).toEqual([
        'input',
        'writer',
        'expert',
        'writer',
      ]);
      const trace = run.graph.toJSON();
      expect(trace.run?.handlers?.['metered:openai']).toContain('not a real model');

      const replay = TaskGraph.fromJSON(JSON.parse(JSON.stringify(trace)));
      await replay.run(registry, { replayOnly: true });
      expect(server.requests).toHaveLength(3);
      expect(findLoopEnd(replay, 'assistant', 'assistant')?.output.state.result?.content).toBe(run.content);
    } finally {
      await server.close();
    }
  });
});
