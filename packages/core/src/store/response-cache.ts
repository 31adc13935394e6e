import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TaskGraphError } from '../model/errors.js';
import type { LLMResult } from '../model/llm-handler.js';
import { removeStaleTempFilesIn } from './stale-temp-files.js';
import { writeFileAtomic } from './write-file-atomic.js';

/**
 * LLM results by response fingerprint (handler, params, prompt, output schema), shared across traces:
 * the same request in another graph is answered without a call.
 */
export interface ResponseCache {
  get(key: string): Promise<LLMResult | undefined>;
  set(key: string, result: LLMResult): Promise<void>;
}

/** A response cache in a directory: one JSON file per response, written atomically. */
export class DiskResponseCache implements ResponseCache {
  readonly #dir: string;
  #ready: Promise<unknown> | undefined;

  constructor(dir: string) {
    if (typeof dir !== 'string' || dir === '') {
      throw new TaskGraphError('INVALID_ARGUMENT', 'new DiskResponseCache: `dir` must be a directory path.');
    }
    this.#dir = dir;
  }

  async get(key: string): Promise<LLMResult | undefined> {
    try {
      return JSON.parse(await readFile(this.#file(key), 'utf8')) as LLMResult;
    } catch {
      // A missing or unreadable entry is a miss: the call is made and the entry written again.
      return undefined;
    }
  }

  async set(key: string, result: LLMResult): Promise<void> {
    // Once per cache: make the folder, and remove what writes killed mid-way left in it.
    this.#ready ??= mkdir(this.#dir, { recursive: true }).then(() => removeStaleTempFilesIn(this.#dir));
    await this.#ready;
    await writeFileAtomic(this.#file(key), JSON.stringify(result));
  }

  #file(key: string): string {
    if (!/^[\w-]+$/.test(key))
      throw new TaskGraphError('INVALID_ARGUMENT', `DiskResponseCache: "${key}" is not a cache key.`);
    return join(this.#dir, `${key}.json`);
  }
}
