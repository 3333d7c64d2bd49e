// The audit writer thread of a store on a file: it keeps the subject index of the audit log (in bulk, every
// SUBJECT_INDEX_INTERVAL_MS) and, in the power-loss mode, commits every batch of audit records (and every consent
// change with its record), so that the fsync never runs on the event loop. Started by AuditThread; talks only
// through audit-protocol messages.
import { statSync } from 'node:fs';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import type { AuditHeadV2 } from '@privacy-kit/core';
import { busyRetryDelay, isBusy } from '../sqlite-errors';
import { WAL_AUTOCHECKPOINT_PAGES, WAL_SIZE_LIMIT_BYTES } from '../sqlite-store.options';
import type { AuditEntryResult, AuditThreadData, AuditThreadFailure, AuditThreadReply, AuditThreadRequest } from './audit-protocol';
import { prepareAuditTransactions, type AppendedBatch, type AuditTransactions } from './audit-transactions';
import { SUBJECT_INDEX_INTERVAL_MS, SubjectIndexer, THREAD_CACHE_KIB } from './subject-index';

const data = workerData as AuditThreadData;
const port = parentPort;
if (port === null) throw new Error('audit-worker.js runs as a worker thread of @privacy-kit/sqlite, not on its own.');

const db = new Database(data.filename, { timeout: data.busyTimeoutMs });
db.pragma(`synchronous = ${data.synchronous}`);
db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
db.pragma(`cache_size = -${THREAD_CACHE_KIB}`);
// The thread waits for another connection's lock itself (below), so that the store's close() can end the wait.
db.pragma('busy_timeout = 0');
const closing = new Int32Array(data.closing);
// Prepared on the first commit: in the default durability the thread only keeps the subject index.
let prepared: AuditTransactions | undefined;
const transactions = (): AuditTransactions => (prepared ??= prepareAuditTransactions(db, Buffer.from(data.key)));
const subjects = new SubjectIndexer(db, data.subjectIndexFile);

/** Brings the subject index up to the log; a failure is retried on the next run (the index is derived data). */
function indexSubjects(): number {
  let total = 0;
  try {
    for (let n = subjects.step(); n > 0; n = subjects.step()) total += n;
  } catch {
    // Locked by another process's indexer, or the disk refused: the next run tries again.
  }
  return total;
}
const indexing = setInterval(indexSubjects, SUBJECT_INDEX_INTERVAL_MS);
let replaced = false;

function fileReplaced(): boolean {
  if (!replaced) {
    const now = statSync(data.filename, { throwIfNoEntry: false });
    replaced = now === undefined || now.ino !== data.file.ino || now.dev !== data.file.dev;
  }
  return replaced;
}

function failure(id: number, cause: unknown): AuditThreadFailure {
  const code = (cause as { code?: unknown } | null)?.code;
  const message = (cause as { message?: unknown } | null)?.message;
  return {
    id,
    ok: false,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof message === 'string' ? { message } : {}),
    ...(cause instanceof TypeError || cause instanceof RangeError ? { badValue: true } : {}),
  };
}

/**
 * Runs a write transaction; while another connection holds the lock, tries again with backoff (blocking this
 * thread only, never the app's event loop) until `busyTimeoutMs` has passed or the store closes.
 */
function withLock<T>(write: () => T): T | 'closed' {
  const started = performance.now();
  for (let tries = 1; ; tries++) {
    try {
      return write();
    } catch (cause) {
      const waited = performance.now() - started;
      if (!isBusy(cause) || waited >= data.busyTimeoutMs) throw cause;
      if (Atomics.load(closing, 0) === 1) return 'closed';
      Atomics.wait(closing, 0, 0, busyRetryDelay(tries, data.busyTimeoutMs - waited));
    }
  }
}

type AppendRequest = Extract<AuditThreadRequest, { kind: 'append' }>;

/**
 * Commits consecutive appends in one transaction (one write to the WAL, one fsync in the power-loss mode). When that
 * fails for a reason that may be one entry's, every entry is committed on its own, so a bad entry fails alone.
 */
