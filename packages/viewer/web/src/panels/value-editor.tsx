import type { EditField, ReplayPlan } from '@taskgraph/core';
import { useEffect, useId, useMemo, useState } from 'react';
import type { ApiError, EditResponse } from '../../../src/api-types.js';
import { api, apiErrorOf } from '../api-client.js';
import { toJsonText } from '../format.js';
import type { TextForm } from '../model/text-form.js';
import { textForm } from '../model/text-form.js';
import { MessageHead, ToolCalls } from './transcript-view.js';

export interface EditTarget {
  /** The task's path; absent for the graph input. */
  task?: string[];
  field: EditField;
}

interface ValueEditorProps {
  target: EditTarget;
  initial: unknown;
  /** The plan of the edit as typed (checked by the server, nothing written), or undefined to go back. */
  onPreview(plan: ReplayPlan | undefined): void;
  onSaved(response: EditResponse): void;
  onClose(): void;
}

type Draft = { ok: true; value: unknown } | { ok: false; message: string };
type Check = { state: 'idle' | 'checking' | 'ok' } | { state: 'refused'; error: ApiError };

const CHECK_DELAY_MS = 250;

/**
 * Edits a value: text (a string, or each message of a prompt or response) in plain multi-line fields,
 * anything else as JSON. Each change is checked by the server as a dry run (the task's schema, the shape
 * of a prompt or response) and its replay plan is shown on the graph at once; Save writes it.
 */
export function ValueEditor({ target, initial, onPreview, onSaved, onClose }: ValueEditorProps) {
  const form = useMemo(() => textForm(initial), [initial]);
  const [mode, setMode] = useState<'text' | 'json'>(form ? 'text' : 'json');
  const [texts, setTexts] = useState(() => form?.texts ?? []);
  const [json, setJson] = useState(() => toJsonText(initial));
  const [check, setCheck] = useState<Check>({ state: 'idle' });
  const [saveError, setSaveError] = useState<ApiError | undefined>();
  const [saving, setSaving] = useState(false);
  const draft = useMemo<Draft>(
    () => (mode === 'text' && form ? { ok: true, value: form.build(texts) } : parseJson(json)),
    [mode, form, texts, json],
  );

  useEffect(() => {
    if (!draft.ok) {
      setCheck({ state: 'idle' });
      return;
    }
    let current = true;
    setCheck({ state: 'checking' });
    const timer = setTimeout(() => {
      api.edit({ ...target, value: draft.value, dryRun: true }).then(
        ({ plan }) => {
          if (!current) return;
          setCheck({ state: 'ok' });
          onPreview(plan);
        },
        (error: unknown) => {
          if (!current) return;
          setCheck({ state: 'refused', error: apiErrorOf(error) });
          onPreview(undefined);
        },
      );
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [draft, target, onPreview]);

  // Closing the editor any way (Cancel, Save, selecting another task) drops the preview of its plan.
  useEffect(() => () => onPreview(undefined), [onPreview]);

  const save = async () => {
    if (!draft.ok) return;
    setSaving(true);
    setSaveError(undefined);
    try {
      onSaved(await api.edit({ ...target, value: draft.value }));
    } catch (error) {
      setSaveError(apiErrorOf(error));
    } finally {
      setSaving(false);
    }
  };
  const switchMode = () => {
    if (mode === 'text') {
      setJson(toJsonText(draft.ok ? draft.value : initial));
      setMode('json');
      return;
    }
    const next = draft.ok ? textForm(draft.value) : undefined;
    if (next) setTexts(next.texts);
    setMode('text');
  };
  // Back to text only when the JSON still has the shape the text fields edit.
  const canText = form !== undefined && (mode === 'text' || (draft.ok && sameShape(form, draft.value)));

  const problem = !draft.ok
    ? `Not valid JSON: ${draft.message}`
    : check.state === 'refused'
      ? `${check.error.code}: ${check.error.message}`
      : saveError
        ? `${saveError.code}: ${saveError.message}`
        : undefined;
  return (
    <div className="tg-editor" data-mode={mode}>
      {mode === 'text' && form ? (
        <TextFields field={target.field} form={form} texts={texts} onChange={setTexts} />
      ) : (
        <JsonField field={target.field} text={json} onChange={setJson} />
      )}
      {problem ? (
        <p className="tg-edit-error" role="alert" data-testid="edit-error">
          {problem}
        </p>
      ) : (
        <p className="tg-muted" data-testid="edit-status">
          {check.state === 'ok' ? 'Valid. The graph shows what a replay would re-run.' : 'Checking…'}
        </p>
      )}
      <div className="tg-editor-buttons">
        <button
          type="button"
          className="tg-primary"
          disabled={!draft.ok || check.state !== 'ok' || saving}
          onClick={save}
        >
          Save edit
        </button>
        <button
          type="button"
          onClick={() => {
            onPreview(undefined);
            onClose();
          }}
        >
          Cancel
        </button>
        {form ? (
          <button type="button" className="tg-link" disabled={!canText} onClick={switchMode}>
            {mode === 'text' ? 'Edit as JSON' : 'Edit as text'}
          </button>
        ) : null}
      </div>
    </div>
  );
}

function TextFields({
  field,
  form,
  texts,
  onChange,
}: {
  field: EditField;
  form: TextForm;
  texts: string[];
  onChange(texts: string[]): void;
}) {
  const single = typeof form.build(texts) === 'string';
  return (
    <div className="tg-text-fields">
      {form.messages.map((message, i) => {
        const text = texts[i] ?? '';
        const label = single ? `Edit ${field} text` : `Edit ${field} message ${i + 1} (${message.role})`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: the messages of a value being edited keep their order
          <div className={`tg-message role-${message.role}`} key={i}>
            {single ? null : <MessageHead message={message} />}
            <textarea
              aria-label={label}
              spellCheck={false}
              value={text}
              rows={Math.min(14, Math.max(2, text.split('\n').length + 1))}
              onChange={(event) => onChange(texts.map((t, j) => (j === i ? event.target.value : t)))}
            />
            <ToolCalls message={message} />
          </div>
        );
      })}
    </div>
  );
}

function JsonField({
  field,
  text,
  onChange,
}: {
  field: EditField;
  text: string;
  onChange(text: string): void;
}) {
  const id = useId();
  return (
    <>
      <label htmlFor={id} className="tg-muted">
        New {field} as JSON
      </label>
      <textarea
        id={id}
        aria-label={`Edit ${field} as JSON`}
        spellCheck={false}
        value={text}
        rows={Math.min(16, Math.max(4, text.split('\n').length + 1))}
        onChange={(event) => onChange(event.target.value)}
      />
    </>
  );
}

/** Whether `value` has the messages (count and roles) of `form`, so its texts can be edited in place. */
function sameShape(form: TextForm, value: unknown): boolean {
  const next = textForm(value);
  return (
    next !== undefined &&
    next.messages.length === form.messages.length &&
    next.messages.every((m, i) => m.role === form.messages[i]?.role)
  );
}

function parseJson(text: string): Draft {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
