import { FunctionRegistry, TaskGraph } from '@taskgraph/core';
import { ScriptedHandler } from '@taskgraph/core/testing';
import { describe, expect, it } from 'vitest';
import { liveText, summaryLine } from './progress-view.js';
import { RunMonitor } from './run-monitor.js';

describe('elapsed time of a run', () => {
  it('is read from the clock since the monitor started, in the progress and the summary line', () => {
    let now = 10_000;
    const monitor = new RunMonitor(
      new TaskGraph(),
      () => {},
      () => now,
    );
    now += 1_500;
    expect(monitor.progress().elapsedMs).toBe(1_500);
    now += 2_000;
    const summary = monitor.summary();
    expect(summary.elapsedMs).toBe(3_500);
    expect(summaryLine(summary)).toBe('0 tasks: 0 ran, 0 reused · 0 LLM calls · 0 tokens · $0.0000 · 3.5 s');
  });
});

describe('the live progress of streaming replies', () => {
  it('shows the latest text of a reply while it streams, and drops it when the call ends', async () => {
    const words = Array.from({ length: 40 }, (_, n) => `word${n} `);
    const registry = new FunctionRegistry().addHandler(
      new ScriptedHandler({
        reply: (_request, options) => {
          for (const word of words) options.onDelta?.(word);
          return words.join('');
        },
      }),
    );
    const write = registry.register('write', () => 'Write an essay.');
    const graph = new TaskGraph();
    graph.addLLM({ id: 'essay', prompt: write, handler: 'scripted' });
    const screens: string[] = [];
    const monitor = new RunMonitor(graph, () =>
      screens.push(
        liveText({
          ...monitor.progress(),
          runningTasks: monitor.runningTasks(),
          streaming: monitor.streamingTails(),
        }),
      ),
    );
    await graph.run(registry, { onEvent: monitor.onEvent });
    const streaming = screens.filter((screen) => screen.includes('essay ▸'));
    expect(streaming.length).toBe(words.length);
    expect(streaming[0]).toMatch(/essay ▸ word0$/m);
    // A long reply shows its end, cut in front.
    expect(streaming.at(-1)).toMatch(/essay ▸ ….*word39$/m);
    expect(streaming.at(-1)).not.toContain('word0 ');
    expect(screens.at(-1)).not.toContain('▸');
  });

  it('shows at most three streaming replies, the latest ones', () => {
    const text = liveText({
      elapsedMs: 0,
      total: 4,
      done: 0,
      running: 4,
      failed: 0,
      llmInFlight: 4,
      llmCalls: 4,
      tokens: 0,
      costUsd: 0,
      unknownCostCalls: 0,
      runningTasks: ['a', 'b', 'c', 'd'],
      streaming: ['a', 'b', 'c', 'd'].map((task) => ({ task, text: `text of ${task}\nnext line` })),
    });
    expect(text.split('\n').filter((line) => line.includes('▸'))).toEqual([
      '  b ▸ text of b next line',
      '  c ▸ text of c next line',
      '  d ▸ text of d next line',
    ]);
  });
});
