/** A number for a table: `digits` decimals, thousands separated; a dash when missing. */
export function fmt(value: number | boolean | undefined, digits = 1): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value === undefined || !Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A ratio as `1.23x`; a dash when either side is missing. */
export function ratio(top: number | undefined, bottom: number | undefined, digits = 2): string {
  if (
    top === undefined ||
    bottom === undefined ||
    !Number.isFinite(top) ||
    !Number.isFinite(bottom) ||
    bottom === 0
  )
    return '–';
  return `${fmt(top / bottom, digits)}x`;
}

/** A markdown table from a header row and body rows. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
