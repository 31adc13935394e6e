import type { TaskPlan, TaskRecord } from '@taskgraph/core';
import type { ReactNode } from 'react';
import { useState } from 'react';
import type { TaskEntry } from '../../../src/view-model/task-index.js';
import { shownOutput } from '../../../src/view-model/task-index.js';
import { formatCost, formatMs, formatTime } from '../format.js';
import type { LiveTask } from '../live-run.js';
import { FoldedText } from './folded-text.js';
import { JsonTree } from './json-tree.js';
import type { EditCallbacks } from './value-section.js';
import { ValueSection } from './value-section.js';

interface TaskDetailProps extends EditCallbacks {
  entry: TaskEntry;
  plan: TaskPlan | undefined;
  live: LiveTask | undefined;
  onSelect(key: string): void;
  /** Shows the conversation an LLM task's turn belongs to. */
  onShowConversation(): void;
}

/** Everything stored about one task: its error, output first, then its other values and facts. */
export function TaskDetail({ entry, plan, live, onSelect, onShowConversation, ...edit }: TaskDetailProps) {
  const { record, path } = entry;
  const output = shownOutput(record);
  return (
    <div className="tg-detail" data-testid="task-detail" data-task={entry.key}>
      <header className="tg-detail-header">
        <h2>{record.id}</h2>
        {path.length > 1 ? <p className="tg-muted">in {path.slice(0, -1).join(' > ')}</p> : null}
        <div className="tg-badges">
          <span className={`tg-pill kind-${record.kind}`}>{record.kind}</span>
          <span className={`tg-pill status-${record.status}`}>{record.status}</span>
          {live ? <span className="tg-pill tg-live">now: {live.status}</span> : null}
          {plan ? <span className={`tg-pill plan-${plan.action}`}>{planLabel(plan)}</span> : null}
        </div>
        {plan?.reason ? <p className="tg-plan-reason">Replay: {plan.reason}.</p> : null}
        {record.kind === 'llm' ? (
          <button type="button" className="tg-link" onClick={onShowConversation}>
            show in its conversation
          </button>
        ) : null}
      </header>
      {live?.text !== undefined && live.status === 'running' ? (
        <section className="tg-value" data-testid="live-reply">
          <header>
            <h3>Reply so far</h3>
          </header>
          <div className="tg-text-value tg-live-text">{live.text}</div>
        </section>
      ) : null}
      {record.error ? <ErrorView error={record.error} /> : null}
      <ValueSection
        title="Output"
        field={record.kind === 'graph' ? 'readonly' : 'output'}
        task={path}
        present={output.present}
        value={output.value}
        {...(record.kind === 'graph'
          ? { note: "A GraphTask's output is its nested output task's: edit that task." }
          : {})}
        {...edit}
      />
      {record.kind === 'llm' ? (
        <>
          <ValueSection
            title="Prompt"
            field="prompt"
            task={path}
            present={record.prompt !== undefined}
            value={record.prompt}
            {...edit}
          />
          <ValueSection
            title="Response"
            field="response"
            task={path}
            present={record.response !== undefined}
            value={record.response}
            {...edit}
          />
        </>
      ) : null}
      {record.kind === 'human' ? (
        <>
          <ValueSection
            title="Question"
            field="question"
            task={path}
            present={record.question !== undefined}
            value={record.question}
            {...edit}
          />
          <ValueSection
            title="Answer"
            field="answer"
            task={path}
            present={record.answer !== undefined}
            value={record.answer ?? ''}
            {...(record.status === 'waiting'
              ? { note: 'This task waits for a person: press Edit, write the answer, save it, then replay.' }
              : {})}
            {...edit}
          />
        </>
      ) : null}
      {record.kind === 'graph' ? (
        <ValueSection
          title="Input"
          field="input"
          task={path}
          present={record.graph.input !== undefined}
          value={record.graph.input}
          {...edit}
        />
      ) : null}
      <dl className="tg-facts">
        <Fact name="Attempts">{record.attempts ?? '–'}</Fact>
        <Fact name="Started">{formatTime(record.startedAt)}</Fact>
        <Fact name="Duration">{formatMs(record.durationMs)}</Fact>
        <Functions record={record} />
        {record.kind === 'llm' ? <LlmFacts record={record} /> : null}
        {entry.deps.length > 0 ? (
          <Fact name="Depends on">
            <TaskLinks keys={entry.deps} onSelect={onSelect} />
          </Fact>
        ) : null}
        {entry.usedBy.length > 0 ? (
          <Fact name="Used by">
            <TaskLinks keys={entry.usedBy} onSelect={onSelect} />
          </Fact>
        ) : null}
        {entry.creator ? (
          <Fact name="Created by">
            <TaskLinks keys={[entry.creator]} onSelect={onSelect} />
          </Fact>
        ) : null}
        {entry.created.length > 0 ? (
          <Fact name="Created">
            <TaskLinks keys={entry.created} onSelect={onSelect} />
          </Fact>
        ) : null}
      </dl>
      {record.args !== undefined ? (
        <section className="tg-value">
          <header>
            <h3>Args</h3>
          </header>
          <JsonTree value={record.args} />
        </section>
      ) : null}
      {record.kind === 'llm' && record.repairs && record.repairs.length > 0 ? (
        <section className="tg-value">
          <header>
            <h3>Repairs ({record.repairs.length})</h3>
          </header>
          <JsonTree value={record.repairs} />
        </section>
      ) : null}
    </div>
  );
}

