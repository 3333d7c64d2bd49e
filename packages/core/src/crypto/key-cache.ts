/** An unwrapped data key held in memory for a short time. */
interface Entry {
  readonly key: Buffer;
  readonly until: number;
}

/**
 * Unwrapped data keys, bounded in number and in time (least recently used first out): what makes seal and open
 * cheap for a subject seen a moment ago without keeping every key in memory. The cache keeps its own copies and
 * zeroes them when it drops them.
 */
export class DataKeyCache {
  private readonly entries = new Map<string, Entry>();

  /**
   * @param max - at most this many keys
   * @param ttlMs - each for at most this long
   * @param now - the clock (tests)
   */
  constructor(private readonly max: number, private readonly ttlMs: number, private readonly now: () => number = Date.now) {}

  get(subject: string, keyId: string): Buffer | undefined {
    const id = `${keyId}\n${subject}`;
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    if (entry.until <= this.now()) {
      this.drop(id, entry);
      return undefined;
    }
    // Re-insert: Map order is the recency order.
    this.entries.delete(id);
    this.entries.set(id, entry);
    // A copy: the cache zeroes its own buffer when it drops the key, while the caller may still be using it.
    return Buffer.from(entry.key);
  }

  set(subject: string, keyId: string, key: Buffer): void {
    if (this.max === 0 || this.ttlMs === 0) return;
    const id = `${keyId}\n${subject}`;
    const old = this.entries.get(id);
    if (old !== undefined) this.entries.delete(id);
    this.entries.set(id, { key: Buffer.from(key), until: this.now() + this.ttlMs });
    while (this.entries.size > this.max) {
      const [oldest, entry] = this.entries.entries().next().value as [string, Entry];
      this.drop(oldest, entry);
    }
  }

  /** Forgets every key of a subject (after its keys were destroyed). */
  forget(subject: string): void {
    for (const [id, entry] of this.entries) if (id.endsWith(`\n${subject}`)) this.drop(id, entry);
  }

  private drop(id: string, entry: Entry): void {
    this.entries.delete(id);
    entry.key.fill(0);
  }
}
