/** One place where two JSON values differ: its path (`.colors[1]`, empty for the whole value) and both sides. */
export interface ValueChange {
  path: string;
  before: unknown;
  after: unknown;
}

/**
 * Where two JSON values differ, down to the deepest object keys and array items that differ, at most
 * `limit` places (so that an edited item of a large output shows as that item, not as the whole output).
 */
export function valueChanges(before: unknown, after: unknown, limit = 4): ValueChange[] {
  const out: ValueChange[] = [];
  collect(before, after, '', out, limit);
  return out;
}

function collect(before: unknown, after: unknown, path: string, out: ValueChange[], limit: number): void {
  if (out.length >= limit || JSON.stringify(before) === JSON.stringify(after)) return;
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.length !== after.length) {
      out.push({ path, before, after });
      return;
    }
    before.forEach((item, i) => {
      collect(item, after[i], `${path}[${i}]`, out, limit);
    });
    return;
  }
  if (isRecord(before) && isRecord(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      collect(before[key], after[key], `${path}.${key}`, out, limit);
    }
    return;
  }
  out.push({ path, before, after });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
