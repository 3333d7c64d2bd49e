import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import {
  isoTime,
  type AuditCheckpoint,
  type AuditEntry,
  type AuditQuery,
  type AuditRecord,
  type AuditVerifyOptions,
  type AuditVerifyReport,
  type ConsentChange,
  type ConsentEvent,
  type ConsentEventInput,
  type ConsentState,
  type DataKeyListQuery,
  type DataKeyStore,
  type IncidentEvent,
  type IncidentEventInput,
  type IncidentStore,
  type PrivacyKitError,
  type PrivacyStore,
  type RightsRequest,
  type RightsRequestFilter,
  type RightsRequestInput,
  type RightsRequestPatch,
  type WrappedDataKey,
} from '@privacy-kit/core';
import {
  AUDIT_COLUMN_LIST,
  AuditCheckpointer,
  AuditWriter,
  CONSENT_COLUMNS,
  CONSENT_INSERT_COLUMNS,
  RIGHTS_COLUMNS,
  auditHeadFromRow,
  auditQuerySql,
  auditRecordFromRow,
  consentEventFromRow,
  createAuditCheckpoint,
  deriveConsentStates,
  dueBefore,
  newConsentRow,
  rightsRequestFromRow,
  rightsRequestsQuerySql,
  validateConsentEvent,
  validateAuditQuery,
  validateConsentEvents,
  verifyAuditRows,
  type AuditBatchAttempt,
  type AuditBatchFailure,
  type AuditHeadRow,
  type AuditRow,
  type ConsentRow,
  type RightsRow,
} from '@privacy-kit/core/store';
import { AuditThread } from './audit-log/audit-thread';
import type { AuditThreadFailure } from './audit-log/audit-protocol';
import { prepareAuditTransactions, recordsOf, type AppendedBatch, type AuditTransactions } from './audit-log/audit-transactions';
import { indexedSeqsOf, subjectIndexFile } from './audit-log/subject-index';
import { MIGRATIONS } from './schema';
import { SqliteDataKeys } from './sqlite-data-keys';
import { SqliteIncidents } from './sqlite-incidents';
import { SQLITE_INSTANT } from './sqlite-instant';
import { PACKAGE, busyRetryDelay, isBusy, lockedTooLong, sqliteError, storeClosed, storeFailure } from './sqlite-errors';
import { WAL_AUTOCHECKPOINT_PAGES, WAL_SIZE_LIMIT_BYTES, resolveSqliteStoreOptions, type SqliteDurability, type SqliteStoreOptions } from './sqlite-store.options';

/** How long an outcome record may wait to share a commit with the next access record, in ms. */
export const OUTCOME_COMMIT_DELAY_MS = 5;

/**
 * How often a watched store looks for consent changes that other processes committed to the file, in ms: a
 * withdrawal through one process reaches every other within this (plus the time to read the new events).
 */
export const CONSENT_POLL_MS = 25;

/** SQLite's parameter placeholder. */
const QUESTION_MARK = (): string => '?';

/**
 * The embedded default store: one SQLite file in WAL mode. Consents are an append-only event log; the audit log is
 * a keyed HMAC chain with a signed head. An append resolves once its batch is committed; what a committed record
 * survives is the `durability` option. By default (`'process-crash'`) a commit is written to the WAL file and handed
 * to the OS, without fsync, on the store's connection (group commit: the appends of one event-loop turn share one
 * transaction). With `durability: 'power-loss'` every commit is fsynced, on a writer thread with its own connection,
 * so that the fsync never runs on the event loop. Several processes may share the file (writes take
 * an immediate lock; a lock held by another process is waited for by the writer thread or on a timer, never by
 * blocking the event loop; consent changes of other processes reach {@link SqliteStore.watchConsents} within
 * {@link CONSENT_POLL_MS} ms). An in-memory store (`':memory:'`) commits on its own connection.
 *
 * Create it with {@link createSqliteStore}.
 */
