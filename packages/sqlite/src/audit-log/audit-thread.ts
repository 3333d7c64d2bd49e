import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AuditEntry, AuditHeadV2, AuditRecord, PrivacyKitError } from '@privacy-kit/core';
import { auditRecordOf } from '@privacy-kit/core/store';
import { sqliteError } from '../sqlite-errors';
import { recordsOf } from './audit-transactions';
import type {
  AuditEntryResult,
  AuditThreadData,
  AuditThreadFailure,
  AuditThreadReply,
  AuditThreadRequest,
} from './audit-protocol';

/** A request as the store makes it (the thread numbers it). */
export type AuditThreadCall = AuditThreadRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

/** What the store tells the thread's main-thread side. */
export interface AuditThreadHooks {
  /** A batch was committed: the new head of the chain (in commit order). */
  readonly committed: (head: AuditHeadV2) => void;
  /** The store error for a failure the thread reported. */
  readonly failure: (operation: string, failure: AuditThreadFailure) => PrivacyKitError;
}

/** One append waiting for its record. */
interface PendingAppend {
  readonly entry: AuditEntry;
  readonly resolve: (record: AuditRecord) => void;
  readonly reject: (error: unknown) => void;
}

/** A request sent and not yet answered: the appends of a batch, or the caller of another request. */
type Waiting =
  | { readonly batch: readonly PendingAppend[] }
  | { readonly resolve: (reply: AuditThreadReply) => void; readonly reject: (error: unknown) => void };

/** The built script of the thread: next to this file, or (when the store runs from its TypeScript sources under ts-jest) in dist. */
function workerScript(): string {
  const beside = join(__dirname, 'audit-worker.js');
  if (existsSync(beside)) return beside;
  const built = join(__dirname, '..', '..', 'dist', 'audit-log', 'audit-worker.js');
  if (existsSync(built)) return built;
  throw sqliteError('PK_STORE_UNAVAILABLE', `the audit writer thread's script ${beside} is missing; build the package (npm run build) or reinstall it.`);
}

const isFailure = (result: AuditEntryResult | AuditThreadFailure): result is AuditThreadFailure => 'ok' in result;

/**
 * The main-thread side of the audit writer thread. Appends made in one turn of the event loop are sent as one
 * message at the end of the turn, without waiting for the batches before them (the thread commits whatever has
 * arrived in one transaction and answers it in one message), so the event loop never waits for a commit and
 * batches grow with the load. Other requests (a consent change) are sent after the appends queued before them, and
 * answered in order. The thread keeps the process alive only while a request is in flight, and is started again
 * on the next request if it ever stops.
 */
