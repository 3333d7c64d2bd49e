import { createHash, randomUUID } from 'node:crypto';
import { Client, Pool, escapeLiteral, type PoolClient, type QueryResult } from 'pg';
import {
  PrivacyKitError,
  isoTime,
  type AuditCheckpoint,
  type AuditEntry,
  type AuditHeadV2,
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
  auditEntryOf,
  auditHeadColumns,
  auditHeadFromRow,
  chainAuditBatch,
  createAuditCheckpoint,
  deriveConsentStates,
  validateConsentEvent,
  validateConsentEvents,
  verifyAuditRows,
  type AuditHeadRow,
  auditRecordFromRow,
  consentEventFromRow,
  rightsRequestFromRow,
  type AuditRow,
  type ConsentRow,
  type RightsRow,
} from '@privacy-kit/core/store';
import { ConsentWatcher, type ListenConnection } from './consent-watcher';
import { PACKAGE, isConnectionError, storeClosed, storeUnavailable } from './postgres-errors';
import { resolvePostgresStoreOptions, type PostgresStoreOptions } from './postgres-store.options';
import { MIGRATIONS, POSTGRES_SCHEMA_VERSION } from './schema';

/** NOTIFY payloads are limited to 8000 bytes; pseudonyms are far shorter. */
const MAX_SUBJECT_BYTES = 4096;
const APPLICATION_NAME = 'privacy-kit';

interface ChainHead { readonly seq: number; readonly mac: string; readonly count?: number }

// pg returns bigint (int8) columns as strings; the mappers turn seq into a number.
const AUDIT_COLUMNS = 'seq, event, time, request_id, app_id, actor, subject, method, route, purposes, basis, categories, decision, reason, status, duration_ms, details, prev_mac, mac';
const CONSENT_COLUMNS = 'seq, id, subject, purpose, action, policy_version, method, expires_at, time';
const RIGHTS_COLUMNS = 'id, kind, subject, status, created_at, updated_at, due_at, steps, error, details';

/** A stable signed 64-bit advisory lock key for one purpose and schema (computed here, not by the server). */
function lockKey(purpose: string, schema: string): string {
  return createHash('sha256').update(`privacy-kit:${purpose}:${schema}`).digest().readBigInt64BE(0).toString();
}

type SqlType = 'text' | 'bigint' | 'integer' | 'double precision' | 'jsonb';
const AUDIT_INSERT_COLUMNS = 'seq, event, time, request_id, app_id, actor, subject, method, route, purposes, basis, categories, decision, reason, status, duration_ms, details, prev_mac, mac';
/** Types of the audit_log columns in {@link AUDIT_INSERT_COLUMNS} order. */
const AUDIT_TYPES: readonly SqlType[] = [
  'bigint', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'jsonb', 'text', 'jsonb', 'text', 'text', 'integer', 'double precision', 'jsonb', 'text', 'text',
];
/** Types of the audit_head columns in AUDIT_HEAD_COLUMNS order (seq, mac, head_mac, version, count, time, key_id). */
const HEAD_TYPES: readonly SqlType[] = ['bigint', 'text', 'text', 'integer', 'bigint', 'text', 'text'];
/** Moves the head: every column of the row that was inserted. */
const HEAD_UPSERT = `(id, ${AUDIT_HEAD_COLUMNS.join(', ')})`;
const HEAD_UPDATE = `ON CONFLICT (id) DO UPDATE SET ${AUDIT_HEAD_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}`;

/**
 * A value as a typed SQL literal. Appends send their rows inline so that the whole append (lock, checks,
 * inserts, commit) is one simple-protocol round trip; every string goes through pg's escapeLiteral and every
 * value carries an explicit cast, so input can never become SQL (a wrong type fails the statement instead).
 */
function sqlLiteral(value: unknown, type: SqlType): string {
  if (value === null || value === undefined) return `NULL::${type}`;
  if (type === 'jsonb') return `${escapeLiteral(JSON.stringify(value))}::jsonb`;
  if (type !== 'text' && typeof value === 'number' && Number.isFinite(value)) return `(${String(value)})::${type}`;
  return `${escapeLiteral(typeof value === 'string' ? value : String(value))}::${type}`;
}

