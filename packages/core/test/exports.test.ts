import { describe, expect, it } from 'vitest';

// The exported names are the package's public surface: a change here is a deliberate change of its API.
describe('exported names', () => {
  it('of @taskgraph/core', async () => {
    expect(Object.keys(await import('@taskgraph/core')).sort()).toMatchSnapshot();
  });
  it('of @taskgraph/core/testing', async () => {
    expect(Object.keys(await import('@taskgraph/core/testing')).sort()).toMatchSnapshot();
  });
  it('of @taskgraph/core/internal', async () => {
    expect(Object.keys(await import('@taskgraph/core/internal')).sort()).toMatchSnapshot();
  });
});