export class AuditThread {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private queue: PendingAppend[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private delayed: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private readonly data: AuditThreadData;
  private readonly sendQueued = (): void => this.flush();

  /**
   * @param data - what the thread opens and how
   * @param hooks - the store's part: the checkpointer and its errors
   * @param outcomeDelayMs - how long an `outcome` entry (written after the response went out, so nobody waits for
   *   it) may wait to join the next batch; the other entries go at the end of the turn
   */
  constructor(data: Omit<AuditThreadData, 'closing'>, private readonly hooks: AuditThreadHooks, private readonly outcomeDelayMs = 0) {
    this.data = { ...data, closing: new SharedArrayBuffer(4) };
  }

  /** Starts the thread now (it opens its connection while the app starts), instead of on the first request. */
  start(): void {
    this.spawn();
  }

  /** Queues an entry for the end of this turn's batch; resolves with its record once committed. */
  append(entry: AuditEntry): Promise<AuditRecord> {
    return new Promise<AuditRecord>((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      if (entry.event !== 'outcome' || this.outcomeDelayMs === 0) this.scheduled ??= setImmediate(this.sendQueued);
      else if (this.scheduled === undefined) this.delayed ??= setTimeout(this.sendQueued, this.outcomeDelayMs);
    });
  }

  /** Sends the queued appends now (e.g. before a request that must follow them in the chain). */
  flush(): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    if (this.delayed !== undefined) clearTimeout(this.delayed);
    this.scheduled = undefined;
    this.delayed = undefined;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    let worker: Worker;
    try {
      worker = this.spawn();
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    this.post(worker, { batch }, { kind: 'append', entries: batch.map((p) => p.entry) });
  }

  /** Sends a request after the queued appends; resolves with the thread's reply, rejects only if the thread stops. */
  request(call: Exclude<AuditThreadCall, { kind: 'append' }>): Promise<AuditThreadReply> {
    this.flush();
    return new Promise<AuditThreadReply>((resolve, reject) => {
      this.post(this.spawn(), { resolve, reject }, call);
    });
  }

  /** Tells the thread to stop waiting for another connection's lock: what waits fails as closed. */
  interrupt(): void {
    const flag = new Int32Array(this.data.closing);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  }

  /** Sends what is queued, lets every request in flight be answered, closes the thread's connection and ends it. */
  close(): Promise<void> {
    this.flush();
    this.closing ??= new Promise<void>((resolve) => {
      const worker = this.worker;
      if (worker === undefined) {
        resolve();
        return;
      }
      worker.ref();
      worker.once('exit', () => resolve());
      worker.postMessage('close');
    });
    return this.closing;
  }

  private post(worker: Worker, waiting: Waiting, call: AuditThreadCall): void {
    const id = this.nextId++;
    if (this.waiting.size === 0) worker.ref();
    this.waiting.set(id, waiting);
    worker.postMessage({ id, ...call });
  }

  private spawn(): Worker {
    if (this.worker !== undefined) return this.worker;
    if (this.closing !== undefined) throw sqliteError('PK_STORE_CLOSED', 'the audit writer thread was closed. Create a new store.');
    // A small young generation: the thread allocates little per batch, and each MB of it is resident memory.
    const worker = new Worker(workerScript(), { workerData: this.data, resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 } });
    worker.unref();
    worker.on('message', (replies: readonly AuditThreadReply[]) => {
      for (const reply of replies) this.answer(reply);
      // Idle: the thread no longer keeps the process alive (while closing it does, until it has ended).
      if (this.waiting.size === 0 && this.closing === undefined) worker.unref();
    });
    const stopped = (cause: unknown): void => {
      if (this.worker === worker) this.worker = undefined;
      if (this.waiting.size === 0) return;
      const error = sqliteError('PK_STORE_UNAVAILABLE', 'the audit writer thread stopped before it answered; the records it was writing were not confirmed. It is started again on the next write.', { cause });
      for (const w of this.waiting.values()) {
        if ('batch' in w) for (const p of w.batch) p.reject(error);
        else w.reject(error);
      }
      this.waiting.clear();
    };
    worker.on('error', stopped);
    worker.on('exit', (code) => stopped(new Error(`exit code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private answer(reply: AuditThreadReply): void {
    const waiting = this.waiting.get(reply.id);
    if (waiting === undefined) return;
    this.waiting.delete(reply.id);
    if (!('batch' in waiting)) {
      waiting.resolve(reply);
      return;
    }
    const { batch } = waiting;
    if (reply.ok === true && 'macs' in reply) {
      this.hooks.committed(reply.head);
      const records = recordsOf(batch.map((p) => p.entry), reply);
      for (let i = 0; i < batch.length; i++) (batch[i] as PendingAppend).resolve(records[i] as AuditRecord);
    } else if (reply.ok === 'each') {
      if (reply.head !== undefined) this.hooks.committed(reply.head);
      for (let i = 0; i < batch.length; i++) {
        const p = batch[i] as PendingAppend;
        const result = reply.results[i];
        if (result === undefined) p.reject(sqliteError('PK_STORE_UNAVAILABLE', 'appendAudit: the audit writer thread answered fewer entries than it was sent; this is a bug of the store.'));
        else if (isFailure(result)) p.reject(this.hooks.failure('appendAudit', result));
        else p.resolve(auditRecordOf(p.entry, result.seq, result.prevMac, result.mac));
      }
    } else {
      const error = reply.ok === false ? this.hooks.failure('appendAudit', reply) : sqliteError('PK_STORE_UNAVAILABLE', 'appendAudit: the audit writer thread gave a reply of another request; this is a bug of the store.');
      for (const p of batch) p.reject(error);
    }
  }
}