/** When another instance appended, this many following batches take the lock first instead of trying the one-round-trip append. */
const LOCKED_APPENDS_AFTER_CONFLICT = 16;
/** At most this many appends share one transaction. */
const MAX_APPEND_BATCH = 200;

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
const ignore = (): void => undefined;

/**
 * The PostgreSQL store, for apps that run on several instances. Consents are an append-only event log; the
 * audit log is ONE keyed HMAC chain with a signed head shared by every instance: an append takes a
 * transaction-scoped advisory lock, checks or reads the head, writes the records and the new head, and
 * commits, so appends from any number of processes are serialised into exactly the chain the SQLite store
 * writes and the shared verifier checks (concurrent appends of one instance share a transaction). A consent change is announced with NOTIFY in the writing transaction; every
 * instance's {@link PostgresStore.watchConsents} listeners hear it (LISTEN) within milliseconds.
 *
 * Schema migrations run on start under an advisory lock (safe when several instances start at once). Every
 * operation waits for them; when the server is away, operations reject with `PK_STORE_UNAVAILABLE` (so routes
 * fail closed) and succeed again once it is back, without a restart.
 *
 * Create it with {@link createPostgresStore}.
 */
export class PostgresStore implements PrivacyStore {
  /** The connection pool; for tests and tools that need raw access. */
  readonly pool: Pool;
  /** The schema of the store's tables. */
  readonly schema: string;
  private readonly quotedSchema: string;
  private readonly key: Buffer;
  private readonly ownsPool: boolean;
  private readonly auditLockKey: string;
  private readonly migrationLockKey: string;
  private readonly watcher: ConsentWatcher;
  private readonly channel: string;
  private readonly origin = randomUUID();
  private migrated: Promise<string> | undefined;
  private readonly appendQueue: Array<{ entry: AuditEntry; resolve: (record: AuditRecord) => void; reject: (err: unknown) => void }> = [];
  private flushing = false;
  /** The chain head this instance last wrote or saw (see appendBatch). */
  private knownHead: ChainHead | undefined;
  private lockedAppendsLeft = 0;
  private closed = false;
  private readonly checkpointer: AuditCheckpointer | undefined;

  constructor(options: PostgresStoreOptions) {
    const resolved = resolvePostgresStoreOptions(options);
    this.key = resolved.auditKey;
    this.checkpointer = resolved.checkpoints === undefined ? undefined : new AuditCheckpointer(resolved.auditKey, resolved.checkpoints, PACKAGE);
    this.schema = resolved.schema;
    this.quotedSchema = `"${resolved.schema}"`;
    this.auditLockKey = lockKey('audit', resolved.schema);
    this.migrationLockKey = lockKey('migrate', resolved.schema);
    this.channel = `privacy_kit_consents_${createHash('sha256').update(resolved.schema).digest('hex').slice(0, 16)}`;
    let listenConnect: () => Promise<ListenConnection>;
    if (resolved.pool !== undefined) {
      const pool = resolved.pool;
      this.pool = pool;
      this.ownsPool = false;
      listenConnect = async () => {
        const client = await pool.connect();
        return { client, end: () => client.release(true) };
      };
    } else {
      const config = {
        connectionString: resolved.connectionString,
        connectionTimeoutMillis: resolved.connectionTimeoutMs,
        keepAlive: true,
        application_name: APPLICATION_NAME,
      };
      this.pool = new Pool({ ...config, max: resolved.max, idleTimeoutMillis: 30_000 });
      // pg reports idle connections the server closed (e.g. a restart) here; the pool drops them and the
      // next operation opens a new one, so there is nothing to do but not crash.
      this.pool.on('error', ignore);
      this.ownsPool = true;
      listenConnect = async () => {
        const client = new Client(config);
        client.on('error', ignore);
        await client.connect();
        return { client, end: () => { client.end().catch(ignore); } };
      };
    }
    this.watcher = new ConsentWatcher({
      channel: this.channel,
      origin: this.origin,
      schema: this.quotedSchema,
      ready: () => this.migrate(),
      connect: listenConnect,
    });
    // Migrate right away; a failure here is reported by the first operation, which tries again.
    this.migrate().catch(ignore);
  }

