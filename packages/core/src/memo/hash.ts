import * as crypto from 'node:crypto';
import stringify from 'safe-stable-stringify';
import type { EncodedValue } from './value-codec.js';

const canonical = stringify.configure({ deterministic: true, bigint: true });

/** Canonical JSON text: keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return canonical(value) ?? 'undefined';
}

type OneShotHash = (algorithm: string, data: string, encoding: 'base64url') => string;
// crypto.hash (Node >= 20.12) hashes a string in one call; older Node 20 releases fall back to createHash.
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;
// SHA-1: the fastest digest Node has in one call; fingerprints detect change, they defend against no one.
const digest: (text: string) => string = oneShot
  ? (text) => oneShot('sha1', text, 'base64url')
  : (text) => crypto.createHash('sha1').update(text).digest('base64url');

/** A short stable hash (96 bits of SHA-1, base64url) of a string. */
export function hashText(text: string): string {
  return digest(text).slice(0, 16);
}

/** Hash of a value as stored (its JSON and its superjson annotations), recomputed from the stored form. */
export function hashEncoded(encoded: EncodedValue): string {
  const value = encoded.json;
  const json =
    value === undefined
      ? 'u'
      : typeof value === 'object' && value !== null
        ? canonicalJson(value)
        : JSON.stringify(value);
  return hashText(encoded.meta ? `${json}\u0000${canonicalJson(encoded.meta)}` : json);
}

/** What separates the parts of a fingerprint's text. */
export const FINGERPRINT_SEPARATOR = '\u0001';

/** Fingerprint of a list of parts (ids, versions, hashes). */
export function fingerprint(parts: readonly string[]): string {
  return hashText(parts.join(FINGERPRINT_SEPARATOR));
}
