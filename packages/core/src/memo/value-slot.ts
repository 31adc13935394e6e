import type { EncodedValue, StoredValue } from '../model/json-value.js';
import { keepShape } from '../model/keep-shape.js';
import { hashEncoded } from './hash.js';
import { decodeValue, encodeValue } from './value-codec.js';

/**
 * One stored value (a graph input, a prompt, a response, an output). It keeps whichever form it was given,
 * the live value or the encoded one read from a trace, and derives the other and its hash only when asked,
 * so a run that never saves never encodes or hashes.
 */
export class ValueSlot implements StoredValue {
  #value: unknown;
  #hasValue: boolean;
  #encoded: EncodedValue | undefined;
  #hash: string | undefined;

  private constructor(value: unknown, hasValue: boolean, encoded: EncodedValue | undefined) {
    this.#value = value;
    this.#hasValue = hasValue;
    this.#encoded = encoded;
  }

  static of(value: unknown): ValueSlot {
    return new ValueSlot(value, true, undefined);
  }

  static fromEncoded(encoded: EncodedValue): ValueSlot {
    return new ValueSlot(undefined, false, encoded);
  }

  get value(): unknown {
    if (!this.#hasValue) {
      this.#value = decodeValue(this.#encoded as EncodedValue);
      this.#hasValue = true;
    }
    return this.#value;
  }

  get encoded(): EncodedValue {
    if (this.#encoded === undefined) this.#encoded = encodeValue(this.#value);
    return this.#encoded;
  }

  /** Hash of the stored form, computed once. */
  get hash(): string {
    if (this.#hash === undefined) this.#hash = hashEncoded(this.encoded);
    return this.#hash;
  }
}

keepShape(ValueSlot.of(undefined));
