import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { responseCacheConformance } from '../testing/response-cache-conformance.js';
import { DiskResponseCache } from './response-cache.js';

responseCacheConformance(
  'DiskResponseCache',
  async () => new DiskResponseCache(join(await mkdtemp(join(tmpdir(), 'taskgraph-cache-')), 'nested')),
);
