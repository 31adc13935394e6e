import { MODULUS } from './workload.js';

/** What every node computes from its dependencies' outputs. */
export function nodeStep(depOutputs: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < depOutputs.length; i++) sum += depOutputs[i] as number;
  return (sum + 1) % MODULUS;
}
