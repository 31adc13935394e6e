import type { EditField, ReplayPlan } from '@taskgraph/core';
import { useEffect, useId, useMemo, useState } from 'react';
import type { ApiError, EditResponse } from '../../../src/api-types.js';
import { api, apiErrorOf } from '../api-client.js';
import { toJsonText } from '../format.js';

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

type Check = { state: 'idle' | 'checking' | 'ok' } | { state: 'refused'; error: ApiError };

const CHECK_DELAY_MS = 250;

/**
 * Edits a value as JSON. Each valid change is checked by the server as a dry run (the task's schema, the
 * shape of a prompt or response) and its replay plan is shown on the graph at once; Save writes it.
 */
export function ValueEditor({ target, initial, onPreview, onSaved, onClose }: ValueEditorProps) {
  const id = useId();
  const [text, setText] = useState(() => toJsonText(initial));
  const [check, setCheck] = useState<Check>({ state: 'idle' });
  const [saveError, setSaveError] = useState<ApiError | undefined>();
  const [saving, setSaving] = useState(false);
  const parsed = useMemo(() => parseJson(text), [text]);

  useEffect(() => {
    if (!parsed.ok) {
      setCheck({ state: 'idle' });
      return;
    }
    let current = true;
    setCheck({ state: 'checking' });
    const timer = setTimeout(() => {
      api.edit({ ...target, value: parsed.value, dryRun: true }).then(
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
  }, [parsed, target, onPreview]);

  // Closing the editor any way (Cancel, Save, selecting another task) drops the preview of its plan.
  useEffect(() => () => onPreview(undefined), [onPreview]);

  const save = async () => {
    if (!parsed.ok) return;
    setSaving(true);
    setSaveError(undefined);
    try {
      onSaved(await api.edit({ ...target, value: parsed.value }));
    } catch (error) {
      setSaveError(apiErrorOf(error));
    } finally {
      setSaving(false);
    }
  };

  const problem = !parsed.ok
    ? `Not valid JSON: ${parsed.message}`
    : check.state === 'refused'
      ? `${check.error.code}: ${check.error.message}`
      : saveError
        ? `${saveError.code}: ${saveError.message}`
        : undefined;
  return (
    <div className="tg-editor">
      <label htmlFor={id} className="tg-muted">
        New {target.field} as JSON
      </label>
      <textarea
        id={id}
        aria-label={`Edit ${target.field} as JSON`}
        spellCheck={false}
        value={text}
        rows={Math.min(16, Math.max(4, text.split('\n').length + 1))}
        onChange={(event) => setText(event.target.value)}
      />
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
          disabled={!parsed.ok || check.state !== 'ok' || saving}
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
      </div>
    </div>
  );
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
