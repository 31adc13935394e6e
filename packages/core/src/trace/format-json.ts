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
  const compact = compactWithin(value, LINE_WIDTH - indent.length - keyWidth);
  if (compact !== undefined && !compact.includes('\\n')) return spaced(value, compact);
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

/**
 * `JSON.stringify(value)` when it is at most `budget` characters long, else undefined: it stops as soon as
 * the text grows past the budget, so asking whether a large document fits on one line costs little.
 */
function compactWithin(value: unknown, budget: number): string | undefined {
  if (
    value === null ||
    typeof value !== 'object' ||
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    const text = JSON.stringify(value) ?? 'null';
    return text.length <= budget ? text : undefined;
  }
  const array = Array.isArray(value);
  let out = array ? '[' : '{';
  let first = true;
  for (const key of array ? value.keys() : Object.keys(value)) {
    let item = (value as Record<string | number, unknown>)[key];
    const skipped = item === undefined || typeof item === 'function' || typeof item === 'symbol';
    if (skipped && !array) continue;
    if (skipped) item = null;
    out += first ? '' : ',';
    if (!array) out += `${JSON.stringify(key)}:`;
    first = false;
    const text = compactWithin(item, budget - out.length - 1);
    if (text === undefined) return undefined;
    out += text;
  }
  out += array ? ']' : '}';
  return out.length <= budget ? out : undefined;
}
