import { describe, expect, it } from 'vitest';
import { FunctionRegistry, TaskGraph, type TaskGraphError } from '../src/index.js';
import { codeOf } from './helpers.js';

describe('TaskGraph structure', () => {
  const registry = new FunctionRegistry();
  const one = registry.register('one', () => 1);

  it('rejects a dependency on a task not in the graph with UNKNOWN_DEPENDENCY', () => {
    const graph = new TaskGraph();
    expect(codeOf(() => graph.addFunction({ id: 'a', fn: one, deps: ['missing'] as never }))).toBe(
      'UNKNOWN_DEPENDENCY',
    );
    expect(graph.size).toBe(0);
  });

  it('rejects a task that depends on itself with CYCLE', () => {
    const graph = new TaskGraph();
    graph.addFunction({ id: 'a', fn: one });
    // A second "a" depending on "a" is a duplicate; a task naming itself is a cycle.
    expect(codeOf(() => graph.addFunction({ id: 'b', fn: 'one', namedDeps: { self: 'b' } }))).toBe('CYCLE');
  });

  it('rejects a duplicate id with DUPLICATE_TASK', () => {
    const graph = new TaskGraph();
    graph.addFunction({ id: 'a', fn: one });
    expect(codeOf(() => graph.addFunction({ id: 'a', fn: one }))).toBe('DUPLICATE_TASK');
  });

  it('rejects a spec without a function with INVALID_ARGUMENT naming the task', () => {
    const graph = new TaskGraph();
    try {
      graph.addFunction({ id: 'a', fn: undefined as never });
      expect.unreachable();
    } catch (error) {
      expect((error as TaskGraphError).code).toBe('INVALID_ARGUMENT');
      expect((error as Error).message).toContain('"a"');
    }
  });

  it('rejects params that are not JSON', () => {
    const graph = new TaskGraph();
    expect(codeOf(() => graph.addLLM({ id: 'x', prompt: 'p', params: { when: new Date() } }))).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('gives a topological order and the downstream cone from graphology', () => {
    const graph = new TaskGraph();
    const a = graph.addFunction({ id: 'a', fn: one });
    const b = graph.addFunction({ id: 'b', fn: 'one', deps: [a] });
    const c = graph.addFunction({ id: 'c', fn: 'one', namedDeps: { x: a } });
    graph.addFunction({ id: 'd', fn: 'one', deps: [b, c] });
    graph.addFunction({ id: 'e', fn: one });
    const order = graph.topologicalOrder();
    expect(order.indexOf('a')).toBeLessThan(order.indexOf('b'));
    expect(order.indexOf('c')).toBeLessThan(order.indexOf('d'));
    expect([...graph.downstream('a')].sort()).toEqual(['b', 'c', 'd']);
    expect([...graph.downstream('e')]).toEqual([]);
  });

  it('setOutput rejects an unknown task', () => {
    expect(codeOf(() => new TaskGraph().setOutput('nope'))).toBe('UNKNOWN_DEPENDENCY');
  });
});
