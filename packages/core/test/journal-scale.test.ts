import { describe, expect, it } from 'vitest';
import { applyJournal } from '../src/internal.js';

describe('journal folding at scale', () => {
  it('applies 50,000 drops and 50,000 nested records to a graph of 50,000 tasks, each line in constant time', () => {
    const count = 50_000;
    const tasks = Array.from({ length: count }, (_, i) => ({
      id: `t${i}`,
      kind: 'function',
      fn: 'f',
      status: 'done',
    }));
    const nested = {
      id: 'outer',
      kind: 'graph',
      inputFn: 'builtin.input',
      status: 'done',
      graph: { tasks: [] },
    };
    const document = { graph: { tasks: [...tasks, nested] } };
    const lines: string[] = [];
    for (let i = 0; i < count; i += 2) lines.push(JSON.stringify({ path: [`t${i}`], drop: true }));
    for (let i = 0; i < count; i++) {
      const record = { id: `n${i}`, kind: 'function', fn: 'f', status: 'done' };
      lines.push(JSON.stringify({ path: ['outer', `n${i}`], record }));
    }
    lines.push(
      JSON.stringify({
        path: ['outer'],
        record: { ...nested, status: 'done', graph: { outputTask: 'n0', tasks: [] } },
      }),
    );
    lines.push(JSON.stringify({ path: ['outer', 'n1'], drop: true }));
    applyJournal(document, lines.join('\n'), 'trace.json.journal');
    const outer = document.graph.tasks.find((task) => task.id === 'outer') as unknown as {
      graph: { outputTask: string; tasks: { id: string }[] };
    };
    expect(document.graph.tasks).toHaveLength(count / 2 + 1);
    expect(document.graph.tasks[0]?.id).toBe('t1');
    expect(outer.graph.outputTask).toBe('n0');
    expect(outer.graph.tasks).toHaveLength(count - 1);
    expect(outer.graph.tasks.some((task) => task.id === 'n1')).toBe(false);
  });
});
