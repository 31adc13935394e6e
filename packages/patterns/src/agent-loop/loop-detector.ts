import { createHash } from 'node:crypto';
import { canonicalJson } from '@taskgraph/core/internal';
import type { LoopMessage } from './loop-message.js';
import { isNoAnswer } from './loop-message.js';
import type { DetectorState } from './loop-state.js';

/**
 * The fingerprint of a committed message: SHA-256 (first 16 hex digits) of the canonical JSON of
 * its sender, sender name, recipient, tool calls with their arguments (parsed, so key order does not
 * matter), tool results and content. langroid leaves tool-call arguments out, so two different calls of a
 * tool look the same to it.
 */
export function messageFingerprint(message: LoopMessage): string {
  const payload = {
    sender: message.sender,
    senderName: message.senderName ?? null,
    recipient: message.recipient ?? null,
    tools: (message.toolCalls ?? []).map((call) => ({
      name: call.function.name,
      args: parseArguments(call.function.arguments),
    })),
    toolResults: (message.toolResults ?? []).map((result) => result.content),
    content: message.content ?? '',
  };
  return createHash('sha256').update(canonicalJson(payload)).digest('hex').slice(0, 16);
}

export function emptyDetector(): DetectorState {
  return { counts: {}, total: 0, distinct: 0, recent: [], lastNoAnswerTurn: null, alternations: 0 };
}

/**
 * How many fingerprints the detector counts at most, beyond `cycleLen + 1`: the test below reads only the
 * `cycleLen + 1` most frequent, so once more distinct messages were seen, the least frequent (the
 * earliest seen among equals) is dropped. Counts stay exact unless a dropped message comes back: it then
 * counts from 1 again, where langroid's counter, which keeps every message of the run, would go on.
 */
export const DETECTOR_SLACK = 16;

/** Counts a committed fingerprint and keeps the last `window` of them. */
export function recordFingerprint(
  detector: DetectorState,
  fingerprint: string,
  window: number,
  cycleLen: number,
): void {
  const { counts } = detector;
  detector.total += 1;
  const count = counts[fingerprint];
  if (count === undefined) {
    detector.distinct += 1;
    const keys = Object.keys(counts);
    if (keys.length >= cycleLen + 1 + DETECTOR_SLACK) delete counts[leastFrequent(counts, keys)];
  }
  counts[fingerprint] = (count ?? 0) + 1;
  detector.recent.push(fingerprint);
  if (detector.recent.length > window) detector.recent.splice(0, detector.recent.length - window);
}

/** The key with the lowest count, the earliest seen among equals. */
function leastFrequent(counts: Record<string, number>, keys: string[]): string {
  let least = keys[0] as string;
  for (const key of keys) if ((counts[key] as number) < (counts[least] as number)) least = key;
  return least;
}

/**
 * langroid's DO-NOT-KNOW alternation count: a DO-NOT-KNOW committed exactly two turns after the
 * previous one adds one, any other DO-NOT-KNOW starts again from 0.
 */
export function recordNoAnswer(detector: DetectorState, message: LoopMessage, turn: number): void {
  if (!isNoAnswer(message.content)) return;
  detector.alternations = detector.lastNoAnswerTurn === turn - 2 ? detector.alternations + 1 : 0;
  detector.lastNoAnswerTurn = turn;
}

/** langroid's counter starts with one entry that no message has: `hash("___NO_MESSAGE___")`, count 1. */
const NO_MESSAGE = '___NO_MESSAGE___';

/**
 * langroid's exact-loop test (`_maybe_infinite_loop`), its dummy entry included: langroid's counter starts
 * with a count of 1 for a message that never occurs, and that entry takes part in every figure below (it
 * is counted in the total, and it ranks first among the counts of 1). Once `waitFactor × cycleLen`
 * entries were counted, take the `cycleLen + 1` most frequent; the dominant set is the top m + 1 of them,
 * where m is the last index whose count is more than `dominanceFactor` times and more than `waitFactor`
 * above the next one (or, when there are at most `cycleLen` distinct entries, all of them). It is a loop
 * when the last `waitFactor × (m + 1)` fingerprints are exactly the dominant set.
 *
 * The dummy matters: in a cycle where one message recurs more often than the others (a human answering
 * "ok" to an LLM that cycles through three messages), the drop between the rarest cycle message and
 * the dummy's count of 1 is what makes the whole cycle dominant. Without it, only "ok" would be.
 */
export function maybeInfiniteLoop(
  detector: DetectorState,
  cycleLen: number,
  dominanceFactor: number,
  waitFactor: number,
): boolean {
  const entries: Array<[string, number]> = [[NO_MESSAGE, 1], ...Object.entries(detector.counts)];
  const total = detector.total + 1;
  if (cycleLen <= 0 || total < waitFactor * cycleLen) return false;
  // A stable sort keeps first-seen order among equal counts (the dummy first), as Counter.most_common does.
  const top = entries.sort((a, b) => b[1] - a[1]).slice(0, cycleLen + 1);
  let m = -1;
  for (let i = 0; i < top.length - 1; i++) {
    const [, count] = top[i] as [string, number];
    const [, next] = top[i + 1] as [string, number];
    if (count / next > dominanceFactor && count - next > waitFactor) m = i;
  }
  if (m < 0) {
    if (detector.distinct + 1 > cycleLen) return false;
    m = top.length - 1;
  }
  const dominant = new Set(top.slice(0, m + 1).map(([fingerprint]) => fingerprint));
  const recent = new Set(detector.recent.slice(-(waitFactor * (m + 1))));
  return recent.size === dominant.size && [...recent].every((fingerprint) => dominant.has(fingerprint));
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
