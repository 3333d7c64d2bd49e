import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import {
  PrivacyKitError,
  auditEntryOf,
  auditHeadMac,
  auditMac,
  deriveConsentStates,
  isPrivacyKitError,
  isoTime,
  keyBytes,
  validateConsentEvent,
  verifyAuditChain,
  type AuditEntry,
  type AuditHead,
  type AuditQuery,
  type AuditRecord,
  type AuditVerifyReport,
  type ConsentEvent,
  type ConsentEventInput,
  type ConsentState,
  type PrivacyStore,
  type RightsRequest,
  type RightsRequestInput,
  type RightsRequestPatch,
  type RightsRequestStatus,
  auditRecordFromRow,
  consentEventFromRow,
  rightsRequestFromRow,
  type AuditRow,
  type ConsentRow,
  type RightsRow,
} from '@privacy-kit/core';
import { MIGRATIONS } from './schema';

const PACKAGE = '@privacy-kit/sqlite';

/** How long an outcome record may wait to share a commit with the next access record, in ms. */
export const OUTCOME_COMMIT_DELAY_MS = 5;

/** The default database file, relative to the working directory. */
export const DEFAULT_SQLITE_FILENAME = 'privacy-kit.db';

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file; ':memory:' for a throwaway store. Default {@link DEFAULT_SQLITE_FILENAME}. */
  readonly filename?: string;
  /** Keys the audit chain: at least 32 bytes, kept secret and stable (see `deriveKey` in @privacy-kit/core). */
  readonly auditKey: string | Buffer;
  /** How long a writer waits for another process's lock, in ms. Default 5000. */
  readonly busyTimeoutMs?: number;
}


/**
 * The embedded default store: one SQLite file in WAL mode with `synchronous=FULL`, so a record is on disk when
 * the call resolves. Consents are an append-only event log; the audit log is a keyed HMAC chain with a signed
 * head; several processes may share the file (writes take an immediate lock).
 *
 * Create it with {@link createSqliteStore}.
 */
export class SqliteStore implements PrivacyStore {
  /** The underlying connection; for tests and tools that need raw access. */
  readonly db: Database.Database;
  private readonly key: Buffer;
  private closed = false;
  private readonly appendTx: Database.Transaction<(entries: readonly AuditEntry[]) => AuditRecord[]>;
  /** Entries waiting for the next group commit. */
  private pending: { readonly entry: AuditEntry; readonly resolve: (r: AuditRecord) => void; readonly reject: (e: unknown) => void }[] = [];
  private immediate: NodeJS.Immediate | undefined;
  private delayed: NodeJS.Timeout | undefined;

