import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TaskGraph } from '@taskgraph/core';
import { describe, expect, it } from 'vitest';

const tracesDir = join(dirname(fileURLToPath(import.meta.url)), '../../../traces');

describe('recorded traces', async () => {
  const files = (await readdir(tracesDir)).filter((name) => name.endsWith('.json'));

  it('includes the quickstart trace', () => {
    expect(files).toContain('quickstart.json');
  });

  it.each(files)('%s loads and validates', async (name) => {
    const graph = TaskGraph.fromJSON(JSON.parse(await readFile(join(tracesDir, name), 'utf8')));
    expect(graph.size).toBeGreaterThan(0);
  });
});
