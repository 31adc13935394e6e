import { describe, expect, it } from 'vitest';

// The exported names are the package's public surface: a change here is a deliberate change of its API.
describe('exported names', () => {
  it('of @taskgraph/openai', async () => {
    expect(Object.keys(await import('@taskgraph/openai')).sort()).toMatchSnapshot();
  });
  it('of @taskgraph/openai/testing', async () => {
    expect(Object.keys(await import('@taskgraph/openai/testing')).sort()).toMatchSnapshot();
  });
});
