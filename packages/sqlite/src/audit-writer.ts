import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PrivacyKitError, type AuditEntry, type AuditRecord } from '@privacy-kit/core';

const PACKAGE = '@privacy-kit/sqlite';

interface Waiter {
  readonly resolve: (record: AuditRecord) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Where the compiled worker lives: beside this file in `dist`, or (when this file runs from `src` under a
 * TypeScript test runner) in the package's `dist`. Undefined when it was not built.
 */
export function auditWorkerFile(): string | undefined {
  const candidates = [join(__dirname, 'audit-writer.worker.js'), join(__dirname, '..', 'dist', 'audit-writer.worker.js')];
  return candidates.find((file) => existsSync(file));
}

/**
 * Group commit on a writer thread: appends made in one turn of the event loop go to the thread as one batch and
 * one transaction; each promise resolves when its batch is committed (durable), never before.
 * The thread keeps the process alive only while a batch is in flight.
 */
export class WorkerAuditWriter {
  private worker: Worker | undefined;
  private pending: { readonly entry: AuditEntry; readonly waiter: Waiter }[] = [];
  private readonly inflight = new Map<number, { readonly waiters: Waiter[]; readonly finished: () => void; readonly settled: Promise<void> }>();
  private nextId = 1;
  private scheduled = false;

  constructor(
    private readonly workerFile: string,
    private readonly filename: string,
    private readonly key: Buffer,
    private readonly busyTimeoutMs: number,
  ) {}

  append(entry: AuditEntry): Promise<AuditRecord> {
    return new Promise<AuditRecord>((resolve, reject) => {
      this.pending.push({ entry, waiter: { resolve, reject } });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private start(): Worker {
    const worker = new Worker(this.workerFile, {
      workerData: { filename: this.filename, key: new Uint8Array(this.key), busyTimeoutMs: this.busyTimeoutMs },
    });
    worker.on('message', (message: { id: number; records?: AuditRecord[]; error?: string }) => this.settle(message));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.fail(new Error('the audit writer thread stopped'));
    });
    worker.unref();
    return worker;
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const id = this.nextId++;
    let finished = (): void => undefined;
    const settled = new Promise<void>((resolve) => { finished = resolve; });
    this.inflight.set(id, { waiters: batch.map((b) => b.waiter), finished, settled });
    try {
      this.worker ??= this.start();
      this.worker.ref();
      this.worker.postMessage({ id, entries: batch.map((b) => b.entry) });
    } catch (error) {
      this.fail(error);
    }
  }

  private settle(message: { id: number; records?: AuditRecord[]; error?: string }): void {
    const batch = this.inflight.get(message.id);
    if (batch === undefined) return;
    this.inflight.delete(message.id);
    batch.finished();
    const { waiters } = batch;
    if (this.inflight.size === 0) this.worker?.unref();
    if (message.records !== undefined) {
      waiters.forEach((w, i) => w.resolve(message.records?.[i] as AuditRecord));
    } else {
      const error = new PrivacyKitError('PK_STORE_UNAVAILABLE', `${PACKAGE}: appendAudit failed: ${message.error ?? 'unknown error'}.`);
      waiters.forEach((w) => w.reject(error));
    }
  }

  private fail(cause: unknown): void {
    const error = new PrivacyKitError('PK_STORE_UNAVAILABLE', `${PACKAGE}: appendAudit failed: the audit writer thread is unavailable.`, { cause });
    for (const batch of this.inflight.values()) {
      batch.waiters.forEach((w) => w.reject(error));
      batch.finished();
    }
    this.inflight.clear();
  }

  /** Commits what is queued, waits for every batch in flight, and stops the thread. */
  async close(): Promise<void> {
    this.flush();
    await Promise.all([...this.inflight.values()].map((b) => b.settled));
    const worker = this.worker;
    this.worker = undefined;
    if (worker !== undefined) await worker.terminate();
  }
}
