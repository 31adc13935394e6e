import type { TraceDiff } from '@taskgraph/core';
import { useMemo } from 'react';
import { wordDiff } from '../model/text-diff.js';
import { JsonTree } from './json-tree.js';

/** What the last replay changed: each task that differs from the run before, field by field. */
export function ChangesPanel({ diff, onSelect }: { diff: TraceDiff; onSelect(key: string): void }) {
  return (
    <div className="tg-detail" data-testid="changes-panel">
      <header className="tg-detail-header">
        <h2>Changes</h2>
        <p className="tg-muted">
          {diff.same
            ? 'The last replay gave the same trace as the run before it.'
            : `${diff.tasks.length} task${diff.tasks.length === 1 ? '' : 's'} differ from the run before the last replay.`}
        </p>
      </header>
      {diff.input ? (
        <FieldChange name="graph input" before={diff.input.before} after={diff.input.after} />
      ) : null}
      <ul className="tg-changes">
        {diff.tasks.map((task) => {
          const key = task.taskPath.join(' > ');
          return (
            <li key={key} data-task={key}>
              <div>
                <button type="button" className="tg-link" onClick={() => onSelect(key)}>
                  {key}
                </button>{' '}
                <span className={`tg-pill diff-${task.change}`}>{task.change}</span>
              </div>
              {task.fields.map((field) => (
                <FieldChange key={field.field} name={field.field} before={field.before} after={field.after} />
              ))}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** A changed field as one text with the words removed struck out and the words added marked. */
function FieldChange({ name, before, after }: { name: string; before: unknown; after: unknown }) {
  const parts = useMemo(() => wordDiff(before, after), [before, after]);
  return (
    <div className="tg-field-change" data-field={name}>
      <div className="tg-field-name">{name}</div>
      <div className="tg-word-diff" data-testid="word-diff">
        {parts.map((part, i) =>
          part.change === 'added' ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: the parts of a diff are fixed for its values
            <ins key={i}>{part.text}</ins>
          ) : part.change === 'removed' ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: as above
            <del key={i}>{part.text}</del>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: as above
            <span key={i}>{part.text}</span>
          ),
        )}
      </div>
      <details className="tg-before-after-json">
        <summary className="tg-muted">before and after as JSON</summary>
        <div className="tg-before-after">
          <div>
            <span className="tg-muted">before</span>
            <JsonTree value={before} />
          </div>
          <div>
            <span className="tg-muted">after</span>
            <JsonTree value={after} />
          </div>
        </div>
      </details>
    </div>
  );
}
