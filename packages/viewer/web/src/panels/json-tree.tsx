import { useState } from 'react';
import { FoldedText } from './folded-text.js';

const OPEN_DEPTH = 2;
const OPEN_MAX_ENTRIES = 25;
const PAGE = 100;

/** A JSON value as a tree: objects and arrays open and close, long strings fold. */
export function JsonTree({ value }: { value: unknown }) {
  return (
    <div className="tg-json">
      <JsonNode value={value} depth={0} label={undefined} />
    </div>
  );
}

function JsonNode({ value, depth, label }: { value: unknown; depth: number; label: string | undefined }) {
  const name = label === undefined ? null : <span className="tg-json-key">{label}: </span>;
  if (value === null || typeof value !== 'object') {
    return (
      <div className="tg-json-leaf">
        {name}
        <JsonLeaf value={value} />
      </div>
    );
  }
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((item, i) => [String(i), item])
    : Object.entries(value);
  const summary = Array.isArray(value)
    ? `[${entries.length} item${entries.length === 1 ? '' : 's'}]`
    : `{${entries.length} key${entries.length === 1 ? '' : 's'}}`;
  if (entries.length === 0) {
    return (
      <div className="tg-json-leaf">
        {name}
        <span className="tg-json-empty">{Array.isArray(value) ? '[]' : '{}'}</span>
      </div>
    );
  }
  return (
    <details className="tg-json-branch" open={depth < OPEN_DEPTH && entries.length <= OPEN_MAX_ENTRIES}>
      <summary>
        {name}
        <span className="tg-json-summary">{summary}</span>
      </summary>
      <Entries entries={entries} depth={depth} />
    </details>
  );
}

function Entries({ entries, depth }: { entries: Array<[string, unknown]>; depth: number }) {
  const [shown, setShown] = useState(PAGE);
  return (
    <div className="tg-json-children">
      {entries.slice(0, shown).map(([key, item]) => (
        <JsonNode key={key} value={item} depth={depth + 1} label={key} />
      ))}
      {entries.length > shown ? (
        <button type="button" className="tg-link" onClick={() => setShown(shown + PAGE)}>
          show {Math.min(PAGE, entries.length - shown)} more of {entries.length - shown}
        </button>
      ) : null}
    </div>
  );
}

function JsonLeaf({ value }: { value: unknown }) {
  if (typeof value === 'string') return <FoldedText className="tg-json-string" text={value} />;
  if (value === null) return <span className="tg-json-null">null</span>;
  if (value === undefined) return <span className="tg-json-null">(absent)</span>;
  return <span className={`tg-json-${typeof value}`}>{String(value)}</span>;
}