  /**
   * Resolves when the schema is migrated and the store can serve; rejects with `PK_STORE_UNAVAILABLE` when the
   * server cannot be reached (a later call tries again). Every operation waits for this by itself; await it
   * at start-up to fail fast.
   */
  async ready(): Promise<void> {
    if (this.closed) throw storeClosed('ready');
    try {
      await this.migrate();
    } catch (cause) {
      throw storeUnavailable('migrating the schema', cause);
    }
  }

  /**
   * Resolves once consent changes made through other instances reach this one's {@link watchConsents}
   * listeners (the LISTEN connection is up); at once when nothing watches.
   */
  consentWatchReady(): Promise<void> {
    return this.watcher.whenListening();
  }

  /** Applies pending migrations once per store; resolves with the transaction horizon taken at that time. */
  private migrate(): Promise<string> {
    if (this.migrated === undefined) {
      this.migrated = this.applyMigrations();
      this.migrated.catch(() => {
        this.migrated = undefined;
      });
    }
    return this.migrated;
  }

  private async applyMigrations(): Promise<string> {
    const s = this.quotedSchema;
    return this.transaction('BEGIN', async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(${this.migrationLockKey})`);
      const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [this.schema]);
      // Checked first: CREATE SCHEMA IF NOT EXISTS needs the CREATE right even when the schema exists.
      if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${s}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${s}.privacy_kit_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const { rows } = await client.query<{ version: number }>(`SELECT coalesce(max(version), 0)::integer AS version FROM ${s}.privacy_kit_migrations`);
      const current = rows[0]?.version ?? 0;
      if (current > POSTGRES_SCHEMA_VERSION) {
        throw new PrivacyKitError(
          'PK_STORE_UNAVAILABLE',
          `${PACKAGE}: the schema '${this.schema}' is at version ${current}, newer than this package knows (${POSTGRES_SCHEMA_VERSION}). Upgrade @privacy-kit/postgres on this instance.`,
        );
      }
      for (const migration of MIGRATIONS) {
        if (migration.version <= current) continue;
        await client.query(migration.sql(s));
        await client.query(`INSERT INTO ${s}.privacy_kit_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      }
      const horizon = await client.query<{ xmin: string }>('SELECT txid_snapshot_xmin(txid_current_snapshot())::text AS xmin');
      return horizon.rows[0]?.xmin ?? '0';
    });
  }

  /** Runs `fn` with a pooled client; a client whose connection failed is destroyed, not returned. */
  private async withClient<T>(fn: (client: PoolClient, broken: () => void) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let destroy: Error | undefined;
    // A checked-out client emits 'error' when its connection dies; without a listener that would crash the app.
    const onError = (err: Error): void => { destroy = destroy ?? err; };
    client.on('error', onError);
    try {
      return await fn(client, () => { destroy = destroy ?? new Error('connection left in an unknown state'); });
    } catch (err) {
      if (isConnectionError(err)) destroy = destroy ?? (err as Error);
      throw err;
    } finally {
      client.removeListener('error', onError);
      client.release(destroy);
    }
  }

  /** Runs `fn` in a transaction opened by `begin` (e.g. 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY'). */
  private transaction<T>(begin: string, fn: (client: PoolClient) => Promise<T>): Promise<T> {
    return this.withClient(async (client, broken) => {
      try {
        await client.query(begin);
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(broken);
        throw err;
      }
    });
  }

  /** Runs a store operation after the migrations, turning driver failures into store errors that never echo data. */
  private async run<T>(operation: string, fn: () => Promise<T>, validate?: () => void): Promise<T> {
    if (this.closed) throw storeClosed(operation);
    // Bad input is refused the same way whether or not the server is up.
    validate?.();
    try {
      await this.migrate();
      return await fn();
    } catch (cause) {
      if (this.closed) throw storeClosed(operation);
      throw storeUnavailable(operation, cause);
    }
  }

  ping(): Promise<void> {
    return this.run('ping', async () => {
      await this.pool.query('SELECT 1');
    });
  }

  /**
   * Stops listening and, when the store made the pool, closes it (a borrowed pool stays open); then publishes a
   * last checkpoint when `checkpoints` is set.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watcher.stop();
    if (this.ownsPool) await this.pool.end().catch(ignore);
    await this.checkpointer?.close();
  }

  recordConsent(event: ConsentEventInput): Promise<ConsentEvent> {
    const validate = (): void => {
      validateConsentEvent(event, PACKAGE);
      if (Buffer.byteLength(event.subject) > MAX_SUBJECT_BYTES) {
        throw new PrivacyKitError('PK_INVALID_OPTION', `${PACKAGE}: refused consent event: 'subject' is longer than ${MAX_SUBJECT_BYTES} bytes; pass the subject's pseudonym, not raw data. Nothing was stored.`);
      }
    };
    return this.run('recordConsent', async () => {
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
      // The NOTIFY belongs to the inserting statement: it is sent exactly when, and only if, the event commits.
      const { rows } = await this.withClient((client) => client.query<{ seq: string }>(
        `WITH ins AS (
           INSERT INTO ${this.quotedSchema}.consent_events (id, subject, purpose, action, policy_version, method, expires_at, time)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING seq
         )
         SELECT ins.seq, pg_notify($9, $10) FROM ins`,
        [row.id, row.subject, row.purpose, row.action, row.policy_version, row.method, row.expires_at, row.time,
          this.channel, JSON.stringify({ o: this.origin, s: row.subject })],
      ));
      this.watcher.emit(row.subject);
      return consentEventFromRow({ ...row, seq: rows[0]?.seq ?? '0' });
    }, validate);
  }

  /**
   * Appends consent events and their audit record in one transaction, under the audit chain's lock: the events,
   * the record, the new head and the NOTIFY of each subject commit together, or nothing does.
   */
  recordConsentChange(events: readonly ConsentEventInput[], audit: AuditEntry): Promise<ConsentChange> {
    const validate = (): void => {
      validateConsentEvents(events, PACKAGE);
      if (events.some((event) => Buffer.byteLength(event.subject) > MAX_SUBJECT_BYTES)) {
        throw new PrivacyKitError('PK_INVALID_OPTION', `${PACKAGE}: refused consent event: 'subject' is longer than ${MAX_SUBJECT_BYTES} bytes; pass the subject's pseudonym, not raw data. Nothing was stored.`);
      }
    };
    return this.run('recordConsentChange', async () => {
      const s = this.quotedSchema;
      const time = isoTime();
      const rows = events.map((event) => ({
        id: randomUUID(), subject: event.subject, purpose: event.purpose, action: event.action, policy_version: event.policyVersion,
        method: event.method, expires_at: event.expiresAt ?? null, time: event.time ?? time,
      }));
      const values = rows
        .map((r) => `(${[r.id, r.subject, r.purpose, r.action, r.policy_version, r.method, r.expires_at, r.time].map((v) => sqlLiteral(v, 'text')).join(', ')})`)
        .join(', ');
      const change = await this.withClient(async (client, broken) => {
        try {
          // As appendUnderLock: lock, then read the head the previous holder wrote.
          const begun = (await client.query(
            `BEGIN; SELECT pg_advisory_xact_lock(${this.auditLockKey}); SELECT seq, mac, count FROM ${s}.audit_head WHERE id = 1`,
          )) as unknown as QueryResult<{ seq: string; mac: string; count: string | null }>[];
          const found = begun[2]?.rows[0];
          const { records, rows: auditRows, last, head: signed, headRow } = this.chain(
            { seq: Number(found?.seq ?? 0), mac: found?.mac ?? '', ...(found?.count == null ? {} : { count: Number(found.count) }) },
            [auditEntryOf(audit)],
          );
          const done = (await client.query(`
            WITH ins AS (
              INSERT INTO ${s}.consent_events (id, subject, purpose, action, policy_version, method, expires_at, time) VALUES ${values}
              RETURNING id, seq, subject
            )
            SELECT ins.id, ins.seq, pg_notify(${sqlLiteral(this.channel, 'text')}, json_build_object('o', ${sqlLiteral(this.origin, 'text')}, 's', ins.subject)::text) FROM ins;
            WITH rec AS (INSERT INTO ${s}.audit_log (${AUDIT_INSERT_COLUMNS}) VALUES ${auditRows})
            INSERT INTO ${s}.audit_head ${HEAD_UPSERT} VALUES (${headRow})
            ${HEAD_UPDATE};
            COMMIT`)) as unknown as QueryResult<{ id: string; seq: string }>[];
          this.knownHead = last;
          this.checkpointer?.committed(signed);
          const seqs = new Map((done[0]?.rows ?? []).map((r) => [r.id, r.seq]));
          return { events: rows.map((r) => consentEventFromRow({ ...r, seq: seqs.get(r.id) ?? '0' })), record: records[0] as AuditRecord };
        } catch (err) {
          await client.query('ROLLBACK').catch(broken);
          throw err;
        }
      });
      for (const subject of new Set(rows.map((r) => r.subject))) this.watcher.emit(subject);
      return change;
    }, validate);
  }

  consentHistory(subject: string): Promise<readonly ConsentEvent[]> {
    return this.run('consentHistory', async () => {
      const { rows } = await this.pool.query<ConsentRow>(`SELECT ${CONSENT_COLUMNS} FROM ${this.quotedSchema}.consent_events WHERE subject = $1 ORDER BY seq`, [subject]);
      return rows.map(consentEventFromRow);
    });
  }

  async currentConsents(subject: string, at?: Date): Promise<readonly ConsentState[]> {
    return deriveConsentStates(await this.consentHistory(subject), at);
  }

  /**
   * Calls the listener with the subject whenever a consent changes through any instance of this store
   * (same database and schema): at once for this instance's own writes, via LISTEN/NOTIFY for the others.
   * After a lost connection it reconnects and replays the subjects changed meanwhile.
   *
   * @returns the unsubscribe function
   */
  watchConsents(listener: (subject: string) => void): () => void {
    if (this.closed) throw storeClosed('watchConsents');
    if (typeof listener !== 'function') {
      throw new PrivacyKitError('PK_INVALID_OPTION', `${PACKAGE}: watchConsents() needs a function (subject) => void; got ${typeof listener}.`);
    }
    return this.watcher.add(listener);
  }

  /**
   * Appends an entry to the shared chain; resolves once the record is committed (durable with the server's
   * default `synchronous_commit = on`). Concurrent appends of this instance are committed together, in
   * arrival order, in one transaction (group commit): one lock and one WAL flush for the lot.
   */
  appendAudit(entry: AuditEntry): Promise<AuditRecord> {
    return this.run('appendAudit', () => new Promise<AuditRecord>((resolve, reject) => {
      this.appendQueue.push({ entry: auditEntryOf(entry), resolve, reject });
      if (!this.flushing) void this.flushAppends();
    }));
  }

  private async flushAppends(): Promise<void> {
    this.flushing = true;
    while (this.appendQueue.length > 0) {
      const batch = this.appendQueue.splice(0, MAX_APPEND_BATCH);
      try {
        const records = await this.appendBatch(batch.map((p) => p.entry));
        batch.forEach((p, i) => p.resolve(records[i] as AuditRecord));
      } catch (err) {
        if (batch.length === 1 || isConnectionError(err)) {
          for (const p of batch) p.reject(err);
        } else {
          // One refused entry must not fail the others that happened to share its transaction.
          for (const p of batch) await this.appendBatch([p.entry]).then((r) => p.resolve(r[0] as AuditRecord), p.reject);
        }
      }
    }
    this.flushing = false;
  }

  /**
   * Writes entries as the next records of the chain. While this instance is the only writer it knows the head
   * (it wrote it) and appends in one round trip that checks, under the lock, that the head is still the one it
   * knows; when another instance appended meanwhile, nothing is written and it falls back to reading the head
   * under the lock first (two round trips), and keeps doing that for a while, since others are writing.
   */
  private async appendBatch(entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    if (this.knownHead !== undefined && this.lockedAppendsLeft === 0) {
      const records = await this.appendIfHeadIs(this.knownHead, entries);
      if (records !== undefined) return records;
      this.lockedAppendsLeft = LOCKED_APPENDS_AFTER_CONFLICT;
    } else if (this.lockedAppendsLeft > 0) {
      this.lockedAppendsLeft--;
    }
    return this.appendUnderLock(entries);
  }

  /** Chains entries onto a head (core's chainAuditBatch): the records, and the SQL that inserts them and moves the head. */
  private chain(head: ChainHead, entries: readonly AuditEntry[]): { records: AuditRecord[]; rows: string; last: ChainHead; head: AuditHeadV2; headRow: string } {
    const batch = chainAuditBatch(this.key, head, entries);
    const rows = batch.records.map((r) => {
      const values: unknown[] = [
        r.seq, r.event, r.time, r.requestId, r.appId, r.actor, r.subject, r.method, r.route,
        r.purposes, r.basis, r.categories, r.decision, r.reason, r.status, r.durationMs,
        r.details, r.prevMac, r.mac,
      ];
      return `(${values.map((value, i) => sqlLiteral(value, AUDIT_TYPES[i] as SqlType)).join(', ')})`;
    });
    const headRow = `1, ${auditHeadColumns(batch.head).map((value, i) => sqlLiteral(value, HEAD_TYPES[i] as SqlType)).join(', ')}`;
    return { records: [...batch.records], rows: rows.join(',\n'), last: { seq: batch.head.seq, mac: batch.head.mac, count: batch.head.count }, head: batch.head, headRow };
  }

  /** One round trip: appends only if the head is still `head`; otherwise writes nothing and learns the head. */
  private appendIfHeadIs(head: ChainHead, entries: readonly AuditEntry[]): Promise<AuditRecord[] | undefined> {
    const s = this.quotedSchema;
    const { records, rows, last, head: signed, headRow } = this.chain(head, entries);
    // The WITH statement starts after the lock is held, so its snapshot shows the head of the last holder.
    const text = `BEGIN;
      SELECT pg_advisory_xact_lock(${this.auditLockKey});
      WITH h AS (SELECT seq, mac, count FROM ${s}.audit_head WHERE id = 1),
      expected AS (SELECT coalesce((SELECT seq FROM h), 0) = ${sqlLiteral(head.seq, 'bigint')} AND coalesce((SELECT mac FROM h), '') = ${sqlLiteral(head.mac, 'text')} AS ok),
      rec AS (
        INSERT INTO ${s}.audit_log (${AUDIT_INSERT_COLUMNS})
        SELECT * FROM (VALUES ${rows}) AS v WHERE (SELECT ok FROM expected)
      ),
      moved AS (
        INSERT INTO ${s}.audit_head ${HEAD_UPSERT} SELECT ${headRow} WHERE (SELECT ok FROM expected)
        ${HEAD_UPDATE}
      )
      SELECT (SELECT ok FROM expected) AS ok, (SELECT seq FROM h) AS seq, (SELECT mac FROM h) AS mac, (SELECT count FROM h) AS count;
      COMMIT`;
    return this.withClient(async (client, broken) => {
      try {
        const results = (await client.query(text)) as unknown as QueryResult<{ ok: boolean; seq: string | null; mac: string | null; count: string | null }>[];
        const row = results[2]?.rows[0];
        if (row?.ok === true) {
          this.knownHead = last;
          this.checkpointer?.committed(signed);
          return records;
        }
        this.knownHead = { seq: Number(row?.seq ?? 0), mac: row?.mac ?? '', ...(row?.count == null ? {} : { count: Number(row.count) }) };
        return undefined;
      } catch (err) {
        await client.query('ROLLBACK').catch(broken);
        throw err;
      }
    });
  }

  /** Two round trips: takes the lock and reads the head, then writes and commits. Always succeeds against others. */
  private appendUnderLock(entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    const s = this.quotedSchema;
    return this.withClient(async (client, broken) => {
      try {
        // Lock first, then read the head in a separate statement: under READ COMMITTED each statement sees
        // what committed before it started, so the head is the one the previous lock holder wrote.
        const begun = (await client.query(
          `BEGIN; SELECT pg_advisory_xact_lock(${this.auditLockKey}); SELECT seq, mac, count FROM ${s}.audit_head WHERE id = 1`,
        )) as unknown as QueryResult<{ seq: string; mac: string; count: string | null }>[];
        const found = begun[2]?.rows[0];
        const { records, rows, last, head: signed, headRow } = this.chain(
          { seq: Number(found?.seq ?? 0), mac: found?.mac ?? '', ...(found?.count == null ? {} : { count: Number(found.count) }) },
          entries,
        );
        await client.query(`
          WITH rec AS (INSERT INTO ${s}.audit_log (${AUDIT_INSERT_COLUMNS}) VALUES ${rows})
          INSERT INTO ${s}.audit_head ${HEAD_UPSERT} VALUES (${headRow})
          ${HEAD_UPDATE};
          COMMIT`);
        this.knownHead = last;
        this.checkpointer?.committed(signed);
        return records;
      } catch (err) {
        await client.query('ROLLBACK').catch(broken);
        throw err;
      }
    });
  }

  readAudit(query: AuditQuery = {}): Promise<readonly AuditRecord[]> {
    return this.run('readAudit', async () => {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, value: unknown): void => {
        params.push(value);
        where.push(sql.replace('?', `$${params.length}`));
      };
      if (query.subject !== undefined) add('subject = ?', query.subject);
      if (query.actor !== undefined) add('actor = ?', query.actor);
      if (query.requestId !== undefined) add('request_id = ?', query.requestId);
      if (query.event !== undefined) add('event = ?', query.event);
      if (query.afterSeq !== undefined) add('seq > ?', query.afterSeq);
      let sql = `SELECT ${AUDIT_COLUMNS} FROM ${this.quotedSchema}.audit_log${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`;
      if (query.limit !== undefined) {
        params.push(query.limit);
        sql += ` LIMIT $${params.length}`;
      }
      const { rows } = await this.pool.query<AuditRow>(sql, params);
      return rows.map(auditRecordFromRow);
    });
  }

  /**
   * Checks the whole chain and the signed head (and, given a checkpoint, that the log reaches and agrees with it),
   * read from one consistent snapshot while other instances append. For an operator's check, prefer
   * {@link verifyPostgresAudit}: it runs no migration and only reads.
   */
  verifyAudit(options: AuditVerifyOptions = {}): Promise<AuditVerifyReport> {
    return this.run('verifyAudit', async () => {
      const s = this.quotedSchema;
      const { rows, head } = await this.transaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (client) => ({
        rows: (await client.query<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM ${s}.audit_log ORDER BY seq`)).rows,
        head: (await client.query<AuditHeadRow>(`SELECT * FROM ${s}.audit_head WHERE id = 1`)).rows[0],
      }));
      return verifyAuditRows(rows, head, this.key, options);
    });
  }

  /**
   * Signs a checkpoint of the committed head (of every instance's appends) and publishes it where the
   * `checkpoints` option says (if it is set); resolves with it once published, undefined while the log is empty.
   */
  async checkpoint(): Promise<AuditCheckpoint | undefined> {
    const row = await this.run('checkpoint', async () => (await this.pool.query<AuditHeadRow>(`SELECT * FROM ${this.quotedSchema}.audit_head WHERE id = 1`)).rows[0]);
    if (row === undefined) return undefined;
    const head = auditHeadFromRow(row);
    const state = head.version === 2 ? head : { seq: head.seq, mac: head.mac };
    return this.checkpointer !== undefined ? this.checkpointer.publish(state) : createAuditCheckpoint(this.key, state);
  }

  createRightsRequest(input: RightsRequestInput): Promise<RightsRequest> {
    return this.run('createRightsRequest', async () => {
      const now = isoTime();
      const row: RightsRow = {
        id: randomUUID(), kind: input.kind, subject: input.subject, status: 'open', created_at: now, updated_at: now,
        due_at: input.dueAt, steps: [], error: null, details: input.details === undefined ? null : { ...input.details },
      };
      await this.pool.query(
        `INSERT INTO ${this.quotedSchema}.rights_requests (id, kind, subject, status, created_at, updated_at, due_at, steps, error, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10::jsonb)`,
        [row.id, row.kind, row.subject, row.status, row.created_at, row.updated_at, row.due_at, json(row.steps), row.error, json(input.details)],
      );
      return rightsRequestFromRow(row);
    });
  }

  updateRightsRequest(id: string, patch: RightsRequestPatch): Promise<RightsRequest> {
    return this.run('updateRightsRequest', async () => {
      // One statement: concurrent updates from several instances each apply whole, never interleaved.
      const { rows } = await this.pool.query<RightsRow>(
        `UPDATE ${this.quotedSchema}.rights_requests SET
           status = coalesce($2, status),
           steps = CASE WHEN $3::boolean THEN $4::jsonb ELSE steps END,
           error = CASE WHEN $5::boolean THEN $6 ELSE error END,
           details = CASE WHEN $7::boolean THEN $8::jsonb ELSE details END,
           updated_at = $9
         WHERE id = $1
         RETURNING ${RIGHTS_COLUMNS}`,
        [
          id, patch.status ?? null,
          patch.steps !== undefined, json(patch.steps),
          patch.error !== undefined, patch.error ?? null,
          patch.details !== undefined, json(patch.details),
          isoTime(),
        ],
      );
      const row = rows[0];
      if (row === undefined) throw new PrivacyKitError('PK_INVALID_OPTION', `${PACKAGE}: rights request '${id}' not found.`);
      return rightsRequestFromRow(row);
    });
  }

  getRightsRequest(id: string): Promise<RightsRequest | undefined> {
    return this.run('getRightsRequest', async () => {
      const { rows } = await this.pool.query<RightsRow>(`SELECT ${RIGHTS_COLUMNS} FROM ${this.quotedSchema}.rights_requests WHERE id = $1`, [id]);
      const row = rows[0];
      return row === undefined ? undefined : rightsRequestFromRow(row);
    });
  }

  listRightsRequests(filter: { readonly subject?: string; readonly status?: readonly RightsRequestStatus[]; readonly dueBefore?: string } = {}): Promise<readonly RightsRequest[]> {
    return this.run('listRightsRequests', async () => {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.subject !== undefined) { params.push(filter.subject); where.push(`subject = $${params.length}`); }
      if (filter.status !== undefined && filter.status.length > 0) { params.push([...filter.status]); where.push(`status = ANY($${params.length}::text[])`); }
      const { rows } = await this.pool.query<RightsRow>(
        `SELECT ${RIGHTS_COLUMNS} FROM ${this.quotedSchema}.rights_requests${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id`,
        params,
      );
      const requests = rows.map(rightsRequestFromRow);
      // Due dates carry offsets, so compare instants rather than strings (as the SQLite store does).
      return filter.dueBefore === undefined ? requests : requests.filter((r) => Date.parse(r.dueAt) < Date.parse(filter.dueBefore as string));
    });
  }
}

/**
 * Opens the PostgreSQL store. It connects and migrates in the background; operations wait for that, and
 * `await store.ready()` fails fast at start-up if you prefer.
 *
 * @param options - the connection (a connection string or a pg.Pool) and the audit key
 * @example
 * const store = createPostgresStore({ connectionString: process.env.DATABASE_URL, auditKey: deriveKey(process.env.PRIVACY_KIT_SECRET!, 'audit') });
 * app.use(privacy({ appId: 'shop', store, pseudonymKey, jwt }));
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  return new PostgresStore(options);
}
