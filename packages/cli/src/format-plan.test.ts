import { describe, expect, it } from 'vitest';
import { formatCallRange } from './format-plan.js';

describe('formatCallRange', () => {
  it('shows an exact count as one number and an uncertain one as a range', () => {
    expect(formatCallRange({ min: 1, max: 1 })).toBe('1 LLM call');
    expect(formatCallRange({ min: 2, max: 2 })).toBe('2 LLM calls');
    expect(formatCallRange({ min: 0, max: 3 })).toBe('0–3 LLM calls');
  });
});
