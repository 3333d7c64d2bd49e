import { packageErrors } from '../errors/privacy-kit.error';
import type { AuditEntry, AuditRecord } from './audit-record';

const { error: coreError } = packageErrors('@privacy-kit/core');

/** What to do with a batch whose commit failed; see {@link AuditWriterOptions.onFailure}. */
export type AuditBatchFailure =
  /**
   * Try the batch again after this many ms, together with the entries appended meanwhile (e.g. another connection
   * holds the database's write lock).
   */
  | { readonly retryAfterMs: number }
  /**
   * The failure concerns the store, not one entry (closed, unreachable, its file gone): every entry of the batch
   * fails with this error, without trying them one by one.
   */
  | { readonly failAll: unknown };

/** How long and how often a failing batch has been tried, as {@link AuditWriterOptions.onFailure} is told. */
export interface AuditBatchAttempt {
  /** Tries so far, the one that just failed included (1 for a first failure). */
  readonly tries: number;
  /** Milliseconds since this batch first failed (0 for a first failure). */
  readonly waitedMs: number;
  /** Entries in the batch. */
  readonly entries: number;
}

/** Options of an {@link AuditWriter}: how the store commits, and the group-commit settings. */
export interface AuditWriterOptions {
  /**
   * Commits entries as the next records of the chain, all or none (one transaction), and returns their records in
   * order. May return them at once (an embedded database) or as a promise. Throw or reject to fail the batch.
   */
  readonly commit: (entries: readonly AuditEntry[]) => readonly AuditRecord[] | Promise<readonly AuditRecord[]>;
  /**
   * Told when a commit failed; says what to do with the batch. Undefined (and the default) means the failure may be
   * one entry's: the entries are tried again one by one, so a failing entry fails only itself and its neighbours
   * get their records; an entry alone fails with the error.
   */
  readonly onFailure?: (error: unknown, attempt: AuditBatchAttempt) => AuditBatchFailure | undefined;
  /**
   * How long an `outcome` entry (written after the response went out, so nobody waits for it) may wait to share the
   * next commit, in ms. Default 0: it is committed with the other entries of its event-loop turn.
   */
  readonly outcomeDelayMs?: number;
  /** At most this many entries per commit. Default: no limit. */
  readonly maxBatch?: number;
}

/** One append waiting for its record. */
interface PendingAppend {
  readonly entry: AuditEntry;
  readonly resolve: (record: AuditRecord) => void;
  readonly reject: (error: unknown) => void;
  /** Set when the batch it was in failed: it is then committed on its own, so it cannot fail others again. */
  alone: boolean;
}

/** A batch waiting to be tried again. */
interface WaitingBatch {
  readonly batch: PendingAppend[];
  readonly tries: number;
  readonly started: number;
  readonly timer: NodeJS.Timeout;
}

function isPromise<T>(value: unknown): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * The audit write path every store shares: group commit and one batch-failure policy.
 *
 * Entries appended in the same turn of the event loop are handed to the store's `commit` together (one
 * transaction, one flush to disk), and each append resolves with its record only after that commit. While a commit
 * is in flight (or waits to be tried again), new entries queue and form the next batch. When a batch fails, its
 * entries are tried one by one, so one bad entry never fails its neighbours; the store's `onFailure` can instead
 * have the batch tried again later (a lock held elsewhere) or failed as a whole (the store is gone).
 *
 * @example
 * const writer = new AuditWriter({ commit: (entries) => appendTx(entries).records, outcomeDelayMs: 5 });
 * const record = await writer.append(entry);
 */
export class AuditWriter {
  private readonly commit: AuditWriterOptions['commit'];
  private readonly onFailure: AuditWriterOptions['onFailure'];
  private readonly outcomeDelayMs: number;
  private readonly maxBatch: number;
  private queue: PendingAppend[] = [];
  private immediate: NodeJS.Immediate | undefined;
  private delayed: NodeJS.Timeout | undefined;
  /** A commit is in flight, or a batch waits to be tried again: the queue waits for it. */
  private inFlight = false;
  private waiting: WaitingBatch | undefined;
  private idleWaiters: (() => void)[] = [];
  private closedWith: (() => unknown) | undefined;
  private readonly flushNow = (): void => this.flush();

  constructor(options: AuditWriterOptions) {
    if (typeof options?.commit !== 'function') {
      throw coreError('PK_INVALID_OPTION', 'AuditWriter needs { commit: (entries) => records }, the function that commits a batch in one transaction.');
    }
    const outcomeDelayMs = options.outcomeDelayMs ?? 0;
    if (!Number.isInteger(outcomeDelayMs) || outcomeDelayMs < 0) {
      throw coreError('PK_INVALID_OPTION', `AuditWriter: 'outcomeDelayMs' must be a whole number of ms ≥ 0; got ${String(outcomeDelayMs)}.`);
    }
    const maxBatch = options.maxBatch ?? Number.POSITIVE_INFINITY;
    if (maxBatch !== Number.POSITIVE_INFINITY && (!Number.isInteger(maxBatch) || maxBatch < 1)) {
      throw coreError('PK_INVALID_OPTION', `AuditWriter: 'maxBatch' must be a whole number ≥ 1; got ${String(maxBatch)}.`);
    }
    this.commit = options.commit;
    this.onFailure = options.onFailure;
    this.outcomeDelayMs = outcomeDelayMs;
    this.maxBatch = maxBatch;
  }

  /** Whether a commit is in flight or a batch waits to be tried again (see {@link whenIdle}). */
  get busy(): boolean {
    return this.inFlight || this.waiting !== undefined;
  }

