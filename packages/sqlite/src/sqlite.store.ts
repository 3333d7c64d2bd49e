import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import {
  PrivacyKitError,
  isPrivacyKitError,
  isoTime,
  keyBytes,
  type AuditCheckpoint,
  type AuditCheckpointOptions,
  type AuditEntry,
  type AuditQuery,
  type AuditRecord,
  type AuditVerifyOptions,
  type AuditVerifyReport,
  type ConsentChange,
  type ConsentEvent,
  type ConsentEventInput,
  type ConsentState,
  type PrivacyStore,
  type RightsRequest,
  type RightsRequestInput,
  type RightsRequestPatch,
  type RightsRequestStatus,
} from '@privacy-kit/core';
import {
  AUDIT_HEAD_COLUMNS,
  AuditCheckpointer,
  auditHeadColumns,
  auditHeadFromRow,
  chainAuditBatch,
  createAuditCheckpoint,
  deriveConsentStates,
  resolveAuditCheckpointOptions,
  validateConsentEvent,
  validateConsentEvents,
  verifyAuditRows,
  type AuditChainBatch,
  type AuditHeadRow,
  auditRecordFromRow,
  consentEventFromRow,
  rightsRequestFromRow,
  type AuditRow,
  type ConsentRow,
  type RightsRow,
} from '@privacy-kit/core/store';
import { MIGRATIONS } from './schema';

const PACKAGE = '@privacy-kit/sqlite';

/** How long an outcome record may wait to share a commit with the next access record, in ms. */
export const OUTCOME_COMMIT_DELAY_MS = 5;

/** The default database file, relative to the working directory. */
export const DEFAULT_SQLITE_FILENAME = 'privacy-kit.db';

/** How long an operation waits for another connection's lock on the file by default, in ms. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * How often a watched store looks for consent changes that other processes committed to the file, in ms: a
 * withdrawal through one process reaches every other within this (plus the time to read the new events).
 */
export const CONSENT_POLL_MS = 25;

/** Backoff between tries while another connection holds the file's write lock, in ms. */
const FIRST_BUSY_RETRY_MS = 1;
const MAX_BUSY_RETRY_MS = 50;

/** Whether SQLite refused because another connection holds a lock (SQLITE_BUSY and its extended codes). */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

type ConsentInsert = Omit<ConsentRow, 'seq'>;
type PendingAudit = { readonly entry: AuditEntry; readonly resolve: (r: AuditRecord) => void; readonly reject: (e: unknown) => void };

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file; ':memory:' for a throwaway store. Default {@link DEFAULT_SQLITE_FILENAME}. */
  readonly filename?: string;
  /** Keys the audit chain: at least 32 bytes, kept secret and stable (see `deriveKey` in @privacy-kit/core). */
  readonly auditKey: string | Buffer;
  /**
   * How long an operation waits for another process's lock on the file, in ms. Default 5000. The wait never
   * blocks the event loop: a locked operation is tried again on a timer, so requests that do not touch the store
   * go on meanwhile; after this long it rejects with `PK_STORE_UNAVAILABLE`.
   */
  readonly busyTimeoutMs?: number;
  /**
   * Publish signed checkpoints of the audit log outside the database (an append-only file on another path, a
   * hook), so that `privacy-kit audit verify --checkpoint` can tell when the log was cut short. See
   * {@link AuditCheckpointOptions}.
   */
  readonly checkpoints?: AuditCheckpointOptions;
}


/**
 * The embedded default store: one SQLite file in WAL mode with `synchronous=FULL`, so a record is on disk when
 * the call resolves. Consents are an append-only event log; the audit log is a keyed HMAC chain with a signed
 * head; several processes may share the file (writes take an immediate lock; a lock held by another process is
 * waited for on a timer, never by blocking the event loop; consent changes of other processes reach
 * {@link SqliteStore.watchConsents} within {@link CONSENT_POLL_MS} ms).
 *
 * Create it with {@link createSqliteStore}.
 */
