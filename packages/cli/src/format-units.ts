/** `850 ms`, `1.2 s`, `3 min 4 s`; `-` when unknown. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '-';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

/** `$0.0123`; `?` when the model had no price; `-` when there was no call. */
export function formatCost(usd: number | null | undefined): string {
  if (usd === undefined) return '-';
  if (usd === null) return '?';
  return `$${usd.toFixed(4)}`;
}

/** `1,234`; `-` when there was no call. */
export function formatTokens(tokens: number | undefined): string {
  return tokens === undefined ? '-' : tokens.toLocaleString('en-US');
}

/** One line of at most `max` characters: newlines shown as ⏎, the rest cut with an ellipsis. */
export function shorten(text: string, max = 60): string {
  const line = text.replace(/\r?\n/g, ' ⏎ ');
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** A JSON value as one short line. */
export function shortJson(value: unknown, max = 60): string {
  return shorten(value === undefined ? '(none)' : (JSON.stringify(value) ?? String(value)), max);
}

/** Rows of cells as aligned columns (the last column is not padded). */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}