export class SqliteStore implements PrivacyStore, DataKeyStore, IncidentStore {
  /** The underlying connection; for tests and tools that need raw access. */
  readonly db: Database.Database;
  /** The database is in memory (`filename: ':memory:'`): everything in it goes when the process ends. */
  readonly ephemeral: boolean;
  /** What a committed record survives (see {@link SqliteStoreOptions.durability}). */
  readonly durability: SqliteDurability;
  private readonly key: Buffer;
  private closed = false;
  private closing: Promise<void> | undefined;
  /**
   * The audit transactions on this connection (in memory, and a file in the default durability), or undefined in
   * the power-loss mode, where the thread commits them (see {@link committer}).
   */
  private readonly inline: AuditTransactions | undefined;
  /** The store's thread (a file): it keeps the subject index, and commits audit records in the power-loss mode. */
  private readonly thread: AuditThread | undefined;
  private readonly insertConsent: Database.Statement;
  /** A subject's consent events: read on every consent-cache miss, so prepared once (a statement holds native memory until collected). */
  private readonly consentsOf: Database.Statement;
  private readonly busyTimeoutMs: number;
  /** The file as opened: when the path no longer names it, writes would vanish with the unlinked file. */
  private readonly file: { readonly path: string; readonly dev: number; readonly ino: number } | undefined;
  private replaced = false;
  private readonly checkpointer: AuditCheckpointer | undefined;
  /** Group commit of audit appends (core's one write path). */
  private readonly writer: AuditWriter;
  private readonly watchers = new Set<(subject: string) => void>();
  private poll: NodeJS.Timeout | undefined;
  private seenVersion = 0;
  private seenConsentSeq = 0;
  /** The last consent change sent to the writer thread, settled or not (close() waits for it). */
  private consentChanges: Promise<void> = Promise.resolve();
  /** The wrapped data keys, on this connection. */
  private readonly dataKeys: SqliteDataKeys;
  /** The incident register, on this connection. */
  private readonly incidents: SqliteIncidents;

