import type { TaskStatus } from '@taskgraph/core';
import type { TaskEntry, TaskIndex } from '../../../src/view-model/task-index.js';
import type { TranscriptMessage } from './transcript.js';
import { toTranscript } from './transcript.js';

/** One LLM call in a conversation: the messages its prompt adds to the thread, then the reply. */
export interface Turn {
  key: string;
  id: string;
  status: TaskStatus;
  /** The prompt's messages that the thread had not shown yet. */
  added: TranscriptMessage[];
  /** How many earlier messages of the thread the prompt repeats (not shown again). */
  repeated: number;
  response: TranscriptMessage[] | undefined;
}

/** Turns whose prompts continue one another: each prompt starts with the previous prompt and reply. */
export interface Thread {
  turns: Turn[];
}

/** The LLM calls under one task that no task created (an agent loop, a planner, a queue), in order. */
export interface Conversation {
  /** The task at the root of the creation chain (or the LLM task itself when nothing created it). */
  key: string;
  threads: Thread[];
}

/**
 * Reads the LLM tasks of a trace as conversations: grouped by the task at the root of their creation
 * chain, in start order, each prompt split into what earlier turns already said and what it adds.
 */
export function conversations(index: TaskIndex): Conversation[] {
  const llm = [...index.tasks.values()].filter((entry) => entry.record.kind === 'llm');
  llm.sort(
    (a, b) =>
      (a.record.startedAt ?? Number.POSITIVE_INFINITY) - (b.record.startedAt ?? Number.POSITIVE_INFINITY),
  );
  const byRoot = new Map<string, { conversation: Conversation; said: string[][] }>();
  for (const entry of llm) {
    const root = creationRoot(index, entry);
    let group = byRoot.get(root);
    if (!group) {
      group = { conversation: { key: root, threads: [] }, said: [] };
      byRoot.set(root, group);
    }
    const record = entry.record;
    if (record.kind !== 'llm') continue;
    const prompt = asMessages(record.prompt, 'prompt') ?? [];
    const response = asMessages(record.response, 'assistant');
    const keys = prompt.map(messageKey);
    // The thread whose messages so far this prompt starts with, the longest if several.
    let thread = -1;
    let repeated = 0;
    group.said.forEach((said, i) => {
      if (said.length > repeated && said.length <= keys.length && said.every((key, j) => key === keys[j])) {
        thread = i;
        repeated = said.length;
      }
    });
    const turn: Turn = {
      key: entry.key,
      id: record.id,
      status: record.status,
      added: prompt.slice(repeated),
      repeated,
      response,
    };
    const said = [...keys, ...(response ?? []).map(messageKey)];
    const existing = group.conversation.threads[thread];
    if (existing) {
      existing.turns.push(turn);
      group.said[thread] = said;
    } else {
      group.conversation.threads.push({ turns: [turn] });
      group.said.push(said);
    }
  }
  return [...byRoot.values()].map((group) => group.conversation);
}

/** A value as messages: a transcript when it reads as one, else one message holding it as JSON. */
function asMessages(value: unknown, role: string): TranscriptMessage[] | undefined {
  if (value === undefined) return undefined;
  return (
    toTranscript(value, role) ?? [
      { role, name: undefined, text: undefined, structured: value, toolCalls: [], toolCallId: undefined },
    ]
  );
}

function creationRoot(index: TaskIndex, entry: TaskEntry): string {
  let current = entry;
  for (let next = index.tasks.get(current.creator ?? ''); next; next = index.tasks.get(next.creator ?? '')) {
    current = next;
  }
  return current.key;
}

/** Messages compare by what a person reads: role, name, text, tool calls. */
function messageKey(message: TranscriptMessage): string {
  return JSON.stringify([
    message.role,
    message.name,
    message.text ?? '',
    message.structured,
    message.toolCalls.map((call) => [call.name, call.arguments]),
    message.toolCallId,
  ]);
}
