import type { ConsentState } from '@privacy-kit/core';

/** Default time a consent answer is reused within one process. */
export const DEFAULT_CONSENT_CACHE_TTL_MS = 5_000;
/** Default number of subjects whose consents are cached. */
export const DEFAULT_CONSENT_CACHE_SIZE = 10_000;

interface Entry {
  readonly states: ReadonlyMap<string, ConsentState>;
  readonly fetchedAt: number;
}

/**
 * Per-process cache of each subject's current consents: a short TTL, a size bound (oldest first out), and
 * immediate invalidation when this process (or, through the store, another one) records a change.
 */
export class ConsentCache {
  private readonly entries = new Map<string, Entry>();
  private readonly generation = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxSubjects: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached states of a subject, or undefined when absent or stale. */
  get(subject: string): ReadonlyMap<string, ConsentState> | undefined {
    const entry = this.entries.get(subject);
    if (entry === undefined) return undefined;
    if (this.now() - entry.fetchedAt >= this.ttlMs) {
      this.entries.delete(subject);
      return undefined;
    }
    return entry.states;
  }

  /** A token to pass to {@link set}, so a load that raced with an invalidation is not cached. */
  ticket(subject: string): number {
    return this.generation.get(subject) ?? 0;
  }

  set(subject: string, states: readonly ConsentState[], ticket: number): void {
    if (this.ttlMs <= 0 || ticket !== this.ticket(subject)) return;
    this.entries.delete(subject);
    this.entries.set(subject, { states: new Map(states.map((s) => [s.purpose, s])), fetchedAt: this.now() });
    if (this.entries.size > this.maxSubjects) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** Drops a subject's answers at once. */
  invalidate(subject: string): void {
    this.entries.delete(subject);
    this.generation.set(subject, this.ticket(subject) + 1);
    if (this.generation.size > this.maxSubjects * 2) this.generation.clear();
  }

  clear(): void {
    this.entries.clear();
    this.generation.clear();
  }
}
