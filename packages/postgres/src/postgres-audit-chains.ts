import { randomBytes } from 'node:crypto';
import { isoTime } from '@privacy-kit/core';
import type { PostgresSchemaNames } from './postgres-names';
import type { PostgresConnections } from './postgres-pool';

/** Where a chain ends: what its next record links to. */
export interface ChainHead {
  readonly seq: number;
  readonly mac: string;
  readonly count: number;
}

/** A chain this instance holds, with its head as the registry had it when claimed. */
export interface ClaimedChain {
  readonly chain: string;
  readonly head: ChainHead;
}

/** A chain_registry head as pg returns it (bigint columns as strings). */
interface HeadRow {
  readonly chain: string;
  readonly seq: string;
  readonly mac: string;
  readonly count: string | null;
}

/** How long a claimed chain stays this instance's without a renewal, in seconds. */
export const CHAIN_LEASE_SECONDS = 30;
/** How often the leases are renewed, in ms (well inside the lease). */
const RENEW_EVERY_MS = 10_000;

/** A head row as the head the appender chains onto (a format 1 head counts `seq` records). */
export function chainHeadOf(row: { readonly seq: string | number; readonly mac: string; readonly count: string | number | null } | undefined): ChainHead {
  const seq = Number(row?.seq ?? 0);
  return { seq, mac: row?.mac ?? '', count: row?.count == null ? seq : Number(row.count) };
}

/**
 * The chain registry of the audit log (`audit_chains`): every writer appends to chains of its own, claimed here.
 * A claim is a lease (holder, expiry on the server's clock) renewed while the store runs and given back on close,
 * so a restarted or replaced instance reuses an idle chain instead of adding one, and the registry stays about as
 * long as the largest fleet. The lease only keeps writers apart for speed: correctness never depends on it, since
 * every append checks the chain's head (two writers that end up on one chain take turns).
 */
export class AuditChainRegistry {
  private readonly held = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param connections - the store's pool
   * @param names - the schema's names
   * @param holder - this store instance (random per process)
   */
  constructor(
    private readonly connections: PostgresConnections,
    private readonly names: PostgresSchemaNames,
    private readonly holder: string,
  ) {}

  /**
   * Claims an idle chain (its lease expired or given back; the chain 'main' of a migrated log first), or registers
   * a new one when every chain is held.
   */
  async claim(): Promise<ClaimedChain> {
    const s = this.names.quoted;
    const claimed = await this.connections.pool.query<HeadRow>(
      `WITH idle AS (
         SELECT chain FROM ${s}.audit_chains
         WHERE lease_until IS NULL OR lease_until < now()
         ORDER BY chain <> 'main', chain LIMIT 1 FOR UPDATE SKIP LOCKED
       )
       UPDATE ${s}.audit_chains c SET holder = $1, lease_until = now() + make_interval(secs => $2)
       FROM idle WHERE c.chain = idle.chain
       RETURNING c.chain, c.seq::text, c.mac, c.count::text`,
      [this.holder, CHAIN_LEASE_SECONDS],
    );
    let row = claimed.rows[0];
    if (row === undefined) {
      const chain = `w-${randomBytes(9).toString('base64url')}`;
      const registered = (await this.connections.pool.query<HeadRow>(
        `INSERT INTO ${s}.audit_chains (chain, created, holder, lease_until) VALUES ($1, $2, $3, now() + make_interval(secs => $4))
         RETURNING chain, seq::text, mac, count::text`,
        [chain, isoTime(), this.holder, CHAIN_LEASE_SECONDS],
      )).rows[0];
      if (registered === undefined) throw new Error(`registering audit chain '${chain}' returned no row`);
      row = registered;
    }
    this.held.add(row.chain);
    this.startRenewing();
    return { chain: row.chain, head: chainHeadOf(row) };
  }

  /** The chain's head as stored now. */
  async head(chain: string): Promise<ChainHead> {
    const { rows } = await this.connections.pool.query<HeadRow>(
      `SELECT chain, seq::text, mac, count::text FROM ${this.names.quoted}.audit_chains WHERE chain = $1`, [chain],
    );
    return chainHeadOf(rows[0]);
  }

  /** Gives every held chain back (on close), so the next instance to start reuses them at once. */
  async release(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (this.held.size === 0) return;
    const chains = [...this.held];
    this.held.clear();
    await this.connections.pool.query(
      `UPDATE ${this.names.quoted}.audit_chains SET holder = NULL, lease_until = NULL WHERE chain = ANY($1) AND holder = $2`,
      [chains, this.holder],
    );
  }

  private startRenewing(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      if (this.held.size === 0) return;
      // A failed renewal (the server away) is harmless: an expired lease only lets another writer share the chain.
      this.connections.pool.query(
        `UPDATE ${this.names.quoted}.audit_chains SET lease_until = now() + make_interval(secs => $3) WHERE chain = ANY($1) AND holder = $2`,
        [[...this.held], this.holder, CHAIN_LEASE_SECONDS],
      ).catch(() => undefined);
    }, RENEW_EVERY_MS);
    this.timer.unref();
  }
}