  constructor(options: SqliteStoreOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new PrivacyKitError('PK_INVALID_OPTION', `${PACKAGE}: createSqliteStore() needs options: { filename, auditKey }.`);
    }
    this.key = keyBytes(options.auditKey, 'auditKey');
    const filename = options.filename ?? DEFAULT_SQLITE_FILENAME;
    if (typeof filename !== 'string' || filename === '') {
      throw new PrivacyKitError('PK_INVALID_OPTION', `${PACKAGE}: 'filename' must be a path or ':memory:'; got ${JSON.stringify(filename)}.`);
    }
    try {
      this.db = new Database(filename, { timeout: options.busyTimeoutMs ?? 5000 });
    } catch (cause) {
      throw new PrivacyKitError('PK_STORE_UNAVAILABLE', `${PACKAGE}: cannot open the database file '${filename}'. Check that its folder exists and is writable.`, { cause });
    }
    this.db.pragma('journal_mode = WAL');
    // FULL makes each commit durable in WAL mode: an audit record is on disk before the handler runs.
    this.db.pragma('synchronous = FULL');
    this.migrate();
    // Positional parameters: binding them is cheaper than named ones on this hot path.
    const insert = this.db.prepare(
      `INSERT INTO audit_log (seq, event, time, request_id, app_id, actor, subject, method, route, purposes, basis, categories,
         decision, reason, status, duration_ms, details, prev_mac, mac)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const readHead = this.db.prepare('SELECT seq, mac FROM audit_head WHERE id = 1');
    const writeHead = this.db.prepare(
      'INSERT INTO audit_head (id, seq, mac, head_mac) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, mac = excluded.mac, head_mac = excluded.head_mac',
    );
    this.appendTx = this.db.transaction((entries: readonly AuditEntry[]): AuditRecord[] => {
      const head = readHead.get() as { seq: number; mac: string } | undefined;
      let seq = head?.seq ?? 0;
      let prevMac = head?.mac ?? '';
      const records = entries.map((entry) => {
        const clean = auditEntryOf(entry);
        seq += 1;
        const mac = auditMac(this.key, clean, prevMac);
        insert.run(
          seq, clean.event, clean.time, clean.requestId, clean.appId, clean.actor, clean.subject, clean.method, clean.route,
          JSON.stringify(clean.purposes), clean.basis, JSON.stringify(clean.categories), clean.decision, clean.reason,
          clean.status, clean.durationMs, clean.details === undefined ? null : JSON.stringify(clean.details), prevMac, mac,
        );
        const record: AuditRecord = { ...clean, seq, prevMac, mac };
        prevMac = mac;
        return record;
      });
      writeHead.run(seq, prevMac, auditHeadMac(this.key, seq, prevMac));
      return records;
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

  /** Runs a store operation, turning driver failures into store errors that never echo data. */
  private run<T>(operation: string, fn: () => T): Promise<T> {
    if (this.closed) {
      return Promise.reject(new PrivacyKitError('PK_STORE_CLOSED', `${PACKAGE}: ${operation}: the store was closed. Create a new store.`));
    }
    try {
      return Promise.resolve(fn());
    } catch (cause) {
      if (isPrivacyKitError(cause)) return Promise.reject(cause);
      return Promise.reject(new PrivacyKitError('PK_STORE_UNAVAILABLE', `${PACKAGE}: ${operation} failed: ${(cause as Error)?.message ?? 'unknown error'}.`, { cause }));
    }
  }

  ping(): Promise<void> {
    return this.run('ping', () => {
      this.db.prepare('SELECT 1').get();
    });
  }

  close(): Promise<void> {
    this.flushAudit();
    if (!this.closed) {
      this.closed = true;
      this.db.close();
    }
    return Promise.resolve();
  }

  recordConsent(event: ConsentEventInput): Promise<ConsentEvent> {
    return this.run('recordConsent', () => {
      validateConsentEvent(event, PACKAGE);
      const row = {
        id: randomUUID(),
        subject: event.subject,
        purpose: event.purpose,
        action: event.action,
        policy_version: event.policyVersion,
        method: event.method,
        expires_at: event.expiresAt ?? null,
        time: event.time ?? isoTime(),
      };
      const info = this.db.prepare(
        'INSERT INTO consent_events (id, subject, purpose, action, policy_version, method, expires_at, time) VALUES (@id, @subject, @purpose, @action, @policy_version, @method, @expires_at, @time)',
      ).run(row);
      return consentEventFromRow({ ...row, seq: Number(info.lastInsertRowid) });
    });
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
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.run('appendAudit', () => this.appendTx.immediate(batch.map((b) => b.entry))).then(
      (records) => batch.forEach((b, i) => b.resolve(records[i] as AuditRecord)),
      (error: unknown) => batch.forEach((b) => b.reject(error)),
    );
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

  verifyAudit(): Promise<AuditVerifyReport> {
    return this.run('verifyAudit', () => {
      const read = this.db.transaction(() => ({
        rows: this.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[],
        head: this.db.prepare('SELECT seq, mac, head_mac FROM audit_head WHERE id = 1').get() as { seq: number; mac: string; head_mac: string } | undefined,
      }));
      const { rows, head } = read();
      const checkpoint: AuditHead | undefined = head === undefined ? undefined : { seq: head.seq, mac: head.mac, headMac: head.head_mac };
      return verifyAuditChain(rows.map(auditRecordFromRow), checkpoint, this.key);
    });
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