function appendAll(requests: readonly AppendRequest[]): AuditThreadReply[] {
  if (fileReplaced()) return requests.map((r) => ({ id: r.id, ok: false, replaced: true }));
  const entries = requests.length === 1 ? (requests[0] as AppendRequest).entries : requests.flatMap((r) => r.entries);
  let batch: AppendedBatch | 'closed';
  try {
    batch = withLock(() => transactions().append(entries));
  } catch (cause) {
    if (isBusy(cause) || entries.length === 1) return requests.map((r) => failure(r.id, cause));
    return requests.map(appendEach);
  }
  if (batch === 'closed') return requests.map((r) => ({ id: r.id, ok: false, closed: true }));
  if (requests.length === 1) return [{ id: (requests[0] as AppendRequest).id, ok: true, ...batch }];
  const replies: AuditThreadReply[] = [];
  let at = 0;
  for (const request of requests) {
    const n = request.entries.length;
    replies.push({ id: request.id, ok: true, seq: batch.seq + at, prevMac: at === 0 ? batch.prevMac : batch.macs[at - 1] as string, macs: batch.macs.slice(at, at + n), head: batch.head });
    at += n;
  }
  return replies;
}

/** Commits the entries of one request one by one (after their batch failed). */
function appendEach(request: AppendRequest): AuditThreadReply {
  const results: (AuditEntryResult | AuditThreadFailure)[] = [];
  let head: AuditHeadV2 | undefined;
  for (const entry of request.entries) {
    try {
      const one = withLock(() => transactions().append([entry]));
      if (one === 'closed') {
        results.push({ id: request.id, ok: false, closed: true });
        continue;
      }
      results.push({ seq: one.seq, prevMac: one.prevMac, mac: one.macs[0] as string });
      head = one.head;
    } catch (cause) {
      results.push(failure(request.id, cause));
    }
  }
  return { id: request.id, ok: 'each', results, head };
}

function handle(request: Exclude<AuditThreadRequest, AppendRequest>): AuditThreadReply {
  if (request.kind === 'index') return { id: request.id, ok: true, indexed: indexSubjects() };
  if (request.kind === 'settings') {
    return { id: request.id, ok: true, settings: { journalMode: String(db.pragma('journal_mode', { simple: true })), synchronous: Number(db.pragma('synchronous', { simple: true })) } };
  }
  if (fileReplaced()) return { id: request.id, ok: false, replaced: true };
  try {
    const committed = withLock(() => transactions().consentChange(request.rows, request.entry));
    if (committed === 'closed') return { id: request.id, ok: false, closed: true };
    return { id: request.id, ok: true, events: committed.events, ...committed.appended };
  } catch (cause) {
    return failure(request.id, cause);
  }
}

// Everything waiting is taken at once: consecutive appends share one commit, and one message carries every reply.
port.on('message', (first: AuditThreadRequest | 'close') => {
  const requests = [first];
  for (let more = receiveMessageOnPort(port); more !== undefined; more = receiveMessageOnPort(port)) requests.push(more.message as AuditThreadRequest | 'close');
  const replies: AuditThreadReply[] = [];
  let close = false;
  for (let i = 0; i < requests.length;) {
    const request = requests[i] as AuditThreadRequest | 'close';
    if (request === 'close') {
      close = true;
      i++;
    } else if (request.kind === 'append') {
      let end = i + 1;
      while (end < requests.length && (requests[end] as AuditThreadRequest | 'close') !== 'close' && (requests[end] as AuditThreadRequest).kind === 'append') end++;
      replies.push(...appendAll(requests.slice(i, end) as AppendRequest[]));
      i = end;
    } else {
      replies.push(handle(request));
      i++;
    }
  }
  if (replies.length > 0) port.postMessage(replies);
  if (close) {
    clearInterval(indexing);
    subjects.close();
    db.close();
    port.close();
  }
});
