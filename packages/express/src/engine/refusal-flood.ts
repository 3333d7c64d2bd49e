import type { AuditEntry } from '@privacy-kit/core';

/** How long identical refusals of an unidentified caller are counted into one record, in ms. */
export const REFUSAL_WINDOW_MS = 1000;
/** How many counting windows may be open at once; beyond this, every refusal is written on its own again. */
export const MAX_REFUSAL_WINDOWS = 1000;

interface RefusalWindow {
  /** Refusals counted after the first one (which was written at once). */
  count: number;
  /** The entry of the first counted refusal: the summary record carries its facts. */
  entry: AuditEntry | undefined;
  readonly timer: NodeJS.Timeout;
}

/**
 * Keeps refusals of unidentified callers from filling the audit store, without losing any. The first refusal of a
 * kind (same source, method, route and reason) is written at once, as every refusal used to be, and opens a
 * window of {@link REFUSAL_WINDOW_MS}; identical refusals inside it are only counted, and when it closes one record
 * with `details: { count: N }` stands for them. A record without a count stands for one refusal, so the refusals
 * are the sum of `details.count ?? 1` over the `denied` records. At most {@link MAX_REFUSAL_WINDOWS} windows are
 * open; refusals that would need another are written one by one. The source (the socket's address) is only a key
 * in memory; it is never stored.
 */
export class RefusalFlood {
  private readonly windows = new Map<string, RefusalWindow>();

  constructor(
    /** Writes the summary record of a window (its errors are the writer's to report). */
    private readonly write: (entry: AuditEntry) => void,
    private readonly windowMs: number = REFUSAL_WINDOW_MS,
    private readonly maxWindows: number = MAX_REFUSAL_WINDOWS,
  ) {}

  /**
   * Counts a refusal into the open window of its kind and returns true (write nothing now), or opens a window and
   * returns false (write this refusal's record now, as usual). Also false when too many windows are open.
   *
   * @param key - what makes refusals identical (source, method, route pattern, reason)
   * @param entry - the refusal's audit entry, built only if the window needs it
   */
  absorb(key: string, entry: () => AuditEntry): boolean {
    const open = this.windows.get(key);
    if (open !== undefined) {
      open.count++;
      open.entry ??= entry();
      return true;
    }
    if (this.windows.size >= this.maxWindows) return false;
    const timer = setTimeout(() => this.close(key), this.windowMs);
    timer.unref();
    this.windows.set(key, { count: 0, entry: undefined, timer });
    return false;
  }

  /** Closes every window now, writing what they counted (on `kit.dispose()`). */
  flush(): void {
    for (const key of [...this.windows.keys()]) this.close(key);
  }

  private close(key: string): void {
    const window = this.windows.get(key);
    if (window === undefined) return;
    this.windows.delete(key);
    clearTimeout(window.timer);
    if (window.entry !== undefined && window.count > 0) {
      this.write({ ...window.entry, durationMs: null, details: { count: window.count } });
    }
  }
}
