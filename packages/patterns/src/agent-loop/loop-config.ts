import type { LLMParams } from '@taskgraph/core';
import { TaskGraphError } from '@taskgraph/core';
import { type ZodType, z } from 'zod';
import { parseDoneSequence } from './done-sequence.js';
import type { KillStore } from './kill-store.js';
import { defaultKillStore } from './kill-store.js';
import type { LoopDefinition, LoopDetection, Responder } from './loop-definition.js';
import type { LoopMessage } from './loop-message.js';
import type { LoopReplyKind } from './reply-validity.js';

/** How an AgentLoop behaves. Every field but `name` and `responders` is optional. */
export interface AgentLoopConfig {
  /** Names the loop's step functions (`agent-loop/<name>`) and its first task; unique per registry. */
  name: string;
  /** Tried in order each turn until one gives a valid reply (build them with llmResponder, subLoop…). */
  responders: Responder[];
  /** Play exactly this many turns at most; reaching it ends with FIXED_TURNS and the pending message. */
  turns?: number;
  /** A safety cap; reaching it ends with MAX_TURNS and a null result. */
  maxTurns?: number;
  /** One turn (two with `llmDelegate`), as langroid's single_round. */
  singleRound?: boolean;
  llmDelegate?: boolean;
  /** Consecutive turns without a valid reply (or passed on) before STALLED. Default 5. */
  maxStalledSteps?: number;
  /** Ask the human responder first after each non-human reply. Default false. */
  interactive?: boolean;
  /**
   * langroid's `only_user_quits_root`: an interactive root loop with a human responder ends only when the
   * human quits (or by a limit, a done tool call of `doneIfTool`, or a done sequence); done markers,
   * done tools and doneIfResponse are ignored there. Default false (langroid's default is true).
   */
  onlyUserQuitsRoot?: boolean;
  /**
   * langroid's `addressing_prefix` (recommended "|@|"; default "" turns it off): with string signals on,
   * `<prefix>name text` addresses the text after the last such address to `name`, alone it passes on.
   */
  addressingPrefix?: string;
  /** Commit a synthetic DO-NOT-KNOW on turns without a valid reply. Default false. */
  allowNullResult?: boolean;
  /** Text that ends the loop when a committed message contains it; false turns it off. Default "DONE". */
  doneMarker?: string | false;
  /** Read `__PASS__:name` and `__SEND__:name text` in replies. Default true. */
  recognizeStringSignals?: boolean;
  /** The loop is done when one of these responders gives a non-empty reply. */
  doneIfResponse?: string[];
  /** The loop is done when one of these responders gives an empty reply. */
  doneIfNoResponse?: string[];
  /** The loop is done as soon as a committed message has a tool call. */
  doneIfTool?: boolean;
  /** langroid's done sequences: "T[calc], A" ends the loop right after the agent answers a calc call. */
  doneSequences?: string[];
  loopDetection?: Partial<LoopDetection>;
  /**
   * langroid's `restart`. true (default): every `run()` starts a new conversation. false: each `run()`
   * of this AgentLoop continues the conversation its previous `run()` ended with (that history goes
   * into the new run's input, so the trace holds it). In a graph of your own, give the input a `history`.
   */
  restart?: boolean;
  /** Limits of this loop's own spending, sub-loops included (core's run budget covers the whole run). */
  budget?: { maxTokens?: number; maxCostUsd?: number; onUnknownCost?: 'fail' | 'ignore' };
  /** "status" (default): INF_LOOP is a status with a null result; "throw": InfiniteLoopError. */
  onInfiniteLoop?: 'status' | 'throw';
  killStore?: KillStore;
  /** The session kills are looked up by (default: the loop's name); a run's input may give another. */
  session?: string;
  /** Overrides the validity verdict of a reply. */
  classify?: (message: LoopMessage, standard: LoopReplyKind) => LoopReplyKind;
  /** The type the loop's result is extracted into, as `state.value`. */
  returnType?: ZodType;
  /** When extraction fails, ask an LLM once more for the value (true: the first LLM responder's handler). */
  reask?: boolean | { handler?: string; params?: LLMParams };
}

const API = 'new AgentLoop';

