import type { Pseudonymizer } from '@privacy-kit/core';

/** Default number of ids whose pseudonyms an engine keeps (one HMAC saved per request for each of them). */
export const DEFAULT_PSEUDONYM_CACHE_SIZE = 4096;
/**
 * Longer ids are pseudonymized every time, not held: an id can come from a request body (a login's email), and
 * 4,096 ids of 100 KB each would be 400 MB.
 */
export const MAX_CACHED_ID_LENGTH = 256;

/**
 * A bounded memo of a pseudonymizer: the same id gives the same pseudonym, so the HMAC of the callers and subjects
 * seen lately is computed once. The oldest id out first once `maxIds` are held (a hit does not reorder, so it costs
 * one map lookup). Ids longer than {@link MAX_CACHED_ID_LENGTH} are not held, so memory stays bounded by both.
 */
export class PseudonymCache {
  private readonly byId = new Map<string, string>();

  /**
   * @param compute - the keyed pseudonymizer (core's `createPseudonymizer`)
   * @param maxIds - the most ids held at once
   */
  constructor(private readonly compute: Pseudonymizer, private readonly maxIds: number = DEFAULT_PSEUDONYM_CACHE_SIZE) {}

  /** The pseudonym of an id, as `compute` gives it. */
  readonly pseudonymize: Pseudonymizer = (value: string): string => {
    const id = String(value);
    if (id.length > MAX_CACHED_ID_LENGTH) return this.compute(id);
    let pseudonym = this.byId.get(id);
    if (pseudonym === undefined) {
      pseudonym = this.compute(id);
      if (this.byId.size >= this.maxIds) this.byId.delete(this.byId.keys().next().value as string);
      this.byId.set(id, pseudonym);
    }
    return pseudonym;
  };

  /** How many ids are held. */
  get size(): number {
    return this.byId.size;
  }
}
