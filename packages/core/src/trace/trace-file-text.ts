import { compactRecord } from './compact-record.js';
import { formatJsonAt } from './format-json.js';
import { TRACE_FILE_VERSION } from './trace-file-schema.js';
import type { TaskRecord, TraceDocument } from './trace-schema.js';

/** Characters gathered before a piece is handed to the writer: large enough that writes are few. */
const CHUNK_CHARS = 1 << 20;

/**
 * Indentation of the root task lines: that of the `"tasks"` key, so that a line holds little else than
 * its task (a trace of W3's shape is then under 2x the bytes of a bare `{id, deps, output}` one).
 */
export const TASK_INDENT = '    ';

/** The line that opens the root tasks, and the one that closes them (a reader of the layout looks for both). */
export const TASKS_OPEN = '    "tasks": [';
export const TASKS_CLOSE = '    ]';

/** How a graph task's line that opens its nested tasks ends, and how the line that closes them starts. */
export const NESTED_TASKS_OPEN = '"tasks":[';
export const NESTED_TASKS_CLOSE = ']}}';

/**
 * The text of a version 2 trace file, in pieces to write one after the other, so no trace is ever one
 * string: the head pretty-printed, then each root task compact on its own line (`records`, in the order
 * given; a string is a root task's line made already, see commonRecordLine), then the closing brackets.
 * `head` is the version 1 document; its `graph.tasks` is ignored.
 * Task times are written relative to `timeOrigin`, the run's start.
 *
 * ```text
 * {
 *   "format": "taskgraph-trace",
 *   "version": 2,
 *   …
 *   "graph": {
 *     "outputTask": "b",
 *     "tasks": [
 *     {"id":"a","fn":"one","at":0.12,"output":1,"fp":"FmxC4O-T93q-CFNd"},
 *     {"id":"b","fn":"add","deps":["a"],"at":0.31,"output":2,"fp":"3FjfJt00lK1lA0Ar"}
 *     ]
 *   }
 * }
 * ```
 *
 * A graph task's line opens its nested graph and each nested task follows on a line of its own,
 * indented two more spaces, until the line that closes it (`]}}`).
 */
export function* traceFileChunks(
  head: TraceDocument,
  records: Iterable<TaskRecord | string>,
): Generator<string> {
  const origin = traceTimeOrigin(head);
  const top: Record<string, unknown> = {
    $schema: head.$schema,
    format: head.format,
    version: TRACE_FILE_VERSION,
    savedAt: head.savedAt,
    timeOrigin: origin === 0 ? undefined : origin,
    run: head.run,
  };
  let text = '{\n';
  for (const key in top) {
    const value = top[key];
    if (value !== undefined)
      text += `  ${JSON.stringify(key)}: ${formatJsonAt(value, '  ', key.length + 4)},\n`;
  }
  text += '  "graph": {\n';
  const { input, inputMeta, outputTask } = head.graph;
  const graph: Record<string, unknown> = { input, inputMeta, outputTask };
  for (const key in graph) {
    const value = graph[key];
    if (value !== undefined)
      text += `    ${JSON.stringify(key)}: ${formatJsonAt(value, '    ', key.length + 4)},\n`;
  }
  text += TASKS_OPEN;
  let first = true;
  for (const record of records) {
    text += first ? '\n' : ',\n';
    first = false;
    text +=
      typeof record === 'string'
        ? TASK_INDENT + record
        : recordText(compactRecord(record, origin), TASK_INDENT);
    if (text.length >= CHUNK_CHARS) {
      yield text;
      text = '';
    }
  }
  yield `${text}${first ? ']' : `\n${TASKS_CLOSE}`}\n  }\n}\n`;
}

/** What the task times of a file are relative to: the run's start (0 for a trace without one). */
export function traceTimeOrigin(head: TraceDocument): number {
  const started = head.run?.startedAt === undefined ? Number.NaN : Date.parse(head.run.startedAt);
  return Number.isFinite(started) ? started : 0;
}

/** One compact record on one line, or a graph task's record over the lines of its nested tasks. */
function recordText(record: Record<string, unknown>, indent: string): string {
  const graph = record.graph as { tasks: Record<string, unknown>[] } | undefined;
  if (!graph || graph.tasks.length === 0) return indent + JSON.stringify(record);
  const { graph: _graph, ...fields } = record;
  const { tasks, ...graphFields } = graph;
  const inner = `${indent}  `;
  return [
    `${indent}${open(JSON.stringify(fields))}"graph":${open(JSON.stringify(graphFields))}${NESTED_TASKS_OPEN}`,
    tasks.map((task) => recordText(task, inner)).join(',\n'),
    `${indent}${NESTED_TASKS_CLOSE}`,
  ].join('\n');
}

/** `{"a":1}` as `{"a":1,` and `{}` as `{`: an object left open for one more key. */
function open(json: string): string {
  return json.length > 2 ? `${json.slice(0, -1)},` : '{';
}
