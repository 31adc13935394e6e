import { describe, expect, it } from 'vitest';

// The exported names are the package's public surface: a change here is a deliberate change of its API.
describe('exported names', () => {
  it('of @taskgraph/otel', async () => {
    expect(Object.keys(await import('@taskgraph/otel')).sort()).toMatchSnapshot();
  });
  it('of @taskgraph/otel/testing', async () => {
    expect(Object.keys(await import('@taskgraph/otel/testing')).sort()).toMatchSnapshot();
  });
  it('of @taskgraph/otel/otlp', async () => {
    expect(Object.keys(await import('@taskgraph/otel/otlp')).sort()).toMatchSnapshot();
  });
});
