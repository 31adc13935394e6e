/** Widest line a short array or object is kept on, as a code formatter would. */
const LINE_WIDTH = 100;

/**
 * JSON for people: two-space indents, and every array or object whose compact form fits on one line
 * (deps, fingerprints, usage, short outputs) kept on one line. Parses back to the same value as
 * JSON.stringify gives.
 */
export function formatJson(value: unknown): string {
  return `${format(value, '', 0)}\n`;
}

function format(value: unknown, indent: string, keyWidth: number): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const compact = JSON.stringify(value);
  if (compact.length + indent.length + keyWidth <= LINE_WIDTH && !compact.includes('\\n')) {
    return spaced(value, compact);
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => `${inner}${format(item === undefined ? null : item, inner, 0)}`).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (entries.length === 0) return '{}';
  const lines = entries.map(([key, v]) => {
    const name = JSON.stringify(key);
    return `${inner}${name}: ${format(v, inner, name.length + 2)}`;
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

/** A one-line array or object with a space after each comma and colon, as code formatters print them. */
function spaced(value: object, compact: string): string {
  if (Array.isArray(value))
    return compact === '[]'
      ? '[]'
      : `[${value.map((v) => JSON.stringify(v === undefined ? null : v)).join(', ')}]`;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${spacedValue(v)}`).join(', ')} }`;
}

function spacedValue(value: unknown): string {
  return value !== null && typeof value === 'object'
    ? spaced(value, JSON.stringify(value))
    : JSON.stringify(value);
}
