import type { AuditRecord } from '@privacy-kit/core';

/** One access to the person's data, as shown to them (Art. 15(1)(a)-(c): when, why, by whom). */
export interface AccessLogEntry {
  /** Position in the audit log; pass as `after` to read on. */
  readonly seq: number;
  readonly time: string;
  /** 'you' when the person read their own data; 'someone else' for staff or other users. */
  readonly accessedBy: 'you' | 'someone else';
  /** A keyed pseudonym of who accessed the data (the controller can resolve it when asked), or null. */
  readonly actor: string | null;
  readonly method: string | null;
  /** The route pattern, e.g. '/users/:id'. */
  readonly route: string | null;
  /** Why: the declared purposes and lawful basis. */
  readonly purposes: readonly string[];
  readonly basis: string | null;
  /** What: the data categories the route processes. */
  readonly categories: readonly string[];
}

/**
 * Turns the audit records of a subject into the access log shown to them: allowed accesses only, with pseudonyms
 * as they are (the audit never holds anyone's raw identifier).
 *
 * @param records - audit records whose subject is the person's pseudonym
 * @param subject - that pseudonym
 */
export function accessLogOf(records: readonly AuditRecord[], subject: string): AccessLogEntry[] {
  return records
    .filter((r) => r.event === 'access' && r.decision === 'allowed')
    .map((r) => ({
      seq: r.seq,
      time: r.time,
      accessedBy: r.actor === subject ? 'you' : 'someone else',
      actor: r.actor,
      method: r.method,
      route: r.route,
      purposes: r.purposes,
      basis: r.basis,
      categories: r.categories,
    }));
}
