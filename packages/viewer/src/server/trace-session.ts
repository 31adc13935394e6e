import { stat } from 'node:fs/promises';
import type {
  FunctionRegistry,
  ReplayPlan,
  RunEvent,
  RunStatus,
  TaskGraph,
  TraceDocument,
  TraceStore,
} from '@taskgraph/core';
import {
  diffTraces,
  editTrace,
  FileTraceStore,
  TaskGraph as Graph,
  planReplay,
  TaskGraphError,
  traceText,
} from '@taskgraph/core';
import type {
  DiffResponse,
  EditResponse,
  PlanResponse,
  ReplayResponse,
  ReplayUpdate,
  TraceResponse,
} from '../api-types.js';
import { refusal, toApiFailure } from './api-failure.js';
import { parseEditRequest } from './edit-request.js';

interface ActiveReplay {
  controller: AbortController;
  events: RunEvent[];
  done: Promise<void>;
}

export type ReplayListener = (update: ReplayUpdate) => void;

/**
 * One trace file and what the page does with it, through its TraceStore (the file and its journal). The
 * file is the state: every request reads it afresh when it changed (so a hand edit shows on reload), every
 * change commits it atomically, a replay keeps it current as tasks finish, and changes (edits, starting a
 * replay) run one at a time.
 */
export class TraceSession {
  readonly tracePath: string;
  readonly #store: TraceStore;
  readonly #registry: FunctionRegistry | undefined;
  readonly #listeners = new Set<ReplayListener>();
  /** The trace as its last run left it: what the next replay is compared with. */
  #baseline: TraceDocument | undefined;
  /** The trace before the last replay, for GET /api/diff. */
  #previous: TraceDocument | undefined;
  #replay: ActiveReplay | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  /** The last trace and plan read from the file, with the file's stamp when they were read. */
  #loaded: { stamp: string | undefined; trace: TraceDocument } | undefined;
  #plan: { stamp: string | undefined; plan: ReplayPlan } | undefined;

  constructor(tracePath: string, registry: FunctionRegistry | undefined) {
    this.tracePath = tracePath;
    this.#store = new FileTraceStore(tracePath);
    this.#registry = registry;
  }

