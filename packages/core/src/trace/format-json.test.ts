import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatJson } from './format-json.js';

describe('formatJson', () => {
  it('parses back to what JSON.stringify gives, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(formatJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps short arrays and objects on one line and breaks long ones', () => {
    const text = formatJson({
      id: 't1',
      deps: ['a', 'b'],
      fingerprints: { output: 'x' },
      long: 'y'.repeat(120),
      list: Array(40).fill('item'),
    });
    expect(text).toContain('"deps": ["a", "b"]');
    expect(text).toContain('"fingerprints": { "output": "x" }');
    expect(text).toContain('"list": [\n');
  });
});