  constructor(options: SqliteStoreOptions) {
    const { filename, inMemory, auditKey, busyTimeoutMs, checkpoints, durability, cacheSizeKiB } = resolveSqliteStoreOptions(options);
    this.key = auditKey;
    this.durability = durability;
    const synchronous = durability === 'power-loss' ? 'FULL' : 'NORMAL';
    this.busyTimeoutMs = busyTimeoutMs;
    try {
      // Opening and migrating may wait for the lock synchronously: nothing is served yet.
      this.db = new Database(filename, { timeout: busyTimeoutMs });
    } catch (cause) {
      throw sqliteError('PK_STORE_UNAVAILABLE', `cannot open the database file '${filename}'. Check that its folder exists and is writable.`, { cause });
    }
    try {
      this.db.pragma('journal_mode = WAL');
      // In WAL mode, NORMAL writes each commit to the WAL file (it survives the process) and FULL also fsyncs it (it
      // survives a power loss).
      this.db.pragma(`synchronous = ${synchronous}`);
      this.db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
      this.db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
      this.db.pragma(`cache_size = -${cacheSizeKiB}`);
      // Deleted content is overwritten with zeros, so a destroyed data key (or a rights request's dropped details)
      // does not stay readable in a free page or a free block of its page. Only this connection deletes anything.
      this.db.pragma('secure_delete = ON');
      this.migrate();
    } catch (cause) {
      this.db.close();
      throw storeFailure(`opening the database file '${filename}'`, cause);
    }
    this.ephemeral = this.db.memory;
    if (!inMemory) {
      const path = resolve(filename);
      const stat = statSync(path);
      this.file = { path, dev: stat.dev, ino: stat.ino };
    }
    this.checkpointer = checkpoints === undefined ? undefined : new AuditCheckpointer(this.key, checkpoints, PACKAGE);
    // From here on SQLite never waits for a lock itself: its busy wait would block the event loop, so every
    // request of the process (not only those that touch the store) would stop. run() and the writer wait on a timer.
    this.db.pragma('busy_timeout = 0');
    this.consentsOf = this.db.prepare(`SELECT ${CONSENT_COLUMNS.join(', ')} FROM consent_events WHERE subject = ? ORDER BY seq`);
    this.insertConsent = this.db.prepare(
      `INSERT INTO consent_events (${CONSENT_INSERT_COLUMNS.join(', ')}) VALUES (${CONSENT_INSERT_COLUMNS.map((c) => `@${c}`).join(', ')})`,
    );
    this.dataKeys = new SqliteDataKeys(this.db, synchronous);
    this.incidents = new SqliteIncidents(this.db, synchronous);
    // A commit that only writes to the WAL (process-crash) is cheaper on the event loop than the round trip to a
    // thread (measured: 0.83x against 0.71x of bare throughput on 2 cores); an fsync (power-loss) is not.
    if (this.file === undefined || durability === 'process-crash') this.inline = prepareAuditTransactions(this.db, this.key);
    // A file's thread also keeps the subject index of the audit log, off the request path.
    if (this.file !== undefined) {
      this.thread = new AuditThread(
        { filename: this.file.path, key: this.key, synchronous, busyTimeoutMs, file: { dev: this.file.dev, ino: this.file.ino }, subjectIndexFile: subjectIndexFile(this.file.path) },
        { committed: (head) => this.checkpointer?.committed(head), failure: (operation, failure) => this.threadFailure(operation, failure) },
        OUTCOME_COMMIT_DELAY_MS,
      );
      this.thread.start();
    }
    this.writer = new AuditWriter({
      commit: (entries) => this.commitAudit(entries),
      onFailure: (error, attempt) => this.auditFailure(error, attempt),
      outcomeDelayMs: OUTCOME_COMMIT_DELAY_MS,
    });
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    MIGRATIONS.slice(current).forEach((sql, i) => {
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.pragma(`user_version = ${current + i + 1}`);
      }).immediate();
    });
  }

  /**
   * Fails closed once the path no longer names the file the store opened (deleted, or replaced by another file):
   * SQLite would go on writing into the unlinked file, and every record would vanish with it. One stat per
   * operation (an append batch is one operation).
   */
  private checkFile(operation: string): void {
    if (this.file === undefined) return;
    const now = this.replaced ? undefined : statSync(this.file.path, { throwIfNoEntry: false });
    if (now === undefined || now.ino !== this.file.ino || now.dev !== this.file.dev) {
      this.replaced = true;
      throw fileReplacedError(operation, this.file.path);
    }
  }

  /**
   * Runs a store operation, turning driver failures into store errors that never echo data. When another
   * connection holds the lock it needs, the operation is tried again on a timer (see {@link whenUnlocked}).
   */
  private run<T>(operation: string, fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(storeClosed(operation));
    try {
      this.checkFile(operation);
      return Promise.resolve(fn());
    } catch (cause) {
      if (isBusy(cause)) return this.whenUnlocked(operation, fn);
      return Promise.reject(storeFailure(operation, cause));
    }
  }

  /**
   * Tries a locked operation again with backoff until it gets through or `busyTimeoutMs` has passed since the
   * first try, then rejects with `PK_STORE_UNAVAILABLE`. Each try is one non-blocking attempt (busy_timeout 0),
   * so the event loop keeps serving meanwhile.
   */
  private whenUnlocked<T>(operation: string, fn: () => T): Promise<T> {
    const started = performance.now();
    return new Promise<T>((resolve, reject) => {
      let tries = 1;
      const attempt = (): void => {
        if (this.closed) {
          reject(storeClosed(operation));
          return;
        }
        try {
          resolve(fn());
          return;
        } catch (cause) {
          if (!isBusy(cause)) {
            reject(storeFailure(operation, cause));
            return;
          }
        }
        const waited = performance.now() - started;
        if (waited >= this.busyTimeoutMs) {
          reject(lockedTooLong(operation, this.busyTimeoutMs));
          return;
        }
        tries++;
        setTimeout(attempt, busyRetryDelay(tries, this.busyTimeoutMs - waited));
      };
      setTimeout(attempt, busyRetryDelay(tries, this.busyTimeoutMs));
    });
  }

  /** The in-memory store's commit (a file's is the writer thread's): one immediate transaction for the batch. */
  private commitAudit(entries: readonly AuditEntry[]): readonly AuditRecord[] {
    this.checkFile('appendAudit');
    let batch;
    try {
      batch = (this.inline as AuditTransactions).append(entries);
    } catch (cause) {
      // The writer tries a locked batch again on a timer (see auditFailure); anything else becomes a store error.
      throw isBusy(cause) ? cause : storeFailure('appendAudit', cause);
    }
    this.checkpointer?.committed(batch.head);
    return recordsOf(entries, batch);
  }

  /**
   * The store error of a request the writer thread could not commit. The thread already waited `busyTimeoutMs` for
   * a lock; a file deleted or replaced fails every later write too.
   */
  private threadFailure(operation: string, reply: AuditThreadFailure): PrivacyKitError {
    if (reply.replaced === true) {
      this.replaced = true;
      return storeWide(fileReplacedError(operation, this.file?.path ?? ''));
    }
    if (reply.closed === true) return storeWide(storeClosed(operation));
    if (reply.code !== undefined && reply.code.startsWith('SQLITE_BUSY')) return storeWide(lockedTooLong(operation, this.busyTimeoutMs));
    const message = reply.message ?? `failed on the audit writer thread (${reply.code ?? 'no code'})`;
    const cause = reply.badValue === true ? new TypeError(message) : Object.assign(new Error(message), { code: reply.code });
    return storeFailure(operation, cause);
  }

  /**
   * What the writer does with a failed batch: a lock held by another connection is waited for on a timer (with
   * backoff, up to `busyTimeoutMs`), a deleted or replaced file fails the whole batch, and anything else may be
   * one entry's fault, so the writer tries the entries one by one.
   */
  private auditFailure(error: unknown, attempt: AuditBatchAttempt): AuditBatchFailure | undefined {
    if (STORE_WIDE.has(error as object)) return { failAll: error };
    if (isBusy(error)) {
      return attempt.waitedMs >= this.busyTimeoutMs
        ? { failAll: lockedTooLong('appendAudit', this.busyTimeoutMs) }
        : { retryAfterMs: busyRetryDelay(attempt.tries, this.busyTimeoutMs - attempt.waitedMs) };
    }
    if (this.replaced) return { failAll: error };
    return undefined;
  }

  /**
   * How the connection that commits audit records is set up, as SQLite reports it: the writer thread's for a file,
   * the store's own in memory. For tests and diagnostics (e.g. to check the durability mode took effect).
   */
  async auditWriterSettings(): Promise<{ readonly journalMode: string; readonly synchronous: number }> {
    if (this.inline !== undefined) {
      return { journalMode: String(this.db.pragma('journal_mode', { simple: true })), synchronous: Number(this.db.pragma('synchronous', { simple: true })) };
    }
    const reply = await this.committer().request({ kind: 'settings' });
    if (!reply.ok) throw this.threadFailure('auditWriterSettings', reply);
    if (!('settings' in reply)) throw sqliteError('PK_STORE_UNAVAILABLE', 'auditWriterSettings: the audit writer thread gave a reply of another request; this is a bug of the store.');
    return reply.settings;
  }

  /** The thread that commits audit records when this connection does not (a file in the power-loss mode). */
  private committer(): AuditThread {
    if (this.thread === undefined) throw sqliteError('PK_STORE_UNAVAILABLE', 'the store has neither its own audit transactions nor a writer thread; this is a bug of the store.');
    return this.thread;
  }

  ping(): Promise<void> {
    return this.run('ping', () => {
      this.db.prepare('SELECT 1').get();
    });
  }

  /**
   * Commits what was appended before (waiting for a batch in flight), closes the file and the writer thread, then
   * publishes a last checkpoint (when `checkpoints` is set). Calls made after close() fail with `PK_STORE_CLOSED`.
   */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      // A batch waiting for another connection's lock is not written: it fails as closed.
      this.thread?.interrupt();
      this.closing = this.drain().then(async () => {
        // What still waits behind a locked batch can no longer be written.
        this.writer.close(() => storeClosed('appendAudit'));
        this.stopPolling();
        this.watchers.clear();
        // The thread commits what was appended before close() first (requests are answered in order).
        await this.thread?.close();
        this.db.close();
      });
    }
    return (this.closing ?? Promise.resolve()).then(() => this.checkpointer?.close());
  }

  /** Resolves once everything appended so far is committed (or failed). */
  private async drain(): Promise<void> {
    // On the store's connection a commit is synchronous: the writer is only busy while a batch waits for another
    // connection's lock, and close() does not wait for that (the batch fails as closed). The thread's close() sends
    // what is queued first, and its requests are answered in order.
    this.writer.flush();
    await this.consentChanges;
  }

  recordConsent(event: ConsentEventInput): Promise<ConsentEvent> {
    return this.run('recordConsent', () => {
      validateConsentEvent(event, PACKAGE);
      const row = newConsentRow(event);
      const stored = consentEventFromRow({ ...row, seq: Number(this.insertConsent.run(row).lastInsertRowid) });
      this.announce([stored]);
      return stored;
    });
  }

  /**
   * Appends consent events and their audit record in one transaction (both or neither). Audit entries appended
   * before this call are committed first, so the record follows them in the chain.
   */
  recordConsentChange(events: readonly ConsentEventInput[], audit: AuditEntry): Promise<ConsentChange> {
    if (this.closed) return Promise.reject(storeClosed('recordConsentChange'));
    // A batch waiting for another process's lock goes first; this change follows it.
    if (this.writer.busy && this.inline !== undefined) return this.writer.whenIdle().then(() => this.recordConsentChange(events, audit));
    try {
      validateConsentEvents(events, PACKAGE);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.inline !== undefined) this.writer.flush();
    const time = isoTime();
    const rows = events.map((event) => newConsentRow(event, time));
    const committed = (events: readonly ConsentEvent[], appended: AppendedBatch): ConsentChange => {
      this.checkpointer?.committed(appended.head);
      this.announce(events);
      return { events, record: recordsOf([audit], appended)[0] as AuditRecord };
    };
    const inline = this.inline;
    if (inline !== undefined) {
      return this.run('recordConsentChange', () => {
        const change = inline.consentChange(rows, audit);
        return committed(change.events, change.appended);
      });
    }
    // The thread flushes the appends queued before this change and answers in order: its record follows them.
    const done = this.committer().request({ kind: 'consent', rows, entry: audit }).then((reply) => {
      if (!reply.ok) throw this.threadFailure('recordConsentChange', reply);
      if (!('events' in reply)) throw sqliteError('PK_STORE_UNAVAILABLE', 'recordConsentChange: the audit writer thread gave a reply of another request; this is a bug of the store.');
      return committed(reply.events, reply);
    });
    this.consentChanges = done.then(() => undefined, () => undefined);
    return done;
  }

  /**
   * Calls the listener with the subject of every consent change: at once for changes made through this store,
   * and within {@link CONSENT_POLL_MS} ms for changes other processes (or other connections) committed to the
   * same file. While anything listens, the store checks `PRAGMA data_version` (a counter that moves when another
   * connection commits) every {@link CONSENT_POLL_MS} ms on an unref'd timer, and reads only the consent events
   * it has not seen yet.
   *
   * @returns the unsubscribe function
   */
  watchConsents(listener: (subject: string) => void): () => void {
    if (this.closed) throw storeClosed('watchConsents');
    if (typeof listener !== 'function') {
      throw sqliteError('PK_INVALID_OPTION', `watchConsents() needs a function (subject) => void; got ${typeof listener}.`);
    }
    this.watchers.add(listener);
    if (this.poll === undefined) {
      this.seenVersion = this.db.pragma('data_version', { simple: true }) as number;
      this.seenConsentSeq = (this.db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM consent_events').get() as { seq: number }).seq;
      const version = this.db.prepare('PRAGMA data_version').pluck();
      const since = this.db.prepare('SELECT seq, subject FROM consent_events WHERE seq > ? ORDER BY seq');
      this.poll = setInterval(() => this.pollConsents(version, since), CONSENT_POLL_MS);
      this.poll.unref();
    }
    return () => {
      this.watchers.delete(listener);
      if (this.watchers.size === 0) this.stopPolling();
    };
  }

  private pollConsents(version: Database.Statement, since: Database.Statement): void {
    if (this.closed) return;
    let rows: { seq: number; subject: string }[];
    let current: number;
    try {
      current = version.get() as number;
      if (current === this.seenVersion) return;
      rows = since.all(this.seenConsentSeq) as { seq: number; subject: string }[];
    } catch {
      // Locked for a moment (or closing): the next tick looks again, nothing is marked as seen.
      return;
    }
    this.seenVersion = current;
    const last = rows[rows.length - 1];
    if (last === undefined) return;
    this.seenConsentSeq = last.seq;
    this.deliver(new Set(rows.map((r) => r.subject)));
  }

  private stopPolling(): void {
    if (this.poll !== undefined) clearInterval(this.poll);
    this.poll = undefined;
  }

  /** Tells the watchers about events this store wrote. */
  private announce(events: readonly ConsentEvent[]): void {
    if (this.watchers.size > 0) this.deliver(new Set(events.map((e) => e.subject)));
  }

  private deliver(subjects: ReadonlySet<string>): void {
    for (const subject of subjects) {
      for (const listener of [...this.watchers]) {
        try {
          listener(subject);
        } catch {
          // A failing listener must not break the write that triggered it nor the other listeners.
        }
      }
    }
  }

  consentHistory(subject: string): Promise<readonly ConsentEvent[]> {
    return this.run('consentHistory', () => (this.consentsOf.all(subject) as ConsentRow[]).map(consentEventFromRow));
  }

  async currentConsents(subject: string, at?: Date): Promise<readonly ConsentState[]> {
    return deriveConsentStates(await this.consentHistory(subject), at);
  }

  /**
   * Appends an entry; resolves with its record once its batch is committed (what it then survives is
   * {@link SqliteStore.durability}). Entries appended in the same turn of the event loop go to the writer thread
   * together, and the thread commits whatever has arrived in one transaction (group commit). An `outcome` record
   * (written after the response went out, so nobody waits for it) may wait up to {@link OUTCOME_COMMIT_DELAY_MS}
   * to join the next batch. An entry the database refuses fails alone: the others of its batch are committed
   * without it.
   */
  appendAudit(entry: AuditEntry): Promise<AuditRecord> {
    if (this.closed) return Promise.reject(storeClosed('appendAudit'));
    return this.inline === undefined ? this.committer().append(entry) : this.writer.append(entry);
  }

  /**
   * Records in seq order, filtered (see {@link AuditQuery}). A time window (`from`/`to`) is compared as instants
   * (see {@link SQLITE_INSTANT}) over a scan by seq: no index on time is kept, since it would be written on every
   * append. Paging with `afterSeq` and `limit` starts each page where the last one ended (the primary key).
   */
  readAudit(query: AuditQuery = {}): Promise<readonly AuditRecord[]> {
    return this.run('readAudit', () => {
      validateAuditQuery(query, PACKAGE);
      const tail = auditQuerySql(query, QUESTION_MARK, SQLITE_INSTANT);
      const known = query.subject === undefined || this.file === undefined ? undefined : this.indexedSeqs(query.subject);
      if (known === undefined) return (this.db.prepare(`SELECT ${AUDIT_COLUMN_LIST} FROM audit_log${tail.sql}`).all(tail.params) as AuditRow[]).map(auditRecordFromRow);
      // The records the subject index names, and every record after where it has reached (by seq); the query's own
      // filters (the subject among them) still apply to both.
      const sql = `WITH candidates AS (SELECT * FROM audit_log WHERE seq IN (SELECT value FROM json_each(?)) OR seq > ?) SELECT ${AUDIT_COLUMN_LIST} FROM candidates${tail.sql}`;
      return (this.db.prepare(sql).all(JSON.stringify(known.seqs), known.indexedSeq, ...tail.params) as AuditRow[]).map(auditRecordFromRow);
    });
  }

  /** What the subject index knows of a subject, if it can be used for this log (see subject-index.ts). */
  private indexedSeqs(subject: string): { readonly seqs: number[]; readonly indexedSeq: number } | undefined {
    const firstMac = this.db.prepare('SELECT mac FROM audit_log WHERE seq = (SELECT min(seq) FROM audit_log)').pluck().get() as string | undefined;
    const lastSeq = this.db.prepare('SELECT coalesce(max(seq), 0) FROM audit_log').pluck().get() as number;
    return indexedSeqsOf(subjectIndexFile((this.file as { path: string }).path), subject, { firstMac, lastSeq });
  }

  /**
   * Brings the subject index of the audit log up to date now (the writer thread does it every
   * 500 ms anyway: SUBJECT_INDEX_INTERVAL_MS); resolves with how many records it indexed. For tests and tools.
   */
  async indexSubjects(): Promise<number> {
    if (this.thread === undefined) return 0;
    const reply = await this.thread.request({ kind: 'index' });
    if (!reply.ok) throw this.threadFailure('indexSubjects', reply);
    return 'indexed' in reply ? reply.indexed : 0;
  }

  /**
   * Checks the whole chain and the signed head, and, given a checkpoint, that the log reaches and agrees with it.
   * For an operator's check of a file, prefer {@link verifySqliteAudit}: it opens the file read-only.
   */
  verifyAudit(options: AuditVerifyOptions = {}): Promise<AuditVerifyReport> {
    return this.run('verifyAudit', () => {
      const read = this.db.transaction(() => ({
        rows: this.db.prepare(`SELECT ${AUDIT_COLUMN_LIST} FROM audit_log ORDER BY seq`).all() as AuditRow[],
        head: this.db.prepare('SELECT * FROM audit_head WHERE id = 1').get() as AuditHeadRow | undefined,
      }));
      const { rows, head } = read();
      return verifyAuditRows(rows, head, this.key, options);
    });
  }

  /**
   * Signs a checkpoint of the committed head and publishes it where the `checkpoints` option says (if it is set);
   * resolves with it once published, undefined while the log is empty.
   */
  async checkpoint(): Promise<AuditCheckpoint | undefined> {
    const row = await this.run('checkpoint', () => this.db.prepare('SELECT * FROM audit_head WHERE id = 1').get() as AuditHeadRow | undefined);
    if (row === undefined) return undefined;
    const head = auditHeadFromRow(row);
    const state = head.version === 2 ? head : { seq: head.seq, mac: head.mac };
    return this.checkpointer !== undefined ? this.checkpointer.publish(state) : createAuditCheckpoint(this.key, state);
  }

  createRightsRequest(input: RightsRequestInput): Promise<RightsRequest> {
    return this.run('createRightsRequest', () => {
      const now = isoTime();
      const row: RightsRow = {
        id: randomUUID(), kind: input.kind, subject: input.subject, status: 'open', created_at: now, updated_at: now,
        due_at: input.dueAt, steps: '[]', error: null, details: input.details === undefined ? null : JSON.stringify(input.details),
      };
      this.db.prepare(`INSERT INTO rights_requests (${RIGHTS_COLUMNS.join(', ')}) VALUES (${RIGHTS_COLUMNS.map((c) => `@${c}`).join(', ')})`).run(row);
      return rightsRequestFromRow(row);
    });
  }

  updateRightsRequest(id: string, patch: RightsRequestPatch): Promise<RightsRequest> {
    return this.run('updateRightsRequest', () => this.db.transaction(() => {
      const row = this.db.prepare(`SELECT ${RIGHTS_COLUMNS.join(', ')} FROM rights_requests WHERE id = ?`).get(id) as RightsRow | undefined;
      if (row === undefined) throw rightsRequestNotFound(id);
      const next: RightsRow = {
        ...row,
        status: patch.status ?? row.status,
        steps: patch.steps === undefined ? row.steps : JSON.stringify(patch.steps),
        error: patch.error === undefined ? row.error : patch.error,
        details: patch.details === undefined ? row.details : JSON.stringify(patch.details),
        updated_at: isoTime(),
      };
      this.db.prepare('UPDATE rights_requests SET status = @status, steps = @steps, error = @error, details = @details, updated_at = @updated_at WHERE id = @id').run(next);
      return rightsRequestFromRow(next);
    }).immediate());
  }

  getRightsRequest(id: string): Promise<RightsRequest | undefined> {
    return this.run('getRightsRequest', () => {
      const row = this.db.prepare(`SELECT ${RIGHTS_COLUMNS.join(', ')} FROM rights_requests WHERE id = ?`).get(id) as RightsRow | undefined;
      return row === undefined ? undefined : rightsRequestFromRow(row);
    });
  }

  listRightsRequests(filter: RightsRequestFilter = {}): Promise<readonly RightsRequest[]> {
    return this.run('listRightsRequests', () => {
      const tail = rightsRequestsQuerySql(filter, QUESTION_MARK);
      const rows = this.db.prepare(`SELECT ${RIGHTS_COLUMNS.join(', ')} FROM rights_requests${tail.sql}`).all(tail.params) as RightsRow[];
      return dueBefore(rows.map(rightsRequestFromRow), filter.dueBefore);
    });
  }

  /**
   * Adds a wrapped data key and makes it the subject's current key (see `DataKeyStore.addDataKey`). One immediate
   * transaction on the store's connection, committed with synchronous=FULL whatever the durability (a lost data key
   * would leave what it sealed unreadable); the `data_keys_one_current` index refuses a second current key.
   */
  addDataKey(key: Omit<WrappedDataKey, 'current'>, options: { readonly ifNoCurrent?: boolean } = {}): Promise<WrappedDataKey> {
    return this.run('addDataKey', () => this.dataKeys.add(key, options?.ifNoCurrent === true));
  }

  /** The subject's key with this id, current or earlier; undefined when never added or destroyed. */
  dataKey(subject: string, keyId: string): Promise<WrappedDataKey | undefined> {
    return this.run('dataKey', () => this.dataKeys.get(subject, keyId));
  }

  /** The subject's current data key, or undefined. */
  currentDataKey(subject: string): Promise<WrappedDataKey | undefined> {
    return this.run('currentDataKey', () => this.dataKeys.currentOf(subject));
  }

  /**
   * Destroys every data key of the subject (crypto-shredding) and resolves with how many. The rows are DELETEd on a
   * connection with secure_delete (their bytes are zeroed in the pages), and the WAL, which still holds the pages as
   * they were before, is then checkpointed into the file and truncated to zero bytes; while another connection
   * keeps it from that (a reader in another process), it is tried again on a timer for up to `busyTimeoutMs`.
   */
  async destroyDataKeys(subject: string): Promise<number> {
    const destroyed = await this.run('destroyDataKeys', () => this.dataKeys.destroy(subject));
    if (destroyed.walPending) await this.truncateWalSoon();
    return destroyed.count;
  }

  /** Tries to checkpoint and truncate the WAL on a timer until it works or `busyTimeoutMs` has passed. */
  private async truncateWalSoon(): Promise<void> {
    const started = performance.now();
    for (let tries = 1; !this.closed; tries++) {
      const waited = performance.now() - started;
      if (waited >= this.busyTimeoutMs) return;
      await new Promise((resolve) => setTimeout(resolve, busyRetryDelay(tries, this.busyTimeoutMs - waited)));
      if (this.closed) return;
      try {
        if (this.dataKeys.truncateWal()) return;
      } catch {
        // Locked or closing: the keys are already deleted; the next checkpoint of the file writes over the old pages.
        return;
      }
    }
  }

  /**
   * Appends an event to the incident register (see `IncidentStore`): one INSERT on the store's connection,
   * committed with synchronous=FULL; the table refuses UPDATE and DELETE. Resolves with the event and its seq.
   */
  appendIncidentEvent(event: IncidentEventInput): Promise<IncidentEvent> {
    return this.run('appendIncidentEvent', () => this.incidents.append(event));
  }

  /** The register's events in seq order: every incident's, or one incident's. */
  readIncidentEvents(query?: { readonly incidentId?: string }): Promise<readonly IncidentEvent[]> {
    return this.run('readIncidentEvents', () => this.incidents.read(query));
  }

  /** Wrapped data keys in (subject, keyId) order (byte order of the text), filtered: the walk of a KEK rotation. */
  listDataKeys(query: DataKeyListQuery): Promise<readonly WrappedDataKey[]> {
    return this.run('listDataKeys', () => this.dataKeys.list(query));
  }

  /** Replaces a key's wrapping if it is still under `fromKekId` (one UPDATE: compare and set); resolves whether it did. */
  rewrapDataKey(subject: string, keyId: string, fromKekId: string, wrapped: string, kekId: string): Promise<boolean> {
    return this.run('rewrapDataKey', () => this.dataKeys.rewrap(subject, keyId, fromKekId, wrapped, kekId));
  }
}

/** Failures of the writer thread that concern the store, not one entry (the writer fails the whole batch with them). */
const STORE_WIDE = new WeakSet<object>();

function storeWide(error: PrivacyKitError): PrivacyKitError {
  STORE_WIDE.add(error);
  return error;
}

/** The error of a write after the database file was deleted or replaced under the open store. */
function fileReplacedError(operation: string, path: string): PrivacyKitError {
  return sqliteError(
    'PK_STORE_UNAVAILABLE',
    `${operation}: the database file ${path} was deleted or replaced while the store had it open; ` +
      'nothing written now would be kept. Restart the app so the store opens the file again, and find out who removed it (check the audit log with privacy-kit audit verify).',
  );
}

/** The error of an update of a request the store does not have. */
function rightsRequestNotFound(id: string): PrivacyKitError {
  return sqliteError('PK_NOT_FOUND', `rights request '${id}' not found. Check the id (listRightsRequests() lists the stored requests).`);
}

/**
 * Opens (and migrates) the embedded SQLite store.
 *
 * @param options - the file and the audit key
 * @example
 * const store = createSqliteStore({ filename: 'privacy-kit.db', auditKey: deriveKey(process.env.PRIVACY_KIT_SECRET!, 'audit') });
 */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(options);
}
