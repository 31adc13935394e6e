import { FunctionRegistry, TaskGraph } from '@taskgraph/core';
import { describe, expect, it } from 'vitest';
import { allAddresses, findAddress, formatAddress, resolveAddress } from './task-address.js';

function graph(): TaskGraph {
  const registry = new FunctionRegistry();
  const fn = registry.register('fn', () => 1);
  const inner = new TaskGraph();
  inner.addFunction({ id: 'leaf', fn });
  inner.addFunction({ id: 'plan/x', fn });
  const root = new TaskGraph();
  root.addFunction({ id: 'a', fn });
  root.addFunction({ id: 'suggest/pick', fn });
  root.addFunction({ id: 'odd>id', fn });
  root.addGraph({ id: 'sub', graph: inner });
  return root;
}

describe('task addresses', () => {
  it('name root tasks by id, ids with "/" included', () => {
    expect(findAddress(graph(), 'a')).toEqual(['a']);
    expect(findAddress(graph(), 'suggest/pick')).toEqual(['suggest/pick']);
  });

  it('name nested tasks as outer>inner, with or without spaces', () => {
    expect(findAddress(graph(), 'sub>leaf')).toEqual(['sub', 'leaf']);
    expect(findAddress(graph(), 'sub > plan/x')).toEqual(['sub', 'plan/x']);
  });

  it('try the whole string as an id first, so an id may hold the separator', () => {
    expect(findAddress(graph(), 'odd>id')).toEqual(['odd>id']);
  });

  it('find nothing for an unknown task, and resolving it throws INVALID_ARGUMENT', () => {
    expect(findAddress(graph(), 'sub>nope')).toBeUndefined();
    expect(findAddress(graph(), 'a>leaf')).toBeUndefined();
    expect(() => resolveAddress(graph(), 'sub>leef', 'test')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('format back to what they parse from', () => {
    const all = allAddresses(graph());
    expect(all).toEqual(expect.arrayContaining(['a', 'sub', 'sub>leaf', 'sub>plan/x']));
    for (const address of all) expect(formatAddress(findAddress(graph(), address) ?? [])).toBe(address);
  });
});