  async #load(): Promise<TaskGraph> {
    const document = await this.#store.load();
    if (document === undefined) {
      throw new TaskGraphError(
        'INVALID_ARGUMENT',
        `taskgraph viewer: there is no trace at "${this.tracePath}".`,
      );
    }
    return Graph.fromJSON(document);
  }

  /** Remembers the trace as it is now as the run that the next replay is compared with. */
  async start(): Promise<void> {
    this.#baseline = await this.#document().catch(() => undefined);
  }

  async trace(): Promise<TraceResponse> {
    return {
      tracePath: this.tracePath,
      trace: await this.#document(),
      canReplay: this.#registry !== undefined,
      running: this.#replay !== undefined,
      hasPrevious: this.#previous !== undefined,
    };
  }

  /** What a replay would do now (without a registry: with the function versions the trace stores). */
  async plan(): Promise<PlanResponse> {
    const stamp = await fileStamp(this.tracePath);
    if (stamp === undefined || this.#plan?.stamp !== stamp) {
      this.#plan = { stamp, plan: planReplay(await this.#load(), this.#registry) };
    }
    return { plan: this.#plan.plan };
  }

  /**
   * The trace file as a document, loaded (and validated) again whenever the file changed since the last
   * load: a large trace is read once, not on every request, and a hand edit still shows on reload.
   */
  async #document(): Promise<TraceDocument> {
    const stamp = await fileStamp(this.tracePath);
    if (stamp === undefined || this.#loaded?.stamp !== stamp) {
      this.#loaded = { stamp, trace: (await this.#load()).toJSON() };
    }
    return this.#loaded.trace;
  }

  /**
   * Applies an edit with core's editTrace and writes the trace atomically; a dry run only plans. An edit
   * that core refuses (a value that fails the task's schema, a response that is not a message…) throws,
   * and nothing is written.
   */
  edit(body: unknown): Promise<EditResponse> {
    const request = parseEditRequest(body);
    const apply = async (): Promise<EditResponse> => {
      if (this.#replay && !request.dryRun) throw running('POST /api/edit');
      const graph = await this.#load();
      editTrace(graph, {
        ...(request.task ? { task: request.task } : {}),
        field: request.field,
        value: request.value,
      });
      const plan = planReplay(graph, this.#registry);
      if (request.dryRun) return { plan, saved: false };
      const trace = graph.toJSON();
      // What is written must load again: read back the exact text before it replaces the file.
      Graph.fromJSON(JSON.parse(JSON.stringify(trace)));
      await this.#store.commit(traceText(trace));
      return { plan, saved: true, trace };
    };
    return request.dryRun ? apply() : this.#exclusive(apply);
  }

  /**
   * Starts a replay of the trace with the registry; resolves once it runs. Listeners get each run event,
   * then `replay:end` once the result is written to the trace file.
   */
  replay(): Promise<ReplayResponse> {
    const registry = this.#registry;
    if (!registry) {
      const message =
        'POST /api/replay: the viewer was started without a registry, so it cannot run tasks. Start it with one (taskgraph view <trace> --registry <module>).';
      return Promise.reject(refusal(409, 'NO_REGISTRY', message));
    }
    return this.#exclusive(async () => {
      if (this.#replay) throw running('POST /api/replay');
      const graph = await this.#load();
      planReplay(graph, registry); // a function missing from the registry refuses the replay here
      const before = graph.toJSON();
      const controller = new AbortController();
      const events: RunEvent[] = [];
      const onEvent = (event: RunEvent) => {
        events.push(event);
        this.#broadcast({ type: 'event', event });
      };
      const replay: ActiveReplay = { controller, events, done: Promise.resolve() };
      replay.done = graph
        .run(registry, { signal: controller.signal, onEvent, trace: this.#store })
        .then(
          () => undefined,
          (error: unknown) => error,
        )
        .then((error) => this.#finish(graph, before, error));
      this.#replay = replay;
      return { running: true };
    });
  }

  /** Cancels the replay in progress (its tasks see their signal fire); what finished is still written. */
  stop(): ReplayResponse {
    this.#replay?.controller.abort();
    return { running: this.#replay !== undefined };
  }

  /** What differs between the trace before the last replay and the trace file now. */
  async diff(): Promise<DiffResponse> {
    const previous = this.#previous;
    if (!previous) {
      throw refusal(404, 'NO_PREVIOUS_RUN', 'GET /api/diff: no replay has finished yet. Replay first.');
    }
    return { diff: diffTraces(previous, await this.#load()) };
  }

  /** Calls `listener` with a snapshot of the replay in progress, then with every update. */
  subscribe(listener: ReplayListener): () => void {
    const replay = this.#replay;
    listener({ type: 'snapshot', running: replay !== undefined, events: replay ? [...replay.events] : [] });
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Cancels a replay in progress and waits until its trace is written. */
  async close(): Promise<void> {
    const replay = this.#replay;
    replay?.controller.abort();
    await replay?.done;
    this.#listeners.clear();
  }

  async #finish(graph: TaskGraph, before: TraceDocument, error: unknown): Promise<void> {
    let failure = error === undefined ? undefined : toApiFailure(error).error;
    const trace =
      error === undefined ? graph.toJSON() : error instanceof TaskGraphError ? error.trace : undefined;
    if (trace) {
      try {
        await this.#store.commit(traceText(trace));
        this.#previous = this.#baseline ?? before;
        this.#baseline = trace;
      } catch (writeError) {
        failure ??= toApiFailure(writeError).error;
      }
    }
    const status: RunStatus = graph.runInfo?.status ?? 'failed';
    this.#replay = undefined;
    this.#broadcast({ type: 'replay:end', status, ...(failure ? { error: failure } : {}) });
  }

  #broadcast(update: ReplayUpdate): void {
    for (const listener of this.#listeners) listener(update);
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(work);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}

/** What changes whenever the file's content may have: its inode, size and modification time in ns. */
async function fileStamp(path: string): Promise<string | undefined> {
  // A file that cannot be read has no stamp: it is loaded again, and loadTrace says what is wrong.
  const info = await stat(path, { bigint: true }).catch(() => undefined);
  return info && `${info.ino}:${info.size}:${info.mtimeNs}`;
}

function running(api: string): TaskGraphError {
  return new TaskGraphError(
    'RUN_IN_PROGRESS',
    `${api}: a replay is running. Wait for it to finish, or stop it, then try again.`,
  );
}
