import type { QueryResult } from 'pg';
import type { AuditEntry, AuditRecord } from '@privacy-kit/core';
import {
  AUDIT_COLUMNS,
  CONSENT_INSERT_COLUMNS,
  auditEntryRowValues,
  auditRecordOf,
  chainAuditEntries,
  consentRowValues,
  type AuditHeadV2,
  type NewConsentRow,
} from '@privacy-kit/core/store';
import { chainHeadOf, type AuditChainRegistry, type ChainHead } from './postgres-audit-chains';
import type { PostgresSchemaNames } from './postgres-names';
import type { PostgresConnections } from './postgres-pool';
import { sqlLiteral, type SqlType } from './sql-literal';

/** What a consent change wrote: the new events' positions by id, and the audit record. */
export interface AppendedConsentChange {
  readonly seqs: ReadonlyMap<string, string>;
  readonly record: AuditRecord;
}

/** The PostgreSQL types of the audit_log columns, in core's AUDIT_COLUMNS order (seq first: the chain position). */
const POSTGRES_TYPES: { readonly [T in (typeof AUDIT_COLUMNS)[number]['type']]: SqlType } = {
  seq: 'bigint', text: 'text', integer: 'integer', real: 'double precision', json: 'jsonb',
};
/** The columns an append writes besides `chain`: the chain position, then the entry, prev_mac and mac. */
const APPEND_COLUMNS = ['chain_seq', ...AUDIT_COLUMNS.slice(1).map((c) => c.name)];
const APPEND_TYPES: readonly SqlType[] = AUDIT_COLUMNS.map((c) => POSTGRES_TYPES[c.type]);
/** A conflicting writer on the same chain is rare (a shared chain after a lost lease): a few re-reads settle it. */
const MAX_HEAD_RETRIES = 8;

const json = (value: unknown): unknown => (value === null || value === undefined ? null : JSON.stringify(value));

/**
 * The audit append of the PostgreSQL store: each writer appends to a chain of its own (claimed from the chain
 * registry), so no lock is shared between instances on the request path.
 *
 * An append is ONE prepared statement, its own transaction: it moves the chain's head in the registry only if the
 * head is still the one this writer chained onto (compare and set, under the row's lock), and inserts the records
 * only if it did. Nothing else in the fleet waits for it. When the head moved (another writer shares the chain),
 * nothing is written: the writer reads the head and chains again.
 */
export class PostgresChainAppender {
  private claimed: Promise<{ chain: string; head: ChainHead }> | undefined;
  private readonly statement: string;
  private readonly statementName: string;

  /**
   * @param connections - the store's pool
   * @param names - the schema's names
   * @param key - the audit key
   * @param registry - where chains are claimed
   * @param committed - told the number of records that committed (the checkpointer)
   */
  constructor(
    private readonly connections: PostgresConnections,
    private readonly names: PostgresSchemaNames,
    private readonly key: Buffer,
    private readonly registry: AuditChainRegistry,
    private readonly committed: (records: number) => void,
  ) {
    const s = names.quoted;
    const arrays = APPEND_TYPES.map((type, i) => `$${i + 10}::${type}[]`).join(', ');
    this.statement = `WITH moved AS (
        UPDATE ${s}.audit_chains SET seq = $4, mac = $5, head_mac = $6, version = 2, count = $7, time = $8, key_id = $9
        WHERE chain = $1 AND seq = $2 AND mac = $3 RETURNING chain
      ), ins AS (
        INSERT INTO ${s}.audit_log (chain, ${APPEND_COLUMNS.join(', ')})
        SELECT $1, u.* FROM unnest(${arrays}) AS u WHERE EXISTS (SELECT 1 FROM moved)
        RETURNING seq, chain_seq
      )
      SELECT (SELECT count(*) FROM moved)::integer AS moved, array(SELECT seq::text FROM ins ORDER BY chain_seq) AS seqs`;
    this.statementName = `privacy-kit-append-${names.schema}`;
  }

  /** The chain this writer appends to (claimed on first use). */
  private chain(): Promise<{ chain: string; head: ChainHead }> {
    if (this.claimed === undefined) {
      this.claimed = this.registry.claim().then((c) => ({ chain: c.chain, head: c.head }));
      this.claimed.catch(() => { this.claimed = undefined; });
    }
    return this.claimed;
  }

