import { createHash } from 'node:crypto';

/** The names a store derives from its schema: the quoted identifier, its migration lock key, its NOTIFY channel. */
export interface PostgresSchemaNames {
  /** The schema as given (a plain identifier, checked by the options). */
  readonly schema: string;
  /** The schema as an SQL identifier, e.g. `"privacy_kit"`. */
  readonly quoted: string;
  /** The advisory lock that serialises migrations of instances starting at once. */
  readonly migrationLockKey: string;
  /** The LISTEN/NOTIFY channel of consent changes. */
  readonly consentChannel: string;
  /**
   * The first half of the two-key advisory locks that serialise the data-key writes of one subject (the second is
   * the server's hash of the subject). The two-key locks are a key space of their own, apart from the migration lock.
   */
  readonly dataKeyLockSpace: number;
}

/** A stable signed 64-bit advisory lock key for one purpose and schema (computed here, not by the server). */
function lockKey(purpose: string, schema: string): string {
  return createHash('sha256').update(`privacy-kit:${purpose}:${schema}`).digest().readBigInt64BE(0).toString();
}

/**
 * The names of a schema's store objects; the same on every instance, so they share locks and the channel.
 *
 * @param schema - a plain identifier (letters, digits and _)
 */
export function postgresSchemaNames(schema: string): PostgresSchemaNames {
  return {
    schema,
    quoted: `"${schema}"`,
    migrationLockKey: lockKey('migrate', schema),
    consentChannel: `privacy_kit_consents_${createHash('sha256').update(schema).digest('hex').slice(0, 16)}`,
    dataKeyLockSpace: createHash('sha256').update(`privacy-kit:data-keys:${schema}`).digest().readInt32BE(0),
  };
}
