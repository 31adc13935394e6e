import type { TranscriptMessage } from '../model/transcript.js';
import { FoldedText } from './folded-text.js';
import { JsonTree } from './json-tree.js';

/** Messages as a transcript: who speaks, the text with its line breaks, tool calls and results as blocks. */
export function TranscriptView({ messages }: { messages: readonly TranscriptMessage[] }) {
  return (
    <ol className="tg-transcript" data-testid="transcript">
      {messages.map((message, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: messages have no id of their own and never reorder
        <li key={i}>
          <MessageView message={message} />
        </li>
      ))}
    </ol>
  );
}

export function MessageView({ message }: { message: TranscriptMessage }) {
  return (
    <div className={`tg-message role-${message.role}`} data-role={message.role}>
      <MessageHead message={message} />
      {message.text !== undefined && message.text !== '' ? (
        <div className="tg-message-text">
          <FoldedText text={message.text} />
        </div>
      ) : null}
      {message.structured !== undefined ? <JsonTree value={message.structured} /> : null}
      <ToolCalls message={message} />
    </div>
  );
}

export function MessageHead({ message }: { message: TranscriptMessage }) {
  return (
    <div className="tg-message-head">
      <span className="tg-role">{message.role}</span>
      {message.name ? <span className="tg-muted"> {message.name}</span> : null}
      {message.toolCallId ? <span className="tg-muted"> · result of {message.toolCallId}</span> : null}
    </div>
  );
}

export function ToolCalls({ message }: { message: TranscriptMessage }) {
  if (message.toolCalls.length === 0) return null;
  return (
    <div className="tg-tool-calls">
      {message.toolCalls.map((call, i) => (
        <div className="tg-tool-call" key={call.id ?? i} data-tool={call.name}>
          <div className="tg-tool-call-head">
            calls <strong>{call.name}</strong>
            {call.id ? <span className="tg-muted"> · {call.id}</span> : null}
          </div>
          <pre>{call.arguments}</pre>
        </div>
      ))}
    </div>
  );
}