  /** Writes entries as the next records of this writer's chain, in one statement; resolves with their records. */
  async append(entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    const lane = await this.chain();
    for (let attempt = 0; ; attempt++) {
      const head = lane.head;
      const columns: unknown[][] = APPEND_COLUMNS.map(() => new Array<unknown>(entries.length));
      const row = new Array<unknown>(AUDIT_COLUMNS.length);
      const positions: { entry: AuditEntry; seq: number; prevMac: string; mac: string }[] = [];
      const next = chainAuditEntries(this.key, head, entries, (entry, seq, prevMac, mac) => {
        auditEntryRowValues(entry, seq, prevMac, mac, json, row);
        const at = positions.length;
        for (let c = 0; c < row.length; c++) (columns[c] as unknown[])[at] = row[c];
        positions.push({ entry, seq, prevMac, mac });
      });
      const result = await this.connections.pool.query<{ moved: number; seqs: string[] }>({
        name: this.statementName,
        text: this.statement,
        values: [lane.chain, head.seq, head.mac, next.seq, next.mac, next.headMac, next.count, next.time, next.keyId, ...columns],
      });
      const done = result.rows[0];
      if (done !== undefined && done.moved === 1) {
        lane.head = { seq: next.seq, mac: next.mac, count: next.count };
        this.committed(entries.length);
        return positions.map((p, i) => auditRecordOf(p.entry, Number(done.seqs[i]), p.prevMac, p.mac));
      }
      if (attempt >= MAX_HEAD_RETRIES) {
        throw new Error(`the head of audit chain '${lane.chain}' kept moving while appending: another writer appends to it without pause`);
      }
      lane.head = await this.registry.head(lane.chain);
    }
  }

  /**
   * Appends consent events and their audit record in one transaction, on this writer's chain: the events, the
   * record, the chain's new head and a NOTIFY of each subject commit together, or nothing does.
   *
   * @param rows - the new consent rows
   * @param entry - the change's audit entry
   * @param notify - the channel and this instance's origin, for the NOTIFY payload
   */
  async appendConsentChange(rows: readonly NewConsentRow[], entry: AuditEntry, notify: { readonly channel: string; readonly origin: string }): Promise<AppendedConsentChange> {
    const s = this.names.quoted;
    const lane = await this.chain();
    const values = rows.map((r) => `(${consentRowValues(r).map((v) => sqlLiteral(v, 'text')).join(', ')})`).join(', ');
    return this.connections.withClient(async (client, broken) => {
      try {
        // The row lock on the chain's head waits for an append in flight on this chain, then shows its head.
        const begun = (await client.query(
          `BEGIN; SELECT seq::text, mac, count::text FROM ${s}.audit_chains WHERE chain = ${sqlLiteral(lane.chain, 'text')} FOR UPDATE`,
        )) as unknown as QueryResult<{ seq: string; mac: string; count: string | null }>[];
        const head = chainHeadOf(begun[1]?.rows[0]);
        let literal = '';
        let chained: { seq: number; prevMac: string; mac: string } | undefined;
        const next = chainAuditEntries(this.key, head, [entry], (e, seq, prevMac, mac) => {
          literal = `(${sqlLiteral(lane.chain, 'text')}, ${auditEntryRowValues(e, seq, prevMac, mac).map((v, i) => sqlLiteral(v, APPEND_TYPES[i] as SqlType)).join(', ')})`;
          chained = { seq, prevMac, mac };
        });
        const done = (await client.query(`
          WITH ins AS (
            INSERT INTO ${s}.consent_events (${CONSENT_INSERT_COLUMNS.join(', ')}) VALUES ${values}
            RETURNING id, seq, subject
          )
          SELECT ins.id, ins.seq, pg_notify(${sqlLiteral(notify.channel, 'text')}, json_build_object('o', ${sqlLiteral(notify.origin, 'text')}, 's', ins.subject)::text) FROM ins;
          INSERT INTO ${s}.audit_log (chain, ${APPEND_COLUMNS.join(', ')}) VALUES ${literal} RETURNING seq::text;
          ${headUpdate(s, lane.chain, next)};
          COMMIT`)) as unknown as QueryResult<{ id: string; seq: string }>[];
        lane.head = { seq: next.seq, mac: next.mac, count: next.count };
        this.committed(1);
        const at = chained as { seq: number; prevMac: string; mac: string };
        return { seqs: new Map((done[0]?.rows ?? []).map((r) => [r.id, r.seq])), record: auditRecordOf(entry, Number(done[1]?.rows[0]?.seq), at.prevMac, at.mac) };
      } catch (err) {
        await client.query('ROLLBACK').catch(broken);
        throw err;
      }
    });
  }
}

/** The UPDATE that moves a chain's head in the registry. */
function headUpdate(quotedSchema: string, chain: string, head: AuditHeadV2): string {
  return `UPDATE ${quotedSchema}.audit_chains SET seq = ${sqlLiteral(head.seq, 'bigint')}, mac = ${sqlLiteral(head.mac, 'text')}, head_mac = ${sqlLiteral(head.headMac, 'text')},
    version = 2, count = ${sqlLiteral(head.count, 'bigint')}, time = ${sqlLiteral(head.time, 'text')}, key_id = ${sqlLiteral(head.keyId, 'text')}
    WHERE chain = ${sqlLiteral(chain, 'text')}`;
}
