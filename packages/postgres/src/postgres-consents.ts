import type { ConsentEvent } from '@privacy-kit/core';
import { CONSENT_COLUMNS, CONSENT_INSERT_COLUMNS, consentEventFromRow, consentRowValues, type ConsentRow, type NewConsentRow } from '@privacy-kit/core/store';
import type { PostgresSchemaNames } from './postgres-names';
import type { PostgresConnections } from './postgres-pool';

const SELECT_CONSENTS = CONSENT_COLUMNS.join(', ');

/**
 * Inserts one consent event and NOTIFYs its subject on the schema's channel in the same statement: the
 * notification is sent exactly when, and only if, the event commits.
 *
 * @param connections - the store's pool
 * @param names - the schema's names (table, channel)
 * @param row - the new event's row
 * @param origin - this instance, so that it skips its own notification
 * @returns the stored event
 */
export async function insertConsentEvent(connections: PostgresConnections, names: PostgresSchemaNames, row: NewConsentRow, origin: string): Promise<ConsentEvent> {
  const values = consentRowValues(row);
  const { rows } = await connections.withClient((client) => client.query<{ seq: string }>(
    `WITH ins AS (
       INSERT INTO ${names.quoted}.consent_events (${CONSENT_INSERT_COLUMNS.join(', ')})
       VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING seq
     )
     SELECT ins.seq, pg_notify($${values.length + 1}, $${values.length + 2}) FROM ins`,
    [...values, names.consentChannel, JSON.stringify({ o: origin, s: row.subject })],
  ));
  return consentEventFromRow({ ...row, seq: rows[0]?.seq ?? '0' });
}

/** A subject's consent events, oldest first. */
export async function selectConsentHistory(connections: PostgresConnections, names: PostgresSchemaNames, subject: string): Promise<ConsentEvent[]> {
  const { rows } = await connections.pool.query<ConsentRow>(`SELECT ${SELECT_CONSENTS} FROM ${names.quoted}.consent_events WHERE subject = $1 ORDER BY seq`, [subject]);
  return rows.map(consentEventFromRow);
}
