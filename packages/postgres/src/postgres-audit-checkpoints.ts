import {
  AuditCheckpointer,
  createAuditCheckpoint,
  signAuditChainsCheckpoint,
  type AuditChainPosition,
  type ResolvedAuditCheckpointOptions,
} from '@privacy-kit/core/store';
import { DEFAULT_CHECKPOINT_INTERVAL_MS, type AuditCheckpoint, PrivacyKitError, isPrivacyKitError, isoTime } from '@privacy-kit/core';
import type { PostgresSchemaNames } from './postgres-names';
import type { PostgresConnections } from './postgres-pool';

const ignore = (): void => undefined;

/**
 * Signed checkpoints of every chain's head, off the request path: every `intervalMs` while this instance appended
 * (and, when checkpoints are published, every `every` records it appended), it reads every chain's head in one
 * statement, signs where each ends, and appends that to `audit_checkpoints`. When the `checkpoints` option is set
 * it also publishes the matching checkpoint outside the database (file, hook), so a chain that vanishes or is cut
 * short is found even when whoever did it also rewrote the database. Instances write these independently: each
 * is a true statement about the chains at its time, and chains only grow.
 */
export class ChainsCheckpointer {
  private pending = 0;
  private writing: Promise<AuditCheckpoint | undefined> | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly publisher: AuditCheckpointer | undefined;
  private readonly every: number;

  /**
   * @param connections - the store's pool
   * @param names - the schema's names
   * @param key - the audit key
   * @param publishing - the store's `checkpoints` option, resolved, when checkpoints are published outside
   * @param pkg - the package, for messages
   */
  constructor(
    private readonly connections: PostgresConnections,
    private readonly names: PostgresSchemaNames,
    private readonly key: Buffer,
    private readonly publishing: ResolvedAuditCheckpointOptions | undefined,
    private readonly pkg: string,
  ) {
    this.publisher = publishing === undefined ? undefined : new AuditCheckpointer(key, publishing, pkg);
    this.every = publishing?.every ?? Number.POSITIVE_INFINITY;
    const interval = publishing === undefined ? DEFAULT_CHECKPOINT_INTERVAL_MS : publishing.intervalMs;
    if (interval > 0) {
      this.timer = setInterval(() => { if (this.pending > 0) this.background(); }, interval);
      this.timer.unref();
    }
  }

  /** Told how many records this instance just committed. */
  appended(records: number): void {
    this.pending += records;
    if (this.pending >= this.every) this.background();
  }

  /**
   * Signs and stores a checkpoint of every chain's head now (and publishes it when `checkpoints` is set); resolves
   * with the published form, undefined while no chain has a record.
   */
  checkpoint(): Promise<AuditCheckpoint | undefined> {
    const run = (this.writing ?? Promise.resolve(undefined)).catch(ignore).then(() => this.write());
    this.writing = run;
    return run;
  }

  /** Stops the timer; writes a last checkpoint when this instance appended since the previous one. */
  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.pending > 0) await this.checkpoint().catch((cause: unknown) => this.report(cause));
    await this.writing?.catch(ignore);
    await this.publisher?.close();
  }

  private background(): void {
    if (this.writing !== undefined) return;
    this.checkpoint().catch((cause: unknown) => this.report(cause)).finally(() => { this.writing = undefined; });
  }

  private report(cause: unknown): void {
    const error = isPrivacyKitError(cause)
      ? cause
      : new PrivacyKitError('PK_AUDIT_CHECKPOINT', `${this.pkg}: writing the checkpoint of every audit chain's head failed; the next one is tried at the next interval: ${(cause as Error)?.message ?? String(cause)}.`, { cause });
    if (this.publishing !== undefined) this.publishing.onError(error);
    else process.emitWarning(error.message, { type: 'PrivacyKitWarning', code: error.code });
  }

  private async write(): Promise<AuditCheckpoint | undefined> {
    const taken = this.pending;
    const s = this.names.quoted;
    const { rows } = await this.connections.pool.query<{ chain: string; seq: string; mac: string }>(
      `SELECT chain, seq::text, mac FROM ${s}.audit_chains WHERE seq > 0`,
    );
    if (rows.length === 0) return undefined;
    const chains: AuditChainPosition[] = rows.map((r) => [r.chain, Number(r.seq), r.mac]);
    const signed = signAuditChainsCheckpoint(this.key, { time: isoTime(), chains });
    await this.connections.pool.query(
      `INSERT INTO ${s}.audit_checkpoints (time, count, chains, key_id, mac) VALUES ($1, $2, $3::jsonb, $4, $5)`,
      [signed.time, signed.count, JSON.stringify(signed.chains), signed.keyId, signed.mac],
    );
    this.pending = Math.max(0, this.pending - taken);
    const state = { seq: signed.count, mac: signed.mac, count: signed.count, time: signed.time };
    return this.publisher === undefined ? createAuditCheckpoint(this.key, state) : this.publisher.publish(state);
  }
}
