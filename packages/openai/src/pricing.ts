import type { LLMUsage } from '@taskgraph/core';

/** The price of a model in USD per million tokens. */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
}

/** Prices by model name (`"gpt-4o"`), as the server reports the model. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * OpenAI's standard-tier list prices in USD per million tokens, as published when version 0.1.0 of this
 * package was written (2025). Prices change: pass `prices` to OpenAIHandler to correct or extend them.
 * Cached-input discounts and batch/flex tiers are not applied, so a cost is an upper bound for such calls.
 */
export const DEFAULT_PRICES: PriceTable = Object.freeze({
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  'gpt-4.1-nano': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  o3: { inputPerMillion: 2, outputPerMillion: 8 },
  'o4-mini': { inputPerMillion: 1.1, outputPerMillion: 4.4 },
  'gpt-5': { inputPerMillion: 1.25, outputPerMillion: 10 },
  'gpt-5-mini': { inputPerMillion: 0.25, outputPerMillion: 2 },
  'gpt-5-nano': { inputPerMillion: 0.05, outputPerMillion: 0.4 },
});

const DATED_SUFFIX = /-\d{4}-\d{2}-\d{2}$/;

/**
 * The price of `model` in `table`: an exact match first, then the name without a dated snapshot suffix
 * (`gpt-4o-2024-08-06` → `gpt-4o`). `undefined` when neither is in the table.
 */
export function findPrice(table: PriceTable, model: string): ModelPrice | undefined {
  if (Object.hasOwn(table, model)) return table[model];
  const base = model.replace(DATED_SUFFIX, '');
  return base !== model && Object.hasOwn(table, base) ? table[base] : undefined;
}

/** The cost in USD of a call that used `usage` tokens at `price`. */
export function computeCost(price: ModelPrice, usage: LLMUsage): number {
  return (usage.promptTokens * price.inputPerMillion + usage.completionTokens * price.outputPerMillion) / 1e6;
}
