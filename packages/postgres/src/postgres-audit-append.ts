import type { PoolClient, QueryResult } from 'pg';
import type { AuditEntry, AuditRecord } from '@privacy-kit/core';
import {
  AUDIT_COLUMN_LIST,
  AUDIT_HEAD_COLUMNS,
  CONSENT_INSERT_COLUMNS,
  chainAuditBatch,
  consentRowValues,
  type AuditHeadV2,
  type NewConsentRow,
} from '@privacy-kit/core/store';
import type { PostgresSchemaNames } from './postgres-names';
import type { PostgresConnections } from './postgres-pool';
import { auditRowLiteral, headRowLiteral, sqlLiteral } from './sql-literal';

/** Where the chain ends: what the next record links to. */
interface ChainHead {
  readonly seq: number;
  readonly mac: string;
  readonly count?: number;
}

/** A head row as pg returns it (bigint columns as strings). */
interface HeadRow {
  readonly seq: string | null;
  readonly mac: string | null;
  readonly count: string | null;
}

/** When another instance appended, this many following batches take the lock first instead of trying the one-round-trip append. */
const LOCKED_APPENDS_AFTER_CONFLICT = 16;

/** Moves the head: every column of the row that was inserted. */
const HEAD_UPSERT = `(id, ${AUDIT_HEAD_COLUMNS.join(', ')})`;
const HEAD_UPDATE = `ON CONFLICT (id) DO UPDATE SET ${AUDIT_HEAD_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}`;

function headOf(row: HeadRow | undefined): ChainHead {
  return { seq: Number(row?.seq ?? 0), mac: row?.mac ?? '', ...(row?.count == null ? {} : { count: Number(row.count) }) };
}

/** Entries chained onto a head (core's chainAuditBatch), with the SQL that inserts them and moves the head. */
interface ChainedBatch {
  readonly records: AuditRecord[];
  /** The audit_log rows as literals, comma-separated. */
  readonly rows: string;
  /** The new head row as literals. */
  readonly headRow: string;
  readonly head: AuditHeadV2;
}

/** What a consent change wrote: the new events' positions by id, and the audit record. */
export interface AppendedConsentChange {
  readonly seqs: ReadonlyMap<string, string>;
  readonly record: AuditRecord;
}

/**
 * The audit append protocol of the PostgreSQL store: ONE chain shared by every instance. An append takes a
 * transaction-scoped advisory lock, checks or reads the head, writes the records and the new head, and commits,
 * so appends from any number of processes are serialised into exactly the chain the SQLite store writes.
 *
 * While this instance is the only writer it knows the head (it wrote it) and appends in one round trip that
 * checks, under the lock, that the head is still the one it knows; when another instance appended meanwhile,
 * nothing is written and it falls back to reading the head under the lock first (two round trips), and keeps
 * doing that for a while, since others are writing.
 */
export class PostgresAuditAppender {
  /** The chain head this instance last wrote or saw. */
  private knownHead: ChainHead | undefined;
  private lockedAppendsLeft = 0;

  /**
   * @param connections - the store's pool
   * @param names - the schema's names (audit lock key)
   * @param key - the audit key
   * @param committed - told each head that committed (the checkpointer)
   */
  constructor(
    private readonly connections: PostgresConnections,
    private readonly names: PostgresSchemaNames,
    private readonly key: Buffer,
    private readonly committed: (head: AuditHeadV2) => void,
  ) {}

  /** Writes entries as the next records of the chain, in one transaction; resolves with their records. */
  async append(entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    if (this.knownHead !== undefined && this.lockedAppendsLeft === 0) {
      const records = await this.appendIfHeadIs(this.knownHead, entries);
      if (records !== undefined) return records;
      this.lockedAppendsLeft = LOCKED_APPENDS_AFTER_CONFLICT;
    } else if (this.lockedAppendsLeft > 0) {
      this.lockedAppendsLeft--;
    }
    return this.appendUnderLock(entries);
  }

  /**
   * Appends consent events and their audit record in one transaction, under the chain's lock: the events, the
   * record, the new head and a NOTIFY of each subject commit together, or nothing does.
   *
   * @param rows - the new consent rows
   * @param entry - the change's audit entry
   * @param notify - the channel and this instance's origin, for the NOTIFY payload
   */
  appendConsentChange(rows: readonly NewConsentRow[], entry: AuditEntry, notify: { readonly channel: string; readonly origin: string }): Promise<AppendedConsentChange> {
    const s = this.names.quoted;
    const values = rows.map((r) => `(${consentRowValues(r).map((v) => sqlLiteral(v, 'text')).join(', ')})`).join(', ');
    return this.connections.withClient(async (client, broken) => {
      try {
        const found = await this.lockAndReadHead(client);
        const batch = this.chain(found, [entry]);
        const done = (await client.query(`
          WITH ins AS (
            INSERT INTO ${s}.consent_events (${CONSENT_INSERT_COLUMNS.join(', ')}) VALUES ${values}
            RETURNING id, seq, subject
          )
          SELECT ins.id, ins.seq, pg_notify(${sqlLiteral(notify.channel, 'text')}, json_build_object('o', ${sqlLiteral(notify.origin, 'text')}, 's', ins.subject)::text) FROM ins;
          WITH rec AS (INSERT INTO ${s}.audit_log (${AUDIT_COLUMN_LIST}) VALUES ${batch.rows})
          INSERT INTO ${s}.audit_head ${HEAD_UPSERT} VALUES (${batch.headRow})
          ${HEAD_UPDATE};
          COMMIT`)) as unknown as QueryResult<{ id: string; seq: string }>[];
        this.wrote(batch);
        return { seqs: new Map((done[0]?.rows ?? []).map((r) => [r.id, r.seq])), record: batch.records[0] as AuditRecord };
      } catch (err) {
        await client.query('ROLLBACK').catch(broken);
        throw err;
      }
    });
  }

