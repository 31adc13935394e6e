import { MemoryResponseCache } from './memory-response-cache.js';
import { responseCacheConformance } from './response-cache-conformance.js';

responseCacheConformance('MemoryResponseCache', () => new MemoryResponseCache());
