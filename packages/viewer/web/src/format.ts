/** Short human forms of the numbers the page shows. */

export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '–';
  if (ms < 0.01) return '<0.01 ms';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatCost(usd: number | null | undefined): string {
  if (usd === null) return 'unknown';
  if (usd === undefined) return '–';
  return usd === 0 ? '$0' : usd < 0.01 ? `$${usd.toFixed(6)}` : `$${usd.toFixed(4)}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatTime(epochMs: number | undefined): string {
  return epochMs === undefined ? '–' : new Date(epochMs).toISOString().replace('T', ' ').replace('Z', ' UTC');
}

/** JSON text of a value for the editor; a value JSON cannot show is shown as null. */
export function toJsonText(value: unknown): string {
  return value === undefined ? '' : (JSON.stringify(value, null, 2) ?? 'null');
}