export class SqliteStore implements PrivacyStore {
  /** The underlying connection; for tests and tools that need raw access. */
  readonly db: Database.Database;
  private readonly key: Buffer;
  private closed = false;
  private readonly appendTx: Database.Transaction<(entries: readonly AuditEntry[]) => AuditChainBatch>;
  private readonly consentTx: Database.Transaction<(rows: readonly ConsentInsert[], entry: AuditEntry) => { readonly change: ConsentChange; readonly batch: AuditChainBatch }>;
  private readonly insertConsent: Database.Statement;
  private readonly busyTimeoutMs: number;
  /** The file as opened: when the path no longer names it, writes would vanish with the unlinked file. */
  private readonly file: { readonly path: string; readonly dev: number; readonly ino: number } | undefined;
  private replaced = false;
  private readonly checkpointer: AuditCheckpointer | undefined;
  /** Entries waiting for the next group commit. */
  private pending: PendingAudit[] = [];
  private immediate: NodeJS.Immediate | undefined;
  private delayed: NodeJS.Timeout | undefined;
  /** Settles when a batch that found the file locked is committed or given up; undefined when none waits. */
  private auditRetry: Promise<void> | undefined;
  private readonly watchers = new Set<(subject: string) => void>();
  private poll: NodeJS.Timeout | undefined;
  private seenVersion = 0;
  private seenConsentSeq = 0;

