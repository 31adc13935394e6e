import { useMemo, useState } from 'react';
import type { TaskIndex } from '../../../src/view-model/task-index.js';
import type { Conversation, Turn } from '../model/conversations.js';
import { conversations } from '../model/conversations.js';
import { MessageView } from '../panels/transcript-view.js';
import { STATUS_ICON } from '../status-icon.js';

interface ConversationViewProps {
  index: TaskIndex;
  selected: string | undefined;
  onSelect(key: string): void;
  /** Shows the task in the graph. */
  onShowInGraph(key: string): void;
}

/**
 * The LLM calls of a trace read as conversations (agent loops, planners, task queues): turns in order,
 * who said what, each message once; every turn links to its task.
 */
export function ConversationView({ index, selected, onSelect, onShowInGraph }: ConversationViewProps) {
  const all = useMemo(() => conversations(index), [index]);
  if (all.length === 0) {
    return (
      <div className="tg-conversations" data-testid="conversations">
        <p className="tg-muted">This trace has no LLM calls.</p>
      </div>
    );
  }
  return (
    <div className="tg-conversations" data-testid="conversations">
      {all.map((conversation) => (
        <ConversationBlock
          key={conversation.key}
          conversation={conversation}
          index={index}
          selected={selected}
          onSelect={onSelect}
          onShowInGraph={onShowInGraph}
        />
      ))}
    </div>
  );
}

function ConversationBlock({
  conversation,
  index,
  ...props
}: { conversation: Conversation; index: TaskIndex } & Omit<ConversationViewProps, 'index'>) {
  const turns = conversation.threads.reduce((sum, thread) => sum + thread.turns.length, 0);
  const root = index.tasks.get(conversation.key);
  return (
    <section className="tg-conversation" data-conversation={conversation.key}>
      <h2>
        {root?.record.id ?? conversation.key}{' '}
        <span className="tg-muted">
          {turns} LLM call{turns === 1 ? '' : 's'}
          {conversation.threads.length > 1 ? ` in ${conversation.threads.length} threads` : ''}
        </span>
      </h2>
      {conversation.threads.map((thread, t) => (
        <ThreadView
          key={thread.turns[0]?.key}
          n={t + 1}
          many={conversation.threads.length > 1}
          turns={thread.turns}
          {...props}
        />
      ))}
    </section>
  );
}

/** Turns shown at first, and added by each "show more": a long agent loop has thousands. */
const TURNS_SHOWN = 50;

function ThreadView({
  n,
  many,
  turns,
  ...props
}: { n: number; many: boolean; turns: Turn[] } & Omit<ConversationViewProps, 'index'>) {
  const [shown, setShown] = useState(TURNS_SHOWN);
  // A selected turn past those shown is shown too.
  const selectedAt = turns.findIndex((turn) => turn.key === props.selected);
  const count = Math.max(shown, selectedAt + 1);
  return (
    <div className="tg-thread">
      {many ? <h3 className="tg-muted">thread {n}</h3> : null}
      <ol className="tg-turns">
        {turns.slice(0, count).map((turn, i) => (
          <TurnView key={turn.key} turn={turn} n={i + 1} {...props} />
        ))}
      </ol>
      {count < turns.length ? (
        <button type="button" className="tg-link" onClick={() => setShown(count + TURNS_SHOWN)}>
          show {Math.min(TURNS_SHOWN, turns.length - count)} more of {turns.length - count} turns
        </button>
      ) : null}
    </div>
  );
}

function TurnView({
  turn,
  n,
  selected,
  onSelect,
  onShowInGraph,
}: { turn: Turn; n: number } & Omit<ConversationViewProps, 'index'>) {
  return (
    <li
      className={`tg-turn${turn.key === selected ? ' is-selected' : ''}`}
      data-task={turn.key}
      ref={(element) => {
        if (element && turn.key === selected) element.scrollIntoView({ block: 'nearest' });
      }}
    >
      <div className="tg-turn-head">
        <button type="button" className="tg-link" onClick={() => onSelect(turn.key)}>
          turn {n} · {turn.id}
        </button>
        <span className={`tg-pill status-${turn.status}`}>
          {STATUS_ICON[turn.status]} {turn.status}
        </span>
        <button type="button" className="tg-link" onClick={() => onShowInGraph(turn.key)}>
          show in graph
        </button>
        {turn.repeated > 0 ? (
          <span className="tg-muted">
            {turn.repeated} earlier message{turn.repeated === 1 ? '' : 's'} not repeated
          </span>
        ) : null}
      </div>
      {turn.added.map((message, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the messages of a turn keep their order
        <MessageView key={i} message={message} />
      ))}
      {turn.response ? (
        turn.response.map((message, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: as above
          <MessageView key={`r${i}`} message={message} />
        ))
      ) : (
        <p className="tg-muted">No reply stored.</p>
      )}
    </li>
  );
}
