import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
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
  type PrivacyStore,
  type RightsRequest,
  type RightsRequestFilter,
  type RightsRequestInput,
  type RightsRequestPatch,
  type WrappedDataKey,
} from '@privacy-kit/core';
import {
  AuditWriter,
  auditEntryOf,
  consentEventFromRow,
  deriveConsentStates,
  newConsentRow,
  validateConsentEvent,
  validateAuditQuery,
  validateConsentEvents,
  validateDataKey,
  validateDataKeyListQuery,
  validateDataKeyRewrap,
  validateDataKeySubject,
  validateIncidentEventInput,
  validateIncidentEventQuery,
  verifyAuditChainRows,
  type AuditBatchFailure,
} from '@privacy-kit/core/store';
import { ConsentWatcher } from './consent-watcher';
import { PostgresChainAppender } from './postgres-audit-append';
import { AuditChainRegistry } from './postgres-audit-chains';
import { ChainsCheckpointer } from './postgres-audit-checkpoints';
import { selectAuditChains, selectAuditRecords } from './postgres-audit-read';
import { insertConsentEvent, selectConsentHistory } from './postgres-consents';
import { PostgresDataKeys } from './postgres-data-keys';
import { PostgresIncidents } from './postgres-incidents';
import { PACKAGE, isConnectionError, postgresError, storeClosed, storeUnavailable } from './postgres-errors';
import { applyMigrations } from './postgres-migrations';
import { postgresSchemaNames, type PostgresSchemaNames } from './postgres-names';
import { PostgresConnections } from './postgres-pool';
import { PostgresRightsRequests } from './postgres-rights';
import { resolvePostgresStoreOptions, type PostgresStoreOptions } from './postgres-store.options';

/** NOTIFY payloads are limited to 8000 bytes; pseudonyms are far shorter. */
const MAX_SUBJECT_BYTES = 4096;
/** At most this many appends share one transaction. */
const MAX_APPEND_BATCH = 200;
/** How long an `outcome` record (nobody waits for it) may wait to share the next commit, in ms: fewer commits per request. */
const OUTCOME_COMMIT_DELAY_MS = 2;

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
export class PostgresStore implements PrivacyStore, DataKeyStore, IncidentStore {
  /** The connection pool; for tests and tools that need raw access. */
  readonly pool: Pool;
  /** The schema of the store's tables. */
  readonly schema: string;
  private readonly names: PostgresSchemaNames;
  private readonly key: Buffer;
  private readonly connections: PostgresConnections;
  private readonly watcher: ConsentWatcher;
  private readonly origin = randomUUID();
  private readonly registry: AuditChainRegistry;
  /** This instance's audit writers: each appends to a chain of its own, with group commit (core's one write path). */
  private readonly lanes: readonly { readonly appender: PostgresChainAppender; readonly writer: AuditWriter }[];
  private nextLane = 0;
  private readonly rights: PostgresRightsRequests;
  private readonly dataKeys: PostgresDataKeys;
  private readonly incidents: PostgresIncidents;
  private migrated: Promise<string> | undefined;
  private closed = false;
  private readonly checkpointer: ChainsCheckpointer;