/** Checks a configuration; errors name the field at fault. */
export function resolveConfig(config: AgentLoopConfig): LoopDefinition {
  if (config === null || typeof config !== 'object') fail('`config` must be an object');
  if (typeof config.name !== 'string' || !/^[A-Za-z][A-Za-z0-9_.-]*$/.test(config.name)) {
    fail(
      `\`name\` must start with a letter and hold only letters, digits, _, . and - (got ${JSON.stringify(config.name)})`,
    );
  }
  if (!Array.isArray(config.responders) || config.responders.length === 0) {
    fail('`responders` must be a non-empty array (build each with llmResponder, functionResponder…)');
  }
  const byName = new Map<string, Responder>();
  for (const [i, responder] of config.responders.entries()) {
    if (!responder || typeof responder.kind !== 'string') fail(`\`responders[${i}]\` is not a responder`);
    if (byName.has(responder.name))
      fail(`two responders are named "${responder.name}"; give each its own name`);
    byName.set(responder.name, responder);
  }
  for (const key of ['doneIfResponse', 'doneIfNoResponse'] as const) {
    for (const name of config[key] ?? []) {
      if (!byName.has(name)) fail(`\`${key}\` names "${name}", which is not a responder of the loop`);
    }
  }
  if (config.restart !== undefined && typeof config.restart !== 'boolean') {
    fail(`\`restart\` must be true or false (got ${JSON.stringify(config.restart)})`);
  }
  const single = config.singleRound ? (config.llmDelegate ? 2 : 1) : null;
  const detection = config.loopDetection ?? {};
  const firstLLM = config.responders.find((responder) => responder.kind === 'llm');
  const reask = config.reask === true ? {} : config.reask || undefined;
  return {
    name: config.name,
    responders: [...config.responders],
    byName,
    turns: count('turns', config.turns) ?? single,
    maxTurns: count('maxTurns', config.maxTurns),
    maxStalledSteps: count('maxStalledSteps', config.maxStalledSteps) ?? 5,
    interactive: config.interactive ?? false,
    onlyUserQuitsRoot: config.onlyUserQuitsRoot ?? false,
    addressingPrefix: addressingPrefix(config.addressingPrefix),
    allowNullResult: config.allowNullResult ?? false,
    doneMarker: config.doneMarker === false ? null : (config.doneMarker ?? 'DONE'),
    recognizeStringSignals: config.recognizeStringSignals ?? true,
    doneIfResponse: config.doneIfResponse ?? [],
    doneIfNoResponse: config.doneIfNoResponse ?? [],
    doneIfTool: config.doneIfTool ?? false,
    doneSequences: (config.doneSequences ?? []).map((text) => parseDoneSequence(text, API)),
    restart: config.restart ?? true,
    loopDetection: {
      cycleLen: atLeast('loopDetection.cycleLen', detection.cycleLen, 0) ?? 10,
      dominanceFactor: atLeast('loopDetection.dominanceFactor', detection.dominanceFactor, 0) ?? 1.5,
      waitFactor: count('loopDetection.waitFactor', detection.waitFactor) ?? 5,
      noAnswerLoopCheck: detection.noAnswerLoopCheck ?? true,
      noAnswerAlternations:
        atLeast('loopDetection.noAnswerAlternations', detection.noAnswerAlternations, 0) ?? 5,
    },
    budget: {
      maxTokens: atLeast('budget.maxTokens', config.budget?.maxTokens, 0),
      maxCostUsd: atLeast('budget.maxCostUsd', config.budget?.maxCostUsd, 0),
      onUnknownCost: config.budget?.onUnknownCost ?? 'fail',
    },
    onInfiniteLoop: config.onInfiniteLoop ?? 'status',
    killStore: config.killStore ?? defaultKillStore,
    session: config.session ?? config.name,
    classify: config.classify,
    returnType: schema(config.returnType),
    reask: reask && {
      handler: reask.handler ?? (firstLLM?.kind === 'llm' ? firstLLM.handler : 'openai'),
      params: reask.params ?? (firstLLM?.kind === 'llm' ? firstLLM.params : {}),
    },
    gates: new Map(),
  };
}

function addressingPrefix(value: string | undefined): string {
  if (value === undefined) return '';
  if (typeof value !== 'string' || /\w/.test(value)) {
    fail(
      `\`addressingPrefix\` must be a string without letters, digits or _ (got ${JSON.stringify(value)}), for example "|@|"`,
    );
  }
  return value;
}

function count(name: string, value: number | undefined): number | null {
  if (value === undefined) return null;
  if (!Number.isInteger(value) || value < 1)
    fail(`\`${name}\` must be an integer from 1 up (got ${String(value)})`);
  return value;
}

function atLeast(name: string, value: number | undefined, min: number): number | null {
  if (value === undefined) return null;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min) {
    fail(`\`${name}\` must be a number from ${min} up (got ${String(value)})`);
  }
  return value;
}

function schema(value: ZodType | undefined): ZodType | undefined {
  if (value !== undefined && !(value instanceof z.ZodType)) fail('`returnType` must be a zod schema');
  return value;
}

function fail(problem: string): never {
  throw new TaskGraphError('INVALID_ARGUMENT', `${API}: ${problem}.`);
}
