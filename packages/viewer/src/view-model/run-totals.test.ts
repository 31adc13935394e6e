import type { TaskRecord } from '@taskgraph/core';
import { describe, expect, it } from 'vitest';
import { runTotals } from './run-totals.js';
import { indexTrace } from './task-index.js';

function llm(id: string, fields: Partial<Extract<TaskRecord, { kind: 'llm' }>>): TaskRecord {
  return {
    id,
    kind: 'llm',
    promptFn: 'p',
    parser: 'builtin.text',
    handler: 'openai',
    status: 'done',
    response: { role: 'assistant', content: 'ok' },
    ...fields,
  };
}

describe('runTotals', () => {
  const tasks: TaskRecord[] = [
    llm('priced', {
      usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 },
      costUsd: 0.25,
      startedAt: 1_000,
      durationMs: 40,
    }),
    llm('unpriced', {
      usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 },
      costUsd: null,
      startedAt: 1_010,
      durationMs: 100,
    }),
    {
      id: 'sub',
      kind: 'graph',
      inputFn: 'builtin.input',
      status: 'failed',
      graph: { tasks: [{ id: 'inner', kind: 'function', fn: 'f', status: 'skipped' }] },
    },
  ];

  it('counts every task by status, nested tasks included', () => {
    const totals = runTotals({}, indexTrace({ graph: { tasks } }));
    expect(totals.tasks).toBe(4);
    expect(totals.byStatus).toEqual({
      pending: 0,
      running: 0,
      waiting: 0,
      done: 2,
      failed: 1,
      skipped: 1,
      cancelled: 0,
    });
  });

  it('counts tasks waiting for an answer', () => {
    const waiting: TaskRecord = { id: 'ask', kind: 'function', fn: 'f', status: 'waiting' };
    const totals = runTotals({}, indexTrace({ graph: { tasks: [...tasks, waiting] } }));
    expect(totals.byStatus.waiting).toBe(1);
    expect(totals.tasks).toBe(5);
  });

  it('adds up tokens and known costs, and counts the tasks whose price is unknown apart', () => {
    const totals = runTotals({}, indexTrace({ graph: { tasks } }));
    expect(totals).toMatchObject({
      llmTasks: 2,
      promptTokens: 11,
      completionTokens: 7,
      totalTokens: 18,
      costUsd: 0.25,
      unknownCostTasks: 1,
    });
  });

  it("takes the wall time from the run record, else from the span of the tasks' timings", () => {
    const index = indexTrace({ graph: { tasks } });
    expect(runTotals({ run: { status: 'done', startedAt: '', durationMs: 500 } }, index).wallMs).toBe(500);
    expect(runTotals({}, index).wallMs).toBe(110);
  });
});
