import { describe, expect, it } from 'vitest';
import { computeCost, DEFAULT_PRICES, findPrice } from './pricing.js';

describe('findPrice', () => {
  it('finds a model by its exact name', () => {
    expect(findPrice(DEFAULT_PRICES, 'gpt-4.1-mini')).toEqual({
      inputPerMillion: 0.4,
      outputPerMillion: 1.6,
    });
  });

  it('falls back from a dated snapshot to the base name', () => {
    expect(findPrice(DEFAULT_PRICES, 'gpt-4o-2024-08-06')).toBe(DEFAULT_PRICES['gpt-4o']);
  });

  it('prefers an exact price for a dated snapshot over the base name', () => {
    const table = { ...DEFAULT_PRICES, 'gpt-4o-2024-05-13': { inputPerMillion: 5, outputPerMillion: 15 } };
    expect(findPrice(table, 'gpt-4o-2024-05-13')?.inputPerMillion).toBe(5);
  });

  it('knows no price for an unknown model, nor for names inherited from Object.prototype', () => {
    expect([findPrice(DEFAULT_PRICES, 'gpt-4o-turbo'), findPrice(DEFAULT_PRICES, 'toString')]).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('has a price for every model the package documents', () => {
    const models = [
      'gpt-4o',
      'gpt-4o-mini',
      'gpt-4.1',
      'gpt-4.1-mini',
      'gpt-4.1-nano',
      'o3',
      'o4-mini',
      'gpt-5',
    ];
    for (const model of [...models, 'gpt-5-mini', 'gpt-5-nano'])
      expect(findPrice(DEFAULT_PRICES, model)).toBeDefined();
  });
});

describe('computeCost', () => {
  it('charges input and output tokens at their own price per million', () => {
    const cost = computeCost(
      { inputPerMillion: 2, outputPerMillion: 8 },
      { promptTokens: 500_000, completionTokens: 250_000, totalTokens: 750_000 },
    );
    expect(cost).toBe(3);
  });
});
