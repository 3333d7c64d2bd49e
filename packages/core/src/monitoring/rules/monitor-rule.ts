import type { AuditEntry } from '../../audit/audit-record';
import type { Alert } from '../monitoring-contracts';

/** One audit record as the rules see it, read once by the monitor. */
export interface ObservedRecord {
  readonly entry: AuditEntry;
  /** The record's time in epoch ms, moved up to the newest time seen: windows never move back. */
  readonly ms: number;
  /** The record's own time in epoch ms. */
  readonly ownMs: number;
  /** `'GET /users/:id'`, or null. */
  readonly route: string | null;
  readonly categories: readonly string[];
}

/** A rule of the monitor: pure state over the records it was fed. */
export interface MonitorRule {
  /** Feeds one record; pushes the alerts it raised onto `out`. */
  observe(record: ObservedRecord, out: Alert[]): void;
  /** Forgets the state of keys idle long enough not to matter any more. */
  sweep(now: number): void;
  /** Entries held (keys and window entries), for the memory bound. */
  size(): number;
}
