import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseIds, ENGINES } from './case-runner.js';
import { measureChain } from './chain-bench.js';
import { downstreamCone } from './downstream-cone.js';
import { measureEdit } from './edit-bench.js';
import { measureEngine } from './engine-bench.js';
import { measureLoop } from './loop-bench.js';
import { measurePlanner } from './planner-bench.js';
import { randomDag, randomDagDeps } from './random-dag.js';
import { measureScale } from './scale-bench.js';
import { chainWorkload, fanWorkload, latencyWorkload } from './small-workloads.js';
import { measurePersist, measureReplay } from './trace-bench.js';
import { readWorkload } from './workload.js';
import { workloadStats } from './workload-stats.js';

// Checks the harness on tiny graphs (every run is checked against its checksum inside), never speed.

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taskgraph-bench-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('workloads', () => {
  it('the generator reproduces the W3 files exactly', () => {
    expect(randomDagDeps(1000, 33)).toEqual(readWorkload('w3_random_1000').deps);
    expect(randomDagDeps(10_000, 3)).toEqual(readWorkload('w3_random_10000').deps);
  });

  it('computed stats match every file', () => {
    for (const name of ['w1_chain_1000', 'w2_fanout_10000', 'w3_random_10000', 'w4_latency_200']) {
      const workload = readWorkload(name);
      expect(workload.stats).toMatchObject(workloadStats(workload.deps, workload.latencyMs));
    }
  });

  it('finds the downstream cone from the deps alone', () => {
    expect([...downstreamCone([[], [0], [0], [1, 2], []], 1)].sort()).toEqual([3]);
    expect([...downstreamCone([[], [0], [0], [1, 2], []], 0)].sort()).toEqual([1, 2, 3]);
  });

  it('lists a case for every engine on W1 to W5, the trace workloads and the scale sizes', () => {
    const ids = caseIds();
    for (const w of ['w1', 'w2', 'w3', 'w4', 'w5'])
      for (const engine of Object.keys(ENGINES)) expect(ids).toContain(`engine:${w}:${engine}`);
    expect(ids).toEqual(
      expect.arrayContaining([
        'trace:w6',
        'trace:w7',
        'trace:w8-save',
        'scale:1000000:ours',
        'planner:10000',
      ]),
    );
  });
});

describe.each(Object.values(ENGINES))('$label', (engine) => {
  it.each([chainWorkload(30), fanWorkload(30), randomDag(60, 5)])('computes $name', async (workload) => {
    const result = await measureEngine(engine, workload, { runs: 2 });
    expect(result.runs).toBe(2);
    expect(result.runMs).toBeGreaterThanOrEqual(0);
  });

  it('runs sleeping tasks, unlimited and with a limit', async () => {
    const workload = latencyWorkload(12, 7, 3);
    expect((await measureEngine(engine, workload, { runs: 1 })).runs).toBe(1);
    expect((await measureEngine(engine, workload, { runs: 1, limit: 2 })).runs).toBe(1);
  });

  it('warms up on another workload when told', async () => {
    const result = await measureEngine(engine, randomDag(40, 2), { runs: 1, warmup: randomDag(10, 2) });
    expect(result.runs).toBe(1);
  });
});

describe('trace workloads (ours)', () => {
  const workload = randomDag(200, 11);

  it('W8 saves after the run and sizes the trace against a minimal one', async () => {
    const result = await measurePersist(workload, { runs: 1, dir, mode: 'save' });
    expect(result.traceBytes).toBeGreaterThan(result.minimalBytes);
    expect(result.compactTraceBytes).toBeLessThan(result.traceBytes);
  });

  it('W8 persists with the trace run option', async () => {
    const result = await measurePersist(workload, { runs: 2, dir, mode: 'trace' });
    expect(result.traceBytes).toBeGreaterThan(0);
  });

  it('W6 replays a finished trace with no call', async () => {
    const { path } = await measurePersist(workload, { runs: 1, dir, mode: 'save' });
    const result = await measureReplay(workload, await readFile(path, 'utf8'), { runs: 1 });
    expect(result.calls).toBe(0);
  });

  it('W7 re-executes exactly the downstream cone of an edited output', async () => {
    const { path } = await measurePersist(workload, { runs: 1, dir, mode: 'save' });
    const result = await measureEdit(workload, await readFile(path, 'utf8'), { runs: 1, index: 20 });
    expect(result.coneSize).toBeGreaterThan(0);
    expect(result.reexecuted).toBe(result.coneSize);
    expect(result.exact).toBe(true);
  });

  it('scale runs, saves and replays with no call', async () => {
    const stages: string[] = [];
    const result = await measureScale(workload, { runs: 1, dir, onStage: (stage) => stages.push(stage) });
    expect(stages).toEqual(['run', 'save', 'replay']);
    expect(result.calls).toBe(0);
  });

  it('creation chains and flat chains run, save, load and replay with no call', async () => {
    const created = await measureChain('created', 50, { runs: 1, dir });
    const flat = await measureChain('flat', 50, { runs: 1, dir });
    expect([created.calls, flat.calls]).toEqual([0, 0]);
    expect(created.longestId).toBe('start/next@49'.length);
  });

  it('an agent loop runs its turns and replays with no call', async () => {
    const result = await measureLoop(5, { runs: 1, dir });
    expect(result.calls).toBe(0);
    expect(result.tasks).toBe(11);
  });

  it('a scripted planner runs its steps and replays with no call', async () => {
    const result = await measurePlanner(5, { runs: 1, dir });
    expect(result.calls).toBe(0);
    // The first task, then per task a step, the tool call and its refine, then the last step and the end.
    expect(result.tasks).toBe(3 + 5 * 3);
  });
});