function planLabel(plan: TaskPlan): string {
  const label = { reuse: 'reuse', rerun: 're-run', recreate: 'recreate' }[plan.action];
  return plan.llmCall ? `${label} · LLM call` : label;
}

function Fact({ name, children }: { name: string; children: ReactNode }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Functions({ record }: { record: TaskRecord }) {
  switch (record.kind) {
    case 'function':
      return <Fact name="Function">{record.fn}</Fact>;
    case 'graph':
      return <Fact name="Input formatter">{record.inputFn}</Fact>;
    case 'llm':
      return (
        <>
          <Fact name="Prompt formatter">{record.promptFn}</Fact>
          <Fact name="Handler">{record.handler}</Fact>
          <Fact name="Parser">{typeof record.parser === 'string' ? record.parser : 'JSON Schema'}</Fact>
        </>
      );
  }
}

function LlmFacts({ record }: { record: Extract<TaskRecord, { kind: 'llm' }> }) {
  const usage = record.usage;
  return (
    <>
      <Fact name="Model">{record.model ?? '–'}</Fact>
      <Fact name="Tokens">
        {usage
          ? `${usage.totalTokens} (${usage.promptTokens} prompt + ${usage.completionTokens} completion)`
          : '–'}
      </Fact>
      <Fact name="Cost">{formatCost(record.costUsd)}</Fact>
      {record.responseSource ? <Fact name="Response from">{record.responseSource}</Fact> : null}
    </>
  );
}

/** Links shown before "more": a task a whole fan-out depends on is used by thousands. */
const LINKS_SHOWN = 40;

function TaskLinks({ keys, onSelect }: { keys: string[]; onSelect(key: string): void }) {
  const [all, setAll] = useState(false);
  const shown = all ? keys : keys.slice(0, LINKS_SHOWN);
  return (
    <span className="tg-links">
      {shown.map((key) => (
        <button key={key} type="button" className="tg-link" onClick={() => onSelect(key)}>
          {key.split(' > ').at(-1)}
        </button>
      ))}
      {shown.length < keys.length ? (
        <button type="button" className="tg-link tg-more" onClick={() => setAll(true)}>
          +{keys.length - shown.length} more
        </button>
      ) : null}
    </span>
  );
}

interface ErrorRecord {
  name: string;
  message: string;
  code?: string | undefined;
  stack?: string | undefined;
  cause?: ErrorRecord | undefined;
}

function ErrorView({ error }: { error: ErrorRecord }) {
  return (
    <section className="tg-value tg-error-box" data-field="error">
      <header>
        <h3>Error</h3>
      </header>
      <p>
        <strong>{error.name}</strong>
        {error.code ? <code> {error.code}</code> : null}: {error.message}
      </p>
      {error.stack ? (
        <details className="tg-stack">
          <summary>Stack</summary>
          <pre>
            <FoldedText text={error.stack} />
          </pre>
        </details>
      ) : null}
      {error.cause ? (
        <div className="tg-cause">
          <p className="tg-muted">Caused by</p>
          <ErrorView error={error.cause} />
        </div>
      ) : null}
    </section>
  );
}
