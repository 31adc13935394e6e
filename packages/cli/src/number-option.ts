import { InvalidArgumentError } from 'commander';

/** Parses `--concurrency`-like values: an integer from 1 up. */
export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('Give an integer from 1 up.');
  return number;
}

/** Parses `--max-tokens`-like values: an integer from 0 up. */
export function naturalNumber(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new InvalidArgumentError('Give an integer from 0 up.');
  return number;
}

/** Parses `--max-cost`-like values: a number from 0 up. */
export function nonNegativeNumber(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0) {
    throw new InvalidArgumentError('Give a number from 0 up (USD, like 0.50).');
  }
  return number;
}
