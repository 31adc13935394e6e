import type { TraceDiff } from '@taskgraph/core';
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

function FieldChange({ name, before, after }: { name: string; before: unknown; after: unknown }) {
  return (
    <div className="tg-field-change" data-field={name}>
      <div className="tg-field-name">{name}</div>
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
    </div>
  );
}