  constructor(options: SqliteStoreOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new PrivacyKitError('PK_INVALID_OPTION', `${PACKAGE}: createSqliteStore() needs options: { filename, auditKey }.`);
    }
    this.key = keyBytes(options.auditKey, 'auditKey');
    const filename = options.filename ?? DEFAULT_SQLITE_FILENAME;
    if (typeof filename !== 'string' || filename === '') {
      throw new PrivacyKitError('PK_INVALID_OPTION', `${PACKAGE}: 'filename' must be a path or ':memory:'; got ${JSON.stringify(filename)}.`);
    }
    const inMemory = filename === ':memory:';
    const checkpoints = options.checkpoints === undefined
      ? undefined
      : resolveAuditCheckpointOptions(options.checkpoints, PACKAGE, inMemory ? [] : [filename]);
    const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
      throw new PrivacyKitError('PK_INVALID_OPTION', `${PACKAGE}: 'busyTimeoutMs' must be a whole number of ms ≥ 0 (default ${DEFAULT_BUSY_TIMEOUT_MS}); got ${JSON.stringify(busyTimeoutMs)}.`);
    }
    this.busyTimeoutMs = busyTimeoutMs;
    try {
      // Opening and migrating may wait for the lock synchronously: nothing is served yet.
      this.db = new Database(filename, { timeout: busyTimeoutMs });
    } catch (cause) {
      throw new PrivacyKitError('PK_STORE_UNAVAILABLE', `${PACKAGE}: cannot open the database file '${filename}'. Check that its folder exists and is writable.`, { cause });
    }
    this.db.pragma('journal_mode = WAL');
    // FULL makes each commit durable in WAL mode: an audit record is on disk before the handler runs.
    this.db.pragma('synchronous = FULL');
    this.migrate();
    if (!inMemory) {
      const path = resolve(filename);
      const stat = statSync(path);
      this.file = { path, dev: stat.dev, ino: stat.ino };
    }
    this.checkpointer = checkpoints === undefined ? undefined : new AuditCheckpointer(this.key, checkpoints, PACKAGE);
    // From here on SQLite never waits for a lock itself: its busy wait would block the event loop, so every
    // request of the process (not only those that touch the store) would stop. run() waits on a timer instead.
    this.db.pragma('busy_timeout = 0');
    // Positional parameters: binding them is cheaper than named ones on this hot path.
    const insert = this.db.prepare(
      `INSERT INTO audit_log (seq, event, time, request_id, app_id, actor, subject, method, route, purposes, basis, categories,
         decision, reason, status, duration_ms, details, prev_mac, mac)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const readHead = this.db.prepare('SELECT seq, mac, count FROM audit_head WHERE id = 1');
    const writeHead = this.db.prepare(
      `INSERT INTO audit_head (id, ${AUDIT_HEAD_COLUMNS.join(', ')}) VALUES (1, ${AUDIT_HEAD_COLUMNS.map(() => '?').join(', ')})
       ON CONFLICT (id) DO UPDATE SET ${AUDIT_HEAD_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    );
    this.appendTx = this.db.transaction((entries: readonly AuditEntry[]): AuditChainBatch => {
      const head = readHead.get() as { seq: number; mac: string; count: number | null } | undefined;
      const batch = chainAuditBatch(this.key, head === undefined ? undefined : { seq: head.seq, mac: head.mac, count: head.count ?? undefined }, entries);
      for (const r of batch.records) {
        insert.run(
          r.seq, r.event, r.time, r.requestId, r.appId, r.actor, r.subject, r.method, r.route,
          JSON.stringify(r.purposes), r.basis, JSON.stringify(r.categories), r.decision, r.reason,
          r.status, r.durationMs, r.details === undefined ? null : JSON.stringify(r.details), r.prevMac, r.mac,
        );
      }
      writeHead.run(...auditHeadColumns(batch.head));
      return batch;
    });
    this.insertConsent = this.db.prepare(
      'INSERT INTO consent_events (id, subject, purpose, action, policy_version, method, expires_at, time) VALUES (@id, @subject, @purpose, @action, @policy_version, @method, @expires_at, @time)',
    );
    // The consent events and their audit record commit together or not at all (appendTx nests as a savepoint).
    this.consentTx = this.db.transaction((rows: readonly ConsentInsert[], entry: AuditEntry) => {
      const events = rows.map((row) => consentEventFromRow({ ...row, seq: Number(this.insertConsent.run(row).lastInsertRowid) }));
      const batch = this.appendTx([entry]);
      return { change: { events, record: batch.records[0] as AuditRecord }, batch };
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
      throw new PrivacyKitError(
        'PK_STORE_UNAVAILABLE',
        `${PACKAGE}: ${operation}: the database file ${this.file.path} was deleted or replaced while the store had it open; ` +
          'nothing written now would be kept. Restart the app so the store opens the file again, and find out who removed it (check the audit log with privacy-kit audit verify).',
      );
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
      let delay = FIRST_BUSY_RETRY_MS;
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
          reject(new PrivacyKitError(
            'PK_STORE_UNAVAILABLE',
            `${PACKAGE}: ${operation} failed: another connection kept the database file locked for more than ${this.busyTimeoutMs} ms (busyTimeoutMs); nothing was done. Look for a long transaction in another process.`,
          ));
          return;
        }
        setTimeout(attempt, Math.min(delay, this.busyTimeoutMs - waited));
        delay = Math.min(delay * 2, MAX_BUSY_RETRY_MS);
      };
      setTimeout(attempt, delay);
    });
  }

  ping(): Promise<void> {
    return this.run('ping', () => {
      this.db.prepare('SELECT 1').get();
    });
  }

  /** Commits what is queued, closes the file, then publishes a last checkpoint (when `checkpoints` is set). */
  close(): Promise<void> {
    this.flushAudit();
    if (!this.closed) {
      this.closed = true;
      this.stopPolling();
      this.watchers.clear();
      this.db.close();
    }
    // Entries still waiting behind a locked batch can no longer be written.
    const left = this.pending;
    this.pending = [];
    for (const p of left) p.reject(storeClosed('appendAudit'));
    return this.checkpointer?.close() ?? Promise.resolve();
  }

  recordConsent(event: ConsentEventInput): Promise<ConsentEvent> {
    return this.run('recordConsent', () => {
      validateConsentEvent(event, PACKAGE);
      const row = consentInsert(event);
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
    // A batch waiting for another process's lock goes first; this change follows it.
    if (this.auditRetry !== undefined) return this.auditRetry.then(() => this.recordConsentChange(events, audit));
    this.flushAudit();
    return this.run('recordConsentChange', () => {
      validateConsentEvents(events, PACKAGE);
      const { change, batch } = this.consentTx.immediate(events.map(consentInsert), audit);
      this.checkpointer?.committed(batch.head);
      this.announce(change.events);
      return change;
    });
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
      throw new PrivacyKitError('PK_INVALID_OPTION', `${PACKAGE}: watchConsents() needs a function (subject) => void; got ${typeof listener}.`);
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
    return this.run('consentHistory', () =>
      (this.db.prepare('SELECT * FROM consent_events WHERE subject = ? ORDER BY seq').all(subject) as ConsentRow[]).map(consentEventFromRow));
  }

  async currentConsents(subject: string, at?: Date): Promise<readonly ConsentState[]> {
    return deriveConsentStates(await this.consentHistory(subject), at);
  }

  /**
   * Appends an entry. Entries appended in the same turn of the event loop are committed together in one
   * transaction (group commit): one fsync for the batch, and every promise resolves only after that commit.
   * An `outcome` record (written after the response went out, so nobody waits for it) may wait up to
   * {@link OUTCOME_COMMIT_DELAY_MS} to share the next batch's fsync.
   */
  appendAudit(entry: AuditEntry): Promise<AuditRecord> {
    if (this.closed) return this.run('appendAudit', () => undefined as never);
    return new Promise<AuditRecord>((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
      if (entry.event !== 'outcome') {
        this.immediate ??= setImmediate(() => this.flushAudit());
      } else if (this.immediate === undefined) {
        this.delayed ??= setTimeout(() => this.flushAudit(), OUTCOME_COMMIT_DELAY_MS);
      }
    });
  }

  private flushAudit(): void {
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    if (this.delayed !== undefined) clearTimeout(this.delayed);
    this.immediate = undefined;
    this.delayed = undefined;
    // While a batch waits for another process's lock, new entries wait too and join it on its next try.
    if (this.auditRetry !== undefined || this.closed) return;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    let committed: AuditChainBatch;
    try {
      this.checkFile('appendAudit');
      committed = this.appendTx.immediate(batch.map((b) => b.entry));
    } catch (cause) {
      if (isBusy(cause)) {
        this.retryAudit(batch);
      } else {
        const error = isPrivacyKitError(cause) ? cause : storeFailure('appendAudit', cause);
        for (const b of batch) b.reject(error);
      }
      return;
    }
    this.settleAudit(batch, committed);
  }

  /** Resolves each waiting append with its record and tells the checkpointer about the new head. */
  private settleAudit(batch: readonly PendingAudit[], committed: AuditChainBatch): void {
    const { records } = committed;
    for (let i = 0; i < batch.length; i++) (batch[i] as PendingAudit).resolve(records[i] as AuditRecord);
    this.checkpointer?.committed(committed.head);
  }

  /** Commits a batch that found the file locked once the lock is gone, taking along what was appended meanwhile. */
  private retryAudit(batch: PendingAudit[]): void {
    let joined = batch;
    this.auditRetry = this.whenUnlocked('appendAudit', () => {
      if (this.pending.length > 0) {
        joined = joined.concat(this.pending);
        this.pending = [];
      }
      this.checkFile('appendAudit');
      return this.appendTx.immediate(joined.map((b) => b.entry));
    }).then(
      (committed) => this.settleAudit(joined, committed),
      (error: unknown) => joined.forEach((b) => b.reject(error)),
    ).finally(() => {
      this.auditRetry = undefined;
      if (this.pending.length > 0) this.flushAudit();
    });
  }

  readAudit(query: AuditQuery = {}): Promise<readonly AuditRecord[]> {
    return this.run('readAudit', () => {
      const where: string[] = [];
      const params: Record<string, unknown> = {};
      if (query.subject !== undefined) { where.push('subject = @subject'); params.subject = query.subject; }
      if (query.actor !== undefined) { where.push('actor = @actor'); params.actor = query.actor; }
      if (query.requestId !== undefined) { where.push('request_id = @requestId'); params.requestId = query.requestId; }
      if (query.event !== undefined) { where.push('event = @event'); params.event = query.event; }
      if (query.afterSeq !== undefined) { where.push('seq > @afterSeq'); params.afterSeq = query.afterSeq; }
      const limit = query.limit === undefined ? '' : ' LIMIT @limit';
      if (query.limit !== undefined) params.limit = query.limit;
      const sql = `SELECT * FROM audit_log${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq${limit}`;
      return (this.db.prepare(sql).all(params) as AuditRow[]).map(auditRecordFromRow);
    });
  }

  /**
   * Checks the whole chain and the signed head, and, given a checkpoint, that the log reaches and agrees with it.
   * For an operator's check of a file, prefer {@link verifySqliteAudit}: it opens the file read-only.
   */
  verifyAudit(options: AuditVerifyOptions = {}): Promise<AuditVerifyReport> {
    return this.run('verifyAudit', () => {
      const read = this.db.transaction(() => ({
        rows: this.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[],
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
      this.db.prepare(
        'INSERT INTO rights_requests (id, kind, subject, status, created_at, updated_at, due_at, steps, error, details) VALUES (@id, @kind, @subject, @status, @created_at, @updated_at, @due_at, @steps, @error, @details)',
      ).run(row);
      return rightsRequestFromRow(row);
    });
  }

  updateRightsRequest(id: string, patch: RightsRequestPatch): Promise<RightsRequest> {
    return this.run('updateRightsRequest', () => this.db.transaction(() => {
      const row = this.db.prepare('SELECT * FROM rights_requests WHERE id = ?').get(id) as RightsRow | undefined;
      if (row === undefined) throw new PrivacyKitError('PK_INVALID_OPTION', `${PACKAGE}: rights request '${id}' not found.`);
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
      const row = this.db.prepare('SELECT * FROM rights_requests WHERE id = ?').get(id) as RightsRow | undefined;
      return row === undefined ? undefined : rightsRequestFromRow(row);
    });
  }

  listRightsRequests(filter: { readonly subject?: string; readonly status?: readonly RightsRequestStatus[]; readonly dueBefore?: string } = {}): Promise<readonly RightsRequest[]> {
    return this.run('listRightsRequests', () => {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.subject !== undefined) { where.push('subject = ?'); params.push(filter.subject); }
      if (filter.status !== undefined && filter.status.length > 0) { where.push(`status IN (${filter.status.map(() => '?').join(', ')})`); params.push(...filter.status); }
      const rows = (this.db.prepare(`SELECT * FROM rights_requests${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id`).all(...params) as RightsRow[]).map(rightsRequestFromRow);
      // Due dates carry offsets, so compare instants rather than strings.
      return filter.dueBefore === undefined ? rows : rows.filter((r) => Date.parse(r.dueAt) < Date.parse(filter.dueBefore as string));
    });
  }
}

/** The row of a new consent event. */
function consentInsert(event: ConsentEventInput): ConsentInsert {
  return {
    id: randomUUID(),
    subject: event.subject,
    purpose: event.purpose,
    action: event.action,
    policy_version: event.policyVersion,
    method: event.method,
    expires_at: event.expiresAt ?? null,
    time: event.time ?? isoTime(),
  };
}

function storeClosed(operation: string): PrivacyKitError {
  return new PrivacyKitError('PK_STORE_CLOSED', `${PACKAGE}: ${operation}: the store was closed. Create a new store.`);
}

/** A driver failure as a store error; its message names the operation and SQLite's reason, never the data. */
function storeFailure(operation: string, cause: unknown): PrivacyKitError {
  if (isPrivacyKitError(cause)) return cause;
  return new PrivacyKitError('PK_STORE_UNAVAILABLE', `${PACKAGE}: ${operation} failed: ${(cause as Error)?.message ?? 'unknown error'}.`, { cause });
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
