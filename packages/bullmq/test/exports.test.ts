import { describe, expect, it } from 'vitest';

// The exported names are the package's public surface: a change here is a deliberate change of its API.
describe('exported names', () => {
  it('of @taskgraph/bullmq', async () => {
    expect(Object.keys(await import('@taskgraph/bullmq')).sort()).toMatchSnapshot();
  });
  it('of @taskgraph/bullmq/testing', async () => {
    expect(Object.keys(await import('@taskgraph/bullmq/testing')).sort()).toMatchSnapshot();
  });
});
