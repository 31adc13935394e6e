import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadTrace, saveTrace } from '@taskgraph/core';
import { graph, offlineRegistry, teardown } from '../src/program.js';

after(teardown);

test('runs offline, and replays from its trace with no LLM call', async () => {
  const registry = await offlineRegistry();
  const program = graph({ topic: 'owls' });
  const output = await program.run(registry); // a Brief, typed from the graph
  assert.equal(output.topic, 'owls');
  assert.deepEqual(output.facts, [
    'Stand-in fact 1 about owls.',
    'Stand-in fact 2 about owls.',
    'Stand-in fact 3 about owls.',
  ]);
  assert.equal(output.question, 'Which of these stand-in facts comes first?');

  const dir = await mkdtemp(join(tmpdir(), 'program-test-'));
  try {
    await saveTrace(program, join(dir, 'trace.json'));
    const again = await loadTrace(join(dir, 'trace.json'));
    // replayOnly: an LLM call the trace cannot answer would fail instead of reaching a server.
    assert.deepEqual(await again.run(registry, { replayOnly: true }), output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
