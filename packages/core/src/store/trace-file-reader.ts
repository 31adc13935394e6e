import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { JSONParser } from '@streamparser/json';
import { InvalidTraceError, TaskGraphError } from '../model/errors.js';
import { NESTED_TASKS_CLOSE, NESTED_TASKS_OPEN, TASKS_CLOSE, TASKS_OPEN } from '../trace/trace-file-text.js';
import { documentHead } from '../trace/trace-loader.js';

/** Where a trace file's parts go as they are read: its head first (root tasks left out), then each root task. */
export interface TraceSink {
  head(document: unknown): void;
  record(record: unknown, index: number): void;
}

/** Files up to this size that are not in the written layout are parsed as one string (option `wholeTextBytes`). */
const WHOLE_TEXT_BYTES = 64 * 1024 * 1024;
/** A line longer than this is not the written layout (whose long lines are single task records). */
const LONGEST_LINE = 64 * 1024 * 1024;
const TASKS_EMPTY = `${TASKS_OPEN}]`;

/** The file is valid JSON, maybe, but not laid out as saveTrace writes it: read it the general way. */
class OtherLayout extends Error {}

/**
 * Reads the trace file at `path` into the sink that `makeSink` gives, without ever holding the file as
 * one string. A file laid out as saveTrace writes it (the head, then one root task per line) is read
 * line by line, each task handed on as soon as its line is read. Any other layout of valid JSON (a hand
 * edit that re-indented the file) is read again from the start into a new sink: parsed as one string
 * when small, else by an incremental JSON parser. A missing file is INVALID_ARGUMENT, text that is not
 * JSON is INVALID_TRACE at `$`; what the sink throws (an invalid record) passes through.
 */
export async function readTraceFileInto<S extends TraceSink>(
  path: string,
  api: string,
  makeSink: () => S,
  options: { wholeTextBytes?: number } = {},
): Promise<S> {
  try {
    const sink = makeSink();
    await readWrittenLayout(path, sink);
    return sink;
  } catch (error) {
    if (error instanceof TaskGraphError) throw error;
    if (!(error instanceof OtherLayout)) throw cannotRead(path, api, error);
  }
  const sink = makeSink();
  const size = (await stat(path).catch((error: unknown) => Promise.reject(cannotRead(path, api, error))))
    .size;
  if (size <= (options.wholeTextBytes ?? WHOLE_TEXT_BYTES)) {
    const text = await readFile(path, 'utf8').catch((error: unknown) =>
      Promise.reject(cannotRead(path, api, error)),
    );
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      throw notJson(path, api, error);
    }
    feed(sink, document);
  } else await readIncrementally(path, api, sink);
  return sink;
}

/** The written layout, line by line; OtherLayout as soon as a line does not fit it. */
async function readWrittenLayout(path: string, sink: TraceSink): Promise<void> {
  const head: string[] = [];
  let headLength = 0;
  let state: 'head' | 'tasks' | 'graph-end' | 'end' | 'after' = 'head';
  let index = 0;
  let record: string[] = [];
  let depth = 0;
  let comma = false;
  const onLine = (line: string) => {
    if (state === 'tasks') {
      if (depth === 0 && record.length === 0 && line === TASKS_CLOSE) {
        if (comma) throw new OtherLayout();
        state = 'graph-end';
        return;
      }
      if (line.endsWith(NESTED_TASKS_OPEN)) depth++;
      else if (line.trimStart().startsWith(NESTED_TASKS_CLOSE)) depth--;
      record.push(line);
      if (depth > 0) return;
      if (depth < 0 || (index > 0 && !comma)) throw new OtherLayout();
      let text = record.length === 1 ? (record[0] as string) : record.join('\n');
      record = [];
      comma = text.endsWith(',');
      if (comma) text = text.slice(0, -1);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new OtherLayout();
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new OtherLayout();
      sink.record(value, index++);
      return;
    }
    if (state === 'head') {
      if (line !== TASKS_OPEN && line !== TASKS_EMPTY) {
        head.push(line);
        headLength += line.length;
        if (headLength > LONGEST_LINE) throw new OtherLayout();
        return;
      }
      sink.head(parseHead(head));
      state = line === TASKS_OPEN ? 'tasks' : 'graph-end';
      return;
    }
    if (state === 'graph-end' && line === '  }') state = 'end';
    else if (state === 'end' && line === '}') state = 'after';
    else if (state !== 'after' || line.trim() !== '') throw new OtherLayout();
  };
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const lines = (rest + (chunk as string)).split('\n');
    rest = lines.pop() as string;
    if (rest.length > LONGEST_LINE) throw new OtherLayout();
    for (const line of lines) onLine(line);
  }
  if (rest !== '') onLine(rest);
  if ((state as string) !== 'after') throw new OtherLayout();
}

/** The head lines closed as the written layout closes them; OtherLayout unless `tasks` was the last key. */
function parseHead(lines: string[]): unknown {
  let head: unknown;
  try {
    head = JSON.parse(`${lines.join('\n')}\n${TASKS_EMPTY}\n  }\n}`);
  } catch {
    throw new OtherLayout();
  }
  const keys = head !== null && typeof head === 'object' ? Object.keys(head) : [];
  const graph = (head as { graph?: unknown }).graph;
  const graphKeys = graph !== null && typeof graph === 'object' ? Object.keys(graph) : [];
  if (keys.at(-1) !== 'graph' || graphKeys.at(-1) !== 'tasks') throw new OtherLayout();
  return head;
}

/** Any layout: an incremental parser hands on each root task; the rest of the document comes at its end. */
async function readIncrementally(path: string, api: string, sink: TraceSink): Promise<void> {
  const parser = new JSONParser({ paths: ['$.graph.tasks.*', '$'], keepStack: false });
  const records: unknown[] = [];
  let root: unknown;
  parser.onValue = ({ value, stack }) => {
    if (stack.length === 0) root = value;
    else records.push(value);
  };
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      parser.write(chunk as Buffer);
    }
    // The parser ends by itself after the root value; a file cut short ends it here, with an error.
    if (!parser.isEnded) parser.end();
  } catch (error) {
    if (error instanceof Error && 'code' in error && typeof error.code === 'string')
      throw cannotRead(path, api, error);
    throw notJson(path, api, error);
  }
  const document = root as { graph?: { tasks?: unknown } } | undefined;
  if (document?.graph && typeof document.graph === 'object') document.graph.tasks = records;
  feed(sink, document);
}

/** A whole parsed document into the sink. */
function feed(sink: TraceSink, document: unknown): void {
  sink.head(documentHead(document));
  const tasks = (document as { graph?: { tasks?: unknown } } | null)?.graph?.tasks;
  if (Array.isArray(tasks)) for (let i = 0; i < tasks.length; i++) sink.record(tasks[i], i);
}

function cannotRead(path: string, api: string, error: unknown): TaskGraphError {
  return new TaskGraphError(
    'INVALID_ARGUMENT',
    `${api}: cannot read "${path}" (${(error as Error).message}).`,
    {
      cause: error,
    },
  );
}

function notJson(path: string, api: string, error: unknown): InvalidTraceError {
  return new InvalidTraceError(api, {
    path: '$',
    problem: `"${path}" is not valid JSON (${(error as Error).message}).`,
    cause: error,
  });
}
