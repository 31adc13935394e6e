/** Widest line a short array or object is kept on, as a code formatter would. */
const LINE_WIDTH = 100;

/**
 * JSON for people: two-space indents, and every array or object whose compact form fits on one line
 * (deps, fingerprints, usage, short outputs) kept on one line. Parses back to the same value as
 * JSON.stringify gives.
 */
export function formatJson(value: unknown): string {
  const out: string[] = [];
  write(out, value, '', 0);
  out.push('\n');
  return out.join('');
}

/** `value` formatted as formatJson does, as the value of a key of `keyWidth` characters at `indent`. */
export function formatJsonAt(value: unknown, indent: string, keyWidth: number): string {
  const out: string[] = [];
  write(out, value, indent, keyWidth);
  return out.join('');
}

/** Appends `value` formatted at `indent`, after a key of `keyWidth` characters on the same line. */
function write(out: string[], value: unknown, indent: string, keyWidth: number): void {
  if (!isContainer(value)) {
    out.push(JSON.stringify(value) ?? 'null');
    return;
  }
  const line = oneLine(value, LINE_WIDTH - indent.length - keyWidth, true);
  if (line !== undefined) {
    out.push(line);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    out.push('[\n');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',\n');
      out.push(inner);
      write(out, arrayItem(value[i]), inner, 0);
    }
    out.push('\n', indent, ']');
    return;
  }
  let first = true;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (skipped(item)) continue;
    const name = JSON.stringify(key);
    out.push(first ? '{\n' : ',\n', inner, name, ': ');
    first = false;
    write(out, item, inner, name.length + 2);
  }
  out.push(first ? '{}' : `\n${indent}}`);
}

/**
 * `value` on one line when its compact JSON is at most `budget` characters and holds no escaped line
 * break; undefined otherwise, found as soon as the text grows past the budget (asking whether a large
 * document fits costs little). `spaced` puts a space after commas and colons, and pads objects, as code
 * formatters do; the items of a spaced array stay compact.
 */
function oneLine(value: unknown, budget: number, spaced: boolean): string | undefined {
  const parts: string[] = [];
  return lineParts(parts, value, budget, spaced) === undefined ? undefined : parts.join('');
}

/** Appends `value`'s one-line parts; returns the compact length used, or undefined past the budget. */
function lineParts(parts: string[], value: unknown, budget: number, spaced: boolean): number | undefined {
  if (!isContainer(value)) {
    const text = JSON.stringify(value) ?? 'null';
    if (text.length > budget || text.includes('\\n')) return undefined;
    parts.push(text);
    return text.length;
  }
  const array = Array.isArray(value);
  // Compact length so far: brackets, commas, colons and the items.
  let used = 2;
  let count = 0;
  const open = parts.length;
  parts.push(array ? '[' : spaced ? '{ ' : '{');
  const keys = array ? undefined : Object.keys(value);
  const length = keys ? keys.length : (value as unknown[]).length;
  for (let i = 0; i < length; i++) {
    const key = keys?.[i];
    let item = key === undefined ? (value as unknown[])[i] : (value as Record<string, unknown>)[key];
    if (key !== undefined && skipped(item)) continue;
    if (key === undefined) item = arrayItem(item);
    if (count > 0) {
      used += 1;
      parts.push(spaced ? ', ' : ',');
    }
    if (key !== undefined) {
      const name = JSON.stringify(key);
      if (name.includes('\\n')) return undefined;
      used += name.length + 1;
      parts.push(name, spaced ? ': ' : ':');
    }
    if (used > budget) return undefined;
    // Inside a spaced array, items are compact; inside a spaced object, values are spaced.
    const itemUsed = lineParts(parts, item, budget - used, spaced && !array);
    if (itemUsed === undefined) return undefined;
    used += itemUsed;
    count++;
  }
  if (used > budget) return undefined;
  if (count === 0) parts[open] = array ? '[]' : '{}';
  else parts.push(array ? ']' : spaced ? ' }' : '}');
  return used;
}

function isContainer(value: unknown): value is object {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}

/** What JSON.stringify leaves out of an object. */
function skipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** What JSON.stringify writes for an array item: null for what it would leave out of an object. */
function arrayItem(value: unknown): unknown {
  return skipped(value) ? null : value;
}