  /**
   * Queues an entry for the next group commit; resolves with its record once committed, rejects when its commit
   * failed (for this entry alone, see the class) or the writer was closed first.
   */
  append(entry: AuditEntry): Promise<AuditRecord> {
    return new Promise<AuditRecord>((resolve, reject) => {
      if (this.closedWith !== undefined) {
        reject(this.closedWith());
        return;
      }
      this.queue.push({ entry, resolve, reject, alone: false });
      // A commit in flight or waiting takes the queue along when it is done.
      if (this.busy) return;
      if (entry.event !== 'outcome' || this.outcomeDelayMs === 0) {
        this.immediate ??= setImmediate(this.flushNow);
      } else if (this.immediate === undefined) {
        this.delayed ??= setTimeout(this.flushNow, this.outcomeDelayMs);
      }
    });
  }

  /**
   * Commits what is queued now instead of at the end of the turn (synchronously when `commit` is), e.g. before a
   * write that must follow the queued records in the chain. Does nothing while the writer is {@link busy}.
   */
  flush(): void {
    this.clearTimers();
    while (!this.busy && this.queue.length > 0) this.attempt(this.take(this.maxBatch), 1, undefined);
    if (!this.busy && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  /** Resolves once no commit is in flight and no batch waits to be tried again (at once when none does). */
  whenIdle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Commits what is queued (unless the writer is busy), then refuses new entries: they, and entries still queued or
   * waiting to be tried again, reject with `error()`. A commit in flight still settles.
   *
   * @param error - makes the rejection of each refused entry (e.g. the store's "closed" error)
   */
  close(error: () => unknown): void {
    this.flush();
    this.closedWith = error;
    this.clearTimers();
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting !== undefined) clearTimeout(waiting.timer);
    const left = waiting === undefined ? this.queue : waiting.batch.concat(this.queue);
    this.queue = [];
    for (const p of left) p.reject(error());
    this.flush();
  }

  private clearTimers(): void {
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    if (this.delayed !== undefined) clearTimeout(this.delayed);
    this.immediate = undefined;
    this.delayed = undefined;
  }

  /** The next batch: an entry to be tried alone, or up to `limit` entries from the front of the queue. */
  private take(limit: number): PendingAppend[] {
    const queue = this.queue;
    if ((queue[0] as PendingAppend).alone) return queue.splice(0, 1);
    let n = 1;
    while (n < queue.length && n < limit && !(queue[n] as PendingAppend).alone) n++;
    if (n === queue.length) {
      this.queue = [];
      return queue;
    }
    return queue.splice(0, n);
  }

  private attempt(batch: PendingAppend[], tries: number, started: number | undefined): void {
    const entries = new Array<AuditEntry>(batch.length);
    for (let i = 0; i < batch.length; i++) entries[i] = (batch[i] as PendingAppend).entry;
    let result: readonly AuditRecord[] | Promise<readonly AuditRecord[]>;
    try {
      result = this.commit(entries);
    } catch (error) {
      this.failed(batch, error, tries, started);
      return;
    }
    if (!isPromise<readonly AuditRecord[]>(result)) {
      this.settle(batch, result);
      return;
    }
    this.inFlight = true;
    result.then(
      (records) => {
        this.inFlight = false;
        this.settle(batch, records);
        this.flush();
      },
      (error: unknown) => {
        this.inFlight = false;
        this.failed(batch, error, tries, started);
        this.flush();
      },
    );
  }

  private settle(batch: readonly PendingAppend[], records: readonly AuditRecord[]): void {
    for (let i = 0; i < batch.length; i++) {
      const record = records[i];
      const pending = batch[i] as PendingAppend;
      if (record === undefined) pending.reject(coreError('PK_STORE_UNAVAILABLE', `the store committed ${records.length} audit records for a batch of ${batch.length} entries; this is a bug of the store.`));
      else pending.resolve(record);
    }
  }

  private failed(batch: PendingAppend[], error: unknown, tries: number, started: number | undefined): void {
    const now = performance.now();
    if (this.closedWith !== undefined) {
      for (const p of batch) p.reject(error);
      return;
    }
    const verdict = this.onFailure?.(error, { tries, waitedMs: started === undefined ? 0 : now - started, entries: batch.length });
    if (verdict !== undefined && 'retryAfterMs' in verdict) {
      const timer = setTimeout(() => this.tryAgain(), verdict.retryAfterMs);
      this.waiting = { batch, tries: tries + 1, started: started ?? now, timer };
      return;
    }
    if (verdict !== undefined && 'failAll' in verdict) {
      for (const p of batch) p.reject(verdict.failAll);
      return;
    }
    if (batch.length === 1) {
      (batch[0] as PendingAppend).reject(error);
      return;
    }
    // One bad entry must not fail the others that happened to share its commit: each is tried again on its own.
    for (const p of batch) p.alone = true;
    this.queue = batch.concat(this.queue);
  }

  /** Tries a waiting batch again; a batch of several takes along what was appended while it waited. */
  private tryAgain(): void {
    const waiting = this.waiting;
    if (waiting === undefined) return;
    this.waiting = undefined;
    let { batch } = waiting;
    if (!(batch[0] as PendingAppend).alone && this.queue.length > 0 && !(this.queue[0] as PendingAppend).alone && batch.length < this.maxBatch) {
      batch = batch.concat(this.take(this.maxBatch - batch.length));
    }
    this.attempt(batch, waiting.tries, waiting.started);
    this.flush();
  }
}