  constructor(options: PostgresStoreOptions) {
    const resolved = resolvePostgresStoreOptions(options);
    this.key = resolved.auditKey;
    this.schema = resolved.schema;
    this.names = postgresSchemaNames(resolved.schema);
    this.connections = new PostgresConnections(resolved);
    this.checkpointer = new ChainsCheckpointer(this.connections, this.names, this.key, resolved.checkpoints, PACKAGE);
    this.pool = this.connections.pool;
    this.watcher = new ConsentWatcher({
      channel: this.names.consentChannel,
      origin: this.origin,
      schema: this.names.quoted,
      ready: () => this.migrate(),
      connect: this.connections.listen,
    });
    this.registry = new AuditChainRegistry(this.connections, this.names, this.origin);
    this.lanes = Array.from({ length: resolved.auditChains }, () => {
      const appender = new PostgresChainAppender(this.connections, this.names, this.key, this.registry, (records) => this.checkpointer.appended(records));
      const writer = new AuditWriter({
        commit: (entries) => appender.append(entries),
        // A lost connection fails every entry alike; anything else may be one entry's (the writer tries them alone).
        onFailure: (error): AuditBatchFailure | undefined => (this.closed || isConnectionError(error) ? { failAll: error } : undefined),
        maxBatch: MAX_APPEND_BATCH,
        outcomeDelayMs: OUTCOME_COMMIT_DELAY_MS,
      });
      return { appender, writer };
    });
    this.rights = new PostgresRightsRequests(this.connections, this.names);
    this.dataKeys = new PostgresDataKeys(this.connections, this.names);
    this.incidents = new PostgresIncidents(this.connections, this.names);
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
      this.migrated = this.connections.transaction('BEGIN', (client) => applyMigrations(client, this.names));
      this.migrated.catch(() => {
        this.migrated = undefined;
      });
    }
    return this.migrated;
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
   * Waits for the audit appends under way, writes (and publishes, when `checkpoints` is set) a last checkpoint of
   * every chain's head if this instance appended since the previous one, gives its chains back for the next
   * instance to reuse, stops listening and, when the store made the pool, closes it (a borrowed pool stays open).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const lane of this.lanes) lane.writer.close(() => storeClosed('appendAudit'));
    await Promise.all(this.lanes.map((lane) => lane.writer.whenIdle()));
    this.watcher.stop();
    await this.checkpointer.close();
    await this.registry.release().catch(ignore);
    await this.connections.end();
  }

  recordConsent(event: ConsentEventInput): Promise<ConsentEvent> {
    return this.run('recordConsent', async () => {
      const stored = await insertConsentEvent(this.connections, this.names, newConsentRow(event), this.origin);
      this.watcher.emit(stored.subject);
      return stored;
    }, () => {
      validateConsentEvent(event, PACKAGE);
      checkSubjectSizes([event]);
    });
  }

  /**
   * Appends consent events and their audit record in one transaction, under the audit chain's lock: the events,
   * the record, the new head and the NOTIFY of each subject commit together, or nothing does.
   */
  recordConsentChange(events: readonly ConsentEventInput[], audit: AuditEntry): Promise<ConsentChange> {
    return this.run('recordConsentChange', async () => {
      const time = isoTime();
      const rows = events.map((event) => newConsentRow(event, time));
      const { seqs, record } = await this.lane().appender.appendConsentChange(rows, auditEntryOf(audit), { channel: this.names.consentChannel, origin: this.origin });
      for (const subject of new Set(rows.map((r) => r.subject))) this.watcher.emit(subject);
      return { events: rows.map((r) => consentEventFromRow({ ...r, seq: seqs.get(r.id) ?? '0' })), record };
    }, () => {
      validateConsentEvents(events, PACKAGE);
      checkSubjectSizes(events);
    });
  }

  consentHistory(subject: string): Promise<readonly ConsentEvent[]> {
    return this.run('consentHistory', () => selectConsentHistory(this.connections, this.names, subject));
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
      throw postgresError('PK_INVALID_OPTION', `watchConsents() needs a function (subject) => void; got ${typeof listener}.`);
    }
    return this.watcher.add(listener);
  }

  /**
   * Appends an entry to the shared chain; resolves once the record is committed (durable with the server's
   * default `synchronous_commit = on`). Appends of this instance made in the same event-loop turn, or while a
   * commit is in flight, are committed together, in arrival order, in one transaction (group commit): one lock
   * and one WAL flush for the lot. An entry the database refuses fails alone: the others of its batch are
   * committed without it.
   */
  appendAudit(entry: AuditEntry): Promise<AuditRecord> {
    return this.run('appendAudit', () => this.lane().writer.append(auditEntryOf(entry)));
  }

  /** The writer for the next append: one with no commit in flight if there is one, else the next in turn. */
  private lane(): (typeof this.lanes)[number] {
    const lanes = this.lanes;
    for (let i = 0; i < lanes.length; i++) {
      const lane = lanes[(this.nextLane + i) % lanes.length] as (typeof lanes)[number];
      if (!lane.writer.busy) return lane;
    }
    this.nextLane = (this.nextLane + 1) % lanes.length;
    return lanes[this.nextLane] as (typeof lanes)[number];
  }

  readAudit(query: AuditQuery = {}): Promise<readonly AuditRecord[]> {
    return this.run('readAudit', () => selectAuditRecords(this.connections, this.names.quoted, query), () => validateAuditQuery(query, PACKAGE));
  }

  /**
   * Checks the whole chain and the signed head (and, given a checkpoint, that the log reaches and agrees with it),
   * read from one consistent snapshot while other instances append. For an operator's check, prefer
   * {@link verifyPostgresAudit}: it runs no migration and only reads.
   */
  verifyAudit(options: AuditVerifyOptions = {}): Promise<AuditVerifyReport> {
    return this.run('verifyAudit', async () => {
      const { rows, heads, checkpoints } = await this.connections.transaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', (client) => selectAuditChains(client, this.names.quoted));
      return verifyAuditChainRows(rows, heads, checkpoints, this.key, options);
    });
  }

  /**
   * Signs where every chain ends (every instance's appends), stores that in `audit_checkpoints` and publishes the
   * matching checkpoint where the `checkpoints` option says (if it is set); resolves with the published form
   * (`seq` and `count`: the records over all chains), undefined while the log is empty.
   */
  checkpoint(): Promise<AuditCheckpoint | undefined> {
    return this.run('checkpoint', () => this.checkpointer.checkpoint());
  }

  createRightsRequest(input: RightsRequestInput): Promise<RightsRequest> {
    return this.run('createRightsRequest', () => this.rights.create(input));
  }

  updateRightsRequest(id: string, patch: RightsRequestPatch): Promise<RightsRequest> {
    return this.run('updateRightsRequest', () => this.rights.update(id, patch));
  }

  getRightsRequest(id: string): Promise<RightsRequest | undefined> {
    return this.run('getRightsRequest', () => this.rights.get(id));
  }

  listRightsRequests(filter: RightsRequestFilter = {}): Promise<readonly RightsRequest[]> {
    return this.run('listRightsRequests', () => this.rights.list(filter));
  }

  /**
   * Adds a wrapped data key and makes it the subject's current key (see `DataKeyStore.addDataKey`): one transaction
   * under an advisory lock on the subject, so instances racing for one subject are serialised and, with
   * `ifNoCurrent`, all get the one key that won; the `data_keys_one_current` index refuses a second current key.
   */
  addDataKey(key: Omit<WrappedDataKey, 'current'>, options: { readonly ifNoCurrent?: boolean } = {}): Promise<WrappedDataKey> {
    return this.run('addDataKey', () => this.dataKeys.add(key, options?.ifNoCurrent === true), () => validateDataKey(key, PACKAGE));
  }

  /** The subject's key with this id, current or earlier; undefined when never added or destroyed. */
  dataKey(subject: string, keyId: string): Promise<WrappedDataKey | undefined> {
    return this.run('dataKey', () => this.dataKeys.get(subject, keyId), () => validateDataKeySubject('dataKey', PACKAGE, subject, keyId));
  }

  /** The subject's current data key, or undefined. */
  currentDataKey(subject: string): Promise<WrappedDataKey | undefined> {
    return this.run('currentDataKey', () => this.dataKeys.currentOf(subject), () => validateDataKeySubject('currentDataKey', PACKAGE, subject));
  }

  /**
   * Destroys every data key of the subject (crypto-shredding): one DELETE, committed before it resolves with how
   * many. The rows are gone for every query at once; PostgreSQL frees their space when (auto)vacuum passes, and
   * copies made before (base backups, WAL archives, replicas' history) still hold them, which is why the keys are
   * wrapped: rotate the key-encryption key so those copies stay unreadable.
   */
  destroyDataKeys(subject: string): Promise<number> {
    return this.run('destroyDataKeys', () => this.dataKeys.destroy(subject), () => validateDataKeySubject('destroyDataKeys', PACKAGE, subject));
  }

  /**
   * Appends an event to the incident register (see `IncidentStore`): one INSERT; the table refuses UPDATE, DELETE
   * and TRUNCATE. Resolves with the event and its seq.
   */
  appendIncidentEvent(event: IncidentEventInput): Promise<IncidentEvent> {
    let data = '';
    return this.run('appendIncidentEvent', () => this.incidents.append(event, data), () => {
      data = validateIncidentEventInput(event, PACKAGE);
    });
  }

  /** The register's events in seq order: every incident's, or one incident's. */
  readIncidentEvents(query?: { readonly incidentId?: string }): Promise<readonly IncidentEvent[]> {
    return this.run('readIncidentEvents', () => this.incidents.read(query?.incidentId), () => validateIncidentEventQuery(query, PACKAGE));
  }

  /** Wrapped data keys in (subject, keyId) code point order (COLLATE "C"), filtered: the walk of a KEK rotation. */
  listDataKeys(query: DataKeyListQuery): Promise<readonly WrappedDataKey[]> {
    return this.run('listDataKeys', () => this.dataKeys.list(query), () => validateDataKeyListQuery(query, PACKAGE));
  }

  /** Replaces a key's wrapping if it is still under `fromKekId` (one UPDATE: compare and set); resolves whether it did. */
  rewrapDataKey(subject: string, keyId: string, fromKekId: string, wrapped: string, kekId: string): Promise<boolean> {
    return this.run(
      'rewrapDataKey',
      () => this.dataKeys.rewrap(subject, keyId, fromKekId, wrapped, kekId),
      () => validateDataKeyRewrap(PACKAGE, subject, keyId, fromKekId, wrapped, kekId),
    );
  }
}

/** Refuses subjects the NOTIFY payload could not carry (checked before touching the database). */
function checkSubjectSizes(events: readonly ConsentEventInput[]): void {
  if (events.some((event) => Buffer.byteLength(event.subject) > MAX_SUBJECT_BYTES)) {
    throw postgresError('PK_INVALID_OPTION', `refused consent event: 'subject' is longer than ${MAX_SUBJECT_BYTES} bytes; pass the subject's pseudonym, not raw data. Nothing was stored.`);
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
