/**
 * The audit writer thread: its own connection to the same file, so that the commit's fsync (synchronous=FULL)
 * waits here instead of blocking the app's event loop. Receives batches, answers with the stored records.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { AuditEntry } from '@privacy-kit/core';
import { configureConnection, createAuditAppender } from './audit-append';

interface WriterData {
  readonly filename: string;
  readonly key: Uint8Array;
  readonly busyTimeoutMs: number;
}

const data = workerData as WriterData;
const db = new Database(data.filename, { timeout: data.busyTimeoutMs });
configureConnection(db);
const append = createAuditAppender(db, Buffer.from(data.key));

// Batches that arrive while a commit is running are merged into the next transaction: one fsync for all of them.
let queue: { readonly id: number; readonly entries: readonly AuditEntry[] }[] = [];

function commitQueued(): void {
  const batches = queue;
  queue = [];
  try {
    const records = append(batches.flatMap((b) => b.entries));
    let offset = 0;
    for (const batch of batches) {
      parentPort?.postMessage({ id: batch.id, records: records.slice(offset, offset + batch.entries.length) });
      offset += batch.entries.length;
    }
  } catch (error) {
    for (const batch of batches) parentPort?.postMessage({ id: batch.id, error: (error as Error)?.message ?? 'unknown error' });
  }
}

parentPort?.on('message', (message: { readonly id: number; readonly entries: readonly AuditEntry[] }) => {
  queue.push(message);
  if (queue.length === 1) setImmediate(commitQueued);
});