  private chain(head: ChainHead, entries: readonly AuditEntry[]): ChainedBatch {
    const batch = chainAuditBatch(this.key, head, entries);
    return { records: [...batch.records], rows: batch.records.map(auditRowLiteral).join(',\n'), headRow: headRowLiteral(batch.head), head: batch.head };
  }

  /** After a commit: the head is this instance's, and the checkpointer hears of it. */
  private wrote(batch: ChainedBatch): void {
    this.knownHead = { seq: batch.head.seq, mac: batch.head.mac, count: batch.head.count };
    this.committed(batch.head);
  }

  /**
   * Begins, takes the lock, then reads the head in a separate statement: under READ COMMITTED each statement sees
   * what committed before it started, so the head is the one the previous lock holder wrote.
   */
  private async lockAndReadHead(client: PoolClient): Promise<ChainHead> {
    const begun = (await client.query(
      `BEGIN; SELECT pg_advisory_xact_lock(${this.names.auditLockKey}); SELECT seq, mac, count FROM ${this.names.quoted}.audit_head WHERE id = 1`,
    )) as unknown as QueryResult<HeadRow>[];
    return headOf(begun[2]?.rows[0]);
  }

  /** One round trip: appends only if the head is still `head`; otherwise writes nothing and learns the head. */
  private appendIfHeadIs(head: ChainHead, entries: readonly AuditEntry[]): Promise<AuditRecord[] | undefined> {
    const s = this.names.quoted;
    const batch = this.chain(head, entries);
    // The WITH statement starts after the lock is held, so its snapshot shows the head of the last holder.
    const text = `BEGIN;
      SELECT pg_advisory_xact_lock(${this.names.auditLockKey});
      WITH h AS (SELECT seq, mac, count FROM ${s}.audit_head WHERE id = 1),
      expected AS (SELECT coalesce((SELECT seq FROM h), 0) = ${sqlLiteral(head.seq, 'bigint')} AND coalesce((SELECT mac FROM h), '') = ${sqlLiteral(head.mac, 'text')} AS ok),
      rec AS (
        INSERT INTO ${s}.audit_log (${AUDIT_COLUMN_LIST})
        SELECT * FROM (VALUES ${batch.rows}) AS v WHERE (SELECT ok FROM expected)
      ),
      moved AS (
        INSERT INTO ${s}.audit_head ${HEAD_UPSERT} SELECT ${batch.headRow} WHERE (SELECT ok FROM expected)
        ${HEAD_UPDATE}
      )
      SELECT (SELECT ok FROM expected) AS ok, (SELECT seq FROM h) AS seq, (SELECT mac FROM h) AS mac, (SELECT count FROM h) AS count;
      COMMIT`;
    return this.connections.withClient(async (client, broken) => {
      try {
        const results = (await client.query(text)) as unknown as QueryResult<HeadRow & { ok: boolean }>[];
        const row = results[2]?.rows[0];
        if (row?.ok === true) {
          this.wrote(batch);
          return batch.records;
        }
        this.knownHead = headOf(row);
        return undefined;
      } catch (err) {
        await client.query('ROLLBACK').catch(broken);
        throw err;
      }
    });
  }

  /** Two round trips: takes the lock and reads the head, then writes and commits. Always succeeds against others. */
  private appendUnderLock(entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    const s = this.names.quoted;
    return this.connections.withClient(async (client, broken) => {
      try {
        const batch = this.chain(await this.lockAndReadHead(client), entries);
        await client.query(`
          WITH rec AS (INSERT INTO ${s}.audit_log (${AUDIT_COLUMN_LIST}) VALUES ${batch.rows})
          INSERT INTO ${s}.audit_head ${HEAD_UPSERT} VALUES (${batch.headRow})
          ${HEAD_UPDATE};
          COMMIT`);
        this.wrote(batch);
        return batch.records;
      } catch (err) {
        await client.query('ROLLBACK').catch(broken);
        throw err;
      }
    });
  }
}
