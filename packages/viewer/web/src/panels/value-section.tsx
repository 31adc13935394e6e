import type { EditField, ReplayPlan } from '@taskgraph/core';
import { useState } from 'react';
import type { EditResponse } from '../../../src/api-types.js';
import { toTranscript } from '../model/transcript.js';
import { FoldedText } from './folded-text.js';
import { JsonTree } from './json-tree.js';
import { TranscriptView } from './transcript-view.js';
import type { EditTarget } from './value-editor.js';
import { ValueEditor } from './value-editor.js';

export interface EditCallbacks {
  /** Editing is possible (no replay is running). */
  canEdit: boolean;
  onPreview(plan: ReplayPlan | undefined): void;
  onSaved(response: EditResponse): void;
}

interface ValueSectionProps extends EditCallbacks {
  title: string;
  field: EditField | 'readonly';
  present: boolean;
  value: unknown;
  task?: string[];
  note?: string;
}

/**
 * A stored value, with an Edit button when the field can be edited: a prompt or response as a transcript,
 * other text as text, anything else as a JSON tree.
 */
export function ValueSection({ title, field, present, value, task, note, ...edit }: ValueSectionProps) {
  const [editing, setEditing] = useState(false);
  const target: EditTarget | undefined =
    field === 'readonly' ? undefined : { ...(task ? { task } : {}), field };
  return (
    <section className="tg-value" data-field={field === 'readonly' ? title.toLowerCase() : field}>
      <header>
        <h3>{title}</h3>
        {target && !editing ? (
          <button
            type="button"
            disabled={!edit.canEdit}
            title={edit.canEdit ? `Edit the ${field}` : 'A replay is running'}
            onClick={() => setEditing(true)}
          >
            Edit
          </button>
        ) : null}
      </header>
      {note ? <p className="tg-muted">{note}</p> : null}
      {editing && target ? (
        <ValueEditorFor
          target={target}
          initial={value}
          {...edit}
          onSaved={(response) => {
            setEditing(false);
            edit.onSaved(response);
          }}
          onClose={() => setEditing(false)}
        />
      ) : present ? (
        <StoredValue field={field} value={value} />
      ) : (
        <p className="tg-muted">None stored.</p>
      )}
    </section>
  );
}

/** Keeps the target's identity stable while editing, so that each keystroke does not re-check twice. */
function ValueEditorFor(props: Parameters<typeof ValueEditor>[0]) {
  const [target] = useState(props.target);
  return <ValueEditor {...props} target={target} />;
}

function StoredValue({ field, value }: { field: EditField | 'readonly'; value: unknown }) {
  if (typeof value === 'string') {
    return (
      <div className="tg-text-value">
        <FoldedText text={value} />
      </div>
    );
  }
  const transcript = field === 'prompt' || field === 'response' ? toTranscript(value) : undefined;
  return transcript ? <TranscriptView messages={transcript} /> : <JsonTree value={value} />;
}
