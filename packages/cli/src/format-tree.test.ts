import { TaskGraph } from '@taskgraph/core';
import { describe, expect, it } from 'vitest';
import { formatTree } from './format-tree.js';
import { treeDocument } from './task-tree.js';

describe('formatTree', () => {
  it('prints a trace of 130,000 tasks, one line each (past the size an argument spread overflows at)', () => {
    const graph = new TaskGraph();
    const count = 130_000;
    for (let i = 0; i < count; i++) graph.addFunction({ id: `t${i}`, fn: 'one' });
    const text = formatTree(treeDocument(graph, 'big.json'));
    const lines = text.split('\n');
    expect(lines.filter((line) => /^t\d+\s+function\s+pending/.test(line))).toHaveLength(count);
  });
});
